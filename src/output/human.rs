//! `--format human`: what a person reads in a terminal or a CI log.
//!
//! Errors and warnings are drawn in full by miette (snippets, labels, help). Information-level
//! findings (missing evidence, compensated gaps) and achieved-level summaries are written as
//! compact entries after them, so the findings that need action stay on the first screen.

use rayon::prelude::*;

use super::Context;
use crate::check::achieved::BELOW_TARGET;
use crate::check::{Report, is_compensated, is_open};
// Keys are element names and rule ids from our own report: no need for SipHash.
use foldhash::HashMap;
use std::collections::hash_map::Entry;
use std::fmt::Write as _;
use std::hash::Hash;

use crate::diagnostics::{Diagnostic, GroupRenderer, Severity};

pub fn write(report: &Report, context: &Context) -> String {
    let mut out = String::new();
    write_pieces(report, context, &mut |piece| out.push_str(piece));
    out
}

/// The report in pieces, in order: a large report is handed on as it is drawn, so neither
/// the whole text nor a second copy of it is held while the report is alive.
pub fn write_pieces(report: &Report, context: &Context, emit: &mut dyn FnMut(&str)) {
    let mut out = Pieces {
        emit,
        written: 0,
        tail: [0; 2],
    };
    // Suppressed findings are left out of the terminal log; they stay in JSON and SARIF.
    let shown: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| is_open(d) || is_compensated(d))
        .collect();
    let (compact, full): (Vec<&Diagnostic>, Vec<&Diagnostic>) = shown
        .into_iter()
        .partition(|d| d.severity == Severity::Info || d.code == BELOW_TARGET);
    let (levels, compact): (Vec<&Diagnostic>, Vec<&Diagnostic>) = compact
        .into_iter()
        .partition(|d| d.code == BELOW_TARGET && !report.achieved.is_empty());
    std::thread::scope(|scope| {
        // The compact entries and the levels table do not depend on the drawings: written on
        // a thread of their own while the drawings are made, they no longer wait for them.
        let tail = scope.spawn(|| {
            let mut text = String::new();
            for entries in by_code(&compact) {
                text.push_str(&compact_entries(report, &entries));
            }
            if !levels.is_empty() {
                text.push_str(&levels_table(report, &levels));
            }
            text
        });
        // Drawing is independent per group and the slowest part of a large report: draw on
        // all cores, one renderer per worker, a run of groups into one buffer, then join in
        // report order.
        let groups = by_element(&full);
        for batch in groups.chunks(GROUPS_PER_BUFFER * BUFFERS_PER_BATCH) {
            let drawn: Vec<String> = batch
                .par_chunks(GROUPS_PER_BUFFER)
                .map_init(
                    || GroupRenderer::new(context.render),
                    |renderer, groups| {
                        let mut text = String::with_capacity(groups.len() * 1024);
                        for group in groups {
                            renderer.render_into(&mut text, group, &report.model.sources);
                            text.push('\n');
                        }
                        text
                    },
                )
                .collect();
            for text in &drawn {
                out.push_str(text);
            }
        }
        match tail.join() {
            Ok(text) => out.push_str(&text),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    if out.written > 0 && !out.ends_with_blank_line() {
        out.push('\n');
    }
    out.push_str(&summary(report));
    if let Some(baseline) = &context.baseline {
        for line in baseline.describe() {
            out.push_str(&line);
            out.push('\n');
        }
    }
}

/// Buffers of drawings made at once: both cores stay busy, and a batch (a few hundred
/// kilobytes at most) is handed on before the next is drawn.
const BUFFERS_PER_BATCH: usize = 16;

/// Where [`write_pieces`] sends its text, with what it needs to know of the text so far.
struct Pieces<'a> {
    emit: &'a mut dyn FnMut(&str),
    written: usize,
    /// The last two bytes written.
    tail: [u8; 2],
}

impl Pieces<'_> {
    fn push_str(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let bytes = text.as_bytes();
        self.tail = match bytes {
            [.., a, b] => [*a, *b],
            [b] => [self.tail[1], *b],
            [] => self.tail,
        };
        self.written += bytes.len();
        (self.emit)(text);
    }

    fn push(&mut self, c: char) {
        self.push_str(c.encode_utf8(&mut [0; 4]));
    }

    fn ends_with_blank_line(&self) -> bool {
        self.written >= 2 && self.tail == *b"\n\n"
    }
}

/// Groups drawn into one buffer: enough to make allocation rare, few enough to share the
/// work of a small report between cores.
const GROUPS_PER_BUFFER: usize = 32;

/// Findings about the same element in the same file, in the order of their first member: one
/// drawing per element instead of one per finding (a telnet flow breaks three requirements on
/// one line). Model errors stay one per drawing.
fn by_element<'a>(diagnostics: &[&'a Diagnostic]) -> Vec<Vec<&'a Diagnostic>> {
    grouped(diagnostics, |d| {
        d.finding
            .as_ref()
            .map(|f| (f.element.as_str(), d.primary.file))
    })
}

