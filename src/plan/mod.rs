//! The plan: typed model, loading with locations, schema checking, effective values.

pub mod annotations;
mod documents;
#[macro_use]
mod words;
pub mod facts;
pub mod load;
pub mod model;
pub mod node;
pub mod origin;
pub mod rule_ref;
pub mod schema;
pub mod tree;
pub mod view;
pub mod yaml;

pub use facts::Fact;
pub use load::{load_path_list, parse_documents, Document, LoadError, Source};
pub use model::*;
pub use rule_ref::RuleRef;
pub use view::spread;
pub use words::Words;

/// Why a name is not a DNS label (what `metadata.name` must be), or None.
pub fn dns_label_problem(s: &str) -> Option<String> {
    if s.is_empty() {
        return Some("empty".into());
    }
    if s.len() > 63 {
        return Some(format!("{} characters long (at most 63)", s.len()));
    }
    let ok_chars = s
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    let ends_ok = !s.starts_with('-') && !s.ends_with('-');
    (!ok_chars || !ends_ok).then(|| "not a DNS label".into())
}
