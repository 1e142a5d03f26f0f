//! `design --compare`: the same answers designed on each platform, side by
//! side — control plane, workers, pods per node, the monthly cost split,
//! and what losing a zone does — as a table, JSON or Markdown.

use serde::Serialize;

use crate::bom::Bom;
use crate::catalog::Catalog;
use crate::plan::{ClusterPlan, Platform};
use crate::prose::{amount, num};

/// The monthly cost of one platform's design, split; None where nothing
/// of that kind is priced (your own machines, volume sizes no answer gives).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cost {
    pub nodes: Option<f64>,
    pub control_plane_fee: Option<f64>,
    pub load_balancers: Option<f64>,
    pub storage: Option<f64>,
    pub total: Option<f64>,
}

/// One platform's design.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    pub platform: String,
    pub title: String,
    pub cluster: String,
    pub clusters: usize,
    pub control_plane: String,
    pub workers: String,
    pub worker_nodes: u64,
    pub pods_per_node: Option<u32>,
    pub zones: usize,
    pub cost: Cost,
    /// The worst single-zone loss: survives, degraded or down.
    pub zone_loss: String,
    /// Why the answers cannot be designed there (a zone count the region
    /// does not have, say).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

fn add(to: &mut Option<f64>, v: Option<f64>) {
    if let Some(v) = v {
        *to = Some(to.unwrap_or(0.0) + v);
    }
}

/// The cost split of the bills of materials of a design's clusters.
fn cost(boms: &[Bom]) -> Cost {
    let mut c = Cost::default();
    for b in boms {
        for r in &b.rows {
            let slot = if r.role.contains("load balancer") {
                &mut c.load_balancers
            } else if r.machines {
                &mut c.nodes
            } else if r.role.contains("control plane") {
                &mut c.control_plane_fee
            } else {
                &mut c.nodes
            };
            add(slot, r.monthly_cost);
        }
        add(&mut c.total, b.totals.monthly_cost);
    }
    c
}

fn control_plane(c: &Catalog, p: &ClusterPlan) -> String {
    let cp = &p.spec.control_plane;
    if cp.managed {
        let _ = c;
        return match p.spec.platform.service() {
            Some(s) => format!("managed ({})", s.name),
            None => "managed".to_string(),
        };
    }
    let nodes = cp.nodes.unwrap_or(1);
    let etcd = match p.spec.etcd.as_ref().and_then(|e| e.topology) {
        Some(crate::plan::EtcdTopology::External) => {
            let m = p.spec.etcd.as_ref().and_then(|e| e.members).unwrap_or(0);
            format!(", {m} external etcd")
        }
        _ => ", stacked etcd".to_string(),
    };
    format!("{nodes} nodes{etcd}")
}

fn zone_loss(c: &Catalog, p: &ClusterPlan) -> String {
    let r = crate::whatif::run::run(c, p, &[], 1);
    r.scenarios
        .iter()
        .filter(|s| s.order == 1 && s.outcome.lost_a_zone())
        .map(|s| s.outcome.verdict)
        .max()
        .map_or("-".to_string(), |v| v.to_string())
}

impl Row {
    /// A platform's design: its clusters and their bills of materials.
    pub fn of(c: &Catalog, platform: Platform, plans: &[ClusterPlan], boms: &[Bom]) -> Row {
        let first = &plans[0];
        let workers: Vec<String> = first
            .spec
            .workers
            .iter()
            .map(|w| {
                let kind = w.instance_type.clone().unwrap_or_else(|| {
                    format!(
                        "{} vCPU / {} GiB",
                        amount(w.machine.cpu),
                        amount(w.machine.memory_gib)
                    )
                });
                format!("{} × {kind}", num(u64::from(w.nodes)))
            })
            .collect();
        let worker_nodes = plans
            .iter()
            .flat_map(|p| &p.spec.workers)
            .map(|w| u64::from(w.nodes))
            .sum();
        Row {
            platform: platform.to_string(),
            title: c.platform(platform).title.clone(),
            cluster: first.metadata.name.clone(),
            clusters: plans.len(),
            control_plane: control_plane(c, first),
            workers: workers.join(" + "),
            worker_nodes,
            pods_per_node: first.spec.workers.iter().filter_map(|w| w.max_pods).max(),
            zones: first.spec.zones.len(),
            cost: cost(boms),
            zone_loss: zone_loss(c, first),
            error: None,
        }
    }

    /// A platform the answers cannot be designed on, and why.
    pub fn failed(c: &Catalog, platform: Platform, why: String) -> Row {
        Row {
            platform: platform.to_string(),
            title: c.platform(platform).title.clone(),
            cluster: String::new(),
            clusters: 0,
            control_plane: String::new(),
            workers: String::new(),
            worker_nodes: 0,
            pods_per_node: None,
            zones: 0,
            cost: Cost::default(),
            zone_loss: String::new(),
            error: Some(why),
        }
    }
}

fn dollars(v: Option<f64>) -> String {
    v.map_or("-".to_string(), |v| format!("${}", num(v.round() as u64)))
}

/// The table's cells of a row.
fn cells(r: &Row) -> Vec<String> {
    if let Some(e) = &r.error {
        return vec![r.platform.clone(), format!("cannot: {e}")];
    }
    let clusters = match r.clusters {
        1 => String::new(),
        k => format!(" (each of {k} clusters)"),
    };
    vec![
        r.platform.clone(),
        r.control_plane.clone(),
        format!("{}{clusters}", r.workers),
        r.pods_per_node.map_or("-".into(), |p| p.to_string()),
        dollars(r.cost.nodes),
        dollars(r.cost.control_plane_fee),
        dollars(r.cost.load_balancers),
        dollars(r.cost.storage),
        dollars(r.cost.total),
        format!("{} ({} zones)", r.zone_loss, r.zones),
    ]
}

pub const HEADER: [&str; 10] = [
    "platform",
    "control plane",
    "workers",
    "pods/node",
    "nodes $/mo",
    "control-plane fee",
    "load balancers",
    "storage",
    "total $/mo",
    "zone loss",
];

/// A note under the table: what "-" means.
pub const NOTE: &str = "\"-\": not priced (your own machines have no list price; storage depends on volume sizes the answers do not give).";

/// The cells of a row, escaped for HTML, padded to the header.
pub fn html_cells(r: &Row) -> Vec<String> {
    let mut c: Vec<String> = cells(r).iter().map(|x| super::html::esc(x)).collect();
    c.resize(HEADER.len(), String::new());
    c
}

pub fn table(rows: &[Row], width: Option<u16>) -> String {
    let mut t = super::table(HEADER.to_vec(), width);
    for r in rows {
        t.add_row(cells(r));
    }
    format!("{t}\n{}\n", crate::prose::wrap(NOTE, width))
}

pub fn markdown(rows: &[Row]) -> String {
    let mut out = format!(
        "| {} |\n|{}\n",
        HEADER.join(" | "),
        "---|".repeat(HEADER.len())
    );
    for r in rows {
        let mut c = cells(r);
        c.resize(HEADER.len(), String::new());
        out.push_str(&format!("| {} |\n", c.join(" | ").replace('\n', " ")));
    }
    out.push_str(&format!("\n{NOTE}\n"));
    out
}
