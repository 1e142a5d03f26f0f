//! Whether a pod fits a node, as kube-scheduler's filter plugins decide
//! (kubernetes `pkg/scheduler/framework/plugins/`): NodeResourcesFit,
//! TaintToleration, NodeAffinity, NodePorts, InterPodAffinity and
//! PodTopologySpread (`DoNotSchedule` constraints). Preferred terms and
//! `ScheduleAnyway` constraints only score nodes: they never block a fit.

use std::collections::BTreeMap;

use super::cluster::{node_matches, untolerated, Cluster, Group, Node, HOSTNAME, ZONE, ZONE_BETA};
use super::model::{PodTerm, Res};

/// A term's key and the groups whose pods it selects.
#[derive(Debug, Clone)]
pub struct TermGroups {
    pub key: String,
    pub groups: Vec<u32>,
    /// The group's own pods match the term.
    pub own: bool,
}

/// Which groups each group's terms select, computed once.
#[derive(Debug, Clone, Default)]
pub struct Relations {
    pub affinity: Vec<Vec<TermGroups>>,
    pub anti: Vec<Vec<TermGroups>>,
    pub spread: Vec<Vec<TermGroups>>,
    /// For each group: the (group, key) whose anti-affinity selects it.
    pub anti_of: Vec<Vec<(u32, String)>>,
}

fn term_groups(groups: &[Group], g: usize, t: &PodTerm) -> TermGroups {
    let own_ns = &groups[g].pod.namespace;
    let sel: Vec<u32> = (0..groups.len())
        .filter(|&h| !groups[h].daemon || h == g)
        .filter(|&h| t.selects(own_ns, &groups[h].pod.namespace, &groups[h].pod.labels))
        .map(|h| h as u32)
        .collect();
    TermGroups {
        key: t.topology_key.clone(),
        own: sel.contains(&(g as u32)),
        groups: sel,
    }
}

impl Relations {
    pub fn new(groups: &[Group]) -> Relations {
        let mut r = Relations {
            anti_of: vec![Vec::new(); groups.len()],
            ..Relations::default()
        };
        for (g, grp) in groups.iter().enumerate() {
            let p = &grp.pod;
            r.affinity.push(
                p.affinity
                    .iter()
                    .map(|t| term_groups(groups, g, t))
                    .collect(),
            );
            let anti: Vec<TermGroups> = p
                .anti_affinity
                .iter()
                .map(|t| term_groups(groups, g, t))
                .collect();
            for t in &anti {
                for &h in &t.groups {
                    r.anti_of[h as usize].push((g as u32, t.key.clone()));
                }
            }
            r.anti.push(anti);
            r.spread.push(
                p.spread
                    .iter()
                    .map(|s| {
                        let sel: Vec<u32> = (0..groups.len())
                            .filter(|&h| {
                                groups[h].pod.namespace == p.namespace
                                    && s.selector.matches(&groups[h].pod.labels)
                            })
                            .map(|h| h as u32)
                            .collect();
                        TermGroups {
                            key: s.topology_key.clone(),
                            own: sel.contains(&(g as u32)),
                            groups: sel,
                        }
                    })
                    .collect(),
            );
        }
        r
    }
}

/// Pods of the cluster by group: per zone and in all.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    pub zones: usize,
    /// [group * zones + zone]
    pub by_zone: Vec<u32>,
    pub total: Vec<u32>,
}

impl Counts {
    pub fn new(groups: usize, zones: usize) -> Counts {
        Counts {
            zones,
            by_zone: vec![0; groups * zones.max(1)],
            total: vec![0; groups],
        }
    }

    pub fn zone(&self, g: u32, z: u32) -> u32 {
        self.by_zone[g as usize * self.zones.max(1) + z as usize]
    }

    pub fn change(&mut self, g: u32, z: Option<u32>, n: i64) {
        if let Some(z) = z {
            let i = g as usize * self.zones.max(1) + z as usize;
            self.by_zone[i] = (i64::from(self.by_zone[i]) + n) as u32;
        }
        self.total[g as usize] = (i64::from(self.total[g as usize]) + n) as u32;
    }
}

/// Pods of `groups` in the node's domain of `key`; None when the node has no such label.
pub fn domain_count(
    c: &Cluster,
    counts: &Counts,
    n: &Node,
    key: &str,
    groups: &[u32],
) -> Option<u32> {
    match key {
        HOSTNAME => Some(groups.iter().map(|&h| n.count(h)).sum()),
        ZONE | ZONE_BETA => {
            let z = n.zone?;
            Some(groups.iter().map(|&h| counts.zone(h, z)).sum())
        }
        _ => {
            let v = c.label(n, key)?;
            let same = c
                .nodes
                .iter()
                .filter(|m| !m.down && c.label(m, key) == Some(v));
            Some(
                same.map(|m| groups.iter().map(|&h| m.count(h)).sum::<u32>())
                    .sum(),
            )
        }
    }
}

