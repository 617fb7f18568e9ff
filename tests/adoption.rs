//! Adopting mcplint in an existing repository: baselines and diff mode.

mod common;

use std::path::Path;
use std::process::Command;

use predicates::prelude::*;

const SECRET: &str = "GITHUB_TOKEN = \"ghp_29WX92kmAOc6hARRiMQiC45ktdTyWOkCSo7e\"\n";
const OTHER: &str = "STRIPE = \"sk_live_51p93V0zLvuxnCpr4FReqzAxPz0XHXixWpTyvozG8s\"\n";

fn run(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    common::mcplint_cmd()
        .current_dir(dir)
        .args(["check", "--no-config", "--format", "concise"])
        .args(args)
        .assert()
}

#[test]
fn baseline_accepts_old_findings_and_survives_line_moves() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("server.py"), SECRET).unwrap();
    run(d, &["--write-baseline", "baseline.json"])
        .code(0)
        .stderr(predicate::str::contains("wrote 1 findings"));
    let text = std::fs::read_to_string(d.join("baseline.json")).unwrap();
    assert!(
        text.contains("\"mcplint_baseline\": 1") && text.contains("\"code\": \"MCL801\""),
        "{text}"
    );
    // Lines added above the old finding, and a new finding below.
    std::fs::write(
        d.join("server.py"),
        format!("import os\n\n# config\n{SECRET}{OTHER}"),
    )
    .unwrap();
    run(d, &["--baseline", "baseline.json"])
        .code(1)
        .stdout(predicate::str::contains("server.py:5:10: MCL801"))
        .stdout(predicate::str::contains("server.py:4:").not())
        .stdout(predicate::str::contains("Not shown: 1 in the baseline."));
    // The old finding is fixed: its entry is stale, and can be pruned.
    std::fs::write(d.join("server.py"), OTHER).unwrap();
    run(d, &["--baseline", "baseline.json"]).stdout(predicate::str::contains(
        "1 baseline entries no longer occur",
    ));
    run(d, &["--baseline", "baseline.json", "--prune-baseline"]).code(1);
    let pruned = std::fs::read_to_string(d.join("baseline.json")).unwrap();
    assert!(!pruned.contains("MCL801"), "{pruned}");
    run(d, &["--baseline", "missing.json"])
        .code(2)
        .stderr(predicate::str::contains("missing.json"));
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
}

#[test]
fn diff_base_reports_only_changed_lines() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    std::fs::write(d.join("server.py"), SECRET).unwrap();
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "old"]);
    std::fs::write(d.join("server.py"), format!("{SECRET}{OTHER}")).unwrap();
    std::fs::write(d.join("new.py"), SECRET).unwrap();
    let assert = run(d, &["--diff-base", "HEAD"]).code(1);
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(stdout.contains("server.py:2:10: MCL801"), "{stdout}");
    assert!(!stdout.contains("server.py:1:"), "{stdout}");
    assert!(
        stdout.contains("new.py:1:16: MCL801"),
        "untracked files are new: {stdout}"
    );
    assert!(
        stdout.contains("1 outside the lines changed since HEAD"),
        "{stdout}"
    );
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.py"), SECRET).unwrap();
    run(outside.path(), &["--diff-base", "HEAD"])
        .code(2)
        .stderr(predicate::str::contains("needs a git repository"));
}

#[test]
fn baseline_works_from_another_directory_and_prunes_only_what_was_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("mcplint.toml"), "fail-on = \"error\"\n").unwrap();
    std::fs::create_dir(d.join("src")).unwrap();
    std::fs::write(d.join("src/a.py"), SECRET).unwrap();
    std::fs::write(d.join("src/b.py"), OTHER).unwrap();
    run(d, &["--write-baseline", "base.json"]).code(0);
    common::mcplint_cmd()
        .current_dir(d.join("src"))
        .args([
            "check",
            "--format",
            "concise",
            ".",
            "--baseline",
            "../base.json",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Not shown: 2 in the baseline."));
    // Checking one file and pruning keeps the other file's entry.
    std::fs::write(d.join("src/a.py"), "x = 1\n").unwrap();
    run(
        d,
        &["src/a.py", "--baseline", "base.json", "--prune-baseline"],
    )
    .code(0);
    let text = std::fs::read_to_string(d.join("base.json")).unwrap();
    assert!(
        text.contains("src/b.py") && !text.contains("src/a.py"),
        "{text}"
    );
}
