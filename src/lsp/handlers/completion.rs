//! Completion by context: the keywords and attribute names allowed where an entry starts, the
//! values an attribute's type allows after `name =`, element ids of the kinds a reference
//! expects, and requirement or rule ids inside strings. Everything comes from the vocabulary
//! table and the current model.

use std::collections::{BTreeSet, HashMap};

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, InsertTextFormat,
};

use super::{Result, file_of};
use crate::lsp::context::{self, Context};
use crate::lsp::server::Server;
use crate::model::vocabulary::{self as vocab, ElementKind, Ty};
use crate::model::{FR_NAMES, Value};

pub fn completion(server: &Server, params: CompletionParams) -> Result<Option<CompletionResponse>> {
    let at = &params.text_document_position;
    // Prefer the editor's unsaved text; the analysis may lag behind by one rebuild.
    let text: std::sync::Arc<str> = match server.document(&at.text_document.uri) {
        Some(doc) => doc.text.clone(),
        None => match file_of(server, &at.text_document.uri) {
            Some(file) => server.analysis.text(file).into(),
            None => return Ok(None),
        },
    };
    let lines = crate::lsp::line_index::LineIndex::new(&text);
    let offset = lines.offset(&text, at.position);
    let items = match context::at(&text, offset) {
        Context::Entry { keyword } => entry_items(keyword.as_deref()),
        Context::TypeClause { keyword } => type_items(server, &keyword),
        Context::Value { keyword, attr } => match attr_ty(&keyword, &attr) {
            Some(ty) => value_items(server, ty),
            None => Vec::new(),
        },
        Context::MapKey { keyword, attr } => match attr_ty(&keyword, &attr) {
            Some(Ty::Permissions) => element_items(server, &[ElementKind::Zone]),
            Some(Ty::Sl) => words(&FR_NAMES, CompletionItemKind::ENUM_MEMBER),
            _ => Vec::new(),
        },
        Context::MapValue { keyword, attr } => match attr_ty(&keyword, &attr) {
            Some(Ty::Permissions) => words(vocab::PERMISSIONS, CompletionItemKind::ENUM_MEMBER),
            Some(Ty::Sl) => words(&["0", "1", "2", "3", "4"], CompletionItemKind::VALUE),
            _ => Vec::new(),
        },
        Context::Str {
            keyword,
            attr: None,
        } if keyword == vocab::SUPPRESS => rule_ids(server),
        Context::Str {
            keyword,
            attr: Some(attr),
        } => match attr_ty(&keyword, &attr) {
            Some(Ty::RequirementIds) => requirement_ids(server),
            _ => Vec::new(),
        },
        Context::Str { .. } | Context::Unknown => Vec::new(),
    };
    Ok(Some(CompletionResponse::Array(items)))
}

fn attr_ty(keyword: &str, attr: &str) -> Option<&'static Ty> {
    Some(&ElementKind::from_keyword(keyword)?.spec().attr(attr)?.ty)
}

fn words(list: &[&str], kind: CompletionItemKind) -> Vec<CompletionItem> {
    list.iter()
        .map(|w| CompletionItem {
            label: (*w).to_string(),
            kind: Some(kind),
            ..CompletionItem::default()
        })
        .collect()
}

fn entry_items(keyword: Option<&str>) -> Vec<CompletionItem> {
    let Some(keyword) = keyword else {
        return keyword_items(vocab::TOP_LEVEL);
    };
    if keyword == vocab::SUPPRESS {
        return vec![attribute_item(
            "reason",
            "Why the finding is acceptable.",
            &Ty::Str,
        )];
    }
    let Some(kind) = ElementKind::from_keyword(keyword) else {
        return Vec::new(); // `custom`: any name
    };
    let spec = kind.spec();
    let mut items = keyword_items(spec.children);
    items.extend(
        spec.attrs
            .iter()
            .map(|a| attribute_item(a.name, a.doc, &a.ty)),
    );
    items
}

fn keyword_items(keywords: &[&str]) -> Vec<CompletionItem> {
    keywords
        .iter()
        .map(|k| CompletionItem {
            label: (*k).to_string(),
            kind: Some(CompletionItemKind::KEYWORD),
            detail: ElementKind::from_keyword(k).map(|kind| kind.spec().doc.to_string()),
            ..CompletionItem::default()
        })
        .collect()
}

fn attribute_item(name: &str, doc: &str, ty: &Ty) -> CompletionItem {
    CompletionItem {
        label: name.to_string(),
        kind: Some(CompletionItemKind::PROPERTY),
        detail: Some(ty.describe()),
        documentation: Some(lsp_types::Documentation::String(doc.to_string())),
        insert_text: Some(format!("{name} = ")),
        insert_text_format: Some(InsertTextFormat::PLAIN_TEXT),
        ..CompletionItem::default()
    }
}

