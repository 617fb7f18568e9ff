#![no_main]
//! Any text through the TypeScript, TSX and JavaScript frontends and every rule.
use libfuzzer_sys::fuzz_target;
use mcplint::facts::Language;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let (language, name) = match selector % 3 {
        0 => (Language::TypeScript, "server.ts"),
        1 => (Language::Tsx, "App.tsx"),
        _ => (Language::JavaScript, "server.js"),
    };
    mcplint::fuzzing::check_bytes(language, name, rest);
});
