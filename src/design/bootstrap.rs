//! The commands that build a designed cluster with its tool, filled in
//! from the plan (what `design` prints under "Next"), for the tools whose
//! files `kubeplan export` does not write: minikube, one command. kubeadm,
//! eksctl, kOps, GKE and AKS clusters are built from the exported files,
//! so there is no flag list here to disagree with them.

use crate::catalog::Catalog;
use crate::plan::{ClusterPlan, Tooling};
use crate::prose::decimal;

/// Commands that build the cluster, in order (comments start with `#`).
pub fn commands(c: &Catalog, plan: &ClusterPlan) -> Vec<String> {
    match plan.spec.tooling {
        Some(Tooling::Minikube) => minikube(c, plan),
        _ => Vec::new(),
    }
}

/// The one node's size; a plan without one gets the smallest learning size.
fn minikube(c: &Catalog, plan: &ClusterPlan) -> Vec<String> {
    let ladder = c.kubernetes.design.learning_machines.first();
    let m = plan.spec.control_plane.machine.as_ref();
    let cpu = m.map(|m| m.cpu).or(ladder.map(|t| t.cpu)).unwrap_or(0.0);
    let memory = m
        .map(|m| m.memory_gib)
        .or(ladder.map(|t| t.memory_gib))
        .unwrap_or(0.0);
    let disk = m
        .and_then(|m| m.disk_gib)
        .or(ladder.and_then(|t| t.disk_gib));
    let mut cmd = format!(
        "minikube start --cpus {} --memory {}g",
        decimal(cpu),
        decimal(memory)
    );
    if let Some(d) = disk {
        cmd.push_str(&format!(" --disk-size {}g", decimal(d)));
    }
    vec![
        cmd,
        "# CKA practice (kubeadm on VMs, or kind): see the decision above; kind's nodes as containers:".into(),
        format!(
            "#   kind create cluster --config kind.yaml   # kind.yaml: kind: Cluster, apiVersion: kind.x-k8s.io/v1alpha4, nodes: one control-plane and {} workers",
            c.kubernetes.design.practice_workers
        ),
    ]
}
