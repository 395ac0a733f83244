//! `--format human`: miette's graphical reports and a summary line.

use crate::check::{Report, is_compensated, is_open};
use crate::diagnostics::{RenderOptions, Severity, render};

pub fn write(report: &Report, options: RenderOptions) -> String {
    let mut out = String::new();
    // Suppressed findings are left out of the terminal log; they stay in JSON and SARIF.
    for diagnostic in report
        .diagnostics
        .iter()
        .filter(|d| is_open(d) || is_compensated(d))
    {
        out.push_str(&render(diagnostic, &report.model.sources, options));
        out.push('\n');
    }
    out.push_str(&summary(report));
    out
}

pub fn summary(report: &Report) -> String {
    let files = report.model.sources.len();
    let files_word = if files == 1 { "file" } else { "files" };
    let counts: Vec<String> = [
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
    let mut counts = counts;
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
