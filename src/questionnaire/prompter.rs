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
    /// Ctrl-C, Esc at the first question, or the end of input.
    #[error("interrupted; nothing was written")]
    Interrupted,
    /// Esc: back to the question before.
    #[error("back to the question before")]
    Back,
    #[error("cannot ask the questionnaire: {0}")]
    Failed(String),
}

/// What the person chose at the summary.
#[derive(Debug, Clone, PartialEq)]
pub enum Review {
    /// Design with these answers.
    Design,
    /// Change the answer of this key, then show the summary again.
    Change(String),
    /// Go through every question again, the answers as defaults.
    All,
}

/// Something that can answer questions.
pub trait Prompter {
    /// Said once before the first question.
    fn start(&mut self) {}
    /// Asks one question; `current` is the default to offer, `so_far` the
    /// answers given (for help that speaks of the chosen platform).
    fn ask(
        &mut self,
        q: &Question,
        current: Option<Value>,
        so_far: &PartialAnswers,
    ) -> Result<Value, PromptError>;
    /// Shows the answers and asks what to do with them.
    fn confirm(
        &mut self,
        answers: &PartialAnswers,
        qs: &Questionnaire,
    ) -> Result<Review, PromptError>;
    /// Whether the answers so far hold together: an answer that
    /// contradicts the others is refused at its own prompt.
    fn check(&mut self, _answers: &PartialAnswers) -> Result<(), String> {
        Ok(())
    }
    /// Says why an answer was refused (then it is asked again).
    fn refused(&mut self, _q: &Question, _why: &str) {}
    /// Keeps the answers so far, after each one (saved as you go).
    fn keep(&mut self, _answers: &PartialAnswers) {}
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
    fn ask(
        &mut self,
        q: &Question,
        current: Option<Value>,
        _: &PartialAnswers,
    ) -> Result<Value, PromptError> {
        self.asked.push(q.key.clone());
        match self.answers.pop_front() {
            Some(Value::Null) => current.ok_or(PromptError::Interrupted),
            Some(v) => Ok(v),
            None => Err(PromptError::Interrupted),
        }
    }

    fn confirm(&mut self, _: &PartialAnswers, _: &Questionnaire) -> Result<Review, PromptError> {
        match self.confirms.pop_front() {
            Some(true) => Ok(Review::Design),
            Some(false) => Ok(Review::All),
            None => Err(PromptError::Interrupted),
        }
    }
}

/// Asks one question until its answer holds with the others.
fn ask_one(
    q: &Question,
    a: &mut PartialAnswers,
    qs: &Questionnaire,
    p: &mut dyn Prompter,
) -> Result<(), PromptError> {
    loop {
        let shown = a.get(&q.key).or_else(|| qs.default_for(q, a));
        let v = match (q.kind, p.ask(q, shown, a)?) {
            (QuestionKind::List, Value::String(s)) => Value::Array(vec![Value::String(s)]),
            (_, v) => v,
        };
        let before = a.clone();
        a.set(&q.key, v)
            .map_err(|e| PromptError::Failed(format!("{}: {e}", q.key)))?;
        match p.check(a) {
            Ok(()) => {
                p.keep(a);
                return Ok(());
            }
            Err(why) => {
                *a = before;
                p.refused(q, &why);
            }
        }
    }
}

/// Asks, in order, the questions that apply and `ask` selects; Esc goes
/// back to the question asked before (at the first, it stops).
fn walk(
    a: &mut PartialAnswers,
    qs: &Questionnaire,
    p: &mut dyn Prompter,
    ask: &dyn Fn(&Question) -> bool,
) -> Result<(), PromptError> {
    let mut asked: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < qs.questions.len() {
        let q = &qs.questions[i];
        if !q.applies(a) || !ask(q) {
            i += 1;
            continue;
        }
        match ask_one(q, a, qs, p) {
            Ok(()) => {
                asked.push(i);
                i += 1;
            }
            Err(PromptError::Back) => match asked.pop() {
                Some(prev) => i = prev,
                None => return Err(PromptError::Interrupted),
            },
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Asks every question the answers given leave open, then the summary:
/// design, change one answer, or go through every question again with
/// the answers so far as defaults.
pub fn ask_all(
    given: &PartialAnswers,
    qs: &Questionnaire,
    p: &mut dyn Prompter,
) -> Result<PartialAnswers, PromptError> {
    p.start();
    let mut a = given.clone();
    walk(&mut a, qs, p, &|q| given.get(&q.key).is_none())?;
    loop {
        match p.confirm(&a, qs)? {
            Review::Design => return Ok(a),
            Review::All => walk(&mut a, qs, p, &|_| true)?,
            Review::Change(key) => {
                let q = qs.questions.iter().find(|q| q.key == key);
                if let Some(q) = q {
                    match ask_one(q, &mut a, qs, p) {
                        Ok(()) | Err(PromptError::Back) => {}
                        Err(e) => return Err(e),
                    }
                }
            }
        }
    }
}
