//! Cluster API manifests (`cluster.x-k8s.io` v1beta1 and v1beta2, as
//! `clusterctl generate cluster` renders them, or a template rendered with
//! `--var`) → a plan per Cluster: the control plane from its
//! KubeadmControlPlane (or `topology.controlPlane`), stacked etcd unless the
//! KubeadmControlPlane names external endpoints, a worker pool per
//! MachineDeployment or MachinePool (or `topology.workers`) with its
//! replicas, failure domain and instance type, and `clusterNetwork`.
//! Values the webhooks default (replicas 1) take those defaults
//! (`installerDefaults.clusterApi`); a `${VAR}` left unrendered is reported
//! where it stands.

use std::sync::Arc;

use serde_saphyr::Spanned;

mod region;
mod workers;

use super::kubeadm::{extra_arg, leader_election_from, schedulable_from};
use super::tree::At;
use super::{own_machines, plan_name, About, Imported, Read, Slot, Spec};
use crate::catalog::{Catalog, ClusterApiDefaults};
use crate::plan::load::{LoadError, Source};
use crate::plan::node::{Node, Pos};
use crate::plan::origin::Spot;
use crate::plan::schema::IssueKind;
use crate::plan::{ApiLoadBalancer, Arch, Fact, Machine, Network, Platform, RuleRef, Tooling};

pub(super) const SPEC: Spec = Spec {
    what: "Cluster API cluster",
    plural: "Cluster API manifests",
    groups: &["cluster.x-k8s.io"],
    versions: &["v1beta1", "v1beta2"],
    advice: "`clusterctl upgrade` moves older clusters to v1beta1 and v1beta2",
    // Cluster API's providers version their own groups; the core group decides.
    provider_groups: true,
    syntax: "",
    detect: None,
    about: ABOUT,
    import,
};

/// What `docs/import.md` says of Cluster API files.
const ABOUT: About = About {
    title: "Cluster API",
    detected: "`apiVersion: cluster.x-k8s.io/v1beta1` or `v1beta2` (and the other `*.cluster.x-k8s.io` groups); one plan per `kind: Cluster`; ClusterClasses and templates without a Cluster describe no cluster, and say so",
    reads: &[
        "clusterctl's `${VAR}`, `${VAR:=default}` and `${VAR:-default}`: `--var NAME=VALUE` renders them as clusterctl would; a value left unrendered is reported where it stands (`input-unrendered-variable`) and the fact it held is unknown",
        "the platform from the infrastructure kind (`AWSCluster`, `AzureCluster`, `GCPCluster`; others are your own machines), its region (`spec.region`; Azure's `spec.location`) and its failure domains (the zones; the control plane's are those marked `controlPlane: true`)",
        "the control plane from the KubeadmControlPlane (or `topology.controlPlane`): `replicas` (default 1), stacked etcd unless `etcd.external.endpoints` is set, the machine template's `instanceType` or `vmSize`, taints and leader election; a managed control plane (`AWSManagedControlPlane`, …) is the provider's. Cluster API's own check, cited: an even stacked control plane (`cluster-api-even-stacked-control-plane`)",
        "one worker pool per MachineDeployment or MachinePool of the cluster (or `topology.workers`): `replicas` (default 1, or the autoscaler's minimum), `failureDomain`, instance type",
        "the network: `clusterNetwork.pods` and `services` (the first block of each; the service default 10.96.0.0/12)",
    ],
    example: "cluster-api.yaml",
    example_flags: &["--purpose", "production", "--var", "CONTROL_PLANE_MACHINE_COUNT=2"],
};

/// A reference's kind and name (v1beta1 `{apiVersion, kind, name}`, v1beta2
/// `{apiGroup, kind, name}`).
fn reference(r: Option<At>) -> Option<(String, String)> {
    let r = r?;
    Some((r.get("kind")?.text()?, r.get("name")?.text()?))
}

/// The documents of a file, found by kind and name.
struct Docs<'a> {
    all: &'a [At<'a>],
    /// Whether the file holds one cluster: a reference that names nothing
    /// here may then mean the only document of its kind.
    only: bool,
}

