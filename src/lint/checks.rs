//! The checks behind the rules. Each takes the typed plan and returns hits
//! whose messages carry this plan's numbers. Domain figures come from the
//! catalog (`profiles/`), never from literals here.

use super::{Ctx, Hit};
use crate::plan::{
    spread, AccessMode, EtcdTopology, LbPlacement, LbType, Medium, Tooling, WorkloadKind,
};
use crate::quorum::{fault_tolerance, quorum};
use crate::sizing;
use crate::units::parse_duration;

fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Thousands separators for counts in messages.
pub fn num(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn fmt_f(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

/// etcd members that exist in this plan (None when the provider runs etcd).
fn etcd_members(ctx: &Ctx) -> Option<u32> {
    ctx.plan.etcd_topology().map(|_| ctx.plan.etcd_members())
}

fn odd_help(n: u32, max: u32) -> String {
    match (n - 1, n + 1) {
        (down, up) if down >= 3 && up <= max => format!("use {down} or {up} members"),
        (down, _) if down >= 3 => format!("use {down} members"),
        (_, up) => format!("use {up} members"),
    }
}

pub fn etcd_even_members(ctx: &Ctx) -> Vec<Hit> {
    match etcd_members(ctx) {
        Some(n) if n > 0 && n % 2 == 0 => vec![Hit::new(
            ctx.plan.etcd_members_field(),
            format!(
                "etcd has {n} members: quorum {}, tolerates {}, the same as {}",
                quorum(n),
                plural(u64::from(fault_tolerance(n)), "failure", "failures"),
                plural(u64::from(n - 1), "member", "members")
            ),
            odd_help(n, ctx.catalog.kubernetes.etcd.max_members),
        )],
        _ => vec![],
    }
}

pub fn etcd_no_fault_tolerance(ctx: &Ctx) -> Vec<Hit> {
    match etcd_members(ctx) {
        Some(n) if n < 3 => {
            let stacked = ctx.plan.etcd_topology() == Some(EtcdTopology::Stacked);
            let msg = if n == 0 {
                "etcd has no members: the cluster has nowhere to store its state".to_string()
            } else {
                format!(
                    "etcd has {}: quorum is {}, so losing any one member stops all writes",
                    plural(u64::from(n), "member", "members"),
                    quorum(n)
                )
            };
            let help = if stacked {
                "run 3 control-plane nodes (3 stacked etcd members tolerate 1 failure), or 5 to tolerate 2"
            } else {
                "run 3 etcd members (tolerates 1 failure), or 5 to tolerate 2"
            };
            vec![Hit::new(ctx.plan.etcd_members_field(), msg, help)]
        }
        _ => vec![],
    }
}

pub fn etcd_too_many_members(ctx: &Ctx) -> Vec<Hit> {
    let figures = &ctx.catalog.kubernetes.etcd;
    match etcd_members(ctx) {
        Some(n) if n > figures.max_members => vec![Hit::new(
            ctx.plan.etcd_members_field(),
            format!(
                "etcd has {n} members: every write waits for {} acknowledgements, and {} members already tolerate {} failures",
                quorum(n),
                figures.recommended_members,
                fault_tolerance(figures.recommended_members)
            ),
            format!(
                "use {} members (or {} at most)",
                figures.recommended_members, figures.max_members
            ),
        )],
        _ => vec![],
    }
}

pub fn etcd_stacked_member_mismatch(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    let Some(etcd) = &p.spec.etcd else {
        return vec![];
    };
    let (Some(EtcdTopology::Stacked), Some(members)) = (p.etcd_topology(), etcd.members) else {
        return vec![];
    };
    let cp = p.cp_nodes();
    if members == cp {
        return vec![];
    }
    vec![Hit::new(
        "spec.etcd.members",
        format!("stacked etcd has {members} members but the control plane has {cp} nodes; stacked etcd runs one member on each control-plane node"),
        format!("set `etcd.members: {cp}`, or use `topology: external` with its own machines"),
    )]
}

pub fn etcd_zone_quorum_loss(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    let Some(n) = etcd_members(ctx) else {
        return vec![];
    };
    if p.zones().len() < 2 || n == 0 {
        return vec![];
    }
    let q = quorum(n);
    let placement = spread(n, &p.etcd_zones());
    let worst = placement.iter().max_by_key(|(_, m)| *m).cloned();
    let Some((zone, lost)) = worst else {
        return vec![];
    };
    if n - lost >= q {
        return vec![];
    }
    let field = match (p.etcd_topology(), &p.spec.etcd) {
        (Some(EtcdTopology::External), Some(e)) if !e.zones.is_empty() => "spec.etcd.zones",
        (Some(EtcdTopology::External), _) => "spec.zones",
        _ if !p.spec.control_plane.zones.is_empty() => "spec.controlPlane.zones",
        _ => "spec.zones",
    };
    let layout: Vec<String> = placement.iter().map(|(z, m)| format!("{z}={m}")).collect();
    vec![Hit::new(
        field,
        format!(
            "losing zone {zone} ({lost} of {n} etcd members) leaves {}, below quorum {q} (members per zone: {})",
            n - lost,
            layout.join(", ")
        ),
        format!("spread the members so that no zone holds more than {}: e.g. 3 members over 3 zones, or 5 as 2+2+1", n - q),
    )]
}

pub fn etcd_undersized(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    if p.etcd_topology() != Some(EtcdTopology::External) {
        return vec![];
    }
    let Some(m) = p.spec.etcd.as_ref().and_then(|e| e.machine.as_ref()) else {
        return vec![];
    };
    let nodes = p.k8s_nodes();
    let tier = ctx.catalog.etcd_tier(nodes);
    if m.cpu >= tier.cpu && m.memory_gib >= tier.memory_gib {
        return vec![];
    }
    let field = if m.cpu < tier.cpu {
        "spec.etcd.machine.cpu"
    } else {
        "spec.etcd.machine.memoryGiB"
    };
    vec![Hit::new(
        field,
        format!(
            "external etcd machines have {} vCPU / {} GiB; a cluster of {} calls for {} vCPU / {} GiB",
            fmt_f(m.cpu),
            fmt_f(m.memory_gib),
            plural(nodes, "node", "nodes"),
            fmt_f(tier.cpu),
            fmt_f(tier.memory_gib)
        ),
        format!(
            "use etcd machines with at least {} vCPU and {} GiB of memory on SSD (etcd hardware guide)",
            fmt_f(tier.cpu),
            fmt_f(tier.memory_gib)
        ),
    )]
}

pub fn etcd_disk_not_ssd(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    let (machine, field, what) = match p.etcd_topology() {
        Some(EtcdTopology::External) => (
            p.spec.etcd.as_ref().and_then(|e| e.machine.as_ref()),
            "spec.etcd.machine.disk",
            "the external etcd machines",
        ),
        Some(EtcdTopology::Stacked) => (
            p.spec.control_plane.machine.as_ref(),
            "spec.controlPlane.machine.disk",
            "the control-plane machines (stacked etcd)",
        ),
        None => return vec![],
    };
    match machine.and_then(|m| m.disk) {
        Some(d) if d != Medium::Ssd => vec![Hit::new(
            field,
            format!("etcd runs on {d} disks on {what}; etcd needs low fsync latency (WAL fsync p99 under 10 ms)"),
            "use `disk: ssd` for the machines that hold etcd",
        )],
        _ => vec![],
    }
}

pub fn managed_control_plane_conflict(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    let cp = &p.spec.control_plane;
    let mut hits = Vec::new();
    if cp.managed {
        let mut parts = Vec::new();
        if p.spec.etcd.is_some() {
            parts.push(("spec.etcd", "etcd"));
        }
        if cp.nodes.is_some_and(|n| n > 0) {
            parts.push(("spec.controlPlane.nodes", "control-plane nodes"));
        }
        if cp.machine.is_some() {
            parts.push(("spec.controlPlane.machine", "a control-plane machine"));
        }
        if p.spec.api_load_balancer.is_some() {
            parts.push(("spec.apiLoadBalancer", "an API load balancer"));
        }
        for (field, what) in parts {
            hits.push(Hit::new(
                field,
                format!("the control plane is managed by the provider, yet the plan sets {what}"),
                "remove it: the provider runs etcd, the API servers and their load balancer",
            ));
        }
    }
    if let Some(tool) = p.spec.tooling {
        if let Some(want) = ctx.catalog.tool(tool).and_then(|t| t.managed) {
            if want != cp.managed {
                let msg = if want {
                    format!("{tool} runs a provider-managed control plane, but `controlPlane.managed` is false")
                } else {
                    format!("{tool} builds a self-managed control plane, but `controlPlane.managed` is true")
                };
                hits.push(Hit::new(
                    "spec.controlPlane.managed",
                    msg,
                    format!("set `controlPlane.managed: {want}`, or choose a tool that matches"),
                ));
            }
        }
    }
    hits
}

pub fn control_plane_single(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    if p.managed() || p.cp_nodes() != 1 {
        return vec![];
    }
    vec![Hit::new(
        "spec.controlPlane.nodes",
        "one control-plane node: if it fails, nothing reschedules failed pods and the API (kubectl) is gone",
        "run 3 control-plane nodes behind a load balancer, or use a managed control plane",
    )]
}

pub fn control_plane_schedulable(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    if p.managed() || p.spec.control_plane.schedulable != Some(true) {
        return vec![];
    }
    vec![Hit::new(
        "spec.controlPlane.schedulable",
        "workloads may run on the production control-plane nodes, competing with the API server and etcd",
        "set `schedulable: false` and size the worker pools for the workload",
    )]
}

pub fn control_plane_undersized(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    let Some(m) = p
        .spec
        .control_plane
        .machine
        .as_ref()
        .filter(|_| !p.managed())
    else {
        return vec![];
    };
    let nodes = p.k8s_nodes();
    let size = ctx.catalog.control_plane_size(nodes);
    if m.cpu >= size.cpu {
        return vec![];
    }
    vec![Hit::new(
        "spec.controlPlane.machine.cpu",
        format!(
            "control-plane machines have {} vCPU; a cluster of {} calls for {} vCPU",
            fmt_f(m.cpu),
            plural(nodes, "node", "nodes"),
            fmt_f(size.cpu)
        ),
        format!(
            "use control-plane machines with at least {} vCPU",
            fmt_f(size.cpu)
        ),
    )]
}

pub fn machine_below_minimum(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    let min = &ctx.catalog.kubernetes.kubeadm_minimum;
    let mut hits = Vec::new();
    let mut mem = |field: String, what: String, gib: f64| {
        if gib < min.memory_gib {
            hits.push(Hit::new(
                field,
                format!(
                    "{what} has {} GiB of memory, below kubeadm's minimum of {} GiB",
                    fmt_f(gib),
                    fmt_f(min.memory_gib)
                ),
                format!(
                    "give every machine at least {} GiB of memory",
                    fmt_f(min.memory_gib)
                ),
            ));
        }
    };
    if !p.managed() {
        if let Some(m) = &p.spec.control_plane.machine {
            mem(
                "spec.controlPlane.machine.memoryGiB".into(),
                "the control-plane machine".into(),
                m.memory_gib,
            );
        }
    }
    if p.etcd_topology() == Some(EtcdTopology::External) {
        if let Some(m) = p.spec.etcd.as_ref().and_then(|e| e.machine.as_ref()) {
            mem(
                "spec.etcd.machine.memoryGiB".into(),
                "the etcd machine".into(),
                m.memory_gib,
            );
        }
    }
    for (i, w) in p.spec.workers.iter().enumerate() {
        mem(
            format!("spec.workers[{i}].machine.memoryGiB"),
            format!("worker pool `{}`", w.name),
            w.machine.memory_gib,
        );
    }
    if !p.managed() {
        if let Some(m) = &p.spec.control_plane.machine {
            if m.cpu < min.control_plane_cpu {
                hits.push(Hit::new(
                    "spec.controlPlane.machine.cpu",
                    format!(
                        "the control-plane machine has {} CPU, below kubeadm's minimum of {}",
                        fmt_f(m.cpu),
                        fmt_f(min.control_plane_cpu)
                    ),
                    format!(
                        "give control-plane machines at least {} CPUs",
                        fmt_f(min.control_plane_cpu)
                    ),
                ));
            }
        }
    }
    hits
}

pub fn leader_election_disabled(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    if p.managed() || p.cp_nodes() <= 1 || p.leader_election().enabled {
        return vec![];
    }
    vec![Hit::new(
        "spec.controlPlane.leaderElection.enabled",
        format!(
            "{} control-plane nodes with leader election disabled: {} controller-managers and schedulers act at once",
            p.cp_nodes(),
            p.cp_nodes()
        ),
        "enable leader election (`enabled: true`, kube's `--leader-elect=true` default)",
    )]
}

pub fn leader_election_timing(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    let le = p.leader_election();
    if p.managed() || !le.enabled {
        return vec![];
    }
    let (Ok(lease), Ok(renew), Ok(retry)) = (
        parse_duration(&le.lease_duration),
        parse_duration(&le.renew_deadline),
        parse_duration(&le.retry_period),
    ) else {
        return vec![];
    };
    let base = "spec.controlPlane.leaderElection";
    let help =
        "keep leaseDuration > renewDeadline > 1.2 x retryPeriod > 0 (defaults 15s / 10s / 2s)";
    let problem = if lease <= 0.0 || renew <= 0.0 || retry <= 0.0 {
        let field = if lease <= 0.0 {
            "leaseDuration"
        } else if renew <= 0.0 {
            "renewDeadline"
        } else {
            "retryPeriod"
        };
        Some((
            field,
            format!("leader election {field} must be greater than zero"),
        ))
    } else if lease <= renew {
        Some((
            "leaseDuration",
            format!(
                "leaseDuration {} must be greater than renewDeadline {}",
                le.lease_duration, le.renew_deadline
            ),
        ))
    } else if renew <= 1.2 * retry {
        Some((
            "renewDeadline",
            format!(
                "renewDeadline {} must be greater than 1.2 x retryPeriod {} ({}s)",
                le.renew_deadline,
                le.retry_period,
                fmt_f((1.2 * retry * 1000.0).round() / 1000.0)
            ),
        ))
    } else {
        None
    };
    problem
        .map(|(f, m)| vec![Hit::new(format!("{base}.{f}"), m, help)])
        .unwrap_or_default()
}

pub fn api_lb_missing(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    if p.managed() || p.cp_nodes() <= 1 {
        return vec![];
    }
    let lb = p.spec.api_load_balancer.as_ref();
    if lb.is_some_and(|l| l.kind != LbType::None) {
        return vec![];
    }
    let field = if lb.is_some() {
        "spec.apiLoadBalancer.type"
    } else {
        "spec.controlPlane.nodes"
    };
    vec![Hit::new(
        field,
        format!(
            "{} control-plane nodes and no API load balancer: clients can reach only one API server",
            p.cp_nodes()
        ),
        "add `apiLoadBalancer`: a cloud LB, or an HAProxy pair sharing a keepalived virtual IP",
    )]
}

pub fn api_lb_single_point_of_failure(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    let Some(lb) = p.spec.api_load_balancer.as_ref() else {
        return vec![];
    };
    if p.managed() || !matches!(lb.kind, LbType::Haproxy | LbType::Nginx) {
        return vec![];
    }
    let replicas = lb.replicas.unwrap_or(1);
    let on_cp = lb.placement == Some(LbPlacement::ControlPlane);
    let help = "run 2 or more replicas sharing a keepalived virtual IP (`virtualIP: true`), or use a cloud load balancer";
    if replicas <= 1 {
        let msg = if on_cp {
            format!("{} runs once, on one control-plane node: losing that node takes the API down for every client (the seed notes' single-HAProxy design)", lb.kind)
        } else {
            format!("the API load balancer is one {} machine: its loss takes the API down however many control-plane nodes stand behind it", lb.kind)
        };
        let field = if lb.replicas.is_some() {
            "spec.apiLoadBalancer.replicas"
        } else {
            "spec.apiLoadBalancer.type"
        };
        return vec![Hit::new(field, msg, help)];
    }
    if !lb.virtual_ip {
        return vec![Hit::new(
            "spec.apiLoadBalancer.virtualIP",
            format!("{replicas} {} replicas without a virtual IP: clients still point at one replica's address", lb.kind),
            "set `virtualIP: true` (keepalived moves one address between the replicas)",
        )];
    }
    vec![]
}

fn limits<'a>(ctx: &Ctx<'a>) -> &'a crate::catalog::Limits {
    ctx.catalog
        .limits(ctx.plan.spec.platform, ctx.plan.managed())
}

