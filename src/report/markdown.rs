//! The shareable design report (`design --format markdown`, `design
//! --report FILE`, `bom --format markdown`): the summary, the decisions and
//! their reasons (from `design`), the topology as a Mermaid diagram, the
//! quorum and failure lines, the bill of materials, and the commands that
//! build the cluster — ready to paste into a pull request or a wiki.

use crate::bom::Bom;
use crate::catalog::Catalog;
use crate::design::Reason;
use crate::diagram::{text::mermaid, Frame};
use crate::export::Target;
use crate::plan::ClusterPlan;
use crate::prose::num;

/// `|` and line breaks would end a table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn summary(plans: &[ClusterPlan]) -> String {
    let p = &plans[0];
    let s = &p.spec;
    let tooling = s
        .tooling
        .map_or("no tooling named".to_string(), |t| t.to_string());
    let workers: u64 = plans.iter().map(|p| p.worker_nodes()).sum();
    let pods = s.workload.as_ref().map_or(0, |w| w.pods);
    let mut out = format!(
        "- **{}** on **{}** with **{tooling}**, {} zone(s): {}\n",
        s.purpose,
        s.platform,
        p.zones().len(),
        p.zones().join(", ")
    );
    if plans.len() > 1 {
        out.push_str(&format!(
            "- {} clusters of the same shape ({} .. {})\n",
            plans.len(),
            p.metadata.name,
            plans[plans.len() - 1].metadata.name
        ));
    }
    match p.managed() {
        true => out.push_str("- control plane: managed by the provider\n"),
        false => out.push_str(&format!("- control plane: {} node(s)\n", p.cp_nodes())),
    }
    out.push_str(&format!(
        "- workers: {} node(s) in {} pool(s); {} pods at peak\n",
        num(workers),
        s.workers.len(),
        num(pods)
    ));
    out
}

fn decisions(reasons: &[Reason]) -> String {
    let mut out = String::from("| decision | why |\n|---|---|\n");
    for r in reasons {
        out.push_str(&format!(
            "| {} | {} |\n",
            cell(&r.decision),
            cell(&r.reason)
        ));
    }
    out
}

/// The commands: check, price, export, and the export's apply order.
fn commands(c: &Catalog, plan: &ClusterPlan, file: &str) -> String {
    let mut out =
        format!("```sh\nkubeplan lint {file}\nkubeplan bom {file}\nkubeplan whatif {file}\n");
    let targets: Vec<Target> = Target::ALL
        .iter()
        .copied()
        .filter(|t| t.not_for(plan).is_none())
        .collect();
    if targets.is_empty() {
        out.push_str("```\n");
        return out;
    }
    let dir = &plan.metadata.name;
    out.push_str(&format!(
        "kubeplan export {file}   # into ./{dir}/\n```\n\nThen, in this order:\n\n"
    ));
    for (i, t) in targets.iter().enumerate() {
        out.push_str(&format!("{}. {}\n", i + 1, t.apply_step(plan, c, dir)));
    }
    out
}

/// The report. `reasons` are the design's (none for a plan read from a
/// file); `file` is the plan file the commands name.
pub fn report(
    c: &Catalog,
    plans: &[ClusterPlan],
    reasons: Option<&[Reason]>,
    boms: &[Bom],
    file: &str,
) -> String {
    let Some(first) = plans.first() else {
        return String::new();
    };
    let mut out = format!(
        "# Cluster design: {}\n\n{}",
        first.metadata.name,
        summary(plans)
    );
    if let Some(r) = reasons {
        out.push_str(&format!("\n## Decisions\n\n{}", decisions(r)));
    }
    let frames: Vec<Frame> = plans
        .iter()
        .take(1)
        .map(|p| Frame::of(p, &crate::lint::lint_plan(p, c)))
        .collect();
    out.push_str(&format!(
        "\n## Topology\n\n```mermaid\n{}```\n",
        mermaid(&frames)
    ));
    if plans.len() > 1 {
        out.push_str(&format!(
            "\nThe diagram shows {}; the other clusters have the same shape.\n",
            first.metadata.name
        ));
    }
    out.push_str(&format!(
        "\n## Quorum and failures\n\n{}\n\n{}\n",
        super::design::quorum_line(first),
        super::design::failure_line(c, first)
    ));
    out.push_str("\n## Bill of materials\n\n");
    for b in boms {
        out.push_str(&super::bom::markdown(b).replacen("## ", "### ", 1));
        out.push('\n');
    }
    out.push_str(&format!("\n## Commands\n\n{}", commands(c, first, file)));
    out
}
