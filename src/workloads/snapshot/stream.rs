//! Reading `kubectl get … -o json` without holding it: the top-level
//! object's `items` are deserialized one at a time from a buffered reader
//! that counts lines, so a 1 GB List takes the memory of its largest item,
//! and each item keeps the line and column it starts at.

use std::cell::Cell;
use std::io::Read;
use std::rc::Rc;

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use crate::plan::node::{Node, Pos};

/// Where the reader is: line, column (of the next byte) and bytes read.
#[derive(Debug, Clone, Copy)]
pub struct Mark {
    pub line: u32,
    pub column: u32,
    pub bytes: u64,
}

/// A reader that keeps its [`Mark`] in a shared cell.
pub struct Counting<R> {
    inner: R,
    mark: Rc<Cell<Mark>>,
}

impl<R: Read> Counting<R> {
    pub fn new(inner: R) -> (Counting<R>, Rc<Cell<Mark>>) {
        let mark = Rc::new(Cell::new(Mark {
            line: 1,
            column: 1,
            bytes: 0,
        }));
        (
            Counting {
                inner,
                mark: mark.clone(),
            },
            mark,
        )
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut m = self.mark.get();
        for &b in &buf[..n] {
            match b {
                b'\n' => {
                    m.line += 1;
                    m.column = 1;
                }
                // A UTF-8 continuation byte is not a column.
                0x80..=0xBF => {}
                _ => m.column += 1,
            }
        }
        m.bytes += n as u64;
        self.mark.set(m);
        Ok(n)
    }
}

/// A position as the YAML reader's locations carry it.
pub fn location(pos: Pos) -> Location {
    let v = serde_json::json!({"line": pos.line, "column": pos.column});
    serde_json::from_value(v).unwrap_or(Location::UNKNOWN)
}

/// A JSON value as a located YAML node (every part at `loc`).
pub fn to_node(v: serde_json::Value, loc: Location) -> Spanned<Node> {
    use serde_json::Value as V;
    let node = match v {
        V::Null => Node::Null,
        V::Bool(b) => Node::Bool(b),
        V::Number(n) => match n.as_i64() {
            Some(i) => Node::Int(i128::from(i)),
            None => match n.as_u64() {
                Some(u) => Node::Int(i128::from(u)),
                None => Node::Float(n.as_f64().unwrap_or(0.0)),
            },
        },
        V::String(s) => Node::Str(s),
        V::Array(a) => Node::Seq(a.into_iter().map(|x| to_node(x, loc)).collect()),
        V::Object(o) => Node::Map(
            o.into_iter()
                .map(|(k, x)| (Spanned::new(Node::Str(k), loc, loc), to_node(x, loc)))
                .collect(),
        ),
    };
    Spanned::new(node, loc, loc)
}

/// What the top-level object says besides its items.
#[derive(Debug, Default)]
pub struct Top {
    pub kind: Option<String>,
    /// The object itself when it is no list (a single Node or Pod).
    pub fields: serde_json::Map<String, serde_json::Value>,
    pub items: usize,
}

struct ItemSeed<'f> {
    mark: &'f Rc<Cell<Mark>>,
    each: &'f mut dyn FnMut(serde_json::Value, Pos),
}

impl<'de> DeserializeSeed<'de> for ItemSeed<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        // The reader has taken the item's opening brace: it is one column back.
        let m = self.mark.get();
        let pos = Pos {
            line: m.line,
            column: m.column.saturating_sub(1).max(1),
        };
        let v = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
        (self.each)(v, pos);
        Ok(())
    }
}

struct Items<'f> {
    mark: &'f Rc<Cell<Mark>>,
    each: &'f mut dyn FnMut(serde_json::Value, Pos),
}

impl<'de> DeserializeSeed<'de> for Items<'_> {
    type Value = usize;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Items<'_> {
    type Value = usize;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of Kubernetes objects")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut n = 0;
        while seq
            .next_element_seed(ItemSeed {
                mark: self.mark,
                each: &mut *self.each,
            })?
            .is_some()
        {
            n += 1;
        }
        Ok(n)
    }
}

struct TopVisitor<'f> {
    mark: &'f Rc<Cell<Mark>>,
    each: &'f mut dyn FnMut(serde_json::Value, Pos),
}

impl<'de> Visitor<'de> for TopVisitor<'_> {
    type Value = Top;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a Kubernetes object or List")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top, A::Error> {
        let mut top = Top::default();
        while let Some(key) = map.next_key::<String>()? {
            if key == "items" {
                top.items += map.next_value_seed(Items {
                    mark: self.mark,
                    each: &mut *self.each,
                })?;
                continue;
            }
            let v: serde_json::Value = map.next_value()?;
            if key == "kind" {
                top.kind = v.as_str().map(str::to_string);
            }
            top.fields.insert(key, v);
        }
        Ok(top)
    }
}

/// Reads one JSON object from `r`, handing on each of its `items` (with
/// where it starts) as it is read; returns the rest of the object.
pub fn read_json<R: Read>(
    r: R,
    each: &mut dyn FnMut(serde_json::Value, Pos),
    progress: &mut dyn FnMut(u64),
) -> Result<Top, (Pos, String)> {
    let (counting, mark) = Counting::new(std::io::BufReader::with_capacity(1 << 16, r));
    let ticking = Ticking {
        inner: counting,
        mark: mark.clone(),
        progress,
        last: 0,
    };
    let mut de = serde_json::Deserializer::from_reader(ticking);
    let top = serde::Deserializer::deserialize_map(&mut de, TopVisitor { mark: &mark, each })
        .and_then(|t| de.end().map(|()| t));
    top.map_err(|e| {
        let pos = Pos {
            line: u32::try_from(e.line()).unwrap_or(u32::MAX),
            column: u32::try_from(e.column()).unwrap_or(u32::MAX),
        };
        let text = e.to_string();
        let reason = match text.rfind(" at line ") {
            Some(i) => text[..i].to_string(),
            None => text,
        };
        (pos, reason)
    })
}

/// Tells `progress` the bytes read, every 4 MiB.
struct Ticking<'p, R> {
    inner: R,
    mark: Rc<Cell<Mark>>,
    progress: &'p mut dyn FnMut(u64),
    last: u64,
}

impl<R: Read> Read for Ticking<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let b = self.mark.get().bytes;
        if b - self.last >= 4 << 20 {
            self.last = b;
            (self.progress)(b);
        }
        Ok(n)
    }
}
