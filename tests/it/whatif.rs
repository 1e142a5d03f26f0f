//! `kubeplan whatif`: every timeline figure re-derived from its documented
//! formula, the verdicts an SRE would sign on the examples, properties over
//! the design answer space, and etcd's quorum verdict against a real etcd
//! cluster whose zones are killed in turn.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use kubeplan::catalog::Catalog;
use kubeplan::plan::{ClusterPlan, EtcdTopology};
use kubeplan::whatif::layout::Layout;
use kubeplan::whatif::run::run;
use kubeplan::whatif::scenario::{parse, Failure};
use kubeplan::whatif::timeline::{leader_takeover, vip_takeover};
use kubeplan::whatif::{analyze, Verdict};

use crate::export::{etcdctl, plans, program, Started};

fn example(name: &str) -> ClusterPlan {
    plans()
        .into_iter()
        .find(|(n, _)| n.ends_with(name))
        .unwrap_or_else(|| panic!("{name}"))
        .1
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// Each figure from its formula and the documented defaults.
#[test]
fn timeline_figures_follow_their_formulas() {
    let c = Catalog::builtin();
    let f = &c.kubernetes.failure;
    // client-go: lease 15 s, renew 10 s, retry 2 s (component-base
    // RecommendedDefaultLeaderElectionConfiguration); JitterFactor 1.2.
    let plan = example("prod-onprem-stacked.yaml");
    assert_eq!(f.leader_election_jitter, 1.2, "client-go JitterFactor");
    let (lo, hi, graceful) = leader_takeover(c, &plan);
    assert!(close(lo, 15.0 - 2.0) && close(hi, 15.0 + 2.0 * 2.0 * 2.2) && close(graceful, 2.0));
    assert!(
        (13.0..=24.0).contains(&lo) && (23.0..=24.0).contains(&hi),
        "≈ 13–24 s"
    );
    // keepalived priorities and check timings from kubeadm's HA guide
    // ("`101` and `100` respectively"; `interval 3`, `fall 10`), the ones
    // export writes.
    let ha = crate::constraints::table("kubeadm-ha-figures.tsv");
    let figure = |section: &str, directive: &str| -> u32 {
        let row = ha
            .iter()
            .find(|r| r["section"] == section && r["directive"] == directive)
            .unwrap_or_else(|| panic!("the HA guide has no {section} {directive}"));
        row["value"].parse().unwrap()
    };
    assert_eq!(
        f.vrrp_master_priority,
        figure("vrrp_instance VI_1 (MASTER)", "priority")
    );
    assert_eq!(
        f.vrrp_backup_priority,
        figure("vrrp_instance VI_1 (BACKUP)", "priority")
    );
    assert_eq!(
        f.check_interval_s,
        figure("vrrp_script check_apiserver", "interval")
    );
    assert_eq!(f.check_fall, figure("vrrp_script check_apiserver", "fall"));
    let hosts = kubeplan::export::addresses::Hosts::for_plan(&plan, None).unwrap();
    let conf = kubeplan::export::files(kubeplan::export::Target::Keepalived, &plan, c, &hosts);
    assert!(conf[0].text.contains("priority 101\n") && conf[1].text.contains("priority 100\n"));
    // keepalived: 3 x advert_int (1 s) + (256 - 100) / 256 s ≈ 3.6 s.
    assert!(close(vip_takeover(c), 3.0 * 1.0 + 156.0 / 256.0));
    assert_eq!(format!("{:.1}", vip_takeover(c)), "3.6");
    // check_apiserver.sh: fall x interval = 30 s, plus the backup's 3.6 s ≈ 34 s.
    let check = f64::from(f.check_fall * f.check_interval_s) + vip_takeover(c);
    assert_eq!(check.round(), 34.0);
    // HAProxy: fall 3 x inter 2 s.
    assert!(close(f.haproxy_inter_s * f64::from(f.haproxy_fall), 6.0));
    // A node: NotReady after 50 s (1.32), evicted 300 s later: ≈ 5.8 min.
    assert_eq!(f.kubernetes_version, "1.32");
    let one = f.node_monitor_grace_period_s + f.toleration_s;
    assert!(close(one, 350.0));
    let o = analyze(
        c,
        &plan,
        &Layout::of(c, &plan),
        &[parse("workers=general:1", &Layout::of(c, &plan)).unwrap()],
    );
    let evict = o
        .timeline
        .iter()
        .find(|e| e.what.starts_with("pods of the lost"))
        .unwrap();
    assert!(
        close(evict.from_s, 350.0) && close(evict.to_s, 350.0),
        "{evict:?}"
    );
    // The etcd example's first line and the eviction line are the figures above.
    assert!(o
        .timeline
        .iter()
        .any(|e| close(e.from_s, 50.0) && e.what.contains("NotReady")));
}

/// A zone of n nodes lost whole: full disruption at 0.1 node/s, the last
/// node's pods back at 50 + 300 + (n - 1) / 0.1 s; a partially disrupted
/// zone slows to 0.01 node/s above 50 nodes and stops at 50 or fewer; every
/// zone down stops eviction.
#[test]
fn zone_eviction_rules_by_zone_state() {
    let c = Catalog::builtin();
    let mut plan = example("prod-onprem-stacked.yaml");
    plan.spec.workers[0].nodes = 300; // 100 per zone
    let layout = Layout::of(c, &plan);
    let zone = layout.zones[0].clone();
    let o = analyze(c, &plan, &layout, &[Failure::Zone(zone.clone())]);
    let e = o
        .timeline
        .iter()
        .find(|e| e.what.starts_with("pods of the lost"))
        .unwrap();
    let n = 100.0 + 1.0; // the zone's workers and its control-plane node
    assert!(close(e.to_s, 350.0 + (n - 1.0) / 0.1), "{e:?}");
    assert!(e.what.contains("fully disrupted"));
    // 60 of the zone's 101 nodes: partial (> 2 and ≥ 55%), a large zone: 0.01 node/s.
    let f = parse(&format!("workers=general:60@{zone}"), &layout).unwrap();
    let o = analyze(c, &plan, &layout, &[f]);
    let e = o
        .timeline
        .iter()
        .find(|e| e.what.starts_with("pods of the lost"))
        .unwrap();
    assert!(
        close(e.to_s, 350.0 + 59.0 / 0.01) && e.what.contains("partially"),
        "{e:?}"
    );
    // A small zone (at most 50 nodes) partially disrupted: never evicted.
    plan.spec.workers[0].nodes = 30;
    let layout = Layout::of(c, &plan);
    let f = parse(&format!("workers=general:8@{zone}"), &layout).unwrap();
    let o = analyze(c, &plan, &layout, &[f]);
    assert!(
        o.timeline
            .iter()
            .any(|e| e.never && e.what.contains("never evicted")),
        "{o:#?}"
    );
    assert_eq!(o.verdict, Verdict::Degraded);
    // Below the threshold: the normal rate.
    let f = parse(&format!("workers=general:2@{zone}"), &layout).unwrap();
    let o = analyze(c, &plan, &layout, &[f]);
    assert!(!o.timeline.iter().any(|e| e.never), "{o:#?}");
}

/// The verdicts an SRE would sign on the examples.
#[test]
fn examples_get_the_verdicts_an_sre_signs() {
    let c = Catalog::builtin();
    let classic = example("classic-two-control-planes.yaml");
    let layout = Layout::of(c, &classic);
    for fail in ["lb=1", "cp=1", "cp=1@rack-a"] {
        let o = analyze(c, &classic, &layout, &[parse(fail, &layout).unwrap()]);
        assert_eq!(o.verdict, Verdict::Down, "{fail}: {o:#?}");
    }
    let o = analyze(c, &classic, &layout, &[parse("cp=1", &layout).unwrap()]);
    assert_eq!(
        (o.etcd.left, o.etcd.quorum, o.etcd.state.as_str()),
        (1, 2, "read-only")
    );
    assert!(o.api.why.contains("/healthz returns 500"), "{}", o.api.why);
    for (name, plan) in plans() {
        let r = run(c, &plan, &[], 1);
        let production = plan.spec.purpose == kubeplan::plan::Purpose::Production;
        let clean = kubeplan::lint::lint_plan(&plan, c)
            .iter()
            .all(|f| f.severity != kubeplan::diag::Severity::Error);
        if production && clean {
            assert_ne!(
                r.summary.worst_single,
                Verdict::Down,
                "{name}: {:?}",
                r.summary
            );
            for s in r.scenarios.iter().filter(|s| s.outcome.lost_a_zone()) {
                assert_ne!(
                    s.outcome.verdict,
                    Verdict::Down,
                    "{name}: {:?}",
                    s.outcome.failed
                );
            }
        }
    }
}

/// Designs for production that tolerate a failure never go down from one
/// machine or one zone; `failure-single-point` agrees with whatif on every
/// sampled design.
#[test]
fn designed_production_plans_survive_one_failure() {
    let c = Catalog::builtin();
    let space = crate::design::answer_space();
    let step = (space.len() / 150).max(1);
    for a in space.iter().step_by(step) {
        for plan in crate::design::design(a) {
            let r = run(c, &plan, &[], 1);
            let fired = kubeplan::lint::lint_plan(&plan, c)
                .iter()
                .any(|f| f.rule == "failure-single-point");
            let production = plan.spec.purpose == kubeplan::plan::Purpose::Production;
            assert_eq!(
                fired,
                production && r.summary.worst_single == Verdict::Down,
                "{a:?}"
            );
            if production && a.tolerate >= 1 && a.zones >= 3 {
                assert_ne!(
                    r.summary.worst_single,
                    Verdict::Down,
                    "{a:?}: {:?}",
                    r.summary
                );
            }
        }
    }
}

/// One more member on an odd etcd never tolerates more: for every number
/// of members lost, the even cluster's verdict is never better.
#[test]
fn an_even_member_never_improves_tolerance() {
    let c = Catalog::builtin();
    let base = example("prod-onprem-external-etcd.yaml");
    for odd in [1u32, 3, 5, 7] {
        let verdicts = |members: u32| -> Vec<String> {
            let mut plan = base.clone();
            let e = plan.spec.etcd.as_mut().unwrap();
            e.members = Some(members);
            e.topology = Some(EtcdTopology::External);
            let layout = Layout::of(c, &plan);
            (1..=members.min(odd + 1))
                .map(|k| {
                    let f = parse(&format!("etcd={}", k.min(members)), &layout).unwrap();
                    analyze(c, &plan, &layout, &[f])
                        .etcd
                        .state
                        .as_str()
                        .to_string()
                })
                .collect()
        };
        let (o, e) = (verdicts(odd), verdicts(odd + 1));
        for (k, (a, b)) in o.iter().zip(&e).enumerate() {
            let rank = |s: &str| {
                ["writes", "read-only", "lost"]
                    .iter()
                    .position(|x| *x == s)
                    .unwrap()
            };
            assert!(
                rank(b) >= rank(a) || k + 1 == odd as usize,
                "{odd}+1 members, {} lost: {a} vs {b}",
                k + 1
            );
        }
        assert_eq!(
            kubeplan::quorum::fault_tolerance(odd + 1),
            kubeplan::quorum::fault_tolerance(odd)
        );
    }
}

#[test]
fn whatif_command_exit_codes_and_json() {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_kubeplan"))
            .args(args)
            .output()
            .unwrap()
    };
    let ex = |n: &str| format!("{}/docs/examples/{n}", env!("CARGO_MANIFEST_DIR"));
    assert_eq!(
        run(&["whatif", &ex("classic-two-control-planes.yaml")])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        run(&["whatif", &ex("prod-onprem-stacked.yaml")])
            .status
            .code(),
        Some(0)
    );
    // A development plan that a failure takes down: 0 unless the scenario is asked.
    assert_eq!(
        run(&["whatif", &ex("dev-1cp-2w.yaml")]).status.code(),
        Some(0)
    );
    assert_eq!(
        run(&["whatif", &ex("dev-1cp-2w.yaml"), "--fail", "cp=1"])
            .status
            .code(),
        Some(1)
    );
    let bad = run(&[
        "whatif",
        &ex("prod-onprem-stacked.yaml"),
        "--fail",
        "zone=rack-z",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("no zone `rack-z`") && err.lines().count() == 1,
        "{err}"
    );
    let bad = run(&["whatif", &ex("prod-onprem-stacked.yaml"), "--fail", "etc=1"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("did you mean `etcd`"));
    let out = run(&["whatif", &ex("prod-onprem-stacked.yaml"), "-f", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &v["scenarios"][0];
    for key in [
        "failed",
        "order",
        "etcd",
        "api",
        "controllers",
        "capacity",
        "timeline",
        "verdict",
    ] {
        assert!(s.get(key).is_some(), "{key}");
    }
    for key in [
        "scenarios",
        "survives",
        "degraded",
        "down",
        "worst_single",
        "line",
    ] {
        assert!(v["summary"].get(key).is_some(), "{key}");
    }
    assert!(v["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["order"] == 2));
    let md = run(&[
        "whatif",
        &ex("prod-onprem-stacked.yaml"),
        "-f",
        "markdown",
        "--max-failures",
        "1",
    ]);
    assert!(String::from_utf8_lossy(&md.stdout).contains("| failed | etcd | API |"));
}

fn start_etcd(etcd: &Path, dir: &Path, ips: &[String]) -> (Started, Vec<String>) {
    let cluster: Vec<String> = ips
        .iter()
        .enumerate()
        .map(|(i, ip)| format!("m{i}=http://{ip}:2380"))
        .collect();
    let mut started = Started(Vec::new());
    let mut endpoints = Vec::new();
    for (i, ip) in ips.iter().enumerate() {
        let log = std::fs::File::create(dir.join(format!("m{i}.log"))).unwrap();
        let client = format!("http://{ip}:2379");
        started.0.push(
            Command::new(etcd)
                .args(["--name", &format!("m{i}")])
                .args(["--data-dir", &dir.join(format!("m{i}")).to_string_lossy()])
                .args(["--listen-peer-urls", &format!("http://{ip}:2380")])
                .args([
                    "--initial-advertise-peer-urls",
                    &format!("http://{ip}:2380"),
                ])
                .args([
                    "--listen-client-urls",
                    &client,
                    "--advertise-client-urls",
                    &client,
                ])
                .args(["--initial-cluster", &cluster.join(",")])
                .args(["--initial-cluster-state", "new"])
                .stdout(log.try_clone().unwrap())
                .stderr(log)
                .spawn()
                .unwrap(),
        );
        endpoints.push(client);
    }
    (started, endpoints)
}

fn healthy(ctl: &Path, endpoints: &[String]) -> bool {
    (0..100).any(|_| {
        std::thread::sleep(Duration::from_millis(200));
        etcdctl(ctl, &endpoints.join(","), "2s", &["endpoint", "health"])
    })
}

/// etcd members laid out as a plan's zones (2+2+1 and 3+2), on loopback
/// addresses only: kill each zone's members in turn (SIGKILL) on a fresh
/// cluster, and whatif's etcd verdict for losing that zone must match
/// whether a write still succeeds.
#[test]
fn whatif_etcd_verdicts_match_a_real_cluster_losing_each_zone() {
    let (Some(etcd), Some(ctl)) = (program("etcd"), program("etcdctl")) else {
        return;
    };
    let c = Catalog::builtin();
    let base = example("prod-onprem-external-etcd.yaml");
    let mut next_ip = 41u8;
    for zones in [vec!["z-a", "z-b", "z-c"], vec!["z-a", "z-b"]] {
        let mut plan = base.clone();
        let e = plan.spec.etcd.as_mut().unwrap();
        e.members = Some(5);
        e.zones = zones.iter().map(|z| z.to_string()).collect();
        let layout = Layout::of(c, &plan);
        for zone in &zones {
            let want = analyze(c, &plan, &layout, &[Failure::Zone(zone.to_string())])
                .etcd
                .state
                == kubeplan::whatif::Quorum::Writes;
            // Members in placement order: member k in zone k mod zones.
            let ips: Vec<String> = (0..5).map(|k| format!("127.0.0.{}", next_ip + k)).collect();
            next_ip += 5;
            let dir = tempfile::tempdir().unwrap();
            let (mut started, endpoints) = start_etcd(&etcd, dir.path(), &ips);
            assert!(healthy(&ctl, &endpoints), "{zones:?}: never healthy");
            let zi = zones.iter().position(|z| z == zone).unwrap();
            let mut alive = Vec::new();
            for (k, child) in started.0.iter_mut().enumerate() {
                if k % zones.len() == zi {
                    child.kill().unwrap();
                    child.wait().unwrap();
                } else {
                    alive.push(endpoints[k].clone());
                }
            }
            // A cluster that keeps quorum may need a new leader first: a few
            // tries; one that lost it fails every one (bounded: 3 x 3 s).
            let tries = if want { 10 } else { 3 };
            let wrote =
                (0..tries).any(|_| etcdctl(&ctl, &alive.join(","), "3s", &["put", "zone", zone]));
            eprintln!("etcd 5 members over {zones:?}: lose {zone}: whatif says writes={want}, a real write succeeded={wrote}");
            assert_eq!(wrote, want, "{zones:?}: losing {zone}");
        }
    }
}

/// The real re-election time after SIGKILL of the leader, next to the
/// figure whatif prints (1–2 s per round: the election timeout, randomized;
/// a split vote takes a second round).
#[test]
fn etcd_reelection_time_is_within_whatifs_range() {
    let (Some(etcd), Some(ctl)) = (program("etcd"), program("etcdctl")) else {
        return;
    };
    let c = Catalog::builtin();
    let (lo, hi) = kubeplan::whatif::timeline::etcd_election(c);
    // The formula: election − heartbeat .. 2 × election (0.9 – 2 s by default).
    let e = &c.kubernetes.etcd;
    assert_eq!(
        (lo, hi),
        (
            f64::from(e.election_timeout_ms - e.heartbeat_interval_ms) / 1000.0,
            f64::from(2 * e.election_timeout_ms) / 1000.0
        )
    );
    let ips: Vec<String> = (0..3).map(|k| format!("127.0.0.{}", 91 + k)).collect();
    let dir = tempfile::tempdir().unwrap();
    let (mut started, endpoints) = start_etcd(&etcd, dir.path(), &ips);
    assert!(healthy(&ctl, &endpoints));
    // Which member leads: `endpoint status` marks it.
    let status = |eps: &[String]| -> Option<Vec<bool>> {
        let out = Command::new(&ctl)
            .env("ETCDCTL_API", "3")
            .args([
                "--endpoints",
                &eps.join(","),
                "--command-timeout",
                "1s",
                "endpoint",
                "status",
                "-w",
                "json",
            ])
            .output()
            .ok()?;
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
        let rows = v.as_array()?;
        Some(
            rows.iter()
                .map(|r| r["Status"]["header"]["member_id"] == r["Status"]["leader"])
                .collect(),
        )
    };
    let leader = (0..50)
        .find_map(|_| {
            std::thread::sleep(Duration::from_millis(100));
            status(&endpoints).and_then(|s| s.iter().position(|l| *l))
        })
        .expect("a leader");
    started.0[leader].kill().unwrap();
    started.0[leader].wait().unwrap();
    let killed = Instant::now();
    let rest: Vec<String> = (0..3)
        .filter(|k| *k != leader)
        .map(|k| endpoints[k].clone())
        .collect();
    let elected = (0..200).find_map(|_| {
        std::thread::sleep(Duration::from_millis(20));
        let s = status(&rest)?;
        s.iter().any(|l| *l).then(|| killed.elapsed().as_secs_f64())
    });
    let took = elected.expect("a new leader within the bound");
    eprintln!("etcd re-election after SIGKILL of the leader: {took:.2} s measured; whatif says {lo:.1}–{hi:.1} s per round");
    // At most two rounds (one split vote), plus the polling's own time.
    assert!(took <= 2.0 * hi + 0.5, "{took}");
}

/// `docs/whatif.md` is generated from the code and the profiles;
/// `KUBEPLAN_BLESS=1 cargo test --test it whatif_reference` rewrites it.
#[test]
fn whatif_reference_is_current() {
    let all = plans();
    let pick = |n: &'static str| (n, &all.iter().find(|(p, _)| p.ends_with(n)).unwrap().1);
    let chosen = [
        pick("docs/examples/classic-two-control-planes.yaml"),
        pick("docs/examples/prod-onprem-stacked.yaml"),
        pick("docs/examples/prod-eks.yaml"),
    ];
    let generated = kubeplan::report::whatif::reference(Catalog::builtin(), &chosen);
    crate::common::assert_current("docs/whatif.md", &generated);
}
