//! The man pages (`docs/man/kubeplan.1` and one per subcommand) are
//! generated from the clap definitions with clap_mangen;
//! `KUBEPLAN_BLESS=1 cargo test` rewrites them.

use clap::CommandFactory;

#[test]
fn man_pages_are_current() {
    let cli = kubeplan::cli::Cli::command();
    let mut pages = vec![("kubeplan.1".to_string(), cli.clone())];
    for sub in cli.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("kubeplan-{}", sub.get_name());
        let file = format!("{name}.1");
        pages.push((file, sub.clone().name(&*Box::leak(name.into_boxed_str()))));
    }
    for (file, cmd) in pages {
        let mut roff = Vec::new();
        clap_mangen::Man::new(cmd).render(&mut roff).unwrap();
        let roff = String::from_utf8(roff).unwrap();
        assert!(
            roff.starts_with(".ie \\n(.g .ds Aq") || roff.contains(".TH"),
            "{file}"
        );
        crate::common::assert_current(&format!("docs/man/{file}"), &roff);
    }
}

/// A real man renderer reads every page: `mandoc -T lint` finds no error
/// (its warnings are clap_mangen's style: no date, `.br` beside `.sp`).
#[test]
fn mandoc_reads_every_page() {
    let Some(mandoc) = crate::export::program("mandoc") else {
        return;
    };
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/man");
    let mut pages: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    pages.sort();
    assert!(pages.len() >= 15, "{pages:?}");
    for page in pages {
        let out = std::process::Command::new(&mandoc)
            .args(["-T", "lint", "-W", "error"])
            .arg(&page)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            page.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let text = std::process::Command::new(&mandoc)
            .args(["-T", "utf8", "-O", "width=100"])
            .arg(&page)
            .output()
            .unwrap();
        // Bold is overstruck (`N\bNA\bA…`): drop the overstrikes to read the text.
        let mut plain = String::new();
        for c in String::from_utf8_lossy(&text.stdout).chars() {
            match c {
                '\u{8}' => {
                    plain.pop();
                }
                c => plain.push(c),
            }
        }
        assert!(
            plain.contains("NAME") && plain.contains("kubeplan"),
            "{}: {plain}",
            page.display()
        );
    }
}

/// `--version` also names the date of every price catalog.
#[test]
fn version_names_the_price_catalogs() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kubeplan"))
        .arg("--version")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(&format!("kubeplan {}\n", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    let c = kubeplan::catalog::Catalog::builtin();
    for (name, p) in c.platforms() {
        if let Some(prices) = &p.prices {
            assert!(
                text.contains(&format!("{name} {} (", prices.date)),
                "{text}"
            );
        }
    }
}
