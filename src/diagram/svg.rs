//! The diagram as a self-contained SVG (no external fonts, scripts or
//! images), laid out by structure: each cluster a frame, the API endpoint
//! at the top, zones as columns (at most six to a band; more wrap), roles
//! as rows, storage classes in a side box. Edges run as buses: endpoint →
//! load balancers → API servers → external etcd.

use std::fmt::Write;

use super::{Cell, Frame, Kind};

const COL_W: f64 = 210.0;
const GAP_X: f64 = 16.0;
const CELL_H: f64 = 66.0;
const GAP_Y: f64 = 22.0;
const PAD: f64 = 20.0;
const ZONE_HEAD: f64 = 28.0;
const MAX_COLS: usize = 6;
const TITLE_H: f64 = 36.0;
const ENDPOINT_H: f64 = 44.0;
const SIDE_W: f64 = 260.0;
const RED: &str = "#d0021b";

use crate::prose::xml_escape as esc;

/// Text cut to what a width holds at a font size (average glyph ≈ 0.58 em).
fn fit(s: &str, width: f64, size: f64) -> String {
    let max = ((width / (size * 0.58)).floor() as usize).max(4);
    match s.chars().count() > max {
        true => format!("{}…", s.chars().take(max - 1).collect::<String>()),
        false => s.to_string(),
    }
}

/// A role's fill colour (SVG and DOT).
pub(super) fn fill(kind: Kind) -> &'static str {
    match kind {
        Kind::LoadBalancer => "#fdf1dc",
        Kind::ControlPlane => "#dceafd",
        Kind::Etcd => "#e4f5e1",
        Kind::Pool => "#f1f1f4",
    }
}

struct Geometry {
    band_h: f64,
    zones_w: f64,
    width: f64,
    height: f64,
}

fn geometry(f: &Frame) -> Geometry {
    let n = f.zones.len().max(1);
    let cols = n.min(MAX_COLS);
    let bands = n.div_ceil(MAX_COLS);
    let band_h = ZONE_HEAD + f.rows.len() as f64 * (CELL_H + GAP_Y) + PAD;
    let zones_w = cols as f64 * (COL_W + GAP_X) - GAP_X;
    let side = if f.storage.is_empty() {
        0.0
    } else {
        SIDE_W + GAP_X
    };
    let width = PAD * 2.0 + zones_w.max(420.0) + side;
    let height = TITLE_H + ENDPOINT_H + GAP_Y * 2.0 + bands as f64 * band_h + PAD;
    Geometry {
        band_h,
        zones_w,
        width,
        height,
    }
}

fn cell(out: &mut String, c: &Cell, x: f64, y: f64) {
    let red = !c.flags.is_empty();
    let (stroke, sw) = if red { (RED, 3.0) } else { ("#5a6270", 1.0) };
    let _ = writeln!(
        out,
        r#"<rect x="{x}" y="{y}" width="{COL_W}" height="{CELL_H}" rx="6" fill="{}" stroke="{stroke}" stroke-width="{sw}"/>"#,
        fill(c.kind)
    );
    let tx = x + 8.0;
    let _ = writeln!(
        out,
        r#"<text x="{tx}" y="{}" font-size="13" font-weight="bold">{}</text>"#,
        y + 18.0,
        esc(&fit(&c.title, COL_W - 16.0, 13.0))
    );
    let _ = writeln!(
        out,
        r##"<text x="{tx}" y="{}" font-size="11" fill="#333">{}</text>"##,
        y + 34.0,
        esc(&fit(&c.detail, COL_W - 16.0, 11.0))
    );
    if let (Some(note), true) = (&c.note, c.flags.is_empty()) {
        let _ = writeln!(
            out,
            r##"<text x="{tx}" y="{}" font-size="11" fill="#555">{}</text>"##,
            y + 50.0,
            esc(&fit(note, COL_W - 16.0, 11.0))
        );
    }
    for (i, line) in wrap(&c.flags, COL_W - 16.0, 10.0)
        .iter()
        .take(2)
        .enumerate()
    {
        let _ = writeln!(
            out,
            r#"<text x="{tx}" y="{}" font-size="10" fill="{RED}">{}</text>"#,
            y + 49.0 + 12.0 * i as f64,
            esc(line)
        );
    }
}

