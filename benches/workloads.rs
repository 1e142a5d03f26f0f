//! `cargo bench --bench workloads`: `kubeplan size --workloads` on 150,000
//! pods from 1,000 varied workloads (a tenth spread over zones with
//! `DoNotSchedule`, twenty with required hostname anti-affinity, three
//! DaemonSets, ten GPU workloads in a pool of their own), over 3 zones and
//! the whole AWS catalog: end to end (wall time and peak memory, from a
//! fresh process), and in-process the time to parse the manifests against
//! the time the sizing (packing and choosing) takes. Runs: `RUNS=N`
//! (default 5), medians.
//!
//! The manifests are generated (a fixed seed), written to
//! `target/bench-workloads/workloads.yaml`.

use std::fmt::Write as _;
use std::time::Instant;

mod fresh;
use fresh::{median, run, runner, RUNNER};

const PODS: u64 = 150_000;

/// A small deterministic generator (no dependency for a benchmark).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

const CPUS: &[&str] = &["50m", "100m", "100m", "200m", "250m", "500m"];
const MEMS: &[&str] = &["64Mi", "128Mi", "256Mi", "256Mi", "512Mi", "1Gi", "2Gi"];

fn deployment(name: &str, replicas: u64, cpu: &str, mem: &str, extra: &str, gpu: bool) -> String {
    let gpu_req = if gpu { ", nvidia.com/gpu: 1" } else { "" };
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}, namespace: ns{}}}\nspec:\n  replicas: {replicas}\n  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n    metadata: {{labels: {{app: {name}}}}}\n    spec:{extra}\n      containers:\n        - name: c\n          image: registry.example/{name}:1\n          resources:\n            requests: {{cpu: '{cpu}', memory: {mem}{gpu_req}}}\n",
        name.len() % 20
    )
}

/// The 1,000 workloads.
fn manifests() -> String {
    let mut rng = Rng(0x5eed_cafe);
    let mut docs = Vec::new();
    for (i, (cpu, mem)) in [("100m", "128Mi"), ("50m", "64Mi"), ("200m", "256Mi")]
        .iter()
        .enumerate()
    {
        docs.push(format!("apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {{name: ds{i}, namespace: kube-system}}\nspec:\n  selector: {{matchLabels: {{app: ds{i}}}}}\n  template:\n    metadata: {{labels: {{app: ds{i}}}}}\n    spec:\n      tolerations: [{{operator: Exists}}]\n      containers: [{{name: c, image: x, resources: {{requests: {{cpu: {cpu}, memory: {mem}}}}}}}]\n"));
    }
    let mut pods = 0;
    for i in 0..10 {
        docs.push(deployment(&format!("gpu{i}"), 4, "2", "8Gi", "", true));
        pods += 4;
    }
    for i in 0..20 {
        let anti = format!("\n      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            - labelSelector: {{matchLabels: {{app: ha{i}}}}}\n              topologyKey: kubernetes.io/hostname");
        docs.push(deployment(
            &format!("ha{i}"),
            3,
            rng.pick(CPUS),
            rng.pick(MEMS),
            &anti,
            false,
        ));
        pods += 3;
    }
    for i in 0..100 {
        let r = rng.range(30, 300);
        let spread = format!("\n      topologySpreadConstraints:\n        - maxSkew: 1\n          topologyKey: topology.kubernetes.io/zone\n          whenUnsatisfiable: DoNotSchedule\n          labelSelector: {{matchLabels: {{app: sp{i}}}}}");
        docs.push(deployment(
            &format!("sp{i}"),
            r,
            rng.pick(CPUS),
            rng.pick(MEMS),
            &spread,
            false,
        ));
        pods += r;
    }
    let rest = 1000 - docs.len() as u64;
    for i in 0..rest {
        let left = PODS - pods;
        let each = left / (rest - i);
        let r = if i + 1 == rest {
            left
        } else {
            rng.range(each / 4 + 1, each * 7 / 4)
                .min(left - (rest - i - 1))
        };
        docs.push(deployment(
            &format!("w{i}"),
            r,
            rng.pick(CPUS),
            rng.pick(MEMS),
            "",
            false,
        ));
        pods += r;
    }
    assert_eq!(pods, PODS);
    docs.join("---\n")
}