/// Compact entries by code, in the order of each code's first entry.
fn by_code<'a>(diagnostics: &[&'a Diagnostic]) -> Vec<Vec<&'a Diagnostic>> {
    grouped(diagnostics, |d| Some(d.code.as_str()))
}

/// Diagnostics with equal keys gathered where the first of them stands; a diagnostic without a
/// key stays on its own.
fn grouped<'a, K: Eq + Hash>(
    diagnostics: &[&'a Diagnostic],
    key: impl Fn(&'a Diagnostic) -> Option<K>,
) -> Vec<Vec<&'a Diagnostic>> {
    let mut groups: Vec<Vec<&Diagnostic>> = Vec::new();
    let mut index: HashMap<K, usize> = HashMap::default();
    for &d in diagnostics {
        match key(d) {
            Some(k) => match index.entry(k) {
                Entry::Occupied(at) => groups[*at.get()].push(d),
                Entry::Vacant(slot) => {
                    slot.insert(groups.len());
                    groups.push(vec![d]);
                }
            },
            None => groups.push(vec![d]),
        }
    }
    groups
}

/// One entry as `severity[code]: message` and its location; several entries of one code under
/// a shared heading, one line each (seven zones without evidence take eight lines, not
/// fourteen). Entries with notes (what compensates a gap) are always written in full.
fn compact_entries(report: &Report, entries: &[&Diagnostic]) -> String {
    let listable = entries.len() > 1 && entries.iter().all(|d| visible_notes(d).next().is_none());
    if !listable {
        return entries.iter().map(|d| one_entry(report, d)).collect();
    }
    let sources = &report.model.sources;
    let first = entries[0];
    let title = report
        .rules
        .iter()
        .find(|r| r.id == first.code)
        .map_or("findings", |r| r.title.as_str());
    let mut out = format!(
        "{}[{}]: {title} ({})\n",
        first.severity.as_str(),
        first.code,
        entries.len()
    );
    for d in entries {
        let (line, column) = sources.line_col(d.primary.file, d.primary.span.start);
        out.push_str(&format!(
            "  {}:{line}:{column}: {}\n",
            sources.get(d.primary.file).name,
            d.message
        ));
    }
    out
}

/// The notes worth repeating in a compact entry (the requirement is in the code already).
fn visible_notes(d: &Diagnostic) -> impl Iterator<Item = &String> {
    d.notes
        .iter()
        .filter(|n| !n.starts_with(crate::diagnostics::REQUIREMENT_NOTE))
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
    for note in visible_notes(d) {
        for line in note.lines() {
            out.push_str(&format!("      {line}\n"));
        }
    }
    out
}

/// The achieved-level findings as one table: SL-T/SL-A per FR for each zone and conduit below
/// target, with `!` on the FRs that fall short.
fn levels_table(report: &Report, findings: &[&Diagnostic]) -> String {
    use crate::model::value::FR_NAMES;
    let model = &report.model;
    // Looked up by element, not searched for: a large fleet has thousands of rows.
    let mut achieved = HashMap::with_capacity_and_hasher(report.achieved.len(), Default::default());
    for a in report.achieved.iter().rev() {
        achieved.insert(a.element, a);
    }
    let rows: Vec<(String, String, String)> = findings
        .par_iter()
        .filter_map(|d| {
            let element = model.lookup(&d.finding.as_ref()?.element)?;
            let levels = *achieved.get(&element)?;
            let e = model.element(element);
            let mut cells = String::with_capacity(35);
            for i in 0..7 {
                let (t, a) = (levels.target.get(i), levels.achieved.get(i));
                let cell = format!("{t}/{a}");
                let _ = write!(cells, "{cell:>4}{}", if a < t { "!" } else { " " });
            }
            let (line, column) = model.sources.line_col(d.primary.file, d.primary.span.start);
            let place = format!("{}:{line}:{column}", model.sources.get(d.primary.file).name);
            Some((format!("{} {}", e.kind.keyword(), e.qid), cells, place))
        })
        .collect();
    let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let header: String = FR_NAMES.iter().map(|n| format!("{n:>4} ")).collect();
    let mut out = format!(
        "warning[{BELOW_TARGET}]: {} below target (SL-T/SL-A per FR, `!` where SL-A falls short; `zonelint explain {BELOW_TARGET}`, `zonelint report` for the requirements behind each)\n",
        if rows.len() == 1 {
            "1 zone or conduit is".to_string()
        } else {
            format!("{} zones and conduits are", rows.len())
        }
    );
    out.push_str(&format!("  {:width$} {header}\n", ""));
    out.reserve(rows.len() * (width + 45));
    for (name, cells, place) in rows {
        let _ = writeln!(out, "  {name:width$} {cells}  {place}");
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
