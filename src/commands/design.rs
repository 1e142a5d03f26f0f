//! `kubeplan design`: resolve the answers (flags > --answers > --profile >
//! prompt), recommend, report, write.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::{anyhow, bail, Context};
use serde_json::{json, Value};

use super::{emit, exit, Env};
use crate::cli::{DesignArgs, DesignFormat};
use crate::design::answers::{
    answers_schema, check_bounds, get, set, Answers, PartialAnswers, Question, QuestionKind,
    StorageAnswer,
};
use crate::design::{default_name, recommend};
use crate::plan::Platform;

/// The questionnaire was interrupted (Ctrl-C, Esc, end of input).
#[derive(Debug)]
pub struct Interrupted;

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("interrupted; nothing was written")
    }
}
impl std::error::Error for Interrupted {}

pub fn run(args: &DesignArgs, env: &Env) -> anyhow::Result<u8> {
    match design(args, env) {
        Err(e) if e.is::<Interrupted>() => {
            eprintln!("kubeplan: {e}");
            Ok(exit::INTERRUPTED)
        }
        other => other,
    }
}

fn flags_layer(args: &DesignArgs) -> PartialAnswers {
    PartialAnswers {
        purpose: args.purpose,
        platform: args.platform,
        managed: match (args.managed, args.self_managed) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
        workload: args.workload,
        apps: args.apps,
        pods: args.pods,
        traffic: args.traffic,
        zones: args.zones,
        tolerate: args.tolerate,
        storage: args.storage.clone().map(StorageAnswer::Many),
        pod_cpu: args.pod_cpu,
        pod_memory_gib: args.pod_memory,
    }
}

fn file_layer(path: &str, env: &Env) -> anyhow::Result<PartialAnswers> {
    let source = crate::plan::load::read_source(path)?;
    let (answers, locs): (PartialAnswers, _) =
        crate::plan::load::parse_one(&source, answers_schema(), "answers")?;
    check_bounds(&answers, &env.catalog.questions, &|key| {
        let p = locs.find(key);
        format!("{}:{}:{}", source.name, p.line, p.column)
    })
    .map_err(|e| anyhow!(e))?;
    Ok(answers)
}

fn preset_layer(name: &str, env: &Env) -> anyhow::Result<PartialAnswers> {
    match env.catalog.presets.get(name) {
        Some(p) => Ok(p.answers.clone()),
        None => {
            let names: Vec<&str> = env.catalog.presets.keys().map(String::as_str).collect();
            let hint = match crate::plan::schema::closest(name, names.iter().copied()) {
                Some(best) => format!("did you mean `{best}`? "),
                None => String::new(),
            };
            bail!(
                "no profile `{name}`; {hint}the presets are {} (`kubeplan profiles` shows them)",
                names.join(", ")
            )
        }
    }
}

/// Why the questionnaire cannot be asked here, or None when it can.
fn no_prompt_reason(args: &DesignArgs) -> Option<&'static str> {
    if args.no_input {
        Some("--no-input is set")
    } else if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        Some("CI is set")
    } else if !std::io::stdin().is_terminal() {
        Some("stdin is not a terminal")
    } else if !std::io::stderr().is_terminal() {
        Some("stderr is not a terminal")
    } else if args.answers.as_deref() == Some("-") {
        Some("the answers came from stdin")
    } else {
        None
    }
}

fn refuse_existing(path: &Path, force: bool, what: &str) -> anyhow::Result<()> {
    if !force && path.exists() {
        bail!(
            "{} exists; pass --force to overwrite it with the {what}",
            path.display()
        );
    }
    Ok(())
}

