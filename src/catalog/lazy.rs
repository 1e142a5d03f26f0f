//! A part of the built-in catalog parsed at its first use, so a command
//! pays only for the profiles it reads (`quorum` never parses a platform).

use std::sync::OnceLock;

use serde::de::DeserializeOwned;

/// A value, or the built-in JSON it is parsed from at first use.
#[derive(Debug, Clone)]
pub struct Part<T> {
    json: &'static str,
    cell: OnceLock<T>,
    /// What completes the value once parsed (a platform's instance catalog).
    finish: fn(T) -> T,
}

impl<T: DeserializeOwned> Part<T> {
    /// A part already parsed (and checked): a user's file.
    pub fn loaded(value: T) -> Part<T> {
        Part {
            json: "",
            cell: OnceLock::from(value),
            finish: |v| v,
        }
    }

    /// A built-in part, checked when kubeplan was built.
    pub fn builtin(json: &'static str) -> Part<T> {
        Part {
            json,
            cell: OnceLock::new(),
            finish: |v| v,
        }
    }

    /// A built-in part completed by `finish` at its first use.
    pub fn builtin_then(json: &'static str, finish: fn(T) -> T) -> Part<T> {
        Part {
            finish,
            ..Part::builtin(json)
        }
    }

    pub fn get(&self) -> &T {
        self.cell.get_or_init(|| {
            (self.finish)(serde_json::from_str(self.json).unwrap_or_else(|e| {
                panic!("a built-in profile does not load (a build defect the tests catch): {e}")
            }))
        })
    }
}
