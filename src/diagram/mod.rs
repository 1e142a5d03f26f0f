//! `kubeplan diagram`: a plan's infrastructure as a picture. One model —
//! per cluster, the API endpoint above one column per zone, and in each
//! zone a row per role (load-balancer hosts, control plane, external etcd,
//! one per worker pool) with counts, never one shape per node — drawn as
//! SVG (laid out here, no Graphviz at run time), Mermaid and DOT.

pub mod svg;
pub mod text;

use crate::diag::{Finding, Severity};
use crate::plan::{spread, ClusterPlan, EtcdTopology, LbType};
use crate::prose::{decimal, num};
use crate::quorum::{fault_tolerance, quorum};

/// A role's row in every zone column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    LoadBalancer,
    ControlPlane,
    Etcd,
    Pool,
}

/// One box: the machines of one role (or pool) in one zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub id: String,
    pub kind: Kind,
    pub title: String,
    pub detail: String,
    /// A third line (a pool's instance type), when there are no flags.
    pub note: Option<String>,
    /// Rule ids of the lint errors and warnings it carries.
    pub flags: Vec<String>,
}

/// One zone's column: a cell (or nothing) per row.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    pub name: String,
    pub cells: Vec<Option<Cell>>,
    pub flags: Vec<String>,
}

/// One cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub id: String,
    pub title: String,
    /// The way in: VIP and its balancers, a cloud LB, or the provider's.
    pub endpoint: String,
    pub endpoint_flags: Vec<String>,
    /// The row kinds, top to bottom (a pool row per pool).
    pub rows: Vec<Kind>,
    pub zones: Vec<Zone>,
    /// "3 members, quorum 2, survives 1", on the etcd group.
    pub etcd_label: Option<String>,
    pub etcd_flags: Vec<String>,
    pub storage: Vec<String>,
}

fn machine(m: &crate::plan::Machine) -> String {
    format!("{} vCPU / {} GiB", decimal(m.cpu), decimal(m.memory_gib))
}

fn ident(s: &str) -> String {
    let id: String = s
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("n_{id}")
}

/// The rule ids of the findings that concern one part of the plan.
fn flags_for(findings: &[Finding], rules: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning && rules.contains(&f.rule))
        .map(|f| f.rule.to_string())
        .collect();
    out.dedup();
    out
}

const LB_RULES: &[&str] = &["api-lb-single-point-of-failure", "api-lb-missing"];
const ETCD_RULES: &[&str] = &[
    "etcd-even-members",
    "etcd-no-fault-tolerance",
    "etcd-too-many-members",
    "etcd-zone-quorum-loss",
];
const CP_RULES: &[&str] = &["control-plane-single", "control-plane-undersized"];

/// What the zone columns are made of: each role's machines per zone.
struct Parts<'a> {
    plan: &'a ClusterPlan,
    lb: Option<&'a crate::plan::ApiLoadBalancer>,
    lb_place: Vec<(String, u32)>,
    cp: Vec<(String, u32)>,
    etcd: Vec<(String, u32)>,
    stacked: bool,
    external: bool,
    lb_flags: Vec<String>,
    cp_flags: Vec<String>,
    etcd_flags: Vec<String>,
}

fn count_in(p: &[(String, u32)], z: &str) -> u32 {
    p.iter().filter(|(x, _)| x == z).map(|(_, n)| n).sum()
}

