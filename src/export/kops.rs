//! kOps (`kops.k8s.io/v1alpha2`): `kops-cluster.yaml`, the Cluster and its
//! InstanceGroups for `kops create -f`: one control-plane group per
//! control-plane node (each an etcd member of `main` and `events`, as kOps
//! lays them out), one node group per worker pool, the API behind a cloud
//! load balancer, and the plan's pod and service ranges.

use std::fmt::Write;

use ipnet::Ipv4Net;

use super::{header, instance_type, yaml_str};
use crate::catalog::Catalog;
use crate::plan::{ClusterPlan, Tooling};

pub const API_VERSION: &str = "kops.k8s.io/v1alpha2";

/// Amazon EFS's CSI driver.
const EFS: &str = "efs.csi.aws.com";

/// Whether a storage class of the plan uses this provisioner.
fn uses(plan: &ClusterPlan, provisioner: &str) -> bool {
    let classes = plan.spec.storage.iter().flat_map(|s| s.classes.iter());
    classes
        .into_iter()
        .any(|c| c.provisioner.as_deref() == Some(provisioner))
}

/// The cluster's kOps name: the plan's with a dot. A name without one gets
/// `.k8s.local`, which kOps builds without a DNS zone (gossip).
pub fn cluster_name(plan: &ClusterPlan) -> String {
    let name = &plan.metadata.name;
    match name.contains('.') {
        true => name.clone(),
        false => format!("{name}.k8s.local"),
    }
}

/// The control-plane instance groups: one per node, named after its zone
/// (with a number when a zone holds more than one).
pub fn control_plane_groups(plan: &ClusterPlan) -> Vec<(String, String)> {
    let zones = plan.cp_zones();
    let n = plan.cp_nodes() as usize;
    let placed: Vec<String> = (0..n).map(|i| zones[i % zones.len()].clone()).collect();
    placed
        .iter()
        .enumerate()
        .map(|(i, z)| {
            let same = placed.iter().filter(|x| *x == z).count();
            let nth = placed[..=i].iter().filter(|x| *x == z).count();
            let name = match same {
                1 => format!("control-plane-{z}"),
                _ => format!("control-plane-{z}-{nth}"),
            };
            (name, z.clone())
        })
        .collect()
}

/// The range kOps leaves unmasqueraded: the smallest one holding the pod
/// and service ranges, or the pod range alone when that one would overlap
/// the machines' network (kOps refuses the overlap; pods must be inside).
pub fn non_masquerade(pod: Ipv4Net, svc: Option<Ipv4Net>, network: Option<Ipv4Net>) -> Ipv4Net {
    let Some(svc) = svc else { return pod };
    let mut len = pod.prefix_len().min(svc.prefix_len());
    let wide = loop {
        let a = Ipv4Net::new(pod.network(), len).map(|n| n.trunc());
        let b = Ipv4Net::new(svc.network(), len).map(|n| n.trunc());
        match (a, b) {
            (Ok(a), Ok(b)) if a == b => break a,
            _ if len == 0 => break pod.supernet().unwrap_or(pod),
            _ => len -= 1,
        }
    };
    let overlaps =
        |n: Ipv4Net| network.is_some_and(|m| n.contains(&m.network()) || m.contains(&n.network()));
    match overlaps(wide) {
        true => pod,
        false => wide,
    }
}

fn network(out: &mut String, c: &Catalog, plan: &ClusterPlan) {
    let net = plan.spec.network.as_ref();
    // kOps takes the network's range where subnets are zonal (AWS); on
    // regional subnets (GCE) it sizes the region's one subnet itself.
    let zonal = !plan.spec.platform.regional_subnets();
    let default = c.tool(Tooling::Kops).and_then(|t| t.network_cidr.clone());
    let machines = net
        .and_then(|n| n.vpc_cidr.clone())
        .or(default)
        .filter(|_| zonal);
    if let Some(m) = &machines {
        let _ = writeln!(out, "  networkCIDR: {m}");
    }
    out.push_str("  networking:\n    cilium: {}\n");
    let parse = |s: &str| s.parse::<Ipv4Net>().ok();
    if let Some(n) = net {
        if let Some(pod) = n.pod_cidr.as_deref().and_then(parse) {
            let nm = non_masquerade(
                pod,
                parse(&n.service_cidr),
                machines.as_deref().and_then(parse),
            );
            let _ = writeln!(out, "  nonMasqueradeCIDR: {nm}\n  podCIDR: {pod}");
        }
        let _ = writeln!(out, "  serviceClusterIPRange: {}", n.service_cidr);
    }
    out.push_str("  subnets:\n");
    match zonal {
        true => {
            // A subnet for every zone a group runs in: the cluster's, and a
            // two-zone cluster's third control-plane zone (kOps refuses an
            // instance group in a subnet the cluster does not define).
            let mut zones = plan.zones();
            for z in plan.cp_zones().into_iter().chain(plan.etcd_zones()) {
                if !zones.contains(&z) {
                    zones.push(z);
                }
            }
            for z in zones {
                let _ = writeln!(
                    out,
                    "    - {{name: {0}, zone: {0}, type: Public}}",
                    yaml_str(&z)
                );
            }
        }
        false => {
            let r = gce_region(plan);
            let _ = writeln!(
                out,
                "    - {{name: {0}, region: {0}, type: Public}}",
                yaml_str(&r)
            );
        }
    }
}

