//! Platform constraints: what a cloud accepts, from its catalog in
//! `profiles/platforms/` (regions and zones, the ranges a managed service
//! takes or holds, its per-pool and per-node limits), checked on every
//! plan, designed, written by hand or imported.

use super::prelude::*;
use crate::catalog::{PlatformNetwork, PlatformProfile, ZonePlace};
use crate::plan::ClusterPlan;

pub const GROUP: &str = "Platform constraints";

rule! {
    ZONE_NOT_IN_REGION: "zone-not-in-region", Always(Error), Some(zone_not_in_region),
    needs: [Zones],
    summary: "A zone the cloud region does not have, or zones of two regions.",
    what: "The plan's region and every zone a cloud plan names (the cluster's, the control plane's, etcd's, each pool's and each subnet's) against the regions and zones of the platform's catalog; all of them in one region, the plan's `region` where it names one.",
    why: "The installers take the zone names as they are: eksctl, kOps, gcloud and az refuse a zone the region does not have (an Azure region's are {platform.azureZones}), and a cluster lives in one region. A plan that counts on a fourth zone counts on capacity that will not exist when a zone fails.",
    fix: "Use zones of one region (`kubeplan profiles aws` lists them), or fewer zones.",
    near_miss: [("eastus-4]", "eastus-2]")],
}

/// The plan's `region` where the platform has regions and not this one.
fn unknown_region(prof: &PlatformProfile, r: &str) -> Option<Hit> {
    if prof.regions.is_empty() {
        return None;
    }
    let help = crate::prose::did_you_mean(r, prof.regions.keys().map(String::as_str))
        .unwrap_or_else(|| format!("use a region of `kubeplan profiles {}`", prof.name));
    Some(Hit::new(
        "spec.region",
        format!("`{r}` is not a {} region kubeplan knows", prof.title),
        help,
    ))
}

/// Every zone the plan names, with its field.
fn named_zones(p: &ClusterPlan) -> Vec<(String, &str)> {
    fn add<'a>(out: &mut Vec<(String, &'a str)>, prefix: String, zones: &'a [String]) {
        for (n, z) in zones.iter().enumerate() {
            out.push((format!("{prefix}[{n}]"), z.as_str()));
        }
    }
    let s = &p.spec;
    let mut out = Vec::new();
    add(&mut out, "spec.zones".into(), &s.zones);
    add(
        &mut out,
        "spec.controlPlane.zones".into(),
        &s.control_plane.zones,
    );
    if let Some(e) = &s.etcd {
        add(&mut out, "spec.etcd.zones".into(), &e.zones);
    }
    for (i, w) in s.workers.iter().enumerate() {
        add(&mut out, format!("spec.workers[{i}].zones"), &w.zones);
    }
    for (i, g) in s
        .storage
        .iter()
        .flat_map(|st| st.servers.iter())
        .enumerate()
    {
        add(
            &mut out,
            format!("spec.storage.servers[{i}].zones"),
            &g.zones,
        );
    }
    for (i, sn) in s.network.iter().flat_map(|n| n.subnets.iter()).enumerate() {
        out.push((format!("spec.network.subnets[{i}].zone"), sn.zone.as_str()));
    }
    out
}

fn zone_not_in_region(ctx: &Ctx) -> Vec<Hit> {
    let prof = ctx.catalog.platform(ctx.plan.spec.platform);
    let mut first: Option<&str> = None;
    let mut hits = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    let named = ctx.plan.spec.region.as_deref();
    match named.map(|r| (r, prof.regions.contains_key(r))) {
        Some((r, true)) => first = Some(r),
        Some((r, false)) => hits.extend(unknown_region(prof, r)),
        None => {}
    }
    let first_is = |f: &str| match named == Some(f) {
        true => format!("the plan's region is {f}"),
        false => format!("the plan's first zone is in {f}"),
    };
    for (field, zone) in named_zones(ctx.plan) {
        // Each name once, where the plan first names it.
        if seen.contains(&zone) {
            continue;
        }
        seen.push(zone);
        let Some(place) = prof.zone_place(zone) else {
            return vec![];
        };
        let help = |r: &str| format!("use zones of {r}: {}", prof.regions[r].join(", "));
        let hit = match place {
            ZonePlace::Region(r) | ZonePlace::Extended(r) => match first {
                Some(f) if f != r => Some(Hit::new(
                    &field,
                    format!(
                        "zone `{zone}` is in {r}, but {}: a cluster lives in one region",
                        first_is(f)
                    ),
                    help(f),
                )),
                _ => {
                    first = Some(r);
                    None
                }
            },
            ZonePlace::NotIn(r) if prof.regions[r].is_empty() => Some(Hit::new(
                &field,
                format!(
                    "{} region {r} has no availability zones: `{zone}` does not exist",
                    prof.title
                ),
                "use a region with availability zones, or one zone",
            )),
            ZonePlace::NotIn(r) => Some(Hit::new(
                &field,
                format!(
                    "`{zone}` is not a zone of {} region {r}, which has {}",
                    prof.title,
                    prof.regions[r].len()
                ),
                help(r),
            )),
            ZonePlace::Unknown => Some(Hit::new(
                &field,
                format!(
                    "`{zone}` is not a zone of any {} region kubeplan knows",
                    prof.title
                ),
                help(prof.region.as_deref().unwrap_or_default()),
            )),
        };
        hits.extend(hit);
    }
    hits
}

