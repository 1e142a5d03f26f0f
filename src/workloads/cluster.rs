//! The nodes pods are packed onto: pools (a machine shape with its labels
//! and taints, where new nodes may open) and nodes (what is left on each).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::model::{PodSpec, Res, Taint};

pub const HOSTNAME: &str = "kubernetes.io/hostname";
pub const ZONE: &str = "topology.kubernetes.io/zone";
pub const ZONE_BETA: &str = "failure-domain.beta.kubernetes.io/zone";

/// A machine shape: what each node of a pool gives pods, and what it carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Pool {
    pub name: String,
    /// Allocatable (after the platform's reservation).
    pub alloc: Res,
    pub max_pods: u32,
    /// Labels every node of the pool carries (arch, os, instance type,
    /// region, the pool's own), zone and hostname aside.
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<Taint>,
    /// Zones (indexes into `Cluster::zones`) where new nodes may open; empty
    /// for a pool that never grows.
    pub open_zones: Vec<u32>,
    pub instance_type: Option<String>,
    pub price_per_hour: Option<f64>,
    /// What a node weighs where there is no price (the platform's cost model).
    pub weight: f64,
    /// Live nodes opened in each zone (index: zone + 1; 0 for no zone).
    pub live: Vec<u32>,
}

/// One node.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub name: String,
    pub pool: u32,
    pub zone: Option<u32>,
    pub free: Res,
    pub free_pods: i64,
    /// Pods placed, per group.
    pub groups: Vec<(u32, u32)>,
    pub ports: Vec<(String, String, u32)>,
    /// A node that was there before packing (`--nodes`, a plan's pools).
    pub existing: bool,
    /// A node whose zone failed: no pod goes there.
    pub down: bool,
}

impl Node {
    pub fn count(&self, group: u32) -> u32 {
        self.groups.iter().find(|g| g.0 == group).map_or(0, |g| g.1)
    }

    pub fn add(&mut self, group: u32, n: u32) {
        match self.groups.iter_mut().find(|g| g.0 == group) {
            Some(g) => g.1 += n,
            None => self.groups.push((group, n)),
        }
    }

    pub fn pods(&self) -> u32 {
        self.groups.iter().map(|g| g.1).sum()
    }
}

/// Identical pods to place: one workload's (a DaemonSet's run per node).
#[derive(Debug, Clone)]
pub struct Group {
    /// Index of the workload in its set.
    pub workload: usize,
    pub name: String,
    pub pod: Arc<PodSpec>,
    pub count: u32,
    pub daemon: bool,
    /// The pool new nodes open in for it (None: it never opens nodes).
    pub pool: Option<u32>,
}

/// Pools, zones and nodes.
#[derive(Debug, Clone, Default)]
pub struct Cluster {
    pub zones: Vec<String>,
    pub region: Option<String>,
    pub pools: Vec<Pool>,
    pub nodes: Vec<Node>,
}

impl Cluster {
    /// A node's label (hostname and zone from the node, the rest from its pool).
    pub fn label<'a>(&'a self, n: &'a Node, key: &str) -> Option<&'a str> {
        match key {
            HOSTNAME => Some(n.name.as_str()),
            ZONE | ZONE_BETA => n.zone.map(|z| self.zones[z as usize].as_str()),
            "topology.kubernetes.io/region" | "failure-domain.beta.kubernetes.io/region"
                if self.region.is_some()
                    && !self.pools[n.pool as usize].labels.contains_key(key) =>
            {
                self.region.as_deref()
            }
            _ => self.pools[n.pool as usize]
                .labels
                .get(key)
                .map(String::as_str),
        }
    }

    /// A new empty node of a pool in a zone; returns its index.
    pub fn open(&mut self, pool: u32, zone: Option<u32>) -> usize {
        self.bump(pool, zone, 1);
        let p = &self.pools[pool as usize];
        let name = format!("{}-{}", p.name, self.nodes.len() + 1);
        self.nodes.push(Node {
            name,
            pool,
            zone,
            free: p.alloc.clone(),
            free_pods: i64::from(p.max_pods),
            groups: Vec::new(),
            ports: Vec::new(),
            existing: false,
            down: false,
        });
        self.nodes.len() - 1
    }

    /// Counts a node opened (1) or gone (-1) in a pool's zone.
    pub fn bump(&mut self, pool: u32, zone: Option<u32>, by: i32) {
        let at = zone.map_or(0, |z| z as usize + 1);
        let live = &mut self.pools[pool as usize].live;
        if live.len() <= at {
            live.resize(at + 1, 0);
        }
        live[at] = live[at].saturating_add_signed(by);
    }

    /// Live nodes a pool opened in a zone.
    pub fn live(&self, pool: u32, zone: Option<u32>) -> u32 {
        let at = zone.map_or(0, |z| z as usize + 1);
        self.pools[pool as usize].live.get(at).copied().unwrap_or(0)
    }
}

/// Whether a node's taints let the pod on (NoSchedule and NoExecute must be tolerated).
pub fn untolerated<'a>(pod: &PodSpec, taints: &'a [Taint]) -> Option<&'a Taint> {
    taints
        .iter()
        .filter(|t| t.blocks())
        .find(|t| !pod.tolerations.iter().any(|tol| tol.tolerates(t)))
}

/// `nodeSelector` and required node affinity against a node's labels.
pub fn node_matches(c: &Cluster, n: &Node, pod: &PodSpec) -> bool {
    let sel = pod
        .node_selector
        .iter()
        .all(|(k, v)| c.label(n, k) == Some(v.as_str()));
    sel && pod.node_affinity.as_ref().is_none_or(|terms| {
        terms.iter().any(|reqs| {
            !reqs.is_empty()
                && reqs.iter().all(|r| match r.key.strip_prefix("field:") {
                    Some("metadata.name") => r.matches(Some(n.name.as_str())),
                    Some(_) => false,
                    None => r.matches(c.label(n, &r.key)),
                })
        })
    })
}
