#![no_main]
//! Any text through the Go frontend and every rule: must not panic.
use libfuzzer_sys::fuzz_target;
use mcplint::facts::Language;

fuzz_target!(|data: &[u8]| {
    mcplint::fuzzing::check_bytes(Language::Go, "main.go", data);
});
