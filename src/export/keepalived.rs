//! keepalived for the API's virtual IP: one `keepalived-<host>.conf` per
//! load-balancer host (the first is MASTER, the others BACKUP with falling
//! priorities) and the `check_apiserver.sh` they track, after kubeadm's
//! `docs/ha-considerations.md`, with script security on.

use std::fmt::Write;

use super::addresses::{Host, Hosts};
use super::header;
use crate::catalog::Catalog;
use crate::plan::ClusterPlan;

/// Where the configuration expects the health check.
pub const CHECK_SCRIPT: &str = "/etc/keepalived/check_apiserver.sh";

/// A stable number from the cluster name (FNV-1a), so two clusters on one
/// subnet are unlikely to share a VRRP router id or password.
fn fnv(name: &str) -> u32 {
    name.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// The configuration of the `i`-th load-balancer host.
pub fn config(plan: &ClusterPlan, c: &Catalog, hosts: &Hosts, lb: &[Host], i: usize) -> String {
    let host = &lb[i];
    let hash = fnv(&plan.metadata.name);
    let router_id = hash % 254 + 1;
    let f = &c.kubernetes.failure;
    let (state, priority) = match i {
        0 => ("MASTER", f.vrrp_master_priority as usize),
        n => (
            "BACKUP",
            (f.vrrp_backup_priority as usize)
                .saturating_sub(n - 1)
                .max(1),
        ),
    };
    let vip = hosts
        .virtual_ip
        .map_or_else(String::new, |ip| ip.to_string());
    let mut out = header(plan, Some(hosts), "!", "/etc/keepalived/keepalived.conf");
    let _ = write!(
        out,
        "global_defs {{
    router_id {name}
    # Run the check as root, and only if no other user can change it.
    enable_script_security
    script_user root
}}

vrrp_script check_apiserver {{
    script \"{CHECK_SCRIPT}\"
    interval {interval}
    weight -2
    fall {fall}
    rise 2
}}

vrrp_instance VI_1 {{
    state {state}
    interface {interface}
    # The same on every host of this cluster, unique among the clusters of this subnet.
    virtual_router_id {router_id}
    priority {priority}
    authentication {{
        auth_type PASS
        # The same on every host (at most 8 characters).
        auth_pass {pass:08x}
    }}
    virtual_ipaddress {{
        {vip}
    }}
    track_script {{
        check_apiserver
    }}
}}
",
        name = host.name,
        interval = c.kubernetes.failure.check_interval_s,
        fall = c.kubernetes.failure.check_fall,
        interface = hosts.interface,
        pass = hash,
    );
    out
}

/// The health check: the API answers on this host's load-balancer port.
pub fn check_script(plan: &ClusterPlan, c: &Catalog) -> String {
    let lb = plan.spec.api_load_balancer.as_ref();
    let port = lb.map_or(c.kubernetes.design.api_server_port, |lb| c.lb_port(lb));
    let mut out = "#!/bin/sh\n".to_string();
    out.push_str(&header(plan, None, "#", CHECK_SCRIPT));
    out.push_str(
        "# Install it root-owned, mode 0755, in a folder no other user can write:
# with enable_script_security keepalived refuses a script others could change.
errorExit() {
    echo \"*** $*\" 1>&2
    exit 1
}

",
    );
    let _ = writeln!(
        out,
        "curl -sfk --max-time 2 https://localhost:{port}/healthz -o /dev/null || errorExit \"Error GET https://localhost:{port}/healthz\""
    );
    out
}
