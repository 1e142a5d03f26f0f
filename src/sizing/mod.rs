//! The sizing engine: pure functions over the catalog. What a node keeps for
//! itself, how many pods a node holds, and what a plan's workers can hold.
//! `lint`'s capacity rules, `bom`, `size` and `design` all use these.

use crate::catalog::{
    Catalog, CpuReservation, InstanceType, MemoryReservation, PlatformProfile, VpcNetwork,
};
use crate::plan::{spread, view::merge_zones, ClusterPlan, Platform, PodRequests, WorkerPool};

mod filter;
mod rank;
pub use filter::*;
pub use rank::*;

/// What a machine offers to pods after the platform's reservation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Allocatable {
    /// vCPUs left for pods.
    pub cpu: f64,
    /// GiB left for pods.
    pub memory_gib: f64,
    pub reserved_cpu_millicores: f64,
    /// Reserved memory, eviction threshold included.
    pub reserved_memory_mib: f64,
}

/// CPU the platform reserves on a machine of `cores` vCPUs, in millicores.
pub fn reserved_cpu_millicores(r: &CpuReservation, cores: f64) -> f64 {
    match r {
        CpuReservation::Tiered { tiers } => tiered(tiers, cores) * 1000.0,
        CpuReservation::Table { table } => table
            .iter()
            .rev()
            .find(|e| e.cores <= cores)
            .or(table.first())
            .map_or(0.0, |e| e.millicores),
    }
}

/// Memory the platform reserves (eviction threshold not included), in MiB.
pub fn reserved_memory_mib(r: &MemoryReservation, memory_gib: f64, max_pods: u32) -> f64 {
    match r {
        MemoryReservation::Tiered {
            small_machine_gib,
            small_machine_mib,
            tiers,
        } => {
            if memory_gib <= *small_machine_gib {
                *small_machine_mib
            } else {
                tiered(tiers, memory_gib) * 1024.0
            }
        }
        MemoryReservation::PerPod {
            per_pod_mib,
            base_mib,
        } => per_pod_mib * f64::from(max_pods) + base_mib,
        MemoryReservation::PerPodCapped {
            per_pod_mib,
            base_mib,
            max_fraction,
        } => (per_pod_mib * f64::from(max_pods) + base_mib).min(max_fraction * memory_gib * 1024.0),
    }
}

/// Sum of `fraction` over each range of `amount` (ranges end at `up_to`).
fn tiered(tiers: &[crate::catalog::FractionTier], amount: f64) -> f64 {
    let mut lower = 0.0;
    let mut total = 0.0;
    for t in tiers {
        let upper = t.up_to.unwrap_or(f64::INFINITY);
        if amount > lower {
            total += (amount.min(upper) - lower) * t.fraction;
        }
        lower = upper;
    }
    total
}

/// Allocatable CPU and memory of a machine on a platform.
pub fn allocatable(p: &PlatformProfile, cpu: f64, memory_gib: f64, max_pods: u32) -> Allocatable {
    let cpu_m = reserved_cpu_millicores(&p.reservation.cpu, cpu);
    let mem_mib = reserved_memory_mib(&p.reservation.memory, memory_gib, max_pods)
        + p.reservation.eviction_mi_b;
    Allocatable {
        cpu: (cpu - cpu_m / 1000.0).max(0.0),
        memory_gib: (memory_gib - mem_mib / 1024.0).max(0.0),
        reserved_cpu_millicores: cpu_m,
        reserved_memory_mib: mem_mib,
    }
}

/// Pods one node holds: the smaller of its max pods and what its allocatable
/// CPU and memory hold at the given per-pod requests.
pub fn pods_per_node(alloc: &Allocatable, max_pods: u32, requests: Option<&PodRequests>) -> u64 {
    let mut n = u64::from(max_pods);
    if let Some(r) = requests {
        if r.cpu > 0.0 {
            n = n.min(fit(alloc.cpu, r.cpu));
        }
        if r.memory_gib > 0.0 {
            n = n.min(fit(alloc.memory_gib, r.memory_gib));
        }
    }
    n
}

/// How many requests of `each` fit in `have`, robust to float error (0.75/0.25 is 3).
fn fit(have: f64, each: f64) -> u64 {
    ((have / each) + 1e-9).floor().max(0.0) as u64
}

