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

/// A repository whose configuration, attributes and hooks name a command for
/// every mechanism git has to run one; `--diff-base` must run none of them.
#[test]
fn diff_base_runs_nothing_the_scanned_repository_names() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let marks = tempfile::tempdir().unwrap();
    let mark = |name: &str| marks.path().join(name).to_string_lossy().to_string();
    git(d, &["init", "-q"]);
    std::fs::write(d.join("server.py"), SECRET).unwrap();
    std::fs::write(d.join("old.py"), OTHER).unwrap();
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "old"]);
    // Every command-running setting, pointing at a command that leaves a mark.
    let hooks = d.join(".git/evil-hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    for hook in [
        "post-index-change",
        "pre-commit",
        "post-checkout",
        "reference-transaction",
        "fsmonitor-watchman",
    ] {
        let path = hooks.join(hook);
        std::fs::write(&path, format!("#!/bin/sh\ntouch {}\n", mark(hook))).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    let settings = [
        ("core.fsmonitor", format!("touch {}", mark("fsmonitor"))),
        ("core.hooksPath", hooks.to_string_lossy().to_string()),
        ("core.pager", format!("touch {}; cat", mark("pager"))),
        ("pager.diff", format!("touch {}; cat", mark("pager-diff"))),
        ("diff.external", format!("touch {}", mark("external-diff"))),
        (
            "diff.evil.textconv",
            format!("touch {}; cat", mark("textconv")),
        ),
        (
            "diff.evil.command",
            format!("touch {}", mark("diff-driver")),
        ),
        (
            "filter.evil.clean",
            format!("touch {}; cat", mark("clean-filter")),
        ),
        (
            "filter.evil.smudge",
            format!("touch {}; cat", mark("smudge-filter")),
        ),
        (
            "filter.evil.process",
            format!("touch {}", mark("filter-process")),
        ),
        ("core.sshCommand", format!("touch {}", mark("ssh"))),
        (
            "core.alternateRefsCommand",
            format!("touch {}", mark("alternate-refs")),
        ),
        (
            "credential.helper",
            format!("!touch {}", mark("credential")),
        ),
        // A partial clone whose missing objects a lazy fetch would get by running a command.
        ("core.repositoryformatversion", "1".to_string()),
        ("extensions.partialClone", "evil".to_string()),
        ("remote.evil.promisor", "true".to_string()),
        (
            "remote.evil.url",
            format!("ext::sh -c touch% {}", mark("lazy-fetch")),
        ),
        ("protocol.ext.allow", "always".to_string()),
    ];
    for (key, value) in &settings {
        git(d, &["config", key, value]);
    }
    std::fs::write(d.join(".gitattributes"), "*.py filter=evil diff=evil\n").unwrap();
    // The old file's blob is missing from the object store, as in a partial clone.
    let blob = Command::new("git")
        .args(["rev-parse", "HEAD:old.py"])
        .current_dir(d)
        .output()
        .unwrap();
    let blob = String::from_utf8_lossy(&blob.stdout).trim().to_string();
    let _ = std::fs::remove_file(d.join(".git/objects").join(&blob[..2]).join(&blob[2..]));
    // A change on line 2 of server.py, and the environment's own pager settings.
    std::fs::write(d.join("server.py"), format!("{SECRET}{OTHER}")).unwrap();
    let assert = common::mcplint_cmd()
        .current_dir(d)
        .args([
            "check",
            "--no-config",
            "--format",
            "concise",
            "--diff-base",
            "HEAD",
        ])
        .env("GIT_PAGER", format!("touch {}; cat", mark("env-pager")))
        .assert()
        .code(1);
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    let ran: Vec<String> = std::fs::read_dir(marks.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    assert!(
        ran.is_empty(),
        "commands of the scanned repository ran: {ran:?}"
    );
    assert!(stdout.contains("server.py:2:10: MCL801"), "{stdout}");
    assert!(!stdout.contains("server.py:1:"), "{stdout}");
    // A blob the base cannot give is treated as new, never fetched.
    assert!(stdout.contains("old.py:1:"), "{stdout}");
}

/// A helper module that runs `make` through a shell, and one that does not.
const UNSAFE_OPS: &str = "import subprocess\n\n\ndef run(target):\n    return subprocess.run(\"make \" + target, shell=True, capture_output=True, text=True, timeout=60).stdout\n";
const SAFE_OPS: &str = "import subprocess\n\n\ndef run(target):\n    return subprocess.run([\"make\", \"--\", target], capture_output=True, text=True, timeout=60).stdout\n";

/// A finding whose flow crosses a changed line is new, though the sink's
/// own line did not change: a new tool reaching an old helper's shell.
#[test]
fn diff_base_reports_findings_whose_flow_touches_a_change() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    let head =
        "from mcp.server.fastmcp import FastMCP\nfrom ops import run\n\nmcp = FastMCP(\"ops\")\n";
    std::fs::write(d.join("server.py"), head).unwrap();
    std::fs::write(d.join("ops.py"), UNSAFE_OPS).unwrap();
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "old"]);
    let tool = "\n\n@mcp.tool()\ndef build(target: str) -> str:\n    \"\"\"Build a target.\"\"\"\n    return run(target)\n";
    std::fs::write(d.join("server.py"), format!("{head}{tool}")).unwrap();
    run(d, &["--diff-base", "HEAD", "--select", "MCL201"])
        .code(1)
        .stdout(predicate::str::contains("MCL201"));
    // The other way round: the tool is old, the helper it calls turns
    // unsafe. Wherever the finding points, one of its places changed.
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "tool"]);
    std::fs::write(d.join("ops.py"), SAFE_OPS).unwrap();
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "safe"]);
    std::fs::write(d.join("ops.py"), UNSAFE_OPS).unwrap();
    run(d, &["--diff-base", "HEAD", "--select", "MCL201"])
        .code(1)
        .stdout(predicate::str::contains("MCL201"));
}
