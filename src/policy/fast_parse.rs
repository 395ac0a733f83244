//! A hand-written parser for one `policy` block of `grammar/policy.pest`, used before pest.
//!
//! Every run loads the built-in packs, and profiling showed pest reading their policies as most
//! of the start-up time: rule-call bookkeeping and backtracking over ordered choices, dozens of
//! rules deep for every word of an expression. This parser reads a block in one forward pass
//! with the same ordered choices and builds the same [`Policy`], spans included — even where a
//! pest span takes in the whitespace and comments a rule skipped looking for an optional part
//! (a comparison or a `not` ends where the next token starts). It answers only for blocks it
//! parses completely: on anything it does not accept it returns `None`, and [`super::parse`]
//! hands the block to pest, which then builds the tree or words the error. So a difference
//! between the two could only ever be a tree pest would not build; the differential tests
//! (`tests/policy_fast_parse.rs`, the `policy` fuzz target) look for exactly that.
//!
//! pest stays the grammar of record. Each function below names the rule it mirrors. A choice is
//! made on the next token where the grammar allows it, and once made it is kept: if pest would
//! have backtracked out of it, this parser gives up instead, which is always safe.

use super::ast::*;
use super::parse::{MAX_DEPTH, template_from_raw, unescape};
use crate::syntax::{Cursor, Span, is_letter};

/// Stack that must remain before descending one more bracket; below it, parsing continues on a
/// fresh heap-allocated stack (policy files are parsed on rayon's worker threads).
const RED_ZONE: usize = 64 * 1024;
const GROWN_STACK: usize = 1024 * 1024;

/// Parses one block (`policy_alone = { SOI ~ policy ~ EOI }`); `base` is its offset in its
/// file. The documentation comment is left empty: it lies outside the block.
pub(super) fn policy_block(block: &str, base: usize) -> Option<Policy> {
    let mut p = Parser::new(block, base);
    p.skip();
    let policy = p.policy()?;
    p.skip();
    (p.pos == p.bytes.len()).then_some(policy)
}

struct Parser<'a> {
    cursor: Cursor<'a>,
    /// Brackets open around the current position, capped at [`MAX_DEPTH`].
    depth: usize,
}

/// The clause keywords and operators a `word` may not be (`reserved` in the grammar).
const RESERVED: &[&str] = &[
    "policy",
    "requirement",
    "severity",
    "tags",
    "target",
    "for",
    "in",
    "where",
    "let",
    "require",
    "report",
    "at",
    "label",
    "help",
    "fix",
    "set",
    "or",
    "and",
    "not",
];

impl<'a> Parser<'a> {
    fn new(text: &'a str, base: usize) -> Self {
        Parser {
            cursor: Cursor::new(text, base),
            depth: 0,
        }
    }

    /// Where `ident = @{ (LETTER | "_") ~ ident_char* }` starting at `at` ends, if it matches.
    fn ident_end(&self, at: usize) -> Option<usize> {
        let first = self.char_at(at)?;
        if !(is_letter(first) || first == '_') {
            return None;
        }
        let mut end = at + first.len_utf8();
        while self.ident_char_at(end) {
            end += self.char_at(end).map_or(1, char::len_utf8);
        }
        Some(end)
    }

