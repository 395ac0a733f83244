//! Accepting risk: compensating countermeasures and suppressions written in the model.
//!
//! A compensated finding stays in the report, marked compensated (and no longer failing the
//! run); a suppressed one is marked suppressed. Records that are expired or unused are findings
//! in their own right.

use std::collections::HashMap;

use crate::diagnostics::{
    Diagnostic, FileId, FindingInfo, FindingState, Label, Severity, fingerprint,
};
use crate::model::{Date, ElemId, ElementKind, Model, Value, reqid};

use super::findings::ENGINE_RULES;

/// Whether element `inner` is `outer` or lies inside it (a component in a zone, a flow in a
/// conduit, a zone nested in a zone).
pub fn within(model: &Model, inner: ElemId, outer: ElemId) -> bool {
    model.enclosing(inner).any(|e| e == outer)
}

/// For each element a compensation or suppression is written on, the findings about it or
/// about something inside it, in report order: a record then looks only at the findings it
/// can apply to. Only those elements are keys, so a finding costs a walk up its enclosing
/// elements and a look-up at each step.
struct Inside(HashMap<ElemId, Vec<usize>, foldhash::fast::FixedState>);

impl Inside {
    fn new(owners: impl IntoIterator<Item = ElemId>) -> Inside {
        Inside(owners.into_iter().map(|e| (e, Vec::new())).collect())
    }

    /// Adds the diagnostics from position `from` on, which follow the ones added before, by
    /// their `subjects`.
    fn add(&mut self, model: &Model, subjects: &[Option<ElemId>], from: usize) {
        use rayon::prelude::*;
        if self.0.is_empty() {
            return;
        }
        // The walks are found on all cores, and filed in report order: few findings lie
        // inside an element with a record.
        let owners = &self.0;
        let found: Vec<(usize, ElemId)> = subjects[from..]
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, subject)| {
                subject
                    .iter()
                    .flat_map(|&subject| model.enclosing(subject))
                    .filter(|around| owners.contains_key(around))
                    .map(move |around| (from + i, around))
            })
            .collect();
        for (i, around) in found {
            if let Some(list) = self.0.get_mut(&around) {
                list.push(i);
            }
        }
    }

    fn of(&self, element: ElemId) -> &[usize] {
        self.0.get(&element).map_or(&[], Vec::as_slice)
    }
}

/// A rule or requirement id as a compensation or suppression writes it, normalised once,
/// matched against findings.
struct Written(String);

impl Written {
    fn new(written: &str) -> Written {
        Written(reqid::normalize(written).unwrap_or_else(|| written.to_ascii_lowercase()))
    }

    /// Whether a finding of rule `code` bound to `requirement` is the one meant.
    fn names(&self, code: &str, requirement: Option<&str>) -> bool {
        self.0.eq_ignore_ascii_case(code) || requirement.is_some_and(|r| r == self.0)
    }
}

/// The element each diagnostic is about, by its qualified id: `None` for a model error or an
/// id that names nothing. Compensations, suppressions and achieved levels all need it, so it is
/// looked up once, on all cores.
pub fn subjects(model: &Model, diagnostics: &[Diagnostic]) -> Vec<Option<ElemId>> {
    use rayon::prelude::*;
    diagnostics.par_iter().map(|d| subject(model, d)).collect()
}

fn subject(model: &Model, d: &Diagnostic) -> Option<ElemId> {
    d.finding.as_deref().and_then(|f| model.lookup(&f.element))
}

/// Applies the compensations, then the suppressions, written in the model to the findings,
/// and adds a finding for each record that is expired or matches nothing.
/// `subjects`: what [`subjects`] gives for the findings; the added findings' are appended.
/// `used_by_policies`: compensations the policies already counted (capability gaps they
/// covered).
pub fn apply(
    model: &Model,
    diagnostics: &mut Vec<Diagnostic>,
    subjects: &mut Vec<Option<ElemId>>,
    today: Date,
    used_by_policies: &std::collections::HashSet<ElemId>,
) {
    debug_assert_eq!(subjects.len(), diagnostics.len());
    let compensated = model
        .all(ElementKind::Compensation)
        .iter()
        .filter_map(|&c| model.element(c).value("element").and_then(Value::as_ref));
    let suppressed = model.suppressions.iter().filter_map(|s| s.element);
    let mut inside = Inside::new(compensated.chain(suppressed));
    inside.add(model, subjects, 0);
    let before = diagnostics.len();
    apply_compensations(model, diagnostics, today, used_by_policies, &inside);
    subjects.extend(diagnostics[before..].iter().map(|d| subject(model, d)));
    // The compensations' own findings (expired, unused) can be suppressed too.
    inside.add(model, subjects, before);
    let before = diagnostics.len();
    apply_suppressions(model, diagnostics, &inside);
    subjects.extend(diagnostics[before..].iter().map(|d| subject(model, d)));
}

