//! `cargo bench --bench snapshot`: a running cluster's snapshot as `kubectl
//! get nodes,pods -A -o json` prints it, at Kubernetes' limits: 5,000
//! nodes and 150,000 pods (about 1 GB of JSON, each object with the
//! managed fields, annotations, probes and statuses kubectl shows). Wall
//! time and peak memory of `import`, `whatif --fail zone=…` and `lint`
//! from a fresh process. Runs: `RUNS=N` (default 3), medians.
//!
//! The snapshot is generated (a fixed seed) into
//! `target/bench-snapshot/cluster.json`, once (delete it to make it anew).

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

mod fresh;
use fresh::{median, run, runner, RUNNER};

const NODES: usize = 5_000;
const PODS: usize = 150_000;
const ZONES: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];
/// DaemonSets: one pod on every node.
const DAEMONS: [(&str, &str, &str); 5] = [
    ("aws-node", "25m", "64Mi"),
    ("kube-proxy", "100m", "64Mi"),
    ("ebs-csi-node", "10m", "40Mi"),
    ("node-exporter", "100m", "180Mi"),
    ("fluent-bit", "100m", "128Mi"),
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn node(i: usize) -> serde_json::Value {
    let zone = ZONES[i % 3];
    let name = format!(
        "ip-10-{}-{}-{}.ec2.internal",
        i / 65536,
        (i / 256) % 256,
        i % 256
    );
    serde_json::json!({
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "annotations": {"alpha.kubernetes.io/provided-node-ip": "10.0.0.1", "node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true"},
            "creationTimestamp": "2026-11-30T08:00:00Z",
            "labels": {
                "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/instance-type": "m6i.2xlarge", "beta.kubernetes.io/os": "linux",
                "eks.amazonaws.com/nodegroup": "general", "eks.amazonaws.com/capacityType": "ON_DEMAND",
                "failure-domain.beta.kubernetes.io/region": "us-east-1", "failure-domain.beta.kubernetes.io/zone": zone,
                "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
                "node.kubernetes.io/instance-type": "m6i.2xlarge", "topology.kubernetes.io/region": "us-east-1", "topology.kubernetes.io/zone": zone
            },
            "name": name,
            "resourceVersion": "123456789",
            "uid": format!("0f0e0d0c-{i:04x}-4000-8000-000000000000")
        },
        "spec": {"providerID": format!("aws:///{zone}/i-{i:017x}")},
        "status": {
            "addresses": [{"address": "10.0.0.1", "type": "InternalIP"}, {"address": name, "type": "Hostname"}],
            "allocatable": {"cpu": "7910m", "ephemeral-storage": "76224326324", "hugepages-1Gi": "0", "hugepages-2Mi": "0", "memory": "31482136Ki", "pods": "58"},
            "capacity": {"cpu": "8", "ephemeral-storage": "83873772Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0", "memory": "32386328Ki", "pods": "58"},
            "conditions": [
                {"lastHeartbeatTime": "2026-12-07T10:00:00Z", "lastTransitionTime": "2026-11-30T08:01:00Z", "message": "kubelet has sufficient memory available", "reason": "KubeletHasSufficientMemory", "status": "False", "type": "MemoryPressure"},
                {"lastHeartbeatTime": "2026-12-07T10:00:00Z", "lastTransitionTime": "2026-11-30T08:01:00Z", "message": "kubelet is posting ready status", "reason": "KubeletReady", "status": "True", "type": "Ready"}
            ],
            "nodeInfo": {"architecture": "amd64", "containerRuntimeVersion": "containerd://1.7.22", "kernelVersion": "6.1.112", "kubeProxyVersion": "v1.31.2-eks", "kubeletVersion": "v1.31.2-eks", "operatingSystem": "linux", "osImage": "Amazon Linux 2023"}
        }
    })
}

struct PodArgs<'a> {
    name: String,
    ns: &'a str,
    owner: (&'a str, String),
    labels: serde_json::Value,
    node: String,
    cpu: &'a str,
    mem: &'a str,
    spread: bool,
}

