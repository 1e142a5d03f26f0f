//! `cargo bench --bench import`: reading other tools' files into plans and
//! linting them: every vendored upstream example (eksctl, kOps, Kubespray,
//! Cluster API, kubeadm), and a Kubespray inventory of 100,000 hosts (the
//! most an inventory may list). Prints the median time per run.

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use kubeplan::catalog::Catalog;
use kubeplan::import::{documents, Supply};
use kubeplan::plan::load::Source;

fn median(mut samples: Vec<f64>) -> (f64, f64) {
    samples.sort_by(f64::total_cmp);
    (samples[samples.len() / 2], samples[samples.len() * 9 / 10])
}

fn files(dir: &Path, out: &mut Vec<(String, String)>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "group_vars") {
                files(&p, out);
            }
        } else {
            let name = p.to_string_lossy().into_owned();
            out.push((name, std::fs::read_to_string(&p).unwrap()));
        }
    }
}

fn main() {
    let c = Catalog::builtin();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = Vec::new();
    files(&root.join("tests/fixtures/upstream/examples"), &mut all);
    let supply = Supply::default();
    let run = |name: &str, text: &str| {
        let docs = documents(Source::new(name.into(), text.into()), &supply, c).unwrap();
        for d in &docs {
            black_box(kubeplan::lint::lint_document(d, c));
        }
    };
    let mut samples = Vec::new();
    for _ in 0..51 {
        let start = Instant::now();
        for (name, text) in &all {
            run(name, text);
        }
        samples.push(start.elapsed().as_secs_f64() * 1e3 / all.len() as f64);
    }
    let (med, p90) = median(samples);
    println!(
        "{} upstream example files: median {med:.3} ms per file, read and linted (p90 {p90:.3} ms)",
        all.len()
    );

    let big = "[kube_control_plane]\ncp[1:3]\n\n[etcd:children]\nkube_control_plane\n\n[kube_node]\nnode[000001:099997]\n\n[k8s_cluster:children]\nkube_control_plane\nkube_node\n";
    let mut samples = Vec::new();
    for _ in 0..21 {
        let start = Instant::now();
        run("/nonexistent/inventory.ini", big);
        samples.push(start.elapsed().as_secs_f64() * 1e3);
    }
    let (med, p90) = median(samples);
    println!("a Kubespray inventory of 100,000 hosts: median {med:.1} ms, read and linted (p90 {p90:.1} ms)");
}
