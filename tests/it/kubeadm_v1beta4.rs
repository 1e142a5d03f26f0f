//! A strict model of kubeadm's v1beta4 configuration, written from the
//! upstream Go types (kubernetes/kubernetes
//! `cmd/kubeadm/app/apis/kubeadm/v1beta4/types.go`, the copy in the
//! project's `shared/upstream/`; the index's stored version is at commit
//! 1329935739c3aa007d23cb9a4dadfee9d59ff79b). Every struct refuses unknown
//! fields, so an exported file with a misspelled or misplaced key fails.
//! Fields are the Go types' JSON names; values kubeadm reads as Kubernetes
//! types (taints, durations, env vars) are kept as generic values.

// The fields are there to be matched, not read: parsing is the check.
#![allow(dead_code)]

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct InitConfiguration {
    pub api_version: String,
    pub kind: String,
    #[serde(default)]
    pub bootstrap_tokens: Vec<Value>,
    #[serde(default)]
    pub dry_run: bool,
    #[serde(default)]
    pub node_registration: Option<NodeRegistrationOptions>,
    #[serde(rename = "localAPIEndpoint", default)]
    pub local_api_endpoint: Option<ApiEndpoint>,
    #[serde(default)]
    pub certificate_key: Option<String>,
    #[serde(default)]
    pub skip_phases: Vec<String>,
    #[serde(default)]
    pub patches: Option<Patches>,
    #[serde(default)]
    pub timeouts: Option<Timeouts>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ClusterConfiguration {
    pub api_version: String,
    pub kind: String,
    #[serde(default)]
    pub etcd: Option<Etcd>,
    #[serde(default)]
    pub networking: Option<Networking>,
    #[serde(default)]
    pub kubernetes_version: Option<String>,
    #[serde(default)]
    pub control_plane_endpoint: Option<String>,
    #[serde(rename = "apiServer", default)]
    pub api_server: Option<ApiServer>,
    #[serde(default)]
    pub controller_manager: Option<ControlPlaneComponent>,
    #[serde(default)]
    pub scheduler: Option<ControlPlaneComponent>,
    #[serde(default)]
    pub dns: Option<Value>,
    #[serde(default)]
    pub proxy: Option<Value>,
    #[serde(default)]
    pub certificates_dir: Option<String>,
    #[serde(default)]
    pub image_repository: Option<String>,
    #[serde(default)]
    pub feature_gates: BTreeMap<String, bool>,
    #[serde(default)]
    pub cluster_name: Option<String>,
    #[serde(default)]
    pub encryption_algorithm: Option<String>,
    #[serde(default)]
    pub certificate_validity_period: Option<String>,
    #[serde(rename = "caCertificateValidityPeriod", default)]
    pub ca_certificate_validity_period: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ControlPlaneComponent {
    #[serde(default)]
    pub extra_args: Vec<Arg>,
    #[serde(default)]
    pub extra_volumes: Vec<Value>,
    #[serde(default)]
    pub extra_envs: Vec<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ApiServer {
    #[serde(default)]
    pub extra_args: Vec<Arg>,
    #[serde(default)]
    pub extra_volumes: Vec<Value>,
    #[serde(default)]
    pub extra_envs: Vec<Value>,
    #[serde(rename = "certSANs", default)]
    pub cert_sans: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Arg {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ApiEndpoint {
    #[serde(default)]
    pub advertise_address: Option<String>,
    #[serde(default)]
    pub bind_port: Option<i32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NodeRegistrationOptions {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(rename = "criSocket", default)]
    pub cri_socket: Option<String>,
    #[serde(default)]
    pub taints: Option<Vec<Value>>,
    #[serde(default)]
    pub kubelet_extra_args: Vec<Arg>,
    #[serde(default)]
    pub ignore_preflight_errors: Vec<String>,
    #[serde(default)]
    pub image_pull_policy: Option<String>,
    #[serde(default)]
    pub image_pull_serial: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Networking {
    #[serde(default)]
    pub service_subnet: Option<String>,
    #[serde(default)]
    pub pod_subnet: Option<String>,
    #[serde(default)]
    pub dns_domain: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Etcd {
    #[serde(default)]
    pub local: Option<LocalEtcd>,
    #[serde(default)]
    pub external: Option<ExternalEtcd>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LocalEtcd {
    #[serde(default)]
    pub image_repository: Option<String>,
    #[serde(default)]
    pub image_tag: Option<String>,
    pub data_dir: String,
    #[serde(default)]
    pub extra_args: Vec<Arg>,
    #[serde(default)]
    pub extra_envs: Vec<Value>,
    #[serde(rename = "serverCertSANs", default)]
    pub server_cert_sans: Vec<String>,
    #[serde(rename = "peerCertSANs", default)]
    pub peer_cert_sans: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExternalEtcd {
    pub endpoints: Vec<String>,
    pub ca_file: String,
    pub cert_file: String,
    pub key_file: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct JoinConfiguration {
    pub api_version: String,
    pub kind: String,
    #[serde(default)]
    pub dry_run: bool,
    #[serde(default)]
    pub node_registration: Option<NodeRegistrationOptions>,
    #[serde(default)]
    pub ca_cert_path: Option<String>,
    pub discovery: Discovery,
    #[serde(default)]
    pub control_plane: Option<JoinControlPlane>,
    #[serde(default)]
    pub skip_phases: Vec<String>,
    #[serde(default)]
    pub patches: Option<Patches>,
    #[serde(default)]
    pub timeouts: Option<Timeouts>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct JoinControlPlane {
    #[serde(rename = "localAPIEndpoint", default)]
    pub local_api_endpoint: Option<ApiEndpoint>,
    #[serde(default)]
    pub certificate_key: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Discovery {
    #[serde(default)]
    pub bootstrap_token: Option<BootstrapTokenDiscovery>,
    #[serde(default)]
    pub file: Option<Value>,
    #[serde(rename = "tlsBootstrapToken", default)]
    pub tls_bootstrap_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BootstrapTokenDiscovery {
    pub token: String,
    #[serde(rename = "apiServerEndpoint", default)]
    pub api_server_endpoint: Option<String>,
    #[serde(default)]
    pub ca_cert_hashes: Vec<String>,
    #[serde(rename = "unsafeSkipCAVerification", default)]
    pub unsafe_skip_ca_verification: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Patches {
    #[serde(default)]
    pub directory: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Timeouts {
    #[serde(default)]
    pub control_plane_component_health_check: Option<String>,
    #[serde(default)]
    pub kubelet_health_check: Option<String>,
    #[serde(rename = "kubernetesAPICall", default)]
    pub kubernetes_api_call: Option<String>,
    #[serde(rename = "etcdAPICall", default)]
    pub etcd_api_call: Option<String>,
    #[serde(rename = "tlsBootstrap", default)]
    pub tls_bootstrap: Option<String>,
    #[serde(default)]
    pub discovery: Option<String>,
    #[serde(default)]
    pub upgrade_manifests: Option<String>,
}
