//! The sizing engine, `bom` and `size`: arithmetic re-derived by hand, and
//! properties over many workloads.

use kubeplan::catalog::Catalog;
use kubeplan::plan::*;
use kubeplan::sizing::*;
use proptest::prelude::*;
use serde_json::Value;

use crate::common::kubeplan;

fn examples() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/examples");
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn bom_prints_every_format_for_every_example() {
    for f in examples() {
        for fmt in ["table", "csv", "json", "markdown"] {
            let out = kubeplan()
                .args(["bom", "--format", fmt, &f])
                .output()
                .unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "{f} {fmt}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(!out.stdout.is_empty());
        }
        let v: Value = serde_json::from_slice(
            &kubeplan()
                .args(["bom", "--format", "json", &f])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        let rows = v["rows"].as_array().unwrap();
        let run: Vec<&Value> = rows.iter().filter(|r| r["machines"] == true).collect();
        let sum = |key: &str| {
            run.iter()
                .map(|r| r[key].as_f64().unwrap_or(0.0) * r["count"].as_f64().unwrap())
                .sum::<f64>()
        };
        assert_eq!(
            v["totals"]["machines"].as_u64().unwrap(),
            run.iter()
                .map(|r| r["count"].as_u64().unwrap())
                .sum::<u64>(),
            "{f}"
        );
        assert!(
            (v["totals"]["cpu"].as_f64().unwrap() - sum("cpu")).abs() < 1e-9,
            "{f}"
        );
        assert!(
            (v["totals"]["memoryGiB"].as_f64().unwrap() - sum("memoryGiB")).abs() < 1e-9,
            "{f}"
        );
        for r in rows {
            for key in [
                "role",
                "count",
                "cpu",
                "memoryGiB",
                "diskGiB",
                "disk",
                "zones",
                "instanceType",
            ] {
                assert!(r.get(key).is_some(), "{f}: row lacks {key}");
            }
            if r["machines"] == false {
                assert!(r["cpu"].is_null(), "{f}: a service row has cpu");
            }
        }
    }
}

#[test]
fn bom_counts_the_machines_you_run() {
    let json = |name: &str| -> Value {
        let f = format!("{}/docs/examples/{name}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_slice(
            &kubeplan()
                .args(["bom", "--format", "json", &f])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap()
    };
    // 3 control plane + 5 external etcd + 2 dedicated HAProxy + 400 workers.
    assert_eq!(
        json("prod-onprem-external-etcd.yaml")["totals"]["machines"],
        410
    );
    // EKS: 15 workers; the managed control plane is a row, not a machine.
    let eks = json("prod-eks.yaml");
    assert_eq!(eks["totals"]["machines"], 15);
    let cp = eks["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["role"] == "managed control plane")
        .unwrap()
        .clone();
    assert!(cp["cpu"].is_null());
    // 15 x m6i.2xlarge at 0.384/h + EKS 0.10/h, 730 h a month.
    let expect = (15.0 * 0.384 + 0.10) * 730.0;
    assert!((eks["totals"]["monthlyCost"].as_f64().unwrap() - expect).abs() < 1e-6);
    assert!(eks["prices"]["date"].is_string());
    // HAProxy on a control-plane node is not a machine of its own.
    assert_eq!(
        json("haproxy-on-one-control-plane.yaml")["totals"]["machines"],
        6
    );
    // The classic design: 2 control plane + 1 balancer + 2 workers.
    assert_eq!(
        json("classic-two-control-planes.yaml")["totals"]["machines"],
        5
    );
}

#[test]
fn size_answer_re_derived() {
    let out = kubeplan()
        .args([
            "size",
            "--platform",
            "aws",
            "--pods",
            "3000",
            "--pod-cpu",
            "0.25",
            "--pod-memory",
            "0.5",
            "--zones",
            "3",
            "--format",
            "json",
            "--top",
            "50",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let choices = v["choices"].as_array().unwrap();
    assert!(choices.len() > 10);
    let c = Catalog::builtin();
    let mut last = 0.0;
    for ch in choices {
        let name = ch["instanceType"].as_str().unwrap();
        let inst = c.instance(Platform::Aws, name).unwrap();
        assert_ne!(
            inst.family, "burstable",
            "production ranks no burstable type"
        );
        // maxPods: min(EKS ENI formula, 110 up to 30 vCPU / 250 above); on
        // EKS the ENI figure is the platform's own, with no per-core cap.
        let eni = inst.enis.unwrap() * (inst.ips_per_eni.unwrap() - 1) + 2;
        let eks_cap = if inst.cpu > 30.0 { 250 } else { 110 };
        let max_pods = eni.min(eks_cap);
        assert_eq!(
            ch["maxPods"].as_u64().unwrap(),
            u64::from(max_pods),
            "{name}"
        );
        // Allocatable: CPU by the GKE tiers, memory 11 MiB x the ENI figure
        // (nodeadm's computed max pods) + 255 MiB + 100 MiB eviction.
        let mut cpu_m = 0.0;
        for (lo, hi, frac) in [
            (0.0, 1.0, 0.06),
            (1.0, 2.0, 0.01),
            (2.0, 4.0, 0.005),
            (4.0, f64::INFINITY, 0.0025),
        ] {
            if inst.cpu > lo {
                cpu_m += (inst.cpu.min(hi) - lo) * frac * 1000.0;
            }
        }
        let alloc_cpu = inst.cpu - cpu_m / 1000.0;
        let alloc_mem = inst.memory_gib - (11.0 * f64::from(eni) + 255.0 + 100.0) / 1024.0;
        // Every node first runs the DaemonSets: kube-proxy 100m, Fluent Bit
        // 500m/100Mi, node-exporter 112m/200Mi (their manifests) and the VPC
        // CNI's aws-node 25m, each in a pod slot; and in production no node
        // holds more than max(10% of the 3,000 pods, 30) = 300.
        let (ds_cpu, ds_mem, ds_pods) = (0.1 + 0.5 + 0.112 + 0.025, (100.0 + 200.0) / 1024.0, 4);
        let per_node = (((alloc_cpu - ds_cpu) / 0.25 + 1e-9).floor() as u64)
            .min(((alloc_mem - ds_mem) / 0.5 + 1e-9).floor() as u64)
            .min(u64::from(max_pods - ds_pods))
            .min(300);
        assert_eq!(ch["podsPerNode"].as_u64().unwrap(), per_node, "{name}");
        // Nodes: base = ceil(3000 / per_node); smallest n >= base + 1 with n - ceil(n/3) >= base.
        let base = 3000u64.div_ceil(per_node);
        let mut n = base + 1;
        while n - n.div_ceil(3) < base {
            n += 1;
        }
        assert_eq!(ch["nodes"].as_u64().unwrap(), n, "{name}");
        let monthly = inst.price_per_hour.unwrap() * 730.0 * n as f64;
        assert!(
            (ch["monthlyCost"].as_f64().unwrap() - monthly).abs() < 1e-6,
            "{name}"
        );
        assert!(monthly >= last, "ranked cheapest first");
        last = monthly;
    }
}

#[test]
fn size_rejects_bad_flags() {
    let out = kubeplan()
        .args([
            "size",
            "--platform",
            "aws",
            "--pods",
            "10",
            "--pod-cpu",
            "-1",
            "--pod-memory",
            "1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = kubeplan()
        .args([
            "size",
            "--platform",
            "aws",
            "--pods",
            "10",
            "--pod-cpu",
            "1",
            "--pod-memory",
            "1",
            "--instance-type",
            "m5.larg",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `m5.large`"));
}

#[test]
fn a_workload_past_one_cluster_needs_several() {
    let c = Catalog::builtin();
    let limits = c.limits(Platform::OnPrem, false);
    assert_eq!(clusters_needed(limits, 3, 150_000, 110), 1);
    assert_eq!(clusters_needed(limits, 3, 150_001, 110), 2);
    assert_eq!(clusters_needed(limits, 3, 400_000, 110), 3);
    // 1 pod per node: nodes bind first (4,997 workers per cluster).
    assert_eq!(clusters_needed(limits, 3, 10_000, 1), 3);
}

fn plan_for(
    platform: Platform,
    d: &Demand,
    ch: &Choice,
    inst: &kubeplan::catalog::InstanceType,
) -> ClusterPlan {
    let (zones, nodes, max_pods, pods, req, production) = (
        d.zones,
        ch.nodes,
        ch.max_pods,
        d.pods,
        d.requests.clone(),
        d.production,
    );
    let zone_names: Vec<String> = (0..zones).map(|i| format!("z{i}")).collect();
    let yaml = format!(
        "apiVersion: kubeplan/v1\nkind: ClusterPlan\nmetadata: {{name: p}}\nspec:\n  purpose: {}\n  platform: {platform}\n  zones: [{}]\n  controlPlane: {{managed: true}}\n  workers:\n    - {{name: w, nodes: {nodes}, machine: {{cpu: {}, memoryGiB: {}}}, instanceType: {}, maxPods: {max_pods}}}\n  workload: {{kind: web, pods: {pods}, podRequests: {{cpu: {}, memoryGiB: {}}}}}\n",
        if production { "production" } else { "development" },
        zone_names.join(", "),
        inst.cpu, inst.memory_gib, inst.name, req.cpu, req.memory_gib
    );
    let docs = parse_documents(
        kubeplan::plan::load::source_from_bytes("p.yaml".into(), yaml.into_bytes()).unwrap(),
    )
    .unwrap();
    docs[0]
        .plan
        .clone()
        .unwrap_or_else(|| panic!("{:?}", docs[0].issues))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn worker_count_never_decreases(pods in 1u64..200_000, extra in 0u64..5_000, per in 1u64..250, fewer in 0u64..50, zones in 1u32..6, prod in any::<bool>()) {
        let n = workers_for(pods, per, zones, prod);
        prop_assert!(workers_for(pods + extra, per, zones, prod) >= n);
        // Larger requests mean fewer pods per node.
        let smaller = per.saturating_sub(fewer).max(1);
        prop_assert!(workers_for(pods, smaller, zones, prod) >= n);
    }

    #[test]
    fn sized_pool_holds_the_workload_even_after_losing_a_zone(
        pods in 1u64..20_000,
        cpu in prop::sample::select(vec![0.05, 0.1, 0.25, 0.5, 1.0, 2.0]),
        mem in prop::sample::select(vec![0.128, 0.25, 0.5, 1.0, 2.0, 4.0]),
        zones in 1u32..5,
        platform in prop::sample::select(vec![Platform::Aws, Platform::Gcp, Platform::Azure]),
        prod in any::<bool>(),
    ) {
        let c = Catalog::builtin();
        let req = PodRequests { cpu, memory_gib: mem };
        let d = Demand { pods, requests: req, zones, burst: false, production: prod, managed: true, arch: ArchChoice::Any, prefix_delegation: false, types: Default::default() };
        let ranked = rank_instances(c, platform, &d);
        prop_assume!(!ranked.is_empty());
        let best = &ranked[0];
        prop_assume!(best.clusters == 1);
        let inst = c.instance(platform, &best.instance_type).unwrap();
        let plan = plan_for(platform, &d, best, inst);
        let cap = plan_capacity(c, &plan);
        prop_assert!(cap.total() >= pods, "capacity {} < {}", cap.total(), pods);
        if prod {
            let (left, _) = cap.after_failure(zones as usize);
            prop_assert!(left >= pods, "after failure {} < {}", left, pods);
        }
    }
}

#[test]
fn profiles_dir_overrides_a_platform_catalog() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("platforms")).unwrap();
    let aws = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/profiles/platforms/aws.yaml"
    ))
    .unwrap();
    // A type the file lists replaces the generated catalog's of its name.
    let cheaper = format!("{aws}instances:\n  - {{name: m6i.2xlarge, cpu: 8, memoryGiB: 32, arch: amd64, family: general, enis: 4, ipsPerEni: 15, pricePerHour: 0.1}}\n");
    std::fs::write(dir.path().join("platforms/aws.yaml"), cheaper).unwrap();
    let plan = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/examples/prod-eks.yaml");
    let out = kubeplan()
        .args([
            "--profiles-dir",
            dir.path().to_str().unwrap(),
            "bom",
            "--format",
            "json",
            plan,
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let expect = (15.0 * 0.1 + 0.10) * 730.0;
    assert!((v["totals"]["monthlyCost"].as_f64().unwrap() - expect).abs() < 1e-6);
    // A broken override is a clear error, exit 2.
    std::fs::write(
        dir.path().join("platforms/aws.yaml"),
        "name: aws\nlimits: 3\n",
    )
    .unwrap();
    let out = kubeplan()
        .args(["--profiles-dir", dir.path().to_str().unwrap(), "bom", plan])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("aws.yaml"));
}

#[test]
fn profiles_dir_with_a_mismatched_name_or_empty_table_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("platforms")).unwrap();
    let gcp = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/profiles/platforms/gcp.yaml"
    ))
    .unwrap();
    std::fs::write(dir.path().join("platforms/aws.yaml"), gcp).unwrap();
    let run = |d: &std::path::Path| {
        kubeplan()
            .args(["--profiles-dir", d.to_str().unwrap(), "rules"])
            .output()
            .unwrap()
    };
    let out = run(dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not match the file name"));
    let dir2 = tempfile::tempdir().unwrap();
    let k8s = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/profiles/kubernetes.yaml"
    ))
    .unwrap();
    let start = k8s.find("etcdTiers:").unwrap();
    let end = k8s[start..].find("\n\n").unwrap() + start;
    std::fs::write(
        dir2.path().join("kubernetes.yaml"),
        format!("{}etcdTiers: []{}", &k8s[..start], &k8s[end..]),
    )
    .unwrap();
    let out = run(dir2.path());
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least one entry"));
}

#[test]
fn profiles_dir_with_a_single_load_balancer_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let k8s = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/profiles/kubernetes.yaml"
    ))
    .unwrap();
    assert!(k8s.contains("loadBalancerReplicas: 2"));
    std::fs::write(
        dir.path().join("kubernetes.yaml"),
        k8s.replace("loadBalancerReplicas: 2", "loadBalancerReplicas: 1"),
    )
    .unwrap();
    let out = kubeplan()
        .args(["--profiles-dir", dir.path().to_str().unwrap()])
        .args(["design", "--profile", "prod-onprem", "--yes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("kubernetes.yaml") && err.contains("loadBalancerReplicas must be at least 2"),
        "{err}"
    );
}

