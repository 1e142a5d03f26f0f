//! `whatif`'s renderers: a table per group of scenarios (text), Markdown,
//! JSON (the report as is: `scenarios` and `summary`).

use crate::whatif::run::{Report, Scenario};
use crate::whatif::timeline::secs;
use crate::whatif::{Outcome, Quorum};

const HEADER: [&str; 6] = ["failed", "etcd", "API", "pods", "recovery", "verdict"];

fn etcd_cell(o: &Outcome) -> String {
    match o.etcd.state {
        Quorum::Provider => "provider".into(),
        s => format!("{}/{} ({})", o.etcd.left, o.etcd.members, s.as_str()),
    }
}

fn pods_cell(o: &Outcome) -> String {
    if let Some(p) = &o.pods {
        return match (p.evicted, p.stranded_pods) {
            (0, _) => "none evicted".into(),
            (e, 0) => format!("{} evicted, all back", crate::prose::num(e)),
            (e, s) => format!(
                "{} evicted, {} stranded",
                crate::prose::num(e),
                crate::prose::num(s)
            ),
        };
    }
    let c = &o.capacity;
    let room = match c.pending {
        0 => format!(
            "fit ({} of {})",
            crate::prose::num(c.capacity_after),
            crate::prose::num(c.capacity_before)
        ),
        p => format!("{} Pending", crate::prose::num(p)),
    };
    match c.stranded {
        0 => room,
        s => format!("{room}; {} stranded", crate::prose::num(s)),
    }
}

/// The last thing that happens: when the plan is whole again, or never.
fn recovery_cell(o: &Outcome) -> String {
    if o.timeline.iter().any(|e| e.never) {
        return "never (until the nodes return)".into();
    }
    match o
        .timeline
        .iter()
        .map(|e| e.to_s)
        .fold(None, |m: Option<f64>, t| Some(m.map_or(t, |m| m.max(t))))
    {
        Some(t) => format!("≈ {}", secs(t)),
        None => "-".into(),
    }
}

fn cells(o: &Outcome) -> Vec<String> {
    vec![
        o.failed_text(),
        etcd_cell(o),
        if o.api.ok { "up".into() } else { "DOWN".into() },
        pods_cell(o),
        recovery_cell(o),
        o.verdict.to_string(),
    ]
}

