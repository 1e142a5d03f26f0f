//! `kubeplan lint` output. Each format is one file behind [`Emitter`]:
//! text (rustc-style), JSON, SARIF 2.1.0, GitHub workflow commands and
//! JUnit XML. A format turns what was checked into bytes — each document's
//! findings as they come, a file at a time in the order given, then the
//! end of the output from the run's totals — and [`Sink`] writes them as
//! the format frames them, so the command is left with reading, checking
//! on every core and writing. A new format is its file and one line in
//! [`Format::emitter`].

mod github;
mod json;
mod junit;
mod sarif;
mod text;

use std::io::Write;

use super::Paint;
use crate::catalog::Catalog;
use crate::diag::{Finding, Severity};
use crate::lint::DocReport;
use crate::plan::Document;

pub use json::{
    File as JsonFile, Finding as JsonFinding, Report as JsonReport, Summary as JsonSummary,
};
pub use text::{text_summary, text_unreadable};

/// The findings of one file (all its documents).
#[derive(Debug, Clone)]
pub struct FileReport<'a> {
    pub file: String,
    pub docs: Vec<(&'a Document, DocReport)>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Files linted.
    pub files: usize,
    pub plans: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub ignored: usize,
    /// Files that could not be read or parsed (their errors went to stderr).
    pub unreadable: usize,
    /// Files a folder walk found that are none of the formats kubeplan reads.
    pub skipped: usize,
}

impl Summary {
    /// The counts of one file.
    pub fn of(f: &FileReport) -> Summary {
        let mut s = Summary {
            files: 1,
            ..Summary::default()
        };
        for (_, r) in &f.docs {
            s.plans += 1;
            s.ignored += r.ignored;
            for x in &r.findings {
                match x.severity {
                    Severity::Error => s.errors += 1,
                    Severity::Warning => s.warnings += 1,
                    Severity::Info => s.infos += 1,
                }
            }
        }
        s
    }

    pub fn add(&mut self, o: &Summary) {
        self.files += o.files;
        self.plans += o.plans;
        self.errors += o.errors;
        self.warnings += o.warnings;
        self.infos += o.infos;
        self.ignored += o.ignored;
        self.unreadable += o.unreadable;
        self.skipped += o.skipped;
    }
}

pub fn summarize(files: &[FileReport]) -> Summary {
    let mut s = Summary::default();
    for f in files {
        s.add(&Summary::of(f));
    }
    s
}

/// The output formats of `kubeplan lint --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    /// GitHub Actions workflow commands: an annotation per finding
    Github,
    /// JUnit XML: a test case per plan, a failure per finding that fails the run
    Junit,
}

/// What a format may need to know of the run.
pub struct Ctx<'a> {
    pub paint: Paint,
    pub catalog: &'a Catalog,
    /// The least severity that fails the run (None: nothing does).
    pub fail_at: Option<Severity>,
    /// `-q`: no summary line.
    pub quiet: bool,
}

impl Format {
    /// The format's emitter.
    pub fn emitter<'a>(self, ctx: &Ctx<'a>) -> Box<dyn Emitter + 'a> {
        match self {
            Format::Text => Box::new(text::Text(ctx.paint, ctx.quiet)),
            Format::Json => Box::new(json::Json::new()),
            Format::Sarif => Box::new(sarif::Sarif::new(ctx.catalog)),
            Format::Github => Box::new(github::Github),
            Format::Junit => Box::new(junit::Junit(ctx.fail_at)),
        }
    }
}

/// How a format's parts are put together.
pub enum Framing {
    /// Written as they come.
    Text,
    /// Items of one JSON array, written as they come with `,\n` between
    /// them, after the document's head (here) once there is a first item.
    Items(String),
    /// Held, and handed to [`Emitter::end`] (JUnit's counts come first).
    Held,
}

/// What test cases a file made (JUnit): how many, how many failed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cases {
    pub tests: usize,
    pub failures: usize,
}

