//! Policy text to [`Policy`] trees. Catalogues in the same files use the model's item syntax
//! and are parsed by [`crate::syntax::parse`].

use pest::Parser;
use pest::error::InputLocation;
use pest::iterators::Pair;

use super::ast::*;
use crate::syntax::Span;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/model.pest"]
#[grammar = "../grammar/policy.pest"]
struct PolicyParser;

/// A parse error: where and what, in the language reference's words.
#[derive(Debug, Clone)]
pub struct ParseError {
    pub span: Span,
    pub message: String,
}

/// Deepest nesting of brackets accepted in a policy file, to protect the recursive parser.
pub(super) const MAX_DEPTH: usize = 64;

#[derive(Debug)]
pub struct Parsed {
    pub policies: Vec<Policy>,
    /// The file with every policy blanked out (offsets kept), for the catalogue parser.
    pub items_text: String,
}

pub fn parse(text: &str) -> Result<Parsed, ParseError> {
    check_depth(text)?;
    policy_by_policy(text, true).map_or_else(|| whole_file(text), Ok)
}

/// [`parse`] with pest alone, without the hand-written fast path: the reference the
/// differential tests and the fuzzer compare it with.
pub fn parse_reference(text: &str) -> Result<Parsed, ParseError> {
    check_depth(text)?;
    policy_by_policy(text, false).map_or_else(|| whole_file(text), Ok)
}

/// One `policy` block (the text from `policy` to its closing `}`) read by the hand-written
/// parser, `None` where it defers to pest. For the differential tests.
pub fn block_fast(block: &str) -> Option<Policy> {
    super::fast_parse::policy_block(block, 0)
}

/// The top-level `policy` blocks of a file, as [`parse`] cuts them out. For the differential
/// tests.
pub fn blocks(text: &str) -> Option<Vec<String>> {
    let ranges = policy_ranges(text)?;
    Some(
        ranges
            .into_iter()
            .map(|(s, e)| text[s..e].to_string())
            .collect(),
    )
}

/// One `policy` block read by pest, or pest's error. The documentation comment is left empty,
/// as the fast path leaves it: it lies outside the block, and the caller fills it in.
pub fn block_reference(block: &str) -> Result<Policy, ParseError> {
    let mut pairs = PolicyParser::parse(Rule::policy_alone, block).map_err(|e| from_pest(&e, 0))?;
    let pair = pairs
        .next()
        .and_then(|p| p.into_inner().next())
        .expect("policy_alone yields a policy");
    let mut p = policy(pair, block)?;
    p.doc.clear();
    Ok(p)
}

/// The fast way: a bracket scan finds each top-level `policy`, and only those are parsed here.
/// The catalogue items around them go to the model's own parser anyway; in the built-in packs
/// they are half the text, and reading them with pest as well was most of the start-up time of
/// every run. Each block goes to the hand-written parser (`fast_parse`, when `fast`) and, where
/// that declines, to pest. `None` when the scan or a policy does not parse: the whole-file parse
/// then reports the error as it always has.
fn policy_by_policy(text: &str, fast: bool) -> Option<Parsed> {
    let ranges = policy_ranges(text)?;
    let mut items_text = text.to_string();
    let mut policies = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        let block = &text[start..end];
        let fast_result = if fast {
            super::fast_parse::policy_block(block, start)
        } else {
            None
        };
        let mut p = match fast_result {
            Some(p) => p,
            None => {
                let mut p = block_reference(block).ok()?;
                shift_policy(&mut p, start);
                p
            }
        };
        p.doc = doc_comment(text, start);
        blank(&mut items_text, start, end);
        policies.push(p);
    }
    Some(Parsed {
        policies,
        items_text,
    })
}

