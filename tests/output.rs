//! Output a person can take in: `--statistics`, taint flows as one line per
//! step, `--max-file-size` on the command line.

mod common;

use std::path::Path;

use predicates::prelude::*;

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn run(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    common::mcplint_cmd()
        .current_dir(dir)
        .args(["check", "--no-config", "--color", "never"])
        .args(args)
        .assert()
}

/// A FastMCP report tool whose handler is long: the argument enters at the
/// top, is rebuilt halfway down and reaches a shell at the bottom.
fn long_handler() -> String {
    let mut text = String::from(
        "import subprocess\n\nfrom mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP(\"reports\")\n\n\n\
         @mcp.tool()\n\
         def build_report(project: str, verbose: bool = False) -> str:\n\
         \x20   \"\"\"Build the weekly report of a project.\"\"\"\n\
         \x20   name = project.strip()\n",
    );
    for i in 0..50 {
        text.push_str(&format!("    total_{i} = len(name) * {i}\n"));
    }
    text.push_str("    command = \"make-report --project \" + name\n");
    for i in 0..50 {
        text.push_str(&format!("    check_{i} = total_{i} + 1\n"));
    }
    text.push_str(
        "    done = subprocess.run(command, shell=True, capture_output=True, timeout=60)\n\
         \x20   return done.stdout.decode()\n",
    );
    text
}

#[test]
fn a_flow_in_a_long_handler_prints_one_line_per_step() {
    let dir = project(&[("server.py", &long_handler())]);
    let output = run(dir.path(), &["--format", "pretty", "--select", "MCL201"])
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).unwrap();
    // Nothing between the steps is printed.
    assert!(!text.contains("total_3"), "{text}");
    assert!(!text.contains("check_3"), "{text}");
    assert!(text.lines().count() < 30, "{text}");
    let flow: Vec<&str> = text
        .lines()
        .map(str::trim_start)
        .filter(|l| {
            ["source:", "step:", "sink:"]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .collect();
    assert_eq!(flow.len(), 4, "{text}");
    assert!(flow[0].starts_with("source: server.py:9 "), "{}", flow[0]);
    assert!(flow[0].contains("tool argument `project`"), "{}", flow[0]);
    assert!(
        flow[0].contains("│ def build_report(project: str, verbose"),
        "{}",
        flow[0]
    );
    assert!(flow[1].starts_with("step:   server.py:11 "), "{}", flow[1]);
    assert!(flow[1].ends_with("│ name = project.strip()"), "{}", flow[1]);
    assert!(flow[2].starts_with("step:   server.py:62 "), "{}", flow[2]);
    assert!(flow[3].starts_with("sink:   server.py:113 "), "{}", flow[3]);
    assert!(flow[3].contains("│ done = subprocess.run(command, shell=True"));
    // One line each, even for a long line of code.
    assert!(text.lines().all(|l| l.chars().count() <= 110), "{text}");
    // The help follows the flow.
    let help = text.find("help: run the program without a shell").unwrap();
    assert!(help > text.find("sink:").unwrap());
    assert!(text.contains("see `mcplint explain MCL201`"));
}

#[test]
fn a_flow_across_files_shows_each_file() {
    let dir = project(&[
        (
            "pkg/server.py",
            "from mcp.server.fastmcp import FastMCP\n\nfrom pkg import jobs\n\nmcp = FastMCP(\"jobs\")\n\n\n\
             @mcp.tool()\ndef start_job(script: str) -> int:\n    \"\"\"Start a maintenance job.\"\"\"\n    \
             return jobs.launch(\"./jobs/\" + script)\n",
        ),
        (
            "pkg/jobs.py",
            "import subprocess\n\n\ndef launch(line):\n    \
             return subprocess.run(line, shell=True, timeout=600).returncode\n",
        ),
        ("pkg/__init__.py", ""),
    ]);
    run(dir.path(), &["--format", "pretty", "--select", "MCL201"])
        .code(1)
        .stdout(predicate::str::contains("source: pkg/server.py:9 "))
        .stdout(predicate::str::contains(
            "│ return jobs.launch(\"./jobs/\" + script)",
        ))
        .stdout(predicate::str::contains("sink:   pkg/jobs.py:5 "))
        .stdout(predicate::str::contains(
            "│ return subprocess.run(line, shell=True",
        ));
}

#[test]
fn statistics_count_findings_per_rule() {
    let dir = project(&[("server.py", &long_handler())]);
    run(dir.path(), &["--statistics", "--format", "concise"])
        .code(1)
        .stdout(predicate::eq(
            "1  MCL201  error  shell-injection\n\
             1  MCL603  note   missing-tool-annotations\n\
             Found 2 findings (1 error, 0 warnings, 1 note) in 1 file.\n",
        ));
    // pretty prints the same table; --quiet drops the summary.
    run(
        dir.path(),
        &["--statistics", "--format", "pretty", "--quiet"],
    )
    .code(1)
    .stdout(predicate::str::starts_with(
        "1  MCL201  error  shell-injection\n",
    ))
    .stdout(predicate::str::contains("Found").not());
    // JSON: an array of {code, name, level, count}, like ruff's.
    let output = run(dir.path(), &["--statistics", "--format", "json"])
        .code(1)
        .get_output()
        .stdout
        .clone();
    let rows: serde_json::Value = serde_json::from_slice(&output).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 2);
    assert_eq!(
        rows[0],
        serde_json::json!({"code": "MCL201", "name": "shell-injection", "level": "error", "count": 1})
    );
    // Formats for machines that want findings refuse it before scanning.
    for format in ["sarif", "github", "gitlab", "junit"] {
        run(dir.path(), &["--statistics", "--format", format])
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains("--statistics"));
    }
}

