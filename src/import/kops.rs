//! kOps `kops.k8s.io/v1alpha2` Cluster and InstanceGroups (the documents
//! `kops get -o yaml` prints) → a self-managed plan: the control plane from
//! the Master (ControlPlane) groups, stacked etcd with the `main` cluster's
//! members, the API behind the cloud load balancer of `spec.api`, the
//! zones of the subnets, one worker pool per Node group, and the pod and
//! service ranges (kOps' own defaults where the file gives none).

use std::sync::Arc;

use serde_saphyr::Spanned;

use super::tree::At;
use super::{own_machines, About, Imported, Read, Slot, Spec};
use crate::catalog::{Catalog, KopsDefaults};
use crate::plan::load::{LoadError, Source};
use crate::plan::node::{Node, Pos};
use crate::plan::origin::Spot;
use crate::plan::rule_ref::PER_NODE_RANGE_RULES;
use crate::plan::{
    ApiLoadBalancer, Arch, Fact, LeaderElection, Machine, Medium, Network, Platform, RuleRef,
    Tooling, WorkerPool,
};

pub(super) const SPEC: Spec = Spec {
    what: "kOps cluster",
    plural: "kOps clusters",
    // kOps still reads its old group name, rewriting `kops/v1alpha2`
    // (pkg/kopscodecs/codecs.go, rewriteAPIGroup).
    groups: &["kops.k8s.io", "kops"],
    versions: &["v1alpha2"],
    advice: "v1alpha2 is the version `kops get -o yaml` prints and `kops create -f` takes",
    provider_groups: false,
    syntax: "",
    detect: None,
    about: ABOUT,
    import,
};

/// What `docs/import.md` says of kOps files.
const ABOUT: About = About {
    title: "kOps",
    detected: "`apiVersion: kops.k8s.io/v1alpha2` (or the older group `kops/v1alpha2`, which kOps still reads) with a `kind: Cluster`; the InstanceGroups beside it are its machines (the multi-document file `kops get -o yaml` prints)",
    reads: &[
        "the platform from `spec.cloudProvider` (aws, gce, azure; another cloud is modelled as your own machines, and the platform check on kOps is off for it), the tool (kOps)",
        "the control plane: every InstanceGroup of role `Master` or `ControlPlane`, its `minSize` machines (kOps' default 1) of its `machineType`, in the zones of its `subnets`",
        "etcd: stacked, with one member per entry of the `main` cluster's `etcdMembers`; kOps' own check, cited: an even member count (`kops-etcd-even-members`, for `main` and `events`)",
        "the API load balancer from `spec.api.loadBalancer` (a cloud load balancer); `spec.api.dns` publishes the API as DNS records, so the balancer is unknown",
        "one worker pool per InstanceGroup of role `Node`: `minSize` (kOps' default 2), `machineType`, zones, `rootVolume`, `taints`, `kubelet.maxPods`",
        "the network: `networkCIDR`, `podCIDR` and `serviceClusterIPRange` (else kOps' defaults under `nonMasqueradeCIDR` 100.64.0.0/10: pods 100.96.0.0/11, services 100.64.0.0/13); with Calico, whose IPAM gives out blocks, not one range per node, the per-node range rules are off",
        "leader election from `kubeControllerManager.leaderElection` and `kubeScheduler.leaderElection`",
    ],
    example: "kops.yaml",
    example_flags: &["--purpose", "production"],
};

fn import(_: &Arc<Source>, docs: &[Spanned<Node>], c: &Catalog) -> Result<Read, LoadError> {
    let roots: Vec<At> = docs.iter().map(At::root).collect();
    let clusters: Vec<&At> = roots.iter().filter(|r| r.kind() == Some("Cluster")).collect();
    let groups: Vec<&At> = roots
        .iter()
        .filter(|r| r.kind() == Some("InstanceGroup"))
        .collect();
    if clusters.is_empty() {
        return Ok(Read::Nothing {
            pos: groups
                .first()
                .and_then(|g| g.get("kind"))
                .map_or(Pos::START, |k| k.pos),
            message: format!(
                "{} without their Cluster: it takes the Cluster to check them (lint what `kops get -o yaml` prints, which holds both)",
                crate::prose::plural(groups.len() as u64, "kOps InstanceGroup", "kOps InstanceGroups")
            ),
        });
    }
    let mut out = Vec::new();
    for cl in &clusters {
        let name = cl.name().unwrap_or_default();
        let mine: Vec<&At> = groups
            .iter()
            .copied()
            .filter(|g| cluster_label(g).map_or(clusters.len() == 1, |l| l == name))
            .collect();
        out.push(cluster(cl, &mine, c));
    }
    Ok(Read::Plans(out))
}

