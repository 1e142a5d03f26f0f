//! The `design --answers` loader, then the design of what it accepts.
#![no_main]

use kubeplan::catalog::Catalog;
use kubeplan::plan::load::source_from_bytes;
use kubeplan::questionnaire::resolve::answers_from_source;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = source_from_bytes("answers.yaml".into(), data.to_vec()) else {
        return;
    };
    let c = Catalog::builtin();
    let Ok(given) = answers_from_source(&source, &c.questions()) else {
        return;
    };
    let Ok(a) = c.questions().with_defaults(&given, false).complete() else {
        return;
    };
    if a.pods > 200_000 {
        return; // large designs are covered by the answer-space tests
    }
    if let Ok(d) = kubeplan::design::recommend(c, &a, "fuzz") {
        for p in d.plans.iter().take(2) {
            kubeplan::lint::lint_plan(p, c);
            kubeplan::bom::build(c, p);
        }
    }
});
