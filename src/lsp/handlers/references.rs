//! Find references: every path that names the element under the cursor, and (when asked) its
//! definition.

use lsp_types::{Location, ReferenceParams};

use super::{Result, file_offset};
use crate::lsp::index::Occurrence;
use crate::lsp::server::Server;

pub fn references(server: &Server, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
    let Some((file, offset)) = file_offset(server, &params.text_document_position) else {
        return Ok(None);
    };
    let analysis = &server.analysis;
    let Some((_, occurrence)) = analysis.index.at(file, offset) else {
        return Ok(None);
    };
    let with_definition = params.context.include_declaration;
    let locations = analysis
        .index
        .occurrences(occurrence.element())
        .into_iter()
        .filter(|(_, _, o)| with_definition || matches!(o, Occurrence::Reference(_)))
        .map(|(file, span, _)| analysis.location(file, span))
        .collect();
    Ok(Some(locations))
}
