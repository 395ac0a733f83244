//! The compliance picture per zone and conduit: target, weakest capability and achieved level
//! per foundational requirement, and the status of each selected requirement.
//!
//! [`compute`] takes SL-T and the weakest SL-C from the model, and SL-A and the requirement
//! statuses from the check's achieved-level computation ([`crate::check::achieved`]) where it
//! has one (zones and conduits with an SL-T, when the IEC 62443-3-3 pack ran). Where it has
//! none, `sl_achieved` is `None` and `requirements` empty, and the graph and report show "n/a".

use serde::Serialize;

use crate::check::Report;
use crate::check::achieved::{self, Achieved};
use crate::model::{ElemId, ElementKind, Model, SlVector};
use crate::policy::Catalogues;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Compliance {
    pub zones: Vec<ZoneCompliance>,
    pub conduits: Vec<ConduitCompliance>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZoneCompliance {
    #[serde(skip)]
    pub zone: ElemId,
    pub qid: String,
    pub title: Option<String>,
    pub sl_target: Option<SlVector>,
    /// Per FR, the lowest SL-C among the zone's own components that declare one; `None` when
    /// none does.
    pub weakest_sl_c: Option<SlVector>,
    /// Components of the zone that declare no SL-C (left out of `weakest_sl_c`).
    pub unrated: Vec<String>,
    /// Filled by the IEC 62443-3-3 pack.
    pub sl_achieved: Option<SlVector>,
    /// Filled by the IEC 62443-3-3 pack: each requirement SL-T selects, and where it stands.
    pub requirements: Vec<RequirementStatus>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConduitCompliance {
    #[serde(skip)]
    pub conduit: ElemId,
    pub qid: String,
    pub title: Option<String>,
    pub sl_target: Option<SlVector>,
    /// Per FR, the lowest SL-C among the conduit's boundary devices (`via`).
    pub weakest_sl_c: Option<SlVector>,
    pub unrated: Vec<String>,
    pub sl_achieved: Option<SlVector>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequirementStatus {
    /// `SR 5.2 RE 1`
    pub id: String,
    pub title: String,
    pub status: Status,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Status {
    Met,
    NotMet {
        reason: String,
    },
    /// Met through a compensating countermeasure (its qualified id).
    Compensated {
        by: String,
    },
    /// A requirement only evidence can show, with no evidence recorded.
    EvidenceMissing,
    /// Not selected by the zone's SL-T.
    NotSelected,
}

impl Status {
    pub fn label(&self) -> String {
        match self {
            Status::Met => "met".into(),
            Status::NotMet { reason } => format!("not met: {reason}"),
            Status::Compensated { by } => format!("compensated by {by}"),
            Status::EvidenceMissing => "evidence missing".into(),
            Status::NotSelected => "not selected".into(),
        }
    }
}

impl ZoneCompliance {
    /// SL-A below SL-T for some FR; `None` while SL-A is unknown.
    pub fn below_target(&self) -> Option<bool> {
        below(self.sl_target, self.sl_achieved)
    }
}

impl ConduitCompliance {
    pub fn below_target(&self) -> Option<bool> {
        below(self.sl_target, self.sl_achieved)
    }
}

fn below(target: Option<SlVector>, achieved: Option<SlVector>) -> Option<bool> {
    let achieved = achieved?;
    let target = target.unwrap_or_default();
    Some((0..7).any(|fr| achieved.get(fr) < target.get(fr)))
}

impl Status {
    /// A status of the check's computation, its reasons written out.
    fn of(levels: &Achieved, model: &Model, status: achieved::Status) -> Status {
        match status {
            achieved::Status::Met => Status::Met,
            achieved::Status::NotMet(reason) => Status::NotMet {
                reason: levels.reason(model, reason),
            },
            achieved::Status::Compensated(by) => Status::Compensated {
                by: levels.compensated_by(model, by).to_string(),
            },
            achieved::Status::EvidenceMissing => Status::EvidenceMissing,
            achieved::Status::NotSelected => Status::NotSelected,
        }
    }
}

/// Every zone and conduit of the report's model, in source order. `catalogues` gives the
/// requirement titles.
pub fn compute(report: &Report, catalogues: Option<&Catalogues>) -> Compliance {
    let mut compliance = from_model(&report.model);
    for levels in &report.achieved {
        fill(&mut compliance, &report.model, levels, catalogues);
    }
    compliance
}

fn fill(
    compliance: &mut Compliance,
    model: &Model,
    levels: &Achieved,
    catalogues: Option<&Catalogues>,
) {
    let title = |id: &str| {
        catalogues
            .and_then(|c| c.get(id))
            .map_or_else(String::new, |r| r.title.clone())
    };
    if let Some(zone) = compliance
        .zones
        .iter_mut()
        .find(|z| z.zone == levels.element)
    {
        zone.sl_achieved = Some(levels.achieved);
        if levels.weakest_capability.is_some() {
            zone.weakest_sl_c = levels.weakest_capability;
        }
        zone.requirements = levels
            .requirements()
            .map(|(id, status)| RequirementStatus {
                id: id.to_string(),
                title: title(id),
                status: Status::of(levels, model, status),
            })
            .collect();
    } else if let Some(conduit) = compliance
        .conduits
        .iter_mut()
        .find(|c| c.conduit == levels.element)
    {
        conduit.sl_achieved = Some(levels.achieved);
        if levels.weakest_capability.is_some() {
            conduit.weakest_sl_c = levels.weakest_capability;
        }
    }
}

/// What the model alone says about every zone and conduit: SL-T and the weakest SL-C.
pub fn from_model(model: &Model) -> Compliance {
    let zones = model
        .all(ElementKind::Zone)
        .iter()
        .map(|&zone| {
            let element = model.element(zone);
            let (weakest_sl_c, unrated) = weakest(model, &model.components_in(zone));
            ZoneCompliance {
                zone,
                qid: element.qid.clone(),
                title: element.title.clone(),
                sl_target: element.sl("sl_target"),
                weakest_sl_c,
                unrated,
                sl_achieved: None,
                requirements: Vec::new(),
            }
        })
        .collect();
    let conduits = model
        .all(ElementKind::Conduit)
        .iter()
        .map(|&conduit| {
            let element = model.element(conduit);
            let (weakest_sl_c, unrated) = weakest(model, &model.graph.via(conduit));
            ConduitCompliance {
                conduit,
                qid: element.qid.clone(),
                title: element.title.clone(),
                sl_target: element.sl("sl_target"),
                weakest_sl_c,
                unrated,
                sl_achieved: None,
            }
        })
        .collect();
    Compliance { zones, conduits }
}

/// The per-FR minimum SL-C over `components`, and those that declare none.
fn weakest(model: &Model, components: &[ElemId]) -> (Option<SlVector>, Vec<String>) {
    let mut lowest: Option<SlVector> = None;
    let mut unrated = Vec::new();
    for &component in components {
        let element = model.element(component);
        match element.sl("sl_capability") {
            Some(sl_c) => {
                let current = lowest.get_or_insert(sl_c);
                for fr in 0..7 {
                    current.0[fr] = current.0[fr].min(sl_c.0[fr]);
                }
            }
            None => unrated.push(element.qid.clone()),
        }
    }
    (lowest, unrated)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SourceMap;

    fn model(text: &str) -> Model {
        let mut sources = SourceMap::default();
        let file = sources.add("m.iacs", text);
        let tree = crate::syntax::parse(text);
        let (model, errors) = crate::model::build(sources, vec![(file, tree)]);
        assert!(errors.is_empty(), "{errors:?}");
        model
    }

    #[test]
    fn weakest_capability_is_the_minimum_per_fr() {
        let m = model(
            "zone z { sl_target = 3
               component a : embedded-device { sl_capability = [3, 2, 4, 1, 2, 2, 2] }
               component b : embedded-device { sl_capability = [2, 3, 3, 2, 2, 1, 4] }
               component c : host-device { }
             }",
        );
        let c = from_model(&m);
        let zone = &c.zones[0];
        assert_eq!(zone.sl_target, Some(SlVector::uniform(3)));
        assert_eq!(zone.weakest_sl_c, Some(SlVector([2, 2, 3, 1, 2, 1, 2])));
        assert_eq!(zone.unrated, ["z.c"]);
        assert_eq!(zone.sl_achieved, None);
        assert_eq!(zone.below_target(), None);
    }

    #[test]
    fn achieved_below_target_in_any_fr_counts() {
        let mut zone = from_model(&model("zone z { sl_target = 2 }"))
            .zones
            .remove(0);
        zone.sl_achieved = Some(SlVector([2, 2, 2, 2, 1, 2, 2]));
        assert_eq!(zone.below_target(), Some(true));
        zone.sl_achieved = Some(SlVector::uniform(2));
        assert_eq!(zone.below_target(), Some(false));
    }
}