fn platform_label(ctx: &Ctx) -> String {
    let p = ctx.plan;
    match (
        p.managed(),
        ctx.catalog.platform(p.spec.platform).tooling.managed,
    ) {
        (true, Some(tool)) => tool.as_str().to_uppercase(),
        _ => format!("{} (upstream limits)", p.spec.platform),
    }
}

pub fn cluster_nodes_over_limit(ctx: &Ctx) -> Vec<Hit> {
    let nodes = ctx.plan.k8s_nodes();
    let max = limits(ctx).max_nodes;
    if nodes <= max {
        return vec![];
    }
    vec![Hit::new(
        "spec.workers",
        format!("the plan has {} nodes; one cluster on {} holds at most {}", num(nodes), platform_label(ctx), num(max)),
        "split the workload over several clusters (`kubeplan design` does this), or use larger nodes",
    )]
}

pub fn pods_per_node_over_limit(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    let mut hits = Vec::new();
    for (i, w) in p.spec.workers.iter().enumerate() {
        let limit = sizing::node_pod_limit(ctx.catalog, p, w);
        if w.max_pods > limit {
            let source = match &w.instance_type {
                Some(t)
                    if p.managed()
                        && ctx.catalog.platform(p.spec.platform).eni_max_pods
                        && ctx.catalog.instance(p.spec.platform, t).is_some() =>
                {
                    format!("{t} on EKS (ENI limit)")
                }
                _ => platform_label(ctx),
            };
            hits.push(Hit::new(
                format!("spec.workers[{i}].maxPods"),
                format!(
                    "pool `{}` sets maxPods {}; a node on {source} holds at most {limit} pods",
                    w.name, w.max_pods
                ),
                format!("set `maxPods: {limit}` and add nodes, or pick a larger instance type"),
            ));
        }
    }
    hits
}

