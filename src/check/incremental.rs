//! Checking again after an edit, re-running only the policies the edit can change.
//!
//! An editor checks the whole workspace after every keystroke, and most policies find the same
//! as before: an edit to one attribute of one zone cannot change what a policy that never
//! reads that attribute finds. A policy's findings from the previous check are kept when
//! - the model's structure is the same (`model::diff`), so element ids mean the same;
//! - none of the attributes that changed is one the policy reads (`policy::reads`);
//! - none of its findings points into the lines the edit replaced.
//!
//! Kept findings are moved with the text after the edit. Everything after the policies
//! (compensations, suppressions, achieved levels) runs again on the joined findings, so the
//! report is the one a full check gives; `tests/incremental.rs` compares the two over many
//! edits.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::findings::{self, PolicyOutcome};
use super::{Options, Report};
use crate::diagnostics::{Diagnostic, FileId};
use crate::model::diff::{ModelChange, compare};
use crate::model::workspace::FileSystem;
use crate::model::{Date, Location, Model};
use crate::policy::reads::{self, Reads};
use crate::syntax::Span;

/// What the policies found in one check, kept for the next.
pub struct PolicyRuns {
    today: Date,
    reads: Vec<Reads>,
    outcomes: Vec<PolicyOutcome>,
    /// How many policies the check that made this ran (the others were kept).
    pub ran: usize,
}

/// The previous check: its model (for the comparison and the old text) and its policy runs,
/// which the new check takes over (kept findings are moved in place, not copied).
pub struct Previous<'a> {
    pub model: &'a Model,
    pub runs: PolicyRuns,
}

/// Checks like [`super::check`], reusing what `previous` found where the edit cannot change it.
/// `previous` must come from a check with the same policy set.
pub fn check(
    root: &Path,
    entries: &[PathBuf],
    fs: &dyn FileSystem,
    options: &Options,
    previous: Option<Previous>,
) -> (Report, PolicyRuns) {
    let (model, diagnostics) = super::build(root, entries, fs, options.limits);
    let timing = crate::timings::start("stage", "policies");
    let policies = &options.policies.policies;
    let (reads, mut kept) = match previous {
        Some(p) if p.runs.reads.len() == policies.len() && p.runs.today == options.today => {
            let kept = reusable(p.model, &model, &p.runs.reads, p.runs.outcomes);
            (p.runs.reads, kept)
        }
        _ => (
            policies.iter().map(reads::of).collect(),
            vec![None; policies.len()],
        ),
    };
    let rerun: Vec<usize> = (0..policies.len()).filter(|&i| kept[i].is_none()).collect();
    let mut fresh = findings::run_some(&model, options.policies, options.today, &rerun).into_iter();
    let outcomes: Vec<PolicyOutcome> = kept
        .iter_mut()
        .map(|k| match k.take() {
            Some(outcome) => outcome,
            None => fresh.next().expect("one outcome per policy run"),
        })
        .collect();
    // The report takes a copy: its findings are about to be compensated, suppressed and
    // sorted, and the next check needs them as the policies gave them. Thousands of findings
    // of a dozen strings each: the copy is made on both cores.
    let copy: Vec<PolicyOutcome> = outcomes.par_iter().cloned().collect();
    let (findings, stopped, used) = findings::collect(options.policies, copy);
    drop(timing);
    let runs = PolicyRuns {
        today: options.today,
        reads,
        outcomes,
        ran: rerun.len(),
    };
    let report = super::finish(model, diagnostics, options, (findings, stopped, used));
    (report, runs)
}

/// For each policy, its previous outcome moved to the new text, or `None` when it must run.
fn reusable(
    before: &Model,
    model: &Model,
    reads: &[Reads],
    outcomes: Vec<PolicyOutcome>,
) -> Vec<Option<PolicyOutcome>> {
    let none = || vec![None; reads.len()];
    let Some(edits) = text_edits(before, model) else {
        return none();
    };
    let same_place = |old: Location, new: Location| {
        old.file == new.file
            && match edits.get(old.file.0 as usize).copied().flatten() {
                None => old.span == new.span,
                Some(edit) => edit.moved(old.span).is_none_or(|moved| moved == new.span),
            }
    };
    let changed = match compare(before, model, same_place) {
        ModelChange::Structure => return none(),
        ModelChange::Attributes(changed) => changed,
    };
    outcomes
        .into_iter()
        .zip(reads)
        .map(|(outcome, reads)| {
            if reads.touched_by(changed.iter().map(String::as_str)) {
                return None;
            }
            moved(outcome, &edits)
        })
        .collect()
}

/// The lines an edit replaced in one file: `old[start..old_end]` became `new[start..new_end]`.
/// Both ends fall on line starts, so text before and after, and the indentation of every
/// line outside, is the same in both versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TextEdit {
    start: usize,
    old_end: usize,
    new_end: usize,
}

/// For each file, how its text changed (`None` when it did not); `None` overall when the
/// files themselves differ.
fn text_edits(before: &Model, after: &Model) -> Option<Vec<Option<TextEdit>>> {
    if before.sources.len() != after.sources.len() {
        return None;
    }
    before
        .sources
        .iter()
        .zip(after.sources.iter())
        .map(|((_, a), (_, b))| (a.name == b.name).then(|| line_edit(&a.text, &b.text)))
        .collect()
}

