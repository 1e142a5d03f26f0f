//! kubeadm `kubeadm.k8s.io/v1beta3` and `v1beta4` configurations
//! (InitConfiguration, ClusterConfiguration, JoinConfiguration, beside a
//! KubeletConfiguration) → a kubeadm plan: etcd local (stacked) or
//! external with its endpoints, the control-plane endpoint, the pod and
//! service subnets, leader election from the controller-manager's and
//! scheduler's extra arguments (v1beta3's map or v1beta4's `{name, value}`
//! list), and whether the control plane takes workloads. A kubeadm
//! configuration sets up one node at a time: how many nodes join, their
//! machines and zones are not in it.

use std::sync::Arc;

use serde_saphyr::Spanned;

use super::tree::At;
use super::{plan_name, About, Imported, Read, Slot, Spec};
use crate::catalog::Catalog;
use crate::plan::load::{LoadError, Source};
use crate::plan::node::{Node, Pos};
use crate::plan::origin::Spot;
use crate::plan::{Fact, Network, RuleRef, Tooling};

pub(super) const SPEC: Spec = Spec {
    what: "kubeadm configuration",
    plural: "kubeadm configurations",
    groups: &["kubeadm.k8s.io"],
    versions: &["v1beta3", "v1beta4"],
    advice: "kubeadm v1.27 and newer no longer read older versions; `kubeadm config migrate` converts them",
    provider_groups: false,
    syntax: "",
    detect: None,
    about: ABOUT,
    import,
};

/// What `docs/import.md` says of kubeadm files.
const ABOUT: About = About {
    title: "kubeadm",
    detected: "`apiVersion: kubeadm.k8s.io/v1beta3` or `v1beta4` (older versions are refused: kubeadm v1.27 and newer no longer read them); a file with only a JoinConfiguration (or a Reset or Upgrade configuration) acts on a node of a cluster another file describes, and says so",
    reads: &[
        "the tool (kubeadm) on your own machines (on-prem)",
        "etcd: `etcd.local` is stacked (one member per control-plane node), `etcd.external.endpoints` is external with one member per endpoint",
        "`controlPlaneEndpoint`: a stable address for the API servers (what serves it is not in the file); without one, kubeadm refuses to join a second control-plane node (`kubeadm-no-control-plane-endpoint`, when the file holds a control-plane JoinConfiguration)",
        "the network: `networking.podSubnet` and `serviceSubnet` (kubeadm's default 10.96.0.0/12), the first range of a dual-stack pair; `node-cidr-mask-size` from the controller manager's `extraArgs`",
        "leader election from the controller manager's and scheduler's `extraArgs` (v1beta3's map or v1beta4's `{name, value}` list)",
        "whether the control plane takes workloads, from the InitConfiguration's `nodeRegistration.taints`",
        "not in the file: a kubeadm configuration sets up one node at a time, so how many control-plane and worker nodes join (`--control-plane-nodes`, `--worker-nodes`), their machines and zones",
    ],
    example: "kubeadm.yaml",
    example_flags: &["--purpose", "production", "--control-plane-nodes", "3", "--worker-nodes", "6"],
};

/// An extra argument of a control-plane component: v1beta3's map
/// (`extraArgs: {leader-elect: "false"}`) or v1beta4's list
/// (`extraArgs: [{name: leader-elect, value: "false"}]`). The last one
/// named wins, as kubeadm passes them in order.
pub(crate) fn extra_arg<'a>(component: Option<&At<'a>>, name: &str) -> Option<At<'a>> {
    let args = component?.get("extraArgs")?;
    if args.is_map() {
        return args.get(name);
    }
    args.items()
        .into_iter()
        .filter(|a| a.get("name").and_then(|n| n.text()).as_deref() == Some(name))
        .filter_map(|a| a.get("value"))
        .next_back()
}

