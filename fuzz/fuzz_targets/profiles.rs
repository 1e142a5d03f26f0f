//! A `--profiles-dir` file, then what every command does with its catalog: kubeplan's harness (`kubeplan::fuzz::profiles`), which the regression
//! test replays too.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kubeplan::fuzz::profiles(data));
