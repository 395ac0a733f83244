//! The check pipeline: load the workspace, build the model, run the policies, then apply the
//! compensations and suppressions written in the model.

pub mod achieved;
pub mod baseline;
pub mod diff;
mod findings;
pub mod incremental;
pub mod risk;

use std::path::{Path, PathBuf};

pub use findings::{ENGINE_RULES, POLICY_BUDGET};

use crate::diagnostics::{Diagnostic, Label, RuleDoc, Severity};
use crate::model::workspace::{self, FileSystem, Limits};
use crate::model::{self, Date, Model};
use crate::policy::PolicySet;

/// The outcome of one check.
pub struct Report {
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
    /// Every rule that ran (for SARIF's rule table and reports).
    pub rules: Vec<RuleDoc>,
    /// SL-T, weakest SL-C and SL-A of every zone and conduit with a target, and the status of
    /// each requirement behind them.
    pub achieved: Vec<achieved::Achieved>,
}

impl Report {
    /// Diagnostics of this severity that count: open findings and model errors.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity && is_open(d))
            .count()
    }
    /// Findings silenced by a `suppress`.
    pub fn suppressed(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| !is_open(d) && !is_compensated(d))
            .count()
    }
    pub fn compensated(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| is_compensated(d))
            .count()
    }
}

/// Open: neither suppressed nor compensated (model errors are always open).
pub fn is_open(d: &Diagnostic) -> bool {
    d.finding
        .as_ref()
        .is_none_or(|f| f.state == crate::diagnostics::FindingState::Open)
}

pub fn is_compensated(d: &Diagnostic) -> bool {
    d.finding.as_ref().is_some_and(|f| {
        matches!(
            f.state,
            crate::diagnostics::FindingState::Compensated { .. }
        )
    })
}

/// What to run a check with.
pub struct Options<'a> {
    pub policies: &'a PolicySet,
    pub limits: Limits,
    /// The date compensations expire against (today, except in tests).
    pub today: Date,
    /// Compute SL-A and report zones and conduits below target. Off when only some policies
    /// run (the rule harness), since SL-A is only meaningful over the whole pack.
    pub achieved_levels: bool,
}

/// Checks the model made of `entries` and everything they import.
pub fn check(root: &Path, entries: &[PathBuf], fs: &dyn FileSystem, options: &Options) -> Report {
    let (model, diagnostics) = build(root, entries, fs, options.limits);
    check_model(model, diagnostics, options)
}

/// Loads, parses and builds the model: the model, and the problems found on the way. Needs
/// no policies, so a caller can load those meanwhile. The syntax trees are not kept; a caller
/// that needs them (the formatter) loads with [`workspace::load`] and builds with
/// [`model::build`].
pub fn build(
    root: &Path,
    entries: &[PathBuf],
    fs: &dyn FileSystem,
    limits: Limits,
) -> (Model, Vec<Diagnostic>) {
    // Each file is lowered as soon as it is parsed, in the loader's parallel step, and its
    // tree freed there: one parallel step over the files instead of two in a row.
    let timing = crate::timings::start("stage", "read, parse and lower");
    let lowering = model::Lowering::default();
    let loaded = workspace::load_with(root, entries, fs, limits, |file, text, tree| {
        lowering.file(file, text, tree)
    });
    drop(timing);
    let timing = crate::timings::start("stage", "build model");
    let (model, model_errors) = lowering.finish(loaded.sources, loaded.files);
    drop(timing);
    let mut diagnostics = loaded.diagnostics;
    diagnostics.extend(model_errors);
    (model, diagnostics)
}

/// Runs the policies over a built model. Policies run even when the model has errors: the
/// parts that resolved are still worth checking, and an editor wants both at once.
pub fn check_model(model: Model, diagnostics: Vec<Diagnostic>, options: &Options) -> Report {
    let timing = crate::timings::start("stage", "policies");
    let found = findings::run(&model, options.policies, options.today);
    drop(timing);
    finish(model, diagnostics, options, found)
}

/// What the policies found: findings, the policies that ran out of budget, and the
/// compensations used inside `unmet` and `compensated`.
type Found = (
    Vec<Diagnostic>,
    Vec<findings::Stopped>,
    std::collections::HashSet<crate::model::ElemId>,
);

