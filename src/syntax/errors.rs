//! pest's parse errors in the words of the language reference.
//!
//! pest reports the rules it tried at the furthest position it reached. We re-run a failed
//! chunk with pest's detailed tracking on, which also gives the literal tokens (`=`, `:`, `}`)
//! it expected there, then say in one short phrase what could have come next: "a value", "an
//! attribute, an item or `}`". A few mistakes are common enough to deserve their own message: a
//! missing value after `=`, a `}` that closes nothing, `:` where `=` belongs.

use std::collections::BTreeSet;

use pest::Parser;
use pest::error::{Error, ErrorVariant, InputLocation};

use super::parse::{ModelParser, Rule};
use super::{Span, SyntaxError};

/// What the parser could have accepted, in the order a sentence lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Expected {
    Value,
    Name,
    Attribute,
    Item,
    String,
    Colon,
    Equals,
    Comma,
    Arrow,
    OpenBrace,
    CloseBracket,
    CloseBrace,
    End,
}

impl Expected {
    fn words(self) -> &'static str {
        match self {
            Expected::Value => "a value",
            Expected::Name => "a name",
            Expected::Attribute => "an attribute",
            Expected::Item => "an item",
            Expected::String => "a string",
            Expected::Colon => "`:`",
            Expected::Equals => "`=`",
            Expected::Comma => "`,`",
            Expected::Arrow => "`->`",
            Expected::OpenBrace => "`{`",
            Expected::CloseBracket => "`]`",
            Expected::CloseBrace => "`}`",
            Expected::End => "the end of the item",
        }
    }
}

/// Builds the error for a chunk (`chunk` within `text`) that pest rejected.
pub(super) fn syntax_error(err: &Error<Rule>, text: &str, chunk: Span) -> SyntaxError {
    let source = &text[chunk.start..chunk.end];
    let (pos, expected) = expectations(err, source);
    let at = chunk.start + pos;
    let before = &text[..at];
    let rest = &text[at..chunk.end];
    let (found, width) = describe_found(rest, at == text.len());

    if let Some(error) = missing_value(text, at, &expected) {
        return error;
    }
    if let Some(closer) = rest.chars().next().filter(|c| matches!(c, '}' | ']'))
        && expected.contains(&Expected::Item)
        && !expected.contains(&Expected::Attribute)
    {
        let opener = if closer == '}' { '{' } else { '[' };
        return SyntaxError {
            code: "syntax-error",
            message: format!("unexpected `{closer}`"),
            span: Span::new(at, at + 1),
            label: format!("this `{closer}` closes nothing"),
            help: Some(format!("remove it, or look for a missing `{opener}` above")),
            related: None,
        };
    }

    if let Some(error) = colon_attribute(before) {
        return error;
    }
    let wanted = sentence(&expected);
    let help = if expected.contains(&Expected::Attribute)
        && !matches!(
            found.as_str(),
            "the end of the file" | "the end of the item"
        )
        && !rest.starts_with('=')
    {
        second_value_help(line_before(before), rest)
    } else {
        None
    };
    SyntaxError {
        code: "syntax-error",
        message: format!("expected {wanted}, found {found}"),
        span: Span::new(at, at + width),
        label: format!("expected {wanted}"),
        help,
        related: None,
    }
}

/// Where the parser gave up, and what it would have accepted there.
fn expectations(err: &Error<Rule>, source: &str) -> (usize, BTreeSet<Expected>) {
    let error_pos = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let positives: &[Rule] = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => positives,
        ErrorVariant::CustomError { .. } => &[],
    };
    let mut expected = BTreeSet::new();
    let pos = match detailed_attempts(source) {
        Some(Attempts {
            max_position,
            tokens,
            deepest_rules,
        }) if max_position >= error_pos => {
            if max_position == error_pos {
                expected.extend(positives.iter().filter_map(|r| from_rule(*r)));
            }
            expected.extend(deepest_rules.into_iter().filter_map(from_attempted_rule));
            let has = |t: &str| tokens.iter().any(|x| x == t);
            if has("[") && has("\"") {
                expected.insert(Expected::Value);
            } else if has("\"") {
                expected.insert(Expected::String);
            }
            for (token, word) in [
                ("}", Expected::CloseBrace),
                ("]", Expected::CloseBracket),
                (":", Expected::Colon),
                ("=", Expected::Equals),
                (",", Expected::Comma),
                ("->", Expected::Arrow),
            ] {
                if has(token) {
                    expected.insert(word);
                }
            }
            if has("{") && !expected.contains(&Expected::Value) {
                expected.insert(Expected::OpenBrace);
            }
            max_position
        }
        // pest's detailed tracking is a process-wide switch; should another thread have turned
        // it off between our two parses, the plain error still says enough.
        _ => {
            expected.extend(positives.iter().filter_map(|r| from_rule(*r)));
            error_pos
        }
    };
    tidy(&mut expected);
    (pos, expected)
}

