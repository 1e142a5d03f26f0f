//! `kubeplan export PLAN`: lint the plan, fill in its hosts, make each
//! target's files, refuse to overwrite any of them without `--force`, then
//! write them atomically and say in which order to apply them.

use std::path::{Path, PathBuf};

use anyhow::bail;

use super::{emit, exit, write_atomic, Env};
use crate::cli::ExportArgs;
use crate::diag::Severity;
use crate::export::addresses::{Addresses, Hosts};
use crate::export::{files, ExportFile, Target};
use crate::plan::load::{parse_one, read_source};
use crate::plan::ClusterPlan;

/// The plans of a file, each with the findings that keep it from exporting.
fn plans(
    path: &str,
    facts: &crate::cli::FactArgs,
    env: &Env,
    allow_errors: bool,
) -> anyhow::Result<Result<Vec<ClusterPlan>, String>> {
    let catalog = env.catalog()?;
    let docs = super::read_documents(path, facts, env)?;
    let mut refused = String::new();
    let mut out = Vec::new();
    for d in &docs {
        let report = crate::lint::lint_document(d, catalog);
        let errors: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        // A document that is not a plan has nothing to export, errors allowed or not.
        if !errors.is_empty() && (!allow_errors || d.plan.is_none()) {
            for f in errors {
                refused.push_str(&format!(
                    "{}:{}:{}: error[{}]: {}\n",
                    f.file().unwrap_or(&d.source.name),
                    f.line(),
                    f.column(),
                    f.rule,
                    f.message
                ));
            }
        }
        if let Some(p) = &d.plan {
            super::checked(&d.source.name, p, Some(&d.locs), super::MACHINES, "export")?;
            out.push(p.clone());
        }
    }
    Ok(match refused.is_empty() {
        true => Ok(out),
        false => Err(refused),
    })
}

pub fn run(args: &ExportArgs, env: &Env) -> anyhow::Result<u8> {
    let plans = match plans(&args.plan, &args.facts, env, args.allow_errors)? {
        Ok(p) => p,
        Err(findings) => {
            eprint!("{findings}");
            eprintln!(
                "kubeplan: error: {} has lint errors; fix them, or pass --allow-errors (a document with schema errors cannot be exported)",
                args.plan
            );
            return Ok(exit::FINDINGS);
        }
    };
    let addresses = match &args.addresses {
        Some(path) => Some(read_addresses(path)?),
        None => None,
    };
    let catalog = env.catalog()?;
    // Everything is made and checked before anything is written.
    let mut writes: Vec<(PathBuf, ExportFile)> = Vec::new();
    let mut steps = Vec::new();
    let mut notes = Vec::new();
    let several = plans.len() > 1;
    for plan in &plans {
        let name = &plan.metadata.name;
        let dir = match (&args.dir, several) {
            (Some(d), false) => d.clone(),
            (Some(d), true) => d.join(name),
            (None, _) => PathBuf::from(name),
        };
        let hosts = Hosts::for_plan(plan, addresses.as_ref())
            .map_err(|e| anyhow::anyhow!("{}: {e}", args.addresses.as_deref().unwrap_or("")))?;
        let targets = targets(&args.to, plan, catalog)?;
        if hosts.documentation && targets.iter().any(|t| t.uses_hosts()) {
            notes.push(format!(
                "kubeplan: note: `{name}` uses documentation addresses (192.0.2.0/24); pass --addresses FILE for the real ones"
            ));
        }
        for t in &targets {
            writes.extend(
                files(*t, plan, catalog, &hosts)
                    .into_iter()
                    .map(|f| (dir.clone(), f)),
            );
            steps.push(t.apply_step(plan, catalog, &dir.display().to_string()));
        }
    }
    if !args.force {
        if let Some((dir, f)) = writes.iter().find(|(d, f)| d.join(&f.name).exists()) {
            bail!(
                "{} exists; pass --force to overwrite it (nothing was written)",
                dir.join(&f.name).display()
            );
        }
    }
    for n in notes {
        super::note(n);
    }
    let mut listing = String::from("wrote:\n");
    for (dir, f) in &writes {
        std::fs::create_dir_all(dir).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
        let path = dir.join(&f.name);
        write_atomic(&path, &f.text, args.force)?;
        if f.executable {
            set_executable(&path)?;
        }
        listing.push_str(&format!("  {}\n", path.display()));
    }
    listing.push_str("apply, in this order:\n");
    for (i, s) in steps.iter().enumerate() {
        listing.push_str(&format!("  {}. {s}\n", i + 1));
    }
    emit(&listing)?;
    Ok(exit::OK)
}

/// `--to` as given, each checked against the plan; or every target that applies.
fn targets(
    asked: &[Target],
    plan: &ClusterPlan,
    c: &crate::catalog::Catalog,
) -> anyhow::Result<Vec<Target>> {
    if asked.is_empty() {
        let all: Vec<Target> = Target::ALL
            .iter()
            .copied()
            .filter(|t| t.not_for(plan).is_none())
            .collect();
        if all.is_empty() {
            // A tool with no files to write builds the cluster with one command.
            let how = crate::design::bootstrap::commands(c, plan);
            let tool = plan
                .spec
                .tooling
                .map_or("its tool".to_string(), |t| t.to_string());
            match how.is_empty() {
                true => bail!(
                    "nothing to export for `{}`: no target applies to it (targets: {})",
                    plan.metadata.name,
                    Target::ALL
                        .iter()
                        .map(|t| t.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                false => bail!(
                    "nothing to export for `{}`: {tool} builds it with one command, no files: `{}`",
                    plan.metadata.name,
                    how.join("; ")
                ),
            }
        }
        return Ok(all);
    }
    let mut out = Vec::new();
    for t in asked {
        if let Some(why) = t.not_for(plan) {
            bail!("--to {t}: not for `{}`: {why}", plan.metadata.name);
        }
        if !out.contains(t) {
            out.push(*t);
        }
    }
    // Applied in the targets' order, whatever the order asked.
    out.sort();
    Ok(out)
}

fn read_addresses(path: &str) -> anyhow::Result<Addresses> {
    let source = read_source(path)?;
    let schema: serde_json::Value = serde_json::from_str(crate::export::addresses::JSON_SCHEMA)?;
    let (a, _) = parse_one(&source, &schema, "addresses")?;
    Ok(a)
}

#[cfg(unix)]
fn set_executable(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mut perms = std::fs::metadata(path)?.permissions();
    perms.set_mode(perms.mode() | 0o111);
    std::fs::set_permissions(path, perms).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

#[cfg(not(unix))]
fn set_executable(_: &Path) -> anyhow::Result<()> {
    Ok(())
}
