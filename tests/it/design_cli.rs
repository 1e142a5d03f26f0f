//! `kubeplan design` and `kubeplan profiles` without a terminal: answer
//! resolution, output formats, writing files.

use std::path::Path;
use std::process::{Command as StdCommand, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::common::kubeplan;

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(args: &[&str]) -> Value {
    let o = kubeplan().args(args).args(["-f", "json"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn closed_stdin_and_a_missing_answer_exit_2_naming_them() {
    let o = StdCommand::new(env!("CARGO_BIN_EXE_kubeplan"))
        .args(["design", "--purpose", "production", "--platform", "aws"])
        .env_remove("CI")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    for want in [
        "managed (--managed / --self-managed)",
        "workload (--workload)",
        "pods (--pods)",
        "storage (--storage)",
        "not asking: stdin is not a terminal",
    ] {
        assert!(err.contains(want), "{want}: {err}");
    }
    assert!(!err.contains("purpose (--purpose)"));
    assert!(o.stdout.is_empty());
}

#[test]
fn an_open_stdin_that_never_ends_does_not_hang() {
    // stdin is a pipe nobody writes to or closes: not a terminal, so no prompt.
    let mut child = StdCommand::new(env!("CARGO_BIN_EXE_kubeplan"))
        .args(["design", "--purpose", "learning"])
        .env_remove("CI")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _keep_open = child.stdin.take();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(child.wait().map(|s| s.code())));
    let code = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("design must not wait for input")
        .unwrap();
    assert_eq!(code, Some(2));
}

#[test]
fn yes_takes_the_defaults() {
    let doc = json(&["design", "--yes", "--purpose", "production"]);
    let a = &doc["answers"];
    assert_eq!(a["purpose"], "production");
    assert_eq!(a["zones"], 3, "production's default zones");
    assert_eq!(a["tolerate"], 1, "production's default tolerance");
    assert_eq!(a["platform"], "on-prem");
    assert_eq!(a["podCpu"], 0.25, "web's default request");
}

#[test]
fn flags_override_the_answers_file_which_overrides_the_profile() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.yaml");
    std::fs::write(&file, "pods: 700\nzones: 2\nworkload: batch\n").unwrap();
    let doc = json(&[
        "design",
        "--profile",
        "prod-gcp",
        "--answers",
        file.to_str().unwrap(),
        "--pods",
        "900",
    ]);
    let a = &doc["answers"];
    assert_eq!(a["pods"], 900, "flag");
    assert_eq!(a["zones"], 2, "file");
    assert_eq!(a["workload"], "batch", "file");
    assert_eq!(
        a["podCpu"], 1.0,
        "batch's default, as the file changed the workload"
    );
    assert_eq!(a["traffic"], "burst", "profile");
    assert_eq!(a["platform"], "gcp", "profile");
}

#[test]
fn answers_from_stdin() {
    let o = kubeplan()
        .args(["design", "--answers", "-", "-f", "json"])
        .write_stdin("purpose: learning\nplatform: on-prem\nworkload: web\napps: 1\npods: 5\ntraffic: steady\nzones: 1\ntolerate: 0\nstorage: none\n")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["plans"][0]["spec"]["tooling"], "minikube");
}

#[test]
fn a_bad_answers_file_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    for (text, want) in [
        (
            "purpose: production\nzone: 3\n",
            "a.yaml:2:1: unknown field `zone`",
        ),
        ("purpose: prod\n", "a.yaml:1:10:"),
        (
            "pods: 12\ntolerate: 4\n",
            "a.yaml:2:11: `tolerate` is 4; it must be between 0 and 3",
        ),
        (
            "storage: [none, fast]\n",
            "a.yaml:1:1: `storage` combines none",
        ),
        ("pods: [1\n", "a.yaml:"),
        // The real lower bound (1), not the type's (0).
        (
            "pods: -5\n",
            "a.yaml:1:7: `pods`: -5 is below the minimum 1; use a value of at least 1",
        ),
        ("", "a.yaml: file is empty"),
        (
            "pods: 1\n---\npods: 2\n",
            "a.yaml:3:1: a second YAML document",
        ),
    ] {
        let file = dir.path().join("a.yaml");
        std::fs::write(&file, text).unwrap();
        let o = kubeplan()
            .current_dir(dir.path())
            .args(["design", "--answers", "a.yaml", "--yes"])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{text}");
        let err = stderr(&o);
        assert!(err.contains(want), "{text:?}: want {want:?} in {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn bad_flags_and_unknown_profiles_exit_2() {
    for (args, want) in [
        (vec!["--profile", "prod-aw"], "did you mean `prod-aws`?"),
        (
            vec!["--pods", "0", "--yes"],
            "--pods: `pods` is 0; it must be between 1",
        ),
        (vec!["--tolerate", "4", "--yes"], "--tolerate"),
        (vec!["--storage", "none,fast", "--yes"], "combines none"),
        (
            vec!["--name", "Not_A_Label", "--yes"],
            "not a valid cluster name",
        ),
        (
            vec![
                "--yes",
                "--pod-cpu",
                "250",
                "--platform",
                "aws",
                "--max-vcpu",
                "64",
            ],
            "no aws machine fits one pod",
        ),
    ] {
        let o = kubeplan().arg("design").args(&args).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(want), "{args:?}: {}", stderr(&o));
    }
}

fn run_ok(dir: &Path, args: &[&str]) -> String {
    let o = kubeplan().current_dir(dir).args(args).output().unwrap();
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn written_plans_lint_and_bom_and_are_never_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run_ok(
        d,
        &["design", "--profile", "prod-onprem", "-o", "plan.yaml"],
    );
    let lint = run_ok(d, &["lint", "--fail-on", "warning", "plan.yaml"]);
    assert!(lint.contains("no findings"), "{lint}");
    let bom: Value = serde_json::from_str(&run_ok(d, &["bom", "plan.yaml", "-f", "json"])).unwrap();
    assert_eq!(bom["cluster"], "prod-on-prem");
    run_ok(d, &["quorum", "--plan", "plan.yaml"]);

    let before = std::fs::read(d.join("plan.yaml")).unwrap();
    let o = kubeplan()
        .current_dir(d)
        .args(["design", "--profile", "prod-aws", "-o", "plan.yaml"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("plan.yaml exists; pass --force"));
    assert!(
        o.stdout.is_empty(),
        "nothing designed when the file is refused"
    );
    assert_eq!(
        std::fs::read(d.join("plan.yaml")).unwrap(),
        before,
        "untouched"
    );

    run_ok(
        d,
        &[
            "design",
            "--profile",
            "prod-aws",
            "-o",
            "plan.yaml",
            "--force",
        ],
    );
    let after = std::fs::read_to_string(d.join("plan.yaml")).unwrap();
    assert!(after.contains("tooling: eks"));
    let names: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, vec!["plan.yaml"], "no temporary file left behind");
}

#[test]
fn several_clusters_are_one_document_each() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = run_ok(
        d,
        &[
            "design",
            "--profile",
            "prod-onprem",
            "--pods",
            "400000",
            "-o",
            "plans.yaml",
        ],
    );
    assert!(out.contains("clusters: "), "{out}");
    let text = std::fs::read_to_string(d.join("plans.yaml")).unwrap();
    let docs = text.matches("kind: ClusterPlan").count();
    assert!(docs >= 3, "{docs} plans");
    let lint: Value = serde_json::from_str(&run_ok(
        d,
        &["lint", "--fail-on", "warning", "-f", "json", "plans.yaml"],
    ))
    .unwrap();
    assert_eq!(lint["summary"]["plans"], docs as u64);
    let bom: Value =
        serde_json::from_str(&run_ok(d, &["bom", "plans.yaml", "-f", "json"])).unwrap();
    assert_eq!(bom.as_array().unwrap().len(), docs);
}

