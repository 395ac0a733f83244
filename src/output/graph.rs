//! `zonelint graph`: the zone and conduit architecture as a Graphviz DOT or Mermaid diagram.
//!
//! Both formats draw the same [`Diagram`]: a zone with sub-zones is a cluster (DOT) or subgraph
//! (Mermaid) holding a node for itself and its sub-zones; a zone without sub-zones is a node.
//! A conduit between two zones is an edge labelled with its id and boundary devices; one that
//! joins more zones is a hexagon linked to each. Zones are red when SL-A is below SL-T for some
//! FR, or (SL-A not known yet) when an open error finding is on the zone or its components.

use crate::check::Report;
use crate::compliance::Compliance;
use crate::diagnostics::Severity;
use crate::model::{ElemId, ElementKind, Model};

pub mod dot;
pub mod mermaid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    /// SL-A meets SL-T in every FR.
    Meets,
    /// SL-A is below SL-T in some FR, or an open error finding is on the zone.
    Failing,
    /// SL-A unknown and no open error finding.
    Unknown,
}

pub struct ZoneBox {
    pub id: ElemId,
    pub qid: String,
    pub label: String,
    pub health: Health,
    pub children: Vec<ZoneBox>,
}

pub struct ConduitLine {
    pub qid: String,
    pub label: String,
    pub zones: Vec<ElemId>,
    pub health: Health,
}

pub struct Diagram {
    /// Top-level zones, each with its nested zones.
    pub zones: Vec<ZoneBox>,
    pub conduits: Vec<ConduitLine>,
}

pub fn diagram(report: &Report, compliance: &Compliance) -> Diagram {
    let model = &report.model;
    let failing_zones = zones_with_open_errors(report);
    let zone_health = |id: ElemId| {
        let achieved = compliance
            .zones
            .iter()
            .find(|z| z.zone == id)
            .and_then(|z| z.below_target());
        health(achieved, failing_zones.contains(&id))
    };
    let top: Vec<ElemId> = model
        .all(ElementKind::Zone)
        .iter()
        .copied()
        .filter(|&z| model.zone_of(z).is_none())
        .collect();
    let zones = top
        .into_iter()
        .map(|z| zone_box(model, z, &zone_health))
        .collect();
    let conduits = model
        .all(ElementKind::Conduit)
        .iter()
        .map(|&c| {
            let element = model.element(c);
            let via: Vec<&str> = model
                .graph
                .via(c)
                .into_iter()
                .map(|v| model.element(v).id.as_str())
                .collect();
            let mut label = element.id.clone();
            if !via.is_empty() {
                label.push_str(&format!("\nvia {}", via.join(", ")));
            }
            let achieved = compliance
                .conduits
                .iter()
                .find(|x| x.conduit == c)
                .and_then(|x| x.below_target());
            ConduitLine {
                qid: element.qid.clone(),
                label,
                zones: model.conduit_zones(c),
                health: health(achieved, false),
            }
        })
        .collect();
    Diagram { zones, conduits }
}

fn health(below_target: Option<bool>, open_error: bool) -> Health {
    match below_target {
        Some(true) => Health::Failing,
        Some(false) => Health::Meets,
        None if open_error => Health::Failing,
        None => Health::Unknown,
    }
}

fn zone_box(model: &Model, zone: ElemId, health: &dyn Fn(ElemId) -> Health) -> ZoneBox {
    let element = model.element(zone);
    let mut label = element.id.clone();
    if let Some(title) = &element.title {
        label.push('\n');
        label.push_str(title);
    }
    if let Some(sl) = element.sl("sl_target") {
        label.push_str(&format!("\nSL-T {sl}"));
    }
    ZoneBox {
        id: zone,
        qid: element.qid.clone(),
        label,
        health: health(zone),
        children: model
            .graph
            .subzones(zone)
            .into_iter()
            .map(|z| zone_box(model, z, health))
            .collect(),
    }
}

/// Zones an open error finding is on: the finding's element is the zone, or a component whose
/// zone it is.
fn zones_with_open_errors(report: &Report) -> Vec<ElemId> {
    let model = &report.model;
    report
        .diagnostics
        .iter()
        .filter(|d| d.is_open() && d.severity == Severity::Error)
        .filter_map(|d| model.lookup(&d.finding.as_ref()?.element))
        .filter_map(|id| match model.element(id).kind {
            ElementKind::Zone => Some(id),
            ElementKind::Component => model.zone_of(id),
            _ => None,
        })
        .collect()
}
