//! Pod and service CIDRs: the ones answered, or sized for the node count.

use ipnet::Ipv4Net;

use super::{DesignError, Draft, Input, Topic};
use crate::fmt::{num, plural};
use crate::plan::{Network, Tooling};

fn overlap(a: Ipv4Net, b: Ipv4Net) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

/// A pod range from the base that holds `nodeGrowth` x the nodes' subnets.
fn sized_pod_range(i: &Input, nodes: u64, mask: u8) -> Ipv4Net {
    let np = &i.c.kubernetes.design.network;
    let want = (nodes.max(1) * np.node_growth.max(1)) as f64;
    let subnet_bits = want.log2().ceil() as u8;
    let prefix = mask
        .saturating_sub(subnet_bits)
        .clamp(np.pod_prefix_min, np.pod_prefix_max);
    Ipv4Net::new(np.pod_base, prefix)
        .map(|n| n.trunc())
        .unwrap_or(np.service_cidr)
}

pub fn run(i: &Input, d: &mut Draft) -> Result<(), DesignError> {
    if let Some(vpc) = super::vpc::model(i, d.managed.is_some()) {
        return super::vpc::run(i, d, vpc);
    }
    let np = &i.c.kubernetes.design.network;
    let nodes = d.plan.k8s_nodes();
    let max_pods = d.max_pods;
    // Each node's subnet holds twice its max pods, as GKE sizes them (110
    // pods: /24, 256: /23), so addresses are not reused at once when pods
    // churn; never smaller than the `nodeMaskMax` default (kubeadm's /24).
    let pod_bits = (f64::from(2 * max_pods.max(1))).log2().ceil() as u8;
    let mask = 32u8.saturating_sub(pod_bits).min(np.node_mask_max);
    let (given_pod, given_svc) = (i.a.pod_cidr.given(), i.a.service_cidr.given());
    let pod = given_pod.unwrap_or_else(|| sized_pod_range(i, nodes, mask));
    let platform_net = i.prof.network.as_ref().filter(|_| d.managed.is_some());
    let default_svc = platform_net.map_or(np.service_cidr, |n| n.service_cidr);
    let svc = match given_svc {
        Some(s) => s,
        None if overlap(pod, default_svc) => np.alternate_service_cidr,
        None => default_svc,
    };
    if let Some(above) = platform_net.and_then(|n| n.service_prefix_above) {
        if svc.prefix_len() <= above {
            return Err(DesignError::Network(format!(
                "{} needs a service range smaller than /{above}; {svc} is not: give a /{} or narrower (--service-cidr)",
                i.prof.title,
                above + 1
            )));
        }
    }
    if overlap(pod, svc) {
        return Err(DesignError::Network(format!(
            "the pod range {pod} and the service range {svc} overlap; give disjoint ranges (--pod-cidr, --service-cidr)"
        )));
    }
    let subnets = 1u64 << mask.saturating_sub(pod.prefix_len()).min(63);
    if pod.prefix_len() > mask || subnets < nodes {
        return Err(DesignError::Network(format!(
            "the pod range {pod} holds {} /{mask} node subnets, but the design has {}: give a wider --pod-cidr (or auto)",
            num(if pod.prefix_len() > mask { 0 } else { subnets }),
            plural(nodes, "node", "nodes")
        )));
    }
    let answered = |given: Option<Ipv4Net>| {
        if given.is_some() {
            " (as answered)"
        } else {
            ""
        }
    };
    d.why(
        Topic::Network,
        format!(
            "network: pods {pod}{} with a /{mask} per node, services {svc}{}",
            answered(given_pod),
            answered(given_svc)
        ),
        format!(
            "a /{mask} gives each node {} addresses for its {} pods; {pod} holds {} node subnets for {}",
            (1u64 << (32 - mask)) - 2,
            max_pods,
            num(subnets),
            plural(nodes, "node", "nodes")
        ),
    );
    cni_note(i, d, pod);
    d.plan.spec.network = Some(Network {
        pod_cidr: Some(pod.to_string()),
        service_cidr: svc.to_string(),
        node_cidr_mask_size: Some(mask),
        vpc_cidr: None,
        subnets: Vec::new(),
    });
    Ok(())
}

/// What the tool does with the pod range: kubeadm hands it to no CNI, so
/// the CNI's own pool must be set to it; GKE's default max pods is lower
/// than the design's.
fn cni_note(i: &Input, d: &mut Draft, pod: Ipv4Net) {
    let np = &i.c.kubernetes.design.network;
    match d.plan.spec.tooling {
        Some(Tooling::Kubeadm | Tooling::Kubespray) => {
            let pools: Vec<String> = np
                .cni_default_pools
                .iter()
                .map(|c| format!("{} {}", c.name, c.pool))
                .collect();
            d.why(
                Topic::Network,
                format!("network: set the CNI's pool to {pod}"),
                format!("kubeadm passes --pod-network-cidr to the controller manager only: the CNI allocates pod addresses from its own pool, which must be the same range (defaults: {})", pools.join(", ")),
            );
        }
        Some(Tooling::Gke) => {
            let default = i.prof.default_max_pods_per_node.unwrap_or(d.max_pods);
            if d.max_pods > default {
                d.why(
                    Topic::Network,
                    format!("network: {} pods per node on GKE", d.max_pods),
                    format!("GKE Standard gives a node {default} pods by default (Autopilot 32): the commands raise it with --max-pods-per-node {} and pass the pod range {pod} (--cluster-ipv4-cidr)", d.max_pods),
                );
            }
        }
        _ => {}
    }
}