/// What pest's detailed tracking saw at the furthest position it reached.
struct Attempts {
    max_position: usize,
    /// The literal tokens that would have fitted there (`=`, `}`, `"`...).
    tokens: Vec<String>,
    /// For each way the parse got there, the innermost rule.
    deepest_rules: Vec<Rule>,
}

/// Parses the chunk again with pest's detailed error tracking, which costs time on every
/// parse and is therefore only switched on for chunks already known to be broken.
fn detailed_attempts(source: &str) -> Option<Attempts> {
    // pest's detail switch is process-wide: without the lock, one thread switching it off
    // while another's detailed parse runs makes the wording depend on timing.
    static DETAIL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let guard = DETAIL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    pest::set_error_detail(true);
    let result = ModelParser::parse(Rule::chunk, source);
    pest::set_error_detail(false);
    drop(guard);
    let attempts = result.err()?.parse_attempts()?;
    Some(Attempts {
        max_position: attempts.max_position,
        // pest's token type is not exported; its display is the token's text.
        tokens: attempts
            .expected_tokens()
            .iter()
            .map(ToString::to_string)
            .collect(),
        deepest_rules: attempts
            .call_stacks()
            .iter()
            .filter_map(|stack| stack.deepest.get_rule().copied())
            .collect(),
    })
}

/// Rules pest lists as tried at the error position.
fn from_rule(rule: Rule) -> Option<Expected> {
    Some(match rule {
        Rule::chunk | Rule::item | Rule::head | Rule::keyword => Expected::Item,
        Rule::attribute | Rule::attr_name => Expected::Attribute,
        Rule::list
        | Rule::map
        | Rule::date
        | Rule::number
        | Rule::string_v
        | Rule::direction
        | Rule::service
        | Rule::value => Expected::Value,
        Rule::name | Rule::path | Rule::ident | Rule::endpoints => Expected::Name,
        Rule::title | Rule::string | Rule::string_inner => Expected::String,
        Rule::type_clause => Expected::Colon,
        Rule::block => Expected::OpenBrace,
        Rule::map_entry => Expected::Name,
        Rule::arrow => Expected::Arrow,
        Rule::integer => Expected::Value,
        Rule::EOI => Expected::End,
        _ => return None,
    })
}

/// The deepest rule of a call stack: either a rule tried at the position (an identifier), or
/// the rule around a literal token that failed (then the token says more, and the rule is
/// not listed).
fn from_attempted_rule(rule: Rule) -> Option<Expected> {
    match rule {
        Rule::keyword => Some(Expected::Item),
        Rule::attr_name => Some(Expected::Attribute),
        Rule::name | Rule::ident | Rule::path => Some(Expected::Name),
        _ => None,
    }
}

/// Drops alternatives that would only clutter the sentence.
fn tidy(expected: &mut BTreeSet<Expected>) {
    if expected.contains(&Expected::Value) {
        expected.remove(&Expected::Name);
        expected.remove(&Expected::String);
    }
    if expected.contains(&Expected::Attribute) || expected.contains(&Expected::Item) {
        // Separators between entries are optional.
        expected.remove(&Expected::Comma);
    }
    if expected.len() > 1 {
        // `a -> b` after a word is rare; offering it everywhere a word may end is noise.
        expected.remove(&Expected::Arrow);
    }
    if expected.len() > 1 {
        expected.remove(&Expected::End);
    }
}

