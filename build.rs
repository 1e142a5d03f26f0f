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

#[path = "build/catalog.rs"]
mod catalog;

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
    println!("cargo:rerun-if-changed=build/catalog.rs");
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
    // `kubeplan --version`: the version and the date of each price catalog
    // (profiles/catalog/: each source's date and the regions it prices).
    let mut prices: Vec<String> = Vec::new();
    for name in ["aws", "azure", "gcp"] {
        let types = root.join(format!("catalog/{name}.tsv"));
        let priced = root.join(format!("catalog/{name}-prices.tsv"));
        println!("cargo:rerun-if-changed={}", types.display());
        println!("cargo:rerun-if-changed={}", priced.display());
        let types = std::fs::read_to_string(&types).expect("catalog");
        let priced = std::fs::read_to_string(&priced).expect("catalog prices");
        let mut by_source: Vec<(String, usize)> = Vec::new();
        for line in priced
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("region\t"))
        {
            let key = line.split('\t').nth(1).unwrap_or("").to_string();
            match by_source.iter_mut().find(|(k, _)| *k == key) {
                Some((_, n)) => *n += 1,
                None => by_source.push((key, 1)),
            }
        }
        for (key, regions) in by_source {
            let date = types
                .lines()
                .filter(|l| l.starts_with("#source\t"))
                .map(|l| l.split('\t').collect::<Vec<_>>())
                .find(|f| f.get(1) == Some(&key.as_str()))
                .and_then(|f| f.get(5).map(|d| d.to_string()))
                .unwrap_or_default();
            let n = if regions == 1 {
                "1 region".to_string()
            } else {
                format!("{regions} regions")
            };
            prices.push(format!("{name} {date} ({n})"));
        }
    }
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
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    std::fs::write(out_dir.join("profiles.rs"), out).unwrap();
    catalog::write(&root, &out_dir);
    std::fs::write(out_dir.join("platform.rs"), platform_enum(&root)).unwrap();
}

/// `camel("on-prem")` = `OnPrem`: a kebab-case word as a Rust variant.
fn camel(kebab: &str) -> String {
    kebab
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or(String::new(), |f| {
                f.to_ascii_uppercase().to_string() + c.as_str()
            })
        })
        .collect()
}

/// The `Platform` enum, a value per `profiles/platforms/NAME.yaml` (in
/// their `order`), with what each file says the platform is: a new
/// platform is a new file.
fn platform_enum(root: &Path) -> String {
    let mut platforms: Vec<(i64, String, serde_json::Value)> = yaml_files(&root.join("platforms"))
        .into_iter()
        .map(|(stem, _)| {
            let v: serde_json::Value =
                serde_json::from_str(&json(root, &format!("platforms/{stem}.yaml"))).unwrap();
            let order = v["order"]
                .as_i64()
                .unwrap_or_else(|| panic!("profiles/platforms/{stem}.yaml: no `order`"));
            (order, stem, v)
        })
        .collect();
    platforms.sort_by_key(|(order, stem, _)| (*order, stem.clone()));
    let arms = |f: &dyn Fn(&serde_json::Value) -> String| -> String {
        platforms
            .iter()
            .map(|(_, stem, v)| format!("            Platform::{} => {},\n", camel(stem), f(v)))
            .collect()
    };
    let text = |v: &serde_json::Value| -> String {
        match v.as_str() {
            Some(s) => format!("Some({s:?})"),
            None => "None".into(),
        }
    };
    let variants: Vec<String> = platforms
        .iter()
        .map(|(_, stem, _)| format!("{} = {stem:?}", camel(stem)))
        .collect();
    let mut out = format!(
        "// A value per file of `profiles/platforms/`, in their `order`.\nkebab_enum!(\n    /// Where the cluster runs.\n    Platform {{ {} }}\n);\n\n",
        variants.join(", ")
    );
    out.push_str("impl Platform {\n");
    out.push_str(&format!(
        "    /// Whether its machines are a cloud's, rented by instance type (else your own).\n    pub fn cloud(self) -> bool {{\n        match self {{\n{}        }}\n    }}\n\n",
        arms(&|v| v["cloud"].as_bool().expect("`cloud: true|false`").to_string())
    ));
    out.push_str(&format!(
        "    /// How messages name it (\"AWS\").\n    pub fn short(self) -> &'static str {{\n        match self {{\n{}        }}\n    }}\n\n",
        arms(&|v| format!("{:?}", v["short"].as_str().expect("`short`")))
    ));
    out.push_str(&format!(
        "    /// Its managed Kubernetes service, where it has one.\n    pub fn service(self) -> Option<Service> {{\n        match self {{\n{}        }}\n    }}\n\n",
        arms(&|v| match v.get("service") {
            Some(s) => format!(
                "Some(Service {{ name: {:?}, tool: Tooling::{}, pods_on_node_network: {} }})",
                s["name"].as_str().expect("service.name"),
                camel(v["tooling"]["managed"].as_str().expect("a service needs tooling.managed")),
                s["podsOnNodeNetwork"].as_bool().unwrap_or(false)
            ),
            None => "None".into(),
        })
    ));
    out.push_str(&format!(
        "    /// Whether its subnets span a region's zones (else one subnet a zone).\n    pub fn regional_subnets(self) -> bool {{\n        match self {{\n{}        }}\n    }}\n\n",
        arms(&|v| v["regionalSubnets"].as_bool().unwrap_or(false).to_string())
    ));
    out.push_str(&format!(
        "    /// kOps's `spec.cloudProvider` for it.\n    pub fn kops_name(self) -> Option<&'static str> {{\n        match self {{\n{}        }}\n    }}\n\n",
        arms(&|v| text(&v["otherNames"]["kops"]))
    ));
    out.push_str(&format!(
        "    /// How its Cluster API infrastructure kinds begin (`AWSCluster`).\n    pub fn cluster_api_prefix(self) -> Option<&'static str> {{\n        match self {{\n{}        }}\n    }}\n}}\n",
        arms(&|v| text(&v["otherNames"]["clusterApi"]))
    ));
    out
}
