//! A provider's system node pool (AKS: System mode): a small tainted pool
//! for the cluster's own components, beside the user pools.

use super::{DesignError, Draft, Input, Topic};
use crate::catalog::{InstanceType, SystemPool};
use crate::plan::{Machine, Medium, Os, WorkerPool};
use crate::prose::decimal;

/// The system pool's node count for these answers (0 where there is none),
/// so the cluster split counts them against the node limit.
pub fn nodes(i: &Input, d: &Draft) -> u32 {
    match (&i.prof.system_pool, d.managed) {
        (Some(sp), Some(_)) if !i.learning() && i.production() => sp.production_nodes,
        (Some(sp), Some(_)) if !i.learning() => sp.nodes,
        _ => 0,
    }
}

/// The pool's type: the cheapest (else smallest) of the answered
/// architecture that meets the recommended size, larger for production and
/// larger again for a large cluster; where the catalog has none that large
/// for the architecture, the next size down. With the size it meets and
/// the one recommended.
fn pick<'c>(i: &Input<'c>, sp: &SystemPool, large: bool) -> Option<(f64, f64, &'c InstanceType)> {
    let wanted = match (i.production(), large) {
        (_, true) => [sp.large_min_cpu, sp.production_min_cpu, sp.min_cpu],
        (true, false) => [sp.production_min_cpu, sp.min_cpu, sp.min_cpu],
        (false, false) => [sp.min_cpu; 3],
    };
    let cheapest = |min_cpu: f64| {
        i.candidates(false)
            .filter(|t| t.cpu >= min_cpu && t.memory_gib >= sp.min_memory_gib)
            .min_by(|a, b| {
                let key = |t: &InstanceType| t.price_per_hour.unwrap_or(t.cpu);
                key(a).total_cmp(&key(b))
            })
    };
    wanted
        .iter()
        .find_map(|m| cheapest(*m).map(|t| (*m, wanted[0], t)))
}

pub fn run(i: &Input, d: &mut Draft) -> Result<(), DesignError> {
    let (Some(sp), Some(tool)) = (&i.prof.system_pool, d.managed) else {
        return Ok(());
    };
    if i.learning() {
        return Ok(());
    }
    let large = d.workers > sp.large_above_nodes;
    let Some((min_cpu, wanted, t)) = pick(i, sp, large) else {
        return Err(i.nothing_fits());
    };
    // `--instance-type system=TYPE` pins it; the reason keeps the size
    // recommended.
    let t = match i.machines.pinned(Some(sp.name.as_str())) {
        Some(name) => super::pinned::find(i, name)?,
        None => t,
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
            instance_type: Some(t.name.to_string()),
            max_pods: Some(max_pods),
            os: Os::Linux,
            arch: t.arch,
            taints: vec![sp.taint.clone()],
        },
    );
    let tool = tool.as_str().to_uppercase();
    let scope = match (i.production(), large) {
        (_, true) => format!(
            ", {nodes} nodes over the zones: a cluster of more than {} nodes runs more CoreDNS replicas and add-ons",
            crate::prose::num(sp.large_above_nodes)
        ),
        (true, false) => format!(", {nodes} nodes over the zones for production"),
        (false, false) => String::new(),
    };
    let short = match min_cpu < wanted {
        true => format!(
            " ({tool} recommends {} vCPUs; the catalog has no {} type that large)",
            decimal(wanted),
            i.a.arch
        ),
        false => String::new(),
    };
    d.why(
        Topic::WorkerPools,
        format!("worker pools: `{}` ({nodes} x {}, System mode)", sp.name, t.name),
        format!(
            "{tool} recommends a dedicated system pool for the cluster's own components (CoreDNS, metrics server), tainted {} so application pods stay on the user pools: at least {} vCPU / {} GiB{scope}{short}",
            sp.taint,
            decimal(min_cpu),
            decimal(sp.min_memory_gib),
        ),
    );
    Ok(())
}
