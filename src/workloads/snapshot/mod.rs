//! A running cluster's snapshot: `kubectl get nodes,pods -A -o json` (a
//! `List`), separate NodeList and PodList files, or a folder of single
//! Node and Pod files. JSON is read streaming (`stream.rs`), YAML as the
//! other files are; the nodes and the pods, grouped by owner, come out.

mod build;
pub mod cluster;
pub mod stream;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use crate::plan::node::Pos;
use crate::plan::tree::At;
use crate::plan::{LoadError, Source};
use crate::workloads::model::{Res, WorkloadSet};
use crate::workloads::nodes::NodeObject;

/// One node as the snapshot shows it.
#[derive(Debug, Clone)]
pub struct SnapNode {
    /// Name, allocatable, max pods, labels and taints, as they are.
    pub obj: NodeObject,
    /// `status.capacity` (cpu, memory, …) and its pods.
    pub capacity: Res,
    pub capacity_pods: u32,
    /// The scheme of `spec.providerID` (`aws`, `gce`, `azure`, …).
    pub provider: Option<String>,
    pub control_plane: bool,
    /// Its Ready condition (true when it has none).
    pub ready: bool,
    pub file: Arc<str>,
    pub pos: Pos,
}

/// An etcd member's static pod.
#[derive(Debug, Clone, PartialEq)]
pub struct EtcdMember {
    pub pod: String,
    pub node: Option<String>,
}

/// A cluster as `kubectl get -o json` shows it.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// The file or folder, as given.
    pub name: String,
    pub nodes: Vec<SnapNode>,
    /// The pods as workloads, one per owner and pod shape.
    pub set: WorkloadSet,
    /// Each workload's pods: (node index, or None when unscheduled; name).
    pub placed: Vec<Vec<(Option<u32>, String)>>,
    /// Succeeded and Failed pods, dropped.
    pub finished: usize,
    /// Pods on nodes the snapshot does not hold, left out.
    pub elsewhere: usize,
    pub etcd: Vec<EtcdMember>,
    /// Other kinds, counted.
    pub skipped: BTreeMap<String, usize>,
    pub files: usize,
}

/// How much of a file's start is looked at to tell a snapshot.
const HEAD: usize = 64 * 1024;

/// Whether a file's first bytes are those of Node or Pod objects (a Pod
/// only when scheduled: a Pod manifest in a repository is no snapshot).
pub fn looks_like(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&head[..head.len().min(HEAD)]);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    let kinds: Vec<String> = match t.starts_with('{') {
        true => json_kinds(t),
        false => yaml_kinds(t),
    };
    let node = kinds.iter().any(|k| k == "Node" || k == "NodeList");
    let pod = kinds.iter().any(|k| k == "Pod" || k == "PodList");
    node || (pod && t.contains("nodeName"))
        || (kinds.is_empty() && t.contains("\"nodeInfo\""))
        || (kinds.is_empty() && t.contains("\"nodeName\"") && t.contains("\"containers\""))
}