#[test]
fn statistics_order_by_count_and_empty_runs() {
    let secrets = "import os\n\nGITHUB_TOKEN = \"ghp_29WX92kmAOc6hARRiMQiC45ktdTyWOkCSo7e\"\n\
                   SLACK_TOKEN = \"xoxb-2914829104-2394812940123-Qw8rTy6UiOp4AsDfGhJkLzXc\"\n";
    let dir = project(&[
        ("config.py", secrets),
        (
            "serve.py",
            "import uvicorn\nuvicorn.run(app, host=\"0.0.0.0\")\n",
        ),
    ]);
    let output = run(dir.path(), &["--statistics", "--format", "concise", "-q"])
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "2  MCL801  error    hardcoded-secret", "{text}");
    assert_eq!(
        lines[1], "1  MCL102  warning  bind-all-interfaces",
        "{text}"
    );
    let clean = project(&[("server.py", "import os\nTOKEN = os.environ['TOKEN']\n")]);
    run(clean.path(), &["--statistics", "--format", "concise"])
        .code(0)
        .stdout(predicate::eq("No findings in 1 file.\n"));
    run(clean.path(), &["--statistics", "--format", "json"])
        .code(0)
        .stdout(predicate::eq("[]\n"));
}

#[test]
fn max_file_size_on_the_command_line_wins_over_the_configuration() {
    let big = format!(
        "{}\n{}",
        "# padding\n".repeat(300),
        "import uvicorn\nuvicorn.run(app, host=\"0.0.0.0\")\n"
    );
    let dir = project(&[
        ("mcplint.toml", "max-file-size = 100\n"),
        ("server.py", &big),
    ]);
    let check = |args: &[&str]| {
        common::mcplint_cmd()
            .current_dir(dir.path())
            .args(["check", "--format", "concise"])
            .args(args)
            .assert()
    };
    // The configuration's cap skips the file…
    check(&[])
        .code(0)
        .stdout(predicate::str::contains("over the 100-byte size cap"));
    // …the command line's lets it through, in bytes or with a suffix.
    check(&["--max-file-size", "1M"])
        .code(1)
        .stdout(predicate::str::contains("MCL102"));
    check(&["--max-file-size", "1048576"])
        .code(1)
        .stdout(predicate::str::contains("MCL102"));
    check(&["--max-file-size", "1K"])
        .code(0)
        .stdout(predicate::str::contains("over the 1024-byte size cap"));
    for bad in ["lots", "2X", "0", "-5"] {
        check(&[&format!("--max-file-size={bad}")])
            .code(2)
            .stderr(predicate::str::contains("--max-file-size"));
    }
    // inventory and lock take it too.
    common::mcplint_cmd()
        .current_dir(dir.path())
        .args(["inventory", "--max-file-size", "3X"])
        .assert()
        .code(2);
}
