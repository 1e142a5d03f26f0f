//! The tool that builds the cluster: the managed service, or the platform's
//! self-managed tool (kubeadm when that tool cannot run external etcd).

use super::{DesignError, Draft, Input, Topic};
use crate::plan::{EtcdTopology, Tooling};

pub fn run(i: &Input, d: &mut Draft) -> Result<(), DesignError> {
    if i.learning() {
        return Ok(());
    }
    let mut tool = d.managed.unwrap_or(i.prof.tooling.self_managed);
    let can_external = |t: Tooling| i.c.tool(t).is_none_or(|p| p.external_etcd);
    if d.topology == EtcdTopology::External && !can_external(tool) {
        tool = Tooling::Kubeadm;
    }
    d.plan.spec.tooling = Some(tool);
    let title = &i.prof.title;
    if let Some(t) = d.managed {
        d.why(
            Topic::Tooling,
            format!("tooling: {t} (managed control plane)"),
            format!("the provider runs etcd, the API servers and their load balancer on {title}: the plan has no control-plane machines, etcd or API load balancer to size"),
        );
        min_zones(i, d, t);
        return Ok(());
    }
    let usual = i.prof.tooling.self_managed;
    let why = if !i.a.platform.cloud() {
        "on your own machines kubeadm bootstraps each node; you provision the hosts".to_string()
    } else if i.a.managed {
        format!("{title} offers no managed service in the catalog: {tool} builds the control plane on VMs")
    } else if usual != tool {
        format!("{usual} keeps etcd on its control-plane nodes; kubeadm joins the control plane to external etcd members on {title} VMs you provision")
    } else if tool == Tooling::Kubeadm {
        format!("a self-managed control plane on {title} VMs you provision: kubeadm bootstraps each node")
    } else {
        format!("a self-managed control plane on {title}: {tool} provisions the VMs and bootstraps Kubernetes")
    };
    d.why(Topic::Tooling, format!("tooling: {tool}"), why);
    Ok(())
}

/// A tool that needs more zones than the design spans (eksctl: 2) names
/// extra ones for its control plane; the nodes stay in the design's zones.
pub(super) fn min_zones(i: &Input, d: &mut Draft, tool: Tooling) {
    let Some(min) = i.c.tool(tool).and_then(|t| t.min_zones) else {
        return;
    };
    if i.a.zones >= min {
        return;
    }
    let zones = i.zone_names(min);
    d.why(
        Topic::Zones,
        format!("zones: {} for the {tool} control plane", zones.join(", ")),
        format!(
            "{tool}'s installer refuses fewer than {min} availability zones (the control plane needs subnets in {min}): the commands name {} too, and the workers stay in {} (--node-zones)",
            zones[i.a.zones as usize..].join(", "),
            zones[..i.a.zones as usize].join(", ")
        ),
    );
}
