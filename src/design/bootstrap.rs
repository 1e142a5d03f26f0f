//! The commands that build a designed cluster with its tool, filled in
//! from the plan (what `design` prints under "Next"), for the tools whose
//! files `kubeplan export` does not write yet. kubeadm clusters are built
//! from the exported files, so there is no kubeadm flag list here to
//! disagree with them.

use crate::catalog::Catalog;
use crate::fmt::decimal;
use crate::plan::{ClusterPlan, Tooling, WorkerPool};

/// Commands that build the cluster, in order (comments start with `#`).
pub fn commands(c: &Catalog, plan: &ClusterPlan) -> Vec<String> {
    let pool = plan.spec.workers.first();
    match (plan.spec.tooling, pool) {
        (Some(Tooling::Minikube), _) => minikube(c, plan),
        (Some(Tooling::Kops), _) => kops(plan),
        (Some(Tooling::Eks), Some(p)) => eks(c, plan, p),
        (Some(Tooling::Gke), Some(p)) => gke(c, plan, p),
        (Some(Tooling::Aks), Some(_)) => aks(c, plan),
        _ => Vec::new(),
    }
}

fn instance(p: &WorkerPool) -> String {
    p.instance_type.clone().unwrap_or_default()
}

/// The one node's size; a plan without one gets the smallest learning size.
fn minikube(c: &Catalog, plan: &ClusterPlan) -> Vec<String> {
    let ladder = c.kubernetes.design.learning_machines.first();
    let m = plan.spec.control_plane.machine.as_ref();
    let cpu = m.map(|m| m.cpu).or(ladder.map(|t| t.cpu)).unwrap_or(0.0);
    let memory = m
        .map(|m| m.memory_gib)
        .or(ladder.map(|t| t.memory_gib))
        .unwrap_or(0.0);
    let disk = m
        .and_then(|m| m.disk_gib)
        .or(ladder.and_then(|t| t.disk_gib));
    let mut cmd = format!(
        "minikube start --cpus {} --memory {}g",
        decimal(cpu),
        decimal(memory)
    );
    if let Some(d) = disk {
        cmd.push_str(&format!(" --disk-size {}g", decimal(d)));
    }
    vec![cmd]
}

fn kops(plan: &ClusterPlan) -> Vec<String> {
    let size = plan.spec.workers.first().map(instance).unwrap_or_default();
    let cp_zones: Vec<String> = plan
        .cp_zones()
        .into_iter()
        .take(plan.cp_nodes() as usize)
        .collect();
    vec![format!(
        "kops create cluster --name {}.k8s.local --zones {} --control-plane-zones {} --control-plane-count {} --node-count {} --node-size {size}",
        plan.metadata.name,
        plan.zones().join(","),
        cp_zones.join(","),
        plan.cp_nodes(),
        plan.worker_nodes()
    )]
}

fn eks(c: &Catalog, plan: &ClusterPlan, p: &WorkerPool) -> Vec<String> {
    let zones = plan.zones();
    let min = c.tool(Tooling::Eks).and_then(|t| t.min_zones).unwrap_or(0) as usize;
    let (cluster_zones, node_zones) = if zones.len() < min {
        // The control plane's subnets need `min` zones; the nodes stay put.
        let names = &c.platform(plan.spec.platform).zone_names;
        let mut all = zones.clone();
        all.extend(
            names
                .iter()
                .filter(|z| !zones.contains(z))
                .take(min - zones.len())
                .cloned(),
        );
        (all, format!(" --node-zones {}", zones.join(",")))
    } else {
        (zones, String::new())
    };
    let vpc = plan
        .spec
        .network
        .as_ref()
        .and_then(|n| n.vpc_cidr.as_ref())
        .map(|v| format!(" --vpc-cidr {v} --node-private-networking"))
        .unwrap_or_default();
    vec![format!(
        "eksctl create cluster --name {} --zones {}{node_zones}{vpc} --node-type {} --nodes {} --max-pods-per-node {}",
        plan.metadata.name,
        cluster_zones.join(","),
        instance(p),
        plan.worker_nodes(),
        c.max_pods(p)
    )]
}

