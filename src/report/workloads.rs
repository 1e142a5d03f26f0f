//! `kubeplan size --workloads` as text: what was read, the choices, and
//! the best one's pools, placements and pending pods.

use std::collections::BTreeMap;
use std::fmt::Write;

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};

use crate::workloads::quantity::{bytes_text, milli_text};
use crate::workloads::result::{WorkloadChoice, WorkloadReport};

fn zones_text(z: &BTreeMap<String, u32>) -> String {
    z.iter()
        .map(|(k, v)| format!("{k}:{v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn cost(v: Option<f64>) -> String {
    v.map_or("-".into(), crate::prose::usd)
}

fn heading(r: &WorkloadReport) -> String {
    let w = &r.workload;
    let mut s = format!(
        "{} workloads ({} pods, {} DaemonSets) from {} documents in {} files; {} on {}",
        w.workloads - w.daemon_sets.len(),
        w.pods,
        w.daemon_sets.len(),
        w.documents,
        w.files,
        r.platform,
        if r.zones.is_empty() {
            "one zone".into()
        } else {
            r.zones.join(", ")
        }
    );
    if let Some(reg) = &r.region {
        let _ = write!(s, " ({reg})");
    }
    s.push('\n');
    if !w.skipped.is_empty() {
        let list: Vec<String> = w.skipped.iter().map(|(k, n)| format!("{n} {k}")).collect();
        let _ = writeln!(s, "Not sized (no pods of their own): {}", list.join(", "));
    }
    for m in &w.operator_made {
        let _ = writeln!(s, "warning: {m}: an operator makes its pods, which these files do not show; they are not sized");
    }
    for n in &w.notes {
        let _ = writeln!(s, "Assumed: {n}");
    }
    if !w.best_effort.is_empty() {
        let _ = writeln!(
            s,
            "No requests (BestEffort: each takes a pod slot, nothing more): {}",
            w.best_effort.join(", ")
        );
    }
    if w.soft_constraints > 0 {
        let _ = writeln!(s, "{} workloads have preferred (anti-)affinity or ScheduleAnyway spreads: they never block a fit and are not modelled", w.soft_constraints);
    }
    s
}

fn choices_table(r: &WorkloadReport, width: Option<u16>) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec![
            "#",
            "instance",
            "nodes",
            "per zone",
            "lower bound",
            "pending",
            "$/month",
        ]);
    if let Some(w) = width {
        t.set_width(w.max(80));
    }
    for (i, ch) in r.choices.iter().enumerate() {
        t.add_row(vec![
            (i + 1).to_string(),
            ch.instance_type.clone(),
            ch.nodes.to_string(),
            zones_text(&ch.nodes_per_zone),
            ch.lower_bound.nodes.to_string(),
            ch.pending.len().to_string(),
            cost(ch.monthly_cost),
        ]);
    }
    format!("{t}\n")
}

fn best(ch: &WorkloadChoice) -> String {
    let mut s = String::new();
    for p in &ch.pools {
        let by: Vec<String> = p
            .lower_bound
            .by
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        let _ = writeln!(
            s,
            "Pool {}: {} × {} ({} CPU, {}, {} pods allocatable each), {}; lower bound {} ({}); bound by {}",
            p.name,
            p.nodes,
            p.instance_type,
            milli_text(p.allocatable_cpu_millis),
            bytes_text(p.allocatable_memory_bytes),
            p.max_pods,
            zones_text(&p.nodes_per_zone),
            p.lower_bound.nodes,
            by.join(", "),
            p.binding
        );
    }
    let spread: Vec<String> = ch
        .placement
        .iter()
        .filter(|p| p.zones.len() > 1 || p.nodes > 1)
        .take(12)
        .map(|p| {
            format!(
                "  {}: {} pods on {} nodes ({})",
                p.workload,
                p.pods,
                p.nodes,
                zones_text(&p.zones)
            )
        })
        .collect();
    if !spread.is_empty() {
        let _ = writeln!(
            s,
            "Placement (workloads on more than one node):\n{}",
            spread.join("\n")
        );
    }
    let mut pending: BTreeMap<(&str, &str), u32> = BTreeMap::new();
    for p in &ch.pending {
        *pending
            .entry((p.workload.as_str(), p.reason.as_str()))
            .or_default() += 1;
    }
    for ((w, why), n) in pending {
        let _ = writeln!(s, "Pending: {n} pod(s) of {w}: {why}");
    }
    for z in &ch.zone_loss.stranded {
        let _ = writeln!(
            s,
            "Losing {}: {} pod(s) of {} cannot come back: {}",
            z.lost, z.pods, z.workload, z.reason
        );
    }
    for m in &ch.daemon_set_misfits {
        let _ = writeln!(s, "DaemonSet pod does not fit: {m}");
    }
    s
}

pub fn text(r: &WorkloadReport, width: Option<u16>) -> String {
    let mut s = heading(r);
    for u in &r.unmet {
        let _ = writeln!(s, "warning: {u}");
    }
    if r.choices.is_empty() {
        s.push_str("No instance type holds these pods.\n");
        return s;
    }
    s.push('\n');
    s.push_str(&choices_table(r, width));
    let ch = &r.choices[0];
    let _ = writeln!(
        s,
        "\nBest: {} ({} nodes{})",
        ch.instance_type,
        ch.nodes,
        ch.monthly_cost.map_or(String::new(), |c| format!(
            ", {} a month",
            crate::prose::usd(c)
        ))
    );
    s.push_str(&best(ch));
    if ch.zone_loss.checked {
        let _ = writeln!(s, "Sized so that losing one zone (one node, in a single zone) re-packs every pod on the nodes left: {} node(s) added for it.", ch.zone_loss.added_nodes);
    }
    s
}