impl<'a> Docs<'a> {
    fn named(&self, kind: &str, name: &str) -> Option<&'a At<'a>> {
        self.all
            .iter()
            .find(|r| r.kind() == Some(kind) && r.name() == Some(name))
    }

    /// The document a reference names, else (one cluster) the only one of its kind.
    fn referenced(&self, kind: &str, name: &str) -> Option<&'a At<'a>> {
        self.named(kind, name).or_else(|| match self.only {
            true => self.all.iter().find(|r| r.kind() == Some(kind)),
            false => None,
        })
    }
}

fn import(_: &Arc<Source>, docs: &[Spanned<Node>], c: &Catalog) -> Result<Read, LoadError> {
    let roots: Vec<At> = docs.iter().map(At::root).collect();
    let clusters: Vec<&At> = roots
        .iter()
        .filter(|r| {
            r.kind() == Some("Cluster")
                && r.api_version().is_some_and(|a| a.starts_with("cluster.x-k8s.io/"))
        })
        .collect();
    let kcps = roots.iter().any(|r| r.kind() == Some("KubeadmControlPlane"));
    if clusters.is_empty() && !kcps {
        let first = roots.iter().find(|r| r.kind().is_some());
        let kinds: Vec<&str> = roots.iter().filter_map(|r| r.kind()).collect();
        return Ok(Read::Nothing {
            pos: first
                .and_then(|f| f.get("kind"))
                .map_or(Pos::START, |k| k.pos),
            message: format!(
                "Cluster API {} and no Cluster: they describe no cluster until a Cluster uses them",
                kinds.join(", ")
            ),
        });
    }
    let docs = Docs {
        all: &roots,
        only: clusters.len() <= 1,
    };
    let mut out = Vec::new();
    if clusters.is_empty() {
        out.push(cluster(None, &docs, c));
    }
    for cl in clusters {
        out.push(cluster(Some(cl), &docs, c));
    }
    Ok(Read::Plans(out))
}

/// A whole number from a field, its default when absent, or None (with
/// the variable reported) when it is still `${VAR}`.
fn count(
    imp: &mut Imported,
    at: Option<At>,
    default: u32,
    fact: Fact,
    what: &str,
    plan_field: &str,
) -> Option<u32> {
    let Some(at) = at else {
        return Some(default);
    };
    imp.from(plan_field, at.spot());
    if let Some(var) = at.unrendered() {
        imp.unrendered(&at, var, fact, what);
        return None;
    }
    if let Some(n) = at.u32() {
        return Some(n);
    }
    imp.invalid(
        &at,
        format!(
            "{what} `{}` is not a whole number",
            at.text().unwrap_or_default()
        ),
        "a count of machines, such as 3",
    );
    imp.unknown(fact, format!("{what} is not a number"));
    None
}

fn cluster(cl: Option<&At>, docs: &Docs, c: &Catalog) -> Imported {
    let d = &c.kubernetes.installer_defaults.cluster_api;
    let mut imp = plan(cl);
    let spec = cl.and_then(|x| x.get("spec"));
    let infra = platform(spec.as_ref(), &mut imp);
    let cp_domains = failure_domains(&mut imp, infra.as_ref(), docs);
    region::read(&mut imp, infra.as_ref(), docs);
    let cp_ref = reference(spec.as_ref().and_then(|s| s.get("controlPlaneRef")));
    let mut mask = None;
    match cp_ref.as_ref().filter(|(k, _)| k.contains("Managed")) {
        Some((kind, _)) => {
            imp.plan.spec.control_plane.managed = true;
            imp.plan.spec.control_plane.nodes = Some(0);
            imp.note(format!("the control plane is the provider's ({kind})"));
        }
        None => {
            mask = control_plane(&mut imp, spec.as_ref(), cp_ref.as_ref(), docs, c, d);
            api(&mut imp, spec.as_ref(), infra.as_ref());
            if !cp_domains.is_empty() {
                imp.plan.spec.control_plane.zones = cp_domains;
            }
        }
    }
    workers::workers(&mut imp, cl, spec.as_ref(), docs, c, d);
    if imp.plan.spec.workers.is_empty() {
        imp.unknown(
            Fact::Workers,
            "no MachineDeployment or MachinePool of this cluster is in the file",
        );
    }
    network(&mut imp, spec.as_ref(), d, mask);
    imp
}

