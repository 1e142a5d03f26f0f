//! eksctl `eksctl.io/v1alpha5` ClusterConfig → an EKS plan: the managed
//! control plane, the availability zones (`availabilityZones`, or the
//! zones of `vpc.subnets`), one worker pool per node group (managed or
//! not) with its instance type, node count, max pods, zones, volume and
//! taints, and the VPC's ranges. What eksctl does with a value the file
//! leaves out is eksctl's own default (`profiles/kubernetes.yaml`,
//! `installerDefaults.eksctl`).

use std::sync::Arc;

use serde_saphyr::Spanned;

use super::tree::At;
use super::{About, Imported, NewPool, Read, Slot, Spec};
use crate::catalog::{Catalog, EksctlDefaults, InstanceType};
use crate::plan::load::{LoadError, Source};
use crate::plan::node::{Node, Pos};
use crate::plan::{
    Arch, Fact, Machine, Medium, Network, Os, Platform, RuleRef, Subnet, Tooling, WorkerPool,
};

pub(super) const SPEC: Spec = Spec {
    what: "eksctl ClusterConfig",
    plural: "eksctl ClusterConfigs",
    groups: &["eksctl.io"],
    versions: &["v1alpha5"],
    advice: "eksctl itself reads only eksctl.io/v1alpha5",
    provider_groups: false,
    syntax: "",
    detect: None,
    about: ABOUT,
    import,
};

/// What `docs/import.md` says of eksctl files.
const ABOUT: About = About {
    title: "eksctl",
    detected: "`apiVersion: eksctl.io/v1alpha5` and `kind: ClusterConfig` (other versions are refused: eksctl reads only v1alpha5)",
    reads: &[
        "the platform (AWS) and the tool (EKS): the control plane is AWS's, so there are no control-plane nodes, etcd or API load balancer to size",
        "`metadata.name` and `metadata.region`; the zones from `availabilityZones`, else the zones of `vpc.subnets`, and `localZones`",
        "one worker pool per entry of `managedNodeGroups` and `nodeGroups`, in file order: its `instanceType` (or the first of `instancesDistribution.instanceTypes`) sized from kubeplan's AWS catalog, its node count (`desiredCapacity`, else `minSize`, else eksctl's default of 2), its `availabilityZones`, `volumeSize`/`volumeType`, `taints`, Windows `amiFamily`, and its `maxPodsPerNode` (else the VPC CNI's figure for the instance type: ENIs × (IPv4 addresses per ENI − 1) + 2; with the `vpc-cni` add-on's `ENABLE_PREFIX_DELEGATION`, ENIs × ((IPv4 addresses per ENI − 1) × 16) + 2, at most 110 up to 30 vCPUs and 250 above)",
        "the network: `vpc.cidr` (eksctl's default 192.168.0.0/16), `kubernetesNetworkConfig.serviceIPv4CIDR` (else EKS's default, 10.100.0.0/16, or 172.20.0.0/16 when the VPC is in 10.0.0.0/8), and the subnets; an IPv6 `ipFamily` leaves the ranges unchecked",
        "eksctl's own check, cited: fewer than 2 availability zones (`eksctl-too-few-zones`)",
        "noted, not modelled: `instanceSelector` (the type is chosen at creation: the machines are unknown), Karpenter, Fargate profiles, Auto Mode, Outposts",
    ],
    example: "eksctl.yaml",
    example_flags: &["--purpose", "production", "--pods", "300"],
};

fn import(_: &Arc<Source>, docs: &[Spanned<Node>], c: &Catalog) -> Result<Read, LoadError> {
    let plans: Vec<Imported> = docs
        .iter()
        .map(At::root)
        .filter(|r| r.kind() == Some("ClusterConfig"))
        .map(|r| cluster(&r, c))
        .collect();
    if plans.is_empty() {
        return Ok(Read::Nothing {
            pos: docs.first().map_or(Pos::START, Pos::of),
            message: "an eksctl file with no ClusterConfig: it describes no cluster".into(),
        });
    }
    Ok(Read::Plans(plans))
}

