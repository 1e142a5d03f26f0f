//! Inputs the fuzz targets found, or that sit on their edges, replayed
//! through the targets' own harness (`kubeplan::fuzz`): the plan loader or
//! an importer, lint and every renderer, with no panic and every finding's
//! line inside the file.

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

/// The import target's inputs, through its harness (the first byte picks
/// the format, even YAML and odd INI, and whether clusterctl variables are
/// given).
fn replay_imports() {
    let all = inputs("import");
    assert!(all.len() >= 4, "the import inputs are gone");
    for (path, bytes) in all {
        eprintln!("{}", path.display());
        kubeplan::fuzz::import(&bytes);
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
        eprintln!("{}", path.display());
        kubeplan::fuzz::plan(&bytes);
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

/// The snapshot harness (`fuzz/fuzz_targets/snapshot.rs`, 120,000 runs
/// found nothing) on the example snapshot and on every cut of it, as YAML
/// and as kubectl's JSON: no panic, whatever the bytes end on.
#[test]
fn snapshot_cuts_read_without_a_panic() {
    on_big_stack(|| {
        let yaml =
            std::fs::read(crate::common::path("docs/import-examples/snapshot.yaml")).unwrap();
        let node = r#"{"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1", "labels": {"topology.kubernetes.io/zone": "a"}}, "spec": {"providerID": "aws:///a/i-1"}, "status": {"allocatable": {"cpu": "2", "memory": "4Gi", "pods": "110"}}}"#;
        let pod = r#"{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "a\"b\\c", "ownerReferences": [{"kind": "ReplicaSet", "name": "w-1", "controller": true}]}, "spec": {"nodeName": "n1", "containers": [{"name": "c", "image": "x", "resources": {"requests": {"cpu": "1"}}}]}}"#;
        let json = format!("{{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n        {node},\n        {pod}\n    ],\n    \"kind\": \"List\"\n}}\n");
        for text in [yaml, json.into_bytes()] {
            kubeplan::fuzz::snapshot(&text);
            for cut in (1..text.len()).step_by(7) {
                kubeplan::fuzz::snapshot(&text[..cut]);
            }
        }
    });
}
