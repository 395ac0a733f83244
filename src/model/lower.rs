//! Lowering: syntax trees to the typed, resolved [`Model`].
//!
//! Two passes. The first declares every element (so references may point forward and across
//! files) and checks keywords and attribute names. The second converts each attribute value to
//! its vocabulary type, resolving references, then derives zone membership and builds the graph.

use std::collections::{BTreeMap, HashSet};

use super::resolve::{Resolution, Scopes};
use super::value::{Date, FR_NAMES, SlVector, Value, fr_index};
use super::vocabulary::{self as vocab, AttrSpec, ElementKind, Ty, TypeClauseSpec};
use super::{
    Attr, Attrs, ElemId, Element, Endpoints, Location, Model, Reference, Suppression, reqid,
};
use crate::diagnostics::{
    Diagnostic, FileId, Label, SourceMap, did_you_mean, join_and, join_or, with_article,
};
use crate::model::graph::Edge;
use crate::syntax::{self, Entry, Item, SyntaxFile, TypeClause, ValueKind};

/// Builds the model from parsed files. Returns the model (as complete as the errors allow) and
/// the model errors.
pub fn build(sources: SourceMap, files: &[(FileId, SyntaxFile)]) -> (Model, Vec<Diagnostic>) {
    let mut lowering = Lowering {
        model: Model {
            sources,
            ..Model::default()
        },
        ..Lowering::default()
    };
    // Every element is an item; reserving for them all at once spares the model the copies (and
    // the old and new buffer side by side at the peak) of a vector grown by doubling.
    let items: usize = files.iter().map(|(_, tree)| count_items(&tree.items)).sum();
    lowering.model.elements.reserve_exact(items);
    for (file, tree) in files {
        lowering.declare_file(*file, tree);
    }
    lowering.convert_attributes();
    lowering.inherit_from_products();
    lowering.derive_structure();
    lowering.check_required();
    let Lowering {
        model, diagnostics, ..
    } = lowering;
    (model, diagnostics)
}

/// An attribute waiting for pass two. It borrows the syntax tree, which outlives lowering:
/// copying every attribute's value doubled the tree in memory while the model was built.
struct Pending<'t> {
    element: ElemId,
    spec: &'static AttrSpec,
    attribute: &'t syntax::Attribute,
    file: FileId,
}

/// A type clause waiting for pass two.
struct PendingType<'t> {
    element: ElemId,
    clause: &'t TypeClause,
    file: FileId,
}

#[derive(Default)]
struct Lowering<'t> {
    model: Model,
    diagnostics: Vec<Diagnostic>,
    scopes: Scopes,
    pending: Vec<Pending<'t>>,
    pending_types: Vec<PendingType<'t>>,
    /// Attributes whose value was reported as wrong, so consequences are not reported again.
    failed: HashSet<(ElemId, &'static str)>,
}

impl<'t> Lowering<'t> {
    fn error(
        &mut self,
        code: &str,
        message: impl Into<String>,
        file: FileId,
        span: syntax::Span,
        label: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diagnostics.push(Diagnostic::error(
            code,
            message,
            Label::new(file, span, label),
        ));
        self.diagnostics.last_mut().expect("just pushed")
    }

    // ----- pass one: declare -----

    fn declare_file(&mut self, file: FileId, tree: &'t SyntaxFile) {
        let text = self.model.sources.get(file).text.clone();
        for item in &tree.items {
            self.declare_item(file, &text, item, None, vocab::TOP_LEVEL);
        }
    }

    fn declare_item(
        &mut self,
        file: FileId,
        text: &str,
        item: &'t Item,
        parent: Option<ElemId>,
        allowed: &[&str],
    ) {
        let keyword = item.keyword.text.as_str();
        if !allowed.contains(&keyword) {
            self.misplaced_or_unknown(file, item, parent, allowed);
            return;
        }
        match keyword {
            // Imports are followed by the workspace loader before lowering.
            vocab::IMPORT => {}
            vocab::SUPPRESS => self.suppression(file, item, parent),
            vocab::CUSTOM => self.custom_block(file, item, parent),
            _ => {
                let kind = ElementKind::from_keyword(keyword).expect("allowed keywords are known");
                self.element(file, text, item, kind, parent);
            }
        }
    }

    fn misplaced_or_unknown(
        &mut self,
        file: FileId,
        item: &Item,
        parent: Option<ElemId>,
        allowed: &[&str],
    ) {
        let keyword = &item.keyword;
        let known = vocab::all_keywords().any(|k| k == keyword.text);
        if known {
            let place = parent.map_or("at the top of a file".to_string(), |p| {
                let e = self.model.element(p);
                format!("inside {} (`{}`)", with_article(e.kind.noun()), e.qid)
            });
            let allowed_list: Vec<String> = allowed.iter().map(|k| format!("`{k}`")).collect();
            self.error(
                "misplaced-item",
                format!("a `{}` cannot stand {place}", keyword.text),
                file,
                keyword.span,
                "not allowed here",
            )
            .help = Some(format!("here you can write {}", join_or(&allowed_list)));
            return;
        }
        if let Some(value) = colon_for_equals(item) {
            // `kind: control` parses as an item named by its type; it is an attribute with `:`
            // for `=`, reported in the same words as the syntax error for `sl_target: 2`.
            let text = self.model.sources.get(file).text.clone();
            let gap = &text[keyword.span.end..value.span.start];
            let colon = keyword.span.end + gap.find(':').unwrap_or(0);
            self.error(
                "syntax-error",
                format!("expected `=` after `{}`, found `:`", keyword.text),
                file,
                syntax::Span::new(colon, colon + 1),
                "attributes take `=`",
            )
            .help = Some(format!(
                "attributes are written `name = value`: write `{} = {}`",
                keyword.text,
                value.text()
            ));
            return;
        }
        // A lone word followed by nothing else is most often an attribute missing its `=`.
        let looks_like_attribute = item.name.is_none()
            && item.body.is_none()
            && item.title.is_none()
            && item.type_clause.is_none();
        let text = self.model.sources.get(file).text.clone();
        let line_start = text[..keyword.span.start].rfind('\n').map_or(0, |i| i + 1);
        let after_a_value = text[line_start..keyword.span.start].contains('=');
        let help = did_you_mean(&keyword.text, allowed.iter().copied())
            .or_else(|| {
                (looks_like_attribute && after_a_value).then(|| {
                    "this word follows a value on the same line: put text in double quotes, \
                     or write several values as a list `[a, b]`"
                        .to_string()
                })
            })
            .or_else(|| {
                looks_like_attribute
                    .then(|| format!("an attribute needs a value: `{} = ...`", keyword.text))
            })
            .unwrap_or_else(|| {
                let allowed: Vec<String> = allowed.iter().map(|k| format!("`{k}`")).collect();
                format!("here you can write {}", join_or(&allowed))
            });
        self.error(
            "unknown-keyword",
            format!("unknown item `{}`", keyword.text),
            file,
            keyword.span,
            "not a keyword of the language",
        )
        .help = Some(help);
    }