/// The per-node pod limit of a platform for a machine of `cpu` vCPUs: the
/// provider's (or upstream's) limit, and on EKS also the instance type's ENI
/// limit where the catalog knows the type.
pub fn node_pod_limit_for(
    c: &Catalog,
    platform: Platform,
    managed: bool,
    cpu: f64,
    inst: Option<&InstanceType>,
) -> u32 {
    let limits = c.limits(platform, managed);
    let limit = match &limits.large_node {
        Some(l) if cpu > l.above_cpu => l.max_pods_per_node,
        _ => limits.max_pods_per_node,
    };
    match inst.and_then(|i| i.eni_max_pods()) {
        Some(eni) if managed && c.platform(platform).eni_max_pods => limit.min(eni),
        _ => limit,
    }
}

/// The most pods a node of this pool can run at all: the platform's hard
/// maximum (GKE 256, AKS 250), on EKS also the instance type's ENI limit;
/// None where the kubelet accepts any `--max-pods` (self-managed).
pub fn node_pod_hard_limit(c: &Catalog, plan: &ClusterPlan, pool: &WorkerPool) -> Option<u32> {
    let platform = plan.spec.platform;
    let hard = c.limits(platform, plan.managed()).hard_max_pods_per_node;
    let eni = pool
        .instance_type
        .as_deref()
        .and_then(|t| c.instance(platform, t))
        .and_then(|i| i.eni_max_pods())
        .filter(|_| plan.managed() && c.platform(platform).eni_max_pods);
    match (hard, eni) {
        (Some(h), Some(e)) => Some(h.min(e)),
        (h, e) => h.or(e),
    }
}

/// The per-node pod limit kubeplan recommends for a pool of a plan.
pub fn node_pod_limit(c: &Catalog, plan: &ClusterPlan, pool: &WorkerPool) -> u32 {
    let platform = plan.spec.platform;
    let inst = pool
        .instance_type
        .as_deref()
        .and_then(|t| c.instance(platform, t));
    node_pod_limit_for(c, platform, plan.managed(), pool.machine.cpu, inst)
}

/// The ENI max pods of an instance type where the platform derives max pods
/// from it (EKS with the VPC CNI): ENIs x (IPv4 per ENI - 1) + 2.
pub fn eni_max_pods(
    c: &Catalog,
    platform: Platform,
    managed: bool,
    inst: Option<&InstanceType>,
) -> Option<u32> {
    let eni = managed && c.platform(platform).eni_max_pods;
    inst.and_then(|i| i.eni_max_pods()).filter(|_| eni)
}

/// The max pods a node's memory reservation is computed for. EKS's nodeadm
/// reserves 11 MiB x maxPods + 255 MiB with the max pods it computes from
/// the instance type (the ENI formula), whatever kubelet's maxPods is set
/// to; elsewhere the reservation follows the node's max pods.
pub fn reserved_for_pods(
    c: &Catalog,
    platform: Platform,
    managed: bool,
    inst: Option<&InstanceType>,
    max_pods: u32,
) -> u32 {
    eni_max_pods(c, platform, managed, inst).unwrap_or(max_pods)
}

/// VPC addresses one node takes where pods take VPC addresses (EKS's VPC
/// CNI): whole ENIs, each holding its IPv4 quota of the subnet. The CNI
/// attaches ENIs for the pods that take an address (max pods less the
/// host-network ones) plus its warm ENIs, stops once its pod addresses
/// reach max pods, and never attaches more than the type allows. A type
/// the catalog does not know: its own address and one per pod.
pub fn vpc_addresses_per_node(vpc: &VpcNetwork, max_pods: u32, inst: Option<&InstanceType>) -> u64 {
    let (Some(enis), Some(ips)) = (inst.and_then(|i| i.enis), inst.and_then(|i| i.ips_per_eni))
    else {
        return 1 + u64::from(max_pods);
    };
    let pods = max_pods.saturating_sub(vpc.host_network_pods);
    u64::from(vpc_enis(vpc, (enis, ips), pods, max_pods)) * u64::from(ips)
}

/// ENIs the VPC CNI attaches to a node of `limits` (its ENIs, IPv4 per ENI)
/// running `pods` pods that take an address: enough for them plus the
/// warm ENIs, none once the pod addresses reach `max_pods`, never more than
/// the type has (each ENI's first address is its own, not a pod's).
pub fn vpc_enis(vpc: &VpcNetwork, (enis, ips): (u32, u32), pods: u32, max_pods: u32) -> u32 {
    let per_eni = ips.saturating_sub(1).max(1);
    let wanted = pods.div_ceil(per_eni) + vpc.warm_enis;
    enis.min(wanted).min(max_pods.div_ceil(per_eni)).max(1)
}

