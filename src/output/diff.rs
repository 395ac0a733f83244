//! `zonelint diff` output: a human summary, or the [`ModelDiff`] as JSON.

use std::fmt::Write;

use serde::Serialize;

use crate::check::diff::{Crossing, ModelDiff};

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    #[serde(flatten)]
    diff: &'a ModelDiff,
}

pub fn json(diff: &ModelDiff) -> String {
    let mut out = serde_json::to_string_pretty(&Document { version: 1, diff })
        .expect("the diff is plain data");
    out.push('\n');
    out
}

pub fn human(diff: &ModelDiff) -> String {
    if diff.is_empty() {
        return "no changes to zones, conduits, components, flows, SL-T or findings\n".into();
    }
    let mut out = String::new();
    for e in &diff.added {
        let _ = writeln!(out, "+ {} {}", e.kind.keyword(), e.qid);
    }
    for e in &diff.removed {
        let _ = writeln!(out, "- {} {}", e.kind.keyword(), e.qid);
    }
    for change in &diff.sl_target_changes {
        let parts: Vec<String> = change
            .frs
            .iter()
            .map(|f| {
                let way = if f.raised() { "raised" } else { "lowered" };
                format!("{} {} {}→{}", f.fr, way, f.old, f.new)
            })
            .collect();
        let detail = if parts.is_empty() {
            match (change.old, change.new) {
                (None, Some(_)) => "now set".to_string(),
                _ => "removed".to_string(),
            }
        } else {
            parts.join(", ")
        };
        let _ = writeln!(
            out,
            "~ SL-T of {} {}: {detail}",
            change.kind.keyword(),
            change.qid
        );
    }
    crossings(&mut out, "+ new zone crossing", &diff.new_crossings);
    crossings(&mut out, "- zone crossing removed", &diff.removed_crossings);
    for f in &diff.findings_introduced {
        let _ = writeln!(
            out,
            "+ {}[{}] {}{}",
            f.severity,
            f.rule,
            f.message,
            on(f.element.as_deref())
        );
    }
    for f in &diff.findings_fixed {
        let _ = writeln!(
            out,
            "✓ fixed {}[{}] {}{}",
            f.severity,
            f.rule,
            f.message,
            on(f.element.as_deref())
        );
    }
    let _ = writeln!(
        out,
        "\n{} added, {} removed, {} SL-T changes, {} new crossings, {} findings introduced, {} fixed",
        diff.added.len(),
        diff.removed.len(),
        diff.sl_target_changes.len(),
        diff.new_crossings.len(),
        diff.findings_introduced.len(),
        diff.findings_fixed.len()
    );
    out
}

fn crossings(out: &mut String, what: &str, list: &[Crossing]) {
    for c in list {
        let _ = writeln!(
            out,
            "{what}: {} <-> {} (conduit {})",
            c.zones[0],
            c.zones[1],
            c.conduits.join(", ")
        );
    }
}

fn on(element: Option<&str>) -> String {
    element.map_or_else(String::new, |e| format!(" (on {e})"))
}