    fn element(
        &mut self,
        file: FileId,
        text: &str,
        item: &'t Item,
        kind: ElementKind,
        parent: Option<ElemId>,
    ) {
        let spec = kind.spec();
        let Some(name) = &item.name else {
            self.error(
                "missing-name",
                format!("this {} has no id", kind.keyword()),
                file,
                item.keyword.span,
                "an id must follow the keyword",
            )
            .help = Some(format!("write `{} my_id {{ ... }}`", kind.keyword()));
            return;
        };
        let qid = match parent {
            Some(p) => format!("{}.{}", self.model.element(p).qid, name.text),
            None => name.text.to_string(),
        };
        let id = ElemId(self.model.elements.len() as u32);
        if let Err(existing) = self.scopes.declare(parent, &name.text, id) {
            let first = self.model.element(existing).name_at;
            let kind_of_first = with_article(self.model.element(existing).kind.noun());
            self.error(
                "duplicate-id",
                format!("`{qid}` is declared twice"),
                file,
                name.span,
                "declared again here",
            )
            .with_label_mut(Label::new(first.file, first.span, format!("first declared here, as {kind_of_first}")))
            .help = Some("ids must be unique in their scope: rename one, or move it into another zone or site".into());
            return;
        }
        let at = Location {
            file,
            span: item.span,
        };
        self.model.elements.push(Element {
            kind,
            id: name.text.to_string(),
            qid: qid.clone(),
            title: item.title.as_ref().map(|t| t.value.clone()),
            doc: doc_comment(text, item.span.start),
            parent,
            at,
            name_at: Location {
                file,
                span: name.span,
            },
            attrs: Attrs::default(),
            custom: BTreeMap::new(),
            component_kind: None,
            product: None,
            endpoints: None,
        });
        self.model.by_qid.insert(qid, id);
        if let Some(p) = parent {
            self.model.children.entry(p).or_default().push(id);
        }

        self.header(file, item, kind, spec.type_clause, id);

        let mut seen: Vec<(&str, syntax::Span)> = Vec::new();
        for entry in item.entries() {
            match entry {
                Entry::Attribute(attribute) => {
                    let attr_name = attribute.name.text.as_str();
                    let Some(attr_spec) = spec.attr(attr_name) else {
                        self.unknown_attribute(file, attribute, kind);
                        continue;
                    };
                    if let Some((_, first)) = seen.iter().find(|(n, _)| *n == attr_name) {
                        let first = *first;
                        self.error(
                            "duplicate-attribute",
                            format!(
                                "`{attr_name}` is set twice on `{}`",
                                self.model.element(id).qid
                            ),
                            file,
                            attribute.name.span,
                            "set again here",
                        )
                        .with_label_mut(Label::new(file, first, "first set here"))
                        .help = Some("keep one of them".into());
                        continue;
                    }
                    seen.push((attr_name, attribute.name.span));
                    self.pending.push(Pending {
                        element: id,
                        spec: attr_spec,
                        attribute,
                        file,
                    });
                }
                Entry::Item(child) => self.declare_item(file, text, child, Some(id), spec.children),
            }
        }
    }

