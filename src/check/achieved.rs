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

use crate::diagnostics::{Diagnostic, FindingInfo, FindingState, Label, Severity, fingerprint};
use crate::model::value::FR_NAMES;
use crate::model::{Date, ElemId, ElementKind, Model, SlVector, Value};
use crate::policy::capability::{compensation_for, evidence_missing};
use crate::policy::{Catalogues, CheckKind, Requirement};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Met,
    NotMet { reason: String },
    Compensated { by: String },
    EvidenceMissing,
    NotSelected,
}

impl Status {
    pub fn label(&self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::NotMet { .. } => "not met",
            Status::Compensated { .. } => "compensated",
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
            Status::Met | Status::Compensated { .. } | Status::EvidenceMissing
        )
    }
    fn rank(&self) -> u8 {
        match self {
            Status::NotMet { .. } => 4,
            Status::EvidenceMissing => 3,
            Status::Compensated { .. } => 2,
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
    /// Every IEC 62443-3-3 requirement, with its status for this element.
    /// The ids are shared with every other zone's list: one allocation per requirement, not
    /// per zone and requirement.
    pub requirements: Vec<(std::sync::Arc<str>, Status)>,
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
    let ids: Vec<std::sync::Arc<str>> = catalogues
        .requirements
        .iter()
        .filter(|r| r.fr.is_some())
        .map(|r| r.id.as_str().into())
        .collect();
    let ids = &ids;
    // Each zone and conduit is computed on its own; in order, on all cores.
    targets
        .into_par_iter()
        .map(|(element, target)| one(model, catalogues, findings, today, ids, element, target))
        .collect()
}

fn one(
    model: &Model,
    catalogues: &Catalogues,
    findings: &FindingIndex,
    today: Date,
    ids: &[std::sync::Arc<str>],
    element: ElemId,
    target: SlVector,
) -> Achieved {
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
                qid: &e.qid,
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
    let rows: Vec<&Requirement> = catalogues
        .requirements
        .iter()
        .filter(|r| r.fr.is_some())
        .collect();
    let mut requirements = Vec::with_capacity(rows.len());
    let mut achieved = [0u8; 7];
    let mut status_of = Vec::with_capacity(rows.len());
    for r in &rows {
        // A row no level up to the target selects cannot lower SL-A and is reported as not
        // selected: its status is not worth computing (most of the SL 3 and 4 enhancements).
        let goal = target.get(r.fr.unwrap_or(0));
        let relevant =
            goal > 0 && (r.selected_at(goal) || r.levels.iter().any(|&l| l >= 1 && l <= goal));
        status_of.push(if relevant {
            status(
                model,
                findings,
                today,
                element,
                &members,
                &missing_evidence,
                r,
                zone,
            )
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
                    || rows
                        .iter()
                        .zip(&status_of)
                        .filter(|(r, _)| r.fr == Some(fr) && r.levels.contains(&l))
                        .all(|(_, s)| s.achieved())
            })
            .unwrap_or(0);
    }
    for ((r, status), id) in rows.iter().zip(status_of).zip(ids) {
        let fr = r.fr.unwrap_or(0);
        let selected = target.get(fr) > 0 && r.selected_at(target.get(fr));
        requirements.push((
            id.clone(),
            if selected {
                status
            } else {
                Status::NotSelected
            },
        ));
    }
    Achieved {
        element,
        target,
        weakest_capability,
        achieved: SlVector(achieved),
        requirements,
    }
}

/// What the capability check needs of each component, read once per zone rather than once
/// per requirement.
struct Member<'m> {
    id: ElemId,
    qid: &'m str,
    capability: Option<SlVector>,
    /// Requirement ids the component meets by itself, normalised.
    provides: Vec<String>,
}

