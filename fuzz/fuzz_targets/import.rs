//! Other tools' files: any bytes, read as YAML or as an Ansible INI
//! inventory (the first byte chooses, and whether template variables are
//! given), give plans with findings or a clear error, never a panic; every
//! finding in the file lies inside it.
#![no_main]

use kubeplan::catalog::Catalog;
use kubeplan::import::{documents, Supply};
use kubeplan::plan::load::source_from_bytes;
use kubeplan::report::lint::{json, sarif, text, FileReport};
use kubeplan::report::Paint;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
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
    let c = Catalog::builtin();
    let Ok(docs) = documents(source, &supply, c) else {
        return;
    };
    let report = FileReport {
        file: name.into(),
        docs: docs
            .iter()
            .map(|d| (d, kubeplan::lint::lint_document(d, c)))
            .collect(),
    };
    for (_, r) in &report.docs {
        for f in r.findings.iter().filter(|f| f.file.is_none()) {
            assert!(f.line >= 1 && f.line <= lines, "line {} of {lines}", f.line);
        }
    }
    let files = [report];
    let _ = text(&files, Paint::default());
    let _ = json(&files);
    let _ = sarif(&files, c);
});
