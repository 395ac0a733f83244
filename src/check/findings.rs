//! Running the policies: every breach becomes a diagnostic with a stable identity.

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Edit, FindingInfo, Fix, Label, Severity, fingerprint};
use crate::model::{ElemId, Model};
use crate::policy::eval::{BudgetExceeded, Caches, Evaluator, Hit};
use crate::policy::index::Indexes;
use crate::policy::{CompiledPolicy, PolicySet};
use crate::syntax::Span;

/// Steps one policy may take before it is stopped (see docs/limits.md). Real policies over a
/// 100,000-component model take a few million.
pub const POLICY_BUDGET: u64 = 200_000_000;

/// A policy that ran out of budget; reported against the policy, not the model.
pub struct Stopped {
    pub policy: String,
}

/// What one policy found in one run: its findings (before compensations and suppressions
/// change their state), or that it ran out of budget, and the compensations it used.
#[derive(Clone)]
pub struct PolicyOutcome {
    pub findings: Result<Vec<Diagnostic>, BudgetExceeded>,
    pub used: std::collections::HashSet<ElemId>,
}

pub fn run(
    model: &Model,
    policies: &PolicySet,
    today: crate::model::Date,
) -> (
    Vec<Diagnostic>,
    Vec<Stopped>,
    std::collections::HashSet<ElemId>,
) {
    let all: Vec<usize> = (0..policies.policies.len()).collect();
    collect(policies, run_some(model, policies, today, &all))
}

/// Runs the policies at `which` (indexes into `policies.policies`), in that order.
pub fn run_some(
    model: &Model,
    policies: &PolicySet,
    today: crate::model::Date,
    which: &[usize],
) -> Vec<PolicyOutcome> {
    // Policies are independent: each runs on its own evaluator (its own graph caches), on all
    // cores. Results are collected in policy order, so the report is the same on any machine.
    // The look-up tables behind `servers`, `evidence_for` and friends are pure functions of the
    // model: one set, built on first use, serves every policy.
    let indexes = Indexes::default();
    which
        .par_iter()
        .map(|&i| {
            let policy = &policies.policies[i];
            let _timing = crate::timings::start("policy", &policy.id);
            let caches = Caches::default();
            let mut evaluator = Evaluator::new(
                model,
                &policies.catalogues,
                &caches,
                &indexes,
                POLICY_BUDGET,
                today,
            );
            let findings = evaluator.run(policy).map(|hits| {
                hits.into_iter()
                    .map(|hit| to_diagnostic(model, policies, policy, hit))
                    .collect::<Vec<_>>()
            });
            PolicyOutcome {
                findings,
                used: caches.used_compensations.take().into_iter().collect(),
            }
        })
        .collect()
}

/// Joins the outcomes of every policy, in policy order, into the findings, the policies that
/// were stopped and the compensations used.
pub fn collect(
    policies: &PolicySet,
    outcomes: impl IntoIterator<Item = PolicyOutcome>,
) -> (
    Vec<Diagnostic>,
    Vec<Stopped>,
    std::collections::HashSet<ElemId>,
) {
    let mut diagnostics = Vec::new();
    let mut stopped = Vec::new();
    let mut used = std::collections::HashSet::new();
    for (policy, outcome) in policies.policies.iter().zip(outcomes) {
        match outcome.findings {
            Ok(found) => diagnostics.extend(found),
            Err(BudgetExceeded) => stopped.push(Stopped {
                policy: policy.id.clone(),
            }),
        }
        used.extend(outcome.used);
    }
    (diagnostics, stopped, used)
}

fn to_diagnostic(model: &Model, set: &PolicySet, policy: &CompiledPolicy, hit: Hit) -> Diagnostic {
    let element = model.element(hit.element);
    let requirement = policy
        .requirement
        .as_deref()
        .and_then(|r| set.catalogues.get(r));
    let mut d = Diagnostic {
        code: policy.id.clone(),
        severity: policy.severity,
        message: hit.message,
        primary: Label::new(hit.at.file, hit.at.span, hit.at_label),
        secondary: hit
            .labels
            .into_iter()
            .map(|(at, text)| Label::new(at.file, at.span, text))
            .collect(),
        help: hit.help,
        notes: Vec::new(),
        finding: None,
    };
    if let Some(r) = requirement {
        d.notes.push(concat(&[
            crate::diagnostics::REQUIREMENT_NOTE,
            &r.id,
            " (",
            &r.title,
            ")",
        ]));
    }
    let bound = hit.bound;
    let fix = hit
        .fix
        .map(|(title, target, attribute, value)| fix_edit(model, title, target, attribute, value));
    d.finding = Some(Box::new(FindingInfo {
        requirement: policy.requirement.clone(),
        fr: requirement.and_then(|r| r.fr_name()).map(str::to_string),
        element: element.qid.clone(),
        fingerprint: fingerprint(&policy.id, &identity(model, hit.element, &bound)),
        state: Default::default(),
        url: Some(concat(&[crate::diagnostics::DOCS_URL, &policy.id, ".md"])),
        fix,
    }));
    d
}

