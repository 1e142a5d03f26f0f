//! GitHub Actions workflow commands: an annotation per finding
//! (`::error file=…,line=…,col=…,title=RULE::message`), which the Actions
//! runner shows on the pull request's lines.

use super::{Emitter, Framing, Part, Run};
use crate::diag::{Finding, Severity};
use crate::lint::DocReport;
use crate::plan::Document;

pub struct Github;

impl Emitter for Github {
    fn framing(&self) -> Framing {
        Framing::Text
    }

    fn document(&self, part: &mut Part, file: &str, _doc: &Document, report: &DocReport) {
        let lines = report
            .findings
            .iter()
            .map(|x| line(x.file().unwrap_or(file), x));
        part.chunks.push(lines.collect());
    }

    fn unreadable(&self, part: &mut Part, file: &str, x: &Finding, _doc: usize) {
        part.chunks.push(line(file, x));
    }

    /// Workflow commands only: the summary is in the annotations.
    fn end(&self, _run: &Run) -> String {
        String::new()
    }
}

/// A workflow command's property value: `%`, CR, LF, `:` and `,` escaped
/// (GitHub's `toolkit/core` `escapeProperty`).
fn property(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
        .replace(':', "%3A")
        .replace(',', "%2C")
}

/// A workflow command's message: `%`, CR and LF escaped (`escapeData`).
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// `::error file=…,line=…,col=…,title=RULE::message` (`warning` for
/// warnings, `notice` for infos; no line or column when unknown).
fn line(file: &str, x: &Finding) -> String {
    let level = match x.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let at = match x.line() {
        0 => String::new(),
        l => format!(",line={l},col={}", x.column().max(1)),
    };
    format!(
        "::{level} file={}{at},title={}::{}\n",
        property(file),
        property(x.rule),
        data(&format!("{} (help: {})", x.message, x.help))
    )
}
