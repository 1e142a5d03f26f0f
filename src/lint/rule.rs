//! What a rule is: its id, severity policy, docs and example, and how its
//! docs read with the catalog's numbers filled in.
//!
//! Rule docs name figures as `{placeholders}` (e.g. `{etcd.maxMembers}`),
//! rendered from the catalog in force, so `explain`, SARIF help and
//! `docs/rules.md` follow `profiles/` and `--profiles-dir`.

use super::{Ctx, Hit};
use crate::catalog::{Catalog, Limits, SizeTier};
use crate::diag::Severity;
use crate::plan::{Fact, Platform, Purpose};
use crate::prose::{decimal, num};
use crate::quorum::fault_tolerance;

/// How a rule's severity depends on the plan's purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// The same severity for every plan.
    Always(Severity),
    /// Error for production plans, warning for the others.
    ErrorInProduction,
    /// Silent unless the plan is for production.
    ProductionOnly(Severity),
}

impl Policy {
    /// The severity for a plan whose purpose is not known: the one for a
    /// plan that is not for production (a production-only rule does not
    /// run at all; it needs the purpose).
    pub fn severity_without_purpose(self) -> Option<Severity> {
        match self {
            Policy::Always(s) => Some(s),
            Policy::ErrorInProduction => Some(Severity::Warning),
            Policy::ProductionOnly(_) => None,
        }
    }

    /// The severity for a plan of this purpose, or None when silent.
    pub fn severity(self, purpose: Purpose) -> Option<Severity> {
        let prod = purpose == Purpose::Production;
        match self {
            Policy::Always(s) => Some(s),
            Policy::ErrorInProduction => Some(if prod {
                Severity::Error
            } else {
                Severity::Warning
            }),
            Policy::ProductionOnly(s) => prod.then_some(s),
        }
    }

    /// How the docs describe the policy.
    pub fn describe(self) -> String {
        match self {
            Policy::Always(s) => s.to_string(),
            Policy::ErrorInProduction => "error in production, warning otherwise".into(),
            Policy::ProductionOnly(s) => format!("{s} (production only)"),
        }
    }

    /// The most severe level the rule can report (for SARIF defaults).
    pub fn default_severity(self) -> Severity {
        match self {
            Policy::Always(s) | Policy::ProductionOnly(s) => s,
            Policy::ErrorInProduction => Severity::Error,
        }
    }
}

/// One lint rule, declared once in its family's file (`lint/rules/`).
pub struct Rule {
    /// Stable kebab-case id.
    pub id: &'static str,
    pub policy: Policy,
    /// The family it belongs to (a heading in the docs).
    pub group: &'static str,
    /// One line: what the rule reports (may hold `{placeholders}`).
    pub summary: &'static str,
    pub what: &'static str,
    pub why: &'static str,
    pub fix: &'static str,
    /// A complete plan that fires the rule, its line marked `# <- fires here`.
    pub example: &'static str,
    /// For a rule about a plan's workloads: the manifests (`--workloads`)
    /// the example is linted with.
    pub example_workloads: Option<&'static str>,
    /// The smallest edits (find, replace) that make the example right.
    pub near_miss: &'static [(&'static str, &'static str)],
    /// None for the schema rules, which the loader reports.
    pub check: Option<fn(&Ctx) -> Vec<Hit>>,
    /// The facts the check reads that an imported plan may not know.
    pub needs: &'static [Fact],
}

/// A rule's docs with the catalog's figures filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Docs {
    pub summary: String,
    pub what: String,
    pub why: String,
    pub fix: String,
}

impl Rule {
    /// The facts the rule needs: its own, and the purpose for a
    /// production-only rule.
    pub fn facts(&self) -> Vec<Fact> {
        let mut out = self.needs.to_vec();
        if matches!(self.policy, Policy::ProductionOnly(_)) {
            out.insert(0, Fact::Purpose);
        }
        out
    }

    pub fn docs(&self, c: &Catalog) -> Docs {
        Docs {
            summary: render(self.summary, c),
            what: render(self.what, c),
            why: render(self.why, c),
            fix: render(self.fix, c),
        }
    }
}