/// Rule ids on as many lines as a width needs, each cut to fit.
fn wrap(ids: &[String], width: f64, size: f64) -> Vec<String> {
    let max = ((width / (size * 0.58)).floor() as usize).max(4);
    let mut lines: Vec<String> = Vec::new();
    for id in ids {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 2 + id.chars().count() <= max => {
                l.push_str(", ");
                l.push_str(id);
            }
            _ => lines.push(fit(id, width, size)),
        }
    }
    lines
}

/// Horizontal bus at `y` over the columns `xs` (cell lefts) and the point
/// `feed` where the line into it arrives, with a drop to each cell's top at
/// `to_y`.
fn bus(out: &mut String, xs: &[f64], feed: Option<f64>, y: f64, to_y: f64) {
    let mid = |x: f64| x + COL_W / 2.0;
    let points: Vec<f64> = xs.iter().map(|x| mid(*x)).chain(feed).collect();
    let (Some(lo), Some(hi)) = (
        points.iter().copied().reduce(f64::min),
        points.iter().copied().reduce(f64::max),
    ) else {
        return;
    };
    let _ = writeln!(
        out,
        r##"<line x1="{lo}" y1="{y}" x2="{hi}" y2="{y}" stroke="#5a6270" stroke-width="1.5"/>"##
    );
    for x in xs {
        let _ = writeln!(
            out,
            r##"<line x1="{0}" y1="{y}" x2="{0}" y2="{1}" stroke="#5a6270" stroke-width="1.5" marker-end="url(#arrow)"/>"##,
            mid(*x),
            to_y - 2.0
        );
    }
}

fn row_y(top: f64, r: usize) -> f64 {
    top + ZONE_HEAD + r as f64 * (CELL_H + GAP_Y)
}

fn columns(out: &mut String, g: &Geometry, top: f64, zones: &[super::Zone], left: f64) {
    for (i, z) in zones.iter().enumerate() {
        let x = left + i as f64 * (COL_W + GAP_X);
        let red = !z.flags.is_empty();
        let (stroke, sw) = if red { (RED, 3.0) } else { ("#c5cad3", 1.0) };
        let h = g.band_h - PAD / 2.0;
        let _ = writeln!(
            out,
            r##"<rect x="{}" y="{top}" width="{}" height="{h}" rx="8" fill="#fafbfc" stroke="{stroke}" stroke-width="{sw}" stroke-dasharray="4 3"/>"##,
            x - 6.0,
            COL_W + 12.0
        );
        let label = match red {
            true => format!("zone {} — {}", z.name, z.flags.join(", ")),
            false => format!("zone {}", z.name),
        };
        let color = if red { RED } else { "#333" };
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{}" font-size="12" font-weight="bold" fill="{color}">{}</text>"#,
            x,
            top + 17.0,
            esc(&fit(&label, COL_W, 12.0))
        );
        for (r, c) in z.cells.iter().enumerate() {
            if let Some(c) = c {
                cell(out, c, x, row_y(top, r));
            }
        }
    }
}

/// A row's index and the lefts of the columns that have a cell in it.
fn row_of(f: &Frame, zones: &[super::Zone], left: f64, kind: Kind) -> (Option<usize>, Vec<f64>) {
    let r = f.rows.iter().position(|k| *k == kind);
    let xs = zones
        .iter()
        .enumerate()
        .filter(|(_, z)| r.is_some_and(|r| z.cells[r].is_some()))
        .map(|(i, _)| left + i as f64 * (COL_W + GAP_X))
        .collect();
    (r, xs)
}