#[test]
fn json_and_yaml_have_the_spec_keys() {
    let doc = json(&["design", "--profile", "prod-aws", "--pods", "200000"]);
    for key in ["answers", "plans", "reasons", "bom"] {
        assert!(doc.get(key).is_some(), "{key}");
    }
    let plans = doc["plans"].as_array().unwrap();
    assert!(plans.len() >= 2);
    let clusters = doc["bom"]["clusters"].as_array().unwrap();
    assert_eq!(clusters.len(), plans.len());
    let machines: u64 = clusters
        .iter()
        .map(|b| b["totals"]["machines"].as_u64().unwrap())
        .sum();
    assert_eq!(doc["bom"]["totals"]["machines"], machines);
    for r in doc["reasons"].as_array().unwrap() {
        assert!(r["decision"].as_str().is_some_and(|s| !s.is_empty()));
        assert!(r["reason"].as_str().is_some_and(|s| s.len() > 20));
    }
    let pods: u64 = plans
        .iter()
        .map(|p| p["spec"]["workload"]["pods"].as_u64().unwrap())
        .sum();
    assert_eq!(pods, 200_000);

    let o = kubeplan()
        .args(["design", "--profile", "learning", "-f", "yaml"])
        .output()
        .unwrap();
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("answers:") && text.contains("plans:") && text.contains("reasons:"));
}