/// Where each top-level `policy` item starts and ends, skipping strings and comments; `None`
/// when brackets or strings do not balance.
fn policy_ranges(text: &str) -> Option<Vec<(usize, usize)>> {
    const KEYWORD: &[u8] = b"policy";
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b >= 0x80;
    let mut ranges = Vec::new();
    let mut depth = 0usize;
    let mut open: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while *bytes.get(i)? != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i += bytes[i..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .unwrap_or(bytes.len() - i);
            }
            b'{' | b'[' | b'(' => depth += 1,
            b'}' | b']' | b')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0
                    && bytes[i] == b'}'
                    && let Some(start) = open.take()
                {
                    ranges.push((start, i + 1));
                }
            }
            b'p' if depth == 0
                && open.is_none()
                && bytes[i..].starts_with(KEYWORD)
                && (i == 0 || !is_word(bytes[i - 1]))
                && bytes
                    .get(i + KEYWORD.len())
                    .is_some_and(|b| b.is_ascii_whitespace()) =>
            {
                open = Some(i);
            }
            _ => {}
        }
        i += 1;
    }
    (depth == 0 && open.is_none()).then_some(ranges)
}

/// The whole file through pest, catalogue items included: slower, but its errors name what was
/// expected at the point where the file stops making sense.
fn whole_file(text: &str) -> Result<Parsed, ParseError> {
    let mut pairs = PolicyParser::parse(Rule::policy_file, text).map_err(|e| from_pest(&e, 0))?;
    let file = pairs.next().expect("policy_file yields one pair");
    let mut policies = Vec::new();
    let mut items_text = text.to_string();
    for pair in file.into_inner() {
        if pair.as_rule() == Rule::policy {
            let span = pair.as_span();
            blank(&mut items_text, span.start(), span.end());
            policies.push(policy(pair, text)?);
        }
    }
    Ok(Parsed {
        policies,
        items_text,
    })
}

/// Bytes, not characters: brackets, quotes and backslashes are ASCII, and no byte of a multi-byte
/// character is ASCII. Decoding characters here cost as much as the fast parse of the policies.
fn check_depth(text: &str) -> Result<(), ParseError> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(ParseError {
                        span: Span::new(i, i + 1),
                        message: format!("brackets nest more than {MAX_DEPTH} levels deep"),
                    });
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Replaces a range with spaces, keeping newlines so that line numbers stay right.
fn blank(text: &mut String, start: usize, end: usize) {
    let replaced: String = text[start..end]
        .chars()
        .map(|c| if c == '\n' { '\n' } else { ' ' })
        .collect();
    // Multi-byte characters become one space each: pad so that later offsets do not move.
    let pad = (end - start) - replaced.len();
    text.replace_range(start..end, &(replaced + &" ".repeat(pad)));
}

fn from_pest(err: &pest::error::Error<Rule>, base: usize) -> ParseError {
    let pos = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let expected = match &err.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            let mut words: Vec<&str> = positives.iter().map(|r| rule_words(*r)).collect();
            words.sort_unstable();
            words.dedup();
            if words.len() > 1 {
                words.retain(|w| *w != "something else");
            }
            if words.contains(&"an expression") {
                "an expression".to_string()
            } else {
                words.join(" or ")
            }
        }
        pest::error::ErrorVariant::CustomError { message } => message.clone(),
    };
    ParseError {
        span: Span::new(base + pos, base + pos + 1),
        message: format!("syntax error: expected {expected}"),
    }
}

fn rule_words(rule: Rule) -> &'static str {
    match rule {
        Rule::policy | Rule::kw_policy => "`policy`",
        Rule::item | Rule::keyword => "`catalogue`",
        Rule::rule_id => "a rule id",
        Rule::c_requirement
        | Rule::c_severity
        | Rule::c_tags
        | Rule::c_target
        | Rule::c_for
        | Rule::c_where
        | Rule::c_let
        | Rule::c_require
        | Rule::c_report
        | Rule::c_at
        | Rule::c_label
        | Rule::c_help
        | Rule::c_fix => "a clause (`for`, `where`, `require`, `report`, ...)",
        Rule::expr
        | Rule::or_expr
        | Rule::and_expr
        | Rule::not_expr
        | Rule::cmp_expr
        | Rule::sum_expr
        | Rule::postfix
        | Rule::call
        | Rule::paren
        | Rule::word
        | Rule::number
        | Rule::list_lit => "an expression",
        Rule::cmp_op | Rule::sum_op | Rule::kw_and | Rule::kw_or => "an operator",
        Rule::string | Rule::title => "a string",
        Rule::ident | Rule::name => "a name",
        Rule::kw_in => "`in`",
        Rule::kw_set => "`set`",
        Rule::EOI => "the end of the file",
        _ => "something else",
    }
}