rule! {
    NETWORK_RANGE_REFUSED: "network-range-refused", Always(Error), Some(network_range_refused),
    summary: "A pod, service or VPC range the managed service refuses or uses itself.",
    what: "On EKS, GKE and AKS, the service range's size ({platform.servicePrefix}) and block ({platform.serviceWithin}), the pod range's size ({platform.podPrefix}), and every range against the ranges the provider holds or refuses ({platform.reserved}).",
    why: "The create command fails in its first minute (\"Services CIDR range is smaller than minimum (14 < 16)\"), or worse, a pod range over the nodes' own subnet routes pod traffic to machines.",
    fix: "Pick a range of the size the provider takes, clear of its own (`kubeplan design` does), or leave the service range to the provider where it picks one.",
    near_miss: [("serviceCIDR: 10.96.0.0/12", "serviceCIDR: 10.96.0.0/16")],
}

fn network_range_refused(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    let prof = ctx.catalog.platform(p.spec.platform);
    let (Some(net), Some(n), true) = (&prof.network, &p.spec.network, p.managed()) else {
        return vec![];
    };
    let parse = |s: &str| s.parse::<ipnet::Ipv4Net>().ok();
    let mut hits = Vec::new();
    let svc = parse(&n.service_cidr);
    if let Some(svc) = svc {
        hits.extend(service_bounds(prof, net, svc));
    }
    if let (Some(pod), Some(b)) = (n.pod_cidr.as_deref().and_then(parse), net.pod_prefix) {
        if !b.allows(pod.prefix_len()) {
            hits.push(Hit::new(
                "spec.network.podCIDR",
                format!(
                    "{} takes a pod range of {}; {pod} is not",
                    prof.title,
                    b.describe()
                ),
                format!("use a pod range of {}", b.describe()),
            ));
        }
    }
    let ranges = [
        ("spec.network.podCIDR", n.pod_cidr.as_deref()),
        ("spec.network.serviceCIDR", Some(n.service_cidr.as_str())),
        ("spec.network.vpcCIDR", n.vpc_cidr.as_deref()),
    ];
    for (field, range) in ranges {
        let Some(r) = range.and_then(parse) else {
            continue;
        };
        if let Some(held) = net.reserved_overlap(r) {
            hits.push(Hit::new(
                field,
                format!(
                    "{r} overlaps {} on {}: {}",
                    held.cidr, prof.title, held.what
                ),
                format!("use a range clear of {}", held.cidr),
            ));
        }
    }
    hits
}

fn service_bounds(prof: &PlatformProfile, net: &PlatformNetwork, svc: ipnet::Ipv4Net) -> Vec<Hit> {
    let field = "spec.network.serviceCIDR";
    let mut hits = Vec::new();
    if let Some(b) = net.service_prefix.filter(|b| !b.allows(svc.prefix_len())) {
        hits.push(Hit::new(
            field,
            format!(
                "{} takes a service range of {}; {svc} is not, and the create command fails",
                prof.title,
                b.describe()
            ),
            format!(
                "use a service range of {}{}",
                b.describe(),
                match net.service_cidr_by_provider {
                    true => format!(", or leave it to the provider ({})", net.service_cidr),
                    false => String::new(),
                }
            ),
        ));
    }
    if !net.service_within.is_empty() && !net.service_within.iter().any(|w| w.contains(&svc)) {
        let within: Vec<String> = net.service_within.iter().map(|w| w.to_string()).collect();
        hits.push(Hit::new(
            field,
            format!(
                "{} takes a service range inside {}; {svc} is not",
                prof.title,
                within.join(", ")
            ),
            format!("use a range inside {}", within.join(", ")),
        ));
    }
    hits
}