/// How many pods of a request a node's free resources hold, or the first
/// resource short (`Insufficient cpu`, `Too many pods`).
pub fn resource_room(free: &Res, free_pods: i64, req: &Res) -> Result<u32, String> {
    if free_pods <= 0 {
        return Err("Too many pods".into());
    }
    let mut room = free_pods;
    let mut check = |name: &str, have: i64, want: i64| {
        if want > 0 {
            if have < want {
                return Err(format!("Insufficient {name}"));
            }
            room = room.min(have / want);
        }
        Ok(())
    };
    check("cpu", free.cpu, req.cpu)?;
    check("memory", free.memory, req.memory)?;
    check("ephemeral-storage", free.ephemeral, req.ephemeral)?;
    for (name, want) in &req.ext {
        check(name, free.ext(name), *want)?;
    }
    Ok(u32::try_from(room).unwrap_or(u32::MAX))
}

/// Host ports: `NodePorts` (a 0.0.0.0 host IP conflicts with every IP).
fn port_conflict(used: &[(String, String, u32)], want: &[(String, String, u32)]) -> bool {
    want.iter().any(|(proto, ip, port)| {
        used.iter().any(|(p, i, q)| {
            q == port && p == proto && (i == ip || i == "0.0.0.0" || ip == "0.0.0.0")
        })
    })
}

/// The fit of one group on one node that does not change as pods are
/// placed: taints, selectors, node affinity.
pub fn static_fit(c: &Cluster, n: &Node, g: &Group) -> Result<(), String> {
    let pool = &c.pools[n.pool as usize];
    if let Some(t) = untolerated(&g.pod, &pool.taints) {
        let v = if t.value.is_empty() {
            String::new()
        } else {
            format!(": {}", t.value)
        };
        return Err(format!("node(s) had untolerated taint {{{}{v}}}", t.key));
    }
    if !node_matches(c, n, &g.pod) {
        return Err("node(s) didn't match Pod's node affinity/selector".into());
    }
    Ok(())
}

/// Pods of group `g` node `n` can take now: resources, ports and pod
/// (anti-)affinity; `want` bounds the answer. Spread is checked apart.
pub fn dynamic_room(
    c: &Cluster,
    counts: &Counts,
    rel: &Relations,
    groups: &[Group],
    g: u32,
    n: &Node,
) -> Result<u32, String> {
    let grp = &groups[g as usize];
    let mut room = resource_room(&n.free, n.free_pods, &grp.pod.requests)?;
    if !grp.pod.host_ports.is_empty() {
        if port_conflict(&n.ports, &grp.pod.host_ports) {
            return Err("node(s) didn't have free ports for the requested pod ports".into());
        }
        room = room.min(1);
    }
    for t in &rel.anti[g as usize] {
        match domain_count(c, counts, n, &t.key, &t.groups) {
            Some(k) if k > 0 => return Err("node(s) didn't match pod anti-affinity rules".into()),
            Some(_) if t.own => room = room.min(1),
            _ => {}
        }
    }
    for (h, key) in &rel.anti_of[g as usize] {
        if domain_count(c, counts, n, key, &[*h]).unwrap_or(0) > 0 {
            return Err("node(s) didn't satisfy existing pods anti-affinity rules".into());
        }
    }
    let terms = &rel.affinity[g as usize];
    if !terms.is_empty() {
        let nowhere = terms
            .iter()
            .all(|t| t.groups.iter().all(|&h| counts.total[h as usize] == 0));
        let first = nowhere && terms.iter().all(|t| t.own);
        if !first {
            for t in terms {
                if domain_count(c, counts, n, &t.key, &t.groups).unwrap_or(0) == 0 {
                    return Err("node(s) didn't match pod affinity rules".into());
                }
            }
        } else {
            room = room.min(1);
        }
    }
    Ok(room)
}

/// One `DoNotSchedule` constraint while a group is placed: matching pods
/// per domain, and which domains count (those of nodes the pod's node
/// affinity accepts under `nodeAffinityPolicy: Honor`, and whose taints it
/// tolerates only under `nodeTaintsPolicy: Honor`).
#[derive(Debug, Clone)]
pub struct SpreadState {
    pub key: String,
    pub max_skew: u32,
    pub min_domains: u32,
    pub own: bool,
    domain_of: Vec<Option<u32>>,
    values: BTreeMap<String, u32>,
    counts: Vec<u32>,
    eligible: Vec<bool>,
    /// count -> eligible domains with it.
    hist: BTreeMap<u32, u32>,
}