fn span(pair: &Pair<Rule>) -> Span {
    Span::new(pair.as_span().start(), pair.as_span().end())
}

fn name(pair: Pair<Rule>) -> Name {
    Name {
        text: pair.as_str().to_string(),
        span: span(&pair),
    }
}

/// The unescaped content of a `string` pair (or of a rule wrapping one).
fn string_value(pair: Pair<Rule>) -> String {
    let raw = pair
        .into_inner()
        .flatten()
        .find(|p| p.as_rule() == Rule::string_inner)
        .map_or("", |p| p.as_str());
    unescape(raw)
}

/// A string's text between the quotes, escapes resolved.
pub(super) fn unescape(raw: &str) -> String {
    let mut out = String::new();
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn policy(pair: Pair<Rule>, text: &str) -> Result<Policy, ParseError> {
    let policy_span = span(&pair);
    let mut inner = pair.into_inner();
    let _keyword = inner.next();
    let id_pair = inner.next().expect("a policy has an id");
    let mut p = Policy {
        id: id_pair.as_str().to_string(),
        id_span: span(&id_pair),
        title: None,
        doc: doc_comment(text, policy_span.start),
        clauses: Vec::new(),
        span: policy_span,
    };
    for part in inner {
        match part.as_rule() {
            Rule::title => p.title = Some(string_value(part)),
            _ => p.clauses.push(clause(part, text)?),
        }
    }
    Ok(p)
}

fn clause(pair: Pair<Rule>, text: &str) -> Result<Clause, ParseError> {
    let rule = pair.as_rule();
    if rule == Rule::c_tags {
        return Ok(Clause::Tags(
            pair.into_inner()
                .filter(|p| p.as_rule() == Rule::string)
                .map(string_value)
                .collect(),
        ));
    }
    let mut parts = pair.into_inner().filter(|p| !is_keyword(p.as_rule()));
    let mut next = || {
        parts
            .next()
            .expect("the grammar guarantees the clause's parts")
    };
    Ok(match rule {
        Rule::c_requirement => {
            let s = next();
            let sp = span(&s);
            Clause::Requirement(string_value(s), sp)
        }
        Rule::c_severity => Clause::Severity(name(next())),
        Rule::c_target => Clause::Target(expr(next())),
        Rule::c_for => {
            let var = name(next());
            Clause::For(var, expr(next()))
        }
        Rule::c_where => Clause::Where(expr(next())),
        Rule::c_let => {
            let var = name(next());
            Clause::Let(var, expr(next()))
        }
        Rule::c_require => Clause::Require(expr(next())),
        Rule::c_report => Clause::Report(template(next(), text)?),
        Rule::c_at => {
            let target = expr(next());
            let label = match parts.next() {
                Some(t) => Some(template(t, text)?),
                None => None,
            };
            Clause::At(target, label)
        }
        Rule::c_label => {
            let target = expr(next());
            Clause::Label(target, template(next(), text)?)
        }
        Rule::c_help => Clause::Help(template(next(), text)?),
        Rule::c_fix => {
            let title = string_value(next());
            let target = postfix(next());
            let value_pair = next().into_inner().next().expect("fix value");
            let value = match value_pair.as_rule() {
                Rule::string => FixValue::Str(string_value(value_pair)),
                Rule::number => FixValue::Number(value_pair.as_str().to_string()),
                _ => FixValue::Word(value_pair.as_str().to_string()),
            };
            Clause::Fix {
                title,
                target,
                value,
            }
        }
        other => unreachable!("not a clause: {other:?}"),
    })
}

fn is_keyword(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_requirement
            | Rule::kw_severity
            | Rule::kw_tags
            | Rule::kw_target
            | Rule::kw_for
            | Rule::kw_in
            | Rule::kw_where
            | Rule::kw_let
            | Rule::kw_require
            | Rule::kw_report
            | Rule::kw_at
            | Rule::kw_label
            | Rule::kw_help
            | Rule::kw_fix
            | Rule::kw_set
    )
}