/// Fills `{placeholders}` from the catalog. An unknown name is left as
/// written (a test walks every rule so that none is); `${NAME}`, a
/// template variable the docs name, is text.
pub fn render(text: &str, c: &Catalog) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|i| open + i) else {
            break;
        };
        if rest[..open].ends_with('$') {
            out.push_str(&rest[..=close]);
            rest = &rest[close + 1..];
            continue;
        }
        out.push_str(&rest[..open]);
        let key = &rest[open + 1..close];
        match fact(c, key) {
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[open..=close]),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The figure a placeholder names.
pub fn fact(c: &Catalog, key: &str) -> Option<String> {
    let k = &c.kubernetes;
    let upstream = c.limits(Platform::OnPrem, false);
    Some(match key {
        "etcd.maxMembers" => k.etcd.max_members.to_string(),
        "etcd.recommendedMembers" => k.etcd.recommended_members.to_string(),
        "etcd.recommendedTolerance" => fault_tolerance(k.etcd.recommended_members).to_string(),
        "etcd.stackedUpToNodes" => num(k.etcd.external_above_nodes),
        "kubeadm.controlPlaneCpu" => decimal(k.kubeadm_minimum.control_plane_cpu),
        "kubeadm.memoryGiB" => decimal(k.kubeadm_minimum.memory_gib),
        "podsPerCore" => k.pods_per_core.to_string(),
        "upstream.maxPodsPerNode" => upstream.max_pods_per_node.to_string(),
        "controlPlaneSizes" => tiers(&k.control_plane_sizes, false),
        "etcdTiers" => tiers(&k.etcd_tiers, true),
        "limits.maxNodes" => limit_list(c, |l| l.max_nodes),
        "limits.maxPodsPerNode" => limit_list(c, |l| u64::from(l.max_pods_per_node)),
        "limits.hardMaxPodsPerNode" => hard_list(c),
        "limits.maxPods" => limit_list(c, |l| l.max_pods),
        "limits.maxContainers" => limit_list(c, |l| l.max_containers),
        k if k.starts_with("platform.") => return super::rules::platform::fact(c, k),
        _ => return None,
    })
}

/// `5,000 upstream, 15,000 on GKE`: upstream's figure, then each managed
/// service whose own figure differs.
fn limit_list(c: &Catalog, get: impl Fn(&Limits) -> u64) -> String {
    let base = get(c.limits(Platform::OnPrem, false));
    let mut parts = vec![format!("{} upstream", num(base))];
    for (_, p) in c.platforms() {
        let (Some(m), Some(tool)) = (&p.limits.managed, p.tooling.managed) else {
            continue;
        };
        if get(m) != base {
            parts.push(format!(
                "{} on {}",
                num(get(m)),
                tool.as_str().to_uppercase()
            ));
        }
    }
    parts.join(", ")
}

/// `250 on AKS, 256 on GKE`: the managed services' hard pods-per-node limits.
fn hard_list(c: &Catalog) -> String {
    let parts: Vec<String> = c
        .platforms()
        .map(|(_, p)| p)
        .filter_map(|p| {
            let hard = p.limits.managed.as_ref()?.hard_max_pods_per_node?;
            Some(format!(
                "{hard} on {}",
                p.tooling.managed?.as_str().to_uppercase()
            ))
        })
        .collect();
    match parts.is_empty() {
        true => "none in the catalog".into(),
        false => parts.join(", "),
    }
}

/// A size table by node count: `1-5: 1, 6-10: 2, ..., above: 64` (vCPUs),
/// or with memory: `50 nodes: 2 vCPU / 8 GiB, 250: 4/16, ...`.
fn tiers(t: &[SizeTier], memory: bool) -> String {
    let mut parts = Vec::new();
    let mut low = 1;
    for (i, tier) in t.iter().enumerate() {
        let size = if !memory {
            decimal(tier.cpu)
        } else if i == 0 {
            format!(
                "{} vCPU / {} GiB",
                decimal(tier.cpu),
                decimal(tier.memory_gib)
            )
        } else {
            format!("{}/{}", decimal(tier.cpu), decimal(tier.memory_gib))
        };
        let label = match (tier.max_nodes, memory) {
            (Some(m), true) if i == 0 => format!("{} nodes", num(m)),
            (Some(m), true) => num(m),
            (Some(m), false) => format!("{}-{}", num(low), num(m)),
            (None, _) => "above".to_string(),
        };
        parts.push(format!("{label}: {size}"));
        low = tier.max_nodes.map_or(low, |m| m + 1);
    }
    parts.join(", ")
}
