//! Lowering: syntax trees to the typed, resolved [`Model`].
//!
//! Files are lowered on all cores, each on its own, then joined in file order:
//!
//! 1. [`file`] (pass one, in parallel): each file's items become elements, keywords and
//!    attribute names are checked, and every value that names no element is converted. Each
//!    file's syntax tree is dropped as soon as it is lowered. The check runs this pass inside
//!    the loader's parallel step, on each file as soon as it is parsed
//!    ([`Lowering::file`] through [`super::workspace::load_with`]); [`build`] runs it over trees
//!    already parsed.
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

use super::resolve::TextHasher;
use super::value::Value;
use super::{Attr, Location, Model};
use crate::diagnostics::{Diagnostic, FileId, SourceMap};
use crate::syntax::{self, SyntaxFile};
use convert::Names;
use file::{FilePart, Taken};
use merge::{Failed, Merged};
use references::Resolved;
use structure::Structure;

/// Builds the model from parsed files, taking their trees (they are freed as they are lowered).
/// Returns the model (as complete as the errors allow) and the model errors.
pub fn build(sources: SourceMap, files: Vec<(FileId, SyntaxFile)>) -> (Model, Vec<Diagnostic>) {
    let lowering = Lowering::default();
    let parts: Vec<(FileId, LoweredFile)> = files
        .into_par_iter()
        .map(|(file, tree)| {
            let text = &sources.get(file).text;
            (file, lowering.file(file, text, tree))
        })
        .collect();
    lowering.finish(sources, parts)
}

/// One model's lowering in two steps: [`Lowering::file`] lowers each file on its own (pass
/// one), on any thread and in any order, as soon as the file is parsed; [`Lowering::finish`]
/// joins the files and does the rest. The two steps share the hasher of the model's tables,
/// since pass one hashes each element's ids for them.
#[derive(Default)]
pub struct Lowering {
    hasher: TextHasher,
    /// No top-level id is taken when a file is first lowered (see [`merge`]).
    none_taken: Taken,
}

/// A file after pass one, waiting for [`Lowering::finish`].
pub struct LoweredFile(FilePart);

impl Lowering {
    /// Lowers one file's tree, freeing it as it goes. `text` is the file's text in the source
    /// map that [`Lowering::finish`] receives, under id `file`.
    pub fn file(&self, file: FileId, text: &str, tree: SyntaxFile) -> LoweredFile {
        LoweredFile(file::lower(
            file,
            text,
            tree,
            &self.none_taken,
            &self.hasher,
        ))
    }

    /// Joins the lowered files, given in the order of their ids, into the model. Returns the
    /// model (as complete as the errors allow) and the model errors.
    pub fn finish(
        self,
        sources: SourceMap,
        files: Vec<(FileId, LoweredFile)>,
    ) -> (Model, Vec<Diagnostic>) {
        let parts: Vec<FilePart> = files
            .into_iter()
            .map(|(file, LoweredFile(part))| {
                debug_assert_eq!(file, part.file, "a lowered file stays with its id");
                part
            })
            .collect();
        let hasher = self.hasher;
        let Merged {
            mut model,
            scopes,
            mut diagnostics,
            mut failed,
            files,
        } = merge::merge(sources, parts, &hasher);
        let names = Names {
            elements: &model.elements,
            scopes: &scopes,
        };
        let mut resolved: Vec<Resolved> = files
            .into_par_iter()
            .map(|pending| references::resolve(names, pending))
            .collect();
        references::write_into(&mut model.elements, &mut resolved);
        report_in_file_order(&mut model, &mut diagnostics, &mut failed, resolved);
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
}

/// Appends what pass two found in the order lowering the files in turn gives: first every
/// file's type clauses, then every file's attribute values.
fn report_in_file_order(
    model: &mut Model,
    diagnostics: &mut Vec<Diagnostic>,
    failed: &mut Failed,
    mut resolved: Vec<Resolved>,
) {
    // Reserved exactly: the references are the model's largest list after its elements.
    let references: usize = resolved
        .iter()
        .map(|f| f.type_references.len() + f.value_references.len())
        .sum();
    model.references.reserve_exact(references);
    for file in &mut resolved {
        diagnostics.append(&mut file.type_diagnostics);
        model.references.append(&mut file.type_references);
        // A component's graph node is made when its product resolves: nodes are numbered in
        // this order, as they always were.
        for &(component, _) in &file.products {
            model.graph.node(component);
        }
    }
    for file in resolved {
        diagnostics.extend(file.value_diagnostics);
        model.references.extend(file.value_references);
        failed.extend(file.failed);
    }
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

/// Adds an error at `span` of `file` to `diagnostics` and hands it back for notes and help:
/// the one way every lowering pass reports a problem.
fn push_error<'a>(
    diagnostics: &'a mut Vec<Diagnostic>,
    code: &str,
    message: impl Into<String>,
    file: FileId,
    span: syntax::Span,
    label: impl Into<String>,
) -> &'a mut Diagnostic {
    diagnostics.push(Diagnostic::error(
        code,
        message,
        crate::diagnostics::Label::new(file, span, label),
    ));
    diagnostics.last_mut().expect("just pushed")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ElemId;