fn template(pair: Pair<Rule>, text: &str) -> Result<Template, ParseError> {
    let whole = span(&pair);
    let inner_pair = pair
        .clone()
        .into_inner()
        .flatten()
        .find(|p| p.as_rule() == Rule::string_inner);
    let (raw, base) =
        inner_pair.map_or(("", whole.start + 1), |p| (p.as_str(), p.as_span().start()));
    let _ = text;
    template_from_raw(raw, base, |source, at| {
        let hole =
            PolicyParser::parse(Rule::template_expr, source).map_err(|e| from_pest(&e, at))?;
        let e = hole
            .into_iter()
            .next()
            .expect("template_expr")
            .into_inner()
            .next()
            .expect("expr");
        Ok(shift(expr(e), at))
    })
}

/// Splits a message's raw text (`base` is where it starts in the file) into literal text and
/// `{...}` holes; `hole` parses one hole's source, given where that starts.
pub(super) fn template_from_raw(
    raw: &str,
    base: usize,
    mut hole: impl FnMut(&str, usize) -> Result<Expr, ParseError>,
) -> Result<Template, ParseError> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, 'n')) => literal.push('\n'),
                Some((_, 't')) => literal.push('\t'),
                Some((_, o)) => literal.push(o),
                None => {}
            },
            '{' if chars.peek().map(|(_, c)| *c) == Some('{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek().map(|(_, c)| *c) == Some('}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let start = i + 1;
                let Some(len) = raw[start..].find('}') else {
                    return Err(ParseError {
                        span: Span::new(base + i, base + i + 1),
                        message:
                            "this `{` in a message is never closed (write `{{` for a literal brace)"
                                .into(),
                    });
                };
                let e = hole(&raw[start..start + len], base + start)?;
                if !literal.is_empty() {
                    parts.push(TemplatePart::Text(std::mem::take(&mut literal)));
                }
                parts.push(TemplatePart::Hole(e));
                while chars.peek().is_some_and(|(j, _)| *j < start + len + 1) {
                    chars.next();
                }
            }
            other => literal.push(other),
        }
    }
    if !literal.is_empty() {
        parts.push(TemplatePart::Text(literal));
    }
    Ok(Template { parts })
}

/// Moves a policy parsed from a substring to its place in the file.
fn shift_policy(p: &mut Policy, by: usize) {
    let moved = |s: Span| Span::new(s.start + by, s.end + by);
    let template = |t: &mut Template| {
        for part in &mut t.parts {
            if let TemplatePart::Hole(e) = part {
                shift_expr(e, by);
            }
        }
    };
    p.span = moved(p.span);
    p.id_span = moved(p.id_span);
    for clause in &mut p.clauses {
        match clause {
            Clause::Requirement(_, span) => *span = moved(*span),
            Clause::Severity(name) => name.span = moved(name.span),
            Clause::Tags(_) => {}
            Clause::Target(e) | Clause::Where(e) | Clause::Require(e) => shift_expr(e, by),
            Clause::For(name, e) | Clause::Let(name, e) => {
                name.span = moved(name.span);
                shift_expr(e, by);
            }
            Clause::Report(t) | Clause::Help(t) => template(t),
            Clause::At(e, t) => {
                shift_expr(e, by);
                if let Some(t) = t {
                    template(t);
                }
            }
            Clause::Label(e, t) => {
                shift_expr(e, by);
                template(t);
            }
            Clause::Fix { target, .. } => shift_expr(target, by),
        }
    }
}

