//! Storage classes from the storage needs and the workload, out of the
//! platform's storage profiles, with the parameters their drivers need;
//! and the servers behind them where you run them: replicated storage for
//! production on your own machines (Ceph stretch mode over two zones), and
//! zone-redundant volumes for production stateful workloads on a cloud.

use super::{etcd, DesignError, Draft, Input, Topic};
use crate::catalog::{ReplicatedStorage, StorageProfile, StorageServerProfile};
use crate::plan::{Medium, Storage, StorageClass, StorageNeed, StorageServers, WorkloadKind};

fn class(p: &StorageProfile, default: bool) -> StorageClass {
    StorageClass {
        name: p.name.clone(),
        medium: p.medium,
        access_modes: p.access_modes.clone(),
        provisioner: Some(p.provisioner.clone()),
        parameters: p.parameters.clone(),
        default,
    }
}

/// Servers of a profile: one per zone where it says so. Replicated ones
/// spread over the cluster's zones keep enough copies and monitors for the
/// failures to tolerate (the writable minimum plus one copy per failure,
/// 2f+1 monitors); a fixed layout (stretch mode, given `zones`) keeps its own.
fn servers(i: &Input, p: &StorageServerProfile, zones: Vec<String>) -> StorageServers {
    let (t, tune) = (i.a.tolerate, zones.is_empty());
    let copies = p.copies.map(|c| match p.min_copies {
        Some(min) if tune && c > 0 => c.max(min + t),
        _ => c,
    });
    let monitors = p.monitors.map(|m| if tune { m.max(2 * t + 1) } else { m });
    let spread = if zones.is_empty() {
        i.a.zones
    } else {
        zones.len() as u32
    };
    let nodes = match p.per_zone {
        true => p.nodes.max(spread).max(copies.unwrap_or(0)),
        false => p.nodes,
    };
    StorageServers {
        name: p.name.clone(),
        nodes,
        machine: p.machine.machine(Some(Medium::Ssd)),
        zones,
        copies,
        min_copies: p.min_copies,
        monitors,
    }
}

