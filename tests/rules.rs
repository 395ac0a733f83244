//! The rule harness, in the manner of Semgrep's `--test`: every policy has a fixture model in
//! `tests/fixtures/policies/<rule-id>.iacs` whose comments say where it must fire and where it
//! must not:
//!
//! ```text
//! // expect: dd-purdue-step      the next code line must carry a finding of this rule
//! // ok: dd-purdue-step          the next code line must carry none
//! ```
//!
//! The harness runs only that policy, compares the (rule, line) pairs, then snapshots the
//! rendered findings, secondary labels and attack-path hops included.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use zonelint::check::{self, Options};
use zonelint::diagnostics::{RenderOptions, render_all};
use zonelint::model::Date;
use zonelint::model::workspace::{Disk, Limits};
use zonelint::policy::{self, PolicySet};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/policies")
}

fn all_policies() -> PolicySet {
    policy::load(policy::builtin_sources(None))
        .unwrap_or_else(|(_, errors)| panic!("built-in policies must load: {errors:#?}"))
}

/// (rule, line) annotations of a fixture: line numbers are 1-based, of the next code line.
fn annotations(text: &str, marker: &str) -> BTreeSet<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = BTreeSet::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = line.trim().strip_prefix("//").map(str::trim) else {
            continue;
        };
        let Some(rules) = rest.strip_prefix(marker) else {
            continue;
        };
        let target = (i + 1..lines.len()).find(|&j| {
            let t = lines[j].trim();
            !t.is_empty() && !t.starts_with("//")
        });
        for rule in rules.split(',').map(str::trim).filter(|r| !r.is_empty()) {
            out.insert((rule.to_string(), target.map_or(0, |j| j + 1)));
        }
    }
    out
}

/// Runs one policy over its fixture; returns the (rule, line) pairs found and the rendering.
fn run(rule: &str, fixture: &Path) -> (BTreeSet<(String, usize)>, String) {
    let mut set = all_policies();
    set.policies.retain(|p| p.id == rule);
    assert_eq!(set.policies.len(), 1, "no policy `{rule}`");
    let options = Options {
        policies: &set,
        limits: Limits::default(),
        today: Date {
            year: 2026,
            month: 6,
            day: 1,
        },
        achieved_levels: false,
    };
    let root = fixture.parent().expect("fixtures live in a directory");
    let disk = Disk {
        base: root.to_path_buf(),
    };
    let report = check::check(root, &[fixture.to_path_buf()], &disk, &options);
    let model_errors: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.finding.is_none())
        .collect();
    assert!(
        model_errors.is_empty(),
        "fixture {} has model errors:\n{}",
        fixture.display(),
        render_all(
            &report.diagnostics,
            &report.model.sources,
            RenderOptions::default()
        )
    );
    let found = report
        .diagnostics
        .iter()
        .filter(|d| d.code == rule && check::is_open(d))
        .map(|d| {
            (
                d.code.clone(),
                report
                    .model
                    .sources
                    .line_col(d.primary.file, d.primary.span.start)
                    .0,
            )
        })
        .collect();
    (
        found,
        render_all(
            &report.diagnostics,
            &report.model.sources,
            RenderOptions::default(),
        ),
    )
}

#[test]
fn every_policy_fires_where_its_fixture_expects_and_nowhere_else() {
    let mut failures = Vec::new();
    for policy in &all_policies().policies {
        let fixture = fixtures().join(format!("{}.iacs", policy.id));
        let Ok(text) = std::fs::read_to_string(&fixture) else {
            failures.push(format!(
                "{}: no fixture at {}",
                policy.id,
                fixture.display()
            ));
            continue;
        };
        let expected: BTreeSet<_> = annotations(&text, "expect:")
            .into_iter()
            .filter(|(r, _)| *r == policy.id)
            .collect();
        let ok: BTreeSet<_> = annotations(&text, "ok:")
            .into_iter()
            .filter(|(r, _)| *r == policy.id)
            .collect();
        if expected.is_empty() || ok.is_empty() {
            failures.push(format!(
                "{}: the fixture needs at least one `// expect:` and one `// ok:` case",
                policy.id
            ));
            continue;
        }
        let (found, rendered) = run(&policy.id, &fixture);
        for missing in expected.difference(&found) {
            failures.push(format!(
                "{}: expected a finding on line {} (false negative)",
                policy.id, missing.1
            ));
        }
        for extra in found.difference(&expected) {
            let flagged_ok = ok.contains(extra);
            failures.push(format!(
                "{}: unexpected finding on line {}{} (false positive)",
                policy.id,
                extra.1,
                if flagged_ok { ", marked ok" } else { "" }
            ));
        }
        insta::with_settings!({ snapshot_path => "snapshots/rules", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(policy.id.clone(), rendered);
        });
    }
    assert!(
        failures.is_empty(),
        "rule harness failures:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_built_in_policy_documents_itself() {
    let set = all_policies();
    let mut failures = Vec::new();
    for p in &set.policies {
        let missing = policy::docs::missing_sections(&p.doc);
        if !missing.is_empty() {
            failures.push(format!("{}: missing {}", p.id, missing.join(", ")));
        }
        if p.title == p.id {
            failures.push(format!("{}: no title", p.id));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
