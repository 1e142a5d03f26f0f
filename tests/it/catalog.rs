//! The instance catalogs (profiles/catalog/) held to their upstream sources:
//! every type's vCPUs, memory, GPUs and architecture against Cluster
//! Autoscaler's generated tables, ENIs against the EKS AMI's table, prices
//! against Karpenter's generated prices (us-east-1), the 2020 regional table
//! (types AWS has not re-priced since), and Karpenter's Azure and GCP
//! tables. The fact tables of `../shared/reference/catalog/` are read in
//! place (CI has them beside the checkout; without them these checks skip,
//! loudly).

use std::collections::BTreeMap;
use std::path::PathBuf;

use kubeplan::catalog::instances::catalog;
use kubeplan::catalog::{Catalog, InstanceType};
use kubeplan::plan::Platform;

use crate::common::reference;
use crate::constraints::table;

/// A TSV file's rows by column name (comment lines skipped).
fn rows(path: &PathBuf) -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let head: Vec<&str> = lines.next().unwrap().split('\t').collect();
    lines
        .map(|l| {
            head.iter()
                .zip(l.split('\t'))
                .map(|(h, c)| (h.to_string(), c.to_string()))
                .collect()
        })
        .collect()
}

fn types(p: Platform, region: &str) -> BTreeMap<String, InstanceType> {
    catalog(p.as_str())
        .unwrap()
        .in_region(region)
        .iter()
        .map(|t| (t.name.to_string(), t.clone()))
        .collect()
}

/// Each shape of Cluster Autoscaler's AWS and Azure tables is the
/// catalog's: vCPUs, memory (MiB), GPUs, architecture.
#[test]
fn shapes_are_the_autoscaler_tables() {
    for (p, file) in [
        (Platform::Aws, "catalog/aws-instance-types.tsv"),
        (Platform::Azure, "catalog/azure-instance-types.tsv"),
    ] {
        let Some(path) = reference(file) else { return };
        let ours = types(p, "");
        let mut checked = 0;
        for r in rows(&path) {
            let name = &r["instanceType"];
            let upstream_memory: f64 = r["MemoryMb"].parse().unwrap();
            // Family rows (`c5`), macOS hosts and sizes given no memory
            // (Standard_B1ls) are not nodes a plan can have.
            if (p == Platform::Aws && (!name.contains('.') || name.starts_with("mac")))
                || upstream_memory == 0.0
            {
                assert!(!ours.contains_key(name), "{name} should be left out");
                continue;
            }
            let t = ours.get(name).unwrap_or_else(|| panic!("{name} missing"));
            assert_eq!(t.cpu, r["VCPU"].parse::<f64>().unwrap(), "{name}");
            assert_eq!(t.memory_gib * 1024.0, upstream_memory, "{name}");
            assert_eq!(t.gpus.to_string(), r["GPU"], "{name}");
            assert_eq!(t.arch.to_string(), r["Architecture"], "{name}");
            checked += 1;
        }
        assert!(checked > 1_000, "{p}: {checked}");
        assert_eq!(checked, ours.len(), "{p}: types from elsewhere");
    }
}

/// ENIs and addresses are the EKS AMI's (the max-pods formula reads them).
#[test]
fn enis_are_the_eks_table() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/upstream/eks-instance-info.jsonl"
    ))
    .unwrap();
    let ours = types(Platform::Aws, "us-east-1");
    let mut checked = 0;
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let Some(t) = ours.get(v["instanceType"].as_str().unwrap()) else {
            continue; // in EKS's table, not in the autoscaler's shapes
        };
        assert_eq!(t.enis, v["defaultMaxENIs"].as_u64().map(|n| n as u32));
        assert_eq!(
            t.ips_per_eni,
            v["ipv4AddressesPerInterface"].as_u64().map(|n| n as u32)
        );
        checked += 1;
    }
    assert!(checked > 900, "{checked}");
}

