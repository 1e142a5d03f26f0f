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

use serde_saphyr::Spanned;

use super::kubeadm::{extra_arg, leader_election_from, schedulable_from};
use super::tree::At;
use super::{plan_name, Format, Imported, Read, Slot};
use crate::catalog::Catalog;
use crate::plan::node::{Node, Pos};
use crate::plan::origin::Spot;
use crate::plan::schema::{Issue, IssueKind};
use crate::plan::{
    ApiLoadBalancer, Arch, Etcd, EtcdTopology, Fact, Machine, Network, Os, Platform, Tooling,
    WorkerPool,
};

/// What `docs/import.md` says of Cluster API files.
pub(super) const ABOUT: super::About = super::About {
    title: "Cluster API",
    detected: "`apiVersion: cluster.x-k8s.io/v1beta1` or `v1beta2` (and the other `*.cluster.x-k8s.io` groups); one plan per `kind: Cluster`; ClusterClasses and templates without a Cluster describe no cluster, and say so",
    reads: &[
        "clusterctl's `${VAR}`, `${VAR:=default}` and `${VAR:-default}`: `--var NAME=VALUE` renders them as clusterctl would; a value left unrendered is reported where it stands (`input-unrendered-variable`) and the fact it held is unknown",
        "the platform from the infrastructure kind (`AWSCluster`, `AzureCluster`, `GCPCluster`; others are your own machines) and its failure domains (the zones; the control plane's are those marked `controlPlane: true`)",
        "the control plane from the KubeadmControlPlane (or `topology.controlPlane`): `replicas` (default 1), stacked etcd unless `etcd.external.endpoints` is set, the machine template's `instanceType` or `vmSize`, taints and leader election; a managed control plane (`AWSManagedControlPlane`, …) is the provider's. Cluster API's own check, cited: an even stacked control plane (`cluster-api-even-stacked-control-plane`)",
        "one worker pool per MachineDeployment or MachinePool of the cluster (or `topology.workers`): `replicas` (default 1, or the autoscaler's minimum), `failureDomain`, instance type",
        "the network: `clusterNetwork.pods` and `services` (the first block of each; the service default 10.96.0.0/12)",
    ],
    example: "cluster-api.yaml",
    example_flags: &["--purpose", "production", "--var", "CONTROL_PLANE_MACHINE_COUNT=2"],
};

/// The id of the rule for the KubeadmControlPlane webhook's odd-replicas check.
pub const EVEN_STACKED: &str = "cluster-api-even-stacked-control-plane";

/// The autoscaler's min-size annotation (the MachineDeployment webhook's default).
const MIN_SIZE: &str = "cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size";

fn kind_of(r: &At) -> Option<String> {
    r.get("kind").and_then(|k| k.str().map(str::to_string))
}

fn name_of(r: &At) -> Option<String> {
    r.at("metadata.name")
        .and_then(|n| n.str().map(str::to_string))
}

/// A reference's kind and name (v1beta1 `{apiVersion, kind, name}`, v1beta2
/// `{apiGroup, kind, name}`).
fn reference(r: Option<At>) -> Option<(String, String)> {
    let r = r?;
    Some((r.get("kind")?.text()?, r.get("name")?.text()?))
}

