//! `cargo bench --bench design`: the recommendation engine for the presets
//! and a 400,000-pod answer set (median of many runs), then `lint_plan` over
//! what it returns, as `design` itself would be checked.

use std::hint::black_box;
use std::time::Instant;

use kubeplan::catalog::Catalog;
use kubeplan::design::{default_name, recommend};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let c = Catalog::builtin();
    let mut sets: Vec<(String, kubeplan::design::PartialAnswers)> = c
        .presets()
        .iter()
        .map(|(n, p)| (n.clone(), p.answers.clone()))
        .collect();
    let mut big = c.presets()["prod-onprem"].answers.clone();
    big.pods = Some(400_000);
    sets.push(("prod-onprem, 400,000 pods".into(), big));
    println!(
        "{:<28} {:>8} {:>14} {:>14}",
        "answers", "plans", "design (µs)", "+ lint (µs)"
    );
    for (name, partial) in sets {
        let answers = c
            .questions()
            .with_defaults(&partial, false)
            .complete()
            .expect("presets are complete with defaults");
        let cluster = default_name(&answers);
        let (mut design_us, mut lint_us) = (Vec::new(), Vec::new());
        let mut plans = 0;
        for _ in 0..201 {
            let start = Instant::now();
            let d = recommend(c, black_box(&answers), &cluster).expect("designs");
            design_us.push(start.elapsed().as_secs_f64() * 1e6);
            let start = Instant::now();
            for p in &d.plans {
                black_box(kubeplan::lint::lint_plan(p, c));
            }
            lint_us.push(start.elapsed().as_secs_f64() * 1e6);
            plans = d.plans.len();
        }
        println!(
            "{name:<28} {plans:>8} {:>14.1} {:>14.1}",
            median(design_us),
            median(lint_us)
        );
    }
}
