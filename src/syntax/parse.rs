//! pest pairs to our own tree. Nothing above this module sees pest.

use pest::Parser;
use pest::iterators::Pair;
use smol_str::SmolStr;

use super::Span;
use super::ast::*;
use super::chunk::{Chunk, scan};
use super::errors;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/model.pest"]
pub(super) struct ModelParser;

/// Parses one file. Never fails: errors are collected in [`SyntaxFile::errors`].
pub fn parse(text: &str) -> SyntaxFile {
    parse_chunks(text, true)
}

/// Parses with the pest grammar alone, without the hand-written fast path: the reference the
/// differential tests and the fuzzer compare [`parse`] with.
#[doc(hidden)]
pub fn parse_reference(text: &str) -> SyntaxFile {
    parse_chunks(text, false)
}

/// Stack pest needs for a chunk nested [`super::MAX_NESTING`] deep, with room to spare.
const PEST_RED_ZONE: usize = 1024 * 1024;
const PEST_STACK: usize = 8 * 1024 * 1024;

fn parse_chunks(text: &str, fast_path: bool) -> SyntaxFile {
    let scan = scan(text);
    let mut file = SyntaxFile {
        comments: scan.comments,
        ..SyntaxFile::default()
    };
    for Chunk { span, error } in scan.chunks {
        if let Some(error) = error {
            file.errors.push(error);
            file.broken.push(span);
            continue;
        }
        let source = &text[span.start..span.end];
        if fast_path && let Some(items) = super::fast::parse_chunk(source, span.start) {
            file.items.extend(items);
            continue;
        }
        // pest recurses once per rule, several rules per nesting level: on a small stack (a
        // worker thread, a debug build) it gets a fresh one rather than stopping early.
        let parsed = stacker::maybe_grow(PEST_RED_ZONE, PEST_STACK, || {
            ModelParser::parse(Rule::chunk, source)
        });
        match parsed {
            Ok(mut pairs) => {
                let chunk = pairs.next().expect("the chunk rule always yields one pair");
                let lower = Lower { base: span.start };
                for pair in chunk.into_inner() {
                    if pair.as_rule() == Rule::item {
                        file.items.push(lower.item(pair));
                    }
                }
            }
            Err(err) => {
                file.errors.push(errors::syntax_error(&err, text, span));
                file.broken.push(span);
            }
        }
    }
    file
}

/// Converts pairs to tree nodes, shifting chunk-relative offsets to file offsets.
struct Lower {
    base: usize,
}

impl Lower {
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.base + s.start(), self.base + s.end())
    }

    fn ident(&self, pair: Pair<Rule>) -> Ident {
        Ident {
            text: SmolStr::new(pair.as_str()),
            span: self.span(&pair),
        }
    }

    fn item(&self, pair: Pair<Rule>) -> Item {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let mut head = inner
            .next()
            .expect("an item starts with its head")
            .into_inner();
        let keyword = self.ident(head.next().expect("a head starts with its keyword"));
        let name = head.next().map(|n| self.ident(n));
        let mut item = Item {
            keyword,
            name,
            type_clause: None,
            title: None,
            body: None,
            span,
        };
        for part in inner {
            match part.as_rule() {
                Rule::type_clause => item.type_clause = Some(self.type_clause(part)),
                Rule::title => item.title = Some(self.string(part)),
                Rule::block => item.body = Some(self.block(part)),
                other => unreachable!("unexpected {other:?} in an item header"),
            }
        }
        // pest's span of an item without a block runs on over the whitespace and comments it
        // skipped looking for one; end the item where its last part ends.
        if item.body.is_none() {
            let last = [
                Some(item.keyword.span.end),
                item.name.as_ref().map(|n| n.span.end),
                item.type_clause.as_ref().map(|t| t.span().end),
                item.title.as_ref().map(|t| t.span.end),
            ];
            item.span.end = last.into_iter().flatten().max().unwrap_or(item.span.end);
        }
        item
    }

    fn type_clause(&self, pair: Pair<Rule>) -> TypeClause {
        let inner = pair
            .into_inner()
            .next()
            .expect("a type clause holds a type or endpoints");
        match inner.as_rule() {
            Rule::endpoints => {
                let (from, arrow, to) = self.arrowed(inner);
                TypeClause::Endpoints { from, arrow, to }
            }
            _ => TypeClause::Type(self.path(inner)),
        }
    }

    fn arrowed(&self, pair: Pair<Rule>) -> (Path, Arrow, Path) {
        let mut parts = pair.into_inner();
        let from = self.path(parts.next().expect("left side"));
        let arrow = match parts.next().expect("arrow").as_str() {
            "<->" => Arrow::Both,
            _ => Arrow::Forward,
        };
        let to = self.path(parts.next().expect("right side"));
        (from, arrow, to)
    }

    fn path(&self, pair: Pair<Rule>) -> Path {
        let span = self.span(&pair);
        let segments = pair.into_inner().map(|p| self.ident(p)).collect();
        Path { segments, span }
    }

    fn string(&self, pair: Pair<Rule>) -> StrLit {
        let span = self.span(&pair);
        // title and string_v wrap `string`, which wraps `string_inner`.
        let mut raw = "";
        for p in pair.into_inner().flatten() {
            if p.as_rule() == Rule::string_inner {
                raw = p.as_str();
            }
        }
        StrLit {
            value: unescape(raw),
            span,
        }
    }

    fn block(&self, pair: Pair<Rule>) -> Block {
        let span = self.span(&pair);
        let entries = pair
            .into_inner()
            .map(|p| match p.as_rule() {
                Rule::attribute => Entry::Attribute(self.attribute(p)),
                _ => Entry::Item(Box::new(self.item(p))),
            })
            .collect();
        Block { entries, span }
    }

    fn attribute(&self, pair: Pair<Rule>) -> Attribute {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let name = self.ident(inner.next().expect("attribute name"));
        let value = self.value(inner.next().expect("attribute value"));
        Attribute { name, value, span }
    }

    fn value(&self, pair: Pair<Rule>) -> Value {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::list => ValueKind::List(pair.into_inner().map(|p| self.value(p)).collect()),
            Rule::map => ValueKind::Map(
                pair.into_inner()
                    .map(|entry| {
                        let mut kv = entry.into_inner();
                        let key = self.path(kv.next().expect("map key"));
                        let value = self.value(kv.next().expect("map value"));
                        (key, value)
                    })
                    .collect(),
            ),
            Rule::date => ValueKind::Date(SmolStr::new(pair.as_str())),
            Rule::number => ValueKind::Number(SmolStr::new(pair.as_str())),
            Rule::string_v => ValueKind::Str(self.string(pair).value),
            Rule::direction => {
                let (from, arrow, to) = self.arrowed(pair);
                ValueKind::Direction { from, arrow, to }
            }
            Rule::service => {
                let mut parts = pair.into_inner();
                let protocol = self.ident(parts.next().expect("service protocol"));
                let port = SmolStr::new(parts.next().expect("service port").as_str());
                ValueKind::Service { protocol, port }
            }
            _ => ValueKind::Path(self.path(pair)),
        };
        Value { kind, span }
    }
}

pub(super) fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}
