//! `size --workloads`, `lint --workloads` and the reader, end to end: the
//! worked example of docs/workloads.md, real manifests no one here wrote
//! (read in place from `../shared/reference/workloads/real/`), and bad input.

use serde_json::Value;

use crate::common::{kubeplan, reference};

fn size_json(args: &[&str]) -> Value {
    let out = kubeplan()
        .args(["size", "-f", "json"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn placement<'a>(choice: &'a Value, workload: &str) -> &'a Value {
    choice["placement"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["workload"] == workload)
        .unwrap_or_else(|| panic!("no placement of {workload}"))
}

const SHOP: &str = "docs/workloads-example/shop.yaml";

/// The worked example: what is read, the pools, the spread, the zone loss.
#[test]
fn the_shop_example_is_sized_as_the_docs_say() {
    let r = size_json(&[
        "--platform",
        "aws",
        "--zones",
        "3",
        "--region",
        "eu-west-1",
        "--workloads",
        SHOP,
    ]);
    let w = &r["workload"];
    assert_eq!(
        w["pods"], 33,
        "web at the HPA's 24, worker 4, postgres 3, report 2"
    );
    assert_eq!(
        w["daemonSets"],
        serde_json::json!(["DaemonSet/logging/log-agent"])
    );
    assert_eq!(w["skipped"]["Service"], 1);
    assert_eq!(
        w["bestEffort"],
        serde_json::json!([]),
        "the LimitRange gives worker its requests"
    );
    let notes = w["notes"].to_string();
    assert!(
        notes.contains("from 6 to 24 replicas: sized at 24"),
        "{notes}"
    );
    assert!(notes.contains("concurrencyPolicy Allow"), "{notes}");
    let best = &r["choices"][0];
    assert_eq!(best["pending"], serde_json::json!([]));
    let web = placement(best, "Deployment/shop/web");
    assert_eq!(
        web["zones"],
        serde_json::json!({"eu-west-1a": 8, "eu-west-1b": 8, "eu-west-1c": 8})
    );
    let pg = placement(best, "StatefulSet/shop/postgres");
    assert_eq!(
        pg["nodes"], 3,
        "required hostname anti-affinity: one per node"
    );
    let pools: Vec<&str> = best["pools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(pools, ["workers", "gpu"]);
    let ds = placement(best, "DaemonSet/logging/log-agent");
    assert_eq!(
        ds["pods"], best["nodes"],
        "the DaemonSet runs on every node"
    );
    assert!(best["zoneLoss"]["checked"].as_bool().unwrap());
    assert_eq!(best["zoneLoss"]["stranded"], serde_json::json!([]));
    // Every zone's loss leaves room: the survivors' allocatable holds the pods
    // that were there (the engine checked it by packing; here by arithmetic).
    for p in best["pools"].as_array().unwrap() {
        let per: Vec<u64> = p["nodesPerZone"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .collect();
        assert_eq!(per.len(), 3, "{p}");
        assert!(
            per.iter().max().unwrap() - per.iter().min().unwrap() <= 1,
            "{p}"
        );
    }
    // The choices are ranked by cost.
    let costs: Vec<f64> = r["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["monthlyCost"].as_f64().unwrap())
        .collect();
    assert!(costs.windows(2).all(|w| w[0] <= w[1]), "{costs:?}");
}

/// The same workloads, as a file and from standard input, as a folder.
#[test]
fn workloads_come_from_files_folders_and_stdin() {
    let text = std::fs::read_to_string(crate::common::path(SHOP)).unwrap();
    let out = kubeplan()
        .args([
            "size",
            "--platform",
            "aws",
            "--zones",
            "3",
            "--workloads",
            "-",
            "-f",
            "json",
        ])
        .write_stdin(text)
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdin: Value = serde_json::from_slice(&out.stdout).unwrap();
    let folder = size_json(&[
        "--platform",
        "aws",
        "--zones",
        "3",
        "--workloads",
        "docs/workloads-example/",
    ]);
    assert_eq!(stdin["choices"][0]["nodes"], folder["choices"][0]["nodes"]);
    assert_eq!(stdin["workload"]["pods"], 33);
}

/// Bad input: one line naming file, line and column, exit 2.
#[test]
fn bad_manifests_are_one_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.yaml");
    std::fs::write(
        &f,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          resources:\n            requests: {cpu: 1GB}\n",
    )
    .unwrap();
    let out = kubeplan()
        .args(["size", "--platform", "aws", "--workloads"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.yaml:10:29:"), "{err}");
    assert!(err.contains("not a Kubernetes quantity"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let out = kubeplan()
        .args(["size", "--platform", "aws", "--workloads", "no/such.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such file"));
}

/// Online Boutique: 12 Deployments of one replica, Σ requests as its
/// manifests add up (SOURCES.md of the reference folder).
#[test]
fn online_boutique_requests_add_up() {
    let Some(f) = reference("workloads/real/online-boutique.yaml") else {
        return;
    };
    let set = kubeplan::workloads::read_paths(&[f.to_string_lossy().into_owned()]).unwrap();
    assert_eq!(set.workloads.len(), 12);
    assert_eq!(set.pods(), 12);
    let cpu: i64 = set.workloads.iter().map(|w| w.pod.requests.cpu).sum();
    let mem: i64 = set.workloads.iter().map(|w| w.pod.requests.memory).sum();
    assert_eq!((cpu, mem), (1570, 1368 << 20));
    let r = size_json(&[
        "--platform",
        "gcp",
        "--zones",
        "3",
        "--workloads",
        &f.to_string_lossy(),
    ]);
    assert_eq!(r["choices"][0]["pending"], serde_json::json!([]));
}

/// Sock Shop: six workloads without requests are BestEffort, and lint says
/// so for a production plan.
#[test]
fn sock_shop_best_effort_pods_are_named() {
    let Some(f) = reference("workloads/real/sock-shop-complete-demo.yaml") else {
        return;
    };
    let f = f.to_string_lossy().into_owned();
    let r = size_json(&["--platform", "aws", "--zones", "2", "--workloads", &f]);
    let be: Vec<String> = r["workload"]["bestEffort"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let names: Vec<&str> = be.iter().map(|b| b.rsplit('/').next().unwrap()).collect();
    assert_eq!(
        names,
        [
            "carts-db",
            "catalogue-db",
            "orders-db",
            "rabbitmq",
            "session-db",
            "user-db"
        ]
    );
    let out = kubeplan()
        .args(["lint", "docs/examples/prod-eks.yaml", "--workloads", &f])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.matches("[workload-best-effort]").count(), 6, "{text}");
}

/// Argo CD HA: "at least three different nodes due to pod anti-affinity"
/// (its docs), whatever the node's size.
#[test]
fn argo_cd_ha_needs_three_nodes() {
    let Some(f) = reference("workloads/real/argo-cd-ha-install.yaml") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let node = dir.path().join("node.yaml");
    std::fs::write(&node, "apiVersion: v1\nkind: Node\nmetadata: {name: big, labels: {kubernetes.io/hostname: big}}\nstatus: {allocatable: {cpu: '64', memory: 256Gi, pods: '110'}}\n").unwrap();
    let r = size_json(&[
        "--purpose",
        "development",
        "--workloads",
        &f.to_string_lossy(),
        "--node-template",
        &node.to_string_lossy(),
    ]);
    assert_eq!(r["workload"]["pods"], 14);
    let best = &r["choices"][0];
    assert_eq!(best["nodes"], 3, "{best}");
    let binding = best["pools"][0]["binding"].as_str().unwrap();
    assert!(
        binding.starts_with("anti-affinity of argocd-redis-ha"),
        "{binding}"
    );
}

/// kube-prometheus: the Prometheus and Alertmanager pods the operator makes
/// are named, not sized; node-exporter runs on every node with its host port.
#[test]
fn kube_prometheus_operator_pods_are_named() {
    let Some(dir) = reference("workloads/real/kube-prometheus") else {
        return;
    };
    let set = kubeplan::workloads::read_paths(&[dir.to_string_lossy().into_owned()]).unwrap();
    let deps: Vec<_> = set
        .workloads
        .iter()
        .filter(|w| w.kind == kubeplan::workloads::Kind::Deployment)
        .collect();
    assert_eq!(deps.len(), 5);
    assert_eq!(deps.iter().map(|w| w.pods).sum::<u32>(), 6);
    let cpu: i64 = deps
        .iter()
        .map(|w| i64::from(w.pods) * w.pod.requests.cpu)
        .sum();
    let mem: i64 = deps
        .iter()
        .map(|w| i64::from(w.pods) * w.pod.requests.memory)
        .sum();
    assert_eq!((cpu, mem), (484, 870 << 20));
    let ne = set.daemon_sets().next().unwrap();
    assert_eq!(
        (ne.pod.requests.cpu, ne.pod.requests.memory),
        (112, 200 << 20)
    );
    assert!(ne.pod.host_ports.iter().any(|p| p.2 == 9100));
    let made = set.operator_made.join("; ");
    assert!(
        made.contains("Prometheus/monitoring/k8s") && made.contains("Alertmanager/monitoring/main"),
        "{made}"
    );
    assert_eq!(set.pdbs.len(), 3);
}

/// An EKS node that exists (`--nodes`): pods go there first, and its
/// allocatable is used as it is.
#[test]
fn existing_nodes_take_pods_first() {
    let Some(nodes) = reference("workloads/real/qovery-eks-node-list.json") else {
        return;
    };
    let n =
        kubeplan::workloads::nodes::read_nodes(&[nodes.to_string_lossy().into_owned()]).unwrap();
    assert_eq!(n.len(), 1);
    assert_eq!(
        (n[0].alloc.cpu, n[0].alloc.memory, n[0].max_pods),
        (1930, 7408576 * 1024, 35)
    );
    assert_eq!(n[0].zone(), Some("us-east-2c"));
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path().join("w.yaml");
    std::fs::write(&w, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  replicas: 3\n  template:\n    spec: {containers: [{name: c, resources: {requests: {cpu: 300m, memory: 256Mi}}}]}\n").unwrap();
    let r = size_json(&[
        "--platform",
        "aws",
        "--purpose",
        "development",
        "--workloads",
        &w.to_string_lossy(),
        "--nodes",
        &nodes.to_string_lossy(),
    ]);
    let best = &r["choices"][0];
    // 1930m less the platform DaemonSets (under 1 CPU) holds the 3 pods of 300m.
    assert_eq!(best["existingNodesUsed"], 1, "{best}");
    assert_eq!(best["nodes"], 0, "{best}");
}

/// `design --workloads`: the workload answers come from the manifests, the
/// workers from the packing, and `lint --workloads` finds that plan holds
/// them.
#[test]
fn design_from_workloads_makes_a_plan_lint_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.yaml");
    let out = kubeplan()
        .args([
            "design",
            "--profile",
            "prod-aws",
            "--yes",
            "--workloads",
            SHOP,
            "-o",
        ])
        .arg(&plan)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("come from --workloads"));
    let text = std::fs::read_to_string(&plan).unwrap();
    assert!(text.contains("pods: 33"), "{text}");
    assert!(text.contains("nvidia.com/gpu=present:NoSchedule"), "{text}");
    let out = kubeplan()
        .arg("lint")
        .arg(&plan)
        .args(["--workloads", SHOP, "-f", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<String> = report
        .to_string()
        .match_indices("\"workload-")
        .map(|(i, _)| report.to_string()[i + 1..i + 30].to_string())
        .collect();
    assert!(
        rules
            .iter()
            .all(|r| !r.starts_with("workload-does-not-fit")),
        "{rules:?}"
    );
}

/// A folder of workloads with a broken file: lint reports that file as it
/// reports an unreadable plan and carries on with the others.
#[test]
fn lint_carries_on_past_a_broken_workload_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(crate::common::path(SHOP), dir.path().join("shop.yaml")).unwrap();
    std::fs::write(
        dir.path().join("broken.yaml"),
        "kind: Deployment\nspec: [oops\n",
    )
    .unwrap();
    let out = kubeplan()
        .args([
            "lint",
            "src/lint/rules/examples/workload-does-not-fit.yaml",
            "--workloads",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    // Unreadable input is exit 2; everything else is still linted.
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("broken.yaml:2:7: error[input-unreadable]"),
        "{text}"
    );
    assert!(text.contains("pods of Deployment/shop/web"), "{text}");
    assert!(text.contains("1 file could not be read"), "{text}");
}

/// The extended resource a type's GPUs are requested as, as the platforms'
/// device plugins name them (profiles/platforms/*.yaml `accelerators`).
#[test]
fn gpu_resources_are_the_device_plugins() {
    use kubeplan::catalog::Catalog;
    use kubeplan::plan::Platform;
    let c = Catalog::builtin();
    let of = |p: Platform, t: &str| {
        let i = c.instance(p, t).unwrap_or_else(|| panic!("{t}"));
        c.platform(p).gpu_resource(i).map(str::to_string)
    };
    assert_eq!(
        of(Platform::Aws, "g4dn.xlarge").as_deref(),
        Some("nvidia.com/gpu")
    );
    assert_eq!(
        of(Platform::Aws, "g4ad.xlarge").as_deref(),
        Some("amd.com/gpu"),
        "Radeon Pro V520"
    );
    assert_eq!(
        of(Platform::Aws, "dl1.24xlarge"),
        None,
        "Gaudi: no GPU resource"
    );
    assert_eq!(of(Platform::Aws, "m5.large"), None);
    assert_eq!(
        of(Platform::Azure, "Standard_NV4as_v4"),
        None,
        "NVv4 is not supported on AKS"
    );
    assert_eq!(
        of(Platform::Azure, "Standard_ND96isr_MI300X_v5").as_deref(),
        Some("amd.com/gpu")
    );
    assert_eq!(
        of(Platform::Azure, "Standard_NV12s_v3").as_deref(),
        Some("nvidia.com/gpu")
    );
}

/// Large pods first fill nodes' CPU; the small pods after them fill pod
/// slots: the packing needs more nodes than the fluid bound, and says what
/// filled them. Worked by hand: 10,000 pods of 250m take 128 per 32-CPU
/// node (78 full nodes, 16 on a 79th); 10,000 pods of 100m then find 218
/// slots on the 79th and 234 per node after it (42 more nodes): 121 nodes
/// against a bound of ⌈3,500 / 32⌉ = 110 by CPU.
#[test]
fn packing_loss_is_shown_with_what_filled_the_nodes() {
    let dir = tempfile::tempdir().unwrap();
    let node = dir.path().join("node.yaml");
    std::fs::write(&node, "kind: Node\napiVersion: v1\nmetadata: {name: n}\nstatus: {allocatable: {cpu: '32', memory: 128Gi, pods: '234'}}\n").unwrap();
    let w = dir.path().join("w.yaml");
    let dep = |name: &str, cpu: &str, mem: &str| {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}}}\nspec:\n  replicas: 10000\n  template:\n    spec: {{containers: [{{name: c, resources: {{requests: {{cpu: {cpu}, memory: {mem}}}}}}}]}}\n")
    };
    std::fs::write(
        &w,
        format!(
            "{}---\n{}",
            dep("small", "100m", "128Mi"),
            dep("large", "250m", "64Mi")
        ),
    )
    .unwrap();
    let r = size_json(&[
        "--purpose",
        "development",
        "--workloads",
        &w.to_string_lossy(),
        "--node-template",
        &node.to_string_lossy(),
    ]);
    let pool = &r["choices"][0]["pools"][0];
    let full_large: u32 = 10_000 / (32_000 / 250); // 78
    let on_79th = 234 - (10_000 - full_large * 128); // 218 slots left
    let more = (10_000 - on_79th).div_ceil(234); // 42
    assert_eq!(pool["nodes"], full_large + 1 + more);
    assert_eq!(pool["lowerBound"]["nodes"], 3_500u32.div_ceil(32));
    let binding = pool["binding"].as_str().unwrap();
    assert_eq!(binding, format!("cpu; packing needs 11 more than that bound (nodes fullest in cpu {full_large}, max pods {})", more + 1));
}
