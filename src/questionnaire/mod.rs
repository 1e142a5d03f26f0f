//! The questionnaire layer, at the bottom of the design side: the answers
//! declared once (`fields`), the questions and presets as data
//! (`questions`), where answers come from (`resolve`), and asking them
//! (`prompter`). It knows nothing of the catalog or the engine above it.

pub mod fields;
pub mod prompter;
pub mod questions;
pub mod resolve;

pub use fields::{AnswerFlags, Answers, PartialAnswers, StorageAnswer, FIELDS};
pub use prompter::{ask_all, PromptError, Prompter, Review, Scripted};
pub use questions::{check_bounds, Preset, Question, QuestionKind, Questionnaire};
pub use resolve::{resolve, Open, ResolveError};
