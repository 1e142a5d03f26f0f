//! Which instance types a ranking considers: the classes people size
//! Kubernetes nodes from, the current generation, the architecture, a vCPU
//! range, and burstable types only where a plan tolerates their credits.

use crate::catalog::InstanceType;

/// The classes a ranking takes when no `--family` is given.
pub const DEFAULT_CLASSES: [&str; 3] = ["general", "compute", "memory"];

/// Every class the catalogs give a type (build/catalog.rs lists them).
pub const CLASSES: [&str; 9] = crate::catalog::instances::CLASS_NAMES;

/// What narrows a ranking (`size` and `design` flags).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TypeFilter {
    /// Classes (`memory`) or series (`m7g`, `Dsv5`, `n2`) to rank; empty:
    /// [`DEFAULT_CLASSES`], with burstable ones where `burstable` allows.
    pub families: Vec<String>,
    /// Classes or series left out.
    pub exclude: Vec<String>,
    /// Previous-generation series too (`--generation any`).
    pub any_generation: bool,
    pub min_vcpu: Option<f64>,
    pub max_vcpu: Option<f64>,
    /// Burstable types by default (learning and development).
    pub burstable: bool,
}

fn names(t: &InstanceType, key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    t.family == key
        || t.series
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case(&key))
}

impl TypeFilter {
    pub fn allows(&self, t: &InstanceType) -> bool {
        let family = if self.families.is_empty() {
            DEFAULT_CLASSES.contains(&t.family.as_ref())
                || (self.burstable && t.family == "burstable")
        } else {
            self.families.iter().any(|f| names(t, f))
        };
        // A burstable type is sized by its baseline: none published, not ranked.
        let sizable = t.family != "burstable" || t.baseline_cpu.is_some();
        family
            && sizable
            && !self.exclude.iter().any(|f| names(t, f))
            && (self.any_generation || !t.previous_generation)
            && self.min_vcpu.is_none_or(|m| t.cpu >= m)
            && self.max_vcpu.is_none_or(|m| t.cpu <= m)
    }

    /// The filter for a plan of `purpose`: burstable types by default for
    /// learning and development only.
    pub fn for_purpose(&self, purpose: crate::plan::Purpose) -> TypeFilter {
        use crate::plan::Purpose::{Development, Learning};
        TypeFilter {
            burstable: matches!(purpose, Learning | Development),
            ..self.clone()
        }
    }

    /// What the filter keeps for a plan of `purpose`, in words.
    pub fn describe_for(&self, purpose: crate::plan::Purpose) -> String {
        self.for_purpose(purpose).describe()
    }

    /// What the filter keeps, in words (for the reasons and `size`).
    pub fn describe(&self) -> String {
        let mut classes: Vec<String> = DEFAULT_CLASSES.iter().map(|c| c.to_string()).collect();
        if self.burstable {
            classes.push("burstable".into());
        }
        let mut out = if self.families.is_empty() {
            format!("{} types", crate::prose::and_list(&classes))
        } else {
            format!("{} types", crate::prose::or_list(&self.families))
        };
        if !self.any_generation {
            out.push_str(" of the current generation");
        }
        let mut parts = vec![out];
        if !self.exclude.is_empty() {
            parts.push(format!("not {}", crate::prose::or_list(&self.exclude)));
        }
        match (self.min_vcpu, self.max_vcpu) {
            (Some(a), Some(b)) => parts.push(format!("{a} to {b} vCPUs")),
            (Some(a), None) => parts.push(format!("at least {a} vCPUs")),
            (None, Some(b)) => parts.push(format!("at most {b} vCPUs")),
            (None, None) => {}
        }
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Arch;

    fn t(
        name: &'static str,
        family: &'static str,
        series: &'static str,
        previous: bool,
        cpu: f64,
    ) -> InstanceType {
        InstanceType {
            name: name.into(),
            cpu,
            memory_gib: cpu * 4.0,
            arch: Arch::Amd64,
            family: family.into(),
            series: Some(series.into()),
            previous_generation: previous,
            gpus: 0,
            enis: None,
            ips_per_eni: None,
            price_per_hour: None,
            baseline_cpu: None,
        }
    }

    #[test]
    fn defaults_keep_current_general_compute_and_memory_types() {
        let f = TypeFilter::default();
        assert!(f.allows(&t("m7i.large", "general", "m7i", false, 2.0)));
        assert!(!f.allows(&t("m4.large", "general", "m4", true, 2.0)));
        assert!(!f.allows(&t("t3.large", "burstable", "t3", false, 2.0)));
        assert!(!f.allows(&t("i4i.large", "storage", "i4i", false, 2.0)));
        let learning = TypeFilter {
            burstable: true,
            ..f.clone()
        };
        let t3 = InstanceType {
            baseline_cpu: Some(0.3),
            ..t("t3.large", "burstable", "t3", false, 2.0)
        };
        assert!(learning.allows(&t3));
        // No baseline published: not ranked, even where burstable types are.
        assert!(!learning.allows(&t("t1.micro", "burstable", "t1", false, 1.0)));
        let series = TypeFilter {
            families: vec!["M7G".into(), "storage".into()],
            max_vcpu: Some(8.0),
            ..f
        };
        assert!(series.allows(&t("m7g.large", "general", "m7g", false, 2.0)));
        assert!(series.allows(&t("i4i.large", "storage", "i4i", false, 2.0)));
        assert!(!series.allows(&t("m7g.4xlarge", "general", "m7g", false, 16.0)));
        assert!(!series.allows(&t("m7i.large", "general", "m7i", false, 2.0)));
    }
}
