//! `kubeplan design` human output: the decisions with their reasons, the
//! quorum line, the bill of materials, and the next commands to run.

use std::path::Path;

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};

use super::Paint;
use crate::bom::Bom;
use crate::catalog::Catalog;
use crate::design::{Answers, Design};
use crate::export::Target;
use crate::plan::{ClusterPlan, EtcdTopology, LbType};
use crate::prose::{amount, num};
use crate::questionnaire::{PartialAnswers, Questionnaire};
use crate::quorum::{fault_tolerance, quorum, zone_report};

/// The quorum line for a plan's etcd.
pub fn quorum_line(plan: &ClusterPlan) -> String {
    let Some(topo) = plan.etcd_topology() else {
        let tool = plan
            .spec
            .tooling
            .map_or("the provider".to_string(), |t| t.as_str().to_uppercase());
        return format!("etcd is run by {tool}: its quorum is the provider's to keep.");
    };
    let n = plan.etcd_members();
    let placement = crate::plan::spread(n, &plan.etcd_zones());
    let layout: Vec<String> = placement.iter().map(|(z, m)| format!("{z}={m}")).collect();
    let ft = fault_tolerance(n);
    let mut line = format!(
        "etcd: {n} {} member{} ({}), quorum {}, survives {} failure{}; per zone {}",
        topo,
        if n == 1 { "" } else { "s" },
        if topo == EtcdTopology::Stacked {
            "on the control-plane nodes"
        } else {
            "on their own machines"
        },
        quorum(n),
        ft,
        if ft == 1 { "" } else { "s" },
        layout.join(", ")
    );
    if placement.len() >= 2 {
        let r = zone_report(&placement);
        line.push_str(if r.survives_any_zone_loss {
            "; losing any one zone keeps quorum."
        } else {
            "; losing the largest zone loses quorum."
        });
    } else {
        line.push('.');
    }
    line
}

/// What one failure does, from the engine `whatif` runs: "survives losing
/// any one zone; pods rescheduled ≈ 5.8 min after a node loss".
pub fn failure_line(c: &Catalog, plan: &ClusterPlan) -> String {
    let r = crate::whatif::run::run(c, plan, &[], 1);
    format!(
        "{} (`kubeplan whatif` shows each failure and its timeline).",
        r.summary.line
    )
}

/// The whole human report.
pub fn text(
    c: &Catalog,
    a: &Answers,
    d: &Design,
    boms: &[Bom],
    written: Option<&Path>,
    paint: Paint,
    width: Option<u16>,
) -> String {
    let first = &d.plans[0];
    let wrap = |s: String| crate::prose::wrap(&s, width);
    [
        wrap(heading(c, a, d, paint)),
        decisions(d, paint, width),
        format!("{}\n{}\n\n", paint.bold("Quorum"), wrap(quorum_line(first))),
        format!(
            "{}\n{}\n\n",
            paint.bold("Failures"),
            wrap(failure_line(c, first))
        ),
        bill(d, boms, paint, width),
        next_wrapped(c, d, written, paint, width),
    ]
    .concat()
}

/// `design --brief`: the summary line and the bill of materials.
pub fn brief(
    c: &Catalog,
    a: &Answers,
    d: &Design,
    boms: &[Bom],
    paint: Paint,
    width: Option<u16>,
) -> String {
    [
        crate::prose::wrap(&heading(c, a, d, paint), width),
        bill(d, boms, paint, width),
    ]
    .concat()
}

/// `Cluster design prod-aws: production on AWS, managed, 1,000 pods at peak`.
pub fn heading(c: &Catalog, a: &Answers, d: &Design, paint: Paint) -> String {
    let (first, last) = (&d.plans[0], &d.plans[d.plans.len() - 1]);
    let name = match d.plans.len() {
        1 => first.metadata.name.clone(),
        k => format!(
            "{k} clusters ({} .. {})",
            first.metadata.name, last.metadata.name
        ),
    };
    format!(
        "{} {name}: {} on {}{}, {} pods at peak{}\n\n",
        paint.bold("Cluster design"),
        a.purpose,
        c.platform(a.platform).title,
        if a.managed { ", managed" } else { "" },
        num(a.pods),
        if a.traffic == crate::plan::Traffic::Burst {
            " (bursty)"
        } else {
            ""
        }
    )
}

fn decisions(d: &Design, paint: Paint, width: Option<u16>) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec!["decision", "why"]);
    t.set_width(width.unwrap_or(120).min(140));
    for r in &d.reasons {
        t.add_row(vec![r.decision.clone(), r.reason.clone()]);
    }
    format!("{}\n{t}\n\n", paint.bold("Decisions"))
}

/// The first cluster's bill, and the totals over all clusters.
fn bill(d: &Design, boms: &[Bom], paint: Paint, width: Option<u16>) -> String {
    let k = d.plans.len();
    let mut out = String::new();
    if k > 1 {
        out.push_str(&format!(
            "{} (each of the {k} clusters is the same; the last ones may carry a pod fewer)\n",
            paint.bold("Bill of materials")
        ));
    }
    out.push_str(&super::bom::table(&boms[0], width));
    if k > 1 {
        let t = crate::bom::sum_totals(boms);
        out.push_str(&format!(
            "All {k} clusters: {} machines, {} vCPU, {} GiB memory{}.\n",
            num(t.machines),
            amount(t.cpu),
            amount(t.memory_gib),
            t.monthly_cost
                .map(|m| format!(", about ${}/month", num(m.round() as u64)))
                .unwrap_or_default()
        ));
    }
    out.push('\n');
    out
}

