//! The recommendation engine over the whole answer space, and its invariants.

use kubeplan::catalog::Catalog;
use std::sync::OnceLock;

use kubeplan::design::{default_name, recommend, Answers, Design};
use kubeplan::diag::Severity;
use kubeplan::lint::lint_plan;
use kubeplan::plan::{
    ArchChoice, ClusterPlan, EtcdTopology, LbType, Platform, Purpose, StorageNeed, Tooling,
    Traffic, WorkloadKind,
};
use kubeplan::questionnaire::fields::CidrAnswer;
use kubeplan::quorum::{fault_tolerance, quorum, zone_report};

pub(crate) fn answer_space() -> Vec<Answers> {
    let c = Catalog::builtin();
    let mut out = Vec::new();
    for &purpose in Purpose::ALL {
        for &platform in Platform::ALL {
            for managed in [false, true] {
                for &workload in WorkloadKind::ALL {
                    for &traffic in Traffic::ALL {
                        for zones in [1, 3] {
                            for tolerate in [1, 2] {
                                for storage in [
                                    vec![StorageNeed::None],
                                    vec![StorageNeed::Fast, StorageNeed::Shared],
                                ] {
                                    for (pods, &arch) in [20, 2_000, 60_000, 400_000]
                                        .into_iter()
                                        .flat_map(|p| ArchChoice::ALL.iter().map(move |a| (p, a)))
                                    {
                                        let d = &c.questions().workload_defaults[&workload];
                                        out.push(Answers {
                                            purpose,
                                            platform,
                                            managed: managed && platform != Platform::OnPrem,
                                            workload,
                                            apps: 5,
                                            pods,
                                            traffic,
                                            zones,
                                            tolerate,
                                            storage: storage.clone(),
                                            pod_cpu: d.pod_cpu,
                                            pod_memory_gib: d.pod_memory_gib,
                                            arch,
                                            pod_cidr: CidrAnswer::Auto,
                                            service_cidr: CidrAnswer::Auto,
                                            host_cpu: 8,
                                            host_memory_gib: 16.0,
                                            region: "auto".into(),
                                        });
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

/// Every answer set of the space and its design, made once per test run
/// on every core and shared by the tests that walk the space.
pub(crate) fn designs() -> &'static [(Answers, Design)] {
    static DESIGNS: OnceLock<Vec<(Answers, Design)>> = OnceLock::new();
    DESIGNS.get_or_init(|| {
        let space = answer_space();
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = space.len().div_ceil(cores);
        std::thread::scope(|s| {
            let parts: Vec<_> = space
                .chunks(chunk)
                .map(|part| {
                    s.spawn(move || {
                        part.iter()
                            .map(|a| {
                                let d = recommend(Catalog::builtin(), a, &default_name(a))
                                    .unwrap_or_else(|e| panic!("{a:?}: {e}"));
                                (a.clone(), d)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            parts.into_iter().flat_map(|p| p.join().unwrap()).collect()
        })
    })
}

/// The plans designed for `a` (from the shared designs when `a` is in the
/// space).
pub(crate) fn design(a: &Answers) -> Vec<ClusterPlan> {
    match designs().iter().find(|(b, _)| b == a) {
        Some((_, d)) => d.plans.clone(),
        None => {
            recommend(Catalog::builtin(), a, &default_name(a))
                .unwrap_or_else(|e| panic!("{a:?}: {e}"))
                .plans
        }
    }
}

#[test]
fn every_answer_set_lints_clean() {
    let c = Catalog::builtin();
    let space = designs();
    assert_eq!(space.len(), 4 * 4 * 2 * 6 * 2 * 2 * 2 * 2 * 4 * 3);
    let mut plans = 0;
    for (a, full) in space {
        // The one warning a design may carry is the one its reasons state:
        // a managed service's node quota, which only the provider can raise.
        let quota_stated = full
            .reasons
            .iter()
            .any(|r| r.decision.starts_with("node quota:"));
        let design = &full.plans;
        assert!(!design.is_empty());
        let total: u64 = design
            .iter()
            .map(|p| p.spec.workload.as_ref().unwrap().pods)
            .sum();
        if a.purpose != Purpose::Learning {
            assert_eq!(total, a.pods, "{a:?}: the clusters carry every pod");
        }
        // The clusters of a split are one plan with its own name and share
        // of the pods: lint the first (the most pods) and the last, and check
        // the others are the same plan.
        let same = |p: &ClusterPlan| {
            let mut q = p.clone();
            q.metadata.name = design[0].metadata.name.clone();
            q.spec.workload = design[0].spec.workload.clone();
            q == design[0]
        };
        assert!(design.iter().all(same), "{a:?}: clusters differ");
        plans += design.len();
        let ends = [design.first(), design.last()];
        for plan in ends.into_iter().flatten() {
            let bad: Vec<String> = lint_plan(plan, c)
                .into_iter()
                .filter(|f| f.severity >= Severity::Warning)
                .filter(|f| !(quota_stated && f.rule == "cluster-nodes-over-quota"))
                .map(|f| format!("{} {}: {}", f.severity.as_str(), f.rule, f.message))
                .collect();
            assert!(bad.is_empty(), "{a:?}\n{}", bad.join("\n"));
        }
    }
    assert!(plans > space.len());
}

#[test]
fn learning_is_one_schedulable_node() {
    for (a, d) in designs()
        .iter()
        .filter(|(a, _)| a.purpose == Purpose::Learning)
    {
        let plans = &d.plans;
        assert_eq!(plans.len(), 1);
        let p = &plans[0];
        if a.managed {
            assert_eq!(p.spec.workers.len(), 1);
            assert_eq!(p.spec.workers[0].nodes, 1);
            assert_eq!(p.k8s_nodes(), 1);
        } else {
            assert_eq!(p.k8s_nodes(), 1, "{a:?}");
            assert!(p.cp_schedulable());
            assert_eq!(p.spec.tooling, Some(Tooling::Minikube));
        }
    }
}

#[test]
fn production_invariants() {
    let c = Catalog::builtin();
    for (a, d) in designs()
        .iter()
        .filter(|(a, _)| a.purpose == Purpose::Production)
    {
        for p in &d.plans {
            if a.managed {
                let want = match a.platform {
                    Platform::Aws => Tooling::Eks,
                    Platform::Gcp => Tooling::Gke,
                    Platform::Azure => Tooling::Aks,
                    Platform::OnPrem => unreachable!(),
                };
                assert_eq!(p.spec.tooling, Some(want));
                assert!(p.spec.etcd.is_none() && p.spec.api_load_balancer.is_none());
                assert!(p.spec.control_plane.machine.is_none());
                continue;
            }
            let n = p.etcd_members();
            assert!(
                n % 2 == 1 && n >= 3 && n <= c.kubernetes.etcd.max_members,
                "{n}"
            );
            assert!(n > 2 * a.tolerate, "2f+1 members survive f failures");
            let lb = p
                .spec
                .api_load_balancer
                .as_ref()
                .expect("an API load balancer");
            if lb.kind != LbType::Cloud {
                assert!(lb.replicas.unwrap_or(1) >= 2 && lb.virtual_ip);
            }
            if a.zones >= 3 {
                let report = zone_report(&kubeplan::plan::spread(n, &p.etcd_zones()));
                assert!(report.survives_any_zone_loss, "{a:?}");
            }
            if p.etcd_topology() == Some(EtcdTopology::Stacked) {
                assert_eq!(p.cp_nodes(), n);
            } else {
                let tool = c.tool(p.spec.tooling.unwrap()).unwrap();
                assert!(
                    tool.external_etcd,
                    "{:?} cannot run external etcd",
                    p.spec.tooling
                );
            }
            assert!(fault_tolerance(n) >= a.tolerate && quorum(n) == n / 2 + 1);
        }
    }
}

#[test]
fn two_zones_put_a_witness_in_a_third_site() {
    let c = Catalog::builtin();
    let mut a = answer_space()
        .into_iter()
        .find(|a| a.purpose == Purpose::Production && a.platform == Platform::OnPrem)
        .unwrap();
    a.zones = 2;
    a.pods = 500;
    let p = &design(&a)[0];
    assert_eq!(p.spec.zones.len(), 2);
    let zones = p.etcd_zones();
    assert_eq!(zones.len(), 3);
    assert!(zone_report(&kubeplan::plan::spread(p.etcd_members(), &zones)).survives_any_zone_loss);
    assert!(lint_plan(p, c)
        .iter()
        .all(|f| f.severity < Severity::Warning));
}

mod random_answers {
    use super::*;
    use proptest::prelude::*;

    fn pick<T: Copy + std::fmt::Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = T> {
        proptest::sample::select(all)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        /// Answers off the enumerated grid (any zone count, tolerance,
        /// request size and pod count) still give plans that lint clean.
        #[test]
        fn any_answers_lint_clean(
            purpose in pick(Purpose::ALL),
            platform in pick(Platform::ALL),
            managed in any::<bool>(),
            workload in pick(WorkloadKind::ALL),
            traffic in pick(Traffic::ALL),
            zones in 1u32..=8,
            tolerate in 0u32..=3,
            fast in any::<bool>(),
            shared in any::<bool>(),
            pods in prop_oneof![1u64..=200, 1u64..=20_000, 1u64..=2_000_000],
            pod_cpu in 0.01f64..6.0,
            pod_memory_gib in 0.01f64..24.0,
            arch in pick(ArchChoice::ALL),
        ) {
            let mut storage = Vec::new();
            if fast { storage.push(StorageNeed::Fast) }
            if shared { storage.push(StorageNeed::Shared) }
            if storage.is_empty() { storage.push(StorageNeed::None) }
            let a = Answers {
                purpose, platform, managed: managed && platform != Platform::OnPrem,
                workload, apps: 3, pods, traffic, zones, tolerate, storage, pod_cpu, pod_memory_gib, arch,
                pod_cidr: CidrAnswer::Auto, service_cidr: CidrAnswer::Auto, host_cpu: 8, host_memory_gib: 16.0, region: "auto".into(),
            };
            let c = Catalog::builtin();
            // A cloud region has the zones its catalog lists: asking for
            // more is refused, naming them.
            let prof = c.platform(platform);
            let more = prof.region.is_some() && purpose != Purpose::Learning
                && zones as usize > prof.design_zones().len();
            let full = match recommend(c, &a, &default_name(&a)) {
                Err(kubeplan::design::DesignError::Zones { zones: have, .. }) if more => {
                    prop_assert_eq!(&have[..], prof.design_zones());
                    return Ok(());
                }
                Err(e) => panic!("{a:?}: {e}"),
                Ok(d) => d,
            };
            prop_assert!(!more, "{:?}: designed {} zones", a, zones);
            let quota_stated = full.reasons.iter().any(|r| r.decision.starts_with("node quota:"));
            let plans = full.plans;
            for p in &plans {
                let bad: Vec<String> = lint_plan(p, c)
                    .into_iter()
                    .filter(|f| f.severity >= Severity::Warning)
                    .filter(|f| !(quota_stated && f.rule == "cluster-nodes-over-quota"))
                    .map(|f| format!("{} {}: {}", f.severity.as_str(), f.rule, f.message))
                    .collect();
                prop_assert!(bad.is_empty(), "{:?}\n{}", a, bad.join("\n"));
            }
            if purpose == Purpose::Production && !a.managed && zones >= 2 {
                let p = &plans[0];
                let report = zone_report(&kubeplan::plan::spread(p.etcd_members(), &p.etcd_zones()));
                prop_assert!(report.survives_any_zone_loss);
            }
        }
    }
}

/// Every file `kubeplan export` makes for a plan (documentation addresses),
/// one after the other: what "Next" tells the user to run.
pub(crate) fn exported(c: &Catalog, p: &ClusterPlan) -> String {
    use kubeplan::export::{addresses::Hosts, files, Target};
    let hosts = Hosts::for_plan(p, None).unwrap();
    Target::ALL
        .iter()
        .filter(|t| t.not_for(p).is_none())
        .flat_map(|t| files(*t, p, c, &hosts))
        .map(|f| f.text)
        .collect::<Vec<_>>()
        .join("\n")
}

pub(crate) fn answers(purpose: Purpose, platform: Platform, pods: u64, tolerate: u32) -> Answers {
    let c = Catalog::builtin();
    let d = &c.questions().workload_defaults[&WorkloadKind::Web];
    Answers {
        purpose,
        platform,
        managed: false,
        workload: WorkloadKind::Web,
        apps: 5,
        pods,
        traffic: Traffic::Steady,
        zones: 3,
        tolerate,
        storage: vec![StorageNeed::None],
        pod_cpu: d.pod_cpu,
        pod_memory_gib: d.pod_memory_gib,
        arch: ArchChoice::Amd64,
        pod_cidr: CidrAnswer::Auto,
        service_cidr: CidrAnswer::Auto,
        host_cpu: 8,
        host_memory_gib: 16.0,
        region: "auto".into(),
    }
}

/// External etcd is built from kubeadm's config file (what `export` writes
/// and design's "Next" points to), never from the flag-only `kubeadm init`
/// that builds stacked etcd.
#[test]
fn external_etcd_bootstraps_through_a_config_file() {
    let c = Catalog::builtin();
    let a = answers(Purpose::Production, Platform::OnPrem, 2_000, 2);
    let d = recommend(c, &a, "big").unwrap();
    let p = &d.plans[0];
    assert_eq!(p.etcd_topology(), Some(EtcdTopology::External));
    use kubeplan::export::{addresses::Hosts, files, Target};
    assert!(kubeplan::design::bootstrap::commands(c, p).is_empty());
    let hosts = Hosts::for_plan(p, None).unwrap();
    let init = &files(Target::Kubeadm, p, c, &hosts)[0];
    assert_eq!(init.name, "kubeadm-init.yaml");
    assert!(
        init.text.contains("etcd:\n  external:\n    endpoints:"),
        "{}",
        init.text
    );
    let step = Target::Kubeadm.apply_step(p, Catalog::builtin(), "big");
    assert!(
        step.contains("kubeadm init --config big/kubeadm-init.yaml --upload-certs"),
        "{step}"
    );
    // The SSD reason of the control plane is etcd's, so it goes with etcd.
    let cp = d
        .reasons
        .iter()
        .find(|r| r.decision.starts_with("control-plane machines"))
        .unwrap();
    assert!(!cp.reason.contains("fsync"), "{}", cp.reason);
    let stacked = recommend(
        c,
        &answers(Purpose::Production, Platform::OnPrem, 300, 1),
        "s",
    )
    .unwrap();
    assert_eq!(
        stacked.plans[0].etcd_topology(),
        Some(EtcdTopology::Stacked)
    );
    let cp = stacked
        .reasons
        .iter()
        .find(|r| r.decision.starts_with("control-plane machines"))
        .unwrap();
    assert!(cp.reason.contains("fsync"), "{}", cp.reason);
}

/// Design and lint read one threshold: a cluster past it gets external etcd
/// from `design` (HA or not), and a stacked plan past it gets a warning.
#[test]
fn design_and_lint_agree_on_stacked_etcd() {
    let c = Catalog::builtin();
    let limit = c.kubernetes.etcd.external_above_nodes;
    for (purpose, tolerate) in [(Purpose::Development, 0), (Purpose::Production, 1)] {
        for pods in [limit * 10, limit * 40] {
            let d = recommend(c, &answers(purpose, Platform::OnPrem, pods, tolerate), "x").unwrap();
            for p in &d.plans {
                let stacked = p.etcd_topology() == Some(EtcdTopology::Stacked);
                assert_eq!(
                    stacked,
                    p.k8s_nodes() <= limit,
                    "{purpose} {pods}: {} nodes",
                    p.k8s_nodes()
                );
                let fired = lint_plan(p, c)
                    .iter()
                    .any(|f| f.rule == "etcd-stacked-large-cluster");
                assert!(!fired);
                if !stacked {
                    // The same plan with its etcd stacked is what lint warns about.
                    let mut s = p.clone();
                    s.spec.etcd = Some(kubeplan::plan::Etcd {
                        topology: Some(EtcdTopology::Stacked),
                        members: Some(p.cp_nodes()),
                        zones: Vec::new(),
                        machine: None,
                    });
                    let f = lint_plan(&s, c);
                    assert!(f.iter().any(|f| f.rule == "etcd-stacked-large-cluster"
                        && f.severity == Severity::Warning));
                }
            }
        }
    }
}

/// On-prem machines are server sizes: the control plane's memory is the
/// kube-up table's, rounded up to the next size servers come in.
#[test]
fn on_prem_control_planes_are_server_sizes() {
    let c = Catalog::builtin();
    let sizes = &c.platform(Platform::OnPrem).server_memory_gib;
    assert!(!sizes.is_empty());
    for pods in [20, 2_000, 20_000, 140_000] {
        let d = recommend(
            c,
            &answers(Purpose::Production, Platform::OnPrem, pods, 1),
            "x",
        )
        .unwrap();
        let p = &d.plans[0];
        let m = p.spec.control_plane.machine.as_ref().unwrap();
        let table = c
            .control_plane_size(p.k8s_nodes())
            .memory_gib
            .max(c.kubernetes.kubeadm_minimum.memory_gib);
        let want = sizes.iter().copied().find(|s| *s >= table).unwrap();
        assert_eq!(m.memory_gib, want, "{pods} pods, {} nodes", p.k8s_nodes());
        assert!(m.memory_gib.fract() == 0.0);
    }
    // Clouds keep their instance sizes (no rounding table).
    assert!(c.platform(Platform::Gcp).server_memory_gib.is_empty());
}

/// A keepalived virtual IP moves only inside one subnet: a pair spread over
/// zones says so and names the alternatives; one zone says nothing.
#[test]
fn a_virtual_ip_over_zones_needs_one_subnet() {
    let c = Catalog::builtin();
    let mut a = answers(Purpose::Production, Platform::OnPrem, 300, 1);
    for zones in [1, 2, 3] {
        a.zones = zones;
        let d = recommend(c, &a, "x").unwrap();
        let note = d.reasons.iter().find(|r| r.decision.contains("one subnet"));
        assert_eq!(note.is_some(), zones >= 2, "{zones} zones");
        if let Some(n) = note {
            assert!(
                n.reason.contains("kube-vip in BGP mode")
                    && n.reason.contains("external load balancer")
            );
        }
    }
}

/// eksctl refuses one availability zone: a one-zone EKS design names a
/// second one for the control plane, keeps the workers in the first, and
/// says why.
#[test]
fn a_one_zone_eks_design_names_two_zones_for_eksctl() {
    let c = Catalog::builtin();
    let min = c.tool(Tooling::Eks).and_then(|t| t.min_zones).unwrap();
    assert_eq!(min, 2);
    let mut a = answers(Purpose::Development, Platform::Aws, 50, 0);
    a.managed = true;
    a.zones = 1;
    let d = recommend(c, &a, "dev").unwrap();
    let p = &d.plans[0];
    assert_eq!(p.zones().len(), 1);
    let names = c.platform(Platform::Aws).design_zones();
    let cmd = exported(c, p);
    assert!(
        cmd.contains(&format!(
            "availabilityZones: [{}, {}]\n",
            names[0], names[1]
        )) && cmd.contains(&format!("    availabilityZones: [{}]\n", names[0])),
        "{cmd}"
    );
    assert!(d
        .reasons
        .iter()
        .any(|r| r.decision.starts_with("zones:") && r.reason.contains("--node-zones")));
    a.zones = 3;
    let d = recommend(c, &a, "dev").unwrap();
    let cmd = exported(c, &d.plans[0]);
    assert!(!cmd.contains("    availabilityZones:"), "{cmd}");
}

/// The architecture is the user's: amd64 unless answered, arm64 when asked,
/// and with `any` the cheapest of both; the reason says which.
#[test]
fn architecture_is_a_choice_the_user_makes() {
    let c = Catalog::builtin();
    for platform in [Platform::Aws, Platform::Gcp, Platform::Azure] {
        let mut a = answers(Purpose::Production, platform, 3_000, 1);
        a.managed = true;
        let cost = |a: &Answers| {
            let d = recommend(c, a, "x").unwrap();
            let pool = d.plans[0].spec.workers[0].clone();
            let bom = kubeplan::bom::build(c, &d.plans[0]);
            (pool.arch, bom.totals.monthly_cost.unwrap(), d)
        };
        let (amd, amd_cost, d) = cost(&a);
        assert_eq!(
            amd,
            kubeplan::plan::Arch::Amd64,
            "{platform}: amd64 by default"
        );
        let why = &d
            .reasons
            .iter()
            .find(|r| r.decision.starts_with("workers:"))
            .unwrap();
        assert!(
            why.decision.contains("amd64") && why.reason.contains("among amd64 types"),
            "{why:?}"
        );
        a.arch = ArchChoice::Arm64;
        let (arm, arm_cost, _) = cost(&a);
        assert_eq!(arm, kubeplan::plan::Arch::Arm64, "{platform}");
        a.arch = ArchChoice::Any;
        let (_, any_cost, d) = cost(&a);
        assert!(
            any_cost <= amd_cost.min(arm_cost) + 1e-6,
            "{platform}: any is the cheaper of both"
        );
        assert!(d
            .reasons
            .iter()
            .any(|r| r.reason.contains("over amd64 and arm64")));
    }
}

/// AKS: Azure CNI Overlay with a service range narrower than /12, a
/// dedicated System-mode pool tainted CriticalAddonsOnly (3 nodes of at
/// least 4 vCPU / 16 GiB in production) that runs no workload, user pools
/// in User mode, and the Free tier outside production.
#[test]
fn aks_overlay_system_pool_and_tiers() {
    let c = Catalog::builtin();
    let mut a = answers(Purpose::Production, Platform::Azure, 3_000, 1);
    a.managed = true;
    let d = recommend(c, &a, "aks").unwrap();
    let p = &d.plans[0];
    let system = &p.spec.workers[0];
    assert_eq!(system.name, "system");
    assert_eq!(system.taints, ["CriticalAddonsOnly=true:NoSchedule"]);
    assert!(system.nodes >= 3 && system.machine.cpu >= 4.0 && system.machine.memory_gib >= 16.0);
    assert!(!system.runs_workload());
    // The system pool adds nothing to the workload's capacity.
    let with = kubeplan::sizing::plan_capacity(c, p).total();
    let mut users_only = p.clone();
    users_only.spec.workers.remove(0);
    assert_eq!(
        with,
        kubeplan::sizing::plan_capacity(c, &users_only).total()
    );
    let net = p.spec.network.as_ref().unwrap();
    let svc: ipnet::Ipv4Net = net.service_cidr.parse().unwrap();
    assert!(svc.prefix_len() > 12, "{svc}");
    let cmds = exported(c, p);
    for want in [
        "--network-plugin azure --network-plugin-mode overlay",
        &format!("--pod-cidr {} \\", net.pod_cidr.as_deref().unwrap()),
        &format!("--service-cidr {svc} \\"),
        "--dns-service-ip 10.0.0.10 \\",
        "--nodepool-name system \\",
        "--nodepool-taints CriticalAddonsOnly=true:NoSchedule \\",
        "--tier standard",
        "--mode User",
    ] {
        assert!(cmds.contains(want), "{want} in\n{cmds}");
    }
    a.purpose = Purpose::Development;
    a.tolerate = 0;
    let d = recommend(c, &a, "aks").unwrap();
    let p = &d.plans[0];
    assert_eq!(p.spec.workers[0].nodes, 1);
    assert!(exported(c, p).contains("--tier free"));
    let bom = kubeplan::bom::build(c, p);
    let fee = bom
        .rows
        .iter()
        .find(|r| r.role == "managed control plane")
        .unwrap();
    assert_eq!(fee.monthly_cost, Some(0.0));
    assert!(fee.note.contains("Free tier"));
    // A service range of /12 is refused on AKS.
    a.service_cidr = "10.96.0.0/12".parse().unwrap();
    let e = recommend(c, &a, "aks").unwrap_err().to_string();
    assert!(e.contains("a service range of /13 or narrower"), "{e}");
}

/// GKE: production is regional, the rest zonal with the free-tier credit
/// stated; EKS says which support tier its fee assumes.
#[test]
fn managed_fees_and_tiers() {
    let c = Catalog::builtin();
    let mut a = answers(Purpose::Production, Platform::Gcp, 500, 1);
    a.managed = true;
    let cmd = |a: &Answers| {
        let d = recommend(c, a, "g").unwrap();
        let bom = kubeplan::bom::build(c, &d.plans[0]);
        let fee = bom
            .rows
            .iter()
            .find(|r| r.role == "managed control plane")
            .unwrap()
            .note
            .clone();
        (exported(c, &d.plans[0]), fee)
    };
    let (prod, _) = cmd(&a);
    assert!(
        prod.contains("LOCATION=us-central1\n") && prod.contains("  --region \"$LOCATION\""),
        "{prod}"
    );
    a.purpose = Purpose::Development;
    let (dev, fee) = cmd(&a);
    assert!(
        dev.contains("LOCATION=us-central1-a\n") && dev.contains("  --zone \"$LOCATION\""),
        "{dev}"
    );
    assert!(
        fee.contains("$74.40 monthly credit") && fee.contains("zonal"),
        "{fee}"
    );
    let mut e = answers(Purpose::Production, Platform::Aws, 500, 1);
    e.managed = true;
    let d = recommend(c, &e, "e").unwrap();
    let bom = kubeplan::bom::build(c, &d.plans[0]);
    let fee = bom
        .rows
        .iter()
        .find(|r| r.role == "managed control plane")
        .unwrap();
    assert!(
        fee.note.contains("standard support")
            && fee.note.contains("upgradePolicy.supportType: STANDARD")
    );
    // $0.10/h x 730 h.
    assert!((fee.monthly_cost.unwrap() - 73.0).abs() < 1e-9);
}

/// Production stateful on-prem over zones: replicated storage (Rook-Ceph
/// RBD) by default with its servers one per zone in the bill, the zone-loss
/// conditions said, local SSD only as an opt-in class, and shared access
/// from CephFS; without Ceph, shared-nfs brings its NFS server.
#[test]
fn replicated_storage_for_production_stateful_on_prem() {
    let c = Catalog::builtin();
    let mut a = answers(Purpose::Production, Platform::OnPrem, 500, 1);
    a.workload = WorkloadKind::Stateful;
    a.storage = vec![StorageNeed::Fast, StorageNeed::Shared];
    let d = recommend(c, &a, "db").unwrap();
    let st = d.plans[0].spec.storage.as_ref().unwrap();
    let default: Vec<&str> = st
        .classes
        .iter()
        .filter(|c| c.default)
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(default, ["ceph-rbd"]);
    let local = st.classes.iter().find(|c| c.name == "fast-ssd").unwrap();
    assert!(!local.default);
    assert!(st
        .classes
        .iter()
        .any(|c| c.provisioner.as_deref() == Some("rook-ceph.cephfs.csi.ceph.com")));
    assert_eq!(st.servers.len(), 1);
    assert_eq!(
        (st.servers[0].name.as_str(), st.servers[0].nodes),
        ("ceph", 3)
    );
    let why = d
        .reasons
        .iter()
        .find(|r| r.decision.starts_with("storage servers: 3 x ceph"))
        .unwrap();
    assert!(
        why.reason.contains("failureDomain: zone") && why.reason.contains("one per zone"),
        "{}",
        why.reason
    );
    let bom = kubeplan::bom::build(c, &d.plans[0]);
    let row = bom.rows.iter().find(|r| r.role == "storage: ceph").unwrap();
    assert_eq!(row.count, 3);
    assert!(row.machines);
    assert!(lint_plan(&d.plans[0], c)
        .iter()
        .all(|f| f.severity < Severity::Warning));
    // Development: local volumes, and shared-nfs with its one server.
    a.purpose = Purpose::Development;
    let d = recommend(c, &a, "db").unwrap();
    let st = d.plans[0].spec.storage.as_ref().unwrap();
    assert!(st.classes.iter().all(|c| c.name != "ceph-rbd"));
    assert_eq!(st.servers[0].name, "nfs");
    let bom = kubeplan::bom::build(c, &d.plans[0]);
    assert!(bom
        .rows
        .iter()
        .any(|r| r.role == "storage: nfs" && r.count == 1));
}

/// EKS: pods take VPC addresses. The plan has no pod range; its subnets are
/// the private ones eksctl derives from `vpcCIDR` (split evenly into 8, a
/// public then a private subnet per zone), each holding its zone's nodes x
/// the addresses of the ENIs the VPC CNI attaches (the pods' ENIs plus one
/// warm, at most the type's and no more than maxPods needs) plus AWS's 5.
#[test]
fn eks_subnets_are_eksctls_and_hold_nodes_pods_and_warm_pool() {
    let c = Catalog::builtin();
    for pods in [50, 3_000, 20_000] {
        let mut a = answers(Purpose::Production, Platform::Aws, pods, 1);
        a.managed = true;
        let d = recommend(c, &a, "eks").unwrap();
        let p = &d.plans[0];
        let net = p.spec.network.as_ref().unwrap();
        assert!(net.pod_cidr.is_none() && net.node_cidr_mask_size.is_none());
        let vpc: ipnet::Ipv4Net = net.vpc_cidr.as_ref().unwrap().parse().unwrap();
        assert!((16..=24).contains(&vpc.prefix_len()));
        let split: Vec<ipnet::Ipv4Net> = vpc.subnets(vpc.prefix_len() + 3).unwrap().collect();
        let pool = &p.spec.workers[0];
        let inst = c
            .instance(Platform::Aws, pool.instance_type.as_deref().unwrap())
            .unwrap();
        let (max_pods, ips) = (pool.max_pods.unwrap(), inst.ips_per_eni.unwrap());
        let enis = inst
            .enis
            .unwrap()
            .min((max_pods - 2).div_ceil(ips - 1) + 1)
            .min(max_pods.div_ceil(ips - 1));
        let per_node = u64::from(enis * ips);
        for (n, s) in net.subnets.iter().enumerate() {
            assert_eq!(s.zone, p.zones()[n]);
            let cidr: ipnet::Ipv4Net = s.cidr.parse().unwrap();
            assert_eq!(
                cidr,
                split[n + 3],
                "private subnets follow the 3 public ones"
            );
            let nodes_here = u64::from(pool.nodes).div_ceil(3);
            let room = (1u64 << (32 - cidr.prefix_len())) - 5;
            assert!(
                nodes_here * per_node <= room,
                "{pods}: {nodes_here} x {per_node} in {cidr}"
            );
        }
        // The smallest such VPC: one size narrower would not hold them.
        if vpc.prefix_len() < 24 {
            let narrower = (1u64 << (32 - (vpc.prefix_len() + 1 + 3))) - 5;
            assert!(
                u64::from(pool.nodes).div_ceil(3) * per_node > narrower,
                "{pods}"
            );
        }
        assert!(!lint_plan(p, c)
            .iter()
            .any(|f| f.rule == "network-subnet-too-small"));
        let cmd = exported(c, p);
        assert!(
            cmd.contains(&format!("vpc:\n  cidr: {vpc}\n"))
                && cmd.contains("    privateNetworking: true\n"),
            "{cmd}"
        );
    }
    // --pod-cidr does not apply on EKS.
    let mut a = answers(Purpose::Production, Platform::Aws, 100, 1);
    a.managed = true;
    a.pod_cidr = "10.244.0.0/16".parse().unwrap();
    assert!(recommend(c, &a, "eks")
        .unwrap_err()
        .to_string()
        .contains("--pod-cidr does not apply"));
}
