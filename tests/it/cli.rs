//! The command line as a user meets it: exit codes, formats, bad input.

use std::io::Write;

use serde_json::Value;

use crate::common::{example, kubeplan};

fn json_of(out: &[u8]) -> Value {
    serde_json::from_slice(out)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(out)))
}

fn rules_fired(v: &Value) -> Vec<String> {
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["findings"].as_array().unwrap().iter())
        .map(|x| x["rule"].as_str().unwrap().to_string())
        .collect()
}

fn lint_json(path: &str) -> (i32, Value) {
    let out = kubeplan()
        .args(["lint", "--format", "json", path])
        .output()
        .unwrap();
    (out.status.code().unwrap(), json_of(&out.stdout))
}

/// Exit 2 with one clear stderr line naming the file, and nothing on stdout
/// (lint: only the file's `input-unreadable` finding).
fn assert_input_error(args: &[&str], stdin: Option<Vec<u8>>, expect_in_message: &[&str]) {
    let mut cmd = kubeplan();
    cmd.args(args);
    if let Some(bytes) = stdin {
        cmd.write_stdin(bytes);
    }
    let out = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "args {args:?}: stderr {err}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lint_finding = args[0] == "lint" && stdout.contains("error[input-unreadable]");
    assert!(
        out.stdout.is_empty() || lint_finding,
        "stdout should be empty: {stdout}"
    );
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "one line expected: {err}"
    );
    assert!(err.starts_with("kubeplan: error: "), "{err}");
    for want in expect_in_message {
        assert!(err.contains(want), "`{want}` not in: {err}");
    }
    assert!(!err.contains("panicked") && !err.contains("Os {"), "{err}");
}

#[test]
fn classic_two_control_plane_design_is_flagged() {
    let (code, v) = lint_json(&example("classic-two-control-planes.yaml"));
    assert_eq!(code, 1);
    let fired = rules_fired(&v);
    for id in [
        "etcd-even-members",
        "etcd-no-fault-tolerance",
        "api-lb-single-point-of-failure",
    ] {
        assert!(
            fired.contains(&id.to_string()),
            "{id} missing from {fired:?}"
        );
    }
    let f = &v["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["rule"] == "etcd-even-members")
        .unwrap()
        .clone();
    assert_eq!(f["field"], "spec.etcd.members");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(19), Some(14))
    );
    assert_eq!(
        f["message"],
        "etcd has 2 members: quorum 2, tolerates 0 failures, the same as 1 member"
    );
}

#[test]
fn haproxy_on_one_control_plane_node_is_flagged() {
    let (code, v) = lint_json(&example("haproxy-on-one-control-plane.yaml"));
    assert_eq!(code, 1);
    let findings = v["files"][0]["findings"].as_array().unwrap();
    let spof = findings
        .iter()
        .find(|x| x["rule"] == "api-lb-single-point-of-failure")
        .expect("fires");
    assert!(spof["message"]
        .as_str()
        .unwrap()
        .contains("one control-plane node"));
}

