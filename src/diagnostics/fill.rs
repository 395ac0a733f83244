//! Filling text into indented lines of a given width, exactly as miette does it through
//! `textwrap::fill`, without textwrap's cost.
//!
//! The human report used to let miette wrap every headline, help and related finding, and
//! textwrap's general machinery (boxed word iterators, a vector of words and split points per
//! line, a `String` per output line) took most of the time spent drawing a large report. This
//! is the same algorithm for the one configuration miette is given (words separated by ASCII
//! spaces, split after hyphens between alphanumerics, words wider than a line broken apart,
//! first fit), written as one pass over the text that appends to the output. The tests compare
//! it with `textwrap::fill` on generated text; where textwrap's rules are odd (the first line of
//! every input line is measured against the first line's width, an empty input line under an
//! empty first indent loses its indent) this copies them, because the point is byte-identical
//! output. Should a new miette or textwrap fill differently (textwrap's `smawk` feature, for
//! one, makes optimal fit the default), those tests and the drawing tests in `render.rs`,
//! which compare with miette's own drawing, fail.

use textwrap::core::display_width;

/// An indent and its display columns, measured once.
#[derive(Debug, Clone)]
pub struct Indent {
    text: String,
    columns: usize,
}

impl Indent {
    pub fn new(text: impl Into<String>) -> Indent {
        let text = text.into();
        Indent {
            columns: display_width(&text),
            text,
        }
    }
}

/// A width and the two indents of a paragraph: the first output line gets `initial`, every
/// other line `subsequent`. Indents may hold ANSI colour codes, which take no columns.
#[derive(Debug, Clone)]
pub struct Fill<'a> {
    width: usize,
    initial: &'a str,
    subsequent: &'a str,
    /// Columns of the indents.
    indent_columns: [usize; 2],
    /// Columns left for text on the first line and on the others.
    line_widths: [usize; 2],
}