    fn build_files(files: &[(&str, &str)]) -> (Model, Vec<Diagnostic>) {
        let mut sources = SourceMap::default();
        let trees = files
            .iter()
            .map(|(name, text)| (sources.add(*name, *text), syntax::parse(text)))
            .collect();
        build(sources, trees)
    }

    #[test]
    fn a_top_level_id_declared_again_in_a_later_file_is_left_out_with_its_items() {
        let (model, errors) = build_files(&[
            (
                "a.iacs",
                "organization o { }\nsite s { zone z { kind = control } }\n",
            ),
            (
                "b.iacs",
                "site s { zone y { kind = nonsense } }\nzone w { kind = control }\n",
            ),
        ]);
        let codes: Vec<&str> = errors.iter().map(|d| d.code.as_str()).collect();
        // The second `s` is reported, pointing at the first; nothing inside it is lowered, so
        // its wrong `kind` is not reported either.
        assert_eq!(codes, ["duplicate-id"]);
        assert_eq!(errors[0].primary.file, FileId(1));
        assert_eq!(errors[0].secondary[0].file, FileId(0));
        let qids: Vec<&str> = model.elements.iter().map(|e| e.qid.as_str()).collect();
        assert_eq!(qids, ["o", "s", "s.z", "w"]);
        assert_eq!(model.lookup("w"), Some(ElemId(3)));
        assert_eq!(model.lookup("s.y"), None);
        assert_eq!(model.element(ElemId(2)).parent, Some(ElemId(1)));
    }

    #[test]
    fn value_errors_come_in_the_order_the_attributes_are_written() {
        // `kind` and `trust` are converted in pass one, `owner` (a reference) in pass two.
        let (_, errors) = build_files(&[(
            "m.iacs",
            "zone z { kind = bogus owner = nobody trust = wrong }\n\
             zone y { owner = nobody2 kind = bogus2 }\n",
        )]);
        let messages: Vec<&str> = errors.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 5, "{messages:?}");
        assert!(messages[0].contains("`bogus`"), "{messages:?}");
        assert!(messages[1].contains("`nobody`"), "{messages:?}");
        assert!(messages[2].contains("`wrong`"), "{messages:?}");
        assert!(messages[3].contains("`nobody2`"), "{messages:?}");
        assert!(messages[4].contains("`bogus2`"), "{messages:?}");
    }

    #[test]
    fn components_read_their_products_attributes_marked_inherited() {
        let (model, errors) = build_files(&[(
            "m.iacs",
            "product p : host-device { vendor = \"V\" model = \"M\" }\n\
             zone z {\n  kind = control\n  component c : p { model = \"Own\" }\n}\n",
        )]);
        assert!(errors.is_empty(), "{errors:?}");
        let c = model.element(model.lookup("z.c").expect("declared"));
        assert_eq!(c.component_kind, Some("host-device"));
        let attrs: Vec<(&str, bool)> = c.attrs.iter().map(|(n, a)| (*n, a.inherited)).collect();
        assert_eq!(attrs, [("model", false), ("vendor", true)]);
        assert_eq!(c.value("model"), Some(&Value::Str("Own".into())));
    }
}
