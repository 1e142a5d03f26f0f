//! `whatif`'s renderers: a table per group of scenarios (text), Markdown,
//! JSON (the report as is: `scenarios` and `summary`).

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

use crate::whatif::run::{Report, Scenario};
use crate::whatif::timeline::secs;
use crate::whatif::Outcome;

const HEADER: [&str; 6] = ["failed", "etcd", "API", "pods", "recovery", "verdict"];

fn etcd_cell(o: &Outcome) -> String {
    match o.etcd.state.as_str() {
        "provider" => "provider".into(),
        s => format!("{}/{} ({s})", o.etcd.left, o.etcd.members),
    }
}

fn pods_cell(o: &Outcome) -> String {
    let c = &o.capacity;
    match c.pending {
        0 => format!(
            "fit ({} of {})",
            crate::fmt::num(c.capacity_after),
            crate::fmt::num(c.capacity_before)
        ),
        p => format!("{} Pending", crate::fmt::num(p)),
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
        o.failed.join(" + "),
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
        out.push_str(&format!("\n{} — {}\n", o.failed.join(" + "), o.verdict));
        out.push_str(&format!(
            "  API: {}\n  controllers: {}\n",
            o.api.why, o.controllers.why
        ));
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

pub fn table(r: &Report, width: Option<u16>) -> String {
    let mut out = format!("What if: {} ({})\n", r.plan, r.purpose);
    for (title, scenarios) in groups(r) {
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(HEADER.to_vec());
        if let Some(w) = width {
            t.set_width(w);
        }
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
    out.push_str(&format!("\n**Summary:** {}\n", r.summary.line));
    out
}