pub fn pods_per_node_over_cores(ctx: &Ctx) -> Vec<Hit> {
    let per_core = f64::from(ctx.catalog.kubernetes.pods_per_core);
    let mut hits = Vec::new();
    for (i, w) in ctx.plan.spec.workers.iter().enumerate() {
        let cap = (per_core * w.machine.cpu).floor();
        if f64::from(w.max_pods) > cap {
            hits.push(Hit::new(
                format!("spec.workers[{i}].maxPods"),
                format!(
                    "pool `{}` sets maxPods {} on {} vCPU machines: more than {} pods per core ({} here)",
                    w.name,
                    w.max_pods,
                    fmt_f(w.machine.cpu),
                    fmt_f(per_core),
                    fmt_f(cap)
                ),
                format!("set `maxPods` to at most {} or use larger machines", fmt_f(cap)),
            ));
        }
    }
    hits
}

pub fn cluster_pods_over_limit(ctx: &Ctx) -> Vec<Hit> {
    let Some(w) = &ctx.plan.spec.workload else {
        return vec![];
    };
    let max = limits(ctx).max_pods;
    if w.pods <= max {
        return vec![];
    }
    vec![Hit::new(
        "spec.workload.pods",
        format!(
            "the workload has {} pods; one cluster on {} holds at most {}",
            num(w.pods),
            platform_label(ctx),
            num(max)
        ),
        format!(
            "split the workload over {} clusters or more",
            w.pods.div_ceil(max)
        ),
    )]
}