impl<'a> Fill<'a> {
    pub fn new(width: usize, initial: &'a Indent, subsequent: &'a Indent) -> Fill<'a> {
        Fill {
            width,
            initial: &initial.text,
            subsequent: &subsequent.text,
            indent_columns: [initial.columns, subsequent.columns],
            line_widths: [
                width.saturating_sub(initial.columns),
                width.saturating_sub(subsequent.columns),
            ],
        }
    }

    /// Appends `text` filled: what `textwrap::fill(text, options)` returns (no final newline).
    /// Returns the columns of the widest line written, when they are known: no colour code
    /// in the text or the indents.
    pub fn write(&self, out: &mut String, text: &str) -> Option<usize> {
        let mut lines = Lines {
            out,
            any: false,
            fill: self,
            widest: (!self.initial.contains('\x1b') && !self.subsequent.contains('\x1b'))
                .then_some(0),
        };
        for line in text.split('\n') {
            let indent = if lines.any {
                self.subsequent
            } else {
                self.initial
            };
            if line.len() < self.width && indent.is_empty() {
                let text = line.trim_end_matches(' ');
                lines.push(text, (!text.contains('\x1b')).then(|| plain_columns(text)));
            } else {
                self.wrap_line(&mut lines, line);
            }
        }
        lines.widest
    }

    /// Appends text that [`Fill::write`] filled before, as `write` would fill it again: when
    /// its widest line fits (as every line of a related finding does, filled narrower for
    /// it), each line only gains an indent.
    pub fn write_refilled(&self, out: &mut String, text: &str, widest: Option<usize>) {
        let fits = self.line_widths[0].min(self.line_widths[1]);
        // Under an empty first indent textwrap drops the indent of an empty line.
        if self.initial.is_empty() || widest.is_none_or(|w| w > fits) {
            self.write(out, text);
            return;
        }
        let mut lines = Lines {
            out,
            any: false,
            fill: self,
            widest: None,
        };
        for line in text.split('\n') {
            lines.push_indented(line.trim_end_matches(' '), None);
        }
    }

    /// One input line as one or more output lines.
    fn wrap_line(&self, lines: &mut Lines<'_, '_>, line: &str) {
        // Printable ASCII, nearly every line of a report, is a column a byte. Colour codes
        // are measured as textwrap measures them, piece by piece (a code could straddle a
        // space); any other text is measured a character at a time as it is read.
        let ascii = is_printable_ascii(line);
        let plain = ascii || !line.contains('\x1b');
        // A line that fits whole needs no words: each piece then ends within the text's
        // columns, so none is cut apart and none starts a new line. (An empty line is left to
        // the general case, which may write it without indent.)
        let text = line.trim_end_matches(' ');
        let fits = self.line_widths[0].min(self.line_widths[1]);
        if !line.is_empty() && plain {
            let columns = if ascii {
                text.len()
            } else {
                plain_columns(text)
            };
            if columns <= fits {
                lines.push_indented(text, Some(columns));
                return;
            }
        }
        let mut fit = FirstFit {
            line,
            line_widths: self.line_widths,
            start: 0,
            end: 0,
            filled: 0,
            columns: 0,
            measured: plain,
            placed: false,
            count: 0,
        };
        // textwrap puts a zero-width word first so that a word too wide for the first line
        // can start on the second.
        if !self.initial.is_empty() {
            fit.place(lines, 0, 0, 0, 0);
        }
        if ascii {
            Self::pieces_ascii(&mut fit, lines, line);
        } else if plain {
            Self::pieces_plain(&mut fit, lines, line);
        } else {
            Self::pieces(&mut fit, lines, line);
        }
        if fit.placed {
            lines.push_indented(&line[fit.start..fit.end], fit.line_columns());
        } else {
            // No words at all: textwrap's one empty line, without indent.
            lines.push("", Some(0));
        }
    }

    /// Places the pieces of a line of printable ASCII: a column a byte, so only spaces and
    /// hyphens need looking at.
    fn pieces_ascii(fit: &mut FirstFit<'_>, lines: &mut Lines<'_, '_>, line: &str) {
        let bytes = line.as_bytes();
        let break_width = fit.line_widths[1];
        let mut place = |fit: &mut FirstFit<'_>, start: usize, end: usize, spaces_end| {
            if end - start > break_width {
                break_apart(line, start, end, spaces_end, break_width, |s, e, se, c| {
                    fit.place(lines, s, e, se, c);
                });
            } else {
                fit.place(lines, start, end, spaces_end, end - start);
            }
        };
        let mut i = 0;
        while i < bytes.len() {
            let word_start = i;
            let mut piece_start = i;
            while i < bytes.len() && bytes[i] != b' ' {
                // A hyphen between alphanumerics ends a piece.
                if bytes[i] == b'-'
                    && i > word_start
                    && bytes[i - 1].is_ascii_alphanumeric()
                    && bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)
                {
                    place(fit, piece_start, i + 1, i + 1);
                    piece_start = i + 1;
                }
                i += 1;
            }
            let word_end = i;
            while i < bytes.len() && bytes[i] == b' ' {
                i += 1;
            }
            place(fit, piece_start, word_end, i);
        }
    }

    /// Places the pieces of a line without colour codes in one pass, measuring each
    /// character as it is read.
    fn pieces_plain(fit: &mut FirstFit<'_>, lines: &mut Lines<'_, '_>, line: &str) {
        let bytes = line.as_bytes();
        let break_width = fit.line_widths[1];
        let mut place = |fit: &mut FirstFit<'_>, start, end, spaces_end, columns| {
            if columns > break_width {
                break_apart(line, start, end, spaces_end, break_width, |s, e, se, c| {
                    fit.place(lines, s, e, se, c);
                });
            } else {
                fit.place(lines, start, end, spaces_end, columns);
            }
        };
        let mut i = 0;
        while i < bytes.len() {
            let mut piece_start = i;
            let mut columns = 0;
            // Whether the character before is alphanumeric (none at the start of a word).
            let mut after_alphanumeric = false;
            while i < bytes.len() && bytes[i] != b' ' {
                let byte = bytes[i];
                if byte.is_ascii() {
                    i += 1;
                    columns += if (0x20..0x7f).contains(&byte) {
                        1
                    } else {
                        char_columns(char::from(byte))
                    };
                    // A hyphen between alphanumerics ends a piece.
                    if byte == b'-'
                        && after_alphanumeric
                        && line[i..].chars().next().is_some_and(char::is_alphanumeric)
                    {
                        place(fit, piece_start, i, i, columns);
                        piece_start = i;
                        columns = 0;
                    }
                    after_alphanumeric = byte.is_ascii_alphanumeric();
                } else {
                    let ch = line[i..].chars().next().unwrap_or_default();
                    i += ch.len_utf8();
                    columns += char_columns(ch);
                    after_alphanumeric = ch.is_alphanumeric();
                }
            }
            let word_end = i;
            while i < bytes.len() && bytes[i] == b' ' {
                i += 1;
            }
            place(fit, piece_start, word_end, i, columns);
        }
    }

    /// Places the pieces of any line, measuring each as textwrap does.
    fn pieces(fit: &mut FirstFit<'_>, lines: &mut Lines<'_, '_>, line: &str) {
        let break_width = fit.line_widths[1];
        for (word_start, word_end, space_end) in ascii_space_words(line) {
            for_each_piece(
                line,
                word_start,
                word_end,
                space_end,
                |start, end, spaces_end| {
                    let columns = display_width(&line[start..end]);
                    if columns > break_width {
                        break_apart(line, start, end, spaces_end, break_width, |s, e, se, c| {
                            fit.place(lines, s, e, se, c);
                        });
                    } else {
                        fit.place(lines, start, end, spaces_end, columns);
                    }
                },
            );
        }
    }
}

