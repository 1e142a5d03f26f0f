//! Pod and service CIDRs: the ones answered, or sized for the node count,
//! within what the platform's managed service accepts and clear of the
//! ranges it uses itself.

use ipnet::Ipv4Net;

use super::{DesignError, Draft, Input, Topic};
use crate::catalog::{overlap, PlatformNetwork};
use crate::plan::{Network, Tooling};
use crate::prose::{num, plural};

/// The prefix of a pod range that holds `nodeGrowth` x the nodes' /`mask`
/// subnets, within the policy's and the platform's bounds.
fn pod_prefix(i: &Input, nodes: u64, mask: u8, net: Option<&PlatformNetwork>) -> u8 {
    let np = &i.c.kubernetes.design.network;
    let want = (nodes.max(1) * np.node_growth.max(1)) as f64;
    let subnet_bits = want.log2().ceil() as u8;
    let bounds = net.and_then(|n| n.pod_prefix);
    let widest = bounds
        .and_then(|b| b.widest)
        .map_or(np.pod_prefix_min, |w| w.max(np.pod_prefix_min));
    let narrowest = bounds
        .and_then(|b| b.narrowest)
        .map_or(np.pod_prefix_max, |n| n.min(np.pod_prefix_max));
    mask.saturating_sub(subnet_bits)
        .clamp(widest, narrowest.max(widest))
}

/// A pod range of `prefix`: the policy's base first (10.244.0.0/16 and the
/// ranges that grow from it), else the first block of the platform's pod
/// space that is clear of every range in `avoid`.
fn pick_pod_range(
    i: &Input,
    prefix: u8,
    space: Option<Ipv4Net>,
    avoid: &[Ipv4Net],
) -> Option<Ipv4Net> {
    let np = &i.c.kubernetes.design.network;
    let clear =
        |n: &Ipv4Net| space.is_none_or(|s| s.contains(n)) && !avoid.iter().any(|a| overlap(*a, *n));
    let base = Ipv4Net::new(np.pod_base, prefix).ok().map(|n| n.trunc());
    if let Some(b) = base.filter(clear) {
        return Some(b);
    }
    let space = space.or_else(|| {
        Ipv4Net::new(np.pod_base, np.pod_prefix_min)
            .ok()
            .map(|n| n.trunc())
    })?;
    space
        .subnets(prefix.max(space.prefix_len()))
        .ok()?
        .find(|n| clear(n))
}

/// The size of each node's pod range: the platform's rule, else twice the
/// node's max pods, never smaller than `nodeMaskMax` (kubeadm's /24).
fn node_mask(i: &Input, max_pods: u32, net: Option<&PlatformNetwork>) -> u8 {
    if let Some(rule) = net.and_then(|n| n.node_range) {
        return rule.prefix(max_pods);
    }
    let np = &i.c.kubernetes.design.network;
    let pod_bits = (f64::from(2 * max_pods.max(1))).log2().ceil() as u8;
    32u8.saturating_sub(pod_bits).min(np.node_mask_max)
}

/// The service range: the one answered (within the platform's bounds), the
/// platform's, or the policy's (its alternative when the pods cover it).
pub(super) fn service_range(
    i: &Input,
    net: Option<&PlatformNetwork>,
    pod: Option<Ipv4Net>,
) -> Result<Ipv4Net, DesignError> {
    let np = &i.c.kubernetes.design.network;
    let Some(net) = net else {
        return Ok(match (i.a.service_cidr.given(), pod) {
            (Some(s), _) => s,
            (None, Some(p)) if overlap(p, np.service_cidr) => np.alternate_service_cidr,
            (None, _) => np.service_cidr,
        });
    };
    let Some(svc) = i.a.service_cidr.given() else {
        return Ok(net.service_cidr);
    };
    let title = &managed_name(i);
    if let Some(b) = net.service_prefix.filter(|b| !b.allows(svc.prefix_len())) {
        return Err(DesignError::Network(format!(
            "{title} takes a service range of {}; {svc} is not (--service-cidr)",
            b.describe()
        )));
    }
    if !net.service_within.is_empty() && !net.service_within.iter().any(|w| w.contains(&svc)) {
        let within: Vec<String> = net.service_within.iter().map(|w| w.to_string()).collect();
        return Err(DesignError::Network(format!(
            "{title} takes a service range inside {}; {svc} is not (--service-cidr)",
            within.join(", ")
        )));
    }
    refuse_reserved(i, net, svc, "--service-cidr")?;
    Ok(svc)
}

/// The managed service by name (GKE, AKS, EKS), else the platform's title.
fn managed_name(i: &Input) -> String {
    i.prof
        .tooling
        .managed
        .map_or(i.prof.title.clone(), |t| t.as_str().to_uppercase())
}

/// An answered range that overlaps a range the provider holds.
fn refuse_reserved(
    i: &Input,
    net: &PlatformNetwork,
    range: Ipv4Net,
    flag: &str,
) -> Result<(), DesignError> {
    match net.reserved_overlap(range) {
        Some(r) => Err(DesignError::Network(format!(
            "{range} overlaps {} ({}) on {}: give another range ({flag})",
            r.cidr,
            r.what,
            managed_name(i)
        ))),
        None => Ok(()),
    }
}

