//! Look-up tables behind the policy built-ins that answer "which X relate to this element":
//! `servers`, `flows_to`, `roles_in`, `evidence_for` and `evidence_inside`.
//!
//! Written as filters (`any(backups, b: serves(b, z))` for every zone) these questions rescan a
//! whole collection per element, so a check grows with the square of the model. Each table is
//! built once per run, on first use, from the model alone, and shared by every policy: policies
//! run in parallel, so the tables live in `OnceLock`s. They add no semantics of their own; each
//! answers exactly what the filter it replaces answered (see the built-in's documentation).

use std::collections::HashMap;
use std::sync::OnceLock;

use super::capability::{self, Gaps};
use super::catalogue::Catalogues;
use crate::model::{Date, ElemId, ElementKind, Model, Value};

/// Element -> elements, lists in model order without repeats.
type Table = HashMap<ElemId, Vec<ElemId>, foldhash::fast::FixedState>;

#[derive(Default)]
pub struct Indexes {
    servers: OnceLock<Servers>,
    flows_to: OnceLock<Table>,
    roles: OnceLock<Table>,
    evidence: OnceLock<HashMap<String, EvidenceFor, foldhash::fast::FixedState>>,
    /// (component, FR) -> its capability gaps, where it has any: `unmet` and `compensated`
    /// ask for every component and FR, from two policies.
    gaps: OnceLock<HashMap<(ElemId, usize), Gaps, foldhash::fast::FixedState>>,
}

/// Who serves what, split the way `serves(component, zone)` decides it.
#[derive(Default)]
struct Servers {
    /// Element -> components that serve it without listing it: those inside it, and those
    /// without `serves` whose flows reach it.
    direct: Table,
    /// Element -> components whose `serves` lists it (they serve everything inside it too).
    listed: Table,
}

/// The evidence records for one requirement.
#[derive(Default)]
struct EvidenceFor {
    /// Records without a scope: they cover the whole system.
    unscoped: Vec<ElemId>,
    /// Scope entry -> records that list it.
    listing: Table,
    /// Element -> records that list it or something inside it.
    inside: Table,
}

fn push(table: &mut Table, key: ElemId, value: ElemId) {
    let list = table.entry(key).or_default();
    // Values are pushed in model order, so a repeat is always the last one.
    if list.last() != Some(&value) {
        list.push(value);
    }
}

/// Sorted into model order (element ids are assigned in model order) without repeats.
fn model_order(mut ids: Vec<ElemId>) -> Vec<ElemId> {
    ids.sort_unstable();
    ids.dedup();
    ids
}

impl Indexes {
    /// The components that serve `zone`, in model order: exactly those for which
    /// `serves(component, zone)` holds.
    pub fn servers(&self, model: &Model, zone: ElemId) -> Vec<ElemId> {
        let servers = self.servers.get_or_init(|| Servers::build(model));
        let mut found: Vec<ElemId> = servers.direct.get(&zone).cloned().unwrap_or_default();
        // A component that lists a zone serves the zones inside it: look for listings of the
        // zone and of everything around it.
        for around in model.enclosing(zone) {
            if let Some(listing) = servers.listed.get(&around) {
                found.extend_from_slice(listing);
            }
        }
        model_order(found)
    }

    /// Flows whose destination's zone is `zone` (not a sub-zone), in model order.
    pub fn flows_to(&self, model: &Model, zone: ElemId) -> &[ElemId] {
        let table = self.flows_to.get_or_init(|| {
            let mut table = Table::default();
            for &flow in model.all(ElementKind::Flow) {
                let destination_zone = model
                    .element(flow)
                    .endpoints
                    .and_then(|ends| model.zone_of(ends.destination));
                if let Some(z) = destination_zone {
                    push(&mut table, z, flow);
                }
            }
            table
        });
        table.get(&zone).map_or(&[], Vec::as_slice)
    }