    /// The identifier at the current position, without reading it.
    fn word_here(&self) -> Option<&'a str> {
        let end = self.ident_end(self.pos)?;
        Some(&self.text[self.pos..end])
    }

    /// `kw_x = @{ "x" ~ !ident_char }`: the keyword is the whole identifier here.
    fn keyword(&mut self, keyword: &str) -> bool {
        if self.word_here() == Some(keyword) {
            self.pos += keyword.len();
            true
        } else {
            false
        }
    }

    fn ident(&mut self) -> Option<Name> {
        let start = self.pos;
        let end = self.ident_end(start)?;
        self.pos = end;
        Some(Name {
            text: self.text[start..end].to_string(),
            span: self.span(start, end),
        })
    }

    /// `string`: the raw inside and where it starts ([`Cursor::string_raw`]).
    fn string(&mut self) -> Option<(&'a str, usize)> {
        self.cursor.string_raw()
    }

    /// A `string` read as a message template, holes parsed by this parser too.
    fn template(&mut self) -> Option<Template> {
        let (raw, inner) = self.string()?;
        let base = self.base + inner;
        template_from_raw(raw, base, |source, at| {
            hole(source, at).ok_or_else(|| super::parse::ParseError {
                span: Span::new(at, at),
                message: String::new(),
            })
        })
        .ok()
    }

    /// `policy = { kw_policy ~ rule_id ~ title? ~ "{" ~ clause* ~ "}" }`
    fn policy(&mut self) -> Option<Policy> {
        let start = self.pos;
        if !self.keyword("policy") {
            return None;
        }
        self.skip();
        // `rule_id = @{ (ASCII_ALPHANUMERIC | "-" | "_" | ".")+ }`
        let id_start = self.pos;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        {
            self.pos += 1;
        }
        if self.pos == id_start {
            return None;
        }
        let id_end = self.pos;
        self.skip();
        // `title = ${ string }`
        let title = match self.peek() {
            Some(b'"') => Some(unescape(self.string()?.0)),
            _ => None,
        };
        self.skip();
        if !self.eat(b'{') {
            return None;
        }
        let mut clauses = Vec::new();
        loop {
            self.skip();
            if self.eat(b'}') {
                break;
            }
            clauses.push(self.clause()?);
        }
        Some(Policy {
            id: self.text[id_start..id_end].to_string(),
            id_span: self.span(id_start, id_end),
            title,
            doc: String::new(),
            clauses,
            span: self.span(start, self.pos),
        })
    }

    /// `clause = _{ c_requirement | c_severity | ... | c_fix }`: each alternative starts with a
    /// keyword of its own, so the keyword picks it.
    fn clause(&mut self) -> Option<Clause> {
        let keyword = self.word_here()?;
        self.pos += keyword.len();
        self.skip();
        Some(match keyword {
            "requirement" => {
                let start = self.pos;
                let (raw, _) = self.string()?;
                Clause::Requirement(unescape(raw), self.span(start, self.pos))
            }
            "severity" => Clause::Severity(self.ident()?),
            "tags" => Clause::Tags(self.tags()?),
            "target" => Clause::Target(self.expr()?),
            "for" => {
                let var = self.ident()?;
                self.skip();
                if !self.keyword("in") {
                    return None;
                }
                self.skip();
                Clause::For(var, self.expr()?)
            }
            "where" => Clause::Where(self.expr()?),
            "let" => {
                let var = self.ident()?;
                self.skip();
                if !self.eat(b'=') {
                    return None;
                }
                self.skip();
                Clause::Let(var, self.expr()?)
            }
            "require" => Clause::Require(self.expr()?),
            "report" => Clause::Report(self.template()?),
            // `c_at = { kw_at ~ expr ~ string? }`
            "at" => {
                let target = self.expr()?;
                self.skip();
                let label = match self.peek() {
                    Some(b'"') => Some(self.template()?),
                    _ => None,
                };
                Clause::At(target, label)
            }
            "label" => {
                let target = self.expr()?;
                self.skip();
                Clause::Label(target, self.template()?)
            }
            "help" => Clause::Help(self.template()?),
            // `c_fix = { kw_fix ~ string ~ kw_set ~ postfix ~ "=" ~ fix_value }`
            "fix" => {
                let title = unescape(self.string()?.0);
                self.skip();
                if !self.keyword("set") {
                    return None;
                }
                self.skip();
                let target = self.postfix()?;
                self.skip();
                if !self.eat(b'=') {
                    return None;
                }
                self.skip();
                Clause::Fix {
                    title,
                    target,
                    value: self.fix_value()?,
                }
            }
            _ => return None,
        })
    }

    /// `c_tags`' list: `"[" ~ (string ~ ("," ~ string)*)? ~ ","? ~ "]"`
    fn tags(&mut self) -> Option<Vec<String>> {
        if !self.eat(b'[') {
            return None;
        }
        self.bracketed(|next| next == Some(b'"'), |p| Some(unescape(p.string()?.0)))
    }

    /// After a `[`: `(item ~ ("," ~ item)*)? ~ ","? ~ "]"`, where `starts` tells from the next
    /// byte whether an item follows.
    fn bracketed<T>(
        &mut self,
        starts: impl Fn(Option<u8>) -> bool,
        item: impl Fn(&mut Self) -> Option<T>,
    ) -> Option<Vec<T>> {
        self.skip();
        let mut items = Vec::new();
        if starts(self.peek()) {
            items.push(item(self)?);
            loop {
                let before = self.pos;
                self.skip();
                if self.eat(b',') {
                    self.skip();
                    if starts(self.peek()) {
                        items.push(item(self)?);
                        continue;
                    }
                }
                self.pos = before;
                break;
            }
        }
        self.skip();
        self.eat(b',');
        self.skip();
        self.eat(b']').then_some(items)
    }

    /// `fix_value = { number | string | ident }`
    fn fix_value(&mut self) -> Option<FixValue> {
        let start = self.pos;
        if self.number().is_some() {
            return Some(FixValue::Number(self.text[start..self.pos].to_string()));
        }
        if self.peek() == Some(b'"') {
            return Some(FixValue::Str(unescape(self.string()?.0)));
        }
        self.ident().map(|n| FixValue::Word(n.text))
    }

    /// `expr = { or_expr }`
    fn expr(&mut self) -> Option<Expr> {
        self.chain(BinOp::Or)
    }

    /// `or_expr = { and_expr ~ (kw_or ~ and_expr)* }` and
    /// `and_expr = { not_expr ~ (kw_and ~ not_expr)* }`, folded to the left.
    fn chain(&mut self, op: BinOp) -> Option<Expr> {
        let (keyword, operand): (&str, fn(&mut Self) -> Option<Expr>) = match op {
            BinOp::Or => ("or", |p| p.chain(BinOp::And)),
            _ => ("and", Self::not_expr),
        };
        self.fold_left(operand, |p| p.keyword(keyword).then_some(op))
    }

    /// `operand ~ (operator ~ operand)*`, folded to the left. `operator` steps over an
    /// operator and names it, or leaves the position alone. The skip before the first
    /// repetition stays consumed, as pest keeps it; a failed later one does not.
    fn fold_left(
        &mut self,
        operand: fn(&mut Self) -> Option<Expr>,
        operator: impl Fn(&mut Self) -> Option<BinOp>,
    ) -> Option<Expr> {
        let mut acc = operand(self)?;
        self.skip();
        let mut first = true;
        loop {
            let before = self.pos;
            if !first {
                self.skip();
            }
            let Some(op) = operator(self) else {
                self.pos = before;
                return Some(acc);
            };
            self.skip();
            let right = operand(self)?;
            let span = acc.span.cover(right.span);
            acc = Expr {
                kind: ExprKind::Binary(op, Box::new(acc), Box::new(right)),
                span,
            };
            first = false;
        }
    }

    /// `not_expr = { not_op* ~ cmp_expr }`: each `not` spans from the first to the end of the
    /// comparison rule.
    fn not_expr(&mut self) -> Option<Expr> {
        let start = self.pos;
        let mut nots = 0;
        if self.keyword("not") {
            nots = 1;
            loop {
                let before = self.pos;
                self.skip();
                if self.keyword("not") {
                    nots += 1;
                } else {
                    self.pos = before;
                    break;
                }
            }
        }
        self.skip();
        let mut e = self.cmp_expr()?;
        let span = self.span(start, self.pos);
        for _ in 0..nots {
            e = Expr {
                kind: ExprKind::Not(Box::new(e)),
                span,
            };
        }
        Some(e)
    }

    /// `cmp_expr = { sum_expr ~ (cmp_op ~ sum_expr)? }`: a comparison spans the rule, which
    /// ends after the skip that followed its right operand.
    fn cmp_expr(&mut self) -> Option<Expr> {
        let start = self.pos;
        let left = self.sum_expr()?;
        self.skip();
        let Some(op) = self.cmp_op() else {
            return Some(left);
        };
        self.skip();
        let right = self.sum_expr()?;
        Some(Expr {
            kind: ExprKind::Binary(op, Box::new(left), Box::new(right)),
            span: self.span(start, self.pos),
        })
    }

    /// `cmp_op = { "==" | "!=" | "<=" | ">=" | "<" | ">" | not_in | kw_in }`
    fn cmp_op(&mut self) -> Option<BinOp> {
        let rest = &self.bytes[self.pos..];
        for (symbol, op) in [
            ("==", BinOp::Eq),
            ("!=", BinOp::Ne),
            ("<=", BinOp::Le),
            (">=", BinOp::Ge),
            ("<", BinOp::Lt),
            (">", BinOp::Gt),
        ] {
            if rest.starts_with(symbol.as_bytes()) {
                self.pos += symbol.len();
                return Some(op);
            }
        }
        // `not_in = { kw_not ~ kw_in }`
        let before = self.pos;
        if self.keyword("not") {
            self.skip();
            if self.keyword("in") {
                return Some(BinOp::NotIn);
            }
            self.pos = before;
            return None;
        }
        self.keyword("in").then_some(BinOp::In)
    }

    /// `sum_expr = { postfix ~ (sum_op ~ postfix)* }`
    fn sum_expr(&mut self) -> Option<Expr> {
        self.fold_left(Self::postfix, |p| {
            let op = match p.peek()? {
                b'+' => BinOp::Add,
                b'-' => BinOp::Sub,
                _ => return None,
            };
            p.pos += 1;
            Some(op)
        })
    }

    /// `postfix = { primary ~ (member | index)* }`, `member = { "." ~ ident }`,
    /// `index = { "[" ~ expr ~ "]" }`
    fn postfix(&mut self) -> Option<Expr> {
        let mut acc = self.primary()?;
        self.skip();
        let mut first = true;
        loop {
            let before = self.pos;
            if !first {
                self.skip();
            }
            let start = self.pos;
            match self.peek() {
                Some(b'.') => {
                    self.pos += 1;
                    self.skip();
                    let Some(name) = self.ident() else {
                        self.pos = before;
                        return Some(acc);
                    };
                    let span = acc.span.cover(self.span(start, self.pos));
                    acc = Expr {
                        kind: ExprKind::Member(Box::new(acc), name),
                        span,
                    };
                }
                Some(b'[') => {
                    let index = self.nested(|p| {
                        p.pos += 1;
                        p.skip();
                        let index = p.expr()?;
                        p.skip();
                        p.eat(b']').then_some(index)
                    })?;
                    let span = acc.span.cover(self.span(start, self.pos));
                    acc = Expr {
                        kind: ExprKind::Index(Box::new(acc), Box::new(index)),
                        span,
                    };
                }
                _ => {
                    self.pos = before;
                    return Some(acc);
                }
            }
            first = false;
        }
    }

    /// `primary = _{ number | string | list_lit | call | paren | word }`
    fn primary(&mut self) -> Option<Expr> {
        let start = self.pos;
        let kind = match self.peek()? {
            b'-' | b'0'..=b'9' => {
                let value = self.number()?;
                ExprKind::Number(value)
            }
            b'"' => ExprKind::Str(unescape(self.string()?.0)),
            b'[' => self.nested(Self::list)?,
            // `paren = { "(" ~ expr ~ ")" }` is its expression.
            b'(' => {
                return self.nested(|p| {
                    p.pos += 1;
                    p.skip();
                    let e = p.expr()?;
                    p.skip();
                    p.eat(b')').then_some(e)
                });
            }
            _ => {
                let end = self.ident_end(start)?;
                self.pos = end;
                self.skip();
                if self.peek() == Some(b'(') {
                    self.pos = start;
                    self.nested(Self::call)?
                } else {
                    self.pos = end;
                    let word = &self.text[start..end];
                    if RESERVED.contains(&word) {
                        return None;
                    }
                    ExprKind::Word(word.to_string())
                }
            }
        };
        Some(Expr {
            kind,
            span: self.span(start, self.pos),
        })
    }

    /// One bracket deeper: refused past [`MAX_DEPTH`], and on a fresh stack when this one runs low.
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        if self.depth >= MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        let out = stacker::maybe_grow(RED_ZONE, GROWN_STACK, || f(self));
        self.depth -= 1;
        out
    }

    /// `list_lit = { "[" ~ (expr ~ ("," ~ expr)*)? ~ ","? ~ "]" }`
    fn list(&mut self) -> Option<ExprKind> {
        self.pos += 1;
        let items = self.bracketed(|next| !matches!(next, Some(b',' | b']')), Self::expr)?;
        Some(ExprKind::List(items))
    }

    /// `call = { ident ~ "(" ~ (arg ~ ("," ~ arg)*)? ~ ")" }`
    fn call(&mut self) -> Option<ExprKind> {
        let callee = self.ident()?;
        self.skip();
        self.pos += 1; // the `(`, seen by the caller
        self.skip();
        let mut args = Vec::new();
        if self.peek() != Some(b')') {
            args.push(self.arg()?);
            loop {
                let before = self.pos;
                self.skip();
                if !self.eat(b',') {
                    self.pos = before;
                    break;
                }
                self.skip();
                args.push(self.arg()?);
            }
        }
        self.skip();
        self.eat(b')').then_some(ExprKind::Call(callee, args))
    }

    /// `arg = _{ lambda | expr }`, `lambda = { ident ~ ":" ~ expr }`
    fn arg(&mut self) -> Option<Arg> {
        let start = self.pos;
        if let Some(param) = self.ident() {
            self.skip();
            if self.eat(b':') {
                self.skip();
                return Some(Arg::Lambda(param, self.expr()?));
            }
            self.pos = start;
        }
        self.expr().map(Arg::Expr)
    }

    /// `number`, read as the pest path reads it.
    fn number(&mut self) -> Option<f64> {
        self.cursor.number().map(|text| text.parse().unwrap_or(0.0))
    }
}

/// One `{...}` of a message (`template_expr = { SOI ~ expr ~ EOI }`); `base` is where `source`
/// starts in the file.
fn hole(source: &str, base: usize) -> Option<Expr> {
    let mut p = Parser::new(source, base);
    p.skip();
    let e = p.expr()?;
    p.skip();
    (p.pos == p.bytes.len()).then_some(e)
}

crate::syntax::reads_with_cursor!(Parser);
