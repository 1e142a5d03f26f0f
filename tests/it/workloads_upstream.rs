//! The workload engine held to the upstream tables it implements, vendored
//! under `tests/fixtures/upstream/workloads/` with repository, path and
//! commit: kubernetes' `PodRequests` and PodTopologySpread filter tables,
//! Cluster Autoscaler's binpacking estimator table, Karpenter's scheduling
//! specs on its fake instance types.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;

use kubeplan::catalog::Catalog;
use kubeplan::plan::Platform;
use kubeplan::workloads::cluster::{Cluster, Group, Node, Pool};
use kubeplan::workloads::fit::Relations;
use kubeplan::workloads::nodes::NodeObject;
use kubeplan::workloads::pack::Packer;
use kubeplan::workloads::quantity;
use kubeplan::workloads::read::{raw_pod, read_text};
use kubeplan::workloads::result::{size, WorkloadReport};
use kubeplan::workloads::size::{Machine, Options};
use kubeplan::workloads::spread::SpreadState;
use kubeplan::workloads::{Res, WorkloadSet};

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(crate::common::path(&format!(
        "tests/fixtures/upstream/workloads/{name}"
    )))
    .unwrap();
    serde_saphyr::from_str(&text).unwrap()
}

fn s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[test]
fn pod_requests_are_component_helpers_table() {
    let f = fixture("pod-requests.yaml");
    let cases = f["cases"].as_array().unwrap();
    assert!(cases.len() >= 20, "{} cases", cases.len());
    for case in cases {
        let name = s(&case["name"]);
        let pod = raw_pod(&case["pod"].to_string()).unwrap_or_else(|e| panic!("{name}: {e}"));
        for (res, want) in case["expect"].as_object().unwrap() {
            let want = if res == "cpu" {
                quantity::milli(&s(want))
            } else {
                quantity::units(&s(want))
            }
            .unwrap();
            assert_eq!(pod.requests.get(res), want, "{name}: {res}");
        }
    }
}

/// The sidecar figures the issue names, on their own.
#[test]
fn sidecar_arithmetic_examples() {
    let pod = |init: &str, containers: &str| {
        format!("{{apiVersion: v1, kind: Pod, metadata: {{name: p}}, spec: {{initContainers: [{init}], containers: [{containers}]}}}}")
    };
    let c = |cpu: u32, always: bool| {
        let rp = if always {
            ", restartPolicy: Always"
        } else {
            ""
        };
        format!(
            "{{name: c{cpu}{}, resources: {{requests: {{cpu: '{cpu}'}}}}{rp}}}",
            if always { "s" } else { "" }
        )
    };
    let p = raw_pod(&pod(
        &[c(5, false), c(1, true), c(2, true), c(3, true)].join(", "),
        &c(1, false),
    ))
    .unwrap();
    assert_eq!(
        p.requests.cpu, 7000,
        "init 5 before sidecars 1, 2, 3 beside a container of 1: max(5, 1+6)"
    );
    let p = raw_pod(&pod(
        &[c(10, true), c(200, false)].join(", "),
        &c(100, false),
    ))
    .unwrap();
    assert_eq!(p.requests.cpu, 210_000);
}

