//! Kubespray inventories → a kubespray plan: the control plane from
//! `kube_control_plane` (or the old `kube-master`), etcd from the `etcd`
//! group (stacked when it is the control plane's hosts, external when it
//! is others), workers from `kube_node`, and the network from the
//! variables Kubespray reads (`kube_pods_subnet`, `kube_service_addresses`,
//! `kube_network_node_prefix`, `kube_network_plugin`, `kubelet_max_pods`,
//! `loadbalancer_apiserver`), found where Ansible finds them: the
//! inventory's own `vars`, then `group_vars/all` and `group_vars/k8s_cluster`
//! beside it. What the inventory leaves out is Kubespray's default
//! (`installerDefaults.kubespray`).

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use serde_saphyr::Spanned;

use super::ansible::{self, Inventory, Var, VarValue};
use super::tree::At;
use super::{plan_name, About, Imported, Read, Slot, Spec};
use crate::catalog::{Catalog, KubesprayDefaults};
use crate::plan::load::{LoadError, Source};
use crate::plan::node::{Node, Pos};
use crate::plan::origin::Spot;
use crate::plan::rule_ref::PER_NODE_RANGE_RULES;
use crate::plan::schema::Issue;
use crate::plan::{
    ApiLoadBalancer, Fact, LbType, Machine, Network, RuleRef, Tooling,
    WorkerPool,
};

pub(super) const SPEC: Spec = Spec {
    what: "Kubespray inventory",
    plural: "Kubespray inventories",
    groups: &[],
    versions: &[],
    advice: "",
    provider_groups: false,
    syntax: "INI or YAML",
    detect: Some(is_yaml_inventory),
    about: ABOUT,
    import: import_yaml,
};

/// What `docs/import.md` says of Kubespray files.
const ABOUT: About = About {
    title: "Kubespray",
    detected: "an Ansible inventory: INI (a `[group]` header) or YAML (`all:` with `hosts`, `children` and `vars`) with Kubespray's groups; in a folder, `inventory.ini`, `hosts.ini` and any `.ini` beside a `group_vars` folder are inventories",
    reads: &[
        "the tool (Kubespray) on your own machines (on-prem); the plan is named after the inventory's folder",
        "the hosts of each group, as Ansible expands them (`node[01:50]`, `:children`, a string of hosts is one host): the control plane from `kube_control_plane` (or `kube-master`), the workers from `kube_node` (or `kube-node`), etcd from `etcd` (stacked when it is the control plane's hosts, external when others; the control plane's when there is no etcd group, and with `etcd_deployment_type: kubeadm`)",
        "the variables Kubespray reads, where Ansible finds them: the inventory's own vars, then `group_vars/all` and `group_vars/k8s_cluster` beside it (a finding on one of them points into that file): `kube_pods_subnet`, `kube_service_addresses`, `kube_network_node_prefix`, `kube_network_plugin` (Calico's IPAM turns the per-node range rules off), `kubelet_max_pods`, `loadbalancer_apiserver`, leader-election durations; Kubespray's defaults for the rest",
        "Kubespray's own checks, cited: an empty control plane (`kubespray-control-plane-empty`), an even or empty etcd group (`kubespray-etcd-even`); `ignore_assert_errors: true` turns them off, as it does Kubespray's",
        "not in the file: the machines' sizes and zones (`--machine`, `--zones`)",
    ],
    example: "kubespray.ini",
    example_flags: &["--purpose", "production", "--zones", "a,b,c", "--machine", "control-plane=4,16", "--machine", "workers=8,32"],
};

/// The groups Kubespray reads, and their old names (roles/dynamic_groups).
const CONTROL_PLANE: &[&str] = &["kube_control_plane", "kube-master"];
const NODES: &[&str] = &["kube_node", "kube-node"];
pub(crate) const KUBESPRAY_GROUPS: &[&str] = &[
    "kube_control_plane",
    "kube-master",
    "kube_node",
    "kube-node",
    "etcd",
    "k8s_cluster",
    "k8s-cluster",
    "calico_rr",
];

