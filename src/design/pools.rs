//! The worker pools: the chosen instance type, within the provider's
//! per-pool limit, and the reason for their count.

use super::{DesignError, Draft, Input, Topic};
use crate::plan::{ArchChoice, Machine, Medium, Os, Purpose, Traffic, WorkerPool};
use crate::prose::{decimal, num, plural};
use crate::sizing::Choice;

/// Nodes one pool may have: the provider's nodes per pool, or per pool in
/// each zone (GKE), a whole number per zone where the limit allows.
fn per_pool(limits: &crate::catalog::Limits, zones: u64) -> u64 {
    let per_zone = limits.max_nodes_per_pool_per_zone.map(|m| m * zones);
    [limits.max_nodes_per_pool, per_zone]
        .into_iter()
        .flatten()
        .min()
        .map(|m| if m >= zones { m / zones * zones } else { m })
        .unwrap_or(u64::MAX)
        .max(1)
}

pub fn run(i: &Input, d: &mut Draft) -> Result<(), DesignError> {
    let Some(choice) = d.choice.clone().filter(|_| !i.learning()) else {
        return Ok(());
    };
    let a = i.a;
    let limits = i.c.limits(a.platform, d.managed.is_some());
    let zones = u64::from(a.zones.max(1));
    let per_pool = per_pool(limits, zones);
    let pool_count = d.workers.div_ceil(per_pool).max(1);
    let machine = Machine {
        cpu: choice.cpu,
        memory_gib: choice.memory_gib,
        disk_gib: Some(i.c.kubernetes.design.worker_disk_gib),
        disk: Some(Medium::Ssd),
    };
    let mut left = d.workers;
    for n in 0..pool_count {
        let nodes = left.min(per_pool);
        left -= nodes;
        d.plan.spec.workers.push(WorkerPool {
            name: if pool_count == 1 {
                a.workload.as_str().to_string()
            } else {
                format!("{}-{}", a.workload, n + 1)
            },
            nodes: u32::try_from(nodes).unwrap_or(u32::MAX),
            zones: if d.witness {
                d.plan.spec.zones.clone()
            } else {
                Vec::new()
            },
            machine: machine.clone(),
            instance_type: a.platform.cloud().then(|| choice.instance_type.clone()),
            max_pods: Some(choice.max_pods),
            os: Os::Linux,
            taints: Vec::new(),
            arch: choice.arch,
        });
    }
    d.max_pods = choice.max_pods;
    workers_reason(i, d, &choice);
    limit_reasons(i, d, (pool_count, per_pool));
    if a.purpose == Purpose::Production && a.zones == 1 {
        d.why(
            Topic::Zones,
            "zones: 1",
            "only one failure domain is available: the design survives node failures but not the loss of the zone",
        );
    }
    Ok(())
}

/// Why the workers are split into pools, and the provider's node quota.
fn limit_reasons(i: &Input, d: &mut Draft, (pool_count, per_pool): (u64, u64)) {
    let limits = i.c.limits(i.a.platform, d.managed.is_some());
    let zones = u64::from(i.a.zones.max(1));
    let tool = d
        .plan
        .spec
        .tooling
        .map_or("", |t| t.as_str())
        .to_uppercase();
    if pool_count > 1 {
        let limit = match (
            limits.max_nodes_per_pool_per_zone,
            limits.max_nodes_per_pool,
        ) {
            (Some(z), _) if z * zones == per_pool => format!(
                "at most {} nodes per pool in each zone ({} over {} zones)",
                num(z),
                num(per_pool),
                zones
            ),
            (_, m) => format!("at most {} nodes per pool", num(m.unwrap_or(per_pool))),
        };
        d.why(
            Topic::WorkerPools,
            format!("worker pools: {pool_count}"),
            format!("{tool} allows {limit}: the workers are split into {pool_count} pools"),
        );
    }
    if let Some(quota) = limits.node_quota.filter(|q| d.plan.k8s_nodes() > *q) {
        d.why(
            Topic::WorkerPools,
            format!("node quota: {} nodes", num(d.plan.k8s_nodes())),
            format!("{tool} clusters of more than {} nodes need a quota increase (and, in current versions, a regional cluster with private nodes or Private Service Connect): ask for it before creating the cluster", num(quota)),
        );
    }
}

