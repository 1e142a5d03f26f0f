//! PodTopologySpread's `DoNotSchedule` constraints while a group is placed
//! (kubernetes `pkg/scheduler/framework/plugins/podtopologyspread/`):
//! matching pods per domain, the domains that count, and the skew.

use std::collections::BTreeMap;

use super::cluster::{node_matches, untolerated, Cluster, Group, Node, HOSTNAME, ZONE, ZONE_BETA};
use super::fit::{Counts, Relations, UNREACHABLE};
use super::model::{Res, Taint};

/// Whether a pod's node selection names nodes (hostname, `metadata.name`):
/// its fit then differs from node to node of one pool and zone.
pub fn by_name(p: &super::model::PodSpec) -> bool {
    p.node_selector.contains_key(HOSTNAME)
        || p.node_affinity.as_ref().is_some_and(|t| {
            t.iter()
                .flatten()
                .any(|r| r.key == HOSTNAME || r.key.starts_with("field:"))
        })
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
    /// Zone index -> domain.
    zone_domain: Vec<Option<u32>>,
    /// Whether the nodes of a pool in a zone count (index: pool * (zones
    /// + 1) + zone + 1).
    counted_cache: Vec<Option<bool>>,
    /// The pod selects nodes by name (`metadata.name`, hostname): no cache.
    by_name: bool,
}

