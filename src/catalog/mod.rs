//! The platform catalogs and Kubernetes figures in `profiles/`, compiled into
//! the binary and read through this one module.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::plan::{Arch, Medium, Platform, Tooling};
use crate::questionnaire::{check_bounds, Preset, Questionnaire};

const KUBERNETES: &str = include_str!("../../profiles/kubernetes.yaml");
const QUESTIONS: &str = include_str!("../../profiles/questions.yaml");
const PRESETS: &[(&str, &str)] = &[
    (
        "learning",
        include_str!("../../profiles/presets/learning.yaml"),
    ),
    (
        "dev-onprem",
        include_str!("../../profiles/presets/dev-onprem.yaml"),
    ),
    (
        "prod-onprem",
        include_str!("../../profiles/presets/prod-onprem.yaml"),
    ),
    (
        "prod-aws",
        include_str!("../../profiles/presets/prod-aws.yaml"),
    ),
    (
        "prod-gcp",
        include_str!("../../profiles/presets/prod-gcp.yaml"),
    ),
    (
        "prod-azure",
        include_str!("../../profiles/presets/prod-azure.yaml"),
    ),
];
const PLATFORMS: &[(&str, &str)] = &[
    (
        "on-prem",
        include_str!("../../profiles/platforms/on-prem.yaml"),
    ),
    ("aws", include_str!("../../profiles/platforms/aws.yaml")),
    ("gcp", include_str!("../../profiles/platforms/gcp.yaml")),
    ("azure", include_str!("../../profiles/platforms/azure.yaml")),
];

/// Everything in `profiles/`.
#[derive(Debug, Clone, Serialize)]
pub struct Catalog {
    pub kubernetes: Kubernetes,
    pub platforms: BTreeMap<String, PlatformProfile>,
    /// The `design` questionnaire.
    pub questions: Questionnaire,
    /// Presets of answers by name (`design --profile NAME`).
    pub presets: BTreeMap<String, Preset>,
}

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
}