fn workers_reason(i: &Input, d: &mut Draft, choice: &Choice) {
    let (c, a) = (i.c, i.a);
    let burst_note = if a.traffic == Traffic::Burst {
        format!(
            " plus {}% burst headroom",
            (c.kubernetes.sizing.burst_headroom * 100.0).round()
        )
    } else {
        String::new()
    };
    let headroom = if a.purpose == Purpose::Production && a.zones >= 2 {
        format!(
            "enough that losing the largest of the {} zones still leaves room for every pod",
            a.zones
        )
    } else {
        "one spare node (N+1)".to_string()
    };
    let size = format!("{} vCPU", decimal(choice.cpu));
    let memory = format!("{} GiB", decimal(choice.memory_gib));
    let shape = if !a.platform.cloud() {
        format!("{size} / {memory} {} servers", choice.arch)
    } else {
        format!(
            "{} ({size}, {memory}, {})",
            choice.instance_type, choice.arch
        )
    };
    let rank = rank_text(i, d, choice);
    let overhead = overhead_text(i, choice);
    d.why(
        Topic::Workers,
        format!(
            "workers: {} x {shape}{}",
            num(d.workers),
            if d.clusters > 1 { " per cluster" } else { "" }
        ),
        format!(
            "{rank} for {} at {} CPU / {} GiB{burst_note}: {} per node (maxPods {}), and {headroom}{overhead}",
            plural(d.share, "pod", "pods"),
            decimal(a.pod_cpu),
            decimal(a.pod_memory_gib),
            choice.pods_per_node,
            choice.max_pods
        ),
    );
    super::options::runners_up_reason(d, choice);
}

/// How the worker type was ranked: by price or by the cost model, over
/// which architectures.
fn rank_text(i: &Input, d: &Draft, choice: &Choice) -> String {
    let a = i.a;
    if let Some(pinned) = super::options::pinned_text(i, d, choice) {
        return pinned;
    }
    let priced = i.prof.instances.iter().any(|t| t.price_per_hour.is_some());
    let weigh = i.prof.cost_model.as_ref().map_or(String::new(), |m| {
        format!(
            " (vCPUs + {} x GiB: a GiB weighs that much of a vCPU)",
            decimal(m.per_gib)
        )
    });
    let of = i.machines.types.describe_for(a.purpose);
    let rank = match (priced, d.clusters > 1) {
        (true, false) => format!("the cheapest per month of the catalog's {of}"),
        (true, true) => {
            "of the types needing the fewest clusters, the cheapest per month".to_string()
        }
        (false, false) => format!("the cheapest in total of the catalog's server shapes{weigh}"),
        (false, true) => {
            format!("of the shapes needing the fewest clusters, the cheapest in total{weigh}")
        }
    };
    let arch = match a.arch {
        ArchChoice::Any => format!(" over amd64 and arm64 ({} won)", choice.arch),
        ArchChoice::Amd64 => " among amd64 types (--arch any weighs arm64 too)".to_string(),
        ArchChoice::Arm64 => " among arm64 types, as answered".to_string(),
    };
    format!("{rank}{arch}")
}

/// What every node gives its DaemonSets, the blast-radius cap and a
/// burstable type's baseline.
fn overhead_text(i: &Input, choice: &Choice) -> String {
    let (c, a) = (i.c, i.a);
    let o = crate::sizing::node_overhead(c, a.platform);
    let cap = crate::sizing::blast_radius_cap(
        c,
        crate::sizing::effective_pods(c, a.pods, a.traffic == Traffic::Burst),
    );
    let blast = if a.purpose == Purpose::Production && choice.pods_per_node >= cap {
        format!(
            "; no node carries more than {cap} pods ({}% of the workload), so losing one takes little down",
            (c.kubernetes.sizing.blast_radius_share * 100.0).round()
        )
    } else {
        String::new()
    };
    let burstable = choice.baseline_cpu.map_or(String::new(), |b| {
        format!(
            "; a burstable type, sized by the {} of its {} vCPUs it sustains ({}% baseline), not its vCPUs",
            decimal(choice.cpu * b),
            decimal(choice.cpu),
            decimal(b * 100.0)
        )
    });
    format!(
        "; every node first gives {} CPU, {} GiB and {} pod slots to its DaemonSets ({}), a cost the ranking counts per node, so fewer, larger nodes win when the price is close{blast}{burstable}",
        decimal(o.cpu),
        decimal(o.memory_gib),
        o.pods,
        o.daemon_sets.join(", ")
    )
}
