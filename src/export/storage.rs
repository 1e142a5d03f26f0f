//! `storageclasses.yaml`: the plan's StorageClass manifests
//! (`storage.k8s.io/v1`), the default one annotated as the default, each
//! with its parameters and with volume expansion where its driver expands
//! volumes; and what must be in place before they make volumes.

use std::fmt::Write;

use super::header;
use crate::catalog::Catalog;
use crate::plan::{ClusterPlan, Medium, StorageClass};

/// The provisioner written when a class names none: volumes are then
/// created by hand (local PersistentVolumes).
pub const NO_PROVISIONER: &str = "kubernetes.io/no-provisioner";

/// The plan's storage classes.
fn plan_classes(plan: &ClusterPlan) -> &[StorageClass] {
    plan.spec
        .storage
        .as_ref()
        .map_or(&[][..], |s| &s.classes[..])
}

/// A parameter value as YAML reads it back as a string.
fn value(v: &str) -> String {
    let plain = !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._/".contains(c))
        && v.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/');
    let word = matches!(
        v.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
    );
    match plain && !word {
        true => v.to_string(),
        false => serde_json::Value::String(v.to_string()).to_string(),
    }
}

pub fn classes(plan: &ClusterPlan, c: &Catalog) -> String {
    let mut out = header(plan, None, "#", "storageclasses.yaml (kubectl apply -f)");
    for (i, class) in plan_classes(plan).iter().enumerate() {
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
        if !class.parameters.is_empty() {
            out.push_str("parameters:\n");
            for (k, v) in &class.parameters {
                let note = match v.starts_with("PLACEHOLDER-") {
                    true => "  # only you know this: put the real value here",
                    false => "",
                };
                let _ = writeln!(out, "  {k}: {}{note}", value(v));
            }
        }
        out.push_str("reclaimPolicy: Delete\n");
        // Local disks bind where the pod lands; network storage can bind at once.
        let binding = match class.medium {
            Medium::Network => "Immediate",
            Medium::Ssd | Medium::Hdd => "WaitForFirstConsumer",
        };
        let _ = writeln!(out, "volumeBindingMode: {binding}");
        // Only where the driver really grows a volume (EFS does not; NFS and
        // local-path accept the claim and grow nothing).
        let expand = c.driver(provisioner).is_some_and(|d| d.expansion);
        let _ = writeln!(out, "allowVolumeExpansion: {expand}");
    }
    out
}

/// What must be in place before the classes make volumes: the drivers the
/// plan's tool does not install, each driver's preparation, and the
/// placeholders to fill in (in class order, each once).
pub fn prerequisites(plan: &ClusterPlan, c: &Catalog) -> Vec<String> {
    let bundled = plan
        .spec
        .tooling
        .and_then(|t| c.tool(t))
        .map_or(&[][..], |t| &t.drivers[..]);
    let mut out: Vec<String> = Vec::new();
    let mut add = |s: String| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    for class in plan_classes(plan) {
        let Some(d) = class.provisioner.as_deref().and_then(|p| c.driver(p)) else {
            continue;
        };
        if let (Some(install), false) = (&d.install, bundled.contains(&d.provisioner)) {
            add(format!("install {}: {install}", d.provisioner));
        }
        let prepare = d.preparation(&class.parameters);
        for (k, v) in class
            .parameters
            .iter()
            .filter(|(_, v)| v.starts_with("PLACEHOLDER-"))
        {
            // Unless the preparation already says where the value goes.
            if !prepare
                .as_ref()
                .is_some_and(|p| p.contains(&format!("place of `{v}`")))
            {
                add(format!(
                    "put the real {k} of class `{}` in place of `{v}`",
                    class.name
                ));
            }
        }
        if let Some(p) = prepare {
            add(p);
        }
    }
    out
}