/// Lines down from each cell of row `a` into a bus over row `b`'s cells.
fn link_rows(
    out: &mut String,
    top: f64,
    from: (Option<usize>, &[f64]),
    to: (Option<usize>, &[f64]),
) {
    let (Some(a), Some(b)) = (from.0, to.0) else {
        return;
    };
    let bus_y = row_y(top, b) - GAP_Y / 2.0;
    bus(out, to.1, None, bus_y, row_y(top, b));
    for x in from.1 {
        let mid = x + COL_W / 2.0;
        let _ = writeln!(
            out,
            r##"<line x1="{mid}" y1="{}" x2="{mid}" y2="{bus_y}" stroke="#5a6270" stroke-width="1.5"/>"##,
            row_y(top, a) + CELL_H
        );
    }
}

/// The etcd group (external members, or the control plane it is stacked
/// on), outlined, with its quorum written under it.
fn etcd_group(
    out: &mut String,
    f: &Frame,
    g: &Geometry,
    top: f64,
    left: f64,
    group: Option<(usize, &[f64])>,
) {
    let (Some((r, xs)), Some(label)) = (group, &f.etcd_label) else {
        return;
    };
    let (Some(first), Some(last)) = (xs.first(), xs.last()) else {
        return;
    };
    let red = !f.etcd_flags.is_empty();
    let color = if red { RED } else { "#2e7d32" };
    let y = row_y(top, r);
    let _ = writeln!(
        out,
        r#"<rect x="{}" y="{}" width="{}" height="{}" rx="8" fill="none" stroke="{color}" stroke-width="{}" stroke-dasharray="6 3"/>"#,
        first - 3.0,
        y - 3.0,
        last - first + COL_W + 6.0,
        CELL_H + 6.0,
        if red { 2.5 } else { 1.5 }
    );
    // The findings are on the members' boxes; the label states the math.
    let room = g.zones_w.max(420.0) - (first - left);
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}" font-size="10" fill="{color}">{}</text>"#,
        first,
        y + CELL_H + 13.0,
        esc(&fit(label, room, 10.0))
    );
}

fn band(out: &mut String, f: &Frame, g: &Geometry, top: f64, zones: &[super::Zone], left: f64) {
    columns(out, g, top, zones, left);
    let (lb_r, lb) = row_of(f, zones, left, Kind::LoadBalancer);
    let (cp_r, cp) = row_of(f, zones, left, Kind::ControlPlane);
    let (etcd_r, etcd) = row_of(f, zones, left, Kind::Etcd);
    link_rows(out, top, (lb_r, &lb), (cp_r, &cp));
    link_rows(out, top, (cp_r, &cp), (etcd_r, &etcd));
    let group = match etcd_r {
        Some(r) => Some((r, &etcd[..])),
        None => cp_r
            .filter(|_| f.etcd_label.is_some())
            .map(|r| (r, &cp[..])),
    };
    etcd_group(out, f, g, top, left, group);
}

/// The API endpoint box, centred over the zones: (x, y, width).
fn endpoint(out: &mut String, f: &Frame, g: &Geometry, top: f64) -> (f64, f64, f64) {
    let ew = g.zones_w.clamp(260.0, 460.0);
    let ex = PAD + (g.zones_w.max(420.0) - ew) / 2.0;
    let ey = top + TITLE_H + 6.0;
    let red = !f.endpoint_flags.is_empty();
    let (stroke, sw) = if red { (RED, 3.0) } else { ("#3b4a63", 1.5) };
    let _ = writeln!(
        out,
        r##"<rect x="{ex}" y="{ey}" width="{ew}" height="{ENDPOINT_H}" rx="20" fill="#e8ecf5" stroke="{stroke}" stroke-width="{sw}"/>"##
    );
    let ty = if red { ey + 19.0 } else { ey + 27.0 };
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{ty}" font-size="13" font-weight="bold" text-anchor="middle">{}</text>"#,
        ex + ew / 2.0,
        esc(&fit(&f.endpoint, ew - 20.0, 13.0))
    );
    if red {
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{}" font-size="10" text-anchor="middle" fill="{RED}">{}</text>"#,
            ex + ew / 2.0,
            ey + 34.0,
            esc(&fit(&f.endpoint_flags.join(", "), ew - 20.0, 10.0))
        );
    }
    (ex, ey, ew)
}