pub fn cluster_containers_over_limit(ctx: &Ctx) -> Vec<Hit> {
    let Some(w) = &ctx.plan.spec.workload else {
        return vec![];
    };
    let containers = w.pods.saturating_mul(w.containers_per_pod);
    let max = limits(ctx).max_containers;
    if containers <= max {
        return vec![];
    }
    vec![Hit::new(
        "spec.workload.containersPerPod",
        format!(
            "the workload runs {} containers ({} pods x {}); one cluster holds at most {}",
            num(containers),
            num(w.pods),
            w.containers_per_pod,
            num(max)
        ),
        "split the workload over several clusters, or run fewer containers per pod",
    )]
}

fn requests_note(ctx: &Ctx) -> String {
    match ctx
        .plan
        .spec
        .workload
        .as_ref()
        .and_then(|w| w.pod_requests.as_ref())
    {
        Some(r) => format!(
            " at {} CPU / {} GiB per pod",
            fmt_f(r.cpu),
            fmt_f(r.memory_gib)
        ),
        None => String::new(),
    }
}

pub fn worker_capacity_insufficient(ctx: &Ctx) -> Vec<Hit> {
    let Some(w) = &ctx.plan.spec.workload else {
        return vec![];
    };
    let cap = sizing::plan_capacity(ctx.catalog, ctx.plan);
    let total = cap.total();
    if w.pods <= total {
        return vec![];
    }
    vec![Hit::new(
        "spec.workload.pods",
        format!(
            "the workload needs {} pods but the cluster holds {}{}",
            num(w.pods),
            num(total),
            requests_note(ctx)
        ),
        "add worker nodes or use larger machines (`kubeplan size` computes the count)",
    )]
}

