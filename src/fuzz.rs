//! The fuzz targets' bodies: `fuzz/fuzz_targets/*.rs` call them with
//! libFuzzer's bytes, and `tests/it/fuzz_regressions.rs` replays the inputs
//! they found through the same functions. Any bytes give findings or a
//! clear error, never a panic; every finding in a file lies inside it.

use crate::catalog::Catalog;
use crate::import::{documents, Supply};
use crate::plan::load::source_from_bytes;
use crate::plan::{parse_documents, Document};
use crate::report::lint::{json, sarif, text, FileReport};
use crate::report::Paint;

/// Lints `docs` (read from `name`, of `lines` lines) and renders them
/// every way; every finding in the file itself lies inside it.
fn lint_and_render(name: &str, lines: u32, docs: &[Document]) {
    let c = Catalog::builtin();
    let report = FileReport {
        file: name.into(),
        docs: docs
            .iter()
            .map(|d| (d, crate::lint::lint_document(d, c)))
            .collect(),
    };
    for (_, r) in &report.docs {
        for f in r.findings.iter().filter(|f| f.file().is_none()) {
            assert!(
                f.line() >= 1 && f.line() <= lines,
                "line {} of {lines}",
                f.line()
            );
        }
    }
    let files = [report];
    let _ = (
        text(&files, Paint::default()),
        json(&files),
        sarif(&files, c),
    );
}

/// A plan file: the plan loader, lint and every renderer.
pub fn plan(data: &[u8]) {
    let Ok(source) = source_from_bytes("fuzz.yaml".into(), data.to_vec()) else {
        return;
    };
    let lines = source.text.lines().count().max(1) as u32 + 1;
    if let Ok(docs) = parse_documents(source) {
        lint_and_render("fuzz.yaml", lines, &docs);
    }
}

/// Another tool's file: the first byte picks YAML (even) or an Ansible INI
/// inventory (odd), and whether clusterctl variables are given.
pub fn import(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let name = match first & 1 {
        0 => "fuzz.yaml",
        _ => "fuzz.ini",
    };
    let mut supply = Supply::default();
    if first & 2 != 0 {
        for (k, v) in [
            ("CLUSTER_NAME", "dev"),
            ("CONTROL_PLANE_MACHINE_COUNT", "3"),
            ("WORKER_MACHINE_COUNT", "x${A:-${B}}"),
            ("POD_CIDR", "[\"10.0.0.0/8\"]"),
        ] {
            supply.vars.insert(k.into(), v.into());
        }
    }
    let Ok(source) = source_from_bytes(name.into(), rest.to_vec()) else {
        return;
    };
    let lines = source.text.lines().count().max(1) as u32 + 1;
    if let Ok(docs) = documents(source, &supply, Catalog::builtin()) {
        lint_and_render(name, lines, &docs);
    }
}

/// A `design --answers` file, then the design of what it accepts.
pub fn answers(data: &[u8]) {
    let Ok(source) = source_from_bytes("answers.yaml".into(), data.to_vec()) else {
        return;
    };
    let c = Catalog::builtin();
    let Ok(given) = crate::questionnaire::resolve::answers_from_source(&source, c.questions())
    else {
        return;
    };
    let Ok(a) = c.questions().with_defaults(&given, false).complete() else {
        return;
    };
    if a.pods > 200_000 {
        return; // large designs are covered by the answer-space tests
    }
    if let Ok(d) = crate::design::recommend(c, &a, "fuzz") {
        for p in d.plans.iter().take(2) {
            crate::lint::lint_plan(p, c);
            crate::bom::build(c, p);
        }
    }
}

/// The `--profiles-dir` files, the first byte picking which.
pub const PROFILE_FILES: &[&str] = &[
    "kubernetes.yaml",
    "platforms/aws.yaml",
    "platforms/gcp.yaml",
    "platforms/azure.yaml",
    "platforms/on-prem.yaml",
    "questions.yaml",
];

/// A `--profiles-dir` file, then what every command does with the catalog
/// it makes.
pub fn profiles(data: &[u8]) {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let file = PROFILE_FILES[usize::from(*first) % PROFILE_FILES.len()];
    let Ok(c) = Catalog::with_text(file, text) else {
        return;
    };
    for (name, preset) in c.presets() {
        let Ok(a) = c
            .questions()
            .with_defaults(&preset.answers, false)
            .complete()
        else {
            continue;
        };
        if let Ok(d) = crate::design::recommend(&c, &a, name) {
            for p in d.plans.iter().take(2) {
                crate::lint::lint_plan(p, &c);
                crate::bom::build(&c, p);
            }
        }
    }
    for r in crate::lint::RULES {
        let _ = r.docs(&c);
    }
}

/// A running cluster's snapshot (JSON or YAML): the streaming reader, its
/// plan, lint with its pods, and every zone's loss re-placed.
pub fn snapshot(data: &[u8]) {
    let Ok(source) = source_from_bytes("fuzz.json".into(), data.to_vec()) else {
        return;
    };
    let Ok(snap) = crate::workloads::snapshot::from_source(&source) else {
        return;
    };
    let c = Catalog::builtin();
    for doc in crate::import::snapshot_documents(&snap, &Supply::default(), c) {
        let pods = Some(crate::lint::Pods::Snapshot(&snap));
        let _ = crate::lint::lint_document_with(&doc, c, pods);
        let Some(plan) = &doc.plan else { continue };
        let base = crate::whatif::pods::Base::of_snapshot(c, &snap, plan);
        for z in &base.cluster.zones {
            let lost = crate::whatif::scenario::Lost {
                zones: vec![z.clone()],
                machines: Default::default(),
            };
            let _ = crate::whatif::pods::state(&base, &lost, String::new());
        }
    }
}
