//! `kubeplan lint`: files are read, parsed, linted and rendered on every
//! core, and printed in the order given as soon as each is ready. Only the
//! rendered output of a few files is ever held, so memory stays flat
//! however many files there are.

use std::io::{BufWriter, Write};

use indicatif::{ProgressBar, ProgressStyle};
use serde_json::Value;

use super::config::LintConfig;
use super::ordered::for_each_ordered;
use super::{exit, Env};
use crate::catalog::Catalog;
use crate::cli::{FailOn, LintArgs, LintFormat};
use crate::diag::Finding;
use crate::lint::lint_document;
use crate::plan::load::{expand_paths, read_source, LoadError};
use crate::report::lint::{self as out, FileReport, Summary};
use crate::report::stream::{slot, Frame};
use crate::report::Paint;

/// Files at which a progress bar appears (on a terminal's stderr only).
const PROGRESS_FROM: usize = 200;

/// One file, checked and rendered.
struct Piece {
    /// Its text, or its JSON items already indented for the frame.
    items: Vec<String>,
    summary: Summary,
    failing: bool,
    /// JUnit: test cases (plans) and failures.
    cases: (usize, usize),
    /// The file could not be read or parsed (whole or in part): its name, why.
    unreadable: Option<(String, Finding)>,
}

/// How the pieces are put together.
enum Layout {
    Text(Paint),
    /// A JSON document whose one array is streamed.
    Json(Frame),
}

/// What a run lints with: the format, the failing severity (flag, else the
/// config's, else error), the config's rule levels and ignores.
struct Settings {
    format: LintFormat,
    fail_on: FailOn,
    config: LintConfig,
    /// What the user supplied of the facts cluster files do not hold.
    supply: crate::import::Supply,
}

pub fn run(args: &LintArgs, env: &Env) -> anyhow::Result<u8> {
    let (config, from) = LintConfig::load(args.config.as_deref())?;
    let fail_on = args.fail_on.or(config.fail_on).unwrap_or(FailOn::Error);
    if args.print_config {
        super::emit(&config.print(from.as_deref(), fail_on)?)?;
        return Ok(exit::OK);
    }
    let settings = Settings {
        format: args.format,
        fail_on,
        config,
        supply: super::supply(&args.facts, env)?,
    };
    let files = expand_paths(&args.paths)?;
    let catalog = env.catalog()?;
    let s = &settings;
    let layout = match s.format {
        LintFormat::Text => Layout::Text(env.paint),
        LintFormat::Github | LintFormat::Junit => Layout::Text(Paint::default()),
        format => Layout::Json(frame(&skeleton(
            format,
            vec![slot()],
            &Summary::default(),
            catalog,
        ))),
    };
    let bar = progress(files.len());
    let check = |i: usize| check_file(&files[i], catalog, &layout, s);
    let mut writer = Writer::new(&layout);
    writer.buffer = (s.format == LintFormat::Junit).then(String::new);
    let mut cases = (0, 0);
    let mut total = Summary::default();
    let mut failing = false;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut unreadable: Vec<(String, Finding)> = Vec::new();
    for_each_ordered(files.len(), cores, check, |p| {
        bar.inc(1);
        total.add(&p.summary);
        failing |= p.failing;
        cases = (cases.0 + p.cases.0, cases.1 + p.cases.1);
        unreadable.extend(p.unreadable);
        writer.push(&p.items)
    });
    bar.finish_and_clear();
    // The end: the summary line; the rest of the JSON document after its
    // items, or the whole document when no item was printed.
    let tail = match (&layout, writer.items) {
        _ if s.format == LintFormat::Junit => {
            let body = writer.buffer.take().unwrap_or_default();
            crate::report::ci::junit(&body, cases.0, cases.1)
        }
        // Workflow commands only: the summary is in the annotations.
        _ if s.format == LintFormat::Github => String::new(),
        (Layout::Text(paint), _) => out::text_summary(&total, *paint),
        (Layout::Json(_), 0) => format!("{:#}\n", skeleton(s.format, vec![], &total, catalog)),
        (Layout::Json(_), _) => frame(&skeleton(s.format, vec![slot()], &total, catalog)).tail,
    };
    let tail = match s.format {
        LintFormat::Sarif if !unreadable.is_empty() => with_invocations(&tail, &unreadable),
        _ => tail,
    };
    writer.finish(&tail)?;
    // Every input failed to read: nothing was linted.
    Ok(if total.unreadable == total.files {
        exit::USAGE
    } else if failing {
        exit::FINDINGS
    } else {
        exit::OK
    })
}

