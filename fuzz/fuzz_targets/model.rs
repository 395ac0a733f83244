//! Loading and building the model from one in-memory file never panics, whatever its bytes
//! (invalid UTF-8 included: the loader reports it).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use zonelint::model::workspace::{self, Limits, MemoryFs};

fuzz_target!(|data: &[u8]| {
    let mut fs = MemoryFs::new("/ws");
    let entry = fs.insert("main.iacs", data.to_vec());
    let loaded = workspace::load(Path::new("/ws"), &[entry], &fs, Limits::default());
    let _ = zonelint::model::build(loaded.sources, loaded.files);
});
