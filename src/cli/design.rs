//! The arguments of `design` and `size`.

use clap::{Args, ValueEnum};

use super::{parse_positive, preset_names, Suggest, TableFormat};

#[derive(Debug, Args)]
pub struct SizeArgs {
    /// Where the cluster runs (with --node-template: optional)
    #[arg(long, value_parser = parse_platform, required_unless_present = "node_template")]
    pub platform: Option<crate::plan::Platform>,
    /// Size for the workloads of Kubernetes manifests (a file, a folder, or -; repeatable):
    /// Deployments, StatefulSets, DaemonSets, Jobs, … as `helm template` or `kustomize build` print them
    #[arg(long, value_name = "PATH")]
    pub workloads: Vec<String>,
    /// With --workloads: a Kubernetes Node whose allocatable, labels and taints new nodes copy
    /// ("how many nodes like this one?")
    #[arg(
        long,
        value_name = "NODE.yaml",
        requires = "workloads",
        conflicts_with = "instance_type"
    )]
    pub node_template: Option<String>,
    /// With --workloads: Node objects that already exist (a List, a NodeList or single Nodes);
    /// pods go there first and the answer is the nodes to add
    #[arg(long, value_name = "NODES", requires = "workloads")]
    pub nodes: Vec<String>,
    /// Pods at peak (default 100, the questionnaire's; 1,000 and 1_000 read as 1000)
    #[arg(long, default_value_t = 100, value_parser = parse_pods)]
    pub pods: u64,
    /// Average CPU request per pod: cores or millicores (default 0.25, a web pod's; 250m is the same)
    #[arg(long, default_value_t = 0.25, value_parser = crate::units::parse_cores)]
    pub pod_cpu: f64,
    /// Average memory request per pod: GiB or a quantity (default 0.5, a web pod's; 512Mi is the same)
    #[arg(long, default_value_t = 0.5, value_parser = crate::units::parse_gib)]
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
    /// The region whose prices rank the types (default: the platform's, as `design` uses)
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Which instance types to rank
    #[command(flatten)]
    pub types: TypeArgs,
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
    /// How many choices to show (default: 10 in the table, every one in JSON; with --workloads, 5)
    #[arg(long)]
    pub top: Option<usize>,
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
    /// Take applications, pods and their requests from Kubernetes manifests (a file, a
    /// folder, or -; repeatable) and size the workers by packing their pods
    #[arg(long, value_name = "PATH")]
    pub workloads: Vec<String>,
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
    /// Also write the design report to FILE: a self-contained web page when FILE ends in
    /// .html (summary, decisions, topology, bill of materials, failures, costs), else Markdown
    #[arg(long, value_name = "FILE")]
    pub report: Option<std::path::PathBuf>,
    /// Design the same answers on each platform (default: every one) and print them side by
    /// side: control plane, workers, pods per node, monthly cost split, zone loss
    #[arg(long, value_name = "PLATFORM,...", value_delimiter = ',', num_args = 0.., value_parser = parse_platform, conflicts_with_all = ["output", "workloads", "platform", "save_answers"])]
    pub compare: Option<Vec<crate::plan::Platform>>,
    /// Go on with the answers an interrupted questionnaire kept (in kubeplan's state folder)
    #[arg(long, conflicts_with = "answers")]
    pub resume: bool,
    /// Print only the summary and the bill of materials
    #[arg(long, conflicts_with = "compare")]
    pub brief: bool,
    /// Overwrite the files of -o, --report and --save-answers if they exist
    #[arg(long)]
    pub force: bool,
    /// Which instance types the workers are ranked from
    #[command(flatten)]
    pub types: TypeArgs,
    /// Pin the workers' instance type (TYPE), or one pool's (POOL=TYPE, e.g. system=Standard_D4s_v5); repeatable
    #[arg(long, value_name = "[POOL=]TYPE", help_heading = "Instance types")]
    pub instance_type: Vec<String>,
    /// Your own machines: size the workers on servers of CPU vCPUs and GiB memory (e.g. 24,96)
    #[arg(long, value_name = "CPU,GIB", value_parser = parse_server, help_heading = "Instance types")]
    pub server: Option<(f64, f64)>,
}

