//! What a workload asks of the scheduler: its pods' requests, the nodes
//! they accept (taints, selectors, node affinity), the pods they must be
//! near or away from, and how they spread.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::plan::node::Pos;

/// Requests (or allocatable): CPU in millicores, memory and ephemeral
/// storage in bytes, extended resources (`nvidia.com/gpu`) in units.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Res {
    pub cpu: i64,
    pub memory: i64,
    pub ephemeral: i64,
    pub ext: Vec<(String, i64)>,
}

impl Res {
    pub fn ext(&self, name: &str) -> i64 {
        self.ext.iter().find(|(n, _)| n == name).map_or(0, |e| e.1)
    }

    pub fn set(&mut self, name: &str, v: i64) {
        match name {
            "cpu" => self.cpu = v,
            "memory" => self.memory = v,
            "ephemeral-storage" => self.ephemeral = v,
            "pods" => {}
            _ => match self.ext.iter_mut().find(|(n, _)| n == name) {
                Some(e) => e.1 = v,
                None => self.ext.push((name.to_string(), v)),
            },
        }
    }

    pub fn get(&self, name: &str) -> i64 {
        match name {
            "cpu" => self.cpu,
            "memory" => self.memory,
            "ephemeral-storage" => self.ephemeral,
            _ => self.ext(name),
        }
    }

    /// The resources named, in order: cpu, memory, ephemeral-storage, then extended.
    pub fn names(&self) -> Vec<String> {
        let mut n: Vec<String> = ["cpu", "memory", "ephemeral-storage"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        n.extend(self.ext.iter().map(|e| e.0.clone()));
        n
    }

    pub fn add(&mut self, o: &Res) {
        self.cpu += o.cpu;
        self.memory += o.memory;
        self.ephemeral += o.ephemeral;
        for (n, v) in &o.ext {
            let cur = self.ext(n);
            self.set(n, cur + v);
        }
    }

    pub fn sub(&mut self, o: &Res) {
        self.cpu -= o.cpu;
        self.memory -= o.memory;
        self.ephemeral -= o.ephemeral;
        for (n, v) in &o.ext {
            let cur = self.ext(n);
            self.set(n, cur - v);
        }
    }

    pub fn max_with(&mut self, o: &Res) {
        self.cpu = self.cpu.max(o.cpu);
        self.memory = self.memory.max(o.memory);
        self.ephemeral = self.ephemeral.max(o.ephemeral);
        for (n, v) in &o.ext {
            let cur = self.ext(n);
            self.set(n, cur.max(*v));
        }
    }

    pub fn is_zero(&self) -> bool {
        self.cpu == 0
            && self.memory == 0
            && self.ephemeral == 0
            && self.ext.iter().all(|e| e.1 == 0)
    }
}

/// A host port: (protocol, hostIP, port).
pub type HostPort = (String, String, u32);

/// A container's declared resources, before defaults.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Container {
    pub requests: Vec<(String, i64)>,
    pub limits: Vec<(String, i64)>,
    /// An init container with `restartPolicy: Always` (a sidecar).
    pub sidecar: bool,
}

/// One operator of a node or label selector requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    In,
    NotIn,
    Exists,
    DoesNotExist,
    Gt,
    Lt,
}

/// `key OP values`.
#[derive(Debug, Clone, PartialEq)]
pub struct Req {
    pub key: String,
    pub op: Op,
    pub values: Vec<String>,
}

impl Req {
    /// Whether a value (None: the label is absent) satisfies the requirement.
    pub fn matches(&self, value: Option<&str>) -> bool {
        match (self.op, value) {
            (Op::In, Some(v)) => self.values.iter().any(|x| x == v),
            (Op::In, None) => false,
            (Op::NotIn, v) => v.is_none_or(|v| !self.values.iter().any(|x| x == v)),
            (Op::Exists, v) => v.is_some(),
            (Op::DoesNotExist, v) => v.is_none(),
            (Op::Gt | Op::Lt, None) => false,
            (op, Some(v)) => {
                let (Ok(have), Some(Ok(want))) = (
                    v.parse::<i64>(),
                    self.values.first().map(|x| x.parse::<i64>()),
                ) else {
                    return false;
                };
                if op == Op::Gt {
                    have > want
                } else {
                    have < want
                }
            }
        }
    }
}

