//! The workloads when a zone (or the largest node) is lost: what the
//! scheduler will refuse to bring back, and what the numbers say before it
//! happens (`docs/whatif.md`). Findings are at the workload's own place.

use std::sync::Arc;

use super::prelude::*;
use crate::plan::node::Pos;
use crate::plan::origin::Spot;
use crate::plan::Source;
use crate::whatif::scenario::Lost;
use crate::workloads::cluster::{ZONE, ZONE_BETA};
use crate::workloads::model::{Kind, Workload};

pub const GROUP: &str = "Workloads";

rule! {
    WORKLOAD_SPREAD_COUNTS_LOST_ZONE: "workload-spread-counts-lost-zone", Always(Warning), Some(spread_counts_lost_zone),
    needs: [Zones],
    workloads: "workload-spread-counts-lost-zone.workloads.yaml",
    summary: "A zone spread keeps a lost zone's replacements Pending.",
    what: "A workload with a `topologySpreadConstraints` entry on `topology.kubernetes.io/zone` with `whenUnsatisfiable: DoNotSchedule` and the default `nodeTaintsPolicy: Ignore`, on a plan over two zones or more.",
    why: "When a zone fails its nodes stay in the cluster, NotReady and tainted `node.kubernetes.io/unreachable`; under `nodeTaintsPolicy: Ignore` kube-scheduler still counts the zone, at 0 matching pods, so every replacement placed elsewhere raises the skew past `maxSkew` and stays Pending until the zone returns (kubernetes/kubernetes#116978, #123019).",
    fix: "Set `nodeTaintsPolicy: Honor` on the constraint (the lost zone's tainted nodes then do not count), or use `whenUnsatisfiable: ScheduleAnyway`.",
    near_miss: [("whenUnsatisfiable: DoNotSchedule", "whenUnsatisfiable: DoNotSchedule\n          nodeTaintsPolicy: Honor")],
}

rule! {
    WORKLOAD_ZONE_ANTI_AFFINITY_NO_SPARE: "workload-zone-anti-affinity-no-spare", Always(Warning), Some(zone_anti_affinity_no_spare),
    needs: [Zones],
    workloads: "workload-zone-anti-affinity-no-spare.workloads.yaml",
    summary: "Required zone anti-affinity with a replica in every zone leaves a lost zone's pod nowhere to go.",
    what: "A workload whose pods require anti-affinity to each other on `topology.kubernetes.io/zone`, with as many replicas as the plan has zones, or more.",
    why: "Each zone holds one of its pods; when a zone fails, the replacement may not join a zone that already has one, so it stays Pending until the zone returns, and a replica beyond the zone count never runs at all.",
    fix: "Use `preferredDuringSchedulingIgnoredDuringExecution` anti-affinity or a zone spread with `nodeTaintsPolicy: Honor`, or run fewer replicas than zones.",
    near_miss: [("replicas: 3", "replicas: 2")],
}

rule! {
    WORKLOAD_IN_ONE_ZONE: "workload-in-one-zone", ProductionOnly(Warning), Some(in_one_zone),
    needs: [Zones, Workers, Machines],
    workloads: "workload-in-one-zone.workloads.yaml",
    summary: "A production workload runs in one zone only.",
    what: "A Deployment, StatefulSet, ReplicaSet or ReplicationController of a production plan over two zones or more that has one replica, or whose replicas can only run in one zone (their node selector, affinity or tolerations admit the nodes of one zone), or, in a running cluster's snapshot, all run in one zone.",
    why: "Losing that zone (or, with one replica, that node) takes the whole workload down until its pods are rescheduled, minutes later, or longer.",
    fix: "Run two replicas or more, spread over zones with a `topologySpreadConstraints` entry on `topology.kubernetes.io/zone` (`nodeTaintsPolicy: Honor`).",
    near_miss: [("purpose: production", "purpose: development")],
}

rule! {
    PDB_BREAKS_ON_ZONE_LOSS: "pdb-breaks-on-zone-loss", Always(Warning), Some(pdb_breaks_on_zone_loss),
    needs: [Zones, Workers, Machines],
    workloads: "pdb-breaks-on-zone-loss.workloads.yaml",
    summary: "A PodDisruptionBudget no longer holds after a zone is lost.",
    what: "A PodDisruptionBudget whose `minAvailable` (or `maxUnavailable`, rounded up as the disruption controller does) is not met once a zone of the plan is lost and the evicted pods are re-placed on the nodes left: pods that cannot come back (StatefulSet pods of unreachable nodes, zonal volumes, scheduler refusals) stay missing.",
    why: "A budget below its minimum blocks every voluntary eviction of its pods (node drains, upgrades, Cluster Autoscaler's scale-down) until the zone returns, and says the service runs below what its owners asked for.",
    fix: "Spread the pods so that a zone's loss leaves enough of them (replicas over zones, `nodeTaintsPolicy: Honor`), or set the budget to what one zone's loss leaves.",
    near_miss: [("minAvailable: 2", "minAvailable: 1")],
}

