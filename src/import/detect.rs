//! Which format a file is: a kubeplan plan, an INI inventory (by its first
//! line), or, once parsed, the format whose apiVersion (or content) its
//! documents carry; anything else is refused in one line that says what the
//! file is and what kubeplan reads instead.

use serde_saphyr::Spanned;

use super::format::{of_api, Spec, READS};
use crate::plan::load::{LoadError, Source};
use crate::plan::node::{Node, Pos};

/// How a file looks before it is parsed.
pub(super) enum Look {
    /// Its first top-level `apiVersion` is `kubeplan/v1`.
    Plan,
    /// An Ansible INI inventory (`[group]` sections).
    Ini,
    /// Anything else: parsed, then recognised by its content.
    Other,
}

pub(super) fn look(source: &Source) -> Look {
    look_text(&source.text)
}

fn look_text(text: &str) -> Look {
    let first = text
        .lines()
        .map(str::trim_end)
        .find(|l| {
            let t = l.trim_start();
            !t.is_empty() && !t.starts_with('#') && !t.starts_with(';') && *t != *"---"
        })
        .unwrap_or("");
    if is_ini_header(first) {
        return Look::Ini;
    }
    // The first top-level apiVersion, within the first 64 KiB.
    let head = &text[..floor_char(text, 65536)];
    for line in head.lines() {
        if let Some(v) = line.strip_prefix("apiVersion:") {
            let v = v.split('#').next().unwrap_or("").trim();
            let v = v.trim_matches(|c| c == '"' || c == '\'');
            return match v == "kubeplan/v1" {
                true => Look::Plan,
                false => Look::Other,
            };
        }
    }
    Look::Other
}

/// Whether text found in a folder walk names a format kubeplan reads: a
/// plan, an INI inventory, an `apiVersion` of a cluster tool's (top-level
/// or nested, YAML or JSON), `kind: ClusterPlan`, or an Ansible YAML
/// inventory's top-level `all:` or a Kubespray group (but `etcd:`, too
/// common a key). A Deployment, a Kustomization, a Helm chart's values or
/// templates name none of these, and are skipped; a broken cluster file
/// still names its format, and is reported.
pub fn names_a_cluster_format(text: &str) -> bool {
    if matches!(look_text(text), Look::Plan | Look::Ini) {
        return true;
    }
    text.lines().any(|line| {
        let apis = values_of(line, "apiVersion");
        let kinds = values_of(line, "kind");
        if apis
            .iter()
            .any(|a| a.starts_with("kubeplan") || of_api(a).is_some())
            || kinds.contains(&"ClusterPlan")
        {
            return true;
        }
        let t = line.trim_start();
        let top = !line.starts_with([' ', '\t', '-']);
        let group = |g: &str| t.strip_prefix(g).is_some_and(|r| r.trim() == ":");
        let kubespray = crate::import::kubespray::KUBESPRAY_GROUPS
            .iter()
            .filter(|g| **g != "etcd")
            .any(|g| group(g));
        (top && group("all")) || kubespray
    })
}

/// The values of `key` on a line, YAML (`key: v`) or JSON (`"key": "v"`).
fn values_of<'a>(line: &'a str, key: &str) -> Vec<&'a str> {
    line.match_indices(key)
        .filter_map(|(i, _)| {
            let before = line[..i].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                return None;
            }
            let rest = line[i + key.len()..].trim_start_matches('"').trim_start();
            let v = rest.strip_prefix(':')?.trim_start();
            let v = v.trim_start_matches(['"', '\'']);
            let end = v
                .find(|c: char| matches!(c, '"' | '\'' | ',' | '}' | '#') || c.is_whitespace())
                .unwrap_or(v.len());
            Some(&v[..end])
        })
        .collect()
}

fn floor_char(s: &str, at: usize) -> usize {
    let mut i = at.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// An INI section header: `[name]`, `[name:children]`, `[name:vars]`.
fn is_ini_header(line: &str) -> bool {
    // A comment may follow the header (`[etcd]  # three hosts`).
    let line = line.split([';', '#']).next().unwrap_or("");
    let Some(inner) = line
        .trim()
        .strip_prefix('[')
        .and_then(|l| l.strip_suffix(']'))
    else {
        return false;
    };
    !inner.is_empty()
        && inner
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':' | '.'))
}

/// A document's top-level value of `key`.
fn top_key<'a>(doc: &'a Spanned<Node>, key: &str) -> Option<&'a Spanned<Node>> {
    let Node::Map(entries) = &doc.value else {
        return None;
    };
    entries
        .iter()
        .find(|(k, _)| k.value.key_text() == key)
        .map(|(_, v)| v)
}

/// A document's top-level string field, with the position of its value.
fn top_str(doc: &Spanned<Node>, key: &str) -> Option<(String, Pos)> {
    top_key(doc, key).and_then(|v| match &v.value {
        Node::Str(s) => Some((s.clone(), Pos::of(v))),
        _ => None,
    })
}

pub(super) fn parse_error(source: &Source, pos: Pos, reason: String) -> LoadError {
    LoadError::Parse {
        path: source.name.clone(),
        line: pos.line.max(1),
        column: pos.column.max(1),
        reason,
    }
}

