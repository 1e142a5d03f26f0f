use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};

use super::{emit, exit, Env};
use crate::cli::{BomArgs, BomFormat, SizeArgs, TableFormat};
use crate::plan::{PodRequests, Traffic};
use crate::report::bom as out;
use crate::sizing::{rank_instances, size_instance, Demand};

pub fn run(args: &BomArgs, env: &Env) -> anyhow::Result<u8> {
    let boms: Vec<_> = super::read_plans(&args.plan)?
        .iter()
        .map(|plan| crate::bom::build(&env.catalog, plan))
        .collect();
    let text = match args.format {
        BomFormat::Json if boms.len() == 1 => format!("{:#}\n", serde_json::to_value(&boms[0])?),
        BomFormat::Json => format!("{:#}\n", serde_json::to_value(&boms)?),
        BomFormat::Table => boms
            .iter()
            .map(|b| out::table(b, env.width))
            .collect::<Vec<_>>()
            .join("\n"),
        BomFormat::Markdown => boms
            .iter()
            .map(out::markdown)
            .collect::<Vec<_>>()
            .join("\n"),
        BomFormat::Csv => boms
            .iter()
            .map(out::csv)
            .collect::<anyhow::Result<Vec<_>>>()?
            .join(""),
    };
    emit(&text)?;
    Ok(exit::OK)
}

pub fn size(args: &SizeArgs, env: &Env) -> anyhow::Result<u8> {
    let c = &env.catalog;
    let managed = args.platform != crate::plan::Platform::OnPrem && !args.self_managed;
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
    };
    let choices = match &args.instance_type {
        Some(name) => {
            let inst = c.instance(args.platform, name).ok_or_else(|| {
                let names = c.platform(args.platform).instances.iter().map(|i| i.name.as_str());
                match crate::plan::schema::closest(name, names) {
                    Some(best) => anyhow::anyhow!("no instance type `{name}` in the {} catalog; did you mean `{best}`?", args.platform),
                    None => anyhow::anyhow!("no instance type `{name}` in the {} catalog (`kubeplan size` without --instance-type ranks them all)", args.platform),
                }
            })?;
            let choice = size_instance(c, args.platform, &demand, inst).ok_or_else(|| {
                anyhow::anyhow!(
                    "not one pod of {} CPU / {} GiB fits on {name}",
                    args.pod_cpu,
                    args.pod_memory
                )
            })?;
            vec![choice]
        }
        None => rank_instances(c, args.platform, &demand),
    };
    if choices.is_empty() {
        anyhow::bail!(
            "no instance type in the {} catalog fits a pod of {} CPU / {} GiB",
            args.platform,
            args.pod_cpu,
            args.pod_memory
        );
    }
    let shown: Vec<_> = choices.into_iter().take(args.top.max(1)).collect();
    let pods = crate::sizing::effective_pods(c, args.pods, demand.burst);
    let text = match args.format {
        TableFormat::Json => format!(
            "{:#}\n",
            serde_json::json!({
                "platform": args.platform, "pods": args.pods, "sizedFor": pods, "zones": args.zones,
                "podRequests": {"cpu": args.pod_cpu, "memoryGiB": args.pod_memory},
                "prices": c.platform(args.platform).prices,
                "choices": shown,
            })
        ),
        TableFormat::Table => {
            let mut t = Table::new();
            t.load_preset(UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_header(vec![
                    "#",
                    "instance",
                    "vCPU",
                    "GiB",
                    "maxPods",
                    "pods/node",
                    "nodes",
                    "CPU used",
                    "memory used",
                    "$/month",
                    "$/pod/month",
                ]);
            if let Some(w) = env.width {
                t.set_width(w.max(120));
            }
            for (i, ch) in shown.iter().enumerate() {
                t.add_row(vec![
                    (i + 1).to_string(),
                    if ch.clusters > 1 {
                        format!("{} ({} clusters)", ch.instance_type, ch.clusters)
                    } else {
                        ch.instance_type.clone()
                    },
                    format!("{}", ch.cpu),
                    format!("{}", ch.memory_gib),
                    ch.max_pods.to_string(),
                    ch.pods_per_node.to_string(),
                    ch.nodes.to_string(),
                    format!("{:.0}%", ch.cpu_efficiency * 100.0),
                    format!("{:.0}%", ch.memory_efficiency * 100.0),
                    ch.monthly_cost.map_or("-".into(), |m| format!("{m:.0}")),
                    ch.monthly_cost_per_pod
                        .map_or("-".into(), |m| format!("{m:.2}")),
                ]);
            }
            let spare = if demand.production && args.zones >= 2 {
                "N+1 and enough to lose the largest zone"
            } else {
                "N+1"
            };
            let burst = if demand.burst {
                format!(" (burst headroom: sized for {pods})")
            } else {
                String::new()
            };
            let prices = c
                .platform(args.platform)
                .prices
                .as_ref()
                .map_or(String::new(), |p| {
                    format!(
                        "\nPrices: on-demand, {} {}, as of {}.",
                        p.currency, p.region, p.date
                    )
                });
            format!(
                "{} pods{burst} at {} CPU / {} GiB each on {}, {} zone(s), spare: {spare}.\n{t}{prices}\n",
                args.pods, args.pod_cpu, args.pod_memory, args.platform, args.zones
            )
        }
    };
    emit(&text)?;
    Ok(exit::OK)
}