#[test]
fn a_preset_is_a_file() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles/presets");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter_map(|e| {
            let p = e.path();
            (p.extension()? == "yaml")
                .then(|| p.file_stem().unwrap().to_string_lossy().into_owned())
        })
        .collect();
    files.sort();
    let known: Vec<String> = kubeplan::catalog::Catalog::builtin()
        .presets()
        .keys()
        .cloned()
        .collect();
    assert_eq!(files, known);
}

/// The ENI data of every AWS type in the catalog is upstream's
/// (amazon-eks-ami instance-info.jsonl), and `size` gives EKS max pods by
/// the ENI formula: m5.large 29 and c6i.large 29 (no per-core cap),
/// m5.xlarge 58, m5.4xlarge the recommended 110 with memory reserved for
/// its 234.
#[test]
fn eks_max_pods_and_reservation_re_derived_from_upstream() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/upstream/eks-instance-info.jsonl"
    ))
    .unwrap();
    let upstream: std::collections::HashMap<String, (u32, u32)> = text
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["instanceType"].as_str().unwrap().to_string(),
                (
                    v["defaultMaxENIs"].as_u64().unwrap() as u32,
                    v["ipv4AddressesPerInterface"].as_u64().unwrap() as u32,
                ),
            )
        })
        .collect();
    let c = kubeplan::catalog::Catalog::builtin();
    let aws = c.platform(kubeplan::plan::Platform::Aws);
    // Every type the catalog gives ENIs for has the table's figures.
    let mut checked = 0;
    for i in aws.instances.iter().filter(|i| i.enis.is_some()) {
        checked += 1;
        let (enis, ips) = upstream[i.name.as_ref()];
        assert_eq!(
            (i.enis, i.ips_per_eni),
            (Some(enis), Some(ips)),
            "{}",
            i.name
        );
    }
    assert!(checked > 900, "{checked}");
    let limits = aws.limits.managed.as_ref().unwrap();
    for (t, want) in [
        ("m5.large", 29),
        ("m5.xlarge", 58),
        ("c6i.large", 29),
        ("m5.4xlarge", 110),
    ] {
        let (enis, ips) = upstream[t];
        let eni = enis * (ips - 1) + 2;
        let inst = c.instance(kubeplan::plan::Platform::Aws, t).unwrap();
        let cap = match &limits.large_node {
            Some(l) if inst.cpu > l.above_cpu => l.max_pods_per_node,
            _ => limits.max_pods_per_node,
        };
        assert_eq!(eni.min(cap), want, "{t}");
        let out = kubeplan()
            .args([
                "size",
                "--platform",
                "aws",
                "--instance-type",
                t,
                "--pods",
                "100",
            ])
            .args([
                "--pod-cpu",
                "0.1",
                "--pod-memory",
                "0.1",
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let ch = &v["choices"][0];
        assert_eq!(ch["maxPods"], want, "{t}");
        // nodeadm: 11 MiB x the ENI figure + 255 MiB, plus 100 MiB eviction.
        let reserved_mib = 11.0 * f64::from(eni) + 255.0 + 100.0;
        let alloc = inst.memory_gib - reserved_mib / 1024.0;
        let got = ch["allocatableMemoryGiB"].as_f64().unwrap();
        assert!((got - alloc).abs() < 1e-9, "{t}: {got} vs {alloc}");
        assert!(v["maxPodsAssume"]
            .as_str()
            .unwrap()
            .contains("secondary IPv4"));
    }
    // m5.large: 7.34 GiB of a nominal 8.
    let m5 = c
        .instance(kubeplan::plan::Platform::Aws, "m5.large")
        .unwrap();
    assert_eq!(
        format!("{:.2}", m5.memory_gib - (11.0 * 29.0 + 355.0) / 1024.0),
        "7.34"
    );
}

/// docs/sizing.md and `size` agree on EKS max pods.
#[test]
fn sizing_docs_agree_with_size_on_eks_max_pods() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/sizing.md")).unwrap();
    for (t, pods) in [("m5.large", 29), ("m5.xlarge", 58)] {
        assert!(
            doc.contains(&format!("{t} {pods}")),
            "docs/sizing.md does not give {t} {pods}"
        );
        let out = kubeplan()
            .args([
                "size",
                "--platform",
                "aws",
                "--instance-type",
                t,
                "--pods",
                "10",
            ])
            .args([
                "--pod-cpu",
                "0.1",
                "--pod-memory",
                "0.1",
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["choices"][0]["maxPods"], pods, "{t}");
    }
}

/// The worked example of docs/sizing.md §4 is what `size` prints.
#[test]
fn sizing_docs_worked_example_is_current() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/sizing.md")).unwrap();
    let out = kubeplan()
        .args([
            "size",
            "--platform",
            "aws",
            "--pods",
            "3000",
            "--pod-cpu",
            "0.25",
        ])
        .args([
            "--pod-memory",
            "0.5",
            "--zones",
            "3",
            "--instance-type",
            "m7i.2xlarge",
        ])
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ch = &v["choices"][0];
    let (per_node, nodes) = (
        ch["podsPerNode"].as_u64().unwrap(),
        ch["nodes"].as_u64().unwrap(),
    );
    assert!(
        doc.contains(&format!("= {per_node}; base")),
        "pods per node {per_node}"
    );
    assert!(doc.contains(&format!("n = {nodes} (")), "nodes {nodes}");
}

