//! `kubeplan bom` output: table, csv, json, markdown.

use comfy_table::{Cell, CellAlignment};

use crate::bom::{Bom, BomRow};
use crate::prose::{decimal, decimal_or_dash};

fn money(v: Option<f64>) -> String {
    v.map_or("-".into(), |x| format!("{x:.2}"))
}

const HEADER: [&str; 10] = [
    "role",
    "count",
    "vCPU",
    "memory GiB",
    "disk GiB",
    "disk",
    "zones",
    "instance type",
    "$/month",
    "note",
];

fn cells(r: &BomRow) -> [String; 10] {
    [
        r.role.clone(),
        r.count.to_string(),
        decimal_or_dash(r.cpu),
        decimal_or_dash(r.memory_gib),
        decimal_or_dash(r.disk_gib),
        r.disk.map_or("-".into(), |d| d.to_string()),
        if r.zones.is_empty() {
            "-".into()
        } else {
            r.zones.join(" ")
        },
        match (&r.instance_type, r.instance_matched) {
            (Some(t), true) => format!("~{t}"),
            (Some(t), false) => t.clone(),
            (None, _) => "-".into(),
        },
        money(r.monthly_cost),
        r.note.clone(),
    ]
}

fn totals_cells(b: &Bom) -> [String; 10] {
    let t = &b.totals;
    [
        "total (machines you run)".into(),
        t.machines.to_string(),
        decimal(t.cpu),
        decimal(t.memory_gib),
        decimal(t.disk_gib),
        String::new(),
        String::new(),
        String::new(),
        match (t.monthly_cost, t.cost_incomplete) {
            (Some(m), true) => format!("≥{m:.2}"),
            (m, _) => money(m),
        },
        String::new(),
    ]
}

fn footer(b: &Bom) -> String {
    let mut out = String::new();
    if !b.storage_classes.is_empty() {
        out.push_str("\nStorage classes:\n");
        for s in &b.storage_classes {
            let modes: Vec<&str> = s.access_modes.iter().map(|m| m.as_str()).collect();
            out.push_str(&format!(
                "  - {}{}: {}, {}{}\n",
                s.name,
                if s.default { " (default)" } else { "" },
                s.medium,
                modes.join(", "),
                s.provisioner
                    .as_ref()
                    .map_or(String::new(), |p| format!(", {p}"))
            ));
        }
    }
    out.push_str(&format!(
        "\nTooling: {} on {}{}\n",
        b.tooling.tool.map_or("(not set)".into(), |t| t.to_string()),
        b.tooling.platform,
        if b.tooling.managed {
            ", managed control plane"
        } else {
            ", self-managed control plane"
        }
    ));
    match &b.prices {
        Some(p) => out.push_str(&format!(
            "Prices: on-demand list prices in {}, region {}, {} (730 hours a month; storage and traffic not included). `~` marks an instance type matched to the machine size.\n",
            p.currency,
            p.region,
            match &p.source {
                Some(s) => format!("source {s}, dated {}", p.date),
                None if p.date == "-" => "none in the catalog for this region".to_string(),
                None => format!("as of {}", p.date),
            }
        )),
        None => out.push_str("Prices: none in the catalog for this platform.\n"),
    }
    if let Some(note) = b.prices.as_ref().and_then(|p| p.note.as_ref()) {
        out.push_str(&format!("Region: {note}.\n"));
    }
    out
}

/// The narrowest the table can be without splitting a word mid-cell: each
/// column as wide as its longest word, plus the borders and padding (3 per
/// column and 1). Narrower, it is one block per row (`key: value`), as
/// kubectl and gh do.
pub fn min_table_width(b: &Bom) -> usize {
    let rows: Vec<[String; 10]> = b
        .rows
        .iter()
        .map(cells)
        .chain(std::iter::once(totals_cells(b)))
        .collect();
    (0..HEADER.len())
        .map(|i| {
            let longest = |s: &str| {
                s.split_whitespace()
                    .map(|w| w.chars().count())
                    .max()
                    .unwrap_or(0)
            };
            rows.iter()
                .map(|r| longest(&r[i]))
                .chain([longest(HEADER[i])])
                .max()
                .unwrap_or(0)
                + 3
        })
        .sum::<usize>()
        + 1
}

