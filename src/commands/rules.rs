//! `kubeplan rules` and `kubeplan explain`: the rule catalog.

use super::{emit, exit, Env};
use crate::cli::{ExplainArgs, ExplainFormat, RulesArgs, RulesFormat};
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
