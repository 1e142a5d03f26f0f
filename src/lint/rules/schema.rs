//! Schema: the loader checks every document against the plan format; these rules name what it finds (no check function here).

use super::prelude::*;

pub const GROUP: &str = "Schema";

rule! {
    SCHEMA_UNKNOWN_FIELD: "schema-unknown-field", Always(Error), None,
    summary: "A key the plan format does not know.",
    what: "Every key of the document against the ClusterPlan format (`kubeplan schema`). The help names the closest known key.",
    why: "A misspelt key is otherwise silently ignored, and the plan means something other than what its author wrote: `contolPlane:` leaves the control plane at its defaults.",
    fix: "Rename the key to the one the help suggests, or remove it.",
    near_miss: [("contolPlane:", "controlPlane:")],
}

rule! {
    SCHEMA_INVALID_VALUE: "schema-invalid-value", Always(Error), None,
    summary: "A value of the wrong type, an unknown enum value, a negative or absurd number, or a bad duration or CIDR.",
    what: "Each value against its type in the format: whole numbers for counts, one of the listed words for enums (with the closest valid one), Go durations (`15s`, `1m30s`), CIDR blocks (`10.244.0.0/16`), DNS-label names, and sanity bounds on every number.",
    why: "A value the advisor cannot read cannot be checked; guessing would hide the mistake.",
    fix: "Write the value in the form the message asks for.",
    near_miss: [("prodution", "production")],
}

rule! {
    SCHEMA_MISSING_FIELD: "schema-missing-field", Always(Error), None,
    summary: "A required field is absent.",
    what: "That `apiVersion`, `kind`, `metadata.name`, `spec.purpose` and `spec.platform` are present, and the required fields of each nested object (a worker pool's `name`, `nodes` and `machine`; a machine's `cpu` and `memoryGiB`; ...).",
    why: "The purpose and platform decide which rules apply and which limits hold; without them no rule can be judged.",
    fix: "Add the field; `kubeplan schema` lists every field and `kubeplan design -o plan.yaml` writes a complete plan.",
    near_miss: [("spec:  # <- fires here\n", "spec:\n  purpose: testing\n")],
}
