//! The policy language: compiling any policy text never panics, a policy that compiles
//! evaluates over a real model without panicking (the step budget bounds it), and the parser's
//! hand-written fast path reads every policy exactly as pest does or leaves it to pest.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use zonelint::check::{self, Options};
use zonelint::model::workspace::{Limits, MemoryFs};
use zonelint::model::{Date, Model};
use zonelint::policy::parse_differential::{block_fast, block_reference, blocks, file};
use zonelint::policy::{self, PolicySource};

/// The water-treatment example, built once.
fn plant() -> &'static (MemoryFs, Vec<std::path::PathBuf>) {
    static PLANT: OnceLock<(MemoryFs, Vec<std::path::PathBuf>)> = OnceLock::new();
    PLANT.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/water-treatment");
        let mut fs = MemoryFs::new("/ws");
        for entry in std::fs::read_dir(&dir).expect("example directory") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "iacs") {
                let name = path.file_name().expect("file name").to_owned();
                fs.insert(name, std::fs::read(&path).expect("example file"));
            }
        }
        let entries = fs.paths();
        (fs, entries)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    assert_eq!(
        file(text, true),
        file(text, false),
        "the fast path changed the parse"
    );
    for block in blocks(text).unwrap_or_default() {
        if let Some(tree) = block_fast(&block) {
            assert_eq!(
                Ok(tree),
                block_reference(&block),
                "the fast path built another tree"
            );
        }
    }
    // The catalogues give requirement ids meaning; the fuzzed file is a custom pack.
    let mut sources: Vec<PolicySource> = policy::builtin_sources(Some(&[]));
    sources.push(PolicySource {
        name: "fuzz.policy".into(),
        pack: "fuzz".into(),
        text: text.to_string(),
    });
    let Ok(set) = policy::load(sources) else {
        return;
    };
    let (fs, entries) = plant();
    let options = Options {
        policies: &set,
        limits: Limits::default(),
        today: Date {
            year: 2026,
            month: 11,
            day: 1,
        },
        achieved_levels: true,
    };
    let report = check::check(fs.root(), entries, fs, &options);
    let _: &Model = &report.model;
});
