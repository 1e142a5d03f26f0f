use indicatif::{ProgressBar, ProgressStyle};

use super::{emit, exit, Env};
use crate::catalog::Catalog;
use crate::cli::{LintArgs, LintFormat};
use crate::lint::{lint_document, DocReport};
use crate::plan::load::{expand_paths, parse_documents, read_source, LoadError};
use crate::plan::Document;
use crate::report::lint::{self as out, FileReport};

/// Files at which a progress bar appears (on a terminal's stderr only).
const PROGRESS_FROM: usize = 200;

pub fn run(args: &LintArgs, env: &Env) -> anyhow::Result<u8> {
    let files = expand_paths(&args.paths)?;
    let catalog = env.catalog()?;
    let bar = progress(files.len());
    let checked = check_all(&files, catalog, &bar);
    bar.finish_and_clear();
    // The first unreadable file, in the order given, is the error.
    let checked: Vec<(String, Vec<Document>, Vec<DocReport>)> =
        checked.into_iter().collect::<Result<_, _>>()?;
    let reports: Vec<FileReport> = checked
        .iter()
        .map(|(name, docs, reports)| FileReport {
            file: name.clone(),
            docs: docs.iter().zip(reports.iter().cloned()).collect(),
        })
        .collect();
    let text = match args.format {
        LintFormat::Text => out::text(&reports, env.paint),
        LintFormat::Json => format!("{:#}\n", out::json(&reports)),
        LintFormat::Sarif => format!("{:#}\n", out::sarif(&reports, catalog)),
    };
    emit(&text)?;
    let failing = reports
        .iter()
        .flat_map(|f| f.docs.iter())
        .flat_map(|(_, r)| r.findings.iter())
        .any(|x| x.severity >= args.fail_on);
    Ok(if failing { exit::FINDINGS } else { exit::OK })
}

/// Stack of each lint worker thread.
const WORKER_STACK: usize = 16 * 1024 * 1024;

type Checked = Result<(String, Vec<Document>, Vec<DocReport>), LoadError>;

/// Reads, parses and lints every file, spread over the available cores in
/// contiguous runs, so the results come back in the files' order whatever
/// the scheduling.
fn check_all(files: &[String], catalog: &Catalog, bar: &ProgressBar) -> Vec<Checked> {
    let one = |f: &String| -> Checked {
        let source = read_source(f)?;
        let name = source.name.clone();
        let docs = parse_documents(source)?;
        let reports = docs.iter().map(|d| lint_document(d, catalog)).collect();
        bar.inc(1);
        Ok((name, docs, reports))
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = cores.min(files.len()).max(1);
    if threads == 1 {
        return files.iter().map(one).collect();
    }
    let run = files.len().div_ceil(threads);
    std::thread::scope(|s| {
        // A run whose thread cannot be started is checked on this thread.
        let runs: Vec<Result<_, &[String]>> = files
            .chunks(run)
            .map(|part| {
                // The parser recurses once per nesting level: give the
                // workers the main thread's stack, not a spawned thread's 2 MiB.
                std::thread::Builder::new()
                    .stack_size(WORKER_STACK)
                    .spawn_scoped(s, move || part.iter().map(one).collect::<Vec<_>>())
                    .map_err(|_| part)
            })
            .collect();
        runs.into_iter()
            .flat_map(|r| match r {
                Ok(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
                Err(part) => part.iter().map(one).collect(),
            })
            .collect()
    })
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