    fn header(
        &mut self,
        file: FileId,
        item: &'t Item,
        kind: ElementKind,
        expected: TypeClauseSpec,
        id: ElemId,
    ) {
        match (&item.type_clause, expected) {
            (None, TypeClauseSpec::None) => {}
            (None, TypeClauseSpec::Endpoints) => {
                self.error(
                    "missing-endpoints",
                    "this flow names no source and destination",
                    file,
                    item.focus(),
                    "missing `: source -> destination`",
                )
                .help = Some("write `flow name : source -> destination { ... }`".into());
            }
            (None, TypeClauseSpec::ComponentKind | TypeClauseSpec::ComponentKindOrProduct) => {
                // A component may take its kind from attributes later; a product must say it.
                if kind == ElementKind::Product {
                    self.error(
                        "missing-kind",
                        "this product has no IEC 62443-4-2 kind",
                        file,
                        item.focus(),
                        "missing `: kind`",
                    )
                    .help = Some(format!(
                        "add `:` and one of the kinds {}",
                        join_or(vocab::COMPONENT_KINDS)
                    ));
                } else {
                    self.error(
                        "missing-kind",
                        "this component has no kind or product",
                        file,
                        item.focus(),
                        "missing `: kind`",
                    )
                    .help = Some(format!(
                        "add `:` and one of the kinds {}, or the id of a product",
                        join_or(vocab::COMPONENT_KINDS)
                    ));
                }
            }
            (Some(clause), TypeClauseSpec::None) => {
                self.error(
                    "unexpected-type",
                    format!("{} takes no `:` clause", with_article(kind.noun())),
                    file,
                    clause.span(),
                    "not expected here",
                )
                .help = Some("remove the `:` and what follows it".into());
            }
            (
                Some(TypeClause::Endpoints { .. }),
                TypeClauseSpec::ComponentKind | TypeClauseSpec::ComponentKindOrProduct,
            ) => {
                let clause = item.type_clause.as_ref().expect("matched Some");
                self.error(
                    "unexpected-type",
                    "endpoints belong on a flow",
                    file,
                    clause.span(),
                    "expected a kind here",
                )
                .help = Some(format!("use one of {}", join_or(vocab::COMPONENT_KINDS)));
            }
            (Some(TypeClause::Type(path)), TypeClauseSpec::Endpoints) => {
                self.error(
                    "missing-endpoints",
                    "a flow needs `source -> destination`",
                    file,
                    path.span,
                    "expected `source -> destination`",
                )
                .help = Some(format!(
                    "name the destination too: `{} -> destination`",
                    path.text()
                ));
            }
            (Some(clause), _) => {
                self.pending_types.push(PendingType {
                    element: id,
                    clause,
                    file,
                });
            }
        }
    }

    fn unknown_attribute(
        &mut self,
        file: FileId,
        attribute: &syntax::Attribute,
        kind: ElementKind,
    ) {
        let name = attribute.name.text.as_str();
        let spec = kind.spec();
        let help = did_you_mean(name, spec.attrs.iter().map(|a| a.name)).unwrap_or_else(|| {
            let names: Vec<&str> = spec.attrs.iter().map(|a| a.name).collect();
            format!(
                "{} accepts {}; put your own properties in a `custom {{ }}` block",
                with_article(kind.noun()),
                join_and(&names)
            )
        });
        self.error(
            "unknown-attribute",
            format!(
                "unknown attribute `{name}` on {}",
                with_article(kind.noun())
            ),
            file,
            attribute.name.span,
            format!("not in the {} vocabulary", kind.keyword()),
        )
        .help = Some(help);
    }

    fn suppression(&mut self, file: FileId, item: &Item, element: Option<ElemId>) {
        let Some(rule) = &item.title else {
            self.error(
                "invalid-suppression",
                "a suppression must name the rule it silences",
                file,
                item.keyword.span,
                "no rule named",
            )
            .help = Some("write `suppress \"rule-id\" { reason = \"why\" }`".into());
            return;
        };
        let mut reason = None;
        for entry in item.entries() {
            match entry {
                Entry::Attribute(a) if a.name.text == "reason" => match &a.value.kind {
                    ValueKind::Str(s) if !s.trim().is_empty() => reason = Some(s.clone()),
                    other => {
                        let label = if matches!(other, ValueKind::Str(_)) {
                            "empty"
                        } else {
                            "expected a string"
                        };
                        self.error(
                            "invalid-value",
                            "a suppression's reason must be a non-empty string",
                            file,
                            a.value.span,
                            label,
                        )
                        .help = Some("say in a sentence why the finding is acceptable".into());
                    }
                },
                other => {
                    self.error(
                        "unknown-attribute",
                        "a suppression accepts only `reason`",
                        file,
                        other.span(),
                        "not allowed in a suppression",
                    )
                    .help = Some("write `suppress \"rule-id\" { reason = \"why\" }`".into());
                }
            }
        }
        let Some(reason) = reason else {
            if !self
                .diagnostics
                .iter()
                .any(|d| d.primary.file == file && item.span.contains(d.primary.span.start))
            {
                self.error(
                    "missing-reason",
                    format!("the suppression of `{}` gives no reason", rule.value),
                    file,
                    rule.span,
                    "no reason given",
                )
                .help = Some("say why the finding is acceptable: `{ reason = \"...\" }`".into());
            }
            return;
        };
        let rule_id = reqid::normalize(&rule.value).unwrap_or_else(|| rule.value.clone());
        self.model.suppressions.push(Suppression {
            rule: rule_id,
            reason,
            at: Location {
                file,
                span: item.span,
            },
            element,
        });
    }

    fn custom_block(&mut self, file: FileId, item: &Item, element: Option<ElemId>) {
        let Some(element) = element else { return };
        for entry in item.entries() {
            match entry {
                Entry::Attribute(a) => {
                    let value = custom_value(&a.value);
                    let attr = Attr {
                        value,
                        at: Location { file, span: a.span },
                        value_at: Location {
                            file,
                            span: a.value.span,
                        },
                        inherited: false,
                    };
                    self.model.elements[element.0 as usize]
                        .custom
                        .insert(a.name.text.to_string(), attr);
                }
                Entry::Item(i) => {
                    self.error(
                        "misplaced-item",
                        "a `custom` block holds only `name = value` entries",
                        file,
                        i.keyword.span,
                        "not allowed here",
                    );
                }
            }
        }
    }

    // ----- pass two: types and references -----

    fn convert_attributes(&mut self) {
        for PendingType {
            element,
            clause,
            file,
        } in std::mem::take(&mut self.pending_types)
        {
            self.resolve_type_clause(element, clause, file);
        }
        for Pending {
            element,
            spec,
            attribute,
            file,
        } in std::mem::take(&mut self.pending)
        {
            let scope = self.scope_of(element);
            if let Some(value) = self.convert(&spec.ty, &attribute.value, file, scope, spec.name) {
                let attr = Attr {
                    value,
                    at: Location {
                        file,
                        span: attribute.span,
                    },
                    value_at: Location {
                        file,
                        span: attribute.value.span,
                    },
                    inherited: false,
                };
                self.model.elements[element.0 as usize]
                    .attrs
                    .insert(spec.name, attr);
            } else {
                self.failed.insert((element, spec.name));
            }
        }
        for element in &mut self.model.elements {
            element.attrs.shrink_to_fit();
        }
    }