/// The cluster an instance group names by its `kops.k8s.io/cluster` label.
fn cluster_label<'a>(g: &At<'a>) -> Option<&'a str> {
    g.at("metadata.labels")?.get("kops.k8s.io/cluster")?.str()
}

/// The cluster's subnets: name and zone (AWS, Azure, OpenStack; GCE's
/// subnets are regional).
struct Subnets(Vec<(String, Option<String>)>);

impl Subnets {
    fn of(spec: Option<&At>) -> Subnets {
        let list = spec.and_then(|s| s.get("subnets")).map(|s| s.items());
        let subnet = |s: &At| {
            let name = s.get("name").and_then(|n| n.text()).unwrap_or_default();
            (name, s.get("zone").and_then(|z| z.text()))
        };
        Subnets(list.unwrap_or_default().iter().map(subnet).collect())
    }

    fn zone(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, z)| z.clone())
    }

    /// A group's zones: its `zones`, else those of its subnets.
    fn of_group(&self, g: &At) -> Vec<String> {
        if let Some(z) = g.at("spec.zones").map(|z| z.strings()) {
            if !z.is_empty() {
                return z;
            }
        }
        let names = g.at("spec.subnets").map(|l| l.strings()).unwrap_or_default();
        names.iter().filter_map(|n| self.zone(n)).collect()
    }

    /// pkg/apis/kops/validation/instancegroup.go: an instance group's
    /// subnets must be the cluster's ("Not found").
    fn check(&self, g: &At, imp: &mut Imported) {
        if self.0.is_empty() {
            return;
        }
        for item in g.at("spec.subnets").map(|l| l.items()).unwrap_or_default() {
            let Some(name) = item.text() else { continue };
            if self.0.iter().any(|(n, _)| *n == name) {
                continue;
            }
            let ig = g.at("metadata.name").and_then(|n| n.text()).unwrap_or_default();
            let have: Vec<&str> = self.0.iter().map(|(n, _)| n.as_str()).collect();
            imp.invalid(
                &item,
                format!("instance group `{ig}` is in subnet `{name}`, which the Cluster does not define: kOps refuses it (\"Not found\")"),
                format!("use one of the Cluster's subnets ({}) or add `{name}` to spec.subnets", have.join(", ")),
            );
        }
    }
}

/// The control plane, summed over the Master (ControlPlane) groups.
#[derive(Default)]
struct ControlPlane {
    nodes: u32,
    zones: Vec<String>,
    machine_type: Option<(String, Spot)>,
    disk_gib: Option<f64>,
}

fn cluster(cl: &At, groups: &[&At], c: &Catalog) -> Imported {
    let d = &c.kubernetes.installer_defaults.kops;
    let mut imp = Imported::of_document(&SPEC, cl, "cluster");
    let spec = cl.get("spec");
    let platform = platform(spec.as_ref(), &mut imp);
    imp.unknown(
        Fact::Storage,
        "kOps installs its cloud's storage classes as add-ons; the cluster spec does not list them",
    );
    let subnets = Subnets::of(spec.as_ref());
    let mut zones: Vec<String> = Vec::new();
    let mut add_zones = |zs: Vec<String>| {
        for z in zs {
            if !zones.contains(&z) {
                zones.push(z);
            }
        }
    };
    add_zones(subnets.0.iter().filter_map(|(_, z)| z.clone()).collect());
    let mut cp = ControlPlane::default();
    for g in groups {
        let gz = subnets.of_group(g);
        add_zones(gz.clone());
        subnets.check(g, &mut imp);
        group(g, gz, spec.as_ref(), &mut cp, c, &mut imp);
    }
    imp.plan.spec.zones = zones;
    if let Some(s) = spec.as_ref().and_then(|s| s.get("subnets")) {
        imp.from("spec.zones", s.spot());
    }
    control_plane(cp, c, &mut imp);
    etcd(spec.as_ref(), &mut imp);
    api(spec.as_ref(), &mut imp);
    leader_election(spec.as_ref(), &mut imp);
    network(spec.as_ref(), platform, d, &mut imp);
    imp
}