fn cluster(root: &At, c: &Catalog) -> Imported {
    let mut imp = Imported::of_document(&SPEC, root, "cluster");
    let p = &mut imp.plan.spec;
    p.platform = Platform::Aws;
    p.tooling = Some(Tooling::Eks);
    p.control_plane.managed = true;
    // Nothing but pods runs on the provider's side: storage classes are
    // the cluster's own business (eksctl installs CSI drivers, no classes).
    imp.unknown(
        Fact::Storage,
        "an eksctl ClusterConfig installs CSI drivers as add-ons, not storage classes",
    );
    if let Some(r) = root.at("metadata.region") {
        imp.plan.spec.region = r.text();
        imp.from("spec.region", r.spot());
    }
    zones(root, &mut imp);
    if let Some(o) = root.get("outpost") {
        imp.note(
            "the control plane runs on AWS Outposts (an EKS local cluster), in the Outpost's zone",
        );
        imp.unknown(
            Fact::Zones,
            "an EKS local cluster on AWS Outposts runs in the Outpost's zone, which the file does not name",
        );
        imp.from("spec.controlPlane", o.spot());
    }
    node_groups(root, c, &mut imp);
    beside_node_groups(root, &mut imp);
    network(root, &c.kubernetes.installer_defaults.eksctl, &mut imp);
    too_few_zones(root, c, &mut imp);
    imp
}

/// Both kinds of node group, in the order the file lists them.
fn node_groups(root: &At, c: &Catalog, imp: &mut Imported) {
    let mut lists: Vec<(&str, At)> = ["managedNodeGroups", "nodeGroups"]
        .iter()
        .filter_map(|k| root.get(k).map(|l| (*k, l)))
        .collect();
    lists.sort_by_key(|(_, l)| l.pos);
    let prefixes = prefix_delegation(root);
    if prefixes {
        let l = c.limits(Platform::Aws, true);
        let cap = match &l.large_node {
            Some(big) => format!(
                "at most {} pods up to {} vCPUs and {} above",
                l.max_pods_per_node,
                crate::prose::decimal(big.above_cpu),
                big.max_pods_per_node
            ),
            None => format!("at most {} pods", l.max_pods_per_node),
        };
        imp.note(format!("the VPC CNI add-on assigns /28 prefixes (ENABLE_PREFIX_DELEGATION): a node group without maxPodsPerNode runs the prefix figure, {cap}"));
    }
    for (key, list) in lists {
        for ng in list.items() {
            let how = Group {
                managed: key == "managedNodeGroups",
                prefixes,
            };
            node_group(&ng, how, c, imp);
        }
    }
}

/// Nodes that are not node groups': Auto Mode, Karpenter, Fargate.
fn beside_node_groups(root: &At, imp: &mut Imported) {
    if root
        .at("autoModeConfig.enabled")
        .and_then(|e| e.bool())
        .unwrap_or(false)
    {
        imp.unknown(
            Fact::Workers,
            "EKS Auto Mode starts and stops nodes as pods need them",
        );
        imp.note(
            "EKS Auto Mode: AWS provisions the nodes; the pools below are the node groups only",
        );
    }
    if root.get("karpenter").is_some() {
        imp.note("Karpenter adds nodes beside the node groups as pods need them");
    }
    if root.get("fargateProfiles").is_some() {
        imp.note("pods matching the Fargate profiles run on Fargate, outside the node groups");
    }
    if imp.plan.spec.workers.is_empty() && !imp.unknown.contains(&Fact::Workers) {
        imp.note("no node groups: the cluster has no nodes until some are added");
    }
}

/// eksctl's own check: `availabilityZones` with fewer than two zones
/// (pkg/apis/eksctl.io/v1alpha5/validation.go, validateAvailabilityZones;
/// Outposts' local clusters excepted).
fn too_few_zones(root: &At, c: &Catalog, imp: &mut Imported) {
    let Some(azs) = root.get("availabilityZones") else {
        return;
    };
    let n = azs.items().len();
    let min = c.tool(Tooling::Eks).and_then(|t| t.min_zones).unwrap_or(1) as usize;
    if n > 0 && n < min && root.get("outpost").is_none() {
        imp.refused(
            RuleRef::EksctlTooFewZones,
            &azs.spot(),
            format!(
                "eksctl refuses {}: \"only {n} zone(s) specified [{}], {min} are required\"",
                crate::prose::plural(n as u64, "availability zone", "availability zones"),
                azs.strings().join(" ")
            ),
            format!("list at least {min} availability zones (3 survive a zone's loss best), or leave `availabilityZones` out and eksctl picks them"),
        );
    }
}

