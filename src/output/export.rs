//! `zonelint export`: the resolved model as JSON, for scripts and other tools. Documented in
//! docs/export.md, schema in docs/schemas/zonelint-export.schema.json.
//!
//! Every value is `{"type": ..., "value": ...}`, references are qualified ids, so a reader
//! needs no knowledge of zonelint's internals.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value as Json, json};

use crate::model::{Attr, ElemId, Element, ElementKind, FR_NAMES, Location, Model, Value};

pub const EXPORT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    files: Vec<&'a str>,
    elements: Vec<JsonElement<'a>>,
    zones: Vec<ZoneMembership>,
    conduits: Vec<ConduitZones>,
    flows: Vec<FlowEnds>,
    suppressions: Vec<JsonSuppression<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonElement<'a> {
    kind: ElementKind,
    id: &'a str,
    qid: &'a str,
    title: Option<&'a str>,
    doc: Option<&'a str>,
    parent: Option<&'a str>,
    location: JsonLocation,
    component_kind: Option<&'static str>,
    product: Option<&'a str>,
    attributes: BTreeMap<&'a str, JsonAttr>,
    custom: BTreeMap<&'a str, JsonAttr>,
}

#[derive(Serialize)]
struct JsonAttr {
    #[serde(flatten)]
    value: Json,
    /// Taken from the component's product.
    inherited: bool,
}

#[derive(Serialize)]
struct JsonLocation {
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct ZoneMembership {
    zone: String,
    /// The enclosing zone, for a sub-zone.
    parent_zone: Option<String>,
    subzones: Vec<String>,
    components: Vec<String>,
    conduits: Vec<String>,
}

#[derive(Serialize)]
struct ConduitZones {
    conduit: String,
    zones: Vec<String>,
    via: Vec<String>,
    flows: Vec<String>,
}

#[derive(Serialize)]
struct FlowEnds {
    flow: String,
    conduit: Option<String>,
    source: String,
    destination: String,
    both_ways: bool,
}

#[derive(Serialize)]
struct JsonSuppression<'a> {
    rule: &'a str,
    reason: &'a str,
    /// The element it silences the rule for; `null` for a whole-file suppression.
    element: Option<&'a str>,
    location: JsonLocation,
}

pub fn write(model: &Model) -> String {
    let qid = |id: ElemId| model.element(id).qid.clone();
    let qids = |ids: Vec<ElemId>| ids.into_iter().map(qid).collect::<Vec<_>>();
    let document = Document {
        version: EXPORT_VERSION,
        tool: Tool {
            name: "zonelint",
            version: env!("CARGO_PKG_VERSION"),
        },
        files: model.sources.iter().map(|(_, f)| f.name.as_str()).collect(),
        elements: model.elements.iter().map(|e| element(model, e)).collect(),
        zones: model
            .all(ElementKind::Zone)
            .iter()
            .map(|&z| ZoneMembership {
                zone: qid(z),
                parent_zone: model.zone_of(z).map(qid),
                subzones: qids(model.graph.subzones(z)),
                components: qids(model.components_in(z)),
                conduits: qids(model.graph.conduits_of(z)),
            })
            .collect(),
        conduits: model
            .all(ElementKind::Conduit)
            .iter()
            .map(|&c| ConduitZones {
                conduit: qid(c),
                zones: qids(model.conduit_zones(c)),
                via: qids(model.graph.via(c)),
                flows: qids(model.flows_of(c)),
            })
            .collect(),
        flows: model
            .all(ElementKind::Flow)
            .iter()
            .filter_map(|&f| {
                let ends = model.element(f).endpoints?;
                Some(FlowEnds {
                    flow: qid(f),
                    conduit: model.conduit_of(f).map(qid),
                    source: qid(ends.source),
                    destination: qid(ends.destination),
                    both_ways: ends.both_ways,
                })
            })
            .collect(),
        suppressions: model
            .suppressions
            .iter()
            .map(|s| JsonSuppression {
                rule: &s.rule,
                reason: &s.reason,
                element: s.element.map(|e| model.element(e).qid.as_str()),
                location: location(model, s.at),
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&document).expect("the document is plain data");
    out.push('\n');
    out
}

fn element<'a>(model: &'a Model, e: &'a Element) -> JsonElement<'a> {
    let attr = |a: &Attr| JsonAttr {
        value: value(model, &a.value),
        inherited: a.inherited,
    };
    JsonElement {
        kind: e.kind,
        id: &e.id,
        qid: &e.qid,
        title: e.title.as_deref(),
        doc: e.doc.as_deref(),
        parent: e.parent.map(|p| model.element(p).qid.as_str()),
        location: location(model, e.at),
        component_kind: e.component_kind,
        product: e.product.map(|p| model.element(p).qid.as_str()),
        attributes: e.attrs.iter().map(|(k, a)| (*k, attr(a))).collect(),
        custom: e
            .custom
            .iter()
            .map(|(k, a)| (k.as_str(), attr(a)))
            .collect(),
    }
}

fn location(model: &Model, at: Location) -> JsonLocation {
    let (line, column) = model.sources.line_col(at.file, at.span.start);
    let (end_line, end_column) = model.sources.line_col(at.file, at.span.end);
    JsonLocation {
        file: model.sources.get(at.file).name.clone(),
        line,
        column,
        end_line,
        end_column,
    }
}

/// A typed value: `{"type": "ref", "value": "site_a.control"}`.
fn value(model: &Model, v: &Value) -> Json {
    let qid = |id: &ElemId| model.element(*id).qid.clone();
    match v {
        Value::Bool(b) => json!({"type": "bool", "value": b}),
        Value::Int(i) => json!({"type": "int", "value": i}),
        Value::Number(n) => json!({"type": "number", "value": n}),
        Value::Str(s) => json!({"type": "string", "value": s}),
        Value::Word(w) => json!({"type": "word", "value": w}),
        Value::Date(d) => json!({"type": "date", "value": d.to_string()}),
        Value::Ref(id) => json!({"type": "ref", "value": qid(id)}),
        Value::List(items) => {
            let items: Vec<Json> = items.iter().map(|i| value(model, i)).collect();
            json!({"type": "list", "value": items})
        }
        Value::Sl(sl) => {
            let by_fr: serde_json::Map<String, Json> = FR_NAMES
                .iter()
                .enumerate()
                .map(|(i, name)| ((*name).to_string(), json!(sl.get(i))))
                .collect();
            json!({"type": "sl", "value": by_fr})
        }
        Value::Service { protocol, port } => json!({
            "type": "service",
            "value": {"protocol": value(model, protocol), "port": port}
        }),
        Value::Direction { from, to, both } => json!({
            "type": "direction",
            "value": {"from": qid(from), "to": qid(to), "both": both}
        }),
        Value::Permissions(entries) => {
            let entries: Vec<Json> = entries
                .iter()
                .map(|(zone, permissions)| json!({"zone": qid(zone), "permissions": permissions}))
                .collect();
            json!({"type": "permissions", "value": entries})
        }
    }
}
