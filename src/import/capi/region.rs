//! The region of a Cluster API cluster: its infrastructure cluster's
//! `spec.region` (AWSCluster, GCPCluster) or `spec.location` (AzureCluster).

use super::Docs;
use crate::import::imported::Imported;

/// Sets the plan's region from the infrastructure cluster, where it names
/// one (an unrendered `${VAR}` is left out: the zones say nothing either).
pub(super) fn read(imp: &mut Imported, infra: Option<&(String, String)>, docs: &Docs) {
    let Some(doc) = infra.and_then(|(kind, name)| docs.referenced(kind, name)) else {
        return;
    };
    let Some(at) = doc.at("spec.region").or_else(|| doc.at("spec.location")) else {
        return;
    };
    if let Some(region) = at.text().filter(|t| !t.contains("${")) {
        imp.plan.spec.region = Some(region);
        imp.from("spec.region", at.spot());
    }
}
