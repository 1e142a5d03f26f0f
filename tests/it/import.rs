//! Other tools' cluster files. Every upstream example vendored under
//! `tests/fixtures/upstream/` is read (exit 0 or 1, never 2, never a
//! `schema-unknown-field`), its findings point into it, and every error or
//! warning on one is listed with its reasoning in `FINDINGS.tsv` and
//! `docs/import.md`; mutations of them fire the rule they must, at the line
//! they must; bad input is one line and exit 2; `import` writes plans that
//! lint as their sources do; and design → export → import gives back the
//! topology it started from.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use kubeplan::catalog::Catalog;
use kubeplan::export::addresses::Hosts;
use kubeplan::export::{files, Target};
use kubeplan::import::{documents, Spec, Supply, FORMATS};
use kubeplan::plan::load::Source;
use kubeplan::plan::{spread, ClusterPlan, EtcdTopology, Fact};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) fn upstream() -> PathBuf {
    root().join("tests/fixtures/upstream")
}

use crate::common::kubeplan;

/// One row of `SOURCES.tsv`: a vendored file and where it comes from.
struct Row {
    local: String,
    repo: String,
    commit: String,
}

fn sources() -> Vec<Row> {
    std::fs::read_to_string(upstream().join("SOURCES.tsv"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 5, "SOURCES.tsv: `{l}` has not 5 columns");
            Row {
                local: cols[0].into(),
                repo: cols[1].into(),
                commit: cols[3].into(),
            }
        })
        .collect()
}

pub(crate) fn walk(dir: &Path, out: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            let rel = p.strip_prefix(upstream()).unwrap();
            out.push(rel.to_string_lossy().into_owned());
        }
    }
}

/// The upstream files a user lints: every example except the variable
/// files Kubespray reads through its inventory.
fn examples() -> Vec<String> {
    let mut all = Vec::new();
    walk(&upstream().join("examples"), &mut all);
    all.retain(|f| !f.contains("/group_vars/"));
    all.sort();
    all
}

/// The variables the Cluster API templates are rendered with, as
/// clusterctl would take them from the environment.
const CAPI_VARS: &[&str] = &[
    "CLUSTER_NAME=dev",
    "NAMESPACE=default",
    "KUBERNETES_VERSION=v1.31.0",
    "CONTROL_PLANE_MACHINE_COUNT=3",
    "WORKER_MACHINE_COUNT=2",
    "DOCKER_POD_CIDRS=192.168.0.0/16",
    "DOCKER_SERVICE_CIDRS=10.128.0.0/12",
    "DOCKER_SERVICE_DOMAIN=cluster.local",
];

fn vars_for(file: &str) -> Vec<String> {
    match file.contains("cluster-api/") {
        true => CAPI_VARS
            .iter()
            .flat_map(|v| ["--var".to_string(), v.to_string()])
            .collect(),
        false => Vec::new(),
    }
}

fn lint_json(args: &[String]) -> (i32, Value, String) {
    let out = kubeplan()
        .arg("lint")
        .args(["--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (
        out.status.code().unwrap(),
        v,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn findings(v: &Value) -> Vec<Value> {
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["findings"].as_array().unwrap().iter().cloned())
        .collect()
}

/// A finding on an upstream example: where and which rule.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Hit {
    file: String,
    line: u64,
    column: u64,
    rule: String,
    severity: String,
    message: String,
}

/// `FINDINGS.tsv`: every error and warning kubeplan reports on an upstream
/// example, with why it is true.
fn listed() -> Vec<(Hit, String)> {
    std::fs::read_to_string(upstream().join("FINDINGS.tsv"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            assert_eq!(c.len(), 6, "FINDINGS.tsv: `{l}` has not 6 columns");
            let (line, column) = c[1].split_once(':').unwrap();
            (
                Hit {
                    file: c[0].into(),
                    line: line.parse().unwrap(),
                    column: column.parse().unwrap(),
                    rule: c[2].into(),
                    severity: c[3].into(),
                    message: c[4].into(),
                },
                c[5].to_string(),
            )
        })
        .collect()
}

/// Lints every upstream example; checks what holds for each; returns the
/// errors and warnings.
fn lint_upstream() -> (Vec<Hit>, BTreeMap<&'static str, usize>) {
    let mut hits = Vec::new();
    let mut per_tool = BTreeMap::new();
    for file in examples() {
        let path = format!("tests/fixtures/upstream/{file}");
        let mut args = vec![path.clone()];
        args.extend(vars_for(&file));
        let (code, v, stderr) = lint_json(&args);
        assert!(
            code == 0 || code == 1,
            "{file}: exit {code}, an upstream example must be read\n{stderr}"
        );
        let tool = file.split('/').nth(1).unwrap();
        let tool: &'static str = match tool {
            "eksctl" => "eksctl",
            "kops" => "kOps",
            "kubespray" => "Kubespray",
            "cluster-api" => "Cluster API",
            "kubeadm" => "kubeadm",
            other => panic!("{other}: a tool with no name here"),
        };
        *per_tool.entry(tool).or_default() += 1;
        assert_eq!(v["files"].as_array().unwrap().len(), 1, "{file}");
        assert_eq!(v["files"][0]["file"], path.as_str());
        let dir = Path::new(&path)
            .parent()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        for x in findings(&v) {
            let rule = x["rule"].as_str().unwrap().to_string();
            assert!(
                !matches!(
                    rule.as_str(),
                    "schema-unknown-field" | "input-unreadable" | "input-unrendered-variable"
                ),
                "{file}: {x}"
            );
            // Every finding is in the file, or (Kubespray) in a variable
            // file beside it.
            let line = x["line"].as_u64().unwrap();
            assert!(line >= 1, "{file}: {x}");
            let in_file = match x.get("file").and_then(Value::as_str) {
                None => {
                    let text = std::fs::read_to_string(root().join(&path)).unwrap();
                    assert!(line as usize <= text.lines().count().max(1), "{file}: {x}");
                    file.clone()
                }
                Some(other) => {
                    assert!(
                        other.starts_with(&format!("{dir}/group_vars/")),
                        "{file}: a finding in {other}"
                    );
                    other
                        .strip_prefix("tests/fixtures/upstream/")
                        .unwrap()
                        .to_string()
                }
            };
            let severity = x["severity"].as_str().unwrap().to_string();
            if severity != "info" {
                hits.push(Hit {
                    file: in_file,
                    line,
                    column: x["column"].as_u64().unwrap(),
                    rule,
                    severity,
                    message: x["message"].as_str().unwrap().to_string(),
                });
            }
        }
    }
    hits.sort();
    (hits, per_tool)
}

