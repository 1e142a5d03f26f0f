//! A strict model of kOps's `kops.k8s.io/v1alpha2` Cluster and
//! InstanceGroup, written from the upstream Go types (kubernetes/kops
//! `pkg/apis/kops/v1alpha2/{cluster,instancegroup,networking,componentconfig}.go`
//! at commit 268927e26409f861634e18f3632c9dd483c350cf, vendored under
//! `tests/fixtures/upstream/`). It models the fields kubeplan writes (and
//! their neighbours), every struct refuses unknown fields, and enums take
//! only the values the Go constants allow, so a misspelled, misplaced or
//! out-of-range key fails. `every_modelled_field_is_a_go_json_name` keeps
//! the model honest: each field name is a `json:"…"` tag of the Go files.

// The fields are there to be matched, not read: parsing is the check.
#![allow(dead_code)]

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectMeta {
    pub name: String,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Cluster {
    pub api_version: String,
    pub kind: String,
    pub metadata: ObjectMeta,
    pub spec: ClusterSpec,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ClusterSpec {
    #[serde(default)]
    pub channel: Option<String>,
    #[serde(default)]
    pub config_base: Option<String>,
    /// `LegacyCloudProvider string json:"cloudProvider"`.
    #[serde(default)]
    pub cloud_provider: Option<CloudProvider>,
    #[serde(default)]
    pub kubernetes_version: Option<String>,
    #[serde(default)]
    pub subnets: Vec<ClusterSubnetSpec>,
    #[serde(default)]
    pub project: Option<String>,
    #[serde(rename = "networkCIDR", default)]
    pub network_cidr: Option<String>,
    #[serde(rename = "networkID", default)]
    pub network_id: Option<String>,
    #[serde(rename = "serviceClusterIPRange", default)]
    pub service_cluster_ip_range: Option<String>,
    #[serde(rename = "podCIDR", default)]
    pub pod_cidr: Option<String>,
    #[serde(rename = "nonMasqueradeCIDR", default)]
    pub non_masquerade_cidr: Option<String>,
    #[serde(default)]
    pub ssh_access: Vec<String>,
    #[serde(default)]
    pub kubernetes_api_access: Vec<String>,
    #[serde(default)]
    pub etcd_clusters: Vec<EtcdClusterSpec>,
    #[serde(default)]
    pub kubelet: Option<KubeletConfigSpec>,
    /// `LegacyNetworking *NetworkingSpec json:"networking"`.
    #[serde(default)]
    pub networking: Option<NetworkingSpec>,
    /// `LegacyAPI *APISpec json:"api"`.
    #[serde(default)]
    pub api: Option<ApiSpec>,
    /// `ExternalPolicies map[string][]string json:"externalPolicies"`: by
    /// role, lower-cased as kOps's validation takes them.
    #[serde(default)]
    pub external_policies: BTreeMap<ExternalPolicyRole, Vec<String>>,
}

/// The keys kOps's `validateExternalPolicies` takes: every
/// `AllInstanceGroupRoles` as `ToLowerString` names it
/// (`pkg/apis/kops/instancegroup.go`, `validation/validation.go`).
#[derive(Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExternalPolicyRole {
    #[serde(rename = "control-plane")]
    ControlPlane,
    #[serde(rename = "apiserver")]
    ApiServer,
    #[serde(rename = "node")]
    Node,
    #[serde(rename = "bastion")]
    Bastion,
    #[serde(rename = "etcd")]
    Etcd,
    #[serde(rename = "scheduler")]
    Scheduler,
    #[serde(rename = "kubecontrollermanager")]
    KubeControllerManager,
}

/// kOps's `CloudProviderID` values (`pkg/apis/kops/channel.go`).
#[derive(Debug, Deserialize, PartialEq)]
pub enum CloudProvider {
    #[serde(rename = "aws")]
    Aws,
    #[serde(rename = "gce")]
    Gce,
    #[serde(rename = "azure")]
    Azure,
    #[serde(rename = "digitalocean")]
    DigitalOcean,
    #[serde(rename = "hetzner")]
    Hetzner,
    #[serde(rename = "openstack")]
    OpenStack,
    #[serde(rename = "scaleway")]
    Scaleway,
    #[serde(rename = "linode")]
    Linode,
    #[serde(rename = "metal")]
    Metal,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ClusterSubnetSpec {
    pub name: String,
    #[serde(default)]
    pub zone: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(rename = "cidr", default)]
    pub cidr: Option<String>,
    #[serde(rename = "ipv6CIDR", default)]
    pub ipv6_cidr: Option<String>,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub egress: Option<String>,
    #[serde(rename = "type")]
    pub kind: SubnetType,
}

/// `SubnetTypePublic`, `SubnetTypePrivate`, `SubnetTypeDualStack`, `SubnetTypeUtility`.
#[derive(Debug, Deserialize, PartialEq)]
pub enum SubnetType {
    Public,
    Private,
    DualStack,
    Utility,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EtcdClusterSpec {
    pub name: String,
    #[serde(default)]
    pub provider: Option<String>,
    #[serde(rename = "etcdMembers", default)]
    pub members: Vec<EtcdMemberSpec>,
    #[serde(default)]
    pub version: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EtcdMemberSpec {
    pub name: String,
    #[serde(default)]
    pub instance_group: Option<String>,
    #[serde(default)]
    pub volume_type: Option<String>,
    #[serde(default)]
    pub volume_size: Option<i32>,
    #[serde(default)]
    pub encrypted_volume: Option<bool>,
}

/// One CNI per cluster; kubeplan writes cilium (kOps's default).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NetworkingSpec {
    #[serde(default)]
    pub kubenet: Option<Value>,
    #[serde(default)]
    pub cni: Option<Value>,
    #[serde(default)]
    pub calico: Option<Value>,
    #[serde(default)]
    pub cilium: Option<Value>,
    #[serde(default)]
    pub amazonvpc: Option<Value>,
    #[serde(default)]
    pub flannel: Option<Value>,
    #[serde(default)]
    pub kindnet: Option<Value>,
    #[serde(default)]
    pub gce: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ApiSpec {
    #[serde(default)]
    pub dns: Option<Value>,
    #[serde(default)]
    pub load_balancer: Option<LoadBalancerAccessSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LoadBalancerAccessSpec {
    #[serde(default)]
    pub class: Option<LoadBalancerClass>,
    #[serde(rename = "type", default)]
    pub kind: Option<LoadBalancerType>,
    #[serde(default)]
    pub idle_timeout_seconds: Option<i64>,
    #[serde(default)]
    pub cross_zone_load_balancing: Option<bool>,
}

/// `LoadBalancerClassClassic`, `LoadBalancerClassNetwork`.
#[derive(Debug, Deserialize, PartialEq)]
pub enum LoadBalancerClass {
    Classic,
    Network,
}

/// `LoadBalancerTypePublic`, `LoadBalancerTypeInternal`.
#[derive(Debug, Deserialize, PartialEq)]
pub enum LoadBalancerType {
    Public,
    Internal,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct KubeletConfigSpec {
    #[serde(default)]
    pub max_pods: Option<i32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct InstanceGroup {
    pub api_version: String,
    pub kind: String,
    pub metadata: ObjectMeta,
    pub spec: InstanceGroupSpec,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct InstanceGroupSpec {
    pub role: InstanceGroupRole,
    #[serde(default)]
    pub image: Option<String>,
    #[serde(default)]
    pub min_size: Option<i32>,
    #[serde(default)]
    pub max_size: Option<i32>,
    #[serde(default)]
    pub autoscale: Option<bool>,
    #[serde(default)]
    pub machine_type: Option<String>,
    #[serde(default)]
    pub root_volume_size: Option<i32>,
    #[serde(default)]
    pub root_volume_type: Option<String>,
    #[serde(default)]
    pub subnets: Vec<String>,
    #[serde(default)]
    pub zones: Vec<String>,
    #[serde(default)]
    pub node_labels: BTreeMap<String, String>,
    #[serde(default)]
    pub cloud_labels: BTreeMap<String, String>,
    #[serde(default)]
    pub kubelet: Option<KubeletConfigSpec>,
    #[serde(default)]
    pub taints: Vec<String>,
}

/// The roles v1alpha2 accepts: `Master` (converted to ControlPlane),
/// `Node`, `Bastion`, `APIServer` (`conversion.go`).
#[derive(Debug, Deserialize, PartialEq)]
pub enum InstanceGroupRole {
    Master,
    Node,
    Bastion,
    #[serde(rename = "APIServer")]
    ApiServer,
}

/// The JSON names the model uses, by Go file of kOps's
/// `pkg/apis/kops/v1alpha2/`: each must be a field's JSON name there
/// (`facts/kops-v1alpha2-fields.tsv`).
pub const MODELLED: &[(&str, &[&str])] = &[
    (
        "cluster.go",
        &[
            "metadata",
            "spec",
            "channel",
            "configBase",
            "cloudProvider",
            "kubernetesVersion",
            "subnets",
            "project",
            "networkCIDR",
            "networkID",
            "serviceClusterIPRange",
            "podCIDR",
            "nonMasqueradeCIDR",
            "sshAccess",
            "kubernetesApiAccess",
            "etcdClusters",
            "kubelet",
            "networking",
            "api",
            "zone",
            "region",
            "cidr",
            "ipv6CIDR",
            "id",
            "egress",
            "type",
            "name",
            "provider",
            "etcdMembers",
            "version",
            "instanceGroup",
            "volumeType",
            "volumeSize",
            "encryptedVolume",
            "dns",
            "loadBalancer",
            "class",
            "idleTimeoutSeconds",
            "crossZoneLoadBalancing",
        ],
    ),
    (
        "networking.go",
        &[
            "kubenet",
            "cni",
            "calico",
            "cilium",
            "amazonvpc",
            "flannel",
            "kindnet",
            "gce",
        ],
    ),
    ("componentconfig.go", &["maxPods"]),
    (
        "instancegroup.go",
        &[
            "metadata",
            "spec",
            "role",
            "image",
            "minSize",
            "maxSize",
            "autoscale",
            "machineType",
            "rootVolumeSize",
            "rootVolumeType",
            "subnets",
            "zones",
            "nodeLabels",
            "cloudLabels",
            "kubelet",
            "taints",
        ],
    ),
];
