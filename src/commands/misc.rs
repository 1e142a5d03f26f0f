use clap::CommandFactory;

use super::{emit, exit, Env};
use crate::cli::{Cli, CompletionsArgs, ExplainArgs, ExplainFormat, RulesArgs, RulesFormat};
use crate::lint::{rule, RULES};
use crate::plan::schema::closest;
use crate::report::rules as out;

pub fn rules(args: &RulesArgs, env: &Env) -> anyhow::Result<u8> {
    let text = match args.format {
        RulesFormat::Table => out::table(env.catalog()?, env.width),
        RulesFormat::Json => format!("{:#}\n", out::json_all(env.catalog()?)),
        RulesFormat::Markdown => out::rules_markdown(env.catalog()?),
    };
    emit(&text)?;
    Ok(exit::OK)
}

pub fn explain(args: &ExplainArgs, env: &Env) -> anyhow::Result<u8> {
    let Some(r) = rule(&args.rule) else {
        let hint = match closest(&args.rule, RULES.iter().map(|r| r.id)) {
            Some(best) => format!("did you mean `{best}`?"),
            None => "`kubeplan rules` lists them".into(),
        };
        anyhow::bail!("no rule named `{}`; {hint}", args.rule);
    };
    let text = match args.format {
        ExplainFormat::Text => out::explain(r, env.catalog()?, env.paint),
        ExplainFormat::Json => format!("{:#}\n", out::rule_json(r, env.catalog()?)),
        ExplainFormat::Markdown => out::rule_markdown(r, env.catalog()?, 1),
    };
    emit(&text)?;
    Ok(exit::OK)
}

pub fn schema(args: &crate::cli::SchemaArgs) -> anyhow::Result<u8> {
    if let Some(o) = args.output {
        emit(&crate::report::schemas::schema(o))?;
        return Ok(exit::OK);
    }
    emit(match args.file {
        crate::cli::SchemaKind::Plan => crate::plan::schema::JSON_SCHEMA,
        crate::cli::SchemaKind::Addresses => crate::export::addresses::JSON_SCHEMA,
    })?;
    Ok(exit::OK)
}

pub fn completions(args: &CompletionsArgs) -> anyhow::Result<u8> {
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "kubeplan", &mut buf);
    emit(&String::from_utf8_lossy(&buf))?;
    Ok(exit::OK)
}

/// `kubeplan diff OLD NEW`: the first plan of each file, compared.
pub fn diff(args: &crate::cli::DiffArgs, env: &Env) -> anyhow::Result<u8> {
    let c = env.catalog()?;
    let load = |path: &str| -> anyhow::Result<_> {
        let plan = super::read_plans(path, &args.facts, env)?.remove(0);
        super::checked(path, &plan, super::MACHINES, "diff")?;
        let findings = crate::lint::lint_plan(&plan, c);
        Ok((plan, findings))
    };
    let (old, new) = (load(&args.old)?, load(&args.new)?);
    let d = crate::report::diff::diff(c, (&old.0, &old.1), (&new.0, &new.1));
    let text = match args.format {
        crate::cli::WhatifFormat::Table => crate::report::diff::table(&d, env.width),
        crate::cli::WhatifFormat::Json => format!("{:#}\n", serde_json::to_value(&d)?),
        crate::cli::WhatifFormat::Markdown => crate::report::diff::markdown(&d),
    };
    emit(&text)?;
    let worse = args
        .fail_on_new
        .is_some_and(|s| d.findings_new.iter().any(|f| f.severity >= s));
    Ok(if worse { exit::FINDINGS } else { exit::OK })
}