#[test]
fn every_vendored_file_has_its_source() {
    let rows = sources();
    let mut listed: Vec<&str> = rows.iter().map(|r| r.local.as_str()).collect();
    listed.sort();
    let mut on_disk = Vec::new();
    walk(&upstream().join("examples"), &mut on_disk);
    walk(&upstream().join("bad"), &mut on_disk);
    on_disk.sort();
    assert_eq!(listed, on_disk, "SOURCES.tsv and the files differ");
    for r in &rows {
        assert!(r.repo.contains('/'), "{}: repository {}", r.local, r.repo);
        assert!(
            r.commit.len() == 40 && r.commit.chars().all(|c| c.is_ascii_hexdigit()),
            "{}: commit {}",
            r.local,
            r.commit
        );
    }
}

/// The upstream examples are read, and every error and warning on them is
/// listed, with its reasoning, in FINDINGS.tsv (and so in docs/import.md).
#[test]
fn upstream_examples_are_read_and_their_findings_are_true() {
    let (hits, per_tool) = lint_upstream();
    for tool in ["eksctl", "kOps", "Kubespray", "Cluster API", "kubeadm"] {
        assert!(
            per_tool.get(tool).copied().unwrap_or(0) >= 3,
            "{tool}: {per_tool:?}"
        );
    }
    let want: Vec<Hit> = listed().into_iter().map(|(h, _)| h).collect();
    let got: BTreeSet<&Hit> = hits.iter().collect();
    let want_set: BTreeSet<&Hit> = want.iter().collect();
    let unlisted: Vec<&&Hit> = got.difference(&want_set).collect();
    let gone: Vec<&&Hit> = want_set.difference(&got).collect();
    assert!(
        unlisted.is_empty() && gone.is_empty(),
        "findings on upstream examples not in FINDINGS.tsv (each needs its reasoning): {unlisted:#?}\nlisted but not reported: {gone:#?}"
    );
}

#[test]
fn a_folder_of_cluster_files_lints_with_its_inventories() {
    // group_vars are read through their inventory, the .ini inventory is
    // found beside them, and the findings of the variable files point there.
    let (code, v, _) = lint_json(&["tests/fixtures/upstream/examples/kubespray".into()]);
    assert_eq!(code, 1);
    let names: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "tests/fixtures/upstream/examples/kubespray/sample/inventory.ini",
            "tests/fixtures/upstream/examples/kubespray/sample-hosts-yaml/hosts.yaml",
            "tests/fixtures/upstream/examples/kubespray/sample-yaml/inventory.yml",
        ]
    );
    // The network the inventory's group_vars set is the plan's.
    let out = kubeplan()
        .args([
            "import",
            "--format",
            "json",
            "tests/fixtures/upstream/examples/kubespray/sample/inventory.ini",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let net = &v["plans"][0]["plan"]["spec"]["network"];
    assert_eq!(net["podCIDR"], "10.233.64.0/18");
    assert_eq!(net["serviceCIDR"], "10.233.0.0/18");
}

#[test]
fn bad_files_are_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let kops =
        std::fs::read_to_string(upstream().join("examples/kops/minimal-aws/in-v1alpha2.yaml"))
            .unwrap()
            .replace("kops.k8s.io/v1alpha2", "kops.k8s.io/v1alpha3");
    let written = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_string_lossy().into_owned()
    };
    let cases: Vec<(String, &str, &str)> = vec![
        (
            written(
                "deployment.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n",
            ),
            ":2:7: ",
            "`kind: Deployment` (apps/v1) is a Kubernetes manifest, not a cluster file",
        ),
        (
            written(
                "values.yaml",
                "replicaCount: 2\nimage:\n  repository: nginx\n  tag: stable\nservice:\n  type: ClusterIP\n",
            ),
            ":1:1: ",
            "a YAML mapping with no apiVersion or kind (its keys: replicaCount, image, service), such as a Helm values file, not a cluster file",
        ),
        (
            written("kops.yaml", &kops),
            ":1:13: ",
            "apiVersion kops.k8s.io/v1alpha3 is not a kOps cluster version kubeplan reads: it reads kops.k8s.io/v1alpha2",
        ),
    ];
    let mut all = cases;
    for (f, at, what) in [
        (
            "eksctl-v1alpha4-05-advanced-nodegroups.yaml",
            ":",
            "apiVersion eksctl.io/v1alpha4 is not an eksctl ClusterConfig version kubeplan reads: it reads eksctl.io/v1alpha5",
        ),
        (
            "eksctl-v1alpha3-04-existing-vpc.yaml",
            ":",
            "apiVersion eksctl.io/v1alpha3 is not an eksctl ClusterConfig version kubeplan reads",
        ),
        (
            "cluster-api-v1alpha3-development.yaml",
            ":1:13: ",
            "apiVersion cluster.x-k8s.io/v1alpha3 is not a Cluster API cluster version kubeplan reads",
        ),
    ] {
        all.push((
            upstream().join("bad").join(f).to_string_lossy().into_owned(),
            at,
            what,
        ));
    }
    for (path, at, what) in &all {
        for cmd in [
            &["lint"][..],
            &["import"],
            &["bom"],
            &["whatif"],
            &["diagram", "--format", "dot"],
        ] {
            let out = kubeplan().args(cmd).arg(path).output().unwrap();
            assert_eq!(out.status.code(), Some(2), "{cmd:?} {path}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(err.lines().count(), 1, "{cmd:?} {path}: {err}");
            assert!(
                err.starts_with(&format!("kubeplan: error: {path}{at}")),
                "{cmd:?}: {err}"
            );
            assert!(err.contains(what), "{cmd:?}: {err}");
            if !what.contains("version kubeplan reads") {
                assert!(err.contains(kubeplan::import::READS.as_str()), "{err}");
            }
        }
    }
}

/// A copy of an upstream example with one change, in a temporary folder.
fn mutated(rel: &str, change: impl Fn(&str) -> String) -> (tempfile::TempDir, String) {
    let text = std::fs::read_to_string(upstream().join(rel)).unwrap();
    let new = change(&text);
    assert_ne!(new, text, "{rel}: the mutation changed nothing");
    let dir = tempfile::tempdir().unwrap();
    let name = Path::new(rel).file_name().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, new).unwrap();
    let path = path.to_string_lossy().into_owned();
    (dir, path)
}

