//! Policy documentation: the `///` Markdown above each policy, checked for the sections every
//! rule must have, and turned into [`RuleDoc`]s.

use super::{CompiledPolicy, PolicySet};
use crate::diagnostics::RuleDoc;

/// The headings every built-in policy documents itself with, in order.
pub const SECTIONS: [&str; 4] = [
    "## What it checks",
    "## Why it matters",
    "## Example",
    "## How to fix",
];

/// Sections missing from a policy's documentation.
pub fn missing_sections(doc: &str) -> Vec<&'static str> {
    SECTIONS
        .iter()
        .copied()
        .filter(|s| !doc.lines().any(|l| l.trim() == *s))
        .collect()
}

pub fn rule_doc(set: &PolicySet, policy: &CompiledPolicy) -> RuleDoc {
    let fr = policy
        .requirement
        .as_deref()
        .and_then(|r| set.catalogues.get(r))
        .and_then(|r| r.fr_name())
        .map(|n| {
            format!(
                "FR{} {n}",
                crate::model::value::fr_index(n).map_or(0, |i| i + 1)
            )
        });
    RuleDoc {
        id: policy.id.clone(),
        title: policy.title.clone(),
        doc: policy.doc.clone(),
        requirement: policy.requirement.clone(),
        fr,
        severity: policy.severity,
        pack: policy.pack.clone(),
        tags: policy.tags.clone(),
    }
}

/// The first paragraph under a heading, for one-line summaries.
pub fn section<'a>(doc: &'a str, heading: &str) -> Option<&'a str> {
    let start = doc.find(heading)? + heading.len();
    let rest = doc[start..].trim_start();
    let end = rest
        .find("\n\n")
        .or_else(|| rest.find("\n#"))
        .unwrap_or(rest.len());
    Some(rest[..end].trim())
}
