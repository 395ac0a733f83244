//! Quick fixes for the diagnostics in the requested range:
//! - a finding's own fix (`FindingInfo::fix`), when the rule offers one;
//! - `suppress "<rule>" { reason = "TODO: ..." }` inside the element's block, for an open finding;
//! - a new zone or component for an `undefined-reference` to a plain id.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse,
    TextEdit, Url, WorkspaceEdit,
};

use super::{Result, file_of};
use crate::diagnostics::{Diagnostic, FileId, FindingState};
use crate::lsp::analysis::Analysis;
use crate::lsp::server::Server;
use crate::lsp::syntax_at::{self, Node};
use crate::lsp::to_proto;
use crate::model::vocabulary::{ElementKind, Ty};
use crate::syntax::{self, Span};

pub fn code_actions(server: &Server, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
    let Some(file) = file_of(server, &params.text_document.uri) else {
        return Ok(None);
    };
    let analysis = &server.analysis;
    let start = analysis.offset(file, params.range.start);
    let end = analysis.offset(file, params.range.end);
    let mut actions = Vec::new();
    for d in &analysis.report.diagnostics {
        let span = d.primary.span;
        if d.primary.file != file || span.end < start || end < span.start {
            continue;
        }
        let mut fixes = Vec::new();
        if let Some(finding) = &d.finding {
            if let Some(fix) = &finding.fix {
                let edits = fix.edits.iter().map(|e| (e.file, e.span, e.replacement.clone()));
                fixes.push((fix.description.clone(), workspace_edit(analysis, edits), true));
            }
            if finding.state == FindingState::Open
                && let Some(edit) = suppression(analysis, d, &finding.element)
            {
                let title = format!("Suppress `{}` for `{}`", d.code, finding.element);
                fixes.push((title, edit, false));
            }
        }
        if d.code == "undefined-reference" {
            fixes.extend(create_missing(analysis, file, span));
        }
        for (title, edit, preferred) in fixes {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![to_proto::diagnostic(analysis, d)]),
                edit: Some(edit),
                is_preferred: Some(preferred),
                ..CodeAction::default()
            }));
        }
    }
    Ok(Some(actions))
}

fn workspace_edit(
    analysis: &Analysis,
    edits: impl IntoIterator<Item = (FileId, Span, String)>,
) -> WorkspaceEdit {
    let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
    for (file, span, text) in edits {
        changes
            .entry(analysis.info(file).uri.clone())
            .or_default()
            .push(TextEdit::new(analysis.range(file, span), text));
    }
    WorkspaceEdit::new(changes)
}

/// The leading whitespace of the line `offset` is on.
fn indentation_at(text: &str, offset: usize) -> &str {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// An insertion of `entry` as the last entry of the item at `item` (adding a block if it has
/// none), indented one level deeper than the item.
fn insert_into_item(text: &str, item: Span, entry: &str) -> (Span, String) {
    let base = indentation_at(text, item.start);
    let inner = format!("{base}  ");
    let source = &text[item.start..item.end];
    if !source.ends_with('}') {
        let at = Span::new(item.end, item.end);
        return (at, format!(" {{\n{inner}{entry}\n{base}}}"));
    }
    let close = item.end - 1;
    let line_start = text[..close].rfind('\n').map_or(0, |i| i + 1);
    if line_start > item.start && text[line_start..close].trim().is_empty() {
        (Span::new(line_start, line_start), format!("{inner}{entry}\n"))
    } else {
        (Span::new(close, close), format!("\n{inner}{entry}\n{base}"))
    }
}

fn suppression(analysis: &Analysis, d: &Diagnostic, element_qid: &str) -> Option<WorkspaceEdit> {
    let model = &analysis.report.model;
    let element = model.element(model.lookup(element_qid)?);
    let text = analysis.text(element.at.file);
    let entry = format!(
        "suppress \"{}\" {{ reason = \"TODO: why this is acceptable\" }}",
        d.code
    );
    let (at, insert) = insert_into_item(text, element.at.span, &entry);
    Some(workspace_edit(analysis, [(element.at.file, at, insert)]))
}

/// "Create zone `x`" / "Create component `x`" for an undefined plain id, by what the place
/// of the reference expects.
fn create_missing(analysis: &Analysis, file: FileId, span: Span) -> Vec<(String, WorkspaceEdit, bool)> {
    let text = analysis.text(file);
    let name = &text[span.start..span.end];
    if name.is_empty() || name.contains('.') {
        return Vec::new();
    }
    let tree = syntax::parse(text);
    let found = syntax_at::at(&tree, span.start);
    let mut kinds: Vec<ElementKind> = match &found.node {
        Node::Value(attr, _) => found.attr_spec(attr).map_or_else(Vec::new, |s| ref_kinds(&s.ty)),
        _ if found.innermost_keyword() == Some("flow") => vec![ElementKind::Component],
        _ => Vec::new(),
    };
    kinds.retain(|k| matches!(k, ElementKind::Zone | ElementKind::Component));
    let end_of_file = {
        let separator = if text.is_empty() || text.ends_with('\n') { "" } else { "\n" };
        (Span::new(text.len(), text.len()), separator)
    };
    kinds
        .into_iter()
        .map(|kind| {
            let (at, insert) = match kind {
                ElementKind::Component => {
                    let entry = format!("component {name} : host-device {{}}");
                    // Inside the zone the reference is written in, if any: a component needs one.
                    match found.items.iter().rev().find(|i| i.keyword.text == "zone") {
                        Some(zone) => insert_into_item(text, zone.span, &entry),
                        None => (end_of_file.0, format!("{}\n{entry}  // TODO: give it a zone\n", end_of_file.1)),
                    }
                }
                _ => (end_of_file.0, format!("{}\nzone {name} {{}}\n", end_of_file.1)),
            };
            let title = format!("Create {} `{name}`", kind.keyword());
            (title, workspace_edit(analysis, [(file, at, insert)]), false)
        })
        .collect()
}

fn ref_kinds(ty: &Ty) -> Vec<ElementKind> {
    match ty {
        Ty::Ref(kinds) => kinds.to_vec(),
        Ty::List(inner) => ref_kinds(inner),
        Ty::Direction | Ty::Permissions => vec![ElementKind::Zone],
        _ => Vec::new(),
    }
}