/// The platform of `spec.cloudProvider`; another cloud is modelled as the
/// user's own machines, with the platform check on kOps off.
fn platform(spec: Option<&At>, imp: &mut Imported) -> Platform {
    let cloud = spec.and_then(|s| s.get("cloudProvider"));
    let name = cloud.as_ref().and_then(|p| p.str());
    let known = Platform::ALL
        .iter()
        .copied()
        .find(|p| p.kops_name().is_some() && p.kops_name() == name);
    let platform = match known {
        Some(p) => p,
        None => {
            let other = name;
            imp.note(format!(
                "cloud provider {}: kubeplan has no catalog for it and treats its machines as your own (on-prem); \
                 the platform check on kOps is off for this plan",
                other.unwrap_or("(none given)")
            ));
            imp.ignore(&[RuleRef::ToolingPlatformMismatch]);
            own_machines()
        }
    };
    imp.plan.spec.platform = platform;
    imp.plan.spec.tooling = Some(Tooling::Kops);
    if let Some(p) = cloud {
        imp.from("spec.platform", p.spot());
    }
    platform
}

/// One instance group: control-plane machines, a worker pool, or a note.
fn group(
    g: &At,
    zones: Vec<String>,
    spec: Option<&At>,
    cp: &mut ControlPlane,
    c: &Catalog,
    imp: &mut Imported,
) {
    let d = &c.kubernetes.installer_defaults.kops;
    let role = g.at("spec.role").and_then(|r| r.str()).unwrap_or("Node");
    let gname = g.name().unwrap_or_default();
    // A group is named where its name is (the document's start else).
    let here = g
        .at("metadata.name")
        .or_else(|| g.get("kind"))
        .map_or_else(|| g.spot(), |a| a.spot());
    let karpenter = g.at("spec.manager").and_then(|m| m.str()) == Some("Karpenter");
    match role {
        "Master" | "ControlPlane" => {
            let (n, at) = size(g, d.control_plane_group_size);
            cp.nodes += n;
            imp.from("spec.controlPlane.nodes", at.unwrap_or(here));
            for i in 0..n as usize {
                if let Some(z) = zones.get(i % zones.len().max(1)) {
                    cp.zones.push(z.clone());
                }
            }
            if cp.machine_type.is_none() {
                if let Some(t) = g.at("spec.machineType") {
                    cp.machine_type = t.str().map(|s| (s.to_string(), t.spot()));
                }
                cp.disk_gib = root_volume(g).0;
            }
        }
        "Node" if karpenter => imp.unknown(
            Fact::Workers,
            format!("instance group {gname} is managed by Karpenter, which starts nodes as pods need them"),
        ),
        "Node" => node_group(g, gname, here, zones, spec, c, imp),
        "Bastion" => imp.note(format!("instance group {gname} is a bastion: not a Kubernetes node")),
        other => imp.note(format!(
            "instance group {gname} has role {other} (control-plane components apart): not modelled"
        )),
    }
}

/// A Node group: a worker pool.
fn node_group(
    g: &At,
    gname: &str,
    here: Spot,
    zones: Vec<String>,
    spec: Option<&At>,
    c: &Catalog,
    imp: &mut Imported,
) {
    let pool = imp.new_pool(gname, here);
    let (nodes, at) = size(g, c.kubernetes.installer_defaults.kops.node_group_size);
    if let Some(at) = at {
        imp.from(pool.field("nodes"), at);
    }
    let machine_type = g.at("spec.machineType");
    if let Some(t) = &machine_type {
        imp.from(pool.field("instanceType"), t.spot());
        imp.from(pool.field("machine"), t.spot());
    }
    let type_name = machine_type.as_ref().and_then(|t| t.str());
    let (machine, arch) = machine(c, type_name, Slot::Pool(pool.name.clone()), imp);
    let (disk_gib, disk) = root_volume(g);
    let max_pods = g
        .at("spec.kubelet.maxPods")
        .or_else(|| spec.and_then(|s| s.at("kubelet.maxPods")))
        .and_then(|m| {
            imp.from(pool.field("maxPods"), m.spot());
            m.u32()
        });
    if let Some(z) = g.at("spec.subnets").or_else(|| g.at("spec.zones")) {
        imp.from(pool.field("zones"), z.spot());
    }
    let machine = Machine {
        disk_gib,
        disk,
        ..machine
    };
    imp.add_pool(WorkerPool {
        zones,
        instance_type: type_name.map(str::to_string),
        max_pods,
        arch,
        taints: g.at("spec.taints").map(|t| t.strings()).unwrap_or_default(),
        ..WorkerPool::new(pool.name, nodes, machine)
    });
}

