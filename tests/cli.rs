//! The command line: exit codes, configuration, rule selection, suppression,
//! subcommands.

mod common;

use std::path::Path;

use predicates::prelude::*;

const SECRET: &str = "GITHUB_TOKEN = \"ghp_29WX92kmAOc6hARRiMQiC45ktdTyWOkCSo7e\"\n";
const BIND: &str = "import uvicorn\nuvicorn.run(app, host=\"0.0.0.0\")\n";

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
    let mut cmd = common::mcplint_cmd();
    cmd.current_dir(dir).arg("check");
    if !args.contains(&"--format") {
        cmd.args(["--format", "concise"]);
    }
    cmd.args(args).assert()
}

#[test]
fn exit_codes_follow_fail_on() {
    let clean = project(&[("server.py", "TOKEN = os.environ['TOKEN']\n")]);
    check(clean.path(), &[])
        .code(0)
        .stdout(predicate::str::contains("No findings in 1 file."));
    let dir = project(&[("server.py", BIND)]);
    // A warning fails by default…
    check(dir.path(), &[])
        .code(1)
        .stdout(predicate::str::contains("MCL102 [warning]"));
    // …but not with --fail-on error or never.
    check(dir.path(), &["--fail-on", "error"]).code(0);
    check(dir.path(), &["--fail-on", "never"]).code(0);
    let secret = project(&[("server.py", SECRET)]);
    check(secret.path(), &["--fail-on", "error"]).code(1);
}

#[test]
fn default_command_is_check() {
    let dir = project(&[("server.py", SECRET)]);
    common::mcplint_cmd()
        .current_dir(dir.path())
        .args(["--format", "concise", "."])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            "server.py:1:16: MCL801 [error]",
        ));
}

#[test]
fn usage_errors_exit_2() {
    let dir = project(&[("server.py", SECRET)]);
    check(dir.path(), &["--select", "MCL99"])
        .code(2)
        .stderr(predicate::str::contains("unknown rule `MCL99`"));
    check(dir.path(), &["--format", "xml"]).code(2);
    check(dir.path(), &["missing-dir"])
        .code(2)
        .stderr(predicate::str::contains("`missing-dir` does not exist"));
    common::mcplint_cmd()
        .args(["explain", "nope"])
        .assert()
        .code(2);
}

#[test]
fn config_errors_name_the_key_and_the_file() {
    let dir = project(&[
        ("server.py", SECRET),
        (
            "mcplint.toml",
            "select = [\"MCL801\"]\nfail_on = \"error\"\n",
        ),
    ]);
    check(dir.path(), &[])
        .code(2)
        .stderr(predicate::str::contains("mcplint.toml").and(predicate::str::contains("fail_on")));
    let dir = project(&[
        ("server.py", SECRET),
        ("mcplint.toml", "ignore = [\"hardcoded-secrets\"]\n"),
    ]);
    check(dir.path(), &[]).code(2).stderr(
        predicate::str::contains("mcplint.toml")
            .and(predicate::str::contains("unknown rule `hardcoded-secrets`")),
    );
    let dir = project(&[
        ("server.py", SECRET),
        (
            "pyproject.toml",
            "[tool.mcplint]\nfail-on = \"sometimes\"\n",
        ),
    ]);
    check(dir.path(), &[]).code(2).stderr(
        predicate::str::contains("pyproject.toml").and(predicate::str::contains("fail-on")),
    );
    let dir = project(&[("server.py", SECRET), ("mcplint.toml", "select = [\n")]);
    check(dir.path(), &[])
        .code(2)
        .stderr(predicate::str::contains("mcplint.toml"));
}

#[test]
fn config_is_found_walking_up_and_can_be_bypassed() {
    let dir = project(&[
        ("mcplint.toml", "ignore = [\"MCL801\"]\n"),
        ("src/server.py", &format!("{SECRET}{BIND}")),
    ]);
    let sub = dir.path().join("src");
    check(&sub, &[])
        .code(1)
        .stdout(predicate::str::contains("MCL102").and(predicate::str::contains("MCL801").not()));
    check(&sub, &["--no-config"])
        .code(1)
        .stdout(predicate::str::contains("MCL801"));
    let other = project(&[("strict.toml", "select = [\"MCL801\"]\n")]);
    let strict = other.path().join("strict.toml");
    check(&sub, &["--config", strict.to_str().unwrap()])
        .code(1)
        .stdout(predicate::str::contains("MCL801").and(predicate::str::contains("MCL102").not()));
}

