//! Every rule: its example fires it at the marked line, and a near miss (the
//! example with the smallest change that makes it right) does not.

use kubeplan::catalog::Catalog;
use kubeplan::diag::Finding;
use kubeplan::lint::{lint_document_with, RULES};
use kubeplan::plan::load::source_from_bytes;

const MARK: &str = "# <- fires here";

fn lint_text(text: &str) -> Vec<Finding> {
    lint_with(text, None)
}

/// Lints a plan text with the workloads a rule's example names.
fn lint_with(text: &str, workloads: Option<&str>) -> Vec<Finding> {
    let workloads =
        workloads.map(|w| kubeplan::workloads::read_text("example.workloads.yaml", w).unwrap());
    let source =
        source_from_bytes("example.yaml".into(), text.as_bytes().to_vec()).expect("readable");
    // A file that does not parse is one `input-unreadable` finding, as lint
    // reports it. Examples of other tools' files are read as lint reads them.
    let supply = kubeplan::import::Supply::default();
    match kubeplan::import::documents(source, &supply, Catalog::builtin()) {
        Ok(docs) => docs
            .iter()
            .flat_map(|d| {
                let pods = workloads.as_ref().map(kubeplan::lint::Pods::Manifests);
                lint_document_with(d, Catalog::builtin(), pods).findings
            })
            .collect(),
        Err(e) => vec![kubeplan::lint::unreadable(&e)],
    }
}

/// The ids of the minimum rule catalog, stable since the first release (`docs/rules.md`).
const SPEC_IDS: &[&str] = &[
    "schema-unknown-field",
    "schema-invalid-value",
    "schema-missing-field",
    "etcd-even-members",
    "etcd-no-fault-tolerance",
    "etcd-too-many-members",
    "etcd-stacked-member-mismatch",
    "etcd-zone-quorum-loss",
    "etcd-undersized",
    "etcd-disk-not-ssd",
    "managed-control-plane-conflict",
    "control-plane-single",
    "control-plane-schedulable",
    "control-plane-undersized",
    "machine-below-minimum",
    "leader-election-disabled",
    "leader-election-timing",
    "api-lb-missing",
    "api-lb-single-point-of-failure",
    "cluster-nodes-over-limit",
    "pods-per-node-over-limit",
    "pods-per-node-over-cores",
    "cluster-pods-over-limit",
    "cluster-containers-over-limit",
    "worker-capacity-insufficient",
    "worker-no-failure-headroom",
    "production-single-zone",
    "tooling-platform-mismatch",
    "tooling-purpose-mismatch",
    "node-arch-32-bit",
    "storage-rwx-unsupported",
    "storage-slow-for-workload",
    "storage-missing-for-stateful",
    "storage-default-class",
    "network-cidr-overlap",
    "network-pod-cidr-too-small",
    "network-node-cidr-too-small",
];

#[test]
fn every_spec_rule_exists_and_ids_are_unique() {
    for id in SPEC_IDS {
        assert!(
            RULES.iter().any(|r| r.id == *id),
            "rule {id} of the minimum catalog is missing"
        );
    }
    let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
    ids.sort();
    let before = ids.len();
    ids.dedup();
    assert_eq!(before, ids.len(), "duplicate rule ids");
}

/// What is missing from a rule's documentation.
fn doc_problems(r: &kubeplan::lint::Rule) -> Vec<String> {
    let mut out = Vec::new();
    let kebab =
        r.id.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !kebab {
        out.push("the id is not kebab-case".to_string());
    }
    let d = r.docs(Catalog::builtin());
    for (what, text) in [
        ("summary", d.summary.as_str()),
        ("what", d.what.as_str()),
        ("why", d.why.as_str()),
        ("fix", d.fix.as_str()),
    ] {
        // `${NAME}` is a template variable the docs name, not a placeholder.
        if text.replace("${", "").contains('{') {
            out.push(format!(
                "{what} has a placeholder the catalog does not fill: {text}"
            ));
        }
        if text.len() <= 15 {
            out.push(format!("{what} is too thin"));
        }
        if !text.trim_end().ends_with('.') {
            out.push(format!("{what} should end with a full stop"));
        }
    }
    let marked = r.example.contains(MARK) || r.example_workloads.is_some_and(|w| w.contains(MARK));
    if !marked {
        out.push("the example marks no line".to_string());
    }
    out
}

