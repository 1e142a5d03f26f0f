//! `kubeplan bom`: the bill of materials of a plan.

use super::{emit, exit, Env};
use crate::cli::{BomArgs, BomFormat};
use crate::report::bom as out;

pub fn run(args: &BomArgs, env: &Env) -> anyhow::Result<u8> {
    let c = env.catalog()?;
    let plans = super::read_checked(&args.plan, &args.facts, env, super::MACHINES, "bom")?;
    let boms: Vec<_> = plans
        .iter()
        .map(|plan| crate::bom::build(c, plan))
        .collect();
    let text = match args.format {
        BomFormat::Json if boms.len() == 1 => format!("{:#}\n", serde_json::to_value(&boms[0])?),
        BomFormat::Json => format!("{:#}\n", serde_json::to_value(&boms)?),
        BomFormat::Table => boms
            .iter()
            .map(|b| out::table(b, env.width))
            .collect::<Vec<_>>()
            .join("\n"),
        // The shareable report, as `design --format markdown` prints it.
        BomFormat::Markdown => crate::report::markdown::report(c, &plans, None, &boms, &args.plan),
        BomFormat::Csv => boms
            .iter()
            .map(out::csv)
            .collect::<anyhow::Result<Vec<_>>>()?
            .join(""),
    };
    emit(&text)?;
    Ok(exit::OK)
}