fn apply_compensations(
    model: &Model,
    diagnostics: &mut Vec<Diagnostic>,
    today: Date,
    used_by_policies: &std::collections::HashSet<ElemId>,
    inside: &Inside,
) {
    let mut extra = Vec::new();
    for &comp in model.all(ElementKind::Compensation) {
        let record = model.element(comp);
        let Some(target) = record.value("element").and_then(Value::as_ref) else {
            continue;
        };
        let requirements: Vec<Written> = record
            .value("requirement")
            .map(|v| {
                v.as_list()
                    .iter()
                    .filter_map(|r| r.as_str().map(Written::new))
                    .collect()
            })
            .unwrap_or_default();
        let expires = record.value("expires").and_then(|v| match v {
            Value::Date(d) => Some(*d),
            _ => None,
        });
        if let Some(expires) = expires.filter(|d| *d < today) {
            let at = record
                .attr("expires")
                .map_or(record.name_at, |a| a.value_at);
            extra.push(engine_finding(
                model,
                "compensation-expired",
                comp,
                format!("compensation `{}` expired on {expires}", record.qid),
                Label::new(at.file, at.span, "expired"),
                "review the measure and renew it with a new `expires` date, or close the gap and delete the record",
            ));
            continue;
        }
        let mut used = used_by_policies.contains(&comp);
        for &i in inside.of(target) {
            let d = &mut diagnostics[i];
            let Some(info) = d.finding.as_deref_mut() else {
                continue;
            };
            if info.state != FindingState::Open {
                continue;
            }
            let covers = requirements
                .iter()
                .any(|r| r.names(&d.code, info.requirement.as_deref()));
            if covers {
                used = true;
                info.state = FindingState::Compensated {
                    by: record.qid.clone(),
                };
                d.severity = Severity::Info;
                let accepted = record
                    .value("accepted_by")
                    .and_then(Value::as_str)
                    .unwrap_or("?");
                let until = expires.map_or_else(String::new, |e| format!(", until {e}"));
                d.notes.push(format!(
                    "compensated by `{}` (accepted by {accepted}{until})",
                    record.qid
                ));
                d.secondary.push(Label::new(
                    record.name_at.file,
                    record.name_at.span,
                    "compensating countermeasure",
                ));
            }
        }
        if !used {
            extra.push(engine_finding(
                model,
                "compensation-unused",
                comp,
                format!("compensation `{}` matches no finding", record.qid),
                Label::new(
                    record.name_at.file,
                    record.name_at.span,
                    "compensates nothing",
                ),
                "check the requirement id and the element; delete the record if the gap was closed",
            ));
        }
    }
    diagnostics.extend(extra);
}

fn apply_suppressions(model: &Model, diagnostics: &mut Vec<Diagnostic>, inside: &Inside) {
    // Findings by file, for file-level suppressions; most models have none.
    let mut in_file: HashMap<FileId, Vec<usize>> = HashMap::new();
    if model.suppressions.iter().any(|s| s.element.is_none()) {
        for (i, d) in diagnostics.iter().enumerate() {
            if d.finding.is_some() {
                in_file.entry(d.primary.file).or_default().push(i);
            }
        }
    }
    let mut extra = Vec::new();
    for suppression in &model.suppressions {
        let rule = Written::new(&suppression.rule);
        let mut used = false;
        // Findings on the element or inside it; for a file-level suppression, those in its file.
        let candidates = match suppression.element {
            Some(owner) => inside.of(owner),
            None => in_file
                .get(&suppression.at.file)
                .map_or(&[][..], Vec::as_slice),
        };
        for &i in candidates {
            let d = &mut diagnostics[i];
            let Some(info) = d.finding.as_deref_mut() else {
                continue;
            };
            if info.state == FindingState::Open && rule.names(&d.code, info.requirement.as_deref())
            {
                used = true;
                info.state = FindingState::Suppressed {
                    reason: suppression.reason.clone(),
                };
            }
        }
        if !used {
            let owner = suppression
                .element
                .map(|e| model.element(e).qid.clone())
                .unwrap_or_else(|| model.sources.get(suppression.at.file).name.clone());
            let mut d = Diagnostic::warning(
                "suppression-unused",
                format!("the suppression of `{}` silences nothing", suppression.rule),
                Label::new(
                    suppression.at.file,
                    suppression.at.span,
                    "no finding to silence",
                ),
            )
            .with_help("delete it, or check the rule id");
            d.finding = Some(Box::new(FindingInfo {
                element: owner.clone(),
                fingerprint: fingerprint(
                    "suppression-unused",
                    &format!("{owner}#{}", suppression.rule),
                ),
                url: Some(format!(
                    "{}suppression-unused.md",
                    crate::diagnostics::DOCS_URL
                )),
                ..FindingInfo::default()
            }));
            extra.push(d);
        }
    }
    diagnostics.extend(extra);
}

fn engine_finding(
    model: &Model,
    rule: &str,
    element: ElemId,
    message: String,
    primary: Label,
    help: &str,
) -> Diagnostic {
    let severity = ENGINE_RULES
        .iter()
        .find(|r| r.0 == rule)
        .map_or(Severity::Warning, |r| r.2);
    let qid = model.element(element).qid.clone();
    let mut d = Diagnostic::error(rule, message, primary).with_help(help);
    d.severity = severity;
    d.finding = Some(Box::new(FindingInfo {
        element: qid.clone(),
        fingerprint: fingerprint(rule, &qid),
        url: Some(format!("{}{rule}.md", crate::diagnostics::DOCS_URL)),
        ..FindingInfo::default()
    }));
    d
}
