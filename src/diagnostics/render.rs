//! Drawing diagnostics for a terminal with miette.
//!
//! [`Diagnostic`] is adapted to `miette::Diagnostic` on the fly: labels in the primary file are
//! drawn in one snippet; labels in other files become related reports, each with its own snippet.

use std::fmt;

use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

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
    /// `None` when the labels sit on lines too long to draw.
    source: Option<Snippet>,
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
        // A snippet of a very long line would print the whole line (megabytes for a minified
        // or corrupt file), and miette cannot pad an underline past column 65,535. Such
        // diagnostics name their places in words instead.
        let snippet = !touches_long_line(sources, file, &labels);
        if !snippet {
            for label in std::iter::once(&d.primary).chain(&d.secondary) {
                if label.file != file {
                    continue;
                }
                let (line, column) = sources.line_col(label.file, label.span.start);
                elsewhere.push(format!(
                    "{}:{line}:{column}: {}",
                    sources.get(label.file).name,
                    if label.message.is_empty() {
                        "here"
                    } else {
                        &label.message
                    }
                ));
            }
            labels.clear();
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
            source: snippet.then(|| Snippet::new(file, sources, &labels)),
            labels,
        }
    }
}

/// Lines longer than this are not drawn in a snippet.
pub const MAX_SNIPPET_LINE: usize = 1_000;

/// Whether a label, or a context line miette would draw around it, is on a line longer than
/// [`MAX_SNIPPET_LINE`] bytes.
fn touches_long_line(sources: &SourceMap, file: FileId, labels: &[LabeledSpan]) -> bool {
    let lines = sources.lines(file);
    let text_len = sources.get(file).text.len();
    labels.iter().any(|l| {
        let first = lines.line_of(l.offset().min(text_len)).saturating_sub(1);
        let last = lines.line_of((l.offset() + l.len()).min(text_len)) + 1;
        (first..=last).any(|line| lines.line_len(line, text_len) > MAX_SNIPPET_LINE)
    })
}

/// The text miette draws a snippet from: the whole file, shared rather than copied, read from
/// a line shortly above the first label.
///
/// miette finds the lines around a span by scanning from the start of the source, which made
/// rendering every diagnostic of a large file cost the file's length each time. Handing it the
/// text from a line start just above the labels, and shifting the offsets and line numbers it
/// reports back, draws exactly the same snippet at the cost of the lines it shows.
struct Snippet {
    name: String,
    text: Arc<str>,
    /// A line start at least two lines above every label; 0 when that cannot be used.
    window: usize,
    /// The 0-based line number of `window`.
    window_line: usize,
}

impl Snippet {
    fn new(file: FileId, sources: &SourceMap, labels: &[LabeledSpan]) -> Snippet {
        let f = sources.get(file);
        let lines = sources.lines(file);
        let first = labels.iter().map(LabeledSpan::offset).min().unwrap_or(0);
        // miette also breaks lines at a lone `\r`, which the line index does not: such rare
        // files are read from the top.
        let (window, window_line) = if lines.lone_carriage_return {
            (0, 0)
        } else {
            let line = lines.line_of(first.min(f.text.len())).saturating_sub(2);
            (lines.line_start(line), line)
        };
        Snippet {
            name: f.name.clone(),
            text: f.text.clone(),
            window,
            window_line,
        }
    }
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let (window, window_line) = if span.offset() >= self.window {
            (self.window, self.window_line)
        } else {
            (0, 0)
        };
        let local = SourceSpan::new((span.offset() - window).into(), span.len());
        let contents = self.text.as_bytes()[window..].read_span(
            &local,
            context_lines_before,
            context_lines_after,
        )?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            SourceSpan::new(
                (contents.span().offset() + window).into(),
                contents.span().len(),
            ),
            contents.line() + window_line,
            contents.column(),
            contents.line_count() + window_line,
        )))
    }
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
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.labels.is_empty())
            .then(|| Box::new(self.labels.iter().cloned()) as Box<dyn Iterator<Item = LabeledSpan>>)
    }
}
