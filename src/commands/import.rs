//! `kubeplan import FILE…`: the kubeplan plan of each cluster file, in any
//! format kubeplan reads, with a header naming its source and what it
//! could not know; `-o` writes it (atomically, never over a file without
//! `--force`).

use std::fmt::Write;

use super::{emit, exit, write_atomic, Env};
use crate::cli::{ImportArgs, ImportFormat};
use crate::plan::{ClusterPlan, Document, Fact};

/// One imported plan and what is known of where it came from.
struct Imported {
    file: String,
    plan: ClusterPlan,
    reasons: Vec<(Fact, String)>,
    notes: Vec<String>,
}

pub fn run(args: &ImportArgs, env: &Env) -> anyhow::Result<u8> {
    if args.files.iter().filter(|f| *f == "-").count() > 1 {
        anyhow::bail!("- (stdin) can be read once");
    }
    // Refused before anything is read: a file that exists is not replaced
    // without --force (write_atomic checks again as it writes).
    if let Some(path) = &args.output {
        if path.exists() && !args.force {
            anyhow::bail!("{} exists; pass --force to overwrite it", path.display());
        }
    }
    let mut all: Vec<Imported> = Vec::new();
    for file in &args.files {
        let docs: Vec<Document> = super::read_documents(file, &args.facts, env)?;
        let origins: Vec<_> = docs.iter().map(|d| d.locs.origins().cloned()).collect();
        let names: Vec<String> = docs.iter().map(|d| d.source.name.clone()).collect();
        let plans = super::plans_of(file, docs)?;
        for ((plan, origins), name) in plans.into_iter().zip(origins).zip(names) {
            super::note_unknown(&name, &plan);
            let (reasons, notes) = match origins {
                Some(o) => (o.reasons.clone(), o.notes.clone()),
                None => (Vec::new(), Vec::new()),
            };
            all.push(Imported {
                file: name,
                plan,
                reasons,
                notes,
            });
        }
    }
    let text = match args.format {
        ImportFormat::Yaml => yaml(&all)?,
        ImportFormat::Json => json(&all)?,
    };
    match &args.output {
        Some(path) if super::write::is_stdout(path) => emit(&text)?,
        Some(path) => {
            write_atomic(path, &text, args.force)?;
            super::note(format!(
                "kubeplan: wrote {} to {}; check it with `kubeplan lint {}`",
                crate::prose::plural(all.len() as u64, "plan", "plans"),
                path.display(),
                path.display()
            ));
        }
        None => emit(&text)?,
    }
    Ok(exit::OK)
}

/// The header of an imported plan: its source, what it does not know and
/// why, and how the file was read.
fn header(i: &Imported) -> String {
    let mut out = String::new();
    let what = i.plan.metadata.annotations.imported_from.clone();
    match &what {
        Some(w) => {
            let _ = writeln!(
                out,
                "# Imported by kubeplan {} from {} ({}).",
                env!("CARGO_PKG_VERSION"),
                i.file,
                crate::prose::a(w)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "# Read by kubeplan {} from {}.",
                env!("CARGO_PKG_VERSION"),
                i.file
            );
        }
    }
    let unknown = i.plan.unknown_facts();
    if !unknown.is_empty() {
        out.push_str("# Not in that file, so not checked until you fill it in here and remove it from\n# kubeplan.io/unknown (or pass it to `kubeplan lint`):\n");
        for f in &unknown {
            let why = i
                .reasons
                .iter()
                .find(|(r, _)| r == f)
                .map_or(String::new(), |(_, r)| format!(": {r}"));
            let stand_in = match f {
                Fact::Purpose => {
                    format!(" (`purpose: {}` below is a stand-in)", i.plan.spec.purpose)
                }
                Fact::Machines => " (sizes of 0 below are stand-ins)".to_string(),
                _ => String::new(),
            };
            let _ = writeln!(out, "#   {}: {}{why}{stand_in}", f.as_str(), f.describe());
        }
    }
    for n in &i.notes {
        let _ = writeln!(out, "# Note: {n}.");
    }
    out
}

fn yaml(all: &[Imported]) -> anyhow::Result<String> {
    let mut out = String::new();
    for (n, i) in all.iter().enumerate() {
        if n > 0 {
            out.push_str("---\n");
        }
        out.push_str(&header(i));
        out.push_str(&serde_saphyr::to_string(&i.plan)?);
    }
    Ok(out)
}

fn json(all: &[Imported]) -> anyhow::Result<String> {
    use crate::report::schemas::{ImportReport, ImportedPlan, UnknownFact};
    let report = ImportReport {
        plans: all
            .iter()
            .map(|i| ImportedPlan {
                file: i.file.clone(),
                format: i.plan.metadata.annotations.imported_from.clone(),
                unknown: i
                    .plan
                    .unknown_facts()
                    .iter()
                    .map(|f| UnknownFact {
                        fact: f.as_str().to_string(),
                        what: f.describe().to_string(),
                        why: i
                            .reasons
                            .iter()
                            .find(|(r, _)| r == f)
                            .map(|(_, r)| r.clone()),
                        supply: f.supply().to_string(),
                    })
                    .collect(),
                notes: i.notes.clone(),
                plan: i.plan.clone(),
            })
            .collect(),
    };
    Ok(format!("{:#}\n", serde_json::to_value(&report)?))
}
