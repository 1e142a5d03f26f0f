//! Storage after a failure: whether each group of storage servers still
//! serves its volumes (copies left against the writable minimum, monitors
//! left against their quorum), and which stateful pods stay down because
//! their volume is gone with a node, a zone or the servers.

use serde::Serialize;

use super::layout::Layout;
use super::scenario::{Lost, Role};
use crate::catalog::{Catalog, VolumeScope};
use crate::plan::{spread, ClusterPlan, WorkloadKind};

/// One group of storage servers, where its machines, copies and monitors are.
#[derive(Debug, Clone, PartialEq)]
pub struct StorageGroup {
    pub name: String,
    /// Servers per zone.
    pub zones: Vec<(String, u32)>,
    /// Copies of each volume per zone (one per zone when the servers span
    /// that many, else on separate servers of one zone).
    pub copies: Vec<(String, u32)>,
    pub min_copies: u32,
    /// Monitors per zone.
    pub monitors: Vec<(String, u32)>,
}

impl StorageGroup {
    pub fn of(plan: &ClusterPlan) -> Vec<StorageGroup> {
        let servers = plan.spec.storage.iter().flat_map(|s| s.servers.iter());
        servers
            .map(|g| {
                let zones = match g.zones.is_empty() {
                    true => plan.zones(),
                    false => g.zones.clone(),
                };
                let placed = spread(g.nodes, &zones);
                let copies = g.copies.unwrap_or(1);
                StorageGroup {
                    name: g.name.clone(),
                    copies: spread(copies, &zones),
                    min_copies: g.min_copies.unwrap_or(copies),
                    monitors: spread(g.monitors.unwrap_or(0), &zones),
                    zones: placed,
                }
            })
            .collect()
    }

    fn total_copies(&self) -> u32 {
        self.copies.iter().map(|(_, n)| n).sum()
    }
}

/// A storage group after the failure.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct StorageState {
    pub servers: String,
    pub ok: bool,
    pub why: String,
}

/// What `lost` leaves of a placement, worst case: a lost zone takes what is
/// in it; lost servers in a zone take as many of its copies (or monitors),
/// each on another server.
fn left(placement: &[(String, u32)], g: &StorageGroup, lost: &Lost) -> u32 {
    let role = Role::Storage(g.name.clone());
    placement
        .iter()
        .map(|(z, n)| match lost.zones.contains(z) {
            true => 0,
            false => n.saturating_sub(lost.get(&role, z)),
        })
        .sum()
}

/// Each group's state; groups that neither keep copies nor run monitors
/// (none do in a designed plan) are left out.
pub fn states(layout: &Layout, lost: &Lost) -> Vec<StorageState> {
    let monitors: u32 = layout
        .storage
        .iter()
        .flat_map(|g| &g.monitors)
        .map(|(_, n)| n)
        .sum();
    let monitors_left: u32 = layout
        .storage
        .iter()
        .map(|g| left(&g.monitors, g, lost))
        .sum();
    let quorum = monitors / 2 + 1;
    layout
        .storage
        .iter()
        .map(|g| {
            let copies = g.total_copies();
            let have = left(&g.copies, g, lost);
            let (ok, why) = if monitors > 0 && monitors_left < quorum && g.monitors.iter().any(|(_, n)| *n > 0) {
                (false, format!("{monitors_left} of {monitors} storage monitors left, quorum {quorum}: the storage stops"))
            } else if copies > 0 && have < g.min_copies {
                (false, format!("{have} of {copies} copies of each volume left, fewer than the {} that keep it writable: its volumes stop", g.min_copies))
            } else if copies == 0 {
                (true, format!("{monitors_left} of {monitors} storage monitors left, quorum {quorum}"))
            } else {
                (true, format!("{have} of {copies} copies of each volume left (writable down to {})", g.min_copies))
            };
            StorageState { servers: g.name.clone(), ok, why }
        })
        .collect()
}

/// Stateful pods whose volumes the failure takes away, and why; they stay
/// down until the node, the zone or the servers return. The workload's
/// pods use the default class; where it keeps a volume decides: a node's
/// disk goes with the node, a zonal disk with its zone, the servers'
/// volumes with the servers.
pub fn stranded(
    c: &Catalog,
    plan: &ClusterPlan,
    layout: &Layout,
    lost: &Lost,
    storage: &[StorageState],
) -> (u64, Option<String>) {
    let Some(w) = plan
        .spec
        .workload
        .as_ref()
        .filter(|w| w.kind == WorkloadKind::Stateful)
    else {
        return (0, None);
    };
    let mut classes = plan.spec.storage.iter().flat_map(|s| s.classes.iter());
    let Some(class) = classes.find(|c| c.default) else {
        return (0, None);
    };
    let Some(driver) = class.provisioner.as_deref().and_then(|p| c.driver(p)) else {
        return (0, None);
    };
    let (mut before, mut gone) = (0u64, 0u64);
    for p in &layout.pools {
        let role = Role::Workers(p.name.clone());
        for (z, n) in &p.zones {
            let n = u64::from(*n) * p.pods_per_node;
            before += n;
            let lost_here = match driver.scope_of(&class.parameters) {
                VolumeScope::Zone if lost.zones.contains(z) => n,
                VolumeScope::Node => u64::from(lost.get(&role, z)) * p.pods_per_node,
                _ => 0,
            };
            gone += lost_here.min(n);
        }
    }
    let share = |lost: u64| match before {
        0 => 0,
        b => (w.pods * lost).div_ceil(b).min(w.pods),
    };
    match driver.scope_of(&class.parameters) {
        VolumeScope::Servers if storage.iter().any(|s| !s.ok) => (
            w.pods,
            Some(format!(
                "their volumes (class `{}`) are on the storage servers, which stop",
                class.name
            )),
        ),
        VolumeScope::Zone if gone > 0 => (
            share(gone),
            Some(format!(
                "their volumes (class `{}`, {}) live in the lost zone and move with no pod",
                class.name, driver.provisioner
            )),
        ),
        VolumeScope::Node if gone > 0 => (
            share(gone),
            Some(format!(
                "their volumes (class `{}`, {}) are on the lost nodes' disks",
                class.name, driver.provisioner
            )),
        ),
        _ => (0, None),
    }
}
