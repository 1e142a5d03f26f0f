//! The pods of a failure (`whatif --workloads`, and a cluster snapshot's
//! pods): the lost machines' pods are evicted and their replacements
//! placed on the nodes left with kube-scheduler's fit; each pod that
//! cannot come back is named with its workload and the first reason.

use serde::Serialize;

use super::scenario::{Lost, Role};
use crate::catalog::{Catalog, VolumeScope};
use crate::plan::{ClusterPlan, Platform};
use crate::workloads::cluster::{Cluster, Group};
use crate::workloads::fit::Relations;
use crate::workloads::model::{IntOrPercent, WorkloadSet};
use crate::workloads::outage::{fate, outage, Outage, Volumes};
use crate::workloads::pack::{Packer, Pending};
use crate::workloads::snapshot::cluster::{packed, plan_pools};
use crate::workloads::snapshot::Snapshot;

/// A cluster's pods before any failure, and where each runs.
pub struct Base {
    pub set: WorkloadSet,
    pub groups: Vec<Group>,
    pub rel: Relations,
    pub cluster: Cluster,
    /// The groups, largest pods first (the order replacements are placed in).
    pub order: Vec<u32>,
    /// Each node's role, as `whatif` fails machines.
    pub roles: Vec<Role>,
    /// The pods' names per group, with their node, where known (a snapshot).
    pub names: Vec<Vec<(usize, String)>>,
    pub volumes: Volumes,
    /// Pods that had no node before any failure.
    pub before: Vec<Pending>,
    /// The zone `whatif` names for nodes without one (a plan's only zone).
    pub unzoned: String,
}

/// Where a plan's default storage class keeps volumes (a cloud's zonal
/// disks when the plan names no class).
pub fn plan_volumes(c: &Catalog, plan: &ClusterPlan) -> Volumes {
    let class = plan
        .spec
        .storage
        .iter()
        .flat_map(|s| s.classes.iter())
        .find(|c| c.default);
    let scope = class.and_then(|k| {
        let d = c.driver(k.provisioner.as_deref()?)?;
        Some(d.scope_of(&k.parameters))
    });
    match scope {
        Some(VolumeScope::Node) => Volumes::Node,
        Some(VolumeScope::Zone) => Volumes::Zone,
        Some(_) => Volumes::Anywhere,
        None if plan.spec.platform == Platform::OnPrem => Volumes::Anywhere,
        None => Volumes::Zone,
    }
}

impl Base {
    /// The workloads packed onto a plan's workers, as `lint --workloads` packs them.
    pub fn of_plan(c: &Catalog, plan: &ClusterPlan, set: WorkloadSet) -> Base {
        use crate::workloads::size::{groups, order, system_daemons};
        let cl = crate::workloads::on_plan::plan_cluster(c, plan);
        let groups = groups(&set, &system_daemons(c, plan.spec.platform));
        let rel = Relations::new(&groups);
        let order = order(&groups, &cl.pools);
        let (cluster, before) = crate::workloads::on_plan::spread_pack(cl, &groups, &rel, &order);
        let roles = cluster
            .nodes
            .iter()
            .map(|n| Role::Workers(cluster.pools[n.pool as usize].name.clone()))
            .collect();
        Base {
            names: vec![Vec::new(); groups.len()],
            volumes: plan_volumes(c, plan),
            set,
            groups,
            rel,
            cluster,
            order,
            roles,
            before,
            unzoned: plan.zones().swap_remove(0),
        }
    }

    /// A running cluster's pods where they run (`plan` is the snapshot's).
    pub fn of_snapshot(c: &Catalog, s: &Snapshot, plan: &ClusterPlan) -> Base {
        let pools = plan_pools(s);
        let packed = packed(s, &pools);
        let mut workers = plan.spec.workers.iter().map(|w| w.name.clone());
        let names: Vec<Option<String>> = pools
            .iter()
            .map(|p| match p.control_plane {
                true => None,
                false => workers.next(),
            })
            .collect();
        let roles = packed
            .pool_of
            .iter()
            .map(|&p| match &names[p] {
                Some(n) => Role::Workers(n.clone()),
                None => Role::ControlPlane,
            })
            .collect();
        let rel = Relations::new(&packed.groups);
        let order = crate::workloads::size::order(&packed.groups, &packed.cluster.pools);
        Base {
            set: s.set.clone(),
            rel,
            order,
            roles,
            names: packed.names,
            volumes: plan_volumes(c, plan),
            before: packed.before,
            groups: packed.groups,
            cluster: packed.cluster,
            unzoned: plan.zones().swap_remove(0),
        }
    }

