//! `haproxy.cfg` for the API: a TCP frontend on the plan's load-balancer
//! port and every control-plane node as a health-checked backend, as
//! kubeadm's `docs/ha-considerations.md` describes it.

use std::fmt::Write;

use super::addresses::Hosts;
use super::header;
use crate::catalog::Catalog;
use crate::plan::ClusterPlan;

pub fn config(plan: &ClusterPlan, c: &Catalog, hosts: &Hosts) -> String {
    let lb = plan.spec.api_load_balancer.as_ref();
    let port = lb.map_or(c.kubernetes.design.api_server_port, |lb| c.lb_port(lb));
    let api = c.kubernetes.design.api_server_port;
    let mut out = header(plan, Some(hosts), "#", "/etc/haproxy/haproxy.cfg");
    out.push_str(
        "global
    log stdout format raw local0
    daemon

defaults
    mode                    http
    log                     global
    option                  httplog
    option                  dontlognull
    option http-server-close
    option                  redispatch
    retries                 1
    timeout http-request    10s
    timeout queue           20s
    timeout connect         5s
    timeout client          35s
    timeout server          35s
    timeout http-keep-alive 10s
    timeout check           10s

# The Kubernetes API: TLS passes through to the API servers.
frontend apiserver
",
    );
    let _ = writeln!(out, "    bind *:{port}");
    out.push_str(
        "    mode tcp
    option tcplog
    default_backend apiserverbackend

# Round robin over the control-plane nodes, each checked on /healthz.
backend apiserverbackend
    option httpchk
    http-check connect ssl
    http-check send meth GET uri /healthz
    http-check expect status 200
    mode tcp
    balance roundrobin
",
    );
    for h in &hosts.control_plane {
        let addr = match h.ip {
            std::net::IpAddr::V6(ip) => format!("[{ip}]"),
            ip => ip.to_string(),
        };
        let _ = writeln!(out, "    server {} {addr}:{api} check verify none", h.name);
    }
    out
}
