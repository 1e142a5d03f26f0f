//! The plan: typed model, loading with locations, schema checking, effective values.

pub mod load;
pub mod model;
pub mod node;
pub mod schema;
pub mod view;

pub use load::{load_path_list, parse_documents, Document, LoadError, Source};
pub use model::*;
pub use view::spread;
