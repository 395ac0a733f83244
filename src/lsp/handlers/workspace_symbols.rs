//! Workspace symbols: every element whose qualified id or title contains the query (case
//! insensitive).

use lsp_types::{SymbolInformation, WorkspaceSymbolParams, WorkspaceSymbolResponse};

use super::Result;
use crate::lsp::server::Server;
use crate::lsp::to_proto::symbol_kind;

/// Enough to fill any picker; a larger workspace is narrowed by typing.
const MAX_RESULTS: usize = 500;

pub fn workspace_symbols(
    server: &Server,
    params: WorkspaceSymbolParams,
) -> Result<Option<WorkspaceSymbolResponse>> {
    let analysis = &server.analysis;
    let model = &analysis.report.model;
    let query = params.query.to_lowercase();
    let symbols = model
        .elements
        .iter()
        .filter(|e| {
            e.qid.to_lowercase().contains(&query)
                || e.title
                    .as_ref()
                    .is_some_and(|t| t.to_lowercase().contains(&query))
        })
        .take(MAX_RESULTS)
        .map(|e| {
            #[allow(deprecated)] // `deprecated` is a required field of the struct
            SymbolInformation {
                name: e.qid.clone(),
                kind: symbol_kind(e.kind),
                tags: None,
                deprecated: None,
                location: analysis.location(e.name_at.file, e.name_at.span),
                container_name: e.parent.map(|p| model.element(p).qid.clone()),
            }
        })
        .collect();
    Ok(Some(WorkspaceSymbolResponse::Flat(symbols)))
}
