//! Which pods strand when a zone dies: `whatif PLAN --workloads W` and
//! `whatif SNAPSHOT`, held to consequences worked by hand, on cases built
//! from the scheduler's spread rules and on real Node and Pod objects.

use crate::common::{kubeplan, reference};
use serde_json::Value;

const PLAN: &str = "apiVersion: kubeplan/v1
kind: ClusterPlan
metadata:
  name: three-zones
spec:
  purpose: production
  platform: on-prem
  tooling: kubeadm
  zones: [a, b, c]
  controlPlane:
    nodes: 3
    machine: {cpu: 4, memoryGiB: 16, disk: ssd}
  apiLoadBalancer: {type: haproxy, replicas: 2, virtualIP: true}
  workers:
    - name: general
      nodes: 6
      machine: {cpu: 8, memoryGiB: 32, disk: ssd}
      maxPods: 80
";

/// A Deployment of `replicas` pods (250m, 256Mi) with `extra` in its pod spec.
fn deployment(name: &str, replicas: u32, extra: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}, namespace: shop}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:{extra}
      containers:
        - name: c
          image: registry.example/{name}:1
          resources: {{requests: {{cpu: 250m, memory: 256Mi}}}}
"
    )
}

fn zone_spread(name: &str, policy: &str) -> String {
    format!(
        "
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: DoNotSchedule{policy}
          labelSelector: {{matchLabels: {{app: {name}}}}}"
    )
}

