//! The recommendation engine: answers in, cluster plans and the reason for
//! every decision out. Pure (no I/O); every figure comes from the catalog
//! (`profiles/`), and every plan it returns lints with zero errors and zero
//! warnings (`tests/design.rs` checks the whole answer space).

use std::collections::BTreeMap;

use ipnet::Ipv4Net;
use serde::Serialize;

use super::answers::Answers;
use crate::catalog::{Catalog, PlatformProfile, StorageProfile};
use crate::plan::{
    ApiLoadBalancer, ApiVersion, Arch, ClusterPlan, ControlPlane, Etcd, EtcdTopology, Kind,
    LbPlacement, LbType, LeaderElection, Machine, Medium, Metadata, Network, Os, Platform,
    PodRequests, Purpose, Spec, Storage, StorageClass, StorageNeed, Tooling, Traffic, WorkerPool,
    Workload,
};
use crate::quorum::{fault_tolerance, quorum};
use crate::sizing::{
    allocatable, control_plane_machine, effective_pods, instance_max_pods, plan_capacity,
    pods_per_node, rank_instances, workers_for, Demand,
};

/// One decision and why it was made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    /// What was decided, e.g. "etcd: 3 members, stacked".
    pub decision: String,
    /// Why, in a sentence.
    pub reason: String,
}

/// The recommendation: one plan per cluster, and the reasons.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Design {
    pub plans: Vec<ClusterPlan>,
    pub reasons: Vec<Reason>,
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
    #[error("`{0}` is not a valid cluster name: use lower-case letters, digits and `-`, starting and ending with a letter or digit, at most 63 characters")]
    BadName(String),
}

struct Builder<'a> {
    c: &'a Catalog,
    a: &'a Answers,
    prof: &'a PlatformProfile,
    reasons: Vec<Reason>,
}

impl Builder<'_> {
    fn why(&mut self, decision: impl Into<String>, reason: impl Into<String>) {
        self.reasons.push(Reason {
            decision: decision.into(),
            reason: reason.into(),
        });
    }
}

/// Whether a name is a DNS label (what `metadata.name` must be).
pub fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// A default cluster name for the answers: `prod-aws`, `dev-on-prem`, `learning`.
pub fn default_name(a: &Answers) -> String {
    match a.purpose {
        Purpose::Learning => "learning".into(),
        Purpose::Development => format!("dev-{}", a.platform),
        Purpose::Testing => format!("test-{}", a.platform),
        Purpose::Production => format!("prod-{}", a.platform),
    }
}

/// Recommends the cluster(s) for a set of answers.
pub fn recommend(c: &Catalog, a: &Answers, name: &str) -> Result<Design, DesignError> {
    if !is_dns_label(name) {
        return Err(DesignError::BadName(name.to_string()));
    }
    let mut b = Builder {
        c,
        a,
        prof: c.platform(a.platform),
        reasons: Vec::new(),
    };
    let plans = match a.purpose {
        Purpose::Learning => vec![learning(&mut b, name)?],
        _ => clusters(&mut b, name)?,
    };
    let mut reasons = b.reasons;
    reasons.sort_by_key(|r| order(&r.decision));
    Ok(Design { plans, reasons })
}

/// The order decisions are told in: shape and tool, control plane, workers,
/// storage, network, and the cluster split last.
fn order(decision: &str) -> u8 {
    const ORDER: &[&str] = &[
        "shape",
        "tooling",
        "node",
        "workload",
        "no failure",
        "etcd",
        "control",
        "API",
        "workers",
        "worker pools",
        "zones",
        "storage",
        "network",
        "clusters",
    ];
    ORDER
        .iter()
        .position(|p| decision.starts_with(p))
        .map_or(u8::MAX, |i| i as u8)
}

fn managed_tool(b: &Builder) -> Option<Tooling> {
    if b.a.managed && b.a.platform != Platform::OnPrem {
        b.prof.tooling.managed
    } else {
        None
    }
}

fn zone_names(prof: &PlatformProfile, n: u32) -> Vec<String> {
    (0..n as usize)
        .map(|i| {
            prof.zone_names
                .get(i)
                .cloned()
                .unwrap_or_else(|| format!("zone-{}", i + 1))
        })
        .collect()
}

fn requests(a: &Answers) -> PodRequests {
    PodRequests {
        cpu: a.pod_cpu,
        memory_gib: a.pod_memory_gib,
    }
}

