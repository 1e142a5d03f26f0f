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

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde_saphyr::Spanned;

use super::ini::{self, Inventory, Var, VarValue};
use super::tree::At;
use super::{plan_name, Format, Imported, Read, Slot};
use crate::catalog::Catalog;
use crate::plan::load::{parse_yaml, read_source, LoadError, Source};
use crate::plan::node::{Node, Pos};
use crate::plan::origin::Spot;
use crate::plan::schema::{Issue, IssueKind};
use crate::plan::{
    ApiLoadBalancer, Etcd, EtcdTopology, Fact, LbType, LeaderElection, Machine, Network, Os,
    Platform, Tooling, WorkerPool,
};

/// What `docs/import.md` says of Kubespray files.
pub(super) const ABOUT: super::About = super::About {
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

/// The ids of the rules for Kubespray's own inventory checks.
pub const EVEN_ETCD: &str = "kubespray-etcd-even";
pub const NO_CONTROL_PLANE: &str = "kubespray-control-plane-empty";

/// The groups Kubespray reads, and their old names (roles/dynamic_groups).
const CONTROL_PLANE: &[&str] = &["kube_control_plane", "kube-master"];
const NODES: &[&str] = &["kube_node", "kube-node"];
const KUBESPRAY_GROUPS: &[&str] = &[
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
    ini::parse_yaml(doc).is_ok_and(|inv| {
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

/// Where a variable came from: the inventory itself, or a group_vars file.
#[derive(Clone)]
struct Found {
    var: Var,
    file: Option<Arc<Source>>,
}

impl Found {
    fn spot(&self) -> Spot {
        let s = Spot::new(self.var.pos, self.var.field.clone());
        match &self.file {
            Some(f) => s.in_file(f.clone()),
            None => s,
        }
    }

    fn text(&self) -> Option<&str> {
        self.var.value.text()
    }
}

pub(super) fn import_ini(source: &Arc<Source>, c: &Catalog) -> Result<Read, LoadError> {
    let inv = ini::parse_ini(&source.text).map_err(|p| LoadError::Parse {
        path: source.name.clone(),
        line: p.pos.line,
        column: p.pos.column,
        reason: format!("not an Ansible inventory: {}", p.reason),
    })?;
    Ok(Read::Plans(vec![build(&inv, source, c)?]))
}

pub(super) fn import_yaml(
    source: &Arc<Source>,
    docs: &[Spanned<Node>],
    c: &Catalog,
) -> Result<Read, LoadError> {
    let mut out = Vec::new();
    let mut groupless = None;
    for d in docs.iter().filter(|d| is_yaml_inventory(d)) {
        let inv = ini::parse_yaml(d).map_err(|p| LoadError::Parse {
            path: source.name.clone(),
            line: p.pos.line,
            column: p.pos.column,
            reason: format!("not an Ansible inventory: {}", p.reason),
        })?;
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

/// The variables Kubespray reads, as Ansible layers them: the inventory's
/// `all` then `k8s_cluster` vars, then `group_vars/all` and
/// `group_vars/k8s_cluster` beside the inventory (later wins).
fn variables(inv: &Inventory, source: &Source) -> Result<BTreeMap<String, Found>, LoadError> {
    let mut vars: BTreeMap<String, Found> = BTreeMap::new();
    for g in ["all", "k8s_cluster", "k8s-cluster"] {
        if let Some(group) = inv.group(g) {
            for (k, v) in &group.vars {
                vars.insert(
                    k.clone(),
                    Found {
                        var: v.clone(),
                        file: None,
                    },
                );
            }
        }
    }
    if source.name == "<stdin>" {
        return Ok(vars);
    }
    let dir = Path::new(&source.name)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    for g in ["all", "k8s_cluster", "k8s-cluster"] {
        for file in group_var_files(&dir.join("group_vars"), g) {
            let name = file.to_string_lossy().into_owned();
            let src = Arc::new(read_source(&name)?);
            let docs = parse_yaml(&src)?;
            for d in docs.iter().filter(|d| matches!(d.value, Node::Map(_))) {
                for (k, v) in ini::yaml_vars(&At::root(d), "") {
                    vars.insert(
                        k,
                        Found {
                            var: v,
                            file: Some(src.clone()),
                        },
                    );
                }
            }
        }
    }
    Ok(vars)
}

/// A group's variable files as Ansible finds them: `group_vars/NAME.yml`
/// (`.yaml`, `.json`, or no extension) and every such file under
/// `group_vars/NAME/`, in name order.
fn group_var_files(dir: &Path, group: &str) -> Vec<std::path::PathBuf> {
    let ok = |p: &Path| {
        matches!(
            p.extension().and_then(|e| e.to_str()),
            None | Some("yml" | "yaml" | "json")
        ) && p.is_file()
    };
    let mut out = Vec::new();
    for ext in ["", ".yml", ".yaml", ".json"] {
        let f = dir.join(format!("{group}{ext}"));
        if ok(&f) {
            out.push(f);
        }
    }
    let sub = dir.join(group);
    if let Ok(entries) = std::fs::read_dir(&sub) {
        let mut files: Vec<_> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                ok(p)
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        files.sort();
        out.extend(files);
    }
    out
}

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
    let d = &c.kubernetes.installer_defaults.kubespray;
    let vars = variables(inv, source)?;
    let top = group_spot(inv, CONTROL_PLANE)
        .or_else(|| {
            inv.groups
                .first()
                .map(|g| Spot::new(g.pos, g.field.clone()))
        })
        .unwrap_or_else(|| Spot::new(Pos { line: 1, column: 1 }, ""));
    // The inventory's folder names the cluster (inventory/mycluster/hosts.yaml).
    let name = Path::new(&source.name)
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| plan_name(&n.to_string_lossy()))
        .unwrap_or_else(|| "kubespray".into());
    let mut imp = Imported::new(Format::Kubespray, name, top.clone());
    for o in &inv.oddities {
        imp.issues.push(Issue {
            kind: IssueKind::InvalidValue,
            field: o.field.clone(),
            pos: o.pos,
            message: o.message.clone(),
            help: o.help.clone(),
        });
    }
    imp.plan.spec.platform = Platform::OnPrem;
    imp.plan.spec.tooling = Some(Tooling::Kubespray);
    imp.unknown(Fact::Zones, "an inventory does not say where the hosts are");
    imp.unknown(Fact::Machines, "an inventory names hosts, not their sizes");
    imp.unknown(
        Fact::Storage,
        "Kubespray installs storage provisioners as add-ons; the inventory does not list classes",
    );

    let cp = hosts_of(inv, CONTROL_PLANE);
    let nodes = hosts_of(inv, NODES);
    let cp_spot = group_spot(inv, CONTROL_PLANE).unwrap_or_else(|| top.clone());
    imp.plan.spec.control_plane.nodes = Some(cp.len() as u32);
    imp.from("spec.controlPlane.nodes", cp_spot.clone());
    imp.from("spec.controlPlane", cp_spot.clone());
    imp.slots.push(Slot::ControlPlane);
    imp.plan.spec.control_plane.machine = None;
    // roles/validate_inventory: "Stop if kube_control_plane group is empty".
    if cp.is_empty() && asserts(&vars) {
        imp.issues.push(Issue {
            kind: IssueKind::Installer(NO_CONTROL_PLANE),
            field: cp_spot.field.clone(),
            pos: cp_spot.pos,
            message: "the kube_control_plane group has no hosts: Kubespray stops (\"Stop if kube_control_plane group is empty\")".into(),
            help: "list the control-plane hosts under [kube_control_plane] (3 for an HA control plane)".into(),
        });
    }

    // Hosts in both groups: control-plane nodes that take workloads.
    let cp_set: std::collections::HashSet<&String> = cp.iter().collect();
    let shared = nodes.iter().filter(|h| cp_set.contains(h)).count();
    if shared > 0 {
        imp.plan.spec.control_plane.schedulable = Some(true);
        if let Some(s) = group_spot(inv, NODES) {
            imp.from("spec.controlPlane.schedulable", s);
        }
    } else {
        imp.plan.spec.control_plane.schedulable = Some(false);
    }
    let workers: Vec<&String> = nodes.iter().filter(|h| !cp_set.contains(h)).collect();
    let max_pods_var = vars.get("kubelet_max_pods");
    if !workers.is_empty() || inv.group("kube_node").is_some() {
        let spot = group_spot(inv, NODES).unwrap_or_else(|| top.clone());
        imp.from("spec.workers[0]", spot.clone());
        imp.from("spec.workers[0].nodes", spot);
        if let Some(m) = max_pods_var {
            imp.from("spec.workers[0].maxPods", m.spot());
        }
        imp.slots.push(Slot::Pool("kube-node".into()));
        imp.plan.spec.workers.push(WorkerPool {
            name: "kube-node".into(),
            nodes: workers.len() as u32,
            zones: Vec::new(),
            machine: Machine::stand_in(),
            instance_type: None,
            max_pods: max_pods_var
                .and_then(|m| m.text())
                .and_then(|t| t.parse().ok()),
            os: Os::Linux,
            arch: crate::plan::Arch::Amd64,
            taints: Vec::new(),
        });
    }

    etcd(inv, &vars, &cp, &cp_spot, &mut imp);
    load_balancer(&vars, &mut imp);
    network(&vars, d, &mut imp);
    leader_election(&vars, &mut imp);
    Ok(imp)
}

/// Whether Kubespray's inventory assertions run: `ignore_assert_errors: true`
/// turns them all off.
fn asserts(vars: &BTreeMap<String, Found>) -> bool {
    !vars
        .get("ignore_assert_errors")
        .and_then(|v| v.text())
        .is_some_and(|t| matches!(t.to_ascii_lowercase().as_str(), "true" | "yes" | "on" | "1"))
}

fn etcd(
    inv: &Inventory,
    vars: &BTreeMap<String, Found>,
    cp: &[String],
    cp_spot: &Spot,
    imp: &mut Imported,
) {
    let group = inv.group("etcd");
    // validate_inventory reads groups.get('etcd', groups.kube_control_plane).
    let etcd_hosts = match group {
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
    let n = etcd_hosts.len() as u32;
    let cp_set: std::collections::HashSet<&String> = cp.iter().collect();
    let same = etcd_hosts.len() == cp.len() && etcd_hosts.iter().all(|h| cp_set.contains(h));
    let disjoint = etcd_hosts.iter().all(|h| !cp_set.contains(h));
    let (topology, members) = if kubeadm_etcd {
        imp.note("etcd_deployment_type: kubeadm: etcd runs on the control-plane nodes");
        (EtcdTopology::Stacked, cp.len() as u32)
    } else if same {
        (EtcdTopology::Stacked, n)
    } else {
        if !disjoint {
            imp.note("the etcd group shares some hosts with the control plane and not others: modelled as etcd on its own machines");
        }
        imp.slots.push(Slot::Etcd);
        (EtcdTopology::External, n)
    };
    imp.plan.spec.etcd = Some(Etcd {
        topology: Some(topology),
        members: Some(members),
        zones: Vec::new(),
        machine: None,
    });
    imp.from("spec.etcd.members", spot.clone());
    imp.from("spec.etcd", spot.clone());
    // roles/validate_inventory: "Group 'etcd' cannot be empty in external
    // etcd mode", then "Stop if even number of etcd hosts", which counts
    // groups.get('etcd', groups.kube_control_plane) in every mode.
    if asserts(vars) {
        let message = if n == 0 && group.is_some() && !kubeadm_etcd {
            Some("the etcd group has no hosts: Kubespray stops (\"Group 'etcd' cannot be empty in external etcd mode\")".to_string())
        } else if n.is_multiple_of(2) {
            let whose = if group.is_some() {
                "the etcd group"
            } else {
                "with no etcd group, the control plane"
            };
            Some(format!(
                "{whose} has {}: Kubespray stops (\"Stop if even number of etcd hosts\")",
                crate::fmt::plural(u64::from(n), "host", "hosts")
            ))
        } else {
            None
        };
        if let Some(message) = message {
            imp.issues.push(Issue {
                kind: IssueKind::Installer(EVEN_ETCD),
                field: spot.field.clone(),
                pos: spot.pos,
                message,
                help: "put an odd number of hosts in [etcd]: 3 (tolerates 1 failure) or 5".into(),
            });
        }
    }
}

fn load_balancer(vars: &BTreeMap<String, Found>, imp: &mut Imported) {
    if let Some(lb) = vars.get("loadbalancer_apiserver") {
        let at = match &lb.var.value {
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

fn network(
    vars: &BTreeMap<String, Found>,
    d: &crate::catalog::KubesprayDefaults,
    imp: &mut Imported,
) {
    let jinja = |f: &Found| f.text().is_some_and(|t| t.contains("{{"));
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
        imp.ignore(super::kops::BLOCK_IPAM_RULES);
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

fn leader_election(vars: &BTreeMap<String, Found>, imp: &mut Imported) {
    let mut le = LeaderElection::default();
    let mut any = false;
    for (name, field) in [
        (
            "kube_controller_manager_leader_elect_lease_duration",
            "leaseDuration",
        ),
        (
            "kube_controller_manager_leader_elect_renew_deadline",
            "renewDeadline",
        ),
    ] {
        if let Some(v) = vars
            .get(name)
            .filter(|v| v.text().is_some_and(|t| !t.contains("{{")))
        {
            let t = v.text().unwrap_or_default().to_string();
            le.set(field, t);
            imp.from(
                format!("spec.controlPlane.leaderElection.{field}"),
                v.spot(),
            );
            any = true;
        }
    }
    if any {
        imp.plan.spec.control_plane.leader_election = Some(le);
    }
}
