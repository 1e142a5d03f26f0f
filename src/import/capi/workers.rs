//! Cluster API's workers: a pool per MachineDeployment or MachinePool of
//! the cluster, or per entry of its `topology.workers`, with its replicas
//! (the webhook's default, or the autoscaler's minimum), failure domains
//! and instance type.

use super::super::tree::At;
use super::super::{Imported, Slot};
use super::{count, machine_of, reference, Docs};
use crate::catalog::{Catalog, ClusterApiDefaults};
use crate::plan::{Arch, Fact, Machine, WorkerPool};

/// The autoscaler's min-size annotation (the MachineDeployment webhook's default).
const MIN_SIZE: &str = "cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size";

/// A MachineDeployment, MachinePool or topology worker entry.
struct Workers<'a> {
    name: String,
    replicas: Option<At<'a>>,
    default: u32,
    domains_at: Option<At<'a>>,
    template: Option<(String, String)>,
    at: At<'a>,
}

/// The worker entries of a cluster's topology.
fn topology_workers<'a>(spec: Option<&At<'a>>, d: &ClusterApiDefaults) -> Vec<Workers<'a>> {
    let Some(t) = spec.and_then(|s| s.at("topology.workers")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for key in ["machineDeployments", "machinePools"] {
        for w in t.get(key).map(|l| l.items()).unwrap_or_default() {
            out.push(Workers {
                name: w.get("name").and_then(|n| n.text()).unwrap_or_else(|| key.to_string()),
                replicas: w.get("replicas"),
                default: d.machine_deployment_replicas,
                domains_at: w.get("failureDomain"),
                template: None,
                at: w.clone(),
            });
        }
    }
    out
}

/// The cluster's MachineDeployments and MachinePools (by `clusterName`,
/// or every one when the file holds one cluster).
fn machine_sets<'a>(cluster: Option<&str>, docs: &Docs<'a>, d: &ClusterApiDefaults) -> Vec<Workers<'a>> {
    let mut out = Vec::new();
    for r in docs.all {
        if !matches!(r.kind(), Some("MachineDeployment" | "MachinePool")) {
            continue;
        }
        let mine = match (r.at("spec.clusterName").and_then(|n| n.str()), cluster) {
            (Some(o), Some(c)) => o == c,
            _ => docs.only,
        };
        if !mine {
            continue;
        }
        let default = r
            .at("metadata.annotations")
            .and_then(|a| a.get(MIN_SIZE))
            .and_then(|m| m.u32())
            .unwrap_or(d.machine_deployment_replicas);
        out.push(Workers {
            name: r.name().unwrap_or("workers").to_string(),
            replicas: r.at("spec.replicas"),
            default,
            domains_at: r.first(&["spec.template.spec.failureDomain", "spec.failureDomains"]),
            template: reference(r.at("spec.template.spec.infrastructureRef")),
            at: r.clone(),
        });
    }
    out
}

pub(super) fn workers(
    imp: &mut Imported,
    cl: Option<&At>,
    spec: Option<&At>,
    docs: &Docs,
    c: &Catalog,
    d: &ClusterApiDefaults,
) {
    let mut groups = topology_workers(spec, d);
    groups.extend(machine_sets(cl.and_then(|x| x.name()), docs, d));
    for w in groups {
        add_workers(imp, w, docs, c);
    }
}

/// One worker entry as a pool.
fn add_workers(imp: &mut Imported, w: Workers, docs: &Docs, c: &Catalog) {
    // Named where its name is (a topology entry's `name`, a
    // MachineDeployment's `metadata.name`).
    let here = w.at.get("name").or_else(|| w.at.at("metadata.name")).unwrap_or(w.at.clone());
    let raw = match w.name.contains("${") {
        true => format!("workers-{}", imp.plan.spec.workers.len() + 1),
        false => w.name.clone(),
    };
    let pool = imp.new_pool(&raw, here.spot());
    let nodes = count(
        imp,
        w.replicas,
        w.default,
        Fact::Workers,
        &format!("`{}`'s replicas", w.name),
        &pool.field("nodes"),
    );
    if let Some(f) = &w.domains_at {
        imp.from(pool.field("zones"), f.spot());
    }
    let domains = w.domains_at.map(|f| f.strings()).unwrap_or_default();
    let m = machine_of(imp, w.template.as_ref(), docs, c, Slot::Pool(pool.name.clone()));
    let (machine, instance, arch) = match m {
        Some((m, t, a)) => (m, Some(t), a),
        None => (Machine::stand_in(), None, Arch::Amd64),
    };
    imp.add_pool(WorkerPool {
        zones: domains.into_iter().filter(|f| !f.contains("${")).collect(),
        instance_type: instance,
        arch,
        ..WorkerPool::new(pool.name, nodes.unwrap_or(w.default), machine)
    });
}