/// `whatif --fail zone=ZONE` of the plan with these manifests: the scenario's JSON.
fn zone_loss(workloads: &str, zone: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let (plan, w) = (dir.path().join("plan.yaml"), dir.path().join("w.yaml"));
    std::fs::write(&plan, PLAN).unwrap();
    std::fs::write(&w, workloads).unwrap();
    let out = kubeplan()
        .args([
            "whatif",
            plan.to_str().unwrap(),
            "--workloads",
            w.to_str().unwrap(),
        ])
        .args(["--fail", &format!("zone={zone}"), "-f", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    v["scenarios"][0].clone()
}

fn stranded(s: &Value) -> Vec<(String, u64, String)> {
    s["pods"]["stranded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["workload"].as_str().unwrap().to_string(),
                p["pods"].as_u64().unwrap(),
                p["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Six replicas spread over three zones (two each, maxSkew 1). Zone a is
/// lost: its two nodes stay in the cluster, NotReady and tainted. Under
/// the default `nodeTaintsPolicy: Ignore` zone a still counts, at 0 pods:
/// a replacement in b makes b 3 against a's 0, skew 3 > 1, and the same in
/// c, so both stay Pending. Under `Honor` zone a's nodes do not count (the
/// pods do not tolerate `node.kubernetes.io/unreachable:NoSchedule`): the
/// minimum is 2, b and c take one each (skew 1), and nothing strands.
#[test]
fn a_zone_spread_strands_its_replacements_unless_it_honours_taints() {
    let ignore = zone_loss(&deployment("web", 6, &zone_spread("web", "")), "a");
    assert_eq!(ignore["pods"]["evicted"], 2);
    assert_eq!(ignore["pods"]["rescheduled"], 0);
    assert_eq!(
        stranded(&ignore),
        [(
            "Deployment/shop/web".into(),
            2,
            "topology spread on zone".into()
        )]
    );
    let detail = ignore["pods"]["stranded"][0]["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("0/6 nodes are available: 4 node(s) didn't match pod topology spread constraints, 2 node(s) had untolerated taint {node.kubernetes.io/unreachable: }"),
        "{detail}"
    );
    assert_eq!(
        ignore["pods"]["stranded"][0]["back"],
        "when the zone returns"
    );
    assert_eq!(ignore["verdict"], "degraded");

    let policy = "\n          nodeTaintsPolicy: Honor";
    let honor = zone_loss(&deployment("web", 6, &zone_spread("web", policy)), "a");
    assert_eq!(honor["pods"]["evicted"], 2);
    assert_eq!(honor["pods"]["rescheduled"], 2);
    assert!(stranded(&honor).is_empty());
    assert_eq!(honor["verdict"], "survives");
}

/// Three replicas with required anti-affinity on zone, one per zone: the
/// lost zone's replica may join neither of the others.
#[test]
fn zone_anti_affinity_with_a_replica_per_zone_strands_one() {
    let anti = "
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - topologyKey: topology.kubernetes.io/zone
              labelSelector: {matchLabels: {app: zk}}";
    let s = zone_loss(&deployment("zk", 3, anti), "b");
    assert_eq!(
        stranded(&s),
        [("Deployment/shop/zk".into(), 1, "anti-affinity".into())]
    );
}

/// Pods with nothing in their way: the two in the lost zone come back on
/// the four nodes left; a budget of minAvailable 5 of 6 does not hold
/// right after the failure (4 healthy) but holds once they are back.
#[test]
fn free_pods_come_back_and_the_budget_holds_again() {
    let w = format!(
        "{}---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {{name: api, namespace: shop}}\nspec:\n  minAvailable: 5\n  selector: {{matchLabels: {{app: api}}}}\n",
        deployment("api", 6, "")
    );
    let s = zone_loss(&w, "c");
    assert_eq!(
        s["pods"]["evicted"], 2,
        "spread as the scheduler's default scoring spreads: 2 per zone"
    );
    assert_eq!(s["pods"]["rescheduled"], 2);
    let b = &s["pods"]["budgets"][0];
    assert_eq!(b["budget"], "shop/api");
    assert_eq!(
        (b["expected"].as_u64(), b["desired_healthy"].as_u64()),
        (Some(6), Some(5))
    );
    assert_eq!(b["healthy_at_failure"], 4);
    assert_eq!(b["healthy_after"], 6);
    assert_eq!(b["holds"], true);
    assert_eq!(s["verdict"], "survives");
}

/// A StatefulSet's pod on a lost node is not replaced (the old pod stays
/// Terminating); a bare Pod has no controller at all.
#[test]
fn statefulset_and_bare_pods_wait_for_the_zone() {
    let sts = deployment("db", 3, "")
        .replace("kind: Deployment", "kind: StatefulSet")
        .replace("spec:\n  replicas", "spec:\n  serviceName: db\n  replicas");
    let bare = "apiVersion: v1\nkind: Pod\nmetadata: {name: debug, namespace: shop}\nspec:\n  containers: [{name: c, image: busybox, resources: {requests: {cpu: 100m}}}]\n";
    let s = zone_loss(&format!("{sts}---\n{bare}"), "a");
    let mut got = stranded(&s);
    got.sort();
    assert_eq!(
        got,
        [
            ("Pod/shop/debug".into(), 1, "no controller".into()),
            (
                "StatefulSet/shop/db".into(),
                1,
                "StatefulSet identity".into()
            ),
        ]
    );
}

/// The insights-operator sample archive: one OpenShift CI cluster on GCP,
/// a master and a worker in each of us-east1-b, -c and -d, assembled as
/// `kubectl get nodes,pods -A -o json` prints it.
fn insights_list(dir: &std::path::Path) -> Option<std::path::PathBuf> {
    let root = reference("workloads/real/insights-operator-ci-ln-d53y532")?;
    let mut files: Vec<std::path::PathBuf> = walk(&root);
    files.sort();
    let items: Vec<Value> = files
        .iter()
        .map(|f| serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap())
        .collect();
    let list = serde_json::json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}});
    let mut text = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut text, fmt);
    serde::Serialize::serialize(&list, &mut ser).unwrap();
    let path = dir.join("cluster.json");
    std::fs::write(&path, text).unwrap();
    Some(path)
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        match e.path().is_dir() {
            true => out.extend(walk(&e.path())),
            false => out.push(e.path()),
        }
    }
    out
}

