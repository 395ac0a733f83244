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

pub fn code_actions(
    server: &Server,
    params: CodeActionParams,
) -> Result<Option<CodeActionResponse>> {
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
                let edits = fix
                    .edits
                    .iter()
                    .map(|e| (e.file, e.span, e.replacement.clone()));
                fixes.push((
                    fix.description.clone(),
                    workspace_edit(analysis, edits),
                    true,
                ));
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
        (
            Span::new(line_start, line_start),
            format!("{inner}{entry}\n"),
        )
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
fn create_missing(
    analysis: &Analysis,
    file: FileId,
    span: Span,
) -> Vec<(String, WorkspaceEdit, bool)> {
    let text = analysis.text(file);
    let name = &text[span.start..span.end];
    if name.is_empty() || name.contains('.') {
        return Vec::new();
    }
    let tree = syntax::parse(text);
    let found = syntax_at::at(&tree, span.start);
    let mut kinds: Vec<ElementKind> = match &found.node {
        Node::Value(attr, _) => found
            .attr_spec(attr)
            .map_or_else(Vec::new, |s| ref_kinds(&s.ty)),
        _ if found.innermost_keyword() == Some("flow") => vec![ElementKind::Component],
        _ => Vec::new(),
    };
    kinds.retain(|k| matches!(k, ElementKind::Zone | ElementKind::Component));
    let end_of_file = {
        let separator = if text.is_empty() || text.ends_with('\n') {
            ""
        } else {
            "\n"
        };
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
                        None => (
                            end_of_file.0,
                            format!("{}\n{entry}  // TODO: give it a zone\n", end_of_file.1),
                        ),
                    }
                }
                _ => (
                    end_of_file.0,
                    format!("{}\nzone {name} {{}}\n", end_of_file.1),
                ),
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

#[cfg(test)]
mod tests {
    use lsp_types::{CodeActionContext, Position, Range, TextDocumentIdentifier};

    use super::*;
    use crate::diagnostics::{Diagnostic, Edit, FindingInfo, Fix, Label};

    const TEXT: &str = "zone cell {\n  kind = control\n  component plc : embedded-device { vendor = \"V\" }\n  component hmi : host-device\n}\n";

    /// A server holding TEXT as an unsaved document, with one finding on `element`.
    fn server_with_finding(element: &str, fix: Option<Fix>) -> (Server, Url) {
        let mut server = Server::new(Box::new(|_| {}), Vec::new());
        let uri = Url::parse("file:///virtual/plant/a.iacs").unwrap();
        server.open(uri.clone(), 1, TEXT.into());
        server.refresh();
        // Only the synthetic finding below: the built-in policies' findings are not under test.
        server.analysis.report.diagnostics.clear();
        let model = &server.analysis.report.model;
        let name_at = model.element(model.lookup(element).unwrap()).name_at;
        let mut finding = Diagnostic::warning(
            "zcr-test",
            "a finding",
            Label::new(name_at.file, name_at.span, "here"),
        );
        finding.finding = Some(Box::new(FindingInfo {
            element: element.into(),
            fix,
            ..FindingInfo::default()
        }));
        server.analysis.report.diagnostics.push(finding);
        (server, uri)
    }

    fn actions(server: &Server, uri: &Url) -> Vec<CodeAction> {
        let params = CodeActionParams {
            text_document: TextDocumentIdentifier::new(uri.clone()),
            range: Range::new(Position::new(0, 0), Position::new(9, 0)),
            context: CodeActionContext::default(),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        };
        let Ok(Some(actions)) = code_actions(server, params) else {
            panic!("no actions")
        };
        actions
            .into_iter()
            .map(|a| match a {
                CodeActionOrCommand::CodeAction(a) => a,
                CodeActionOrCommand::Command(_) => panic!("a command"),
            })
            .collect()
    }

    fn single_edit(action: &CodeAction, uri: &Url) -> TextEdit {
        let edits = &action.edit.as_ref().unwrap().changes.as_ref().unwrap()[uri];
        assert_eq!(edits.len(), 1);
        edits[0].clone()
    }

    #[test]
    fn suppress_goes_inside_the_elements_block() {
        let (server, uri) = server_with_finding("cell.plc", None);
        let actions = actions(&server, &uri);
        assert_eq!(actions.len(), 1);
        assert_eq!(actions[0].title, "Suppress `zcr-test` for `cell.plc`");
        let edit = single_edit(&actions[0], &uri);
        // Before the `}` of the inline block, on a new line one level deeper.
        assert_eq!(edit.range.start, Position::new(2, 49));
        assert_eq!(
            edit.new_text,
            "\n    suppress \"zcr-test\" { reason = \"TODO: why this is acceptable\" }\n  "
        );
    }

    #[test]
    fn suppress_adds_a_block_when_the_element_has_none() {
        let (server, uri) = server_with_finding("cell.hmi", None);
        let edit = single_edit(&actions(&server, &uri)[0], &uri);
        assert_eq!(edit.range.start, Position::new(3, 29));
        assert_eq!(
            edit.new_text,
            " {\n    suppress \"zcr-test\" { reason = \"TODO: why this is acceptable\" }\n  }"
        );
    }

    #[test]
    fn suppress_in_a_multi_line_block_goes_before_the_closing_line() {
        let (server, uri) = server_with_finding("cell", None);
        let edit = single_edit(&actions(&server, &uri)[0], &uri);
        assert_eq!(edit.range.start, Position::new(4, 0));
        assert_eq!(
            edit.new_text,
            "  suppress \"zcr-test\" { reason = \"TODO: why this is acceptable\" }\n"
        );
    }

    #[test]
    fn a_findings_own_fix_is_offered_first() {
        let file = FileId(0);
        let at = TEXT.find("control").unwrap();
        let fix = Fix {
            description: "Use a DMZ".into(),
            edits: vec![Edit {
                file,
                span: Span::new(at, at + "control".len()),
                replacement: "dmz".into(),
            }],
        };
        let (server, uri) = server_with_finding("cell", Some(fix));
        let actions = actions(&server, &uri);
        assert_eq!(actions[0].title, "Use a DMZ");
        assert_eq!(actions[0].is_preferred, Some(true));
        let edit = single_edit(&actions[0], &uri);
        assert_eq!(edit.new_text, "dmz");
        assert_eq!(
            edit.range,
            Range::new(Position::new(1, 9), Position::new(1, 16))
        );
    }
}
