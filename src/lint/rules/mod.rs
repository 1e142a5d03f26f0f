//! The rules, one file per family. Each rule is declared once, with its id,
//! severity policy, docs, example and near miss, beside its check.

/// Declares one rule of the family (the file's `GROUP`); its example is
/// `lint/rules/examples/<id>.yaml`.
///
/// `needs: [Fact, …]` names the facts the check reads that a plan imported
/// from another tool's file may not know (`plan/facts.rs`); the rule does
/// not run on a plan that lacks one. Production-only rules need the purpose
/// as well, without saying so.
macro_rules! rule {
    ($name:ident: $id:literal, $policy:expr, $check:expr,
     $(needs: [$($need:ident),* $(,)?],)?
     $(workloads: $workloads:literal,)?
     summary: $summary:literal, what: $what:literal, why: $why:literal, fix: $fix:literal,
     near_miss: [$(($from:literal, $to:literal $(,)?)),* $(,)?] $(,)?) => {
        pub static $name: Rule = Rule {
            id: $id,
            group: GROUP,
            policy: $policy,
            check: $check,
            needs: &[$($(crate::plan::Fact::$need),*)?],
            summary: $summary,
            what: $what,
            why: $why,
            fix: $fix,
            example: include_str!(concat!("examples/", $id, ".yaml")),
            example_workloads: example_workloads!($($workloads)?),
            near_miss: &[$(($from, $to)),*],
        };
    };
}

/// The manifests a workload rule's example is linted with.
macro_rules! example_workloads {
    () => {
        None
    };
    ($file:literal) => {
        Some(include_str!(concat!("examples/", $file)))
    };
}

mod prelude {
    pub use crate::diag::Severity::{Error, Info, Warning};
    pub use crate::lint::rule::Policy::{Always, ErrorInProduction, ProductionOnly};
    pub use crate::lint::rule::Rule;
    pub use crate::lint::{Ctx, Hit};
    pub use crate::prose::{decimal, num, plural};
}

pub mod capacity;
pub mod control_plane;
pub mod etcd;
pub mod failure;
pub mod input;
pub mod installer;
pub mod load_balancer;
pub mod network;
pub mod platform;
pub mod scale;
pub mod schema;
pub mod storage;
pub mod tooling;
pub mod workloads;
pub mod zone_loss;
