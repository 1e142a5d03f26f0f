//! A running cluster's snapshot (`kubectl get nodes,pods -A -o json`) →
//! its plan: the platform from the nodes' provider IDs, region and zones
//! from their labels, the control-plane nodes, a pool per node-pool label,
//! instance type or capacity shape (per zone where uneven), machines from
//! `status.capacity`, max pods from `status.allocatable`, etcd from its
//! static pods, and the workload from the pods. The workloads themselves
//! go to `whatif` and `lint` as they run (`workloads/snapshot`).

use std::sync::Arc;

use serde_saphyr::Spanned;

use super::tree::At;
use super::{plan_name, About, Imported, Read, Spec, Supply};
use crate::catalog::Catalog;
use crate::plan::load::{LoadError, Source};
use crate::plan::node::Node;
use crate::plan::origin::Spot;
use crate::plan::{Arch, Document, Fact, Machine, Os, Platform, Tooling, WorkerPool, Workload};
use crate::workloads::model::Kind;
use crate::workloads::snapshot::cluster::{label, plan_pools, region, zones, PlanPool, INSTANCE_TYPE};
use crate::workloads::snapshot::{SnapNode, Snapshot};

pub(super) const SPEC: Spec = Spec {
    what: "cluster snapshot",
    plural: "cluster snapshots",
    groups: &[],
    versions: &[],
    advice: "",
    provider_groups: false,
    syntax: "`kubectl get nodes,pods -A -o json` or `-o yaml`",
    detect: Some(detect),
    about: ABOUT,
    import,
};

const ABOUT: About = About {
    title: "kubectl snapshot",
    detected: "Node objects (`kind: Node`, a `NodeList`, or a `List` holding them, as `kubectl get nodes,pods -A -o json` prints), with or without their Pods; a folder of single Node and Pod files is one cluster. JSON is read streaming, so a 5,000-node, 150,000-pod List takes the memory of its largest object",
    reads: &[
        "the platform from the nodes' `spec.providerID` (`aws://`, `gce://`, `azure://`), else on-prem; the region and zones from `topology.kubernetes.io/region` and `zone` (else the `failure-domain.beta.kubernetes.io` labels)",
        "the control-plane nodes (`node-role.kubernetes.io/control-plane` or `master`, as a label or a taint); none on a cloud is a managed control plane",
        "a worker pool per node-pool label (EKS, eksctl, GKE, AKS, kOps, Karpenter), else per instance type (`node.kubernetes.io/instance-type`), else per capacity shape; a pool whose nodes are not spread evenly over its zones is one pool per zone",
        "machines from `status.capacity`; max pods, and for `whatif` and `lint` the allocatable, from `status.allocatable` as the kubelet reports them",
        "etcd from its static pods (`kube-system/etcd-*`, `openshift-etcd/etcd-*`): stacked, one member per pod",
        "the workload from the pods, grouped by owner (a ReplicaSet's by its Deployment), Succeeded and Failed pods dropped, requests as the API server stored them",
        "not in the file: the purpose, what stands in front of the API servers, the storage classes",
    ],
    example: "snapshot.yaml",
    example_flags: &["--purpose", "production"],
};

/// Whether a YAML document is a snapshot's (a Node, or a List of them).
fn detect(doc: &Spanned<Node>) -> bool {
    let at = At::root(doc);
    match at.kind() {
        Some("Node" | "NodeList") => true,
        Some("List") => at
            .get("items")
            .map(|i| i.items())
            .unwrap_or_default()
            .iter()
            .any(|i| i.kind() == Some("Node")),
        _ => false,
    }
}

fn import(source: &Arc<Source>, _: &[Spanned<Node>], c: &Catalog) -> Result<Read, LoadError> {
    let snap = crate::workloads::snapshot::from_source(source)?;
    Ok(Read::Plans(vec![imported(&snap, c)]))
}

/// A snapshot's plan, as a document (a streamed file keeps no text).
pub fn documents(snap: &Snapshot, supply: &Supply, c: &Catalog) -> Vec<Document> {
    let source = Arc::new(Source::new(snap.name.clone(), String::new()));
    vec![imported(snap, c).into_document(&source, 0, supply, c)]
}

