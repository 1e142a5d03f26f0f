//! `cargo bench --bench startup`: every command as a whole process, against
//! a Rust hello-world compiled in the same run (the process floor).
//!
//! Rounds are paired: each round runs the hello-world and then every
//! command once, so a slow moment of the machine weighs on both sides.
//! Prints the median wall time of each and its ratio to the floor, with the
//! target from issue 10 (1.3× for commands that only read the catalog,
//! 1.6× for commands that read a plan or an answer set).
//!
//! Two builds of kubeplan are timed: the one this bench was built with (the
//! release profile of `Cargo.toml`, dynamically linked like the
//! hello-world) and a statically linked one (`cargo rustc --release --bin
//! kubeplan -- -C target-feature=+crt-static`, built here into
//! `target/static/`), which skips the dynamic loader.
//!
//! `ROUNDS=N` sets the number of rounds (default 301); `STATIC=0` skips the
//! static build.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const KUBEPLAN: &str = env!("CARGO_BIN_EXE_kubeplan");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn hello_world() -> PathBuf {
    let dir = Path::new(ROOT).join("target").join("bench-floor");
    std::fs::create_dir_all(&dir).expect("target/bench-floor");
    let src = dir.join("hello.rs");
    std::fs::write(&src, "fn main() { println!(\"hello, world\"); }\n").expect("hello.rs");
    let bin = dir.join("hello");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let ok = Command::new(rustc)
        .args(["-C", "opt-level=3", "-o"])
        .arg(&bin)
        .arg(&src)
        .status()
        .expect("rustc runs")
        .success();
    assert!(ok, "rustc could not build the hello-world floor");
    bin
}

/// A statically linked release build of kubeplan (x86_64/aarch64 Linux with
/// glibc), or None where that cannot be built.
fn static_build() -> Option<PathBuf> {
    if std::env::var("STATIC").is_ok_and(|v| v == "0") {
        return None;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let dir = Path::new(ROOT).join("target").join("static");
    let ok = Command::new(cargo)
        .args([
            "rustc",
            "--release",
            "--quiet",
            "--bin",
            "kubeplan",
            "--target-dir",
        ])
        .arg(&dir)
        .args(["--", "-C", "target-feature=+crt-static"])
        .current_dir(ROOT)
        .status()
        .is_ok_and(|s| s.success());
    let bin = dir.join("release").join("kubeplan");
    (ok && bin.exists()).then_some(bin)
}

/// One run of `bin args`, output discarded, in seconds.
fn time(bin: &Path, args: &[&str]) -> f64 {
    let start = Instant::now();
    let status = Command::new(bin)
        .args(args)
        .current_dir(ROOT)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("the command starts");
    let took = start.elapsed().as_secs_f64();
    // lint exits 1 when a plan has findings; anything above is a broken bench.
    assert!(
        status.code().is_some_and(|c| c <= 1),
        "{} {args:?} failed: {status}",
        bin.display()
    );
    took
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(301);
    let floor = hello_world();
    let plan = "docs/examples/prod-onprem-stacked.yaml";
    let commands: &[(&str, &[&str], f64)] = &[
        ("--version", &["--version"], 1.3),
        ("rules", &["rules"], 1.3),
        ("explain", &["explain", "etcd-even-members"], 1.3),
        ("quorum", &["quorum"], 1.3),
        ("schema", &["schema"], 1.3),
        ("lint (one plan)", &["lint", plan], 1.6),
        ("bom", &["bom", plan], 1.6),
        (
            "size",
            &[
                "size",
                "--platform",
                "aws",
                "--pods",
                "3000",
                "--pod-cpu",
                "0.25",
                "--pod-memory",
                "0.5",
            ],
            1.6,
        ),
        (
            "design",
            &["design", "--profile", "prod-onprem", "--yes"],
            1.6,
        ),
    ];
    let mut bins = vec![PathBuf::from(KUBEPLAN)];
    bins.extend(static_build());
    // Warm the page cache and check every command works before timing.
    time(&floor, &[]);
    for bin in &bins {
        for (_, args, _) in commands {
            time(bin, args);
        }
    }
    let mut floor_times = Vec::with_capacity(rounds);
    let mut times = vec![vec![Vec::with_capacity(rounds); commands.len()]; bins.len()];
    for _ in 0..rounds {
        floor_times.push(time(&floor, &[]));
        for (b, bin) in bins.iter().enumerate() {
            for (i, (_, args, _)) in commands.iter().enumerate() {
                times[b][i].push(time(bin, args));
            }
        }
    }
    let floor_ms = median(floor_times) * 1e3;
    println!("{rounds} paired rounds; hello-world floor {floor_ms:.3} ms (median)\n");
    let builds = ["release", "static"];
    print!("{:<18} {:>8}", "command", "target");
    for b in &builds[..bins.len()] {
        print!(" {:>11} {:>9}", format!("{b} ms"), "× floor");
    }
    println!();
    for (i, (label, _, target)) in commands.iter().enumerate() {
        print!("{label:<18} {target:>7.1}×");
        for build in &times {
            let ms = median(build[i].clone()) * 1e3;
            let ratio = ms / floor_ms;
            let mark = if ratio <= *target { " " } else { "!" };
            print!(" {ms:>11.3} {ratio:>8.2}{mark}");
        }
        println!();
    }
    println!("\n! over the target");
}