rule! {
    NETWORK_NODE_RANGE_MISMATCH: "network-node-range-mismatch", Always(Error), Some(network_node_range_mismatch),
    needs: [Workers],
    summary: "A node pod-range size the managed service does not give.",
    what: "`nodeCIDRMaskSize` against what the service gives each node: {platform.nodeRange}.",
    why: "The pod range holds as many nodes as it has node ranges of the size the provider really cuts: a plan that counts smaller ones than the provider's counts nodes the range cannot hold.",
    fix: "Set `nodeCIDRMaskSize` to the provider's size, and size the pod range for it.",
    near_miss: [("nodeCIDRMaskSize: 23", "nodeCIDRMaskSize: 24")],
}

fn network_node_range_mismatch(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    let prof = ctx.catalog.platform(p.spec.platform);
    let (Some(rule), Some(n), true) = (
        prof.network.as_ref().and_then(|n| n.node_range),
        &p.spec.network,
        p.managed(),
    ) else {
        return vec![];
    };
    if n.pod_cidr.is_none() {
        return vec![];
    }
    let Some(pool) = p
        .spec
        .workers
        .iter()
        .max_by_key(|w| ctx.catalog.max_pods(w))
    else {
        return vec![];
    };
    let want = rule.prefix(ctx.catalog.max_pods(pool));
    let have = n.node_cidr_mask_size.unwrap_or(24);
    if have == want {
        return vec![];
    }
    vec![Hit::new(
        "spec.network.nodeCIDRMaskSize",
        format!(
            "{} gives each node of pool `{}` (maxPods {}) a /{want}, not the plan's /{have}",
            prof.title,
            pool.name,
            ctx.catalog.max_pods(pool)
        ),
        format!("set nodeCIDRMaskSize: {want} and size the pod range for it"),
    )]
}

rule! {
    POOL_OVER_PLATFORM_LIMIT: "pool-over-platform-limit", Always(Error), Some(pool_over_platform_limit),
    needs: [Workers, Zones],
    summary: "A node pool larger than the managed service allows, or max pods below its minimum.",
    what: "Each pool of an EKS, GKE or AKS plan: its nodes against the service's nodes per pool ({platform.poolLimits}), and its maxPods against the service's lowest ({platform.minMaxPods}).",
    why: "The service refuses a pool past its size (gcloud would split `--num-nodes` over pools it names itself, and the plan would not be what runs).",
    fix: "Split the pool (`kubeplan design` does), or raise maxPods to the service's minimum.",
    near_miss: [("nodes: 1200", "nodes: 900")],
}

fn pool_over_platform_limit(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    if !p.managed() {
        return vec![];
    }
    let limits = ctx.catalog.limits(p.spec.platform, true);
    let prof = ctx.catalog.platform(p.spec.platform);
    let min_pods = prof.network.as_ref().and_then(|n| n.min_max_pods);
    let mut hits = Vec::new();
    for (i, w) in p.spec.workers.iter().enumerate() {
        let most = crate::plan::spread(w.nodes, &p.pool_zones(w))
            .into_iter()
            .max_by_key(|(_, n)| *n);
        if let (Some(limit), Some((zone, n))) = (limits.max_nodes_per_pool_per_zone, most) {
            if u64::from(n) > limit {
                hits.push(Hit::new(format!("spec.workers[{i}].nodes"), format!("pool `{}` puts {} nodes in {zone}; {} takes at most {} per pool in each zone", w.name, num(u64::from(n)), prof.title, num(limit)), "split the pool into pools of at most that many nodes per zone"));
            }
        }
        if let Some(limit) = limits
            .max_nodes_per_pool
            .filter(|l| u64::from(w.nodes) > *l)
        {
            hits.push(Hit::new(
                format!("spec.workers[{i}].nodes"),
                format!(
                    "pool `{}` has {} nodes; {} takes at most {} per pool",
                    w.name,
                    num(u64::from(w.nodes)),
                    prof.title,
                    num(limit)
                ),
                "split the pool into pools of at most that many nodes",
            ));
        }
        if let (Some(min), Some(m)) = (min_pods, w.max_pods) {
            if m < min {
                hits.push(Hit::new(
                    format!("spec.workers[{i}].maxPods"),
                    format!(
                        "pool `{}` sets maxPods {m}; {} takes {min} or more",
                        w.name, prof.title
                    ),
                    format!("set maxPods to {min} or more"),
                ));
            }
        }
    }
    hits
}

