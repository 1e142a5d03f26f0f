//! Installers' own checks: what eksctl, kOps, kubeadm, Kubespray and Cluster
//! API refuse in their own files, reported where the file says it, before
//! the tool does. The importers (`src/import/`) find these, where the value
//! is in the original file; the checks cite the tool's source.

use super::prelude::*;

pub const GROUP: &str = "Installer checks";

rule! {
    EKSCTL_TOO_FEW_ZONES: "eksctl-too-few-zones", Always(Error), None,
    summary: "An eksctl ClusterConfig with fewer than 2 availability zones.",
    what: "`availabilityZones` in an eksctl ClusterConfig with one zone (eksctl `pkg/apis/eksctl.io/v1alpha5/validation.go`, validateAvailabilityZones: MinRequiredAvailabilityZones is 2). EKS local clusters on AWS Outposts are exempt.",
    why: "The EKS control plane needs subnets in at least two availability zones; eksctl refuses the file with \"only 1 zone(s) specified, 2 are required\" before it creates anything.",
    fix: "List at least 2 availability zones (3 let the nodes survive a zone's loss), or leave `availabilityZones` out and eksctl picks them.",
    near_miss: [("availabilityZones: [us-east-1a]", "availabilityZones: [us-east-1a, us-east-1b, us-east-1c]")],
}

rule! {
    KOPS_ETCD_EVEN_MEMBERS: "kops-etcd-even-members", Always(Error), None,
    summary: "A kOps etcd cluster with an even number of members (or none).",
    what: "Each of a kOps Cluster's `etcdClusters` (main, events) against kOps' validation (`pkg/apis/kops/validation/validation.go`, validateEtcdClusterSpec): no members is \"No members defined in etcd cluster\", an even count \"Should be an odd number of control-plane-zones for quorum\".",
    why: "kOps refuses the cluster spec: `kops create` and `kops update cluster` stop on it. An even member count would add a machine that can fail without adding tolerance.",
    fix: "Give each etcd cluster one member per control-plane instance group, 3 (or 5), one group per zone.",
    near_miss: [("    - instanceGroup: control-plane-us-east-1b\n      name: b\n    name: main", "    - instanceGroup: control-plane-us-east-1b\n      name: b\n    - instanceGroup: control-plane-us-east-1c\n      name: c\n    name: main")],
}

rule! {
    KUBEADM_NO_CONTROL_PLANE_ENDPOINT: "kubeadm-no-control-plane-endpoint", Always(Error), None,
    summary: "A kubeadm control-plane join without a controlPlaneEndpoint.",
    what: "A kubeadm file whose JoinConfiguration adds a control-plane node (`controlPlane:`) while its ClusterConfiguration sets no `controlPlaneEndpoint` (kubeadm `cmd/kubeadm/app/cmd/join.go`).",
    why: "kubeadm refuses to add a control-plane node to a cluster that has no stable controlPlaneEndpoint address: each API server would be reached by its own address, and the first node's address is baked into every kubeconfig.",
    fix: "Set `controlPlaneEndpoint: \"LOAD_BALANCER:PORT\"` (a load balancer, a virtual IP or a DNS name for all API servers) before `kubeadm init`.",
    near_miss: [("kind: ClusterConfiguration\n", "kind: ClusterConfiguration\ncontrolPlaneEndpoint: \"k8s-api.example.com:6443\"\n")],
}

rule! {
    KUBESPRAY_CONTROL_PLANE_EMPTY: "kubespray-control-plane-empty", Always(Error), None,
    summary: "A Kubespray inventory with no control-plane hosts.",
    what: "The `kube_control_plane` group (or the older `kube-master`) with no hosts (Kubespray `roles/validate_inventory`: \"Stop if kube_control_plane group is empty\"; skipped when `ignore_assert_errors` is true).",
    why: "Kubespray stops before it installs anything; a cluster needs at least one control-plane node.",
    fix: "List the control-plane hosts under `[kube_control_plane]`: 3 for a control plane that survives a failure.",
    near_miss: [("[kube_control_plane]  # <- fires here\n", "[kube_control_plane]\nnode1\n")],
}

rule! {
    KUBESPRAY_ETCD_EVEN: "kubespray-etcd-even", Always(Error), None,
    summary: "A Kubespray inventory with an even number of etcd hosts, or none.",
    what: "The hosts of the `etcd` group (the control plane's when there is no etcd group), against Kubespray's `roles/validate_inventory`: \"Stop if even number of etcd hosts\" (whatever `etcd_deployment_type`), and \"Group 'etcd' cannot be empty in external etcd mode\". Both are skipped when `ignore_assert_errors` is true.",
    why: "Kubespray stops before it installs anything; an even etcd tolerates no more failures than one member fewer.",
    fix: "Put an odd number of hosts in `[etcd]`: 3 (tolerates 1 failure) or 5 (tolerates 2).",
    near_miss: [("node2\n\n[etcd", "node2\nnode3\n\n[etcd")],
}

rule! {
    CLUSTER_API_EVEN_STACKED_CONTROL_PLANE: "cluster-api-even-stacked-control-plane", Always(Error), None,
    summary: "A Cluster API control plane with an even number of replicas and stacked etcd.",
    what: "A KubeadmControlPlane (or a Cluster's `topology.controlPlane`) with even `replicas` and no external etcd (Cluster API `controlplane/kubeadm/webhooks/admission/kubeadmcontrolplane.go`: \"cannot be an even number when etcd is stacked\").",
    why: "The KubeadmControlPlane admission webhook refuses the object, so `kubectl apply` fails; an even stacked etcd tolerates no more failures than one member fewer.",
    fix: "Use an odd number of replicas: 3 (tolerates 1 failure) or 5.",
    near_miss: [("replicas: 2", "replicas: 3")],
}
