//! Every rule: its example fires it at the marked line, and a near miss (the
//! example with the smallest change that makes it right) does not.

use kubeplan::catalog::Catalog;
use kubeplan::diag::Finding;
use kubeplan::lint::{lint_document, RULES};
use kubeplan::plan::load::{parse_documents, source_from_bytes};

const MARK: &str = "# <- fires here";

fn lint_text(text: &str) -> Vec<Finding> {
    let source =
        source_from_bytes("example.yaml".into(), text.as_bytes().to_vec()).expect("readable");
    let docs = parse_documents(source).expect("parses");
    docs.iter()
        .flat_map(|d| lint_document(d, Catalog::builtin()).findings)
        .collect()
}

/// The ids `spec/rules.md` makes the contract.
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

/// Near misses: replacements that turn each example into a plan the rule accepts.
const NEAR_MISSES: &[(&str, &[(&str, &str)])] = &[
    ("schema-unknown-field", &[("contolPlane:", "controlPlane:")]),
    ("schema-invalid-value", &[("prodution", "production")]),
    (
        "schema-missing-field",
        &[("spec:  # <- fires here\n", "spec:\n  purpose: testing\n")],
    ),
    (
        "etcd-even-members",
        &[("members: 4", "members: 3"), ("nodes: 4", "nodes: 3")],
    ),
    ("etcd-no-fault-tolerance", &[("nodes: 2", "nodes: 3")]),
    ("etcd-too-many-members", &[("members: 9", "members: 7")]),
    (
        "etcd-stacked-member-mismatch",
        &[("members: 5", "members: 3")],
    ),
    (
        "etcd-zone-quorum-loss",
        &[("[zone-a, zone-b]", "[zone-a, zone-b, zone-c]")],
    ),
    (
        "etcd-undersized",
        &[(
            "cpu: 2  # <- fires here\n      memoryGiB: 8",
            "cpu: 8\n      memoryGiB: 32",
        )],
    ),
    ("etcd-disk-not-ssd", &[("disk: hdd", "disk: ssd")]),
    (
        "managed-control-plane-conflict",
        &[("  etcd:  # <- fires here\n    members: 3\n", "")],
    ),
    ("control-plane-single", &[("nodes: 1", "nodes: 3")]),
    (
        "control-plane-schedulable",
        &[("schedulable: true", "schedulable: false")],
    ),
    ("control-plane-undersized", &[("cpu: 2", "cpu: 8")]),
    ("machine-below-minimum", &[("cpu: 1", "cpu: 2")]),
    (
        "leader-election-disabled",
        &[("enabled: false", "enabled: true")],
    ),
    (
        "leader-election-timing",
        &[("leaseDuration: 10s", "leaseDuration: 15s")],
    ),
    (
        "api-lb-missing",
        &[(
            "disk: ssd}\n",
            "disk: ssd}\n  apiLoadBalancer: {type: haproxy, replicas: 1}\n",
        )],
    ),
    (
        "api-lb-single-point-of-failure",
        &[("replicas: 1", "replicas: 2\n    virtualIP: true")],
    ),
    (
        "cluster-nodes-over-limit",
        &[("nodes: 5200", "nodes: 4997")],
    ),
    (
        "pods-per-node-over-limit",
        &[("maxPods: 110", "maxPods: 29")],
    ),
    (
        "pods-per-node-over-cores",
        &[("maxPods: 110", "maxPods: 20")],
    ),
    (
        "cluster-pods-over-limit",
        &[("pods: 160000", "pods: 150000")],
    ),
    (
        "cluster-containers-over-limit",
        &[("pods: 120000", "pods: 100000")],
    ),
    ("worker-capacity-insufficient", &[("pods: 100", "pods: 30")]),
    ("worker-no-failure-headroom", &[("pods: 150", "pods: 124")]),
    (
        "production-single-zone",
        &[("[dc-1]", "[dc-1, dc-2, dc-3]")],
    ),
    (
        "tooling-platform-mismatch",
        &[("tooling: kops", "tooling: kubeadm")],
    ),
    (
        "tooling-purpose-mismatch",
        &[("tooling: kind", "tooling: kubeadm")],
    ),
    ("node-arch-32-bit", &[("arch: arm ", "arch: arm64 ")]),
    (
        "storage-rwx-unsupported",
        &[("medium: ssd", "medium: network")],
    ),
    (
        "storage-slow-for-workload",
        &[("medium: hdd", "medium: ssd")],
    ),
    (
        "storage-missing-for-stateful",
        &[("kind: stateful", "kind: web")],
    ),
    (
        "storage-default-class",
        &[(
            "[ReadWriteOnce]\n      - name: shared",
            "[ReadWriteOnce]\n        default: true\n      - name: shared",
        )],
    ),
    (
        "network-cidr-overlap",
        &[("podCIDR: 10.96.0.0/16", "podCIDR: 10.244.0.0/16")],
    ),
    (
        "network-pod-cidr-too-small",
        &[("10.244.0.0/20", "10.244.0.0/19")],
    ),
    (
        "network-node-cidr-too-small",
        &[("nodeCIDRMaskSize: 26", "nodeCIDRMaskSize: 25")],
    ),
];