/// SARIF's tail with the run's `invocations` (unreadable inputs as tool
/// execution notifications) placed after its results.
fn with_invocations(tail: &str, unreadable: &[(String, Finding)]) -> String {
    let inv = serde_json::to_string_pretty(&out::sarif_invocations(unreadable)).unwrap_or_default();
    let inv = inv.replace('\n', "\n      ");
    match tail.find(",\n      \"tool\"") {
        Some(i) => format!(
            "{},\n      \"invocations\": {inv}{}",
            &tail[..i],
            &tail[i..]
        ),
        None => tail.to_string(),
    }
}

/// The JSON or SARIF document around its streamed items.
fn skeleton(format: LintFormat, items: Vec<Value>, total: &Summary, c: &Catalog) -> Value {
    match format {
        LintFormat::Sarif => out::sarif_log(items, c),
        _ => out::json_report(items, total),
    }
}

fn frame(skeleton: &Value) -> Frame {
    Frame::cut(skeleton).expect("the skeleton holds the slot")
}

fn check_file(name: &str, catalog: &Catalog, layout: &Layout, args: &Settings) -> Piece {
    let mut piece = Piece {
        items: Vec::new(),
        summary: Summary {
            files: 1,
            ..Summary::default()
        },
        failing: false,
        cases: (0, 0),
        unreadable: None,
    };
    let source = match read_source(name) {
        Ok(s) => s,
        Err(e) => {
            add_unreadable(
                &mut piece,
                name,
                &e,
                0,
                Vec::new(),
                String::new(),
                layout,
                args,
            );
            return piece;
        }
    };
    let name = source.name.clone();
    let mut text = String::new();
    let mut findings = Vec::new();
    let mut docs = 0;
    // Each document is linted and rendered as it is parsed, then dropped.
    let parsed = crate::import::each_document(source, &args.supply, catalog, |doc| {
        docs += 1;
        let mut report = lint_document(&doc, catalog);
        args.config.apply(&name, &mut report);
        let one = FileReport {
            file: name.clone(),
            docs: vec![(&doc, report)],
        };
        let counts = Summary {
            files: 0,
            ..Summary::of(&one)
        };
        piece.summary.add(&counts);
        piece.failing |= one.docs[0]
            .1
            .findings
            .iter()
            .any(|x| args.fail_on.fails(x.severity));
        match (layout, args.format) {
            (_, LintFormat::Github) => text.push_str(&crate::report::ci::github_file(&one)),
            (_, LintFormat::Junit) => {
                let fails = |s| args.fail_on.fails(s);
                let (xml, tests, failures) = crate::report::ci::junit_cases(&one, &fails);
                text.push_str(&xml);
                piece.cases.0 += tests;
                piece.cases.1 += failures;
            }
            (Layout::Text(paint), _) => text.push_str(&out::text_file(&one, *paint)),
            (Layout::Json(f), LintFormat::Sarif) => piece
                .items
                .extend(out::sarif_results(&one).iter().map(|r| f.item(r))),
            (Layout::Json(_), _) => findings.extend(out::json_findings(&one)),
        }
    });
    match parsed {
        // The documents before the error keep their findings.
        Err(e) => add_unreadable(&mut piece, &name, &e, docs, findings, text, layout, args),
        Ok(_) => finish_piece(&mut piece, &name, findings, text, layout, args),
    }
    piece
}

