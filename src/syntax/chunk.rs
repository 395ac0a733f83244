//! Splits a file into top-level chunks before pest sees it.
//!
//! pest stops at the first error, so the parser is run once per chunk: a syntax error then
//! costs only the item it is in. The scan is a single iterative pass (no recursion), so it also
//! measures nesting depth and refuses chunks too deep for the recursive-descent parser before
//! they can overflow the stack. It records comments on the way, for the formatter.
//!
//! Problems the scan can see better than the parser (an unclosed bracket or string, brackets
//! that do not match) are reported here, at the place the user has to look, and the chunk is
//! not handed to the parser.

use super::{Span, SyntaxError};

/// Deepest nesting of `{` and `[` accepted. Real models nest four or five levels.
pub const MAX_NESTING: usize = 64;

/// Keywords that, at the very start of a line, begin a new top-level item even when braces
/// before them are unbalanced. This is how an unclosed `{` is contained to its own item.
const TOP_LEVEL_KEYWORDS: &[&str] = &[
    "import",
    "system",
    "site",
    "zone",
    "conduit",
    "component",
    "product",
    "organization",
    "role",
    "compensation",
    "evidence",
    "suppress",
];

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Comment {
    pub span: Span,
    /// `///`: documents the item below it.
    pub doc: bool,
}

#[derive(Debug)]
pub(super) struct Chunk {
    pub span: Span,
    /// Set when the chunk cannot be handed to the parser; the error says why.
    pub error: Option<SyntaxError>,
}

pub(super) struct Scan {
    pub chunks: Vec<Chunk>,
    pub comments: Vec<Comment>,
}

pub(super) fn scan(text: &str) -> Scan {
    match Scanner::new(text, None).run() {
        Ok(scan) => scan,
        // An odd quote at the end of the file may have been paired wrongly: the string really
        // left open is then the first one that ran into a line starting a new item. Scan
        // again, knowing that.
        Err(Rescan { unclosed_quote }) => Scanner::new(text, Some(unclosed_quote))
            .run()
            .unwrap_or_else(|_| unreachable!("a scan with a known unclosed quote never rescans")),
    }
}

/// Asks for a second scan that treats the quote at this offset as never closed.
struct Rescan {
    unclosed_quote: usize,
}

struct Scanner<'t> {
    text: &'t str,
    bytes: &'t [u8],
    chunks: Vec<Chunk>,
    comments: Vec<Comment>,
    chunk_start: usize,
    /// Open brackets of the current chunk: (byte offset, the bracket).
    open: Vec<(usize, u8)>,
    /// The first problem found in the current chunk.
    error: Option<SyntaxError>,
    /// After a string that never closes, nothing in the chunk can be trusted: skip to the next
    /// top-level keyword at the start of a line.
    recovering: bool,
    /// The last significant byte outside strings and comments, to tell whether an item may end.
    last_significant: Option<u8>,
    /// Where the run of comment-only lines directly above the current line began.
    comment_run_start: Option<usize>,
    /// The opening quote of the first string that runs into a line starting with a top-level
    /// keyword: the likely culprit when a quote is left open.
    first_suspicious_string: Option<usize>,
    /// A quote known (from a first scan) to open a string that never closes.
    unclosed_quote: Option<usize>,
}