/// A Cluster API plan named after the Cluster (`cluster` while its name
/// is a variable, which is reported).
fn plan(cl: Option<&At>) -> Imported {
    let top = cl.and_then(|x| x.get("kind")).map_or(Pos::START, |k| k.pos);
    let name_at = cl.and_then(|x| x.at("metadata.name"));
    let raw_name = name_at.as_ref().and_then(|n| n.str()).unwrap_or_default();
    let name = match raw_name.is_empty() || raw_name.contains("${") {
        true => "cluster".to_string(),
        false => plan_name(raw_name),
    };
    let mut imp = Imported::new(&SPEC, name, Spot::new(top, "kind"));
    if let Some(n) = &name_at {
        imp.from("metadata.name", n.spot());
        if let Some(var) = n.unrendered() {
            imp.issue(
                IssueKind::Unrendered,
                &n.spot(),
                format!("the cluster's name is `${{{var}}}`, a template variable with no value"),
                format!("pass --var {var}=NAME (the plan is called `cluster` until then)"),
            );
        }
    }
    imp.plan.spec.tooling = Some(Tooling::ClusterApi);
    imp.unknown(
        Fact::Storage,
        "storage classes are installed in the workload cluster, not by Cluster API",
    );
    imp
}

/// The platform from the infrastructure cluster's kind; returns its
/// reference.
fn platform(spec: Option<&At>, imp: &mut Imported) -> Option<(String, String)> {
    let infra = reference(spec.and_then(|s| s.get("infrastructureRef")));
    let kind = infra.as_ref().map_or("", |(k, _)| k.as_str());
    let cloud = Platform::ALL
        .iter()
        .copied()
        .find(|p| p.cluster_api_prefix().is_some_and(|pre| kind.starts_with(pre)));
    let platform = cloud.unwrap_or_else(own_machines);
    imp.plan.spec.platform = platform;
    if cloud.is_none() {
        imp.note(match kind.is_empty() {
            true => "the infrastructure is not named in the file (a ClusterClass's): the plan says on-prem".to_string(),
            false => format!("infrastructure {kind}: kubeplan treats its machines as your own (on-prem)"),
        });
    }
    infra
}

/// What serves the API: a cloud's load balancer, or on your own machines
/// the infrastructure provider's endpoint, which the manifests do not show.
fn api(imp: &mut Imported, spec: Option<&At>, infra: Option<&(String, String)>) {
    if imp.plan.spec.platform.cloud() {
        imp.plan.spec.api_load_balancer = Some(ApiLoadBalancer::cloud());
        if let Some(r) = spec.and_then(|s| s.get("infrastructureRef")) {
            imp.from("spec.apiLoadBalancer", r.spot());
        }
        return;
    }
    let provider = match infra {
        Some((kind, _)) if !kind.is_empty() => format!(" ({kind})"),
        _ => String::new(),
    };
    imp.unknown(
        Fact::LoadBalancer,
        format!("the infrastructure provider{provider} serves the control-plane endpoint; the manifests do not say how"),
    );
}

/// The infrastructure cluster's failure domains (v1beta1 a map of name to
/// `{controlPlane}`, v1beta2 a list of `{name, controlPlane}`): they become
/// the plan's zones, and the ones marked `controlPlane: true` the control
/// plane's, which KubeadmControlPlane spreads its machines over. Returns
/// the control plane's; with none listed, the zones are unknown.
fn failure_domains(
    imp: &mut Imported,
    infra: Option<&(String, String)>,
    docs: &Docs,
) -> Vec<String> {
    let doc = infra.and_then(|(kind, name)| docs.referenced(kind, name));
    let Some(list) = doc.and_then(|d| d.at("spec.failureDomains")) else {
        imp.unknown(
            Fact::Zones,
            match doc {
                Some(_) => "the infrastructure cluster lists no failure domains",
                None => "Cluster API spreads the control plane over the infrastructure's failure domains, which the manifests do not list",
            },
        );
        return Vec::new();
    };
    let entries: Vec<(String, Option<At>)> = match list.is_map() {
        true => list
            .entries()
            .into_iter()
            .map(|(name, v)| (name, v.get("controlPlane")))
            .collect(),
        false => list
            .items()
            .into_iter()
            .filter_map(|i| Some((i.get("name")?.text()?, i.get("controlPlane"))))
            .collect(),
    };
    let entries: Vec<(String, bool)> = entries
        .into_iter()
        .filter(|(name, _)| !name.contains("${"))
        .map(|(name, cp)| (name, cp.and_then(|c| c.bool()).unwrap_or(false)))
        .collect();
    if entries.is_empty() {
        imp.unknown(
            Fact::Zones,
            "the infrastructure cluster lists no failure domains",
        );
        return Vec::new();
    }
    imp.plan.spec.zones = entries.iter().map(|(n, _)| n.clone()).collect();
    imp.from("spec.zones", list.spot());
    imp.from("spec.controlPlane.zones", list.spot());
    entries
        .into_iter()
        .filter(|(_, cp)| *cp)
        .map(|(n, _)| n)
        .collect()
}

