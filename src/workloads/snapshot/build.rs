//! A snapshot's Node and Pod objects into the nodes and workloads a plan
//! and a packing need: pods grouped by the object that owns them (a
//! ReplicaSet's pods by its Deployment), finished pods dropped, requests
//! as the API server stored them.

use std::collections::HashMap;
use std::sync::Arc;

use super::{EtcdMember, SnapNode, Snapshot};
use crate::plan::node::Pos;
use crate::plan::tree::At;
use crate::workloads::model::{Kind, PodSpec, Res, Workload};
use crate::workloads::pod::{pod_spec, resource_list, Bad};

/// Labels and taints that say a node runs the control plane.
const CONTROL_PLANE: [&str; 2] = [
    "node-role.kubernetes.io/control-plane",
    "node-role.kubernetes.io/master",
];

/// Collects objects into a snapshot.
#[derive(Default)]
pub struct Builder {
    pub snap: Snapshot,
    /// (namespace, kind, owner name) -> workloads of that owner (one per pod shape).
    owners: HashMap<(String, Kind, String), Vec<usize>>,
    /// Pods waiting for their node's index: (workload, node name, pod name).
    pods: Vec<(usize, Option<String>, String)>,
}

impl Builder {
    /// One object: a Node, a Pod, or a List of them; other kinds are counted.
    pub fn object(&mut self, o: &At, file: &Arc<str>, pos: Pos) -> Result<(), Bad> {
        match o.kind() {
            Some(k) if k.ends_with("List") => {
                for i in o.get("items").map(|i| i.items()).unwrap_or_default() {
                    let at = match i.pos.line {
                        0 => pos,
                        _ => i.pos,
                    };
                    self.object(&i, file, at)?;
                }
                Ok(())
            }
            Some("Node") => self.node(o, file, pos),
            Some("Pod") => self.pod(o, file, pos),
            // The insights archive drops apiVersion and kind: the shape says.
            None if o.at("status.nodeInfo").is_some() => self.node(o, file, pos),
            None if o.get("spec").and_then(|s| s.get("containers")).is_some() => {
                self.pod(o, file, pos)
            }
            Some(k) => {
                *self.snap.skipped.entry(k.to_string()).or_default() += 1;
                Ok(())
            }
            None => Err((pos, "not a Kubernetes object: no `kind`".into())),
        }
    }

    fn node(&mut self, o: &At, file: &Arc<str>, pos: Pos) -> Result<(), Bad> {
        let obj = crate::workloads::nodes::node(o)?;
        let capacity = resource_list(o.at("status.capacity"))?;
        let mut cap = Res::default();
        let mut cap_pods = obj.max_pods;
        for (n, v) in capacity {
            match n.as_str() {
                "pods" => cap_pods = u32::try_from(v).unwrap_or(u32::MAX),
                _ => cap.set(&n, v),
            }
        }
        if cap.cpu == 0 {
            cap = obj.alloc.clone();
        }
        let provider = o
            .at("spec.providerID")
            .and_then(|p| p.text())
            .and_then(|p| p.split_once("://").map(|(s, _)| s.to_string()));
        let control_plane = CONTROL_PLANE.iter().any(|k| obj.labels.contains_key(*k))
            || obj
                .taints
                .iter()
                .any(|t| CONTROL_PLANE.contains(&t.key.as_str()));
        let ready = o
            .at("status.conditions")
            .map(|c| c.items())
            .unwrap_or_default()
            .iter()
            .find(|c| c.get("type").and_then(|t| t.text()).as_deref() == Some("Ready"))
            .is_none_or(|c| c.get("status").and_then(|s| s.text()).as_deref() == Some("True"));
        self.snap.nodes.push(SnapNode {
            obj,
            capacity: cap,
            capacity_pods: cap_pods,
            provider,
            control_plane,
            ready,
            file: file.clone(),
            pos,
        });
        Ok(())
    }