#[test]
fn saved_answers_replay_the_same_design() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let first = run_ok(
        d,
        &[
            "design",
            "--profile",
            "prod-azure",
            "--pods",
            "5000",
            "--save-answers",
            "a.yaml",
            "-f",
            "json",
        ],
    );
    let again = run_ok(d, &["design", "--answers", "a.yaml", "-f", "json"]);
    assert_eq!(first, again);
}

#[test]
fn the_report_gives_reasons_quorum_bom_and_next_steps() {
    let out = run_ok(Path::new("."), &["design", "--profile", "prod-onprem"]);
    for want in [
        "Decisions",
        "etcd: 3 members",
        "2f+1",
        "Quorum",
        "quorum 2, survives 1 failure",
        "losing any one zone keeps quorum",
        "Bill of materials",
        "API load balancer",
        "keepalived",
        "Next",
        "kubeplan lint prod-on-prem.yaml",
        // The same files `export` writes, in the order they are applied.
        "kubeplan export prod-on-prem.yaml",
        "1. haproxy:",
        "kubeadm init --config prod-on-prem/kubeadm-init.yaml --upload-certs",
    ] {
        assert!(out.contains(want), "{want} missing from\n{out}");
    }
}

#[test]
fn profiles_list_and_show() {
    let out = run_ok(Path::new("."), &["profiles"]);
    for name in [
        "learning",
        "dev-onprem",
        "prod-onprem",
        "prod-aws",
        "prod-gcp",
        "prod-azure",
        "on-prem",
        "aws",
        "gcp",
        "azure",
    ] {
        assert!(out.contains(name), "{name}");
    }
    let preset = run_ok(Path::new("."), &["profiles", "prod-aws"]);
    assert!(preset.contains("platform: aws") && preset.contains("managed: true"));
    let platform = run_ok(Path::new("."), &["profiles", "aws"]);
    assert!(platform.contains("m6i.2xlarge") && platform.contains("eks"));
    let all: Value =
        serde_json::from_str(&run_ok(Path::new("."), &["profiles", "-f", "json"])).unwrap();
    assert_eq!(all["presets"].as_object().unwrap().len(), 6);
    let o = kubeplan().args(["profiles", "prod-awz"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean `prod-aws`?"));
}

#[test]
fn every_preset_designs_a_clean_plan() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "learning",
        "dev-onprem",
        "prod-onprem",
        "prod-aws",
        "prod-gcp",
        "prod-azure",
    ] {
        let file = format!("{name}.yaml");
        run_ok(dir.path(), &["design", "--profile", name, "-o", &file]);
        let lint = run_ok(dir.path(), &["lint", "--fail-on", "info", &file]);
        assert!(lint.contains("no findings"), "{name}: {lint}");
    }
}

#[test]
fn a_profiles_dir_adds_presets() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("presets")).unwrap();
    std::fs::write(
        dir.path().join("presets/team.yaml"),
        "description: our team's default\nanswers: {purpose: testing, platform: gcp, managed: true, pods: 42}\n",
    )
    .unwrap();
    let doc = json(&[
        "--profiles-dir",
        dir.path().to_str().unwrap(),
        "design",
        "--profile",
        "team",
        "--yes",
    ]);
    assert_eq!(doc["answers"]["pods"], 42);
    assert_eq!(doc["plans"][0]["spec"]["tooling"], "gke");
    std::fs::write(
        dir.path().join("presets/broken.yaml"),
        "description: x\nanswers: {tolerate: 9}\n",
    )
    .unwrap();
    let o = kubeplan()
        .args(["--profiles-dir", dir.path().to_str().unwrap(), "profiles"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("presets/broken.yaml"), "{}", stderr(&o));
}

