//! What ships for other tools to run kubeplan, checked by those tools:
//! the pre-commit hook by `pre-commit try-repo`, the GitHub Action's
//! metadata against the Actions schema (check-jsonschema), the example
//! workflow by actionlint.

use std::path::Path;
use std::process::Command;

use crate::common::{example, root};
use crate::export::program;

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .status()
        .unwrap()
        .success();
    assert!(ok, "git {args:?}");
}

/// `pre-commit try-repo` of this checkout on a sample repository: the
/// hook passes on a plan beside a Deployment and a Helm values file, and
/// fails on a plan with an error.
#[test]
fn the_pre_commit_hook_passes_and_fails_as_it_should() {
    let Some(pre_commit) = program("pre-commit") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("sample");
    crate::repo::sample_repo(&repo);
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    // The hook is built once (without LTO: a test need not wait for it)
    // into a target folder kept between runs.
    let target = root().join("target/pre-commit");
    let run = |what: &str| {
        let out = Command::new(&pre_commit)
            .args([
                "try-repo",
                root().to_str().unwrap(),
                "kubeplan-lint",
                "--all-files",
            ])
            .current_dir(&repo)
            .env("PRE_COMMIT_HOME", dir.path().join("home"))
            // A fresh machine has no git identity for the shadow commit.
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        eprintln!("pre-commit try-repo ({what}):\n{text}");
        (out.status.code(), text)
    };
    let (code, text) = run("a plan, a Deployment, a Helm chart");
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("kubeplan lint") && text.contains("Passed"),
        "{text}"
    );
    let classic = std::fs::read_to_string(example("classic-two-control-planes.yaml")).unwrap();
    std::fs::write(repo.join("clusters/classic.yaml"), classic).unwrap();
    git(&repo, &["add", "-A"]);
    let (code, text) = run("and a plan with an error");
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("Failed"), "{text}");
    assert!(
        text.contains("clusters/classic.yaml:19:14: error[etcd-even-members]"),
        "{text}"
    );
}

fn yaml(rel: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(root().join(rel)).unwrap();
    serde_saphyr::from_str(&text).unwrap()
}

#[test]
fn the_action_metadata_is_valid() {
    let Some(check) = program("check-jsonschema") else {
        return;
    };
    for (schema, file) in [
        ("vendor.github-actions", "action.yml"),
        ("vendor.github-workflows", "docs/ci/kubeplan.yml"),
    ] {
        let out = Command::new(&check)
            .args(["--builtin-schema", schema, file])
            .current_dir(root())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        eprintln!("check-jsonschema {schema} {file}: {text}");
        assert!(out.status.success(), "{file}: {text}");
    }
    // And the schema is not a rubber stamp: an unknown `runs.using` fails.
    let dir = tempfile::tempdir().unwrap();
    let bad = std::fs::read_to_string(root().join("action.yml"))
        .unwrap()
        .replace("using: composite", "using: compost");
    std::fs::write(dir.path().join("action.yml"), bad).unwrap();
    let out = Command::new(&check)
        .args(["--builtin-schema", "vendor.github-actions", "action.yml"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[test]
fn the_example_workflow_passes_actionlint_and_names_real_inputs() {
    // Every `with:` of the action in the example is one of its inputs
    // (actionlint checks published actions' inputs, not a local one's).
    let inputs = yaml("action.yml")["inputs"].clone();
    let workflow = yaml("docs/ci/kubeplan.yml");
    let mut used = 0;
    for job in workflow["jobs"].as_object().unwrap().values() {
        for step in job["steps"].as_array().unwrap() {
            if step["uses"] == "./" {
                for key in step["with"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, _)| k)
                {
                    assert!(
                        inputs.get(key).is_some(),
                        "input {key} is not in action.yml"
                    );
                    used += 1;
                }
            }
        }
    }
    assert!(used >= 4, "{used}");
    let Some(actionlint) = program("actionlint") else {
        return;
    };
    let run = |file: &Path| {
        let out = Command::new(&actionlint).arg(file).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        eprintln!("actionlint {}: {text}", file.display());
        (out.status.code(), text)
    };
    let (code, text) = run(&root().join("docs/ci/kubeplan.yml"));
    assert_eq!(code, Some(0), "{text}");
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yml");
    let broken = std::fs::read_to_string(root().join("docs/ci/kubeplan.yml"))
        .unwrap()
        .replace("security-events: write", "security-events: wirte");
    std::fs::write(&bad, broken).unwrap();
    let (code, text) = run(&bad);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("wirte"), "{text}");
}
