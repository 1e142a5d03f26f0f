//! SARIF 2.1.0: a result per finding, every rule's metadata in
//! `tool.driver.rules`, and inputs that could not be read as the run's tool
//! execution notifications. Serialised from the types below; results
//! stream out as files are checked.

use serde::Serialize;
use serde_json::Value;

use super::{Emitter, Framing, Part, Run};
use crate::catalog::Catalog;
use crate::diag::{Finding, Severity};
use crate::lint::{DocReport, RULES};
use crate::plan::Document;
use crate::report::stream::{slot, Frame};

#[derive(Serialize)]
struct Log<R> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: Vec<SarifRun<R>>,
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRun<R> {
    column_kind: &'static str,
    results: Vec<R>,
    /// After the streamed results: known once every input was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    invocations: Option<Vec<Invocation>>,
    tool: Tool,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
struct Driver {
    name: &'static str,
    rules: Vec<Descriptor>,
    version: &'static str,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    default_configuration: Level,
    full_description: Message,
    help: Help,
    id: &'static str,
    name: &'static str,
    properties: RuleProperties,
    short_description: Message,
}

#[derive(Serialize)]
struct Help {
    markdown: String,
    text: String,
}

#[derive(Serialize)]
struct Level {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    group: &'static str,
    policy: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    level: &'static str,
    locations: Vec<Location>,
    message: Message,
    properties: ResultProperties,
    rule_id: &'static str,
    rule_index: usize,
}

#[derive(Serialize)]
struct ResultProperties {
    document: usize,
    field: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<Logical>,
    physical_location: Physical,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical {
    artifact_location: Artifact,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct Artifact {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_column: u32,
    start_line: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Logical {
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    descriptor: Id,
    level: &'static str,
    locations: Vec<Location>,
    message: Message,
}

#[derive(Serialize)]
struct Id {
    id: &'static str,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn uri(file: &str) -> String {
    if file == "<stdin>" {
        return "stdin".into();
    }
    file.trim_start_matches("./")
        .replace('\\', "/")
        .replace(' ', "%20")
}

/// Where a finding is: the file, and its line and column when known.
fn physical(file: &str, x: &Finding) -> Physical {
    Physical {
        artifact_location: Artifact { uri: uri(file) },
        region: (x.line() > 0).then(|| Region {
            start_line: x.line(),
            start_column: x.column().max(1),
        }),
    }
}

/// One finding as a result (`document`: its plan's index).
fn result(file: &str, x: &Finding, document: usize) -> SarifResult {
    let file = x.file().unwrap_or(file);
    SarifResult {
        rule_id: x.rule,
        rule_index: RULES.iter().position(|r| r.id == x.rule).unwrap_or(0),
        level: level(x.severity),
        message: Message {
            text: format!("{} (help: {})", x.message, x.help),
        },
        locations: vec![Location {
            physical_location: physical(file, x),
            logical_locations: vec![Logical {
                fully_qualified_name: x.field().to_string(),
                kind: "member",
            }],
        }],
        properties: ResultProperties {
            field: x.field().to_string(),
            document,
        },
    }
}

/// Every rule's metadata.
fn rules(c: &Catalog) -> Vec<Descriptor> {
    RULES
        .iter()
        .map(|r| {
            let d = r.docs(c);
            Descriptor {
                id: r.id,
                name: r.id,
                short_description: Message {
                    text: d.summary.clone(),
                },
                full_description: Message {
                    text: d.what.clone(),
                },
                help: Help {
                    text: format!("{}\n\nWhy it matters: {}\n\nFix: {}", d.what, d.why, d.fix),
                    markdown: crate::report::rules::rule_markdown(r, c, 3),
                },
                default_configuration: Level {
                    level: level(r.policy.default_severity()),
                },
                properties: RuleProperties {
                    policy: r.policy.describe(),
                    group: r.group,
                },
            }
        })
        .collect()
}

/// The inputs that could not be read, as tool execution notifications.
fn invocations(unreadable: &[(String, Finding)]) -> Option<Vec<Invocation>> {
    if unreadable.is_empty() {
        return None;
    }
    let notes = unreadable
        .iter()
        .map(|(file, x)| Notification {
            level: "error",
            message: Message {
                text: x.message.clone(),
            },
            descriptor: Id { id: x.rule },
            locations: vec![Location {
                physical_location: physical(file, x),
                logical_locations: Vec::new(),
            }],
        })
        .collect();
    Some(vec![Invocation {
        execution_successful: false,
        tool_execution_notifications: notes,
    }])
}

fn log<R>(c: &Catalog, results: Vec<R>, invocations: Option<Vec<Invocation>>) -> Log<R> {
    Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: vec![SarifRun {
            tool: Tool {
                driver: Driver {
                    name: "kubeplan",
                    version: env!("CARGO_PKG_VERSION"),
                    rules: rules(c),
                },
            },
            column_kind: "unicodeCodePoints",
            results,
            invocations,
        }],
    }
}

pub struct Sarif<'a> {
    catalog: &'a Catalog,
    frame: Frame,
}

impl<'a> Sarif<'a> {
    pub fn new(catalog: &'a Catalog) -> Sarif<'a> {
        Sarif {
            catalog,
            frame: Sarif::frame(catalog, None),
        }
    }

    fn frame(c: &Catalog, invocations: Option<Vec<Invocation>>) -> Frame {
        Frame::cut(&log(c, vec![slot()], invocations)).expect("the skeleton holds the slot")
    }
}

impl Emitter for Sarif<'_> {
    fn framing(&self) -> Framing {
        Framing::Items(self.frame.head.clone())
    }

    fn document(&self, part: &mut Part, file: &str, doc: &Document, report: &DocReport) {
        for x in &report.findings {
            part.chunks
                .push(self.frame.item(&result(file, x, doc.index)));
        }
    }

    fn unreadable(&self, part: &mut Part, file: &str, x: &Finding, doc: usize) {
        part.chunks.push(self.frame.item(&result(file, x, doc)));
    }

    fn end(&self, run: &Run) -> String {
        let notes = invocations(&run.unreadable);
        match run.items {
            0 => {
                let whole = log::<Value>(self.catalog, Vec::new(), notes);
                format!(
                    "{}\n",
                    serde_json::to_string_pretty(&whole).unwrap_or_default()
                )
            }
            _ => Sarif::frame(self.catalog, notes).tail,
        }
    }
}
