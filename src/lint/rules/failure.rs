//! Failures: what one failure does to the plan, by the engine `whatif`
//! runs, so lint, `design` and `whatif` never disagree.

use super::prelude::*;
use crate::whatif::layout::Layout;
use crate::whatif::run::run;
use crate::whatif::scenario::Role;
use crate::whatif::{Quorum, Verdict};

pub const GROUP: &str = "Failures";

rule! {
    FAILURE_SINGLE_POINT: "failure-single-point", ProductionOnly(Error), Some(failure_single_point),
    needs: [ControlPlane, Etcd, LoadBalancer, Workers, Zones],
    summary: "One failure (a zone, or one machine of any role) takes the cluster down.",
    what: "A single failure `kubeplan whatif` finds takes the API down or etcd's quorum away: a zone holding a quorum-breaking share of etcd, the one load balancer, the only control-plane node, the node clients point at.",
    why: "Production must survive any one failure: with the API down nothing can be deployed, scaled or healed, and the controllers stop reconciling. `kubeplan whatif PLAN` shows each failure, what breaks and for how long.",
    fix: "Remove the single point: spread an odd etcd so no zone holds a majority's worth, put 2 or more load balancers behind a virtual IP (or a cloud LB), run 3 control-plane nodes.",
    near_miss: [("zones: [zone-a, zone-b]", "zones: [zone-a, zone-b, zone-c]")],
}

fn failure_single_point(ctx: &Ctx) -> Vec<Hit> {
    let r = run(ctx.catalog, ctx.plan, &[], 1);
    if r.summary.worst_single != Verdict::Down {
        return vec![];
    }
    let layout = Layout::of(ctx.catalog, ctx.plan);
    let down: Vec<_> = r
        .scenarios
        .iter()
        .filter(|s| s.outcome.verdict == Verdict::Down)
        .collect();
    let first = &down[0].outcome;
    let field = if first.lost_a_zone() {
        "spec.zones"
    } else if first.etcd.state != Quorum::Writes {
        match layout.stacked {
            true => "spec.controlPlane.nodes",
            false => "spec.etcd.members",
        }
    } else if first.lost(|r| *r == Role::LoadBalancer) {
        "spec.apiLoadBalancer"
    } else {
        "spec.controlPlane.nodes"
    };
    let each: Vec<String> = down
        .iter()
        .map(|s| format!("{}: {}", s.outcome.failed_text(), s.outcome.api.why))
        .collect();
    vec![Hit::new(
        field,
        format!("one failure takes the cluster down — {}", each.join("; ")),
        "`kubeplan whatif` shows each failure; remove the single point (odd etcd spread over 3 zones, 2+ balancers with a virtual IP, 3 control-plane nodes)",
    )]
}
