//! Every exported file goes through the program that will read it:
//! `haproxy -c` (no warning either), `keepalived -t`, a real etcd cluster;
//! kubeadm's files through a strict model of its Go types. In CI (`CI` set)
//! a missing program fails the test; elsewhere the check is skipped with a
//! loud message.

use std::path::{Path, PathBuf};
use std::process::Command;

use kubeplan::catalog::Catalog;
use kubeplan::export::addresses::{Addresses, Hosts};
use kubeplan::export::{files, Target};
use kubeplan::plan::{parse_documents, ClusterPlan};

pub(crate) fn program(name: &str) -> Option<PathBuf> {
    let dirs = std::env::var("PATH").unwrap_or_default();
    let found = dirs
        .split(':')
        .chain(["/usr/sbin", "/sbin"])
        .map(|d| Path::new(d).join(name))
        .find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{name} is not installed: .ci/run installs it (apt-get install {name})"
        );
        eprintln!("\n*** SKIPPED: {name} is not installed; its check did not run ***\n");
    }
    found
}

pub(crate) fn plans() -> Vec<(String, ClusterPlan)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root).unwrap().flatten() {
        let path = entry.path();
        let source = kubeplan::plan::load::read_source(path.to_str().unwrap()).unwrap();
        for d in parse_documents(source).unwrap() {
            out.push((
                path.display().to_string(),
                d.plan.expect("examples are plans"),
            ));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// A network interface this machine has, other than loopback (keepalived
/// refuses loopback for VRRP and an interface that does not exist).
fn interface() -> String {
    let mut names: Vec<String> = std::fs::read_dir("/sys/class/net")
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n != "lo")
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
        .into_iter()
        .next()
        .expect("a network interface other than lo")
}

/// The plan's documentation hosts, on an interface this machine has.
fn hosts(plan: &ClusterPlan) -> Hosts {
    let mut h = Hosts::for_plan(plan, None).unwrap();
    h.interface = interface();
    h
}

#[test]
fn haproxy_accepts_every_exported_config() {
    let Some(haproxy) = program("haproxy") else {
        return;
    };
    let c = Catalog::builtin();
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for (name, plan) in plans() {
        if Target::Haproxy.not_for(&plan).is_some() {
            continue;
        }
        for f in files(Target::Haproxy, &plan, c, &hosts(&plan)) {
            let path = dir.path().join(&f.name);
            std::fs::write(&path, &f.text).unwrap();
            let out = Command::new(&haproxy)
                .arg("-c")
                .arg("-f")
                .arg(&path)
                .output()
                .unwrap();
            let said = String::from_utf8_lossy(&out.stderr);
            eprintln!(
                "haproxy -c -f {} ({name}): {}: {}",
                f.name,
                out.status,
                String::from_utf8_lossy(&out.stdout).trim()
            );
            assert!(
                out.status.success() && !said.contains("[WARNING]"),
                "{name}: haproxy -c:\n{said}\n{}",
                f.text
            );
            checked += 1;
        }
    }
    assert!(checked >= 2, "only {checked} configs checked");
}

#[test]
fn keepalived_accepts_every_exported_config() {
    let Some(keepalived) = program("keepalived") else {
        return;
    };
    let c = Catalog::builtin();
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for (name, plan) in plans() {
        if Target::Keepalived.not_for(&plan).is_some() {
            continue;
        }
        let out = files(Target::Keepalived, &plan, c, &hosts(&plan));
        let script = out.iter().find(|f| f.name == "check_apiserver.sh").unwrap();
        // Where the configuration names it, root-owned, mode 0755.
        let at = Path::new(kubeplan::export::keepalived::CHECK_SCRIPT);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::fs::write(at, &script.text).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(at, std::fs::Permissions::from_mode(0o755)).unwrap();
        for f in out.iter().filter(|f| f.name.ends_with(".conf")) {
            let path = dir.path().join(&f.name);
            std::fs::write(&path, &f.text).unwrap();
            let run = Command::new(&keepalived)
                .arg("-t")
                .arg("-f")
                .arg(&path)
                .output()
                .unwrap();
            eprintln!(
                "keepalived -t -f {} ({name}, script {}): {}",
                f.name,
                at.display(),
                run.status
            );
            assert!(
                run.status.success(),
                "{name}: keepalived -t ({:?}):\n{}\n{}",
                run.status.code(),
                String::from_utf8_lossy(&run.stderr),
                f.text
            );
            checked += 1;
        }
    }
    assert!(checked >= 2, "only {checked} configs checked");
}

#[test]
fn addresses_that_cannot_serve_the_plan_are_one_line_errors() {
    let (_, plan) = plans()
        .into_iter()
        .find(|(n, _)| n.ends_with("prod-onprem-stacked.yaml"))
        .unwrap();
    let host = |name: &str, ip: &str| kubeplan::export::addresses::Host {
        name: name.into(),
        ip: ip.parse().unwrap(),
    };
    let good = Addresses {
        virtual_ip: Some("10.0.0.10".parse().unwrap()),
        interface: Some("eth1".into()),
        control_plane: vec![
            host("cp1", "10.0.0.11"),
            host("cp2", "10.0.0.12"),
            host("cp3", "10.0.0.13"),
        ],
        etcd: vec![],
        load_balancers: vec![host("lb1", "10.0.0.21"), host("lb2", "10.0.0.22")],
    };
    let h = Hosts::for_plan(&plan, Some(&good)).unwrap();
    assert_eq!(
        h.etcd, h.control_plane,
        "stacked etcd runs on the control plane"
    );
    assert!(h.stacked_etcd);
    let mut few = good.clone();
    few.control_plane.pop();
    let e = Hosts::for_plan(&plan, Some(&few)).unwrap_err().to_string();
    assert_eq!(e, "`controlPlane` lists 2 host(s); the plan has 3");
    let mut dup = good.clone();
    dup.load_balancers[1].ip = "10.0.0.12".parse().unwrap();
    let e = Hosts::for_plan(&plan, Some(&dup)).unwrap_err().to_string();
    assert_eq!(e, "10.0.0.12 is given twice: to `cp2` and to `lb2`");
    let mut vip = good.clone();
    vip.virtual_ip = Some("10.96.0.10".parse().unwrap());
    let e = Hosts::for_plan(&plan, Some(&vip)).unwrap_err().to_string();
    assert!(e.contains("inside the service range 10.96.0.0/12"), "{e}");
}

/// `storageclasses.yaml` parses as YAML, one StorageClass per plan class,
/// exactly one marked default where the plan has a default.
#[test]
fn storage_classes_are_the_plans() {
    let c = Catalog::builtin();
    let mut checked = 0;
    for (name, plan) in plans() {
        if Target::Storage.not_for(&plan).is_some() {
            continue;
        }
        let f = &files(Target::Storage, &plan, c, &hosts(&plan))[0];
        let docs: Vec<serde_json::Value> = serde_saphyr::from_multiple(&f.text).unwrap();
        let classes = &plan.spec.storage.as_ref().unwrap().classes;
        assert_eq!(docs.len(), classes.len(), "{name}");
        for (d, class) in docs.iter().zip(classes) {
            assert_eq!(d["apiVersion"], "storage.k8s.io/v1");
            assert_eq!(d["kind"], "StorageClass");
            assert_eq!(d["metadata"]["name"], class.name.as_str());
            let default = d["metadata"]["annotations"]
                ["storageclass.kubernetes.io/is-default-class"]
                == "true";
            assert_eq!(default, class.default, "{name}: {}", class.name);
            if let Some(p) = &class.provisioner {
                assert_eq!(d["provisioner"], p.as_str());
            }
        }
        checked += 1;
    }
    assert!(checked >= 3, "only {checked} plans checked");
}

/// `docs/export.md` is generated from the code; `KUBEPLAN_BLESS=1 cargo test
/// --test it export_reference` rewrites it.
#[test]
fn export_reference_is_current() {
    let all = plans();
    let pick = |example: &'static str| {
        let (_, plan) = all.iter().find(|(n, _)| n.ends_with(example)).unwrap();
        (example, plan)
    };
    let chosen = [
        pick("docs/examples/prod-onprem-stacked.yaml"),
        pick("docs/examples/prod-onprem-external-etcd.yaml"),
        pick("docs/examples/prod-eks.yaml"),
        pick("docs/examples/prod-kops.yaml"),
        pick("docs/examples/prod-gke.yaml"),
        pick("docs/examples/prod-aks.yaml"),
    ];
    let generated = kubeplan::export::reference(&chosen, Catalog::builtin());
    crate::common::assert_current("docs/export.md", &generated);
}

