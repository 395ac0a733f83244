//! Every `check` output format over one model with findings in each state, snapshotted, and the
//! JSON and SARIF documents validated against their schemas.

mod common;

use common::{add_test_findings, check_dir, fixture};
use serde_json::Value;
use zonelint::check::Report;
use zonelint::check::baseline::{BaselineEntry, BaselineSummary};
use zonelint::output::{self, Context, Format};

fn plant() -> (Report, Context) {
    let mut report = check_dir(&fixture("outputs/plant"));
    assert!(
        report.diagnostics.iter().all(|d| d.finding.is_some()),
        "the fixture loads without model errors"
    );
    add_test_findings(&mut report);
    let root_relative = report
        .model
        .sources
        .iter()
        .map(|(_, f)| format!("models/{}", f.name))
        .collect();
    let context = Context {
        root_relative,
        ..Context::default()
    };
    (report, context)
}

fn render(format: Format) -> String {
    let (report, context) = plant();
    output::write(format, &report, &context)
}

#[test]
fn human() {
    insta::assert_snapshot!(render(Format::Human));
}

#[test]
fn short() {
    insta::assert_snapshot!(render(Format::Short));
}

#[test]
fn github() {
    insta::assert_snapshot!(render(Format::Github));
}

#[test]
fn junit() {
    insta::assert_snapshot!(render(Format::Junit));
}

#[test]
fn json() {
    insta::assert_snapshot!(render(Format::Json));
}

#[test]
fn sarif() {
    insta::assert_snapshot!(render(Format::Sarif));
}

fn schema(path: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .expect("schema file");
    // The official SARIF schema's `language` patterns end in a stray `]`, a literal under
    // ECMA-262's lenient rules but refused by the Rust crate's check of the schema itself.
    // Escaping it means the same; the vendored file stays byte-identical to the original.
    let text = text.replace(r#"{2}]?$""#, r#"{2}\\]?$""#);
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::options()
        .should_validate_formats(false)
        .build(&schema)
        .expect("schema compiles")
}

fn assert_valid(validator: &jsonschema::Validator, document: &str) {
    let instance: Value = serde_json::from_str(document).expect("output is JSON");
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

fn with_baseline(format: Format) -> String {
    let (report, mut context) = plant();
    context.baseline = Some(BaselineSummary {
        hidden: 2,
        stale: vec![BaselineEntry {
            fingerprint: "0123456789abcdef".into(),
            rule: "test-zone-owner".into(),
            element: "old_zone".into(),
            message: "zone `old_zone` names no accountable owner".into(),
        }],
    });
    output::write(format, &report, &context)
}

#[test]
fn json_output_matches_its_documented_schema() {
    let validator = schema("docs/schemas/zonelint-output.schema.json");
    assert_valid(&validator, &render(Format::Json));
    assert_valid(&validator, &with_baseline(Format::Json));
    // A schema that accepted anything would prove nothing: a wrong state must fail.
    let mut broken: Value = serde_json::from_str(&render(Format::Json)).unwrap();
    broken["diagnostics"][0]["state"] = Value::from("ignored");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn sarif_output_matches_the_sarif_2_1_0_schema() {
    let validator = schema("tests/schemas/sarif-schema-2.1.0.json");
    assert_valid(&validator, &render(Format::Sarif));
    assert_valid(&validator, &with_baseline(Format::Sarif));
    let mut broken: Value = serde_json::from_str(&render(Format::Sarif)).unwrap();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn sarif_carries_what_code_scanning_needs() {
    let sarif: Value = serde_json::from_str(&render(Format::Sarif)).unwrap();
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 5, "one descriptor per Report::rules entry");
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(
            location["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .starts_with("models/")
        );
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(result["partialFingerprints"]["zonelint/v1"].is_string());
    }
    let by_rule = |id: &str| {
        run["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["ruleId"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(
        by_rule("dd-purdue-step")["suppressions"][0]["kind"],
        "inSource"
    );
    assert_eq!(
        by_rule("test-plc-auth")["properties"]["state"],
        "compensated"
    );
    assert_eq!(
        by_rule("test-public-conduit")["relatedLocations"][0]["id"],
        1
    );
    let public = &rules[1];
    assert_eq!(public["properties"]["requirement"], "SR 5.1");
    assert!(
        public["properties"]["tags"]
            .as_array()
            .unwrap()
            .contains(&Value::from("security"))
    );
    assert_eq!(public["defaultConfiguration"]["level"], "error");
    assert!(
        public["helpUri"]
            .as_str()
            .unwrap()
            .ends_with("test-public-conduit.md")
    );
}

#[test]
fn model_errors_get_fingerprints_that_ignore_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let write = |text: &str| {
        std::fs::write(dir.path().join("m.iacs"), text).unwrap();
        let report = check_dir(dir.path());
        let context = Context::default();
        let sarif: Value =
            serde_json::from_str(&output::write(Format::Sarif, &report, &context)).unwrap();
        sarif["runs"][0]["results"][0]["partialFingerprints"]["zonelint/v1"].clone()
    };
    let before = write("zone a { kind = contrl }\n");
    let after = write("// a comment moves the error down\n\nzone a { kind = contrl }\n");
    assert!(before.is_string());
    assert_eq!(before, after);
}