pub fn run(i: &Input, d: &mut Draft) -> Result<(), DesignError> {
    if let Some(vpc) = super::vpc::model(i, d.managed.is_some()) {
        return super::vpc::run(i, d, vpc);
    }
    let net = i.prof.network.as_ref().filter(|_| d.managed.is_some());
    let nodes = d.plan.k8s_nodes();
    let max_pods = d.max_pods;
    let mask = node_mask(i, max_pods, net);
    let (given_pod, given_svc) = (i.a.pod_cidr.given(), i.a.service_cidr.given());
    if let (Some(p), Some(n)) = (given_pod, net) {
        refuse_reserved(i, n, p, "--pod-cidr")?;
        if let Some(b) = n.pod_prefix.filter(|b| !b.allows(p.prefix_len())) {
            return Err(DesignError::Network(format!(
                "{} takes a pod range of {}; {p} is not (--pod-cidr)",
                managed_name(i),
                b.describe()
            )));
        }
    }
    let prefix = pod_prefix(i, nodes, mask, net);
    let (pod, svc) = match net {
        // The provider's ranges first; the pods go around them.
        Some(n) => {
            let svc = service_range(i, net, None)?;
            let mut avoid: Vec<Ipv4Net> = n.reserved.iter().map(|r| r.cidr).collect();
            avoid.push(svc);
            let pod = given_pod.or_else(|| pick_pod_range(i, prefix, n.pod_space, &avoid));
            let pod = pod.ok_or_else(|| {
                DesignError::Network(format!(
                    "no /{prefix} pod range is free in {} on {}: give one (--pod-cidr)",
                    n.pod_space.map_or("10.0.0.0/8".into(), |s| s.to_string()),
                    managed_name(i)
                ))
            })?;
            (pod, svc)
        }
        None => {
            let pod = given_pod
                .or_else(|| pick_pod_range(i, prefix, None, &[]))
                .unwrap_or(i.c.kubernetes.design.network.service_cidr);
            (pod, service_range(i, None, Some(pod))?)
        }
    };
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
    reason(
        i,
        d,
        (pod, given_pod.is_some()),
        (svc, given_svc.is_some()),
        mask,
        subnets,
        net,
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

fn reason(
    i: &Input,
    d: &mut Draft,
    (pod, pod_given): (Ipv4Net, bool),
    (svc, svc_given): (Ipv4Net, bool),
    mask: u8,
    subnets: u64,
    net: Option<&PlatformNetwork>,
) {
    let answered = |given: bool| if given { " (as answered)" } else { "" };
    let service = d
        .managed
        .map_or(i.prof.title.clone(), |t| t.as_str().to_uppercase());
    let per_node = match net.and_then(|n| n.node_range) {
        Some(crate::catalog::NodeRange::Fixed { prefix }) => format!(
            "{service} gives every node a fixed /{prefix} ({} addresses) whatever its max pods",
            (1u64 << (32 - prefix)) - 2
        ),
        Some(crate::catalog::NodeRange::TwiceMaxPods) => format!(
            "{service} gives each node twice its {} max pods, rounded up to a power of two: a /{mask} ({} addresses)",
            d.max_pods,
            1u64 << (32 - mask)
        ),
        None => format!(
            "a /{mask} gives each node {} addresses for its {} pods",
            (1u64 << (32 - mask)) - 2,
            d.max_pods
        ),
    };
    let around = net.map_or(String::new(), |n| {
        // The provider's ranges in the space the pods are picked from.
        let near =
            |r: &&crate::catalog::ReservedRange| n.pod_space.is_none_or(|s| overlap(s, r.cidr));
        let held: Vec<String> = n
            .reserved
            .iter()
            .filter(near)
            .map(|r| format!("{} ({})", r.cidr, r.what))
            .collect();
        let svc_note = match (n.service_cidr_by_provider, svc_given) {
            (true, false) => format!(
                "; services: the provider's own range {svc}, which the commands leave to it"
            ),
            _ => String::new(),
        };
        match held.is_empty() {
            true => svc_note,
            false => format!("; clear of {}{svc_note}", held.join(", ")),
        }
    });
    d.why(
        Topic::Network,
        format!(
            "network: pods {pod}{} with a /{mask} per node, services {svc}{}",
            answered(pod_given),
            answered(svc_given)
        ),
        format!(
            "{per_node}; {pod} holds {} node subnets for {}{around}",
            num(subnets),
            plural(d.plan.k8s_nodes(), "node", "nodes")
        ),
    );
}

/// What the tool does with the pod range: kubeadm hands it to no CNI, so a
/// CNI that does not read kubeadm's configuration must be set to it; GKE's
/// default max pods is lower than the design's.
fn cni_note(i: &Input, d: &mut Draft, pod: Ipv4Net) {
    let np = &i.c.kubernetes.design.network;
    match d.plan.spec.tooling {
        Some(Tooling::Kubeadm | Tooling::Kubespray) => {
            let set: Vec<String> = np
                .cni_default_pools
                .iter()
                .filter(|c| !c.reads_kubeadm_pod_subnet)
                .map(|c| format!("{} {}", c.name, c.pool))
                .collect();
            let reads: Vec<&str> = np
                .cni_default_pools
                .iter()
                .filter(|c| c.reads_kubeadm_pod_subnet)
                .map(|c| c.name.as_str())
                .collect();
            let reads = match reads.is_empty() {
                true => String::new(),
                false => format!(
                    "; {} reads kubeadm's podSubnet itself when its own pool is unset",
                    reads.join(", ")
                ),
            };
            d.why(
                Topic::Network,
                format!("network: set the CNI's pool to {pod}"),
                format!("kubeadm passes --pod-network-cidr to the controller manager only: a CNI that allocates from its own pool must be given the same range ({}){reads}", set.join(", ")),
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