/// One node per `nodes` entry of a spread case, each its own pool.
fn spread_cluster(case: &Value) -> Cluster {
    let mut c = Cluster::default();
    for n in case["nodes"].as_array().unwrap() {
        let labels: BTreeMap<String, String> =
            n["labels"].as_object().map_or_else(BTreeMap::new, |m| {
                m.iter().map(|(k, v)| (k.clone(), s(v))).collect()
            });
        let taints = n["taints"].as_array().map_or_else(Vec::new, |t| {
            t.iter()
                .map(|t| kubeplan::workloads::Taint {
                    key: s(&t["key"]),
                    value: t["value"].as_str().unwrap_or("").into(),
                    effect: s(&t["effect"]),
                })
                .collect()
        });
        let zone = labels
            .get(ZONE)
            .map(|z| match c.zones.iter().position(|x| x == z) {
                Some(i) => i as u32,
                None => {
                    c.zones.push(z.clone());
                    c.zones.len() as u32 - 1
                }
            });
        let labels: BTreeMap<String, String> =
            labels.into_iter().filter(|(k, _)| k != ZONE).collect();
        c.pools.push(Pool {
            name: s(&n["name"]),
            alloc: Res {
                cpu: 1 << 40,
                memory: 1 << 50,
                ..Res::default()
            },
            max_pods: 1000,
            labels,
            taints,
            open_zones: Vec::new(),
            instance_type: None,
            price_per_hour: None,
            weight: 0.0,
            live: Vec::new(),
        });
        c.nodes.push(Node {
            name: s(&n["name"]),
            pool: c.pools.len() as u32 - 1,
            zone,
            free: Res {
                cpu: 1 << 40,
                memory: 1 << 50,
                ..Res::default()
            },
            free_pods: 1000,
            groups: Vec::new(),
            ports: Vec::new(),
            existing: true,
            down: false,
        });
    }
    c
}

fn group(name: &str, pod: kubeplan::workloads::PodSpec) -> Group {
    Group {
        workload: 0,
        name: name.into(),
        pod: Arc::new(pod),
        count: 1,
        daemon: false,
        pool: None,
    }
}

/// A case's existing pods (terminating ones are not counted), each a group
/// of its own after `groups`, with the node it runs on.
fn existing_pods(case: &Value, c: &Cluster, groups: &mut Vec<Group>) -> Vec<(u32, usize)> {
    let mut on = Vec::new();
    for e in case["existingPods"].as_array().into_iter().flatten() {
        if e["terminating"].as_bool() == Some(true) {
            continue;
        }
        let labels = e["labels"].as_object().map_or_else(BTreeMap::new, |m| {
            m.iter().map(|(k, v)| (k.clone(), s(v))).collect()
        });
        let ns = e["namespace"].as_str().unwrap_or("default").to_string();
        let pod = kubeplan::workloads::PodSpec {
            namespace: ns,
            labels,
            ..Default::default()
        };
        groups.push(group(&s(&e["name"]), pod));
        let i = c
            .nodes
            .iter()
            .position(|n| n.name == s(&e["node"]))
            .unwrap();
        on.push((groups.len() as u32 - 1, i));
    }
    on
}

/// PodTopologySpread's Filter, node by node (only that plugin runs upstream:
/// the fit of node affinity and taints is not part of these expectations).
const ZONE: &str = "topology.kubernetes.io/zone";

/// The table as written (its key `zone` is a label like any other), and
/// again with `zone` renamed to the well-known zone key, which kubeplan
/// keeps per node and counts per zone.
#[test]
fn topology_spread_filter_is_kube_scheduler_table() {
    let f = fixture("topology-spread-filter.yaml");
    spread_table(&f);
    let renamed = f.to_string().replace("\"zone\"", &format!("\"{ZONE}\""));
    spread_table(&serde_json::from_str(&renamed).unwrap());
}

fn spread_table(f: &Value) {
    let cases = f["cases"].as_array().unwrap();
    assert!(cases.len() >= 30);
    for case in cases {
        let name = s(&case["name"]);
        let c = spread_cluster(case);
        let mut groups = vec![group(
            "incoming",
            raw_pod(&case["pod"].to_string()).unwrap(),
        )];
        let on = existing_pods(case, &c, &mut groups);
        let rel = Relations::new(&groups);
        let mut p = Packer::new(c, &groups, &rel);
        for (g, i) in on {
            p.place(g, i, 1);
        }
        let st = SpreadState::new(&p.c, &rel, &groups, 0, false, None);
        // The per-zone counts give the same answer on zone constraints.
        let fast = SpreadState::new(&p.c, &rel, &groups, 0, false, Some(&p.counts));
        for (node, want) in case["fits"].as_object().unwrap() {
            let i = p.c.nodes.iter().position(|n| n.name == *node).unwrap();
            let got = st.iter().all(|s| s.allows(i));
            assert_eq!(got, want.as_bool().unwrap(), "{name}: {node}");
            assert_eq!(
                fast.iter().all(|s| s.allows(i)),
                got,
                "{name}: {node} (from counts)"
            );
        }
    }
}

