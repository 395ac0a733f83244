//! `--format junit`: JUnit XML, which CI systems show as a test report.
//!
//! One `<testsuite>` per rule (the report's rules, then each model error code met), one
//! `<testcase>` per rule and element: a `<failure>` when an open finding is on it, `<skipped>`
//! when it is suppressed, and a pass otherwise (compensated findings pass, with a note in
//! `<system-out>`). A rule with no findings shows as one passing case, so the report lists every
//! rule that ran.
//!
//! Written with quick-xml's writer, which escapes text and attributes; characters XML 1.0 does
//! not allow at all (most C0 controls) are dropped first, since no escape exists for them.

use std::collections::BTreeMap;
use std::io::Cursor;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::Context;
use crate::check::Report;
use crate::diagnostics::{Diagnostic, FindingState, SourceMap};

/// The cases of one rule, by element.
struct Suite<'a> {
    rule: String,
    requirement: Option<String>,
    cases: BTreeMap<String, Vec<&'a Diagnostic>>,
}

pub fn write(report: &Report, _context: &Context) -> String {
    let sources = &report.model.sources;
    let suites = suites(report, sources);
    let mut writer = Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 2);
    writer
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .expect("writing to memory");
    let totals = suites.iter().fold((0, 0, 0), |(t, f, s), suite| {
        let (t2, f2, s2) = counts(suite);
        (t + t2, f + f2, s + s2)
    });
    writer
        .create_element("testsuites")
        .with_attributes([
            ("name", "zonelint"),
            ("tests", totals.0.to_string().as_str()),
            ("failures", totals.1.to_string().as_str()),
            ("skipped", totals.2.to_string().as_str()),
            ("errors", "0"),
        ])
        .write_inner_content(|w| {
            for suite in &suites {
                write_suite(w, suite, sources)?;
            }
            Ok(())
        })
        .expect("writing to memory");
    let mut out = String::from_utf8(writer.into_inner().into_inner()).expect("UTF-8 in, UTF-8 out");
    out.push('\n');
    out
}

fn suites<'a>(report: &'a Report, sources: &SourceMap) -> Vec<Suite<'a>> {
    let mut suites: Vec<Suite> = report
        .rules
        .iter()
        .map(|r| Suite {
            rule: r.id.clone(),
            requirement: r.requirement.clone(),
            cases: BTreeMap::new(),
        })
        .collect();
    for d in &report.diagnostics {
        let position = match suites.iter().position(|s| s.rule == d.code) {
            Some(p) => p,
            None => {
                suites.push(Suite {
                    rule: d.code.clone(),
                    requirement: d.finding.as_ref().and_then(|f| f.requirement.clone()),
                    cases: BTreeMap::new(),
                });
                suites.len() - 1
            }
        };
        suites[position]
            .cases
            .entry(case_name(d, sources))
            .or_default()
            .push(d);
    }
    suites
}

/// The element a finding is about, or where a model error is.
fn case_name(d: &Diagnostic, sources: &SourceMap) -> String {
    match &d.finding {
        Some(finding) => finding.element.clone(),
        None => {
            let (line, col) = sources.line_col(d.primary.file, d.primary.span.start);
            format!("{}:{line}:{col}", sources.get(d.primary.file).name)
        }
    }
}

enum Outcome {
    Pass,
    Fail,
    Skip,
}

fn outcome(diagnostics: &[&Diagnostic]) -> Outcome {
    if diagnostics.iter().any(|d| d.is_open()) {
        Outcome::Fail
    } else if diagnostics.iter().any(|d| {
        d.finding
            .as_ref()
            .is_some_and(|f| matches!(f.state, FindingState::Suppressed { .. }))
    }) {
        Outcome::Skip
    } else {
        Outcome::Pass
    }
}

/// (tests, failures, skipped)
fn counts(suite: &Suite) -> (usize, usize, usize) {
    if suite.cases.is_empty() {
        return (1, 0, 0);
    }
    suite
        .cases
        .values()
        .fold((0, 0, 0), |(t, f, s), ds| match outcome(ds) {
            Outcome::Pass => (t + 1, f, s),
            Outcome::Fail => (t + 1, f + 1, s),
            Outcome::Skip => (t + 1, f, s + 1),
        })
}

