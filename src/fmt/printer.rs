//! The layout: syntax tree plus comments in, canonical text out.
//!
//! Every entry is rendered to a string that starts at its indentation column; continuation lines
//! carry their own indentation. Comments are handed out exactly once: each is either printed on
//! a line of its own before the entry it preceded, or trailing after the entry it followed. Any
//! comment left over at the end is an error, so a comment can never be dropped silently.

use super::{FmtOptions, FormatError};
use crate::syntax::{
    Attribute, Block, Comment, Entry, Item, Span, SyntaxFile, TypeClause, Value, ValueKind,
};

pub(super) fn print(
    text: &str,
    tree: &SyntaxFile,
    opts: &FmtOptions,
) -> Result<String, FormatError> {
    let mut printer = Printer {
        text,
        opts,
        comments: &tree.comments,
        used: vec![false; tree.comments.len()],
    };
    let nodes: Vec<Node> = tree.items.iter().map(Node::Item).collect();
    let mut out = printer.sequence(&nodes, Span::new(0, text.len()), 0);
    if let Some(lost) = printer.used.iter().position(|used| !used) {
        return Err(FormatError::Internal(format!(
            "the comment at byte {} found no place",
            tree.comments[lost].span.start
        )));
    }
    // Line ends follow the file's first line end.
    let crlf = text
        .find('\n')
        .is_some_and(|i| i > 0 && text.as_bytes()[i - 1] == b'\r');
    if crlf {
        out = line_ends_outside_strings(&out, "\n", "\r\n");
    }
    if text.starts_with('\u{FEFF}') {
        out.insert(0, '\u{FEFF}');
    }
    Ok(out)
}

#[derive(Clone, Copy)]
enum Node<'a> {
    Item(&'a Item),
    Attr(&'a Attribute),
}

impl Node<'_> {
    fn span(&self) -> Span {
        match self {
            Node::Item(i) => i.span,
            Node::Attr(a) => a.span,
        }
    }
}

impl<'a> From<&'a Entry> for Node<'a> {
    fn from(entry: &'a Entry) -> Self {
        match entry {
            Entry::Item(i) => Node::Item(i),
            Entry::Attribute(a) => Node::Attr(a),
        }
    }
}

/// One line-starting unit of a sequence of entries.
enum Unit<'a> {
    /// A comment on its own line.
    Comment(usize),
    /// An entry, with the comment trailing on its last line.
    Node(Node<'a>, Option<usize>),
}

struct Line<'a> {
    unit: Unit<'a>,
    blank_before: bool,
}

struct Printer<'a> {
    text: &'a str,
    opts: &'a FmtOptions,
    comments: &'a [Comment],
    used: Vec<bool>,
}

fn width(s: &str) -> usize {
    s.chars().count()
}