/// The findings of a rule, as (line, column, severity).
fn fired(v: &Value, rule: &str) -> Vec<(u64, u64, String)> {
    findings(v)
        .iter()
        .filter(|x| x["rule"] == rule)
        .map(|x| {
            (
                x["line"].as_u64().unwrap(),
                x["column"].as_u64().unwrap(),
                x["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The 1-based line of the first line of `text` that `pred` holds for.
fn line_of(text: &str, pred: impl Fn(&str) -> bool) -> u64 {
    text.lines().position(pred).expect("the line is there") as u64 + 1
}

#[test]
fn kops_ha_without_one_etcd_member_is_refused_at_etcd_members() {
    // The first etcd cluster (`main`) loses member c.
    let (_d, path) = mutated("examples/kops/ha/in-v1alpha2.yaml", |t| {
        t.replacen(
            "    - instanceGroup: master-us-test-1c\n      name: c\n    name: main",
            "    name: main",
            1,
        )
    });
    let text = std::fs::read_to_string(&path).unwrap();
    let at = line_of(&text, |l| l.contains("etcdMembers:"));
    let (code, v, _) = lint_json(std::slice::from_ref(&path));
    assert_eq!(code, 1);
    assert_eq!(fired(&v, "etcd-even-members"), [(at, 5, "warning".into())]);
    assert_eq!(
        fired(&v, "kops-etcd-even-members"),
        [(at, 5, "error".into())]
    );
    // With the purpose the file does not hold, production's severity.
    let (_, v, _) = lint_json(&[path, "--purpose".into(), "production".into()]);
    assert_eq!(fired(&v, "etcd-even-members"), [(at, 5, "error".into())]);
}

#[test]
fn kubespray_inventory_with_two_etcd_hosts_is_refused_at_the_etcd_group() {
    let (_d, path) = mutated("examples/kubespray/sample/inventory.ini", |t| {
        t.replace(
            "[kube_control_plane]\n# node1\n# node2\n# node3",
            "[kube_control_plane]\nnode1\nnode2\nnode3",
        )
        .replace("[etcd]\n# node1\n# node2\n# node3", "[etcd]\nnode1\nnode2")
        .replace("[kube-node]\n# node2", "[kube-node]\nnode2")
    });
    let text = std::fs::read_to_string(&path).unwrap();
    let at = line_of(&text, |l| l == "[etcd]");
    let (code, v, _) = lint_json(&[path]);
    assert_eq!(code, 1);
    assert_eq!(fired(&v, "kubespray-etcd-even"), [(at, 1, "error".into())]);
    assert_eq!(fired(&v, "etcd-even-members"), [(at, 1, "warning".into())]);
    assert!(fired(&v, "kubespray-control-plane-empty").is_empty());
}

#[test]
fn kubeadm_control_plane_with_two_replicas_is_refused_at_replicas() {
    // Rendered with --var, and written in the file: the same line.
    let rel = "examples/cluster-api/e2e-bases/cluster-with-kcp.yaml";
    let text = std::fs::read_to_string(upstream().join(rel)).unwrap();
    let at = line_of(&text, |l| {
        l.contains("replicas: ${CONTROL_PLANE_MACHINE_COUNT}")
    });
    let (code, v, _) = lint_json(&[
        format!("tests/fixtures/upstream/{rel}"),
        "--var".into(),
        "CONTROL_PLANE_MACHINE_COUNT=2".into(),
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        fired(&v, "cluster-api-even-stacked-control-plane"),
        [(at, 13, "error".into())]
    );
    assert_eq!(fired(&v, "etcd-even-members"), [(at, 13, "warning".into())]);
    let (_d, path) = mutated(rel, |t| {
        t.replace("replicas: ${CONTROL_PLANE_MACHINE_COUNT}", "replicas: 2")
    });
    let (_, v, _) = lint_json(&[path]);
    assert_eq!(
        fired(&v, "cluster-api-even-stacked-control-plane"),
        [(at, 13, "error".into())]
    );
    assert!(
        findings(&v)
            .iter()
            .filter(|x| x["rule"] == "input-unrendered-variable")
            .all(|x| !x["message"].as_str().unwrap().contains("replicas")),
        "{v:#}"
    );
}

#[test]
fn kubeadm_with_four_external_endpoints_fires_at_the_endpoints() {
    let (_d, path) = mutated("examples/kubeadm/ha-external-etcd.yaml", |t| {
        t.replace(
            "      - https://ETCD_2_IP:2379 # change ETCD_2_IP appropriately\n",
            "      - https://ETCD_2_IP:2379 # change ETCD_2_IP appropriately\n      - https://ETCD_3_IP:2379\n",
        )
    });
    let text = std::fs::read_to_string(&path).unwrap();
    let at = line_of(&text, |l| l.trim() == "endpoints:");
    let (code, v, _) = lint_json(&[path]);
    assert_eq!(code, 0, "a warning without the purpose");
    assert_eq!(fired(&v, "etcd-even-members"), [(at, 5, "warning".into())]);
}

#[test]
fn eksctl_with_one_availability_zone_is_refused_at_the_zones() {
    let (_d, path) = mutated("examples/eksctl/23-kubeflow-spot-instance.yaml", |t| {
        t.replace(
            "availabilityZones: [\"us-east-1a\", \"us-east-1b\",  \"us-east-1d\",  \"us-east-1f\"]",
            "availabilityZones: [\"us-east-1a\"]",
        )
    });
    let text = std::fs::read_to_string(&path).unwrap();
    let at = line_of(&text, |l| l.starts_with("availabilityZones:"));
    let (code, v, _) = lint_json(&[path]);
    assert_eq!(code, 1);
    // A count taken from a list: the list's key.
    assert_eq!(fired(&v, "eksctl-too-few-zones"), [(at, 1, "error".into())]);
}

#[test]
fn unrendered_variables_are_reported_and_var_renders_them() {
    let f = "tests/fixtures/upstream/examples/cluster-api/cluster-template-development.yaml";
    let (code, v, _) = lint_json(&[f.into()]);
    assert_eq!(code, 0);
    let vars: Vec<String> = findings(&v)
        .iter()
        .filter(|x| x["rule"] == "input-unrendered-variable")
        .map(|x| x["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(vars.len(), 3, "{vars:#?}");
    assert!(vars
        .iter()
        .any(|m| m.contains("${CONTROL_PLANE_MACHINE_COUNT}")));
    let missing: Vec<String> = findings(&v)
        .iter()
        .filter(|x| x["rule"] == "input-missing-fact")
        .map(|x| x["message"].as_str().unwrap().to_string())
        .collect();
    assert!(
        missing
            .iter()
            .any(|m| m.contains("how many control-plane nodes run")
                && m.contains("CONTROL_PLANE_MACHINE_COUNT")),
        "{missing:#?}"
    );
    // Rendered: the counts are the values given, and nothing is unrendered.
    let out = kubeplan()
        .args(["import", "--format", "json", f])
        .args(CAPI_VARS.iter().flat_map(|v| ["--var", v]))
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let plan = &v["plans"][0]["plan"];
    assert_eq!(plan["metadata"]["name"], "dev");
    assert_eq!(plan["spec"]["controlPlane"]["nodes"], 3);
    assert_eq!(plan["spec"]["workers"][0]["nodes"], 2);
    assert_eq!(plan["spec"]["network"]["podCIDR"], "192.168.0.0/16");
    assert_eq!(plan["spec"]["network"]["serviceCIDR"], "10.128.0.0/12");
    let unknown: Vec<&str> = v["plans"][0]["unknown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["fact"].as_str().unwrap())
        .collect();
    assert!(
        !unknown.contains(&"control-plane") && !unknown.contains(&"workers"),
        "{unknown:?}"
    );
}

/// A finding caused by a Kubespray variable points into the group_vars
/// file that sets it, in every output format.
#[test]
fn a_finding_in_group_vars_points_into_that_file() {
    let dir = tempfile::tempdir().unwrap();
    let inv = dir.path().join("mycluster");
    std::fs::create_dir_all(inv.join("group_vars/k8s_cluster")).unwrap();
    std::fs::write(
        inv.join("inventory.ini"),
        "[kube_control_plane]\ncp[1:3]\n\n[etcd:children]\nkube_control_plane\n\n[kube_node]\nnode[01:20]\n",
    )
    .unwrap();
    let vars = inv.join("group_vars/k8s_cluster/k8s-cluster.yml");
    std::fs::write(
        &vars,
        "---\nkube_network_plugin: flannel\nkube_service_addresses: 10.233.0.0/18\nkube_pods_subnet: 10.233.64.0/20\nkube_network_node_prefix: 24\n",
    )
    .unwrap();
    let inventory = inv.join("inventory.ini").to_string_lossy().into_owned();
    let vars_name = vars.to_string_lossy().into_owned();
    let (code, v, _) = lint_json(std::slice::from_ref(&inventory));
    assert_eq!(code, 1);
    let x = findings(&v)
        .into_iter()
        .find(|x| x["rule"] == "network-pod-cidr-too-small")
        .expect("23 nodes do not fit 16 /24 node ranges");
    assert_eq!(x["file"], vars_name.as_str());
    assert_eq!(
        (x["line"].as_u64(), x["column"].as_u64()),
        (Some(4), Some(19))
    );
    let text = kubeplan().args(["lint", &inventory]).output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains(&format!(
            "{vars_name}:4:19: error[network-pod-cidr-too-small]"
        )),
        "{text}"
    );
    assert!(
        text.contains("kube_pods_subnet: 10.233.64.0/20"),
        "the line shown is the variable file's: {text}"
    );
    let sarif = kubeplan()
        .args(["lint", "--format", "sarif", &inventory])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let r = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "network-pod-cidr-too-small")
        .unwrap()
        .clone();
    let loc = &r["locations"][0]["physicalLocation"];
    assert!(
        loc["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("group_vars/k8s_cluster/k8s-cluster.yml"),
        "{loc}"
    );
    assert_eq!(loc["region"]["startLine"], 4);
}

/// What the file does not hold, the user supplies: the facts become known
/// and the rules that needed them run.
#[test]
fn supplied_facts_fill_what_the_file_does_not_hold() {
    let f = "docs/import-examples/kubespray.ini";
    let (_, v, _) = lint_json(&[f.into()]);
    let missing = |v: &Value| -> usize {
        findings(v)
            .iter()
            .filter(|x| x["rule"] == "input-missing-fact")
            .count()
    };
    assert_eq!(
        missing(&v),
        6,
        "purpose, load balancer, machines, zones, workload, storage"
    );
    let (code, v, _) = lint_json(&[
        f.into(),
        "--purpose".into(),
        "production".into(),
        "--zones".into(),
        "a,b,c".into(),
        "--machine".into(),
        "control-plane=4,16".into(),
        "--machine".into(),
        "workers=4,16".into(),
        "--pods".into(),
        "2000".into(),
    ]);
    assert_eq!(
        missing(&v),
        2,
        "the load balancer and storage are still unknown"
    );
    assert_eq!(code, 1);
    // 12 workers of 4 vCPU at 0.5 CPU per pod hold far fewer than 2,000.
    assert!(
        !fired(&v, "worker-capacity-insufficient").is_empty(),
        "{v:#}"
    );
    // A fact the file holds is never overridden: the inventory's 3
    // control-plane hosts stay 3.
    let out = kubeplan()
        .args([
            "import",
            "--format",
            "json",
            f,
            "--control-plane-nodes",
            "5",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["plans"][0]["plan"]["spec"]["controlPlane"]["nodes"], 3);
}

#[test]
fn import_writes_a_plan_that_lints_as_its_source_does() {
    let dir = tempfile::tempdir().unwrap();
    for ex in [
        "eksctl.yaml",
        "kops.yaml",
        "kubeadm.yaml",
        "kubespray.ini",
        "cluster-api.yaml",
    ] {
        let src = format!("docs/import-examples/{ex}");
        let out = dir.path().join(format!("{ex}.plan.yaml"));
        let o = out.to_string_lossy().into_owned();
        let flags = [
            "--purpose",
            "production",
            "--var",
            "CONTROL_PLANE_MACHINE_COUNT=3",
        ];
        let run = kubeplan()
            .args(["import", &src, "-o", &o])
            .args(flags)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{ex}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.starts_with("# Imported by kubeplan"), "{text}");
        // The same rules fire on the plan as on its source, but for the
        // input-* findings (the plan carries them as kubeplan.io/unknown)
        // and the installers' own checks of their files (no plan holds
        // what they read: kOps' etcdMembers, Kubespray's groups).
        let rules = |args: Vec<String>| -> BTreeSet<String> {
            let (code, v, e) = lint_json(&args);
            assert!(code == 0 || code == 1, "{args:?}: {e}");
            findings(&v)
                .iter()
                .map(|x| x["rule"].as_str().unwrap().to_string())
                .filter(|r| !r.starts_with("input-"))
                .filter(|r| {
                    kubeplan::lint::RULES
                        .iter()
                        .find(|x| x.id == r)
                        .is_some_and(|x| x.check.is_some())
                })
                .collect()
        };
        let mut src_args = vec![src.clone()];
        src_args.extend(flags.iter().map(|s| s.to_string()));
        assert_eq!(rules(src_args), rules(vec![o.clone()]), "{ex}");
        // Never over a file without --force; the file is untouched.
        let again = kubeplan()
            .args(["import", &src, "-o", &o])
            .output()
            .unwrap();
        assert_eq!(again.status.code(), Some(2));
        assert_eq!(String::from_utf8_lossy(&again.stderr).lines().count(), 1);
        assert_eq!(std::fs::read_to_string(&out).unwrap(), text);
        let forced = kubeplan()
            .args(["import", &src, "-o", &o, "--force"])
            .output()
            .unwrap();
        assert!(forced.status.success());
    }
    // Nothing half-written: a failing import leaves no file.
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "apiVersion: apps/v1\nkind: Deployment\n").unwrap();
    let target = dir.path().join("never.yaml");
    let run = kubeplan()
        .args([
            "import",
            bad.to_str().unwrap(),
            "-o",
            target.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(!target.exists());
}

/// The plans design makes, exported for eksctl, kOps and kubeadm and
/// imported back: the same topology, counts, zones and networks.
#[test]
fn design_export_import_gives_back_the_same_cluster() {
    let c = Catalog::builtin();
    let space = crate::design::answer_space();
    let step = (space.len() / 300).max(1);
    let mut checked: BTreeMap<&str, usize> = BTreeMap::new();
    for a in space.iter().step_by(step) {
        for plan in crate::design::design(a) {
            let hosts = Hosts::for_plan(&plan, None).unwrap();
            for t in [Target::Eksctl, Target::Kops, Target::Kubeadm] {
                if t.not_for(&plan).is_none() && !files(t, &plan, c, &hosts).is_empty() {
                    *checked.entry(t.as_str()).or_default() += 1;
                }
            }
            round_trip(&plan);
        }
    }
    for t in ["eksctl", "kops", "kubeadm"] {
        assert!(checked.get(t).copied().unwrap_or(0) >= 10, "{checked:?}");
    }
}

/// A placement without its empty zones, in zone order.
fn placed(mut v: Vec<(String, u32)>) -> Vec<(String, u32)> {
    v.retain(|(_, n)| *n > 0);
    v.sort();
    v
}

fn same_cluster(t: Target, a: &ClusterPlan, b: &ClusterPlan, what: &str) {
    let (s, r) = (&a.spec, &b.spec);
    if t != Target::Kubeadm {
        // kubeadm runs anywhere: its file does not say where.
        assert_eq!(r.platform, s.platform, "{what}");
    }
    assert_eq!(r.tooling, s.tooling, "{what}");
    let net = |p: &ClusterPlan| {
        p.spec
            .network
            .as_ref()
            .map(|n| (n.pod_cidr.clone(), n.service_cidr.clone()))
    };
    match t {
        Target::Kubeadm => {
            // A kubeadm configuration holds no counts, machines or zones.
            let etcd = |p: &ClusterPlan| {
                let e = p.spec.etcd.as_ref().unwrap();
                let t = e.topology.unwrap_or(EtcdTopology::Stacked);
                (t, (t == EtcdTopology::External).then_some(e.members))
            };
            assert_eq!(etcd(b), etcd(a), "{what}");
            assert_eq!(net(b), net(a), "{what}");
            assert_eq!(
                r.control_plane.leader_election.as_ref().map(|l| l.enabled),
                s.control_plane.leader_election.as_ref().map(|l| l.enabled),
                "{what}"
            );
            assert!(
                !b.knows(Fact::ControlPlane) && !b.knows(Fact::Workers),
                "{what}"
            );
        }
        Target::Eksctl | Target::Kops => {
            // The zones: the plan's, and (eksctl) the second one eksctl
            // needs when the plan has one.
            assert!(r.zones.starts_with(&s.zones), "{what}: {:?}", r.zones);
            if t == Target::Kops {
                // Where the machines are: how many of each group in each
                // zone (a plan may list zones a small group does not
                // reach; the file names the ones it does).
                let placed = |p: &ClusterPlan| {
                    let mut out: Vec<(String, Vec<(String, u32)>)> = vec![
                        (
                            "control plane".into(),
                            placed(spread(p.cp_nodes(), &p.cp_zones())),
                        ),
                        (
                            "etcd".into(),
                            placed(spread(p.etcd_members(), &p.etcd_zones())),
                        ),
                    ];
                    let mut pools: Vec<(String, Vec<(String, u32)>)> = p
                        .spec
                        .workers
                        .iter()
                        .map(|w| {
                            (
                                format!("{:?}", w.instance_type),
                                placed(spread(w.nodes, &p.pool_zones(w))),
                            )
                        })
                        .collect();
                    pools.sort();
                    out.extend(pools);
                    out
                };
                assert_eq!(placed(b), placed(a), "{what}");
                assert_eq!(r.control_plane.nodes, s.control_plane.nodes, "{what}");
                let e = |p: &ClusterPlan| p.spec.etcd.as_ref().map(|e| (e.topology, e.members));
                assert_eq!(e(b), e(a), "{what}");
                assert_eq!(net(b), net(a), "{what}");
            } else {
                assert!(r.control_plane.managed, "{what}");
                assert_eq!(
                    r.network.as_ref().map(|n| n.service_cidr.clone()),
                    s.network.as_ref().map(|n| n.service_cidr.clone()),
                    "{what}"
                );
            }
            let pools = |p: &ClusterPlan| {
                let mut v: Vec<(u32, Option<String>)> = p
                    .spec
                    .workers
                    .iter()
                    .map(|w| (w.nodes, w.instance_type.clone()))
                    .collect();
                v.sort();
                v
            };
            assert_eq!(pools(b), pools(a), "{what}");
            assert!(
                b.knows(Fact::Workers) && b.knows(Fact::ControlPlane),
                "{what}"
            );
        }
        _ => unreachable!(),
    }
}

/// docs/import.md: each format (how it is recognised, what is read), its
/// example with kubeplan's own output on it, and the upstream examples'
/// findings with their reasoning. `KUBEPLAN_BLESS=1 cargo test --test it
/// import_doc` rewrites it.
#[test]
fn import_doc() {
    let mut doc = String::from(
        "# Linting and importing other tools' cluster files\n\n<!-- Generated: `KUBEPLAN_BLESS=1 cargo test --test it import_doc` rewrites this file. -->\n\n",
    );
    doc.push_str(
        "`kubeplan lint` reads the cluster files you already keep, not only kubeplan\n\
         plans: eksctl ClusterConfigs, kOps clusters, kubeadm configurations,\n\
         Kubespray inventories and Cluster API manifests. It knows each by its\n\
         `apiVersion` and `kind` (an inventory by its shape), reads it into the one\n\
         plan model, and runs the same rules on it, with every finding at the line\n\
         and column of the value that causes it in your file: `hosts.yaml:12:7`,\n\
         `cluster.yaml:34:11` (for a count taken from a list, the list's key). `bom`,\n\
         `quorum --plan`, `whatif`, `diagram`, `export` and `diff` take these files\n\
         too, and `kubeplan import FILE… [-o plan.yaml]` writes the equivalent\n\
         `kubeplan/v1` plan, with a comment naming what the file could not say.\n\n\
         A file of another kind is refused in one line, with exit status 2: a\n\
         Kubernetes manifest, a Helm values file, or a version of a tool's format\n\
         that kubeplan does not read:\n\n```text\n",
    );
    doc.push_str(&format!("{}\n```\n\n", *kubeplan::import::READS));
    doc.push_str(
        "## What a file does not say\n\n\
         Each tool's file holds part of what kubeplan checks. A fact a file does not\n\
         hold is never guessed: the rules that need it do not run, and lint says so\n\
         once per fact, as an `input-missing-fact` info naming the rules and the flag\n\
         that supplies it. These flags are taken by `lint`, `import`, `bom`, `whatif`,\n\
         `diagram`, `export` and `diff`; a fact the file does hold is never\n\
         overridden. Without the purpose, the rules whose severity depends on it\n\
         report as they would outside production.\n\n\
         | fact | what | how to supply it |\n|---|---|---|\n",
    );
    for f in Fact::ALL {
        doc.push_str(&format!(
            "| `{}` | {} | {} |\n",
            f.as_str(),
            f.describe(),
            f.supply()
        ));
    }
    doc.push_str(
        "\nAn imported plan names what it does not know in the annotation\n\
         `kubeplan.io/unknown` (and where it came from in `kubeplan.io/imported-from`);\n\
         fill the values in and remove them from the annotation, and every rule runs.\n\n",
    );
    for format in FORMATS {
        let about = &format.about;
        doc.push_str(&format!(
            "## {}\n\n**Recognised by** {}.\n\n**Read:**\n\n",
            about.title, about.detected
        ));
        for r in about.reads {
            doc.push_str(&format!("- {r}\n"));
        }
        let path = format!("docs/import-examples/{}", about.example);
        let text = std::fs::read_to_string(root().join(&path)).unwrap();
        let lang = if path.ends_with(".ini") {
            "ini"
        } else {
            "yaml"
        };
        doc.push_str(&format!(
            "\n**Example** (`{path}`):\n\n```{lang}\n{text}```\n\n"
        ));
        let flags = about.example_flags.join(" ");
        let lint = kubeplan()
            .args(["lint", "--color", "never", &path])
            .args(about.example_flags)
            .output()
            .unwrap();
        assert!(matches!(lint.status.code(), Some(0 | 1)), "{path}");
        doc.push_str(&format!(
            "`kubeplan lint {path} {flags}` (exit {}):\n\n```text\n{}```\n\n",
            lint.status.code().unwrap(),
            String::from_utf8_lossy(&lint.stdout)
        ));
        let import = kubeplan()
            .args(["import", &path])
            .args(about.example_flags)
            .output()
            .unwrap();
        assert!(import.status.success(), "{path}");
        doc.push_str(&format!(
            "`kubeplan import {path} {flags}`:\n\n```yaml\n{}```\n\n",
            String::from_utf8_lossy(&import.stdout)
        ));
    }
    // The upstream examples.
    let rows = sources();
    let mut repos: BTreeMap<String, usize> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.local.starts_with("examples/")) {
        *repos.entry(r.repo.clone()).or_default() += 1;
    }
    doc.push_str(
        "## Proven on upstream examples\n\n\
         The example collections of the tools themselves are vendored under\n\
         `tests/fixtures/upstream/` (each file's repository and commit in\n\
         `SOURCES.tsv`), and a test lints every one (the Cluster API templates\n\
         rendered with `--var`): each is read, none with a schema error, every\n\
         finding is in that file (or, for a Kubespray inventory, in the\n\
         `group_vars` file that sets the value), and every error or warning is\n\
         listed below with why it is true.\n\n| repository | files |\n|---|---|\n",
    );
    for (repo, n) in &repos {
        doc.push_str(&format!("| `{repo}` | {n} |\n"));
    }
    doc.push_str("\n| where | finding | why it is true |\n|---|---|---|\n");
    for (h, why) in listed() {
        doc.push_str(&format!(
            "| `{}:{}:{}` | {}[`{}`]: {} | {} |\n",
            h.file, h.line, h.column, h.severity, h.rule, h.message, why
        ));
    }
    doc.push_str(
        "\nThe files in versions kubeplan does not read (`tests/fixtures/upstream/bad/`:\n\
         eksctl `v1alpha3` and `v1alpha4`, Cluster API `v1alpha3`) are refused in\n\
         one line with exit status 2.\n",
    );
    crate::common::assert_current("docs/import.md", &doc);
}

/// bom, whatif, diagram, export and diff compute from counts and sizes: a
/// file that does not hold one is refused in one line naming the flags
/// that supply it (no stand-in makes an answer up), and with them it works.
#[test]
fn commands_that_count_machines_ask_for_what_the_file_does_not_say() {
    let f = "docs/import-examples/kubespray.ini";
    for cmd in [
        &["bom"][..],
        &["whatif"],
        &["export", "--to", "etcd", "-d", "/nonexistent/never"],
        &["diff", "docs/import-examples/kubespray.ini"],
    ] {
        let mut args: Vec<&str> = vec![cmd[0]];
        if cmd[0] == "diff" {
            args.extend([f, cmd[1]]);
        } else {
            args.push(f);
            args.extend(&cmd[1..]);
        }
        let out = kubeplan().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.contains(&format!(
                "`kubeplan {}` needs what {f} (a Kubespray inventory) does not say",
                cmd[0]
            )),
            "{err}"
        );
        // The one thing the inventory lacks for them: the machines' sizes
        // (and why: an inventory names hosts).
        assert!(
            err.contains(
                "the machines' sizes (an inventory names hosts, not their sizes) — pass --machine ROLE=CPU,GiB"
            ),
            "{err}"
        );
        assert!(!err.contains("--control-plane-nodes"), "{err}");
    }
    let sized = [
        "--machine",
        "control-plane=4,16",
        "--machine",
        "workers=8,32",
    ];
    let out = kubeplan()
        .args(["bom", "--format", "json", f])
        .args(sized)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bom: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(bom["totals"]["machines"], 15, "{bom:#}");
    let out = kubeplan().args(["whatif", f]).args(sized).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The diagram counts machines but draws no size it does not know.
    let out = kubeplan()
        .args(["diagram", "--format", "mermaid", f])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("kube-node × 12") && !text.contains("vCPU"),
        "{text}"
    );
    let out = kubeplan()
        .args([
            "diagram",
            "--format",
            "mermaid",
            "docs/import-examples/kubeadm.yaml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--control-plane-nodes N"));
}

/// An eksctl node group without maxPodsPerNode runs what the EKS node's
/// bootstrap sets: the VPC CNI's ENI figure, ENIs × (IPv4 per ENI − 1) + 2;
/// with the vpc-cni add-on's prefix delegation, ENIs × ((IPv4 per ENI − 1)
/// × 16) + 2 within EKS's cap of 110 pods up to 30 vCPUs and 250 above.
/// Re-derived here for every AWS type in the catalog (whose ENI figures a
/// catalog test checks against the EKS AMI's table).
#[test]
fn eksctl_max_pods_follow_the_vpc_cni_formulas() {
    let c = Catalog::builtin();
    let aws = c.platform(kubeplan::plan::Platform::Aws);
    for prefixes in [false, true] {
        let mut text = String::from(
            "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: pods, region: us-east-1}\navailabilityZones: [us-east-1a, us-east-1b]\n",
        );
        if prefixes {
            text.push_str("addons:\n  - name: vpc-cni\n    configurationValues: |-\n      {\"env\": {\"ENABLE_PREFIX_DELEGATION\": \"true\"}}\n");
        }
        text.push_str("managedNodeGroups:\n");
        let typed: Vec<_> = aws.instances.iter().filter(|t| t.enis.is_some()).collect();
        for (i, t) in typed.iter().enumerate() {
            text.push_str(&format!("  - {{name: g{i}, instanceType: {}}}\n", t.name));
        }
        let docs = documents(
            Source::new("eksctl.yaml".into(), text),
            &Supply::default(),
            c,
        )
        .unwrap();
        let plan = docs[0].plan.clone().unwrap();
        assert_eq!(plan.spec.workers.len(), typed.len());
        for (w, t) in plan.spec.workers.iter().zip(&typed) {
            let (enis, ips) = (t.enis.unwrap(), t.ips_per_eni.unwrap());
            let want = match prefixes {
                false => enis * (ips - 1) + 2,
                true => {
                    let cap = if t.cpu > 30.0 { 250 } else { 110 };
                    (enis * ((ips - 1) * 16) + 2).min(cap)
                }
            };
            assert_eq!(w.max_pods, Some(want), "{} (prefixes {prefixes})", t.name);
            assert_eq!(w.nodes, 2, "eksctl's default node count");
        }
    }
}

fn round_trip(plan: &ClusterPlan) -> usize {
    let c = Catalog::builtin();
    let hosts = Hosts::for_plan(plan, None).unwrap();
    let mut n = 0;
    for t in [Target::Eksctl, Target::Kops, Target::Kubeadm] {
        if t.not_for(plan).is_some() {
            continue;
        }
        let file = files(t, plan, c, &hosts)
            .into_iter()
            .find(|f| {
                matches!(
                    f.name.as_str(),
                    "eksctl-cluster.yaml" | "kops-cluster.yaml" | "kubeadm-init.yaml"
                )
            })
            .unwrap();
        let what = format!("{}:\n{}", file.name, file.text);
        let docs = documents(
            Source::new(file.name.clone(), file.text.clone()),
            &Supply::default(),
            c,
        )
        .unwrap_or_else(|e| panic!("{what}\n{e}"));
        assert_eq!(docs.len(), 1, "{what}");
        assert!(docs[0].issues.is_empty(), "{what}\n{:?}", docs[0].issues);
        same_cluster(t, plan, docs[0].plan.as_ref().unwrap(), &what);
        n += 1;
    }
    n
}

mod random_round_trips {
    use super::*;
    use kubeplan::design::Answers;
    use kubeplan::plan::{ArchChoice, Platform, Purpose, StorageNeed, Traffic, WorkloadKind};
    use kubeplan::questionnaire::fields::CidrAnswer;
    use proptest::prelude::*;

    fn pick<T: Copy + std::fmt::Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = T> {
        proptest::sample::select(all)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Answers off the grid: whatever design makes, exported for the
        /// installer it names and imported back, is the same cluster.
        #[test]
        fn any_design_round_trips_through_its_installer_file(
            purpose in pick(Purpose::ALL),
            platform in pick(Platform::ALL),
            managed in any::<bool>(),
            workload in pick(WorkloadKind::ALL),
            zones in 1u32..=6,
            tolerate in 0u32..=2,
            pods in prop_oneof![1u64..=200, 1u64..=20_000, 1u64..=200_000],
            arch in pick(ArchChoice::ALL),
        ) {
            let c = Catalog::builtin();
            let d = &c.questions().workload_defaults[&workload];
            // No more zones than a cloud region has (more is refused).
            let have = c.platform(platform).design_zones().len() as u32;
            let zones = match c.platform(platform).region.is_some() {
                true => zones.min(have),
                false => zones,
            };
            let a = Answers {
                purpose, platform, managed: managed && platform != Platform::OnPrem,
                workload, apps: 3, pods, traffic: Traffic::Steady, zones, tolerate,
                storage: vec![StorageNeed::Fast], pod_cpu: d.pod_cpu, pod_memory_gib: d.pod_memory_gib,
                arch, pod_cidr: CidrAnswer::Auto, service_cidr: CidrAnswer::Auto, host_cpu: 8, host_memory_gib: 16.0, region: "auto".into(),
            };
            for plan in crate::design::design(&a) {
                round_trip(&plan);
            }
        }
    }
}

/// A two-zone production cluster on a cloud puts its third etcd member in
/// the region's third zone, a zone the installers know (a site named
/// `witness` is for your own machines), and its kOps file defines a subnet
/// there: the file reads back with no error and the same placement.
#[test]
fn two_zone_cloud_designs_put_the_tie_breaker_in_a_real_zone() {
    use kubeplan::design::Answers;
    use kubeplan::plan::{ArchChoice, Platform, Purpose, StorageNeed, Traffic, WorkloadKind};
    use kubeplan::questionnaire::fields::CidrAnswer;
    let c = Catalog::builtin();
    let mut seen = 0;
    for &platform in Platform::ALL {
        let d = &c.questions().workload_defaults[&WorkloadKind::Web];
        let a = Answers {
            purpose: Purpose::Production,
            platform,
            managed: false,
            workload: WorkloadKind::Web,
            apps: 5,
            pods: 2_000,
            traffic: Traffic::Steady,
            zones: 2,
            tolerate: 1,
            storage: vec![StorageNeed::Fast],
            pod_cpu: d.pod_cpu,
            pod_memory_gib: d.pod_memory_gib,
            arch: ArchChoice::Any,
            pod_cidr: CidrAnswer::Auto,
            service_cidr: CidrAnswer::Auto,
            host_cpu: 8,
            host_memory_gib: 16.0,
            region: "auto".into(),
        };
        for plan in crate::design::design(&a) {
            let zones = plan.etcd_zones();
            assert_eq!(zones.len(), 3, "{a:?}: {zones:?}");
            let names = c.platform(platform).design_zones();
            match platform {
                Platform::OnPrem => assert_eq!(zones[2], "witness", "{a:?}"),
                _ => assert!(
                    names.contains(&zones[2]) && !plan.spec.zones.contains(&zones[2]),
                    "{a:?}: {zones:?}"
                ),
            }
            seen += round_trip(&plan);
        }
    }
    assert!(seen >= 3, "{seen} round trips");
}

/// What docs/import.md says each format reads quotes the numbers kubeplan
/// uses (`profiles/kubernetes.yaml`, `installerDefaults` and the EKS
/// limits): the text cannot drift from the code.
#[test]
fn what_the_docs_say_of_each_format_quotes_the_catalog() {
    let c = Catalog::builtin();
    let d = &c.kubernetes.installer_defaults;
    let reads = |f: &Spec| f.about.reads.join("\n");
    let eks = c.limits(kubeplan::plan::Platform::Aws, true);
    let big = eks.large_node.as_ref().unwrap();
    let format = |title: &str| kubeplan::import::format(title).expect(title);
    let cases: Vec<(&Spec, Vec<String>)> = vec![
        (
            format("eksctl"),
            vec![
                format!("eksctl's default of {}", d.eksctl.node_count),
                format!("eksctl's default {}", d.eksctl.vpc_cidr),
                format!("EKS's default, {}", d.eksctl.service_cidr),
                format!(
                    "or {} when the VPC is in {}",
                    d.eksctl.service_cidr_in_ten, d.eksctl.ten_range
                ),
                format!(
                    "at most {} up to {} vCPUs and {} above",
                    eks.max_pods_per_node, big.above_cpu, big.max_pods_per_node
                ),
            ],
        ),
        (
            format("kOps"),
            vec![
                format!("kOps' default {}", d.kops.control_plane_group_size),
                format!("kOps' default {}", d.kops.node_group_size),
                format!(
                    "`nonMasqueradeCIDR` {}: pods {}, services {}",
                    d.kops.non_masquerade_cidr, d.kops.pod_cidr, d.kops.service_cidr
                ),
            ],
        ),
        (
            format("kubeadm"),
            vec![format!("kubeadm's default {}", d.kubeadm.service_cidr)],
        ),
        (
            format("Cluster API"),
            vec![
                format!(
                    "`replicas` (default {})",
                    d.cluster_api.control_plane_replicas
                ),
                format!(
                    "`replicas` (default {},",
                    d.cluster_api.machine_deployment_replicas
                ),
                format!("the service default {}", d.cluster_api.service_cidr),
            ],
        ),
    ];
    for (f, quotes) in cases {
        let text = reads(f);
        for q in quotes {
            assert!(text.contains(&q), "{}: `{q}` not in:\n{text}", f.what);
        }
    }
}

/// Kubespray's defaults, which an inventory without the variables gets,
/// are the values of Kubespray's own sample `group_vars` (vendored from
/// kubernetes-sigs/kubespray `inventory/sample/`, see SOURCES.tsv).
#[test]
fn kubespray_defaults_are_the_sample_group_vars() {
    let d = &Catalog::builtin().kubernetes.installer_defaults.kubespray;
    let text = std::fs::read_to_string(
        upstream().join("examples/kubespray/sample/group_vars/k8s_cluster/k8s-cluster.yml"),
    )
    .unwrap();
    let vars: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    assert_eq!(vars["kube_pods_subnet"], d.pod_cidr.to_string());
    assert_eq!(vars["kube_service_addresses"], d.service_cidr.to_string());
    assert_eq!(vars["kube_network_node_prefix"], u64::from(d.node_prefix));
    assert_eq!(vars["kube_network_plugin"], d.network_plugin.as_str());
    // And an inventory that sets none of them reads as those defaults.
    let docs = documents(
        Source::new(
            "/nonexistent/inventory.ini".into(),
            "[kube_control_plane]\ncp1\n[kube_node]\nw1\n".into(),
        ),
        &Supply::default(),
        Catalog::builtin(),
    )
    .unwrap();
    let net = docs[0].plan.as_ref().unwrap().spec.network.clone().unwrap();
    assert_eq!(
        net.pod_cidr.as_deref(),
        Some(d.pod_cidr.to_string().as_str())
    );
    assert_eq!(net.service_cidr, d.service_cidr.to_string());
    assert_eq!(net.node_cidr_mask_size, Some(d.node_prefix));
}