/// The cluster's zones: `availabilityZones`, else the zones of
/// `vpc.subnets` (keys that are zones, or their `az`), else unknown
/// (eksctl picks them when it creates the cluster).
fn zones(root: &At, imp: &mut Imported) {
    if let Some(azs) = root.get("availabilityZones") {
        let list = azs.strings();
        if !list.is_empty() {
            imp.plan.spec.zones = list;
            imp.from("spec.zones", azs.spot());
            return;
        }
    }
    if let Some(subnets) = root.at("vpc.subnets") {
        let mut found: Vec<String> = Vec::new();
        let mut unresolved = false;
        for kind in ["private", "public"] {
            for (key, s) in subnets.get(kind).map(|k| k.entries()).unwrap_or_default() {
                let az = subnet_zone(&key, &s);
                match az {
                    Some(z) if !found.contains(&z) => found.push(z),
                    Some(_) => {}
                    None => unresolved = true,
                }
            }
        }
        if !found.is_empty() && !unresolved {
            imp.plan.spec.zones = found;
            imp.from("spec.zones", subnets.spot());
            return;
        }
        if unresolved {
            imp.unknown(
                Fact::Zones,
                "some of vpc.subnets are named by ID, whose zones eksctl looks up in AWS",
            );
            return;
        }
    }
    imp.unknown(
        Fact::Zones,
        "availabilityZones is not set, so eksctl picks the zones when it creates the cluster",
    );
}

/// Whether the `vpc-cni` add-on's configuration turns prefix delegation on
/// (`configurationValues`, JSON or YAML: `env.ENABLE_PREFIX_DELEGATION`).
fn prefix_delegation(root: &At) -> bool {
    root.get("addons")
        .map(|a| a.items())
        .unwrap_or_default()
        .iter()
        .filter(|a| a.get("name").and_then(|n| n.str()) == Some("vpc-cni"))
        .filter_map(|a| a.get("configurationValues").and_then(|v| v.text()))
        .any(|text| {
            serde_saphyr::from_str::<serde_json::Value>(&text).is_ok_and(|v| {
                let on = &v["env"]["ENABLE_PREFIX_DELEGATION"];
                on == "true" || on == true
            })
        })
}

/// How a node group is run: by EKS (managed) or by eksctl's own stack, and
/// whether the VPC CNI hands out prefixes.
#[derive(Clone, Copy)]
struct Group {
    managed: bool,
    prefixes: bool,
}

