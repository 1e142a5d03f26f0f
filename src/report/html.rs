//! `design --report FILE.html`: one self-contained web page (no script, no
//! font, no fetch: inline CSS and SVG) with the summary, the decisions, the
//! topology, the bill of materials, the failures and a cost chart; readable
//! on a phone (one column, tables that scroll) and in print.

use crate::bom::Bom;
use crate::catalog::Catalog;
use crate::design::Design;
use crate::plan::ClusterPlan;
use crate::prose::{amount, num};

/// Text made safe for HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = "
:root { color-scheme: light; --ink: #1d2330; --muted: #5a6270; --line: #d8dce3; --accent: #2f6fdf; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
main.wide { max-width: 96rem; }
td.wrap { white-space: normal; min-width: 8rem; }
h1 { font-size: 1.5rem; margin: 0.5rem 0; }
h2 { font-size: 1.15rem; margin: 1.75rem 0 0.5rem; border-bottom: 1px solid var(--line); padding-bottom: 0.25rem; }
p.lead { color: var(--muted); margin-top: 0; }
ul.decisions { padding-left: 1.1rem; }
ul.decisions li { margin: 0.35rem 0; }
ul.decisions b { display: block; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; min-width: 100%; font-size: 0.9rem; }
th, td { border-bottom: 1px solid var(--line); padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; white-space: nowrap; }
th { background: #f3f5f8; white-space: normal; }
td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
figure { margin: 0; }
figure svg { display: block; height: auto; }
figure.topology svg { width: 100%; min-width: 40rem; }
figure.chart svg { width: 100%; max-width: 36rem; }
.verdict-survives { color: #1a7f37; } .verdict-degraded { color: #9a6700; } .verdict-down { color: #cf222e; font-weight: 600; }
.note { color: var(--muted); font-size: 0.85rem; }
@media (max-width: 40rem) { body { font-size: 15px; } main { padding: 0.75rem; } th, td { padding: 0.3rem; } }
@media print { main { max-width: none; } h2 { break-after: avoid; } figure, table { break-inside: avoid; } a { color: inherit; } }
";

/// The page around a body (`class`: of its main column).
fn page(title: &str, class: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main class=\"{class}\">\n{body}</main>\n</body>\n</html>\n",
        esc(title)
    )
}

/// A table of text cells; `numeric` columns align right, `wrap` ones wrap.
fn table(id: &str, header: &[&str], rows: &[Vec<String>], numeric: &[usize]) -> String {
    table_wrapping(id, header, rows, numeric, &[])
}

fn table_wrapping(
    id: &str,
    header: &[&str],
    rows: &[Vec<String>],
    numeric: &[usize],
    wrap: &[usize],
) -> String {
    let mut out = format!("<div class=\"scroll\"><table id=\"{id}\">\n<tr>");
    for h in header {
        out.push_str(&format!("<th>{}</th>", esc(h)));
    }
    out.push_str("</tr>\n");
    for r in rows {
        out.push_str("<tr>");
        for (i, cell) in r.iter().enumerate() {
            let class = match (numeric.contains(&i), wrap.contains(&i)) {
                (true, _) => " class=\"n\"",
                (_, true) => " class=\"wrap\"",
                _ => "",
            };
            out.push_str(&format!("<td{class}>{cell}</td>"));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table></div>\n");
    out
}

/// A horizontal bar chart as inline SVG: one bar per (label, value).
pub fn bars(id: &str, title: &str, items: &[(String, f64)]) -> String {
    let max = items.iter().map(|(_, v)| *v).fold(0.0_f64, f64::max);
    let (label_w, bar_w, row_h) = (170.0, 220.0, 28.0);
    let h = row_h * items.len().max(1) as f64 + 10.0;
    let w = label_w + bar_w + 90.0;
    let mut out = format!(
        "<figure class=\"chart\"><svg id=\"{id}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\" font-family=\"system-ui, Helvetica, Arial, sans-serif\" font-size=\"14\">\n",
        esc(title)
    );
    for (i, (label, v)) in items.iter().enumerate() {
        let y = 5.0 + row_h * i as f64;
        let len = if max > 0.0 { bar_w * v / max } else { 0.0 };
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#1d2330\">{}</text><rect class=\"bar\" x=\"{label_w}\" y=\"{y}\" width=\"{len:.1}\" height=\"{}\" rx=\"3\" fill=\"#2f6fdf\"/><text x=\"{:.1}\" y=\"{}\" fill=\"#5a6270\">${}</text>\n",
            label_w - 8.0,
            y + 17.0,
            esc(label),
            row_h - 8.0,
            label_w + len + 6.0,
            y + 17.0,
            num(v.round() as u64)
        ));
    }
    out.push_str("</svg></figure>\n");
    out
}

/// The topology, as `kubeplan diagram` draws it, inline.
fn topology(plans: &[ClusterPlan]) -> String {
    let frames: Vec<_> = plans
        .iter()
        .map(|p| crate::diagram::Frame::of(p, &[]))
        .collect();
    let svg = crate::diagram::svg::render(&crate::diagram::collapse(frames));
    let svg = svg
        .lines()
        .filter(|l| !l.starts_with("<?xml"))
        .collect::<Vec<_>>()
        .join("\n")
        .replacen(
            "<svg ",
            "<svg id=\"topology\" role=\"img\" aria-label=\"topology\" ",
            1,
        );
    format!("<div class=\"scroll\"><figure class=\"topology\">{svg}</figure></div>\n")
}

fn money(v: Option<f64>) -> String {
    v.map_or("-".to_string(), |v| format!("${}", num(v.round() as u64)))
}

/// The bill of materials of the first cluster.
fn bill(b: &Bom) -> String {
    let rows: Vec<Vec<String>> = b
        .rows
        .iter()
        .map(|r| {
            vec![
                esc(&r.role),
                num(r.count),
                r.cpu.map_or("-".into(), amount),
                r.memory_gib.map_or("-".into(), amount),
                esc(r.instance_type.as_deref().unwrap_or("-")),
                esc(&r.zones.join(", ")),
                money(r.monthly_cost),
            ]
        })
        .collect();
    let header = [
        "role",
        "count",
        "vCPU",
        "memory GiB",
        "instance type",
        "zones",
        "$/month",
    ];
    let total = match b.totals.monthly_cost {
        Some(m) => format!(
            "<p>{} machines, {} vCPU, {} GiB memory, about ${}/month.</p>\n",
            num(b.totals.machines),
            amount(b.totals.cpu),
            amount(b.totals.memory_gib),
            num(m.round() as u64)
        ),
        None => format!(
            "<p>{} machines, {} vCPU, {} GiB memory.</p>\n",
            num(b.totals.machines),
            amount(b.totals.cpu),
            amount(b.totals.memory_gib)
        ),
    };
    table("bom", &header, &rows, &[1, 2, 3, 6]) + &total
}

/// Every single failure and what it does.
fn failures(c: &Catalog, plan: &ClusterPlan) -> String {
    let r = crate::whatif::run::run(c, plan, &[], 1);
    let rows: Vec<Vec<String>> = r
        .scenarios
        .iter()
        .filter(|s| s.order == 1)
        .map(|s| {
            let o = &s.outcome;
            let v = o.verdict.to_string();
            vec![
                esc(&o.failed_text()),
                format!("<span class=\"verdict-{v}\">{v}</span>"),
                match o.etcd.members {
                    0 => "the provider's".to_string(),
                    m => format!("{} of {m} ({})", o.etcd.left, o.etcd.state.as_str()),
                },
                esc(if o.api.ok { "serving" } else { &o.api.why }),
            ]
        })
        .collect();
    table(
        "failures",
        &["failure", "verdict", "etcd members left", "API"],
        &rows,
        &[],
    ) + &format!("<p>{}</p>\n", esc(&r.summary.line))
}

/// Monthly cost per role, of every cluster.
fn cost_chart(boms: &[Bom]) -> String {
    let mut items: Vec<(String, f64)> = Vec::new();
    for r in boms.iter().flat_map(|b| &b.rows) {
        let Some(m) = r.monthly_cost else { continue };
        match items.iter_mut().find(|(l, _)| *l == r.role) {
            Some(slot) => slot.1 += m,
            None => items.push((r.role.clone(), m)),
        }
    }
    if items.is_empty() {
        return "<p class=\"note\">Not priced: your own machines have no list price.</p>\n".into();
    }
    bars("cost-chart", "monthly cost per role", &items)
}

/// The design report of `kubeplan design --report FILE.html`.
pub fn design(c: &Catalog, summary: &str, d: &Design, boms: &[Bom]) -> String {
    let first = &d.plans[0];
    let decisions: String = d
        .reasons
        .iter()
        .map(|r| format!("<li><b>{}</b>{}</li>\n", esc(&r.decision), esc(&r.reason)))
        .collect();
    let body = [
        format!(
            "<h1>Cluster design {}</h1>\n<p class=\"lead\">{}</p>\n",
            esc(&first.metadata.name),
            esc(summary.split_once(": ").map_or(summary, |(_, rest)| rest))
        ),
        format!("<h2>Decisions</h2>\n<ul class=\"decisions\">\n{decisions}</ul>\n"),
        format!("<h2>Topology</h2>\n{}", topology(&d.plans)),
        format!("<h2>Bill of materials</h2>\n{}", bill(&boms[0])),
        format!("<h2>Monthly cost</h2>\n{}", cost_chart(boms)),
        format!("<h2>Failures</h2>\n{}", failures(c, first)),
        "<p class=\"note\">Made by kubeplan design. Prices are on-demand list prices; a plan lints with <code>kubeplan lint</code>.</p>\n".to_string(),
    ]
    .concat();
    page(
        &format!("Cluster design {}", first.metadata.name),
        "",
        &body,
    )
}

/// The page of `design --compare --report FILE.html`; `lead` says what
/// was designed.
pub fn compare(lead: &str, rows: &[super::compare::Row]) -> String {
    let md_rows: Vec<Vec<String>> = rows.iter().map(super::compare::html_cells).collect();
    let items: Vec<(String, f64)> = rows
        .iter()
        .filter_map(|r| r.cost.total.map(|t| (r.platform.clone(), t)))
        .collect();
    let chart = match items.is_empty() {
        true => String::new(),
        false => bars("cost-chart", "monthly cost per platform", &items),
    };
    let body = format!(
        "<h1>The same cluster on each platform</h1>\n<p class=\"lead\">{}</p>\n<h2>Side by side</h2>\n{}<p class=\"note\">{}</p>\n<h2>Monthly cost</h2>\n{chart}",
        esc(lead),
        table_wrapping("compare", &super::compare::HEADER, &md_rows, &[3, 4, 5, 6, 7, 8], &[1, 2, 9]),
        esc(super::compare::NOTE)
    );
    page("kubeplan: platforms side by side", "wide", &body)
}
