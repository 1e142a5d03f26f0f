//! `kubeplan rules` and `kubeplan explain` output.

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use serde_json::{json, Value};

use super::Paint;
use crate::lint::{Rule, RULES};

pub fn table(width: Option<u16>) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec!["id", "severity", "summary"]);
    if let Some(w) = width {
        t.set_width(w);
    }
    for r in RULES {
        t.add_row(vec![
            r.id.to_string(),
            r.policy.describe(),
            r.summary.to_string(),
        ]);
    }
    format!(
        "{t}\n{} rules. `kubeplan explain RULE` shows one in full.\n",
        RULES.len()
    )
}

pub fn rule_json(r: &Rule) -> Value {
    json!({
        "id": r.id,
        "group": r.group,
        "severity": r.policy.default_severity(),
        "policy": r.policy.describe(),
        "summary": r.summary,
        "whatItChecks": r.what,
        "whyItMatters": r.why,
        "fix": r.fix,
        "example": r.example,
    })
}

pub fn json_all() -> Value {
    Value::Array(RULES.iter().map(rule_json).collect())
}

pub fn explain(r: &Rule, paint: Paint) -> String {
    format!(
        "{} — {}\nSeverity: {}\n\n{}\n{}\n\n{}\n{}\n\n{}\n{}\n\n{}\n{}",
        paint.bold(r.id),
        r.summary,
        r.policy.describe(),
        paint.bold("What it checks"),
        r.what,
        paint.bold("Why it matters"),
        r.why,
        paint.bold("Fix"),
        r.fix,
        paint.bold("Example (a plan that fires it)"),
        r.example
    )
}
