//! GKE: `gke-create.sh`, the `gcloud container clusters create` and
//! `node-pools create` commands for the plan. gcloud's node counts are per
//! zone, so the plan's totals are divided by each pool's zones.

use std::fmt::Write;

use super::{instance_type, script_start};
use crate::catalog::Catalog;
use crate::plan::{ClusterPlan, Medium, Purpose, WorkerPool};

/// `--addons` turns on the add-ons it lists and off the others, of which
/// gcloud turns on HttpLoadBalancing and HorizontalPodAutoscaling by
/// default (google-cloud-sdk api_adapter.py DEFAULT_ADDONS @ 4643fc9c): a
/// script that lists one lists those too. The CSI drivers' add-ons, by
/// provisioner; the Filestore one is off by default on GKE Standard.
const DEFAULT_ADDONS: &[&str] = &["HttpLoadBalancing", "HorizontalPodAutoscaling"];
const DRIVER_ADDONS: &[(&str, &str)] = &[
    ("pd.csi.storage.gke.io", "GcePersistentDiskCsiDriver"),
    ("filestore.csi.storage.gke.io", "GcpFilestoreCsiDriver"),
];

/// The `--addons` value the plan's storage classes need, or None when the
/// defaults do (only the Filestore driver is off by default).
pub fn addons(plan: &ClusterPlan) -> Option<String> {
    let classes = plan.spec.storage.iter().flat_map(|s| s.classes.iter());
    let used: Vec<&str> = classes.filter_map(|c| c.provisioner.as_deref()).collect();
    let needed: Vec<&str> = DRIVER_ADDONS
        .iter()
        .filter(|(p, _)| used.contains(p))
        .map(|(_, a)| *a)
        .collect();
    if !needed.contains(&"GcpFilestoreCsiDriver") {
        return None;
    }
    let all: Vec<&str> = DEFAULT_ADDONS.iter().copied().chain(needed).collect();
    Some(all.join(","))
}

/// The service range to pass: the plan's, unless it is the one GKE picks
/// itself when none is given.
fn services_flag(c: &Catalog, plan: &ClusterPlan, service: &str) -> Option<String> {
    let net = c.platform(plan.spec.platform).network.as_ref();
    let own =
        net.is_some_and(|n| n.service_cidr_by_provider && n.service_cidr.to_string() == service);
    (!own).then(|| service.to_string())
}

/// A word for a shell script: as is when it holds nothing the shell reads,
/// single-quoted otherwise.
pub fn sh(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._/:=,@+%".contains(c));
    match plain {
        true => s.to_string(),
        false => format!("'{}'", s.replace('\'', r"'\''")),
    }
}

/// The location flag and value: `--region R` for a regional cluster (a
/// replicated control plane, for production), `--zone Z` otherwise.
pub fn location(c: &Catalog, plan: &ClusterPlan) -> (String, String) {
    let production = plan.spec.purpose == Purpose::Production;
    let flag = c
        .platform(plan.spec.platform)
        .managed_control_plane
        .as_ref()
        .and_then(|m| m.for_purpose(production).flag.clone())
        .unwrap_or_else(|| "--region".to_string());
    let first = plan.zones().remove(0);
    let value = match flag.as_str() {
        "--zone" => first,
        _ => super::dash_region(&first),
    };
    (flag, value)
}

/// Nodes per zone for `total` nodes over `zones` zones, rounded up: GKE
/// puts the same number in every zone of a pool.
pub fn per_zone(total: u32, zones: usize) -> u32 {
    total.div_ceil(zones.max(1) as u32)
}

/// The flags one pool's nodes take, on either command.
fn pool_flags(out: &mut String, c: &Catalog, plan: &ClusterPlan, p: &WorkerPool) {
    let zones = plan.pool_zones(p);
    let each = per_zone(p.nodes, zones.len());
    let inst = instance_type(c, plan, &p.machine, p.instance_type.as_deref());
    let _ = writeln!(out, "  --node-locations {} \\", sh(&zones.join(",")));
    let _ = writeln!(out, "  --num-nodes {each} \\");
    let _ = writeln!(out, "  --machine-type {} \\", sh(&inst));
    if let Some(d) = p.machine.disk_gib {
        let _ = writeln!(out, "  --disk-size {} \\", d.ceil() as u64);
    }
    if p.machine.disk == Some(Medium::Hdd) {
        out.push_str("  --disk-type pd-standard \\\n");
    }
    if !p.taints.is_empty() {
        let _ = writeln!(out, "  --node-taints {} \\", sh(&p.taints.join(",")));
    }
    let _ = write!(out, "  --max-pods-per-node {}", c.max_pods(p));
}

/// The comment above a pool's command: how its total becomes per-zone counts.
fn count_note(plan: &ClusterPlan, p: &WorkerPool) -> String {
    let zones = plan.pool_zones(p).len().max(1);
    let each = per_zone(p.nodes, zones);
    let made = each as usize * zones;
    let round = match made == p.nodes as usize {
        true => String::new(),
        false => format!(
            " (the plan's {} rounded up: GKE puts the same count in each zone)",
            p.nodes
        ),
    };
    format!(
        "# pool {}: {made} nodes, {each} in each of {}{round}\n",
        p.name,
        crate::prose::plural(zones as u64, "zone", "zones")
    )
}

/// `gke-create.sh`.
pub fn script(plan: &ClusterPlan, c: &Catalog) -> String {
    let mut out = script_start(plan, "gke-create.sh (bash gke-create.sh)");
    out.push_str("# gcloud builds in its configured project (`gcloud config set project PROJECT`).\nset -euo pipefail\n\n");
    let (flag, loc) = location(c, plan);
    let _ = writeln!(
        out,
        "CLUSTER={}\nLOCATION={}\n",
        sh(&plan.metadata.name),
        sh(&loc)
    );
    let mut pools = plan.spec.workers.iter();
    let Some(first) = pools.next() else {
        return out;
    };
    let _ = writeln!(
        out,
        "{}# (it is the cluster's default-pool)",
        count_note(plan, first)
    );
    let _ = writeln!(
        out,
        "gcloud container clusters create \"$CLUSTER\" \\\n  {flag} \"$LOCATION\" \\"
    );
    // VPC-native: pods take addresses from the cluster's pod range
    // (--max-pods-per-node needs it).
    out.push_str("  --enable-ip-alias \\\n");
    if let Some(n) = plan.spec.network.as_ref() {
        if let Some(pod) = &n.pod_cidr {
            let _ = writeln!(out, "  --cluster-ipv4-cidr {} \\", sh(pod));
        }
        if let Some(svc) = services_flag(c, plan, &n.service_cidr) {
            let _ = writeln!(out, "  --services-ipv4-cidr {} \\", sh(&svc));
        }
    }
    if let Some(a) = addons(plan) {
        let _ = writeln!(out, "  --addons {} \\", sh(&a));
    }
    pool_flags(&mut out, c, plan, first);
    out.push('\n');
    for p in pools {
        out.push('\n');
        out.push_str(&count_note(plan, p));
        let _ = writeln!(
            out,
            "gcloud container node-pools create {} \\\n  --cluster \"$CLUSTER\" \\\n  {flag} \"$LOCATION\" \\",
            sh(&p.name)
        );
        pool_flags(&mut out, c, plan, p);
        out.push('\n');
    }
    out
}
