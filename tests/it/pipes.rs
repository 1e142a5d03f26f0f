//! Commands compose: `-o -` is standard output, and a design report's
//! plans (`design --format yaml|json`) are plans to `lint -`, `bom -`,
//! `whatif -` and the rest.

use crate::common::{example, kubeplan};

fn design(format: &[&str]) -> Vec<u8> {
    let out = kubeplan()
        .args(["design", "--profile", "prod-aws", "--pods", "3000"])
        .args(format)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    out.stdout
}

#[test]
fn a_design_report_pipes_into_lint_and_bom() {
    for format in ["yaml", "json"] {
        let report = design(&["--format", format]);
        let out = kubeplan()
            .args(["lint", "-"])
            .write_stdin(report.clone())
            .output()
            .unwrap();
        assert_eq!(
            (
                out.status.code(),
                String::from_utf8_lossy(&out.stdout).as_ref()
            ),
            (Some(0), "ok: 1 plan checked, no findings\n"),
            "{format}"
        );
        let out = kubeplan()
            .args(["bom", "--format", "json", "-"])
            .write_stdin(report)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}");
        let bom: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(bom.to_string().contains("eks"), "{format}: {bom}");
    }
}

/// A finding in a report's plan points at the line of the report.
#[test]
fn a_report_plan_finding_is_at_the_reports_line() {
    let text = String::from_utf8(design(&["--format", "yaml"])).unwrap();
    let broken = text.replacen(
        "apiVersion: kubeplan/v1\n",
        "apiVersion: kubeplan/v1\n  bogus: 1\n",
        1,
    );
    let line = broken.lines().position(|l| l == "  bogus: 1").unwrap() + 1;
    let out = kubeplan()
        .args(["lint", "-"])
        .write_stdin(broken)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("<stdin>:{line}:3: error[schema-unknown-field]")),
        "{stdout}"
    );
}

#[test]
fn dash_o_dash_writes_to_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        kubeplan()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    // design: the plan alone on stdout, and it lints clean.
    let out = run(&[
        "design",
        "--profile",
        "prod-onprem",
        "--pods",
        "300",
        "-o",
        "-",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let plan = String::from_utf8(out.stdout).unwrap();
    assert!(
        plan.starts_with("# ") || plan.starts_with("apiVersion"),
        "{plan}"
    );
    assert!(!plan.contains("Bill of materials"), "{plan}");
    let out = kubeplan()
        .args(["lint", "-"])
        .write_stdin(plan)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    // import and diagram too; no file named `-` is ever made.
    let out = run(&[
        "import",
        &crate::common::path("docs/import-examples/eksctl.yaml"),
        "-o",
        "-",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("kind: ClusterPlan"));
    let out = run(&[
        "diagram",
        &example("prod-eks.yaml"),
        "--format",
        "mermaid",
        "-o",
        "-",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("flowchart"));
    assert!(!dir.path().join("-").exists());
    // Two outputs cannot both be stdout.
    let out = run(&[
        "design",
        "--profile",
        "prod-onprem",
        "-o",
        "-",
        "--save-answers",
        "-",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("only one output can be -"));
}

/// `-q` and `-v` are on every command: quiet keeps results and errors
/// only; verbose says what was read.
#[test]
fn quiet_and_verbose_on_every_command() {
    let help = kubeplan().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    let commands: Vec<String> = help
        .split("Commands:")
        .nth(1)
        .unwrap()
        .lines()
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    assert!(commands.len() >= 14, "{commands:?}");
    for c in &commands {
        let out = kubeplan().args([c.as_str(), "--help"]).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("-q, --quiet") && text.contains("-v, --verbose"),
            "{c}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let eksctl = crate::common::path("docs/import-examples/eksctl.yaml");
    let plan = dir.path().join("plan.yaml");
    let out = kubeplan()
        .args(["import", &eksctl, "-o"])
        .arg(&plan)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("kubeplan: wrote 1 plan"));
    let out = kubeplan()
        .args(["-q", "import", &eksctl, "--force", "-o"])
        .arg(&plan)
        .output()
        .unwrap();
    assert_eq!(
        (out.status.code(), out.stderr.as_slice()),
        (Some(0), &b""[..])
    );
    let out = kubeplan().args(["bom", "-v"]).arg(&plan).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("reading "));
    let out = kubeplan()
        .args(["-v", "design", "--profile", "prod-aws", "--brief"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("kubeplan: assumed podCpu = 0.25 (its default)"));
    let out = kubeplan().args(["-q", "-v", "rules"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
