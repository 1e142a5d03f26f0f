//! A snapshot's nodes as pools (the plan's: by node-pool label, instance
//! type or capacity shape, per zone where uneven) and as the packer's
//! cluster, every pod on the node it runs on.

use std::collections::BTreeMap;

use super::{SnapNode, Snapshot};
use crate::workloads::cluster::{Cluster, Group, Node, Pool, HOSTNAME, ZONE, ZONE_BETA};
use crate::workloads::model::Kind;
use crate::workloads::pack::Pending;

/// Labels naming a node's pool, by platform and tool.
const POOL_LABELS: [&str; 8] = [
    "eks.amazonaws.com/nodegroup",
    "alpha.eksctl.io/nodegroup-name",
    "cloud.google.com/gke-nodepool",
    "kubernetes.azure.com/agentpool",
    "agentpool",
    "kops.k8s.io/instancegroup",
    "karpenter.sh/nodepool",
    "karpenter.sh/provisioner-name",
];

pub const INSTANCE_TYPE: [&str; 2] = [
    "node.kubernetes.io/instance-type",
    "beta.kubernetes.io/instance-type",
];

const REGION: [&str; 2] = [
    "topology.kubernetes.io/region",
    "failure-domain.beta.kubernetes.io/region",
];

/// A node's label among `keys`, the first found.
pub fn label<'a>(n: &'a SnapNode, keys: &[&str]) -> Option<&'a str> {
    keys.iter()
        .find_map(|k| n.obj.labels.get(*k))
        .map(String::as_str)
}

/// One of the plan's pools: its nodes (indexes) and their zones.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanPool {
    pub name: String,
    pub control_plane: bool,
    pub nodes: Vec<usize>,
    /// Each zone once, in order (empty without zones).
    pub zones: Vec<String>,
}

/// The pool a node belongs to, before zones: its pool label, its
/// instance type, or its capacity shape.
fn pool_key(n: &SnapNode) -> String {
    if n.control_plane {
        return "control-plane".into();
    }
    if let Some(l) = label(n, &POOL_LABELS) {
        return l.to_string();
    }
    if let Some(t) = label(n, &INSTANCE_TYPE) {
        return t.to_string();
    }
    let gib = n.capacity.memory as f64 / 1_073_741_824.0;
    format!("workers-{}cpu-{}gib", n.capacity.cpu / 1000, gib.round())
}

/// The plan's pools: nodes grouped by [`pool_key`]; a pool whose nodes
/// are not spread over its zones as a plan spreads them (evenly, the
/// first zones taking the rest) is one pool per zone.
pub fn plan_pools(s: &Snapshot) -> Vec<PlanPool> {
    let mut by: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, n) in s.nodes.iter().enumerate() {
        let k = pool_key(n);
        match by.iter_mut().find(|b| b.0 == k) {
            Some(b) => b.1.push(i),
            None => by.push((k, vec![i])),
        }
    }
    let mut out = Vec::new();
    for (name, nodes) in by {
        let mut per: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for &i in &nodes {
            let z = s.nodes[i].obj.zone().unwrap_or("").to_string();
            per.entry(z).or_default().push(i);
        }
        let zones: Vec<String> = per.keys().filter(|z| !z.is_empty()).cloned().collect();
        let counts: Vec<(String, u32)> = per
            .iter()
            .map(|(z, v)| (z.clone(), v.len() as u32))
            .collect();
        let even = crate::plan::spread(nodes.len() as u32, &zones) == counts || zones.is_empty();
        let control_plane = s.nodes[nodes[0]].control_plane;
        match even || per.len() == 1 {
            true => out.push(PlanPool {
                name,
                control_plane,
                nodes,
                zones,
            }),
            false => out.extend(per.into_iter().map(|(z, nodes)| PlanPool {
                name: format!("{name}-{z}"),
                control_plane,
                nodes,
                zones: vec![z],
            })),
        }
    }
    out
}

/// The region the nodes' labels name.
pub fn region(s: &Snapshot) -> Option<String> {
    s.nodes
        .iter()
        .find_map(|n| label(n, &REGION))
        .map(str::to_string)
}

/// The packer's view of a snapshot: the cluster with every pod on its
/// node, the groups (one per workload), each node's plan pool, the pods'
/// names per group, and the pods the snapshot shows unscheduled.
pub struct Packed {
    pub cluster: Cluster,
    pub groups: Vec<Group>,
    pub pool_of: Vec<usize>,
    pub names: Vec<Vec<(usize, String)>>,
    pub before: Vec<Pending>,
}

