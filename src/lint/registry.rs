//! The rule catalog: a plain list of every rule, in documentation order.
//! Each rule lives in its family's file under `lint/rules/`; `lint`, `rules`,
//! `explain`, SARIF metadata, `docs/rules.md` and the tests all read this list.

use super::rule::Rule;
use super::rules;

/// Every rule, in documentation order.
pub static RULES: &[&Rule] = &[
    &rules::schema::SCHEMA_UNKNOWN_FIELD,
    &rules::schema::SCHEMA_INVALID_VALUE,
    &rules::schema::SCHEMA_MISSING_FIELD,
    &rules::input::INPUT_UNREADABLE,
    &rules::input::IGNORE_UNKNOWN_RULE,
    &rules::input::INPUT_MISSING_FACT,
    &rules::input::INPUT_UNRENDERED_VARIABLE,
    &rules::input::INPUT_NO_CLUSTER,
    &rules::etcd::ETCD_EVEN_MEMBERS,
    &rules::etcd::ETCD_NO_FAULT_TOLERANCE,
    &rules::etcd::ETCD_TOO_MANY_MEMBERS,
    &rules::etcd::ETCD_STACKED_MEMBER_MISMATCH,
    &rules::etcd::ETCD_ZONE_QUORUM_LOSS,
    &rules::etcd::ETCD_STACKED_LARGE_CLUSTER,
    &rules::etcd::ETCD_UNDERSIZED,
    &rules::etcd::ETCD_DISK_NOT_SSD,
    &rules::etcd::MANAGED_CONTROL_PLANE_CONFLICT,
    &rules::failure::FAILURE_SINGLE_POINT,
    &rules::control_plane::CONTROL_PLANE_SINGLE,
    &rules::control_plane::CONTROL_PLANE_SCHEDULABLE,
    &rules::control_plane::CONTROL_PLANE_UNDERSIZED,
    &rules::control_plane::MACHINE_BELOW_MINIMUM,
    &rules::control_plane::LEADER_ELECTION_DISABLED,
    &rules::control_plane::LEADER_ELECTION_TIMING,
    &rules::load_balancer::API_LB_MISSING,
    &rules::load_balancer::API_LB_SINGLE_POINT_OF_FAILURE,
    &rules::scale::CLUSTER_NODES_OVER_LIMIT,
    &rules::scale::PODS_PER_NODE_OVER_LIMIT,
    &rules::scale::PODS_PER_NODE_OVER_TESTED,
    &rules::scale::PODS_PER_NODE_OVER_CORES,
    &rules::scale::CLUSTER_PODS_OVER_LIMIT,
    &rules::scale::CLUSTER_CONTAINERS_OVER_LIMIT,
    &rules::capacity::WORKER_CAPACITY_INSUFFICIENT,
    &rules::capacity::WORKER_NO_FAILURE_HEADROOM,
    &rules::capacity::PRODUCTION_SINGLE_ZONE,
    &rules::tooling::TOOLING_PLATFORM_MISMATCH,
    &rules::tooling::TOOLING_PURPOSE_MISMATCH,
    &rules::tooling::NODE_ARCH_32_BIT,
    &rules::storage::STORAGE_RWX_UNSUPPORTED,
    &rules::storage::STORAGE_SLOW_FOR_WORKLOAD,
    &rules::storage::STORAGE_MISSING_FOR_STATEFUL,
    &rules::storage::STORAGE_DEFAULT_CLASS,
    &rules::network::NETWORK_CIDR_OVERLAP,
    &rules::network::NETWORK_POD_CIDR_TOO_SMALL,
    &rules::network::NETWORK_NODE_CIDR_TOO_SMALL,
    &rules::network::NETWORK_SUBNET_TOO_SMALL,
    &rules::installer::EKSCTL_TOO_FEW_ZONES,
    &rules::installer::KOPS_ETCD_EVEN_MEMBERS,
    &rules::installer::KUBEADM_NO_CONTROL_PLANE_ENDPOINT,
    &rules::installer::KUBESPRAY_CONTROL_PLANE_EMPTY,
    &rules::installer::KUBESPRAY_ETCD_EVEN,
    &rules::installer::CLUSTER_API_EVEN_STACKED_CONTROL_PLANE,
];

/// Looks a rule up by id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.id == id)
}
