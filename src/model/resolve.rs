//! Name resolution: from a path as written to the element it means.
//!
//! A path is looked up from the innermost enclosing scope outwards; a plain name that no
//! enclosing scope knows falls back to a model-wide search, which must find exactly one element.

use std::collections::HashMap;

use super::ElemId;
use crate::syntax::Path;

#[derive(Debug, Default)]
pub(super) struct Scopes {
    /// (enclosing scope, id) -> element. `None` is the root.
    children: HashMap<(Option<ElemId>, String), ElemId>,
    /// id -> every element with that id, anywhere.
    by_id: HashMap<String, Vec<ElemId>>,
    /// The scope each element was declared in.
    parent: HashMap<ElemId, Option<ElemId>>,
}

pub(super) enum Resolution {
    Found(ElemId),
    NotFound,
    Ambiguous(Vec<ElemId>),
}

impl Scopes {
    /// Registers an element; returns the element already declared under that name, if any.
    pub fn declare(
        &mut self,
        scope: Option<ElemId>,
        id: &str,
        element: ElemId,
    ) -> Result<(), ElemId> {
        let key = (scope, id.to_string());
        if let Some(&existing) = self.children.get(&key) {
            return Err(existing);
        }
        self.children.insert(key, element);
        self.by_id.entry(id.to_string()).or_default().push(element);
        self.parent.insert(element, scope);
        Ok(())
    }

    pub fn resolve(&self, path: &Path, from: Option<ElemId>) -> Resolution {
        let names: Vec<&str> = path.segments.iter().map(|s| s.text.as_str()).collect();
        let mut scope = from;
        loop {
            if let Some(found) = self.descend(scope, &names) {
                return Resolution::Found(found);
            }
            match scope {
                Some(s) => scope = self.parent.get(&s).copied().flatten(),
                None => break,
            }
        }
        let candidates: Vec<ElemId> = self
            .by_id
            .get(names[0])
            .into_iter()
            .flatten()
            .filter_map(|&start| self.descend_from(start, &names[1..]))
            .collect();
        match candidates.as_slice() {
            [] => Resolution::NotFound,
            [one] => Resolution::Found(*one),
            _ => Resolution::Ambiguous(candidates),
        }
    }

    fn descend(&self, scope: Option<ElemId>, names: &[&str]) -> Option<ElemId> {
        let first = *self.children.get(&(scope, names[0].to_string()))?;
        self.descend_from(first, &names[1..])
    }

    fn descend_from(&self, start: ElemId, rest: &[&str]) -> Option<ElemId> {
        rest.iter().try_fold(start, |at, name| {
            self.children.get(&(Some(at), name.to_string())).copied()
        })
    }
}
