//! Storage: storage classes against the workload.

use super::prelude::*;
use crate::catalog::StorageDriver;
use crate::plan::{AccessMode, Medium, StorageClass, WorkloadKind};

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

rule! {
    STORAGE_CLASS_MISSING_PARAMETER: "storage-class-missing-parameter", Always(Error), Some(storage_class_missing_parameter),
    needs: [Storage],
    summary: "A storage class without a parameter its driver needs.",
    what: "Each class's `parameters` against what its provisioner needs (the `storageDrivers` catalog): EFS provisioningMode, fileSystemId and directoryPerms; csi-driver-nfs server and share; OpenEBS LVM volgroup or vgpattern; Rook RBD clusterID, pool and the CSI secrets; Rook CephFS clusterID, fsName and the CSI secrets.",
    why: "The driver cannot make a volume without them: every claim of the class stays Pending, and the reason shows only in the provisioner's log.",
    fix: "Set the parameters; `kubeplan design` writes them, with a PLACEHOLDER for a value only you know (an NFS server's address, an EFS file system id) that the export's apply steps name.",
    near_miss: [("server: nfs.example.internal\n", "server: nfs.example.internal\n          share: /srv/nfs/kubernetes\n")],
}

/// The plan's classes whose driver the catalog knows, with their index.
fn with_driver<'a>(
    ctx: &Ctx<'a>,
) -> impl Iterator<Item = (usize, &'a StorageClass, &'a StorageDriver)> {
    let catalog = ctx.catalog;
    classes(ctx).iter().enumerate().filter_map(move |(i, c)| {
        let d = catalog.driver(c.provisioner.as_deref()?)?;
        Some((i, c, d))
    })
}

