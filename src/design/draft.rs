//! What the stages share: the answers and catalog they read ([`Input`]),
//! the facts decided so far ([`Draft`]), and the reasons.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalog::{Catalog, PlatformProfile};
use crate::plan::{
    ApiVersion, ClusterPlan, EtcdTopology, Kind, Metadata, Platform, PodRequests, Purpose, Spec,
    Tooling, Workload,
};
use crate::questionnaire::Answers;
use crate::sizing::Choice;

/// What a reason is about; the order of the variants is the order in which
/// the report tells them: shape and tool, control plane, workers, storage,
/// network, and the cluster split last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Topic {
    Shape,
    Tooling,
    Node,
    Workload,
    Tolerance,
    Etcd,
    ControlPlane,
    ApiLoadBalancer,
    Workers,
    WorkerPools,
    Zones,
    Storage,
    Network,
    Clusters,
}

/// One decision and why it was made.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Reason {
    #[serde(skip)]
    pub topic: Topic,
    /// What was decided, e.g. "etcd: 3 members".
    pub decision: String,
    /// Why, in a sentence.
    pub reason: String,
}

/// The recommendation: one plan per cluster, and the reasons.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Design {
    pub plans: Vec<ClusterPlan>,
    pub reasons: Vec<Reason>,
    /// The next choices of the workers' ranking, after the chosen type.
    pub runners_up: Vec<super::RunnerUp>,
}

/// Answers the engine cannot design for.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DesignError {
    #[error("no {platform} machine fits one pod of {cpu} CPU / {memory} GiB; lower --pod-cpu or --pod-memory")]
    NothingFits {
        platform: Platform,
        cpu: f64,
        memory: f64,
    },
    #[error("the {platform} catalog has no {arch} machines; answer --arch amd64 or --arch any")]
    NoArch {
        platform: Platform,
        arch: crate::plan::ArchChoice,
    },
    #[error("{0}")]
    Network(String),
    #[error("no instance type `{name}` in the {platform} catalog{}", match near.as_slice() { [] => String::new(), n => format!("; did you mean {}?", crate::prose::or_list(n)) })]
    UnknownType {
        platform: Platform,
        name: String,
        near: Vec<String>,
    },
    #[error("--instance-type {name}: its series {why}")]
    Unusable { name: String, why: String },
    #[error("{name} cannot hold one pod of {cpu} CPU / {memory} GiB once its reservations and DaemonSets are taken; pin a larger machine")]
    PinTooSmall { name: String, cpu: f64, memory: f64 },
    #[error("{}", region_error(title, asked, near, regions))]
    Region {
        title: String,
        asked: String,
        near: Vec<String>,
        regions: Vec<String>,
    },
    #[error("{title} region {region} has {} ({}): --zones {asked} asks for more; answer {} or fewer", crate::prose::plural(zones.len() as u64, "availability zone", "availability zones"), zones.join(", "), zones.len())]
    Zones {
        title: String,
        region: String,
        zones: Vec<String>,
        asked: u32,
    },
    #[error("`{0}` is not a valid cluster name: use lower-case letters, digits and `-`, starting and ending with a letter or digit, at most 63 characters")]
    BadName(String),
}

/// What every stage reads.
pub struct Input<'a> {
    pub c: &'a Catalog,
    pub a: &'a Answers,
    pub prof: &'a PlatformProfile,
    pub name: &'a str,
    /// The ranking's filter and pinned machines.
    pub machines: &'a super::MachineOptions,
}

