//! The compliance report as GitHub-flavoured Markdown. Model text is escaped so that a title
//! cannot break a table or inject markup.

use std::fmt::Write;

use super::{fr_headers, is_empty, level_rows, name, vector, verdict};
use crate::compliance::Compliance;

pub fn write(compliance: &Compliance) -> String {
    let mut out = String::from("# zonelint compliance report\n\n");
    if is_empty(compliance) {
        out.push_str("The model declares no zones or conduits.\n");
        return out;
    }
    out.push_str("SL-A and requirement statuses are \"n/a\" where the check could not assess them (no SL-T, or the IEC 62443-3-3 pack not loaded).\n\n");
    out.push_str("## Overview\n\n| | element | SL-T | weakest SL-C | SL-A | verdict |\n|---|---|---|---|---|---|\n");
    for z in &compliance.zones {
        let _ = writeln!(
            out,
            "| zone | {} | {} | {} | {} | {} |",
            escape(&name(&z.qid, z.title.as_deref())),
            vector(z.sl_target),
            vector(z.weakest_sl_c),
            vector(z.sl_achieved),
            verdict(z.below_target())
        );
    }
    for c in &compliance.conduits {
        let _ = writeln!(
            out,
            "| conduit | {} | {} | {} | {} | {} |",
            escape(&name(&c.qid, c.title.as_deref())),
            vector(c.sl_target),
            vector(c.weakest_sl_c),
            vector(c.sl_achieved),
            verdict(c.below_target())
        );
    }
    out.push_str("\n## Zones\n");
    for z in &compliance.zones {
        let _ = writeln!(
            out,
            "\n### Zone {}\n",
            escape(&name(&z.qid, z.title.as_deref()))
        );
        levels(&mut out, z.sl_target, z.weakest_sl_c, z.sl_achieved);
        if !z.unrated.is_empty() {
            let names: Vec<String> = z.unrated.iter().map(|u| escape(u)).collect();
            let _ = writeln!(
                out,
                "\nComponents without a declared SL-C: {}.",
                names.join(", ")
            );
        }
        let (selected, not_selected) = super::split_selected(&z.requirements);
        if z.requirements.is_empty() {
            out.push_str("\nRequirement statuses: n/a (not assessed yet).\n");
        } else {
            out.push_str("\n| requirement | title | status |\n|---|---|---|\n");
            for r in selected {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} |",
                    escape(&r.id),
                    escape(&r.title),
                    escape(&r.status.label())
                );
            }
            if not_selected > 0 {
                let _ = writeln!(
                    out,
                    "\n{not_selected} more requirements are not selected by this SL-T."
                );
            }
        }
    }
    if !compliance.conduits.is_empty() {
        out.push_str("\n## Conduits\n");
        for c in &compliance.conduits {
            let _ = writeln!(
                out,
                "\n### Conduit {}\n",
                escape(&name(&c.qid, c.title.as_deref()))
            );
            levels(&mut out, c.sl_target, c.weakest_sl_c, c.sl_achieved);
        }
    }
    out
}

fn levels(
    out: &mut String,
    target: Option<crate::model::SlVector>,
    weakest: Option<crate::model::SlVector>,
    achieved: Option<crate::model::SlVector>,
) {
    let _ = writeln!(out, "| | {} |", fr_headers().join(" | "));
    let _ = writeln!(out, "|---|{}", "---|".repeat(7));
    for (row, cells) in level_rows(target, weakest, achieved) {
        let _ = writeln!(out, "| {row} | {} |", cells.join(" | "));
    }
}

/// Backslash-escapes Markdown punctuation, and writes `<`, `>` and `&` as entities so that no
/// HTML in a model string reaches a renderer; line breaks become spaces (tables are one line).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}
