//! Replays `tests/fixtures/fuzz-regressions/`: every input that once crashed zonelint or split
//! its parsers goes through what the fuzz targets check, so a fixed bug stays fixed.

use std::path::Path;

use zonelint::check::{self, Options};
use zonelint::fmt::{FmtOptions, FormatError, format};
use zonelint::model::Date;
use zonelint::model::workspace::{Limits, MemoryFs};
use zonelint::syntax::{parse, parse_reference};

fn replay(name: &str, bytes: &[u8]) {
    if let Ok(text) = std::str::from_utf8(bytes) {
        let fast = parse(text);
        let reference = parse_reference(text);
        assert_eq!(fast.items, reference.items, "{name}: the parsers disagree");
        assert_eq!(fast.errors, reference.errors, "{name}: the errors differ");
        match format(text, &FmtOptions::default()) {
            Ok(once) => assert_eq!(
                format(&once, &FmtOptions::default()).as_ref(),
                Ok(&once),
                "{name}: formatting is not idempotent"
            ),
            Err(FormatError::Syntax(_)) => {}
            Err(FormatError::Internal(why)) => panic!("{name}: formatter bug: {why}"),
        }
    }
    let policies = zonelint::policy::load(zonelint::policy::builtin_sources(None))
        .unwrap_or_else(|_| panic!("the built-in policies load"));
    let mut fs = MemoryFs::new("/ws");
    let entry = fs.insert("main.iacs", bytes.to_vec());
    let options = Options {
        policies: &policies,
        limits: Limits::default(),
        today: Date {
            year: 2026,
            month: 11,
            day: 1,
        },
        achieved_levels: true,
    };
    let report = check::check(Path::new("/ws"), &[entry], &fs, &options);
    let human = zonelint::output::human::write(&report, &zonelint::output::Context::default());
    assert!(human.contains("checked 1 file"), "{name}: {human}");
    zonelint::output::json::write(&report, &zonelint::output::Context::default());
}

#[test]
fn every_fuzz_regression_stays_fixed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz-regressions");
    let mut replayed = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("the regression directory exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_none_or(|e| e != "md"))
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        replay(&name, &std::fs::read(&path).expect("readable fixture"));
        replayed += 1;
    }
    assert!(replayed > 0, "no regression inputs in {}", dir.display());
}
