//! A readable text dump of a syntax tree, one node a line with its byte span: what the syntax
//! tests snapshot, and a quick way to see how a file was read.

use std::fmt::Write;

use super::{Arrow, Block, Entry, Item, Path, Span, SyntaxFile, TypeClause, Value, ValueKind};

/// Dumps the items, then the comments, then the regions that failed to parse.
pub fn dump(file: &SyntaxFile, text: &str) -> String {
    let mut out = Dumper {
        out: String::new(),
        text,
    };
    for item in &file.items {
        out.item(item, 0);
    }
    for comment in &file.comments {
        let kind = if comment.doc {
            "doc-comment"
        } else {
            "comment"
        };
        out.line(
            0,
            kind,
            comment.span,
            &format!("{:?}", out.slice(comment.span)),
        );
    }
    for broken in &file.broken {
        out.line(0, "broken", *broken, "");
    }
    out.out
}

struct Dumper<'t> {
    out: String,
    text: &'t str,
}

impl Dumper<'_> {
    fn slice(&self, span: Span) -> &str {
        self.text
            .get(span.start..span.end)
            .unwrap_or("<span outside the text>")
    }

    fn line(&mut self, depth: usize, what: &str, span: Span, detail: &str) {
        let indent = "  ".repeat(depth);
        let detail = if detail.is_empty() {
            String::new()
        } else {
            format!(" {detail}")
        };
        let _ = writeln!(
            self.out,
            "{indent}{what}@{}..{}{detail}",
            span.start, span.end
        );
    }

    fn item(&mut self, item: &Item, depth: usize) {
        self.line(depth, "item", item.span, &item.keyword.text);
        if let Some(name) = &item.name {
            self.line(depth + 1, "name", name.span, &name.text);
        }
        match &item.type_clause {
            Some(TypeClause::Type(path)) => self.path(depth + 1, "type", path),
            Some(TypeClause::Endpoints { from, arrow, to }) => {
                self.endpoints(depth + 1, "endpoints", from, *arrow, to)
            }
            None => {}
        }
        if let Some(title) = &item.title {
            self.line(
                depth + 1,
                "title",
                title.span,
                &format!("{:?}", title.value),
            );
        }
        if let Some(body) = &item.body {
            self.block(body, depth + 1);
        }
    }

    fn block(&mut self, block: &Block, depth: usize) {
        self.line(depth, "block", block.span, "");
        for entry in &block.entries {
            match entry {
                Entry::Attribute(attribute) => {
                    self.line(depth + 1, "attribute", attribute.span, &attribute.name.text);
                    self.value(&attribute.value, depth + 2);
                }
                Entry::Item(item) => self.item(item, depth + 1),
            }
        }
    }

    fn path(&mut self, depth: usize, what: &str, path: &Path) {
        self.line(depth, what, path.span, &path.text());
    }

    fn endpoints(&mut self, depth: usize, what: &str, from: &Path, arrow: Arrow, to: &Path) {
        let span = from.span.cover(to.span);
        let detail = format!("{} {} {}", from.text(), arrow.as_str(), to.text());
        self.line(depth, what, span, &detail);
    }

    fn value(&mut self, value: &Value, depth: usize) {
        match &value.kind {
            ValueKind::List(items) => {
                self.line(depth, "list", value.span, "");
                for item in items {
                    self.value(item, depth + 1);
                }
            }
            ValueKind::Map(entries) => {
                self.line(depth, "map", value.span, "");
                for (key, entry) in entries {
                    self.path(depth + 1, "key", key);
                    self.value(entry, depth + 2);
                }
            }
            ValueKind::Date(d) => self.line(depth, "date", value.span, d),
            ValueKind::Number(n) => self.line(depth, "number", value.span, n),
            ValueKind::Str(s) => self.line(depth, "string", value.span, &format!("{s:?}")),
            ValueKind::Direction { from, arrow, to } => {
                self.endpoints(depth, "direction", from, *arrow, to)
            }
            ValueKind::Service { protocol, port } => self.line(
                depth,
                "service",
                value.span,
                &format!("{}:{port}", protocol.text),
            ),
            ValueKind::Path(path) => {
                let what = if path.segments.len() == 1 {
                    "word"
                } else {
                    "path"
                };
                self.path(depth, what, path);
            }
        }
    }
}
