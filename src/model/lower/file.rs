//! Pass one, one file at a time (files run in parallel): the file's items become elements,
//! keywords and attribute names are checked, and attribute values that name no element are
//! converted. Values that name elements, and type clauses that name products or flow endpoints,
//! wait for [`super::references`], when every file's elements are declared.
//!
//! The file's syntax tree is taken by value and dropped piece by piece as it is lowered, and
//! strings move from it into the model, so the trees of a workspace and its model are not all
//! in memory at once.

use std::collections::BTreeMap;
use std::hash::BuildHasher;

use foldhash::HashMap;
use smol_str::SmolStr;

use super::super::resolve::TextHasher;
use super::super::value::Value;
use super::super::vocabulary::{self as vocab, AttrSpec, ElementKind, Ty, TypeClauseSpec};
use super::super::{Attr, Attrs, ElemId, Element, Location, Suppression, reqid};
use super::convert::Converter;
use crate::diagnostics::{
    Diagnostic, FileId, Label, did_you_mean, join_and, join_or, with_article,
};
use crate::syntax::{self, Entry, Item, SyntaxFile, TypeClause, ValueKind};

/// The first declaration of an id, for the message about a second one.
#[derive(Debug, Clone, Copy)]
pub(super) struct FirstDeclaration {
    pub name_at: Location,
    pub kind: ElementKind,
}

/// Top-level ids that earlier files declared and this one declares again. Empty but for a file
/// lowered a second time because of such a clash (see [`super::merge`]).
pub(super) type Taken = HashMap<SmolStr, FirstDeclaration>;

/// An attribute whose value names elements, waiting for every element to be declared.
pub(super) struct DeferredAttr {
    pub element: ElemId,
    pub spec: &'static AttrSpec,
    pub attribute: syntax::Attribute,
    /// Its place among the file's attributes, to report errors in that order.
    pub seq: u32,
}

/// A type clause that names a product or flow endpoints.
pub(super) struct DeferredType {
    pub element: ElemId,
    pub clause: TypeClause,
}

/// The hashes of an element's id and qualified id ([`TextHasher`]), computed with the file.
#[derive(Debug, Clone, Copy)]
pub(super) struct IdHashes {
    pub id: u64,
    pub qid: u64,
}

/// A diagnostic about an attribute value, with the attribute's place in its file
/// ([`DeferredAttr::seq`]): values converted in pass one and in pass two are reported in the
/// order the attributes are written.
pub(super) type Sequenced = (u32, Diagnostic);

/// What one file lowers to. Element ids in here count from 0 within the file; the merge
/// renumbers them model-wide.
pub(super) struct FilePart {
    pub file: FileId,
    pub elements: Vec<Element>,
    /// For each element, the hashes of its id and qualified id, for the model's tables.
    pub hashes: Vec<IdHashes>,
    /// Errors about items, ids and attribute names, in the order met.
    pub diagnostics: Vec<Diagnostic>,
    /// Errors about the values converted here.
    pub value_diagnostics: Vec<Sequenced>,
    pub suppressions: Vec<Suppression>,
    pub deferred: Vec<DeferredAttr>,
    pub deferred_types: Vec<DeferredType>,
    /// Attributes whose value was reported as wrong, so consequences are not reported again.
    pub failed: Vec<(ElemId, &'static str)>,
}

/// Lowers one file's tree. `taken` holds top-level ids that earlier files declared, which this
/// file must not declare again.
pub(super) fn lower(
    file: FileId,
    text: &str,
    tree: SyntaxFile,
    taken: &Taken,
    hasher: &TextHasher,
) -> FilePart {
    // Every element is an item: sized once, the vectors are not copied as they grow.
    let items = count_items(&tree.items);
    let mut lowering = FileLowering {
        file,
        text,
        taken,
        hasher,
        part: FilePart {
            file,
            elements: Vec::with_capacity(items),
            hashes: Vec::with_capacity(items),
            diagnostics: Vec::new(),
            value_diagnostics: Vec::new(),
            suppressions: Vec::new(),
            deferred: Vec::new(),
            deferred_types: Vec::new(),
            failed: Vec::new(),
        },
        declared: HashMap::with_capacity_and_hasher(items, Default::default()),
        seen: Vec::new(),
        next_seq: 0,
        converter: Converter::new(None),
    };
    for item in tree.items {
        lowering.declare_item(item, None, vocab::TOP_LEVEL);
    }
    lowering.part
}

struct FileLowering<'a> {
    file: FileId,
    text: &'a str,
    taken: &'a Taken,
    hasher: &'a TextHasher,
    part: FilePart,
    /// (enclosing element, id) -> element, for ids declared twice in one scope.
    declared: HashMap<(Option<ElemId>, SmolStr), ElemId>,
    /// The attribute names set so far on the elements being lowered, innermost last: one
    /// vector for the whole file instead of one per element.
    seen: Vec<(&'static str, syntax::Span)>,
    next_seq: u32,
    /// Converts values that name no element; collects their errors.
    converter: Converter<'static>,
}

impl std::ops::Deref for FileLowering<'_> {
    type Target = FilePart;
    fn deref(&self) -> &FilePart {
        &self.part
    }
}

