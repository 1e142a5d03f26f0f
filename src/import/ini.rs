//! Ansible inventories, INI and YAML, as Ansible reads them: groups of
//! hosts, `[group:children]`, `[group:vars]`, inline host variables,
//! comments, and host ranges (`node[01:50]`, `db-[a:c]`, `[1:10:2]`). Each
//! group and variable keeps its place in the file.

use std::collections::{BTreeMap, HashSet};

use serde_saphyr::Spanned;

use super::tree::At;
use crate::plan::node::{Node, Pos};

/// Hosts one inventory may expand to: a range like `node[1:100000000]`
/// is refused rather than expanded.
pub const MAX_HOSTS: usize = 100_000;

/// A variable's value and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Var {
    pub value: VarValue,
    pub pos: Pos,
    /// Its name as the file spells its place (`[all:vars] kube_pods_subnet`).
    pub field: String,
}

/// A variable's value: text, or a mapping (e.g. `loadbalancer_apiserver`).
#[derive(Debug, Clone, PartialEq)]
pub enum VarValue {
    Text(String),
    Map(BTreeMap<String, String>),
    Other,
}

impl VarValue {
    pub fn text(&self) -> Option<&str> {
        match self {
            VarValue::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// One group.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Group {
    pub name: String,
    /// Where the group is defined (its first `[section]` or key).
    pub pos: Pos,
    pub field: String,
    /// Hosts listed directly (ranges expanded).
    pub hosts: Vec<String>,
    pub children: Vec<String>,
    pub vars: BTreeMap<String, Var>,
    /// Where its `[name:children]` section is, when it has one.
    pub children_pos: Option<(Pos, String)>,
}

/// An inventory: its groups, in the order the file defines them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Inventory {
    pub groups: Vec<Group>,
    /// Values Ansible reads other than their author likely meant
    /// (`hosts: node1 node2` is one host named `node1 node2`).
    pub oddities: Vec<Oddity>,
}

/// A value Ansible accepts but reads differently from how it looks.
#[derive(Debug, Clone, PartialEq)]
pub struct Oddity {
    pub pos: Pos,
    pub field: String,
    pub message: String,
    pub help: String,
}

/// An inventory that cannot be read: where and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub pos: Pos,
    pub reason: String,
}

impl Inventory {
    pub fn group(&self, name: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.name == name)
    }

    fn group_mut(&mut self, name: &str, pos: Pos, field: String) -> &mut Group {
        if let Some(i) = self.groups.iter().position(|g| g.name == name) {
            return &mut self.groups[i];
        }
        self.groups.push(Group {
            name: name.to_string(),
            pos,
            field,
            ..Group::default()
        });
        self.groups.last_mut().expect("just pushed")
    }

    /// Every host of a group, its children's included, in order, once each.
    pub fn hosts(&self, name: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut seen = (HashSet::new(), HashSet::new());
        self.collect(name, &mut out, &mut seen);
        out
    }

    fn collect(
        &self,
        name: &str,
        out: &mut Vec<String>,
        seen: &mut (HashSet<String>, HashSet<String>),
    ) {
        if !seen.0.insert(name.to_string()) {
            return;
        }
        let Some(g) = self.group(name) else { return };
        for h in &g.hosts {
            if seen.1.insert(h.clone()) {
                out.push(h.clone());
            }
        }
        for c in &g.children {
            self.collect(c, out, seen);
        }
    }

    /// Each group's hosts once, in the order first listed (a host may be
    /// listed twice, as Ansible allows).
    fn dedupe(&mut self) {
        for g in &mut self.groups {
            let mut seen = HashSet::new();
            g.hosts.retain(|h| seen.insert(h.clone()));
        }
    }
}

