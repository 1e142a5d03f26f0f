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
pub mod tree;

mod capi;
mod eksctl;
mod envsubst;
mod ini;
mod kops;
mod kubeadm;
mod kubespray;

use std::sync::Arc;

use serde_saphyr::Spanned;

pub use supply::{Slot, Supply};

use crate::catalog::Catalog;
use crate::plan::facts::IMPORTED_ANNOTATION;
use crate::plan::load::{check_document, parse_yaml, LoadError, Source};
use crate::plan::node::{Node, Pos};
use crate::plan::origin::{Origins, Spot};
use crate::plan::schema::{Issue, IssueKind, Locations};
use crate::plan::{ClusterPlan, Document, Fact};

/// The files kubeplan reads, as one sentence (every "not a cluster file"
/// error ends with it).
pub const READS: &str = "kubeplan reads kubeplan plans (kubeplan/v1), eksctl ClusterConfigs (eksctl.io/v1alpha5), kOps clusters (kops.k8s.io/v1alpha2), kubeadm configurations (kubeadm.k8s.io/v1beta3, v1beta4), Kubespray inventories (INI or YAML) and Cluster API manifests (cluster.x-k8s.io/v1beta1, v1beta2)";

/// Another tool's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Eksctl,
    Kops,
    Kubeadm,
    Kubespray,
    ClusterApi,
}

impl Format {
    pub const ALL: &'static [Format] = &[
        Format::Eksctl,
        Format::Kops,
        Format::Kubeadm,
        Format::Kubespray,
        Format::ClusterApi,
    ];

    /// What a file of this format is, as messages name it.
    pub fn what(self) -> &'static str {
        match self {
            Format::Eksctl => "eksctl ClusterConfig",
            Format::Kops => "kOps cluster",
            Format::Kubeadm => "kubeadm configuration",
            Format::Kubespray => "Kubespray inventory",
            Format::ClusterApi => "Cluster API cluster",
        }
    }

    /// The apiVersion group of the format (none for inventories).
    fn group(self) -> Option<&'static str> {
        match self {
            Format::Eksctl => Some("eksctl.io"),
            Format::Kops => Some("kops.k8s.io"),
            Format::Kubeadm => Some("kubeadm.k8s.io"),
            Format::ClusterApi => Some("cluster.x-k8s.io"),
            Format::Kubespray => None,
        }
    }

    /// The versions kubeplan reads, and what to do with another.
    fn versions(self) -> (&'static [&'static str], &'static str) {
        match self {
            Format::Eksctl => (&["v1alpha5"], "eksctl itself reads only eksctl.io/v1alpha5"),
            Format::Kops => (
                &["v1alpha2"],
                "v1alpha2 is the version `kops get -o yaml` prints and `kops create -f` takes",
            ),
            Format::Kubeadm => (
                &["v1beta3", "v1beta4"],
                "kubeadm v1.27 and newer no longer read older versions; `kubeadm config migrate` converts them",
            ),
            Format::ClusterApi => (
                &["v1beta1", "v1beta2"],
                "`clusterctl upgrade` moves older clusters to v1beta1 and v1beta2",
            ),
            Format::Kubespray => (&[], ""),
        }
    }

    /// The format an apiVersion belongs to (`controlplane.cluster.x-k8s.io/…`
    /// is Cluster API's too).
    fn of_api(api: &str) -> Option<Format> {
        let group = api.split('/').next().unwrap_or("");
        // kOps still reads its old group name, rewriting `kops/v1alpha2`
        // (pkg/kopscodecs/codecs.go, rewriteAPIGroup).
        if group == "kops" {
            return Some(Format::Kops);
        }
        Format::ALL.iter().copied().find(|f| {
            f.group()
                .is_some_and(|g| group == g || group.ends_with(&format!(".{g}")))
        })
    }
}

