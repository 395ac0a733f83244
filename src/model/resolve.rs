//! Name resolution: from a path as written to the element it means.
//!
//! A path is looked up from the innermost enclosing scope outwards; a plain name that no
//! enclosing scope knows falls back to a model-wide search, which must find exactly one element.
//!
//! Every distinct id is numbered once, on declaration; lookups then hash a small integer pair
//! instead of building a `(scope, String)` key for every step of every path.

use foldhash::HashMap;
use smol_str::SmolStr;

use super::ElemId;
use crate::syntax::Path;

/// The number given to one distinct id.
type NameId = u32;

#[derive(Debug, Default)]
pub(super) struct Scopes {
    /// id as written -> its number.
    names: HashMap<SmolStr, NameId>,
    /// (enclosing scope, id) -> element. `None` is the root.
    children: HashMap<(Option<ElemId>, NameId), ElemId>,
    /// For each id's number, every element with that id, anywhere.
    by_id: Vec<Vec<ElemId>>,
    /// The scope each element was declared in, by element.
    parent: Vec<Option<ElemId>>,
}

pub(super) enum Resolution {
    Found(ElemId),
    NotFound,
    Ambiguous(Vec<ElemId>),
}

impl Scopes {
    /// Empty scopes with room for this many elements.
    pub fn with_capacity(elements: usize) -> Scopes {
        Scopes {
            names: HashMap::with_capacity_and_hasher(elements, Default::default()),
            children: HashMap::with_capacity_and_hasher(elements, Default::default()),
            by_id: Vec::with_capacity(elements),
            parent: Vec::with_capacity(elements),
        }
    }

    /// The element declared at the top level under this id.
    pub fn root(&self, id: &str) -> Option<ElemId> {
        let name = *self.names.get(id)?;
        self.children.get(&(None, name)).copied()
    }

    /// Registers an element; returns the element already declared under that name, if any.
    pub fn declare(
        &mut self,
        scope: Option<ElemId>,
        id: &SmolStr,
        element: ElemId,
    ) -> Result<(), ElemId> {
        let name = match self.names.get(id.as_str()) {
            Some(&name) => name,
            None => {
                let name = self.by_id.len() as NameId;
                self.names.insert(id.clone(), name);
                self.by_id.push(Vec::new());
                name
            }
        };
        if let Some(&existing) = self.children.get(&(scope, name)) {
            return Err(existing);
        }
        self.children.insert((scope, name), element);
        self.by_id[name as usize].push(element);
        let index = element.0 as usize;
        if self.parent.len() <= index {
            self.parent.resize(index + 1, None);
        }
        self.parent[index] = scope;
        Ok(())
    }

    pub fn resolve(&self, path: &Path, from: Option<ElemId>) -> Resolution {
        // A segment no element is called cannot be found in any scope.
        let Some(names) = path
            .segments
            .iter()
            .map(|s| self.names.get(s.text.as_str()).copied())
            .collect::<Option<Vec<NameId>>>()
        else {
            return Resolution::NotFound;
        };
        let mut scope = from;
        loop {
            if let Some(found) = self.descend(scope, &names) {
                return Resolution::Found(found);
            }
            match scope {
                Some(s) => scope = self.parent.get(s.0 as usize).copied().flatten(),
                None => break,
            }
        }
        let candidates: Vec<ElemId> = self.by_id[names[0] as usize]
            .iter()
            .filter_map(|&start| self.descend_from(start, &names[1..]))
            .collect();
        match candidates.as_slice() {
            [] => Resolution::NotFound,
            [one] => Resolution::Found(*one),
            _ => Resolution::Ambiguous(candidates),
        }
    }

    fn descend(&self, scope: Option<ElemId>, names: &[NameId]) -> Option<ElemId> {
        let first = *self.children.get(&(scope, names[0]))?;
        self.descend_from(first, &names[1..])
    }

    fn descend_from(&self, start: ElemId, rest: &[NameId]) -> Option<ElemId> {
        rest.iter().try_fold(start, |at, name| {
            self.children.get(&(Some(at), *name)).copied()
        })
    }
}
