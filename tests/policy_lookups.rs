//! The index-backed built-ins (`servers`, `flows_to`, `roles_in`, `evidence_for`,
//! `evidence_inside`, `reachable`) answer exactly what the filters they replace answer, in the
//! same order: the policies of `tests/fixtures/lookups/equivalence.policy` compare both on every
//! rule fixture and on a generated fleet, and must not fire.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

const LOOKUPS: &[&str] = &[
    "t-servers",
    "t-flows-to",
    "t-roles-in",
    "t-evidence",
    "t-reachable",
];

/// Findings per rule code of `zonelint check PATH --policies lookups`.
fn findings(path: &Path) -> BTreeMap<String, Vec<String>> {
    let policies = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lookups");
    let out = Command::new(env!("CARGO_BIN_EXE_zonelint"))
        .args(["check", "--format", "json", "--policies"])
        .arg(&policies)
        .arg(path)
        .env("NO_COLOR", "1")
        .output()
        .expect("zonelint runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: no JSON report ({e}): {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let mut by_code: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in report["diagnostics"].as_array().expect("diagnostics") {
        by_code
            .entry(d["code"].as_str().unwrap_or_default().to_string())
            .or_default()
            .push(d["message"].as_str().unwrap_or_default().to_string());
    }
    by_code
}

fn assert_equivalent(path: &Path, by_code: &BTreeMap<String, Vec<String>>) {
    for code in LOOKUPS {
        assert!(
            !by_code.contains_key(*code),
            "{}: {code} differs from its filter:\n{}",
            path.display(),
            by_code[*code].join("\n")
        );
    }
}

#[test]
fn look_ups_match_their_filters_on_every_rule_fixture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/policies");
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut fixtures = 0;
    for entry in std::fs::read_dir(&dir).expect("fixtures") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "iacs") {
            continue;
        }
        fixtures += 1;
        let by_code = findings(&path);
        assert_equivalent(&path, &by_code);
        for (code, hits) in by_code {
            if code.ends_with("-seen") {
                *seen.entry(code).or_default() += hits.len();
            }
        }
    }
    assert!(fixtures > 20, "only {fixtures} fixtures found");
    // Every look-up returned something somewhere, so the comparisons compared something.
    for code in LOOKUPS {
        let seen_code = format!("{code}-seen");
        assert!(
            seen.get(&seen_code).is_some_and(|n| *n > 0),
            "{seen_code} never fired"
        );
    }
}

#[test]
fn look_ups_match_their_filters_on_a_generated_fleet() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fleet = dir.path().join("fleet");
    let status = Command::new(env!("CARGO_BIN_EXE_zonelint"))
        .args(["generate", "--components", "600", "--out"])
        .arg(&fleet)
        .output()
        .expect("zonelint generate runs");
    assert!(status.status.success(), "{status:?}");
    let by_code = findings(&fleet);
    assert_equivalent(&fleet, &by_code);
    for code in ["t-servers", "t-flows-to", "t-roles-in", "t-reachable"] {
        let seen_code = format!("{code}-seen");
        assert!(by_code.contains_key(&seen_code), "{seen_code} never fired");
    }
}
