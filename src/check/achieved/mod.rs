//! The achieved security level SL-A of every zone and conduit, and the status of each
//! requirement behind it.
//!
//! A requirement's status for a zone combines every way it is checked: capability (each
//! component's SL-C, `provides`, compensations), architecture (open findings of the policies
//! bound to it that concern the zone) and evidence (records in scope). SL-A for an FR is the
//! highest level up to SL-T at which every requirement the level selects is met or compensated.
//! The compliance report, the language server's hover and the `sl-achieved-below-target`
//! finding all read this one computation.

use std::collections::HashMap;
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, FindingState};
use crate::model::value::FR_NAMES;
use crate::model::{Date, ElemId, ElementKind, Model, SlVector, Value};
use crate::policy::capability::{compensation_for, evidence_missing};
use crate::policy::{Catalogues, CheckKind, Requirement};

mod below;
mod index;

pub use below::{BELOW_TARGET, BELOW_TARGET_DOC, below_target};
use below::{number_len, push_number};
use index::{Concerning, FindingIndex};

/// A requirement's status for one zone or conduit.
///
/// About a hundred are kept per zone and conduit for the whole run, and few are ever shown (the
/// compliance report shows them all, the below-target finding one per FR): a status keeps what
/// its words are made of in eight bytes, and [`Achieved::write_reason`] and
/// [`Achieved::compensated_by`] write them when they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Met,
    NotMet(Reason),
    Compensated(By),
    EvidenceMissing,
    NotSelected,
}

/// Why a requirement is not met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// A component (or a conduit's boundary device) that declares no SL-C.
    NoCapability(ElemId),
    /// A component whose SL-C in FR `fr` is `level`, which does not select the requirement.
    Capability {
        component: ElemId,
        fr: u8,
        level: u8,
    },
    /// An open finding of a policy bound to the requirement: its message is text `n` of the
    /// [`Achieved`] the status belongs to.
    Finding(u32),
    /// A finding silenced by a `suppress`: the suppression's reason is text `n`.
    Suppressed(u32),
}

/// What compensates a requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// A compensation record that covers a component's capability gap.
    Record(ElemId),
    /// The compensation a compensated finding names: text `n`.
    Named(u32),
}

impl Status {
    pub fn label(&self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::NotMet(_) => "not met",
            Status::Compensated(_) => "compensated",
            Status::EvidenceMissing => "evidence missing",
            Status::NotSelected => "not selected",
        }
    }
    /// Whether the status counts towards SL-A. SL-A is what the design achieves: components,
    /// conduits and documented compensations. Missing evidence is reported (and shown in the
    /// compliance report) but does not lower the level the design reaches.
    fn achieved(&self) -> bool {
        matches!(
            self,
            Status::Met | Status::Compensated(_) | Status::EvidenceMissing
        )
    }
    fn rank(&self) -> u8 {
        match self {
            Status::NotMet(_) => 4,
            Status::EvidenceMissing => 3,
            Status::Compensated(_) => 2,
            Status::Met => 1,
            Status::NotSelected => 0,
        }
    }
}

/// One zone's or conduit's levels and requirement statuses.
#[derive(Debug, Clone)]
pub struct Achieved {
    pub element: ElemId,
    pub target: SlVector,
    /// The lowest SL-C per FR over its components (a conduit's: its boundary devices); `None`
    /// when it has none with an SL-C.
    pub weakest_capability: Option<SlVector>,
    pub achieved: SlVector,
    /// The ids of the IEC 62443-3-3 requirements (catalogue rows with an FR, in catalogue
    /// order), shared with every other zone and conduit.
    ids: Arc<[Box<str>]>,
    /// The status of each requirement of `ids`, in the same order.
    statuses: Box<[Status]>,
    /// Texts that statuses copy from findings (messages, suppression reasons, compensation
    /// ids), numbered as the statuses refer to them; empty for most zones.
    texts: Vec<Box<str>>,
}

