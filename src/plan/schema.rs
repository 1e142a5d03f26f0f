//! Checks a YAML tree against the plan's JSON Schema (generated from the typed
//! model), reporting every problem at once with its location.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::{Map, Value};
use serde_saphyr::Spanned;

use super::model::ClusterPlan;
use super::node::{Node, Pos};

/// The JSON Schema (draft-07) of a plan document.
pub fn json_schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let generator = schemars::generate::SchemaSettings::draft07().into_generator();
        let schema = generator.into_root_schema_for::<ClusterPlan>();
        serde_json::to_value(schema).unwrap_or(Value::Null)
    })
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
pub fn check(doc: &Spanned<Node>) -> (Value, Vec<Issue>, Locations) {
    check_with(doc, json_schema())
}

/// Checks a document against another root schema (e.g. the `design` answers).
pub fn check_with(doc: &Spanned<Node>, root: &Value) -> (Value, Vec<Issue>, Locations) {
    let mut walker = Walker {
        root,
        issues: Vec::new(),
        locs: Locations::default(),
    };
    let value = walker.walk(doc, root, "");
    (value.unwrap_or(Value::Null), walker.issues, walker.locs)
}

struct Walker<'a> {
    root: &'a Value,
    issues: Vec<Issue>,
    locs: Locations,
}

impl<'a> Walker<'a> {
    fn resolve(&self, schema: &'a Value) -> &'a Value {
        let mut s = schema;
        for _ in 0..16 {
            if let Some([only]) = s.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
                s = only;
                continue;
            }
            match s.get("$ref").and_then(Value::as_str) {
                Some(r) => {
                    let name = r.trim_start_matches("#/definitions/");
                    match self.root.get("definitions").and_then(|d| d.get(name)) {
                        Some(def) => s = def,
                        None => return s,
                    }
                }
                None => return s,
            }
        }
        s
    }

    fn issue(&mut self, kind: IssueKind, field: &str, pos: Pos, message: String, help: String) {
        self.issues.push(Issue {
            kind,
            field: field.to_string(),
            pos,
            message,
            help,
        });
    }

    fn walk(&mut self, node: &Spanned<Node>, schema: &'a Value, path: &str) -> Option<Value> {
        let pos = Pos::of(node);
        // A finding on a mapping or list points at its key, not its first entry.
        let at = match node.value {
            Node::Map(_) | Node::Seq(_) => self.locs.keys.get(path).copied().unwrap_or(pos),
            _ => pos,
        };
        self.locs.values.entry(path.to_string()).or_insert(at);
        let schema = self.resolve(schema);

        // Option<T>: anyOf [T, null]
        if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
            if matches!(node.value, Node::Null) && any.iter().any(allows_null) {
                return Some(Value::Null);
            }
            let alts: Vec<&'a Value> = any.iter().filter(|s| !is_null_schema(s)).collect();
            if alts.len() > 1 {
                // Untagged alternatives (e.g. one value or a list): the first
                // that fits; else report against the one of the node's shape.
                for alt in &alts {
                    let mut trial = Walker {
                        root: self.root,
                        issues: Vec::new(),
                        locs: Locations::default(),
                    };
                    if let Some(v) = trial.walk(node, alt, path) {
                        if trial.issues.is_empty() {
                            self.locs.values.extend(trial.locs.values);
                            self.locs.keys.extend(trial.locs.keys);
                            return Some(v);
                        }
                    }
                }
                let is_seq = matches!(node.value, Node::Seq(_));
                let shaped = alts
                    .iter()
                    .find(|s| type_names(self.resolve(s)).contains(&"array") == is_seq)
                    .unwrap_or(&alts[0]);
                return self.walk(node, shaped, path);
            }
            let inner = alts.first()?;
            return self.walk(node, inner, path);
        }

        let choices = enum_values(schema);
        if !choices.is_empty() {
            return self.check_enum(node, &choices, path, pos);
        }

