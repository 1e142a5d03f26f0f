//! Effective values: what a plan means once the format's defaults apply.

use super::model::*;

/// Spreads `count` machines round-robin over `zones`, in order: (zone,
/// machines). A zone listed twice takes two turns (`[a, a, b]` puts 2 of 3
/// machines in `a`), and appears once in the result.
pub fn spread(count: u32, zones: &[String]) -> Vec<(String, u32)> {
    if zones.is_empty() {
        return vec![("default".to_string(), count)];
    }
    let n = zones.len() as u32;
    let mut out: Vec<(String, u32)> = Vec::new();
    for (i, z) in zones.iter().enumerate() {
        let share = count / n + u32::from((i as u32) < count % n);
        match out.iter_mut().find(|(seen, _)| seen == z) {
            Some((_, m)) => *m += share,
            None => out.push((z.clone(), share)),
        }
    }
    out
}

/// Sums per-zone counts that name the same zone, keeping first-seen order.
pub fn merge_zones(parts: impl IntoIterator<Item = (String, f64)>) -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = Vec::new();
    for (zone, v) in parts {
        match out.iter_mut().find(|(z, _)| *z == zone) {
            Some((_, total)) => *total += v,
            None => out.push((zone, v)),
        }
    }
    out
}

impl ApiLoadBalancer {
    /// The cloud provider's load balancer, on the API server's own port.
    pub fn cloud() -> ApiLoadBalancer {
        ApiLoadBalancer {
            kind: LbType::Cloud,
            replicas: None,
            virtual_ip: false,
            placement: None,
            port: None,
            machine: None,
        }
    }

    /// Load-balancer machines (default 1).
    pub fn replica_count(&self) -> u32 {
        self.replicas.unwrap_or(1)
    }
}

impl Machine {
    /// A machine whose size is not known: sizes of 0, which no rule checks
    /// while the plan marks `machines` unknown.
    pub fn stand_in() -> Machine {
        Machine {
            cpu: 0.0,
            memory_gib: 0.0,
            disk_gib: None,
            disk: None,
        }
    }
}

impl WorkerPool {
    /// A Linux amd64 pool of `nodes` machines, in no zone in particular,
    /// with no instance type, max pods or taints: the rest is set as known.
    pub fn new(name: impl Into<String>, nodes: u32, machine: Machine) -> WorkerPool {
        WorkerPool {
            name: name.into(),
            nodes,
            zones: Vec::new(),
            machine,
            instance_type: None,
            max_pods: None,
            os: Os::Linux,
            arch: Arch::Amd64,
            taints: Vec::new(),
        }
    }
}

impl LeaderElection {
    /// Sets one duration by its plan field name (`leaseDuration`,
    /// `renewDeadline`, `retryPeriod`); `enabled` is set from "false".
    pub fn set(&mut self, field: &str, value: String) {
        match field {
            "enabled" => self.enabled = !value.eq_ignore_ascii_case("false"),
            "leaseDuration" => self.lease_duration = value,
            "renewDeadline" => self.renew_deadline = value,
            "retryPeriod" => self.retry_period = value,
            other => debug_assert!(false, "no leader-election field `{other}`"),
        }
    }
}

impl WorkerPool {
    /// Whether ordinary pods schedule on the pool (no NoSchedule/NoExecute taint).
    pub fn runs_workload(&self) -> bool {
        !self
            .taints
            .iter()
            .any(|t| t.ends_with(":NoSchedule") || t.ends_with(":NoExecute"))
    }
}

impl Spec {
    /// A spec that says only what the cluster is for and where it runs.
    pub fn new(purpose: Purpose, platform: Platform) -> Spec {
        Spec {
            purpose,
            platform,
            tooling: None,
            region: None,
            zones: Vec::new(),
            control_plane: ControlPlane::default(),
            etcd: None,
            api_load_balancer: None,
            workers: Vec::new(),
            workload: None,
            storage: None,
            network: None,
        }
    }
}

impl ClusterPlan {
    pub fn purpose(&self) -> Purpose {
        self.spec.purpose
    }

    /// The cluster's failure domains (default: one zone named `default`).
    pub fn zones(&self) -> Vec<String> {
        if self.spec.zones.is_empty() {
            vec!["default".to_string()]
        } else {
            self.spec.zones.clone()
        }
    }

    fn group_zones(&self, own: &[String]) -> Vec<String> {
        if own.is_empty() {
            self.zones()
        } else {
            own.to_vec()
        }
    }

    pub fn managed(&self) -> bool {
        self.spec.control_plane.managed
    }

    /// Self-managed control-plane machines (default 1; 0 when managed).
    pub fn cp_nodes(&self) -> u32 {
        let default = if self.managed() { 0 } else { 1 };
        self.spec.control_plane.nodes.unwrap_or(default)
    }

    pub fn cp_zones(&self) -> Vec<String> {
        self.group_zones(&self.spec.control_plane.zones)
    }

    /// Whether ordinary workloads run on the control plane (default: learning only).
    pub fn cp_schedulable(&self) -> bool {
        self.spec
            .control_plane
            .schedulable
            .unwrap_or(self.spec.purpose == Purpose::Learning)
    }

    pub fn leader_election(&self) -> LeaderElection {
        self.spec
            .control_plane
            .leader_election
            .clone()
            .unwrap_or_default()
    }

    /// The etcd topology, or None when the provider runs the control plane and
    /// the plan sets no etcd.
    pub fn etcd_topology(&self) -> Option<EtcdTopology> {
        match &self.spec.etcd {
            Some(e) => Some(e.topology.unwrap_or(EtcdTopology::Stacked)),
            None if self.managed() => None,
            None => Some(EtcdTopology::Stacked),
        }
    }

    /// etcd members (default: one per control-plane node).
    pub fn etcd_members(&self) -> u32 {
        self.spec
            .etcd
            .as_ref()
            .and_then(|e| e.members)
            .unwrap_or_else(|| self.cp_nodes())
    }

    /// The zones etcd members are spread over.
    pub fn etcd_zones(&self) -> Vec<String> {
        match (self.etcd_topology(), &self.spec.etcd) {
            (Some(EtcdTopology::External), Some(e)) => self.group_zones(&e.zones),
            _ => self.cp_zones(),
        }
    }

    /// The field that sets the etcd member count.
    pub fn etcd_members_field(&self) -> &'static str {
        if self.spec.etcd.as_ref().and_then(|e| e.members).is_some() {
            "spec.etcd.members"
        } else {
            "spec.controlPlane.nodes"
        }
    }

    pub fn pool_zones(&self, pool: &WorkerPool) -> Vec<String> {
        self.group_zones(&pool.zones)
    }

    pub fn worker_nodes(&self) -> u64 {
        self.spec.workers.iter().map(|w| u64::from(w.nodes)).sum()
    }

    /// Kubernetes nodes: self-managed control plane plus workers.
    pub fn k8s_nodes(&self) -> u64 {
        u64::from(self.cp_nodes()) + self.worker_nodes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_robin_in_order() {
        let z: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        assert_eq!(
            spread(5, &z),
            vec![("a".into(), 2), ("b".into(), 2), ("c".into(), 1)]
        );
        assert_eq!(spread(3, &z[..2]), vec![("a".into(), 2), ("b".into(), 1)]);
        assert_eq!(spread(0, &z[..1]), vec![("a".into(), 0)]);
        let twice: Vec<String> = ["a", "a", "b"].iter().map(|s| s.to_string()).collect();
        assert_eq!(spread(3, &twice), vec![("a".into(), 2), ("b".into(), 1)]);
    }
}
