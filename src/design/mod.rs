//! The recommendation engine: answers in, cluster plans and the reason for
//! every decision out. Pure (no I/O); every figure comes from the catalog
//! (`profiles/`), and every plan it returns lints with zero errors and zero
//! warnings (the answer-space test checks the whole grid).
//!
//! The engine is a pipeline of stages ([`STAGES`]), one module each. A stage
//! reads the facts decided so far from the [`Draft`], decides one thing, and
//! writes its decision into the draft together with its reason. A new stage
//! is one new file and one line in [`STAGES`].

pub mod bootstrap;
mod control_plane;
mod draft;
mod etcd;
mod learning;
mod load_balancer;
mod network;
mod options;
mod pinned;
mod pools;
mod practice;
mod shape;
mod split;
mod storage;
pub(crate) mod system_pool;
mod tooling;
mod vpc;

pub use crate::questionnaire::{Answers, PartialAnswers};
pub use draft::{Design, DesignError, Draft, Input, Reason, Topic};
pub use options::{MachineOptions, RunnerUp};

use crate::catalog::Catalog;
use crate::plan::Purpose;

/// One step of the pipeline.
pub type Stage = fn(&Input, &mut Draft) -> Result<(), DesignError>;

/// The stages in the order they run. Reasons are told by [`Topic`], not in
/// this order.
pub const STAGES: &[Stage] = &[
    shape::run,
    learning::run,
    etcd::members,
    split::run,
    tooling::run,
    control_plane::run,
    etcd::placement,
    load_balancer::run,
    pools::run,
    system_pool::run,
    storage::run,
    network::run,
    split::replicate,
];

/// A default cluster name for the answers: `prod-aws`, `dev-on-prem`, `learning`.
pub fn default_name(a: &Answers) -> String {
    match a.purpose {
        Purpose::Learning => "learning".into(),
        Purpose::Development => format!("dev-{}", a.platform),
        Purpose::Testing => format!("test-{}", a.platform),
        Purpose::Production => format!("prod-{}", a.platform),
    }
}

/// Recommends the cluster(s) for a set of answers.
pub fn recommend(c: &Catalog, a: &Answers, name: &str) -> Result<Design, DesignError> {
    recommend_with(c, a, name, &MachineOptions::default())
}

/// The same, with a filter for the ranking of instance types and machines
/// pinned.
pub fn recommend_with(
    c: &Catalog,
    a: &Answers,
    name: &str,
    machines: &MachineOptions,
) -> Result<Design, DesignError> {
    if crate::plan::dns_label_problem(name).is_some() {
        return Err(DesignError::BadName(name.to_string()));
    }
    let regional;
    let c = match region(c, a.platform, &a.region)? {
        Some(r) => {
            regional = c.in_region(a.platform, &r);
            &regional
        }
        None => c,
    };
    let input = Input::new(c, a, name, machines);
    let mut draft = Draft::new(&input);
    for stage in STAGES {
        stage(&input, &mut draft)?;
    }
    Ok(draft.finish())
}

/// The region asked for, where it is not the platform's own (`auto` and
/// empty are the platform's); an error names the regions when the platform
/// has no such region.
pub fn region(
    c: &Catalog,
    platform: crate::plan::Platform,
    asked: &str,
) -> Result<Option<String>, DesignError> {
    let prof = c.platform(platform);
    let asked = asked.trim();
    if asked.is_empty() || asked == "auto" || prof.region.as_deref() == Some(asked) {
        return Ok(None);
    }
    if prof.regions.contains_key(asked) {
        return Ok(Some(asked.to_string()));
    }
    Err(DesignError::Region {
        title: prof.title.clone(),
        asked: asked.to_string(),
        near: crate::prose::nearest(asked, prof.regions.keys().map(String::as_str))
            .into_iter()
            .map(str::to_string)
            .collect(),
        regions: prof.regions.keys().cloned().collect(),
    })
}
