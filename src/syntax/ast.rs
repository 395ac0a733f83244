//! The syntax tree. Every node carries its span; comments are kept beside the items in
//! [`SyntaxFile::comments`] so the formatter and the language server can put them back.

use smol_str::SmolStr;

use super::{Comment, Span, SyntaxError};

#[derive(Debug, Clone, Default)]
pub struct SyntaxFile {
    pub items: Vec<Item>,
    pub comments: Vec<Comment>,
    pub errors: Vec<SyntaxError>,
    /// Spans of top-level regions that failed to parse; their items are missing from `items`.
    pub broken: Vec<Span>,
}

/// An identifier. The text is a [`SmolStr`]: identifiers are short, so almost all of them sit
/// inline in the node instead of in a heap allocation of their own, which made allocation the
/// largest cost of parsing; cloning one is cheap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    pub text: SmolStr,
    pub span: Span,
}

/// `a.b.c`: a reference by (possibly qualified) id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    pub segments: Vec<Ident>,
    pub span: Span,
}

impl Path {
    pub fn text(&self) -> String {
        if let [one] = self.segments.as_slice() {
            return one.text.to_string();
        }
        let parts: Vec<&str> = self.segments.iter().map(|s| s.text.as_str()).collect();
        parts.join(".")
    }
    /// The single identifier, when the path has no dots.
    pub fn as_ident(&self) -> Option<&Ident> {
        match self.segments.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrow {
    /// `->`
    Forward,
    /// `<->`
    Both,
}

impl Arrow {
    pub fn as_str(self) -> &'static str {
        match self {
            Arrow::Forward => "->",
            Arrow::Both => "<->",
        }
    }
}

/// What follows `:` in an item header: a type (`embedded-device`, a product) or two endpoints.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeClause {
    Type(Path),
    Endpoints { from: Path, arrow: Arrow, to: Path },
}

impl TypeClause {
    pub fn span(&self) -> Span {
        match self {
            TypeClause::Type(p) => p.span,
            TypeClause::Endpoints { from, to, .. } => from.span.cover(to.span),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct StrLit {
    /// The string with its escapes resolved.
    pub value: String,
    /// The span including the quotes.
    pub span: Span,
}

/// `keyword [name] [: type] ["title"] [{ entries }]`
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub keyword: Ident,
    pub name: Option<Ident>,
    pub type_clause: Option<TypeClause>,
    pub title: Option<StrLit>,
    pub body: Option<Block>,
    pub span: Span,
}

impl Item {
    /// The span a diagnostic about the item as a whole should underline: its name, or keyword.
    pub fn focus(&self) -> Span {
        self.name.as_ref().map_or(self.keyword.span, |n| n.span)
    }
    pub fn header_span(&self) -> Span {
        let end = self.body.as_ref().map_or(self.span.end, |b| b.span.start);
        Span::new(self.span.start, end.max(self.span.start))
    }
    pub fn entries(&self) -> &[Entry] {
        self.body.as_ref().map_or(&[], |b| b.entries.as_slice())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub entries: Vec<Entry>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Attribute(Attribute),
    /// Boxed: an item is about twice the size of an attribute, and most entries are
    /// attributes; unboxed, every entry of every block paid for an item.
    Item(Box<Item>),
}

impl Entry {
    pub fn span(&self) -> Span {
        match self {
            Entry::Attribute(a) => a.span,
            Entry::Item(i) => i.span,
        }
    }
}

/// `name = value`
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub name: Ident,
    pub value: Value,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    List(Vec<Value>),
    Map(Vec<(Path, Value)>),
    /// `2027-06-30`, kept as written; the model checks the calendar.
    Date(SmolStr),
    /// `4840`, `3.5`, as written.
    Number(SmolStr),
    Str(String),
    Direction {
        from: Path,
        arrow: Arrow,
        to: Path,
    },
    /// `opc-ua:4840`
    Service {
        protocol: Ident,
        port: SmolStr,
    },
    /// A word or a reference: the vocabulary decides which.
    Path(Path),
}

impl ValueKind {
    /// How a user would name this kind of value in an error message.
    pub fn describe(&self) -> &'static str {
        match self {
            ValueKind::List(_) => "a list",
            ValueKind::Map(_) => "a map",
            ValueKind::Date(_) => "a date",
            ValueKind::Number(_) => "a number",
            ValueKind::Str(_) => "a string",
            ValueKind::Direction { .. } => "a direction",
            ValueKind::Service { .. } => "a service",
            ValueKind::Path(p) if p.segments.len() == 1 => "a word",
            ValueKind::Path(_) => "a qualified name",
        }
    }
}
