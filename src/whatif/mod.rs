//! `kubeplan whatif`: what a failure does to a plan — etcd's quorum, the
//! API's way in, the controllers' leader election, the pods' capacity — and
//! when each thing happens, from the components' documented defaults.

pub mod enumerate;
pub mod layout;
pub mod pods;
pub mod run;
pub mod scenario;
pub mod storage;
pub mod timeline;

use serde::Serialize;

use crate::catalog::Catalog;
use crate::plan::ClusterPlan;
use crate::quorum::quorum;
use layout::{Entry, Layout};
use scenario::{lb_role, Failure, Lost, Role};
use timeline::Event;

/// The overall verdict, from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Survives,
    Degraded,
    Down,
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Verdict::Survives => "survives",
            Verdict::Degraded => "degraded",
            Verdict::Down => "down",
        })
    }
}

/// What etcd can still do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Quorum {
    /// A quorum is left: it takes writes.
    Writes,
    /// Members are left, but no quorum: reads at best, no writes.
    ReadOnly,
    /// No member is left.
    Lost,
    /// A managed control plane's etcd, the provider's business.
    Provider,
}

impl Quorum {
    pub fn as_str(self) -> &'static str {
        match self {
            Quorum::Writes => "writes",
            Quorum::ReadOnly => "read-only",
            Quorum::Lost => "lost",
            Quorum::Provider => "provider",
        }
    }
}

/// etcd after the failure.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct EtcdState {
    pub state: Quorum,
    pub members: u32,
    pub left: u32,
    pub quorum: u32,
}

/// One component's verdict and why.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Part {
    pub ok: bool,
    pub why: String,
}

/// Pods after the failure, at their requests.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CapacityState {
    pub pods: u64,
    pub capacity_before: u64,
    pub capacity_after: u64,
    pub pending: u64,
    /// Stateful pods whose volumes are gone with the failure: they stay
    /// down until it is repaired, wherever there is room.
    pub stranded: u64,
    /// Why they are (none when none is).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stranded_why: Option<String>,
}

impl Outcome {
    /// What failed, as one phrase ("zone a + 1 etcd member in b").
    pub fn failed_text(&self) -> String {
        let names: Vec<String> = self.failed.iter().map(Failure::to_string).collect();
        names.join(" + ")
    }

    /// Whether a whole zone failed.
    pub fn lost_a_zone(&self) -> bool {
        self.failed.iter().any(|f| matches!(f, Failure::Zone(_)))
    }

    /// Whether machines of a role matching `role` failed.
    pub fn lost(&self, role: impl Fn(&Role) -> bool) -> bool {
        self.failed
            .iter()
            .any(|f| matches!(f, Failure::Machines { role: r, .. } if role(r)))
    }
}

/// One scenario's analysis.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Outcome {
    /// What failed, as `whatif` names it ("zone a", "1 etcd member in b").
    #[schemars(with = "Vec<String>")]
    pub failed: Vec<Failure>,
    pub etcd: EtcdState,
    pub api: Part,
    pub controllers: Part,
    pub capacity: CapacityState,
    /// Each group of storage servers (none where the plan runs none).
    pub storage: Vec<storage::StorageState>,
    pub timeline: Vec<Event>,
    /// The pods, one by one, where the workloads are known (`--workloads`,
    /// a cluster snapshot).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pods: Option<pods::PodsState>,
    pub verdict: Verdict,
}

/// What `failures` do to `plan`.
pub fn analyze(c: &Catalog, plan: &ClusterPlan, layout: &Layout, failures: &[Failure]) -> Outcome {
    let lost = Lost::of(layout, failures);
    let etcd = etcd_state(layout, &lost);
    let api = api_state(layout, &lost, &etcd);
    let controllers = controllers_state(c, plan, layout, &lost, &api);
    let storage = storage::states(layout, &lost);
    let mut capacity = capacity_state(plan, layout, &lost);
    (capacity.stranded, capacity.stranded_why) =
        storage::stranded(c, plan, layout, &lost, &storage);
    let mut timeline = timeline::events(c, plan, layout, &lost, &etcd, &api);
    timeline.extend(timeline::storage_events(&storage, &capacity));
    let never = timeline.iter().any(|e| e.never);
    let verdict = if !api.ok || matches!(etcd.state, Quorum::ReadOnly | Quorum::Lost) {
        Verdict::Down
    } else if capacity.pending > 0 || never {
        Verdict::Degraded
    } else {
        Verdict::Survives
    };
    Outcome {
        failed: failures.to_vec(),
        etcd,
        api,
        controllers,
        capacity,
        storage,
        timeline,
        pods: None,
        verdict,
    }
}

/// [`analyze`], with the pods of `base` evicted and re-placed: a pod that
/// does not come back, or a budget that no longer holds, degrades.
pub fn analyze_pods(
    c: &Catalog,
    plan: &ClusterPlan,
    layout: &Layout,
    failures: &[Failure],
    base: &pods::Base,
) -> Outcome {
    let mut o = analyze(c, plan, layout, failures);
    let lost = Lost::of(layout, failures);
    let p = pods::state(base, &lost, pods::rescheduled_by(&o.timeline));
    let bad = p.stranded_pods > 0 || p.budgets.iter().any(|b| !b.holds);
    if bad && o.verdict == Verdict::Survives {
        o.verdict = Verdict::Degraded;
    }
    o.pods = Some(p);
    o
}

