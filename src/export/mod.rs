//! `kubeplan export`: the files each installer reads, made from a plan.
//! Every generator is a pure function of the plan, the catalog and the
//! hosts; the tests put each file through the program that reads it.

pub mod addresses;
pub mod aks;
pub mod eksctl;
pub mod etcd;
pub mod gke;
pub mod haproxy;
pub mod keepalived;
pub mod kops;
pub mod kubeadm;
pub mod storage;

use addresses::{Host, Hosts};

use crate::catalog::Catalog;
use crate::plan::{ClusterPlan, LbPlacement};

/// One file to write: its name in the export folder and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportFile {
    pub name: String,
    pub text: String,
    /// Written with mode 0755 (a script).
    pub executable: bool,
}

/// What `export` can make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
/// In the order the files are applied: etcd, the load balancer, the
/// installer, then what runs on the cluster.
pub enum Target {
    Etcd,
    Haproxy,
    Keepalived,
    Kubeadm,
    Eksctl,
    Kops,
    Gke,
    Aks,
    Storage,
}

impl Target {
    pub const ALL: &'static [Target] = &[
        Target::Etcd,
        Target::Haproxy,
        Target::Keepalived,
        Target::Kubeadm,
        Target::Eksctl,
        Target::Kops,
        Target::Gke,
        Target::Aks,
        Target::Storage,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Target::Kubeadm => "kubeadm",
            Target::Etcd => "etcd",
            Target::Haproxy => "haproxy",
            Target::Keepalived => "keepalived",
            Target::Eksctl => "eksctl",
            Target::Kops => "kops",
            Target::Gke => "gke",
            Target::Aks => "aks",
            Target::Storage => "storage",
        }
    }

    /// Whether its files hold the hosts' addresses.
    pub fn uses_hosts(self) -> bool {
        matches!(
            self,
            Target::Etcd | Target::Haproxy | Target::Keepalived | Target::Kubeadm
        )
    }

    /// How this target's files for `plan`, in folder `d`, are applied.
    pub fn apply_step(self, plan: &ClusterPlan, c: &Catalog, d: &str) -> String {
        match self {
            Target::Kubeadm => {
                let joins = match plan.cp_nodes() > 1 {
                    true => format!("`kubeadm join --config {d}/kubeadm-join-control-plane.yaml` on the other control-plane nodes and "),
                    false => String::new(),
                };
                format!(
                    "kubeadm: on the first control-plane node `kubeadm init --config {d}/kubeadm-init.yaml --upload-certs`; put the token, CA hash and certificate key it prints into the join files; then {joins}`kubeadm join --config {d}/kubeadm-join-worker.yaml` on the workers"
                )
            }
            Target::Etcd => format!(
            "etcd: on each etcd host, copy its etcd-HOST.yml to /etc/etcd/etcd.conf.yml, the certificates to /etc/kubernetes/pki/etcd/ (kubeadm's external-etcd guide makes them), {d}/etcd.service to /etc/systemd/system/, then `systemctl enable --now etcd` on all members at once"
        ),
            Target::Keepalived => format!(
            "keepalived: on each load-balancer host, copy its keepalived-HOST.conf to /etc/keepalived/keepalived.conf and {d}/check_apiserver.sh to /etc/keepalived/ (root-owned, mode 0755), then `systemctl enable --now keepalived`"
        ),
            Target::Haproxy => format!(
            "haproxy: copy {d}/haproxy.cfg to /etc/haproxy/haproxy.cfg on each load-balancer host, check it with `haproxy -c -f /etc/haproxy/haproxy.cfg`, then `systemctl enable --now haproxy`"
        ),
            Target::Eksctl => format!(
                "eksctl: `eksctl create cluster -f {d}/eksctl-cluster.yaml` (the VPC, the control plane, the node groups and the add-ons; it writes your kubeconfig)"
            ),
            Target::Kops => {
                let name = kops::cluster_name(plan);
                format!(
                    "kops: with KOPS_STATE_STORE set to your state bucket, `kops create -f {d}/kops-cluster.yaml`, `kops create sshpublickey {name} -i ~/.ssh/id_rsa.pub`, `kops update cluster --name {name} --yes --admin`, then `kops validate cluster --name {name} --wait 10m`"
                )
            }
            Target::Gke => format!(
                "gke: `bash {d}/gke-create.sh` (gcloud's configured project; it fetches your kubeconfig)"
            ),
            Target::Aks => format!(
                "aks: `RESOURCE_GROUP=my-group bash {d}/aks-create.sh`, then `az aks get-credentials --resource-group my-group --name {}`",
                plan.metadata.name
            ),
            Target::Storage => {
                let before: String = storage::prerequisites(plan, c)
                    .iter()
                    .map(|p| format!("{p}; "))
                    .collect();
                let then = if before.is_empty() { "" } else { "then " };
                format!("storage: once the cluster is up, {before}{then}`kubectl apply -f {d}/storageclasses.yaml`")
            }
    }
    }

    /// Why this target has nothing to make for `plan`, or None when it applies.
    pub fn not_for(self, plan: &ClusterPlan) -> Option<String> {
        let s = &plan.spec;
        let lb = s.api_load_balancer.as_ref();
        match self {
            Target::Haproxy | Target::Keepalived if s.platform.cloud() => Some(format!(
                "the plan runs on {}, whose load balancer is the provider's",
                s.platform
            )),
            Target::Haproxy => match lb.map(|l| l.kind) {
                Some(crate::plan::LbType::Haproxy) => None,
                Some(other) => Some(format!(
                    "the plan's API load balancer is {other}, not haproxy"
                )),
                None => Some("the plan has no API load balancer".into()),
            },
            Target::Keepalived => match lb {
                Some(l) if l.virtual_ip && l.kind.needs_hosts() => None,
                _ => Some("the plan's API load balancer has no virtual IP".into()),
            },
            Target::Kubeadm => match s.tooling {
                Some(crate::plan::Tooling::Kubeadm) if !s.control_plane.managed => None,
                Some(t) => Some(format!("the plan is built with {t}, not kubeadm")),
                None => Some(
                    "the plan names no tooling; kubeadm files are for `tooling: kubeadm`".into(),
                ),
            },
            Target::Etcd => match plan.etcd_topology() {
                None => Some("the provider runs the control plane and its etcd".into()),
                Some(crate::plan::EtcdTopology::External) => None,
                Some(_) => {
                    Some("the plan's etcd is stacked on the control plane (kubeadm runs it)".into())
                }
            },
            Target::Eksctl => tool_is(s.tooling, crate::plan::Tooling::Eks, "eksctl"),
            Target::Kops => tool_is(s.tooling, crate::plan::Tooling::Kops, "kOps"),
            Target::Gke => tool_is(s.tooling, crate::plan::Tooling::Gke, "GKE"),
            Target::Aks => tool_is(s.tooling, crate::plan::Tooling::Aks, "AKS"),
            Target::Storage => match &s.storage {
                Some(st) if !st.classes.is_empty() => None,
                _ => Some("the plan has no storage classes".into()),
            },
        }
    }
}

