//! `kubeplan lint`: files are read, parsed, linted and rendered on every
//! core, and printed in the order given as soon as each is ready. Only the
//! rendered output of a few files is ever held, so memory stays flat
//! however many files there are. How each format renders is its emitter's
//! (`report/lint/`).

use std::io::BufWriter;

use indicatif::{ProgressBar, ProgressStyle};

use super::config::{Configs, Loaded};
use super::ordered::for_each_ordered;
use super::walk::{Entry, Excludes};
use super::{exit, Env};
use crate::catalog::Catalog;
use crate::cli::{FailOn, LintArgs};
use crate::diag::Finding;
use crate::lint::lint_document_with;
use crate::plan::load::{read_source, LoadError};
use crate::report::lint::{Ctx, Emitter, FileReport, Format, Part, Run, Sink, Summary};
use crate::report::Paint;

/// Files at which a progress bar appears (on a terminal's stderr only).
const PROGRESS_FROM: usize = 200;

/// One file, checked and rendered.
struct Piece {
    part: Part,
    summary: Summary,
    failing: bool,
    /// The file could not be read or parsed (whole or in part): its name, why.
    unreadable: Option<(String, Finding)>,
    /// Found in a folder walk and none of the formats kubeplan reads.
    skipped: Option<String>,
}

impl Piece {
    /// The piece of one file, before anything is found in it.
    fn file() -> Piece {
        Piece {
            part: Part::default(),
            summary: Summary {
                files: 1,
                ..Summary::default()
            },
            failing: false,
            unreadable: None,
            skipped: None,
        }
    }
}

/// What a run lints with: the failing severity (flag, else the config's,
/// else error), the config's rule levels and ignores, and what the user
/// supplied of the facts cluster files do not hold.
struct Settings {
    fail_on: FailOn,
    /// `--skip-unknown`: named files are skipped as walked ones are.
    skip_unknown: bool,
    /// Whether stderr gets the one-line error of an unreadable file: not
    /// when the text report already shows it on the same terminal.
    stderr_line: bool,
    supply: crate::import::Supply,
    /// `--workloads`, read once.
    workloads: Option<crate::workloads::WorkloadSet>,
    /// Workload files that could not be read, reported as lint reports plans.
    workload_errors: Vec<(String, LoadError)>,
    /// Snapshot files of pods only, read with the nodes' file they follow.
    pods_of: PodsOf,
}

impl Settings {
    fn new(
        args: &LintArgs,
        env: &Env,
        fail_on: FailOn,
        pods_of: PodsOf,
    ) -> anyhow::Result<Settings> {
        let (workloads, workload_errors) = match args.workloads.is_empty() {
            true => (None, Vec::new()),
            false => {
                let (set, errors) = crate::workloads::read::read_paths_lenient(&args.workloads);
                (Some(set), errors)
            }
        };
        Ok(Settings {
            fail_on,
            skip_unknown: args.skip_unknown,
            stderr_line: args.format != Format::Text || !both_terminals(),
            supply: super::supply(&args.facts, env)?,
            workloads,
            workload_errors,
            pods_of,
        })
    }
}

