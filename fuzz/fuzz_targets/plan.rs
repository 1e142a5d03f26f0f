//! The plan loader and every lint renderer: any bytes give findings or a
//! clear error, never a panic; every finding's line lies inside the file.
#![no_main]

use kubeplan::catalog::Catalog;
use kubeplan::plan::load::source_from_bytes;
use kubeplan::plan::parse_documents;
use kubeplan::report::lint::{json, sarif, text, FileReport};
use kubeplan::report::Paint;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = source_from_bytes("fuzz.yaml".into(), data.to_vec()) else {
        return;
    };
    let lines = source.text.lines().count().max(1) as u32 + 1;
    let Ok(docs) = parse_documents(source) else {
        return;
    };
    let c = Catalog::builtin();
    let report = FileReport {
        file: "fuzz.yaml".into(),
        docs: docs
            .iter()
            .map(|d| (d, kubeplan::lint::lint_document(d, c)))
            .collect(),
    };
    for (_, r) in &report.docs {
        for f in &r.findings {
            assert!(f.line >= 1 && f.line <= lines, "line {} of {lines}", f.line);
        }
    }
    let files = [report];
    let _ = text(&files, Paint::default());
    let _ = json(&files);
    let _ = sarif(&files, c);
});
