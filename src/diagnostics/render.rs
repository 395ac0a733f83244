//! Drawing diagnostics for a terminal.
//!
//! [`Diagnostic`] is adapted on the fly: labels in the primary file are drawn in one snippet;
//! labels in other files, and other findings about the same element, are named beneath it.
//!
//! The layout is miette's `GraphicalReportHandler` with nested related reports, and what we
//! write is its output, byte for byte, at a fraction of its cost on a large report:
//! - the headline, the help and the related findings are text filled into indented lines;
//!   miette fills them through textwrap's general machinery, twice for a related finding.
//!   [`GroupRenderer`] fills them with [`Fill`], the same algorithm for miette's options.
//! - the snippet of a finding on one line of plain text, nearly every finding, is drawn by
//!   [`snippet::draw_one_line`]; miette draws the others (several lines, context lines, tabs,
//!   non-ASCII text).
//! - the handler and the theme's indents are built once per renderer, not per drawing.
//!
//! The tests below compare every drawing with miette's own, in colour and without.

use std::fmt::{self, Write as _};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use owo_colors::{OwoColorize, Style};

use super::fill::{Fill, Indent};
use super::source::LineIndex;
use super::{Diagnostic, FileId, Label, Severity, SourceMap, snippet};

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
    let mut out = String::new();
    GroupRenderer::new(options).render_into(&mut out, group, sources);
    out
}

pub fn render_all(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    options: RenderOptions,
) -> String {
    let mut renderer = GroupRenderer::new(options);
    let mut out = String::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        renderer.render_into(&mut out, &[d], sources);
    }
    out
}

/// Draws groups of diagnostics one after another with one theme: build it once per thread and
/// reuse it (a report of 10,000 findings used to build a handler per drawing).
pub struct GroupRenderer {
    /// Draws the source snippets that [`snippet::draw_one_line`] does not.
    handler: GraphicalReportHandler,
    theme: GraphicalTheme,
    /// The terminal width.
    width: usize,
    indents: Indents,
    /// Buffers reused between drawings: miette's output, a related finding before it is
    /// indented.
    snippet: String,
    related: String,
}

/// Severity as miette's theme indexes it.
#[derive(Clone, Copy)]
enum Tone {
    Error = 0,
    Warning = 1,
    Advice = 2,
}

impl Tone {
    fn of(severity: Severity) -> Tone {
        match severity {
            Severity::Error => Tone::Error,
            Severity::Warning => Tone::Warning,
            Severity::Info => Tone::Advice,
        }
    }
}

/// The indents miette draws text with, coloured as its theme colours them.
struct Indents {
    /// First and further lines of a headline, by [`Tone`]: `  × ` and `  │ `.
    headline: [(Indent, Indent); 3],
    /// First and further lines of a help: `  help: ` and eight spaces.
    help: (Indent, Indent),
    /// First and further lines of a related finding, by the [`Tone`] of the finding it is
    /// listed under and by whether it is the last: `  ├─▶ ` and `  │   `, `  ╰─▶ ` and six
    /// spaces.
    related: [[(Indent, Indent); 2]; 3],
    /// The terminal width miette gives a related finding, by the same keys: its own width
    /// less the further lines' indent as miette measures it.
    related_width: [[usize; 2]; 3],
}

impl Indents {
    fn new(theme: &GraphicalTheme, width: usize) -> Indents {
        let chars = &theme.characters;
        let styles = &theme.styles;
        let tones = [
            (styles.error, &chars.error),
            (styles.warning, &chars.warning),
            (styles.advice, &chars.advice),
        ];
        let related_rest = |style: Style, last: bool| {
            format!("  {}   ", if last { ' ' } else { chars.vbar })
                .style(style)
                .to_string()
        };
        let related = |style: Style, last: bool| {
            let corner = if last { chars.lbot } else { chars.lcross };
            (
                Indent::new(
                    format!("  {corner}{}{} ", chars.hbar, chars.rarrow)
                        .style(style)
                        .to_string(),
                ),
                Indent::new(related_rest(style, last)),
            )
        };
        // miette shrinks its width with a plain subtraction, which wraps around in a release
        // build when the indent is wider than the terminal: no filling then.
        let related_width = |style: Style, last: bool| {
            width
                .checked_sub(miette_columns(&related_rest(style, last)))
                .unwrap_or(usize::MAX)
        };
        Indents {
            headline: tones.map(|(style, icon)| {
                (
                    Indent::new(format!("  {} ", icon.style(style))),
                    Indent::new(format!("  {} ", chars.vbar.style(style))),
                )
            }),
            help: (
                Indent::new("  help: ".style(styles.help).to_string()),
                Indent::new("        "),
            ),
            related: tones.map(|(style, _)| [related(style, false), related(style, true)]),
            related_width: tones
                .map(|(style, _)| [related_width(style, false), related_width(style, true)]),
        }
    }
}