rule! {
    REQUESTS_OVERCOMMIT_AFTER_LOSS: "requests-overcommit-after-loss", Always(Warning), Some(overcommit_after_loss),
    needs: [Workers, Machines],
    workloads: "requests-overcommit-after-loss.workloads.yaml",
    summary: "The pods' requests exceed what is left after losing the largest node or zone.",
    what: "The CPU or memory requests of every pod exceed the allocatable of all nodes less the largest node's (kube-prometheus' `KubeCPUOvercommit` and `KubeMemoryOvercommit`: `sum(requests) - (sum(allocatable) - max(allocatable)) > 0`), or, over two zones or more, less the largest zone's.",
    why: "Losing that node or zone leaves pods Pending whatever the scheduler does: kube-prometheus warns that such a cluster cannot tolerate a node failure.",
    fix: "Add a node per zone, or larger machines, until the requests fit after the loss (`kubeplan size --workloads` sizes for a zone's loss).",
    near_miss: [("nodes: 6", "nodes: 9")],
}

/// Where a finding about a workload (or budget) goes: its own file.
fn at(file: &str, pos: Pos, field: &str) -> Spot {
    let small = std::fs::metadata(file).is_ok_and(|m| m.is_file() && m.len() < 4 << 20);
    let text = match small {
        true => std::fs::read_to_string(file).unwrap_or_default(),
        false => String::new(),
    };
    let mut s = Spot::new(pos, field);
    s.file = Some(Arc::new(Source::new(file.to_string(), text)));
    s
}

fn hit(w: &Workload, message: String, help: &str) -> Hit {
    Hit::at(at(&w.file, w.pos, "metadata"), message, help)
}

fn zones(ctx: &Ctx) -> usize {
    ctx.plan.zones().len()
}

fn zone_key(k: &str) -> bool {
    k == ZONE || k == ZONE_BETA
}

fn spread_counts_lost_zone(ctx: &Ctx) -> Vec<Hit> {
    let Some(set) = ctx.workloads.filter(|_| zones(ctx) >= 2) else {
        return vec![];
    };
    set.workloads
        .iter()
        .filter(|w| w.pods > 0 && w.kind != Kind::DaemonSet)
        .filter(|w| w.pod.spread.iter().any(|s| zone_key(&s.topology_key) && !s.honor_taints))
        .map(|w| {
            hit(
                w,
                format!(
                    "{}: its zone spread (DoNotSchedule) counts a lost zone's NotReady nodes (nodeTaintsPolicy Ignore, the default): after a zone loss its replacements stay Pending until the zone returns",
                    w.id()
                ),
                "set `nodeTaintsPolicy: Honor` on the constraint, or `whenUnsatisfiable: ScheduleAnyway`",
            )
        })
        .collect()
}

fn zone_anti_affinity_no_spare(ctx: &Ctx) -> Vec<Hit> {
    let z = zones(ctx);
    let Some(set) = ctx.workloads.filter(|_| z >= 2) else {
        return vec![];
    };
    set.workloads
        .iter()
        .filter(|w| w.pods as usize >= z && w.kind != Kind::DaemonSet)
        .filter(|w| {
            w.pod.anti_affinity.iter().any(|t| {
                zone_key(&t.topology_key) && t.selects(&w.namespace, &w.namespace, &w.pod.labels)
            })
        })
        .map(|w| {
            hit(
                w,
                format!(
                    "{} runs {} replicas with required anti-affinity on zone over {z} zones: a lost zone's replacement has no zone to go to{}",
                    w.id(),
                    w.pods,
                    match w.pods as usize > z {
                        true => format!(", and {} replicas never run", w.pods as usize - z),
                        false => String::new(),
                    }
                ),
                "use preferred anti-affinity or a zone spread with nodeTaintsPolicy: Honor, or fewer replicas than zones",
            )
        })
        .collect()
}

