//! `--format human`: miette's graphical reports and a summary line. Only open diagnostics are
//! drawn; compensated and suppressed findings are counted in the summary.

use super::Context;
use crate::check::Report;
use crate::diagnostics::{FindingState, Severity, render};

pub fn write(report: &Report, context: &Context) -> String {
    let mut out = String::new();
    for diagnostic in report.diagnostics.iter().filter(|d| d.is_open()) {
        out.push_str(&render(diagnostic, &report.model.sources, context.render));
        out.push('\n');
    }
    out.push_str(&summary(report));
    if let Some(baseline) = &context.baseline {
        for line in baseline.describe() {
            out.push_str(&line);
            out.push('\n');
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
        let n = report.count_open(severity);
        (n > 0).then(|| {
            format!(
                "{n} {word}{}",
                if n == 1 || word == "info" { "" } else { "s" }
            )
        })
    })
    .collect();
    let answered = |state: fn(&FindingState) -> bool| {
        report
            .diagnostics
            .iter()
            .filter(|d| d.finding.as_ref().is_some_and(|f| state(&f.state)))
            .count()
    };
    let compensated = answered(|s| matches!(s, FindingState::Compensated { .. }));
    let suppressed = answered(|s| matches!(s, FindingState::Suppressed { .. }));
    let mut quiet = Vec::new();
    if compensated > 0 {
        quiet.push(format!("{compensated} compensated"));
    }
    if suppressed > 0 {
        quiet.push(format!("{suppressed} suppressed"));
    }
    let quiet = if quiet.is_empty() {
        String::new()
    } else {
        format!(" ({})", quiet.join(", "))
    };
    if counts.is_empty() {
        counts.push("no problems found".into());
    }
    format!(
        "checked {files} {files_word}: {}{quiet}\n",
        counts.join(", ")
    )
}