/// Columns of a string as miette measures an indent (unicode-width 0.1's `str::width`):
/// unlike textwrap it counts each character of a colour code, one column apiece.
fn miette_columns(text: &str) -> usize {
    text.chars()
        .map(|c| match c {
            '\n' => 0,
            c if c <= '\u{a0}' => 1,
            c => textwrap::core::display_width(c.encode_utf8(&mut [0; 4])),
        })
        .sum()
}

impl GroupRenderer {
    pub fn new(options: RenderOptions) -> GroupRenderer {
        let theme = match (options.unicode, options.color) {
            (true, true) => GraphicalTheme::unicode(),
            (true, false) => GraphicalTheme::unicode_nocolor(),
            (false, true) => GraphicalTheme::ascii(),
            (false, false) => GraphicalTheme::none(),
        };
        let indents = Indents::new(&theme, options.width);
        let handler = GraphicalReportHandler::new_themed(theme.clone())
            .with_width(options.width)
            .without_syntax_highlighting()
            .with_links(false)
            .with_wrap_lines(false);
        GroupRenderer {
            handler,
            theme,
            width: options.width,
            indents,
            snippet: String::new(),
            related: String::new(),
        }
    }

    /// Appends the drawing of a group (see [`render_group`]).
    pub fn render_into(&mut self, out: &mut String, group: &[&Diagnostic], sources: &SourceMap) {
        let Some((first, rest)) = group.split_first() else {
            return;
        };
        let mut adapter = Adapter::new(first, sources);
        for other in rest {
            adapter.absorb(&first.primary, other, sources);
        }
        let start = out.len();
        if self.draw(out, &adapter).is_err() {
            // miette fails only when it cannot read a snippet's lines; keep a plain fallback.
            out.truncate(start);
            for d in group {
                out.push_str(&format!(
                    "{}[{}]: {}\n",
                    d.severity.as_str(),
                    d.code,
                    d.message
                ));
            }
        }
    }

    /// What miette's `render_report` draws for the adapter as a whole, nested related
    /// reports included: the headline, the snippet, the help, then each related finding, drawn
    /// as a report of its own at a smaller width and filled again under the related indent.
    fn draw(&mut self, out: &mut String, adapter: &Adapter) -> fmt::Result {
        let width = self.width.saturating_sub(2);
        self.headline(out, adapter, width);
        if let Some(source) = &adapter.source
            && !adapter.labels.is_empty()
        {
            let drawn = !source.context
                && snippet::draw_one_line(
                    out,
                    &self.theme,
                    source.name,
                    source.text,
                    source.lines,
                    &adapter.labels,
                );
            if !drawn {
                self.snippet.clear();
                self.handler
                    .render_report(&mut self.snippet, &SnippetOnly(adapter))?;
                // miette draws the empty headline as an empty line.
                out.push_str(self.snippet.split_once('\n').map_or("", |(_, s)| s));
            }
        }
        if let Some(help) = &adapter.help {
            self.help(out, help, width);
        }
        let tone = Tone::of(adapter.severity) as usize;
        let mut inner = std::mem::take(&mut self.related);
        for (i, related) in adapter.related.iter().enumerate() {
            let last = usize::from(i + 1 == adapter.related.len());
            let inner_width = self.indents.related_width[tone][last].saturating_sub(2);
            inner.clear();
            let mut widest = self.headline(&mut inner, related, inner_width);
            if let Some(help) = &related.help {
                let help_widest = self.help(&mut inner, help, inner_width);
                widest = widest.zip(help_widest).map(|(a, b)| a.max(b));
            }
            let (initial, rest) = &self.indents.related[tone][last];
            Fill::new(width, initial, rest).write_refilled(out, inner.trim_matches('\n'), widest);
            out.push('\n');
        }
        self.related = inner;
        Ok(())
    }