impl<'t> Scanner<'t> {
    fn new(text: &'t str, unclosed_quote: Option<usize>) -> Scanner<'t> {
        Scanner {
            text,
            bytes: text.as_bytes(),
            chunks: Vec::new(),
            comments: Vec::new(),
            chunk_start: 0,
            open: Vec::new(),
            error: None,
            recovering: false,
            last_significant: None,
            comment_run_start: None,
            first_suspicious_string: None,
            unclosed_quote,
        }
    }

    fn run(mut self) -> Result<Scan, Rescan> {
        let mut i = 0usize;
        let mut at_line_start = true;
        while i < self.bytes.len() {
            if at_line_start {
                at_line_start = false;
                i = self.line_start(i);
                continue;
            }
            match self.bytes[i] {
                b'\n' => {
                    at_line_start = true;
                    i += 1;
                }
                b'/' if self.bytes.get(i + 1) == Some(&b'/') => i = self.comment(i),
                b'"' => i = self.string(i)?,
                b'{' | b'[' if !self.recovering => {
                    self.opening(i);
                    i += 1;
                }
                b @ (b'}' | b']') if !self.recovering => {
                    self.closing(i, b);
                    i += 1;
                }
                b' ' | b'\t' | b'\r' => i += 1,
                _ => {
                    // A run of bytes with no meaning to the scan (words, numbers, punctuation,
                    // blanks between them, whole UTF-8 characters): step over it at once. Its
                    // last byte that is not blank is what the scan remembers; only ASCII
                    // punctuation is ever compared with it. The first byte is taken whatever it
                    // is: a `/` that does not start a comment ends up here.
                    let mut last = i;
                    let mut j = i + 1;
                    while let Some(&b) = self.bytes.get(j) {
                        match BYTE_CLASS[usize::from(b)] {
                            PLAIN => last = j,
                            BLANK => {}
                            _ => break,
                        }
                        j += 1;
                    }
                    self.last_significant = Some(self.bytes[last]);
                    i = j;
                }
            }
        }
        if self.chunk_start < self.bytes.len() || self.chunks.is_empty() {
            self.finish_chunk(self.bytes.len());
        }
        Ok(Scan {
            chunks: self.chunks,
            comments: self.comments,
        })
    }

    /// Decides whether a new chunk begins on this line; returns the offset of its first
    /// non-blank byte.
    fn line_start(&mut self, line_start: usize) -> usize {
        let mut j = line_start;
        while j < self.bytes.len() && (self.bytes[j] == b' ' || self.bytes[j] == b'\t') {
            j += 1;
        }
        let rest = &self.text[j..];
        if starts_ident(rest) {
            let at_column_0 = j == line_start;
            let forced = at_column_0
                && (!self.open.is_empty() || self.recovering)
                && starts_top_keyword(rest);
            let may_end = self.open.is_empty()
                && !self.recovering
                && !matches!(
                    self.last_significant,
                    Some(b':' | b'=' | b',' | b'>' | b'.')
                );
            if (may_end || forced) && line_start > self.chunk_start {
                let boundary = self.comment_run_start.unwrap_or(line_start);
                if boundary > self.chunk_start {
                    self.finish_chunk(boundary);
                }
            }
            self.comment_run_start = None;
        } else if rest.starts_with("//") {
            self.comment_run_start.get_or_insert(line_start);
        } else {
            self.comment_run_start = None;
        }
        j
    }

    fn comment(&mut self, start: usize) -> usize {
        let end = self.text[start..]
            .find('\n')
            .map_or(self.bytes.len(), |n| start + n);
        let end_trimmed = if end > start && self.bytes[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        let rest = &self.text[start..];
        self.comments.push(Comment {
            span: Span::new(start, end_trimmed),
            doc: rest.starts_with("///") && !rest.starts_with("////"),
        });
        end
    }

    /// Skips a string starting at the quote `start`; returns the offset after it.
    fn string(&mut self, start: usize) -> Result<usize, Rescan> {
        self.last_significant = Some(b'"');
        if self.unclosed_quote == Some(start) {
            return Ok(self.unclosed_string(start));
        }
        let mut i = start + 1;
        while i < self.bytes.len() && self.bytes[i] != b'"' {
            if self.bytes[i] == b'\n' && starts_top_keyword(&self.text[i + 1..]) {
                self.first_suspicious_string.get_or_insert(start);
            }
            i += if self.bytes[i] == b'\\' { 2 } else { 1 };
        }
        if i < self.bytes.len() {
            return Ok(i + 1);
        }
        match self.first_suspicious_string {
            Some(first) if first != start && self.unclosed_quote.is_none() => Err(Rescan {
                unclosed_quote: first,
            }),
            _ => Ok(self.unclosed_string(start)),
        }
    }

    /// Reports a string that never closes and resumes scanning on the next line.
    fn unclosed_string(&mut self, start: usize) -> usize {
        self.set_error(SyntaxError {
            code: "unclosed-delimiter",
            message: "unclosed string".into(),
            span: Span::new(start, start + 1),
            label: "this string is never closed".into(),
            help: Some("add the closing `\"`".into()),
            related: None,
        });
        self.recovering = true;
        self.text[start..]
            .find('\n')
            .map_or(self.bytes.len(), |n| start + n)
    }

    fn opening(&mut self, at: usize) {
        self.open.push((at, self.bytes[at]));
        self.last_significant = Some(self.bytes[at]);
        if self.open.len() > MAX_NESTING {
            self.set_error(SyntaxError {
                code: "nesting-too-deep",
                message: format!("this item nests brackets more than {MAX_NESTING} levels deep"),
                span: Span::new(at, at + 1),
                label: format!("level {} starts here", MAX_NESTING + 1),
                help: Some(format!(
                    "flatten the structure: zonelint accepts at most {MAX_NESTING} levels of `{{` and `[`"
                )),
                related: None,
            });
        }
    }

    fn closing(&mut self, at: usize, bracket: u8) {
        self.last_significant = Some(bracket);
        let opening = if bracket == b'}' { b'{' } else { b'[' };
        match self.open.iter().rposition(|(_, b)| *b == opening) {
            Some(depth) if depth + 1 == self.open.len() => {
                self.open.pop();
            }
            // Brackets opened after the one this closes were never closed.
            Some(depth) => {
                self.report_unclosed_before(at, bracket, depth);
            }
            // Closes nothing in this item. At the top level, start a new chunk at it, so the
            // item before still parses and the parser reports only the stray bracket.
            None if self.open.is_empty() && at > self.chunk_start => self.finish_chunk(at),
            // A `]` among braces (or the reverse): the parser reports it where it stands.
            None => {}
        }
    }

    /// `bracket` at `at` closes the opener at `depth`, leaving those above it unclosed.
    fn report_unclosed_before(&mut self, at: usize, bracket: u8, depth: usize) {
        let (unclosed_at, unclosed) = self.open[depth + 1];
        let (open_text, close_text) = bracket_pair(unclosed);
        self.set_error(SyntaxError {
            code: "unclosed-delimiter",
            message: format!("unclosed `{open_text}`"),
            span: Span::new(unclosed_at, unclosed_at + 1),
            label: format!("this `{open_text}` is never closed"),
            help: Some(format!("add the missing `{close_text}`")),
            related: Some((
                Span::new(at, at + 1),
                format!("expected `{close_text}` before this `{}`", bracket as char),
            )),
        });
        // `[a, b}` is most likely a mistyped `]`: it takes the place of the bracket it should
        // have been. A `}` alone on its line more likely ends the block, with the `]`
        // forgotten further up.
        let line_start = self.text[..at].rfind('\n').map_or(0, |i| i + 1);
        if self.text[line_start..at].trim().is_empty() {
            self.open.truncate(depth);
        } else {
            self.open.pop();
        }
    }

    fn set_error(&mut self, error: SyntaxError) {
        self.error.get_or_insert(error);
    }

    fn finish_chunk(&mut self, end: usize) {
        let span = Span::new(self.chunk_start, end);
        // An unclosed bracket is reported here, where its opening is known, rather than as the
        // parser's "expected `}`" at the far end of the chunk.
        if let Some(&(at, bracket)) = self.open.first() {
            let (opening, closing) = bracket_pair(bracket);
            self.set_error(SyntaxError {
                code: "unclosed-delimiter",
                message: format!("unclosed `{opening}`"),
                span: Span::new(at, at + 1),
                label: format!("this `{opening}` is never closed"),
                help: Some(format!("add the missing `{closing}` before the next item")),
                related: Some((Span::new(end, end), "the item ends here".into())),
            });
        }
        self.chunks.push(Chunk {
            span,
            error: self.error.take(),
        });
        self.chunk_start = end;
        self.open.clear();
        self.recovering = false;
    }
}

/// Bytes the scan loop has no case for: anything but line ends, blanks, quotes, brackets and
/// the `/` that may start a comment.
/// What a byte is to the scan: [`PLAIN`] (no meaning of its own), [`BLANK`] (space, tab,
/// carriage return) or [`SPECIAL`] (a newline, quote, slash or bracket, which the scan stops
/// at). A table, because the scan asks for every byte of every file.
const BYTE_CLASS: [u8; 256] = {
    let mut class = [PLAIN; 256];
    class[b' ' as usize] = BLANK;
    class[b'\t' as usize] = BLANK;
    class[b'\r' as usize] = BLANK;
    let mut i = 0;
    let special = *b"\n\"/{}[]";
    while i < special.len() {
        class[special[i] as usize] = SPECIAL;
        i += 1;
    }
    class
};
const PLAIN: u8 = 0;
const BLANK: u8 = 1;
const SPECIAL: u8 = 2;

fn bracket_pair(opening: u8) -> (&'static str, &'static str) {
    if opening == b'{' {
        ("{", "}")
    } else {
        ("[", "]")
    }
}

fn starts_ident(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

fn starts_top_keyword(s: &str) -> bool {
    TOP_LEVEL_KEYWORDS.iter().any(|k| {
        s.strip_prefix(k)
            .is_some_and(|rest| rest.starts_with([' ', '\t', '"', '{']))
    })
}
