//! Joining the files lowered in pass one into one model, in file order: element ids become
//! model-wide, every element is declared in the model's scopes, and what pass two must still
//! resolve is kept per file.
//!
//! Files are lowered independently, so pass one cannot see that a top-level id was already
//! declared by an earlier file. The merge checks that; a file that declares such an id again is
//! parsed and lowered a second time, knowing the ids it clashes with, so that it reports them and
//! leaves out their items exactly as lowering the files one after the other would. That happens
//! only for models with this error, so the second parse costs nothing in the common case.

use std::ops::Range;

use foldhash::HashSet;
use smol_str::SmolStr;

use super::super::resolve::{Scopes, TextHasher};
use super::super::{ElemId, Model, QidIndex};
use super::file::{self, DeferredAttr, DeferredType, FilePart, FirstDeclaration, Sequenced, Taken};
use crate::diagnostics::{Diagnostic, FileId, SourceMap};

/// Attributes whose value was reported as wrong, so consequences are not reported again.
pub(super) type Failed = HashSet<(ElemId, &'static str)>;

/// The model with every element declared, before pass two.
pub(super) struct Merged {
    pub model: Model,
    pub scopes: Scopes,
    /// Pass one's errors, file after file.
    pub diagnostics: Vec<Diagnostic>,
    pub failed: Failed,
    pub files: Vec<Pending>,
}

/// What pass two still has to do in one file, with model-wide element ids.
pub(super) struct Pending {
    pub file: FileId,
    /// The file's elements, model-wide.
    pub elements: Range<usize>,
    pub types: Vec<DeferredType>,
    pub attrs: Vec<DeferredAttr>,
    /// Errors about the values pass one converted, to interleave with pass two's.
    pub value_diagnostics: Vec<Sequenced>,
}

pub(super) fn merge(sources: SourceMap, parts: Vec<FilePart>, hasher: &TextHasher) -> Merged {
    let elements: usize = parts.iter().map(|p| p.elements.len()).sum();
    let mut merged = Merged {
        model: Model {
            sources,
            ..Model::default()
        },
        scopes: Scopes::with_capacity(elements, hasher.clone()),
        diagnostics: Vec::new(),
        failed: Failed::default(),
        files: Vec::with_capacity(parts.len()),
    };
    // Reserved at once: a vector grown by doubling would hold the old and the new buffer side
    // by side at the peak.
    merged.model.elements.reserve_exact(elements);
    merged.model.by_qid = QidIndex::with_capacity(elements, hasher.clone());
    for part in parts {
        let taken = merged.clashes(&part);
        let part = if taken.is_empty() {
            part
        } else {
            let text = merged.model.sources.get(part.file).text.clone();
            file::lower(
                part.file,
                &text,
                crate::syntax::parse(&text),
                &taken,
                hasher,
            )
        };
        merged.add(part);
    }
    merged
}

impl Merged {
    /// The top-level ids of `part` that earlier files declared, with their first declaration.
    fn clashes(&self, part: &FilePart) -> Taken {
        part.elements
            .iter()
            .filter(|e| e.parent.is_none())
            .filter_map(|e| {
                let first = self.model.element(self.scopes.root(&e.id)?);
                let declaration = FirstDeclaration {
                    name_at: first.name_at,
                    kind: first.kind,
                };
                Some((SmolStr::new(&e.id), declaration))
            })
            .collect()
    }

    /// Appends a file's elements, numbered after those of the files before it.
    fn add(&mut self, part: FilePart) {
        let offset = self.model.elements.len() as u32;
        let shift = |id: ElemId| ElemId(id.0 + offset);
        for (mut element, hashes) in part.elements.into_iter().zip(part.hashes) {
            let id = ElemId(self.model.elements.len() as u32);
            element.parent = element.parent.map(shift);
            let declared = self
                .scopes
                .declare(element.parent, &element.id, hashes.id, id);
            debug_assert!(declared.is_ok(), "pass one reports ids declared twice");
            self.model.elements.push(element);
            let Model {
                elements, by_qid, ..
            } = &mut self.model;
            by_qid.insert(hashes.qid, id, elements);
        }
        self.diagnostics.extend(part.diagnostics);
        self.model
            .suppressions
            .extend(part.suppressions.into_iter().map(|mut s| {
                s.element = s.element.map(shift);
                s
            }));
        self.failed
            .extend(part.failed.into_iter().map(|(e, name)| (shift(e), name)));
        let (mut types, mut attrs) = (part.deferred_types, part.deferred);
        for deferred in &mut types {
            deferred.element = shift(deferred.element);
        }
        for deferred in &mut attrs {
            deferred.element = shift(deferred.element);
        }
        self.files.push(Pending {
            file: part.file,
            elements: offset as usize..self.model.elements.len(),
            types,
            attrs,
            value_diagnostics: part.value_diagnostics,
        });
    }
}
