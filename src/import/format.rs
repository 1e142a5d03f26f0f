//! The formats kubeplan reads besides its own plans. Each importer declares
//! its format once, as a [`Spec`] in its own file (what it is called, the
//! apiVersions it is recognised by and reads, what the documentation says of
//! it, the function that reads it); `FORMATS` in `mod.rs` lists them.

use std::sync::{Arc, LazyLock};

use serde_saphyr::Spanned;

use super::Read;
use crate::catalog::Catalog;
use crate::plan::load::{LoadError, Source};
use crate::plan::node::Node;

/// Reads the parsed documents of a file of the format.
pub(crate) type Importer = fn(&Arc<Source>, &[Spanned<Node>], &Catalog) -> Result<Read, LoadError>;

/// One format: everything kubeplan knows of it, in one place.
pub struct Spec {
    /// What a file of this format is, as messages name it ("eksctl ClusterConfig").
    pub what: &'static str,
    /// Its files, as the sentence of what kubeplan reads names them.
    pub plural: &'static str,
    /// The apiVersion groups it is recognised by, its own first (also as
    /// the suffix of a subgroup, `controlplane.cluster.x-k8s.io`); none for
    /// a format recognised by its content.
    pub groups: &'static [&'static str],
    /// The versions of its groups kubeplan reads, and what to do with another.
    pub versions: &'static [&'static str],
    pub advice: &'static str,
    /// Whether the format's subgroups are versioned by their own providers
    /// (Cluster API's infrastructure groups): only its own group's version decides.
    pub provider_groups: bool,
    /// For a format with no group: the syntaxes it comes in ("INI or YAML"),
    /// and how a YAML document of it is recognised.
    pub syntax: &'static str,
    pub detect: Option<fn(&Spanned<Node>) -> bool>,
    /// What the documentation says of it.
    pub about: About,
    pub(crate) import: Importer,
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

impl Spec {
    /// Whether `api` (`group/version`) belongs to the format.
    pub(crate) fn claims(&self, api: &str) -> bool {
        let group = api.split('/').next().unwrap_or("");
        self.groups
            .iter()
            .any(|g| group == *g || group.ends_with(&format!(".{g}")))
    }

    /// Why kubeplan refuses `api`, when it is a version of the format
    /// kubeplan does not read.
    pub(crate) fn refusal(&self, api: &str) -> Option<String> {
        let version = api.rsplit('/').next().unwrap_or("");
        let own = self
            .groups
            .iter()
            .any(|g| api.starts_with(&format!("{g}/")));
        if (!own && self.provider_groups) || self.versions.contains(&version) {
            return None;
        }
        Some(format!(
            "apiVersion {api} is not {} version kubeplan reads: it reads {} ({})",
            crate::prose::a(self.what),
            self.versioned().join(" and "),
            self.advice
        ))
    }

    /// `group/version` for each version read.
    fn versioned(&self) -> Vec<String> {
        let group = self.groups.first().copied().unwrap_or("");
        self.versions
            .iter()
            .map(|v| format!("{group}/{v}"))
            .collect()
    }

    /// The format as the sentence of what kubeplan reads names it.
    fn named(&self) -> String {
        match self.groups.first() {
            Some(g) => format!("{} ({g}/{})", self.plural, self.versions.join(", ")),
            None => format!("{} ({})", self.plural, self.syntax),
        }
    }
}

/// The format `api` belongs to.
pub(crate) fn of_api(api: &str) -> Option<&'static Spec> {
    super::FORMATS.iter().copied().find(|f| f.claims(api))
}

/// The files kubeplan reads, as one sentence (every "not a cluster file"
/// error ends with it).
pub static READS: LazyLock<String> = LazyLock::new(|| {
    let mut items = vec!["kubeplan plans (kubeplan/v1)".to_string()];
    items.extend(super::FORMATS.iter().map(|f| f.named()));
    let last = items.pop().unwrap_or_default();
    format!("kubeplan reads {} and {last}", items.join(", "))
});
