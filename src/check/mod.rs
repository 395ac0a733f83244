//! The check pipeline: load the workspace, build the model, and collect what is wrong.

pub mod baseline;
pub mod diff;

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, RuleDoc, Severity};
use crate::model::workspace::{self, FileSystem, Limits};
use crate::model::{self, Model};

/// The outcome of one check.
pub struct Report {
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
    /// Every rule that ran (for SARIF's rule table and reports).
    pub rules: Vec<RuleDoc>,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
    /// Like [`Report::count`], for open diagnostics only (see [`Diagnostic::is_open`]).
    pub fn count_open(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity && d.is_open())
            .count()
    }
}

/// Checks the model made of `entries` and everything they import.
pub fn check(root: &Path, entries: &[PathBuf], fs: &dyn FileSystem, limits: Limits) -> Report {
    let loaded = workspace::load(root, entries, fs, limits);
    let (model, model_errors) = model::build(loaded.sources, &loaded.files);
    let mut diagnostics = loaded.diagnostics;
    diagnostics.extend(model_errors);
    sort(&mut diagnostics, &model);
    Report {
        model,
        diagnostics,
        rules: Vec::new(),
    }
}

/// Orders diagnostics by file name, then position, so output is stable across runs.
pub fn sort(diagnostics: &mut [Diagnostic], model: &Model) {
    diagnostics.sort_by(|a, b| {
        let name = |d: &Diagnostic| model.sources.get(d.primary.file).name.clone();
        (name(a), a.primary.span.start, &a.code).cmp(&(name(b), b.primary.span.start, &b.code))
    });
}