impl Achieved {
    /// Every IEC 62443-3-3 requirement, with its status for this element, in catalogue order.
    pub fn requirements(&self) -> impl Iterator<Item = (&str, Status)> + '_ {
        self.ids
            .iter()
            .map(|id| &**id)
            .zip(self.statuses.iter().copied())
    }

    /// Appends why a requirement is not met, as the report and the findings word it.
    pub fn write_reason(&self, model: &Model, reason: Reason, out: &mut String) {
        match reason {
            Reason::NoCapability(component) => {
                out.push('`');
                out.push_str(&model.element(component).qid);
                out.push_str("` has no SL-C");
            }
            Reason::Capability {
                component,
                fr,
                level,
            } => {
                // `SL-C({FR}) of `{qid}` is {level}`, without the formatting machinery: the
                // below-target finding writes one per FR short of its target.
                out.push_str("SL-C(");
                out.push_str(FR_NAMES[fr as usize]);
                out.push_str(") of `");
                out.push_str(&model.element(component).qid);
                out.push_str("` is ");
                push_number(out, level, 0);
            }
            Reason::Finding(n) => out.push_str(self.text(n)),
            Reason::Suppressed(n) => {
                out.push_str("suppressed: ");
                out.push_str(self.text(n));
            }
        }
    }

    /// The length of what [`Achieved::write_reason`] writes.
    fn reason_len(&self, model: &Model, reason: Reason) -> usize {
        match reason {
            Reason::NoCapability(component) => {
                "``".len() + model.element(component).qid.len() + " has no SL-C".len()
            }
            Reason::Capability {
                component,
                fr,
                level,
            } => {
                "SL-C() of `` is ".len()
                    + FR_NAMES[fr as usize].len()
                    + model.element(component).qid.len()
                    + number_len(level)
            }
            Reason::Finding(n) => self.text(n).len(),
            Reason::Suppressed(n) => "suppressed: ".len() + self.text(n).len(),
        }
    }

    /// Why a requirement is not met ([`Achieved::write_reason`]).
    pub fn reason(&self, model: &Model, reason: Reason) -> String {
        let mut out = String::with_capacity(self.reason_len(model, reason));
        self.write_reason(model, reason, &mut out);
        debug_assert_eq!(out.len(), self.reason_len(model, reason));
        out
    }

    /// The qualified id of the compensation that covers a requirement.
    pub fn compensated_by<'a>(&'a self, model: &'a Model, by: By) -> &'a str {
        match by {
            By::Record(record) => &model.element(record).qid,
            By::Named(n) => self.text(n),
        }
    }

    fn text(&self, n: u32) -> &str {
        &self.texts[n as usize]
    }
}

/// The levels of every zone and conduit with a target, in model order. `subjects`: the element
/// each finding is about ([`super::risk::subjects`]).
pub fn compute(
    model: &Model,
    catalogues: &Catalogues,
    findings: &[Diagnostic],
    subjects: &[Option<ElemId>],
    today: Date,
) -> Vec<Achieved> {
    use rayon::prelude::*;
    let rows = rows(catalogues);
    let rows = &rows;
    let common = Common {
        model,
        catalogues,
        findings: FindingIndex::new(model, rows, findings, subjects),
        today,
        rows,
        compensable: rows
            .all
            .iter()
            .map(|r| model.records().compensations_of(&r.id).is_some())
            .collect(),
    };
    let common = &common;
    let targets: Vec<(ElemId, SlVector)> = [ElementKind::Zone, ElementKind::Conduit]
        .into_iter()
        .flat_map(|kind| model.all(kind).iter().copied())
        .filter_map(|e| Some((e, model.element(e).sl("sl_target")?)))
        .collect();
    let ids: Arc<[Box<str>]> = rows.all.iter().map(|r| r.id.as_str().into()).collect();
    let ids = &ids;
    // Each zone and conduit is computed on its own; in order, on all cores.
    targets
        .into_par_iter()
        .map(|(element, target)| {
            let (statuses, texts, achieved, weakest_capability) = one(common, element, target);
            Achieved {
                element,
                target,
                weakest_capability,
                achieved,
                ids: ids.clone(),
                statuses,
                texts,
            }
        })
        .collect()
}