#[test]
fn pyproject_table_and_fail_on() {
    let dir = project(&[
        (
            "pyproject.toml",
            "[project]\nname = \"srv\"\n\n[tool.mcplint]\nfail-on = \"error\"\n",
        ),
        ("server.py", BIND),
    ]);
    check(dir.path(), &[])
        .code(0)
        .stdout(predicate::str::contains("MCL102"));
}

#[test]
fn select_ignore_and_extend_select_by_code_name_and_prefix() {
    let dir = project(&[("server.py", &format!("{SECRET}{BIND}"))]);
    check(dir.path(), &["--select", "MCL801"])
        .stdout(predicate::str::contains("MCL801").and(predicate::str::contains("MCL102").not()));
    check(dir.path(), &["--select", "bind-all-interfaces"])
        .stdout(predicate::str::contains("MCL102").and(predicate::str::contains("MCL801").not()));
    check(dir.path(), &["--select", "MCL8"])
        .stdout(predicate::str::contains("MCL801").and(predicate::str::contains("MCL102").not()));
    check(dir.path(), &["--ignore", "MCL1,hardcoded-secret"]).code(0);
    check(
        dir.path(),
        &["--select", "MCL801", "--extend-select", "MCL102"],
    )
    .stdout(predicate::str::contains("MCL801").and(predicate::str::contains("MCL102")));
}

#[test]
fn per_file_ignores_and_exclude() {
    let dir = project(&[
        (
            "mcplint.toml",
            "exclude = [\"legacy\"]\n[per-file-ignores]\n\"tests/**\" = [\"hardcoded-secret\"]\n",
        ),
        ("tests/test_server.py", SECRET),
        ("legacy/old.py", SECRET),
        ("server.py", SECRET),
    ]);
    let assert = check(dir.path(), &[]).code(1);
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(stdout.contains("server.py:1:16: MCL801"), "{stdout}");
    assert!(!stdout.contains("tests/test_server.py"), "{stdout}");
    assert!(!stdout.contains("legacy/"), "{stdout}");
    check(dir.path(), &["--exclude", "server.py"]).code(0);
}

#[test]
fn inline_suppressions_and_unused_ones() {
    let text = format!(
        "{}  # mcplint: ignore[MCL801] -- rotated\n# mcplint: ignore[bind-all-interfaces]\nuvicorn.run(app, host=\"0.0.0.0\")\nx = 1  # mcplint: ignore[MCL801]\n",
        SECRET.trim_end()
    );
    let dir = project(&[("server.py", &text)]);
    check(dir.path(), &[])
        .code(0)
        .stdout(predicate::str::contains(
            "server.py:4:10: MCL001 [note] unused suppression: `MCL801` reported nothing here",
        ))
        .stdout(predicate::str::contains("MCL801 [error]").not())
        .stdout(predicate::str::contains("MCL102").not());
    // A suppression for a rule that is not selected is not "unused".
    check(dir.path(), &["--select", "MCL102,MCL001"])
        .code(0)
        .stdout(predicate::str::contains("MCL001").not());
    let file_wide = project(&[(
        "server.ts",
        "// mcplint: ignore-file[MCL102]\napp.listen(3000);\nserver.listen(8080);\n",
    )]);
    check(file_wide.path(), &[])
        .code(0)
        .stdout(predicate::str::contains("No findings"));
}

#[test]
fn output_file_stats_and_quiet() {
    let dir = project(&[("server.py", SECRET)]);
    check(
        dir.path(),
        &[
            "--format",
            "json",
            "--output",
            "report.json",
            "--stats",
            "--quiet",
        ],
    )
    .code(1)
    .stdout(predicate::str::is_empty())
    .stderr(
        predicate::str::contains("throughput").and(predicate::str::contains("files scanned   1")),
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap())
            .unwrap();
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["findings"][0]["code"], "MCL801");
    assert_eq!(report["stats"]["files_scanned"], 1);
    assert!(report["stats"]["peak_rss_bytes"].as_u64().is_some());
    check(dir.path(), &["--quiet"]).stdout(predicate::str::contains("Found").not());
}

#[test]
fn color_is_off_when_piped_or_no_color() {
    let dir = project(&[("server.py", SECRET)]);
    check(dir.path(), &["--format", "pretty"]).stdout(predicate::str::contains("\u{1b}[").not());
    check(dir.path(), &["--format", "pretty", "--color", "always"])
        .stdout(predicate::str::contains("\u{1b}["));
    common::mcplint_cmd()
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args(["--format", "pretty"])
        .assert()
        .stdout(predicate::str::contains("\u{1b}[").not());
}

