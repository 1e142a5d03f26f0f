//! The questionnaire in a terminal (inquire, on stderr): one question at a
//! time with its default and help, validated numbers re-asked in place, a
//! summary to confirm. Ctrl-C, Esc or end of input ends it with nothing written.

use std::io::Write;

use inquire::validator::Validation;
use inquire::{Confirm, InquireError, MultiSelect, Select};
use serde_json::Value;

use crate::questionnaire::{
    PartialAnswers, PromptError, Prompter, Question, QuestionKind, Questionnaire, Review,
};

/// The terminal's prompter: it refuses an answer that contradicts the
/// others at its prompt (the design engine's own checks), and keeps the
/// answers so far in `keep_at` after each one.
pub struct Terminal<'a> {
    pub catalog: &'a crate::catalog::Catalog,
    pub keep_at: std::path::PathBuf,
}

fn stop(e: InquireError) -> PromptError {
    match e {
        // Esc: one question back.
        InquireError::OperationCanceled => PromptError::Back,
        InquireError::OperationInterrupted | InquireError::IO(_) => PromptError::Interrupted,
        other => PromptError::Failed(other.to_string()),
    }
}

/// The terminal's width, when it says one.
fn terminal_width() -> Option<u16> {
    crossterm::terminal::size()
        .ok()
        .map(|(w, _)| w)
        .filter(|w| *w > 0)
}

/// Whether the answers so far hold together: designed with the defaults
/// of the questions still open, as the engine designs them. A learning
/// cluster is one node, so more pods than a node may run (its maxPods)
/// contradict the purpose.
pub fn check_answers(c: &crate::catalog::Catalog, a: &PartialAnswers) -> Result<(), String> {
    let full = c.questions().with_defaults(a, false);
    let Ok(answers) = full.complete() else {
        return Ok(());
    };
    let name = crate::design::default_name(&answers);
    let options = crate::design::MachineOptions::default();
    crate::design::recommend_with(c, &answers, &name, &options).map_err(|e| e.to_string())?;
    let per_node = c
        .limits(answers.platform, answers.managed)
        .max_pods_per_node;
    if answers.purpose == crate::plan::Purpose::Learning && answers.pods > u64::from(per_node) {
        return Err(format!(
            "a learning cluster is one node, and a node runs at most {per_node} pods (its maxPods), not {}: answer fewer pods, or the purpose development to size workers for all of them",
            crate::prose::num(answers.pods)
        ));
    }
    Ok(())
}

/// A question's help, wrapped at word boundaries to the terminal (inquire
/// prints it as it is given, and the terminal would cut words).
fn help(q: &Question) -> String {
    crate::prose::wrap(&q.help, terminal_width().map(|w| w.saturating_sub(2)))
}

/// Asks for a number within the question's bounds, read as an answers
/// file reads it: `1,000`, `500m`, `512Mi` (`example` when it is no number).
fn number(q: &Question, current: Option<Value>, example: &str) -> Result<Value, PromptError> {
    let (lo, hi) = q.bounds();
    let range = q.range_text();
    let help_text = help(q);
    let question = q.clone();
    let example = example.to_string();
    let mut p = inquire::Text::new(&q.prompt)
        .with_help_message(&help_text)
        .with_validator(move |s: &str| {
            Ok(match question.read_number(s) {
                Err(e) => Validation::Invalid(format!("{e}; {example}").into()),
                Ok(v) => match v.as_f64() {
                    Some(n) if n >= lo && n <= hi => Validation::Valid,
                    _ => Validation::Invalid(format!("must be {range}").into()),
                },
            })
        });
    let shown = current.map(|d| match d.as_f64() {
        Some(n) if n.fract() == 0.0 => format!("{n:.0}"),
        _ => d.to_string(),
    });
    if let Some(d) = shown.as_deref() {
        p = p.with_default(d);
    }
    let typed = p.prompt().map_err(stop)?;
    q.read_number(&typed).map_err(PromptError::Failed)
}

