//! Scale and capacity: one cluster's node, pod and container limits, and pods per node.

use super::prelude::*;
use crate::sizing;

pub const GROUP: &str = "Scale and capacity";

rule! {
    CLUSTER_NODES_OVER_LIMIT: "cluster-nodes-over-limit", Always(Error), Some(cluster_nodes_over_limit),
    needs: [ControlPlane, Workers],
    summary: "More nodes than one cluster supports on the platform.",
    what: "Control-plane nodes plus worker nodes against the platform's node limit ({limits.maxNodes}).",
    why: "Past the limit the control plane is outside what the project or provider tests; API latency and etcd size grow past their service levels.",
    fix: "Split the workload over several clusters (`kubeplan design` does this), or use larger nodes.",
    near_miss: [("nodes: 5200", "nodes: 4997")],
}

fn cluster_nodes_over_limit(ctx: &Ctx) -> Vec<Hit> {
    let nodes = ctx.plan.k8s_nodes();
    let max = limits(ctx).max_nodes;
    if nodes <= max {
        return vec![];
    }
    vec![Hit::new(
        "spec.workers",
        format!("the plan has {} nodes; one cluster on {} holds at most {}", num(nodes), platform_label(ctx), num(max)),
        "split the workload over several clusters (`kubeplan design` does this), or use larger nodes",
    )]
}

rule! {
    PODS_PER_NODE_OVER_LIMIT: "pods-per-node-over-limit", Always(Error), Some(pods_per_node_over_limit),
    needs: [Workers],
    summary: "A pool's maxPods above what the platform accepts.",
    what: "Each pool's `maxPods` against the platform's hard maximum ({limits.hardMaxPodsPerNode}), and on EKS the instance type's ENI limit (ENIs x (IPs per ENI - 1) + 2) where the catalog knows the type. Self-managed kubelets take any `--max-pods`; `pods-per-node-over-tested` covers them.",
    why: "The provider refuses more pods than this; a plan that counts on them over-states its capacity.",
    fix: "Lower `maxPods` to the limit and add nodes, or pick a larger instance type.",
    near_miss: [("maxPods: 110", "maxPods: 29")],
}

fn pods_per_node_over_limit(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    let mut hits = Vec::new();
    for (i, w) in p.spec.workers.iter().enumerate() {
        let Some(limit) = sizing::node_pod_hard_limit(ctx.catalog, p, w) else {
            continue;
        };
        if ctx.catalog.max_pods(w) <= limit {
            continue;
        }
        let eni = w.instance_type.as_deref().filter(|t| {
            let platform = ctx.catalog.platform(p.spec.platform);
            p.managed()
                && platform.eni_max_pods
                && ctx
                    .catalog
                    .instance(p.spec.platform, t)
                    .is_some_and(|i| i.eni_max_pods() == Some(limit))
        });
        let source = match eni {
            Some(t) => format!("{t} on EKS (ENI limit)"),
            None => platform_label(ctx),
        };
        hits.push(Hit::new(
            format!("spec.workers[{i}].maxPods"),
            format!(
                "pool `{}` sets maxPods {}; a node on {source} holds at most {limit} pods",
                w.name,
                ctx.catalog.max_pods(w)
            ),
            format!("set `maxPods: {limit}` and add nodes, or pick a larger instance type"),
        ));
    }
    hits
}

rule! {
    PODS_PER_NODE_OVER_TESTED: "pods-per-node-over-tested", Always(Warning), Some(pods_per_node_over_tested),
    needs: [Workers],
    summary: "A pool's maxPods above the per-node figure the platform tests and recommends.",
    what: "Each pool's `maxPods`, where it is within what the platform accepts, against the recommended figure: {limits.maxPodsPerNode} (kubelet's default and the upstream scalability threshold on self-managed clusters).",
    why: "The kubelet accepts more pods (OpenShift ships 250), but past the tested figure pod start-up, status updates and eviction slow down, and each node needs a larger pod subnet.",
    fix: "Keep `maxPods` at the recommended figure and add nodes, or test the higher figure for your workload and silence the rule for this plan.",
    near_miss: [("maxPods: 250", "maxPods: 110")],
}

fn pods_per_node_over_tested(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    let mut hits = Vec::new();
    for (i, w) in p.spec.workers.iter().enumerate() {
        let (max, tested) = (
            ctx.catalog.max_pods(w),
            sizing::node_pod_limit(ctx.catalog, p, w),
        );
        let hard = sizing::node_pod_hard_limit(ctx.catalog, p, w).unwrap_or(u32::MAX);
        if max <= tested || max > hard {
            continue;
        }
        hits.push(Hit::new(
            format!("spec.workers[{i}].maxPods"),
            format!(
                "pool `{}` sets maxPods {max}; {} recommends at most {tested} pods per node",
                w.name,
                platform_label(ctx)
            ),
            format!("set `maxPods: {tested}` and add nodes, or silence the rule if you have tested {max}"),
        ));
    }
    hits
}