/// None when the plan is built with `want`; the reason otherwise.
fn tool_is(
    have: Option<crate::plan::Tooling>,
    want: crate::plan::Tooling,
    title: &str,
) -> Option<String> {
    match have {
        Some(t) if t == want => None,
        Some(t) => Some(format!("the plan is built with {t}, not {title}")),
        None => Some(format!(
            "the plan names no tooling; {title} files are for `tooling: {want}`"
        )),
    }
}

impl std::str::FromStr for Target {
    type Err = String;
    fn from_str(s: &str) -> Result<Target, String> {
        let names = Target::ALL.iter().map(|t| t.as_str());
        if let Some(t) = Target::ALL.iter().find(|t| t.as_str() == s) {
            return Ok(*t);
        }
        let all: Vec<&str> = names.collect();
        Err(match crate::prose::closest(s, all.iter().copied()) {
            Some(best) => format!(
                "unknown target `{s}`; did you mean `{best}`? (one of {})",
                all.join(", ")
            ),
            None => format!("unknown target `{s}`; expected one of {}", all.join(", ")),
        })
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The hosts that run the API load balancer: dedicated ones, or the first
/// control-plane nodes when it runs there.
pub fn lb_hosts<'a>(plan: &ClusterPlan, hosts: &'a Hosts) -> &'a [Host] {
    if !hosts.load_balancers.is_empty() {
        return &hosts.load_balancers;
    }
    let lb = plan.spec.api_load_balancer.as_ref();
    let on_cp = lb.is_some_and(|l| l.placement == Some(LbPlacement::ControlPlane));
    let replicas = lb.map_or(1, |l| l.replica_count()) as usize;
    match on_cp {
        true => &hosts.control_plane[..replicas.min(hosts.control_plane.len())],
        false => &[],
    }
}

