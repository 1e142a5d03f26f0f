//! The `design --answers` loader, then the design of what it accepts: kubeplan's harness (`kubeplan::fuzz::answers`), which the regression
//! test replays too.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kubeplan::fuzz::answers(data));
