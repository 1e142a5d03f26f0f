//! What an importer makes of a file: a plan, where each of its fields came
//! from, the facts the file does not hold, and problems of the file itself;
//! with the steps every importer takes (a pool with a unique name and its
//! machine from the catalog, stacked or external etcd, a fact unknown).

use std::sync::Arc;

use super::format::Spec;
use super::tree;
use super::{Slot, Supply};
use crate::catalog::Catalog;
use crate::plan::load::Source;
use crate::plan::node::Pos;
use crate::plan::origin::{Origins, Problem, Spot};
use crate::plan::schema::{Issue, IssueKind, Locations};
use crate::plan::{
    Arch, ClusterPlan, Document, Etcd, EtcdTopology, Fact, LeaderElection, Machine, Platform,
    RuleRef, WorkerPool,
};

/// What an importer found in a file.
pub(crate) enum Read {
    /// The clusters it describes.
    Plans(Vec<Imported>),
    /// A file of the tool that describes no cluster (a ClusterClass with its
    /// templates, InstanceGroups without their Cluster): said where, and why.
    Nothing { pos: Pos, message: String },
}

/// A plan being read from a file.
pub(crate) struct Imported {
    pub plan: ClusterPlan,
    pub origins: Origins,
    pub unknown: Vec<Fact>,
    /// The machines whose sizes the file does not give.
    pub slots: Vec<Slot>,
    /// Machine types not in the platform's catalog.
    types: Vec<String>,
    pub issues: Vec<Issue>,
}

/// A worker pool about to be added: its place among the plan's pools and
/// the name it gets there.
pub(crate) struct NewPool {
    pub name: String,
    base: String,
}

impl NewPool {
    /// A field of the pool, as the plan names it (`spec.workers[2].nodes`).
    pub fn field(&self, f: &str) -> String {
        format!("{}.{f}", self.base)
    }
}