    /// The nodes a scenario takes: every node of a lost zone, and of each
    /// role and zone the first ones, as many as are lost.
    pub fn lost_nodes(&self, lost: &Lost) -> Vec<usize> {
        let mut taken: std::collections::BTreeMap<(&Role, Option<u32>), u32> = Default::default();
        let zone_name = |z: Option<u32>| z.map(|z| self.cluster.zones[z as usize].as_str());
        (0..self.cluster.nodes.len())
            .filter(|&i| {
                let n = &self.cluster.nodes[i];
                let zone = zone_name(n.zone).unwrap_or(&self.unzoned);
                if lost.zones.iter().any(|z| z == zone) {
                    return true;
                }
                let role = &self.roles[i];
                let t = taken.entry((role, n.zone)).or_default();
                let out = *t < lost.get(role, zone);
                *t += u32::from(out);
                out
            })
            .collect()
    }
}

/// One pod (or, where pods have no names, a workload's pods) that does
/// not run again until the failure is repaired.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct StrandedPod {
    /// `KIND/NAMESPACE/NAME`.
    pub workload: String,
    /// The pod's name (a snapshot's pods have one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod: Option<String>,
    pub pods: u32,
    /// The first reason, in a few words ("Insufficient memory", "topology
    /// spread on zone", "anti-affinity", "zonal volume", "max pods").
    pub reason: String,
    /// The scheduler's message, or why no replacement is made.
    pub detail: String,
    /// When it runs again.
    pub back: String,
    /// Where the workload is declared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

/// A PodDisruptionBudget after the failure.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct BudgetState {
    /// `NAMESPACE/NAME`.
    pub budget: String,
    /// Pods it covers, as their controllers want them.
    pub expected: u64,
    /// Healthy pods it asks for (from minAvailable or maxUnavailable, rounded up as the disruption controller does).
    pub desired_healthy: u64,
    /// Healthy right after the failure, and once the replacements run.
    pub healthy_at_failure: u64,
    pub healthy_after: u64,
    pub holds: bool,
}

/// The pods after one scenario.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PodsState {
    /// Pods running before the failure.
    pub running: u64,
    pub evicted: u64,
    pub rescheduled: u64,
    pub stranded_pods: u64,
    /// DaemonSet pods lost with their nodes (they come back with them).
    pub daemon_set_pods_lost: u64,
    /// Pods that had no node before the failure.
    pub pending_before: u64,
    /// When the rescheduled pods run again.
    pub rescheduled_by: String,
    pub stranded: Vec<StrandedPod>,
    pub budgets: Vec<BudgetState>,
}

/// What a scenario does to the pods; `rescheduled_by` is the timeline's
/// answer to when evicted pods run again.
pub fn state(b: &Base, lost: &Lost, rescheduled_by: String) -> PodsState {
    let nodes = b.lost_nodes(lost);
    let whole_zone = !lost.zones.is_empty();
    let p = Packer::placed(b.cluster.clone(), &b.groups, &b.rel);
    let fate = |g: &Group| fate(&b.set, g, b.volumes, whole_zone);
    let o = outage(&p, &nodes, &b.order, &fate);
    let back = match whole_zone {
        true => "when the zone returns",
        false => "when the nodes return",
    };
    let stranded = stranded(b, &o, &nodes, back);
    let sum = |v: &[u32]| v.iter().map(|&n| u64::from(n)).sum::<u64>();
    PodsState {
        running: b.cluster.nodes.iter().map(|n| u64::from(n.pods())).sum(),
        evicted: sum(&o.evicted),
        rescheduled: o.rescheduled(),
        stranded_pods: o.stranded(),
        daemon_set_pods_lost: sum(&o.daemons),
        pending_before: b.before.iter().map(|p| u64::from(p.pods)).sum(),
        rescheduled_by,
        budgets: budgets(b, &o),
        stranded,
    }
}