pub(super) fn import(docs: &[Spanned<Node>], c: &Catalog) -> Read {
    let roots: Vec<At> = docs.iter().map(At::root).collect();
    let clusters: Vec<&At> = roots
        .iter()
        .filter(|r| {
            kind_of(r).as_deref() == Some("Cluster")
                && r.get("apiVersion")
                    .and_then(|a| a.str())
                    .is_some_and(|a| a.starts_with("cluster.x-k8s.io/"))
        })
        .collect();
    let kcps: Vec<&At> = roots
        .iter()
        .filter(|r| kind_of(r).as_deref() == Some("KubeadmControlPlane"))
        .collect();
    if clusters.is_empty() && kcps.is_empty() {
        let first = roots.iter().find(|r| kind_of(r).is_some());
        let kinds: Vec<String> = roots.iter().filter_map(kind_of).collect();
        return Read::Nothing {
            pos: first
                .and_then(|f| f.get("kind"))
                .map_or(Pos { line: 1, column: 1 }, |k| k.pos),
            message: format!(
                "Cluster API {} and no Cluster: they describe no cluster until a Cluster uses them",
                kinds.join(", ")
            ),
        };
    }
    let mut out = Vec::new();
    if clusters.is_empty() {
        out.push(cluster(None, &roots, c, true));
    }
    let only = clusters.len() == 1;
    for cl in clusters {
        out.push(cluster(Some(cl), &roots, c, only));
    }
    Read::Plans(out)
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
    match at.int().and_then(|v| u32::try_from(v).ok()) {
        Some(n) => Some(n),
        None => {
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
    }
}

fn cluster(cl: Option<&At>, all: &[At], c: &Catalog, only: bool) -> Imported {
    let d = &c.kubernetes.installer_defaults.cluster_api;
    let top = cl
        .and_then(|x| x.get("kind"))
        .map_or(Pos { line: 1, column: 1 }, |k| k.pos);
    let name_at = cl.and_then(|x| x.at("metadata.name"));
    let raw_name = name_at
        .as_ref()
        .and_then(|n| n.str().map(str::to_string))
        .unwrap_or_default();
    let name = match name_at.as_ref().and_then(|n| n.unrendered()) {
        Some(_) | None if raw_name.is_empty() || raw_name.contains("${") => "cluster".to_string(),
        _ => plan_name(&raw_name),
    };
    let mut imp = Imported::new(Format::ClusterApi, name, Spot::new(top, "kind"));
    if let Some(n) = &name_at {
        imp.from("metadata.name", n.spot());
        if let Some(var) = n.unrendered() {
            imp.issues.push(Issue {
                kind: IssueKind::Unrendered,
                field: n.path().to_string(),
                pos: n.pos,
                message: format!(
                    "the cluster's name is `${{{var}}}`, a template variable with no value"
                ),
                help: format!("pass --var {var}=NAME (the plan is called `cluster` until then)"),
            });
        }
    }
    imp.plan.spec.tooling = Some(Tooling::ClusterApi);
    imp.unknown(
        Fact::Storage,
        "storage classes are installed in the workload cluster, not by Cluster API",
    );
    let spec = cl.and_then(|x| x.get("spec"));

    // The infrastructure decides the platform and what serves the API.
    let infra = reference(spec.as_ref().and_then(|s| s.get("infrastructureRef")));
    let infra_kind = infra.as_ref().map(|(k, _)| k.clone()).unwrap_or_default();
    let platform = match infra_kind.as_str() {
        k if k.starts_with("AWS") => Platform::Aws,
        k if k.starts_with("Azure") => Platform::Azure,
        k if k.starts_with("GCP") => Platform::Gcp,
        _ => Platform::OnPrem,
    };
    imp.plan.spec.platform = platform;
    if platform == Platform::OnPrem {
        imp.note(match infra_kind.is_empty() {
            true => "the infrastructure is not named in the file (a ClusterClass's): the plan says on-prem".to_string(),
            false => format!("infrastructure {infra_kind}: kubeplan treats its machines as your own (on-prem)"),
        });
    }
    let cp_domains = failure_domains(&mut imp, infra.as_ref(), all, only);
    let cp_ref = reference(spec.as_ref().and_then(|s| s.get("controlPlaneRef")));
    let managed = cp_ref.as_ref().is_some_and(|(k, _)| k.contains("Managed"));
    let mut mask = None;
    if managed {
        imp.plan.spec.control_plane.managed = true;
        imp.plan.spec.control_plane.nodes = Some(0);
        imp.note(format!(
            "the control plane is the provider's ({})",
            cp_ref.as_ref().map_or("", |(k, _)| k.as_str())
        ));
    } else {
        mask = control_plane(&mut imp, spec.as_ref(), cp_ref.as_ref(), all, c, d, only);
        match platform {
            Platform::OnPrem => imp.unknown(
                Fact::LoadBalancer,
                format!(
                    "the infrastructure provider{} serves the control-plane endpoint; the manifests do not say how",
                    match infra_kind.is_empty() {
                        true => String::new(),
                        false => format!(" ({infra_kind})"),
                    }
                ),
            ),
            _ => {
                imp.plan.spec.api_load_balancer = Some(ApiLoadBalancer::cloud());
                if let Some(r) = spec.as_ref().and_then(|s| s.get("infrastructureRef")) {
                    imp.from("spec.apiLoadBalancer", r.spot());
                }
            }
        }
    }
    if !managed && !cp_domains.is_empty() {
        imp.plan.spec.control_plane.zones = cp_domains;
    }
    workers(&mut imp, cl, spec.as_ref(), all, c, d, only);
    if imp.plan.spec.workers.is_empty() {
        imp.unknown(
            Fact::Workers,
            "no MachineDeployment or MachinePool of this cluster is in the file",
        );
    }
    network(&mut imp, spec.as_ref(), d, mask);
    imp
}

/// The infrastructure cluster's failure domains (v1beta1 a map of name to
/// `{controlPlane}`, v1beta2 a list of `{name, controlPlane}`): they become
/// the plan's zones, and the ones marked `controlPlane: true` the control
/// plane's, which KubeadmControlPlane spreads its machines over. Returns
/// the control plane's; with none listed, the zones are unknown.
fn failure_domains(
    imp: &mut Imported,
    infra: Option<&(String, String)>,
    all: &[At],
    only: bool,
) -> Vec<String> {
    let doc = infra.and_then(|(kind, name)| {
        all.iter()
            .find(|r| kind_of(r).as_deref() == Some(kind) && name_of(r).as_deref() == Some(name))
            .or_else(|| match only {
                true => all.iter().find(|r| kind_of(r).as_deref() == Some(kind)),
                false => None,
            })
    });
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

#[allow(clippy::too_many_arguments)]
fn control_plane(
    imp: &mut Imported,
    spec: Option<&At>,
    cp_ref: Option<&(String, String)>,
    all: &[At],
    c: &Catalog,
    d: &crate::catalog::ClusterApiDefaults,
    only: bool,
) -> Option<u8> {
    let kcp = match cp_ref {
        Some((kind, name)) => all
            .iter()
            .find(|r| kind_of(r).as_deref() == Some(kind) && name_of(r).as_deref() == Some(name)),
        None if only => all
            .iter()
            .find(|r| kind_of(r).as_deref() == Some("KubeadmControlPlane")),
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
            imp.unknown(
                Fact::ControlPlane,
                "the Cluster's control plane is not in the file",
            );
            imp.unknown(Fact::Etcd, "the Cluster's control plane is not in the file");
            imp.unknown(
                Fact::Machines,
                "the Cluster's control plane is not in the file",
            );
            imp.slots.push(Slot::ControlPlane);
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
    if kcp.is_none() && topology.is_some() {
        imp.note("the control plane's configuration is in its ClusterClass, which the file does not hold: etcd is taken to be stacked");
    }
    // etcd: external endpoints in the kubeadm configuration, else stacked
    // (one member per control-plane machine).
    let external = cfg.as_ref().and_then(|c| c.at("etcd.external.endpoints"));
    match &external {
        Some(ep) => {
            imp.plan.spec.etcd = Some(Etcd {
                topology: Some(EtcdTopology::External),
                members: Some(ep.items().len() as u32),
                zones: Vec::new(),
                machine: None,
            });
            imp.from("spec.etcd.members", ep.spot());
            imp.slots.push(Slot::Etcd);
        }
        None => {
            imp.plan.spec.etcd = Some(Etcd {
                topology: Some(EtcdTopology::Stacked),
                members: None,
                zones: Vec::new(),
                machine: None,
            });
            match nodes {
                None => imp.unknown(
                    Fact::Etcd,
                    "stacked etcd follows the control plane's replicas, which are unrendered",
                ),
                Some(n) if n % 2 == 0 => {
                    // controlplane/kubeadm/webhooks/admission/kubeadmcontrolplane.go.
                    let at = replicas_at
                        .clone()
                        .or_else(|| kcp.cloned())
                        .or(topology.clone());
                    if let Some(at) = at {
                        imp.issues.push(Issue {
                            kind: IssueKind::Installer(EVEN_STACKED),
                            field: at.path().to_string(),
                            pos: at.pos,
                            message: format!("the KubeadmControlPlane webhook refuses {n} replicas: \"cannot be an even number when etcd is stacked\""),
                            help: "use an odd number of control-plane replicas: 3 (tolerates 1 failure) or 5".into(),
                        });
                    }
                }
                Some(_) => {}
            }
        }
    }
    let mut mask = None;
    if let Some(cfg) = &cfg {
        leader_election_from(Some(cfg), imp);
        let cm = cfg.get("controllerManager");
        let at = extra_arg(cm.as_ref(), "node-cidr-mask-size-ipv4")
            .or_else(|| extra_arg(cm.as_ref(), "node-cidr-mask-size"));
        if let Some(m) = at {
            imp.from("spec.network.nodeCIDRMaskSize", m.spot());
            mask = m.int().and_then(|v| u8::try_from(v).ok());
        }
    }
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
    let m = machine_of(imp, template.as_ref(), all, c, Slot::ControlPlane);
    imp.plan.spec.control_plane.machine = m.map(|(m, _, _)| m);
    mask
}

/// A machine template's size from the platform's catalog: AWS and GCP's
/// `instanceType`, Azure's `vmSize`. None (the slot unknown) otherwise.
fn machine_of(
    imp: &mut Imported,
    template: Option<&(String, String)>,
    all: &[At],
    c: &Catalog,
    slot: Slot,
) -> Option<(Machine, String, Arch)> {
    let found = template.and_then(|(kind, name)| {
        let doc = all
            .iter()
            .find(|r| kind_of(r).as_deref() == Some(kind) && name_of(r).as_deref() == Some(name))?;
        let inner = doc.at("spec.template.spec")?;
        let t = inner.get("instanceType").or_else(|| inner.get("vmSize"))?;
        Some((kind.clone(), t))
    });
    let platform = imp.plan.spec.platform;
    if let Some((_, t)) = &found {
        if let Some(name) = t.str() {
            if let Some(k) = c.instance(platform, name) {
                return Some((
                    Machine {
                        cpu: k.cpu,
                        memory_gib: k.memory_gib,
                        disk_gib: None,
                        disk: None,
                    },
                    name.to_string(),
                    k.arch,
                ));
            }
            imp.slots.push(slot);
            imp.unknown_type(platform, name);
            return None;
        }
    }
    imp.slots.push(slot);
    let why = match template {
        Some((kind, _)) => format!("{kind} does not give an instance type kubeplan knows"),
        None => "the machine templates are not in the file".to_string(),
    };
    imp.unknown(Fact::Machines, why);
    None
}

/// A MachineDeployment, MachinePool or topology worker entry.
struct Workers<'a> {
    name: String,
    replicas: Option<At<'a>>,
    default: u32,
    domains: Vec<String>,
    domains_at: Option<At<'a>>,
    template: Option<(String, String)>,
    at: At<'a>,
}

fn workers(
    imp: &mut Imported,
    cl: Option<&At>,
    spec: Option<&At>,
    all: &[At],
    c: &Catalog,
    d: &crate::catalog::ClusterApiDefaults,
    only: bool,
) {
    let cluster = cl.and_then(name_of);
    // (name, replicas field, default, failure domains field, template)
    let mut groups: Vec<Workers> = Vec::new();
    if let Some(t) = spec.and_then(|s| s.at("topology.workers")) {
        for key in ["machineDeployments", "machinePools"] {
            for w in t.get(key).map(|l| l.items()).unwrap_or_default() {
                let name = w
                    .get("name")
                    .and_then(|n| n.text())
                    .unwrap_or_else(|| key.to_string());
                let fd_at = w.get("failureDomain");
                let fds = fd_at.as_ref().map(|f| f.strings()).unwrap_or_default();
                groups.push(Workers {
                    name,
                    replicas: w.get("replicas"),
                    default: d.machine_deployment_replicas,
                    domains: fds,
                    domains_at: fd_at,
                    template: None,
                    at: w.clone(),
                });
            }
        }
    }
    for r in all {
        let kind = kind_of(r);
        if !matches!(kind.as_deref(), Some("MachineDeployment" | "MachinePool")) {
            continue;
        }
        let owner = r
            .at("spec.clusterName")
            .and_then(|n| n.str().map(str::to_string));
        let mine = match (&owner, &cluster) {
            (Some(o), Some(c)) => o == c,
            _ => only,
        };
        if !mine {
            continue;
        }
        let default = r
            .at("metadata.annotations")
            .and_then(|a| a.get(MIN_SIZE))
            .and_then(|m| m.int())
            .and_then(|m| u32::try_from(m).ok())
            .unwrap_or(d.machine_deployment_replicas);
        let fd_at = r
            .at("spec.template.spec.failureDomain")
            .or_else(|| r.at("spec.failureDomains"));
        let fds = fd_at.as_ref().map(|f| f.strings()).unwrap_or_default();
        let template = reference(r.at("spec.template.spec.infrastructureRef"));
        let name = name_of(r).unwrap_or_else(|| "workers".into());
        groups.push(Workers {
            name,
            replicas: r.at("spec.replicas"),
            default,
            domains: fds,
            domains_at: fd_at,
            template,
            at: r.clone(),
        });
    }
    let mut names: Vec<String> = Vec::new();
    for Workers {
        name: raw,
        replicas,
        default,
        domains: fds,
        domains_at: fd_at,
        template,
        at,
    } in groups
    {
        let i = imp.plan.spec.workers.len();
        let base = format!("spec.workers[{i}]");
        // Named where its name is (a topology entry's `name`, a
        // MachineDeployment's `metadata.name`).
        let here = at
            .get("name")
            .or_else(|| at.at("metadata.name"))
            .unwrap_or(at.clone());
        imp.from(base.clone(), here.spot());
        let nodes = count(
            imp,
            replicas,
            default,
            Fact::Workers,
            &format!("`{raw}`'s replicas"),
            &format!("{base}.nodes"),
        );
        let mut name = match raw.contains("${") {
            true => format!("workers-{}", i + 1),
            false => plan_name(&raw),
        };
        while names.contains(&name) {
            name = format!("{name}-{}", i + 1);
        }
        names.push(name.clone());
        if let Some(f) = &fd_at {
            imp.from(format!("{base}.zones"), f.spot());
        }
        let m = machine_of(imp, template.as_ref(), all, c, Slot::Pool(name.clone()));
        let (machine, instance, arch) = match m {
            Some((m, t, a)) => (m, Some(t), a),
            None => (Machine::stand_in(), None, Arch::Amd64),
        };
        imp.plan.spec.workers.push(WorkerPool {
            name,
            nodes: nodes.unwrap_or(default),
            zones: fds.into_iter().filter(|f| !f.contains("${")).collect(),
            machine,
            instance_type: instance,
            max_pods: None,
            os: Os::Linux,
            arch,
            taints: Vec::new(),
        });
    }
}

fn network(
    imp: &mut Imported,
    spec: Option<&At>,
    d: &crate::catalog::ClusterApiDefaults,
    mask: Option<u8>,
) {
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
            imp.issues.push(Issue {
                kind: IssueKind::Unrendered,
                field: at.path().to_string(),
                pos: at.pos,
                message: format!("clusterNetwork.{key}.cidrBlocks is `${{{var}}}`, a template variable with no value"),
                help: format!("pass --var {var}='{list}' (as clusterctl takes it)"),
            });
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
