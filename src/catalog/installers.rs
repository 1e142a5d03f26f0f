//! What each installer does with a value its file leaves out
//! (`installerDefaults` in `profiles/kubernetes.yaml`): the importers apply
//! these, each from the tool's own source.

use serde::{Deserialize, Serialize};

/// The defaults of each installer kubeplan reads.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InstallerDefaults {
    pub eksctl: EksctlDefaults,
    pub kops: KopsDefaults,
    pub kubeadm: KubeadmDefaults,
    pub kubespray: KubesprayDefaults,
    pub cluster_api: ClusterApiDefaults,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClusterApiDefaults {
    #[serde(rename = "serviceCIDR")]
    pub service_cidr: ipnet::Ipv4Net,
    pub control_plane_replicas: u32,
    pub machine_deployment_replicas: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EksctlDefaults {
    pub instance_type: String,
    pub node_count: u32,
    #[serde(rename = "volumeGiB")]
    pub volume_gib: f64,
    #[serde(rename = "vpcCIDR")]
    pub vpc_cidr: ipnet::Ipv4Net,
    #[serde(rename = "serviceCIDR")]
    pub service_cidr: ipnet::Ipv4Net,
    #[serde(rename = "serviceCIDRInTen")]
    pub service_cidr_in_ten: ipnet::Ipv4Net,
    /// The VPC range that makes EKS pick `serviceCIDRInTen`.
    pub ten_range: ipnet::Ipv4Net,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KopsDefaults {
    #[serde(rename = "nonMasqueradeCIDR")]
    pub non_masquerade_cidr: ipnet::Ipv4Net,
    #[serde(rename = "podCIDR")]
    pub pod_cidr: ipnet::Ipv4Net,
    #[serde(rename = "serviceCIDR")]
    pub service_cidr: ipnet::Ipv4Net,
    pub control_plane_group_size: u32,
    pub node_group_size: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KubeadmDefaults {
    #[serde(rename = "serviceCIDR")]
    pub service_cidr: ipnet::Ipv4Net,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KubesprayDefaults {
    #[serde(rename = "podCIDR")]
    pub pod_cidr: ipnet::Ipv4Net,
    #[serde(rename = "serviceCIDR")]
    pub service_cidr: ipnet::Ipv4Net,
    pub node_prefix: u8,
    pub network_plugin: String,
}