/// The control plane: its KubeadmControlPlane (or topology), replicas,
/// etcd, the kubeadm configuration's settings and its machines. Returns
/// the node CIDR mask the controller manager is given.
fn control_plane(
    imp: &mut Imported,
    spec: Option<&At>,
    cp_ref: Option<&(String, String)>,
    docs: &Docs,
    c: &Catalog,
    d: &ClusterApiDefaults,
) -> Option<u8> {
    let kcp = match cp_ref {
        Some((kind, name)) => docs.named(kind, name),
        None if docs.only => docs.all.iter().find(|r| r.kind() == Some("KubeadmControlPlane")),
        None => None,
    };
    let topology = spec.and_then(|s| s.at("topology.controlPlane"));
    let (replicas_at, cfg) = match (kcp, &topology) {
        (Some(k), _) => (
            k.at("spec.replicas"),
            k.at("spec.kubeadmConfigSpec.clusterConfiguration"),
        ),
        (None, Some(t)) => (t.get("replicas"), None),
        (None, None) => {
            let why = "the Cluster's control plane is not in the file";
            imp.unknown(Fact::ControlPlane, why);
            imp.unknown(Fact::Etcd, why);
            imp.size_unknown(Slot::ControlPlane, why);
            return None;
        }
    };
    let nodes = count(
        imp,
        replicas_at.clone(),
        d.control_plane_replicas,
        Fact::ControlPlane,
        "the control plane's replicas",
        "spec.controlPlane.nodes",
    );
    imp.plan.spec.control_plane.nodes = Some(nodes.unwrap_or(d.control_plane_replicas));
    if kcp.is_none() {
        imp.note("the control plane's configuration is in its ClusterClass, which the file does not hold: etcd is taken to be stacked");
    }
    let replicas_at = replicas_at.or_else(|| kcp.cloned()).or(topology);
    etcd(imp, cfg.as_ref(), nodes, replicas_at);
    let mask = cfg.as_ref().and_then(|cfg| kubeadm_settings(imp, cfg));
    schedulable_from(
        kcp.and_then(|k| k.at("spec.kubeadmConfigSpec.initConfiguration.nodeRegistration"))
            .as_ref(),
        imp,
    );
    // The machines: the KubeadmControlPlane's infrastructure template.
    let template = kcp.and_then(|k| {
        reference(k.at("spec.machineTemplate.infrastructureRef"))
            .or_else(|| reference(k.at("spec.machineTemplate.spec.infrastructureRef")))
    });
    let m = machine_of(imp, template.as_ref(), docs, c, Slot::ControlPlane);
    imp.plan.spec.control_plane.machine = m.map(|(m, _, _)| m);
    mask
}

