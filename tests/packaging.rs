//! The packages that install mcplint without a Rust toolchain agree with the
//! crate: the wheel (pyproject.toml, maturin), the npm launcher and its
//! per-platform packages (npm/), and the release workflow that builds them.
//! `.ci/packages.sh` builds, installs and runs them; this checks what a build
//! here cannot: the platforms and versions of the packages only the release
//! workflow builds.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn toml_of(path: &str) -> toml::Table {
    read(path).parse().unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn crate_version() -> String {
    toml_of("Cargo.toml")["package"]["version"]
        .as_str()
        .expect("package.version")
        .to_string()
}

fn launcher() -> Value {
    serde_json::from_str(&read("npm/mcplint/package.json")).expect("npm/mcplint/package.json")
}

#[test]
fn the_wheel_is_the_binary_of_this_crate() {
    let pyproject = toml_of("pyproject.toml");
    assert_eq!(
        pyproject["build-system"]["build-backend"].as_str(),
        Some("maturin")
    );
    assert_eq!(
        pyproject["tool"]["maturin"]["bindings"].as_str(),
        Some("bin")
    );
    assert_eq!(pyproject["project"]["name"].as_str(), Some("mcplint"));
    // The version is Cargo.toml's, not a second copy to keep in step.
    let dynamic = pyproject["project"]["dynamic"].as_array().expect("dynamic");
    assert!(dynamic.iter().any(|d| d.as_str() == Some("version")));
    assert!(pyproject["project"].get("version").is_none());
    // mcplint reads pyproject.toml for `[tool.mcplint]`: this one holds none,
    // so scanning the repository uses no configuration by accident.
    assert!(pyproject["tool"].get("mcplint").is_none());
}

#[test]
fn npm_packages_carry_the_crate_version() {
    let launcher = launcher();
    let version = crate_version();
    assert_eq!(launcher["name"], "mcplint");
    assert_eq!(launcher["version"].as_str(), Some(version.as_str()));
    assert_eq!(launcher["bin"]["mcplint"], "bin/mcplint.js");
    let deps = launcher["optionalDependencies"]
        .as_object()
        .expect("optionalDependencies");
    assert!(!deps.is_empty());
    for (name, pinned) in deps {
        assert!(name.starts_with("@mcplint/"), "{name}");
        // Exactly this version: a launcher must not run another release's binary.
        assert_eq!(pinned.as_str(), Some(version.as_str()), "{name}");
    }
    let script = read("npm/mcplint/bin/mcplint.js");
    assert!(script.starts_with("#!/usr/bin/env node\n"));
}

#[test]
fn the_release_builds_every_platform_the_launcher_names() {
    let workflow: Value = serde_saphyr::from_str(&read(".github/workflows/release.yml"))
        .expect("release.yml is YAML");
    let matrix = workflow["jobs"]["wheels"]["strategy"]["matrix"]["include"]
        .as_array()
        .expect("jobs.wheels.strategy.matrix.include");
    let built: BTreeSet<String> = matrix
        .iter()
        .map(|m| format!("@mcplint/{}", m["npm"].as_str().expect("matrix npm")))
        .collect();
    let named: BTreeSet<String> = launcher()["optionalDependencies"]
        .as_object()
        .expect("optionalDependencies")
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        built, named,
        "release matrix vs. npm/mcplint optionalDependencies"
    );
    // Every wheel is a release build (the CI's dev-profile wheel is for tests only).
    let steps = workflow["jobs"]["wheels"]["steps"]
        .as_array()
        .expect("steps");
    let maturin = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("PyO3/maturin-action@"))
        })
        .expect("a maturin-action step");
    let args = maturin["with"]["args"].as_str().expect("args");
    assert!(
        args.contains("--release") && args.contains("--locked"),
        "{args}"
    );
    assert_eq!(maturin["with"]["target"], "${{ matrix.target }}");
}

#[test]
fn ci_pins_the_maturin_it_builds_with() {
    let script = read(".ci/packages.sh");
    let pinned = script
        .lines()
        .find_map(|l| l.strip_prefix("MATURIN_VERSION="))
        .expect("MATURIN_VERSION= in .ci/packages.sh");
    let requires = toml_of("pyproject.toml")["build-system"]["requires"].to_string();
    let major_minor: Vec<&str> = pinned.split('.').take(2).collect();
    assert!(
        requires.contains(&format!("maturin>={}", major_minor.join("."))),
        "CI's maturin {pinned} within pyproject's {requires}"
    );
    assert!(Path::new(&repo().join(".ci/run")).exists());
    assert!(read(".ci/run").contains("bash .ci/packages.sh"));
}