/// The control plane's nodes, zones and machines.
fn control_plane(cp: ControlPlane, c: &Catalog, imp: &mut Imported) {
    let p = &mut imp.plan.spec.control_plane;
    p.nodes = Some(cp.nodes);
    p.zones = cp.zones;
    p.schedulable = Some(false);
    let type_name = cp.machine_type.as_ref().map(|(t, _)| t.as_str());
    let (machine, _) = machine(c, type_name, Slot::ControlPlane, imp);
    if let Some((_, spot)) = &cp.machine_type {
        imp.from("spec.controlPlane.machine", spot.clone());
    }
    if cp.nodes > 0 {
        imp.plan.spec.control_plane.machine = Some(Machine {
            disk_gib: cp.disk_gib,
            disk: Some(Medium::Ssd),
            ..machine
        });
    }
}

/// A machine type's size from the platform's catalog; a group with no
/// type (or one the catalog lacks) leaves the slot to be supplied.
fn machine(c: &Catalog, type_name: Option<&str>, slot: Slot, imp: &mut Imported) -> (Machine, Arch) {
    let sized = match type_name {
        Some(t) => imp.sized(c, t, slot),
        None => {
            imp.size_unknown(
                slot,
                "an instance group names no machineType, so kOps picks one when it creates the cluster",
            );
            None
        }
    };
    sized.unwrap_or((Machine::stand_in(), Arch::Amd64))
}

/// A group's machine count (minSize; kOps' default when absent) and where it is.
fn size(g: &At, default: u32) -> (u32, Option<Spot>) {
    match g.at("spec.minSize") {
        Some(m) => (m.u32().unwrap_or(default), Some(m.spot())),
        None => (default, None),
    }
}

/// A group's root volume: size in GB and medium.
fn root_volume(g: &At) -> (Option<f64>, Option<Medium>) {
    let size = g
        .first(&["spec.rootVolumeSize", "spec.rootVolume.size"])
        .and_then(|v| v.int())
        .map(|v| v as f64);
    let kind = g
        .first(&["spec.rootVolumeType", "spec.rootVolume.type"])
        .and_then(|v| v.str().map(str::to_string));
    let medium = match kind.as_deref() {
        Some("st1" | "sc1" | "pd-standard" | "standard") => Medium::Hdd,
        _ => Medium::Ssd,
    };
    (size, Some(medium))
}

/// Stacked etcd with the `main` cluster's members; kOps' own check that
/// every etcd cluster has an odd number of members.
fn etcd(spec: Option<&At>, imp: &mut Imported) {
    let clusters = spec
        .and_then(|s| s.get("etcdClusters"))
        .map(|l| l.items())
        .unwrap_or_default();
    let mut members = None;
    for cl in &clusters {
        let name = cl.get("name").and_then(|n| n.text()).unwrap_or_default();
        let list = cl.get("etcdMembers");
        let n = list.as_ref().map_or(0, |l| l.items().len());
        let at = list.clone().unwrap_or_else(|| cl.clone());
        if name == "main" || members.is_none() {
            members = Some(n as u32);
            imp.origins.replace("spec.etcd.members", at.spot());
        }
        // pkg/apis/kops/validation/validation.go validateEtcdClusterSpec.
        if n % 2 == 0 {
            let message = match n {
                0 => format!("kOps refuses etcd cluster `{name}` with no members: \"No members defined in etcd cluster\""),
                n => format!("kOps refuses etcd cluster `{name}` with {n} members: \"Should be an odd number of control-plane-zones for quorum\""),
            };
            imp.refused(
                RuleRef::KopsEtcdEvenMembers,
                &at.spot(),
                message,
                "give every etcd cluster (main, events) one member per control-plane group in 3 (or 5) zones",
            );
        }
    }
    imp.stacked_etcd(members);
    if members.is_none() {
        imp.unknown(Fact::Etcd, "the cluster lists no etcdClusters");
    }
}