/// What a parsed file is.
pub(super) enum Class {
    Plan,
    Tool(&'static Spec),
}

/// What the documents' apiVersions say: a plan, a tool's format, or the
/// first Kubernetes manifest (its kind, apiVersion and where).
#[derive(Default)]
struct Seen {
    plan: bool,
    tool: Option<&'static Spec>,
    manifest: Option<(String, String, Pos)>,
}

/// Reads every document's apiVersion; refuses a version of a tool's format
/// kubeplan does not read.
fn scan(source: &Source, docs: &[&Spanned<Node>]) -> Result<Seen, LoadError> {
    let mut seen = Seen::default();
    for d in docs {
        // A plan, even one with a wrong apiVersion (its schema says so).
        if top_str(d, "kind").is_some_and(|(k, _)| k == "ClusterPlan") {
            seen.plan = true;
            return Ok(seen);
        }
        let Some((api, at)) = top_str(d, "apiVersion") else {
            continue;
        };
        if api.starts_with("kubeplan") {
            seen.plan = true;
            return Ok(seen);
        }
        if let Some(f) = of_api(&api) {
            if let Some(why) = f.refusal(&api) {
                return Err(parse_error(source, at, why));
            }
            // Kubelet and kube-proxy configurations ride along in kubeadm
            // files; another tool's object decides the file's format.
            seen.tool.get_or_insert(f);
            continue;
        }
        if seen.manifest.is_none() {
            seen.manifest = Some(match top_str(d, "kind") {
                Some((kind, pos)) => (kind, api, pos),
                None => (String::new(), api, at),
            });
        }
    }
    Ok(seen)
}

/// Recognises a parsed file, or says in one line what it is and what
/// kubeplan reads instead.
pub(super) fn classify(source: &Source, docs: &[Spanned<Node>]) -> Result<Class, LoadError> {
    let docs: Vec<&Spanned<Node>> = docs
        .iter()
        .filter(|d| !matches!(d.value, Node::Null))
        .collect();
    let seen = scan(source, &docs)?;
    if seen.plan {
        return Ok(Class::Plan);
    }
    if let Some(f) = seen.tool {
        return Ok(Class::Tool(f));
    }
    // A format known by its content (a cluster snapshot's Node objects are
    // Kubernetes objects too).
    let by_content = super::FORMATS
        .iter()
        .copied()
        .find(|f| f.detect.is_some_and(|known| docs.iter().any(|d| known(d))));
    if let Some(f) = by_content {
        return Ok(Class::Tool(f));
    }
    if let Some((kind, api, at)) = seen.manifest {
        let what = match kind.is_empty() {
            true => format!("`apiVersion: {api}` with no kind (such as a Helm Chart.yaml) is"),
            false => format!("`kind: {kind}` ({api}) is a Kubernetes manifest,"),
        };
        return Err(parse_error(
            source,
            at,
            format!("{what} not a cluster file; {}", *READS),
        ));
    }
    // No apiVersion at all: a plan that lost its apiVersion, or something else.
    let plan_like = docs
        .iter()
        .any(|d| ["spec", "metadata"].iter().any(|k| top_key(d, k).is_some()));
    if plan_like || docs.is_empty() {
        return Ok(Class::Plan);
    }
    Err(not_a_cluster_file(source, docs[0]))
}

/// What a document that is no cluster file is, in one line.
fn not_a_cluster_file(source: &Source, first: &Spanned<Node>) -> LoadError {
    let what = match &first.value {
        Node::Map(entries) => {
            let keys: Vec<String> = entries
                .iter()
                .take(4)
                .map(|(k, _)| k.value.key_text())
                .collect();
            let more = if entries.len() > 4 { ", …" } else { "" };
            format!(
                "a YAML mapping with no apiVersion or kind (its keys: {}{more}), such as a Helm values file",
                keys.join(", ")
            )
        }
        other => format!("YAML holding {}", other.describe()),
    };
    parse_error(
        source,
        Pos::of(first),
        format!("{what}, not a cluster file; {}", *READS),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_formats_by_their_text() {
        for yes in [
            "apiVersion: kubeplan/v1\nkind: ClusterPlan\n",
            "# a broken plan\nkind: ClusterPlan\nspec: [\n",
            "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\n",
            "apiVersion: eksctl.io/v1alpha3\n",
            "---\napiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n",
            "{\"apiVersion\": \"cluster.x-k8s.io/v1beta1\", \"kind\": \"Cluster\"}",
            "all:\n  hosts: {}\n",
            "nodes:\n  children:\n    kube_node:\n      hosts: {}\n",
            "[kube_control_plane]\nnode1\n",
        ] {
            assert!(names_a_cluster_format(yes), "{yes}");
        }
        for no in [
            "apiVersion: apps/v1\nkind: Deployment\n",
            "resources:\n- deploy.yaml\n",
            "apiVersion: v2\nname: app\n",
            "replicaCount: 2\netcd:\n  enabled: true\n",
            "metadata:\n  name: {{ .Release.Name }}\n",
        ] {
            assert!(!names_a_cluster_format(no), "{no}");
        }
    }

    #[test]
    fn ini_headers() {
        assert!(is_ini_header("[kube_control_plane]"));
        assert!(is_ini_header("[etcd:children]"));
        assert!(is_ini_header("[kube_node]  # workers"));
        assert!(!is_ini_header("[a, b]"));
        assert!(!is_ini_header("[]"));
        assert!(!is_ini_header("apiVersion: v1"));
    }
}
