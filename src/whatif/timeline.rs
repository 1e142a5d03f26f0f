//! When things happen after a failure, from the components' documented
//! defaults (`profiles/kubernetes.yaml`, `failure` and `etcd`) and the
//! plan's own leader-election timings. Each figure is a formula over those
//! numbers; `docs/whatif.md` gives the sources.

use serde::Serialize;

use super::layout::{Entry, Layout};
use super::scenario::{lb_role, Lost, Role};
use super::{EtcdState, Part};
use crate::catalog::Catalog;
use crate::plan::{ClusterPlan, WorkloadKind};

/// One thing that happens, `from`..`to` seconds after the failure
/// (`never`: it does not happen until the machines return).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Event {
    pub from_s: f64,
    pub to_s: f64,
    pub never: bool,
    pub what: String,
}

/// Seconds as people read them: `13 s`, `5.8 min`.
pub fn secs(s: f64) -> String {
    if s >= 120.0 {
        format!("{} min", crate::prose::decimal((s / 6.0).round() / 10.0))
    } else {
        format!("{} s", crate::prose::decimal((s * 10.0).round() / 10.0))
    }
}

/// client-go leader election (`tools/leaderelection`): a standby polls every
/// `retryPeriod` with jitter factor 1.2 (so every retry to 2.2 x retry) and
/// takes the lease once `leaseDuration` has passed since it saw it renewed.
/// Fastest: the leader renewed a full retry before it died and the standby
/// polls as the lease expires, lease - retry. Slowest: the leader renewed as
/// it died, the standby saw that up to one jittered period late, and polls
/// again up to one period after expiry: lease + 2 x 2.2 x retry. A graceful
/// stop releases the lease: about one retry. (The defaults, 15 s / 10 s /
/// 2 s, give 13 to 23.8 s.)
pub fn leader_takeover(c: &Catalog, plan: &ClusterPlan) -> (f64, f64, f64) {
    let le = plan.leader_election();
    let d = |s: &str, default: f64| crate::units::parse_duration(s).unwrap_or(default);
    let lease = d(&le.lease_duration, 15.0);
    let retry = d(&le.retry_period, 2.0);
    let jittered = retry * (1.0 + c.kubernetes.failure.leader_election_jitter);
    ((lease - retry).max(0.0), lease + 2.0 * jittered, retry)
}

/// etcd (raft): a follower campaigns when no heartbeat has come for its
/// randomized election timeout, between 1x and 2x `election-timeout`,
/// counted from the last heartbeat it saw — up to one heartbeat interval
/// before the leader died. One round: election − heartbeat to 2 × election.
pub fn etcd_election(c: &Catalog) -> (f64, f64) {
    let e = &c.kubernetes.etcd;
    let t = f64::from(e.election_timeout_ms) / 1000.0;
    let hb = f64::from(e.heartbeat_interval_ms) / 1000.0;
    (t - hb, 2.0 * t)
}

/// keepalived: a BACKUP takes the virtual IP after 3 x advert_int + skew,
/// skew = (256 - priority) / 256 s; the exported backup has priority 100.
pub fn vip_takeover(c: &Catalog) -> f64 {
    let f = &c.kubernetes.failure;
    3.0 * f.vrrp_advert_int_s + (256.0 - f64::from(f.vrrp_backup_priority)) / 256.0
}

fn event(from_s: f64, to_s: f64, what: String) -> Event {
    Event {
        from_s,
        to_s,
        never: false,
        what,
    }
}

/// The events of a scenario, in time order.
pub fn events(
    c: &Catalog,
    plan: &ClusterPlan,
    layout: &Layout,
    lost: &Lost,
    etcd: &EtcdState,
    api: &Part,
) -> Vec<Event> {
    let f = &c.kubernetes.failure;
    let mut out = Vec::new();
    let etcd_role = if layout.stacked {
        Role::ControlPlane
    } else {
        Role::Etcd
    };
    if etcd.state == super::Quorum::Writes && lost.total(&etcd_role) > 0 {
        let (lo, hi) = etcd_election(c);
        out.push(event(lo, hi, format!("etcd elects a new leader if the lost member led (election timeout {} ms, randomized up to twice, counted from the last heartbeat; a split vote takes another round)", c.kubernetes.etcd.election_timeout_ms)));
    }
    if api.ok && lost.total(&Role::ControlPlane) > 0 {
        if let Entry::Hosts { .. } = layout.entry {
            let t = f.haproxy_inter_s * f64::from(f.haproxy_fall);
            out.push(event(
                t,
                t,
                format!(
                    "the load balancer stops sending to a lost API server ({} checks x {} s)",
                    f.haproxy_fall,
                    crate::prose::decimal(f.haproxy_inter_s)
                ),
            ));
        }
        let (lo, hi, _) = leader_takeover(c, plan);
        out.push(event(lo, hi, "a standby kube-controller-manager / kube-scheduler takes the lease, if the leader was lost".into()));
    }
    if let Entry::Hosts { vip: true, .. } = layout.entry {
        if api.ok && lost.first_lost(&lb_role(layout), &layout.lb) {
            let t = vip_takeover(c);
            out.push(event(t, t, format!("a backup load balancer takes the virtual IP (3 x advert_int {} s + skew (256 - {}) / 256 s)", crate::prose::decimal(f.vrrp_advert_int_s), f.vrrp_backup_priority)));
        }
    }
    match api.ok || layout.managed {
        true => out.extend(node_events(c, plan, layout, lost)),
        // The node lifecycle controller works through the API.
        false => out.push(Event {
            from_s: 0.0,
            to_s: 0.0,
            never: true,
            what: "nothing is rescheduled while the API is down: the node lifecycle controller works through it".into(),
        }),
    }
    out.sort_by(|a, b| a.from_s.total_cmp(&b.from_s));
    out
}

