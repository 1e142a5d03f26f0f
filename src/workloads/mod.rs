//! Planning from the real workloads: Kubernetes manifests read as the
//! scheduler sees them, fitted and packed onto planned nodes.

pub mod choose;
pub mod cluster;
pub mod fit;
pub mod free;
pub mod model;
pub mod nodes;
pub mod on_plan;
pub mod outage;
pub mod pack;
pub mod pod;
pub mod pools;
pub mod quantity;
pub mod read;
pub mod requests;
pub mod result;
pub mod result_build;
pub mod size;
pub mod snapshot;
pub mod spread;
pub mod survive;

pub use model::*;
pub use read::{read_paths, read_text};
