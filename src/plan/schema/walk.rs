//! The walk over a YAML tree beside its JSON Schema: every problem is an
//! issue with the position of the value (or key) that causes it, and the
//! walk goes on, so one run reports them all.

use serde_json::{Map, Value};
use serde_saphyr::Spanned;

use super::{
    allows_null, closest, enum_values, is_null_schema, join, missing_help, type_names, Issue,
    IssueKind,
};
use crate::plan::load::Source;
use crate::plan::node::{Node, Pos};
use crate::prose::decimal;

pub(super) struct Walker<'a> {
    root: &'a Value,
    /// The file being checked, to quote values as written.
    source: &'a Source,
    pub(super) issues: Vec<Issue>,
}

/// How a path reads in a message: `the document` or `` `spec.etcd` ``.
fn where_(path: &str) -> String {
    if path.is_empty() {
        "the document".to_string()
    } else {
        format!("`{path}`")
    }
}

impl<'a> Walker<'a> {
    pub(super) fn new(root: &'a Value, source: &'a Source) -> Walker<'a> {
        Walker {
            root,
            source,
            issues: Vec::new(),
        }
    }

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

    /// A scalar's text as the file spells it (numbers too large for any
    /// type are echoed digit for digit).
    fn as_written(&self, node: &Spanned<Node>) -> Option<String> {
        let span = node.referenced.span();
        let raw = match (span.byte_offset(), span.byte_len()) {
            (Some(start), Some(len)) => {
                let start = usize::try_from(start).ok()?;
                let end = start.checked_add(usize::try_from(len).ok()?)?;
                self.source.text.get(start..end)?.trim().to_string()
            }
            // Parsed document by document: from the line and column.
            _ => {
                let pos = Pos::of(node);
                let line = self.source.line(pos.line)?;
                line.chars()
                    .skip(pos.column.saturating_sub(1) as usize)
                    .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}' | '#'))
                    .collect()
            }
        };
        (!raw.is_empty() && raw.len() <= 200).then_some(raw)
    }

    fn issue(&mut self, kind: IssueKind, field: &str, pos: Pos, message: String, help: String) {
        self.issues
            .push(Issue::new(kind, pos, field, message, help));
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

    /// A value of the wrong shape: "expected a list, found a mapping".
    fn wrong(
        &mut self,
        node: &Spanned<Node>,
        path: &str,
        pos: Pos,
        expected: &str,
        help: impl Into<String>,
    ) -> Option<Value> {
        let found = node.value.describe();
        self.invalid(
            path,
            pos,
            format!("expected {expected}, found {found}"),
            help.into(),
        );
        None
    }

    /// Checks `node` (found under a key at `key`, if any) against `schema`.
    pub(super) fn walk(
        &mut self,
        node: &Spanned<Node>,
        schema: &'a Value,
        path: &str,
        key: Option<Pos>,
    ) -> Option<Value> {
        let pos = Pos::of(node);
        let schema = self.resolve(schema);
        if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
            return self.walk_any_of(node, any, path, key);
        }
        let choices = enum_values(schema);
        if !choices.is_empty() {
            return self.check_enum(node, &choices, path, pos);
        }
        let types = type_names(schema);
        if matches!(node.value, Node::Null) && types.contains(&"null") {
            return Some(Value::Null);
        }
        match types.iter().find(|t| **t != "null").copied().unwrap_or("") {
            "object" => self.walk_object(node, schema, path, pos, key),
            "array" => match &node.value {
                Node::Seq(items) => self.walk_array(items, schema, path),
                _ => {
                    let help = "write the items as a list: `[a, b]` or one `- item` per line";
                    self.wrong(node, path, pos, "a list", help)
                }
            },
            "string" => match &node.value {
                Node::Str(s) => self.walk_string(s, schema, path, pos),
                _ => self.wrong(
                    node,
                    path,
                    pos,
                    "a string",
                    "quote the value to make it a string",
                ),
            },
            "integer" => self.walk_number(node, schema, path, pos, true),
            "number" => self.walk_number(node, schema, path, pos, false),
            "boolean" => match node.value {
                Node::Bool(b) => Some(Value::Bool(b)),
                _ => self.wrong(node, path, pos, "true or false", "write `true` or `false`"),
            },
            _ => Some(Value::Null),
        }
    }

    /// `Option<T>` (anyOf [T, null]) and untagged alternatives (one value or
    /// a list): the first that fits; else report against the one of the
    /// node's shape.
    fn walk_any_of(
        &mut self,
        node: &Spanned<Node>,
        any: &'a [Value],
        path: &str,
        key: Option<Pos>,
    ) -> Option<Value> {
        if matches!(node.value, Node::Null) && any.iter().any(allows_null) {
            return Some(Value::Null);
        }
        let alts: Vec<&'a Value> = any.iter().filter(|s| !is_null_schema(s)).collect();
        if alts.len() <= 1 {
            let inner = alts.first()?;
            return self.walk(node, inner, path, key);
        }
        for alt in &alts {
            let mut trial = Walker::new(self.root, self.source);
            if let Some(v) = trial.walk(node, alt, path, key) {
                if trial.issues.is_empty() {
                    return Some(v);
                }
            }
        }
        let is_seq = matches!(node.value, Node::Seq(_));
        let shaped = alts
            .iter()
            .find(|s| type_names(self.resolve(s)).contains(&"array") == is_seq)
            .unwrap_or(&alts[0]);
        self.walk(node, shaped, path, key)
    }

    fn check_enum(
        &mut self,
        node: &Spanned<Node>,
        choices: &[&str],
        path: &str,
        pos: Pos,
    ) -> Option<Value> {
        let text = match &node.value {
            Node::Str(s) => s.clone(),
            Node::Seq(_) | Node::Map(_) | Node::Null => {
                let list = choices.join(", ");
                let help = format!("use one of: {list}");
                return self.wrong(node, path, pos, &format!("one of {list}"), help);
            }
            other => other.key_text(),
        };
        if choices.contains(&text.as_str()) {
            return Some(Value::String(text));
        }
        let list = choices.join(", ");
        let help = match closest(&text, choices.iter().copied()) {
            Some(best) => format!("did you mean `{best}`? (one of: {list})"),
            None => format!("use one of: {list}"),
        };
        let message = format!("unknown value \"{text}\"; expected one of {list}");
        self.invalid(path, pos, message, help);
        None
    }

    fn walk_object(
        &mut self,
        node: &Spanned<Node>,
        schema: &'a Value,
        path: &str,
        pos: Pos,
        key: Option<Pos>,
    ) -> Option<Value> {
        let Node::Map(entries) = &node.value else {
            let help = "write `key: value` entries indented under this field";
            return self.wrong(node, path, pos, "a mapping", help);
        };
        let props = schema.get("properties").and_then(Value::as_object);
        let additional = schema.get("additionalProperties");
        let mut out = Map::new();
        let mut ok = true;
        for (k, value) in entries {
            let name = k.value.key_text();
            let kpath = join(path, &name);
            let sub = match (props.and_then(|p| p.get(&name)), additional) {
                (Some(s), _) => s,
                (None, Some(extra @ Value::Object(_))) => extra,
                _ => {
                    ok = false;
                    self.unknown_field(props, path, &name, &kpath, Pos::of(k));
                    continue;
                }
            };
            match self.walk(value, sub, &kpath, Some(Pos::of(k))) {
                Some(v) => {
                    out.insert(name, v);
                }
                None => ok = false,
            }
        }
        let required = schema.get("required").and_then(Value::as_array);
        for r in required.into_iter().flatten().filter_map(Value::as_str) {
            if !out.contains_key(r) && !entries.iter().any(|(k, _)| k.value.key_text() == r) {
                ok = false;
                let field = join(path, r);
                let at = key.unwrap_or(pos);
                let message = format!("required field `{r}` is missing from {}", where_(path));
                let help = missing_help(&field);
                self.issue(IssueKind::MissingField, &field, at, message, help);
            }
        }
        ok.then_some(Value::Object(out))
    }

    fn unknown_field(
        &mut self,
        props: Option<&Map<String, Value>>,
        path: &str,
        name: &str,
        kpath: &str,
        at: Pos,
    ) {
        let known: Vec<&str> = props
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let help = match closest(name, known.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("known fields here: {}", known.join(", ")),
        };
        let message = format!("unknown field `{name}` in {}", where_(path));
        self.issue(IssueKind::UnknownField, kpath, at, message, help);
    }

    fn walk_array(
        &mut self,
        items: &[Spanned<Node>],
        schema: &'a Value,
        path: &str,
    ) -> Option<Value> {
        let item_schema = schema.get("items").unwrap_or(&Value::Null);
        let mut out = Vec::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            match self.walk(item, item_schema, &format!("{path}[{i}]"), None) {
                Some(v) => out.push(v),
                None => ok = false,
            }
        }
        ok.then_some(Value::Array(out))
    }

    fn walk_string(&mut self, s: &str, schema: &'a Value, path: &str, pos: Pos) -> Option<Value> {
        let problem = match schema.get("format").and_then(Value::as_str).unwrap_or("") {
            "duration" => crate::units::parse_duration(s)
                .err()
                .map(|e| (e, "write a Go duration such as `15s`, `1m30s` or `500ms`")),
            "cidr" => s.parse::<ipnet::IpNet>().err().map(|_| {
                (
                    "not a CIDR block".to_string(),
                    "write an address and prefix length such as `10.244.0.0/16`",
                )
            }),
            "dns-label" => crate::plan::dns_label_problem(s).map(|e| (e, "use lower-case letters, digits and `-`, starting and ending with a letter or digit, at most 63 characters")),
            _ => None,
        };
        match problem {
            Some((why, help)) => {
                self.invalid(path, pos, format!("\"{s}\" is {why}"), help.to_string());
                None
            }
            None => Some(Value::String(s.to_string())),
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
        let what = if integer {
            "a whole number"
        } else {
            "a number"
        };
        let (value, as_f64) = match node.value {
            Node::Int(i) => (None, i as f64),
            Node::Float(f) if !f.is_finite() => {
                return self.wrong(node, path, pos, "a number", "write a finite number");
            }
            Node::Float(f) if integer && f.fract() != 0.0 => {
                let message = format!("expected a whole number, found `{f}`");
                self.invalid(
                    path,
                    pos,
                    message,
                    "write a whole number such as `3`".into(),
                );
                return None;
            }
            Node::Float(f) => (Some(f), f),
            _ => {
                return self.wrong(
                    node,
                    path,
                    pos,
                    what,
                    format!("write {what} without quotes"),
                )
            }
        };
        if integer && as_f64.abs() >= 9.2e18 {
            // The user's own digits, not a rounded or clamped copy.
            let written = match node.value {
                Node::Int(i) => i.to_string(),
                _ => self.as_written(node).unwrap_or_else(|| format!("{as_f64}")),
            };
            let message = match as_f64 < 0.0 {
                true => format!(
                    "{written} is below the smallest whole number kubeplan reads, -{}",
                    crate::prose::num(i64::MAX as u64 + 1)
                ),
                false => format!(
                    "{written} is past the largest whole number kubeplan reads, {}",
                    crate::prose::num(i64::MAX as u64)
                ),
            };
            self.invalid(path, pos, message, "use a smaller number".into());
            return None;
        }
        if let Some((message, help)) = out_of_range(schema, as_f64) {
            self.invalid(path, pos, message, help);
            return None;
        }
        Some(match (integer, node.value.clone()) {
            (_, Node::Int(i)) => match i64::try_from(i) {
                Ok(v) => Value::from(v),
                Err(_) => {
                    let message = format!("{i} is too large");
                    self.invalid(path, pos, message, "use a smaller number".into());
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

/// A number below the schema's minimum or past its maximum: the message
/// and the help.
fn out_of_range(schema: &Value, v: f64) -> Option<(String, String)> {
    let min = schema.get("minimum").and_then(Value::as_f64);
    let max = schema.get("maximum").and_then(Value::as_f64);
    match (min, max) {
        (Some(lo), _) if v < lo => Some((
            if lo == 0.0 {
                format!("{} is negative", decimal(v))
            } else {
                format!("{} is below the minimum {}", decimal(v), decimal(lo))
            },
            format!("use a value of at least {}", decimal(lo)),
        )),
        (_, Some(hi)) if v > hi => Some((
            format!(
                "{} is beyond any real cluster (at most {})",
                decimal(v),
                decimal(hi)
            ),
            format!("use a value of at most {}", decimal(hi)),
        )),
        _ => None,
    }
}
