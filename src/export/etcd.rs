//! External etcd: one `--config-file` YAML per member (the keys are etcd's
//! flag names) and the systemd unit that runs it. Certificates are where
//! kubeadm's external-etcd guide puts them.

use std::fmt::Write;

use super::addresses::{Host, Hosts};
use super::header;
use crate::catalog::Catalog;
use crate::plan::ClusterPlan;

/// Where each member's configuration goes.
pub const CONFIG_PATH: &str = "/etc/etcd/etcd.conf.yml";
/// Where the etcd release puts the binary (Debian's package: /usr/bin/etcd).
pub const BINARY: &str = "/usr/local/bin/etcd";
const PKI: &str = "/etc/kubernetes/pki/etcd";

/// `https://HOST:PORT` (IPv6 addresses bracketed).
pub fn url(h: &Host, port: u16) -> String {
    match h.ip {
        std::net::IpAddr::V6(ip) => format!("https://[{ip}]:{port}"),
        ip => format!("https://{ip}:{port}"),
    }
}

/// The configuration of member `i`.
pub fn member(plan: &ClusterPlan, c: &Catalog, hosts: &Hosts, i: usize) -> String {
    let me = &hosts.etcd[i];
    let e = &c.kubernetes.etcd;
    let cluster: Vec<String> = hosts
        .etcd
        .iter()
        .map(|h| format!("{}={}", h.name, url(h, e.peer_port)))
        .collect();
    let token = format!("{}-etcd", plan.metadata.name);
    let mut out = header(plan, Some(hosts), "#", CONFIG_PATH);
    let _ = write!(
        out,
        "name: {name}
data-dir: /var/lib/etcd
# The members that bootstrap the cluster together.
initial-cluster: {cluster}
initial-cluster-state: new
initial-cluster-token: {token}
listen-peer-urls: {peer}
initial-advertise-peer-urls: {peer}
listen-client-urls: {client},https://127.0.0.1:{client_port}
advertise-client-urls: {client}
# Milliseconds: about the members' round-trip time, and at least 10 times it.
heartbeat-interval: {beat}
election-timeout: {election}
client-transport-security:
  cert-file: {PKI}/server.crt
  key-file: {PKI}/server.key
  trusted-ca-file: {PKI}/ca.crt
  client-cert-auth: true
peer-transport-security:
  cert-file: {PKI}/peer.crt
  key-file: {PKI}/peer.key
  trusted-ca-file: {PKI}/ca.crt
  client-cert-auth: true
",
        name = me.name,
        cluster = cluster.join(","),
        peer = url(me, e.peer_port),
        client = url(me, e.client_port),
        client_port = e.client_port,
        beat = e.heartbeat_interval_ms,
        election = e.election_timeout_ms,
    );
    out
}

/// The systemd unit, the same on every member.
pub fn unit(plan: &ClusterPlan) -> String {
    let mut out = header(plan, None, "#", "/etc/systemd/system/etcd.service");
    let _ = write!(
        out,
        "[Unit]
Description=etcd member of the cluster {name}
Documentation=https://etcd.io/docs/
After=network-online.target
Wants=network-online.target

[Service]
Type=notify
ExecStart={BINARY} --config-file {CONFIG_PATH}
Restart=always
RestartSec=5s
LimitNOFILE=40000

[Install]
WantedBy=multi-user.target
",
        name = plan.metadata.name
    );
    out
}