fn node_group(ng: &At, how: Group, c: &Catalog, imp: &mut Imported) {
    let defaults = &c.kubernetes.installer_defaults.eksctl;
    let raw_name = ng
        .get("name")
        .and_then(|n| n.str().map(str::to_string))
        .unwrap_or_else(|| format!("nodegroup-{}", imp.plan.spec.workers.len() + 1));
    let pool = imp.new_pool(&raw_name, ng.spot());
    let nodes = node_count(ng, defaults, &pool, imp);
    let type_at = instance_type(ng);
    // An instanceSelector picks the types when eksctl creates the group.
    let selector = ng.get("instanceSelector").is_some() && type_at.is_none();
    let instance = type_at
        .as_ref()
        .and_then(|t| t.str().map(str::to_string))
        .unwrap_or_else(|| defaults.instance_type.clone());
    if let Some(t) = &type_at {
        imp.from(pool.field("instanceType"), t.spot());
        imp.from(pool.field("machine"), t.spot());
    }
    let slot = Slot::Pool(pool.name.clone());
    let (mut machine, arch) = match selector {
        true => {
            imp.size_unknown(slot, format!("node group {raw_name} picks its instance type by instanceSelector when eksctl creates it"));
            (Machine::stand_in(), Arch::Amd64)
        }
        false => imp
            .sized(c, &instance, slot)
            .unwrap_or((Machine::stand_in(), Arch::Amd64)),
    };
    machine.disk_gib = Some(
        ng.get("volumeSize")
            .and_then(|v| v.int())
            .map_or(defaults.volume_gib, |v| v as f64),
    );
    machine.disk = Some(match ng.get("volumeType").and_then(|v| v.str()) {
        Some("st1" | "sc1") => Medium::Hdd,
        _ => Medium::Ssd,
    });
    let known = c.instance(Platform::Aws, &instance).filter(|_| !selector);
    let max_pods = max_pods(ng, how, type_at.as_ref(), known, c, &pool, imp);
    let zones = ng
        .get("availabilityZones")
        .or_else(|| ng.get("localZones"))
        .map(|z| {
            imp.from(pool.field("zones"), z.spot());
            z.strings()
        })
        .unwrap_or_default();
    if !how.managed && ng.get("instancesDistribution").is_some() {
        imp.note(format!(
            "node group `{raw_name}` mixes instance types; sized as its first, {instance}"
        ));
    }
    imp.add_pool(WorkerPool {
        zones,
        instance_type: (!selector).then_some(instance),
        max_pods,
        os: match ng.get("amiFamily").and_then(|a| a.str()) {
            Some(f) if f.starts_with("Windows") => Os::Windows,
            _ => Os::Linux,
        },
        arch,
        taints: ng.get("taints").map(|t| taints(&t)).unwrap_or_default(),
        ..WorkerPool::new(pool.name, nodes, machine)
    });
}

/// A node group's node count: desiredCapacity, else minSize, else eksctl's default.
fn node_count(ng: &At, defaults: &EksctlDefaults, pool: &NewPool, imp: &mut Imported) -> u32 {
    let count = ["desiredCapacity", "minSize"]
        .iter()
        .find_map(|k| ng.get(k).map(|v| (v.clone(), v.int())));
    match count {
        Some((at, Some(n))) if (0..=100_000).contains(&n) => {
            imp.from(pool.field("nodes"), at.spot());
            n as u32
        }
        Some((at, _)) => {
            imp.invalid(
                &at,
                format!("`{}` is not a node count", at.text().unwrap_or_default()),
                "a whole number of nodes, 0 to 100,000",
            );
            defaults.node_count
        }
        None => defaults.node_count,
    }
}

/// A node group's instance type: `instanceType`, a managed group's
/// `instanceTypes`, or a mixed group's `instancesDistribution` (the first).
fn instance_type<'a>(ng: &At<'a>) -> Option<At<'a>> {
    let first = |l: At<'a>| l.items().into_iter().next();
    ng.get("instanceType")
        .filter(|t| t.str() != Some("mixed"))
        .or_else(|| ng.get("instanceTypes").and_then(first))
        .or_else(|| ng.at("instancesDistribution.instanceTypes").and_then(first))
}

/// A node group's max pods: `maxPodsPerNode`, else what the EKS node's
/// bootstrap sets for the instance type (the VPC CNI's ENI figure,
/// amazon-eks-ami eni-max-pods; with prefixes, the prefix formula within
/// EKS's recommended cap, 110 up to 30 vCPUs and 250 above, as managed
/// node groups set it).
fn max_pods(
    ng: &At,
    how: Group,
    type_at: Option<&At>,
    known: Option<&InstanceType>,
    c: &Catalog,
    pool: &NewPool,
    imp: &mut Imported,
) -> Option<u32> {
    if let Some(m) = ng.get("maxPodsPerNode") {
        imp.from(pool.field("maxPods"), m.spot());
        return m.u32();
    }
    if let Some(t) = type_at {
        imp.from(pool.field("maxPods"), t.spot());
    }
    let k = known?;
    match how.prefixes {
        true => {
            let cap = crate::sizing::node_pod_limit_for(c, Platform::Aws, true, k.cpu, None);
            Some(k.eni_prefix_max_pods().unwrap_or(cap).min(cap))
        }
        false => k.eni_max_pods(),
    }
}