/// The same table after a zone's loss (whatif's question): the first
/// zone's nodes go NotReady (tainted `node.kubernetes.io/unreachable`)
/// and their pods are evicted. Every case with one zone constraint and no
/// node affinity, selector, taints or minDomains is asked again, node by
/// node, under both taint policies, against the filter's arithmetic done
/// here: a node passes when its zone's matching pods, plus the incoming
/// pod if it matches itself, less the minimum over the counted zones, is
/// at most maxSkew; `Ignore` counts the lost zone (at 0), `Honor` does not.
#[test]
fn a_lost_zone_in_the_spread_table() {
    let f = fixture("topology-spread-filter.yaml");
    let renamed = f.to_string().replace("\"zone\"", &format!("\"{ZONE}\""));
    let f: Value = serde_json::from_str(&renamed).unwrap();
    let (mut asked, mut differ) = (0, 0);
    for case in f["cases"].as_array().unwrap() {
        let spec = &case["pod"]["spec"];
        let simple = spec["topologySpreadConstraints"]
            .as_array()
            .is_some_and(|c| c.len() == 1)
            && spec["topologySpreadConstraints"][0]["minDomains"].is_null()
            && spec["affinity"].is_null()
            && spec["nodeSelector"].is_null()
            && case["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .all(|n| n["taints"].is_null());
        if !simple || spec["topologySpreadConstraints"][0]["topologyKey"] != ZONE {
            continue;
        }
        let c = spread_cluster(case);
        if c.zones.len() < 2 {
            continue;
        }
        let mut answers = Vec::new();
        for honor in [false, true] {
            let mut pod = raw_pod(&case["pod"].to_string()).unwrap();
            pod.spread[0].honor_taints = honor;
            let mut groups = vec![group("incoming", pod)];
            let on = existing_pods(case, &c, &mut groups);
            let rel = Relations::new(&groups);
            let mut p = Packer::new(c.clone(), &groups, &rel);
            for (g, i) in &on {
                p.place(*g, *i, 1);
            }
            let lost: Vec<usize> = (0..p.c.nodes.len())
                .filter(|&i| p.c.nodes[i].zone == Some(0))
                .collect();
            kubeplan::workloads::outage::evict(&mut p, &lost);
            let matching = &rel.spread[0][0];
            let per_zone = |z: u32| -> i64 {
                on.iter()
                    .filter(|(g, i)| {
                        matching.groups.contains(g) && p.c.nodes[*i].zone == Some(z) && z != 0
                    })
                    .count() as i64
            };
            let counted: Vec<u32> = (0..p.c.zones.len() as u32)
                .filter(|&z| !honor || z != 0)
                .collect();
            let min = counted.iter().map(|&z| per_zone(z)).min().unwrap();
            let own = i64::from(matching.own);
            let skew = i64::from(groups[0].pod.spread[0].max_skew);
            let st = SpreadState::new(&p.c, &rel, &groups, 0, false, Some(&p.counts));
            let mut got = Vec::new();
            for (i, n) in p.c.nodes.iter().enumerate().filter(|(_, n)| !n.down) {
                // A node without the key is no domain: it never passes.
                let want = n.zone.is_some_and(|z| per_zone(z) + own - min <= skew);
                let allows = st.iter().all(|s| s.allows(i));
                assert_eq!(
                    allows,
                    want,
                    "{}: {} (nodeTaintsPolicy {})",
                    s(&case["name"]),
                    n.name,
                    if honor { "Honor" } else { "Ignore" }
                );
                got.push(allows);
            }
            answers.push(got);
            asked += 1;
        }
        differ += usize::from(answers[0] != answers[1]);
    }
    assert!(asked >= 12, "{asked} cases asked");
    assert!(differ >= 3, "the taint policy decides in {differ} cases");
}

fn node_object(v: &Value) -> NodeObject {
    let text = v.to_string();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("node.json");
    std::fs::write(&f, text).unwrap();
    kubeplan::workloads::nodes::read_nodes(&[f.to_string_lossy().into_owned()])
        .unwrap()
        .remove(0)
}

/// A set of workloads: each `{count, pod}` as a ReplicaSet of `count`.
fn workload_set(ws: &Value) -> WorkloadSet {
    let mut docs = Vec::new();
    for (i, w) in ws.as_array().unwrap().iter().enumerate() {
        let pod = &w["pod"];
        let rs = serde_json::json!({
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": format!("{}-{i}", s(&pod["metadata"]["name"])), "namespace": pod["metadata"]["namespace"].as_str().unwrap_or("default")},
            "spec": {"replicas": w["count"], "template": {"metadata": {"labels": pod["metadata"]["labels"]}, "spec": pod["spec"]}}
        });
        docs.push(rs.to_string());
    }
    read_text("case", &docs.join("\n---\n")).unwrap()
}

fn options(c: &Catalog) -> Options<'_> {
    Options {
        catalog: c,
        platform: Platform::OnPrem,
        demand: kubeplan::sizing::Demand {
            pods: 1,
            requests: kubeplan::plan::PodRequests {
                cpu: 0.1,
                memory_gib: 0.1,
            },
            zones: 1,
            burst: false,
            production: false,
            managed: false,
            arch: kubeplan::plan::ArchChoice::Any,
            prefix_delegation: false,
            types: Default::default(),
        },
        zones: Vec::new(),
        region: None,
        survive: false,
        pinned: None,
        template: None,
        existing: Vec::new(),
        top: 1,
        machines: None,
    }
}