/// Pod and service ranges: on-prem defaults to 10.244.0.0/16 (Flannel's)
/// and says that the pool of a CNI that keeps its own must match (Flannel,
/// Cilium), while Calico reads kubeadm's podSubnet; given ranges are used, and
/// overlapping or too small ones are refused before anything is written.
#[test]
fn pod_and_service_ranges() {
    let v = json(&["design", "--profile", "dev-onprem", "--yes"]);
    let net = &v["plans"][0]["spec"]["network"];
    assert_eq!(net["podCIDR"], "10.244.0.0/16");
    assert_eq!(net["serviceCIDR"], "10.96.0.0/12");
    let reasons = v["reasons"].to_string();
    for want in [
        "Flannel 10.244.0.0/16",
        "Cilium 10.0.0.0/8",
        "Calico reads kubeadm's podSubnet itself",
        "set the CNI's pool to 10.244.0.0/16",
    ] {
        assert!(reasons.contains(want), "{want} in {reasons}");
    }
    assert!(!reasons.contains("Calico 192.168.0.0/16"), "{reasons}");
    let v = json(&[
        "design",
        "--profile",
        "dev-onprem",
        "--yes",
        "--pod-cidr",
        "192.168.0.0/16",
        "--service-cidr",
        "10.100.0.0/16",
    ]);
    let net = &v["plans"][0]["spec"]["network"];
    assert_eq!(
        (net["podCIDR"].as_str(), net["serviceCIDR"].as_str()),
        (Some("192.168.0.0/16"), Some("10.100.0.0/16"))
    );
    for (args, want) in [
        (
            vec![
                "--pod-cidr",
                "10.96.0.0/16",
                "--service-cidr",
                "10.96.0.0/12",
            ],
            "overlap",
        ),
        (
            vec!["--pod-cidr", "10.244.0.0/28"],
            "give a wider --pod-cidr",
        ),
        (vec!["--pod-cidr", "10.244.0.1/16"], "host bits set"),
        (vec!["--service-cidr", "nope"], "not auto or an IPv4 CIDR"),
    ] {
        let o = kubeplan()
            .args(["design", "--profile", "dev-onprem", "--yes"])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(want), "{args:?}: {}", stderr(&o));
    }
}