/// The comment lines every file starts with: where it comes from, where it
/// goes, and (`hosts`, for a file with addresses) whether they are placeholders.
pub(crate) fn header(
    plan: &ClusterPlan,
    hosts: Option<&Hosts>,
    comment: &str,
    path: &str,
) -> String {
    let mut out = format!(
        "{comment} {path}: generated by kubeplan {} from the plan `{}`.\n",
        env!("CARGO_PKG_VERSION"),
        plan.metadata.name
    );
    if hosts.is_some_and(|h| h.documentation) {
        out.push_str(&format!(
            "{comment} The addresses are documentation ones (192.0.2.0/24, RFC 5737):\n{comment} export again with --addresses FILE to use the real ones.\n"
        ));
    }
    out.push('\n');
    out
}

/// The start of an exported shell script: the interpreter line, the
/// header, and strict mode.
pub(crate) fn script_start(plan: &ClusterPlan, usage: &str) -> String {
    let mut out = String::from("#!/usr/bin/env bash\n");
    out.push_str(&header(plan, None, "#", usage));
    out
}

/// The region of a GCP or Azure zone name: all before its last `-`
/// (`us-central1-a` → `us-central1`, `eastus-1` → `eastus`).
pub(crate) fn dash_region(zone: &str) -> String {
    zone.rsplit_once('-').map_or(zone, |(r, _)| r).to_string()
}

/// The files of one target.
pub fn files(target: Target, plan: &ClusterPlan, c: &Catalog, hosts: &Hosts) -> Vec<ExportFile> {
    let file = |name: String, text: String| ExportFile {
        name,
        text,
        executable: false,
    };
    match target {
        Target::Haproxy => vec![file("haproxy.cfg".into(), haproxy::config(plan, c, hosts))],
        Target::Keepalived => {
            let lb = lb_hosts(plan, hosts);
            let mut out: Vec<ExportFile> = (0..lb.len())
                .map(|i| {
                    file(
                        format!("keepalived-{}.conf", lb[i].name),
                        keepalived::config(plan, c, hosts, lb, i),
                    )
                })
                .collect();
            out.push(ExportFile {
                name: "check_apiserver.sh".into(),
                text: keepalived::check_script(plan, c),
                executable: true,
            });
            out
        }
        Target::Storage => vec![file(
            "storageclasses.yaml".into(),
            storage::classes(plan, c),
        )],
        Target::Eksctl => vec![file("eksctl-cluster.yaml".into(), eksctl::config(plan, c))],
        Target::Kops => vec![file("kops-cluster.yaml".into(), kops::config(plan, c))],
        Target::Gke => vec![ExportFile {
            name: "gke-create.sh".into(),
            text: gke::script(plan, c),
            executable: true,
        }],
        Target::Aks => vec![ExportFile {
            name: "aks-create.sh".into(),
            text: aks::script(plan, c),
            executable: true,
        }],
        Target::Kubeadm => {
            let mut out = vec![file(
                "kubeadm-init.yaml".into(),
                kubeadm::init(plan, c, hosts),
            )];
            if hosts.control_plane.len() > 1 {
                out.push(file(
                    "kubeadm-join-control-plane.yaml".into(),
                    kubeadm::join(plan, c, hosts, true),
                ));
            }
            out.push(file(
                "kubeadm-join-worker.yaml".into(),
                kubeadm::join(plan, c, hosts, false),
            ));
            out
        }
        Target::Etcd => {
            let mut out: Vec<ExportFile> = (0..hosts.etcd.len())
                .map(|i| {
                    file(
                        format!("etcd-{}.yml", hosts.etcd[i].name),
                        etcd::member(plan, c, hosts, i),
                    )
                })
                .collect();
            out.push(file("etcd.service".into(), etcd::unit(plan)));
            out
        }
    }
}