/// Nodes that run a pod of the workloads (CA counts the nodes that
/// received one, the existing one included when pods land there).
fn nodes_with_pods(r: &WorkloadReport) -> (u32, u64) {
    let ch = &r.choices[0];
    (ch.nodes + ch.existing_nodes_used, ch.pods_placed)
}

/// Cluster Autoscaler's estimator table, with `--node-template` semantics.
/// CA packs only onto the nodes it adds, except that a hostname-spread pod
/// may land on any node; kubeplan puts pods on existing nodes first (as the
/// scheduler does). So the table's `oldnode` is given only to the spread
/// cases, where it matters as a topology domain with no matching pods; in
/// the others CA never uses it. kubeplan has no node-count limiter: the
/// two cases CA's limiter cuts (maxNodes) are left out.
/// Where kubeplan answers otherwise on purpose.
const CA_DIFFERS: &[(&str, (u32, u64), &str)] = &[(
    "zonal topology spreading with maxSkew=2 only allows 2 pods to schedule",
    (2, 8),
    "the estimator packs only onto the nodes it adds, so oldnode's room in zone-jupiter stays \
     unused and zone-mars may hold just 2 (skew against jupiter's 0); kube-scheduler puts 5 on \
     oldnode (100m / 20m) and then 3 in zone-mars (skew 2), and so does kubeplan",
)];

