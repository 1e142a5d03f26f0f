//! `cargo bench --bench whatif`: the failure analysis of a 5,000-node plan
//! (every single failure and every pair), in process and as a whole
//! `kubeplan whatif` run (medians of many runs).

use std::hint::black_box;
use std::process::Command;
use std::time::Instant;

use kubeplan::catalog::Catalog;
use kubeplan::plan::parse_documents;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let c = Catalog::builtin();
    let root = env!("CARGO_MANIFEST_DIR");
    let text =
        std::fs::read_to_string(format!("{root}/docs/examples/prod-onprem-stacked.yaml")).unwrap();
    let mut plan = parse_documents(kubeplan::plan::load::Source::new("x".into(), text))
        .unwrap()
        .remove(0)
        .plan
        .unwrap();
    // 5,000 nodes: 3 control-plane nodes and 4,997 workers in two pools.
    plan.spec.workers[0].nodes = 3_000;
    let mut second = plan.spec.workers[0].clone();
    second.name = "batch".into();
    second.nodes = 1_997;
    plan.spec.workers.push(second);
    plan.spec.workload.as_mut().unwrap().pods = 100_000;
    assert_eq!(plan.k8s_nodes(), 5_000);
    let mut us = Vec::new();
    let mut scenarios = 0;
    for _ in 0..201 {
        let start = Instant::now();
        let r = kubeplan::whatif::run::run(c, black_box(&plan), &[], 2);
        us.push(start.elapsed().as_secs_f64() * 1e6);
        scenarios = r.scenarios.len();
    }
    println!(
        "5,000-node plan: {scenarios} scenarios, analysis {:.0} µs (median)",
        median(us)
    );
    let dir = std::env::temp_dir().join("kubeplan-bench-whatif");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("plan.yaml");
    std::fs::write(&file, serde_saphyr::to_string(&plan).unwrap()).unwrap();
    let bin = env!("CARGO_BIN_EXE_kubeplan");
    for format in ["table", "json"] {
        let mut ms = Vec::new();
        for _ in 0..51 {
            let start = Instant::now();
            let out = Command::new(bin)
                .args(["whatif", file.to_str().unwrap(), "--format", format])
                .output()
                .unwrap();
            ms.push(start.elapsed().as_secs_f64() * 1e3);
            assert!(out.status.code().is_some());
        }
        println!(
            "kubeplan whatif (whole process, --format {format}): {:.1} ms (median)",
            median(ms)
        );
    }
}