fn gke(c: &Catalog, plan: &ClusterPlan, p: &WorkerPool) -> Vec<String> {
    let zones = plan.zones();
    // Production is regional (a replicated control plane); the rest zonal,
    // where the free tier's credit covers the management fee.
    let production = plan.spec.purpose == crate::plan::Purpose::Production;
    let flag = c
        .platform(plan.spec.platform)
        .managed_control_plane
        .as_ref()
        .and_then(|m| m.for_purpose(production).flag.clone())
        .unwrap_or_else(|| "--region".to_string());
    let location = if flag == "--zone" {
        zones[0].clone()
    } else {
        zones[0]
            .rsplit_once('-')
            .map_or(zones[0].clone(), |(r, _)| r.to_string())
    };
    let ranges = plan
        .spec
        .network
        .as_ref()
        .and_then(|n| {
            Some(format!(
                " --enable-ip-alias --cluster-ipv4-cidr {} --services-ipv4-cidr {}",
                n.pod_cidr.as_ref()?,
                n.service_cidr
            ))
        })
        .unwrap_or_default();
    vec![format!(
        "gcloud container clusters create {} {flag} {location} --node-locations {} --machine-type {} --num-nodes {} --max-pods-per-node {}{ranges}",
        plan.metadata.name,
        zones.join(","),
        instance(p),
        plan.worker_nodes().div_ceil(zones.len() as u64),
        c.max_pods(p)
    )]
}

/// The CNI flags and ranges of `az aks create`; the DNS service IP is the
/// service range's tenth address, as AKS's default (10.0.0.10) is.
fn aks_network(prof: &crate::catalog::PlatformProfile, plan: &ClusterPlan) -> String {
    let (Some(pn), Some(n)) = (&prof.network, &plan.spec.network) else {
        return String::new();
    };
    let dns = n
        .service_cidr
        .parse::<ipnet::Ipv4Net>()
        .ok()
        .map(|s| std::net::Ipv4Addr::from(u32::from(s.network()) + 10));
    format!(
        " {} --pod-cidr {} --service-cidr {}{}",
        pn.plugin_flags.clone().unwrap_or_default(),
        n.pod_cidr.as_deref().unwrap_or_default(),
        n.service_cidr,
        dns.map(|a| format!(" --dns-service-ip {a}"))
            .unwrap_or_default()
    )
}

fn aks(c: &Catalog, plan: &ClusterPlan) -> Vec<String> {
    let name = &plan.metadata.name;
    let prof = c.platform(plan.spec.platform);
    let ids: Vec<String> = plan
        .zones()
        .iter()
        .map(|z| z.rsplit('-').next().unwrap_or(z).to_string())
        .collect();
    let zone_flag = if ids.len() > 1 {
        format!(" --zones {}", ids.join(" "))
    } else {
        String::new()
    };
    let pool = |p: &WorkerPool| {
        format!(
            "--node-count {} --node-vm-size {} --max-pods {}{zone_flag}",
            p.nodes,
            instance(p),
            c.max_pods(p)
        )
    };
    let production = plan.spec.purpose == crate::plan::Purpose::Production;
    let tier = prof
        .managed_control_plane
        .as_ref()
        .and_then(|m| m.for_purpose(production).flag.clone())
        .map(|f| format!(" {f}"))
        .unwrap_or_default();
    let network = aks_network(prof, plan);
    let mut pools = plan.spec.workers.iter();
    let first = pools.next();
    let taints = first
        .filter(|p| !p.taints.is_empty())
        .map(|p| {
            format!(
                " --nodepool-name {} --nodepool-taints {}",
                p.name,
                p.taints.join(",")
            )
        })
        .unwrap_or_default();
    let mut out: Vec<String> = first
        .map(|p| {
            format!(
                "az aks create --resource-group <group> --name {name}{tier}{network}{taints} {}",
                pool(p)
            )
        })
        .into_iter()
        .collect();
    let mode = if taints.is_empty() {
        ""
    } else {
        " --mode User"
    };
    out.extend(pools.map(|p| {
        format!(
            "az aks nodepool add --resource-group <group> --cluster-name {name} --name {}{mode} {}",
            p.name.replace('-', ""),
            pool(p)
        )
    }));
    out
}