/// One file's output, as its documents are checked.
#[derive(Default)]
pub struct Part {
    /// Text, or the items of the streamed array.
    pub chunks: Vec<String>,
    /// Findings held until the file's entry is complete (JSON).
    held: Vec<JsonFinding>,
    pub cases: Cases,
}

/// What the end of the output is made from.
#[derive(Default)]
pub struct Run {
    pub total: Summary,
    pub cases: Cases,
    /// The inputs that could not be read, with their finding.
    pub unreadable: Vec<(String, Finding)>,
    /// Items written (a streamed array's).
    pub items: usize,
    /// The parts held ([`Framing::Held`]).
    pub held: String,
}

/// A lint output format.
pub trait Emitter: Sync {
    fn framing(&self) -> Framing;
    /// One document's findings, added to its file's part.
    fn document(&self, part: &mut Part, file: &str, doc: &Document, report: &DocReport);
    /// A file (or from its document `doc` on) that could not be read.
    fn unreadable(&self, part: &mut Part, file: &str, x: &Finding, doc: usize);
    /// The file is done: what of it was held goes out.
    fn file_done(&self, _part: &mut Part, _file: &str) {}
    /// The end of the output.
    fn end(&self, run: &Run) -> String;
}

/// Writes the parts as their format frames them.
pub struct Sink<W: Write> {
    out: W,
    /// The streamed document's head, until the first item.
    head: Option<String>,
    items: bool,
    held: Option<String>,
    written: usize,
}

impl<W: Write> Sink<W> {
    pub fn new(out: W, framing: Framing) -> Sink<W> {
        let (head, items, held) = match framing {
            Framing::Text => (None, false, None),
            Framing::Items(head) => (Some(head), true, None),
            Framing::Held => (None, false, Some(String::new())),
        };
        Sink {
            out,
            head,
            items,
            held,
            written: 0,
        }
    }

    /// Writes one file's part.
    pub fn push(&mut self, part: &Part) -> std::io::Result<()> {
        if let Some(held) = self.held.as_mut() {
            part.chunks.iter().for_each(|c| held.push_str(c));
            return Ok(());
        }
        for chunk in &part.chunks {
            if let Some(head) = self.head.take() {
                self.out.write_all(head.as_bytes())?;
            } else if self.items && self.written > 0 {
                self.out.write_all(b",\n")?;
            }
            self.out.write_all(chunk.as_bytes())?;
            self.written += usize::from(self.items);
        }
        Ok(())
    }

    /// Writes the end of the output and flushes; returns the writer.
    pub fn finish(mut self, e: &dyn Emitter, mut run: Run) -> std::io::Result<W> {
        run.items = self.written;
        run.held = self.held.take().unwrap_or_default();
        self.out.write_all(e.end(&run).as_bytes())?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// A whole run's output at once: every file's documents, then the end.
pub fn render(e: &dyn Emitter, files: &[FileReport]) -> String {
    let mut sink = Sink::new(Vec::new(), e.framing());
    let mut run = Run::default();
    for f in files {
        let mut part = Part::default();
        for (doc, report) in &f.docs {
            e.document(&mut part, &f.file, doc, report);
        }
        e.file_done(&mut part, &f.file);
        run.total.add(&Summary::of(f));
        run.cases.tests += part.cases.tests;
        run.cases.failures += part.cases.failures;
        let _ = sink.push(&part);
    }
    let bytes = sink.finish(e, run).unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// rustc-style text: `file:line:col: severity[rule]: message`, the source
/// line with a caret, and a help line; then the summary.
pub fn text(files: &[FileReport], paint: Paint) -> String {
    render(&text::Text(paint, false), files)
}

/// The JSON report (`docs/guide.md`, JSON).
pub fn json(files: &[FileReport]) -> String {
    render(&json::Json::new(), files)
}

/// The SARIF 2.1.0 log, with every rule's metadata in tool.driver.rules.
pub fn sarif(files: &[FileReport], c: &Catalog) -> String {
    render(&sarif::Sarif::new(c), files)
}