pub fn run(args: &LintArgs, env: &Env) -> anyhow::Result<u8> {
    let configs = std::sync::Arc::new(Configs::new(args.config.as_deref())?);
    let root = configs.root()?;
    let fail_on = args
        .fail_on
        .or(root.config.fail_on)
        .unwrap_or(FailOn::Error);
    if args.print_config {
        super::emit(&root.config.print(root.path.as_deref(), fail_on)?)?;
        return Ok(exit::OK);
    }
    let excludes = Excludes::new(configs, &args.exclude, args.force_exclude)?;
    let (files, pods_of) = lint_files(&args.paths, &excludes)?;
    let settings = Settings::new(args, env, fail_on, pods_of)?;
    let catalog = env.catalog()?;
    let ctx = Ctx {
        // Workflow commands and XML are read by machines: no colour.
        paint: match args.format {
            Format::Text => env.paint,
            _ => Paint::default(),
        },
        catalog,
        fail_at: fail_on.least(),
        quiet: env.quiet(),
    };
    let emitter = args.format.emitter(&ctx);
    let e = emitter.as_ref();
    let bar = progress(files.len(), env);
    let check = |i: usize| check_file(&files[i], catalog, e, &settings);
    let out = BufWriter::with_capacity(64 * 1024, std::io::stdout());
    let mut sink = Sink::new(out, e.framing());
    let mut run = Run::default();
    let mut failing = false;
    let mut written = Ok(());
    for p in workload_pieces(e, &settings) {
        run.total.add(&p.summary);
        failing |= p.failing;
        run.unreadable.extend(p.unreadable);
        written = sink.push(&p.part);
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for_each_ordered(files.len(), cores, check, |p| {
        bar.inc(1);
        run.total.add(&p.summary);
        failing |= p.failing;
        run.cases.tests += p.part.cases.tests;
        run.cases.failures += p.part.cases.failures;
        run.unreadable.extend(p.unreadable);
        run.total.skipped += usize::from(p.skipped.is_some());
        if let Some(name) = p.skipped {
            env.say(format!(
                "skipped {name}: none of the formats kubeplan reads"
            ));
        }
        written = sink.push(&p.part);
        written.is_ok()
    });
    bar.finish_and_clear();
    let unreadable = run.total.unreadable > 0;
    match written.and_then(|()| sink.finish(e, run).map(|_| ())) {
        // A closed pipe (`kubeplan lint … | head`) ends the run quietly.
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => return Err(err.into()),
        _ => {}
    }
    // An input that could not be read is bad input (the others are still
    // linted and reported), whether a file alone or a document of a file.
    Ok(if unreadable {
        exit::USAGE
    } else if failing {
        exit::FINDINGS
    } else {
        exit::OK
    })
}

/// The files to lint: each path's, a folder's found inside it; a folder
/// of a cluster snapshot's Node and Pod files is one cluster, linted whole,
/// and a snapshot file of pods only (`kubectl get pods -A -o json`) is
/// read with the nodes' file before it (or else after it).
type Files = (Vec<Entry>, PodsOf);

/// The pods-only snapshot files of each nodes' file.
type PodsOf = std::collections::BTreeMap<String, Vec<String>>;

fn lint_files(paths: &[String], excludes: &Excludes) -> anyhow::Result<Files> {
    use crate::workloads::snapshot::{is_snapshot, pods_only};
    let mut files: Vec<Entry> = Vec::new();
    let mut orphans = Vec::new();
    let mut pods_of: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let mut anchor: Option<String> = None;
    for p in paths {
        let dir = p != "-" && std::path::Path::new(p).is_dir();
        match (dir, dir && is_snapshot(p), !dir && pods_only(p)) {
            (_, true, _) => files.extend(excludes.named(p)?),
            (_, _, true) => match &anchor {
                Some(a) => pods_of.entry(a.clone()).or_default().push(p.clone()),
                None => orphans.extend(excludes.named(p)?),
            },
            (false, _, _) if is_snapshot(p) => {
                anchor = Some(p.clone());
                let mut named: Vec<String> = orphans.drain(..).map(|e: Entry| e.name).collect();
                pods_of.entry(p.clone()).or_default().append(&mut named);
                files.extend(excludes.named(p)?);
            }
            (true, _, _) => {
                let found = excludes.walk(p)?;
                if found.is_empty() {
                    anyhow::bail!(
                        "{p}: folder holds no .yaml or .yml file (nor an Ansible inventory) that is not excluded"
                    );
                }
                files.extend(found);
            }
            _ => files.extend(excludes.named(p)?),
        }
    }
    // Pods with no nodes' file: read alone, they say what is missing.
    files.extend(orphans);
    Ok((files, pods_of))
}

/// The `--workloads` files that could not be read, each an
/// `input-unreadable` finding as an unreadable plan is.
fn workload_pieces(e: &dyn Emitter, s: &Settings) -> Vec<Piece> {
    s.workload_errors
        .iter()
        .map(|(name, err)| {
            let mut p = Piece::file();
            add_unreadable(&mut p, name, err, 0, e, s);
            p
        })
        .collect()
}

fn check_file(entry: &Entry, catalog: &Catalog, e: &dyn Emitter, s: &Settings) -> Piece {
    let name = entry.name.as_str();
    if crate::workloads::snapshot::is_snapshot(name) {
        return check_snapshot(entry, catalog, e, s);
    }
    let mut piece = Piece::file();
    let read = match name {
        "-" => crate::workloads::snapshot::stdin(),
        _ => read_source(name).map(crate::workloads::snapshot::Input::Text),
    };
    let source = match read {
        Ok(crate::workloads::snapshot::Input::Text(src)) => src,
        Ok(crate::workloads::snapshot::Input::Snapshot(snap)) => {
            return lint_snapshot(piece, &snap, (catalog, &entry.config), e, s);
        }
        Err(err) => {
            add_unreadable(&mut piece, name, &err, 0, e, s);
            return piece;
        }
    };
    let name = source.name.clone();
    if (entry.walked || s.skip_unknown) && !crate::import::names_a_cluster_format(&source.text) {
        piece.summary.files = 0;
        piece.skipped = Some(name);
        return piece;
    }
    let mut docs = 0;
    // Each document is linted and rendered as it is parsed, then dropped.
    let parsed = crate::import::each_document(source, &s.supply, catalog, |doc| {
        docs += 1;
        let pods = s.workloads.as_ref().map(crate::lint::Pods::Manifests);
        lint_into(
            &mut piece,
            &name,
            &doc,
            pods,
            (catalog, &entry.config),
            e,
            s,
        );
    });
    match parsed {
        // The documents before the error keep their findings.
        Err(err) => add_unreadable(&mut piece, &name, &err, docs, e, s),
        Ok(_) => e.file_done(&mut piece.part, &name),
    }
    piece
}

/// A running cluster's snapshot: its plan, linted with its own pods.
fn check_snapshot(entry: &Entry, catalog: &Catalog, e: &dyn Emitter, s: &Settings) -> Piece {
    let name = entry.name.as_str();
    let mut piece = Piece::file();
    let mut parts = vec![name.to_string()];
    parts.extend(s.pods_of.get(name).into_iter().flatten().cloned());
    match super::read_snapshot(name, &parts) {
        Ok(snap) => lint_snapshot(piece, &snap, (catalog, &entry.config), e, s),
        Err(err) => {
            add_unreadable(&mut piece, name, &err, 0, e, s);
            piece
        }
    }
}

fn lint_snapshot(
    mut piece: Piece,
    snap: &crate::workloads::snapshot::Snapshot,
    with: (&Catalog, &Loaded),
    e: &dyn Emitter,
    s: &Settings,
) -> Piece {
    let name = &snap.name;
    for doc in crate::import::snapshot_documents(snap, &s.supply, with.0) {
        let pods = Some(crate::lint::Pods::Snapshot(snap));
        lint_into(&mut piece, name, &doc, pods, with, e, s);
    }
    e.file_done(&mut piece.part, name);
    piece
}

/// Lints one document into the file's piece, in the run's format.
fn lint_into(
    piece: &mut Piece,
    name: &str,
    doc: &crate::plan::Document,
    pods: Option<crate::lint::Pods>,
    (catalog, config): (&Catalog, &Loaded),
    e: &dyn Emitter,
    s: &Settings,
) {
    let mut report = lint_document_with(doc, catalog, pods);
    config
        .config
        .apply(name, &config.relative(name), &mut report);
    let one = FileReport {
        file: name.to_string(),
        docs: vec![(doc, report)],
    };
    piece.summary.add(&Summary {
        files: 0,
        ..Summary::of(&one)
    });
    let report = &one.docs[0].1;
    piece.failing |= report.findings.iter().any(|x| s.fail_on.fails(x.severity));
    // A document that is no cluster file makes its file unreadable input.
    let unread = crate::lint::rules::input::INPUT_UNREADABLE.id;
    if report.findings.iter().any(|x| x.rule == unread) {
        piece.summary.unreadable = 1;
    }
    e.document(&mut piece.part, name, doc, report);
}

/// A file that could not be read (or whose document `doc` did not parse):
/// an `input-unreadable` finding of that file, in the run's format.
fn add_unreadable(
    piece: &mut Piece,
    name: &str,
    err: &LoadError,
    doc: usize,
    e: &dyn Emitter,
    s: &Settings,
) {
    let x = crate::lint::unreadable(err);
    piece.summary.unreadable += 1;
    piece.summary.errors += 1;
    piece.failing |= s.fail_on != FailOn::Never;
    e.unreadable(&mut piece.part, name, &x, doc);
    // And the one clear line on stderr, unless the text report already
    // showed it on the terminal.
    if s.stderr_line {
        eprintln!("kubeplan: error: {err}");
    }
    piece.unreadable = Some((name.to_string(), x));
    e.file_done(&mut piece.part, name);
}

/// stdout and stderr both a terminal: the person reads them as one.
fn both_terminals() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::io::stderr().is_terminal()
}

fn progress(files: usize, env: &Env) -> ProgressBar {
    use std::io::IsTerminal;
    if files < PROGRESS_FROM || env.quiet() || !std::io::stderr().is_terminal() {
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
