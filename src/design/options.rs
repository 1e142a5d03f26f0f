//! What a design is told about machines beyond the answers: the filter its
//! ranking of instance types uses, and types or server shapes pinned.

use crate::sizing::{Choice, TypeFilter};

/// `design --family … --instance-type … --server …`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MachineOptions {
    /// The ranking's filter (burstable types follow the purpose unless a
    /// `--family` names them).
    pub types: TypeFilter,
    /// `--instance-type [POOL=]TYPE`: the pool (None: the application
    /// workers) and the type it is pinned to.
    pub pins: Vec<(Option<String>, String)>,
    /// On your own machines: `--server CPU,GiB`.
    pub server: Option<(f64, f64)>,
}

impl MachineOptions {
    /// The type pinned for a pool (`system`), or for the application
    /// workers when `pool` is None.
    pub fn pinned(&self, pool: Option<&str>) -> Option<&str> {
        self.pins
            .iter()
            .find(|(p, _)| p.as_deref() == pool)
            .map(|(_, t)| t.as_str())
    }
}

/// A type the ranking placed after the chosen one.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RunnerUp {
    pub instance_type: String,
    pub nodes: u64,
    /// USD a month for the workers, where the region has a price.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly_cost: Option<f64>,
    /// Why the chosen type won over it.
    pub why_not: String,
}

/// How `other` compares with the chosen `best`, in words.
pub fn why_not(best: &Choice, other: &Choice) -> String {
    match (best.monthly_cost, other.monthly_cost) {
        (Some(b), Some(o)) if o > b => format!(
            "{} more a month ({} nodes against {})",
            crate::prose::usd(o - b),
            other.nodes,
            best.nodes
        ),
        (Some(_), Some(_)) => format!(
            "the same price; {} nodes against {}, the tie goes to less memory and fewer nodes",
            other.nodes, best.nodes
        ),
        _ => format!(
            "{} vCPUs and {} GiB in total against {} and {}",
            crate::prose::decimal(other.nodes as f64 * other.cpu),
            crate::prose::decimal(other.nodes as f64 * other.memory_gib),
            crate::prose::decimal(best.nodes as f64 * best.cpu),
            crate::prose::decimal(best.nodes as f64 * best.memory_gib)
        ),
    }
}

/// What a pinned machine costs against the ranking's best, or None when
/// nothing is pinned.
pub fn pinned_text(i: &super::Input, d: &super::Draft, choice: &Choice) -> Option<String> {
    let flag = match (i.machines.pinned(None), i.machines.server) {
        (Some(t), _) => format!("--instance-type {t}"),
        (None, Some((cpu, mem))) => format!(
            "--server {},{}",
            crate::prose::decimal(cpu),
            crate::prose::decimal(mem)
        ),
        (None, None) => return None,
    };
    let against = match d.runners_up.first() {
        Some(best) => match (best.monthly_cost, choice.monthly_cost) {
            (Some(b), Some(c)) if c > b => format!(
                ": it costs {} a month more than the ranking's best, {} ({} nodes)",
                crate::prose::usd(c - b),
                best.instance_type,
                best.nodes
            ),
            (Some(_), Some(_)) => ": no dearer than the ranking's best".to_string(),
            _ => format!(
                "; the ranking's best is {} ({} nodes)",
                best.instance_type, best.nodes
            ),
        },
        None => String::new(),
    };
    Some(format!("pinned by {flag}{against}"))
}

/// The runners-up as a reason: the next choices, and why the winner won.
pub fn runners_up_reason(d: &mut super::Draft, choice: &Choice) {
    if d.runners_up.is_empty() {
        return;
    }
    let list: Vec<String> = d
        .runners_up
        .iter()
        .map(|r| {
            let cost = r.monthly_cost.map_or(String::new(), |c| {
                format!(", {} a month", crate::prose::usd(c))
            });
            format!("{} ({} nodes{cost})", r.instance_type, r.nodes)
        })
        .collect();
    let why: Vec<String> = d
        .runners_up
        .iter()
        .map(|r| format!("{}: {}", r.instance_type, r.why_not))
        .collect();
    d.why(
        super::Topic::Workers,
        format!("runners-up: {}", list.join(", ")),
        format!("{} won: {}", choice.instance_type, why.join("; ")),
    );
}
