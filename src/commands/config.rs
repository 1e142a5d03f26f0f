//! `.kubeplan.yaml`: lint settings for a repository — rule levels, files a
//! rule does not apply to, the failing severity. Found upward from the
//! current folder (or `lint --config FILE`); flags win over it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail};
use serde::{Deserialize, Serialize};

use crate::cli::FailOn;
use crate::diag::Severity;
use crate::lint::DocReport;

/// The file name searched for, from the current folder upward.
pub const FILE: &str = ".kubeplan.yaml";

/// A rule's level in the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Info,
    Warning,
    Error,
}

/// Files (a glob, relative to the folder the plans are named from) where
/// some rules (or, with none listed, every rule) are not reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ignore {
    pub path: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LintConfig {
    #[serde(default)]
    pub rules: BTreeMap<String, Level>,
    #[serde(default)]
    pub ignore: Vec<Ignore>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_on: Option<FailOn>,
}

/// The nearest `.kubeplan.yaml` from `start` upward.
fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(FILE))
        .find(|p| p.is_file())
}

/// Unknown rule ids in the config: a warning each, naming the closest id.
fn warn_unknown(path: &Path, c: &LintConfig) {
    let ids = || crate::lint::RULES.iter().map(|r| r.id);
    let named = c.rules.keys().chain(c.ignore.iter().flat_map(|i| &i.rules));
    for id in named.filter(|id| !ids().any(|r| r == id.as_str())) {
        let hint = match crate::prose::closest(id, ids()) {
            Some(best) => format!("; did you mean `{best}`?"),
            None => "; `kubeplan rules` lists the ids".into(),
        };
        eprintln!(
            "kubeplan: warning: {}: `{id}` is no rule{hint}",
            path.display()
        );
    }
}

impl LintConfig {
    /// The config in force: `explicit`, else the nearest `.kubeplan.yaml`,
    /// else the defaults. Returns where it came from.
    pub fn load(explicit: Option<&Path>) -> anyhow::Result<(LintConfig, Option<PathBuf>)> {
        let path = match explicit {
            Some(p) => Some(p.to_path_buf()),
            None => std::env::current_dir().ok().as_deref().and_then(find),
        };
        let Some(path) = path else {
            return Ok((LintConfig::default(), None));
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|e| anyhow!("{}: {}", path.display(), e.kind()))?;
        let c: LintConfig = serde_saphyr::from_str(&text).map_err(|e| {
            anyhow!(
                "{}: {}",
                path.display(),
                e.to_string().lines().next().unwrap_or("")
            )
        })?;
        for i in &c.ignore {
            if let Err(e) = glob::Pattern::new(&i.path) {
                bail!("{}: ignore path `{}`: {e}", path.display(), i.path);
            }
        }
        warn_unknown(&path, &c);
        Ok((c, Some(path)))
    }

    /// Applies the rule levels and the ignores of `file` to a report.
    pub fn apply(&self, file: &str, report: &mut DocReport) {
        let name = file.trim_start_matches("./");
        let ignored: Vec<&Ignore> = self
            .ignore
            .iter()
            .filter(|i| {
                glob::Pattern::new(&i.path).is_ok_and(|g| g.matches(name) || g.matches(file))
            })
            .collect();
        let before = report.findings.len();
        report.findings.retain(|f| {
            let off = self.rules.get(f.rule) == Some(&Level::Off);
            let skip = ignored
                .iter()
                .any(|i| i.rules.is_empty() || i.rules.iter().any(|r| r == f.rule));
            !(off || skip)
        });
        report.ignored += before - report.findings.len();
        for f in &mut report.findings {
            f.severity = match self.rules.get(f.rule) {
                Some(Level::Info) => Severity::Info,
                Some(Level::Warning) => Severity::Warning,
                Some(Level::Error) => Severity::Error,
                _ => f.severity,
            };
        }
    }

    /// `--print-config`: the settings in force, as YAML.
    pub fn print(&self, from: Option<&Path>, fail_on: FailOn) -> anyhow::Result<String> {
        let mut shown = self.clone();
        shown.fail_on = Some(fail_on);
        let origin = match from {
            Some(p) => format!("# lint settings from {}\n", p.display()),
            None => format!("# lint settings: no {FILE} found (defaults)\n"),
        };
        Ok(format!("{origin}{}", serde_saphyr::to_string(&shown)?))
    }
}
