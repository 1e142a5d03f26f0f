//! Asking the questions: the [`Prompter`] trait (the terminal prompts in
//! `commands/prompt.rs`, a [`Scripted`] one for tests) and the loop that asks
//! what the answers so far leave open, then the summary.

use std::collections::VecDeque;

use serde_json::Value;

use super::fields::PartialAnswers;
use super::questions::{Question, QuestionKind, Questionnaire};

/// Why the questions stopped.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PromptError {
    /// Ctrl-C, Esc or the end of input.
    #[error("interrupted; nothing was written")]
    Interrupted,
    #[error("cannot ask the questionnaire: {0}")]
    Failed(String),
}

/// Something that can answer questions.
pub trait Prompter {
    /// Said once before the first question.
    fn start(&mut self) {}
    /// Asks one question; `current` is the default to offer.
    fn ask(&mut self, q: &Question, current: Option<Value>) -> Result<Value, PromptError>;
    /// Shows the answers and asks whether to design with them.
    fn confirm(
        &mut self,
        answers: &PartialAnswers,
        qs: &Questionnaire,
    ) -> Result<bool, PromptError>;
}

/// Answers from a script: each question takes the next value (`Null` takes
/// the default offered), each summary the next yes/no.
#[derive(Debug, Default)]
pub struct Scripted {
    pub answers: VecDeque<Value>,
    pub confirms: VecDeque<bool>,
    /// The keys asked, in order.
    pub asked: Vec<String>,
}

impl Prompter for Scripted {
    fn ask(&mut self, q: &Question, current: Option<Value>) -> Result<Value, PromptError> {
        self.asked.push(q.key.clone());
        match self.answers.pop_front() {
            Some(Value::Null) => current.ok_or(PromptError::Interrupted),
            Some(v) => Ok(v),
            None => Err(PromptError::Interrupted),
        }
    }

    fn confirm(&mut self, _: &PartialAnswers, _: &Questionnaire) -> Result<bool, PromptError> {
        self.confirms.pop_front().ok_or(PromptError::Interrupted)
    }
}

/// Asks every question the answers so far leave open, then the summary.
/// Answering "no" at the summary goes through every question again, with
/// the answers so far as defaults.
pub fn ask_all(
    given: &PartialAnswers,
    qs: &Questionnaire,
    p: &mut dyn Prompter,
) -> Result<PartialAnswers, PromptError> {
    p.start();
    let mut a = given.clone();
    let mut review = false;
    loop {
        for q in &qs.questions {
            if !q.applies(&a) {
                continue;
            }
            let current = a.get(&q.key);
            if !review && current.is_some() {
                continue;
            }
            let shown = current.or_else(|| qs.default_for(q, &a));
            let v = match (q.kind, p.ask(q, shown)?) {
                (QuestionKind::List, Value::String(s)) => Value::Array(vec![Value::String(s)]),
                (_, v) => v,
            };
            a.set(&q.key, v)
                .map_err(|e| PromptError::Failed(format!("{}: {e}", q.key)))?;
        }
        if p.confirm(&a, qs)? {
            return Ok(a);
        }
        review = true;
    }
}
