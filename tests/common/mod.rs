//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test binary uses its own subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use zonelint::check::{self, Report};
use zonelint::diagnostics::{
    Diagnostic, FindingInfo, FindingState, Label, RuleDoc, Severity, fingerprint,
};
use zonelint::model::workspace::{Disk, Limits};
use zonelint::model::{Date, ElementKind, Model};
use zonelint::policy;

pub fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// Runs the real binary with colour off.
pub fn zonelint(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zonelint"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .output()
        .expect("the zonelint binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 stdout")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 stderr")
}

/// Whether an external client can be used. Missing: the test says why and returns early, except
/// under `ZONELINT_REQUIRE_CLIENTS=1` (CI), where a missing client fails the test.
pub fn client_available(program: &str, version_args: &[&str]) -> bool {
    let found = Command::new(program)
        .args(version_args)
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        let required = std::env::var("ZONELINT_REQUIRE_CLIENTS").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "`{program}` is required (ZONELINT_REQUIRE_CLIENTS=1) but not installed; run .ci/install-clients"
        );
        eprintln!("skipped: `{program}` is not installed (run .ci/install-clients)");
    }
    found
}

/// Checks the model files under `dir`, with names relative to `dir`, loading the requirement
/// catalogues but no policy: the findings of the output tests come from
/// [`add_test_findings`], so that they do not change whenever a policy does.
pub fn check_dir(dir: &Path) -> Report {
    let root = std::fs::canonicalize(dir).expect("fixture exists");
    let mut files: Vec<PathBuf> = walk(&root);
    files.sort();
    let disk = Disk { base: root.clone() };
    let policies = policy::load(policy::builtin_sources(Some(&[]))).expect("catalogues load");
    let options = check::Options {
        policies: &policies,
        limits: Limits::default(),
        today: Date::parse("2026-11-01").expect("a date"),
        achieved_levels: false,
    };
    check::check(&root, &files, &disk, &options)
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "iacs") {
            out.push(path);
        }
    }
    out
}

/// Findings made by test-only rules over a real model, standing in for the policy engine so
/// that every output shape (open, compensated, suppressed, related labels) can be exercised:
/// - `test-zone-owner`: a zone without `owner` (warning, open);
/// - `test-public-conduit`: a conduit over a public network (error, open, labels its zones);
/// - `test-plc-auth`: a component with a compensation naming it (error, compensated);
/// - `dd-purdue-step`: a zone with a `suppress "dd-purdue-step"` (warning, suppressed).
///
/// The engine's own findings (a `suppress` or compensation nothing used: here no real policy
/// ran to use them) are dropped first; model errors stay.
pub fn add_test_findings(report: &mut Report) {
    report.diagnostics.retain(|d| d.finding.is_none());
    let model = &report.model;
    let mut found = Vec::new();
    for &zone in model.all(ElementKind::Zone) {
        let z = model.element(zone);
        if z.attr("owner").is_none() {
            found.push(finding(
                model,
                "test-zone-owner",
                Severity::Warning,
                format!("zone `{}` names no accountable owner", z.qid),
                zone,
                Some("ZCR 6.4 (b)"),
                None,
                FindingState::Open,
            ));
        }
        if let Some(s) = model
            .suppressions
            .iter()
            .find(|s| s.element == Some(zone) && s.rule == "dd-purdue-step")
        {
            found.push(finding(
                model,
                "dd-purdue-step",
                Severity::Warning,
                format!("zone `{}` skips a Purdue level", z.qid),
                zone,
                None,
                None,
                FindingState::Suppressed {
                    reason: s.reason.clone(),
                },
            ));
        }
    }
    for &conduit in model.all(ElementKind::Conduit) {
        let c = model.element(conduit);
        if c.word("medium") == Some("public-network") {
            let mut d = finding(
                model,
                "test-public-conduit",
                Severity::Error,
                format!("conduit `{}` crosses a public network", c.qid),
                conduit,
                Some("SR 5.1"),
                Some("FR5"),
                FindingState::Open,
            )
            .with_help("carry the traffic over a VPN and name the gateway in `via`");
            for zone in model.conduit_zones(conduit) {
                let z = model.element(zone);
                d = d.with_label(Label::new(
                    z.name_at.file,
                    z.name_at.span,
                    format!("joins `{}`", z.qid),
                ));
            }
            found.push(d);
        }
    }
    for &compensation in model.all(ElementKind::Compensation) {
        let comp = model.element(compensation);
        if let Some(target) = comp.value("element").and_then(|v| v.as_ref()) {
            found.push(finding(
                model,
                "test-plc-auth",
                Severity::Error,
                format!(
                    "`{}` cannot authenticate each user",
                    model.element(target).qid
                ),
                target,
                Some("SR 1.1 RE 1"),
                Some("FR1"),
                FindingState::Compensated {
                    by: comp.qid.clone(),
                },
            ));
        }
    }
    report.diagnostics.extend(found);
    check::sort(&mut report.diagnostics, &report.model);
    report.rules = test_rules();
}

#[allow(clippy::too_many_arguments)]
fn finding(
    model: &Model,
    rule: &str,
    severity: Severity,
    message: String,
    element: zonelint::model::ElemId,
    requirement: Option<&str>,
    fr: Option<&str>,
    state: FindingState,
) -> Diagnostic {
    let e = model.element(element);
    let mut d = Diagnostic::error(
        rule,
        message,
        Label::new(e.name_at.file, e.name_at.span, "here"),
    );
    d.severity = severity;
    d.finding = Some(Box::new(FindingInfo {
        requirement: requirement.map(str::to_string),
        fr: fr.map(str::to_string),
        element: e.qid.clone(),
        fingerprint: fingerprint(rule, &e.qid),
        state,
        url: Some(format!("{}{rule}.md", zonelint::diagnostics::DOCS_URL)),
        fix: None,
    }));
    d
}

pub fn test_rules() -> Vec<RuleDoc> {
    let rule = |id: &str,
                title: &str,
                requirement: Option<&str>,
                fr: Option<&str>,
                severity,
                pack: &str| RuleDoc {
        id: id.into(),
        title: title.into(),
        doc: format!(
            "## What it checks\n{title}.\n\n## Why it matters\nA test rule.\n\n## Example\n```iacs\nzone z {{}}\n```\n\n## How to fix\nDo what the message says for `{id}`."
        ),
        requirement: requirement.map(str::to_string),
        fr: fr.map(str::to_string),
        severity,
        pack: pack.into(),
        tags: vec!["test".into()],
    };
    vec![
        rule(
            "test-zone-owner",
            "Zone without an owner",
            Some("ZCR 6.4 (b)"),
            None,
            Severity::Warning,
            "iec62443-3-2",
        ),
        rule(
            "test-public-conduit",
            "Conduit over a public network",
            Some("SR 5.1"),
            Some("FR5"),
            Severity::Error,
            "iec62443-3-3",
        ),
        rule(
            "test-plc-auth",
            "Component without per-user authentication",
            Some("SR 1.1 RE 1"),
            Some("FR1"),
            Severity::Error,
            "iec62443-3-3",
        ),
        rule(
            "dd-purdue-step",
            "Conduit skips a Purdue level",
            None,
            None,
            Severity::Warning,
            "defense-in-depth",
        ),
        rule(
            "test-unused",
            "A rule that finds nothing here",
            None,
            None,
            Severity::Info,
            "defense-in-depth",
        ),
    ]
}
