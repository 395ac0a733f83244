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

use crate::diagnostics::{Diagnostic, FindingInfo, FindingState, Label, Severity, fingerprint};
use crate::model::value::FR_NAMES;
use crate::model::{Date, ElemId, ElementKind, Model, SlVector, Value};
use crate::policy::capability::{compensation_for, evidence_missing};
use crate::policy::{Catalogues, CheckKind, Requirement};

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
                use std::fmt::Write;
                let qid = &model.element(component).qid;
                let _ = write!(out, "SL-C({}) of `{qid}` is {level}", FR_NAMES[fr as usize]);
            }
            Reason::Finding(n) => out.push_str(self.text(n)),
            Reason::Suppressed(n) => {
                out.push_str("suppressed: ");
                out.push_str(self.text(n));
            }
        }
    }

    /// Why a requirement is not met ([`Achieved::write_reason`]).
    pub fn reason(&self, model: &Model, reason: Reason) -> String {
        let mut out = String::new();
        self.write_reason(model, reason, &mut out);
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

/// Findings of requirement-bound policies, by (requirement, zone or conduit they concern), so
/// that each status is a lookup rather than a scan of every finding.
/// Hashed with foldhash: it is asked once per zone and requirement, and SipHash's resistance to
/// crafted keys buys nothing for ids from our own catalogue.
type FindingIndex<'a> = HashMap<(&'a str, ElemId), Vec<&'a Diagnostic>, foldhash::fast::FixedState>;

fn index<'a>(model: &Model, findings: &'a [Diagnostic]) -> FindingIndex<'a> {
    let mut index: FindingIndex<'a> = HashMap::default();
    for d in findings {
        let Some(info) = d.finding.as_deref() else {
            continue;
        };
        let Some(requirement) = info.requirement.as_deref() else {
            continue;
        };
        let Some(subject) = model.lookup(&info.element) else {
            continue;
        };
        for concerned in concerned(model, subject) {
            index.entry((requirement, concerned)).or_default().push(d);
        }
    }
    index
}

/// The zones and conduits a finding about `subject` concerns: the subject and everything that
/// encloses it, for a conduit (or a flow of one) the zones it joins, and for a role the zones
/// it holds permissions in.
fn concerned(model: &Model, subject: ElemId) -> Vec<ElemId> {
    let mut out = Vec::new();
    let mut at = Some(subject);
    while let Some(e) = at {
        out.push(e);
        let element = model.element(e);
        at = match element.kind {
            ElementKind::Component | ElementKind::Zone => model.zone_of(e).or(element.parent),
            _ => element.parent,
        };
    }
    let conduit = match model.element(subject).kind {
        ElementKind::Conduit => Some(subject),
        ElementKind::Flow => model.element(subject).parent,
        _ => None,
    };
    if let Some(c) = conduit {
        out.extend(model.conduit_zones(c));
    }
    // A human role concerns the zones it holds permissions in.
    if let Some(Value::Permissions(entries)) = model.element(subject).value("permissions") {
        out.extend(entries.iter().map(|(zone, _)| *zone));
    }
    out
}

