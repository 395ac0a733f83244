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

/// For each element, the findings about it or about something inside it, in report order:
/// a compensation or suppression then looks only at the findings it can apply to.
fn findings_inside(model: &Model, diagnostics: &[Diagnostic]) -> HashMap<ElemId, Vec<usize>> {
    let mut inside: HashMap<ElemId, Vec<usize>> = HashMap::new();
    for (i, d) in diagnostics.iter().enumerate() {
        let Some(subject) = d.finding.as_deref().and_then(|f| model.lookup(&f.element)) else {
            continue;
        };
        for around in model.enclosing(subject) {
            inside.entry(around).or_default().push(i);
        }
    }
    inside
}

fn same_rule(written: &str, code: &str, requirement: Option<&str>) -> bool {
    let written = reqid::normalize(written).unwrap_or_else(|| written.to_ascii_lowercase());
    written.eq_ignore_ascii_case(code) || requirement.is_some_and(|r| r == written)
}

/// `used`: compensations the policies already counted (capability gaps they covered).
pub fn apply_compensations(
    model: &Model,
    diagnostics: &mut Vec<Diagnostic>,
    today: Date,
    used_by_policies: &std::collections::HashSet<ElemId>,
) {
    let inside = findings_inside(model, diagnostics);
    let mut extra = Vec::new();
    for &comp in model.all(ElementKind::Compensation) {
        let record = model.element(comp);
        let Some(target) = record.value("element").and_then(Value::as_ref) else {
            continue;
        };
        let requirements: Vec<String> = record
            .value("requirement")
            .map(|v| {
                v.as_list()
                    .iter()
                    .filter_map(|r| r.as_str().map(str::to_string))
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
        for &i in inside.get(&target).map_or(&[][..], Vec::as_slice) {
            let d = &mut diagnostics[i];
            let Some(info) = d.finding.as_deref_mut() else {
                continue;
            };
            if info.state != FindingState::Open {
                continue;
            }
            let covers = requirements
                .iter()
                .any(|r| same_rule(r, &d.code, info.requirement.as_deref()));
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

pub fn apply_suppressions(model: &Model, diagnostics: &mut Vec<Diagnostic>) {
    let inside = findings_inside(model, diagnostics);
    let mut in_file: HashMap<FileId, Vec<usize>> = HashMap::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if d.finding.is_some() {
            in_file.entry(d.primary.file).or_default().push(i);
        }
    }
    let mut extra = Vec::new();
    for suppression in &model.suppressions {
        let mut used = false;
        // Findings on the element or inside it; for a file-level suppression, those in its file.
        let candidates = match suppression.element {
            Some(owner) => inside.get(&owner),
            None => in_file.get(&suppression.at.file),
        };
        for &i in candidates.map_or(&[][..], Vec::as_slice) {
            let d = &mut diagnostics[i];
            let Some(info) = d.finding.as_deref_mut() else {
                continue;
            };
            if info.state == FindingState::Open
                && same_rule(&suppression.rule, &d.code, info.requirement.as_deref())
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
