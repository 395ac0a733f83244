//! After pass two: components share their product's attributes, zone membership, children and
//! the graph are derived, and required attributes are checked.

use std::collections::BTreeSet;
use std::sync::Arc;

use foldhash::HashMap;

use super::super::graph::Edge;
use super::super::value::Value;
use super::super::vocabulary::ElementKind;
use super::super::{Attrs, Children, ElemId, Model};
use super::merge::Failed;
use crate::diagnostics::{Diagnostic, FileId, Label, join_and};
use crate::syntax;

/// A component takes every attribute its product sets and it does not. The product's attributes
/// are marked inherited once and shared by all its components instead of copied into each.
pub(super) fn inherit_from_products(model: &mut Model) {
    let mut shared: HashMap<ElemId, Arc<Attrs>> = HashMap::default();
    for index in 0..model.elements.len() {
        let Some(product) = model.elements[index].product else {
            continue;
        };
        let p = model.element(product);
        let kind = p.component_kind;
        let inherited = shared
            .entry(product)
            .or_insert_with(|| Arc::new(p.attrs.as_inherited()))
            .clone();
        let component = &mut model.elements[index];
        if component.component_kind.is_none() {
            component.component_kind = kind;
        }
        component.attrs.inherit(inherited);
    }
}

/// Checks and derivations over the whole model, reporting into `diagnostics`.
pub(super) struct Structure<'a> {
    pub model: &'a mut Model,
    pub diagnostics: &'a mut Vec<Diagnostic>,
    pub failed: &'a Failed,
}

