//! Ansible's INI inventories: `[group]`, `[group:children]` and
//! `[group:vars]` sections, inline host variables, comments, host ranges
//! and `host:port`, each group and variable with its place in the file.

use super::ansible::{expand, unreadable, Inventory, Var, VarValue, MAX_HOSTS};
use crate::plan::node::Pos;
use crate::plan::schema::Issue;

/// The kind of section a line is in.
#[derive(PartialEq)]
enum Section {
    Hosts,
    Children,
    Vars,
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
pub fn parse_ini(text: &str) -> Result<Inventory, Issue> {
    let mut inv = Inventory::default();
    let mut current = ("ungrouped".to_string(), Section::Hosts);
    let mut hosts = 0usize;
    for (i, raw) in text.lines().enumerate() {
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        let line = i as u32 + 1;
        let pos = Pos {
            line,
            column: (raw.len() - raw.trim_start().len()) as u32 + 1,
        };
        if trimmed.starts_with('[') {
            current = header(&mut inv, trimmed, pos)?;
            continue;
        }
        let group = current.0.as_str();
        match current.1 {
            Section::Children => {
                let child = trimmed.split_whitespace().next().unwrap_or("").to_string();
                inv.group_mut(&child, pos, format!("[{child}]"));
                let g = inv.group_mut(group, pos, format!("[{group}]"));
                if !g.children.contains(&child) {
                    g.children.push(child);
                }
            }
            Section::Vars => var(&mut inv, group, raw, pos)?,
            Section::Hosts => host(&mut inv, group, raw, pos, &mut hosts)?,
        }
    }
    inv.dedupe();
    Ok(inv)
}

/// A `[name]`, `[name:children]` or `[name:vars]` header: the group and
/// the kind of section it opens.
fn header(inv: &mut Inventory, trimmed: &str, pos: Pos) -> Result<(String, Section), Issue> {
    let Some(inner) = trimmed.strip_prefix('[').and_then(|t| t.split(']').next()) else {
        return Err(unreadable(
            pos,
            format!("`{trimmed}` is not a [section] header"),
        ));
    };
    let (name, kind) = match inner.rsplit_once(':') {
        Some((n, "children")) => (n, Section::Children),
        Some((n, "vars")) => (n, Section::Vars),
        _ => (inner, Section::Hosts),
    };
    if name.is_empty() {
        return Err(unreadable(pos, "a section with no group name".into()));
    }
    let field = format!("[{inner}]");
    let g = inv.group_mut(name, pos, field.clone());
    if kind == Section::Children && g.children_pos.is_none() {
        g.children_pos = Some((pos, field));
    }
    Ok((name.to_string(), kind))
}

/// A `key=value` line of a `[group:vars]` section.
fn var(inv: &mut Inventory, group: &str, raw: &str, pos: Pos) -> Result<(), Issue> {
    let trimmed = raw.trim();
    let Some((k, v)) = trimmed.split_once('=') else {
        let reason = format!("`{trimmed}` in [{group}:vars] is not key=value");
        return Err(unreadable(pos, reason));
    };
    let (k, v) = (k.trim(), v.trim());
    let column = raw
        .find(v)
        .map_or(pos.column, |c| raw[..c].chars().count() as u32 + 1);
    let v = v.trim_matches(|c| c == '"' || c == '\'');
    let g = inv.group_mut(group, pos, format!("[{group}]"));
    g.vars.insert(
        k.to_string(),
        Var {
            value: VarValue::Text(v.to_string()),
            pos: Pos {
                line: pos.line,
                column,
            },
            field: format!("[{group}:vars] {k}"),
            file: None,
        },
    );
    Ok(())
}

/// A host line (a name or range, maybe `:port`, then its variables).
fn host(
    inv: &mut Inventory,
    group: &str,
    raw: &str,
    pos: Pos,
    count: &mut usize,
) -> Result<(), Issue> {
    let ws = words(raw);
    let Some((_, pattern)) = ws.first() else {
        return Ok(());
    };
    // `host:port`: the port follows the last range, if any.
    let name = match pattern.rfind(']') {
        Some(i) => match pattern[i..].find(':') {
            Some(j) => &pattern[..i + j],
            None => pattern.as_str(),
        },
        None => pattern.split(':').next().unwrap_or(pattern),
    };
    let hosts = expand(name).map_err(|reason| unreadable(pos, reason))?;
    *count += hosts.len();
    if *count > MAX_HOSTS {
        let reason = format!(
            "more than {} hosts in one inventory",
            crate::prose::num(MAX_HOSTS as u64)
        );
        return Err(unreadable(pos, reason));
    }
    inv.group_mut(group, pos, format!("[{group}]"))
        .hosts
        .extend(hosts);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