    /// The headline filled; the columns of its widest line when known.
    fn headline(&self, out: &mut String, adapter: &Adapter, width: usize) -> Option<usize> {
        let (initial, rest) = &self.indents.headline[Tone::of(adapter.severity) as usize];
        let widest = Fill::new(width, initial, rest).write(out, &adapter.headline);
        out.push('\n');
        widest
    }

    /// The help filled; the columns of its widest line when known.
    fn help(&self, out: &mut String, help: &str, width: usize) -> Option<usize> {
        let (initial, rest) = &self.indents.help;
        let widest = Fill::new(width, initial, rest).write(out, help);
        out.push('\n');
        widest
    }
}

struct Adapter<'s> {
    /// The code (and requirement) then the message: one line where miette would spend three.
    headline: String,
    severity: Severity,
    help: Option<String>,
    /// `None` when the labels sit on lines too long to draw.
    source: Option<Snippet<'s>>,
    labels: Vec<LabeledSpan>,
    /// Other diagnostics about the same element, drawn beneath this one without a snippet.
    related: Vec<Adapter<'s>>,
}

impl<'s> Adapter<'s> {
    fn new(d: &Diagnostic, sources: &'s SourceMap) -> Adapter<'s> {
        let file = d.primary.file;
        let mut labels = Vec::with_capacity(1 + d.secondary.len());
        labels.push(labeled(&d.primary, sources, true));
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
                elsewhere.push(label);
            }
        }
        // A snippet of a very long line would print the whole line (megabytes for a minified
        // or corrupt file), and miette cannot pad an underline past column 65,535. Such
        // diagnostics name their places in words instead.
        let snippet = !touches_long_line(sources, file, &labels);
        if !snippet {
            elsewhere.extend(drawn);
            labels.clear();
        }
        Adapter {
            headline: headline(d),
            severity: d.severity,
            help: help_with_notes(d, sources, &elsewhere),
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
                elsewhere.push(label);
            }
        }
        // Labels added above the first one move the window up.
        if let Some(source) = &mut self.source {
            source.place_window(&self.labels);
        }
        self.related.push(Adapter {
            headline: headline(other),
            severity: other.severity,
            help: help_with_notes(other, sources, &elsewhere),
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
    let lines = sources.line_index(primary.file);
    lines
        .line_of(primary.span.start)
        .abs_diff(lines.line_of(other.span.start))
        <= NEAR_LINES
}

/// `path:line:column: message`, for a label that is not drawn.
fn write_located(out: &mut String, sources: &SourceMap, label: &Label) {
    let (line, column) = sources.line_col(label.file, label.span.start);
    let message = if label.message.is_empty() {
        "here"
    } else {
        &label.message
    };
    let _ = write!(
        out,
        "{}:{line}:{column}: {message}",
        sources.get(label.file).name
    );
}

/// `code (requirement): message`, or the bare message for a diagnostic without a code.
fn headline(d: &Diagnostic) -> String {
    let requirement = d.finding.as_ref().and_then(|f| f.requirement.as_deref());
    if d.code.is_empty() {
        return d.message.clone();
    }
    let mut out = String::with_capacity(d.code.len() + d.message.len() + 16);
    out.push_str(&d.code);
    if let Some(r) = requirement {
        out.push_str(" (");
        out.push_str(r);
        out.push(')');
    }
    out.push_str(": ");
    out.push_str(&d.message);
    out
}

/// The help, then the notes and the places of `elsewhere`, one per line. The requirement
/// note is left out when the headline already names the requirement.
fn help_with_notes(d: &Diagnostic, sources: &SourceMap, elsewhere: &[&Label]) -> Option<String> {
    let requirement_in_headline = d.finding.as_ref().is_some_and(|f| f.requirement.is_some());
    let mut notes = d
        .notes
        .iter()
        .filter(|n| !(requirement_in_headline && n.starts_with(REQUIREMENT_NOTE)))
        .peekable();
    if notes.peek().is_none() && elsewhere.is_empty() {
        return d.help.clone();
    }
    let mut out = d.help.clone().unwrap_or_default();
    let mut first = d.help.is_none();
    let mut separate = |out: &mut String| {
        if !std::mem::replace(&mut first, false) {
            out.push('\n');
        }
    };
    for note in notes {
        separate(&mut out);
        out.push_str(note);
    }
    for label in elsewhere {
        separate(&mut out);
        write_located(&mut out, sources, label);
    }
    Some(out)
}

/// How a finding's note naming its requirement begins (see `check::findings`).
pub const REQUIREMENT_NOTE: &str = "requirement: ";

/// Lines longer than this are not drawn in a snippet.
pub const MAX_SNIPPET_LINE: usize = 1_000;

/// Whether a label, or a context line miette would draw around it, is on a line longer than
/// [`MAX_SNIPPET_LINE`] bytes.
fn touches_long_line(sources: &SourceMap, file: FileId, labels: &[LabeledSpan]) -> bool {
    let lines = sources.line_index(file);
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
struct Snippet<'s> {
    file: FileId,
    /// Whether to draw a line above and below the labelled lines. Syntax and model errors
    /// get them (the line before a missing brace matters); policy findings point at an
    /// element whose own lines say enough, and a report of many findings stays short.
    context: bool,
    name: &'s str,
    text: &'s str,
    lines: &'s LineIndex,
    /// A line start at least two lines above every label; 0 when that cannot be used.
    window: usize,
    /// The 0-based line number of `window`.
    window_line: usize,
}

impl<'s> Snippet<'s> {
    fn new(
        file: FileId,
        sources: &'s SourceMap,
        labels: &[LabeledSpan],
        context: bool,
    ) -> Snippet<'s> {
        let f = sources.get(file);
        let mut snippet = Snippet {
            file,
            context,
            name: &f.name,
            text: &f.text,
            lines: sources.line_index(file),
            window: 0,
            window_line: 0,
        };
        snippet.place_window(labels);
        snippet
    }

    /// Sets the window two lines above the first of `labels`.
    fn place_window(&mut self, labels: &[LabeledSpan]) {
        let lines = self.lines;
        let first = labels.iter().map(LabeledSpan::offset).min().unwrap_or(0);
        // miette also breaks lines at a lone `\r`, which the line index does not: such rare
        // files are read from the top.
        (self.window, self.window_line) = if lines.lone_carriage_return {
            (0, 0)
        } else {
            let line = lines.line_of(first.min(self.text.len())).saturating_sub(2);
            (lines.line_start(line), line)
        };
    }
}