    /// Roles holding permissions in `element` or in something around it, in model order.
    pub fn roles_in(&self, model: &Model, element: ElemId) -> Vec<ElemId> {
        let table = self.roles.get_or_init(|| {
            let mut table = Table::default();
            for &role in model.all(ElementKind::Role) {
                if let Some(Value::Permissions(entries)) = model.element(role).value("permissions")
                {
                    for (zone, _) in entries {
                        push(&mut table, *zone, role);
                    }
                }
            }
            table
        });
        let mut found = Vec::new();
        for around in model.enclosing(element) {
            if let Some(roles) = table.get(&around) {
                found.extend_from_slice(roles);
            }
        }
        model_order(found)
    }

    /// Evidence records for `requirement` with no scope, or whose scope lists `element` or
    /// something around it, in model order.
    pub fn evidence_for(&self, model: &Model, requirement: &str, element: ElemId) -> Vec<ElemId> {
        let Some(records) = self.evidence(model).get(requirement) else {
            return Vec::new();
        };
        let mut found = records.unscoped.clone();
        for around in model.enclosing(element) {
            if let Some(listing) = records.listing.get(&around) {
                found.extend_from_slice(listing);
            }
        }
        model_order(found)
    }

    /// Evidence records for `requirement` whose scope lists `element` or something inside it,
    /// in model order.
    pub fn evidence_inside(&self, model: &Model, requirement: &str, element: ElemId) -> &[ElemId] {
        self.evidence(model)
            .get(requirement)
            .and_then(|records| records.inside.get(&element))
            .map_or(&[], Vec::as_slice)
    }

    /// The capability gaps of `component` in FR `fr` ([`capability::gaps`]), computed for
    /// every component on first use. `catalogues` and `today` are the run's.
    pub fn gaps(
        &self,
        model: &Model,
        catalogues: &Catalogues,
        today: Date,
        component: ElemId,
        fr: usize,
    ) -> Option<&Gaps> {
        let all = self.gaps.get_or_init(|| {
            let mut all = HashMap::default();
            for &c in model.all(ElementKind::Component) {
                for (fr, gaps) in capability::gaps_by_fr(model, catalogues, c, today)
                    .into_iter()
                    .enumerate()
                {
                    if !gaps.open.is_empty() || !gaps.covered.is_empty() {
                        all.insert((c, fr), gaps);
                    }
                }
            }
            all
        });
        all.get(&(component, fr))
    }

    fn evidence(&self, model: &Model) -> &HashMap<String, EvidenceFor, foldhash::fast::FixedState> {
        self.evidence.get_or_init(|| {
            let mut by_requirement: HashMap<String, EvidenceFor, _> = HashMap::default();
            for &record in model.all(ElementKind::Evidence) {
                let element = model.element(record);
                let scope = element.value("scope").map(Value::refs).unwrap_or_default();
                // The requirement ids as lowering stored them (already normalised), matched
                // exactly, as `"SR 7.3" in e.requirement` matches them.
                let requirements = element.value("requirement").map_or(&[][..], Value::as_list);
                for requirement in requirements.iter().filter_map(Value::as_str) {
                    let entry = by_requirement.entry(requirement.to_string()).or_default();
                    if scope.is_empty() {
                        if entry.unscoped.last() != Some(&record) {
                            entry.unscoped.push(record);
                        }
                        continue;
                    }
                    for &listed in &scope {
                        push(&mut entry.listing, listed, record);
                        for around in model.enclosing(listed) {
                            push(&mut entry.inside, around, record);
                        }
                    }
                }
            }
            by_requirement
        })
    }
}

impl Servers {
    /// `serves(c, z)` holds when `c` lies in `z`; or `c` lists in `serves` the zone or something
    /// around it; or, when `c` lists nothing, a flow of `c` has its other end in `z` (or inside
    /// it). The first and last go to `direct` under every element they make `c` serve; the
    /// listings go to `listed` and are matched against the zone's surroundings at look-up.
    fn build(model: &Model) -> Servers {
        let mut servers = Servers::default();
        for &component in model.all(ElementKind::Component) {
            for around in model.enclosing(component) {
                push(&mut servers.direct, around, component);
            }
            let listed = model
                .element(component)
                .value("serves")
                .map(Value::refs)
                .unwrap_or_default();
            if listed.is_empty() {
                for reached in super::eval::flow_reach(model, component) {
                    push(&mut servers.direct, reached, component);
                }
            } else {
                for zone in listed {
                    push(&mut servers.listed, zone, component);
                }
            }
        }
        servers
    }
}