fn whatif_json(path: &str, fail: &str) -> Value {
    let out = kubeplan()
        .args(["whatif", path, "--fail", fail, "-f", "json"])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

/// Losing us-east1-c takes master-1 and worker-c. On master-1 run seven
/// operators' Deployment pods (each selects `node-role.kubernetes.io/master`
/// and tolerates its taint) and the sdn-controller DaemonSet's pod; on
/// worker-c runs prometheus-k8s-0. The seven come back on master-0 and
/// master-2 (3500m and 13.6 GiB allocatable each, a few hundred millicores
/// requested); prometheus-k8s-0 is a StatefulSet's and waits; the
/// DaemonSet's pod goes with its node. etcd (one member per master, as
/// OpenShift 4 runs it) keeps 2 of 3. Losing us-east1-b takes master-0 and
/// worker-b: insights-operator and service-ca move, the static
/// kube-controller-manager pod of master-0 stays with its node.
#[test]
fn a_real_openshift_snapshot_loses_a_zone_as_worked_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let Some(list) = insights_list(dir.path()) else {
        return;
    };
    let folder = reference("workloads/real/insights-operator-ci-ln-d53y532").unwrap();
    for path in [list.to_str().unwrap(), folder.to_str().unwrap()] {
        let r = whatif_json(path, "zone=us-east1-c");
        let s = &r["scenarios"][0];
        assert_eq!(s["etcd"]["left"], 2, "{path}");
        let p = &s["pods"];
        assert_eq!(
            (
                &p["running"],
                &p["evicted"],
                &p["rescheduled"],
                &p["daemon_set_pods_lost"]
            ),
            (&19.into(), &8.into(), &7.into(), &1.into()),
            "{path}"
        );
        assert_eq!(p["stranded"].as_array().unwrap().len(), 1);
        assert_eq!(p["stranded"][0]["pod"], "prometheus-k8s-0");
        assert_eq!(p["stranded"][0]["reason"], "StatefulSet identity");
        assert_eq!(s["verdict"], "degraded");

        let b = whatif_json(path, "zone=us-east1-b");
        let p = &b["scenarios"][0]["pods"];
        assert_eq!(
            (&p["evicted"], &p["rescheduled"]),
            (&3.into(), &2.into()),
            "{path}"
        );
        assert_eq!(p["stranded"][0]["reason"], "static pod");
        assert_eq!(
            p["stranded"][0]["pod"],
            "kube-controller-manager-ci-ln-d53y532-f76d1-2btqq-master-0"
        );
    }
    // The JSON List's findings point into it: the stranded pod's item.
    let r = whatif_json(list.to_str().unwrap(), "zone=us-east1-c");
    let at = r["scenarios"][0]["pods"]["stranded"][0]["at"]
        .as_str()
        .unwrap()
        .to_string();
    let line: usize = at.rsplit(':').nth(1).unwrap().parse().unwrap();
    let text = std::fs::read_to_string(&list).unwrap();
    let item: String = text.lines().skip(line - 1).take(12).collect();
    assert!(item.contains("\"prometheus-k8s-"), "{at}: {item}");
}

