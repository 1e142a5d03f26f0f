//! Control plane: control-plane node count, scheduling, machine sizes and leader election.

use super::prelude::*;
use crate::plan::EtcdTopology;
use crate::units::parse_duration;

pub const GROUP: &str = "Control plane";

rule! {
    CONTROL_PLANE_SINGLE: "control-plane-single", ProductionOnly(Error), Some(control_plane_single),
    needs: [ControlPlane],
    summary: "One self-managed control-plane node in production.",
    what: "A production plan with `controlPlane.nodes: 1` and a self-managed control plane.",
    why: "If the only control-plane node fails, running pods keep serving but nothing recreates failed pods or schedules new ones, and kubectl and API access are gone until it is rebuilt.",
    fix: "Run 3 control-plane nodes behind a load balancer (or use a managed control plane).",
    near_miss: [("nodes: 1", "nodes: 3")],
}

fn control_plane_single(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    if p.managed() || p.cp_nodes() != 1 {
        return vec![];
    }
    vec![Hit::new(
        "spec.controlPlane.nodes",
        "one control-plane node: if it fails, nothing reschedules failed pods and the API (kubectl) is gone",
        "run 3 control-plane nodes behind a load balancer, or use a managed control plane",
    )]
}

rule! {
    CONTROL_PLANE_SCHEDULABLE: "control-plane-schedulable", ProductionOnly(Warning), Some(control_plane_schedulable),
    summary: "Workloads may run on production control-plane nodes.",
    what: "A production plan with `controlPlane.schedulable: true`.",
    why: "Application pods compete with the API server, scheduler and etcd for CPU, memory and disk; a noisy workload can starve the control plane of the whole cluster.",
    fix: "Set `schedulable: false` and size the worker pools for the workload.",
    near_miss: [("schedulable: true", "schedulable: false")],
}

fn control_plane_schedulable(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    if p.managed() || p.spec.control_plane.schedulable != Some(true) {
        return vec![];
    }
    vec![Hit::new(
        "spec.controlPlane.schedulable",
        "workloads may run on the production control-plane nodes, competing with the API server and etcd",
        "set `schedulable: false` and size the worker pools for the workload",
    )]
}

rule! {
    CONTROL_PLANE_UNDERSIZED: "control-plane-undersized", Always(Warning), Some(control_plane_undersized),
    needs: [Machines, ControlPlane, Workers],
    summary: "Control-plane machines smaller than the cluster's node count calls for.",
    what: "The control-plane machine's vCPUs against the kube-up sizing table by node count ({controlPlaneSizes}).",
    why: "API server and controller load grows with the node count; the cloud providers size their own control planes from this table.",
    fix: "Use a control-plane machine with at least the vCPUs the message names.",
    near_miss: [("cpu: 2", "cpu: 8")],
}

fn control_plane_undersized(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    let Some(m) = p
        .spec
        .control_plane
        .machine
        .as_ref()
        .filter(|_| !p.managed())
    else {
        return vec![];
    };
    let nodes = p.k8s_nodes();
    let size = ctx.catalog.control_plane_size(nodes);
    if m.cpu >= size.cpu {
        return vec![];
    }
    vec![Hit::new(
        "spec.controlPlane.machine.cpu",
        format!(
            "control-plane machines have {} vCPU; a cluster of {} calls for {} vCPU",
            decimal(m.cpu),
            plural(nodes, "node", "nodes"),
            decimal(size.cpu)
        ),
        format!(
            "use control-plane machines with at least {} vCPU",
            decimal(size.cpu)
        ),
    )]
}

rule! {
    MACHINE_BELOW_MINIMUM: "machine-below-minimum", Always(Error), Some(machine_below_minimum),
    needs: [Machines],
    summary: "A self-run machine below kubeadm's minimum.",
    what: "A control-plane machine with fewer than {kubeadm.controlPlaneCpu} CPUs, or any machine you run (control plane, external etcd, worker) with less than {kubeadm.memoryGiB} GiB of memory.",
    why: "kubeadm's preflight checks refuse such machines, and the components they host do not fit.",
    fix: "Give control-plane machines at least {kubeadm.controlPlaneCpu} CPUs and every machine at least {kubeadm.memoryGiB} GiB of memory.",
    near_miss: [("cpu: 1", "cpu: 2")],
}

