//! Linting: what a rule is (`rule`), the rules by family (`rules/`), the
//! list of them all (`registry`), and running them over documents (here).

pub mod registry;
pub mod rule;
pub mod rules;

use crate::catalog::Catalog;
use crate::diag::{Finding, Severity};
use crate::plan::facts::UNKNOWN_ANNOTATION;
use crate::plan::node::Pos;
use crate::plan::origin::{Problem, Spot};
use crate::plan::schema::IssueKind;
use crate::plan::{ClusterPlan, Document, Fact};

pub use registry::{rule, RULES};
pub use rule::{Docs, Policy, Rule};
pub use rules::input::finding as unreadable;

pub use crate::plan::facts::IGNORE_ANNOTATION;

/// What a check reports: a problem with a plan field, before its rule's
/// severity and its place in the file are attached.
pub type Hit = Problem;

/// The pods a plan is linted with: manifests (`--workloads`), or a
/// running cluster's own (a snapshot).
#[derive(Debug, Clone, Copy)]
pub enum Pods<'a> {
    Manifests(&'a crate::workloads::WorkloadSet),
    Snapshot(&'a crate::workloads::snapshot::Snapshot),
}

/// What a check sees.
pub struct Ctx<'a> {
    pub plan: &'a ClusterPlan,
    pub catalog: &'a Catalog,
    /// The workloads `--workloads` gave (or a snapshot's pods), for the rules about them.
    pub workloads: Option<&'a crate::workloads::WorkloadSet>,
    /// The snapshot the plan is of, if it is.
    pub snapshot: Option<&'a crate::workloads::snapshot::Snapshot>,
    /// Those workloads packed onto the plan's workers, once.
    fit: std::cell::OnceCell<crate::workloads::on_plan::OnPlan>,
    /// The pods where they run, for the failure rules, once.
    base: std::cell::OnceCell<crate::whatif::pods::Base>,
}

