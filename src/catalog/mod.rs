//! The platform catalogs and Kubernetes figures in `profiles/`, compiled into
//! the binary and read through this one module.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::plan::{Platform, Tooling};

pub mod failure;
mod installers;
pub mod instances;
pub use instances::InstanceType;
mod lazy;
mod network;
mod profiles;
mod storage;
mod validate;
mod zones;
use crate::questionnaire::{check_bounds, Preset, Questionnaire};
pub use installers::*;
use lazy::Part;
pub use network::*;
pub use profiles::*;
pub use storage::*;
pub use zones::*;

// The built-in profiles as JSON (KUBERNETES, QUESTIONS, PLATFORMS, PRESETS),
// made by build.rs from every file of `profiles/`.
include!(concat!(env!("OUT_DIR"), "/profiles.rs"));

/// Everything in `profiles/`. The built-in platforms, questionnaire and
/// presets are parsed at first use (see `lazy.rs`).
#[derive(Debug, Clone)]
pub struct Catalog {
    pub kubernetes: Kubernetes,
    /// By file name, sorted (a handful: found by a scan, faster than a
    /// map's ordered compares on the sizing path, which asks per type).
    platforms: Vec<(String, Part<PlatformProfile>)>,
    questions: Part<Questionnaire>,
    presets: Part<BTreeMap<String, Preset>>,
}

impl Serialize for Catalog {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct All<'a> {
            kubernetes: &'a Kubernetes,
            platforms: BTreeMap<&'a str, &'a PlatformProfile>,
            questions: &'a Questionnaire,
            presets: &'a BTreeMap<String, Preset>,
        }
        All {
            kubernetes: &self.kubernetes,
            platforms: self.platforms().collect(),
            questions: self.questions(),
            presets: self.presets(),
        }
        .serialize(s)
    }
}

/// A catalog that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{path}: {reason}")]
    Invalid { path: String, reason: String },
}

fn to_json<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

fn parse<T: for<'de> Deserialize<'de>>(path: &str, text: &str) -> Result<T, CatalogError> {
    let invalid = |reason: String| CatalogError::Invalid {
        path: path.to_string(),
        reason,
    };
    // The built-in files are JSON (build.rs); a user's are YAML.
    if text.starts_with('{') {
        if let Ok(v) = serde_json::from_str(text) {
            return Ok(v);
        }
    }
    serde_saphyr::from_str(text).map_err(|e| invalid(e.without_snippet().to_string()))
}

/// Checks a profile file's JSON form (numbers in range, structure).
fn check_file(path: &str, doc: &serde_json::Value) -> Result<(), CatalogError> {
    let invalid = |reason: String| CatalogError::Invalid {
        path: path.to_string(),
        reason,
    };
    validate::numbers(doc).map_err(|v| {
        let low = match v.open {
            true => format!("above {}", crate::prose::amount(v.low)),
            false => format!("at least {}", crate::prose::amount(v.low)),
        };
        invalid(format!(
            "`{}` is {}; it must be {low} and at most {}",
            v.path,
            crate::prose::decimal(v.value),
            crate::prose::amount(v.high)
        ))
    })?;
    validate::structure(path, doc).map_err(invalid)
}

