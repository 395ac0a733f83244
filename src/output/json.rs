//! `--format json`: a stable document for scripts. The schema is documented in
//! docs/json-output.md; fields are only ever added, never renamed or removed, within a version.

use serde::Serialize;

use crate::check::Report;
use crate::diagnostics::{Diagnostic, Label, Severity, SourceMap};

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    summary: Summary,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    severity: Severity,
    message: &'a str,
    location: JsonLocation,
    related: Vec<JsonLocation>,
    help: Option<&'a str>,
    notes: &'a [String],
}

/// A place in a file: byte offsets, and 1-based lines and columns (columns count characters).
#[derive(Serialize)]
struct JsonLocation {
    file: String,
    start: usize,
    end: usize,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: String,
}

fn location(label: &Label, sources: &SourceMap) -> JsonLocation {
    let (line, column) = sources.line_col(label.file, label.span.start);
    let (end_line, end_column) = sources.line_col(label.file, label.span.end);
    JsonLocation {
        file: sources.get(label.file).name.clone(),
        start: label.span.start,
        end: label.span.end,
        line,
        column,
        end_line,
        end_column,
        message: label.message.clone(),
    }
}

fn diagnostic<'a>(d: &'a Diagnostic, sources: &SourceMap) -> JsonDiagnostic<'a> {
    JsonDiagnostic {
        code: &d.code,
        severity: d.severity,
        message: &d.message,
        location: location(&d.primary, sources),
        related: d.secondary.iter().map(|l| location(l, sources)).collect(),
        help: d.help.as_deref(),
        notes: &d.notes,
    }
}

pub fn write(report: &Report) -> String {
    let sources = &report.model.sources;
    let document = Document {
        version: SCHEMA_VERSION,
        tool: Tool {
            name: "zonelint",
            version: env!("CARGO_PKG_VERSION"),
        },
        summary: Summary {
            files: sources.len(),
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            infos: report.count(Severity::Info),
        },
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| diagnostic(d, sources))
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&document).expect("the document is plain data");
    out.push('\n');
    out
}