fn design(args: &DesignArgs, env: &Env) -> anyhow::Result<u8> {
    let qs = &env.catalog.questions;
    let flags = flags_layer(args);
    check_bounds(&flags, qs, &|key| {
        let flag = qs.question(key).map_or(key, |q| q.flag.as_str());
        flag.to_string()
    })
    .map_err(|e| anyhow!(e))?;
    let file = match &args.answers {
        Some(path) => file_layer(path, env)?,
        None => PartialAnswers::default(),
    };
    let preset = match &args.profile {
        Some(name) => preset_layer(name, env)?,
        None => PartialAnswers::default(),
    };
    // Refuse before asking anything, so no answer is typed in vain.
    if let Some(out) = &args.output {
        refuse_existing(out, args.force, "plan")?;
    }
    if let Some(save) = &args.save_answers {
        refuse_existing(save, args.force, "answers")?;
        if args.output.as_deref() == Some(save.as_path()) {
            bail!(
                "-o and --save-answers both name {}; give them different files",
                save.display()
            );
        }
    }
    if let Some(name) = &args.name {
        if crate::plan::dns_label_problem(name).is_some() {
            bail!("--name `{name}` is not a valid cluster name: use lower-case letters, digits and `-` (a DNS label, at most 63 characters)");
        }
    }

    let mut merged = flags.over(&file.over(&preset));
    let missing = merged.missing(qs);
    if !missing.is_empty() {
        if args.yes {
            merged = merged.with_defaults(qs, false);
        } else if let Some(why) = no_prompt_reason(args) {
            let list: Vec<String> = missing
                .iter()
                .map(|q| format!("{} ({})", q.key, q.flag))
                .collect();
            bail!(
                "missing {}: {}; give them as flags, in --answers FILE or with --profile NAME, or pass --yes to take the defaults (not asking: {why})",
                if list.len() == 1 { "answer" } else { "answers" },
                list.join(", ")
            );
        } else {
            merged = crate::commands::prompt::ask(&merged, qs, env)?;
        }
    }
    let merged = merged.with_defaults(qs, true);
    let answers = merged.complete().map_err(|keys| {
        anyhow!(
            "missing answers: {} (a questionnaire in profiles/ without these questions?)",
            keys.join(", ")
        )
    })?;
    if merged.managed == Some(true) && answers.platform == Platform::OnPrem {
        eprintln!("kubeplan: note: `managed` applies to clouds only; an on-prem cluster runs its own control plane");
    }

    let name = args.name.clone().unwrap_or_else(|| default_name(&answers));
    let design = recommend(&env.catalog, &answers, &name)?;
    let boms: Vec<_> = design
        .plans
        .iter()
        .map(|p| crate::bom::build(&env.catalog, p))
        .collect();

    if let Some(save) = &args.save_answers {
        let text = format!(
            "# kubeplan design answers; replay with: kubeplan design --answers {}\n{}",
            save.display(),
            serde_saphyr::to_string(&answers)?
        );
        write_atomic(save, &text, args.force)?;
        eprintln!("kubeplan: wrote the answers to {}", save.display());
    }
    if let Some(out) = &args.output {
        let text = plans_yaml(&answers, &design.plans)?;
        write_atomic(out, &text, args.force)?;
        eprintln!(
            "kubeplan: wrote {} to {}",
            if design.plans.len() == 1 {
                "the plan".to_string()
            } else {
                format!("{} plans", design.plans.len())
            },
            out.display()
        );
    }

    let doc = || -> anyhow::Result<Value> {
        Ok(json!({
            "answers": serde_json::to_value(&answers)?,
            "plans": serde_json::to_value(&design.plans)?,
            "reasons": serde_json::to_value(&design.reasons)?,
            "bom": {
                "clusters": serde_json::to_value(&boms)?,
                "totals": serde_json::to_value(crate::bom::sum_totals(&boms))?,
            },
        }))
    };
    let text = match args.format {
        DesignFormat::Json => format!("{:#}\n", doc()?),
        DesignFormat::Yaml => serde_saphyr::to_string(&doc()?)?,
        DesignFormat::Text => crate::report::design::text(
            &env.catalog,
            &answers,
            &design,
            &boms,
            args.output.as_deref(),
            env.paint,
            env.width,
        ),
    };
    emit(&text)?;
    Ok(exit::OK)
}

/// The plans as a YAML file: a header saying how they were made, then one
/// document per cluster.
pub fn plans_yaml(a: &Answers, plans: &[crate::plan::ClusterPlan]) -> anyhow::Result<String> {
    let mut out = format!(
        "# Designed by kubeplan {}: {} on {}{}, {} {} pods at peak ({} traffic), {} zone(s), tolerate {}.\n# Check it with `kubeplan lint` and price it with `kubeplan bom`.\n",
        env!("CARGO_PKG_VERSION"),
        a.purpose,
        a.platform,
        if a.managed { " (managed)" } else { "" },
        a.workload,
        crate::fmt::num(a.pods),
        a.traffic,
        a.zones,
        a.tolerate
    );
    for (i, p) in plans.iter().enumerate() {
        if i > 0 || plans.len() > 1 {
            out.push_str("---\n");
        }
        out.push_str(&serde_saphyr::to_string(p)?);
    }
    Ok(out)
}

/// Writes a file atomically: a temporary file beside it, then a rename (or,
/// without --force, a link that fails when the file appeared meanwhile).
pub fn write_atomic(path: &Path, text: &str, force: bool) -> anyhow::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".kubeplan-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("{}: cannot create a file there", path.display()))?;
    tmp.write_all(text.as_bytes())
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("{}: cannot write", path.display()))?;
    let result = if force {
        tmp.persist(path).map(|_| ())
    } else {
        tmp.persist_noclobber(path).map(|_| ())
    };
    result.map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            anyhow!("{} exists; pass --force to overwrite it", path.display())
        } else {
            anyhow!("{}: cannot write: {}", path.display(), e.error)
        }
    })
}

/// Reads one answer as display text.
pub fn answer_text(a: &PartialAnswers, q: &Question) -> String {
    match get(a, &q.key) {
        Some(Value::Array(v)) => v
            .iter()
            .map(|x| x.as_str().unwrap_or("?").to_string())
            .collect::<Vec<_>>()
            .join(", "),
        Some(Value::String(s)) => s,
        Some(Value::Bool(true)) => "yes".into(),
        Some(Value::Bool(false)) => "no".into(),
        Some(v) => v.to_string(),
        None => "-".into(),
    }
}

/// Sets an answer from what a prompt returned.
pub fn set_answer(a: &mut PartialAnswers, q: &Question, v: Value) -> anyhow::Result<()> {
    let v = match (q.kind, v) {
        (QuestionKind::List, Value::String(s)) => Value::Array(vec![Value::String(s)]),
        (_, v) => v,
    };
    set(a, &q.key, v).map_err(|e| anyhow!("{}: {e}", q.key))
}