impl Imported {
    /// A plan of `format` to be filled in, found at `top`.
    pub fn new(format: &Spec, name: String, top: Spot) -> Imported {
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
            spec: crate::plan::Spec::new(crate::plan::Purpose::Development, own_machines()),
        };
        plan.metadata.annotations.imported_from = Some(format.what.into());
        Imported {
            plan,
            origins: Origins::new(top),
            unknown: vec![Fact::Purpose, Fact::Workload],
            slots: Vec::new(),
            types: Vec::new(),
            issues: Vec::new(),
        }
    }

    /// A plan of `format` named after the document's `metadata.name` (or
    /// `fallback`), found at the document's `kind`.
    pub fn of_document(format: &Spec, doc: &tree::At, fallback: &str) -> Imported {
        let top = doc.get("kind").map_or(Pos::START, |k| k.pos);
        let name = doc.name().map_or_else(|| fallback.to_string(), plan_name);
        let mut imp = Imported::new(format, name, Spot::new(top, "kind"));
        if let Some(n) = doc.at("metadata.name") {
            imp.from("metadata.name", n.spot());
        }
        imp
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

    /// Records where a plan field came from.
    pub fn from(&mut self, plan_field: impl Into<String>, spot: Spot) {
        self.origins.set(plan_field, spot);
    }

    pub fn note(&mut self, text: impl Into<String>) {
        self.origins.notes.push(text.into());
    }

    /// Silences rules whose premise the importer knows does not hold for
    /// this file (the `kubeplan.io/ignore` annotation, comma-joined).
    pub fn ignore(&mut self, rules: &[RuleRef]) {
        let ignore = &mut self.plan.metadata.annotations.ignore;
        ignore.extend(rules.iter().map(|r| r.id().to_string()));
    }

    /// The tool's own check on its file, which it would refuse: `rule`'s finding at `at`.
    pub fn refused(&mut self, rule: RuleRef, at: &Spot, message: String, help: impl Into<String>) {
        self.issue(IssueKind::Installer(rule), at, message, help.into());
    }

    /// A problem of the file at `at`.
    pub fn issue(&mut self, kind: IssueKind, at: &Spot, message: String, help: String) {
        self.issues.push(Issue {
            kind,
            problem: Problem::at(at.clone(), message, help),
        });
    }

    /// A value the file gives that kubeplan cannot use.
    pub fn invalid(&mut self, at: &tree::At, message: impl Into<String>, help: impl Into<String>) {
        let kind = IssueKind::InvalidValue;
        self.issue(kind, &at.spot(), message.into(), help.into());
    }

    /// A `${VAR}` in a field kubeplan reads: the fact it holds is unknown.
    pub fn unrendered(&mut self, at: &tree::At, var: &str, fact: Fact, what: &str) {
        self.issue(
            IssueKind::Unrendered,
            &at.spot(),
            format!("{what} is `${{{var}}}`, a template variable with no value"),
            format!(
                "pass --var {var}=VALUE (as clusterctl takes it), or lint the rendered manifests"
            ),
        );
        self.unknown(fact, format!("{what} is the unrendered variable {var}"));
    }

    /// The machine of a type from the platform's catalog; a type it does not
    /// hold leaves the slot to be supplied, and the reason names the type.
    pub fn sized(&mut self, c: &Catalog, type_name: &str, slot: Slot) -> Option<(Machine, Arch)> {
        if let Some(k) = c.instance(self.plan.spec.platform, type_name) {
            let machine = Machine {
                cpu: k.cpu,
                memory_gib: k.memory_gib,
                disk_gib: None,
                disk: None,
            };
            return Some((machine, k.arch));
        }
        self.slots.push(slot);
        if !self.unknown.contains(&Fact::Machines) {
            self.unknown.push(Fact::Machines);
        }
        let platform = self.plan.spec.platform;
        let names = c
            .platform(platform)
            .instances
            .iter()
            .map(|i| i.name.as_ref());
        let named = match crate::prose::did_you_mean(type_name, names) {
            Some(d) => format!("{type_name} ({d})"),
            None => type_name.to_string(),
        };
        if !self.types.contains(&named) {
            self.types.push(named);
        }
        None
    }

    /// A machine the file does not size: the slot is to be supplied.
    pub fn size_unknown(&mut self, slot: Slot, why: impl Into<String>) {
        self.slots.push(slot);
        self.unknown(Fact::Machines, why);
    }

    /// The next worker pool, named after `raw` (made unique among the
    /// pools so far), found at `at`.
    pub fn new_pool(&mut self, raw: &str, at: Spot) -> NewPool {
        let i = self.plan.spec.workers.len();
        let mut name = plan_name(raw);
        while self.plan.spec.workers.iter().any(|w| w.name == name) {
            name = format!("{name}-{}", i + 1);
        }
        let base = format!("spec.workers[{i}]");
        self.from(base.clone(), at);
        NewPool { name, base }
    }

    pub fn add_pool(&mut self, pool: WorkerPool) {
        self.plan.spec.workers.push(pool);
    }

    /// Stacked etcd: one member on each control-plane node (`members`
    /// when the file counts them).
    pub fn stacked_etcd(&mut self, members: Option<u32>) {
        self.plan.spec.etcd = Some(Etcd {
            topology: Some(EtcdTopology::Stacked),
            members,
            zones: Vec::new(),
            machine: None,
        });
    }

    /// External etcd of `members` machines of their own, counted at `at`:
    /// their size is to be supplied.
    pub fn external_etcd(&mut self, members: u32, at: Spot) {
        self.plan.spec.etcd = Some(Etcd {
            topology: Some(EtcdTopology::External),
            members: Some(members),
            zones: Vec::new(),
            machine: None,
        });
        self.from("spec.etcd.members", at);
        self.slots.push(Slot::Etcd);
    }

    /// Leader election from the values the file sets (the plan's field,
    /// the value, where it is); with none set, the defaults stay.
    pub fn leader_election(&mut self, set: Vec<(&str, String, Spot)>) {
        if set.is_empty() {
            return;
        }
        let mut le = LeaderElection::default();
        for (field, value, spot) in set {
            le.set(field, value);
            self.from(format!("spec.controlPlane.leaderElection.{field}"), spot);
        }
        self.plan.spec.control_plane.leader_election = Some(le);
    }

    /// Why the machines are unknown when types are missing from the catalog.
    fn types_reason(&self) -> Option<String> {
        let names = self.types.join(", ");
        let platform = self.plan.spec.platform;
        let clouds: Vec<String> = Platform::ALL
            .iter()
            .filter(|p| p.cloud())
            .map(|p| p.short().to_string())
            .collect();
        (!self.types.is_empty()).then(|| match platform.cloud() {
            true => format!("kubeplan's {} catalog has no {names}", platform.short()),
            false => format!(
                "kubeplan has no sizes for {names}: it catalogs only {} types",
                crate::prose::and_list(&clouds)
            ),
        })
    }

    /// The document: the plan with its unknown facts, what the user supplied
    /// filled in.
    pub fn into_document(
        mut self,
        source: &Arc<Source>,
        index: usize,
        supply: &Supply,
        c: &Catalog,
    ) -> Document {
        self.unknown.sort();
        self.unknown.dedup();
        if let Some(why) = self.types_reason() {
            self.origins.reasons.retain(|(f, _)| *f != Fact::Machines);
            self.origins.reasons.push((Fact::Machines, why));
        }
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

/// The platform of your own machines: where kubeadm and Kubespray run, and
/// a file of a cloud kubeplan has no catalog for.
pub(crate) fn own_machines() -> Platform {
    let own = Platform::ALL.iter().copied().find(|p| !p.cloud());
    own.unwrap_or(Platform::ALL[0])
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
}