/// us-east-1 prices are Karpenter's generated table, to the cent fraction.
#[test]
fn aws_prices_are_karpenters_and_the_2020_table() {
    let Some(now) = reference("catalog/aws-on-demand-us-east-1.tsv") else {
        return;
    };
    let Some(old) = reference("catalog/aws-ec2-costs-monthly-2020.csv") else {
        return;
    };
    let ours = types(Platform::Aws, "us-east-1");
    let mut today = BTreeMap::new();
    for r in rows(&now) {
        let price: f64 = r["usdPerHour"].parse().unwrap();
        today.insert(r["instanceType"].clone(), price);
        if let Some(t) = ours.get(&r["instanceType"]) {
            assert_eq!(t.price_per_hour, Some(price), "{}", t.name);
        }
    }
    assert!(ours.values().filter(|t| t.price_per_hour.is_some()).count() > 1_000);
    // Other regions: the 2020 figure (monthly / 730.5), for the types whose
    // us-east-1 price is the same today.
    let text = std::fs::read_to_string(old).unwrap();
    let monthly = |region: &str, name: &str| {
        text.lines()
            .map(|l| l.split(',').collect::<Vec<_>>())
            .find(|f| f[0] == region && f[1] == name)
            .map(|f| f[2].parse::<f64>().unwrap() / 730.5)
    };
    let eu = types(Platform::Aws, "eu-west-1");
    let mut checked = 0;
    for t in eu.values() {
        let then = monthly("us-east-1", &t.name);
        let same = matches!((then, today.get(t.name.as_ref())), (Some(a), Some(b)) if (a - b).abs() < 1e-4);
        match (same, t.price_per_hour) {
            (true, Some(p)) => {
                let want = monthly("eu-west-1", &t.name).unwrap();
                assert!((p - want).abs() < 1e-6, "{}: {p} against {want}", t.name);
                checked += 1;
            }
            (false, Some(p)) => panic!("{} priced {p} in eu-west-1 though re-priced", t.name),
            _ => {}
        }
    }
    assert!(checked > 200, "{checked}");
    // m5.large in eu-west-1, from the table by hand: $0.107 an hour.
    assert_eq!(eu["m5.large"].price_per_hour, Some(0.107));
}

/// Azure's and GCP's prices are Karpenter's tables of each region (to the
/// micro-dollar an hour).
#[test]
fn azure_and_gcp_prices_are_their_karpenter_tables() {
    for (p, region, file) in [
        (Platform::Azure, "westeurope", "azure-prices-westeurope.tsv"),
        (Platform::Gcp, "europe-west1", "gcp-prices-europe-west1.tsv"),
    ] {
        let ours = types(p, region);
        let mut checked = 0;
        for r in table(file) {
            if let Some(t) = ours.get(&r["instanceType"]) {
                let want: f64 = r["usdPerHour"].parse().unwrap();
                // Kept to the micro-dollar an hour (build.rs's unit).
                assert!(
                    (t.price_per_hour.unwrap() - want).abs() < 1e-6,
                    "{}",
                    t.name
                );
                checked += 1;
            }
        }
        let priced = ours.values().filter(|t| t.price_per_hour.is_some()).count();
        assert_eq!(checked, priced, "{p}: prices from elsewhere");
        assert!(checked > 300, "{p}: {checked}");
    }
}

/// GCE types: every predefined name of the price table of the series the
/// catalog sizes is in it, its vCPUs the name's last number, its memory the
/// series' GiB per vCPU as Google's machine-family pages give them
/// (checked here on types those pages list: e2-standard-4 16 GiB,
/// n1-standard-4 15, n2-highmem-8 64, c4-standard-8 30, c4d-highcpu-16 30).
#[test]
fn gce_types_follow_their_names() {
    let ours = types(Platform::Gcp, "us-central1");
    for (name, gib) in [
        ("e2-standard-4", 16.0),
        ("n1-standard-4", 15.0),
        ("n2-highmem-8", 64.0),
        ("c4-standard-8", 30.0),
        ("c4d-highcpu-16", 30.0),
        ("e2-medium", 4.0),
    ] {
        assert_eq!(ours[name].memory_gib, gib, "{name}");
    }
    let Some(names) = reference("catalog/gcp-machine-type-names.txt") else {
        return;
    };
    let series = [
        "e2", "n1", "n2", "n2d", "n4", "c2", "c2d", "c3", "c3d", "t2d",
    ];
    let mut checked = 0;
    for name in std::fs::read_to_string(names).unwrap().lines() {
        let parts: Vec<&str> = name.split('-').collect();
        if parts.len() != 3 || !series.contains(&parts[0]) {
            continue;
        }
        let t = ours.get(name).unwrap_or_else(|| panic!("{name} missing"));
        if let Ok(v) = parts[2].parse::<f64>() {
            assert_eq!(t.cpu, v, "{name}");
        }
        checked += 1;
    }
    assert!(checked > 150, "{checked}");
}

