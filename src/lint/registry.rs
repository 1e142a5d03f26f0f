//! The rule catalog: every rule declared once, with its id, severity policy,
//! docs and a firing example. `lint`, `rules`, `explain`, SARIF metadata,
//! `docs/rules.md` and the tests all read this table.

use super::checks as c;
use super::{Ctx, Hit};
use crate::diag::Severity;
use crate::diag::Severity::{Error, Info, Warning};

/// How a rule's severity depends on the plan's purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// The same severity for every plan.
    Always(Severity),
    /// Error for production plans, warning for the others.
    ErrorInProduction,
    /// Silent unless the plan is for production.
    ProductionOnly(Severity),
}

/// One lint rule.
pub struct Rule {
    /// Stable kebab-case id.
    pub id: &'static str,
    pub policy: Policy,
    /// The family it belongs to (a heading in the docs).
    pub group: &'static str,
    /// One line: what the rule reports.
    pub summary: &'static str,
    pub what: &'static str,
    pub why: &'static str,
    pub fix: &'static str,
    /// A complete plan that fires the rule.
    pub example: &'static str,
    /// None for the schema rules, which the loader reports.
    pub check: Option<fn(&Ctx) -> Vec<Hit>>,
}

/// Looks a rule up by id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

macro_rules! rules {
    ($( $id:literal, $group:literal, $policy:expr, $check:expr,
        summary: $summary:literal, what: $what:literal, why: $why:literal, fix: $fix:literal; )*) => {
        /// Every rule, in documentation order.
        pub static RULES: &[Rule] = &[$(Rule {
            id: $id,
            group: $group,
            policy: $policy,
            check: $check,
            summary: $summary,
            what: $what,
            why: $why,
            fix: $fix,
            example: include_str!(concat!("examples/", $id, ".yaml")),
        }),*];
    };
}

use Policy::{Always, ErrorInProduction, ProductionOnly};