/// The default class and why, when the replicated system is not used.
fn default_class<'p>(i: &Input<'p>, fast: bool, shared: bool) -> (&'p StorageProfile, String) {
    let (a, st) = (i.a, &i.prof.storage);
    let stateful = a.workload == WorkloadKind::Stateful;
    if let (Some(zr), true) = (
        &st.zone_redundant,
        i.production() && stateful && a.zones >= 2,
    ) {
        return (zr, format!("a production stateful workload over {} zones must keep its volumes through a zone loss: a zonal disk stays in its zone, and its pod with it; `{}` ({}) keeps each volume in more than one zone", a.zones, zr.name, params(zr)));
    }
    let zonal = match (i.production() && stateful && a.zones >= 2, i.prof.region.is_some()) {
        (true, true) => format!("; {} block volumes live in one zone and the platform has no zone-redundant block volume: a pod whose volume is in a lost zone stays down until the zone returns, unless the application keeps a replica in each zone (a database with one replica per zone)", i.prof.title),
        _ => String::new(),
    };
    if fast {
        return (&st.fast, format!("SSD block volumes were asked for: the fast class is the default, so claims that name no class get SSD{zonal}"));
    }
    if a.workload.is_data_heavy() {
        let bind = if stateful && !shared {
            ", and its volume claims need a class to bind at all"
        } else {
            ""
        };
        let why = format!(
            "a {} workload lives on its data: its default class must be SSD{bind}{zonal}",
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

/// `type: pd-ssd, replication-type: regional-pd`.
fn params(p: &StorageProfile) -> String {
    let kv: Vec<String> = p
        .parameters
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    kv.join(", ")
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
    // Production volumes on your own machines outlive a node (and a zone)
    // on replicated storage; so do shared ones (one NFS server would not).
    let replicated = st
        .replicated
        .as_ref()
        .filter(|_| i.production() && (stateful || shared));
    let mut storage = Storage::default();
    let (default, why) = match replicated {
        Some(r) if stateful => {
            let layout = if a.zones == 2 && r.stretch.is_some() {
                "over its two zones in stretch mode"
            } else {
                "across its failure domains"
            };
            (&r.block, format!("a production stateful workload must keep its volumes through the loss of a node{}, and node-local volumes ({}) die with their node: {} keeps every volume on several servers {layout}", if a.zones >= 2 { " or a zone" } else { "" }, st.fast.provisioner, r.block.provisioner))
        }
        _ => default_class(i, fast, shared),
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
    if fast && default.name != st.fast.name {
        storage.classes.push(class(&st.fast, false));
        d.why(
            Topic::Storage,
            format!("storage: `{}` ({}, {}) to opt in", st.fast.name, st.fast.medium, st.fast.provisioner),
            "the platform's fastest block class, in one place (a node or a zone), for applications that replicate their own data (databases with a replica in each zone) and name it",
        );
    }
    if shared {
        shared_class(i, d, &mut storage, replicated.map(|r| &r.shared));
    }
    if let Some(r) = replicated {
        replicated_servers(i, d, &mut storage, r);
    }
    d.plan.spec.storage = Some(storage);
    Ok(())
}

/// The servers of the replicated system: one layout over the zones, or
/// stretch mode over exactly two with an arbiter in the third site.
fn replicated_servers(i: &Input, d: &mut Draft, storage: &mut Storage, r: &ReplicatedStorage) {
    let (group, profile, needs) = match (&r.stretch, i.a.zones) {
        (Some(s), 2) => {
            let (copies, mons) = (
                r.servers.copies.unwrap_or(1),
                r.servers.monitors.unwrap_or(0),
            );
            let arbiter = servers(i, &s.arbiter, vec![etcd::witness_zone(i, d)]);
            let data = servers(i, &s.servers, d.plan.spec.zones.clone());
            storage.servers.push(data.clone());
            storage.servers.push(arbiter.clone());
            d.why(
                Topic::Storage,
                format!("storage layout: Ceph stretch mode, arbiter in {}", arbiter.zones.join(", ")),
                format!("with two zones a {copies}-copy pool keeps {} copies in one of them, and {mons} monitors put {} there: losing that zone stops the storage. Stretch mode keeps {} copies, {} in each zone, and writes on while one zone is down; its {} monitors, {} per zone and {} on the {} host in the third site, {}, keep their quorum through either zone's loss",
                    copies.div_ceil(2), mons.div_ceil(2),
                    data.copies.unwrap_or(0), data.copies.unwrap_or(0) / 2,
                    data.monitors.unwrap_or(0) + arbiter.monitors.unwrap_or(0), data.monitors.unwrap_or(0) / 2,
                    arbiter.monitors.unwrap_or(0), arbiter.name, arbiter.zones.join(", ")),
            );
            (data, &s.servers, &s.needs)
        }
        _ => {
            let g = servers(i, &r.servers, Vec::new());
            storage.servers.push(g.clone());
            (g, &r.servers, &r.needs)
        }
    };
    let s = &group;
    let spread = match s.zones.is_empty() {
        true => format!(", at least {}, one per zone", profile.nodes),
        false => String::new(),
    };
    d.why(
        Topic::Storage,
        format!(
            "storage servers: {} x {} ({} vCPU, {} GiB, {} GiB SSD)",
            s.nodes,
            s.name,
            s.machine.cpu,
            s.machine.memory_gib,
            s.machine.disk_gib.unwrap_or(0.0)
        ),
        format!(
            "{}{spread}: every volume kept {} times, writable down to {} copies, so the volumes stay up through {}; it needs {needs}",
            profile.note,
            s.copies.unwrap_or(1),
            s.min_copies.unwrap_or(1),
            crate::prose::plural(
                u64::from(s.copies.unwrap_or(1).saturating_sub(s.min_copies.unwrap_or(1))),
                "server failure",
                "server failures"
            )
        ),
    );
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
        storage.servers.push(servers(i, srv, Vec::new()));
        d.why(
            Topic::Storage,
            format!("storage servers: {} x {}", srv.nodes, srv.name),
            format!("{}: {} mounts an export that a server must serve; one server is a single point of failure for shared volumes (a {} cluster accepts that; production takes replicated storage)", srv.note, st.shared.provisioner, i.a.purpose),
        );
    }
}