/// The API: a cloud load balancer (`spec.api.loadBalancer`), or DNS
/// records of each control-plane node (`spec.api.dns`).
fn api(spec: Option<&At>, imp: &mut Imported) {
    let api = spec.and_then(|s| s.get("api"));
    match api.as_ref().and_then(|a| a.get("loadBalancer")) {
        Some(lb) => {
            imp.plan.spec.api_load_balancer = Some(ApiLoadBalancer::cloud());
            imp.from("spec.apiLoadBalancer", lb.spot());
        }
        None if api.as_ref().is_some_and(|a| a.get("dns").is_some()) => imp.unknown(
            Fact::LoadBalancer,
            "with spec.api.dns kOps publishes the API as DNS records of every control-plane node, no load balancer",
        ),
        None => imp.unknown(
            Fact::LoadBalancer,
            "the cluster spec has no spec.api to say how the API is reached",
        ),
    }
}

/// Leader election from `kubeControllerManager.leaderElection` (else the
/// scheduler's).
fn leader_election(spec: Option<&At>, imp: &mut Imported) {
    let le = spec.and_then(|s| {
        s.at("kubeControllerManager.leaderElection")
            .or_else(|| s.at("kubeScheduler.leaderElection"))
    });
    let Some(le) = le else { return };
    let set = [
        ("leaderElect", "enabled"),
        ("leaderElectLeaseDuration", "leaseDuration"),
        ("leaderElectRenewDeadlineDuration", "renewDeadline"),
        ("leaderElectRetryPeriod", "retryPeriod"),
    ]
    .iter()
    .filter_map(|(key, field)| {
        let v = le.get(key)?;
        Some((*field, v.text()?, v.spot()))
    })
    .collect();
    imp.from("spec.controlPlane.leaderElection", le.spot());
    imp.leader_election(set);
    let p = &mut imp.plan.spec.control_plane;
    p.leader_election.get_or_insert_with(LeaderElection::default);
}

fn network(spec: Option<&At>, platform: Platform, d: &KopsDefaults, imp: &mut Imported) {
    let get = |p: &str| spec.and_then(|s| s.at(p));
    // kOps reads each range from the spec or, newer, from spec.networking.
    let range = |k: &str| get(k).or_else(|| get(&format!("networking.{k}")));
    let text = |k: &str| range(k).and_then(|v| v.str().map(str::to_string));
    let cni: Vec<String> = get("networking")
        .map(|n| n.entries().into_iter().map(|(k, _)| k).collect())
        .unwrap_or_default();
    if text("nonMasqueradeCIDR").is_some_and(|n| n.contains(':')) {
        imp.note("an IPv6 cluster: its pod and service ranges are not checked");
        return;
    }
    let vpc_pods = cni.iter().any(|c| c == "amazonvpc")
        || get("networking.cilium.ipam").and_then(|i| i.str()) == Some("eni");
    let pod = (!vpc_pods).then(|| text("podCIDR").unwrap_or_else(|| d.pod_cidr.to_string()));
    if let Some(p) = range("podCIDR").or_else(|| get("nonMasqueradeCIDR")) {
        imp.from("spec.network.podCIDR", p.spot());
    }
    let service = text("serviceClusterIPRange").unwrap_or_else(|| d.service_cidr.to_string());
    if let Some(s) = range("serviceClusterIPRange") {
        imp.from("spec.network.serviceCIDR", s.spot());
    }
    let vpc = text("networkCIDR").filter(|_| platform.cloud() && !platform.regional_subnets());
    if let Some(v) = get("networkCIDR") {
        imp.from("spec.network.vpcCIDR", v.spot());
    }
    if cni.iter().any(|c| c == "calico") {
        imp.note("Calico allocates pod addresses in its own blocks, not per-node ranges: the per-node range rules are silenced");
        imp.ignore(PER_NODE_RANGE_RULES);
    }
    imp.plan.spec.network = Some(Network {
        pod_cidr: pod,
        service_cidr: service,
        node_cidr_mask_size: None,
        vpc_cidr: vpc,
        subnets: Vec::new(),
    });
}
