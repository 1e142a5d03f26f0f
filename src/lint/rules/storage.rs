//! Storage: storage classes against the workload.

use super::prelude::*;
use crate::plan::{AccessMode, Medium, WorkloadKind};

pub const GROUP: &str = "Storage";

rule! {
    STORAGE_RWX_UNSUPPORTED: "storage-rwx-unsupported", Always(Error), Some(storage_rwx_unsupported),
    needs: [Storage],
    summary: "A block-storage class that asks for ReadWriteMany.",
    what: "A storage class on ssd or hdd media whose access modes include ReadWriteMany.",
    why: "Block volumes attach to one node at a time; shared read-write access across nodes needs network (file) storage such as NFS, EFS, Filestore or Azure Files.",
    fix: "Use `medium: network` for the shared class, and keep block classes ReadWriteOnce.",
    near_miss: [("medium: ssd", "medium: network")],
}

fn storage_rwx_unsupported(ctx: &Ctx) -> Vec<Hit> {
    classes(ctx)
        .iter()
        .enumerate()
        .filter(|(_, c)| c.medium != Medium::Network && c.access_modes.contains(&AccessMode::ReadWriteMany))
        .map(|(i, c)| {
            Hit::new(
                format!("spec.storage.classes[{i}].accessModes"),
                format!("class `{}` is {} block storage but asks for ReadWriteMany; block volumes attach to one node at a time", c.name, c.medium),
                "use `medium: network` (NFS, EFS, Filestore, Azure Files) for shared access",
            )
        })
        .collect()
}

rule! {
    STORAGE_SLOW_FOR_WORKLOAD: "storage-slow-for-workload", Always(Warning), Some(storage_slow_for_workload),
    needs: [Storage, Workload],
    summary: "A data-heavy workload whose default storage class is not SSD.",
    what: "Workload kind stateful, analytics or big-data with a default storage class whose medium is not ssd.",
    why: "Databases and data processing are bound by disk latency and IOPS; high-performance workloads want SSD-backed storage.",
    fix: "Make an ssd class the default, and give the applications that need shared access a network class explicitly.",
    near_miss: [("medium: hdd", "medium: ssd")],
}

fn storage_slow_for_workload(ctx: &Ctx) -> Vec<Hit> {
    let Some(w) = &ctx.plan.spec.workload else {
        return vec![];
    };
    if !w.kind.is_data_heavy() {
        return vec![];
    }
    let defaults: Vec<(usize, &crate::plan::StorageClass)> = classes(ctx)
        .iter()
        .enumerate()
        .filter(|(_, c)| c.default)
        .collect();
    match defaults.as_slice() {
        [(i, c)] if c.medium != Medium::Ssd => vec![Hit::new(
            format!("spec.storage.classes[{i}].medium"),
            format!("the {} workload's default storage class `{}` is {}, not ssd", w.kind, c.name, c.medium),
            "make an ssd class the default; give applications that need shared access a network class explicitly",
        )],
        _ => vec![],
    }
}

rule! {
    STORAGE_MISSING_FOR_STATEFUL: "storage-missing-for-stateful", Always(Warning), Some(storage_missing_for_stateful),
    needs: [Storage, Workload],
    summary: "A stateful workload with no storage class.",
    what: "Workload kind stateful and no `storage.classes`.",
    why: "Stateful applications claim persistent volumes; with no storage class their claims stay Pending.",
    fix: "Define storage classes: an SSD block class for databases, a network class for shared access.",
    near_miss: [("kind: stateful", "kind: web")],
}

fn storage_missing_for_stateful(ctx: &Ctx) -> Vec<Hit> {
    let Some(w) = &ctx.plan.spec.workload else {
        return vec![];
    };
    if w.kind != WorkloadKind::Stateful || !classes(ctx).is_empty() {
        return vec![];
    }
    vec![Hit::new(
        "spec.workload.kind",
        "the workload is stateful but the plan defines no storage class: its volume claims would stay Pending",
        "add `storage.classes`: an ssd block class for databases, a network class for shared access",
    )]
}

rule! {
    STORAGE_DEFAULT_CLASS: "storage-default-class", Always(Warning), Some(storage_default_class),
    needs: [Storage],
    summary: "Storage classes with no default, or with several.",
    what: "That exactly one storage class is marked `default: true` when classes exist.",
    why: "Claims that name no class get the default; with none they stay Pending, and with several Kubernetes picks one you did not choose.",
    fix: "Mark exactly one class `default: true`.",
    near_miss: [(
            "[ReadWriteOnce]\n      - name: shared",
            "[ReadWriteOnce]\n        default: true\n      - name: shared",
        )],
}

fn storage_default_class(ctx: &Ctx) -> Vec<Hit> {
    let cs = classes(ctx);
    if cs.is_empty() {
        return vec![];
    }
    let defaults: Vec<&str> = cs
        .iter()
        .filter(|c| c.default)
        .map(|c| c.name.as_str())
        .collect();
    let msg = match defaults.len() {
        1 => return vec![],
        0 => format!(
            "{} storage classes and none is the default: claims that name no class stay Pending",
            cs.len()
        ),
        n => format!(
            "{n} storage classes are marked default ({}): Kubernetes picks one you did not choose",
            defaults.join(", ")
        ),
    };
    vec![Hit::new(
        "spec.storage.classes",
        msg,
        "mark exactly one class `default: true`",
    )]
}

fn classes<'a>(ctx: &Ctx<'a>) -> &'a [crate::plan::StorageClass] {
    ctx.plan
        .spec
        .storage
        .as_ref()
        .map_or(&[], |s| s.classes.as_slice())
}