impl SourceCode for Snippet<'_> {
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
            self.name.to_string(),
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

/// An adapter as miette sees it when it draws the snippet alone: labels and source, an empty
/// headline, no help, no related reports.
struct SnippetOnly<'a>(&'a Adapter<'a>);

impl fmt::Debug for SnippetOnly<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.headline)
    }
}

impl fmt::Display for SnippetOnly<'_> {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        Ok(())
    }
}

impl std::error::Error for SnippetOnly<'_> {}

impl miette::Diagnostic for SnippetOnly<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette_severity(self.0.severity))
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.0.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.0.labels.is_empty()).then(|| {
            Box::new(self.0.labels.iter().cloned()) as Box<dyn Iterator<Item = LabeledSpan>>
        })
    }
}

/// The whole adapter as a miette diagnostic: what the report was drawn from before
/// [`GroupRenderer`], kept for the tests that compare the two drawings.
#[cfg(test)]
mod whole {
    use super::*;

    impl fmt::Debug for Adapter<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(&self.headline)
        }
    }

    impl fmt::Display for Adapter<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(&self.headline)
        }
    }

    impl std::error::Error for Adapter<'_> {}

    impl miette::Diagnostic for Adapter<'_> {
        fn severity(&self) -> Option<miette::Severity> {
            Some(miette_severity(self.severity))
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
            (!self.labels.is_empty()).then(|| {
                Box::new(self.labels.iter().cloned()) as Box<dyn Iterator<Item = LabeledSpan>>
            })
        }
        fn related<'a>(
            &'a self,
        ) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
            (!self.related.is_empty()).then(|| {
                Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic))
                    as Box<dyn Iterator<Item = &'a dyn miette::Diagnostic>>
            })
        }
    }

    /// The group drawn by miette alone, wrapping included, as it was before [`GroupRenderer`].
    pub fn render_with_miette(
        group: &[&Diagnostic],
        sources: &SourceMap,
        options: RenderOptions,
    ) -> String {
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
            out = group
                .iter()
                .map(|d| format!("{}[{}]: {}\n", d.severity.as_str(), d.code, d.message))
                .collect();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::whole::render_with_miette;
    use super::*;
    use crate::diagnostics::FindingInfo;
    use crate::syntax::Span;
    use proptest::prelude::*;

    const MAIN: &str = "zone plant {\n  component plc-1 {\n    kind = embedded\n  }\n  \
        conduit c { flow hmi -> plc-1 : modbus }\n}\n// Überwachung: 中文 note\nzone dmz {}\n";
    const OTHER: &str = "organization acme {}\nproduct hmi-x {}\n";

    fn sources() -> SourceMap {
        let mut sources = SourceMap::default();
        sources.add("site/plant.iacs", MAIN);
        sources.add("shared/products.iacs", OTHER);
        sources
    }

    fn options() -> Vec<RenderOptions> {
        let mut all = Vec::new();
        for color in [false, true] {
            for unicode in [true, false] {
                for width in [100, 80, 60, 40, 24, 16] {
                    all.push(RenderOptions {
                        color,
                        unicode,
                        width,
                    });
                }
            }
        }
        all
    }

    #[track_caller]
    fn same_as_miette(group: &[Diagnostic], sources: &SourceMap, options: RenderOptions) {
        let refs: Vec<&Diagnostic> = group.iter().collect();
        let ours = render_group(&refs, sources, options);
        let theirs = render_with_miette(&refs, sources, options);
        assert_eq!(
            ours, theirs,
            "{options:?}\nours:\n{ours}\nmiette:\n{theirs}"
        );
    }

    fn label(file: u32, start: usize, end: usize, message: &str) -> Label {
        Label::new(FileId(file), Span::new(start, end), message)
    }

    fn finding(element: &str, requirement: Option<&str>) -> Option<Box<FindingInfo>> {
        Some(Box::new(FindingInfo {
            requirement: requirement.map(str::to_string),
            element: element.to_string(),
            ..FindingInfo::default()
        }))
    }

    /// A flow with three findings: a headline with a requirement, long help, notes, a label
    /// in another file, and two related findings of other severities.
    fn flow_group() -> Vec<Diagnostic> {
        let flow = MAIN.find("flow").unwrap();
        let mut first = Diagnostic::warning(
            "sr-1.2-machine-auth",
            "flow `hmi -> plc-1` over modbus crosses the conduit without authenticating the \
             machines at either end, so any device on the cell network can send commands",
            label(0, flow, flow + 27, "this flow"),
        )
        .with_help(
            "set `authentication = certificate` on the flow, or list a compensation that \
             covers SR 1.2 for this conduit; see `zonelint explain sr-1.2-machine-auth`",
        )
        .with_note("requirement: SR 1.2")
        .with_note("the conduit was declared by the site team in 2024 with a short-lived waiver")
        .with_label(label(1, 21, 37, "the product"));
        first.finding = finding("plant.c.flow-1", Some("SR 1.2"));
        let mut second = Diagnostic::error(
            "sr-4.1-flow-confidentiality",
            "no encryption on a flow that carries credentials",
            label(0, flow, flow + 4, ""),
        )
        .with_help("encrypt it\nor move it into a zone of its own")
        .with_label(label(0, 2, 6, "zone"));
        second.finding = finding("plant.c.flow-1", None);
        let mut third = Diagnostic::warning("sr-evidence", "no evidence recorded", {
            label(0, flow + 5, flow + 8, "here")
        });
        third.severity = Severity::Info;
        third.finding = finding("plant.c.flow-1", Some("SR 3.3 RE 2"));
        vec![first, second, third]
    }

    #[test]
    fn groups_draw_as_miette_drew_them() {
        let sources = sources();
        for options in options() {
            same_as_miette(&flow_group(), &sources, options);
            for d in flow_group() {
                same_as_miette(&[d], &sources, options);
            }
        }
    }

    #[test]
    fn model_errors_draw_as_miette_drew_them() {
        let sources = sources();
        let dmz = MAIN.find("zone dmz").unwrap();
        let errors = [
            Diagnostic::error("unknown-attribute", "unknown attribute `kind`", {
                label(0, 31, 35, "not an attribute of a component")
            })
            .with_help("did you mean `kinds`?"),
            Diagnostic::error("", "a message without a code", label(0, dmz, dmz + 8, "")),
            Diagnostic::error("import-cycle", "imports go round in a circle", {
                label(1, 0, 12, "starts here")
            })
            .with_note("a.iacs\n  imports b.iacs\n\n  imports a.iacs")
            .with_label(label(0, 0, 4, "and here")),
            Diagnostic::error(
                "x",
                "past the end",
                label(0, MAIN.len() + 5, MAIN.len() + 9, ""),
            ),
            Diagnostic::error(
                "y",
                "inside a character",
                label(
                    0,
                    MAIN.find('Ü').unwrap() + 1,
                    MAIN.find('中').unwrap() + 1,
                    "odd",
                ),
            ),
        ];
        for options in options() {
            for e in &errors {
                same_as_miette(std::slice::from_ref(e), &sources, options);
            }
            same_as_miette(&errors, &sources, options);
        }
    }

    #[test]
    fn a_renderer_reused_draws_each_group_as_a_new_one() {
        let sources = sources();
        let group = flow_group();
        let refs: Vec<&Diagnostic> = group.iter().collect();
        let mut renderer = GroupRenderer::new(RenderOptions::default());
        let mut out = String::new();
        renderer.render_into(&mut out, &refs, &sources);
        renderer.render_into(&mut out, &refs[1..], &sources);
        let expected = render_group(&refs, &sources, RenderOptions::default())
            + &render_group(&refs[1..], &sources, RenderOptions::default());
        assert_eq!(out, expected);
    }

    fn text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            6 => "[a-z`]{1,10}",
            4 => Just(" ".to_string()),
            1 => Just("   ".to_string()),
            1 => Just("\n".to_string()),
            1 => "[a-z0-9]{1,3}-[a-z0-9]{1,4}",
            1 => Just("ü".to_string()),
            1 => Just("中文".to_string()),
            1 => "[a-z]{25,60}",
        ];
        prop::collection::vec(piece, 1..30).prop_map(|v| v.concat())
    }

    fn diagnostic() -> impl Strategy<Value = Diagnostic> {
        (
            (0usize..3, "[a-z0-9.-]{0,12}", text()),
            (
                proptest::option::of(text()),
                prop::collection::vec(prop_oneof![4 => text(), 1 => Just(String::new())], 0..3),
            ),
            (
                0..MAIN.len() + 2,
                0usize..40,
                any::<bool>(),
                proptest::option::of("[A-Z]{2} [0-9.]{1,5}"),
            ),
            prop::collection::vec(
                (0u32..2, 0usize..MAIN.len(), 0usize..12, "[a-z ]{0,12}"),
                0..3,
            ),
        )
            .prop_map(
                |(
                    (severity, code, message),
                    (help, notes),
                    (start, len, is_finding, requirement),
                    secondary,
                )| {
                    let mut d =
                        Diagnostic::error(&code, message, label(0, start, start + len, "primary"));
                    d.severity = [Severity::Error, Severity::Warning, Severity::Info][severity];
                    d.help = help;
                    d.notes = notes;
                    for (file, start, len, message) in secondary {
                        let limit = if file == 0 { MAIN.len() } else { OTHER.len() };
                        let start = start.min(limit);
                        d.secondary
                            .push(label(file, start, (start + len).min(limit), &message));
                    }
                    if is_finding {
                        d.finding = finding("plant.element", requirement.as_deref());
                    }
                    d
                },
            )
    }

    /// Lines for findings on one line: plain, with a tab, non-ASCII, CRLF-terminated, long.
    const LINES: &str = "zone cell_1 {\n  flow hmi -> plc_1 : modbus_tcp port 502 {}\n\
        \tflow tab -> x : s7\r\n  note = \"Überwachung\"\n  x\n\
        conduit c_1 { via fw_1, fw_2; flow a -> b : opc_ua; flow c -> d : dnp3 }\n}";

    fn line_sources() -> SourceMap {
        let mut sources = SourceMap::default();
        sources.add("site/lines.iacs", LINES);
        sources.add("shared/products.iacs", OTHER);
        sources
    }

    /// A finding whose labels (one to four, some without text) sit on one line, now and then
    /// empty or reaching into the line break.
    fn one_line_finding() -> impl Strategy<Value = Diagnostic> {
        let starts: Vec<usize> = std::iter::once(0)
            .chain(LINES.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        (
            0..starts.len(),
            prop::collection::vec(
                (
                    0usize..1000,
                    0usize..1000,
                    prop_oneof![
                        6 => "[a-z ]{1,12}",
                        1 => Just(String::new()),
                        1 => Just("two\nlines".to_string()),
                    ],
                    prop_oneof![10 => Just(0), 1 => Just(1), 1 => Just(-1)],
                ),
                1..5,
            ),
            0usize..3,
        )
            .prop_map(move |(line, labels, severity)| {
                let start = starts[line];
                let end = LINES[start..].find('\n').map_or(LINES.len(), |i| start + i);
                let width = end - start;
                let mut spans = labels.into_iter().map(|(from, len, message, odd)| {
                    // Mostly within the line's text; `odd` makes one empty or one byte longer.
                    let from = start + from * width / 1000;
                    let to = from + 1 + len * (end - from).saturating_sub(1) / 1000;
                    let to = to.saturating_add_signed(odd).max(from);
                    label(0, from, to, &message)
                });
                let mut d = Diagnostic::error("rule-x", "a finding", spans.next().unwrap());
                d.secondary = spans.collect();
                d.severity = [Severity::Error, Severity::Warning, Severity::Info][severity];
                d.finding = finding("cell_1.flow", None);
                d
            })
    }

    #[test]
    fn one_line_snippets_are_drawn_without_miette() {
        let sources = line_sources();
        let flow = LINES.find("hmi").unwrap();
        let labels = [
            labeled(&label(0, flow, flow + 3, "from"), &sources, true),
            labeled(&label(0, flow + 7, flow + 12, "to"), &sources, false),
        ];
        let theme = GraphicalTheme::unicode_nocolor();
        let lines = sources.line_index(FileId(0));
        let mut out = String::new();
        assert!(snippet::draw_one_line(
            &mut out,
            &theme,
            "site/lines.iacs",
            LINES,
            lines,
            &labels
        ));
        let expected = [
            "   ╭─[site/lines.iacs:2:8]",
            " 2 │   flow hmi -> plc_1 : modbus_tcp port 502 {}",
            "   ·        ─┬─    ──┬──",
            "   ·         │       ╰── to",
            "   ·         ╰── from",
            "   ╰────",
            "",
        ];
        assert_eq!(out, expected.join("\n"));
        // A tab, a non-ASCII character, labels over two lines: left to miette.
        let tab = LINES.find("tab").unwrap();
        let umlaut = LINES.find("note").unwrap();
        for (start, end) in [(tab, tab + 3), (umlaut, umlaut + 4), (flow, tab)] {
            let labels = [labeled(&label(0, start, end, "x"), &sources, true)];
            assert!(!snippet::draw_one_line(
                &mut out,
                &theme,
                "site/lines.iacs",
                LINES,
                lines,
                &labels
            ));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        #[test]
        fn one_line_findings_draw_as_miette_drew_them(
            group in prop::collection::vec(one_line_finding(), 1..3),
            color in any::<bool>(),
            unicode in any::<bool>(),
            width in 16usize..130,
        ) {
            draws_as_miette(&group, &line_sources(), RenderOptions { color, unicode, width })?;
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn generated_groups_draw_as_miette_drew_them(
            group in prop::collection::vec(diagnostic(), 1..4),
            color in any::<bool>(),
            unicode in any::<bool>(),
            width in 16usize..130,
        ) {
            draws_as_miette(&group, &sources(), RenderOptions { color, unicode, width })?;
        }
    }

    /// The group drawn by `render_group` is exactly what miette draws.
    fn draws_as_miette(
        group: &[Diagnostic],
        sources: &SourceMap,
        options: RenderOptions,
    ) -> Result<(), TestCaseError> {
        let refs: Vec<&Diagnostic> = group.iter().collect();
        prop_assert_eq!(
            render_group(&refs, sources, options),
            render_with_miette(&refs, sources, options)
        );
        Ok(())
    }
}
