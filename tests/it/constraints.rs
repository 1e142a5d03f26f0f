//! The platform constraints in `profiles/` against the upstream sources
//! they come from (`tests/fixtures/upstream/facts/` and `storage/`, each
//! with its repository, path and commit), and each figure re-derived from
//! its source formula.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kubeplan::catalog::{Catalog, NodeRange, VolumeScope};
use kubeplan::plan::{Medium, Platform};
use serde_json::Value;

fn upstream() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upstream")
}

/// A fact table's rows (header and `#` lines left out), by column name.
pub(crate) fn table(name: &str) -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(upstream().join("facts").join(name)).unwrap();
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    lines
        .map(|l| {
            let cells: Vec<&str> = l.split('\t').collect();
            assert_eq!(cells.len(), header.len(), "{name}: `{l}`");
            header
                .iter()
                .zip(cells)
                .map(|(h, c)| (h.to_string(), c.to_string()))
                .collect()
        })
        .collect()
}

/// Every fact table names where it was read: a repository, path and commit
/// (or a documentation page) in its first lines or in each row.
#[test]
fn every_fact_table_names_its_source() {
    for entry in std::fs::read_dir(upstream().join("facts"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_file())
    {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let head: String = text
            .lines()
            .take_while(|l| l.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n");
        let commit = |s: &str| {
            s.split_whitespace()
                .any(|w| w.len() >= 8 && w.chars().all(|c| c.is_ascii_hexdigit()))
        };
        let rows_sourced = table(&name)
            .iter()
            .all(|r| r.get("source").is_some_and(|s| s.len() > 10));
        assert!(commit(&head) || rows_sourced, "{name} names no source");
    }
    let sources = std::fs::read_to_string(upstream().join("storage/SOURCES.tsv")).unwrap();
    for entry in std::fs::read_dir(upstream().join("storage"))
        .unwrap()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            name == "SOURCES.tsv" || sources.lines().any(|l| l.starts_with(&format!("{name}\t"))),
            "{name} is not in storage/SOURCES.tsv"
        );
    }
}

/// Every cloud region and its zones are the sources' (cfn-lint for AWS,
/// SkyPilot's Compute Engine catalog for GCP, Microsoft's region list and
/// az's `--zones 1 2 3` for Azure), no more, no fewer.
#[test]
fn zones_are_the_sources() {
    let c = Catalog::builtin();
    for (platform, file) in [
        (Platform::Aws, "aws-zones.tsv"),
        (Platform::Gcp, "gcp-zones.tsv"),
        (Platform::Azure, "azure-zones.tsv"),
    ] {
        let want: BTreeMap<String, Vec<String>> = table(file)
            .into_iter()
            .map(|r| {
                let zones = r["zones"]
                    .split(',')
                    .filter(|z| !z.is_empty())
                    .map(str::to_string)
                    .collect();
                (r["region"].clone(), zones)
            })
            .collect();
        let prof = c.platform(platform);
        assert_eq!(prof.regions, want, "{platform}");
        let region = prof.region.as_deref().unwrap();
        assert_eq!(prof.design_zones(), &want[region][..], "{platform}");
    }
    // Azure: a zone region has exactly the zones az takes.
    for zones in c
        .platform(Platform::Azure)
        .regions
        .values()
        .filter(|z| !z.is_empty())
    {
        let ids: Vec<&str> = zones
            .iter()
            .map(|z| z.rsplit_once('-').unwrap().1)
            .collect();
        assert_eq!(ids, ["1", "2", "3"]);
    }
}

