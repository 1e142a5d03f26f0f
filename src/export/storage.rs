//! `storageclasses.yaml`: the plan's StorageClass manifests
//! (`storage.k8s.io/v1`), the default one annotated as the default.

use std::fmt::Write;

use super::header;
use crate::plan::{ClusterPlan, Medium};

/// The provisioner written when a class names none: volumes are then
/// created by hand (local PersistentVolumes).
pub const NO_PROVISIONER: &str = "kubernetes.io/no-provisioner";

/// Amazon EFS's CSI driver, whose classes need the file system to use.
const EFS: &str = "efs.csi.aws.com";

pub fn classes(plan: &ClusterPlan) -> String {
    let mut out = header(plan, None, "#", "storageclasses.yaml (kubectl apply -f)");
    let classes = plan
        .spec
        .storage
        .as_ref()
        .map_or(&[][..], |s| &s.classes[..]);
    for (i, class) in classes.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        let provisioner = class.provisioner.as_deref().unwrap_or(NO_PROVISIONER);
        let _ = writeln!(
            out,
            "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:"
        );
        let _ = writeln!(out, "  name: {}", class.name);
        if class.default {
            out.push_str(
                "  annotations:\n    storageclass.kubernetes.io/is-default-class: \"true\"\n",
            );
        }
        let _ = writeln!(out, "provisioner: {provisioner}");
        if provisioner == EFS {
            // The EFS driver provisions access points in a file system that
            // must exist (aws-efs-csi-driver, dynamic provisioning).
            out.push_str("parameters:\n  provisioningMode: efs-ap\n  fileSystemId: PLACEHOLDER-fs-id  # the EFS file system (aws efs create-file-system)\n  directoryPerms: \"700\"\n");
        }
        out.push_str("reclaimPolicy: Delete\n");
        // Local disks bind where the pod lands; network storage can bind at once.
        let binding = match class.medium {
            Medium::Network => "Immediate",
            Medium::Ssd | Medium::Hdd => "WaitForFirstConsumer",
        };
        let _ = writeln!(out, "volumeBindingMode: {binding}");
        let expand = provisioner != NO_PROVISIONER;
        let _ = writeln!(out, "allowVolumeExpansion: {expand}");
    }
    out
}
