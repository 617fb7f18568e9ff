#![no_main]
//! Any text through the JSON (with comments), YAML and TOML manifest frontend.
use libfuzzer_sys::fuzz_target;
use mcplint::facts::Language;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let (language, name) = match selector % 4 {
        0 => (Language::Json, ".mcp.json"),
        1 => (Language::Json, "claude_desktop_config.json"),
        2 => (Language::Yaml, "smithery.yaml"),
        _ => (Language::Toml, "config.toml"),
    };
    mcplint::fuzzing::check_bytes(language, name, rest);
});
