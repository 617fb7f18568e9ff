#![no_main]
//! A generated directory of files (any bytes, any kind) through the whole scan.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(dir) = tempfile::tempdir() {
        mcplint::fuzzing::scan_generated_directory(data, dir.path());
    }
});