/// Whether a YAML document is an Ansible inventory with Kubespray's groups.
pub fn is_yaml_inventory(doc: &Spanned<Node>) -> bool {
    inventory_shaped(doc) && (has_kubespray_groups(doc) || top_all(doc))
}

/// An inventory's `all:` group at the top.
fn top_all(doc: &Spanned<Node>) -> bool {
    At::root(doc).get("all").is_some()
}

fn has_kubespray_groups(doc: &Spanned<Node>) -> bool {
    ansible::parse_yaml(doc).is_ok_and(|inv| {
        inv.groups
            .iter()
            .any(|g| KUBESPRAY_GROUPS.contains(&g.name.as_str()))
    })
}

/// Every top-level key a group: a mapping of `hosts`, `children` and
/// `vars`, or empty.
fn inventory_shaped(doc: &Spanned<Node>) -> bool {
    let Node::Map(entries) = &doc.value else {
        return false;
    };
    let shaped = !entries.is_empty()
        && entries.iter().all(|(_, v)| match &v.value {
            Node::Map(m) => m
                .iter()
                .all(|(k, _)| matches!(k.value.key_text().as_str(), "hosts" | "children" | "vars")),
            Node::Null => true,
            _ => false,
        });
    shaped
}

/// An inventory that cannot be read, as the one-line error of its file.
fn unreadable(source: &Source, p: Issue) -> LoadError {
    LoadError::Parse {
        path: source.name.clone(),
        line: p.problem.at.pos.line,
        column: p.problem.at.pos.column,
        reason: format!("not an Ansible inventory: {}", p.problem.message),
    }
}

pub(super) fn import_ini(source: &Arc<Source>, c: &Catalog) -> Result<Read, LoadError> {
    let inv = super::ini::parse_ini(&source.text).map_err(|p| unreadable(source, p))?;
    Ok(Read::Plans(vec![build(&inv, source, c)?]))
}

fn import_yaml(
    source: &Arc<Source>,
    docs: &[Spanned<Node>],
    c: &Catalog,
) -> Result<Read, LoadError> {
    let mut out = Vec::new();
    let mut groupless = None;
    for d in docs.iter().filter(|d| is_yaml_inventory(d)) {
        let inv = ansible::parse_yaml(d).map_err(|p| unreadable(source, p))?;
        if !has_kubespray_groups(d) {
            groupless.get_or_insert(At::root(d).get("all").map_or(Pos::of(d), |a| a.pos));
            continue;
        }
        out.push(build(&inv, source, c)?);
    }
    match (out.is_empty(), groupless) {
        (true, Some(pos)) => Ok(Read::Nothing {
            pos,
            message: "an Ansible inventory with none of Kubespray's groups (kube_control_plane, etcd, kube_node): it describes no cluster yet".into(),
        }),
        _ => Ok(Read::Plans(out)),
    }
}

/// The groups whose variables Kubespray reads, in the order Ansible
/// layers them (later wins).
const VAR_GROUPS: &[&str] = &["all", "k8s_cluster", "k8s-cluster"];

fn hosts_of(inv: &Inventory, names: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for n in names {
        for h in inv.hosts(n) {
            if seen.insert(h.clone()) {
                out.push(h);
            }
        }
    }
    out
}

fn group_spot(inv: &Inventory, names: &[&str]) -> Option<Spot> {
    names
        .iter()
        .find_map(|n| inv.group(n))
        .map(|g| Spot::new(g.pos, g.field.clone()))
}

fn build(inv: &Inventory, source: &Arc<Source>, c: &Catalog) -> Result<Imported, LoadError> {
    let vars = ansible::variables(inv, source, VAR_GROUPS)?;
    let top = group_spot(inv, CONTROL_PLANE)
        .or_else(|| {
            inv.groups
                .first()
                .map(|g| Spot::new(g.pos, g.field.clone()))
        })
        .unwrap_or_else(|| Spot::new(Pos::START, ""));
    let mut imp = plan(inv, source, top.clone());
    let cp = hosts_of(inv, CONTROL_PLANE);
    let cp_spot = group_spot(inv, CONTROL_PLANE).unwrap_or_else(|| top.clone());
    control_plane(inv, &vars, &cp, &cp_spot, &mut imp);
    workers(inv, &vars, &cp, top, &mut imp);
    etcd(inv, &vars, &cp, &cp_spot, &mut imp);
    load_balancer(&vars, &mut imp);
    network(&vars, &c.kubernetes.installer_defaults.kubespray, &mut imp);
    leader_election(&vars, &mut imp);
    Ok(imp)
}

