//! Sizing a workload: the pods to size for, the worker count that survives
//! the worst failure, and every instance type of a catalog ranked by cost.

use super::{allocatable, eni_max_pods, node_pod_limit_for, pods_per_node, reserved_for_pods};
use std::borrow::Cow;

use crate::catalog::{Catalog, InstanceType};
use crate::plan::{Platform, PodRequests};

/// A workload to size: pods at peak, their average requests, and the shape
/// of the cluster around them.
#[derive(Debug, Clone, PartialEq)]
pub struct Demand {
    pub pods: u64,
    pub requests: PodRequests,
    pub zones: u32,
    pub burst: bool,
    pub production: bool,
    /// Whether the provider runs the control plane (selects the limits).
    pub managed: bool,
    /// The node architectures allowed.
    pub arch: crate::plan::ArchChoice,
    /// EKS: the VPC CNI assigns /28 prefixes instead of single addresses.
    pub prefix_delegation: bool,
    /// The types a ranking considers.
    pub types: super::TypeFilter,
}

/// Pods to size for: the peak, plus the burst headroom for bursty traffic.
pub fn effective_pods(c: &Catalog, pods: u64, burst: bool) -> u64 {
    if burst {
        (pods as f64 * (1.0 + c.kubernetes.sizing.burst_headroom)).ceil() as u64
    } else {
        pods
    }
}

/// Worker nodes for `pods` at `per_node` pods each: enough for the pods, one
/// spare (N+1), and in production with 2+ zones enough that losing the zone
/// with the most nodes (round-robin placement) still leaves room for them all.
pub fn workers_for(pods: u64, per_node: u64, zones: u32, production: bool) -> u64 {
    if pods == 0 {
        return 0;
    }
    let per_node = per_node.max(1);
    let base = pods.div_ceil(per_node);
    let mut n = base + 1;
    if production && zones >= 2 {
        let z = u64::from(zones);
        // n - ceil(n / z) >= base  <=>  n >= base * z / (z - 1), then settle.
        n = n.max((base * z).div_ceil(z - 1).saturating_sub(1));
        while n - n.div_ceil(z) < base {
            n += 1;
        }
    }
    n
}

/// The max pods a node of this instance type starts from. On EKS the ENI
/// formula is the platform's own figure for the type (m5.large: 29),
/// within the recommended 110 / 250. Elsewhere upstream's figure,
/// min(110, pods-per-core x vCPUs), within the platform's limit; on a
/// managed service with a per-node maximum of its own (GKE 256, AKS 250)
/// at least the service's lowest, and `size` raises it only where more
/// pods fit (`node_max_pods`).
pub fn instance_max_pods(
    c: &Catalog,
    platform: Platform,
    managed: bool,
    inst: &InstanceType,
) -> u32 {
    let limit = node_pod_limit_for(c, platform, managed, inst.cpu, Some(inst));
    if eni_max_pods(c, platform, managed, Some(inst)).is_some() {
        return limit.max(1);
    }
    let per_core = (f64::from(c.kubernetes.pods_per_core) * inst.cpu).floor() as u32;
    let upstream = c.kubernetes.kubelet_max_pods.min(per_core).min(limit);
    match managed && c.limits(platform, true).hard_max_pods_per_node.is_some() {
        true => upstream.max(min_max_pods(c, platform)),
        false => upstream.max(1),
    }
}

/// The lowest max pods the managed service takes (GKE 8, AKS 10).
fn min_max_pods(c: &Catalog, platform: Platform) -> u32 {
    c.platform(platform)
        .network
        .as_ref()
        .and_then(|n| n.min_max_pods)
        .unwrap_or(1)
}

/// What a node of this type gives pods: allocatable after the platform's
/// reservation for `reserve` pods, and for a burstable type no more CPU than
/// its baseline sustains (less what the node reserves).
pub fn sized_allocatable(
    c: &Catalog,
    platform: Platform,
    inst: &InstanceType,
    reserve: u32,
) -> crate::sizing::Allocatable {
    let mut alloc = allocatable(c.platform(platform), inst.cpu, inst.memory_gib, reserve);
    if let Some(b) = inst.baseline_cpu {
        let sustained = inst.cpu * b - alloc.reserved_cpu_millicores / 1000.0;
        alloc.cpu = alloc.cpu.min(sustained.max(0.0));
    }
    alloc
}

