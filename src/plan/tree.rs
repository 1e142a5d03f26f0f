//! Reading another tool's YAML: a value with its position and its path as
//! that file names it (`managedNodeGroups[1].desiredCapacity`), so every
//! plan field an importer fills can say where it came from.

use serde_saphyr::Spanned;

use crate::plan::node::{Node, Pos};
use crate::plan::origin::Spot;

/// A value of a YAML document, where it is, and its path.
#[derive(Clone)]
pub struct At<'a> {
    pub node: &'a Spanned<Node>,
    /// Where a finding about the value goes: the value for a scalar, the
    /// key for a mapping or a list (as kubeplan's own plans do).
    pub pos: Pos,
    path: String,
}

/// A path segment appended to a parent's path.
fn join(parent: &str, key: &str) -> String {
    match parent.is_empty() {
        true => key.to_string(),
        false => format!("{parent}.{key}"),
    }
}

/// Where a finding about a mapping's value goes: the value for a scalar,
/// its key for a mapping, a list or nothing.
fn value_pos(k: &Spanned<Node>, v: &Spanned<Node>) -> Pos {
    match v.value {
        Node::Map(_) | Node::Seq(_) | Node::Null => Pos::of(k),
        _ => Pos::of(v),
    }
}

impl<'a> At<'a> {
    /// A document's root.
    pub fn root(node: &'a Spanned<Node>) -> At<'a> {
        At {
            node,
            pos: Pos::of(node),
            path: String::new(),
        }
    }

    /// The value's path as its file names it.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Where a finding about this value goes, named as its file names it.
    pub fn spot(&self) -> Spot {
        Spot::new(self.pos, self.path.clone())
    }

    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<At<'a>> {
        let Node::Map(entries) = &self.node.value else {
            return None;
        };
        let (k, v) = entries.iter().find(|(k, _)| k.value.key_text() == key)?;
        Some(At {
            node: v,
            pos: value_pos(k, v),
            path: join(&self.path, key),
        })
    }

    /// The value at a dotted path of keys (`spec.api.loadBalancer`).
    pub fn at(&self, dotted: &str) -> Option<At<'a>> {
        let mut here = self.clone();
        for key in dotted.split('.') {
            here = here.get(key)?;
        }
        Some(here)
    }

    /// A list's items (none when the value is not a list).
    pub fn items(&self) -> Vec<At<'a>> {
        let Node::Seq(items) = &self.node.value else {
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .map(|(i, v)| At {
                node: v,
                pos: Pos::of(v),
                path: format!("{}[{i}]", self.path),
            })
            .collect()
    }

    /// A mapping's entries, with their keys' text.
    pub fn entries(&self) -> Vec<(String, At<'a>)> {
        let Node::Map(entries) = &self.node.value else {
            return Vec::new();
        };
        entries
            .iter()
            .map(|(k, v)| {
                let key = k.value.key_text();
                let at = At {
                    node: v,
                    pos: value_pos(k, v),
                    path: join(&self.path, &key),
                };
                (key, at)
            })
            .collect()
    }

    /// A document's `kind`.
    pub fn kind(&self) -> Option<&'a str> {
        self.get("kind")?.str()
    }

    /// A document's `metadata.name`.
    pub fn name(&self) -> Option<&'a str> {
        self.at("metadata.name")?.str()
    }

    /// A document's `apiVersion`.
    pub fn api_version(&self) -> Option<&'a str> {
        self.get("apiVersion")?.str()
    }

    pub fn is_map(&self) -> bool {
        matches!(self.node.value, Node::Map(_))
    }

    pub fn is_null(&self) -> bool {
        matches!(self.node.value, Node::Null)
    }

    /// The value as text: a string, or a number or boolean as written.
    pub fn text(&self) -> Option<String> {
        match &self.node.value {
            Node::Str(s) => Some(s.clone()),
            Node::Int(i) => Some(i.to_string()),
            Node::Float(f) => Some(f.to_string()),
            Node::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub fn str(&self) -> Option<&'a str> {
        match &self.node.value {
            Node::Str(s) => Some(s.as_str()),
            _ => None,
        }
    }

    /// A whole number (also one written as a string, as YAML-templating
    /// tools often leave them).
    pub fn int(&self) -> Option<i128> {
        match &self.node.value {
            Node::Int(i) => Some(*i),
            Node::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Some(*f as i128),
            Node::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// A count: a whole number from 0 to u32's most.
    pub fn u32(&self) -> Option<u32> {
        self.int().and_then(|v| u32::try_from(v).ok())
    }

    /// The value at the first of `paths` that is there.
    pub fn first(&self, paths: &[&str]) -> Option<At<'a>> {
        paths.iter().find_map(|p| self.at(p))
    }

    pub fn bool(&self) -> Option<bool> {
        match &self.node.value {
            Node::Bool(b) => Some(*b),
            Node::Str(s) => match s.as_str() {
                "true" | "True" | "TRUE" => Some(true),
                "false" | "False" | "FALSE" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// The strings of a list (or of one string).
    pub fn strings(&self) -> Vec<String> {
        match &self.node.value {
            Node::Seq(items) => items
                .iter()
                .filter_map(|i| match &i.value {
                    Node::Str(s) => Some(s.clone()),
                    _ => None,
                })
                .collect(),
            Node::Str(s) => vec![s.clone()],
            _ => Vec::new(),
        }
    }

    /// The clusterctl variable a value still is (`${NAME}`), when it is one.
    pub fn unrendered(&self) -> Option<&'a str> {
        let s = self.str()?.trim();
        let inner = s.strip_prefix("${")?.strip_suffix('}')?;
        let name = inner.split([':', '=', '-']).next()?.trim();
        (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .then_some(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_their_place_and_path() {
        let doc: Spanned<Node> = serde_saphyr::from_str(
            "spec:\n  groups:\n    - name: a\n      size: 3\n    - {name: b, size: \"4\"}\n  flag: true\n  var: ${COUNT}\n",
        )
        .unwrap();
        let root = At::root(&doc);
        let groups = root.at("spec.groups").unwrap();
        assert_eq!((groups.pos.line, groups.pos.column), (2, 3));
        assert_eq!(groups.path(), "spec.groups");
        let items = groups.items();
        let size = items[0].get("size").unwrap();
        assert_eq!(size.int(), Some(3));
        assert_eq!((size.pos.line, size.pos.column), (4, 13));
        assert_eq!(size.path(), "spec.groups[0].size");
        let b = items[1].get("size").unwrap();
        assert_eq!(b.int(), Some(4));
        assert_eq!(b.path(), "spec.groups[1].size");
        assert_eq!(root.at("spec.flag").unwrap().bool(), Some(true));
        assert_eq!(root.at("spec.var").unwrap().unrendered(), Some("COUNT"));
        assert!(root.at("spec.nothing").is_none());
    }
}