/// etcd ignores keys it does not know: every key of an exported member
/// configuration is one of etcd's own (`etcd.conf.yml.sample`, vendored
/// under tests/fixtures/upstream with its source).
#[test]
fn etcd_member_configs_use_only_etcd_keys() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sample =
        std::fs::read_to_string(root.join("tests/fixtures/upstream/etcd.conf.yml.sample")).unwrap();
    let sample: serde_json::Value = serde_saphyr::from_str(&sample).unwrap();
    let c = Catalog::builtin();
    // The timings and ports in profiles/ are etcd's own defaults.
    let e = &c.kubernetes.etcd;
    assert_eq!(sample["heartbeat-interval"], e.heartbeat_interval_ms);
    assert_eq!(sample["election-timeout"], e.election_timeout_ms);
    let port = |k: &str| {
        sample[k]
            .as_str()
            .unwrap()
            .rsplit(':')
            .next()
            .unwrap()
            .parse::<u16>()
            .unwrap()
    };
    assert_eq!(port("listen-client-urls"), e.client_port);
    assert_eq!(port("listen-peer-urls"), e.peer_port);
    let mut checked = 0;
    for (name, plan) in plans() {
        if Target::Etcd.not_for(&plan).is_some() {
            continue;
        }
        for f in files(Target::Etcd, &plan, c, &hosts(&plan)) {
            if !f.name.ends_with(".yml") {
                continue;
            }
            let v: serde_json::Value = serde_saphyr::from_str(&f.text).unwrap();
            for (k, x) in v.as_object().unwrap() {
                assert!(
                    sample.get(k).is_some(),
                    "{name}: {}: `{k}` is not an etcd key",
                    f.name
                );
                if let Some(inner) = x.as_object() {
                    for k2 in inner.keys() {
                        assert!(
                            sample[k].get(k2).is_some(),
                            "{name}: `{k}.{k2}` is not an etcd key"
                        );
                    }
                }
            }
            assert_eq!(
                v["heartbeat-interval"],
                c.kubernetes.etcd.heartbeat_interval_ms
            );
            assert_eq!(v["election-timeout"], c.kubernetes.etcd.election_timeout_ms);
            checked += 1;
        }
    }
    assert!(checked >= 3, "only {checked} member configs checked");
}

