//! Capability and evidence questions that need the catalogue: which requirements a component's
//! SL-C leaves open in its zone, and which evidence a zone lacks. Shared by the `unmet`,
//! `compensated` and `evidence_missing` built-ins and by the achieved-level computation.

use super::catalogue::{Catalogues, CheckKind, Requirement};
use std::sync::Arc;

use crate::model::{Date, ElemId, Model, SlVector, Value};

/// The capability requirements one component leaves open for one FR.
#[derive(Debug, Default)]
pub struct Gaps {
    /// Unmet and not compensated.
    pub open: Vec<Arc<str>>,
    /// Unmet, but covered by a compensation: (requirement, compensation).
    pub covered: Vec<(Arc<str>, ElemId)>,
}

/// Requirements of `fr` checked by capability that the zone's SL-T selects and the component's
/// SL-C does not, minus what the component `provides`. Empty when either level is unknown.
pub fn gaps(
    model: &Model,
    catalogues: &Catalogues,
    component: ElemId,
    fr: usize,
    today: Date,
) -> Gaps {
    let mut out = Gaps::default();
    if let Some((target, capability)) = levels(model, component) {
        let mut provides = None;
        fr_gaps(
            model,
            catalogues,
            component,
            fr,
            (target.get(fr), capability.get(fr)),
            &mut provides,
            today,
            &mut out,
        );
    }
    out
}

/// [`gaps`] for every FR of one component (indexed by FR), reading the component's zone, levels
/// and `provides` once instead of once per FR.
pub fn gaps_by_fr(
    model: &Model,
    catalogues: &Catalogues,
    component: ElemId,
    today: Date,
) -> [Gaps; 7] {
    let mut out: [Gaps; 7] = Default::default();
    if let Some((target, capability)) = levels(model, component) {
        let mut provides = None;
        for (fr, gaps) in out.iter_mut().enumerate() {
            let levels = (target.get(fr), capability.get(fr));
            fr_gaps(
                model,
                catalogues,
                component,
                fr,
                levels,
                &mut provides,
                today,
                gaps,
            );
        }
    }
    out
}

/// The component's zone's SL-T and its own SL-C, when both are known.
fn levels(model: &Model, component: ElemId) -> Option<(SlVector, SlVector)> {
    let zone = model.zone_of(component)?;
    let target = model.element(zone).sl("sl_target")?;
    let capability = model.element(component).sl("sl_capability")?;
    Some((target, capability))
}

/// The gaps of one FR at the given (SL-T, SL-C) into `out`; `provides` is read on first need.
#[allow(clippy::too_many_arguments)]
fn fr_gaps(
    model: &Model,
    catalogues: &Catalogues,
    component: ElemId,
    fr: usize,
    (target, capability): (u8, u8),
    provides: &mut Option<Vec<String>>,
    today: Date,
    out: &mut Gaps,
) {
    if target == 0 || capability >= target {
        return;
    }
    let provides = provides
        .get_or_insert_with(|| requirement_list(model.element(component).value("provides")));
    for r in catalogues
        .requirements
        .iter()
        .filter(|r| r.fr == Some(fr) && r.is_checked_by(CheckKind::Capability))
    {
        let needed = r.selected_at(target) && !(capability > 0 && r.selected_at(capability));
        if !needed || provides.contains(&r.id) {
            continue;
        }
        match compensation_for(model, &r.id, component, today) {
            Some(by) => out.covered.push((r.id.as_str().into(), by)),
            None => out.open.push(r.id.as_str().into()),
        }
    }
}

/// Evidence-checked requirements selected at the zone's SL-T with no evidence record covering
/// the zone (a record scoped to the zone, to a zone around it, to something inside it, or to
/// the whole system) and no compensation.
pub fn evidence_missing(
    model: &Model,
    catalogues: &Catalogues,
    zone: ElemId,
    today: Date,
) -> Vec<String> {
    let Some(target) = model.element(zone).sl("sl_target") else {
        return Vec::new();
    };
    catalogues
        .requirements
        .iter()
        .filter(|r| r.is_checked_by(CheckKind::Evidence))
        .filter(|r| {
            r.fr.is_some_and(|fr| target.get(fr) > 0 && r.selected_at(target.get(fr)))
        })
        .filter(|r| {
            !has_evidence(model, r, zone) && compensation_for(model, &r.id, zone, today).is_none()
        })
        .map(|r| r.id.clone())
        .collect()
}

/// Evidence for the requirement covers the zone: a record with no scope, or one whose scope
/// names the zone, a zone around it, or something inside it.
fn has_evidence(model: &Model, requirement: &Requirement, zone: ElemId) -> bool {
    let records = model.records();
    let id = requirement.id.as_str();
    records.evidence_unscoped(id)
        || records.evidence_scopes_within(id, zone)
        || model
            .enclosing(zone)
            .any(|around| records.evidence_scopes(id, around))
}

/// A compensation, not expired, for `requirement` on the element or something around it; the
/// first in source order when several apply.
pub fn compensation_for(
    model: &Model,
    requirement: &str,
    element: ElemId,
    today: Date,
) -> Option<ElemId> {
    let by_element = model.records().compensations_of(requirement)?;
    model
        .enclosing(element)
        .filter_map(|around| by_element.get(&around))
        .flatten()
        .copied()
        .filter(|&comp| {
            let expires = model.element(comp).value("expires");
            !matches!(expires, Some(Value::Date(d)) if *d < today)
        })
        .min()
}

fn requirement_list(value: Option<&Value>) -> Vec<String> {
    crate::model::records::requirement_list(value)
}