fn main() {
    if std::env::var_os(RUNNER).is_some() {
        return runner();
    }
    let runs = fresh::runs(5);
    let dir = fresh::folder("bench-workloads");
    let file = dir.join("workloads.yaml");
    std::fs::write(&file, manifests()).expect("manifests");
    let f = file.to_str().expect("utf-8 path");
    let mut report = String::new();
    for format in ["table", "json"] {
        let args = [
            "size",
            "--platform",
            "aws",
            "--zones",
            "3",
            "--workloads",
            f,
            "--format",
            format,
        ];
        let (mut times, mut peak) = (Vec::new(), 0);
        for _ in 0..runs {
            let (t, kib) = run(&args);
            times.push(t);
            peak = peak.max(kib);
        }
        writeln!(report, "size --workloads (150,000 pods, 1,000 workloads, AWS, 3 zones), --format {format}: {:.3} s, peak {:.1} MiB", median(times), peak as f64 / 1024.0).unwrap();
    }
    // In process: parsing the manifests against sizing them.
    let catalog = kubeplan::catalog::Catalog::builtin();
    let (mut parse, mut size, mut pack) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let start = Instant::now();
        let set = kubeplan::workloads::read_paths(&[f.to_string()]).expect("readable");
        parse.push(start.elapsed().as_secs_f64());
        let o = options(catalog);
        let start = Instant::now();
        let r = kubeplan::workloads::result::size(&o, &set);
        size.push(start.elapsed().as_secs_f64());
        // One packing: the chosen pools' types, with the zone loss.
        let chosen: Vec<&str> = r.choices[0]
            .pools
            .iter()
            .map(|p| p.instance_type.as_str())
            .collect();
        let system = kubeplan::workloads::size::system_daemons(catalog, o.platform);
        let groups = kubeplan::workloads::size::groups(&set, &system);
        let pools: Vec<_> = kubeplan::workloads::choose::needs(&o, &set)
            .into_iter()
            .zip(&chosen)
            .map(|(n, t)| {
                let m = kubeplan::workloads::choose::machines(&o, &n)
                    .into_iter()
                    .find(|m| m.name == *t);
                (n, m.expect("the chosen type"))
            })
            .collect();
        let start = Instant::now();
        let out = kubeplan::workloads::size::evaluate(&o, &set, &groups, &pools, true);
        pack.push(start.elapsed().as_secs_f64());
        assert!(out.pending.is_empty());
    }
    writeln!(
        report,
        "in process: parse {:.3} s; one packing (the chosen types, with the zone loss) {:.3} s; size (candidates packed, the best sized for the zone loss) {:.3} s",
        median(parse),
        median(pack),
        median(size)
    )
    .unwrap();
    print!("{report}");
}

fn options(c: &kubeplan::catalog::Catalog) -> kubeplan::workloads::size::Options<'_> {
    let platform = kubeplan::plan::Platform::Aws;
    kubeplan::workloads::size::Options {
        catalog: c,
        platform,
        demand: kubeplan::sizing::Demand {
            pods: PODS,
            requests: kubeplan::plan::PodRequests {
                cpu: 0.25,
                memory_gib: 0.5,
            },
            zones: 3,
            burst: false,
            production: true,
            managed: true,
            arch: kubeplan::plan::ArchChoice::Amd64,
            prefix_delegation: false,
            types: kubeplan::sizing::TypeFilter::default()
                .for_purpose(kubeplan::plan::Purpose::Production),
        },
        zones: c.platform(platform).design_zones()[..3].to_vec(),
        region: c.platform(platform).region.clone(),
        survive: true,
        pinned: None,
        template: None,
        existing: Vec::new(),
        top: 5,
        machines: None,
    }
}
