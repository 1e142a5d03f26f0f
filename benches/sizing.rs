//! `cargo bench --bench sizing`: ranks every instance type of each platform's
//! catalog for a 150,000-pod workload (3 zones, production, burst) and prints
//! the median time per ranking over many runs.

use std::hint::black_box;
use std::time::Instant;

use kubeplan::catalog::Catalog;
use kubeplan::plan::{Platform, PodRequests};
use kubeplan::sizing::{rank_instances, Demand};

fn main() {
    let c = Catalog::builtin();
    let demand = Demand {
        arch: kubeplan::plan::ArchChoice::Any,
        prefix_delegation: false,
        pods: 150_000,
        requests: PodRequests {
            cpu: 0.25,
            memory_gib: 0.5,
        },
        zones: 3,
        burst: true,
        production: true,
        managed: true,
        types: Default::default(),
    };
    for platform in [
        Platform::OnPrem,
        Platform::Aws,
        Platform::Gcp,
        Platform::Azure,
    ] {
        let instances = c.platform(platform).instances.len();
        let mut samples = Vec::new();
        for _ in 0..301 {
            let start = Instant::now();
            let ranked = rank_instances(c, platform, black_box(&demand));
            black_box(&ranked);
            samples.push(start.elapsed().as_secs_f64() * 1e6);
        }
        samples.sort_by(f64::total_cmp);
        let best = &rank_instances(c, platform, &demand)[0];
        println!(
            "{platform:8} {instances:3} instance types: median {:7.1} µs per ranking (p90 {:7.1} µs); cheapest {} x {} in {} cluster(s)",
            samples[samples.len() / 2],
            samples[samples.len() * 9 / 10],
            best.nodes,
            best.instance_type,
            best.clusters
        );
    }
}
