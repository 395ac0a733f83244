//! Name resolution: from a path as written to the element it means.
//!
//! A path is looked up from the innermost enclosing scope outwards; a plain name that no
//! enclosing scope knows falls back to a model-wide search, which must find exactly one element.
//!
//! Every distinct id is numbered once, on declaration; lookups then hash a small integer pair
//! instead of building a `(scope, String)` key for every step of every path. Ids are found by
//! a hash computed once, while their file is lowered.

use std::hash::BuildHasher;

use foldhash::HashMap;
use hashbrown::HashTable;
use smol_str::SmolStr;

use super::ElemId;
use crate::syntax::Path;

/// The number given to one distinct id.
type NameId = u32;

/// Paths of up to this many segments are resolved without allocating.
const INLINE_SEGMENTS: usize = 4;

#[derive(Debug, Default)]
pub(super) struct Scopes {
    /// Each distinct id once; its position is its number.
    names: Vec<SmolStr>,
    /// The numbers in `names`, found by the id's hash. Files hash their ids while they are
    /// lowered in parallel, so declaring an element here hashes no text.
    by_text: HashTable<NameId>,
    hasher: TextHasher,
    /// (enclosing scope, id) -> element. `None` is the root.
    children: HashMap<(Option<ElemId>, NameId), ElemId>,
    /// For each id's number, the first and last element with that id, anywhere; `next_named`
    /// links each element to the next one with the same id, in declaration order. (A vector
    /// per id cost an allocation per distinct id.)
    named: Vec<(ElemId, ElemId)>,
    next_named: Vec<Option<ElemId>>,
    /// The scope each element was declared in, by element.
    parent: Vec<Option<ElemId>>,
}

/// Hashes ids and qualified ids, the same way on every thread of one run.
pub(super) type TextHasher = foldhash::fast::RandomState;

pub(super) enum Resolution {
    Found(ElemId),
    NotFound,
    Ambiguous(Vec<ElemId>),
}

impl Scopes {
    /// Empty scopes with room for this many elements, hashing ids with `hasher`.
    pub fn with_capacity(elements: usize, hasher: TextHasher) -> Scopes {
        Scopes {
            names: Vec::new(),
            by_text: HashTable::with_capacity(elements),
            hasher,
            children: HashMap::with_capacity_and_hasher(elements, Default::default()),
            named: Vec::new(),
            next_named: Vec::with_capacity(elements),
            parent: Vec::with_capacity(elements),
        }
    }

    fn number(&self, id: &str, hash: u64) -> Option<NameId> {
        let names = &self.names;
        self.by_text
            .find(hash, |&n| names[n as usize] == id)
            .copied()
    }

    fn number_of(&self, id: &str) -> Option<NameId> {
        self.number(id, self.hasher.hash_one(id))
    }

    /// The element declared at the top level under this id.
    pub fn root(&self, id: &str) -> Option<ElemId> {
        let name = self.number_of(id)?;
        self.children.get(&(None, name)).copied()
    }

    /// Registers an element whose id hashes (with the scopes' hasher) to `hash`; returns the
    /// element already declared under that id in that scope, if any.
    pub fn declare(
        &mut self,
        scope: Option<ElemId>,
        id: &str,
        hash: u64,
        element: ElemId,
    ) -> Result<(), ElemId> {
        let name = match self.number(id, hash) {
            Some(name) => name,
            None => {
                let name = self.names.len() as NameId;
                self.names.push(SmolStr::new(id));
                let (names, hasher) = (&self.names, &self.hasher);
                self.by_text
                    .insert_unique(hash, name, |&n| hasher.hash_one(names[n as usize].as_str()));
                self.named.push((element, element));
                name
            }
        };
        if let Some(&existing) = self.children.get(&(scope, name)) {
            return Err(existing);
        }
        self.children.insert((scope, name), element);
        let index = element.0 as usize;
        if self.parent.len() <= index {
            self.parent.resize(index + 1, None);
            self.next_named.resize(index + 1, None);
        }
        self.parent[index] = scope;
        let (_, last) = &mut self.named[name as usize];
        if *last != element {
            self.next_named[last.0 as usize] = Some(element);
            *last = element;
        }
        Ok(())
    }

    /// Every element with this id's number, in declaration order.
    fn all_named(&self, name: NameId) -> impl Iterator<Item = ElemId> + '_ {
        let (first, _) = self.named[name as usize];
        std::iter::successors(Some(first), |e| self.next_named[e.0 as usize])
    }

    pub fn resolve(&self, path: &Path, from: Option<ElemId>) -> Resolution {
        // Paths are short: their numbers fit on the stack, sparing an allocation per reference.
        let mut inline = [0; INLINE_SEGMENTS];
        let mut spilled = Vec::new();
        let names = if path.segments.len() <= INLINE_SEGMENTS {
            &mut inline[..path.segments.len()]
        } else {
            spilled.resize(path.segments.len(), 0);
            &mut spilled[..]
        };
        for (slot, segment) in names.iter_mut().zip(&path.segments) {
            // A segment no element is called cannot be found in any scope.
            let Some(name) = self.number_of(segment.text.as_str()) else {
                return Resolution::NotFound;
            };
            *slot = name;
        }
        let names = &*names;
        let mut scope = from;
        loop {
            if let Some(found) = self.descend(scope, names) {
                return Resolution::Found(found);
            }
            match scope {
                Some(s) => scope = self.parent.get(s.0 as usize).copied().flatten(),
                None => break,
            }
        }
        let candidates: Vec<ElemId> = self
            .all_named(names[0])
            .filter_map(|start| self.descend_from(start, &names[1..]))
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