fn platform(s: &Snapshot) -> Platform {
    let by = |scheme: &str, prefix: &str| {
        s.nodes.iter().any(|n| {
            n.provider.as_deref() == Some(scheme)
                || n.obj.labels.keys().any(|k| k.starts_with(prefix))
        })
    };
    let short = match () {
        _ if by("aws", "eks.amazonaws.com/") => "AWS",
        _ if by("gce", "cloud.google.com/") => "GCP",
        _ if by("azure", "kubernetes.azure.com/") => "Azure",
        _ => "",
    };
    Platform::ALL
        .iter()
        .copied()
        .find(|p| p.cloud() && p.short() == short)
        .unwrap_or(super::imported::own_machines())
}

/// Where a node's field is: in its own file when the snapshot is a folder.
fn spot(n: &SnapNode, field: &str, s: &Snapshot) -> Spot {
    let mut spot = Spot::new(n.pos, field);
    if *n.file != *s.name {
        spot.file = Some(Arc::new(Source::new(n.file.to_string(), String::new())));
    }
    spot
}

fn machine(n: &SnapNode) -> Machine {
    Machine {
        cpu: n.capacity.cpu as f64 / 1000.0,
        memory_gib: ((n.capacity.memory as f64 / 1_073_741_824.0) * 100.0).round() / 100.0,
        disk_gib: None,
        disk: None,
    }
}

/// The plan of a snapshot.
pub(super) fn imported(s: &Snapshot, c: &Catalog) -> Imported {
    let stem = std::path::Path::new(&s.name)
        .file_stem()
        .and_then(|f| f.to_str())
        .unwrap_or("cluster");
    let first = &s.nodes[0];
    let mut imp = Imported::new(&SPEC, plan_name(stem), spot(first, "items", s));
    let p = &mut imp.plan.spec;
    p.platform = platform(s);
    p.region = region(s);
    p.zones = zones(s);
    if s.nodes.iter().any(|n| n.obj.labels.contains_key("node.openshift.io/os_id")) {
        p.tooling = Some(Tooling::Openshift);
    }
    let pools = plan_pools(s);
    control_plane(&mut imp, s, &pools);
    for pool in pools.iter().filter(|p| !p.control_plane) {
        worker_pool(&mut imp, s, pool, c);
    }
    workload(&mut imp, s);
    imp.unknown(Fact::Storage, "a snapshot of nodes and pods holds no StorageClass");
    imp.note(format!(
        "{} nodes and {} pods read ({} Succeeded or Failed pods dropped)",
        s.nodes.len(),
        s.placed.iter().map(Vec::len).sum::<usize>(),
        s.finished
    ));
    if s.elsewhere > 0 {
        imp.note(format!(
            "{} on nodes the snapshot does not hold: left out",
            crate::prose::plural(s.elsewhere as u64, "pod runs", "pods run")
        ));
    }
    imp
}

