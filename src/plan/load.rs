//! Reading plan files: paths, folders and stdin in; located documents out.
//!
//! YAML goes through serde-saphyr: it keeps the line and column of every node
//! (each finding needs them), refuses duplicate keys, and bounds nesting depth,
//! node count and alias expansion with its budget, so a hostile file cannot
//! exhaust memory. serde_yaml is archived and its libyaml port unmaintained.

pub use super::documents::{each_document, parse_documents};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_saphyr::Spanned;

use super::model::ClusterPlan;
use super::node::{Node, Pos};
use super::schema::{self, Issue, IssueKind, Locations};
use super::yaml::{parse_options, yaml_reason};
pub use super::yaml::{MAX_ALIASES, MAX_DEPTH, MAX_DOCUMENTS, MAX_EVENTS, MAX_NODES};

/// Plan files larger than this are refused before they are read.
pub const MAX_PLAN_BYTES: u64 = 16 * 1024 * 1024;

/// A file (or stdin) and its text.
#[derive(Debug)]
pub struct Source {
    /// The name shown in messages: the path as given, or `<stdin>`.
    pub name: String,
    pub text: String,
    /// Where each line starts, built on the first `line()` call, so showing
    /// every finding of a large file stays linear in its size.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

/// Two sources are the same when their name and text are.
impl PartialEq for Source {
    fn eq(&self, other: &Source) -> bool {
        self.name == other.name && self.text == other.text
    }
}

impl Source {
    pub fn new(name: String, text: String) -> Source {
        Source {
            name,
            text,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line(&self, line: u32) -> Option<&str> {
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let start = *starts.get(line.checked_sub(1)? as usize)?;
        let rest = &self.text[start..];
        let l = rest.split('\n').next().unwrap_or("");
        Some(l.strip_suffix('\r').unwrap_or(l))
    }
}

/// One plan document of a file, checked against the schema.
#[derive(Debug, Clone)]
pub struct Document {
    pub source: Arc<Source>,
    /// 0-based index of the document in its file.
    pub index: usize,
    /// The typed plan; None when the document has schema problems.
    pub plan: Option<ClusterPlan>,
    pub issues: Vec<Issue>,
    pub locs: Locations,
}

/// Input that cannot be read or parsed: exit status 2.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum LoadError {
    #[error("{path}: {reason}")]
    Read { path: String, reason: String },
    #[error("{path}:{line}:{column}: {reason}")]
    Parse {
        path: String,
        line: u32,
        column: u32,
        reason: String,
    },
}

pub(super) fn read_err(path: &str, reason: impl Into<String>) -> LoadError {
    LoadError::Read {
        path: path.to_string(),
        reason: reason.into(),
    }
}

fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "no such file or directory".into(),
        PermissionDenied => "permission denied".into(),
        IsADirectory => "is a directory".into(),
        InvalidData => "not UTF-8 text".into(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_lowercase(),
                None => text,
            }
        }
    }
}

/// Expands the command-line arguments into files: a folder stands for every
/// `*.yaml`/`*.yml` inside it (recursively, sorted), `-` for stdin.
pub fn expand_paths(args: &[String]) -> Result<Vec<String>, LoadError> {
    let mut out = Vec::new();
    for arg in args {
        if arg == "-" {
            out.push(arg.clone());
            continue;
        }
        let path = Path::new(arg);
        let meta = std::fs::metadata(path).map_err(|e| read_err(arg, io_reason(&e)))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk_dir(path, &mut found).map_err(|e| read_err(arg, io_reason(&e)))?;
            if found.is_empty() {
                return Err(read_err(
                    arg,
                    "folder holds no .yaml or .yml file (nor an Ansible inventory)",
                ));
            }
            found.sort();
            out.extend(found.into_iter().map(|p| p.to_string_lossy().into_owned()));
        } else {
            out.push(arg.clone());
        }
    }
    Ok(out)
}

/// The `.yaml`/`.yml` files below `dir`, and the Ansible INI inventories
/// (`inventory.ini`, `hosts.ini`, or any `.ini` beside a `group_vars`
/// folder). Hidden files and folders (`.git`, `.kubeplan.yaml`, `.github/`)
/// are not plans, as with git and ruff; `group_vars` and `host_vars` hold
/// an inventory's variables, read with the inventory, not on their own.
fn walk_dir(dir: &Path, found: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let inventory_dir = dir.join("group_vars").is_dir();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            if !matches!(name.as_str(), "group_vars" | "host_vars") {
                walk_dir(&path, found)?;
            }
            continue;
        }
        match path.extension().and_then(|e| e.to_str()) {
            Some("yaml" | "yml") => found.push(path),
            Some("ini")
                if inventory_dir || matches!(name.as_str(), "inventory.ini" | "hosts.ini") =>
            {
                found.push(path)
            }
            _ => {}
        }
    }
    Ok(())
}

