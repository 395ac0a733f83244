//! The whole check (model, built-in policies, compensations, suppressions, SL-A) and both
//! output formats never panic on one in-memory file.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use zonelint::check::{self, Options};
use zonelint::model::Date;
use zonelint::model::workspace::{Limits, MemoryFs};
use zonelint::policy::{self, PolicySet};

fn policies() -> &'static PolicySet {
    static SET: OnceLock<PolicySet> = OnceLock::new();
    SET.get_or_init(|| {
        policy::load(policy::builtin_sources(None))
            .unwrap_or_else(|_| panic!("the built-in policies load"))
    })
}

fuzz_target!(|data: &[u8]| {
    let mut fs = MemoryFs::new("/ws");
    let entry = fs.insert("main.iacs", data.to_vec());
    let options = Options {
        policies: policies(),
        limits: Limits::default(),
        today: Date {
            year: 2026,
            month: 11,
            day: 1,
        },
        achieved_levels: true,
    };
    let report = check::check(Path::new("/ws"), &[entry], &fs, &options);
    let _ = zonelint::output::human::write(&report, &zonelint::output::Context::default());
    let _ = zonelint::output::json::write(&report, &zonelint::output::Context::default());
});
