//! Formatting: the whole document in the canonical layout, as one edit. The editor's tab size
//! is not used: the layout is the one `zonelint fmt --check` enforces, so that the editor and
//! CI never disagree.

use lsp_types::{DocumentFormattingParams, Range, TextEdit};

use super::{HandlerError, Result};
use crate::fmt::{FmtOptions, FormatError, format};
use crate::lsp::line_index::LineIndex;
use crate::lsp::server::Server;

pub fn formatting(
    server: &Server,
    params: DocumentFormattingParams,
) -> Result<Option<Vec<TextEdit>>> {
    let uri = &params.text_document.uri;
    let text: std::sync::Arc<str> = match server.document(uri) {
        Some(doc) => doc.text.clone(),
        None => match server.analysis.file(uri) {
            Some(file) => server.analysis.text(file).into(),
            None => return Ok(None),
        },
    };
    let formatted = match format(&text, &FmtOptions::default()) {
        Ok(formatted) => formatted,
        Err(err @ FormatError::Syntax(_)) => return Err(HandlerError::failed(err.to_string())),
        Err(err @ FormatError::Internal(_)) => return Err(HandlerError::failed(err.to_string())),
    };
    if formatted == *text {
        return Ok(Some(Vec::new()));
    }
    let lines = LineIndex::new(&text);
    let whole = Range::new(lines.position(&text, 0), lines.position(&text, text.len()));
    Ok(Some(vec![TextEdit::new(whole, formatted)]))
}
