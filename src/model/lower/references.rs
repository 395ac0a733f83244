//! Pass two, one file at a time again (files run in parallel): with every element of the model
//! declared, each file's type clauses and the attribute values that name elements are resolved.
//! The model is only read while resolving; what each file resolved is then written into its own
//! elements ([`write_into`]), again in parallel.

use std::ops::Range;

use rayon::prelude::*;

use super::super::resolve::Resolution;
use super::super::vocabulary::{self as vocab, ElementKind};
use super::super::{Attr, ElemId, Element, Endpoints, Location, Reference};
use super::convert::{Converter, Names, Role};
use super::file::{DeferredAttr, Sequenced};
use super::merge::Pending;
use crate::diagnostics::{Diagnostic, FileId, did_you_mean, join_and};
use crate::syntax::{self, TypeClause};

/// What a file's type clauses and element-naming values resolve to.
#[derive(Default)]
pub(super) struct Resolved {
    /// The file's elements, model-wide.
    pub elements: Range<usize>,
    pub products: Vec<(ElemId, ElemId)>,
    pub endpoints: Vec<(ElemId, Endpoints)>,
    pub type_diagnostics: Vec<Diagnostic>,
    pub type_references: Vec<Reference>,
    pub attrs: Vec<(ElemId, &'static str, Attr)>,
    pub failed: Vec<(ElemId, &'static str)>,
    /// Every error about the file's attribute values, passes one and two, in attribute order.
    pub value_diagnostics: Vec<Diagnostic>,
    pub value_references: Vec<Reference>,
}

/// Resolves what one file's pass one left for later. Takes it by value, so that its syntax
/// values are freed here, on the worker, as they are converted.
pub(super) fn resolve(names: Names<'_>, pending: Pending) -> Resolved {
    let Pending {
        file,
        elements,
        types,
        attrs,
        value_diagnostics,
    } = pending;
    let mut resolved = Resolved {
        elements,
        ..Resolved::default()
    };
    let mut converter = Converter::new(Some(names));
    for deferred in types {
        converter.type_clause(deferred.element, &deferred.clause, file, &mut resolved);
    }
    resolved.type_diagnostics = std::mem::take(&mut converter.diagnostics);
    resolved.type_references = std::mem::take(&mut converter.references);
    let mut late = Vec::new();
    for DeferredAttr {
        element,
        spec,
        attribute,
        seq,
    } in attrs
    {
        let scope = names.scope_of(element);
        match converter.convert(&spec.ty, &attribute.value, file, scope, spec.name) {
            Some(value) => {
                let attr = Attr::written(value, file, &attribute);
                resolved.attrs.push((element, spec.name, attr));
            }
            None => resolved.failed.push((element, spec.name)),
        }
        late.extend(converter.diagnostics.drain(..).map(|d| (seq, d)));
    }
    resolved.value_diagnostics = in_written_order(value_diagnostics, late).collect();
    resolved.value_references = converter.references;
    resolved
}

/// A file's value errors from pass one and from pass two, each in attribute order, merged into
/// attribute order.
fn in_written_order(
    first: Vec<Sequenced>,
    second: Vec<Sequenced>,
) -> impl Iterator<Item = Diagnostic> {
    let mut first = first.into_iter().peekable();
    let mut second = second.into_iter().peekable();
    std::iter::from_fn(move || {
        let take_first = match (first.peek(), second.peek()) {
            (Some((a, _)), Some((b, _))) => a <= b,
            (Some(_), None) => true,
            (None, _) => false,
        };
        let next = if take_first {
            first.next()
        } else {
            second.next()
        };
        next.map(|(_, diagnostic)| diagnostic)
    })
}

/// Writes each file's resolved attributes, products and endpoints into its own elements, files
/// in parallel: a file's elements are one range of the model's, so the ranges are disjoint.
pub(super) fn write_into(elements: &mut [Element], files: &mut [Resolved]) {
    let mut chunks = Vec::with_capacity(files.len());
    let mut rest = elements;
    for file in files.iter() {
        let (chunk, tail) = std::mem::take(&mut rest).split_at_mut(file.elements.len());
        chunks.push(chunk);
        rest = tail;
    }
    chunks
        .into_par_iter()
        .zip(files.par_iter_mut())
        .for_each(|(chunk, file)| {
            let local = |id: ElemId| id.0 as usize - file.elements.start;
            for (id, name, attr) in file.attrs.drain(..) {
                chunk[local(id)].attrs.insert(name, attr);
            }
            for &(id, product) in &file.products {
                chunk[local(id)].product = Some(product);
            }
            for &(id, ends) in &file.endpoints {
                chunk[local(id)].endpoints = Some(ends);
            }
            // Room was kept for every attribute written; give back what wrong ones left.
            for element in chunk.iter_mut() {
                element.attrs.shrink_to_fit();
            }
        });
}

impl Converter<'_> {
    /// A component's product, or a flow's endpoints. (A component kind was taken in pass one.)
    fn type_clause(
        &mut self,
        element: ElemId,
        clause: &TypeClause,
        file: FileId,
        resolved: &mut Resolved,
    ) {
        let names = self.names();
        let kind = names.element(element).kind;
        let scope = names.scope_of(element);
        match clause {
            TypeClause::Type(path) => {
                if kind == ElementKind::Component
                    && let Resolution::Found(p) = names.scopes.resolve(path, scope)
                    && names.element(p).kind == ElementKind::Product
                {
                    self.record_reference(path, file, p);
                    resolved.products.push((element, p));
                    return;
                }
                self.unknown_kind(kind, path, file);
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
                    let ends = Endpoints {
                        source,
                        destination,
                        both_ways: *arrow == syntax::Arrow::Both,
                        at: Location {
                            file,
                            span: clause.span(),
                        },
                    };
                    resolved.endpoints.push((element, ends));
                }
            }
        }
    }

    /// A `:` type that is neither a component kind nor (for a component) a product.
    fn unknown_kind(&mut self, kind: ElementKind, path: &syntax::Path, file: FileId) {
        let word = path.text();
        let products: Vec<&str> = if kind == ElementKind::Component {
            self.names()
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
}