fn groups(r: &Report) -> Vec<(String, Vec<&Scenario>)> {
    let max = r.scenarios.iter().map(|s| s.order).max().unwrap_or(0);
    (1..=max)
        .map(|k| {
            let title = match k {
                1 => "One failure".to_string(),
                k => format!("{k} failures"),
            };
            (
                title,
                r.scenarios
                    .iter()
                    .filter(|s| s.order == k)
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

/// The last event's time (infinite when something never happens).
fn recovery_s(o: &Outcome) -> f64 {
    match o.timeline.iter().any(|e| e.never) {
        true => f64::INFINITY,
        false => o.timeline.iter().map(|e| e.to_s).fold(0.0, f64::max),
    }
}

/// Why and when: the single failures that are not survived, and of those
/// survived the one with the longest recovery (all when one was asked).
fn details(r: &Report) -> String {
    let singles: Vec<&Scenario> = r
        .scenarios
        .iter()
        .filter(|s| s.order == 1 || r.scenarios.len() == 1)
        .collect();
    let slowest = singles
        .iter()
        .filter(|s| s.outcome.verdict == crate::whatif::Verdict::Survives)
        .max_by(|a, b| recovery_s(&a.outcome).total_cmp(&recovery_s(&b.outcome)));
    let shown = singles.iter().filter(|s| {
        s.outcome.verdict != crate::whatif::Verdict::Survives
            || slowest.is_some_and(|x| std::ptr::eq(*x, **s))
    });
    let mut out = String::new();
    for s in shown {
        let o = &s.outcome;
        out.push_str(&format!("\n{} — {}\n", o.failed_text(), o.verdict));
        out.push_str(&format!(
            "  API: {}\n  controllers: {}\n",
            o.api.why, o.controllers.why
        ));
        for st in &o.storage {
            out.push_str(&format!("  storage {}: {}\n", st.servers, st.why));
        }
        if let Some(p) = &o.pods {
            out.push_str(&pods_details(p));
        }
        for e in &o.timeline {
            let when = match (e.never, e.from_s == e.to_s) {
                (true, _) => "never".to_string(),
                (false, true) => secs(e.from_s),
                (false, false) => format!("{} – {}", secs(e.from_s), secs(e.to_s)),
            };
            out.push_str(&format!("  {when:>17}  {}\n", e.what));
        }
    }
    out
}

/// The pods of a scenario: how many moved, and those stranded, by
/// workload, with the first reason and when they are back.
fn pods_details(p: &crate::whatif::pods::PodsState) -> String {
    let by = match p.rescheduled {
        0 => String::new(),
        _ => format!(" (by {})", p.rescheduled_by),
    };
    let mut out = format!(
        "  pods: {} evicted, {} rescheduled{by}, {} stranded",
        crate::prose::num(p.evicted),
        crate::prose::num(p.rescheduled),
        crate::prose::num(p.stranded_pods)
    );
    if p.daemon_set_pods_lost > 0 {
        out.push_str(&format!(
            ", {} lost with their nodes",
            crate::prose::plural(p.daemon_set_pods_lost, "DaemonSet pod", "DaemonSet pods")
        ));
    }
    if p.pending_before > 0 {
        out.push_str(&format!(
            "; {} had no node before the failure",
            crate::prose::plural(p.pending_before, "pod", "pods")
        ));
    }
    out.push('\n');
    let mut by: Vec<(&str, &str, Vec<&crate::whatif::pods::StrandedPod>)> = Vec::new();
    for s in &p.stranded {
        match by.iter_mut().find(|b| b.0 == s.workload && b.1 == s.reason) {
            Some(b) => b.2.push(s),
            None => by.push((&s.workload, &s.reason, vec![s])),
        }
    }
    for (workload, reason, pods) in by {
        let n: u32 = pods.iter().map(|s| s.pods).sum();
        let names: Vec<&str> = pods.iter().filter_map(|s| s.pod.as_deref()).collect();
        let names = match names.len() {
            0 => String::new(),
            k if k <= 5 => format!(" ({})", names.join(", ")),
            k => format!(" ({}, … {} more)", names[..4].join(", "), k - 4),
        };
        let first = pods[0];
        out.push_str(&format!(
            "    stranded: {workload} × {n}{names}: {reason} — {}; back {}\n",
            first.detail, first.back
        ));
    }
    for b in p.budgets.iter().filter(|b| !b.holds) {
        out.push_str(&format!(
            "    budget {} does not hold: {} of {} pods healthy after the failure, it wants {}\n",
            b.budget, b.healthy_after, b.expected, b.desired_healthy
        ));
    }
    out
}

pub fn table(r: &Report, width: Option<u16>) -> String {
    let mut out = format!("What if: {} ({})\n", r.plan, r.purpose);
    for (title, scenarios) in groups(r) {
        let mut t = super::table(HEADER.to_vec(), width);
        for s in scenarios {
            t.add_row(cells(&s.outcome));
        }
        out.push_str(&format!("\n{title}\n{t}\n"));
    }
    out.push_str(&details(r));
    out.push_str(&format!("\nSummary: {}\n", r.summary.line));
    out
}

pub fn markdown(r: &Report) -> String {
    let mut out = format!("## What if: {} ({})\n", r.plan, r.purpose);
    for (title, scenarios) in groups(r) {
        out.push_str(&format!(
            "\n### {title}\n\n| {} |\n|{}\n",
            HEADER.join(" | "),
            "---|".repeat(HEADER.len())
        ));
        for s in scenarios {
            out.push_str(&format!("| {} |\n", cells(&s.outcome).join(" | ")));
        }
    }
    for s in &r.scenarios {
        let Some(p) = s.outcome.pods.as_ref().filter(|p| !p.stranded.is_empty()) else {
            continue;
        };
        out.push_str(&format!(
            "\n**{}**: stranded pods\n\n",
            s.outcome.failed_text()
        ));
        for x in &p.stranded {
            let pod = x
                .pod
                .as_deref()
                .map_or(String::new(), |n| format!(" `{n}`"));
            out.push_str(&format!(
                "- {} × {}{pod}: {} — {}; back {}\n",
                x.workload, x.pods, x.reason, x.detail, x.back
            ));
        }
    }
    out.push_str(&format!("\n**Summary:** {}\n", r.summary.line));
    out
}

/// `docs/whatif.md`: the command, every figure with its formula, value and
/// source (values from the catalog in force), and worked examples made from
/// `examples` (path, plan). A test keeps the file current.
pub fn reference(
    c: &crate::catalog::Catalog,
    examples: &[(&str, &crate::plan::ClusterPlan)],
) -> String {
    use crate::prose::decimal;
    use crate::whatif::timeline::vip_takeover;
    let f = &c.kubernetes.failure;
    let mut out = String::from(include_str!("whatif_intro.md"));
    out.push_str("\n## The figures\n\n| what | formula | value | source |\n|---|---|---|---|\n");
    let rows: Vec<[String; 4]> = vec![
        ["etcd: a new leader after the leader is lost".into(), "election timeout randomized between 1x and 2x, counted from the last heartbeat (up to one heartbeat interval before the loss); per round, a split vote adds a round".into(), format!("{} – {} s", decimal(crate::whatif::timeline::etcd_election(c).0), decimal(crate::whatif::timeline::etcd_election(c).1)), "etcd `--election-timeout` 1000 ms and `--heartbeat-interval` 100 ms defaults (etcd.conf.yml.sample; etcd docs, Tuning)".into()],
        ["controllers: a standby takes the lease after the leader dies".into(), format!("leaseDuration − retryPeriod to leaseDuration + 2 × {} × retryPeriod", decimal(1.0 + f.leader_election_jitter)), "13 – 23.8 s with 15 s / 10 s / 2 s".into(), "client-go `tools/leaderelection` (JitterFactor); defaults from component-base `RecommendedDefaultLeaderElectionConfiguration`; the plan's `leaderElection` timings when set".into()],
        ["controllers: after a graceful stop".into(), "about one retryPeriod (the lease is released)".into(), "≈ 2 s".into(), "client-go `ReleaseOnCancel`".into()],
        ["a backup takes the virtual IP".into(), format!("3 × advert_int + (256 − priority) / 256, priority {}", f.vrrp_backup_priority), format!("{} s", decimal((vip_takeover(c) * 10.0).round() / 10.0)), "keepalived.conf(5), `advert_int` default 1 s; the priorities `export` writes".into()],
        ["the virtual IP leaves a host whose local API path fails".into(), "fall × interval + the backup's takeover".into(), format!("≈ {} s", decimal((f64::from(f.check_fall * f.check_interval_s) + vip_takeover(c)).round())), "kubeadm `docs/ha-considerations.md` check_apiserver.sh (interval 3, fall 10), as exported".into()],
        ["HAProxy stops sending to a dead API server".into(), "fall × inter".into(), format!("{} s", decimal(f.haproxy_inter_s * f64::from(f.haproxy_fall))), "HAProxy configuration manual, server `inter` 2 s and `fall` 3 defaults".into()],
        ["a lost node turns NotReady".into(), "--node-monitor-grace-period".into(), format!("{} s (Kubernetes {}; 40 s before 1.32)", decimal(f.node_monitor_grace_period_s), f.kubernetes_version), "kube-controller-manager flags; kubernetes/kubernetes#126287".into()],
        ["its pods are evicted and rescheduled".into(), "grace period + the NoExecute toleration".into(), format!("{} s ≈ {}", decimal(f.node_monitor_grace_period_s + f.toleration_s), secs(f.node_monitor_grace_period_s + f.toleration_s)), "DefaultTolerationSeconds admission plugin (300 s)".into()],
        ["a zone with every node NotReady".into(), "grace + toleration + (n − 1) / --node-eviction-rate".into(), format!("{} node/s", decimal(f.node_eviction_rate)), "node lifecycle controller (`pkg/controller/nodelifecycle`), Nodes concept page, Reliability".into()],
        ["a partially disrupted zone (more than 2 and ≥ --unhealthy-zone-threshold NotReady)".into(), format!("> {} nodes: --secondary-node-eviction-rate; otherwise eviction stops", f.large_cluster_size_threshold), format!("{} node/s, threshold {}%", decimal(f.secondary_node_eviction_rate), (f.unhealthy_zone_threshold * 100.0).round()), "the same; `--large-cluster-size-threshold` is compared with the zone's size".into()],
        ["every zone down".into(), "eviction stops".into(), "never, until nodes return".into(), "the same".into()],
    ];
    for r in rows {
        out.push_str(&format!("| {} |\n", r.join(" | ")));
    }
    out.push_str("\nStatefulSet pods on an unreachable node are not replaced until the Pod is\ndeleted (or the node returns): `whatif` says so for stateful workloads.\n\n## Worked examples\n");
    for (path, plan) in examples {
        let r = crate::whatif::run::run(c, plan, &[], 1);
        out.push_str(&format!(
            "\n`kubeplan whatif {path} --max-failures 1 --format markdown`:\n\n"
        ));
        out.push_str(
            &markdown(&r)
                .replacen("## ", "### ", 1)
                .replace("\n### ", "\n#### "),
        );
    }
    out
}
