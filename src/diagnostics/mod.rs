//! Diagnostics: the one type every stage reports through, and its renderers.
//!
//! A [`Diagnostic`] is plain data (code, severity, message, labelled spans, help). Model errors
//! and policy findings are both diagnostics; miette is only used to draw them for a terminal
//! ([`render`]), and the JSON, SARIF and language-server outputs read the same fields.

mod codes;
mod fill;
mod render;
mod rule_doc;
mod snippet;
mod source;

pub use codes::{CODES_URL, CodeDoc, MODEL_CODES, model_code};
pub use render::{
    GroupRenderer, REQUIREMENT_NOTE, RenderOptions, render, render_all, render_group,
};
pub use rule_doc::{DOCS_URL, RuleDoc};
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
    /// Set for policy findings; model errors have none.
    pub finding: Option<Box<FindingInfo>>,
}

/// What a policy finding carries beyond a plain diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FindingInfo {
    /// The catalogue requirement the rule checks (`SR 5.2 RE 1`, `ZCR 3.3`), if any.
    pub requirement: Option<String>,
    /// The foundational requirement (`FR5`), for IEC 62443-3-3 rules.
    pub fr: Option<String>,
    /// The qualified id of the element the finding is about.
    pub element: String,
    /// Stable identity: derived from the rule id and the element's qualified id, never a line.
    pub fingerprint: String,
    pub state: FindingState,
    /// Where the rule is documented.
    pub url: Option<String>,
    /// An edit that fixes the finding, for editors.
    pub fix: Option<Fix>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum FindingState {
    #[default]
    Open,
    /// A compensating countermeasure covers it; `by` is the compensation's qualified id.
    Compensated { by: String },
    /// A `suppress` in the model silences it.
    Suppressed { reason: String },
}

impl FindingState {
    pub fn as_str(&self) -> &'static str {
        match self {
            FindingState::Open => "open",
            FindingState::Compensated { .. } => "compensated",
            FindingState::Suppressed { .. } => "suppressed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub description: String,
    pub edits: Vec<Edit>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub file: FileId,
    pub span: Span,
    pub replacement: String,
}

/// The stable identity of a finding: a hash of the rule id and the element's qualified id.
/// FNV-1a, so the value never changes between builds or platforms.
pub fn fingerprint(rule: &str, element_qid: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in rule.bytes().chain([0]).chain(element_qid.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    // `format!("{hash:016x}")` without the formatting machinery (a finding's identity is
    // computed for every finding).
    let mut out = String::with_capacity(16);
    for shift in (0..16).rev() {
        out.push(char::from(
            b"0123456789abcdef"[((hash >> (shift * 4)) & 0xf) as usize],
        ));
    }
    out
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
            finding: None,
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
    /// A model error, or a policy finding nothing has answered: what counts for the exit code
    /// and what the terminal formats show. Compensated and suppressed findings are carried only
    /// by the formats that can mark them (JSON, SARIF, JUnit).
    pub fn is_open(&self) -> bool {
        self.finding
            .as_ref()
            .is_none_or(|f| f.state == FindingState::Open)
    }
}

/// A word with its indefinite article: "a zone", "an organization", "an `import`".
pub fn with_article(word: &str) -> String {
    let first = word.chars().find(|c| c.is_alphanumeric());
    let article = match first {
        Some('a' | 'e' | 'i' | 'o' | 'u' | 'A' | 'E' | 'I' | 'O' | 'U') => "an",
        _ => "a",
    };
    format!("{article} {word}")
}

/// "a", "a and b", "a, b and c".
pub fn join_and<S: AsRef<str>>(items: &[S]) -> String {
    join_with(items, "and")
}

/// "a", "a or b", "a, b or c".
pub fn join_or<S: AsRef<str>>(items: &[S]) -> String {
    join_with(items, "or")
}

fn join_with<S: AsRef<str>>(items: &[S], last_word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} {last_word} {}", init.join(", "), last.as_ref())
        }
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

#[cfg(test)]
mod wording_tests {
    use super::*;

    #[test]
    fn articles_follow_the_sound_of_the_first_letter() {
        assert_eq!(with_article("zone"), "a zone");
        assert_eq!(with_article("organization"), "an organization");
        assert_eq!(with_article("evidence"), "an evidence");
        assert_eq!(with_article("`import`"), "an `import`");
    }

    #[test]
    fn lists_end_with_the_conjunction() {
        assert_eq!(join_and(&["a"]), "a");
        assert_eq!(join_and(&["a", "b"]), "a and b");
        assert_eq!(join_or(&["a", "b", "c"]), "a, b or c");
    }
}
