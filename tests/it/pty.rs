//! The interactive questionnaire in a real pseudo-terminal (expectrl).
#![cfg(unix)]

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use expectrl::process::unix::WaitStatus;
use expectrl::{Eof, Expect, Session};

const DOWN: &str = "\x1b[B";

fn session(dir: &Path, args: &[&str]) -> expectrl::session::OsSession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kubeplan"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("CI")
        .env("NO_COLOR", "1")
        .env("TERM", "xterm-256color")
        // The answers kept as they are given go here, not to ~/.local/state.
        .env("XDG_STATE_HOME", dir.join("state"));
    let mut s = Session::spawn(cmd).expect("spawn kubeplan in a pty");
    s.set_expect_timeout(Some(Duration::from_secs(20)));
    s.get_process_mut()
        .set_window_size(120, 40)
        .expect("set the pty size");
    s
}

fn ask(s: &mut expectrl::session::OsSession, question: &str, keys: &str) {
    s.expect(question)
        .unwrap_or_else(|e| panic!("waiting for {question:?}: {e}"));
    s.send(keys).unwrap();
}

/// Enter at every question after the pods of an on-prem design, and at
/// the summary.
fn defaults_after_pods(s: &mut expectrl::session::OsSession) {
    for q in [
        "steady or bursty",
        "How many failure domains",
        "failures must it survive",
        "What storage do the applications need?",
        "Average CPU request per pod",
        "Average memory request per pod",
        "Which CPU architecture",
        "Pod network range",
        "Service range",
        "Design the cluster with these answers?",
    ] {
        ask(s, q, "\r");
    }
}

fn exit_code(s: &mut expectrl::session::OsSession) -> i32 {
    s.expect(Eof).ok();
    match s.get_process().wait().expect("wait for kubeplan") {
        WaitStatus::Exited(_, code) => code,
        other => panic!("kubeplan did not exit normally: {other:?}"),
    }
}

#[test]
fn answering_every_question_writes_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path(), &["design", "-o", "plan.yaml"]);
    ask(&mut s, "What is the cluster for?", "production\r");
    ask(&mut s, "Where does it run?", "aws\r");
    ask(&mut s, "Let the provider run the control plane", "y\r");
    ask(&mut s, "What runs on it?", "stateful\r");
    ask(&mut s, "How many applications?", "12\r");
    ask(&mut s, "How many pods at peak", "3000\r");
    ask(&mut s, "steady or bursty", "burst\r");
    ask(&mut s, "Which region?", "eu-west-1\r");
    ask(&mut s, "How many failure domains", "3\r");
    // EKS runs etcd: "failures must it survive" is not asked.
    // Nothing is ticked (none): tick fast and shared.
    ask(
        &mut s,
        "What storage do the applications need?",
        &format!("{DOWN} {DOWN} \r"),
    );
    ask(&mut s, "Average CPU request per pod", "0.5\r");
    ask(&mut s, "Average memory request per pod", "2\r");
    ask(&mut s, "Which CPU architecture", "\r");
    // EKS pods take VPC addresses: no pod range is asked.
    ask(&mut s, "Service range", "\r");
    s.expect("podMemoryGiB").unwrap();
    ask(&mut s, "Design the cluster with these answers?", "y\r");
    s.expect("Cluster design prod-aws").unwrap();
    assert_eq!(exit_code(&mut s), 0);

    let plan = std::fs::read_to_string(dir.path().join("plan.yaml")).unwrap();
    for want in [
        "tooling: eks",
        "pods: 3000",
        "kind: stateful",
        "traffic: burst",
        "efs-shared",
        "gp3-ssd",
        "eu-west-1a",
    ] {
        assert!(plan.contains(want), "{want} missing from\n{plan}");
    }
    let lint = assert_cmd::Command::new(env!("CARGO_BIN_EXE_kubeplan"))
        .args(["lint", "--fail-on", "warning"])
        .arg(dir.path().join("plan.yaml"))
        .output()
        .unwrap();
    assert!(lint.status.success(), "{lint:?}");
}