rule! {
    CLUSTER_NODES_OVER_QUOTA: "cluster-nodes-over-quota", Always(Warning), Some(cluster_nodes_over_quota),
    needs: [Workers],
    summary: "More nodes than a managed service allows without a quota increase.",
    what: "The plan's nodes against the service's node quota ({platform.nodeQuota}; on GKE, current versions also want a regional cluster with private nodes or Private Service Connect past it).",
    why: "The cluster stops growing at the quota, under load, when the autoscaler asks for the node past it.",
    fix: "Ask the provider for the quota before creating the cluster, or split the workload over clusters.",
    near_miss: [("nodes: 2550", "nodes: 2400")],
}

fn cluster_nodes_over_quota(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    let limits = ctx.catalog.limits(p.spec.platform, p.managed());
    let Some(quota) = limits
        .node_quota
        .filter(|q| p.managed() && p.k8s_nodes() > *q)
    else {
        return vec![];
    };
    vec![Hit::new(
        "spec.workers",
        format!("{} nodes: {} clusters of more than {} nodes need a quota increase", num(p.k8s_nodes()), ctx.catalog.platform(p.spec.platform).title, num(quota)),
        "ask the provider for the quota before creating the cluster, or split the workload over clusters",
    )]
}

/// The figures the platform rules' docs name, rendered from the catalog:
/// `{platform.servicePrefix}` and the others below.
pub fn fact(c: &crate::catalog::Catalog, key: &str) -> Option<String> {
    let managed = || {
        c.platforms().filter_map(|(_, p)| {
            let tool = p.tooling.managed?.as_str().to_uppercase();
            Some((tool, p))
        })
    };
    let list = |f: &dyn Fn(&crate::catalog::PlatformProfile) -> Option<String>| {
        let parts: Vec<String> = managed()
            .filter_map(|(t, p)| f(p).map(|v| format!("{t} {v}")))
            .collect();
        crate::prose::and_list(&parts)
    };
    let net = |p: &crate::catalog::PlatformProfile| p.network.clone();
    let lim = |p: &crate::catalog::PlatformProfile| p.limits.managed.clone();
    Some(match key {
        "platform.servicePrefix" => list(&|p| net(p)?.service_prefix.map(|b| b.describe())),
        "platform.podPrefix" => list(&|p| net(p)?.pod_prefix.map(|b| b.describe())),
        "platform.serviceWithin" => list(&|p| {
            let w = net(p)?.service_within;
            (!w.is_empty()).then(|| {
                format!(
                    "in {}",
                    w.iter()
                        .map(|x| x.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
        }),
        "platform.reserved" => list(&|p| {
            let r = net(p)?.reserved;
            (!r.is_empty()).then(|| {
                r.iter()
                    .map(|x| format!("{} ({})", x.cidr, x.what))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
        }),
        "platform.nodeRange" => list(&|p| {
            let rule = net(p)?.node_range?;
            let pods = c.kubernetes.kubelet_max_pods;
            Some(match rule {
                crate::catalog::NodeRange::TwiceMaxPods => format!(
                    "twice the node's max pods rounded up to a power of two ({pods} pods: /{})",
                    rule.prefix(pods)
                ),
                crate::catalog::NodeRange::Fixed { prefix } => format!("a fixed /{prefix}"),
            })
        }),
        "platform.poolLimits" => list(&|p| {
            let l = lim(p)?;
            match (l.max_nodes_per_pool, l.max_nodes_per_pool_per_zone) {
                (_, Some(z)) => Some(format!("{} per pool in each zone", num(z))),
                (Some(m), None) => Some(format!("{} per pool", num(m))),
                _ => None,
            }
        }),
        "platform.minMaxPods" => list(&|p| net(p)?.min_max_pods.map(|m| m.to_string())),
        "platform.nodeQuota" => {
            list(&|p| lim(p)?.node_quota.map(|q| format!("past {} nodes", num(q))))
        }
        "platform.azureZones" => {
            let azure = c.platform(crate::plan::Platform::Azure);
            let zones = azure.design_zones();
            let ids: Vec<String> = zones
                .iter()
                .filter_map(|z| z.rsplit_once('-').map(|(_, n)| n.to_string()))
                .collect();
            crate::prose::and_list(&ids)
        }
        _ => return None,
    })
}
