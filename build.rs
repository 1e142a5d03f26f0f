//! The built-in profiles, compiled in: every file of `profiles/` is parsed
//! and checked here — YAML syntax, every number in its range, the structure
//! the engine relies on (`src/catalog/validate.rs`, shared with the run-time
//! checks of a user's `--profiles-dir`) — so a bad profile fails the build.
//! They are embedded as JSON, which loads in microseconds where YAML took
//! milliseconds at every start. The Rust types and the questionnaire's own
//! rules are checked by the test suite
//! (`builtin_profiles_pass_every_check_a_users_files_get`).
//! Every `profiles/presets/*.yaml` is a preset: a new preset is a new file.

use std::fmt::Write;
use std::path::{Path, PathBuf};

#[path = "src/catalog/validate.rs"]
#[allow(dead_code)]
mod validate;

/// The file as JSON, after the checks; `file` is its path under `profiles/`.
fn json(root: &Path, file: &str) -> String {
    let path = root.join(file);
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let value: serde_json::Value = serde_saphyr::from_str(&text)
        .unwrap_or_else(|e| panic!("profiles/{file}: not valid YAML: {e}"));
    if let Err(v) = validate::numbers(&value) {
        let low = if v.open { "above" } else { "at least" };
        panic!(
            "profiles/{file}: `{}` is {}; it must be {low} {} and at most {}",
            v.path, v.value, v.low, v.high
        );
    }
    if let Err(reason) = validate::structure(file, &value) {
        panic!("profiles/{file}: {reason}");
    }
    serde_json::to_string(&value).expect("JSON")
}

fn yaml_files(dir: &Path) -> Vec<(String, PathBuf)> {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    files.sort();
    files
}

fn table(out: &mut String, root: &Path, dir: &str) {
    let name = dir.to_uppercase();
    writeln!(out, "const {name}: &[(&str, &str)] = &[").unwrap();
    for (stem, _) in yaml_files(&root.join(dir)) {
        let file = format!("{dir}/{stem}.yaml");
        writeln!(out, "    ({stem:?}, {:?}),", json(root, &file)).unwrap();
    }
    out.push_str("];\n");
}

fn main() {
    println!("cargo:rerun-if-changed=src/catalog/validate.rs");
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("profiles");
    let mut out = String::new();
    writeln!(
        out,
        "const KUBERNETES: &str = {:?};",
        json(&root, "kubernetes.yaml")
    )
    .unwrap();
    writeln!(
        out,
        "const QUESTIONS: &str = {:?};",
        json(&root, "questions.yaml")
    )
    .unwrap();
    table(&mut out, &root, "platforms");
    table(&mut out, &root, "presets");
    // The presets again as one JSON object by name, parsed at first use.
    let presets: Vec<String> = yaml_files(&root.join("presets"))
        .into_iter()
        .map(|(stem, _)| format!("{stem:?}:{}", json(&root, &format!("presets/{stem}.yaml"))))
        .collect();
    writeln!(
        out,
        "const PRESET_MAP: &str = {:?};",
        format!("{{{}}}", presets.join(","))
    )
    .unwrap();
    // `kubeplan --version`: the version and the date of each price catalog.
    let prices: Vec<String> = yaml_files(&root.join("platforms"))
        .into_iter()
        .filter_map(|(stem, _)| {
            let v: serde_json::Value =
                serde_json::from_str(&json(&root, &format!("platforms/{stem}.yaml"))).ok()?;
            let p = v.get("prices")?;
            Some(format!(
                "{stem} {} ({})",
                p.get("date")?.as_str()?,
                p.get("region")?.as_str()?
            ))
        })
        .collect();
    writeln!(
        out,
        "/// `kubeplan --version`: the version and the price catalogs' dates.\npub const LONG_VERSION: &str = {:?};",
        format!(
            "{}\nprice catalogs (on-demand list prices): {}",
            std::env::var("CARGO_PKG_VERSION").unwrap(),
            prices.join(", ")
        )
    )
    .unwrap();
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("profiles.rs");
    std::fs::write(dest, out).unwrap();
}
