//! `kubeplan diagram PLAN`: lint the plan (for the red outlines), build one
//! frame per plan, render, print or write.

use super::{emit, exit, Env};
use crate::cli::{DiagramArgs, DiagramFormat};
use crate::diagram::{svg, text, Frame};

pub fn run(args: &DiagramArgs, env: &Env) -> anyhow::Result<u8> {
    use std::io::IsTerminal;
    let to_stdout = args.output.as_deref().is_none_or(super::write::is_stdout);
    if to_stdout && args.format == DiagramFormat::Svg && std::io::stdout().is_terminal() {
        anyhow::bail!(
            "an SVG is not for a terminal: write it with -o FILE, pipe it (kubeplan diagram {} > plan.svg), or print --format mermaid",
            args.plan
        );
    }
    let c = env.catalog()?;
    let docs = super::read_documents(&args.plan, &args.facts, env)?;
    let mut frames = Vec::new();
    for d in &docs {
        let report = crate::lint::lint_document(d, c);
        let Some(plan) = d.plan.as_ref() else {
            let f = report
                .findings
                .iter()
                .find(|f| f.severity == crate::diag::Severity::Error)
                .unwrap_or(&report.findings[0]);
            anyhow::bail!(
                "{}:{}:{}: {} (run `kubeplan lint {}` for every problem)",
                d.source.name,
                f.line(),
                f.column(),
                f.message,
                args.plan
            );
        };
        super::checked(
            &d.source.name,
            plan,
            Some(&d.locs),
            super::COUNTS,
            "diagram",
        )?;
        let findings = match args.no_findings {
            true => Vec::new(),
            false => report.findings,
        };
        frames.push(Frame::of(plan, &findings));
    }
    let frames = crate::diagram::collapse(frames);
    let out = match args.format {
        DiagramFormat::Svg => svg::render(&frames),
        DiagramFormat::Mermaid => text::mermaid(&frames),
        DiagramFormat::Dot => text::dot(&frames),
    };
    match &args.output {
        Some(path) => super::write::write_atomic(path, &out, args.force)?,
        None => emit(&out)?,
    }
    Ok(exit::OK)
}