/// What to run next: check the plan, then build the cluster with its tool.
/// The next steps, their comments wrapped to `width` (never the commands,
/// which stay whole to copy).
fn next_wrapped(
    c: &Catalog,
    d: &Design,
    written: Option<&Path>,
    paint: Paint,
    width: Option<u16>,
) -> String {
    next(c, d, written, paint)
        .split_inclusive('\n')
        .map(|l| match l.trim_start().starts_with("# ") {
            true => format!("{}\n", crate::prose::wrap(l.trim_end(), width)),
            false => l.to_string(),
        })
        .collect()
}

fn next(c: &Catalog, d: &Design, written: Option<&Path>, paint: Paint) -> String {
    let (first, last) = (&d.plans[0], &d.plans[d.plans.len() - 1]);
    let mut out = format!("{}\n", paint.bold("Next"));
    let file = match written {
        Some(p) => p.display().to_string(),
        None => {
            let f = format!("{}.yaml", first.metadata.name.trim_end_matches("-1"));
            out.push_str(&format!(
                "  # write the plan: run the same command with -o {f}\n"
            ));
            f
        }
    };
    out.push_str(&format!("  kubeplan lint {file}\n  kubeplan bom {file}\n"));
    if first.etcd_topology().is_some() && first.etcd_members() > 1 {
        out.push_str(&format!("  kubeplan quorum --plan {file}\n"));
    }
    // The files `export` writes, where it has them; the tool's commands otherwise.
    let exported: Vec<Target> = Target::ALL
        .iter()
        .copied()
        .filter(|t| t.not_for(first).is_none())
        .collect();
    if let Some(l) = first.spec.api_load_balancer.as_ref() {
        if l.kind != LbType::Cloud && !exported.contains(&Target::Haproxy) {
            out.push_str(&format!(
                "  # set up {} with keepalived for the virtual IP (port {}) before kubeadm init\n",
                l.kind,
                c.lb_port(l)
            ));
        }
    }
    if exported.iter().any(|t| *t != Target::Storage) {
        let dir = &first.metadata.name;
        let into = match d.plans.len() > 1 {
            true => format!(
                "one folder per cluster, ./{dir}/ .. ./{}/",
                last.metadata.name
            ),
            false => format!("./{dir}/"),
        };
        let hosts = match exported.iter().any(|t| t.uses_hosts()) {
            true => "; add --addresses FILE for the hosts' IPs",
            false => "",
        };
        out.push_str(&format!(
            "  kubeplan export {file}   # into {into}{hosts} (docs/export.md)\n"
        ));
        if d.plans.len() > 1 {
            out.push_str("  # then, for each cluster's folder, in this order:\n");
        } else {
            out.push_str("  # then, in this order:\n");
        }
        for (i, t) in exported.iter().enumerate() {
            out.push_str(&format!(
                "  #  {}. {}\n",
                i + 1,
                t.apply_step(first, c, dir)
            ));
        }
        return out;
    }
    let cmds = crate::design::bootstrap::commands(c, first);
    if d.plans.len() > 1 && !cmds.is_empty() {
        out.push_str(&format!(
            "  # for each cluster, {} .. {}:\n",
            first.metadata.name, last.metadata.name
        ));
    }
    for cmd in cmds {
        out.push_str(&format!("  {cmd}\n"));
    }
    out
}

/// The answers so far, as the questionnaire's summary shows them.
pub fn answers_table(a: &PartialAnswers, qs: &Questionnaire) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec!["answer", "value", "flag"]);
    for q in qs.questions.iter().filter(|q| q.applies(a)) {
        t.add_row(vec![q.key.clone(), a.text(&q.key), q.flag().to_string()]);
    }
    t.to_string()
}

/// `design --format json|yaml`: the answers, plans, reasons and bills of
/// materials.
pub fn document(a: &Answers, d: &Design, boms: &[Bom]) -> serde_json::Result<serde_json::Value> {
    let serde_json::Value::Object(answers) = serde_json::to_value(a)? else {
        return Err(serde::ser::Error::custom("the answers are not a mapping"));
    };
    let report = super::schemas::DesignReport {
        answers,
        plans: d.plans.clone(),
        reasons: d.reasons.clone(),
        runners_up: d.runners_up.clone(),
        bom: super::schemas::DesignBom {
            clusters: boms.to_vec(),
            totals: crate::bom::sum_totals(boms),
        },
    };
    serde_json::to_value(report)
}

/// The resolved answers as a file that `--answers` replays.
pub fn answers_yaml(a: &Answers, path: &Path) -> Result<String, serde_saphyr::SerializeError> {
    Ok(format!(
        "# kubeplan design answers; replay with: kubeplan design --answers {}\n{}",
        path.display(),
        serde_saphyr::to_string(a)?
    ))
}

/// The plans as a YAML file: a header saying how they were made, then one
/// document per cluster.
pub fn plans_yaml(
    a: &Answers,
    plans: &[ClusterPlan],
) -> Result<String, serde_saphyr::SerializeError> {
    let mut out = format!(
        "# Designed by kubeplan {}: {} on {}{}, {} {} pods at peak ({} traffic), {} zone(s), tolerate {}.\n# Check it with `kubeplan lint` and price it with `kubeplan bom`.\n",
        env!("CARGO_PKG_VERSION"),
        a.purpose,
        a.platform,
        if a.managed { " (managed)" } else { "" },
        a.workload,
        num(a.pods),
        a.traffic,
        a.zones,
        a.tolerate
    );
    for (i, p) in plans.iter().enumerate() {
        if i > 0 || plans.len() > 1 {
            out.push_str("---\n");
        }
        out.push_str(&serde_saphyr::to_string(p)?);
    }
    Ok(out)
}
