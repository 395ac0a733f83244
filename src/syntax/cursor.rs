//! A position in one text and the token-level steps both hand-written parsers take: the
//! model's (`fast.rs`) and the policies' (`policy/fast_parse.rs`). Both follow pest grammars
//! that share `WHITESPACE`, `COMMENT` and `ident_char` (`grammar/model.pest`), so they share
//! how those are read.

use super::Span;
use super::fast::{is_letter, is_number};

pub(crate) struct Cursor<'a> {
    pub text: &'a str,
    pub bytes: &'a [u8],
    /// Offset of the next byte to read, in `text`.
    pub pos: usize,
    /// Offset of `text` in its file, added to every span.
    pub base: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(text: &'a str, base: usize) -> Cursor<'a> {
        Cursor {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            base,
        }
    }

    /// `start..end` of `text` as a span of the file.
    pub fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.base + start, self.base + end)
    }

    pub fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    pub fn char_at(&self, at: usize) -> Option<char> {
        self.text.get(at..).and_then(|rest| rest.chars().next())
    }

    /// Steps over `byte` if it is next.
    pub fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// The implicit `(WHITESPACE | COMMENT)*` between the parts of non-atomic rules.
    pub fn skip(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\r' | b'\n' => self.pos += 1,
                // U+FEFF, the byte-order mark, is whitespace in the grammar.
                0xEF if self.bytes[self.pos..].starts_with("\u{FEFF}".as_bytes()) => self.pos += 3,
                b'/' if self.bytes.get(self.pos + 1) == Some(&b'/') => {
                    self.pos = memchr::memchr(b'\n', &self.bytes[self.pos..])
                        .map_or(self.bytes.len(), |i| self.pos + i);
                }
                _ => break,
            }
        }
    }

    /// `ident_char = _{ LETTER | NUMBER | "_" | "-" ~ &(LETTER | NUMBER | "_") }` at `at`.
    pub fn ident_char_at(&self, at: usize) -> bool {
        let word = |c: char| is_letter(c) || is_number(c) || c == '_';
        match self.bytes.get(at) {
            None => false,
            Some(b) if b.is_ascii_alphanumeric() || *b == b'_' => true,
            Some(b'-') => self.char_at(at + 1).is_some_and(word),
            Some(b) if b.is_ascii() => false,
            Some(_) => self.char_at(at).is_some_and(word),
        }
    }

    /// `number = @{ "-"? ~ ASCII_DIGIT+ ~ ("." ~ ASCII_DIGIT+)? ~ !ident_char }`: its text,
    /// stepped over, if one is next.
    pub fn number(&mut self) -> Option<&'a str> {
        let start = self.pos;
        let mut at = start;
        if self.bytes.get(at) == Some(&b'-') {
            at += 1;
        }
        let digits = |from: usize| {
            self.bytes[from..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count()
        };
        let whole = digits(at);
        if whole == 0 {
            return None;
        }
        at += whole;
        if self.bytes.get(at) == Some(&b'.') {
            let fraction = digits(at + 1);
            if fraction > 0 {
                at += 1 + fraction;
            }
        }
        if self.ident_char_at(at) {
            return None;
        }
        self.pos = at;
        Some(&self.text[start..at])
    }

    /// `string = ${ "\"" ~ string_inner ~ "\"" }`, stepped over if one is next: the text
    /// between the quotes, escapes still written, and where that text starts.
    pub fn string_raw(&mut self) -> Option<(&'a str, usize)> {
        if !self.eat(b'"') {
            return None;
        }
        let inner = self.pos;
        loop {
            match self.peek()? {
                b'"' => break,
                // `"\\" ~ ANY`: the escaped character may be any character, even a quote.
                b'\\' => self.pos += 1 + self.char_at(self.pos + 1)?.len_utf8(),
                _ => self.pos += 1,
            }
        }
        let raw = &self.text[inner..self.pos];
        self.pos += 1;
        Some((raw, inner))
    }
}

/// Lets a parser struct with a `cursor: Cursor` field use the cursor's fields and steps as its
/// own (`self.pos`, `self.skip()`), as both parsers were written before they shared them.
macro_rules! reads_with_cursor {
    ($parser:ident) => {
        impl<'a> std::ops::Deref for $parser<'a> {
            type Target = $crate::syntax::Cursor<'a>;
            fn deref(&self) -> &Self::Target {
                &self.cursor
            }
        }

        impl std::ops::DerefMut for $parser<'_> {
            fn deref_mut(&mut self) -> &mut Self::Target {
                &mut self.cursor
            }
        }
    };
}
pub(crate) use reads_with_cursor;
