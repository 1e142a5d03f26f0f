//! A JSON document printed while one of its arrays is still being filled:
//! `lint` writes each file's entries as soon as the file is checked, and the
//! bytes are exactly those `format!("{:#}\n", whole)` would print, so
//! streaming changes nothing a reader of the output can see.

use serde::Serialize;
use serde_json::Value;

/// The stand-in item that marks where the streamed array's items go. A NUL
/// is escaped in JSON text, so no real item prints the same line.
const SLOT: &str = "\u{0}kubeplan-streamed-items";

/// The pretty text of a document with one streamed array, cut around the
/// array's items.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// Everything up to the first item (ends with `[` and a newline).
    pub head: String,
    /// The items' indentation.
    pub indent: String,
    /// Everything after the last item (starts with a newline and `]`).
    pub tail: String,
}

impl Frame {
    /// Cuts `skeleton`, whose streamed array holds exactly one string,
    /// [`slot`], around that item. None if the slot is not in it.
    pub fn cut(skeleton: &impl Serialize) -> Option<Frame> {
        let text = format!("{}\n", serde_json::to_string_pretty(skeleton).ok()?);
        let slot = serde_json::to_string(SLOT).ok()?;
        let at = text.find(&slot)?;
        let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
        let line_end = at + slot.len();
        Some(Frame {
            head: text[..line_start].to_string(),
            indent: text[line_start..at].to_string(),
            tail: text[line_end..].to_string(),
        })
    }

    /// One item as it prints inside the array (no separator).
    pub fn item(&self, item: &impl Serialize) -> String {
        let text = serde_json::to_string_pretty(item).unwrap_or_default();
        let mut out = String::with_capacity(text.len() + 8 * text.lines().count());
        for (n, line) in text.split('\n').enumerate() {
            if n > 0 {
                out.push('\n');
            }
            out.push_str(&self.indent);
            out.push_str(line);
        }
        out
    }
}

/// The placeholder item to build a skeleton with, alone in its array.
pub fn slot() -> Value {
    Value::String(SLOT.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Head, items joined by `,\n`, tail: the same bytes as the whole.
    #[test]
    fn streamed_text_is_the_whole_text() {
        let items = vec![
            json!({"file": "a.yaml", "findings": []}),
            json!({"file": "b\n\"c\".yaml", "findings": [{"line": 1, "help": "x\ny"}]}),
        ];
        let whole = json!({"files": items, "summary": {"files": 2}});
        let frame = Frame::cut(&json!({"files": [slot()], "summary": {"files": 2}})).unwrap();
        let parts: Vec<String> = items.iter().map(|i| frame.item(i)).collect();
        let streamed = format!("{}{}{}", frame.head, parts.join(",\n"), frame.tail);
        assert_eq!(streamed, format!("{whole:#}\n"));
    }

    #[test]
    fn nested_arrays_cut_at_their_depth() {
        let skeleton = json!({"runs": [{"results": [slot()], "tool": {"name": "k"}}]});
        let frame = Frame::cut(&skeleton).unwrap();
        assert_eq!(frame.indent, " ".repeat(8));
        let one = json!({"ruleId": "x"});
        let whole = json!({"runs": [{"results": [one], "tool": {"name": "k"}}]});
        assert_eq!(
            format!("{}{}{}", frame.head, frame.item(&one), frame.tail),
            format!("{whole:#}\n")
        );
    }
}
