//! Input: a file kubeplan cannot read as YAML plans. Reported as a finding
//! of that file, in every format, while the other files are linted (no
//! check function here: the loader finds it).

use super::prelude::*;
use crate::plan::node::Pos;
use crate::plan::origin::Spot;

pub const GROUP: &str = "Input";

rule! {
    INPUT_UNREADABLE: "input-unreadable", Always(Error), None,
    summary: "A file that cannot be read as YAML plans.",
    what: "That each input can be opened and read as UTF-8 YAML within the limits (16 MiB, nesting depth, alias expansion): a syntax error, such as an unclosed bracket or a tab in indentation, is reported at its line and column; an unopenable file at its name.",
    why: "A file that cannot be parsed has no plans to check; saying so as a finding of that file, instead of stopping, keeps every other file's findings in the same report (and in CI dashboards).",
    fix: "Fix the YAML at the line and column given (or the file's permissions or encoding); `kubeplan lint FILE` shows the rest once it parses.",
    near_miss: [("zones: [zone-a, zone-b", "zones: [zone-a, zone-b]")],
}

/// The finding for a file that could not be read or parsed.
pub fn finding(e: &crate::plan::LoadError) -> crate::diag::Finding {
    use crate::plan::LoadError;
    let (line, column, reason) = match e {
        LoadError::Read { reason, .. } => (0, 0, reason.clone()),
        LoadError::Parse {
            line,
            column,
            reason,
            ..
        } => (*line, *column, reason.clone()),
    };
    crate::diag::Finding {
        rule: INPUT_UNREADABLE.id,
        severity: Error,
        message: format!("cannot read the file: {reason}"),
        help: "fix the file at this position; the other files are checked as usual".into(),
        at: Spot::new(Pos { line, column }, ""),
    }
}

rule! {
    INPUT_MISSING_FACT: "input-missing-fact", Always(Info), None,
    summary: "Rules that did not run because the plan does not know a fact they need.",
    what: "A plan imported from another tool's file (an eksctl ClusterConfig, a kOps cluster, a kubeadm config, a Kubespray inventory, Cluster API manifests) knows what that file says and no more; the facts it cannot know are listed in `kubeplan.io/unknown`. Each rule declares the facts it reads; one finding per missing fact names the rules it kept from running and how to supply it.",
    why: "A rule that guessed a missing fact (the workload, on-prem machine sizes, whether the cluster is for production) would report problems the cluster does not have, or miss the ones it has. Saying which checks did not run keeps a clean report from reading as a clean bill of health.",
    fix: "Supply the fact: `--purpose`, `--answers FILE` or `--pods/--pod-cpu/--pod-memory`, `--machine ROLE=CPU,GiB`, `--zones`, `--control-plane-nodes`, `--worker-nodes`; or `kubeplan import` the file, fill the fact into the plan and remove it from `kubeplan.io/unknown`.",
    near_miss: [("kubeplan.io/unknown: workload  # <- fires here\n", "\n")],
}

rule! {
    INPUT_NO_CLUSTER: "input-no-cluster", Always(Info), None,
    summary: "A cluster tool's file that describes no cluster.",
    what: "A file of a format kubeplan reads that holds no cluster object: Cluster API's ClusterClass and templates without a Cluster, kOps InstanceGroups without their Cluster, an eksctl file without a ClusterConfig.",
    why: "Such a file is valid for its tool, but there is no cluster in it to check: saying so keeps a silent pass from reading as a clean cluster.",
    fix: "Lint the file that holds the cluster (for kOps, what `kops get -o yaml` prints: the Cluster with its InstanceGroups), or add the cluster object.",
    near_miss: [("kind: ClusterClass  # <- fires here", "kind: Cluster")],
}

rule! {
    INPUT_UNRENDERED_VARIABLE: "input-unrendered-variable", Always(Info), None,
    summary: "A `${VARIABLE}` of a template that kubeplan needs a value for.",
    what: "A value of a Cluster API template that is still a clusterctl variable (`${CONTROL_PLANE_MACHINE_COUNT}`) with no default, in a field kubeplan reads. Defaults written in the template (`${POD_CIDR:=[\"192.168.0.0/16\"]}`) are used as clusterctl uses them.",
    why: "Until the template is rendered the value is not known, so the rules that need it cannot run on it; clusterctl itself refuses to render a template with a variable it has no value for.",
    fix: "Pass `--var NAME=VALUE` for each variable (as `clusterctl generate cluster` takes them from the environment), or lint the rendered manifests.",
    near_miss: [("${CONTROL_PLANE_MACHINE_COUNT}", "3")],
}

rule! {
    IGNORE_UNKNOWN_RULE: "ignore-unknown-rule", Always(Warning), None,
    summary: "A `kubeplan.io/ignore` annotation names a rule that does not exist.",
    what: "Each id in the plan's `kubeplan.io/ignore` annotation against the rule catalog (`kubeplan rules`); the message names the closest id.",
    why: "A misspelt id silences nothing, so the finding it was meant to silence still fails the run, or worse, the author believes a rule is off that is on.",
    fix: "Spell the id as `kubeplan rules` lists it (the message suggests the closest one), or remove it.",
    near_miss: [("etcd-even-member\"", "etcd-even-members\"")],
}

/// The unknown ids of a plan's ignore annotation, each a warning at the
/// annotation, naming the closest rule id.
pub fn unknown_ignored(plan: &crate::plan::ClusterPlan, at: Spot) -> Vec<crate::diag::Finding> {
    let ids = || crate::lint::RULES.iter().map(|r| r.id);
    crate::lint::ignored_rules(plan)
        .into_iter()
        .filter(|id| !ids().any(|r| r == id))
        .map(|id| {
            let hint = match crate::prose::closest(&id, ids()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "`kubeplan rules` lists the ids".to_string(),
            };
            crate::diag::Finding {
                rule: IGNORE_UNKNOWN_RULE.id,
                severity: Warning,
                message: format!(
                    "`{id}` in `{}` is no rule: it silences nothing",
                    crate::lint::IGNORE_ANNOTATION
                ),
                help: hint,
                at: at.clone(),
            }
        })
        .collect()
}
