//! Surviving a zone loss: the lost zone's pods are packed onto the nodes
//! left (no ratio), and each pool grows in the other zones until they fit.

use std::collections::BTreeMap;

use super::pack::{Packer, Pending};

/// Pods that cannot come back after a failure, whatever the nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct Stranded {
    /// The zone lost (or node, in one zone).
    pub lost: String,
    pub pending: Pending,
}

/// Nodes opened per (pool, zone).
pub type Opened = BTreeMap<(u32, Option<u32>), u32>;

/// The failure domains: zones where there are two or more, else each node.
fn domains(p: &Packer) -> Vec<(String, Vec<usize>)> {
    if p.c.zones.len() >= 2 {
        (0..p.c.zones.len() as u32)
            .map(|z| {
                let nodes = (0..p.c.nodes.len())
                    .filter(|&i| p.c.nodes[i].zone == Some(z))
                    .collect();
                (p.c.zones[z as usize].clone(), nodes)
            })
            .collect()
    } else {
        // One zone: losing the node with the most pods.
        let big = (0..p.c.nodes.len()).max_by_key(|&i| (p.c.nodes[i].pods(), std::cmp::Reverse(i)));
        big.map(|i| (p.c.nodes[i].name.clone(), vec![i]))
            .into_iter()
            .collect()
    }
}

/// Loses one domain in a copy of the packing and re-places its pods on the
/// survivors (growing other zones when `grow`): the nodes each pool opened
/// per zone, and what found no node.
pub fn lose(p: &Packer, nodes: &[usize], grow: bool, order: &[u32]) -> (Opened, Vec<Pending>) {
    let mut sim = p.clone();
    sim.pending.clear();
    sim.grow = grow;
    let lost_zones: Vec<u32> = nodes.iter().filter_map(|&i| sim.c.nodes[i].zone).collect();
    let (evicted, _) = super::outage::evict(&mut sim, nodes);
    if sim.c.zones.len() >= 2 {
        for pool in &mut sim.c.pools {
            pool.open_zones.retain(|z| !lost_zones.contains(z));
        }
    }
    let before = sim.c.nodes.len();
    for &g in order {
        if evicted[g as usize] > 0 {
            sim.place_group(g, evicted[g as usize]);
        }
    }
    let mut opened = BTreeMap::new();
    for n in &sim.c.nodes[before..] {
        *opened.entry((n.pool, n.zone)).or_default() += 1;
    }
    (opened, sim.pending)
}

/// Grows the packing until losing any one domain leaves room for every
/// pod that more nodes can hold; returns the pods no node count saves.
pub fn survive(p: &mut Packer, order: &[u32]) -> Vec<Stranded> {
    let mut stranded = Vec::new();
    for _ in 0..6 {
        stranded.clear();
        let mut extra = Opened::new();
        for (name, nodes) in domains(p) {
            let (opened, pending) = lose(p, &nodes, true, order);
            for (k, v) in opened {
                let e = extra.entry(k).or_default();
                *e = (*e).max(v);
            }
            stranded.extend(pending.into_iter().map(|pending| Stranded {
                lost: name.clone(),
                pending,
            }));
        }
        if extra.is_empty() {
            break;
        }
        for ((pool, zone), k) in extra {
            for _ in 0..k {
                p.open(pool, zone);
            }
        }
    }
    stranded
}