    /// The scope a reference written on this element is resolved from.
    fn scope_of(&self, element: ElemId) -> Option<ElemId> {
        let e = self.model.element(element);
        if e.kind.is_scope() {
            Some(element)
        } else {
            e.parent
        }
    }

    fn resolve_type_clause(&mut self, element: ElemId, clause: &TypeClause, file: FileId) {
        let kind = self.model.element(element).kind;
        let scope = self.scope_of(element);
        match clause {
            TypeClause::Type(path) => {
                let word = path.text();
                if let Some(k) = vocab::COMPONENT_KINDS.iter().find(|k| **k == word) {
                    self.model.elements[element.0 as usize].component_kind = Some(k);
                    return;
                }
                if kind == ElementKind::Component {
                    match self.scopes.resolve(path, scope) {
                        Resolution::Found(p)
                            if self.model.element(p).kind == ElementKind::Product =>
                        {
                            self.record_reference(path, file, p);
                            self.model.elements[element.0 as usize].product = Some(p);
                            self.model.graph.node(element);
                            return;
                        }
                        _ => {}
                    }
                }
                let products: Vec<&str> = if kind == ElementKind::Component {
                    self.model
                        .all_of(ElementKind::Product)
                        .map(|e| e.id.as_str())
                        .collect()
                } else {
                    Vec::new()
                };
                let candidates = vocab::COMPONENT_KINDS
                    .iter()
                    .copied()
                    .chain(products.iter().copied());
                let what = if kind == ElementKind::Component {
                    "component kind or product"
                } else {
                    "component kind"
                };
                let help = did_you_mean(&word, candidates).unwrap_or_else(|| {
                    format!(
                        "the IEC 62443-4-2 kinds are {}",
                        join_and(vocab::COMPONENT_KINDS)
                    )
                });
                self.error(
                    "unknown-kind",
                    format!("unknown {what} `{word}`"),
                    file,
                    path.span,
                    format!("not a {what}"),
                )
                .help = Some(help);
            }
            TypeClause::Endpoints { from, arrow, to } => {
                let source = self.reference(
                    from,
                    file,
                    scope,
                    &[ElementKind::Component],
                    Role::FlowSource,
                );
                let destination = self.reference(
                    to,
                    file,
                    scope,
                    &[ElementKind::Component],
                    Role::FlowDestination,
                );
                if let (Some(source), Some(destination)) = (source, destination) {
                    self.model.elements[element.0 as usize].endpoints = Some(Endpoints {
                        source,
                        destination,
                        both_ways: *arrow == syntax::Arrow::Both,
                        at: Location {
                            file,
                            span: clause.span(),
                        },
                    });
                }
            }
        }
    }

    /// Resolves a path to an element of one of `kinds`, reporting what goes wrong.
    fn reference(
        &mut self,
        path: &syntax::Path,
        file: FileId,
        scope: Option<ElemId>,
        kinds: &[ElementKind],
        role: Role,
    ) -> Option<ElemId> {
        let resolution = self.scopes.resolve(path, scope);
        if let Resolution::Found(id) = resolution {
            self.record_reference(path, file, id);
            if kinds.contains(&self.model.element(id).kind) {
                return Some(id);
            }
        }
        // Only errors from here on: the words for them are built here, not for every reference.
        let nouns: Vec<&str> = kinds.iter().map(|k| k.noun()).collect();
        let wanted = with_article(&join_or(&nouns));
        match resolution {
            Resolution::Found(id) => {
                let found = self.model.element(id);
                let (found_kind, found_at) = (with_article(found.kind.noun()), found.name_at);
                self.error(
                    "wrong-kind",
                    format!(
                        "`{}` is {found_kind}, but {}",
                        path.text(),
                        role.needs(&wanted)
                    ),
                    file,
                    path.span,
                    format!("expected {wanted}"),
                )
                .with_label_mut(Label::new(
                    found_at.file,
                    found_at.span,
                    format!("`{}` is declared here", path.text()),
                ));
                None
            }
            Resolution::Ambiguous(candidates) => {
                let names: Vec<String> = candidates
                    .iter()
                    .map(|c| format!("`{}`", self.model.element(*c).qid))
                    .collect();
                let first = self.model.element(candidates[0]).qid.clone();
                self.error(
                    "ambiguous-reference",
                    format!("`{}` could mean {}", path.text(), join_or(&names)),
                    file,
                    path.span,
                    "matches more than one element",
                )
                .help = Some(format!("qualify the name, for example `{first}`"));
                None
            }
            Resolution::NotFound => {
                let last = path
                    .segments
                    .last()
                    .map_or(String::new(), |s| s.text.to_string());
                let of_kind: Vec<&Element> =
                    kinds.iter().flat_map(|k| self.model.all_of(*k)).collect();
                let help = did_you_mean(&path.text(), of_kind.iter().map(|e| e.qid.as_str()))
                    .or_else(|| did_you_mean(&last, of_kind.iter().map(|e| e.id.as_str())))
                    .unwrap_or_else(|| {
                        format!("declare {wanted} with this id, or check the spelling")
                    });
                self.error(
                    "undefined-reference",
                    format!("no {} named `{}`", join_or(&nouns), path.text()),
                    file,
                    path.span,
                    "not declared anywhere in the model",
                )
                .help = Some(help);
                None
            }
        }
    }

