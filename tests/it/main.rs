//! The integration tests: one crate (one link) with a module per area.

mod catalog;
mod cli;
mod common;
mod constraints;
mod design;
mod design_cli;
mod diagram;
mod export;
mod export_cloud;
mod fuzz_regressions;
mod hostile;
mod import;
mod json_schemas;
mod kops_v1alpha2;
mod kubeadm_v1beta4;
mod layers;
mod man;
mod promises;
mod pty;
mod questionnaire;
mod random_plans;
mod rules;
mod sizing;
mod snapshots;
mod whatif;
mod workloads_upstream;
