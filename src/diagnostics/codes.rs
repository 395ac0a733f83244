//! The codes of model errors: what `zonelint explain <code>` prints, and the list the
//! diagnostic corpus (`tests/diagnostics.rs`) checks against the sources and the fixtures.
//!
//! Each code's documentation lives in `docs/codes/<code>.md`, with the sections
//! `## What it means`, `## Example` and `## How to fix`; it is compiled in, so the binary
//! explains itself offline.

/// Where the code pages are published: `{CODES_URL}{code}.md`.
pub const CODES_URL: &str = "https://github.com/zonelint/zonelint/blob/main/docs/codes/";

/// One model error code and its documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeDoc {
    pub code: &'static str,
    /// One line, for listings.
    pub summary: &'static str,
    /// The Markdown page.
    pub doc: &'static str,
}

macro_rules! codes {
    ($($code:literal => $summary:literal),* $(,)?) => {
        &[$(CodeDoc {
            code: $code,
            summary: $summary,
            doc: include_str!(concat!("../../docs/codes/", $code, ".md")),
        }),*]
    };
}

/// Every code the syntax and model layers report, in alphabetical order.
pub const MODEL_CODES: &[CodeDoc] = codes![
    "ambiguous-reference" => "A name matches elements in several scopes; qualify it.",
    "component-without-zone" => "A component is neither declared in a zone nor names one.",
    "conduit-too-few-zones" => "A conduit joins fewer than two distinct zones.",
    "conflicting-zone" => "A component inside one zone names another with `zone =`.",
    "duplicate-attribute" => "An attribute is set twice on the same item.",
    "duplicate-id" => "Two items in the same scope have the same id.",
    "file-too-large" => "A model file is larger than zonelint reads.",
    "import-cycle" => "Files import each other in a circle.",
    "import-not-found" => "An imported file does not exist.",
    "import-outside-workspace" => "An import points outside the workspace root.",
    "import-too-deep" => "Imports are nested deeper than zonelint follows.",
    "invalid-import" => "An `import` is not written as `import \"path.iacs\"`.",
    "invalid-suppression" => "A `suppress` does not name the rule it silences.",
    "invalid-utf8" => "A model file is not valid UTF-8.",
    "invalid-value" => "An attribute's value has the wrong type or is not an allowed value.",
    "misplaced-item" => "An item stands where the language does not allow it.",
    "missing-attribute" => "An item lacks an attribute it must have.",
    "missing-endpoints" => "A flow does not name its source and destination.",
    "missing-kind" => "A component or product has no IEC 62443-4-2 kind.",
    "missing-name" => "An item that needs an id has none.",
    "missing-reason" => "A suppression gives no reason.",
    "nesting-too-deep" => "Brackets nest deeper than zonelint accepts.",
    "sl-out-of-range" => "A security level is outside 0 to 4.",
    "syntax-error" => "The text does not follow the grammar of the language.",
    "too-many-files" => "The workspace has more model files than zonelint reads.",
    "unclosed-delimiter" => "A `{`, `[` or string is never closed.",
    "undefined-reference" => "A reference names nothing declared in the model.",
    "unexpected-type" => "An item has a `:` clause it does not take.",
    "unknown-attribute" => "An attribute name is not in the item's vocabulary.",
    "unknown-keyword" => "A word that starts an item is not a keyword of the language.",
    "unknown-kind" => "A component's type is neither a 4-2 kind nor a product.",
    "unreadable-file" => "A model file could not be read.",
    "wrong-kind" => "A reference names an element of the wrong kind.",
];

impl CodeDoc {
    pub fn url(&self) -> String {
        format!("{CODES_URL}{}.md", self.code)
    }

    /// The page without its title line, for a terminal.
    pub fn body(&self) -> &'static str {
        let title = format!("# `{}`", self.code);
        self.doc
            .strip_prefix(title.as_str())
            .unwrap_or(self.doc)
            .trim()
    }
}

/// The documentation of a model code.
pub fn model_code(code: &str) -> Option<&'static CodeDoc> {
    MODEL_CODES.iter().find(|d| d.code == code)
}