/// Columns of text without colour codes, a character at a time.
fn plain_columns(text: &str) -> usize {
    text.chars().map(char_columns).sum()
}

fn is_printable_ascii(text: &str) -> bool {
    // Without an early exit the loop is vectorised; report lines are short.
    text.bytes()
        .fold(true, |all, b| all & (0x20..0x7f).contains(&b))
}

/// The output lines written so far.
struct Lines<'o, 'f> {
    out: &'o mut String,
    /// Whether a line was written (the next one then gets the subsequent indent).
    any: bool,
    fill: &'f Fill<'f>,
    /// Columns of the widest line written, while every line's are known.
    widest: Option<usize>,
}

impl Lines<'_, '_> {
    /// A line without indent, of `columns` if known.
    fn push(&mut self, text: &str, columns: Option<usize>) {
        if self.any {
            self.out.push('\n');
        }
        self.out.push_str(text);
        self.any = true;
        self.widest = self.widest.zip(columns).map(|(w, c)| w.max(c));
    }
    /// A line after the indent it is due, its text of `columns` if known.
    fn push_indented(&mut self, text: &str, columns: Option<usize>) {
        let (indent, indent_columns) = if self.any {
            (self.fill.subsequent, self.fill.indent_columns[1])
        } else {
            (self.fill.initial, self.fill.indent_columns[0])
        };
        if self.any {
            self.out.push('\n');
        }
        self.out.push_str(indent);
        self.out.push_str(text);
        self.any = true;
        self.widest = self
            .widest
            .zip(columns)
            .map(|(w, c)| w.max(indent_columns + c));
    }
}

/// textwrap's first-fit over the pieces of one input line, streamed: a piece goes on the
/// current line unless that line has a piece already and this one's columns would pass the
/// width (the spaces after a piece count towards the next one, not towards itself).
struct FirstFit<'l> {
    line: &'l str,
    line_widths: [usize; 2],
    /// Byte range of the current output line's text, trailing spaces excluded.
    start: usize,
    end: usize,
    /// Columns taken on the current line, spaces after its last piece included.
    filled: usize,
    /// Columns taken on the current line up to the end of its last piece.
    columns: usize,
    /// Whether pieces are measured exactly as the whole line would be (no colour codes).
    measured: bool,
    /// Whether the current line has a piece.
    placed: bool,
    /// Output lines finished for this input line.
    count: usize,
}

impl FirstFit<'_> {
    #[inline]
    fn place(
        &mut self,
        lines: &mut Lines<'_, '_>,
        start: usize,
        end: usize,
        spaces_end: usize,
        columns: usize,
    ) {
        let width = self.line_widths[self.count.min(1)];
        if self.placed && self.filled + columns > width {
            lines.push_indented(&self.line[self.start..self.end], self.line_columns());
            self.count += 1;
            self.start = start;
            self.filled = 0;
        }
        self.placed = true;
        self.end = end;
        self.columns = self.filled + columns;
        self.filled = self.columns + (spaces_end - end);
    }

    fn line_columns(&self) -> Option<usize> {
        self.measured.then_some(self.columns)
    }
}

/// The words of a line as textwrap's `WordSeparator::AsciiSpace` finds them: byte ranges
/// `(start, end, spaces_end)`, a run of non-spaces then the spaces after it. Spaces at the
/// start of the line make an empty first word.
fn ascii_space_words(line: &str) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let bytes = line.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b' ')
            .map_or(bytes.len(), |i| start + i);
        let spaces_end = bytes[end..]
            .iter()
            .position(|&b| b != b' ')
            .map_or(bytes.len(), |i| end + i);
        let word = (start, end, spaces_end);
        start = spaces_end;
        Some(word)
    })
}

