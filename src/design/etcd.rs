//! etcd: how many members (2f+1, from `quorum.rs`), stacked or on their own
//! machines, and where they sit.

use super::{DesignError, Draft, Input, Topic};
use crate::plan::{spread, Etcd, EtcdTopology, Medium};
use crate::prose::{num, plural};
use crate::quorum::{fault_tolerance, members_for, members_to_survive, quorum};

/// The member count: 2f+1 within the HA minimum and etcd's maximum; one
/// member when the control plane is not HA.
pub fn members(i: &Input, d: &mut Draft) -> Result<(), DesignError> {
    let k = &i.c.kubernetes;
    d.members = if d.ha {
        members_for(i.a.tolerate, k.design.min_ha_members, k.etcd.max_members)
    } else {
        1
    };
    Ok(())
}

/// Stacked or external for a cluster of `workers` workers, and the
/// control-plane node count that goes with it: stacked unless the cluster is
/// large or etcd has enough members to deserve its own machines.
pub fn topology(i: &Input, d: &Draft, workers: u64) -> (EtcdTopology, u32) {
    let k = &i.c.kubernetes;
    let big = workers + u64::from(d.members) > k.etcd.external_above_nodes;
    if d.managed.is_some() {
        return (EtcdTopology::Stacked, 0);
    }
    if !d.ha {
        // One control-plane node; a large cluster still keeps etcd's writes
        // off the API server's machine (the same threshold lint uses).
        let topology = if big {
            EtcdTopology::External
        } else {
            EtcdTopology::Stacked
        };
        return (topology, 1);
    }
    if big || d.members >= k.design.external_etcd_from_members {
        let ha_cp = u32::try_from(k.sizing.ha_control_plane_nodes).unwrap_or(u32::MAX);
        (EtcdTopology::External, ha_cp.max(i.a.tolerate + 1))
    } else {
        (EtcdTopology::Stacked, d.members)
    }
}

/// The etcd block of the plan and the reasons for its count, topology and
/// placement.
pub fn placement(i: &Input, d: &mut Draft) -> Result<(), DesignError> {
    if i.learning() || d.managed.is_some() {
        return Ok(());
    }
    let k8s_nodes = d.workers + u64::from(d.cp_nodes);
    d.plan.spec.etcd = Some(match d.topology {
        EtcdTopology::Stacked => Etcd {
            topology: Some(EtcdTopology::Stacked),
            members: Some(d.cp_nodes),
            zones: Vec::new(),
            machine: None,
        },
        EtcdTopology::External => {
            let t = i.c.etcd_tier(k8s_nodes);
            Etcd {
                topology: Some(EtcdTopology::External),
                members: Some(d.members),
                zones: if d.witness {
                    etcd_zones(i, d)
                } else {
                    Vec::new()
                },
                machine: Some(t.machine(Some(Medium::Ssd))),
            }
        }
    });
    if d.ha {
        count_reason(i, d);
        topology_reason(i, d, k8s_nodes);
        placement_reason(i, d);
    } else if d.topology == EtcdTopology::External {
        topology_reason(i, d, k8s_nodes);
    }
    Ok(())
}

/// The zones etcd members go to: the cluster's, plus the witness site.
pub fn etcd_zones(i: &Input, d: &Draft) -> Vec<String> {
    let mut zones = d.plan.spec.zones.clone();
    if d.witness {
        zones.push(witness_zone(i, d));
    }
    zones
}

/// The third site of a two-zone cluster: on a cloud, the region's next
/// zone (the installers refuse a zone the region does not have), on your
/// own machines a site of its own (`witness`).
pub fn witness_zone(i: &Input, d: &Draft) -> String {
    let next = i
        .prof
        .design_zones()
        .iter()
        .find(|z| !d.plan.spec.zones.contains(z));
    match next {
        Some(z) if i.a.platform.cloud() => z.clone(),
        _ => i.c.kubernetes.design.witness_zone.clone(),
    }
}

fn count_reason(i: &Input, d: &mut Draft) {
    let (n, q, ft) = (d.members, quorum(d.members), fault_tolerance(d.members));
    let asked = members_to_survive(i.a.tolerate);
    let why = if n == asked {
        format!(
            "surviving {} needs 2f+1 = {n} members (quorum {q})",
            plural(u64::from(i.a.tolerate), "failure", "failures"),
        )
    } else if n > asked {
        format!("an HA control plane needs at least {n} etcd members (quorum {q}, survives {ft}); fewer tolerate no failure")
    } else {
        format!(
            "etcd advises at most {} members: {n} survive {ft} failures",
            i.c.kubernetes.etcd.max_members
        )
    };
    d.why(Topic::Etcd, format!("etcd: {n} members"), why);
}

fn topology_reason(i: &Input, d: &mut Draft, k8s_nodes: u64) {
    let k = &i.c.kubernetes;
    let why = match d.topology {
        EtcdTopology::Stacked => format!(
            "stacked etcd runs one member on each of the {} control-plane nodes: fewer machines and simpler to run; the cluster is small enough ({} nodes, at most {}) for it",
            d.cp_nodes, num(k8s_nodes), k.etcd.external_above_nodes
        ),
        EtcdTopology::External if d.members >= k.design.external_etcd_from_members => format!(
            "{} members stacked would need {} control-plane nodes; on their own machines a failed control-plane node does not take an etcd member with it, and {} control-plane nodes keep the API up",
            d.members, d.members, d.cp_nodes
        ),
        EtcdTopology::External => format!(
            "{} nodes is a large cluster (over {}): etcd on its own SSD machines keeps its fsync latency away from the API servers' load",
            num(k8s_nodes), k.etcd.external_above_nodes
        ),
    };
    d.why(Topic::Etcd, format!("etcd topology: {}", d.topology), why);
}

fn placement_reason(i: &Input, d: &mut Draft) {
    let a = i.a;
    let n = d.plan.etcd_members();
    let q = quorum(n);
    let layout = spread(n, &d.plan.etcd_zones());
    let text: Vec<String> = layout.iter().map(|(z, m)| format!("{z}={m}")).collect();
    let why = if d.witness {
        let witness = witness_zone(i, d);
        match witness == i.c.kubernetes.design.witness_zone {
            true => format!("with 2 zones, the zone holding the majority would take quorum with it: one member goes to a third site (`{witness}`, a small VM elsewhere is enough) so that losing either zone leaves {q} of {n}"),
            false => format!("with 2 zones, the zone holding the majority would take quorum with it: one member goes to a third zone of the region (`{witness}`, no workers there) so that losing any one zone leaves {q} of {n}"),
        }
    } else if a.zones >= 3 {
        let worst = layout.iter().map(|(_, m)| *m).max().unwrap_or(0);
        format!(
            "no zone holds more than {}, so losing any one zone leaves at least {} of {n}, quorum {q}",
            plural(u64::from(worst), "member", "members"),
            n - worst
        )
    } else if a.zones == 1 {
        "one zone: the members survive node failures, not the zone's loss (add zones to survive that)".to_string()
    } else {
        format!("with {} zones the zone holding the most members takes quorum with it; a {} cluster accepts that, production adds a member in a third site", a.zones, a.purpose)
    };
    d.why(
        Topic::Etcd,
        format!("etcd placement: {}", text.join(", ")),
        why,
    );
}
