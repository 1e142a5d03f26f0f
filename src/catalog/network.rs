//! A platform's network: the ranges a managed service picks or refuses,
//! how it sizes each node's pod range, and the VPC model where pods take
//! VPC addresses. Each figure's source is commented in `profiles/platforms/`.

use ipnet::Ipv4Net;
use serde::{Deserialize, Serialize};

/// A VPC whose subnets give nodes and pods their addresses.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VpcNetwork {
    /// Where the VPC range starts (eksctl's default 192.168.0.0/16).
    pub base: std::net::Ipv4Addr,
    /// The widest and narrowest VPC prefixes the provider allows.
    pub widest_prefix: u8,
    pub narrowest_prefix: u8,
    /// Addresses the provider keeps in every subnet.
    pub reserved_per_subnet: u64,
    /// The fewest zones the installer names (its subnets are per zone).
    pub min_zones: u32,
    /// Spare ENIs the CNI keeps attached (WARM_ENI_TARGET).
    pub warm_enis: u32,
    /// Pods on the host's network, which take no address of their own.
    pub host_network_pods: u32,
}

/// Prefix lengths a range may have: from `widest` (the shortest prefix) to
/// `narrowest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PrefixBounds {
    #[serde(default)]
    pub widest: Option<u8>,
    #[serde(default)]
    pub narrowest: Option<u8>,
}

impl PrefixBounds {
    pub fn allows(&self, prefix: u8) -> bool {
        self.widest.is_none_or(|w| prefix >= w) && self.narrowest.is_none_or(|n| prefix <= n)
    }

    /// `/16 to /27`, `/13 or narrower`.
    pub fn describe(&self) -> String {
        match (self.widest, self.narrowest) {
            (Some(w), Some(n)) => format!("/{w} to /{n}"),
            (Some(w), None) => format!("/{w} or narrower"),
            (None, Some(n)) => format!("/{n} or wider"),
            (None, None) => "any size".into(),
        }
    }
}

/// A range the provider uses itself or refuses.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReservedRange {
    pub cidr: Ipv4Net,
    /// What holds it, as a finding names it.
    pub what: String,
}

/// How big each node's pod range is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", deny_unknown_fields)]
pub enum NodeRange {
    /// Twice the node's max pods, rounded up to a power of two (GKE).
    TwiceMaxPods,
    /// The same prefix for every node, whatever its max pods (Azure CNI Overlay).
    Fixed { prefix: u8 },
}

impl NodeRange {
    /// The prefix of a node's pod range at `max_pods`.
    pub fn prefix(self, max_pods: u32) -> u8 {
        match self {
            NodeRange::TwiceMaxPods => {
                let bits = u64::from(2 * max_pods.max(1)).next_power_of_two().ilog2();
                32u8.saturating_sub(bits as u8)
            }
            NodeRange::Fixed { prefix } => prefix,
        }
    }
}

/// What a managed service's network needs beyond the common defaults.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlatformNetwork {
    /// The service range the service uses when none is given.
    #[serde(rename = "serviceCIDR")]
    pub service_cidr: Ipv4Net,
    /// The provider picks that range itself: the create command names none.
    #[serde(default, rename = "serviceCIDRByProvider")]
    pub service_cidr_by_provider: bool,
    /// Sizes a service range given to the provider may have.
    #[serde(default)]
    pub service_prefix: Option<PrefixBounds>,
    /// Blocks a service range must lie in (EKS: the private ranges).
    #[serde(default)]
    pub service_within: Vec<Ipv4Net>,
    /// Sizes a pod range may have.
    #[serde(default)]
    pub pod_prefix: Option<PrefixBounds>,
    /// Where `design` picks pod ranges.
    #[serde(default)]
    pub pod_space: Option<Ipv4Net>,
    /// Ranges no cluster range may overlap.
    #[serde(default)]
    pub reserved: Vec<ReservedRange>,
    /// Each node's pod range.
    #[serde(default)]
    pub node_range: Option<NodeRange>,
    /// The lowest max pods per node the service takes.
    #[serde(default)]
    pub min_max_pods: Option<u32>,
    /// The CNI's flags for the create command.
    #[serde(default)]
    pub plugin_flags: Option<String>,
}

impl PlatformNetwork {
    /// The first reserved range `net` overlaps.
    pub fn reserved_overlap(&self, net: Ipv4Net) -> Option<&ReservedRange> {
        self.reserved.iter().find(|r| overlap(r.cidr, net))
    }
}

/// Whether two ranges share an address.
pub fn overlap(a: Ipv4Net, b: Ipv4Net) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gke_node_ranges_double_max_pods_to_a_power_of_two() {
        // GKE "Configure maximum Pods per node": 8 -> /28, 9-16 -> /27,
        // 17-32 -> /26, 33-64 -> /25, 65-110 -> /24; past 128, /23.
        for (pods, prefix) in [
            (8, 28),
            (9, 27),
            (16, 27),
            (17, 26),
            (32, 26),
            (33, 25),
            (64, 25),
            (65, 24),
            (110, 24),
            (128, 24),
            (129, 23),
            (256, 23),
        ] {
            assert_eq!(NodeRange::TwiceMaxPods.prefix(pods), prefix, "{pods}");
        }
        assert_eq!(NodeRange::Fixed { prefix: 24 }.prefix(250), 24);
    }
}
