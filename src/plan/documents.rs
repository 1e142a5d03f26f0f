//! The documents of a plan file, one at a time: a file of thousands of
//! plans is parsed document by document on one thread while a second checks
//! each against the schema and hands it on, so it never holds more than a
//! few parsed plans; a one-plan file is parsed in one go.

use std::sync::Arc;

use serde_saphyr::Spanned;

use super::load::{check_document, parse_yaml, read_err, yaml_error, Document, LoadError, Source};
use super::node::Node;
use super::yaml::parse_options;

/// Whether a source holds more than one document (a `---` line after the
/// first): such a file is parsed one document at a time.
fn several_documents(text: &str) -> bool {
    text.match_indices("\n---").any(|(i, _)| {
        matches!(
            text.as_bytes().get(i + 4),
            None | Some(b' ' | b'\t' | b'\r' | b'\n')
        )
    })
}

/// Parses each document of a source in turn, checks it against the schema
/// and hands it to `each`: a file of thousands of plans never holds more
/// than one parsed plan at a time. Returns how many documents there were;
/// a file that cannot be parsed is an error (after the documents before the
/// problem were handed on).
pub fn each_document(
    source: Source,
    mut each: impl FnMut(Document) + Send,
) -> Result<usize, LoadError> {
    let source = Arc::new(source);
    let count = if several_documents(&source.text) {
        match pipelined(&source, &mut each) {
            Some(count) => count?,
            None => {
                let mut count = 0;
                let mut reader = Reader::new(source.text.as_bytes());
                for doc in stream(&source, &mut reader) {
                    each(check_document(source.clone(), count, doc?));
                    count += 1;
                }
                count
            }
        }
    } else {
        let docs = parse_yaml(&source)?;
        let count = docs.len();
        for (index, doc) in docs.into_iter().enumerate() {
            each(check_document(source.clone(), index, doc));
        }
        count
    };
    if count == 0 {
        return Err(read_err(&source.name, "file is empty: no plan document"));
    }
    Ok(count)
}

/// Documents parsed ahead of the one being checked, at most.
const PARSED_AHEAD: usize = 64;

type Reader<'a> = std::io::Cursor<&'a [u8]>;

/// The documents of a source, parsed one at a time from `reader` (a cursor
/// over the source's text).
fn stream<'a>(
    source: &'a Source,
    reader: &'a mut Reader<'a>,
) -> impl Iterator<Item = Result<Spanned<Node>, LoadError>> + 'a {
    serde_saphyr::read_with_options::<_, Spanned<Node>>(reader, parse_options())
        .map(|d| d.map_err(|e| yaml_error(source, e)))
}

/// A multi-document file: this thread parses document after document while
/// a second one checks them and hands them on, in order. None when the
/// second thread cannot be started.
fn pipelined(
    source: &Arc<Source>,
    each: &mut (impl FnMut(Document) + Send),
) -> Option<Result<usize, LoadError>> {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Spanned<Node>>(PARSED_AHEAD);
    std::thread::scope(|s| {
        let checker = std::thread::Builder::new()
            .stack_size(16 * 1024 * 1024)
            .spawn_scoped(s, || {
                for (index, doc) in rx.into_iter().enumerate() {
                    each(check_document(source.clone(), index, doc));
                }
            })
            .ok()?;
        let mut count = 0;
        let mut result = Ok(());
        let mut reader = Reader::new(source.text.as_bytes());
        for doc in stream(source, &mut reader) {
            match doc.map(|d| tx.send(d)) {
                Ok(Ok(())) => count += 1,
                Ok(Err(_)) => break,
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        drop(tx);
        checker
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        Some(result.map(|()| count))
    })
}

/// Parses every document of a source and checks it against the schema.
pub fn parse_documents(source: Source) -> Result<Vec<Document>, LoadError> {
    let mut out = Vec::new();
    each_document(source, |d| out.push(d))?;
    Ok(out)
}
