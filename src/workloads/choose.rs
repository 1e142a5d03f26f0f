//! Choosing each pool's instance type: the cheapest whose nodes hold the
//! pods (Karpenter's choice), found by packing candidates in the order of
//! their cost floor (the fluid lower bound) until no cheaper one can remain.

use super::cluster::{Cluster, Group, Node};
use super::fit::static_fit;
use super::model::WorkloadSet;
use super::pools::{need, Need};
use super::size::{evaluate, machine, template_machine, usual_arch, Machine, Options, Outcome};

/// The fluid lower bound of a pool: total requests ÷ what a node gives
/// pods after its DaemonSets, per resource (pods: ÷ free pod slots).
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    pub nodes: u64,
    /// (resource, nodes it alone needs), largest first.
    pub by: Vec<(String, u64)>,
}

/// What the DaemonSets that accept a machine take from each of its nodes.
pub fn daemon_load(groups: &[Group], m: &Machine) -> (super::model::Res, i64) {
    let c = Cluster {
        pools: vec![super::cluster::Pool {
            name: "probe".into(),
            alloc: m.alloc.clone(),
            max_pods: m.max_pods,
            labels: m.labels.clone(),
            taints: m.taints.clone(),
            open_zones: Vec::new(),
            instance_type: None,
            price_per_hour: None,
            weight: 0.0,
            live: Vec::new(),
        }],
        ..Cluster::default()
    };
    let n = Node {
        name: "probe".into(),
        pool: 0,
        zone: None,
        free: m.alloc.clone(),
        free_pods: 0,
        groups: Vec::new(),
        ports: Vec::new(),
        existing: false,
        down: false,
    };
    let mut load = super::model::Res::default();
    let mut pods = 0;
    for g in groups
        .iter()
        .filter(|g| g.daemon && static_fit(&c, &n, g).is_ok())
    {
        load.add(&g.pod.requests);
        pods += 1;
    }
    (load, pods)
}

/// The bound of packing `members` on `m`; None when not one pod fits.
pub fn bound(groups: &[Group], members: &[usize], m: &Machine) -> Option<Bound> {
    let (load, ds_pods) = daemon_load(groups, m);
    let mut room = m.alloc.clone();
    room.sub(&load);
    let slots = i64::from(m.max_pods) - ds_pods;
    let mut total = super::model::Res::default();
    let mut pods = 0i64;
    for &g in members {
        let grp = &groups[g];
        let mut r = grp.pod.requests.clone();
        let k = i64::from(grp.count);
        r.cpu *= k;
        r.memory *= k;
        r.ephemeral *= k;
        for e in &mut r.ext {
            e.1 *= k;
        }
        if super::fit::resource_room(&room, slots, &grp.pod.requests).is_err() {
            return None;
        }
        total.add(&r);
        pods += i64::from(grp.count);
    }
    let mut by: Vec<(String, u64)> = total
        .names()
        .into_iter()
        .filter(|n| total.get(n) > 0)
        .map(|n| {
            let need = total.get(&n) as f64 / room.get(&n).max(1) as f64;
            (n, need.ceil() as u64)
        })
        .collect();
    by.push((
        "pods".into(),
        (pods as f64 / slots.max(1) as f64).ceil() as u64,
    ));
    by.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Some(Bound {
        nodes: by.first().map_or(0, |b| b.1),
        by,
    })
}

