//! Packing pods onto nodes: first-fit decreasing (the largest pods first,
//! as Cluster Autoscaler's binpacking estimator orders them), with the full
//! fit of `fit.rs`; new nodes open in a group's pool when none fits.

use super::cluster::{Cluster, Group, HOSTNAME, ZONE, ZONE_BETA};
use super::fit::{dynamic_room, static_fit, Counts, Relations, SpreadState};

/// Pods of a group that found no node, and the scheduler's reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub group: u32,
    pub pods: u32,
    pub reason: String,
}

/// A packing in progress (and its result).
#[derive(Debug, Clone)]
pub struct Packer<'a> {
    pub c: Cluster,
    pub groups: &'a [Group],
    pub rel: &'a Relations,
    pub counts: Counts,
    pub pending: Vec<Pending>,
    /// DaemonSet pods that did not fit the node they belong on: (group, node).
    pub daemon_misfits: Vec<(u32, usize)>,
    /// Whether new nodes may open.
    pub grow: bool,
}

impl<'a> Packer<'a> {
    /// A packer over a cluster's nodes (which get their DaemonSet pods).
    pub fn new(c: Cluster, groups: &'a [Group], rel: &'a Relations) -> Packer<'a> {
        let counts = Counts::new(groups.len(), c.zones.len());
        let mut p = Packer {
            c,
            groups,
            rel,
            counts,
            pending: Vec::new(),
            daemon_misfits: Vec::new(),
            grow: true,
        };
        for i in 0..p.c.nodes.len() {
            p.run_daemons(i);
        }
        p
    }

    /// One pod of each DaemonSet that accepts the node.
    fn run_daemons(&mut self, i: usize) {
        for (g, grp) in self.groups.iter().enumerate() {
            if !grp.daemon || static_fit(&self.c, &self.c.nodes[i], grp).is_err() {
                continue;
            }
            match dynamic_room(
                &self.c,
                &self.counts,
                self.rel,
                self.groups,
                g as u32,
                &self.c.nodes[i],
            ) {
                Ok(r) if r > 0 => self.place(g as u32, i, 1),
                _ => self.daemon_misfits.push((g as u32, i)),
            }
        }
    }

    /// Puts `k` pods of group `g` on node `i`.
    pub fn place(&mut self, g: u32, i: usize, k: u32) {
        let grp = &self.groups[g as usize];
        let n = &mut self.c.nodes[i];
        for _ in 0..k.min(1) {
            n.ports.extend(grp.pod.host_ports.iter().cloned());
        }
        let r = &grp.pod.requests;
        let k64 = i64::from(k);
        n.free.cpu -= r.cpu * k64;
        n.free.memory -= r.memory * k64;
        n.free.ephemeral -= r.ephemeral * k64;
        for (name, v) in &r.ext {
            let cur = n.free.ext(name);
            n.free.set(name, cur - v * k64);
        }
        n.free_pods -= k64;
        n.add(g, k);
        let z = n.zone;
        self.counts.change(g, z, k64);
    }

    /// Opens a node of `pool` in `zone` with its DaemonSet pods.
    pub fn open(&mut self, pool: u32, zone: Option<u32>) -> usize {
        let i = self.c.open(pool, zone);
        self.run_daemons(i);
        i
    }

    /// Removes the node just opened (a probe that did not fit).
    fn close_last(&mut self) {
        if let Some(n) = self.c.nodes.pop() {
            for (g, k) in n.groups {
                self.counts.change(g, n.zone, -i64::from(k));
            }
            self.daemon_misfits.retain(|(_, i)| *i < self.c.nodes.len());
        }
    }

    /// Zones of the group's pool, those with fewest of its nodes first.
    fn zones_to_open(&self, pool: u32) -> Vec<Option<u32>> {
        let p = &self.c.pools[pool as usize];
        if p.open_zones.is_empty() {
            return if self.c.zones.is_empty() {
                vec![None]
            } else {
                Vec::new()
            };
        }
        let mut per: Vec<(u32, u32)> = p.open_zones.iter().map(|&z| (0, z)).collect();
        for n in self.c.nodes.iter().filter(|n| n.pool == pool && !n.down) {
            if let Some(e) = per.iter_mut().find(|e| Some(e.1) == n.zone) {
                e.0 += 1;
            }
        }
        per.sort();
        per.into_iter().map(|e| Some(e.1)).collect()
    }

    /// Places the pods of every group, largest first.
    pub fn pack(&mut self, order: &[u32]) {
        for &g in order {
            let k = self.groups[g as usize].count;
            if !self.groups[g as usize].daemon && k > 0 {
                self.place_group(g, k);
            }
        }
    }

    fn constrained(&self, g: u32) -> bool {
        let p = &self.groups[g as usize].pod;
        !(p.spread.is_empty()
            && p.affinity.is_empty()
            && p.anti_affinity.is_empty()
            && p.host_ports.is_empty()
            && self.rel.anti_of[g as usize].is_empty())
    }

    /// Places `k` pods of group `g`; returns how many found a node.
    pub fn place_group(&mut self, g: u32, k: u32) -> u32 {
        let placed = if self.constrained(g) {
            self.one_by_one(g, k)
        } else {
            self.in_bulk(g, k)
        };
        if placed < k {
            let reason = self.why_not(g);
            self.pending.push(Pending {
                group: g,
                pods: k - placed,
                reason,
            });
        }
        placed
    }

    fn fits_now(&self, g: u32, i: usize) -> Result<u32, String> {
        let n = &self.c.nodes[i];
        if n.down {
            return Err("node(s) were unschedulable".into());
        }
        static_fit(&self.c, n, &self.groups[g as usize])?;
        dynamic_room(&self.c, &self.counts, self.rel, self.groups, g, n)
    }

    /// Pods without spread or pod (anti-)affinity: as many per node as fit.
    fn in_bulk(&mut self, g: u32, k: u32) -> u32 {
        let mut left = k;
        for i in 0..self.c.nodes.len() {
            if left == 0 {
                break;
            }
            if let Ok(room) = self.fits_now(g, i) {
                let n = room.min(left);
                if n > 0 {
                    self.place(g, i, n);
                    left -= n;
                }
            }
        }
        while left > 0 {
            let Some(i) = self.probe(g, &[]) else { break };
            let n = self.fits_now(g, i).unwrap_or(0).min(left);
            self.place(g, i, n);
            left -= n;
        }
        k - left
    }

    /// Opens a node where one pod of `g` fits (spread states updated), or None.
    fn probe(&mut self, g: u32, spreads: &[SpreadState]) -> Option<usize> {
        let pool = self.groups[g as usize].pool.filter(|_| self.grow)?;
        let mut zones = self.zones_to_open(pool);
        if let Some(s) = spreads
            .iter()
            .find(|s| matches!(s.key.as_str(), ZONE | ZONE_BETA))
        {
            zones.sort_by_key(|z| z.map_or(0, |z| s.count_of(&self.c.zones[z as usize])));
        }
        for z in zones {
            let i = self.open(pool, z);
            let terms = &self.rel.spread[g as usize];
            let ok = matches!(self.fits_now(g, i), Ok(r) if r > 0)
                && spreads.iter().zip(terms).all(|(s, t)| {
                    let mut s = s.clone();
                    s.add_node(&self.c, self.groups, g, i, &t.groups);
                    s.allows(i)
                });
            if ok {
                return Some(i);
            }
            self.close_last();
        }
        None
    }

    /// Pods with constraints that change as they are placed: one at a time.
    fn one_by_one(&mut self, g: u32, k: u32) -> u32 {
        let mut spreads = SpreadState::new(&self.c, self.rel, self.groups, g, self.grow);
        let terms: Vec<Vec<u32>> = self.rel.spread[g as usize]
            .iter()
            .map(|t| t.groups.clone())
            .collect();
        let mut dead = vec![false; self.c.nodes.len()];
        let mut first = 0;
        let by_zone = spreads
            .iter()
            .position(|s| matches!(s.key.as_str(), ZONE | ZONE_BETA));
        let _ = HOSTNAME;
        for done in 0..k {
            let mut target = None;
            let mut candidates: Vec<usize> =
                (first..self.c.nodes.len()).filter(|&i| !dead[i]).collect();
            if let Some(z) = by_zone {
                let s = &spreads[z];
                candidates.sort_by_key(|&i| {
                    self.c.nodes[i]
                        .zone
                        .map_or(u32::MAX, |zz| s.count_of(&self.c.zones[zz as usize]))
                });
            }
            for i in candidates {
                if !spreads.iter().all(|s| s.allows(i)) {
                    continue;
                }
                match self.fits_now(g, i) {
                    Ok(r) if r > 0 => {
                        target = Some(i);
                        break;
                    }
                    _ => dead[i] = true,
                }
            }
            while first < dead.len() && dead[first] {
                first += 1;
            }
            if target.is_none() {
                target = self.probe_spread(g, &mut spreads, &terms);
                dead.resize(self.c.nodes.len(), false);
            }
            let Some(i) = target else { return done };
            self.place(g, i, 1);
            for s in &mut spreads {
                s.placed(i);
            }
        }
        k
    }

    fn probe_spread(
        &mut self,
        g: u32,
        spreads: &mut [SpreadState],
        terms: &[Vec<u32>],
    ) -> Option<usize> {
        let before = self.c.nodes.len();
        let i = self.probe(g, spreads)?;
        for n in before..=i {
            for (s, t) in spreads.iter_mut().zip(terms) {
                s.add_node(&self.c, self.groups, g, n, t);
            }
        }
        Some(i)
    }

    /// Why a pod of `g` finds no node: a fresh node's reason where the pool
    /// grows, else the scheduler's summary ("0/3 nodes are available: …").
    fn why_not(&mut self, g: u32) -> String {
        if let Some(pool) = self.groups[g as usize].pool.filter(|_| self.grow) {
            let zones = self.zones_to_open(pool);
            for z in zones.into_iter().take(1) {
                let i = self.open(pool, z);
                let r = self.fits_now(g, i);
                self.close_last();
                if let Err(e) = r {
                    return e;
                }
            }
            if self.c.pools[pool as usize].open_zones.is_empty() && !self.c.zones.is_empty() {
                return "no zone to open a node in".into();
            }
            return "node(s) didn't match pod topology spread constraints".into();
        }
        let mut reasons: std::collections::BTreeMap<String, u32> = Default::default();
        let live = self.c.nodes.iter().filter(|n| !n.down).count();
        for i in 0..self.c.nodes.len() {
            if self.c.nodes[i].down {
                continue;
            }
            let r = match self.fits_now(g, i) {
                Ok(0) => "Too many pods".to_string(),
                Ok(_) => "node(s) didn't match pod topology spread constraints".to_string(),
                Err(e) => e,
            };
            *reasons.entry(r).or_default() += 1;
        }
        let mut list: Vec<(u32, String)> = reasons.into_iter().map(|(r, n)| (n, r)).collect();
        list.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let text: Vec<String> = list.iter().map(|(n, r)| format!("{n} {r}")).collect();
        format!("0/{live} nodes are available: {}", text.join(", "))
    }
}