/// The value at a dotted path of a profile's JSON (`a.b[].c` holds the
/// value among the list's entries; `a.b[k=v].c`, in the entry whose `k` is `v`).
fn holds(doc: &Value, path: &str, value: &str) -> bool {
    if let Some((head, rest)) = path.split_once('[').filter(|(_, r)| !r.starts_with(']')) {
        let (select, tail) = rest.split_once(']').unwrap();
        let (k, v) = select.split_once('=').unwrap();
        let list = doc.pointer(&format!("/{}", head.replace('.', "/")));
        let item = list
            .and_then(Value::as_array)
            .and_then(|a| a.iter().find(|x| x[k] == v));
        return item.is_some_and(|x| holds(x, tail.trim_start_matches('.'), value));
    }
    // Numbers compare as numbers (8 and 8.0 are one figure).
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.as_f64().map_or(n.to_string(), |f| f.to_string()),
        other => other.to_string(),
    };
    let value = value
        .parse::<f64>()
        .map_or(value.to_string(), |f| f.to_string());
    let value = value.as_str();
    let (head, rest) = match path.split_once("[]") {
        Some((h, r)) => (h, Some(r.trim_start_matches('.'))),
        None => (path, None),
    };
    let pointer = format!("/{}", head.replace('.', "/"));
    let Some(v) = doc.pointer(&pointer) else {
        return false;
    };
    match (rest, v) {
        (Some(r), Value::Array(items)) => items.iter().any(|x| match r.is_empty() {
            true => text(x) == value,
            false => x
                .pointer(&format!("/{}", r.replace('.', "/")))
                .is_some_and(|y| text(y) == value),
        }),
        (None, v) => text(v) == value,
        _ => false,
    }
}

/// Each managed service's limits, ranges and node ranges are the figures
/// of `platform-limits.tsv`, each with its source.
#[test]
fn platform_limits_are_the_sources() {
    let c = Catalog::builtin();
    let rows = table("platform-limits.tsv");
    assert!(rows.len() >= 40);
    for r in rows {
        let field = &r["field"];
        if r["platform"] == "kubernetes" {
            let doc = serde_json::to_value(&c.kubernetes).unwrap();
            assert!(
                holds(&doc, field, &r["value"]),
                "{field}: the catalog does not hold {} ({})",
                r["value"],
                r["source"]
            );
            continue;
        }
        let platform: Platform = r["platform"].parse().unwrap();
        let prof = c.platform(platform);
        let doc = serde_json::to_value(prof).unwrap();
        let ok = match field
            .strip_prefix("nodeRange(")
            .and_then(|f| f.strip_suffix(')'))
        {
            Some(pods) => {
                let rule: NodeRange = prof.network.as_ref().and_then(|n| n.node_range).unwrap();
                rule.prefix(pods.parse().unwrap()).to_string() == r["value"]
            }
            None => holds(&doc, field, &r["value"]),
        };
        assert!(
            ok,
            "{platform} {field}: the catalog does not hold {} ({})",
            r["value"], r["source"]
        );
    }
}

/// GCP's default network: every auto-mode subnet the listing shows lies in
/// the range the catalog holds for it, and no GKE design's pod or service
/// range overlaps one.
#[test]
fn gke_designs_stay_clear_of_the_default_networks_subnets() {
    let c = Catalog::builtin();
    let net = c.platform(Platform::Gcp).network.as_ref().unwrap();
    let subnets: Vec<ipnet::Ipv4Net> = table("gke-auto-mode-subnets.tsv")
        .iter()
        .map(|r| r["subnet"].parse().unwrap())
        .collect();
    assert!(subnets.len() >= 40);
    for s in &subnets {
        assert!(net.reserved_overlap(*s).is_some(), "{s}");
    }
    let mut seen = 0;
    for (a, d) in crate::design::designs()
        .iter()
        .filter(|(a, _)| a.platform == Platform::Gcp && a.managed)
        .step_by(7)
    {
        for p in &d.plans {
            let n = p.spec.network.as_ref().unwrap();
            for range in [n.pod_cidr.as_deref().unwrap(), n.service_cidr.as_str()] {
                let range: ipnet::Ipv4Net = range.parse().unwrap();
                assert!(
                    !subnets
                        .iter()
                        .any(|s| kubeplan::catalog::overlap(*s, range)),
                    "{a:?}: {range}"
                );
            }
            seen += 1;
        }
    }
    assert!(seen > 100);
}

