//! The `design` answers: the questionnaire (data in `profiles/questions.yaml`),
//! partial layers of answers (flags, an answers file, a preset), their merge
//! in the order the spec gives, bounds checks, and completion with defaults.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::plan::{Platform, Purpose, StorageNeed, Traffic, WorkloadKind};

/// Answers as one source gives them: any of them may be missing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(
    title = "kubeplan design answers",
    description = "Answers to the `kubeplan design` questionnaire (`--answers FILE`)."
)]
pub struct PartialAnswers {
    /// What the cluster is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<Purpose>,
    /// Where it runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// Cloud only: the provider runs the control plane (EKS, GKE, AKS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed: Option<bool>,
    /// What runs on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload: Option<WorkloadKind>,
    /// How many applications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apps: Option<u64>,
    /// Pods at peak, all applications together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pods: Option<u64>,
    /// Network traffic pattern.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traffic: Option<Traffic>,
    /// Failure domains (zones, racks, rooms) available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zones: Option<u32>,
    /// Control-plane / etcd failures to survive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerate: Option<u32>,
    /// Storage needs: none, fast, shared (one or a list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<StorageAnswer>,
    /// Average CPU request per pod, in cores.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_cpu: Option<f64>,
    /// Average memory request per pod, in GiB.
    #[serde(
        rename = "podMemoryGiB",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub pod_memory_gib: Option<f64>,
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
}

/// Every answer, resolved: what the recommendation engine reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Answers {
    pub purpose: Purpose,
    pub platform: Platform,
    /// Always false on-prem.
    pub managed: bool,
    pub workload: WorkloadKind,
    pub apps: u64,
    pub pods: u64,
    pub traffic: Traffic,
    pub zones: u32,
    pub tolerate: u32,
    /// Sorted, without duplicates; `[none]` when nothing is needed.
    pub storage: Vec<StorageNeed>,
    pub pod_cpu: f64,
    #[serde(rename = "podMemoryGiB")]
    pub pod_memory_gib: f64,
}

impl Answers {
    pub fn wants(&self, need: StorageNeed) -> bool {
        self.storage.contains(&need)
    }
}

/// The JSON Schema of an answers file.
pub fn answers_schema() -> &'static Value {
    static SCHEMA: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| {
        let generator = schemars::generate::SchemaSettings::draft07().into_generator();
        serde_json::to_value(generator.into_root_schema_for::<PartialAnswers>())
            .unwrap_or(Value::Null)
    })
}

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum QuestionKind {
    /// One of `choices`.
    Choice,
    /// Yes or no.
    Flag,
    /// A whole number within min..=max.
    Integer,
    /// A decimal number within min..=max.
    Number,
    /// Any of `choices`.
    List,
}

/// When a question applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AskWhen {
    /// Only on aws, gcp and azure.
    Cloud,
}

/// One question of the questionnaire.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Question {
    /// The answers-file key.
    pub key: String,
    /// The flag that gives it, as shown in messages.
    pub flag: String,
    pub kind: QuestionKind,
    pub prompt: String,
    pub help: String,
    #[serde(default)]
    pub choices: Vec<String>,
    #[serde(default)]
    pub default: Option<Value>,
    #[serde(default)]
    pub default_by_purpose: BTreeMap<Purpose, Value>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    /// false: a missing answer takes its default without asking in
    /// non-interactive runs (the per-pod requests).
    #[serde(default = "yes")]
    pub required: bool,
    #[serde(default)]
    pub ask_when: Option<AskWhen>,
}

fn yes() -> bool {
    true
}

/// Default per-pod requests of a workload kind.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodDefaults {
    pub pod_cpu: f64,
    #[serde(rename = "podMemoryGiB")]
    pub pod_memory_gib: f64,
}

/// `profiles/questions.yaml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Questionnaire {
    pub questions: Vec<Question>,
    pub workload_defaults: BTreeMap<WorkloadKind, PodDefaults>,
}

/// A preset of answers in `profiles/presets/NAME.yaml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Preset {
    pub description: String,
    pub answers: PartialAnswers,
}

/// The keys the engine reads, in the order of `PartialAnswers`.
pub const KEYS: &[&str] = &[
    "purpose",
    "platform",
    "managed",
    "workload",
    "apps",
    "pods",
    "traffic",
    "zones",
    "tolerate",
    "storage",
    "podCpu",
    "podMemoryGiB",
];

