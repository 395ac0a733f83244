//! The formatter: one canonical layout for `.iacs` files.
//!
//! It works on the syntax tree and the comments the parser keeps beside it, and depends on
//! [`crate::syntax`] alone. The layout (documented in `docs/editors.md`):
//!
//! - two spaces per nesting level (configurable through [`FmtOptions::indent_width`]);
//! - one entry per line inside a block, except that a block of at most three attributes, with no
//!   nested item, no comment and no value that spans lines, is written on the header's line
//!   (`zone safety_cell { kind = safety  sl_target = 3 }`) when that line fits in
//!   [`FmtOptions::max_width`];
//! - ` = ` aligned within a run of consecutive attributes; a blank line or a nested item ends
//!   the run, a comment line does not;
//! - entries keep the order they were written in: attribute order carries no meaning for
//!   zonelint, but it often carries meaning for the reader, so the formatter never reorders;
//! - blank lines between entries are kept, collapsed to one; none after `{` or before `}`;
//! - every comment stays where it was: on its own line above the entry it preceded, or trailing
//!   on the line of the entry it followed (two spaces before `//`); trailing whitespace is
//!   removed;
//! - lists and maps stay on one line when they fit, else one element per line with a trailing
//!   comma; a list or map that holds a comment is always broken;
//! - an entry with a comment where no layout can keep it (inside a header, between a name and
//!   its `=`) is left exactly as written.
//!
//! A file with syntax errors is refused, and every result is checked before it is returned: it
//! must parse, hold the same tree and the same comments. A layout bug therefore surfaces as a
//! [`FormatError::Internal`], never as a changed or shortened file.

mod printer;
mod verify;

#[cfg(test)]
mod tests;

use crate::syntax::{self, SyntaxError};

/// Layout settings. The defaults are the canonical layout; `zonelint fmt` and the language
/// server both use them, so that an editor and `zonelint fmt --check` never disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FmtOptions {
    /// Spaces per nesting level.
    pub indent_width: usize,
    /// Lines longer than this are broken where the layout allows (lists, maps, inline blocks).
    pub max_width: usize,
}

impl Default for FmtOptions {
    fn default() -> Self {
        FmtOptions {
            indent_width: 2,
            max_width: 100,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FormatError {
    /// The file does not parse; it is left untouched.
    #[error("the file has {} syntax error(s); fix them before formatting", .0.len())]
    Syntax(Vec<SyntaxError>),
    /// The formatter's own result failed its check. A bug: the file is left untouched.
    #[error("internal formatter error ({0}); the file was left unchanged")]
    Internal(String),
}

/// Formats one file. The text is returned in the canonical layout, or an error and nothing.
pub fn format(text: &str, opts: &FmtOptions) -> Result<String, FormatError> {
    let tree = syntax::parse(text);
    if !tree.errors.is_empty() {
        return Err(FormatError::Syntax(tree.errors));
    }
    let output = printer::print(text, &tree, opts)?;
    verify::same_file(text, &tree, &output)?;
    Ok(output)
}
