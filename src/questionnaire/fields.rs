//! The answers, declared once. The one list below generates the answers
//! file's fields and keys ([`PartialAnswers`], `--answers FILE`, its JSON
//! Schema), the resolved [`Answers`] the engine reads, and the command-line
//! flags ([`AnswerFlags`], `kubeplan design --help`, "Answers"). The prompts,
//! defaults and bounds of each answer are data, keyed by the same key, in
//! `profiles/questions.yaml`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::plan::{ArchChoice, Platform, Purpose, StorageNeed, Traffic, WorkloadKind};

/// Declares every answer: its field, the type a source gives and the type
/// the engine reads (with the function between them), its answers-file key,
/// and its flag (type, clap attributes, and the function to the answer).
macro_rules! answers {
    ($(
        $(#[doc = $doc:literal])*
        $field:ident: $given:ty => $resolved:ty = $resolve:path,
        key $key:literal, flag $flag:literal $flag_ty:ty = $from_flag:path,
        [$(#[$flag_attr:meta])*];
    )*) => {
        /// Answers as one source gives them: any of them may be missing.
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
        #[serde(deny_unknown_fields)]
        #[schemars(
            title = "kubeplan design answers",
            description = "Answers to the `kubeplan design` questionnaire (`--answers FILE`)."
        )]
        pub struct PartialAnswers {
            $(
                $(#[doc = $doc])*
                #[serde(rename = $key, default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$given>,
            )*
        }

        /// Every answer, resolved: what the recommendation engine reads.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub struct Answers {
            $(
                $(#[doc = $doc])*
                #[serde(rename = $key)]
                pub $field: $resolved,
            )*
        }

        /// The answers as flags of `kubeplan design`.
        #[derive(Debug, Clone, Default, clap::Args)]
        pub struct AnswerFlags {
            $(
                $(#[doc = $doc])*
                $(#[$flag_attr])*
                pub $field: $flag_ty,
            )*
        }

        /// Every answer's key and flag, in the order of the questionnaire.
        pub const FIELDS: &[(&str, &str)] = &[$(($key, $flag)),*];

        impl AnswerFlags {
            /// The answers the flags give.
            pub fn layer(&self) -> PartialAnswers {
                PartialAnswers { $($field: $from_flag(&self.$field),)* }
            }
        }

        impl PartialAnswers {
            /// This layer over a lower one: its answers win.
            pub fn over(&self, lower: &PartialAnswers) -> PartialAnswers {
                PartialAnswers {
                    $($field: self.$field.clone().or_else(|| lower.$field.clone()),)*
                }
            }

            /// One answer as JSON (None when missing or unknown).
            pub fn get(&self, key: &str) -> Option<Value> {
                match key {
                    $($key => self.$field.as_ref().and_then(|v| serde_json::to_value(v).ok()),)*
                    _ => None,
                }
            }

            /// Sets one answer from JSON, checked against its type.
            pub fn set(&mut self, key: &str, value: Value) -> Result<(), String> {
                match key {
                    $($key => {
                        self.$field = Some(serde_json::from_value(value).map_err(|e| e.to_string())?)
                    })*
                    _ => return Err(format!("no answer `{key}`")),
                }
                Ok(())
            }

            fn resolve_fields(&self) -> Result<Answers, Vec<&'static str>> {
                let ($(Some($field),)*) = ($(self.$field.clone(),)*) else {
                    return Err(FIELDS
                        .iter()
                        .map(|(k, _)| *k)
                        .filter(|k| self.get(k).is_none())
                        .collect());
                };
                Ok(Answers { $($field: $resolve($field),)* })
            }
        }
    };
}

answers! {
    /// What the cluster is for: learning, development, testing, production
    purpose: Purpose => Purpose = same, key "purpose", flag "--purpose" Option<Purpose> = Option::clone,
        [#[arg(long, value_parser = words::<Purpose>(), hide_possible_values = true, help_heading = "Answers")]];
    /// Where it runs
    platform: Platform => Platform = same, key "platform", flag "--platform" Option<Platform> = Option::clone,
        [#[arg(long, value_parser = words::<Platform>(), help_heading = "Answers")]];
    /// Cloud only: the provider's managed service runs the control plane; always false on your own machines
    managed: bool => bool = same, key "managed", flag "--managed / --self-managed" ManagedFlags = ManagedFlags::answer,
        [#[command(flatten)]];
    /// What runs on it: web, batch, big-data, analytics, stateful, mixed
    workload: WorkloadKind => WorkloadKind = same, key "workload", flag "--workload" Option<WorkloadKind> = Option::clone,
        [#[arg(long, value_parser = words::<WorkloadKind>(), hide_possible_values = true, help_heading = "Answers")]];
    /// How many applications
    apps: u64 => u64 = same, key "apps", flag "--apps" Option<u64> = Option::clone,
        [#[arg(long, value_name = "N", value_parser = crate::units::parse_count, help_heading = "Answers")]];
    /// Pods at peak, all applications together
    pods: u64 => u64 = same, key "pods", flag "--pods" Option<u64> = Option::clone,
        [#[arg(long, value_name = "N", value_parser = crate::units::parse_count, help_heading = "Answers")]];
    /// Network traffic pattern: steady, burst
    traffic: Traffic => Traffic = same, key "traffic", flag "--traffic" Option<Traffic> = Option::clone,
        [#[arg(long, value_parser = words::<Traffic>(), hide_possible_values = true, help_heading = "Answers")]];
    /// Cloud only: the region (auto: the platform's, us-east-1 / us-central1 / eastus)
    region: String => String = same, key "region", flag "--region" Option<String> = Option::clone,
        [#[arg(long, value_name = "REGION", help_heading = "Answers")]];
    /// Failure domains (zones, racks, rooms) available
    zones: u32 => u32 = same, key "zones", flag "--zones" Option<u32> = Option::clone,
        [#[arg(long, value_name = "N", value_parser = crate::units::parse_count32, help_heading = "Answers")]];
    /// Control-plane / etcd failures to survive (0-3)
    tolerate: u32 => u32 = same, key "tolerate", flag "--tolerate" Option<u32> = Option::clone,
        [#[arg(long, value_name = "N", value_parser = crate::units::parse_count32, help_heading = "Answers")]];
    /// Storage needs, comma-separated: none, or fast and/or shared
    storage: StorageAnswer => Vec<StorageNeed> = StorageAnswer::normalized, key "storage",
        flag "--storage" Option<Vec<StorageNeed>> = storage_flag,
        [#[arg(long, value_delimiter = ',', value_parser = parse::<StorageNeed>, value_name = "NEED,...", help_heading = "Answers")]];
    /// Average CPU request per pod: cores (0.25) or millicores (250m) (default by workload)
    pod_cpu: f64 => f64 = same, key "podCpu", flag "--pod-cpu" Option<f64> = Option::clone,
        [#[arg(long, value_name = "CORES", value_parser = crate::units::parse_cores, help_heading = "Answers")]];
    /// Average memory request per pod: GiB (0.5) or a quantity (512Mi, 1Gi, 1G) (default by workload)
    pod_memory_gib: f64 => f64 = same, key "podMemoryGiB", flag "--pod-memory" Option<f64> = Option::clone,
        [#[arg(long = "pod-memory", value_name = "GIB", value_parser = crate::units::parse_gib, help_heading = "Answers")]];
    /// Pod network range: auto (sized by the design) or a CIDR such as 10.244.0.0/16
    pod_cidr: CidrAnswer => CidrAnswer = same, key "podCIDR", flag "--pod-cidr" Option<CidrAnswer> = Option::clone,
        [#[arg(long, value_name = "CIDR", value_parser = parse::<CidrAnswer>, help_heading = "Answers")]];
    /// Service range: auto or a CIDR such as 10.96.0.0/12
    service_cidr: CidrAnswer => CidrAnswer = same, key "serviceCIDR", flag "--service-cidr" Option<CidrAnswer> = Option::clone,
        [#[arg(long, value_name = "CIDR", value_parser = parse::<CidrAnswer>, help_heading = "Answers")]];
    /// Node CPU architecture: amd64 (default), arm64, or any (the cheapest)
    arch: ArchChoice => ArchChoice = same, key "arch", flag "--arch" Option<ArchChoice> = Option::clone,
        [#[arg(long, value_parser = parse::<ArchChoice>, help_heading = "Answers")]];
    /// Learning: CPUs of the computer the cluster runs on (your laptop)
    host_cpu: u32 => u32 = same, key "hostCpu", flag "--host-cpu" Option<u32> = Option::clone,
        [#[arg(long, value_name = "N", value_parser = crate::units::parse_count32, help_heading = "Answers")]];
    /// Learning: memory of the computer the cluster runs on: GiB (16) or a quantity (16Gi)
    host_memory_gib: f64 => f64 = same, key "hostMemoryGiB", flag "--host-memory" Option<f64> = Option::clone,
        [#[arg(long = "host-memory", value_name = "GIB", value_parser = crate::units::parse_gib, help_heading = "Answers")]];
}

fn same<T>(v: T) -> T {
    v
}

fn parse<T: std::str::FromStr<Err = String>>(s: &str) -> Result<T, String> {
    s.parse()
}

/// A flag whose value is one of an enum's words: parsed by the enum (with
/// its did-you-mean), and listing the words, so shell completions offer them.
#[derive(Clone)]
pub struct WordParser<T>(std::marker::PhantomData<T>);

/// The parser of `T`'s words.
pub fn words<T>() -> WordParser<T> {
    WordParser(std::marker::PhantomData)
}

impl<T: crate::plan::Words + Clone + Send + Sync + 'static> clap::builder::TypedValueParser
    for WordParser<T>
{
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        let inner = parse::<T> as fn(&str) -> Result<T, String>;
        inner.parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            T::words()
                .into_iter()
                .map(clap::builder::PossibleValue::new),
        ))
    }
}

fn storage_flag(v: &Option<Vec<StorageNeed>>) -> Option<StorageAnswer> {
    v.clone().map(StorageAnswer::Many)
}

/// A network range answer: `auto` (the design sizes it) or an IPv4 CIDR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(try_from = "String", into = "String")]
#[schemars(with = "String")]
pub enum CidrAnswer {
    Auto,
    Cidr(ipnet::Ipv4Net),
}

impl std::str::FromStr for CidrAnswer {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s == "auto" {
            return Ok(CidrAnswer::Auto);
        }
        let net: ipnet::Ipv4Net = s
            .parse()
            .map_err(|_| format!("`{s}` is not auto or an IPv4 CIDR such as 10.244.0.0/16"))?;
        if net.trunc() != net {
            return Err(format!(
                "`{s}` has host bits set; the range starts at {}",
                net.trunc()
            ));
        }
        Ok(CidrAnswer::Cidr(net))
    }
}

impl TryFrom<String> for CidrAnswer {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

impl From<CidrAnswer> for String {
    fn from(c: CidrAnswer) -> String {
        match c {
            CidrAnswer::Auto => "auto".into(),
            CidrAnswer::Cidr(n) => n.to_string(),
        }
    }
}

impl CidrAnswer {
    pub fn given(self) -> Option<ipnet::Ipv4Net> {
        match self {
            CidrAnswer::Auto => None,
            CidrAnswer::Cidr(n) => Some(n),
        }
    }
}

/// `--managed` and `--self-managed`: the one answer `managed`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ManagedFlags {
    /// Cloud only: the provider runs the control plane (EKS, GKE, AKS)
    #[arg(long, conflicts_with = "self_managed", help_heading = "Answers")]
    pub managed: bool,
    /// Cloud only: run the control plane yourself (kOps, kubeadm)
    #[arg(long, help_heading = "Answers")]
    pub self_managed: bool,
}

impl ManagedFlags {
    fn answer(&self) -> Option<bool> {
        match (self.managed, self.self_managed) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        }
    }
}

/// `storage:` as one need or a list of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum StorageAnswer {
    One(StorageNeed),
    Many(Vec<StorageNeed>),
}

impl StorageAnswer {
    pub fn needs(&self) -> Vec<StorageNeed> {
        match self {
            StorageAnswer::One(n) => vec![*n],
            StorageAnswer::Many(v) => v.clone(),
        }
    }

    /// Sorted, without duplicates, `none` dropped beside another need;
    /// `[none]` when nothing is needed.
    pub fn normalized(self) -> Vec<StorageNeed> {
        let mut needs = self.needs();
        needs.sort();
        needs.dedup();
        if needs.len() > 1 {
            needs.retain(|n| *n != StorageNeed::None);
        }
        if needs.is_empty() {
            needs.push(StorageNeed::None);
        }
        needs
    }
}

impl PartialAnswers {
    /// The complete answers, or the keys still missing. `managed` is false
    /// where the platform has no managed service, whatever was answered.
    pub fn complete(&self) -> Result<Answers, Vec<&'static str>> {
        let mut a = self.clone();
        if a.platform.is_some_and(|p| p.service().is_none()) {
            a.managed = Some(false);
        }
        a.resolve_fields()
    }

    /// One answer as display text (`-` when missing).
    pub fn text(&self, key: &str) -> String {
        match self.get(key) {
            Some(Value::Array(v)) => v
                .iter()
                .map(|x| x.as_str().unwrap_or("?").to_string())
                .collect::<Vec<_>>()
                .join(", "),
            Some(Value::String(s)) => s,
            Some(Value::Bool(true)) => "yes".into(),
            Some(Value::Bool(false)) => "no".into(),
            Some(v) => v.to_string(),
            None => "-".into(),
        }
    }
}

impl Answers {
    pub fn wants(&self, need: StorageNeed) -> bool {
        self.storage.contains(&need)
    }
}

/// The flag that gives an answer, as messages name it.
pub fn flag_of(key: &str) -> &'static str {
    FIELDS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, f)| f)
}
