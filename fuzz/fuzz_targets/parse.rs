//! The parser never panics, and its fast path builds exactly the tree and errors pest does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zonelint::syntax::{parse, parse_reference};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let fast = parse(text);
    let reference = parse_reference(text);
    assert_eq!(fast.items, reference.items, "the fast path built another tree");
    assert_eq!(fast.errors, reference.errors, "the fast path changed the errors");
});
