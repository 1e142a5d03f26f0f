//! Where answers come from, in order: flags, then `--answers FILE`, then
//! `--profile NAME`, then the prompt (or the defaults with `--yes`).

use std::collections::BTreeMap;

use super::fields::PartialAnswers;
use super::prompter::{ask_all, PromptError, Prompter};
use super::questions::{answers_schema, check_bounds, Preset, Questionnaire};
use super::Answers;
use crate::plan::load::{read_source, LoadError};
use crate::plan::schema::closest;

/// Answers that cannot be resolved.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Prompt(#[from] PromptError),
}

/// The flags' answers, each checked against its bounds (errors name the flag).
pub fn flags_layer(
    flags: PartialAnswers,
    qs: &Questionnaire,
) -> Result<PartialAnswers, ResolveError> {
    check_bounds(&flags, qs, &|key| {
        qs.question(key)
            .map_or(key.to_string(), |q| q.flag().to_string())
    })
    .map_err(ResolveError::Invalid)?;
    Ok(flags)
}

/// An answers file (`-` for stdin), checked against the answers schema and
/// the bounds (errors name `file:line:column`).
pub fn file_layer(path: &str, qs: &Questionnaire) -> Result<PartialAnswers, ResolveError> {
    answers_from_source(&read_source(path)?, qs)
}

/// An answers file already read (what `file_layer` checks after reading).
pub fn answers_from_source(
    source: &crate::plan::Source,
    qs: &Questionnaire,
) -> Result<PartialAnswers, ResolveError> {
    // A number may be written as people write it: `1,000`, `500m`, `512Mi`.
    let rewrite = |key: &str, v: &mut serde_saphyr::Spanned<crate::plan::node::Node>| {
        use crate::plan::node::Node;
        let q = qs.questions.iter().find(|q| q.key == key);
        use crate::questionnaire::questions::QuestionKind;
        let numeric = |q: &&crate::questionnaire::Question| {
            matches!(q.kind, QuestionKind::Integer | QuestionKind::Number)
        };
        let (Some(q), Node::Str(text)) = (q.filter(numeric), &v.value) else {
            return Ok(());
        };
        v.value = match q.read_number(text)? {
            serde_json::Value::Number(n) if n.is_u64() => Node::Int(n.as_u64().unwrap_or(0).into()),
            other => Node::Float(other.as_f64().unwrap_or(f64::NAN)),
        };
        Ok(())
    };
    let (answers, locs): (PartialAnswers, _) =
        crate::plan::load::parse_one_with(source, &answers_schema(qs), "answers", &rewrite)?;
    check_bounds(&answers, qs, &|key| {
        let p = locs.find(key);
        format!("{}:{}:{}", source.name, p.line, p.column)
    })
    .map_err(ResolveError::Invalid)?;
    Ok(answers)
}

/// A preset by name, with "did you mean" for a near miss.
pub fn preset_layer(
    name: &str,
    presets: &BTreeMap<String, Preset>,
) -> Result<PartialAnswers, ResolveError> {
    if let Some(p) = presets.get(name) {
        return Ok(p.answers.clone());
    }
    let names: Vec<&str> = presets.keys().map(String::as_str).collect();
    let hint = closest(name, names.iter().copied())
        .map(|best| format!("did you mean `{best}`? "))
        .unwrap_or_default();
    Err(ResolveError::Invalid(format!(
        "no profile `{name}`; {hint}the presets are {} (`kubeplan profiles` shows them)",
        names.join(", ")
    )))
}

/// What to do about questions no layer answers.
pub enum Open<'p> {
    /// Take their defaults (`--yes`).
    Defaults,
    /// Ask them.
    Ask(&'p mut dyn Prompter),
    /// Fail naming them; the reason says why nothing is asked.
    Refuse(&'static str),
}

/// Resolves merged layers into complete answers: the questions still open
/// are asked, defaulted or refused; optional answers take their defaults.
pub fn resolve(
    merged: &PartialAnswers,
    qs: &Questionnaire,
    open: Open,
) -> Result<(PartialAnswers, Answers), ResolveError> {
    let missing = qs.missing(merged);
    let asked = match open {
        _ if missing.is_empty() => merged.clone(),
        Open::Defaults => qs.with_defaults(merged, false),
        Open::Ask(p) => ask_all(merged, qs, p)?,
        Open::Refuse(why) => {
            let list: Vec<String> = missing
                .iter()
                .map(|q| format!("{} ({})", q.key, q.flag()))
                .collect();
            return Err(ResolveError::Invalid(format!(
                "missing {}: {}; give them as flags, in --answers FILE or with --profile NAME, or pass --yes to take the defaults (not asking: {why})",
                if list.len() == 1 { "answer" } else { "answers" },
                list.join(", ")
            )));
        }
    };
    let full = qs.with_defaults(&asked, true);
    let answers = full.complete().map_err(|keys| {
        ResolveError::Invalid(format!(
            "missing answers: {} (a questionnaire in profiles/ without these questions?)",
            keys.join(", ")
        ))
    })?;
    Ok((full, answers))
}
