//! Command glue: load, call the engine, emit. Each returns the exit status.

pub mod bom;
pub mod compare;
pub mod config;
pub mod design;
pub mod design_workloads;
pub mod diagram;
pub mod diff;
pub mod export;
pub mod import;
pub mod lint;
pub mod ordered;
pub mod profiles;
pub mod prompt;
pub mod quorum;
pub mod reference;
pub mod rules;
pub mod size;
pub mod size_workloads;
pub mod walk;
pub mod whatif;
pub mod write;

pub use write::write_atomic;

use std::borrow::Cow;
use std::cell::OnceCell;
use std::io::{IsTerminal, Write};

use crate::catalog::Catalog;
use crate::cli::{Cli, ColorChoice, Command};
use crate::report::Paint;

/// What a command needs from the environment.
pub struct Env {
    pub paint: Paint,
    /// Terminal width for tables, when stdout is a terminal.
    pub width: Option<u16>,
    /// `-q` (Quiet), `-v` (Verbose), or neither.
    pub verbosity: Verbosity,
    profiles_dir: Option<std::path::PathBuf>,
    catalog: OnceCell<Cow<'static, Catalog>>,
}

impl Env {
    /// The catalog: the built-in one, or a `--profiles-dir` laid over it,
    /// loaded when a command first needs it (`schema` never does).
    pub fn catalog(&self) -> Result<&Catalog, crate::catalog::CatalogError> {
        if let Some(c) = self.catalog.get() {
            return Ok(c);
        }
        let c = match &self.profiles_dir {
            Some(dir) => Cow::Owned(Catalog::with_overrides(dir)?),
            None => Cow::Borrowed(Catalog::builtin()),
        };
        Ok(self.catalog.get_or_init(|| c))
    }
}

/// `-q`: notes are not printed (set once, as the command line is read).
static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// A note on stderr (`kubeplan: note: …`, `kubeplan: wrote …`), unless `-q`.
pub fn note(line: impl std::fmt::Display) {
    if !QUIET.load(std::sync::atomic::Ordering::Relaxed) {
        eprintln!("{line}");
    }
}

/// How much a command says beyond its results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verbosity {
    /// Results, findings and errors only.
    Quiet,
    #[default]
    Normal,
    /// Also what was read, skipped and assumed (stderr).
    Verbose,
}

impl Env {
    pub fn quiet(&self) -> bool {
        self.verbosity == Verbosity::Quiet
    }

    /// A line of `-v` output, on stderr.
    pub fn say(&self, line: impl std::fmt::Display) {
        if self.verbosity == Verbosity::Verbose {
            eprintln!("kubeplan: {line}");
        }
    }
}

/// Exit statuses (`docs/guide.md`, Exit status).
pub mod exit {
    pub const OK: u8 = 0;
    pub const FINDINGS: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const INTERRUPTED: u8 = 130;
}