pub fn worker_no_failure_headroom(ctx: &Ctx) -> Vec<Hit> {
    let Some(w) = &ctx.plan.spec.workload else {
        return vec![];
    };
    let cap = sizing::plan_capacity(ctx.catalog, ctx.plan);
    let (left, lost) = cap.after_failure(ctx.plan.zones().len());
    if w.pods <= left {
        return vec![];
    }
    vec![Hit::new(
        "spec.workload.pods",
        format!(
            "after losing {lost} the cluster holds {} pods, below the workload's {}",
            num(left),
            num(w.pods)
        ),
        "add nodes so the cluster still holds the workload after that loss (N+1, or one zone's worth)",
    )]
}

pub fn production_single_zone(ctx: &Ctx) -> Vec<Hit> {
    if ctx.plan.zones().len() > 1 {
        return vec![];
    }
    vec![Hit::new(
        "spec.zones",
        format!(
            "the cluster runs in one zone ({}): no zone failure is survivable",
            ctx.plan.zones()[0]
        ),
        "spread the cluster over 3 zones if the platform has them",
    )]
}

pub fn tooling_platform_mismatch(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    let Some(tool) = p.spec.tooling else {
        return vec![];
    };
    let Some(prof) = ctx.catalog.tool(tool) else {
        return vec![];
    };
    if prof.platforms.contains(&p.spec.platform) {
        return vec![];
    }
    let on: Vec<&str> = prof.platforms.iter().map(|p| p.as_str()).collect();
    let suggest = {
        let t = &ctx.catalog.platform(p.spec.platform).tooling;
        match t.managed {
            Some(m) => format!("{} or {}", m, t.self_managed),
            None => t.self_managed.to_string(),
        }
    };
    vec![Hit::new(
        "spec.tooling",
        format!(
            "{tool} does not run on {} (it runs on {})",
            p.spec.platform,
            on.join(", ")
        ),
        format!("on {} use {suggest}", p.spec.platform),
    )]
}

