//! Tooling and platform: which tool builds the cluster, and the nodes' architecture.

use super::prelude::*;
use crate::plan::Tooling;

pub const GROUP: &str = "Tooling and platform";

rule! {
    TOOLING_PLATFORM_MISMATCH: "tooling-platform-mismatch", Always(Error), Some(tooling_platform_mismatch),
    summary: "A tool that does not run on the plan's platform.",
    what: "`spec.tooling` against the platforms each tool supports: eks only on aws, gke on gcp, aks on azure, kops on aws and gcp, the others anywhere.",
    why: "The plan cannot be built as written.",
    fix: "Use the platform's tool: kubeadm on-prem, EKS or kOps on AWS, GKE on GCP, AKS on Azure.",
    near_miss: [("tooling: kops", "tooling: kubeadm")],
}

fn tooling_platform_mismatch(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    let Some(tool) = p.spec.tooling else {
        return vec![];
    };
    let Some(prof) = ctx.catalog.tool(tool) else {
        return vec![];
    };
    if prof.platforms.contains(&p.spec.platform) {
        return vec![];
    }
    let on: Vec<&str> = prof.platforms.iter().map(|p| p.as_str()).collect();
    let suggest = {
        let t = &ctx.catalog.platform(p.spec.platform).tooling;
        match t.managed {
            Some(m) => format!("{} or {}", m, t.self_managed),
            None => t.self_managed.to_string(),
        }
    };
    vec![Hit::new(
        "spec.tooling",
        format!(
            "{tool} does not run on {} (it runs on {})",
            p.spec.platform,
            on.join(", ")
        ),
        format!("on {} use {suggest}", p.spec.platform),
    )]
}

rule! {
    TOOLING_PURPOSE_MISMATCH: "tooling-purpose-mismatch", ProductionOnly(Warning), Some(tooling_purpose_mismatch),
    summary: "minikube or kind for a production cluster.",
    what: "A production plan built with minikube or kind.",
    why: "Both build single-machine clusters for learning and development (kind runs nodes as containers); neither offers HA, upgrades or support.",
    fix: "Use kubeadm (on-prem) or the platform's managed service.",
    near_miss: [("tooling: kind", "tooling: kubeadm")],
}

fn tooling_purpose_mismatch(ctx: &Ctx) -> Vec<Hit> {
    let Some(tool) = ctx.plan.spec.tooling else {
        return vec![];
    };
    if ctx.catalog.tool(tool).is_none_or(|t| t.production) {
        return vec![];
    }
    let what = if tool == Tooling::Kind {
        "runs nodes as containers on one machine"
    } else {
        "builds a single-node cluster"
    };
    vec![Hit::new(
        "spec.tooling",
        format!("{tool} {what}, for learning and development, not production"),
        "use kubeadm (on-prem) or the platform's managed service",
    )]
}

rule! {
    NODE_ARCH_32_BIT: "node-arch-32-bit", Always(Error), Some(node_arch_32_bit),
    needs: [Workers],
    summary: "A worker pool on a 32-bit architecture.",
    what: "A pool with `arch: 386` or `arch: arm`.",
    why: "Kubernetes nodes are 64-bit Linux machines; current releases ship no 32-bit node binaries.",
    fix: "Use amd64 or arm64 machines.",
    near_miss: [("arch: arm ", "arch: arm64 ")],
}

fn node_arch_32_bit(ctx: &Ctx) -> Vec<Hit> {
    ctx.plan
        .spec
        .workers
        .iter()
        .enumerate()
        .filter(|(_, w)| w.arch.is_32_bit())
        .map(|(i, w)| {
            Hit::new(
                format!("spec.workers[{i}].arch"),
                format!(
                    "pool `{}` uses the 32-bit architecture {}; Kubernetes nodes are 64-bit",
                    w.name, w.arch
                ),
                "use amd64 or arm64 machines",
            )
        })
        .collect()
}