/// What the documentation says of a format: `docs/import.md` is made
/// from it and from running kubeplan on the format's example.
#[derive(Debug)]
pub struct About {
    /// The tool's name.
    pub title: &'static str,
    /// How kubeplan knows a file is of this format.
    pub detected: &'static str,
    /// What kubeplan reads from the file, one item a line.
    pub reads: &'static [&'static str],
    /// The example under `docs/import-examples/`.
    pub example: &'static str,
    /// The flags the documentation's `kubeplan lint` of the example passes.
    pub example_flags: &'static [&'static str],
}

impl Format {
    /// What the documentation says of the format.
    pub fn about(self) -> &'static About {
        match self {
            Format::Eksctl => &eksctl::ABOUT,
            Format::Kops => &kops::ABOUT,
            Format::Kubeadm => &kubeadm::ABOUT,
            Format::Kubespray => &kubespray::ABOUT,
            Format::ClusterApi => &capi::ABOUT,
        }
    }
}

/// What an importer found in a file.
pub(crate) enum Read {
    /// The clusters it describes.
    Plans(Vec<Imported>),
    /// A file of the tool that describes no cluster (a ClusterClass with its
    /// templates, InstanceGroups without their Cluster): said where, and why.
    Nothing { pos: Pos, message: String },
}

/// What an importer made of a file: a plan, where its fields came from,
/// the facts it could not know, and problems of the file itself.
pub(crate) struct Imported {
    pub plan: ClusterPlan,
    pub origins: Origins,
    pub unknown: Vec<Fact>,
    /// The machines whose sizes the file does not give.
    pub slots: Vec<Slot>,
    /// Machine types not in the platform's catalog.
    types: Vec<(crate::plan::Platform, String)>,
    pub issues: Vec<Issue>,
}

impl Imported {
    /// A plan of `format` to be filled in, found at `top`.
    pub fn new(format: Format, name: String, top: Spot) -> Imported {
        let mut plan = ClusterPlan {
            api_version: crate::plan::ApiVersion::V1,
            kind: crate::plan::Kind::ClusterPlan,
            metadata: crate::plan::Metadata {
                name,
                annotations: Default::default(),
                labels: Default::default(),
            },
            // A stand-in purpose: a fact no cluster file holds (`unknown`
            // says so until the user supplies it).
            spec: crate::plan::Spec::new(
                crate::plan::Purpose::Development,
                crate::plan::Platform::OnPrem,
            ),
        };
        plan.metadata
            .annotations
            .insert(IMPORTED_ANNOTATION.into(), format.what().into());
        Imported {
            plan,
            origins: Origins::new(top),
            unknown: vec![Fact::Purpose, Fact::Workload],
            slots: Vec::new(),
            types: Vec::new(),
            issues: Vec::new(),
        }
    }

    /// Records that the file does not say `fact`, and why.
    pub fn unknown(&mut self, fact: Fact, why: impl Into<String>) {
        if !self.unknown.contains(&fact) {
            self.unknown.push(fact);
        }
        if !self.origins.reasons.iter().any(|(f, _)| *f == fact) {
            self.origins.reasons.push((fact, why.into()));
        }
    }

    /// Records a machine type the platform's catalog does not hold: the
    /// machines' sizes are then unknown, and the reason names every such type.
    pub fn unknown_type(&mut self, platform: crate::plan::Platform, name: &str) {
        if !self.unknown.contains(&Fact::Machines) {
            self.unknown.push(Fact::Machines);
        }
        if !self.types.iter().any(|(_, t)| t == name) {
            self.types.push((platform, name.to_string()));
        }
    }

    /// Records where a plan field came from.
    pub fn from(&mut self, plan_field: impl Into<String>, spot: Spot) {
        self.origins.set(plan_field, spot);
    }

    pub fn note(&mut self, text: impl Into<String>) {
        self.origins.notes.push(text.into());
    }

    /// Silences rules whose premise the importer knows does not hold for
    /// this file (the `kubeplan.io/ignore` annotation, comma-joined).
    pub fn ignore(&mut self, rules: &str) {
        let key = crate::plan::facts::IGNORE_ANNOTATION;
        let joined = match self.plan.metadata.annotations.get(key) {
            Some(have) if !have.is_empty() => format!("{have},{rules}"),
            _ => rules.to_string(),
        };
        self.plan.metadata.annotations.insert(key.into(), joined);
    }