#[test]
fn binpacking_estimator_table() {
    let f = fixture("ca-binpacking.yaml");
    let c = Catalog::builtin();
    let mut ran = 0;
    for case in f["cases"].as_array().unwrap() {
        let name = s(&case["name"]);
        let max_nodes = case["maxNodes"].as_u64().unwrap_or(0);
        if max_nodes > 0
            && max_nodes < case["expect"]["newNodes"].as_u64().unwrap() + 1
            && name != "BenchmarkBinpackingEstimate"
        {
            continue;
        }
        let spread = case.to_string().contains("topologySpreadConstraints");
        let mut o = options(c);
        o.template = Some(node_object(&case["nodeTemplate"]));
        o.zones = vec![o.template.as_ref().unwrap().zone().unwrap().to_string()];
        if spread {
            o.existing = case["existingNodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(node_object)
                .collect();
        }
        let set = workload_set(&case["workloads"]);
        let r = size(&o, &set);
        let got = nodes_with_pods(&r);
        let mut want = (
            case["expect"]["newNodes"].as_u64().unwrap() as u32,
            case["expect"]["scheduledPods"].as_u64().unwrap(),
        );
        if let Some((_, ours, why)) = CA_DIFFERS.iter().find(|d| d.0 == name) {
            eprintln!("{name}: kubeplan answers {ours:?}, not {want:?}: {why}");
            want = *ours;
        }
        assert_eq!(got, want, "{name}: {:#?}", r.choices[0].placement);
        ran += 1;
    }
    assert_eq!(ran, 7);
}

fn machine(t: &Value) -> Machine {
    let a = &t["allocatable"];
    let mut alloc = Res {
        cpu: quantity::milli(&s(&a["cpu"])).unwrap(),
        memory: quantity::units(&s(&a["memory"])).unwrap(),
        ..Res::default()
    };
    for (k, v) in t["extendedResources"].as_object().into_iter().flatten() {
        alloc.set(k, quantity::units(&s(v)).unwrap());
    }
    let mut labels: BTreeMap<String, String> = t["labels"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), s(v)))
        .collect();
    let arch = s(&t["arch"]);
    labels.insert("kubernetes.io/arch".into(), arch.clone());
    labels.insert("kubernetes.io/os".into(), "linux".into());
    labels.insert("node.kubernetes.io/instance-type".into(), s(&t["name"]));
    Machine {
        name: s(&t["name"]),
        alloc,
        max_pods: quantity::units(&s(&a["pods"])).unwrap() as u32,
        labels,
        taints: Vec::new(),
        price: t["price"].as_f64(),
        weight: 0.0,
        gpus: 0,
        arch,
    }
}

/// The NodePool's requirements on instance labels narrow the types.
fn allowed(m: &Machine, pool: &Value) -> bool {
    pool["requirements"]
        .as_array()
        .into_iter()
        .flatten()
        .all(|r| {
            let key = s(&r["key"]);
            let values: Vec<String> = r["values"]
                .as_array()
                .into_iter()
                .flatten()
                .map(s)
                .collect();
            match (m.labels.get(&key), s(&r["operator"]).as_str()) {
                (None, _) => true,
                (Some(v), "In") => values.contains(v),
                (Some(v), "NotIn") => !values.contains(v),
                _ => true,
            }
        })
}

/// Where kubeplan answers otherwise on purpose, and what it answers.
/// Karpenter treats every node it could launch as an empty hostname
/// domain, so a hostname spread puts at most maxSkew pods on a node;
/// kube-scheduler (and Cluster Autoscaler's estimator, and kubeplan)
/// count the nodes that exist when the pod is placed. Karpenter picks a
/// type per node; kubeplan one type per pool (node counts agree). A
/// NodePool's cpu `limits` have no counterpart: the case is left out.
const KUBEPLAN_DIFFERS: &[(&str, &str)] = &[
    (
        "should balance pods across nodes",
        "nodes 1: the 4 pods fit one node, the only hostname domain when they are placed",
    ),
    (
        "balance multiple deployments with hostname topology spread",
        "nodes 1: as above",
    ),
    (
        "should pack nodes tightly",
        "nodes 2 of one type (fake-it-4), not two types",
    ),
    (
        "should partially schedule if limits would be exceeded",
        "left out: no NodePool limits",
    ),
];

fn zone_requirement(pool: &Value) -> Option<Vec<String>> {
    pool["requirements"]
        .as_array()?
        .iter()
        .find(|r| r["key"] == "topology.kubernetes.io/zone")
        .map(|r| r["values"].as_array().unwrap().iter().map(s).collect())
}

