//! Checks of the profile files that need no Rust types, on their JSON
//! form: every number within a range (so a user's `--profiles-dir` cannot
//! make kubeplan divide by zero, loop for ever or print `inf`) and the
//! structure the engine relies on (non-empty size tables, a platform file
//! named after its platform).
//!
//! Self-contained on purpose: `build.rs` includes this file and runs the
//! same checks on the built-in profiles, so a bad built-in profile fails
//! the build, and the binary trusts what it embedded.

use serde_json::Value;

/// (key, lowest, highest, whether the lowest is excluded). Keys not listed
/// take the default range below.
const RANGES: &[(&str, f64, f64, bool)] = &[
    // counts and limits: at least one
    ("maxNodes", 1.0, 1e6, false),
    ("maxPods", 1.0, 1e9, false),
    ("maxContainers", 1.0, 1e10, false),
    ("maxPodsPerNode", 1.0, 10_000.0, false),
    ("hardMaxPodsPerNode", 1.0, 10_000.0, false),
    ("defaultMaxPodsPerNode", 1.0, 10_000.0, false),
    ("maxNodesPerPool", 1.0, 1e6, false),
    ("kubeletMaxPods", 1.0, 10_000.0, false),
    ("podsPerCore", 1.0, 10_000.0, false),
    ("maxMembers", 1.0, 99.0, false),
    ("recommendedMembers", 1.0, 99.0, false),
    ("minHaMembers", 1.0, 99.0, false),
    ("externalEtcdFromMembers", 1.0, 99.0, false),
    ("externalAboveNodes", 1.0, 1e6, false),
    ("heartbeatIntervalMs", 1.0, 10_000.0, false),
    ("electionTimeoutMs", 1.0, 50_000.0, false),
    ("clientPort", 1.0, 65_535.0, false),
    ("peerPort", 1.0, 65_535.0, false),
    ("haControlPlaneNodes", 1.0, 1_000.0, false),
    ("nodes", 1.0, 1e5, false),
    ("productionNodes", 1.0, 1e5, false),
    ("enis", 1.0, 1_000.0, false),
    ("ipsPerEni", 2.0, 1_000.0, false),
    ("minZones", 1.0, 64.0, false),
    ("nodeGrowth", 1.0, 1_000.0, false),
    ("blastRadiusMinPods", 1.0, 1e6, false),
    // machines: more than nothing
    ("cpu", 0.0, 4_096.0, true),
    ("memoryGiB", 0.0, 65_536.0, true),
    ("minCpu", 0.0, 4_096.0, true),
    ("minMemoryGiB", 0.0, 65_536.0, true),
    ("diskGiB", 0.0, 1e6, true),
    ("serverMemoryGiB", 0.0, 65_536.0, true),
    ("cores", 0.0, 4_096.0, false),
    ("aboveCpu", 0.0, 4_096.0, false),
    // shares
    ("fraction", 0.0, 1.0, false),
    ("maxFraction", 0.0, 1.0, false),
    ("blastRadiusShare", 0.0, 1.0, true),
    ("learningHostShare", 0.0, 1.0, true),
    ("practiceWorkers", 1.0, 100.0, false),
    ("burstHeadroom", 0.0, 10.0, false),
    // money and time
    ("pricePerHour", 0.0, 10_000.0, false),
    ("hoursPerMonth", 1.0, 744.0, false),
    // networks
    ("apiServerPort", 1.0, 65_535.0, false),
    ("loadBalancerPortOnControlPlane", 1.0, 65_535.0, false),
    ("podPrefixMin", 1.0, 30.0, false),
    ("podPrefixMax", 1.0, 30.0, false),
    ("nodeMaskMax", 1.0, 30.0, false),
    ("widestPrefix", 1.0, 30.0, false),
    ("narrowestPrefix", 1.0, 30.0, false),
    ("servicePrefixAbove", 1.0, 30.0, false),
    ("reservedPerSubnet", 0.0, 1_000.0, false),
    // failure timings: rates and intervals above zero (a zero would divide)
    ("nodeMonitorGracePeriodS", 0.0, 3_600.0, true),
    ("tolerationS", 0.0, 86_400.0, false),
    ("nodeEvictionRate", 0.0, 1_000.0, true),
    ("secondaryNodeEvictionRate", 0.0, 1_000.0, true),
    ("unhealthyZoneThreshold", 0.0, 1.0, true),
    ("largeClusterSizeThreshold", 0.0, 100_000.0, false),
    ("vrrpAdvertIntS", 0.0, 255.0, true),
    ("vrrpMasterPriority", 2.0, 255.0, false),
    ("vrrpBackupPriority", 1.0, 254.0, false),
    ("leaderElectionJitter", 0.0, 10.0, false),
    ("checkIntervalS", 1.0, 3_600.0, false),
    ("checkFall", 1.0, 1_000.0, false),
    ("haproxyInterS", 0.0, 3_600.0, true),
    ("haproxyFall", 1.0, 1_000.0, false),
    // installers' defaults
    ("nodeCount", 0.0, 1e5, false),
    ("volumeGiB", 0.0, 1e6, true),
    ("nodePrefix", 1.0, 32.0, false),
];