fn control_plane(imp: &mut Imported, s: &Snapshot, pools: &[PlanPool]) {
    let cp: Vec<usize> = pools
        .iter()
        .filter(|p| p.control_plane)
        .flat_map(|p| p.nodes.iter().copied())
        .collect();
    let cloud = imp.plan.spec.platform.cloud();
    let Some(&i) = cp.first() else {
        if cloud {
            imp.plan.spec.control_plane.managed = true;
            imp.plan.spec.tooling = imp.plan.spec.platform.service().map(|x| x.tool);
        } else {
            imp.unknown(Fact::ControlPlane, "the snapshot shows no control-plane node (labelled or tainted node-role.kubernetes.io/control-plane or master)");
            imp.unknown(Fact::Etcd, "the snapshot shows no control-plane node");
            imp.unknown(Fact::LoadBalancer, "the snapshot shows no control-plane node");
        }
        return;
    };
    let n = &s.nodes[i];
    let cpn = &mut imp.plan.spec.control_plane;
    cpn.nodes = Some(cp.len() as u32);
    cpn.zones = cp
        .iter()
        .filter_map(|&j| s.nodes[j].obj.zone().map(str::to_string))
        .collect();
    cpn.machine = Some(machine(n));
    cpn.schedulable = Some(!n.obj.taints.iter().any(|t| t.blocks()));
    imp.from("spec.controlPlane.nodes", spot(n, "metadata.labels", s));
    let names: Vec<&str> = cp.iter().map(|&j| s.nodes[j].obj.name.as_str()).collect();
    let on_cp = s
        .etcd
        .iter()
        .filter(|m| m.node.as_deref().is_some_and(|x| names.contains(&x)))
        .count();
    let openshift = imp.plan.spec.tooling == Some(Tooling::Openshift);
    match on_cp {
        // OpenShift 4 runs etcd on every control-plane node, and nowhere else.
        0 if openshift => {
            imp.stacked_etcd(Some(cp.len() as u32));
            imp.note("etcd: OpenShift 4 runs a member on each control-plane node (the snapshot has no etcd pod)");
        }
        0 => imp.unknown(Fact::Etcd, "the snapshot shows no etcd static pod (kube-system/etcd-*, openshift-etcd/etcd-*)"),
        m => imp.stacked_etcd(Some(m as u32)),
    }
    imp.unknown(
        Fact::LoadBalancer,
        "a snapshot of nodes and pods does not show what stands in front of the API servers",
    );
}

fn worker_pool(imp: &mut Imported, s: &Snapshot, pool: &PlanPool, c: &Catalog) {
    let n = &s.nodes[pool.nodes[0]];
    let new = imp.new_pool(&pool.name, spot(n, "metadata.labels", s));
    let platform = imp.plan.spec.platform;
    let instance_type = label(n, &INSTANCE_TYPE)
        .filter(|t| c.instance(platform, t).is_some())
        .map(str::to_string);
    let os = n.obj.labels.get("kubernetes.io/os").and_then(|o| o.parse::<Os>().ok());
    let arch = n.obj.labels.get("kubernetes.io/arch").and_then(|a| a.parse::<Arch>().ok());
    imp.from(new.field("machine"), spot(n, "status.capacity", s));
    imp.from(new.field("maxPods"), spot(n, "status.allocatable.pods", s));
    imp.add_pool(WorkerPool {
        name: new.name,
        nodes: pool.nodes.len() as u32,
        zones: pool.zones.clone(),
        machine: machine(n),
        instance_type,
        max_pods: Some(n.obj.max_pods),
        os: os.unwrap_or(Os::Linux),
        arch: arch.unwrap_or(Arch::Amd64),
        taints: n
            .obj
            .taints
            .iter()
            .map(|t| match t.value.is_empty() {
                true => format!("{}:{}", t.key, t.effect),
                false => format!("{}={}:{}", t.key, t.value, t.effect),
            })
            .collect(),
    });
}

/// The pods the workers hold (DaemonSets' and static pods aside), at
/// their average requests.
fn workload(imp: &mut Imported, s: &Snapshot) {
    let (mut pods, mut cpu, mut mem) = (0u64, 0i64, 0i64);
    for w in s
        .set
        .workloads
        .iter()
        .filter(|w| !matches!(w.kind, Kind::DaemonSet | Kind::StaticPod))
    {
        pods += u64::from(w.pods);
        cpu += w.pod.requests.cpu * i64::from(w.pods);
        mem += w.pod.requests.memory * i64::from(w.pods);
    }
    imp.unknown.retain(|f| *f != Fact::Workload);
    let avg = |v: i64, unit: f64| match pods {
        0 => 0.0,
        p => (v as f64 / p as f64 / unit * 1000.0).round() / 1000.0,
    };
    imp.plan.spec.workload = Some(Workload {
        kind: crate::plan::WorkloadKind::Mixed,
        applications: Some(s.set.workloads.len() as u64),
        pods,
        containers_per_pod: 1,
        traffic: None,
        pod_requests: Some(crate::plan::PodRequests {
            cpu: avg(cpu, 1000.0),
            memory_gib: avg(mem, 1_073_741_824.0),
        }),
    });
}
