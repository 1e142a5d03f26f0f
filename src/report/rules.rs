//! The rule catalog as users read it: `kubeplan rules` (table, JSON,
//! Markdown = `docs/rules.md`), `kubeplan explain`, and SARIF help. Every
//! rule's docs are rendered with the catalog in force.

use serde_json::{json, Value};

use super::Paint;
use crate::catalog::Catalog;
use crate::lint::{Rule, RULES};

pub fn table(c: &Catalog, width: Option<u16>) -> String {
    let mut t = super::table(vec!["id", "severity", "summary"], width);
    for r in RULES {
        t.add_row(vec![
            r.id.to_string(),
            r.policy.describe(),
            r.docs(c).summary,
        ]);
    }
    format!(
        "{t}\n{} rules. `kubeplan explain RULE` shows one in full.\n",
        RULES.len()
    )
}

pub fn rule_json(r: &Rule, c: &Catalog) -> Value {
    let d = r.docs(c);
    json!({
        "id": r.id,
        "group": r.group,
        "severity": r.policy.default_severity(),
        "policy": r.policy.describe(),
        "summary": d.summary,
        "whatItChecks": d.what,
        "whyItMatters": d.why,
        "fix": d.fix,
        "example": r.example,
        "exampleWorkloads": r.example_workloads,
    })
}

pub fn json_all(c: &Catalog) -> Value {
    Value::Array(RULES.iter().map(|r| rule_json(r, c)).collect())
}

pub fn explain(r: &Rule, c: &Catalog, paint: Paint) -> String {
    let d = r.docs(c);
    format!(
        "{} — {}\nSeverity: {}\n\n{}\n{}\n\n{}\n{}\n\n{}\n{}\n\n{}\n{}",
        paint.bold(r.id),
        d.summary,
        r.policy.describe(),
        paint.bold("What it checks"),
        d.what,
        paint.bold("Why it matters"),
        d.why,
        paint.bold("Fix"),
        d.fix,
        paint.bold("Example (a plan that fires it)"),
        r.example
    ) + &r.example_workloads.map_or(String::new(), |w| {
        format!("\n{}\n{w}", paint.bold("With the workloads (--workloads)"))
    })
}

/// One rule's section, headings at `level`.
pub fn rule_markdown(r: &Rule, c: &Catalog, level: usize) -> String {
    let h = "#".repeat(level);
    let d = r.docs(c);
    format!(
        "{h} `{id}`\n\n**Severity:** {policy}. {summary}\n\n{h}# What it checks\n\n{what}\n\n{h}# Why it matters\n\n{why}\n\n{h}# Fix\n\n{fix}\n\n{h}# Example\n\n```yaml\n{example}```\n",
        id = r.id,
        policy = r.policy.describe(),
        summary = d.summary,
        what = d.what,
        why = d.why,
        fix = d.fix,
        example = r.example,
    ) + &r.example_workloads.map_or(String::new(), |w| {
        format!("\nWith the workloads (`--workloads`):\n\n```yaml\n{w}```\n")
    })
}

/// The whole rule reference (`docs/rules.md`, from the built-in catalog).
pub fn rules_markdown(c: &Catalog) -> String {
    let mut out = String::from(
        "# Rule reference\n\n<!-- Generated from the rule registry (src/lint/registry.rs, rules in src/lint/rules/) by `kubeplan rules --format markdown`. Do not edit: a test fails when this file is stale. -->\n\nEvery rule `kubeplan lint` applies, with its stable id and severity. \"production only\" rules are silent for learning, development and testing plans. Silence a rule for one plan with `metadata.annotations: {kubeplan.io/ignore: \"rule-id\"}`. The figures below are those of the built-in `profiles/`; `kubeplan explain RULE --profiles-dir DIR` shows a rule with your own.\n\n| id | severity | summary |\n|---|---|---|\n",
    );
    for r in RULES {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} | {} |\n",
            r.id,
            r.id,
            r.policy.describe(),
            r.docs(c).summary
        ));
    }
    let mut group = "";
    for r in RULES {
        if r.group != group {
            group = r.group;
            out.push_str(&format!("\n## {group}\n"));
        }
        out.push('\n');
        out.push_str(&rule_markdown(r, c, 3));
    }
    out
}