fn storage_class_missing_parameter(ctx: &Ctx) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (i, c, d) in with_driver(ctx) {
        let missing: Vec<String> = d
            .missing(&c.parameters)
            .into_iter()
            .map(|alts| match alts {
                [one] => format!("`{one}`"),
                [first, rest @ ..] => format!(
                    "`{first}` (or {})",
                    rest.iter()
                        .map(|r| format!("`{r}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                [] => String::new(),
            })
            .collect();
        let missing = crate::prose::and_list(&missing);
        if missing.is_empty() {
            continue;
        }
        let field = match c.parameters.is_empty() {
            true => format!("spec.storage.classes[{i}].provisioner"),
            false => format!("spec.storage.classes[{i}].parameters"),
        };
        hits.push(Hit::new(
            field,
            format!("class `{}` ({}) sets no {missing}: the driver makes no volume and its claims stay Pending", c.name, d.provisioner),
            format!("set {missing} under the class's parameters"),
        ));
    }
    hits
}

rule! {
    STORAGE_CLASS_MEDIUM_MISMATCH: "storage-class-medium-mismatch", Always(Error), Some(storage_class_medium_mismatch),
    needs: [Storage],
    summary: "A storage class whose parameters give another disk than its medium says.",
    what: "Where the driver picks the disk with a parameter (EBS and PD `type`, Azure Disk `skuName`), the medium that value (or the driver's default) gives against the class's `medium`, and values the driver does not know.",
    why: "A class declared SSD that provisions HDD gives databases a fraction of the IOPS the plan promised, with no error anywhere: the PD CSI driver's default type is pd-standard, an HDD.",
    fix: "Set the parameter: `type: pd-ssd` or `pd-balanced` on GKE, `skuName: Premium_LRS` on AKS, `type: gp3` on EBS.",
    near_miss: [("provisioner: pd.csi.storage.gke.io\n", "provisioner: pd.csi.storage.gke.io\n        parameters: {type: pd-ssd}\n")],
}

fn storage_class_medium_mismatch(ctx: &Ctx) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (i, c, d) in with_driver(ctx) {
        let Some(m) = &d.medium else { continue };
        let field = format!("spec.storage.classes[{i}].medium");
        match d.delivers(&c.parameters) {
            None => hits.push(Hit::new(
                format!("spec.storage.classes[{i}].parameters"),
                format!(
                    "class `{}` sets {} `{}`, which {} does not know",
                    c.name,
                    m.parameter,
                    c.parameters.get(&m.parameter).map_or("", String::as_str),
                    d.provisioner
                ),
                format!(
                    "use one of {}",
                    m.values.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            )),
            Some((got, value)) if got != c.medium && c.medium != crate::plan::Medium::Network => {
                let how = match c.parameters.contains_key(&m.parameter) {
                    true => format!("its {} `{value}`", m.parameter),
                    false => format!("no {}, so the driver's default `{value}`", m.parameter),
                };
                let ssd: Vec<&str> = m
                    .values
                    .iter()
                    .filter(|(_, md)| **md == c.medium)
                    .map(|(k, _)| k.as_str())
                    .collect();
                hits.push(Hit::new(
                    field,
                    format!(
                        "class `{}` says {} but sets {how}, which is {got}",
                        c.name, c.medium,
                    ),
                    format!("set {}: {}", m.parameter, ssd.join(" or ")),
                ));
            }
            _ => {}
        }
    }
    hits
}

rule! {
    STORAGE_SINGLE_POINT: "storage-single-point", ProductionOnly(Error), Some(storage_single_point),
    needs: [Storage, Zones],
    summary: "One failure takes a storage system's volumes away.",
    what: "Each single failure `kubeplan whatif` finds (a zone, one storage server) against the storage servers: copies of each volume left against the fewest that keep it writable (`minCopies`), and storage monitors left against their quorum.",
    why: "A lone NFS server, or a 3-copy Ceph pool over two zones, loses every volume with one machine or one zone while the rest of the cluster survives it: the pods that use them hang.",
    fix: "Replicate the storage: Rook-Ceph with a server per zone over 3 zones, Ceph stretch mode over 2 zones with an arbiter in a third site, or the provider's regional storage.",
    near_miss: [("nodes: 1  # <- fires here\n        copies: 1", "nodes: 3\n        copies: 3\n        minCopies: 2")],
}

fn storage_single_point(ctx: &Ctx) -> Vec<Hit> {
    if ctx
        .plan
        .spec
        .storage
        .as_ref()
        .is_none_or(|s| s.servers.is_empty())
    {
        return vec![];
    }
    let r = crate::whatif::run::run(ctx.catalog, ctx.plan, &[], 1);
    let mut seen: Vec<String> = Vec::new();
    let mut hits = Vec::new();
    for s in r.scenarios.iter().filter(|s| s.order == 1) {
        for st in s.outcome.storage.iter().filter(|st| !st.ok) {
            if seen.contains(&st.servers) {
                continue;
            }
            seen.push(st.servers.clone());
            let i = ctx
                .plan
                .spec
                .storage
                .iter()
                .flat_map(|x| x.servers.iter())
                .position(|g| g.name == st.servers)
                .unwrap_or(0);
            hits.push(Hit::new(
                format!("spec.storage.servers[{i}].nodes"),
                format!("losing {} takes storage servers `{}` away: {}", s.outcome.failed_text(), st.servers, st.why),
                "replicate the storage: a server per zone over 3 zones, Ceph stretch mode over 2 zones with an arbiter, or the provider's regional storage",
            ));
        }
    }
    hits
}

rule! {
    STORAGE_ZONAL_VOLUMES: "storage-zonal-volumes", ProductionOnly(Info), Some(storage_zonal_volumes),
    needs: [Storage, Workload, Zones],
    summary: "A production stateful workload over zones whose default volumes live in one zone or on one node.",
    what: "A production stateful plan over 2 or more zones whose default class keeps a volume in one zone (EBS, PD and Azure Disk LRS) or on one node's disks (local volumes).",
    why: "A pod bound to a zonal volume can run only in that zone: when the zone fails, the pod stays down until it returns, however much room the other zones have (kubernetes/website, Running in multiple zones). `kubeplan whatif` counts those pods.",
    fix: "Use a class whose volumes span zones (a regional PD, `replication-type: regional-pd`; an Azure ZRS disk, `skuName: Premium_ZRS`; replicated storage on your own machines), or keep a replica of the data in each zone in the application.",
    near_miss: [("kind: stateful", "kind: web")],
}

fn storage_zonal_volumes(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    let stateful = p
        .spec
        .workload
        .as_ref()
        .is_some_and(|w| w.kind == WorkloadKind::Stateful);
    if !stateful || p.zones().len() < 2 {
        return vec![];
    }
    let Some((i, c, d)) = with_driver(ctx).find(|(_, c, _)| c.default) else {
        return vec![];
    };
    let place = match d.scope_of(&c.parameters) {
        crate::catalog::VolumeScope::Zone => "in one zone",
        crate::catalog::VolumeScope::Node => "on one node's disks",
        _ => return vec![],
    };
    vec![Hit::new(
        format!("spec.storage.classes[{i}].provisioner"),
        format!("the stateful workload's default class `{}` ({}) keeps each volume {place}: a pod whose volume is in a lost zone stays down until the zone returns", c.name, d.provisioner),
        "use a class whose volumes span zones (regional PD, Azure ZRS, replicated storage), or keep a replica in each zone in the application",
    )]
}