/// Whether to colour stdout.
pub fn color_enabled(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Writes results to stdout; a closed pipe (`kubeplan rules | head`) is not an error.
pub fn emit(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// What the user supplied of the facts a cluster file does not hold.
pub fn supply(facts: &crate::cli::FactArgs, env: &Env) -> anyhow::Result<crate::import::Supply> {
    let answers = match &facts.answers {
        Some(path) => {
            let qs = env.catalog()?.questions();
            Some(crate::questionnaire::resolve::file_layer(path, qs)?)
        }
        None => None,
    };
    Ok(crate::import::Supply {
        purpose: facts.purpose,
        answers,
        pods: facts.pods,
        pod_cpu: facts.pod_cpu,
        pod_memory_gib: facts.pod_memory,
        machines: facts.machine.clone(),
        zones: facts.zones.clone(),
        control_plane_nodes: facts.control_plane_nodes,
        worker_nodes: facts.worker_nodes,
        vars: facts.vars.iter().cloned().collect(),
    })
}

/// Reads every document of a file (or stdin), in any format kubeplan
/// reads, with what the user supplied filled in.
pub fn read_documents(
    path: &str,
    facts: &crate::cli::FactArgs,
    env: &Env,
) -> anyhow::Result<Vec<crate::plan::Document>> {
    Ok(read_cluster(path, facts, env)?.0)
}

/// A cluster snapshot (a running cluster's nodes and pods), read streaming
/// with progress on a terminal.
pub fn read_snapshot(
    name: &str,
    paths: &[String],
) -> Result<crate::workloads::snapshot::Snapshot, crate::plan::LoadError> {
    let total: u64 = paths
        .iter()
        .flat_map(|p| crate::workloads::read::expand(p).unwrap_or_default())
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let bar = match std::io::IsTerminal::is_terminal(&std::io::stderr()) && total > 64 << 20 {
        true => indicatif::ProgressBar::new(total),
        false => indicatif::ProgressBar::hidden(),
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} reading the snapshot {bytes}/{total_bytes} {wide_bar} {eta}",
    ) {
        bar.set_style(style);
    }
    let snap = crate::workloads::snapshot::read(name, paths, &mut |b| bar.set_position(b));
    bar.finish_and_clear();
    snap
}

/// Every document of a file, folder or stdin, and the snapshot when it is
/// a running cluster's (its pods are the workloads).
pub fn read_cluster(
    path: &str,
    facts: &crate::cli::FactArgs,
    env: &Env,
) -> anyhow::Result<(
    Vec<crate::plan::Document>,
    Option<std::sync::Arc<crate::workloads::snapshot::Snapshot>>,
)> {
    env.say(format!("reading {path}"));
    let supply = supply(facts, env)?;
    let c = env.catalog()?;
    if crate::workloads::snapshot::is_snapshot(path) {
        let snap = read_snapshot(path, &[path.to_string()])?;
        let docs = crate::import::snapshot_documents(&snap, &supply, c);
        return Ok((docs, Some(std::sync::Arc::new(snap))));
    }
    use crate::workloads::snapshot::{stdin, Input};
    let source = match path {
        "-" => match stdin()? {
            Input::Snapshot(snap) => {
                let docs = crate::import::snapshot_documents(&snap, &supply, c);
                return Ok((docs, Some(std::sync::Arc::new(snap))));
            }
            Input::Text(source) => source,
        },
        _ => crate::plan::load::read_source(path)?,
    };
    let snap = match crate::workloads::snapshot::looks_like(source.text.as_bytes()) {
        true => Some(std::sync::Arc::new(
            crate::workloads::snapshot::from_source(&source)?,
        )),
        false => None,
    };
    Ok((crate::import::documents(source, &supply, c)?, snap))
}

/// Reads every plan of a file (or stdin), in any format kubeplan reads; a
/// document that is no plan is an input error naming its first problem. A
/// plan that does not know some facts says so on stderr.
pub fn read_plans(
    path: &str,
    facts: &crate::cli::FactArgs,
    env: &Env,
) -> anyhow::Result<Vec<crate::plan::ClusterPlan>> {
    let docs = read_documents(path, facts, env)?;
    plans_of(path, docs)
}

/// The plans of read documents (see [`read_plans`]).
pub fn plans_of(
    path: &str,
    docs: Vec<crate::plan::Document>,
) -> anyhow::Result<Vec<crate::plan::ClusterPlan>> {
    let n = docs.len();
    docs.into_iter()
        .map(|d| match d.plan {
            Some(p) => Ok(p),
            None => {
                let i = &d.issues[0];
                let which = match n {
                    1 => String::new(),
                    n => format!(" (document {} of {n})", d.index + 1),
                };
                let hint = match i.kind {
                    crate::plan::schema::IssueKind::NoCluster => String::new(),
                    _ => format!(" (run `kubeplan lint {path}` for every problem)"),
                };
                anyhow::bail!(
                    "{}:{}:{}: {}{which}{hint}",
                    d.source.name,
                    i.problem.at.pos.line,
                    i.problem.at.pos.column,
                    i.problem.message
                )
            }
        })
        .collect()
}

/// The facts a command that counts machines needs (diagram).
pub(crate) const COUNTS: &[crate::plan::Fact] = &[
    crate::plan::Fact::ControlPlane,
    crate::plan::Fact::Etcd,
    crate::plan::Fact::Workers,
];

/// The facts a command that sizes machines needs (bom, whatif, export, diff).
pub(crate) const MACHINES: &[crate::plan::Fact] = &[
    crate::plan::Fact::ControlPlane,
    crate::plan::Fact::Etcd,
    crate::plan::Fact::Workers,
    crate::plan::Fact::Machines,
];

/// Refuses a plan that does not know a fact `command` computes from (a
/// stand-in count or size would make its answer up), naming the flags
/// that supply them; else notes, in one stderr line, what else it does not
/// know.
pub(crate) fn checked(
    file: &str,
    plan: &crate::plan::ClusterPlan,
    locs: Option<&crate::plan::schema::Locations>,
    needs: &[crate::plan::Fact],
    command: &str,
) -> anyhow::Result<()> {
    require(file, plan, locs, needs, command)?;
    note_unknown(file, plan);
    Ok(())
}

/// The plans of a file, each [`checked`] for the facts `command` needs
/// (the error says why a fact is missing where the importer knows).
pub(crate) fn read_checked(
    path: &str,
    facts: &crate::cli::FactArgs,
    env: &Env,
    needs: &[crate::plan::Fact],
    command: &str,
) -> anyhow::Result<Vec<crate::plan::ClusterPlan>> {
    checked_documents(path, read_documents(path, facts, env)?, needs, command)
}

/// [`read_checked`] of documents already read.
pub(crate) fn checked_documents(
    path: &str,
    docs: Vec<crate::plan::Document>,
    needs: &[crate::plan::Fact],
    command: &str,
) -> anyhow::Result<Vec<crate::plan::ClusterPlan>> {
    if docs.iter().all(|d| d.plan.is_some()) {
        for d in &docs {
            if let Some(p) = &d.plan {
                checked(path, p, Some(&d.locs), needs, command)?;
            }
        }
    }
    plans_of(path, docs)
}

fn require(
    file: &str,
    plan: &crate::plan::ClusterPlan,
    locs: Option<&crate::plan::schema::Locations>,
    needs: &[crate::plan::Fact],
    command: &str,
) -> anyhow::Result<()> {
    let missing: Vec<crate::plan::Fact> =
        needs.iter().copied().filter(|f| !plan.knows(*f)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let what = plan
        .metadata
        .annotations
        .imported_from
        .as_ref()
        .map_or_else(|| "the plan".to_string(), |f| crate::prose::a(f));
    let list: Vec<String> = missing
        .iter()
        .map(|f| {
            let why = locs
                .and_then(|l| l.origins())
                .and_then(|o| o.reason(*f))
                .map_or(String::new(), |r| format!(" ({r})"));
            format!("{}{why} — {}", f.describe(), f.supply())
        })
        .collect();
    anyhow::bail!(
        "`kubeplan {command}` needs what {file} ({what}) does not say: {}",
        list.join("; ")
    )
}

/// One stderr line for a plan that does not know some facts (another
/// tool's file): what the output below cannot take into account.
pub(crate) fn note_unknown(file: &str, plan: &crate::plan::ClusterPlan) {
    use crate::plan::Fact;
    let unknown: Vec<Fact> = plan
        .unknown_facts()
        .into_iter()
        .filter(|f| !matches!(f, Fact::Purpose | Fact::Storage))
        .collect();
    if unknown.is_empty() {
        return;
    }
    let what = plan
        .metadata
        .annotations
        .imported_from
        .as_ref()
        .map_or_else(|| "the plan".to_string(), |f| crate::prose::a(f));
    let list: Vec<&str> = unknown.iter().map(|f| f.describe()).collect();
    note(format!(
        "kubeplan: note: {file} is {what}; it does not say {} (`kubeplan lint {file}` shows how to supply them)",
        list.join(", ")
    ));
}

/// The width tables are laid out for: `COLUMNS` when set (as shells and
/// `ls` honour it), else the terminal's, else 160 for a file or pipe.
fn width(stdout_tty: bool) -> Option<u16> {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok());
    match (columns, stdout_tty) {
        (Some(c), _) if c > 0 => Some(c),
        (_, true) => crossterm::terminal::size().ok().map(|(w, _)| w),
        _ => Some(160),
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    let stdout_tty = std::io::stdout().is_terminal();
    QUIET.store(cli.quiet, std::sync::atomic::Ordering::Relaxed);
    let env = Env {
        paint: Paint {
            enabled: color_enabled(cli.color, stdout_tty),
        },
        width: width(stdout_tty),
        verbosity: match (cli.quiet, cli.verbose) {
            (true, _) => Verbosity::Quiet,
            (_, true) => Verbosity::Verbose,
            _ => Verbosity::Normal,
        },
        profiles_dir: cli.profiles_dir.clone(),
        catalog: OnceCell::new(),
    };
    match cli.command {
        Command::Design(a) => design::run(&a, &env),
        Command::Profiles(a) => profiles::run(&a, &env),
        Command::Lint(a) => lint::run(&a, &env),
        Command::Bom(a) => bom::run(&a, &env),
        Command::Import(a) => import::run(&a, &env),
        Command::Export(a) => export::run(&a, &env),
        Command::Size(a) => size::run(&a, &env),
        Command::Quorum(a) => quorum::run(&a, &env),
        Command::Whatif(a) => whatif::run(&a, &env),
        Command::Diagram(a) => diagram::run(&a, &env),
        Command::Diff(a) => diff::run(&a, &env),
        Command::Rules(a) => rules::rules(&a, &env),
        Command::Explain(a) => rules::explain(&a, &env),
        Command::Schema(a) => reference::schema(&a),
        Command::Completions(a) => reference::completions(&a),
    }
}
