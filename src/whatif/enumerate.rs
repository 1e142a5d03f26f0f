//! Every failure a plan can suffer, by equivalence class: each zone, and one
//! machine of each role in each zone (machines of one role and zone are
//! interchangeable; the worst of them is failed: the load balancer's host,
//! the one clients use); then every combination up to `max` of those.

use super::layout::Layout;
use super::scenario::{available, Failure, Role};

/// The single failures: zones first, then machines by role and zone.
pub fn singles(layout: &Layout) -> Vec<Failure> {
    let mut out: Vec<Failure> = Vec::new();
    if layout.zones.len() > 1 {
        out.extend(layout.zones.iter().map(|z| Failure::Zone(z.clone())));
    }
    let mut roles = vec![Role::ControlPlane];
    if !layout.stacked {
        roles.push(Role::Etcd);
    }
    if super::scenario::lb_role(layout) == Role::LoadBalancer {
        roles.push(Role::LoadBalancer);
    }
    roles.extend(layout.pools.iter().map(|p| Role::Workers(p.name.clone())));
    roles.extend(layout.storage.iter().map(|g| Role::Storage(g.name.clone())));
    for role in roles {
        for z in &layout.zones {
            if available(layout, &role, Some(z)) > 0 {
                out.push(Failure::Machines {
                    role: role.clone(),
                    zone: Some(z.clone()),
                    count: 1,
                });
            }
        }
    }
    out
}

/// The combinations of `k` single failures (classes may repeat while the
/// zone has machines left); a machine in a zone also failed is left out, as
/// is a zone failed twice.
pub fn combinations(layout: &Layout, singles: &[Failure], k: usize) -> Vec<Vec<Failure>> {
    let mut out = Vec::new();
    let mut current = Vec::new();
    extend(layout, singles, k, 0, &mut current, &mut out);
    out
}

fn extend(
    layout: &Layout,
    singles: &[Failure],
    k: usize,
    start: usize,
    current: &mut Vec<Failure>,
    out: &mut Vec<Vec<Failure>>,
) {
    if current.len() == k {
        out.push(merge(current));
        return;
    }
    for (i, f) in singles.iter().enumerate().skip(start) {
        if !fits(layout, current, f) {
            continue;
        }
        current.push(f.clone());
        // The same class again (i), never an earlier one: each set once.
        extend(layout, singles, k, i, current, out);
        current.pop();
    }
}

/// Whether `f` adds a failure to `current`: not a zone already failed or
/// failing again, nor a machine in a failed zone, nor more machines of a
/// class than the zone has.
fn fits(layout: &Layout, current: &[Failure], f: &Failure) -> bool {
    let zone_of = |x: &Failure| match x {
        Failure::Zone(z) => Some(z.clone()),
        Failure::Machines { zone, .. } => zone.clone(),
    };
    let failed_zones: Vec<String> = current
        .iter()
        .filter_map(|x| match x {
            Failure::Zone(z) => Some(z.clone()),
            _ => None,
        })
        .collect();
    match f {
        Failure::Zone(z) => !current.iter().any(|x| zone_of(x).as_deref() == Some(z)),
        Failure::Machines { role, zone, .. } => {
            let z = zone.clone().unwrap_or_default();
            if failed_zones.contains(&z) {
                return false;
            }
            let same = current.iter().filter(|x| *x == f).count() as u32;
            same < available(layout, role, Some(&z))
        }
    }
}

/// Repeated machine failures of one class become one with a count.
fn merge(set: &[Failure]) -> Vec<Failure> {
    let mut out: Vec<Failure> = Vec::new();
    for f in set {
        match (f, out.last_mut()) {
            (
                Failure::Machines { role, zone, .. },
                Some(Failure::Machines {
                    role: r,
                    zone: z,
                    count,
                }),
            ) if role == r && zone == z => *count += 1,
            _ => out.push(f.clone()),
        }
    }
    out
}
