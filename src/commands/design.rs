//! `kubeplan design`: glue. Resolve the answers (the questionnaire layer),
//! recommend (the engine), render (`report::design`), write.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::bail;

use super::write::is_stdout;
use super::{emit, exit, write_atomic, Env};
use crate::cli::{DesignArgs, DesignFormat};
use crate::design::default_name;
use crate::questionnaire::resolve::{file_layer, flags_layer, preset_layer};
use crate::questionnaire::{resolve, Open, PartialAnswers, PromptError, ResolveError};
use crate::report::design as out;

pub fn run(args: &DesignArgs, env: &Env) -> anyhow::Result<u8> {
    match design(args, env) {
        Err(e)
            if matches!(
                e.downcast_ref::<ResolveError>(),
                Some(ResolveError::Prompt(PromptError::Interrupted))
            ) =>
        {
            eprintln!("kubeplan: {e}");
            let kept = keep_at(args);
            if kept.is_file() {
                let again = match &args.save_answers {
                    Some(f) => format!("kubeplan design --answers {}", f.display()),
                    None => "kubeplan design --resume".to_string(),
                };
                eprintln!(
                    "kubeplan: the answers so far are in {}; `{again}` goes on from there",
                    kept.display()
                );
            }
            Ok(exit::INTERRUPTED)
        }
        other => other,
    }
}

/// Where a questionnaire keeps its answers as they are given: the
/// `--save-answers` file, else `answers.yaml` in kubeplan's state folder
/// (`$XDG_STATE_HOME/kubeplan`, or `~/.local/state/kubeplan`).
pub fn keep_at(args: &DesignArgs) -> std::path::PathBuf {
    if let Some(f) = &args.save_answers {
        return f.clone();
    }
    let state = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".local/state")))
        .unwrap_or_else(std::env::temp_dir);
    state.join("kubeplan").join("answers.yaml")
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

/// "wrote X to FILE" on stderr (not for `-`, nor under `-q`).
fn wrote(env: &Env, path: &std::path::Path, what: &str) {
    if !is_stdout(path) && !env.quiet() {
        eprintln!("kubeplan: wrote {what} to {}", path.display());
    }
}

/// Everything that can be refused is refused before a question is asked,
/// so no answer is typed in vain.
fn check_outputs(args: &DesignArgs) -> anyhow::Result<()> {
    let outs = [&args.output, &args.save_answers, &args.report];
    if outs
        .iter()
        .filter(|o| o.as_deref().is_some_and(is_stdout))
        .count()
        > 1
    {
        bail!("only one output can be - (standard output)");
    }
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
    if let Some(report) = &args.report {
        refuse_existing(report, args.force, "design report")?;
        let same = [args.output.as_deref(), args.save_answers.as_deref()];
        if same.contains(&Some(report.as_path())) {
            bail!(
                "--report names {}, which another output names; give it its own file",
                report.display()
            );
        }
    }
    if let Some(name) = &args.name {
        if crate::plan::dns_label_problem(name).is_some() {
            bail!("--name `{name}` is not a valid cluster name: use lower-case letters, digits and `-` (a DNS label, at most 63 characters)");
        }
    }
    Ok(())
}

/// The answers of the flags, of `--answers FILE` and of `--profile NAME`.
fn layers(
    args: &DesignArgs,
    c: &crate::catalog::Catalog,
) -> anyhow::Result<(PartialAnswers, PartialAnswers, PartialAnswers)> {
    let qs = c.questions();
    let flags = flags_layer(args.given.layer(), qs)?;
    let file = match (&args.answers, args.resume) {
        (Some(path), _) => file_layer(path, qs)?,
        (None, true) => {
            let kept = keep_at(args);
            if !kept.is_file() {
                bail!(
                    "--resume: no answers were kept by an earlier session ({} does not exist)",
                    kept.display()
                );
            }
            file_layer(&kept.to_string_lossy(), qs)?
        }
        (None, false) => PartialAnswers::default(),
    };
    let preset = match &args.profile {
        Some(name) => preset_layer(name, c.presets())?,
        None => PartialAnswers::default(),
    };
    Ok((flags, file, preset))
}

fn design(args: &DesignArgs, env: &Env) -> anyhow::Result<u8> {
    let c = env.catalog()?;
    let qs = c.questions();
    let (flags, file, preset) = layers(args, c)?;
    check_outputs(args)?;
    let workloads = super::design_workloads::read(&args.workloads)?;
    let mut merged =
        super::design_workloads::over(workloads.as_ref(), flags.over(&file.over(&preset)));
    // `--compare` designs every platform: the questionnaire does not ask
    // for one (nor for a cloud's region), and each row sets its own.
    if args.compare.is_some() && merged.platform.is_none() {
        merged.platform = Some(crate::plan::Platform::OnPrem);
    }
    let mut terminal = super::prompt::Terminal {
        catalog: c,
        keep_at: keep_at(args),
    };
    let asking = !args.yes && no_prompt_reason(args).is_none();
    let open = if args.yes {
        Open::Defaults
    } else if let Some(why) = no_prompt_reason(args) {
        Open::Refuse(why)
    } else {
        Open::Ask(&mut terminal)
    };
    let (asked, answers) = resolve(&merged, qs, open)?;
    if !asking {
        say_assumed(env, qs, &merged, &asked);
    }
    // The session is done: its kept answers are in the outputs now.
    if asking && args.save_answers.is_none() {
        let _ = std::fs::remove_file(keep_at(args));
    }
    if let Some(platforms) = &args.compare {
        return super::compare::run(args, env, &asked, platforms);
    }
    if merged.managed == Some(true) && answers.platform.service().is_none() {
        super::note(format!("kubeplan: note: `managed` applies to clouds only; {} has no managed service, so the cluster runs its own control plane", answers.platform));
    }

    let name = args.name.clone().unwrap_or_else(|| default_name(&answers));
    let machines = machine_options(args, c, &answers)?;
    let mut design = crate::design::recommend_with(c, &answers, &name, &machines)?;
    if let Some(set) = &workloads {
        super::design_workloads::apply(c, &mut design, set);
    }
    let boms: Vec<_> = design
        .plans
        .iter()
        .map(|p| crate::bom::build(c, p))
        .collect();

    write_files(args, env, &answers, &design, &boms, asking)?;
    // An output on stdout (`-o -`) is the output: no report beside it.
    let outs = [&args.output, &args.save_answers, &args.report];
    if outs.iter().any(|o| o.as_deref().is_some_and(is_stdout)) {
        return Ok(exit::OK);
    }
    emit(&render(args, env, &answers, &design, &boms)?)?;
    Ok(exit::OK)
}

