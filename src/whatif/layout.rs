//! Where a plan's machines are, by role and zone: the equivalence classes
//! `whatif` fails (machines of one role, pool and zone are interchangeable,
//! except that the first control-plane nodes may also run the load
//! balancer, and the first load-balancer host holds the virtual IP).

use crate::catalog::Catalog;
use crate::plan::{spread, ClusterPlan, EtcdTopology, LbPlacement, LbType};
use crate::sizing::{control_plane_pods_per_node, pool_pods_per_node};

/// One worker pool's machines.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolLayout {
    pub name: String,
    /// Nodes per zone.
    pub zones: Vec<(String, u32)>,
    /// Pods one node holds at the workload's requests (0: the pool runs none).
    pub pods_per_node: u64,
}

/// The API's way in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// The provider runs it (managed control plane or a cloud load balancer).
    Provider,
    /// No load balancer: clients use the first control-plane node.
    FirstNode,
    /// Load-balancer hosts, the first one the one clients use unless a
    /// virtual IP moves between them.
    Hosts { vip: bool, on_control_plane: bool },
}

/// A plan's machines by role and zone, in placement order.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub managed: bool,
    /// A managed control plane that lives in one zone (GKE zonal).
    pub zonal_control_plane: Option<String>,
    pub control_plane: Vec<(String, u32)>,
    /// etcd members: external ones, or the control-plane nodes when stacked.
    pub etcd: Vec<(String, u32)>,
    pub stacked: bool,
    pub entry: Entry,
    /// Load-balancer hosts per zone (for `Hosts`; on the control plane these
    /// are the first control-plane nodes).
    pub lb: Vec<(String, u32)>,
    pub pools: Vec<PoolLayout>,
    /// Pods a schedulable control-plane node holds (0 when not schedulable).
    pub cp_pods_per_node: u64,
    /// Storage servers by group.
    pub storage: Vec<super::storage::StorageGroup>,
    /// Every zone any machine is in, in first-seen order.
    pub zones: Vec<String>,
}

impl Layout {
    pub fn of(c: &Catalog, plan: &ClusterPlan) -> Layout {
        let managed = plan.managed();
        let control_plane = match managed {
            true => Vec::new(),
            false => spread(plan.cp_nodes(), &plan.cp_zones()),
        };
        let stacked = plan.etcd_topology() == Some(EtcdTopology::Stacked);
        let etcd = match plan.etcd_topology() {
            Some(EtcdTopology::External) => spread(plan.etcd_members(), &plan.etcd_zones()),
            Some(_) => control_plane.clone(),
            None => Vec::new(),
        };
        let (entry, lb) = entry(plan, managed);
        let pools = plan
            .spec
            .workers
            .iter()
            .map(|p| PoolLayout {
                name: p.name.clone(),
                zones: spread(p.nodes, &plan.pool_zones(p)),
                pods_per_node: match p.runs_workload() {
                    true => pool_pods_per_node(c, plan, p),
                    false => 0,
                },
            })
            .collect::<Vec<_>>();
        let zonal = plan.spec.tooling == Some(crate::plan::Tooling::Gke)
            && managed
            && plan.spec.purpose != crate::plan::Purpose::Production;
        let storage = super::storage::StorageGroup::of(plan);
        let mut zones: Vec<String> = Vec::new();
        let all = control_plane
            .iter()
            .chain(&etcd)
            .chain(&lb)
            .chain(pools.iter().flat_map(|p| &p.zones))
            .chain(storage.iter().flat_map(|g| &g.zones));
        for (z, n) in all {
            if *n > 0 && !zones.contains(z) {
                zones.push(z.clone());
            }
        }
        Layout {
            managed,
            zonal_control_plane: zonal.then(|| plan.zones()[0].clone()),
            control_plane,
            etcd,
            stacked,
            entry,
            lb,
            pools,
            cp_pods_per_node: control_plane_pods_per_node(c, plan),
            storage,
            zones,
        }
    }

    pub fn etcd_total(&self) -> u32 {
        self.etcd.iter().map(|(_, n)| n).sum()
    }

    pub fn cp_total(&self) -> u32 {
        self.control_plane.iter().map(|(_, n)| n).sum()
    }

    pub fn lb_total(&self) -> u32 {
        self.lb.iter().map(|(_, n)| n).sum()
    }
}

fn entry(plan: &ClusterPlan, managed: bool) -> (Entry, Vec<(String, u32)>) {
    if managed {
        return (Entry::Provider, Vec::new());
    }
    let Some(lb) = plan.spec.api_load_balancer.as_ref() else {
        return (Entry::FirstNode, Vec::new());
    };
    match lb.kind {
        LbType::Cloud => (Entry::Provider, Vec::new()),
        LbType::None => (Entry::FirstNode, Vec::new()),
        _ => {
            let on_cp = lb.placement == Some(LbPlacement::ControlPlane);
            let n = lb.replica_count();
            let hosts = match on_cp {
                // The first n control-plane nodes, in placement order.
                true => first_of(&spread(plan.cp_nodes(), &plan.cp_zones()), n),
                false => spread(n, &plan.zones()),
            };
            let vip = lb.virtual_ip && n > 1;
            (
                Entry::Hosts {
                    vip,
                    on_control_plane: on_cp,
                },
                hosts,
            )
        }
    }
}

/// The first `n` machines of a round-robin placement, per zone: machine k
/// is in zone k mod zones.
pub fn first_of(placement: &[(String, u32)], n: u32) -> Vec<(String, u32)> {
    let zones = placement.len().max(1) as u32;
    placement
        .iter()
        .enumerate()
        .map(|(i, (z, have))| {
            let i = i as u32;
            let taken = n / zones + u32::from(i < n % zones);
            (z.clone(), taken.min(*have))
        })
        .collect()
}