impl Questionnaire {
    /// Checks that the data describes exactly the answers the engine reads,
    /// with defaults and choices it accepts.
    pub fn validate(&self) -> Result<(), String> {
        let keys: Vec<&str> = self.questions.iter().map(|q| q.key.as_str()).collect();
        for k in KEYS {
            if !keys.contains(k) {
                return Err(format!("no question for the answer `{k}`"));
            }
        }
        for q in &self.questions {
            if !KEYS.contains(&q.key.as_str()) {
                return Err(format!(
                    "question `{}` is not an answer kubeplan reads (expected one of {})",
                    q.key,
                    KEYS.join(", ")
                ));
            }
            if keys.iter().filter(|k| **k == q.key).count() > 1 {
                return Err(format!("question `{}` is listed twice", q.key));
            }
            let mut defaults: Vec<&Value> = q.default.iter().collect();
            defaults.extend(q.default_by_purpose.values());
            if q.required && q.default.is_none() {
                return Err(format!("question `{}` needs a default", q.key));
            }
            for d in defaults {
                let mut probe = Map::new();
                probe.insert(q.key.clone(), d.clone());
                let parsed: PartialAnswers = serde_json::from_value(Value::Object(probe))
                    .map_err(|e| format!("question `{}`: default {d} is invalid: {e}", q.key))?;
                check_bounds(&parsed, self, &|_| format!("the default of `{}`", q.key))?;
            }
            for c in &q.choices {
                let mut probe = Map::new();
                let v = match q.kind {
                    QuestionKind::List => Value::Array(vec![Value::String(c.clone())]),
                    _ => Value::String(c.clone()),
                };
                probe.insert(q.key.clone(), v);
                serde_json::from_value::<PartialAnswers>(Value::Object(probe))
                    .map_err(|e| format!("question `{}`: choice `{c}` is invalid: {e}", q.key))?;
            }
        }
        for w in WorkloadKind::ALL {
            if !self.workload_defaults.contains_key(w) {
                return Err(format!("workloadDefaults has no entry for `{w}`"));
            }
        }
        Ok(())
    }

    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.key == key)
    }

    /// The default of a question given the answers so far (the purpose, and
    /// for per-pod requests the workload kind).
    pub fn default_for(&self, q: &Question, so_far: &PartialAnswers) -> Option<Value> {
        if let Some(w) = so_far.workload {
            let d = &self.workload_defaults[&w];
            match q.key.as_str() {
                "podCpu" => return Some(Value::from(d.pod_cpu)),
                "podMemoryGiB" => return Some(Value::from(d.pod_memory_gib)),
                _ => {}
            }
        }
        so_far
            .purpose
            .and_then(|p| q.default_by_purpose.get(&p).cloned())
            .or_else(|| q.default.clone())
    }
}

/// Whether a question applies to the answers so far.
pub fn applies(q: &Question, so_far: &PartialAnswers) -> bool {
    match q.ask_when {
        Some(AskWhen::Cloud) => so_far.platform.is_none_or(|p| p != Platform::OnPrem),
        None => true,
    }
}

/// Reads one answer as a JSON value (None when missing).
pub fn get(a: &PartialAnswers, key: &str) -> Option<Value> {
    match serde_json::to_value(a) {
        Ok(Value::Object(m)) => m.get(key).cloned(),
        _ => None,
    }
}

/// Sets one answer from a JSON value.
pub fn set(a: &mut PartialAnswers, key: &str, value: Value) -> Result<(), String> {
    let mut m = match serde_json::to_value(&*a) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    m.insert(key.to_string(), value);
    *a = serde_json::from_value(Value::Object(m)).map_err(|e| e.to_string())?;
    Ok(())
}

impl PartialAnswers {
    /// This layer over a lower one: its answers win.
    pub fn over(&self, lower: &PartialAnswers) -> PartialAnswers {
        PartialAnswers {
            purpose: self.purpose.or(lower.purpose),
            platform: self.platform.or(lower.platform),
            managed: self.managed.or(lower.managed),
            workload: self.workload.or(lower.workload),
            apps: self.apps.or(lower.apps),
            pods: self.pods.or(lower.pods),
            traffic: self.traffic.or(lower.traffic),
            zones: self.zones.or(lower.zones),
            tolerate: self.tolerate.or(lower.tolerate),
            storage: self.storage.clone().or_else(|| lower.storage.clone()),
            pod_cpu: self.pod_cpu.or(lower.pod_cpu),
            pod_memory_gib: self.pod_memory_gib.or(lower.pod_memory_gib),
        }
    }

