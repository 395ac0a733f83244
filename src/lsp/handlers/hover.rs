//! Hover: an element (at its definition or at a reference), an attribute name, a keyword, or a
//! requirement or rule id in a string.

use std::fmt::Write;

use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use super::{Result, file_offset};
use crate::diagnostics::FindingState;
use crate::lsp::server::Server;
use crate::lsp::syntax_at::{self, Node};
use crate::model::vocabulary::{ElementKind, Ty};
use crate::model::{ElemId, FR_NAMES, reqid};
use crate::syntax::{self, ValueKind};

pub fn hover(server: &Server, params: HoverParams) -> Result<Option<Hover>> {
    let Some((file, offset)) = file_offset(server, &params.text_document_position_params) else {
        return Ok(None);
    };
    let analysis = &server.analysis;
    if let Some((span, occurrence)) = analysis.index.at(file, offset) {
        return Ok(Some(markdown(
            element_hover(server, occurrence.element()),
            Some(analysis.range(file, span)),
        )));
    }
    let tree = syntax::parse(analysis.text(file));
    let found = syntax_at::at(&tree, offset);
    let text = match &found.node {
        Node::AttrName(attr) => found.attr_spec(attr).map(|spec| {
            format!(
                "**{}** (attribute of {})\n\n{}\n\nType: {}",
                spec.name,
                found.element_kind().map_or("", |k| k.keyword()),
                spec.doc,
                spec.ty.describe()
            )
        }),
        Node::Keyword(item) => ElementKind::from_keyword(&item.keyword.text)
            .map(|kind| format!("**{}**\n\n{}", kind.keyword(), kind.spec().doc)),
        Node::Title(title) if found.innermost_keyword() == Some("suppress") => {
            rule_hover(server, &title.value)
        }
        Node::Value(attr, value) => match (&value.kind, found.attr_spec(attr).map(|s| &s.ty)) {
            (ValueKind::Str(id), Some(Ty::RequirementIds)) => {
                let id = reqid::normalize(id).unwrap_or_else(|| id.clone());
                requirement_description(server, &id)
            }
            _ => None,
        },
        _ => None,
    };
    Ok(text.map(|t| markdown(t, None)))
}

fn markdown(value: String, range: Option<lsp_types::Range>) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range,
    }
}

/// A catalogue requirement for hover: the same text as `zonelint explain`, from the catalogues
/// the server loaded.
pub fn requirement_description(server: &Server, id: &str) -> Option<String> {
    let text = crate::cli::explain_text(server.policies(), id).ok()?;
    let (title, rest) = text.split_once('\n').unwrap_or((text.as_str(), ""));
    Some(format!("**{title}**\n\n{}", rest.trim()))
}

fn rule_hover(server: &Server, rule: &str) -> Option<String> {
    let doc = server.analysis.report.rules.iter().find(|r| r.id == rule)?;
    Some(format!("**{}**: {}\n\n{}", doc.id, doc.title, doc.doc))
}

/// Kind, qualified id, title, doc comment, zone, security levels and open findings.
pub fn element_hover(server: &Server, id: ElemId) -> String {
    let report = &server.analysis.report;
    let model = &report.model;
    let element = model.element(id);
    let mut out = format!("**{}** `{}`", element.kind.keyword(), element.qid);
    if let Some(kind) = element.component_kind {
        let _ = write!(out, " : {kind}");
    }
    if let Some(product) = element.product {
        let _ = write!(out, " (product `{}`)", model.element(product).qid);
    }
    if let Some(title) = &element.title {
        let _ = write!(out, "\n\n{title}");
    }
    if let Some(doc) = &element.doc {
        let _ = write!(out, "\n\n{doc}");
    }
    let zone = model.zone_of(id);
    if let Some(zone) = zone {
        let label = if element.kind == ElementKind::Zone {
            "Inside zone"
        } else {
            "Zone"
        };
        let _ = write!(out, "\n\n{label}: `{}`", model.element(zone).qid);
    }

    let mut rows = Vec::new();
    if let Some(sl) = element.sl("sl_target") {
        rows.push(("SL-T".to_string(), sl));
    }
    if element.kind == ElementKind::Component
        && let Some(zone) = zone
        && let Some(sl) = model.element(zone).sl("sl_target")
    {
        rows.push((format!("SL-T (zone `{}`)", model.element(zone).id), sl));
    }
    if let Some(sl) = element.sl("sl_capability") {
        rows.push(("SL-C".to_string(), sl));
    }
    if let Some(levels) = report.achieved.iter().find(|a| a.element == id) {
        if let Some(weakest) = levels.weakest_capability {
            rows.push(("SL-C (weakest component)".to_string(), weakest));
        }
        rows.push(("SL-A (computed)".to_string(), levels.achieved));
    }
    if !rows.is_empty() {
        let _ = write!(
            out,
            "\n\n| | {} |\n|---|{}",
            FR_NAMES.join(" | "),
            "---|".repeat(7)
        );
        for (label, sl) in rows {
            let levels: Vec<String> = sl.0.iter().map(u8::to_string).collect();
            let _ = write!(out, "\n| {label} | {} |", levels.join(" | "));
        }
    }

    let findings: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| {
            d.finding
                .as_ref()
                .is_some_and(|f| f.element == element.qid && f.state == FindingState::Open)
        })
        .map(|d| format!("- `{}`: {}", d.code, d.message))
        .collect();
    if !findings.is_empty() {
        let _ = write!(out, "\n\nOpen findings:\n{}", findings.join("\n"));
    }
    out
}
