//! What a design promises holds: zones that exist, ranges and pools the
//! managed service takes, max pods from what fits, storage that survives
//! what the design says it survives (and `whatif` agreeing), every role
//! covered by the failures to tolerate, the tool's load balancer in the
//! plan.

use kubeplan::catalog::Catalog;
use kubeplan::design::{recommend, DesignError};
use kubeplan::diag::Severity;
use kubeplan::lint::lint_plan;
use kubeplan::plan::{ClusterPlan, Platform, Purpose, StorageNeed, WorkloadKind};
use kubeplan::whatif::{run::run, Verdict};

use crate::design::{answers, exported};

use crate::common::run as kubeplan;

fn managed(platform: Platform, pods: u64) -> kubeplan::design::Answers {
    let mut a = answers(Purpose::Production, platform, pods, 1);
    a.managed = true;
    a
}

fn one(a: &kubeplan::design::Answers) -> ClusterPlan {
    recommend(Catalog::builtin(), a, "p")
        .unwrap()
        .plans
        .remove(0)
}

/// The scenario of one failure, by its `--fail` words.
fn whatif(plan: &ClusterPlan, fail: &str) -> kubeplan::whatif::Outcome {
    let c = Catalog::builtin();
    let layout = kubeplan::whatif::layout::Layout::of(c, plan);
    let f = kubeplan::whatif::scenario::parse(fail, &layout).unwrap();
    run(c, plan, &[f], 1).scenarios.remove(0).outcome
}

