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
