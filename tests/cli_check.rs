//! `zonelint check` through the real binary: formats, output files, exit codes, configuration,
//! `init`, and baseline files.

mod common;

use common::{fixture, stderr, stdout, zonelint};

/// A scratch project (a `.git` marks the workspace root) with the given files.
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// The model `zonelint init` writes, which passes every built-in policy.
const CLEAN: &str = zonelint::config::starter::STARTER_MODEL;
const BROKEN: &str = "zone a { kind = contrl }\n";

#[test]
fn exit_codes_are_the_same_in_every_format() {
    let clean = project(&[("m.iacs", CLEAN)]);
    let broken = project(&[("m.iacs", BROKEN)]);
    for format in ["human", "json", "sarif", "github", "junit", "short"] {
        let ok = zonelint(&["check", "--format", format], clean.path());
        assert_eq!(ok.status.code(), Some(0), "{format}: {}", stderr(&ok));
        let bad = zonelint(&["check", "--format", format], broken.path());
        assert_eq!(bad.status.code(), Some(1), "{format}");
        let missing = zonelint(&["check", "--format", format, "nowhere"], clean.path());
        assert_eq!(missing.status.code(), Some(2), "{format}");
    }
}

#[test]
fn model_errors_in_each_terminal_format() {
    let dir = fixture("outputs/broken");
    let out = |format: &str| stdout(&zonelint(&["check", "--format", format, "."], &dir));
    insta::assert_snapshot!("cli_broken_short", out("short"));
    insta::assert_snapshot!("cli_broken_github", out("github"));
    insta::assert_snapshot!("cli_broken_human", out("human"));
}

#[test]
fn output_files_are_written_whole_beside_stdout() {
    let dir = project(&[("models/m.iacs", BROKEN)]);
    let run = zonelint(
        &[
            "check",
            "models",
            "--format",
            "short",
            "--output",
            "sarif=reports/results.sarif",
            "--output",
            "junit=reports/report.xml",
            "--output",
            "json=reports/out.json",
        ],
        dir.path(),
    );
    // The reports directory does not exist: nothing can be written, and zonelint says so.
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("cannot write `reports/results.sarif`"));
    std::fs::create_dir(dir.path().join("reports")).unwrap();
    let run = zonelint(
        &[
            "check",
            "models",
            "--format",
            "short",
            "--output",
            "sarif=reports/results.sarif",
            "--output",
            "junit=reports/report.xml",
        ],
        dir.path(),
    );
    assert_eq!(run.status.code(), Some(1));
    assert!(stdout(&run).contains("models/m.iacs:1:17: error[invalid-value]"));
    let sarif: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("reports/results.sarif")).unwrap(),
    )
    .unwrap();
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert_eq!(uri, "models/m.iacs", "relative to the workspace root");
    let junit = std::fs::read_to_string(dir.path().join("reports/report.xml")).unwrap();
    assert!(junit.contains("<failure type=\"error\""));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("reports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn a_bad_output_argument_is_a_usage_error() {
    let dir = project(&[("m.iacs", CLEAN)]);
    let run = zonelint(&["check", "--output", "sarf=x.sarif"], dir.path());
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("unknown format `sarf`"));
}

