//! `kubeplan whatif PLAN`: every failure the plan can suffer (or the one
//! asked with --fail), what breaks and for how long.

use super::{emit, exit, Env};
use crate::cli::{FailOnVerdict, WhatifArgs, WhatifFormat};
use crate::plan::Purpose;
use crate::report::whatif as out;
use crate::whatif::layout::Layout;
use crate::whatif::run::{run_with as analyse, Report};
use crate::whatif::{scenario, Verdict};

pub fn run(args: &WhatifArgs, env: &Env) -> anyhow::Result<u8> {
    let c = env.catalog()?;
    let (docs, snap) = super::read_cluster(&args.plan, &args.facts, env)?;
    let plans = super::checked_documents(&args.plan, docs, super::MACHINES, "whatif")?;
    if snap.is_some() && !args.workloads.is_empty() {
        anyhow::bail!(
            "{} is a running cluster's snapshot: its pods are its workloads; --workloads is for plans",
            args.plan
        );
    }
    let set = match args.workloads.is_empty() {
        true => None,
        false => Some(crate::workloads::read_paths(&args.workloads)?),
    };
    let mut reports: Vec<Report> = Vec::new();
    for plan in &plans {
        use crate::whatif::pods::Base;
        let base = match (&snap, &set) {
            (Some(s), _) => Some(Base::of_snapshot(c, s, plan)),
            (None, Some(s)) => Some(Base::of_plan(c, plan, s.clone())),
            (None, None) => None,
        };
        let layout = Layout::of(c, plan);
        let asked = args
            .fail
            .iter()
            .map(|f| scenario::parse(f, &layout))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| anyhow::anyhow!("--fail {e}"))?;
        let mut bar = Progress::new();
        reports.push(analyse(
            c,
            plan,
            &asked,
            args.max_failures as usize,
            base.as_ref(),
            &mut |done, total| bar.tick(done, total),
        ));
        bar.finish();
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

/// A progress bar on a terminal's stderr, shown only once the analysis has
/// run for 200 ms (most plans finish long before).
struct Progress {
    start: std::time::Instant,
    bar: Option<indicatif::ProgressBar>,
    terminal: bool,
}

impl Progress {
    fn new() -> Progress {
        use std::io::IsTerminal;
        Progress {
            start: std::time::Instant::now(),
            bar: None,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    fn tick(&mut self, done: usize, total: usize) {
        if !self.terminal || self.start.elapsed() < std::time::Duration::from_millis(200) {
            return;
        }
        let bar = self.bar.get_or_insert_with(|| {
            let b = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{spinner} failure scenarios {pos}/{len} {wide_bar}",
            ) {
                b.set_style(style);
            }
            b
        });
        bar.set_position(done as u64);
    }

    fn finish(self) {
        if let Some(b) = self.bar {
            b.finish_and_clear();
        }
    }
}
