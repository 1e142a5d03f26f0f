//! Every number in a profile file within a range, so a user's
//! `--profiles-dir` cannot make kubeplan divide by zero, loop for ever or
//! print `inf`: an out-of-range figure is an error naming the file, the
//! field's full path and the range.

use serde_json::Value;

use super::CatalogError;

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
];

/// Any other number: finite, not negative, not absurd.
const DEFAULT: (f64, f64, bool) = (0.0, 1e9, false);

/// Checks every number in a profile document.
pub fn numbers(file: &str, doc: &Value) -> Result<(), CatalogError> {
    walk(file, doc, "", None)
}

fn walk(file: &str, v: &Value, path: &str, key: Option<&str>) -> Result<(), CatalogError> {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(file, x, &p, Some(k))?;
            }
        }
        Value::Array(items) => {
            for (n, x) in items.iter().enumerate() {
                walk(file, x, &format!("{path}[{n}]"), key)?;
            }
        }
        Value::Number(n) => check(
            file,
            path,
            key.unwrap_or(""),
            n.as_f64().unwrap_or(f64::NAN),
        )?,
        _ => {}
    }
    Ok(())
}

fn check(file: &str, path: &str, key: &str, n: f64) -> Result<(), CatalogError> {
    let (lo, hi, open) = RANGES
        .iter()
        .find(|(k, ..)| *k == key)
        .map_or(DEFAULT, |(_, lo, hi, open)| (*lo, *hi, *open));
    let ok = n.is_finite() && (if open { n > lo } else { n >= lo }) && n <= hi;
    if ok {
        return Ok(());
    }
    let low = if open {
        format!("above {}", crate::fmt::amount(lo))
    } else {
        format!("at least {}", crate::fmt::amount(lo))
    };
    Err(CatalogError::Invalid {
        path: file.to_string(),
        reason: format!(
            "`{path}` is {}; it must be {low} and at most {}",
            crate::fmt::decimal(n),
            crate::fmt::amount(hi)
        ),
    })
}
