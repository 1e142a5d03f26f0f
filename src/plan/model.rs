//! The typed ClusterPlan (`kubeplan/v1`), the one data model every command shares.
//!
//! The structs below are the format: their serde names are the contract of
//! `docs/plan-format.md`, their schemars attributes produce `kubeplan schema`,
//! and the loader checks every document against that same schema before it
//! builds these structs. Bounds marked "absurd" are sanity limits of the file
//! format, not domain limits (those live in `profiles/`).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::words::Words;

/// One cluster design.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(
    title = "ClusterPlan",
    description = "A kubeplan cluster design (kubeplan/v1)."
)]
pub struct ClusterPlan {
    /// Always `kubeplan/v1`.
    pub api_version: ApiVersion,
    /// Always `ClusterPlan`.
    pub kind: Kind,
    pub metadata: Metadata,
    pub spec: Spec,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ApiVersion {
    #[serde(rename = "kubeplan/v1")]
    V1,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Kind {
    ClusterPlan,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Metadata {
    /// The cluster's name, DNS-label style (lower-case letters, digits, `-`; at most 63).
    #[schemars(extend("format" = "dns-label"))]
    pub name: String,
    /// Free-form annotations. `kubeplan.io/ignore: "rule-id,rule-id"` silences rules for this plan.
    #[serde(
        default,
        skip_serializing_if = "super::annotations::Annotations::is_empty"
    )]
    #[schemars(with = "BTreeMap<String, String>")]
    pub annotations: super::annotations::Annotations,
    /// Free-form labels.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Spec {
    pub purpose: Purpose,
    pub platform: Platform,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tooling: Option<Tooling>,
    /// Failure domains available to the cluster (default: one zone named `default`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<String>,
    #[serde(default)]
    pub control_plane: ControlPlane,
    /// Absent when the control plane is managed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etcd: Option<Etcd>,
    /// In front of the kube-apiservers (absent when managed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_load_balancer: Option<ApiLoadBalancer>,
    /// One or more worker pools.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub workers: Vec<WorkerPool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload: Option<Workload>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<Storage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<Network>,
}

kebab_enum!(
    /// What the cluster is for.
    Purpose { Learning = "learning", Development = "development", Testing = "testing", Production = "production" }
);
kebab_enum!(
    /// Where the cluster runs.
    Platform { OnPrem = "on-prem", Aws = "aws", Gcp = "gcp", Azure = "azure" }
);
kebab_enum!(
    /// The tool that builds the cluster.
    Tooling {
        Minikube = "minikube", Kind = "kind", Kubeadm = "kubeadm", Kubespray = "kubespray",
        Kops = "kops", Eks = "eks", Gke = "gke", Aks = "aks", Openshift = "openshift",
        K3s = "k3s", Rke2 = "rke2", ClusterApi = "cluster-api",
    }
);
kebab_enum!(
    /// Disk medium of a machine or storage class.
    Medium { Ssd = "ssd", Hdd = "hdd", Network = "network" }
);
kebab_enum!(
    /// Where etcd runs.
    EtcdTopology { Stacked = "stacked", External = "external" }
);
kebab_enum!(
    /// The API load balancer's implementation.
    LbType { Haproxy = "haproxy", Nginx = "nginx", Cloud = "cloud", None = "none" }
);
kebab_enum!(
    /// Where a self-run API load balancer runs.
    LbPlacement { Dedicated = "dedicated", ControlPlane = "control-plane" }
);
kebab_enum!(
    /// Node operating system.
    Os { Linux = "linux", Windows = "windows" }
);
kebab_enum!(
    /// Node CPU architecture.
    Arch { Amd64 = "amd64", Arm64 = "arm64", I386 = "386", Arm = "arm" }
);
kebab_enum!(
    /// What runs on the cluster.
    WorkloadKind {
        Web = "web", Batch = "batch", BigData = "big-data", Analytics = "analytics",
        Stateful = "stateful", Mixed = "mixed",
    }
);
kebab_enum!(
    /// Network traffic pattern.
    Traffic { Steady = "steady", Burst = "burst" }
);
kebab_enum!(
    /// A PersistentVolume access mode.
    AccessMode {
        ReadWriteOnce = "ReadWriteOnce", ReadOnlyMany = "ReadOnlyMany",
        ReadWriteMany = "ReadWriteMany", ReadWriteOncePod = "ReadWriteOncePod",
    }
);

kebab_enum!(
    /// The node architectures the `design` answers allow.
    ArchChoice { Amd64 = "amd64", Arm64 = "arm64", Any = "any" }
);

impl LbType {
    /// A load balancer that runs on hosts of the cluster's own (HAProxy,
    /// NGINX), not a cloud service or none.
    pub fn needs_hosts(self) -> bool {
        matches!(self, LbType::Haproxy | LbType::Nginx)
    }
}

impl ArchChoice {
    /// Whether a machine of this architecture is allowed.
    pub fn allows(self, arch: Arch) -> bool {
        match self {
            ArchChoice::Any => true,
            ArchChoice::Amd64 => arch == Arch::Amd64,
            ArchChoice::Arm64 => arch == Arch::Arm64,
        }
    }
}

kebab_enum!(
    /// A storage need named in the `design` answers.
    StorageNeed { None = "none", Fast = "fast", Shared = "shared" }
);

impl WorkloadKind {
    /// Workloads that live on their data: their default storage class should be SSD.
    pub fn is_data_heavy(self) -> bool {
        matches!(
            self,
            WorkloadKind::Stateful | WorkloadKind::Analytics | WorkloadKind::BigData
        )
    }
}

impl Arch {
    /// 32-bit architectures, which Kubernetes no longer ships.
    pub fn is_32_bit(self) -> bool {
        matches!(self, Arch::I386 | Arch::Arm)
    }
}

/// A machine: vCPUs, memory, disk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Machine {
    /// vCPUs.
    #[schemars(range(min = 0.0, max = 4096.0))]
    pub cpu: f64,
    /// Memory in GiB.
    #[serde(rename = "memoryGiB")]
    #[schemars(range(min = 0.0, max = 65536.0))]
    pub memory_gib: f64,
    /// Boot/data disk in GiB.
    #[serde(rename = "diskGiB", default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1048576.0))]
    pub disk_gib: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disk: Option<Medium>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ControlPlane {
    /// true: the provider runs the control plane (eks, gke, aks).
    #[serde(default)]
    pub managed: bool,
    /// Self-managed control-plane machines (default 1, or 0 when managed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = 1000))]
    pub nodes: Option<u32>,
    /// Nodes are spread over these round-robin, in order (default: spec.zones).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine: Option<Machine>,
    /// Whether ordinary workloads may run on control-plane nodes (default: true for learning).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedulable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leader_election: Option<LeaderElection>,
}

/// kube-controller-manager and kube-scheduler leader election.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LeaderElection {
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default = "default_lease")]
    #[schemars(extend("format" = "duration"))]
    pub lease_duration: String,
    #[serde(default = "default_renew")]
    #[schemars(extend("format" = "duration"))]
    pub renew_deadline: String,
    #[serde(default = "default_retry")]
    #[schemars(extend("format" = "duration"))]
    pub retry_period: String,
}

