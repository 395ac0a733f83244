//! Semantic tokens for a whole file: keywords, element ids, attribute names, enumerated words,
//! strings, numbers and comments. Read from the syntax tree and the vocabulary, so the colours
//! follow the language's meaning (a word is an id or an enumerated value by its attribute's
//! type), not a regular expression.

use lsp_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens, SemanticTokensParams,
    SemanticTokensResult,
};

use super::{Result, file_of};
use crate::lsp::line_index::LineIndex;
use crate::lsp::server::Server;
use crate::model::vocabulary::{ElementKind, Ty};
use crate::syntax::{self, Entry, Item, Span, TypeClause, Value, ValueKind};

pub const TOKEN_TYPES: &[SemanticTokenType] = &[
    SemanticTokenType::KEYWORD,
    SemanticTokenType::VARIABLE,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::ENUM_MEMBER,
    SemanticTokenType::STRING,
    SemanticTokenType::NUMBER,
    SemanticTokenType::COMMENT,
    SemanticTokenType::TYPE,
];
pub const TOKEN_MODIFIERS: &[SemanticTokenModifier] = &[SemanticTokenModifier::DECLARATION];

const KEYWORD: u32 = 0;
const VARIABLE: u32 = 1;
const PROPERTY: u32 = 2;
const ENUM_MEMBER: u32 = 3;
const STRING: u32 = 4;
const NUMBER: u32 = 5;
const COMMENT: u32 = 6;
const TYPE: u32 = 7;
const DECLARATION: u32 = 1;

struct Token {
    span: Span,
    kind: u32,
    modifiers: u32,
}

pub fn semantic_tokens_full(
    server: &Server,
    params: SemanticTokensParams,
) -> Result<Option<SemanticTokensResult>> {
    let Some(file) = file_of(server, &params.text_document.uri) else {
        return Ok(None);
    };
    let text = server.analysis.text(file);
    Ok(Some(SemanticTokensResult::Tokens(SemanticTokens {
        result_id: None,
        data: encode(text, &tokens(text)),
    })))
}

fn tokens(text: &str) -> Vec<Token> {
    let tree = syntax::parse(text);
    let mut out: Vec<Token> = tree
        .comments
        .iter()
        .map(|c| Token {
            span: c.span,
            kind: COMMENT,
            modifiers: 0,
        })
        .collect();
    for item in &tree.items {
        item_tokens(item, &mut out);
    }
    out.sort_by_key(|t| (t.span.start, t.span.end));
    out
}

fn push(out: &mut Vec<Token>, span: Span, kind: u32) {
    out.push(Token {
        span,
        kind,
        modifiers: 0,
    });
}

fn item_tokens(item: &Item, out: &mut Vec<Token>) {
    push(out, item.keyword.span, KEYWORD);
    if let Some(name) = &item.name {
        out.push(Token {
            span: name.span,
            kind: VARIABLE,
            modifiers: DECLARATION,
        });
    }
    match &item.type_clause {
        Some(TypeClause::Type(path)) => push(out, path.span, TYPE),
        Some(TypeClause::Endpoints { from, to, .. }) => {
            push(out, from.span, VARIABLE);
            push(out, to.span, VARIABLE);
        }
        None => {}
    }
    if let Some(title) = &item.title {
        push(out, title.span, STRING);
    }
    let kind = ElementKind::from_keyword(&item.keyword.text);
    for entry in item.entries() {
        match entry {
            Entry::Item(child) => item_tokens(child, out),
            Entry::Attribute(attr) => {
                push(out, attr.name.span, PROPERTY);
                let ty = kind
                    .and_then(|k| k.spec().attr(&attr.name.text))
                    .map(|spec| &spec.ty);
                value_tokens(&attr.value, ty, out);
            }
        }
    }
}

/// `ty` is the attribute's vocabulary type; `None` in `custom` blocks and for unknown names.
fn value_tokens(value: &Value, ty: Option<&Ty>, out: &mut Vec<Token>) {
    let element_ty = match ty {
        Some(Ty::List(inner)) => Some(*inner),
        other => other,
    };
    match &value.kind {
        ValueKind::Str(_) => push(out, value.span, STRING),
        ValueKind::Number(_) | ValueKind::Date(_) => push(out, value.span, NUMBER),
        ValueKind::Path(path) => {
            let kind = match element_ty {
                Some(Ty::Ref(_) | Ty::Direction | Ty::Permissions) => VARIABLE,
                _ => ENUM_MEMBER,
            };
            push(out, path.span, kind);
        }
        ValueKind::List(items) => {
            for v in items {
                value_tokens(v, element_ty, out);
            }
        }
        ValueKind::Map(entries) => {
            let (key_kind, value_ty) = match ty {
                Some(Ty::Permissions) => (VARIABLE, None),
                _ => (ENUM_MEMBER, None),
            };
            for (key, v) in entries {
                push(out, key.span, key_kind);
                value_tokens(v, value_ty, out);
            }
        }
        ValueKind::Direction { from, to, .. } => {
            push(out, from.span, VARIABLE);
            push(out, to.span, VARIABLE);
        }
        ValueKind::Service { protocol, .. } => {
            push(out, protocol.span, ENUM_MEMBER);
            push(
                out,
                Span::new(protocol.span.end + 1, value.span.end),
                NUMBER,
            );
        }
    }
}

/// LSP's relative encoding; tokens that span lines (strings) are cut at each line end.
fn encode(text: &str, tokens: &[Token]) -> Vec<SemanticToken> {
    let lines = LineIndex::new(text);
    let mut data = Vec::with_capacity(tokens.len());
    let (mut last_line, mut last_start) = (0u32, 0u32);
    for token in tokens {
        let mut start = token.span.start;
        let end = token.span.end.min(text.len());
        while start < end {
            let line_end = text[start..end].find('\n').map_or(end, |i| start + i);
            let piece = text[start..line_end].trim_end_matches('\r');
            if !piece.is_empty() {
                let at = lines.position(text, start);
                let length: usize = piece.chars().map(char::len_utf16).sum();
                let delta_line = at.line - last_line;
                let delta_start = if delta_line == 0 {
                    at.character - last_start
                } else {
                    at.character
                };
                data.push(SemanticToken {
                    delta_line,
                    delta_start,
                    length: length as u32,
                    token_type: token.kind,
                    token_modifiers_bitset: token.modifiers,
                });
                (last_line, last_start) = (at.line, at.character);
            }
            start = line_end + 1;
        }
    }
    data
}
