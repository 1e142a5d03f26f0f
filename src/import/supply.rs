//! What the user tells kubeplan that a cluster file does not hold: the
//! purpose, the workload, machine sizes, zones, node counts (flags, or a
//! `design` answers file), and the values of a template's variables. Each
//! fills a fact the plan does not know; a fact the file states is never
//! overridden.

use std::collections::BTreeMap;

use crate::catalog::Catalog;
use crate::plan::{
    ClusterPlan, EtcdTopology, Fact, Machine, Medium, PodRequests, Purpose, WorkerPool, Workload,
    WorkloadKind,
};
use crate::questionnaire::PartialAnswers;

/// A machine slot an imported plan may not know the size of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slot {
    ControlPlane,
    Etcd,
    /// A worker pool, by name.
    Pool(String),
}

impl Slot {
    /// Whether `--machine ROLE=…` names this slot.
    fn named(&self, role: &str) -> bool {
        match self {
            Slot::ControlPlane => role == "control-plane",
            Slot::Etcd => role == "etcd",
            Slot::Pool(name) => role == "workers" || role == name,
        }
    }
}

/// What the user supplied.
#[derive(Debug, Clone, Default)]
pub struct Supply {
    pub purpose: Option<Purpose>,
    /// A `design` answers file's answers (purpose, workload, pods, requests).
    pub answers: Option<PartialAnswers>,
    pub pods: Option<u64>,
    pub pod_cpu: Option<f64>,
    pub pod_memory_gib: Option<f64>,
    /// `--machine ROLE=CPU,GiB[,MEDIUM]`, in the order given (a later one wins).
    pub machines: Vec<(String, Machine)>,
    pub zones: Vec<String>,
    pub control_plane_nodes: Option<u32>,
    pub worker_nodes: Option<u32>,
    /// Template variables (`--var NAME=VALUE`).
    pub vars: BTreeMap<String, String>,
}

/// Reads `--machine ROLE=CPU,GiB[,ssd|hdd|network]`.
pub fn parse_machine(s: &str) -> Result<(String, Machine), String> {
    let (role, size) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not ROLE=CPU,GiB (e.g. workers=8,32)"))?;
    let role = role.trim();
    if role.is_empty() {
        return Err(format!(
            "`{s}` names no role (control-plane, etcd, workers or a pool's name)"
        ));
    }
    let parts: Vec<&str> = size.split(',').map(str::trim).collect();
    let number = |t: &str, what: &str, max: f64| -> Result<f64, String> {
        match t.parse::<f64>() {
            Ok(v) if v > 0.0 && v.is_finite() && v <= max => Ok(v),
            _ => Err(format!("`{t}` is not a {what} above 0 and at most {max}")),
        }
    };
    let (cpu, memory) = match parts.as_slice() {
        [c, m] | [c, m, _] => (
            number(c, "vCPU count", 4096.0)?,
            number(m, "memory in GiB", 65536.0)?,
        ),
        _ => {
            return Err(format!(
                "`{s}` is not ROLE=CPU,GiB (e.g. workers=8,32, or etcd=2,8,ssd)"
            ))
        }
    };
    let disk = match parts.get(2) {
        Some(d) => Some(d.parse::<Medium>()?),
        None => None,
    };
    Ok((
        role.to_string(),
        Machine {
            cpu,
            memory_gib: memory,
            disk_gib: None,
            disk,
        },
    ))
}

/// Reads `--var NAME=VALUE`.
pub fn parse_var(s: &str) -> Result<(String, String), String> {
    let (name, value) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not NAME=VALUE"))?;
    let ok = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    match ok {
        true => Ok((name.to_string(), value.to_string())),
        false => Err(format!(
            "`{name}` is not a variable name (letters, digits and _)"
        )),
    }
}

impl Supply {
    /// Whether the user supplied nothing that fills a fact.
    pub fn fills_nothing(&self) -> bool {
        self.purpose.is_none()
            && self.answers.is_none()
            && self.pods.is_none()
            && self.machines.is_empty()
            && self.zones.is_empty()
            && self.control_plane_nodes.is_none()
            && self.worker_nodes.is_none()
    }

    fn purpose(&self) -> Option<Purpose> {
        self.purpose
            .or_else(|| self.answers.as_ref().and_then(|a| a.purpose))
    }

    fn pods(&self) -> Option<u64> {
        self.pods
            .or_else(|| self.answers.as_ref().and_then(|a| a.pods))
    }

    /// The machine the user gave for a slot (the last `--machine` naming it).
    fn machine_for(&self, slot: &Slot) -> Option<Machine> {
        self.machines
            .iter()
            .rev()
            .find(|(role, _)| slot.named(role))
            .map(|(_, m)| m.clone())
    }