type Result = std::io::Result<()>;

fn write_suite(w: &mut Writer<Cursor<Vec<u8>>>, suite: &Suite, sources: &SourceMap) -> Result {
    let (tests, failures, skipped) = counts(suite);
    let classname = format!("zonelint.{}", suite.rule);
    w.create_element("testsuite")
        .with_attributes([
            ("name", clean(&suite.rule).as_str()),
            ("tests", tests.to_string().as_str()),
            ("failures", failures.to_string().as_str()),
            ("skipped", skipped.to_string().as_str()),
            ("errors", "0"),
        ])
        .write_inner_content(|w| {
            if let Some(requirement) = &suite.requirement {
                w.create_element("properties").write_inner_content(|w| {
                    w.create_element("property")
                        .with_attributes([
                            ("name", "requirement"),
                            ("value", clean(requirement).as_str()),
                        ])
                        .write_empty()?;
                    Ok(())
                })?;
            }
            if suite.cases.is_empty() {
                w.create_element("testcase")
                    .with_attributes([
                        ("classname", clean(&classname).as_str()),
                        ("name", "no findings"),
                    ])
                    .write_empty()?;
            }
            for (element, diagnostics) in &suite.cases {
                write_case(w, &classname, element, diagnostics, sources)?;
            }
            Ok(())
        })?;
    Ok(())
}

fn write_case(
    w: &mut Writer<Cursor<Vec<u8>>>,
    classname: &str,
    element: &str,
    diagnostics: &[&Diagnostic],
    sources: &SourceMap,
) -> Result {
    let first = diagnostics[0];
    let (line, _) = sources.line_col(first.primary.file, first.primary.span.start);
    let file = &sources.get(first.primary.file).name;
    let details: Vec<String> = diagnostics.iter().map(|d| describe(d, sources)).collect();
    w.create_element("testcase")
        .with_attributes([
            ("classname", clean(classname).as_str()),
            ("name", clean(element).as_str()),
            ("file", clean(file).as_str()),
            ("line", line.to_string().as_str()),
        ])
        .write_inner_content(|w| {
            match outcome(diagnostics) {
                Outcome::Fail => {
                    let open: Vec<&&Diagnostic> =
                        diagnostics.iter().filter(|d| d.is_open()).collect();
                    w.create_element("failure")
                        .with_attributes([
                            ("type", open[0].severity.as_str()),
                            ("message", clean(&open[0].message).as_str()),
                        ])
                        .write_text_content(BytesText::new(&clean(&details.join("\n\n"))))?;
                }
                Outcome::Skip => {
                    let reason = diagnostics
                        .iter()
                        .find_map(|d| match d.finding.as_ref().map(|f| &f.state) {
                            Some(FindingState::Suppressed { reason }) => Some(reason.as_str()),
                            _ => None,
                        })
                        .unwrap_or_default();
                    w.create_element("skipped")
                        .with_attribute((
                            "message",
                            clean(&format!("suppressed: {reason}")).as_str(),
                        ))
                        .write_empty()?;
                }
                Outcome::Pass => {
                    w.create_element("system-out")
                        .write_text_content(BytesText::new(&clean(&details.join("\n\n"))))?;
                }
            }
            Ok(())
        })?;
    Ok(())
}

fn describe(d: &Diagnostic, sources: &SourceMap) -> String {
    let (line, col) = sources.line_col(d.primary.file, d.primary.span.start);
    let mut text = format!(
        "{}:{line}:{col}: {}[{}] {}",
        sources.get(d.primary.file).name,
        d.severity.as_str(),
        d.code,
        d.message
    );
    if let Some(FindingState::Compensated { by }) = d.finding.as_ref().map(|f| &f.state) {
        text.push_str(&format!(" (compensated by {by})"));
    }
    if let Some(help) = &d.help {
        text.push_str(&format!("\nhelp: {help}"));
    }
    text
}

/// Drops the characters XML 1.0 cannot carry in any form.
fn clean(text: &str) -> String {
    text.chars()
        .filter(|&c| matches!(c, '\t' | '\n' | '\r') || !(c.is_control() && (c as u32) < 0x20))
        .filter(|&c| !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        .collect()
}