fn machine_below_minimum(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    let min = &ctx.catalog.kubernetes.kubeadm_minimum;
    let mut hits = Vec::new();
    let mut mem = |field: String, what: String, gib: f64| {
        if gib < min.memory_gib {
            hits.push(Hit::new(
                field,
                format!(
                    "{what} has {} GiB of memory, below kubeadm's minimum of {} GiB",
                    decimal(gib),
                    decimal(min.memory_gib)
                ),
                format!(
                    "give every machine at least {} GiB of memory",
                    decimal(min.memory_gib)
                ),
            ));
        }
    };
    if !p.managed() {
        if let Some(m) = &p.spec.control_plane.machine {
            mem(
                "spec.controlPlane.machine.memoryGiB".into(),
                "the control-plane machine".into(),
                m.memory_gib,
            );
        }
    }
    if p.etcd_topology() == Some(EtcdTopology::External) {
        if let Some(m) = p.spec.etcd.as_ref().and_then(|e| e.machine.as_ref()) {
            mem(
                "spec.etcd.machine.memoryGiB".into(),
                "the etcd machine".into(),
                m.memory_gib,
            );
        }
    }
    for (i, w) in p.spec.workers.iter().enumerate() {
        mem(
            format!("spec.workers[{i}].machine.memoryGiB"),
            format!("worker pool `{}`", w.name),
            w.machine.memory_gib,
        );
    }
    if !p.managed() {
        if let Some(m) = &p.spec.control_plane.machine {
            if m.cpu < min.control_plane_cpu {
                hits.push(Hit::new(
                    "spec.controlPlane.machine.cpu",
                    format!(
                        "the control-plane machine has {} CPU, below kubeadm's minimum of {}",
                        decimal(m.cpu),
                        decimal(min.control_plane_cpu)
                    ),
                    format!(
                        "give control-plane machines at least {} CPUs",
                        decimal(min.control_plane_cpu)
                    ),
                ));
            }
        }
    }
    hits
}

rule! {
    LEADER_ELECTION_DISABLED: "leader-election-disabled", Always(Error), Some(leader_election_disabled),
    needs: [ControlPlane],
    summary: "Several control-plane nodes without leader election.",
    what: "More than one self-managed control-plane node and `leaderElection.enabled: false`.",
    why: "kube-controller-manager and kube-scheduler are active-standby; without leader election every copy is active, and two controllers acting at once duplicate work (for example creating more pods than a ReplicaSet asks for).",
    fix: "Enable leader election (the default, `--leader-elect=true`).",
    near_miss: [("enabled: false", "enabled: true")],
}

fn leader_election_disabled(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    if p.managed() || p.cp_nodes() <= 1 || p.leader_election().enabled {
        return vec![];
    }
    vec![Hit::new(
        "spec.controlPlane.leaderElection.enabled",
        format!(
            "{} control-plane nodes with leader election disabled: {} controller-managers and schedulers act at once",
            p.cp_nodes(),
            p.cp_nodes()
        ),
        "enable leader election (`enabled: true`, kube's `--leader-elect=true` default)",
    )]
}

rule! {
    LEADER_ELECTION_TIMING: "leader-election-timing", Always(Error), Some(leader_election_timing),
    summary: "Leader-election durations that client-go rejects.",
    what: "That leaseDuration > renewDeadline > 1.2 x retryPeriod > 0, the check client-go's leaderelection package makes.",
    why: "With these timings out of order the controller-manager and scheduler refuse to start, or leaders lose their lease before they can renew it.",
    fix: "Use the defaults 15s / 10s / 2s, or keep the order leaseDuration > renewDeadline > 1.2 x retryPeriod.",
    near_miss: [("leaseDuration: 10s", "leaseDuration: 15s")],
}

fn leader_election_timing(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    let le = p.leader_election();
    if p.managed() || !le.enabled {
        return vec![];
    }
    let (Ok(lease), Ok(renew), Ok(retry)) = (
        parse_duration(&le.lease_duration),
        parse_duration(&le.renew_deadline),
        parse_duration(&le.retry_period),
    ) else {
        return vec![];
    };
    let base = "spec.controlPlane.leaderElection";
    let help =
        "keep leaseDuration > renewDeadline > 1.2 x retryPeriod > 0 (defaults 15s / 10s / 2s)";
    let problem = if lease <= 0.0 || renew <= 0.0 || retry <= 0.0 {
        let field = if lease <= 0.0 {
            "leaseDuration"
        } else if renew <= 0.0 {
            "renewDeadline"
        } else {
            "retryPeriod"
        };
        Some((
            field,
            format!("leader election {field} must be greater than zero"),
        ))
    } else if lease <= renew {
        Some((
            "leaseDuration",
            format!(
                "leaseDuration {} must be greater than renewDeadline {}",
                le.lease_duration, le.renew_deadline
            ),
        ))
    } else if renew <= 1.2 * retry {
        Some((
            "renewDeadline",
            format!(
                "renewDeadline {} must be greater than 1.2 x retryPeriod {} ({}s)",
                le.renew_deadline,
                le.retry_period,
                decimal((1.2 * retry * 1000.0).round() / 1000.0)
            ),
        ))
    } else {
        None
    };
    problem
        .map(|(f, m)| vec![Hit::new(format!("{base}.{f}"), m, help)])
        .unwrap_or_default()
}
