//! The diagram as a Mermaid flowchart, which GitHub renders in Markdown. Labels are quoted and
//! the characters Mermaid would read as markup are written as its `#code;` entities.

use std::fmt::Write;

use super::{Diagram, Health, ZoneBox};

pub fn write(diagram: &Diagram) -> String {
    let mut out = String::from("flowchart LR\n");
    for zone in &diagram.zones {
        zone_block(&mut out, zone, 1);
    }
    for (i, conduit) in diagram.conduits.iter().enumerate() {
        match conduit.zones.as_slice() {
            [a, b] => {
                let _ = writeln!(
                    out,
                    "  {} ---|{}| {}",
                    zone_id(a.0),
                    quote(&conduit.label),
                    zone_id(b.0)
                );
            }
            zones => {
                let id = format!("conduit{i}");
                let _ = writeln!(out, "  {id}{{{{{}}}}}", quote(&conduit.label));
                for zone in zones {
                    let _ = writeln!(out, "  {id} --- {}", zone_id(zone.0));
                }
            }
        }
    }
    out.push_str("  classDef failing fill:#f8d7da,stroke:#c0392b,color:#000\n");
    out.push_str("  classDef meets fill:#d4edda,stroke:#2e7d32,color:#000\n");
    out.push_str("  classDef unknown fill:#e8f1fb,stroke:#4a6fa5,color:#000\n");
    let mut classes: [(&str, Vec<String>); 3] = [
        ("failing", Vec::new()),
        ("meets", Vec::new()),
        ("unknown", Vec::new()),
    ];
    collect_classes(&diagram.zones, &mut classes);
    for (class, ids) in classes {
        if !ids.is_empty() {
            let _ = writeln!(out, "  class {} {class}", ids.join(","));
        }
    }
    out
}

fn zone_block(out: &mut String, zone: &ZoneBox, depth: usize) {
    let indent = "  ".repeat(depth);
    if zone.children.is_empty() {
        let _ = writeln!(
            out,
            "{indent}{}[{}]",
            zone_id(zone.id.0),
            quote(&zone.label)
        );
        return;
    }
    let _ = writeln!(
        out,
        "{indent}subgraph {}_group[{}]",
        zone_id(zone.id.0),
        quote(&zone.qid)
    );
    let _ = writeln!(
        out,
        "{indent}  {}[{}]",
        zone_id(zone.id.0),
        quote(&zone.label)
    );
    for child in &zone.children {
        zone_block(out, child, depth + 1);
    }
    let _ = writeln!(out, "{indent}end");
}

fn collect_classes(zones: &[ZoneBox], classes: &mut [(&str, Vec<String>); 3]) {
    for zone in zones {
        let slot = match zone.health {
            Health::Failing => 0,
            Health::Meets => 1,
            Health::Unknown => 2,
        };
        classes[slot].1.push(zone_id(zone.id.0));
        collect_classes(&zone.children, classes);
    }
}

fn zone_id(index: u32) -> String {
    format!("zone{index}")
}

/// A quoted Mermaid label: `"` `<` `>` `&` `#` and pipes as entities, line breaks as `<br>`.
pub fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '#' => out.push_str("#35;"),
            '|' => out.push_str("#124;"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
