//! The shipped examples, through the real binary: the nearly compliant plant stays nearly
//! clean, the flawed substation reports each planted flaw once, and both outputs are
//! snapshotted so any change in what users see on them is reviewed.

use std::path::Path;
use std::process::Command;

fn check(example: &str, format: &str) -> (i32, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(env!("CARGO_BIN_EXE_zonelint"))
        .current_dir(root)
        .args([
            "check",
            &format!("examples/{example}"),
            "--format",
            format,
            "--color",
            "never",
        ])
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .expect("zonelint runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("UTF-8 output"),
    )
}

/// (rule, element) of every open finding, from the JSON output.
fn findings(example: &str) -> Vec<(String, String, String)> {
    let (_, json) = check(example, "json");
    let doc: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    doc["diagnostics"]
        .as_array()
        .expect("a diagnostics array")
        .iter()
        .filter(|d| d["state"].as_str().is_none_or(|s| s == "open"))
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["element"].as_str().unwrap_or_default().to_string(),
                d["severity"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_substation_reports_each_planted_flaw_once() {
    let found = findings("substation");
    let planted = [
        ("sr-5.2-boundary-device", "bay_process"),
        ("sr-4.3-plaintext-protocol", "eng_station.sc_console"),
        ("sr-1.1-interactive-auth", "eng_station.sc_console"),
        ("sr-3.1-flow-integrity", "eng_station.sc_console"),
        ("sr-1.1-re2-untrusted-flow-mfa", "vendor_link.vendor_rdp"),
        ("dd-untrusted-path", "northfield.station_bus"),
        ("dd-sl-step", "vendor_link"),
        ("sr-1.6-wireless-zone", "northfield.process_bus.tx_mon"),
        ("zcr-3.5-wireless-zone", "northfield.process_bus.tx_mon"),
        ("compensation-expired", "tx_relay_monitoring"),
        ("sr-capability", "northfield.bay_level.ied_tx"),
    ];
    for (rule, element) in planted {
        let n = found
            .iter()
            .filter(|(r, e, _)| r == rule && e == element)
            .count();
        assert_eq!(n, 1, "{rule} on {element}: found {n} times\n{found:#?}");
    }
    // Nothing beyond the planted flaws, except the SL-A summary of the zones they weaken.
    let unplanned: Vec<_> = found
        .iter()
        .filter(|(r, e, _)| {
            r != "sl-achieved-below-target" && !planted.iter().any(|(pr, pe)| pr == r && pe == e)
        })
        .collect();
    assert!(unplanned.is_empty(), "not planted: {unplanned:#?}");
    // The layer-2 multicast flows without a port are not "any port".
    assert!(
        !found
            .iter()
            .any(|(r, e, _)| r == "sr-5.2-re1-explicit-flows" && e.starts_with("bay_process.")),
        "{found:#?}"
    );
}

/// The flawed example's whole terminal report fits on two screens of 60 lines: findings about
/// one element share a drawing, and information-level entries are listed, not drawn.
#[test]
fn the_substation_report_fits_on_two_screens() {
    let (code, human) = check("substation", "human");
    assert_eq!(code, 1);
    let lines = human.lines().count();
    assert!(lines <= 120, "{lines} lines:\n{human}");
}

#[test]
fn the_water_treatment_plant_has_only_its_two_intended_gaps() {
    let found = findings("water-treatment");
    let errors: Vec<_> = found.iter().filter(|(_, _, s)| s == "error").collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        (errors[0].0.as_str(), errors[0].1.as_str()),
        ("sr-capability", "pump_east.rtu1")
    );
    assert!(
        found
            .iter()
            .any(|(r, e, _)| r == "sr-7.7-unused-service" && e == "ot_dmz.hist_replica"),
        "{found:#?}"
    );
}

#[test]
fn example_outputs_are_what_users_see() {
    for example in ["water-treatment", "manufacturing-line", "substation"] {
        let (code, human) = check(example, "human");
        assert_eq!(code, 1, "{example}: every example has at least one finding");
        insta::assert_snapshot!(example, human);
    }
}
