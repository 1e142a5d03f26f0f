//! README's tour, run as written: each command of the "A short tour"
//! block, in order, from a folder that holds the repository's `docs/`,
//! with the `kubeplan` the README's install line put on PATH (in CI;
//! elsewhere the one this test run built).

use std::path::PathBuf;
use std::process::Command;

use crate::common::root;

/// The tour's commands: a line that does not start with a comment starts
/// one; a comment after it (or on the lines below) says what it does.
fn tour() -> Vec<(String, String)> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let block = readme
        .split("## A short tour")
        .nth(1)
        .and_then(|t| t.split("```sh\n").nth(1))
        .and_then(|t| t.split("```").next())
        .expect("README has a tour in a sh block");
    let mut cmds: Vec<(String, String)> = Vec::new();
    for line in block.lines() {
        let t = line.trim();
        if t.starts_with('#') {
            if let Some(last) = cmds.last_mut() {
                last.1.push_str(t);
            }
            continue;
        }
        let (cmd, note) = match t.find(" #") {
            Some(i) => (t[..i].trim(), &t[i + 2..]),
            None => (t, ""),
        };
        if !cmd.is_empty() {
            cmds.push((cmd.to_string(), note.to_string()));
        }
    }
    cmds
}

/// The folder of the `kubeplan` the tour runs.
fn bin_dir() -> PathBuf {
    if std::env::var_os("CI").is_some() {
        // .ci/run ran README's install line before the tests.
        let installed = crate::export::program("kubeplan").expect("kubeplan installed");
        return installed.parent().unwrap().to_path_buf();
    }
    PathBuf::from(env!("CARGO_BIN_EXE_kubeplan"))
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn the_readme_tour_runs_as_written() {
    let cmds = tour();
    assert!(cmds.len() >= 20, "{cmds:?}");
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(root().join("docs"), dir.path().join("docs")).unwrap();
    let path = format!(
        "{}:{}",
        bin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut ran = 0;
    for (cmd, note) in &cmds {
        assert!(cmd.starts_with("kubeplan"), "{cmd}");
        if note.contains("in a terminal") {
            continue; // the questionnaire: tests/it/pty.rs answers it
        }
        let out = Command::new("sh")
            .args(["-c", cmd])
            .current_dir(dir.path())
            .env("PATH", &path)
            .env_remove("CI")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        let code = out.status.code();
        // 1 is a verdict (findings, a failure that takes the cluster
        // down), never a usage error.
        assert!(
            matches!(code, Some(0 | 1)) && !err.contains("error:"),
            "`{cmd}` exited {code:?}: {err}"
        );
        assert!(
            !out.stdout.is_empty()
                || cmd.contains(" -o ")
                || cmd.contains('>')
                || cmd.contains(" -d "),
            "`{cmd}` printed nothing"
        );
        ran += 1;
    }
    assert!(ran + 1 >= cmds.len(), "{ran} of {}", cmds.len());
}