/// Processes started by a test, killed (by pid) when it ends, whatever happens.
pub(crate) struct Started(pub(crate) Vec<std::process::Child>);

impl Drop for Started {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// `etcdctl` against `endpoints`, bounded by `timeout`: whether it
/// succeeded (its output is printed: `--nocapture` shows it, as `.ci/run` does).
pub(crate) fn etcdctl(etcdctl: &Path, endpoints: &str, timeout: &str, args: &[&str]) -> bool {
    let out = Command::new(etcdctl)
        .env("ETCDCTL_API", "3")
        .args([
            "--endpoints",
            endpoints,
            "--dial-timeout",
            "2s",
            "--command-timeout",
            timeout,
        ])
        .args(args)
        .output();
    let Ok(o) = out else { return false };
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    eprintln!(
        "etcdctl {} ({endpoints}): {}: {}",
        args.join(" "),
        o.status,
        said.trim().lines().last().unwrap_or("")
    );
    o.status.success()
}

/// The exported member configurations start a real etcd cluster (on
/// loopback addresses 127.0.0.x, TLS dropped): healthy on all members; a
/// write succeeds after losing as many members as the quorum allows, and
/// fails after losing one more.
#[test]
fn exported_etcd_members_form_a_cluster_that_keeps_quorum() {
    let (Some(etcd), Some(ctl)) = (program("etcd"), program("etcdctl")) else {
        return;
    };
    let c = Catalog::builtin();
    let (_, base) = plans()
        .into_iter()
        .find(|(n, _)| n.ends_with("prod-onprem-external-etcd.yaml"))
        .unwrap();
    for (members, first) in [(3u32, 11u8), (5, 21)] {
        let mut plan = base.clone();
        plan.spec.etcd.as_mut().unwrap().members = Some(members);
        let mut hosts = Hosts::for_plan(&plan, None).unwrap();
        for (i, h) in hosts.etcd.iter_mut().enumerate() {
            h.ip = format!("127.0.0.{}", first + i as u8).parse().unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        let mut started = Started(Vec::new());
        let mut endpoints = Vec::new();
        for f in files(Target::Etcd, &plan, c, &hosts) {
            if !f.name.ends_with(".yml") {
                continue;
            }
            // TLS dropped, one client address per member, a data folder here.
            let mut v: serde_json::Value =
                serde_saphyr::from_str(&f.text.replace("https://", "http://")).unwrap();
            let m = v.as_object_mut().unwrap();
            m.remove("client-transport-security");
            m.remove("peer-transport-security");
            let client = m["advertise-client-urls"].clone();
            m.insert("listen-client-urls".into(), client.clone());
            let name = m["name"].as_str().unwrap().to_string();
            m.insert(
                "data-dir".into(),
                dir.path().join(&name).to_string_lossy().into(),
            );
            endpoints.push(client.as_str().unwrap().to_string());
            let path = dir.path().join(&f.name);
            std::fs::write(&path, serde_json::to_string(&v).unwrap()).unwrap();
            let log = std::fs::File::create(dir.path().join(format!("{name}.log"))).unwrap();
            started.0.push(
                Command::new(&etcd)
                    .arg("--config-file")
                    .arg(&path)
                    .stdout(log.try_clone().unwrap())
                    .stderr(log)
                    .spawn()
                    .unwrap(),
            );
        }
        assert_eq!(started.0.len(), members as usize);
        let all = endpoints.join(",");
        let healthy = (0..100).any(|_| {
            std::thread::sleep(std::time::Duration::from_millis(200));
            etcdctl(&ctl, &all, "2s", &["endpoint", "health"])
        });
        assert!(
            healthy,
            "{members} members: the cluster never became healthy"
        );
        eprintln!(
            "etcd: {members} members healthy; killing {} (SIGKILL)",
            ((members - 1) / 2)
        );
        // Lose as many members as the quorum allows: writes go on.
        let tolerated = ((members - 1) / 2) as usize;
        for c in started.0.iter_mut().take(tolerated) {
            c.kill().unwrap();
            c.wait().unwrap();
        }
        let alive = endpoints[tolerated..].join(",");
        let wrote = (0..20).any(|_| etcdctl(&ctl, &alive, "3s", &["put", "kubeplan", "ok"]));
        assert!(
            wrote,
            "{members} members, {tolerated} lost: the write failed"
        );
        // One more: no quorum, no write.
        started.0[tolerated].kill().unwrap();
        started.0[tolerated].wait().unwrap();
        let left = endpoints[tolerated + 1..].join(",");
        assert!(
            !etcdctl(&ctl, &left, "3s", &["put", "kubeplan", "lost"]),
            "{members} members, {} lost: a write succeeded without quorum",
            tolerated + 1
        );
    }
}

/// `d` as `T`, or a panic saying where.
fn strict<T: serde::de::DeserializeOwned>(d: serde_json::Value, what: &str) -> T {
    serde_json::from_value(d).unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// Every kubeadm file is kubeadm v1beta4 by the strict model of its Go
/// types (`kubeadm_v1beta4.rs`), and carries the plan's endpoint, networks,
/// etcd and leader-election timings.
#[test]
fn kubeadm_files_are_strict_v1beta4() {
    use crate::kubeadm_v1beta4::{ClusterConfiguration, InitConfiguration, JoinConfiguration};
    let c = Catalog::builtin();
    let mut checked = 0;
    for (name, plan) in plans() {
        if Target::Kubeadm.not_for(&plan).is_some() {
            continue;
        }
        let h = hosts(&plan);
        let endpoint = kubeplan::export::kubeadm::endpoint(&plan, c, &h);
        for f in files(Target::Kubeadm, &plan, c, &h) {
            let docs: Vec<serde_json::Value> = serde_saphyr::from_multiple(&f.text).unwrap();
            for d in docs {
                assert_eq!(
                    d["apiVersion"], "kubeadm.k8s.io/v1beta4",
                    "{name}: {}",
                    f.name
                );
                let what = format!("{name}: {}:\n{}", f.name, f.text);
                match d["kind"].as_str().unwrap() {
                    "InitConfiguration" => {
                        let i: InitConfiguration = strict(d, &what);
                        let at = i.local_api_endpoint.unwrap();
                        assert_eq!(
                            at.advertise_address.unwrap(),
                            h.control_plane[0].ip.to_string()
                        );
                    }
                    "ClusterConfiguration" => {
                        let cc: ClusterConfiguration = strict(d, &what);
                        assert_eq!(
                            cc.control_plane_endpoint.as_deref(),
                            Some(endpoint.as_str())
                        );
                        match (&plan.spec.network, cc.networking) {
                            (Some(net), Some(got)) => {
                                assert_eq!(got.service_subnet.as_ref(), Some(&net.service_cidr));
                                assert_eq!(got.pod_subnet, net.pod_cidr);
                            }
                            (None, None) => {}
                            (want, got) => panic!("{name}: networking {want:?} became {got:?}"),
                        }
                        let etcd = cc.etcd.unwrap();
                        match etcd.external {
                            Some(x) => assert_eq!(x.endpoints.len(), h.etcd.len()),
                            None => assert!(etcd.local.is_some()),
                        }
                        if let Some(le) = &plan.spec.control_plane.leader_election {
                            for component in [cc.controller_manager.unwrap(), cc.scheduler.unwrap()]
                            {
                                let arg = |n: &str| {
                                    component
                                        .extra_args
                                        .iter()
                                        .find(|a| a.name == n)
                                        .map(|a| a.value.clone())
                                };
                                assert_eq!(
                                    arg("leader-elect-lease-duration"),
                                    Some(le.lease_duration.clone())
                                );
                                assert_eq!(
                                    arg("leader-elect-renew-deadline"),
                                    Some(le.renew_deadline.clone())
                                );
                                assert_eq!(
                                    arg("leader-elect-retry-period"),
                                    Some(le.retry_period.clone())
                                );
                            }
                        }
                    }
                    "JoinConfiguration" => {
                        let j: JoinConfiguration = strict(d, &what);
                        let bt = j.discovery.bootstrap_token.unwrap();
                        assert_eq!(bt.api_server_endpoint.as_deref(), Some(endpoint.as_str()));
                        assert_eq!(j.control_plane.is_some(), f.name.contains("control-plane"));
                    }
                    other => panic!("{name}: {}: unexpected kind {other}", f.name),
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 8, "only {checked} kubeadm documents checked");
}

/// For 200 answer sets sampled across the design answer space, every
/// target that applies to the designed plan exports, and every file passes
/// its check: `haproxy -c`, `keepalived -t`, etcd's own keys, the strict
/// kubeadm model, StorageClass YAML, and the cloud files' checks
/// (`export_cloud.rs`: eksctl's schema, the strict kOps model, the GKE and
/// AKS scripts' flags and counts).
#[test]
fn sampled_designs_export_files_their_programs_accept() {
    use crate::kubeadm_v1beta4::{ClusterConfiguration, InitConfiguration, JoinConfiguration};
    let c = Catalog::builtin();
    let space = crate::design::answer_space();
    let step = (space.len() / 200).max(1);
    let haproxy = program("haproxy");
    let keepalived = program("keepalived");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sample =
        std::fs::read_to_string(root.join("tests/fixtures/upstream/etcd.conf.yml.sample")).unwrap();
    let sample: serde_json::Value = serde_saphyr::from_str(&sample).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (mut plans_seen, mut files_checked) = (0, 0);
    let mut per_target = std::collections::BTreeMap::new();
    for a in space.iter().step_by(step).take(200) {
        let plan = crate::design::design(a).remove(0);
        plans_seen += 1;
        // The rules (the platform constraints among them) on the plan.
        let errors: Vec<String> = kubeplan::lint::lint_plan(&plan, c)
            .into_iter()
            .filter(|f| f.severity == kubeplan::diag::Severity::Error)
            .map(|f| format!("{}: {}", f.rule, f.message))
            .collect();
        assert!(errors.is_empty(), "{a:?}: {errors:?}");
        let h = hosts(&plan);
        for t in Target::ALL.iter().filter(|t| t.not_for(&plan).is_none()) {
            for f in files(*t, &plan, c, &h) {
                let what = format!("{a:?}: {}:\n{}", f.name, f.text);
                let path = dir.path().join(&f.name);
                std::fs::write(&path, &f.text).unwrap();
                let run = |bin: &Option<PathBuf>, flag: &str| {
                    if let Some(bin) = bin {
                        let out = Command::new(bin)
                            .arg(flag)
                            .arg("-f")
                            .arg(&path)
                            .output()
                            .unwrap();
                        assert!(
                            out.status.success(),
                            "{what}\n{}",
                            String::from_utf8_lossy(&out.stderr)
                        );
                    }
                };
                match (*t, f.name.rsplit('.').next()) {
                    (Target::Haproxy, _) => run(&haproxy, "-c"),
                    (Target::Keepalived, Some("conf")) => {
                        let script = Path::new(kubeplan::export::keepalived::CHECK_SCRIPT);
                        std::fs::create_dir_all(script.parent().unwrap()).unwrap();
                        let text = kubeplan::export::keepalived::check_script(&plan, c);
                        std::fs::write(script, text).unwrap();
                        use std::os::unix::fs::PermissionsExt;
                        std::fs::set_permissions(script, std::fs::Permissions::from_mode(0o755))
                            .unwrap();
                        run(&keepalived, "-t");
                    }
                    (Target::Etcd, Some("yml")) => {
                        let v: serde_json::Value = serde_saphyr::from_str(&f.text).unwrap();
                        for k in v.as_object().unwrap().keys() {
                            assert!(sample.get(k).is_some(), "{what}: `{k}`");
                        }
                    }
                    (Target::Kubeadm, _) => {
                        let docs: Vec<serde_json::Value> =
                            serde_saphyr::from_multiple(&f.text).unwrap();
                        for d in docs {
                            match d["kind"].as_str().unwrap_or("") {
                                "InitConfiguration" => drop(strict::<InitConfiguration>(d, &what)),
                                "ClusterConfiguration" => {
                                    drop(strict::<ClusterConfiguration>(d, &what))
                                }
                                "JoinConfiguration" => drop(strict::<JoinConfiguration>(d, &what)),
                                other => panic!("{what}: kind {other}"),
                            }
                        }
                    }
                    (Target::Storage, _) => storage_classes_work(c, &f.text, &what),
                    (t, _) => {
                        crate::export_cloud::check(t, c, &plan, &f, &what);
                        rules_pass_on_the_file(c, t, &f, &what);
                    }
                }
                files_checked += 1;
                *per_target.entry(t.as_str()).or_insert(0) += 1;
            }
        }
    }
    assert_eq!(plans_seen, 200);
    for t in Target::ALL {
        assert!(
            per_target.contains_key(t.as_str()),
            "no sampled design exported {t}: {per_target:?}"
        );
    }
    assert!(files_checked >= 200, "only {files_checked} files checked");
}

/// Every StorageClass names a driver kubeplan knows, sets what it needs,
/// gets the disk its plan says (the platform rules' catalog), and asks for
/// volume expansion only where the driver grows volumes.
fn storage_classes_work(c: &Catalog, text: &str, what: &str) {
    let docs: Vec<serde_json::Value> = serde_saphyr::from_multiple(text).unwrap();
    for d in &docs {
        assert_eq!(d["kind"], "StorageClass", "{what}");
        let driver = c.driver(d["provisioner"].as_str().unwrap()).unwrap();
        let params: std::collections::BTreeMap<String, String> = d["parameters"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        assert!(driver.missing(&params).is_empty(), "{what}");
        assert_eq!(
            d["allowVolumeExpansion"].as_bool(),
            Some(driver.expansion),
            "{what}"
        );
    }
}

/// A file kubeplan reads back (eksctl, kOps) lints with no error of the
/// platform constraints: its zones exist, its ranges are taken.
fn rules_pass_on_the_file(c: &Catalog, t: Target, f: &kubeplan::export::ExportFile, what: &str) {
    if !matches!(t, Target::Eksctl | Target::Kops) {
        return;
    }
    let source =
        kubeplan::plan::load::source_from_bytes(f.name.clone(), f.text.as_bytes().to_vec())
            .unwrap();
    let docs =
        kubeplan::import::documents(source, &kubeplan::import::Supply::default(), c).unwrap();
    let platform_rules: Vec<&str> = kubeplan::lint::RULES
        .iter()
        .filter(|r| r.group == "Platform constraints")
        .map(|r| r.id)
        .collect();
    assert!(platform_rules.len() >= 5);
    for d in &docs {
        let bad: Vec<String> = kubeplan::lint::lint_document(d, c)
            .findings
            .into_iter()
            .filter(|x| {
                platform_rules.contains(&x.rule) && x.severity == kubeplan::diag::Severity::Error
            })
            .map(|x| x.message)
            .collect();
        assert!(bad.is_empty(), "{what}: {bad:?}");
    }
}

/// The etcd systemd unit passes `systemd-analyze verify`, with etcd at the
/// path the unit names (the release tarball's; linked to the installed one).
#[test]
fn the_etcd_unit_passes_systemd_analyze() {
    let (Some(analyze), Some(etcd)) = (program("systemd-analyze"), program("etcd")) else {
        return;
    };
    let binary = Path::new(kubeplan::export::etcd::BINARY);
    if !binary.exists() {
        std::fs::create_dir_all(binary.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(&etcd, binary).unwrap();
    }
    let (_, plan) = plans()
        .into_iter()
        .find(|(n, _)| n.ends_with("prod-onprem-external-etcd.yaml"))
        .unwrap();
    let c = Catalog::builtin();
    let unit = files(Target::Etcd, &plan, c, &hosts(&plan))
        .into_iter()
        .find(|f| f.name == "etcd.service")
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("etcd.service");
    std::fs::write(&path, &unit.text).unwrap();
    let out = Command::new(analyze)
        .arg("verify")
        .arg(&path)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && !said.contains("etcd.service"),
        "systemd-analyze verify:\n{said}\n{}",
        unit.text
    );
}

/// The figures of kubeadm's HA guide a file of it leaves out on purpose:
/// (file, directive, why).
const HA_GUIDE_LEFT_OUT: &[(&str, &str, &str)] = &[
    (
        "keepalived.conf",
        "router_id",
        "each host gets its own router_id (its name), not the guide's LVS_DEVEL",
    ),
    (
        "haproxy.cfg",
        "option forwardfor",
        "both API proxies are TCP: haproxy -c warns that it is ignored",
    ),
];

/// The lines of `section` (a line starting at column 0) up to the next one,
/// each with its whitespace collapsed.
fn section_lines(text: &str, section: &str) -> Vec<String> {
    text.lines()
        .skip_while(|l| !l.starts_with(section))
        .skip(1)
        .take_while(|l| l.starts_with([' ', '\t']) || l.is_empty())
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// haproxy.cfg, keepalived.conf and check_apiserver.sh keep every figure
/// of kubeadm's HA guide (`facts/kubeadm-ha-figures.tsv`, read from the
/// guide by its script): timeouts, checks, the VRRP script's timings and
/// the MASTER's and backups' priorities.
#[test]
fn exported_load_balancers_keep_the_ha_guide_figures() {
    let c = Catalog::builtin();
    let rows = crate::constraints::table("kubeadm-ha-figures.tsv");
    let mut checked = 0;
    for (name, plan) in plans() {
        let h = hosts(&plan);
        let haproxy = files(Target::Haproxy, &plan, c, &h);
        let keepalived = files(Target::Keepalived, &plan, c, &h);
        let confs: Vec<&str> = keepalived
            .iter()
            .filter(|f| f.name.starts_with("keepalived-"))
            .map(|f| f.text.as_str())
            .collect();
        if haproxy.is_empty() || confs.is_empty() {
            continue;
        }
        let script = keepalived
            .iter()
            .find(|f| f.name == "check_apiserver.sh")
            .expect("the check script");
        for r in &rows {
            let (file, section, directive) = (&r["file"], &r["section"], &r["directive"]);
            if HA_GUIDE_LEFT_OUT
                .iter()
                .any(|(f, d, _)| f == file && d == directive)
            {
                continue;
            }
            let line = match r["value"].as_str() {
                "-" => directive.to_string(),
                v => format!("{directive} {v}"),
            };
            let texts: Vec<&str> = match (file.as_str(), section.as_str()) {
                ("check_apiserver.sh", _) => {
                    assert!(
                        script.text.contains(&line),
                        "{name}: check script lacks `{line}`"
                    );
                    continue;
                }
                ("haproxy.cfg", _) => vec![haproxy[0].text.as_str()],
                (_, s) if s.ends_with("(MASTER)") => confs[..1].to_vec(),
                (_, s) if s.ends_with("(BACKUP)") => {
                    confs.iter().skip(1).take(1).copied().collect()
                }
                _ => confs.clone(),
            };
            let section = section.split(" (").next().unwrap();
            for t in texts {
                assert!(
                    section_lines(t, section).contains(&line),
                    "{name}: {file} `{section}` lacks `{line}` (kubeadm's HA guide)"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 30, "{checked} figures checked");
}
