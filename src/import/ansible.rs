//! Ansible inventories as Ansible reads them: groups of hosts, children and
//! variables, host ranges (`node[01:50]`, `db-[a:c]`, `[1:10:2]`), YAML
//! inventories (`all: {hosts, children, vars}`) and the `group_vars`
//! files beside an inventory. Each group and variable keeps its place in
//! the file. The INI syntax is read in `ini.rs`.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_saphyr::Spanned;

use super::tree::At;
use crate::plan::load::{self, read_source, LoadError, Source};
use crate::plan::node::{Node, Pos};
use crate::plan::origin::Spot;
use crate::plan::schema::{Issue, IssueKind};

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
    /// The group_vars file it is in, when it is not in the inventory.
    pub file: Option<Arc<Source>>,
}

impl Var {
    pub fn text(&self) -> Option<&str> {
        self.value.text()
    }

    /// Where a finding about the variable goes.
    pub fn spot(&self) -> Spot {
        let s = Spot::new(self.pos, self.field.clone());
        match &self.file {
            Some(f) => s.in_file(f.clone()),
            None => s,
        }
    }
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
    pub oddities: Vec<Issue>,
}

/// Why an inventory cannot be read, at `pos`.
pub fn unreadable(pos: Pos, reason: String) -> Issue {
    Issue::new(IssueKind::InvalidValue, pos, "", reason, "")
}

impl Inventory {
    pub fn group(&self, name: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.name == name)
    }

    pub(super) fn group_mut(&mut self, name: &str, pos: Pos, field: String) -> &mut Group {
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
    pub(super) fn dedupe(&mut self) {
        for g in &mut self.groups {
            let mut seen = HashSet::new();
            g.hosts.retain(|h| seen.insert(h.clone()));
        }
    }
}

/// The values of one range: numbers (zero-padded as written) or letters,
/// every `step`.
fn range_values(pattern: &str, start: &str, end: &str, step: usize) -> Result<Vec<String>, String> {
    let backwards = || format!("`{pattern}`: the range ends before it starts");
    if let (Ok(a), Ok(b)) = (start.parse::<u64>(), end.parse::<u64>()) {
        if b < a {
            return Err(backwards());
        }
        if (b - a) / step as u64 > MAX_HOSTS as u64 {
            return Err(too_many(pattern));
        }
        let width = match start.len() > 1 && start.starts_with('0') {
            true => start.len(),
            false => 0,
        };
        let values = (a..=b).step_by(step).map(|i| format!("{i:0width$}"));
        return Ok(values.collect());
    }
    let letter = |s: &str| s.len() == 1 && s.chars().all(|c| c.is_ascii_alphabetic());
    if !letter(start) || !letter(end) {
        return Err(format!(
            "`{pattern}`: `[{start}:{end}]` is not a range of numbers or letters"
        ));
    }
    let (a, b) = (start.as_bytes()[0], end.as_bytes()[0]);
    if b < a {
        return Err(backwards());
    }
    Ok((a..=b)
        .step_by(step)
        .map(|i| (i as char).to_string())
        .collect())
}