    /// A value the file gives that kubeplan cannot use.
    pub fn invalid(&mut self, at: &tree::At, message: impl Into<String>, help: impl Into<String>) {
        self.issues.push(Issue {
            kind: IssueKind::InvalidValue,
            field: at.path().to_string(),
            pos: at.pos,
            message: message.into(),
            help: help.into(),
        });
    }

    /// A `${VAR}` in a field kubeplan reads: the fact it holds is unknown.
    pub fn unrendered(&mut self, at: &tree::At, var: &str, fact: Fact, what: &str) {
        self.issues.push(Issue {
            kind: IssueKind::Unrendered,
            field: at.path().to_string(),
            pos: at.pos,
            message: format!("{what} is `${{{var}}}`, a template variable with no value"),
            help: format!(
                "pass --var {var}=VALUE (as clusterctl takes it), or lint the rendered manifests"
            ),
        });
        self.unknown(fact, format!("{what} is the unrendered variable {var}"));
    }

    /// The document: the plan with its unknown facts, what the user supplied
    /// filled in.
    fn into_document(
        mut self,
        source: &Arc<Source>,
        index: usize,
        supply: &Supply,
        c: &Catalog,
    ) -> Document {
        self.unknown.sort();
        self.unknown.dedup();
        if let Some((platform, _)) = self.types.first() {
            let names = self
                .types
                .iter()
                .map(|(_, t)| t.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let why = match platform {
                crate::plan::Platform::Aws => format!("kubeplan's AWS catalog has no {names}"),
                crate::plan::Platform::Gcp => format!("kubeplan's GCP catalog has no {names}"),
                crate::plan::Platform::Azure => format!("kubeplan's Azure catalog has no {names}"),
                crate::plan::Platform::OnPrem => {
                    format!("kubeplan has no sizes for {names}: it catalogs only AWS, GCP and Azure types")
                }
            };
            self.origins.reasons.retain(|(f, _)| *f != Fact::Machines);
            self.origins.reasons.push((Fact::Machines, why));
        }
        // A fact is only worth asking for when the plan has something it
        // concerns: no machines to size when nothing is self-run.
        self.plan.set_unknown(&self.unknown);
        supply.apply(&mut self.plan, &self.slots, c);
        Document {
            source: source.clone(),
            index,
            plan: Some(self.plan),
            issues: self.issues,
            locs: Locations::imported(self.origins),
        }
    }
}

/// How a file looks before it is parsed.
enum Look {
    /// Its first top-level `apiVersion` is `kubeplan/v1`.
    Plan,
    /// An Ansible INI inventory (`[group]` sections).
    Ini,
    /// Anything else: parsed, then recognised by its content.
    Other,
}

fn look(source: &Source) -> Look {
    let text = &source.text;
    let first = text
        .lines()
        .map(str::trim_end)
        .find(|l| {
            let t = l.trim_start();
            !t.is_empty() && !t.starts_with('#') && !t.starts_with(';') && *t != *"---"
        })
        .unwrap_or("");
    if is_ini_header(first) {
        return Look::Ini;
    }
    // The first top-level apiVersion, within the first 64 KiB.
    let head = &text[..floor_char(text, 65536)];
    for line in head.lines() {
        if let Some(v) = line.strip_prefix("apiVersion:") {
            let v = v.split('#').next().unwrap_or("").trim();
            let v = v.trim_matches(|c| c == '"' || c == '\'');
            return match v == "kubeplan/v1" {
                true => Look::Plan,
                false => Look::Other,
            };
        }
    }
    Look::Other
}

fn floor_char(s: &str, at: usize) -> usize {
    let mut i = at.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// An INI section header: `[name]`, `[name:children]`, `[name:vars]`.
fn is_ini_header(line: &str) -> bool {
    // A comment may follow the header (`[etcd]  # three hosts`).
    let line = line.split([';', '#']).next().unwrap_or("");
    let Some(inner) = line
        .trim()
        .strip_prefix('[')
        .and_then(|l| l.strip_suffix(']'))
    else {
        return false;
    };
    !inner.is_empty()
        && inner
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':' | '.'))
}

