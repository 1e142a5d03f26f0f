//! The cloud installers' files, checked against their upstream definitions
//! (eksctl, kOps, gcloud and az cannot be installed on the CI machine):
//! eksctl's ClusterConfig against eksctl's published JSON Schema, kOps's
//! Cluster and InstanceGroups against a strict model of its Go types, and
//! the GKE/AKS scripts run by bash with stand-in `gcloud` and `az` that
//! record their arguments, each flag then looked up in the flags the real
//! CLI documents. Every number is re-derived from the plan.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use ipnet::Ipv4Net;
use kubeplan::catalog::Catalog;
use kubeplan::export::addresses::Hosts;
use kubeplan::export::{files, ExportFile, Target};
use kubeplan::plan::{ClusterPlan, Platform, Purpose};
use serde_json::Value;

use crate::kops_v1alpha2::{Cluster, InstanceGroup, InstanceGroupRole, MODELLED};

fn upstream(name: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upstream");
    std::fs::read_to_string(root.join(name)).unwrap()
}

/// eksctl's schema names definitions with `|` (`github.com|aws|…`), which
/// is not a valid URI character: encode it in `$ref`s (a JSON pointer in a
/// fragment is percent-decoded, so the refs still find their definitions).
fn encode_refs(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                match (k.as_str(), x) {
                    ("$ref", Value::String(s)) => *s = s.replace('|', "%7C"),
                    (_, x) => encode_refs(x),
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(encode_refs),
        _ => {}
    }
}

fn eksctl_schema() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        let mut s: Value = serde_json::from_str(&upstream("eksctl-v1alpha5.schema.json")).unwrap();
        encode_refs(&mut s);
        jsonschema::draft7::new(&s).unwrap()
    })
}

/// The flags each CLI command documents (`cli-flags.txt`).
fn documented() -> &'static BTreeMap<String, Vec<String>> {
    static F: OnceLock<BTreeMap<String, Vec<String>>> = OnceLock::new();
    F.get_or_init(|| {
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut section = String::new();
        for line in upstream("cli-flags.txt").lines() {
            if let Some(s) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = s.to_string();
            } else if !line.is_empty() && !line.starts_with('#') {
                out.entry(section.clone())
                    .or_default()
                    .push(line.to_string());
            }
        }
        out
    })
}

/// eksctl's split of a VPC range (`pkg/vpc` SetSubnets): 2 subnets per zone,
/// public ones first, each an eighth of the range for up to 4 zones and a
/// sixteenth for up to 8; zone `i`'s private subnet is number `zones + i`.
fn eksctl_private(vpc: Ipv4Net, zones: usize, i: usize) -> Ipv4Net {
    let bits = if 2 * zones <= 8 { 3 } else { 4 };
    let len = vpc.prefix_len() + bits;
    let size = 1u32 << (32 - len);
    let start = u32::from(vpc.network()) + (zones + i) as u32 * size;
    Ipv4Net::new(Ipv4Addr::from(start), len).unwrap()
}

