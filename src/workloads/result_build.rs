//! Turning a packed candidate into the report's choice.

use std::collections::BTreeMap;

use super::choose::{bound, members, Ranked};
use super::cluster::HOSTNAME;
use super::model::WorkloadSet;
use super::result::{
    lower, PendingPod, Placement, PoolResult, StrandedPod, WorkloadChoice, ZoneLoss,
};
use super::size::Options;

fn zone_name(c: &super::cluster::Cluster, z: Option<u32>) -> String {
    z.map_or("-".into(), |z| c.zones[z as usize].clone())
}

/// Every planned pool of a packed candidate (the existing nodes' aside).
fn pool_results(o: &Options, set: &WorkloadSet, r: &Ranked) -> Vec<PoolResult> {
    let out = &r.outcome;
    let c = &out.cluster;
    let hours = o.catalog.kubernetes.sizing.hours_per_month;
    let base = o.existing.len();
    let mut pools = Vec::new();
    for (pi, p) in c.pools.iter().enumerate().skip(base) {
        let nodes: Vec<_> = c
            .nodes
            .iter()
            .filter(|n| n.pool == pi as u32 && !n.existing)
            .collect();
        let mut pz = BTreeMap::new();
        for n in &nodes {
            *pz.entry(zone_name(c, n.zone)).or_default() += 1;
        }
        let need = super::pools::need_of_pool(o, set, &out.groups, pi as u32);
        let mine = members(o, set, &out.groups, &need);
        let machine = if pi == base {
            r.machine.clone()
        } else {
            super::size::pool_machine(p)
        };
        let b = bound(&out.groups, &mine, &machine).unwrap_or(super::choose::Bound {
            nodes: 0,
            by: Vec::new(),
        });
        let packed = out.packed.get(pi).copied().unwrap_or(0);
        pools.push(PoolResult {
            name: p.name.clone(),
            instance_type: p.instance_type.clone().unwrap_or_default(),
            labels: need.labels.clone(),
            nodes: nodes.len() as u32,
            nodes_per_zone: pz,
            packed_nodes: packed,
            binding: binding(out, pi as u32, &mine, &b, packed, nodes.len() as u32),
            lower_bound: lower(&b),
            allocatable_cpu_millis: p.alloc.cpu,
            allocatable_memory_bytes: p.alloc.memory,
            max_pods: p.max_pods,
            monthly_cost: p.price_per_hour.map(|x| x * hours * nodes.len() as f64),
        });
    }
    pools
}

/// The choice a ranked candidate makes.
pub fn choice(o: &Options, set: &WorkloadSet, r: &Ranked) -> WorkloadChoice {
    let out = &r.outcome;
    let c = &out.cluster;
    let pools = pool_results(o, set, r);
    let mut per_zone: BTreeMap<String, u32> = BTreeMap::new();
    for p in &pools {
        for (z, n) in &p.nodes_per_zone {
            *per_zone.entry(z.clone()).or_default() += n;
        }
    }
    let new_nodes: u32 = pools.iter().map(|p| p.nodes).sum();
    let workload_pod = |g: u32| !out.groups[g as usize].daemon;
    WorkloadChoice {
        instance_type: r.machine.name.clone(),
        nodes: new_nodes,
        existing_nodes_used: c
            .nodes
            .iter()
            .filter(|n| n.existing && n.groups.iter().any(|(g, k)| *k > 0 && workload_pod(*g)))
            .count() as u32,
        nodes_per_zone: per_zone,
        pods_placed: (0..out.groups.len() as u32)
            .filter(|&g| workload_pod(g))
            .map(|g| u64::from(out.counts.total[g as usize]))
            .sum(),
        pending: pending(set, out),
        lower_bound: lower(&r.bound),
        monthly_cost: pools.iter().map(|p| p.monthly_cost).sum::<Option<f64>>(),
        placement: placement(out),
        zone_loss: ZoneLoss {
            checked: o.survive,
            added_nodes: new_nodes.saturating_sub(out.packed.iter().sum()),
            stranded: out
                .stranded
                .iter()
                .map(|s| StrandedPod {
                    lost: s.lost.clone(),
                    workload: out.groups[s.pending.group as usize].name.clone(),
                    pods: s.pending.pods,
                    reason: s.pending.reason.clone(),
                })
                .collect(),
        },
        daemon_set_misfits: out
            .daemon_misfits
            .iter()
            .map(|(g, n)| format!("{} on {}", out.groups[*g as usize].name, c.nodes[*n].name))
            .collect(),
        pools,
    }
}

