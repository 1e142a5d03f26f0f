//! Where pods take VPC addresses (EKS's VPC CNI): no pod range, but a VPC
//! whose per-zone subnets must hold every node's and pod's address.

use ipnet::Ipv4Net;

use super::{DesignError, Draft, Input, Topic};
use crate::catalog::VpcNetwork;
use crate::plan::{Network, Subnet};
use crate::prose::num;
use crate::sizing::{eksctl_private_subnet, subnet_capacity, vpc_addresses_per_node};

/// The VPC model of the platform, when the control plane is its managed one.
pub fn model<'a>(i: &Input<'a>, managed: bool) -> Option<&'a VpcNetwork> {
    i.prof.vpc.as_ref().filter(|_| managed)
}

/// The zones the installer names: the design's, and more up to its minimum.
pub fn named_zones(i: &Input, vpc: &VpcNetwork, zones: &[String]) -> Vec<String> {
    let min = vpc.min_zones as usize;
    let mut all = zones.to_vec();
    let extra = i.zone_names(min.max(zones.len()) as u32);
    all.extend(
        extra
            .into_iter()
            .filter(|z| !zones.contains(z))
            .take(min.saturating_sub(zones.len())),
    );
    all
}

/// The smallest VPC (of the allowed prefixes) whose private subnets hold
/// `need` addresses per zone.
pub fn smallest_vpc(vpc: &VpcNetwork, named: usize, need: u64) -> Option<(Ipv4Net, Ipv4Net)> {
    (vpc.widest_prefix..=vpc.narrowest_prefix)
        .rev()
        .find_map(|p| {
            let range = Ipv4Net::new(vpc.base, p).ok()?.trunc();
            let private = eksctl_private_subnet(range, named, 0)?;
            (subnet_capacity(private, vpc.reserved_per_subnet) >= need).then_some((range, private))
        })
}

/// Whether `workers` nodes of the chosen type fit one VPC: the zone with
/// the most nodes needs its addresses in one private subnet.
pub fn fits(i: &Input, vpc: &VpcNetwork, workers: u64, max_pods: u32, instance: &str) -> bool {
    let inst = i.c.instance(i.a.platform, instance);
    let per_zone = workers.div_ceil(u64::from(i.a.zones.max(1)));
    let named = named_zones(i, vpc, &i.zone_names(i.a.zones)).len();
    smallest_vpc(
        vpc,
        named,
        per_zone * vpc_addresses_per_node(vpc, max_pods, inst),
    )
    .is_some()
}

/// The plan's network: the VPC, its private subnets, the provider's service
/// range.
pub fn run(i: &Input, d: &mut Draft, vpc: &VpcNetwork) -> Result<(), DesignError> {
    if i.a.pod_cidr.given().is_some() {
        return Err(DesignError::Network(format!(
            "pods on {} take VPC addresses from their node's subnet: --pod-cidr does not apply",
            i.prof.title
        )));
    }
    let need = crate::sizing::vpc_zone_need(i.c, &d.plan);
    let most = need.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let named = named_zones(i, vpc, &d.plan.spec.zones);
    let Some((range, private)) = smallest_vpc(vpc, named.len(), most) else {
        return Err(DesignError::Network(format!(
            "a zone needs {} VPC addresses, more than a /{} VPC's subnets hold",
            num(most),
            vpc.widest_prefix
        )));
    };
    let subnets: Vec<Subnet> = named
        .iter()
        .enumerate()
        .filter_map(|(n, zone)| {
            let cidr = eksctl_private_subnet(range, named.len(), n)?;
            Some(Subnet {
                zone: zone.clone(),
                cidr: cidr.to_string(),
            })
        })
        .collect();
    let svc = super::network::service_range(i, i.prof.network.as_ref(), None)?;
    let per_node = d
        .plan
        .spec
        .workers
        .first()
        .map(|p| {
            let inst = p
                .instance_type
                .as_deref()
                .and_then(|t| i.c.instance(i.a.platform, t));
            vpc_addresses_per_node(vpc, i.c.max_pods(p), inst)
        })
        .unwrap_or(0);
    d.why(
        Topic::Network,
        format!("network: VPC {range} (--vpc-cidr), private subnets of /{}, services {svc}", private.prefix_len()),
        format!(
            "the VPC CNI gives every pod an address from its node's subnet: a node takes {per_node} (whole ENIs of its type for maxPods' pods and one warm ENI, never more ENIs than the type has); the busiest zone needs {} of the {} a /{} private subnet holds (AWS keeps {} per subnet); eksctl splits --vpc-cidr evenly into a public and a private subnet for each of {} zones",
            num(most),
            num(subnet_capacity(private, vpc.reserved_per_subnet)),
            private.prefix_len(),
            vpc.reserved_per_subnet,
            named.len()
        ),
    );
    d.plan.spec.network = Some(Network {
        pod_cidr: None,
        service_cidr: svc.to_string(),
        node_cidr_mask_size: None,
        vpc_cidr: Some(range.to_string()),
        subnets,
    });
    Ok(())
}