/// The values of the `"kind"` keys of the top-level object and of its
/// `items` in JSON text (an owner reference's `kind` is no object's).
fn json_kinds(t: &str) -> Vec<String> {
    let b = t.as_bytes();
    let (mut out, mut depth, mut i) = (Vec::new(), 0u32, 0);
    while i < b.len() {
        match b[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                let key = t.get(start..i.min(b.len())).unwrap_or("");
                if key == "kind" && (depth == 1 || depth == 3) {
                    let rest = t.get(i + 1..).unwrap_or("").trim_start();
                    let v = rest.strip_prefix(':').map(str::trim_start);
                    if let Some(v) = v.and_then(|v| v.strip_prefix('"')) {
                        out.push(v.split('"').next().unwrap_or("").to_string());
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn read_err(path: &str, e: &std::io::Error) -> LoadError {
    LoadError::Read {
        path: path.to_string(),
        reason: e.to_string().to_lowercase(),
    }
}

/// A file's first bytes.
fn head(path: &str) -> Result<Vec<u8>, LoadError> {
    let mut buf = Vec::with_capacity(HEAD);
    std::fs::File::open(path)
        .and_then(|f| f.take(HEAD as u64).read_to_end(&mut buf))
        .map_err(|e| read_err(path, &e))?;
    Ok(buf)
}

/// Whether a path is a snapshot: a file of Node or Pod objects, or a
/// folder whose files all are (one cluster's).
pub fn is_snapshot(path: &str) -> bool {
    match Path::new(path).is_dir() {
        true => snapshot_files(path).is_ok(),
        false => path != "-" && head(path).is_ok_and(|h| looks_like(&h)),
    }
}

/// The files of a snapshot folder, recursively, sorted; an error when one
/// of its files is no snapshot's.
fn snapshot_files(dir: &str) -> Result<Vec<String>, LoadError> {
    let files = super::read::expand(dir)?;
    match files
        .iter()
        .find(|f| !head(f).is_ok_and(|h| looks_like(&h)))
    {
        Some(f) => Err(LoadError::Read {
            path: f.clone(),
            reason: "not a Node or Pod object: a snapshot folder holds only those".into(),
        }),
        None => Ok(files),
    }
}

/// Whether a file is a snapshot's pods without their nodes.
pub fn pods_only(path: &str) -> bool {
    head(path).is_ok_and(|h| looks_like(&h) && !has_nodes(&h))
}

fn has_nodes(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&head[..head.len().min(HEAD)]);
    let kinds = json_kinds(&text);
    let yaml = yaml_kinds(&text);
    kinds
        .iter()
        .chain(&yaml)
        .any(|k| k == "Node" || k == "NodeList")
        || text.contains("\"nodeInfo\"")
}

/// The `kind:` values of YAML text's documents and of a List's items (a
/// line `kind:` at most two columns in, as `kubectl get -o yaml` prints them).
fn yaml_kinds(t: &str) -> Vec<String> {
    t.lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("- ").unwrap_or(l);
            let indent = rest.len() - rest.trim_start().len() + (l.len() - rest.len());
            let v = rest.trim_start().strip_prefix("kind:")?;
            (indent <= 2).then(|| v.trim().trim_matches(['"', '\'']).to_string())
        })
        .collect()
}

/// Reads one cluster's snapshot (named `name`) from `paths`: files, and
/// folders of files; `progress` hears bytes read.
pub fn read(
    name: &str,
    paths: &[String],
    progress: &mut dyn FnMut(u64),
) -> Result<Snapshot, LoadError> {
    let mut files = Vec::new();
    for p in paths {
        match Path::new(p).is_dir() {
            true => files.extend(snapshot_files(p)?),
            false => files.push(p.clone()),
        }
    }
    let path = name;
    let mut b = build::Builder::default();
    let mut done = 0;
    for f in &files {
        let file = std::fs::File::open(f).map_err(|e| read_err(f, &e))?;
        let json = head(f)?
            .iter()
            .find(|c| !c.is_ascii_whitespace() && **c != 0xEF && **c != 0xBB && **c != 0xBF)
            .is_some_and(|c| *c == b'{');
        match json {
            true => read_json(&mut b, f, file, &mut |n| progress(done + n))?,
            false => read_yaml(&mut b, &crate::plan::load::read_source(f)?)?,
        }
        done += std::fs::metadata(f).map_or(0, |m| m.len());
        progress(done);
    }
    b.snap.files = files.len();
    b.snap.name = path.to_string();
    check(b.finish(), path)
}

/// A snapshot from text (stdin, or a file already read).
pub fn from_source(source: &Source) -> Result<Snapshot, LoadError> {
    let mut b = build::Builder::default();
    match source.text.trim_start().starts_with('{') {
        true => read_json(&mut b, &source.name, source.text.as_bytes(), &mut |_| {})?,
        false => read_yaml(&mut b, source)?,
    }
    b.snap.files = 1;
    b.snap.name = source.name.clone();
    check(b.finish(), &source.name)
}

/// What standard input holds: a snapshot's JSON, read streaming (so it
/// may be larger than a plan file may be), or text for the other readers.
pub enum Input {
    Snapshot(Snapshot),
    Text(Source),
}

/// Reads standard input: its first bytes say whether it is a snapshot's
/// JSON (`kubectl get nodes,pods -A -o json | kubeplan lint -`).
pub fn stdin() -> Result<Input, LoadError> {
    let name = "<stdin>";
    let mut head = Vec::with_capacity(HEAD);
    let mut input = std::io::stdin().lock();
    (&mut input)
        .take(HEAD as u64)
        .read_to_end(&mut head)
        .map_err(|e| read_err(name, &e))?;
    let json = head.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'{');
    if json && looks_like(&head) {
        let mut b = build::Builder::default();
        let all = std::io::Cursor::new(head).chain(input);
        read_json(&mut b, name, all, &mut |_| {})?;
        b.snap.files = 1;
        b.snap.name = name.to_string();
        return check(b.finish(), name).map(Input::Snapshot);
    }
    let limit = crate::plan::load::MAX_PLAN_BYTES + 1;
    (&mut input)
        .take(limit)
        .read_to_end(&mut head)
        .map_err(|e| read_err(name, &e))?;
    crate::plan::load::source_from_bytes(name.to_string(), head).map(Input::Text)
}

fn check(s: Snapshot, path: &str) -> Result<Snapshot, LoadError> {
    match s.nodes.is_empty() {
        true => Err(LoadError::Read {
            path: path.to_string(),
            reason: "a snapshot without Node objects: give the nodes too (kubectl get nodes,pods -A -o json), in the same folder, or name the nodes' file before it to kubeplan lint".into(),
        }),
        false => Ok(s),
    }
}

fn parse_err(path: &str, (pos, reason): (Pos, String)) -> LoadError {
    LoadError::Parse {
        path: path.to_string(),
        line: pos.line,
        column: pos.column,
        reason,
    }
}

fn read_json<R: Read>(
    b: &mut build::Builder,
    path: &str,
    r: R,
    progress: &mut dyn FnMut(u64),
) -> Result<(), LoadError> {
    let file: Arc<str> = Arc::from(path);
    let mut bad: Option<(Pos, String)> = None;
    let mut each = |node: serde_saphyr::Spanned<crate::plan::node::Node>, pos: Pos| {
        if bad.is_some() {
            return;
        }
        if let Err(e) = b.object(&At::root(&node), &file, pos) {
            bad = Some(e);
        }
    };
    let top = stream::read_json(r, &mut each, progress).map_err(|e| parse_err(path, e))?;
    if let Some(e) = bad {
        return Err(parse_err(path, e));
    }
    if top.items == 0 && !top.kind.as_deref().is_some_and(|k| k.ends_with("List")) {
        // One object: the whole file.
        let pos = Pos { line: 1, column: 1 };
        let v = serde_json::Value::Object(top.fields);
        let node = stream::to_node(v, stream::location(pos));
        b.object(&At::root(&node), &file, pos)
            .map_err(|e| parse_err(path, e))?;
    }
    Ok(())
}

fn read_yaml(b: &mut build::Builder, source: &Source) -> Result<(), LoadError> {
    let file: Arc<str> = Arc::from(source.name.as_str());
    for doc in super::read::documents(source)? {
        let root = At::root(&doc);
        if root.is_null() {
            continue;
        }
        b.object(&root, &file, root.pos)
            .map_err(|e| parse_err(&source.name, e))?;
    }
    Ok(())
}
