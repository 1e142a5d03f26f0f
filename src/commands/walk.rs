//! The files `lint` reads. A file named on the command line is read as
//! given; a folder is walked as ripgrep and ruff walk one: hidden files and
//! folders, and what `.gitignore` (or `.ignore`) leaves out, are not
//! entered, nor anything `--exclude` or a config's `exclude:` names.

use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::anyhow;

use super::config::{Configs, Loaded};

/// One file to lint, with the settings in force for it.
pub struct Entry {
    pub name: String,
    pub config: Arc<Loaded>,
    /// Found in a folder walk (not named): skipped, not refused, when it
    /// is none of the formats kubeplan reads.
    pub walked: bool,
}

/// What leaves files out of a run.
#[derive(Clone)]
pub struct Excludes {
    pub configs: Arc<Configs>,
    /// `--exclude`: globs relative to the working folder, or a bare name.
    pub globs: Vec<glob::Pattern>,
    /// `--force-exclude`: named files are left out too.
    pub force: bool,
}

impl Excludes {
    pub fn new(configs: Arc<Configs>, globs: &[String], force: bool) -> anyhow::Result<Excludes> {
        let globs = globs
            .iter()
            .map(|g| glob::Pattern::new(g).map_err(|e| anyhow!("--exclude `{g}`: {e}")))
            .collect::<anyhow::Result<_>>()?;
        Ok(Excludes {
            configs,
            globs,
            force,
        })
    }

    /// Whether `path` is left out, and the settings it is read with.
    fn check(&self, path: &str) -> anyhow::Result<(bool, Arc<Loaded>)> {
        let loaded = self.configs.of(path)?;
        let given = path.trim_start_matches("./");
        let by_flag = super::config::matches_any(&self.globs, given);
        Ok((by_flag || loaded.excludes(path), loaded))
    }

    /// A named file: read unless `--force-exclude` leaves it out.
    pub fn named(&self, path: &str) -> anyhow::Result<Option<Entry>> {
        let (out, config) = match path {
            "-" => (false, self.configs.root()?),
            _ => self.check(path)?,
        };
        Ok((!(out && self.force)).then(|| Entry {
            name: path.to_string(),
            config,
            walked: false,
        }))
    }

    /// The YAML files and Ansible INI inventories below `dir`, sorted.
    pub fn walk(&self, dir: &str) -> anyhow::Result<Vec<Entry>> {
        let failed: Arc<Mutex<Option<anyhow::Error>>> = Arc::default();
        let mut b = ignore::WalkBuilder::new(dir);
        b.hidden(true)
            .git_ignore(true)
            .git_exclude(true)
            .git_global(false)
            .require_git(false)
            .parents(true);
        let this = self.clone();
        let err = failed.clone();
        b.filter_entry(move |e| {
            if e.depth() == 0 {
                return true;
            }
            let name = e.file_name().to_string_lossy();
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            // An inventory's variables, read with the inventory.
            if is_dir && matches!(name.as_ref(), "group_vars" | "host_vars") {
                return false;
            }
            match this.check(&e.path().to_string_lossy()) {
                Ok((out, _)) => !out,
                Err(x) => {
                    if let Ok(mut f) = err.lock() {
                        f.get_or_insert(x);
                    }
                    false
                }
            }
        });
        let mut found = Vec::new();
        for e in b.build() {
            let e = e.map_err(|x| anyhow!("{dir}: {}", walk_reason(&x)))?;
            if e.file_type().is_some_and(|t| t.is_file()) && wanted(e.path()) {
                found.push(e.path().to_string_lossy().into_owned());
            }
        }
        if let Some(x) = failed.lock().ok().and_then(|mut f| f.take()) {
            return Err(x);
        }
        // In path order, folder by folder (`a/x` before `a-b/x`).
        found.sort_by(|a, b| Path::new(a).cmp(Path::new(b)));
        found
            .into_iter()
            .map(|name| {
                let config = self.configs.of(&name)?;
                Ok(Entry {
                    name,
                    config,
                    walked: true,
                })
            })
            .collect()
    }
}

/// A `.yaml`/`.yml` file, or an Ansible INI inventory (`inventory.ini`,
/// `hosts.ini`, or any `.ini` beside a `group_vars` folder).
fn wanted(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    match path.extension().and_then(|e| e.to_str()) {
        Some("yaml" | "yml") => true,
        Some("ini") => {
            matches!(name.as_deref(), Some("inventory.ini" | "hosts.ini"))
                || path.parent().is_some_and(|d| d.join("group_vars").is_dir())
        }
        _ => false,
    }
}

fn walk_reason(e: &ignore::Error) -> String {
    match e.io_error().map(std::io::Error::kind) {
        Some(std::io::ErrorKind::NotFound) => "no such file or directory".into(),
        Some(std::io::ErrorKind::PermissionDenied) => "permission denied".into(),
        _ => e.to_string(),
    }
}