/// A label selector: every `matchLabels` pair and every expression hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LabelSelector {
    pub reqs: Vec<Req>,
    /// A null selector (the field absent) selects nothing.
    pub nothing: bool,
}

impl LabelSelector {
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        !self.nothing
            && self
                .reqs
                .iter()
                .all(|r| r.matches(labels.get(&r.key).map(String::as_str)))
    }
}

/// A required pod (anti-)affinity term.
#[derive(Debug, Clone, PartialEq)]
pub struct PodTerm {
    pub selector: LabelSelector,
    /// None: the pod's own namespace; `namespaceSelector: {}` is every one.
    pub namespaces: Option<Vec<String>>,
    pub topology_key: String,
}

impl PodTerm {
    /// Whether a pod of `ns` with `labels` is one the term selects, for a
    /// term written in a pod of namespace `own`.
    pub fn selects(&self, own: &str, ns: &str, labels: &BTreeMap<String, String>) -> bool {
        let in_ns = match &self.namespaces {
            None => own == ns,
            Some(list) => list.is_empty() || list.iter().any(|n| n == ns),
        };
        in_ns && self.selector.matches(labels)
    }
}

/// A `DoNotSchedule` topology spread constraint.
#[derive(Debug, Clone, PartialEq)]
pub struct Spread {
    pub max_skew: u32,
    pub topology_key: String,
    pub selector: LabelSelector,
    pub min_domains: Option<u32>,
    /// `nodeAffinityPolicy: Honor` (the default).
    pub honor_affinity: bool,
    /// `nodeTaintsPolicy: Honor` (default Ignore).
    pub honor_taints: bool,
}

/// A toleration.
#[derive(Debug, Clone, PartialEq)]
pub struct Toleration {
    pub key: Option<String>,
    pub exists: bool,
    pub value: String,
    pub effect: Option<String>,
}

/// A node taint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taint {
    pub key: String,
    pub value: String,
    pub effect: String,
}

impl Taint {
    /// `key=value:Effect` as a plan writes taints.
    pub fn parse(text: &str) -> Option<Taint> {
        let (kv, effect) = text.rsplit_once(':')?;
        let (key, value) = kv.split_once('=').unwrap_or((kv, ""));
        Some(Taint {
            key: key.to_string(),
            value: value.to_string(),
            effect: effect.to_string(),
        })
    }

    /// Whether a pod must tolerate it to be scheduled (NoSchedule, NoExecute).
    pub fn blocks(&self) -> bool {
        matches!(self.effect.as_str(), "NoSchedule" | "NoExecute")
    }
}

impl Toleration {
    /// `ToleratesTaint` of `k8s.io/api/core/v1/toleration.go`.
    pub fn tolerates(&self, t: &Taint) -> bool {
        if self
            .effect
            .as_ref()
            .is_some_and(|e| !e.is_empty() && *e != t.effect)
        {
            return false;
        }
        if self
            .key
            .as_ref()
            .is_some_and(|k| !k.is_empty() && *k != t.key)
        {
            return false;
        }
        self.exists || self.value == t.value
    }
}