/// Everything after the policies: compensations, suppressions, achieved levels, order.
fn finish(
    mut model: Model,
    diagnostics: Vec<Diagnostic>,
    options: &Options,
    (mut findings, stopped, used): Found,
) -> Report {
    let timing = crate::timings::start("stage", "compensations and suppressions");
    let mut subjects = risk::subjects(&model, &findings);
    risk::apply(&model, &mut findings, &mut subjects, options.today, &used);
    drop(timing);
    let timing = crate::timings::start("stage", "achieved levels");
    let levels = if options.achieved_levels {
        achieved::compute(
            &model,
            &options.policies.catalogues,
            &findings,
            &subjects,
            options.today,
        )
    } else {
        Vec::new()
    };
    drop(subjects);
    findings.extend(achieved::below_target(
        &model,
        &options.policies.catalogues,
        &levels,
    ));
    drop(timing);
    // The findings are nearly all of the diagnostics: the model errors go in front of them
    // rather than every finding into the errors' vector, which would hold two buffers of all
    // the findings at once (the emptied one lived until the end of this function).
    let mut diagnostics = if diagnostics.len() <= findings.len() {
        findings.splice(0..0, diagnostics);
        findings
    } else {
        let mut diagnostics = diagnostics;
        diagnostics.append(&mut findings);
        drop(findings);
        diagnostics
    };
    for s in stopped {
        let policy = options
            .policies
            .policy(&s.policy)
            .expect("a stopped policy was loaded");
        let file = options.policies.sources.get(policy.file);
        let id = model.sources.add(file.name.clone(), file.text.clone());
        diagnostics.push(
            Diagnostic::error(
                "policy-budget-exceeded",
                format!(
                    "policy `{}` was stopped after {POLICY_BUDGET} evaluation steps",
                    s.policy
                ),
                Label::new(id, policy.span, "this policy"),
            )
            .with_help("narrow its loops with `where` before each inner `for`; see docs/limits.md"),
        );
    }
    let timing = crate::timings::start("stage", "sort");
    sort(&mut diagnostics, &model);
    drop(timing);
    let rules = rule_docs(options.policies);
    Report {
        model,
        diagnostics,
        rules,
        achieved: levels,
    }
}

/// The documentation of every rule that can report: loaded policies and the engine's own.
pub fn rule_docs(policies: &PolicySet) -> Vec<RuleDoc> {
    let mut rules: Vec<RuleDoc> = policies
        .policies
        .iter()
        .map(|p| crate::policy::docs::rule_doc(policies, p))
        .collect();
    rules.extend(
        ENGINE_RULES
            .iter()
            .map(|(id, title, severity, doc)| RuleDoc {
                id: (*id).to_string(),
                title: (*title).to_string(),
                doc: (*doc).to_string(),
                requirement: None,
                fr: None,
                severity: *severity,
                pack: "engine".into(),
                tags: vec!["risk".into()],
            }),
    );
    rules
}

/// Orders diagnostics by file name, then position, so output is stable across runs.
pub fn sort(diagnostics: &mut [Diagnostic], model: &Model) {
    use rayon::prelude::*;
    // Rank files by name once, rather than comparing names in every comparison.
    let mut files: Vec<_> = model.sources.iter().collect();
    files.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    let mut rank = vec![0u32; model.sources.len()];
    for (position, (id, _)) in files.into_iter().enumerate() {
        rank[id.0 as usize] = position as u32 + 1;
    }
    // The order is sorted, not the diagnostics: a stable sort of the diagnostics themselves
    // allocates a scratch copy of them all (2 MB at 10,000 components, at the run's peak of
    // memory). Each entry carries its file's rank (0 for a file outside the source map, which
    // sorts first) and its offset, so most comparisons read this vector alone rather than two
    // diagnostics scattered over memory. Ties keep their order through the index, as a stable
    // sort keeps them.
    let mut keys: Vec<SortKey> = diagnostics
        .iter()
        .enumerate()
        .map(|(index, d)| SortKey {
            file: rank.get(d.primary.file.0 as usize).copied().unwrap_or(0),
            index: index as u32,
            start: d.primary.span.start,
        })
        .collect();
    let shared: &[Diagnostic] = diagnostics;
    keys.par_sort_unstable_by(|a, b| {
        (a.file, a.start)
            .cmp(&(b.file, b.start))
            .then_with(|| {
                let (x, y) = (&shared[a.index as usize], &shared[b.index as usize]);
                x.code.cmp(&y.code).then_with(|| x.message.cmp(&y.message))
            })
            .then(a.index.cmp(&b.index))
    });
    let mut order: Vec<u32> = keys.iter().map(|k| k.index).collect();
    drop(keys);
    permute(diagnostics, &mut order);
}