impl<'a> Ctx<'a> {
    fn new(plan: &'a ClusterPlan, catalog: &'a Catalog, pods: Option<Pods<'a>>) -> Ctx<'a> {
        let (workloads, snapshot) = match pods {
            Some(Pods::Manifests(s)) => (Some(s), None),
            Some(Pods::Snapshot(s)) => (Some(&s.set), Some(s)),
            None => (None, None),
        };
        Ctx {
            plan,
            catalog,
            workloads,
            snapshot,
            fit: std::cell::OnceCell::new(),
            base: std::cell::OnceCell::new(),
        }
    }

    /// The workloads packed onto the plan's workers (None without
    /// workloads); a snapshot's pods where they run.
    pub fn fit(&self) -> Option<&crate::workloads::on_plan::OnPlan> {
        let set = self.workloads?;
        if self.snapshot.is_some() {
            let b = self.base()?;
            return Some(self.fit.get_or_init(|| crate::workloads::on_plan::OnPlan {
                groups: b.groups.clone(),
                pending: b.before.clone(),
                daemon_misfits: Vec::new(),
                nodes: b.cluster.nodes.len(),
            }));
        }
        Some(
            self.fit
                .get_or_init(|| crate::workloads::on_plan::fit_plan(self.catalog, self.plan, set)),
        )
    }

    /// The pods where they run before any failure (None without workloads).
    pub fn base(&self) -> Option<&crate::whatif::pods::Base> {
        use crate::whatif::pods::Base;
        let set = self.workloads?;
        Some(self.base.get_or_init(|| match self.snapshot {
            Some(s) => Base::of_snapshot(self.catalog, s, self.plan),
            None => Base::of_plan(self.catalog, self.plan, set.clone()),
        }))
    }
}

/// The findings of one document.
#[derive(Debug, Clone, Default)]
pub struct DocReport {
    pub findings: Vec<Finding>,
    pub ignored: usize,
    /// True when schema problems kept the other rules from running.
    pub schema_blocked: bool,
}

fn schema_rule(kind: IssueKind) -> (&'static str, Severity) {
    match kind {
        IssueKind::UnknownField => ("schema-unknown-field", Severity::Error),
        IssueKind::InvalidValue => ("schema-invalid-value", Severity::Error),
        IssueKind::MissingField => ("schema-missing-field", Severity::Error),
        IssueKind::Unrendered => (rules::input::INPUT_UNRENDERED_VARIABLE.id, Severity::Info),
        IssueKind::NoCluster => (rules::input::INPUT_NO_CLUSTER.id, Severity::Info),
        IssueKind::NotACluster => (rules::input::INPUT_UNREADABLE.id, Severity::Error),
        IssueKind::Installer(rule) => (
            rule.id(),
            registry::rule(rule.id()).map_or(Severity::Error, |r| r.policy.default_severity()),
        ),
    }
}

/// Runs every rule over one plan; findings carry positions from `locate`.
/// A rule that needs a fact the plan does not know (`kubeplan.io/unknown`)
/// does not run; one info finding per missing fact names the rules it kept
/// from running and how to supply it.
pub fn check_plan(
    plan: &ClusterPlan,
    catalog: &Catalog,
    pods: Option<Pods>,
    locate: &dyn Fn(&str) -> Spot,
    reason: &dyn Fn(Fact) -> Option<String>,
) -> Vec<Finding> {
    let ctx = Ctx::new(plan, catalog, pods);
    let unknown = plan.unknown_facts();
    let mut kept: Vec<(Fact, Vec<&'static str>)> = Vec::new();
    let mut out = Vec::new();
    for rule in RULES {
        let Some(check) = rule.check else { continue };
        let missing: Vec<Fact> = rule
            .facts()
            .into_iter()
            .filter(|f| unknown.contains(f))
            .collect();
        if !missing.is_empty() {
            for f in missing {
                match kept.iter_mut().find(|(k, _)| *k == f) {
                    Some((_, ids)) => ids.push(rule.id),
                    None => kept.push((f, vec![rule.id])),
                }
            }
            continue;
        }
        let severity = match unknown.contains(&Fact::Purpose) {
            true => rule.policy.severity_without_purpose(),
            false => rule.policy.severity(plan.spec.purpose),
        };
        let Some(severity) = severity else {
            continue;
        };
        for hit in check(&ctx) {
            out.push(finding(rule.id, severity, hit, locate));
        }
    }
    kept.sort_by_key(|(f, _)| *f);
    let source = plan
        .metadata
        .annotations
        .imported_from
        .as_ref()
        .map_or_else(|| "the plan".to_string(), |s| format!("the {s}"));
    for (fact, ids) in kept {
        let missing = Problem::new(
            format!("metadata.annotations.{UNKNOWN_ANNOTATION}"),
            format!(
                "{source} does not say {}{}: {} did not run ({})",
                fact.describe(),
                reason(fact).map_or(String::new(), |r| format!(" ({r})")),
                crate::prose::plural(ids.len() as u64, "rule", "rules"),
                ids.join(", ")
            ),
            fact.supply(),
        );
        let id = rules::input::INPUT_MISSING_FACT.id;
        out.push(finding(id, Severity::Info, missing, locate));
    }
    out
}

/// A rule's finding of a problem, placed where `locate` says its field is.
fn finding(
    rule: &'static str,
    severity: Severity,
    p: Problem,
    locate: &dyn Fn(&str) -> Spot,
) -> Finding {
    // A problem placed in another file (a workload's manifest) stays there.
    let at = match p.at.file {
        Some(_) => p.at,
        None => locate(&p.at.field),
    };
    Finding {
        rule,
        severity,
        message: p.message,
        help: p.help,
        at,
    }
}

/// Lints one document: schema findings, then (when the schema holds) every rule.
pub fn lint_document(doc: &Document, catalog: &Catalog) -> DocReport {
    lint_document_with(doc, catalog, None)
}

/// Lints one document, with the workloads its pools must hold.
pub fn lint_document_with(doc: &Document, catalog: &Catalog, pods: Option<Pods>) -> DocReport {
    let mut report = DocReport::default();
    let locate = |field: &str| match doc.locs.spot(field) {
        Some(s) => s.clone(),
        None => Spot::new(doc.locs.find(field), field),
    };
    for issue in &doc.issues {
        let (rule, severity) = schema_rule(issue.kind);
        let p = issue.problem.clone();
        report.findings.push(Finding {
            rule,
            severity,
            message: p.message,
            help: p.help,
            at: p.at,
        });
    }
    report.schema_blocked = doc.plan.is_none() && doc.issues.iter().any(|i| i.kind.blocks());
    if let Some(plan) = &doc.plan {
        let reason = |f: Fact| {
            doc.locs
                .origins()
                .and_then(|o| o.reason(f))
                .map(str::to_string)
        };
        report
            .findings
            .extend(check_plan(plan, catalog, pods, &locate, &reason));
        let at = locate(&format!("metadata.annotations.{IGNORE_ANNOTATION}"));
        report
            .findings
            .extend(rules::input::unknown_ignored(plan, at));
        report.findings.extend(unknown_facts_named(plan, &locate));
        let ignored = ignored_rules(plan);
        let before = report.findings.len();
        report
            .findings
            .retain(|f| !ignored.iter().any(|id| id == f.rule));
        report.ignored = before - report.findings.len();
    }
    report.findings.sort_by(|a, b| {
        (a.file(), a.line(), a.column(), a.rule).cmp(&(b.file(), b.line(), b.column(), b.rule))
    });
    report
}

/// Words of a `kubeplan.io/unknown` annotation that name no fact.
fn unknown_facts_named(plan: &ClusterPlan, locate: &dyn Fn(&str) -> Spot) -> Vec<Finding> {
    let bad = plan.metadata.annotations.unknown_invalid.clone();
    let words: Vec<&str> = Fact::ALL.iter().map(|f| f.as_str()).collect();
    bad.into_iter()
        .map(|w| {
            let hint = match crate::prose::closest(&w, words.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("the facts are {}", words.join(", ")),
            };
            let p = Problem::new(
                format!("metadata.annotations.{UNKNOWN_ANNOTATION}"),
                format!("`{w}` in `{UNKNOWN_ANNOTATION}` is no fact a plan can leave unknown"),
                hint,
            );
            let id = rules::schema::SCHEMA_INVALID_VALUE.id;
            finding(id, Severity::Error, p, locate)
        })
        .collect()
}

/// Rule ids a plan silences with its `kubeplan.io/ignore` annotation.
pub fn ignored_rules(plan: &ClusterPlan) -> Vec<String> {
    plan.metadata.annotations.ignore.clone()
}

/// Lints a plan with no file behind it (positions are 0:0): for `design`.
pub fn lint_plan(plan: &ClusterPlan, catalog: &Catalog) -> Vec<Finding> {
    check_plan(
        plan,
        catalog,
        None,
        &|field| Spot::new(Pos::default(), field),
        &|_| None,
    )
}