/// Which instance types a ranking takes (`size`, `design`).
#[derive(Debug, Clone, Args)]
pub struct TypeArgs {
    /// Only these classes (general, compute, memory, burstable, entry, storage, accelerated, hpc, other) or series (m7g, Dsv5, n2); default general, compute and memory (and burstable for learning and development)
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "FAMILY,...",
        help_heading = "Instance types"
    )]
    pub family: Vec<String>,
    /// Leave out these classes or series
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "FAMILY,...",
        help_heading = "Instance types"
    )]
    pub exclude_family: Vec<String>,
    /// current: the provider's current generation only; any: previous-generation series too
    #[arg(long, value_enum, default_value_t = Generation::Current, help_heading = "Instance types")]
    pub generation: Generation,
    /// Types with at least this many vCPUs
    #[arg(long, value_name = "N", value_parser = parse_vcpu, help_heading = "Instance types")]
    pub min_vcpu: Option<f64>,
    /// Types with at most this many vCPUs
    #[arg(long, value_name = "N", value_parser = parse_vcpu, help_heading = "Instance types")]
    pub max_vcpu: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Generation {
    Current,
    Any,
}

impl TypeArgs {
    /// The filter these flags ask for (burstable types by purpose:
    /// [`crate::sizing::TypeFilter::for_purpose`]).
    pub fn filter(&self) -> crate::sizing::TypeFilter {
        crate::sizing::TypeFilter {
            families: self.family.clone(),
            exclude: self.exclude_family.clone(),
            any_generation: self.generation == Generation::Any,
            min_vcpu: self.min_vcpu,
            max_vcpu: self.max_vcpu,
            burstable: false,
        }
    }

    /// Every name of --family and --exclude-family must be a class or a
    /// series of the catalog.
    pub fn check(&self, types: &crate::catalog::instances::Instances) -> Result<(), String> {
        if self.family.is_empty() && self.exclude_family.is_empty() {
            return Ok(());
        }
        let series: Vec<String> = types
            .each()
            .filter_map(|t| t.series.as_deref().map(str::to_string))
            .collect();
        let mut known: Vec<&str> = crate::sizing::CLASSES.to_vec();
        known.extend(series.iter().map(String::as_str));
        known.sort_unstable();
        known.dedup();
        for f in self.family.iter().chain(&self.exclude_family) {
            if !known.iter().any(|k| k.eq_ignore_ascii_case(f)) {
                let hint =
                    crate::prose::did_you_mean(f, known.iter().copied()).unwrap_or_else(|| {
                        format!(
                            "a class ({}) or a series such as {}",
                            crate::sizing::CLASSES.join(", "),
                            known
                                .iter()
                                .rev()
                                .take(3)
                                .copied()
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    });
                return Err(format!(
                    "--family `{f}` is no class or series of the catalog; {hint}"
                ));
            }
        }
        Ok(())
    }
}

fn parse_vcpu(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v >= 0.0 && v.is_finite() => Ok(v),
        _ => Err(format!("`{s}` is not a vCPU count")),
    }
}

fn parse_server(s: &str) -> Result<(f64, f64), String> {
    let (cpu, mem) = s
        .split_once(',')
        .ok_or_else(|| format!("`{s}`: give CPU,GiB, e.g. 24,96"))?;
    match (parse_positive(cpu.trim()), mem.trim().parse::<f64>()) {
        (Ok(c), Ok(m)) if m > 0.0 && m.is_finite() => Ok((c, m)),
        _ => Err(format!(
            "`{s}`: give CPU,GiB as two numbers above 0, e.g. 24,96"
        )),
    }
}

pub fn parse_pods(s: &str) -> Result<u64, String> {
    match crate::units::parse_count(s)? {
        n @ 1..=100_000_000 => Ok(n),
        _ => Err(format!("`{s}` is not in 1..=100,000,000")),
    }
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
