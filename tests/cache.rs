//! The result cache of `mcplint check` (`src/cache.rs`): a second run on an
//! unchanged tree reads its findings back; a changed file — or a file another
//! one depends on — is checked again; a planted entry cannot hide findings.

mod common;

use std::path::Path;

use sha2::Digest as _;

const SERVER: &str = r#"from mcp.server.fastmcp import FastMCP

from pkg import ops

mcp = FastMCP("backups")


@mcp.tool()
def archive(directory: str) -> str:
    """Archive a directory into the backup area."""
    return ops.compress(directory)
"#;

const SAFE_OPS: &str = r#"import subprocess


def compress(directory: str) -> str:
    done = subprocess.run(
        ["tar", "czf", "/var/backups/latest.tgz", "--", directory],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.stdout
"#;

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("pkg")).expect("pkg dir");
    std::fs::write(dir.path().join("server.py"), SERVER).expect("server");
    std::fs::write(dir.path().join("pkg/__init__.py"), "").expect("init");
    std::fs::write(dir.path().join("pkg/ops.py"), SAFE_OPS).expect("ops");
    dir
}

/// Runs `check --format json --stats` in `dir` with its own cache secret;
/// returns the findings' codes and the number of files read from the cache.
fn check(dir: &Path, secret: &str, extra: &[&str]) -> (Vec<String>, u64) {
    let output = common::mcplint_cmd()
        .current_dir(dir)
        .env("MCPLINT_CACHE_SECRET", secret)
        .args(["check", "--format", "json", "--stats", "--fail-on", "never"])
        .args(extra)
        .arg(".")
        .output()
        .expect("mcplint runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let mut codes: Vec<String> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["code"].as_str().unwrap_or(""),
                f["path"].as_str().unwrap_or("")
            )
        })
        .collect();
    codes.sort();
    (codes, json["stats"]["files_cached"].as_u64().unwrap_or(0))
}

#[test]
fn a_second_run_on_an_unchanged_tree_comes_from_the_cache() {
    let dir = project();
    let (first, cached) = check(dir.path(), "s1", &[]);
    assert_eq!(cached, 0);
    let (second, cached) = check(dir.path(), "s1", &[]);
    assert_eq!(first, second);
    assert_eq!(cached, 3, "every scanned file comes from the cache");
    // The cache never gets committed.
    let ignore = std::fs::read_to_string(dir.path().join(".mcplint_cache/.gitignore"))
        .expect("the cache has its own .gitignore");
    assert!(ignore.lines().any(|l| l == "*"));
}

#[test]
fn a_change_in_an_imported_module_is_seen() {
    let dir = project();
    let (before, _) = check(dir.path(), "s1", &[]);
    assert!(
        !before.iter().any(|c| c.starts_with("MCL201")),
        "{before:?}"
    );
    // The handler did not change; the module it calls now runs a shell.
    std::fs::write(
        dir.path().join("pkg/ops.py"),
        SAFE_OPS.replace(
            r#"["tar", "czf", "/var/backups/latest.tgz", "--", directory],"#,
            r#"f"tar czf /var/backups/latest.tgz {directory}", shell=True,"#,
        ),
    )
    .expect("ops");
    let (after, cached) = check(dir.path(), "s1", &[]);
    assert_eq!(cached, 0);
    assert!(after.iter().any(|c| c.starts_with("MCL201")), "{after:?}");
}

