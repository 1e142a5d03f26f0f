//! Failures: what can break (a zone, or machines of one role), how a
//! scenario names them, and which machines each takes.

use std::collections::BTreeMap;
use std::fmt;

use super::layout::{Entry, Layout};

/// A role whose machines can fail.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    ControlPlane,
    Etcd,
    LoadBalancer,
    Workers(String),
    Storage(String),
}

/// One failure: a whole zone, or `count` machines of a role (in `zone`, or
/// in placement order when no zone is named).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Failure {
    Zone(String),
    Machines {
        role: Role,
        zone: Option<String>,
        count: u32,
    },
}

/// A failure prints as `whatif` names it.
impl serde::Serialize for Failure {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Zone(z) => write!(f, "zone {z}"),
            Failure::Machines { role, zone, count } => {
                let what = match role {
                    Role::ControlPlane => "control-plane node".to_string(),
                    Role::Etcd => "etcd member".to_string(),
                    Role::LoadBalancer => "load-balancer host".to_string(),
                    Role::Workers(p) => format!("{p} worker"),
                    Role::Storage(g) => format!("{g} storage server"),
                };
                let s = if *count == 1 { "" } else { "s" };
                match zone {
                    Some(z) => write!(f, "{count} {what}{s} in {z}"),
                    None => write!(f, "{count} {what}{s}"),
                }
            }
        }
    }
}

/// `--fail` values: `zone=NAME`, `cp=N`, `etcd=N`, `lb=N`, `workers=POOL:N`,
/// `storage=GROUP:N` (each N optionally `@ZONE`: `etcd=1@rack-a`).
pub fn parse(s: &str, layout: &Layout) -> Result<Failure, String> {
    let (kind, value) = s.split_once('=').ok_or_else(|| {
        format!("`{s}`: expected KIND=VALUE (zone=NAME, cp=N, etcd=N, lb=N, workers=POOL:N, storage=GROUP:N)")
    })?;
    if kind == "zone" {
        return match layout.zones.iter().any(|z| z == value) {
            true => Ok(Failure::Zone(value.to_string())),
            false => Err(format!(
                "`{s}`: the plan has no zone `{value}` (zones: {})",
                layout.zones.join(", ")
            )),
        };
    }
    let (value, zone) = match value.split_once('@') {
        Some((v, z)) => (v, Some(z.to_string())),
        None => (value, None),
    };
    let (role, n) = match kind {
        "cp" | "control-plane" => (Role::ControlPlane, value),
        "etcd" => (Role::Etcd, value),
        "lb" => (Role::LoadBalancer, value),
        "workers" => {
            let (pool, n) = value.split_once(':').unwrap_or((value, "1"));
            if !layout.pools.iter().any(|p| p.name == pool) {
                let names: Vec<&str> = layout.pools.iter().map(|p| p.name.as_str()).collect();
                return Err(format!(
                    "`{s}`: no worker pool `{pool}` (pools: {})",
                    names.join(", ")
                ));
            }
            (Role::Workers(pool.to_string()), n)
        }
        "storage" => {
            let (group, n) = value.split_once(':').unwrap_or((value, "1"));
            if !layout.storage.iter().any(|g| g.name == group) {
                let names: Vec<&str> = layout.storage.iter().map(|g| g.name.as_str()).collect();
                return Err(format!(
                    "`{s}`: no storage servers `{group}` (storage servers: {})",
                    match names.is_empty() {
                        true => "none".to_string(),
                        false => names.join(", "),
                    }
                ));
            }
            (Role::Storage(group.to_string()), n)
        }
        other => {
            let kinds = ["zone", "cp", "etcd", "lb", "workers", "storage"];
            let hint = crate::prose::closest(other, kinds.iter().copied())
                .map(|k| format!("; did you mean `{k}`?"))
                .unwrap_or_default();
            return Err(format!(
                "`{s}`: unknown kind `{other}`{hint} (one of {})",
                kinds.join(", ")
            ));
        }
    };
    let count: u32 = n
        .parse()
        .map_err(|_| format!("`{s}`: `{n}` is not a number of machines"))?;
    let have = available(layout, &role, zone.as_deref());
    if count == 0 || count > have {
        return Err(format!(
            "`{s}`: the plan has {have} such machine(s){}",
            zone.as_ref()
                .map(|z| format!(" in {z}"))
                .unwrap_or_default()
        ));
    }
    Ok(Failure::Machines { role, zone, count })
}