fn workload(a: &Answers, pods: u64, apps: u64) -> Workload {
    Workload {
        kind: a.workload,
        applications: Some(apps),
        pods,
        containers_per_pod: 1,
        traffic: Some(a.traffic),
        pod_requests: Some(requests(a)),
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{} {many}", crate::fmt::num(n))
    }
}

fn fmt_f(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn plan_shell(b: &Builder, name: &str, tooling: Tooling, zones: Vec<String>) -> ClusterPlan {
    ClusterPlan {
        api_version: ApiVersion::V1,
        kind: Kind::ClusterPlan,
        metadata: Metadata {
            name: name.to_string(),
            annotations: BTreeMap::new(),
            labels: BTreeMap::new(),
        },
        spec: Spec {
            purpose: b.a.purpose,
            platform: b.a.platform,
            tooling: Some(tooling),
            zones,
            control_plane: ControlPlane::default(),
            etcd: None,
            api_load_balancer: None,
            workers: Vec::new(),
            workload: None,
            storage: None,
            network: None,
        },
    }
}

/// One machine a single-node cluster can use: (instance type, cpu, memory,
/// disk, max pods, pods it holds, price).
struct OneNode {
    instance: Option<String>,
    arch: Arch,
    cpu: f64,
    memory_gib: f64,
    disk_gib: f64,
    max_pods: u32,
    holds: u64,
}

/// Learning: one node that runs everything.
fn learning(b: &mut Builder, name: &str) -> Result<ClusterPlan, DesignError> {
    let (c, a) = (b.c, b.a);
    let reqs = requests(a);
    let want = effective_pods(c, a.pods, a.traffic == Traffic::Burst);
    let managed = managed_tool(b);
    let candidates: Vec<(OneNode, f64)> = match managed {
        None => {
            let max_pods = c.limits(a.platform, false).max_pods_per_node;
            c.kubernetes
                .design
                .learning_machines
                .iter()
                .map(|m| {
                    let alloc = allocatable(b.prof, m.cpu, m.memory_gib, max_pods);
                    let node = OneNode {
                        instance: None,
                        arch: Arch::Amd64,
                        cpu: m.cpu,
                        memory_gib: m.memory_gib,
                        disk_gib: m.disk_gib.unwrap_or(c.kubernetes.design.worker_disk_gib),
                        max_pods,
                        holds: pods_per_node(&alloc, max_pods, Some(&reqs)),
                    };
                    (node, m.cpu)
                })
                .collect()
        }
        Some(_) => b
            .prof
            .instances
            .iter()
            .map(|i| {
                let max_pods = instance_max_pods(c, a.platform, true, i);
                let alloc = allocatable(b.prof, i.cpu, i.memory_gib, max_pods);
                let node = OneNode {
                    instance: Some(i.name.clone()),
                    arch: i.arch,
                    cpu: i.cpu,
                    memory_gib: i.memory_gib,
                    disk_gib: c.kubernetes.design.worker_disk_gib,
                    max_pods,
                    holds: pods_per_node(&alloc, max_pods, Some(&reqs)),
                };
                (node, i.price_per_hour.unwrap_or(i.cpu))
            })
            .collect(),
    };
    // The cheapest node that holds the pods; else the one that holds the most.
    let best = candidates
        .iter()
        .filter(|(n, _)| n.holds >= want)
        .min_by(|x, y| x.1.total_cmp(&y.1))
        .or_else(|| {
            candidates
                .iter()
                .filter(|(n, _)| n.holds > 0)
                .max_by(|x, y| x.0.holds.cmp(&y.0.holds).then(y.1.total_cmp(&x.1)))
        })
        .map(|(n, _)| n)
        .ok_or(DesignError::NothingFits {
            platform: a.platform,
            cpu: a.pod_cpu,
            memory: a.pod_memory_gib,
        })?;
    let pods = a.pods.min(best.holds);
    let zones = zone_names(b.prof, 1);
    let machine = Machine {
        cpu: best.cpu,
        memory_gib: best.memory_gib,
        disk_gib: Some(best.disk_gib),
        disk: Some(Medium::Ssd),
    };
    let tooling = managed.unwrap_or(b.prof.tooling.learning);
    let mut plan = plan_shell(b, name, tooling, zones);
    match managed {
        Some(tool) => {
            plan.spec.control_plane.managed = true;
            plan.spec.workers.push(WorkerPool {
                name: "learning".into(),
                nodes: 1,
                zones: Vec::new(),
                machine: machine.clone(),
                instance_type: best.instance.clone(),
                max_pods: best.max_pods,
                os: Os::Linux,
                arch: best.arch,
            });
            b.why(
                format!("shape: {tool}, one worker node"),
                format!("a learning cluster is one node; on a managed service ({tool}) the provider runs the control plane and the one node you pay for runs your pods"),
            );
        }
        None => {
            plan.spec.control_plane = ControlPlane {
                managed: false,
                nodes: Some(1),
                zones: Vec::new(),
                machine: Some(machine.clone()),
                schedulable: Some(true),
                leader_election: None,
            };
            plan.spec.etcd = Some(Etcd {
                topology: Some(EtcdTopology::Stacked),
                members: Some(1),
                zones: Vec::new(),
                machine: None,
            });
            b.why(
                format!("shape: one {tooling} node that runs everything"),
                format!("a learning cluster needs no high availability: one node is control plane, etcd and worker, which {tooling} sets up on a laptop or one VM"),
            );
        }
    }
    b.why(
        format!(
            "node: {} vCPU, {} GiB{}",
            fmt_f(machine.cpu),
            fmt_f(machine.memory_gib),
            best.instance
                .as_ref()
                .map(|i| format!(" ({i})"))
                .unwrap_or_default()
        ),
        if best.holds >= want {
            format!(
                "the smallest size that holds {} at {} CPU / {} GiB each after the node's own reservation",
                plural(want, "pod", "pods"),
                fmt_f(a.pod_cpu),
                fmt_f(a.pod_memory_gib)
            )
        } else {
            format!(
                "no single node holds {} at {} CPU / {} GiB each: this size holds the most ({})",
                plural(want, "pod", "pods"),
                fmt_f(a.pod_cpu),
                fmt_f(a.pod_memory_gib),
                crate::fmt::num(best.holds)
            )
        },
    );
    if pods < a.pods {
        b.why(
            format!("workload: {} of the {} pods", crate::fmt::num(pods), crate::fmt::num(a.pods)),
            format!("one node holds at most {} of these pods; a learning cluster stays one node, so answer `--purpose development` to size workers for all of them", crate::fmt::num(best.holds)),
        );
    }
    if a.tolerate > 0 || a.zones > 1 {
        b.why(
            "no failure tolerance",
            "a learning cluster is one node in one place: the failures to tolerate and zones answers apply to development, testing and production",
        );
    }
    plan.spec.workload = Some(workload(a, pods, a.apps));
    plan.spec.storage = storage(b);
    let max_pods = best.max_pods;
    plan.spec.network = Some(network(b, 1, max_pods));
    Ok(plan)
}

/// Development, testing and production: one or more clusters.
fn clusters(b: &mut Builder, name: &str) -> Result<Vec<ClusterPlan>, DesignError> {
    let (c, a) = (b.c, b.a);
    let dp = &c.kubernetes.design;
    let managed = managed_tool(b);
    let is_managed = managed.is_some();
    let production = a.purpose == Purpose::Production;
    let burst = a.traffic == Traffic::Burst;
    let ha = !is_managed && (production || a.tolerate >= 1);
    let max_members = c.kubernetes.etcd.max_members;

    // etcd members: 2f+1, at least the HA minimum, odd, at most etcd's maximum.
    let members = if ha {
        let mut m = (2 * a.tolerate + 1).max(dp.min_ha_members);
        if m % 2 == 0 {
            m += 1;
        }
        if m > max_members {
            m = if max_members % 2 == 0 {
                max_members - 1
            } else {
                max_members
            };
        }
        m
    } else {
        1
    };

    // Workers: the cheapest instance type for the whole workload.
    let demand = Demand {
        pods: a.pods,
        requests: requests(a),
        zones: a.zones,
        burst,
        production,
        managed: is_managed,
    };
    let ranked = rank_instances(c, a.platform, &demand);
    // Fewest clusters first (each is one more control plane to run), then cost.
    let choice = ranked
        .iter()
        .min_by_key(|c| c.clusters)
        .ok_or(DesignError::NothingFits {
            platform: a.platform,
            cpu: a.pod_cpu,
            memory: a.pod_memory_gib,
        })?;
    let limits = c.limits(a.platform, is_managed);
    let ha_cp = u32::try_from(c.kubernetes.sizing.ha_control_plane_nodes).unwrap_or(3);

    // Topology by size: stacked unless the cluster is large or etcd has 5+ members.
    let topology = |workers: u64| -> (EtcdTopology, u32) {
        if !ha {
            return (EtcdTopology::Stacked, if is_managed { 0 } else { 1 });
        }
        let big = workers + u64::from(members) > c.kubernetes.etcd.external_above_nodes;
        if big || members >= dp.external_etcd_from_members {
            (EtcdTopology::External, ha_cp.max(a.tolerate + 1))
        } else {
            (EtcdTopology::Stacked, members)
        }
    };

    // Split into clusters until each is within the platform's limits.
    let mut count = choice.clusters.max(1);
    let (share, workers, topo, cp_nodes) = loop {
        let share = a.pods.div_ceil(count);
        let eff = effective_pods(c, share, burst);
        let workers = workers_for(eff, choice.pods_per_node, a.zones, production);
        let (topo, cp) = topology(workers);
        let nodes = workers + u64::from(cp);
        if nodes <= limits.max_nodes && share <= limits.max_pods && share <= limits.max_containers {
            break (share, workers, topo, cp);
        }
        count += 1;
    };
    let k8s_nodes = workers + u64::from(cp_nodes);

    // Zones: control planes spread so a zone loss keeps quorum.
    let zones = zone_names(b.prof, a.zones);
    let witness = ha && production && a.zones == 2;
    let mut etcd_zones = zones.clone();
    if witness {
        etcd_zones.push(dp.witness_zone.clone());
    }

    let mut tooling = managed.unwrap_or(b.prof.tooling.self_managed);
    let can_external = |t: Tooling| c.tool(t).is_none_or(|p| p.external_etcd);
    if topo == EtcdTopology::External && !can_external(tooling) {
        tooling = Tooling::Kubeadm;
    }
    let mut proto = plan_shell(b, name, tooling, zones.clone());

    // Control plane, etcd and the API load balancer.
    if is_managed {
        proto.spec.control_plane.managed = true;
    } else {
        let (cpu, mem) = control_plane_machine(c, k8s_nodes);
        proto.spec.control_plane = ControlPlane {
            managed: false,
            nodes: Some(cp_nodes),
            zones: if witness && topo == EtcdTopology::Stacked {
                etcd_zones.clone()
            } else {
                Vec::new()
            },
            machine: Some(Machine {
                cpu,
                memory_gib: mem,
                disk_gib: Some(dp.control_plane_disk_gib),
                disk: Some(Medium::Ssd),
            }),
            schedulable: Some(false),
            leader_election: (cp_nodes > 1).then(LeaderElection::default),
        };
        proto.spec.etcd = Some(match topo {
            EtcdTopology::Stacked => Etcd {
                topology: Some(EtcdTopology::Stacked),
                members: Some(cp_nodes),
                zones: Vec::new(),
                machine: None,
            },
            EtcdTopology::External => {
                let t = c.etcd_tier(k8s_nodes);
                Etcd {
                    topology: Some(EtcdTopology::External),
                    members: Some(members),
                    zones: if witness {
                        etcd_zones.clone()
                    } else {
                        Vec::new()
                    },
                    machine: Some(Machine {
                        cpu: t.cpu,
                        memory_gib: t.memory_gib,
                        disk_gib: t.disk_gib,
                        disk: Some(Medium::Ssd),
                    }),
                }
            }
        });
        proto.spec.api_load_balancer = load_balancer(b, cp_nodes, production);
    }

    // Workers, in pools within the provider's per-pool limit.
    let per_pool = limits
        .max_nodes_per_pool
        .map(|m| {
            let z = u64::from(a.zones.max(1));
            if m >= z {
                m / z * z
            } else {
                m
            }
        })
        .unwrap_or(u64::MAX)
        .max(1);
    let pool_count = workers.div_ceil(per_pool).max(1);
    let machine = Machine {
        cpu: choice.cpu,
        memory_gib: choice.memory_gib,
        disk_gib: Some(dp.worker_disk_gib),
        disk: Some(Medium::Ssd),
    };
    let mut left = workers;
    for i in 0..pool_count {
        let n = left.min(per_pool);
        left -= n;
        proto.spec.workers.push(WorkerPool {
            name: if pool_count == 1 {
                a.workload.as_str().to_string()
            } else {
                format!("{}-{}", a.workload, i + 1)
            },
            nodes: u32::try_from(n).unwrap_or(u32::MAX),
            zones: if witness { zones.clone() } else { Vec::new() },
            machine: machine.clone(),
            instance_type: (a.platform != Platform::OnPrem).then(|| choice.instance_type.clone()),
            max_pods: choice.max_pods,
            os: Os::Linux,
            arch: choice.arch,
        });
    }
    proto.spec.workload = Some(workload(a, share, a.apps.div_ceil(count)));
    proto.spec.storage = storage(b);
    proto.spec.network = Some(network(b, k8s_nodes, choice.max_pods));
    settle_capacity(c, &mut proto, share, production);

    // Reasons.
    reasons_for_cluster(
        b,
        &proto,
        ClusterFacts {
            managed,
            ha,
            members,
            topo,
            cp_nodes,
            witness,
            count,
            workers,
            choice_per_node: choice.pods_per_node,
            instance: choice.instance_type.clone(),
        },
    );

    let mut plans = Vec::new();
    for i in 0..count {
        let mut p = proto.clone();
        if count > 1 {
            let suffix = format!("-{}", i + 1);
            let base: String = name.chars().take(63 - suffix.len()).collect();
            p.metadata.name = format!("{}{suffix}", base.trim_end_matches('-'));
            let pods = a.pods / count + u64::from(i < a.pods % count);
            if let Some(w) = p.spec.workload.as_mut() {
                w.pods = pods;
            }
        }
        plans.push(p);
    }
    Ok(plans)
}

/// Adds worker nodes until the lint capacity engine agrees the plan holds
/// its pods (and, in production, still holds them after the worst failure).
/// The sizing formulas already give that count; this guards uneven pools.
fn settle_capacity(c: &Catalog, plan: &mut ClusterPlan, pods: u64, production: bool) {
    for _ in 0..10_000 {
        let cap = plan_capacity(c, plan);
        let (left, _) = cap.after_failure(plan.zones().len());
        if cap.total() >= pods && (!production || left >= pods) {
            return;
        }
        match plan.spec.workers.last_mut() {
            Some(pool) => pool.nodes += 1,
            None => return,
        }
    }
}

fn load_balancer(b: &mut Builder, cp_nodes: u32, production: bool) -> Option<ApiLoadBalancer> {
    if cp_nodes <= 1 {
        return None;
    }
    let dp = &b.c.kubernetes.design;
    let lb = &b.prof.load_balancer;
    Some(match lb.kind {
        LbType::Cloud | LbType::None => ApiLoadBalancer {
            kind: LbType::Cloud,
            replicas: None,
            virtual_ip: false,
            placement: None,
            port: dp.api_server_port,
            machine: None,
        },
        kind if production => {
            let m = &b.c.kubernetes.sizing.load_balancer_machine;
            ApiLoadBalancer {
                kind,
                replicas: Some(dp.load_balancer_replicas.max(2)),
                virtual_ip: true,
                placement: Some(LbPlacement::Dedicated),
                port: dp.api_server_port,
                machine: Some(Machine {
                    cpu: m.cpu,
                    memory_gib: m.memory_gib,
                    disk_gib: m.disk_gib,
                    disk: Some(Medium::Ssd),
                }),
            }
        }
        kind => ApiLoadBalancer {
            kind,
            replicas: Some(cp_nodes),
            virtual_ip: true,
            placement: Some(LbPlacement::ControlPlane),
            port: dp.load_balancer_port_on_control_plane,
            machine: None,
        },
    })
}

fn class(p: &StorageProfile, default: bool) -> StorageClass {
    StorageClass {
        name: p.name.clone(),
        medium: p.medium,
        access_modes: p.access_modes.clone(),
        provisioner: Some(p.provisioner.clone()),
        default,
    }
}

/// Storage classes from the needs and the platform's storage profiles.
fn storage(b: &mut Builder) -> Option<Storage> {
    let a = b.a;
    let st = &b.prof.storage;
    let fast = a.wants(StorageNeed::Fast);
    let shared = a.wants(StorageNeed::Shared);
    let stateful = a.workload == crate::plan::WorkloadKind::Stateful;
    if !fast && !shared && !stateful {
        b.why(
            "storage: no storage classes",
            "the applications need no persistent volumes; add a class when one does",
        );
        return None;
    }
    let (default, why) = if fast {
        (&st.fast, "SSD block volumes were asked for: the fast class is the default, so claims that name no class get SSD".to_string())
    } else if a.workload.is_data_heavy() {
        (
            &st.fast,
            format!(
                "a {} workload lives on its data: its default class must be SSD{}",
                a.workload,
                if stateful && !shared {
                    ", and its volume claims need a class to bind at all"
                } else {
                    ""
                }
            ),
        )
    } else {
        (
            &st.standard,
            "claims that name no class need a default: the platform's standard SSD block class"
                .to_string(),
        )
    };
    let mut classes = vec![class(default, true)];
    b.why(
        format!(
            "storage: `{}` ({}, {}) as the default class",
            default.name, default.medium, default.provisioner
        ),
        why,
    );
    if shared {
        classes.push(class(&st.shared, false));
        b.why(
            format!("storage: `{}` ({}, ReadWriteMany)", st.shared.name, st.shared.provider_label()),
            "shared access across pods needs a network file class: block volumes attach to one node at a time; applications that share data name this class",
        );
    }
    Some(Storage { classes })
}

impl StorageProfile {
    fn provider_label(&self) -> String {
        format!("{}, {}", self.medium, self.provisioner)
    }
}

/// Pod and service CIDRs sized for the node count.
fn network(b: &mut Builder, nodes: u64, max_pods: u32) -> Network {
    let np = &b.c.kubernetes.design.network;
    // Each node's subnet holds twice its max pods, as GKE sizes them (110
    // pods: /24, 256: /23), so addresses are not reused at once when pods
    // churn; never smaller than kubeadm's default /24.
    let pod_bits = (f64::from(2 * max_pods.max(1))).log2().ceil() as u8;
    let mask = (32 - pod_bits.min(24)).min(24);
    let want = (nodes.max(1) * np.node_growth.max(1)) as f64;
    let subnet_bits = want.log2().ceil() as u8;
    let prefix = mask.saturating_sub(subnet_bits).clamp(8, 16);
    let pod = Ipv4Net::new(np.pod_base, prefix)
        .map(|n| n.trunc())
        .unwrap_or(np.service_cidr);
    let svc =
        if pod.contains(&np.service_cidr.network()) || np.service_cidr.contains(&pod.network()) {
            np.alternate_service_cidr
        } else {
            np.service_cidr
        };
    let subnets = 1u64 << (mask - prefix);
    b.why(
        format!("network: pods {pod} with a /{mask} per node, services {svc}"),
        format!(
            "a /{mask} gives each node {} addresses for its {} pods; {pod} holds {} node subnets for {}",
            (1u64 << (32 - mask)) - 2,
            max_pods,
            crate::fmt::num(subnets),
            plural(nodes, "node", "nodes")
        ),
    );
    Network {
        pod_cidr: pod.to_string(),
        service_cidr: svc.to_string(),
        node_cidr_mask_size: Some(mask),
    }
}

struct ClusterFacts {
    managed: Option<Tooling>,
    ha: bool,
    members: u32,
    topo: EtcdTopology,
    cp_nodes: u32,
    witness: bool,
    count: u64,
    workers: u64,
    choice_per_node: u64,
    instance: String,
}

fn reasons_for_cluster(b: &mut Builder, plan: &ClusterPlan, f: ClusterFacts) {
    let (c, a) = (b.c, b.a);
    let num = crate::fmt::num;
    let tool = plan.spec.tooling.map(|t| t.as_str()).unwrap_or("kubeadm");
    match f.managed {
        Some(t) => b.why(
            format!("tooling: {t} (managed control plane)"),
            format!("the provider runs etcd, the API servers and their load balancer on {}: the plan has no control-plane machines, etcd or API load balancer to size", b.prof.title),
        ),
        None => {
            let usual = b.prof.tooling.self_managed;
            let why = if a.platform == Platform::OnPrem {
                "on your own machines kubeadm bootstraps each node; you provision the hosts".to_string()
            } else if a.managed {
                format!("{} offers no managed service in the catalog: {tool} builds the control plane on VMs", b.prof.title)
            } else if usual.as_str() != tool {
                format!("{usual} keeps etcd on its control-plane nodes; kubeadm joins the control plane to external etcd members on {} VMs you provision", b.prof.title)
            } else if tool == "kubeadm" {
                format!("a self-managed control plane on {} VMs you provision: kubeadm bootstraps each node", b.prof.title)
            } else {
                format!("a self-managed control plane on {}: {tool} provisions the VMs and bootstraps Kubernetes", b.prof.title)
            };
            b.why(format!("tooling: {tool}"), why);
        }
    }
    if f.managed.is_none() {
        let q = quorum(f.members);
        let ft = fault_tolerance(f.members);
        if f.ha {
            let asked = 2 * a.tolerate + 1;
            let why = if f.members == asked {
                format!(
                    "surviving {} needs 2f+1 = {} members (quorum {q})",
                    plural(u64::from(a.tolerate), "failure", "failures"),
                    f.members
                )
            } else if f.members > asked {
                format!("an HA control plane needs at least {} etcd members (quorum {q}, survives {ft}); fewer tolerate no failure", f.members)
            } else {
                format!(
                    "etcd advises at most {} members: {} survive {ft} failures",
                    c.kubernetes.etcd.max_members, f.members
                )
            };
            b.why(format!("etcd: {} members", f.members), why);
            let topo_why = match f.topo {
                EtcdTopology::Stacked => format!(
                    "stacked etcd runs one member on each of the {} control-plane nodes: fewer machines and simpler to run; the cluster is small enough ({} nodes, at most {}) for it",
                    f.cp_nodes, num(f.workers + u64::from(f.cp_nodes)), c.kubernetes.etcd.external_above_nodes
                ),
                EtcdTopology::External if f.members >= c.kubernetes.design.external_etcd_from_members => format!(
                    "{} members stacked would need {} control-plane nodes; on their own machines a failed control-plane node does not take an etcd member with it, and {} control-plane nodes keep the API up",
                    f.members, f.members, f.cp_nodes
                ),
                EtcdTopology::External => format!(
                    "{} nodes is a large cluster (over {}): etcd on its own SSD machines keeps its fsync latency away from the API servers' load",
                    num(f.workers + u64::from(f.cp_nodes)), c.kubernetes.etcd.external_above_nodes
                ),
            };
            b.why(format!("etcd topology: {}", f.topo), topo_why);
            let spread = crate::plan::spread(plan.etcd_members(), &plan.etcd_zones());
            let layout: Vec<String> = spread.iter().map(|(z, n)| format!("{z}={n}")).collect();
            let zone_why = if f.witness {
                format!("with 2 zones, the zone holding the majority would take quorum with it: one member goes to a third site (`{}`, a small VM elsewhere is enough) so that losing either zone leaves {q} of {}", c.kubernetes.design.witness_zone, f.members)
            } else if a.zones >= 3 {
                let worst = spread.iter().map(|(_, n)| *n).max().unwrap_or(0);
                format!("no zone holds more than {}, so losing any one zone leaves at least {} of {}, quorum {q}", plural(u64::from(worst), "member", "members"), f.members - worst, f.members)
            } else if a.zones == 1 {
                "one zone: the members survive node failures, not the zone's loss (add zones to survive that)".to_string()
            } else {
                format!("with {} zones the zone holding the most members takes quorum with it; a {} cluster accepts that, production adds a member in a third site", a.zones, a.purpose)
            };
            b.why(format!("etcd placement: {}", layout.join(", ")), zone_why);
        } else {
            b.why(
                "control plane: 1 node, stacked etcd (1 member)",
                format!("a {} cluster needs no HA: one control-plane node and several workers; if it fails, running pods keep serving but nothing is rescheduled until it is back (answer --tolerate 1 for 3)", a.purpose),
            );
        }
        if let Some(m) = &plan.spec.control_plane.machine {
            b.why(
                format!("control-plane machines: {} vCPU, {} GiB, SSD", fmt_f(m.cpu), fmt_f(m.memory_gib)),
                format!("the kube-up size table for a cluster of {}, never below kubeadm's 2 CPUs; SSD because etcd's writes wait on fsync", plural(plan.k8s_nodes(), "node", "nodes")),
            );
        }
        if f.ha {
            b.why(
                "control plane not schedulable",
                "the control-plane nodes of an HA cluster run no ordinary pods, so a busy application cannot starve the API server or etcd",
            );
        }
        if let Some(lb) = &plan.spec.api_load_balancer {
            let why = match (lb.kind, lb.placement) {
                (LbType::Cloud, _) => format!("{} in front of the {} API servers: the provider keeps it highly available, so it is no single point of failure", b.prof.load_balancer.title, f.cp_nodes),
                (_, Some(LbPlacement::Dedicated)) => format!("{}: two {} machines share a keepalived virtual IP on port {}, so losing one balancer (or any control-plane node) keeps the API reachable", b.prof.load_balancer.title, lb.kind, lb.port),
                _ => format!("{} and keepalived on each control-plane node share a virtual IP; {} listens on {} because kube-apiserver holds {} on the same machines", lb.kind, lb.kind, lb.port, c.kubernetes.design.api_server_port),
            };
            let what = match lb.kind {
                LbType::Cloud => "API load balancer: cloud".to_string(),
                k => format!(
                    "API load balancer: {} x{} with a virtual IP",
                    k,
                    lb.replicas.unwrap_or(1)
                ),
            };
            b.why(what, why);
        } else if f.cp_nodes == 1 {
            b.why(
                "API load balancer: none",
                format!("one control-plane node: clients reach its API server on port {} directly; a load balancer comes with a second control plane", c.kubernetes.design.api_server_port),
            );
        }
    }
    // Workers.
    let Some(pool) = plan.spec.workers.first() else {
        return;
    };
    let total: u64 = plan.spec.workers.iter().map(|w| u64::from(w.nodes)).sum();
    let burst_note = if a.traffic == Traffic::Burst {
        format!(
            " plus {}% burst headroom",
            (c.kubernetes.sizing.burst_headroom * 100.0).round()
        )
    } else {
        String::new()
    };
    let headroom = if a.purpose == Purpose::Production && a.zones >= 2 {
        format!(
            "enough that losing the largest of the {} zones still leaves room for every pod",
            a.zones
        )
    } else {
        "one spare node (N+1)".to_string()
    };
    let shape = if a.platform == Platform::OnPrem {
        format!(
            "{} vCPU / {} GiB servers",
            fmt_f(pool.machine.cpu),
            fmt_f(pool.machine.memory_gib)
        )
    } else {
        format!(
            "{} ({} vCPU, {} GiB)",
            f.instance,
            fmt_f(pool.machine.cpu),
            fmt_f(pool.machine.memory_gib)
        )
    };
    let rank = match (
        b.prof.instances.iter().any(|i| i.price_per_hour.is_some()),
        f.count > 1,
    ) {
        (true, false) => "the cheapest per month of the catalog",
        (true, true) => "of the types needing the fewest clusters, the cheapest per month",
        (false, false) => "the fewest vCPUs in total of the catalog's server shapes",
        (false, true) => "of the shapes needing the fewest clusters, the fewest vCPUs in total",
    };
    b.why(
        format!("workers: {} x {shape}{}", num(total), if f.count > 1 { " per cluster" } else { "" }),
        format!(
            "{rank} for {} at {} CPU / {} GiB{burst_note}: {} per node (maxPods {}), and {headroom}",
            plural(plan.spec.workload.as_ref().map_or(0, |w| w.pods), "pod", "pods"),
            fmt_f(a.pod_cpu),
            fmt_f(a.pod_memory_gib),
            f.choice_per_node,
            pool.max_pods
        ),
    );
    if plan.spec.workers.len() > 1 {
        b.why(
            format!("worker pools: {}", plan.spec.workers.len()),
            format!(
                "{} allows at most {} nodes per pool",
                tool.to_uppercase(),
                c.limits(a.platform, true).max_nodes_per_pool.unwrap_or(0)
            ),
        );
    }
    if a.purpose == Purpose::Production && a.zones == 1 {
        b.why(
            "zones: 1",
            "only one failure domain is available: the design survives node failures but not the loss of the zone",
        );
    }
    if f.count > 1 {
        let limits = c.limits(a.platform, f.managed.is_some());
        b.why(
            format!("clusters: {}", f.count),
            format!(
                "{} at peak is more than one cluster holds on {} (at most {} pods and {} nodes each): {} clusters of up to {} pods on {} nodes, each a plan; spread the applications over them",
                plural(a.pods, "pod", "pods"),
                f.managed.map(|t| t.as_str().to_uppercase()).unwrap_or_else(|| format!("{} (upstream limits)", a.platform)),
                num(limits.max_pods),
                num(limits.max_nodes),
                f.count,
                num(a.pods.div_ceil(f.count)),
                num(plan.k8s_nodes())
            ),
        );
    }
}
