//! What `size --workloads` answers: per choice of the general pool's
//! instance type, every pool's nodes, where each workload's pods went,
//! what stays pending, and what a zone loss leaves.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

use super::choose::{needs, rank, Bound};
use super::model::WorkloadSet;
use super::pools::Need;
use super::size::{groups, system_daemons, Machine, Options};

/// A pod that found no node.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PendingPod {
    /// `NAMESPACE/NAME` (replicas numbered from 0, as a StatefulSet names them).
    pub pod: String,
    /// `KIND/NAMESPACE/NAME`.
    pub workload: String,
    /// The scheduler's reason (`Insufficient memory`, `node(s) didn't match pod anti-affinity rules`).
    pub reason: String,
}

/// Where a workload's pods went.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Placement {
    pub workload: String,
    pub pods: u32,
    pub zones: BTreeMap<String, u32>,
    /// Nodes that run at least one of its pods.
    pub nodes: u32,
}

/// The fluid lower bound: total requests ÷ what one node gives pods.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct LowerBound {
    pub nodes: u64,
    /// Nodes each resource alone needs (`cpu`, `memory`, `pods`, …).
    pub by: BTreeMap<String, u64>,
}

/// One pool of a choice.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PoolResult {
    pub name: String,
    pub instance_type: String,
    /// Labels the pool's nodes carry for the pods that select them.
    pub labels: BTreeMap<String, String>,
    pub nodes: u32,
    pub nodes_per_zone: BTreeMap<String, u32>,
    /// Nodes the packing needed before room to lose a zone was added.
    pub packed_nodes: u32,
    pub lower_bound: LowerBound,
    /// What sets the node count ("memory", "max pods", "anti-affinity of …").
    pub binding: String,
    /// Per node: millicores, bytes, pods.
    pub allocatable_cpu_millis: i64,
    pub allocatable_memory_bytes: i64,
    pub max_pods: u32,
    pub monthly_cost: Option<f64>,
}

/// A failure the sizing survives or not.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ZoneLoss {
    /// Sized so that losing one zone (one node, in a single zone) keeps every pod.
    pub checked: bool,
    /// Nodes added for it, over all pools.
    pub added_nodes: u32,
    /// Pods no node count brings back after the loss, and why.
    pub stranded: Vec<StrandedPod>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct StrandedPod {
    pub lost: String,
    pub workload: String,
    pub pods: u32,
    pub reason: String,
}

/// One choice of the general pool's instance type.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkloadChoice {
    pub instance_type: String,
    /// New nodes, every pool.
    pub nodes: u32,
    /// Existing nodes (`--nodes`) that run at least one of the pods.
    pub existing_nodes_used: u32,
    pub nodes_per_zone: BTreeMap<String, u32>,
    pub pods_placed: u64,
    pub pending: Vec<PendingPod>,
    /// The general pool's fluid lower bound.
    pub lower_bound: LowerBound,
    pub monthly_cost: Option<f64>,
    pub pools: Vec<PoolResult>,
    pub placement: Vec<Placement>,
    pub zone_loss: ZoneLoss,
    /// DaemonSet pods that do not fit the nodes they belong on.
    pub daemon_set_misfits: Vec<String>,
}

/// What was read and assumed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkloadSummary {
    pub files: usize,
    pub documents: usize,
    pub workloads: usize,
    /// Pods to place (DaemonSets aside).
    pub pods: u64,
    pub daemon_sets: Vec<String>,
    /// Kinds read and not sized, with their counts.
    pub skipped: BTreeMap<String, usize>,
    /// Custom resources whose pods an operator makes (not sized).
    pub operator_made: Vec<String>,
    /// Workloads whose pods request no CPU and no memory (BestEffort).
    pub best_effort: Vec<String>,
    /// What was assumed, per workload.
    pub notes: Vec<String>,
    /// Pod templates with preferred terms or ScheduleAnyway spreads (they never block a fit).
    pub soft_constraints: usize,
}

/// The answer.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkloadReport {
    pub platform: crate::plan::Platform,
    pub region: Option<String>,
    pub zones: Vec<String>,
    pub workload: WorkloadSummary,
    pub choices: Vec<WorkloadChoice>,
    /// Pools no catalog type can make, and why.
    pub unmet: Vec<String>,
}

pub fn summary(set: &WorkloadSet) -> WorkloadSummary {
    let ws = &set.workloads;
    WorkloadSummary {
        files: set.files,
        documents: set.documents,
        workloads: ws.len(),
        pods: set.pods(),
        daemon_sets: set.daemon_sets().map(|w| w.id()).collect(),
        skipped: set.skipped.clone(),
        operator_made: set.operator_made.clone(),
        best_effort: ws
            .iter()
            .filter(|w| w.pod.best_effort)
            .map(|w| w.id())
            .collect(),
        notes: ws
            .iter()
            .flat_map(|w| w.notes.iter().map(move |n| format!("{}: {n}", w.id())))
            .collect(),
        soft_constraints: ws.iter().filter(|w| w.pod.soft_terms > 0).count(),
    }
}

/// Sizes the workloads: the special pools' cheapest types, then the best
/// `top` types of the general pool.
pub fn size(o: &Options, set: &WorkloadSet) -> WorkloadReport {
    let system = if o.template.is_some() || o.machines.is_some() {
        Vec::new()
    } else {
        system_daemons(o.catalog, o.platform)
    };
    let groups = groups(set, &system);
    let mut unmet = Vec::new();
    let mut fixed: Vec<(Need, Machine)> = Vec::new();
    let mut all = needs(o, set);
    if all.is_empty() {
        all.push(Need::default());
    }
    for n in all {
        match super::choose::cheapest_floor(o, set, &groups, &n) {
            Some(m) => fixed.push((n, m)),
            None => unmet.push(format!(
                "pool {}: no instance type of the {} catalog matches",
                n.name(),
                o.platform
            )),
        }
    }
    // The general pool first (the special pools at their cheapest
    // Each special pool beside the general one at its cheapest floor, then
    // the general pool's choices beside them.
    for i in 1..fixed.len() {
        if let Some(best) = rank(o, set, &groups, &fixed, i, 1).into_iter().next() {
            fixed[i].1 = best.machine;
        }
    }
    let choices = if fixed.is_empty() {
        Vec::new()
    } else {
        rank(o, set, &groups, &fixed, 0, o.top.max(1))
            .into_iter()
            .map(|r| super::result_build::choice(o, set, &r))
            .collect()
    };
    WorkloadReport {
        platform: o.platform,
        region: o.region.clone(),
        zones: o.zones.clone(),
        workload: summary(set),
        choices,
        unmet,
    }
}

pub(super) fn lower(b: &Bound) -> LowerBound {
    LowerBound {
        nodes: b.nodes,
        by: b.by.iter().cloned().collect(),
    }
}
