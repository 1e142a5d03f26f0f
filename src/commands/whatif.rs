//! `kubeplan whatif PLAN`: every failure the plan can suffer (or the one
//! asked with --fail), what breaks and for how long.

use super::{emit, exit, Env};
use crate::cli::{FailOnVerdict, WhatifArgs, WhatifFormat};
use crate::plan::Purpose;
use crate::report::whatif as out;
use crate::whatif::layout::Layout;
use crate::whatif::run::{run as analyse, Report};
use crate::whatif::{scenario, Verdict};

pub fn run(args: &WhatifArgs, env: &Env) -> anyhow::Result<u8> {
    let c = env.catalog()?;
    let plans = super::read_plans(&args.plan)?;
    let mut reports: Vec<Report> = Vec::new();
    for plan in &plans {
        let layout = Layout::of(c, plan);
        let asked = args
            .fail
            .iter()
            .map(|f| scenario::parse(f, &layout))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| anyhow::anyhow!("--fail {e}"))?;
        reports.push(analyse(c, plan, &asked, args.max_failures as usize));
    }
    let text = match args.format {
        WhatifFormat::Json if reports.len() == 1 => {
            format!("{:#}\n", serde_json::to_value(&reports[0])?)
        }
        WhatifFormat::Json => format!("{:#}\n", serde_json::to_value(&reports)?),
        WhatifFormat::Table => reports
            .iter()
            .map(|r| out::table(r, env.width))
            .collect::<Vec<_>>()
            .join("\n"),
        WhatifFormat::Markdown => reports
            .iter()
            .map(out::markdown)
            .collect::<Vec<_>>()
            .join("\n"),
    };
    emit(&text)?;
    let level = match args.fail_on {
        FailOnVerdict::Down => Verdict::Down,
        FailOnVerdict::Degraded => Verdict::Degraded,
    };
    let fails = |r: &Report| match args.fail.is_empty() {
        // A single failure taking a production plan to the level.
        true => r.purpose == Purpose::Production && r.summary.worst_single >= level,
        // The scenario asked for, whatever the purpose.
        false => r.scenarios.iter().any(|s| s.outcome.verdict >= level),
    };
    Ok(match reports.iter().any(fails) {
        true => exit::FINDINGS,
        false => exit::OK,
    })
}
