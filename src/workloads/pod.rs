//! Reading a pod template (`metadata` and `spec` of a Pod or of a
//! controller's `spec.template`) into what the scheduler looks at.

use std::collections::BTreeMap;

use super::model::{
    Container, HostPort, LabelSelector, Op, PodSpec, PodTerm, Req, Spread, Toleration,
};
use super::quantity;
use crate::plan::node::Pos;
use crate::plan::tree::At;

/// A problem at a place in the file.
pub type Bad = (Pos, String);

/// A string-to-string mapping (labels, nodeSelector, matchLabels).
pub fn string_map(at: Option<At>) -> BTreeMap<String, String> {
    at.map(|m| {
        m.entries()
            .into_iter()
            .filter_map(|(k, v)| Some((k, v.text()?)))
            .collect()
    })
    .unwrap_or_default()
}

/// A resource list (`requests`, `limits`, `overhead`): CPU in millicores,
/// everything else in units (bytes for memory and storage).
pub fn resource_list(at: Option<At>) -> Result<Vec<(String, i64)>, Bad> {
    let Some(at) = at else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (name, v) in at.entries() {
        let text = v.text().ok_or_else(|| {
            (
                v.pos,
                format!(
                    "{}: a resource quantity must be a string or a number",
                    v.path()
                ),
            )
        })?;
        let parsed = if name == "cpu" {
            quantity::milli(&text)
        } else {
            quantity::units(&text)
        };
        out.push((
            name,
            parsed.map_err(|e| (v.pos, format!("{}: {e}", v.path())))?,
        ));
    }
    Ok(out)
}

fn op(text: &str) -> Option<Op> {
    Some(match text {
        "In" => Op::In,
        "NotIn" => Op::NotIn,
        "Exists" => Op::Exists,
        "DoesNotExist" => Op::DoesNotExist,
        "Gt" => Op::Gt,
        "Lt" => Op::Lt,
        _ => return None,
    })
}

fn requirement(e: &At) -> Result<Req, Bad> {
    let key = e.get("key").and_then(|k| k.text()).unwrap_or_default();
    let o = e.get("operator");
    let op = o
        .as_ref()
        .and_then(|o| o.str())
        .and_then(op)
        .ok_or_else(|| {
            (
                o.map_or(e.pos, |o| o.pos),
                format!(
                    "{}: operator must be In, NotIn, Exists, DoesNotExist, Gt or Lt",
                    e.path()
                ),
            )
        })?;
    let values = e.get("values").map(|v| v.strings()).unwrap_or_default();
    Ok(Req { key, op, values })
}

/// A label selector (`matchLabels` and `matchExpressions`).
pub fn label_selector(at: Option<At>) -> Result<LabelSelector, Bad> {
    let Some(at) = at.filter(|a| !a.is_null()) else {
        return Ok(LabelSelector {
            reqs: Vec::new(),
            nothing: true,
        });
    };
    let mut reqs: Vec<Req> = string_map(at.get("matchLabels"))
        .into_iter()
        .map(|(key, v)| Req {
            key,
            op: Op::In,
            values: vec![v],
        })
        .collect();
    for e in at
        .get("matchExpressions")
        .map(|m| m.items())
        .unwrap_or_default()
    {
        reqs.push(requirement(&e)?);
    }
    Ok(LabelSelector {
        reqs,
        nothing: false,
    })
}

fn read_containers(at: Option<At>, init: bool) -> Result<(Vec<Container>, Vec<HostPort>), Bad> {
    let mut out = Vec::new();
    let mut ports = Vec::new();
    for c in at.map(|a| a.items()).unwrap_or_default() {
        out.push(Container {
            requests: resource_list(c.at("resources.requests"))?,
            limits: resource_list(c.at("resources.limits"))?,
            sidecar: init && c.get("restartPolicy").and_then(|r| r.str()) == Some("Always"),
        });
        for p in c.get("ports").map(|p| p.items()).unwrap_or_default() {
            if let Some(hp) = p.get("hostPort").and_then(|h| h.u32()).filter(|h| *h > 0) {
                let proto = p
                    .get("protocol")
                    .and_then(|x| x.text())
                    .unwrap_or("TCP".into());
                let ip = p
                    .get("hostIP")
                    .and_then(|x| x.text())
                    .unwrap_or("0.0.0.0".into());
                ports.push((proto, ip, hp));
            }
        }
    }
    Ok((out, ports))
}

fn node_affinity(spec: &At) -> Result<Option<Vec<Vec<Req>>>, Bad> {
    let Some(req) = spec.at("affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution")
    else {
        return Ok(None);
    };
    let mut terms = Vec::new();
    for t in req
        .get("nodeSelectorTerms")
        .map(|t| t.items())
        .unwrap_or_default()
    {
        let mut reqs = Vec::new();
        for e in t
            .get("matchExpressions")
            .map(|m| m.items())
            .unwrap_or_default()
        {
            reqs.push(requirement(&e)?);
        }
        for e in t.get("matchFields").map(|m| m.items()).unwrap_or_default() {
            let mut r = requirement(&e)?;
            r.key = format!("field:{}", r.key);
            reqs.push(r);
        }
        terms.push(reqs);
    }
    Ok(Some(terms))
}

