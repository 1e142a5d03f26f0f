//! The shape: who runs the control plane, whether it is highly available,
//! and the failure domains the cluster spans.

use super::{DesignError, Draft, Input};

pub fn run(i: &Input, d: &mut Draft) -> Result<(), DesignError> {
    let a = i.a;
    d.managed = a.managed.then_some(i.prof.tooling.managed).flatten();
    d.ha = !i.learning() && d.managed.is_none() && (i.production() || a.tolerate >= 1);
    let want = if i.learning() { 1 } else { a.zones };
    d.plan.spec.zones = i.zone_names(want);
    if !i.learning() && a.platform.cloud() {
        d.plan.spec.region = i.prof.region.clone();
    }
    if d.plan.spec.zones.len() < want as usize {
        return Err(DesignError::Zones {
            title: i.prof.title.clone(),
            region: i.prof.region.clone().unwrap_or_default(),
            zones: i.prof.design_zones().to_vec(),
            asked: want,
        });
    }
    // With exactly 2 zones no etcd layout survives losing either: production
    // adds a member in a third site (the etcd placement stage says why).
    d.witness = d.ha && i.production() && a.zones == 2;
    Ok(())
}
