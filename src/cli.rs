//! The command line (clap derive). Names, flags and exit codes are the
//! contract in `spec/cli.md`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diag::Severity;

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
    /// Write the configuration files a plan's installers read (etcd, haproxy, keepalived, kubeadm, storage classes)
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
pub enum LintFormat {
    Text,
    Json,
    Sarif,
    /// GitHub Actions workflow commands: an annotation per finding
    Github,
    /// JUnit XML: a test case per plan, a failure per finding that fails the run
    Junit,
}

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
    /// Pods the cluster must hold at peak
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100_000_000), help_heading = "Facts the file does not hold")]
    pub pods: Option<u64>,
    /// Average CPU request per pod, in cores (default by workload)
    #[arg(long, value_name = "CORES", value_parser = parse_positive, help_heading = "Facts the file does not hold")]
    pub pod_cpu: Option<f64>,
    /// Average memory request per pod, in GiB (default by workload)
    #[arg(long, value_name = "GIB", value_parser = parse_positive, help_heading = "Facts the file does not hold")]
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
    /// Read lint settings from FILE instead of the nearest .kubeplan.yaml
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Print the effective settings (config file, rule levels, ignores, failOn) and exit
    #[arg(long)]
    pub print_config: bool,
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
    /// Whether a finding of `s` fails the run.
    pub fn fails(self, s: Severity) -> bool {
        match self {
            FailOn::Error => s >= Severity::Error,
            FailOn::Warning => s >= Severity::Warning,
            FailOn::Info => s >= Severity::Info,
            FailOn::Never => false,
        }
    }
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

#[derive(Debug, Args)]
pub struct SizeArgs {
    /// Where the cluster runs
    #[arg(long, value_parser = parse_platform)]
    pub platform: crate::plan::Platform,
    /// Pods at peak
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    pub pods: u64,
    /// Average CPU request per pod, in cores (e.g. 0.25)
    #[arg(long, value_parser = parse_positive)]
    pub pod_cpu: f64,
    /// Average memory request per pod, in GiB (e.g. 0.5)
    #[arg(long, value_parser = parse_positive)]
    pub pod_memory: f64,
    /// Failure domains the workers spread over
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub zones: u32,
    /// Traffic pattern: burst adds headroom
    #[arg(long, value_parser = parse_traffic, default_value = "steady")]
    pub traffic: crate::plan::Traffic,
    /// Size only this instance type
    #[arg(long)]
    pub instance_type: Option<String>,
    /// EKS: size for VPC CNI prefix delegation (a /28 per address slot) instead of secondary IPs
    #[arg(long)]
    pub prefix_delegation: bool,
    /// Node CPU architecture to rank: amd64, arm64, or any
    #[arg(long, value_parser = parse_arch, default_value = "amd64")]
    pub arch: crate::plan::ArchChoice,
    /// What the cluster is for: production also survives losing the largest zone
    #[arg(long, value_parser = parse_purpose, default_value = "production")]
    pub purpose: crate::plan::Purpose,
    /// Self-managed control plane (upstream limits) instead of the provider's
    #[arg(long)]
    pub self_managed: bool,
    /// How many choices to show
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DesignFormat {
    Text,
    Json,
    Yaml,
    /// The shareable report: decisions, a Mermaid diagram, quorum, bill of materials, commands
    Markdown,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Answers come from flags, then --answers FILE, then --profile NAME; \
questions still open are asked in the terminal (or take their defaults with --yes).\n\n\
Examples:\n  kubeplan design\n  kubeplan design --profile prod-onprem --pods 2000 -o plan.yaml\n  \
kubeplan design --purpose development --platform aws --self-managed --workload web --apps 5 \\\n    \
--pods 200 --traffic steady --zones 1 --tolerate 0 --storage fast --format json"
)]
pub struct DesignArgs {
    /// The answers (one list in `questionnaire/fields.rs`)
    #[command(flatten)]
    pub given: crate::questionnaire::AnswerFlags,

    /// Read answers from a YAML file (- for stdin); flags override it
    #[arg(long, value_name = "FILE")]
    pub answers: Option<String>,
    /// Start from a preset of answers (`kubeplan profiles` lists them)
    #[arg(long, value_name = "NAME", value_parser = Suggest(preset_names), hide_possible_values = true)]
    pub profile: Option<String>,
    /// Write the resolved answers to FILE, to replay with --answers
    #[arg(long, value_name = "FILE")]
    pub save_answers: Option<std::path::PathBuf>,
    /// Take the default for every answer still missing, without asking
    #[arg(long, short)]
    pub yes: bool,
    /// Never prompt: fail naming the missing answers instead
    #[arg(long)]
    pub no_input: bool,
    /// The cluster name (default from purpose and platform, e.g. prod-aws)
    #[arg(long)]
    pub name: Option<String>,
    /// Output format of the recommendation
    #[arg(long, short, value_enum, default_value_t = DesignFormat::Text)]
    pub format: DesignFormat,
    /// Write the plan(s) to FILE (several clusters: one YAML document each)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// Also write the Markdown design report to FILE (as --format markdown prints it)
    #[arg(long, value_name = "FILE")]
    pub report: Option<std::path::PathBuf>,
    /// Overwrite the files of -o, --report and --save-answers if they exist
    #[arg(long)]
    pub force: bool,
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

fn parse_target(s: &str) -> Result<crate::export::Target, String> {
    s.parse()
}
fn parse_platform(s: &str) -> Result<crate::plan::Platform, String> {
    s.parse()
}
fn parse_traffic(s: &str) -> Result<crate::plan::Traffic, String> {
    s.parse()
}
fn parse_arch(s: &str) -> Result<crate::plan::ArchChoice, String> {
    s.parse()
}
fn parse_purpose(s: &str) -> Result<crate::plan::Purpose, String> {
    s.parse()
}
fn parse_positive(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() && v <= 1024.0 => Ok(v),
        Ok(_) => Err("must be a number above 0 and at most 1024".into()),
        Err(_) => Err(format!("`{s}` is not a number")),
    }
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