/// The VPC addresses each zone's nodes take: every pool spread round-robin
/// over its zones.
pub fn vpc_zone_need(c: &Catalog, plan: &ClusterPlan) -> Vec<(String, u64)> {
    let mut parts = Vec::new();
    for pool in &plan.spec.workers {
        let inst = pool
            .instance_type
            .as_deref()
            .and_then(|t| c.instance(plan.spec.platform, t));
        let Some(vpc) = c.platform(plan.spec.platform).vpc.as_ref() else {
            return Vec::new();
        };
        let each = vpc_addresses_per_node(vpc, c.max_pods(pool), inst);
        for (zone, n) in spread(pool.nodes, &plan.pool_zones(pool)) {
            parts.push((zone, (u64::from(n) * each) as f64));
        }
    }
    merge_zones(parts)
        .into_iter()
        .map(|(z, v)| (z, v as u64))
        .collect()
}

/// The private subnet eksctl derives for zone `index` of `named` zones from
/// a VPC range: the range split evenly into 8 (16 past 8) subnets, public
/// ones first, then private (eksctl pkg/vpc SplitInto8/SplitInto16).
pub fn eksctl_private_subnet(
    vpc: ipnet::Ipv4Net,
    named: usize,
    index: usize,
) -> Option<ipnet::Ipv4Net> {
    let bits = match 2 * named {
        0..=8 => 3,
        9..=16 => 4,
        _ => return None,
    };
    vpc.subnets(vpc.prefix_len() + bits)
        .ok()?
        .nth(index + named)
}

/// Addresses a subnet gives nodes and pods.
pub fn subnet_capacity(subnet: ipnet::Ipv4Net, reserved: u64) -> u64 {
    (1u64 << (32 - u32::from(subnet.prefix_len()))).saturating_sub(reserved)
}

/// Pods one node of a pool holds in this plan.
pub fn pool_pods_per_node(c: &Catalog, plan: &ClusterPlan, pool: &WorkerPool) -> u64 {
    let hard = node_pod_hard_limit(c, plan, pool).unwrap_or(u32::MAX);
    let max_pods = c.max_pods(pool).min(hard);
    let platform = plan.spec.platform;
    let inst = pool
        .instance_type
        .as_deref()
        .and_then(|t| c.instance(platform, t));
    let reserve = reserved_for_pods(c, platform, plan.managed(), inst, max_pods);
    let alloc = allocatable(
        c.platform(platform),
        pool.machine.cpu,
        pool.machine.memory_gib,
        reserve,
    );
    pods_per_node(&alloc, max_pods, requests(plan))
}

fn requests(plan: &ClusterPlan) -> Option<&PodRequests> {
    plan.spec
        .workload
        .as_ref()
        .and_then(|w| w.pod_requests.as_ref())
}

/// Pods a schedulable control-plane node holds (kubelet default max pods).
pub fn control_plane_pods_per_node(c: &Catalog, plan: &ClusterPlan) -> u64 {
    if plan.managed() || !plan.cp_schedulable() {
        return 0;
    }
    let max_pods = c.limits(plan.spec.platform, false).max_pods_per_node;
    match &plan.spec.control_plane.machine {
        Some(m) => {
            let alloc = allocatable(
                c.platform(plan.spec.platform),
                m.cpu,
                m.memory_gib,
                max_pods,
            );
            pods_per_node(&alloc, max_pods, requests(plan))
        }
        None => u64::from(max_pods),
    }
}

/// Where a plan's pod capacity sits: (zone, pods) and the largest single node.
#[derive(Debug, Clone, PartialEq)]
pub struct Capacity {
    pub by_zone: Vec<(String, u64)>,
    pub largest_node: u64,
}

impl Capacity {
    pub fn total(&self) -> u64 {
        self.by_zone.iter().map(|(_, n)| n).sum()
    }

    /// What is left after the worst single failure: the largest zone when the
    /// plan has several zones, the largest node when it has one.
    pub fn after_failure(&self, zones: usize) -> (u64, String) {
        if zones >= 2 {
            let (zone, lost) = self
                .by_zone
                .iter()
                .max_by_key(|(_, n)| *n)
                .cloned()
                .unwrap_or_default();
            (self.total() - lost, format!("zone {zone}"))
        } else {
            (
                self.total().saturating_sub(self.largest_node),
                "one node".into(),
            )
        }
    }
}

/// The pod capacity of a plan: workers plus schedulable control-plane nodes.
pub fn plan_capacity(c: &Catalog, plan: &ClusterPlan) -> Capacity {
    let mut parts = Vec::new();
    let mut largest = 0;
    for pool in plan.spec.workers.iter().filter(|p| p.runs_workload()) {
        let per = pool_pods_per_node(c, plan, pool);
        if pool.nodes > 0 {
            largest = largest.max(per);
        }
        for (zone, n) in spread(pool.nodes, &plan.pool_zones(pool)) {
            parts.push((zone, (u64::from(n) * per) as f64));
        }
    }
    let cp = control_plane_pods_per_node(c, plan);
    if cp > 0 {
        largest = largest.max(cp);
        for (zone, n) in spread(plan.cp_nodes(), &plan.cp_zones()) {
            parts.push((zone, (u64::from(n) * cp) as f64));
        }
    }
    Capacity {
        by_zone: merge_zones(parts)
            .into_iter()
            .map(|(z, v)| (z, v as u64))
            .collect(),
        largest_node: largest,
    }
}