/// The worst status of one requirement for one zone or conduit. Nothing ranks above "not met":
/// the first one found is the reason kept, so the search stops there.
#[allow(clippy::too_many_arguments)]
fn status(
    model: &Model,
    findings: &FindingIndex,
    today: Date,
    element: ElemId,
    members: &[Member],
    missing_evidence: &[String],
    r: &Requirement,
    zone: bool,
) -> Status {
    let fr = r.fr.unwrap_or(0);
    let mut worst = Status::Met;
    let mut consider = |s: Status| {
        if s.rank() > worst.rank() {
            worst = s;
        }
    };
    for kind in &r.checked_by {
        match kind {
            CheckKind::Capability => {
                for m in members {
                    let Some(capability) = m.capability else {
                        consider(Status::NotMet {
                            reason: format!("`{}` has no SL-C", m.qid),
                        });
                        return worst;
                    };
                    let level = capability.get(fr);
                    if (level > 0 && r.selected_at(level)) || m.provides.contains(&r.id) {
                        continue;
                    }
                    match compensation_for(model, &r.id, m.id, today) {
                        Some(by) => consider(Status::Compensated {
                            by: model.element(by).qid.clone(),
                        }),
                        None => {
                            consider(Status::NotMet {
                                reason: format!("SL-C({}) of `{}` is {level}", FR_NAMES[fr], m.qid),
                            });
                            return worst;
                        }
                    }
                }
            }
            CheckKind::Architecture => {
                for d in findings
                    .get(&(r.id.as_str(), element))
                    .into_iter()
                    .flatten()
                {
                    let info = d.finding.as_deref().expect("filtered on findings");
                    match &info.state {
                        FindingState::Open => {
                            consider(Status::NotMet {
                                reason: d.message.clone(),
                            });
                            return worst;
                        }
                        FindingState::Compensated { by } => {
                            consider(Status::Compensated { by: by.clone() })
                        }
                        FindingState::Suppressed { reason } => {
                            consider(Status::NotMet {
                                reason: format!("suppressed: {reason}"),
                            });
                            return worst;
                        }
                    }
                }
            }
            CheckKind::Evidence if zone => {
                if missing_evidence.contains(&r.id) {
                    consider(Status::EvidenceMissing);
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
pub fn below_target(
    model: &Model,
    catalogues: &Catalogues,
    levels: &[Achieved],
) -> Vec<Diagnostic> {
    // `Achieved::requirements` lists these rows in this order (see `one`): reading them side by
    // side avoids looking each id up again, once per zone, FR and requirement.
    let rows: Vec<&Requirement> = catalogues
        .requirements
        .iter()
        .filter(|r| r.fr.is_some())
        .collect();
    let mut out = Vec::new();
    for a in levels {
        let short: Vec<usize> = (0..7)
            .filter(|&i| a.achieved.get(i) < a.target.get(i))
            .collect();
        if short.is_empty() {
            continue;
        }
        let e = model.element(a.element);
        let frs: Vec<&str> = short.iter().map(|&i| FR_NAMES[i]).collect();
        let mut d = Diagnostic::warning(
            BELOW_TARGET,
            format!("{} `{}` achieves SL-A {} below its SL-T {} in {}", e.kind.keyword(), e.qid, a.achieved, a.target, frs.join(", ")),
            Label::new(e.name_at.file, e.name_at.span, format!("SL-A below SL-T in {}", frs.join(", "))),
        )
        .with_help("fix or compensate the requirements below; `zonelint report` lists every requirement's status");
        d.notes.push(vector_table(a));
        for &fr in &short {
            let level = a.achieved.get(fr) + 1;
            if let Some(((id, status), _)) = a.requirements.iter().zip(&rows).find(|((_, s), r)| {
                !s.achieved()
                    && !matches!(s, Status::NotSelected)
                    && r.fr == Some(fr)
                    && r.levels.contains(&level)
            }) {
                let why = match status {
                    Status::NotMet { reason } => format!("not met: {reason}"),
                    other => other.label().to_string(),
                };
                d.notes.push(format!(
                    "{} stops at {}: {id} {why}",
                    FR_NAMES[fr],
                    level - 1
                ));
            }
        }
        d.finding = Some(Box::new(FindingInfo {
            element: e.qid.clone(),
            fingerprint: fingerprint(BELOW_TARGET, &e.qid),
            url: Some(format!("{}{BELOW_TARGET}.md", crate::diagnostics::DOCS_URL)),
            state: FindingState::Open,
            ..FindingInfo::default()
        }));
        d.severity = Severity::Warning;
        out.push(d);
    }
    out
}

fn vector_table(a: &Achieved) -> String {
    use std::fmt::Write;
    // Written into one string: there is a table per zone or conduit below target.
    let mut out = format!("{:<6}", "");
    for name in FR_NAMES {
        let _ = write!(out, "{name:>4}");
    }
    for (name, v) in [
        ("SL-T", Some(a.target)),
        ("SL-C", a.weakest_capability),
        ("SL-A", Some(a.achieved)),
    ] {
        let _ = write!(out, "\n{name:<6}");
        for i in 0..7 {
            match v {
                Some(v) => write!(out, "{:>4}", v.get(i)),
                None => write!(out, "{:>4}", "-"),
            }
            .ok();
        }
    }
    out
}
