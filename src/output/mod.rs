//! Output formats: the only place diagnostics are serialised.

pub mod human;
pub mod json;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Rich diagnostics with source snippets (the default).
    Human,
    /// One JSON document, schema in docs/json-output.md.
    Json,
}
