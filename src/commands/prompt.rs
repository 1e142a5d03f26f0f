//! The interactive questionnaire (inquire, on stderr): one question at a
//! time with its default and help, validated numbers re-asked in place, a
//! summary to confirm. Ctrl-C, Esc or end of input ends it with nothing written.

use anyhow::anyhow;
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use inquire::validator::Validation;
use inquire::{Confirm, CustomType, InquireError, MultiSelect, Select};
use serde_json::Value;

use super::design::{answer_text, set_answer, Interrupted};
use super::Env;
use crate::design::answers::{applies, get, PartialAnswers, Question, QuestionKind, Questionnaire};

fn stop(e: InquireError) -> anyhow::Error {
    match e {
        InquireError::OperationCanceled
        | InquireError::OperationInterrupted
        | InquireError::IO(_) => anyhow::Error::new(Interrupted),
        other => anyhow!("cannot ask the questionnaire: {other}"),
    }
}

fn bounds(q: &Question) -> (f64, f64) {
    (
        q.min.unwrap_or(f64::NEG_INFINITY),
        q.max.unwrap_or(f64::INFINITY),
    )
}

fn range_text(q: &Question) -> String {
    let (lo, hi) = bounds(q);
    let f = |v: f64| {
        if v.fract() == 0.0 {
            crate::fmt::num(v as u64)
        } else {
            format!("{v}")
        }
    };
    format!("between {} and {}", f(lo), f(hi))
}

/// Asks one question; `current` is the default shown.
fn ask_one(q: &Question, current: Option<Value>) -> anyhow::Result<Value> {
    let help = q.help.as_str();
    let (lo, hi) = bounds(q);
    match q.kind {
        QuestionKind::Choice => {
            let start = current
                .as_ref()
                .and_then(Value::as_str)
                .and_then(|d| q.choices.iter().position(|c| c == d))
                .unwrap_or(0);
            Select::new(&q.prompt, q.choices.clone())
                .with_help_message(help)
                .with_starting_cursor(start)
                .prompt()
                .map(Value::String)
                .map_err(stop)
        }
        QuestionKind::Flag => Confirm::new(&q.prompt)
            .with_default(current.and_then(|v| v.as_bool()).unwrap_or(true))
            .with_help_message(help)
            .prompt()
            .map(Value::Bool)
            .map_err(stop),
        QuestionKind::Integer => {
            let range = range_text(q);
            let mut p = CustomType::<u64>::new(&q.prompt)
                .with_help_message(help)
                .with_error_message("type a whole number, e.g. 3")
                .with_validator(move |v: &u64| {
                    let v = *v as f64;
                    Ok(if v >= lo && v <= hi {
                        Validation::Valid
                    } else {
                        Validation::Invalid(format!("must be {range}").into())
                    })
                });
            if let Some(d) = current.as_ref().and_then(Value::as_u64) {
                p = p.with_default(d);
            }
            p.prompt().map(Value::from).map_err(stop)
        }
        QuestionKind::Number => {
            let range = range_text(q);
            let mut p = CustomType::<f64>::new(&q.prompt)
                .with_help_message(help)
                .with_error_message("type a number, e.g. 0.25")
                .with_validator(move |v: &f64| {
                    Ok(if v.is_finite() && *v >= lo && *v <= hi {
                        Validation::Valid
                    } else {
                        Validation::Invalid(format!("must be {range}").into())
                    })
                });
            if let Some(d) = current.as_ref().and_then(Value::as_f64) {
                p = p.with_default(d);
            }
            p.prompt().map(Value::from).map_err(stop)
        }
        QuestionKind::List => {
            let chosen: Vec<String> = match &current {
                Some(Value::Array(v)) => v
                    .iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect(),
                Some(Value::String(s)) => vec![s.clone()],
                _ => Vec::new(),
            };
            let defaults: Vec<usize> = q
                .choices
                .iter()
                .enumerate()
                .filter(|(_, c)| chosen.contains(c))
                .map(|(i, _)| i)
                .collect();
            MultiSelect::new(&q.prompt, q.choices.clone())
                .with_help_message(help)
                .with_default(&defaults)
                .with_validator(|sel: &[inquire::list_option::ListOption<&String>]| {
                    let none = sel.iter().any(|o| o.value == "none");
                    Ok(if sel.is_empty() {
                        Validation::Invalid(
                            "pick at least one (none when no volumes are needed)".into(),
                        )
                    } else if none && sel.len() > 1 {
                        Validation::Invalid("none cannot be combined with fast or shared".into())
                    } else {
                        Validation::Valid
                    })
                })
                .prompt()
                .map(|v| Value::Array(v.into_iter().map(Value::String).collect()))
                .map_err(stop)
        }
    }
}

fn summary(a: &PartialAnswers, qs: &Questionnaire) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec!["answer", "value", "flag"]);
    for q in qs.questions.iter().filter(|q| applies(q, a)) {
        t.add_row(vec![q.key.clone(), answer_text(a, q), q.flag.clone()]);
    }
    t.to_string()
}

/// Asks every question the answers so far leave open, then the summary.
/// Answering "no" at the summary goes through every question again, with
/// the answers so far as defaults.
pub fn ask(
    given: &PartialAnswers,
    qs: &Questionnaire,
    _env: &Env,
) -> anyhow::Result<PartialAnswers> {
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        inquire::set_global_render_config(inquire::ui::RenderConfig::empty());
    }
    eprintln!("kubeplan design: a few questions about the cluster (Enter takes the default, Ctrl-C stops).");
    let mut a = given.clone();
    let mut review = false;
    loop {
        for q in &qs.questions {
            if !applies(q, &a) {
                continue;
            }
            let current = get(&a, &q.key);
            if !review && current.is_some() {
                continue;
            }
            let shown = current.or_else(|| qs.default_for(q, &a));
            let v = ask_one(q, shown)?;
            set_answer(&mut a, q, v)?;
        }
        eprintln!("{}", summary(&a, qs));
        let ok = Confirm::new("Design the cluster with these answers?")
            .with_default(true)
            .with_help_message("no: go through the questions again, with these answers as defaults")
            .prompt()
            .map_err(stop)?;
        if ok {
            return Ok(a);
        }
        review = true;
    }
}
