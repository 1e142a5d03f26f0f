//! etcd quorum arithmetic (Raft majority) and zone-loss survival.

use serde::Serialize;

/// Votes a write needs: floor(N/2) + 1.
pub fn quorum(members: u32) -> u32 {
    members / 2 + 1
}

/// Members that may fail while writes go on: N - quorum.
pub fn fault_tolerance(members: u32) -> u32 {
    members - quorum(members)
}

/// Members etcd needs to survive `failures` member failures: 2f + 1.
pub fn members_to_survive(failures: u32) -> u32 {
    2 * failures + 1
}

/// The member count for a design that must survive `failures`: 2f + 1, at
/// least `min`, odd (an even count adds no tolerance), and at most the
/// largest odd count within `max`.
pub fn members_for(failures: u32, min: u32, max: u32) -> u32 {
    let mut m = members_to_survive(failures).max(min);
    if m.is_multiple_of(2) {
        m += 1;
    }
    let cap = if max.is_multiple_of(2) {
        max.saturating_sub(1)
    } else {
        max
    };
    m.min(cap.max(1))
}

/// One row of the quorum table.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct QuorumRow {
    pub members: u32,
    pub quorum: u32,
    pub fault_tolerance: u32,
    pub note: String,
}

/// The row for N members, with advice.
pub fn row(members: u32, max_members: u32) -> QuorumRow {
    let note = if members == 0 {
        "no members: nothing can be stored".to_string()
    } else if members > max_members {
        format!("over {max_members}: not advised, every write waits for more acknowledgements")
    } else if members.is_multiple_of(2) {
        format!("even: no gain over {}", members - 1)
    } else if members == 1 {
        "no fault tolerance".to_string()
    } else {
        String::new()
    };
    QuorumRow {
        members,
        quorum: quorum(members),
        fault_tolerance: fault_tolerance(members),
        note,
    }
}

/// What is wrong with a member count whatever its placement: an even count
/// (no more tolerance than one member fewer), or more than etcd advises.
pub fn member_warnings(members: u32, max_members: u32) -> Vec<String> {
    let mut out = Vec::new();
    if members > 0 && members.is_multiple_of(2) {
        out.push(format!(
            "{members} members: quorum {}, tolerates {}, no more than {}",
            quorum(members),
            crate::prose::plural(u64::from(fault_tolerance(members)), "failure", "failures"),
            members - 1
        ));
    }
    if members > max_members {
        out.push(format!(
            "{members} members: more than the {max_members} etcd advises; every write waits for {} acknowledgements",
            quorum(members)
        ));
    }
    out
}

/// Whether the cluster keeps quorum after losing one zone.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ZoneLoss {
    pub zone: String,
    pub members: u32,
    pub survives: bool,
}

/// Zone-loss verdicts for members placed per zone.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ZoneReport {
    pub members: u32,
    pub quorum: u32,
    pub fault_tolerance: u32,
    pub zones: Vec<ZoneLoss>,
    pub survives_any_zone_loss: bool,
}

pub fn zone_report(placement: &[(String, u32)]) -> ZoneReport {
    let members: u32 = placement.iter().map(|(_, m)| m).sum();
    let q = quorum(members);
    let zones: Vec<ZoneLoss> = placement
        .iter()
        .map(|(z, m)| ZoneLoss {
            zone: z.clone(),
            members: *m,
            survives: members > 0 && members - m >= q,
        })
        .collect();
    ZoneReport {
        members,
        quorum: q,
        fault_tolerance: fault_tolerance(members),
        survives_any_zone_loss: !zones.is_empty() && zones.iter().all(|z| z.survives),
        zones,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn majority_table() {
        for n in 1..=9u32 {
            assert_eq!(quorum(n), n / 2 + 1);
            assert_eq!(fault_tolerance(n), n - (n / 2 + 1));
        }
        assert_eq!((quorum(4), fault_tolerance(4)), (3, 1));
        assert_eq!((quorum(7), fault_tolerance(7)), (4, 3));
    }

    #[test]
    fn design_member_counts() {
        // 2f+1, at least 3, odd, at most 7.
        assert_eq!(members_for(0, 3, 7), 3);
        assert_eq!(members_for(1, 3, 7), 3);
        assert_eq!(members_for(2, 3, 7), 5);
        assert_eq!(members_for(3, 3, 7), 7);
        assert_eq!(members_for(5, 3, 7), 7);
        assert_eq!(members_for(1, 4, 7), 5);
        assert_eq!(members_for(4, 3, 8), 7);
        for f in 0..10 {
            let m = members_for(f, 3, 7);
            assert!(m % 2 == 1 && (3..=7).contains(&m));
            assert!(fault_tolerance(m) >= f.min(3));
        }
    }

    #[test]
    fn zone_verdicts() {
        let z = |v: &[(&str, u32)]| {
            v.iter()
                .map(|(a, b)| (a.to_string(), *b))
                .collect::<Vec<_>>()
        };
        assert!(zone_report(&z(&[("a", 2), ("b", 2), ("c", 1)])).survives_any_zone_loss);
        let r = zone_report(&z(&[("a", 2), ("b", 1)]));
        assert!(!r.survives_any_zone_loss);
        assert!(!r.zones[0].survives && r.zones[1].survives);
        assert!(zone_report(&z(&[("a", 1), ("b", 1), ("c", 1)])).survives_any_zone_loss);
    }
}