#[test]
fn enter_takes_every_default() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path(), &["design", "--save-answers", "answers.yaml"]);
    for q in [
        "What is the cluster for?",
        "Where does it run?",
        "What runs on it?",
        "How many applications?",
        "How many pods at peak",
        "steady or bursty",
        "How many failure domains",
        "failures must it survive",
        "What storage do the applications need?",
        "Average CPU request per pod",
        "Average memory request per pod",
        "Which CPU architecture",
        "Pod network range",
        "Service range",
        "Design the cluster with these answers?",
    ] {
        ask(&mut s, q, "\r");
    }
    s.expect("Cluster design dev-on-prem").unwrap();
    assert_eq!(exit_code(&mut s), 0);
    let saved = std::fs::read_to_string(dir.path().join("answers.yaml")).unwrap();
    for want in [
        "purpose: development",
        "platform: on-prem",
        "apps: 10",
        // One pod per application by default for development.
        "pods: 10",
        "podCpu: 0.25",
    ] {
        assert!(saved.contains(want), "{want} missing from\n{saved}");
    }
}

#[test]
fn a_bad_number_is_asked_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(
        dir.path(),
        &[
            "design",
            "--purpose",
            "development",
            "--platform",
            "on-prem",
            "--workload",
            "web",
            "--pods",
            "40",
            "--traffic",
            "steady",
            "--zones",
            "1",
            "--tolerate",
            "0",
            "--storage",
            "none",
            "--save-answers",
            "answers.yaml",
        ],
    );
    ask(&mut s, "How many applications?", "abc\r");
    s.expect("type a whole number").unwrap();
    s.send("\x7f\x7f\x7f0\r").unwrap();
    s.expect("must be between 1 and").unwrap();
    s.send("\x7f7\r").unwrap();
    ask(&mut s, "Average CPU request per pod", "\r");
    ask(&mut s, "Average memory request per pod", "\r");
    ask(&mut s, "Which CPU architecture", "\r");
    ask(&mut s, "Pod network range", "\r");
    ask(&mut s, "Service range", "\r");
    ask(&mut s, "Design the cluster with these answers?", "\r");
    assert_eq!(exit_code(&mut s), 0);
    let saved = std::fs::read_to_string(dir.path().join("answers.yaml")).unwrap();
    assert!(saved.contains("apps: 7"), "{saved}");
}

#[test]
fn saying_no_at_the_summary_goes_round_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(
        dir.path(),
        &[
            "design",
            "--purpose",
            "testing",
            "--platform",
            "on-prem",
            "--workload",
            "web",
            "--apps",
            "2",
            "--traffic",
            "steady",
            "--zones",
            "1",
            "--tolerate",
            "0",
            "--storage",
            "none",
            "--save-answers",
            "answers.yaml",
        ],
    );
    ask(&mut s, "How many pods at peak", "20\r");
    ask(&mut s, "Average CPU request per pod", "\r");
    ask(&mut s, "Average memory request per pod", "\r");
    ask(&mut s, "Which CPU architecture", "\r");
    ask(&mut s, "Pod network range", "\r");
    ask(&mut s, "Service range", "\r");
    ask(
        &mut s,
        "Design the cluster with these answers?",
        &format!("{DOWN}{DOWN}\r"),
    );
    // Round two: every question, with the answers so far as defaults.
    ask(&mut s, "What is the cluster for?", "\r");
    ask(&mut s, "Where does it run?", "\r");
    ask(&mut s, "What runs on it?", "\r");
    ask(&mut s, "How many applications?", "\r");
    ask(&mut s, "How many pods at peak", "\x7f\x7f60\r");
    defaults_after_pods(&mut s);
    assert_eq!(exit_code(&mut s), 0);
    let saved = std::fs::read_to_string(dir.path().join("answers.yaml")).unwrap();
    assert!(
        saved.contains("pods: 60") && saved.contains("purpose: testing"),
        "{saved}"
    );
}