/// The IEC 62443-3-3 requirements (catalogue rows with an FR), in catalogue order: the rows of
/// every [`Achieved`].
struct Rows<'c> {
    all: Vec<&'c Requirement>,
    /// Positions in `all` of each FR's requirements, so that a question about one FR does not
    /// read the other six FRs' rows.
    by_fr: [Vec<usize>; 7],
    /// The first row of each id: findings are indexed by the id they name.
    first: HashMap<&'c str, u32, foldhash::fast::FixedState>,
    /// For each row of `all`, the first row with its id.
    key: Vec<u32>,
}

impl Rows<'_> {
    /// The first row with requirement id `id`, which stands for every row with that id.
    fn key_of(&self, id: &str) -> Option<u32> {
        self.first.get(id).copied()
    }
}

fn rows(catalogues: &Catalogues) -> Rows<'_> {
    let all: Vec<&Requirement> = catalogues
        .requirements
        .iter()
        .filter(|r| r.fr.is_some())
        .collect();
    let mut by_fr: [Vec<usize>; 7] = Default::default();
    let mut first = HashMap::default();
    for (i, r) in all.iter().enumerate() {
        if let Some(list) = r.fr.and_then(|fr| by_fr.get_mut(fr)) {
            list.push(i);
        }
        first.entry(r.id.as_str()).or_insert(i as u32);
    }
    let key = all.iter().map(|r| first[r.id.as_str()]).collect();
    Rows {
        all,
        by_fr,
        first,
        key,
    }
}

/// The statuses (with the texts they copy), SL-A and weakest SL-C of one zone or conduit.
type One = (Box<[Status]>, Vec<Box<str>>, SlVector, Option<SlVector>);

/// What the computation of every zone and conduit reads alike.
struct Common<'a> {
    model: &'a Model,
    catalogues: &'a Catalogues,
    findings: FindingIndex<'a>,
    today: Date,
    rows: &'a Rows<'a>,
    /// For each row, whether a compensation record names its requirement at all.
    compensable: Vec<bool>,
}

fn one(common: &Common, element: ElemId, target: SlVector) -> One {
    let Common {
        model,
        catalogues,
        ref findings,
        today,
        rows,
        ref compensable,
    } = *common;
    let zone = model.element(element).kind == ElementKind::Zone;
    let components = if zone {
        model.components_in(element)
    } else {
        model.graph.via(element)
    };
    let mut provided = Provided::default();
    let members: Vec<Member> = components
        .iter()
        .map(|&id| {
            let e = model.element(id);
            Member {
                id,
                capability: e.sl("sl_capability"),
                provides: provided.list(e.value("provides")),
            }
        })
        .collect();
    let weakest_capability = members
        .iter()
        .filter_map(|m| m.capability)
        .reduce(|a, b| SlVector(std::array::from_fn(|i| a.get(i).min(b.get(i)))));
    let missing_evidence = if zone {
        evidence_missing(model, catalogues, element, today)
    } else {
        Vec::new()
    };
    let distinct = distinct(&members);
    let place = Place {
        model,
        findings: &findings.of(element),
        rows,
        compensable,
        today,
        members: &members,
        provided: &provided,
        distinct: distinct.as_deref(),
        missing_evidence: &missing_evidence,
        zone,
    };
    let mut texts = Vec::new();
    let mut achieved = [0u8; 7];
    let mut status_of = Vec::with_capacity(rows.all.len());
    for (i, r) in rows.all.iter().enumerate() {
        // A row no level up to the target selects cannot lower SL-A and is reported as not
        // selected: its status is not worth computing (most of the SL 3 and 4 enhancements).
        let goal = target.get(r.fr.unwrap_or(0));
        let relevant =
            goal > 0 && (r.selected_at(goal) || r.levels.iter().any(|&l| l >= 1 && l <= goal));
        status_of.push(if relevant {
            status(&place, i, &mut texts)
        } else {
            Status::NotSelected
        });
    }
    for (fr, level) in achieved.iter_mut().enumerate() {
        let goal = target.get(fr);
        *level = (0..=goal)
            .rev()
            .find(|&l| {
                l == 0
                    || rows.by_fr[fr]
                        .iter()
                        .filter(|&&i| rows.all[i].levels.contains(&l))
                        .all(|&i| status_of[i].achieved())
            })
            .unwrap_or(0);
    }
    for (r, status) in rows.all.iter().zip(status_of.iter_mut()) {
        let fr = r.fr.unwrap_or(0);
        let selected = target.get(fr) > 0 && r.selected_at(target.get(fr));
        if !selected {
            *status = Status::NotSelected;
        }
    }
    (
        status_of.into_boxed_slice(),
        texts,
        SlVector(achieved),
        weakest_capability,
    )
}

