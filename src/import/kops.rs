//! kOps `kops.k8s.io/v1alpha2` Cluster and InstanceGroups (the documents
//! `kops get -o yaml` prints) → a self-managed plan: the control plane from
//! the Master (ControlPlane) groups, stacked etcd with the `main` cluster's
//! members, the API behind the cloud load balancer of `spec.api`, the
//! zones of the subnets, one worker pool per Node group, and the pod and
//! service ranges (kOps' own defaults where the file gives none).

use serde_saphyr::Spanned;

use super::tree::At;
use super::{plan_name, Format, Imported, Read, Slot};
use crate::catalog::Catalog;
use crate::plan::node::{Node, Pos};
use crate::plan::origin::Spot;
use crate::plan::schema::{Issue, IssueKind};
use crate::plan::{
    ApiLoadBalancer, Arch, Etcd, EtcdTopology, Fact, LeaderElection, Machine, Medium, Network, Os,
    Platform, Tooling, WorkerPool,
};

/// What `docs/import.md` says of kOps files.
pub(super) const ABOUT: super::About = super::About {
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

/// The id of the rule for kOps' own odd-members check.
pub const EVEN_ETCD: &str = "kops-etcd-even-members";

/// The CNIs whose IPAM does not hand each node a range of the pod CIDR
/// (Calico's own blocks): the per-node range rules do not apply.
pub(crate) const BLOCK_IPAM_RULES: &str = "network-pod-cidr-too-small,network-node-cidr-too-small";

pub(super) fn import(docs: &[Spanned<Node>], c: &Catalog) -> Read {
    let roots: Vec<At> = docs.iter().map(At::root).collect();
    let kind = |r: &At| r.get("kind").and_then(|k| k.str().map(str::to_string));
    let clusters: Vec<&At> = roots
        .iter()
        .filter(|r| kind(r).as_deref() == Some("Cluster"))
        .collect();
    let groups: Vec<&At> = roots
        .iter()
        .filter(|r| kind(r).as_deref() == Some("InstanceGroup"))
        .collect();
    if clusters.is_empty() {
        return Read::Nothing {
            pos: groups
                .first()
                .and_then(|g| g.get("kind"))
                .map_or(Pos { line: 1, column: 1 }, |k| k.pos),
            message: format!(
                "{} without their Cluster: it takes the Cluster to check them (lint what `kops get -o yaml` prints, which holds both)",
                crate::fmt::plural(groups.len() as u64, "kOps InstanceGroup", "kOps InstanceGroups")
            ),
        };
    }
    let name_of = |r: &At| {
        r.at("metadata.name")
            .and_then(|n| n.str().map(str::to_string))
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for cl in &clusters {
        let name = name_of(cl);
        let mine: Vec<&At> = groups
            .iter()
            .copied()
            .filter(|g| {
                let label = g
                    .at("metadata.labels")
                    .and_then(|l| l.get("kops.k8s.io/cluster"))
                    .and_then(|l| l.str().map(str::to_string));
                match label {
                    Some(l) => l == name,
                    None => clusters.len() == 1,
                }
            })
            .collect();
        out.push(cluster(cl, &mine, c));
    }
    Read::Plans(out)
}

fn cluster(cl: &At, groups: &[&At], c: &Catalog) -> Imported {
    let d = &c.kubernetes.installer_defaults.kops;
    let kind = cl.get("kind").map_or(Pos { line: 1, column: 1 }, |k| k.pos);
    let raw_name = cl
        .at("metadata.name")
        .and_then(|n| n.str().map(str::to_string))
        .unwrap_or_default();
    let mut imp = Imported::new(Format::Kops, plan_name(&raw_name), Spot::new(kind, "kind"));
    if let Some(n) = cl.at("metadata.name") {
        imp.from("metadata.name", n.spot());
    }
    let spec = cl.get("spec");
    let get = |path: &str| spec.as_ref().and_then(|s| s.at(path));
    let cloud = get("cloudProvider").and_then(|p| p.str().map(str::to_string));
    let platform = match cloud.as_deref() {
        Some("aws") => Platform::Aws,
        Some("gce") => Platform::Gcp,
        Some("azure") => Platform::Azure,
        other => {
            imp.note(format!(
                "cloud provider {}: kubeplan has no catalog for it and treats its machines as your own (on-prem); \
                 the platform check on kOps is off for this plan",
                other.unwrap_or("(none given)")
            ));
            imp.ignore("tooling-platform-mismatch");
            Platform::OnPrem
        }
    };
    imp.plan.spec.platform = platform;
    imp.plan.spec.tooling = Some(Tooling::Kops);
    if let Some(p) = get("cloudProvider") {
        imp.from("spec.platform", p.spot());
    }
    imp.unknown(
        Fact::Storage,
        "kOps installs its cloud's storage classes as add-ons; the cluster spec does not list them",
    );

    // Subnets: name → zone (AWS, Azure, OpenStack); GCE's are regional.
    let subnets: Vec<(String, Option<String>)> = get("subnets")
        .map(|s| s.items())
        .unwrap_or_default()
        .iter()
        .map(|s| {
            let name = s.get("name").and_then(|n| n.text()).unwrap_or_default();
            (name, s.get("zone").and_then(|z| z.text()))
        })
        .collect();
    let zone_of_subnet = |n: &str| -> Option<String> {
        subnets
            .iter()
            .find(|(name, _)| name == n)
            .and_then(|(_, z)| z.clone())
    };
    let group_zones = |g: &At| -> Vec<String> {
        let s = g.get("spec");
        if let Some(z) = s.as_ref().and_then(|s| s.get("zones")) {
            let z = z.strings();
            if !z.is_empty() {
                return z;
            }
        }
        s.as_ref()
            .and_then(|s| s.get("subnets"))
            .map(|l| l.strings())
            .unwrap_or_default()
            .iter()
            .filter_map(|n| zone_of_subnet(n))
            .collect()
    };

    let mut zones: Vec<String> = Vec::new();
    let mut add_zones = |zs: &[String]| {
        for z in zs {
            if !zones.contains(z) {
                zones.push(z.clone());
            }
        }
    };
    let subnet_zones: Vec<String> = subnets.iter().filter_map(|(_, z)| z.clone()).collect();
    add_zones(&subnet_zones);

    // The control plane: every Master/ControlPlane group's machines.
    let mut cp_nodes = 0u32;
    let mut cp_zones: Vec<String> = Vec::new();
    let mut cp_type: Option<(String, Spot)> = None;
    let mut cp_disk: Option<f64> = None;
    let mut names: Vec<String> = Vec::new();
    for g in groups {
        let role = g
            .at("spec.role")
            .and_then(|r| r.str().map(str::to_string))
            .unwrap_or_else(|| "Node".into());
        let gname = g
            .at("metadata.name")
            .and_then(|n| n.str().map(str::to_string))
            .unwrap_or_default();
        let gz = group_zones(g);
        add_zones(&gz);
        // pkg/apis/kops/validation/instancegroup.go: an instance group's
        // subnets must be the cluster's ("Not found").
        if !subnets.is_empty() {
            for item in g.at("spec.subnets").map(|l| l.items()).unwrap_or_default() {
                let Some(name) = item.text() else { continue };
                if !subnets.iter().any(|(n, _)| *n == name) {
                    let ig = g
                        .at("metadata.name")
                        .and_then(|n| n.text())
                        .unwrap_or_default();
                    let have: Vec<&str> = subnets.iter().map(|(n, _)| n.as_str()).collect();
                    imp.invalid(
                        &item,
                        format!("instance group `{ig}` is in subnet `{name}`, which the Cluster does not define: kOps refuses it (\"Not found\")"),
                        format!("use one of the Cluster's subnets ({}) or add `{name}` to spec.subnets", have.join(", ")),
                    );
                }
            }
        }
        // A group is named where its name is (the document's start else).
        let here = g
            .at("metadata.name")
            .or_else(|| g.get("kind"))
            .map_or_else(|| g.spot(), |a| a.spot());
        let karpenter = g.at("spec.manager").and_then(|m| m.str()) == Some("Karpenter");
        match role.as_str() {
            "Master" | "ControlPlane" => {
                let (n, at) = size(g, d.control_plane_group_size);
                cp_nodes += n;
                imp.from("spec.controlPlane.nodes", at.unwrap_or_else(|| here.clone()));
                for i in 0..n as usize {
                    if let Some(z) = gz.get(i % gz.len().max(1)) {
                        cp_zones.push(z.clone());
                    }
                }
                if cp_type.is_none() {
                    if let Some(t) = g.at("spec.machineType") {
                        cp_type = t.str().map(|s| (s.to_string(), t.spot()));
                    }
                    cp_disk = root_volume(g).0;
                }
            }
            "Node" if karpenter => {
                imp.unknown(
                    Fact::Workers,
                    format!("instance group {gname} is managed by Karpenter, which starts nodes as pods need them"),
                );
            }
            "Node" => {
                let i = imp.plan.spec.workers.len();
                let base = format!("spec.workers[{i}]");
                imp.from(base.clone(), here.clone());
                let (nodes, at) = size(g, d.node_group_size);
                if let Some(at) = at {
                    imp.from(format!("{base}.nodes"), at);
                }
                let mut name = plan_name(&gname);
                while names.contains(&name) {
                    name = format!("{name}-{}", i + 1);
                }
                names.push(name.clone());
                let machine_type = g.at("spec.machineType");
                if let Some(t) = &machine_type {
                    imp.from(format!("{base}.instanceType"), t.spot());
                    imp.from(format!("{base}.machine"), t.spot());
                }
                let type_name = machine_type.as_ref().and_then(|t| t.str().map(str::to_string));
                let (disk_gib, disk) = root_volume(g);
                let (machine, arch) = machine(c, platform, type_name.as_deref(), &mut imp, Slot::Pool(name.clone()));
                let max_pods = g
                    .at("spec.kubelet.maxPods")
                    .or_else(|| get("kubelet.maxPods"))
                    .and_then(|m| {
                        imp.from(format!("{base}.maxPods"), m.spot());
                        m.int().and_then(|v| u32::try_from(v).ok())
                    });
                let taints = g.at("spec.taints").map(|t| t.strings()).unwrap_or_default();
                if let Some(z) = g.at("spec.subnets").or_else(|| g.at("spec.zones")) {
                    imp.from(format!("{base}.zones"), z.spot());
                }
                imp.plan.spec.workers.push(WorkerPool {
                    name,
                    nodes,
                    zones: gz,
                    machine: Machine {
                        disk_gib,
                        disk,
                        ..machine
                    },
                    instance_type: type_name,
                    max_pods,
                    os: Os::Linux,
                    arch,
                    taints,
                });
            }
            "Bastion" => imp.note(format!("instance group {gname} is a bastion: not a Kubernetes node")),
            other => imp.note(format!(
                "instance group {gname} has role {other} (control-plane components apart): not modelled"
            )),
        }
    }
    imp.plan.spec.zones = zones;
    if let Some(s) = get("subnets") {
        imp.from("spec.zones", s.spot());
    }
    imp.plan.spec.control_plane.nodes = Some(cp_nodes);
    imp.plan.spec.control_plane.zones = cp_zones;
    let (cp_machine, _) = machine(
        c,
        platform,
        cp_type.as_ref().map(|(t, _)| t.as_str()),
        &mut imp,
        Slot::ControlPlane,
    );
    if let Some((_, spot)) = &cp_type {
        imp.from("spec.controlPlane.machine", spot.clone());
    }
    if cp_nodes > 0 {
        imp.plan.spec.control_plane.machine = Some(Machine {
            disk_gib: cp_disk,
            disk: Some(Medium::Ssd),
            ..cp_machine
        });
    }
    imp.plan.spec.control_plane.schedulable = Some(false);

    etcd(spec.as_ref(), &mut imp);
    api(spec.as_ref(), &mut imp);
    leader_election(spec.as_ref(), &mut imp);
    network(spec.as_ref(), platform, d, &mut imp);
    imp
}

/// A group's machine count (minSize; kOps' default when absent) and where it is.
fn size(g: &At, default: u32) -> (u32, Option<Spot>) {
    match g.at("spec.minSize") {
        Some(m) => (
            m.int()
                .and_then(|v| u32::try_from(v).ok())
                .unwrap_or(default),
            Some(m.spot()),
        ),
        None => (default, None),
    }
}

/// A group's root volume: size in GB and medium.
fn root_volume(g: &At) -> (Option<f64>, Option<Medium>) {
    let size = g
        .at("spec.rootVolumeSize")
        .or_else(|| g.at("spec.rootVolume.size"))
        .and_then(|v| v.int())
        .map(|v| v as f64);
    let kind = g
        .at("spec.rootVolumeType")
        .or_else(|| g.at("spec.rootVolume.type"))
        .and_then(|v| v.str().map(str::to_string));
    let medium = match kind.as_deref() {
        Some("st1" | "sc1" | "pd-standard" | "standard") => Medium::Hdd,
        _ => Medium::Ssd,
    };
    (size, Some(medium))
}

/// A machine type's size from the platform's catalog; unknown types leave
/// the slot to be supplied.
fn machine(
    c: &Catalog,
    platform: Platform,
    type_name: Option<&str>,
    imp: &mut Imported,
    slot: Slot,
) -> (Machine, Arch) {
    let known = type_name.and_then(|t| c.instance(platform, t));
    match known {
        Some(k) => (
            Machine {
                cpu: k.cpu,
                memory_gib: k.memory_gib,
                disk_gib: None,
                disk: None,
            },
            k.arch,
        ),
        None => {
            imp.slots.push(slot);
            match type_name {
                Some(t) => imp.unknown_type(platform, t),
                None => imp.unknown(
                    Fact::Machines,
                    "an instance group names no machineType, so kOps picks one when it creates the cluster",
                ),
            }
            (Machine::stand_in(), Arch::Amd64)
        }
    }
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
            imp.issues.push(Issue {
                kind: IssueKind::Installer(EVEN_ETCD),
                field: at.path().to_string(),
                pos: at.pos,
                message,
                help: "give every etcd cluster (main, events) one member per control-plane group in 3 (or 5) zones".into(),
            });
        }
    }
    imp.plan.spec.etcd = Some(Etcd {
        topology: Some(EtcdTopology::Stacked),
        members,
        zones: Vec::new(),
        machine: None,
    });
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

fn leader_election(spec: Option<&At>, imp: &mut Imported) {
    let le = spec.and_then(|s| {
        s.at("kubeControllerManager.leaderElection")
            .or_else(|| s.at("kubeScheduler.leaderElection"))
    });
    let Some(le) = le else { return };
    let mut out = LeaderElection::default();
    if let Some(e) = le.get("leaderElect").and_then(|e| e.bool()) {
        out.enabled = e;
        imp.from(
            "spec.controlPlane.leaderElection.enabled",
            le.get("leaderElect").map_or(le.spot(), |x| x.spot()),
        );
    }
    for (key, field) in [
        ("leaderElectLeaseDuration", "leaseDuration"),
        ("leaderElectRenewDeadlineDuration", "renewDeadline"),
        ("leaderElectRetryPeriod", "retryPeriod"),
    ] {
        if let Some(v) = le.get(key) {
            if let Some(t) = v.text() {
                out.set(field, t);
                imp.from(
                    format!("spec.controlPlane.leaderElection.{field}"),
                    v.spot(),
                );
            }
        }
    }
    imp.from("spec.controlPlane.leaderElection", le.spot());
    imp.plan.spec.control_plane.leader_election = Some(out);
}

fn network(
    spec: Option<&At>,
    platform: Platform,
    d: &crate::catalog::KopsDefaults,
    imp: &mut Imported,
) {
    let get = |p: &str| spec.and_then(|s| s.at(p));
    let text = |p: &str| get(p).and_then(|v| v.str().map(str::to_string));
    let networking = get("networking");
    let cni: Vec<String> = networking
        .as_ref()
        .map(|n| n.entries().into_iter().map(|(k, _)| k).collect())
        .unwrap_or_default();
    let non_masq = text("nonMasqueradeCIDR").or_else(|| text("networking.nonMasqueradeCIDR"));
    if non_masq.as_deref().is_some_and(|n| n.contains(':')) {
        imp.note("an IPv6 cluster: its pod and service ranges are not checked");
        return;
    }
    let vpc_pods = cni.iter().any(|c| c == "amazonvpc")
        || get("networking.cilium.ipam")
            .and_then(|i| i.str().map(str::to_string))
            .as_deref()
            == Some("eni");
    let pod = match vpc_pods {
        true => None,
        false => Some(
            text("podCIDR")
                .or_else(|| text("networking.podCIDR"))
                .unwrap_or_else(|| d.pod_cidr.to_string()),
        ),
    };
    if let Some(p) = get("podCIDR").or_else(|| get("networking.podCIDR")) {
        imp.from("spec.network.podCIDR", p.spot());
    } else if let Some(n) = get("nonMasqueradeCIDR") {
        imp.from("spec.network.podCIDR", n.spot());
    }
    let service = text("serviceClusterIPRange")
        .or_else(|| text("networking.serviceClusterIPRange"))
        .unwrap_or_else(|| d.service_cidr.to_string());
    if let Some(s) =
        get("serviceClusterIPRange").or_else(|| get("networking.serviceClusterIPRange"))
    {
        imp.from("spec.network.serviceCIDR", s.spot());
    }
    let vpc = match platform {
        Platform::Aws => text("networkCIDR").or_else(|| text("networking.networkCIDR")),
        _ => None,
    };
    if let Some(v) = get("networkCIDR") {
        imp.from("spec.network.vpcCIDR", v.spot());
    }
    if cni.iter().any(|c| c == "calico") {
        imp.note("Calico allocates pod addresses in its own blocks, not per-node ranges: the per-node range rules are silenced");
        imp.ignore(BLOCK_IPAM_RULES);
    }
    imp.plan.spec.network = Some(Network {
        pod_cidr: pod,
        service_cidr: service,
        node_cidr_mask_size: None,
        vpc_cidr: vpc,
        subnets: Vec::new(),
    });
}