/// One instance type sized for a demand.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Choice {
    pub instance_type: String,
    pub family: String,
    pub arch: crate::plan::Arch,
    pub cpu: f64,
    #[serde(rename = "memoryGiB")]
    pub memory_gib: f64,
    pub max_pods: u32,
    pub allocatable_cpu: f64,
    #[serde(rename = "allocatableMemoryGiB")]
    pub allocatable_memory_gib: f64,
    pub pods_per_node: u64,
    pub nodes: u64,
    /// Clusters the nodes need (more than one when a cluster's limits are passed).
    pub clusters: u64,
    /// Requested / allocatable CPU over the pool.
    pub cpu_efficiency: f64,
    pub memory_efficiency: f64,
    pub price_per_hour: Option<f64>,
    pub monthly_cost: Option<f64>,
    pub monthly_cost_per_pod: Option<f64>,
    /// Burstable types: the share of each vCPU sized for (its baseline).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_cpu: Option<f64>,
}

/// What every node gives its DaemonSets before it runs a pod: their CPU and
/// memory requests, and the pod slots they take.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Overhead {
    pub cpu: f64,
    #[serde(rename = "memoryGiB")]
    pub memory_gib: f64,
    pub pods: u32,
    pub daemon_sets: Vec<String>,
}

/// The DaemonSets every node of a platform runs (the CNI agent included).
pub fn node_overhead(c: &Catalog, platform: Platform) -> Overhead {
    let all: Vec<&crate::catalog::DaemonSet> = c
        .kubernetes
        .sizing
        .daemon_sets
        .iter()
        .chain(std::iter::once(&c.platform(platform).cni_agent))
        .collect();
    Overhead {
        cpu: all.iter().map(|d| d.cpu).sum(),
        memory_gib: all.iter().map(|d| d.memory_mib).sum::<f64>() / 1024.0,
        pods: all.len() as u32,
        daemon_sets: all.iter().map(|d| d.name.clone()).collect(),
    }
}

/// The most pods one production node may carry: its share of the workload
/// (the blast radius of losing it), never below the floor.
pub fn blast_radius_cap(c: &Catalog, pods: u64) -> u64 {
    let s = &c.kubernetes.sizing;
    ((pods as f64 * s.blast_radius_share).ceil() as u64).max(s.blast_radius_min_pods)
}

/// Pods one node of this type holds for a demand: after its DaemonSets'
/// requests and pod slots, and in production within the blast radius.
pub fn pods_per_sized_node(
    c: &Catalog,
    platform: Platform,
    d: &Demand,
    alloc: &crate::sizing::Allocatable,
    max_pods: u32,
) -> u64 {
    // The sums of node_overhead, without its names (this runs per type).
    let all = c
        .kubernetes
        .sizing
        .daemon_sets
        .iter()
        .chain(std::iter::once(&c.platform(platform).cni_agent));
    let (cpu, mib, pods) = all.fold((0.0, 0.0, 0u32), |(c, m, n), d| {
        (c + d.cpu, m + d.memory_mib, n + 1)
    });
    let left = crate::sizing::Allocatable {
        cpu: (alloc.cpu - cpu).max(0.0),
        memory_gib: (alloc.memory_gib - mib / 1024.0).max(0.0),
        ..*alloc
    };
    let per_node = pods_per_node(&left, max_pods.saturating_sub(pods), Some(&d.requests));
    if d.production {
        per_node.min(blast_radius_cap(c, effective_pods(c, d.pods, d.burst)))
    } else {
        per_node
    }
}