/// etcd: external endpoints in the kubeadm configuration, else stacked
/// (one member per control-plane machine), whose replicas the
/// KubeadmControlPlane webhook wants odd
/// (controlplane/kubeadm/webhooks/admission/kubeadmcontrolplane.go).
fn etcd(imp: &mut Imported, cfg: Option<&At>, nodes: Option<u32>, replicas_at: Option<At>) {
    if let Some(ep) = cfg.and_then(|c| c.at("etcd.external.endpoints")) {
        imp.external_etcd(ep.items().len() as u32, ep.spot());
        return;
    }
    imp.stacked_etcd(None);
    match nodes {
        None => imp.unknown(
            Fact::Etcd,
            "stacked etcd follows the control plane's replicas, which are unrendered",
        ),
        Some(n) if n % 2 == 0 => {
            if let Some(at) = replicas_at {
                imp.refused(
                    RuleRef::ClusterApiEvenStackedControlPlane,
                    &at.spot(),
                    format!("the KubeadmControlPlane webhook refuses {n} replicas: \"cannot be an even number when etcd is stacked\""),
                    "use an odd number of control-plane replicas: 3 (tolerates 1 failure) or 5",
                );
            }
        }
        Some(_) => {}
    }
}

/// The kubeadm configuration's leader election and node CIDR mask.
fn kubeadm_settings(imp: &mut Imported, cfg: &At) -> Option<u8> {
    leader_election_from(Some(cfg), imp);
    let cm = cfg.get("controllerManager");
    let m = extra_arg(cm.as_ref(), "node-cidr-mask-size-ipv4")
        .or_else(|| extra_arg(cm.as_ref(), "node-cidr-mask-size"))?;
    imp.from("spec.network.nodeCIDRMaskSize", m.spot());
    m.int().and_then(|v| u8::try_from(v).ok())
}

/// A machine template's size from the platform's catalog: AWS and GCP's
/// `instanceType`, Azure's `vmSize`. None (the slot unknown) otherwise.
fn machine_of(
    imp: &mut Imported,
    template: Option<&(String, String)>,
    docs: &Docs,
    c: &Catalog,
    slot: Slot,
) -> Option<(Machine, String, Arch)> {
    let instance = template.and_then(|(kind, name)| {
        let inner = docs.named(kind, name)?.at("spec.template.spec")?;
        inner.get("instanceType").or_else(|| inner.get("vmSize"))
    });
    if let Some(name) = instance.as_ref().and_then(|t| t.str()) {
        let (m, arch) = imp.sized(c, name, slot)?;
        return Some((m, name.to_string(), arch));
    }
    let why = match template {
        Some((kind, _)) => format!("{kind} does not give an instance type kubeplan knows"),
        None => "the machine templates are not in the file".to_string(),
    };
    imp.size_unknown(slot, why);
    None
}

fn network(imp: &mut Imported, spec: Option<&At>, d: &ClusterApiDefaults, mask: Option<u8>) {
    let net = spec.and_then(|s| s.get("clusterNetwork"));
    // Absent: the default. `${VAR}` (the list, or its first block): not known.
    let block = |imp: &mut Imported, key: &str| -> Result<Option<String>, ()> {
        let Some(at) = net
            .as_ref()
            .and_then(|n| n.at(&format!("{key}.cidrBlocks")))
        else {
            return Ok(None);
        };
        let first = at.items().into_iter().next();
        let var = at.unrendered().map(|v| (v, at.clone())).or_else(|| {
            let f = first.clone()?;
            f.unrendered().map(|v| (v, f))
        });
        if let Some((var, at)) = var {
            let list = match at.path().ends_with(']') {
                true => "CIDR",
                false => "[\"CIDR\"]",
            };
            imp.issue(
                IssueKind::Unrendered,
                &at.spot(),
                format!("clusterNetwork.{key}.cidrBlocks is `${{{var}}}`, a template variable with no value"),
                format!("pass --var {var}='{list}' (as clusterctl takes it)"),
            );
            return Err(());
        }
        let Some(first) = first else { return Ok(None) };
        imp.from(
            match key {
                "pods" => "spec.network.podCIDR",
                _ => "spec.network.serviceCIDR",
            },
            first.spot(),
        );
        Ok(first.str().map(str::to_string))
    };
    let pod = block(imp, "pods").unwrap_or(None);
    let service = match block(imp, "services") {
        Ok(s) => s.unwrap_or_else(|| d.service_cidr.to_string()),
        Err(()) => {
            imp.note("the service CIDR is an unrendered variable: the plan has no network until it is rendered");
            return;
        }
    };
    imp.plan.spec.network = Some(Network {
        pod_cidr: pod,
        service_cidr: service,
        node_cidr_mask_size: mask,
        vpc_cidr: None,
        subnets: Vec::new(),
    });
}