pub fn check_eksctl(c: &Catalog, plan: &ClusterPlan, text: &str, what: &str) {
    let doc: Value = serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("{what}: {e}"));
    let errors: Vec<String> = eksctl_schema()
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}\nschema errors: {errors:#?}");
    // What the schema cannot say (eksctl's own checks, `pkg/ctl/cmdutils`).
    let azs = doc["availabilityZones"].as_array();
    let subnets = doc["vpc"]["subnets"].as_object();
    assert!(
        azs.is_some() != subnets.is_some(),
        "{what}: availabilityZones xor vpc.subnets"
    );
    let zones: Vec<String> = match (azs, subnets) {
        (Some(a), _) => a.iter().map(|z| z.as_str().unwrap().to_string()).collect(),
        (_, Some(s)) => s["private"].as_object().unwrap().keys().cloned().collect(),
        _ => unreachable!(),
    };
    assert!(zones.len() >= 2, "{what}: eksctl needs 2 zones");
    let region = doc["metadata"]["region"].as_str().unwrap();
    assert!(zones.iter().all(|z| z.starts_with(region)), "{what}");
    // What AWS takes: the region's own zones; EKS's service range.
    zones_exist(c, Platform::Aws, &zones, what);
    if let Some(s) = doc["kubernetesNetworkConfig"]["serviceIPv4CIDR"].as_str() {
        service_range_taken(c, Platform::Aws, s.parse().unwrap(), what);
    }
    let net = plan.spec.network.as_ref();
    if let (Some(a), Some(n)) = (azs, net) {
        // A new VPC: eksctl's own split makes exactly the plan's subnets.
        let vpc: Ipv4Net = doc["vpc"]["cidr"].as_str().unwrap().parse().unwrap();
        assert_eq!(Some(vpc.to_string()), n.vpc_cidr, "{what}");
        for s in &n.subnets {
            let i = a.iter().position(|z| z == s.zone.as_str()).unwrap();
            assert_eq!(
                eksctl_private(vpc, a.len(), i).to_string(),
                s.cidr,
                "{what}"
            );
        }
    }
    let groups = doc["managedNodeGroups"].as_array().unwrap();
    assert_eq!(groups.len(), plan.spec.workers.len(), "{what}");
    for (g, p) in groups.iter().zip(&plan.spec.workers) {
        assert_eq!(g["name"], p.name.as_str(), "{what}");
        let n = u64::from(p.nodes);
        assert_eq!(g["desiredCapacity"], n, "{what}");
        assert!(g["minSize"].as_u64().unwrap() <= n && g["maxSize"].as_u64().unwrap() >= n);
        assert_eq!(g["maxPodsPerNode"], c.max_pods(p), "{what}");
        if let Some(t) = &p.instance_type {
            assert_eq!(g["instanceType"], t.as_str(), "{what}");
        }
        for z in g["availabilityZones"].as_array().into_iter().flatten() {
            assert!(zones.iter().any(|x| x == z.as_str().unwrap()), "{what}");
        }
    }
    let provisioners: Vec<&str> = plan
        .spec
        .storage
        .iter()
        .flat_map(|s| &s.classes)
        .filter_map(|cl| cl.provisioner.as_deref())
        .collect();
    for (prov, addon, policy) in [
        ("ebs.csi.aws.com", "aws-ebs-csi-driver", "ebsCSIController"),
        ("efs.csi.aws.com", "aws-efs-csi-driver", "efsCSIController"),
    ] {
        let a = doc["addons"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|a| a["name"] == addon);
        assert_eq!(a.is_some(), provisioners.contains(&prov), "{what}: {addon}");
        if let Some(a) = a {
            assert_eq!(a["wellKnownPolicies"][policy], true, "{what}");
            assert_eq!(doc["iam"]["withOIDC"], true, "{what}: IRSA needs OIDC");
        }
    }
}

fn overlaps(a: Ipv4Net, b: Ipv4Net) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

