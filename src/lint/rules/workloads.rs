//! The workloads a plan is for (`lint PLAN --workloads W`): the pods of the
//! manifests packed onto the plan's workers as kube-scheduler's filters
//! place them (`docs/workloads.md`).

use super::prelude::*;
use crate::workloads::{Workload, WorkloadSet};

pub const GROUP: &str = "Workloads";

rule! {
    WORKLOAD_DOES_NOT_FIT: "workload-does-not-fit", Always(Error), Some(workload_does_not_fit),
    needs: [Workers, Machines, Zones],
    workloads: "workload-does-not-fit.workloads.yaml",
    summary: "Pods of the workloads find no node on the plan's workers.",
    what: "The pods of `--workloads` (each Deployment, StatefulSet, Job, … at its replicas; a HorizontalPodAutoscaler's target at `maxReplicas`; DaemonSets on every node they accept) packed first-fit decreasing onto the plan's worker nodes, with kube-scheduler's filters: resources against allocatable (the platform's reservation, the platform's DaemonSets), max pods, taints, node selectors and affinity, host ports, pod (anti-)affinity and `DoNotSchedule` topology spread.",
    why: "A pod no node accepts stays Pending: the plan cannot run what it was made for, and the scheduler's reason says what is short.",
    fix: "Add nodes or larger machines to a pool the pods fit (`kubeplan size --workloads` computes them), or relax the constraint the reason names.",
    near_miss: [("nodes: 2\n", "nodes: 5\n")],
}

rule! {
    WORKLOAD_HPA_MAX_DOES_NOT_FIT: "workload-hpa-max-does-not-fit", Always(Warning), Some(workload_hpa_max_does_not_fit),
    needs: [Workers, Machines, Zones],
    workloads: "workload-hpa-max-does-not-fit.workloads.yaml",
    summary: "A HorizontalPodAutoscaler's `maxReplicas` does not fit the plan's workers.",
    what: "A workload a HorizontalPodAutoscaler scales, packed at `maxReplicas`: its pods at `minReplicas` find nodes but some of the pods up to `maxReplicas` do not.",
    why: "The autoscaler adds replicas when load rises; those that find no node stay Pending exactly when the service needs them.",
    fix: "Add nodes for `maxReplicas` (or let a cluster autoscaler add them), or lower `maxReplicas` to what the workers hold.",
    near_miss: [("nodes: 2\n", "nodes: 8\n")],
}

rule! {
    WORKLOAD_BEST_EFFORT: "workload-best-effort", ProductionOnly(Warning), Some(workload_best_effort),
    workloads: "workload-best-effort.workloads.yaml",
    summary: "Pods of a production workload request no CPU and no memory (BestEffort).",
    what: "Workloads of `--workloads` whose containers declare no requests and no limits (QoS class BestEffort), in a plan for production.",
    why: "The scheduler counts a BestEffort pod as taking nothing, so nodes overfill; the kubelet evicts BestEffort pods first under memory pressure, and no sizing can hold them.",
    fix: "Give every container CPU and memory requests (a LimitRange's `defaultRequest` sets them for a namespace).",
    near_miss: [("purpose: production", "purpose: development")],
}

fn workload<'a>(set: &'a WorkloadSet, ctx: &Ctx, g: u32) -> Option<&'a Workload> {
    let fit = ctx.fit()?;
    set.workloads.get(fit.groups.get(g as usize)?.workload)
}

/// `Deployment/shop/cart (manifests/cart.yaml:3:1)`.
fn named(w: &Workload) -> String {
    format!("{} ({}:{}:{})", w.id(), w.file, w.pos.line, w.pos.column)
}

/// Pending pods beyond what an HPA's range explains.
fn hpa_explains(w: &Workload, pending: u32) -> bool {
    w.hpa
        .is_some_and(|(min, max)| pending <= max.saturating_sub(min))
}

fn workload_does_not_fit(ctx: &Ctx) -> Vec<Hit> {
    let (Some(fit), Some(set)) = (ctx.fit(), ctx.workloads) else {
        return vec![];
    };
    let mut out = Vec::new();
    for p in &fit.pending {
        let Some(w) = workload(set, ctx, p.group) else {
            continue;
        };
        if hpa_explains(w, p.pods) {
            continue;
        }
        out.push(Hit::new(
            "spec.workers",
            format!(
                "{} of {} pods of {} find no node on the plan's {} workers: {}",
                p.pods,
                w.pods,
                named(w),
                fit.nodes,
                p.reason
            ),
            "add nodes or larger machines to a pool they fit (`kubeplan size --workloads` computes them), or relax what the reason names",
        ));
    }
    for (g, n) in &fit.daemon_misfits {
        let name = &fit.groups[*g as usize].name;
        out.push(Hit::new(
            "spec.workers",
            format!(
                "{name} does not fit on worker node {} beside the pods already there",
                n + 1
            ),
            "give the pool larger machines, or lower the DaemonSet's requests",
        ));
    }
    out
}

fn workload_hpa_max_does_not_fit(ctx: &Ctx) -> Vec<Hit> {
    let (Some(fit), Some(set)) = (ctx.fit(), ctx.workloads) else {
        return vec![];
    };
    let mut out = Vec::new();
    for p in &fit.pending {
        let Some(w) = workload(set, ctx, p.group) else {
            continue;
        };
        let Some((min, max)) = w.hpa.filter(|_| hpa_explains(w, p.pods)) else {
            continue;
        };
        out.push(Hit::new(
            "spec.workers",
            format!(
                "a HorizontalPodAutoscaler scales {} from {min} to {max} replicas; at {max}, {} pods find no node: {}",
                named(w),
                p.pods,
                p.reason
            ),
            format!("add nodes for {max} replicas, or lower maxReplicas to {}", max - p.pods),
        ));
    }
    out
}

fn workload_best_effort(ctx: &Ctx) -> Vec<Hit> {
    let Some(set) = ctx.workloads else {
        return vec![];
    };
    set.workloads
        .iter()
        .filter(|w| w.pod.best_effort)
        .map(|w| {
            Hit::new(
                "spec.purpose",
                format!("{} requests no CPU and no memory: its pods are BestEffort in a production cluster", named(w)),
                "give its containers CPU and memory requests (or a LimitRange defaultRequest for its namespace)",
            )
        })
        .collect()
}
