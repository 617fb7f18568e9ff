//! A bounded mutation fuzzer that runs on every `cargo test`: the fixtures,
//! mutated byte-wise, through every frontend, rule, the inventory and every
//! output format; and every input that ever crashed a cargo-fuzz target
//! (tests/fuzz_regressions/<target>/…). The coverage-guided targets are in fuzz/.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mcplint::facts::Language;
use mcplint::fuzzing::{check_bytes, scan_generated_directory};

/// xorshift64*: deterministic, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const INTERESTING: &[&[u8]] = &[
    b"(",
    b")",
    b"[",
    b"{",
    b"}",
    b"\"",
    b"'",
    b"`",
    b"\\",
    b"\n",
    b"${",
    b"\"\"\"",
    b"#",
    b"//",
    b"/*",
    b"\xe2\x80\x8b",
    b"\xf3\xa0\x80\x81",
    b"\xff",
    b"\x00",
    b"@mcp.tool(",
    b"server.tool(",
    b"#[tool(",
    b"0.0.0.0",
    b"ghp_",
    b"mcplint: ignore[",
    b"::",
    b"=>",
];

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut data = seed.to_vec();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(data.len() + 1);
        match rng.below(6) {
            0 if !data.is_empty() => {
                let end = (at + rng.below(64)).min(data.len());
                data.drain(at.min(end)..end);
            }
            1 => {
                let token = INTERESTING[rng.below(INTERESTING.len())];
                data.splice(at..at, token.iter().copied());
            }
            2 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            3 if !data.is_empty() => {
                // Repeat a slice: deep nesting and long runs.
                let start = rng.below(data.len());
                let end = (start + 1 + rng.below(8)).min(data.len());
                let piece = data[start..end].to_vec();
                for _ in 0..rng.below(200) {
                    data.splice(at..at, piece.iter().copied());
                }
            }
            4 => data.truncate(at),
            _ => {
                let byte = rng.next() as u8;
                data.insert(at, byte);
            }
        }
    }
    data
}

fn seeds() -> Vec<(Language, &'static str, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![common::repo_root().join("fixtures")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let Some(language) = mcplint::discover::classify(&path) else {
                continue;
            };
            let name = match language {
                Language::Python => "server.py",
                Language::TypeScript => "server.ts",
                Language::Tsx => "App.tsx",
                Language::JavaScript => "server.js",
                Language::Rust => "main.rs",
                Language::Json => ".mcp.json",
                Language::Yaml => "smithery.yaml",
                Language::Toml => "config.toml",
                Language::Go => "main.go",
                Language::Dependencies => "uv.lock",
            };
            out.push((language, name, std::fs::read(&path).unwrap()));
        }
    }
    out.sort_by(|a, b| a.2.cmp(&b.2));
    out
}

#[test]
fn mutated_fixtures_never_panic() {
    let seeds = seeds();
    assert!(seeds.len() > 50);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let started = Instant::now();
    let mut runs = 0;
    // Bounded in count and in time, so CI stays fast on a slow machine.
    while runs < 3_000 && started.elapsed() < Duration::from_secs(20) {
        let (language, name, seed) = &seeds[rng.below(seeds.len())];
        let input = mutate(&mut rng, seed);
        check_bytes(*language, name, &input);
        runs += 1;
    }
    assert!(runs > 100, "only {runs} runs");
}

#[test]
fn generated_directories_never_panic() {
    let seeds = seeds();
    let mut rng = Rng(42);
    for _ in 0..20 {
        let mut data = Vec::new();
        for _ in 0..1 + rng.below(6) {
            let (_, _, seed) = &seeds[rng.below(seeds.len())];
            data.extend(mutate(&mut rng, seed));
            data.push(0xff);
        }
        let dir = tempfile::tempdir().unwrap();
        scan_generated_directory(&data, dir.path());
    }
}

#[test]
fn every_recorded_crash_input_is_handled() {
    let root: PathBuf = common::repo_root().join("tests/fuzz_regressions");
    let Ok(targets) = std::fs::read_dir(&root) else {
        return;
    };
    for target in targets.flatten().filter(|t| t.path().is_dir()) {
        let name = target.file_name().to_string_lossy().to_string();
        for input in std::fs::read_dir(target.path()).unwrap().flatten() {
            let data = std::fs::read(input.path()).unwrap();
            run_target(&name, &data, &input.path());
        }
    }
}

/// The same input → entry point mapping as the cargo-fuzz targets in fuzz/.
fn run_target(target: &str, data: &[u8], path: &Path) {
    let pick = |data: &[u8]| data.split_first().map(|(s, rest)| (*s, rest.to_vec()));
    match target {
        "python" => check_bytes(Language::Python, "server.py", data),
        "rust" => check_bytes(Language::Rust, "server.rs", data),
        "typescript" => {
            if let Some((s, rest)) = pick(data) {
                let (language, name) = match s % 3 {
                    0 => (Language::TypeScript, "server.ts"),
                    1 => (Language::Tsx, "App.tsx"),
                    _ => (Language::JavaScript, "server.js"),
                };
                check_bytes(language, name, &rest);
            }
        }
        "manifest" => {
            if let Some((s, rest)) = pick(data) {
                let (language, name) = match s % 4 {
                    0 => (Language::Json, ".mcp.json"),
                    1 => (Language::Json, "claude_desktop_config.json"),
                    2 => (Language::Yaml, "smithery.yaml"),
                    _ => (Language::Toml, "config.toml"),
                };
                check_bytes(language, name, &rest);
            }
        }
        "scan" => {
            let dir = tempfile::tempdir().unwrap();
            scan_generated_directory(data, dir.path());
        }
        other => panic!("{}: unknown fuzz target `{other}`", path.display()),
    }
}
