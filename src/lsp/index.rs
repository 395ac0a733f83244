//! The reverse index: from a place in a file to the element defined or referenced there.

use std::collections::HashMap;

use crate::diagnostics::FileId;
use crate::model::{ElemId, Model};
use crate::syntax::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occurrence {
    /// The element's name where it is declared.
    Definition(ElemId),
    /// One segment of a path that names the element.
    Reference(ElemId),
}

impl Occurrence {
    pub fn element(self) -> ElemId {
        match self {
            Occurrence::Definition(e) | Occurrence::Reference(e) => e,
        }
    }
}

#[derive(Default)]
pub struct SymbolIndex {
    /// Per file, sorted by start.
    by_file: HashMap<FileId, Vec<(Span, Occurrence)>>,
}

impl SymbolIndex {
    pub fn build(model: &Model) -> SymbolIndex {
        let mut by_file: HashMap<FileId, Vec<(Span, Occurrence)>> = HashMap::new();
        for id in model.ids() {
            let at = model.element(id).name_at;
            by_file
                .entry(at.file)
                .or_default()
                .push((at.span, Occurrence::Definition(id)));
        }
        for reference in &model.references {
            // The last segment names the target; each earlier one its enclosing element.
            let mut element = Some(reference.target);
            for span in reference.segments.iter().rev() {
                let Some(e) = element else { break };
                by_file
                    .entry(reference.file)
                    .or_default()
                    .push((*span, Occurrence::Reference(e)));
                element = model.element(e).parent;
            }
        }
        for entries in by_file.values_mut() {
            entries.sort_by_key(|(span, _)| (span.start, span.end));
        }
        SymbolIndex { by_file }
    }

    /// What is at `offset` (a cursor just after a name still counts as on it).
    pub fn at(&self, file: FileId, offset: usize) -> Option<(Span, Occurrence)> {
        let entries = self.by_file.get(&file)?;
        let after = entries.partition_point(|(span, _)| span.start <= offset);
        entries[..after]
            .iter()
            .rev()
            .take(4)
            .find(|(span, _)| span.contains(offset))
            .copied()
    }

    /// Every place that names `element`: its definition first, then its references.
    pub fn occurrences(&self, element: ElemId) -> Vec<(FileId, Span, Occurrence)> {
        let mut out: Vec<(FileId, Span, Occurrence)> = self
            .by_file
            .iter()
            .flat_map(|(file, entries)| {
                entries
                    .iter()
                    .filter(|(_, o)| o.element() == element)
                    .map(|(span, o)| (*file, *span, *o))
            })
            .collect();
        out.sort_by_key(|(file, span, o)| {
            (!matches!(o, Occurrence::Definition(_)), *file, span.start)
        });
        out
    }
}