    fn record_reference(&mut self, path: &syntax::Path, file: FileId, target: ElemId) {
        self.model.references.push(Reference {
            file,
            segments: path.segments.iter().map(|s| s.span).collect(),
            target,
        });
    }

    fn type_error(&mut self, file: FileId, value: &syntax::Value, attr: &str, ty: &Ty) {
        self.error(
            "invalid-value",
            format!("`{attr}` expects {}, found {}", ty.describe(), found(value)),
            file,
            value.span,
            format!("expected {}", ty.describe()),
        );
    }

    fn convert(
        &mut self,
        ty: &Ty,
        value: &syntax::Value,
        file: FileId,
        scope: Option<ElemId>,
        attr: &str,
    ) -> Option<Value> {
        let word = match &value.kind {
            ValueKind::Path(p) => p.as_ident().map(|i| i.text.as_str()),
            _ => None,
        };
        match (ty, &value.kind) {
            (Ty::Str, ValueKind::Str(s)) => Some(Value::Str(s.clone())),
            (Ty::Str, ValueKind::Path(_) | ValueKind::Number(_) | ValueKind::Date(_)) => {
                self.type_error(file, value, attr, ty);
                self.diagnostics.last_mut().expect("just pushed").help =
                    Some("put text in double quotes".into());
                None
            }
            (Ty::Bool, _) if word == Some("true") => Some(Value::Bool(true)),
            (Ty::Bool, _) if word == Some("false") => Some(Value::Bool(false)),
            (Ty::Date, ValueKind::Date(d)) => match Date::parse(d) {
                Some(date) => Some(Value::Date(date)),
                None => {
                    self.error(
                        "invalid-value",
                        format!("`{d}` is not a calendar date"),
                        file,
                        value.span,
                        "no such day",
                    )
                    .help = Some("that day does not exist; check the month and the day".into());
                    None
                }
            },
            (Ty::Level, ValueKind::Number(n)) => match n.parse::<f64>() {
                Ok(level) if [0.0, 1.0, 2.0, 3.0, 3.5, 4.0, 5.0].contains(&level) => {
                    Some(Value::Number(level))
                }
                _ => {
                    self.error("invalid-value", format!("`{n}` is not a Purdue level"), file, value.span, "not a Purdue level")
                        .help = Some("Purdue levels are 0 to 5, with 3.5 for an industrial DMZ; omit `level` for zones outside the hierarchy".into());
                    None
                }
            },
            (Ty::Sl, _) => self.security_level(value, file, attr),
            (Ty::Port, ValueKind::Number(n)) => self
                .port(n, file, value.span)
                .map(|p| Value::Int(i64::from(p))),
            (Ty::Port, ValueKind::List(items)) => {
                let mut ports = Vec::new();
                for item in items {
                    match &item.kind {
                        ValueKind::Number(n) => {
                            ports.push(Value::Int(i64::from(self.port(n, file, item.span)?)))
                        }
                        _ => {
                            self.type_error(file, item, attr, &Ty::Port);
                            return None;
                        }
                    }
                }
                Some(Value::List(ports))
            }
            (Ty::Port, _) if word == Some("any") => Some(Value::Word("any")),
            (Ty::Enum(words), _) if word.is_some() => {
                self.enum_word(words, word.unwrap_or_default(), file, value, attr)
            }
            (Ty::Protocol, ValueKind::Str(s)) => Some(Value::Str(s.clone())),
            (Ty::Protocol, _) if word.is_some() => {
                self.protocol(word.unwrap_or_default(), file, value.span)
            }
            (Ty::Ref(kinds), ValueKind::Path(path)) => self
                .reference(path, file, scope, kinds, Role::Attribute(attr))
                .map(Value::Ref),
            (Ty::List(inner), ValueKind::List(items)) => {
                let mut out = Vec::with_capacity(items.len());
                let mut ok = true;
                for item in items {
                    match self.convert(inner, item, file, scope, attr) {
                        Some(v) => out.push(v),
                        None => ok = false,
                    }
                }
                ok.then_some(Value::List(out))
            }
            (Ty::List(inner), _) => self
                .convert(inner, value, file, scope, attr)
                .map(|v| Value::List(vec![v])),
            (Ty::Service, ValueKind::Service { protocol, port }) => {
                let proto = self.protocol(&protocol.text, file, protocol.span)?;
                let port_span = syntax::Span::new(protocol.span.end + 1, value.span.end);
                let port = self.port(port, file, port_span)?;
                Some(Value::Service {
                    protocol: Box::new(proto),
                    port: Some(port),
                })
            }
            (Ty::Service, ValueKind::Str(s)) => Some(Value::Service {
                protocol: Box::new(Value::Str(s.clone())),
                port: None,
            }),
            (Ty::Service, _) if word.is_some() => {
                let proto = self.protocol(word.unwrap_or_default(), file, value.span)?;
                Some(Value::Service {
                    protocol: Box::new(proto),
                    port: None,
                })
            }
            (Ty::Direction, ValueKind::Direction { from, arrow, to }) => {
                let zone = [ElementKind::Zone];
                let from = self.reference(from, file, scope, &zone, Role::Attribute(attr))?;
                let to = self.reference(to, file, scope, &zone, Role::Attribute(attr))?;
                Some(Value::Direction {
                    from,
                    to,
                    both: *arrow == syntax::Arrow::Both,
                })
            }
            (Ty::Direction, _) if word == Some("both") => Some(Value::Word("both")),
            (Ty::Permissions, ValueKind::Map(entries)) => {
                let mut out = Vec::new();
                for (key, perms) in entries {
                    let zone =
                        self.reference(key, file, scope, &[ElementKind::Zone], Role::PermissionKey);
                    let list = self.convert(
                        &Ty::List(&Ty::Enum(vocab::PERMISSIONS)),
                        perms,
                        file,
                        scope,
                        attr,
                    );
                    if let (Some(zone), Some(list)) = (zone, list) {
                        out.push((
                            zone,
                            list.as_list().iter().filter_map(Value::as_word).collect(),
                        ));
                    }
                }
                Some(Value::Permissions(out))
            }
            (Ty::RequirementIds, ValueKind::Str(_) | ValueKind::List(_)) => {
                let items: Vec<&syntax::Value> = match &value.kind {
                    ValueKind::List(items) => items.iter().collect(),
                    _ => vec![value],
                };
                let mut ids = Vec::new();
                for item in items {
                    match &item.kind {
                        ValueKind::Str(s) => ids.push(Value::Str(
                            reqid::normalize(s).unwrap_or_else(|| s.trim().to_string()),
                        )),
                        _ => {
                            self.type_error(file, item, attr, ty);
                            self.diagnostics.last_mut().expect("just pushed").help =
                                Some("quote requirement ids: \"SR 1.1 RE 1\"".into());
                            return None;
                        }
                    }
                }
                Some(Value::List(ids))
            }
            _ => {
                self.type_error(file, value, attr, ty);
                if matches!(ty, Ty::RequirementIds) {
                    self.diagnostics.last_mut().expect("just pushed").help =
                        Some("quote requirement ids: \"SR 1.1 RE 1\"".into());
                }
                None
            }
        }
    }

