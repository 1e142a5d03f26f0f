//! What the benches that time whole commands share: each run of kubeplan
//! happens in a fresh copy of the bench (the runner), which waits for it
//! with `wait4` and prints its wall time and peak resident memory.

use std::process::{Command, Stdio};
use std::time::Instant;

const KUBEPLAN: &str = env!("CARGO_BIN_EXE_kubeplan");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Wall time and peak resident memory (KiB) of one run. The run is started
/// by a fresh copy of this bench (see [`runner`]): a child's peak memory
/// counts what its parent held when it was forked, and this process holds
/// all the generated plans.
pub fn run(args: &[&str]) -> (f64, u64) {
    let out = Command::new(std::env::current_exe().expect("the bench's path"))
        .env(RUNNER, "1")
        .args(args)
        .current_dir(ROOT)
        .stderr(Stdio::inherit())
        .output()
        .expect("the runner starts");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut it = text.split_whitespace();
    let secs = it.next().and_then(|t| t.parse().ok());
    let kib = it.next().and_then(|t| t.parse().ok());
    match (secs, kib) {
        (Some(s), Some(k)) => (s, k),
        _ => panic!("kubeplan {args:?}: the runner said {text:?}"),
    }
}

/// Set in the environment of the runner.
pub const RUNNER: &str = "KUBEPLAN_BENCH_RUNNER";

/// The runner: starts kubeplan with its arguments, waits for it with
/// `wait4`, prints its wall time and peak memory.
pub fn runner() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let start = Instant::now();
    // Reaped by wait4 below, which also gives the peak memory.
    #[allow(clippy::zombie_processes)]
    let child = Command::new(KUBEPLAN)
        .args(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("kubeplan starts");
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let took = start.elapsed().as_secs_f64();
    assert_eq!(waited, pid, "wait4");
    let code = libc::WEXITSTATUS(status);
    assert!(code <= 1, "kubeplan {args:?} exited {code}");
    println!("{took} {}", usage.ru_maxrss);
}

pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// `RUNS` from the environment, else `default`.
pub fn runs(default: usize) -> usize {
    std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(default)
}

/// `target/NAME`, made if need be: where a bench writes its inputs.
pub fn folder(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(ROOT).join("target").join(name);
    std::fs::create_dir_all(&dir).expect("bench folder");
    dir
}
