//! A hostile `--profiles-dir`: every numeric field of every profile file set
//! to 0, -1 and 1e308. Each catalog is refused naming the file and the
//! field, or it designs, lints, prices and sizes without a panic, a hang or
//! an `inf`.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use kubeplan::catalog::Catalog;
use serde_json::Value;

/// One path per (file, key): the first place each numeric key appears.
fn numeric_paths(
    v: &Value,
    path: &str,
    key: &str,
    seen: &mut BTreeSet<String>,
    out: &mut Vec<(String, Vec<PathStep>)>,
    steps: Vec<PathStep>,
) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let mut s = steps.clone();
                s.push(PathStep::Key(k.clone()));
                numeric_paths(x, &format!("{path}.{k}"), k, seen, out, s);
            }
        }
        Value::Array(items) => {
            for (n, x) in items.iter().enumerate() {
                let mut s = steps.clone();
                s.push(PathStep::Index(n));
                numeric_paths(x, &format!("{path}[{n}]"), key, seen, out, s);
            }
        }
        Value::Number(_) if seen.insert(key.to_string()) => out.push((path.to_string(), steps)),
        _ => {}
    }
}

#[derive(Clone)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn set(v: &mut Value, steps: &[PathStep], to: Value) {
    let mut cur = v;
    for s in steps {
        cur = match s {
            PathStep::Key(k) => &mut cur[k.as_str()],
            PathStep::Index(n) => &mut cur[*n],
        };
    }
    *cur = to;
}

/// Everything a command does with a catalog, bounded in time.
fn exercise(c: Catalog) -> Result<(), String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let root = env!("CARGO_MANIFEST_DIR");
        for (name, preset) in c.presets() {
            let partial = c.questions().with_defaults(&preset.answers, false);
            let Ok(a) = partial.complete() else { continue };
            if let Ok(d) = kubeplan::design::recommend(&c, &a, name) {
                for p in &d.plans {
                    let bom = kubeplan::bom::build(&c, p);
                    if bom.totals.monthly_cost.is_some_and(|m| !m.is_finite()) {
                        tx.send(Err(format!("{name}: an infinite price"))).ok();
                        return;
                    }
                    kubeplan::lint::lint_plan(p, &c);
                }
            }
        }
        for e in std::fs::read_dir(Path::new(root).join("docs/examples"))
            .unwrap()
            .flatten()
        {
            let text = std::fs::read(e.path()).unwrap();
            let src = kubeplan::plan::load::source_from_bytes("x.yaml".into(), text).unwrap();
            for d in kubeplan::plan::parse_documents(src).unwrap() {
                kubeplan::lint::lint_document(&d, &c);
                if let Some(p) = &d.plan {
                    kubeplan::bom::build(&c, p);
                }
            }
        }
        tx.send(Ok(())).ok();
    });
    rx.recv_timeout(Duration::from_secs(20))
        .map_err(|_| "a panic or no answer within 20 s".to_string())?
}

#[test]
fn hostile_profile_numbers_are_refused_or_harmless() {
    let builtin = Catalog::builtin();
    let mut files: Vec<(String, Value)> = vec![(
        "kubernetes.yaml".into(),
        serde_json::to_value(&builtin.kubernetes).unwrap(),
    )];
    for (name, p) in builtin.platforms() {
        let mut doc = serde_json::to_value(p).unwrap();
        // A cloud's generated catalog (a thousand types) is checked by the
        // catalog tests; its numbers here would only multiply the runs. The
        // instances a user's file lists are: on-prem keeps its own.
        if p.cloud {
            doc.as_object_mut().unwrap().remove("instances");
            doc.as_object_mut().unwrap().remove("prices");
        }
        files.push((format!("platforms/{name}.yaml"), doc));
    }
    let mut checked = 0;
    for (file, doc) in &files {
        let mut paths = Vec::new();
        numeric_paths(doc, "", "", &mut BTreeSet::new(), &mut paths, Vec::new());
        for (path, steps) in paths {
            for bad in [Value::from(0), Value::from(-1), Value::from(1e308)] {
                let mut v = doc.clone();
                set(&mut v, &steps, bad.clone());
                let dir = tempfile::tempdir().unwrap();
                std::fs::create_dir(dir.path().join("platforms")).unwrap();
                std::fs::write(dir.path().join(file), serde_saphyr::to_string(&v).unwrap())
                    .unwrap();
                match Catalog::with_overrides(dir.path()) {
                    Err(e) => {
                        let e = e.to_string();
                        let field = path.trim_start_matches('.');
                        assert!(e.contains(file.as_str()), "{file} {path} = {bad}: {e}");
                        // The field by path, or (a type error) by line and column.
                        assert!(
                            e.contains(field) || e.contains(" line "),
                            "{file} {path} = {bad}: the error names no field: {e}"
                        );
                    }
                    Ok(c) => {
                        if let Err(e) = exercise(c) {
                            panic!("{file} {path} = {bad}: {e}");
                        }
                    }
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "{checked}");
}

/// Through the command line: a zero limit is exit 2 with one line naming
/// the file and the field, for every command that reads the catalog.
#[test]
fn a_zero_limit_is_one_clear_line_for_every_command() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("platforms")).unwrap();
    let aws = std::fs::read_to_string(root.join("profiles/platforms/aws.yaml")).unwrap();
    let bad = aws.replacen("maxPods: 150000", "maxPods: 0", 2);
    assert_ne!(bad, aws);
    std::fs::write(dir.path().join("platforms/aws.yaml"), bad).unwrap();
    let example = root.join("docs/examples/prod-eks.yaml");
    let example = example.to_str().unwrap();
    for args in [
        vec!["design", "--profile", "prod-aws", "--yes"],
        vec!["lint", example],
        vec!["bom", example],
        vec![
            "size",
            "--platform",
            "aws",
            "--pods",
            "10",
            "--pod-cpu",
            "1",
            "--pod-memory",
            "1",
        ],
        vec!["explain", "cluster-pods-over-limit"],
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_kubeplan"))
            .arg("--profiles-dir")
            .arg(dir.path())
            .args(&args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("platforms/aws.yaml") && err.contains(".maxPods` is 0"),
            "{args:?}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

/// A `--profiles-dir` questionnaire is the one the built-in presets are
/// checked against: a preset outside its bounds is an error naming the
/// preset's file, while files the folder does not have stay the built-in ones.
#[test]
fn a_users_questionnaire_rechecks_the_builtin_presets() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let questions = std::fs::read_to_string(root.join("profiles/questions.yaml"))
        .unwrap()
        .replace(
            "    max: 100000000\n    default: 100\n",
            "    max: 800\n    default: 100\n",
        );
    std::fs::write(dir.path().join("questions.yaml"), questions).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kubeplan"))
        .args(["--profiles-dir", dir.path().to_str().unwrap()])
        .args(["design", "--profile", "dev-onprem", "--yes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("presets/prod-aws.yaml") && err.contains("`pods` is 1000"),
        "{err}"
    );
    // Without the questionnaire, the same folder's other files are the built-in ones.
    std::fs::remove_file(dir.path().join("questions.yaml")).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kubeplan"))
        .args(["--profiles-dir", dir.path().to_str().unwrap()])
        .args(["design", "--profile", "prod-aws", "--yes"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
