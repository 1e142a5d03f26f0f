//! Storage in the catalog: each platform's storage classes and the servers
//! behind them, and what each CSI driver needs and delivers
//! (`storageDrivers` in `profiles/kubernetes.yaml`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::SizeTier;
use crate::plan::Medium;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StorageProfiles {
    pub fast: StorageProfile,
    pub shared: StorageProfile,
    pub standard: StorageProfile,
    /// A block class whose volumes outlive a zone (regional PD, ZRS disks).
    #[serde(default)]
    pub zone_redundant: Option<StorageProfile>,
    /// Where you run the storage yourself: the servers behind `shared`.
    #[serde(default)]
    pub shared_servers: Option<StorageServerProfile>,
    /// Replicated storage for production on your own machines.
    #[serde(default)]
    pub replicated: Option<ReplicatedStorage>,
}

/// Block and file classes of a replicated storage system, and its servers.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReplicatedStorage {
    pub block: StorageProfile,
    pub shared: StorageProfile,
    pub servers: StorageServerProfile,
    /// What zone-loss survival needs, as the reason says it.
    pub needs: String,
    /// The layout for exactly two zones, where `servers` cannot survive one.
    #[serde(default)]
    pub stretch: Option<Stretch>,
}

/// Two data zones and an arbiter in a third site.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Stretch {
    pub servers: StorageServerProfile,
    pub arbiter: StorageServerProfile,
    pub needs: String,
}

/// Machines that serve storage: at least `nodes`, one per zone where more.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StorageServerProfile {
    pub name: String,
    pub nodes: u32,
    #[serde(default)]
    pub per_zone: bool,
    /// Copies of each volume (the plan's `copies`).
    #[serde(default)]
    pub copies: Option<u32>,
    /// Copies below which writes stop.
    #[serde(default)]
    pub min_copies: Option<u32>,
    /// Consensus members (monitors) they run.
    #[serde(default)]
    pub monitors: Option<u32>,
    pub machine: SizeTier,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StorageProfile {
    pub name: String,
    pub medium: Medium,
    pub provisioner: String,
    pub access_modes: Vec<crate::plan::AccessMode>,
    /// The class's parameters.
    #[serde(default)]
    pub parameters: BTreeMap<String, String>,
}

/// Where a driver's volume lives, and so what takes it away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum VolumeScope {
    /// On one node's disks: it dies with the node.
    Node,
    /// In one zone: it follows the zone.
    Zone,
    /// Across the region's zones.
    Region,
    /// On the plan's storage servers.
    Servers,
}

/// The parameter that picks the disk, its default, and the medium each value is.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MediumParameter {
    pub parameter: String,
    pub default: String,
    pub values: BTreeMap<String, Medium>,
}

/// A parameter and the values that turn something on.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ParameterValues {
    pub parameter: String,
    pub values: Vec<String>,
}

/// One CSI driver, by its provisioner name.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StorageDriver {
    pub provisioner: String,
    pub source: String,
    /// Parameters it needs: each entry is a set of alternatives, one of
    /// which a class must set.
    #[serde(default)]
    pub required: Vec<Vec<String>>,
    #[serde(default)]
    pub medium: Option<MediumParameter>,
    pub scope: VolumeScope,
    #[serde(default)]
    pub zone_redundant: Option<ParameterValues>,
    /// Whether a volume grows when its claim asks for more.
    pub expansion: bool,
    /// How to install it where the tool does not.
    #[serde(default)]
    pub install: Option<String>,
    /// What must exist before its classes make volumes, `{parameter}`
    /// standing for the class's value.
    #[serde(default)]
    pub prepare: Option<String>,
}

impl StorageDriver {
    /// The required parameters `params` leaves out, each as its alternatives.
    pub fn missing<'a>(&'a self, params: &BTreeMap<String, String>) -> Vec<&'a [String]> {
        self.required
            .iter()
            .filter(|alts| !alts.iter().any(|k| params.contains_key(k)))
            .map(Vec::as_slice)
            .collect()
    }

    /// The medium a class with these parameters gets, and the value that
    /// chose it (None: the driver does not choose a medium, or an unknown value).
    pub fn delivers(&self, params: &BTreeMap<String, String>) -> Option<(Medium, String)> {
        let m = self.medium.as_ref()?;
        let value = params.get(&m.parameter).unwrap_or(&m.default);
        m.values.get(value).map(|medium| (*medium, value.clone()))
    }

    /// `prepare` for a class's parameters.
    pub fn preparation(&self, params: &BTreeMap<String, String>) -> Option<String> {
        let mut text = self.prepare.clone()?;
        for (k, v) in params {
            text = text.replace(&format!("{{{k}}}"), v);
        }
        Some(text)
    }

    /// Where a class's volume lives: the driver's scope, or the region when
    /// the parameters make it zone-redundant.
    pub fn scope_of(&self, params: &BTreeMap<String, String>) -> VolumeScope {
        let redundant = self.zone_redundant.as_ref().is_some_and(|z| {
            params
                .get(&z.parameter)
                .is_some_and(|v| z.values.contains(v))
        });
        match redundant {
            true => VolumeScope::Region,
            false => self.scope,
        }
    }
}
