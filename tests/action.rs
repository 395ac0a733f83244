//! The composite GitHub Action's check step, run with bash the way the runner would (inputs as
//! environment, `GITHUB_OUTPUT` a file), with the zonelint binary under test in place of the
//! one the install step builds. The YAML is read with PyYAML (installed with pre-commit).

mod common;

use std::path::Path;
use std::process::Command;

use common::client_available;

/// The `run` script of the step with this id, and the step's `env` keys.
fn step_script(id: &str) -> Option<String> {
    let action = Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml");
    let out = Command::new("python3")
        .args([
            "-c",
            "import sys, yaml\n\
             doc = yaml.safe_load(open(sys.argv[1]))\n\
             step = next(s for s in doc['runs']['steps'] if s.get('id') == sys.argv[2])\n\
             assert doc['runs']['using'] == 'composite'\n\
             print(step['run'])",
        ])
        .arg(action)
        .arg(id)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn run_check(script: &str, workspace: &Path, runner_temp: &Path, paths: &str) -> (String, bool) {
    let outputs = runner_temp.join("github_output");
    std::fs::write(&outputs, "").unwrap();
    let status = Command::new("bash")
        .arg("-c")
        .arg(script)
        .current_dir(workspace)
        .env("RUNNER_TEMP", runner_temp)
        .env("GITHUB_OUTPUT", &outputs)
        .env("ZONELINT_PATHS", paths)
        .env("ZONELINT_ARGS", "")
        .env("ZONELINT_SARIF", "zonelint.sarif")
        .env("NO_COLOR", "1")
        .status()
        .unwrap();
    (std::fs::read_to_string(&outputs).unwrap(), status.success())
}

#[test]
fn the_check_step_writes_sarif_and_reports_the_exit_code() {
    if !client_available("python3", &["-c", "import yaml"])
        || !client_available("bash", &["--version"])
    {
        return;
    }
    let script = step_script("check").expect("action.yml has a composite step with id `check`");
    let runner_temp = tempfile::tempdir().unwrap();
    let bin = runner_temp.path().join("zonelint/bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_zonelint"), bin.join("zonelint")).unwrap();

    let workspace = tempfile::tempdir().unwrap();
    std::fs::create_dir(workspace.path().join("models")).unwrap();
    std::fs::write(
        workspace.path().join("models/m.iacs"),
        "zone a { kind = contrl }\n",
    )
    .unwrap();
    let (outputs, ok) = run_check(&script, workspace.path(), runner_temp.path(), "models");
    assert!(
        ok,
        "findings do not fail this step; the last step does, after the upload"
    );
    assert_eq!(outputs.trim(), "exit-code=1");
    let sarif = std::fs::read_to_string(workspace.path().join("zonelint.sarif")).unwrap();
    assert!(sarif.contains("\"ruleId\": \"invalid-value\""));

    std::fs::write(
        workspace.path().join("models/m.iacs"),
        zonelint::config::starter::STARTER_MODEL,
    )
    .unwrap();
    let (outputs, ok) = run_check(&script, workspace.path(), runner_temp.path(), "models");
    assert!(ok);
    assert_eq!(outputs.trim(), "exit-code=0");

    let (outputs, ok) = run_check(&script, workspace.path(), runner_temp.path(), "missing");
    assert!(!ok, "zonelint could not run: the step fails at once");
    assert_eq!(outputs.trim(), "exit-code=2");
}
