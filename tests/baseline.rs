//! Baselines hide known findings by fingerprint: moving or reformatting a file keeps them
//! hidden, fixing one makes its entry stale, and a new finding still shows.

mod common;

use std::path::Path;

use common::{add_test_findings, check_dir, fixture};
use zonelint::check::Report;
use zonelint::check::baseline::Baseline;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

fn checked(dir: &Path) -> Report {
    let mut report = check_dir(dir);
    assert!(
        report.diagnostics.iter().all(|d| d.finding.is_some()),
        "model errors: {:?}",
        report
            .diagnostics
            .iter()
            .map(|d| &d.message)
            .collect::<Vec<_>>()
    );
    add_test_findings(&mut report);
    report
}

fn open_count(report: &Report) -> usize {
    report.diagnostics.iter().filter(|d| d.is_open()).count()
}

#[test]
fn moving_and_reformatting_a_file_keeps_its_findings_baselined() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("outputs/plant"), dir.path());
    let before = checked(dir.path());
    let baseline = Baseline::from_report(&before);
    assert_eq!(baseline.entries.len(), open_count(&before));
    assert!(
        baseline.entries.len() >= 2,
        "the fixture has open findings to baseline"
    );
    // Round trip through the file format.
    let baseline = Baseline::parse(&baseline.to_json()).unwrap();

    // Move main.iacs into a sub-directory (fixing its import) and reformat it: every item
    // shifts down and is indented differently.
    let main = std::fs::read_to_string(dir.path().join("main.iacs")).unwrap();
    std::fs::remove_file(dir.path().join("main.iacs")).unwrap();
    std::fs::create_dir(dir.path().join("site")).unwrap();
    let moved = main
        .replace("import \"parties.iacs\"", "import \"../parties.iacs\"")
        .replace("\n  ", "\n      ");
    std::fs::write(
        dir.path().join("site/plant.iacs"),
        format!("// moved and reformatted\n\n\n{moved}"),
    )
    .unwrap();

    let mut after = checked(dir.path());
    let lines_before: Vec<_> = before.diagnostics.iter().map(|d| d.primary.span).collect();
    let lines_after: Vec<_> = after.diagnostics.iter().map(|d| d.primary.span).collect();
    assert_ne!(lines_before, lines_after, "the findings really moved");
    let summary = baseline.apply(&mut after);
    assert_eq!(open_count(&after), 0, "no baselined finding came back");
    assert_eq!(summary.hidden, baseline.entries.len());
    assert!(summary.stale.is_empty());
    // Answered findings (compensated, suppressed) are never baselined and stay in the report.
    assert_eq!(after.diagnostics.len(), 2);
}

#[test]
fn fixed_findings_become_stale_entries_and_new_ones_show() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("outputs/plant"), dir.path());
    let baseline = Baseline::from_report(&checked(dir.path()));

    // Give the DMZ an owner (fixes one finding) and add an unowned zone (a new finding).
    let main = std::fs::read_to_string(dir.path().join("main.iacs")).unwrap();
    let main = main.replace(
        "  kind      = dmz\n",
        "  kind      = dmz\n  owner     = owner_co\n",
    ) + "\nzone lab \"Test lab\" { kind = control }\n";
    std::fs::write(dir.path().join("main.iacs"), main).unwrap();

    let mut report = checked(dir.path());
    let summary = baseline.apply(&mut report);
    let stale: Vec<&str> = summary.stale.iter().map(|e| e.element.as_str()).collect();
    assert_eq!(stale, ["dmz"]);
    let open: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_open())
        .map(|d| d.finding.as_ref().unwrap().element.clone())
        .collect();
    assert_eq!(open, ["lab"]);
    assert_eq!(summary.hidden, baseline.entries.len() - 1);
}

#[test]
fn a_baseline_never_hides_model_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("m.iacs"), "zone a { kind = contrl }\n").unwrap();
    let mut report = check_dir(dir.path());
    let baseline = Baseline::from_report(&report);
    assert!(baseline.entries.is_empty());
    let summary = baseline.apply(&mut report);
    assert_eq!(summary.hidden, 0);
    assert_eq!(report.diagnostics.len(), 1);
}
