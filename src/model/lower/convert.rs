//! Attribute values: from the syntax tree to the typed [`Value`]s of the vocabulary, and
//! references to the elements they name. What does not fit is reported, worded for the user.

use super::super::resolve::{Resolution, Scopes};
use super::super::value::{Date, FR_NAMES, SlVector, Value, fr_index};
use super::super::vocabulary::{self as vocab, ElementKind, Ty};
use super::super::{ElemId, Element, Reference, reqid};
use crate::diagnostics::{
    Diagnostic, FileId, Label, did_you_mean, join_and, join_or, with_article,
};
use crate::syntax::{self, ValueKind};

/// What references are resolved against: every element of the model, and its scopes.
#[derive(Clone, Copy)]
pub(super) struct Names<'m> {
    pub elements: &'m [Element],
    pub scopes: &'m Scopes,
}

impl<'m> Names<'m> {
    pub fn element(&self, id: ElemId) -> &'m Element {
        &self.elements[id.0 as usize]
    }

    pub fn all_of(self, kind: ElementKind) -> impl Iterator<Item = &'m Element> + 'm {
        self.elements.iter().filter(move |e| e.kind == kind)
    }

    /// The scope a reference written on this element is resolved from.
    pub fn scope_of(&self, element: ElemId) -> Option<ElemId> {
        let e = self.element(element);
        if e.kind.is_scope() {
            Some(element)
        } else {
            e.parent
        }
    }
}

/// Converts values and resolves references, collecting the errors and the references found.
pub(super) struct Converter<'m> {
    /// `None` while files are lowered one by one, before any element is declared model-wide:
    /// then only values that name no element are converted (see [`Ty::names_elements`]).
    names: Option<Names<'m>>,
    pub diagnostics: Vec<Diagnostic>,
    /// Every resolved reference, in the order met.
    pub references: Vec<Reference>,
}

impl<'m> Converter<'m> {
    pub fn new(names: Option<Names<'m>>) -> Converter<'m> {
        Converter {
            names,
            diagnostics: Vec::new(),
            references: Vec::new(),
        }
    }

    pub fn names(&self) -> Names<'m> {
        self.names
            .expect("values that name elements are converted only once names are declared")
    }

    pub fn error(
        &mut self,
        code: &str,
        message: impl Into<String>,
        file: FileId,
        span: syntax::Span,
        label: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diagnostics.push(Diagnostic::error(
            code,
            message,
            Label::new(file, span, label),
        ));
        self.diagnostics.last_mut().expect("just pushed")
    }

    /// Resolves a path to an element of one of `kinds`, reporting what goes wrong.
    pub fn reference(
        &mut self,
        path: &syntax::Path,
        file: FileId,
        scope: Option<ElemId>,
        kinds: &[ElementKind],
        role: Role,
    ) -> Option<ElemId> {
        let resolution = self.names().scopes.resolve(path, scope);
        if let Resolution::Found(id) = resolution {
            self.record_reference(path, file, id);
            if kinds.contains(&self.names().element(id).kind) {
                return Some(id);
            }
        }
        // Only errors from here on: the words for them are built here, not for every reference.
        let nouns: Vec<&str> = kinds.iter().map(|k| k.noun()).collect();
        let wanted = with_article(&join_or(&nouns));
        match resolution {
            Resolution::Found(id) => {
                let found = self.names().element(id);
                let (found_kind, found_at) = (with_article(found.kind.noun()), found.name_at);
                self.error(
                    "wrong-kind",
                    format!(
                        "`{}` is {found_kind}, but {}",
                        path.text(),
                        role.needs(&wanted)
                    ),
                    file,
                    path.span,
                    format!("expected {wanted}"),
                )
                .with_label_mut(Label::new(
                    found_at.file,
                    found_at.span,
                    format!("`{}` is declared here", path.text()),
                ));
                None
            }
            Resolution::Ambiguous(candidates) => {
                let names: Vec<String> = candidates
                    .iter()
                    .map(|c| format!("`{}`", self.names().element(*c).qid))
                    .collect();
                let first = self.names().element(candidates[0]).qid.clone();
                self.error(
                    "ambiguous-reference",
                    format!("`{}` could mean {}", path.text(), join_or(&names)),
                    file,
                    path.span,
                    "matches more than one element",
                )
                .help = Some(format!("qualify the name, for example `{first}`"));
                None
            }
            Resolution::NotFound => {
                let last = path
                    .segments
                    .last()
                    .map_or(String::new(), |s| s.text.to_string());
                let of_kind: Vec<&Element> =
                    kinds.iter().flat_map(|k| self.names().all_of(*k)).collect();
                let help = did_you_mean(&path.text(), of_kind.iter().map(|e| e.qid.as_str()))
                    .or_else(|| did_you_mean(&last, of_kind.iter().map(|e| e.id.as_str())))
                    .unwrap_or_else(|| {
                        format!("declare {wanted} with this id, or check the spelling")
                    });
                self.error(
                    "undefined-reference",
                    format!("no {} named `{}`", join_or(&nouns), path.text()),
                    file,
                    path.span,
                    "not declared anywhere in the model",
                )
                .help = Some(help);
                None
            }
        }
    }

