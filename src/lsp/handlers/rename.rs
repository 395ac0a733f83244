//! Rename a zone, conduit, component, role, organization or product: its declaration and every
//! path segment that names it, in every file of the workspace.

use std::collections::HashMap;

use lsp_types::{
    PrepareRenameResponse, RenameParams, TextDocumentPositionParams, TextEdit, WorkspaceEdit,
};

use super::{HandlerError, Result, file_offset};
use crate::lsp::server::Server;
use crate::model::{ElemId, ElementKind};
use crate::syntax;

const RENAMEABLE: &[ElementKind] = &[
    ElementKind::Zone,
    ElementKind::Conduit,
    ElementKind::Component,
    ElementKind::Role,
    ElementKind::Organization,
    ElementKind::Product,
];

fn target(server: &Server, at: &TextDocumentPositionParams) -> Result<(ElemId, lsp_types::Range)> {
    let (file, offset) = file_offset(server, at)
        .ok_or_else(|| HandlerError::failed("this file is not part of the model"))?;
    let analysis = &server.analysis;
    let (span, occurrence) = analysis
        .index
        .at(file, offset)
        .ok_or_else(|| HandlerError::failed("there is no element name here to rename"))?;
    let element = analysis.report.model.element(occurrence.element());
    if !RENAMEABLE.contains(&element.kind) {
        return Err(HandlerError::failed(format!(
            "a {} cannot be renamed; zones, conduits, components, roles, organizations and products can",
            element.kind.keyword()
        )));
    }
    Ok((occurrence.element(), analysis.range(file, span)))
}

pub fn prepare_rename(
    server: &Server,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>> {
    let (_, range) = target(server, &params)?;
    Ok(Some(PrepareRenameResponse::Range(range)))
}

pub fn rename(server: &Server, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
    let (element_id, _) = target(server, &params.text_document_position)?;
    let new_name = params.new_name.trim();
    if !is_identifier(new_name) {
        return Err(HandlerError::invalid_params(format!(
            "`{new_name}` is not an id: use letters, digits, `_` and `-`, starting with a letter or `_`"
        )));
    }
    let analysis = &server.analysis;
    let model = &analysis.report.model;
    let element = model.element(element_id);
    let siblings = match element.parent {
        Some(parent) => model.children(parent).to_vec(),
        None => model
            .ids()
            .filter(|id| model.element(*id).parent.is_none())
            .collect(),
    };
    if let Some(clash) = siblings
        .iter()
        .find(|id| **id != element_id && model.element(**id).id == new_name)
    {
        return Err(HandlerError::failed(format!(
            "`{}` already exists in the same scope",
            model.element(*clash).qid
        )));
    }
    let mut changes: HashMap<lsp_types::Url, Vec<TextEdit>> = HashMap::new();
    for (file, span, _) in analysis.index.occurrences(element_id) {
        changes
            .entry(analysis.info(file).uri.clone())
            .or_default()
            .push(TextEdit::new(
                analysis.range(file, span),
                new_name.to_string(),
            ));
    }
    Ok(Some(WorkspaceEdit::new(changes)))
}

/// Whether the parser reads `name` as one identifier.
fn is_identifier(name: &str) -> bool {
    if name.is_empty() || name.contains(|c: char| c.is_whitespace() || c == '/' || c == '"') {
        return false;
    }
    let tree = syntax::parse(&format!("zone {name} {{}}"));
    tree.errors.is_empty()
        && tree.items.len() == 1
        && tree.items[0].name.as_ref().is_some_and(|n| n.text == name)
        && tree.items[0].type_clause.is_none()
}