fn stranded(b: &Base, o: &Outage, nodes: &[usize], back: &str) -> Vec<StrandedPod> {
    let mut out = Vec::new();
    let mut push = |g: u32, k: u32, reason: &str, detail: &str, last: bool| {
        let grp = &b.groups[g as usize];
        let at = b
            .set
            .workloads
            .get(grp.workload)
            .map(|w| format!("{}:{}:{}", w.file, w.pos.line, w.pos.column));
        let names: Vec<&String> = b.names[g as usize]
            .iter()
            .filter(|(n, _)| nodes.contains(n))
            .map(|(_, name)| name)
            .collect();
        let one = |pod: Option<String>, pods: u32| StrandedPod {
            workload: grp.name.clone(),
            pod,
            pods,
            reason: reason.to_string(),
            detail: detail.to_string(),
            back: back.to_string(),
            at: at.clone(),
        };
        match names.is_empty() {
            true => out.push(one(None, k)),
            // The replacements that find no node are any k of the evicted.
            false => {
                let skip = match last {
                    true => names.len().saturating_sub(k as usize),
                    false => 0,
                };
                for name in names.iter().skip(skip).take(k as usize) {
                    out.push(one(Some((*name).clone()), 1));
                }
            }
        }
    };
    for &(g, k, h) in &o.held {
        push(g, k, h.short(), h.detail(), false);
    }
    for p in &o.pending {
        push(p.group, p.pods, &p.short, &p.reason, true);
    }
    out
}

/// Each budget's healthy pods before, at and after the failure.
fn budgets(b: &Base, o: &Outage) -> Vec<BudgetState> {
    let mut stranded = vec![0u64; b.groups.len()];
    for &(g, k, _) in &o.held {
        stranded[g as usize] += u64::from(k);
    }
    for p in &o.pending {
        stranded[p.group as usize] += u64::from(p.pods);
    }
    b.set
        .pdbs
        .iter()
        .map(|pdb| {
            let (mut expected, mut at_failure, mut after) = (0, 0, 0);
            for (g, grp) in b.groups.iter().enumerate() {
                let Some(w) = b.set.workloads.get(grp.workload) else {
                    continue;
                };
                if w.namespace != pdb.namespace || !pdb.selector.matches(&w.pod.labels) {
                    continue;
                }
                let running: u64 = b
                    .cluster
                    .nodes
                    .iter()
                    .map(|n| u64::from(n.count(g as u32)))
                    .sum();
                let gone = u64::from(o.evicted[g] + o.daemons[g]);
                expected += match grp.daemon {
                    true => running,
                    false => u64::from(w.pods),
                };
                at_failure += running - gone.min(running);
                after += running - (stranded[g] + u64::from(o.daemons[g])).min(running);
            }
            let scaled = |v: IntOrPercent| match v {
                IntOrPercent::Int(n) => u64::from(n),
                IntOrPercent::Percent(p) => (u64::from(p) * expected).div_ceil(100),
            };
            let desired = match (pdb.min_available, pdb.max_unavailable) {
                (Some(m), _) => scaled(m),
                (None, Some(m)) => expected.saturating_sub(scaled(m)),
                (None, None) => 0,
            };
            BudgetState {
                budget: format!("{}/{}", pdb.namespace, pdb.name),
                expected,
                desired_healthy: desired,
                healthy_at_failure: at_failure,
                healthy_after: after,
                holds: after >= desired,
            }
        })
        .collect()
}

/// When the evicted pods run again, from the scenario's timeline.
pub fn rescheduled_by(timeline: &[super::timeline::Event]) -> String {
    let evictions = timeline
        .iter()
        .filter(|e| e.what.starts_with("pods of the lost nodes"));
    let mut latest: Option<f64> = None;
    for e in evictions {
        if e.never {
            return "when the nodes return (no eviction)".into();
        }
        latest = Some(latest.map_or(e.to_s, |t| t.max(e.to_s)));
    }
    match latest {
        Some(t) => format!("≈ {}", super::timeline::secs(t)),
        None => "-".into(),
    }
}
