//! `design --report FILE.html` and `design --compare --report`: one
//! self-contained page, rendered by a real browser (Chromium, headless) at
//! a phone's and a desktop's width: it draws something, its topology and
//! cost chart are laid out inside the page, and nothing overflows it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::kubeplan;
use crate::export::program;

const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
];

/// Measures, once the page has loaded, where its parts are laid out.
const MEASURE: &str = "<script>
const box = id => { const e = document.getElementById(id); if (!e) return null;
  const b = e.getBoundingClientRect(); return [b.left, b.top, b.width, b.height]; };
document.body.setAttribute('data-layout', JSON.stringify({
  scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
  topology: box('topology'), chart: box('cost-chart'), bom: box('bom'),
  failures: box('failures'), compare: box('compare'),
  bars: [...document.querySelectorAll('#cost-chart rect.bar')].map(e => e.getBoundingClientRect().width) }));
</script></body>";

/// Runs Chromium on `page` at `width`, at most 90 seconds; stops it by pid.
fn chromium(bin: &Path, dir: &Path, page: &Path, width: u32, extra: &[String]) -> String {
    let mut child = Command::new(bin)
        .args(FLAGS)
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--window-size={width},2400"))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish in 90 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut out = String::new();
    use std::io::Read;
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    out
}

fn layout(dom: &str) -> serde_json::Value {
    let start = dom.find("data-layout=\"").expect("the page was measured") + 13;
    let end = start + dom[start..].find('"').unwrap();
    let json = dom[start..end].replace("&quot;", "\"");
    serde_json::from_str(&json).unwrap()
}

fn inside(b: &serde_json::Value, width: f64, what: &str) {
    let v: Vec<f64> = b
        .as_array()
        .unwrap_or_else(|| panic!("{what} is on the page"))
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert!(v[2] > 100.0 && v[3] > 30.0, "{what} is laid out: {v:?}");
    assert!(
        v[0] >= 0.0 && v[0] + v[2] <= width + 0.5,
        "{what} lies inside the page: {v:?} in {width}"
    );
}

/// Checks a page at a phone's and a desktop's width; returns the PNGs.
fn check_page(bin: &Path, dir: &Path, html: &str, parts: &[&str]) -> Vec<PathBuf> {
    // Self-contained: nothing fetched, nothing run.
    for no in [
        "<script",
        "src=",
        "href=\"http",
        "@import",
        "url(http",
        "url(\"http",
        "url(//",
    ] {
        assert!(!html.contains(no), "the report holds {no}");
    }
    let measured = dir.join("measured.html");
    std::fs::write(&measured, html.replace("</body>", MEASURE)).unwrap();
    let mut shots = Vec::new();
    for width in [390u32, 1280] {
        let dom = chromium(bin, dir, &measured, width, &["--dump-dom".to_string()]);
        let l = layout(&dom);
        let client = l["client"].as_f64().unwrap();
        assert!(
            l["scroll"].as_f64().unwrap() <= client + 0.5,
            "{width}: the page scrolls sideways: {l}"
        );
        for p in parts {
            let b = &l[*p];
            if width < 1000 && *p != "chart" {
                // In a scrolling box on a phone: laid out, starting inside.
                let v: Vec<f64> = b
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_f64().unwrap())
                    .collect();
                assert!(
                    v[2] > 300.0 && v[3] > 50.0 && v[0] >= 0.0,
                    "{width}: {p}: {v:?}"
                );
            } else {
                inside(b, client, p);
            }
        }
        let bars = l["bars"].as_array().unwrap();
        assert!(
            !bars.is_empty() && bars.iter().all(|w| w.as_f64().unwrap() > 0.0),
            "{l}"
        );
        let png = dir.join(format!("shot-{width}.png"));
        chromium(
            bin,
            dir,
            &dir.join("page.html"),
            width,
            &[format!("--screenshot={}", png.display())],
        );
        // A blank page of this size compresses to a few KB.
        let size = std::fs::metadata(&png).unwrap().len();
        assert!(
            size > 40_000,
            "{width}: the screenshot is blank ({size} bytes)"
        );
        shots.push(png);
    }
    shots
}

fn report(dir: &Path, args: &[&str]) -> String {
    let page = dir.join("page.html");
    let out = kubeplan()
        .current_dir(dir)
        .args([
            "design",
            "--profile",
            "prod-aws",
            "--pods",
            "3000",
            "--report",
        ])
        .arg(&page)
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(page).unwrap()
}

#[test]
fn the_html_report_renders_in_a_browser() {
    let dir = tempfile::tempdir().unwrap();
    let html = report(dir.path(), &[]);
    for part in [
        "<h2>Decisions</h2>",
        "<h2>Topology</h2>",
        "<h2>Bill of materials</h2>",
        "<h2>Failures</h2>",
        "c6a.8xlarge",
        "name=\"viewport\"",
        "@media print",
    ] {
        assert!(html.contains(part), "{part}");
    }
    let Some(bin) = program("chromium") else {
        return;
    };
    let shots = check_page(
        &bin,
        dir.path(),
        &html,
        &["topology", "chart", "bom", "failures"],
    );
    keep(&shots, "design");
}

#[test]
fn the_compare_report_renders_in_a_browser() {
    let dir = tempfile::tempdir().unwrap();
    let html = report(dir.path(), &["--compare"]);
    for p in [
        "on-prem",
        "aws",
        "gcp",
        "azure",
        "managed (EKS)",
        "<h2>Monthly cost</h2>",
    ] {
        assert!(html.contains(p), "{p}");
    }
    let Some(bin) = program("chromium") else {
        return;
    };
    let shots = check_page(&bin, dir.path(), &html, &["compare", "chart"]);
    keep(&shots, "compare");
}

/// With KUBEPLAN_SHOTS=DIR the screenshots are kept there, to look at.
fn keep(shots: &[PathBuf], name: &str) {
    if let Some(dir) = std::env::var_os("KUBEPLAN_SHOTS") {
        for s in shots {
            let to = Path::new(&dir).join(format!(
                "{name}-{}",
                s.file_name().unwrap().to_string_lossy()
            ));
            std::fs::copy(s, to).unwrap();
        }
    }
}
