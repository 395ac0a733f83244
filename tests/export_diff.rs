//! `zonelint export` (validated against its documented schema) and `zonelint diff`.

mod common;

use std::path::Path;

use common::{fixture, stderr, stdout, zonelint};
use serde_json::Value;

fn export(dir: &Path, path: &str) -> Value {
    let out = zonelint(&["export", path], dir);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

#[test]
fn export_snapshot() {
    let out = zonelint(&["export", "plant"], &fixture("outputs"));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn export_matches_its_documented_schema() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schemas/zonelint-export.schema.json"),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap();
    let document = export(&fixture("outputs"), "plant");
    let errors: Vec<String> = validator
        .iter_errors(&document)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let mut broken = document.clone();
    broken["elements"][0]["attributes"]["owner"]["type"] = Value::from("reference");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn export_resolves_references_to_qualified_ids() {
    let doc = export(&fixture("outputs"), "plant");
    let element = |qid: &str| {
        doc["elements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["qid"] == qid)
            .unwrap()
            .clone()
    };
    let plc = element("cell.plc1");
    assert_eq!(plc["product"], "s7");
    assert_eq!(plc["parent"], "cell");
    assert_eq!(plc["attributes"]["sl_capability"]["inherited"], true);
    assert_eq!(plc["attributes"]["sl_capability"]["value"]["DC"], 1);
    assert_eq!(plc["custom"]["asset_tag"]["value"], "A-1042");
    let backbone = element("backbone");
    assert_eq!(
        backbone["attributes"]["via"]["value"][1]["value"],
        "cell.fw_cell"
    );
    assert_eq!(backbone["attributes"]["direction"]["value"]["from"], "cell");
    let conduit = doc["conduits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["conduit"] == "backbone")
        .unwrap();
    assert_eq!(
        conduit["zones"],
        serde_json::json!(["dmz", "cell", "cell.safety"])
    );
    let cell = doc["zones"]
        .as_array()
        .unwrap()
        .iter()
        .find(|z| z["zone"] == "cell")
        .unwrap();
    assert_eq!(cell["subzones"], serde_json::json!(["cell.safety"]));
    let flow = &doc["flows"][0];
    assert_eq!(flow["source"], "enterprise.mail1");
    assert_eq!(flow["destination"], "dmz.hist2");
}

const OLD: &str = r#"
zone office { kind = enterprise  sl_target = 1 }
zone dmz { kind = dmz  sl_target = [2, 2, 2, 2, 3, 2, 2] component fw : network-device { } }
zone cell { kind = control  sl_target = 2 component plc : embedded-device { } }
conduit office_dmz { zones = [office, dmz]  via = fw }
conduit dmz_cell { zones = [dmz, cell]  via = fw }
"#;

const NEW: &str = r#"
zone office { kind = enterprise  sl_target = 1 component laptop : host-device { } }
zone dmz { kind = dmz  sl_target = [2, 2, 2, 2, 2, 2, 3] component fw : network-device { } }
zone cell { kind = control  sl_target = 3 component plc : embedded-device { } }
conduit office_dmz { zones = [office, dmz]  via = fw }
conduit shortcut { zones = [office, cell]  via = fw
  flow eng : office.laptop -> cell.plc { protocol = s7comm }
}
zone lab { kind = contrl }
"#;

fn versions() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixed = NEW.replace("zone lab { kind = contrl }\n", "");
    for (name, text) in [("old", OLD), ("new", NEW), ("fixed", fixed.as_str())] {
        std::fs::create_dir_all(dir.path().join(name)).unwrap();
        std::fs::write(dir.path().join(name).join("plant.iacs"), text).unwrap();
    }
    dir
}

#[test]
fn diff_human() {
    let dir = versions();
    let out = zonelint(&["diff", "old", "new"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn diff_json() {
    let dir = versions();
    let out = zonelint(&["diff", "old", "new", "--format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        doc["new_crossings"][0]["zones"],
        serde_json::json!(["cell", "office"])
    );
    assert_eq!(
        doc["removed_crossings"][0]["zones"],
        serde_json::json!(["cell", "dmz"])
    );
    let dmz = doc["sl_target_changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["qid"] == "dmz")
        .unwrap();
    assert_eq!(
        dmz["frs"],
        serde_json::json!([
            {"fr": "RDF", "old": 3, "new": 2},
            {"fr": "RA", "old": 2, "new": 3}
        ])
    );
    let introduced: Vec<&str> = doc["findings_introduced"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(introduced.contains(&"invalid-value"), "{introduced:?}");
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn diff_exit_codes() {
    let dir = versions();
    let same = zonelint(
        &["diff", "old", "old", "--fail-on-new-findings"],
        dir.path(),
    );
    assert_eq!(same.status.code(), Some(0));
    assert!(stdout(&same).starts_with("no changes"));
    let new = zonelint(
        &["diff", "old", "new", "--fail-on-new-findings"],
        dir.path(),
    );
    assert_eq!(
        new.status.code(),
        Some(1),
        "the new version has a model error"
    );
    let fixed = zonelint(
        &["diff", "new", "fixed", "--fail-on-new-findings"],
        dir.path(),
    );
    assert_eq!(fixed.status.code(), Some(0), "fixing is not failing");
    assert!(stdout(&fixed).contains("fixed error[invalid-value]"));
    let missing = zonelint(&["diff", "old", "nowhere"], dir.path());
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn diff_ignores_moving_items_between_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("a")).unwrap();
    std::fs::create_dir_all(dir.path().join("b/sub")).unwrap();
    std::fs::write(dir.path().join("a/m.iacs"), OLD).unwrap();
    let (first, rest) = OLD.split_at(OLD.find("zone cell").unwrap());
    std::fs::write(dir.path().join("b/one.iacs"), first).unwrap();
    std::fs::write(
        dir.path().join("b/sub/two.iacs"),
        format!("\n\n// moved\n{rest}"),
    )
    .unwrap();
    let out = zonelint(&["diff", "a", "b"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("no changes"), "{}", stdout(&out));
}