#[test]
fn unknown_config_keys_are_errors_with_did_you_mean() {
    let dir = project(&[
        ("m.iacs", CLEAN),
        (
            "zonelint.toml",
            "fail_on = \"error\"\n\n[rules]\nselct = [\"dd-\"]\n",
        ),
    ]);
    let run = zonelint(&["check"], dir.path());
    assert_eq!(run.status.code(), Some(2));
    insta::assert_snapshot!("config_unknown_key", stderr(&run));

    let dir = project(&[
        ("m.iacs", CLEAN),
        ("zonelint.toml", "fail-on = \"error\"\n"),
    ]);
    let run = zonelint(&["check"], dir.path());
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("did you mean `fail_on`?"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn bad_config_values_point_into_the_file() {
    let dir = project(&[
        ("m.iacs", CLEAN),
        (
            "zonelint.toml",
            "fail_on = \"warnings\"\nexclude = [\"a/[b\"]\n\n[rules.severity]\n\"dd-x\" = \"fatal\"\n",
        ),
    ]);
    let run = zonelint(&["check"], dir.path());
    assert_eq!(run.status.code(), Some(2));
    insta::assert_snapshot!("config_bad_values", stderr(&run));

    let dir = project(&[("m.iacs", CLEAN), ("zonelint.toml", "packs = \"all\"\n")]);
    let run = zonelint(&["check"], dir.path());
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("zonelint.toml:1:9"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn config_is_found_upwards_and_an_explicit_one_wins() {
    let dir = project(&[
        ("zonelint.toml", "exclude = [\"sub/broken.iacs\"]\n"),
        ("other.toml", "fail_on = \"error\"\n"),
        ("sub/m.iacs", CLEAN),
        ("sub/broken.iacs", BROKEN),
    ]);
    let from_root = zonelint(&["check", "sub"], dir.path());
    assert_eq!(from_root.status.code(), Some(0), "{}", stdout(&from_root));
    let from_sub = zonelint(&["check", "."], &dir.path().join("sub"));
    assert_eq!(from_sub.status.code(), Some(0), "{}", stdout(&from_sub));
    let explicit = zonelint(&["check", "sub", "--config", "other.toml"], dir.path());
    assert_eq!(
        explicit.status.code(),
        Some(1),
        "other.toml excludes nothing"
    );
    let missing = zonelint(&["check", "sub", "--config", "none.toml"], dir.path());
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn rule_selection_never_hides_model_errors() {
    let dir = project(&[
        ("m.iacs", BROKEN),
        ("zonelint.toml", "[rules]\nignore = [\"ALL\"]\n"),
    ]);
    let run = zonelint(&["check", "--format", "short"], dir.path());
    assert_eq!(run.status.code(), Some(1));
    assert!(stdout(&run).contains("invalid-value"));
    let run = zonelint(
        &[
            "check",
            "--format",
            "short",
            "--select",
            "dd-,SR 5",
            "--ignore",
            "invalid-value",
        ],
        dir.path(),
    );
    assert_eq!(run.status.code(), Some(1));
    assert!(stdout(&run).contains("invalid-value"));
}

#[test]
fn excluded_files_are_not_checked() {
    let dir = project(&[
        ("m.iacs", CLEAN),
        ("vendor/broken.iacs", BROKEN),
        ("zonelint.toml", "exclude = [\"vendor/**\"]\n"),
    ]);
    let run = zonelint(&["check", "--format", "short"], dir.path());
    assert_eq!(run.status.code(), Some(0), "{}", stdout(&run));
    std::fs::write(dir.path().join("zonelint.toml"), "").unwrap();
    let run = zonelint(&["check", "--format", "short"], dir.path());
    assert_eq!(run.status.code(), Some(1));
}

#[test]
fn init_writes_a_config_and_a_model_that_checks_clean_and_never_overwrites() {
    let dir = project(&[]);
    let run = zonelint(&["init", "plant"], dir.path());
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let plant = dir.path().join("plant");
    assert!(plant.join("zonelint.toml").is_file());
    assert!(plant.join("model.iacs").is_file());
    let check = zonelint(&["check", "plant"], dir.path());
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    assert!(stdout(&check).contains("no problems found"));
    let fmt = zonelint(&["fmt", "--check", "plant"], dir.path());
    assert_eq!(
        fmt.status.code(),
        Some(0),
        "the starter is formatted: {}",
        stdout(&fmt)
    );

    std::fs::write(plant.join("model.iacs"), "// mine\n").unwrap();
    let again = zonelint(&["init", "plant"], dir.path());
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("never overwrites"));
    assert_eq!(
        std::fs::read_to_string(plant.join("model.iacs")).unwrap(),
        "// mine\n"
    );
}

#[test]
fn baseline_files_are_written_and_read() {
    let dir = project(&[("m.iacs", CLEAN)]);
    let write = zonelint(&["check", "--write-baseline", "baseline.json"], dir.path());
    assert_eq!(write.status.code(), Some(0));
    let text = std::fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    let baseline: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(baseline["version"], 1);
    assert!(
        baseline["entries"].as_array().unwrap().is_empty(),
        "no findings to record"
    );

    // An entry that matches nothing is reported as stale, in human output and JSON.
    let stale = r#"{"version": 1, "entries": [{"fingerprint": "00000000deadbeef", "rule": "dd-gone", "element": "old_zone", "message": "gone"}]}"#;
    std::fs::write(dir.path().join("baseline.json"), stale).unwrap();
    let human = zonelint(&["check", "--baseline", "baseline.json"], dir.path());
    assert_eq!(human.status.code(), Some(0));
    assert!(
        stdout(&human).contains("1 baseline entry no longer match"),
        "{}",
        stdout(&human)
    );
    let json = zonelint(
        &["check", "--baseline", "baseline.json", "--format", "json"],
        dir.path(),
    );
    let doc: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(doc["baseline"]["stale"][0]["rule"], "dd-gone");
    let short = zonelint(
        &["check", "--baseline", "baseline.json", "--format", "short"],
        dir.path(),
    );
    assert!(stderr(&short).contains("dd-gone on `old_zone`"));

    // The config file names a baseline relative to itself.
    std::fs::write(
        dir.path().join("zonelint.toml"),
        "baseline = \"baseline.json\"\n",
    )
    .unwrap();
    let from_config = zonelint(&["check", "--format", "json"], dir.path());
    let doc: serde_json::Value = serde_json::from_str(&stdout(&from_config)).unwrap();
    assert_eq!(
        doc["baseline"]["stale"][0]["fingerprint"],
        "00000000deadbeef"
    );
}

#[test]
fn unreadable_baselines_stop_the_run() {
    let dir = project(&[
        ("m.iacs", CLEAN),
        ("bad.json", "{\"version\": 9, \"entries\": []}"),
    ]);
    let missing = zonelint(&["check", "--baseline", "nope.json"], dir.path());
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("--write-baseline"));
    let wrong = zonelint(&["check", "--baseline", "bad.json"], dir.path());
    assert_eq!(wrong.status.code(), Some(2));
    assert!(stderr(&wrong).contains("version 9 is not supported"));
}

#[test]
fn baselined_findings_stay_hidden_when_the_file_moves() {
    // The starter model without its boundaries: the 3-2 documentation policy reports both zones.
    let findings = CLEAN
        .replace("  boundary          = \"VLAN 20 behind fw1\"\n", "")
        .replace("  boundary          = \"VLAN 10 behind fw1\"\n", "");
    let dir = project(&[("plant/model.iacs", &findings)]);
    let before = zonelint(&["check", "--format", "short"], dir.path());
    assert_eq!(before.status.code(), Some(1), "{}", stdout(&before));
    let open = stdout(&before).lines().count();
    assert!(open >= 2, "{}", stdout(&before));

    let write = zonelint(&["check", "--write-baseline", "baseline.json"], dir.path());
    assert_eq!(write.status.code(), Some(0), "{}", stderr(&write));
    assert!(stderr(&write).contains(&format!("wrote {open} findings")));

    // Move and reformat the file: findings keep their fingerprints.
    std::fs::create_dir_all(dir.path().join("site/north")).unwrap();
    std::fs::write(
        dir.path().join("site/north/renamed.iacs"),
        format!("// moved\n\n{}", findings.replace("  ", "    ")),
    )
    .unwrap();
    std::fs::remove_dir_all(dir.path().join("plant")).unwrap();
    let after = zonelint(&["check", "--baseline", "baseline.json"], dir.path());
    assert_eq!(after.status.code(), Some(0), "{}", stdout(&after));
    assert!(
        stdout(&after).contains(&format!("baseline: {open} known findings hidden")),
        "{}",
        stdout(&after)
    );
    assert!(!stdout(&after).contains("no longer match"));

    // A finding on a new element is not hidden. (One on a baselined element and rule is:
    // fingerprints are rule and element, so a changed message on the same element stays known.)
    std::fs::write(
        dir.path().join("site/north/lab.iacs"),
        "zone lab \"Test lab\" { kind = control  level = 1  sl_target = 1 }\n",
    )
    .unwrap();
    let new = zonelint(
        &["check", "--baseline", "baseline.json", "--format", "json"],
        dir.path(),
    );
    assert_eq!(new.status.code(), Some(1), "{}", stdout(&new));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&new)).unwrap();
    let elements: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["state"] == "open")
        .filter_map(|d| d["element"].as_str())
        .collect();
    assert!(
        elements.iter().all(|e| *e == "lab"),
        "only the new zone's findings: {elements:?}"
    );
    assert!(!elements.is_empty());
    assert_eq!(doc["baseline"]["hidden"].as_u64().unwrap() as usize, open);
    assert!(doc["baseline"]["stale"].as_array().unwrap().is_empty());
}