    pub fn record_reference(&mut self, path: &syntax::Path, file: FileId, target: ElemId) {
        self.references.push(Reference {
            file,
            segments: path.segments.iter().map(|s| s.span).collect(),
            target,
        });
    }

    fn type_error(&mut self, file: FileId, value: &syntax::Value, attr: &str, ty: &Ty) {
        self.error(
            "invalid-value",
            format!("`{attr}` expects {}, found {}", ty.describe(), found(value)),
            file,
            value.span,
            format!("expected {}", ty.describe()),
        );
    }

    pub fn convert(
        &mut self,
        ty: &Ty,
        value: &syntax::Value,
        file: FileId,
        scope: Option<ElemId>,
        attr: &str,
    ) -> Option<Value> {
        let word = match &value.kind {
            ValueKind::Path(p) => p.as_ident().map(|i| i.text.as_str()),
            _ => None,
        };
        match (ty, &value.kind) {
            (Ty::Str, ValueKind::Str(s)) => Some(Value::Str(s.clone())),
            (Ty::Str, ValueKind::Path(_) | ValueKind::Number(_) | ValueKind::Date(_)) => {
                self.type_error(file, value, attr, ty);
                self.diagnostics.last_mut().expect("just pushed").help =
                    Some("put text in double quotes".into());
                None
            }
            (Ty::Bool, _) if word == Some("true") => Some(Value::Bool(true)),
            (Ty::Bool, _) if word == Some("false") => Some(Value::Bool(false)),
            (Ty::Date, ValueKind::Date(d)) => match Date::parse(d) {
                Some(date) => Some(Value::Date(date)),
                None => {
                    self.error(
                        "invalid-value",
                        format!("`{d}` is not a calendar date"),
                        file,
                        value.span,
                        "no such day",
                    )
                    .help = Some("that day does not exist; check the month and the day".into());
                    None
                }
            },
            (Ty::Level, ValueKind::Number(n)) => match n.parse::<f64>() {
                Ok(level) if [0.0, 1.0, 2.0, 3.0, 3.5, 4.0, 5.0].contains(&level) => {
                    Some(Value::Number(level))
                }
                _ => {
                    self.error("invalid-value", format!("`{n}` is not a Purdue level"), file, value.span, "not a Purdue level")
                        .help = Some("Purdue levels are 0 to 5, with 3.5 for an industrial DMZ; omit `level` for zones outside the hierarchy".into());
                    None
                }
            },
            (Ty::Sl, _) => self.security_level(value, file, attr),
            (Ty::Port, ValueKind::Number(n)) => self
                .port(n, file, value.span)
                .map(|p| Value::Int(i64::from(p))),
            (Ty::Port, ValueKind::List(items)) => {
                let mut ports = Vec::new();
                for item in items {
                    match &item.kind {
                        ValueKind::Number(n) => {
                            ports.push(Value::Int(i64::from(self.port(n, file, item.span)?)))
                        }
                        _ => {
                            self.type_error(file, item, attr, &Ty::Port);
                            return None;
                        }
                    }
                }
                Some(Value::List(ports))
            }
            (Ty::Port, _) if word == Some("any") => Some(Value::Word("any")),
            (Ty::Enum(words), _) if word.is_some() => {
                self.enum_word(words, word.unwrap_or_default(), file, value, attr)
            }
            (Ty::Protocol, ValueKind::Str(s)) => Some(Value::Str(s.clone())),
            (Ty::Protocol, _) if word.is_some() => {
                self.protocol(word.unwrap_or_default(), file, value.span)
            }
            (Ty::Ref(kinds), ValueKind::Path(path)) => self
                .reference(path, file, scope, kinds, Role::Attribute(attr))
                .map(Value::Ref),
            (Ty::List(inner), ValueKind::List(items)) => {
                let mut out = Vec::with_capacity(items.len());
                let mut ok = true;
                for item in items {
                    match self.convert(inner, item, file, scope, attr) {
                        Some(v) => out.push(v),
                        None => ok = false,
                    }
                }
                ok.then_some(Value::List(out))
            }
            (Ty::List(inner), _) => self
                .convert(inner, value, file, scope, attr)
                .map(|v| Value::List(vec![v])),
            (Ty::Service, ValueKind::Service { protocol, port }) => {
                let proto = self.protocol(&protocol.text, file, protocol.span)?;
                let port_span = syntax::Span::new(protocol.span.end + 1, value.span.end);
                let port = self.port(port, file, port_span)?;
                Some(Value::Service {
                    protocol: Box::new(proto),
                    port: Some(port),
                })
            }
            (Ty::Service, ValueKind::Str(s)) => Some(Value::Service {
                protocol: Box::new(Value::Str(s.clone())),
                port: None,
            }),
            (Ty::Service, _) if word.is_some() => {
                let proto = self.protocol(word.unwrap_or_default(), file, value.span)?;
                Some(Value::Service {
                    protocol: Box::new(proto),
                    port: None,
                })
            }
            (Ty::Direction, ValueKind::Direction { from, arrow, to }) => {
                let zone = [ElementKind::Zone];
                let from = self.reference(from, file, scope, &zone, Role::Attribute(attr))?;
                let to = self.reference(to, file, scope, &zone, Role::Attribute(attr))?;
                Some(Value::Direction {
                    from,
                    to,
                    both: *arrow == syntax::Arrow::Both,
                })
            }
            (Ty::Direction, _) if word == Some("both") => Some(Value::Word("both")),
            (Ty::Permissions, ValueKind::Map(entries)) => {
                let mut out = Vec::new();
                for (key, perms) in entries {
                    let zone =
                        self.reference(key, file, scope, &[ElementKind::Zone], Role::PermissionKey);
                    let list = self.convert(
                        &Ty::List(&Ty::Enum(vocab::PERMISSIONS)),
                        perms,
                        file,
                        scope,
                        attr,
                    );
                    if let (Some(zone), Some(list)) = (zone, list) {
                        out.push((
                            zone,
                            list.as_list().iter().filter_map(Value::as_word).collect(),
                        ));
                    }
                }
                Some(Value::Permissions(out))
            }
            (Ty::RequirementIds, ValueKind::Str(_) | ValueKind::List(_)) => {
                let items: Vec<&syntax::Value> = match &value.kind {
                    ValueKind::List(items) => items.iter().collect(),
                    _ => vec![value],
                };
                let mut ids = Vec::new();
                for item in items {
                    match &item.kind {
                        ValueKind::Str(s) => ids.push(Value::Str(
                            reqid::normalize(s).unwrap_or_else(|| s.trim().to_string()),
                        )),
                        _ => {
                            self.type_error(file, item, attr, ty);
                            self.diagnostics.last_mut().expect("just pushed").help =
                                Some("quote requirement ids: \"SR 1.1 RE 1\"".into());
                            return None;
                        }
                    }
                }
                Some(Value::List(ids))
            }
            _ => {
                self.type_error(file, value, attr, ty);
                if matches!(ty, Ty::RequirementIds) {
                    self.diagnostics.last_mut().expect("just pushed").help =
                        Some("quote requirement ids: \"SR 1.1 RE 1\"".into());
                }
                None
            }
        }
    }

