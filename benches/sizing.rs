//! `cargo bench --bench sizing`: ranks every instance type of each platform's
//! catalog for a 150,000-pod workload (3 zones, production, burst) and prints
//! the median time per ranking over many runs; then what loading a cloud's
//! generated catalog costs (its sources, all its types, one region priced).

use std::hint::black_box;
use std::time::Instant;

use kubeplan::catalog::Catalog;
use kubeplan::plan::{Platform, PodRequests};
use kubeplan::sizing::{rank_instances, Demand};

fn main() {
    catalog_loads();
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

/// The parts of a catalog's load, each timed on fresh parses (median of
/// many): the header (sources and each region's price source, what every
/// command that reads a cloud profile pays) and the types with one region's
/// prices (what a command that lists types pays).
fn catalog_loads() {
    use kubeplan::catalog::instances::InstanceCatalog;
    for name in ["aws", "azure", "gcp"] {
        let (mut head, mut full) = (Vec::new(), Vec::new());
        for _ in 0..201 {
            let start = Instant::now();
            let c = black_box(InstanceCatalog::builtin(name).unwrap());
            head.push(start.elapsed().as_secs_f64() * 1e6);
            let region = c.priced_regions()[0];
            let start = Instant::now();
            black_box(c.in_region(region));
            full.push(start.elapsed().as_secs_f64() * 1e6);
        }
        head.sort_by(f64::total_cmp);
        full.sort_by(f64::total_cmp);
        println!(
            "catalog {name:6}: header {:6.1} µs, every type priced in a region {:7.1} µs (medians)",
            head[head.len() / 2],
            full[full.len() / 2]
        );
    }
}