/// Control-plane machine for a cluster of `nodes` nodes: the kube-up table,
/// never below kubeadm's minimum.
pub fn control_plane_machine(c: &Catalog, nodes: u64) -> (f64, f64) {
    let t = c.control_plane_size(nodes);
    let min = &c.kubernetes.kubeadm_minimum;
    (
        t.cpu.max(min.control_plane_cpu),
        t.memory_gib.max(min.memory_gib),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Platform;

    fn cat() -> &'static Catalog {
        Catalog::builtin()
    }

    #[test]
    fn gke_cpu_tiers() {
        let p = cat().platform(Platform::Gcp);
        // 1 core: 60m; 2: 70m; 4: 80m; 8: 90m; 32: 150m (GKE docs).
        for (cores, m) in [
            (1.0, 60.0),
            (2.0, 70.0),
            (4.0, 80.0),
            (8.0, 90.0),
            (32.0, 150.0),
        ] {
            let got = reserved_cpu_millicores(&p.reservation.cpu, cores);
            assert!((got - m).abs() < 1e-6, "{cores} cores: {got}");
        }
    }

    #[test]
    fn gke_memory_tiers() {
        let p = cat().platform(Platform::Gcp);
        let r = &p.reservation.memory;
        // 0.6 GiB: 255 MiB; 4 GiB: 1 GiB; 8 GiB: 1.8 GiB; 16 GiB: 2.6 GiB; 32 GiB: 3.56 GiB.
        assert_eq!(reserved_memory_mib(r, 0.6, 110), 255.0);
        for (gib, want_gib) in [
            (4.0, 1.0),
            (8.0, 1.8),
            (16.0, 2.6),
            (32.0, 3.56),
            (256.0, 2.6 + 0.06 * 112.0 + 0.02 * 128.0),
        ] {
            let got = reserved_memory_mib(r, gib, 110) / 1024.0;
            assert!((got - want_gib).abs() < 1e-9, "{gib} GiB: {got}");
        }
    }

    #[test]
    fn eks_memory_per_pod() {
        let p = cat().platform(Platform::Aws);
        // m5.large, 29 pods: 11 x 29 + 255 = 574 MiB.
        assert_eq!(reserved_memory_mib(&p.reservation.memory, 8.0, 29), 574.0);
        let a = allocatable(p, 2.0, 8.0, 29);
        assert!((a.reserved_memory_mib - 674.0).abs() < 1e-9);
        assert!((a.reserved_cpu_millicores - 70.0).abs() < 1e-9);
    }

    #[test]
    fn aks_memory_and_cpu() {
        let p = cat().platform(Platform::Azure);
        // 8 GB, 30 pods: min(20 x 30 + 50, 25% of 8 GB) = 650.
        assert_eq!(reserved_memory_mib(&p.reservation.memory, 8.0, 30), 650.0);
        // 2 GB, 110 pods: capped at 25% = 512.
        assert_eq!(reserved_memory_mib(&p.reservation.memory, 2.0, 110), 512.0);
        for (cores, m) in [
            (1.0, 60.0),
            (2.0, 100.0),
            (4.0, 140.0),
            (8.0, 180.0),
            (16.0, 260.0),
            (32.0, 420.0),
            (64.0, 740.0),
            (12.0, 180.0),
        ] {
            assert_eq!(
                reserved_cpu_millicores(&p.reservation.cpu, cores),
                m,
                "{cores} cores"
            );
        }
    }

    #[test]
    fn pods_bound_by_smallest_resource() {
        let a = Allocatable {
            cpu: 1.93,
            memory_gib: 7.34,
            reserved_cpu_millicores: 0.0,
            reserved_memory_mib: 0.0,
        };
        let r = PodRequests {
            cpu: 0.25,
            memory_gib: 0.5,
        };
        assert_eq!(pods_per_node(&a, 110, Some(&r)), 7);
        assert_eq!(pods_per_node(&a, 5, Some(&r)), 5);
        assert_eq!(pods_per_node(&a, 110, None), 110);
        let exact = Allocatable { cpu: 0.75, ..a };
        assert_eq!(pods_per_node(&exact, 110, Some(&r)), 3);
    }
}