#[test]
fn an_entry_planted_in_the_tree_cannot_hide_findings() {
    let dir = project();
    std::fs::write(
        dir.path().join("pkg/ops.py"),
        "import os\n\n\ndef compress(directory: str) -> str:\n    os.system(f\"tar czf /tmp/x.tgz {directory}\")\n    return \"ok\"\n",
    )
    .expect("ops");
    let (truth, _) = check(dir.path(), "victim", &["--no-cache"]);
    assert!(truth.iter().any(|c| c.starts_with("MCL201")), "{truth:?}");
    // An attacker who knows the tree (it is their pull request) writes the
    // entry of this exact scan with no findings, signed with a key of their own.
    check(dir.path(), "attacker", &[]);
    let entry = only_entry(dir.path());
    let text = std::fs::read_to_string(&entry).expect("entry");
    let (_, body) = text.split_once('\n').expect("mac line");
    let mut payload: serde_json::Value = serde_json::from_str(body).expect("payload");
    payload["findings"] = serde_json::json!([]);
    let body = serde_json::to_string(&payload).expect("json");
    let key: [u8; 32] = sha2::Sha256::digest(b"attacker").into();
    std::fs::write(
        &entry,
        format!("{}\n{body}", hex(&hmac(&key, body.as_bytes()))),
    )
    .expect("plant");
    // The forgery is well made: under the attacker's own key it is taken…
    let (forged, cached) = check(dir.path(), "attacker", &[]);
    assert!(cached > 0 && forged.is_empty(), "{forged:?}");
    std::fs::write(
        &entry,
        format!("{}\n{body}", hex(&hmac(&key, body.as_bytes()))),
    )
    .expect("plant again");
    // …but mcplint's key is not in the tree: the scan runs and finds it.
    let (found, cached) = check(dir.path(), "victim", &[]);
    assert_eq!(cached, 0);
    assert_eq!(found, truth);
}

fn hmac(key: &[u8; 32], message: &[u8]) -> Vec<u8> {
    use sha2::Digest as _;
    let mut inner = [0x36u8; 64];
    let mut outer = [0x5cu8; 64];
    for (i, b) in key.iter().enumerate() {
        inner[i] ^= b;
        outer[i] ^= b;
    }
    let first = sha2::Sha256::new()
        .chain_update(inner)
        .chain_update(message)
        .finalize();
    sha2::Sha256::new()
        .chain_update(outer)
        .chain_update(first)
        .finalize()
        .to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn no_cache_neither_reads_nor_writes_and_cache_dir_moves_it() {
    let dir = project();
    check(dir.path(), "s1", &["--no-cache"]);
    assert!(!dir.path().join(".mcplint_cache").exists());
    std::fs::write(
        dir.path().join("mcplint.toml"),
        "cache-dir = \"build/lint-cache\"\n",
    )
    .expect("config");
    check(dir.path(), "s1", &[]);
    assert!(dir.path().join("build/lint-cache/.gitignore").exists());
    assert!(!dir.path().join(".mcplint_cache").exists());
    let (_, cached) = check(dir.path(), "s1", &[]);
    assert!(cached > 0);
}

#[test]
fn another_configuration_is_another_entry() {
    let dir = project();
    let (all, _) = check(dir.path(), "s1", &[]);
    let (selected, cached) = check(dir.path(), "s1", &["--select", "MCL201"]);
    assert_eq!(cached, 0, "a rule selection is part of the key");
    assert!(all.iter().any(|c| c.starts_with("MCL603")), "{all:?}");
    assert!(selected.iter().all(|c| c.starts_with("MCL201")));
    assert_ne!(all, selected);
}

fn only_entry(dir: &Path) -> std::path::PathBuf {
    let entries: Vec<_> = std::fs::read_dir(dir.join(".mcplint_cache"))
        .expect("cache dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    entries[0].clone()
}

#[test]
fn files_consulted_but_not_scanned_are_part_of_the_key() {
    let dir = project();
    std::fs::create_dir_all(dir.path().join("sub")).expect("sub");
    std::fs::write(dir.path().join("sub/server.py"), SERVER).expect("server");
    let scan_sub = |secret| {
        let output = common::mcplint_cmd()
            .current_dir(dir.path())
            .env("MCPLINT_CACHE_SECRET", secret)
            .args([
                "check",
                "--format",
                "json",
                "--stats",
                "--fail-on",
                "never",
                "sub",
            ])
            .output()
            .expect("mcplint runs");
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
        json["stats"]["files_cached"].as_u64().unwrap_or(0)
    };
    scan_sub("s1");
    assert!(scan_sub("s1") > 0);
    // The pins of `mcplint.lock` above the scanned folder decide MCL405.
    std::fs::write(dir.path().join("mcplint.lock"), "version = 1\n").expect("lock");
    assert_eq!(scan_sub("s1"), 0, "a new mcplint.lock re-checks");
    assert!(scan_sub("s1") > 0);
    // A lockfile above decides whether a manifest's range is reported.
    std::fs::write(dir.path().join("uv.lock"), "version = 1\n").expect("uv.lock");
    assert_eq!(scan_sub("s1"), 0, "a lockfile above the folder re-checks");
}
