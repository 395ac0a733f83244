//! The `sl-achieved-below-target` finding: a zone or conduit whose SL-A falls short of its
//! SL-T, with the vectors side by side and the first unmet requirement of each FR.

use super::{Achieved, Rows, Status, rows};
use crate::diagnostics::{Diagnostic, FindingInfo, FindingState, Label, Severity, fingerprint};
use crate::model::value::FR_NAMES;
use crate::model::{Model, SlVector};
use crate::policy::Catalogues;

pub const BELOW_TARGET: &str = "sl-achieved-below-target";

pub const BELOW_TARGET_DOC: &str = "## What it checks\nZones and conduits whose achieved security level SL-A is below their target SL-T in some FR. SL-A for an FR is the highest level, up to SL-T, at which every requirement the catalogue selects is met or compensated: capability through the components' SL-C, architecture through the policies bound to each requirement. Missing evidence is reported by `sr-evidence` and shown in `zonelint report`, but does not lower SL-A: SL-A is what the design achieves.\n\n## Why it matters\nSL-T is what the risk assessment asked for; SL-A is what the design delivers. The gap, FR by FR, is the summary an asset owner signs off on.\n\n## Example\n```iacs\nzone control {\n  sl_target = 2\n  component plc1 : embedded-device { sl_capability = [1, 2, 2, 2, 2, 2, 2] }\n}\n```\n\n## How to fix\nFix the findings listed for the FR (the notes name the first unmet requirement of each), or compensate them; `zonelint report` shows every requirement's status.";

/// A finding on each zone and conduit whose SL-A is below its SL-T, with the vectors side by side.
///
/// There is one per zone or conduit below target (a fifth of them in the generated fleets), so
/// the texts are assembled with `push_str` rather than `format!`: padding and `Display` through
/// the formatting machinery were most of this stage's time. Each is written on its own, on all
/// cores, and they are collected in the order of `levels`.
pub fn below_target(
    model: &Model,
    catalogues: &Catalogues,
    levels: &[Achieved],
) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    // `Achieved::statuses` lists these rows in this order (see `one`): reading them side by
    // side avoids looking each id up again, once per zone, FR and requirement.
    let rows = rows(catalogues);
    let rows = &rows;
    levels
        .par_iter()
        .filter_map(|a| below(model, rows, a))
        .collect()
}

/// The below-target finding of one zone or conduit, if it is below target.
fn below(model: &Model, rows: &Rows, a: &Achieved) -> Option<Diagnostic> {
    // Every string is made at its final length: growing them was a third of this function's
    // time, and the slack would stay allocated for the whole run.
    let mut short = [0usize; 7];
    let mut count = 0;
    for fr in (0..7).filter(|&i| a.achieved.get(i) < a.target.get(i)) {
        short[count] = fr;
        count += 1;
    }
    let short = &short[..count];
    if short.is_empty() {
        return None;
    }
    let e = model.element(a.element);
    let frs_len = short
        .iter()
        .map(|&fr| FR_NAMES[fr].len() + 2)
        .sum::<usize>()
        - 2;
    const LABEL: &str = "SL-A below SL-T in ";
    let mut label = String::with_capacity(LABEL.len() + frs_len);
    label.push_str(LABEL);
    for (n, &fr) in short.iter().enumerate() {
        if n > 0 {
            label.push_str(", ");
        }
        label.push_str(FR_NAMES[fr]);
    }
    let frs = &label[LABEL.len()..];
    let message_len = e.kind.keyword().len()
        + " `".len()
        + e.qid.len()
        + "` achieves SL-A ".len()
        + vector_len(a.achieved)
        + " below its SL-T ".len()
        + vector_len(a.target)
        + " in ".len()
        + frs.len();
    let mut message = String::with_capacity(message_len);
    message.push_str(e.kind.keyword());
    message.push_str(" `");
    message.push_str(&e.qid);
    message.push_str("` achieves SL-A ");
    push_vector(&mut message, a.achieved);
    message.push_str(" below its SL-T ");
    push_vector(&mut message, a.target);
    message.push_str(" in ");
    message.push_str(frs);
    debug_assert_eq!(message.len(), message_len);
    let mut d = Diagnostic::warning(
        BELOW_TARGET,
        message,
        Label::new(e.name_at.file, e.name_at.span, label),
    )
    .with_help("fix or compensate the requirements below; `zonelint report` lists every requirement's status");
    d.notes.reserve_exact(1 + short.len());
    d.notes.push(vector_table(a));
    for &fr in short {
        let level = a.achieved.get(fr) + 1;
        let first = rows.by_fr[fr].iter().copied().find(|&i| {
            let s = a.statuses[i];
            !s.achieved()
                && !matches!(s, Status::NotSelected)
                && rows.all[i].levels.contains(&level)
        });
        if let Some(i) = first {
            let (id, status) = (&*a.ids[i], a.statuses[i]);
            // `{FR} stops at {level}: {id} {status}`, where a status not met gives its reason.
            let status_len = match status {
                Status::NotMet(reason) => "not met: ".len() + a.reason_len(model, reason),
                other => other.label().len(),
            };
            let note_len = FR_NAMES[fr].len()
                + " stops at ".len()
                + number_len(level - 1)
                + ": ".len()
                + id.len()
                + 1
                + status_len;
            let mut note = String::with_capacity(note_len);
            note.push_str(FR_NAMES[fr]);
            note.push_str(" stops at ");
            push_number(&mut note, level - 1, 0);
            note.push_str(": ");
            note.push_str(id);
            note.push(' ');
            match status {
                Status::NotMet(reason) => {
                    note.push_str("not met: ");
                    a.write_reason(model, reason, &mut note);
                }
                other => note.push_str(other.label()),
            }
            debug_assert_eq!(note.len(), note_len);
            d.notes.push(note);
        }
    }
    d.finding = Some(Box::new(FindingInfo {
        element: e.qid.clone(),
        fingerprint: fingerprint(BELOW_TARGET, &e.qid),
        url: Some([crate::diagnostics::DOCS_URL, BELOW_TARGET, ".md"].concat()),
        state: FindingState::Open,
        ..FindingInfo::default()
    }));
    d.severity = Severity::Warning;
    Some(d)
}