/// Where a diagnostic sorts: see [`sort`].
struct SortKey {
    file: u32,
    index: u32,
    start: usize,
}

/// Rearranges `items` so that position `i` holds what was at `order[i]`, in place: each cycle
/// of the permutation is followed once. `order` is left as the identity.
fn permute<T>(items: &mut [T], order: &mut [u32]) {
    for start in 0..items.len() {
        let mut at = start;
        loop {
            let from = order[at] as usize;
            order[at] = at as u32;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

/// Joins the reports of several workspaces (directories with their own `zonelint.toml`) into
/// one for output: files are renumbered into one source map. The models stay separate, so the
/// joined report carries no model elements and no achieved levels.
pub fn merge(mut reports: Vec<Report>) -> Report {
    if reports.len() == 1 {
        return reports.pop().expect("one report");
    }
    let mut sources = crate::diagnostics::SourceMap::default();
    let mut diagnostics = Vec::new();
    let mut rules: Vec<RuleDoc> = Vec::new();
    for report in reports {
        let offset = sources.len() as u32;
        for (_, file) in report.model.sources.iter() {
            sources.add(file.name.clone(), file.text.clone());
        }
        let shift = |id: crate::diagnostics::FileId| crate::diagnostics::FileId(id.0 + offset);
        for mut d in report.diagnostics {
            d.primary.file = shift(d.primary.file);
            for label in &mut d.secondary {
                label.file = shift(label.file);
            }
            if let Some(fix) = d.finding.as_mut().and_then(|f| f.fix.as_mut()) {
                for edit in &mut fix.edits {
                    edit.file = shift(edit.file);
                }
            }
            diagnostics.push(d);
        }
        for rule in report.rules {
            if !rules.iter().any(|r| r.id == rule.id) {
                rules.push(rule);
            }
        }
    }
    let model = Model::with_sources(sources);
    sort(&mut diagnostics, &model);
    Report {
        model,
        diagnostics,
        rules,
        achieved: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::{permute, sort};
    use crate::diagnostics::{Diagnostic, FileId, Label, SourceMap};
    use crate::model::Model;
    use crate::syntax::Span;

    #[test]
    fn sort_orders_by_file_name_offset_code_message_then_arrival() {
        let mut sources = SourceMap::default();
        let b = sources.add("b.iacs", "");
        let a = sources.add("a.iacs", "");
        let model = Model::with_sources(sources);
        let at = |file: FileId, start: usize| Label::new(file, Span::new(start, start), "");
        let mut diagnostics = vec![
            Diagnostic::error("r2", "m", at(a, 5)),
            Diagnostic::error("r1", "m2", at(b, 0)),
            Diagnostic::error("r1", "second", at(a, 5)),
            Diagnostic::error("r1", "m", at(FileId(9), 7)),
            Diagnostic::error("r1", "m1", at(b, 0)),
            Diagnostic::error("r1", "first", at(a, 5)),
            Diagnostic::error("r1", "first", at(a, 1)),
            Diagnostic::warning("r1", "first", at(a, 5)),
        ];
        for (n, d) in diagnostics.iter_mut().enumerate() {
            d.help = Some(n.to_string());
        }
        sort(&mut diagnostics, &model);
        let order: Vec<&str> = diagnostics
            .iter()
            .map(|d| d.help.as_deref().unwrap())
            .collect();
        // A file outside the source map first; equal diagnostics keep their order.
        assert_eq!(order, ["3", "6", "5", "7", "2", "0", "4", "1"]);
    }

    #[test]
    fn permute_puts_each_item_where_the_order_says() {
        // Fixed points, a two-cycle and a three-cycle, checked against building a new vector.
        let items: Vec<char> = "abcdefg".chars().collect();
        let order = [0u32, 2, 1, 5, 3, 4, 6];
        let expected: Vec<char> = order.iter().map(|&i| items[i as usize]).collect();
        let mut permuted = items.clone();
        let mut scratch = order;
        permute(&mut permuted, &mut scratch);
        assert_eq!(permuted, expected);
        assert_eq!(scratch, [0, 1, 2, 3, 4, 5, 6]);
    }
}