fn import(_: &Arc<Source>, docs: &[Spanned<Node>], c: &Catalog) -> Result<Read, LoadError> {
    let roots: Vec<At> = docs.iter().map(At::root).collect();
    let kubeadm: Vec<&At> = roots
        .iter()
        .filter(|r| r.api_version().is_some_and(|a| a.starts_with("kubeadm.k8s.io/")))
        .collect();
    let of_kind = |k: &str| kubeadm.iter().copied().find(|r| r.kind() == Some(k));
    let cluster = of_kind("ClusterConfiguration");
    let init = of_kind("InitConfiguration");
    let join = of_kind("JoinConfiguration");
    let Some(main) = cluster.or(init).or(join).or(kubeadm.first().copied()) else {
        return Ok(Read::Nothing {
            pos: Pos::START,
            message: "a kubeadm file with no kubeadm configuration in it".into(),
        });
    };
    let top = main.get("kind").map_or(main.pos, |k| k.pos);
    // JoinConfiguration, ResetConfiguration, UpgradeConfiguration: a node of
    // a cluster that `kubeadm init` set up from another file.
    if cluster.is_none() && init.is_none() {
        let kinds: Vec<&str> = kubeadm.iter().filter_map(|r| r.kind()).collect();
        return Ok(Read::Nothing {
            pos: top,
            message: format!(
                "kubeadm {} and no InitConfiguration or ClusterConfiguration: it acts on a node of a cluster that the `kubeadm init` configuration describes",
                kinds.join(", ")
            ),
        });
    }
    let mut imp = plan(cluster, top);
    etcd(cluster, &mut imp);
    endpoint(cluster, join, &mut imp);
    network(cluster, &c.kubernetes.installer_defaults.kubeadm, &mut imp);
    leader_election_from(cluster, &mut imp);
    schedulable_from(
        init.and_then(|i| i.get("nodeRegistration")).as_ref(),
        &mut imp,
    );
    Ok(Read::Plans(vec![imp]))
}

/// A kubeadm plan named after `clusterName`, with what a configuration of
/// one node cannot say.
fn plan(cluster: Option<&At>, top: Pos) -> Imported {
    let name_at = cluster.and_then(|c| c.get("clusterName"));
    let name = name_at
        .as_ref()
        .and_then(|n| n.str().map(plan_name))
        .unwrap_or_else(|| "kubernetes".into());
    let mut imp = Imported::new(&SPEC, name, Spot::new(top, "kind"));
    if let Some(n) = name_at {
        imp.from("metadata.name", n.spot());
    }
    imp.plan.spec.platform = super::own_machines();
    imp.plan.spec.tooling = Some(Tooling::Kubeadm);
    imp.note("kubeadm runs on machines you provide, anywhere: the plan says on-prem");
    let one_node = "a kubeadm configuration sets up one node at a time";
    imp.unknown(
        Fact::ControlPlane,
        format!("{one_node}: it does not say how many control-plane nodes join"),
    );
    imp.unknown(
        Fact::Workers,
        format!("{one_node}: it does not say how many workers join"),
    );
    imp.unknown(
        Fact::Zones,
        "a kubeadm configuration does not say where the machines are",
    );
    imp.unknown(
        Fact::Machines,
        "a kubeadm configuration does not describe the machines",
    );
    imp.unknown(
        Fact::Storage,
        "storage classes are installed after kubeadm, not by it",
    );
    imp.slots.push(Slot::ControlPlane);
    imp
}

/// Control-plane nodes that keep no NoSchedule (or NoExecute) taint take
/// workloads: an explicit empty (or other) `taints` in an
/// InitConfiguration's node registration. Without `taints`, kubeadm's
/// default taint holds.
pub(crate) fn schedulable_from(registration: Option<&At>, imp: &mut Imported) {
    let Some(t) = registration.and_then(|r| r.get("taints")) else {
        return;
    };
    let no_schedule = t.items().iter().any(|x| {
        x.get("effect")
            .and_then(|e| e.str())
            .is_some_and(|e| e == "NoSchedule" || e == "NoExecute")
    });
    imp.plan.spec.control_plane.schedulable = Some(!no_schedule);
    imp.from("spec.controlPlane.schedulable", t.spot());
}

fn etcd(cluster: Option<&At>, imp: &mut Imported) {
    if let Some(ext) = cluster.and_then(|c| c.at("etcd.external")) {
        let endpoints = ext.get("endpoints");
        let n = endpoints.as_ref().map_or(0, |e| e.items().len()) as u32;
        let spot = endpoints.as_ref().map_or_else(|| ext.spot(), |e| e.spot());
        imp.external_etcd(n, spot.clone());
        imp.from("spec.etcd", spot);
        imp.note("external etcd: one member per endpoint (an endpoint that fronts several members counts as one)");
        return;
    }
    imp.stacked_etcd(None);
    if let Some(l) = cluster.and_then(|c| c.at("etcd.local")) {
        imp.from("spec.etcd", l.spot());
    }
    imp.unknown(
        Fact::Etcd,
        "kubeadm's local etcd runs one member on each control-plane node, and the file does not say how many join",
    );
}