pub fn check_kops(c: &Catalog, plan: &ClusterPlan, text: &str, what: &str) {
    let docs: Vec<Value> =
        serde_saphyr::from_multiple(text).unwrap_or_else(|e| panic!("{what}: {e}"));
    let strict = |d: &Value| -> Result<(), String> {
        match d["kind"].as_str() {
            Some("Cluster") => serde_json::from_value::<Cluster>(d.clone()).map(drop),
            Some("InstanceGroup") => serde_json::from_value::<InstanceGroup>(d.clone()).map(drop),
            k => panic!("{what}: kind {k:?}"),
        }
        .map_err(|e| e.to_string())
    };
    for d in &docs {
        assert_eq!(d["apiVersion"], "kops.k8s.io/v1alpha2", "{what}");
        strict(d).unwrap_or_else(|e| panic!("{what}: {e}"));
    }
    let cluster: Cluster = serde_json::from_value(docs[0].clone()).unwrap();
    let groups: Vec<InstanceGroup> = docs[1..]
        .iter()
        .map(|d| serde_json::from_value(d.clone()).unwrap())
        .collect();
    let name = &cluster.metadata.name;
    assert!(name.contains('.'), "{what}: kOps names are DNS names");
    let spec = &cluster.spec;
    // kOps's validateExternalPolicies: an ARN whose resource is a policy.
    for arn in spec.external_policies.values().flatten() {
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        assert!(
            parts.len() == 6
                && parts[0] == "arn"
                && parts[2] == "iam"
                && parts[5].starts_with("policy/"),
            "{what}: {arn}"
        );
    }
    // kOps installs no EFS CSI driver: an EFS class needs its policy on the nodes.
    let efs = plan
        .spec
        .storage
        .iter()
        .flat_map(|s| s.classes.iter())
        .any(|c| c.provisioner.as_deref() == Some("efs.csi.aws.com"));
    let node_policies = spec
        .external_policies
        .get(&crate::kops_v1alpha2::ExternalPolicyRole::Node);
    assert_eq!(
        node_policies.is_some_and(|p| p.iter().any(|a| a.ends_with("/AmazonEFSCSIDriverPolicy"))),
        efs && plan.spec.platform == kubeplan::plan::Platform::Aws,
        "{what}"
    );
    assert!(
        spec.api
            .as_ref()
            .and_then(|a| a.load_balancer.as_ref())
            .is_some(),
        "{what}"
    );
    let masters: Vec<&InstanceGroup> = groups
        .iter()
        .filter(|g| g.spec.role == InstanceGroupRole::Master)
        .collect();
    assert_eq!(masters.len() as u32, plan.cp_nodes(), "{what}");
    let etcd: Vec<&str> = spec.etcd_clusters.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(etcd, ["main", "events"], "{what}");
    for e in &spec.etcd_clusters {
        let mut members: Vec<&str> = e
            .members
            .iter()
            .map(|m| m.instance_group.as_deref().unwrap())
            .collect();
        let mut igs: Vec<&str> = masters.iter().map(|g| g.metadata.name.as_str()).collect();
        members.sort();
        igs.sort();
        assert_eq!(
            members, igs,
            "{what}: one etcd member per control-plane group"
        );
    }
    let subnet_names: Vec<&str> = spec.subnets.iter().map(|s| s.name.as_str()).collect();
    let mut zones: Vec<String> = spec.subnets.iter().filter_map(|s| s.zone.clone()).collect();
    zones.extend(groups.iter().flat_map(|g| g.spec.zones.iter().cloned()));
    zones_exist(c, plan.spec.platform, &zones, what);
    for g in &groups {
        assert_eq!(g.metadata.labels["kops.k8s.io/cluster"], *name, "{what}");
        assert!(
            g.spec
                .subnets
                .iter()
                .all(|s| subnet_names.contains(&s.as_str())),
            "{what}"
        );
    }
    let nodes: Vec<&InstanceGroup> = groups
        .iter()
        .filter(|g| g.spec.role == InstanceGroupRole::Node)
        .collect();
    assert_eq!(nodes.len(), plan.spec.workers.len(), "{what}");
    for (g, p) in nodes.iter().zip(&plan.spec.workers) {
        assert_eq!(g.spec.min_size, Some(p.nodes as i32), "{what}");
        assert_eq!(g.spec.max_size, Some(p.nodes as i32), "{what}");
        let max = g.spec.kubelet.as_ref().and_then(|k| k.max_pods);
        assert_eq!(max, Some(c.max_pods(p) as i32), "{what}");
    }
    // kOps's network validation (`pkg/apis/kops/validation`): the pod range
    // inside nonMasqueradeCIDR, which must not overlap the machines' network.
    let cidr = |s: &Option<String>| s.as_deref().map(|s| s.parse::<Ipv4Net>().unwrap());
    if let (Some(pod), Some(nm)) = (cidr(&spec.pod_cidr), cidr(&spec.non_masquerade_cidr)) {
        assert!(
            nm.contains(&pod),
            "{what}: podCIDR inside nonMasqueradeCIDR"
        );
        if let Some(net) = cidr(&spec.network_cidr) {
            assert!(
                !overlaps(nm, net),
                "{what}: nonMasqueradeCIDR overlaps networkCIDR"
            );
        }
    }
    let net = plan.spec.network.as_ref();
    assert_eq!(
        spec.pod_cidr,
        net.and_then(|n| n.pod_cidr.clone()),
        "{what}"
    );
    assert_eq!(
        spec.service_cluster_ip_range,
        net.map(|n| n.service_cidr.clone()),
        "{what}"
    );
}

/// The commands a script runs, as the stand-in CLIs recorded them: each
/// the command words and the flags with their values.
type Call = (String, Vec<(String, Vec<String>)>);