/// Moves an expression parsed from a substring to its place in the file.
fn shift(mut e: Expr, by: usize) -> Expr {
    shift_expr(&mut e, by);
    e
}

fn shift_expr(e: &mut Expr, by: usize) {
    fn walk(e: &mut Expr, by: usize) {
        e.span = Span::new(e.span.start + by, e.span.end + by);
        match &mut e.kind {
            ExprKind::List(items) => items.iter_mut().for_each(|i| walk(i, by)),
            ExprKind::Member(base, n) => {
                walk(base, by);
                n.span = Span::new(n.span.start + by, n.span.end + by);
            }
            ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => {
                walk(a, by);
                walk(b, by);
            }
            ExprKind::Not(a) => walk(a, by),
            ExprKind::Call(n, args) => {
                n.span = Span::new(n.span.start + by, n.span.end + by);
                for arg in args {
                    match arg {
                        Arg::Expr(x) => walk(x, by),
                        Arg::Lambda(p, x) => {
                            p.span = Span::new(p.span.start + by, p.span.end + by);
                            walk(x, by);
                        }
                    }
                }
            }
            ExprKind::Number(_) | ExprKind::Str(_) | ExprKind::Word(_) => {}
        }
    }
    walk(e, by);
}

fn expr(pair: Pair<Rule>) -> Expr {
    let sp = span(&pair);
    match pair.as_rule() {
        Rule::expr => expr(pair.into_inner().next().expect("expr wraps or_expr")),
        Rule::or_expr | Rule::and_expr => {
            let op = if pair.as_rule() == Rule::or_expr {
                BinOp::Or
            } else {
                BinOp::And
            };
            let mut operands = pair
                .into_inner()
                .filter(|p| !matches!(p.as_rule(), Rule::kw_or | Rule::kw_and));
            let first = expr(operands.next().expect("at least one operand"));
            operands.fold(first, |acc, next| {
                let right = expr(next);
                let s = acc.span.cover(right.span);
                Expr {
                    kind: ExprKind::Binary(op, Box::new(acc), Box::new(right)),
                    span: s,
                }
            })
        }
        Rule::not_expr => {
            let mut nots = 0;
            let mut operand = None;
            for p in pair.into_inner() {
                if p.as_rule() == Rule::not_op {
                    nots += 1;
                } else {
                    operand = Some(expr(p));
                }
            }
            let mut e = operand.expect("not_expr has an operand");
            for _ in 0..nots {
                e = Expr {
                    kind: ExprKind::Not(Box::new(e)),
                    span: sp,
                };
            }
            e
        }
        Rule::cmp_expr => {
            let mut parts = pair.into_inner();
            let left = expr(parts.next().expect("left operand"));
            let Some(op) = parts.next() else { return left };
            let op = match op.as_str() {
                "==" => BinOp::Eq,
                "!=" => BinOp::Ne,
                "<=" => BinOp::Le,
                ">=" => BinOp::Ge,
                "<" => BinOp::Lt,
                ">" => BinOp::Gt,
                "in" => BinOp::In,
                _ => BinOp::NotIn,
            };
            let right = expr(parts.next().expect("right operand"));
            Expr {
                kind: ExprKind::Binary(op, Box::new(left), Box::new(right)),
                span: sp,
            }
        }
        Rule::sum_expr => {
            let mut parts = pair.into_inner();
            let mut acc = expr(parts.next().expect("first term"));
            while let (Some(op), Some(term)) = (parts.next(), parts.next()) {
                let op = if op.as_str() == "+" {
                    BinOp::Add
                } else {
                    BinOp::Sub
                };
                let right = expr(term);
                let s = acc.span.cover(right.span);
                acc = Expr {
                    kind: ExprKind::Binary(op, Box::new(acc), Box::new(right)),
                    span: s,
                };
            }
            acc
        }
        Rule::postfix => postfix(pair),
        Rule::number => Expr {
            kind: ExprKind::Number(pair.as_str().parse().unwrap_or(0.0)),
            span: sp,
        },
        Rule::string => Expr {
            kind: ExprKind::Str(string_value(pair)),
            span: sp,
        },
        Rule::list_lit => Expr {
            kind: ExprKind::List(pair.into_inner().map(expr).collect()),
            span: sp,
        },
        Rule::paren => expr(pair.into_inner().next().expect("parenthesised expression")),
        Rule::word => Expr {
            kind: ExprKind::Word(pair.as_str().to_string()),
            span: sp,
        },
        Rule::call => {
            let mut parts = pair.into_inner();
            let callee = name(parts.next().expect("function name"));
            let args = parts
                .map(|a| match a.as_rule() {
                    Rule::lambda => {
                        let mut l = a.into_inner();
                        let param = name(l.next().expect("lambda parameter"));
                        Arg::Lambda(param, expr(l.next().expect("lambda body")))
                    }
                    _ => Arg::Expr(expr(a)),
                })
                .collect();
            Expr {
                kind: ExprKind::Call(callee, args),
                span: sp,
            }
        }
        other => unreachable!("not an expression: {other:?}"),
    }
}

