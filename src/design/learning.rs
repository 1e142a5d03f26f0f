//! Learning: one node that runs everything (or, on a managed service, one
//! worker): the smallest size that holds the pods.

use super::{DesignError, Draft, Input, Topic};
use crate::plan::{Arch, ControlPlane, Etcd, EtcdTopology, Machine, Medium, Os, WorkerPool};
use crate::prose::{decimal, num, plural};
use crate::sizing::{
    allocatable, effective_pods, instance_max_pods, pods_per_node, reserved_for_pods,
    sized_allocatable,
};

/// One machine a single-node cluster can use, and what it costs to rank by.
struct OneNode {
    instance: Option<String>,
    arch: Arch,
    machine: Machine,
    max_pods: u32,
    holds: u64,
    cost: f64,
    /// It leaves the host its share (always, for a cloud's machine).
    fits_host: bool,
}

/// The candidates: the learning machine ladder, or on a managed service the
/// platform's instance types.
fn candidates(i: &Input, managed: bool) -> Vec<OneNode> {
    let (c, a) = (i.c, i.a);
    let reqs = i.requests();
    let disk = c.kubernetes.design.worker_disk_gib;
    let node = |instance: Option<String>, arch, cpu, memory_gib, disk_gib, max_pods, cost| {
        let inst = instance.as_deref().and_then(|t| c.instance(a.platform, t));
        let reserve = reserved_for_pods(c, a.platform, managed, inst, max_pods);
        let alloc = match inst {
            Some(t) => sized_allocatable(c, a.platform, t, reserve),
            None => allocatable(i.prof, cpu, memory_gib, reserve),
        };
        OneNode {
            instance,
            arch,
            machine: Machine {
                cpu,
                memory_gib,
                disk_gib: Some(disk_gib),
                disk: Some(Medium::Ssd),
            },
            max_pods,
            holds: pods_per_node(&alloc, max_pods, Some(&reqs)),
            cost,
            fits_host: inst.is_some() || super::practice::fits_host(i, cpu, memory_gib),
        }
    };
    if managed {
        return i
            .candidates(true)
            .map(|t| {
                let max_pods = instance_max_pods(c, a.platform, true, t);
                let cost = t.price_per_hour.unwrap_or(t.cpu);
                node(
                    Some(t.name.to_string()),
                    t.arch,
                    t.cpu,
                    t.memory_gib,
                    disk,
                    max_pods,
                    cost,
                )
            })
            .collect();
    }
    let max_pods = c.limits(a.platform, false).max_pods_per_node;
    c.kubernetes
        .design
        .learning_machines
        .iter()
        .map(|m| {
            let disk = m.disk_gib.unwrap_or(disk);
            node(
                None,
                super::practice::node_arch(i),
                m.cpu,
                m.memory_gib,
                disk,
                max_pods,
                m.cpu,
            )
        })
        .collect()
}

pub fn run(i: &Input, d: &mut Draft) -> Result<(), DesignError> {
    if !i.learning() {
        return Ok(());
    }
    let a = i.a;
    let want = effective_pods(i.c, a.pods, a.traffic == crate::plan::Traffic::Burst);
    let mut all = candidates(i, d.managed.is_some());
    // On your own computer, the sizes that leave it room, unless none of
    // them holds a pod (the reason then says the node is too big for it).
    if all.iter().any(|n| n.fits_host && n.holds > 0) {
        all.retain(|n| n.fits_host);
    }
    // The cheapest node that holds the pods; else the one that holds the most.
    let best = all
        .iter()
        .filter(|n| n.holds >= want)
        .min_by(|x, y| x.cost.total_cmp(&y.cost))
        .or_else(|| {
            all.iter()
                .filter(|n| n.holds > 0)
                .max_by(|x, y| x.holds.cmp(&y.holds).then(y.cost.total_cmp(&x.cost)))
        })
        .ok_or_else(|| i.nothing_fits())?;
    let pods = a.pods.min(best.holds);
    let tooling = d.managed.unwrap_or(i.prof.tooling.learning);
    d.plan.spec.tooling = Some(tooling);
    if d.managed.is_some() {
        super::tooling::min_zones(i, d, tooling);
    }
    d.max_pods = best.max_pods;
    place(d, best, tooling);
    let requests = format!(
        "{} at {} CPU / {} GiB each",
        plural(want, "pod", "pods"),
        decimal(a.pod_cpu),
        decimal(a.pod_memory_gib)
    );
    let m = &best.machine;
    d.why(
        Topic::Node,
        format!(
            "node: {} vCPU, {} GiB{}",
            decimal(m.cpu),
            decimal(m.memory_gib),
            best.instance
                .as_ref()
                .map(|t| format!(" ({t})"))
                .unwrap_or_default()
        ),
        if best.holds >= want {
            format!("the smallest size that holds {requests} after the node's own reservation")
        } else {
            format!(
                "no single node holds {requests}: this size holds the most ({})",
                num(best.holds)
            )
        },
    );
    if d.managed.is_none() {
        super::practice::reasons(i, d);
    }
    if pods < a.pods {
        d.why(
            Topic::Workload,
            format!("workload: {} of the {} pods", num(pods), num(a.pods)),
            format!("one node holds at most {} of these pods; a learning cluster stays one node, so answer `--purpose development` to size workers for all of them", num(best.holds)),
        );
    }
    if a.tolerate > 0 || a.zones > 1 {
        d.why(
            Topic::Tolerance,
            "no failure tolerance",
            "a learning cluster is one node in one place: the failures to tolerate and zones answers apply to development, testing and production",
        );
    }
    d.plan.spec.workload = Some(i.workload(pods, a.apps));
    Ok(())
}

/// Puts the one node in the plan: a worker on a managed service, else a
/// schedulable control plane with its one etcd member.
fn place(d: &mut Draft, best: &OneNode, tooling: crate::plan::Tooling) {
    match d.managed {
        Some(tool) => {
            d.plan.spec.control_plane.managed = true;
            d.plan.spec.workers.push(WorkerPool {
                name: "learning".into(),
                nodes: 1,
                zones: Vec::new(),
                machine: best.machine.clone(),
                instance_type: best.instance.clone(),
                max_pods: Some(best.max_pods),
                os: Os::Linux,
                taints: Vec::new(),
                arch: best.arch,
            });
            d.why(
                Topic::Shape,
                format!("shape: {tool}, one worker node"),
                format!("a learning cluster is one node; on a managed service ({tool}) the provider runs the control plane and the one node you pay for runs your pods"),
            );
        }
        None => {
            d.plan.spec.control_plane = ControlPlane {
                managed: false,
                nodes: Some(1),
                zones: Vec::new(),
                machine: Some(best.machine.clone()),
                schedulable: Some(true),
                leader_election: None,
            };
            d.plan.spec.etcd = Some(Etcd {
                topology: Some(EtcdTopology::Stacked),
                members: Some(1),
                zones: Vec::new(),
                machine: None,
            });
            d.why(
                Topic::Shape,
                format!("shape: one {tooling} node that runs everything"),
                format!("a learning cluster needs no high availability: one node is control plane, etcd and worker, which {tooling} sets up on a laptop or one VM"),
            );
        }
    }
}
