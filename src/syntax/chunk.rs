//! Splits a file into top-level chunks before pest sees it.
//!
//! pest stops at the first error, so the parser is run once per chunk: a syntax error then
//! costs only the item it is in. The scan is a single iterative pass (no recursion), so it also
//! measures nesting depth and refuses chunks too deep for the recursive-descent parser before
//! they can overflow the stack. It records comments on the way, for the formatter.

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
    let bytes = text.as_bytes();
    let mut chunks = Vec::new();
    let mut comments = Vec::new();
    let mut chunk_start = 0usize;
    // Open brackets of the current chunk: (byte offset, the bracket).
    let mut open: Vec<(usize, u8)> = Vec::new();
    let mut too_deep: Option<usize> = None;
    // The last significant byte outside strings and comments, to tell whether an item may end.
    let mut last_significant: Option<u8> = None;
    // Where the run of comment-only lines directly above the current line began.
    let mut comment_run_start: Option<usize> = None;
    let mut i = 0usize;
    let mut at_line_start = true;

    while i < bytes.len() {
        if at_line_start {
            at_line_start = false;
            let line_start = i;
            let mut j = i;
            while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t') {
                j += 1;
            }
            let rest = &text[j..];
            let is_comment_line = rest.starts_with("//");
            if starts_ident(rest) {
                let forced = j == line_start && !open.is_empty() && starts_top_keyword(rest);
                let may_end = open.is_empty()
                    && !matches!(last_significant, Some(b':' | b'=' | b',' | b'>' | b'.'));
                if (may_end || forced) && line_start > chunk_start {
                    let boundary = comment_run_start.unwrap_or(line_start);
                    if boundary > chunk_start {
                        chunks.push(finish_chunk(chunk_start, boundary, &open, too_deep));
                        chunk_start = boundary;
                        open.clear();
                        too_deep = None;
                    }
                }
                comment_run_start = None;
            } else if is_comment_line {
                comment_run_start.get_or_insert(line_start);
            } else {
                comment_run_start = None;
            }
            i = j;
            continue;
        }
        let b = bytes[i];
        match b {
            b'\n' => {
                at_line_start = true;
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                let end_trimmed = if end > i && bytes[end - 1] == b'\r' {
                    end - 1
                } else {
                    end
                };
                let doc = text[i..].starts_with("///") && !text[i..].starts_with("////");
                comments.push(Comment {
                    span: Span::new(i, end_trimmed),
                    doc,
                });
                i = end;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
                last_significant = Some(b'"');
            }
            b'{' | b'[' => {
                open.push((i, b));
                if open.len() > MAX_NESTING && too_deep.is_none() {
                    too_deep = Some(i);
                }
                last_significant = Some(b);
                i += 1;
            }
            b'}' | b']' => {
                open.pop();
                last_significant = Some(b);
                i += 1;
            }
            b' ' | b'\t' | b'\r' => i += 1,
            _ => {
                last_significant = Some(b);
                i += text[i..].chars().next().map_or(1, char::len_utf8);
            }
        }
    }
    if chunk_start < bytes.len() || chunks.is_empty() {
        chunks.push(finish_chunk(chunk_start, bytes.len(), &open, too_deep));
    }
    Scan { chunks, comments }
}

fn finish_chunk(start: usize, end: usize, open: &[(usize, u8)], too_deep: Option<usize>) -> Chunk {
    let span = Span::new(start, end);
    if let Some(at) = too_deep {
        return Chunk {
            span,
            error: Some(SyntaxError {
                code: "nesting-too-deep",
                message: format!("this item nests brackets more than {MAX_NESTING} levels deep"),
                span: Span::new(at, at + 1),
                label: format!("level {} starts here", MAX_NESTING + 1),
                help: Some(
                    "flatten the structure: zonelint accepts at most 64 levels of `{` and `[`"
                        .into(),
                ),
                related: None,
            }),
        };
    }
    // An unclosed bracket is reported here, where its opening is known, rather than as the
    // parser's "expected `}`" at the far end of the chunk.
    if let Some(&(at, bracket)) = open.first() {
        let (opening, closing) = if bracket == b'{' {
            ("{", "}")
        } else {
            ("[", "]")
        };
        return Chunk {
            span,
            error: Some(SyntaxError {
                code: "unclosed-delimiter",
                message: format!("unclosed `{opening}`"),
                span: Span::new(at, at + 1),
                label: format!("this `{opening}` is never closed"),
                help: Some(format!("add the missing `{closing}` before the next item")),
                related: Some((Span::new(end, end), "the item ends here".into())),
            }),
        };
    }
    Chunk { span, error: None }
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
