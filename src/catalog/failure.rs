//! The timings `whatif` works with (`profiles/kubernetes.yaml`, `failure`):
//! the components' documented defaults, each with its source there.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FailureTimings {
    /// The Kubernetes minor version the node-lifecycle figures are defaults of.
    pub kubernetes_version: String,
    /// kube-controller-manager `--node-monitor-grace-period`, seconds.
    pub node_monitor_grace_period_s: f64,
    /// The default NoExecute toleration for not-ready/unreachable, seconds.
    pub toleration_s: f64,
    /// `--node-eviction-rate`, nodes per second per zone.
    pub node_eviction_rate: f64,
    /// `--secondary-node-eviction-rate`, nodes per second.
    pub secondary_node_eviction_rate: f64,
    /// `--unhealthy-zone-threshold`: the share of a zone's nodes NotReady
    /// that makes it partially disrupted.
    pub unhealthy_zone_threshold: f64,
    /// More than this many NotReady nodes, too, for a partial disruption.
    pub unhealthy_zone_min_nodes: u32,
    /// `--large-cluster-size-threshold`, compared with the zone's size.
    pub large_cluster_size_threshold: u32,
    /// keepalived `advert_int`, seconds.
    pub vrrp_advert_int_s: f64,
    /// keepalived priorities `export` writes: the MASTER's, the first BACKUP's.
    pub vrrp_master_priority: u32,
    pub vrrp_backup_priority: u32,
    /// client-go's leader-election jitter factor.
    pub leader_election_jitter: f64,
    /// The check script's `interval` (seconds) and `fall`, as exported.
    pub check_interval_s: u32,
    pub check_fall: u32,
    /// HAProxy server checks: `inter` (seconds) and `fall` defaults.
    pub haproxy_inter_s: f64,
    pub haproxy_fall: u32,
}