#[test]
fn rules_explain_and_version() {
    common::mcplint_cmd().arg("rules").assert().code(0).stdout(
        predicate::str::contains("MCL801  hardcoded-secret")
            .and(predicate::str::contains("MCP01:2025")),
    );
    let out = common::mcplint_cmd()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        rules
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["code"] == "MCL102" && r["cwe"] == "CWE-1327")
    );
    common::mcplint_cmd()
        .args(["explain", "hardcoded-secret"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("# MCL801 hardcoded-secret"));
    common::mcplint_cmd()
        .args(["explain", "mcl102"])
        .assert()
        .stdout(predicate::str::contains("## Use instead"));
    common::mcplint_cmd()
        .arg("--version")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn broken_pipe_ends_quietly() {
    let mut text = String::new();
    for i in 0..2000 {
        text.push_str(&format!(
            "KEY_{i} = \"ghp_29WX92kmAOc6hARRiMQiC45ktdTyWOkC{i:04}\"\n"
        ));
    }
    let dir = project(&[("server.py", &text)]);
    let bin = assert_cmd::cargo::cargo_bin("mcplint");
    let output = std::process::Command::new("sh")
        .current_dir(dir.path())
        .arg("-c")
        .arg(format!(
            "'{}' --format concise . | head -n 1",
            bin.display()
        ))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("panicked") && !stderr.contains("error"),
        "{stderr}"
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 1);
}

#[test]
fn command_line_selection_wins_over_configuration() {
    let dir = project(&[
        (
            "mcplint.toml",
            "ignore = [\"MCL801\"]\nexclude = [\"src/gen\"]\n",
        ),
        ("src/server.py", SECRET),
        ("src/gen/x.py", SECRET),
    ]);
    check(dir.path(), &[]).code(0);
    check(dir.path(), &["--select", "MCL801"])
        .code(1)
        .stdout(predicate::str::contains("src/server.py:1:16: MCL801"));
    check(dir.path(), &["--extend-select", "MCL801"])
        .code(1)
        .stdout(predicate::str::contains("MCL801"));
    // `exclude` is relative to the configuration, wherever mcplint starts.
    check(&dir.path().join("src"), &["--select", "MCL801", "."])
        .code(1)
        .stdout(predicate::str::contains("gen/x.py").not());
}

