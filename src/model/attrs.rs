//! An element's attributes, kept as a vector sorted by name.
//!
//! Elements carry a handful of attributes each. In a `BTreeMap` every element paid for a node of
//! eleven slots (about 1.2 KB) however few it used, and a look-up walked ordered comparisons;
//! a vector of exactly the attributes set is a tenth of the memory, and a scan by equality over
//! a few names is as fast as a search. Iteration is in name order, as it was with the map.
//!
//! A component of a product points to its product's attributes instead of holding copies.

use std::sync::Arc;

use super::Attr;

#[derive(Debug, Clone, Default)]
pub struct Attrs {
    /// Set on the element itself, sorted by name.
    own: Vec<(&'static str, Attr)>,
    /// One bit per name in `own` ([`name_bit`]). A look-up whose bit is clear skips the scan:
    /// the scan reads one cache line per attribute, and most look-ups on a component miss its
    /// own attributes and find its product's (or nothing).
    own_names: u64,
    /// For a component of a product: the product's attributes, marked inherited. One copy is
    /// shared by all the product's components (copying them into each was a sixth of the
    /// model's memory); one the component sets itself hides the product's of the same name.
    inherited: Option<Arc<Attrs>>,
}

impl Attrs {
    /// No attributes yet, with room for `capacity` set on the element.
    pub(super) fn with_capacity(capacity: usize) -> Attrs {
        Attrs {
            own: Vec::with_capacity(capacity),
            own_names: 0,
            inherited: None,
        }
    }

    pub fn get(&self, name: &str) -> Option<&Attr> {
        if self.own_names & name_bit(name) != 0
            && let Some((_, attr)) = self.own.iter().find(|(n, _)| same_name(n, name))
        {
            return Some(attr);
        }
        self.inherited.as_ref().and_then(|i| i.get(name))
    }
    /// Asks the processor to load the first attributes set on the element into cache.
    pub fn prefetch(&self) {
        super::prefetch(self.own.as_ptr());
    }
    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
    /// Name and attribute, in name order.
    pub fn iter(&self) -> Iter<'_> {
        let inherited = self.inherited.as_ref().map_or(&[][..], |i| &i.own[..]);
        Iter {
            own: &self.own,
            inherited,
        }
    }
    pub fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.iter().map(|(n, _)| *n)
    }
    pub fn values(&self) -> impl Iterator<Item = &Attr> {
        self.iter().map(|(_, a)| a)
    }
    pub fn len(&self) -> usize {
        self.iter().count()
    }
    pub fn is_empty(&self) -> bool {
        self.own.is_empty() && self.inherited.as_ref().is_none_or(|i| i.is_empty())
    }

    /// Sets an attribute on the element, replacing one of the same name.
    pub fn insert(&mut self, name: &'static str, attr: Attr) {
        self.own_names |= name_bit(name);
        match self.own.binary_search_by(|(n, _)| (*n).cmp(name)) {
            Ok(at) => self.own[at].1 = attr,
            Err(at) => self.own.insert(at, (name, attr)),
        }
    }

    /// These attributes, all marked inherited: what a product hands its components.
    pub(super) fn as_inherited(&self) -> Attrs {
        let own: Vec<_> = self
            .iter()
            .map(|(name, attr)| {
                let attr = Attr {
                    inherited: true,
                    ..attr.clone()
                };
                (*name, attr)
            })
            .collect();
        Attrs {
            own_names: names_mask(&own),
            own,
            inherited: None,
        }
    }

    /// Takes every attribute of `inherited` that is not set here (see [`Attrs::as_inherited`]).
    pub(super) fn inherit(&mut self, inherited: Arc<Attrs>) {
        self.inherited = Some(inherited);
    }

    /// Gives back the room left over from insertion.
    pub(super) fn shrink_to_fit(&mut self) {
        self.own.shrink_to_fit();
    }
}

/// The bit of `name` in [`Attrs::own_names`], from its length and three of its bytes: cheap,
/// and it spreads the vocabulary's attribute names over the 64 bits with few sharing one.
fn name_bit(name: &str) -> u64 {
    let bytes = name.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return 1;
    };
    let middle = bytes[bytes.len() / 2];
    let mixed =
        bytes.len() * 7 + usize::from(first) * 3 + usize::from(last) * 5 + usize::from(middle);
    1 << (mixed % 64)
}

