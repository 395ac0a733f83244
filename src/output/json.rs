//! `--format json`: a stable document for scripts. The schema is documented in
//! docs/json-output.md and docs/schemas/zonelint-output.schema.json; fields are only ever
//! added, never renamed or removed, within a version.

use serde::Serialize;

use super::{Context, diagnostic_fingerprint};
use crate::check::Report;
use crate::check::baseline::BaselineSummary;
use crate::diagnostics::{Diagnostic, FindingState, Label, Severity, SourceMap};

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    summary: Summary,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    /// Present when a baseline was applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<&'a BaselineSummary>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

/// Counts of open diagnostics by severity, and of answered findings by state.
#[derive(Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    compensated: usize,
    suppressed: usize,
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
    /// The rule id for a policy finding; `null` for a model error.
    rule: Option<&'a str>,
    requirement: Option<&'a str>,
    fr: Option<&'a str>,
    /// The qualified id of the element a finding is about; `null` for a model error.
    element: Option<&'a str>,
    fingerprint: String,
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    compensated_by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppression_reason: Option<&'a str>,
    url: Option<&'a str>,
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

fn diagnostic<'a>(d: &'a Diagnostic, sources: &SourceMap, context: &Context) -> JsonDiagnostic<'a> {
    let finding = d.finding.as_deref();
    let state = finding.map(|f| &f.state);
    JsonDiagnostic {
        code: &d.code,
        severity: d.severity,
        message: &d.message,
        location: location(&d.primary, sources),
        related: d.secondary.iter().map(|l| location(l, sources)).collect(),
        help: d.help.as_deref(),
        notes: &d.notes,
        rule: finding.map(|_| d.code.as_str()),
        requirement: finding.and_then(|f| f.requirement.as_deref()),
        fr: finding.and_then(|f| f.fr.as_deref()),
        element: finding.map(|f| f.element.as_str()),
        fingerprint: diagnostic_fingerprint(d, sources, context),
        state: state.map_or("open", FindingState::as_str),
        compensated_by: match state {
            Some(FindingState::Compensated { by }) => Some(by),
            _ => None,
        },
        suppression_reason: match state {
            Some(FindingState::Suppressed { reason }) => Some(reason),
            _ => None,
        },
        url: finding.and_then(|f| f.url.as_deref()),
    }
}

pub fn write(report: &Report, context: &Context) -> String {
    let mut out = Vec::new();
    write_to(report, context, &mut out).expect("writing to memory does not fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Writes the document to `out` as it is serialised, without holding its text.
pub fn write_to(
    report: &Report,
    context: &Context,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let sources = &report.model.sources;
    let answered = |state: &str| {
        report
            .diagnostics
            .iter()
            .filter(|d| {
                d.finding
                    .as_ref()
                    .is_some_and(|f| f.state.as_str() == state)
            })
            .count()
    };
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
            compensated: answered("compensated"),
            suppressed: answered("suppressed"),
        },
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| diagnostic(d, sources, context))
            .collect(),
        baseline: context.baseline.as_ref(),
    };
    serde_json::to_writer_pretty(&mut *out, &document).map_err(std::io::Error::from)?;
    out.write_all(b"\n")
}