    fn enum_word(
        &mut self,
        words: &'static [&'static str],
        word: &str,
        file: FileId,
        value: &syntax::Value,
        attr: &str,
    ) -> Option<Value> {
        if let Some(w) = words.iter().find(|w| **w == word) {
            return Some(Value::Word(w));
        }
        let help = did_you_mean(word, words.iter().copied())
            .unwrap_or_else(|| format!("`{attr}` takes {}", Ty::Enum(words).describe()));
        self.error(
            "invalid-value",
            format!("`{word}` is not a value of `{attr}`"),
            file,
            value.span,
            "unknown value",
        )
        .help = Some(help);
        None
    }

    fn protocol(&mut self, word: &str, file: FileId, span: syntax::Span) -> Option<Value> {
        if let Some(p) = vocab::PROTOCOLS.iter().find(|p| **p == word) {
            return Some(Value::Word(p));
        }
        let help = did_you_mean(word, vocab::PROTOCOLS.iter().copied())
            .unwrap_or_else(|| format!("for a proprietary protocol, quote its name: `\"{word}\"`"));
        self.error(
            "invalid-value",
            format!("unknown protocol `{word}`"),
            file,
            span,
            "not a known protocol",
        )
        .help = Some(help);
        None
    }

    fn port(&mut self, text: &str, file: FileId, span: syntax::Span) -> Option<u16> {
        match text.parse::<u16>() {
            Ok(p) if p > 0 => Some(p),
            _ => {
                self.error(
                    "invalid-value",
                    format!("`{text}` is not a port number"),
                    file,
                    span,
                    "ports are 1 to 65535",
                );
                None
            }
        }
    }

    fn security_level(&mut self, value: &syntax::Value, file: FileId, attr: &str) -> Option<Value> {
        let mut levels = [0u8; 7];
        match &value.kind {
            ValueKind::Number(n) => {
                levels = [self.level_0_to_4(n, file, value.span)?; 7];
            }
            ValueKind::List(items) => {
                if items.len() != 7 {
                    self.error(
                        "invalid-value",
                        format!(
                            "`{attr}` lists {} levels, but there are seven FRs",
                            items.len()
                        ),
                        file,
                        value.span,
                        "expected seven levels",
                    )
                    .help = Some(format!(
                        "give one level per FR, in the order {}; or use a map: {{ IAC: 2, ... }}",
                        FR_NAMES.join(" ")
                    ));
                    return None;
                }
                for (i, item) in items.iter().enumerate() {
                    let ValueKind::Number(n) = &item.kind else {
                        self.type_error(file, item, attr, &Ty::Sl);
                        return None;
                    };
                    levels[i] = self.level_0_to_4(n, file, item.span)?;
                }
            }
            ValueKind::Map(entries) => {
                let mut seen = [false; 7];
                for (key, level) in entries {
                    let name = key.text();
                    let Some(fr) = fr_index(&name) else {
                        self.error(
                            "invalid-value",
                            format!("`{name}` is not a foundational requirement"),
                            file,
                            key.span,
                            "unknown FR",
                        )
                        .help = Some(
                            did_you_mean(&name, FR_NAMES)
                                .unwrap_or_else(|| format!("the FRs are {}", FR_NAMES.join(", "))),
                        );
                        return None;
                    };
                    if seen[fr] {
                        self.error(
                            "invalid-value",
                            format!("`{}` is given twice in `{attr}`", FR_NAMES[fr]),
                            file,
                            key.span,
                            "given again here",
                        )
                        .help = Some("give each foundational requirement one level".into());
                        return None;
                    }
                    seen[fr] = true;
                    let ValueKind::Number(n) = &level.kind else {
                        self.type_error(file, level, attr, &Ty::Sl);
                        return None;
                    };
                    levels[fr] = self.level_0_to_4(n, file, level.span)?;
                }
                let missing: Vec<&str> =
                    (0..7).filter(|i| !seen[*i]).map(|i| FR_NAMES[i]).collect();
                if !missing.is_empty() {
                    self.error(
                        "invalid-value",
                        format!("`{attr}` does not give a level for {}", join_and(&missing)),
                        file,
                        value.span,
                        "incomplete",
                    )
                    .help = Some(
                        "name all seven FRs (a level of 0 is allowed), or give one number for all"
                            .into(),
                    );
                    return None;
                }
            }
            _ => {
                self.type_error(file, value, attr, &Ty::Sl);
                return None;
            }
        }
        Some(Value::Sl(SlVector(levels)))
    }

    fn level_0_to_4(&mut self, text: &str, file: FileId, span: syntax::Span) -> Option<u8> {
        match text.parse::<u8>() {
            Ok(l) if l <= 4 => Some(l),
            _ => {
                self.error(
                    "sl-out-of-range",
                    format!("security level `{text}` is out of range"),
                    file,
                    span,
                    "must be 0, 1, 2, 3 or 4",
                )
                .help = Some("IEC 62443 defines security levels 0 to 4".into());
                None
            }
        }
    }
}

impl Diagnostic {
    pub(super) fn with_label_mut(&mut self, label: Label) -> &mut Diagnostic {
        self.secondary.push(label);
        self
    }
}

/// Names a value in a message: short values as written, others by their form.
fn found(value: &syntax::Value) -> String {
    match &value.kind {
        ValueKind::Path(p) => format!("`{}`", p.text()),
        ValueKind::Number(n) | ValueKind::Date(n) => format!("`{n}`"),
        other => other.describe().to_string(),
    }
}

/// What a reference is for, to say why the element it names is of the wrong kind.
#[derive(Debug, Clone, Copy)]
pub(super) enum Role<'a> {
    Attribute(&'a str),
    FlowSource,
    FlowDestination,
    PermissionKey,
}

impl Role<'_> {
    /// "`owner` expects an organization", "a flow source must be a component".
    fn needs(self, wanted: &str) -> String {
        match self {
            Role::Attribute(name) => format!("`{name}` expects {wanted}"),
            Role::FlowSource => format!("a flow source must be {wanted}"),
            Role::FlowDestination => format!("a flow destination must be {wanted}"),
            Role::PermissionKey => format!("a permission is granted on {wanted}"),
        }
    }
}