/// A node's max pods and the pods its memory reservation counts. Prefix
/// delegation: the prefix formula within the recommended cap (the retired
/// AL2 calculator's 110 / 250), while nodeadm still reserves for the ENI
/// figure it computes from the type. GKE and AKS: kubelet's 110, or the
/// pods that fit (plus the DaemonSets) where more do, up to the service's
/// maximum.
fn node_max_pods(c: &Catalog, platform: Platform, d: &Demand, inst: &InstanceType) -> (u32, u32) {
    let reserve = |m: u32| reserved_for_pods(c, platform, d.managed, Some(inst), m);
    if eni_max_pods(c, platform, d.managed, Some(inst)).is_some() && d.prefix_delegation {
        let cap = node_pod_limit_for(c, platform, d.managed, inst.cpu, None);
        let pd = inst.eni_prefix_max_pods().unwrap_or(cap).min(cap);
        return (pd, reserve(pd));
    }
    let base = instance_max_pods(c, platform, d.managed, inst);
    let hard = c.limits(platform, d.managed).hard_max_pods_per_node;
    match hard.filter(|_| d.managed && eni_max_pods(c, platform, true, Some(inst)).is_none()) {
        Some(hard) => {
            let alloc = sized_allocatable(c, platform, inst, reserve(hard));
            let fits = pods_per_sized_node(c, platform, d, &alloc, hard);
            let daemons = c.kubernetes.sizing.daemon_sets.len() as u32 + 1;
            let m = u32::try_from(fits)
                .unwrap_or(u32::MAX)
                .saturating_add(daemons);
            let m = m.clamp(base, hard.max(base));
            (m, reserve(m))
        }
        None => (base, reserve(base)),
    }
}

/// Sizes one instance type for a demand; None when not even one pod fits.
pub fn size_instance(
    c: &Catalog,
    platform: Platform,
    d: &Demand,
    inst: &InstanceType,
) -> Option<Choice> {
    let (max_pods, reserve) = node_max_pods(c, platform, d, inst);
    let alloc = sized_allocatable(c, platform, inst, reserve);
    let per_node = pods_per_sized_node(c, platform, d, &alloc, max_pods);
    if per_node == 0 {
        return None;
    }
    let pods = effective_pods(c, d.pods, d.burst);
    let limits = c.limits(platform, d.managed);
    let clusters = clusters_needed(
        limits,
        c.kubernetes.sizing.ha_control_plane_nodes,
        pods,
        per_node,
    );
    let per_cluster = pods.div_ceil(clusters);
    let nodes = workers_for(per_cluster, per_node, d.zones, d.production) * clusters;
    let monthly = inst
        .price_per_hour
        .map(|p| p * c.kubernetes.sizing.hours_per_month * nodes as f64);
    Some(Choice {
        instance_type: inst.name.to_string(),
        family: inst.family.to_string(),
        arch: inst.arch,
        cpu: inst.cpu,
        memory_gib: inst.memory_gib,
        max_pods,
        allocatable_cpu: alloc.cpu,
        allocatable_memory_gib: alloc.memory_gib,
        pods_per_node: per_node,
        nodes,
        clusters,
        cpu_efficiency: pods as f64 * d.requests.cpu / (nodes as f64 * alloc.cpu),
        memory_efficiency: pods as f64 * d.requests.memory_gib / (nodes as f64 * alloc.memory_gib),
        price_per_hour: inst.price_per_hour,
        monthly_cost: monthly,
        monthly_cost_per_pod: monthly.map(|m| m / d.pods.max(1) as f64),
        baseline_cpu: inst.baseline_cpu,
    })
}

/// Clusters a workload needs to stay within one cluster's pod and node limits
/// (node limit less the 3 control-plane nodes an HA cluster adds).
pub fn clusters_needed(
    limits: &crate::catalog::Limits,
    cp_nodes: u64,
    pods: u64,
    per_node: u64,
) -> u64 {
    let by_pods = pods.div_ceil(limits.max_pods.max(1));
    let worker_room = limits.max_nodes.saturating_sub(cp_nodes).max(1);
    let by_nodes = pods.div_ceil(per_node.max(1)).div_ceil(worker_room);
    by_pods.max(by_nodes).max(1)
}

/// What a choice costs, to rank by: its monthly price where the catalog has
/// prices, else its vCPUs and memory by the platform's cost model (1 GiB
/// weighs `perGiB` of a vCPU), else its vCPUs.
pub fn rank_cost(c: &Catalog, platform: Platform, x: &Choice) -> f64 {
    let per_gib = c
        .platform(platform)
        .cost_model
        .as_ref()
        .map_or(0.0, |m| m.per_gib);
    x.monthly_cost
        .unwrap_or(x.nodes as f64 * (x.cpu + per_gib * x.memory_gib))
}