/// The VPC CNI's ENIs: the rows of its own doc's WARM_ENI_TARGET table
/// (and the maxPods stop of ipamd), re-derived by `vpc_enis`; a node's VPC
/// addresses are those ENIs' IPv4 quotas.
#[test]
fn vpc_cni_enis_follow_the_cni() {
    let c = Catalog::builtin();
    let vpc = c.platform(Platform::Aws).vpc.as_ref().unwrap();
    for r in table("vpc-cni-enis.tsv") {
        let n = |k: &str| r[k].parse::<u32>().unwrap();
        let (enis, ips) = (n("maxEnis"), n("ipv4PerEni"));
        // kubelet's max pods: the ENI formula's, or below it.
        assert!(
            enis * (ips - 1) + 2 >= n("maxPods"),
            "{}",
            r["instanceType"]
        );
        let got = kubeplan::sizing::vpc_enis(vpc, (enis, ips), n("pods"), n("maxPods"));
        assert_eq!(got, n("attachedEnis"), "{r:?}");
    }
    // c6i.2xlarge at its 58 pods: 4 ENIs x 15 = 60; c6i.4xlarge at 110: 4 x 30 = 120.
    for (t, max_pods, want) in [
        ("c6i.2xlarge", 58, 60),
        ("c6i.4xlarge", 110, 120),
        ("m5.large", 29, 30),
    ] {
        let inst = c.instance(Platform::Aws, t);
        assert_eq!(
            kubeplan::sizing::vpc_addresses_per_node(vpc, max_pods, inst),
            want,
            "{t}"
        );
    }
}

/// A burstable type's baseline is its credits an hour over its vCPUs and
/// 60 minutes (AWS's formula; Azure's credits are vCPU-minutes too).
#[test]
fn burstable_baselines_are_the_sources() {
    let c = Catalog::builtin();
    let mut checked = 0;
    for (platform, file, percent) in [
        (Platform::Aws, "aws-burstable.tsv", "baselinePerVcpuPercent"),
        (
            Platform::Azure,
            "azure-burstable.tsv",
            "baselineOfVmPercent",
        ),
    ] {
        for r in table(file) {
            let f = |k: &str| r[k].parse::<f64>().unwrap();
            let baseline = f("creditsPerHour") / 60.0 / f("vcpus");
            assert!((baseline * 100.0 - f(percent)).abs() < 0.5, "{r:?}");
            if let Some(inst) = c.instance(platform, &r["instanceType"]) {
                assert_eq!(inst.family, "burstable");
                assert!(
                    (inst.baseline_cpu.unwrap() - baseline).abs() < 1e-9,
                    "{r:?}"
                );
                checked += 1;
            }
        }
    }
    // The catalogs list most of the credit tables' types (t2, t3, t3a,
    // t4g; the B-series).
    assert!(checked >= 30, "{checked} burstable types checked");
    // No current burstable type of the catalog without its baseline (t1.micro,
    // previous generation and never ranked unless asked, has none published).
    for (_, p) in c.platforms() {
        for i in p
            .instances
            .iter()
            .filter(|i| i.family == "burstable" && !i.previous_generation)
        {
            assert!(i.baseline_cpu.is_some(), "{}", i.name);
        }
    }
}

/// The on-prem cost model's weight of a GiB is the ratio of Compute
/// Engine's N2 memory and vCPU prices, solved from the catalog's own
/// n2-standard-8 and n2-highcpu-8 prices and checked on n2-highmem-8.
#[test]
fn onprem_cost_model_is_the_n2_price_ratio() {
    let c = Catalog::builtin();
    let price = |t: &str| {
        c.instance(Platform::Gcp, t)
            .unwrap()
            .price_per_hour
            .unwrap()
    };
    // 8 vCPU + 32 GiB and 8 vCPU + 8 GiB: 24 GiB apart.
    let gib = (price("n2-standard-8") - price("n2-highcpu-8")) / 24.0;
    let vcpu = (price("n2-highcpu-8") - 8.0 * gib) / 8.0;
    assert!((8.0 * vcpu + 64.0 * gib - price("n2-highmem-8")).abs() < 1e-3);
    let model = c.platform(Platform::OnPrem).cost_model.as_ref().unwrap();
    assert!(
        (model.per_gib - gib / vcpu).abs() < 0.001,
        "{} vs {}",
        model.per_gib,
        gib / vcpu
    );
}

