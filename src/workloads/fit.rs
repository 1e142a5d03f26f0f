//! Whether a pod fits a node, as kube-scheduler's filter plugins decide
//! (kubernetes `pkg/scheduler/framework/plugins/`): NodeResourcesFit,
//! TaintToleration, NodeAffinity, NodePorts, InterPodAffinity and
//! PodTopologySpread (`DoNotSchedule` constraints). Preferred terms and
//! `ScheduleAnyway` constraints only score nodes: they never block a fit.

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

/// Why a pod does not fit a node, as kube-scheduler's filters say it
/// (the text is made only for the pods that stay pending).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unfit {
    Cpu,
    Memory,
    Ephemeral,
    /// The pod's `n`th extended resource.
    Ext(u16),
    Pods,
    /// The node pool's `n`th taint.
    Taint(u16),
    Selector,
    Ports,
    AntiAffinity,
    ExistingAntiAffinity,
    Affinity,
    Spread,
    Down,
}

impl Unfit {
    /// The scheduler's words for it.
    pub fn text(self, c: &Cluster, n: &Node, g: &Group) -> String {
        match self {
            Unfit::Cpu => "Insufficient cpu".into(),
            Unfit::Memory => "Insufficient memory".into(),
            Unfit::Ephemeral => "Insufficient ephemeral-storage".into(),
            Unfit::Ext(i) => format!("Insufficient {}", g.pod.requests.ext[i as usize].0),
            Unfit::Pods => "Too many pods".into(),
            Unfit::Taint(i) => {
                let t = &c.pools[n.pool as usize].taints[i as usize];
                let v = if t.value.is_empty() {
                    String::new()
                } else {
                    format!(": {}", t.value)
                };
                format!("node(s) had untolerated taint {{{}{v}}}", t.key)
            }
            Unfit::Selector => "node(s) didn't match Pod's node affinity/selector".into(),
            Unfit::Ports => "node(s) didn't have free ports for the requested pod ports".into(),
            Unfit::AntiAffinity => "node(s) didn't match pod anti-affinity rules".into(),
            Unfit::ExistingAntiAffinity => {
                "node(s) didn't satisfy existing pods anti-affinity rules".into()
            }
            Unfit::Affinity => "node(s) didn't match pod affinity rules".into(),
            Unfit::Spread => "node(s) didn't match pod topology spread constraints".into(),
            Unfit::Down => format!("node(s) had untolerated taint {{{UNREACHABLE}: }}"),
        }
    }

    /// The reason in a few words, as `whatif` lists a stranded pod's
    /// ("Insufficient memory", "topology spread on zone", "anti-affinity").
    pub fn short(self, g: &Group) -> String {
        match self {
            Unfit::Cpu => "Insufficient cpu".into(),
            Unfit::Memory => "Insufficient memory".into(),
            Unfit::Ephemeral => "Insufficient ephemeral-storage".into(),
            Unfit::Ext(i) => format!("Insufficient {}", g.pod.requests.ext[i as usize].0),
            Unfit::Pods => "max pods".into(),
            Unfit::Taint(_) => "taint".into(),
            Unfit::Selector => "node selector".into(),
            Unfit::Ports => "host port".into(),
            Unfit::AntiAffinity | Unfit::ExistingAntiAffinity => "anti-affinity".into(),
            Unfit::Affinity => "pod affinity".into(),
            Unfit::Spread => {
                let key = g.pod.spread.first().map_or("", |s| s.topology_key.as_str());
                let name = match key {
                    ZONE | ZONE_BETA => "zone",
                    HOSTNAME => "hostname",
                    k => k,
                };
                format!("topology spread on {name}")
            }
            Unfit::Down => "node lost".into(),
        }
    }
}

/// The taint the node lifecycle controller puts on a node it cannot reach
/// (with the effects NoSchedule and NoExecute).
pub const UNREACHABLE: &str = "node.kubernetes.io/unreachable";

/// How many pods of a request a node's free resources hold, or the first
/// resource short (`Insufficient cpu`, `Too many pods`).
pub fn resource_room(free: &Res, free_pods: i64, req: &Res) -> Result<u32, Unfit> {
    if free_pods <= 0 {
        return Err(Unfit::Pods);
    }
    let mut room = free_pods;
    let mut check = |why: Unfit, have: i64, want: i64| {
        if want > 0 {
            if have < want {
                return Err(why);
            }
            room = room.min(have / want);
        }
        Ok(())
    };
    check(Unfit::Cpu, free.cpu, req.cpu)?;
    check(Unfit::Memory, free.memory, req.memory)?;
    check(Unfit::Ephemeral, free.ephemeral, req.ephemeral)?;
    for (i, (name, want)) in req.ext.iter().enumerate() {
        check(Unfit::Ext(i as u16), free.ext(name), *want)?;
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
pub fn static_fit(c: &Cluster, n: &Node, g: &Group) -> Result<(), Unfit> {
    let pool = &c.pools[n.pool as usize];
    if let Some(t) = untolerated(&g.pod, &pool.taints) {
        let i = pool.taints.iter().position(|x| x == t).unwrap_or(0);
        return Err(Unfit::Taint(i as u16));
    }
    if !node_matches(c, n, &g.pod) {
        return Err(Unfit::Selector);
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
) -> Result<u32, Unfit> {
    let grp = &groups[g as usize];
    let mut room = resource_room(&n.free, n.free_pods, &grp.pod.requests)?;
    if !grp.pod.host_ports.is_empty() {
        if port_conflict(&n.ports, &grp.pod.host_ports) {
            return Err(Unfit::Ports);
        }
        room = room.min(1);
    }
    for t in &rel.anti[g as usize] {
        match domain_count(c, counts, n, &t.key, &t.groups) {
            Some(k) if k > 0 => return Err(Unfit::AntiAffinity),
            Some(_) if t.own => room = room.min(1),
            _ => {}
        }
    }
    for (h, key) in &rel.anti_of[g as usize] {
        if domain_count(c, counts, n, key, &[*h]).unwrap_or(0) > 0 {
            return Err(Unfit::ExistingAntiAffinity);
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
                    return Err(Unfit::Affinity);
                }
            }
        } else {
            room = room.min(1);
        }
    }
    Ok(room)
}