fn interrupted_at_first_question(keys: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(
        dir.path(),
        &[
            "design",
            "-o",
            "plan.yaml",
            "--save-answers",
            "answers.yaml",
        ],
    );
    // The keys alone, right at the first question: with an arrow key sent
    // just before them, CI on a loaded machine twice saw no interrupt (the
    // escape sequence read in pieces, its Esc taken for a key of its own).
    ask(&mut s, "What is the cluster for?", keys);
    s.expect("interrupted; nothing was written").unwrap();
    assert_eq!(exit_code(&mut s), 130);
    assert!(!dir.path().join("plan.yaml").exists());
    assert!(!dir.path().join("answers.yaml").exists());
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "no temporary file is left: {left:?}");
}

#[test]
fn ctrl_c_exits_130_and_writes_nothing() {
    interrupted_at_first_question("\x03");
}

#[test]
fn end_of_input_exits_130_and_writes_nothing() {
    interrupted_at_first_question("\x04");
}

#[test]
fn ci_never_prompts() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kubeplan"));
    cmd.args(["design", "--platform", "aws"])
        .current_dir(dir.path())
        .env("CI", "true");
    let mut s = Session::spawn(cmd).unwrap();
    s.set_expect_timeout(Some(Duration::from_secs(20)));
    s.expect("not asking: CI is set").unwrap();
    assert_eq!(exit_code(&mut s), 2);
}

#[test]
fn no_input_never_prompts() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(
        dir.path(),
        &["design", "--no-input", "--purpose", "learning"],
    );
    s.expect("missing answers: platform (--platform)").unwrap();
    s.expect("not asking: --no-input is set").unwrap();
    assert_eq!(exit_code(&mut s), 2);
}

/// Questions that do not apply are not asked: a learning cluster has no
/// zones, failures or traffic to plan for; ticking one storage need is
/// accepted at once.
#[test]
fn learning_skips_what_does_not_apply() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path(), &["design", "--save-answers", "answers.yaml"]);
    ask(&mut s, "What is the cluster for?", "learning\r");
    ask(&mut s, "Where does it run?", "\r");
    ask(&mut s, "What runs on it?", "\r");
    ask(&mut s, "How many applications?", "\r");
    ask(&mut s, "How many pods at peak", "\r");
    // Next is storage, not traffic, zones or failures.
    ask(
        &mut s,
        "What storage do the applications need?",
        &format!("{DOWN} \r"),
    );
    ask(&mut s, "Average CPU request per pod", "\r");
    ask(&mut s, "Average memory request per pod", "\r");
    ask(&mut s, "Which CPU architecture", "\r");
    // Learning on your own computer: its CPUs and memory size the node.
    ask(&mut s, "How many CPUs does your computer have?", "4\r");
    ask(&mut s, "How much memory does your computer have", "\r");
    let summary = s.expect("Design the cluster with these answers?").unwrap();
    let shown = String::from_utf8_lossy(summary.before()).into_owned();
    assert!(
        !shown.contains("failure domains") && !shown.contains("steady or bursty"),
        "{shown}"
    );
    s.send("y\r").unwrap();
    assert_eq!(exit_code(&mut s), 0);
    let saved = std::fs::read_to_string(dir.path().join("answers.yaml")).unwrap();
    assert!(
        saved.contains("purpose: learning") && saved.contains("hostCpu: 4"),
        "{saved}"
    );
    assert!(
        saved.contains("- fast") && !saved.contains("- none"),
        "{saved}"
    );
}

/// An interrupt from outside (`kill -INT`) during a prompt gives the terminal
/// back (bracketed paste off, cooked mode) and ends as Ctrl-C does: exit 130,
/// the same line, nothing written.
#[test]
fn an_outside_sigint_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path(), &["design", "-o", "plan.yaml"]);
    s.expect("What is the cluster for?").unwrap();
    let pid = s.get_process().pid();
    let killed = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = s.expect("interrupted; nothing was written").unwrap();
    let seen = String::from_utf8_lossy(out.before()).into_owned();
    assert!(
        seen.contains("\x1b[?2004l"),
        "bracketed paste is turned off: {seen:?}"
    );
    assert_eq!(exit_code(&mut s), 130);
    assert!(!dir.path().join("plan.yaml").exists());
}

