//! `kubeplan design --compare`: the answers designed on each platform (its
//! own region, zones and instance types), then one table
//! (`report::compare`), or a web page with `--report FILE.html`.

use super::{emit, exit, write_atomic, Env};
use crate::cli::{DesignArgs, DesignFormat};
use crate::plan::Platform;
use crate::questionnaire::{resolve, Open, PartialAnswers};
use crate::report::compare::{self, Row};

/// One platform's design: its clusters and their bills of materials.
fn design_on(
    args: &DesignArgs,
    env: &Env,
    asked: &PartialAnswers,
    platform: Platform,
) -> anyhow::Result<(Vec<crate::plan::ClusterPlan>, Vec<crate::bom::Bom>)> {
    let c = env.catalog()?;
    let mut layer = asked.clone();
    layer.platform = Some(platform);
    // A region is one cloud's; each platform takes its own default.
    layer.region = None;
    if !platform.cloud() {
        layer.managed = None;
    }
    let (_, answers) = resolve(&layer, c.questions(), Open::Defaults)?;
    let name = args
        .name
        .clone()
        .map(|n| format!("{n}-{platform}"))
        .unwrap_or_else(|| crate::design::default_name(&answers));
    let machines = super::design::machine_options(args, c, &answers)?;
    let design = crate::design::recommend_with(c, &answers, &name, &machines)?;
    let boms = design
        .plans
        .iter()
        .map(|p| crate::bom::build(c, p))
        .collect();
    Ok((design.plans, boms))
}

/// Every platform's row, in the order asked (all of them by default).
pub fn rows(
    args: &DesignArgs,
    env: &Env,
    asked: &PartialAnswers,
    platforms: &[Platform],
) -> anyhow::Result<Vec<Row>> {
    let c = env.catalog()?;
    let platforms = match platforms.is_empty() {
        true => Platform::ALL,
        false => platforms,
    };
    Ok(platforms
        .iter()
        .map(|&p| match design_on(args, env, asked, p) {
            Ok((plans, boms)) => Row::of(c, p, &plans, &boms),
            Err(e) => Row::failed(c, p, e.to_string()),
        })
        .collect())
}

/// What was designed, in a line: purpose, pods, zones.
fn lead(a: &PartialAnswers) -> String {
    let mut parts = Vec::new();
    if let Some(p) = a.purpose {
        parts.push(p.to_string());
    }
    if let Some(n) = a.pods {
        parts.push(format!("{} pods at peak", crate::prose::num(n)));
    }
    if let Some(z) = a.zones {
        parts.push(crate::prose::plural(u64::from(z), "zone", "zones"));
    }
    format!(
        "The same answers designed on each platform: {}.",
        parts.join(", ")
    )
}

pub fn run(
    args: &DesignArgs,
    env: &Env,
    asked: &PartialAnswers,
    platforms: &[Platform],
) -> anyhow::Result<u8> {
    let rows = rows(args, env, asked, platforms)?;
    if let Some(path) = &args.report {
        let page = crate::report::html::compare(&lead(asked), &rows);
        write_atomic(path, &page, args.force)?;
        if !env.quiet() && !super::write::is_stdout(path) {
            eprintln!("kubeplan: wrote the comparison to {}", path.display());
        }
        if super::write::is_stdout(path) {
            return Ok(exit::OK);
        }
    }
    let text = match args.format {
        DesignFormat::Text => compare::table(&rows, env.width),
        DesignFormat::Markdown => compare::markdown(&rows),
        DesignFormat::Json => format!("{:#}\n", serde_json::json!({ "platforms": rows })),
        DesignFormat::Yaml => serde_saphyr::to_string(&serde_json::json!({ "platforms": rows }))?,
    };
    emit(&text)?;
    Ok(exit::OK)
}
