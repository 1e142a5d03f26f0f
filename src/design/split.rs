//! The worker instance type, and the split into clusters: as few clusters
//! as the platform's limits allow, each a copy of the same plan.

use super::{etcd, DesignError, Draft, Input, Topic};
use crate::plan::Traffic;
use crate::prose::{num, plural};
use crate::sizing::{effective_pods, rank_instances, workers_for, Choice, Demand};

pub fn run(i: &Input, d: &mut Draft) -> Result<(), DesignError> {
    if i.learning() {
        return Ok(());
    }
    let (c, a) = (i.c, i.a);
    let production = i.production();
    let burst = a.traffic == Traffic::Burst;
    let demand = Demand {
        pods: a.pods,
        requests: i.requests(),
        zones: a.zones,
        burst,
        production,
        managed: d.managed.is_some(),
        arch: a.arch,
        prefix_delegation: false,
        types: i.machines.types.for_purpose(a.purpose),
    };
    let choice = choose(i, d, &demand)?;
    let limits = c.limits(a.platform, d.managed.is_some());
    // The sizing engine's count already respects the limits; a topology with
    // more control-plane nodes than it assumed may need one cluster more.
    // Every cluster holds at least one pod, so the search ends by `pods`.
    let first = choice.clusters.max(1);
    let last = a.pods.max(first);
    let at = |count: u64| {
        let share = a.pods.div_ceil(count);
        let workers = workers_for(
            effective_pods(c, share, burst),
            choice.pods_per_node,
            a.zones,
            production,
        );
        let (topo, cp) = etcd::topology(i, d, workers);
        let nodes = workers + u64::from(cp) + u64::from(super::system_pool::nodes(i, d));
        // Where pods take VPC addresses, one VPC must hold them too.
        let addresses = super::vpc::model(i, d.managed.is_some()).is_none_or(|vpc| {
            super::vpc::fits(i, vpc, workers, choice.max_pods, &choice.instance_type)
        });
        let ok = nodes <= limits.max_nodes
            && share <= limits.max_pods
            && share <= limits.max_containers
            && addresses;
        ok.then_some((count, share, workers, topo, cp))
    };
    let fits = fewest(first, last, &at).and_then(at);
    let (count, share, workers, topo, cp) = fits.ok_or_else(|| i.nothing_fits())?;
    (d.clusters, d.share, d.workers, d.topology, d.cp_nodes) = (count, share, workers, topo, cp);
    d.plan.spec.workload = Some(i.workload(share, a.apps.div_ceil(count)));
    d.choice = Some(choice);
    Ok(())
}

/// The workers' type: the pinned one, or the ranking's first (fewest
/// clusters first, each one more control plane to run, then cost); the
/// next three are kept as runners-up.
fn choose(i: &Input, d: &mut Draft, demand: &Demand) -> Result<Choice, DesignError> {
    let mut ranked = rank_instances(i.c, i.a.platform, demand);
    ranked.sort_by_key(|c| c.clusters); // stable: cost order within a count
    let best = ranked.first().cloned();
    let pin = i.machines.pinned(None).or(i.machines.server.map(|_| ""));
    let choice = match pin {
        Some(name) => super::pinned::size(i, demand, name)?,
        None => best.ok_or_else(|| i.nothing_fits())?,
    };
    d.runners_up = ranked
        .iter()
        .filter(|c| c.instance_type != choice.instance_type)
        .take(3)
        .map(|c| super::RunnerUp {
            instance_type: c.instance_type.clone(),
            nodes: c.nodes,
            monthly_cost: c.monthly_cost,
            why_not: super::options::why_not(&choice, c),
        })
        .collect();
    Ok(choice)
}

/// The smallest count in `first..=last` that `at` accepts: a count that fits
/// keeps fitting with more clusters (each carries fewer pods), so the search
/// gallops up from `first` and then halves the gap; at most ~2 log2(last)
/// tries, and none at all past `last`.
fn fewest<T>(first: u64, last: u64, at: &dyn Fn(u64) -> Option<T>) -> Option<u64> {
    let (mut lo, mut step) = (first, 1u64);
    let mut hi = loop {
        let probe = lo.saturating_add(step - 1).min(last);
        if at(probe).is_some() {
            break probe;
        }
        if probe == last {
            return None;
        }
        lo = probe + 1;
        step = step.saturating_mul(2);
    };
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if at(mid).is_some() {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Some(hi)
}

/// The finished plans: one per cluster, named `-1`, `-2`, …, the pods
/// shared out exactly.
pub fn replicate(i: &Input, d: &mut Draft) -> Result<(), DesignError> {
    let (a, count) = (i.a, d.clusters);
    let by_limits = d.choice.as_ref().map_or(1, |c| c.clusters);
    if count > by_limits && super::vpc::model(i, d.managed.is_some()).is_some() {
        d.why(
            Topic::Clusters,
            format!("clusters: {count}"),
            format!(
                "the platform's limits allow {} but one VPC does not hold the addresses: eksctl's largest VPC (a /16, split into a public and a private subnet per zone) gives each zone's private subnet room for {} nodes of this type, so {count} clusters of up to {} pods on {} nodes, each a plan; VPC CNI prefix delegation or custom networking (pods in secondary VPC ranges) would hold more per cluster, which kubeplan does not design yet",
                plural(by_limits, "cluster", "clusters"),
                num(d.workers.div_ceil(u64::from(a.zones.max(1)))),
                num(a.pods.div_ceil(count)),
                num(d.plan.k8s_nodes())
            ),
        );
    } else if count > 1 {
        let limits = i.c.limits(a.platform, d.managed.is_some());
        d.why(
            Topic::Clusters,
            format!("clusters: {count}"),
            format!(
                "{} at peak is more than one cluster holds on {} (at most {} pods and {} nodes each): {count} clusters of up to {} pods on {} nodes, each a plan; spread the applications over them",
                plural(a.pods, "pod", "pods"),
                d.managed
                    .map(|t| t.as_str().to_uppercase())
                    .unwrap_or_else(|| format!("{} (upstream limits)", a.platform)),
                num(limits.max_pods),
                num(limits.max_nodes),
                num(a.pods.div_ceil(count)),
                num(d.plan.k8s_nodes())
            ),
        );
    }
    d.plans = (0..count)
        .map(|n| {
            let mut p = d.plan.clone();
            if count > 1 {
                let suffix = format!("-{}", n + 1);
                let base: String = i.name.chars().take(63 - suffix.len()).collect();
                p.metadata.name = format!("{}{suffix}", base.trim_end_matches('-'));
                if let Some(w) = p.spec.workload.as_mut() {
                    w.pods = a.pods / count + u64::from(n < a.pods % count);
                }
            }
            p
        })
        .collect();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::fewest;

    #[test]
    fn fewest_is_the_first_count_that_fits() {
        for first in 1..6u64 {
            for last in first..40 {
                for threshold in 0..45u64 {
                    let at = |n: u64| (n >= threshold).then_some(());
                    let linear = (first..=last).find(|n| *n >= threshold);
                    assert_eq!(
                        fewest(first, last, &at),
                        linear,
                        "{first}..={last} >= {threshold}"
                    );
                }
            }
        }
    }
}