/// A word split after each hyphen that has an alphanumeric character on both sides
/// (textwrap's `WordSplitter::HyphenSplitter`); only the last piece keeps the spaces.
fn for_each_piece(
    line: &str,
    start: usize,
    end: usize,
    spaces_end: usize,
    mut piece: impl FnMut(usize, usize, usize),
) {
    let word = &line[start..end];
    let mut from = start;
    for i in hyphens(word) {
        let before = word[..i].chars().next_back();
        let after = word[i + 1..].chars().next();
        if before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric) {
            piece(from, start + i + 1, start + i + 1);
            from = start + i + 1;
        }
    }
    piece(from, end, spaces_end);
}

fn hyphens(word: &str) -> impl Iterator<Item = usize> + '_ {
    word.bytes()
        .enumerate()
        .filter_map(|(i, b)| (b == b'-').then_some(i))
}

/// A piece wider than `width` cut into pieces of at most `width` columns (one character
/// each when a character is wider), as textwrap's `Word::break_apart`; only the last
/// keeps the spaces.
fn break_apart(
    line: &str,
    start: usize,
    end: usize,
    spaces_end: usize,
    width: usize,
    mut piece: impl FnMut(usize, usize, usize, usize),
) {
    let mut from = start;
    let mut taken = 0;
    let mut chars = line[start..end].char_indices();
    while let Some((i, ch)) = chars.next() {
        if ch == '\x1b' {
            skip_escape(&mut chars);
            continue;
        }
        let w = char_columns(ch);
        if taken > 0 && taken + w > width {
            piece(from, start + i, start + i, taken);
            from = start + i;
            taken = w;
        } else {
            taken += w;
        }
    }
    if from < end {
        piece(from, end, spaces_end, taken);
    }
}

/// Skips the rest of an escape sequence after its `ESC`, as textwrap does when it measures:
/// a CSI sequence (`ESC [` ... final byte), an OSC sequence (`ESC ]` ... `BEL` or `ESC \`),
/// or the one character after a lone `ESC`.
fn skip_escape(chars: &mut std::str::CharIndices<'_>) {
    match chars.next().map(|(_, c)| c) {
        Some('[') => {
            for (_, c) in chars.by_ref() {
                if ('\x40'..='\x7e').contains(&c) {
                    break;
                }
            }
        }
        Some(']') => {
            let mut last = ']';
            for (_, c) in chars.by_ref() {
                if c == '\x07' || (c == '\\' && last == '\x1b') {
                    break;
                }
                last = c;
            }
        }
        _ => {}
    }
}