/// `kubectl get nodes -o json` and `kubectl get pods -A -o json` in two
/// files, named together to `lint` (in either order): one cluster, its pods
/// the workloads. The pods alone say what is missing.
#[test]
fn a_node_list_and_a_pod_list_lint_as_one_cluster() {
    let dir = tempfile::tempdir().unwrap();
    let Some(list) = insights_list(dir.path()) else {
        return;
    };
    let all: Value = serde_json::from_str(&std::fs::read_to_string(list).unwrap()).unwrap();
    let items = all["items"].as_array().unwrap();
    for (kind, file) in [("Node", "nodes.json"), ("Pod", "pods.json")] {
        let these: Vec<&Value> = items.iter().filter(|i| i["kind"] == kind).collect();
        let v = serde_json::json!({"apiVersion": "v1", "items": these, "kind": format!("{kind}List"), "metadata": {}});
        std::fs::write(
            dir.path().join(file),
            serde_json::to_string_pretty(&v).unwrap(),
        )
        .unwrap();
    }
    let (nodes, pods) = (dir.path().join("nodes.json"), dir.path().join("pods.json"));
    let (n, p) = (nodes.to_str().unwrap(), pods.to_str().unwrap());
    for order in [[n, p], [p, n]] {
        let out = kubeplan()
            .args(["lint", "--purpose", "production", "-f", "json"])
            .args(order)
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        let text = v.to_string();
        assert!(
            text.contains("workload-in-one-zone"),
            "{order:?}: the pods were read: {text}"
        );
        assert_eq!(v["summary"]["files"], 1, "{order:?}: one cluster");
    }
    let out = kubeplan()
        .args(["whatif", p, "--fail", "zone=a"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("without Node objects"));
}

/// The snapshot's plan: platform, region, zones, control plane, the
/// workers' pool by instance type with max pods from allocatable.
#[test]
fn a_snapshot_imports_as_its_plan() {
    let Some(folder) = reference("workloads/real/insights-operator-ci-ln-d53y532") else {
        return;
    };
    let out = kubeplan()
        .args(["import", folder.to_str().unwrap(), "-f", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let spec = &v["plans"][0]["plan"]["spec"];
    assert_eq!(spec["platform"], "gcp");
    assert_eq!(spec["region"], "us-east1");
    assert_eq!(
        spec["zones"],
        serde_json::json!(["us-east1-b", "us-east1-c", "us-east1-d"])
    );
    assert_eq!(spec["controlPlane"]["nodes"], 3);
    assert_eq!(spec["controlPlane"]["schedulable"], false);
    assert_eq!(spec["etcd"]["members"], 3);
    let w = &spec["workers"][0];
    assert_eq!(w["instanceType"], "n1-standard-4");
    assert_eq!(w["nodes"], 3);
    assert_eq!(
        w["maxPods"], 250,
        "status.allocatable.pods, as the kubelet reports it"
    );
    // 15387080Ki of capacity.
    assert_eq!(w["machine"]["memoryGiB"], 14.67);
}

/// The lab archive's objects carry no apiVersion or kind (the gatherer
/// drops them): known by their shape. Its master runs etcd as a static
/// pod: one stacked member.
#[test]
fn a_lab_snapshot_without_kinds_reads_by_shape() {
    let Some(folder) = reference("workloads/real/insights-operator-lab-imeixner") else {
        return;
    };
    let out = kubeplan()
        .args(["import", folder.to_str().unwrap(), "-f", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let spec = &v["plans"][0]["plan"]["spec"];
    assert_eq!(spec["platform"], "on-prem");
    assert_eq!(spec["controlPlane"]["nodes"], 1);
    assert_eq!(
        spec["etcd"],
        serde_json::json!({"topology": "stacked", "members": 1})
    );
    assert_eq!(spec["workers"][0]["nodes"], 1);
    assert_eq!(spec["workers"][0]["machine"]["cpu"], 4.0);
}

/// Qovery's EKS node: t2.large, capacity 2 CPU / 8166336Ki / 35 pods,
/// allocatable 1930m / 7408576Ki. kubeplan's EKS reservation, from the
/// capacity and 35 pods, gives the same allocatable (memory: 11 MiB a
/// pod + 255 MiB, plus the 100 MiB eviction threshold; CPU: 6% of the
/// first core and 1% of the second).
#[test]
fn the_eks_node_list_imports_and_its_allocatable_is_the_eks_formula() {
    let Some(file) = reference("workloads/real/qovery-eks-node-list.json") else {
        return;
    };
    let out = kubeplan()
        .args(["import", file.to_str().unwrap(), "-f", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let spec = &v["plans"][0]["plan"]["spec"];
    assert_eq!(spec["platform"], "aws");
    assert_eq!(spec["controlPlane"]["managed"], true);
    assert_eq!(spec["zones"], serde_json::json!(["us-east-2c"]));
    assert_eq!(spec["workers"][0]["maxPods"], 35);
    assert_eq!(spec["workers"][0]["instanceType"], "t2.large");
    let c = kubeplan::catalog::Catalog::builtin();
    let aws = kubeplan::plan::Platform::ALL
        .iter()
        .copied()
        .find(|p| p.short() == "AWS")
        .unwrap();
    let t2 = c.instance(aws, "t2.large").unwrap();
    let reserve = kubeplan::sizing::reserved_for_pods(c, aws, true, Some(t2), 35);
    let capacity_gib = 8_166_336.0 / 1_048_576.0;
    let a = kubeplan::sizing::allocatable(c.platform(aws), 2.0, capacity_gib, reserve);
    assert_eq!((a.cpu * 1000.0).round(), 1930.0);
    assert_eq!((a.memory_gib * 1_048_576.0).round(), 7_408_576.0);
}

/// Bad snapshots: a cut-short List and a syntax error in an item are one
/// line at the file, line and column, exit 2; pods without their nodes
/// say what to give.
#[test]
fn bad_snapshots_are_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let node = r#"{"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1", "labels": {}}, "status": {"allocatable": {"cpu": "2", "memory": "4Gi", "pods": "110"}}}"#;
    let cases = [
        ("cut.json", format!("{{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n        {node},\n        {{\"kind\": \"Pod\""), "cut.json:5:"),
        ("bad.json", format!("{{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n        {node},\n        {{\"kind\": \"Pod\", \"spec\": {{\"nodeName\": \"n1\",, }}}}\n    ],\n    \"kind\": \"List\"\n}}\n"), "bad.json:5:"),
        ("pods.json", "{\"apiVersion\": \"v1\", \"items\": [{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"p\"}, \"spec\": {\"nodeName\": \"n1\", \"containers\": []}}], \"kind\": \"PodList\"}\n".to_string(), "without Node objects"),
    ];
    for (name, text, want) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let out = kubeplan()
            .args(["whatif", path.to_str().unwrap(), "--fail", "zone=a"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(want), "{name}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{name}: {err}");
    }
}

/// `kubectl get nodes,pods -A -o json | kubeplan …`: a snapshot on
/// standard input is read streaming, past the 16 MiB a plan may have.
#[test]
fn a_snapshot_on_stdin_streams() {
    let node = r#"{"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1", "labels": {"topology.kubernetes.io/zone": "a"}}, "spec": {"providerID": "aws:///a/i-0123"}, "status": {"allocatable": {"cpu": "8", "memory": "32Gi", "pods": "110"}}}"#;
    let pad = "x".repeat(1 << 20);
    let pods: Vec<String> = (0..20)
        .map(|i| format!("{{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {{\"name\": \"p{i}\", \"namespace\": \"a\", \"annotations\": {{\"pad\": \"{pad}\"}}}}, \"spec\": {{\"nodeName\": \"n1\", \"containers\": [{{\"name\": \"c\", \"image\": \"x\", \"resources\": {{\"requests\": {{\"cpu\": \"100m\"}}}}}}]}}}}"))
        .collect();
    let list = format!(
        "{{\"apiVersion\": \"v1\", \"items\": [{node}, {}], \"kind\": \"List\"}}",
        pods.join(", ")
    );
    assert!(list.len() > 16 << 20);
    let out = kubeplan()
        .args(["whatif", "-", "--fail", "zone=a", "-f", "json"])
        .write_stdin(list.clone())
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let p = &v["scenarios"][0]["pods"];
    assert_eq!((&p["running"], &p["evicted"]), (&20.into(), &20.into()));
    // Twenty bare pods: nothing makes them again.
    assert_eq!(p["stranded"].as_array().unwrap().len(), 20);
    assert_eq!(p["stranded"][0]["reason"], "no controller");
    // A pod on a node the snapshot does not hold is left out, and said so.
    let other = pods[0]
        .replace("\"p0\"", "\"q\"")
        .replace("\"n1\"", "\"n9\"");
    let with_other = list.replacen("], \"kind\"", &format!(", {other}], \"kind\""), 1);
    let out = kubeplan()
        .args(["import", "-"])
        .write_stdin(with_other)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("1 pod runs on nodes the snapshot does not hold"),
        "{text}"
    );
    assert!(text.contains("pods: 20"), "{text}");
    let out = kubeplan()
        .args(["lint", "-", "--purpose", "production"])
        .write_stdin(list)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("summary:"));
    assert_ne!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// After one node's loss (not its zone's), a pod on a zonal disk is
/// replaced in its own zone only (kube-scheduler's VolumeZone filter): with
/// room there it comes back; with none it strands, for its volume.
#[test]
fn a_zonal_volume_keeps_its_pod_in_its_zone_after_a_node_loss() {
    let claim = "
      volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]";
    let w = deployment("cache", 1, claim);
    let plan = PLAN
        .replace("platform: on-prem", "platform: aws\n  region: us-east-1")
        .replace("tooling: kubeadm", "tooling: kops")
        .replace(
            "zones: [a, b, c]",
            "zones: [us-east-1a, us-east-1b, us-east-1c]",
        );
    let dir = tempfile::tempdir().unwrap();
    let (p, f) = (dir.path().join("plan.yaml"), dir.path().join("w.yaml"));
    std::fs::write(&p, &plan).unwrap();
    std::fs::write(&f, &w).unwrap();
    let run = |fail: &str| -> Value {
        let out = kubeplan()
            .args([
                "whatif",
                p.to_str().unwrap(),
                "--workloads",
                f.to_str().unwrap(),
                "--fail",
                fail,
                "-f",
                "json",
            ])
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
    };
    // Two workers in us-east-1a: losing the one with the pod leaves the other.
    let one = run("workers=general:1@us-east-1a");
    let pods = &one["scenarios"][0]["pods"];
    assert_eq!(
        (&pods["evicted"], &pods["rescheduled"]),
        (&1.into(), &1.into()),
        "{pods}"
    );
    // Losing both nodes of us-east-1a: no node of its zone is left.
    let two = run("workers=general:2@us-east-1a");
    let s = &two["scenarios"][0]["pods"]["stranded"][0];
    assert_eq!(s["reason"], "zonal volume", "{s}");
    assert!(
        s["detail"]
            .as_str()
            .unwrap()
            .contains("must run in zone us-east-1a"),
        "{s}"
    );
}

/// A one-node cluster with no zone label (minikube's shape): losing its
/// control-plane node, which also runs the pods, loses them all. etcd's
/// static pod comes back with its node; the Deployment's has no node left.
#[test]
fn a_one_node_snapshot_without_zones_loses_its_pods_with_its_node() {
    let yaml = "apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata:
    name: minikube
    labels: {kubernetes.io/hostname: minikube, node-role.kubernetes.io/control-plane: \"\"}
  status:
    allocatable: {cpu: \"4\", memory: 8024204Ki, pods: \"110\"}
- apiVersion: v1
  kind: Pod
  metadata: {name: etcd-minikube, namespace: kube-system, ownerReferences: [{kind: Node, name: minikube, controller: true}]}
  spec: {nodeName: minikube, containers: [{name: etcd, image: x, resources: {requests: {cpu: 100m}}}]}
- apiVersion: v1
  kind: Pod
  metadata: {name: web-abc, namespace: default, labels: {app: web, pod-template-hash: 5f6}, ownerReferences: [{kind: ReplicaSet, name: web-5f6, controller: true}]}
  spec: {nodeName: minikube, containers: [{name: web, image: x}]}
";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("minikube.yaml");
    std::fs::write(&path, yaml).unwrap();
    let r = whatif_json(path.to_str().unwrap(), "cp=1");
    let s = &r["scenarios"][0];
    assert_eq!(s["etcd"]["state"], "lost");
    assert_eq!(s["pods"]["evicted"], 2);
    let mut got = stranded(s);
    got.sort();
    assert_eq!(
        got,
        [
            ("Deployment/default/web".into(), 1, "node lost".into()),
            (
                "Pod/kube-system/etcd-minikube".into(),
                1,
                "static pod".into()
            ),
        ]
    );
}