fn etcd_state(layout: &Layout, lost: &Lost) -> EtcdState {
    let members = layout.etcd_total();
    if layout.managed {
        return EtcdState {
            state: Quorum::Provider,
            members: 0,
            left: 0,
            quorum: 0,
        };
    }
    let role = if layout.stacked {
        Role::ControlPlane
    } else {
        Role::Etcd
    };
    let left = members.saturating_sub(lost.total(&role));
    let q = quorum(members);
    let state = match left {
        0 => Quorum::Lost,
        l if l >= q => Quorum::Writes,
        _ => Quorum::ReadOnly,
    };
    EtcdState {
        state,
        members,
        left,
        quorum: q,
    }
}

/// Load-balancer hosts lost: on the control plane, the zone's lost nodes
/// are its first ones, which run the balancer.
fn lb_lost(layout: &Layout, lost: &Lost) -> u32 {
    let role = lb_role(layout);
    layout
        .lb
        .iter()
        .map(|(z, n)| lost.get(&role, z).min(*n))
        .sum()
}

fn api_state(layout: &Layout, lost: &Lost, etcd: &EtcdState) -> Part {
    let part = |ok: bool, why: String| Part { ok, why };
    if layout.managed {
        return match &layout.zonal_control_plane {
            Some(z) if lost.zones.contains(z) => part(
                false,
                format!("the zonal control plane runs in {z}, which is lost"),
            ),
            Some(_) => part(
                true,
                "the provider runs the control plane (zonal: no SLA beyond its zone)".into(),
            ),
            None => part(
                true,
                "the provider runs the control plane across zones, under its SLA".into(),
            ),
        };
    }
    let cp_left = layout
        .cp_total()
        .saturating_sub(lost.total(&Role::ControlPlane));
    if cp_left == 0 {
        return part(false, "no control-plane node is left".into());
    }
    if etcd.state != Quorum::Writes {
        return part(
            false,
            format!(
                "etcd has {} of {} members, quorum {}: kube-apiserver's etcd check fails, /healthz returns 500 and the load balancer drops every API server",
                etcd.left, etcd.members, etcd.quorum
            ),
        );
    }
    match layout.entry {
        Entry::Provider => part(
            true,
            format!("{cp_left} API server(s) behind the cloud load balancer"),
        ),
        Entry::FirstNode => match lost.first_lost(&Role::ControlPlane, &layout.control_plane) {
            true => part(
                false,
                "no load balancer: clients use the first control-plane node, which is lost".into(),
            ),
            false => part(
                true,
                format!("{cp_left} API server(s); clients use the first, which is up"),
            ),
        },
        Entry::Hosts { vip, .. } => {
            let total = layout.lb_total();
            let left = total.saturating_sub(lb_lost(layout, lost));
            let first_gone = lost.first_lost(&lb_role(layout), &layout.lb);
            match (left, vip, first_gone) {
                (0, _, _) if total == 1 => part(false, "the one load-balancer host is lost".into()),
                (0, _, _) => part(false, format!("all {total} load-balancer hosts are lost")),
                (_, false, true) => part(false, "the load balancer clients use is lost, and no virtual IP moves to another".into()),
                (_, true, true) => part(true, format!("the virtual IP moves to one of {left} load-balancer host(s) left; {cp_left} API server(s) behind it")),
                _ => part(true, format!("{left} of {total} load-balancer host(s), {cp_left} API server(s) behind them")),
            }
        }
    }
}

fn controllers_state(
    c: &Catalog,
    plan: &ClusterPlan,
    layout: &Layout,
    lost: &Lost,
    api: &Part,
) -> Part {
    if layout.managed {
        return Part {
            ok: api.ok,
            why: "the provider runs the controllers".into(),
        };
    }
    if !api.ok {
        return Part {
            ok: false,
            why:
                "no API: controllers and scheduler cannot renew their leases; nothing is reconciled"
                    .into(),
        };
    }
    if lost.total(&Role::ControlPlane) == 0 {
        return Part {
            ok: true,
            why: "leaders unaffected".into(),
        };
    }
    let (lo, hi, graceful) = timeline::leader_takeover(c, plan);
    Part {
        ok: true,
        why: format!(
            "if a lost node held the kube-controller-manager or kube-scheduler lease, a standby takes it in {} to {} (after a graceful stop, about {})",
            timeline::secs(lo),
            timeline::secs(hi),
            timeline::secs(graceful)
        ),
    }
}

fn capacity_state(plan: &ClusterPlan, layout: &Layout, lost: &Lost) -> CapacityState {
    let mut before = 0u64;
    let mut after = 0u64;
    for p in &layout.pools {
        let role = Role::Workers(p.name.clone());
        for (z, n) in &p.zones {
            before += u64::from(*n) * p.pods_per_node;
            after += u64::from(n.saturating_sub(lost.get(&role, z))) * p.pods_per_node;
        }
    }
    for (z, n) in &layout.control_plane {
        before += u64::from(*n) * layout.cp_pods_per_node;
        after +=
            u64::from(n.saturating_sub(lost.get(&Role::ControlPlane, z))) * layout.cp_pods_per_node;
    }
    let pods = plan.spec.workload.as_ref().map_or(0, |w| w.pods);
    CapacityState {
        pods,
        capacity_before: before,
        capacity_after: after,
        pending: pods.saturating_sub(after),
        stranded: 0,
        stranded_why: None,
    }
}
