//! The bill of materials of a plan: what to order, by role.

use serde::Serialize;

use crate::catalog::Catalog;
use crate::plan::{ClusterPlan, EtcdTopology, LbPlacement, LbType, Machine, Medium, Platform};

/// One line of the bill.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BomRow {
    pub role: String,
    pub count: u64,
    /// vCPUs per machine; None for things you do not run (managed control plane, cloud LB).
    pub cpu: Option<f64>,
    #[serde(rename = "memoryGiB")]
    pub memory_gib: Option<f64>,
    #[serde(rename = "diskGiB")]
    pub disk_gib: Option<f64>,
    pub disk: Option<Medium>,
    pub zones: Vec<String>,
    pub instance_type: Option<String>,
    /// True when the instance type was matched from the catalog, not named by the plan.
    pub instance_matched: bool,
    /// Whether these are machines you run (counted in totals.machines).
    pub machines: bool,
    pub price_per_hour: Option<f64>,
    pub monthly_cost: Option<f64>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Totals {
    pub machines: u64,
    pub cpu: f64,
    #[serde(rename = "memoryGiB")]
    pub memory_gib: f64,
    #[serde(rename = "diskGiB")]
    pub disk_gib: f64,
    /// Sum of the priced rows; None when no row has a price.
    pub monthly_cost: Option<f64>,
    /// True when some machines have no price, so monthlyCost is a lower bound.
    pub cost_incomplete: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BomStorageClass {
    pub name: String,
    pub medium: Medium,
    pub access_modes: Vec<crate::plan::AccessMode>,
    pub provisioner: Option<String>,
    pub default: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Tooling {
    pub tool: Option<crate::plan::Tooling>,
    pub platform: Platform,
    pub managed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Prices {
    pub date: String,
    pub region: String,
    pub currency: String,
    /// The upstream table the instance prices come from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Why the region is not the plan's own (zones of no known region).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A cloud plan whose zones are in no region of the catalog (a test
/// fixture's `us-test-1a`) is priced in the platform's region: say so.
fn region_note(c: &Catalog, plan: &ClusterPlan) -> Option<String> {
    use crate::catalog::ZonePlace;
    let prof = c.platform(plan.spec.platform);
    let default = prof.region.as_deref().unwrap_or("the default region");
    if let Some(r) = plan.spec.region.as_deref() {
        return (!prof.regions.contains_key(r)).then(|| {
            format!(
                "{r} is no {} region kubeplan knows, so the prices are {default}'s",
                prof.short
            )
        });
    }
    let zone = plan.zones().into_iter().next()?;
    match prof.zone_place(&zone)? {
        ZonePlace::Unknown => Some(format!(
            "zone {zone} is in no {} region kubeplan knows, so the prices are {default}'s",
            prof.short
        )),
        _ => None,
    }
}

fn join_note(note: String, more: String) -> String {
    if note.is_empty() {
        more
    } else {
        format!("{note}; {more}")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Bom {
    pub cluster: String,
    pub rows: Vec<BomRow>,
    pub totals: Totals,
    pub storage_classes: Vec<BomStorageClass>,
    pub tooling: Tooling,
    pub prices: Option<Prices>,
}

fn distinct_zones(placement: Vec<(String, u32)>) -> Vec<String> {
    placement
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(z, _)| z)
        .collect()
}

struct Builder<'a> {
    c: &'a Catalog,
    plan: &'a ClusterPlan,
    rows: Vec<BomRow>,
}

impl Builder<'_> {
    fn machine_row(
        &mut self,
        role: String,
        count: u64,
        m: &Machine,
        zones: Vec<String>,
        named: Option<&str>,
        note: String,
    ) {
        let platform = self.plan.spec.platform;
        let named_inst = named.and_then(|n| self.c.instance(platform, n));
        let (inst, matched) = match (named, named_inst) {
            (Some(_), Some(i)) => (Some(i), false),
            (Some(_), None) => (None, false),
            (None, _) => (self.c.match_instance(platform, m), true),
        };
        let price = inst.and_then(|i| i.price_per_hour);
        let hours = self.c.kubernetes.sizing.hours_per_month;
        let note = match (named, inst, price) {
            (Some(n), None, _) if platform.cloud() => {
                let prof = self.c.platform(platform);
                let near =
                    crate::prose::did_you_mean(n, prof.instances.iter().map(|i| i.name.as_ref()))
                        .map_or(String::new(), |d| format!("; {d}"));
                join_note(
                    note,
                    format!("{n}: no such type in the {platform} catalog{near}"),
                )
            }
            (_, Some(i), None) if platform.cloud() => {
                let region = self.c.platform(platform).region.clone().unwrap_or_default();
                join_note(note, format!("no price for {} in {region}", i.name))
            }
            _ => note,
        };
        self.rows.push(BomRow {
            role,
            count,
            cpu: Some(m.cpu),
            memory_gib: Some(m.memory_gib),
            disk_gib: m.disk_gib,
            disk: m.disk,
            zones,
            instance_type: named
                .map(String::from)
                .or_else(|| inst.map(|i| i.name.to_string())),
            instance_matched: matched && inst.is_some(),
            machines: true,
            price_per_hour: price,
            monthly_cost: price.map(|p| p * hours * count as f64),
            note,
        });
    }

    fn service_row(&mut self, role: &str, title: &str, price: Option<f64>, zones: Vec<String>) {
        let hours = self.c.kubernetes.sizing.hours_per_month;
        self.rows.push(BomRow {
            role: role.to_string(),
            count: 1,
            cpu: None,
            memory_gib: None,
            disk_gib: None,
            disk: None,
            zones,
            instance_type: None,
            instance_matched: false,
            machines: false,
            price_per_hour: price,
            monthly_cost: price.map(|p| p * hours),
            note: title.to_string(),
        });
    }
}

impl Builder<'_> {
    fn control_plane(&mut self, prof: &crate::catalog::PlatformProfile) {
        let (c, plan) = (self.c, self.plan);
        if plan.managed() {
            let production = plan.spec.purpose == crate::plan::Purpose::Production;
            let (title, price) = prof
                .managed_control_plane
                .as_ref()
                .map(|m| m.for_purpose(production))
                .map_or(("managed control plane".to_string(), None), |m| {
                    let title = match &m.note {
                        Some(n) => format!("{}; {n}", m.title),
                        None => m.title.clone(),
                    };
                    (title, m.price_per_hour)
                });
            self.service_row("managed control plane", &title, price, plan.zones());
            return;
        }
        if plan.cp_nodes() == 0 {
            return;
        }
        let m = plan.spec.control_plane.machine.clone().unwrap_or_else(|| {
            let (cpu, mem) = crate::sizing::control_plane_machine(c, plan.k8s_nodes());
            Machine {
                cpu,
                memory_gib: mem,
                disk_gib: None,
                disk: None,
            }
        });
        let note = if plan.etcd_topology() == Some(EtcdTopology::Stacked) {
            "runs stacked etcd".to_string()
        } else {
            String::new()
        };
        let zones = distinct_zones(crate::plan::spread(plan.cp_nodes(), &plan.cp_zones()));
        let count = u64::from(plan.cp_nodes());
        self.machine_row("control plane".into(), count, &m, zones, None, note);
    }

    fn etcd(&mut self) {
        let (c, plan) = (self.c, self.plan);
        if plan.etcd_topology() != Some(EtcdTopology::External) {
            return;
        }
        let n = plan.etcd_members();
        let m = plan
            .spec
            .etcd
            .as_ref()
            .and_then(|e| e.machine.clone())
            .unwrap_or_else(|| c.etcd_tier(plan.k8s_nodes()).machine(Some(Medium::Ssd)));
        let zones = distinct_zones(crate::plan::spread(n, &plan.etcd_zones()));
        self.machine_row("etcd".into(), u64::from(n), &m, zones, None, String::new());
    }

    fn load_balancer(&mut self, prof: &crate::catalog::PlatformProfile) {
        let plan = self.plan;
        let Some(lb) = plan
            .spec
            .api_load_balancer
            .as_ref()
            .filter(|_| !plan.managed())
        else {
            return;
        };
        let role = "API load balancer";
        let vip = if lb.virtual_ip {
            " with a keepalived virtual IP"
        } else {
            ""
        };
        let replicas = u64::from(lb.replica_count());
        match (lb.kind, lb.placement) {
            (LbType::None, _) => {}
            (LbType::Cloud, _) => {
                let own = prof.load_balancer.kind == LbType::Cloud;
                let price = own.then_some(prof.load_balancer.price_per_hour).flatten();
                let title = if own {
                    prof.load_balancer.title.clone()
                } else {
                    "cloud load balancer".into()
                };
                self.service_row(role, &title, price, plan.zones());
            }
            (kind, Some(LbPlacement::ControlPlane)) => self.rows.push(BomRow {
                role: role.into(),
                count: replicas,
                cpu: None,
                memory_gib: None,
                disk_gib: None,
                disk: None,
                zones: Vec::new(),
                instance_type: None,
                instance_matched: false,
                machines: false,
                price_per_hour: None,
                monthly_cost: None,
                note: format!("{kind}{vip}, on control-plane nodes"),
            }),
            (kind, _) => {
                let lb_machine = &self.c.kubernetes.sizing.load_balancer_machine;
                let m = lb
                    .machine
                    .clone()
                    .unwrap_or_else(|| lb_machine.machine(None));
                let zones = distinct_zones(crate::plan::spread(replicas as u32, &plan.zones()));
                let note = format!("{kind}{vip}");
                self.machine_row(role.into(), replicas, &m, zones, None, note);
            }
        }
    }

    fn storage_servers(&mut self) {
        let plan = self.plan;
        let servers = plan.spec.storage.iter().flat_map(|s| s.servers.iter());
        for s in servers {
            let zones = if s.zones.is_empty() {
                plan.zones()
            } else {
                s.zones.clone()
            };
            let zones = distinct_zones(crate::plan::spread(s.nodes, &zones));
            let role = format!("storage: {}", s.name);
            self.machine_row(
                role,
                u64::from(s.nodes),
                &s.machine,
                zones,
                None,
                String::new(),
            );
        }
    }

    fn workers(&mut self) {
        let (c, plan) = (self.c, self.plan);
        for w in &plan.spec.workers {
            let zones = distinct_zones(crate::plan::spread(w.nodes, &plan.pool_zones(w)));
            let note = format!("maxPods {}, {}/{}", c.max_pods(w), w.os, w.arch);
            self.machine_row(
                format!("workers: {}", w.name),
                u64::from(w.nodes),
                &w.machine,
                zones,
                w.instance_type.as_deref(),
                note,
            );
        }
    }
}

/// The totals over the rows: machines you run, and the monthly cost.
fn totals(rows: &[BomRow]) -> Totals {
    let run: Vec<&BomRow> = rows.iter().filter(|r| r.machines).collect();
    let sum = |f: fn(&BomRow) -> Option<f64>| -> f64 {
        run.iter()
            .map(|r| f(r).unwrap_or(0.0) * r.count as f64)
            .sum()
    };
    let priced: Vec<f64> = rows.iter().filter_map(|r| r.monthly_cost).collect();
    Totals {
        machines: run.iter().map(|r| r.count).sum(),
        cpu: sum(|r| r.cpu),
        memory_gib: sum(|r| r.memory_gib),
        disk_gib: sum(|r| r.disk_gib),
        monthly_cost: (!priced.is_empty()).then(|| priced.iter().sum()),
        cost_incomplete: !priced.is_empty() && run.iter().any(|r| r.monthly_cost.is_none()),
    }
}

fn storage_classes(plan: &ClusterPlan) -> Vec<BomStorageClass> {
    let classes = plan.spec.storage.iter().flat_map(|s| s.classes.iter());
    classes
        .map(|c| BomStorageClass {
            name: c.name.clone(),
            medium: c.medium,
            access_modes: c.access_modes.clone(),
            provisioner: c.provisioner.clone(),
            default: c.default,
        })
        .collect()
}

/// Builds the bill of materials of a plan.
pub fn build(c: &Catalog, plan: &ClusterPlan) -> Bom {
    let region_note = region_note(c, plan);
    // A plan in another region than the platform's is priced there.
    let regional;
    let c = match c.plan_region(plan) {
        Some(r) => {
            regional = c.in_region(plan.spec.platform, &r);
            &regional
        }
        None => c,
    };
    let prof = c.platform(plan.spec.platform);
    let mut b = Builder {
        c,
        plan,
        rows: Vec::new(),
    };
    b.control_plane(prof);
    b.etcd();
    b.load_balancer(prof);
    b.workers();
    b.storage_servers();
    Bom {
        cluster: plan.metadata.name.clone(),
        totals: totals(&b.rows),
        rows: b.rows,
        storage_classes: storage_classes(plan),
        tooling: Tooling {
            tool: plan.spec.tooling,
            platform: plan.spec.platform,
            managed: plan.managed(),
        },
        prices: prof.prices.as_ref().map(|p| Prices {
            date: p.date.clone(),
            region: p.region.clone(),
            currency: p.currency.clone(),
            source: p.source.clone(),
            note: region_note,
        }),
    }
}

/// The totals of several bills (the clusters of one design).
pub fn sum_totals(boms: &[Bom]) -> Totals {
    let priced: Vec<f64> = boms.iter().filter_map(|b| b.totals.monthly_cost).collect();
    Totals {
        machines: boms.iter().map(|b| b.totals.machines).sum(),
        cpu: boms.iter().map(|b| b.totals.cpu).sum(),
        memory_gib: boms.iter().map(|b| b.totals.memory_gib).sum(),
        disk_gib: boms.iter().map(|b| b.totals.disk_gib).sum(),
        monthly_cost: (!priced.is_empty()).then(|| priced.iter().sum()),
        cost_incomplete: boms.iter().any(|b| b.totals.cost_incomplete)
            || (priced.len() != boms.len() && !priced.is_empty()),
    }
}
