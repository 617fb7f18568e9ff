//! The pre-commit hook's way of running mcplint: files named on the command
//! line are analysed within their project (cross-module flows are found from
//! either end), `--force-exclude` applies `exclude` to them, and the hook's
//! file filter covers every file mcplint reads.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use predicates::prelude::*;

const SERVER: &str = r#"from mcp.server.fastmcp import FastMCP
from mcp.types import ToolAnnotations

from pkg import ops

mcp = FastMCP("backups")


@mcp.tool(annotations=ToolAnnotations(destructiveHint=False))
def archive(directory: str) -> str:
    """Archive a directory into the backup area."""
    return ops.compress(directory)
"#;

const OPS: &str = r#"import subprocess


def compress(directory: str) -> str:
    done = subprocess.run(
        f"tar czf /var/backups/latest.tgz {directory}",
        shell=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.stdout
"#;

const SECRET: &str = "GITHUB_TOKEN = \"ghp_29WX92kmAOc6hARRiMQiC45ktdTyWOkCSo7e\"\n";

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn check(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    common::mcplint_cmd()
        .current_dir(dir)
        .args(["check", "--format", "concise", "--select", "MCL201,MCL801"])
        .args(args)
        .assert()
}

fn two_modules() -> tempfile::TempDir {
    project(&[
        ("pyproject.toml", "[project]\nname = \"backups\"\n"),
        ("pkg/__init__.py", ""),
        ("pkg/server.py", SERVER),
        ("pkg/ops.py", OPS),
        ("pkg/settings.py", SECRET),
    ])
}

#[test]
fn a_named_file_is_analysed_within_its_project() {
    let dir = two_modules();
    let injection = "pkg/ops.py:5:12: MCL201 [error] tool argument `directory` of tool `archive`";
    // What the directory scan reports for these files…
    check(dir.path(), &["pkg"])
        .code(1)
        .stdout(predicate::str::contains(injection))
        .stdout(predicate::str::contains("pkg/settings.py:1:16: MCL801"));
    // …each named file reports too: the tool's file (a flow step is there)
    // and the sink's file (the finding is there).
    for named in ["pkg/server.py", "pkg/ops.py", "./pkg/ops.py"] {
        check(dir.path(), &[named])
            .code(1)
            .stdout(predicate::str::contains(injection))
            // A file of the project that was not named is read, not reported.
            .stdout(predicate::str::contains("settings.py").not())
            .stdout(predicate::str::contains(
                "1 in files not named (read for the project's context)",
            ));
    }
    // A file the flow does not pass through reports only its own findings.
    check(dir.path(), &["pkg/settings.py"])
        .code(1)
        .stdout(predicate::str::contains("pkg/settings.py:1:16: MCL801"))
        .stdout(predicate::str::contains("MCL201").not());
    // From inside the package, and with a file and a directory named.
    check(&dir.path().join("pkg"), &["server.py"])
        .code(1)
        .stdout(predicate::str::contains("ops.py:5:12: MCL201"));
    check(dir.path(), &["pkg/server.py", "pkg"])
        .code(1)
        .stdout(predicate::str::contains("pkg/settings.py:1:16: MCL801"));
}

#[test]
fn force_exclude_applies_exclude_to_named_files() {
    let dir = project(&[
        (
            "mcplint.toml",
            "exclude = [\"legacy\"]\nselect = [\"MCL801\"]\n",
        ),
        ("legacy/old_server.py", SECRET),
        ("server.py", "import os\nTOKEN = os.environ[\"TOKEN\"]\n"),
    ]);
    // Named, an excluded file is scanned (as ruff does)…
    check(dir.path(), &["legacy/old_server.py"])
        .code(1)
        .stdout(predicate::str::contains(
            "legacy/old_server.py:1:16: MCL801",
        ));
    // …unless --force-exclude (the hook's flag) says otherwise.
    check(
        dir.path(),
        &["--force-exclude", "legacy/old_server.py", "server.py"],
    )
    .code(0)
    .stdout(predicate::str::contains("MCL801").not());
    // `force-exclude = true` in the configuration does the same.
    std::fs::write(
        dir.path().join("mcplint.toml"),
        "exclude = [\"legacy\"]\nforce-exclude = true\n",
    )
    .unwrap();
    check(dir.path(), &["legacy/old_server.py"])
        .code(0)
        .stdout(predicate::str::contains("MCL801").not());
}

/// The `files:` regex of the `mcplint` hook in .pre-commit-hooks.yaml.
fn hook_filter() -> String {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    let hook = text
        .split("\n- id: ")
        .find(|h| h.starts_with("mcplint\n"))
        .unwrap();
    let line = hook
        .lines()
        .find_map(|l| l.trim().strip_prefix("files: "))
        .expect("the mcplint hook filters files with a `files:` regex");
    line.trim_matches('\'').to_string()
}

#[test]
fn the_hook_filter_is_the_list_of_files_mcplint_reads() {
    let filter = hook_filter();
    // The extensions the regex lists are exactly discover's.
    let listed: BTreeSet<&str> = filter
        .split_once(r"\.(")
        .and_then(|(_, rest)| rest.split_once(')'))
        .unwrap()
        .0
        .split('|')
        .collect();
    let read: BTreeSet<&str> = mcplint::discover::EXTENSIONS
        .iter()
        .map(|(ext, _)| *ext)
        .collect();
    assert_eq!(listed, read);
    // And it matches as pre-commit applies it (a search over the path).
    let regex = regex::Regex::new(&filter).unwrap();
    for (ext, _) in mcplint::discover::EXTENSIONS {
        assert!(regex.is_match(&format!("src/server.{ext}")), "{ext}");
        assert!(regex.is_match(&format!("SERVER.{}", ext.to_uppercase())));
    }
    for path in [
        "mcplint.lock",
        "sub/mcplint.lock",
        ".mcp.json",
        ".vscode/mcp.json",
        "server.json",
        "mcplint.toml",
        "pyproject.toml",
        "package-lock.json",
        "smithery.yaml",
        "Cargo.toml",
        "yarn.lock",
        "sub/Cargo.lock",
        "uv.lock",
        "Pipfile.lock",
        "go.mod",
        "requirements-dev.txt",
    ] {
        assert!(regex.is_match(path), "{path}");
        // Each is a file mcplint reads.
        if path != "mcplint.lock" && path != "sub/mcplint.lock" {
            assert!(
                mcplint::discover::classify(std::path::Path::new(path)).is_some(),
                "{path}"
            );
        }
    }
    for path in [
        "README.md",
        "Makefile",
        "Server.java",
        "py.typed",
        "notmcplint.lock",
        "notes.txt",
        "go.sum",
    ] {
        assert!(!regex.is_match(path), "{path}");
    }
}

#[test]
fn a_named_lock_reports_the_tools_it_pins_that_are_gone() {
    let dir = project(&[
        ("pyproject.toml", "[project]\nname = \"bookmarks\"\n"),
        (
            "server.py",
            r#"from mcp.server.fastmcp import FastMCP

mcp = FastMCP("bookmarks")


@mcp.tool(description="List saved bookmarks.")
def list_bookmarks() -> list[str]:
    return []


@mcp.tool(description="Forget every bookmark.")
def clear_bookmarks() -> None:
    return None
"#,
        ),
    ]);
    common::mcplint_cmd()
        .current_dir(dir.path())
        .arg("lock")
        .assert()
        .code(0);
    let path = dir.path().join("server.py");
    let text = std::fs::read_to_string(&path).unwrap();
    let cut = text.find("\n\n@mcp.tool(description=\"Forget").unwrap();
    std::fs::write(&path, &text[..cut]).unwrap();
    // The staged lock (the hook passes it) reports the tool pinned there
    // and defined nowhere: the whole project was read to know.
    common::mcplint_cmd()
        .current_dir(dir.path())
        .args(["check", "--format", "concise", "--select", "MCL405", "mcplint.lock"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "MCL405 [warning] tool `clear_bookmarks` of server `bookmarks` is pinned but no longer defined",
        ));
}
