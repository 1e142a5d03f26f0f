//! Which pool a workload's pods need: the general pool, or one of their own
//! when they select a label the general nodes do not carry, ask for GPUs,
//! or want another architecture or a given instance type.

use std::collections::BTreeMap;

use super::cluster::{HOSTNAME, ZONE, ZONE_BETA};
use super::model::{Op, PodSpec, Workload};

/// Labels every planned node carries from its machine, not its pool.
pub const ARCH: &str = "kubernetes.io/arch";
pub const OS: &str = "kubernetes.io/os";
pub const INSTANCE_TYPE: &str = "node.kubernetes.io/instance-type";
const INTRINSIC: &[&str] = &[
    HOSTNAME,
    ZONE,
    ZONE_BETA,
    "topology.kubernetes.io/region",
    "failure-domain.beta.kubernetes.io/region",
    OS,
    "beta.kubernetes.io/os",
    ARCH,
    "beta.kubernetes.io/arch",
    INSTANCE_TYPE,
    "beta.kubernetes.io/instance-type",
];

/// Extended resources that are accelerators.
pub const GPU_RESOURCES: &[&str] = &["nvidia.com/gpu", "amd.com/gpu"];

/// What a pool's nodes must be.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Need {
    /// Labels the pool's nodes carry (beyond the machine's).
    pub labels: BTreeMap<String, String>,
    /// GPUs per pod (the largest of the pool's pods).
    pub gpus: i64,
    /// An architecture other than the platform's usual one.
    pub arch: Option<String>,
    /// The instance types the pods accept (empty: any).
    pub types: Vec<String>,
}

impl Need {
    /// The pool's name: what selects it (`gpu`, `arm64`, `workload-batch`).
    pub fn name(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if self.gpus > 0 {
            parts.push("gpu".into());
        }
        if let Some(a) = &self.arch {
            parts.push(a.clone());
        }
        for (k, v) in &self.labels {
            let k = k.rsplit('/').next().unwrap_or(k);
            parts.push(if v.is_empty() || v == "true" {
                k.to_string()
            } else {
                format!("{k}-{v}")
            });
        }
        if let Some(t) = self.types.first() {
            parts.push(t.clone());
        }
        let name: String = parts
            .join("-")
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let name = name.trim_matches('-').to_string();
        if name.is_empty() {
            "workers".into()
        } else {
            name.chars().take(40).collect()
        }
    }

    pub fn general(&self) -> bool {
        *self == Need::default()
    }
}

/// The label requirements of a pod: its nodeSelector and the `In`/`Exists`
/// expressions of its first required node-affinity term.
fn wanted(p: &PodSpec) -> Vec<(String, Op, Vec<String>)> {
    let mut out: Vec<(String, Op, Vec<String>)> = p
        .node_selector
        .iter()
        .map(|(k, v)| (k.clone(), Op::In, vec![v.clone()]))
        .collect();
    if let Some(term) = p.node_affinity.as_ref().and_then(|t| t.first()) {
        out.extend(
            term.iter()
                .filter(|r| matches!(r.op, Op::In | Op::Exists))
                .map(|r| (r.key.clone(), r.op, r.values.clone())),
        );
    }
    out
}

/// The pool a workload's pods need, given the platform's usual architecture.
pub fn need(w: &Workload, usual_arch: &str) -> Need {
    let p = &w.pod;
    let mut n = Need {
        gpus: GPU_RESOURCES
            .iter()
            .map(|g| p.requests.ext(g))
            .max()
            .unwrap_or(0),
        ..Need::default()
    };
    for (key, op, values) in wanted(p) {
        match key.as_str() {
            ARCH | "beta.kubernetes.io/arch" => {
                if op == Op::In && !values.iter().any(|v| v == usual_arch) {
                    n.arch = values.first().cloned();
                }
            }
            INSTANCE_TYPE | "beta.kubernetes.io/instance-type" if op == Op::In => n.types = values,
            k if INTRINSIC.contains(&k) || k.starts_with("field:") => {}
            _ => {
                let v = if op == Op::Exists {
                    "true".to_string()
                } else {
                    values.first().cloned().unwrap_or_default()
                };
                n.labels.insert(key, v);
            }
        }
    }
    n
}

/// The need a pool (by index) was made for: that of the first group that opens nodes in it.
pub fn need_of_pool(
    o: &super::size::Options,
    set: &super::model::WorkloadSet,
    groups: &[super::cluster::Group],
    pool: u32,
) -> Need {
    let usual = super::size::usual_arch(o);
    groups
        .iter()
        .find(|g| g.pool == Some(pool) && g.workload < set.workloads.len())
        .map(|g| need(&set.workloads[g.workload], &usual))
        .unwrap_or_default()
}
