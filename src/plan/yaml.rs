//! How YAML is read: the parser's budgets, sized for the 16 MiB file limit,
//! and the reasons its errors are given in.

/// What one plan file may hold, sized for the 16 MiB file limit: a file of
/// ~12,000 plans (10 MB) fits; anything beyond these is named in the error.
pub const MAX_DOCUMENTS: usize = 20_000;
/// Nodes (mappings, lists and values) in one file.
pub const MAX_NODES: usize = 4_000_000;
/// Parser events in one file.
pub const MAX_EVENTS: usize = 10_000_000;
/// Aliases (`*name`) in one file.
pub const MAX_ALIASES: usize = 10_000;
/// Nesting depth: a plan is about 6 levels deep.
pub const MAX_DEPTH: usize = 32;

pub(super) fn parse_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_documents = MAX_DOCUMENTS;
    budget.max_nodes = MAX_NODES;
    budget.max_events = MAX_EVENTS;
    budget.max_depth = MAX_DEPTH;
    budget.flow_nesting_limit = MAX_DEPTH;
    // Plans rarely use anchors: a small alias budget stops an alias bomb
    // within milliseconds, whatever the node budget.
    budget.max_aliases = MAX_ALIASES;
    budget.max_recorded_anchor_events = MAX_ALIASES * 10;
    serde_saphyr::options! {
        strict_booleans: true,
        with_snippet: false,
        budget: Some(budget),
    }
}

/// How Kubernetes manifests are read (`--workloads`): as plans, but as deep
/// as a CustomResourceDefinition's OpenAPI schema nests (Argo CD's are ~40).
pub fn manifest_options() -> serde_saphyr::Options {
    let mut o = parse_options();
    if let Some(b) = o.budget.as_mut() {
        b.max_depth = 256;
        b.flow_nesting_limit = 256;
    }
    o
}

pub fn yaml_reason(raw: &str) -> String {
    let mut text = raw.trim().to_string();
    if let Some(i) = text.rfind(" at line ") {
        text.truncate(i);
    }
    if let Some(rest) = text.strip_prefix("error: ") {
        text = rest.to_string();
    }
    // serde-saphyr's advice to its own callers is not the user's.
    if let Some(i) = text.find(", set DuplicateKeyPolicy") {
        text.truncate(i);
        text.push_str("; each key may appear once");
    }
    if let Some(breach) = text.split("budget breached: ").nth(1) {
        return budget_reason(breach);
    }
    if text.contains("recursion limit") || text.contains("depth") || text.contains("nesting") {
        return budget_reason("Depth");
    }
    format!("not valid YAML: {text}")
}

/// Names the budget a file went over (`Depth { depth: 65 }` → nesting).
fn budget_reason(breach: &str) -> String {
    let kind = breach.split([' ', '{']).next().unwrap_or("");
    match kind {
        "Depth" => format!("nesting deeper than {MAX_DEPTH} levels; a plan is a few levels deep"),
        "Documents" => format!(
            "more than {} YAML documents in one file",
            crate::prose::num(MAX_DOCUMENTS as u64)
        ),
        "Nodes" => format!(
            "more than {} YAML nodes in one file",
            crate::prose::num(MAX_NODES as u64)
        ),
        "Events" => format!(
            "more than {} YAML events in one file",
            crate::prose::num(MAX_EVENTS as u64)
        ),
        k if k.contains("Alias") || k.contains("Anchor") => {
            "too many aliases or anchors: refusing to expand them (an alias bomb?)".into()
        }
        "ScalarBytes" => "more text in values than a plan file holds".into(),
        other => format!("over the parser's budget ({other})"),
    }
}
