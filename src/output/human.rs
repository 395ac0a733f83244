//! `--format human`: what a person reads in a terminal or a CI log.
//!
//! Errors and warnings are drawn in full by miette (snippets, labels, help). Information-level
//! findings (missing evidence, compensated gaps) and achieved-level summaries are written as
//! compact entries after them, so the findings that need action stay on the first screen.

use crate::check::achieved::BELOW_TARGET;
use crate::check::{Report, is_compensated, is_open};
use crate::diagnostics::{Diagnostic, RenderOptions, Severity, render};

pub fn write(report: &Report, options: RenderOptions) -> String {
    let mut out = String::new();
    // Suppressed findings are left out of the terminal log; they stay in JSON and SARIF.
    let shown: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| is_open(d) || is_compensated(d))
        .collect();
    let (compact, full): (Vec<&Diagnostic>, Vec<&Diagnostic>) = shown
        .into_iter()
        .partition(|d| d.severity == Severity::Info || d.code == BELOW_TARGET);
    for diagnostic in full {
        out.push_str(&render(diagnostic, &report.model.sources, options));
        out.push('\n');
    }
    for diagnostic in compact {
        out.push_str(&one_entry(report, diagnostic));
    }
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
    out.push_str(&summary(report));
    out
}

/// `severity[code]: message`, the location, then the notes indented (the SL vector table of
/// an achieved-level finding, or what compensates a gap).
fn one_entry(report: &Report, d: &Diagnostic) -> String {
    let sources = &report.model.sources;
    let (line, column) = sources.line_col(d.primary.file, d.primary.span.start);
    let mut out = format!(
        "{}[{}]: {}\n  --> {}:{line}:{column}\n",
        d.severity.as_str(),
        d.code,
        d.message,
        sources.get(d.primary.file).name
    );
    for note in &d.notes {
        if note.starts_with("requirement:") {
            continue;
        }
        for line in note.lines() {
            out.push_str(&format!("      {line}\n"));
        }
    }
    out
}

pub fn summary(report: &Report) -> String {
    let files = report.model.sources.len();
    let files_word = if files == 1 { "file" } else { "files" };
    let mut counts: Vec<String> = [
        (Severity::Error, "error"),
        (Severity::Warning, "warning"),
        (Severity::Info, "info"),
    ]
    .into_iter()
    .filter_map(|(severity, word)| {
        let n = report.count(severity);
        (n > 0).then(|| {
            format!(
                "{n} {word}{}",
                if n == 1 || word == "info" { "" } else { "s" }
            )
        })
    })
    .collect();
    for (n, word) in [
        (report.compensated(), "compensated"),
        (report.suppressed(), "suppressed"),
    ] {
        if n > 0 {
            counts.push(format!("{n} {word}"));
        }
    }
    if counts.is_empty() {
        format!("checked {files} {files_word}: no problems found\n")
    } else {
        format!("checked {files} {files_word}: {}\n", counts.join(", "))
    }
}