/// `diagram` on a terminal without `-o`: an SVG would be noise, so it says
/// how to get one (exit 2); Mermaid prints.
#[test]
fn diagram_refuses_to_print_svg_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let plan = format!("{}/docs/examples/prod-eks.yaml", env!("CARGO_MANIFEST_DIR"));
    let mut s = session(dir.path(), &["diagram", &plan]);
    s.expect("an SVG is not for a terminal").unwrap();
    assert_eq!(exit_code(&mut s), 2);
    // `-o -` is the terminal too.
    let mut s = session(dir.path(), &["diagram", &plan, "-o", "-"]);
    s.expect("an SVG is not for a terminal").unwrap();
    assert_eq!(exit_code(&mut s), 2);
    let mut s = session(dir.path(), &["diagram", "-f", "mermaid", &plan]);
    s.expect("flowchart TB").unwrap();
    assert_eq!(exit_code(&mut s), 0);
}

/// A large snapshot shows how much of it is read, on a terminal only.
#[test]
fn a_large_snapshot_shows_its_reading() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cluster.json");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let node = r#"{"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1", "labels": {"topology.kubernetes.io/zone": "a"}}, "status": {"allocatable": {"cpu": "8", "memory": "32Gi", "pods": "110"}}}"#;
    write!(
        f,
        "{{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n        {node}"
    )
    .unwrap();
    // 70 pods of 1 MiB each (a large annotation): more than the 64 MiB
    // from which the bar is drawn.
    let pad = "x".repeat(1 << 20);
    for i in 0..70 {
        write!(f, ",\n        {{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {{\"name\": \"p{i}\", \"annotations\": {{\"pad\": \"{pad}\"}}}}, \"spec\": {{\"nodeName\": \"n1\", \"containers\": [{{\"name\": \"c\", \"image\": \"x\"}}]}}}}").unwrap();
    }
    write!(f, "\n    ],\n    \"kind\": \"List\"\n}}\n").unwrap();
    f.flush().unwrap();
    let out = dir.path().join("plan.yaml");
    let mut s = session(
        dir.path(),
        &[
            "import",
            path.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
    );
    s.expect("reading the snapshot").unwrap();
    assert_eq!(exit_code(&mut s), 0);
    let plan = std::fs::read_to_string(&out).unwrap();
    assert!(plan.contains("pods: 70"), "{plan}");
    // Not on a pipe.
    let piped = crate::common::run(&["import", path.to_str().unwrap()]);
    assert!(!String::from_utf8_lossy(&piped.stderr).contains("reading the snapshot"));
}

/// On a terminal, where stdout and stderr are one screen, an unreadable
/// file's error is printed once (the report's), not again on stderr.
#[test]
fn an_unreadable_file_is_said_once_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("broken.yaml"),
        "apiVersion: kubeplan/v1\nspec: [unclosed\n",
    )
    .unwrap();
    let mut s = session(dir.path(), &["lint", "broken.yaml"]);
    let seen = s.expect(Eof).expect("kubeplan ends");
    let mut all = seen.before().to_vec();
    seen.matches().for_each(|m| all.extend_from_slice(m));
    let text = String::from_utf8_lossy(&all).into_owned();
    assert_eq!(text.matches("unclosed bracket").count(), 1, "{text}");
    assert!(
        text.contains("broken.yaml:2:7: error[input-unreadable]"),
        "{text}"
    );
    assert_eq!(exit_code(&mut s), 2);
}