#[test]
fn packs_in_the_config_choose_the_policies() {
    // Without boundaries the 3-2 documentation policy reports the zones; with only the
    // defense-in-depth pack loaded, nothing does.
    let model = CLEAN.replace("  boundary          = \"VLAN 20 behind fw1\"\n", "");
    let dir = project(&[("m.iacs", &model)]);
    let all = zonelint(&["check", "--format", "short"], dir.path());
    assert!(stdout(&all).contains("zcr-6.4-zone"), "{}", stdout(&all));
    std::fs::write(
        dir.path().join("zonelint.toml"),
        "packs = [\"defense-in-depth\"]\n",
    )
    .unwrap();
    let some = zonelint(&["check", "--format", "short"], dir.path());
    assert_eq!(some.status.code(), Some(0), "{}", stdout(&some));
    std::fs::write(
        dir.path().join("zonelint.toml"),
        "packs = [\"defense-in-dept\"]\n",
    )
    .unwrap();
    let typo = zonelint(&["check"], dir.path());
    assert_eq!(typo.status.code(), Some(2));
    assert!(
        stderr(&typo).contains("did you mean `defense-in-depth`?"),
        "{}",
        stderr(&typo)
    );
}

#[test]
fn select_and_severity_overrides_apply_to_findings() {
    let model = CLEAN.replace("  boundary          = \"VLAN 20 behind fw1\"\n", "");
    let dir = project(&[("m.iacs", &model)]);
    let ignored = zonelint(
        &["check", "--format", "short", "--ignore", "ZCR-6.4-zone"],
        dir.path(),
    );
    assert_eq!(ignored.status.code(), Some(0), "{}", stdout(&ignored));
    let by_requirement = zonelint(
        &["check", "--format", "short", "--select", "SR 1,dd-"],
        dir.path(),
    );
    assert_eq!(
        by_requirement.status.code(),
        Some(0),
        "{}",
        stdout(&by_requirement)
    );
    std::fs::write(
        dir.path().join("zonelint.toml"),
        "[rules.severity]\n\"zcr-6.4-zone\" = \"info\"\n",
    )
    .unwrap();
    let softened = zonelint(&["check", "--format", "short"], dir.path());
    assert_eq!(softened.status.code(), Some(0), "{}", stdout(&softened));
    assert!(stdout(&softened).contains("info[zcr-6.4-zone]"));
    let strict = zonelint(
        &["check", "--format", "short", "--fail-on", "info"],
        dir.path(),
    );
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn timings_go_to_stderr_and_leave_the_report_alone() {
    let dir = project(&[("m.iacs", CLEAN)]);
    let plain = zonelint(&["check", "--format", "short"], dir.path());
    let timed = zonelint(&["check", "--format", "short", "--timings"], dir.path());
    assert_eq!(timed.status.code(), plain.status.code());
    assert_eq!(stdout(&timed), stdout(&plain));
    let table = stderr(&timed);
    for stage in [
        "timings (wall clock, ms):",
        "read, parse and lower",
        "build model",
        "policies",
        "achieved levels",
        "short output",
    ] {
        assert!(table.contains(stage), "no `{stage}` in:\n{table}");
    }
    // Every built-in policy ran and was timed; the ten slowest are named.
    let ran = zonelint::policy::load(zonelint::policy::builtin_sources(None))
        .map(|set| set.policies.len())
        .unwrap_or_default();
    assert!(ran > 50);
    assert!(
        table.contains(&format!("slowest policies ({ran} ran")),
        "{table}"
    );
    let named = table
        .lines()
        .skip_while(|l| !l.starts_with("slowest policies"))
        .skip(1)
        .count();
    assert_eq!(named, 10, "{table}");
    assert!(stderr(&plain).is_empty(), "{}", stderr(&plain));
}
