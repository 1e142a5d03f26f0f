//! etcd and quorum: member counts, quorum by zone, etcd machines and disks, and managed control planes.

use super::prelude::*;
use crate::plan::{spread, EtcdTopology, Medium};
use crate::quorum::{fault_tolerance, members_to_survive, quorum};

pub const GROUP: &str = "etcd and quorum";

rule! {
    ETCD_EVEN_MEMBERS: "etcd-even-members", ErrorInProduction, Some(etcd_even_members),
    needs: [Etcd],
    summary: "An even number of etcd members.",
    what: "`spec.etcd.members` (or, for stacked etcd, the control-plane node count) is even and above zero.",
    why: "Quorum is floor(N/2)+1, so 4 members need 3 and tolerate 1 failure, exactly like 3 members; the extra member only adds a machine that can fail. Under a network partition an even cluster can split into two halves where neither side has quorum, and writes stop everywhere.",
    fix: "Use an odd number of members: 3 (tolerates 1 failure) or 5 (tolerates 2).",
    near_miss: [("members: 4", "members: 3"), ("nodes: 4", "nodes: 3")],
}

fn etcd_even_members(ctx: &Ctx) -> Vec<Hit> {
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

rule! {
    ETCD_NO_FAULT_TOLERANCE: "etcd-no-fault-tolerance", ProductionOnly(Error), Some(etcd_no_fault_tolerance),
    needs: [Etcd],
    summary: "Fewer than 3 etcd members in production.",
    what: "A production plan whose etcd has fewer than 3 members (covers the classic two-control-plane stacked design).",
    why: "With 1 or 2 members quorum equals the member count, so the loss of any one member stops every write to the cluster: two control-plane nodes are no more available than one.",
    fix: "Run 3 etcd members (3 control-plane nodes when stacked), or 5 to survive two failures.",
    near_miss: [("nodes: 2", "nodes: 3")],
}

fn etcd_no_fault_tolerance(ctx: &Ctx) -> Vec<Hit> {
    match etcd_members(ctx) {
        Some(n) if n < members_to_survive(1) => {
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
            let (one, two) = (members_to_survive(1), members_to_survive(2));
            let help = if stacked {
                format!("run {one} control-plane nodes ({one} stacked etcd members tolerate 1 failure), or {two} to tolerate 2")
            } else {
                format!("run {one} etcd members (tolerates 1 failure), or {two} to tolerate 2")
            };
            vec![Hit::new(ctx.plan.etcd_members_field(), msg, help)]
        }
        _ => vec![],
    }
}

rule! {
    ETCD_TOO_MANY_MEMBERS: "etcd-too-many-members", Always(Warning), Some(etcd_too_many_members),
    needs: [Etcd],
    summary: "More than {etcd.maxMembers} etcd members.",
    what: "etcd with more members than the etcd project advises ({etcd.maxMembers}).",
    why: "Every write waits for a majority to acknowledge it, so each extra member slows writes; {etcd.recommendedMembers} members already tolerate {etcd.recommendedTolerance} failures, which the etcd FAQ calls enough in most cases.",
    fix: "Use {etcd.recommendedMembers} members (or {etcd.maxMembers} at most).",
    near_miss: [("members: 9", "members: 7")],
}

fn etcd_too_many_members(ctx: &Ctx) -> Vec<Hit> {
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

rule! {
    ETCD_STACKED_MEMBER_MISMATCH: "etcd-stacked-member-mismatch", Always(Error), Some(etcd_stacked_member_mismatch),
    needs: [Etcd, ControlPlane],
    summary: "Stacked etcd whose member count differs from the control-plane node count.",
    what: "`spec.etcd.topology: stacked` with `spec.etcd.members` different from `spec.controlPlane.nodes`.",
    why: "Stacked etcd runs exactly one member on each control-plane node; a different count describes machines that do not exist or members that have nowhere to run.",
    fix: "Make `etcd.members` equal `controlPlane.nodes`, or use `topology: external` with its own machines.",
    near_miss: [("members: 5", "members: 3")],
}

fn etcd_stacked_member_mismatch(ctx: &Ctx) -> Vec<Hit> {
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

rule! {
    ETCD_ZONE_QUORUM_LOSS: "etcd-zone-quorum-loss", ProductionOnly(Error), Some(etcd_zone_quorum_loss),
    needs: [Etcd, Zones],
    summary: "Losing one zone loses etcd quorum.",
    what: "A production plan with 2 or more zones where the members left after losing some zone are fewer than quorum. Members are placed round-robin over their zones, in order (stacked members follow the control plane).",
    why: "Zones fail as a unit (power, network, a room). 3 members as 2+1 over 2 zones lose quorum with the zone holding 2; the cluster stops accepting writes even though a member survives.",
    fix: "Spread members so no zone holds N - quorum + 1 of them: 3 members over 3 zones (1+1+1), or 5 over 3 zones (2+2+1).",
    near_miss: [("[zone-a, zone-b]", "[zone-a, zone-b, zone-c]")],
}

fn etcd_zone_quorum_loss(ctx: &Ctx) -> Vec<Hit> {
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
        zone_help(n, q),
    )]
}

/// How to place `n` members so that losing any one zone keeps quorum `q`:
/// no zone may hold more than n - q of them.
fn zone_help(n: u32, q: u32) -> String {
    let (one, two) = (members_to_survive(1), members_to_survive(2));
    match n - q {
        0 => format!("with {} quorum is {q}, so every member is needed and no zone can be lost: run {one} members, one in each of 3 zones, or {two} as 2+2+1", plural(u64::from(n), "member", "members")),
        room => format!(
            "spread the members so that no zone holds more than {}: {n} members need at least {} zones (e.g. {one} members over 3 zones, or {two} as 2+2+1)",
            plural(u64::from(room), "member", "members"),
            n.div_ceil(room)
        ),
    }
}

rule! {
    ETCD_STACKED_LARGE_CLUSTER: "etcd-stacked-large-cluster", Always(Warning), Some(etcd_stacked_large_cluster),
    needs: [ControlPlane, Workers],
    summary: "Stacked etcd in a cluster larger than stacked etcd suits.",
    what: "Stacked etcd (members on the control-plane nodes) in a cluster of more than {etcd.stackedUpToNodes} Kubernetes nodes, the size from which `kubeplan design` puts etcd on its own machines.",
    why: "In a large cluster the API servers' load and etcd's fsync-bound writes compete on the same machines, and losing a control-plane node also loses an etcd member; external etcd keeps the two apart (kubeadm's HA topology guide).",
    fix: "Use `topology: external` with etcd on its own SSD machines, sized by `etcd-undersized`'s tiers.",
    near_miss: [("nodes: 297", "nodes: 247")],
}

fn etcd_stacked_large_cluster(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    let limit = ctx.catalog.kubernetes.etcd.external_above_nodes;
    let nodes = p.k8s_nodes();
    if p.etcd_topology() != Some(EtcdTopology::Stacked) || nodes <= limit {
        return vec![];
    }
    let field = if p.spec.etcd.as_ref().is_some_and(|e| e.topology.is_some()) {
        "spec.etcd.topology"
    } else {
        "spec.controlPlane.nodes"
    };
    vec![Hit::new(
        field,
        format!(
            "etcd is stacked on the control plane of a cluster of {}; above {} nodes etcd belongs on its own machines",
            plural(nodes, "node", "nodes"),
            num(limit)
        ),
        "use `topology: external` with etcd on its own SSD machines",
    )]
}

rule! {
    ETCD_UNDERSIZED: "etcd-undersized", Always(Warning), Some(etcd_undersized),
    needs: [Machines, ControlPlane, Workers],
    summary: "External etcd machines below the etcd hardware tier for the cluster size.",
    what: "The external etcd machine's vCPUs and memory against the etcd hardware guide's tiers by Kubernetes node count ({etcdTiers}).",
    why: "etcd serves every API write and watch; an undersized member falls behind, elections flap and the API server times out.",
    fix: "Give each etcd machine at least the tier's vCPUs and memory (and an SSD).",
    near_miss: [(
            "cpu: 2  # <- fires here\n      memoryGiB: 8",
            "cpu: 8\n      memoryGiB: 32",
        )],
}

fn etcd_undersized(ctx: &Ctx) -> Vec<Hit> {
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
            decimal(m.cpu),
            decimal(m.memory_gib),
            plural(nodes, "node", "nodes"),
            decimal(tier.cpu),
            decimal(tier.memory_gib)
        ),
        format!(
            "use etcd machines with at least {} vCPU and {} GiB of memory on SSD (etcd hardware guide)",
            decimal(tier.cpu),
            decimal(tier.memory_gib)
        ),
    )]
}