fn run_script(f: &ExportFile, env: &[(&str, &str)], what: &str) -> (bool, Vec<Call>, String) {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let log = dir.path().join("calls");
    for cli in ["gcloud", "az"] {
        let stub = format!(
            "#!/bin/sh\nprintf '%s\\t' {cli} \"$@\" >> '{}'\necho >> '{}'\n",
            log.display(),
            log.display()
        );
        let path = bin.join(cli);
        std::fs::write(&path, stub).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let script = dir.path().join(&f.name);
    std::fs::write(&script, &f.text).unwrap();
    let syntax = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(
        syntax.status.success(),
        "{what}: bash -n: {}",
        String::from_utf8_lossy(&syntax.stderr)
    );
    let path = format!("{}:/usr/bin:/bin", bin.display());
    let mut cmd = Command::new("bash");
    cmd.arg(&script).env_clear().env("PATH", path);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let calls = text
        .lines()
        .map(|l| {
            let words: Vec<&str> = l.trim_end_matches('\t').split('\t').collect();
            let first = words
                .iter()
                .position(|w| w.starts_with("--"))
                .unwrap_or(words.len());
            let joined = words[..first].join(" ");
            let command = documented()
                .keys()
                .filter(|k| joined.starts_with(k.as_str()))
                .max_by_key(|k| k.len())
                .cloned()
                .unwrap_or(joined);
            let mut flags: Vec<(String, Vec<String>)> = Vec::new();
            for w in &words[first..] {
                match w.strip_prefix("--") {
                    Some(f) => flags.push((f.to_string(), Vec::new())),
                    None => flags.last_mut().unwrap().1.push(w.to_string()),
                }
            }
            (command, flags)
        })
        .collect();
    (
        out.status.success(),
        calls,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn flag<'a>(flags: &'a [(String, Vec<String>)], name: &str) -> Option<&'a [String]> {
    flags.iter().find(|(f, _)| f == name).map(|(_, v)| &v[..])
}

/// Every flag of every call is one the real CLI documents for that command.
fn flags_documented(calls: &[Call], what: &str) {
    for (command, flags) in calls {
        let known = documented()
            .get(command)
            .unwrap_or_else(|| panic!("{what}: no documented flags for `{command}`"));
        for (f, _) in flags {
            assert!(known.contains(f), "{what}: `{command}` has no flag --{f}");
        }
    }
}

/// Every zone a file names is one of its region's, all in one region (the
/// catalog's region lists, held to their sources in `constraints.rs`).
fn zones_exist(c: &Catalog, platform: Platform, zones: &[String], what: &str) {
    let prof = c.platform(platform);
    let regions: Vec<&str> = zones
        .iter()
        .map(|z| match prof.zone_place(z) {
            Some(kubeplan::catalog::ZonePlace::Region(r)) => r,
            other => panic!("{what}: zone {z} is {other:?}"),
        })
        .collect();
    assert!(
        regions.windows(2).all(|w| w[0] == w[1]),
        "{what}: {regions:?}"
    );
}

/// A service range the managed service takes (size and block).
fn service_range_taken(c: &Catalog, platform: Platform, svc: Ipv4Net, what: &str) {
    let net = c.platform(platform).network.as_ref().unwrap();
    if let Some(b) = net.service_prefix {
        assert!(
            b.allows(svc.prefix_len()),
            "{what}: services {svc} not {}",
            b.describe()
        );
    }
    assert!(
        net.service_within.is_empty() || net.service_within.iter().any(|w| w.contains(&svc)),
        "{what}: {svc}"
    );
    assert!(net.reserved_overlap(svc).is_none(), "{what}: {svc}");
}

/// A pod range the managed service takes: its size, clear of its own ranges.
fn pod_range_taken(c: &Catalog, platform: Platform, pod: Ipv4Net, what: &str) {
    let net = c.platform(platform).network.as_ref().unwrap();
    if let Some(b) = net.pod_prefix {
        assert!(
            b.allows(pod.prefix_len()),
            "{what}: pods {pod} not {}",
            b.describe()
        );
    }
    assert!(net.reserved_overlap(pod).is_none(), "{what}: {pod}");
}

/// Max pods within what the service takes.
fn max_pods_taken(c: &Catalog, platform: Platform, max: u32, what: &str) {
    let net = c.platform(platform).network.as_ref().unwrap();
    let hard = c.limits(platform, true).hard_max_pods_per_node.unwrap();
    assert!(
        net.min_max_pods.unwrap_or(1) <= max && max <= hard,
        "{what}: max pods {max}"
    );
}

pub fn check_gke(c: &Catalog, plan: &ClusterPlan, f: &ExportFile, what: &str) {
    let (ok, calls, err) = run_script(f, &[], what);
    assert!(ok, "{what}: {err}");
    flags_documented(&calls, what);
    let commands: Vec<&str> = calls.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(commands[0], "gcloud container clusters create", "{what}");
    assert!(commands[1..]
        .iter()
        .all(|c| *c == "gcloud container node-pools create"));
    assert_eq!(calls.len(), plan.spec.workers.len(), "{what}");
    let production = plan.spec.purpose == Purpose::Production;
    for ((_, flags), p) in calls.iter().zip(&plan.spec.workers) {
        // Regional for production (a replicated control plane), zonal otherwise.
        assert_eq!(flag(flags, "region").is_some(), production, "{what}");
        assert_eq!(flag(flags, "zone").is_some(), !production, "{what}");
        let zones = flag(flags, "node-locations").unwrap()[0].split(',').count();
        let each: u32 = flag(flags, "num-nodes").unwrap()[0].parse().unwrap();
        // --num-nodes is per zone: the fewest per zone that hold the pool.
        assert!(
            each * zones as u32 >= p.nodes && (each - 1) * (zones as u32) < p.nodes,
            "{what}: {each} x {zones} for {}",
            p.nodes
        );
        let max: u32 = flag(flags, "max-pods-per-node").unwrap()[0]
            .parse()
            .unwrap();
        assert_eq!(max, c.max_pods(p), "{what}");
        // What GKE takes: the region's zones, 1,000 nodes a pool in each zone.
        let locations: Vec<String> = flag(flags, "node-locations").unwrap()[0]
            .split(',')
            .map(str::to_string)
            .collect();
        zones_exist(c, Platform::Gcp, &locations, what);
        let limit = c
            .limits(Platform::Gcp, true)
            .max_nodes_per_pool_per_zone
            .unwrap();
        assert!(u64::from(each) <= limit, "{what}: {each} nodes a zone");
        max_pods_taken(c, Platform::Gcp, max, what);
        if let Some(t) = &p.instance_type {
            assert_eq!(flag(flags, "machine-type").unwrap()[0], *t, "{what}");
        }
    }
    assert!(flag(&calls[0].1, "enable-ip-alias").is_some(), "{what}");
    let first = &calls[0].1;
    if let Some(pod) = flag(first, "cluster-ipv4-cidr") {
        pod_range_taken(c, Platform::Gcp, pod[0].parse().unwrap(), what);
    }
    // The services: GKE's own range unless the plan gives another.
    let net = c.platform(Platform::Gcp).network.as_ref().unwrap();
    let svc = plan.spec.network.as_ref().map(|n| n.service_cidr.clone());
    match flag(first, "services-ipv4-cidr") {
        Some(s) => service_range_taken(c, Platform::Gcp, s[0].parse().unwrap(), what),
        None => assert!(
            svc.is_none_or(|s| s == net.service_cidr.to_string()),
            "{what}"
        ),
    }
    // --addons turns off the add-ons it leaves out: gcloud's defaults stay,
    // and the Filestore driver (off by default) is on for a Filestore class.
    let filestore = plan
        .spec
        .storage
        .iter()
        .flat_map(|s| s.classes.iter())
        .any(|c| c.provisioner.as_deref() == Some("filestore.csi.storage.gke.io"));
    let addons: Vec<String> = flag(first, "addons")
        .map(|a| a[0].split(',').map(str::to_string).collect())
        .unwrap_or_default();
    assert_eq!(
        addons.iter().any(|a| a == "GcpFilestoreCsiDriver"),
        filestore,
        "{what}"
    );
    if !addons.is_empty() {
        for default in ["HttpLoadBalancing", "HorizontalPodAutoscaling"] {
            assert!(
                addons.iter().any(|a| a == default),
                "{what}: --addons drops {default}"
            );
        }
    }
}

pub fn check_aks(c: &Catalog, plan: &ClusterPlan, f: &ExportFile, what: &str) {
    // Without a resource group the script stops before running az.
    let (ok, calls, err) = run_script(f, &[], what);
    assert!(
        !ok && calls.is_empty() && err.contains("RESOURCE_GROUP"),
        "{what}: {err}"
    );
    let (ok, calls, err) = run_script(f, &[("RESOURCE_GROUP", "rg-test")], what);
    assert!(ok, "{what}: {err}");
    flags_documented(&calls, what);
    assert_eq!(calls[0].0, "az aks create", "{what}");
    assert!(
        calls[1..].iter().all(|(c, _)| c == "az aks nodepool add"),
        "{what}"
    );
    assert_eq!(calls.len(), plan.spec.workers.len(), "{what}");
    let mut names = Vec::new();
    for (i, (command, flags)) in calls.iter().enumerate() {
        assert_eq!(
            flag(flags, "resource-group").unwrap(),
            ["rg-test"],
            "{what}"
        );
        let name = &flag(flags, if i == 0 { "nodepool-name" } else { "name" }).unwrap()[0];
        // AKS: lowercase letters and digits, a letter first, at most 12.
        assert!(
            name.len() <= 12
                && name.starts_with(|c: char| c.is_ascii_lowercase())
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
            "{what}: pool name {name}"
        );
        names.push(name.clone());
        let count: u32 = flag(flags, "node-count").unwrap()[0].parse().unwrap();
        let max: u32 = flag(flags, "max-pods").unwrap()[0].parse().unwrap();
        // --node-count is the pool's total: find the plan's pool by its count and size.
        let p = plan
            .spec
            .workers
            .iter()
            .find(|p| p.nodes == count && c.max_pods(p) == max)
            .unwrap_or_else(|| panic!("{what}: {command} {count} nodes, {max} pods"));
        if let Some(t) = &p.instance_type {
            assert_eq!(flag(flags, "node-vm-size").unwrap()[0], *t, "{what}");
        }
        // What AKS takes: zones 1 to 3 of a zone region, 1,000 nodes a pool.
        let region = flag(&calls[0].1, "location").map(|l| l[0].clone());
        for id in flag(flags, "zones").into_iter().flatten() {
            let zone = format!("{}-{id}", region.as_deref().unwrap_or("$LOCATION"));
            zones_exist(c, Platform::Azure, &[zone], what);
        }
        assert!(
            u64::from(count) <= c.limits(Platform::Azure, true).max_nodes_per_pool.unwrap(),
            "{what}"
        );
        max_pods_taken(c, Platform::Azure, max, what);
        if i > 0 {
            assert_eq!(flag(flags, "mode").unwrap(), ["User"], "{what}");
        }
    }
    let unique: std::collections::BTreeSet<&String> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "{what}: pool names repeat");
    let first = &calls[0].1;
    if let Some(pod) = flag(first, "pod-cidr") {
        pod_range_taken(c, Platform::Azure, pod[0].parse().unwrap(), what);
    }
    if let Some(svc) = flag(first, "service-cidr") {
        service_range_taken(c, Platform::Azure, svc[0].parse().unwrap(), what);
    }
}

