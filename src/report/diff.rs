//! `kubeplan diff OLD NEW`: what changed between two plans — machines per
//! role, vCPU, memory, monthly cost, etcd members/quorum/tolerance, zones —
//! and the lint findings that appear or disappear.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::catalog::Catalog;
use crate::diag::{Finding, Severity};
use crate::plan::ClusterPlan;
use crate::prose::decimal;
use crate::quorum::{fault_tolerance, quorum};

/// One compared figure.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Change {
    pub what: String,
    pub old: String,
    pub new: String,
}

/// A finding on one side only.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FindingChange {
    pub rule: String,
    pub severity: Severity,
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Diff {
    pub old: String,
    pub new: String,
    /// Every compared figure, changed or not (`changed` says which).
    pub changes: Vec<Change>,
    pub changed: usize,
    pub findings_new: Vec<FindingChange>,
    pub findings_gone: Vec<FindingChange>,
}

fn figures(c: &Catalog, p: &ClusterPlan) -> Vec<(String, String)> {
    let bom = crate::bom::build(c, p);
    let mut out: Vec<(String, String)> = bom
        .rows
        .iter()
        .map(|r| (format!("machines: {}", r.role), r.count.to_string()))
        .collect();
    let t = &bom.totals;
    out.push(("machines you run".into(), t.machines.to_string()));
    out.push(("vCPU".into(), decimal(t.cpu)));
    out.push(("memory GiB".into(), decimal(t.memory_gib)));
    out.push((
        "monthly cost".into(),
        t.monthly_cost.map_or("-".into(), |m| format!("{m:.2}")),
    ));
    let n = p.etcd_members();
    let etcd = match p.etcd_topology() {
        None => "provider".to_string(),
        Some(_) => format!(
            "{n} (quorum {}, survives {})",
            quorum(n),
            fault_tolerance(n)
        ),
    };
    out.push(("etcd members".into(), etcd));
    out.push(("zones".into(), p.zones().join(", ")));
    out
}

fn keyed(f: &[Finding]) -> BTreeSet<(String, String)> {
    f.iter()
        .map(|x| (x.rule.to_string(), x.field().to_string()))
        .collect()
}

fn only(a: &[Finding], b: &[Finding]) -> Vec<FindingChange> {
    let other = keyed(b);
    a.iter()
        .filter(|x| !other.contains(&(x.rule.to_string(), x.field().to_string())))
        .map(|x| FindingChange {
            rule: x.rule.to_string(),
            severity: x.severity,
            field: x.field().to_string(),
            message: x.message.clone(),
        })
        .collect()
}

/// The difference between two plans and their lint findings.
pub fn diff(c: &Catalog, old: (&ClusterPlan, &[Finding]), new: (&ClusterPlan, &[Finding])) -> Diff {
    let (a, b) = (figures(c, old.0), figures(c, new.0));
    let mut keys: Vec<String> = a.iter().map(|(k, _)| k.clone()).collect();
    for (k, _) in &b {
        if !keys.contains(k) {
            keys.push(k.clone());
        }
    }
    let get = |v: &[(String, String)], k: &str| {
        v.iter()
            .find(|(x, _)| x == k)
            .map_or("-".to_string(), |(_, v)| v.clone())
    };
    let changes: Vec<Change> = keys
        .iter()
        .map(|k| Change {
            what: k.clone(),
            old: get(&a, k),
            new: get(&b, k),
        })
        .collect();
    Diff {
        old: old.0.metadata.name.clone(),
        new: new.0.metadata.name.clone(),
        changed: changes.iter().filter(|c| c.old != c.new).count(),
        changes,
        findings_new: only(new.1, old.1),
        findings_gone: only(old.1, new.1),
    }
}

fn finding_line(f: &FindingChange) -> String {
    format!("{}[{}] {}: {}", f.severity, f.rule, f.field, f.message)
}

pub fn table(d: &Diff, width: Option<u16>) -> String {
    let mut t = super::table(vec!["", "old", "new", ""], width);
    for c in &d.changes {
        let mark = if c.old != c.new { "changed" } else { "" };
        t.add_row(vec![c.what.as_str(), &c.old, &c.new, mark]);
    }
    let mut out = format!("Plan diff: {} → {}\n{t}\n", d.old, d.new);
    for (title, list) in [
        ("New findings", &d.findings_new),
        ("Findings gone", &d.findings_gone),
    ] {
        if !list.is_empty() {
            out.push_str(&format!("\n{title}:\n"));
            for f in list.iter() {
                out.push_str(&format!("  {}\n", finding_line(f)));
            }
        }
    }
    out.push_str(&format!(
        "\nsummary: {} of {} figures changed, {} new finding(s), {} gone\n",
        d.changed,
        d.changes.len(),
        d.findings_new.len(),
        d.findings_gone.len()
    ));
    out
}

/// For a pull request comment: the changed figures and the findings.
pub fn markdown(d: &Diff) -> String {
    let mut out = format!(
        "### Plan diff: `{}` → `{}`\n\n| | old | new |\n|---|---|---|\n",
        d.old, d.new
    );
    for c in d.changes.iter().filter(|c| c.old != c.new) {
        out.push_str(&format!("| {} | {} | **{}** |\n", c.what, c.old, c.new));
    }
    if d.changed == 0 {
        out.push_str("| (no figure changed) | | |\n");
    }
    for (title, list) in [
        ("New findings", &d.findings_new),
        ("Findings gone", &d.findings_gone),
    ] {
        if !list.is_empty() {
            out.push_str(&format!("\n**{title}**\n\n"));
            for f in list.iter() {
                out.push_str(&format!(
                    "- `{}` ({}) at `{}`: {}\n",
                    f.rule, f.severity, f.field, f.message
                ));
            }
        }
    }
    out
}
