//! Kubernetes Node objects (`--node-template`, `--nodes`): a node's
//! allocatable, labels and taints, used as they are.

use std::collections::BTreeMap;

use super::cluster::{ZONE, ZONE_BETA};
use super::model::{Res, Taint};
use super::pod::{resource_list, string_map};
use crate::plan::tree::At;
use crate::plan::LoadError;

/// One Node object.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeObject {
    pub name: String,
    pub alloc: Res,
    pub max_pods: u32,
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<Taint>,
}

impl NodeObject {
    pub fn zone(&self) -> Option<&str> {
        self.labels
            .get(ZONE)
            .or(self.labels.get(ZONE_BETA))
            .map(String::as_str)
    }
}

/// One Node object's name, allocatable, labels and taints.
pub fn node(o: &At) -> Result<NodeObject, (crate::plan::node::Pos, String)> {
    let name = o.name().unwrap_or("node").to_string();
    let list = resource_list(o.at("status.allocatable").or(o.at("status.capacity")))?;
    if list.is_empty() {
        return Err((
            o.pos,
            format!("Node {name}: no status.allocatable (kubectl get node -o yaml prints it)"),
        ));
    }
    let mut alloc = Res::default();
    let mut max_pods = 110;
    for (n, v) in list {
        if n == "pods" {
            max_pods = u32::try_from(v).unwrap_or(u32::MAX);
        } else {
            alloc.set(&n, v);
        }
    }
    let taints = o
        .at("spec.taints")
        .map(|t| t.items())
        .unwrap_or_default()
        .iter()
        .map(|t| Taint {
            key: t.get("key").and_then(|k| k.text()).unwrap_or_default(),
            value: t.get("value").and_then(|k| k.text()).unwrap_or_default(),
            effect: t.get("effect").and_then(|k| k.text()).unwrap_or_default(),
        })
        .collect();
    let mut labels = string_map(o.at("metadata.labels"));
    labels
        .entry(super::cluster::HOSTNAME.to_string())
        .or_insert(name.clone());
    Ok(NodeObject {
        name,
        alloc,
        max_pods,
        labels,
        taints,
    })
}

fn collect(o: &At, out: &mut Vec<NodeObject>) -> Result<(), (crate::plan::node::Pos, String)> {
    match o.kind() {
        Some(k) if k.ends_with("List") => {
            for i in o.get("items").map(|i| i.items()).unwrap_or_default() {
                collect(&i, out)?;
            }
        }
        Some("Node") => out.push(node(o)?),
        // kubectl get nodes,pods: the pods are read as workloads elsewhere.
        Some(_) => {}
        None if o.at("status.allocatable").is_some() => out.push(node(o)?),
        None => return Err((o.pos, "not a Kubernetes object: no `kind`".into())),
    }
    Ok(())
}

/// The Node objects of files (a `List`, a `NodeList`, or single Nodes).
pub fn read_nodes(paths: &[String]) -> Result<Vec<NodeObject>, LoadError> {
    let mut out = Vec::new();
    for arg in paths {
        for file in super::read::expand(arg)? {
            let source = crate::plan::load::read_source(&file)?;
            for doc in super::read::documents(&source)? {
                collect(&At::root(&doc), &mut out).map_err(|(pos, reason)| LoadError::Parse {
                    path: source.name.clone(),
                    line: pos.line,
                    column: pos.column,
                    reason,
                })?;
            }
        }
    }
    if out.is_empty() {
        return Err(LoadError::Read {
            path: paths.join(", "),
            reason: "no Node object (kubectl get nodes -o yaml prints them)".into(),
        });
    }
    Ok(out)
}
