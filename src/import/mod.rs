//! The cluster files people already have, read into the one plan model:
//! eksctl ClusterConfigs, kOps clusters, kubeadm configurations, Kubespray
//! inventories and Cluster API manifests. Each importer keeps, for every
//! plan field it fills, where the value was in the original file
//! (`plan/origin.rs`), so lint's findings point there; what the file cannot
//! say is a fact the plan does not know (`plan/facts.rs`), never a guess.
//!
//! [`documents`] and [`each_document`] are what every command reads files
//! with: a kubeplan plan goes through the plan loader as it always has,
//! another tool's file through its importer.

pub mod supply;
pub use crate::plan::tree;

mod ansible;
mod detect;
mod envsubst;
mod format;
mod imported;
mod ini;

use std::sync::Arc;

use serde_saphyr::Spanned;

pub use detect::names_a_cluster_format;
pub use format::{About, Spec, READS};
pub use supply::{Slot, Supply};

use crate::catalog::Catalog;
use crate::plan::load::{check_document, parse_yaml, LoadError, Source};
use crate::plan::node::{Node, Pos};
use crate::plan::schema::{Issue, IssueKind, Locations};
use crate::plan::Document;
use detect::{Class, Look};
use imported::{own_machines, plan_name, Imported, NewPool, Read};

/// Declares the importers: a module each, and `FORMATS`, in the order
/// messages list them. A new format is its file and its name here.
macro_rules! formats {
    ($($format:ident),+ $(,)?) => {
        $(mod $format;)+
        /// Every format kubeplan reads besides its own plans.
        pub static FORMATS: &[&Spec] = &[$(&$format::SPEC),+];
    };
}
formats!(eksctl, kops, kubeadm, kubespray, capi, snapshot);

pub use snapshot::documents as snapshot_documents;

/// The format named `title` (as its documentation names it: "eksctl", "kOps", …).
pub fn format(title: &str) -> Option<&'static Spec> {
    FORMATS.iter().copied().find(|f| f.about.title == title)
}

/// Every document of a source: a kubeplan plan as the plan loader reads
/// it, another tool's file as the plans imported from it, with what the
/// user supplied filled in.
pub fn documents(source: Source, supply: &Supply, c: &Catalog) -> Result<Vec<Document>, LoadError> {
    let mut out = Vec::new();
    each_document(source, supply, c, |d| out.push(d))?;
    Ok(out)
}

/// As [`documents`], handing each document on as it is ready: a file of
/// thousands of kubeplan plans is streamed as the plan loader streams it.
/// Returns how many documents there were.
pub fn each_document(
    source: Source,
    supply: &Supply,
    c: &Catalog,
    mut each: impl FnMut(Document) + Send,
) -> Result<usize, LoadError> {
    match detect::look(&source) {
        Look::Plan => {
            return crate::plan::load::each_document(source, |mut d| {
                fill(&mut d, supply, c);
                each(d)
            })
        }
        Look::Ini => {
            let source = Arc::new(source);
            let read = kubespray::import_ini(&source, c)?;
            return Ok(hand_on(read, &source, None, supply, c, &mut each));
        }
        Look::Other => {}
    }
    let (rendered, docs) = parse_rendered(&source, supply)?;
    let source = Arc::new(source);
    // `kubeplan design --format yaml|json`: its `plans` are plans.
    if let Some(report_plans) = design_report_plans(&docs) {
        return plans(&source, report_plans, supply, c, &mut each);
    }
    let read = match detect::classify(&source, &docs)? {
        Class::Plan => return plans(&source, docs, supply, c, &mut each),
        Class::Tool(format) => (format.import)(&source, &docs, c)?,
    };
    Ok(hand_on(
        read,
        &source,
        rendered.as_ref(),
        supply,
        c,
        &mut each,
    ))
}

/// The documents of a YAML file. A template's variables are rendered
/// before it is parsed, as clusterctl renders them; a parse error's
/// position is moved back to the file as written.
fn parse_rendered(
    source: &Source,
    supply: &Supply,
) -> Result<(Option<envsubst::Rendered>, Vec<Spanned<Node>>), LoadError> {
    let rendered = envsubst::render(&source.text, &supply.vars);
    let text = rendered.as_ref().map_or(&source.text, |r| &r.text);
    let parsed = parse_yaml(&Source::new(source.name.clone(), text.clone()));
    let docs = parsed.map_err(|e| match (&rendered, e) {
        (
            Some(r),
            LoadError::Parse {
                path,
                line,
                column,
                reason,
            },
        ) => {
            let p = r.original(Pos { line, column });
            LoadError::Parse {
                path,
                line: p.line,
                column: p.column,
                reason,
            }
        }
        (_, e) => e,
    })?;
    Ok((rendered, docs))
}