/// serde default for flags that are on unless a file turns them off.
pub(crate) fn yes() -> bool {
    true
}
fn default_lease() -> String {
    "15s".into()
}
fn default_renew() -> String {
    "10s".into()
}
fn default_retry() -> String {
    "2s".into()
}

impl Default for LeaderElection {
    fn default() -> Self {
        LeaderElection {
            enabled: true,
            lease_duration: default_lease(),
            renew_deadline: default_renew(),
            retry_period: default_retry(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Etcd {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topology: Option<EtcdTopology>,
    /// Stacked: equals controlPlane.nodes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = 99))]
    pub members: Option<u32>,
    /// External only; stacked members follow the control plane.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<String>,
    /// External only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine: Option<Machine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApiLoadBalancer {
    #[serde(rename = "type")]
    pub kind: LbType,
    /// Machines running it (cloud: 1, the provider's LB). Default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = 100))]
    pub replicas: Option<u32>,
    /// Replicas share a floating address (keepalived).
    #[serde(rename = "virtualIP", default)]
    pub virtual_ip: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placement: Option<LbPlacement>,
    /// The API port clients connect to (default: kube-apiserver's secure port, 6443).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 65535))]
    pub port: Option<u32>,
    /// A dedicated balancer machine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine: Option<Machine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkerPool {
    #[schemars(extend("format" = "dns-label"))]
    pub name: String,
    #[schemars(range(max = 100000))]
    pub nodes: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<String>,
    pub machine: Machine,
    /// A catalog entry of the platform, e.g. m6i.2xlarge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_type: Option<String>,
    /// Pods per node (default: kubelet's `--max-pods`, 110).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 10000))]
    pub max_pods: Option<u32>,
    #[serde(default = "default_os")]
    pub os: Os,
    #[serde(default = "default_arch")]
    pub arch: Arch,
    /// Node taints, `key=value:Effect` (e.g. `CriticalAddonsOnly=true:NoSchedule`
    /// on an AKS system pool). A pool tainted NoSchedule or NoExecute runs no
    /// workload pods, so it adds no capacity for them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub taints: Vec<String>,
}

impl WorkerPool {
    /// Whether ordinary pods schedule on the pool (no NoSchedule/NoExecute taint).
    pub fn runs_workload(&self) -> bool {
        !self
            .taints
            .iter()
            .any(|t| t.ends_with(":NoSchedule") || t.ends_with(":NoExecute"))
    }
}

fn default_os() -> Os {
    Os::Linux
}
fn default_arch() -> Arch {
    Arch::Amd64
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Workload {
    pub kind: WorkloadKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = 1000000))]
    pub applications: Option<u64>,
    /// Expected pods at peak.
    #[schemars(range(max = 100000000))]
    pub pods: u64,
    #[serde(default = "one")]
    #[schemars(range(min = 1, max = 1000))]
    pub containers_per_pod: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traffic: Option<Traffic>,
    /// Average requests per pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_requests: Option<PodRequests>,
}

fn one() -> u64 {
    1
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodRequests {
    #[schemars(range(min = 0.0, max = 1024.0))]
    pub cpu: f64,
    #[serde(rename = "memoryGiB")]
    #[schemars(range(min = 0.0, max = 16384.0))]
    pub memory_gib: f64,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Storage {
    #[serde(default)]
    pub classes: Vec<StorageClass>,
    /// Machines that serve the classes (Ceph hosts, an NFS server), when you
    /// run them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<StorageServers>,
}

/// Machines that serve storage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StorageServers {
    #[schemars(extend("format" = "dns-label"))]
    pub name: String,
    #[schemars(range(max = 100000))]
    pub nodes: u32,
    pub machine: Machine,
    /// Where they run (default: the cluster's zones, round-robin).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<String>,
    /// Copies of each volume: one per zone when the servers span that many
    /// zones, else one per server (default 1: a volume lives on one server).
    /// 0: they keep no volumes (a Ceph arbiter runs a monitor only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = 100))]
    pub copies: Option<u32>,
    /// The fewest copies that keep a volume writable (Ceph's `min_size`; default: copies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = 100))]
    pub min_copies: Option<u32>,
    /// Consensus members (Ceph monitors) they run, spread like the servers;
    /// the storage needs a majority of every group's monitors together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = 99))]
    pub monitors: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StorageClass {
    #[schemars(extend("format" = "dns-label"))]
    pub name: String,
    pub medium: Medium,
    #[serde(default)]
    pub access_modes: Vec<AccessMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioner: Option<String>,
    /// The provisioner's parameters (the StorageClass's), e.g. `type: pd-ssd`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, String>,
    #[serde(default)]
    pub default: bool,
}

/// One subnet of a VPC.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Subnet {
    pub zone: String,
    #[schemars(extend("format" = "cidr"))]
    pub cidr: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Network {
    /// The pod range (absent where pods take VPC addresses: EKS's VPC CNI).
    #[serde(rename = "podCIDR", default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "cidr"))]
    pub pod_cidr: Option<String>,
    #[serde(rename = "serviceCIDR")]
    #[schemars(extend("format" = "cidr"))]
    pub service_cidr: String,
    /// Prefix length of each node's pod subnet (default 24 for IPv4, 64 for IPv6).
    #[serde(
        rename = "nodeCIDRMaskSize",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(range(max = 128))]
    pub node_cidr_mask_size: Option<u8>,
    /// The VPC's range, where nodes and pods take VPC addresses (EKS).
    #[serde(rename = "vpcCIDR", default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "cidr"))]
    pub vpc_cidr: Option<String>,
    /// The subnets nodes and pods take addresses from, one per zone (EKS:
    /// the private subnets eksctl derives from `vpcCIDR`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<Subnet>,
}