pub fn tooling_purpose_mismatch(ctx: &Ctx) -> Vec<Hit> {
    let Some(tool) = ctx.plan.spec.tooling else {
        return vec![];
    };
    if ctx.catalog.tool(tool).is_none_or(|t| t.production) {
        return vec![];
    }
    let what = if tool == Tooling::Kind {
        "runs nodes as containers on one machine"
    } else {
        "builds a single-node cluster"
    };
    vec![Hit::new(
        "spec.tooling",
        format!("{tool} {what}, for learning and development, not production"),
        "use kubeadm (on-prem) or the platform's managed service",
    )]
}

pub fn node_arch_32_bit(ctx: &Ctx) -> Vec<Hit> {
    ctx.plan
        .spec
        .workers
        .iter()
        .enumerate()
        .filter(|(_, w)| w.arch.is_32_bit())
        .map(|(i, w)| {
            Hit::new(
                format!("spec.workers[{i}].arch"),
                format!(
                    "pool `{}` uses the 32-bit architecture {}; Kubernetes nodes are 64-bit",
                    w.name, w.arch
                ),
                "use amd64 or arm64 machines",
            )
        })
        .collect()
}

fn classes<'a>(ctx: &Ctx<'a>) -> &'a [crate::plan::StorageClass] {
    ctx.plan
        .spec
        .storage
        .as_ref()
        .map_or(&[], |s| s.classes.as_slice())
}

