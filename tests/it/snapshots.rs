//! Behaviour pinned before the inside was rebuilt: every command's output
//! (exit status, stdout, stderr) for the presets, the examples, every format
//! and every `--help`. A change here is a change users see: review it with
//! `cargo insta review` (or `INSTA_UPDATE=always cargo test`) and say why.

const EXAMPLES: &[&str] = &[
    "dev-1cp-2w",
    "learning-minikube",
    "prod-aks",
    "prod-eks",
    "prod-gke",
    "prod-kops",
    "prod-onprem-external-etcd",
    "prod-onprem-stacked",
    "classic-two-control-planes",
    "haproxy-on-one-control-plane",
];

const PRESETS: &[&str] = &[
    "learning",
    "dev-onprem",
    "prod-onprem",
    "prod-aws",
    "prod-gcp",
    "prod-azure",
];

/// Runs kubeplan from the repository root, as a pipe (no terminal), and
/// returns what a user sees.
fn run(args: &[&str]) -> String {
    let out = crate::common::run(args);
    format!(
        "$ kubeplan {}\nexit: {}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn snap(name: &str, args: &[&str]) {
    insta::assert_snapshot!(name.to_string(), run(args));
}

#[test]
fn design_presets() {
    for p in PRESETS {
        for f in ["text", "json", "yaml"] {
            snap(
                &format!("design-{p}-{f}"),
                &["design", "--profile", p, "--yes", "--format", f],
            );
        }
    }
}

#[test]
fn design_flag_sets() {
    let cases: &[(&str, &[&str])] = &[
        (
            "design-onprem-2000",
            &["design", "--profile", "prod-onprem", "--pods", "2000"],
        ),
        (
            "design-aws-400k-split",
            &[
                "design",
                "--profile",
                "prod-aws",
                "--pods",
                "400000",
                "--yes",
            ],
        ),
        (
            "design-onprem-2-zones-stateful",
            &[
                "design",
                "--purpose",
                "production",
                "--platform",
                "on-prem",
                "--zones",
                "2",
                "--tolerate",
                "2",
                "--workload",
                "stateful",
                "--storage",
                "fast,shared",
                "--yes",
            ],
        ),
        (
            "design-gcp-dev-self-managed-ha",
            &[
                "design",
                "--purpose",
                "development",
                "--platform",
                "gcp",
                "--self-managed",
                "--tolerate",
                "1",
                "--zones",
                "3",
                "--yes",
                "--format",
                "json",
            ],
        ),
        (
            "design-azure-big-split-pools",
            &[
                "design",
                "--profile",
                "prod-azure",
                "--pods",
                "60000",
                "--yes",
            ],
        ),
        (
            "design-learning-aws-managed",
            &[
                "design",
                "--purpose",
                "learning",
                "--platform",
                "aws",
                "--managed",
                "--yes",
            ],
        ),
        (
            "design-missing-answers",
            &["design", "--purpose", "production", "--platform", "aws"],
        ),
        (
            "design-bad-bound",
            &["design", "--profile", "prod-aws", "--zones", "0", "--yes"],
        ),
        (
            "design-unknown-profile",
            &["design", "--profile", "prod-awz", "--yes"],
        ),
    ];
    for (name, args) in cases {
        snap(name, args);
    }
}

/// Every example as a Mermaid flowchart (`kubeplan diagram -f mermaid`).
#[test]
fn mermaid_every_example() {
    // The list is the folder: a new example cannot go unseen.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/examples");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| {
            e.file_name()
                .to_string_lossy()
                .trim_end_matches(".yaml")
                .to_string()
        })
        .collect();
    names.sort();
    assert_eq!(
        names.len(),
        EXAMPLES.len(),
        "EXAMPLES lists every file in docs/examples"
    );
    for e in names {
        let path = format!("docs/examples/{e}.yaml");
        snap(
            &format!("mermaid-{e}"),
            &["diagram", "-f", "mermaid", &path],
        );
    }
}

#[test]
fn lint_every_example() {
    for e in EXAMPLES {
        let path = format!("docs/examples/{e}.yaml");
        snap(&format!("lint-{e}"), &["lint", &path]);
    }
    snap(
        "lint-folder-json",
        &["lint", "--format", "json", "docs/examples/"],
    );
    snap(
        "lint-classic-sarif",
        &[
            "lint",
            "--format",
            "sarif",
            "docs/examples/classic-two-control-planes.yaml",
        ],
    );
}

#[test]
fn bom_every_format() {
    for e in EXAMPLES {
        let path = format!("docs/examples/{e}.yaml");
        for f in ["table", "csv", "json", "markdown"] {
            snap(&format!("bom-{e}-{f}"), &["bom", "--format", f, &path]);
        }
    }
}

#[test]
fn size_quorum_profiles() {
    let cases: &[(&str, &[&str])] = &[
        (
            "size-aws-3000",
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
                "--zones",
                "3",
            ],
        ),
        (
            "size-gcp-json",
            &[
                "size",
                "--top",
                "5",
                "--platform",
                "gcp",
                "--pods",
                "500",
                "--pod-cpu",
                "0.5",
                "--pod-memory",
                "1",
                "--traffic",
                "burst",
                "--format",
                "json",
            ],
        ),
        (
            "size-onprem-instance",
            &[
                "size",
                "--platform",
                "on-prem",
                "--pods",
                "100",
                "--pod-cpu",
                "0.1",
                "--pod-memory",
                "0.1",
                "--purpose",
                "development",
            ],
        ),
        ("quorum-default", &["quorum"]),
        ("quorum-json", &["quorum", "--format", "json", "3", "4"]),
        ("quorum-zones-ok", &["quorum", "--zones", "a=2,b=2,c=1"]),
        ("quorum-zones-lost", &["quorum", "--zones", "a=2,b=1"]),
        (
            "quorum-plan",
            &[
                "quorum",
                "--plan",
                "docs/examples/prod-onprem-external-etcd.yaml",
            ],
        ),
        ("profiles", &["profiles"]),
        ("profiles-prod-aws", &["profiles", "prod-aws"]),
        ("profiles-aws", &["profiles", "aws"]),
        (
            "profiles-on-prem-json",
            &["profiles", "on-prem", "-f", "json"],
        ),
    ];
    for (name, args) in cases {
        snap(name, args);
    }
}

#[test]
fn rules_and_explain() {
    snap("rules-table", &["rules"]);
    snap("rules-json", &["rules", "--format", "json"]);
    let ids: Vec<String> = kubeplan::lint::RULES
        .iter()
        .map(|r| r.id.to_string())
        .collect();
    let mut all = String::new();
    for id in &ids {
        all.push_str(&run(&["explain", id]));
        all.push_str(&run(&["explain", "--format", "json", id]));
    }
    insta::assert_snapshot!("explain-every-rule", all);
    snap("explain-unknown", &["explain", "etcd-even"]);
}

#[test]
fn every_help() {
    snap("help", &["--help"]);
    // Every subcommand clap knows, so a new one cannot go unseen.
    use clap::CommandFactory;
    let cli = kubeplan::cli::Cli::command();
    let names: Vec<String> = cli
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .filter(|n| n != "help")
        .collect();
    for cmd in names.iter().map(String::as_str) {
        snap(&format!("help-{cmd}"), &[cmd, "--help"]);
    }
    snap("schema", &["schema"]);
}