fn too_many(pattern: &str) -> String {
    format!(
        "`{pattern}` expands to more than {} hosts",
        crate::prose::num(MAX_HOSTS as u64)
    )
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
    let (start, end, step) = match range.split(':').collect::<Vec<_>>().as_slice() {
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
    let values = range_values(pattern, start, end, step)?;
    let mut out = Vec::new();
    for rest in expand(tail)? {
        for v in &values {
            out.push(format!("{head}{v}{rest}"));
            if out.len() > MAX_HOSTS {
                return Err(too_many(pattern));
            }
        }
    }
    Ok(out)
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
pub fn yaml_vars(map: &At) -> BTreeMap<String, Var> {
    map.entries()
        .into_iter()
        .map(|(k, v)| {
            let var = Var {
                value: scalar(&v),
                pos: v.pos,
                field: v.path().to_string(),
                file: None,
            };
            (k, var)
        })
        .collect()
}

/// Reads a YAML inventory (`all: {hosts, children, vars}`).
pub fn parse_yaml(doc: &Spanned<Node>) -> Result<Inventory, Issue> {
    let mut inv = Inventory::default();
    let root = At::root(doc);
    let mut listed = 0;
    for (name, g) in root.entries() {
        yaml_group(&mut inv, &name, &g, &mut listed)?;
    }
    inv.dedupe();
    Ok(inv)
}

/// A group's `hosts:`, expanded. Ansible's yaml plugin turns a string into
/// a one-key mapping ("convert strings to dicts as these are allowed").
fn yaml_hosts(
    inv: &mut Inventory,
    name: &str,
    hosts: &At,
    listed: &mut usize,
) -> Result<Vec<String>, Issue> {
    let entries = match hosts.str() {
        Some(one) => {
            let one = one.trim().to_string();
            if one.contains(char::is_whitespace) {
                inv.oddities.push(Issue::new(
                    IssueKind::InvalidValue,
                    hosts.pos,
                    hosts.path(),
                    format!(
                        "the hosts of group `{name}` are the text `{one}`: Ansible reads it as one host of that name"
                    ),
                    "list each host as a key of its own line (`node1:`), as Ansible's YAML inventories take them",
                ));
            }
            vec![(one, hosts.clone())]
        }
        None => hosts.entries(),
    };
    let mut all = Vec::new();
    for (pattern, h) in entries {
        let expanded = expand(&pattern).map_err(|reason| unreadable(h.pos, reason))?;
        *listed += expanded.len();
        all.extend(expanded);
        if *listed > MAX_HOSTS {
            let reason = format!(
                "more than {} hosts in one inventory",
                crate::prose::num(MAX_HOSTS as u64)
            );
            return Err(unreadable(h.pos, reason));
        }
    }
    Ok(all)
}

/// One group of a YAML inventory and its children; `listed` counts the
/// hosts of the whole inventory against MAX_HOSTS.
fn yaml_group(inv: &mut Inventory, name: &str, g: &At, listed: &mut usize) -> Result<(), Issue> {
    inv.group_mut(name, g.pos, g.path().to_string());
    if let Some(hosts) = g.get("hosts") {
        let all = yaml_hosts(inv, name, &hosts, listed)?;
        let group = inv.group_mut(name, g.pos, g.path().to_string());
        group.hosts.extend(all);
    }
    if let Some(vars) = g.get("vars") {
        let vars = yaml_vars(&vars);
        inv.group_mut(name, g.pos, g.path().to_string())
            .vars
            .extend(vars);
    }
    let Some(children) = g.get("children") else {
        return Ok(());
    };
    let entries = match children.str() {
        Some(one) => vec![(one.trim().to_string(), children.clone())],
        None => children.entries(),
    };
    for (child, c) in entries {
        let group = inv.group_mut(name, g.pos, g.path().to_string());
        if !group.children.contains(&child) {
            group.children.push(child.clone());
        }
        if group.children_pos.is_none() {
            group.children_pos = Some((children.pos, children.path().to_string()));
        }
        yaml_group(inv, &child, &c, listed)?;
    }
    Ok(())
}

/// The variables of `groups` as Ansible layers them: each group's vars in
/// the inventory, then its files under `group_vars/` beside the inventory
/// (a later one wins).
pub fn variables(
    inv: &Inventory,
    source: &Source,
    groups: &[&str],
) -> Result<BTreeMap<String, Var>, LoadError> {
    let mut vars: BTreeMap<String, Var> = BTreeMap::new();
    for g in groups.iter().filter_map(|g| inv.group(g)) {
        vars.extend(g.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    if source.name == "<stdin>" {
        return Ok(vars);
    }
    let dir = Path::new(&source.name)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    for g in groups {
        for file in group_var_files(&dir.join("group_vars"), g) {
            let src = Arc::new(read_source(&file.to_string_lossy())?);
            for d in load::parse_yaml(&src)?
                .iter()
                .filter(|d| matches!(d.value, Node::Map(_)))
            {
                for (k, mut v) in yaml_vars(&At::root(d)) {
                    v.file = Some(src.clone());
                    vars.insert(k, v);
                }
            }
        }
    }
    Ok(vars)
}

/// A group's variable files as Ansible finds them beside an inventory:
/// `group_vars/NAME.yml` (`.yaml`, `.json`, or no extension) and every
/// such file under `group_vars/NAME/`, in name order.
fn group_var_files(dir: &Path, group: &str) -> Vec<PathBuf> {
    let ok = |p: &Path| {
        matches!(
            p.extension().and_then(|e| e.to_str()),
            None | Some("yml" | "yaml" | "json")
        ) && p.is_file()
    };
    let mut out: Vec<PathBuf> = ["", ".yml", ".yaml", ".json"]
        .iter()
        .map(|ext| dir.join(format!("{group}{ext}")))
        .filter(|f| ok(f))
        .collect();
    if let Ok(entries) = std::fs::read_dir(dir.join(group)) {
        let hidden = |p: &Path| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        };
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| ok(p) && !hidden(p))
            .collect();
        files.sort();
        out.extend(files);
    }
    out
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
        assert_eq!(expand("l[a:e:2]").unwrap(), ["la", "lc", "le"]);
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