rule! {
    ETCD_DISK_NOT_SSD: "etcd-disk-not-ssd", Always(Warning), Some(etcd_disk_not_ssd),
    needs: [Machines],
    summary: "etcd on a disk that is not SSD.",
    what: "The disk under etcd: the external etcd machine's, or the control-plane machine's when etcd is stacked.",
    why: "etcd fsyncs its write-ahead log on every commit; the etcd hardware guide asks for WAL fsync p99 under 10 ms, which spinning or network disks often miss, causing leader elections and slow writes.",
    fix: "Use `disk: ssd` for the machines that hold etcd.",
    near_miss: [("disk: hdd", "disk: ssd")],
}

fn etcd_disk_not_ssd(ctx: &Ctx) -> Vec<Hit> {
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

rule! {
    MANAGED_CONTROL_PLANE_CONFLICT: "managed-control-plane-conflict", Always(Error), Some(managed_control_plane_conflict),
    summary: "A managed control plane with self-managed parts, or a tool that contradicts `managed`.",
    what: "`controlPlane.managed: true` with etcd, control-plane nodes or machines, or an API load balancer set; or tooling eks/gke/aks with `managed: false`; or `managed: true` with a self-managed tool.",
    why: "With EKS, GKE or AKS the provider runs etcd, the API servers and their load balancer; a plan that also sizes them describes machines nobody will build, and a bill of materials that overstates the cost.",
    fix: "Remove the self-managed parts, or set `managed` to match the tool.",
    near_miss: [("  etcd:  # <- fires here\n    members: 3\n", "")],
}

fn managed_control_plane_conflict(ctx: &Ctx) -> Vec<Hit> {
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
