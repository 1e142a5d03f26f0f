//! Reading `kubectl get … -o json` without holding it: a scanner finds
//! each of the top-level object's `items` in the byte stream (strings,
//! escapes and nesting followed, lines counted), and each item alone is
//! parsed, so a 1 GB List takes the memory of its largest item, and each
//! item keeps the line and column it starts at.

use std::io::Read;

use serde_saphyr::{Location, Spanned};

use crate::plan::node::{Node, Pos};

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

/// Deserializes JSON straight into a located YAML node (every part at
/// one place), without an intermediate `serde_json::Value`.
#[derive(Clone, Copy)]
struct NodeSeed(Location);

impl<'de> serde::de::DeserializeSeed<'de> for NodeSeed {
    type Value = Spanned<Node>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Spanned<Node>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for NodeSeed {
    type Value = Spanned<Node>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Spanned::new(Node::Null, self.0, self.0))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Spanned::new(Node::Bool(v), self.0, self.0))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Spanned::new(Node::Int(i128::from(v)), self.0, self.0))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Spanned::new(Node::Int(i128::from(v)), self.0, self.0))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Spanned::new(Node::Float(v), self.0, self.0))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Spanned::new(Node::Str(v.to_string()), self.0, self.0))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Spanned::new(Node::Str(v), self.0, self.0))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(self)? {
            out.push(v);
        }
        Ok(Spanned::new(Node::Seq(out), self.0, self.0))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(k) = map.next_key::<String>()? {
            let v = map.next_value_seed(self)?;
            out.push((Spanned::new(Node::Str(k), self.0, self.0), v));
        }
        Ok(Spanned::new(Node::Map(out), self.0, self.0))
    }
}

/// One JSON item as a located node.
pub fn parse_node(bytes: &[u8], pos: Pos) -> Result<Spanned<Node>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let node = serde::de::DeserializeSeed::deserialize(NodeSeed(location(pos)), &mut de)?;
    de.end()?;
    Ok(node)
}

/// What the top-level object says besides its items.
#[derive(Debug, Default)]
pub struct Top {
    pub kind: Option<String>,
    /// The object itself when it is no list (a single Node or Pod).
    pub fields: serde_json::Map<String, serde_json::Value>,
    pub items: usize,
}

/// Where the scanner is in the JSON text.
#[derive(Default)]
struct Scan {
    line: u32,
    /// Bytes read, and where the current line starts.
    offset: u64,
    line_start: u64,
    depth: u32,
    string: bool,
    escape: bool,
    /// The last string closed at depth 1 (a key of the top-level object).
    key: Vec<u8>,
    in_key: bool,
    /// Inside the top-level `items` array (at depth 2).
    items: bool,
    /// The item being read, and where it starts.
    item: Vec<u8>,
    at: Pos,
    /// The top-level object less its items.
    top: Vec<u8>,
    count: usize,
}

type Bad = (Pos, String);

/// The bytes the scanner looks at one by one; runs of the others are copied.
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 7 {
        t[b"\"\\{}[]\n"[i] as usize] = true;
        i += 1;
    }
    t
};