/// A Kubespray plan named after the inventory's folder
/// (inventory/mycluster/hosts.yaml), with what an inventory cannot say.
fn plan(inv: &Inventory, source: &Source, top: Spot) -> Imported {
    let name = Path::new(&source.name)
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| plan_name(&n.to_string_lossy()))
        .unwrap_or_else(|| "kubespray".into());
    let mut imp = Imported::new(&SPEC, name, top);
    imp.issues.extend(inv.oddities.iter().cloned());
    imp.plan.spec.platform = super::own_machines();
    imp.plan.spec.tooling = Some(Tooling::Kubespray);
    imp.unknown(Fact::Zones, "an inventory does not say where the hosts are");
    imp.unknown(Fact::Machines, "an inventory names hosts, not their sizes");
    imp.unknown(
        Fact::Storage,
        "Kubespray installs storage provisioners as add-ons; the inventory does not list classes",
    );
    imp
}

/// The control plane: `kube_control_plane`'s hosts, which take workloads
/// when they are in `kube_node` too.
fn control_plane(
    inv: &Inventory,
    vars: &BTreeMap<String, Var>,
    cp: &[String],
    cp_spot: &Spot,
    imp: &mut Imported,
) {
    imp.plan.spec.control_plane.nodes = Some(cp.len() as u32);
    imp.from("spec.controlPlane.nodes", cp_spot.clone());
    imp.from("spec.controlPlane", cp_spot.clone());
    imp.slots.push(Slot::ControlPlane);
    imp.plan.spec.control_plane.machine = None;
    // roles/validate_inventory: "Stop if kube_control_plane group is empty".
    if cp.is_empty() && asserts(vars) {
        imp.refused(
            RuleRef::KubesprayControlPlaneEmpty,
            cp_spot,
            "the kube_control_plane group has no hosts: Kubespray stops (\"Stop if kube_control_plane group is empty\")".into(),
            "list the control-plane hosts under [kube_control_plane] (3 for an HA control plane)",
        );
    }
    let cp_set: HashSet<&String> = cp.iter().collect();
    let shared = hosts_of(inv, NODES).iter().any(|h| cp_set.contains(h));
    imp.plan.spec.control_plane.schedulable = Some(shared);
    if let Some(s) = group_spot(inv, NODES).filter(|_| shared) {
        imp.from("spec.controlPlane.schedulable", s);
    }
}

/// The workers: `kube_node`'s hosts that are not the control plane's.
fn workers(
    inv: &Inventory,
    vars: &BTreeMap<String, Var>,
    cp: &[String],
    top: Spot,
    imp: &mut Imported,
) {
    let cp_set: HashSet<&String> = cp.iter().collect();
    let workers = hosts_of(inv, NODES)
        .into_iter()
        .filter(|h| !cp_set.contains(h))
        .count();
    if workers == 0 && inv.group("kube_node").is_none() {
        return;
    }
    let spot = group_spot(inv, NODES).unwrap_or(top);
    let pool = imp.new_pool("kube-node", spot.clone());
    imp.from(pool.field("nodes"), spot);
    let max_pods = vars.get("kubelet_max_pods");
    if let Some(m) = max_pods {
        imp.from(pool.field("maxPods"), m.spot());
    }
    imp.slots.push(Slot::Pool(pool.name.clone()));
    imp.add_pool(WorkerPool {
        max_pods: max_pods.and_then(|m| m.text()).and_then(|t| t.parse().ok()),
        ..WorkerPool::new(pool.name, workers as u32, Machine::stand_in())
    });
}

