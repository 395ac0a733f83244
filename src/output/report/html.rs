//! The compliance report as one self-contained HTML page: inline CSS, no scripts, no external
//! assets, every model string escaped.

use std::fmt::Write;

use super::{fr_headers, is_empty, level_rows, name, vector, verdict};
use crate::compliance::{Compliance, Status};
use crate::model::SlVector;

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2rem;color:#1d1d1f;max-width:70rem}\
table{border-collapse:collapse;margin:.5rem 0 1.5rem}\
th,td{border:1px solid #c8ccd0;padding:.3rem .6rem;text-align:left}\
th{background:#eef1f4}td.num{text-align:center}\
.below{background:#f8d7da}.meets{background:#d4edda}.na{color:#6b7280}\
#overview td{white-space:nowrap}#overview td:nth-child(2){white-space:normal}\
h1{font-size:1.6rem}h2{margin-top:2rem}";

pub fn write(compliance: &Compliance) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<title>zonelint compliance report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>zonelint compliance report</h1>\n"
    );
    if is_empty(compliance) {
        out.push_str("<p>The model declares no zones or conduits.</p>\n</body>\n</html>\n");
        return out;
    }
    out.push_str("<p class=\"na\">SL-A and requirement statuses are n/a where the check could not assess them (no SL-T, or the IEC 62443-3-3 pack not loaded).</p>\n");
    out.push_str("<h2>Overview</h2>\n<table id=\"overview\">\n<thead><tr><th></th><th>element</th><th>SL-T</th><th>weakest SL-C</th><th>SL-A</th><th>verdict</th></tr></thead>\n<tbody>\n");
    for z in &compliance.zones {
        overview_row(
            &mut out,
            "zone",
            &z.qid,
            z.title.as_deref(),
            [z.sl_target, z.weakest_sl_c, z.sl_achieved],
            z.below_target(),
        );
    }
    for c in &compliance.conduits {
        overview_row(
            &mut out,
            "conduit",
            &c.qid,
            c.title.as_deref(),
            [c.sl_target, c.weakest_sl_c, c.sl_achieved],
            c.below_target(),
        );
    }
    out.push_str("</tbody>\n</table>\n<h2>Zones</h2>\n");
    for z in &compliance.zones {
        let _ = writeln!(
            out,
            "<section class=\"zone\" data-qid=\"{}\">",
            escape(&z.qid)
        );
        let _ = writeln!(
            out,
            "<h3>Zone {}</h3>",
            escape(&name(&z.qid, z.title.as_deref()))
        );
        levels(&mut out, z.sl_target, z.weakest_sl_c, z.sl_achieved);
        if !z.unrated.is_empty() {
            let names: Vec<String> = z
                .unrated
                .iter()
                .map(|u| format!("<code>{}</code>", escape(u)))
                .collect();
            let _ = writeln!(
                out,
                "<p>Components without a declared SL-C: {}.</p>",
                names.join(", ")
            );
        }
        let (selected, not_selected) = super::split_selected(&z.requirements);
        if z.requirements.is_empty() {
            out.push_str("<p class=\"na\">Requirement statuses: n/a (not assessed yet).</p>\n");
        } else {
            out.push_str("<table class=\"requirements\">\n<thead><tr><th>requirement</th><th>title</th><th>status</th></tr></thead>\n<tbody>\n");
            for r in selected {
                let class = match r.status {
                    Status::Met | Status::Compensated { .. } => "meets",
                    Status::NotMet { .. } | Status::EvidenceMissing => "below",
                    Status::NotSelected => "na",
                };
                let _ = writeln!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td class=\"{class}\">{}</td></tr>",
                    escape(&r.id),
                    escape(&r.title),
                    escape(&r.status.label())
                );
            }
            out.push_str("</tbody>\n</table>\n");
            if not_selected > 0 {
                let _ = writeln!(
                    out,
                    "<p class=\"na\">{not_selected} more requirements are not selected by this SL-T.</p>"
                );
            }
        }
        out.push_str("</section>\n");
    }
    if !compliance.conduits.is_empty() {
        out.push_str("<h2>Conduits</h2>\n");
        for c in &compliance.conduits {
            let _ = writeln!(
                out,
                "<section class=\"conduit\" data-qid=\"{}\">",
                escape(&c.qid)
            );
            let _ = writeln!(
                out,
                "<h3>Conduit {}</h3>",
                escape(&name(&c.qid, c.title.as_deref()))
            );
            levels(&mut out, c.sl_target, c.weakest_sl_c, c.sl_achieved);
            out.push_str("</section>\n");
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn overview_row(
    out: &mut String,
    kind: &str,
    qid: &str,
    title: Option<&str>,
    [target, weakest, achieved]: [Option<SlVector>; 3],
    below: Option<bool>,
) {
    let class = match below {
        Some(true) => "below",
        Some(false) => "meets",
        None => "na",
    };
    let _ = writeln!(
        out,
        "<tr><td>{kind}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"{class}\">{}</td></tr>",
        escape(&name(qid, title)),
        vector(target),
        vector(weakest),
        vector(achieved),
        verdict(below)
    );
}

fn levels(
    out: &mut String,
    target: Option<SlVector>,
    weakest: Option<SlVector>,
    achieved: Option<SlVector>,
) {
    out.push_str("<table class=\"levels\">\n<thead><tr><th></th>");
    for fr in fr_headers() {
        let _ = write!(out, "<th>{fr}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (row, cells) in level_rows(target, weakest, achieved) {
        let _ = write!(out, "<tr><th>{row}</th>");
        for cell in cells {
            let class = if cell == "n/a" { "num na" } else { "num" };
            let _ = write!(out, "<td class=\"{class}\">{cell}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
