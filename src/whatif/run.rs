//! A whole analysis: the scenarios asked for (or every one up to a number
//! of failures), each analysed, and a summary.

use serde::Serialize;

use super::enumerate::{combinations, singles};
use super::layout::Layout;
use super::scenario::Failure;
use super::{analyze, Outcome, Verdict};
use crate::catalog::Catalog;
use crate::plan::{ClusterPlan, Purpose};

/// One scenario in a report: how many failures it combines, and its outcome.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Scenario {
    pub order: usize,
    #[serde(flatten)]
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Summary {
    pub scenarios: usize,
    pub survives: usize,
    pub degraded: usize,
    pub down: usize,
    /// The worst verdict of a single failure.
    pub worst_single: Verdict,
    /// The single failures with that verdict.
    pub worst_single_failures: Vec<String>,
    /// One sentence: what the plan survives, and how soon pods come back.
    pub line: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Report {
    pub plan: String,
    pub purpose: Purpose,
    pub scenarios: Vec<Scenario>,
    pub summary: Summary,
}

/// The scenarios: `asked` as one combined scenario, or every single failure
/// and every combination of up to `max` of them.
pub fn run(c: &Catalog, plan: &ClusterPlan, asked: &[Failure], max: usize) -> Report {
    run_with(c, plan, asked, max, None, &mut |_, _| {})
}

/// [`run`], with the pods of `pods` where given, telling `progress`
/// (scenarios done, of how many) as it goes.
pub fn run_with(
    c: &Catalog,
    plan: &ClusterPlan,
    asked: &[Failure],
    max: usize,
    pods: Option<&super::pods::Base>,
    progress: &mut dyn FnMut(usize, usize),
) -> Report {
    let layout = Layout::of(c, plan);
    let mut sets: Vec<Vec<Failure>> = Vec::new();
    if asked.is_empty() {
        let one = singles(&layout);
        sets.extend(one.iter().map(|f| vec![f.clone()]));
        for k in 2..=max {
            sets.extend(combinations(&layout, &one, k));
        }
    } else {
        sets.push(asked.to_vec());
    }
    let total = sets.len();
    let scenarios: Vec<Scenario> = sets
        .iter()
        .enumerate()
        .map(|(i, set)| {
            progress(i + 1, total);
            Scenario {
                order: set
                    .iter()
                    .map(|f| match f {
                        Failure::Zone(_) => 1,
                        Failure::Machines { count, .. } => *count as usize,
                    })
                    .sum(),
                outcome: match pods {
                    Some(b) => super::analyze_pods(c, plan, &layout, set, b),
                    None => analyze(c, plan, &layout, set),
                },
            }
        })
        .collect();
    let summary = summarize(&scenarios);
    Report {
        plan: plan.metadata.name.clone(),
        purpose: plan.spec.purpose,
        scenarios,
        summary,
    }
}

fn summarize(scenarios: &[Scenario]) -> Summary {
    let count = |v: Verdict| scenarios.iter().filter(|s| s.outcome.verdict == v).count();
    let singles: Vec<&Scenario> = scenarios.iter().filter(|s| s.order == 1).collect();
    let worst = singles
        .iter()
        .map(|s| s.outcome.verdict)
        .max()
        .unwrap_or(Verdict::Survives);
    let worst_failures: Vec<String> = singles
        .iter()
        .filter(|s| s.outcome.verdict == worst)
        .map(|s| s.outcome.failed_text())
        .collect();
    Summary {
        scenarios: scenarios.len(),
        survives: count(Verdict::Survives),
        degraded: count(Verdict::Degraded),
        down: count(Verdict::Down),
        worst_single: worst,
        worst_single_failures: worst_failures,
        line: line(&singles),
    }
}

/// "survives losing any one zone; pods rescheduled ≈ 5.8 min after a node loss".
fn line(singles: &[&Scenario]) -> String {
    let zones: Vec<&&Scenario> = singles.iter().filter(|s| s.outcome.lost_a_zone()).collect();
    let machines: Vec<&&Scenario> = singles.iter().filter(|s| !zones.contains(s)).collect();
    let mut parts = Vec::new();
    let down = |v: &[&&Scenario]| -> Vec<String> {
        v.iter()
            .filter(|s| s.outcome.verdict == Verdict::Down)
            .map(|s| s.outcome.failed_text())
            .collect()
    };
    if !zones.is_empty() {
        let d = down(&zones);
        parts.push(match d.is_empty() {
            true => "survives losing any one zone".to_string(),
            false => format!("down on losing {}", d.join(", ")),
        });
    }
    let d = down(&machines);
    parts.push(match d.is_empty() {
        true => "survives losing any one machine".to_string(),
        false => format!("down on losing {}", d.join(", ")),
    });
    let stranding: Vec<String> = singles
        .iter()
        .filter(|s| s.outcome.pods.as_ref().is_some_and(|p| p.stranded_pods > 0))
        .map(|s| s.outcome.failed_text())
        .collect();
    if !stranding.is_empty() {
        parts.push(format!("pods strand on losing {}", stranding.join(", ")));
    }
    let worker = machines
        .iter()
        .filter(|s| {
            s.outcome
                .lost(|r| matches!(r, super::scenario::Role::Workers(_)))
        })
        .flat_map(|s| &s.outcome.timeline)
        .filter(|e| e.what.starts_with("pods of the lost nodes") && !e.never)
        .map(|e| e.to_s)
        .fold(None, |m: Option<f64>, t| Some(m.map_or(t, |m| m.max(t))));
    if let Some(t) = worker {
        parts.push(format!(
            "pods rescheduled ≈ {} after a node loss",
            super::timeline::secs(t)
        ));
    }
    parts.join("; ")
}
