use super::{emit, Env};
use crate::cli::{QuorumArgs, TableFormat};
use crate::plan::spread;
use crate::quorum::{row, zone_report};
use crate::report::quorum as out;

pub fn run(args: &QuorumArgs, env: &Env) -> anyhow::Result<u8> {
    let max = env.catalog()?.kubernetes.etcd.max_members;
    let placement = match (&args.zones, &args.plan) {
        (Some(z), _) => Some(parse_zones(z)?),
        (None, Some(p)) => Some(plan_placement(p, &args.vars, env)?),
        _ => None,
    };
    let mut code = super::exit::OK;
    let text = match placement {
        Some(pl) => {
            let report = zone_report(&pl);
            for w in crate::quorum::member_warnings(report.members, max) {
                eprintln!("kubeplan: warning: {w}");
            }
            // A layout that does not survive a zone loss fails, so that
            // `kubeplan quorum` can gate CI.
            if !report.survives_any_zone_loss {
                code = super::exit::FINDINGS;
            }
            match args.format {
                TableFormat::Json => format!("{:#}\n", serde_json::to_value(&report)?),
                TableFormat::Table => out::zones(&report, env.paint),
            }
        }
        None => {
            let sizes: Vec<u32> = if args.members.is_empty() {
                (1..=max).collect()
            } else {
                args.members.clone()
            };
            let rows: Vec<_> = sizes.iter().map(|n| row(*n, max)).collect();
            match args.format {
                TableFormat::Json => format!("{:#}\n", serde_json::to_value(&rows)?),
                TableFormat::Table => out::members(&rows),
            }
        }
    };
    emit(&text)?;
    Ok(code)
}

/// Parses `a=2,b=2,c=1`.
pub fn parse_zones(text: &str) -> anyhow::Result<Vec<(String, u32)>> {
    let mut out: Vec<(String, u32)> = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (zone, n) = part.split_once('=').ok_or_else(|| {
            anyhow::anyhow!("--zones: `{part}` is not ZONE=MEMBERS (e.g. a=2,b=2,c=1)")
        })?;
        let zone = zone.trim();
        if zone.is_empty() {
            anyhow::bail!("--zones: `{part}` has no zone name");
        }
        let n: u32 = n.trim().parse().map_err(|_| {
            anyhow::anyhow!(
                "--zones: `{}` in `{part}` is not a whole number of members",
                n.trim()
            )
        })?;
        if n > 99 {
            anyhow::bail!("--zones: {n} members in zone {zone} is beyond any real etcd cluster");
        }
        if out.iter().any(|(z, _)| z == zone) {
            anyhow::bail!("--zones: zone {zone} is listed twice");
        }
        out.push((zone.to_string(), n));
    }
    if out.iter().map(|(_, n)| n).sum::<u32>() == 0 {
        anyhow::bail!("--zones: no members given (e.g. --zones a=2,b=2,c=1)");
    }
    Ok(out)
}

fn plan_placement(
    path: &str,
    vars: &[(String, String)],
    env: &super::Env,
) -> anyhow::Result<Vec<(String, u32)>> {
    let facts = crate::cli::FactArgs {
        vars: vars.to_vec(),
        ..Default::default()
    };
    let plans = super::read_plans(path, &facts, env)?;
    let plan = &plans[0];
    if plan.etcd_topology().is_none() {
        anyhow::bail!("{path}: the control plane is managed by the provider; the plan has no etcd members to place");
    }
    use crate::plan::Fact;
    if !plan.knows(Fact::Etcd) {
        anyhow::bail!("{path}: the file does not say how many etcd members run (stacked etcd follows the control-plane nodes): `kubeplan lint {path}` says how to supply it");
    }
    if !plan.knows(Fact::Zones) {
        anyhow::bail!("{path}: the file does not say which zones the etcd members are in; without zones there is no zone loss to survive (`kubeplan quorum {}` shows the quorum of {} members)", plan.etcd_members(), plan.etcd_members());
    }
    Ok(spread(plan.etcd_members(), &plan.etcd_zones()))
}
