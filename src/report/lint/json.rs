//! The JSON report: a file's entry per input with its findings, and the
//! run's summary. Serialised from the types below, which are also the
//! report's published schema (`kubeplan schema --output lint`), so output
//! and schema cannot diverge. Entries stream out as files are checked.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use super::{Emitter, Framing, Part, Run};
use crate::diag::Severity;
use crate::lint::DocReport;
use crate::plan::Document;
use crate::report::stream::{slot, Frame};

/// A lint finding in JSON (fields in the order they print).
#[derive(Serialize, JsonSchema)]
pub struct Finding {
    pub column: u32,
    /// 0-based index of the plan in its file.
    pub document: usize,
    /// Where the value is: a plan field's dotted path, or in another tool's
    /// file the value's own path there (empty for a file that could not be
    /// read).
    pub field: String,
    /// The file the value is in, when it is not the file linted (a
    /// Kubespray inventory's `group_vars` file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub help: String,
    /// 1-based; 0 when unknown (an unreadable file).
    pub line: u32,
    pub message: String,
    pub rule: String,
    pub severity: Severity,
}

impl Finding {
    fn of(x: &crate::diag::Finding, document: usize) -> Finding {
        Finding {
            rule: x.rule.to_string(),
            severity: x.severity,
            message: x.message.clone(),
            field: x.field().to_string(),
            file: x.file().map(str::to_string),
            line: x.line(),
            column: x.column(),
            help: x.help.clone(),
            document,
        }
    }
}

/// One input's entry.
#[derive(Serialize, JsonSchema)]
pub struct File {
    pub file: String,
    pub findings: Vec<Finding>,
}

#[derive(Serialize, JsonSchema)]
pub struct Summary {
    pub errors: usize,
    pub files: usize,
    pub ignored: usize,
    pub infos: usize,
    pub plans: usize,
    /// Present when some input could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<usize>,
    /// Present when a folder walk skipped files that are none of the
    /// formats kubeplan reads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<usize>,
    pub warnings: usize,
}

impl From<&super::Summary> for Summary {
    fn from(s: &super::Summary) -> Summary {
        Summary {
            files: s.files,
            plans: s.plans,
            errors: s.errors,
            warnings: s.warnings,
            infos: s.infos,
            ignored: s.ignored,
            unreadable: (s.unreadable > 0).then_some(s.unreadable),
            skipped: (s.skipped > 0).then_some(s.skipped),
        }
    }
}

/// `kubeplan lint --format json` (`F`: the entries; a stand-in while the
/// entries stream).
#[derive(Serialize, JsonSchema)]
pub struct Report<F = File> {
    pub files: Vec<F>,
    pub summary: Summary,
}

pub struct Json {
    frame: Frame,
}

impl Json {
    pub fn new() -> Json {
        Json {
            frame: frame(&super::Summary::default()),
        }
    }
}

/// The report cut around its streamed entries.
fn frame(total: &super::Summary) -> Frame {
    let skeleton = Report::<Value> {
        files: vec![slot()],
        summary: total.into(),
    };
    Frame::cut(&skeleton).expect("the skeleton holds the slot")
}

impl Emitter for Json {
    fn framing(&self) -> Framing {
        Framing::Items(self.frame.head.clone())
    }

    fn document(&self, part: &mut Part, _file: &str, doc: &Document, report: &DocReport) {
        let found = report.findings.iter().map(|x| Finding::of(x, doc.index));
        part.held.extend(found);
    }

    fn unreadable(&self, part: &mut Part, _file: &str, x: &crate::diag::Finding, doc: usize) {
        part.held.push(Finding::of(x, doc));
    }

    fn file_done(&self, part: &mut Part, file: &str) {
        let entry = File {
            file: file.to_string(),
            findings: std::mem::take(&mut part.held),
        };
        part.chunks.push(self.frame.item(&entry));
    }

    fn end(&self, run: &Run) -> String {
        match run.items {
            0 => {
                let whole = Report::<File> {
                    files: Vec::new(),
                    summary: (&run.total).into(),
                };
                let text = serde_json::to_string_pretty(&whole).unwrap_or_default();
                format!("{text}\n")
            }
            _ => frame(&run.total).tail,
        }
    }
}