/// How `design` turns answers into a plan (`profiles/kubernetes.yaml`, `design`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DesignPolicy {
    pub learning_machines: Vec<SizeTier>,
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
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SizingPolicy {
    pub burst_headroom: f64,
    pub ha_control_plane_nodes: u64,
    pub hours_per_month: f64,
    pub load_balancer_machine: SizeTier,
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

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EtcdFigures {
    pub max_members: u32,
    pub recommended_members: u32,
    pub external_above_nodes: u64,
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
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlatformProfile {
    pub name: Platform,
    pub title: String,
    pub limits: PlatformLimits,
    pub reservation: Reservation,
    #[serde(default)]
    pub eni_max_pods: bool,
    /// Zone names `design` gives the failure domains, in order.
    #[serde(default)]
    pub zone_names: Vec<String>,
    pub tooling: PlatformTooling,
    #[serde(default)]
    pub managed_control_plane: Option<PricedItem>,
    pub load_balancer: LoadBalancerProfile,
    pub storage: StorageProfiles,
    #[serde(default)]
    pub prices: Option<PriceInfo>,
    #[serde(default)]
    pub instances: Vec<InstanceType>,
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
    pub max_pods_per_node: u32,
    pub max_pods: u64,
    pub max_containers: u64,
    #[serde(default)]
    pub large_node: Option<LargeNode>,
    #[serde(default)]
    pub max_nodes_per_pool: Option<u64>,
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
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoadBalancerProfile {
    pub kind: crate::plan::LbType,
    pub title: String,
    #[serde(default)]
    pub price_per_hour: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StorageProfiles {
    pub fast: StorageProfile,
    pub shared: StorageProfile,
    pub standard: StorageProfile,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StorageProfile {
    pub name: String,
    pub medium: Medium,
    pub provisioner: String,
    pub access_modes: Vec<crate::plan::AccessMode>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PriceInfo {
    pub date: String,
    pub region: String,
    pub currency: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InstanceType {
    pub name: String,
    pub cpu: f64,
    #[serde(rename = "memoryGiB")]
    pub memory_gib: f64,
    pub arch: Arch,
    pub family: String,
    #[serde(default)]
    pub enis: Option<u32>,
    #[serde(default)]
    pub ips_per_eni: Option<u32>,
    #[serde(default)]
    pub price_per_hour: Option<f64>,
}

impl InstanceType {
    /// Max pods the platform derives from the instance (EKS ENI formula:
    /// ENIs x (IPv4 per ENI - 1) + 2), if it does.
    pub fn eni_max_pods(&self) -> Option<u32> {
        match (self.enis, self.ips_per_eni) {
            (Some(e), Some(i)) if i > 0 => Some(e * (i - 1) + 2),
            _ => None,
        }
    }
}

/// A catalog that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{path}: {reason}")]
    Invalid { path: String, reason: String },
}

fn parse<T: for<'de> Deserialize<'de>>(path: &str, text: &str) -> Result<T, CatalogError> {
    serde_saphyr::from_str(text).map_err(|e| CatalogError::Invalid {
        path: path.to_string(),
        reason: e.without_snippet().to_string(),
    })
}

impl Catalog {
    /// The catalog compiled into the binary.
    pub fn builtin() -> &'static Catalog {
        static BUILTIN: OnceLock<Catalog> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            Catalog::from_texts(
                KUBERNETES,
                PLATFORMS
                    .iter()
                    .map(|(n, t)| (n.to_string(), t.to_string())),
                QUESTIONS,
                PRESETS.iter().map(|(n, t)| (n.to_string(), t.to_string())),
            )
            .unwrap_or_else(|e| panic!("built-in profiles are invalid (a build defect): {e}"))
        })
    }

    fn from_texts(
        kubernetes: &str,
        platforms: impl Iterator<Item = (String, String)>,
        questions: &str,
        presets: impl Iterator<Item = (String, String)>,
    ) -> Result<Catalog, CatalogError> {
        let kubernetes: Kubernetes = parse("kubernetes.yaml", kubernetes)?;
        let invalid = |path: &str, reason: &str| CatalogError::Invalid {
            path: path.to_string(),
            reason: reason.to_string(),
        };
        if kubernetes.control_plane_sizes.is_empty() || kubernetes.etcd_tiers.is_empty() {
            return Err(invalid(
                "kubernetes.yaml",
                "controlPlaneSizes and etcdTiers need at least one entry",
            ));
        }
        let mut map = BTreeMap::new();
        for (name, text) in platforms {
            let path = format!("platforms/{name}.yaml");
            let p: PlatformProfile = parse(&path, &text)?;
            if p.name.as_str() != name {
                return Err(invalid(
                    &path,
                    &format!(
                        "`name: {}` does not match the file name (expected `name: {name}`)",
                        p.name
                    ),
                ));
            }
            map.insert(name, p);
        }
        if kubernetes.design.learning_machines.is_empty() {
            return Err(invalid(
                "kubernetes.yaml",
                "design.learningMachines needs at least one entry",
            ));
        }
        let questions: Questionnaire = parse("questions.yaml", questions)?;
        questions
            .validate()
            .map_err(|e| invalid("questions.yaml", &e))?;
        let mut preset_map = BTreeMap::new();
        for (name, text) in presets {
            let path = format!("presets/{name}.yaml");
            let p: Preset = parse(&path, &text)?;
            check_bounds(&p.answers, &questions, &|k| format!("answer `{k}`"))
                .map_err(|e| invalid(&path, &e))?;
            preset_map.insert(name, p);
        }
        Ok(Catalog {
            kubernetes,
            platforms: map,
            questions,
            presets: preset_map,
        })
    }

    /// The built-in catalog with a user's folder laid over it: a
    /// `kubernetes.yaml` or `platforms/NAME.yaml` there replaces the built-in one.
    pub fn with_overrides(dir: &Path) -> Result<Catalog, CatalogError> {
        let read = |p: &Path| -> Result<Option<String>, CatalogError> {
            match std::fs::read_to_string(p) {
                Ok(t) => Ok(Some(t)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(CatalogError::Invalid {
                    path: p.display().to_string(),
                    reason: e.to_string(),
                }),
            }
        };
        if !dir.is_dir() {
            return Err(CatalogError::Invalid {
                path: dir.display().to_string(),
                reason: "not a folder".into(),
            });
        }
        let k8s = read(&dir.join("kubernetes.yaml"))?.unwrap_or_else(|| KUBERNETES.to_string());
        let mut texts = Vec::new();
        for (name, builtin) in PLATFORMS {
            let path = dir.join("platforms").join(format!("{name}.yaml"));
            texts.push((
                name.to_string(),
                read(&path)?.unwrap_or_else(|| builtin.to_string()),
            ));
        }
        let questions = read(&dir.join("questions.yaml"))?.unwrap_or_else(|| QUESTIONS.to_string());
        let mut presets: BTreeMap<String, String> = PRESETS
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        let preset_dir = dir.join("presets");
        if preset_dir.is_dir() {
            let entries = std::fs::read_dir(&preset_dir).map_err(|e| CatalogError::Invalid {
                path: preset_dir.display().to_string(),
                reason: e.to_string(),
            })?;
            for entry in entries.flatten() {
                let path = entry.path();
                let name = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .map(str::to_string);
                let yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
                if let (Some(name), true) = (name, yaml) {
                    if let Some(text) = read(&path)? {
                        presets.insert(name, text);
                    }
                }
            }
        }
        Catalog::from_texts(&k8s, texts.into_iter(), &questions, presets.into_iter())
    }

    pub fn platform(&self, p: Platform) -> &PlatformProfile {
        &self.platforms[p.as_str()]
    }

    /// The limits that apply to a plan: the provider's when it runs the
    /// control plane, upstream's otherwise.
    pub fn limits(&self, p: Platform, managed: bool) -> &Limits {
        let prof = self.platform(p);
        match (&prof.limits.managed, managed) {
            (Some(m), true) => m,
            _ => &prof.limits.self_managed,
        }
    }

    pub fn instance(&self, p: Platform, name: &str) -> Option<&InstanceType> {
        self.platform(p).instances.iter().find(|i| i.name == name)
    }

    pub fn tool(&self, t: Tooling) -> Option<&ToolProfile> {
        self.kubernetes.tooling.get(t.as_str())
    }

    /// The tier for a cluster of `nodes` nodes.
    pub fn tier(tiers: &[SizeTier], nodes: u64) -> &SizeTier {
        tiers
            .iter()
            .find(|t| t.max_nodes.is_none_or(|m| nodes <= m))
            .or_else(|| tiers.last())
            .expect("size tables are never empty")
    }

    pub fn control_plane_size(&self, nodes: u64) -> &SizeTier {
        Catalog::tier(&self.kubernetes.control_plane_sizes, nodes)
    }

    /// A pool's max pods: its own, else kubelet's default.
    pub fn max_pods(&self, pool: &crate::plan::WorkerPool) -> u32 {
        pool.max_pods.unwrap_or(self.kubernetes.kubelet_max_pods)
    }

    /// The port a load balancer serves the API on: its own, else
    /// kube-apiserver's secure port.
    pub fn lb_port(&self, lb: &crate::plan::ApiLoadBalancer) -> u32 {
        lb.port.unwrap_or(self.kubernetes.design.api_server_port)
    }

    pub fn etcd_tier(&self, nodes: u64) -> &SizeTier {
        Catalog::tier(&self.kubernetes.etcd_tiers, nodes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalog_loads() {
        let c = Catalog::builtin();
        assert_eq!(c.platforms.len(), 4);
        assert_eq!(c.limits(Platform::OnPrem, false).max_nodes, 5000);
        assert_eq!(c.limits(Platform::Azure, true).max_pods_per_node, 250);
    }

    #[test]
    fn eks_eni_formula() {
        let c = Catalog::builtin();
        let m5 = c.instance(Platform::Aws, "m5.large").unwrap();
        assert_eq!(m5.eni_max_pods(), Some(29));
        assert_eq!(
            c.instance(Platform::Aws, "m5.4xlarge")
                .unwrap()
                .eni_max_pods(),
            Some(234)
        );
        assert_eq!(
            c.instance(Platform::Aws, "t3.medium")
                .unwrap()
                .eni_max_pods(),
            Some(17)
        );
    }

    #[test]
    fn control_plane_table_boundaries() {
        let c = Catalog::builtin();
        for (nodes, cpu) in [
            (5, 1.0),
            (6, 2.0),
            (10, 2.0),
            (11, 4.0),
            (100, 4.0),
            (101, 8.0),
            (250, 8.0),
            (251, 16.0),
            (500, 16.0),
            (501, 32.0),
            (3000, 32.0),
            (3001, 64.0),
        ] {
            assert_eq!(c.control_plane_size(nodes).cpu, cpu, "{nodes} nodes");
        }
    }

    #[test]
    fn etcd_tiers() {
        let c = Catalog::builtin();
        assert_eq!(c.etcd_tier(50).cpu, 2.0);
        assert_eq!(c.etcd_tier(51).cpu, 4.0);
        assert_eq!(c.etcd_tier(1000).memory_gib, 32.0);
        assert_eq!(c.etcd_tier(9000).cpu, 16.0);
    }
}
