//! `design --compare`: each platform's row is that platform's own design,
//! its costs the sums of that design's bill of materials.

use crate::common::kubeplan;

fn json(args: &[&str]) -> serde_json::Value {
    let out = kubeplan()
        .args([
            "design",
            "--profile",
            "prod-aws",
            "--pods",
            "3000",
            "--format",
            "json",
        ])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn each_row_is_the_platforms_own_design() {
    let v = json(&["--compare"]);
    let rows = v["platforms"].as_array().unwrap();
    let names: Vec<&str> = rows
        .iter()
        .map(|r| r["platform"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["on-prem", "aws", "gcp", "azure"]);
    for row in rows {
        let p = row["platform"].as_str().unwrap();
        // The same answers, designed on that platform alone.
        let alone = json(&["--platform", p, "--region", "auto"]);
        let bom = &alone["bom"]["clusters"][0];
        let sum = |pick: &dyn Fn(&serde_json::Value) -> bool| -> Option<f64> {
            let costs: Vec<f64> = bom["rows"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| pick(r))
                .filter_map(|r| r["monthlyCost"].as_f64())
                .collect();
            (!costs.is_empty()).then(|| costs.iter().sum())
        };
        let role = |r: &serde_json::Value| r["role"].as_str().unwrap().to_string();
        let fee = sum(&|r| !r["machines"].as_bool().unwrap() && role(r).contains("control plane"));
        let lbs = sum(&|r| role(r).contains("load balancer"));
        assert_eq!(row["cost"]["controlPlaneFee"].as_f64(), fee, "{p}");
        assert_eq!(row["cost"]["loadBalancers"].as_f64(), lbs, "{p}");
        assert_eq!(
            row["cost"]["total"].as_f64(),
            bom["totals"]["monthlyCost"].as_f64(),
            "{p}"
        );
        let workers: u64 = alone["plans"][0]["spec"]["workers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["nodes"].as_u64().unwrap())
            .sum();
        assert_eq!(row["workerNodes"].as_u64(), Some(workers), "{p}");
        assert_eq!(row["cluster"], alone["plans"][0]["metadata"]["name"], "{p}");
        assert_eq!(row["zoneLoss"], "survives", "{p}");
    }
    // Managed services charge a fee; on-prem machines have no list price.
    assert_eq!(rows[0]["cost"]["total"], serde_json::Value::Null);
    assert!(rows[1]["controlPlane"].as_str().unwrap().contains("EKS"));
}

#[test]
fn a_platform_that_cannot_take_the_answers_says_why_in_its_row() {
    // No region of the catalog has 9 zones: each cloud says so in its row.
    let v = json(&["--zones", "9", "--compare", "aws,on-prem"]);
    let rows = v["platforms"].as_array().unwrap();
    assert!(
        rows[0]["error"].as_str().unwrap().contains("zone"),
        "{}",
        rows[0]
    );
    assert!(rows[1]["error"].is_null(), "{}", rows[1]);
}

#[test]
fn text_and_markdown_tables() {
    let out = kubeplan()
        .args([
            "design",
            "--profile",
            "prod-aws",
            "--compare",
            "aws,gcp",
            "--format",
            "markdown",
        ])
        .output()
        .unwrap();
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(
        md.starts_with("| platform | control plane | workers |"),
        "{md}"
    );
    assert_eq!(
        md.lines()
            .filter(|l| l.starts_with("| aws") || l.starts_with("| gcp"))
            .count(),
        2,
        "{md}"
    );
    let out = kubeplan()
        .env("COLUMNS", "100")
        .args(["design", "--profile", "prod-aws", "--compare", "aws,gcp"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().all(|l| l.chars().count() <= 100), "{text}");
    assert!(text.contains("(GKE)"), "{text}");
}
