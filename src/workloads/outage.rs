//! A failure on a packed cluster, as Kubernetes lives it: the lost nodes
//! go NotReady and stay in the node list, tainted
//! `node.kubernetes.io/unreachable`; their pods are evicted, and the
//! controllers' replacements are placed on the nodes left with the full
//! fit (`pack.rs`), nothing new opening. What cannot move is said with why.

use super::cluster::Group;
use super::model::{Kind, WorkloadSet};
use super::pack::{Packer, Pending};

/// Why an evicted pod is not replaced elsewhere, whatever the room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Hold {
    /// A StatefulSet's pod keeps its identity: the controller creates its
    /// replacement only once the old pod is gone from the API server,
    /// which a pod of an unreachable node never is until the node is
    /// deleted (or tainted `node.kubernetes.io/out-of-service`).
    StatefulSet,
    /// Its volume is a zonal disk (EBS, Persistent Disk, Azure Disk LRS)
    /// of the lost zone, or a local volume of the lost node: the
    /// replacement can only run there.
    ZonalVolume,
    /// A bare Pod: no controller makes another.
    NoController,
    /// A static pod belongs to its node's kubelet.
    Static,
}

impl Hold {
    pub fn short(self) -> &'static str {
        match self {
            Hold::StatefulSet => "StatefulSet identity",
            Hold::ZonalVolume => "zonal volume",
            Hold::NoController => "no controller",
            Hold::Static => "static pod",
        }
    }

    pub fn detail(self) -> &'static str {
        match self {
            Hold::StatefulSet => "the StatefulSet controller replaces a pod only once it is deleted; a pod of an unreachable node stays Terminating until the node object is deleted or tainted node.kubernetes.io/out-of-service",
            Hold::ZonalVolume => "its persistent volume is a zonal disk of the lost zone (or a local volume of the lost node): the replacement can only run there",
            Hold::NoController => "a bare Pod: no controller creates a replacement",
            Hold::Static => "a static pod runs from its node's kubelet: it is back with the node",
        }
    }
}

/// What a failure does to the pods.
#[derive(Debug, Clone, Default)]
pub struct Outage {
    /// Pods on the lost nodes, per group (DaemonSets' pods aside).
    pub evicted: Vec<u32>,
    /// DaemonSet pods lost with their nodes, per group (they do not move).
    pub daemons: Vec<u32>,
    /// Evicted pods that are not replaced elsewhere: (group, pods, why).
    pub held: Vec<(u32, u32, Hold)>,
    /// Replacements that found no node, with the scheduler's reason.
    pub pending: Vec<Pending>,
}

impl Outage {
    /// Pods evicted that run again on the nodes left.
    pub fn rescheduled(&self) -> u64 {
        let all: u64 = self.evicted.iter().map(|&n| u64::from(n)).sum();
        all - self.stranded()
    }

    /// Pods evicted that do not run again until the failure is repaired.
    pub fn stranded(&self) -> u64 {
        let held: u64 = self.held.iter().map(|h| u64::from(h.1)).sum();
        let pending: u64 = self.pending.iter().map(|p| u64::from(p.pods)).sum();
        held + pending
    }
}

/// Takes nodes out: each goes NotReady (down, still a domain) and its pods
/// are removed; returns the pods removed per group, DaemonSets' apart.
pub fn evict(sim: &mut Packer, nodes: &[usize]) -> (Vec<u32>, Vec<u32>) {
    let mut evicted = vec![0u32; sim.groups.len()];
    let mut daemons = vec![0u32; sim.groups.len()];
    for &i in nodes {
        let (pool, zone) = (sim.c.nodes[i].pool, sim.c.nodes[i].zone);
        sim.c.bump(pool, zone, -1);
        sim.c.nodes[i].down = true;
        sim.sync(i);
        for (g, k) in std::mem::take(&mut sim.c.nodes[i].groups) {
            match sim.groups[g as usize].daemon {
                true => daemons[g as usize] += k,
                false => evicted[g as usize] += k,
            }
            sim.counts.change(g, zone, -i64::from(k));
        }
    }
    (evicted, daemons)
}