/// Prompts read counts and sizes as people write them: `1,000` pods,
/// `250m` of CPU, `512Mi` of memory; a near miss is refused with the fix.
#[test]
fn prompts_read_kubernetes_quantities() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(
        dir.path(),
        &[
            "design",
            "--purpose",
            "development",
            "--platform",
            "on-prem",
            "--workload",
            "web",
            "--apps",
            "12",
            "--traffic",
            "steady",
            "--zones",
            "1",
            "--tolerate",
            "0",
            "--storage",
            "none",
            "--save-answers",
            "answers.yaml",
        ],
    );
    ask(&mut s, "pods at peak", "1,000\r");
    ask(&mut s, "Average CPU request per pod", "250m\r");
    ask(&mut s, "Average memory request per pod", "512MB\r");
    s.expect("did you mean `512M`?").unwrap();
    s.send("\x7f\x7fMi\r").unwrap();
    ask(&mut s, "Which CPU architecture", "\r");
    ask(&mut s, "Pod network range", "\r");
    ask(&mut s, "Service range", "\r");
    ask(&mut s, "Design the cluster with these answers?", "\r");
    assert_eq!(exit_code(&mut s), 0);
    let saved = std::fs::read_to_string(dir.path().join("answers.yaml")).unwrap();
    for want in ["pods: 1000", "podCpu: 0.25", "podMemoryGiB: 0.5"] {
        assert!(saved.contains(want), "{want}: {saved}");
    }
}

const ESC: &str = "\x1b";

/// Answers that contradict the others are refused at their own prompt,
/// with the reason, and asked again: nothing is lost.
#[test]
fn contradictions_are_refused_at_the_prompt() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(
        dir.path(),
        &[
            "design",
            "--purpose",
            "production",
            "--platform",
            "aws",
            "--managed",
            "--region",
            "auto",
            "--workload",
            "web",
            "--apps",
            "4",
            "--pods",
            "40",
            "--traffic",
            "steady",
            "--tolerate",
            "1",
            "--storage",
            "none",
            "--pod-cpu",
            "0.25",
            "--pod-memory",
            "0.5",
            "--arch",
            "amd64",
            "--save-answers",
            "answers.yaml",
        ],
    );
    ask(&mut s, "How many failure domains", "9\r");
    s.expect("us-east-1 has 6 availability zones").unwrap();
    ask(&mut s, "How many failure domains", "\x7f3\r");
    // On EKS the help names EKS's own service range, not kubeadm's.
    s.expect("EKS's default service range, 10.100.0.0/16")
        .unwrap();
    s.send("\r").unwrap();
    ask(&mut s, "Design the cluster with these answers?", "\r");
    assert_eq!(exit_code(&mut s), 0);
    let saved = std::fs::read_to_string(dir.path().join("answers.yaml")).unwrap();
    assert!(saved.contains("zones: 3"), "{saved}");

    let mut s = session(
        dir.path(),
        &[
            "design",
            "--purpose",
            "learning",
            "--platform",
            "on-prem",
            "--workload",
            "web",
            "--apps",
            "2",
            "--storage",
            "none",
            "--pod-cpu",
            "0.25",
            "--pod-memory",
            "0.5",
            "--arch",
            "amd64",
            "--host-cpu",
            "8",
            "--host-memory",
            "16",
        ],
    );
    ask(&mut s, "How many pods at peak", "5000\r");
    s.expect("a learning cluster is one node").unwrap();
    ask(&mut s, "How many pods at peak", "\x7f\x7f\x7f\x7f20\r");
    ask(&mut s, "Design the cluster with these answers?", "\r");
    assert_eq!(exit_code(&mut s), 0);
}