/// The smallest run of whole lines that turns `old` into `new`, or `None` when they are equal.
fn line_edit(old: &str, new: &str) -> Option<TextEdit> {
    if old == new {
        return None;
    }
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let room = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    let start = a[..prefix]
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(0, |i| i + 1);
    // The rest of the last changed line is common to both texts (it lies in the suffix).
    let old_changed_end = a.len() - suffix;
    let to_line_end = a[old_changed_end..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(suffix, |i| i + 1);
    Some(TextEdit {
        start,
        old_end: old_changed_end + to_line_end,
        new_end: b.len() - suffix + to_line_end,
    })
}

impl TextEdit {
    /// Where `span` lies after the edit, or `None` when it touches the replaced lines.
    fn moved(&self, span: Span) -> Option<Span> {
        if span.end < self.start || (span.end == self.start && span.start < span.end) {
            return Some(span);
        }
        if span.start > self.old_end || (span.start == self.old_end && span.start < span.end) {
            let delta = |at: usize| at - self.old_end + self.new_end;
            return Some(Span::new(delta(span.start), delta(span.end)));
        }
        None
    }
}

/// `outcome` with every place it points at moved to the new text, or `None` when one of them
/// touches an edited line.
fn moved(mut outcome: PolicyOutcome, edits: &[Option<TextEdit>]) -> Option<PolicyOutcome> {
    if edits.iter().all(Option::is_none) {
        return Some(outcome);
    }
    if let Ok(found) = &mut outcome.findings {
        for d in found.iter_mut() {
            // Refused before anything moves: an outcome is kept whole or not at all.
            places(d, |file, span| {
                edits
                    .get(file.0 as usize)
                    .copied()
                    .flatten()
                    .is_none_or(|e| e.moved(*span).is_some())
            })
            .then_some(())?;
        }
        for d in found.iter_mut() {
            places(d, |file, span| {
                if let Some(edit) = edits.get(file.0 as usize).copied().flatten() {
                    *span = edit.moved(*span).expect("checked above");
                }
                true
            });
        }
    }
    Some(outcome)
}

/// Calls `visit` on every place a diagnostic points at (labels, fix edits) until it says
/// `false`; whether it never did.
fn places(d: &mut Diagnostic, mut visit: impl FnMut(FileId, &mut Span) -> bool) -> bool {
    if !visit(d.primary.file, &mut d.primary.span) {
        return false;
    }
    for label in &mut d.secondary {
        if !visit(label.file, &mut label.span) {
            return false;
        }
    }
    if let Some(fix) = d.finding.as_mut().and_then(|f| f.fix.as_mut()) {
        for edit in &mut fix.edits {
            if !visit(edit.file, &mut edit.span) {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(old: &str, new: &str) -> TextEdit {
        line_edit(old, new).expect("texts differ")
    }

    #[test]
    fn an_edit_covers_whole_lines() {
        let old = "a = 1\nb = 2\nc = 3\n";
        let new = "a = 1\nb = 22\nc = 3\n";
        let e = edit(old, new);
        assert_eq!(&old[e.start..e.old_end], "b = 2\n");
        assert_eq!(&new[e.start..e.new_end], "b = 22\n");
        assert_eq!(line_edit(old, old), None);
    }

    #[test]
    fn inserted_and_removed_lines() {
        let old = "a\nc\n";
        let new = "a\nb\nc\n";
        let e = edit(old, new);
        assert_eq!(&old[..e.start], &new[..e.start]);
        assert_eq!(&old[e.old_end..], &new[e.new_end..]);
        let back = edit(new, old);
        assert_eq!(back.old_end - back.start, back.new_end - back.start + 2);
        // At the very end, with and without a final newline.
        let e = edit("a\nb", "a\nbc");
        assert_eq!((e.start, e.old_end, e.new_end), (2, 3, 4));
        let e = edit("", "x\n");
        assert_eq!((e.start, e.old_end, e.new_end), (0, 0, 2));
    }

    #[test]
    fn spans_before_move_not_after_move_and_inside_are_refused() {
        let old = "aa\nbb\ncc\n";
        let new = "aa\nbbbb\ncc\n";
        let e = edit(old, new);
        assert_eq!(e.moved(Span::new(0, 2)), Some(Span::new(0, 2)));
        assert_eq!(e.moved(Span::new(0, 3)), Some(Span::new(0, 3)));
        assert_eq!(e.moved(Span::new(6, 8)), Some(Span::new(8, 10)));
        assert_eq!(e.moved(Span::new(3, 5)), None);
        assert_eq!(e.moved(Span::new(0, 7)), None);
        // An empty span at the edge of the edited lines could mean either side.
        assert_eq!(e.moved(Span::new(3, 3)), None);
        assert_eq!(e.moved(Span::new(6, 6)), None);
        assert_eq!(e.moved(Span::new(7, 7)), Some(Span::new(9, 9)));
    }
}