fn sentence(expected: &BTreeSet<Expected>) -> String {
    let words: Vec<&str> = expected.iter().map(|e| e.words()).collect();
    match words.as_slice() {
        [] => "something else".into(),
        [one] => (*one).into(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// `name =` followed by nothing usable: the end of the line, a `}`, or the next attribute
/// (which the parser took as the value and then choked on its `=`).
fn missing_value(text: &str, at: usize, expected: &BTreeSet<Expected>) -> Option<SyntaxError> {
    let before = &text[..at];
    let rest = &text[at..];
    let (equals, name) = if expected.contains(&Expected::Value) {
        last_equals(before)?
    } else if rest.starts_with('=') {
        // `level =` <newline> `owner = x`: `owner` was read as the value of `level`.
        let trimmed = before.trim_end();
        let word_start = after_last(trimmed, |c| {
            !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        });
        let gap = &trimmed[..word_start];
        if !gap.trim_end_matches([' ', '\t']).ends_with('\n') {
            return None;
        }
        last_equals(gap)?
    } else {
        return None;
    };
    let line_end = text[equals..]
        .find(['\n', '\r'])
        .map_or(text.len(), |n| equals + n);
    let after_equals = &text[equals + 1..line_end];
    let (span, found, label) =
        if after_equals.trim().is_empty() || after_equals.trim().starts_with("//") {
            let end = equals + 1;
            let found = "the end of the line".to_string();
            (Span::new(end, end), found, "a value is missing here")
        } else {
            let (found, width) = describe_found(rest, rest.is_empty());
            (Span::new(at, at + width), found, "not a value")
        };
    Some(SyntaxError {
        code: "syntax-error",
        message: format!("expected a value after `{name} =`, found {found}"),
        span,
        label: label.into(),
        help: Some(format!(
            "give `{name}` a value, such as a word, a number, a \"string\" or a [list]"
        )),
        related: None,
    })
}

/// The offset just after the last character of `text` matching `pattern`, or 0. The character
/// may be wider than a byte (a byte-order mark inside a line, say): slicing one byte after it
/// would cut it in two.
fn after_last(text: &str, pattern: impl Fn(char) -> bool) -> usize {
    text.char_indices()
        .rev()
        .find(|(_, c)| pattern(*c))
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// The offset of the `=` ending `before` (blanks and line ends allowed after it), and the
/// attribute name in front of it.
fn last_equals(before: &str) -> Option<(usize, String)> {
    let trimmed = before.trim_end();
    let head = trimmed.strip_suffix('=')?;
    let name_part = head.trim_end();
    let name: String = name_part
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-'))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if name.is_empty() {
        return None;
    }
    Some((trimmed.len() - 1, name))
}

/// `sl_target: 2`: a word where an attribute may start, then `:`, then something that is no
/// type. (`kind: control` parses, as an item with a type; the model reports that one.) A word
/// after another word is an item's id (`component plc1 : 3`), not an attribute.
fn colon_attribute(before: &str) -> Option<SyntaxError> {
    let line = line_before(before);
    let line_offset = before.len() - line.len();
    let colon = line.rfind(':')?;
    if !line[colon + 1..].trim().is_empty() {
        return None;
    }
    let head = line[..colon].trim_end();
    let word_start = after_last(head, |c| !(c.is_alphanumeric() || matches!(c, '_' | '-')));
    let word = &head[word_start..];
    let attribute_may_start = head[..word_start]
        .trim_end()
        .chars()
        .next_back()
        .is_none_or(|c| matches!(c, '{' | ';' | ',' | '"' | ']' | '}') || c.is_ascii_digit());
    if word.is_empty() || !attribute_may_start {
        return None;
    }
    let at = line_offset + colon;
    Some(SyntaxError {
        code: "syntax-error",
        message: format!("expected `=` after `{word}`, found `:`"),
        span: Span::new(at, at + 1),
        label: "attributes take `=`".into(),
        help: Some(format!(
            "attributes are written `name = value`: write `{word} =` here"
        )),
        related: None,
    })
}

/// `level = 1 2` or `description = Line 3`: a second value after an attribute's value.
fn second_value_help(line: &str, rest: &str) -> Option<String> {
    let (_, value) = line.split_once('=')?;
    let first = value.trim();
    let is_word = first
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_');
    if !is_word {
        return Some("an attribute takes one value; write several as a list: `[a, b]`".into());
    }
    let rest_of_line = rest.lines().next().unwrap_or("");
    let rest_of_line = rest_of_line
        .split("//")
        .next()
        .unwrap_or("")
        .trim_end()
        .trim_end_matches(['}', ';', ','])
        .trim_end();
    Some(format!(
        "put text in double quotes: `\"{first} {rest_of_line}\"`; or write several values as a list"
    ))
}

/// The text of the current line up to the error.
fn line_before(before: &str) -> &str {
    before.rfind('\n').map_or(before, |i| &before[i + 1..])
}

/// Names what the parser tripped on, the way a user sees it, and how many bytes to underline.
fn describe_found(rest: &str, at_file_end: bool) -> (String, usize) {
    let Some(c) = rest.chars().next() else {
        let what = if at_file_end {
            "the end of the file"
        } else {
            "the end of the item"
        };
        return (what.into(), 0);
    };
    if c == '\n' || c == '\r' {
        return ("the end of the line".into(), 0);
    }
    if c.is_alphanumeric() || c == '_' {
        let word: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-' || *c == '.')
            .collect();
        return (format!("`{word}`"), word.len());
    }
    if c == '"' {
        return ("a string".into(), 1);
    }
    (format!("`{c}`"), c.len_utf8())
}
