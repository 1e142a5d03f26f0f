//! `cargo bench --bench lint_bulk`: `kubeplan lint` over many different
//! plans, against a bare single-threaded serde-saphyr parse of the same
//! bytes (what any YAML linter must at least do), with peak memory.
//!
//! The plans are generated, not copied: every preset's answers with varied
//! pods, zones, failures to tolerate, traffic and storage go through the
//! design engine, and a share of them get the edits people make (an even
//! etcd member count, a typo'd field, a missing load balancer, a bigger
//! pool), so the files differ in shape, size and findings. Written to
//! `target/bench-lint/`: 1,000 and 10,000 files in folders, and one file of
//! 11,574 plans (about 10 MB). Runs: `RUNS=N` (default 5), medians.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use kubeplan::catalog::Catalog;
use kubeplan::design::{default_name, recommend};
use kubeplan::report::design::plans_yaml;

mod fresh;
use fresh::{median, run, runner, RUNNER};

/// A small deterministic generator (no dependency for a benchmark).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a, T>(&mut self, from: &'a [T]) -> &'a T {
        &from[(self.next() % from.len() as u64) as usize]
    }
}

/// The edits people make to a plan, applied to some of them.
fn edit(plan: &str, rng: &mut Rng) -> String {
    match rng.next() % 8 {
        0 => plan.replacen("members: 3", "members: 4", 1),
        1 => plan.replacen("count: ", "cuont: ", 1),
        2 => plan.replacen("maxPods: ", "maxPods: 1", 1),
        3 => plan.replacen("zones:", "zone:", 1),
        _ => plan.to_string(),
    }
}

/// `n` different plans, one YAML document each.
fn plans(n: usize) -> Vec<String> {
    let c = Catalog::builtin();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let pods = [20u64, 150, 800, 2_500, 9_000, 40_000, 160_000];
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        for preset in c.presets().values() {
            let mut a = preset.answers.clone();
            a.pods = Some(*rng.pick(&pods));
            a.zones = Some(1 + (rng.next() % 3) as u32);
            if a.purpose.is_some_and(|p| p.to_string() == "production") {
                a.tolerate = Some(1 + (rng.next() % 2) as u32);
            }
            let Ok(answers) = c.questions().with_defaults(&a, false).complete() else {
                continue;
            };
            let Ok(design) = recommend(c, &answers, &default_name(&answers)) else {
                continue;
            };
            let Ok(yaml) = plans_yaml(&answers, &design.plans[..1]) else {
                continue;
            };
            out.push(edit(&yaml, &mut rng));
            if out.len() == n {
                break;
            }
        }
    }
    out
}

fn write_folder(dir: &Path, plans: &[String]) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("bench folder");
    for (i, p) in plans.iter().enumerate() {
        std::fs::write(dir.join(format!("plan-{i:05}.yaml")), p).expect("plan file");
    }
}

/// Median wall time and largest peak memory over `runs`.
fn measure(args: &[&str], runs: usize) -> (f64, u64) {
    let mut times = Vec::new();
    let mut peak = 0;
    for _ in 0..runs {
        let (t, kib) = run(args);
        times.push(t);
        peak = peak.max(kib);
    }
    (median(times), peak)
}

/// A bare single-threaded parse of every file, read from disk, into a
/// generic value: the floor a YAML linter cannot go below on one core.
fn bare_parse(files: &[PathBuf], runs: usize) -> f64 {
    let mut times = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        for f in files {
            let text = std::fs::read_to_string(f).expect("read");
            // The default budget stops at 1,024 documents; lift it.
            let mut budget = serde_saphyr::Budget::default();
            budget.max_documents = usize::MAX;
            budget.max_nodes = usize::MAX;
            budget.max_events = usize::MAX;
            let options = serde_saphyr::options! { budget: Some(budget) };
            let docs: Vec<serde_json::Value> =
                serde_saphyr::from_multiple_with_options(&text, options)
                    .expect("the generated plans are YAML");
            std::hint::black_box(docs);
        }
        times.push(start.elapsed().as_secs_f64());
    }
    median(times)
}

fn main() {
    if std::env::var_os(RUNNER).is_some() {
        return runner();
    }
    let runs = fresh::runs(5);
    let base = fresh::folder("bench-lint");
    let all = plans(11_574);
    let mut report = String::new();
    writeln!(
        report,
        "{:<34} {:>9} {:>10} {:>10} {:>8} {:>9}",
        "input", "MB", "bare s", "lint s", "× bare", "peak MiB"
    )
    .unwrap();
    for n in [1_000usize, 10_000] {
        let dir = base.join(format!("folder-{n}"));
        write_folder(&dir, &all[..n]);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("folder")
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        let mb = all[..n].iter().map(String::len).sum::<usize>() as f64 / 1e6;
        let bare = bare_parse(&files, runs);
        let d = dir.to_str().expect("utf-8 path");
        for format in ["json", "text"] {
            let (t, kib) = measure(&["lint", "--format", format, d], runs);
            writeln!(
                report,
                "{:<34} {mb:>9.1} {bare:>10.3} {t:>10.3} {:>8.2} {:>9.1}",
                format!("{n} files, --format {format}"),
                bare / t,
                kib as f64 / 1024.0
            )
            .unwrap();
        }
    }
    let big = base.join("many.yaml");
    std::fs::write(&big, all.join("---\n")).expect("many.yaml");
    let mb = std::fs::metadata(&big).map_or(0, |m| m.len()) as f64 / 1e6;
    let bare = bare_parse(std::slice::from_ref(&big), runs);
    let b = big.to_str().expect("utf-8 path");
    for format in ["json", "text", "sarif"] {
        let (t, kib) = measure(&["lint", "--format", format, b], runs);
        writeln!(
            report,
            "{:<34} {mb:>9.1} {bare:>10.3} {t:>10.3} {:>8.2} {:>9.1}",
            format!("1 file of {} plans, {format}", all.len()),
            bare / t,
            kib as f64 / 1024.0
        )
        .unwrap();
    }
    println!("{runs} runs each, medians; × bare = bare-parse time / lint time (above 1: lint is faster)\n");
    print!("{report}");
}
