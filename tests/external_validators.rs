//! The documents zonelint writes, checked by an independent validator: `check-jsonschema`
//! (PyPI, Python's `jsonschema` underneath), so that a bug shared by our writer and the Rust
//! validator crate cannot pass unnoticed.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{add_test_findings, check_dir, client_available, fixture, zonelint};
use zonelint::output::{self, Context, Format};

fn schema(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Runs check-jsonschema. ECMAScript's non-unicode regex mode is the dialect the SARIF schema's
/// patterns are written in (one ends in a literal `]`).
fn validate(schema: &Path, document: &Path) -> (bool, String) {
    let out = Command::new("check-jsonschema")
        .args(["--regex-variant", "nonunicode", "--schemafile"])
        .arg(schema)
        .arg(document)
        .output()
        .expect("check-jsonschema runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn sarif_json_and_export_pass_check_jsonschema() {
    if !client_available("check-jsonschema", &["--version"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut report = check_dir(&fixture("outputs/plant"));
    add_test_findings(&mut report);
    let context = Context::default();
    let write = |name: &str, text: String| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let findings_sarif = write(
        "findings.sarif",
        output::write(Format::Sarif, &report, &context),
    );
    let findings_json = write(
        "findings.json",
        output::write(Format::Json, &report, &context),
    );
    let errors_sarif = dir.path().join("errors.sarif");
    let run = zonelint(
        &["check", ".", "--format", "short", "--output"],
        &fixture("outputs/broken"),
    );
    assert_eq!(run.status.code(), Some(2), "--output needs a value");
    let run = zonelint(
        &[
            "check",
            ".",
            "--output",
            &format!("sarif={}", errors_sarif.display()),
        ],
        &fixture("outputs/broken"),
    );
    assert_eq!(run.status.code(), Some(1));
    let export = write("export.json", output::export::write(&report.model));

    let sarif_schema = schema("tests/schemas/sarif-schema-2.1.0.json");
    for document in [&findings_sarif, &errors_sarif] {
        let (ok, text) = validate(&sarif_schema, document);
        assert!(ok, "{}: {text}", document.display());
    }
    let (ok, text) = validate(
        &schema("docs/schemas/zonelint-output.schema.json"),
        &findings_json,
    );
    assert!(ok, "{text}");
    let (ok, text) = validate(&schema("docs/schemas/zonelint-export.schema.json"), &export);
    assert!(ok, "{text}");

    // The validator does reject: a result without a message is not SARIF.
    let mut broken: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&findings_sarif).unwrap()).unwrap();
    broken["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    let broken_path = write("broken.sarif", broken.to_string());
    let (ok, text) = validate(&sarif_schema, &broken_path);
    assert!(
        !ok && text.contains("'message' is a required property"),
        "{text}"
    );
}
