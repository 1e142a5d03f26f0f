//! The shapes of the files in `profiles/`: Kubernetes figures, the design
//! policy, and each platform's limits, reservations, tools, storage and
//! instance types. Each field's meaning and source is commented in the file
//! that sets it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::InstanceType;
use crate::plan::{Medium, Platform, Tooling};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Kubernetes {
    pub kubeadm_minimum: KubeadmMinimum,
    pub control_plane_sizes: Vec<SizeTier>,
    pub etcd_tiers: Vec<SizeTier>,
    pub etcd: EtcdFigures,
    pub pods_per_core: u32,
    pub kubelet_max_pods: u32,
    pub tooling: BTreeMap<String, ToolProfile>,
    pub sizing: SizingPolicy,
    pub design: DesignPolicy,
    pub failure: super::failure::FailureTimings,
    pub installer_defaults: super::InstallerDefaults,
    /// What each CSI driver needs and delivers.
    pub storage_drivers: Vec<super::StorageDriver>,
}

/// How `design` turns answers into a plan (`profiles/kubernetes.yaml`, `design`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DesignPolicy {
    pub learning_machines: Vec<SizeTier>,
    pub learning_host_share: f64,
    pub practice_workers: u32,
    #[serde(rename = "controlPlaneDiskGiB")]
    pub control_plane_disk_gib: f64,
    #[serde(rename = "workerDiskGiB")]
    pub worker_disk_gib: f64,
    pub min_ha_members: u32,
    pub external_etcd_from_members: u32,
    pub load_balancer_replicas: u32,
    pub load_balancer_port_on_control_plane: u32,
    pub api_server_port: u32,
    pub witness_zone: String,
    pub network: NetworkPolicy,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NetworkPolicy {
    pub pod_base: std::net::Ipv4Addr,
    pub pod_prefix_min: u8,
    pub pod_prefix_max: u8,
    pub node_mask_max: u8,
    #[serde(rename = "serviceCIDR")]
    pub service_cidr: ipnet::Ipv4Net,
    #[serde(rename = "alternateServiceCIDR")]
    pub alternate_service_cidr: ipnet::Ipv4Net,
    pub node_growth: u64,
    /// The pools CNIs allocate from unless told otherwise.
    pub cni_default_pools: Vec<CniPool>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SizingPolicy {
    pub burst_headroom: f64,
    pub ha_control_plane_nodes: u64,
    pub hours_per_month: f64,
    pub load_balancer_machine: SizeTier,
    /// The DaemonSets every node runs besides the CNI agent (whose figure is
    /// the platform's).
    pub daemon_sets: Vec<DaemonSet>,
    /// Production: no node holds more than this share of the pods...
    pub blast_radius_share: f64,
    /// ...unless that is fewer pods than this.
    pub blast_radius_min_pods: u64,
}

/// A CNI and the pod range it uses by default.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CniPool {
    pub name: String,
    pub pool: String,
    /// It takes kubeadm's podSubnet itself when its own pool is unset.
    #[serde(default)]
    pub reads_kubeadm_pod_subnet: bool,
}

/// A DaemonSet's requests on every node.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DaemonSet {
    pub name: String,
    /// CPU request, in cores.
    pub cpu: f64,
    /// Memory request, in MiB.
    #[serde(rename = "memoryMiB")]
    pub memory_mib: f64,
    /// Where the figure comes from.
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KubeadmMinimum {
    pub control_plane_cpu: f64,
    #[serde(rename = "memoryGiB")]
    pub memory_gib: f64,
}

/// A size by cluster node count; the last tier (no maxNodes) covers the rest.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SizeTier {
    #[serde(default)]
    pub max_nodes: Option<u64>,
    pub cpu: f64,
    #[serde(rename = "memoryGiB")]
    pub memory_gib: f64,
    #[serde(rename = "diskGiB", default)]
    pub disk_gib: Option<f64>,
}

