//! Checks a YAML tree against the plan's JSON Schema (generated from the typed
//! model), reporting every problem at once with its location.

use std::sync::OnceLock;

use serde_json::Value;
use serde_saphyr::Spanned;

use super::load::Source;
use super::model::ClusterPlan;
use super::node::{Node, Pos};
use super::origin::{Origins, Problem, Spot};

mod walk;

/// The JSON Schema (draft-07) of a plan document, as `kubeplan schema`
/// prints it: `docs/plan.schema.json`, generated from the typed model by
/// [`generate`] and compiled in (a test fails when the file is stale), so
/// no command pays for generating it.
pub const JSON_SCHEMA: &str = include_str!("../../../docs/plan.schema.json");

/// [`JSON_SCHEMA`], parsed at first use.
pub fn json_schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| serde_json::from_str(JSON_SCHEMA).unwrap_or(Value::Null))
}

/// The plan's JSON Schema generated from the typed model with schemars:
/// what `docs/plan.schema.json` must hold.
pub fn generate() -> String {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let schema = generator.into_root_schema_for::<ClusterPlan>();
    format!(
        "{:#}\n",
        serde_json::to_value(schema).unwrap_or(Value::Null)
    )
}

/// What kind of schema problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueKind {
    UnknownField,
    InvalidValue,
    MissingField,
    /// A `${VAR}` left in a template (Cluster API): not an error, but the
    /// value it stands for is not known until the template is rendered.
    Unrendered,
    /// A check the installing tool itself makes on its file (its rule):
    /// the tool would refuse the file.
    Installer(crate::plan::RuleRef),
    /// A cluster tool's file that describes no cluster (a ClusterClass,
    /// InstanceGroups without their Cluster).
    NoCluster,
    /// A document that is no cluster file at all (a Deployment beside the
    /// plans): unreadable input, as the same file alone would be.
    NotACluster,
}

impl IssueKind {
    /// Whether the problem keeps the document from being a plan.
    pub fn blocks(self) -> bool {
        matches!(
            self,
            IssueKind::UnknownField
                | IssueKind::InvalidValue
                | IssueKind::MissingField
                | IssueKind::NotACluster
        )
    }
}

/// A problem of a document itself (its schema, a tool's own check, a
/// template variable), of a kind that decides its rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub kind: IssueKind,
    pub problem: Problem,
}

impl Issue {
    /// A problem of `kind` at `pos`, with the field as the file names it.
    pub fn new(
        kind: IssueKind,
        pos: Pos,
        field: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Issue {
        Issue {
            kind,
            problem: Problem::at(Spot::new(pos, field), message, help),
        }
    }
}

/// Where each field of a document sits, found in its YAML tree by dotted
/// path (`spec.workers[1].count`) when a finding needs it: nothing is
/// indexed up front, as most fields never get a finding.
///
/// A plan imported from another tool's file has no YAML tree of its own:
/// its fields are found in the [`Origins`] the importer recorded, which
/// point into that file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Locations {
    root: Option<Spanned<Node>>,
    origins: Option<std::sync::Arc<Origins>>,
}

impl Locations {
    pub fn new(root: Spanned<Node>) -> Locations {
        Locations {
            root: Some(root),
            origins: None,
        }
    }

    /// The locations of an imported plan.
    pub fn imported(origins: Origins) -> Locations {
        Locations {
            root: None,
            origins: Some(std::sync::Arc::new(origins)),
        }
    }

    /// The origins of an imported plan (None for a kubeplan plan).
    pub fn origins(&self) -> Option<&Origins> {
        self.origins.as_deref()
    }

    /// Where a finding about `path` goes in an imported plan: the spot in
    /// the other tool's file (its field name, and its file when not the
    /// document's own). None for a kubeplan plan.
    pub fn spot(&self, path: &str) -> Option<&Spot> {
        self.origins.as_ref().map(|o| o.find(path))
    }

    /// The position of a field's value (of its key, for a mapping or a
    /// list), or of the nearest enclosing field that is present (a missing
    /// field points at its parent).
    pub fn find(&self, path: &str) -> Pos {
        match &self.origins {
            Some(o) => o.find(path).pos,
            None => self.walk(path).0,
        }
    }

    /// Whether the document spells this field out.
    pub fn has(&self, path: &str) -> bool {
        match &self.origins {
            Some(o) => o.get(path).is_some(),
            None => self.root.is_some() && self.walk(path).1,
        }
    }

