//! Pass two, one file at a time again (files run in parallel): with every element of the model
//! declared, each file's type clauses and the attribute values that name elements are resolved.
//! The model is only read here; what a file resolves is handed back and written in by
//! [`super::build`], in file order.

use super::super::resolve::Resolution;
use super::super::vocabulary::{self as vocab, ElementKind};
use super::super::{Attr, ElemId, Endpoints, Location, Reference};
use super::convert::{Converter, Names, Role};
use super::file::{DeferredAttr, DeferredType, Sequenced};
use crate::diagnostics::{Diagnostic, FileId, did_you_mean, join_and};
use crate::syntax::{self, TypeClause};

/// What a file's type clauses and element-naming values resolve to.
#[derive(Default)]
pub(super) struct Resolved {
    pub products: Vec<(ElemId, ElemId)>,
    pub endpoints: Vec<(ElemId, Endpoints)>,
    pub type_diagnostics: Vec<Diagnostic>,
    pub type_references: Vec<Reference>,
    pub attrs: Vec<(ElemId, &'static str, Attr)>,
    pub failed: Vec<(ElemId, &'static str)>,
    pub value_diagnostics: Vec<Sequenced>,
    pub value_references: Vec<Reference>,
}

/// Resolves what one file's pass one left for later.
pub(super) fn resolve(
    names: Names<'_>,
    file: FileId,
    types: &[DeferredType],
    attrs: &[DeferredAttr],
) -> Resolved {
    let mut resolved = Resolved::default();
    let mut converter = Converter::new(Some(names));
    for deferred in types {
        converter.type_clause(deferred.element, &deferred.clause, file, &mut resolved);
    }
    resolved.type_diagnostics = std::mem::take(&mut converter.diagnostics);
    resolved.type_references = std::mem::take(&mut converter.references);
    for deferred in attrs {
        let DeferredAttr {
            element,
            spec,
            ref attribute,
            seq,
        } = *deferred;
        let scope = names.scope_of(element);
        match converter.convert(&spec.ty, &attribute.value, file, scope, spec.name) {
            Some(value) => {
                let attr = Attr::written(value, file, attribute);
                resolved.attrs.push((element, spec.name, attr));
            }
            None => resolved.failed.push((element, spec.name)),
        }
        let errors = converter.diagnostics.drain(..).map(|d| (seq, d));
        resolved.value_diagnostics.extend(errors);
    }
    resolved.value_references = converter.references;
    resolved
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