/// What sets a pool's node count: the largest bound, a workload's
/// hostname anti-affinity, or the packing itself.
/// What fills the pool's nodes: for each node the resource it has used
/// the largest share of, counted ("nodes fullest in cpu 812, max pods 420").
fn fullest(out: &super::size::Outcome, pool: u32) -> String {
    let c = &out.cluster;
    let p = &c.pools[pool as usize];
    let mut tally: BTreeMap<&str, u32> = BTreeMap::new();
    let busy = |n: &&super::cluster::Node| {
        n.groups
            .iter()
            .any(|(g, k)| *k > 0 && !out.groups[*g as usize].daemon)
    };
    for n in c
        .nodes
        .iter()
        .filter(|n| n.pool == pool && !n.existing)
        .filter(busy)
    {
        let share = |free: i64, all: i64| 1.0 - free as f64 / all.max(1) as f64;
        let shares = [
            ("cpu", share(n.free.cpu, p.alloc.cpu)),
            ("memory", share(n.free.memory, p.alloc.memory)),
            ("max pods", share(n.free_pods, i64::from(p.max_pods))),
        ];
        let top = shares
            .iter()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map_or("cpu", |s| s.0);
        *tally.entry(top).or_default() += 1;
    }
    let mut list: Vec<(&str, u32)> = tally.into_iter().collect();
    list.sort_by_key(|e| std::cmp::Reverse(e.1));
    let parts: Vec<String> = list.iter().map(|(r, n)| format!("{r} {n}")).collect();
    format!("nodes fullest in {}", parts.join(", "))
}

fn binding(
    out: &super::size::Outcome,
    pool: u32,
    mine: &[usize],
    b: &super::choose::Bound,
    packed: u32,
    nodes: u32,
) -> String {
    let mut best: (u64, String) = b.by.first().map_or((0, "nothing".into()), |(r, n)| {
        (
            *n,
            if r == "pods" {
                "max pods".into()
            } else {
                r.clone()
            },
        )
    });
    for &g in mine {
        let grp = &out.groups[g];
        let spread_self = grp
            .pod
            .anti_affinity
            .iter()
            .any(|t| t.topology_key == HOSTNAME && t.selector.matches(&grp.pod.labels));
        if spread_self && u64::from(grp.count) > best.0 {
            let name = grp.name.rsplit('/').next().unwrap_or(&grp.name).to_string();
            best = (
                u64::from(grp.count),
                format!(
                    "anti-affinity of {name} on hostname needs {} nodes",
                    grp.count
                ),
            );
        }
    }
    let mut text = best.1;
    if u64::from(packed) > best.0 && best.0 > 0 {
        text.push_str(&format!(
            "; packing needs {} more than that bound ({})",
            u64::from(packed) - best.0,
            fullest(out, pool)
        ));
    }
    if nodes > packed {
        text.push_str(&format!("; surviving a zone loss adds {}", nodes - packed));
    }
    text
}

fn pending(set: &WorkloadSet, out: &super::size::Outcome) -> Vec<PendingPod> {
    let mut v = Vec::new();
    for p in &out.pending {
        let g = &out.groups[p.group as usize];
        let (ns, name) = match set.workloads.get(g.workload) {
            Some(w) => (w.namespace.clone(), w.name.clone()),
            None => ("kube-system".into(), g.name.clone()),
        };
        let placed = out.counts.total[p.group as usize];
        for i in 0..p.pods {
            v.push(PendingPod {
                pod: format!("{ns}/{name}-{}", placed + i),
                workload: g.name.clone(),
                reason: p.reason.clone(),
            });
        }
    }
    v
}

fn placement(out: &super::size::Outcome) -> Vec<Placement> {
    let c = &out.cluster;
    let mut v = Vec::new();
    for (g, grp) in out.groups.iter().enumerate() {
        if grp.daemon && grp.workload == usize::MAX {
            continue;
        }
        let mut zones = BTreeMap::new();
        let mut nodes = 0;
        let mut pods = 0;
        for n in c.nodes.iter().filter(|n| !n.down) {
            let k = n.count(g as u32);
            if k > 0 {
                nodes += 1;
                pods += k;
                *zones.entry(zone_name(c, n.zone)).or_default() += k;
            }
        }
        v.push(Placement {
            workload: grp.name.clone(),
            pods,
            zones,
            nodes,
        });
    }
    v
}