fn storage(out: &mut String, f: &Frame, g: &Geometry, y: f64) {
    if f.storage.is_empty() {
        return;
    }
    let sx = PAD + g.zones_w.max(420.0) + GAP_X;
    let sh = 30.0 + 16.0 * f.storage.len() as f64;
    let _ = writeln!(
        out,
        r##"<rect x="{sx}" y="{y}" width="{SIDE_W}" height="{sh}" rx="6" fill="#fffbea" stroke="#b59b3b" stroke-width="1"/>"##
    );
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}" font-size="12" font-weight="bold">storage classes</text>"#,
        sx + 8.0,
        y + 18.0
    );
    for (i, s) in f.storage.iter().enumerate() {
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{}" font-size="11">{}</text>"#,
            sx + 8.0,
            y + 36.0 + 16.0 * i as f64,
            esc(&fit(s, SIDE_W - 16.0, 11.0))
        );
    }
}

/// The line into band `b`'s bus: straight down from the endpoint (at
/// `from`) for the first band, down the left gutter from the first band's
/// bus for the others. Returns where it meets the bus.
fn feed_band(out: &mut String, b: usize, from: (f64, f64), bands_top: f64, bus_y: f64) -> f64 {
    let (x, y) = from;
    if b == 0 {
        let _ = writeln!(
            out,
            r##"<line x1="{x}" y1="{y}" x2="{x}" y2="{bus_y}" stroke="#5a6270" stroke-width="1.5"/>"##
        );
        return x;
    }
    let gutter = PAD / 2.0;
    let first_bus = bands_top - GAP_Y / 2.0;
    let start = PAD + COL_W / 2.0;
    let _ = writeln!(
        out,
        r##"<polyline points="{start},{first_bus} {gutter},{first_bus} {gutter},{bus_y}" fill="none" stroke="#5a6270" stroke-width="1.5"/>"##
    );
    gutter
}

fn frame(out: &mut String, f: &Frame, top: f64, width: f64) -> f64 {
    let g = geometry(f);
    let _ = writeln!(
        out,
        r##"<rect x="4" y="{}" width="{}" height="{}" rx="10" fill="#ffffff" stroke="#8a93a3" stroke-width="1.5"/>"##,
        top + 4.0,
        width - 8.0,
        g.height - 8.0
    );
    let _ = writeln!(
        out,
        r#"<text x="{PAD}" y="{}" font-size="16" font-weight="bold">{}</text>"#,
        top + 28.0,
        esc(&fit(&f.title, width - 2.0 * PAD, 16.0))
    );
    let (ex, ey, ew) = endpoint(out, f, &g, top);
    let bands_top = ey + ENDPOINT_H + GAP_Y * 2.0;
    for (b, chunk) in f.zones.chunks(MAX_COLS).enumerate() {
        let bt = bands_top + b as f64 * g.band_h;
        // The endpoint feeds the first row: load balancers, else API servers, else the pools.
        let xs: Vec<f64> = chunk
            .iter()
            .enumerate()
            .filter(|(_, z)| z.cells.first().is_some_and(|c| c.is_some()))
            .map(|(i, _)| PAD + i as f64 * (COL_W + GAP_X))
            .collect();
        let bus_y = bt - GAP_Y / 2.0;
        let feed = feed_band(out, b, (ex + ew / 2.0, ey + ENDPOINT_H), bands_top, bus_y);
        bus(out, &xs, Some(feed), bus_y, bt + ZONE_HEAD);
        band(out, f, &g, bt, chunk, PAD);
    }
    storage(out, f, &g, bands_top);
    g.height
}

/// The SVG document of `frames`, stacked top to bottom.
pub fn render(frames: &[Frame]) -> String {
    let width = frames
        .iter()
        .map(|f| geometry(f).width)
        .fold(480.0, f64::max);
    let height: f64 = frames
        .iter()
        .map(|f| geometry(f).height)
        .sum::<f64>()
        .max(100.0);
    let mut body = String::new();
    let mut top = 0.0;
    for f in frames {
        top += frame(&mut body, f, top, width);
    }
    format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#5a6270"/></marker></defs>
<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>
{body}</svg>
"##
    )
}