/// `-v`: each answer that took its default, without being asked.
fn say_assumed(
    env: &Env,
    qs: &crate::questionnaire::Questionnaire,
    given: &PartialAnswers,
    full: &PartialAnswers,
) {
    for q in qs.questions.iter().filter(|q| given.get(&q.key).is_none()) {
        env.say(format!(
            "assumed {} = {} (its default)",
            q.key,
            full.text(&q.key)
        ));
    }
}

/// The design in the format asked for.
fn render(
    args: &DesignArgs,
    env: &Env,
    answers: &crate::design::Answers,
    design: &crate::design::Design,
    boms: &[crate::bom::Bom],
) -> anyhow::Result<String> {
    let c = env.catalog()?;
    Ok(match args.format {
        DesignFormat::Markdown => markdown(args, c, design, boms),
        DesignFormat::Json => format!("{:#}\n", out::document(answers, design, boms)?),
        DesignFormat::Yaml => serde_saphyr::to_string(&out::document(answers, design, boms)?)?,
        DesignFormat::Text if args.brief => {
            out::brief(c, answers, design, boms, env.paint, env.width)
        }
        DesignFormat::Text => out::text(
            c,
            answers,
            design,
            boms,
            args.output.as_deref(),
            env.paint,
            env.width,
        ),
    })
}

/// The Markdown report, naming the plan file (`-o`, or the one to write).
fn markdown(
    args: &DesignArgs,
    c: &crate::catalog::Catalog,
    design: &crate::design::Design,
    boms: &[crate::bom::Bom],
) -> String {
    let file = match &args.output {
        Some(p) => p.display().to_string(),
        None => format!(
            "{}.yaml",
            design.plans[0].metadata.name.trim_end_matches("-1")
        ),
    };
    crate::report::markdown::report(c, &design.plans, Some(&design.reasons), boms, &file)
}

/// `--save-answers`, `-o` and `--report`: each file written whole.
fn write_files(
    args: &DesignArgs,
    env: &Env,
    answers: &crate::design::Answers,
    design: &crate::design::Design,
    boms: &[crate::bom::Bom],
    asked: bool,
) -> anyhow::Result<()> {
    let c = env.catalog()?;
    if let Some(save) = &args.save_answers {
        // Asked in the terminal, this run has kept its answers there.
        write_atomic(
            save,
            &out::answers_yaml(answers, save)?,
            args.force || asked,
        )?;
        wrote(env, save, "the answers");
    }
    if let Some(path) = &args.output {
        write_atomic(path, &out::plans_yaml(answers, &design.plans)?, args.force)?;
        let what = match design.plans.len() {
            1 => "the plan".to_string(),
            n => format!("{n} plans"),
        };
        wrote(env, path, &what);
    }
    if let Some(path) = &args.report {
        let html = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("html"));
        let text = match html {
            true => {
                let summary = out::heading(c, answers, design, crate::report::Paint::default());
                crate::report::html::design(c, summary.trim(), design, boms)
            }
            false => markdown(args, c, design, boms),
        };
        write_atomic(path, &text, args.force)?;
        wrote(env, path, "the design report");
    }
    Ok(())
}

/// The ranking's filter and the pinned machines of `--family`,
/// `--instance-type` and `--server`.
pub(super) fn machine_options(
    args: &DesignArgs,
    c: &crate::catalog::Catalog,
    a: &crate::design::Answers,
) -> anyhow::Result<crate::design::MachineOptions> {
    let prof = c.platform(a.platform);
    args.types
        .check(&prof.instances)
        .map_err(|e| anyhow::anyhow!(e))?;
    if args.server.is_some() && a.platform.cloud() {
        bail!(
            "--server sizes your own machines; on {} pin a type with --instance-type",
            prof.title
        );
    }
    if !args.instance_type.is_empty() && !a.platform.cloud() {
        bail!("--instance-type names a cloud's type; on your own machines give --server CPU,GiB");
    }
    // The application workers' pool is named after the workload; the
    // provider's system pool (AKS) by its own name.
    let system = prof.system_pool.as_ref().map(|s| s.name.as_str());
    let mut pins = Vec::new();
    for p in &args.instance_type {
        pins.push(match p.split_once('=') {
            Some((pool, t)) if pool.trim() == a.workload.as_str() => (None, t.trim().to_string()),
            Some((pool, t)) if Some(pool.trim()) == system => {
                (Some(pool.trim().to_string()), t.trim().to_string())
            }
            Some((pool, _)) => bail!(
                "--instance-type {p}: the design has no pool `{}`; its pools are `{}`{}",
                pool.trim(),
                a.workload,
                system.map_or(String::new(), |s| format!(" and `{s}`"))
            ),
            None => (None, p.trim().to_string()),
        });
    }
    Ok(crate::design::MachineOptions {
        types: args.types.filter(),
        pins,
        server: args.server,
    })
}
