use indicatif::{ProgressBar, ProgressStyle};

use super::{emit, exit, Env};
use crate::cli::{LintArgs, LintFormat};
use crate::lint::lint_document;
use crate::plan::load::{expand_paths, parse_documents, read_source};
use crate::report::lint::{self as out, FileReport};

/// Files at which a progress bar appears (on a terminal's stderr only).
const PROGRESS_FROM: usize = 200;

pub fn run(args: &LintArgs, env: &Env) -> anyhow::Result<u8> {
    let files = expand_paths(&args.paths)?;
    let bar = progress(files.len());
    let mut docs = Vec::with_capacity(files.len());
    for f in &files {
        let source = read_source(f)?;
        let name = source.name.clone();
        docs.push((name, parse_documents(source)?));
        bar.inc(1);
    }
    bar.finish_and_clear();
    let reports: Vec<FileReport> = docs
        .iter()
        .map(|(name, ds)| FileReport {
            file: name.clone(),
            docs: ds
                .iter()
                .map(|d| (d, lint_document(d, &env.catalog)))
                .collect(),
        })
        .collect();
    let text = match args.format {
        LintFormat::Text => out::text(&reports, env.paint),
        LintFormat::Json => format!("{:#}\n", out::json(&reports)),
        LintFormat::Sarif => format!("{:#}\n", out::sarif(&reports, &env.catalog)),
    };
    emit(&text)?;
    let failing = reports
        .iter()
        .flat_map(|f| f.docs.iter())
        .flat_map(|(_, r)| r.findings.iter())
        .any(|x| x.severity >= args.fail_on);
    Ok(if failing { exit::FINDINGS } else { exit::OK })
}

fn progress(files: usize) -> ProgressBar {
    use std::io::IsTerminal;
    if files < PROGRESS_FROM || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(files as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} reading plans {pos}/{len} {wide_bar}")
    {
        bar.set_style(style);
    }
    bar
}
