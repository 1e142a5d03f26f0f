//! Sizing from workloads: the pools the pods need, each packed on candidate
//! instance types (the cheapest that holds them, as Karpenter chooses),
//! with room to lose a zone.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::cluster::{Cluster, Group, Node, Pool};
use super::fit::Relations;
use super::model::{Kind, PodSpec, Res, Toleration, WorkloadSet};
use super::nodes::NodeObject;
use super::pack::{Packer, Pending};
use super::pools::{need, Need, ARCH, INSTANCE_TYPE, OS};
use super::survive::{survive, Stranded};
use crate::catalog::{Catalog, InstanceType};
use crate::plan::Platform;

/// What `size --workloads` is asked.
pub struct Options<'a> {
    pub catalog: &'a Catalog,
    pub platform: Platform,
    pub demand: crate::sizing::Demand,
    pub zones: Vec<String>,
    pub region: Option<String>,
    /// Size so that losing one zone (one node in a single zone) keeps every pod.
    pub survive: bool,
    pub pinned: Option<String>,
    pub template: Option<NodeObject>,
    pub existing: Vec<NodeObject>,
    pub top: usize,
    /// Machines to choose from instead of the catalog's (a test's fake
    /// instance types, your own server shapes).
    pub machines: Option<Vec<Machine>>,
}

/// A machine a pool can be made of.
#[derive(Debug, Clone)]
pub struct Machine {
    pub name: String,
    pub alloc: Res,
    pub max_pods: u32,
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<super::model::Taint>,
    pub price: Option<f64>,
    /// What ranks it where there is no price (the platform's cost model).
    pub weight: f64,
    pub gpus: i64,
    pub arch: String,
}

/// The groups of a workload set, with the platform's own DaemonSets
/// (kube-proxy, the CNI agent) unless nodes are given as they are.
pub fn groups(set: &WorkloadSet, system: &[(String, Res)]) -> Vec<Group> {
    let mut out: Vec<Group> = set
        .workloads
        .iter()
        .enumerate()
        .map(|(i, w)| Group {
            workload: i,
            name: w.id(),
            pod: w.pod.clone(),
            count: w.pods,
            daemon: w.kind == Kind::DaemonSet,
            pool: None,
        })
        .collect();
    for (name, req) in system {
        let pod = PodSpec {
            namespace: "kube-system".into(),
            requests: req.clone(),
            tolerations: vec![Toleration {
                key: None,
                exists: true,
                value: String::new(),
                effect: None,
            }],
            ..PodSpec::default()
        };
        out.push(Group {
            workload: usize::MAX,
            name: format!("DaemonSet/kube-system/{name}"),
            pod: Arc::new(pod),
            count: 0,
            daemon: true,
            pool: None,
        });
    }
    out
}

/// The platform's DaemonSets as requests.
pub fn system_daemons(c: &Catalog, platform: Platform) -> Vec<(String, Res)> {
    c.kubernetes
        .sizing
        .daemon_sets
        .iter()
        .chain(std::iter::once(&c.platform(platform).cni_agent))
        .map(|d| {
            let r = Res {
                cpu: (d.cpu * 1000.0).round() as i64,
                memory: (d.memory_mib * 1_048_576.0).round() as i64,
                ..Res::default()
            };
            (d.name.clone(), r)
        })
        .collect()
}

/// A catalog type as a machine: allocatable after the platform's
/// reservation for its max pods (the figures `size` gives).
pub fn machine(o: &Options, i: &InstanceType) -> Machine {
    let c = o.catalog;
    let d = &o.demand;
    let max_pods = crate::sizing::instance_max_pods(c, o.platform, d.managed, i);
    let reserve = crate::sizing::reserved_for_pods(c, o.platform, d.managed, Some(i), max_pods);
    let a = crate::sizing::sized_allocatable(c, o.platform, i, reserve);
    let mut alloc = Res {
        cpu: (a.cpu * 1000.0).floor() as i64,
        memory: (a.memory_gib * 1_073_741_824.0).floor() as i64,
        ..Res::default()
    };
    if let Some(r) = c.platform(o.platform).gpu_resource(i) {
        alloc.set(r, i64::from(i.gpus));
    }
    let arch = i.arch.to_string();
    let labels = BTreeMap::from([
        (ARCH.to_string(), arch.clone()),
        ("beta.kubernetes.io/arch".to_string(), arch.clone()),
        (OS.to_string(), "linux".to_string()),
        ("beta.kubernetes.io/os".to_string(), "linux".to_string()),
        (INSTANCE_TYPE.to_string(), i.name.to_string()),
        (
            "beta.kubernetes.io/instance-type".to_string(),
            i.name.to_string(),
        ),
    ]);
    let per_gib = c
        .platform(o.platform)
        .cost_model
        .as_ref()
        .map_or(0.0, |m| m.per_gib);
    Machine {
        name: i.name.to_string(),
        alloc,
        max_pods,
        labels,
        taints: Vec::new(),
        price: i.price_per_hour,
        weight: i.cpu + per_gib * i.memory_gib,
        gpus: i64::from(i.gpus),
        arch,
    }
}