/// More zones than the region has is refused in one line naming them,
/// on every cloud (Azure regions have zones 1, 2 and 3).
#[test]
fn zones_beyond_the_region_are_refused() {
    for (profile, zones, names) in [
        ("prod-azure", "4", "eastus-1, eastus-2, eastus-3"),
        (
            "prod-gcp",
            "5",
            "us-central1-a, us-central1-b, us-central1-c, us-central1-f",
        ),
        ("prod-aws", "7", "us-east-1a, us-east-1b"),
    ] {
        let o = kubeplan(&["design", "--profile", profile, "--zones", zones]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{profile}: {err}");
        assert!(
            err.contains(names)
                && err.contains(&format!("--zones {zones}"))
                && err.lines().count() == 1,
            "{err}"
        );
        assert!(o.stdout.is_empty());
    }
    // At the region's count, every zone is a real one, and the script names them.
    let mut a = managed(Platform::Azure, 300);
    a.zones = 3;
    let p = one(&a);
    assert!(exported(Catalog::builtin(), &p).contains("--zones 1 2 3"));
}

/// GKE: the services range is GKE's own unless one is given, then /16 to
/// /27; pools stay within 1,000 nodes in each zone; past 5,000 nodes the
/// reason and lint say a quota increase is needed.
#[test]
fn gke_takes_what_the_script_asks() {
    let c = Catalog::builtin();
    let p = one(&managed(Platform::Gcp, 3_000));
    let script = exported(c, &p);
    assert_eq!(
        p.spec.network.as_ref().unwrap().service_cidr,
        "34.118.224.0/20"
    );
    assert!(!script.contains("--services-ipv4-cidr"), "{script}");
    let mut a = managed(Platform::Gcp, 3_000);
    a.service_cidr = "10.96.0.0/12".parse().unwrap();
    let e = recommend(c, &a, "p").unwrap_err().to_string();
    assert!(
        e.contains("/16 to /27") && e.contains("10.96.0.0/12"),
        "{e}"
    );
    a.service_cidr = "10.96.0.0/20".parse().unwrap();
    assert!(exported(c, &one(&a)).contains("--services-ipv4-cidr 10.96.0.0/20"));
    // A pod range GKE refuses: too narrow, or over the default network's subnets.
    for (pod, says) in [
        ("10.0.0.0/22", "/9 to /21"),
        ("10.128.0.0/14", "10.128.0.0/9"),
    ] {
        a.pod_cidr = pod.parse().unwrap();
        let e = recommend(c, &a, "p").unwrap_err().to_string();
        assert!(e.contains(says) && e.contains("--pod-cidr"), "{e}");
    }
    // 60,000 pods of 4 CPUs in one zone: over 5,000 nodes, in pools of at
    // most 1,000 nodes a zone.
    let mut a = managed(Platform::Gcp, 60_000);
    a.pod_cpu = 4.0;
    a.zones = 1;
    a.purpose = Purpose::Development;
    let d = recommend(c, &a, "big").unwrap();
    let p = &d.plans[0];
    assert!(
        p.k8s_nodes() > 5_000 && p.spec.workers.len() > 5,
        "{}",
        p.k8s_nodes()
    );
    assert!(p.spec.workers.iter().all(|w| w.nodes <= 1_000));
    let script = exported(c, p);
    for line in script.lines().filter(|l| l.contains("--num-nodes")) {
        let n: u32 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
        assert!(n <= 1_000, "{line}");
    }
    assert!(d
        .reasons
        .iter()
        .any(|r| r.decision.starts_with("worker pools:")
            && r.reason.contains("1,000 nodes per pool in each zone")));
    assert!(d
        .reasons
        .iter()
        .any(|r| r.decision.starts_with("node quota:")));
    let quota: Vec<_> = lint_plan(p, c)
        .into_iter()
        .filter(|f| f.severity >= Severity::Warning)
        .collect();
    assert_eq!(
        quota.iter().map(|f| f.rule).collect::<Vec<_>>(),
        ["cluster-nodes-over-quota"]
    );
}

/// GKE and AKS max pods: upstream's min(110, 10 x vCPUs) unless more pods
/// fit, then the pods that fit plus the DaemonSets; each node's pod range
/// as the service cuts it (GKE 2 x max pods to a power of two, AKS a fixed
/// /24), in the plan and in the script.
#[test]
fn managed_max_pods_follow_what_fits() {
    let c = Catalog::builtin();
    for platform in [Platform::Gcp, Platform::Azure] {
        for pods in [200, 3_000, 60_000] {
            let p = one(&managed(platform, pods));
            let pool = p.spec.workers.iter().find(|w| w.runs_workload()).unwrap();
            let max = pool.max_pods.unwrap();
            let fits = kubeplan::sizing::pool_pods_per_node(c, &p, pool);
            let upstream = 110u32.min((10.0 * pool.machine.cpu) as u32);
            let daemons = c.kubernetes.sizing.daemon_sets.len() as u32 + 1;
            assert!(
                max == upstream || max <= fits as u32 + daemons,
                "{platform} {pods}: {max} for {fits}"
            );
            let mask = p
                .spec
                .network
                .as_ref()
                .unwrap()
                .node_cidr_mask_size
                .unwrap();
            let want = match platform {
                Platform::Azure => 24,
                _ => 32 - (2 * max).next_power_of_two().ilog2() as u8,
            };
            assert_eq!(mask, want, "{platform} {pods}");
            let script = exported(c, &p);
            assert!(
                script.contains(&format!(" {max}\n")) || script.contains(&format!(" {max} \\")),
                "{script}"
            );
        }
    }
}

/// The example: 500 pods of 0.5 CPU / 1 GiB over 3 zones on your
/// own machines; the 16 x 128 GiB shape ties 16 x 32 on vCPUs and loses on
/// the memory it leaves unused.
#[test]
fn onprem_ranking_weighs_memory() {
    let o = kubeplan(&[
        "size",
        "--platform",
        "on-prem",
        "--pods",
        "500",
        "--pod-cpu",
        "0.5",
        "--pod-memory",
        "1",
        "--zones",
        "3",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let first = &v["choices"][0];
    assert_ne!(first["instanceType"], "16x128", "{first}");
    let nodes = |x: &serde_json::Value| x["nodes"].as_f64().unwrap();
    let by = |name: &str| {
        v["choices"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["instanceType"] == name)
            .unwrap()
            .clone()
    };
    let (small, big) = (by("16x32"), by("16x128"));
    assert_eq!(nodes(&small), nodes(&big));
    let pos = |name: &str| {
        v["choices"]
            .as_array()
            .unwrap()
            .iter()
            .position(|x| x["instanceType"] == name)
            .unwrap()
    };
    assert!(pos("16x32") < pos("16x128"));
}

/// A burstable type is sized by the CPU it sustains: a design that picks
/// one never plans more requests than its baseline, and a pinned one that
/// cannot carry its DaemonSets says why.
#[test]
fn burstable_types_are_sized_by_their_baseline() {
    let c = Catalog::builtin();
    for a in crate::design::answer_space()
        .iter()
        .filter(|a| a.purpose != Purpose::Production)
        .step_by(11)
    {
        for p in crate::design::design(a).into_iter().take(1) {
            for w in &p.spec.workers {
                let Some(inst) = w
                    .instance_type
                    .as_deref()
                    .and_then(|t| c.instance(p.spec.platform, t))
                else {
                    continue;
                };
                let Some(b) = inst.baseline_cpu else { continue };
                let per = kubeplan::sizing::pool_pods_per_node(c, &p, w) as f64;
                let req = p
                    .spec
                    .workload
                    .as_ref()
                    .and_then(|x| x.pod_requests.as_ref())
                    .map_or(0.0, |r| r.cpu);
                assert!(
                    per * req <= inst.cpu * b,
                    "{a:?}: {} pods x {req} on {}",
                    per,
                    inst.name
                );
            }
        }
    }
    let o = kubeplan(&[
        "size",
        "--platform",
        "aws",
        "--instance-type",
        "t3.medium",
        "--pods",
        "10",
        "--pod-cpu",
        "0.1",
        "--pod-memory",
        "0.1",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("0.4 of its 2 vCPUs") && err.contains("20% baseline"),
        "{err}"
    );
}

/// Rook-Ceph over two zones is stretch mode (4 copies, 2 per zone, an
/// arbiter monitor in the third site): `whatif` finds the storage up after
/// either zone's loss. The same servers as a plain 3-copy pool over the two
/// zones stop with the zone holding two copies, and lint says so.
#[test]
fn two_zone_ceph_is_stretch_mode_and_whatif_agrees() {
    let c = Catalog::builtin();
    let mut a = answers(Purpose::Production, Platform::OnPrem, 300, 1);
    a.zones = 2;
    a.workload = WorkloadKind::Stateful;
    let p = one(&a);
    let servers = &p.spec.storage.as_ref().unwrap().servers;
    let data = &servers[0];
    assert_eq!(
        (data.nodes, data.copies, data.min_copies, data.monitors),
        (4, Some(4), Some(2), Some(4))
    );
    assert_eq!(data.zones, p.spec.zones);
    let arbiter = &servers[1];
    assert_eq!(
        (arbiter.nodes, arbiter.copies, arbiter.monitors),
        (1, Some(0), Some(1))
    );
    assert!(!p.spec.zones.contains(&arbiter.zones[0]));
    for z in &p.spec.zones {
        let o = whatif(&p, &format!("zone={z}"));
        assert!(o.storage.iter().all(|s| s.ok), "{z}: {:?}", o.storage);
        assert_eq!(o.capacity.stranded, 0);
    }
    assert!(lint_plan(&p, c)
        .iter()
        .all(|f| f.rule != "storage-single-point"));
    // Without stretch mode: 3 copies and 3 monitors over the two zones.
    let mut plain = p.clone();
    let st = plain.spec.storage.as_mut().unwrap();
    st.servers.truncate(1);
    st.servers[0].copies = Some(3);
    st.servers[0].monitors = Some(3);
    let o = whatif(&plain, &format!("zone={}", p.spec.zones[0]));
    assert!(o.storage.iter().any(|s| !s.ok), "{:?}", o.storage);
    assert!(o.capacity.stranded > 0 && o.verdict >= Verdict::Degraded);
    assert!(lint_plan(&plain, c)
        .iter()
        .any(|f| f.rule == "storage-single-point" && f.severity == Severity::Error));
}

/// Zonal volumes do not move: a production stateful EKS design (EBS, no
/// zone-redundant block volume on AWS) strands the lost zone's pods and
/// says so in the design and lint; GKE and AKS designs take regional PD
/// and ZRS disks, whose pods come back.
#[test]
fn zonal_volumes_strand_their_pods() {
    let c = Catalog::builtin();
    let mut a = managed(Platform::Aws, 300);
    a.workload = WorkloadKind::Stateful;
    let d = recommend(c, &a, "db").unwrap();
    let p = &d.plans[0];
    assert!(d
        .reasons
        .iter()
        .any(|r| r.reason.contains("stays down until the zone returns")));
    let o = whatif(p, &format!("zone={}", p.spec.zones[0]));
    let pods = p.spec.workload.as_ref().unwrap().pods;
    assert!(
        o.capacity.stranded > 0 && o.capacity.stranded <= pods.div_ceil(2),
        "{:?}",
        o.capacity
    );
    assert_eq!(o.verdict, Verdict::Degraded);
    assert!(o
        .timeline
        .iter()
        .any(|e| e.never && e.what.contains("stay down")));
    assert!(lint_plan(p, c)
        .iter()
        .any(|f| f.rule == "storage-zonal-volumes" && f.severity == Severity::Info));
    for (platform, key, value) in [
        (Platform::Gcp, "replication-type", "regional-pd"),
        (Platform::Azure, "skuName", "Premium_ZRS"),
    ] {
        let mut a = managed(platform, 300);
        a.workload = WorkloadKind::Stateful;
        let p = one(&a);
        let class = p
            .spec
            .storage
            .as_ref()
            .unwrap()
            .classes
            .iter()
            .find(|c| c.default)
            .unwrap();
        assert_eq!(
            class.parameters.get(key).map(String::as_str),
            Some(value),
            "{platform}"
        );
        let o = whatif(&p, &format!("zone={}", p.spec.zones[0]));
        assert_eq!(o.capacity.stranded, 0, "{platform}");
    }
}

/// Storage servers fail like any machine: one NFS server is a scenario of
/// its own (its shared volumes stop), a finding in production, and a
/// production design takes replicated storage instead.
#[test]
fn storage_servers_are_machines_that_fail() {
    let c = Catalog::builtin();
    let mut a = answers(Purpose::Development, Platform::OnPrem, 300, 1);
    a.storage = vec![StorageNeed::Shared];
    let p = one(&a);
    let nfs = &p.spec.storage.as_ref().unwrap().servers[0];
    assert_eq!((nfs.name.as_str(), nfs.nodes), ("nfs", 1));
    let o = whatif(&p, "storage=nfs");
    assert!(!o.storage[0].ok && o.verdict == Verdict::Degraded, "{o:?}");
    let mut prod = p.clone();
    prod.spec.purpose = Purpose::Production;
    assert!(lint_plan(&prod, c)
        .iter()
        .any(|f| f.rule == "storage-single-point"));
    a.purpose = Purpose::Production;
    let p = one(&a);
    let st = p.spec.storage.as_ref().unwrap();
    assert!(st.servers.iter().all(|s| s.name != "nfs"));
    assert!(st
        .classes
        .iter()
        .any(|c| c.provisioner.as_deref() == Some("rook-ceph.cephfs.csi.ceph.com")));
    assert!(run(c, &p, &[], 1)
        .scenarios
        .iter()
        .all(|s| s.outcome.storage.iter().all(|x| x.ok)));
}

/// `--tolerate 2` covers every role: 3 load balancers (losing 2 keeps the
/// API), etcd for 2, Ceph keeping 4 copies and 5 monitors (losing 2 servers
/// keeps the volumes).
#[test]
fn failures_to_tolerate_cover_every_role() {
    let mut a = answers(Purpose::Production, Platform::OnPrem, 300, 2);
    a.workload = WorkloadKind::Stateful;
    let p = one(&a);
    assert_eq!(p.spec.api_load_balancer.as_ref().unwrap().replicas, Some(3));
    assert!(whatif(&p, "lb=2").api.ok);
    let ceph = &p.spec.storage.as_ref().unwrap().servers[0];
    assert_eq!(
        (ceph.copies, ceph.min_copies, ceph.monitors),
        (Some(4), Some(2), Some(5))
    );
    let o = whatif(&p, &format!("storage={}:2", ceph.name));
    assert!(o.storage.iter().all(|s| s.ok), "{:?}", o.storage);
    assert!(whatif(&p, "cp=2").api.ok);
}

/// kOps builds clusters without DNS for the API: even one control-plane
/// node sits behind the cloud load balancer, in the plan, the bill and the
/// file; a kOps plan without one is a finding.
#[test]
fn kops_always_has_its_api_load_balancer() {
    let c = Catalog::builtin();
    let mut a = answers(Purpose::Development, Platform::Aws, 100, 0);
    a.zones = 1;
    let p = one(&a);
    assert_eq!(p.spec.tooling, Some(kubeplan::plan::Tooling::Kops));
    assert_eq!(p.cp_nodes(), 1);
    assert_eq!(
        p.spec.api_load_balancer.as_ref().unwrap().kind,
        kubeplan::plan::LbType::Cloud
    );
    let bom = kubeplan::bom::build(c, &p);
    assert!(bom
        .rows
        .iter()
        .any(|r| r.role.contains("load balancer") && r.monthly_cost.is_some_and(|m| m > 0.0)));
    assert!(exported(c, &p).contains("loadBalancer:"));
    let mut bare = p.clone();
    bare.spec.api_load_balancer = None;
    assert!(lint_plan(&bare, c)
        .iter()
        .any(|f| f.rule == "api-lb-missing"));
}

/// AKS's system pool grows with the cluster: 3 nodes of 8 vCPUs for
/// production, 16 past 1,000 nodes (workers of at most 16 vCPUs make 120,000
/// pods more than 1,000 nodes).
#[test]
fn aks_system_pool_grows_with_the_cluster() {
    let small = kubeplan::design::MachineOptions {
        types: kubeplan::sizing::TypeFilter {
            max_vcpu: Some(16.0),
            ..Default::default()
        },
        ..Default::default()
    };
    for (pods, cpu) in [(3_000, 8.0), (120_000, 16.0)] {
        let a = managed(Platform::Azure, pods);
        let d = kubeplan::design::recommend_with(Catalog::builtin(), &a, "p", &small).unwrap();
        let p = &d.plans[0];
        let sys = &p.spec.workers[0];
        assert_eq!(sys.name, "system");
        assert_eq!(sys.nodes, 3);
        let workers: u32 = p.spec.workers[1..].iter().map(|w| w.nodes).sum();
        assert_eq!(workers > 1_000, pods > 3_000, "{pods}: {workers} workers");
        assert!(sys.machine.cpu >= cpu, "{pods}: {}", sys.machine.cpu);
    }
}

/// A design error is one line, never a panic, for every zone count asked.
#[test]
fn zone_errors_name_the_region() {
    let c = Catalog::builtin();
    let mut a = managed(Platform::Azure, 100);
    a.zones = 4;
    match recommend(c, &a, "p") {
        Err(DesignError::Zones {
            region,
            zones,
            asked,
            ..
        }) => {
            assert_eq!((region.as_str(), zones.len(), asked), ("eastus", 3, 4));
        }
        other => panic!("{other:?}"),
    }
}

/// A learning cluster fits the computer it runs on (at most three quarters
/// of its CPUs and memory), says what it assumed, names the kubeadm (or
/// kind) cluster for CKA practice with kubeadm's minimum machines, and
/// states its architecture.
#[test]
fn learning_fits_the_host_and_teaches_kubeadm() {
    let c = Catalog::builtin();
    let share = c.kubernetes.design.learning_host_share;
    let min = &c.kubernetes.kubeadm_minimum;
    for (cpu, memory, pods) in [(8, 16.0, 10), (4, 8.0, 10), (16, 64.0, 100)] {
        let mut a = answers(Purpose::Learning, Platform::OnPrem, pods, 0);
        a.host_cpu = cpu;
        a.host_memory_gib = memory;
        a.arch = kubeplan::plan::ArchChoice::Arm64;
        let d = recommend(c, &a, "learn").unwrap();
        let m = d.plans[0].spec.control_plane.machine.clone().unwrap();
        assert!(
            m.cpu <= f64::from(cpu) * share && m.memory_gib <= memory * share,
            "{cpu}/{memory}: {m:?}"
        );
        let why = |start: &str| {
            d.reasons
                .iter()
                .find(|r| r.decision.starts_with(start))
                .map(|r| r.reason.clone())
                .unwrap_or_default()
        };
        assert!(
            why("host:").contains(&format!("{cpu} CPUs")),
            "{}",
            why("host:")
        );
        assert!(why("node architecture: arm64").contains("Apple silicon"));
        let practice = d
            .reasons
            .iter()
            .find(|r| r.decision.starts_with("CKA practice"))
            .unwrap();
        // VMs of kubeadm's minimum: one control plane and workers, as many as
        // the share holds (at least one, at most two).
        let room = (f64::from(cpu) * share / min.control_plane_cpu)
            .min(memory * share / min.memory_gib)
            .floor() as u32;
        let vms = room.saturating_sub(1).clamp(1, 2) + 1;
        assert!(
            practice.decision.contains(&format!("{vms} VMs")),
            "{cpu}/{memory}: {}",
            practice.decision
        );
        assert!(
            practice.reason.contains("kubeadm init")
                && practice.reason.contains("kind create cluster")
        );
        let next = kubeplan::design::bootstrap::commands(c, &d.plans[0]).join("\n");
        assert!(
            next.contains("minikube start") && next.contains("kind create cluster"),
            "{next}"
        );
    }
}
