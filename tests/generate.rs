//! The workspace generator: a generated fleet is a valid model (no model errors at 1,000
//! components, every kind of element present), and `zonelint generate` writes it to disk.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use zonelint::generate::{GenerateConfig, Workspace, generate};
use zonelint::model::workspace::{self, Limits, MemoryFs};
use zonelint::model::{ElementKind, Model};

const BIN: &str = env!("CARGO_BIN_EXE_zonelint");

fn build(ws: &Workspace) -> (Model, Vec<String>) {
    let mut fs = MemoryFs::new("/ws");
    for file in &ws.files {
        fs.insert(&file.path, file.text.clone());
    }
    // From the entry file alone: every other file must be reached through imports.
    let entry = fs.root().join(Workspace::ENTRY);
    let loaded = workspace::load(fs.root(), &[entry], &fs, Limits::default());
    let mut errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    let (model, model_errors) = zonelint::model::build(loaded.sources, loaded.files);
    errors.extend(
        model_errors
            .iter()
            .map(|d| format!("{}: {}", d.code, d.message)),
    );
    (model, errors)
}

#[test]
fn a_generated_fleet_of_1000_components_builds_without_model_errors() {
    let ws = generate(&GenerateConfig {
        components: 1_000,
        seed: 62443,
    })
    .expect("in range");
    let (model, errors) = build(&ws);
    assert!(errors.is_empty(), "model errors:\n{}", errors.join("\n"));
    assert_eq!(
        model.sources.len(),
        ws.files.len(),
        "every file is imported"
    );
    assert_eq!(model.all(ElementKind::Component).len(), 1_000);
    for kind in ElementKind::ALL {
        assert!(!model.all(kind).is_empty(), "no {kind:?} in the fleet");
    }
    let component_kinds: BTreeSet<&str> = model
        .all(ElementKind::Component)
        .iter()
        .filter_map(|&c| model.element(c).component_kind)
        .collect();
    assert_eq!(component_kinds.len(), 4, "{component_kinds:?}");
    let instances = model
        .all(ElementKind::Component)
        .iter()
        .filter(|&&c| model.element(c).product.is_some())
        .count();
    assert!(instances > 100, "only {instances} product instances");
    let zone_kinds: BTreeSet<&str> = model
        .all(ElementKind::Zone)
        .iter()
        .filter_map(|&z| model.element(z).word("kind"))
        .collect();
    for kind in [
        "enterprise",
        "dmz",
        "operations",
        "control",
        "safety",
        "external",
    ] {
        assert!(zone_kinds.contains(kind), "no {kind} zone: {zone_kinds:?}");
    }
}

#[test]
fn other_seeds_and_sizes_build_without_model_errors_too() {
    for (components, seed) in [(zonelint::generate::MIN_COMPONENTS, 1), (250, 2), (777, 3)] {
        let ws = generate(&GenerateConfig { components, seed }).expect("in range");
        let (model, errors) = build(&ws);
        assert!(errors.is_empty(), "seed {seed}:\n{}", errors.join("\n"));
        assert_eq!(model.all(ElementKind::Component).len(), components);
    }
}

fn run(args: &[&str], dir: &Path) -> (i32, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_generate_command_writes_a_workspace_the_check_reads() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (code, stdout, stderr) = run(
        &[
            "generate",
            "--components",
            "300",
            "--out",
            "fleet",
            "--seed",
            "9",
        ],
        tmp.path(),
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("wrote 300 components"), "{stdout}");
    let fleet = tmp.path().join("fleet");
    assert!(fleet.join("main.iacs").is_file());
    assert!(fleet.join("shared/products.iacs").is_file());
    // Same seed, same text.
    let expected = generate(&GenerateConfig {
        components: 300,
        seed: 9,
    })
    .expect("in range");
    for file in &expected.files {
        let written = std::fs::read_to_string(fleet.join(&file.path)).expect("written file");
        assert_eq!(written, file.text, "{}", file.path);
    }
    // Policy findings are expected (exit 1); model errors are not. Model error codes are the
    // ones documented in docs/codes/.
    let (code, stdout, _) = run(&["check", "--format", "json", "fleet"], tmp.path());
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let model_codes: Vec<&str> = doc["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .filter(|c| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("docs/codes")
                .join(format!("{c}.md"))
                .exists()
        })
        .collect();
    assert!(model_codes.is_empty(), "model errors: {model_codes:?}");
}

#[test]
fn the_generate_command_refuses_bad_sizes_and_non_empty_directories() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (code, _, stderr) = run(&["generate", "--components", "5", "--out", "x"], tmp.path());
    assert_eq!(code, 2);
    assert!(stderr.contains("between"), "{stderr}");
    std::fs::create_dir(tmp.path().join("taken")).expect("dir");
    std::fs::write(tmp.path().join("taken/model.iacs"), "").expect("file");
    let (code, _, stderr) = run(
        &["generate", "--components", "100", "--out", "taken"],
        tmp.path(),
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("not empty"), "{stderr}");
}
