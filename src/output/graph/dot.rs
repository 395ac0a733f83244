//! The diagram as Graphviz DOT. Every identifier and label is a quoted string with `"` and `\`
//! escaped, so model text cannot break out of it.

use std::fmt::Write;

use super::{Diagram, Health, ZoneBox};

pub fn write(diagram: &Diagram) -> String {
    let mut out = String::from(
        "digraph zonelint {\n  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=11, compound=true];\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n  edge [dir=none, fontname=\"Helvetica\", fontsize=9];\n",
    );
    let mut cluster = 0;
    for zone in &diagram.zones {
        zone_block(&mut out, zone, 1, &mut cluster);
    }
    for conduit in &diagram.conduits {
        let colour = colours(conduit.health).1;
        match conduit.zones.as_slice() {
            [a, b] => {
                let _ = writeln!(
                    out,
                    "  {} -> {} [label={}, color=\"{colour}\", tooltip={}];",
                    node_id(a.0),
                    node_id(b.0),
                    quote(&conduit.label),
                    quote(&conduit.qid)
                );
            }
            zones => {
                let id = quote(&format!("conduit:{}", conduit.qid));
                let _ = writeln!(
                    out,
                    "  {id} [shape=hexagon, style=filled, fillcolor=\"#ffffff\", color=\"{colour}\", label={}];",
                    quote(&conduit.label)
                );
                for zone in zones {
                    let _ = writeln!(out, "  {id} -> {} [color=\"{colour}\"];", node_id(zone.0));
                }
            }
        }
    }
    out.push_str("}\n");
    out
}

fn zone_block(out: &mut String, zone: &ZoneBox, depth: usize, cluster: &mut usize) {
    let indent = "  ".repeat(depth);
    let (fill, line) = colours(zone.health);
    let node = format!(
        "{} [label={}, fillcolor=\"{fill}\", color=\"{line}\", tooltip={}];",
        node_id(zone.id.0),
        quote(&zone.label),
        quote(&zone.qid)
    );
    if zone.children.is_empty() {
        let _ = writeln!(out, "{indent}{node}");
        return;
    }
    *cluster += 1;
    let _ = writeln!(out, "{indent}subgraph \"cluster_{}\" {{", *cluster);
    let _ = writeln!(
        out,
        "{indent}  label={}; style=\"rounded\"; color=\"{line}\";",
        quote(&zone.qid)
    );
    let _ = writeln!(out, "{indent}  {node}");
    for child in &zone.children {
        zone_block(out, child, depth + 1, cluster);
    }
    let _ = writeln!(out, "{indent}}}");
}

/// (fill, line) colours for a health.
fn colours(health: Health) -> (&'static str, &'static str) {
    match health {
        Health::Failing => ("#f8d7da", "#c0392b"),
        Health::Meets => ("#d4edda", "#2e7d32"),
        Health::Unknown => ("#e8f1fb", "#4a6fa5"),
    }
}

fn node_id(index: u32) -> String {
    format!("\"zone{index}\"")
}

/// A DOT quoted string. Line breaks become `\n` (centred lines).
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
