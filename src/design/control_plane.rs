//! The control plane: its nodes, their machines (the kube-up size table,
//! never below kubeadm's minimum) and whether they run pods.

use super::{etcd, DesignError, Draft, Input, Topic};
use crate::plan::{ControlPlane, EtcdTopology, LeaderElection, Machine, Medium};
use crate::prose::{decimal, plural};
use crate::sizing::control_plane_machine;

pub fn run(i: &Input, d: &mut Draft) -> Result<(), DesignError> {
    if i.learning() {
        return Ok(());
    }
    if d.managed.is_some() {
        d.plan.spec.control_plane.managed = true;
        return Ok(());
    }
    let k8s_nodes = d.workers + u64::from(d.cp_nodes);
    let (cpu, table_gib) = control_plane_machine(i.c, k8s_nodes);
    // Servers come in whole sizes: 7.5 GiB from the table is an 8 GiB server.
    let memory_gib = i
        .prof
        .server_memory_gib
        .iter()
        .copied()
        .find(|s| *s >= table_gib)
        .unwrap_or(table_gib);
    let machine = Machine {
        cpu,
        memory_gib,
        disk_gib: Some(i.c.kubernetes.design.control_plane_disk_gib),
        disk: Some(Medium::Ssd),
    };
    d.plan.spec.control_plane = ControlPlane {
        managed: false,
        nodes: Some(d.cp_nodes),
        zones: if d.witness && d.topology == EtcdTopology::Stacked {
            etcd::etcd_zones(i, d)
        } else {
            Vec::new()
        },
        machine: Some(machine),
        schedulable: Some(false),
        leader_election: (d.cp_nodes > 1).then(LeaderElection::default),
    };
    reasons(i, d, k8s_nodes, table_gib);
    Ok(())
}

fn reasons(i: &Input, d: &mut Draft, k8s_nodes: u64, table_gib: f64) {
    let Some(m) = d.plan.spec.control_plane.machine.clone() else {
        return;
    };
    if !d.ha {
        let etcd = match d.topology {
            EtcdTopology::Stacked => "stacked etcd (1 member)",
            EtcdTopology::External => "etcd (1 member) on its own machine",
        };
        d.why(
            Topic::ControlPlane,
            format!("control plane: 1 node, {etcd}"),
            format!("a {} cluster needs no HA: one control-plane node and several workers; if it fails, running pods keep serving but nothing is rescheduled until it is back (answer --tolerate 1 for 3)", i.a.purpose),
        );
    }
    d.why(
        Topic::ControlPlane,
        format!(
            "control-plane machines: {} vCPU, {} GiB, SSD",
            decimal(m.cpu),
            decimal(m.memory_gib)
        ),
        format!(
            "the kube-up size table for a cluster of {}, never below kubeadm's {} CPUs{}{}",
            plural(k8s_nodes, "node", "nodes"),
            decimal(i.c.kubernetes.kubeadm_minimum.control_plane_cpu),
            if m.memory_gib > table_gib {
                format!(
                    "; {} GiB rounded up to {} GiB, a size servers come in",
                    decimal(table_gib),
                    decimal(m.memory_gib)
                )
            } else {
                String::new()
            },
            if d.topology == EtcdTopology::Stacked {
                "; SSD because the etcd member on each node waits on fsync for every write"
            } else {
                ""
            }
        ),
    );
    if d.ha {
        d.why(
            Topic::ControlPlane,
            "control plane not schedulable",
            "the control-plane nodes of an HA cluster run no ordinary pods, so a busy application cannot starve the API server or etcd",
        );
    }
}
