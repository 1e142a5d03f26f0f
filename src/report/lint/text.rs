//! rustc-style text: `file:line:col: severity[rule]: message`, the
//! source line with a caret and a help line, then the summary.

use anstyle::AnsiColor;

use super::{Emitter, Framing, Part, Run, Summary};
use crate::diag::{Finding, Severity};
use crate::lint::DocReport;
use crate::plan::Document;
use crate::report::Paint;

/// The text emitter: its colours, and `-q` (no summary line).
pub struct Text(pub Paint, pub bool);

impl Emitter for Text {
    fn framing(&self) -> Framing {
        Framing::Text
    }

    fn document(&self, part: &mut Part, file: &str, doc: &Document, report: &DocReport) {
        let mut out = String::new();
        for x in &report.findings {
            render_finding(&mut out, file, doc, x, self.0);
        }
        if report.schema_blocked {
            out.push_str(&format!(
                "{file}: {}: the document has schema errors; the other rules did not run on it\n\n",
                self.0.color(AnsiColor::Cyan, "note")
            ));
        }
        part.chunks.push(out);
    }

    fn unreadable(&self, part: &mut Part, file: &str, x: &Finding, _doc: usize) {
        part.chunks.push(text_unreadable(file, x, self.0));
    }

    fn end(&self, run: &Run) -> String {
        match self.1 {
            true => String::new(),
            false => text_summary(&run.total, self.0),
        }
    }
}

fn sev_color(s: Severity) -> AnsiColor {
    match s {
        Severity::Error => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Info => AnsiColor::Cyan,
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A file that could not be read, as text: where (when known), what, help.
pub fn text_unreadable(file: &str, x: &Finding, paint: Paint) -> String {
    let at = match x.line() {
        0 => file.to_string(),
        l => format!("{file}:{l}:{}", x.column()),
    };
    let sev = paint.color(
        sev_color(x.severity),
        &format!("{}[{}]", x.severity, x.rule),
    );
    format!(
        "{}: {sev}: {}\n  = help: {}\n\n",
        paint.bold(&at),
        paint.bold(&x.message),
        x.help
    )
}

/// The last line of the text report.
pub fn text_summary(s: &Summary, paint: Paint) -> String {
    let plans = count(s.plans, "plan", "plans");
    let ignored = if s.ignored > 0 {
        format!(" ({} ignored)", s.ignored)
    } else {
        String::new()
    };
    let unreadable = match s.unreadable {
        0 => String::new(),
        n => format!("; {} could not be read", count(n, "file", "files")),
    };
    let skipped = match s.skipped {
        0 => String::new(),
        n => format!(
            "; {} skipped (not cluster files; -v lists them)",
            count(n, "file", "files")
        ),
    };
    if s.errors + s.warnings + s.infos + s.unreadable == 0 {
        format!(
            "{} {plans} checked, no findings{ignored}{skipped}\n",
            paint.color(AnsiColor::Green, "ok:")
        )
    } else {
        format!(
            "{}: {}, {}, {} in {plans}{ignored}{unreadable}{skipped}\n",
            paint.bold("summary"),
            count(s.errors, "error", "errors"),
            count(s.warnings, "warning", "warnings"),
            count(s.infos, "info", "infos"),
        )
    }
}

fn render_finding(out: &mut String, file: &str, doc: &Document, x: &Finding, paint: Paint) {
    let sev = paint.color(
        sev_color(x.severity),
        &format!("{}[{}]", x.severity, x.rule),
    );
    // In a file of several plans, a schema finding says which one.
    let which = match x.rule.starts_with("schema-")
        && (doc.index > 0 || doc.source.text.contains("\n---"))
    {
        true => format!(" (document {})", doc.index + 1),
        false => String::new(),
    };
    // A finding in another file read with this one (a Kubespray
    // group_vars file beside its inventory) shows that file's line.
    let file = x.file().unwrap_or(file);
    let source = x.at.file.as_deref().unwrap_or(&doc.source);
    out.push_str(&format!(
        "{}: {sev}: {}{which}\n",
        paint.bold(&format!("{file}:{}:{}", x.line(), x.column())),
        paint.bold(&x.message)
    ));
    let gutter = x.line().to_string().len();
    let bar = paint.color(AnsiColor::Blue, "|");
    if let Some(src) = source.line(x.line()) {
        let pad = " ".repeat(gutter);
        out.push_str(&format!("{pad} {bar}\n"));
        out.push_str(&format!(
            "{} {bar} {src}\n",
            paint.color(AnsiColor::Blue, &x.line().to_string())
        ));
        let caret_at: String = src
            .chars()
            .take(x.column().saturating_sub(1) as usize)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let width = src
            .chars()
            .skip(x.column().saturating_sub(1) as usize)
            .take_while(|c| !c.is_whitespace() && *c != ':' && *c != ',' && *c != ']' && *c != '}')
            .count()
            .max(1);
        out.push_str(&format!(
            "{pad} {bar} {caret_at}{}\n",
            paint.color(sev_color(x.severity), &"^".repeat(width))
        ));
        out.push_str(&format!("{pad} = {}: {}\n\n", paint.bold("help"), x.help));
    } else {
        out.push_str(&format!("  = {}: {}\n\n", paint.bold("help"), x.help));
    }
}