fn postfix(pair: Pair<Rule>) -> Expr {
    let mut parts = pair.into_inner();
    let mut acc = expr(parts.next().expect("primary"));
    for part in parts {
        let sp = acc.span.cover(span(&part));
        acc = match part.as_rule() {
            Rule::member => Expr {
                kind: ExprKind::Member(
                    Box::new(acc),
                    name(part.into_inner().next().expect("member name")),
                ),
                span: sp,
            },
            _ => Expr {
                kind: ExprKind::Index(
                    Box::new(acc),
                    Box::new(expr(part.into_inner().next().expect("index"))),
                ),
                span: sp,
            },
        };
    }
    acc
}

/// The `///` lines directly above `start`, joined.
fn doc_comment(text: &str, start: usize) -> String {
    let mut lines: Vec<&str> = Vec::new();
    for line in text[..start].lines().rev() {
        let t = line.trim();
        if t.is_empty() && lines.is_empty() {
            continue;
        }
        match t.strip_prefix("///") {
            Some(doc) => lines.push(doc.strip_prefix(' ').unwrap_or(doc)),
            None => break,
        }
    }
    lines.reverse();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path must read every shipped file exactly as the whole-file parse does.
    #[test]
    fn policy_by_policy_matches_the_whole_file_parse() {
        for source in crate::policy::builtin_sources(None) {
            let fast = policy_by_policy(&source.text, true)
                .unwrap_or_else(|| panic!("{}: fast path refused", source.name));
            let whole = whole_file(&source.text).expect("built-in policies parse");
            assert_eq!(fast.items_text, whole.items_text, "{}", source.name);
            assert_eq!(
                format!("{:?}", fast.policies),
                format!("{:?}", whole.policies),
                "{}",
                source.name
            );
        }
    }

    #[test]
    fn policy_ranges_skip_strings_comments_and_other_items() {
        let text = r#"// policy in a comment { }
catalogue c { note = "policy x { }" }
/// docs
policy p "t" { report "a } b" }
policy-like { }
"#;
        let ranges = policy_ranges(text).expect("balanced");
        let found: Vec<&str> = ranges.iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(found, [r#"policy p "t" { report "a } b" }"#]);
    }

    #[test]
    fn unbalanced_text_falls_back_to_the_whole_file_parse() {
        assert!(policy_ranges("policy p { ").is_none());
        assert!(policy_ranges("policy p { report \"open }").is_none());
        let err = parse("policy p {\n  severity error\n").unwrap_err();
        assert!(err.message.starts_with("syntax error"), "{}", err.message);
    }
}