fn in_one_zone(ctx: &Ctx) -> Vec<Hit> {
    let (Some(set), Some(b)) = (ctx.workloads, ctx.base()) else {
        return vec![];
    };
    if zones(ctx) < 2 {
        return vec![];
    }
    let controllers = [
        Kind::Deployment,
        Kind::StatefulSet,
        Kind::ReplicaSet,
        Kind::ReplicationController,
    ];
    let mut out = Vec::new();
    for (g, grp) in b.groups.iter().enumerate() {
        let Some(w) = set.workloads.get(grp.workload) else {
            continue;
        };
        if !controllers.contains(&w.kind) || w.pods == 0 {
            continue;
        }
        // A snapshot's pods where they run; a plan's where they may run
        // (first-fit packing is no kube-scheduler scoring, which spreads).
        let mut used: Vec<Option<u32>> = b
            .cluster
            .nodes
            .iter()
            .filter(|n| match ctx.snapshot {
                Some(_) => n.count(g as u32) > 0,
                None => crate::workloads::fit::static_fit(&b.cluster, n, grp).is_ok(),
            })
            .map(|n| n.zone)
            .collect();
        used.sort();
        used.dedup();
        let why = match (w.pods, used.as_slice()) {
            (1, _) => "runs one replica".to_string(),
            (_, [Some(z)]) => format!(
                "has all {} replicas in zone {}",
                w.pods, b.cluster.zones[*z as usize]
            ),
            _ => continue,
        };
        out.push(hit(
            w,
            format!("{} {why}: losing that zone takes it down", w.id()),
            "run two replicas or more, spread over zones (topologySpreadConstraints on topology.kubernetes.io/zone, nodeTaintsPolicy: Honor)",
        ));
    }
    out
}

fn pdb_breaks_on_zone_loss(ctx: &Ctx) -> Vec<Hit> {
    let (Some(set), Some(b)) = (ctx.workloads, ctx.base()) else {
        return vec![];
    };
    if set.pdbs.is_empty() || b.cluster.zones.len() < 2 {
        return vec![];
    }
    let mut worst: Vec<Option<(String, crate::whatif::pods::BudgetState)>> =
        vec![None; set.pdbs.len()];
    for z in &b.cluster.zones {
        let lost = Lost {
            zones: vec![z.clone()],
            machines: Default::default(),
        };
        let state = crate::whatif::pods::state(b, &lost, String::new());
        for (i, s) in state.budgets.into_iter().enumerate() {
            let worse = worst[i]
                .as_ref()
                .is_none_or(|(_, w)| s.healthy_after < w.healthy_after);
            if !s.holds && worse {
                worst[i] = Some((z.clone(), s));
            }
        }
    }
    set.pdbs
        .iter()
        .zip(worst)
        .filter_map(|(p, w)| {
            let (zone, s) = w?;
            Some(Hit::at(
                at(&p.file, p.pos, "spec"),
                format!(
                    "PodDisruptionBudget {}/{} wants {} healthy of {} pods; losing zone {zone} leaves {}: until the zone returns, no node can be drained",
                    p.namespace, p.name, s.desired_healthy, s.expected, s.healthy_after
                ),
                "spread its pods so a zone's loss leaves enough of them, or lower the budget to what one zone's loss leaves",
            ))
        })
        .collect()
}

fn overcommit_after_loss(ctx: &Ctx) -> Vec<Hit> {
    let Some(b) = ctx.base() else {
        return vec![];
    };
    let c = &b.cluster;
    let mut requests = [0i64; 2];
    for (g, grp) in b.groups.iter().enumerate() {
        let placed: i64 = c.nodes.iter().map(|n| i64::from(n.count(g as u32))).sum();
        let pending: i64 = b
            .before
            .iter()
            .filter(|p| p.group == g as u32)
            .map(|p| i64::from(p.pods))
            .sum();
        requests[0] += grp.pod.requests.cpu * (placed + pending);
        requests[1] += grp.pod.requests.memory * (placed + pending);
    }
    let alloc = |n: &crate::workloads::cluster::Node| {
        let a = &c.pools[n.pool as usize].alloc;
        [a.cpu, a.memory]
    };
    let mut out = Vec::new();
    for (r, (name, unit)) in [("CPU", 1000.0), ("memory", 1_073_741_824.0)]
        .iter()
        .enumerate()
    {
        let total: i64 = c.nodes.iter().map(|n| alloc(n)[r]).sum();
        let node = c.nodes.iter().map(|n| alloc(n)[r]).max().unwrap_or(0);
        let zone = (0..c.zones.len() as u32)
            .map(|z| {
                c.nodes
                    .iter()
                    .filter(|n| n.zone == Some(z))
                    .map(|n| alloc(n)[r])
                    .sum::<i64>()
            })
            .max()
            .unwrap_or(0);
        let (what, lost) = match c.zones.len() >= 2 && zone > node {
            true => ("zone", zone),
            false => ("node", node),
        };
        let left = total - lost;
        if requests[r] > left && (left > 0 || what == "zone") {
            let u = if r == 0 { "cores" } else { "GiB" };
            out.push(Hit::new(
                "spec.workers",
                format!(
                    "the pods request {} {u} of {name}; losing the largest {what} leaves {} {u} allocatable of {}: {} {u} of requests find no room (kube-prometheus' Kube{}Overcommit condition)",
                    decimal(requests[r] as f64 / unit),
                    decimal(left as f64 / unit),
                    decimal(total as f64 / unit),
                    decimal((requests[r] - left) as f64 / unit),
                    if r == 0 { "CPU" } else { "Memory" }
                ),
                format!("add nodes (or larger machines) until the requests fit after losing a {what}"),
            ));
        }
    }
    out
}