/// The pools the workloads need, the general one first.
pub fn needs(o: &Options, set: &WorkloadSet) -> Vec<Need> {
    let usual = usual_arch(o);
    let mut out: Vec<Need> = Vec::new();
    for w in set
        .workloads
        .iter()
        .filter(|w| w.kind != super::model::Kind::DaemonSet && w.pods > 0)
    {
        let n = need(w, &usual);
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out.sort_by_key(|n| !n.general());
    out
}

/// The machines a need may be made of.
pub fn machines(o: &Options, n: &Need) -> Vec<Machine> {
    if let Some(t) = &o.template {
        return vec![template_machine(t)];
    }
    if let Some(ms) = &o.machines {
        return ms
            .iter()
            .filter(|m| {
                n.labels
                    .iter()
                    .all(|(k, v)| m.labels.get(k).is_none_or(|x| x == v))
            })
            .filter(|m| n.arch.as_ref().is_none_or(|a| m.arch == *a))
            .filter(|m| n.types.is_empty() || n.types.contains(&m.name))
            .filter(|m| m.gpus >= n.gpus)
            .cloned()
            .collect();
    }
    let c = o.catalog;
    let prof = c.platform(o.platform);
    let priced = prof.instances.each().any(|i| i.price_per_hour.is_some());
    if n.general() {
        if let Some(p) = &o.pinned {
            return c
                .instance(o.platform, p)
                .map(|i| machine(o, i))
                .into_iter()
                .collect();
        }
        return crate::sizing::candidates(c, o.platform, &o.demand)
            .map(|(_, i)| machine(o, &i))
            .collect();
    }
    prof.instances
        .each()
        .filter(|i| prof.unusable(i).is_none() && (!priced || i.price_per_hour.is_some()))
        .filter(|i| i.family != "burstable")
        .filter(|i| n.gpus == 0 || i64::from(i.gpus) >= n.gpus)
        .filter(|i| n.gpus > 0 || i.gpus == 0)
        .filter(|i| n.types.is_empty() || n.types.iter().any(|t| *t == i.name))
        .map(|i| machine(o, &i))
        .filter(|m| match &n.arch {
            Some(a) => m.arch == *a,
            None => o.demand.arch.allows(if m.arch == "arm64" {
                crate::plan::Arch::Arm64
            } else {
                crate::plan::Arch::Amd64
            }),
        })
        .collect()
}

/// The machine of a need with the lowest cost floor: where a ranking of
/// its pool starts before the pool is ranked.
pub fn cheapest_floor(
    o: &Options,
    set: &WorkloadSet,
    groups: &[Group],
    n: &Need,
) -> Option<Machine> {
    let mine = members(o, set, groups, n);
    machines(o, n)
        .into_iter()
        .filter_map(|m| {
            let b = bound(groups, &mine, &m)?;
            Some((b.nodes.max(1) as f64 * m.price.unwrap_or(m.weight), m))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.name.cmp(&b.1.name)))
        .map(|x| x.1)
}

/// A candidate machine for one pool, packed with the others fixed.
#[derive(Debug, Clone)]
pub struct Ranked {
    pub machine: Machine,
    pub bound: Bound,
    pub outcome: Outcome,
}

/// The groups a need's pool holds.
pub fn members(o: &Options, set: &WorkloadSet, groups: &[Group], n: &Need) -> Vec<usize> {
    let usual = usual_arch(o);
    (0..groups.len())
        .filter(|&g| !groups[g].daemon && groups[g].workload < set.workloads.len())
        .filter(|&g| need(&set.workloads[groups[g].workload], &usual) == *n)
        .collect()
}

/// A pool's own pending pods (its DaemonSet misfits too) and cost in an
/// outcome: what ranks its machines (the other pools are the same for
/// every candidate).
fn own_key(o: &Options, outcome: &Outcome, pool: u32) -> (u64, f64) {
    let pend: u64 = outcome
        .pending
        .iter()
        .filter(|p| outcome.groups[p.group as usize].pool == Some(pool))
        .map(|p| u64::from(p.pods))
        .sum::<u64>()
        + outcome
            .daemon_misfits
            .iter()
            .filter(|(_, n)| outcome.cluster.nodes[*n].pool == pool)
            .count() as u64;
    (pend, super::size::cost_of(o, &outcome.cluster, Some(pool)))
}

/// Ranks machines for pool `which`, the other pools fixed: the best `k`,
/// fewest pending pods first, then cheapest. Candidates are packed in the
/// order of their cost floor (the fluid bound, grown by the zone share a
/// zone loss takes), first without the room for a zone loss, ranked by
/// that packing grown by the same share, until no floor can beat the k-th;
/// the best few are then sized to survive the loss and ranked by that.
pub fn rank(
    o: &Options,
    set: &WorkloadSet,
    groups: &[Group],
    fixed: &[(Need, Machine)],
    which: usize,
    k: usize,
) -> Vec<Ranked> {
    let n = fixed[which].0.clone();
    let mine = members(o, set, groups, &n);
    let zones = o.zones.len().max(1) as f64;
    let spare = if o.survive && zones >= 2.0 {
        zones / (zones - 1.0)
    } else {
        1.0
    };
    let hours = o.catalog.kubernetes.sizing.hours_per_month;
    let mut order: Vec<(f64, Machine, Bound)> = machines(o, &n)
        .into_iter()
        .filter(|m| !m.name.is_empty())
        .filter_map(|m| {
            let b = bound(groups, &mine, &m)?;
            let unit = m.price.map_or(m.weight, |p| p * hours);
            Some(((b.nodes as f64 * spare).ceil() * unit, m, b))
        })
        .collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.name.cmp(&b.1.name)));
    let keep = k.max(1) + 2;
    let first = pack_without_loss(o, set, groups, fixed, which, &order, keep, spare);
    let best: Vec<(Machine, Bound)> = first.into_iter().take(keep).map(|r| (r.2, r.3)).collect();
    let mut out = with_loss(o, set, groups, fixed, which, &best);
    out.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1.total_cmp(&b.1))
            .then(a.2.machine.name.cmp(&b.2.machine.name))
    });
    out.into_iter().take(k).map(|r| r.2).collect()
}

