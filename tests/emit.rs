//! `--emit FORMAT=FILE`: several reports of one scan (the GitHub Action prints
//! annotations and uploads SARIF from the same run).

mod common;

use predicates::prelude::*;

const SECRET: &str = "GITHUB_TOKEN = \"ghp_29WX92kmAOc6hARRiMQiC45ktdTyWOkCSo7e\"\n";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("server.py"), SECRET).unwrap();
    dir
}

#[test]
fn emitted_reports_match_their_formats_run_alone() {
    let dir = project();
    let run = |args: &[&str]| {
        common::mcplint_cmd()
            .current_dir(dir.path())
            .args(["check", "--no-config"])
            .args(args)
            .assert()
            .code(1)
    };
    let annotations = run(&[
        "--format",
        "github",
        "--emit",
        "sarif=emitted.sarif",
        "--emit",
        "concise=emitted.txt",
    ]);
    let annotations = String::from_utf8(annotations.get_output().stdout.clone()).unwrap();
    assert!(
        annotations.starts_with("::error file=server.py,line=1"),
        "{annotations}"
    );
    run(&["--format", "sarif", "--output", "alone.sarif"]);
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    // Same scan, same document (SARIF holds no timestamps).
    assert_eq!(read("emitted.sarif"), read("alone.sarif"));
    let concise = read("emitted.txt");
    assert!(concise.contains("server.py:1:"), "{concise}");
    assert!(
        !concise.contains('\u{1b}'),
        "no color codes in a file: {concise:?}"
    );
}

#[test]
fn bad_emit_values_are_usage_errors() {
    let dir = project();
    for (value, message) in [
        ("sarif", "expected FORMAT=FILE"),
        ("xml=out.xml", "unknown format `xml`"),
        ("sarif=", "no file after `sarif=`"),
    ] {
        common::mcplint_cmd()
            .current_dir(dir.path())
            .args(["check", "--no-config", "--emit", value])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
    }
    common::mcplint_cmd()
        .current_dir(dir.path())
        .args([
            "check",
            "--no-config",
            "-o",
            "r.json",
            "--emit",
            "json=r.json",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("target of two reports"));
}
