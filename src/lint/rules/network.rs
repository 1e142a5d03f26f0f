//! Network: pod and service CIDRs against the node and pod counts.

use super::prelude::*;
use crate::sizing;

pub const GROUP: &str = "Network";

rule! {
    NETWORK_CIDR_OVERLAP: "network-cidr-overlap", Always(Error), Some(network_cidr_overlap),
    summary: "Pod and service CIDRs overlap.",
    what: "Whether `network.podCIDR` and `network.serviceCIDR` share any address.",
    why: "An address that is both a pod and a service IP routes unpredictably; kube-proxy and the CNI fight over it.",
    fix: "Use disjoint ranges, such as the kubeadm defaults 10.244.0.0/16 (pods) and 10.96.0.0/12 (services).",
    near_miss: [("podCIDR: 10.96.0.0/16", "podCIDR: 10.244.0.0/16")],
}

fn network_cidr_overlap(ctx: &Ctx) -> Vec<Hit> {
    let Some((pod, svc, _)) = cidrs(ctx) else {
        return vec![];
    };
    if !(pod.contains(&svc.network()) || svc.contains(&pod.network())) {
        return vec![];
    }
    vec![Hit::new(
        "spec.network.serviceCIDR",
        format!("serviceCIDR {svc} overlaps podCIDR {pod}"),
        "use disjoint ranges, e.g. 10.244.0.0/16 for pods and 10.96.0.0/12 for services",
    )]
}

rule! {
    NETWORK_POD_CIDR_TOO_SMALL: "network-pod-cidr-too-small", Always(Error), Some(network_pod_cidr_too_small),
    needs: [ControlPlane, Workers],
    summary: "The pod CIDR cannot give every node its own subnet.",
    what: "2^(nodeCIDRMaskSize - podCIDR prefix) node subnets against the plan's node count (Kubespray's inventory check).",
    why: "Each node takes one nodeCIDRMaskSize subnet of the pod CIDR; nodes past the last subnet join without a pod range and cannot run pods.",
    fix: "Widen the pod CIDR (a shorter prefix) or use a longer nodeCIDRMaskSize.",
    near_miss: [("10.244.0.0/20", "10.244.0.0/19")],
}

fn network_pod_cidr_too_small(ctx: &Ctx) -> Vec<Hit> {
    let Some((pod, _, mask)) = cidrs(ctx) else {
        return vec![];
    };
    let nodes = ctx.plan.k8s_nodes();
    let prefix = pod.prefix_len();
    let subnets: u128 = if mask < prefix {
        0
    } else {
        1u128 << u32::from(mask - prefix).min(100)
    };
    if u128::from(nodes) <= subnets {
        return vec![];
    }
    let msg = if mask < prefix {
        format!("nodeCIDRMaskSize /{mask} is wider than podCIDR {pod}: no node gets a subnet")
    } else {
        format!(
            "podCIDR {pod} holds {} /{mask} node subnets but the plan has {} nodes",
            num(subnets as u64),
            num(nodes)
        )
    };
    let need = prefix
        .saturating_sub((nodes as f64).log2().ceil() as u8 - (subnets.max(1) as f64).log2() as u8);
    vec![Hit::new(
        "spec.network.podCIDR",
        msg,
        format!(
            "widen the pod CIDR (e.g. /{} or shorter) or use a longer nodeCIDRMaskSize",
            need.min(prefix)
        ),
    )]
}

rule! {
    NETWORK_NODE_CIDR_TOO_SMALL: "network-node-cidr-too-small", Always(Error), Some(network_node_cidr_too_small),
    needs: [Workers],
    summary: "A node's pod subnet holds fewer addresses than maxPods.",
    what: "2^(address bits - nodeCIDRMaskSize) - 2 addresses against each pool's `maxPods` (Kubespray: \"do not schedule more pods on a node than inet addresses are available\").",
    why: "Pods past the subnet's addresses cannot get an IP and stay in ContainerCreating.",
    fix: "Use a shorter nodeCIDRMaskSize (/24 holds 254 addresses, enough for 110 pods) or lower maxPods.",
    near_miss: [("nodeCIDRMaskSize: 26", "nodeCIDRMaskSize: 25")],
}

