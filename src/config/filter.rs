//! Applying `[rules]` to a finished report: selection, then ignores, then severity overrides.
//! Model errors (diagnostics without a finding) pass untouched: a model that does not load can
//! never be switched off.

use super::{RuleSettings, Selector};
use crate::check::Report;
use crate::diagnostics::{Diagnostic, FindingInfo, RuleDoc, Severity};

/// What a rule's findings will carry, so requirement and FR selectors apply to the rule table.
fn as_finding(rule: &RuleDoc) -> FindingInfo {
    FindingInfo {
        requirement: rule.requirement.clone(),
        fr: rule.fr.clone(),
        ..FindingInfo::default()
    }
}

#[derive(Debug, Clone, Default)]
pub struct RuleFilter {
    select: Vec<Selector>,
    ignore: Vec<Selector>,
    severity: Vec<(Selector, Severity)>,
}

impl RuleFilter {
    pub fn new(settings: &RuleSettings) -> RuleFilter {
        RuleFilter {
            select: settings.select.clone(),
            ignore: settings.ignore.clone(),
            severity: settings.severity.clone(),
        }
    }

    /// Filters the report's diagnostics and adjusts severities in place; also drops rules that
    /// are no longer selected from `Report::rules`, so SARIF's rule table matches the run.
    pub fn apply(&self, report: &mut Report) {
        report.diagnostics.retain(|d| self.keeps(d));
        for diagnostic in &mut report.diagnostics {
            if let Some(severity) = self.severity_for(diagnostic) {
                diagnostic.severity = severity;
            }
        }
        report
            .rules
            .retain(|rule| self.is_rule_selected(&rule.id, &as_finding(rule)));
        for rule in &mut report.rules {
            if let Some((_, severity)) = self.best_override(&rule.id, &as_finding(rule)) {
                rule.severity = severity;
            }
        }
    }

    fn keeps(&self, diagnostic: &Diagnostic) -> bool {
        let Some(finding) = &diagnostic.finding else {
            return true;
        };
        self.is_rule_selected(&diagnostic.code, finding)
    }

    fn is_rule_selected(&self, rule: &str, finding: &FindingInfo) -> bool {
        let selected =
            self.select.is_empty() || self.select.iter().any(|s| s.matches(rule, finding));
        selected && !self.ignore.iter().any(|s| s.matches(rule, finding))
    }

    fn severity_for(&self, diagnostic: &Diagnostic) -> Option<Severity> {
        let finding = diagnostic.finding.as_ref()?;
        self.best_override(&diagnostic.code, finding)
            .map(|(_, severity)| severity)
    }

    /// The most specific override that matches; among equals, the first written.
    fn best_override(&self, rule: &str, finding: &FindingInfo) -> Option<(&Selector, Severity)> {
        let mut best: Option<(&Selector, Severity)> = None;
        for (selector, severity) in &self.severity {
            if !selector.matches(rule, finding) {
                continue;
            }
            if best.is_none_or(|(b, _)| selector.specificity(rule) > b.specificity(rule)) {
                best = Some((selector, *severity));
            }
        }
        best
    }

    /// Selectors naming no rule the report knows, for a warning. Says nothing when the report
    /// lists no rules at all, since then nothing can be told apart.
    pub fn unknown_selectors<'a>(&'a self, report: &Report) -> Vec<&'a Selector> {
        if report.rules.is_empty() {
            return Vec::new();
        }
        let ids: Vec<&str> = report.rules.iter().map(|r| r.id.as_str()).collect();
        self.select
            .iter()
            .chain(&self.ignore)
            .chain(self.severity.iter().map(|(s, _)| s))
            .filter(|s| !s.names_a_rule(ids.iter().copied()))
            .collect()
    }
}
