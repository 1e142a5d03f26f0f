//! kubeplan: designs, lints and sizes Kubernetes clusters.
//!
//! The engine is a set of pure functions over one data model, the
//! [`plan::ClusterPlan`]: answers → recommendation → plan → lint / bom / quorum.

pub mod bom;
pub mod catalog;
pub mod cli;
pub mod commands;
pub mod design;
pub mod diag;
pub mod diagram;
pub mod export;
pub mod fuzz;
pub mod import;
pub mod lint;
pub mod plan;
pub mod prose;
pub mod questionnaire;
pub mod quorum;
pub mod report;
pub mod sizing;
pub mod units;
pub mod whatif;
pub mod workloads;