fn type_items(server: &Server, keyword: &str) -> Vec<CompletionItem> {
    match ElementKind::from_keyword(keyword) {
        Some(ElementKind::Component) => {
            let mut items = words(vocab::COMPONENT_KINDS, CompletionItemKind::ENUM_MEMBER);
            items.extend(element_items(server, &[ElementKind::Product]));
            items
        }
        Some(ElementKind::Product) => {
            words(vocab::COMPONENT_KINDS, CompletionItemKind::ENUM_MEMBER)
        }
        Some(ElementKind::Flow) => element_items(server, &[ElementKind::Component]),
        _ => Vec::new(),
    }
}

fn value_items(server: &Server, ty: &Ty) -> Vec<CompletionItem> {
    let enum_kind = CompletionItemKind::ENUM_MEMBER;
    match ty {
        Ty::Enum(list) => words(list, enum_kind),
        Ty::Bool => words(&["true", "false"], enum_kind),
        Ty::Protocol | Ty::Service => words(vocab::PROTOCOLS, enum_kind),
        Ty::Port => words(&["any"], enum_kind),
        Ty::Level => words(
            &["0", "1", "2", "3", "3.5", "4", "5"],
            CompletionItemKind::VALUE,
        ),
        Ty::Sl => words(&["0", "1", "2", "3", "4"], CompletionItemKind::VALUE),
        Ty::Direction => {
            let mut items = words(&["both"], enum_kind);
            items.extend(element_items(server, &[ElementKind::Zone]));
            items
        }
        Ty::Ref(kinds) => element_items(server, kinds),
        Ty::List(inner) => value_items(server, inner),
        Ty::RequirementIds => requirement_ids(server)
            .into_iter()
            .map(|mut item| {
                item.insert_text = Some(format!("\"{}\"", item.label));
                item
            })
            .collect(),
        Ty::Str | Ty::Date | Ty::Permissions => Vec::new(),
    }
}

/// Elements of the given kinds, by id where the id alone is unambiguous, else by qualified id.
fn element_items(server: &Server, kinds: &[ElementKind]) -> Vec<CompletionItem> {
    let model = &server.analysis.report.model;
    let mut id_count: HashMap<&str, usize> = HashMap::new();
    for e in &model.elements {
        *id_count.entry(e.id.as_str()).or_default() += 1;
    }
    kinds
        .iter()
        .flat_map(|k| model.all(*k))
        .map(|id| {
            let e = model.element(*id);
            let label = if id_count.get(e.id.as_str()) == Some(&1) {
                e.id.clone()
            } else {
                e.qid.clone()
            };
            CompletionItem {
                label,
                kind: Some(match e.kind {
                    ElementKind::Zone => CompletionItemKind::MODULE,
                    ElementKind::Organization => CompletionItemKind::STRUCT,
                    _ => CompletionItemKind::VARIABLE,
                }),
                detail: Some(match &e.title {
                    Some(t) => format!("{} {} — {t}", e.kind.keyword(), e.qid),
                    None => format!("{} {}", e.kind.keyword(), e.qid),
                }),
                ..CompletionItem::default()
            }
        })
        .collect()
}

fn requirement_ids(server: &Server) -> Vec<CompletionItem> {
    let report = &server.analysis.report;
    let mut ids: BTreeSet<String> = server
        .policies()
        .catalogues
        .ids()
        .map(str::to_string)
        .collect();
    ids.extend(report.rules.iter().filter_map(|r| r.requirement.clone()));
    ids.extend(
        report
            .diagnostics
            .iter()
            .filter_map(|d| d.finding.as_ref()?.requirement.clone()),
    );
    for element in &report.model.elements {
        for attr in ["requirement", "provides"] {
            if let Some(value) = element.value(attr) {
                ids.extend(
                    value
                        .as_list()
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string),
                );
            }
        }
    }
    ids.into_iter()
        .map(|id| CompletionItem {
            detail: server
                .policies()
                .catalogues
                .get(&id)
                .map(|r| r.title.clone()),
            label: id,
            kind: Some(CompletionItemKind::CONSTANT),
            ..CompletionItem::default()
        })
        .collect()
}

/// Rule ids for `suppress "..."`: every rule that ran, and the codes of current diagnostics.
fn rule_ids(server: &Server) -> Vec<CompletionItem> {
    let report = &server.analysis.report;
    let mut ids: BTreeSet<(String, Option<String>)> = report
        .rules
        .iter()
        .map(|r| (r.id.clone(), Some(r.title.clone())))
        .collect();
    let known: BTreeSet<String> = ids.iter().map(|(id, _)| id.clone()).collect();
    ids.extend(
        report
            .diagnostics
            .iter()
            .filter(|d| d.finding.is_some() && !known.contains(&d.code))
            .map(|d| (d.code.clone(), None)),
    );
    ids.into_iter()
        .map(|(id, title)| CompletionItem {
            label: id,
            kind: Some(CompletionItemKind::CONSTANT),
            detail: title,
            ..CompletionItem::default()
        })
        .collect()
}
