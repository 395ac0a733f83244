//! Diagnostics: the one type every stage reports through, and its renderers.
//!
//! A [`Diagnostic`] is plain data (code, severity, message, labelled spans, help). Model errors
//! and policy findings are both diagnostics; miette is only used to draw them for a terminal
//! ([`render`]), and the JSON, SARIF and language-server outputs read the same fields.

mod render;
mod source;

pub use render::{RenderOptions, render, render_all};
pub use source::{FileId, SourceFile, SourceMap};

use crate::syntax::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
}

/// An underlined span with a note. The primary label says what is wrong at that place;
/// secondary labels show related places (the first definition of a duplicate, a hop of a path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub file: FileId,
    pub span: Span,
    pub message: String,
}

impl Label {
    pub fn new(file: FileId, span: Span, message: impl Into<String>) -> Label {
        Label {
            file,
            span,
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Stable identifier: a model error code (`unknown-attribute`) or a rule id.
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    /// Extra lines shown after the labels (e.g. the chain of an import cycle).
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn error(code: &str, message: impl Into<String>, primary: Label) -> Diagnostic {
        Diagnostic {
            code: code.to_string(),
            severity: Severity::Error,
            message: message.into(),
            primary,
            secondary: Vec::new(),
            help: None,
            notes: Vec::new(),
        }
    }
    pub fn warning(code: &str, message: impl Into<String>, primary: Label) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message, primary)
        }
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }
    pub fn with_help_opt(mut self, help: Option<String>) -> Diagnostic {
        self.help = help;
        self
    }
    pub fn with_label(mut self, label: Label) -> Diagnostic {
        self.secondary.push(label);
        self
    }
    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }
}

/// "did you mean `x`?" for the closest of `candidates`, when one is close enough to be a typo.
pub fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(wrong, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// The candidate nearest to `wrong`, if it is near enough to be what the user meant.
pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong_lower = wrong.to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(&wrong_lower, &c.to_lowercase()),
                c,
            )
        })
        .filter(|(distance, c)| {
            let limit = (wrong.chars().count().max(c.chars().count()) / 3).max(1);
            *distance <= limit
        })
        .min_by_key(|(distance, c)| (*distance, c.len()))
        .map(|(_, c)| c)
}
