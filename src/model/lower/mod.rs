//! Lowering: syntax trees to the typed, resolved [`Model`].
//!
//! Files are lowered on all cores, each on its own, then joined in file order:
//!
//! 1. [`file`] (pass one, in parallel): each file's items become elements, keywords and
//!    attribute names are checked, and every value that names no element is converted. Each
//!    file's syntax tree is dropped as soon as it is lowered.
//! 2. [`merge`]: element ids become model-wide and every element is declared in the model's
//!    scopes, so references may point forward and across files.
//! 3. [`references`] (pass two, in parallel): each file's type clauses and the values that name
//!    elements are resolved against the whole model.
//! 4. [`structure`]: components share their product's attributes, zone membership and the graph
//!    are derived, and required attributes are checked.
//!
//! The model and its errors, in their order, are the same as lowering the files one after the
//! other would give; the parallel passes only read what other files declared.

mod convert;
mod file;
mod merge;
mod references;
mod structure;

use rayon::prelude::*;

use super::value::Value;
use super::{Attr, Location, Model};
use crate::diagnostics::{Diagnostic, FileId, SourceMap};
use crate::syntax::{self, SyntaxFile};
use convert::Names;
use file::{FilePart, Sequenced, Taken};
use merge::{Merged, Pending};
use references::Resolved;
use structure::Structure;

/// Builds the model from parsed files, taking their trees (they are freed as they are lowered).
/// Returns the model (as complete as the errors allow) and the model errors.
pub fn build(sources: SourceMap, files: Vec<(FileId, SyntaxFile)>) -> (Model, Vec<Diagnostic>) {
    let none_taken = Taken::default();
    let parts: Vec<FilePart> = files
        .into_par_iter()
        .map(|(file, tree)| file::lower(file, &sources.get(file).text, tree, &none_taken))
        .collect();
    let mut merged = merge::merge(sources, parts);
    let names = Names {
        elements: &merged.model.elements,
        scopes: &merged.scopes,
    };
    let resolved: Vec<Resolved> = merged
        .files
        .par_iter()
        .map(|pending| references::resolve(names, pending.file, &pending.types, &pending.attrs))
        .collect();
    apply(&mut merged, resolved);
    let Merged {
        mut model,
        mut diagnostics,
        failed,
        ..
    } = merged;
    structure::inherit_from_products(&mut model);
    let mut structure = Structure {
        model: &mut model,
        diagnostics: &mut diagnostics,
        failed: &failed,
    };
    structure.derive_structure();
    structure.check_required();
    (model, diagnostics)
}

/// Writes what pass two resolved into the model, in file order: first every file's type
/// clauses, then every file's attribute values, as lowering the files in turn would.
fn apply(merged: &mut Merged, mut resolved: Vec<Resolved>) {
    let model = &mut merged.model;
    for file in &mut resolved {
        merged.diagnostics.append(&mut file.type_diagnostics);
        model.references.append(&mut file.type_references);
        for &(component, product) in &file.products {
            model.elements[component.0 as usize].product = Some(product);
            model.graph.node(component);
        }
        for &(flow, ends) in &file.endpoints {
            model.elements[flow.0 as usize].endpoints = Some(ends);
        }
    }
    let pending = std::mem::take(&mut merged.files);
    for (file, pending) in resolved.into_iter().zip(pending) {
        let Pending {
            value_diagnostics, ..
        } = pending;
        merged.diagnostics.extend(in_written_order(
            value_diagnostics,
            file.value_diagnostics,
        ));
        model.references.extend(file.value_references);
        for (element, name, attr) in file.attrs {
            model.elements[element.0 as usize].attrs.insert(name, attr);
        }
        merged.failed.extend(file.failed);
    }
    // Room was kept for every attribute written; give back what unknown or wrong ones left.
    for element in &mut model.elements {
        element.attrs.shrink_to_fit();
    }
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

impl Attr {
    /// An attribute as written on its element.
    fn written(value: Value, file: FileId, attribute: &syntax::Attribute) -> Attr {
        Attr {
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
        }
    }
}