impl SpreadState {
    /// The constraints of group `g` over the cluster's nodes; with `grow`,
    /// the zones its pool may open nodes in are domains too (empty until
    /// then), as Karpenter counts the zones a NodePool can launch in.
    pub fn new(
        c: &Cluster,
        rel: &Relations,
        groups: &[Group],
        g: u32,
        grow: bool,
    ) -> Vec<SpreadState> {
        let grp = &groups[g as usize];
        let mut out = Vec::new();
        for (s, t) in grp.pod.spread.iter().zip(&rel.spread[g as usize]) {
            let mut st = SpreadState {
                key: s.topology_key.clone(),
                max_skew: s.max_skew,
                min_domains: s.min_domains.unwrap_or(1),
                own: t.own,
                domain_of: Vec::new(),
                values: BTreeMap::new(),
                counts: Vec::new(),
                eligible: Vec::new(),
                hist: BTreeMap::new(),
            };
            for i in 0..c.nodes.len() {
                st.add_node(c, groups, g, i, &t.groups);
            }
            if let Some(pool) = grp
                .pool
                .filter(|_| grow && matches!(st.key.as_str(), ZONE | ZONE_BETA))
            {
                st.add_open_zones(c, grp, pool);
            }
            out.push(st);
        }
        out
    }

    /// Takes a node (new or existing) into the domains.
    pub fn add_node(&mut self, c: &Cluster, groups: &[Group], g: u32, i: usize, matching: &[u32]) {
        let n = &c.nodes[i];
        let value = if n.down { None } else { c.label(n, &self.key) };
        let Some(value) = value else {
            self.domain_of.push(None);
            return;
        };
        let next = self.values.len() as u32;
        let d = *self.values.entry(value.to_string()).or_insert(next);
        if d as usize == self.counts.len() {
            self.counts.push(0);
            self.eligible.push(false);
        }
        self.domain_of.push(Some(d));
        let grp = &groups[g as usize];
        let spread = grp.pod.spread.iter().find(|s| s.topology_key == self.key);
        let honor_aff = spread.is_none_or(|s| s.honor_affinity);
        let honor_taints = spread.is_some_and(|s| s.honor_taints);
        // Counted: a node with every constraint's key that the policies admit.
        let counted = grp
            .pod
            .spread
            .iter()
            .all(|s| c.label(n, &s.topology_key).is_some())
            && (!honor_aff || node_matches(c, n, &grp.pod))
            && (!honor_taints || untolerated(&grp.pod, &c.pools[n.pool as usize].taints).is_none());
        if !counted {
            return;
        }
        let d = d as usize;
        if self.eligible[d] {
            self.unhist(self.counts[d]);
        }
        self.counts[d] += matching.iter().map(|&h| n.count(h)).sum::<u32>();
        self.eligible[d] = true;
        *self.hist.entry(self.counts[d]).or_default() += 1;
    }

    /// The zones a pool may open a node in, as domains the pod's node
    /// affinity accepts.
    fn add_open_zones(&mut self, c: &Cluster, grp: &Group, pool: u32) {
        for &z in &c.pools[pool as usize].open_zones {
            let probe = Node {
                name: String::new(),
                pool,
                zone: Some(z),
                free: Res::default(),
                free_pods: 0,
                groups: Vec::new(),
                ports: Vec::new(),
                existing: false,
                down: false,
            };
            if !node_matches(c, &probe, &grp.pod) {
                continue;
            }
            let value = &c.zones[z as usize];
            let next = self.values.len() as u32;
            let d = *self.values.entry(value.clone()).or_insert(next) as usize;
            if d == self.counts.len() {
                self.counts.push(0);
                self.eligible.push(false);
            }
            if !self.eligible[d] {
                self.eligible[d] = true;
                *self.hist.entry(self.counts[d]).or_default() += 1;
            }
        }
    }

    fn unhist(&mut self, k: u32) {
        if let Some(v) = self.hist.get_mut(&k) {
            *v -= 1;
            if *v == 0 {
                self.hist.remove(&k);
            }
        }
    }

    fn min(&self) -> u32 {
        let domains: u32 = self.hist.values().sum();
        if domains < self.min_domains {
            return 0;
        }
        self.hist.keys().next().copied().unwrap_or(0)
    }

    /// Whether one more pod on node `i` keeps the skew.
    pub fn allows(&self, i: usize) -> bool {
        let Some(Some(d)) = self.domain_of.get(i) else {
            return false;
        };
        let after = self.counts[*d as usize] + u32::from(self.own);
        after.saturating_sub(self.min()) <= self.max_skew
    }

    /// A pod placed on node `i`.
    pub fn placed(&mut self, i: usize) {
        if !self.own {
            return;
        }
        if let Some(Some(d)) = self.domain_of.get(i).copied() {
            let d = d as usize;
            if self.eligible[d] {
                self.unhist(self.counts[d]);
                *self.hist.entry(self.counts[d] + 1).or_default() += 1;
            }
            self.counts[d] += 1;
        }
    }

    /// The matching pods of a zone domain (to choose where a new node opens).
    pub fn count_of(&self, value: &str) -> u32 {
        self.values
            .get(value)
            .map_or(0, |&d| self.counts[d as usize])
    }
}
