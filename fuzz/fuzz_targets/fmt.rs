//! The formatter never panics, never changes what a file means (it checks that itself and
//! says so with an internal error, which is a finding here), and is idempotent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zonelint::fmt::{FmtOptions, FormatError, format};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let options = FmtOptions::default();
    match format(text, &options) {
        Ok(once) => {
            let twice = format(&once, &options).expect("formatted text formats again");
            assert_eq!(once, twice, "formatting is not idempotent");
        }
        Err(FormatError::Syntax(_)) => {}
        Err(FormatError::Internal(why)) => panic!("formatter bug: {why}"),
    }
});