/// One block per row, `key: value` lines (empty values left out).
fn vertical(b: &Bom, width: Option<u16>) -> String {
    let mut out = format!("Bill of materials: {}\n", b.cluster);
    let rows = b
        .rows
        .iter()
        .map(cells)
        .chain(std::iter::once(totals_cells(b)));
    for r in rows {
        out.push_str(&format!("\n{}\n", r[0]));
        for (k, v) in HEADER.iter().zip(&r).skip(1) {
            if !v.is_empty() && v != "-" {
                out.push_str(&format!("  {k}: {v}\n"));
            }
        }
    }
    format!("{out}\n{}", crate::prose::wrap(&footer(b), width))
}

pub fn table(b: &Bom, width: Option<u16>) -> String {
    if width.is_some_and(|w| usize::from(w) < min_table_width(b)) {
        return vertical(b, width);
    }
    let mut t = super::table(HEADER.to_vec(), width);
    for r in &b.rows {
        t.add_row(cells(r).into_iter().enumerate().map(|(i, c)| align(i, c)));
    }
    t.add_row(
        totals_cells(b)
            .into_iter()
            .enumerate()
            .map(|(i, c)| align(i, c)),
    );
    let footer = crate::prose::wrap(&footer(b), width);
    format!("Bill of materials: {}\n{t}\n{footer}", b.cluster)
}

fn align(i: usize, c: String) -> Cell {
    let cell = Cell::new(c);
    if (1..=4).contains(&i) || i == 8 {
        cell.set_alignment(CellAlignment::Right)
    } else {
        cell
    }
}

pub fn markdown(b: &Bom) -> String {
    let mut out = format!(
        "## Bill of materials: {}\n\n| {} |\n|{}\n",
        b.cluster,
        HEADER.join(" | "),
        "---|".repeat(HEADER.len())
    );
    for r in &b.rows {
        out.push_str(&format!(
            "| {} |\n",
            cells(r).map(|c| c.replace('|', "\\|")).join(" | ")
        ));
    }
    // Each filled cell of the totals row in bold (an empty one stays empty).
    let totals: Vec<String> = totals_cells(b)
        .iter()
        .map(|c| match c.is_empty() {
            true => String::new(),
            false => format!("**{c}**"),
        })
        .collect();
    out.push_str(&format!("| {} |\n", totals.join(" | ")));
    out.push_str(&footer(b));
    out
}

pub fn csv(b: &Bom) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "role",
        "count",
        "cpu",
        "memoryGiB",
        "diskGiB",
        "disk",
        "zones",
        "instanceType",
        "pricePerHour",
        "monthlyCost",
        "note",
    ])?;
    let opt = |v: Option<f64>| v.map_or(String::new(), |x| x.to_string());
    for r in &b.rows {
        w.write_record([
            r.role.clone(),
            r.count.to_string(),
            opt(r.cpu),
            opt(r.memory_gib),
            opt(r.disk_gib),
            r.disk.map_or(String::new(), |d| d.to_string()),
            r.zones.join(" "),
            r.instance_type.clone().unwrap_or_default(),
            opt(r.price_per_hour),
            opt(r.monthly_cost),
            r.note.clone(),
        ])?;
    }
    let t = &b.totals;
    w.write_record([
        "total".into(),
        t.machines.to_string(),
        t.cpu.to_string(),
        t.memory_gib.to_string(),
        t.disk_gib.to_string(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        opt(t.monthly_cost),
        String::new(),
    ])?;
    Ok(String::from_utf8(w.into_inner()?)?)
}