    /// The position reached along `path`, and whether all of it was found.
    fn walk(&self, path: &str) -> (Pos, bool) {
        let Some(root) = &self.root else {
            return (Pos { line: 1, column: 1 }, false);
        };
        let mut node = root;
        let mut at = Pos::of(root);
        let mut rest = path;
        while !rest.is_empty() {
            let step = match (&node.value, rest.strip_prefix('[')) {
                (Node::Seq(items), Some(tail)) => tail.split_once(']').and_then(|(n, after)| {
                    let item = items.get(n.parse::<usize>().ok()?)?;
                    Some((item, Pos::of(item), after))
                }),
                (Node::Map(entries), None) => {
                    entries
                        .iter()
                        .filter_map(|(k, v)| {
                            let name = k.value.key_text();
                            let after = rest.strip_prefix(name.as_str())?;
                            matches!(after.as_bytes().first(), None | Some(b'.' | b'['))
                                .then_some((name.len(), k, v, after))
                        })
                        // `a.b` as one key beats key `a` with a field `b`.
                        .max_by_key(|(len, ..)| *len)
                        .map(|(_, k, v, after)| {
                            // A mapping or list points at its key.
                            let pos = match v.value {
                                Node::Map(_) | Node::Seq(_) => Pos::of(k),
                                _ => Pos::of(v),
                            };
                            (v, pos, after)
                        })
                }
                _ => None,
            };
            let Some((next, pos, after)) = step else {
                return (at, false);
            };
            node = next;
            at = pos;
            rest = after.strip_prefix('.').unwrap_or(after);
        }
        (at, true)
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Checks a document; returns the JSON value (for typed deserialisation), the
/// issues, and the locations.
pub fn check(doc: Spanned<Node>, source: &Source) -> (Value, Vec<Issue>, Locations) {
    check_with(doc, json_schema(), source)
}

/// Checks a document against another root schema (e.g. the `design` answers).
/// `source` is the file the document was parsed from, to quote a value as
/// written.
pub fn check_with(
    doc: Spanned<Node>,
    root: &Value,
    source: &Source,
) -> (Value, Vec<Issue>, Locations) {
    let mut walker = walk::Walker::new(root, source);
    let value = walker.walk(&doc, root, "", None);
    let issues = walker.issues;
    (value.unwrap_or(Value::Null), issues, Locations::new(doc))
}

fn missing_help(field: &str) -> String {
    match field {
        "apiVersion" => "add `apiVersion: kubeplan/v1` at the top of the document".into(),
        "kind" => "add `kind: ClusterPlan` at the top of the document".into(),
        "metadata" | "metadata.name" => "add `metadata:` with `name: my-cluster`".into(),
        "spec" => "add a `spec:` section with at least `purpose` and `platform`".into(),
        "spec.purpose" => {
            "add `purpose:` (learning, development, testing or production) under `spec`".into()
        }
        "spec.platform" => {
            let words: Vec<String> = super::Platform::ALL.iter().map(|p| p.to_string()).collect();
            format!(
                "add `platform:` ({}) under `spec`",
                crate::prose::or_list(&words)
            )
        }
        other => format!("add `{}`", other.rsplit('.').next().unwrap_or(other)),
    }
}

fn is_null_schema(s: &Value) -> bool {
    s.get("type").and_then(Value::as_str) == Some("null")
}

fn allows_null(s: &Value) -> bool {
    is_null_schema(s)
}

fn type_names(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn enum_values(schema: &Value) -> Vec<&str> {
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return values.iter().filter_map(Value::as_str).collect();
    }
    if let Some(c) = schema.get("const").and_then(Value::as_str) {
        return vec![c];
    }
    if let Some(one_of) = schema.get("oneOf").and_then(Value::as_array) {
        return one_of.iter().flat_map(enum_values).collect();
    }
    Vec::new()
}

pub use crate::prose::closest;

#[cfg(test)]
mod tests {
    use super::*;

    fn locations(yaml: &str) -> Locations {
        Locations::new(serde_saphyr::from_str(yaml).unwrap())
    }

    #[test]
    fn fields_are_found_by_path() {
        let l = locations(
            "metadata:\n  annotations:\n    kubeplan.io/ignore: a\n    kubeplan: b\nspec:\n  workers:\n    - name: w\n      count: 3\n    - {name: v, count: 4}\n  zones: [a, b]\n",
        );
        let at = |p: &str| {
            let pos = l.find(p);
            (pos.line, pos.column)
        };
        // A key with dots beats a shorter key that is its prefix.
        assert_eq!(at("metadata.annotations.kubeplan.io/ignore"), (3, 25));
        assert_eq!(at("metadata.annotations.kubeplan"), (4, 15));
        assert_eq!(at("spec.workers[0].count"), (8, 14));
        assert_eq!(at("spec.workers[1].count"), (9, 24));
        // A mapping or a list: its key.
        assert_eq!(at("spec.workers"), (6, 3));
        assert_eq!(at("spec.zones"), (10, 3));
        // Missing: the nearest enclosing field.
        assert_eq!(at("spec.workers[1].maxPods"), at("spec.workers[1]"));
        assert_eq!(at("spec.workers[7].count"), (6, 3));
        assert_eq!(at("spec.etcd.members"), (5, 1));
        assert!(l.has("spec.workers[1].count"));
        assert!(!l.has("spec.workers[1].maxPods"));
        assert_eq!(at(""), (1, 1));
    }
}