pub fn storage_rwx_unsupported(ctx: &Ctx) -> Vec<Hit> {
    classes(ctx)
        .iter()
        .enumerate()
        .filter(|(_, c)| c.medium != Medium::Network && c.access_modes.contains(&AccessMode::ReadWriteMany))
        .map(|(i, c)| {
            Hit::new(
                format!("spec.storage.classes[{i}].accessModes"),
                format!("class `{}` is {} block storage but asks for ReadWriteMany; block volumes attach to one node at a time", c.name, c.medium),
                "use `medium: network` (NFS, EFS, Filestore, Azure Files) for shared access",
            )
        })
        .collect()
}

pub fn storage_slow_for_workload(ctx: &Ctx) -> Vec<Hit> {
    let Some(w) = &ctx.plan.spec.workload else {
        return vec![];
    };
    if !w.kind.is_data_heavy() {
        return vec![];
    }
    let defaults: Vec<(usize, &crate::plan::StorageClass)> = classes(ctx)
        .iter()
        .enumerate()
        .filter(|(_, c)| c.default)
        .collect();
    match defaults.as_slice() {
        [(i, c)] if c.medium != Medium::Ssd => vec![Hit::new(
            format!("spec.storage.classes[{i}].medium"),
            format!("the {} workload's default storage class `{}` is {}, not ssd", w.kind, c.name, c.medium),
            "make an ssd class the default; give applications that need shared access a network class explicitly",
        )],
        _ => vec![],
    }
}

pub fn storage_missing_for_stateful(ctx: &Ctx) -> Vec<Hit> {
    let Some(w) = &ctx.plan.spec.workload else {
        return vec![];
    };
    if w.kind != WorkloadKind::Stateful || !classes(ctx).is_empty() {
        return vec![];
    }
    vec![Hit::new(
        "spec.workload.kind",
        "the workload is stateful but the plan defines no storage class: its volume claims would stay Pending",
        "add `storage.classes`: an ssd block class for databases, a network class for shared access",
    )]
}

