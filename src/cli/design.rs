//! The arguments of `design` and `size`.

use clap::{Args, ValueEnum};

use super::{parse_positive, preset_names, Suggest, TableFormat};

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
