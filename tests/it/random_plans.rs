//! Structurally valid random plans: lint and whatif never panic, every
//! renderer runs, every finding's line and column lie inside the file, and a
//! production plan lint passes survives any single failure.

use kubeplan::catalog::Catalog;
use kubeplan::plan::load::source_from_bytes;
use kubeplan::plan::parse_documents;
use kubeplan::report::lint::{json, sarif, text, FileReport};
use kubeplan::report::Paint;
use proptest::prelude::*;

#[allow(clippy::too_many_arguments)]
fn plan(
    purpose: &str,
    platform: &str,
    managed: bool,
    zones: usize,
    cp: u32,
    etcd: (&str, u32),
    lb: (&str, u32, bool),
    pools: &[(u32, f64, f64, u32, &str)],
    pods: u64,
    classes: &[(&str, &str, bool)],
    network: Option<(&str, &str, u8)>,
) -> String {
    let mut y = format!(
        "apiVersion: kubeplan/v1\nkind: ClusterPlan\nmetadata:\n  name: random\nspec:\n  purpose: {purpose}\n  platform: {platform}\n"
    );
    if zones > 0 {
        let z: Vec<String> = (0..zones).map(|i| format!("z{i}")).collect();
        y.push_str(&format!("  zones: [{}]\n", z.join(", ")));
    }
    y.push_str(&format!(
        "  controlPlane:\n    managed: {managed}\n    nodes: {cp}\n    machine: {{cpu: 4, memoryGiB: 16, disk: ssd}}\n"
    ));
    y.push_str(&format!(
        "  etcd:\n    topology: {}\n    members: {}\n",
        etcd.0, etcd.1
    ));
    y.push_str(&format!(
        "  apiLoadBalancer: {{type: {}, replicas: {}, virtualIP: {}}}\n",
        lb.0, lb.1, lb.2
    ));
    if !pools.is_empty() {
        y.push_str("  workers:\n");
        for (i, (n, cpu, mem, max, arch)) in pools.iter().enumerate() {
            y.push_str(&format!(
                "    - name: pool-{i}\n      nodes: {n}\n      machine: {{cpu: {cpu}, memoryGiB: {mem}}}\n      maxPods: {max}\n      arch: {arch}\n"
            ));
        }
    }
    y.push_str(&format!(
        "  workload:\n    kind: stateful\n    pods: {pods}\n    podRequests: {{cpu: 0.5, memoryGiB: 1}}\n"
    ));
    if !classes.is_empty() {
        y.push_str("  storage:\n    classes:\n");
        for (i, (medium, mode, default)) in classes.iter().enumerate() {
            y.push_str(&format!(
                "      - {{name: c{i}, medium: {medium}, accessModes: [{mode}], default: {default}}}\n"
            ));
        }
    }
    if let Some((pod, svc, mask)) = network {
        y.push_str(&format!(
            "  network:\n    podCIDR: {pod}\n    serviceCIDR: {svc}\n    nodeCIDRMaskSize: {mask}\n"
        ));
    }
    y
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn random_plans_lint_without_a_panic(
        purpose in prop::sample::select(vec!["learning", "development", "testing", "production"]),
        platform in prop::sample::select(vec!["on-prem", "aws", "gcp", "azure"]),
        managed in any::<bool>(),
        zones in 0usize..6,
        cp in 0u32..9,
        etcd in (prop::sample::select(vec!["stacked", "external"]), 0u32..11),
        lb in (prop::sample::select(vec!["haproxy", "nginx", "cloud", "none"]), 0u32..4, any::<bool>()),
        pools in prop::collection::vec(
            (0u32..6000, 0.5f64..128.0, 0.5f64..512.0, 1u32..600, prop::sample::select(vec!["amd64", "arm64", "arm", "386"])),
            0..3,
        ),
        pods in 0u64..400_000,
        classes in prop::collection::vec(
            (prop::sample::select(vec!["ssd", "hdd", "network"]), prop::sample::select(vec!["ReadWriteOnce", "ReadWriteMany"]), any::<bool>()),
            0..3,
        ),
        network in prop::option::of((
            prop::sample::select(vec!["10.244.0.0/16", "10.96.0.0/12", "192.168.0.0/24", "10.0.0.0/8"]),
            prop::sample::select(vec!["10.96.0.0/12", "10.100.0.0/16", "172.16.0.0/12"]),
            16u8..29,
        )),
    ) {
        let y = plan(purpose, platform, managed, zones, cp, etcd, lb, &pools, pods, &classes, network);
        let source = source_from_bytes("random.yaml".into(), y.clone().into_bytes()).unwrap();
        let widths: Vec<usize> = y.lines().map(|l| l.chars().count()).collect();
        let docs = parse_documents(source).unwrap();
        let c = Catalog::builtin();
        let report = FileReport {
            file: "random.yaml".into(),
            docs: docs.iter().map(|d| (d, kubeplan::lint::lint_document(d, c))).collect(),
        };
        for (_, r) in &report.docs {
            for f in &r.findings {
                let line = f.line() as usize;
                prop_assert!(line >= 1 && line <= widths.len(), "{}: line {line}\n{y}", f.rule);
                prop_assert!(f.column() as usize <= widths[line - 1] + 1, "{}: column {} of line {line}\n{y}", f.rule, f.column());
            }
        }
        // whatif runs on every plan lint reads, and agrees with it: a
        // production plan lint passes has no single failure that takes it down.
        for (d, r) in &report.docs {
            let Some(p) = d.plan.as_ref() else { continue };
            let w = kubeplan::whatif::run::run(c, p, &[], 2);
            let clean = r.findings.iter().all(|f| f.severity != kubeplan::diag::Severity::Error);
            if clean && !r.schema_blocked && p.spec.purpose == kubeplan::plan::Purpose::Production {
                prop_assert_ne!(w.summary.worst_single, kubeplan::whatif::Verdict::Down, "{}", y);
            }
        }
        let files = [report];
        let _ = (text(&files, Paint::default()), json(&files), sarif(&files, c));
    }
}
