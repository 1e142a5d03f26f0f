//! Every command's `--format json` output validates against the schema
//! `kubeplan schema --output COMMAND` prints, for every example (and the
//! commands that take no plan, for a few flag sets).

use crate::common::run as kubeplan;

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
    // With pods: a plan's workloads, and a running cluster's snapshot.
    let shop = "docs/workloads-example/shop.yaml";
    for e in [
        "docs/examples/prod-eks.yaml",
        "docs/examples/prod-onprem-stacked.yaml",
    ] {
        check(
            &whatif,
            &[
                "whatif",
                "-f",
                "json",
                "--max-failures",
                "1",
                e,
                "--workloads",
                shop,
            ],
        );
    }
    check(
        &whatif,
        &["whatif", "-f", "json", "docs/import-examples/snapshot.yaml"],
    );
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
    check(
        &size,
        &[
            "size",
            "--platform",
            "aws",
            "--zones",
            "3",
            "--workloads",
            "docs/workloads-example/shop.yaml",
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

/// The plan schema's node at a dotted path (`spec.workers[0].maxPods`;
/// `*` for any key of a mapping), following `$ref`s and the `anyOf` of
/// optional values. None when the path is not in the plan.
fn schema_at<'a>(
    root: &'a serde_json::Value,
    mut node: &'a serde_json::Value,
    path: &str,
) -> Option<&'a serde_json::Value> {
    let resolve = |mut n: &'a serde_json::Value| loop {
        if let Some(r) = n["$ref"].as_str() {
            n = &root["definitions"][r.trim_start_matches("#/definitions/")];
        } else if let Some(any) = n["anyOf"]
            .as_array()
            .or(n["oneOf"].as_array())
            .or(n["allOf"].as_array())
        {
            n = any.iter().find(|a| a["type"] != "null")?;
        } else {
            return Some(n);
        }
    };
    for seg in path.split('.') {
        let (key, index) = match seg.split_once('[') {
            Some((k, _)) => (k, true),
            None => (seg, false),
        };
        node = resolve(node)?;
        node = match key {
            // A key the code picks from the type's own fields.
            "*" => node
                .get("additionalProperties")
                .filter(|a| a.is_object())
                .or_else(|| node["properties"].as_object()?.values().next())?,
            k => node["properties"]
                .get(k)
                .or_else(|| node.get("additionalProperties").filter(|a| a.is_object()))?,
        };
        if index {
            node = &resolve(node)?["items"];
        }
    }
    resolve(node)
}

/// Every plan field the source names (`"spec.workers[{i}].maxPods"` in a
/// rule, an importer's `from`) is a field of the plan's schema: a typo
/// would put a finding at the top of the file. Paths into other tools'
/// files (read with `.at(…)`) and unit tests are left out.
#[test]
fn every_plan_field_the_source_names_is_in_the_schema() {
    let root: serde_json::Value =
        serde_json::from_str(kubeplan::plan::schema::JSON_SCHEMA).unwrap();
    let mut files = Vec::new();
    collect_rs(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
        &mut files,
    );
    let (mut checked, mut bad) = (0, Vec::new());
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for line in code.lines() {
            let other_tool = [".at(", ".get(", ".first(&[", "at(&format!("]
                .iter()
                .any(|call| line.contains(call));
            if other_tool {
                continue;
            }
            for literal in plan_paths(line) {
                let path = literal
                    .replace("{i}", "0")
                    .replace("{j}", "0")
                    .replace("{IGNORE_ANNOTATION}", "*")
                    .replace("{UNKNOWN_ANNOTATION}", "*")
                    .replace(".{field}", ".*")
                    .replace("kubeplan.io/ignore", "*");
                let path = path.trim_end_matches('.');
                checked += 1;
                if schema_at(&root, &root, path).is_none() {
                    bad.push(format!("{}: `{literal}`", f.display()));
                }
            }
        }
    }
    assert!(checked > 50, "{checked} paths checked");
    assert!(bad.is_empty(), "not plan fields:\n{}", bad.join("\n"));
}

/// The string literals of a line that start with `spec.` or `metadata.`.
fn plan_paths(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    for start in ["\"spec.", "\"metadata."] {
        for (i, _) in line.match_indices(start) {
            let rest = &line[i + 1..];
            if let Some(end) = rest.find('"') {
                let lit = &rest[..end];
                if lit
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_.[]{}/".contains(c))
                {
                    out.push(lit.to_string());
                }
            }
        }
    }
    out
}

fn collect_rs(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_rs(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}
