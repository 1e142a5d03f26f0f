//! The questions as data (`profiles/questions.yaml`): kind, prompt, help,
//! choices, defaults and bounds of each answer, and the presets.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::fields::{flag_of, PartialAnswers, FIELDS};
use crate::plan::{Platform, Purpose, WorkloadKind};
use crate::prose::amount;

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
    /// Free text the answer's type checks (a CIDR or `auto`).
    Text,
}

/// When a question applies (all of a question's conditions must hold).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AskWhen {
    /// Only on a cloud's machines.
    Cloud,
    /// Not for a learning cluster (one node: no zones, failures or traffic
    /// to plan for).
    NotLearning,
    /// Only when you run the control plane (not a managed service's).
    SelfManaged,
    /// Only where pods have their own range (not a managed service whose
    /// pods take the nodes' network addresses, as EKS's VPC CNI gives them).
    PodRange,
    /// Only for a learning cluster (on your own computer).
    Learning,
}

impl AskWhen {
    fn holds(self, a: &PartialAnswers) -> bool {
        match self {
            AskWhen::Cloud => a.platform.is_none_or(Platform::cloud),
            AskWhen::NotLearning => a.purpose != Some(Purpose::Learning),
            AskWhen::SelfManaged => {
                a.platform.is_some_and(|p| p.service().is_none()) || a.managed != Some(true)
            }
            AskWhen::PodRange => {
                let node_network =
                    |p: Platform| p.service().is_some_and(|s| s.pods_on_node_network);
                !(a.platform.is_some_and(node_network) && a.managed == Some(true))
            }
            AskWhen::Learning => {
                a.purpose.is_none_or(|p| p == Purpose::Learning)
                    && a.platform.is_some_and(|p| !p.cloud())
            }
        }
    }
}

/// The unit of a number question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    #[serde(rename = "cores")]
    Cores,
    #[serde(rename = "GiB")]
    GiB,
}

impl Question {
    /// Reads an answer as typed (a prompt) or written as a string (an
    /// answers file): counts with separators, Kubernetes quantities.
    pub fn read_number(&self, text: &str) -> Result<Value, String> {
        match (self.kind, self.unit) {
            (QuestionKind::Integer, _) => crate::units::parse_count(text).map(Value::from),
            (_, Some(Unit::Cores)) => crate::units::parse_cores(text).map(Value::from),
            (_, Some(Unit::GiB)) => crate::units::parse_gib(text).map(Value::from),
            _ => text
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .map(Value::from)
                .ok_or_else(|| format!("`{}` is not a number", text.trim())),
        }
    }
}

/// One question of the questionnaire.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Question {
    /// The answers-file key (one of the answers in `fields.rs`).
    pub key: String,
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
    /// Pods per application by purpose: the default once the applications
    /// are answered (`pods`).
    #[serde(default)]
    pub per_application: BTreeMap<Purpose, u64>,
    /// The help on a managed service, with `{service}` and `{serviceCIDR}`.
    #[serde(default)]
    pub help_managed: Option<String>,
    /// A number's unit, which decides the quantities it takes (`500m`
    /// for cores, `512Mi` for GiB); none: a plain number.
    #[serde(default)]
    pub unit: Option<Unit>,
    /// false: a missing answer takes its default without asking in
    /// non-interactive runs (the per-pod requests).
    #[serde(default = "crate::plan::model::yes")]
    pub required: bool,
    #[serde(default)]
    pub ask_when: Vec<AskWhen>,
}

impl Question {
    /// The flag that gives this answer.
    pub fn flag(&self) -> &'static str {
        flag_of(&self.key)
    }

    pub fn bounds(&self) -> (f64, f64) {
        (
            self.min.unwrap_or(f64::NEG_INFINITY),
            self.max.unwrap_or(f64::INFINITY),
        )
    }

    /// `between 1 and 64`.
    pub fn range_text(&self) -> String {
        let (lo, hi) = self.bounds();
        format!("between {} and {}", amount(lo), amount(hi))
    }

    /// Whether the question applies to the answers so far.
    pub fn applies(&self, so_far: &PartialAnswers) -> bool {
        self.ask_when.iter().all(|w| w.holds(so_far))
    }
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

impl Questionnaire {
    /// Checks that the data describes exactly the answers kubeplan reads,
    /// with defaults and choices it accepts.
    pub fn validate(&self) -> Result<(), String> {
        let keys: Vec<&str> = self.questions.iter().map(|q| q.key.as_str()).collect();
        let known: Vec<&str> = FIELDS.iter().map(|(k, _)| *k).collect();
        if let Some(k) = known.iter().find(|k| !keys.contains(k)) {
            return Err(format!("no question for the answer `{k}`"));
        }
        for q in &self.questions {
            if !known.contains(&q.key.as_str()) {
                return Err(format!(
                    "question `{}` is not an answer kubeplan reads (expected one of {})",
                    q.key,
                    known.join(", ")
                ));
            }
            if keys.iter().filter(|k| **k == q.key).count() > 1 {
                return Err(format!("question `{}` is listed twice", q.key));
            }
            if q.required && q.default.is_none() {
                return Err(format!("question `{}` needs a default", q.key));
            }
            for d in q.default.iter().chain(q.default_by_purpose.values()) {
                let mut probe = PartialAnswers::default();
                probe
                    .set(&q.key, d.clone())
                    .map_err(|e| format!("question `{}`: default {d} is invalid: {e}", q.key))?;
                check_bounds(&probe, self, &|_| format!("the default of `{}`", q.key))?;
            }
            for c in &q.choices {
                let v = match q.kind {
                    QuestionKind::List => Value::Array(vec![Value::String(c.clone())]),
                    _ => Value::String(c.clone()),
                };
                PartialAnswers::default()
                    .set(&q.key, v)
                    .map_err(|e| format!("question `{}`: choice `{c}` is invalid: {e}", q.key))?;
            }
        }
        self.platforms_listed()?;
        if let Some(w) = WorkloadKind::ALL
            .iter()
            .find(|w| !self.workload_defaults.contains_key(w))
        {
            return Err(format!("workloadDefaults has no entry for `{w}`"));
        }
        Ok(())
    }