    /// Fills the facts `plan` does not know from what the user supplied.
    /// `slots`: the machines whose size the plan does not know (all of
    /// them, for a plan that only says `machines` is unknown).
    pub fn apply(&self, plan: &mut ClusterPlan, slots: &[Slot], c: &Catalog) {
        let mut unknown = plan.unknown_facts();
        if unknown.is_empty() || self.fills_nothing() {
            return;
        }
        let known = |f: Fact, unknown: &mut Vec<Fact>| unknown.retain(|u| *u != f);
        if unknown.contains(&Fact::Purpose) {
            if let Some(p) = self.purpose() {
                plan.spec.purpose = p;
                known(Fact::Purpose, &mut unknown);
            }
        }
        self.fill_control_plane(plan, &mut unknown);
        let mut slots = slots.to_vec();
        self.fill_workers(plan, &mut slots, &mut unknown);
        if unknown.contains(&Fact::Machines) && self.fill_machines(plan, slots) {
            known(Fact::Machines, &mut unknown);
        }
        if unknown.contains(&Fact::Zones) && !self.zones.is_empty() {
            plan.spec.zones = self.zones.clone();
            known(Fact::Zones, &mut unknown);
        }
        if unknown.contains(&Fact::Workload) {
            if let Some(pods) = self.pods() {
                plan.spec.workload = Some(self.workload(pods, c));
                known(Fact::Workload, &mut unknown);
            }
        }
        plan.set_unknown(&unknown);
    }

    /// The control plane's node count, and stacked etcd's with it.
    fn fill_control_plane(&self, plan: &mut ClusterPlan, unknown: &mut Vec<Fact>) {
        let Some(n) = self
            .control_plane_nodes
            .filter(|_| unknown.contains(&Fact::ControlPlane))
        else {
            return;
        };
        plan.spec.control_plane.nodes = Some(n);
        unknown.retain(|u| *u != Fact::ControlPlane);
        if plan.etcd_topology() == Some(EtcdTopology::Stacked) && unknown.contains(&Fact::Etcd) {
            if let Some(e) = plan.spec.etcd.as_mut() {
                e.members = Some(n);
            }
            unknown.retain(|u| *u != Fact::Etcd);
        }
    }

    /// One pool of the workers given, whose machines are then a slot.
    fn fill_workers(&self, plan: &mut ClusterPlan, slots: &mut Vec<Slot>, unknown: &mut Vec<Fact>) {
        let Some(n) = self
            .worker_nodes
            .filter(|_| unknown.contains(&Fact::Workers))
        else {
            return;
        };
        plan.spec.workers = vec![WorkerPool::new("workers", n, Machine::stand_in())];
        slots.retain(|s| !matches!(s, Slot::Pool(_)));
        slots.push(Slot::Pool("workers".into()));
        unknown.retain(|u| *u != Fact::Workers);
    }

    /// The machines given for the slots; whether every slot got one.
    fn fill_machines(&self, plan: &mut ClusterPlan, slots: Vec<Slot>) -> bool {
        let mut all = true;
        for slot in slots {
            let Some(m) = self.machine_for(&slot) else {
                all = false;
                continue;
            };
            match &slot {
                Slot::ControlPlane => plan.spec.control_plane.machine = Some(m),
                Slot::Etcd => {
                    if let Some(e) = plan.spec.etcd.as_mut() {
                        e.machine = Some(m);
                    }
                }
                Slot::Pool(name) => {
                    for p in plan.spec.workers.iter_mut().filter(|p| &p.name == name) {
                        p.machine = m.clone();
                    }
                }
            }
        }
        all
    }

    /// The workload the user described: the answers file's kind (mixed when
    /// none), requests from the flags, the answers, else the kind's defaults.
    fn workload(&self, pods: u64, c: &Catalog) -> Workload {
        let a = self.answers.clone().unwrap_or_default();
        let kind = a.workload.unwrap_or(WorkloadKind::Mixed);
        let defaults = c.questions().workload_defaults.get(&kind);
        let cpu = self.pod_cpu.or(a.pod_cpu).or(defaults.map(|d| d.pod_cpu));
        let memory = self
            .pod_memory_gib
            .or(a.pod_memory_gib)
            .or(defaults.map(|d| d.pod_memory_gib));
        Workload {
            kind,
            applications: a.apps,
            pods,
            containers_per_pod: 1,
            traffic: a.traffic,
            pod_requests: match (cpu, memory) {
                (Some(cpu), Some(memory_gib)) => Some(PodRequests { cpu, memory_gib }),
                _ => None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_and_var_flags() {
        let (role, m) = parse_machine("etcd=2,8,ssd").unwrap();
        assert_eq!(role, "etcd");
        assert_eq!((m.cpu, m.memory_gib, m.disk), (2.0, 8.0, Some(Medium::Ssd)));
        assert!(parse_machine("workers=8").is_err());
        assert!(parse_machine("workers=0,8").is_err());
        assert!(parse_machine("=4,8").is_err());
        assert!(parse_machine("workers=4,8,spinning")
            .unwrap_err()
            .contains("hdd"));
        assert_eq!(
            parse_var("CONTROL_PLANE_MACHINE_COUNT=3").unwrap(),
            ("CONTROL_PLANE_MACHINE_COUNT".into(), "3".into())
        );
        assert_eq!(
            parse_var("POD_CIDR=[\"10.0.0.0/8\"]").unwrap().1,
            "[\"10.0.0.0/8\"]"
        );
        assert!(parse_var("NO VALUE").is_err());
        assert!(parse_var("BAD-NAME=1").is_err());
    }
}
