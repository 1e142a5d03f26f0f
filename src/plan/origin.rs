//! Where the fields of an imported plan came from: for each plan field
//! (`spec.etcd.members`), the line and column of the value in the other
//! tool's file that gave it (`spec.etcdClusters[0].etcdMembers` of a kOps
//! cluster), the field as that file names it, and the file itself when it is
//! not the document's own (a Kubespray `group_vars` file beside an
//! inventory). Lint places each finding of an imported plan here, so it
//! points into the file the user keeps.

use std::collections::HashMap;
use std::sync::Arc;

use super::facts::Fact;
use super::load::Source;
use super::node::Pos;

/// One place in a source file.
#[derive(Debug, Clone, PartialEq)]
pub struct Spot {
    pub pos: Pos,
    /// The field as the source file names it (`managedNodeGroups[0].desiredCapacity`).
    pub field: String,
    /// The file, when it is not the document's own.
    pub file: Option<Arc<Source>>,
}

impl Spot {
    pub fn new(pos: Pos, field: impl Into<String>) -> Spot {
        Spot {
            pos,
            field: field.into(),
            file: None,
        }
    }

    pub fn in_file(mut self, file: Arc<Source>) -> Spot {
        self.file = Some(file);
        self
    }
}

/// A problem: where, what, and how to fix it. A rule's check reports one
/// at a plan field (placed in the file when the finding is made); the
/// schema checker and the importers report one where it is in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub at: Spot,
    pub message: String,
    pub help: String,
}

impl Problem {
    /// A problem with a plan field (its place in the file found later).
    pub fn new(
        field: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Problem {
        Problem::at(Spot::new(Pos::default(), field), message, help)
    }

    /// A problem at a place in the file.
    pub fn at(at: Spot, message: impl Into<String>, help: impl Into<String>) -> Problem {
        Problem {
            at,
            message: message.into(),
            help: help.into(),
        }
    }
}

/// The origins of an imported plan's fields, and what the import could
/// not know.
#[derive(Debug, Clone, PartialEq)]
pub struct Origins {
    spots: HashMap<String, Spot>,
    /// Where a finding about the whole plan goes: the object the plan was
    /// read from (its `kind`), or the top of the file.
    pub top: Spot,
    /// Why each fact the plan does not know is missing, in the file's terms
    /// ("m3.medium is not in the AWS catalog").
    pub reasons: Vec<(Fact, String)>,
    /// How the file was read, for the imported plan's header.
    pub notes: Vec<String>,
}

impl Origins {
    pub fn new(top: Spot) -> Origins {
        Origins {
            spots: HashMap::new(),
            top,
            reasons: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Why a fact is not known, when the importer said.
    pub fn reason(&self, fact: Fact) -> Option<&str> {
        self.reasons
            .iter()
            .find(|(f, _)| *f == fact)
            .map(|(_, r)| r.as_str())
    }

    /// Moves every position through `f` (a template's positions after its
    /// variables were rendered, back to the file as written).
    pub fn map_positions(&mut self, f: &dyn Fn(Pos) -> Pos) {
        for s in self.spots.values_mut() {
            if s.file.is_none() {
                s.pos = f(s.pos);
            }
        }
        if self.top.file.is_none() {
            self.top.pos = f(self.top.pos);
        }
    }

    /// Records where a plan field came from (the first record wins: the
    /// value that decided the field).
    pub fn set(&mut self, plan_field: impl Into<String>, spot: Spot) {
        self.spots.entry(plan_field.into()).or_insert(spot);
    }

    /// Records a plan field, replacing what was recorded.
    pub fn replace(&mut self, plan_field: impl Into<String>, spot: Spot) {
        self.spots.insert(plan_field.into(), spot);
    }

    pub fn get(&self, plan_field: &str) -> Option<&Spot> {
        self.spots.get(plan_field)
    }

    /// The spot of a plan field, else of its nearest recorded parent
    /// (`spec.workers[0].machine.cpu` → `spec.workers[0]`), else the top.
    pub fn find(&self, plan_field: &str) -> &Spot {
        let mut path = plan_field;
        loop {
            if let Some(s) = self.spots.get(path) {
                return s;
            }
            match parent(path) {
                Some(p) => path = p,
                None => return &self.top,
            }
        }
    }

    /// The other files the spots point into.
    pub fn files(&self) -> Vec<Arc<Source>> {
        let mut out: Vec<Arc<Source>> = Vec::new();
        for s in self.spots.values().chain(std::iter::once(&self.top)) {
            if let Some(f) = &s.file {
                if !out.iter().any(|o| o.name == f.name) {
                    out.push(f.clone());
                }
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }
}

/// `a.b[2].c` → `a.b[2]` → `a.b` → `a` → None.
fn parent(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    if path.ends_with(']') {
        return path.rfind('[').map(|i| &path[..i]);
    }
    Some(path.rfind('.').map_or("", |i| &path[..i]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32) -> Spot {
        Spot::new(Pos { line, column: 1 }, format!("line{line}"))
    }

    #[test]
    fn a_field_falls_back_to_its_parents_then_the_top() {
        let mut o = Origins::new(at(1));
        o.set("spec.workers[0]", at(5));
        o.set("spec.workers[0].nodes", at(7));
        o.set("spec.workers[0].nodes", at(9));
        assert_eq!(o.find("spec.workers[0].nodes").pos.line, 7);
        assert_eq!(o.find("spec.workers[0].machine.cpu").pos.line, 5);
        assert_eq!(o.find("spec.workers[1].nodes").pos.line, 1);
        assert_eq!(o.find("").pos.line, 1);
        o.replace("spec.workers[0].nodes", at(9));
        assert_eq!(o.find("spec.workers[0].nodes").pos.line, 9);
        assert_eq!(parent("a.b[2].c"), Some("a.b[2]"));
        assert_eq!(parent("a.b[2]"), Some("a.b"));
        assert_eq!(parent("a"), Some(""));
        assert_eq!(parent(""), None);
    }
}
