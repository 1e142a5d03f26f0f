//! `kubeplan lint` in a real repository: cluster files beside Deployments,
//! Kustomizations and Helm charts; configs per folder; excludes; .gitignore.

use std::path::Path;

use crate::common::{example, kubeplan};

const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx}]\n";

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A repository as people have them: a plan, manifests, a Kustomization,
/// a Helm chart (values, Chart.yaml, a template that is no YAML at all).
pub fn sample_repo(root: &Path) {
    let plan = std::fs::read_to_string(example("prod-eks.yaml")).unwrap();
    write(root, "clusters/prod.yaml", &plan);
    write(root, "k8s/deploy.yaml", DEPLOYMENT);
    write(
        root,
        "k8s/kustomization.yaml",
        "resources:\n- deploy.yaml\n",
    );
    write(
        root,
        "charts/app/Chart.yaml",
        "apiVersion: v2\nname: app\nversion: 0.1.0\n",
    );
    write(
        root,
        "charts/app/values.yaml",
        "replicaCount: 2\nimage:\n  repository: nginx\n",
    );
    write(
        root,
        "charts/app/templates/deployment.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n{{- if .Values.x }}\n  labels: {{ toYaml .Values.x | nindent 4 }}\n{{- end }}\n",
    );
}

fn lint(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = kubeplan()
        .current_dir(dir)
        .arg("lint")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_folder_walk_skips_what_is_no_cluster_file() {
    let dir = tempfile::tempdir().unwrap();
    sample_repo(dir.path());
    let (code, out, err) = lint(dir.path(), &["."]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        out,
        "ok: 1 plan checked, no findings; 5 files skipped (not cluster files; -v lists them)\n"
    );
    assert_eq!(err, "");
    // -v names each skipped file; -q prints nothing at all.
    let (_, _, err) = lint(dir.path(), &["-v", "."]);
    for f in [
        "charts/app/Chart.yaml",
        "charts/app/values.yaml",
        "charts/app/templates/deployment.yaml",
        "k8s/deploy.yaml",
        "k8s/kustomization.yaml",
    ] {
        assert!(
            err.contains(&format!("skipped ./{f}: none of the formats")),
            "{f}: {err}"
        );
    }
    assert_eq!(
        lint(dir.path(), &["-q", "."]),
        (0, String::new(), String::new())
    );
    // JSON counts them.
    let (_, out, _) = lint(dir.path(), &["--format", "json", "."]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["skipped"], 5);
    assert_eq!(v["summary"]["files"], 1);
}

#[test]
fn a_broken_cluster_file_in_a_walk_is_still_reported() {
    let dir = tempfile::tempdir().unwrap();
    sample_repo(dir.path());
    write(
        dir.path(),
        "clusters/broken.yaml",
        "apiVersion: kubeplan/v1\nkind: ClusterPlan\nspec: [unclosed\n",
    );
    let (code, out, _) = lint(dir.path(), &["."]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("clusters/broken.yaml:3:7: error[input-unreadable]"),
        "{out}"
    );
    assert!(
        out.contains("1 file could not be read; 5 files skipped"),
        "{out}"
    );
}

/// A Deployment named alone and a Deployment beside a plan in one file
/// are the same finding and the same exit status: unreadable input, 2.
#[test]
fn a_manifest_is_bad_input_alone_or_beside_a_plan() {
    let dir = tempfile::tempdir().unwrap();
    sample_repo(dir.path());
    let plan = std::fs::read_to_string(example("prod-eks.yaml")).unwrap();
    write(dir.path(), "both.yaml", &format!("{plan}---\n{DEPLOYMENT}"));
    for file in ["k8s/deploy.yaml", "both.yaml"] {
        let (code, out, err) = lint(dir.path(), &[file]);
        assert_eq!(code, 2, "{file}: {out}{err}");
        assert!(
            out.contains("error[input-unreadable]")
                && out.contains(
                    "`kind: Deployment` (apps/v1) is a Kubernetes manifest, not a cluster file"
                ),
            "{file}: {out}"
        );
        assert!(out.contains("1 file could not be read"), "{file}: {out}");
    }
    // --skip-unknown (what the pre-commit hook passes) skips the named one.
    let (code, out, _) = lint(
        dir.path(),
        &["--skip-unknown", "k8s/deploy.yaml", "clusters/prod.yaml"],
    );
    assert_eq!(
        (code, out.as_str()),
        (
            0,
            "ok: 1 plan checked, no findings; 1 file skipped (not cluster files; -v lists them)\n"
        )
    );
}

#[test]
fn excludes_from_the_flag_and_from_either_config_spelling() {
    let dir = tempfile::tempdir().unwrap();
    sample_repo(dir.path());
    write(
        dir.path(),
        "clusters/old/broken.yaml",
        "apiVersion: kubeplan/v1\nspec: [\n",
    );
    let (code, _, _) = lint(dir.path(), &["."]);
    assert_eq!(code, 2);
    let (code, out, _) = lint(
        dir.path(),
        &["--exclude", "old", "--exclude", "charts/**", "."],
    );
    assert_eq!(
        (code, out.as_str()),
        (
            0,
            "ok: 1 plan checked, no findings; 2 files skipped (not cluster files; -v lists them)\n"
        )
    );
    for name in [".kubeplan.yaml", ".kubeplan.yml"] {
        write(dir.path(), name, "exclude: [clusters/old]\n");
        let (code, out, _) = lint(dir.path(), &["."]);
        assert_eq!(code, 0, "{name}: {out}");
        std::fs::remove_file(dir.path().join(name)).unwrap();
    }
    // A named file is linted even when excluded, unless --force-exclude.
    write(dir.path(), ".kubeplan.yml", "exclude: [clusters/old]\n");
    let (code, _, _) = lint(dir.path(), &["clusters/old/broken.yaml"]);
    assert_eq!(code, 2);
    let (code, out, _) = lint(
        dir.path(),
        &[
            "--force-exclude",
            "clusters/old/broken.yaml",
            "clusters/prod.yaml",
        ],
    );
    assert_eq!(
        (code, out.as_str()),
        (0, "ok: 1 plan checked, no findings\n")
    );
}

/// Each file's settings are the nearest config from its own folder up,
/// with its globs relative to the config's folder: a rule turned off in
/// `team-a/` stays on for `team-b/`, linted from anywhere.
#[test]
fn each_file_takes_the_nearest_config() {
    let dir = tempfile::tempdir().unwrap();
    let classic = std::fs::read_to_string(example("classic-two-control-planes.yaml")).unwrap();
    write(dir.path(), "team-a/plan.yaml", &classic);
    write(dir.path(), "team-b/plan.yaml", &classic);
    write(
        dir.path(),
        "team-a/.kubeplan.yaml",
        "rules:\n  etcd-even-members: off\n",
    );
    write(
        dir.path(),
        "team-b/.kubeplan.yml",
        "ignore:\n- path: plan.yaml\n  rules: [etcd-even-members]\n",
    );
    write(dir.path(), "team-c/plan.yaml", &classic);
    for cwd in [dir.path().to_path_buf(), dir.path().join("team-c")] {
        let target = if cwd == dir.path() { "." } else { ".." };
        let (_, out, _) = lint(&cwd, &[target, "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        for f in v["files"].as_array().unwrap() {
            let name = f["file"].as_str().unwrap();
            let even = f["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["rule"] == "etcd-even-members");
            assert_eq!(even, name.contains("team-c"), "{name} from {cwd:?}");
        }
    }
}

#[test]
fn gitignored_files_are_not_walked() {
    let dir = tempfile::tempdir().unwrap();
    sample_repo(dir.path());
    write(
        dir.path(),
        "build/broken.yaml",
        "apiVersion: kubeplan/v1\nspec: [\n",
    );
    write(dir.path(), ".gitignore", "build/\n");
    let (code, out, _) = lint(dir.path(), &["."]);
    assert_eq!(code, 0, "{out}");
    // Named, it is read: .gitignore is for walks.
    let (code, _, _) = lint(dir.path(), &["build/broken.yaml"]);
    assert_eq!(code, 2);
}

#[test]
fn a_missing_config_says_no_such_file() {
    let dir = tempfile::tempdir().unwrap();
    sample_repo(dir.path());
    let (code, out, err) = lint(dir.path(), &["--config", "nope.yaml", "."]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(err, "kubeplan: error: nope.yaml: no such file\n");
}
