//! `kubeplan size`: how many nodes of which instance type for a workload.

use super::{emit, exit, Env};
use crate::catalog::Catalog;
use crate::cli::{SizeArgs, TableFormat};
use crate::plan::{PodRequests, Traffic};
use crate::sizing::{rank_instances, size_instance, Choice, Demand};

pub fn run(args: &SizeArgs, env: &Env) -> anyhow::Result<u8> {
    if !args.workloads.is_empty() {
        return super::size_workloads::run(args, env);
    }
    let platform = args.platform.ok_or_else(|| {
        anyhow::anyhow!("size needs --platform (or --workloads with --node-template)")
    })?;
    let c = &*regional_catalog(env, platform, args.region.as_deref())?;
    args.types
        .check(&c.platform(platform).instances)
        .map_err(|e| anyhow::anyhow!(e))?;
    let managed = platform.service().is_some() && !args.self_managed;
    let demand = Demand {
        pods: args.pods,
        requests: PodRequests {
            cpu: args.pod_cpu,
            memory_gib: args.pod_memory,
        },
        zones: args.zones,
        burst: args.traffic == Traffic::Burst,
        production: args.purpose == crate::plan::Purpose::Production,
        managed,
        arch: args.arch,
        prefix_delegation: args.prefix_delegation,
        types: args.types.filter().for_purpose(args.purpose),
    };
    let top = args.top.unwrap_or(match args.format {
        TableFormat::Json => usize::MAX,
        TableFormat::Table => 10,
    });
    let choices = match (&args.instance_type, top) {
        (Some(name), _) => vec![one_type(c, args, platform, &demand, name)?],
        (None, usize::MAX) => rank_instances(c, platform, &demand),
        (None, k) => crate::sizing::rank_instances_top(c, platform, &demand, k.max(1)),
    };
    if choices.is_empty() {
        anyhow::bail!(
            "no instance type in the {} catalog fits a pod of {} CPU / {} GiB",
            platform,
            args.pod_cpu,
            args.pod_memory
        );
    }
    let shown: Vec<_> = choices.into_iter().take(top.max(1)).collect();
    let sized = crate::report::size::Sized {
        platform,
        max_pods_note: if args.prefix_delegation {
            c.platform(platform).max_pods_note_prefix.as_deref()
        } else {
            c.platform(platform).max_pods_note.as_deref()
        }
        .filter(|_| managed),
        overhead: crate::sizing::node_overhead(c, platform),
        blast_radius: demand.production.then(|| {
            crate::sizing::blast_radius_cap(
                c,
                crate::sizing::effective_pods(c, args.pods, demand.burst),
            )
        }),
        demand: &demand,
        cost_model: c.platform(platform).cost_model.as_ref(),
        sized_for: crate::sizing::effective_pods(c, args.pods, demand.burst),
        prices: c.platform(platform).prices.as_ref(),
        choices: &shown,
    };
    let text = match args.format {
        TableFormat::Json => format!("{:#}\n", crate::report::size::json(&sized)),
        TableFormat::Table => crate::report::size::table(&sized, env.width),
    };
    emit(&text)?;
    Ok(exit::OK)
}

/// The catalog, narrowed to `--region` where one is given.
pub fn regional_catalog<'e>(
    env: &'e Env,
    platform: crate::plan::Platform,
    region: Option<&str>,
) -> anyhow::Result<std::borrow::Cow<'e, Catalog>> {
    let c = env.catalog()?;
    Ok(
        match region
            .map(|r| crate::design::region(c, platform, r))
            .transpose()?
            .flatten()
        {
            Some(r) => std::borrow::Cow::Owned(c.in_region(platform, &r)),
            None => std::borrow::Cow::Borrowed(c),
        },
    )
}

/// `--instance-type NAME`: that type alone, or why it cannot be sized.
fn one_type(
    c: &Catalog,
    args: &SizeArgs,
    platform: crate::plan::Platform,
    demand: &Demand,
    name: &str,
) -> anyhow::Result<Choice> {
    let inst = c.instance(platform, name).ok_or_else(|| {
        let names = c.platform(platform).instances.iter().map(|i| i.name.as_ref());
        match crate::plan::schema::closest(name, names) {
            Some(best) => anyhow::anyhow!("no instance type `{name}` in the {} catalog; did you mean `{best}`?", platform),
            None => anyhow::anyhow!("no instance type `{name}` in the {} catalog (`kubeplan size` without --instance-type ranks them all)", platform),
        }
    })?;
    if let Some(why) = c.platform(platform).unusable(inst) {
        anyhow::bail!("--instance-type {name}: its series {why}");
    }
    size_instance(c, platform, demand, inst).ok_or_else(|| {
        let burst = inst.baseline_cpu.map_or(String::new(), |b| {
            format!(
                " (a burstable type, sized by the {} of its {} vCPUs it sustains: {}% baseline)",
                crate::prose::decimal(inst.cpu * b),
                crate::prose::decimal(inst.cpu),
                crate::prose::decimal(b * 100.0)
            )
        });
        anyhow::anyhow!(
            "not one pod of {} CPU / {} GiB fits on {name} beside its DaemonSets{burst}",
            args.pod_cpu,
            args.pod_memory
        )
    })
}