/// What each CSI driver needs, defaults to and does is its docs' and
/// code's (`storage-drivers.tsv`); and the drivers' own example classes
/// set every parameter kubeplan requires of them, so a required parameter
/// is one upstream sets too.
#[test]
fn storage_drivers_are_the_sources() {
    let c = Catalog::builtin();
    for r in table("storage-drivers.tsv") {
        let d = c
            .driver(&r["provisioner"])
            .unwrap_or_else(|| panic!("{r:?}"));
        let p = r["parameter"].as_str();
        if p == "(expansion)" {
            assert_eq!(d.expansion, r["required"] == "yes", "{r:?}");
            continue;
        }
        let alts: Vec<String> = match r["required"].strip_prefix("one of ") {
            Some(list) => list.split(',').map(str::to_string).collect(),
            None => vec![p.to_string()],
        };
        let required = d.required.contains(&alts);
        assert_eq!(required, r["required"] != "no", "{r:?}");
        if r["default"] != "-" {
            let default = d
                .medium
                .as_ref()
                .filter(|m| m.parameter == p)
                .map(|m| m.default.clone());
            let zr = d.zone_redundant.as_ref().filter(|z| z.parameter == p);
            assert!(
                default.as_deref() == Some(r["default"].as_str())
                    || zr.is_some_and(|z| !z.values.contains(&r["default"]))
                    || d.medium.is_none(),
                "{r:?}"
            );
        }
    }
    let sources = std::fs::read_to_string(upstream().join("storage/SOURCES.tsv")).unwrap();
    let mut checked = 0;
    for line in sources.lines().filter(|l| !l.starts_with('#')) {
        let file = line.split('\t').next().unwrap();
        let text = std::fs::read_to_string(upstream().join("storage").join(file)).unwrap();
        let docs: Vec<Value> = serde_saphyr::from_multiple(&text).unwrap();
        for d in docs.iter().filter(|d| d["kind"] == "StorageClass") {
            let provisioner = d["provisioner"].as_str().unwrap();
            let params: BTreeMap<String, String> = d["parameters"]
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().map_or(v.to_string(), str::to_string)))
                        .collect()
                })
                .unwrap_or_default();
            let driver = c
                .driver(provisioner)
                .unwrap_or_else(|| panic!("{file}: {provisioner}"));
            assert!(
                driver.missing(&params).is_empty(),
                "{file}: upstream's class lacks {:?}",
                driver.missing(&params)
            );
            checked += 1;
        }
    }
    assert!(checked >= 9, "{checked}");
    // The PD driver's own zonal example takes pd-standard: an HDD.
    let pd = c.driver("pd.csi.storage.gke.io").unwrap();
    assert_eq!(pd.delivers(&BTreeMap::new()).unwrap().0, Medium::Hdd);
    let regional = BTreeMap::from([("replication-type".to_string(), "regional-pd".to_string())]);
    assert_eq!(pd.scope_of(&regional), VolumeScope::Region);
    assert_eq!(pd.scope_of(&BTreeMap::new()), VolumeScope::Zone);
}

