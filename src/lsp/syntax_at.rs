//! What the syntax tree holds at an offset: the enclosing items and the node under the cursor.

use crate::model::vocabulary::{AttrSpec, ElementKind};
use crate::syntax::{Attribute, Entry, Item, StrLit, SyntaxFile, Value, ValueKind};

pub struct At<'a> {
    /// The items around the offset, outermost first.
    pub items: Vec<&'a Item>,
    pub node: Node<'a>,
}

pub enum Node<'a> {
    /// The keyword of the innermost item.
    Keyword(&'a Item),
    /// The title string of the innermost item.
    Title(&'a StrLit),
    /// An attribute's name.
    AttrName(&'a Attribute),
    /// Somewhere in an attribute's value: the innermost value there.
    Value(&'a Attribute, &'a Value),
    Other,
}

impl At<'_> {
    /// The kind of the innermost item that is an element.
    pub fn element_kind(&self) -> Option<ElementKind> {
        self.items
            .iter()
            .rev()
            .find_map(|i| ElementKind::from_keyword(&i.keyword.text))
    }
    /// The keyword of the innermost item (`custom`, `suppress`, or an element's).
    pub fn innermost_keyword(&self) -> Option<&str> {
        self.items.last().map(|i| i.keyword.text.as_str())
    }
    /// The vocabulary entry of an attribute written in the innermost item.
    pub fn attr_spec(&self, attr: &Attribute) -> Option<&'static AttrSpec> {
        let item = self.items.last()?;
        ElementKind::from_keyword(&item.keyword.text)?
            .spec()
            .attr(&attr.name.text)
    }
}

pub fn at(tree: &SyntaxFile, offset: usize) -> At<'_> {
    let mut items = Vec::new();
    let mut node = Node::Other;
    let mut level: Vec<&Item> = tree.items.iter().collect();
    'descend: while let Some(item) = level.into_iter().find(|i| i.span.contains(offset)) {
        items.push(item);
        if item.keyword.span.contains(offset) {
            node = Node::Keyword(item);
            break;
        }
        if let Some(title) = item.title.as_ref().filter(|t| t.span.contains(offset)) {
            node = Node::Title(title);
            break;
        }
        let mut next = Vec::new();
        for entry in item.entries() {
            match entry {
                Entry::Item(child) => next.push(&**child),
                Entry::Attribute(attr) if attr.span.contains(offset) => {
                    node = if attr.name.span.contains(offset) {
                        Node::AttrName(attr)
                    } else {
                        Node::Value(attr, innermost_value(&attr.value, offset))
                    };
                    break 'descend;
                }
                Entry::Attribute(_) => {}
            }
        }
        level = next;
    }
    At { items, node }
}

fn innermost_value(value: &Value, offset: usize) -> &Value {
    let inner = match &value.kind {
        ValueKind::List(items) => items.iter().find(|v| v.span.contains(offset)),
        ValueKind::Map(entries) => entries
            .iter()
            .map(|(_, v)| v)
            .find(|v| v.span.contains(offset)),
        _ => None,
    };
    inner.map_or(value, |v| innermost_value(v, offset))
}