impl SpreadState {
    /// The constraints of group `g` over the cluster's nodes; with `grow`,
    /// the zones its pool may open nodes in are domains too (empty until
    /// then), as Karpenter counts the zones a NodePool can launch in.
    /// `counts`, where given, are the cluster's per-zone pod counts (a
    /// zone constraint is then built from them).
    pub fn new(
        c: &Cluster,
        rel: &Relations,
        groups: &[Group],
        g: u32,
        grow: bool,
        counts: Option<&Counts>,
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
                zone_domain: Vec::new(),
                counted_cache: Default::default(),
                by_name: by_name(&grp.pod),
            };
            match (counts, st.key.as_str()) {
                (Some(counts), ZONE | ZONE_BETA) => st.zones_from_counts(c, grp, counts, &t.groups),
                _ => {
                    for i in 0..c.nodes.len() {
                        st.add_node(c, groups, g, i, &t.groups);
                    }
                }
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

    /// A zone constraint over the cluster: each zone's matching pods from
    /// the per-zone counts where every node of the zone counts (else node
    /// by node), not by walking each node's pods.
    fn zones_from_counts(&mut self, c: &Cluster, grp: &Group, counts: &Counts, matching: &[u32]) {
        let zones = c.zones.len();
        let (mut all, mut any) = (vec![true; zones], vec![false; zones]);
        for i in 0..c.nodes.len() {
            let d = self.domain(c, i);
            self.domain_of.push(d);
            if let (Some(_), Some(z)) = (d, c.nodes[i].zone) {
                let counted = self.counted(c, grp, i);
                any[z as usize] |= counted;
                all[z as usize] &= counted;
            }
        }
        for z in (0..zones).filter(|&z| any[z]) {
            let Some(d) = self.zone_domain.get(z).copied().flatten() else {
                continue;
            };
            let count: u32 = if all[z] {
                matching.iter().map(|&h| counts.zone(h, z as u32)).sum()
            } else {
                let here = (0..c.nodes.len())
                    .filter(|&i| c.nodes[i].zone == Some(z as u32) && !c.nodes[i].down);
                let here: Vec<usize> = here.collect();
                here.into_iter()
                    .filter(|&i| self.counted(c, grp, i))
                    .map(|i| matching.iter().map(|&h| c.nodes[i].count(h)).sum::<u32>())
                    .sum()
            };
            let d = d as usize;
            self.counts[d] = count;
            self.eligible[d] = true;
            *self.hist.entry(count).or_default() += 1;
        }
    }

    /// The domain a node is in (None: it lacks the key).
    fn domain(&mut self, c: &Cluster, i: usize) -> Option<u32> {
        let n = &c.nodes[i];
        let next = self.counts.len() as u32;
        let d = match self.key.as_str() {
            HOSTNAME => next,
            ZONE | ZONE_BETA => {
                let z = n.zone? as usize;
                if self.zone_domain.len() <= z {
                    self.zone_domain.resize(z + 1, None);
                }
                match self.zone_domain[z] {
                    Some(d) => d,
                    None => *self.values.entry(c.zones[z].clone()).or_insert(next),
                }
            }
            _ => *self
                .values
                .entry(c.label(n, &self.key)?.to_string())
                .or_insert(next),
        };
        if let (Some(z), ZONE | ZONE_BETA) = (n.zone, self.key.as_str()) {
            self.zone_domain[z as usize] = Some(d);
        }
        if d == next {
            self.counts.push(0);
            self.eligible.push(false);
        }
        Some(d)
    }

    /// Whether a node counts for the constraint: it has every constraint's
    /// key and the policies admit it (the same for every node of a pool
    /// in a zone, unless the pod selects nodes by name).
    fn counted(&mut self, c: &Cluster, grp: &Group, i: usize) -> bool {
        let n = &c.nodes[i];
        if n.down {
            return self.counted_down(c, grp, n);
        }
        let key = n.pool as usize * (c.zones.len() + 1) + n.zone.map_or(0, |z| z as usize + 1);
        if self.counted_cache.len() <= key {
            self.counted_cache.resize(key + 1, None);
        }
        if let Some(v) = self.counted_cache[key].filter(|_| !self.by_name) {
            return v;
        }
        let spread = grp.pod.spread.iter().find(|s| s.topology_key == self.key);
        let honor_aff = spread.is_none_or(|s| s.honor_affinity);
        let honor_taints = spread.is_some_and(|s| s.honor_taints);
        let v = grp
            .pod
            .spread
            .iter()
            .all(|s| c.label(n, &s.topology_key).is_some())
            && (!honor_aff || node_matches(c, n, &grp.pod))
            && (!honor_taints || untolerated(&grp.pod, &c.pools[n.pool as usize].taints).is_none());
        self.counted_cache[key] = Some(v);
        v
    }

    /// A lost node (NotReady, tainted `node.kubernetes.io/unreachable`)
    /// stays in the scheduler's node list: it counts, at the pods left on
    /// it, unless `nodeTaintsPolicy: Honor` and the pod does not tolerate
    /// the taint (`podtopologyspread/common.go`; kubernetes/kubernetes#116978).
    fn counted_down(&self, c: &Cluster, grp: &Group, n: &Node) -> bool {
        let spread = grp.pod.spread.iter().find(|s| s.topology_key == self.key);
        let honor_aff = spread.is_none_or(|s| s.honor_affinity);
        let honor_taints = spread.is_some_and(|s| s.honor_taints);
        let mut taints = c.pools[n.pool as usize].taints.clone();
        taints.push(Taint {
            key: UNREACHABLE.into(),
            value: String::new(),
            effect: "NoSchedule".into(),
        });
        grp.pod
            .spread
            .iter()
            .all(|s| c.label(n, &s.topology_key).is_some())
            && (!honor_aff || node_matches(c, n, &grp.pod))
            && (!honor_taints || untolerated(&grp.pod, &taints).is_none())
    }

    /// Takes a node (new or existing) into the domains.
    pub fn add_node(&mut self, c: &Cluster, groups: &[Group], g: u32, i: usize, matching: &[u32]) {
        let d = self.domain(c, i);
        self.domain_of.push(d);
        let Some(d) = d else { return };
        if !self.counted(c, &groups[g as usize], i) {
            return;
        }
        let d = d as usize;
        if self.eligible[d] {
            self.unhist(self.counts[d]);
        }
        let n = &c.nodes[i];
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

    /// Whether one more pod in the domain named `value` keeps the skew.
    pub fn allows_value(&self, value: &str) -> bool {
        let Some(&d) = self.values.get(value) else {
            return false;
        };
        let after = self.counts[d as usize] + u32::from(self.own);
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
