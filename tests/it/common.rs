//! What every test module shares: the binary with one clean environment,
//! the repository's paths, and the check that a generated file is current.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// The repository's root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A file under the repository's root, as a string.
pub fn path(rel: &str) -> String {
    root().join(rel).display().to_string()
}

/// `docs/examples/NAME`.
pub fn example(name: &str) -> String {
    path(&format!("docs/examples/{name}"))
}

/// The `kubeplan` binary, run from the repository's root with one clean
/// environment: none of the caller's `NO_COLOR`, `CI` or `COLUMNS` (a test
/// that wants one sets it), no terminal, and bounded in time.
pub fn kubeplan() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("kubeplan").expect("the kubeplan binary");
    c.current_dir(root())
        .env_remove("NO_COLOR")
        .env_remove("CI")
        .env_remove("COLUMNS")
        .timeout(Duration::from_secs(120));
    c
}

/// `kubeplan ARGS`, run to the end.
pub fn run(args: &[&str]) -> std::process::Output {
    kubeplan().args(args).output().expect("kubeplan runs")
}

/// A generated file (`rel` under the root) must hold what the code makes
/// today; `KUBEPLAN_BLESS=1 cargo test` rewrites every such file.
pub fn assert_current(rel: &str, generated: &str) {
    let file: PathBuf = root().join(rel);
    if std::env::var_os("KUBEPLAN_BLESS").is_some() {
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(&file, generated).unwrap();
    }
    let on_disk = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        on_disk == generated,
        "{rel} is stale: run `KUBEPLAN_BLESS=1 cargo test` to rewrite it"
    );
}

/// A file of `../shared/reference/` beside the checkout, or None (and a
/// loud line) where there is none.
pub fn reference(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/reference")
        .join(rel);
    if p.exists() {
        return Some(p);
    }
    eprintln!(
        "\n*** SKIPPED: {} is not beside this checkout; the checks that read it did not run ***\n",
        p.display()
    );
    None
}
