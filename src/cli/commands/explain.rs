//! `zonelint explain ID`: what a rule or requirement is, how zonelint checks it, a failing
//! example and the fix. Accepts ids as users type them (`SR 5.2`, `sr5.2`, `SR-5.2-RE-1`).

use std::path::PathBuf;

use clap::Args;

use crate::check;
use crate::cli::Outcome;
use crate::cli::commands::check::{Color, load_policies, render_options};
use crate::diagnostics::{CodeDoc, MODEL_CODES, RuleDoc, closest, model_code};
use crate::model::reqid;
use crate::policy::{CheckKind, PolicySet, Requirement};

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule id (`dd-untrusted-path`) or a requirement id (`SR 5.2 RE 1`, `sr5.2(1)`, `ZCR 3.3`).
    #[arg(required = true, num_args = 1..)]
    pub id: Vec<String>,

    /// Also load custom policies from this directory (repeatable).
    #[arg(long = "policies", value_name = "DIR")]
    pub policy_dirs: Vec<PathBuf>,
}

pub fn run(args: &ExplainArgs) -> Outcome {
    let policies = match load_policies(&args.policy_dirs, None, render_options(Color::Auto)) {
        Ok(p) => p,
        Err(outcome) => return outcome,
    };
    // `zonelint explain SR 5.2 RE 1` arrives as four words.
    let id = args.id.join(" ");
    match explain(&policies, &id) {
        Ok(text) => {
            print!("{text}");
            Outcome::Clean
        }
        Err(message) => {
            eprintln!("error: {message}");
            Outcome::Failure
        }
    }
}

/// The explanation of `id`, or an error naming the nearest known ids.
pub fn explain(policies: &PolicySet, id: &str) -> Result<String, String> {
    if let Some(r) = reqid::normalize(id).and_then(|n| policies.catalogues.get(&n)) {
        return Ok(requirement(policies, r));
    }
    let rules = check::rule_docs(policies);
    if let Some(rule) = rules.iter().find(|r| r.id.eq_ignore_ascii_case(id.trim())) {
        return Ok(rule_text(policies, rule));
    }
    if let Some(code) = model_code(&id.trim().to_ascii_lowercase()) {
        return Ok(code_text(code));
    }
    let ids: Vec<&str> = rules
        .iter()
        .map(|r| r.id.as_str())
        .chain(policies.catalogues.ids())
        .chain(MODEL_CODES.iter().map(|c| c.code))
        .collect();
    let suggestion = nearest(id, &ids);
    Err(match suggestion {
        Some(s) => format!("unknown rule, requirement or code `{id}`; did you mean `{s}`?"),
        None => format!(
            "unknown rule, requirement or code `{id}`; `zonelint policies` lists the rules, \
             docs/codes/ the codes"
        ),
    })
}

fn nearest<'a>(id: &str, ids: &[&'a str]) -> Option<&'a str> {
    let normalized = reqid::normalize(id).unwrap_or_else(|| id.to_string());
    closest(&normalized, ids.iter().copied()).or_else(|| {
        // A requirement with an enhancement that does not exist (`SR 5.2 RE 9`): its base SR.
        let base = normalized.split(" RE ").next().unwrap_or_default();
        ids.iter().copied().find(|i| *i == base)
    })
}

fn requirement(policies: &PolicySet, r: &Requirement) -> String {
    let mut out = format!("{} — {}\n", r.id, r.title);
    let catalogue = policies
        .catalogues
        .titles
        .iter()
        .find(|(id, _)| *id == r.catalogue)
        .map_or(r.catalogue.as_str(), |(_, t)| t.as_str());
    out.push_str(&format!("catalogue: {catalogue}\n"));
    if let Some(fr) = r.fr_name() {
        let levels: Vec<String> = r.levels.iter().map(u8::to_string).collect();
        out.push_str(&format!(
            "FR: {fr}    selected at SL-T: {}\n",
            if levels.is_empty() {
                "never".into()
            } else {
                levels.join(", ")
            }
        ));
    }
    let kinds: Vec<&str> = r.checked_by.iter().map(|k| k.as_str()).collect();
    out.push_str(&format!("checked by: {}\n\n", kinds.join(", ")));
    for text in [&r.summary, &r.description] {
        if !text.is_empty() {
            out.push_str(text);
            out.push_str("\n\n");
        }
    }
    if !r.rationale.is_empty() {
        out.push_str(&format!("Why it matters: {}\n\n", r.rationale));
    }
    let mut how: Vec<String> = policies
        .checking(&r.id)
        .map(|p| format!("  {} ({}): {}", p.id, p.severity.as_str(), p.title))
        .collect();
    if r.is_checked_by(CheckKind::Capability) {
        how.push("  sr-capability: each component's SL-C against its zone's SL-T (with `provides` and compensations)".into());
    }
    if r.is_checked_by(CheckKind::Evidence) {
        how.push("  sr-evidence: an `evidence` record whose `requirement` lists it, in scope of the zone".into());
    }
    if r.is_checked_by(CheckKind::Process) {
        how.push(
            "  not checked: a process step no model can show; listed in `zonelint report`".into(),
        );
    }
    if !how.is_empty() {
        out.push_str("How zonelint checks it:\n");
        out.push_str(&how.join("\n"));
        out.push('\n');
        if let Some(first) = policies.checking(&r.id).next() {
            out.push_str(&format!(
                "\nRun `zonelint explain {}` for an example and the fix.\n",
                first.id
            ));
        }
    }
    out
}

/// A model error code: its page from docs/codes/.
fn code_text(code: &CodeDoc) -> String {
    format!(
        "{} — model error\n\n{}\n\nDocumentation: {}\n",
        code.code,
        code.body(),
        code.url()
    )
}

fn rule_text(policies: &PolicySet, rule: &RuleDoc) -> String {
    let mut out = format!("{} — {}\n", rule.id, rule.title);
    out.push_str(&format!(
        "pack: {}    severity: {}",
        rule.pack,
        rule.severity.as_str()
    ));
    if let Some(req) = &rule.requirement {
        let title = policies
            .catalogues
            .get(req)
            .map_or(String::new(), |r| format!(" ({})", r.title));
        out.push_str(&format!("    requirement: {req}{title}"));
    }
    out.push_str("\n\n");
    out.push_str(rule.doc.trim());
    out.push_str(&format!("\n\nDocumentation: {}\n", rule.url()));
    out
}