impl Printer<'_> {
    fn indent(&self, level: usize) -> String {
        " ".repeat(level * self.opts.indent_width)
    }

    /// Source text as written, with CRLF line ends made LF (they are restored at the end).
    /// Line ends inside string literals are part of the value and stay as written.
    fn raw(&self, span: Span) -> String {
        line_ends_outside_strings(&self.text[span.start..span.end], "\r\n", "\n")
    }

    fn comment_text(&self, index: usize) -> &str {
        let span = self.comments[index].span;
        self.text[span.start..span.end].trim_end()
    }

    fn has_comment(&self, span: Span) -> bool {
        self.comments
            .iter()
            .any(|c| span.start <= c.span.start && c.span.start < span.end)
    }

    /// Hands out the comments that start in `[start, end)` and are still unplaced.
    fn take_between(&mut self, start: usize, end: usize) -> Vec<usize> {
        let found: Vec<usize> = (0..self.comments.len())
            .filter(|&i| {
                !self.used[i]
                    && start <= self.comments[i].span.start
                    && self.comments[i].span.start < end
            })
            .collect();
        for &i in &found {
            self.used[i] = true;
        }
        found
    }

    /// The comment on the same line after `end` (only blanks and separators between), if any.
    fn take_trailing(&mut self, end: usize, limit: usize) -> Option<usize> {
        let index = (0..self.comments.len()).find(|&i| {
            let start = self.comments[i].span.start;
            !self.used[i]
                && end <= start
                && start < limit
                && self.text[end..start]
                    .chars()
                    .all(|c| matches!(c, ' ' | '\t' | ';' | ','))
        })?;
        self.used[index] = true;
        Some(index)
    }

    fn blank_between(&self, previous_end: Option<usize>, start: usize) -> bool {
        previous_end.is_some_and(|end| self.text[end..start].matches('\n').count() >= 2)
    }

    /// Entries and the comments around them, as complete indented lines.
    fn sequence(&mut self, nodes: &[Node], region: Span, level: usize) -> String {
        let mut lines = Vec::new();
        let mut pos = region.start;
        let mut previous_end = None;
        for node in nodes {
            let span = node.span();
            for c in self.take_between(pos, span.start) {
                let c_span = self.comments[c].span;
                lines.push(Line {
                    unit: Unit::Comment(c),
                    blank_before: self.blank_between(previous_end, c_span.start),
                });
                previous_end = Some(c_span.end);
            }
            let blank_before = self.blank_between(previous_end, span.start);
            let trailing = self.take_trailing(span.end, region.end);
            lines.push(Line {
                unit: Unit::Node(*node, trailing),
                blank_before,
            });
            pos = trailing.map_or(span.end, |c| self.comments[c].span.end);
            previous_end = Some(pos);
        }
        for c in self.take_between(pos, region.end) {
            let c_span = self.comments[c].span;
            lines.push(Line {
                unit: Unit::Comment(c),
                blank_before: self.blank_between(previous_end, c_span.start),
            });
            previous_end = Some(c_span.end);
        }
        self.emit(&lines, level)
    }

    fn emit(&mut self, lines: &[Line], level: usize) -> String {
        let widths = alignment(lines);
        let indent = self.indent(level);
        let mut out = String::new();
        for (line, name_width) in lines.iter().zip(widths) {
            if line.blank_before {
                out.push('\n');
            }
            out.push_str(&indent);
            let trailing = match line.unit {
                Unit::Comment(c) => {
                    out.push_str(self.comment_text(c));
                    None
                }
                Unit::Node(Node::Item(item), trailing) => {
                    let text = self.item(item, level);
                    out.push_str(&text);
                    trailing
                }
                Unit::Node(Node::Attr(attr), trailing) => {
                    let text = self.attribute(attr, level, name_width);
                    out.push_str(&text);
                    trailing
                }
            };
            if let Some(c) = trailing {
                out.push_str("  ");
                out.push_str(self.comment_text(c));
            }
            out.push('\n');
        }
        out
    }

    /// Written exactly as in the source: for entries with comments no layout can keep in place.
    fn verbatim(&mut self, span: Span) -> String {
        for (i, c) in self.comments.iter().enumerate() {
            if span.start <= c.span.start && c.span.start < span.end {
                self.used[i] = true;
            }
        }
        self.raw(span)
    }

    fn header(&self, item: &Item) -> String {
        let mut out = item.keyword.text.to_string();
        if let Some(name) = &item.name {
            out.push(' ');
            out.push_str(&name.text);
        }
        match &item.type_clause {
            Some(TypeClause::Type(path)) => {
                out.push_str(" : ");
                out.push_str(&path.text());
            }
            Some(TypeClause::Endpoints { from, arrow, to }) => {
                out.push_str(&format!(
                    " : {} {} {}",
                    from.text(),
                    arrow.as_str(),
                    to.text()
                ));
            }
            None => {}
        }
        if let Some(title) = &item.title {
            out.push(' ');
            out.push_str(&self.raw(title.span));
        }
        out
    }

    fn item(&mut self, item: &Item, level: usize) -> String {
        let header_end = item.body.as_ref().map_or(item.span.end, |b| b.span.start);
        if self.has_comment(Span::new(item.span.start, header_end)) {
            return self.verbatim(item.span);
        }
        let header = self.header(item);
        let Some(block) = &item.body else {
            return header;
        };
        if block.entries.is_empty() && !self.has_comment(block.span) {
            return format!("{header} {{}}");
        }
        if let Some(inline) = self.inline_block(block, level, &header) {
            return format!("{header} {inline}");
        }
        let mut out = format!("{header} {{");
        let mut region = Span::new(block.span.start + 1, block.span.end - 1);
        if let Some(c) = self.take_trailing(region.start, region.end) {
            out.push_str("  ");
            out.push_str(self.comment_text(c));
            region.start = self.comments[c].span.end;
        }
        out.push('\n');
        let nodes: Vec<Node> = block.entries.iter().map(Node::from).collect();
        out.push_str(&self.sequence(&nodes, region, level + 1));
        out.push_str(&self.indent(level));
        out.push('}');
        out
    }

    /// `{ a = 1  b = 2 }` for a short block of simple attributes that fits on the line.
    fn inline_block(&self, block: &Block, level: usize, header: &str) -> Option<String> {
        if block.entries.len() > 3 || self.has_comment(block.span) {
            return None;
        }
        let mut parts = Vec::new();
        for entry in &block.entries {
            let Entry::Attribute(attr) = entry else {
                return None;
            };
            if matches!(attr.value.kind, ValueKind::Map(_)) {
                return None;
            }
            parts.push(format!("{} = {}", attr.name.text, self.flat(&attr.value)?));
        }
        let inline = format!("{{ {} }}", parts.join("  "));
        let line_width = level * self.opts.indent_width + width(header) + 1 + width(&inline);
        (line_width <= self.opts.max_width).then_some(inline)
    }

    fn attribute(&mut self, attr: &Attribute, level: usize, name_width: usize) -> String {
        let before_value = Span::new(attr.name.span.start, attr.value.span.start);
        if self.has_comment(before_value) || !self.structurable(&attr.value) {
            return self.verbatim(attr.span);
        }
        let name = &attr.name.text;
        let pad = " ".repeat(name_width.saturating_sub(width(name)));
        let prefix = format!("{name}{pad} = ");
        let column = level * self.opts.indent_width + width(&prefix);
        let value = self.value(&attr.value, level, column);
        prefix + &value
    }

    /// Whether every comment inside the value sits between the elements of a list or map,
    /// where the broken layout keeps it.
    fn structurable(&self, value: &Value) -> bool {
        match &value.kind {
            ValueKind::List(items) => items.iter().all(|v| self.structurable(v)),
            ValueKind::Map(entries) => entries.iter().all(|(key, v)| {
                !self.has_comment(Span::new(key.span.start, v.span.start)) && self.structurable(v)
            }),
            _ => !self.has_comment(value.span),
        }
    }

    /// The one-line form, when the value has no comment and no line break.
    fn flat(&self, value: &Value) -> Option<String> {
        if self.has_comment(value.span) {
            return None;
        }
        let text = match &value.kind {
            ValueKind::List(items) => {
                let parts: Option<Vec<String>> = items.iter().map(|v| self.flat(v)).collect();
                format!("[{}]", parts?.join(", "))
            }
            ValueKind::Map(entries) if entries.is_empty() => "{}".to_string(),
            ValueKind::Map(entries) => {
                let parts: Option<Vec<String>> = entries
                    .iter()
                    .map(|(k, v)| Some(format!("{}: {}", k.text(), self.flat(v)?)))
                    .collect();
                format!("{{ {} }}", parts?.join(", "))
            }
            ValueKind::Direction { from, arrow, to } => {
                format!("{} {} {}", from.text(), arrow.as_str(), to.text())
            }
            _ => self.raw(value.span),
        };
        (!text.contains('\n')).then_some(text)
    }

    /// The value starting at `column`: flat when it fits, else broken one element per line.
    fn value(&mut self, value: &Value, level: usize, column: usize) -> String {
        let breakable = match &value.kind {
            ValueKind::List(items) => !items.is_empty(),
            ValueKind::Map(entries) => !entries.is_empty(),
            _ => false,
        };
        if let Some(flat) = self.flat(value)
            && (!breakable || column + width(&flat) <= self.opts.max_width)
        {
            return flat;
        }
        match &value.kind {
            ValueKind::List(items) => {
                let elements: Vec<Element> = items
                    .iter()
                    .map(|v| Element {
                        key: None,
                        value: v,
                    })
                    .collect();
                self.broken(value.span, &elements, level, ('[', ']'))
            }
            ValueKind::Map(entries) => {
                let elements: Vec<Element> = entries
                    .iter()
                    .map(|(k, v)| Element {
                        key: Some((k.text(), k.span.start)),
                        value: v,
                    })
                    .collect();
                self.broken(value.span, &elements, level, ('{', '}'))
            }
            // Multi-line strings and anything else unbreakable: as written.
            _ => self.raw(value.span),
        }
    }

    fn broken(
        &mut self,
        span: Span,
        elements: &[Element],
        level: usize,
        brackets: (char, char),
    ) -> String {
        let inner = level + 1;
        let indent = self.indent(inner);
        let mut out = format!("{}\n", brackets.0);
        let mut pos = span.start + 1;
        let end = span.end - 1;
        for element in elements {
            let start = element
                .key
                .as_ref()
                .map_or(element.value.span.start, |k| k.1);
            for c in self.take_between(pos, start) {
                out.push_str(&format!("{indent}{}\n", self.comment_text(c)));
            }
            let (prefix, column) = match &element.key {
                Some((key, _)) => (
                    format!("{key}: "),
                    inner * self.opts.indent_width + width(key) + 2,
                ),
                None => (String::new(), inner * self.opts.indent_width),
            };
            let text = self.value(element.value, inner, column);
            out.push_str(&format!("{indent}{prefix}{text},"));
            let trailing = self.take_trailing(element.value.span.end, end);
            if let Some(c) = trailing {
                out.push_str("  ");
                out.push_str(self.comment_text(c));
            }
            out.push('\n');
            pos = trailing.map_or(element.value.span.end, |c| self.comments[c].span.end);
        }
        for c in self.take_between(pos, end) {
            out.push_str(&format!("{indent}{}\n", self.comment_text(c)));
        }
        out.push_str(&self.indent(level));
        out.push(brackets.1);
        out
    }
}