pub fn storage_default_class(ctx: &Ctx) -> Vec<Hit> {
    let cs = classes(ctx);
    if cs.is_empty() {
        return vec![];
    }
    let defaults: Vec<&str> = cs
        .iter()
        .filter(|c| c.default)
        .map(|c| c.name.as_str())
        .collect();
    let msg = match defaults.len() {
        1 => return vec![],
        0 => format!(
            "{} storage classes and none is the default: claims that name no class stay Pending",
            cs.len()
        ),
        n => format!(
            "{n} storage classes are marked default ({}): Kubernetes picks one you did not choose",
            defaults.join(", ")
        ),
    };
    vec![Hit::new(
        "spec.storage.classes",
        msg,
        "mark exactly one class `default: true`",
    )]
}

fn cidrs(ctx: &Ctx) -> Option<(ipnet::IpNet, ipnet::IpNet, u8)> {
    let n = ctx.plan.spec.network.as_ref()?;
    let pod: ipnet::IpNet = n.pod_cidr.parse().ok()?;
    let svc: ipnet::IpNet = n.service_cidr.parse().ok()?;
    let default_mask = if matches!(pod, ipnet::IpNet::V4(_)) {
        24
    } else {
        64
    };
    Some((pod, svc, n.node_cidr_mask_size.unwrap_or(default_mask)))
}

pub fn network_cidr_overlap(ctx: &Ctx) -> Vec<Hit> {
    let Some((pod, svc, _)) = cidrs(ctx) else {
        return vec![];
    };
    if !(pod.contains(&svc.network()) || svc.contains(&pod.network())) {
        return vec![];
    }
    vec![Hit::new(
        "spec.network.serviceCIDR",
        format!("serviceCIDR {svc} overlaps podCIDR {pod}"),
        "use disjoint ranges, e.g. 10.244.0.0/16 for pods and 10.96.0.0/12 for services",
    )]
}

pub fn network_pod_cidr_too_small(ctx: &Ctx) -> Vec<Hit> {
    let Some((pod, _, mask)) = cidrs(ctx) else {
        return vec![];
    };
    let nodes = ctx.plan.k8s_nodes();
    let prefix = pod.prefix_len();
    let subnets: u128 = if mask < prefix {
        0
    } else {
        1u128 << u32::from(mask - prefix).min(100)
    };
    if u128::from(nodes) <= subnets {
        return vec![];
    }
    let msg = if mask < prefix {
        format!("nodeCIDRMaskSize /{mask} is wider than podCIDR {pod}: no node gets a subnet")
    } else {
        format!(
            "podCIDR {pod} holds {} /{mask} node subnets but the plan has {} nodes",
            num(subnets as u64),
            num(nodes)
        )
    };
    let need = prefix
        .saturating_sub((nodes as f64).log2().ceil() as u8 - (subnets.max(1) as f64).log2() as u8);
    vec![Hit::new(
        "spec.network.podCIDR",
        msg,
        format!(
            "widen the pod CIDR (e.g. /{} or shorter) or use a longer nodeCIDRMaskSize",
            need.min(prefix)
        ),
    )]
}

pub fn network_node_cidr_too_small(ctx: &Ctx) -> Vec<Hit> {
    let Some((pod, _, mask)) = cidrs(ctx) else {
        return vec![];
    };
    let bits: u8 = if matches!(pod, ipnet::IpNet::V4(_)) {
        32
    } else {
        128
    };
    let addresses: u128 = if mask >= bits {
        0
    } else {
        (1u128 << u32::from(bits - mask).min(100)).saturating_sub(2)
    };
    let Some(pool) = ctx.plan.spec.workers.iter().max_by_key(|w| w.max_pods) else {
        return vec![];
    };
    if u128::from(pool.max_pods) <= addresses {
        return vec![];
    }
    vec![Hit::new(
        "spec.network.nodeCIDRMaskSize",
        format!(
            "a /{mask} node subnet holds {addresses} pod addresses but pool `{}` sets maxPods {}",
            pool.name, pool.max_pods
        ),
        "use a shorter nodeCIDRMaskSize (/24 holds 254 addresses) or lower maxPods",
    )]
}
