//! The outline of one file: its items, nested as written. Read from the file's syntax tree, so
//! it works while the model has errors.

use lsp_types::{DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, SymbolKind};

use super::{Result, file_of};
use crate::diagnostics::FileId;
use crate::lsp::analysis::Analysis;
use crate::lsp::server::Server;
use crate::lsp::to_proto::symbol_kind;
use crate::model::ElementKind;
use crate::syntax::{self, Entry, Item};

pub fn document_symbols(
    server: &Server,
    params: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>> {
    let Some(file) = file_of(server, &params.text_document.uri) else {
        return Ok(None);
    };
    let analysis = &server.analysis;
    let tree = syntax::parse(analysis.text(file));
    let symbols = tree
        .items
        .iter()
        .filter_map(|item| symbol(analysis, file, item))
        .collect();
    Ok(Some(DocumentSymbolResponse::Nested(symbols)))
}

fn symbol(analysis: &Analysis, file: FileId, item: &Item) -> Option<DocumentSymbol> {
    let keyword = item.keyword.text.as_str();
    let (name, kind) = match (ElementKind::from_keyword(keyword), &item.name) {
        (Some(kind), Some(name)) => (name.text.to_string(), symbol_kind(kind)),
        // Suppressions are worth seeing in an outline; imports and custom blocks are not.
        (None, _) if keyword == "suppress" => (
            format!(
                "suppress {}",
                item.title.as_ref().map_or("", |t| t.value.as_str())
            ),
            SymbolKind::KEY,
        ),
        _ => return None,
    };
    let children: Vec<DocumentSymbol> = item
        .entries()
        .iter()
        .filter_map(|entry| match entry {
            Entry::Item(child) => symbol(analysis, file, child),
            Entry::Attribute(_) => None,
        })
        .collect();
    #[allow(deprecated)] // `deprecated` is a required field of the struct
    Some(DocumentSymbol {
        name,
        detail: Some(match &item.title {
            Some(title) => format!("{keyword} — {}", title.value),
            None => keyword.to_string(),
        }),
        kind,
        tags: None,
        deprecated: None,
        range: analysis.range(file, item.span),
        selection_range: analysis.range(file, item.focus()),
        children: (!children.is_empty()).then_some(children),
    })
}
