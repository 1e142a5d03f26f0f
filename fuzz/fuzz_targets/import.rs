//! Other tools' files (YAML or an Ansible INI inventory): kubeplan's harness (`kubeplan::fuzz::import`), which the regression
//! test replays too.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kubeplan::fuzz::import(data));