/// The ranking takes the classes people size nodes from: several hundred
/// current general, compute and memory types on each cloud.
#[test]
fn size_ranks_hundreds_of_types() {
    for (p, least) in [
        (Platform::Aws, 300),
        (Platform::Azure, 300),
        // GCE's Hyperdisk-only series (c4*, n4*) are not ranked: kubeplan's
        // GKE plans use Persistent Disk.
        (Platform::Gcp, 150),
    ] {
        let out = crate::common::kubeplan()
            .args(["size", "--platform", p.as_str(), "--format", "json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let choices = v["choices"].as_array().unwrap();
        assert!(choices.len() >= least, "{p}: {}", choices.len());
        let c = Catalog::builtin();
        for x in choices {
            let t = c.instance(p, x["instanceType"].as_str().unwrap()).unwrap();
            assert!(["general", "compute", "memory"].contains(&t.family.as_ref()));
            assert!(!t.previous_generation, "{}", t.name);
            assert!(c.platform(p).unusable(t).is_none(), "{}", t.name);
        }
    }
}

/// `bom` reads every vendored upstream example whose machines are sized by
/// an instance type: none is refused for a type the catalog lacks, and
/// each is priced in its own region (an eksctl file's `metadata.region`).
#[test]
fn bom_prices_every_upstream_example_in_its_region() {
    let mut files = Vec::new();
    crate::import::walk(&crate::import::upstream().join("examples"), &mut files);
    let (mut priced, mut elsewhere) = (0, 0);
    for f in files
        .iter()
        .filter(|f| f.ends_with(".yaml") || f.ends_with(".yml"))
    {
        let path = crate::import::upstream().join(f);
        let out = crate::common::kubeplan()
            .args(["bom", "--format", "json"])
            .arg(&path)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        // A type the catalog lacks must be one its source lacks too (a
        // retired type such as p2.xlarge).
        if let Some(missing) = err.split("catalog has no ").nth(1) {
            let name = missing.split([' ', ')', ',']).next().unwrap();
            if let Some(shapes) = reference("catalog/aws-instance-types.tsv") {
                let known = rows(&shapes).iter().any(|r| r["instanceType"] == name);
                assert!(!known, "{f}: {name} is in the source: {err}");
            }
            continue;
        }
        if !out.status.success() {
            continue; // a file that does not size its machines (kubeadm, Kubespray)
        }
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let bom = if v.is_array() { v[0].clone() } else { v };
        let text = std::fs::read_to_string(&path).unwrap();
        let region = text
            .lines()
            .find_map(|l| l.strip_prefix("  region: "))
            .map(|r| r.trim().to_string());
        if let (Some(r), true) = (region, f.starts_with("examples/eksctl/")) {
            assert_eq!(bom["prices"]["region"], r.as_str(), "{f}");
            if r != "us-east-1" {
                elsewhere += 1;
            }
        }
        priced += 1;
    }
    assert!(priced >= 40, "{priced} examples priced");
    assert!(
        elsewhere >= 10,
        "{elsewhere} eksctl examples outside us-east-1"
    );
}

/// kOps' own `ha.yaml` (m3.medium control planes, t2.medium nodes) is
/// priced: its types are in the catalog; its zones (`us-test-1a`, kOps'
/// test region) are in no AWS region, and the bill says so.
#[test]
fn bom_reads_kops_ha_example() {
    let Some(path) = reference("import-corpus/kops/upstream/ha.yaml") else {
        return;
    };
    let out = crate::common::kubeplan()
        .arg("bom")
        .arg(&path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(text.contains("t2.medium"), "{text}");
    assert!(
        text.contains("us-test-1a is in no AWS region kubeplan knows"),
        "{text}"
    );
}

/// A plan's `region` the platform does not have is an error at
/// `spec.region`, with the nearest regions; zones of another region than
/// the plan's are too.
#[test]
fn lint_checks_the_plan_region() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("p.yaml");
    let out = crate::common::kubeplan()
        .args(["design", "--profile", "prod-aws", "--yes", "-o"])
        .arg(&plan)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let doc = std::fs::read_to_string(&plan).unwrap();
    assert!(doc.contains("region: us-east-1"), "{doc}");
    for (region, want) in [
        ("us-east-1", None),
        ("us-east-l", Some("did you mean us-east-1")),
        ("eu-west-1", Some("but the plan's region is eu-west-1")),
    ] {
        let edited = doc.replace("region: us-east-1", &format!("region: {region}"));
        std::fs::write(&plan, edited).unwrap();
        let out = crate::common::kubeplan()
            .arg("lint")
            .arg(&plan)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        match want {
            None => assert!(!text.contains("zone-not-in-region"), "{text}"),
            Some(w) => assert!(
                text.contains("zone-not-in-region") && text.contains(w),
                "{region}: {text}"
            ),
        }
    }
}

/// A Cluster API cluster's region is its infrastructure cluster's
/// (`AWSCluster.spec.region`; `location` on Azure), carried into the plan.
#[test]
fn capi_region_is_the_infrastructure_clusters() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/import/capi-aws-region.yaml"
    );
    let out = crate::common::kubeplan()
        .args(["import", path])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(text.contains("  region: eu-west-1\n"), "{text}");
}
