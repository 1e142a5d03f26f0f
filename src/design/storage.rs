//! Storage classes from the storage needs and the workload, out of the
//! platform's storage profiles, and the servers behind them where you run
//! them: replicated storage for production stateful workloads over zones.

use super::{DesignError, Draft, Input, Topic};
use crate::catalog::{StorageProfile, StorageServerProfile};
use crate::plan::{Medium, Storage, StorageClass, StorageNeed, StorageServers, WorkloadKind};

fn class(p: &StorageProfile, default: bool) -> StorageClass {
    StorageClass {
        name: p.name.clone(),
        medium: p.medium,
        access_modes: p.access_modes.clone(),
        provisioner: Some(p.provisioner.clone()),
        default,
    }
}

fn servers(i: &Input, p: &StorageServerProfile) -> StorageServers {
    let zones = i.a.zones;
    StorageServers {
        name: p.name.clone(),
        nodes: if p.per_zone {
            p.nodes.max(zones)
        } else {
            p.nodes
        },
        machine: p.machine.machine(Some(Medium::Ssd)),
        zones: Vec::new(),
    }
}

/// The default class and why, when the replicated system is not used.
fn default_class<'p>(i: &Input<'p>, fast: bool, shared: bool) -> (&'p StorageProfile, String) {
    let (a, st) = (i.a, &i.prof.storage);
    if fast {
        return (&st.fast, "SSD block volumes were asked for: the fast class is the default, so claims that name no class get SSD".to_string());
    }
    if a.workload.is_data_heavy() {
        let bind = if a.workload == WorkloadKind::Stateful && !shared {
            ", and its volume claims need a class to bind at all"
        } else {
            ""
        };
        let why = format!(
            "a {} workload lives on its data: its default class must be SSD{bind}",
            a.workload
        );
        return (&st.fast, why);
    }
    (
        &st.standard,
        "claims that name no class need a default: the platform's standard SSD block class"
            .to_string(),
    )
}

pub fn run(i: &Input, d: &mut Draft) -> Result<(), DesignError> {
    let a = i.a;
    let st = &i.prof.storage;
    let fast = a.wants(StorageNeed::Fast);
    let shared = a.wants(StorageNeed::Shared);
    let stateful = a.workload == WorkloadKind::Stateful;
    if !fast && !shared && !stateful {
        d.why(
            Topic::Storage,
            "storage: no storage classes",
            "the applications need no persistent volumes; add a class when one does",
        );
        return Ok(());
    }
    let replicated = st
        .replicated
        .as_ref()
        .filter(|_| i.production() && stateful && a.zones >= 2);
    let mut storage = Storage {
        classes: Vec::new(),
        servers: Vec::new(),
    };
    let (default, why) = match replicated {
        Some(r) => {
            storage.servers.push(servers(i, &r.servers));
            (&r.block, format!("a production stateful workload over {} zones must keep its volumes through a zone loss, and node-local volumes ({}) die with their node: {} replicates every volume across the zones; it survives a zone loss only with {}", a.zones, st.fast.provisioner, r.block.provisioner, r.needs))
        }
        None => default_class(i, fast, shared),
    };
    storage.classes.push(class(default, true));
    d.why(
        Topic::Storage,
        format!(
            "storage: `{}` ({}, {}) as the default class",
            default.name, default.medium, default.provisioner
        ),
        why,
    );
    if let (Some(_), true) = (replicated, fast) {
        storage.classes.push(class(&st.fast, false));
        d.why(
            Topic::Storage,
            format!("storage: `{}` ({}, {}) to opt in", st.fast.name, st.fast.medium, st.fast.provisioner),
            "node-local SSD is the fastest class, for applications that replicate their own data (databases with replicas in each zone) and name it",
        );
    }
    if shared {
        shared_class(i, d, &mut storage, replicated.map(|r| &r.shared));
    }
    if let Some(r) = replicated {
        let s = &storage.servers[0];
        d.why(
            Topic::Storage,
            format!(
                "storage servers: {} x {} ({} vCPU, {} GiB, {} GiB SSD)",
                s.nodes,
                r.servers.name,
                s.machine.cpu,
                s.machine.memory_gib,
                s.machine.disk_gib.unwrap_or(0.0)
            ),
            format!(
                "{}: one per zone, at least {}",
                r.servers.note, r.servers.nodes
            ),
        );
    }
    d.plan.spec.storage = Some(storage);
    Ok(())
}

/// The ReadWriteMany class: the replicated system's file class when there
/// is one, else the platform's, with its server where you run it.
fn shared_class(
    i: &Input,
    d: &mut Draft,
    storage: &mut Storage,
    replicated: Option<&StorageProfile>,
) {
    let st = &i.prof.storage;
    let p = replicated.unwrap_or(&st.shared);
    storage.classes.push(class(p, false));
    d.why(
        Topic::Storage,
        format!("storage: `{}` ({}, {}, ReadWriteMany)", p.name, p.medium, p.provisioner),
        "shared access across pods needs a network file class: block volumes attach to one node at a time; applications that share data name this class",
    );
    if let (None, Some(srv)) = (replicated, &st.shared_servers) {
        storage.servers.push(servers(i, srv));
        d.why(
            Topic::Storage,
            format!("storage servers: {} x {}", srv.nodes, srv.name),
            format!("{}: {} mounts an export that a server must serve; one server is a single point of failure for shared volumes", srv.note, st.shared.provisioner),
        );
    }
}
