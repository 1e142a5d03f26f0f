//! A `--profiles-dir` file (the first byte picks which), then what every
//! command does with the catalog it makes.
#![no_main]

use kubeplan::catalog::Catalog;
use libfuzzer_sys::fuzz_target;

const FILES: &[&str] = &[
    "kubernetes.yaml",
    "platforms/aws.yaml",
    "platforms/gcp.yaml",
    "platforms/azure.yaml",
    "platforms/on-prem.yaml",
    "questions.yaml",
];

fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let file = FILES[usize::from(*first) % FILES.len()];
    let Ok(c) = Catalog::with_text(file, text) else {
        return;
    };
    for (name, preset) in c.presets() {
        let Ok(a) = c.questions().with_defaults(&preset.answers, false).complete() else {
            continue;
        };
        if let Ok(d) = kubeplan::design::recommend(&c, &a, name) {
            for p in d.plans.iter().take(2) {
                kubeplan::lint::lint_plan(p, &c);
                kubeplan::bom::build(&c, p);
            }
        }
    }
    for r in kubeplan::lint::RULES {
        let _ = r.docs(&c);
    }
});
