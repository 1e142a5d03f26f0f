//! `kubeplan quorum` output: the member table and zone-loss verdicts.

use comfy_table::{presets::UTF8_FULL_CONDENSED, Table};

use super::Paint;
use crate::quorum::{QuorumRow, ZoneReport};

/// Members, quorum and fault tolerance, one row per member count.
pub fn members(rows: &[QuorumRow]) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED).set_header(vec![
        "members",
        "quorum",
        "fault tolerance",
        "note",
    ]);
    for r in rows {
        t.add_row(vec![
            r.members.to_string(),
            r.quorum.to_string(),
            r.fault_tolerance.to_string(),
            r.note.clone(),
        ]);
    }
    format!("{t}\nquorum = floor(N/2) + 1; fault tolerance = N - quorum.\n")
}

pub fn zones(r: &ZoneReport, paint: Paint) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED).set_header(vec![
        "zone lost",
        "members lost",
        "members left",
        "quorum",
        "survives",
    ]);
    for z in &r.zones {
        t.add_row(vec![
            z.zone.clone(),
            z.members.to_string(),
            (r.members - z.members).to_string(),
            r.quorum.to_string(),
            if z.survives {
                "yes".into()
            } else {
                "NO".to_string()
            },
        ]);
    }
    let verdict = if r.survives_any_zone_loss {
        paint.color(
            anstyle::AnsiColor::Green,
            "survives the loss of any one zone",
        )
    } else {
        let lost: Vec<&str> = r
            .zones
            .iter()
            .filter(|z| !z.survives)
            .map(|z| z.zone.as_str())
            .collect();
        paint.color(
            anstyle::AnsiColor::Red,
            &format!("does NOT survive losing zone {}", lost.join(" or ")),
        )
    };
    format!(
        "{} members, quorum {}, tolerates {}.\n{t}\nverdict: {verdict}\n",
        r.members,
        r.quorum,
        crate::prose::plural(
            u64::from(r.fault_tolerance),
            "member failure",
            "member failures"
        )
    )
}
