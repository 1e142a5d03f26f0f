//! A plan's workers as nodes to pack onto (`lint PLAN --workloads`): each
//! pool's nodes over its zones as the plan spreads them, allocatable by the
//! platform's reservation, with the platform's DaemonSets on every node.

use std::collections::BTreeMap;

use super::cluster::{Cluster, Node, Pool};
use super::cluster::{Group, HOSTNAME, ZONE};
use super::fit::Relations;
use super::model::{LabelSelector, Op, Req, Res, Spread, Taint, WorkloadSet};
use super::pack::{Packer, Pending};
use super::pools::{ARCH, INSTANCE_TYPE, OS};
use super::size::{groups, order, system_daemons};
use crate::catalog::Catalog;
use crate::plan::{spread, ClusterPlan, WorkerPool};

fn pool(c: &Catalog, plan: &ClusterPlan, w: &WorkerPool) -> Pool {
    let platform = plan.spec.platform;
    let hard = crate::sizing::node_pod_hard_limit(c, plan, w).unwrap_or(u32::MAX);
    let max_pods = c.max_pods(w).min(hard);
    let inst = w
        .instance_type
        .as_deref()
        .and_then(|t| c.instance(platform, t));
    let reserve = crate::sizing::reserved_for_pods(c, platform, plan.managed(), inst, max_pods);
    let a = crate::sizing::allocatable(
        c.platform(platform),
        w.machine.cpu,
        w.machine.memory_gib,
        reserve,
    );
    let mut alloc = Res {
        cpu: (a.cpu * 1000.0).floor() as i64,
        memory: (a.memory_gib * 1_073_741_824.0).floor() as i64,
        ..Res::default()
    };
    if let Some(i) = inst {
        if let Some(r) = c.platform(platform).gpu_resource(i) {
            alloc.set(r, i64::from(i.gpus));
        }
    }
    let (arch, os) = (w.arch.to_string(), w.os.to_string());
    let mut labels = BTreeMap::from([
        (ARCH.to_string(), arch.clone()),
        ("beta.kubernetes.io/arch".to_string(), arch),
        (OS.to_string(), os.clone()),
        ("beta.kubernetes.io/os".to_string(), os),
    ]);
    if let Some(t) = &w.instance_type {
        labels.insert(INSTANCE_TYPE.to_string(), t.clone());
    }
    Pool {
        name: w.name.clone(),
        alloc,
        max_pods,
        labels,
        taints: w.taints.iter().filter_map(|t| Taint::parse(t)).collect(),
        open_zones: Vec::new(),
        instance_type: w.instance_type.clone(),
        price_per_hour: inst.and_then(|i| i.price_per_hour),
        weight: 0.0,
        live: Vec::new(),
    }
}

/// The cluster a plan's workers make.
pub fn plan_cluster(c: &Catalog, plan: &ClusterPlan) -> Cluster {
    let zones = plan.zones();
    let mut cl = Cluster {
        zones: zones.clone(),
        region: c.plan_region(plan),
        ..Cluster::default()
    };
    for w in &plan.spec.workers {
        let p = pool(c, plan, w);
        cl.pools.push(p);
        let pi = cl.pools.len() as u32 - 1;
        let pool_zones = if w.zones.is_empty() {
            zones.clone()
        } else {
            w.zones.clone()
        };
        for (zone, count) in spread(w.nodes, &pool_zones) {
            let z = cl.zones.iter().position(|x| *x == zone).map(|i| i as u32);
            for _ in 0..count {
                let i = cl.nodes.len();
                let p = &cl.pools[pi as usize];
                cl.nodes.push(Node {
                    name: format!("{}-{}", w.name, i + 1),
                    pool: pi,
                    zone: z,
                    free: p.alloc.clone(),
                    free_pods: i64::from(p.max_pods),
                    groups: Vec::new(),
                    ports: Vec::new(),
                    existing: true,
                    down: false,
                });
            }
        }
    }
    cl
}

/// What packing the workloads onto a plan's workers leaves: the groups
/// (workloads, then the platform's DaemonSets) and the pods pending.
pub struct OnPlan {
    pub groups: Vec<super::cluster::Group>,
    pub pending: Vec<Pending>,
    pub daemon_misfits: Vec<(u32, usize)>,
    pub nodes: usize,
}

/// Packs the workloads onto the plan's nodes; nothing grows.
pub fn fit_plan(c: &Catalog, plan: &ClusterPlan, set: &WorkloadSet) -> OnPlan {
    let cl = plan_cluster(c, plan);
    let groups = groups(set, &system_daemons(c, plan.spec.platform));
    let rel = Relations::new(&groups);
    let order = order(&groups, &cl.pools);
    let nodes = cl.nodes.len();
    let mut p = Packer::new(cl, &groups, &rel);
    p.grow = false;
    p.pack(&order);
    let (pending, daemon_misfits) = (p.pending, p.daemon_misfits);
    OnPlan {
        groups,
        pending,
        daemon_misfits,
        nodes,
    }
}

/// Packs as kube-scheduler's default scoring places replicas: each
/// workload's pods spread over zones, then nodes (its system-default soft
/// spreading, LeastAllocated); what that leaves goes first-fit with the
/// workload's own constraints only.
pub fn spread_pack(
    cl: Cluster,
    groups: &[Group],
    rel: &Relations,
    order: &[u32],
) -> (Cluster, Vec<Pending>) {
    let shadow: Vec<Group> = groups.iter().map(spread_evenly).collect();
    let srel = Relations::new(&shadow);
    let mut p = Packer::new(cl, &shadow, &srel);
    p.grow = false;
    p.pack(order);
    let (c, pending, misfits) = (p.c, p.pending, p.daemon_misfits);
    let mut q = Packer::placed(c, groups, rel);
    q.daemon_misfits = misfits;
    for left in pending {
        q.place_group(left.group, left.pods);
    }
    (q.c, q.pending)
}

/// A group whose pods must spread evenly over zones and nodes (a
/// DaemonSet, or pods without labels to count them by, as it is).
fn spread_evenly(g: &Group) -> Group {
    let mut g = g.clone();
    if g.daemon || g.pod.labels.is_empty() {
        return g;
    }
    let reqs: Vec<Req> = g
        .pod
        .labels
        .iter()
        .map(|(k, v)| Req {
            key: k.clone(),
            op: Op::In,
            values: vec![v.clone()],
        })
        .collect();
    let pod = std::sync::Arc::make_mut(&mut g.pod);
    for key in [ZONE, HOSTNAME] {
        if pod.spread.iter().any(|s| s.topology_key == key) {
            continue;
        }
        pod.spread.push(Spread {
            max_skew: 1,
            topology_key: key.to_string(),
            selector: LabelSelector {
                reqs: reqs.clone(),
                nothing: false,
            },
            min_domains: None,
            honor_affinity: true,
            honor_taints: true,
        });
    }
    g
}