impl Parts<'_> {
    fn cell(
        &self,
        what: &str,
        z: &str,
        kind: Kind,
        title: String,
        detail: String,
        flags: Vec<String>,
    ) -> Cell {
        Cell {
            id: ident(&format!("{}_{what}_{z}", self.plan.metadata.name)),
            kind,
            title,
            detail,
            note: None,
            flags,
        }
    }

    fn lb_cell(&self, z: &str, vip_drawn: &mut bool) -> Option<Cell> {
        let l = self.lb?;
        let n = count_in(&self.lb_place, z);
        (n > 0).then(|| {
            let holder = l.virtual_ip && !*vip_drawn;
            *vip_drawn |= holder;
            let detail = match holder {
                true => "load balancer, holds the VIP",
                false => "load balancer",
            };
            let title = format!("{} × {n}", l.kind);
            self.cell(
                "lb",
                z,
                Kind::LoadBalancer,
                title,
                detail.into(),
                self.lb_flags.clone(),
            )
        })
    }

    fn cp_cell(&self, z: &str) -> Option<Cell> {
        let n = count_in(&self.cp, z);
        (n > 0).then(|| {
            let mut flags = self.cp_flags.clone();
            let detail = match self.stacked {
                true => {
                    flags.extend(self.etcd_flags.iter().cloned());
                    format!("API server + etcd member{}", if n > 1 { "s" } else { "" })
                }
                false => "API server, controllers".into(),
            };
            self.cell(
                "cp",
                z,
                Kind::ControlPlane,
                format!("control plane × {n}"),
                detail,
                flags,
            )
        })
    }

    fn pool_cell(&self, p: &crate::plan::WorkerPool, z: &str) -> Option<Cell> {
        let n = count_in(&spread(p.nodes, &self.plan.pool_zones(p)), z);
        (n > 0).then(|| {
            let title = format!("{} × {}", p.name, num(u64::from(n)));
            // An imported plan may not know the sizes: no stand-in drawn.
            let detail = match self.plan.knows(crate::plan::Fact::Machines) {
                true => machine(&p.machine),
                false => String::new(),
            };
            let what = format!("pool_{}", p.name);
            let mut c = self.cell(&what, z, Kind::Pool, title, detail, Vec::new());
            c.note = p.instance_type.clone();
            c
        })
    }

    /// One zone's cells, a slot per row; `vip_drawn` says whether the VIP
    /// holder (the first load-balancer host) has been drawn yet.
    fn zone(&self, z: &str, findings: &[Finding], vip_drawn: &mut bool) -> Zone {
        let mut cells = Vec::new();
        if self.lb.is_some() {
            cells.push(self.lb_cell(z, vip_drawn));
        }
        if !self.cp.is_empty() {
            cells.push(self.cp_cell(z));
        }
        if self.external {
            let n = count_in(&self.etcd, z);
            cells.push((n > 0).then(|| {
                let title = format!("etcd × {n}");
                self.cell(
                    "etcd",
                    z,
                    Kind::Etcd,
                    title,
                    "external etcd".into(),
                    self.etcd_flags.clone(),
                )
            }));
        }
        for p in &self.plan.spec.workers {
            cells.push(self.pool_cell(p, z));
        }
        // A zone whose loss breaks etcd's quorum, as lint names it.
        let named = format!("zone {z} ");
        let flags = findings
            .iter()
            .filter(|f| f.severity >= Severity::Warning && f.rule == "etcd-zone-quorum-loss")
            .filter(|f| f.message.contains(&named))
            .map(|f| f.rule.to_string())
            .collect();
        Zone {
            name: z.to_string(),
            cells,
            flags,
        }
    }
}

impl Frame {
    /// The frame of one plan; `findings` (its lint errors and warnings)
    /// outline what they concern in red.
    pub fn of(plan: &ClusterPlan, findings: &[Finding]) -> Frame {
        let external = plan.etcd_topology() == Some(EtcdTopology::External);
        let lb = plan
            .spec
            .api_load_balancer
            .as_ref()
            .filter(|l| l.kind.needs_hosts());
        let parts = Parts {
            plan,
            lb,
            lb_place: lb.map_or(Vec::new(), |l| spread(l.replica_count(), &plan.zones())),
            cp: match plan.managed() {
                true => Vec::new(),
                false => spread(plan.cp_nodes(), &plan.cp_zones()),
            },
            etcd: match external {
                true => spread(plan.etcd_members(), &plan.etcd_zones()),
                false => Vec::new(),
            },
            stacked: plan.etcd_topology() == Some(EtcdTopology::Stacked),
            external,
            lb_flags: flags_for(findings, LB_RULES),
            cp_flags: flags_for(findings, CP_RULES),
            etcd_flags: flags_for(findings, ETCD_RULES),
        };
        let mut rows = Vec::new();
        if lb.is_some() {
            rows.push(Kind::LoadBalancer);
        }
        if !parts.cp.is_empty() {
            rows.push(Kind::ControlPlane);
        }
        if external {
            rows.push(Kind::Etcd);
        }
        rows.extend(plan.spec.workers.iter().map(|_| Kind::Pool));
        let mut vip_drawn = false;
        let zones = all_zones(plan)
            .iter()
            .map(|z| parts.zone(z, findings, &mut vip_drawn))
            .collect();
        let name = &plan.metadata.name;
        Frame {
            id: ident(name),
            title: format!("{name} — {} on {}", plan.spec.purpose, plan.spec.platform),
            endpoint: endpoint(plan),
            endpoint_flags: parts.lb_flags.clone(),
            rows,
            zones,
            etcd_label: etcd_label(plan),
            etcd_flags: parts.etcd_flags.clone(),
            storage: storage(plan),
        }
    }
}

