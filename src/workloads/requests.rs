//! A pod's requests as kube-scheduler counts them: `PodRequests` of
//! kubernetes `staging/src/k8s.io/component-helpers/resource/helpers.go`,
//! after the API server's defaults (`pkg/apis/core/v1/defaults.go`: a
//! request defaults to its limit) and a namespace's LimitRange defaults (the
//! LimitRanger admission plugin).

use super::model::{Container, PodSpec, Res};

/// A LimitRange's `type: Container` defaults.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LimitDefaults {
    pub namespace: String,
    /// `defaultRequest`, which itself defaults to `default`.
    pub default_request: Vec<(String, i64)>,
}

fn to_res(list: &[(String, i64)]) -> Res {
    let mut r = Res::default();
    for (n, v) in list {
        r.set(n, *v);
    }
    r
}

fn fill(into: &mut Vec<(String, i64)>, from: &[(String, i64)]) {
    for (n, v) in from {
        if !into.iter().any(|(m, _)| m == n) {
            into.push((n.clone(), *v));
        }
    }
}

/// What a pod's requests become once created: a limit without a request
/// becomes the request (the API server, for containers and pod-level
/// resources), then the namespace's LimitRange fills requests still missing.
pub fn apply_defaults(p: &mut PodSpec, limits: Option<&LimitDefaults>) {
    let each = |c: &mut Container| {
        let lim = c.limits.clone();
        fill(&mut c.requests, &lim);
        if let Some(lr) = limits {
            let declared: Vec<(String, i64)> = c.requests.clone();
            let mut add = lr.default_request.clone();
            add.retain(|(n, _)| !declared.iter().any(|(m, _)| m == n));
            c.requests.extend(add);
        }
    };
    p.containers.iter_mut().for_each(each);
    p.init_containers.iter_mut().for_each(each);
    let lim = p.pod_limits.clone();
    if !p.pod_limits.is_empty() {
        fill(&mut p.pod_requests, &lim);
    }
}

/// `PodRequests` with the scheduler's options: `AggregateContainerRequests`
/// (containers, then the largest init container beside the sidecars started
/// before it), pod-level requests for cpu and memory, then `spec.overhead`.
pub fn pod_requests(p: &PodSpec) -> Res {
    let mut reqs = Res::default();
    for c in &p.containers {
        reqs.add(&to_res(&c.requests));
    }
    let mut sidecars = Res::default();
    let mut init = Res::default();
    for c in &p.init_containers {
        let own = to_res(&c.requests);
        let this = if c.sidecar {
            reqs.add(&own);
            sidecars.add(&own);
            sidecars.clone()
        } else {
            let mut t = own;
            t.add(&sidecars);
            t
        };
        init.max_with(&this);
    }
    reqs.max_with(&init);
    for (n, v) in &p.pod_requests {
        if matches!(n.as_str(), "cpu" | "memory") || n.starts_with("hugepages-") {
            reqs.set(n, *v);
        }
    }
    reqs.add(&to_res(&p.overhead));
    reqs
}

/// Fills `requests` and `best_effort` of a pod whose defaults are applied.
pub fn finish(p: &mut PodSpec) {
    p.requests = pod_requests(p);
    let declared = p
        .containers
        .iter()
        .chain(&p.init_containers)
        .any(|c| !c.requests.is_empty() || !c.limits.is_empty())
        || !p.pod_requests.is_empty();
    p.best_effort = !declared;
}
