//! `--format human`: miette's graphical reports and a summary line.

use crate::check::Report;
use crate::diagnostics::{RenderOptions, Severity, render};

pub fn write(report: &Report, options: RenderOptions) -> String {
    let mut out = String::new();
    for diagnostic in &report.diagnostics {
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
    if counts.is_empty() {
        format!("checked {files} {files_word}: no problems found\n")
    } else {
        format!("checked {files} {files_word}: {}\n", counts.join(", "))
    }
}
