//! eksctl (`eksctl.io/v1alpha5`): `eksctl-cluster.yaml`, a ClusterConfig
//! for `eksctl create cluster -f`. One managed node group per worker pool,
//! the network the plan sized, and the CSI add-ons its storage classes
//! need with their IAM (IRSA: eksctl's OIDC provider and the add-on's
//! well-known policy).

use std::fmt::Write;

use super::{header, instance_type, named_zones, yaml_str};
use crate::catalog::Catalog;
use crate::plan::{ClusterPlan, WorkerPool};

pub const API_VERSION: &str = "eksctl.io/v1alpha5";

/// A CSI driver EKS installs as an add-on: its provisioner, the add-on
/// name, and the eksctl well-known policy that grants its IAM permissions.
const CSI_ADDONS: &[(&str, &str, &str)] = &[
    ("ebs.csi.aws.com", "aws-ebs-csi-driver", "ebsCSIController"),
    ("efs.csi.aws.com", "aws-efs-csi-driver", "efsCSIController"),
];

/// The AWS region of a zone name (`us-east-1a` → `us-east-1`).
pub fn region(zone: &str) -> &str {
    zone.trim_end_matches(|c: char| c.is_ascii_lowercase())
}

/// `key=value:Effect` (or `key:Effect`) as its three parts.
pub fn split_taint(t: &str) -> (&str, Option<&str>, &str) {
    let (kv, effect) = t.rsplit_once(':').unwrap_or((t, "NoSchedule"));
    match kv.split_once('=') {
        Some((k, v)) => (k, Some(v), effect),
        None => (kv, None, effect),
    }
}

/// Whether the plan's subnets are exactly the private ones eksctl carves
/// from its VPC range for `zones` (then eksctl makes them itself).
fn eksctl_would_make(plan: &ClusterPlan, zones: &[String]) -> bool {
    let Some(n) = plan.spec.network.as_ref() else {
        return true;
    };
    if n.subnets.is_empty() {
        return true;
    }
    let Some(vpc) = n
        .vpc_cidr
        .as_ref()
        .and_then(|v| v.parse::<ipnet::Ipv4Net>().ok())
    else {
        return false;
    };
    n.subnets.len() == zones.len()
        && zones.iter().enumerate().all(|(i, z)| {
            let want = crate::sizing::eksctl_private_subnet(vpc.trunc(), zones.len(), i);
            n.subnets
                .iter()
                .any(|s| &s.zone == z && want.is_some_and(|w| s.cidr.parse() == Ok(w)))
        })
}

fn network(out: &mut String, plan: &ClusterPlan, zones: &[String]) {
    let net = plan.spec.network.as_ref();
    let vpc = net.and_then(|n| n.vpc_cidr.as_deref());
    let zone_list = zones
        .iter()
        .map(|z| yaml_str(z))
        .collect::<Vec<_>>()
        .join(", ");
    if eksctl_would_make(plan, zones) {
        let _ = writeln!(
            out,
            "# A new VPC: eksctl splits it evenly into a public and a private subnet per zone."
        );
        let _ = writeln!(out, "availabilityZones: [{zone_list}]");
        if let Some(v) = vpc {
            let _ = writeln!(out, "vpc:\n  cidr: {v}");
        }
    } else {
        let _ = writeln!(
            out,
            "# Existing subnets (eksctl finds them by CIDR in the VPC): then no availabilityZones,\n# which eksctl refuses beside vpc.subnets."
        );
        out.push_str("vpc:\n  id: PLACEHOLDER-vpc-id  # the VPC that holds the subnets\n");
        if let Some(v) = vpc {
            let _ = writeln!(out, "  cidr: {v}");
        }
        out.push_str("  subnets:\n    private:\n");
        for s in net.map_or(&[][..], |n| &n.subnets[..]) {
            let _ = writeln!(out, "      {}: {{cidr: {}}}", yaml_str(&s.zone), s.cidr);
        }
    }
    if let Some(n) = net {
        let _ = writeln!(
            out,
            "kubernetesNetworkConfig:\n  serviceIPv4CIDR: {}",
            n.service_cidr
        );
    }
}

fn node_group(out: &mut String, c: &Catalog, plan: &ClusterPlan, p: &WorkerPool, zones: &[String]) {
    let inst = instance_type(c, plan, &p.machine, p.instance_type.as_deref());
    let _ = writeln!(
        out,
        "  - name: {}\n    instanceType: {inst}",
        yaml_str(&p.name)
    );
    let _ = writeln!(
        out,
        "    desiredCapacity: {n}\n    minSize: {n}\n    maxSize: {n}",
        n = p.nodes
    );
    let _ = writeln!(out, "    maxPodsPerNode: {}", c.max_pods(p));
    if let Some(d) = p.machine.disk_gib {
        let _ = writeln!(
            out,
            "    volumeSize: {}\n    volumeType: gp3",
            d.ceil() as u64
        );
    }
    let own = plan.pool_zones(p);
    if own != zones {
        let list = own
            .iter()
            .map(|z| yaml_str(z))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(out, "    availabilityZones: [{list}]");
    }
    let private = plan
        .spec
        .network
        .as_ref()
        .is_some_and(|n| !n.subnets.is_empty());
    if private {
        out.push_str("    privateNetworking: true\n");
    }
    if !p.taints.is_empty() {
        out.push_str("    taints:\n");
        for t in &p.taints {
            let (k, v, effect) = split_taint(t);
            let _ = writeln!(out, "      - key: {}", yaml_str(k));
            if let Some(v) = v {
                let _ = writeln!(out, "        value: {}", yaml_str(v));
            }
            let _ = writeln!(out, "        effect: {}", yaml_str(effect));
        }
    }
}

/// The add-ons the plan's storage classes need.
pub fn addons(plan: &ClusterPlan) -> Vec<(&'static str, &'static str)> {
    let classes = plan
        .spec
        .storage
        .as_ref()
        .map_or(&[][..], |s| &s.classes[..]);
    CSI_ADDONS
        .iter()
        .filter(|(prov, _, _)| {
            classes
                .iter()
                .any(|cl| cl.provisioner.as_deref() == Some(prov))
        })
        .map(|(_, name, policy)| (*name, *policy))
        .collect()
}

/// `eksctl-cluster.yaml`: `eksctl create cluster -f eksctl-cluster.yaml`.
pub fn config(plan: &ClusterPlan, c: &Catalog) -> String {
    let mut out = header(
        plan,
        None,
        "#",
        "eksctl-cluster.yaml (eksctl create cluster -f eksctl-cluster.yaml)",
    );
    let zones = named_zones(c, plan);
    let region = match &plan.spec.region {
        Some(r) => r.clone(),
        None => zones.first().map_or("", |z| region(z)).to_string(),
    };
    let _ = writeln!(
        out,
        "apiVersion: {API_VERSION}\nkind: ClusterConfig\nmetadata:\n  name: {}\n  region: {}",
        yaml_str(&plan.metadata.name),
        yaml_str(&region)
    );
    network(&mut out, plan, &zones);
    let addons = addons(plan);
    if !addons.is_empty() {
        out.push_str("iam:\n  withOIDC: true  # IRSA: the add-ons' service accounts assume their IAM roles\n");
    }
    out.push_str("managedNodeGroups:\n");
    for p in &plan.spec.workers {
        node_group(&mut out, c, plan, p, &zones);
    }
    if !addons.is_empty() {
        out.push_str("addons:\n");
        for (name, policy) in addons {
            let _ = writeln!(
                out,
                "  - name: {name}\n    wellKnownPolicies:\n      {policy}: true"
            );
        }
    }
    out
}