/// `--output` naming a pipe (or a device such as /dev/null) writes into it
/// and leaves it what it was, instead of renaming a regular file over it.
#[cfg(unix)]
#[test]
fn output_to_a_pipe_writes_into_it() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("report.pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    common::mcplint_cmd()
        .current_dir(common::repo_root())
        .args([
            "check",
            "--no-config",
            "--format",
            "json",
            "--fail-on",
            "never",
            // A file named as it is, under `fixtures/`, is test data.
            "--roles",
            "test",
        ])
        .arg("fixtures/MCL203-path-traversal/bad_ts_fastmcp_notes.ts")
        .arg("--output")
        .arg(&fifo)
        .assert()
        .code(0);
    let written = reader.join().unwrap();
    assert!(written.contains("MCL203"), "{written}");
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

/// A throwaway server a test builds: a tool that runs its argument in a
/// shell (MCL201, a rule for wherever tools are) and a token (MCL801, which
/// leaves test data alone).
const TEST_SERVER: &str = r#"import subprocess

from mcp.server.fastmcp import FastMCP

GITHUB_TOKEN = "ghp_29WX92kmAOc6hARRiMQiC45ktdTyWOkCSo7e"
mcp = FastMCP("harness")


@mcp.tool(annotations={"readOnlyHint": False, "destructiveHint": True})
def run(command: str) -> str:
    """Run a shell command."""
    return subprocess.run(command, shell=True, capture_output=True, text=True).stdout
"#;

fn json_report(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut cmd = common::mcplint_cmd();
    let out = cmd
        .current_dir(dir)
        .args([
            "check",
            "--no-config",
            "--format",
            "json",
            "--fail-on",
            "never",
        ])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// (path, code, role) of every finding of a JSON report.
fn roles_of(report: &serde_json::Value) -> Vec<(String, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
                f["role"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn findings_carry_their_file_role_and_tests_are_left_out_by_default() {
    let dir = project(&[
        ("src/config.py", SECRET),
        ("examples/config.py", SECRET),
        ("tests/test_harness.py", TEST_SERVER),
    ]);
    let found = roles_of(&json_report(dir.path(), &[]));
    assert_eq!(
        found,
        vec![
            (
                "examples/config.py".into(),
                "MCL801".into(),
                "example".into()
            ),
            ("src/config.py".into(), "MCL801".into(), "server".into()),
        ]
    );
    // Asked for, test code is reported with its role; its token is test
    // data, which the secret rule does not judge.
    let tests = roles_of(&json_report(dir.path(), &["--roles", "test"]));
    assert!(
        tests
            .iter()
            .any(|(p, c, r)| p == "tests/test_harness.py" && c == "MCL201" && r == "test"),
        "{tests:?}"
    );
    assert!(
        tests.iter().all(|(_, c, r)| c != "MCL801" && r == "test"),
        "{tests:?}"
    );
    let servers = roles_of(&json_report(dir.path(), &["--roles", "server"]));
    assert_eq!(
        servers,
        vec![("src/config.py".into(), "MCL801".into(), "server".into())]
    );
}

#[test]
fn roles_from_the_configuration_and_bad_role_names() {
    let dir = project(&[
        ("src/config.py", SECRET),
        ("examples/config.py", SECRET),
        ("mcplint.toml", "roles = [\"example\"]\n"),
    ]);
    check(dir.path(), &[]).code(1).stdout(
        predicate::str::contains("examples/config.py").and(predicate::str::contains("src/").not()),
    );
    // The command line replaces the configuration's roles.
    check(dir.path(), &["--roles", "server"]).code(1).stdout(
        predicate::str::contains("src/config.py").and(predicate::str::contains("examples/").not()),
    );
    check(dir.path(), &["--roles", "server,servers"])
        .code(2)
        .stderr(
            predicate::str::contains("--roles: unknown role `servers`")
                .and(predicate::str::contains("frontend")),
        );
    let dir = project(&[
        ("server.py", SECRET),
        ("mcplint.toml", "roles = [\"tests\"]\n"),
    ]);
    check(dir.path(), &[]).code(2).stderr(
        predicate::str::contains("mcplint.toml")
            .and(predicate::str::contains("`roles`: unknown role `tests`")),
    );
}

#[test]
fn sarif_results_carry_the_role_and_stats_count_the_roles() {
    let dir = project(&[
        ("examples/config.py", SECRET),
        ("src/server.py", "print('hello')\n"),
        ("tests/test_x.py", "def test_x():\n    assert True\n"),
    ]);
    let out = common::mcplint_cmd()
        .current_dir(dir.path())
        .args([
            "check",
            "--no-config",
            "--format",
            "sarif",
            "--fail-on",
            "never",
        ])
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"][0]["properties"]["role"],
        "example"
    );
    let report = json_report(dir.path(), &["--stats"]);
    assert_eq!(
        report["stats"]["roles"],
        serde_json::json!({"server": 1, "test": 1, "example": 1})
    );
    check(dir.path(), &["--stats", "--fail-on", "never"]).stderr(predicate::str::contains(
        "file roles      server 1, test 1, example 1",
    ));
}

#[test]
fn inventory_counts_roles_and_gives_each_tool_its_role() {
    let server = "from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP(\"notes\")\n\n\n@mcp.tool()\ndef add_note(text: str) -> str:\n    \"\"\"Add a note.\"\"\"\n    return text\n";
    let client = "from mcp import ClientSession\nfrom mcp.client.stdio import stdio_client\n";
    let dir = project(&[
        ("src/server.py", server),
        ("examples/server.py", server),
        ("src/client.py", client),
        ("tests/test_server.py", server),
    ]);
    let out = common::mcplint_cmd()
        .current_dir(dir.path())
        .args(["inventory", "--no-config", "--format", "json"])
        .output()
        .unwrap();
    let inventory: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        inventory["roles"],
        serde_json::json!({"server": 1, "client": 1, "test": 1, "example": 1})
    );
    let tools: Vec<(String, String)> = inventory["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().into(),
                e["role"].as_str().unwrap().into(),
            )
        })
        .collect();
    // A test's tools are not the server's.
    assert_eq!(
        tools,
        vec![
            ("examples/server.py".into(), "example".into()),
            ("src/server.py".into(), "server".into()),
        ]
    );
}
