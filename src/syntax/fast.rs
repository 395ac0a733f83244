//! A hand-written parser for the grammar in `grammar/model.pest`, used before pest.
//!
//! pest stays the reference: it defines the language and words every syntax error. Profiling
//! showed it parsing generated models at 4 to 6 MB/s, most of the time spent in rule-call
//! bookkeeping, stack probes and backtracking over `value`'s alternatives. This parser reads a
//! chunk in one forward pass with the same ordered choices and builds the same tree. It answers
//! only for chunks it parses completely: on anything it does not accept it returns `None`, and
//! [`super::parse`] hands the chunk to pest, which then produces the tree or the error. So a
//! difference between the two could only ever show up as a tree pest would not build, and the
//! differential tests (`tests/syntax_fast.rs`, the `fast_parser` fuzz target) look for exactly
//! that.
//!
//! Every rule below names the grammar rule it mirrors.

use smol_str::SmolStr;

use super::Span;
use super::ast::*;
use super::cursor::Cursor;

/// Stack that must remain before descending one more level; below it, the rest of the parse
/// continues on a fresh heap-allocated stack of [`GROWN_STACK`] bytes. Nesting is capped at
/// [`super::MAX_NESTING`] before this parser runs, so this only matters on threads with small
/// stacks (and in debug builds, whose frames are large).
const RED_ZONE: usize = 64 * 1024;
const GROWN_STACK: usize = 1024 * 1024;

/// Parses one chunk (`chunk = { SOI ~ item* ~ EOI }`); `base` is the chunk's offset in its file.
pub(super) fn parse_chunk(source: &str, base: usize) -> Option<Vec<Item>> {
    let mut p = Parser {
        cursor: Cursor::new(source, base),
        entries: Vec::new(),
    };
    let mut items = Vec::new();
    p.skip();
    while p.pos < p.bytes.len() {
        items.push(p.item()?);
        p.skip();
    }
    Some(items)
}

struct Parser<'a> {
    cursor: Cursor<'a>,
    /// Entries of the blocks being read, innermost last. Each block's entries are pushed here
    /// and moved into a vector of exactly their number when it closes: growing each block's
    /// own vector by doubling and shrinking it after was a third of the parse time.
    entries: Vec<Entry>,
}

