//! `zonelint fmt` run as a real process.

use std::path::Path;
use std::process::{Command, Output};

fn zonelint(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zonelint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const UGLY: &str = "zone dmz {\nkind = dmz   // the DMZ\n  level=3.5\n}\n";
const PRETTY: &str = "zone dmz {\n  kind  = dmz  // the DMZ\n  level = 3.5\n}\n";

#[test]
fn check_prints_a_diff_writes_nothing_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.iacs"), UGLY).unwrap();
    let out = zonelint(&["fmt", "--check", "."], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("--- a.iacs (original)"), "{stdout}");
    assert!(stdout.contains("+  level = 3.5"), "{stdout}");
    assert!(stdout.contains("-  level=3.5"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.iacs")).unwrap(),
        UGLY
    );
}

#[test]
fn rewrites_in_place_then_check_is_clean() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.iacs"), UGLY).unwrap();
    std::fs::write(dir.path().join("b.iacs"), PRETTY).unwrap();
    let out = zonelint(&["fmt"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("reformatted 1 of 2 files"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.iacs")).unwrap(),
        PRETTY
    );
    // No temporary file is left behind.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    let again = zonelint(&["fmt", "--check"], dir.path());
    assert_eq!(again.status.code(), Some(0));
    assert!(again.stdout.is_empty());
}

#[test]
fn files_with_syntax_errors_are_reported_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let broken = "zone a {\n  kind = \n}\n";
    std::fs::write(dir.path().join("broken.iacs"), broken).unwrap();
    std::fs::write(dir.path().join("ok.iacs"), UGLY).unwrap();
    let out = zonelint(&["fmt", "."], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("syntax-error"), "{stderr}");
    assert!(stderr.contains("broken.iacs"), "{stderr}");
    assert!(stderr.contains("skipped `broken.iacs`"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("broken.iacs")).unwrap(),
        broken
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ok.iacs")).unwrap(),
        PRETTY
    );
}

#[test]
fn a_missing_path_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = zonelint(&["fmt", "nowhere"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("nowhere"));
}
