//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it.
//!
//! The types come from `serde-sarif` (generated from the official schema), so a field name can
//! not be misspelt. One run; its driver lists a rule per [`Report::rules`] entry, plus one per
//! model error code that has no entry there, so every result has a `ruleIndex` and GitHub can
//! show each result's help. Locations are relative to the workspace root under the base id
//! `%SRCROOT%`, which code scanning resolves to the repository root; columns count Unicode code
//! points (`columnKind`), as zonelint's do.

use std::collections::BTreeMap;

use serde_json::json;
use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, PropertyBag,
    Region, ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run,
    Sarif, Suppression, Tool, ToolComponent,
};

use super::{Context, diagnostic_fingerprint};
use crate::check::Report;
use crate::diagnostics::{Diagnostic, FindingState, Label, RuleDoc, Severity, SourceMap};

pub const SCHEMA_URL: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const INFORMATION_URI: &str = "https://github.com/zonelint/zonelint";
/// The `partialFingerprints` key; bump the suffix if the fingerprint recipe ever changes.
pub const FINGERPRINT_KEY: &str = "zonelint/v1";
pub const SRCROOT: &str = "%SRCROOT%";

pub fn write(report: &Report, context: &Context) -> String {
    let sources = &report.model.sources;
    let rules = rule_table(report);
    let index: BTreeMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let results: Vec<SarifResult> = report
        .diagnostics
        .iter()
        .map(|d| result(d, index.get(d.code.as_str()).copied(), sources, context))
        .collect();
    let driver = ToolComponent::builder()
        .name("zonelint")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri(INFORMATION_URI)
        .rules(rules.iter().map(descriptor).collect::<Vec<_>>())
        .build();
    let mut run_properties = BTreeMap::new();
    if let Some(baseline) = &context.baseline {
        run_properties.insert(
            "baseline".to_string(),
            serde_json::to_value(baseline).expect("plain data"),
        );
    }
    let mut run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .column_kind(json!("unicodeCodePoints"))
        .build();
    run.properties = (!run_properties.is_empty()).then(|| PropertyBag {
        additional_properties: run_properties,
        ..PropertyBag::default()
    });
    let log = Sarif::builder()
        .schema(SCHEMA_URL)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    let mut out = serde_json::to_string_pretty(&log).expect("the log is plain data");
    out.push('\n');
    out
}

/// The report's rules, then a synthesised entry for each model error code without one.
fn rule_table(report: &Report) -> Vec<RuleDoc> {
    let mut rules = report.rules.clone();
    for d in &report.diagnostics {
        if !rules.iter().any(|r| r.id == d.code) {
            rules.push(model_error_rule(&d.code));
        }
    }
    rules
}

