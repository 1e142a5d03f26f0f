//! `kubeplan lint` output: text (rustc-style), JSON and SARIF 2.1.0.

use anstyle::AnsiColor;
use serde_json::{json, Value};

use super::Paint;
use crate::diag::{Finding, Severity};
use crate::lint::{DocReport, RULES};
use crate::plan::Document;

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
    }
}

pub fn summarize(files: &[FileReport]) -> Summary {
    let mut s = Summary::default();
    for f in files {
        s.add(&Summary::of(f));
    }
    s
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

/// rustc-style text: `file:line:col: severity[rule]: message`, the source
/// line with a caret, and a help line; then the summary.
pub fn text(files: &[FileReport], paint: Paint) -> String {
    let mut out: String = files.iter().map(|f| text_file(f, paint)).collect();
    out.push_str(&text_summary(&summarize(files), paint));
    out
}

/// The text of one file's findings (nothing when it has none).
pub fn text_file(f: &FileReport, paint: Paint) -> String {
    let mut out = String::new();
    for (doc, report) in &f.docs {
        for x in &report.findings {
            render_finding(&mut out, &f.file, doc, x, paint);
        }
        if report.schema_blocked {
            out.push_str(&format!(
                "{}: {}: the document has schema errors; the other rules did not run on it\n\n",
                f.file,
                paint.color(AnsiColor::Cyan, "note")
            ));
        }
    }
    out
}

/// A file that could not be read, as text: where (when known), what, help.
pub fn text_unreadable(file: &str, x: &Finding, paint: Paint) -> String {
    let at = match x.line {
        0 => file.to_string(),
        l => format!("{file}:{l}:{}", x.column),
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
    if s.errors + s.warnings + s.infos + s.unreadable == 0 {
        format!(
            "{} {plans} checked, no findings{ignored}\n",
            paint.color(AnsiColor::Green, "ok:")
        )
    } else {
        format!(
            "{}: {}, {}, {} in {plans}{ignored}{unreadable}\n",
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
    let other = x.file.as_ref().and_then(|name| {
        doc.locs
            .origins()
            .and_then(|o| o.files().into_iter().find(|f| &f.name == name))
    });
    let file = x.file.as_deref().unwrap_or(file);
    let source = other.as_deref().unwrap_or(&doc.source);
    out.push_str(&format!(
        "{}: {sev}: {}{which}\n",
        paint.bold(&format!("{file}:{}:{}", x.line, x.column)),
        paint.bold(&x.message)
    ));
    let gutter = x.line.to_string().len();
    let bar = paint.color(AnsiColor::Blue, "|");
    if let Some(src) = source.line(x.line) {
        let pad = " ".repeat(gutter);
        out.push_str(&format!("{pad} {bar}\n"));
        out.push_str(&format!(
            "{} {bar} {src}\n",
            paint.color(AnsiColor::Blue, &x.line.to_string())
        ));
        let caret_at: String = src
            .chars()
            .take(x.column.saturating_sub(1) as usize)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let width = src
            .chars()
            .skip(x.column.saturating_sub(1) as usize)
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

pub fn finding_json(x: &Finding, document: usize) -> Value {
    let mut v = json!({
        "rule": x.rule,
        "severity": x.severity,
        "message": x.message,
        "field": x.field,
        "line": x.line,
        "column": x.column,
        "help": x.help,
        "document": document,
    });
    // A finding in another file than the entry's (a Kubespray group_vars
    // file read with its inventory) names it.
    if let Some(f) = &x.file {
        v["file"] = json!(f);
    }
    v
}

/// The JSON report (`docs/guide.md`, JSON).
pub fn json(files: &[FileReport]) -> Value {
    json_report(files.iter().map(json_file).collect(), &summarize(files))
}

/// One file's entry in the JSON report's `files`.
pub fn json_file(f: &FileReport) -> Value {
    json_entry(&f.file, json_findings(f))
}

/// The findings of a file's documents, as JSON.
pub fn json_findings(f: &FileReport) -> Vec<Value> {
    f.docs
        .iter()
        .flat_map(|(d, r)| r.findings.iter().map(move |x| finding_json(x, d.index)))
        .collect()
}

/// A file's entry in `files`, from its findings.
pub fn json_entry(file: &str, findings: Vec<Value>) -> Value {
    json!({"file": file, "findings": findings})
}

/// The JSON report around its `files` entries.
pub fn json_report(files: Vec<Value>, s: &Summary) -> Value {
    let mut summary = json!({
        "files": s.files,
        "plans": s.plans,
        "errors": s.errors,
        "warnings": s.warnings,
        "infos": s.infos,
        "ignored": s.ignored,
    });
    if s.unreadable > 0 {
        summary["unreadable"] = json!(s.unreadable);
    }
    json!({"files": files, "summary": summary})
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The SARIF 2.1.0 log, with every rule's metadata in tool.driver.rules.
pub fn sarif(files: &[FileReport], c: &crate::catalog::Catalog) -> Value {
    sarif_log(files.iter().flat_map(sarif_results).collect(), c)
}

/// One finding as a SARIF result (`document`: its plan's index).
pub fn sarif_result(file: &str, x: &Finding, document: usize) -> Value {
    let index = RULES.iter().position(|r| r.id == x.rule).unwrap_or(0);
    let file = x.file.as_deref().unwrap_or(file);
    let mut location = json!({"artifactLocation": {"uri": sarif_uri(file)}});
    if x.line > 0 {
        location["region"] = json!({"startLine": x.line, "startColumn": x.column.max(1)});
    }
    json!({
        "ruleId": x.rule,
        "ruleIndex": index,
        "level": sarif_level(x.severity),
        "message": {"text": format!("{} (help: {})", x.message, x.help)},
        "locations": [{
            "physicalLocation": location,
            "logicalLocations": [{"fullyQualifiedName": x.field, "kind": "member"}],
        }],
        "properties": {"field": x.field, "document": document},
    })
}

/// One file's SARIF results.
pub fn sarif_results(f: &FileReport) -> Vec<Value> {
    f.docs
        .iter()
        .flat_map(|(d, r)| {
            r.findings
                .iter()
                .map(move |x| sarif_result(&f.file, x, d.index))
        })
        .collect()
}

/// SARIF's `invocations`: unreadable inputs as tool execution notifications.
pub fn sarif_invocations(unreadable: &[(String, Finding)]) -> Value {
    let notes: Vec<Value> = unreadable
        .iter()
        .map(|(file, x)| {
            let mut location = json!({"artifactLocation": {"uri": sarif_uri(file)}});
            if x.line > 0 {
                location["region"] = json!({"startLine": x.line, "startColumn": x.column.max(1)});
            }
            json!({
                "level": "error",
                "message": {"text": x.message},
                "descriptor": {"id": x.rule},
                "locations": [{"physicalLocation": location}],
            })
        })
        .collect();
    json!([{"executionSuccessful": notes.is_empty(), "toolExecutionNotifications": notes}])
}

/// The SARIF log around its results.
pub fn sarif_log(results: Vec<Value>, c: &crate::catalog::Catalog) -> Value {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            let d = r.docs(c);
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": {"text": d.summary},
                "fullDescription": {"text": d.what},
                "help": {
                    "text": format!("{}\n\nWhy it matters: {}\n\nFix: {}", d.what, d.why, d.fix),
                    "markdown": super::rules::rule_markdown(r, c, 3),
                },
                "defaultConfiguration": {"level": sarif_level(r.policy.default_severity())},
                "properties": {"policy": r.policy.describe(), "group": r.group},
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "kubeplan",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

fn sarif_uri(file: &str) -> String {
    if file == "<stdin>" {
        return "stdin".into();
    }
    file.trim_start_matches("./")
        .replace('\\', "/")
        .replace(' ', "%20")
}