fn all_zones(plan: &ClusterPlan) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |zs: Vec<String>| {
        for z in zs {
            if !out.contains(&z) {
                out.push(z);
            }
        }
    };
    add(plan.zones());
    if !plan.managed() {
        add(plan.cp_zones());
        add(plan.etcd_zones());
    }
    for p in &plan.spec.workers {
        add(plan.pool_zones(p));
    }
    out
}

fn endpoint(plan: &ClusterPlan) -> String {
    if plan.managed() {
        let tool = plan
            .spec
            .tooling
            .map_or("the provider".to_string(), |t| t.to_string().to_uppercase());
        return format!("API: control plane managed by {tool}");
    }
    match plan.spec.api_load_balancer.as_ref() {
        None => "API: the first control-plane node (no load balancer)".into(),
        Some(l) => match l.kind {
            LbType::None => "API: the first control-plane node (no load balancer)".into(),
            LbType::Cloud => format!("API: cloud load balancer, port {}", l.port.unwrap_or(6443)),
            kind if l.virtual_ip => format!("API: virtual IP on {} × {}", kind, l.replica_count()),
            kind => format!("API: {kind} × {}, no virtual IP", l.replica_count()),
        },
    }
}

fn etcd_label(plan: &ClusterPlan) -> Option<String> {
    let t = plan.etcd_topology()?;
    let n = plan.etcd_members();
    let where_ = match t {
        EtcdTopology::Stacked => "stacked on the control plane",
        EtcdTopology::External => "external",
    };
    Some(format!(
        "etcd: {n} members, quorum {}, survives {} ({where_})",
        quorum(n),
        fault_tolerance(n)
    ))
}

fn storage(plan: &ClusterPlan) -> Vec<String> {
    plan.spec
        .storage
        .iter()
        .flat_map(|s| &s.classes)
        .map(|c| {
            let default = if c.default { " (default)" } else { "" };
            format!("{}{default}: {}", c.name, c.medium)
        })
        .collect()
}

/// A frame's shape: everything but the names, so clusters of a split that
/// differ only in name compare equal.
fn shape(f: &Frame) -> String {
    let cells: Vec<String> = f
        .zones
        .iter()
        .flat_map(|z| {
            let name = z.name.clone();
            z.cells.iter().map(move |c| {
                c.as_ref().map_or(format!("{name}: -"), |c| {
                    format!(
                        "{name}: {} {} {:?} {:?}",
                        c.title, c.detail, c.note, c.flags
                    )
                })
            })
        })
        .collect();
    format!(
        "{}|{:?}|{:?}|{:?}|{:?}|{}",
        f.endpoint,
        f.endpoint_flags,
        f.etcd_label,
        f.etcd_flags,
        f.storage,
        cells.join(";")
    )
}

/// Consecutive clusters of one shape (a split: `prod-aws-1` .. `prod-aws-76`)
/// drawn once, titled with the range and the count: 76 identical frames
/// say no more than one, and would pass any renderer's size limit.
pub fn collapse(frames: Vec<Frame>) -> Vec<Frame> {
    let mut out: Vec<(Frame, String, usize)> = Vec::new();
    for f in frames {
        let last_name = f.title.split(" — ").next().unwrap_or("").to_string();
        match out.last_mut() {
            Some((first, last, n)) if shape(first) == shape(&f) => {
                *last = last_name;
                *n += 1;
            }
            _ => out.push((f, last_name, 1)),
        }
    }
    out.into_iter()
        .map(|(mut f, last, n)| {
            if n > 1 {
                let (name, rest) = f.title.split_once(" — ").unwrap_or((&f.title, ""));
                f.title = format!("{name} .. {last} ({n} clusters of this shape) — {rest}");
            }
            f
        })
        .collect()
}