/// The scheduling side of a pod template.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PodSpec {
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
    pub containers: Vec<Container>,
    pub init_containers: Vec<Container>,
    /// Pod-level `resources.requests` and `.limits`.
    pub pod_requests: Vec<(String, i64)>,
    pub pod_limits: Vec<(String, i64)>,
    pub overhead: Vec<(String, i64)>,
    /// What the scheduler counts (filled by `requests::finish`).
    pub requests: Res,
    /// No container declares any request or limit (QoS BestEffort).
    pub best_effort: bool,
    pub tolerations: Vec<Toleration>,
    pub node_selector: BTreeMap<String, String>,
    /// Required node affinity: any term, each all its requirements (None: no affinity).
    pub node_affinity: Option<Vec<Vec<Req>>>,
    /// (protocol, hostIP, hostPort) of every container port with a host port.
    pub host_ports: Vec<HostPort>,
    pub affinity: Vec<PodTerm>,
    pub anti_affinity: Vec<PodTerm>,
    pub spread: Vec<Spread>,
    /// Preferred terms and `ScheduleAnyway` spreads seen (they never block a fit).
    pub soft_terms: usize,
    /// It mounts persistent volume claims (or its StatefulSet makes them).
    pub volumes: bool,
}

/// What kind of object made the pods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Pod,
    Deployment,
    ReplicaSet,
    ReplicationController,
    StatefulSet,
    DaemonSet,
    Job,
    CronJob,
    /// A static pod (its owner is its Node: a mirror of the kubelet's).
    StaticPod,
}

impl Kind {
    pub fn parse(kind: &str) -> Option<Kind> {
        Some(match kind {
            "Pod" => Kind::Pod,
            "Deployment" => Kind::Deployment,
            "ReplicaSet" => Kind::ReplicaSet,
            "ReplicationController" => Kind::ReplicationController,
            "StatefulSet" => Kind::StatefulSet,
            "DaemonSet" => Kind::DaemonSet,
            "Job" => Kind::Job,
            "CronJob" => Kind::CronJob,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Pod => "Pod",
            Kind::Deployment => "Deployment",
            Kind::ReplicaSet => "ReplicaSet",
            Kind::ReplicationController => "ReplicationController",
            Kind::StatefulSet => "StatefulSet",
            Kind::DaemonSet => "DaemonSet",
            Kind::Job => "Job",
            Kind::CronJob => "CronJob",
            Kind::StaticPod => "Pod",
        }
    }
}

/// One workload: identical pods from one object.
#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
    /// Pods to place (for a DaemonSet: none, it runs on every node it accepts).
    pub pods: u32,
    pub pod: Arc<PodSpec>,
    pub file: Arc<str>,
    pub pos: Pos,
    /// What was assumed (HPA maxReplicas, CronJob overlap, …).
    pub notes: Vec<String>,
    /// The HPA's (minReplicas, maxReplicas), when one scales it.
    pub hpa: Option<(u32, u32)>,
}

impl Workload {
    /// `KIND/NAMESPACE/NAME`.
    pub fn id(&self) -> String {
        format!("{}/{}/{}", self.kind.name(), self.namespace, self.name)
    }
}

/// `minAvailable` or `maxUnavailable`: a count or a percentage.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum IntOrPercent {
    Int(u32),
    Percent(u32),
}

/// A PodDisruptionBudget.
#[derive(Debug, Clone, PartialEq)]
pub struct Pdb {
    pub namespace: String,
    pub name: String,
    pub selector: LabelSelector,
    pub min_available: Option<IntOrPercent>,
    pub max_unavailable: Option<IntOrPercent>,
    pub file: Arc<str>,
    pub pos: Pos,
}

/// Everything read from the workload files.
#[derive(Debug, Clone, Default)]
pub struct WorkloadSet {
    pub workloads: Vec<Workload>,
    pub pdbs: Vec<Pdb>,
    /// Kinds read but not sized, with how many of each.
    pub skipped: BTreeMap<String, usize>,
    /// Custom resources whose pods an operator makes (`Prometheus`, …), by kind.
    pub operator_made: Vec<String>,
    pub files: usize,
    pub documents: usize,
}

impl WorkloadSet {
    /// Pods the workloads place (DaemonSets not counted: they run per node).
    pub fn pods(&self) -> u64 {
        self.workloads.iter().map(|w| u64::from(w.pods)).sum()
    }

    pub fn daemon_sets(&self) -> impl Iterator<Item = &Workload> {
        self.workloads.iter().filter(|w| w.kind == Kind::DaemonSet)
    }
}
