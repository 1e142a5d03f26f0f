//! Packing pods onto nodes: first-fit decreasing (the largest pods first,
//! as Cluster Autoscaler's binpacking estimator orders them), with the full
//! fit of `fit.rs`; new nodes open in a group's pool when none fits.

use super::cluster::{Cluster, Group, ZONE, ZONE_BETA};
use super::fit::{dynamic_room, static_fit, Counts, Relations, Unfit};
use super::spread::SpreadState;

/// The group whose static fits are cached, and the fits per pool and zone.
type Statics = (u32, Vec<Option<Result<(), Unfit>>>);

/// Pods of a group that found no node, and the scheduler's reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub group: u32,
    pub pods: u32,
    pub reason: String,
    /// The reason in a few words ("Insufficient memory", "anti-affinity").
    pub short: String,
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
    /// The static fit of the group being placed, per pool and zone.
    statics: std::cell::RefCell<Statics>,
    /// Every node's free CPU, memory and pod slots, for first-fit.
    free: super::free::FreeTree,
}

impl<'a> Packer<'a> {
    /// A packer over a cluster's nodes (which get their DaemonSet pods).
    pub fn new(c: Cluster, groups: &'a [Group], rel: &'a Relations) -> Packer<'a> {
        let mut p = Packer::placed(c, groups, rel);
        p.grow = true;
        for i in 0..p.c.nodes.len() {
            p.run_daemons(i);
        }
        p
    }

    /// A packer over a cluster whose pods are already on their nodes
    /// (`Node::groups`, with `free` what they leave): nothing is added.
    pub fn placed(c: Cluster, groups: &'a [Group], rel: &'a Relations) -> Packer<'a> {
        let mut counts = Counts::new(groups.len(), c.zones.len());
        for n in &c.nodes {
            for &(g, k) in &n.groups {
                counts.change(g, n.zone, i64::from(k));
            }
        }
        let mut p = Packer {
            c,
            groups,
            rel,
            counts,
            pending: Vec::new(),
            daemon_misfits: Vec::new(),
            grow: false,
            statics: std::cell::RefCell::new((u32::MAX, Vec::new())),
            free: Default::default(),
        };
        for i in 0..p.c.nodes.len() {
            p.sync(i);
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
        self.sync(i);
    }

    /// Node `i`'s free resources into the first-fit tree (none when down).
    pub fn sync(&mut self, i: usize) {
        let n = &self.c.nodes[i];
        let v = match n.down {
            true => [-1, -1, -1],
            false => [n.free.cpu, n.free.memory, n.free_pods],
        };
        self.free.set(i, v);
    }

    /// Opens a node of `pool` in `zone` with its DaemonSet pods.
    pub fn open(&mut self, pool: u32, zone: Option<u32>) -> usize {
        let i = self.c.open(pool, zone);
        self.sync(i);
        self.run_daemons(i);
        i
    }

    /// Removes the node just opened (a probe that did not fit).
    fn close_last(&mut self) {
        if let Some(n) = self.c.nodes.pop() {
            self.free.set(self.c.nodes.len(), [-1, -1, -1]);
            self.c.bump(n.pool, n.zone, -1);
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
        let mut per: Vec<(u32, u32)> = p
            .open_zones
            .iter()
            .map(|&z| (self.c.live(pool, Some(z)), z))
            .collect();
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
            let (reason, short) = self.why_not(g);
            self.pending.push(Pending {
                group: g,
                pods: k - placed,
                reason,
                short,
            });
        }
        placed
    }

    fn fits_now(&self, g: u32, i: usize) -> Result<u32, Unfit> {
        let n = &self.c.nodes[i];
        if n.down {
            return Err(Unfit::Down);
        }
        self.static_fit_cached(g, n)?;
        dynamic_room(&self.c, &self.counts, self.rel, self.groups, g, n)
    }

    /// Taints, selectors and node affinity: the same for every node of a
    /// pool in a zone (unless the pod selects nodes by name), so computed
    /// once per pool and zone for the group being placed.
    fn static_fit_cached(&self, g: u32, n: &super::cluster::Node) -> Result<(), Unfit> {
        let grp = &self.groups[g as usize];
        if super::spread::by_name(&grp.pod) {
            return static_fit(&self.c, n, grp);
        }
        let zones = self.c.zones.len() + 1;
        let at = n.pool as usize * zones + n.zone.map_or(0, |z| z as usize + 1);
        let mut cache = self.statics.borrow_mut();
        if cache.0 != g {
            *cache = (g, vec![None; self.c.pools.len() * zones]);
        }
        *cache.1[at].get_or_insert_with(|| static_fit(&self.c, n, grp))
    }

    /// Pods without spread or pod (anti-)affinity: as many per node as fit.
    fn in_bulk(&mut self, g: u32, k: u32) -> u32 {
        let mut left = k;
        let r = &self.groups[g as usize].pod.requests;
        let need = [r.cpu, r.memory, 1];
        let mut from = 0;
        while left > 0 {
            let Some(i) = self.free.first_from(from, &need) else {
                break;
            };
            if let Ok(room) = self.fits_now(g, i) {
                let n = room.min(left);
                if n > 0 {
                    self.place(g, i, n);
                    left -= n;
                }
            }
            from = i + 1;
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

    /// Pods with constraints that change as they are placed: one at a
    /// time. Nodes are tried per zone, the zone with the fewest matching
    /// pods first when the pod spreads over zones; a node a pod of the
    /// group no longer fits (resources, ports, anti-affinity only grow)
    /// is not tried again.
    fn one_by_one(&mut self, g: u32, k: u32) -> u32 {
        let mut spreads = SpreadState::new(
            &self.c,
            self.rel,
            self.groups,
            g,
            self.grow,
            Some(&self.counts),
        );
        let terms: Vec<Vec<u32>> = self.rel.spread[g as usize]
            .iter()
            .map(|t| t.groups.clone())
            .collect();
        let by_zone = spreads
            .iter()
            .position(|s| matches!(s.key.as_str(), ZONE | ZONE_BETA));
        let lane_of = |n: &super::cluster::Node| match by_zone {
            Some(_) => n.zone.map_or(0, |z| z as usize + 1),
            None => 0,
        };
        let mut lanes: Vec<(Vec<usize>, ())> = vec![(Vec::new(), ()); self.c.zones.len() + 1];
        for (i, n) in self.c.nodes.iter().enumerate() {
            lanes[lane_of(n)].0.push(i);
        }
        let mut dead = vec![false; self.c.nodes.len()];
        for done in 0..k {
            let mut order: Vec<usize> = (0..lanes.len()).collect();
            if let Some(z) = by_zone {
                let s = &spreads[z];
                let count = |l: usize| match l {
                    0 => u32::MAX,
                    l => s.count_of(&self.c.zones[l - 1]),
                };
                order.sort_by_key(|&l| count(l));
            }
            let mut target = None;
            for l in order {
                target = self.scan_lane(g, &spreads, by_zone, l, &mut lanes[l].0, &mut dead);
                if target.is_some() {
                    break;
                }
            }
            if target.is_none() {
                let before = self.c.nodes.len();
                target = self.probe_spread(g, &mut spreads, &terms);
                for i in before..self.c.nodes.len() {
                    lanes[lane_of(&self.c.nodes[i])].0.push(i);
                }
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

    /// The first node of a lane (the nodes of one zone, or all) where one
    /// more pod of `g` fits and keeps every spread; nodes it no longer fits
    /// are marked dead and, once many, dropped from the lane.
    fn scan_lane(
        &self,
        g: u32,
        spreads: &[SpreadState],
        by_zone: Option<usize>,
        l: usize,
        nodes: &mut Vec<usize>,
        dead: &mut [bool],
    ) -> Option<usize> {
        // A zone spread allows a whole lane or none of it.
        if let Some(z) = by_zone.filter(|_| l > 0) {
            if !spreads[z].allows_value(&self.c.zones[l - 1]) {
                return None;
            }
        }
        let mut dropped = 0;
        let mut target = None;
        for &i in nodes.iter() {
            if dead[i] {
                dropped += 1;
                continue;
            }
            let mut others = spreads
                .iter()
                .enumerate()
                .filter(|(x, _)| Some(*x) != by_zone);
            if !others.all(|(_, s)| s.allows(i)) {
                continue;
            }
            match self.fits_now(g, i) {
                Ok(r) if r > 0 => {
                    target = Some(i);
                    break;
                }
                _ => {
                    dead[i] = true;
                    dropped += 1;
                }
            }
        }
        if dropped > 16 {
            nodes.retain(|&i| !dead[i]);
        }
        target
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

    /// Why a pod of `g` finds no node, and in a few words: a fresh node's
    /// reason where the pool grows, else the scheduler's summary ("0/3
    /// nodes are available: …", lost nodes counted by their taint) and the
    /// reason most of the nodes left give.
    fn why_not(&mut self, g: u32) -> (String, String) {
        let grp = &self.groups[g as usize];
        if let Some(pool) = grp.pool.filter(|_| self.grow) {
            let zones = self.zones_to_open(pool);
            for z in zones.into_iter().take(1) {
                let i = self.open(pool, z);
                let r = self.fits_now(g, i).map_err(|e| {
                    let grp = &self.groups[g as usize];
                    (e.text(&self.c, &self.c.nodes[i], grp), e.short(grp))
                });
                self.close_last();
                if let Err(e) = r {
                    return e;
                }
            }
            if self.c.pools[pool as usize].open_zones.is_empty() && !self.c.zones.is_empty() {
                return ("no zone to open a node in".into(), "no zone".into());
            }
            let text = "node(s) didn't match pod topology spread constraints".to_string();
            return (text, Unfit::Spread.short(grp));
        }
        let mut reasons: std::collections::BTreeMap<String, u32> = Default::default();
        let mut shorts: std::collections::BTreeMap<String, u32> = Default::default();
        for i in 0..self.c.nodes.len() {
            let why = match self.fits_now(g, i) {
                Ok(0) => Unfit::Pods,
                Ok(_) => Unfit::Spread,
                Err(e) => e,
            };
            let grp = &self.groups[g as usize];
            *reasons
                .entry(why.text(&self.c, &self.c.nodes[i], grp))
                .or_default() += 1;
            if !self.c.nodes[i].down {
                *shorts.entry(why.short(grp)).or_default() += 1;
            }
        }
        let ranked = |m: std::collections::BTreeMap<String, u32>| {
            let mut list: Vec<(u32, String)> = m.into_iter().map(|(r, n)| (n, r)).collect();
            list.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            list
        };
        let text: Vec<String> = ranked(reasons)
            .iter()
            .map(|(n, r)| format!("{n} {r}"))
            .collect();
        let short = ranked(shorts)
            .into_iter()
            .next()
            .map_or_else(|| "node lost".to_string(), |x| x.1);
        let all = self.c.nodes.len();
        (
            format!("0/{all} nodes are available: {}", text.join(", ")),
            short,
        )
    }
}