    fn enum_word(
        &mut self,
        words: &'static [&'static str],
        word: &str,
        file: FileId,
        value: &syntax::Value,
        attr: &str,
    ) -> Option<Value> {
        if let Some(w) = words.iter().find(|w| **w == word) {
            return Some(Value::Word(w));
        }
        let help = did_you_mean(word, words.iter().copied())
            .unwrap_or_else(|| format!("`{attr}` takes {}", Ty::Enum(words).describe()));
        self.error(
            "invalid-value",
            format!("`{word}` is not a value of `{attr}`"),
            file,
            value.span,
            "unknown value",
        )
        .help = Some(help);
        None
    }

    fn protocol(&mut self, word: &str, file: FileId, span: syntax::Span) -> Option<Value> {
        if let Some(p) = vocab::PROTOCOLS.iter().find(|p| **p == word) {
            return Some(Value::Word(p));
        }
        let help = did_you_mean(word, vocab::PROTOCOLS.iter().copied())
            .unwrap_or_else(|| format!("for a proprietary protocol, quote its name: `\"{word}\"`"));
        self.error(
            "invalid-value",
            format!("unknown protocol `{word}`"),
            file,
            span,
            "not a known protocol",
        )
        .help = Some(help);
        None
    }

    fn port(&mut self, text: &str, file: FileId, span: syntax::Span) -> Option<u16> {
        match text.parse::<u16>() {
            Ok(p) if p > 0 => Some(p),
            _ => {
                self.error(
                    "invalid-value",
                    format!("`{text}` is not a port number"),
                    file,
                    span,
                    "ports are 1 to 65535",
                );
                None
            }
        }
    }

    fn security_level(&mut self, value: &syntax::Value, file: FileId, attr: &str) -> Option<Value> {
        let mut levels = [0u8; 7];
        match &value.kind {
            ValueKind::Number(n) => {
                levels = [self.level_0_to_4(n, file, value.span)?; 7];
            }
            ValueKind::List(items) => {
                if items.len() != 7 {
                    self.error(
                        "invalid-value",
                        format!(
                            "`{attr}` lists {} levels, but there are seven FRs",
                            items.len()
                        ),
                        file,
                        value.span,
                        "expected seven levels",
                    )
                    .help = Some(format!(
                        "give one level per FR, in the order {}; or use a map: {{ IAC: 2, ... }}",
                        FR_NAMES.join(" ")
                    ));
                    return None;
                }
                for (i, item) in items.iter().enumerate() {
                    let ValueKind::Number(n) = &item.kind else {
                        self.type_error(file, item, attr, &Ty::Sl);
                        return None;
                    };
                    levels[i] = self.level_0_to_4(n, file, item.span)?;
                }
            }
            ValueKind::Map(entries) => {
                let mut seen = [false; 7];
                for (key, level) in entries {
                    let name = key.text();
                    let Some(fr) = fr_index(&name) else {
                        self.error(
                            "invalid-value",
                            format!("`{name}` is not a foundational requirement"),
                            file,
                            key.span,
                            "unknown FR",
                        )
                        .help = Some(
                            did_you_mean(&name, FR_NAMES)
                                .unwrap_or_else(|| format!("the FRs are {}", FR_NAMES.join(", "))),
                        );
                        return None;
                    };
                    if seen[fr] {
                        self.error(
                            "invalid-value",
                            format!("`{}` is given twice in `{attr}`", FR_NAMES[fr]),
                            file,
                            key.span,
                            "given again here",
                        )
                        .help = Some("give each foundational requirement one level".into());
                        return None;
                    }
                    seen[fr] = true;
                    let ValueKind::Number(n) = &level.kind else {
                        self.type_error(file, level, attr, &Ty::Sl);
                        return None;
                    };
                    levels[fr] = self.level_0_to_4(n, file, level.span)?;
                }
                let missing: Vec<&str> =
                    (0..7).filter(|i| !seen[*i]).map(|i| FR_NAMES[i]).collect();
                if !missing.is_empty() {
                    self.error(
                        "invalid-value",
                        format!("`{attr}` does not give a level for {}", join_and(&missing)),
                        file,
                        value.span,
                        "incomplete",
                    )
                    .help = Some(
                        "name all seven FRs (a level of 0 is allowed), or give one number for all"
                            .into(),
                    );
                    return None;
                }
            }
            _ => {
                self.type_error(file, value, attr, &Ty::Sl);
                return None;
            }
        }
        Some(Value::Sl(SlVector(levels)))
    }

    fn level_0_to_4(&mut self, text: &str, file: FileId, span: syntax::Span) -> Option<u8> {
        match text.parse::<u8>() {
            Ok(l) if l <= 4 => Some(l),
            _ => {
                self.error(
                    "sl-out-of-range",
                    format!("security level `{text}` is out of range"),
                    file,
                    span,
                    "must be 0, 1, 2, 3 or 4",
                )
                .help = Some("IEC 62443 defines security levels 0 to 4".into());
                None
            }
        }
    }

    // ----- after conversion -----

    /// A component takes every attribute its product sets and it does not.
    fn inherit_from_products(&mut self) {
        for index in 0..self.model.elements.len() {
            let Some(product) = self.model.elements[index].product else {
                continue;
            };
            let own = std::mem::take(&mut self.model.elements[index].attrs);
            let p = self.model.element(product);
            let (kind, attrs) = (p.component_kind, own.with_inherited(&p.attrs));
            let component = &mut self.model.elements[index];
            if component.component_kind.is_none() {
                component.component_kind = kind;
            }
            component.attrs = attrs;
        }
    }

    fn derive_structure(&mut self) {
        let count = self.model.elements.len();
        self.model.zone_of = vec![None; count];
        for index in 0..count {
            let id = ElemId(index as u32);
            let element = &self.model.elements[index];
            self.model.by_kind.entry(element.kind).or_default().push(id);
            let enclosing_zone = self.enclosing_zone(id);
            match element.kind {
                ElementKind::Zone => {
                    self.model.graph.node(id);
                    if let Some(parent) = enclosing_zone {
                        self.model.zone_of[index] = Some(parent);
                        self.model.graph.add_edge(parent, id, Edge::SubZone);
                    }
                }
                ElementKind::Component => self.place_component(id, enclosing_zone),
                ElementKind::Conduit => self.connect_conduit(id),
                _ => {}
            }
        }
        for flow in self.model.all(ElementKind::Flow).to_vec() {
            if let Some(ends) = self.model.element(flow).endpoints {
                self.model
                    .graph
                    .add_edge(ends.source, ends.destination, Edge::Flow(flow));
            }
        }
    }

    fn enclosing_zone(&self, id: ElemId) -> Option<ElemId> {
        let mut at = self.model.element(id).parent;
        while let Some(p) = at {
            if self.model.element(p).kind == ElementKind::Zone {
                return Some(p);
            }
            at = self.model.element(p).parent;
        }
        None
    }

    fn place_component(&mut self, id: ElemId, enclosing: Option<ElemId>) {
        let element = self.model.element(id);
        let named = element
            .attr("zone")
            .and_then(|a| a.value.as_ref().map(|z| (z, a.value_at)));
        let zone = match (enclosing, named) {
            (Some(inside), Some((named, at))) if inside != named => {
                let (inside_qid, named_qid) = (
                    self.model.element(inside).qid.clone(),
                    self.model.element(named).qid.clone(),
                );
                self.error(
                    "conflicting-zone",
                    format!(
                        "`{}` is declared inside zone `{inside_qid}` but names zone `{named_qid}`",
                        element.qid
                    ),
                    at.file,
                    at.span,
                    "conflicts with where the component is declared",
                )
                .help = Some(
                    "remove the `zone` attribute, or move the component out of the zone block"
                        .into(),
                );
                Some(inside)
            }
            (Some(inside), _) => Some(inside),
            (None, Some((named, _))) => Some(named),
            (None, None) => {
                if !element.attrs.contains_key("zone") && !self.failed_attribute(id, "zone") {
                    let (qid, at) = (element.qid.clone(), element.name_at);
                    self.error(
                        "component-without-zone",
                        format!("component `{qid}` is in no zone"),
                        at.file,
                        at.span,
                        "in no zone",
                    )
                    .help =
                        Some("declare it inside a zone block, or add `zone = <zone id>`".into());
                }
                None
            }
        };
        self.model.graph.node(id);
        if let Some(zone) = zone {
            self.model.zone_of[id.0 as usize] = Some(zone);
            self.model.graph.add_edge(zone, id, Edge::Contains);
        }
    }

    /// Whether this attribute's value was already reported as wrong.
    fn failed_attribute(&self, id: ElemId, attr: &'static str) -> bool {
        self.failed.contains(&(id, attr))
    }

    fn connect_conduit(&mut self, id: ElemId) {
        self.model.graph.node(id);
        let element = self.model.element(id).clone();
        let zones = element.value("zones").map(Value::refs).unwrap_or_default();
        let via = element.value("via").map(Value::refs).unwrap_or_default();
        let distinct: HashSet<ElemId> = zones.iter().copied().collect();
        if distinct.len() < 2 && !self.failed_attribute(id, "zones") {
            let (qid, at) = (
                element.qid.clone(),
                element
                    .attr("zones")
                    .map_or(element.name_at, |a| a.value_at),
            );
            let message = if zones.is_empty() {
                format!("conduit `{qid}` joins no zones")
            } else {
                format!("conduit `{qid}` joins only one zone")
            };
            self.error(
                "conduit-too-few-zones",
                message,
                at.file,
                at.span,
                "a conduit joins two or more zones",
            )
            .help = Some("list the zones it connects: `zones = [zone_a, zone_b]`".into());
        }
        if let Some(Value::Direction { from, to, .. }) = element.value("direction").cloned() {
            for end in [from, to] {
                if !distinct.contains(&end) {
                    let at = element
                        .attr("direction")
                        .map_or(element.name_at, |a| a.value_at);
                    let (end_qid, qid) = (self.model.element(end).qid.clone(), element.qid.clone());
                    self.error("invalid-value", format!("the direction of `{qid}` names `{end_qid}`, which the conduit does not join"), at.file, at.span, "not one of the conduit's zones");
                }
            }
        }
        for zone in distinct
            .iter()
            .copied()
            .collect::<std::collections::BTreeSet<_>>()
        {
            self.model.graph.add_edge(id, zone, Edge::Joins);
        }
        for device in via {
            self.model.graph.add_edge(id, device, Edge::Via);
        }
    }

    fn check_required(&mut self) {
        for index in 0..self.model.elements.len() {
            let element = &self.model.elements[index];
            let missing: Vec<&str> = element
                .kind
                .spec()
                .required
                .iter()
                .copied()
                .filter(|a| {
                    !element.attrs.contains_key(a)
                        && !self.failed_attribute(ElemId(index as u32), a)
                })
                .collect();
            if missing.is_empty() {
                continue;
            }
            let (kind, qid, at) = (element.kind.keyword(), element.qid.clone(), element.name_at);
            let quoted = |names: &[&str]| {
                let quoted: Vec<String> = names.iter().map(|m| format!("`{m}`")).collect();
                join_and(&quoted)
            };
            let list = quoted(&missing);
            let required = quoted(element.kind.spec().required);
            self.error(
                "missing-attribute",
                format!("{kind} `{qid}` lacks {list}"),
                at.file,
                at.span,
                format!("missing {list}"),
            )
            .help = Some(format!("every {} states {required}", element.kind.noun()));
        }
    }
}