/// The columns textwrap gives a character (not the `ESC` of a colour code).
fn char_columns(ch: char) -> usize {
    if (' '..'\x7f').contains(&ch) {
        1
    } else {
        display_width(ch.encode_utf8(&mut [0; 4]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn textwrap(text: &str, width: usize, initial: &str, subsequent: &str) -> String {
        textwrap::fill(
            text,
            textwrap::Options::new(width)
                .initial_indent(initial)
                .subsequent_indent(subsequent)
                .word_separator(textwrap::WordSeparator::AsciiSpace),
        )
    }

    fn ours(text: &str, width: usize, initial: &str, subsequent: &str) -> String {
        let mut out = String::new();
        let (initial, subsequent) = (Indent::new(initial), Indent::new(subsequent));
        Fill::new(width, &initial, &subsequent).write(&mut out, text);
        out
    }

    #[track_caller]
    fn same(text: &str, width: usize, initial: &str, subsequent: &str) {
        assert_eq!(
            ours(text, width, initial, subsequent),
            textwrap(text, width, initial, subsequent),
            "text {text:?}, width {width}, indents {initial:?} {subsequent:?}"
        );
    }

    const INDENTS: [(&str, &str); 5] = [
        ("  × ", "  │ "),
        ("  help: ", "        "),
        ("", ""),
        ("", "    "),
        ("\x1b[31m  ├─▶ \x1b[0m", "\x1b[31m  │   \x1b[0m"),
    ];

    #[test]
    fn short_lines_stay_whole() {
        assert_eq!(ours("one two", 20, "  × ", "  │ "), "  × one two");
        same("one two", 20, "  × ", "  │ ");
    }

    #[test]
    fn long_lines_break_at_spaces() {
        let text = "the quick brown fox jumps over the lazy dog";
        assert_eq!(
            ours(text, 16, "  × ", "  │ "),
            "  × the quick\n  │ brown fox\n  │ jumps over\n  │ the lazy dog"
        );
        for width in 0..50 {
            for (i, s) in INDENTS {
                same(text, width, i, s);
            }
        }
    }

    #[test]
    fn words_longer_than_the_width_are_cut() {
        let text = "see abcdefghijklmnopqrstuvwxyz0123456789 for more";
        assert_eq!(
            ours(text, 14, "  × ", "  │ "),
            "  × see\n  │ abcdefghij\n  │ klmnopqrst\n  │ uvwxyz0123\n  │ 456789 for\n  │ more"
        );
        for width in 0..30 {
            for (i, s) in INDENTS {
                same(text, width, i, s);
            }
        }
    }

    #[test]
    fn runs_of_spaces_and_trailing_spaces() {
        for text in [
            "a  b   c    d",
            "trailing   ",
            "   leading",
            "   ",
            " ",
            "",
            "a        b",
        ] {
            for width in 0..14 {
                for (i, s) in INDENTS {
                    same(text, width, i, s);
                }
            }
        }
        assert_eq!(ours("trailing   ", 40, "  × ", "  │ "), "  × trailing");
    }

    #[test]
    fn existing_newlines_and_empty_lines() {
        for text in [
            "first\nsecond",
            "first\n\nthird",
            "ends with a newline\n",
            "\nstarts with one",
            "\n\n",
            "crlf\r\nline",
        ] {
            for width in 0..24 {
                for (i, s) in INDENTS {
                    same(text, width, i, s);
                }
            }
        }
        // An empty line keeps its indent, spaces and all.
        assert_eq!(ours("a\n\nb", 20, "  × ", "  │ "), "  × a\n  │ \n  │ b");
    }

    #[test]
    fn hyphens_split_between_alphanumerics_only() {
        for text in [
            "a well-known non-ASCII--flag -x y- re-re-re-entry",
            "über-ärger 2-3 a-b-c",
            "--long-option-name-here",
        ] {
            for width in 0..30 {
                for (i, s) in INDENTS {
                    same(text, width, i, s);
                }
            }
        }
    }

    #[test]
    fn non_ascii_is_measured_in_columns() {
        for text in [
            "zone Überwachung für Prozessleittechnik",
            "中文字符 很宽 的文字测试",
            "emoji 😀😀😀 here",
            "combining e\u{301} and zero\u{200b}width",
            "tab\there and bell\x07",
            "colour \x1b[31mred\x1b[0m words \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ end",
            "lone \x1b escape",
        ] {
            for width in 0..30 {
                for (i, s) in INDENTS {
                    same(text, width, i, s);
                }
            }
        }
    }

    fn text_strategy() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => "[a-z]{1,12}",
            2 => Just(" ".to_string()),
            1 => Just("  ".to_string()),
            1 => Just("\n".to_string()),
            1 => Just("-".to_string()),
            1 => "[A-Za-z0-9]{1,3}-[a-z0-9]{1,4}",
            1 => Just("é".to_string()),
            1 => Just("中文".to_string()),
            1 => Just("😀".to_string()),
            1 => Just("\x1b[1;31m".to_string()),
            1 => Just("\x1b[0m".to_string()),
            1 => "[a-z]{20,40}",
            1 => Just("\t".to_string()),
            1 => Just("\r".to_string()),
            1 => Just("e\u{301}".to_string()),
            1 => "[a-zé]{1,3}-[é中a-z]{1,3}",
        ];
        prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn widest_line_is_measured_and_refilling_is_filling(
            text in text_strategy(),
            width in 0usize..60,
            outer_width in 0usize..70,
            indents in 0usize..5,
            outer in 0usize..5,
        ) {
            let (i, s) = INDENTS[indents];
            let (inner_initial, inner_rest) = (Indent::new(i), Indent::new(s));
            let mut inner = String::new();
            let widest = Fill::new(width, &inner_initial, &inner_rest).write(&mut inner, &text);
            if let Some(widest) = widest {
                prop_assert_eq!(Some(widest), inner.split('\n').map(display_width).max());
            } else {
                prop_assert!(text.contains('\x1b') || i.contains('\x1b'));
            }
            let (i, s) = INDENTS[outer];
            let (initial, rest) = (Indent::new(i), Indent::new(s));
            let fill = Fill::new(outer_width, &initial, &rest);
            let (mut again, mut refilled) = (String::new(), String::new());
            fill.write(&mut again, &inner);
            fill.write_refilled(&mut refilled, &inner, widest);
            prop_assert_eq!(refilled, again);
        }

        #[test]
        fn same_as_textwrap(text in text_strategy(), width in 0usize..60, indents in 0usize..5) {
            let (i, s) = INDENTS[indents];
            prop_assert_eq!(ours(&text, width, i, s), textwrap(&text, width, i, s));
        }
    }
}