rules! {
"schema-unknown-field", "Schema", Always(Error), None,
    summary: "A key the plan format does not know.",
    what: "Every key of the document against the ClusterPlan format (`kubeplan schema`). The help names the closest known key.",
    why: "A misspelt key is otherwise silently ignored, and the plan means something other than what its author wrote: `contolPlane:` leaves the control plane at its defaults.",
    fix: "Rename the key to the one the help suggests, or remove it.";
"schema-invalid-value", "Schema", Always(Error), None,
    summary: "A value of the wrong type, an unknown enum value, a negative or absurd number, or a bad duration or CIDR.",
    what: "Each value against its type in the format: whole numbers for counts, one of the listed words for enums (with the closest valid one), Go durations (`15s`, `1m30s`), CIDR blocks (`10.244.0.0/16`), DNS-label names, and sanity bounds on every number.",
    why: "A value the advisor cannot read cannot be checked; guessing would hide the mistake.",
    fix: "Write the value in the form the message asks for.";
"schema-missing-field", "Schema", Always(Error), None,
    summary: "A required field is absent.",
    what: "That `apiVersion`, `kind`, `metadata.name`, `spec.purpose` and `spec.platform` are present, and the required fields of each nested object (a worker pool's `name`, `nodes` and `machine`; a machine's `cpu` and `memoryGiB`; ...).",
    why: "The purpose and platform decide which rules apply and which limits hold; without them no rule can be judged.",
    fix: "Add the field; `kubeplan schema` lists every field and `kubeplan design -o plan.yaml` writes a complete plan.";
"etcd-even-members", "etcd and quorum", ErrorInProduction, Some(c::etcd_even_members),
    summary: "An even number of etcd members.",
    what: "`spec.etcd.members` (or, for stacked etcd, the control-plane node count) is even and above zero.",
    why: "Quorum is floor(N/2)+1, so 4 members need 3 and tolerate 1 failure, exactly like 3 members; the extra member only adds a machine that can fail. Under a network partition an even cluster can split into two halves where neither side has quorum, and writes stop everywhere.",
    fix: "Use an odd number of members: 3 (tolerates 1 failure) or 5 (tolerates 2).";
"etcd-no-fault-tolerance", "etcd and quorum", ProductionOnly(Error), Some(c::etcd_no_fault_tolerance),
    summary: "Fewer than 3 etcd members in production.",
    what: "A production plan whose etcd has fewer than 3 members (covers the 2-control-plane stacked design of the seed notes).",
    why: "With 1 or 2 members quorum equals the member count, so the loss of any one member stops every write to the cluster: two control-plane nodes are no more available than one.",
    fix: "Run 3 etcd members (3 control-plane nodes when stacked), or 5 to survive two failures.";
"etcd-too-many-members", "etcd and quorum", Always(Warning), Some(c::etcd_too_many_members),
    summary: "More than 7 etcd members.",
    what: "etcd with more members than the etcd project advises (7).",
    why: "Every write waits for a majority to acknowledge it, so each extra member slows writes; 5 members already tolerate 2 failures, which the etcd FAQ calls enough in most cases.",
    fix: "Use 5 members (or 7 at most).";
"etcd-stacked-member-mismatch", "etcd and quorum", Always(Error), Some(c::etcd_stacked_member_mismatch),
    summary: "Stacked etcd whose member count differs from the control-plane node count.",
    what: "`spec.etcd.topology: stacked` with `spec.etcd.members` different from `spec.controlPlane.nodes`.",
    why: "Stacked etcd runs exactly one member on each control-plane node; a different count describes machines that do not exist or members that have nowhere to run.",
    fix: "Make `etcd.members` equal `controlPlane.nodes`, or use `topology: external` with its own machines.";
"etcd-zone-quorum-loss", "etcd and quorum", ProductionOnly(Error), Some(c::etcd_zone_quorum_loss),
    summary: "Losing one zone loses etcd quorum.",
    what: "A production plan with 2 or more zones where the members left after losing some zone are fewer than quorum. Members are placed round-robin over their zones, in order (stacked members follow the control plane).",
    why: "Zones fail as a unit (power, network, a room). 3 members as 2+1 over 2 zones lose quorum with the zone holding 2; the cluster stops accepting writes even though a member survives.",
    fix: "Spread members so no zone holds N - quorum + 1 of them: 3 members over 3 zones (1+1+1), or 5 over 3 zones (2+2+1).";
"etcd-undersized", "etcd and quorum", Always(Warning), Some(c::etcd_undersized),
    summary: "External etcd machines below the etcd hardware tier for the cluster size.",
    what: "The external etcd machine's vCPUs and memory against the etcd hardware guide's tiers by Kubernetes node count (50 nodes: 2 vCPU / 8 GiB, 250: 4/16, 1,000: 8/32, 3,000: 16/64).",
    why: "etcd serves every API write and watch; an undersized member falls behind, elections flap and the API server times out.",
    fix: "Give each etcd machine at least the tier's vCPUs and memory (and an SSD).";
"etcd-disk-not-ssd", "etcd and quorum", Always(Warning), Some(c::etcd_disk_not_ssd),
    summary: "etcd on a disk that is not SSD.",
    what: "The disk under etcd: the external etcd machine's, or the control-plane machine's when etcd is stacked.",
    why: "etcd fsyncs its write-ahead log on every commit; the etcd hardware guide asks for WAL fsync p99 under 10 ms, which spinning or network disks often miss, causing leader elections and slow writes.",
    fix: "Use `disk: ssd` for the machines that hold etcd.";
"managed-control-plane-conflict", "etcd and quorum", Always(Error), Some(c::managed_control_plane_conflict),
    summary: "A managed control plane with self-managed parts, or a tool that contradicts `managed`.",
    what: "`controlPlane.managed: true` with etcd, control-plane nodes or machines, or an API load balancer set; or tooling eks/gke/aks with `managed: false`; or `managed: true` with a self-managed tool.",
    why: "With EKS, GKE or AKS the provider runs etcd, the API servers and their load balancer; a plan that also sizes them describes machines nobody will build, and a bill of materials that overstates the cost.",
    fix: "Remove the self-managed parts, or set `managed` to match the tool.";
"control-plane-single", "Control plane", ProductionOnly(Error), Some(c::control_plane_single),
    summary: "One self-managed control-plane node in production.",
    what: "A production plan with `controlPlane.nodes: 1` and a self-managed control plane.",
    why: "If the only control-plane node fails, running pods keep serving but nothing recreates failed pods or schedules new ones, and kubectl and API access are gone until it is rebuilt.",
    fix: "Run 3 control-plane nodes behind a load balancer (or use a managed control plane).";
"control-plane-schedulable", "Control plane", ProductionOnly(Warning), Some(c::control_plane_schedulable),
    summary: "Workloads may run on production control-plane nodes.",
    what: "A production plan with `controlPlane.schedulable: true`.",
    why: "Application pods compete with the API server, scheduler and etcd for CPU, memory and disk; a noisy workload can starve the control plane of the whole cluster.",
    fix: "Set `schedulable: false` and size the worker pools for the workload.";
"control-plane-undersized", "Control plane", Always(Warning), Some(c::control_plane_undersized),
    summary: "Control-plane machines smaller than the cluster's node count calls for.",
    what: "The control-plane machine's vCPUs against the kube-up sizing table by node count (1-5: 1, 6-10: 2, 11-100: 4, 101-250: 8, 251-500: 16, 501-3,000: 32, above: 64).",
    why: "API server and controller load grows with the node count; the cloud providers size their own control planes from this table.",
    fix: "Use a control-plane machine with at least the vCPUs the message names.";
"machine-below-minimum", "Control plane", Always(Error), Some(c::machine_below_minimum),
    summary: "A self-run machine below kubeadm's minimum.",
    what: "A control-plane machine with fewer than 2 CPUs, or any machine you run (control plane, external etcd, worker) with less than 2 GiB of memory.",
    why: "kubeadm's preflight checks refuse such machines, and the components they host do not fit.",
    fix: "Give control-plane machines at least 2 CPUs and every machine at least 2 GiB of memory.";
"leader-election-disabled", "Control plane", Always(Error), Some(c::leader_election_disabled),
    summary: "Several control-plane nodes without leader election.",
    what: "More than one self-managed control-plane node and `leaderElection.enabled: false`.",
    why: "kube-controller-manager and kube-scheduler are active-standby; without leader election every copy is active, and two controllers acting at once duplicate work (for example creating more pods than a ReplicaSet asks for).",
    fix: "Enable leader election (the default, `--leader-elect=true`).";
"leader-election-timing", "Control plane", Always(Error), Some(c::leader_election_timing),
    summary: "Leader-election durations that client-go rejects.",
    what: "That leaseDuration > renewDeadline > 1.2 x retryPeriod > 0, the check client-go's leaderelection package makes.",
    why: "With these timings out of order the controller-manager and scheduler refuse to start, or leaders lose their lease before they can renew it.",
    fix: "Use the defaults 15s / 10s / 2s, or keep the order leaseDuration > renewDeadline > 1.2 x retryPeriod.";
"api-lb-missing", "API load balancer", Always(Error), Some(c::api_lb_missing),
    summary: "Several control-plane nodes and no API load balancer.",
    what: "More than one self-managed control-plane node and no `apiLoadBalancer` (or `type: none`).",
    why: "Every kube-apiserver is active, but clients and kubelets are configured with one address; without a balancer they reach only one API server, and its loss cuts them off. kubeadm needs a stable controlPlaneEndpoint to join a second control plane.",
    fix: "Put a load balancer in front of the API servers: a cloud LB, or an HAProxy/nginx pair sharing a keepalived virtual IP.";
"api-lb-single-point-of-failure", "API load balancer", ProductionOnly(Error), Some(c::api_lb_single_point_of_failure),
    summary: "A self-run API load balancer that is a single point of failure.",
    what: "A haproxy or nginx balancer with one replica, or several replicas without a virtual IP to share.",
    why: "All API traffic passes through the balancer; if it is one machine, its loss takes the API away however many control-plane nodes stand behind it. Running the one HAProxy on a control-plane node (the seed notes' design) ties the API's availability to that node.",
    fix: "Run 2 or more replicas sharing a keepalived virtual IP, or use a cloud load balancer.";
"cluster-nodes-over-limit", "Scale and capacity", Always(Error), Some(c::cluster_nodes_over_limit),
    summary: "More nodes than one cluster supports on the platform.",
    what: "Control-plane nodes plus worker nodes against the platform's node limit (5,000 upstream and on AKS, 15,000 on GKE).",
    why: "Past the limit the control plane is outside what the project or provider tests; API latency and etcd size grow past their service levels.",
    fix: "Split the workload over several clusters (`kubeplan design` does this), or use larger nodes.";
"pods-per-node-over-limit", "Scale and capacity", Always(Error), Some(c::pods_per_node_over_limit),
    summary: "A pool's maxPods above the platform's per-node limit.",
    what: "Each pool's `maxPods` against the platform's limit: 110 upstream, 256 on GKE, 250 on AKS, and on EKS the instance type's ENI limit (ENIs x (IPs per ENI - 1) + 2) where the catalog knows the type.",
    why: "The kubelet or the provider refuses more pods than this; a plan that counts on them over-states its capacity.",
    fix: "Lower `maxPods` to the limit and add nodes, or pick a larger instance type.";
"pods-per-node-over-cores", "Scale and capacity", Always(Info), Some(c::pods_per_node_over_cores),
    summary: "A pool's maxPods above 10 pods per core.",
    what: "Each pool's `maxPods` against 10 x its vCPUs (SIG Scalability: pods per node min(110, 10 x cores)).",
    why: "Per-pod overhead (kubelet housekeeping, probes, the container runtime) grows with the pod count; small nodes packed with pods become slow to report status.",
    fix: "Set `maxPods` to at most 10 x the node's vCPUs, or use larger nodes.";
"cluster-pods-over-limit", "Scale and capacity", Always(Error), Some(c::cluster_pods_over_limit),
    summary: "More pods than one cluster supports.",
    what: "`workload.pods` against the platform's total pod limit (150,000 upstream, 200,000 on GKE).",
    why: "Past the limit the API server and etcd hold more objects than the project tests; list and watch latency grows for every client.",
    fix: "Split the workload over several clusters.";
"cluster-containers-over-limit", "Scale and capacity", Always(Error), Some(c::cluster_containers_over_limit),
    summary: "More containers than one cluster supports.",
    what: "`workload.pods` x `workload.containersPerPod` against the total container limit (300,000).",
    why: "The upstream scalability thresholds cap containers per cluster; past them kubelets and the API server are untested.",
    fix: "Split the workload over several clusters, or run fewer containers per pod.";
"worker-capacity-insufficient", "Scale and capacity", Always(Error), Some(c::worker_capacity_insufficient),
    summary: "The workers cannot hold the workload's pods.",
    what: "`workload.pods` against the cluster's pod capacity: for each worker (and each schedulable control-plane node) the smaller of maxPods and allocatable CPU and memory over `podRequests`, allocatable by the platform's reservation formula (docs/sizing.md).",
    why: "Pods that do not fit stay Pending; the plan cannot run the workload it was made for.",
    fix: "Add worker nodes or use larger machines; `kubeplan size` computes the count.";
"worker-no-failure-headroom", "Scale and capacity", ProductionOnly(Warning), Some(c::worker_no_failure_headroom),
    summary: "After losing the largest zone (or one node) the workers cannot hold the workload.",
    what: "The capacity left after the worst single failure against `workload.pods`: the zone holding the most capacity when the plan has several zones, the largest node when it has one.",
    why: "Failures are certain; without headroom, evicted pods have nowhere to go and the service degrades exactly when it is under stress.",
    fix: "Add nodes so that the cluster still holds the workload after the loss (N+1, or one zone's worth).";
"production-single-zone", "Scale and capacity", ProductionOnly(Info), Some(c::production_single_zone),
    summary: "A production cluster in a single zone.",
    what: "A production plan with one zone (or none listed).",
    why: "A single zone's power or network failure takes the whole cluster down; no zone failure is survivable.",
    fix: "Spread the cluster over 3 zones if the platform has them.";
"tooling-platform-mismatch", "Tooling and platform", Always(Error), Some(c::tooling_platform_mismatch),
    summary: "A tool that does not run on the plan's platform.",
    what: "`spec.tooling` against the platforms each tool supports: eks only on aws, gke on gcp, aks on azure, kops on aws and gcp, the others anywhere.",
    why: "The plan cannot be built as written.",
    fix: "Use the platform's tool: kubeadm on-prem, EKS or kOps on AWS, GKE on GCP, AKS on Azure.";
"tooling-purpose-mismatch", "Tooling and platform", ProductionOnly(Warning), Some(c::tooling_purpose_mismatch),
    summary: "minikube or kind for a production cluster.",
    what: "A production plan built with minikube or kind.",
    why: "Both build single-machine clusters for learning and development (kind runs nodes as containers); neither offers HA, upgrades or support.",
    fix: "Use kubeadm (on-prem) or the platform's managed service.";
"node-arch-32-bit", "Tooling and platform", Always(Error), Some(c::node_arch_32_bit),
    summary: "A worker pool on a 32-bit architecture.",
    what: "A pool with `arch: 386` or `arch: arm`.",
    why: "Kubernetes nodes are 64-bit Linux machines; current releases ship no 32-bit node binaries.",
    fix: "Use amd64 or arm64 machines.";
"storage-rwx-unsupported", "Storage", Always(Error), Some(c::storage_rwx_unsupported),
    summary: "A block-storage class that asks for ReadWriteMany.",
    what: "A storage class on ssd or hdd media whose access modes include ReadWriteMany.",
    why: "Block volumes attach to one node at a time; shared read-write access across nodes needs network (file) storage such as NFS, EFS, Filestore or Azure Files.",
    fix: "Use `medium: network` for the shared class, and keep block classes ReadWriteOnce.";
"storage-slow-for-workload", "Storage", Always(Warning), Some(c::storage_slow_for_workload),
    summary: "A data-heavy workload whose default storage class is not SSD.",
    what: "Workload kind stateful, analytics or big-data with a default storage class whose medium is not ssd.",
    why: "Databases and data processing are bound by disk latency and IOPS; high-performance workloads want SSD-backed storage.",
    fix: "Make an ssd class the default, and give the applications that need shared access a network class explicitly.";
"storage-missing-for-stateful", "Storage", Always(Warning), Some(c::storage_missing_for_stateful),
    summary: "A stateful workload with no storage class.",
    what: "Workload kind stateful and no `storage.classes`.",
    why: "Stateful applications claim persistent volumes; with no storage class their claims stay Pending.",
    fix: "Define storage classes: an SSD block class for databases, a network class for shared access.";
"storage-default-class", "Storage", Always(Warning), Some(c::storage_default_class),
    summary: "Storage classes with no default, or with several.",
    what: "That exactly one storage class is marked `default: true` when classes exist.",
    why: "Claims that name no class get the default; with none they stay Pending, and with several Kubernetes picks one you did not choose.",
    fix: "Mark exactly one class `default: true`.";
"network-cidr-overlap", "Network", Always(Error), Some(c::network_cidr_overlap),
    summary: "Pod and service CIDRs overlap.",
    what: "Whether `network.podCIDR` and `network.serviceCIDR` share any address.",
    why: "An address that is both a pod and a service IP routes unpredictably; kube-proxy and the CNI fight over it.",
    fix: "Use disjoint ranges, such as the kubeadm defaults 10.244.0.0/16 (pods) and 10.96.0.0/12 (services).";
"network-pod-cidr-too-small", "Network", Always(Error), Some(c::network_pod_cidr_too_small),
    summary: "The pod CIDR cannot give every node its own subnet.",
    what: "2^(nodeCIDRMaskSize - podCIDR prefix) node subnets against the plan's node count (Kubespray's inventory check).",
    why: "Each node takes one nodeCIDRMaskSize subnet of the pod CIDR; nodes past the last subnet join without a pod range and cannot run pods.",
    fix: "Widen the pod CIDR (a shorter prefix) or use a longer nodeCIDRMaskSize.";
"network-node-cidr-too-small", "Network", Always(Error), Some(c::network_node_cidr_too_small),
    summary: "A node's pod subnet holds fewer addresses than maxPods.",
    what: "2^(address bits - nodeCIDRMaskSize) - 2 addresses against each pool's `maxPods` (Kubespray: \"do not schedule more pods on a node than inet addresses are available\").",
    why: "Pods past the subnet's addresses cannot get an IP and stay in ContainerCreating.",
    fix: "Use a shorter nodeCIDRMaskSize (/24 holds 254 addresses, enough for 110 pods) or lower maxPods.";
}
