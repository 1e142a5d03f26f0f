//! The arguments of the commands that read plans and other tools' cluster
//! files: lint, import, bom, export, diff, diagram, whatif, and the facts a
//! file does not hold.

use clap::{Args, ValueEnum};

use std::path::PathBuf;

use crate::diag::Severity;

pub use crate::report::lint::Format as LintFormat;

/// What a cluster file does not say, supplied by the user: another tool's
/// file (an eksctl ClusterConfig, a Kubespray inventory, …) never says what
/// the cluster is for or what it must hold. Each fills a fact the plan does
/// not know (`kubeplan.io/unknown`); a fact the file states is never
/// overridden.
#[derive(Debug, Clone, Default, Args)]
pub struct FactArgs {
    /// What the cluster is for (learning, development, testing, production), when the file does not say
    #[arg(long, value_parser = crate::questionnaire::fields::words::<crate::plan::Purpose>(), hide_possible_values = true, help_heading = "Facts the file does not hold")]
    pub purpose: Option<crate::plan::Purpose>,
    /// A `kubeplan design` answers file: the purpose and the workload (pods, requests)
    #[arg(
        long,
        value_name = "FILE",
        help_heading = "Facts the file does not hold"
    )]
    pub answers: Option<String>,
    /// Pods the cluster must hold at peak (1,000 and 1_000 read as 1000)
    #[arg(long, value_name = "N", value_parser = crate::cli::parse_pods, help_heading = "Facts the file does not hold")]
    pub pods: Option<u64>,
    /// Average CPU request per pod: cores or millicores, 250m (default by workload)
    #[arg(long, value_name = "CORES", value_parser = crate::units::parse_cores, help_heading = "Facts the file does not hold")]
    pub pod_cpu: Option<f64>,
    /// Average memory request per pod: GiB or a quantity, 512Mi (default by workload)
    #[arg(long, value_name = "GIB", value_parser = crate::units::parse_gib, help_heading = "Facts the file does not hold")]
    pub pod_memory: Option<f64>,
    /// A machine size: ROLE=CPU,GiB[,ssd|hdd|network]; ROLE is control-plane, etcd, workers or a pool's name (repeat)
    #[arg(long, value_name = "ROLE=CPU,GIB", value_parser = crate::import::supply::parse_machine, help_heading = "Facts the file does not hold")]
    pub machine: Vec<(String, crate::plan::Machine)>,
    /// The zones the machines are spread over, in order (comma-separated names)
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "ZONE,...",
        help_heading = "Facts the file does not hold"
    )]
    pub zones: Vec<String>,
    /// How many control-plane nodes join (kubeadm configurations do not say)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1000), help_heading = "Facts the file does not hold")]
    pub control_plane_nodes: Option<u32>,
    /// How many worker nodes join (kubeadm configurations do not say)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=100_000), help_heading = "Facts the file does not hold")]
    pub worker_nodes: Option<u32>,
    /// A Cluster API template variable's value, as clusterctl takes it from the environment (repeat)
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = crate::import::supply::parse_var, help_heading = "Facts the file does not hold")]
    pub vars: Vec<(String, String)>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Cluster files: an eksctl ClusterConfig, a kOps cluster (`kops get -o yaml`), a kubeadm configuration, a Kubespray inventory (INI or YAML, with its group_vars), Cluster API manifests; - for stdin
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
    /// Write the plan(s) to FILE instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// Overwrite the -o file if it exists
    #[arg(long)]
    pub force: bool,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = ImportFormat::Yaml)]
    pub format: ImportFormat,
    #[command(flatten)]
    pub facts: FactArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// The plan file, with a header naming its source and what it does not know
    Yaml,
    /// `{plans, sources}`: each plan with where it came from and its unknown facts
    Json,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Plan files or other tools' cluster files (eksctl, kOps, kubeadm, Kubespray, Cluster API), folders (every *.yaml/*.yml inside, and Kubespray *.ini inventories, recursively) or - for stdin
    #[arg(required_unless_present = "print_config", value_name = "PLAN")]
    pub paths: Vec<String>,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = LintFormat::Text)]
    pub format: LintFormat,
    /// The lowest severity that makes the exit status 1 (never: report only, exit 0) [default: error, or the config's failOn]
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Read lint settings from FILE for every file, instead of each file's nearest .kubeplan.yaml (or .kubeplan.yml)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Leave out of folder walks the files and folders matching GLOB (relative to the working folder, or a bare name such as `charts`; repeatable), as a config's `exclude:` does
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Apply the excludes to files named on the command line too (for pre-commit, which names every file)
    #[arg(long)]
    pub force_exclude: bool,
    /// Skip named files that are none of the formats kubeplan reads, as a folder walk does, instead of refusing them (for pre-commit)
    #[arg(long)]
    pub skip_unknown: bool,
    /// Print the effective settings (config file, rule levels, ignores, failOn) and exit
    #[arg(long)]
    pub print_config: bool,
    /// Kubernetes manifests the plans' workers must hold (a file, a folder, or -; repeatable):
    /// their pods are packed onto the workers as kube-scheduler places them
    #[arg(long, value_name = "PATH")]
    pub workloads: Vec<String>,
    #[command(flatten)]
    pub facts: FactArgs,
}

