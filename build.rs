//! The built-in profiles, compiled in: every file of `profiles/` is parsed
//! here (a YAML error fails the build) and embedded as JSON, which loads in
//! microseconds where YAML took milliseconds at every start. Every
//! `profiles/presets/*.yaml` is a preset: a new preset is a new file.

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn json(path: &Path) -> String {
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let value: serde_json::Value = serde_saphyr::from_str(&text)
        .unwrap_or_else(|e| panic!("{}: not valid YAML: {e}", path.display()));
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

fn table(out: &mut String, name: &str, files: &[(String, PathBuf)]) {
    writeln!(out, "const {name}: &[(&str, &str)] = &[").unwrap();
    for (stem, path) in files {
        writeln!(out, "    ({stem:?}, {:?}),", json(path)).unwrap();
    }
    out.push_str("];\n");
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("profiles");
    let mut out = String::new();
    writeln!(
        out,
        "const KUBERNETES: &str = {:?};",
        json(&root.join("kubernetes.yaml"))
    )
    .unwrap();
    writeln!(
        out,
        "const QUESTIONS: &str = {:?};",
        json(&root.join("questions.yaml"))
    )
    .unwrap();
    table(&mut out, "PLATFORMS", &yaml_files(&root.join("platforms")));
    table(&mut out, "PRESETS", &yaml_files(&root.join("presets")));
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("profiles.rs");
    std::fs::write(dest, out).unwrap();
}