/// Whether Kubespray's inventory assertions run: `ignore_assert_errors: true`
/// turns them all off.
fn asserts(vars: &BTreeMap<String, Var>) -> bool {
    !vars
        .get("ignore_assert_errors")
        .and_then(|v| v.text())
        .is_some_and(|t| matches!(t.to_ascii_lowercase().as_str(), "true" | "yes" | "on" | "1"))
}

/// etcd: the `etcd` group (the control plane's hosts when there is none),
/// stacked when it is the control plane's hosts or `etcd_deployment_type`
/// is kubeadm, on machines of its own otherwise.
fn etcd(
    inv: &Inventory,
    vars: &BTreeMap<String, Var>,
    cp: &[String],
    cp_spot: &Spot,
    imp: &mut Imported,
) {
    let group = inv.group("etcd");
    // validate_inventory reads groups.get('etcd', groups.kube_control_plane).
    let hosts = match group {
        Some(_) => inv.hosts("etcd"),
        None => cp.to_vec(),
    };
    let spot = group.map_or_else(
        || cp_spot.clone(),
        |g| match &g.children_pos {
            Some((pos, field)) if g.hosts.is_empty() => Spot::new(*pos, field.clone()),
            _ => Spot::new(g.pos, g.field.clone()),
        },
    );
    let kubeadm_etcd = vars
        .get("etcd_deployment_type")
        .and_then(|v| v.text())
        .is_some_and(|t| t == "kubeadm");
    let n = hosts.len() as u32;
    let cp_set: HashSet<&String> = cp.iter().collect();
    let same = hosts.len() == cp.len() && hosts.iter().all(|h| cp_set.contains(h));
    if kubeadm_etcd {
        imp.note("etcd_deployment_type: kubeadm: etcd runs on the control-plane nodes");
        imp.stacked_etcd(Some(cp.len() as u32));
    } else if same {
        imp.stacked_etcd(Some(n));
    } else {
        if hosts.iter().any(|h| cp_set.contains(h)) {
            imp.note("the etcd group shares some hosts with the control plane and not others: modelled as etcd on its own machines");
        }
        imp.external_etcd(n, spot.clone());
    }
    imp.from("spec.etcd.members", spot.clone());
    imp.from("spec.etcd", spot.clone());
    if asserts(vars) {
        odd_etcd(n, group.is_some(), kubeadm_etcd, &spot, imp);
    }
}

/// roles/validate_inventory: "Group 'etcd' cannot be empty in external
/// etcd mode", then "Stop if even number of etcd hosts", which counts
/// groups.get('etcd', groups.kube_control_plane) in every mode.
fn odd_etcd(n: u32, group: bool, kubeadm_etcd: bool, spot: &Spot, imp: &mut Imported) {
    let message = if n == 0 && group && !kubeadm_etcd {
        "the etcd group has no hosts: Kubespray stops (\"Group 'etcd' cannot be empty in external etcd mode\")".to_string()
    } else if n.is_multiple_of(2) {
        let whose = match group {
            true => "the etcd group",
            false => "with no etcd group, the control plane",
        };
        format!(
            "{whose} has {}: Kubespray stops (\"Stop if even number of etcd hosts\")",
            crate::prose::plural(u64::from(n), "host", "hosts")
        )
    } else {
        return;
    };
    imp.refused(
        RuleRef::KubesprayEtcdEven,
        spot,
        message,
        "put an odd number of hosts in [etcd]: 3 (tolerates 1 failure) or 5",
    );
}