impl Structure<'_> {
    fn error(
        &mut self,
        code: &str,
        message: impl Into<String>,
        file: FileId,
        span: syntax::Span,
        label: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diagnostics.push(Diagnostic::error(
            code,
            message,
            Label::new(file, span, label),
        ));
        self.diagnostics.last_mut().expect("just pushed")
    }

    pub fn derive_structure(&mut self) {
        self.model.children = Children::from_parents(&self.model.elements);
        let count = self.model.elements.len();
        self.model.zone_of = vec![None; count];
        for index in 0..count {
            let id = ElemId(index as u32);
            let element = &self.model.elements[index];
            self.model.by_kind.entry(element.kind).or_default().push(id);
            let enclosing_zone = self.enclosing_zone(id);
            match element.kind {
                ElementKind::Zone => {
                    self.model.graph.node(id);
                    if let Some(parent) = enclosing_zone {
                        self.model.zone_of[index] = Some(parent);
                        self.model.graph.add_edge(parent, id, Edge::SubZone);
                    }
                }
                ElementKind::Component => self.place_component(id, enclosing_zone),
                ElementKind::Conduit => self.connect_conduit(id),
                _ => {}
            }
        }
        for flow in self.model.all(ElementKind::Flow).to_vec() {
            if let Some(ends) = self.model.element(flow).endpoints {
                self.model
                    .graph
                    .add_edge(ends.source, ends.destination, Edge::Flow(flow));
            }
        }
    }

    fn enclosing_zone(&self, id: ElemId) -> Option<ElemId> {
        let mut at = self.model.element(id).parent;
        while let Some(p) = at {
            if self.model.element(p).kind == ElementKind::Zone {
                return Some(p);
            }
            at = self.model.element(p).parent;
        }
        None
    }

    fn place_component(&mut self, id: ElemId, enclosing: Option<ElemId>) {
        let element = self.model.element(id);
        let named = element
            .attr("zone")
            .and_then(|a| a.value.as_ref().map(|z| (z, a.value_at)));
        let zone = match (enclosing, named) {
            (Some(inside), Some((named, at))) if inside != named => {
                let (inside_qid, named_qid) = (
                    self.model.element(inside).qid.clone(),
                    self.model.element(named).qid.clone(),
                );
                self.error(
                    "conflicting-zone",
                    format!(
                        "`{}` is declared inside zone `{inside_qid}` but names zone `{named_qid}`",
                        element.qid
                    ),
                    at.file,
                    at.span,
                    "conflicts with where the component is declared",
                )
                .help = Some(
                    "remove the `zone` attribute, or move the component out of the zone block"
                        .into(),
                );
                Some(inside)
            }
            (Some(inside), _) => Some(inside),
            (None, Some((named, _))) => Some(named),
            (None, None) => {
                if !element.attrs.contains_key("zone") && !self.failed_attribute(id, "zone") {
                    let (qid, at) = (element.qid.clone(), element.name_at);
                    self.error(
                        "component-without-zone",
                        format!("component `{qid}` is in no zone"),
                        at.file,
                        at.span,
                        "in no zone",
                    )
                    .help =
                        Some("declare it inside a zone block, or add `zone = <zone id>`".into());
                }
                None
            }
        };
        self.model.graph.node(id);
        if let Some(zone) = zone {
            self.model.zone_of[id.0 as usize] = Some(zone);
            self.model.graph.add_edge(zone, id, Edge::Contains);
        }
    }

    /// Whether this attribute's value was already reported as wrong.
    fn failed_attribute(&self, id: ElemId, attr: &'static str) -> bool {
        self.failed.contains(&(id, attr))
    }

    fn connect_conduit(&mut self, id: ElemId) {
        self.model.graph.node(id);
        let element = self.model.element(id);
        let zones = element.value("zones").map(Value::refs).unwrap_or_default();
        let via = element.value("via").map(Value::refs).unwrap_or_default();
        let direction = match element.value("direction") {
            Some(&Value::Direction { from, to, .. }) => vec![from, to],
            _ => Vec::new(),
        };
        let distinct: BTreeSet<ElemId> = zones.iter().copied().collect();
        if distinct.len() < 2 && !self.failed_attribute(id, "zones") {
            self.too_few_zones(id, zones.is_empty());
        }
        for end in direction {
            if !distinct.contains(&end) {
                self.direction_outside(id, end);
            }
        }
        for zone in distinct {
            self.model.graph.add_edge(id, zone, Edge::Joins);
        }
        for device in via {
            self.model.graph.add_edge(id, device, Edge::Via);
        }
    }

    fn too_few_zones(&mut self, conduit: ElemId, none: bool) {
        let element = self.model.element(conduit);
        let (qid, at) = (
            element.qid.clone(),
            element
                .attr("zones")
                .map_or(element.name_at, |a| a.value_at),
        );
        let message = if none {
            format!("conduit `{qid}` joins no zones")
        } else {
            format!("conduit `{qid}` joins only one zone")
        };
        self.error(
            "conduit-too-few-zones",
            message,
            at.file,
            at.span,
            "a conduit joins two or more zones",
        )
        .help = Some("list the zones it connects: `zones = [zone_a, zone_b]`".into());
    }

    fn direction_outside(&mut self, conduit: ElemId, end: ElemId) {
        let element = self.model.element(conduit);
        let at = element
            .attr("direction")
            .map_or(element.name_at, |a| a.value_at);
        let (end_qid, qid) = (self.model.element(end).qid.clone(), element.qid.clone());
        self.error(
            "invalid-value",
            format!("the direction of `{qid}` names `{end_qid}`, which the conduit does not join"),
            at.file,
            at.span,
            "not one of the conduit's zones",
        );
    }

    pub fn check_required(&mut self) {
        for index in 0..self.model.elements.len() {
            let element = &self.model.elements[index];
            let missing: Vec<&str> = element
                .kind
                .spec()
                .required
                .iter()
                .copied()
                .filter(|a| {
                    !element.attrs.contains_key(a)
                        && !self.failed_attribute(ElemId(index as u32), a)
                })
                .collect();
            if missing.is_empty() {
                continue;
            }
            let (kind, qid, at) = (element.kind.keyword(), element.qid.clone(), element.name_at);
            let quoted = |names: &[&str]| {
                let quoted: Vec<String> = names.iter().map(|m| format!("`{m}`")).collect();
                join_and(&quoted)
            };
            let list = quoted(&missing);
            let required = quoted(element.kind.spec().required);
            self.error(
                "missing-attribute",
                format!("{kind} `{qid}` lacks {list}"),
                at.file,
                at.span,
                format!("missing {list}"),
            )
            .help = Some(format!("every {} states {required}", element.kind.noun()));
        }
    }
}
