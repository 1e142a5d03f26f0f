//! `kubeplan size --workloads`: the nodes a set of Kubernetes manifests
//! needs, packed as the scheduler would place them.

use super::{emit, exit, Env};
use crate::cli::{SizeArgs, TableFormat};
use crate::plan::{Platform, Traffic};
use crate::workloads::nodes::{read_nodes, NodeObject};
use crate::workloads::size::Options;

/// The zones to plan: the platform's first N, or a template's own zone.
fn zone_names(
    c: &crate::catalog::Catalog,
    platform: Platform,
    n: u32,
    template: Option<&NodeObject>,
    existing: &[NodeObject],
) -> Vec<String> {
    let mut zones: Vec<String> = existing
        .iter()
        .filter_map(|e| e.zone().map(str::to_string))
        .collect();
    zones.dedup();
    let mut seen = std::collections::BTreeSet::new();
    zones.retain(|z| seen.insert(z.clone()));
    if let Some(z) = template.and_then(|t| t.zone()).filter(|_| n == 1) {
        if !zones.iter().any(|x| x == z) {
            zones.push(z.to_string());
        }
    }
    let named = c.platform(platform).design_zones();
    let mut i = 0;
    while (zones.len() as u32) < n {
        let z = named
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("zone-{}", i + 1));
        if !zones.contains(&z) {
            zones.push(z);
        }
        i += 1;
    }
    zones
}

/// The average pod of a workload set and the flags, as the catalog's
/// candidate filter takes it.
fn demand(args: &SizeArgs, platform: Platform, pods: u64) -> crate::sizing::Demand {
    crate::sizing::Demand {
        pods: pods.max(1),
        requests: crate::plan::PodRequests {
            cpu: args.pod_cpu,
            memory_gib: args.pod_memory,
        },
        zones: args.zones,
        burst: args.traffic == Traffic::Burst,
        production: args.purpose == crate::plan::Purpose::Production,
        managed: platform.service().is_some() && !args.self_managed,
        arch: args.arch,
        prefix_delegation: args.prefix_delegation,
        types: args.types.filter().for_purpose(args.purpose),
    }
}

pub fn run(args: &SizeArgs, env: &Env) -> anyhow::Result<u8> {
    let platform = args.platform.unwrap_or(Platform::OnPrem);
    let c = &*super::size::regional_catalog(env, platform, args.region.as_deref())?;
    args.types
        .check(&c.platform(platform).instances)
        .map_err(|e| anyhow::anyhow!(e))?;
    let set = crate::workloads::read_paths(&args.workloads)?;
    let template = match &args.node_template {
        Some(p) => Some(read_nodes(std::slice::from_ref(p))?.remove(0)),
        None => None,
    };
    let existing = if args.nodes.is_empty() {
        Vec::new()
    } else {
        read_nodes(&args.nodes)?
    };
    if let Some(t) = &args.instance_type {
        if c.instance(platform, t).is_none() {
            let names = c
                .platform(platform)
                .instances
                .iter()
                .map(|i| i.name.as_ref());
            let hint =
                crate::prose::did_you_mean(t, names).map_or(String::new(), |d| format!("; {d}"));
            anyhow::bail!("no instance type `{t}` in the {platform} catalog{hint}");
        }
    }
    let o = Options {
        catalog: c,
        platform,
        demand: demand(args, platform, set.pods()),
        region: c
            .platform(platform)
            .region
            .clone()
            .filter(|_| template.is_none()),
        zones: zone_names(c, platform, args.zones, template.as_ref(), &existing),
        survive: args.purpose == crate::plan::Purpose::Production,
        pinned: args.instance_type.clone(),
        template,
        existing,
        machines: None,
        top: args.top.unwrap_or(5),
    };
    let report = crate::workloads::result::size(&o, &set);
    let text = match args.format {
        TableFormat::Json => format!("{:#}\n", serde_json::to_value(&report)?),
        TableFormat::Table => crate::report::workloads::text(&report, env.width),
    };
    emit(&text)?;
    Ok(exit::OK)
}