/// The primary element's qualified id, plus the other elements the loops were bound to: a
/// policy over pairs (an untrusted zone and the zone it reaches) reports each pair once.
fn identity(model: &Model, primary: ElemId, bound: &[String]) -> String {
    let mut out = model.element(primary).qid.clone();
    for part in bound {
        out.push('|');
        out.push_str(part);
    }
    out
}

/// The pieces joined into one string of exactly their length: `format!` costs about a
/// thousand instructions per call, and every finding needs two of these.
fn concat(pieces: &[&str]) -> String {
    let mut out = String::with_capacity(pieces.iter().map(|p| p.len()).sum());
    for piece in pieces {
        out.push_str(piece);
    }
    out
}

/// An edit that sets `attribute` on `target`: replaces the value when it is written, or adds a
/// line before the element's closing brace.
fn fix_edit(
    model: &Model,
    title: String,
    target: ElemId,
    attribute: &'static str,
    value: String,
) -> Fix {
    let element = model.element(target);
    let edit = match element.attr(attribute).filter(|a| !a.inherited) {
        Some(a) => Edit {
            file: a.value_at.file,
            span: a.value_at.span,
            replacement: value,
        },
        None => {
            let text = &model.sources.get(element.at.file).text;
            let item = &text[element.at.span.start..element.at.span.end];
            match item.rfind('}') {
                Some(close) => {
                    let at = element.at.span.start + close;
                    let indent = line_indent(text, element.at.span.start);
                    Edit {
                        file: element.at.file,
                        span: Span::new(at, at),
                        replacement: format!("  {attribute} = {value}\n{indent}"),
                    }
                }
                None => {
                    let at = element.at.span.end;
                    Edit {
                        file: element.at.file,
                        span: Span::new(at, at),
                        replacement: format!(" {{ {attribute} = {value} }}"),
                    }
                }
            }
        }
    };
    Fix {
        description: title,
        edits: vec![edit],
    }
}

fn line_indent(text: &str, offset: usize) -> String {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// Engine rules: what the engine reports itself, documented like policies.
pub const ENGINE_RULES: &[(&str, &str, Severity, &str)] = &[
    (
        "compensation-expired",
        "Compensating countermeasure past its expiry date",
        Severity::Error,
        "## What it checks\nA `compensation` whose `expires` date has passed.\n\n## Why it matters\nRisk acceptance is given for a time; after it the measure must be reviewed. An expired record no longer compensates anything, so the findings it covered are reported again.\n\n## Example\n```iacs\ncompensation plc_auth { requirement = \"SR 1.1 RE 1\" element = plc1 reason = \"...\" accepted_by = \"...\" expires = 2024-01-31 }\n```\n\n## How to fix\nReview the measure; renew the acceptance with a new `expires` date, or fix the underlying gap and delete the record.",
    ),
    (
        "compensation-unused",
        "Compensating countermeasure that matches no finding",
        Severity::Warning,
        "## What it checks\nA `compensation` for a requirement and element that no check reports as failing.\n\n## Why it matters\nStale risk records hide what really compensates what, and misspelt ones silently fail to cover the finding they were meant for.\n\n## Example\n```iacs\ncompensation old { requirement = \"SR 5.2\" element = dmz reason = \"...\" accepted_by = \"...\" expires = 2030-01-01 }\n```\n\n## How to fix\nCheck the requirement id and element; delete the record if the gap was closed.",
    ),
    (
        "suppression-unused",
        "Suppression that silences nothing",
        Severity::Warning,
        "## What it checks\nA `suppress` for a rule that reports nothing on that element (or in that file).\n\n## Why it matters\nLeft-over suppressions would silently hide a future finding of the same rule.\n\n## Example\n```iacs\nzone dmz { suppress \"dd-purdue-step\" { reason = \"legacy\" } }\n```\n\n## How to fix\nDelete the suppression, or check the rule id.",
    ),
    (
        "policy-budget-exceeded",
        "Policy stopped: evaluation budget exceeded",
        Severity::Error,
        "## What it checks\nA policy that took more evaluation steps than the limit (see docs/limits.md).\n\n## Why it matters\nEvaluation must finish on every model; a policy that iterates over pairs of large collections can grow quadratically.\n\n## Example\nA custom policy with `for a in components` and `for b in components` on a model with 100,000 components.\n\n## How to fix\nNarrow the loops with `where` clauses before the inner `for`, or use graph built-ins such as `path` and `reaches` instead of pairs.",
    ),
];
