//! Linting: what a rule is (`rule`), the rules by family (`rules/`), the
//! list of them all (`registry`), and running them over documents (here).

pub mod registry;
pub mod rule;
pub mod rules;

use crate::catalog::Catalog;
use crate::diag::{Finding, Severity};
use crate::plan::schema::IssueKind;
use crate::plan::{ClusterPlan, Document};

pub use registry::{rule, RULES};
pub use rule::{Docs, Policy, Rule};
pub use rules::input::finding as unreadable;

/// The annotation that silences rules for one plan.
pub const IGNORE_ANNOTATION: &str = "kubeplan.io/ignore";

/// What a check reports before severity and location are attached.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub field: String,
    pub message: String,
    pub help: String,
}

impl Hit {
    pub fn new(
        field: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Hit {
        Hit {
            field: field.into(),
            message: message.into(),
            help: help.into(),
        }
    }
}

/// What a check sees.
pub struct Ctx<'a> {
    pub plan: &'a ClusterPlan,
    pub catalog: &'a Catalog,
}

/// The findings of one document.
#[derive(Debug, Clone, Default)]
pub struct DocReport {
    pub findings: Vec<Finding>,
    pub ignored: usize,
    /// True when schema problems kept the other rules from running.
    pub schema_blocked: bool,
}

fn schema_rule(kind: IssueKind) -> &'static str {
    match kind {
        IssueKind::UnknownField => "schema-unknown-field",
        IssueKind::InvalidValue => "schema-invalid-value",
        IssueKind::MissingField => "schema-missing-field",
    }
}

/// Runs every rule over one plan; findings carry positions from `locate`.
pub fn check_plan(
    plan: &ClusterPlan,
    catalog: &Catalog,
    locate: &dyn Fn(&str) -> (u32, u32),
) -> Vec<Finding> {
    let ctx = Ctx { plan, catalog };
    let mut out = Vec::new();
    for rule in RULES {
        let Some(check) = rule.check else { continue };
        let Some(severity) = rule.policy.severity(plan.spec.purpose) else {
            continue;
        };
        for hit in check(&ctx) {
            let (line, column) = locate(&hit.field);
            out.push(Finding {
                rule: rule.id,
                severity,
                message: hit.message,
                field: hit.field,
                line,
                column,
                help: hit.help,
            });
        }
    }
    out
}

/// Lints one document: schema findings, then (when the schema holds) every rule.
pub fn lint_document(doc: &Document, catalog: &Catalog) -> DocReport {
    let mut report = DocReport::default();
    for issue in &doc.issues {
        report.findings.push(Finding {
            rule: schema_rule(issue.kind),
            severity: Severity::Error,
            message: issue.message.clone(),
            field: issue.field.clone(),
            line: issue.pos.line,
            column: issue.pos.column,
            help: issue.help.clone(),
        });
    }
    report.schema_blocked = doc.plan.is_none();
    if let Some(plan) = &doc.plan {
        let locate = |field: &str| {
            let p = doc.locs.find(field);
            (p.line, p.column)
        };
        report.findings.extend(check_plan(plan, catalog, &locate));
        let at = locate(&format!("metadata.annotations.{IGNORE_ANNOTATION}"));
        report
            .findings
            .extend(rules::input::unknown_ignored(plan, at));
        let ignored = ignored_rules(plan);
        let before = report.findings.len();
        report
            .findings
            .retain(|f| !ignored.iter().any(|id| id == f.rule));
        report.ignored = before - report.findings.len();
    }
    report
        .findings
        .sort_by(|a, b| (a.line, a.column, a.rule).cmp(&(b.line, b.column, b.rule)));
    report
}

/// Rule ids a plan silences with its `kubeplan.io/ignore` annotation.
pub fn ignored_rules(plan: &ClusterPlan) -> Vec<String> {
    plan.metadata
        .annotations
        .get(IGNORE_ANNOTATION)
        .map(|v| {
            v.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// Lints a plan with no file behind it (positions are 0:0): for `design`.
pub fn lint_plan(plan: &ClusterPlan, catalog: &Catalog) -> Vec<Finding> {
    check_plan(plan, catalog, &|_| (0, 0))
}
