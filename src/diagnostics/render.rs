//! Drawing diagnostics for a terminal with miette.
//!
//! [`Diagnostic`] is adapted to `miette::Diagnostic` on the fly: labels in the primary file are
//! drawn in one snippet; labels in other files become related reports, each with its own snippet.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};

use super::{Diagnostic, FileId, Label, Severity, SourceMap};

#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    pub color: bool,
    pub unicode: bool,
    pub width: usize,
}

impl Default for RenderOptions {
    /// Plain and stable: what tests and non-terminals get.
    fn default() -> Self {
        RenderOptions {
            color: false,
            unicode: true,
            width: 100,
        }
    }
}

pub fn render(diagnostic: &Diagnostic, sources: &SourceMap, options: RenderOptions) -> String {
    let theme = match (options.unicode, options.color) {
        (true, true) => GraphicalTheme::unicode(),
        (true, false) => GraphicalTheme::unicode_nocolor(),
        (false, true) => GraphicalTheme::ascii(),
        (false, false) => GraphicalTheme::none(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .without_syntax_highlighting()
        .with_links(false);
    let adapter = Adapter::new(diagnostic, sources);
    let mut out = String::new();
    if handler.render_report(&mut out, &adapter).is_err() {
        // Rendering into a String cannot fail for IO reasons; keep a plain fallback anyway.
        out = format!(
            "{}[{}]: {}\n",
            diagnostic.severity.as_str(),
            diagnostic.code,
            diagnostic.message
        );
    }
    out
}

pub fn render_all(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    options: RenderOptions,
) -> String {
    diagnostics
        .iter()
        .map(|d| render(d, sources, options))
        .collect::<Vec<_>>()
        .join("\n")
}

struct Adapter {
    code: String,
    severity: miette::Severity,
    message: String,
    help: Option<String>,
    source: NamedSource<String>,
    labels: Vec<LabeledSpan>,
}

impl Adapter {
    fn new(d: &Diagnostic, sources: &SourceMap) -> Adapter {
        let file = d.primary.file;
        let mut labels = vec![labeled(&d.primary, sources, true)];
        // Labels in other files become one line each with their location: a snippet per hop of
        // an attack path would bury the finding. Editors and SARIF get them as full locations.
        let mut elsewhere = Vec::new();
        for label in &d.secondary {
            if label.file == file {
                labels.push(labeled(label, sources, false));
            } else {
                let (line, column) = sources.line_col(label.file, label.span.start);
                elsewhere.push(format!(
                    "{}:{line}:{column}: {}",
                    sources.get(label.file).name,
                    label.message
                ));
            }
        }
        let extra: Vec<String> = d.notes.iter().cloned().chain(elsewhere).collect();
        let mut help = d.help.clone();
        if !extra.is_empty() {
            let notes = extra.join("\n");
            help = Some(match help {
                Some(h) => format!("{h}\n{notes}"),
                None => notes,
            });
        }
        Adapter {
            code: d.code.clone(),
            severity: miette_severity(d.severity),
            message: d.message.clone(),
            help,
            source: named_source(file, sources),
            labels,
        }
    }
}

fn named_source(file: FileId, sources: &SourceMap) -> NamedSource<String> {
    let f = sources.get(file);
    NamedSource::new(f.name.clone(), f.text.to_string())
}

fn labeled(label: &Label, sources: &SourceMap, primary: bool) -> LabeledSpan {
    let text = &sources.get(label.file).text;
    // Clamp to the text and to character boundaries: a label must never make the renderer panic.
    let mut start = label.span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = label.span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let message = (!label.message.is_empty()).then(|| label.message.clone());
    if primary {
        LabeledSpan::new_primary_with_span(message, (start, end - start))
    } else {
        LabeledSpan::new_with_span(message, (start, end - start))
    }
}

fn miette_severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

impl fmt::Debug for Adapter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Adapter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Adapter {}

impl miette::Diagnostic for Adapter {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}
