//! The JSON Schema (draft-07) of each command's `--format json` output, as
//! `kubeplan schema --output COMMAND` prints it. Every output is
//! serialised from the types its schema is generated from (these, and the
//! lint report's in `lint/json.rs`), so the two cannot diverge; a test
//! validates every command's output against its schema too.

use schemars::JsonSchema;
use serde::Serialize;

use crate::bom::{Bom, Totals};
use crate::catalog::{CostModel, PriceInfo};
use crate::design::Reason;
use crate::plan::{ClusterPlan, Platform};
use crate::quorum::{QuorumRow, ZoneReport};
use crate::sizing::{Choice, Overhead};

#[derive(Serialize, JsonSchema)]
pub struct PodRequestsJson {
    pub cpu: f64,
    #[serde(rename = "memoryGiB")]
    pub memory_gib: f64,
}

/// `kubeplan size --format json`.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SizeReport {
    pub platform: Platform,
    pub pods: u64,
    pub sized_for: u64,
    pub zones: u32,
    pub pod_requests: PodRequestsJson,
    pub prices: Option<PriceInfo>,
    /// How shapes are ranked where there are no prices (own servers).
    pub cost_model: Option<CostModel>,
    pub max_pods_assume: Option<String>,
    pub per_node_overhead: Overhead,
    pub blast_radius_pods: Option<u64>,
    pub memory: String,
    pub choices: Vec<Choice>,
}

/// `kubeplan size --format json`: for an average pod, or (`--workloads`)
/// for the pods of Kubernetes manifests.
#[derive(Serialize, JsonSchema)]
#[serde(untagged)]
#[allow(dead_code, clippy::large_enum_variant)]
pub enum SizeOutput {
    Average(SizeReport),
    Workloads(crate::workloads::result::WorkloadReport),
}

#[derive(Serialize, JsonSchema)]
pub struct DesignBom {
    pub clusters: Vec<Bom>,
    pub totals: Totals,
}

/// `kubeplan design --format json`.
#[derive(Serialize, JsonSchema)]
pub struct DesignReport {
    /// The resolved answers (`kubeplan design --help` lists them).
    pub answers: serde_json::Map<String, serde_json::Value>,
    pub plans: Vec<ClusterPlan>,
    pub reasons: Vec<Reason>,
    /// The workers' next choices after the chosen type, and why it won.
    #[serde(rename = "runnersUp")]
    pub runners_up: Vec<crate::design::RunnerUp>,
    pub bom: DesignBom,
}

/// One plan's output, or an array of them for a file of several plans.
#[derive(Serialize, JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

/// `kubeplan quorum --format json`: the table rows, or (with --zones or
/// --plan) the zone report.
#[derive(Serialize, JsonSchema)]
#[serde(untagged)]
pub enum QuorumReport {
    Rows(Vec<QuorumRow>),
    Zones(ZoneReport),
}

/// `kubeplan import --format json`: each plan read, with what its file
/// could not say.
#[derive(Serialize, JsonSchema)]
pub struct ImportReport {
    pub plans: Vec<ImportedPlan>,
}

/// One plan of an imported file.
#[derive(Serialize, JsonSchema)]
pub struct ImportedPlan {
    /// The file it was read from.
    pub file: String,
    /// What the file is ("eksctl ClusterConfig", …); absent for a kubeplan plan.
    pub format: Option<String>,
    /// The facts the file does not hold (the plan's `kubeplan.io/unknown`).
    pub unknown: Vec<UnknownFact>,
    /// How the file was read, where it says more than the plan can.
    pub notes: Vec<String>,
    pub plan: ClusterPlan,
}

/// A fact an imported file does not hold.
#[derive(Serialize, JsonSchema)]
pub struct UnknownFact {
    /// Its name in `kubeplan.io/unknown`.
    pub fact: String,
    pub what: String,
    /// Why this file does not hold it.
    pub why: Option<String>,
    /// How to supply it.
    pub supply: String,
}

/// The commands with JSON output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    Lint,
    Bom,
    Design,
    Size,
    Quorum,
    Whatif,
    Diff,
    Import,
}

/// The schema of `output`'s JSON.
pub fn schema(output: Output) -> String {
    let g = || schemars::generate::SchemaSettings::draft07().into_generator();
    let s = match output {
        Output::Lint => g().into_root_schema_for::<super::lint::JsonReport>(),
        Output::Bom => g().into_root_schema_for::<OneOrMany<Bom>>(),
        Output::Design => g().into_root_schema_for::<DesignReport>(),
        Output::Size => g().into_root_schema_for::<SizeOutput>(),
        Output::Quorum => g().into_root_schema_for::<QuorumReport>(),
        Output::Whatif => g().into_root_schema_for::<OneOrMany<crate::whatif::run::Report>>(),
        Output::Diff => g().into_root_schema_for::<super::diff::Diff>(),
        Output::Import => g().into_root_schema_for::<ImportReport>(),
    };
    format!("{:#}\n", serde_json::to_value(s).unwrap_or_default())
}
