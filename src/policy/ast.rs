//! The syntax tree of a policy.

use crate::syntax::Span;

#[derive(Debug, Clone)]
pub struct Policy {
    pub id: String,
    pub id_span: Span,
    pub title: Option<String>,
    /// The `///` comment above the policy: its documentation, in Markdown.
    pub doc: String,
    pub clauses: Vec<Clause>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Name {
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum Clause {
    Requirement(String, Span),
    Severity(Name),
    Tags(Vec<String>),
    Target(Expr),
    For(Name, Expr),
    Where(Expr),
    Let(Name, Expr),
    Require(Expr),
    Report(Template),
    /// `at element ["label"]`
    At(Expr, Option<Template>),
    Label(Expr, Template),
    Help(Template),
    Fix {
        title: String,
        target: Expr,
        value: FixValue,
    },
}

#[derive(Debug, Clone)]
pub enum FixValue {
    Word(String),
    Str(String),
    Number(String),
}

/// A message with `{expression}` holes.
#[derive(Debug, Clone)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
}

#[derive(Debug, Clone)]
pub enum TemplatePart {
    Text(String),
    Hole(Expr),
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
    Add,
    Sub,
}

impl BinOp {
    pub fn as_str(self) -> &'static str {
        match self {
            BinOp::Or => "or",
            BinOp::And => "and",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::In => "in",
            BinOp::NotIn => "not in",
            BinOp::Add => "+",
            BinOp::Sub => "-",
        }
    }
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Number(f64),
    Str(String),
    List(Vec<Expr>),
    /// A variable, a global collection, or a bare word (`deny`, `true`, `none`): the checker decides.
    Word(String),
    Member(Box<Expr>, Name),
    Index(Box<Expr>, Box<Expr>),
    Call(Name, Vec<Arg>),
    Not(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone)]
pub enum Arg {
    Expr(Expr),
    /// `x: condition`
    Lambda(Name, Expr),
}
