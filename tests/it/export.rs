//! Every exported file goes through the program that will read it:
//! `haproxy -c` and `keepalived -t`. In CI (`CI` set) a missing program
//! fails the test; elsewhere the check is skipped with a loud message.

use std::path::{Path, PathBuf};
use std::process::Command;

use kubeplan::catalog::Catalog;
use kubeplan::export::addresses::{Addresses, Hosts};
use kubeplan::export::{files, Target};
use kubeplan::plan::{parse_documents, ClusterPlan};

fn program(name: &str) -> Option<PathBuf> {
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

fn plans() -> Vec<(String, ClusterPlan)> {
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
            assert!(
                out.status.success(),
                "{name}: haproxy -c:\n{}\n{}",
                String::from_utf8_lossy(&out.stderr),
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
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/export.md");
    let example = "docs/examples/prod-onprem-stacked.yaml";
    let (_, plan) = plans()
        .into_iter()
        .find(|(n, _)| n.ends_with(example))
        .unwrap();
    let generated = kubeplan::export::reference(&plan, Catalog::builtin(), example);
    if std::env::var_os("KUBEPLAN_BLESS").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "docs/export.md is stale: run `KUBEPLAN_BLESS=1 cargo test --test it export_reference`"
    );
}