    /// The required questions that apply and have no answer.
    pub fn missing<'q>(&self, qs: &'q Questionnaire) -> Vec<&'q Question> {
        qs.questions
            .iter()
            .filter(|q| q.required && applies(q, self) && get(self, &q.key).is_none())
            .collect()
    }

    /// Fills every missing answer with its default (what `--yes` does, and
    /// what optional answers always do).
    pub fn with_defaults(&self, qs: &Questionnaire, optional_only: bool) -> PartialAnswers {
        let mut a = self.clone();
        for q in &qs.questions {
            if optional_only && q.required {
                continue;
            }
            if applies(q, &a) && get(&a, &q.key).is_none() {
                if let Some(d) = qs.default_for(q, &a) {
                    // Defaults are validated when the questionnaire loads.
                    let _ = set(&mut a, &q.key, d);
                }
            }
        }
        a
    }

    /// The complete answers, or the keys still missing.
    pub fn complete(&self) -> Result<Answers, Vec<&'static str>> {
        let managed = match self.platform {
            Some(Platform::OnPrem) => Some(false),
            _ => self.managed,
        };
        let (
            Some(purpose),
            Some(platform),
            Some(managed),
            Some(workload),
            Some(apps),
            Some(pods),
            Some(traffic),
            Some(zones),
            Some(tolerate),
            Some(storage),
            Some(pod_cpu),
            Some(pod_memory_gib),
        ) = (
            self.purpose,
            self.platform,
            managed,
            self.workload,
            self.apps,
            self.pods,
            self.traffic,
            self.zones,
            self.tolerate,
            self.storage.as_ref(),
            self.pod_cpu,
            self.pod_memory_gib,
        )
        else {
            let mut with = self.clone();
            with.managed = managed;
            return Err(KEYS
                .iter()
                .copied()
                .filter(|k| get(&with, k).is_none())
                .collect());
        };
        let mut needs = storage.needs();
        needs.sort();
        needs.dedup();
        if needs.len() > 1 {
            needs.retain(|n| *n != StorageNeed::None);
        }
        if needs.is_empty() {
            needs.push(StorageNeed::None);
        }
        Ok(Answers {
            purpose,
            platform,
            managed,
            workload,
            apps,
            pods,
            traffic,
            zones,
            tolerate,
            storage: needs,
            pod_cpu,
            pod_memory_gib,
        })
    }
}

/// Checks every answer present against the questionnaire's bounds; `origin`
/// says where an answer came from (a flag, `file:line:column`, a preset).
pub fn check_bounds(
    a: &PartialAnswers,
    qs: &Questionnaire,
    origin: &dyn Fn(&str) -> String,
) -> Result<(), String> {
    for q in &qs.questions {
        let Some(v) = get(a, &q.key) else { continue };
        if let Some(n) = v.as_f64() {
            let min = q.min.unwrap_or(f64::NEG_INFINITY);
            let max = q.max.unwrap_or(f64::INFINITY);
            if !(n >= min && n <= max) {
                return Err(format!(
                    "{}: `{}` is {}; it must be between {} and {}",
                    origin(&q.key),
                    q.key,
                    v,
                    fmt_bound(min),
                    fmt_bound(max)
                ));
            }
        }
        if let Some(list) = v.as_array() {
            let has_none = list.iter().any(|x| x == "none");
            if has_none && list.len() > 1 {
                return Err(format!(
                    "{}: `{}` combines none with other needs; give none alone, or fast and/or shared",
                    origin(&q.key),
                    q.key
                ));
            }
            if list.is_empty() {
                return Err(format!(
                    "{}: `{}` is an empty list; give [none] when the applications need no volumes",
                    origin(&q.key),
                    q.key
                ));
            }
        }
    }
    Ok(())
}

fn fmt_bound(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_file_over_preset() {
        let preset = PartialAnswers {
            pods: Some(10),
            zones: Some(3),
            apps: Some(1),
            ..Default::default()
        };
        let file = PartialAnswers {
            pods: Some(20),
            zones: Some(2),
            ..Default::default()
        };
        let flags = PartialAnswers {
            pods: Some(30),
            ..Default::default()
        };
        let merged = flags.over(&file.over(&preset));
        assert_eq!(merged.pods, Some(30));
        assert_eq!(merged.zones, Some(2));
        assert_eq!(merged.apps, Some(1));
    }

    #[test]
    fn storage_answer_is_normalized() {
        let a = PartialAnswers {
            purpose: Some(Purpose::Development),
            platform: Some(Platform::OnPrem),
            workload: Some(WorkloadKind::Web),
            apps: Some(1),
            pods: Some(1),
            traffic: Some(Traffic::Steady),
            zones: Some(1),
            tolerate: Some(0),
            storage: Some(StorageAnswer::Many(vec![
                StorageNeed::Shared,
                StorageNeed::Fast,
                StorageNeed::Shared,
            ])),
            pod_cpu: Some(0.1),
            pod_memory_gib: Some(0.1),
            managed: None,
        };
        let done = a.complete().unwrap();
        assert_eq!(done.storage, vec![StorageNeed::Fast, StorageNeed::Shared]);
        assert!(!done.managed);
        let cloud = PartialAnswers {
            platform: Some(Platform::Aws),
            ..a
        };
        assert_eq!(cloud.complete().unwrap_err(), vec!["managed"]);
    }
}
