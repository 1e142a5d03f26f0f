//! A plan's annotations. In the file they are strings
//! (`kubeplan.io/unknown: "purpose,workload"`); inside kubeplan the ones it
//! reads are typed, read once when the plan is loaded and written back only
//! when it is saved: the facts the plan does not know, the rules silenced
//! for it, and the format it was imported from. Any other annotation is
//! kept as written.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::facts::{format_unknown, parse_unknown, Fact};

/// The annotation listing the facts a plan does not know (comma-separated).
pub const UNKNOWN_ANNOTATION: &str = "kubeplan.io/unknown";
/// The annotation naming the format a plan was imported from.
pub const IMPORTED_ANNOTATION: &str = "kubeplan.io/imported-from";
/// The annotation that silences rules for one plan.
pub const IGNORE_ANNOTATION: &str = "kubeplan.io/ignore";

/// A plan's annotations, kubeplan's own typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Annotations {
    /// `kubeplan.io/unknown`: the facts the plan does not know.
    pub unknown: Vec<Fact>,
    /// Words of `kubeplan.io/unknown` that name no fact (lint reports them).
    pub unknown_invalid: Vec<String>,
    /// `kubeplan.io/ignore`: the ids of the rules silenced for the plan.
    pub ignore: Vec<String>,
    /// `kubeplan.io/imported-from`: what the plan was read from ("eksctl ClusterConfig").
    pub imported_from: Option<String>,
    /// Every other annotation, as written.
    pub other: BTreeMap<String, String>,
}

impl Annotations {
    pub fn is_empty(&self) -> bool {
        *self == Annotations::default()
    }

    /// The annotations as the file holds them.
    pub fn to_map(&self) -> BTreeMap<String, String> {
        let mut m = self.other.clone();
        if !self.unknown.is_empty() || !self.unknown_invalid.is_empty() {
            let mut words = vec![format_unknown(&self.unknown)];
            words.extend(self.unknown_invalid.iter().cloned());
            words.retain(|w| !w.is_empty());
            m.insert(UNKNOWN_ANNOTATION.into(), words.join(","));
        }
        if !self.ignore.is_empty() {
            m.insert(IGNORE_ANNOTATION.into(), self.ignore.join(","));
        }
        if let Some(from) = &self.imported_from {
            m.insert(IMPORTED_ANNOTATION.into(), from.clone());
        }
        m
    }

    /// The annotations of a file's map.
    pub fn from_map(mut m: BTreeMap<String, String>) -> Annotations {
        let (unknown, unknown_invalid) = m
            .remove(UNKNOWN_ANNOTATION)
            .map_or_else(Default::default, |v| parse_unknown(&v));
        let ignore = m
            .remove(IGNORE_ANNOTATION)
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        Annotations {
            unknown,
            unknown_invalid,
            ignore,
            imported_from: m.remove(IMPORTED_ANNOTATION),
            other: m,
        }
    }
}

impl Serialize for Annotations {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_map().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Annotations {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Annotations, D::Error> {
        BTreeMap::<String, String>::deserialize(d).map(Annotations::from_map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubeplans_own_are_typed_and_written_back() {
        let m: BTreeMap<String, String> = [
            (UNKNOWN_ANNOTATION, "workload, purpose,worklaod"),
            (
                IGNORE_ANNOTATION,
                "etcd-even-members, production-single-zone",
            ),
            (IMPORTED_ANNOTATION, "kOps cluster"),
            ("team", "platform"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let a = Annotations::from_map(m);
        assert_eq!(a.unknown, vec![Fact::Purpose, Fact::Workload]);
        assert_eq!(a.unknown_invalid, vec!["worklaod".to_string()]);
        assert_eq!(a.ignore, ["etcd-even-members", "production-single-zone"]);
        assert_eq!(a.imported_from.as_deref(), Some("kOps cluster"));
        let back = a.to_map();
        assert_eq!(back[UNKNOWN_ANNOTATION], "purpose,workload,worklaod");
        assert_eq!(
            back[IGNORE_ANNOTATION],
            "etcd-even-members,production-single-zone"
        );
        assert_eq!(back["team"], "platform");
        assert!(Annotations::from_map(BTreeMap::new()).is_empty());
    }
}