/// GKE gives 110 pods per node unless told: a design that raises it says so
/// and passes the ranges to gcloud.
#[test]
fn gke_raises_max_pods_and_says_so() {
    let v = json(&["design", "--profile", "prod-gcp", "--yes"]);
    let max = v["plans"][0]["spec"]["workers"][0]["maxPods"]
        .as_u64()
        .unwrap();
    let reasons = v["reasons"].to_string();
    if max > 110 {
        assert!(
            reasons.contains("GKE Standard gives a node 110 pods by default"),
            "{reasons}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.yaml");
    let o = kubeplan()
        .args(["design", "--profile", "prod-gcp", "--yes", "-o"])
        .arg(&plan)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("out");
    let o = kubeplan()
        .arg("export")
        .arg(&plan)
        .arg("-d")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let script = std::fs::read_to_string(out.join("gke-create.sh")).unwrap();
    let pod = v["plans"][0]["spec"]["network"]["podCIDR"]
        .as_str()
        .unwrap();
    assert!(
        script.contains(&format!("--cluster-ipv4-cidr {pod} \\"))
            && script.contains(&format!("--max-pods-per-node {max}")),
        "{script}"
    );
}

/// `-o` writes through a symbolic link to its file, keeps an existing file's
/// mode, creates new files with the umask's mode, and writes a device or a
/// FIFO directly instead of replacing it.
#[cfg(unix)]
#[test]
fn output_files_keep_links_modes_and_devices() {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let bin = env!("CARGO_BIN_EXE_kubeplan");
    let design = |out: &str| {
        StdCommand::new("sh")
            .arg("-c")
            .arg(format!(
                "umask 027; exec '{bin}' design --profile dev-onprem --yes -o '{out}' --force"
            ))
            .current_dir(d)
            .env_remove("CI")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    // A new file: 0666 less the umask (027) = 0640.
    let o = design("new.yaml");
    assert!(o.status.success(), "{}", stderr(&o));
    let mode = |p: &str| std::fs::metadata(d.join(p)).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode("new.yaml"), 0o640);
    // An existing 0644 file stays 0644.
    std::fs::write(d.join("old.yaml"), "x").unwrap();
    std::fs::set_permissions(d.join("old.yaml"), std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(design("old.yaml").status.success());
    assert_eq!(mode("old.yaml"), 0o644);
    assert!(std::fs::read_to_string(d.join("old.yaml"))
        .unwrap()
        .contains("kind: ClusterPlan"));
    // A symbolic link stays a link; the file it points to gets the plan.
    std::fs::write(d.join("real.yaml"), "x").unwrap();
    std::os::unix::fs::symlink("real.yaml", d.join("link.yaml")).unwrap();
    assert!(design("link.yaml").status.success());
    assert!(std::fs::symlink_metadata(d.join("link.yaml"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(d.join("real.yaml"))
        .unwrap()
        .contains("kind: ClusterPlan"));
    // A device is written, not replaced.
    assert!(design("/dev/null").status.success());
    assert!(std::fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
    // A FIFO is written to its reader.
    let fifo = d.join("pipe");
    assert!(StdCommand::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    assert!(design("pipe").status.success());
    assert!(reader.join().unwrap().contains("kind: ClusterPlan"));
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    // Nothing temporary is left behind.
    let left: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// The sample in docs/design.md is what `kubeplan design --profile
/// prod-onprem` prints today; `KUBEPLAN_BLESS=1 cargo test --test it
/// design_doc_sample` rewrites it.
#[test]
fn design_doc_sample_is_current() {
    let doc = std::fs::read_to_string(crate::common::path("docs/design.md")).unwrap();
    let o = crate::common::run(&["design", "--profile", "prod-onprem"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let printed = String::from_utf8(o.stdout).unwrap();
    let open = "<!-- prod-onprem: generated; `KUBEPLAN_BLESS=1 cargo test --test it design_doc_sample` rewrites it. -->\n```text\n";
    let close = "```\n<!-- end prod-onprem -->";
    let (head, rest) = doc.split_once(open).expect("the sample's opening marker");
    let (_, tail) = rest.split_once(close).expect("the sample's closing marker");
    crate::common::assert_current(
        "docs/design.md",
        &format!("{head}{open}{printed}{close}{tail}"),
    );
}

/// Flags and answers files take counts and sizes as Kubernetes and people
/// write them; the same answers give the same design.
#[test]
fn quantities_in_flags_and_answers_files() {
    let answers = |args: &[&str]| {
        let out = crate::common::kubeplan()
            .args(["design", "--profile", "prod-aws", "--format", "json"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (v["answers"].clone(), v["plans"].clone())
    };
    let plain = answers(&["--pods", "1000", "--pod-cpu", "0.5", "--pod-memory", "0.5"]);
    let k8s = answers(&[
        "--pods",
        "1,000",
        "--pod-cpu",
        "500m",
        "--pod-memory",
        "512Mi",
    ]);
    assert_eq!(plain, k8s);
    assert_eq!(
        answers(&[
            "--pods",
            "1_000",
            "--pod-cpu",
            "500m",
            "--pod-memory",
            "512Mi"
        ]),
        plain
    );
    // 1G is 10⁹ bytes, not a GiB.
    let g = answers(&["--pod-memory", "1G"]).0;
    assert_eq!(g["podMemoryGiB"].as_f64(), Some(1e9 / 1073741824.0));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("answers.yaml");
    std::fs::write(&file, "pods: 1,000\npodCpu: 500m\npodMemoryGiB: 512Mi\n").unwrap();
    let from_file = answers(&["--answers", file.to_str().unwrap()]);
    assert_eq!(from_file, plain);
    // Near misses are refused with the fix, at the file's line and column.
    std::fs::write(&file, "pods: 1000\npodMemoryGiB: 512MB\n").unwrap();
    let out = crate::common::kubeplan()
        .args([
            "design",
            "--profile",
            "prod-aws",
            "--answers",
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("answers.yaml:2:15: `512MB`: unknown suffix `MB`; did you mean `512M`?"),
        "{err}"
    );
    for (flag, bad, says) in [
        ("--pods", "1,5", "a comma groups thousands"),
        ("--pod-cpu", "1Gi", "not CPU"),
        ("--pod-memory", "1GiB", "did you mean `1Gi`?"),
    ] {
        let out = crate::common::kubeplan()
            .args(["design", "--profile", "prod-aws", flag, bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(says),
            "{flag} {bad}"
        );
    }
}

/// The report's prose wraps at word boundaries to the width, as its
/// tables do: no line is wider than the terminal (which would cut words).
#[test]
fn design_prose_fits_the_width() {
    for profile in ["prod-onprem", "prod-aws", "dev-onprem"] {
        for width in [80, 120] {
            let out = crate::common::kubeplan()
                .env("COLUMNS", width.to_string())
                .args(["design", "--profile", profile])
                .output()
                .unwrap();
            let text = String::from_utf8(out.stdout).unwrap();
            for l in text.lines() {
                // The commands of Next stay whole, to copy.
                if l.starts_with("  ") && !l.trim_start().starts_with('#') {
                    continue;
                }
                assert!(l.chars().count() <= width, "{profile} at {width}: {l}");
            }
        }
    }
}