/// The check of one cloud target's file.
pub fn check(t: Target, c: &Catalog, plan: &ClusterPlan, f: &ExportFile, what: &str) -> bool {
    match t {
        Target::Eksctl => check_eksctl(c, plan, &f.text, what),
        Target::Kops => check_kops(c, plan, &f.text, what),
        Target::Gke => check_gke(c, plan, f, what),
        Target::Aks => check_aks(c, plan, f, what),
        _ => return false,
    }
    true
}

#[test]
fn every_example_exports_cloud_files_their_definitions_accept() {
    let c = Catalog::builtin();
    let mut seen = BTreeMap::new();
    for (name, plan) in crate::export::plans() {
        let hosts = Hosts::for_plan(&plan, None).unwrap();
        for t in Target::ALL.iter().filter(|t| t.not_for(&plan).is_none()) {
            for f in files(*t, &plan, c, &hosts) {
                let what = format!("{name}: {}:\n{}", f.name, f.text);
                if check(*t, c, &plan, &f, &what) {
                    *seen.entry(t.as_str()).or_insert(0) += 1;
                }
            }
        }
    }
    assert_eq!(
        seen.keys().copied().collect::<Vec<_>>(),
        ["aks", "eksctl", "gke", "kops"]
    );
}

/// The checks fail on what they must catch: a key eksctl does not know, a
/// misplaced kOps field, an undocumented gcloud flag.
#[test]
fn the_cloud_checks_catch_wrong_files() {
    let c = Catalog::builtin();
    let plans = crate::export::plans();
    let plan = |n: &str| &plans.iter().find(|(p, _)| p.ends_with(n)).unwrap().1;
    let caught = |f: &dyn Fn()| std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).is_err();
    let eks = plan("prod-eks.yaml");
    let text = kubeplan::export::eksctl::config(eks, c);
    assert!(caught(&|| check_eksctl(
        c,
        eks,
        &text.replace("maxPodsPerNode", "maxPods"),
        ""
    )));
    assert!(caught(&|| check_eksctl(
        c,
        eks,
        &text.replace("desiredCapacity: 15", "desiredCapacity: \"15\""),
        ""
    )));
    let wrong = text.replace(
        "availabilityZones: [",
        "vpc:\n  subnets: {private: {us-east-1a: {id: x}}}\navailabilityZones: [",
    );
    assert!(caught(&|| check_eksctl(c, eks, &wrong, "")));
    let kops = plan("prod-kops.yaml");
    let text = kubeplan::export::kops::config(kops, c);
    assert!(caught(&|| check_kops(
        c,
        kops,
        &text.replace("role: Node", "role: Worker"),
        ""
    )));
    assert!(caught(&|| check_kops(
        c,
        kops,
        &text.replace("  sshAccess:", "  ssh:"),
        ""
    )));
    assert!(caught(&|| check_kops(
        c,
        kops,
        &text.replace(
            "nonMasqueradeCIDR: 10.0.0.0/8",
            "nonMasqueradeCIDR: 100.64.0.0/10"
        ),
        ""
    )));
    let gke = plan("prod-gke.yaml");
    let mut f = files(Target::Gke, gke, c, &Hosts::for_plan(gke, None).unwrap()).remove(0);
    f.text = f.text.replace("--num-nodes", "--node-count");
    assert!(caught(&|| check_gke(c, gke, &f, "")));
}

