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
    render_group(&[diagnostic], sources, options)
}

/// Draws several diagnostics about one element as one report: the first in full, its snippet
/// also underlining the others' places, and the others listed beneath it with their own
/// message and help. A flow with three problems then shows its source line once.
pub fn render_group(group: &[&Diagnostic], sources: &SourceMap, options: RenderOptions) -> String {
    let Some((first, rest)) = group.split_first() else {
        return String::new();
    };
    let theme = match (options.unicode, options.color) {
        (true, true) => GraphicalTheme::unicode(),
        (true, false) => GraphicalTheme::unicode_nocolor(),
        (false, true) => GraphicalTheme::ascii(),
        (false, false) => GraphicalTheme::none(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .without_syntax_highlighting()
        .with_links(false)
        .with_show_related_as_nested(true)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace);
    let mut adapter = Adapter::new(first, sources);
    for other in rest {
        adapter.absorb(&first.primary, other, sources);
    }
    let mut out = String::new();
    if handler.render_report(&mut out, &adapter).is_err() {
        // Rendering into a String cannot fail for IO reasons; keep a plain fallback anyway.
        out = group
            .iter()
            .map(|d| format!("{}[{}]: {}\n", d.severity.as_str(), d.code, d.message))
            .collect();
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
    /// The code (and requirement) then the message: one line where miette would spend three.
    headline: String,
    severity: miette::Severity,
    help: Option<String>,
    /// `None` when the labels sit on lines too long to draw.
    source: Option<Snippet>,
    labels: Vec<LabeledSpan>,
    /// Other diagnostics about the same element, drawn beneath this one without a snippet.
    related: Vec<Adapter>,
}

impl Adapter {
    fn new(d: &Diagnostic, sources: &SourceMap) -> Adapter {
        let file = d.primary.file;
        let mut labels = vec![labeled(&d.primary, sources, true)];
        // Labels in other files become one line each with their location: a snippet per hop of
        // an attack path would bury the finding. Editors and SARIF get them as full locations.
        // A finding's labels far from its primary one are listed the same way: drawn, they
        // would pull every line in between into the snippet.
        let mut elsewhere = Vec::new();
        let mut drawn = vec![&d.primary];
        for label in &d.secondary {
            if label.file == file && (d.finding.is_none() || near(sources, &d.primary, label)) {
                labels.push(labeled(label, sources, false));
                drawn.push(label);
            } else {
                elsewhere.push(located(sources, label));
            }
        }
        // A snippet of a very long line would print the whole line (megabytes for a minified
        // or corrupt file), and miette cannot pad an underline past column 65,535. Such
        // diagnostics name their places in words instead.
        let snippet = !touches_long_line(sources, file, &labels);
        if !snippet {
            elsewhere.extend(drawn.into_iter().map(|label| located(sources, label)));
            labels.clear();
        }
        Adapter {
            headline: headline(d),
            severity: miette_severity(d.severity),
            help: help_with_notes(d, elsewhere),
            source: snippet.then(|| Snippet::new(file, sources, &labels, d.finding.is_none())),
            labels,
            related: Vec::new(),
        }
    }

    /// Adds `other` beneath this report; its labels in this report's snippet are underlined
    /// there, the rest are named by location in its help.
    fn absorb(&mut self, primary: &Label, other: &Diagnostic, sources: &SourceMap) {
        let mut elsewhere = Vec::new();
        for label in std::iter::once(&other.primary).chain(&other.secondary) {
            let span = labeled(label, sources, false);
            let already = self
                .labels
                .iter()
                .any(|l| l.offset() == span.offset() && l.len() == span.len());
            let drawn = self.source.as_ref().is_some_and(|s| s.file == label.file)
                && near(sources, primary, label)
                && !touches_long_line(sources, label.file, std::slice::from_ref(&span));
            if already && drawn {
                continue;
            }
            if drawn {
                self.labels.push(span);
            } else {
                elsewhere.push(located(sources, label));
            }
        }
        // Labels added above the first one move the window up.
        if let Some(source) = &mut self.source {
            *source = Snippet::new(source.file, sources, &self.labels, source.context);
        }
        self.related.push(Adapter {
            headline: headline(other),
            severity: miette_severity(other.severity),
            help: help_with_notes(other, elsewhere),
            source: None,
            labels: Vec::new(),
            related: Vec::new(),
        });
    }
}

/// Lines of a finding's snippet around its primary label within which other labels are drawn.
const NEAR_LINES: usize = 3;

fn near(sources: &SourceMap, primary: &Label, other: &Label) -> bool {
    if primary.file != other.file {
        return false;
    }
    let lines = sources.lines(primary.file);
    lines
        .line_of(primary.span.start)
        .abs_diff(lines.line_of(other.span.start))
        <= NEAR_LINES
}

/// `path:line:column: message`, for a label that is not drawn.
fn located(sources: &SourceMap, label: &Label) -> String {
    let (line, column) = sources.line_col(label.file, label.span.start);
    format!(
        "{}:{line}:{column}: {}",
        sources.get(label.file).name,
        if label.message.is_empty() {
            "here"
        } else {
            &label.message
        }
    )
}

/// `code (requirement): message`, or the bare message for a diagnostic without a code.
fn headline(d: &Diagnostic) -> String {
    let requirement = d.finding.as_ref().and_then(|f| f.requirement.as_deref());
    match (d.code.is_empty(), requirement) {
        (true, _) => d.message.clone(),
        (false, Some(r)) => format!("{} ({r}): {}", d.code, d.message),
        (false, None) => format!("{}: {}", d.code, d.message),
    }
}

/// The help, then the notes and the places in other files, one per line. The requirement
/// note is left out when the headline already names the requirement.
fn help_with_notes(d: &Diagnostic, elsewhere: Vec<String>) -> Option<String> {
    let requirement_in_headline = d.finding.as_ref().is_some_and(|f| f.requirement.is_some());
    let extra: Vec<String> = d
        .notes
        .iter()
        .filter(|n| !(requirement_in_headline && n.starts_with(REQUIREMENT_NOTE)))
        .cloned()
        .chain(elsewhere)
        .collect();
    if extra.is_empty() {
        return d.help.clone();
    }
    let notes = extra.join("\n");
    Some(match &d.help {
        Some(h) => format!("{h}\n{notes}"),
        None => notes,
    })
}

/// How a finding's note naming its requirement begins (see `check::findings`).
pub const REQUIREMENT_NOTE: &str = "requirement: ";

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
    file: FileId,
    /// Whether to draw a line above and below the labelled lines. Syntax and model errors
    /// get them (the line before a missing brace matters); policy findings point at an
    /// element whose own lines say enough, and a report of many findings stays short.
    context: bool,
    name: String,
    text: Arc<str>,
    /// A line start at least two lines above every label; 0 when that cannot be used.
    window: usize,
    /// The 0-based line number of `window`.
    window_line: usize,
}

impl Snippet {
    fn new(file: FileId, sources: &SourceMap, labels: &[LabeledSpan], context: bool) -> Snippet {
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
            file,
            context,
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
        let text = &self.text.as_bytes()[window..];
        let local = SourceSpan::new((span.offset() - window).into(), span.len());
        // miette reads the primary label alone (no context) to name its line and column, and
        // each group of labels with context to draw it.
        let wants_context = context_lines_before > 0 || context_lines_after > 0;
        let contents = if wants_context && !self.context {
            text.read_span(&whole_lines(text, local), 0, 0)?
        } else {
            text.read_span(&local, context_lines_before, context_lines_after)?
        };
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

/// `span` widened to the whole lines it touches, with nothing around them.
fn whole_lines(text: &[u8], span: SourceSpan) -> SourceSpan {
    let start = span.offset().min(text.len());
    let end = (span.offset() + span.len()).clamp(start, text.len());
    let line_start = text[..start]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line_end = text[end..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(text.len(), |i| end + i);
    SourceSpan::new(line_start.into(), line_end - line_start)
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
        f.write_str(&self.headline)
    }
}

impl fmt::Display for Adapter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline)
    }
}

impl std::error::Error for Adapter {}

impl miette::Diagnostic for Adapter {
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
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        (!self.related.is_empty()).then(|| {
            Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic))
                as Box<dyn Iterator<Item = &'a dyn miette::Diagnostic>>
        })
    }
}