/// Every catalog instance the demand's filter keeps, sized for it, cheapest
/// first ([`rank_cost`]; ties go to less memory, then fewer nodes). Where
/// the region has prices, a type without one is left out: it cannot be
/// ranked by cost.
pub fn rank_instances(c: &Catalog, platform: Platform, d: &Demand) -> Vec<Choice> {
    let out: Vec<Choice> = candidates(c, platform, d)
        .filter_map(|(_, i)| size_instance(c, platform, d, &i))
        .collect();
    ranked(c, platform, out)
}

/// The first `k` of [`rank_instances`], sizing only the types that can
/// still be among them: each type's cost has a floor (its nominal vCPUs and
/// memory hold at most so many pods, so it needs at least so many nodes),
/// and types are sized cheapest floor first until the next floor is above
/// the k-th cost found. The same answer, without sizing a thousand types
/// for a table of ten.
pub fn rank_instances_top(c: &Catalog, platform: Platform, d: &Demand, k: usize) -> Vec<Choice> {
    let pods = effective_pods(c, d.pods, d.burst);
    let per_gib = c
        .platform(platform)
        .cost_model
        .as_ref()
        .map_or(0.0, |m| m.per_gib);
    let hours = c.kubernetes.sizing.hours_per_month;
    let floor = |i: &InstanceType| {
        let fit = |have: f64, each: f64| {
            if each > 0.0 {
                (have / each).floor()
            } else {
                f64::INFINITY
            }
        };
        let per_node = fit(i.cpu, d.requests.cpu).min(fit(i.memory_gib, d.requests.memory_gib));
        let nodes = (pods as f64 / per_node).ceil();
        nodes
            * i.price_per_hour
                .map_or(i.cpu + per_gib * i.memory_gib, |p| p * hours)
    };
    // Only the floors are kept, not the types: a few are built again and
    // sized.
    let all = &c.platform(platform).instances;
    let mut order: Vec<(f64, usize)> = candidates(c, platform, d)
        .map(|(n, i)| (floor(&i), n))
        .collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut costs: Vec<f64> = Vec::new();
    let mut out = Vec::new();
    for (lb, n) in order {
        if costs.len() >= k && lb > costs[k - 1] {
            break;
        }
        let Some(i) = all.at(n) else { continue };
        if let Some(x) = size_instance(c, platform, d, &i) {
            let cost = rank_cost(c, platform, &x);
            costs.insert(costs.partition_point(|c| *c <= cost), cost);
            out.push(x);
        }
    }
    let mut all = ranked(c, platform, out);
    all.truncate(k);
    all
}

/// The types a demand's filter keeps; where the region has prices, only
/// priced ones (a type without one cannot be ranked by cost).
pub fn candidates<'a>(
    c: &'a Catalog,
    platform: Platform,
    d: &'a Demand,
) -> impl Iterator<Item = (usize, Cow<'a, InstanceType>)> {
    let prof = c.platform(platform);
    let all = &prof.instances;
    let priced = all.each().any(|i| i.price_per_hour.is_some());
    all.each()
        .enumerate()
        .filter(move |(_, i)| prof.unusable(i).is_none())
        .filter(move |(_, i)| d.types.allows(i) && (!priced || i.price_per_hour.is_some()))
        .filter(move |(_, i)| !(d.production && i.family == "burstable"))
        .filter(move |(_, i)| d.arch.allows(i.arch))
}

/// Choices cheapest first ([`rank_cost`]; ties to less memory, fewer
/// nodes, then the name). The keys are computed once (the cost reads the
/// platform's cost model) and the order sorted, not the large choices.
fn ranked(c: &Catalog, platform: Platform, out: Vec<Choice>) -> Vec<Choice> {
    let mut order: Vec<(f64, f64, u64, usize)> = out
        .iter()
        .enumerate()
        .map(|(n, x)| {
            (
                rank_cost(c, platform, x),
                x.nodes as f64 * x.memory_gib,
                x.nodes,
                n,
            )
        })
        .collect();
    order.sort_by(|a, b| {
        a.0.total_cmp(&b.0)
            .then(a.1.total_cmp(&b.1))
            .then(a.2.cmp(&b.2))
            .then(out[a.3].instance_type.cmp(&out[b.3].instance_type))
    });
    let mut slots: Vec<Option<Choice>> = out.into_iter().map(Some).collect();
    order.iter().filter_map(|o| slots[o.3].take()).collect()
}