impl Parser<'_> {
    /// `ident = @{ (LETTER | "_") ~ ident_char* }`
    fn ident(&mut self) -> Option<Ident> {
        let start = self.pos;
        let first = self.char_at(start)?;
        if !(is_letter(first) || first == '_') {
            return None;
        }
        let mut at = start + first.len_utf8();
        // Most identifiers are ASCII: step over bytes until something needs a closer look.
        while let Some(&b) = self.bytes.get(at) {
            let word_byte = b.is_ascii_alphanumeric() || b == b'_';
            let joining_hyphen = b == b'-'
                && self
                    .bytes
                    .get(at + 1)
                    .is_some_and(|n| n.is_ascii_alphanumeric() || *n == b'_');
            if !(word_byte || joining_hyphen) {
                break;
            }
            at += 1;
        }
        while let Some(c) = self.char_at(at) {
            if is_letter(c) || is_number(c) || c == '_' {
                at += c.len_utf8();
            } else if c == '-'
                && self
                    .char_at(at + 1)
                    .is_some_and(|n| is_letter(n) || is_number(n) || n == '_')
            {
                at += 1;
            } else {
                break;
            }
        }
        self.pos = at;
        Some(Ident {
            text: SmolStr::new(&self.text[start..at]),
            span: self.span(start, at),
        })
    }

    /// `path = ${ ident ~ ("." ~ ident)* }`
    fn path(&mut self) -> Option<Path> {
        let start = self.pos;
        let mut segments = vec![self.ident()?];
        while self.peek() == Some(b'.') {
            let dot = self.pos;
            self.pos += 1;
            match self.ident() {
                Some(segment) => segments.push(segment),
                None => {
                    // `("." ~ ident)*` stops before a dot that no identifier follows.
                    self.pos = dot;
                    break;
                }
            }
        }
        Some(Path {
            segments,
            span: self.span(start, self.pos),
        })
    }

    /// `string = ${ "\"" ~ string_inner ~ "\"" }`: the unescaped value and the span with quotes.
    fn string(&mut self) -> Option<StrLit> {
        let start = self.pos;
        let (raw, _) = self.cursor.string_raw()?;
        Some(StrLit {
            value: super::parse::unescape(raw),
            span: self.span(start, self.pos),
        })
    }

    /// `arrow = @{ "<->" | "->" }`
    fn arrow(&mut self) -> Option<Arrow> {
        let rest = &self.bytes[self.pos..];
        if rest.starts_with(b"<->") {
            self.pos += 3;
            Some(Arrow::Both)
        } else if rest.starts_with(b"->") {
            self.pos += 2;
            Some(Arrow::Forward)
        } else {
            None
        }
    }

    /// `item = { head ~ type_clause? ~ title? ~ block? }`,
    /// `head = ${ keyword ~ (inline_space+ ~ name)? }`
    fn item(&mut self) -> Option<Item> {
        let start = self.pos;
        let keyword = self.ident()?;
        let mut item = Item {
            keyword,
            name: None,
            type_clause: None,
            title: None,
            body: None,
            span: Span::default(),
        };
        // The id follows on the same line, after spaces or tabs only.
        let after_keyword = self.pos;
        let spaces = self.bytes[after_keyword..]
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count();
        if spaces > 0 {
            self.pos += spaces;
            item.name = self.ident();
            if item.name.is_none() {
                self.pos = after_keyword;
            }
        }
        // Each optional part is preceded by the implicit skip, which stays consumed even when
        // the part is absent.
        self.skip();
        if self.peek() == Some(b':') {
            item.type_clause = Some(self.type_clause()?);
        }
        self.skip();
        if self.peek() == Some(b'"') {
            item.title = Some(self.string()?);
        }
        self.skip();
        if self.peek() == Some(b'{') {
            item.body = Some(stacker::maybe_grow(RED_ZONE, GROWN_STACK, || self.block())?);
        }
        // Like the pest lowering: an item without a block ends where its last part ends, not
        // after the whitespace and comments skipped looking for more.
        let end = match &item.body {
            Some(body) => body.span.end,
            None => [
                Some(item.keyword.span.end),
                item.name.as_ref().map(|n| n.span.end),
                item.type_clause.as_ref().map(|t| t.span().end),
                item.title.as_ref().map(|t| t.span.end),
            ]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(item.keyword.span.end),
        };
        item.span = Span::new(self.base + start, end);
        Some(item)
    }

    /// `type_clause = { ":" ~ (endpoints | path) }`, `endpoints = { path ~ arrow ~ path }`
    fn type_clause(&mut self) -> Option<TypeClause> {
        self.pos += 1; // the `:`
        self.skip();
        let from = self.path()?;
        let after_path = self.pos;
        self.skip();
        match self.arrow() {
            Some(arrow) => {
                self.skip();
                // With an arrow but no second path, pest backs off to the bare path and then
                // fails on the arrow: an error either way, which is pest's to word.
                let to = self.path()?;
                Some(TypeClause::Endpoints { from, arrow, to })
            }
            None => {
                self.pos = after_path;
                Some(TypeClause::Type(from))
            }
        }
    }

    /// `block = { "{" ~ entry* ~ "}" }`, `entry = _{ (attribute | item) ~ separator? }`
    fn block(&mut self) -> Option<Block> {
        let start = self.pos;
        self.pos += 1; // the `{`
        let mark = self.entries.len();
        loop {
            self.skip();
            if self.eat(b'}') {
                break;
            }
            let Some(entry) = self.entry() else {
                self.entries.truncate(mark);
                return None;
            };
            self.entries.push(entry);
            self.skip();
            if matches!(self.peek(), Some(b';' | b',')) {
                self.pos += 1;
            }
        }
        // Blocks are many and small: exactly their entries, no growth slack.
        let entries: Vec<Entry> = self.entries.drain(mark..).collect();
        Some(Block {
            entries,
            span: self.span(start, self.pos),
        })
    }

    fn entry(&mut self) -> Option<Entry> {
        let start = self.pos;
        // `attribute = { attr_name ~ "=" ~ value }`, tried first.
        let name = self.ident()?;
        self.skip();
        if self.eat(b'=') {
            self.skip();
            let value = self.value()?;
            return Some(Entry::Attribute(Attribute {
                span: self.span(start, self.pos),
                name,
                value,
            }));
        }
        self.pos = start;
        self.item().map(|item| Entry::Item(Box::new(item)))
    }

    /// `value = _{ list | map | date | number | string_v | direction | service | path }`
    fn value(&mut self) -> Option<Value> {
        let start = self.pos;
        let kind = match self.peek()? {
            b'[' => stacker::maybe_grow(RED_ZONE, GROWN_STACK, || self.list())?,
            b'{' => stacker::maybe_grow(RED_ZONE, GROWN_STACK, || self.map())?,
            b'0'..=b'9' => match self.date() {
                Some(date) => date,
                None => self.number()?,
            },
            b'-' => self.number()?,
            b'"' => ValueKind::Str(self.string()?.value),
            _ => self.word()?,
        };
        Some(Value {
            kind,
            span: self.span(start, self.pos),
        })
    }

    /// `list = { "[" ~ (value ~ ("," ~ value)* ~ ","?)? ~ "]" }`
    fn list(&mut self) -> Option<ValueKind> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip();
        if self.eat(b']') {
            return Some(ValueKind::List(items));
        }
        loop {
            items.push(self.value()?);
            self.skip();
            if self.eat(b']') {
                return Some(ValueKind::List(items));
            }
            if !self.eat(b',') {
                return None;
            }
            self.skip();
            if self.eat(b']') {
                return Some(ValueKind::List(items));
            }
        }
    }

    /// `map = { "{" ~ (map_entry ~ ("," ~ map_entry)* ~ ","?)? ~ "}" }`,
    /// `map_entry = { path ~ ":" ~ value }`
    fn map(&mut self) -> Option<ValueKind> {
        self.pos += 1;
        let mut entries = Vec::new();
        self.skip();
        if self.eat(b'}') {
            return Some(ValueKind::Map(entries));
        }
        loop {
            let key = self.path()?;
            self.skip();
            if !self.eat(b':') {
                return None;
            }
            self.skip();
            let value = self.value()?;
            entries.push((key, value));
            self.skip();
            if self.eat(b'}') {
                return Some(ValueKind::Map(entries));
            }
            if !self.eat(b',') {
                return None;
            }
            self.skip();
            if self.eat(b'}') {
                return Some(ValueKind::Map(entries));
            }
        }
    }

    /// `date = @{ ASCII_DIGIT{4} ~ "-" ~ ASCII_DIGIT{2} ~ "-" ~ ASCII_DIGIT{2} ~ !ident_char }`
    fn date(&mut self) -> Option<ValueKind> {
        let start = self.pos;
        let shape = b"dddd-dd-dd";
        let rest = self.bytes.get(start..start + shape.len())?;
        let fits = rest.iter().zip(shape).all(|(b, s)| match s {
            b'd' => b.is_ascii_digit(),
            _ => b == s,
        });
        let end = start + shape.len();
        if !fits || self.ident_char_at(end) {
            return None;
        }
        self.pos = end;
        Some(ValueKind::Date(SmolStr::new(&self.text[start..end])))
    }

    /// `number` (see [`Cursor::number`]).
    fn number(&mut self) -> Option<ValueKind> {
        self.cursor
            .number()
            .map(|text| ValueKind::Number(SmolStr::new(text)))
    }

    /// The alternatives that start with a word: `direction = { path ~ arrow ~ path }`, then
    /// `service = ${ ident ~ ":" ~ integer }`, then `path`.
    fn word(&mut self) -> Option<ValueKind> {
        let from = self.path()?;
        let after_path = self.pos;
        self.skip();
        if let Some(arrow) = self.arrow() {
            self.skip();
            // A dangling arrow: pest falls back to the bare path and then fails on the arrow.
            let to = self.path()?;
            return Some(ValueKind::Direction { from, arrow, to });
        }
        self.pos = after_path;
        // `service` reads a single identifier, a colon and digits, with nothing in between.
        if let [protocol] = from.segments.as_slice()
            && self.peek() == Some(b':')
            && self
                .bytes
                .get(after_path + 1)
                .is_some_and(u8::is_ascii_digit)
        {
            let digits = self.bytes[after_path + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            self.pos = after_path + 1 + digits;
            return Some(ValueKind::Service {
                protocol: protocol.clone(),
                port: SmolStr::new(&self.text[after_path + 1..self.pos]),
            });
        }
        Some(ValueKind::Path(from))
    }
}
/// pest's `LETTER`: Unicode general category L.
pub(crate) fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        pest::unicode::LETTER(c)
    }
}

/// pest's `NUMBER`: Unicode general category N.
pub(crate) fn is_number(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        pest::unicode::NUMBER(c)
    }
}

crate::syntax::reads_with_cursor!(Parser);