fn network_node_cidr_too_small(ctx: &Ctx) -> Vec<Hit> {
    let Some((pod, _, mask)) = cidrs(ctx) else {
        return vec![];
    };
    let bits: u8 = if matches!(pod, ipnet::IpNet::V4(_)) {
        32
    } else {
        128
    };
    let addresses: u128 = if mask >= bits {
        0
    } else {
        (1u128 << u32::from(bits - mask).min(100)).saturating_sub(2)
    };
    let max_pods = |w: &&crate::plan::WorkerPool| ctx.catalog.max_pods(w);
    let Some(pool) = ctx.plan.spec.workers.iter().max_by_key(max_pods) else {
        return vec![];
    };
    let most = ctx.catalog.max_pods(pool);
    if u128::from(most) <= addresses {
        return vec![];
    }
    vec![Hit::new(
        "spec.network.nodeCIDRMaskSize",
        format!(
            "a /{mask} node subnet holds {addresses} pod addresses but pool `{}` sets maxPods {}",
            pool.name, most
        ),
        "use a shorter nodeCIDRMaskSize (/24 holds 254 addresses) or lower maxPods",
    )]
}

fn cidrs(ctx: &Ctx) -> Option<(ipnet::IpNet, ipnet::IpNet, u8)> {
    let n = ctx.plan.spec.network.as_ref()?;
    let pod: ipnet::IpNet = n.pod_cidr.as_ref()?.parse().ok()?;
    let svc: ipnet::IpNet = n.service_cidr.parse().ok()?;
    let default_mask = if matches!(pod, ipnet::IpNet::V4(_)) {
        24
    } else {
        64
    };
    Some((pod, svc, n.node_cidr_mask_size.unwrap_or(default_mask)))
}

rule! {
    NETWORK_SUBNET_TOO_SMALL: "network-subnet-too-small", Always(Error), Some(network_subnet_too_small),
    needs: [Workers, Zones, Machines],
    summary: "A VPC subnet cannot give its zone's nodes and pods their addresses.",
    what: "Where pods take VPC addresses (EKS's VPC CNI), each `network.subnets` entry against the addresses its zone's nodes take: each node its own, one per pod at maxPods, and the CNI's warm ENI (the type's IPv4 per ENI - 1), plus the addresses the provider keeps in every subnet (5 on AWS).",
    why: "A pod that finds no free address in its node's subnet stays in ContainerCreating, and a node that cannot get an address does not join: the zone holds fewer pods than the plan counts on.",
    fix: "Use a wider `vpcCIDR` (eksctl splits it evenly per zone), fewer or smaller nodes per zone, or lower maxPods.",
    near_miss: [("vpcCIDR: 192.168.0.0/22", "vpcCIDR: 192.168.0.0/19"), ("192.168.1.128/25", "192.168.16.0/22"), ("192.168.2.0/25", "192.168.20.0/22"), ("192.168.2.128/25", "192.168.24.0/22")],
}

fn network_subnet_too_small(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    let Some(n) = &p.spec.network else {
        return vec![];
    };
    let reserved = ctx
        .catalog
        .platform(p.spec.platform)
        .vpc
        .as_ref()
        .map_or(0, |v| v.reserved_per_subnet);
    let need = sizing::vpc_zone_need(ctx.catalog, p);
    let mut hits = Vec::new();
    for (i, s) in n.subnets.iter().enumerate() {
        let Ok(cidr) = s.cidr.parse::<ipnet::Ipv4Net>() else {
            continue;
        };
        let want = need
            .iter()
            .find(|(z, _)| *z == s.zone)
            .map_or(0, |(_, v)| *v);
        let have = sizing::subnet_capacity(cidr, reserved);
        if want > have {
            hits.push(Hit::new(
                format!("spec.network.subnets[{i}].cidr"),
                format!(
                    "subnet {cidr} in {} gives {} addresses ({reserved} kept by the provider), but its nodes and pods take {}",
                    s.zone,
                    num(have),
                    num(want)
                ),
                "use a wider vpcCIDR (eksctl splits it evenly per zone), or fewer nodes or pods per node in this zone",
            ));
        }
    }
    hits
}
