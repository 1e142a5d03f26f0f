//! A provider's system node pool (AKS: System mode): a small tainted pool
//! for the cluster's own components, beside the user pools.

use super::{DesignError, Draft, Input, Topic};
use crate::fmt::decimal;
use crate::plan::{Machine, Medium, Os, WorkerPool};

/// The system pool's node count for these answers (0 where there is none),
/// so the cluster split counts them against the node limit.
pub fn nodes(i: &Input, d: &Draft) -> u32 {
    match (&i.prof.system_pool, d.managed) {
        (Some(sp), Some(_)) if !i.learning() && i.production() => sp.production_nodes,
        (Some(sp), Some(_)) if !i.learning() => sp.nodes,
        _ => 0,
    }
}

pub fn run(i: &Input, d: &mut Draft) -> Result<(), DesignError> {
    let (Some(sp), Some(tool)) = (&i.prof.system_pool, d.managed) else {
        return Ok(());
    };
    if i.learning() {
        return Ok(());
    }
    // The cheapest (else smallest) type of the answered architecture that
    // meets the pool's minimum.
    let Some(t) = i
        .prof
        .instances
        .iter()
        .filter(|t| t.cpu >= sp.min_cpu && t.memory_gib >= sp.min_memory_gib)
        .filter(|t| i.a.arch.allows(t.arch) && t.family != "burstable")
        .min_by(|a, b| {
            let key = |t: &crate::catalog::InstanceType| t.price_per_hour.unwrap_or(t.cpu);
            key(a).total_cmp(&key(b))
        })
    else {
        return Err(i.nothing_fits());
    };
    let nodes = self::nodes(i, d);
    let max_pods = crate::sizing::instance_max_pods(i.c, i.a.platform, true, t);
    d.plan.spec.workers.insert(
        0,
        WorkerPool {
            name: sp.name.clone(),
            nodes,
            zones: Vec::new(),
            machine: Machine {
                cpu: t.cpu,
                memory_gib: t.memory_gib,
                disk_gib: Some(i.c.kubernetes.design.worker_disk_gib),
                disk: Some(Medium::Ssd),
            },
            instance_type: Some(t.name.clone()),
            max_pods: Some(max_pods),
            os: Os::Linux,
            arch: t.arch,
            taints: vec![sp.taint.clone()],
        },
    );
    d.why(
        Topic::WorkerPools,
        format!("worker pools: `{}` ({nodes} x {}, System mode)", sp.name, t.name),
        format!(
            "{} recommends a dedicated system pool for the cluster's own components (CoreDNS, metrics server), tainted {} so application pods stay on the user pools: at least {} vCPU / {} GiB{}",
            tool.as_str().to_uppercase(),
            sp.taint,
            decimal(sp.min_cpu),
            decimal(sp.min_memory_gib),
            if i.production() {
                format!(", {nodes} nodes over the zones for production")
            } else {
                String::new()
            }
        ),
    );
    Ok(())
}
