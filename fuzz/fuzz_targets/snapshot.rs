//! A running cluster's snapshot (`kubectl get nodes,pods -A -o json`):
//! kubeplan's harness (`kubeplan::fuzz::snapshot`), which the regression
//! test replays too.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kubeplan::fuzz::snapshot(data));