/// A document's top-level string field, with the position of its value.
fn top_str(doc: &Spanned<Node>, key: &str) -> Option<(String, Pos)> {
    let Node::Map(entries) = &doc.value else {
        return None;
    };
    entries
        .iter()
        .find(|(k, _)| k.value.key_text() == key)
        .and_then(|(_, v)| match &v.value {
            Node::Str(s) => Some((s.clone(), Pos::of(v))),
            _ => None,
        })
}

fn parse_error(source: &Source, pos: Pos, reason: String) -> LoadError {
    LoadError::Parse {
        path: source.name.clone(),
        line: pos.line.max(1),
        column: pos.column.max(1),
        reason,
    }
}

/// What a parsed file is.
enum Class {
    Plan,
    Tool(Format),
}

/// Recognises a parsed file, or says in one line what it is and what
/// kubeplan reads instead.
fn classify(source: &Source, docs: &[Spanned<Node>]) -> Result<Class, LoadError> {
    let docs: Vec<&Spanned<Node>> = docs
        .iter()
        .filter(|d| !matches!(d.value, Node::Null))
        .collect();
    let mut manifest: Option<(String, String, Pos)> = None;
    let mut tool: Option<Format> = None;
    for d in &docs {
        // A plan, even one with a wrong apiVersion (its schema says so).
        if top_str(d, "kind").is_some_and(|(k, _)| k == "ClusterPlan") {
            return Ok(Class::Plan);
        }
        let Some((api, at)) = top_str(d, "apiVersion") else {
            continue;
        };
        if api.starts_with("kubeplan") {
            return Ok(Class::Plan);
        }
        if let Some(f) = Format::of_api(&api) {
            let (versions, advice) = f.versions();
            let version = api.rsplit('/').next().unwrap_or("");
            // Cluster API's providers version their own groups; the core
            // group decides.
            let core = f.group().is_some_and(|g| api.starts_with(&format!("{g}/")))
                || api.starts_with("kops/");
            if (core || f != Format::ClusterApi) && !versions.contains(&version) {
                return Err(parse_error(
                    source,
                    at,
                    format!(
                        "apiVersion {api} is not {} version kubeplan reads: it reads {} ({advice})",
                        crate::fmt::a(f.what()),
                        versions
                            .iter()
                            .map(|v| format!("{}/{v}", f.group().unwrap_or("")))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    ),
                ));
            }
            // Kubelet and kube-proxy configurations ride along in kubeadm
            // files; another tool's object decides the file's format.
            tool.get_or_insert(f);
            continue;
        }
        if manifest.is_none() {
            manifest = Some(match top_str(d, "kind") {
                Some((kind, pos)) => (kind, api, pos),
                None => ("no kind".into(), api, at),
            });
        }
    }
    if let Some(f) = tool {
        return Ok(Class::Tool(f));
    }
    if let Some((kind, api, at)) = manifest {
        return Err(parse_error(
            source,
            at,
            format!("`kind: {kind}` ({api}) is a Kubernetes manifest, not a cluster file; {READS}"),
        ));
    }
    // No apiVersion at all: an inventory, a plan that lost its apiVersion,
    // or something else.
    if docs.iter().any(|d| kubespray::is_yaml_inventory(d)) {
        return Ok(Class::Tool(Format::Kubespray));
    }
    let plan_like = docs.iter().any(|d| {
        ["spec", "metadata"].iter().any(|k| top_key(d, k).is_some())
            || top_str(d, "kind").is_some_and(|(k, _)| k == "ClusterPlan")
    });
    if plan_like || docs.is_empty() {
        return Ok(Class::Plan);
    }
    let first = docs[0];
    let what = match &first.value {
        Node::Map(entries) => {
            let keys: Vec<String> = entries
                .iter()
                .take(4)
                .map(|(k, _)| k.value.key_text())
                .collect();
            let more = if entries.len() > 4 { ", …" } else { "" };
            format!(
                "a YAML mapping with no apiVersion or kind (its keys: {}{more}), such as a Helm values file",
                keys.join(", ")
            )
        }
        other => format!("YAML holding {}", other.describe()),
    };
    Err(parse_error(
        source,
        Pos::of(first),
        format!("{what}, not a cluster file; {READS}"),
    ))
}