/// Every class of every designed plan carries the parameters its driver
/// needs and gets the medium it says, and the exported manifest writes
/// them with volume expansion only where the driver grows volumes.
#[test]
fn designed_classes_deliver_what_they_say() {
    use kubeplan::export::{addresses::Hosts, files, Target};
    let c = Catalog::builtin();
    let mut classes = 0;
    for (a, d) in crate::design::designs().iter().step_by(29) {
        for p in d.plans.iter().take(1) {
            let Some(st) = p.spec.storage.as_ref() else {
                continue;
            };
            let hosts = Hosts::for_plan(p, None).unwrap();
            let text = &files(Target::Storage, p, c, &hosts)[0].text;
            let docs: Vec<Value> = serde_saphyr::from_multiple(text).unwrap();
            for (class, doc) in st.classes.iter().zip(&docs) {
                let d = c.driver(class.provisioner.as_deref().unwrap()).unwrap();
                assert!(
                    d.missing(&class.parameters).is_empty(),
                    "{a:?}: {}",
                    class.name
                );
                if let (Some((got, _)), false) = (
                    d.delivers(&class.parameters),
                    class.medium == Medium::Network,
                ) {
                    assert_eq!(got, class.medium, "{a:?}: {}", class.name);
                }
                for (k, v) in &class.parameters {
                    assert_eq!(
                        doc["parameters"][k].as_str(),
                        Some(v.as_str()),
                        "{a:?}: {text}"
                    );
                }
                assert_eq!(
                    doc["allowVolumeExpansion"].as_bool(),
                    Some(d.expansion),
                    "{a:?}: {text}"
                );
                classes += 1;
            }
        }
    }
    assert!(classes > 500, "{classes}");
}

/// Rook's own clusters: the regular one's 3 monitors and its example pool's
/// 3 copies; stretch mode's 5 monitors (an arbiter zone of 3) and 4 copies,
/// 2 in each data zone; and Ceph's writable minimum, min_size = size −
/// size / 2 (Ceph "Pools": osd_pool_default_min_size), are the servers'.
#[test]
fn ceph_layouts_are_rooks() {
    let c = Catalog::builtin();
    let read = |f: &str| -> Vec<Value> {
        let text = std::fs::read_to_string(upstream().join("storage").join(f)).unwrap();
        serde_saphyr::from_multiple(&text).unwrap()
    };
    let kind = |docs: &[Value], k: &str| docs.iter().find(|d| d["kind"] == k).cloned().unwrap();
    let r = c
        .platform(Platform::OnPrem)
        .storage
        .replicated
        .as_ref()
        .unwrap();
    let cluster = kind(&read("rook-cluster.yaml"), "CephCluster");
    let pool = kind(&read("rook-rbd-storageclass.yaml"), "CephBlockPool");
    assert_eq!(
        r.servers.monitors,
        cluster["spec"]["mon"]["count"].as_u64().map(|n| n as u32)
    );
    let size = pool["spec"]["replicated"]["size"].as_u64().unwrap() as u32;
    assert_eq!(r.servers.copies, Some(size));
    let stretched = read("rook-cluster-stretched.yaml");
    let sc = kind(&stretched, "CephCluster");
    let s = r.stretch.as_ref().unwrap();
    let mons = sc["spec"]["mon"]["count"].as_u64().unwrap() as u32;
    assert_eq!(
        s.servers.monitors.unwrap() + s.arbiter.monitors.unwrap(),
        mons
    );
    let zones = sc["spec"]["mon"]["stretchCluster"]["zones"]
        .as_array()
        .unwrap();
    let arbiters = zones.iter().filter(|z| z["arbiter"] == true).count();
    assert_eq!((zones.len(), arbiters), (3, 1));
    assert_eq!(s.arbiter.copies, Some(0), "the arbiter runs a monitor only");
    let sp = kind(&stretched, "CephBlockPool");
    let ssize = sp["spec"]["replicated"]["size"].as_u64().unwrap() as u32;
    let per_zone = sp["spec"]["replicated"]["replicasPerFailureDomain"]
        .as_u64()
        .unwrap() as u32;
    assert_eq!(s.servers.copies, Some(ssize));
    assert_eq!(ssize / per_zone, zones.len() as u32 - 1, "2 data zones");
    // Rook's stretch design: at least 2 OSD hosts in each data zone.
    assert!(s.servers.nodes >= 2 * (zones.len() as u32 - 1));
    for g in [&r.servers, &s.servers] {
        let copies = g.copies.unwrap();
        assert_eq!(g.min_copies, Some(copies - copies / 2));
    }
}