/// What a GPU pool's nodes carry, as GKE taints its GPU node pools: only
/// pods that request GPUs (and so tolerate it, see `read::finish`) go there.
pub fn gpu_taint() -> super::model::Taint {
    super::model::Taint {
        key: "nvidia.com/gpu".into(),
        value: "present".into(),
        effect: "NoSchedule".into(),
    }
}

/// A Node object as a machine, as it is.
pub fn template_machine(n: &NodeObject) -> Machine {
    let mut labels = n.labels.clone();
    for k in [
        super::cluster::HOSTNAME,
        super::cluster::ZONE,
        super::cluster::ZONE_BETA,
    ] {
        labels.remove(k);
    }
    Machine {
        name: n
            .labels
            .get(INSTANCE_TYPE)
            .cloned()
            .unwrap_or_else(|| n.name.clone()),
        alloc: n.alloc.clone(),
        max_pods: n.max_pods,
        arch: labels.get(ARCH).cloned().unwrap_or_else(|| "amd64".into()),
        labels,
        taints: n.taints.clone(),
        price: None,
        weight: n.alloc.cpu as f64 / 1000.0,
        gpus: super::pools::GPU_RESOURCES
            .iter()
            .map(|g| n.alloc.ext(g))
            .max()
            .unwrap_or(0),
    }
}

/// The cluster before packing: the existing nodes, and one pool per need.
pub fn cluster(o: &Options, pools: &[(Need, Machine)]) -> Cluster {
    let mut c = Cluster {
        zones: o.zones.clone(),
        region: o.region.clone(),
        ..Cluster::default()
    };
    for n in &o.existing {
        let zone = n.zone().map(|z| match c.zones.iter().position(|x| x == z) {
            Some(i) => i as u32,
            None => {
                c.zones.push(z.to_string());
                c.zones.len() as u32 - 1
            }
        });
        let m = template_machine(n);
        c.pools
            .push(pool_of(&m, &Need::default(), n.name.clone(), Vec::new()));
        c.nodes.push(Node {
            name: n.name.clone(),
            pool: c.pools.len() as u32 - 1,
            zone,
            free: n.alloc.clone(),
            free_pods: i64::from(n.max_pods),
            groups: Vec::new(),
            ports: Vec::new(),
            existing: true,
            down: false,
        });
    }
    let open: Vec<u32> = (0..o.zones.len() as u32).collect();
    for (need, m) in pools {
        c.pools.push(pool_of(m, need, need.name(), open.clone()));
    }
    c
}

fn pool_of(m: &Machine, need: &Need, name: String, open_zones: Vec<u32>) -> Pool {
    let mut labels = m.labels.clone();
    labels.extend(need.labels.clone());
    let mut taints = m.taints.clone();
    if need.gpus > 0 {
        taints.push(gpu_taint());
    }
    Pool {
        name,
        alloc: m.alloc.clone(),
        max_pods: m.max_pods,
        labels,
        taints,
        open_zones,
        instance_type: Some(m.name.clone()),
        price_per_hour: m.price,
        weight: m.weight,
        live: Vec::new(),
    }
}