fn pod(p: PodArgs) -> serde_json::Value {
    let mut spec = serde_json::json!({
        "containers": [{
            "env": [{"name": "LOG_LEVEL", "value": "info"}, {"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}}],
            "image": "registry.example/app:1.4.2",
            "imagePullPolicy": "IfNotPresent",
            "livenessProbe": {"failureThreshold": 3, "httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTP"}, "periodSeconds": 10, "successThreshold": 1, "timeoutSeconds": 1},
            "name": "app",
            "ports": [{"containerPort": 8080, "name": "http", "protocol": "TCP"}],
            "readinessProbe": {"failureThreshold": 3, "httpGet": {"path": "/ready", "port": 8080, "scheme": "HTTP"}, "periodSeconds": 5, "successThreshold": 1, "timeoutSeconds": 1},
            "resources": {"limits": {"memory": p.mem}, "requests": {"cpu": p.cpu, "memory": p.mem}},
            "terminationMessagePath": "/dev/termination-log",
            "terminationMessagePolicy": "File",
            "volumeMounts": [{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access", "readOnly": true}]
        }],
        "dnsPolicy": "ClusterFirst",
        "enableServiceLinks": true,
        "nodeName": p.node,
        "preemptionPolicy": "PreemptLowerPriority",
        "priority": 0,
        "restartPolicy": "Always",
        "schedulerName": "default-scheduler",
        "securityContext": {},
        "serviceAccount": "default",
        "serviceAccountName": "default",
        "terminationGracePeriodSeconds": 30,
        "tolerations": [
            {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
            {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}
        ],
        "volumes": [{"name": "kube-api-access", "projected": {"defaultMode": 420, "sources": [{"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}}, {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}}]}}]
    });
    if p.spread {
        spec["topologySpreadConstraints"] = serde_json::json!([{"labelSelector": {"matchLabels": {"app": p.labels["app"]}}, "maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "DoNotSchedule"}]);
    }
    serde_json::json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "annotations": {"kubectl.kubernetes.io/restartedAt": "2026-12-01T09:00:00Z", "prometheus.io/scrape": "true"},
            "creationTimestamp": "2026-12-01T09:00:05Z",
            "generateName": format!("{}-", p.owner.1),
            "labels": p.labels,
            "name": p.name,
            "namespace": p.ns,
            "ownerReferences": [{"apiVersion": "apps/v1", "blockOwnerDeletion": true, "controller": true, "kind": p.owner.0, "name": p.owner.1, "uid": "1a2b3c4d-0000-4000-8000-000000000000"}],
            "resourceVersion": "987654321",
            "uid": "5e6f7a8b-0000-4000-8000-000000000000"
        },
        "spec": spec,
        "status": {
            "conditions": [
                {"lastProbeTime": null, "lastTransitionTime": "2026-12-01T09:00:05Z", "status": "True", "type": "Initialized"},
                {"lastProbeTime": null, "lastTransitionTime": "2026-12-01T09:00:09Z", "status": "True", "type": "Ready"},
                {"lastProbeTime": null, "lastTransitionTime": "2026-12-01T09:00:09Z", "status": "True", "type": "ContainersReady"},
                {"lastProbeTime": null, "lastTransitionTime": "2026-12-01T09:00:05Z", "status": "True", "type": "PodScheduled"}
            ],
            "containerStatuses": [{"containerID": "containerd://0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "image": "registry.example/app:1.4.2", "imageID": "registry.example/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "lastState": {}, "name": "app", "ready": true, "restartCount": 0, "started": true, "state": {"running": {"startedAt": "2026-12-01T09:00:07Z"}}}],
            "hostIP": "10.0.0.1",
            "phase": "Running",
            "podIP": "10.1.0.1",
            "qosClass": "Burstable",
            "startTime": "2026-12-01T09:00:05Z"
        }
    })
}

/// Writes the List item by item (pretty, four spaces, as kubectl prints it).
fn generate(path: &Path) {
    let f = std::fs::File::create(path).expect("snapshot file");
    let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
    let mut rng = Rng(0x5eed_0b5e);
    let mut first = true;
    let mut item = |w: &mut std::io::BufWriter<std::fs::File>, v: serde_json::Value| {
        let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
        let mut buf = Vec::new();
        let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
        serde::Serialize::serialize(&v, &mut ser).expect("json");
        let text = String::from_utf8(buf)
            .expect("utf-8")
            .replace('\n', "\n        ");
        let sep = if first { "" } else { ",\n" };
        first = false;
        write!(w, "{sep}        {text}").expect("write");
    };
    write!(w, "{{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n").expect("write");
    let names: Vec<String> = (0..NODES)
        .map(|i| {
            node(i)["metadata"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    for i in 0..NODES {
        item(&mut w, node(i));
    }
    let mut pods = 0;
    for (d, (ds, cpu, mem)) in DAEMONS.iter().enumerate() {
        for (i, n) in names.iter().enumerate() {
            let labels = serde_json::json!({"app": ds, "controller-revision-hash": "6d4b75cb6d", "pod-template-generation": "1"});
            item(
                &mut w,
                pod(PodArgs {
                    name: format!("{ds}-{d}{i:05x}"),
                    ns: "kube-system",
                    owner: ("DaemonSet", ds.to_string()),
                    labels,
                    node: n.clone(),
                    cpu,
                    mem,
                    spread: false,
                }),
            );
            pods += 1;
        }
    }
    // Deployments of 25 to 100 replicas, round-robin over the nodes, a
    // tenth of them spread over zones.
    let (cpus, mems) = (
        ["50m", "100m", "200m", "250m", "500m"],
        ["64Mi", "128Mi", "256Mi", "512Mi", "1Gi"],
    );
    let (mut d, mut at) = (0, 0usize);
    while pods < PODS {
        let replicas = (25 + rng.next() % 76).min((PODS - pods) as u64) as usize;
        let (cpu, mem) = (
            cpus[(rng.next() % 5) as usize],
            mems[(rng.next() % 5) as usize],
        );
        let app = format!("svc{d}");
        let hash = format!("{:010x}", rng.next() % 0xff_ffff_ffff);
        for r in 0..replicas {
            let labels = serde_json::json!({"app": app, "pod-template-hash": hash});
            let node = names[(at + r * 3) % NODES].clone();
            item(
                &mut w,
                pod(PodArgs {
                    name: format!("{app}-{hash}-{r:05x}"),
                    ns: "apps",
                    owner: ("ReplicaSet", format!("{app}-{hash}")),
                    labels,
                    node,
                    cpu,
                    mem,
                    spread: d % 10 == 0,
                }),
            );
        }
        at += replicas;
        pods += replicas;
        d += 1;
    }
    write!(w, "\n    ],\n    \"kind\": \"List\",\n    \"metadata\": {{\n        \"resourceVersion\": \"\"\n    }}\n}}\n").expect("write");
    w.flush().expect("flush");
}

fn main() {
    if std::env::var_os(RUNNER).is_some() {
        return runner();
    }
    let runs = fresh::runs(3);
    let dir = fresh::folder("bench-snapshot");
    let file = dir.join("cluster.json");
    if !file.exists() {
        let t = Instant::now();
        generate(&file);
        eprintln!(
            "generated {} in {:.1} s",
            file.display(),
            t.elapsed().as_secs_f64()
        );
    }
    let size = std::fs::metadata(&file).map_or(0, |m| m.len());
    let f = file.to_str().expect("utf-8 path");
    let mut report = format!(
        "snapshot: {NODES} nodes, {PODS} pods, {:.0} MB of JSON\n",
        size as f64 / 1e6
    );
    let cases: [(&str, Vec<&str>); 3] = [
        ("import", vec!["import", f, "--format", "json"]),
        (
            "whatif --fail zone=us-east-1a",
            vec!["whatif", f, "--fail", "zone=us-east-1a", "--format", "json"],
        ),
        (
            "lint --purpose production",
            vec!["lint", f, "--purpose", "production"],
        ),
    ];
    for (name, args) in cases {
        let (mut times, mut peak) = (Vec::new(), 0);
        for _ in 0..runs {
            let (t, kib) = run(&args);
            times.push(t);
            peak = peak.max(kib);
        }
        writeln!(
            report,
            "{name}: {:.2} s, peak {:.1} MiB",
            median(times),
            peak as f64 / 1024.0
        )
        .unwrap();
    }
    print!("{report}");
}