/// A multi-select. A choice that excludes the others (`none`) is what an
/// empty selection means, so it starts unticked: ticking another choice is
/// never refused because of it.
fn list(q: &Question, current: Option<Value>) -> Result<Value, PromptError> {
    let empty_means = q.choices.first().filter(|c| *c == "none").cloned();
    let chosen: Vec<String> = match &current {
        Some(Value::Array(v)) => v
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    let chosen: Vec<String> = chosen
        .into_iter()
        .filter(|c| Some(c) != empty_means.as_ref())
        .collect();
    let defaults: Vec<usize> = q
        .choices
        .iter()
        .enumerate()
        .filter(|(_, c)| chosen.contains(c))
        .map(|(i, _)| i)
        .collect();
    let help_text = help(q);
    let picked = MultiSelect::new(&q.prompt, q.choices.clone())
        .with_help_message(&help_text)
        .with_default(&defaults)
        .with_validator(|sel: &[inquire::list_option::ListOption<&String>]| {
            let none = sel.iter().any(|o| o.value == "none");
            Ok(if none && sel.len() > 1 {
                Validation::Invalid("none cannot be combined with fast or shared".into())
            } else {
                Validation::Valid
            })
        })
        .prompt()
        .map_err(stop)?;
    let picked = match (picked.is_empty(), empty_means) {
        (true, Some(none)) => vec![none],
        _ => picked,
    };
    Ok(Value::Array(
        picked.into_iter().map(Value::String).collect(),
    ))
}

/// An interrupt from outside (`kill -INT`, `kill -TERM`) while a prompt
/// holds the terminal in raw mode: give the terminal back (cooked mode,
/// bracketed paste off, cursor shown) and end as Ctrl-C does. Nothing has
/// been written yet: files are written only after the last answer.
#[cfg(unix)]
fn restore_on_signal() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let _ = crossterm::terminal::disable_raw_mode();
            let mut err = std::io::stderr();
            let _ = write!(err, "\x1b[?2004l\x1b[?25h\r\n");
            let _ = writeln!(err, "kubeplan: {}", PromptError::Interrupted);
            std::process::exit(i32::from(super::exit::INTERRUPTED));
        }
    });
}

#[cfg(not(unix))]
fn restore_on_signal() {}

/// What the summary offers.
const DESIGN: &str = "yes, design it";
const CHANGE: &str = "change one answer";
const ALL: &str = "go through every question again";

impl Terminal<'_> {
    /// A question's help for the answers so far: on a managed service, the
    /// help that names it and the range it takes.
    fn help_for(&self, q: &Question, a: &PartialAnswers) -> String {
        let service = a.platform.and_then(|p| p.service().map(|s| (p, s)));
        match (service, a.managed, &q.help_managed) {
            (Some((p, s)), Some(true) | None, Some(t)) => {
                let range = self
                    .catalog
                    .platform(p)
                    .network
                    .as_ref()
                    .map_or("its own".to_string(), |n| n.service_cidr.to_string());
                t.replace("{service}", s.name)
                    .replace("{serviceCIDR}", &range)
            }
            _ => q.help.clone(),
        }
    }

    /// The answer to change, picked from the answers that apply.
    fn pick(&self, a: &PartialAnswers, qs: &Questionnaire) -> Result<Review, PromptError> {
        let keys: Vec<&Question> = qs.questions.iter().filter(|q| q.applies(a)).collect();
        let labels: Vec<String> = keys
            .iter()
            .map(|q| format!("{} ({})", q.prompt, a.text(&q.key)))
            .collect();
        let picked = Select::new("Which answer?", labels.clone())
            .with_help_message("Esc: back to the summary")
            .prompt();
        match picked {
            Ok(l) => {
                let i = labels.iter().position(|x| *x == l).unwrap_or(0);
                Ok(Review::Change(keys[i].key.clone()))
            }
            Err(InquireError::OperationCanceled) => Ok(Review::Change(String::new())),
            Err(e) => Err(stop(e)),
        }
    }
}