/// The positions in `members` of the first member of each kind: one whose SL-C and `provides`
/// list differ from those of every member before it. Components of one product make up most of a
/// zone, and a capability check with no compensation on record answers alike for members of a
/// kind: the first member it fails is the first of its kind. `None` when there are more kinds
/// than are worth telling apart (the search is quadratic in them).
fn distinct(members: &[Member]) -> Option<Vec<usize>> {
    const MOST: usize = 16;
    let mut firsts: Vec<usize> = Vec::new();
    for (i, m) in members.iter().enumerate() {
        let seen = firsts.iter().any(|&j| {
            let other = &members[j];
            other.capability == m.capability && other.provides == m.provides
        });
        if !seen {
            if firsts.len() == MOST {
                return None;
            }
            firsts.push(i);
        }
    }
    Some(firsts)
}

/// What the capability check needs of each component, read once per zone rather than once
/// per requirement.
struct Member {
    id: ElemId,
    capability: Option<SlVector>,
    /// The requirement ids the component meets by itself: a list of a [`Provided`].
    provides: usize,
}

/// The `provides` lists of one zone's members, normalised. Components of a product share
/// their product's list (one value, inherited): it is normalised once for all of them.
struct Provided<'m> {
    /// Each value read, with its ids; the first is the empty list of members without one.
    lists: Vec<(Option<&'m Value>, Vec<String>)>,
}

impl Default for Provided<'_> {
    fn default() -> Self {
        Provided {
            lists: vec![(None, Vec::new())],
        }
    }
}

impl<'m> Provided<'m> {
    /// Values beyond this many are not looked for among those read (the search is linear):
    /// they get a list each.
    const SHARED: usize = 16;

    /// The list of the ids in `value` (a `provides` attribute).
    fn list(&mut self, value: Option<&'m Value>) -> usize {
        let Some(value) = value else {
            return 0;
        };
        let known = self.lists[..self.lists.len().min(Self::SHARED)]
            .iter()
            .position(|(v, _)| v.is_some_and(|v| std::ptr::eq(v, value)));
        known.unwrap_or_else(|| {
            let ids = crate::model::records::requirement_list(Some(value));
            self.lists.push((Some(value), ids));
            self.lists.len() - 1
        })
    }

    fn ids(&self, list: usize) -> &[String] {
        &self.lists[list].1
    }
}

/// The zone or conduit a status is computed for, and what is read once for it.
struct Place<'a> {
    model: &'a Model,
    /// The findings that concern the zone or conduit.
    findings: &'a Concerning<'a>,
    rows: &'a Rows<'a>,
    /// For each row, whether a compensation record names its requirement at all.
    compensable: &'a [bool],
    today: Date,
    members: &'a [Member],
    provided: &'a Provided<'a>,
    /// The first member of each kind ([`distinct`]), if there are few kinds.
    distinct: Option<&'a [usize]>,
    missing_evidence: &'a [String],
    zone: bool,
}

