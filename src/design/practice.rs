//! A learning cluster on your own computer: a node that leaves the
//! computer room, the architecture it runs, and the multi-node kubeadm
//! clusters the CKA exam works on (VMs, or kind), sized for the same host.

use super::{Draft, Input, Topic};
use crate::plan::{Arch, ArchChoice};
use crate::prose::{decimal, plural};

/// What of the host the cluster may take: its share of the CPUs and memory.
fn room(i: &Input) -> (f64, f64) {
    let share = i.c.kubernetes.design.learning_host_share;
    (f64::from(i.a.host_cpu) * share, i.a.host_memory_gib * share)
}

/// Whether a machine of this size leaves the host its share.
pub fn fits_host(i: &Input, cpu: f64, memory_gib: f64) -> bool {
    let (c, m) = room(i);
    cpu <= c + 1e-9 && memory_gib <= m + 1e-9
}

/// The node's architecture: arm64 when answered (the host's own, as on
/// Apple silicon), else amd64.
pub fn node_arch(i: &Input) -> Arch {
    match i.a.arch {
        ArchChoice::Arm64 => Arch::Arm64,
        _ => Arch::Amd64,
    }
}

/// The reasons: the host the node is sized for, the architecture, and the
/// kubeadm practice clusters.
pub fn reasons(i: &Input, d: &mut Draft) {
    let a = i.a;
    let (cpu, memory) = room(i);
    let share = (i.c.kubernetes.design.learning_host_share * 100.0).round();
    let node = d.plan.spec.control_plane.machine.clone();
    let fits = node
        .as_ref()
        .is_some_and(|m| fits_host(i, m.cpu, m.memory_gib));
    d.why(
        Topic::Node,
        format!("host: {} CPUs, {} GiB", a.host_cpu, decimal(a.host_memory_gib)),
        match fits {
            true => format!("the node is sized for a computer of {} CPUs and {} GiB (--host-cpu, --host-memory), taking at most {share}% of it ({} CPUs, {} GiB) so the computer keeps room for its own work", a.host_cpu, decimal(a.host_memory_gib), decimal(cpu), decimal(memory)),
            false => format!("even the smallest node minikube takes is more than {share}% of a computer of {} CPUs and {} GiB: it will be slow; use a larger computer or a VM elsewhere", a.host_cpu, decimal(a.host_memory_gib)),
        },
    );
    let arch = match a.arch {
        ArchChoice::Arm64 => "arm64 as answered: minikube runs the node in the host's architecture, so an arm64 host (Apple silicon, with the docker, vfkit or qemu driver) runs arm64 images natively and every image must be built for arm64",
        ArchChoice::Any => "any: minikube runs the node in the host's own architecture, whichever it is",
        ArchChoice::Amd64 => "amd64: minikube runs the node in the host's architecture; on an arm64 host (Apple silicon) answer --arch arm64, as amd64 images there run only under emulation",
    };
    d.why(Topic::Node, format!("node architecture: {}", a.arch), arch);
    practice(i, d);
}

/// kubeadm on VMs of kubeadm's minimum size, one control plane and as many
/// workers (up to `practiceWorkers`, at least one) as the host's share holds.
fn practice(i: &Input, d: &mut Draft) {
    let min = &i.c.kubernetes.kubeadm_minimum;
    let (cpu, memory) = room(i);
    let vm_cpu = min.control_plane_cpu.max(1.0);
    let fit = ((cpu / vm_cpu).min(memory / min.memory_gib).floor() as u32).saturating_sub(1);
    let workers = fit.clamp(1, i.c.kubernetes.design.practice_workers);
    let vms = workers + 1;
    d.why(
        Topic::Tooling,
        format!("CKA practice: kubeadm on {vms} VMs (or kind)"),
        format!(
            "the CKA exam works on kubeadm clusters (init, join, upgrade, etcd backup and restore), which one minikube node does not teach: {vms} VMs of kubeadm's minimum, {} vCPU / {} GiB, one control plane and {} ({} vCPU, {} GiB in all{}): `kubeadm init --pod-network-cidr 10.244.0.0/16` on the first prints the `kubeadm join` command for the others; or kind, whose nodes are containers: `kind create cluster --config kind.yaml` with one control-plane and {workers} worker nodes",
            decimal(vm_cpu),
            decimal(min.memory_gib),
            plural(u64::from(workers), "worker", "workers"),
            decimal(vm_cpu * f64::from(vms)),
            decimal(min.memory_gib * f64::from(vms)),
            match fits_host(i, vm_cpu * f64::from(vms), min.memory_gib * f64::from(vms)) {
                true => ", within the computer's share".to_string(),
                false => format!(", more than {} CPUs and {} GiB: run them one at a time, or elsewhere", decimal(cpu), decimal(memory)),
            }
        ),
    );
}
