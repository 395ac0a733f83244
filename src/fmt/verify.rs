//! The check every formatted file passes before it is handed back: it parses, it holds the same
//! items, attributes and values, and the same comments.

use std::fmt::Write;

use super::FormatError;
use crate::syntax::{self, Entry, Item, SyntaxFile, TypeClause, Value, ValueKind};

pub(super) fn same_file(input: &str, tree: &SyntaxFile, output: &str) -> Result<(), FormatError> {
    let formatted = syntax::parse(output);
    if let Some(error) = formatted.errors.first() {
        return Err(FormatError::Internal(format!(
            "the result does not parse: {}",
            error.message
        )));
    }
    if shape(&tree.items) != shape(&formatted.items) {
        return Err(FormatError::Internal("the result changes the model".into()));
    }
    if comment_texts(input, tree) != comment_texts(output, &formatted) {
        return Err(FormatError::Internal(
            "the result changes the comments".into(),
        ));
    }
    Ok(())
}

/// The comments of a file as a sorted list of texts, trailing whitespace removed (the only
/// change the formatter makes to a comment).
pub fn comment_texts(text: &str, tree: &SyntaxFile) -> Vec<String> {
    let mut texts: Vec<String> = tree
        .comments
        .iter()
        .map(|c| text[c.span.start..c.span.end].trim_end().to_string())
        .collect();
    texts.sort();
    texts
}

/// A dump of the tree without positions: equal shapes mean equal files up to layout.
pub fn shape(items: &[Item]) -> String {
    let mut out = String::new();
    for item in items {
        item_shape(item, &mut out);
    }
    out
}

fn item_shape(item: &Item, out: &mut String) {
    let _ = write!(out, "({}", item.keyword.text);
    if let Some(name) = &item.name {
        let _ = write!(out, " name={}", name.text);
    }
    match &item.type_clause {
        Some(TypeClause::Type(p)) => {
            let _ = write!(out, " type={}", p.text());
        }
        Some(TypeClause::Endpoints { from, arrow, to }) => {
            let _ = write!(out, " ends={}{}{}", from.text(), arrow.as_str(), to.text());
        }
        None => {}
    }
    if let Some(title) = &item.title {
        let _ = write!(out, " title={:?}", title.value);
    }
    if let Some(body) = &item.body {
        out.push_str(" {");
        for entry in &body.entries {
            match entry {
                Entry::Attribute(a) => {
                    let _ = write!(out, " {}=", a.name.text);
                    value_shape(&a.value, out);
                }
                Entry::Item(i) => item_shape(i, out),
            }
        }
        out.push('}');
    }
    out.push(')');
}

fn value_shape(value: &Value, out: &mut String) {
    match &value.kind {
        ValueKind::List(items) => {
            out.push('[');
            for v in items {
                value_shape(v, out);
                out.push(',');
            }
            out.push(']');
        }
        ValueKind::Map(entries) => {
            out.push('{');
            for (k, v) in entries {
                let _ = write!(out, "{}:", k.text());
                value_shape(v, out);
                out.push(',');
            }
            out.push('}');
        }
        ValueKind::Date(d) => {
            let _ = write!(out, "date:{d}");
        }
        ValueKind::Number(n) => {
            let _ = write!(out, "num:{n}");
        }
        ValueKind::Str(s) => {
            let _ = write!(out, "{s:?}");
        }
        ValueKind::Direction { from, arrow, to } => {
            let _ = write!(out, "dir:{}{}{}", from.text(), arrow.as_str(), to.text());
        }
        ValueKind::Service { protocol, port } => {
            let _ = write!(out, "svc:{}:{port}", protocol.text);
        }
        ValueKind::Path(p) => out.push_str(&p.text()),
    }
}