/// eksctl's taints: a list of `{key, value, effect}`, or the older map
/// `key: value:Effect`.
fn taints(t: &At) -> Vec<String> {
    let list = t.items();
    if !list.is_empty() {
        return list
            .iter()
            .filter_map(|i| {
                let key = i.get("key")?.text()?;
                let effect = i
                    .get("effect")
                    .and_then(|e| e.text())
                    .unwrap_or_else(|| "NoSchedule".into());
                Some(match i.get("value").and_then(|v| v.text()) {
                    Some(v) if !v.is_empty() => format!("{key}={v}:{effect}"),
                    _ => format!("{key}:{effect}"),
                })
            })
            .collect();
    }
    t.entries()
        .into_iter()
        .filter_map(|(k, v)| {
            let v = v.text()?;
            Some(match v.starts_with(':') {
                true => format!("{k}{v}"),
                false => format!("{k}={v}"),
            })
        })
        .collect()
}

fn network(root: &At, d: &EksctlDefaults, imp: &mut Imported) {
    let family = root.at("kubernetesNetworkConfig.ipFamily");
    if family
        .as_ref()
        .and_then(|f| f.str())
        .is_some_and(|f| f.eq_ignore_ascii_case("ipv6"))
    {
        imp.note(
            "an IPv6 cluster: pods and services take IPv6 addresses, whose ranges are not checked",
        );
        return;
    }
    let vpc_at = root.at("vpc.cidr");
    let vpc = vpc_at
        .as_ref()
        .and_then(|v| v.str())
        .and_then(|v| v.parse::<ipnet::Ipv4Net>().ok())
        .unwrap_or(d.vpc_cidr);
    if let Some(v) = &vpc_at {
        imp.from("spec.network.vpcCIDR", v.spot());
    }
    let svc_at = root.at("kubernetesNetworkConfig.serviceIPv4CIDR");
    let service = match svc_at.as_ref().and_then(|s| s.str()) {
        Some(s) => s.to_string(),
        None if d.ten_range.contains(&vpc.network()) => d.service_cidr_in_ten.to_string(),
        None => d.service_cidr.to_string(),
    };
    if let Some(s) = &svc_at {
        imp.from("spec.network.serviceCIDR", s.spot());
    }
    let subnets = subnets(root, vpc, vpc_at.as_ref(), imp);
    imp.plan.spec.network = Some(Network {
        pod_cidr: None,
        service_cidr: service,
        node_cidr_mask_size: None,
        vpc_cidr: Some(vpc.to_string()),
        subnets,
    });
}

/// A subnet's zone: its `az`, else its key when that is a zone's name.
fn subnet_zone(key: &str, s: &At) -> Option<String> {
    s.get("az")
        .and_then(|a| a.str().map(str::to_string))
        .or_else(|| crate::catalog::is_aws_zone(key).then(|| key.to_string()))
}

/// The private subnets nodes and pods take addresses from: the file's, or
/// eksctl's own split of the VPC range over the zones.
fn subnets(root: &At, vpc: ipnet::Ipv4Net, vpc_at: Option<&At>, imp: &mut Imported) -> Vec<Subnet> {
    let mut subnets = Vec::new();
    if let Some(private) = root.at("vpc.subnets.private") {
        for (j, (key, s)) in private.entries().into_iter().enumerate() {
            let zone = subnet_zone(&key, &s);
            let (Some(zone), Some(cidr)) = (zone, s.get("cidr")) else {
                continue;
            };
            if let Some(text) = cidr.str() {
                imp.from(format!("spec.network.subnets[{j}].cidr"), cidr.spot());
                subnets.push(Subnet {
                    zone,
                    cidr: text.to_string(),
                });
            }
        }
    } else if root.at("vpc.subnets").is_none() && !imp.plan.spec.zones.is_empty() {
        let zones = &imp.plan.spec.zones;
        for (i, z) in zones.iter().enumerate() {
            if let Some(net) = crate::sizing::eksctl_private_subnet(vpc.trunc(), zones.len(), i) {
                subnets.push(Subnet {
                    zone: z.clone(),
                    cidr: net.to_string(),
                });
            }
        }
        if let Some(v) = vpc_at {
            for i in 0..subnets.len() {
                imp.from(format!("spec.network.subnets[{i}].cidr"), v.spot());
            }
        }
    }
    subnets
}
