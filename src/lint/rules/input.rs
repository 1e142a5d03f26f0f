//! Input: a file kubeplan cannot read as YAML plans. Reported as a finding
//! of that file, in every format, while the other files are linted (no
//! check function here: the loader finds it).

use super::prelude::*;

pub const GROUP: &str = "Input";

rule! {
    INPUT_UNREADABLE: "input-unreadable", Always(Error), None,
    summary: "A file that cannot be read as YAML plans.",
    what: "That each input can be opened and read as UTF-8 YAML within the limits (16 MiB, nesting depth, alias expansion): a syntax error, such as an unclosed bracket or a tab in indentation, is reported at its line and column; an unopenable file at its name.",
    why: "A file that cannot be parsed has no plans to check; saying so as a finding of that file, instead of stopping, keeps every other file's findings in the same report (and in CI dashboards).",
    fix: "Fix the YAML at the line and column given (or the file's permissions or encoding); `kubeplan lint FILE` shows the rest once it parses.",
    near_miss: [("zones: [zone-a, zone-b", "zones: [zone-a, zone-b]")],
}

/// The finding for a file that could not be read or parsed.
pub fn finding(e: &crate::plan::LoadError) -> crate::diag::Finding {
    use crate::plan::LoadError;
    let (line, column, reason) = match e {
        LoadError::Read { reason, .. } => (0, 0, reason.clone()),
        LoadError::Parse {
            line,
            column,
            reason,
            ..
        } => (*line, *column, reason.clone()),
    };
    crate::diag::Finding {
        rule: INPUT_UNREADABLE.id,
        severity: Error,
        message: format!("cannot read the file: {reason}"),
        field: String::new(),
        line,
        column,
        help: "fix the file at this position; the other files are checked as usual".into(),
    }
}

rule! {
    IGNORE_UNKNOWN_RULE: "ignore-unknown-rule", Always(Warning), None,
    summary: "A `kubeplan.io/ignore` annotation names a rule that does not exist.",
    what: "Each id in the plan's `kubeplan.io/ignore` annotation against the rule catalog (`kubeplan rules`); the message names the closest id.",
    why: "A misspelt id silences nothing, so the finding it was meant to silence still fails the run, or worse, the author believes a rule is off that is on.",
    fix: "Spell the id as `kubeplan rules` lists it (the message suggests the closest one), or remove it.",
    near_miss: [("etcd-even-member\"", "etcd-even-members\"")],
}

/// The unknown ids of a plan's ignore annotation, each a warning at the
/// annotation, naming the closest rule id.
pub fn unknown_ignored(
    plan: &crate::plan::ClusterPlan,
    at: (u32, u32),
) -> Vec<crate::diag::Finding> {
    let ids = || crate::lint::RULES.iter().map(|r| r.id);
    crate::lint::ignored_rules(plan)
        .into_iter()
        .filter(|id| !ids().any(|r| r == id))
        .map(|id| {
            let hint = match crate::fmt::closest(&id, ids()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "`kubeplan rules` lists the ids".to_string(),
            };
            crate::diag::Finding {
                rule: IGNORE_UNKNOWN_RULE.id,
                severity: Warning,
                message: format!(
                    "`{id}` in `{}` is no rule: it silences nothing",
                    crate::lint::IGNORE_ANNOTATION
                ),
                field: format!("metadata.annotations.{}", crate::lint::IGNORE_ANNOTATION),
                line: at.0,
                column: at.1,
                help: hint,
            }
        })
        .collect()
}
