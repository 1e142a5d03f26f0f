//! `.kubeplan.yaml` (or `.kubeplan.yml`): lint settings for a repository —
//! rule levels, files a rule does not apply to, files not linted at all,
//! the failing severity. Each file's settings are the nearest config from
//! its own folder upward, as ruff finds its settings (or `lint --config
//! FILE` for every file); flags win over it.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{anyhow, bail};
use serde::{Deserialize, Serialize};

use crate::cli::FailOn;
use crate::diag::Severity;
use crate::lint::DocReport;

/// The file names searched for, from a file's folder upward; in one
/// folder the first wins.
pub const FILES: [&str; 2] = [".kubeplan.yaml", ".kubeplan.yml"];

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
    /// Files and folders (globs, relative to the config's folder, or a
    /// bare name matched anywhere) a folder walk does not enter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_on: Option<FailOn>,
}

/// The config file in `dir`, when it has one.
fn in_dir(dir: &Path) -> Option<PathBuf> {
    FILES.iter().map(|f| dir.join(f)).find(|p| p.is_file())
}

/// `path` made absolute against the working folder (no symlink resolved).
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// A config in force: its settings, its file, and the folder its globs
/// are relative to.
#[derive(Debug, Default)]
pub struct Loaded {
    pub config: LintConfig,
    pub path: Option<PathBuf>,
    pub dir: PathBuf,
}

impl Loaded {
    /// `file` relative to the config's folder (as given when outside it).
    pub fn relative(&self, file: &str) -> String {
        let abs = absolute(Path::new(file));
        match abs.strip_prefix(&self.dir) {
            Ok(rel) => rel.to_string_lossy().into_owned(),
            Err(_) => file.trim_start_matches("./").to_string(),
        }
    }

    /// Whether `path` (or a folder it is in) is left out (`exclude:`).
    pub fn excludes(&self, path: &str) -> bool {
        let globs: Vec<glob::Pattern> = self
            .config
            .exclude
            .iter()
            .filter_map(|g| glob::Pattern::new(g).ok())
            .collect();
        matches_any(&globs, &self.relative(path))
    }
}

/// Whether a glob matches `rel` or one of its folders, as a path or by
/// its last name (`charts` leaves out every folder named so).
pub fn matches_any(globs: &[glob::Pattern], rel: &str) -> bool {
    Path::new(rel)
        .ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .any(|a| {
            let name = a.file_name().map(|n| n.to_string_lossy());
            let path = a.to_string_lossy();
            globs
                .iter()
                .any(|g| g.matches(&path) || name.as_ref().is_some_and(|n| g.matches(n)))
        })
}

/// Every file's config, found once per folder: `--config` for all, else
/// the nearest config file from the file's folder upward.
#[derive(Debug)]
pub struct Configs {
    explicit: Option<Arc<Loaded>>,
    found: Mutex<HashMap<PathBuf, Arc<Loaded>>>,
}

impl Configs {
    pub fn new(explicit: Option<&Path>) -> anyhow::Result<Configs> {
        let explicit = match explicit {
            Some(p) => Some(Arc::new(LintConfig::load_file(p)?)),
            None => None,
        };
        Ok(Configs {
            explicit,
            found: Mutex::default(),
        })
    }

    /// The config of the working folder: the run's failing severity and
    /// `--print-config`.
    pub fn root(&self) -> anyhow::Result<Arc<Loaded>> {
        self.of_dir(&absolute(Path::new(".")))
    }

    /// The config of the folder holding `path` (a file or a folder).
    pub fn of(&self, path: &str) -> anyhow::Result<Arc<Loaded>> {
        let abs = absolute(Path::new(path));
        self.of_dir(abs.parent().unwrap_or(&abs))
    }

    fn of_dir(&self, dir: &Path) -> anyhow::Result<Arc<Loaded>> {
        if let Some(e) = &self.explicit {
            return Ok(e.clone());
        }
        if let Some(l) = self.found.lock().ok().and_then(|m| m.get(dir).cloned()) {
            return Ok(l);
        }
        let loaded = match (in_dir(dir), dir.parent()) {
            (Some(file), _) => Arc::new(LintConfig::load_file(&file)?),
            (None, Some(up)) => self.of_dir(up)?,
            (None, None) => Arc::new(Loaded {
                dir: dir.to_path_buf(),
                ..Loaded::default()
            }),
        };
        if let Ok(mut m) = self.found.lock() {
            m.insert(dir.to_path_buf(), loaded.clone());
        }
        Ok(loaded)
    }
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
    /// The config in one file, checked.
    pub fn load_file(path: &Path) -> anyhow::Result<Loaded> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            let why = match e.kind() {
                std::io::ErrorKind::NotFound => "no such file".to_string(),
                std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                std::io::ErrorKind::IsADirectory => "is a folder, not a config file".to_string(),
                _ => e.to_string(),
            };
            anyhow!("{}: {why}", path.display())
        })?;
        let c: LintConfig = serde_saphyr::from_str(&text).map_err(|e| {
            anyhow!(
                "{}: {}",
                path.display(),
                e.to_string().lines().next().unwrap_or("")
            )
        })?;
        let globs = c.ignore.iter().map(|i| ("ignore path", &i.path));
        for (what, g) in globs.chain(c.exclude.iter().map(|g| ("exclude", g))) {
            if let Err(e) = glob::Pattern::new(g) {
                bail!("{}: {what} `{g}`: {e}", path.display());
            }
        }
        warn_unknown(path, &c);
        let abs = absolute(path);
        Ok(Loaded {
            config: c,
            dir: abs.parent().map(Path::to_path_buf).unwrap_or_default(),
            path: Some(path.to_path_buf()),
        })
    }

    /// Applies the rule levels and the ignores of `file` to a report;
    /// `rel` is the file relative to the config's folder.
    pub fn apply(&self, file: &str, rel: &str, report: &mut DocReport) {
        let name = file.trim_start_matches("./");
        let ignored: Vec<&Ignore> = self
            .ignore
            .iter()
            .filter(|i| {
                glob::Pattern::new(&i.path)
                    .is_ok_and(|g| g.matches(rel) || g.matches(name) || g.matches(file))
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
            None => format!("# lint settings: no {} found (defaults)\n", FILES[0]),
        };
        Ok(format!("{origin}{}", serde_saphyr::to_string(&shown)?))
    }
}