/// Expands Ansible's host ranges: `node[01:03]` → node01, node02, node03
/// (zero-padded as written), `db-[a:c]` → db-a, db-b, db-c, an optional
/// step (`[1:9:2]`), several ranges in one name.
pub fn expand(pattern: &str) -> Result<Vec<String>, String> {
    let Some(open) = pattern.find('[') else {
        return Ok(vec![pattern.to_string()]);
    };
    let close = pattern[open..]
        .find(']')
        .map(|i| open + i)
        .ok_or_else(|| format!("`{pattern}`: a range with no closing `]`"))?;
    let (head, range, tail) = (
        &pattern[..open],
        &pattern[open + 1..close],
        &pattern[close + 1..],
    );
    let parts: Vec<&str> = range.split(':').collect();
    let (start, end, step) = match parts.as_slice() {
        [a, b] => (*a, *b, 1usize),
        [a, b, s] => (
            *a,
            *b,
            s.parse::<usize>()
                .ok()
                .filter(|s| *s > 0)
                .ok_or_else(|| format!("`{pattern}`: the step `{s}` is not a positive number"))?,
        ),
        _ => {
            return Err(format!(
                "`{pattern}`: a range is [start:end] or [start:end:step]"
            ))
        }
    };
    let mut values = Vec::new();
    if let (Ok(a), Ok(b)) = (start.parse::<u64>(), end.parse::<u64>()) {
        if b < a {
            return Err(format!("`{pattern}`: the range ends before it starts"));
        }
        if (b - a) / step as u64 > MAX_HOSTS as u64 {
            return Err(format!(
                "`{pattern}` expands to more than {} hosts",
                crate::fmt::num(MAX_HOSTS as u64)
            ));
        }
        let width = if start.len() > 1 && start.starts_with('0') {
            start.len()
        } else {
            0
        };
        let mut i = a;
        while i <= b {
            values.push(format!("{i:0width$}"));
            i += step as u64;
        }
    } else if start.len() == 1
        && end.len() == 1
        && start.chars().all(|c| c.is_ascii_alphabetic())
        && end.chars().all(|c| c.is_ascii_alphabetic())
    {
        let (a, b) = (start.as_bytes()[0], end.as_bytes()[0]);
        if b < a {
            return Err(format!("`{pattern}`: the range ends before it starts"));
        }
        let mut i = a;
        while i <= b {
            values.push((i as char).to_string());
            i = match i.checked_add(step as u8) {
                Some(n) => n,
                None => break,
            };
        }
    } else {
        return Err(format!(
            "`{pattern}`: `[{range}]` is not a range of numbers or letters"
        ));
    }
    let mut out = Vec::new();
    for rest in expand(tail)? {
        for v in &values {
            out.push(format!("{head}{v}{rest}"));
            if out.len() > MAX_HOSTS {
                return Err(format!(
                    "`{pattern}` expands to more than {} hosts",
                    crate::fmt::num(MAX_HOSTS as u64)
                ));
            }
        }
    }
    Ok(out)
}

/// Splits a line as Ansible's INI reader does (shell words, `#` starting a
/// comment after a space), with each word's column.
fn words(line: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut col = 0usize;
    let mut current: Option<(usize, String)> = None;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        col += 1;
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.get_or_insert((col, String::new())).1.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                current.get_or_insert((col, String::new()));
            }
            (None, '#') if current.is_none() => break,
            (None, c) if c.is_whitespace() => {
                if let Some(w) = current.take() {
                    out.push(w);
                }
            }
            (None, c) => current.get_or_insert((col, String::new())).1.push(c),
        }
    }
    if let Some(w) = current.take() {
        out.push(w);
    }
    out
}