fn names_mask(attrs: &[(&'static str, Attr)]) -> u64 {
    attrs
        .iter()
        .fold(0, |mask, (name, _)| mask | name_bit(name))
}

/// `stored == asked`, cheaper for the usual case: the names stored are the vocabulary's own
/// strings, and the policies ask with the same strings, so a pointer comparison settles a hit;
/// a different first byte settles most misses without calling `memcmp`.
fn same_name(stored: &str, asked: &str) -> bool {
    stored.len() == asked.len()
        && (std::ptr::eq(stored.as_ptr(), asked.as_ptr())
            || (stored.as_bytes().first() == asked.as_bytes().first() && stored == asked))
}

/// Equal when they hold the same attributes, whether set or shared.
impl PartialEq for Attrs {
    fn eq(&self, other: &Attrs) -> bool {
        self.iter().eq(other.iter())
    }
}

/// The attributes of an element in name order: its own and its product's, merged.
pub struct Iter<'a> {
    own: &'a [(&'static str, Attr)],
    inherited: &'a [(&'static str, Attr)],
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a &'static str, &'a Attr);

    fn next(&mut self) -> Option<Self::Item> {
        let next = match (self.own.split_first(), self.inherited.split_first()) {
            (None, None) => return None,
            (Some((own, rest)), None) => {
                self.own = rest;
                own
            }
            (None, Some((inherited, rest))) => {
                self.inherited = rest;
                inherited
            }
            (Some((own, own_rest)), Some((inherited, inherited_rest))) => {
                if inherited.0 < own.0 {
                    self.inherited = inherited_rest;
                    inherited
                } else {
                    if inherited.0 == own.0 {
                        // Set on the component itself: the product's value is hidden.
                        self.inherited = inherited_rest;
                    }
                    self.own = own_rest;
                    own
                }
            }
        };
        Some((&next.0, &next.1))
    }
}

impl<'a> IntoIterator for &'a Attrs {
    type Item = (&'a &'static str, &'a Attr);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::FileId;
    use crate::model::{Location, Value};
    use crate::syntax::Span;

    fn attr(n: i64) -> Attr {
        let at = Location {
            file: FileId(0),
            span: Span::new(0, 0),
        };
        Attr {
            value: Value::Int(n),
            at,
            value_at: at,
            inherited: false,
        }
    }

    #[test]
    fn keeps_names_sorted_and_replaces() {
        let mut attrs = Attrs::default();
        attrs.insert("zone", attr(1));
        attrs.insert("kind", attr(2));
        attrs.insert("owner", attr(3));
        attrs.insert("kind", attr(4));
        assert_eq!(attrs.keys().collect::<Vec<_>>(), ["kind", "owner", "zone"]);
        assert_eq!(attrs.get("kind").map(|a| &a.value), Some(&Value::Int(4)));
        assert!(attrs.get("level").is_none());
    }

    #[test]
    fn inherits_only_what_is_missing() {
        let mut own = Attrs::default();
        own.insert("model", attr(1));
        let mut product = Attrs::default();
        product.insert("model", attr(10));
        product.insert("vendor", attr(11));
        product.insert("functions", attr(12));
        let mut merged = own;
        merged.inherit(Arc::new(product.as_inherited()));
        let seen: Vec<(&str, i64, bool)> = merged
            .iter()
            .map(|(n, a)| {
                let Value::Int(v) = a.value else {
                    unreachable!()
                };
                (*n, v, a.inherited)
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("functions", 12, true),
                ("model", 1, false),
                ("vendor", 11, true)
            ]
        );
        assert_eq!(merged.len(), 3);
        assert_eq!(merged.get("vendor").map(|a| a.inherited), Some(true));
        assert_eq!(merged.get("model").map(|a| &a.value), Some(&Value::Int(1)));
    }

    #[test]
    fn finds_exactly_the_names_set_whatever_bits_they_share() {
        // Every other attribute of each item kind is set; all are asked for with copies of
        // their names, so neither the pointer test nor the name bits can be what answers.
        for spec in crate::model::vocabulary::ITEMS {
            let mut attrs = Attrs::default();
            for (i, a) in spec.attrs.iter().enumerate().filter(|(i, _)| i % 2 == 0) {
                attrs.insert(a.name, attr(i as i64));
            }
            for (i, a) in spec.attrs.iter().enumerate() {
                let asked = a.name.to_string();
                let found = attrs.get(&asked).map(|a| a.value.clone());
                let expected = (i % 2 == 0).then_some(Value::Int(i as i64));
                assert_eq!(found, expected, "`{asked}` of {:?}", spec.kind);
            }
        }
    }
}