impl Model {
    fn all_of(&self, kind: ElementKind) -> impl Iterator<Item = &Element> {
        self.elements.iter().filter(move |e| e.kind == kind)
    }
}

impl Diagnostic {
    fn with_label_mut(&mut self, label: Label) -> &mut Diagnostic {
        self.secondary.push(label);
        self
    }
}

/// How many items these are, with all the items nested in them.
fn count_items(items: &[Item]) -> usize {
    items
        .iter()
        .map(|item| {
            let nested = item.entries().iter().filter_map(|entry| match entry {
                Entry::Item(child) => Some(count_items(std::slice::from_ref(&**child))),
                Entry::Attribute(_) => None,
            });
            nested.sum::<usize>()
        })
        .sum::<usize>()
        + items.len()
}

/// Names a value in a message: short values as written, others by their form.
fn found(value: &syntax::Value) -> String {
    match &value.kind {
        ValueKind::Path(p) => format!("`{}`", p.text()),
        ValueKind::Number(n) | ValueKind::Date(n) => format!("`{n}`"),
        other => other.describe().to_string(),
    }
}

/// What a reference is for, to say why the element it names is of the wrong kind.
#[derive(Debug, Clone, Copy)]
enum Role<'a> {
    Attribute(&'a str),
    FlowSource,
    FlowDestination,
    PermissionKey,
}

