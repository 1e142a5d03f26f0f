//! No module imports from a layer above it, or from a sibling of its own
//! layer: the order is the one `docs/architecture.md` states.

use std::collections::HashMap;
use std::path::Path;

fn layers() -> Vec<Vec<String>> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/architecture.md"))
        .expect("docs/architecture.md");
    let line = doc
        .lines()
        .find_map(|l| l.strip_prefix("Layers, bottom to top: "))
        .expect("docs/architecture.md states the layers");
    line.split('|')
        .map(|l| l.split(',').map(|m| m.trim().to_string()).collect())
        .collect()
}

/// The top-level modules a source file names with `crate::`.
fn imports(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.push(name);
            }
        } else {
            out.push(
                rest.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect(),
            );
        }
    }
    out.retain(|m| !m.is_empty());
    out
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn no_module_imports_from_above_or_beside() {
    let rank: HashMap<String, usize> = layers()
        .into_iter()
        .enumerate()
        .flat_map(|(i, l)| l.into_iter().map(move |m| (m, i)))
        .collect();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut bad = Vec::new();
    for f in &all {
        let rel = f.strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let top = top.trim_end_matches(".rs").to_string();
        if top == "lib" || top == "main" {
            continue;
        }
        let own = *rank
            .get(&top)
            .unwrap_or_else(|| panic!("{top} is in no layer of docs/architecture.md"));
        for m in imports(&std::fs::read_to_string(f).unwrap()) {
            if m == top {
                continue;
            }
            match rank.get(&m) {
                None => bad.push(format!("{}: crate::{m} is in no layer", rel.display())),
                Some(&r) if r >= own => bad.push(format!(
                    "{}: `{top}` uses `{m}`, which is {} it",
                    rel.display(),
                    if r == own { "beside" } else { "above" }
                )),
                _ => {}
            }
        }
    }
    assert!(bad.is_empty(), "layer violations:\n{}", bad.join("\n"));
}

#[test]
fn the_checker_sees_grouped_imports() {
    assert_eq!(
        imports("use crate::{catalog::Catalog, plan};\nlet x = crate::prose::num(1);"),
        ["catalog", "plan", "prose"]
    );
}