/// A zone's machines that are Kubernetes nodes (workers and control plane).
fn zone_nodes(layout: &Layout, zone: &str, lost: &Lost) -> (u32, u32) {
    let mut size = 0;
    let mut down = 0;
    let mut add = |role: Role, placement: &[(String, u32)]| {
        for (z, n) in placement.iter().filter(|(z, _)| z == zone) {
            size += n;
            down += lost.get(&role, z).min(*n);
        }
    };
    add(Role::ControlPlane, &layout.control_plane);
    for p in &layout.pools {
        add(Role::Workers(p.name.clone()), &p.zones);
    }
    (size, down)
}

/// The node lifecycle controller: NotReady after the grace period, then
/// NoExecute taints at the zone's eviction rate, pods evicted when their
/// toleration expires. Zone states: full disruption (every node NotReady)
/// keeps the normal rate unless every zone is down (eviction stops);
/// partial disruption (more than 2 nodes and at least the threshold
/// NotReady) slows to the secondary rate in a zone larger than the large
/// cluster threshold and stops in a smaller one.
fn node_events(c: &Catalog, plan: &ClusterPlan, layout: &Layout, lost: &Lost) -> Vec<Event> {
    let f = &c.kubernetes.failure;
    let grace = f.node_monitor_grace_period_s;
    let zones: Vec<(String, u32, u32)> = layout
        .zones
        .iter()
        .map(|z| {
            let (size, down) = zone_nodes(layout, z, lost);
            (z.clone(), size, down)
        })
        .filter(|(_, size, _)| *size > 0)
        .collect();
    let lost_nodes: u32 = zones.iter().map(|(_, _, d)| d).sum();
    if lost_nodes == 0 || layout.managed && layout.pools.is_empty() {
        return Vec::new();
    }
    let mut out = vec![event(
        grace,
        grace,
        format!(
            "lost nodes turn NotReady (--node-monitor-grace-period {} s, Kubernetes {})",
            crate::prose::decimal(grace),
            f.kubernetes_version
        ),
    )];
    let all_down = zones.iter().all(|(_, size, down)| down == size);
    for (z, size, down) in zones.iter().filter(|(_, _, d)| *d > 0) {
        let full = down == size;
        let partial = !full
            && *down > f.unhealthy_zone_min_nodes
            && f64::from(*down) >= f.unhealthy_zone_threshold * f64::from(*size);
        let (rate, rule) = match (full, partial) {
            (true, _) if all_down => (None, "every zone is down: eviction stops".to_string()),
            (true, _) => (Some(f.node_eviction_rate), format!("zone {z} fully disrupted: normal rate {} node/s", crate::prose::decimal(f.node_eviction_rate))),
            (_, true) if *size > f.large_cluster_size_threshold => (Some(f.secondary_node_eviction_rate), format!("zone {z} partially disrupted ({down} of {size} NotReady, at least {}%) and larger than {} nodes: {} node/s", (f.unhealthy_zone_threshold * 100.0).round(), f.large_cluster_size_threshold, crate::prose::decimal(f.secondary_node_eviction_rate))),
            (_, true) => (None, format!("zone {z} partially disrupted ({down} of {size} NotReady) with at most {} nodes: eviction stops", f.large_cluster_size_threshold)),
            _ => (Some(f.node_eviction_rate), format!("zone {z}: {down} of {size} NotReady, normal rate {} node/s", crate::prose::decimal(f.node_eviction_rate))),
        };
        match rate {
            Some(r) => {
                let first = grace + f.toleration_s;
                let last = first + f64::from(down - 1) / r;
                out.push(event(first, last, format!("pods of the lost nodes in {z} are evicted and rescheduled ({rule}; after the {} s toleration)", crate::prose::decimal(f.toleration_s))));
            }
            None => out.push(Event { from_s: grace, to_s: grace, never: true, what: format!("pods of the lost nodes in {z} are never evicted until the nodes return ({rule})") }),
        }
    }
    let stateful = plan
        .spec
        .workload
        .as_ref()
        .is_some_and(|w| w.kind == WorkloadKind::Stateful);
    if stateful {
        out.push(Event { from_s: grace, to_s: grace, never: false, what: "StatefulSet pods on an unreachable node are not replaced until the Pod is deleted (or the node returns)".into() });
    }
    out
}

/// What the storage servers' loss and the stranded pods mean in time: they
/// wait for the machines to return.
pub fn storage_events(
    storage: &[super::storage::StorageState],
    capacity: &super::CapacityState,
) -> Vec<Event> {
    let mut out: Vec<Event> = storage
        .iter()
        .filter(|s| !s.ok)
        .map(|s| Event {
            from_s: 0.0,
            to_s: 0.0,
            never: true,
            what: format!(
                "the volumes of storage servers `{}` are unavailable until they return: {}",
                s.servers, s.why
            ),
        })
        .collect();
    if capacity.stranded > 0 {
        out.push(Event {
            from_s: 0.0,
            to_s: 0.0,
            never: true,
            what: format!(
                "{} stay down until the failure is repaired: {}",
                crate::prose::plural(capacity.stranded, "stateful pod", "stateful pods"),
                capacity.stranded_why.as_deref().unwrap_or_default()
            ),
        });
    }
    out
}