fn load_balancer(vars: &BTreeMap<String, Var>, imp: &mut Imported) {
    if let Some(lb) = vars.get("loadbalancer_apiserver") {
        let at = match &lb.value {
            VarValue::Map(m) => format!(
                " at {}:{}",
                m.get("address").map_or("?", String::as_str),
                m.get("port").map_or("?", String::as_str)
            ),
            _ => String::new(),
        };
        imp.unknown(
            Fact::LoadBalancer,
            format!("loadbalancer_apiserver names an external balancer{at}; the inventory does not say what runs it"),
        );
        imp.from("spec.apiLoadBalancer", lb.spot());
        return;
    }
    let localhost = vars
        .get("loadbalancer_apiserver_localhost")
        .and_then(|v| v.text())
        .is_none_or(|t| t != "false" && t != "False");
    if localhost {
        let kind = vars
            .get("loadbalancer_apiserver_type")
            .and_then(|v| v.text())
            .unwrap_or("nginx")
            .to_string();
        imp.unknown(
            Fact::LoadBalancer,
            format!("each node reaches every API server through its own {kind} proxy (loadbalancer_apiserver_localhost); clients outside the cluster need a balancer the inventory does not name"),
        );
    } else {
        // No balancer at all: nodes and clients use the first control-plane node.
        imp.plan.spec.api_load_balancer = Some(ApiLoadBalancer {
            kind: LbType::None,
            replicas: None,
            virtual_ip: false,
            placement: None,
            port: None,
            machine: None,
        });
        if let Some(v) = vars.get("loadbalancer_apiserver_localhost") {
            imp.from("spec.apiLoadBalancer", v.spot());
        }
    }
}

fn network(vars: &BTreeMap<String, Var>, d: &KubesprayDefaults, imp: &mut Imported) {
    let jinja = |f: &Var| f.text().is_some_and(|t| t.contains("{{"));
    let mut templated = Vec::new();
    let mut value =
        |name: &str, default: String, field: &str, imp: &mut Imported| -> Option<String> {
            match vars.get(name) {
                Some(f) if jinja(f) => {
                    templated.push(name.to_string());
                    None
                }
                Some(f) => {
                    imp.from(field, f.spot());
                    Some(f.text().map_or(default, str::to_string))
                }
                None => Some(default),
            }
        };
    let pod = value(
        "kube_pods_subnet",
        d.pod_cidr.to_string(),
        "spec.network.podCIDR",
        imp,
    );
    let service = value(
        "kube_service_addresses",
        d.service_cidr.to_string(),
        "spec.network.serviceCIDR",
        imp,
    );
    let mask = value(
        "kube_network_node_prefix",
        d.node_prefix.to_string(),
        "spec.network.nodeCIDRMaskSize",
        imp,
    )
    .and_then(|m| m.parse::<u8>().ok());
    let plugin = vars
        .get("kube_network_plugin")
        .and_then(|v| v.text())
        .unwrap_or(&d.network_plugin)
        .to_string();
    if !templated.is_empty() {
        imp.note(format!(
            "{} {} Jinja expression{}, not evaluated: the network is not checked",
            templated.join(", "),
            if templated.len() == 1 { "is a" } else { "are" },
            if templated.len() == 1 { "" } else { "s" }
        ));
    }
    if plugin == "calico" {
        // validate_inventory skips both per-node checks for Calico, whose
        // IPAM hands out blocks rather than per-node ranges.
        imp.note("Calico allocates pod addresses in its own blocks, not per-node ranges: the per-node range rules are silenced, as Kubespray's own checks skip them");
        imp.ignore(PER_NODE_RANGE_RULES);
    }
    let (Some(pod), Some(service)) = (pod, service) else {
        return;
    };
    imp.plan.spec.network = Some(Network {
        pod_cidr: Some(pod),
        service_cidr: service,
        node_cidr_mask_size: mask,
        vpc_cidr: None,
        subnets: Vec::new(),
    });
}

/// Leader election from the controller manager's durations Kubespray sets.
fn leader_election(vars: &BTreeMap<String, Var>, imp: &mut Imported) {
    let set = [
        (
            "kube_controller_manager_leader_elect_lease_duration",
            "leaseDuration",
        ),
        (
            "kube_controller_manager_leader_elect_renew_deadline",
            "renewDeadline",
        ),
    ]
    .iter()
    .filter_map(|(name, field)| {
        let v = vars.get(*name)?;
        let t = v.text().filter(|t| !t.contains("{{"))?;
        Some((*field, t.to_string(), v.spot()))
    })
    .collect();
    imp.leader_election(set);
}
