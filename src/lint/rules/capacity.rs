//! Scale and capacity: whether the workers hold the workload, before and after the worst failure.

use super::prelude::*;
use crate::sizing;

pub const GROUP: &str = "Scale and capacity";

rule! {
    WORKER_CAPACITY_INSUFFICIENT: "worker-capacity-insufficient", Always(Error), Some(worker_capacity_insufficient),
    needs: [Workload, ControlPlane, Workers, Machines],
    summary: "The workers cannot hold the workload's pods.",
    what: "`workload.pods` against the cluster's pod capacity: for each worker (and each schedulable control-plane node) the smaller of maxPods and allocatable CPU and memory over `podRequests`, allocatable by the platform's reservation formula (docs/sizing.md).",
    why: "Pods that do not fit stay Pending; the plan cannot run the workload it was made for.",
    fix: "Add worker nodes or use larger machines; `kubeplan size` computes the count.",
    near_miss: [("pods: 100", "pods: 30")],
}

fn worker_capacity_insufficient(ctx: &Ctx) -> Vec<Hit> {
    let Some(w) = &ctx.plan.spec.workload else {
        return vec![];
    };
    let cap = sizing::plan_capacity(ctx.catalog, ctx.plan);
    let total = cap.total();
    if w.pods <= total {
        return vec![];
    }
    vec![Hit::new(
        "spec.workload.pods",
        format!(
            "the workload needs {} pods but the cluster holds {}{}",
            num(w.pods),
            num(total),
            requests_note(ctx)
        ),
        "add worker nodes or use larger machines (`kubeplan size` computes the count)",
    )]
}

rule! {
    WORKER_NO_FAILURE_HEADROOM: "worker-no-failure-headroom", ProductionOnly(Warning), Some(worker_no_failure_headroom),
    needs: [Workload, ControlPlane, Workers, Machines, Zones],
    summary: "After losing the largest zone (or one node) the workers cannot hold the workload.",
    what: "The capacity left after the worst single failure against `workload.pods`: the zone holding the most capacity when the plan has several zones, the largest node when it has one.",
    why: "Failures are certain; without headroom, evicted pods have nowhere to go and the service degrades exactly when it is under stress.",
    fix: "Add nodes so that the cluster still holds the workload after the loss (N+1, or one zone's worth).",
    near_miss: [("pods: 150", "pods: 124")],
}

fn worker_no_failure_headroom(ctx: &Ctx) -> Vec<Hit> {
    let Some(w) = &ctx.plan.spec.workload else {
        return vec![];
    };
    let cap = sizing::plan_capacity(ctx.catalog, ctx.plan);
    let (left, lost) = cap.after_failure(ctx.plan.zones().len());
    if w.pods <= left {
        return vec![];
    }
    vec![Hit::new(
        "spec.workload.pods",
        format!(
            "after losing {lost} the cluster holds {} pods, below the workload's {}",
            num(left),
            num(w.pods)
        ),
        "add nodes so the cluster still holds the workload after that loss (N+1, or one zone's worth)",
    )]
}

rule! {
    PRODUCTION_SINGLE_ZONE: "production-single-zone", ProductionOnly(Info), Some(production_single_zone),
    needs: [Zones],
    summary: "A production cluster in a single zone.",
    what: "A production plan with one zone (or none listed).",
    why: "A single zone's power or network failure takes the whole cluster down; no zone failure is survivable.",
    fix: "Spread the cluster over 3 zones if the platform has them.",
    near_miss: [("[dc-1]", "[dc-1, dc-2, dc-3]")],
}

fn production_single_zone(ctx: &Ctx) -> Vec<Hit> {
    if ctx.plan.zones().len() > 1 {
        return vec![];
    }
    vec![Hit::new(
        "spec.zones",
        format!(
            "the cluster runs in one zone ({}): no zone failure is survivable",
            ctx.plan.zones()[0]
        ),
        "spread the cluster over 3 zones if the platform has them",
    )]
}

fn requests_note(ctx: &Ctx) -> String {
    match ctx
        .plan
        .spec
        .workload
        .as_ref()
        .and_then(|w| w.pod_requests.as_ref())
    {
        Some(r) => format!(
            " at {} CPU / {} GiB per pod",
            decimal(r.cpu),
            decimal(r.memory_gib)
        ),
        None => String::new(),
    }
}