impl Scan {
    /// Where the byte being read is (columns in bytes, as serde_json counts them).
    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            column: u32::try_from(self.offset - self.line_start + 1).unwrap_or(u32::MAX),
        }
    }

    /// A run of bytes none of which is a quote, a backslash, a bracket,
    /// a brace or a line feed: copied where they belong.
    fn plain(&mut self, run: &[u8]) {
        let in_item = self.items && self.depth >= 3;
        if self.string {
            self.escape = false;
            if self.in_key {
                self.key.extend_from_slice(run);
            }
        }
        match in_item {
            true => self.item.extend_from_slice(run),
            false if !(self.items && self.depth == 2) || self.string => {
                self.top.extend_from_slice(run)
            }
            false => {}
        }
    }

    /// One byte; `each` hears every item when its closing brace comes.
    fn byte(&mut self, b: u8, each: &mut dyn FnMut(Spanned<Node>, Pos)) -> Result<(), Bad> {
        let in_item = self.items && self.depth >= 3 || (self.items && self.depth == 2 && b == b'{');
        if self.string {
            self.string_byte(b, in_item);
            return Ok(());
        }
        match b {
            b'"' => {
                self.string = true;
                self.in_key = self.depth == 1;
                if self.in_key {
                    self.key.clear();
                }
            }
            b'{' | b'[' => {
                if self.items && self.depth == 2 {
                    self.item.clear();
                    self.at = self.pos();
                }
                self.depth += 1;
                if self.depth == 2 && b == b'[' && self.key == b"items" {
                    self.items = true;
                    self.top.extend_from_slice(b"[");
                    return Ok(());
                }
            }
            b'}' | b']' => {
                self.depth = self
                    .depth
                    .checked_sub(1)
                    .ok_or_else(|| (self.pos(), format!("unexpected `{}`", b as char)))?;
                if self.items && self.depth == 2 && b == b'}' {
                    self.item.push(b);
                    self.emit(each)?;
                    return Ok(());
                }
                if self.items && self.depth == 1 {
                    self.items = false;
                    self.key.clear();
                }
            }
            _ => {}
        }
        match in_item {
            true => self.item.push(b),
            false if !(self.items && self.depth == 2) => self.top.push(b),
            false => {}
        }
        Ok(())
    }

    fn string_byte(&mut self, b: u8, in_item: bool) {
        match (self.escape, b) {
            (true, _) => self.escape = false,
            (false, b'\\') => self.escape = true,
            (false, b'"') => {
                self.string = false;
                self.in_key = false;
            }
            _ if self.in_key => self.key.push(b),
            _ => {}
        }
        match in_item {
            true => self.item.push(b),
            false => self.top.push(b),
        }
    }

    /// Parses the item just closed; a syntax error is placed in the file.
    fn emit(&mut self, each: &mut dyn FnMut(Spanned<Node>, Pos)) -> Result<(), Bad> {
        let v = parse_node(&self.item, self.at).map_err(|e| {
            let line = u32::try_from(e.line()).unwrap_or(1);
            let column = u32::try_from(e.column()).unwrap_or(1);
            let pos = Pos {
                line: self.at.line + line - 1,
                column: match line {
                    1 => self.at.column + column - 1,
                    _ => column,
                },
            };
            (pos, reason(&e))
        })?;
        self.count += 1;
        each(v, self.at);
        Ok(())
    }
}

/// serde_json's message without its "at line L column C".
fn reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Reads one JSON object from `r`, handing on each of its `items` (with
/// where it starts) as it is read; returns the rest of the object.
/// `progress` hears the bytes read, every 4 MiB.
pub fn read_json<R: Read>(
    mut r: R,
    each: &mut dyn FnMut(Spanned<Node>, Pos),
    progress: &mut dyn FnMut(u64),
) -> Result<Top, Bad> {
    let mut s = Scan {
        line: 1,
        ..Scan::default()
    };
    let mut buf = vec![0u8; 1 << 20];
    let mut told = 0u64;
    loop {
        let n = match r.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err((s.pos(), e.to_string().to_lowercase())),
        };
        let mut bytes = &buf[..n];
        if s.offset == 0 {
            // A byte-order mark is no part of the JSON.
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        let mut i = 0;
        while i < bytes.len() {
            let start = i;
            while i < bytes.len() && !SPECIAL[bytes[i] as usize] {
                i += 1;
            }
            if i > start {
                s.plain(&bytes[start..i]);
                s.offset += (i - start) as u64;
            }
            if let Some(&b) = bytes.get(i) {
                s.byte(b, each)?;
                s.offset += 1;
                if b == b'\n' {
                    s.line += 1;
                    s.line_start = s.offset;
                }
                i += 1;
            }
        }
        if s.offset - told >= 4 << 20 {
            told = s.offset;
            progress(s.offset);
        }
    }
    if s.depth != 0 || s.string {
        return Err((
            s.pos(),
            "the file ends inside an object: is it cut short?".into(),
        ));
    }
    let top: serde_json::Value = serde_json::from_slice(&s.top).map_err(|e| {
        let pos = Pos {
            line: u32::try_from(e.line()).unwrap_or(1),
            column: u32::try_from(e.column()).unwrap_or(1),
        };
        (pos, reason(&e))
    })?;
    let serde_json::Value::Object(mut fields) = top else {
        return Err((Pos::START, "expected a Kubernetes object or List".into()));
    };
    fields.remove("items");
    Ok(Top {
        kind: fields
            .get("kind")
            .and_then(|k| k.as_str())
            .map(str::to_string),
        fields,
        items: s.count,
    })
}
