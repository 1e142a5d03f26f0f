//! Pod and service CIDRs sized for the node count.

use ipnet::Ipv4Net;

use super::{DesignError, Draft, Input, Topic};
use crate::fmt::{num, plural};
use crate::plan::Network;

pub fn run(i: &Input, d: &mut Draft) -> Result<(), DesignError> {
    let np = &i.c.kubernetes.design.network;
    let nodes = d.plan.k8s_nodes();
    let max_pods = d.max_pods;
    // Each node's subnet holds twice its max pods, as GKE sizes them (110
    // pods: /24, 256: /23), so addresses are not reused at once when pods
    // churn; never smaller than the `nodeMaskMax` default (kubeadm's /24).
    let pod_bits = (f64::from(2 * max_pods.max(1))).log2().ceil() as u8;
    let mask = 32u8.saturating_sub(pod_bits).min(np.node_mask_max);
    let want = (nodes.max(1) * np.node_growth.max(1)) as f64;
    let subnet_bits = want.log2().ceil() as u8;
    let prefix = mask
        .saturating_sub(subnet_bits)
        .clamp(np.pod_prefix_min, np.pod_prefix_max);
    let pod = Ipv4Net::new(np.pod_base, prefix)
        .map(|n| n.trunc())
        .unwrap_or(np.service_cidr);
    let svc =
        if pod.contains(&np.service_cidr.network()) || np.service_cidr.contains(&pod.network()) {
            np.alternate_service_cidr
        } else {
            np.service_cidr
        };
    let subnets = 1u64 << mask.saturating_sub(prefix).min(63);
    d.why(
        Topic::Network,
        format!("network: pods {pod} with a /{mask} per node, services {svc}"),
        format!(
            "a /{mask} gives each node {} addresses for its {} pods; {pod} holds {} node subnets for {}",
            (1u64 << (32 - mask)) - 2,
            max_pods,
            num(subnets),
            plural(nodes, "node", "nodes")
        ),
    );
    d.plan.spec.network = Some(Network {
        pod_cidr: pod.to_string(),
        service_cidr: svc.to_string(),
        node_cidr_mask_size: Some(mask),
    });
    Ok(())
}