/// The GCE region of the plan's first zone (`us-central1-a` → `us-central1`).
fn gce_region(plan: &ClusterPlan) -> String {
    super::dash_region(&plan.zones()[0])
}

fn cluster(out: &mut String, c: &Catalog, plan: &ClusterPlan, name: &str) {
    let _ = writeln!(
        out,
        "apiVersion: {API_VERSION}\nkind: Cluster\nmetadata:\n  name: {}\nspec:",
        yaml_str(name)
    );
    // kOps's own settings per cloud (its `cloudProvider` names): GCE builds
    // in a project; on AWS the API's load balancer is an NLB.
    let cloud = plan.spec.platform.kops_name().unwrap_or_default();
    let _ = writeln!(out, "  cloudProvider: {cloud}");
    if cloud == "gce" {
        out.push_str(
            "  project: PLACEHOLDER-gcp-project  # the Google Cloud project to build in\n",
        );
    }
    out.push_str("  api:\n    loadBalancer:\n      type: Public\n");
    if cloud == "aws" {
        out.push_str("      class: Network\n");
    }
    if uses(plan, EFS) {
        // kOps installs no EFS CSI driver: the apply steps install it, and
        // its controller (on the nodes) needs this policy on their role
        // (kOps docs/iam_roles.md, externalPolicies; aws-efs-csi-driver
        // docs/iam-policy-create.md).
        out.push_str("  externalPolicies:\n    node:\n      - arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy\n");
    }
    out.push_str("  etcdClusters:\n");
    let groups = control_plane_groups(plan);
    for cluster in ["main", "events"] {
        let _ = writeln!(out, "    - name: {cluster}\n      etcdMembers:");
        for (g, _) in &groups {
            let member = g.trim_start_matches("control-plane-");
            let _ = writeln!(
                out,
                "        - {{name: {}, instanceGroup: {}}}",
                yaml_str(member),
                yaml_str(g)
            );
        }
    }
    out.push_str("  # Who may reach the API and SSH: narrow these to your networks.\n");
    out.push_str("  kubernetesApiAccess: [0.0.0.0/0]\n  sshAccess: [0.0.0.0/0]\n");
    network(out, c, plan);
}

fn group(out: &mut String, cluster: &str, name: &str, role: &str, spec: &str) {
    let _ = writeln!(
        out,
        "---\napiVersion: {API_VERSION}\nkind: InstanceGroup\nmetadata:\n  name: {}\n  labels:\n    kops.k8s.io/cluster: {}\nspec:\n  role: {role}\n{spec}",
        yaml_str(name),
        yaml_str(cluster)
    );
}

/// Where a group's machines go: subnets named after zones on AWS; on GCE
/// the region's one subnet, with the zones listed.
fn placement(plan: &ClusterPlan, zones: &[String]) -> String {
    let list = |v: &[String]| v.iter().map(|z| yaml_str(z)).collect::<Vec<_>>().join(", ");
    match !plan.spec.platform.regional_subnets() {
        true => format!("  subnets: [{}]\n", list(zones)),
        false => format!(
            "  subnets: [{}]\n  zones: [{}]\n",
            yaml_str(&gce_region(plan)),
            list(zones)
        ),
    }
}

/// `kops-cluster.yaml`: `kops create -f kops-cluster.yaml`.
pub fn config(plan: &ClusterPlan, c: &Catalog) -> String {
    let mut out = header(
        plan,
        None,
        "#",
        "kops-cluster.yaml (kops create -f kops-cluster.yaml)",
    );
    let name = cluster_name(plan);
    cluster(&mut out, c, plan, &name);
    let cp = &plan.spec.control_plane;
    let cp_machine = cp.machine.clone().unwrap_or_else(|| {
        let (cpu, memory_gib) = crate::sizing::control_plane_machine(c, plan.k8s_nodes());
        crate::plan::Machine {
            cpu,
            memory_gib,
            disk_gib: None,
            disk: None,
        }
    });
    let cp_type = instance_type(c, plan, &cp_machine, None);
    for (g, zone) in control_plane_groups(plan) {
        let mut spec = format!("  machineType: {cp_type}\n  minSize: 1\n  maxSize: 1\n");
        spec.push_str(&placement(plan, std::slice::from_ref(&zone)));
        if let Some(d) = cp_machine.disk_gib {
            let _ = writeln!(spec, "  rootVolumeSize: {}", d.ceil() as u64);
        }
        group(&mut out, &name, &g, "Master", spec.trim_end());
    }
    for p in &plan.spec.workers {
        let inst = instance_type(c, plan, &p.machine, p.instance_type.as_deref());
        let mut spec = format!(
            "  machineType: {inst}\n  minSize: {n}\n  maxSize: {n}\n",
            n = p.nodes
        );
        spec.push_str(&placement(plan, &plan.pool_zones(p)));
        if let Some(d) = p.machine.disk_gib {
            let _ = writeln!(spec, "  rootVolumeSize: {}", d.ceil() as u64);
        }
        let _ = writeln!(spec, "  kubelet:\n    maxPods: {}", c.max_pods(p));
        if !p.taints.is_empty() {
            let list = p
                .taints
                .iter()
                .map(|t| yaml_str(t))
                .collect::<Vec<_>>()
                .join(", ");
            let _ = writeln!(spec, "  taints: [{list}]");
        }
        group(
            &mut out,
            &name,
            &format!("nodes-{}", p.name),
            "Node",
            spec.trim_end(),
        );
    }
    out
}