/// Reads an INI inventory.
pub fn parse_ini(text: &str) -> Result<Inventory, Problem> {
    #[derive(PartialEq)]
    enum Section {
        Hosts,
        Children,
        Vars,
    }
    let mut inv = Inventory::default();
    let mut current = ("ungrouped".to_string(), Section::Hosts);
    let mut host_count = 0usize;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i as u32 + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        let indent = (raw.len() - raw.trim_start().len()) as u32 + 1;
        let pos = Pos {
            line: line_no,
            column: indent,
        };
        if trimmed.starts_with('[') {
            let Some(inner) = trimmed.strip_prefix('[').and_then(|t| t.split(']').next()) else {
                return Err(Problem {
                    pos,
                    reason: format!("`{trimmed}` is not a [section] header"),
                });
            };
            let (name, kind) = match inner.rsplit_once(':') {
                Some((n, "children")) => (n, Section::Children),
                Some((n, "vars")) => (n, Section::Vars),
                _ => (inner, Section::Hosts),
            };
            if name.is_empty() {
                return Err(Problem {
                    pos,
                    reason: "a section with no group name".into(),
                });
            }
            let field = format!("[{inner}]");
            let g = inv.group_mut(name, pos, field.clone());
            if kind == Section::Children && g.children_pos.is_none() {
                g.children_pos = Some((pos, field));
            }
            current = (name.to_string(), kind);
            continue;
        }
        let group = current.0.clone();
        match current.1 {
            Section::Children => {
                let child = trimmed.split_whitespace().next().unwrap_or("").to_string();
                inv.group_mut(&child, pos, format!("[{child}]"));
                let g = inv.group_mut(&group, pos, format!("[{group}]"));
                if !g.children.contains(&child) {
                    g.children.push(child);
                }
            }
            Section::Vars => {
                let Some((k, v)) = trimmed.split_once('=') else {
                    return Err(Problem {
                        pos,
                        reason: format!("`{trimmed}` in [{group}:vars] is not key=value"),
                    });
                };
                let (k, v) = (k.trim(), v.trim());
                let value_col = raw
                    .find(v)
                    .map_or(indent, |c| raw[..c].chars().count() as u32 + 1);
                let v = v.trim_matches(|c| c == '"' || c == '\'');
                let g = inv.group_mut(&group, pos, format!("[{group}]"));
                g.vars.insert(
                    k.to_string(),
                    Var {
                        value: VarValue::Text(v.to_string()),
                        pos: Pos {
                            line: line_no,
                            column: value_col,
                        },
                        field: format!("[{group}:vars] {k}"),
                    },
                );
            }
            Section::Hosts => {
                let ws = words(raw);
                let Some((_, pattern)) = ws.first() else {
                    continue;
                };
                // `host:port`: the port follows the last range, if any.
                let name = match pattern.rfind(']') {
                    Some(i) => match pattern[i..].find(':') {
                        Some(j) => &pattern[..i + j],
                        None => pattern.as_str(),
                    },
                    None => pattern.split(':').next().unwrap_or(pattern),
                };
                let hosts = expand(name).map_err(|reason| Problem { pos, reason })?;
                host_count += hosts.len();
                if host_count > MAX_HOSTS {
                    return Err(Problem {
                        pos,
                        reason: format!(
                            "more than {} hosts in one inventory",
                            crate::fmt::num(MAX_HOSTS as u64)
                        ),
                    });
                }
                let g = inv.group_mut(&group, pos, format!("[{group}]"));
                g.hosts.extend(hosts);
            }
        }
    }
    inv.dedupe();
    Ok(inv)
}

/// A YAML value as inventory text (a string, number or boolean).
fn scalar(at: &At) -> VarValue {
    match at.text() {
        Some(t) => VarValue::Text(t),
        None if at.is_map() => VarValue::Map(
            at.entries()
                .into_iter()
                .filter_map(|(k, v)| v.text().map(|t| (k, t)))
                .collect(),
        ),
        None => VarValue::Other,
    }
}

/// The variables of a YAML mapping (a group's `vars:`, a group_vars file).
pub fn yaml_vars(map: &At, prefix: &str) -> BTreeMap<String, Var> {
    map.entries()
        .into_iter()
        .map(|(k, v)| {
            let var = Var {
                value: scalar(&v),
                pos: v.pos,
                field: match prefix.is_empty() {
                    true => v.path().to_string(),
                    false => format!("{prefix}{k}"),
                },
            };
            (k, var)
        })
        .collect()
}

/// Reads a YAML inventory (`all: {hosts, children, vars}`).
pub fn parse_yaml(doc: &Spanned<Node>) -> Result<Inventory, Problem> {
    let mut inv = Inventory::default();
    let root = At::root(doc);
    let mut listed = 0;
    for (name, g) in root.entries() {
        yaml_group(&mut inv, &name, &g, &mut listed)?;
    }
    inv.dedupe();
    Ok(inv)
}