/// The presets in a user's `presets/` folder, by name.
fn user_presets(
    dir: &Path,
    read: &dyn Fn(&Path) -> Result<Option<String>, CatalogError>,
) -> Result<BTreeMap<String, String>, CatalogError> {
    let mut presets = BTreeMap::new();
    if !dir.is_dir() {
        return Ok(presets);
    }
    let entries = std::fs::read_dir(dir).map_err(|e| CatalogError::Invalid {
        path: dir.display().to_string(),
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
    Ok(presets)
}

impl Catalog {
    /// The catalog compiled into the binary. Its files were checked when
    /// kubeplan was built; each part is parsed at first use.
    pub fn builtin() -> &'static Catalog {
        static BUILTIN: OnceLock<Catalog> = OnceLock::new();
        BUILTIN.get_or_init(|| Catalog {
            kubernetes: Part::<Kubernetes>::builtin(KUBERNETES).get().clone(),
            platforms: PLATFORMS
                .iter()
                .map(|(n, t)| {
                    (
                        n.to_string(),
                        Part::builtin_then(t, PlatformProfile::complete),
                    )
                })
                .collect(),
            questions: Part::builtin(QUESTIONS),
            presets: Part::builtin(PRESET_MAP),
        })
    }

    /// The built-in catalog put through every check a user's files get (the
    /// test suite calls it; `builtin` trusts the build).
    pub fn builtin_checked() -> Result<Catalog, CatalogError> {
        Catalog::from_texts(
            KUBERNETES,
            PLATFORMS
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string())),
            QUESTIONS,
            PRESETS.iter().map(|(n, t)| (n.to_string(), t.to_string())),
        )
    }

    fn from_texts(
        kubernetes: &str,
        platforms: impl Iterator<Item = (String, String)>,
        questions: &str,
        presets: impl Iterator<Item = (String, String)>,
    ) -> Result<Catalog, CatalogError> {
        let kubernetes: Kubernetes = parse("kubernetes.yaml", kubernetes)?;
        check_file("kubernetes.yaml", &to_json(&kubernetes))?;
        let mut map = Vec::new();
        for (name, text) in platforms {
            let path = format!("platforms/{name}.yaml");
            let p: PlatformProfile = parse(&path, &text)?;
            check_file(&path, &to_json(&p))?;
            map.push((name, Part::loaded(p.complete())));
        }
        map.sort_by(|a, b| a.0.cmp(&b.0));
        let questions: Questionnaire = parse("questions.yaml", questions)?;
        questions
            .validate()
            .map_err(|reason| CatalogError::Invalid {
                path: "questions.yaml".into(),
                reason,
            })?;
        let mut preset_map = BTreeMap::new();
        for (name, text) in presets {
            let path = format!("presets/{name}.yaml");
            let p: Preset = parse(&path, &text)?;
            check_bounds(&p.answers, &questions, &|k| format!("answer `{k}`"))
                .map_err(|reason| CatalogError::Invalid { path, reason })?;
            preset_map.insert(name, p);
        }
        Ok(Catalog {
            kubernetes,
            platforms: map,
            questions: Part::loaded(questions),
            presets: Part::loaded(preset_map),
        })
    }

    /// The built-in catalog with one file's text replaced: `kubernetes.yaml`,
    /// `questions.yaml` or `platforms/NAME.yaml` (what `--profiles-dir`
    /// does for that file; the fuzz targets drive it).
    pub fn with_text(file: &str, text: &str) -> Result<Catalog, CatalogError> {
        let pick = |name: &str, builtin: &str| {
            if file == name {
                text.to_string()
            } else {
                builtin.to_string()
            }
        };
        Catalog::from_texts(
            &pick("kubernetes.yaml", KUBERNETES),
            PLATFORMS
                .iter()
                .map(|(n, t)| (n.to_string(), pick(&format!("platforms/{n}.yaml"), t))),
            &pick("questions.yaml", QUESTIONS),
            PRESETS.iter().map(|(n, t)| (n.to_string(), t.to_string())),
        )
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
        // Only the files the folder has are parsed and checked; the others
        // stay the built-in ones, parsed at first use.
        let kubernetes = match read(&dir.join("kubernetes.yaml"))? {
            Some(text) => {
                let k: Kubernetes = parse("kubernetes.yaml", &text)?;
                check_file("kubernetes.yaml", &to_json(&k))?;
                k
            }
            None => Catalog::builtin().kubernetes.clone(),
        };
        let mut platforms = Vec::new();
        for (name, builtin) in PLATFORMS {
            let path = format!("platforms/{name}.yaml");
            let part = match read(&dir.join(&path))? {
                Some(text) => {
                    let p: PlatformProfile = parse(&path, &text)?;
                    check_file(&path, &to_json(&p))?;
                    Part::loaded(p.complete())
                }
                None => Part::builtin_then(builtin, PlatformProfile::complete),
            };
            platforms.push((name.to_string(), part));
        }
        let own_questions = read(&dir.join("questions.yaml"))?;
        let own_presets = user_presets(&dir.join("presets"), &read)?;
        let questions = match &own_questions {
            Some(text) => {
                let q: Questionnaire = parse("questions.yaml", text)?;
                q.validate().map_err(|reason| CatalogError::Invalid {
                    path: "questions.yaml".into(),
                    reason,
                })?;
                Part::loaded(q)
            }
            None => Part::builtin(QUESTIONS),
        };
        // Presets are checked against the questionnaire in force.
        let presets = if own_questions.is_none() && own_presets.is_empty() {
            Part::builtin(PRESET_MAP)
        } else {
            let mut texts: BTreeMap<String, String> = PRESETS
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect();
            texts.extend(own_presets);
            let mut map = BTreeMap::new();
            for (name, text) in texts {
                let path = format!("presets/{name}.yaml");
                let p: Preset = parse(&path, &text)?;
                check_bounds(&p.answers, questions.get(), &|k| format!("answer `{k}`"))
                    .map_err(|reason| CatalogError::Invalid { path, reason })?;
                map.insert(name, p);
            }
            Part::loaded(map)
        };
        Ok(Catalog {
            kubernetes,
            platforms,
            questions,
            presets,
        })
    }

    pub fn platform(&self, p: Platform) -> &PlatformProfile {
        let name = p.as_str();
        match self.platforms.iter().find(|(n, _)| n == name) {
            Some((_, part)) => part.get(),
            None => unreachable!("every platform has a profile (build.rs makes both)"),
        }
    }

    /// A platform by its file name (`aws`, `on-prem`, …).
    pub fn platform_named(&self, name: &str) -> Option<&PlatformProfile> {
        self.platforms
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| p.get())
    }

    /// Every platform, by name.
    pub fn platforms(&self) -> impl Iterator<Item = (&str, &PlatformProfile)> {
        self.platforms.iter().map(|(n, p)| (n.as_str(), p.get()))
    }

    /// The `design` questionnaire.
    pub fn questions(&self) -> &Questionnaire {
        self.questions.get()
    }

    /// Presets of answers by name (`design --profile NAME`).
    pub fn presets(&self) -> &BTreeMap<String, Preset> {
        self.presets.get()
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

    /// The cheapest catalog instance that covers a machine (for a plan that
    /// names no instance type: `bom` prices it, `export` writes it).
    pub fn match_instance(&self, p: Platform, m: &crate::plan::Machine) -> Option<&InstanceType> {
        self.platform(p)
            .instances
            .iter()
            .filter(|i| {
                i.price_per_hour.is_some()
                    && i.cpu >= m.cpu
                    && i.memory_gib >= m.memory_gib
                    && i.arch == crate::plan::Arch::Amd64
            })
            .min_by(|a, b| {
                a.price_per_hour
                    .unwrap_or(0.0)
                    .total_cmp(&b.price_per_hour.unwrap_or(0.0))
            })
    }

    pub fn tool(&self, t: Tooling) -> Option<&ToolProfile> {
        self.kubernetes.tooling.get(t.as_str())
    }

    /// What the catalog knows of a CSI driver.
    pub fn driver(&self, provisioner: &str) -> Option<&StorageDriver> {
        self.kubernetes
            .storage_drivers
            .iter()
            .find(|d| d.provisioner == provisioner)
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
    fn builtin_profiles_pass_every_check_a_users_files_get() {
        let checked = Catalog::builtin_checked().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(to_json(&checked), to_json(Catalog::builtin()));
    }

    #[test]
    fn builtin_catalog_loads() {
        let c = Catalog::builtin();
        assert_eq!(c.platforms().count(), 4);
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
