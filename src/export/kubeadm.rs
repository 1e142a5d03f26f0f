//! kubeadm (`kubeadm.k8s.io/v1beta4`): `kubeadm-init.yaml` (InitConfiguration
//! and ClusterConfiguration) for the first control-plane node, and the
//! JoinConfigurations for the other control-plane nodes and the workers.
//! Secrets kubeadm makes at `init` time (the token, the CA hash, the
//! certificate key) are marked placeholders.

use std::fmt::Write;

use super::addresses::{Host, Hosts};
use super::{header, lb_hosts};
use crate::catalog::Catalog;
use crate::plan::{ClusterPlan, EtcdTopology};

pub const API_VERSION: &str = "kubeadm.k8s.io/v1beta4";
const TOKEN: &str = "\"abcdef.0123456789abcdef\"  # PLACEHOLDER: the token `kubeadm init` printed (or `kubeadm token create`)";
const CA_HASH: &str = "\"sha256:0000000000000000000000000000000000000000000000000000000000000000\"  # PLACEHOLDER: the hash `kubeadm init` printed";
const CERT_KEY: &str = "\"0000000000000000000000000000000000000000000000000000000000000000\"  # PLACEHOLDER: the key `kubeadm init --upload-certs` printed";

fn address(h: &Host) -> String {
    match h.ip {
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    }
}

/// Where clients reach the API: the virtual IP, the one load balancer, or
/// the first control-plane node; with the load balancer's port.
pub fn endpoint(plan: &ClusterPlan, c: &Catalog, hosts: &Hosts) -> String {
    let lb = plan
        .spec
        .api_load_balancer
        .as_ref()
        .filter(|l| l.kind.needs_hosts());
    let port = lb.map_or(c.kubernetes.design.api_server_port, |l| c.lb_port(l));
    let host = match (hosts.virtual_ip, lb_hosts(plan, hosts).first(), lb) {
        (Some(vip), _, _) => match vip {
            std::net::IpAddr::V6(ip) => format!("[{ip}]"),
            ip => ip.to_string(),
        },
        (None, Some(h), Some(_)) => address(h),
        _ => hosts.control_plane.first().map(address).unwrap_or_default(),
    };
    format!("{host}:{port}")
}

fn leader_election_args(plan: &ClusterPlan) -> String {
    let Some(le) = plan.spec.control_plane.leader_election.as_ref() else {
        return String::new();
    };
    let mut out = String::from("  extraArgs:\n");
    if !le.enabled {
        out.push_str("    - {name: leader-elect, value: \"false\"}\n");
        return out;
    }
    for (name, value) in [
        ("leader-elect-lease-duration", &le.lease_duration),
        ("leader-elect-renew-deadline", &le.renew_deadline),
        ("leader-elect-retry-period", &le.retry_period),
    ] {
        let _ = writeln!(out, "    - {{name: {name}, value: \"{value}\"}}");
    }
    out
}

/// `kubeadm-init.yaml`: `kubeadm init --config kubeadm-init.yaml --upload-certs`.
pub fn init(plan: &ClusterPlan, c: &Catalog, hosts: &Hosts) -> String {
    let first = &hosts.control_plane[0];
    let api = c.kubernetes.design.api_server_port;
    let mut out = header(
        plan,
        Some(hosts),
        "#",
        "kubeadm-init.yaml (kubeadm init --config kubeadm-init.yaml --upload-certs)",
    );
    let _ = writeln!(
        out,
        "apiVersion: {API_VERSION}\nkind: InitConfiguration\nnodeRegistration:\n  name: {}",
        first.name
    );
    if plan.cp_schedulable() {
        out.push_str("  # The plan runs workloads on the control plane: no NoSchedule taint.\n  taints: []\n");
    }
    let _ = writeln!(
        out,
        "localAPIEndpoint:\n  advertiseAddress: {}\n  bindPort: {api}\n---\napiVersion: {API_VERSION}\nkind: ClusterConfiguration\nclusterName: {}\ncontrolPlaneEndpoint: \"{}\"",
        first.ip,
        plan.metadata.name,
        endpoint(plan, c, hosts)
    );
    if let Some(n) = &plan.spec.network {
        out.push_str("networking:\n");
        if let Some(pod) = &n.pod_cidr {
            let _ = writeln!(out, "  podSubnet: {pod}");
        }
        let _ = writeln!(out, "  serviceSubnet: {}", n.service_cidr);
    }
    if plan.etcd_topology() == Some(EtcdTopology::External) {
        out.push_str("etcd:\n  external:\n    endpoints:\n");
        for h in &hosts.etcd {
            let url = super::etcd::url(h, c.kubernetes.etcd.client_port);
            let _ = writeln!(out, "      - {url}");
        }
        out.push_str(
            "    caFile: /etc/kubernetes/pki/etcd/ca.crt
    certFile: /etc/kubernetes/pki/apiserver-etcd-client.crt
    keyFile: /etc/kubernetes/pki/apiserver-etcd-client.key
",
        );
    } else {
        out.push_str("etcd:\n  local:\n    dataDir: /var/lib/etcd\n");
    }
    let args = leader_election_args(plan);
    if !args.is_empty() {
        let _ = write!(out, "controllerManager:\n{args}scheduler:\n{args}");
    }
    out
}

/// `kubeadm-join-control-plane.yaml` (`control_plane`) or
/// `kubeadm-join-worker.yaml`: `kubeadm join --config FILE` on each node.
pub fn join(plan: &ClusterPlan, c: &Catalog, hosts: &Hosts, control_plane: bool) -> String {
    let file = match control_plane {
        true => "kubeadm-join-control-plane.yaml",
        false => "kubeadm-join-worker.yaml",
    };
    let mut out = header(
        plan,
        Some(hosts),
        "#",
        &format!("{file} (kubeadm join --config {file})"),
    );
    let _ = writeln!(
        out,
        "apiVersion: {API_VERSION}\nkind: JoinConfiguration\ndiscovery:\n  bootstrapToken:\n    apiServerEndpoint: \"{}\"\n    token: {TOKEN}\n    caCertHashes:\n      - {CA_HASH}",
        endpoint(plan, c, hosts)
    );
    if control_plane {
        let _ = writeln!(
            out,
            "controlPlane:\n  # The node's own address is detected; set localAPIEndpoint.advertiseAddress to choose it.\n  certificateKey: {CERT_KEY}"
        );
    }
    out
}