/// Candidates packed without room for a zone loss, two at a time (one
/// per core), in the order of their cost floor, until no floor can beat
/// the `keep`-th: (pending, packed cost grown by `spare`, machine, bound).
#[allow(clippy::too_many_arguments)]
fn pack_without_loss(
    o: &Options,
    set: &WorkloadSet,
    groups: &[Group],
    fixed: &[(Need, Machine)],
    which: usize,
    order: &[(f64, Machine, Bound)],
    keep: usize,
    spare: f64,
) -> Vec<(u64, f64, Machine, Bound)> {
    let pool = (o.existing.len() + which) as u32;
    let mut first: Vec<(u64, f64, Machine, Bound)> = Vec::new();
    for pair in order.chunks(2) {
        let settled = first.iter().filter(|r| r.0 == 0).count() >= keep;
        if settled && pair[0].0 > first[keep - 1].1 {
            break;
        }
        let packed: Vec<(u64, f64)> = std::thread::scope(|s| {
            let runs: Vec<_> = pair
                .iter()
                .map(|(_, m, _)| {
                    s.spawn(move || {
                        let mut pools = fixed.to_vec();
                        pools[which].1 = m.clone();
                        let outcome = evaluate(o, set, groups, &pools, false);
                        own_key(o, &outcome, pool)
                    })
                })
                .collect();
            runs.into_iter()
                .map(|r| r.join().unwrap_or((u64::MAX, f64::MAX)))
                .collect()
        });
        for ((_, m, b), (pend, own)) in pair.iter().zip(packed) {
            let key = (pend, own * spare);
            let at = first.partition_point(|r| (r.0, r.1) <= key);
            first.insert(at, (key.0, key.1, m.clone(), b.clone()));
        }
        first.truncate(keep * 2);
    }
    first
}

/// The best candidates sized to survive a zone loss, two at a time.
fn with_loss(
    o: &Options,
    set: &WorkloadSet,
    groups: &[Group],
    fixed: &[(Need, Machine)],
    which: usize,
    best: &[(Machine, Bound)],
) -> Vec<(u64, f64, Ranked)> {
    let pool = (o.existing.len() + which) as u32;
    let mut out: Vec<(u64, f64, Ranked)> = Vec::new();
    for pair in best.chunks(2) {
        std::thread::scope(|s| {
            let runs: Vec<_> = pair
                .iter()
                .map(|(m, b)| {
                    s.spawn(move || {
                        let mut pools = fixed.to_vec();
                        pools[which].1 = m.clone();
                        let outcome = evaluate(o, set, groups, &pools, o.survive);
                        let (pend, own) = own_key(o, &outcome, pool);
                        (
                            pend,
                            own,
                            Ranked {
                                machine: m.clone(),
                                bound: b.clone(),
                                outcome,
                            },
                        )
                    })
                })
                .collect();
            out.extend(runs.into_iter().filter_map(|r| r.join().ok()));
        });
    }
    out
}