impl<'a> Input<'a> {
    pub fn new(
        c: &'a Catalog,
        a: &'a Answers,
        name: &'a str,
        machines: &'a super::MachineOptions,
    ) -> Input<'a> {
        Input {
            c,
            a,
            prof: c.platform(a.platform),
            name,
            machines,
        }
    }

    /// The instance types a stage may choose from: the ranking's filter
    /// (burstable ones where `burstable`), the answered architecture, and
    /// where the region has prices, the priced ones.
    pub fn candidates(
        &self,
        burstable: bool,
    ) -> impl Iterator<Item = &'a crate::catalog::InstanceType> + '_ {
        let filter = crate::sizing::TypeFilter {
            burstable,
            ..self.machines.types.clone()
        };
        let all = &self.prof.instances;
        let priced = all.iter().any(|t| t.price_per_hour.is_some());
        all.iter().filter(move |t| {
            self.prof.unusable(t).is_none()
                && filter.allows(t)
                && self.a.arch.allows(t.arch)
                && (!priced || t.price_per_hour.is_some())
        })
    }

    pub fn production(&self) -> bool {
        self.a.purpose == Purpose::Production
    }

    pub fn learning(&self) -> bool {
        self.a.purpose == Purpose::Learning
    }

    pub fn requests(&self) -> PodRequests {
        PodRequests {
            cpu: self.a.pod_cpu,
            memory_gib: self.a.pod_memory_gib,
        }
    }

    /// Zone names for `n` failure domains: the design region's zones (a
    /// cloud names no more: `shape` refuses more than the region has), or
    /// the platform's names for your own sites, then `zone-N`.
    pub fn zone_names(&self, n: u32) -> Vec<String> {
        let named = self.prof.design_zones();
        let cloud = self.prof.region.is_some();
        (0..n as usize)
            .map_while(|i| match named.get(i) {
                Some(z) => Some(z.clone()),
                None if cloud => None,
                None => Some(format!("zone-{}", i + 1)),
            })
            .collect()
    }

    /// The workload block of a plan carrying `pods` of `apps` applications.
    pub fn workload(&self, pods: u64, apps: u64) -> Workload {
        Workload {
            kind: self.a.workload,
            applications: Some(apps),
            pods,
            containers_per_pod: 1,
            traffic: Some(self.a.traffic),
            pod_requests: Some(self.requests()),
        }
    }

    pub fn nothing_fits(&self) -> DesignError {
        let arch = self.a.arch;
        if !self.prof.instances.iter().any(|t| arch.allows(t.arch)) {
            return DesignError::NoArch {
                platform: self.a.platform,
                arch,
            };
        }
        DesignError::NothingFits {
            platform: self.a.platform,
            cpu: self.a.pod_cpu,
            memory: self.a.pod_memory_gib,
        }
    }
}

/// The facts decided so far. Each stage fills its own; the plan is the
/// prototype of every cluster of the design.
pub struct Draft {
    pub plan: ClusterPlan,
    pub reasons: Vec<Reason>,
    /// The managed service that runs the control plane, if any.
    pub managed: Option<Tooling>,
    /// Whether the control plane is highly available.
    pub ha: bool,
    pub members: u32,
    /// The worker instance type (development, testing, production).
    pub choice: Option<Choice>,
    /// The ranking's next choices.
    pub runners_up: Vec<super::RunnerUp>,
    /// Clusters the workload is split over, and each one's share of the pods.
    pub clusters: u64,
    pub share: u64,
    pub workers: u64,
    pub topology: EtcdTopology,
    pub cp_nodes: u32,
    /// Production over exactly 2 zones: one member in a third site.
    pub witness: bool,
    /// Max pods per node of the nodes that run pods (for the network).
    pub max_pods: u32,
    /// The finished plans (the last stage copies the prototype per cluster).
    pub plans: Vec<ClusterPlan>,
}

impl Draft {
    pub fn new(i: &Input) -> Draft {
        Draft {
            plan: ClusterPlan {
                api_version: ApiVersion::V1,
                kind: Kind::ClusterPlan,
                metadata: Metadata {
                    name: i.name.to_string(),
                    annotations: Default::default(),
                    labels: BTreeMap::new(),
                },
                spec: Spec::new(i.a.purpose, i.a.platform),
            },
            reasons: Vec::new(),
            managed: None,
            ha: false,
            members: 1,
            choice: None,
            runners_up: Vec::new(),
            clusters: 1,
            share: i.a.pods,
            workers: 0,
            topology: EtcdTopology::Stacked,
            cp_nodes: 1,
            witness: false,
            max_pods: 0,
            plans: Vec::new(),
        }
    }

    /// Records a decision and its reason.
    pub fn why(&mut self, topic: Topic, decision: impl Into<String>, reason: impl Into<String>) {
        self.reasons.push(Reason {
            topic,
            decision: decision.into(),
            reason: reason.into(),
        });
    }

    pub fn finish(mut self) -> Design {
        self.reasons.sort_by_key(|r| r.topic);
        if self.plans.is_empty() {
            self.plans.push(self.plan);
        }
        Design {
            plans: self.plans,
            reasons: self.reasons,
            runners_up: self.runners_up,
        }
    }
}

fn region_error(title: &str, asked: &str, near: &[String], regions: &[String]) -> String {
    let near = match near {
        [] if regions.is_empty() => {
            return format!(
            "--region {asked}: {title} has no regions (your own machines are placed by --zones)"
        )
        }
        [] => ".".to_string(),
        _ => format!("; did you mean {}?", crate::prose::or_list(near)),
    };
    format!(
        "--region {asked}: {title} has no region `{asked}`{near} Regions: {}",
        regions.join(", ")
    )
}