/// `docs/export.md`: the command, the addresses file, and one full example
/// of each target, made from `plan` (the docs use the on-prem stacked
/// example) with documentation addresses. A test keeps the file current.
/// The opening of `docs/export.md`: the command, what every file keeps to,
/// and the addresses file.
const REFERENCE_INTRO: &str =         "# kubeplan export\n\n\
<!-- Generated from the code: `KUBEPLAN_BLESS=1 cargo test --test it export_reference` rewrites it. -->\n\n\
`kubeplan export PLAN [--to TARGET,...] [-d DIR] [--force] [--addresses FILE] [--allow-errors]`\n\
writes the configuration files a plan's installers read into `DIR` (default\n\
`./CLUSTER-NAME/`; with several plans in one file, one folder per plan).\n\
Every file is made before any is written; an existing file is refused\n\
without `--force`, and each is written atomically. A plan with lint errors\n\
is refused (exit 1, the errors printed) unless `--allow-errors`. `--to`\n\
defaults to every target that applies to the plan; asking for one that\n\
does not is exit 2 with the reason. The command ends with the files it\n\
wrote and the order to apply them in.\n\n\
Each exported file is checked in the test suite by the program that reads\n\
it: `haproxy -c`, `keepalived -t`, and a real etcd cluster of 3 and of 5\n\
members started from the member configurations, which keeps taking writes\n\
after losing as many members as its quorum allows and stops after one more,\n\
and `systemd-analyze verify` for etcd's unit (`.ci/run` installs haproxy,\n\
keepalived, etcd and systemd). The installers that cannot run there are\n\
checked against their own definitions: kubeadm's files against a strict\n\
model of its v1beta4 Go types, eksctl's against the JSON Schema eksctl\n\
publishes, kOps's against a strict model of its v1alpha2 Go types; the GKE\n\
and AKS scripts pass `bash -n`, run with stand-in `gcloud` and `az` that\n\
record every call, and each flag is one the real CLI documents for that\n\
command.\n\n\
Every file keeps to what its platform takes ([sizing.md](sizing.md), \"What a\n\
managed service takes\"): zones of the plan's region, ranges the managed\n\
service accepts and clear of its own, pools within its limits; the test\n\
sweep runs kubeplan's rules on every exported plan and on the eksctl and kOps\n\
files read back. Storage classes carry the parameters their CSI drivers\n\
need to deliver what the class says (`type: pd-ssd`, `skuName: Premium_LRS`,\n\
EFS's file system, the NFS server and export, the LVM volume group, Rook's\n\
pool and secrets), with `allowVolumeExpansion` only where the driver grows a\n\
volume (not EFS, csi-driver-nfs or local-path). The storage step installs\n\
the drivers the cluster's tool does not (kOps has no EFS driver: its file\n\
gives the nodes the EFS policy; kubeadm installs none), says what must exist\n\
first (an EFS file system, the NFS export, the LVM volume group) and names\n\
each placeholder to fill in. The GKE script leaves the services range to\n\
GKE unless the plan gives one, and turns on the Filestore CSI driver (off by\n\
default on GKE Standard) with `--addons`, keeping gcloud's default add-ons.\n\n\
## Addresses\n\n\
A plan has no IP addresses. `--addresses FILE` gives them; without it the\n\
files use documentation addresses from 192.0.2.0/24 (RFC 5737) and say so\n\
in a header comment and on stderr.\n\n\
```yaml\n\
virtualIP: 10.0.0.10          # the API's virtual IP (keepalived), when the plan has one\n\
interface: eth0               # the interface keepalived negotiates it on (default eth0)\n\
controlPlane:                 # one host per control-plane node, in order\n\
  - {name: cp1, ip: 10.0.0.11}\n\
  - {name: cp2, ip: 10.0.0.12}\n\
  - {name: cp3, ip: 10.0.0.13}\n\
etcd: []                      # external etcd members (a stacked etcd runs on the control plane)\n\
loadBalancers:                # dedicated load-balancer hosts\n\
  - {name: lb1, ip: 10.0.0.21}\n\
  - {name: lb2, ip: 10.0.0.22}\n\
```\n\n\
Too few hosts for a role, an address given twice, and a virtual IP inside\n\
the plan's service range are each a one-line error, and nothing is written.\n\n\
## Targets\n";