/// The zones the nodes are in, sorted.
pub fn zones(s: &Snapshot) -> Vec<String> {
    let mut zones: Vec<String> = s
        .nodes
        .iter()
        .filter_map(|n| n.obj.zone().map(str::to_string))
        .collect();
    zones.sort();
    zones.dedup();
    zones
}

pub fn packed(s: &Snapshot, pools: &[PlanPool]) -> Packed {
    let mut cluster = Cluster {
        zones: zones(s),
        region: region(s),
        ..Cluster::default()
    };
    let mut pool_of = vec![0; s.nodes.len()];
    for (p, pool) in pools.iter().enumerate() {
        for &i in &pool.nodes {
            pool_of[i] = p;
        }
    }
    let mut shapes: Vec<(Pool, ())> = Vec::new();
    for n in s.nodes.iter() {
        let shape = shape(n, &pools[pool_of[cluster.nodes.len()]].name);
        let at = match shapes.iter().position(|(p, _)| same_shape(p, &shape)) {
            Some(i) => i,
            None => {
                shapes.push((shape, ()));
                shapes.len() - 1
            }
        };
        let zone = n
            .obj
            .zone()
            .and_then(|z| cluster.zones.iter().position(|x| x == z))
            .map(|z| z as u32);
        cluster.nodes.push(Node {
            name: n.obj.name.clone(),
            pool: at as u32,
            zone,
            free: n.obj.alloc.clone(),
            free_pods: i64::from(n.obj.max_pods),
            groups: Vec::new(),
            ports: Vec::new(),
            existing: true,
            down: !n.ready,
        });
    }
    cluster.pools = shapes.into_iter().map(|s| s.0).collect();
    let groups = crate::workloads::size::groups(&s.set, &[]);
    let (names, before) = place(s, &mut cluster, &groups);
    Packed {
        cluster,
        groups,
        pool_of,
        names,
        before,
    }
}

/// A node's shape: what it gives pods, its labels (zone, region and
/// hostname aside) and taints.
fn shape(n: &SnapNode, name: &str) -> Pool {
    let mut labels = n.obj.labels.clone();
    for k in [HOSTNAME, ZONE, ZONE_BETA].iter().chain(REGION.iter()) {
        labels.remove(*k);
    }
    Pool {
        name: name.to_string(),
        alloc: n.obj.alloc.clone(),
        max_pods: n.obj.max_pods,
        labels,
        taints: n.obj.taints.clone(),
        open_zones: Vec::new(),
        instance_type: label(n, &INSTANCE_TYPE).map(str::to_string),
        price_per_hour: None,
        weight: 0.0,
        live: Vec::new(),
    }
}

fn same_shape(a: &Pool, b: &Pool) -> bool {
    a.name == b.name
        && a.alloc == b.alloc
        && a.max_pods == b.max_pods
        && a.labels == b.labels
        && a.taints == b.taints
}

/// Puts every scheduled pod on its node; returns the pods' names per
/// group and the unscheduled pods.
fn place(
    s: &Snapshot,
    c: &mut Cluster,
    groups: &[Group],
) -> (Vec<Vec<(usize, String)>>, Vec<Pending>) {
    let mut names = vec![Vec::new(); groups.len()];
    let mut before = Vec::new();
    for (g, pods) in s.placed.iter().enumerate() {
        let pod = &groups[g].pod;
        let mut unscheduled = 0;
        for (node, name) in pods {
            let Some(i) = node.map(|i| i as usize) else {
                unscheduled += 1;
                continue;
            };
            let n = &mut c.nodes[i];
            n.free.sub(&pod.requests);
            n.free_pods -= 1;
            n.add(g as u32, 1);
            n.ports.extend(pod.host_ports.iter().cloned());
            names[g].push((i, name.clone()));
        }
        if unscheduled > 0 {
            let kind = s.set.workloads[g].kind;
            before.push(Pending {
                group: g as u32,
                pods: unscheduled,
                reason: match kind {
                    Kind::DaemonSet => "not scheduled in the snapshot (a DaemonSet pod)".into(),
                    _ => "not scheduled in the snapshot".into(),
                },
                short: "Pending".into(),
            });
        }
    }
    (names, before)
}
