//! The plan loader and every lint renderer: kubeplan's harness (`kubeplan::fuzz::plan`), which the regression
//! test replays too.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kubeplan::fuzz::plan(data));
