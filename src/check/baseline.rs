//! Baselines: accept the findings a model has today, so that a pipeline fails only on new ones.
//!
//! A baseline is a JSON file of finding fingerprints. Fingerprints are made of the rule id and
//! the element's qualified id (see [`crate::diagnostics::fingerprint`]), never of a line or a
//! file name, so moving or reformatting a file keeps its findings baselined. Model errors have
//! no fingerprint of their own and are never baselined: a model that does not load must be fixed.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use super::Report;

/// The version written into new baseline files; other versions are refused.
pub const BASELINE_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub entries: Vec<BaselineEntry>,
}

/// One accepted finding. Only the fingerprint is matched; the rest is for the reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub rule: String,
    pub element: String,
    pub message: String,
}

/// What applying a baseline did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BaselineSummary {
    /// Open findings the baseline hid.
    pub hidden: usize,
    /// Entries that match no current finding: fixed, or their element renamed.
    pub stale: Vec<BaselineEntry>,
}

impl Baseline {
    /// The open findings of a report, one entry per fingerprint, sorted so that the file diffs
    /// well in review.
    pub fn from_report(report: &Report) -> Baseline {
        let mut entries: BTreeMap<String, BaselineEntry> = BTreeMap::new();
        for diagnostic in report.diagnostics.iter().filter(|d| d.is_open()) {
            let Some(finding) = &diagnostic.finding else {
                continue;
            };
            entries
                .entry(finding.fingerprint.clone())
                .or_insert_with(|| BaselineEntry {
                    fingerprint: finding.fingerprint.clone(),
                    rule: diagnostic.code.clone(),
                    element: finding.element.clone(),
                    message: diagnostic.message.clone(),
                });
        }
        Baseline {
            version: BASELINE_VERSION,
            entries: entries.into_values().collect(),
        }
    }

    /// Reads a baseline file's text. The error is a sentence for the user.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let baseline: Baseline = serde_json::from_str(text)
            .map_err(|e| format!("this is not a zonelint baseline: {e}"))?;
        if baseline.version != BASELINE_VERSION {
            return Err(format!(
                "baseline version {} is not supported (this zonelint reads version {BASELINE_VERSION})",
                baseline.version
            ));
        }
        Ok(baseline)
    }

    pub fn to_json(&self) -> String {
        let mut out = serde_json::to_string_pretty(self).expect("the baseline is plain data");
        out.push('\n');
        out
    }

    /// Removes the open findings the baseline lists from the report and says what it did.
    pub fn apply(&self, report: &mut Report) -> BaselineSummary {
        let known: HashSet<&str> = self
            .entries
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect();
        let mut matched: HashSet<String> = HashSet::new();
        let before = report.diagnostics.len();
        report.diagnostics.retain(|d| {
            let Some(finding) = d.finding.as_ref().filter(|_| d.is_open()) else {
                return true;
            };
            if known.contains(finding.fingerprint.as_str()) {
                matched.insert(finding.fingerprint.clone());
                false
            } else {
                true
            }
        });
        BaselineSummary {
            hidden: before - report.diagnostics.len(),
            stale: self
                .entries
                .iter()
                .filter(|e| !matched.contains(&e.fingerprint))
                .cloned()
                .collect(),
        }
    }
}

impl BaselineSummary {
    /// The lines the human formats print after the summary.
    pub fn describe(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if self.hidden > 0 {
            let s = if self.hidden == 1 { "" } else { "s" };
            lines.push(format!("baseline: {} known finding{s} hidden", self.hidden));
        }
        if !self.stale.is_empty() {
            let n = self.stale.len();
            let s = if n == 1 { "y" } else { "ies" };
            lines.push(format!(
                "note: {n} baseline entr{s} no longer match any finding (fixed or renamed); rewrite the baseline with --write-baseline to drop them:"
            ));
            for entry in &self.stale {
                lines.push(format!(
                    "  - {} on `{}` ({})",
                    entry.rule, entry.element, entry.fingerprint
                ));
            }
        }
        lines
    }
}