/// The piece's items once its findings are all in.
fn finish_piece(
    piece: &mut Piece,
    name: &str,
    findings: Vec<Value>,
    text: String,
    layout: &Layout,
    args: &Settings,
) {
    match layout {
        Layout::Text(_) => piece.items.push(text),
        Layout::Json(f) if args.format == LintFormat::Json => {
            piece.items.push(f.item(&out::json_entry(name, findings)))
        }
        Layout::Json(_) => {}
    }
}

/// A file that could not be read (or whose document `doc` did not parse):
/// an `input-unreadable` finding of that file, in the run's format.
#[allow(clippy::too_many_arguments)]
fn add_unreadable(
    piece: &mut Piece,
    name: &str,
    e: &LoadError,
    doc: usize,
    mut findings: Vec<Value>,
    mut text: String,
    layout: &Layout,
    args: &Settings,
) {
    let x = crate::lint::unreadable(e);
    piece.summary.unreadable += 1;
    piece.summary.errors += 1;
    piece.failing |= args.fail_on != FailOn::Never;
    match (layout, args.format) {
        (_, LintFormat::Github) => text.push_str(&crate::report::ci::github_line(name, &x)),
        (_, LintFormat::Junit) => {
            text.push_str(&crate::report::ci::junit_unreadable(name, &x));
            piece.cases.0 += 1;
            piece.cases.1 += 1;
        }
        (Layout::Text(paint), _) => text.push_str(&out::text_unreadable(name, &x, *paint)),
        (Layout::Json(f), LintFormat::Sarif) => {
            piece.items.push(f.item(&out::sarif_result(name, &x, doc)))
        }
        (Layout::Json(_), _) => findings.push(out::finding_json(&x, doc)),
    }
    // And the one clear line on stderr, whatever the format.
    eprintln!("kubeplan: error: {e}");
    piece.unreadable = Some((name.to_string(), x));
    finish_piece(piece, name, findings, text, layout, args);
}

/// Stdout, written as pieces arrive; a closed pipe (`kubeplan lint … |
/// head`) ends the run quietly, any other write error is the run's error.
struct Writer {
    out: BufWriter<std::io::Stdout>,
    json: bool,
    /// The JSON frame's head, until the first item.
    head: Option<String>,
    /// JSON items written.
    items: usize,
    error: Option<std::io::Error>,
    /// JUnit: the test cases, kept until the counts are known.
    buffer: Option<String>,
}

impl Writer {
    fn new(layout: &Layout) -> Writer {
        Writer {
            out: BufWriter::with_capacity(64 * 1024, std::io::stdout()),
            json: matches!(layout, Layout::Json(_)),
            head: match layout {
                Layout::Text(_) => None,
                Layout::Json(f) => Some(f.head.clone()),
            },
            items: 0,
            error: None,
            buffer: None,
        }
    }

    /// Writes one file's items; false once stdout is closed.
    fn push(&mut self, items: &[String]) -> bool {
        if let Some(b) = self.buffer.as_mut() {
            items.iter().for_each(|i| b.push_str(i));
            return true;
        }
        for item in items {
            if let Some(head) = self.head.take() {
                self.write(head.as_bytes());
            } else if self.items > 0 {
                self.write(b",\n");
            }
            self.write(item.as_bytes());
            self.items += usize::from(self.json);
        }
        self.error.is_none()
    }

    fn write(&mut self, bytes: &[u8]) {
        if self.error.is_none() {
            self.error = self.out.write_all(bytes).err();
        }
    }

    fn finish(mut self, tail: &str) -> std::io::Result<()> {
        self.write(tail.as_bytes());
        let result = match self.error.take() {
            None => self.out.flush(),
            Some(e) => Err(e),
        };
        match result {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other,
        }
    }
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