pub fn compute(
    model: &Model,
    catalogues: &Catalogues,
    findings: &[Diagnostic],
    today: Date,
) -> Vec<Achieved> {
    use rayon::prelude::*;
    let findings = index(model, findings);
    let findings = &findings;
    let targets: Vec<(ElemId, SlVector)> = [ElementKind::Zone, ElementKind::Conduit]
        .into_iter()
        .flat_map(|kind| model.all(kind).iter().copied())
        .filter_map(|e| Some((e, model.element(e).sl("sl_target")?)))
        .collect();
    let rows = rows(catalogues);
    let rows = &rows;
    let ids: Arc<[Box<str>]> = rows.all.iter().map(|r| r.id.as_str().into()).collect();
    let ids = &ids;
    // Each zone and conduit is computed on its own; in order, on all cores.
    targets
        .into_par_iter()
        .map(|(element, target)| {
            let (statuses, texts, achieved, weakest_capability) =
                one(model, catalogues, findings, today, rows, element, target);
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
}

fn rows(catalogues: &Catalogues) -> Rows<'_> {
    let all: Vec<&Requirement> = catalogues
        .requirements
        .iter()
        .filter(|r| r.fr.is_some())
        .collect();
    let mut by_fr: [Vec<usize>; 7] = Default::default();
    for (i, r) in all.iter().enumerate() {
        if let Some(list) = r.fr.and_then(|fr| by_fr.get_mut(fr)) {
            list.push(i);
        }
    }
    Rows { all, by_fr }
}

/// The statuses (with the texts they copy), SL-A and weakest SL-C of one zone or conduit.
type One = (Box<[Status]>, Vec<Box<str>>, SlVector, Option<SlVector>);

fn one(
    model: &Model,
    catalogues: &Catalogues,
    findings: &FindingIndex,
    today: Date,
    rows: &Rows,
    element: ElemId,
    target: SlVector,
) -> One {
    let zone = model.element(element).kind == ElementKind::Zone;
    let components = if zone {
        model.components_in(element)
    } else {
        model.graph.via(element)
    };
    let members: Vec<Member> = components
        .iter()
        .map(|&id| {
            let e = model.element(id);
            Member {
                id,
                capability: e.sl("sl_capability"),
                provides: crate::model::records::requirement_list(e.value("provides")),
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
    let mut texts = Vec::new();
    let mut achieved = [0u8; 7];
    let mut status_of = Vec::with_capacity(rows.all.len());
    for r in &rows.all {
        // A row no level up to the target selects cannot lower SL-A and is reported as not
        // selected: its status is not worth computing (most of the SL 3 and 4 enhancements).
        let goal = target.get(r.fr.unwrap_or(0));
        let relevant =
            goal > 0 && (r.selected_at(goal) || r.levels.iter().any(|&l| l >= 1 && l <= goal));
        status_of.push(if relevant {
            let place = Place {
                model,
                findings,
                today,
                element,
                members: &members,
                missing_evidence: &missing_evidence,
                zone,
            };
            status(&place, r, &mut texts)
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

/// What the capability check needs of each component, read once per zone rather than once
/// per requirement.
struct Member {
    id: ElemId,
    capability: Option<SlVector>,
    /// Requirement ids the component meets by itself, normalised.
    provides: Vec<String>,
}

/// The zone or conduit a status is computed for, and what is read once for it.
struct Place<'a> {
    model: &'a Model,
    findings: &'a FindingIndex<'a>,
    today: Date,
    element: ElemId,
    members: &'a [Member],
    missing_evidence: &'a [String],
    zone: bool,
}

/// The worst status of one requirement for one zone or conduit. Nothing ranks above "not met":
/// the first one found is the reason kept, so the search stops there. Texts a status copies
/// from a finding go to `texts`.
fn status(place: &Place, r: &Requirement, texts: &mut Vec<Box<str>>) -> Status {
    let model = place.model;
    let fr = r.fr.unwrap_or(0);
    let mut text = |s: &str| {
        texts.push(s.into());
        (texts.len() - 1) as u32
    };
    let mut worst = Status::Met;
    for kind in &r.checked_by {
        match kind {
            CheckKind::Capability => {
                for m in place.members {
                    let Some(capability) = m.capability else {
                        return Status::NotMet(Reason::NoCapability(m.id));
                    };
                    let level = capability.get(fr);
                    if (level > 0 && r.selected_at(level)) || m.provides.contains(&r.id) {
                        continue;
                    }
                    match compensation_for(model, &r.id, m.id, place.today) {
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
                for d in place
                    .findings
                    .get(&(r.id.as_str(), place.element))
                    .into_iter()
                    .flatten()
                {
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

pub const BELOW_TARGET: &str = "sl-achieved-below-target";

pub const BELOW_TARGET_DOC: &str = "## What it checks\nZones and conduits whose achieved security level SL-A is below their target SL-T in some FR. SL-A for an FR is the highest level, up to SL-T, at which every requirement the catalogue selects is met or compensated: capability through the components' SL-C, architecture through the policies bound to each requirement. Missing evidence is reported by `sr-evidence` and shown in `zonelint report`, but does not lower SL-A: SL-A is what the design achieves.\n\n## Why it matters\nSL-T is what the risk assessment asked for; SL-A is what the design delivers. The gap, FR by FR, is the summary an asset owner signs off on.\n\n## Example\n```iacs\nzone control {\n  sl_target = 2\n  component plc1 : embedded-device { sl_capability = [1, 2, 2, 2, 2, 2, 2] }\n}\n```\n\n## How to fix\nFix the findings listed for the FR (the notes name the first unmet requirement of each), or compensate them; `zonelint report` shows every requirement's status.";

/// A finding on each zone and conduit whose SL-A is below its SL-T, with the vectors side by side.
///
/// There is one per zone or conduit below target (a fifth of them in the generated fleets), so
/// the texts are assembled with `push_str` rather than `format!`: padding and `Display` through
/// the formatting machinery were most of this stage's time.
pub fn below_target(
    model: &Model,
    catalogues: &Catalogues,
    levels: &[Achieved],
) -> Vec<Diagnostic> {
    // `Achieved::statuses` lists these rows in this order (see `one`): reading them side by
    // side avoids looking each id up again, once per zone, FR and requirement.
    let rows = rows(catalogues);
    let mut out = Vec::new();
    for a in levels {
        let short: Vec<usize> = (0..7)
            .filter(|&i| a.achieved.get(i) < a.target.get(i))
            .collect();
        if short.is_empty() {
            continue;
        }
        let e = model.element(a.element);
        let mut frs = String::new();
        for (n, &fr) in short.iter().enumerate() {
            if n > 0 {
                frs.push_str(", ");
            }
            frs.push_str(FR_NAMES[fr]);
        }
        let mut message = String::with_capacity(80 + e.qid.len());
        message.push_str(e.kind.keyword());
        message.push_str(" `");
        message.push_str(&e.qid);
        message.push_str("` achieves SL-A ");
        push_vector(&mut message, a.achieved);
        message.push_str(" below its SL-T ");
        push_vector(&mut message, a.target);
        message.push_str(" in ");
        message.push_str(&frs);
        frs.insert_str(0, "SL-A below SL-T in ");
        let mut d = Diagnostic::warning(
            BELOW_TARGET,
            message,
            Label::new(e.name_at.file, e.name_at.span, frs),
        )
        .with_help("fix or compensate the requirements below; `zonelint report` lists every requirement's status");
        d.notes.push(vector_table(a));
        for &fr in &short {
            let level = a.achieved.get(fr) + 1;
            let first = rows.by_fr[fr].iter().copied().find(|&i| {
                let s = a.statuses[i];
                !s.achieved()
                    && !matches!(s, Status::NotSelected)
                    && rows.all[i].levels.contains(&level)
            });
            if let Some(i) = first {
                let (id, status) = (&*a.ids[i], a.statuses[i]);
                // `{FR} stops at {level}: {id} {status}`, where a status not met gives its reason.
                let mut note = String::with_capacity(64);
                note.push_str(FR_NAMES[fr]);
                note.push_str(" stops at ");
                push_number(&mut note, level - 1, 0);
                note.push_str(": ");
                note.push_str(id);
                note.push(' ');
                match status {
                    Status::NotMet(reason) => {
                        note.push_str("not met: ");
                        a.write_reason(model, reason, &mut note);
                    }
                    other => note.push_str(other.label()),
                }
                d.notes.push(note);
            }
        }
        d.finding = Some(Box::new(FindingInfo {
            element: e.qid.clone(),
            fingerprint: fingerprint(BELOW_TARGET, &e.qid),
            url: Some([crate::diagnostics::DOCS_URL, BELOW_TARGET, ".md"].concat()),
            state: FindingState::Open,
            ..FindingInfo::default()
        }));
        d.severity = Severity::Warning;
        out.push(d);
    }
    out
}

/// The SL-T, weakest SL-C and SL-A rows under the FR names, each cell four wide.
fn vector_table(a: &Achieved) -> String {
    let mut out = String::with_capacity(4 * (6 + 7 * 4));
    out.push_str("      ");
    for name in FR_NAMES {
        push_padded(&mut out, name, 4);
    }
    for (name, v) in [
        ("SL-T", Some(a.target)),
        ("SL-C", a.weakest_capability),
        ("SL-A", Some(a.achieved)),
    ] {
        out.push('\n');
        out.push_str(name);
        out.push_str(&"      "[name.len().min(6)..]);
        for i in 0..7 {
            match v {
                Some(v) => push_number(&mut out, v.get(i), 4),
                None => push_padded(&mut out, "-", 4),
            }
        }
    }
    out
}

/// `[1, 2, 2, 2, 1, 2, 2]`, as `SlVector`'s `Display` writes it.
fn push_vector(out: &mut String, v: SlVector) {
    out.push('[');
    for (i, level) in v.0.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_number(out, level, 0);
    }
    out.push(']');
}

/// `n` right-aligned in `width` columns, as `{n:>width}` writes it.
fn push_number(out: &mut String, n: u8, width: usize) {
    let digits = match n {
        0..10 => 1,
        10..100 => 2,
        _ => 3,
    };
    for _ in digits..width {
        out.push(' ');
    }
    if n >= 100 {
        out.push(char::from(b'0' + n / 100));
    }
    if n >= 10 {
        out.push(char::from(b'0' + n / 10 % 10));
    }
    out.push(char::from(b'0' + n % 10));
}

/// ASCII `text` right-aligned in `width` columns.
fn push_padded(out: &mut String, text: &str, width: usize) {
    for _ in text.len()..width {
        out.push(' ');
    }
    out.push_str(text);
}
