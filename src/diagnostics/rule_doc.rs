//! What a rule says about itself: the text behind `zonelint explain`, SARIF rule metadata,
//! editor hover and the generated pages in `docs/`.

use super::Severity;

/// Where rule documentation is published. Every rule's page is `{DOCS_URL}{id}.md`.
pub const DOCS_URL: &str = "https://github.com/zonelint/zonelint/blob/main/docs/rules/";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleDoc {
    /// The rule id findings carry (`dd-untrusted-path`, `unknown-attribute`).
    pub id: String,
    /// A short human title.
    pub title: String,
    /// Markdown with the sections `## What it checks`, `## Why it matters`, `## Example`,
    /// `## How to fix`.
    pub doc: String,
    /// The catalogue requirement the rule checks, if any.
    pub requirement: Option<String>,
    /// `FR1`..`FR7` for IEC 62443-3-3 rules.
    pub fr: Option<String>,
    pub severity: Severity,
    /// The pack it comes from (`defense-in-depth`, `iec62443-3-2`, `iec62443-3-3`, `model`).
    pub pack: String,
    pub tags: Vec<String>,
}

impl RuleDoc {
    pub fn url(&self) -> String {
        format!("{DOCS_URL}{}.md", self.id)
    }
}
