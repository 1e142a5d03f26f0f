//! The command line (clap derive): the commands and global flags here,
//! the arguments of the commands that read cluster files in `files.rs`,
//! and of `design` and `size` in `design.rs`. `docs/guide.md` describes
//! them, with the exit statuses.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod design;
mod files;

pub use design::*;
pub use files::*;

#[derive(Debug, Parser)]
#[command(
    name = "kubeplan",
    version,
    long_version = crate::catalog::LONG_VERSION,
    about = "Design, lint and size Kubernetes clusters",
    long_about = "kubeplan designs Kubernetes clusters from a short questionnaire, lints cluster plans against Kubernetes' limits and etcd quorum math, and prints bills of materials.",
    after_help = "Examples:\n  kubeplan design --profile prod-aws --pods 3000\n  kubeplan lint docs/examples/\n  kubeplan lint eksctl-cluster.yaml --purpose production\n  kubeplan import inventory/mycluster/inventory.ini -o plan.yaml\n  kubeplan quorum --zones a=2,b=2,c=1\n  kubeplan explain etcd-even-members"
)]
pub struct Cli {
    /// When to use colour: auto (a terminal, unless NO_COLOR is set), always, never
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Read platform catalogs from this folder (kubernetes.yaml, platforms/NAME.yaml), over the built-in ones
    #[arg(long, global = true, value_name = "DIR")]
    pub profiles_dir: Option<PathBuf>,

    /// Print only results, findings and errors: no summary line, notes or progress
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Also say, on stderr, what was read, skipped and assumed
    #[arg(short, long, global = true)]
    pub verbose: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Answer the questionnaire and get a cluster design with the reason for every decision
    Design(Box<DesignArgs>),
    /// Check plans and other tools' cluster files (files, folders, or - for stdin) against the rule catalog
    Lint(LintArgs),
    /// Print the bill of materials of a plan (or of another tool's cluster file)
    Bom(BomArgs),
    /// Write the kubeplan plan of an eksctl, kOps, kubeadm, Kubespray or Cluster API file
    Import(ImportArgs),
    /// Write the configuration files a plan's installers read (etcd, haproxy, keepalived, kubeadm, eksctl, kOps, GKE, AKS, storage classes)
    Export(ExportArgs),
    /// How many nodes of which instance type for a workload, ranked by cost per pod
    Size(SizeArgs),
    /// Quorum and fault-tolerance table; zone-loss survival with --zones or --plan
    Quorum(QuorumArgs),
    /// What breaks, and for how long, when a zone, a node, an etcd member or a load balancer fails
    Whatif(WhatifArgs),
    /// Draw the plan's topology: zones, load balancers, control plane, etcd, worker pools
    Diagram(DiagramArgs),
    /// What changed between two plans: machines, vCPU, memory, cost, etcd, zones, findings
    Diff(DiffArgs),
    /// List the rule catalog
    Rules(RulesArgs),
    /// Show one rule's rationale, example and fix
    Explain(ExplainArgs),
    /// The built-in questionnaire presets and platform catalogs (from profiles/)
    Profiles(ProfilesArgs),
    /// Print the JSON Schema (draft-07) of the plan file, or of `export`'s addresses file
    Schema(SchemaArgs),
    /// Print a shell completion script
    Completions(CompletionsArgs),
}

#[derive(Debug, Clone, Args)]
pub struct SchemaArgs {
    /// Which file's schema
    #[arg(value_enum, default_value_t = SchemaKind::Plan)]
    pub file: SchemaKind,
    /// The schema of a command's --format json output instead
    #[arg(long, value_enum, value_name = "COMMAND")]
    pub output: Option<crate::report::schemas::Output>,
}

/// The files kubeplan reads that have a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// A ClusterPlan (`kubeplan/v1`)
    Plan,
    /// The hosts file of `kubeplan export --addresses`
    Addresses,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct QuorumArgs {
    /// Member counts to show (default 1..7)
    #[arg(value_name = "N", value_parser = clap::value_parser!(u32).range(1..=99))]
    pub members: Vec<u32>,
    /// Members per zone, e.g. a=2,b=2,c=1: can the cluster lose any one zone?
    #[arg(long, value_name = "ZONE=N,...", conflicts_with_all = ["plan", "members"])]
    pub zones: Option<String>,
    /// Take the etcd members and their zones from a plan file (or another tool's cluster file)
    #[arg(long, value_name = "FILE", conflicts_with = "members")]
    pub plan: Option<String>,
    /// With --plan: a Cluster API template variable's value (repeat)
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = crate::import::supply::parse_var, requires = "plan")]
    pub vars: Vec<(String, String)>,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format (markdown prints docs/rules.md)
    #[arg(long, short, value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule id, e.g. etcd-even-members
    #[arg(value_parser = Suggest(rule_ids), hide_possible_values = true)]
    pub rule: String,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ProfilesArgs {
    /// A preset or platform to show in full
    pub name: Option<String>,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = ProfilesFormat::Table)]
    pub format: ProfilesFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProfilesFormat {
    Table,
    Json,
    Yaml,
}

/// Any text, with the values a shell should offer for it: the command checks
/// the value itself (with a did-you-mean), so a user's own preset from
/// `--profiles-dir` is not refused here.
#[derive(Clone)]
pub struct Suggest(pub fn() -> Vec<&'static str>);

impl clap::builder::TypedValueParser for Suggest {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            (self.0)()
                .into_iter()
                .map(clap::builder::PossibleValue::new),
        ))
    }
}

/// Every rule id (`explain`'s completions).
fn rule_ids() -> Vec<&'static str> {
    crate::lint::RULES.iter().map(|r| r.id).collect()
}

/// The built-in presets (`--profile`'s completions).
fn preset_names() -> Vec<&'static str> {
    crate::catalog::Catalog::builtin()
        .presets()
        .keys()
        .map(String::as_str)
        .collect()
}

fn parse_positive(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() && v <= 1024.0 => Ok(v),
        Ok(_) => Err("must be a number above 0 and at most 1024".into()),
        Err(_) => Err(format!("`{s}` is not a number")),
    }
}