/// The answers are kept as they are given; after Ctrl-C, `--resume` goes
/// on from the question that was open.
#[test]
fn interrupted_answers_are_kept_and_resumed() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path(), &["design", "-o", "plan.yaml"]);
    ask(&mut s, "What is the cluster for?", "testing\r");
    ask(&mut s, "Where does it run?", "\r");
    ask(&mut s, "What runs on it?", "\r");
    ask(&mut s, "How many applications?", "\x03");
    s.expect("`kubeplan design --resume` goes on from there")
        .unwrap();
    assert_eq!(exit_code(&mut s), 130);
    assert!(!dir.path().join("plan.yaml").exists());
    let kept = dir.path().join("state/kubeplan/answers.yaml");
    let text = std::fs::read_to_string(&kept).unwrap();
    assert!(
        text.contains("purpose: testing") && text.contains("workload: web"),
        "{text}"
    );
    let mut s = session(dir.path(), &["design", "--resume", "-o", "plan.yaml"]);
    // Straight to the question that was open.
    let before = s.expect("How many applications?").unwrap();
    assert!(!String::from_utf8_lossy(before.before()).contains("What is the cluster for?"));
    s.send("\r").unwrap();
    // Production's default would be 3 per application; testing runs 2.
    ask(&mut s, "How many pods at peak", "\r");
    defaults_after_pods(&mut s);
    assert_eq!(exit_code(&mut s), 0);
    let plan = std::fs::read_to_string(dir.path().join("plan.yaml")).unwrap();
    assert!(
        plan.contains("purpose: testing") && plan.contains("pods: 20"),
        "{plan}"
    );
    // The session is done: nothing is kept any more.
    assert!(!kept.exists());
}

/// Esc steps back one question; at the summary, one answer can be changed
/// without walking every question again.
#[test]
fn esc_steps_back_and_one_answer_can_be_changed() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(
        dir.path(),
        &[
            "design",
            "--traffic",
            "steady",
            "--zones",
            "1",
            "--tolerate",
            "0",
            "--storage",
            "none",
            "--pod-cpu",
            "0.25",
            "--pod-memory",
            "0.5",
            "--arch",
            "amd64",
            "--pod-cidr",
            "auto",
            "--service-cidr",
            "auto",
            "--save-answers",
            "answers.yaml",
        ],
    );
    ask(&mut s, "What is the cluster for?", "\r");
    ask(&mut s, "Where does it run?", "\r");
    ask(&mut s, "What runs on it?", ESC);
    // Back at the platform.
    ask(&mut s, "Where does it run?", "\r");
    ask(&mut s, "What runs on it?", "\r");
    ask(&mut s, "How many applications?", "\x7f\x7f6\r");
    ask(&mut s, "How many pods at peak", "\r");
    ask(
        &mut s,
        "Design the cluster with these answers?",
        &format!("{DOWN}\r"),
    );
    ask(&mut s, "Which answer?", "pods at peak\r");
    ask(&mut s, "How many pods at peak", "\x7f\x7f\x7f\x7f25\r");
    ask(&mut s, "Design the cluster with these answers?", "\r");
    assert_eq!(exit_code(&mut s), 0);
    let saved = std::fs::read_to_string(dir.path().join("answers.yaml")).unwrap();
    assert!(
        saved.contains("apps: 6") && saved.contains("pods: 25"),
        "{saved}"
    );
}

/// `--compare` designs every platform: it never asks which one.
#[test]
fn compare_does_not_ask_the_platform() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(
        dir.path(),
        &[
            "design",
            "--compare",
            "aws,on-prem",
            "--purpose",
            "production",
            "--workload",
            "web",
            "--apps",
            "2",
            "--traffic",
            "steady",
            "--zones",
            "3",
            "--tolerate",
            "1",
            "--storage",
            "none",
        ],
    );
    let seen = s.expect("How many pods at peak").unwrap();
    assert!(!String::from_utf8_lossy(seen.before()).contains("Where does it run?"));
    s.send("\r").unwrap();
    for q in [
        "Average CPU request per pod",
        "Average memory request per pod",
        "Which CPU architecture",
        "Pod network range",
        "Service range",
    ] {
        ask(&mut s, q, "\r");
    }
    ask(&mut s, "Design the cluster with these answers?", "\r");
    s.expect("(EKS)").unwrap();
    assert_eq!(exit_code(&mut s), 0);
}
