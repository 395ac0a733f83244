//! Output formats: the only place diagnostics are serialised.
//!
//! Every format is a pure function from a [`Report`] and a [`Context`] to a string; the CLI
//! decides where it goes (stdout, or a file written atomically).

pub mod diff;
pub mod export;
pub mod github;
pub mod graph;
pub mod human;
pub mod json;
pub mod junit;
pub mod report;
pub mod sarif;
pub mod short;

use crate::check::Report;
use crate::check::baseline::BaselineSummary;
use crate::diagnostics::{Diagnostic, FileId, RenderOptions, SourceMap, fingerprint};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Rich diagnostics with source snippets (the default).
    Human,
    /// One JSON document, schema in docs/json-output.md.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// JUnit XML: one test suite per rule, for CI test reports.
    Junit,
    /// One line per diagnostic: `path:line:col: severity[rule] message`.
    Short,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Junit => "junit",
            Format::Short => "short",
        }
    }
}

/// What a format needs beyond the report.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub render: RenderOptions,
    /// For each file (by [`FileId`]), its path relative to the workspace root, `/` separated:
    /// what SARIF and GitHub annotations locate results by. Files missing here use their
    /// display name.
    pub root_relative: Vec<String>,
    /// Set when a baseline was applied.
    pub baseline: Option<BaselineSummary>,
}

impl Context {
    pub fn root_relative_path<'a>(&'a self, file: FileId, sources: &'a SourceMap) -> &'a str {
        self.root_relative
            .get(file.0 as usize)
            .map_or(sources.get(file).name.as_str(), String::as_str)
    }
}

pub fn write(format: Format, report: &Report, context: &Context) -> String {
    match format {
        Format::Human => human::write(report, context),
        Format::Json => json::write(report, context),
        Format::Sarif => sarif::write(report, context),
        Format::Github => github::write(report, context),
        Format::Junit => junit::write(report, context),
        Format::Short => short::write(report, context),
    }
}

/// Writes the report in `format` to `out`. The human and JSON reports go out as they are made;
/// the other formats are made whole first.
pub fn write_to(
    format: Format,
    report: &Report,
    context: &Context,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Human => {
            let mut result = Ok(());
            human::write_pieces(report, context, &mut |piece| {
                if result.is_ok() {
                    result = out.write_all(piece.as_bytes());
                }
            });
            result
        }
        Format::Json => json::write_to(report, context, out),
        _ => out.write_all(write(format, report, context).as_bytes()),
    }
}

/// The stable identity of a diagnostic: the finding's fingerprint, or for a model error one
/// derived from its code, file and message (not its line, so that edits above it keep it).
pub fn diagnostic_fingerprint(
    diagnostic: &Diagnostic,
    sources: &SourceMap,
    context: &Context,
) -> String {
    match &diagnostic.finding {
        Some(finding) => finding.fingerprint.clone(),
        None => {
            let file = context.root_relative_path(diagnostic.primary.file, sources);
            fingerprint(&diagnostic.code, &format!("{file}\0{}", diagnostic.message))
        }
    }
}
