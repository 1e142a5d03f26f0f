//! `kubeplan design --workloads`: the workload answers from the manifests,
//! then the workers the packing asks for in place of the average pod's.

use crate::catalog::Catalog;
use crate::design::{Design, Reason, Topic};
use crate::plan::{ClusterPlan, Machine, Medium, Os, Purpose, WorkerPool};
use crate::questionnaire::PartialAnswers;
use crate::workloads::{Kind, WorkloadSet};

/// `--workloads`, read (None when not given).
pub fn read(paths: &[String]) -> anyhow::Result<Option<WorkloadSet>> {
    Ok(match paths.is_empty() {
        true => None,
        false => Some(crate::workloads::read_paths(paths)?),
    })
}

/// The answers, with the workload's from the manifests over them (said).
pub fn over(set: Option<&WorkloadSet>, merged: PartialAnswers) -> PartialAnswers {
    let Some(set) = set else { return merged };
    super::note(format!(
        "kubeplan: note: applications, pods and the pods' requests come from --workloads ({} workloads, {} pods); those questions are not asked",
        set.workloads.len(),
        set.pods()
    ));
    layer(set).over(&merged)
}

/// The answers the manifests give: applications, pods at peak, and the
/// average pod's requests.
pub fn layer(set: &WorkloadSet) -> PartialAnswers {
    let placed: Vec<_> = set
        .workloads
        .iter()
        .filter(|w| w.kind != Kind::DaemonSet)
        .collect();
    let pods = set.pods().max(1);
    let sum = |f: &dyn Fn(&crate::workloads::Res) -> i64| -> f64 {
        placed
            .iter()
            .map(|w| f(&w.pod.requests) as f64 * f64::from(w.pods))
            .sum::<f64>()
            / pods as f64
    };
    let round = |v: f64| (v * 1000.0).round() / 1000.0;
    PartialAnswers {
        apps: Some(placed.len().max(1) as u64),
        pods: Some(pods),
        pod_cpu: Some(round((sum(&|r| r.cpu) / 1000.0).max(0.001))),
        pod_memory_gib: Some(round((sum(&|r| r.memory) / 1_073_741_824.0).max(0.001))),
        ..PartialAnswers::default()
    }
}

fn machine(c: &Catalog, plan: &ClusterPlan, name: &str) -> Option<Machine> {
    let i = c.instance(plan.spec.platform, name)?;
    Some(Machine {
        cpu: i.cpu,
        memory_gib: i.memory_gib,
        disk_gib: Some(c.kubernetes.design.worker_disk_gib),
        disk: Some(Medium::Ssd),
    })
}

/// Replaces a plan's workers by the pools the packing of the workloads
/// asks for, and says why.
fn repack(c: &Catalog, plan: &mut ClusterPlan, set: &WorkloadSet) -> Option<Reason> {
    let platform = plan.spec.platform;
    let zones = plan.zones();
    let o = crate::workloads::size::Options {
        catalog: c,
        platform,
        demand: crate::sizing::Demand {
            pods: set.pods().max(1),
            requests: plan.spec.workload.as_ref()?.pod_requests.clone()?,
            zones: zones.len().max(1) as u32,
            burst: false,
            production: plan.spec.purpose == Purpose::Production,
            managed: plan.managed(),
            arch: crate::plan::ArchChoice::Amd64,
            prefix_delegation: false,
            types: crate::sizing::TypeFilter::default().for_purpose(plan.spec.purpose),
        },
        region: c.plan_region(plan),
        zones,
        survive: plan.spec.purpose == Purpose::Production,
        pinned: None,
        template: None,
        existing: Vec::new(),
        top: 1,
        machines: None,
    };
    let r = crate::workloads::result::size(&o, set);
    let best = r.choices.first()?;
    let general = plan.spec.workers.iter().position(|p| p.taints.is_empty())?;
    let template = plan.spec.workers[general].clone();
    let mut pools = Vec::new();
    for p in &best.pools {
        let taints = if p.name == "workers" {
            Vec::new()
        } else {
            pool_taints(p)
        };
        pools.push(WorkerPool {
            name: if p.name == "workers" {
                template.name.clone()
            } else {
                p.name.clone()
            },
            nodes: p.nodes,
            zones: Vec::new(),
            machine: machine(c, plan, &p.instance_type)?,
            instance_type: platform.cloud().then(|| p.instance_type.clone()),
            max_pods: Some(p.max_pods),
            os: Os::Linux,
            arch: template.arch,
            taints,
        });
    }
    plan.spec.workers.splice(general..=general, pools);
    if let Some(w) = plan.spec.workload.as_mut() {
        w.pods = set.pods();
    }
    let text: Vec<String> = best
        .pools
        .iter()
        .map(|p| {
            format!(
                "{} × {} ({}: {})",
                p.nodes, p.instance_type, p.name, p.binding
            )
        })
        .collect();
    Some(Reason {
        topic: Topic::Workers,
        decision: format!("workers from the manifests: {}", text.join(", ")),
        reason: format!(
            "{} pods of {} workloads packed as kube-scheduler fits them, on the cheapest type that holds them{}",
            set.pods(),
            set.workloads.len(),
            if o.survive { ", with room to lose a zone" } else { "" }
        ),
    })
}

fn pool_taints(p: &crate::workloads::result::PoolResult) -> Vec<String> {
    match p.name.starts_with("gpu") {
        true => vec!["nvidia.com/gpu=present:NoSchedule".to_string()],
        false => Vec::new(),
    }
}

/// Every plan of a design repacked for the workloads.
pub fn apply(c: &Catalog, design: &mut Design, set: &WorkloadSet) {
    for plan in &mut design.plans {
        if let Some(r) = repack(c, plan, set) {
            // The average pod's workers and their runners-up are replaced.
            design
                .reasons
                .retain(|x| !matches!(x.topic, Topic::Workers));
            design.runners_up.clear();
            design.reasons.push(r);
        }
    }
}
