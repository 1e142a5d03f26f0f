//! Inputs the fuzz targets found, or that sit on their edges, replayed
//! through the plan loader, lint and every renderer: no panic, and every
//! finding's line inside the file.

use kubeplan::catalog::Catalog;
use kubeplan::plan::load::source_from_bytes;
use kubeplan::plan::{parse_documents, Document};
use kubeplan::report::lint::{json, sarif, text, FileReport};
use kubeplan::report::Paint;

/// kubeplan's own threads get 16 MiB of stack (the parser recurses per
/// nesting level); a test thread gets 2 MiB, so replay on such a thread.
fn on_big_stack(f: fn()) {
    std::thread::Builder::new()
        .stack_size(16 * 1024 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

/// Lints the documents read from `path` and renders them every way; every
/// finding in the file itself lies inside it.
fn lint_and_render(path: &std::path::Path, name: &str, lines: u32, docs: &[Document]) {
    let c = Catalog::builtin();
    let report = FileReport {
        file: name.into(),
        docs: docs
            .iter()
            .map(|d| (d, kubeplan::lint::lint_document(d, c)))
            .collect(),
    };
    for (_, r) in &report.docs {
        for f in r.findings.iter().filter(|f| f.file.is_none()) {
            assert!(f.line >= 1 && f.line <= lines, "{path:?}: line {}", f.line);
        }
    }
    let files = [report];
    let _ = (
        text(&files, Paint::default()),
        json(&files),
        sarif(&files, c),
    );
}

/// The inputs under `tests/fixtures/fuzz/{dir}`, as (path, bytes).
fn inputs(dir: &str) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let dir = format!("{}/tests/fixtures/fuzz/{dir}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| (e.path(), std::fs::read(e.path()).unwrap()))
        .collect()
}

#[test]
fn fuzz_regression_imports_lint_without_a_panic() {
    on_big_stack(replay_imports);
}

/// As the `import` fuzz target does: the first byte picks the format (even
/// YAML, odd INI) and whether clusterctl variables are given.
fn replay_imports() {
    let all = inputs("import");
    assert!(all.len() >= 4, "the import inputs are gone");
    for (path, bytes) in all {
        let Some((&first, rest)) = bytes.split_first() else {
            continue;
        };
        let name = if first & 1 == 0 {
            "fuzz.yaml"
        } else {
            "fuzz.ini"
        };
        let mut supply = kubeplan::import::Supply::default();
        if first & 2 != 0 {
            for (k, v) in [
                ("CLUSTER_NAME", "dev"),
                ("CONTROL_PLANE_MACHINE_COUNT", "3"),
                ("WORKER_MACHINE_COUNT", "x${A:-${B}}"),
                ("POD_CIDR", "[\"10.0.0.0/8\"]"),
            ] {
                supply.vars.insert(k.into(), v.into());
            }
        }
        let Ok(source) = source_from_bytes(name.into(), rest.to_vec()) else {
            continue;
        };
        let lines = source.text.lines().count().max(1) as u32 + 1;
        if let Ok(docs) = kubeplan::import::documents(source, &supply, Catalog::builtin()) {
            lint_and_render(&path, name, lines, &docs);
        }
    }
}

#[test]
fn fuzz_regression_inputs_lint_without_a_panic() {
    on_big_stack(replay);
}

fn replay() {
    let all = inputs("plan");
    assert!(all.len() >= 3);
    for (path, bytes) in all {
        let Ok(source) = source_from_bytes("fuzz.yaml".into(), bytes) else {
            continue;
        };
        let lines = source.text.lines().count() as u32 + 1;
        if let Ok(docs) = parse_documents(source) {
            lint_and_render(&path, "fuzz.yaml", lines, &docs);
        }
    }
}

/// The same inputs through the command line, whose lint workers parse in
/// parallel threads: every run ends with a status, none by a signal.
#[test]
fn fuzz_regression_inputs_through_parallel_lint() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fuzz/plan");
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_kubeplan"))
            .args(["lint", "--format", "sarif"])
            .arg(e.path())
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/examples"))
            .output()
            .unwrap();
        assert!(
            matches!(out.status.code(), Some(0..=2)),
            "{:?}: {:?}",
            e.path(),
            out.status
        );
    }
}