/// The kOps model is the Go types': every field name it uses is the JSON
/// name of a field of the Go file it came from (the table of kOps's
/// `json:"…"` tags, `facts/kops-v1alpha2-fields.tsv`).
#[test]
fn every_modelled_field_is_a_go_json_name() {
    let fields = crate::constraints::table("kops-v1alpha2-fields.tsv");
    for (file, names) in MODELLED {
        assert!(
            fields.iter().any(|f| f["file"] == *file),
            "no rows of {file}"
        );
        for n in *names {
            assert!(
                fields.iter().any(|f| f["file"] == *file && f["json"] == *n),
                "{file} has no field `{n}`"
            );
        }
    }
}

/// Subnets eksctl would not carve itself (here: moved within the VPC) are
/// written as existing subnets under `vpc.subnets`, without
/// `availabilityZones` (eksctl refuses both); eksctl's own split gives the
/// new-VPC form. Both pass eksctl's schema and checks.
#[test]
fn eksctl_writes_existing_subnets_when_they_are_not_its_own_split() {
    let c = Catalog::builtin();
    let plans = crate::export::plans();
    let (_, eks) = plans
        .iter()
        .find(|(n, _)| n.ends_with("prod-eks.yaml"))
        .unwrap();
    let own = kubeplan::export::eksctl::config(eks, c);
    assert!(
        own.contains("\navailabilityZones: [") && !own.contains("  subnets:"),
        "{own}"
    );
    let mut moved = eks.clone();
    let net = moved.spec.network.as_mut().unwrap();
    for (i, s) in net.subnets.iter_mut().enumerate() {
        s.cidr = format!("192.168.{}.0/24", i);
    }
    let text = kubeplan::export::eksctl::config(&moved, c);
    assert!(!text.contains("\navailabilityZones:"), "{text}");
    for s in &moved.spec.network.as_ref().unwrap().subnets {
        assert!(
            text.contains(&format!("      {}: {{cidr: {}}}", s.zone, s.cidr)),
            "{text}"
        );
    }
    check_eksctl(c, &moved, &text, &text);
}