pub fn reference(plans: &[(&str, &ClusterPlan)], c: &Catalog) -> String {
    let mut out = String::from(REFERENCE_INTRO);
    for t in Target::ALL {
        out.push_str(&format!("\n### {}\n", t.as_str()));
        let Some((path, plan)) = plans.iter().find(|(_, p)| t.not_for(p).is_none()) else {
            continue;
        };
        let hosts = Hosts::for_plan(plan, None).expect("documentation addresses fit every plan");
        let apply = t.apply_step(plan, c, &plan.metadata.name);
        let apply = apply.split_once(": ").map_or(apply.as_str(), |(_, a)| a);
        out.push_str(&format!(
            "\nExported from `{path}` into `{}/`. Applied: {apply}.\n",
            plan.metadata.name
        ));
        for f in files(*t, plan, c, &hosts) {
            let lang = match f.name.rsplit('.').next() {
                Some("yaml") => "yaml",
                Some("sh") => "sh",
                _ => "text",
            };
            out.push_str(&format!("\n`{}`:\n\n```{lang}\n{}```\n", f.name, f.text));
        }
    }
    out
}

/// A value for a YAML file: as written when it reads back as the same
/// string, JSON-quoted (a valid YAML double-quoted scalar) otherwise.
pub(crate) fn yaml_str(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._/".contains(c))
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    match plain {
        true => s.to_string(),
        false => serde_json::Value::String(s.to_string()).to_string(),
    }
}

/// A pool's instance type: the one the plan names, or the cheapest catalog
/// entry that covers its machine (what `bom` prices it as).
pub(crate) fn instance_type(
    c: &Catalog,
    plan: &ClusterPlan,
    m: &crate::plan::Machine,
    named: Option<&str>,
) -> String {
    named
        .map(str::to_string)
        .or_else(|| {
            c.match_instance(plan.spec.platform, m)
                .map(|i| i.name.to_string())
        })
        .unwrap_or_else(|| "PLACEHOLDER-instance-type".to_string())
}

/// The zones a managed installer names: the plan's, and the platform's next
/// ones up to the installer's minimum (EKS needs subnets in 2 zones even
/// for nodes in one).
pub(crate) fn named_zones(c: &Catalog, plan: &ClusterPlan) -> Vec<String> {
    let mut zones = plan.spec.zones.clone();
    let min = plan
        .spec
        .tooling
        .and_then(|t| c.tool(t))
        .and_then(|t| t.min_zones)
        .unwrap_or(1) as usize;
    let names = c
        .platform(plan.spec.platform)
        .zones_beside(zones.first().map_or("", String::as_str));
    let extra: Vec<String> = names
        .iter()
        .filter(|z| !zones.contains(z))
        .take(min.saturating_sub(zones.len()))
        .cloned()
        .collect();
    zones.extend(extra);
    zones
}
