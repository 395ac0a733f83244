//! Compensation and evidence records indexed by requirement id and by the elements they name.
//!
//! The capability, evidence and achieved-level checks ask "is there a compensation for this
//! requirement on this component, or on something around it?" and "does evidence for this
//! requirement cover this zone?" for every component and zone. Scanning every record for each
//! question made a check grow with the square of the model; the index answers each in a few
//! hash look-ups. It is built on first use and holds no semantics beyond the model's own
//! containment ([`Model::enclosing`]).

use std::collections::{HashMap, HashSet};

use super::{ElemId, ElementKind, Model, Value, reqid};

#[derive(Debug, Default)]
pub struct RecordIndex {
    /// requirement -> the element a compensation names -> compensations, in source order.
    /// Keyed by requirement first so that a look-up by `&str` needs no owned key.
    compensations: HashMap<String, HashMap<ElemId, Vec<ElemId>>>,
    /// Requirements with an evidence record that has no scope (it covers the whole system).
    evidence_unscoped: HashSet<String>,
    /// requirement -> every element an evidence record lists in its scope.
    evidence_scope: HashMap<String, HashSet<ElemId>>,
    /// requirement -> every element that is, or encloses, a scope entry.
    evidence_scope_within: HashMap<String, HashSet<ElemId>>,
}

impl RecordIndex {
    pub(super) fn build(model: &Model) -> RecordIndex {
        let mut index = RecordIndex::default();
        for &comp in model.all(ElementKind::Compensation) {
            let record = model.element(comp);
            let Some(target) = record.value("element").and_then(Value::as_ref) else {
                continue;
            };
            for requirement in requirement_list(record.value("requirement")) {
                let ids = index
                    .compensations
                    .entry(requirement)
                    .or_default()
                    .entry(target)
                    .or_default();
                // A record that lists one requirement twice is still one record.
                if ids.last() != Some(&comp) {
                    ids.push(comp);
                }
            }
        }
        for &evidence in model.all(ElementKind::Evidence) {
            let record = model.element(evidence);
            let requirements = requirement_list(record.value("requirement"));
            let scope = record.value("scope").map(Value::refs).unwrap_or_default();
            for requirement in requirements {
                if scope.is_empty() {
                    index.evidence_unscoped.insert(requirement.clone());
                }
                for &entry in &scope {
                    index
                        .evidence_scope
                        .entry(requirement.clone())
                        .or_default()
                        .insert(entry);
                    index
                        .evidence_scope_within
                        .entry(requirement.clone())
                        .or_default()
                        .extend(model.enclosing(entry));
                }
            }
        }
        index
    }

    /// Compensations for `requirement` by the element they name, or `None` when no record
    /// compensates it at all (the common case: one string hash answers it).
    pub fn compensations_of(&self, requirement: &str) -> Option<&HashMap<ElemId, Vec<ElemId>>> {
        self.compensations.get(requirement)
    }

    /// Compensations for `requirement` (as normalised by [`reqid::normalize`]) whose `element`
    /// is exactly `element`, in source order.
    pub fn compensations(&self, requirement: &str, element: ElemId) -> &[ElemId] {
        self.compensations
            .get(requirement)
            .and_then(|by_element| by_element.get(&element))
            .map_or(&[], Vec::as_slice)
    }

    /// Whether an evidence record for `requirement` has no scope.
    pub fn evidence_unscoped(&self, requirement: &str) -> bool {
        self.evidence_unscoped.contains(requirement)
    }

    /// Whether an evidence record for `requirement` lists `element` in its scope.
    pub fn evidence_scopes(&self, requirement: &str, element: ElemId) -> bool {
        self.evidence_scope
            .get(requirement)
            .is_some_and(|elements| elements.contains(&element))
    }

    /// Whether an evidence record for `requirement` lists `element` or something inside it.
    pub fn evidence_scopes_within(&self, requirement: &str, element: ElemId) -> bool {
        self.evidence_scope_within
            .get(requirement)
            .is_some_and(|elements| elements.contains(&element))
    }
}

/// A record's `requirement` value as normalised ids (unrecognised spellings kept as written).
pub fn requirement_list(value: Option<&Value>) -> Vec<String> {
    value
        .map(|v| {
            v.as_list()
                .iter()
                .filter_map(|r| r.as_str())
                .map(|r| reqid::normalize(r).unwrap_or_else(|| r.to_string()))
                .collect()
        })
        .unwrap_or_default()
}
