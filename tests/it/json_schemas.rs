//! Every command's `--format json` output validates against the schema
//! `kubeplan schema --output COMMAND` prints, for every example (and the
//! commands that take no plan, for a few flag sets).

use std::process::Command;

fn kubeplan(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kubeplan"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("COLUMNS")
        .args(args)
        .output()
        .unwrap()
}

fn validator(command: &str) -> jsonschema::Validator {
    let out = kubeplan(&["schema", "--output", command]);
    assert!(out.status.success(), "{command}");
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    jsonschema::draft7::new(&schema).unwrap_or_else(|e| panic!("{command}: {e}"))
}

fn check(v: &jsonschema::Validator, args: &[&str]) {
    let out = kubeplan(args);
    let doc: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: not JSON: {e}"));
    let errors: Vec<String> = v
        .iter_errors(&doc)
        .take(5)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{args:?}: {errors:#?}");
}

#[test]
fn every_json_output_matches_its_schema() {
    let examples: Vec<String> = {
        let mut v: Vec<String> =
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/examples"))
                .unwrap()
                .flatten()
                .map(|e| format!("docs/examples/{}", e.file_name().to_string_lossy()))
                .collect();
        v.sort();
        v
    };
    let (lint, bom, whatif, diff) = (
        validator("lint"),
        validator("bom"),
        validator("whatif"),
        validator("diff"),
    );
    check(&lint, &["lint", "-f", "json", "docs/examples/"]);
    // Other tools' files: the upstream examples, and the import examples
    // (whose findings are on the inventory and its group_vars files).
    check(
        &lint,
        &["lint", "-f", "json", "tests/fixtures/upstream/examples/"],
    );
    check(&lint, &["lint", "-f", "json", "docs/import-examples/"]);
    let import = validator("import");
    check(
        &import,
        &["import", "-f", "json", "docs/import-examples/kops.yaml"],
    );
    for e in &examples {
        check(&lint, &["lint", "-f", "json", e]);
        check(&bom, &["bom", "-f", "json", e]);
        check(&whatif, &["whatif", "-f", "json", "--max-failures", "1", e]);
        check(
            &diff,
            &["diff", "-f", "json", e, "docs/examples/prod-eks.yaml"],
        );
    }
    let design = validator("design");
    for preset in [
        "prod-onprem",
        "prod-aws",
        "prod-azure",
        "prod-gcp",
        "learning",
        "dev-onprem",
    ] {
        check(
            &design,
            &["design", "--profile", preset, "--yes", "-f", "json"],
        );
    }
    let size = validator("size");
    check(
        &size,
        &[
            "size",
            "--platform",
            "aws",
            "--pods",
            "3000",
            "--pod-cpu",
            "0.25",
            "--pod-memory",
            "0.5",
            "--zones",
            "3",
            "-f",
            "json",
        ],
    );
    check(
        &size,
        &[
            "size",
            "--platform",
            "on-prem",
            "--pods",
            "100",
            "--pod-cpu",
            "0.5",
            "--pod-memory",
            "1",
            "--zones",
            "1",
            "-f",
            "json",
        ],
    );
    let quorum = validator("quorum");
    check(&quorum, &["quorum", "-f", "json"]);
    check(&quorum, &["quorum", "--zones", "a=2,b=2,c=1", "-f", "json"]);
    check(
        &quorum,
        &[
            "quorum",
            "--plan",
            "docs/examples/prod-onprem-external-etcd.yaml",
            "-f",
            "json",
        ],
    );
}

/// The schemas describe, not merely accept: a wrong type fails.
#[test]
fn the_schemas_refuse_a_wrong_shape() {
    let lint = validator("lint");
    let bad =
        serde_json::json!({"files": [{"file": "x", "findings": [{"rule": 1}]}], "summary": {}});
    assert!(!lint.is_valid(&bad));
    let whatif = validator("whatif");
    assert!(!whatif.is_valid(&serde_json::json!({"plan": "x", "scenarios": "none"})));
}