/// The control-plane endpoint: a stable address in front of the API
/// servers. Without one, kubeadm cannot join a second control-plane node.
fn endpoint(cluster: Option<&At>, join: Option<&At>, imp: &mut Imported) {
    let ep = cluster.and_then(|c| c.get("controlPlaneEndpoint"));
    match ep.as_ref().and_then(|e| e.str()) {
        Some(addr) if !addr.is_empty() => {
            imp.unknown(
                Fact::LoadBalancer,
                format!("controlPlaneEndpoint {addr} is a stable address, but the file does not say what serves it"),
            );
            if let Some(e) = &ep {
                imp.from("spec.apiLoadBalancer", e.spot());
            }
        }
        _ => {
            // kubeadm join --control-plane refuses a cluster without one
            // (cmd/kubeadm/app/cmd/join.go: "unable to add a new control
            // plane instance to a cluster that doesn't have a stable
            // controlPlaneEndpoint address").
            let cp_join = join.and_then(|j| j.get("controlPlane"));
            if let (Some(cl), Some(cp)) = (cluster, cp_join) {
                imp.refused(
                    RuleRef::KubeadmNoControlPlaneEndpoint,
                    &cp.spot(),
                    "a control-plane JoinConfiguration for a ClusterConfiguration without controlPlaneEndpoint: kubeadm refuses to add a control-plane node to a cluster that has no stable controlPlaneEndpoint address".into(),
                    format!(
                        "set `controlPlaneEndpoint: \"LOAD_BALANCER:PORT\"` in the ClusterConfiguration (line {}) before `kubeadm init`",
                        cl.get("kind").map_or(cl.pos.line, |k| k.pos.line)
                    ),
                );
            }
            imp.note(
                "no controlPlaneEndpoint: clients reach the first control-plane node's own address",
            );
        }
    }
}

pub(crate) fn network(
    cluster: Option<&At>,
    d: &crate::catalog::KubeadmDefaults,
    imp: &mut Imported,
) {
    let net = cluster.and_then(|c| c.get("networking"));
    let get = |k: &str| net.as_ref().and_then(|n| n.get(k));
    let first = |s: &str| s.split(',').next().unwrap_or("").trim().to_string();
    let pod = get("podSubnet").and_then(|p| p.str().map(first));
    if let Some(p) = get("podSubnet") {
        imp.from("spec.network.podCIDR", p.spot());
        if p.str().is_some_and(|s| s.contains(',')) {
            imp.note("dual-stack ranges: the first of each is checked");
        }
    }
    let service = get("serviceSubnet").and_then(|s| s.str().map(first));
    if let Some(s) = get("serviceSubnet") {
        imp.from("spec.network.serviceCIDR", s.spot());
    }
    let cm = cluster.and_then(|c| c.get("controllerManager"));
    let mask = extra_arg(cm.as_ref(), "node-cidr-mask-size-ipv4")
        .or_else(|| extra_arg(cm.as_ref(), "node-cidr-mask-size"));
    let node_mask = mask
        .as_ref()
        .and_then(|m| m.int())
        .and_then(|m| u8::try_from(m).ok());
    if let Some(m) = &mask {
        imp.from("spec.network.nodeCIDRMaskSize", m.spot());
    }
    imp.plan.spec.network = Some(Network {
        pod_cidr: pod,
        service_cidr: service.unwrap_or_else(|| d.service_cidr.to_string()),
        node_cidr_mask_size: node_mask,
        vpc_cidr: None,
        subnets: Vec::new(),
    });
}

/// Leader election from the controller-manager's extra arguments (the
/// scheduler's when it sets them and the controller-manager does not).
pub(crate) fn leader_election_from(cluster: Option<&At>, imp: &mut Imported) {
    let comps = [
        cluster.and_then(|c| c.get("controllerManager")),
        cluster.and_then(|c| c.get("scheduler")),
    ];
    let set = [
        ("leader-elect", "enabled"),
        ("leader-elect-lease-duration", "leaseDuration"),
        ("leader-elect-renew-deadline", "renewDeadline"),
        ("leader-elect-retry-period", "retryPeriod"),
    ]
    .iter()
    .filter_map(|(flag, field)| {
        let v = comps.iter().find_map(|c| extra_arg(c.as_ref(), flag))?;
        Some((*field, v.text()?, v.spot()))
    })
    .collect();
    imp.leader_election(set);
}