/// The order pods are packed in: each pool's pods apart, the general
/// pool's first (so that they open general nodes, not fill the room a GPU
/// node has beside its GPU pods), and within a pool the largest first (CPU
/// and memory relative to the pool's machine, as Cluster Autoscaler's
/// estimator scores them; the first pool's machine for pods of none).
pub fn order(groups: &[Group], pools: &[Pool]) -> Vec<u32> {
    let mut idx: Vec<u32> = (0..groups.len() as u32)
        .filter(|&g| !groups[g as usize].daemon)
        .collect();
    let score = |g: &Group| {
        let Some(p) = g.pool.map(|p| &pools[p as usize]).or(pools.first()) else {
            return 0.0;
        };
        let r = &g.pod.requests;
        r.cpu as f64 / p.alloc.cpu.max(1) as f64 + r.memory as f64 / p.alloc.memory.max(1) as f64
    };
    idx.sort_by(|&a, &b| {
        let (ga, gb) = (&groups[a as usize], &groups[b as usize]);
        ga.pool
            .cmp(&gb.pool)
            .then(score(gb).total_cmp(&score(ga)))
            .then(a.cmp(&b))
    });
    idx
}

/// One packing of the workloads on chosen machines.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub cluster: Cluster,
    pub counts: super::fit::Counts,
    pub groups: Vec<Group>,
    pub pending: Vec<Pending>,
    pub stranded: Vec<Stranded>,
    pub daemon_misfits: Vec<(u32, usize)>,
    /// Nodes per pool before the room for a zone loss was added.
    pub packed: Vec<u32>,
    pub cost: f64,
}

/// Packs the workloads onto pools of the given machines.
pub fn evaluate(
    o: &Options,
    set: &WorkloadSet,
    groups: &[Group],
    pools: &[(Need, Machine)],
    lose_a_zone: bool,
) -> Outcome {
    let c = cluster(o, pools);
    let base = c.pools.len() - pools.len();
    let mut groups = groups.to_vec();
    let usual = usual_arch(o);
    for g in groups.iter_mut().filter(|g| !g.daemon) {
        let n = need(&set.workloads[g.workload], &usual);
        g.pool = pools
            .iter()
            .position(|(p, _)| *p == n)
            .map(|i| (base + i) as u32);
    }
    let rel = Relations::new(&groups);
    let order = order(&groups, &c.pools);
    let (cluster, counts, pending, stranded, misfits, packed) = {
        let mut p = Packer::new(c, &groups, &rel);
        p.pack(&order);
        let packed = (0..p.c.pools.len() as u32)
            .map(|i| {
                p.c.nodes
                    .iter()
                    .filter(|n| n.pool == i && !n.existing)
                    .count() as u32
            })
            .collect();
        let stranded = if lose_a_zone {
            survive(&mut p, &order)
        } else {
            Vec::new()
        };
        (p.c, p.counts, p.pending, stranded, p.daemon_misfits, packed)
    };
    let cost = cost_of(o, &cluster, None);
    Outcome {
        cluster,
        counts,
        groups,
        pending,
        stranded,
        daemon_misfits: misfits,
        packed,
        cost,
    }
}

/// The monthly cost of the new nodes (or their cost-model weight
/// unpriced), of one pool or of all.
pub fn cost_of(o: &Options, c: &Cluster, pool: Option<u32>) -> f64 {
    let hours = o.catalog.kubernetes.sizing.hours_per_month;
    c.nodes
        .iter()
        .filter(|n| !n.existing && pool.is_none_or(|p| n.pool == p))
        .map(|n| {
            let p = &c.pools[n.pool as usize];
            p.price_per_hour.map_or(p.weight, |x| x * hours)
        })
        .sum()
}

pub fn usual_arch(o: &Options) -> String {
    match o.demand.arch {
        crate::plan::ArchChoice::Arm64 => "arm64".into(),
        _ => "amd64".into(),
    }
}

/// A pool's machine again (for its bound).
pub fn pool_machine(p: &Pool) -> Machine {
    Machine {
        name: p.instance_type.clone().unwrap_or_default(),
        alloc: p.alloc.clone(),
        max_pods: p.max_pods,
        labels: p.labels.clone(),
        taints: p.taints.clone(),
        price: p.price_per_hour,
        weight: p.weight,
        gpus: super::pools::GPU_RESOURCES
            .iter()
            .map(|g| p.alloc.ext(g))
            .max()
            .unwrap_or(0),
        arch: p.labels.get(ARCH).cloned().unwrap_or_default(),
    }
}
