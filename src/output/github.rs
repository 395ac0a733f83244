//! `--format github`: GitHub Actions workflow commands, which the runner turns into annotations
//! on the pull request's changed lines.
//!
//! `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T::message`. GitHub parses these
//! line by line, so the message must not contain a raw line break, and the properties may not
//! contain the `,` and `:` that separate them: both are percent-escaped the way the Actions
//! toolkit does (`%` first, so escapes are not escaped twice).

use super::Context;
use crate::check::Report;
use crate::diagnostics::{Diagnostic, Severity, SourceMap};

pub fn write(report: &Report, context: &Context) -> String {
    let sources = &report.model.sources;
    let mut out = String::new();
    for d in report.diagnostics.iter().filter(|d| d.is_open()) {
        out.push_str(&command(d, sources, context));
        out.push('\n');
    }
    out
}

fn command(d: &Diagnostic, sources: &SourceMap, context: &Context) -> String {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let (line, col) = sources.line_col(d.primary.file, d.primary.span.start);
    let (end_line, end_col) = sources.line_col(d.primary.file, d.primary.span.end);
    let file = context.root_relative_path(d.primary.file, sources);
    let title = match d.finding.as_ref().and_then(|f| f.requirement.as_deref()) {
        Some(requirement) => format!("zonelint {} ({requirement})", d.code),
        None => format!("zonelint {}", d.code),
    };
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\n\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{kind} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}",
        escape_property(file),
        escape_property(&title),
        escape_data(&message)
    )
}

/// Escapes the message after `::`.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value, where `:` and `,` are separators too.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::{escape_data, escape_property};

    #[test]
    fn escapes_what_github_parses() {
        assert_eq!(escape_data("100% a\r\nb: c, d"), "100%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