fn karpenter_case(f: &Value, case: &Value) -> WorkloadReport {
    let c = Catalog::builtin();
    let types: Vec<Value> = match case["instanceTypes"].as_str() {
        Some(n) => f["instanceTypeSets"][n].as_array().unwrap().clone(),
        None => case["instanceTypes"].as_array().unwrap().clone(),
    };
    let taints: Vec<kubeplan::workloads::Taint> = case["nodePool"]["taints"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| kubeplan::workloads::Taint {
            key: s(&t["key"]),
            value: s(&t["value"]),
            effect: s(&t["effect"]),
        })
        .collect();
    let mut o = options(c);
    let machines = types
        .iter()
        .map(machine)
        .filter(|m| allowed(m, &case["nodePool"]));
    o.machines = Some(
        machines
            .map(|mut m| {
                m.taints = taints.clone();
                m
            })
            .collect(),
    );
    o.zones = zone_requirement(&case["nodePool"]).unwrap_or_else(|| {
        vec![
            "test-zone-1".into(),
            "test-zone-2".into(),
            "test-zone-3".into(),
        ]
    });
    let mut set = workload_set(&case["workloads"]);
    let ds: Vec<String> = case["daemonSets"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| d.to_string())
        .collect();
    if !ds.is_empty() {
        set.workloads
            .extend(read_text("ds", &ds.join("\n---\n")).unwrap().workloads);
    }
    size(&o, &set)
}

#[test]
fn karpenter_scheduling_specs() {
    let f = fixture("karpenter.yaml");
    let mut checked = 0;
    for case in f["cases"].as_array().unwrap() {
        let name = s(&case["name"]);
        let r = karpenter_case(&f, case);
        let ch = &r.choices[0];
        let e = &case["expect"];
        let nodes = ch.nodes as u64;
        let placed = ch.pods_placed;
        let types: std::collections::BTreeSet<String> = ch
            .pools
            .iter()
            .filter(|p| p.nodes > 0)
            .map(|p| p.instance_type.clone())
            .collect();
        if let Some((_, why)) = KUBEPLAN_DIFFERS.iter().find(|d| d.0 == name) {
            match name.as_str() {
                "should pack nodes tightly" => {
                    assert_eq!((nodes, types.len()), (2, 1), "{name}: {why}")
                }
                "should partially schedule if limits would be exceeded" => {}
                _ => assert_eq!(nodes, 1, "{name}: {why}"),
            }
            continue;
        }
        if let Some(n) = e["nodes"].as_u64() {
            assert_eq!(nodes, n, "{name}: nodes");
        }
        if let Some(t) = e["instanceType"].as_str() {
            assert_eq!(types.iter().collect::<Vec<_>>(), vec![t], "{name}: type");
        }
        if let Some(by) = e["instanceTypeByPod"].as_object() {
            let want: std::collections::BTreeSet<String> = by.values().map(s).collect();
            assert_eq!(types, want, "{name}: types");
        }
        if let Some(cap) = e["instanceCapacity"].as_object() {
            let m = f["instanceTypeSets"]["default"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| s(&t["cpu"]) == s(&cap["cpu"]) && s(&t["memory"]) == s(&cap["memory"]))
                .unwrap();
            assert!(types.contains(&s(&m["name"])), "{name}: {types:?}");
        }
        if let Some(n) = e["scheduled"].as_u64() {
            assert_eq!(placed, n, "{name}: scheduled");
        }
        if let Some(n) = e["unschedulable"].as_u64() {
            assert_eq!(ch.pending.len() as u64, n, "{name}: unschedulable");
        }
        if let Some(z) = e["zoneCounts"].as_array() {
            let mut want: Vec<u64> = z.iter().map(|v| v.as_u64().unwrap()).collect();
            let mut got: Vec<u64> = ch
                .placement
                .iter()
                .filter(|p| p.pods > 0)
                .flat_map(|p| p.zones.values().map(|&v| u64::from(v)))
                .collect();
            want.sort();
            got.sort();
            assert_eq!(got, want, "{name}: zones");
        }
        checked += 1;
    }
    assert!(checked >= 20, "{checked}");
}