/// Any other number: finite, not negative, not absurd.
const DEFAULT: (f64, f64, bool) = (0.0, 1e9, false);

/// A number out of its range: the field's full path, its value and the range.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    pub path: String,
    pub value: f64,
    pub low: f64,
    pub high: f64,
    /// Whether `low` itself is excluded.
    pub open: bool,
}

impl Violation {
    /// The same violation seen from one level up, under key `k` or item `[n]`.
    fn under(mut self, step: String) -> Violation {
        self.path = match self.path.as_bytes().first() {
            None => step,
            Some(b'[') => format!("{step}{}", self.path),
            Some(_) => format!("{step}.{}", self.path),
        };
        self
    }
}

/// Checks every number in a profile document. The path of the offending
/// field is built only when one is out of range.
pub fn numbers(doc: &Value) -> Result<(), Violation> {
    walk(doc, None)
}

fn walk(v: &Value, key: Option<&str>) -> Result<(), Violation> {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                walk(x, Some(k)).map_err(|e| e.under(k.clone()))?;
            }
        }
        Value::Array(items) => {
            for (n, x) in items.iter().enumerate() {
                walk(x, key).map_err(|e| e.under(format!("[{n}]")))?;
            }
        }
        Value::Number(n) => check(key.unwrap_or(""), n.as_f64().unwrap_or(f64::NAN))?,
        _ => {}
    }
    Ok(())
}

fn check(key: &str, n: f64) -> Result<(), Violation> {
    let (low, high, open) = RANGES
        .iter()
        .find(|(k, ..)| *k == key)
        .map_or(DEFAULT, |(_, lo, hi, open)| (*lo, *hi, *open));
    let ok = n.is_finite() && (if open { n > low } else { n >= low }) && n <= high;
    match ok {
        true => Ok(()),
        false => Err(Violation {
            path: String::new(),
            value: n,
            low,
            high,
            open,
        }),
    }
}

fn ipv4_cidr(s: &str) -> bool {
    s.split_once('/').is_some_and(|(ip, len)| {
        ip.parse::<std::net::Ipv4Addr>().is_ok() && len.parse::<u8>().is_ok_and(|l| l <= 32)
    })
}

/// The structure the engine relies on, beyond types: `file` is
/// `kubernetes.yaml`, `platforms/NAME.yaml`, or another profile file (no
/// structural checks).
pub fn structure(file: &str, doc: &Value) -> Result<(), String> {
    let non_empty = |pointer: &str| {
        doc.pointer(pointer)
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
    };
    if file == "kubernetes.yaml" {
        if !non_empty("/controlPlaneSizes") || !non_empty("/etcdTiers") {
            return Err("controlPlaneSizes and etcdTiers need at least one entry".into());
        }
        if !non_empty("/design/learningMachines") {
            return Err("design.learningMachines needs at least one entry".into());
        }
        let ms = |k: &str| doc.pointer(&format!("/etcd/{k}")).and_then(Value::as_f64);
        if let (Some(beat), Some(election)) = (ms("heartbeatIntervalMs"), ms("electionTimeoutMs")) {
            if election < 5.0 * beat {
                return Err(
                    "etcd.electionTimeoutMs must be at least 5 times etcd.heartbeatIntervalMs \
                            (etcd refuses to start otherwise)"
                        .into(),
                );
            }
        }
        let tools = doc.get("tooling").and_then(Value::as_object);
        for (name, t) in tools.into_iter().flatten() {
            let cidr = t.get("networkCIDR").and_then(Value::as_str);
            if cidr.is_some_and(|c| !ipv4_cidr(c)) {
                return Err(format!(
                    "tooling.{name}.networkCIDR `{}` is not an IPv4 CIDR (a.b.c.d/n)",
                    cidr.unwrap_or("")
                ));
            }
        }
        let replicas = doc.pointer("/design/loadBalancerReplicas");
        if replicas.and_then(Value::as_f64).is_some_and(|r| r < 2.0) {
            return Err("design.loadBalancerReplicas must be at least 2: \
                        one balancer is a single point of failure"
                .into());
        }
    }
    if let Some(stem) = file
        .strip_prefix("platforms/")
        .and_then(|f| f.strip_suffix(".yaml"))
    {
        let name = doc.get("name").and_then(Value::as_str).unwrap_or("");
        if name != stem {
            return Err(format!(
                "`name: {name}` does not match the file name (expected `name: {stem}`)"
            ));
        }
    }
    Ok(())
}
