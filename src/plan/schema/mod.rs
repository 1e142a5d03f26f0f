//! Checks a YAML tree against the plan's JSON Schema (generated from the typed
//! model), reporting every problem at once with its location.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;
use serde_saphyr::Spanned;

use super::load::Source;
use super::model::ClusterPlan;
use super::node::{Node, Pos};

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
}

/// One schema problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub kind: IssueKind,
    pub field: String,
    pub pos: Pos,
    pub message: String,
    pub help: String,
}

/// Where each field of a document sits: dotted path → position of its value
/// (and of its key, for mapping entries).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Locations {
    pub values: HashMap<String, Pos>,
    pub keys: HashMap<String, Pos>,
}

impl Locations {
    /// The position of a field's value, or of the nearest enclosing field that
    /// is present (a missing field points at its parent).
    pub fn find(&self, path: &str) -> Pos {
        let mut p = path;
        loop {
            if let Some(pos) = self.values.get(p) {
                return *pos;
            }
            match parent(p) {
                Some(up) => p = up,
                None => {
                    return self
                        .values
                        .get("")
                        .copied()
                        .unwrap_or(Pos { line: 1, column: 1 })
                }
            }
        }
    }

    /// Whether the document spells this field out.
    pub fn has(&self, path: &str) -> bool {
        self.values.contains_key(path)
    }
}

fn parent(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    match path.rfind(['.', '[']) {
        Some(i) => Some(&path[..i]),
        None => Some(""),
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
pub fn check(doc: &Spanned<Node>, source: &Source) -> (Value, Vec<Issue>, Locations) {
    check_with(doc, json_schema(), source)
}

/// Checks a document against another root schema (e.g. the `design` answers).
/// `source` is the file the document was parsed from, to quote a value as
/// written.
pub fn check_with(
    doc: &Spanned<Node>,
    root: &Value,
    source: &Source,
) -> (Value, Vec<Issue>, Locations) {
    let mut walker = walk::Walker::new(root, source);
    let value = walker.walk(doc, root, "");
    (value.unwrap_or(Value::Null), walker.issues, walker.locs)
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
        "spec.platform" => "add `platform:` (on-prem, aws, gcp or azure) under `spec`".into(),
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

pub use crate::fmt::closest;
