//! Checks a policy against the vocabulary and the catalogues, and compiles it to a form the
//! evaluator runs without looking names up: variables become slots, attribute names become
//! vocabulary entries, words become the vocabulary's own strings.

use super::ast::*;
use super::builtins::{self, Builtin, Derived, Global};
use super::catalogue::Catalogues;
use super::types::{self, T};
use crate::diagnostics::{Diagnostic, FileId, Label, Severity, closest, did_you_mean};
use crate::model::value::{FR_NAMES, fr_index};
use crate::model::vocabulary::ElementKind;
use crate::syntax::Span;

#[derive(Debug, Clone)]
pub struct CExpr {
    pub kind: CKind,
    pub ty: T,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum CKind {
    None,
    Bool(bool),
    Num(f64),
    Str(std::sync::Arc<str>),
    Word(&'static str),
    List(Vec<CExpr>),
    Var(usize),
    Global(Global),
    Attr(Box<CExpr>, &'static str),
    Prop(Box<CExpr>, Derived),
    Custom(Box<CExpr>, String),
    /// `.RDF` on a security level vector.
    Fr(Box<CExpr>, usize),
    /// `[expr]` on a vector (by FR word) or a list (by position).
    Index(Box<CExpr>, Box<CExpr>),
    /// Members of non-element values: `hop.conduit`, `service.port`, `path.hops`...
    Field(Box<CExpr>, Field),
    Call(Builtin, Vec<CArg>),
    Not(Box<CExpr>),
    Binary(BinOp, Box<CExpr>, Box<CExpr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    HopConduit,
    HopZone,
    HopFrom,
    PathHops,
    PathZones,
    PathConduits,
    PathLength,
    ServiceProtocol,
    ServicePort,
    DirectionFrom,
    DirectionTo,
    PermissionZone,
    PermissionRights,
}

#[derive(Debug, Clone)]
pub enum CArg {
    Expr(CExpr),
    Lambda(usize, CExpr),
}

#[derive(Debug, Clone)]
pub enum Step {
    For(usize, CExpr),
    Where(CExpr),
    Let(usize, CExpr),
    Require(CExpr),
}

#[derive(Debug, Clone)]
pub enum CPart {
    Text(String),
    Hole(CExpr),
}

#[derive(Debug, Clone)]
pub struct CFix {
    pub title: String,
    pub element: CExpr,
    pub attribute: &'static str,
    pub value: String,
}

#[derive(Debug, Clone)]
pub struct CompiledPolicy {
    pub id: String,
    pub title: String,
    pub doc: String,
    pub requirement: Option<String>,
    pub severity: Severity,
    pub tags: Vec<String>,
    pub pack: String,
    pub file: FileId,
    pub span: Span,
    pub steps: Vec<Step>,
    pub target: Option<CExpr>,
    pub report: Vec<CPart>,
    pub at: Option<CExpr>,
    pub at_label: Option<Vec<CPart>>,
    pub labels: Vec<(CExpr, Vec<CPart>)>,
    pub help: Option<Vec<CPart>>,
    pub fix: Option<CFix>,
    pub slots: usize,
}

struct Compiler<'a> {
    file: FileId,
    catalogues: &'a Catalogues,
    /// Visible variables: (name, slot, type), innermost last.
    scope: Vec<(String, usize, T)>,
    slots: usize,
    errors: Vec<Diagnostic>,
}

pub fn compile(
    policy: &Policy,
    pack: &str,
    file: FileId,
    catalogues: &Catalogues,
) -> Result<CompiledPolicy, Vec<Diagnostic>> {
    let mut c = Compiler {
        file,
        catalogues,
        scope: Vec::new(),
        slots: 0,
        errors: Vec::new(),
    };
    let mut out = CompiledPolicy {
        id: policy.id.clone(),
        title: policy.title.clone().unwrap_or_else(|| policy.id.clone()),
        doc: policy.doc.clone(),
        requirement: None,
        severity: Severity::Error,
        tags: Vec::new(),
        pack: pack.to_string(),
        file,
        span: policy.span,
        steps: Vec::new(),
        target: None,
        report: Vec::new(),
        at: None,
        at_label: None,
        labels: Vec::new(),
        help: None,
        fix: None,
        slots: 0,
    };
    let mut has_report = false;
    let mut has_for = false;
    for clause in &policy.clauses {
        match clause {
            Clause::Requirement(id, span) => match catalogues.get(id) {
                Some(r) => out.requirement = Some(r.id.clone()),
                None => {
                    let help = did_you_mean(id, catalogues.ids()).unwrap_or_else(|| "requirements come from the loaded catalogues; `zonelint explain` lists them".into());
                    c.error(
                        *span,
                        format!("unknown requirement `{id}`"),
                        "not in any catalogue",
                        Some(help),
                    );
                }
            },
            Clause::Severity(name) => match Severity::parse(&name.text) {
                Some(s) => out.severity = s,
                None => {
                    let help = did_you_mean(&name.text, ["error", "warning", "info"])
                        .unwrap_or_else(|| "use error, warning or info".into());
                    c.error(
                        name.span,
                        format!("unknown severity `{}`", name.text),
                        "not a severity",
                        Some(help),
                    );
                }
            },
            Clause::Tags(tags) => out.tags.extend(tags.iter().cloned()),
            Clause::For(var, collection) => {
                has_for = true;
                let coll = c.expr(collection);
                if !coll.ty.is_list() && coll.ty != T::None {
                    c.error(
                        collection.span,
                        format!("`for` needs a list, but this is {}", coll.ty.describe()),
                        "not a list",
                        None,
                    );
                }
                let slot = c.bind(&var.text, coll.ty.item());
                out.steps.push(Step::For(slot, coll));
            }
            Clause::Where(e) => {
                let ce = c.condition(e);
                out.steps.push(Step::Where(ce));
            }
            Clause::Let(var, e) => {
                let ce = c.expr(e);
                let slot = c.bind(&var.text, ce.ty.clone());
                out.steps.push(Step::Let(slot, ce));
            }
            Clause::Require(e) => {
                let ce = c.condition(e);
                out.steps.push(Step::Require(ce));
            }
            Clause::Target(e) => out.target = Some(c.expr(e)),
            Clause::Report(t) => {
                has_report = true;
                out.report = c.template(t);
            }
            Clause::At(e, label) => {
                let ce = c.expr(e);
                c.expect_located(&ce, e.span);
                out.at = Some(ce);
                out.at_label = label.as_ref().map(|t| c.template(t));
            }
            Clause::Label(e, t) => {
                let ce = c.expr(e);
                if !matches!(ce.ty, T::Path | T::Hop) {
                    c.expect_located(&ce, e.span);
                }
                let template = c.template(t);
                out.labels.push((ce, template));
            }
            Clause::Help(t) => out.help = Some(c.template(t)),
            Clause::Fix {
                title,
                target,
                value,
            } => {
                let ExprKind::Member(base, attr) = &target.kind else {
                    c.error(
                        target.span,
                        "a fix sets an attribute: `fix \"...\" set element.attribute = value`",
                        "not an attribute",
                        None,
                    );
                    continue;
                };
                let element = c.expr(base);
                let attribute = match &element.ty {
                    T::Elem(kinds) if kinds.len() == 1 => {
                        kinds[0].spec().attr(&attr.text).map(|a| a.name)
                    }
                    _ => None,
                };
                let Some(attribute) = attribute else {
                    c.error(
                        attr.span,
                        format!("`{}` is not an attribute a fix can set here", attr.text),
                        "not settable",
                        None,
                    );
                    continue;
                };
                let value = match value {
                    FixValue::Word(w) | FixValue::Number(w) => w.clone(),
                    FixValue::Str(s) => {
                        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
                    }
                };
                out.fix = Some(CFix {
                    title: title.clone(),
                    element,
                    attribute,
                    value,
                });
            }
        }
    }
    if !has_for {
        c.error(
            policy.id_span,
            "this policy iterates over nothing",
            "no `for` clause",
            Some("add `for x in zones` (or conduits, components, flows, ...)".into()),
        );
    }
    if !has_report {
        c.error(
            policy.id_span,
            "this policy never says what to report",
            "no `report` clause",
            Some("add `report \"what is wrong in {x}\"`".into()),
        );
    }
    if out.requirement.is_some() && out.target.is_none() && !out.steps.is_empty() {
        // Without an explicit target, the first bound element decides the level: fine for zones
        // and conduits; components and flows use their zone and conduit (see engine).
    }
    out.slots = c.slots;
    if c.errors.is_empty() {
        Ok(out)
    } else {
        Err(c.errors)
    }
}

impl Compiler<'_> {
    fn error(&mut self, span: Span, message: impl Into<String>, label: &str, help: Option<String>) {
        self.errors.push(
            Diagnostic::error("policy-error", message, Label::new(self.file, span, label))
                .with_help_opt(help),
        );
    }

    fn bind(&mut self, name: &str, ty: T) -> usize {
        let slot = self.slots;
        self.slots += 1;
        self.scope.push((name.to_string(), slot, ty));
        slot
    }

    fn lookup(&self, name: &str) -> Option<(usize, T)> {
        self.scope
            .iter()
            .rev()
            .find(|(n, ..)| n == name)
            .map(|(_, s, t)| (*s, t.clone()))
    }

    fn expect_located(&mut self, e: &CExpr, span: Span) {
        let ok = matches!(e.kind, CKind::Attr(..))
            || matches!(&e.ty, T::Elem(_) | T::Any)
            || matches!(&e.ty, T::List(inner) if matches!(**inner, T::Elem(_)));
        if !ok {
            self.error(
                span,
                format!(
                    "a location must be an element or an attribute, not {}",
                    e.ty.describe()
                ),
                "cannot point here",
                None,
            );
        }
    }

    fn condition(&mut self, e: &Expr) -> CExpr {
        let ce = self.expr(e);
        if !matches!(ce.ty, T::Bool | T::Any) {
            self.error(
                e.span,
                format!(
                    "a condition must be true or false, but this is {}",
                    ce.ty.describe()
                ),
                "not a condition",
                Some("compare it: `x == ...`, or test it: `has(x)`".into()),
            );
        }
        ce
    }

    fn template(&mut self, t: &Template) -> Vec<CPart> {
        t.parts
            .iter()
            .map(|p| match p {
                TemplatePart::Text(s) => CPart::Text(s.clone()),
                TemplatePart::Hole(e) => {
                    let c = self.expr(e);
                    if let T::WordLit(w) = &c.ty {
                        self.unknown_name(w, e.span);
                    }
                    CPart::Hole(c)
                }
            })
            .collect()
    }

    fn expr(&mut self, e: &Expr) -> CExpr {
        let span = e.span;
        let mk = |kind, ty| CExpr { kind, ty, span };
        match &e.kind {
            ExprKind::Number(n) => mk(CKind::Num(*n), T::Num),
            ExprKind::Str(s) => mk(CKind::Str(s.as_str().into()), T::Str),
            ExprKind::List(items) => {
                let items: Vec<CExpr> = items.iter().map(|i| self.expr(i)).collect();
                let ty = items.first().map_or(T::Any, |i| i.ty.clone());
                mk(CKind::List(items), T::list(ty))
            }
            ExprKind::Word(w) => self.word(w, span),
            ExprKind::Member(base, name) => self.member(base, name, span),
            ExprKind::Index(base, index) => {
                let b = self.expr(base);
                let i = self.expr(index);
                let ty = match &b.ty {
                    T::Sl => T::Num,
                    T::List(inner) => (**inner).clone(),
                    T::Any => T::Any,
                    other => {
                        let d = other.describe();
                        self.error(
                            base.span,
                            format!("cannot index {d}"),
                            "not a vector or list",
                            None,
                        );
                        T::Any
                    }
                };
                mk(CKind::Index(Box::new(b), Box::new(i)), ty)
            }
            ExprKind::Call(name, args) => self.call(name, args, span),
            ExprKind::Not(inner) => {
                let c = self.condition(inner);
                mk(CKind::Not(Box::new(c)), T::Bool)
            }
            ExprKind::Binary(op, l, r) => self.binary(*op, l, r, span),
        }
    }

    fn word(&mut self, w: &str, span: Span) -> CExpr {
        let mk = |kind, ty| CExpr { kind, ty, span };
        if let Some((slot, ty)) = self.lookup(w) {
            return mk(CKind::Var(slot), ty);
        }
        if let Some((_, g, _)) = builtins::GLOBALS.iter().find(|(n, ..)| *n == w) {
            return mk(CKind::Global(*g), g.ty());
        }
        match w {
            "true" => mk(CKind::Bool(true), T::Bool),
            "false" => mk(CKind::Bool(false), T::Bool),
            "none" => mk(CKind::None, T::None),
            // Matched against an enumeration by the comparison that uses it.
            _ => mk(CKind::Str((*w).into()), T::WordLit(w.to_string())),
        }
    }

    fn member(&mut self, base: &Expr, name: &Name, span: Span) -> CExpr {
        let b = self.expr(base);
        if let T::WordLit(w) = &b.ty {
            self.unknown_name(w, base.span);
            return CExpr {
                kind: CKind::None,
                ty: T::Any,
                span,
            };
        }
        let mk = |kind, ty| CExpr { kind, ty, span };
        let field = |f: Field, ty: T| (f, ty);
        let boxed = Box::new(b.clone());
        match &b.ty {
            T::Elem(kinds) if kinds.len() == 1 => {
                let kind = kinds[0];
                if name.text == "custom" {
                    return mk(CKind::Prop(boxed, Derived::Id), T::Custom);
                }
                if let Some((d, ty)) = builtins::property(kind, &name.text) {
                    return mk(CKind::Prop(boxed, d), ty);
                }
                if let Some(a) = kind.spec().attr(&name.text) {
                    return mk(CKind::Attr(boxed, a.name), types::of_attr(&a.ty));
                }
                let candidates = kind
                    .spec()
                    .attrs
                    .iter()
                    .map(|a| a.name)
                    .chain(builtins::property_names(kind));
                let help = did_you_mean(&name.text, candidates).unwrap_or_else(|| {
                    format!("see the {} attributes in docs/language.md", kind.keyword())
                });
                self.error(
                    name.span,
                    format!(
                        "a {} has no attribute or property `{}`",
                        kind.keyword(),
                        name.text
                    ),
                    "unknown",
                    Some(help),
                );
                mk(CKind::None, T::Any)
            }
            T::Elem(kinds) => {
                // Several kinds (a reference that may be a component or a conduit): common
                // properties and attributes all of them have.
                let shared_attr = kinds.iter().all(|k| k.spec().attr(&name.text).is_some());
                if let Some((d, ty)) = kinds
                    .first()
                    .and_then(|k| builtins::property(*k, &name.text))
                    .filter(|_| {
                        kinds
                            .iter()
                            .all(|k| builtins::property(*k, &name.text).is_some())
                    })
                {
                    return mk(CKind::Prop(boxed, d), ty);
                }
                if shared_attr {
                    let a = kinds[0].spec().attr(&name.text).expect("checked");
                    return mk(CKind::Attr(boxed, a.name), types::of_attr(&a.ty));
                }
                self.error(
                    name.span,
                    format!("`{}` is not common to {}", name.text, b.ty.describe()),
                    "unknown",
                    None,
                );
                mk(CKind::None, T::Any)
            }
            T::Custom => match &b.kind {
                CKind::Prop(inner, _) => {
                    mk(CKind::Custom(inner.clone(), name.text.clone()), T::Any)
                }
                _ => mk(CKind::None, T::Any),
            },
            T::Sl => match fr_index(&name.text) {
                Some(i) => mk(CKind::Fr(boxed, i), T::Num),
                None => {
                    let help = did_you_mean(&name.text, FR_NAMES)
                        .unwrap_or_else(|| format!("the FRs are {}", FR_NAMES.join(", ")));
                    self.error(
                        name.span,
                        format!("`{}` is not a foundational requirement", name.text),
                        "unknown FR",
                        Some(help),
                    );
                    mk(CKind::None, T::Any)
                }
            },
            T::Any => {
                // Only known at run time; FR names are the common case.
                match fr_index(&name.text) {
                    Some(i) => mk(CKind::Fr(boxed, i), T::Any),
                    None => mk(CKind::Custom(boxed, name.text.clone()), T::Any),
                }
            }
            other => {
                let (f, ty) = match (other, name.text.as_str()) {
                    (T::Hop, "conduit") => field(Field::HopConduit, T::elem(ElementKind::Conduit)),
                    (T::Hop, "zone") => field(Field::HopZone, T::elem(ElementKind::Zone)),
                    (T::Hop, "from") => field(Field::HopFrom, T::elem(ElementKind::Zone)),
                    (T::Path, "hops") => field(Field::PathHops, T::list(T::Hop)),
                    (T::Path, "zones") => {
                        field(Field::PathZones, T::list(T::elem(ElementKind::Zone)))
                    }
                    (T::Path, "conduits") => {
                        field(Field::PathConduits, T::list(T::elem(ElementKind::Conduit)))
                    }
                    (T::Path, "length") => field(Field::PathLength, T::Num),
                    (T::Service, "protocol") => field(
                        Field::ServiceProtocol,
                        T::Word(crate::model::vocabulary::PROTOCOLS),
                    ),
                    (T::Service, "port") => field(Field::ServicePort, T::Num),
                    (T::Direction, "from") => {
                        field(Field::DirectionFrom, T::elem(ElementKind::Zone))
                    }
                    (T::Direction, "to") => field(Field::DirectionTo, T::elem(ElementKind::Zone)),
                    (T::Permission, "zone") => {
                        field(Field::PermissionZone, T::elem(ElementKind::Zone))
                    }
                    (T::Permission, "rights") => field(
                        Field::PermissionRights,
                        T::list(T::Word(crate::model::vocabulary::PERMISSIONS)),
                    ),
                    _ => {
                        let d = other.describe();
                        self.error(
                            name.span,
                            format!("{d} has no member `{}`", name.text),
                            "unknown member",
                            None,
                        );
                        return mk(CKind::None, T::Any);
                    }
                };
                mk(CKind::Field(boxed, f), ty)
            }
        }
    }

    fn call(&mut self, name: &Name, args: &[Arg], span: Span) -> CExpr {
        let mk = |kind, ty| CExpr { kind, ty, span };
        let Some(&(_, builtin, arities, takes_lambda, _)) =
            builtins::FUNCTIONS.iter().find(|(n, ..)| *n == name.text)
        else {
            let help = did_you_mean(&name.text, builtins::FUNCTIONS.iter().map(|f| f.0))
                .unwrap_or_else(|| "see the functions in docs/policy-language.md".into());
            self.error(
                name.span,
                format!("unknown function `{}`", name.text),
                "not a function",
                Some(help),
            );
            return mk(CKind::None, T::Any);
        };
        if !arities.contains(&args.len()) {
            let counts: Vec<String> = arities.iter().map(usize::to_string).collect();
            self.error(
                span,
                format!(
                    "`{}` takes {} argument(s), not {}",
                    name.text,
                    counts.join(" or "),
                    args.len()
                ),
                "wrong number of arguments",
                None,
            );
            return mk(CKind::None, T::Any);
        }
        // The collection (or first argument) decides the lambda parameter's type.
        let mut compiled = Vec::new();
        let mut first_ty = T::Any;
        for (i, arg) in args.iter().enumerate() {
            let last = i + 1 == args.len();
            match arg {
                Arg::Lambda(param, body) => {
                    if !(takes_lambda && last && i > 0) {
                        self.error(
                            param.span,
                            format!("`{}` takes no condition here", name.text),
                            "unexpected `x: ...`",
                            None,
                        );
                        continue;
                    }
                    let param_ty = if matches!(builtin, Builtin::Path | Builtin::Reachable) {
                        T::elem(ElementKind::Zone)
                    } else {
                        first_ty.item()
                    };
                    let depth = self.scope.len();
                    let slot = self.bind(&param.text, param_ty);
                    let b = if builtin == Builtin::Map {
                        self.expr(body)
                    } else {
                        self.condition(body)
                    };
                    self.scope.truncate(depth);
                    compiled.push(CArg::Lambda(slot, b));
                }
                Arg::Expr(e) => {
                    let c = self.expr(e);
                    if i == 0 {
                        first_ty = c.ty.clone();
                    }
                    if takes_lambda
                        && last
                        && i > 0
                        && matches!(
                            builtin,
                            Builtin::Any
                                | Builtin::All
                                | Builtin::NoneOf
                                | Builtin::Filter
                                | Builtin::Map
                        )
                    {
                        self.error(
                            e.span,
                            format!(
                                "the last argument of `{}` is a condition: `x: ...`",
                                name.text
                            ),
                            "expected `x: condition`",
                            None,
                        );
                    }
                    compiled.push(CArg::Expr(c));
                }
            }
        }
        if matches!(
            builtin,
            Builtin::Selected | Builtin::EvidenceFor | Builtin::EvidenceInside
        ) && let Some(CArg::Expr(CExpr {
            kind: CKind::Str(id),
            span: s,
            ..
        })) = compiled.first_mut()
        {
            match self.catalogues.get(id) {
                // The catalogue's spelling: evidence records store requirement ids normalised.
                Some(r) => *id = r.id.as_str().into(),
                None => {
                    let help = did_you_mean(id, self.catalogues.ids());
                    let (id, s) = (id.clone(), *s);
                    self.error(
                        s,
                        format!("unknown requirement `{id}`"),
                        "not in any catalogue",
                        help,
                    );
                }
            }
        }
        // The index-backed look-ups answer for one kind of element.
        let element_arg = match builtin {
            Builtin::Servers | Builtin::FlowsTo | Builtin::Reachable => {
                Some((0, ElementKind::Zone))
            }
            Builtin::RolesIn => Some((0, ElementKind::Zone)),
            _ => None,
        };
        if let Some((i, kind)) = element_arg
            && let Some(CArg::Expr(arg)) = compiled.get(i)
            && !matches!(&arg.ty, T::Any | T::None)
            && arg.ty != T::elem(kind)
        {
            let (d, s) = (arg.ty.describe(), arg.span);
            self.error(
                s,
                format!("`{}` takes a {}, not {d}", name.text, kind.keyword()),
                "wrong kind of argument",
                None,
            );
        }
        let ty = match builtin {
            Builtin::Count | Builtin::SlDistance | Builtin::Abs | Builtin::Len => T::Num,
            Builtin::Any
            | Builtin::All
            | Builtin::NoneOf
            | Builtin::Reaches
            | Builtin::Has
            | Builtin::Selected => T::Bool,
            Builtin::Filter => first_ty.clone(),
            Builtin::ZoneOf => T::elem(ElementKind::Zone),
            Builtin::Path => T::Path,
            Builtin::ConduitsBetween => T::list(T::elem(ElementKind::Conduit)),
            Builtin::Lower | Builtin::Join => T::Str,
            Builtin::Today => T::Date,
            Builtin::Map => match compiled.last() {
                Some(CArg::Lambda(_, body)) => T::list(body.ty.clone()),
                _ => T::list(T::Any),
            },
            Builtin::Flatten => first_ty.item(),
            Builtin::Distinct | Builtin::First => first_ty.clone(),
            Builtin::Min | Builtin::Max | Builtin::SlSum => T::Num,
            Builtin::Within | Builtin::Serves => T::Bool,
            Builtin::Servers => T::list(T::elem(ElementKind::Component)),
            Builtin::FlowsTo => T::list(T::elem(ElementKind::Flow)),
            Builtin::RolesIn => T::list(T::elem(ElementKind::Role)),
            Builtin::Reachable => T::list(T::elem(ElementKind::Zone)),
            Builtin::EvidenceFor | Builtin::EvidenceInside => {
                T::list(T::elem(ElementKind::Evidence))
            }
            Builtin::Unmet | Builtin::Compensated | Builtin::EvidenceMissing => T::list(T::Str),
            Builtin::Missing => {
                self.check_attribute_names(&compiled, &first_ty);
                T::list(T::Str)
            }
        };
        mk(CKind::Call(builtin, compiled), ty)
    }

    /// `missing(x, ["owner", ...])`: every name must be an attribute of x's kind.
    fn check_attribute_names(&mut self, args: &[CArg], element: &T) {
        let (Some(CArg::Expr(names)), T::Elem(kinds)) = (args.get(1), element) else {
            return;
        };
        let CKind::List(items) = &names.kind else {
            self.error(
                names.span,
                "`missing` takes a list of attribute names",
                "expected [\"name\", ...]",
                None,
            );
            return;
        };
        for item in items {
            let CKind::Str(name) = &item.kind else {
                continue;
            };
            if !kinds.iter().all(|k| k.spec().attr(name).is_some()) {
                let help = kinds
                    .first()
                    .and_then(|k| did_you_mean(name, k.spec().attrs.iter().map(|a| a.name)));
                self.error(
                    item.span,
                    format!("`{name}` is not an attribute of {}", element.describe()),
                    "unknown attribute",
                    help,
                );
            }
        }
    }

    fn binary(&mut self, op: BinOp, l: &Expr, r: &Expr, span: Span) -> CExpr {
        let mut left = self.expr(l);
        let mut right = self.expr(r);
        let ty = match op {
            BinOp::And | BinOp::Or => {
                for (side, e) in [(&left, l), (&right, r)] {
                    if !matches!(side.ty, T::Bool | T::Any) {
                        let d = side.ty.describe();
                        self.error(
                            e.span,
                            format!("`{}` joins conditions, but this is {d}", op.as_str()),
                            "not a condition",
                            None,
                        );
                    }
                }
                T::Bool
            }
            BinOp::Eq | BinOp::Ne => {
                self.settle_words(&mut left, &right.ty.clone());
                self.settle_words(&mut right, &left.ty.clone());
                T::Bool
            }
            BinOp::In | BinOp::NotIn => {
                let item_ty = right.ty.item();
                self.settle_words(&mut left, &item_ty);
                let left_ty = left.ty.clone();
                self.settle_words(&mut right, &left_ty);
                if !right.ty.is_list() && !matches!(right.ty, T::Str) {
                    let d = right.ty.describe();
                    self.error(
                        r.span,
                        format!(
                            "`{}` needs a list on its right, but this is {d}",
                            op.as_str()
                        ),
                        "not a list",
                        None,
                    );
                }
                T::Bool
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                for (side, e) in [(&left, l), (&right, r)] {
                    if !matches!(side.ty, T::Num | T::Date | T::Any | T::None) {
                        let d = side.ty.describe();
                        let help = matches!(side.ty, T::Sl)
                            .then(|| "compare one FR: `x.sl_target.RDF`".to_string());
                        self.error(
                            e.span,
                            format!("only numbers and dates can be ordered, but this is {d}"),
                            "cannot be compared",
                            help,
                        );
                    }
                }
                T::Bool
            }
            BinOp::Add | BinOp::Sub => T::Num,
        };
        // A word compared with something whose type is unknown (an earlier error, or a custom
        // property) is not reported again.
        for ((side, e), other) in [(&left, l), (&right, r)]
            .into_iter()
            .zip([&right.ty, &left.ty])
        {
            if let T::WordLit(w) = &side.ty
                && *other != T::Any
            {
                self.unknown_name(w, e.span);
            }
        }
        CExpr {
            kind: CKind::Binary(op, Box::new(left), Box::new(right)),
            ty,
            span,
        }
    }

    /// Turns bare words (and lists of them) into vocabulary words when compared with an
    /// enumeration, reporting words the enumeration does not have.
    fn settle_words(&mut self, e: &mut CExpr, against: &T) {
        let words: &'static [&'static str] = match against {
            T::Word(words) => words,
            T::Direction => &["both"],
            T::List(inner) => match **inner {
                T::Word(words) => words,
                _ => return,
            },
            _ => return,
        };
        match (&mut e.kind, e.ty.clone()) {
            (CKind::Str(_), T::WordLit(w)) => {
                if let Some(found) = words.iter().find(|x| **x == w) {
                    e.kind = CKind::Word(found);
                    e.ty = T::Word(words);
                } else {
                    let help = closest(&w, words.iter().copied()).map_or_else(
                        || format!("expected one of {}", words.join(", ")),
                        |c| format!("did you mean `{c}`?"),
                    );
                    self.error(
                        e.span,
                        format!("`{w}` is not one of the values compared here"),
                        "unknown value",
                        Some(help),
                    );
                    e.ty = T::Word(words);
                }
            }
            (CKind::List(items), _) => {
                for item in items.iter_mut() {
                    self.settle_words(item, &T::Word(words));
                }
                e.ty = T::list(T::Word(words));
            }
            _ => {}
        }
    }

    fn unknown_name(&mut self, w: &str, span: Span) {
        let names: Vec<String> = self
            .scope
            .iter()
            .map(|(n, ..)| n.clone())
            .chain(builtins::GLOBALS.iter().map(|g| g.0.to_string()))
            .collect();
        let help = did_you_mean(w, names.iter().map(String::as_str)).unwrap_or_else(|| {
            "bind it with `for` or `let`, or compare it with an attribute that takes this word"
                .into()
        });
        self.error(
            span,
            format!("unknown name `{w}`"),
            "not defined",
            Some(help),
        );
    }
}
