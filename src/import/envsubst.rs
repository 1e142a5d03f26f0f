//! Cluster API templates as clusterctl renders them: `${NAME}` takes the
//! value given with `--var NAME=VALUE`; `${NAME:=default}`, `${NAME:-default}`,
//! `${NAME=default}` and `${NAME-default}` take their default when no value
//! is given (clusterctl's SimpleProcessor, drone/envsubst). A variable with
//! neither stays as written, and the importer reports it where kubeplan
//! reads it. The rendered text is parsed; every position is moved back to
//! the file as written.

use std::collections::BTreeMap;

use crate::plan::node::Pos;

/// One substitution: on `line`, the text from character `column` (1-based)
/// that was `was` characters long is now `now` characters long.
#[derive(Debug, Clone, PartialEq)]
struct Sub {
    line: u32,
    column: u32,
    was: u32,
    now: u32,
}

/// A template's rendered text and how to find a position in the original.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub text: String,
    subs: Vec<Sub>,
}

impl Rendered {
    /// The position in the file as written of a position in the rendered text.
    pub fn original(&self, p: Pos) -> Pos {
        let mut column = p.column as i64;
        // Substitutions on the line, left to right, in rendered columns.
        let mut shift: i64 = 0;
        for s in self.subs.iter().filter(|s| s.line == p.line) {
            let start = s.column as i64 + shift;
            let end = start + s.now as i64;
            if (p.column as i64) < start {
                break;
            }
            if (p.column as i64) < end {
                // Inside the rendered value: its start as written.
                column = s.column as i64;
                return Pos {
                    line: p.line,
                    column: column.max(1) as u32,
                };
            }
            shift += s.now as i64 - s.was as i64;
            column = p.column as i64 - shift;
        }
        Pos {
            line: p.line,
            column: column.max(1) as u32,
        }
    }
}

/// Renders a Cluster API template's variables. None when the text is no
/// Cluster API file or nothing was rendered.
pub fn render(text: &str, vars: &BTreeMap<String, String>) -> Option<Rendered> {
    if !text.contains("cluster.x-k8s.io") || !text.contains("${") {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut subs = Vec::new();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let mut rest = line;
        let mut column: u32 = 1;
        while let Some(at) = rest.find("${") {
            let before = &rest[..at];
            out.push_str(before);
            column += before.chars().count() as u32;
            let after = &rest[at + 2..];
            let Some(end) = closing(after) else {
                out.push_str(&rest[at..]);
                rest = "";
                break;
            };
            let whole = &rest[at..at + 2 + end + 1];
            let inner = &after[..end];
            match value(inner, vars) {
                Some(v) => {
                    out.push_str(&v);
                    subs.push(Sub {
                        line: i as u32 + 1,
                        column,
                        was: whole.chars().count() as u32,
                        now: v.chars().count() as u32,
                    });
                }
                None => out.push_str(whole),
            }
            column += whole.chars().count() as u32;
            rest = &rest[at + whole.len()..];
        }
        out.push_str(rest);
    }
    (!subs.is_empty()).then_some(Rendered { text: out, subs })
}

/// The index of the `}` closing a `${`, counting nested braces.
fn closing(s: &str) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return Some(i),
            '}' => depth -= 1,
            '\n' => return None,
            _ => {}
        }
    }
    None
}

/// What `${inner}` renders to, or None when it has no value.
fn value(inner: &str, vars: &BTreeMap<String, String>) -> Option<String> {
    let name_end = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(inner.len());
    let name = inner[..name_end].trim();
    if name.is_empty() {
        return None;
    }
    let op = &inner[name_end..];
    let given = vars.get(name);
    // `:=` and `:-` apply when unset or empty; `=` and `-` when unset.
    let (default, when_empty) = if let Some(d) = op.strip_prefix(":=").or(op.strip_prefix(":-")) {
        (Some(d), true)
    } else if let Some(d) = op.strip_prefix('=').or(op.strip_prefix('-')) {
        (Some(d), false)
    } else if op.trim().is_empty() {
        (None, false)
    } else {
        // Another envsubst function (substrings, case changes): left as is.
        return None;
    };
    match (given, default) {
        (Some(v), Some(d)) if v.is_empty() && when_empty => Some(d.to_string()),
        (Some(v), _) => Some(v.clone()),
        (None, Some(d)) => Some(d.to_string()),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_values_and_unrendered() {
        let text = "apiVersion: cluster.x-k8s.io/v1beta2\n  cidrBlocks: ${POD_CIDR:=[\"192.168.0.0/16\"]}\n  replicas: ${CONTROL_PLANE_MACHINE_COUNT}\n  name: ${A} x ${B:-bb} y\n";
        let r = render(text, &vars(&[("A", "alpha")])).unwrap();
        assert_eq!(
            r.text,
            "apiVersion: cluster.x-k8s.io/v1beta2\n  cidrBlocks: [\"192.168.0.0/16\"]\n  replicas: ${CONTROL_PLANE_MACHINE_COUNT}\n  name: alpha x bb y\n"
        );
        // Line 4 as rendered: `  name: alpha x bb y`; `y` is at 20,
        // written at 25 (`${A}` 4 -> 5, `${B:-bb}` 8 -> 2).
        let at = |l, c| {
            let p = r.original(Pos { line: l, column: c });
            (p.line, p.column)
        };
        assert_eq!(at(4, 20), (4, 25));
        assert_eq!(at(4, 17), (4, 16));
        // Inside a rendered value: where it was written.
        assert_eq!(at(4, 10), (4, 9));
        assert_eq!(at(4, 3), (4, 3));
        assert_eq!(at(2, 15), (2, 15));
        // An untouched line.
        assert_eq!(at(3, 13), (3, 13));
        // A value given beats the default; an empty value takes `:=`'s.
        let r = render(text, &vars(&[("POD_CIDR", "[\"10.0.0.0/8\"]"), ("B", "")])).unwrap();
        assert!(r.text.contains("cidrBlocks: [\"10.0.0.0/8\"]"));
        assert!(r.text.contains("x bb y"));
        // Not a Cluster API file: nothing is rendered.
        assert!(render("kind: ClusterConfig\nx: ${A:-b}\n", &vars(&[])).is_none());
    }
}