impl SizeTier {
    /// The machine this tier describes, on the given disk medium.
    pub fn machine(&self, disk: Option<Medium>) -> crate::plan::Machine {
        crate::plan::Machine {
            cpu: self.cpu,
            memory_gib: self.memory_gib,
            disk_gib: self.disk_gib,
            disk,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EtcdFigures {
    pub max_members: u32,
    pub recommended_members: u32,
    pub external_above_nodes: u64,
    /// etcd's `--heartbeat-interval`, in milliseconds.
    pub heartbeat_interval_ms: u32,
    /// etcd's `--election-timeout`, in milliseconds.
    pub election_timeout_ms: u32,
    /// The port etcd serves clients on.
    pub client_port: u16,
    /// The port etcd members talk to each other on.
    pub peer_port: u16,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ToolProfile {
    pub platforms: Vec<Platform>,
    /// true: runs a provider-managed control plane; false: self-managed; absent: either.
    #[serde(default)]
    pub managed: Option<bool>,
    pub production: bool,
    /// Whether it can join a control plane to etcd on its own machines
    /// (kOps runs etcd on the control-plane nodes only).
    #[serde(default = "crate::plan::model::yes")]
    pub external_etcd: bool,
    /// The fewest zones the tool builds a cluster in, where it has a minimum.
    #[serde(default)]
    pub min_zones: Option<u32>,
    /// The machines' network the tool makes on AWS when the plan names none.
    #[serde(default, rename = "networkCIDR")]
    pub network_cidr: Option<String>,
    /// The tool always puts the API behind a cloud load balancer.
    #[serde(default)]
    pub api_load_balancer: bool,
    /// The CSI drivers (provisioners) the tool, or the files `export`
    /// writes for it, installs.
    #[serde(default)]
    pub drivers: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlatformProfile {
    pub name: Platform,
    pub title: String,
    /// What the platform is (its place in lists, its short name, cloud or
    /// your own machines, its managed service, other tools' names for it):
    /// build.rs makes the `Platform` enum of the built-in files' facts, so
    /// a `--profiles-dir` file cannot change them.
    pub order: u32,
    pub short: String,
    pub cloud: bool,
    #[serde(default)]
    pub service: Option<serde_json::Value>,
    #[serde(default)]
    pub other_names: Option<serde_json::Value>,
    #[serde(default)]
    pub regional_subnets: bool,
    pub limits: PlatformLimits,
    pub reservation: Reservation,
    #[serde(default)]
    pub eni_max_pods: bool,
    /// The provider's default max pods per node, where it differs from the
    /// most it allows (GKE Standard: 110).
    #[serde(default)]
    pub default_max_pods_per_node: Option<u32>,
    /// The provider's system node pool, where it wants one.
    #[serde(default)]
    pub system_pool: Option<SystemPool>,
    /// Pods take VPC addresses (EKS's VPC CNI): how subnets are sized.
    #[serde(default)]
    pub vpc: Option<super::VpcNetwork>,
    /// The managed service's network defaults and constraints.
    #[serde(default)]
    pub network: Option<super::PlatformNetwork>,
    /// Series the platform's plans cannot use, and why.
    #[serde(default)]
    pub unsupported_series: Option<UnsupportedSeries>,
    /// The extended resource each type's accelerators are scheduled as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accelerators: Option<Accelerators>,
    /// The CNI's node agent, which every node runs.
    pub cni_agent: DaemonSet,
    /// What the max-pods figures assume (stated by `size`).
    #[serde(default)]
    pub max_pods_note: Option<String>,
    /// The same with prefix delegation (`size --prefix-delegation`).
    #[serde(default)]
    pub max_pods_note_prefix: Option<String>,
    /// Memory sizes machines come in (on-prem servers); empty where any size
    /// a table gives can be had.
    #[serde(default, rename = "serverMemoryGiB")]
    pub server_memory_gib: Vec<f64>,
    /// Zone names `design` gives the failure domains, in order, where the
    /// platform has no regions (your own racks or rooms; more are zone-N).
    #[serde(default)]
    pub zone_names: Vec<String>,
    /// The region `design` builds in (clouds).
    #[serde(default)]
    pub region: Option<String>,
    /// Every region and its zones, in the provider's order.
    #[serde(default)]
    pub regions: BTreeMap<String, Vec<String>>,
    /// Zones named after their region beyond the list (AWS Local Zones).
    #[serde(default)]
    pub extended_zones: bool,
    /// How server shapes are weighed where there are no prices.
    #[serde(default)]
    pub cost_model: Option<CostModel>,
    pub tooling: PlatformTooling,
    #[serde(default)]
    pub managed_control_plane: Option<PricedItem>,
    pub load_balancer: LoadBalancerProfile,
    pub storage: super::StorageProfiles,
    #[serde(default)]
    pub prices: Option<PriceInfo>,
    #[serde(default)]
    pub instances: super::instances::Instances,
    /// The instances the file itself lists (over a generated catalog).
    #[serde(skip)]
    pub own_instances: Vec<InstanceType>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlatformLimits {
    pub self_managed: Limits,
    #[serde(default)]
    pub managed: Option<Limits>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Limits {
    pub max_nodes: u64,
    /// The most pods per node kubeplan recommends (designs, `size`).
    pub max_pods_per_node: u32,
    /// The most pods per node the platform accepts at all; absent where the
    /// kubelet takes any `--max-pods` (self-managed clusters).
    #[serde(default)]
    pub hard_max_pods_per_node: Option<u32>,
    pub max_pods: u64,
    pub max_containers: u64,
    #[serde(default)]
    pub large_node: Option<LargeNode>,
    #[serde(default)]
    pub max_nodes_per_pool: Option<u64>,
    /// Nodes one pool may have in each zone (GKE: 1,000).
    #[serde(default)]
    pub max_nodes_per_pool_per_zone: Option<u64>,
    /// Nodes past which the provider wants a quota increase.
    #[serde(default)]
    pub node_quota: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LargeNode {
    pub above_cpu: f64,
    pub max_pods_per_node: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Reservation {
    pub cpu: CpuReservation,
    pub memory: MemoryReservation,
    pub eviction_mi_b: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", deny_unknown_fields)]
pub enum CpuReservation {
    /// A fraction of each range of cores.
    Tiered { tiers: Vec<FractionTier> },
    /// Millicores by core count (the entry at or below the machine's cores).
    Table { table: Vec<CoreMillicores> },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", deny_unknown_fields)]
pub enum MemoryReservation {
    /// A fraction of each range of GiB; a flat amount for small machines.
    Tiered {
        #[serde(rename = "smallMachineGiB")]
        small_machine_gib: f64,
        #[serde(rename = "smallMachineMiB")]
        small_machine_mib: f64,
        tiers: Vec<FractionTier>,
    },
    /// perPodMiB x maxPods + baseMiB.
    PerPod {
        #[serde(rename = "perPodMiB")]
        per_pod_mib: f64,
        #[serde(rename = "baseMiB")]
        base_mib: f64,
    },
    /// min(perPodMiB x maxPods + baseMiB, maxFraction x memory).
    PerPodCapped {
        #[serde(rename = "perPodMiB")]
        per_pod_mib: f64,
        #[serde(rename = "baseMiB")]
        base_mib: f64,
        #[serde(rename = "maxFraction")]
        max_fraction: f64,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FractionTier {
    /// Upper bound of the range (cores or GiB); absent for the last range.
    #[serde(default)]
    pub up_to: Option<f64>,
    pub fraction: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CoreMillicores {
    pub cores: f64,
    pub millicores: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlatformTooling {
    #[serde(default)]
    pub managed: Option<Tooling>,
    pub self_managed: Tooling,
    pub learning: Tooling,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PricedItem {
    pub title: String,
    #[serde(default)]
    pub price_per_hour: Option<f64>,
    /// What the price assumes, or what it leaves out (a credit, an option).
    #[serde(default)]
    pub note: Option<String>,
    /// The installer flag that selects this tier (`--tier standard`).
    #[serde(default)]
    pub flag: Option<String>,
    /// The tier used for learning, development and testing, where cheaper.
    #[serde(default)]
    pub non_production: Option<Box<PricedItem>>,
}

impl PricedItem {
    /// The tier a plan of this purpose uses.
    pub fn for_purpose(&self, production: bool) -> &PricedItem {
        match (&self.non_production, production) {
            (Some(np), false) => np,
            _ => self,
        }
    }
}

/// Series a platform's plans cannot use (GCE's Hyperdisk-only series).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UnsupportedSeries {
    pub series: Vec<String>,
    pub why: String,
}

/// The extended resource (the device plugin's name) a type's GPUs are
/// requested as: `default`, unless its series is listed (`none`: no
/// resource kubeplan knows of).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Accelerators {
    pub default: String,
    #[serde(default)]
    pub series: BTreeMap<String, String>,
    pub source: String,
}

impl PlatformProfile {
    /// The extended resource a type's GPUs are requested as (None: the
    /// type has none, or none kubeplan knows the name of).
    pub fn gpu_resource(&self, t: &InstanceType) -> Option<&str> {
        if t.gpus == 0 {
            return None;
        }
        let a = self.accelerators.as_ref()?;
        let named = t.series.as_deref().and_then(|s| a.series.get(s));
        Some(named.unwrap_or(&a.default).as_str()).filter(|r| *r != "none")
    }

    /// Why a plan of this platform cannot use the type, if it cannot.
    pub fn unusable(&self, t: &InstanceType) -> Option<&str> {
        let u = self.unsupported_series.as_ref()?;
        let series = t.series.as_deref()?;
        u.series
            .iter()
            .any(|s| s == series)
            .then_some(u.why.as_str())
    }
}

/// A node pool the provider's own components run on (AKS: System mode).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SystemPool {
    pub name: String,
    /// The taint that keeps application pods off it.
    pub taint: String,
    /// The smallest machine it takes.
    pub min_cpu: f64,
    #[serde(rename = "minMemoryGiB")]
    pub min_memory_gib: f64,
    /// Nodes: production (spread over the zones), and otherwise.
    pub production_nodes: u32,
    pub nodes: u32,
    /// The smallest vCPUs for production, and for clusters of more than
    /// `large_above_nodes` nodes.
    pub production_min_cpu: f64,
    pub large_above_nodes: u64,
    pub large_min_cpu: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoadBalancerProfile {
    pub kind: crate::plan::LbType,
    pub title: String,
    #[serde(default)]
    pub price_per_hour: Option<f64>,
}

/// Relative weights of a server's vCPUs and memory, where there are no prices.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CostModel {
    /// What 1 GiB weighs, in vCPUs.
    #[serde(rename = "perGiB")]
    pub per_gib: f64,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PriceInfo {
    pub date: String,
    pub region: String,
    pub currency: String,
    /// The upstream table the prices come from (repository, path, commit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}