impl std::ops::DerefMut for FileLowering<'_> {
    fn deref_mut(&mut self) -> &mut FilePart {
        &mut self.part
    }
}

impl FileLowering<'_> {
    fn error(
        &mut self,
        code: &str,
        message: impl Into<String>,
        file: FileId,
        span: syntax::Span,
        label: impl Into<String>,
    ) -> &mut Diagnostic {
        self.part.diagnostics.push(Diagnostic::error(
            code,
            message,
            Label::new(file, span, label),
        ));
        self.part.diagnostics.last_mut().expect("just pushed")
    }

    fn declare_item(&mut self, item: Item, parent: Option<ElemId>, allowed: &[&str]) {
        let keyword = item.keyword.text.as_str();
        if !allowed.contains(&keyword) {
            self.misplaced_or_unknown(&item, parent, allowed);
            return;
        }
        match keyword {
            // Imports are followed by the workspace loader before lowering.
            vocab::IMPORT => {}
            vocab::SUPPRESS => self.suppression(&item, parent),
            vocab::CUSTOM => self.custom_block(&item, parent),
            _ => {
                let kind = ElementKind::from_keyword(keyword).expect("allowed keywords are known");
                self.element(item, kind, parent);
            }
        }
    }

    fn misplaced_or_unknown(&mut self, item: &Item, parent: Option<ElemId>, allowed: &[&str]) {
        let file = self.file;
        let keyword = &item.keyword;
        let known = vocab::all_keywords().any(|k| k == keyword.text);
        if known {
            let place = parent.map_or("at the top of a file".to_string(), |p| {
                let e = &self.elements[p.0 as usize];
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
            let text = self.text;
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
        let text = self.text;
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

    fn element(&mut self, mut item: Item, kind: ElementKind, parent: Option<ElemId>) {
        let file = self.file;
        let spec = kind.spec();
        let Some(name) = item.name.clone() else {
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
            Some(p) => qualified(&self.elements[p.0 as usize].qid, &name.text),
            None => String::from(name.text.as_str()),
        };
        let id = ElemId(self.elements.len() as u32);
        if let Err(first) = self.declare(parent, &name.text, id) {
            let kind_of_first = with_article(first.kind.noun());
            self.error(
                "duplicate-id",
                format!("`{qid}` is declared twice"),
                file,
                name.span,
                "declared again here",
            )
            .with_label_mut(Label::new(first.name_at.file, first.name_at.span, format!("first declared here, as {kind_of_first}")))
            .help = Some("ids must be unique in their scope: rename one, or move it into another zone or site".into());
            return;
        }
        let at = Location {
            file,
            span: item.span,
        };
        let attributes = item
            .entries()
            .iter()
            .filter(|e| matches!(e, Entry::Attribute(_)))
            .count();
        let doc = doc_comment(self.text, item.span.start);
        self.part.hashes.push(IdHashes {
            id: self.hasher.hash_one(name.text.as_str()),
            qid: self.hasher.hash_one(qid.as_str()),
        });
        self.part.elements.push(Element {
            kind,
            id: String::from(name.text.as_str()),
            qid,
            title: item.title.take().map(|t| t.value),
            doc,
            parent,
            at,
            name_at: Location {
                file,
                span: name.span,
            },
            // Room for every attribute written, those converted in pass two included.
            attrs: Attrs::with_capacity(attributes),
            custom: BTreeMap::new(),
            component_kind: None,
            product: None,
            endpoints: None,
        });

        if self.header(&item, kind, spec.type_clause) {
            let clause = item.type_clause.take().expect("header saw a clause");
            self.type_clause(id, clause);
        }

        let seen_before = self.seen.len();
        let entries = item.body.take().map(|b| b.entries).unwrap_or_default();
        for entry in entries {
            match entry {
                Entry::Attribute(attribute) => {
                    let attr_name = attribute.name.text.as_str();
                    let Some(attr_spec) = spec.attr(attr_name) else {
                        self.unknown_attribute(&attribute, kind);
                        continue;
                    };
                    if let Some((_, first)) = self.seen[seen_before..]
                        .iter()
                        .find(|(n, _)| *n == attr_name)
                    {
                        let first = *first;
                        self.error(
                            "duplicate-attribute",
                            format!(
                                "`{attr_name}` is set twice on `{}`",
                                self.elements[id.0 as usize].qid
                            ),
                            file,
                            attribute.name.span,
                            "set again here",
                        )
                        .with_label_mut(Label::new(file, first, "first set here"))
                        .help = Some("keep one of them".into());
                        continue;
                    }
                    self.seen.push((attr_spec.name, attribute.name.span));
                    self.attribute(id, attr_spec, attribute);
                }
                Entry::Item(child) => self.declare_item(*child, Some(id), spec.children),
            }
        }
        self.seen.truncate(seen_before);
    }

    /// Registers an id in its scope; an id already there gives its first declaration.
    fn declare(
        &mut self,
        scope: Option<ElemId>,
        id: &SmolStr,
        element: ElemId,
    ) -> Result<(), FirstDeclaration> {
        if scope.is_none()
            && let Some(first) = self.taken.get(id)
        {
            return Err(*first);
        }
        if let Some(&existing) = self.declared.get(&(scope, id.clone())) {
            let first = &self.elements[existing.0 as usize];
            return Err(FirstDeclaration {
                name_at: first.name_at,
                kind: first.kind,
            });
        }
        self.declared.insert((scope, id.clone()), element);
        Ok(())
    }

    /// A `:` clause of the expected form: a component kind is known here; a product or flow
    /// endpoints wait until every element is declared.
    fn type_clause(&mut self, element: ElemId, clause: TypeClause) {
        if let TypeClause::Type(path) = &clause
            && let Some(ident) = path.as_ident()
            && let Some(kind) = vocab::COMPONENT_KINDS.iter().find(|k| **k == ident.text)
        {
            self.elements[element.0 as usize].component_kind = Some(kind);
            return;
        }
        self.deferred_types.push(DeferredType { element, clause });
    }

    /// Converts an attribute's value now when it names no element, or keeps it for pass two.
    fn attribute(
        &mut self,
        element: ElemId,
        spec: &'static AttrSpec,
        mut attribute: syntax::Attribute,
    ) {
        let seq = self.next_seq;
        self.next_seq += 1;
        if spec.ty.names_elements() {
            self.deferred.push(DeferredAttr {
                element,
                spec,
                attribute,
                seq,
            });
            return;
        }
        let converted = match (&spec.ty, &mut attribute.value.kind) {
            // Text, the most common value: moved out of the tree rather than copied.
            (Ty::Str, ValueKind::Str(text)) => Some(Value::Str(std::mem::take(text))),
            _ => self
                .converter
                .convert(&spec.ty, &attribute.value, self.file, None, spec.name),
        };
        let errors = self.converter.diagnostics.drain(..).map(|d| (seq, d));
        self.part.value_diagnostics.extend(errors);
        match converted {
            Some(value) => {
                let attr = Attr::written(value, self.file, &attribute);
                self.part.elements[element.0 as usize]
                    .attrs
                    .insert(spec.name, attr);
            }
            None => self.part.failed.push((element, spec.name)),
        }
    }

    /// Reports a `:` clause that does not fit the item, or one that is missing. Returns whether
    /// the item has a clause of the expected form, to be resolved.
    fn header(&mut self, item: &Item, kind: ElementKind, expected: TypeClauseSpec) -> bool {
        let file = self.file;
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
            (Some(_), _) => return true,
        }
        false
    }

    fn unknown_attribute(&mut self, attribute: &syntax::Attribute, kind: ElementKind) {
        let file = self.file;
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

    fn suppression(&mut self, item: &Item, element: Option<ElemId>) {
        let file = self.file;
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
            // This file's diagnostics are all in `self.diagnostics`, as the check needs.
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
        self.suppressions.push(Suppression {
            rule: rule_id,
            reason,
            at: Location {
                file,
                span: item.span,
            },
            element,
        });
    }

    fn custom_block(&mut self, item: &Item, element: Option<ElemId>) {
        let file = self.file;
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
                    self.elements[element.0 as usize]
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
}

/// `parent.id`, allocated once at its final size.
fn qualified(parent: &str, id: &str) -> String {
    let mut qid = String::with_capacity(parent.len() + 1 + id.len());
    qid.push_str(parent);
    qid.push('.');
    qid.push_str(id);
    qid
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
