//! The diagram as Mermaid (`flowchart`, the subset GitHub renders:
//! subgraphs, nodes, edges, `classDef`, quoted labels) and as Graphviz DOT.
//! Both carry what the SVG shows; zone columns hold in DOT, while Mermaid
//! lays subgraphs out as it likes once their nodes link outside them.

use std::fmt::Write;

use super::{Cell, Frame, Kind};

/// A Mermaid label: quoted, with `"` as an entity, line breaks as `<br/>`.
fn mlabel(lines: &[&str]) -> String {
    let text: Vec<String> = lines
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.replace('"', "#quot;"))
        .collect();
    format!("\"{}\"", text.join("<br/>"))
}

fn cells(f: &Frame, kind: Kind) -> Vec<&Cell> {
    f.zones
        .iter()
        .flat_map(|z| z.cells.iter().flatten())
        .filter(|c| c.kind == kind)
        .collect()
}

/// Edges of the control path: endpoint → balancers → API servers → etcd
/// (the endpoint feeds the first of them the plan has).
fn edges(f: &Frame) -> Vec<(String, String)> {
    let ep = format!("{}_api", f.id);
    let lb = cells(f, Kind::LoadBalancer);
    let cp = cells(f, Kind::ControlPlane);
    let etcd = cells(f, Kind::Etcd);
    let mut out = Vec::new();
    let first: Vec<&Cell> = [&lb, &cp, &cells(f, Kind::Pool)]
        .into_iter()
        .find(|v| !v.is_empty())
        .cloned()
        .unwrap_or_default();
    out.extend(first.iter().map(|c| (ep.clone(), c.id.clone())));
    if !lb.is_empty() {
        for a in &lb {
            out.extend(cp.iter().map(|b| (a.id.clone(), b.id.clone())));
        }
    }
    for a in &cp {
        out.extend(etcd.iter().map(|b| (a.id.clone(), b.id.clone())));
    }
    out
}

pub fn mermaid(frames: &[Frame]) -> String {
    let mut out = String::from("flowchart TB\n");
    for f in frames {
        let _ = writeln!(out, "  subgraph {}[{}]", f.id, mlabel(&[&f.title]));
        let flags = f.endpoint_flags.join(", ");
        let _ = writeln!(
            out,
            "    {}_api([{}])",
            f.id,
            mlabel(&[&f.endpoint, &flags])
        );
        if !f.endpoint_flags.is_empty() {
            let _ = writeln!(out, "    class {}_api finding", f.id);
        }
        for (i, z) in f.zones.iter().enumerate() {
            let zflags = z.flags.join(", ");
            let _ = writeln!(
                out,
                "    subgraph {}_z{i}[{}]",
                f.id,
                mlabel(&[&format!("zone {}", z.name), &zflags])
            );
            out.push_str("      direction TB\n");
            for c in z.cells.iter().flatten() {
                let flags = c.flags.join(", ");
                let _ = writeln!(
                    out,
                    "      {}[{}]",
                    c.id,
                    mlabel(&[&c.title, &c.detail, &flags])
                );
                if !c.flags.is_empty() {
                    let _ = writeln!(out, "      class {} finding", c.id);
                }
            }
            out.push_str("    end\n");
        }
        if let Some(l) = &f.etcd_label {
            let flags = f.etcd_flags.join(", ");
            let _ = writeln!(out, "    {}_quorum[/{}/]", f.id, mlabel(&[l, &flags]));
            if !f.etcd_flags.is_empty() {
                let _ = writeln!(out, "    class {}_quorum finding", f.id);
            }
        }
        if !f.storage.is_empty() {
            let lines: Vec<&str> = std::iter::once("storage classes")
                .chain(f.storage.iter().map(String::as_str))
                .collect();
            let _ = writeln!(out, "    {}_storage[{}]", f.id, mlabel(&lines));
        }
        out.push_str("  end\n");
        for (a, b) in edges(f) {
            let _ = writeln!(out, "  {a} --> {b}");
        }
    }
    out.push_str("  classDef finding stroke:#d0021b,stroke-width:3px,color:#d0021b\n");
    out
}

/// A DOT string: quoted, `"` and `\` escaped.
fn dq(s: &str) -> String {
    let s = s
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    format!("\"{s}\"")
}

pub fn dot(frames: &[Frame]) -> String {
    let mut out = String::from("digraph kubeplan {\n  rankdir=TB;\n  compound=true;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11, fillcolor=\"#f1f1f4\"];\n  edge [color=\"#5a6270\"];\n");
    for f in frames {
        let _ = writeln!(
            out,
            "  subgraph cluster_{} {{\n    label={};\n    fontname=\"Helvetica\";",
            f.id,
            dq(&f.title)
        );
        let red = |flags: &[String]| match flags.is_empty() {
            true => String::new(),
            false => format!(
                ", color=\"#d0021b\", penwidth=3, xlabel={}",
                dq(&flags.join(", "))
            ),
        };
        let _ = writeln!(
            out,
            "    {}_api [label={}, shape=ellipse, fillcolor=\"#e8ecf5\"{}];",
            f.id,
            dq(&f.endpoint),
            red(&f.endpoint_flags)
        );
        if let Some(l) = &f.etcd_label {
            let _ = writeln!(
                out,
                "    {}_quorum [label={}, shape=note, fillcolor=\"#e4f5e1\"{}];",
                f.id,
                dq(l),
                red(&f.etcd_flags)
            );
        }
        if !f.storage.is_empty() {
            let _ = writeln!(
                out,
                "    {}_storage [label={}, shape=note, fillcolor=\"#fffbea\"];",
                f.id,
                dq(&format!("storage classes\n{}", f.storage.join("\n")))
            );
        }
        for (i, z) in f.zones.iter().enumerate() {
            let _ = writeln!(
                out,
                "    subgraph cluster_{}_z{i} {{\n      label={};\n      style=dashed;{}",
                f.id,
                dq(&format!("zone {}", z.name)),
                if z.flags.is_empty() {
                    ""
                } else {
                    " color=\"#d0021b\"; penwidth=3;"
                }
            );
            for c in z.cells.iter().flatten() {
                let label =
                    [c.title.as_str(), &c.detail, c.note.as_deref().unwrap_or("")].join("\n");
                let _ = writeln!(
                    out,
                    "      {} [label={}, fillcolor=\"{}\"{}];",
                    c.id,
                    dq(label.trim_end()),
                    super::svg::fill(c.kind),
                    red(&c.flags)
                );
            }
            out.push_str("    }\n");
        }
        out.push_str("  }\n");
        for (a, b) in edges(f) {
            let _ = writeln!(out, "  {a} -> {b};");
        }
    }
    out.push_str("}\n");
    out
}
