//! What changed between two versions of a model: elements, target levels, zone crossings and
//! findings. Elements are matched by qualified id, findings by fingerprint, so moving an item to
//! another file or reformatting it is not a change.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::Report;
use crate::model::{ElementKind, FR_NAMES, Model, SlVector};

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ModelDiff {
    pub added: Vec<ElementRef>,
    pub removed: Vec<ElementRef>,
    pub sl_target_changes: Vec<SlChange>,
    /// Pairs of zones a conduit joins in the new model and none did in the old one.
    pub new_crossings: Vec<Crossing>,
    pub removed_crossings: Vec<Crossing>,
    pub findings_introduced: Vec<FindingRef>,
    pub findings_fixed: Vec<FindingRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ElementRef {
    pub kind: ElementKind,
    pub qid: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SlChange {
    pub kind: ElementKind,
    pub qid: String,
    pub old: Option<SlVector>,
    pub new: Option<SlVector>,
    /// Per FR that changed: (FR name, old level, new level); an absent SL-T counts as 0.
    pub frs: Vec<FrChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrChange {
    pub fr: &'static str,
    pub old: u8,
    pub new: u8,
}

impl FrChange {
    pub fn raised(&self) -> bool {
        self.new > self.old
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Crossing {
    pub zones: [String; 2],
    /// The conduits that join them (in the model the crossing belongs to).
    pub conduits: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct FindingRef {
    pub fingerprint: String,
    pub rule: String,
    pub element: Option<String>,
    pub severity: &'static str,
    pub message: String,
}

impl ModelDiff {
    pub fn is_empty(&self) -> bool {
        self == &ModelDiff::default()
    }
}

/// One side of a diff: a report and the identity of each of its diagnostics, in order (the
/// output layer's recipe, which covers model errors too).
pub struct Version<'a> {
    pub report: &'a Report,
    pub fingerprints: Vec<String>,
}

pub fn diff(old_version: &Version, new_version: &Version) -> ModelDiff {
    let (old, new) = (old_version.report, new_version.report);
    let old_elements = elements(&old.model);
    let new_elements = elements(&new.model);
    let added = new_elements
        .keys()
        .filter(|k| !old_elements.contains_key(*k))
        .cloned()
        .collect();
    let removed = old_elements
        .keys()
        .filter(|k| !new_elements.contains_key(*k))
        .cloned()
        .collect();
    let sl_target_changes = new_elements
        .iter()
        .filter(|(k, _)| matches!(k.kind, ElementKind::Zone | ElementKind::Conduit))
        .filter_map(|(k, new_sl)| {
            let old_sl = old_elements.get(k)?;
            sl_change(k, *old_sl, *new_sl)
        })
        .collect();
    let old_crossings = crossings(&old.model);
    let new_crossings_map = crossings(&new.model);
    let new_crossings = new_crossings_map
        .iter()
        .filter(|(pair, _)| !old_crossings.contains_key(*pair))
        .map(|(pair, conduits)| Crossing {
            zones: pair.clone(),
            conduits: conduits.iter().cloned().collect(),
        })
        .collect();
    let removed_crossings = old_crossings
        .iter()
        .filter(|(pair, _)| !new_crossings_map.contains_key(*pair))
        .map(|(pair, conduits)| Crossing {
            zones: pair.clone(),
            conduits: conduits.iter().cloned().collect(),
        })
        .collect();
    let old_findings = findings(old_version);
    let new_findings = findings(new_version);
    ModelDiff {
        added,
        removed,
        sl_target_changes,
        new_crossings,
        removed_crossings,
        findings_introduced: new_findings
            .iter()
            .filter(|(fp, _)| !old_findings.contains_key(*fp))
            .map(|(_, f)| f.clone())
            .collect(),
        findings_fixed: old_findings
            .iter()
            .filter(|(fp, _)| !new_findings.contains_key(*fp))
            .map(|(_, f)| f.clone())
            .collect(),
    }
}

/// Zones, conduits, components and flows by (kind, qid), with their SL-T.
fn elements(model: &Model) -> BTreeMap<ElementRef, Option<SlVector>> {
    model
        .elements
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                ElementKind::Zone
                    | ElementKind::Conduit
                    | ElementKind::Component
                    | ElementKind::Flow
            )
        })
        .map(|e| {
            (
                ElementRef {
                    kind: e.kind,
                    qid: e.qid.clone(),
                },
                e.sl("sl_target"),
            )
        })
        .collect()
}

fn sl_change(
    element: &ElementRef,
    old: Option<SlVector>,
    new: Option<SlVector>,
) -> Option<SlChange> {
    let (o, n) = (old.unwrap_or_default(), new.unwrap_or_default());
    let frs: Vec<FrChange> = (0..7)
        .filter(|&fr| o.get(fr) != n.get(fr))
        .map(|fr| FrChange {
            fr: FR_NAMES[fr],
            old: o.get(fr),
            new: n.get(fr),
        })
        .collect();
    (!frs.is_empty() || old.is_some() != new.is_some()).then(|| SlChange {
        kind: element.kind,
        qid: element.qid.clone(),
        old,
        new,
        frs,
    })
}

/// Every unordered pair of zones some conduit joins, with those conduits.
fn crossings(model: &Model) -> BTreeMap<[String; 2], BTreeSet<String>> {
    let mut pairs: BTreeMap<[String; 2], BTreeSet<String>> = BTreeMap::new();
    for &conduit in model.all(ElementKind::Conduit) {
        let zones: BTreeSet<String> = model
            .conduit_zones(conduit)
            .into_iter()
            .map(|z| model.element(z).qid.clone())
            .collect();
        let zones: Vec<String> = zones.into_iter().collect();
        for (i, a) in zones.iter().enumerate() {
            for b in &zones[i + 1..] {
                pairs
                    .entry([a.clone(), b.clone()])
                    .or_default()
                    .insert(model.element(conduit).qid.clone());
            }
        }
    }
    pairs
}

fn findings(version: &Version) -> BTreeMap<String, FindingRef> {
    version
        .report
        .diagnostics
        .iter()
        .zip(&version.fingerprints)
        .filter(|(d, _)| d.is_open())
        .map(|(d, fp)| {
            let fp = fp.clone();
            (
                fp.clone(),
                FindingRef {
                    fingerprint: fp,
                    rule: d.code.clone(),
                    element: d.finding.as_ref().map(|f| f.element.clone()),
                    severity: d.severity.as_str(),
                    message: d.message.clone(),
                },
            )
        })
        .collect()
}