/// Every rule is documented (every failing rule reported, not the first).
#[test]
fn every_rule_is_documented() {
    let bad: Vec<String> = RULES
        .iter()
        .flat_map(|r| {
            doc_problems(r)
                .into_iter()
                .map(move |p| format!("{}: {p}", r.id))
        })
        .collect();
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// What is wrong with a rule's firing example, if anything.
fn example_problem(r: &kubeplan::lint::Rule) -> Option<String> {
    // The mark is in the plan, or for a finding at a workload in its manifests.
    let in_workloads = r.example_workloads.filter(|w| w.contains(MARK));
    let (text, file) = match in_workloads {
        Some(w) => (w, Some("example.workloads.yaml")),
        None => (r.example, None),
    };
    let line = text.lines().position(|l| l.contains(MARK))? as u32 + 1;
    let findings = lint_with(r.example, r.example_workloads);
    let hits: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.rule == r.id && f.at.file.as_ref().map(|s| s.name.as_str()) == file)
        .collect();
    if hits.is_empty() {
        let got: Vec<&str> = findings.iter().map(|f| f.rule).collect();
        return Some(format!("the example does not fire it; got {got:?}"));
    }
    if !hits.iter().any(|f| f.line() == line) {
        let at: Vec<(u32, u32)> = hits.iter().map(|f| (f.line(), f.column())).collect();
        return Some(format!("expected line {line}, got {at:?}"));
    }
    let bad = hits
        .iter()
        .find(|h| h.message.is_empty() || h.help.is_empty() || h.column() < 1)?;
    Some(format!("empty message or help, or column 0: {bad:?}"))
}

/// Every rule's example fires it at the marked line (every failing rule
/// is reported, not the first).
#[test]
fn every_example_fires_its_rule_at_the_marked_line() {
    let bad: Vec<String> = RULES
        .iter()
        .filter_map(|r| example_problem(r).map(|p| format!("{}: {p}", r.id)))
        .collect();
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// What is wrong with a rule's near miss, if anything.
fn near_miss_problem(r: &kubeplan::lint::Rule) -> Option<String> {
    if r.near_miss.is_empty() {
        return Some("no near miss".into());
    }
    // Each edit applies to the plan, or else to the example's manifests.
    let mut text = r.example.to_string();
    let mut workloads = r.example_workloads.map(str::to_string);
    for (from, to) in r.near_miss {
        match (text.contains(from), workloads.as_mut()) {
            (true, _) => text = text.replacen(from, to, 1),
            (false, Some(w)) if w.contains(from) => *w = w.replacen(from, to, 1),
            _ => return Some(format!("near miss edit `{from}` does not apply")),
        }
    }
    let findings = lint_with(&text, workloads.as_deref());
    let hits: Vec<&Finding> = findings.iter().filter(|f| f.rule == r.id).collect();
    (!hits.is_empty()).then(|| format!("near miss still fires: {hits:?}"))
}

/// Every rule's near miss keeps it silent (every failing rule reported).
#[test]
fn every_rule_has_a_near_miss_that_does_not_fire() {
    let bad: Vec<String> = RULES
        .iter()
        .filter_map(|r| near_miss_problem(r).map(|p| format!("{}: {p}", r.id)))
        .collect();
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// `docs/rules.md` is what `kubeplan rules --format markdown` prints.
#[test]
fn rule_reference_is_current() {
    let out = crate::common::run(&["rules", "--format", "markdown"]);
    assert!(out.status.success());
    crate::common::assert_current("docs/rules.md", &String::from_utf8(out.stdout).unwrap());
}

/// `kubeplan schema` prints the compiled-in `docs/plan.schema.json`; it
/// must be what schemars generates from the typed model today.
/// `KUBEPLAN_BLESS=1 cargo test` rewrites it (then rebuild).
#[test]
fn plan_schema_file_is_current() {
    let generated = kubeplan::plan::schema::generate();
    crate::common::assert_current("docs/plan.schema.json", &generated);
}

/// A limit changed in a `--profiles-dir` copy of `profiles/` changes the
/// number `explain` prints for the rule that uses it (and SARIF's help).
#[test]
fn explain_follows_the_profiles_in_force() {
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = tempfile::tempdir().unwrap();
    let k8s = std::fs::read_to_string(format!("{root}/profiles/kubernetes.yaml")).unwrap();
    assert!(k8s.contains("maxMembers: 7"));
    std::fs::write(
        dir.path().join("kubernetes.yaml"),
        k8s.replace("maxMembers: 7", "maxMembers: 9")
            .replace("podsPerCore: 10", "podsPerCore: 12"),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("platforms")).unwrap();
    let gcp = std::fs::read_to_string(format!("{root}/profiles/platforms/gcp.yaml")).unwrap();
    assert!(gcp.contains("managed: {maxNodes: 15000"));
    std::fs::write(
        dir.path().join("platforms/gcp.yaml"),
        gcp.replace("managed: {maxNodes: 15000", "managed: {maxNodes: 20000"),
    )
    .unwrap();
    let explain = |profiles: Option<&std::path::Path>, rule: &str| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kubeplan"));
        if let Some(p) = profiles {
            cmd.arg("--profiles-dir").arg(p);
        }
        let out = cmd
            .args(["explain", rule])
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let builtin = explain(None, "etcd-too-many-members");
    assert!(builtin.contains("More than 7 etcd members"), "{builtin}");
    let mine = explain(Some(dir.path()), "etcd-too-many-members");
    assert!(mine.contains("More than 9 etcd members"), "{mine}");
    assert!(mine.contains("(or 9 at most)"), "{mine}");
    let nodes = explain(Some(dir.path()), "cluster-nodes-over-limit");
    assert!(nodes.contains("20,000 on GKE"), "{nodes}");
    assert!(!nodes.contains("15,000"), "{nodes}");
    let cores = explain(Some(dir.path()), "pods-per-node-over-cores");
    assert!(cores.contains("above 12 pods per core"), "{cores}");
}

/// Losing a zone with 2 members over 2 zones: the help says why no layout
/// of 2 members survives, not "no zone holds more than 0".
#[test]
fn zone_quorum_help_counts_right() {
    let plan = |members: u32, zones: &str| {
        format!(
            "apiVersion: kubeplan/v1\nkind: ClusterPlan\nmetadata: {{name: z}}\nspec:\n  purpose: production\n  platform: on-prem\n  zones: {zones}\n  controlPlane: {{nodes: 3, machine: {{cpu: 4, memoryGiB: 16, disk: ssd}}}}\n  etcd: {{topology: external, members: {members}, machine: {{cpu: 2, memoryGiB: 8, disk: ssd}}}}\n  apiLoadBalancer: {{type: cloud}}\n"
        )
    };
    let help = |text: &str| -> String {
        lint_text(text)
            .into_iter()
            .find(|f| f.rule == "etcd-zone-quorum-loss")
            .map(|f| f.help)
            .unwrap_or_default()
    };
    let two = help(&plan(2, "[a, b]"));
    assert!(two.contains("with 2 members quorum is 2"), "{two}");
    assert!(!two.contains("more than 0"), "{two}");
    // 5 members over 2 zones (3+2): quorum 3, so a zone may hold 2 at most,
    // and 5 members need ceil(5 / 2) = 3 zones.
    let five = help(&plan(5, "[a, b]"));
    assert!(
        five.contains("no zone holds more than 2 members: 5 members need at least 3 zones"),
        "{five}"
    );
    assert!(help(&plan(5, "[a, b, c]")).is_empty());
}

/// What users read names designs and upstream sources, never the project's
/// internal notes.
#[test]
fn no_internal_wording_in_what_users_read() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    for dir in [
        "docs",
        "docs/examples",
        "profiles",
        "profiles/platforms",
        "profiles/presets",
    ] {
        for e in std::fs::read_dir(root.join(dir)).unwrap().flatten() {
            if e.path().is_file() {
                files.push(e.path());
            }
        }
    }
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap().to_lowercase();
        for word in ["seed note", "facts.md", "seed 00"] {
            assert!(!text.contains(word), "{} says `{word}`", f.display());
        }
    }
    for r in kubeplan::lint::RULES {
        let d = r.docs(Catalog::builtin());
        let all =
            format!("{} {} {} {} {}", d.summary, d.what, d.why, d.fix, r.example).to_lowercase();
        assert!(!all.contains("seed"), "{}", r.id);
    }
}