#[test]
fn every_spec_rule_exists_and_ids_are_unique() {
    for id in SPEC_IDS {
        assert!(
            RULES.iter().any(|r| r.id == *id),
            "rule {id} from spec/rules.md is missing"
        );
    }
    let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
    ids.sort();
    let before = ids.len();
    ids.dedup();
    assert_eq!(before, ids.len(), "duplicate rule ids");
}

#[test]
fn every_rule_is_documented() {
    for r in RULES {
        assert!(
            r.id.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{} is not kebab-case",
            r.id
        );
        for (what, text) in [
            ("summary", r.summary),
            ("what", r.what),
            ("why", r.why),
            ("fix", r.fix),
        ] {
            assert!(text.len() > 15, "{}: {what} is too thin", r.id);
            assert!(
                text.trim_end().ends_with('.'),
                "{}: {what} should end with a full stop",
                r.id
            );
        }
        assert!(
            r.example.contains(MARK),
            "{}: the example marks no line",
            r.id
        );
    }
}

#[test]
fn every_example_fires_its_rule_at_the_marked_line() {
    for r in RULES {
        let line = r.example.lines().position(|l| l.contains(MARK)).unwrap() as u32 + 1;
        let findings = lint_text(r.example);
        let hits: Vec<&Finding> = findings.iter().filter(|f| f.rule == r.id).collect();
        assert!(
            !hits.is_empty(),
            "{}: example does not fire it; got {:?}",
            r.id,
            findings.iter().map(|f| f.rule).collect::<Vec<_>>()
        );
        assert!(
            hits.iter().any(|f| f.line == line),
            "{}: expected line {line}, got {:?}",
            r.id,
            hits.iter().map(|f| (f.line, f.column)).collect::<Vec<_>>()
        );
        for h in hits {
            assert!(
                !h.message.is_empty() && !h.help.is_empty(),
                "{}: empty message or help",
                r.id
            );
            assert!(h.column >= 1, "{}: column 0", r.id);
        }
    }
}

#[test]
fn every_rule_has_a_near_miss_that_does_not_fire() {
    for r in RULES {
        let (_, edits) = NEAR_MISSES
            .iter()
            .find(|(id, _)| *id == r.id)
            .unwrap_or_else(|| panic!("{} has no near miss", r.id));
        let mut text = r.example.to_string();
        for (from, to) in *edits {
            assert!(
                text.contains(from),
                "{}: near miss edit `{from}` does not apply",
                r.id
            );
            text = text.replacen(from, to, 1);
        }
        let findings = lint_text(&text);
        let hits: Vec<&Finding> = findings.iter().filter(|f| f.rule == r.id).collect();
        assert!(
            hits.is_empty(),
            "{}: near miss still fires: {:?}",
            r.id,
            hits
        );
    }
}

#[test]
fn rule_reference_is_current() {
    let on_disk = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md"))
        .unwrap_or_default();
    let generated = kubeplan::docs::rules_markdown();
    assert!(
        on_disk == generated,
        "docs/rules.md is stale: run `cargo run -- rules --format markdown > docs/rules.md`"
    );
}
