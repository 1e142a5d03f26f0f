//! `kubeplan diff OLD NEW`: what a change to a plan changes.

use super::{emit, exit, Env};

/// `kubeplan diff OLD NEW`: the first plan of each file, compared.
pub fn run(args: &crate::cli::DiffArgs, env: &Env) -> anyhow::Result<u8> {
    let c = env.catalog()?;
    let load = |path: &str| -> anyhow::Result<_> {
        let plan = super::read_checked(path, &args.facts, env, super::MACHINES, "diff")?.remove(0);
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