#[test]
fn clean_examples_have_no_errors_or_warnings() {
    for name in [
        "dev-1cp-2w.yaml",
        "learning-minikube.yaml",
        "prod-onprem-stacked.yaml",
        "prod-onprem-external-etcd.yaml",
        "prod-eks.yaml",
        "prod-gke.yaml",
        "prod-aks.yaml",
        "prod-kops.yaml",
    ] {
        let (code, v) = lint_json(&example(name));
        assert_eq!(code, 0, "{name}");
        assert_eq!(v["summary"]["errors"], 0, "{name}: {v:#}");
        assert_eq!(v["summary"]["warnings"], 0, "{name}: {v:#}");
        let out = kubeplan()
            .args(["lint", "--fail-on", "info", &example(name)])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn text_output_is_rustc_style_with_source_and_help() {
    let out = kubeplan()
        .args(["lint", &example("classic-two-control-planes.yaml")])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "classic-two-control-planes.yaml:19:14: error[etcd-even-members]: etcd has 2 members"
        ),
        "{text}"
    );
    assert!(text.contains("19 |     members: 2"), "{text}");
    assert!(text.contains("= help: use 3 members"), "{text}");
    assert!(
        text.contains("summary: 4 errors, 0 warnings, 1 info in 1 plan"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "no colour when not a terminal");
    let coloured = kubeplan()
        .args([
            "--color",
            "always",
            "lint",
            &example("classic-two-control-planes.yaml"),
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&coloured.stdout).contains('\u{1b}'));
}

#[test]
fn fail_on_sets_the_exit_status() {
    let f = example("classic-two-control-planes.yaml");
    let pc = kubeplan()
        .args(["lint", "--fail-on", "error", &f])
        .output()
        .unwrap();
    assert_eq!(pc.status.code(), Some(1));
    // A plan with only an info finding: exit 0 by default, 1 with --fail-on info.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("info.yaml");
    let text = std::fs::read_to_string(example("prod-onprem-stacked.yaml"))
        .unwrap()
        .replace("zones: [rack-a, rack-b, rack-c]", "zones: [rack-a]");
    std::fs::write(&p, text).unwrap();
    let p = p.to_str().unwrap();
    assert_eq!(
        kubeplan().args(["lint", p]).output().unwrap().status.code(),
        Some(0)
    );
    assert_eq!(
        kubeplan()
            .args(["lint", "--fail-on", "warning", p])
            .output()
            .unwrap()
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        kubeplan()
            .args(["lint", "--fail-on", "info", p])
            .output()
            .unwrap()
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn folders_stdin_and_multi_document_files() {
    let out = kubeplan()
        .args(["lint", "--format", "json", &example("")])
        .output()
        .unwrap();
    let v = json_of(&out.stdout);
    assert_eq!(v["summary"]["files"], 10);
    let two = format!(
        "{}---\n{}",
        std::fs::read_to_string(example("dev-1cp-2w.yaml")).unwrap(),
        std::fs::read_to_string(example("classic-two-control-planes.yaml")).unwrap()
    );
    let out = kubeplan()
        .args(["lint", "--format", "json", "-"])
        .write_stdin(two)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v = json_of(&out.stdout);
    assert_eq!(v["files"][0]["file"], "<stdin>");
    assert_eq!(v["summary"]["plans"], 2);
    let even = v["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["rule"] == "etcd-even-members")
        .unwrap()
        .clone();
    // Lines count from the top of the file, across documents.
    let dev_lines = std::fs::read_to_string(example("dev-1cp-2w.yaml"))
        .unwrap()
        .lines()
        .count() as u64;
    assert_eq!(even["line"].as_u64().unwrap(), dev_lines + 1 + 19);
    assert_eq!(even["document"], 1);
}

#[test]
fn ignore_annotation_silences_and_counts() {
    let text = std::fs::read_to_string(example("classic-two-control-planes.yaml")).unwrap().replace(
        "  name: classic-two-cp\n",
        "  name: classic-two-cp\n  annotations:\n    kubeplan.io/ignore: \"etcd-even-members, production-single-zone\"\n",
    );
    let out = kubeplan()
        .args(["lint", "--format", "json", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    let v = json_of(&out.stdout);
    let fired = rules_fired(&v);
    assert!(!fired.contains(&"etcd-even-members".to_string()));
    assert!(fired.contains(&"etcd-no-fault-tolerance".to_string()));
    assert_eq!(v["summary"]["ignored"], 2);
}

#[test]
fn schema_problems_are_all_reported_at_once() {
    let text = "apiVersion: kubeplan/v2\nkind: ClusterPlan\nmetadata:\n  name: Bad_Name\nspec:\n  purpose: prodution\n  contolPlane: {nodes: 3}\n  workers:\n    - name: w\n      nodes: -1\n      machine: {cpu: many, memoryGiB: 8}\n  network: {podCIDR: 10.0.0.0/33, serviceCIDR: 10.96.0.0/12}\n  workload: {kind: web, pods: 99999999999999999999999}\n";
    let out = kubeplan()
        .args(["lint", "--format", "json", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v = json_of(&out.stdout);
    let findings = v["files"][0]["findings"].as_array().unwrap();
    let find = |field: &str| {
        findings
            .iter()
            .find(|x| x["field"] == field)
            .unwrap_or_else(|| panic!("{field} not reported: {v:#}"))
    };
    assert_eq!(find("apiVersion")["rule"], "schema-invalid-value");
    assert_eq!(find("metadata.name")["rule"], "schema-invalid-value");
    let purpose = find("spec.purpose");
    assert!(purpose["help"]
        .as_str()
        .unwrap()
        .contains("did you mean `production`"));
    assert_eq!(
        (purpose["line"].as_u64(), purpose["column"].as_u64()),
        (Some(6), Some(12))
    );
    let unknown = find("spec.contolPlane");
    assert_eq!(unknown["rule"], "schema-unknown-field");
    assert!(unknown["help"]
        .as_str()
        .unwrap()
        .contains("did you mean `controlPlane`"));
    assert!(find("spec.platform")["rule"] == "schema-missing-field");
    assert!(find("spec.workers[0].nodes")["message"]
        .as_str()
        .unwrap()
        .contains("negative"));
    assert!(find("spec.workers[0].machine.cpu")["message"]
        .as_str()
        .unwrap()
        .contains("expected a number"));
    assert_eq!(find("spec.network.podCIDR")["rule"], "schema-invalid-value");
    assert!(
        find("spec.workload.pods")["message"]
            .as_str()
            .unwrap()
            .contains("whole number")
            || find("spec.workload.pods")["message"]
                .as_str()
                .unwrap()
                .contains("beyond")
    );
}

#[test]
fn bad_durations_are_schema_findings() {
    let text = std::fs::read_to_string(example("prod-onprem-stacked.yaml"))
        .unwrap()
        .replace("leaseDuration: 15s", "leaseDuration: 15");
    let out = kubeplan()
        .args(["lint", "--format", "json", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    let v = json_of(&out.stdout);
    let f = &v["files"][0]["findings"][0];
    assert_eq!(f["rule"], "schema-invalid-value");
    assert_eq!(f["field"], "spec.controlPlane.leaderElection.leaseDuration");
}

#[test]
fn sarif_is_structurally_valid() {
    for (file, expect_results) in [
        ("classic-two-control-planes.yaml", true),
        ("prod-gke.yaml", false),
    ] {
        let out = kubeplan()
            .args(["lint", "--format", "sarif", &example(file)])
            .output()
            .unwrap();
        let v = json_of(&out.stdout);
        assert_eq!(v["version"], "2.1.0");
        assert!(v["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
        let run = &v["runs"][0];
        let rules = run["tool"]["driver"]["rules"]
            .as_array()
            .expect("tool.driver.rules");
        assert_eq!(rules.len(), kubeplan::lint::RULES.len());
        for r in rules {
            assert!(
                r["id"].is_string()
                    && r["shortDescription"]["text"].is_string()
                    && r["help"]["text"].is_string()
            );
            assert!(["error", "warning", "note"]
                .contains(&r["defaultConfiguration"]["level"].as_str().unwrap()));
        }
        let results = run["results"].as_array().expect("results is an array");
        assert_eq!(!results.is_empty(), expect_results, "{file}");
        for res in results {
            let idx = res["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[idx]["id"], res["ruleId"]);
            assert!(["error", "warning", "note"].contains(&res["level"].as_str().unwrap()));
            assert!(res["message"]["text"].is_string());
            let region = &res["locations"][0]["physicalLocation"]["region"];
            assert!(
                region["startLine"].as_u64().unwrap() >= 1
                    && region["startColumn"].as_u64().unwrap() >= 1
            );
            assert!(res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].is_string());
        }
    }
}

#[test]
fn unreadable_input_exits_2_with_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    assert_input_error(
        &["lint", &p("missing.yaml")],
        None,
        &["missing.yaml", "no such file"],
    );
    std::fs::write(p("empty.yaml"), "").unwrap();
    assert_input_error(&["lint", &p("empty.yaml")], None, &["empty.yaml", "empty"]);
    std::fs::write(p("bin.yaml"), b"apiVersion: kubeplan/v1\n\x00\x01\x02").unwrap();
    assert_input_error(&["lint", &p("bin.yaml")], None, &["bin.yaml:2:1", "binary"]);
    std::fs::write(p("latin1.yaml"), b"metadata:\n  name: caf\xe9\n").unwrap();
    assert_input_error(
        &["lint", &p("latin1.yaml")],
        None,
        &["latin1.yaml:2:12", "UTF-8"],
    );
    std::fs::write(p("broken.yaml"), "spec:\n  zones: [a, b\n  purpose: x\n").unwrap();
    assert_input_error(
        &["lint", &p("broken.yaml")],
        None,
        &["broken.yaml:", "not valid YAML"],
    );
    std::fs::create_dir(p("nothing")).unwrap();
    std::fs::write(dir.path().join("nothing/readme.txt"), "hi").unwrap();
    assert_input_error(
        &["lint", &p("nothing")],
        None,
        &["nothing", "no .yaml or .yml"],
    );
    let deep = format!("a: {}{}", "[".repeat(100_000), "]".repeat(100_000));
    std::fs::write(p("deep.yaml"), deep).unwrap();
    assert_input_error(&["lint", &p("deep.yaml")], None, &["deep.yaml"]);
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..9 {
        let prev = (b'a' + i) as char;
        let next = (b'b' + i) as char;
        bomb.push_str(&format!(
            "{next}: &{next} [{}]\n",
            vec![format!("*{prev}"); 10].join(", ")
        ));
    }
    std::fs::write(p("bomb.yaml"), bomb).unwrap();
    assert_input_error(&["lint", &p("bomb.yaml")], None, &["bomb.yaml", "alias"]);
    let mut big = std::fs::File::create(p("big.yaml")).unwrap();
    let line = format!("# {}\n", "x".repeat(1000));
    for _ in 0..50_000 {
        big.write_all(line.as_bytes()).unwrap();
    }
    drop(big);
    assert_input_error(
        &["lint", &p("big.yaml")],
        None,
        &["big.yaml", "limited to 16 MiB"],
    );
    assert_input_error(&["lint", "-"], Some(Vec::new()), &["<stdin>", "empty"]);
}

#[test]
fn crlf_and_byte_order_mark_are_fine() {
    let text = std::fs::read_to_string(example("classic-two-control-planes.yaml"))
        .unwrap()
        .replace('\n', "\r\n");
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(text.as_bytes());
    let out = kubeplan()
        .args(["lint", "--format", "json", "-"])
        .write_stdin(bytes)
        .output()
        .unwrap();
    let v = json_of(&out.stdout);
    let even = v["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["rule"] == "etcd-even-members")
        .unwrap()
        .clone();
    assert_eq!(
        (even["line"].as_u64(), even["column"].as_u64()),
        (Some(19), Some(14))
    );
    let out = kubeplan()
        .args(["lint", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\r'));
}

#[test]
fn quorum_table_matches_the_formula() {
    let out = kubeplan()
        .args([
            "quorum", "--format", "json", "1", "2", "3", "4", "5", "6", "7", "8", "9",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = json_of(&out.stdout);
    for (i, row) in v.as_array().unwrap().iter().enumerate() {
        let n = i as u64 + 1;
        assert_eq!(row["members"].as_u64(), Some(n));
        assert_eq!(row["quorum"].as_u64(), Some(n / 2 + 1));
        assert_eq!(row["faultTolerance"].as_u64(), Some(n - (n / 2 + 1)));
    }
    let text = String::from_utf8(kubeplan().arg("quorum").output().unwrap().stdout).unwrap();
    assert!(text.contains("even: no gain over 3"), "{text}");
    let over =
        String::from_utf8(kubeplan().args(["quorum", "9"]).output().unwrap().stdout).unwrap();
    assert!(over.contains("not advised"), "{over}");
}

#[test]
fn quorum_zone_verdicts() {
    let v = json_of(
        &kubeplan()
            .args(["quorum", "--zones", "a=2,b=2,c=1", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(v["members"], 5);
    assert_eq!(v["quorum"], 3);
    assert_eq!(v["faultTolerance"], 2);
    assert_eq!(v["survivesAnyZoneLoss"], true);
    assert_eq!(
        v["zones"][0],
        serde_json::json!({"zone": "a", "members": 2, "survives": true})
    );
    let v = json_of(
        &kubeplan()
            .args(["quorum", "--zones", "a=2,b=1", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(v["survivesAnyZoneLoss"], false);
    assert_eq!(v["zones"][0]["survives"], false);
    assert_eq!(v["zones"][1]["survives"], true);
    let v = json_of(
        &kubeplan()
            .args([
                "quorum",
                "--plan",
                &example("prod-onprem-external-etcd.yaml"),
                "--format",
                "json",
            ])
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(v["members"], 5);
    assert_eq!(v["survivesAnyZoneLoss"], true);
    let text = String::from_utf8(
        kubeplan()
            .args(["quorum", "--zones", "a=2,b=1"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(text.contains("does NOT survive losing zone a"), "{text}");
    // The verdict is the exit status, so `kubeplan quorum` can gate CI.
    let status = |zones: &str| {
        kubeplan()
            .args(["quorum", "--zones", zones])
            .output()
            .unwrap()
    };
    assert_eq!(status("a=2,b=1").status.code(), Some(1));
    assert_eq!(status("a=2,b=2,c=1").status.code(), Some(0));
    // Even or too many members: a warning on stderr, whatever the layout.
    let even = status("a=2,b=2");
    assert_eq!(
        even.status.code(),
        Some(1),
        "2+2 loses quorum with either zone"
    );
    let err = String::from_utf8_lossy(&even.stderr);
    assert!(
        err.contains("warning: 4 members: quorum 3, tolerates 1 failure, no more than 3"),
        "{err}"
    );
    let nine = status("a=3,b=3,c=3");
    assert_eq!(nine.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&nine.stderr).contains("more than the 7 etcd advises"));
    assert!(status("a=1,b=1,c=1").stderr.is_empty());
    assert_input_error(&["quorum", "--zones", "a=two"], None, &["--zones", "two"]);
    assert_input_error(
        &["quorum", "--plan", &example("prod-eks.yaml")],
        None,
        &["managed"],
    );
}

#[test]
fn rules_explain_schema_completions() {
    let out = kubeplan()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        json_of(&out.stdout).as_array().unwrap().len(),
        kubeplan::lint::RULES.len()
    );
    let text = String::from_utf8(
        kubeplan()
            .args(["explain", "etcd-even-members"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    for h in ["What it checks", "Why it matters", "Fix", "Example"] {
        assert!(text.contains(h), "{h} missing");
    }
    assert_input_error(
        &["explain", "etcd-even-member"],
        None,
        &["did you mean `etcd-even-members`"],
    );
    let schema = json_of(&kubeplan().arg("schema").output().unwrap().stdout);
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(schema["additionalProperties"], false);
    assert!(schema["required"]
        .as_array()
        .unwrap()
        .contains(&Value::from("spec")));
    // `schema addresses`: export's hosts file; the example in docs/export.md
    // (and docs/plan-format.md) passes it, a misspelled key does not.
    let schema = json_of(
        &kubeplan()
            .args(["schema", "addresses"])
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    let keys: Vec<&String> = schema["properties"].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "controlPlane",
            "etcd",
            "interface",
            "loadBalancers",
            "virtualIP"
        ]
    );
    let v = jsonschema::draft7::new(&schema).unwrap();
    for doc in ["docs/export.md", "docs/plan-format.md"] {
        let text =
            std::fs::read_to_string(format!("{}/{doc}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let start = text.find("```yaml\nvirtualIP:").expect(doc) + 8;
        let block = &text[start..start + text[start..].find("```").unwrap()];
        let example: Value = serde_saphyr::from_str(block).unwrap();
        assert!(v.is_valid(&example), "{doc}: {block}");
        let mut wrong = example.clone();
        wrong["loadBalancer"] = Value::Array(vec![]);
        assert!(!v.is_valid(&wrong));
    }
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = kubeplan().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert!(String::from_utf8_lossy(&out.stdout).contains("kubeplan"));
    }
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(
        kubeplan().arg("lint").output().unwrap().status.code(),
        Some(2)
    );
    assert_eq!(
        kubeplan()
            .args(["lint", "--format", "xml", "x"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        kubeplan().arg("frobnicate").output().unwrap().status.code(),
        Some(2)
    );
}

#[test]
fn cli_definition_is_consistent() {
    use clap::CommandFactory;
    kubeplan::cli::Cli::command().debug_assert();
}

/// Messages that used to mislead (issue 10) say what is wrong.
#[test]
fn hostile_input_messages_name_the_real_problem() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let write = |name: &str, bytes: Vec<u8>| {
        let p = d.join(name);
        std::fs::write(&p, bytes).unwrap();
        p.to_string_lossy().into_owned()
    };
    let deep = format!("{}{}", "{a: ".repeat(10_000), "}".repeat(10_000));
    let deep = write("deep.yaml", deep.into_bytes());
    assert_input_error(&["lint", &deep], None, &["nesting deeper than 32 levels"]);
    let mut u16 = vec![0xFF, 0xFE];
    for b in b"apiVersion: kubeplan/v1\n" {
        u16.extend([*b, 0]);
    }
    let u16 = write("u16.yaml", u16);
    assert_input_error(&["lint", &u16], None, &["UTF-16 text"]);
    assert_input_error(
        &["lint", "-"],
        Some(vec![b'a'; 17 * 1024 * 1024]),
        &["more than 16 MiB"],
    );
    let dup = write("dup.yaml", b"pods: 1\npods: 2\n".to_vec());
    let o = kubeplan()
        .args(["design", "--answers", &dup, "--yes"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("duplicate mapping key: pods; each key may appear once"),
        "{err}"
    );
    assert!(!err.contains("DuplicateKeyPolicy"), "{err}");
    // Numbers too large for any type are echoed as written, digit for digit.
    for (written, bound) in [
        ("18446744073709551616", "past the largest"),
        (
            "123456789012345678901234567890123456789012345",
            "past the largest",
        ),
        ("-18446744073709551616", "below the smallest"),
        ("1.5e30", "past the largest"),
    ] {
        let big = write("big.yaml", format!("pods: {written}\n").into_bytes());
        let o = kubeplan()
            .args(["design", "--answers", &big, "--yes"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            err.contains(&format!("`pods`: {written} is {bound} whole number")),
            "{err}"
        );
    }
    let plan = std::fs::read_to_string(example("prod-onprem-stacked.yaml"))
        .unwrap()
        .replace("members: 3", "members: 18446744073709551616");
    let o = kubeplan()
        .args(["lint", &write("big-plan.yaml", plan.into_bytes())])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("`spec.etcd.members`: 18446744073709551616 is past the largest"),
        "{out}"
    );
    let o = kubeplan()
        .args([
            "design",
            "--profile",
            "prod-aws",
            "--pod-cpu",
            "NaN",
            "--yes",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("`NaN` is not a number"));
    let manifest = write(
        "deploy.yaml",
        b"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 2}\n"
            .to_vec(),
    );
    // A Kubernetes manifest is no cluster file: one line naming what it is
    // and what kubeplan reads, exit 2 (nothing could be linted).
    let o = kubeplan().args(["lint", &manifest]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(":2:7: `kind: Deployment` (apps/v1) is a Kubernetes manifest, not a cluster file; kubeplan reads kubeplan plans (kubeplan/v1), eksctl ClusterConfigs"),
        "{err}"
    );
}

/// The parser's budgets hold a 16 MB file of about 11,600 plans: the
/// document and node budgets are checked against a real plan's node count,
/// and a file of 1,000 plans lints (the full size is a benchmark:
/// `benches/lint.sh`).
#[test]
fn a_file_of_thousands_of_plans_lints() {
    use kubeplan::plan::load::{MAX_DOCUMENTS, MAX_EVENTS, MAX_NODES};
    let one = std::fs::read_to_string(example("prod-onprem-stacked.yaml")).unwrap();
    let value: Value = serde_saphyr::from_str(&one).unwrap();
    fn count(v: &Value) -> usize {
        1 + match v {
            Value::Object(m) => m.iter().map(|(_, x)| 1 + count(x)).sum(),
            Value::Array(a) => a.iter().map(count).sum(),
            _ => 0,
        }
    }
    let nodes = count(&value);
    const _: () = assert!(MAX_DOCUMENTS >= 11_574 && MAX_EVENTS >= 2 * MAX_NODES);
    assert!(MAX_NODES >= 11_574 * nodes, "{nodes} nodes per plan");
    let dir = tempfile::tempdir().unwrap();
    let many: Vec<String> = (0..1_000)
        .map(|i| one.replacen("name: ", &format!("name: p{i}-"), 1))
        .collect();
    let path = dir.path().join("many.yaml");
    std::fs::write(&path, many.join("\n---\n")).unwrap();
    let (code, v) = lint_json(path.to_str().unwrap());
    assert_eq!(code, 0, "{}", v["summary"]);
    assert_eq!(v["summary"]["plans"], 1_000);
}

/// A source's lines by number, with CRLF endings dropped and none past the end.
#[test]
fn source_lines_by_number() {
    let s = kubeplan::plan::load::Source::new("x".into(), "a\r\nbb\n\nccc".into());
    assert_eq!(
        (1..=5).map(|n| s.line(n)).collect::<Vec<_>>(),
        [Some("a"), Some("bb"), Some(""), Some("ccc"), None]
    );
    assert_eq!(s.line(0), None);
}

/// Files are linted in parallel, reported in their order.
#[test]
fn parallel_lint_reports_files_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let one = std::fs::read_to_string(example("prod-onprem-stacked.yaml")).unwrap();
    for i in 0..60 {
        std::fs::write(dir.path().join(format!("plan-{i:03}.yaml")), &one).unwrap();
    }
    let (code, v) = lint_json(dir.path().to_str().unwrap());
    assert_eq!(code, 0);
    let names: Vec<String> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            f["file"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names.len(), 60);
    assert_eq!(names, sorted);
}

/// A file that cannot be parsed does not lose the others: they are linted
/// and printed (a complete JSON, SARIF or text report), the broken file's
/// error goes to stderr with its line and column, the summary counts it, and
/// the exit status is 2. When no file could be read, stdout stays empty.
#[test]
fn an_unreadable_file_among_many_loses_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(example("classic-two-control-planes.yaml")).unwrap();
    for i in 0..30 {
        std::fs::write(dir.path().join(format!("plan-{i:02}.yaml")), &good).unwrap();
    }
    std::fs::write(
        dir.path().join("plan-15b.yaml"),
        "apiVersion: kubeplan/v1\nspec: [unclosed\n",
    )
    .unwrap();
    let path = dir.path().to_str().unwrap();
    for format in ["json", "sarif", "text"] {
        let out = kubeplan()
            .args(["lint", "--format", format, path])
            .output()
            .unwrap();
        // The broken file is an error finding of its own; the others are
        // linted; unreadable input makes the exit status 2.
        assert_eq!(out.status.code(), Some(2), "{format}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("plan-15b.yaml:") && stderr.lines().count() == 1,
            "{format}: {stderr}"
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        match format {
            "json" => {
                let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
                assert_eq!(v["files"].as_array().unwrap().len(), 31);
                assert_eq!(v["summary"]["unreadable"], 1);
                assert_eq!(v["summary"]["files"], 31);
                let bad = v["files"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|f| f["file"].as_str().unwrap().ends_with("plan-15b.yaml"))
                    .unwrap();
                assert_eq!(bad["findings"][0]["rule"], "input-unreadable");
                assert_eq!(
                    (
                        bad["findings"][0]["line"].as_u64(),
                        bad["findings"][0]["column"].as_u64()
                    ),
                    (Some(2), Some(7))
                );
            }
            "sarif" => {
                let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
                let run = &v["runs"][0];
                let results = run["results"].as_array().unwrap();
                assert!(results.len() >= 31, "{}", results.len());
                assert!(results.iter().any(|r| r["ruleId"] == "input-unreadable"));
                let notes = &run["invocations"][0]["toolExecutionNotifications"];
                assert_eq!(notes[0]["descriptor"]["id"], "input-unreadable");
                assert_eq!(run["invocations"][0]["executionSuccessful"], false);
            }
            _ => {
                assert!(
                    stdout.contains("plan-15b.yaml:2:7: error[input-unreadable]"),
                    "{stdout}"
                );
                assert!(
                    stdout.ends_with("in 30 plans; 1 file could not be read\n"),
                    "{stdout}"
                );
            }
        }
    }
    // Every input unreadable: exit 2, the finding still reported.
    let only_bad = dir.path().join("plan-15b.yaml");
    let out = kubeplan()
        .args(["lint", "--format", "json", only_bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["files"][0]["findings"][0]["rule"], "input-unreadable");
}

/// `kubeplan lint plans/ | head -1`: a reader that stops early ends the run
/// quietly, without an error and without checking every remaining file.
#[test]
fn a_closed_pipe_ends_lint_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let plan = std::fs::read_to_string(example("classic-two-control-planes.yaml")).unwrap();
    for i in 0..400 {
        std::fs::write(dir.path().join(format!("plan-{i:03}.yaml")), &plan).unwrap();
    }
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kubeplan"))
        .args(["lint", "--color", "never", dir.path().to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // stdout is closed here: the next write fails with a broken pipe.
    let out = child.wait_with_output().unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{:?}", out.status);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `kubeplan export`: the files land in the cluster's folder, nothing is
/// overwritten without --force, a target that does not apply and a plan
/// with lint errors are refused with nothing written.
#[test]
fn export_writes_refuses_and_overwrites_as_asked() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_kubeplan"))
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    let stacked = example("prod-onprem-stacked.yaml");
    let out = run(&["export", &stacked]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let folder = dir.path().join("shop-prod");
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "check_apiserver.sh",
            "haproxy.cfg",
            "keepalived-shop-prod-lb-1.conf",
            "keepalived-shop-prod-lb-2.conf",
            "kubeadm-init.yaml",
            "kubeadm-join-control-plane.yaml",
            "kubeadm-join-worker.yaml",
            "storageclasses.yaml"
        ]
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("apply, in this order:"), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("documentation addresses"));
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(folder.join("check_apiserver.sh"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o111, 0o111, "the check script is executable");
    // Again: refused, nothing changed; with --force: rewritten.
    std::fs::write(folder.join("haproxy.cfg"), "mine\n").unwrap();
    let out = run(&["export", &stacked]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("exists; pass --force"));
    assert_eq!(
        std::fs::read_to_string(folder.join("haproxy.cfg")).unwrap(),
        "mine\n"
    );
    let out = run(&["export", "--force", "--to", "haproxy", &stacked]);
    assert_eq!(out.status.code(), Some(0));
    assert!(std::fs::read_to_string(folder.join("haproxy.cfg"))
        .unwrap()
        .contains("backend apiserverbackend"));
    // A target that does not apply; a plan with lint errors: nothing written.
    let out = run(&[
        "export",
        "-d",
        "eks",
        "--to",
        "haproxy",
        &example("prod-eks.yaml"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("whose load balancer is the provider's"));
    let out = run(&[
        "export",
        "-d",
        "bad",
        &example("classic-two-control-planes.yaml"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[etcd-even-members]"));
    assert!(!dir.path().join("eks").exists() && !dir.path().join("bad").exists());
}

/// `kubeplan export` works for every example without lint errors: each
/// writes its files (scripts executable) and the apply order; the cloud
/// plans, which take no addresses, say nothing about addresses.
#[test]
fn export_works_for_every_example() {
    let dir = tempfile::tempdir().unwrap();
    let root = format!("{}/docs/examples", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut exported = 0;
    for name in names {
        let out = dir.path().join(&name);
        let o = kubeplan()
            .arg("export")
            .arg(example(&name))
            .arg("-d")
            .arg(&out)
            .output()
            .unwrap();
        let mut err = String::from_utf8_lossy(&o.stderr).into_owned();
        let mut o = o;
        let (code, lint) = lint_json(&example(&name));
        if lint["summary"]["errors"].as_u64() > Some(0) {
            // Refused for its lint errors, nothing written; exported with --allow-errors.
            assert_eq!((code, o.status.code()), (1, Some(1)), "{name}: {err}");
            assert!(
                err.contains("--allow-errors") && !out.exists(),
                "{name}: {err}"
            );
            o = kubeplan()
                .args(["export", "--allow-errors", &example(&name), "-d"])
                .arg(&out)
                .output()
                .unwrap();
            err = String::from_utf8_lossy(&o.stderr).into_owned();
        }
        let stdout = String::from_utf8_lossy(&o.stdout);
        if name == "learning-minikube.yaml" {
            // minikube has no files: the one command instead, exit 2.
            assert_eq!(o.status.code(), Some(2), "{name}: {err}");
            assert!(err.contains("`minikube start --cpus"), "{err}");
            continue;
        }
        assert_eq!(o.status.code(), Some(0), "{name}: {err}");
        assert!(stdout.contains("apply, in this order:"), "{name}: {stdout}");
        let cloud = ["prod-eks", "prod-gke", "prod-aks", "prod-kops"]
            .iter()
            .any(|c| name.starts_with(c));
        assert_eq!(
            err.contains("documentation addresses"),
            !cloud,
            "{name}: {err}"
        );
        use std::os::unix::fs::PermissionsExt;
        for f in std::fs::read_dir(&out).unwrap().flatten() {
            let mode = f.metadata().unwrap().permissions().mode();
            let script = f.file_name().to_string_lossy().ends_with(".sh");
            assert_eq!(mode & 0o111 != 0, script, "{name}: {:?}", f.file_name());
        }
        exported += 1;
    }
    assert!(exported >= 7, "{exported}");
}

/// An addresses file fills in the hosts; one that cannot serve the plan is
/// a one-line error naming the file, and nothing is written.
#[test]
fn export_takes_the_hosts_from_an_addresses_file() {
    let dir = tempfile::tempdir().unwrap();
    let addresses = "virtualIP: 10.0.0.10\ninterface: bond0\ncontrolPlane:\n  - {name: cp1, ip: 10.0.0.11}\n  - {name: cp2, ip: 10.0.0.12}\n  - {name: cp3, ip: 10.0.0.13}\nloadBalancers:\n  - {name: lb1, ip: 10.0.0.21}\n  - {name: lb2, ip: 10.0.0.22}\n";
    std::fs::write(dir.path().join("hosts.yaml"), addresses).unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_kubeplan"))
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    let stacked = example("prod-onprem-stacked.yaml");
    let out = run(&["export", "--addresses", "hosts.yaml", "-d", "out", &stacked]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("documentation"));
    let cfg = std::fs::read_to_string(dir.path().join("out/haproxy.cfg")).unwrap();
    assert!(
        cfg.contains("server cp2 10.0.0.12:6443 check verify none"),
        "{cfg}"
    );
    let ka = std::fs::read_to_string(dir.path().join("out/keepalived-lb2.conf")).unwrap();
    assert!(
        ka.contains("state BACKUP") && ka.contains("interface bond0") && ka.contains("10.0.0.10")
    );
    std::fs::write(
        dir.path().join("few.yaml"),
        "virtualIP: 10.0.0.10\ncontrolPlane:\n  - {name: cp1, ip: 10.0.0.11}\n",
    )
    .unwrap();
    let out = run(&["export", "--addresses", "few.yaml", "-d", "few", &stacked]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.trim(),
        "kubeplan: error: few.yaml: `controlPlane` lists 1 host(s); the plan has 3"
    );
    std::fs::write(dir.path().join("typo.yaml"), "virtualIp: 10.0.0.10\n").unwrap();
    let out = run(&["export", "--addresses", "typo.yaml", "-d", "typo", &stacked]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("typo.yaml:1:1:") && err.contains("virtualIP"),
        "{err}"
    );
    assert!(!dir.path().join("few").exists() && !dir.path().join("typo").exists());
}

/// A document with schema errors is never exported, even with --allow-errors:
/// there is no plan to make files from, and nothing is written.
#[test]
fn export_refuses_a_document_that_is_not_a_plan() {
    let dir = tempfile::tempdir().unwrap();
    let broken = std::fs::read_to_string(example("prod-onprem-stacked.yaml"))
        .unwrap()
        .replace("nodes: 3", "nodes: three");
    std::fs::write(dir.path().join("broken.yaml"), broken).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kubeplan"))
        .current_dir(dir.path())
        .args(["export", "--allow-errors", "-d", "out", "broken.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error[schema-invalid-value]"), "{err}");
    assert!(!dir.path().join("out").exists());
}

/// `--fail-on never` reports and exits 0; the Markdown BOM's totals row
/// bolds each filled cell (no stray asterisks); SARIF names no placeholder site.
#[test]
fn fail_on_never_markdown_totals_and_no_placeholder_uris() {
    let classic = example("classic-two-control-planes.yaml");
    let out = kubeplan()
        .args(["lint", "--fail-on", "never", &classic])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("error[etcd-even-members]"));
    let out = kubeplan()
        .args(["lint", "--fail-on", "info", &classic])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let md = kubeplan()
        .args(["bom", "-f", "markdown", &example("prod-eks.yaml")])
        .output()
        .unwrap();
    let md = String::from_utf8(md.stdout).unwrap();
    let row = md
        .lines()
        .find(|l| l.contains("total (machines you run)"))
        .unwrap();
    for cell in row
        .trim_matches('|')
        .split('|')
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        assert!(
            cell.starts_with("**") && cell.ends_with("**") && cell.len() > 4,
            "{row}"
        );
    }
    let sarif = kubeplan()
        .args(["lint", "-f", "sarif", &classic])
        .output()
        .unwrap();
    let sarif = String::from_utf8(sarif.stdout).unwrap();
    assert!(
        !sarif.contains("helpUri") && !sarif.contains("github.com/kubeplan"),
        "no placeholder site"
    );
}

/// Narrow terminals: narrower than the table can be without splitting a
/// word (each column as wide as its longest word), the BOM is one block per
/// row (`key: value`); wider, a table that keeps every word whole and every
/// line inside the width.
#[test]
fn bom_reads_at_40_60_80_and_120_columns() {
    let plan = example("prod-onprem-stacked.yaml");
    for cols in [40u16, 60, 80, 120] {
        let out = kubeplan()
            .env("COLUMNS", cols.to_string())
            .args(["bom", &plan])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let bom = kubeplan::bom::build(
            kubeplan::catalog::Catalog::builtin(),
            &crate::export::plans()
                .into_iter()
                .find(|(n, _)| n.ends_with("prod-onprem-stacked.yaml"))
                .unwrap()
                .1,
        );
        if usize::from(cols) < kubeplan::report::bom::min_table_width(&bom) {
            assert!(
                !text.contains('┆'),
                "{cols}: a table at {cols} columns:\n{text}"
            );
            for want in [
                "\ncontrol plane\n",
                "  count: 3\n",
                "  zones: rack-a rack-b rack-c\n",
                "  note: haproxy with a keepalived virtual IP\n",
            ] {
                assert!(text.contains(want), "{cols}: {want:?} in\n{text}");
            }
        } else {
            assert!(text.contains('┆'), "{cols}");
            for line in text.lines().filter(|l| l.contains('│')) {
                assert!(line.chars().count() <= cols as usize, "{cols}: {line}");
            }
            for word in [
                "control",
                "plane",
                "balancer",
                "keepalived",
                "virtual",
                "workers:",
                "general",
                "linux/amd64",
            ] {
                assert!(text.contains(word), "{cols}: `{word}` split:\n{text}");
            }
        }
    }
}

/// Completions offer values: the generated bash script, sourced, completes
/// `--purpose`, `--platform`, `--workload`, `--traffic`, `--profile` and
/// `explain`'s rule ids; the zsh script carries the same values.
#[test]
fn completions_offer_values() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("kubeplan.bash");
    let out = kubeplan().args(["completions", "bash"]).output().unwrap();
    std::fs::write(&script, &out.stdout).unwrap();
    let complete = |words: &[&str]| -> Vec<String> {
        let cword = words.len() - 1;
        let list = words
            .iter()
            .map(|w| format!("{w:?}"))
            .collect::<Vec<_>>()
            .join(" ");
        let prev = words[cword - 1];
        let cur = words[cword];
        let cmd = format!(
            "source {}; COMP_WORDS=({list}); COMP_CWORD={cword}; _kubeplan kubeplan {cur:?} {prev:?}; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display()
        );
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(cmd)
            .output()
            .unwrap();
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(String::from)
            .collect()
    };
    assert_eq!(
        complete(&["kubeplan", "design", "--purpose", ""]),
        ["learning", "development", "testing", "production"]
    );
    assert_eq!(
        complete(&["kubeplan", "design", "--platform", ""]),
        ["on-prem", "aws", "gcp", "azure"]
    );
    assert_eq!(
        complete(&["kubeplan", "design", "--traffic", "b"]),
        ["burst"]
    );
    assert!(complete(&["kubeplan", "design", "--workload", ""]).contains(&"stateful".to_string()));
    let presets: Vec<String> = kubeplan::catalog::Catalog::builtin()
        .presets()
        .keys()
        .cloned()
        .collect();
    assert_eq!(complete(&["kubeplan", "design", "--profile", ""]), presets);
    assert_eq!(
        complete(&["kubeplan", "explain", "etcd-e"]),
        ["etcd-even-members"]
    );
    let zsh = kubeplan().args(["completions", "zsh"]).output().unwrap();
    let zsh = String::from_utf8(zsh.stdout).unwrap();
    for want in ["learning", "production", "prod-onprem", "etcd-even-members"] {
        assert!(zsh.contains(want), "zsh: {want}");
    }
    // A preset from --profiles-dir is still the command's to judge.
    let out = kubeplan()
        .args(["design", "--profile", "nope", "--yes"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("no profile `nope`"));
    let out = kubeplan()
        .args(["design", "--purpose", "prod", "--yes"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `production`?"));
}

/// Every error starts the same way, clap's usage errors included; in a file
/// of several plans a schema error says which document.
#[test]
fn errors_start_alike_and_name_the_document() {
    let out = kubeplan()
        .args(["lint", "--format", "xml", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("kubeplan: error: invalid value 'xml'"),
        "{err}"
    );
    let out = kubeplan()
        .args(["explain", "etcd-evn-members"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("kubeplan: error: no rule named"));
    let dir = tempfile::tempdir().unwrap();
    let two = dir.path().join("two.yaml");
    std::fs::write(&two, "apiVersion: kubeplan/v1\nkind: ClusterPlan\nmetadata: {name: a}\nspec: {purpose: testing, platform: on-prem}\n---\napiVersion: kubeplan/v1\nkind: ClusterPlan\nmetadata: {name: b}\nspec: {purpose: prodution, platform: on-prem}\n").unwrap();
    let out = kubeplan()
        .args(["bom", two.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("two.yaml:9:17:") && err.contains("(document 2 of 2)"),
        "{err}"
    );
    let out = kubeplan()
        .args(["lint", two.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("(document 2)\n"));
}

/// CI formats against their documented syntax: GitHub Actions workflow
/// commands (`::error file=…,line=…,col=…,title=…::message`, properties
/// escaped), and JUnit XML (testsuites > testsuite > testcase per plan, a
/// failure per failing finding, counts that add up).
#[test]
fn github_and_junit_formats() {
    let out = kubeplan()
        .args(["lint", "-f", "github", &example("")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.is_empty());
    for line in text.lines() {
        let (head, message) = line
            .split_once("::")
            .map(|(_, rest)| rest.split_once("::").unwrap())
            .unwrap();
        let (level, props) = head.split_once(' ').unwrap();
        assert!(["error", "warning", "notice"].contains(&level), "{line}");
        let keys: Vec<&str> = props
            .split(',')
            .map(|p| p.split_once('=').unwrap().0)
            .collect();
        assert_eq!(keys, ["file", "line", "col", "title"], "{line}");
        for p in props.split(',') {
            let v = p.split_once('=').unwrap().1;
            assert!(!v.contains(':') && !v.is_empty(), "{line}");
        }
        assert!(!message.is_empty() && !message.contains('\n'));
        assert!(line.starts_with("::"), "{line}");
    }
    assert!(text.contains("classic-two-control-planes.yaml,line=19,col=14,title=etcd-even-members::etcd has 2 members"));
    let out = kubeplan()
        .args(["lint", "-f", "junit", &example("")])
        .output()
        .unwrap();
    let xml = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let suites = doc.root_element();
    assert_eq!(suites.tag_name().name(), "testsuites");
    let suite = suites
        .children()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let failed = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .count();
    assert_eq!(suite.attribute("tests").unwrap(), cases.len().to_string());
    assert_eq!(suite.attribute("failures").unwrap(), failed.to_string());
    assert_eq!(cases.len(), 10, "one per plan in docs/examples");
    let classic = cases
        .iter()
        .find(|c| c.attribute("name") == Some("classic-two-cp"))
        .unwrap();
    let types: Vec<&str> = classic
        .children()
        .filter(|n| n.has_tag_name("failure"))
        .map(|n| n.attribute("type").unwrap())
        .collect();
    assert!(types.contains(&"etcd-even-members"), "{types:?}");
    // --fail-on never: findings stay, none fails.
    let out = kubeplan()
        .args(["lint", "-f", "junit", "--fail-on", "never", &example("")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("failures=\"0\""));
}

/// `.kubeplan.yaml`, found upward from the current folder (or --config):
/// rule levels (off, a new severity), ignores by path glob, failOn (a flag
/// wins); unknown rule ids warn with the closest; --print-config shows the
/// settings in force; a broken config is one line, exit 2.
#[test]
fn config_file_sets_levels_ignores_and_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("plans/legacy");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::copy(
        example("classic-two-control-planes.yaml"),
        sub.join("classic.yaml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join(".kubeplan.yaml"),
        "rules:\n  production-single-zone: off\n  etcd-even-members: warning\n  etcd-even-member: error\nignore:\n  - path: \"legacy/*.yaml\"\n    rules: [api-lb-single-point-of-failure]\nfailOn: never\n",
    )
    .unwrap();
    let run = |cwd: &std::path::Path, args: &[&str]| {
        kubeplan().current_dir(cwd).args(args).output().unwrap()
    };
    // From a subfolder: the config two levels up applies.
    let plans = dir.path().join("plans");
    let out = run(&plans, &["lint", "legacy/classic.yaml"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "failOn: never\n{text}{err}");
    assert!(!text.contains("production-single-zone"), "off\n{text}");
    assert!(text.contains("warning[etcd-even-members]"), "level\n{text}");
    assert!(
        !text.contains("api-lb-single-point-of-failure"),
        "ignored by path\n{text}"
    );
    assert!(text.contains("ignored)"), "{text}");
    assert!(
        err.contains("`etcd-even-member` is no rule; did you mean `etcd-even-members`?"),
        "{err}"
    );
    // The flag wins over failOn.
    assert_eq!(
        run(
            &plans,
            &["lint", "--fail-on", "error", "legacy/classic.yaml"]
        )
        .status
        .code(),
        Some(1)
    );
    // --print-config: where from, and the settings.
    let out = run(&plans, &["lint", "--print-config"]);
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(
        printed.contains(".kubeplan.yaml")
            && printed.contains("failOn: never")
            && printed.contains("legacy/*.yaml"),
        "{printed}"
    );
    // The config itself is not a plan when a folder is linted.
    let out = run(dir.path(), &["lint", "--format", "json", "."]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["files"], 1, "{v}");
    // --config names another file; a broken one is one line, exit 2.
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "rules: [oops\n").unwrap();
    let out = run(
        &plans,
        &[
            "lint",
            "--config",
            bad.to_str().unwrap(),
            "legacy/classic.yaml",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("bad.yaml") && err.lines().count() == 1,
        "{err}"
    );
}

/// `kubeplan diff OLD NEW`: figures per role, totals, etcd, zones, and the
/// findings that appear or disappear; --fail-on-new gates a pull request.
#[test]
fn diff_compares_two_plans() {
    let (stacked, classic) = (
        example("prod-onprem-stacked.yaml"),
        example("classic-two-control-planes.yaml"),
    );
    let out = kubeplan()
        .args(["diff", &stacked, &classic, "-f", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "no gate without --fail-on-new");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let change = |what: &str| {
        v["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["what"] == what)
            .cloned()
            .unwrap()
    };
    assert_eq!(change("machines: control plane")["old"], "3");
    assert_eq!(change("machines: control plane")["new"], "2");
    assert_eq!(change("etcd members")["new"], "2 (quorum 2, survives 0)");
    assert_eq!(change("zones")["old"], "rack-a, rack-b, rack-c");
    let new_rules: Vec<&str> = v["findings_new"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(new_rules.contains(&"etcd-even-members"), "{new_rules:?}");
    assert_eq!(v["findings_gone"].as_array().unwrap().len(), 0);
    // The gate: new errors fail; the other way round nothing new appears.
    assert_eq!(
        kubeplan()
            .args(["diff", &stacked, &classic, "--fail-on-new", "error"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(1)
    );
    let back = kubeplan()
        .args([
            "diff",
            &classic,
            &stacked,
            "--fail-on-new",
            "error",
            "-f",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(back.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&back.stdout).unwrap();
    assert!(v["findings_gone"].as_array().unwrap().len() >= 4);
    // The same plan: nothing changed.
    let same = kubeplan()
        .args(["diff", &stacked, &stacked, "-f", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&same.stdout).unwrap();
    assert_eq!(v["changed"], 0);
    let md = kubeplan()
        .args(["diff", &stacked, &classic, "-f", "markdown"])
        .output()
        .unwrap();
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(
        md.contains("| machines: control plane | 3 | **2** |") && md.contains("**New findings**"),
        "{md}"
    );
    let bad = kubeplan()
        .args(["diff", &stacked, "missing.yaml"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

/// The guide's lint examples agree: the JSON example's line and column are
/// those of the text example (`plan.yaml:19:14`).
#[test]
fn the_guides_json_and_text_examples_agree() {
    let guide =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/guide.md")).unwrap();
    let text = guide.find("plan.yaml:").map(|i| &guide[i + 10..]).unwrap();
    let (line, rest) = text.split_once(':').unwrap();
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    assert!(
        guide.contains(&format!("\"line\": {line}, \"column\": {column},")),
        "the JSON example should say line {line}, column {column}"
    );
}

/// README's first commands name every package `.ci/run` installs, so a
/// newcomer knows what the skipped checks need.
#[test]
fn readme_names_every_package_ci_installs() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let ci = std::fs::read_to_string(root.join(".ci/run")).unwrap();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let install = ci
        .lines()
        .find(|l| l.contains("apt-get install -y"))
        .expect(".ci/run installs packages");
    let packages: Vec<&str> = install
        .split_whitespace()
        .skip_while(|w| *w != "-qq")
        .skip(1)
        .take_while(|w| !w.starts_with('>'))
        .collect();
    assert!(packages.len() >= 5, "{packages:?}");
    let first = readme
        .lines()
        .find(|l| l.starts_with("cargo test"))
        .unwrap();
    for p in packages {
        assert!(
            first.contains(p),
            "README's `cargo test` line does not name {p}"
        );
    }
}

/// `kubeplan export --help` names every target it writes.
#[test]
fn export_help_names_every_target() {
    let out = kubeplan().args(["export", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout).to_lowercase();
    let about = help
        .split("usage:")
        .next()
        .unwrap_or_default()
        .replace('\n', " ");
    for t in kubeplan::export::Target::ALL {
        assert!(
            about.contains(t.as_str()),
            "`{}` not in: {about}",
            t.as_str()
        );
    }
}