/// `kubeplan schema addresses` prints the compiled-in
/// `docs/addresses.schema.json`: what schemars generates from the model.
/// `KUBEPLAN_BLESS=1 cargo test` rewrites it (then rebuild).
#[test]
fn addresses_schema_file_is_current() {
    let generated = kubeplan::export::addresses::generate_schema();
    crate::common::assert_current("docs/addresses.schema.json", &generated);
}

/// Every rule the layers below lint name by handle (an importer's tool
/// check, a rule it silences) is a rule of the registry; a tool's own
/// check is reported by its importer, never run as a check.
#[test]
fn every_rule_handle_is_a_registered_rule() {
    use kubeplan::plan::RuleRef;
    let tool_checks = [
        RuleRef::EksctlTooFewZones,
        RuleRef::KopsEtcdEvenMembers,
        RuleRef::KubeadmNoControlPlaneEndpoint,
        RuleRef::KubesprayEtcdEven,
        RuleRef::KubesprayControlPlaneEmpty,
        RuleRef::ClusterApiEvenStackedControlPlane,
    ];
    let mut bad = Vec::new();
    for r in RuleRef::ALL {
        match kubeplan::lint::registry::rule(r.id()) {
            None => bad.push(format!("{r:?}: no rule `{}`", r.id())),
            Some(rule) if tool_checks.contains(r) != rule.check.is_none() => {
                bad.push(format!("{r:?}: `{}` has the wrong kind of check", r.id()))
            }
            Some(_) => {}
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