/// The worst status of one requirement for one zone or conduit. Nothing ranks above "not met":
/// the first one found is the reason kept, so the search stops there. Texts a status copies
/// from a finding go to `texts`.
fn status(place: &Place, row: usize, texts: &mut Vec<Box<str>>) -> Status {
    let model = place.model;
    let r = place.rows.all[row];
    let fr = r.fr.unwrap_or(0);
    let mut text = |s: &str| {
        texts.push(s.into());
        (texts.len() - 1) as u32
    };
    let mut worst = Status::Met;
    for kind in &r.checked_by {
        match kind {
            CheckKind::Capability => {
                // Without a compensation on record, the first member of each kind answers
                // for the rest of its kind (see `distinct`).
                let firsts = place.distinct.filter(|_| !place.compensable[row]);
                let members: &mut dyn Iterator<Item = &Member> = match firsts {
                    Some(firsts) => &mut firsts.iter().map(|&i| &place.members[i]),
                    None => &mut place.members.iter(),
                };
                for m in members {
                    let Some(capability) = m.capability else {
                        return Status::NotMet(Reason::NoCapability(m.id));
                    };
                    let level = capability.get(fr);
                    if (level > 0 && r.selected_at(level))
                        || place.provided.ids(m.provides).contains(&r.id)
                    {
                        continue;
                    }
                    // Without a record naming the requirement there is nothing to look for.
                    let compensation = if place.compensable[row] {
                        compensation_for(model, &r.id, m.id, place.today)
                    } else {
                        None
                    };
                    match compensation {
                        Some(by) => {
                            if worst.rank() < Status::Compensated(By::Record(by)).rank() {
                                worst = Status::Compensated(By::Record(by));
                            }
                        }
                        None => {
                            return Status::NotMet(Reason::Capability {
                                component: m.id,
                                fr: fr as u8,
                                level,
                            });
                        }
                    }
                }
            }
            CheckKind::Architecture => {
                for d in place.findings.bound_to(place.rows.key[row]) {
                    let info = d.finding.as_deref().expect("filtered on findings");
                    match &info.state {
                        FindingState::Open => {
                            return Status::NotMet(Reason::Finding(text(&d.message)));
                        }
                        FindingState::Compensated { by } => {
                            // Only a compensation that ranks above what was found replaces
                            // it: the first one found is kept.
                            if worst.rank() < Status::Compensated(By::Named(0)).rank() {
                                worst = Status::Compensated(By::Named(text(by)));
                            }
                        }
                        FindingState::Suppressed { reason } => {
                            return Status::NotMet(Reason::Suppressed(text(reason)));
                        }
                    }
                }
            }
            CheckKind::Evidence if place.zone => {
                if place.missing_evidence.contains(&r.id) && worst.rank() < 3 {
                    worst = Status::EvidenceMissing;
                }
            }
            CheckKind::Evidence | CheckKind::Process => {}
        }
    }
    worst
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: u32, capability: Option<u8>, provides: usize) -> Member {
        Member {
            id: ElemId(id),
            capability: capability.map(|l| SlVector([l; 7])),
            provides,
        }
    }

    #[test]
    fn distinct_keeps_the_first_member_of_each_kind_in_order() {
        let members = [
            member(1, Some(2), 0),
            member(2, Some(2), 0),
            member(3, None, 0),
            member(4, Some(2), 1),
            member(5, None, 0),
            member(6, Some(1), 0),
            member(7, Some(2), 1),
        ];
        assert_eq!(distinct(&members), Some(vec![0, 2, 3, 5]));
        assert_eq!(distinct(&[]), Some(vec![]));
    }

    #[test]
    fn distinct_gives_up_on_many_kinds() {
        let few: Vec<Member> = (0..16).map(|i| member(i, Some(i as u8), 0)).collect();
        assert_eq!(distinct(&few).map(|f| f.len()), Some(16));
        let many: Vec<Member> = (0..17).map(|i| member(i, Some(i as u8), 0)).collect();
        assert_eq!(distinct(&many), None);
    }
}