/// One group of a YAML inventory and its children; `listed` counts the
/// hosts of the whole inventory against MAX_HOSTS.
fn yaml_group(inv: &mut Inventory, name: &str, g: &At, listed: &mut usize) -> Result<(), Problem> {
    inv.group_mut(name, g.pos, g.path().to_string());
    if let Some(hosts) = g.get("hosts") {
        let mut all = Vec::new();
        // Ansible's yaml plugin turns a string into a one-key mapping
        // ("convert strings to dicts as these are allowed").
        let entries = match hosts.str() {
            Some(one) => {
                let one = one.trim().to_string();
                if one.contains(char::is_whitespace) {
                    inv.oddities.push(Oddity {
                        pos: hosts.pos,
                        field: hosts.path().to_string(),
                        message: format!(
                            "the hosts of group `{name}` are the text `{one}`: Ansible reads it as one host of that name"
                        ),
                        help: "list each host as a key of its own line (`node1:`), as Ansible's YAML inventories take them".into(),
                    });
                }
                vec![(one, hosts.clone())]
            }
            None => hosts.entries(),
        };
        for (pattern, h) in entries {
            let expanded = expand(&pattern).map_err(|reason| Problem { pos: h.pos, reason })?;
            *listed += expanded.len();
            all.extend(expanded);
            if *listed > MAX_HOSTS {
                return Err(Problem {
                    pos: h.pos,
                    reason: format!(
                        "more than {} hosts in one inventory",
                        crate::fmt::num(MAX_HOSTS as u64)
                    ),
                });
            }
        }
        let group = inv.group_mut(name, g.pos, g.path().to_string());
        group.hosts.extend(all);
    }
    if let Some(vars) = g.get("vars") {
        let vars = yaml_vars(&vars, "");
        inv.group_mut(name, g.pos, g.path().to_string())
            .vars
            .extend(vars);
    }
    if let Some(children) = g.get("children") {
        let entries = match children.str() {
            Some(one) => vec![(one.trim().to_string(), children.clone())],
            None => children.entries(),
        };
        for (child, c) in entries {
            {
                let group = inv.group_mut(name, g.pos, g.path().to_string());
                if !group.children.contains(&child) {
                    group.children.push(child.clone());
                }
                if group.children_pos.is_none() {
                    group.children_pos = Some((children.pos, children.path().to_string()));
                }
            }
            yaml_group(inv, &child, &c, listed)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_expand_as_ansible_does() {
        assert_eq!(
            expand("node[01:03]").unwrap(),
            ["node01", "node02", "node03"]
        );
        assert_eq!(expand("db-[a:c]").unwrap(), ["db-a", "db-b", "db-c"]);
        assert_eq!(expand("w[1:9:4]").unwrap(), ["w1", "w5", "w9"]);
        assert_eq!(
            expand("r[1:2]-[a:b]").unwrap(),
            ["r1-a", "r2-a", "r1-b", "r2-b"]
        );
        assert_eq!(expand("plain").unwrap(), ["plain"]);
        assert_eq!(expand("node[01:50]").unwrap().len(), 50);
        assert!(expand("node[5:1]").is_err());
        assert!(expand("node[1:100000000]").is_err());
        assert!(expand("node[1:3").is_err());
        assert!(expand("node[x1:3]").is_err());
    }

    #[test]
    fn ini_groups_children_vars_and_comments() {
        let inv = parse_ini(
            "# a comment\n[kube_control_plane]\nnode1 ansible_host=10.0.0.1  # ip=10.0.0.1\n; another\nnode[2:3]\n\n[etcd:children]\nkube_control_plane\n\n[kube_node]\nworker[01:04] ansible_user=\"me x\"\n[all:vars]\nkube_pods_subnet = 10.233.64.0/18\n",
        )
        .unwrap();
        assert_eq!(inv.hosts("kube_control_plane"), ["node1", "node2", "node3"]);
        assert_eq!(inv.hosts("etcd"), ["node1", "node2", "node3"]);
        assert_eq!(inv.hosts("kube_node").len(), 4);
        let etcd = inv.group("etcd").unwrap();
        assert_eq!(etcd.children_pos.as_ref().unwrap().0.line, 7);
        let v = &inv.group("all").unwrap().vars["kube_pods_subnet"];
        assert_eq!(v.value.text(), Some("10.233.64.0/18"));
        assert_eq!((v.pos.line, v.pos.column), (13, 20));
        assert_eq!(
            words("a b=\"c d\" # e"),
            vec![(1, "a".into()), (3, "b=c d".into())]
        );
        assert!(parse_ini("[kube_node]\nnode[1:3\n").is_err());
        let ports = parse_ini("[kube_node]\nw[1:2]:2222\nsolo:22\n").unwrap();
        assert_eq!(ports.hosts("kube_node"), ["w1", "w2", "solo"]);
    }

    #[test]
    fn yaml_inventories() {
        let doc: Spanned<Node> = serde_saphyr::from_str(
            "all:\n  hosts:\n    node1: {ansible_host: 10.0.0.1}\n    node2:\n  children:\n    kube_control_plane:\n      hosts:\n        node1:\n    kube_node:\n      hosts:\n        node[2:4]:\n    etcd:\n      hosts: {node1: {}}\n  vars:\n    kube_network_plugin: cilium\n",
        )
        .unwrap();
        let inv = parse_yaml(&doc).unwrap();
        assert_eq!(inv.hosts("kube_control_plane"), ["node1"]);
        assert_eq!(inv.hosts("kube_node"), ["node2", "node3", "node4"]);
        assert_eq!(inv.hosts("all").len(), 4);
        assert_eq!(inv.group("kube_node").unwrap().pos.line, 9);
        assert_eq!(
            inv.group("all").unwrap().vars["kube_network_plugin"]
                .value
                .text(),
            Some("cilium")
        );
    }
}