rule! {
    PODS_PER_NODE_OVER_CORES: "pods-per-node-over-cores", Always(Info), Some(pods_per_node_over_cores),
    needs: [Workers, Machines],
    summary: "A pool's maxPods above {podsPerCore} pods per core.",
    what: "Each pool's `maxPods` against {podsPerCore} x its vCPUs (SIG Scalability: pods per node min({upstream.maxPodsPerNode}, {podsPerCore} x cores)). On EKS a pool within its instance type's ENI figure is the platform's own number and is not reported.",
    why: "Per-pod overhead (kubelet housekeeping, probes, the container runtime) grows with the pod count; small nodes packed with pods become slow to report status.",
    fix: "Set `maxPods` to at most {podsPerCore} x the node's vCPUs, or use larger nodes.",
    near_miss: [("maxPods: 110", "maxPods: 20")],
}

fn pods_per_node_over_cores(ctx: &Ctx) -> Vec<Hit> {
    let per_core = f64::from(ctx.catalog.kubernetes.pods_per_core);
    let mut hits = Vec::new();
    for (i, w) in ctx.plan.spec.workers.iter().enumerate() {
        let cap = (per_core * w.machine.cpu).floor();
        let eni = w.instance_type.as_deref().and_then(|t| {
            let p = ctx.plan;
            let inst = ctx.catalog.instance(p.spec.platform, t);
            sizing::eni_max_pods(ctx.catalog, p.spec.platform, p.managed(), inst)
        });
        let max = ctx.catalog.max_pods(w);
        if f64::from(max) > cap && eni.is_none_or(|e| max > e) {
            hits.push(Hit::new(
                format!("spec.workers[{i}].maxPods"),
                format!(
                    "pool `{}` sets maxPods {} on {} vCPU machines: more than {} pods per core ({} here)",
                    w.name,
                    ctx.catalog.max_pods(w),
                    decimal(w.machine.cpu),
                    decimal(per_core),
                    decimal(cap)
                ),
                format!("set `maxPods` to at most {} or use larger machines", decimal(cap)),
            ));
        }
    }
    hits
}

rule! {
    CLUSTER_PODS_OVER_LIMIT: "cluster-pods-over-limit", Always(Error), Some(cluster_pods_over_limit),
    needs: [Workload],
    summary: "More pods than one cluster supports.",
    what: "`workload.pods` against the platform's total pod limit ({limits.maxPods}).",
    why: "Past the limit the API server and etcd hold more objects than the project tests; list and watch latency grows for every client.",
    fix: "Split the workload over several clusters.",
    near_miss: [("pods: 160000", "pods: 150000")],
}

fn cluster_pods_over_limit(ctx: &Ctx) -> Vec<Hit> {
    let Some(w) = &ctx.plan.spec.workload else {
        return vec![];
    };
    let max = limits(ctx).max_pods;
    if w.pods <= max {
        return vec![];
    }
    vec![Hit::new(
        "spec.workload.pods",
        format!(
            "the workload has {} pods; one cluster on {} holds at most {}",
            num(w.pods),
            platform_label(ctx),
            num(max)
        ),
        format!(
            "split the workload over {} clusters or more",
            w.pods.div_ceil(max)
        ),
    )]
}

rule! {
    CLUSTER_CONTAINERS_OVER_LIMIT: "cluster-containers-over-limit", Always(Error), Some(cluster_containers_over_limit),
    needs: [Workload],
    summary: "More containers than one cluster supports.",
    what: "`workload.pods` x `workload.containersPerPod` against the total container limit ({limits.maxContainers}).",
    why: "The upstream scalability thresholds cap containers per cluster; past them kubelets and the API server are untested.",
    fix: "Split the workload over several clusters, or run fewer containers per pod.",
    near_miss: [("pods: 120000", "pods: 100000")],
}

fn cluster_containers_over_limit(ctx: &Ctx) -> Vec<Hit> {
    let Some(w) = &ctx.plan.spec.workload else {
        return vec![];
    };
    let containers = w.pods.saturating_mul(w.containers_per_pod);
    let max = limits(ctx).max_containers;
    if containers <= max {
        return vec![];
    }
    vec![Hit::new(
        "spec.workload.containersPerPod",
        format!(
            "the workload runs {} containers ({} pods x {}); one cluster holds at most {}",
            num(containers),
            num(w.pods),
            w.containers_per_pod,
            num(max)
        ),
        "split the workload over several clusters, or run fewer containers per pod",
    )]
}

fn limits<'a>(ctx: &Ctx<'a>) -> &'a crate::catalog::Limits {
    ctx.catalog
        .limits(ctx.plan.spec.platform, ctx.plan.managed())
}

fn platform_label(ctx: &Ctx) -> String {
    let p = ctx.plan;
    match (
        p.managed(),
        ctx.catalog.platform(p.spec.platform).tooling.managed,
    ) {
        (true, Some(tool)) => tool.as_str().to_uppercase(),
        _ => format!("{} (upstream limits)", p.spec.platform),
    }
}