impl Prompter for Terminal<'_> {
    fn start(&mut self) {
        restore_on_signal();
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            inquire::set_global_render_config(inquire::ui::RenderConfig::empty());
        }
        eprintln!(
            "{}",
            crate::prose::wrap(
                "kubeplan design: a few questions about the cluster (Enter takes the default, Esc goes back, Ctrl-C stops).",
                terminal_width()
            )
        );
    }

    fn ask(
        &mut self,
        q: &Question,
        current: Option<Value>,
        so_far: &PartialAnswers,
    ) -> Result<Value, PromptError> {
        let mut q = q.clone();
        q.help = self.help_for(&q, so_far);
        let q = &q;
        let help_text = help(q);
        match q.kind {
            QuestionKind::Choice => {
                let start = current
                    .as_ref()
                    .and_then(Value::as_str)
                    .and_then(|d| q.choices.iter().position(|c| c == d))
                    .unwrap_or(0);
                Select::new(&q.prompt, q.choices.clone())
                    .with_help_message(&help_text)
                    .with_starting_cursor(start)
                    .prompt()
                    .map(Value::String)
                    .map_err(stop)
            }
            QuestionKind::Flag => Confirm::new(&q.prompt)
                .with_default(current.and_then(|v| v.as_bool()).unwrap_or(true))
                .with_help_message(&help_text)
                .prompt()
                .map(Value::Bool)
                .map_err(stop),
            QuestionKind::Integer => number(q, current, "type a whole number, e.g. 3 or 1,000"),
            QuestionKind::Number => number(q, current, "type a number, e.g. 0.25"),
            QuestionKind::List => list(q, current),
            QuestionKind::Text => {
                let key = q.key.clone();
                let mut p = inquire::Text::new(&q.prompt)
                    .with_help_message(&help_text)
                    .with_validator(move |s: &str| {
                        let mut probe = crate::questionnaire::PartialAnswers::default();
                        Ok(match probe.set(&key, Value::String(s.to_string())) {
                            Ok(()) => Validation::Valid,
                            Err(e) => Validation::Invalid(e.into()),
                        })
                    });
                let shown = current.as_ref().and_then(Value::as_str).map(str::to_string);
                if let Some(d) = shown.as_deref() {
                    p = p.with_default(d);
                }
                p.prompt().map(Value::String).map_err(stop)
            }
        }
    }

    fn confirm(&mut self, a: &PartialAnswers, qs: &Questionnaire) -> Result<Review, PromptError> {
        eprintln!("{}", crate::report::design::answers_table(a, qs));
        let choice = Select::new(
            "Design the cluster with these answers?",
            vec![DESIGN, CHANGE, ALL],
        )
        .with_help_message("Enter designs; or change one answer, or go through them all again")
        .prompt();
        match choice.map_err(stop) {
            Ok(c) if c == CHANGE => self.pick(a, qs),
            Ok(c) if c == ALL => Ok(Review::All),
            Ok(_) => Ok(Review::Design),
            // Esc at the summary: change one answer.
            Err(PromptError::Back) => self.pick(a, qs),
            Err(e) => Err(e),
        }
    }

    fn check(&mut self, a: &PartialAnswers) -> Result<(), String> {
        check_answers(self.catalog, a)
    }

    fn refused(&mut self, _q: &Question, why: &str) {
        eprintln!(
            "{}",
            crate::prose::wrap(&format!("✗ {why}"), terminal_width())
        );
    }

    fn keep(&mut self, a: &PartialAnswers) {
        // Best effort: a state folder that cannot be written loses nothing
        // of this run.
        if let Some(dir) = self.keep_at.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        if let Ok(text) = serde_saphyr::to_string(a) {
            let text = format!("# kubeplan design: the answers so far (`kubeplan design --resume` goes on)\n{text}");
            let _ = super::write_atomic(&self.keep_at, &text, true);
        }
    }
}