        let types = type_names(schema);
        if matches!(node.value, Node::Null) && types.contains(&"null") {
            return Some(Value::Null);
        }
        let want = types.iter().find(|t| **t != "null").copied().unwrap_or("");
        match want {
            "object" => self.walk_object(node, schema, path, pos),
            "array" => self.walk_array(node, schema, path, pos),
            "string" => self.walk_string(node, schema, path, pos),
            "integer" => self.walk_number(node, schema, path, pos, true),
            "number" => self.walk_number(node, schema, path, pos, false),
            "boolean" => match node.value {
                Node::Bool(b) => Some(Value::Bool(b)),
                _ => {
                    self.invalid(
                        path,
                        pos,
                        format!("expected true or false, found {}", node.value.describe()),
                        "write `true` or `false`".into(),
                    );
                    None
                }
            },
            _ => Some(Value::Null),
        }
    }

    fn invalid(&mut self, path: &str, pos: Pos, message: String, help: String) {
        let field = if path.is_empty() {
            "(document)".to_string()
        } else {
            path.to_string()
        };
        self.issue(
            IssueKind::InvalidValue,
            &field,
            pos,
            format!("`{field}`: {message}"),
            help,
        );
    }

    fn check_enum(
        &mut self,
        node: &Spanned<Node>,
        choices: &[String],
        path: &str,
        pos: Pos,
    ) -> Option<Value> {
        let text = match &node.value {
            Node::Str(s) => s.clone(),
            Node::Seq(_) | Node::Map(_) | Node::Null => {
                self.invalid(
                    path,
                    pos,
                    format!(
                        "expected one of {}, found {}",
                        choices.join(", "),
                        node.value.describe()
                    ),
                    format!("use one of: {}", choices.join(", ")),
                );
                return None;
            }
            other => other.key_text(),
        };
        if choices.contains(&text) {
            return Some(Value::String(text));
        }
        let help = match closest(&text, choices.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`? (one of: {})", choices.join(", ")),
            None => format!("use one of: {}", choices.join(", ")),
        };
        self.invalid(
            path,
            pos,
            format!(
                "unknown value \"{text}\"; expected one of {}",
                choices.join(", ")
            ),
            help,
        );
        None
    }

    fn walk_object(
        &mut self,
        node: &Spanned<Node>,
        schema: &'a Value,
        path: &str,
        pos: Pos,
    ) -> Option<Value> {
        let Node::Map(entries) = &node.value else {
            self.invalid(
                path,
                pos,
                format!("expected a mapping, found {}", node.value.describe()),
                "write `key: value` entries indented under this field".into(),
            );
            return None;
        };
        let props = schema.get("properties").and_then(Value::as_object);
        let additional = schema.get("additionalProperties");
        let mut out = Map::new();
        let mut ok = true;
        for (key, value) in entries {
            let name = key.value.key_text();
            let kpath = join(path, &name);
            self.locs.keys.insert(kpath.clone(), Pos::of(key));
            let sub = props.and_then(|p| p.get(&name));
            match (sub, additional) {
                (Some(s), _) => match self.walk(value, s, &kpath) {
                    Some(v) => {
                        out.insert(name, v);
                    }
                    None => ok = false,
                },
                (None, Some(extra @ Value::Object(_))) => match self.walk(value, extra, &kpath) {
                    Some(v) => {
                        out.insert(name, v);
                    }
                    None => ok = false,
                },
                _ => {
                    ok = false;
                    let known: Vec<&str> = props
                        .map(|p| p.keys().map(String::as_str).collect())
                        .unwrap_or_default();
                    let where_ = if path.is_empty() {
                        "the document".to_string()
                    } else {
                        format!("`{path}`")
                    };
                    let help = match closest(&name, known.iter().copied()) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => format!("known fields here: {}", known.join(", ")),
                    };
                    self.issue(
                        IssueKind::UnknownField,
                        &kpath,
                        Pos::of(key),
                        format!("unknown field `{name}` in {where_}"),
                        help,
                    );
                }
            }
        }
        if let Some(required) = schema.get("required").and_then(Value::as_array) {
            for r in required.iter().filter_map(Value::as_str) {
                if !out.contains_key(r) && !entries.iter().any(|(k, _)| k.value.key_text() == r) {
                    ok = false;
                    let field = join(path, r);
                    let where_ = if path.is_empty() {
                        "the document".to_string()
                    } else {
                        format!("`{path}`")
                    };
                    let help = missing_help(&field);
                    let at = self.locs.keys.get(path).copied().unwrap_or(pos);
                    self.issue(
                        IssueKind::MissingField,
                        &field,
                        at,
                        format!("required field `{r}` is missing from {where_}"),
                        help,
                    );
                }
            }
        }
        ok.then_some(Value::Object(out))
    }

    fn walk_array(
        &mut self,
        node: &Spanned<Node>,
        schema: &'a Value,
        path: &str,
        pos: Pos,
    ) -> Option<Value> {
        let Node::Seq(items) = &node.value else {
            self.invalid(
                path,
                pos,
                format!("expected a list, found {}", node.value.describe()),
                "write the items as a list: `[a, b]` or one `- item` per line".into(),
            );
            return None;
        };
        let item_schema = schema.get("items").unwrap_or(&Value::Null);
        let mut out = Vec::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            match self.walk(item, item_schema, &format!("{path}[{i}]")) {
                Some(v) => out.push(v),
                None => ok = false,
            }
        }
        ok.then_some(Value::Array(out))
    }

    fn walk_string(
        &mut self,
        node: &Spanned<Node>,
        schema: &'a Value,
        path: &str,
        pos: Pos,
    ) -> Option<Value> {
        let Node::Str(s) = &node.value else {
            self.invalid(
                path,
                pos,
                format!("expected a string, found {}", node.value.describe()),
                "quote the value to make it a string".into(),
            );
            return None;
        };
        let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
        let problem = match format {
            "duration" => crate::units::parse_duration(s).err().map(|e| (e, "write a Go duration such as `15s`, `1m30s` or `500ms`".to_string())),
            "cidr" => s.parse::<ipnet::IpNet>().err().map(|_| {
                ("not a CIDR block".to_string(), "write an address and prefix length such as `10.244.0.0/16`".to_string())
            }),
            "dns-label" => crate::plan::dns_label_problem(s).map(|e| (e, "use lower-case letters, digits and `-`, starting and ending with a letter or digit, at most 63 characters".to_string())),
            _ => None,
        };
        match problem {
            Some((why, help)) => {
                self.invalid(path, pos, format!("\"{s}\" is {why}"), help);
                None
            }
            None => Some(Value::String(s.clone())),
        }
    }

    fn walk_number(
        &mut self,
        node: &Spanned<Node>,
        schema: &'a Value,
        path: &str,
        pos: Pos,
        integer: bool,
    ) -> Option<Value> {
        let min = schema.get("minimum").and_then(Value::as_f64);
        let max = schema.get("maximum").and_then(Value::as_f64);
        let (value, as_f64) = match node.value {
            Node::Int(i) => (None, i as f64),
            Node::Float(f) if !f.is_finite() => {
                self.invalid(
                    path,
                    pos,
                    format!("expected a number, found {}", node.value.describe()),
                    "write a finite number".into(),
                );
                return None;
            }
            Node::Float(f) if integer && f.fract() != 0.0 => {
                self.invalid(
                    path,
                    pos,
                    format!("expected a whole number, found `{f}`"),
                    "write a whole number such as `3`".into(),
                );
                return None;
            }
            Node::Float(f) => (Some(f), f),
            _ => {
                let what = if integer {
                    "a whole number"
                } else {
                    "a number"
                };
                self.invalid(
                    path,
                    pos,
                    format!("expected {what}, found {}", node.value.describe()),
                    format!("write {what} without quotes"),
                );
                return None;
            }
        };
        if let Some(lo) = min {
            if as_f64 < lo {
                let msg = if lo == 0.0 {
                    format!("{} is negative", fmt_num(as_f64))
                } else {
                    format!("{} is below the minimum {}", fmt_num(as_f64), fmt_num(lo))
                };
                self.invalid(
                    path,
                    pos,
                    msg,
                    format!("use a value of at least {}", fmt_num(lo)),
                );
                return None;
            }
        }
        if let Some(hi) = max {
            if as_f64 > hi {
                self.invalid(
                    path,
                    pos,
                    format!(
                        "{} is beyond any real cluster (at most {})",
                        fmt_num(as_f64),
                        fmt_num(hi)
                    ),
                    format!("use a value of at most {}", fmt_num(hi)),
                );
                return None;
            }
        }
        Some(match (integer, node.value.clone()) {
            (_, Node::Int(i)) => match i64::try_from(i) {
                Ok(v) => Value::from(v),
                Err(_) => {
                    self.invalid(
                        path,
                        pos,
                        format!("{i} is too large"),
                        "use a smaller number".into(),
                    );
                    return None;
                }
            },
            (true, _) => Value::from(as_f64 as i64),
            (false, _) => serde_json::Number::from_f64(value.unwrap_or(as_f64))
                .map(Value::Number)
                .unwrap_or(Value::Null),
        })
    }
}

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
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

fn enum_values(schema: &Value) -> Vec<String> {
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return values
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect();
    }
    if let Some(c) = schema.get("const").and_then(Value::as_str) {
        return vec![c.to_string()];
    }
    if let Some(one_of) = schema.get("oneOf").and_then(Value::as_array) {
        return one_of.iter().flat_map(enum_values).collect();
    }
    Vec::new()
}

/// The closest candidate to a misspelt word, if any is close enough.
pub fn closest<'c>(word: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let lower = word.to_lowercase();
    candidates
        .map(|c| (strsim::levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}