impl Role<'_> {
    /// "`owner` expects an organization", "a flow source must be a component".
    fn needs(self, wanted: &str) -> String {
        match self {
            Role::Attribute(name) => format!("`{name}` expects {wanted}"),
            Role::FlowSource => format!("a flow source must be {wanted}"),
            Role::FlowDestination => format!("a flow destination must be {wanted}"),
            Role::PermissionKey => format!("a permission is granted on {wanted}"),
        }
    }
}

/// `kind: control`: an item with only a keyword and a one-word type, which is an attribute
/// written with `:`. Returns the value.
fn colon_for_equals(item: &Item) -> Option<&syntax::Path> {
    let bare = item.name.is_none() && item.title.is_none() && item.body.is_none();
    match &item.type_clause {
        Some(TypeClause::Type(path)) if bare => Some(path),
        _ => None,
    }
}

/// The text of the `///` lines directly above `start`, if any.
fn doc_comment(text: &str, start: usize) -> Option<String> {
    let mut lines = Vec::new();
    let mut before = text[..start].trim_end_matches([' ', '\t']);
    while let Some(line_end) = before.strip_suffix('\n') {
        let line_end = line_end.strip_suffix('\r').unwrap_or(line_end);
        let line_start = line_end.rfind('\n').map_or(0, |i| i + 1);
        let line = line_end[line_start..].trim();
        let Some(doc) = line.strip_prefix("///") else {
            break;
        };
        lines.push(doc.strip_prefix(' ').unwrap_or(doc).to_string());
        before = &line_end[..line_start];
    }
    if lines.is_empty() {
        return None;
    }
    lines.reverse();
    Some(lines.join("\n"))
}

/// Custom properties are untyped: keep them in the closest plain value.
fn custom_value(value: &syntax::Value) -> Value {
    match &value.kind {
        ValueKind::Str(s) => Value::Str(s.clone()),
        ValueKind::Date(d) => Value::Str(d.to_string()),
        ValueKind::Number(n) => n
            .parse::<i64>()
            .map(Value::Int)
            .unwrap_or_else(|_| Value::Number(n.parse().unwrap_or(0.0))),
        ValueKind::Path(p) if p.text() == "true" => Value::Bool(true),
        ValueKind::Path(p) if p.text() == "false" => Value::Bool(false),
        ValueKind::List(items) => Value::List(items.iter().map(custom_value).collect()),
        _ => Value::Str(value_text(value)),
    }
}

fn value_text(value: &syntax::Value) -> String {
    match &value.kind {
        ValueKind::Path(p) => p.text(),
        ValueKind::Service { protocol, port } => format!("{}:{port}", protocol.text),
        ValueKind::Direction { from, arrow, to } => {
            format!("{} {} {}", from.text(), arrow.as_str(), to.text())
        }
        _ => String::new(),
    }
}
