//! The lint rules that code below `lint` names: an importer reports a
//! tool's own check on its file as a rule, and silences the rules whose
//! premise a file rules out. A typed handle each, so a misspelt id cannot
//! slip through; a test holds every one to a rule of the registry.

macro_rules! rule_refs {
    ($($(#[$doc:meta])* $variant:ident = $id:literal),+ $(,)?) => {
        /// A lint rule, by handle.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum RuleRef {
            $($(#[$doc])* $variant),+
        }

        impl RuleRef {
            pub const ALL: &'static [RuleRef] = &[$(RuleRef::$variant),+];

            /// The rule's id.
            pub fn id(self) -> &'static str {
                match self {
                    $(RuleRef::$variant => $id),+
                }
            }
        }
    };
}

rule_refs! {
    /// eksctl's check: at least two availability zones.
    EksctlTooFewZones = "eksctl-too-few-zones",
    /// kOps's check: an odd number of members in every etcd cluster.
    KopsEtcdEvenMembers = "kops-etcd-even-members",
    /// kubeadm's check: a control-plane join needs a controlPlaneEndpoint.
    KubeadmNoControlPlaneEndpoint = "kubeadm-no-control-plane-endpoint",
    /// Kubespray's check: an odd, non-empty etcd group.
    KubesprayEtcdEven = "kubespray-etcd-even",
    /// Kubespray's check: a non-empty control plane.
    KubesprayControlPlaneEmpty = "kubespray-control-plane-empty",
    /// Cluster API's KubeadmControlPlane webhook: odd replicas with stacked etcd.
    ClusterApiEvenStackedControlPlane = "cluster-api-even-stacked-control-plane",
    /// The platform a tool runs on.
    ToolingPlatformMismatch = "tooling-platform-mismatch",
    /// The pod range against one range per node.
    NetworkPodCidrTooSmall = "network-pod-cidr-too-small",
    /// A node's pod range against its max pods.
    NetworkNodeCidrTooSmall = "network-node-cidr-too-small",
}

/// The rules that assume each node takes a range of the pod CIDR, which a
/// CNI handing out its own blocks (Calico's IPAM) does not.
pub const PER_NODE_RANGE_RULES: &[RuleRef] = &[
    RuleRef::NetworkPodCidrTooSmall,
    RuleRef::NetworkNodeCidrTooSmall,
];