    /// The platform question offers every platform (a file of
    /// `profiles/platforms/` each), in their order, and its help names
    /// every managed service.
    fn platforms_listed(&self) -> Result<(), String> {
        let Some(q) = self.question("platform") else {
            return Ok(());
        };
        let all: Vec<String> = Platform::ALL.iter().map(|p| p.to_string()).collect();
        if q.choices != all {
            return Err(format!(
                "question `platform`: choices must be [{}], one per platform",
                all.join(", ")
            ));
        }
        let services = Platform::ALL.iter().filter_map(|p| p.service());
        match services.map(|s| s.name).find(|n| !q.help.contains(n)) {
            Some(n) => Err(format!("question `platform`: the help does not name {n}")),
            None => Ok(()),
        }
    }

    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.key == key)
    }

    /// The default of a question given the answers so far (the purpose, and
    /// for per-pod requests the workload kind).
    pub fn default_for(&self, q: &Question, so_far: &PartialAnswers) -> Option<Value> {
        if let Some(d) = so_far.workload.and_then(|w| self.workload_defaults.get(&w)) {
            match q.key.as_str() {
                "podCpu" => return Some(Value::from(d.pod_cpu)),
                "podMemoryGiB" => return Some(Value::from(d.pod_memory_gib)),
                _ => {}
            }
        }
        let per_app = so_far.purpose.and_then(|p| q.per_application.get(&p));
        if let (Some(n), Some(apps)) = (per_app, so_far.apps) {
            let (lo, hi) = q.bounds();
            return Some(Value::from(((n * apps) as f64).clamp(lo, hi) as u64));
        }
        so_far
            .purpose
            .and_then(|p| q.default_by_purpose.get(&p).cloned())
            .or_else(|| q.default.clone())
    }

    /// The required questions that apply and have no answer.
    pub fn missing(&self, a: &PartialAnswers) -> Vec<&Question> {
        self.questions
            .iter()
            .filter(|q| q.required && q.applies(a) && a.get(&q.key).is_none())
            .collect()
    }

    /// Fills every missing answer with its default (what `--yes` does, and
    /// what optional answers and answers to questions that do not apply
    /// always do).
    pub fn with_defaults(&self, given: &PartialAnswers, optional_only: bool) -> PartialAnswers {
        let mut a = given.clone();
        for q in &self.questions {
            let asked = q.required && q.applies(&a);
            if (optional_only && asked) || a.get(&q.key).is_some() {
                continue;
            }
            if let Some(d) = self.default_for(q, &a) {
                // Defaults are validated when the questionnaire loads.
                let _ = a.set(&q.key, d);
            }
        }
        a
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
        let Some(v) = a.get(&q.key) else { continue };
        if let Some(n) = v.as_f64() {
            let (min, max) = q.bounds();
            if !(n >= min && n <= max) {
                return Err(format!(
                    "{}: `{}` is {}; it must be {}",
                    origin(&q.key),
                    q.key,
                    v,
                    q.range_text()
                ));
            }
        }
        if let Some(list) = v.as_array() {
            let problem = if list.is_empty() {
                Some("is an empty list; give [none] when the applications need no volumes")
            } else if list.len() > 1 && list.iter().any(|x| x == "none") {
                Some("combines none with other needs; give none alone, or fast and/or shared")
            } else {
                None
            };
            if let Some(p) = problem {
                return Err(format!("{}: `{}` {p}", origin(&q.key), q.key));
            }
        }
    }
    Ok(())
}

/// The JSON Schema of an answers file, with each answer's lower bound from
/// the questionnaire (so `pods: -5` names the real bound, 1, not the type's).
pub fn answers_schema(qs: &Questionnaire) -> Value {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let mut schema = serde_json::to_value(generator.into_root_schema_for::<PartialAnswers>())
        .unwrap_or(Value::Null);
    for q in &qs.questions {
        let Some(p) = schema
            .get_mut("properties")
            .and_then(|p| p.get_mut(&q.key))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        let target = match p.get_mut("anyOf").and_then(Value::as_array_mut) {
            Some(alts) => alts.iter_mut().find_map(|a| {
                let numeric = matches!(
                    a.get("type").and_then(Value::as_str),
                    Some("integer" | "number")
                );
                numeric.then(|| a.as_object_mut()).flatten()
            }),
            None => Some(p),
        };
        if let Some(t) = target {
            // The lower bound only: a value past the upper one gets the
            // questionnaire's own "must be between" message.
            if let Some(n) = q.min.and_then(serde_json::Number::from_f64) {
                t.insert("minimum".to_string(), Value::Number(n));
            }
        }
    }
    schema
}