/// The plans of a `kubeplan design --format yaml` (or `json`) report: one
/// document with `answers` and a `plans` list of ClusterPlans, each kept
/// at its own line and column.
fn design_report_plans(docs: &[Spanned<Node>]) -> Option<Vec<Spanned<Node>>> {
    let [doc] = docs else { return None };
    let Node::Map(entries) = &doc.value else {
        return None;
    };
    let key = |k: &str| entries.iter().find(|(n, _)| n.value.key_text() == k);
    key("answers")?;
    let Node::Seq(items) = &key("plans")?.1.value else {
        return None;
    };
    let is_plan = |d: &Spanned<Node>| match &d.value {
        Node::Map(m) => m.iter().any(|(k, v)| {
            k.value.key_text() == "kind" && matches!(&v.value, Node::Str(s) if s == "ClusterPlan")
        }),
        _ => false,
    };
    (!items.is_empty() && items.iter().all(is_plan)).then(|| items.clone())
}

/// Hands on a file's kubeplan plans, each checked against the schema.
fn plans(
    source: &Arc<Source>,
    docs: Vec<Spanned<Node>>,
    supply: &Supply,
    c: &Catalog,
    each: &mut impl FnMut(Document),
) -> Result<usize, LoadError> {
    if docs.is_empty() {
        return Err(LoadError::Read {
            path: source.name.clone(),
            reason: "file is empty: no plan document".into(),
        });
    }
    let n = docs.len();
    for (i, doc) in docs.into_iter().enumerate() {
        let mut d = check_document(source.clone(), i, doc);
        fill(&mut d, supply, c);
        each(d);
    }
    Ok(n)
}

/// Hands on the documents of what an importer read: a plan each, or one
/// document saying the file describes no cluster.
fn hand_on(
    read: Read,
    source: &Arc<Source>,
    rendered: Option<&envsubst::Rendered>,
    supply: &Supply,
    c: &Catalog,
    each: &mut impl FnMut(Document),
) -> usize {
    let back = |p: Pos| rendered.map_or(p, |r| r.original(p));
    match read {
        Read::Plans(plans) => {
            let n = plans.len();
            for (i, mut imp) in plans.into_iter().enumerate() {
                if rendered.is_some() {
                    imp.origins.map_positions(&back);
                    for issue in &mut imp.issues {
                        issue.problem.at.pos = back(issue.problem.at.pos);
                    }
                }
                each(imp.into_document(source, i, supply, c));
            }
            n
        }
        Read::Nothing { pos, message } => {
            each(Document {
                source: source.clone(),
                index: 0,
                plan: None,
                issues: vec![Issue::new(
                    IssueKind::NoCluster,
                    back(pos),
                    "",
                    message,
                    "lint the file that holds the cluster (kubeplan reads every format's cluster object: an eksctl ClusterConfig, a kOps Cluster, a kubeadm InitConfiguration or ClusterConfiguration, a Kubespray inventory, a Cluster API Cluster)",
                )],
                locs: Locations::default(),
            });
            1
        }
    }
}

/// A kubeplan plan that marks facts unknown gets what the user supplied.
fn fill(d: &mut Document, supply: &Supply, c: &Catalog) {
    if supply.fills_nothing() {
        return;
    }
    if let Some(plan) = d.plan.as_mut() {
        let mut slots = vec![Slot::ControlPlane, Slot::Etcd];
        slots.extend(plan.spec.workers.iter().map(|w| Slot::Pool(w.name.clone())));
        if plan.managed() || plan.cp_nodes() == 0 {
            slots.retain(|s| *s != Slot::ControlPlane);
        }
        if plan.etcd_topology() != Some(crate::plan::EtcdTopology::External) {
            slots.retain(|s| *s != Slot::Etcd);
        }
        supply.apply(plan, &slots, c);
    }
}