fn top_key<'a>(doc: &'a Spanned<Node>, key: &str) -> Option<&'a Spanned<Node>> {
    let Node::Map(entries) = &doc.value else {
        return None;
    };
    entries
        .iter()
        .find(|(k, _)| k.value.key_text() == key)
        .map(|(_, v)| v)
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
    match look(&source) {
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
    // A template's variables are rendered before it is parsed, as clusterctl
    // renders them; positions are moved back to the file as written.
    let rendered = envsubst::render(&source.text, &supply.vars);
    let parsed_source = match &rendered {
        Some(r) => Source::new(source.name.clone(), r.text.clone()),
        None => Source::new(source.name.clone(), source.text.clone()),
    };
    let docs = parse_yaml(&parsed_source).map_err(|e| match (&rendered, e) {
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
    let source = Arc::new(source);
    let class = classify(&source, &docs)?;
    let read = match class {
        Class::Plan => {
            let n = docs.len();
            for (i, doc) in docs.into_iter().enumerate() {
                let mut d = check_document(source.clone(), i, doc);
                fill(&mut d, supply, c);
                each(d);
            }
            if n == 0 {
                return Err(LoadError::Read {
                    path: source.name.clone(),
                    reason: "file is empty: no plan document".into(),
                });
            }
            return Ok(n);
        }
        Class::Tool(Format::Eksctl) => eksctl::import(&docs, c),
        Class::Tool(Format::Kops) => kops::import(&docs, c),
        Class::Tool(Format::Kubeadm) => kubeadm::import(&docs, c),
        Class::Tool(Format::Kubespray) => kubespray::import_yaml(&source, &docs, c)?,
        Class::Tool(Format::ClusterApi) => capi::import(&docs, c),
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
                        issue.pos = back(issue.pos);
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
                issues: vec![Issue {
                    kind: IssueKind::NoCluster,
                    field: String::new(),
                    pos: back(pos),
                    message,
                    help: "lint the file that holds the cluster (kubeplan reads every format's cluster object: an eksctl ClusterConfig, a kOps Cluster, a kubeadm InitConfiguration or ClusterConfiguration, a Kubespray inventory, a Cluster API Cluster)".into(),
                }],
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

/// A plan name from a cluster's name in another tool: lower case, dots
/// and other characters as dashes, at most 63 characters (a DNS label).
pub(crate) fn plan_name(name: &str) -> String {
    let mut out: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| match c.is_ascii_alphanumeric() {
            true => c,
            false => '-',
        })
        .collect();
    while out.contains("--") {
        out = out.replace("--", "-");
    }
    let out = out.trim_matches('-');
    let mut out: String = out.chars().take(63).collect();
    while out.ends_with('-') {
        out.pop();
    }
    match out.is_empty() {
        true => "cluster".into(),
        false => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_dns_labels() {
        assert_eq!(plan_name("ha.example.com"), "ha-example-com");
        assert_eq!(plan_name("My_Cluster--1"), "my-cluster-1");
        assert_eq!(plan_name("${CLUSTER_NAME}"), "cluster-name");
        assert_eq!(plan_name("---"), "cluster");
        assert_eq!(plan_name(&"a".repeat(80)).len(), 63);
    }

    #[test]
    fn ini_headers() {
        assert!(is_ini_header("[kube_control_plane]"));
        assert!(is_ini_header("[etcd:children]"));
        assert!(is_ini_header("[kube_node]  # workers"));
        assert!(!is_ini_header("[a, b]"));
        assert!(!is_ini_header("[]"));
        assert!(!is_ini_header("apiVersion: v1"));
    }
}
