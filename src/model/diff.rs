//! What changed between two builds of a model, as far as a policy can tell: whether its
//! structure changed, and otherwise the names of the attributes that changed on some element.
//! Locations are compared through a test the caller gives (`same_place`): after an edit, an
//! element can keep its text but sit elsewhere, as when a duplicated line leaves an unclosed
//! copy of an item above the one that now defines the element.
//!
//! Structure is everything that decides element ids and the graph: the elements in order with
//! their kind, ids, nesting, product and flow endpoints, and every attribute whose value names
//! other elements (`zones`, `via`, `scope`, `serves`, `permissions`...). When it is the same,
//! element ids mean the same in both builds, so results computed on one can stand for the
//! other wherever they read nothing that changed.

use std::collections::BTreeSet;

use super::{Attr, Element, Location, Model, Value};
use crate::policy::reads::{DOC, TITLE};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelChange {
    /// Elements, nesting or references changed: nothing computed before can be reused.
    Structure,
    /// Only these attributes changed (on some elements); empty when nothing did.
    Attributes(BTreeSet<String>),
}

/// Compares two builds of a model. `same_place(old, new)` says whether a location of the
/// first build is the same place as the corresponding one of the second; any element or
/// attribute that fails it makes the change structural.
pub fn compare(
    before: &Model,
    after: &Model,
    same_place: impl Fn(Location, Location) -> bool,
) -> ModelChange {
    if before.elements.len() != after.elements.len() || before.sources.len() != after.sources.len()
    {
        return ModelChange::Structure;
    }
    let mut changed = BTreeSet::new();
    for (a, b) in before.elements.iter().zip(&after.elements) {
        if !same_structure(a, b) || !same_places(a, b, &same_place) {
            return ModelChange::Structure;
        }
        if a.title != b.title {
            changed.insert(TITLE.to_string());
        }
        if a.doc != b.doc {
            changed.insert(DOC.to_string());
        }
        let own = a.attrs.iter().map(|(n, attr)| (*n, attr));
        let theirs = b.attrs.iter().map(|(n, attr)| (*n, attr));
        if !compare_attrs(own, theirs, &mut changed) {
            return ModelChange::Structure;
        }
        let own = a.custom.iter().map(|(n, attr)| (n.as_str(), attr));
        let theirs = b.custom.iter().map(|(n, attr)| (n.as_str(), attr));
        if !compare_attrs(own, theirs, &mut changed) {
            return ModelChange::Structure;
        }
    }
    ModelChange::Attributes(changed)
}

fn same_structure(a: &Element, b: &Element) -> bool {
    let endpoints = |e: &Element| e.endpoints.map(|x| (x.source, x.destination, x.both_ways));
    a.kind == b.kind
        && a.id == b.id
        && a.qid == b.qid
        && a.parent == b.parent
        && a.component_kind == b.component_kind
        && a.product == b.product
        && endpoints(a) == endpoints(b)
}

/// Whether an element and its attributes sit at the same places in both builds. Attributes
/// set on one side only are compared by [`compare_attrs`] instead.
fn same_places(a: &Element, b: &Element, same_place: &impl Fn(Location, Location) -> bool) -> bool {
    let endpoints = |e: &Element| e.endpoints.map(|x| x.at);
    let places = |x: &Attr, y: &Attr| same_place(x.at, y.at) && same_place(x.value_at, y.value_at);
    same_place(a.at, b.at)
        && same_place(a.name_at, b.name_at)
        && match (endpoints(a), endpoints(b)) {
            (Some(x), Some(y)) => same_place(x, y),
            (x, y) => x.is_none() && y.is_none(),
        }
        && a.attrs
            .iter()
            .filter_map(|(name, x)| Some((x, b.attrs.get(name)?)))
            .all(|(x, y)| places(x, y))
        && a.custom
            .iter()
            .filter_map(|(name, x)| Some((x, b.custom.get(name)?)))
            .all(|(x, y)| places(x, y))
}

/// Walks two name-ordered attribute lists side by side, adding the name of every attribute
/// set on one side only or with another value. `false` when one of them names elements.
fn compare_attrs<'a>(
    mut before: impl Iterator<Item = (&'a str, &'a Attr)>,
    mut after: impl Iterator<Item = (&'a str, &'a Attr)>,
    changed: &mut BTreeSet<String>,
) -> bool {
    let (mut a, mut b) = (before.next(), after.next());
    loop {
        let differs = match (a, b) {
            (None, None) => return true,
            (Some((name, attr)), None) => {
                a = before.next();
                Some((name, attr, None))
            }
            (None, Some((name, attr))) => {
                b = after.next();
                Some((name, attr, None))
            }
            (Some((na, x)), Some((nb, y))) => match na.cmp(nb) {
                std::cmp::Ordering::Less => {
                    a = before.next();
                    Some((na, x, None))
                }
                std::cmp::Ordering::Greater => {
                    b = after.next();
                    Some((nb, y, None))
                }
                std::cmp::Ordering::Equal => {
                    a = before.next();
                    b = after.next();
                    (x.value != y.value || x.inherited != y.inherited).then_some((na, x, Some(y)))
                }
            },
        };
        if let Some((name, x, y)) = differs {
            if names_elements(&x.value) || y.is_some_and(|y| names_elements(&y.value)) {
                return false;
            }
            changed.insert(name.to_string());
        }
    }
}

/// Whether a value refers to elements (and so is part of the graph or of nesting).
fn names_elements(value: &Value) -> bool {
    match value {
        Value::Ref(_) | Value::Direction { .. } | Value::Permissions(_) => true,
        Value::List(items) => items.iter().any(names_elements),
        Value::Service { protocol, .. } => names_elements(protocol),
        Value::Bool(_)
        | Value::Int(_)
        | Value::Number(_)
        | Value::Str(_)
        | Value::Word(_)
        | Value::Date(_)
        | Value::Sl(_) => false,
    }
}