fn pod_terms(spec: &At, kind: &str) -> Result<(Vec<PodTerm>, usize), Bad> {
    let Some(a) = spec.at(&format!("affinity.{kind}")) else {
        return Ok((Vec::new(), 0));
    };
    let soft = a
        .get("preferredDuringSchedulingIgnoredDuringExecution")
        .map_or(0, |p| p.items().len());
    let mut out = Vec::new();
    for t in a
        .get("requiredDuringSchedulingIgnoredDuringExecution")
        .map(|r| r.items())
        .unwrap_or_default()
    {
        let namespaces = match (t.get("namespaces"), t.get("namespaceSelector")) {
            (_, Some(sel)) if sel.entries().is_empty() => Some(Vec::new()),
            (Some(ns), _) => Some(ns.strings()).filter(|v| !v.is_empty()),
            _ => None,
        };
        out.push(PodTerm {
            selector: label_selector(t.get("labelSelector"))?,
            namespaces,
            topology_key: t
                .get("topologyKey")
                .and_then(|k| k.text())
                .unwrap_or_default(),
        });
    }
    Ok((out, soft))
}

fn spreads(spec: &At, labels: &BTreeMap<String, String>) -> Result<(Vec<Spread>, usize), Bad> {
    let mut out = Vec::new();
    let mut soft = 0;
    for s in spec
        .get("topologySpreadConstraints")
        .map(|s| s.items())
        .unwrap_or_default()
    {
        if s.get("whenUnsatisfiable").and_then(|w| w.str()) != Some("DoNotSchedule") {
            soft += 1;
            continue;
        }
        let mut selector = label_selector(s.get("labelSelector"))?;
        // matchLabelKeys: the incoming pod's values of those keys join the selector.
        for key in s
            .get("matchLabelKeys")
            .map(|k| k.strings())
            .unwrap_or_default()
        {
            if let Some(v) = labels.get(&key) {
                selector.reqs.push(Req {
                    key,
                    op: Op::In,
                    values: vec![v.clone()],
                });
            }
        }
        let policy = |k: &str| s.get(k).and_then(|p| p.text());
        out.push(Spread {
            max_skew: s.get("maxSkew").and_then(|m| m.u32()).unwrap_or(1).max(1),
            topology_key: s
                .get("topologyKey")
                .and_then(|k| k.text())
                .unwrap_or_default(),
            selector,
            min_domains: s.get("minDomains").and_then(|m| m.u32()),
            honor_affinity: policy("nodeAffinityPolicy").as_deref() != Some("Ignore"),
            honor_taints: policy("nodeTaintsPolicy").as_deref() == Some("Honor"),
        });
    }
    Ok((out, soft))
}

fn tolerations(spec: &At) -> Vec<Toleration> {
    spec.get("tolerations")
        .map(|t| t.items())
        .unwrap_or_default()
        .iter()
        .map(|t| Toleration {
            key: t.get("key").and_then(|k| k.text()),
            exists: t.get("operator").and_then(|o| o.str()) == Some("Exists"),
            value: t.get("value").and_then(|v| v.text()).unwrap_or_default(),
            effect: t.get("effect").and_then(|e| e.text()),
        })
        .collect()
}

/// A pod template: `meta` its metadata, `spec` its spec, in `namespace`.
pub fn pod_spec(meta: Option<At>, spec: &At, namespace: &str) -> Result<PodSpec, Bad> {
    let labels = string_map(meta.as_ref().and_then(|m| m.get("labels")));
    let (containers, mut host_ports) = read_containers(spec.get("containers"), false)?;
    let (init_containers, init_ports) = read_containers(spec.get("initContainers"), true)?;
    host_ports.extend(init_ports);
    if spec.get("hostNetwork").and_then(|h| h.bool()) == Some(true) {
        // Host network: container ports are host ports (the API server defaults them).
        for c in spec
            .get("containers")
            .map(|c| c.items())
            .unwrap_or_default()
        {
            for p in c.get("ports").map(|p| p.items()).unwrap_or_default() {
                if let Some(port) = p.get("containerPort").and_then(|h| h.u32()) {
                    let proto = p
                        .get("protocol")
                        .and_then(|x| x.text())
                        .unwrap_or("TCP".into());
                    host_ports.push((proto, "0.0.0.0".into(), port));
                }
            }
        }
    }
    host_ports.sort();
    host_ports.dedup();
    let (affinity, soft_a) = pod_terms(spec, "podAffinity")?;
    let (anti_affinity, soft_b) = pod_terms(spec, "podAntiAffinity")?;
    let (spread, soft_c) = spreads(spec, &labels)?;
    let soft_n = spec
        .at("affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution")
        .map_or(0, |p| p.items().len());
    Ok(PodSpec {
        namespace: namespace.to_string(),
        node_selector: string_map(spec.get("nodeSelector")),
        node_affinity: node_affinity(spec)?,
        tolerations: tolerations(spec),
        containers,
        init_containers,
        pod_requests: resource_list(spec.at("resources.requests"))?,
        pod_limits: resource_list(spec.at("resources.limits"))?,
        overhead: resource_list(spec.get("overhead"))?,
        host_ports,
        affinity,
        anti_affinity,
        spread,
        soft_terms: soft_a + soft_b + soft_c + soft_n,
        volumes: spec
            .get("volumes")
            .map(|v| v.items())
            .unwrap_or_default()
            .iter()
            .any(|v| v.get("persistentVolumeClaim").is_some()),
        labels,
        ..PodSpec::default()
    })
}
