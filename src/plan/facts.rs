//! Facts a plan may not know: a plan imported from another tool's file
//! (an eksctl ClusterConfig, a Kubespray inventory, …) holds what that file
//! says and no more. What it cannot know is listed in the annotation
//! `kubeplan.io/unknown`; the rules that need such a fact do not run on the
//! plan, and lint says once which facts were missing, which rules they kept
//! from running and how to supply them. Nothing is guessed.

use super::model::ClusterPlan;

pub use super::annotations::{IGNORE_ANNOTATION, IMPORTED_ANNOTATION, UNKNOWN_ANNOTATION};

/// A fact about the cluster that a rule needs and a file may not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fact {
    /// What the cluster is for (the production-only rules need it).
    Purpose,
    /// How many self-managed control-plane nodes run.
    ControlPlane,
    /// How many etcd members run.
    Etcd,
    /// What stands in front of the API servers.
    LoadBalancer,
    /// The worker pools and their node counts.
    Workers,
    /// The machines' vCPUs, memory and disks.
    Machines,
    /// The failure domains and which machines are in each.
    Zones,
    /// The pods the cluster must hold.
    Workload,
    /// The storage classes.
    Storage,
}

impl Fact {
    pub const ALL: &'static [Fact] = &[
        Fact::Purpose,
        Fact::ControlPlane,
        Fact::Etcd,
        Fact::LoadBalancer,
        Fact::Workers,
        Fact::Machines,
        Fact::Zones,
        Fact::Workload,
        Fact::Storage,
    ];

    /// The word in `kubeplan.io/unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Fact::Purpose => "purpose",
            Fact::ControlPlane => "control-plane",
            Fact::Etcd => "etcd",
            Fact::LoadBalancer => "load-balancer",
            Fact::Workers => "workers",
            Fact::Machines => "machines",
            Fact::Zones => "zones",
            Fact::Workload => "workload",
            Fact::Storage => "storage",
        }
    }

    /// The fact in a sentence: "the workload (pods at peak and their requests)".
    pub fn describe(self) -> &'static str {
        match self {
            Fact::Purpose => "what the cluster is for",
            Fact::ControlPlane => "how many control-plane nodes run",
            Fact::Etcd => "how many etcd members run",
            Fact::LoadBalancer => "what balances the API servers",
            Fact::Workers => "the worker nodes",
            Fact::Machines => "the machines' sizes",
            Fact::Zones => "the zones the machines are in",
            Fact::Workload => "the workload (pods at peak and their requests)",
            Fact::Storage => "the storage classes",
        }
    }

    /// How a user supplies the fact to `lint`, `import` and the other commands.
    pub fn supply(self) -> &'static str {
        match self {
            Fact::Purpose => "pass --purpose production (or --answers FILE)",
            Fact::ControlPlane => "pass --control-plane-nodes N",
            Fact::Etcd => "pass --control-plane-nodes N (stacked etcd runs one member on each)",
            Fact::LoadBalancer => {
                "`kubeplan import` the file and describe it under `spec.apiLoadBalancer`"
            }
            Fact::Workers => "pass --worker-nodes N",
            Fact::Machines => {
                "pass --machine ROLE=CPU,GiB (ROLE: control-plane, etcd, workers or a pool's name)"
            }
            Fact::Zones => "pass --zones NAME,NAME,… (machines are spread over them in order)",
            Fact::Workload => "pass --answers FILE or --pods/--pod-cpu/--pod-memory",
            Fact::Storage => {
                "`kubeplan import` the file and list them under `spec.storage.classes`"
            }
        }
    }
}

impl std::fmt::Display for Fact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Fact {
    type Err = String;
    fn from_str(s: &str) -> Result<Fact, String> {
        Fact::ALL
            .iter()
            .copied()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| {
                let words = Fact::ALL.iter().map(|f| f.as_str());
                match crate::prose::closest(s, words) {
                    Some(best) => format!("`{s}` is no fact; did you mean `{best}`?"),
                    None => format!("`{s}` is no fact"),
                }
            })
    }
}

/// Reads a `kubeplan.io/unknown` value: the facts it names, and the words
/// that name none.
pub fn parse_unknown(value: &str) -> (Vec<Fact>, Vec<String>) {
    let mut facts = Vec::new();
    let mut bad = Vec::new();
    for word in value.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        match word.parse::<Fact>() {
            Ok(f) if !facts.contains(&f) => facts.push(f),
            Ok(_) => {}
            Err(_) => bad.push(word.to_string()),
        }
    }
    facts.sort();
    (facts, bad)
}

/// Writes facts as a `kubeplan.io/unknown` value.
pub fn format_unknown(facts: &[Fact]) -> String {
    let mut v = facts.to_vec();
    v.sort();
    v.dedup();
    v.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(",")
}

impl ClusterPlan {
    /// The facts this plan says it does not know.
    pub fn unknown_facts(&self) -> Vec<Fact> {
        self.metadata.annotations.unknown.clone()
    }

    /// Whether the plan knows a fact.
    pub fn knows(&self, fact: Fact) -> bool {
        !self.metadata.annotations.unknown.contains(&fact)
    }

    /// Records the facts the plan does not know (none: no annotation).
    pub fn set_unknown(&mut self, facts: &[Fact]) {
        let mut v = facts.to_vec();
        v.sort();
        v.dedup();
        self.metadata.annotations.unknown = v;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip() {
        for f in Fact::ALL {
            assert_eq!(f.as_str().parse::<Fact>(), Ok(*f));
        }
        let (facts, bad) = parse_unknown("workload, purpose,,zones,worklaod,purpose");
        assert_eq!(facts, vec![Fact::Purpose, Fact::Zones, Fact::Workload]);
        assert_eq!(bad, vec!["worklaod".to_string()]);
        assert_eq!(
            format_unknown(&[Fact::Workload, Fact::Purpose]),
            "purpose,workload"
        );
        assert!("worklaod"
            .parse::<Fact>()
            .unwrap_err()
            .contains("`workload`"));
    }
}
