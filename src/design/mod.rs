//! `kubeplan design`: the questionnaire's answers and the recommendation engine.

pub mod answers;
pub mod engine;

pub use answers::{Answers, PartialAnswers};
pub use engine::{recommend, Design, Reason};