/// `lint --fail-on`: the findings that fail the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Error,
    Warning,
    Info,
    /// Report only: exit 0 whatever is found (2 still for unreadable input).
    Never,
}

impl FailOn {
    /// The least severity that fails the run (None: nothing does).
    pub fn least(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }

    /// Whether a finding of `s` fails the run.
    pub fn fails(self, s: Severity) -> bool {
        self.least().is_some_and(|at| s >= at)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BomFormat {
    Table,
    Csv,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The plan before (or another tool's cluster file)
    #[arg(value_name = "OLD")]
    pub old: String,
    /// The plan after (or another tool's cluster file)
    #[arg(value_name = "NEW")]
    pub new: String,
    /// Output format (markdown: for a pull request comment)
    #[arg(long, short, value_enum, default_value_t = WhatifFormat::Table)]
    pub format: WhatifFormat,
    /// Exit 1 when the new plan brings a finding at this severity or above
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on_new: Option<Severity>,
    #[command(flatten)]
    pub facts: FactArgs,
}

#[derive(Debug, Args)]
pub struct DiagramArgs {
    /// The plan file, or another tool's cluster file (- for stdin); a multi-document file draws one frame per plan
    #[arg(value_name = "PLAN")]
    pub plan: String,
    /// Output format: a self-contained SVG, a Mermaid flowchart, or Graphviz DOT
    #[arg(long, short, value_enum, default_value_t = DiagramFormat::Svg)]
    pub format: DiagramFormat,
    /// Write to this file instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// Overwrite the -o file if it exists
    #[arg(long)]
    pub force: bool,
    /// Do not outline lint findings in red
    #[arg(long)]
    pub no_findings: bool,
    #[command(flatten)]
    pub facts: FactArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagramFormat {
    Svg,
    Mermaid,
    Dot,
}

#[derive(Debug, Args)]
pub struct WhatifArgs {
    /// The plan file, or another tool's cluster file (- for stdin); every plan of a multi-document file
    #[arg(value_name = "PLAN")]
    pub plan: String,
    /// One scenario instead of all: zone=NAME, cp=N, etcd=N, lb=N, workers=POOL:N (N@ZONE for a zone); repeat to combine
    #[arg(long, value_name = "SCENARIO")]
    pub fail: Vec<String>,
    /// Without --fail: combine up to this many failures
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=4))]
    pub max_failures: u32,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = WhatifFormat::Table)]
    pub format: WhatifFormat,
    /// Exit 1 from this verdict of a single failure of a production plan (or of the --fail scenario) on
    #[arg(long, value_enum, default_value_t = FailOnVerdict::Down)]
    pub fail_on: FailOnVerdict,
    /// Kubernetes manifests the plan's workers hold (a file, a folder, or -; repeatable):
    /// each failure evicts their pods and re-places them; the pods that strand are named
    #[arg(long, value_name = "PATH")]
    pub workloads: Vec<String>,
    #[command(flatten)]
    pub facts: FactArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WhatifFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOnVerdict {
    Down,
    Degraded,
}

#[derive(Debug, Args)]
pub struct BomArgs {
    /// The plan file, or another tool's cluster file (- for stdin); every plan of a multi-document file
    #[arg(value_name = "PLAN")]
    pub plan: String,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = BomFormat::Table)]
    pub format: BomFormat,
    #[command(flatten)]
    pub facts: FactArgs,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The plan file, or another tool's cluster file (- for stdin); each plan of a multi-document file goes to its own folder
    #[arg(value_name = "PLAN")]
    pub plan: String,
    /// What to write, comma-separated: etcd, haproxy, keepalived, kubeadm, eksctl, kops, gke, aks, storage (default: every one that applies)
    #[arg(long, value_delimiter = ',', value_parser = parse_target, value_name = "TARGET,...")]
    pub to: Vec<crate::export::Target>,
    /// The folder to write into (default: ./CLUSTER-NAME/)
    #[arg(long, short = 'd', value_name = "DIR")]
    pub dir: Option<std::path::PathBuf>,
    /// Overwrite files that exist
    #[arg(long)]
    pub force: bool,
    /// The hosts' names and IPs, the virtual IP and its interface (YAML; see docs/export.md)
    #[arg(long, value_name = "FILE")]
    pub addresses: Option<String>,
    /// Export a plan that has lint errors
    #[arg(long)]
    pub allow_errors: bool,
    #[command(flatten)]
    pub facts: FactArgs,
}

fn parse_target(s: &str) -> Result<crate::export::Target, String> {
    s.parse()
}