fn model_error_rule(code: &str) -> RuleDoc {
    let title = code.replace('-', " ");
    RuleDoc {
        id: code.to_string(),
        title: format!("Model error: {title}"),
        doc: format!(
            "## What it checks\nThe model file could not be read, parsed or resolved: {title}.\n\n\
             ## How to fix\nCorrect the file at the reported place; the message and help say what \
             zonelint expected. docs/language.md describes the language."
        ),
        requirement: None,
        fr: None,
        severity: Severity::Error,
        pack: "model".into(),
        tags: vec!["model".into()],
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn result_level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

fn descriptor(rule: &RuleDoc) -> ReportingDescriptor {
    let mut tags = vec!["security".to_string()];
    for tag in &rule.tags {
        if !tags.contains(tag) {
            tags.push(tag.clone());
        }
    }
    let mut properties = BTreeMap::new();
    if let Some(requirement) = &rule.requirement {
        properties.insert("requirement".into(), json!(requirement));
    }
    if let Some(fr) = &rule.fr {
        properties.insert("fr".into(), json!(fr));
    }
    properties.insert("pack".into(), json!(rule.pack));
    let fix = section(&rule.doc, "How to fix");
    let help_text = match &fix {
        Some(fix) => format!("{}\n\nHow to fix: {fix}", rule.title),
        None => rule.title.clone(),
    };
    ReportingDescriptor::builder()
        .id(rule.id.clone())
        .name(rule_name(&rule.id))
        .short_description(text(&rule.title))
        .full_description(MultiformatMessageString {
            text: plain(&rule.doc),
            markdown: Some(rule.doc.clone()),
            properties: None,
        })
        .help(MultiformatMessageString {
            text: help_text,
            markdown: Some(rule.doc.clone()),
            properties: None,
        })
        .help_uri(rule.url())
        .default_configuration(ReportingConfiguration {
            level: Some(json!(level(rule.severity))),
            ..ReportingConfiguration::default()
        })
        .properties(PropertyBag {
            tags: Some(tags),
            additional_properties: properties,
        })
        .build()
}

/// SARIF wants a name that is an identifier: `dd-untrusted-path` -> `DdUntrustedPath`.
fn rule_name(id: &str) -> String {
    id.split(|c: char| !c.is_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect()
}

fn text(s: &str) -> MultiformatMessageString {
    MultiformatMessageString {
        text: s.to_string(),
        markdown: None,
        properties: None,
    }
}

/// The body of a `## heading` section of a rule's markdown doc.
fn section(doc: &str, heading: &str) -> Option<String> {
    let start = doc.find(&format!("## {heading}"))?;
    let body = &doc[start..];
    let body = &body[body.find('\n').map_or(body.len(), |i| i + 1)..];
    let end = body.find("\n## ").unwrap_or(body.len());
    let trimmed = body[..end].trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

/// Markdown without heading marks, for viewers that show only `text`.
fn plain(markdown: &str) -> String {
    markdown
        .lines()
        .map(|l| l.trim_start_matches('#').trim_start())
        .collect::<Vec<_>>()
        .join("\n")
}

fn result(
    d: &Diagnostic,
    rule_index: Option<usize>,
    sources: &SourceMap,
    context: &Context,
) -> SarifResult {
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert(
        FINGERPRINT_KEY.to_string(),
        diagnostic_fingerprint(d, sources, context),
    );
    let mut properties = BTreeMap::new();
    let mut suppressions = None;
    if let Some(finding) = &d.finding {
        properties.insert("element".into(), json!(finding.element));
        if let Some(requirement) = &finding.requirement {
            properties.insert("requirement".into(), json!(requirement));
        }
        if let Some(fr) = &finding.fr {
            properties.insert("fr".into(), json!(fr));
        }
        properties.insert("state".into(), json!(finding.state.as_str()));
        match &finding.state {
            FindingState::Open => {}
            FindingState::Compensated { by } => {
                properties.insert("compensated_by".into(), json!(by));
            }
            FindingState::Suppressed { reason } => {
                suppressions = Some(vec![
                    Suppression::builder()
                        .kind(json!("inSource"))
                        .justification(reason.clone())
                        .build(),
                ]);
            }
        }
    }
    let message = match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    };
    let related: Vec<Location> = d
        .secondary
        .iter()
        .enumerate()
        .map(|(i, label)| Location {
            id: Some(i as i64 + 1),
            ..location(label, sources, context)
        })
        .collect();
    let mut result = SarifResult::builder()
        .rule_id(d.code.clone())
        .level(result_level(d.severity))
        .message(Message {
            text: Some(message),
            ..Message::default()
        })
        .locations(vec![Location {
            message: None,
            ..location(&d.primary, sources, context)
        }])
        .partial_fingerprints(fingerprints)
        .build();
    result.related_locations = (!related.is_empty()).then_some(related);
    result.rule_index = rule_index.map(|i| i as i64);
    if !properties.is_empty() {
        result.properties = Some(PropertyBag {
            additional_properties: properties,
            ..PropertyBag::default()
        });
    }
    result.suppressions = suppressions;
    result
}

fn location(label: &Label, sources: &SourceMap, context: &Context) -> Location {
    let (start_line, start_column) = sources.line_col(label.file, label.span.start);
    let (end_line, end_column) = sources.line_col(label.file, label.span.end);
    let uri = uri_encode(context.root_relative_path(label.file, sources));
    Location {
        physical_location: Some(PhysicalLocation {
            artifact_location: Some(ArtifactLocation {
                uri: Some(uri),
                uri_base_id: Some(SRCROOT.into()),
                ..ArtifactLocation::default()
            }),
            region: Some(Region {
                start_line: Some(start_line as i64),
                start_column: Some(start_column as i64),
                end_line: Some(end_line as i64),
                end_column: Some(end_column as i64),
                ..Region::default()
            }),
            ..PhysicalLocation::default()
        }),
        message: (!label.message.is_empty()).then(|| Message {
            text: Some(label.message.clone()),
            ..Message::default()
        }),
        ..Location::default()
    }
}

/// Percent-encodes a relative path into a URI reference, keeping `/` and unreserved characters.
pub fn uri_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