/// A list element or a map entry (`key: value`, with the key's start offset).
struct Element<'a> {
    key: Option<(String, usize)>,
    value: &'a Value,
}

/// The name width each attribute line is padded to: the widest name of its run. A run is a
/// stretch of attributes not broken by a blank line or a nested item.
fn alignment(lines: &[Line]) -> Vec<usize> {
    let mut widths = vec![0; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        if !matches!(lines[i].unit, Unit::Node(Node::Attr(_), _)) {
            i += 1;
            continue;
        }
        let mut members = Vec::new();
        let mut widest = 0;
        let mut j = i;
        while j < lines.len() {
            if j > i && lines[j].blank_before {
                break;
            }
            match lines[j].unit {
                Unit::Node(Node::Attr(attr), _) => {
                    members.push(j);
                    widest = widest.max(width(&attr.name.text));
                }
                Unit::Node(Node::Item(_), _) => break,
                Unit::Comment(_) => {}
            }
            j += 1;
        }
        for m in members {
            widths[m] = widest;
        }
        i = j.max(i + 1);
    }
    widths
}

/// Replaces `from` by `to` everywhere except inside string literals, which keep their line
/// ends byte for byte (a CRLF inside a multi-line string is part of its value). Comments are
/// skipped over, so a quote in a comment opens no string.
fn line_ends_outside_strings(text: &str, from: &str, to: &str) -> String {
    // Byte-wise: `from` and the delimiters are ASCII, so no match starts inside a character.
    let bytes = text.as_bytes();
    let from = from.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                // To the closing quote, past escapes; an unclosed string runs to the end.
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' && !bytes[i..].starts_with(from) {
                    i += 1;
                }
            }
            _ if bytes[i..].starts_with(from) => {
                out.push_str(&text[copied..i]);
                out.push_str(to);
                i += from.len();
                copied = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&text[copied..]);
    out
}