/// The SL-T, weakest SL-C and SL-A rows under the FR names, each cell four wide.
fn vector_table(a: &Achieved) -> String {
    // A header of six spaces and seven cells, then three rows of a newline, a name padded to
    // six and seven cells.
    const LEN: usize = 6 + 7 * 4 + 3 * (1 + 6 + 7 * 4);
    let mut out = String::with_capacity(LEN);
    out.push_str("      ");
    for name in FR_NAMES {
        push_padded(&mut out, name, 4);
    }
    for (name, v) in [
        ("SL-T", Some(a.target)),
        ("SL-C", a.weakest_capability),
        ("SL-A", Some(a.achieved)),
    ] {
        out.push('\n');
        out.push_str(name);
        out.push_str(&"      "[name.len().min(6)..]);
        for i in 0..7 {
            match v {
                Some(v) => push_number(&mut out, v.get(i), 4),
                None => push_padded(&mut out, "-", 4),
            }
        }
    }
    debug_assert_eq!(out.len(), LEN);
    out
}

/// `[1, 2, 2, 2, 1, 2, 2]`, as `SlVector`'s `Display` writes it.
fn push_vector(out: &mut String, v: SlVector) {
    out.push('[');
    for (i, level) in v.0.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_number(out, level, 0);
    }
    out.push(']');
}

/// The length of what [`push_vector`] writes.
fn vector_len(v: SlVector) -> usize {
    "[]".len() + 6 * ", ".len() + v.0.iter().map(|&n| number_len(n)).sum::<usize>()
}

/// The number of digits of `n`.
pub(super) fn number_len(n: u8) -> usize {
    match n {
        0..10 => 1,
        10..100 => 2,
        _ => 3,
    }
}

/// `n` right-aligned in `width` columns, as `{n:>width}` writes it.
pub(super) fn push_number(out: &mut String, n: u8, width: usize) {
    for _ in number_len(n)..width {
        out.push(' ');
    }
    if n >= 100 {
        out.push(char::from(b'0' + n / 100));
    }
    if n >= 10 {
        out.push(char::from(b'0' + n / 10 % 10));
    }
    out.push(char::from(b'0' + n % 10));
}

/// ASCII `text` right-aligned in `width` columns.
fn push_padded(out: &mut String, text: &str, width: usize) {
    for _ in text.len()..width {
        out.push(' ');
    }
    out.push_str(text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_match_what_is_written() {
        for n in [0u8, 4, 9, 10, 99, 100, 255] {
            let mut out = String::new();
            push_number(&mut out, n, 0);
            assert_eq!(out.len(), number_len(n), "{n}");
            assert_eq!(out, n.to_string());
        }
        for v in [
            SlVector([0; 7]),
            SlVector([1, 2, 3, 4, 1, 2, 3]),
            SlVector([10, 2, 255, 4, 99, 0, 100]),
        ] {
            let mut out = String::new();
            push_vector(&mut out, v);
            assert_eq!(out.len(), vector_len(v));
            assert_eq!(out, v.to_string());
        }
    }
}
