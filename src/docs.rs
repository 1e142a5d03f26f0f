//! Documentation generated from the rule registry: `docs/rules.md`,
//! `kubeplan rules --format markdown` and SARIF help all come from here.

use crate::lint::{Rule, RULES};

/// One rule's section, headings at `level`.
pub fn rule_markdown(r: &Rule, level: usize) -> String {
    let h = "#".repeat(level);
    format!(
        "{h} `{id}`\n\n**Severity:** {policy}. {summary}\n\n{h}# What it checks\n\n{what}\n\n{h}# Why it matters\n\n{why}\n\n{h}# Fix\n\n{fix}\n\n{h}# Example\n\n```yaml\n{example}```\n",
        id = r.id,
        policy = r.policy.describe(),
        summary = r.summary,
        what = r.what,
        why = r.why,
        fix = r.fix,
        example = r.example,
    )
}

/// The whole rule reference (`docs/rules.md`).
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# Rule reference\n\n<!-- Generated from the rule registry (src/lint/registry.rs) by `kubeplan rules --format markdown`. Do not edit: a test fails when this file is stale. -->\n\nEvery rule `kubeplan lint` applies, with its stable id and severity. \"production only\" rules are silent for learning, development and testing plans. Silence a rule for one plan with `metadata.annotations: {kubeplan.io/ignore: \"rule-id\"}`.\n\n| id | severity | summary |\n|---|---|---|\n",
    );
    for r in RULES {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} | {} |\n",
            r.id,
            r.id,
            r.policy.describe(),
            r.summary
        ));
    }
    let mut group = "";
    for r in RULES {
        if r.group != group {
            group = r.group;
            out.push_str(&format!("\n## {group}\n"));
        }
        out.push('\n');
        out.push_str(&rule_markdown(r, 3));
    }
    out
}
