//! Inputs the fuzz targets found, or that sit on their edges, replayed
//! through the plan loader, lint and every renderer: no panic, and every
//! finding's line inside the file.

use kubeplan::catalog::Catalog;
use kubeplan::plan::load::source_from_bytes;
use kubeplan::plan::parse_documents;
use kubeplan::report::lint::{json, sarif, text, FileReport};
use kubeplan::report::Paint;

#[test]
fn fuzz_regression_imports_lint_without_a_panic() {
    std::thread::Builder::new()
        .stack_size(16 * 1024 * 1024)
        .spawn(replay_imports)
        .unwrap()
        .join()
        .unwrap();
}

/// As the `import` fuzz target does: the first byte picks the format (even
/// YAML, odd INI) and whether clusterctl variables are given.
fn replay_imports() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fuzz/import");
    let mut seen = 0;
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        seen += 1;
        let bytes = std::fs::read(e.path()).unwrap();
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
        let c = Catalog::builtin();
        let Ok(docs) = kubeplan::import::documents(source, &supply, c) else {
            continue;
        };
        let report = FileReport {
            file: name.into(),
            docs: docs
                .iter()
                .map(|d| (d, kubeplan::lint::lint_document(d, c)))
                .collect(),
        };
        for (_, r) in &report.docs {
            for f in r.findings.iter().filter(|f| f.file.is_none()) {
                assert!(
                    f.line >= 1 && f.line <= lines,
                    "{:?}: line {}",
                    e.path(),
                    f.line
                );
            }
        }
        let files = [report];
        let _ = (
            text(&files, Paint::default()),
            json(&files),
            sarif(&files, c),
        );
    }
    assert!(seen >= 4, "the import inputs are gone");
}

#[test]
fn fuzz_regression_inputs_lint_without_a_panic() {
    // kubeplan's own threads get 16 MiB of stack (the parser recurses per
    // nesting level); a test thread gets 2 MiB, so replay on such a thread.
    std::thread::Builder::new()
        .stack_size(16 * 1024 * 1024)
        .spawn(replay)
        .unwrap()
        .join()
        .unwrap();
}

fn replay() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fuzz/plan");
    let mut seen = 0;
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        seen += 1;
        let bytes = std::fs::read(e.path()).unwrap();
        let Ok(source) = source_from_bytes("fuzz.yaml".into(), bytes) else {
            continue;
        };
        let lines = source.text.lines().count() as u32 + 1;
        let Ok(docs) = parse_documents(source) else {
            continue;
        };
        let c = Catalog::builtin();
        let report = FileReport {
            file: "fuzz.yaml".into(),
            docs: docs
                .iter()
                .map(|d| (d, kubeplan::lint::lint_document(d, c)))
                .collect(),
        };
        for (_, r) in &report.docs {
            for f in &r.findings {
                assert!(
                    f.line >= 1 && f.line <= lines,
                    "{:?}: line {}",
                    e.path(),
                    f.line
                );
            }
        }
        let files = [report];
        let _ = (
            text(&files, Paint::default()),
            json(&files),
            sarif(&files, c),
        );
    }
    assert!(seen >= 3);
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