/// Reads one file (or stdin for `-`) as UTF-8 text, refusing binary, oversized
/// and non-UTF-8 input with a clear reason.
pub fn read_source(arg: &str) -> Result<Source, LoadError> {
    let (name, bytes) = if arg == "-" {
        let name = "<stdin>".to_string();
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_PLAN_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| read_err(&name, io_reason(&e)))?;
        (name, buf)
    } else {
        let meta = std::fs::metadata(arg).map_err(|e| read_err(arg, io_reason(&e)))?;
        if meta.is_dir() {
            return Err(read_err(arg, "is a directory"));
        }
        #[cfg(unix)]
        if std::os::unix::fs::FileTypeExt::is_fifo(&meta.file_type()) {
            // Opening a named pipe blocks until a writer comes, as `cat` does:
            // say what kubeplan is waiting for.
            eprintln!("kubeplan: waiting for input on {arg} (a named pipe)");
        }
        if meta.len() > MAX_PLAN_BYTES {
            return Err(read_err(arg, too_large(meta.len())));
        }
        // Sized from the metadata: one read for a regular file.
        let mut buf = Vec::with_capacity(meta.len() as usize + 1);
        std::fs::File::open(arg)
            .and_then(|f| f.take(MAX_PLAN_BYTES + 1).read_to_end(&mut buf))
            .map_err(|e| read_err(arg, io_reason(&e)))?;
        (arg.to_string(), buf)
    };
    source_from_bytes(name, bytes)
}

fn too_large(len: u64) -> String {
    format!(
        "file is {:.1} MiB; plan files are limited to {} MiB",
        len as f64 / 1048576.0,
        MAX_PLAN_BYTES / 1048576
    )
}

/// Turns raw bytes into a source, with the checks `read_source` promises.
pub fn source_from_bytes(name: String, bytes: Vec<u8>) -> Result<Source, LoadError> {
    if bytes.len() as u64 > MAX_PLAN_BYTES {
        // Reading stops past the limit, so the size is only known to be over it.
        return Err(read_err(
            &name,
            format!(
                "more than {} MiB; plan files are limited to {} MiB",
                MAX_PLAN_BYTES / 1048576,
                MAX_PLAN_BYTES / 1048576
            ),
        ));
    }
    if utf16(&bytes) {
        return Err(read_err(
            &name,
            "UTF-16 text; kubeplan reads UTF-8: save the file as UTF-8",
        ));
    }
    if let Some(at) = bytes.iter().position(|b| *b == 0) {
        let (line, column) = line_col(&bytes, at);
        return Err(LoadError::Parse {
            path: name,
            line,
            column,
            reason: "binary data (a NUL byte), not a YAML text file".into(),
        });
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let (line, column) = line_col(e.as_bytes(), at);
            return Err(LoadError::Parse {
                path: name,
                line,
                column,
                reason: "not UTF-8 text (plan files must be UTF-8)".into(),
            });
        }
    };
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    if text.trim().is_empty() {
        return Err(read_err(&name, "file is empty"));
    }
    Ok(Source::new(name, lone_cr_to_lf(text)))
}

/// A carriage return not followed by a line feed ends a line in YAML, so it
/// is read as one: the parser's line numbers and the lines shown with a
/// finding then agree (old Mac line endings, or stray CRs).
fn lone_cr_to_lf(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

/// UTF-16 text: its byte-order mark, or ASCII with a NUL beside every byte.
fn utf16(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let head = &bytes[..bytes.len().min(64) & !1];
    head.len() >= 4
        && (head.chunks(2).all(|c| c[1] == 0 && c[0] != 0)
            || head.chunks(2).all(|c| c[0] == 0 && c[1] != 0))
}

fn line_col(bytes: &[u8], at: usize) -> (u32, u32) {
    let before = &bytes[..at];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line as u32, column as u32)
}

/// The YAML documents of a source, with positions; a syntax error is a
/// located `LoadError`.
pub fn parse_yaml(source: &Source) -> Result<Vec<Spanned<Node>>, LoadError> {
    serde_saphyr::from_multiple_with_options(&source.text, parse_options())
        .map_err(|e| yaml_error(source, e))
}

pub fn yaml_error(source: &Source, e: serde_saphyr::Error) -> LoadError {
    let reason = yaml_reason(&e.without_snippet().to_string());
    match e.location().map(Pos::at) {
        Some(p) if p.line > 0 => LoadError::Parse {
            path: source.name.clone(),
            line: p.line,
            column: p.column.max(1),
            reason,
        },
        _ => read_err(&source.name, reason),
    }
}