/// Machines of a role (in a zone) the layout has.
pub fn available(layout: &Layout, role: &Role, zone: Option<&str>) -> u32 {
    let placed = placement(layout, role);
    placed
        .iter()
        .filter(|(z, _)| zone.is_none_or(|want| want == z))
        .map(|(_, n)| n)
        .sum()
}

fn placement<'a>(layout: &'a Layout, role: &Role) -> &'a [(String, u32)] {
    match role {
        Role::ControlPlane => &layout.control_plane,
        // Stacked members are the control-plane nodes: fail those instead.
        Role::Etcd if layout.stacked => &layout.control_plane,
        Role::Etcd => &layout.etcd,
        Role::LoadBalancer => &layout.lb,
        Role::Workers(p) => layout
            .pools
            .iter()
            .find(|x| &x.name == p)
            .map_or(&[][..], |x| &x.zones[..]),
        Role::Storage(g) => layout
            .storage
            .iter()
            .find(|x| &x.name == g)
            .map_or(&[][..], |x| &x.zones[..]),
    }
}

/// What a scenario takes: machines lost per (role, zone), the zones lost
/// whole, and whether the first control-plane node, the first LB host
/// (where clients or the virtual IP point) are among them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lost {
    pub zones: Vec<String>,
    pub machines: BTreeMap<(Role, String), u32>,
}

impl Lost {
    pub fn of(layout: &Layout, failures: &[Failure]) -> Lost {
        let mut lost = Lost::default();
        for f in failures {
            match f {
                Failure::Zone(z) => {
                    if !lost.zones.contains(z) {
                        lost.zones.push(z.clone());
                    }
                }
                Failure::Machines { role, zone, count } => {
                    lost.take(layout, role, zone.as_deref(), *count)
                }
            }
        }
        // A lost zone takes everything in it.
        let roles = [Role::ControlPlane, Role::Etcd, Role::LoadBalancer]
            .into_iter()
            .chain(layout.pools.iter().map(|p| Role::Workers(p.name.clone())))
            .chain(layout.storage.iter().map(|g| Role::Storage(g.name.clone())));
        for role in roles {
            for (z, n) in placement(layout, &role) {
                if lost.zones.contains(z) {
                    lost.machines.insert((role.clone(), z.clone()), *n);
                }
            }
        }
        lost
    }

    /// Takes `count` machines of `role`: in `zone`, or zone by zone in
    /// placement order. Stacked etcd members go with their nodes.
    fn take(&mut self, layout: &Layout, role: &Role, zone: Option<&str>, count: u32) {
        let role = match role {
            Role::Etcd if layout.stacked => Role::ControlPlane,
            Role::LoadBalancer if lb_role(layout) == Role::ControlPlane => Role::ControlPlane,
            r => r.clone(),
        };
        let mut left = count;
        for (z, have) in placement(layout, &role) {
            if left == 0 || zone.is_some_and(|want| want != z) {
                continue;
            }
            let already = self.get(&role, z);
            let more = left.min(have.saturating_sub(already));
            if more > 0 {
                self.machines
                    .insert((role.clone(), z.clone()), already + more);
                left -= more;
            }
        }
    }

    pub fn get(&self, role: &Role, zone: &str) -> u32 {
        self.machines
            .get(&(role.clone(), zone.to_string()))
            .copied()
            .unwrap_or(0)
    }

    pub fn total(&self, role: &Role) -> u32 {
        self.machines
            .iter()
            .filter(|((r, _), _)| r == role)
            .map(|(_, n)| n)
            .sum()
    }

    /// Whether the first machine of a placement is lost: the one clients
    /// use without a virtual IP. Losses in a zone take its first machines.
    pub fn first_lost(&self, role: &Role, placement: &[(String, u32)]) -> bool {
        placement
            .iter()
            .find(|(_, n)| *n > 0)
            .is_some_and(|(z, _)| self.get(role, z) > 0)
    }
}

/// Which role's machines hold the load balancer.
pub fn lb_role(layout: &Layout) -> Role {
    match layout.entry {
        Entry::Hosts {
            on_control_plane: true,
            ..
        } => Role::ControlPlane,
        _ => Role::LoadBalancer,
    }
}
