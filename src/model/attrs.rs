//! An element's attributes, kept as a vector sorted by name.
//!
//! Elements carry a handful of attributes each. In a `BTreeMap` every element paid for a node of
//! eleven slots (about 1.2 KB) however few it used, and a look-up walked ordered comparisons;
//! a vector of exactly the attributes set is a tenth of the memory, and a scan by equality over
//! a few names is as fast as a search. Iteration is in name order, as it was with the map.

use super::Attr;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Attrs(Vec<(&'static str, Attr)>);

impl Attrs {
    pub fn get(&self, name: &str) -> Option<&Attr> {
        self.0.iter().find(|(n, _)| *n == name).map(|(_, a)| a)
    }
    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
    /// Name and attribute, in name order.
    pub fn iter(
        &self,
    ) -> impl DoubleEndedIterator<Item = (&&'static str, &Attr)> + ExactSizeIterator {
        self.0.iter().map(|(n, a)| (n, a))
    }
    pub fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.iter().map(|(n, _)| *n)
    }
    pub fn values(&self) -> impl Iterator<Item = &Attr> {
        self.0.iter().map(|(_, a)| a)
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sets an attribute, replacing one of the same name.
    pub fn insert(&mut self, name: &'static str, attr: Attr) {
        match self.0.binary_search_by(|(n, _)| (*n).cmp(name)) {
            Ok(at) => self.0[at].1 = attr,
            Err(at) => self.0.insert(at, (name, attr)),
        }
    }

    /// These attributes, plus each of `defaults` not set here, marked inherited. The result holds
    /// exactly what it needs.
    pub(super) fn with_inherited(self, defaults: &Attrs) -> Attrs {
        let mut merged = Vec::with_capacity(self.0.len() + defaults.0.len());
        let mut own = self.0.into_iter().peekable();
        let mut inherited = defaults.0.iter().peekable();
        loop {
            let take_own = match (own.peek(), inherited.peek()) {
                (None, None) => break,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (Some((a, _)), Some((b, _))) => a <= b,
            };
            if take_own {
                let (name, attr) = own.next().expect("peeked");
                if inherited.peek().is_some_and(|(n, _)| *n == name) {
                    inherited.next();
                }
                merged.push((name, attr));
            } else {
                let (name, attr) = inherited.next().expect("peeked");
                merged.push((
                    name,
                    Attr {
                        inherited: true,
                        ..attr.clone()
                    },
                ));
            }
        }
        merged.shrink_to_fit();
        Attrs(merged)
    }

    /// Gives back the room left over from insertion.
    pub(super) fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }
}

impl<'a> IntoIterator for &'a Attrs {
    type Item = (&'a &'static str, &'a Attr);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (&'static str, Attr)>,
        fn(&'a (&'static str, Attr)) -> (&'a &'static str, &'a Attr),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(n, a)| (n, a))
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
        let merged = own.with_inherited(&product);
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
        assert_eq!(merged.0.capacity(), 3);
    }
}
