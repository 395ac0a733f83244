//! Syntax: `.iacs` text to a tree of items, attributes and values, plus the syntax errors.
//!
//! Parsing never fails: a file always yields a [`SyntaxFile`], and a broken top-level item
//! becomes an entry in [`SyntaxFile::errors`] while the other items still parse. The layer knows
//! nothing of the vocabulary, the model or the language server.

mod ast;
mod chunk;
mod cursor;
mod dump;
mod errors;
mod fast;
mod parse;

pub use ast::*;
pub use chunk::{Comment, MAX_NESTING};
pub(crate) use cursor::{Cursor, reads_with_cursor};
pub use dump::dump;
pub(crate) use fast::is_letter;
pub use parse::{parse, parse_reference};

/// A byte range in one file. Kept small and `Copy`; converted to editor positions at the edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord, serde::Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    pub fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset <= self.end
    }
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(s: Span) -> Self {
        (s.start, s.len()).into()
    }
}

/// A syntax error: where, what went wrong in words a user knows, and an optional note label.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub code: &'static str,
    pub message: String,
    pub span: Span,
    pub label: String,
    pub help: Option<String>,
    /// A second place worth showing (for an unclosed brace: where it was opened).
    pub related: Option<(Span, String)>,
}
