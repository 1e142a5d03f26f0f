//! AKS: `aks-create.sh`, `az aks create` with the system node pool and
//! `az aks nodepool add` for each other pool. az's `--node-count` is the
//! pool's total; `--zones` lists the zone numbers.

use std::fmt::Write;

use super::gke::sh;
use super::{dash_region, instance_type, script_start};
use crate::catalog::Catalog;
use crate::plan::{ClusterPlan, Purpose, WorkerPool};

/// An AKS node pool name: lowercase letters and digits, starting with a
/// letter, at most 12 characters (Linux pools).
pub fn pool_name(name: &str) -> String {
    let mut n: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if !n.starts_with(|c: char| c.is_ascii_lowercase()) {
        n.insert(0, 'p');
    }
    n.truncate(12);
    n
}

/// Every pool's AKS name, in the plan's order; names that come out the same
/// get a number.
pub fn pool_names(plan: &ClusterPlan) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for p in &plan.spec.workers {
        let mut n = pool_name(&p.name);
        let mut k = 2;
        while names.contains(&n) {
            let mut base = pool_name(&p.name);
            base.truncate(12 - k.to_string().len());
            n = format!("{base}{k}");
            k += 1;
        }
        names.push(n);
    }
    names
}

/// The Azure region of the plan's zones (`eastus-1` → `eastus`).
pub fn region(plan: &ClusterPlan) -> String {
    dash_region(&plan.zones()[0])
}

/// `--zones` for a pool: the zone numbers, when it spans more than one place.
fn zone_ids(plan: &ClusterPlan, p: &WorkerPool) -> Vec<String> {
    plan.pool_zones(p)
        .iter()
        .filter_map(|z| z.rsplit_once('-').map(|(_, id)| id.to_string()))
        .filter(|id| id.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

/// The CNI flags and ranges; the DNS service IP is the service range's
/// tenth address, as AKS's default (10.0.0.10 in 10.0.0.0/16) is.
fn network(out: &mut String, c: &Catalog, plan: &ClusterPlan) {
    let prof = c.platform(plan.spec.platform);
    if let Some(flags) = prof.network.as_ref().and_then(|n| n.plugin_flags.as_ref()) {
        let _ = writeln!(out, "  {flags} \\");
    }
    let Some(n) = plan.spec.network.as_ref() else {
        return;
    };
    if let Some(pod) = &n.pod_cidr {
        let _ = writeln!(out, "  --pod-cidr {} \\", sh(pod));
    }
    let _ = writeln!(out, "  --service-cidr {} \\", sh(&n.service_cidr));
    if let Ok(s) = n.service_cidr.parse::<ipnet::Ipv4Net>() {
        let dns = std::net::Ipv4Addr::from(u32::from(s.network()) + 10);
        let _ = writeln!(out, "  --dns-service-ip {dns} \\");
    }
}

/// The flags one pool takes; `taint_flag` is `--nodepool-taints` on
/// `az aks create` and `--node-taints` on `nodepool add`.
fn pool_flags(out: &mut String, c: &Catalog, plan: &ClusterPlan, p: &WorkerPool, taint_flag: &str) {
    let inst = instance_type(c, plan, &p.machine, p.instance_type.as_deref());
    let _ = writeln!(out, "  --node-count {} \\", p.nodes);
    let _ = writeln!(out, "  --node-vm-size {} \\", sh(&inst));
    if let Some(d) = p.machine.disk_gib {
        let _ = writeln!(out, "  --node-osdisk-size {} \\", d.ceil() as u64);
    }
    let ids = zone_ids(plan, p);
    if ids.len() > 1 {
        let _ = writeln!(out, "  --zones {} \\", ids.join(" "));
    }
    if !p.taints.is_empty() {
        let _ = writeln!(out, "  {taint_flag} {} \\", sh(&p.taints.join(",")));
    }
    let _ = write!(out, "  --max-pods {}", c.max_pods(p));
}

/// The pool `az aks create` makes (System mode): the one tainted as the
/// platform's system pool, else the first.
fn system_pool<'p>(c: &Catalog, plan: &'p ClusterPlan) -> Option<&'p WorkerPool> {
    let taint = c
        .platform(plan.spec.platform)
        .system_pool
        .as_ref()
        .map(|s| s.taint.as_str());
    let workers = &plan.spec.workers;
    workers
        .iter()
        .find(|p| taint.is_some_and(|t| p.taints.iter().any(|x| x == t)))
        .or(workers.first())
}

/// `aks-create.sh`.
pub fn script(plan: &ClusterPlan, c: &Catalog) -> String {
    let mut out = script_start(
        plan,
        "aks-create.sh (RESOURCE_GROUP=my-group bash aks-create.sh)",
    );
    out.push_str("set -euo pipefail\n\n");
    out.push_str(": \"${RESOURCE_GROUP:?set RESOURCE_GROUP to the resource group to build the cluster in}\"\n");
    let _ = writeln!(
        out,
        "CLUSTER={}\nLOCATION={}\n",
        sh(&plan.metadata.name),
        sh(&region(plan))
    );
    let Some(system) = system_pool(c, plan) else {
        return out;
    };
    let production = plan.spec.purpose == Purpose::Production;
    let tier = c
        .platform(plan.spec.platform)
        .managed_control_plane
        .as_ref()
        .and_then(|m| m.for_purpose(production).flag.clone());
    let _ = writeln!(
        out,
        "# The system node pool ({}) runs CoreDNS and the metrics server.",
        system.name
    );
    out.push_str("az aks create \\\n  --resource-group \"$RESOURCE_GROUP\" \\\n  --name \"$CLUSTER\" \\\n  --location \"$LOCATION\" \\\n");
    if let Some(t) = tier {
        let _ = writeln!(out, "  {t} \\");
    }
    network(&mut out, c, plan);
    out.push_str("  --generate-ssh-keys \\\n");
    let names = pool_names(plan);
    let name_of = |p: &WorkerPool| {
        let i = plan.spec.workers.iter().position(|x| std::ptr::eq(x, p));
        names[i.unwrap_or(0)].clone()
    };
    let _ = writeln!(out, "  --nodepool-name {} \\", name_of(system));
    pool_flags(&mut out, c, plan, system, "--nodepool-taints");
    out.push('\n');
    for p in plan
        .spec
        .workers
        .iter()
        .filter(|p| !std::ptr::eq(*p, system))
    {
        let _ = writeln!(out, "\n# pool {}", p.name);
        let _ = writeln!(
            out,
            "az aks nodepool add \\\n  --resource-group \"$RESOURCE_GROUP\" \\\n  --cluster-name \"$CLUSTER\" \\\n  --name {} \\\n  --mode User \\",
            name_of(p)
        );
        pool_flags(&mut out, c, plan, p, "--node-taints");
        out.push('\n');
    }
    out
}