/// Where a platform's default persistent volumes live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Volumes {
    /// On one node (local volumes): lost with it.
    Node,
    /// A zonal disk: lost with its zone.
    Zone,
    /// Across zones, or on storage servers: they follow the pod.
    Anywhere,
}

/// What becomes of a group's evicted pods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Their controller's replacements go wherever they fit.
    Moves,
    /// Their replacements must run in the zone they were in (a zonal
    /// volume, after a node's loss: kube-scheduler's VolumeZone filter).
    InItsZone,
    /// They are not replaced elsewhere.
    Stays(Hold),
}

/// What becomes of a group's evicted pods; `whole_zone`: the failure takes
/// whole zones.
pub fn fate(set: &WorkloadSet, g: &Group, volumes: Volumes, whole_zone: bool) -> Fate {
    let Some(w) = set.workloads.get(g.workload) else {
        return Fate::Moves;
    };
    let bound = w.pod.volumes
        && match volumes {
            Volumes::Node => true,
            Volumes::Zone => whole_zone,
            Volumes::Anywhere => false,
        };
    match w.kind {
        Kind::StaticPod => Fate::Stays(Hold::Static),
        _ if bound => Fate::Stays(Hold::ZonalVolume),
        Kind::StatefulSet => Fate::Stays(Hold::StatefulSet),
        Kind::Pod => Fate::Stays(Hold::NoController),
        _ if w.pod.volumes && volumes == Volumes::Zone => Fate::InItsZone,
        _ => Fate::Moves,
    }
}

/// Loses `nodes` from a copy of the packing and places the replacements
/// of their pods (largest first, in `order`) on the nodes left.
pub fn outage(p: &Packer, nodes: &[usize], order: &[u32], fate: &dyn Fn(&Group) -> Fate) -> Outage {
    let mut sim = p.clone();
    sim.pending.clear();
    sim.grow = false;
    // Where each group's evicted pods were: (group, zone) -> pods.
    let mut from: std::collections::BTreeMap<(u32, Option<u32>), u32> = Default::default();
    for &i in nodes {
        let n = &sim.c.nodes[i];
        for &(g, k) in &n.groups {
            *from.entry((g, n.zone)).or_default() += k;
        }
    }
    let (evicted, daemons) = evict(&mut sim, nodes);
    let mut held = Vec::new();
    for &g in order {
        let k = evicted[g as usize];
        if k == 0 {
            continue;
        }
        match fate(&sim.groups[g as usize]) {
            Fate::Stays(h) => held.push((g, k, h)),
            Fate::Moves => {
                sim.place_group(g, k);
            }
            Fate::InItsZone => {
                for (&(_, zone), &n) in from.range((g, None)..=(g, Some(u32::MAX))) {
                    place_in_zone(&mut sim, g, n, zone);
                }
            }
        }
    }
    Outage {
        evicted,
        daemons,
        held,
        pending: sim.pending,
    }
}

/// Places `k` pods of `g` on the nodes of one zone only (the others
/// hidden meanwhile); what finds no room there is said to be held by its
/// zonal volume.
fn place_in_zone(sim: &mut Packer, g: u32, k: u32, zone: Option<u32>) {
    let hide: Vec<usize> = (0..sim.c.nodes.len())
        .filter(|&i| !sim.c.nodes[i].down && sim.c.nodes[i].zone != zone)
        .collect();
    for &i in &hide {
        sim.c.nodes[i].down = true;
        sim.sync(i);
    }
    let before = sim.pending.len();
    sim.place_group(g, k);
    for &i in &hide {
        sim.c.nodes[i].down = false;
        sim.sync(i);
    }
    let zone = zone.map_or("its zone".to_string(), |z| {
        format!("zone {}", sim.c.zones[z as usize])
    });
    // The nodes hidden are no reason: the first reason of the zone's is.
    for p in &mut sim.pending[before..] {
        p.reason = format!(
            "its persistent volume is a zonal disk: the replacement must run in {zone}, where no node takes it ({})",
            p.short
        );
        p.short = Hold::ZonalVolume.short().to_string();
    }
}
