//! Storage classes from the storage needs and the workload, out of the
//! platform's storage profiles.

use super::{DesignError, Draft, Input, Topic};
use crate::catalog::StorageProfile;
use crate::plan::{Storage, StorageClass, StorageNeed, WorkloadKind};

fn class(p: &StorageProfile, default: bool) -> StorageClass {
    StorageClass {
        name: p.name.clone(),
        medium: p.medium,
        access_modes: p.access_modes.clone(),
        provisioner: Some(p.provisioner.clone()),
        default,
    }
}

pub fn run(i: &Input, d: &mut Draft) -> Result<(), DesignError> {
    let a = i.a;
    let st = &i.prof.storage;
    let fast = a.wants(StorageNeed::Fast);
    let shared = a.wants(StorageNeed::Shared);
    let stateful = a.workload == WorkloadKind::Stateful;
    if !fast && !shared && !stateful {
        d.why(
            Topic::Storage,
            "storage: no storage classes",
            "the applications need no persistent volumes; add a class when one does",
        );
        return Ok(());
    }
    let (default, why) = if fast {
        (&st.fast, "SSD block volumes were asked for: the fast class is the default, so claims that name no class get SSD".to_string())
    } else if a.workload.is_data_heavy() {
        let bind = if stateful && !shared {
            ", and its volume claims need a class to bind at all"
        } else {
            ""
        };
        (
            &st.fast,
            format!(
                "a {} workload lives on its data: its default class must be SSD{bind}",
                a.workload
            ),
        )
    } else {
        (
            &st.standard,
            "claims that name no class need a default: the platform's standard SSD block class"
                .to_string(),
        )
    };
    let mut classes = vec![class(default, true)];
    d.why(
        Topic::Storage,
        format!(
            "storage: `{}` ({}, {}) as the default class",
            default.name, default.medium, default.provisioner
        ),
        why,
    );
    if shared {
        classes.push(class(&st.shared, false));
        d.why(
            Topic::Storage,
            format!(
                "storage: `{}` ({}, {}, ReadWriteMany)",
                st.shared.name, st.shared.medium, st.shared.provisioner
            ),
            "shared access across pods needs a network file class: block volumes attach to one node at a time; applications that share data name this class",
        );
    }
    d.plan.spec.storage = Some(Storage { classes });
    Ok(())
}