    fn pod(&mut self, o: &At, file: &Arc<str>, pos: Pos) -> Result<(), Bad> {
        let phase = o.at("status.phase").and_then(|p| p.text());
        if matches!(phase.as_deref(), Some("Succeeded" | "Failed")) {
            self.snap.finished += 1;
            return Ok(());
        }
        let ns = o
            .at("metadata.namespace")
            .and_then(|n| n.text())
            .unwrap_or_else(|| "default".into());
        let name = o.name().unwrap_or("").to_string();
        let Some(spec) = o.get("spec") else {
            return Err((pos, format!("Pod {ns}/{name}: no spec")));
        };
        let mut pod = pod_spec(o.get("metadata"), &spec, &ns)?;
        crate::workloads::requests::finish(&mut pod);
        let node = spec.get("nodeName").and_then(|n| n.text());
        let (kind, owner) = owner(o, &pod, &name);
        if ns == "kube-system" && name.starts_with("etcd-")
            || ns == "openshift-etcd" && name.starts_with("etcd-")
        {
            self.snap.etcd.push(EtcdMember {
                pod: format!("{ns}/{name}"),
                node: node.clone(),
            });
        }
        let w = self.workload(kind, &ns, &owner, pod, file, pos);
        self.pods.push((w, node, name));
        Ok(())
    }

    /// The workload of an owner whose pods have this shape (a new one when
    /// a pod's requests or constraints differ from its siblings').
    fn workload(
        &mut self,
        kind: Kind,
        ns: &str,
        owner: &str,
        pod: PodSpec,
        file: &Arc<str>,
        pos: Pos,
    ) -> usize {
        let key = (ns.to_string(), kind, owner.to_string());
        let set = &mut self.snap.set;
        let same = |w: &Workload| {
            w.pod.requests == pod.requests
                && w.pod.spread == pod.spread
                && w.pod.anti_affinity == pod.anti_affinity
                && w.pod.node_selector == pod.node_selector
                && w.pod.tolerations == pod.tolerations
        };
        let known = self.owners.entry(key).or_default();
        if let Some(&i) = known.iter().find(|&&i| same(&set.workloads[i])) {
            set.workloads[i].pods += 1;
            return i;
        }
        set.workloads.push(Workload {
            kind,
            namespace: ns.to_string(),
            name: owner.to_string(),
            pods: 1,
            pod: Arc::new(pod),
            file: file.clone(),
            pos,
            notes: Vec::new(),
            hpa: None,
        });
        known.push(set.workloads.len() - 1);
        set.workloads.len() - 1
    }

    /// The snapshot, each pod on its node (by name).
    pub fn finish(mut self) -> Snapshot {
        let index: HashMap<&str, u32> = self
            .snap
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.obj.name.as_str(), i as u32))
            .collect();
        let mut placed = vec![Vec::new(); self.snap.set.workloads.len()];
        for (w, node, name) in self.pods {
            match node.as_deref().map(|n| index.get(n).copied()) {
                Some(Some(i)) => placed[w].push((Some(i), name)),
                None => placed[w].push((None, name)),
                // On a node the snapshot does not hold: not this cluster's to place.
                Some(None) => {
                    self.snap.elsewhere += 1;
                    self.snap.set.workloads[w].pods -= 1;
                }
            }
        }
        self.snap.placed = placed;
        // A workload whose every pod was elsewhere is none of this snapshot's.
        self.snap.set.workloads.retain(|w| w.pods > 0);
        self.snap.placed.retain(|p| !p.is_empty());
        self.snap
    }
}

/// What made a pod, by its controller reference: a ReplicaSet's pods are
/// their Deployment's (the ReplicaSet's name less the `pod-template-hash`),
/// a Node's are static pods; none is a bare Pod.
fn owner(o: &At, pod: &PodSpec, name: &str) -> (Kind, String) {
    let refs = o
        .at("metadata.ownerReferences")
        .map(|r| r.items())
        .unwrap_or_default();
    let controller = refs
        .iter()
        .find(|r| r.get("controller").and_then(|c| c.bool()) == Some(true))
        .or(refs.first());
    let Some(r) = controller else {
        return (Kind::Pod, name.to_string());
    };
    let kind = r.get("kind").and_then(|k| k.text()).unwrap_or_default();
    let owner = r.get("name").and_then(|k| k.text()).unwrap_or_default();
    match kind.as_str() {
        "ReplicaSet" => {
            let hash = pod.labels.get("pod-template-hash");
            match hash.and_then(|h| owner.strip_suffix(&format!("-{h}"))) {
                Some(d) => (Kind::Deployment, d.to_string()),
                None => (Kind::ReplicaSet, owner),
            }
        }
        "Node" => (Kind::StaticPod, name.to_string()),
        k => (Kind::parse(k).unwrap_or(Kind::ReplicaSet), owner),
    }
}
