//! The diagnostic type every check produces and every renderer reads.

use serde::Serialize;

use crate::plan::node::Pos;
use crate::plan::origin::Spot;

/// How serious a finding is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    clap::ValueEnum,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in one plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub help: String,
    /// Where: its line and column, the field (a plan field's dotted path,
    /// or in another tool's file the value's own path there), and the file
    /// when it is not the one linted (a Kubespray `group_vars` file read
    /// with its inventory).
    pub at: Spot,
}

impl Finding {
    pub fn pos(&self) -> Pos {
        self.at.pos
    }

    pub fn line(&self) -> u32 {
        self.at.pos.line
    }

    pub fn column(&self) -> u32 {
        self.at.pos.column
    }

    pub fn field(&self) -> &str {
        &self.at.field
    }

    /// The other file the finding points into, by name.
    pub fn file(&self) -> Option<&str> {
        self.at.file.as_ref().map(|f| f.name.as_str())
    }
}