/// Prefix delegation is a stated option of `size`: ENIs x ((IPv4 per ENI
/// minus 1) x 16) + 2 within 110 / 250 (m5.large: 3 x 9 x 16 + 2 = 434, so
/// 110), memory reserved as nodeadm reserves it, for the classic ENI figure
/// it computes from the type (awslabs/amazon-eks-ami nodeadm kubelet
/// config.go: kubeReserved from its own max pods, not kubelet's), and the
/// output says which mode.
#[test]
fn eks_prefix_delegation_is_a_stated_option() {
    let c = Catalog::builtin();
    for t in ["m5.large", "c6i.large", "m5.4xlarge"] {
        let inst = c.instance(Platform::Aws, t).unwrap();
        let pd = inst.enis.unwrap() * ((inst.ips_per_eni.unwrap() - 1) * 16) + 2;
        let cap = if inst.cpu > 30.0 { 250 } else { 110 };
        let want = pd.min(cap);
        let out = kubeplan()
            .args([
                "size",
                "--platform",
                "aws",
                "--instance-type",
                t,
                "--pods",
                "100",
            ])
            .args([
                "--pod-cpu",
                "0.1",
                "--pod-memory",
                "0.1",
                "--prefix-delegation",
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let ch = &v["choices"][0];
        assert_eq!(ch["maxPods"], want, "{t}");
        let eni = inst.enis.unwrap() * (inst.ips_per_eni.unwrap() - 1) + 2;
        let alloc = inst.memory_gib - (11.0 * f64::from(eni) + 255.0 + 100.0) / 1024.0;
        assert!(
            (ch["allocatableMemoryGiB"].as_f64().unwrap() - alloc).abs() < 1e-9,
            "{t}"
        );
        assert!(v["maxPodsAssume"]
            .as_str()
            .unwrap()
            .contains("prefix delegation"));
    }
}

/// `size`'s table sizes only the types that can be among its first k: the
/// same first k as ranking every type, for every platform, purpose, arch
/// and a spread of workloads.
#[test]
fn top_k_ranking_is_the_full_ranking_cut() {
    use kubeplan::sizing::{rank_instances, rank_instances_top, TypeFilter};
    let c = Catalog::builtin();
    for &platform in Platform::ALL {
        for (pods, cpu, mem) in [
            (10, 0.1, 0.1),
            (3_000, 0.25, 0.5),
            (500, 2.0, 8.0),
            (60_000, 0.5, 1.0),
            (40, 8.0, 1.0),
        ] {
            for (production, arch, burstable) in [
                (true, ArchChoice::Amd64, false),
                (false, ArchChoice::Any, true),
            ] {
                let d = Demand {
                    pods,
                    requests: PodRequests {
                        cpu,
                        memory_gib: mem,
                    },
                    zones: 3,
                    burst: false,
                    production,
                    managed: platform.cloud(),
                    arch,
                    prefix_delegation: false,
                    types: TypeFilter {
                        burstable,
                        ..Default::default()
                    },
                };
                let all = rank_instances(c, platform, &d);
                for k in [1, 3, 10] {
                    let top = rank_instances_top(c, platform, &d, k);
                    let want: Vec<_> = all.iter().take(k).collect();
                    assert_eq!(
                        top.iter().collect::<Vec<_>>(),
                        want,
                        "{platform} {pods} x {cpu}/{mem} k={k}"
                    );
                }
            }
        }
    }
}
