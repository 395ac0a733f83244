//! The common snippet, drawn without miette: labels on one line of plain text.
//!
//! Nearly every finding of a large report points at one line (a flow, an attribute) with one
//! to three labels, and miette spends most of a report's drawing time on these few lines
//! (reading the source three times over, a `String` per line and label, formatting machinery).
//! [`draw_one_line`] draws that case as miette's `render_context` draws it, byte for byte, and
//! declines everything else: labels over several lines, context lines, tabs, wide or
//! non-ASCII characters on the line, labels sharing a start, multi-line label text. Those go
//! to miette. The tests in `render.rs` compare the two drawings.

use std::fmt::Write as _;

use miette::{GraphicalTheme, LabeledSpan};
use owo_colors::Style;

use super::source::LineIndex;

/// Appends the snippet miette would draw for `labels` (sorted or not) in `text`, without
/// context lines, and returns `true`; returns `false`, having written nothing, when the
/// labels are not a case drawn here.
pub fn draw_one_line(
    out: &mut String,
    theme: &GraphicalTheme,
    name: &str,
    text: &str,
    lines: &LineIndex,
    labels: &[LabeledSpan],
) -> bool {
    let Some(first) = labels.iter().map(LabeledSpan::offset).min() else {
        return false;
    };
    // miette counts a lone carriage return as a line break; the line index does not. (And a
    // theme without highlight colours would draw no labels at all.)
    if lines.lone_carriage_return || first >= text.len() || theme.styles.highlights.is_empty() {
        return false;
    }
    let line = lines.line_of(first);
    let line_start = lines.line_start(line);
    let line_end = text[line_start..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| line_start + i);
    let line_text = &text[line_start..line_end];
    // One column a byte, no tab to expand: miette's columns are then byte offsets.
    if line_text.is_empty() || !line_text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return false;
    }
    let fits = labels.iter().all(|l| {
        !l.is_empty()
            && l.offset() >= line_start
            && l.offset() + l.len() <= line_end
            && !l.label().is_some_and(|m| m.contains('\n'))
    });
    if !fits {
        return false;
    }
    // miette sorts the labels by start with an unstable sort: only distinct starts have one
    // order.
    let mut sorted: Vec<&LabeledSpan> = labels.iter().collect();
    sorted.sort_by_key(|l| l.offset());
    if sorted.windows(2).any(|w| w[0].offset() == w[1].offset()) {
        return false;
    }

    let chars = &theme.characters;
    let styles = &theme.styles;
    let style_of = |i: usize| styles.highlights[i % styles.highlights.len()];
    let number = (line + 1).to_string();
    // The number column is as wide as the one number shown.
    let gutter = number.len();
    let primary = sorted.iter().find(|l| l.primary()).unwrap_or(&sorted[0]);
    let column = primary.offset() - line_start + 1;
    let pad = |out: &mut String, n: usize| repeat(out, ' ', n);
    let no_number = |out: &mut String| {
        pad(out, gutter + 2);
        out.push(chars.vbar_break);
        out.push(' ');
    };

    // Header: `╭─[name:line:column]`.
    pad(out, gutter + 2);
    out.push(chars.ltop);
    out.push(chars.hbar);
    out.push('[');
    paint(out, styles.link, |out| {
        let _ = write!(out, "{name}:{number}:{column}");
    });
    out.push_str("]\n ");
    // The line itself.
    paint(out, styles.linum, |out| out.push_str(&number));
    out.push(' ');
    out.push(chars.vbar);
    out.push(' ');
    out.push_str(line_text);
    out.push('\n');

    // Underlines, with the column of each label's connector.
    no_number(out);
    let mut highest = 0;
    let mut connectors = Vec::with_capacity(sorted.len());
    for (i, label) in sorted.iter().enumerate() {
        let start = (label.offset() - line_start).max(highest);
        let end = (label.offset() + label.len() - line_start).max(start + 1);
        let connector = (start + end) / 2;
        paint(out, style_of(i), |out| {
            pad(out, start.saturating_sub(highest));
            repeat(out, chars.underline, connector - start);
            out.push(if label.label().is_some() {
                chars.underbar
            } else {
                chars.underline
            });
            repeat(out, chars.underline, end - connector - 1);
        });
        highest = highest.max(end);
        connectors.push(connector);
    }
    out.push('\n');

    // Label texts, the last label's first, each under its connector with the connectors of
    // the labels before it.
    for (i, label) in sorted.iter().enumerate().rev() {
        let Some(message) = label.label() else {
            continue;
        };
        no_number(out);
        let mut column = 1;
        for (j, &connector) in connectors.iter().enumerate() {
            pad(out, (connector + 1).saturating_sub(column));
            column = column.max(connector + 1);
            if j != i {
                paint(out, style_of(j), |out| out.push(chars.vbar));
                column += 1;
            } else {
                // miette colours the label's text, then the whole line again.
                let style = style_of(i);
                paint(out, style, |out| {
                    out.push(chars.lbot);
                    out.push(chars.hbar);
                    out.push(chars.hbar);
                    out.push(' ');
                    paint(out, style, |out| out.push_str(message));
                });
                out.push('\n');
                break;
            }
        }
    }
    pad(out, gutter + 2);
    out.push(chars.lbot);
    repeat(out, chars.hbar, 4);
    out.push('\n');
    true
}

/// `ch` `n` times, encoded once.
fn repeat(out: &mut String, ch: char, n: usize) {
    let mut buffer = [0; 4];
    let ch = ch.encode_utf8(&mut buffer);
    out.reserve(ch.len() * n);
    for _ in 0..n {
        out.push_str(ch);
    }
}

/// What miette writes for `text.style(style)`: the style's codes around the text, none for a
/// plain style.
fn paint(out: &mut String, style: Style, text: impl FnOnce(&mut String)) {
    if style.is_plain() {
        text(out);
    } else {
        let _ = write!(out, "{}", style.prefix_formatter());
        text(out);
        let _ = write!(out, "{}", style.suffix_formatter());
    }
}