/// A Kubernetes manifest passed by mistake: one finding that says what it
/// is, instead of a schema error for every field it has.
fn not_a_plan(doc: &Spanned<Node>) -> Option<Issue> {
    let Node::Map(entries) = &doc.value else {
        return None;
    };
    let field = |name: &str| {
        entries
            .iter()
            .find(|(k, _)| k.value.key_text() == name)
            .and_then(|(_, v)| match &v.value {
                Node::Str(s) => Some((s.clone(), Pos::of(v))),
                _ => None,
            })
    };
    let (kind, pos) = field("kind")?;
    if kind == "ClusterPlan" {
        return None;
    }
    let api = field("apiVersion").map_or_else(|| "no apiVersion".to_string(), |(a, _)| a);
    Some(Issue::new(
        IssueKind::NotACluster,
        pos,
        "kind",
        format!("`kind: {kind}` ({api}) is a Kubernetes manifest, not a cluster file"),
        "move it out of the cluster file: a document kubeplan cannot read is bad input (exit 2), as the same manifest alone in a file is",
    ))
}

pub fn check_document(source: Arc<Source>, index: usize, doc: Spanned<Node>) -> Document {
    if let Some(issue) = not_a_plan(&doc) {
        return Document {
            source,
            index,
            plan: None,
            issues: vec![issue],
            locs: Default::default(),
        };
    }
    let doc_pos = Pos::of(&doc);
    let (value, mut issues, locs) = schema::check(doc, &source);
    let mut plan = None;
    if issues.is_empty() {
        match serde_json::from_value::<ClusterPlan>(value) {
            Ok(p) => plan = Some(p),
            Err(e) => issues.push(Issue::new(
                IssueKind::InvalidValue,
                doc_pos,
                "(document)",
                format!("the document is not a valid plan: {e}"),
                "compare it with `kubeplan schema`",
            )),
        }
    }
    Document {
        source,
        index,
        plan,
        issues,
        locs,
    }
}

/// Reads and parses every file the arguments name.
pub fn load_path_list(args: &[String]) -> Result<Vec<Document>, LoadError> {
    let mut docs = Vec::new();
    for path in expand_paths(args)? {
        docs.extend(parse_documents(read_source(&path)?)?);
    }
    Ok(docs)
}

/// Parses a single-document YAML source (not a plan: e.g. a `design` answers
/// file) against a JSON Schema. The first problem is the error, with its line
/// and column; `what` names the document in messages ("answers").
pub fn parse_one<T: serde::de::DeserializeOwned>(
    source: &Source,
    root: &serde_json::Value,
    what: &str,
) -> Result<(T, Locations), LoadError> {
    parse_one_with(source, root, what, &|_, _| Ok(()))
}

/// A top-level value's rewrite before the schema check (a quantity string
/// read as its number); an error is the value's, at its position.
pub type Rewrite<'a> = dyn Fn(&str, &mut Spanned<Node>) -> Result<(), String> + 'a;

/// `parse_one`, with each top-level value of the document rewritten first.
pub fn parse_one_with<T: serde::de::DeserializeOwned>(
    source: &Source,
    root: &serde_json::Value,
    what: &str,
    rewrite: &Rewrite<'_>,
) -> Result<(T, Locations), LoadError> {
    let docs = parse_yaml(source)?;
    let mut docs = docs.into_iter().filter(|d| !matches!(d.value, Node::Null));
    let Some(doc) = docs.next() else {
        return Err(read_err(&source.name, format!("file is empty: no {what}")));
    };
    if let Some(extra) = docs.next() {
        let p = Pos::of(&extra);
        return Err(LoadError::Parse {
            path: source.name.clone(),
            line: p.line,
            column: p.column,
            reason: format!("a second YAML document; an {what} file holds one"),
        });
    }
    let mut doc = doc;
    if let Node::Map(entries) = &mut doc.value {
        for (k, v) in entries.iter_mut() {
            rewrite(&k.value.key_text(), v).map_err(|reason| {
                let p = Pos::of(v);
                LoadError::Parse {
                    path: source.name.clone(),
                    line: p.line,
                    column: p.column,
                    reason,
                }
            })?;
        }
    }
    let doc_pos = Pos::of(&doc);
    let (value, issues, locs) = schema::check_with(doc, root, source);
    if let Some(i) = issues.first() {
        return Err(LoadError::Parse {
            path: source.name.clone(),
            line: i.problem.at.pos.line,
            column: i.problem.at.pos.column,
            reason: format!("{}; {}", i.problem.message, i.problem.help),
        });
    }
    let typed = serde_json::from_value(value).map_err(|e| {
        let p = doc_pos;
        LoadError::Parse {
            path: source.name.clone(),
            line: p.line,
            column: p.column,
            reason: format!("not valid {what}: {e}"),
        }
    })?;
    Ok((typed, locs))
}
