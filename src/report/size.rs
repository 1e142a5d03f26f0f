//! `kubeplan size` output: the ranked instance types as a table or JSON.

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use serde_json::Value;

use super::schemas::{PodRequestsJson, SizeReport};

use crate::catalog::PriceInfo;
use crate::plan::Platform;
use crate::sizing::{Choice, Demand};

/// What was sized, for the heading and the JSON.
pub struct Sized<'a> {
    pub platform: Platform,
    /// What the max-pods figures assume, where the platform says.
    pub max_pods_note: Option<&'a str>,
    /// What every node gives its DaemonSets.
    pub overhead: crate::sizing::Overhead,
    /// Production: the most pods one node may carry.
    pub blast_radius: Option<u64>,
    pub demand: &'a Demand,
    /// Pods sized for (the peak plus any burst headroom).
    pub sized_for: u64,
    pub prices: Option<&'a PriceInfo>,
    /// How shapes without prices are ranked.
    pub cost_model: Option<&'a crate::catalog::CostModel>,
    pub choices: &'a [Choice],
}

/// `--format json`: the report its schema is generated from.
pub fn json(s: &Sized) -> Value {
    let d = s.demand;
    let report = SizeReport {
        platform: s.platform,
        pods: d.pods,
        sized_for: s.sized_for,
        zones: d.zones,
        pod_requests: PodRequestsJson {
            cpu: d.requests.cpu,
            memory_gib: d.requests.memory_gib,
        },
        prices: s.prices.cloned(),
        cost_model: s.cost_model.filter(|_| s.prices.is_none()).cloned(),
        max_pods_assume: s.max_pods_note.map(str::to_string),
        per_node_overhead: s.overhead.clone(),
        blast_radius_pods: s.blast_radius,
        memory: "nominal GiB of the instance type; a node reports somewhat less as capacity".into(),
        choices: s.choices.to_vec(),
    };
    serde_json::to_value(report).unwrap_or_default()
}

fn row(i: usize, ch: &Choice) -> Vec<String> {
    vec![
        (i + 1).to_string(),
        if ch.clusters > 1 {
            format!("{} ({} clusters)", ch.instance_type, ch.clusters)
        } else {
            ch.instance_type.clone()
        },
        ch.arch.to_string(),
        format!("{}", ch.cpu),
        format!("{}", ch.memory_gib),
        ch.max_pods.to_string(),
        ch.pods_per_node.to_string(),
        ch.nodes.to_string(),
        format!("{:.0}%", ch.cpu_efficiency * 100.0),
        format!("{:.0}%", ch.memory_efficiency * 100.0),
        ch.monthly_cost.map_or("-".into(), |m| format!("{m:.0}")),
        ch.monthly_cost_per_pod
            .map_or("-".into(), |m| format!("{m:.2}")),
    ]
}

pub fn table(s: &Sized, width: Option<u16>) -> String {
    let d = s.demand;
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec![
            "#",
            "instance",
            "arch",
            "vCPU",
            "GiB",
            "maxPods",
            "pods/node",
            "nodes",
            "CPU used",
            "memory used",
            "$/month",
            "$/pod/month",
        ]);
    if let Some(w) = width {
        t.set_width(w.max(120));
    }
    for (i, ch) in s.choices.iter().enumerate() {
        t.add_row(row(i, ch));
    }
    let spare = if d.production && d.zones >= 2 {
        "N+1 and enough to lose the largest zone"
    } else {
        "N+1"
    };
    let burst = if d.burst {
        format!(" (burst headroom: sized for {})", s.sized_for)
    } else {
        String::new()
    };
    let prices = match (s.prices, s.cost_model) {
        (Some(p), _) => format!(
            "\nPrices: on-demand, {} {}, as of {}.",
            p.currency, p.region, p.date
        ),
        (None, Some(m)) => format!(
            "\nRanked by vCPUs + {} x GiB over all the nodes (no prices: 1 GiB weighs {} of a vCPU, {}); ties go to less memory.",
            crate::prose::decimal(m.per_gib),
            crate::prose::decimal(m.per_gib),
            m.source
        ),
        (None, None) => String::new(),
    };
    let burstable = match s.choices.iter().any(|c| c.baseline_cpu.is_some()) {
        true => "\nBurstable types are sized by the CPU they sustain (their baseline share of each vCPU), not their vCPUs: requests above it spend credits, billed in unlimited mode.",
        false => "",
    };
    let o = &s.overhead;
    let overhead = format!(
        "\nPer node: {} DaemonSets ({}) request {} CPU / {} GiB and take {} pod slots before any pod{}.",
        o.pods,
        o.daemon_sets.join(", "),
        crate::prose::decimal(o.cpu),
        crate::prose::decimal(o.memory_gib),
        o.pods,
        s.blast_radius
            .map(|cap| format!("; production: at most {cap} pods per node (blast radius)"))
            .unwrap_or_default()
    );
    let note = s
        .max_pods_note
        .map(|n| format!("\nMax pods: {n}."))
        .unwrap_or_default();
    format!(
        "{} pods{burst} at {} CPU / {} GiB each on {}, {}, spare: {spare}.\n{t}{prices}{overhead}{note}{burstable}\nMemory is the nominal GiB of each type; a node reports somewhat less as capacity.\n",
        d.pods,
        d.requests.cpu,
        d.requests.memory_gib,
        s.platform,
        crate::prose::plural(u64::from(d.zones), "zone", "zones")
    )
}
