//! Bad input becomes an MCL000 parse-error finding (or nothing), never a
//! panic, and the scan goes on with the other files.

mod common;

use std::path::{Path, PathBuf};

use mcplint::discover::{self, DiscoverOptions, SourcePath};
use mcplint::facts::Language;
use mcplint::finding::Finding;
use mcplint::scan::{self, RuleSet, ScanSettings};

fn settings(cwd: &Path) -> ScanSettings {
    ScanSettings {
        rule_options: Default::default(),
        rules: RuleSet::new(None, &[], &[]).unwrap(),
        per_file_ignores: Vec::new(),
        root: cwd.to_path_buf(),
        max_file_size: 1024 * 1024,
        cwd: cwd.to_path_buf(),
        max_taint_depth: mcplint::taint::project::DEFAULT_MAX_DEPTH,
        taint_catalogs: None,
        keep_sources: false,
        roles: mcplint::roles::ALL.to_vec(),
    }
}

fn scan_dir(dir: &Path) -> Vec<Finding> {
    common::scan_paths(&[dir.to_path_buf()], dir)
}

fn codes_for(findings: &[Finding], file: &str) -> Vec<&'static str> {
    findings
        .iter()
        .filter(|f| f.path.to_string_lossy().ends_with(file))
        .map(|f| f.code)
        .collect()
}

/// A secret that must still be found next to every bad file.
const CANARY: &str = "GITHUB_TOKEN = \"ghp_29WX92kmAOc6hARRiMQiC45ktdTyWOkCSo7e\"\n";

#[test]
fn invalid_utf8_binary_and_empty_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("latin1.py"), b"token = \"caf\xe9\"\n").unwrap();
    std::fs::write(d.join("blob.ts"), b"\x7fELF\x02\x01\x00\x00\x00binary").unwrap();
    std::fs::write(d.join("empty.rs"), b"").unwrap();
    std::fs::write(d.join("empty.py"), b"").unwrap();
    std::fs::write(d.join("canary.py"), CANARY).unwrap();
    let findings = scan_dir(d);
    assert_eq!(codes_for(&findings, "latin1.py"), vec!["MCL000"]);
    let utf8 = findings
        .iter()
        .find(|f| f.path.ends_with("latin1.py"))
        .unwrap();
    assert!(utf8.message.contains("not valid UTF-8"), "{}", utf8.message);
    assert_eq!(codes_for(&findings, "blob.ts"), vec!["MCL000"]);
    assert!(codes_for(&findings, "empty.rs").is_empty());
    assert!(codes_for(&findings, "empty.py").is_empty());
    assert_eq!(codes_for(&findings, "canary.py"), vec!["MCL801"]);
}

#[test]
fn ten_thousand_deep_nesting_in_every_language() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // One bracket per line: a single 20,000-char line would be skipped as minified.
    let deep = |open: &str, close: &str| {
        format!(
            "{}1{}",
            format!("{open}\n").repeat(10_000),
            format!("{close}\n").repeat(10_000)
        )
    };
    std::fs::write(
        d.join("deep.py"),
        format!("token = {}\n{CANARY}", deep("(", ")")),
    )
    .unwrap();
    std::fs::write(
        d.join("deep.ts"),
        format!("const key = {};\n", deep("[", "]")),
    )
    .unwrap();
    std::fs::write(
        d.join("deep.js"),
        format!("const token = {};\n", deep("(", ")")),
    )
    .unwrap();
    std::fs::write(
        d.join("deep.rs"),
        format!(
            "use rmcp::ServerHandler;\nfn listen() {{ let token = {}; }}\n",
            deep("(", ")")
        ),
    )
    .unwrap();
    // A long operator chain: deep trees without any bracket.
    std::fs::write(
        d.join("chain.rs"),
        format!("fn bind() -> u32 {{ 1{} }}\n", " + 1\n".repeat(10_000)),
    )
    .unwrap();
    std::fs::write(
        d.join("chain.py"),
        format!("secret = (1{})\n", " + 1\n".repeat(10_000)),
    )
    .unwrap();
    std::fs::write(
        d.join("deep.json"),
        format!("{{\"mcpServers\": {}}}", deep("[", "]")),
    )
    .unwrap();
    std::fs::write(d.join("canary.py"), CANARY).unwrap();
    let findings = scan_dir(d);
    // Rust is parsed by recursive descent: too-deep input is reported, not parsed.
    let rust = findings
        .iter()
        .find(|f| f.path.ends_with("deep.rs"))
        .unwrap();
    assert_eq!(rust.code, "MCL000");
    assert!(rust.message.contains("nesting deeper"), "{}", rust.message);
    assert_eq!(codes_for(&findings, "canary.py"), vec!["MCL801"]);
    // The deep Python file still yields its trailing secret.
    assert!(codes_for(&findings, "deep.py").contains(&"MCL801"));
}

#[test]
fn symlink_loop_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sub")).unwrap();
    std::os::unix::fs::symlink(d, d.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink(d.join("canary.py"), d.join("sub/link.py")).unwrap();
    std::fs::write(d.join("canary.py"), CANARY).unwrap();
    let findings = scan_dir(d);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(codes_for(&findings, "canary.py"), vec!["MCL801"]);
}

#[test]
fn unreadable_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A path that exists but cannot be read as a file, whoever runs the test
    // (root ignores permission bits).
    std::fs::create_dir(d.join("folder.py")).unwrap();
    let files = vec![SourcePath::new(d.join("folder.py"), Language::Python)];
    let out = scan::scan(&files, &settings(d));
    assert_eq!(out.findings.len(), 1);
    assert_eq!(out.findings[0].code, "MCL000");
    assert!(
        out.findings[0].message.starts_with("cannot read file"),
        "{}",
        out.findings[0].message
    );

    // And with permissions, where they apply.
    use std::os::unix::fs::PermissionsExt;
    let locked = d.join("locked.py");
    std::fs::write(&locked, CANARY).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_err() {
        let findings = scan_dir(d);
        assert_eq!(codes_for(&findings, "locked.py"), vec!["MCL000"]);
    }
}

#[test]
fn file_deleted_between_walk_and_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("gone.py"), CANARY).unwrap();
    std::fs::write(d.join("canary.py"), CANARY).unwrap();
    let found = discover::discover(
        &[PathBuf::from(d)],
        &DiscoverOptions {
            respect_ignore_files: true,
            exclude: None,
            root: d,
            threads: 1,
        },
    );
    assert_eq!(found.files.len(), 2);
    std::fs::remove_file(d.join("gone.py")).unwrap();
    let out = scan::scan(&found.files, &settings(d));
    assert_eq!(codes_for(&out.findings, "gone.py"), vec!["MCL000"]);
    assert_eq!(codes_for(&out.findings, "canary.py"), vec!["MCL801"]);
}

#[test]
fn oversized_and_minified_files_are_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("huge.py"), "x = 1\n".repeat(300_000)).unwrap();
    std::fs::write(
        d.join("bundle.js"),
        format!("var a={};\n", "1+".repeat(4000) + "1"),
    )
    .unwrap();
    std::fs::write(d.join("app.min.js"), CANARY).unwrap();
    std::fs::create_dir_all(d.join("node_modules/pkg")).unwrap();
    std::fs::write(d.join("node_modules/pkg/index.py"), CANARY).unwrap();
    std::fs::write(d.join("canary.py"), CANARY).unwrap();
    let found = discover::discover(
        &[PathBuf::from(d)],
        &DiscoverOptions {
            respect_ignore_files: true,
            exclude: None,
            root: d,
            threads: 2,
        },
    );
    let out = scan::scan(&found.files, &settings(d));
    assert_eq!(codes_for(&out.findings, "huge.py"), vec!["MCL000"]);
    assert!(codes_for(&out.findings, "bundle.js").is_empty());
    assert!(codes_for(&out.findings, "index.py").is_empty());
    let mut skipped = out.stats.skipped.clone();
    for (reason, n) in found.skipped {
        *skipped.entry(reason).or_default() += n;
    }
    use mcplint::discover::SkipReason;
    assert_eq!(skipped.get(&SkipReason::TooLarge), Some(&1));
    assert_eq!(skipped.get(&SkipReason::Minified), Some(&2));
    assert_eq!(skipped.get(&SkipReason::VendoredDir), Some(&1));
    assert_eq!(out.stats.files_scanned, 1);
}

#[test]
fn syntax_errors_are_notes_and_the_rest_is_analyzed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("broken.py"),
        format!("def search(query: str:\n    pass\n{CANARY}"),
    )
    .unwrap();
    std::fs::write(d.join("broken.rs"), "fn main( { let token = \"x\"; }\n").unwrap();
    let findings = scan_dir(d);
    let broken_py = codes_for(&findings, "broken.py");
    assert!(
        broken_py.contains(&"MCL000") && broken_py.contains(&"MCL801"),
        "{broken_py:?}"
    );
    assert_eq!(codes_for(&findings, "broken.rs"), vec!["MCL000"]);
}

#[test]
fn cli_survives_a_tree_of_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("latin1.py"), b"token = \"caf\xe9\"\n").unwrap();
    std::fs::write(d.join("blob.rs"), b"\x00\x01\x02").unwrap();
    std::fs::write(
        d.join("deep.rs"),
        format!(
            "use rmcp::model::Tool;\nconst TOKEN: u8 = {}0{};",
            "(\n".repeat(10_000),
            ")\n".repeat(10_000)
        ),
    )
    .unwrap();
    std::os::unix::fs::symlink(d, d.join("loop")).unwrap();
    let output = common::mcplint_cmd()
        .current_dir(d)
        .args(["check", ".", "--no-config", "--format", "concise"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    // Only notes: the default --fail-on warning passes.
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.matches("MCL000").count(), 3, "{stdout}");
}

#[test]
fn a_50_mib_file_is_skipped_without_being_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Sparse: 50 MiB on paper, nothing on disk; mcplint must not read it.
    let big = std::fs::File::create(d.join("big.py")).unwrap();
    big.set_len(50 * 1024 * 1024).unwrap();
    std::fs::write(d.join("one_line.js"), "x".repeat(1024 * 1024)).unwrap();
    std::fs::write(d.join("canary.py"), CANARY).unwrap();
    let output = common::mcplint_cmd()
        .current_dir(d)
        .args([
            "check",
            ".",
            "--no-config",
            "--format",
            "json",
            "--stats",
            "--fail-on",
            "never",
        ])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let codes: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert_eq!(codes, [("big.py", "MCL000"), ("canary.py", "MCL801")]);
    assert_eq!(
        report["stats"]["files_skipped"], 2,
        "the big file and the one-line file"
    );
    assert_eq!(report["stats"]["files_scanned"], 1);
}

#[test]
fn json_nested_100000_levels_is_reported_not_parsed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let deep = format!(
        "{{\"mcpServers\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    std::fs::write(d.join(".mcp.json"), deep).unwrap();
    std::fs::write(d.join("data.json"), "[".repeat(100_000)).unwrap();
    let findings = scan_dir(d);
    assert_eq!(codes_for(&findings, ".mcp.json"), vec!["MCL000"]);
    assert!(
        codes_for(&findings, "data.json").is_empty(),
        "not an MCP file: ignored"
    );
}

#[test]
fn non_utf8_file_names_and_read_only_directories() {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9_server.py");
    std::fs::write(d.join(name), CANARY).unwrap();
    std::fs::create_dir(d.join("locked")).unwrap();
    std::fs::write(d.join("locked/server.py"), CANARY).unwrap();
    std::fs::set_permissions(d.join("locked"), std::fs::Permissions::from_mode(0o555)).unwrap();
    let output = common::mcplint_cmd()
        .current_dir(d)
        .args(["check", ".", "--no-config", "--format", "concise"])
        .output()
        .unwrap();
    std::fs::set_permissions(d.join("locked"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("caf\u{fffd}_server.py:1:16: MCL801"),
        "{stdout}"
    );
    assert!(stdout.contains("locked/server.py:1:16: MCL801"), "{stdout}");
    // Nothing was written into the scanned tree but the documented result
    // cache (`.mcplint_cache`, which ignores itself for git).
    let entries = std::fs::read_dir(d)
        .unwrap()
        .filter(|e| e.as_ref().is_ok_and(|e| e.file_name() != ".mcplint_cache"))
        .count();
    assert_eq!(entries, 2);
}

#[test]
fn output_that_cannot_be_written_exits_2_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("server.py"), CANARY).unwrap();
    std::fs::create_dir(d.join("report.json")).unwrap();
    for target in ["report.json", "missing/dir/report.json"] {
        let output = common::mcplint_cmd()
            .current_dir(d)
            .args([
                "check",
                "server.py",
                "--no-config",
                "--format",
                "json",
                "--output",
                target,
            ])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{target}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("cannot write") && stderr.contains(target),
            "{stderr}"
        );
    }
    let mut left: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        // The result cache is documented output of every scan.
        .filter(|name| name != ".mcplint_cache")
        .collect();
    left.sort();
    assert_eq!(
        left,
        ["report.json", "server.py"],
        "no partial or temporary file"
    );
}

#[test]
fn a_directory_of_100000_empty_files_keeps_memory_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for i in 0..100 {
        let sub = d.join(format!("pkg{i:03}"));
        std::fs::create_dir(&sub).unwrap();
        for j in 0..1000 {
            std::fs::File::create(sub.join(format!("m{j:04}.py"))).unwrap();
        }
    }
    let output = common::mcplint_cmd()
        .current_dir(d)
        .args(["check", ".", "--no-config", "--format", "json", "--stats"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["stats"]["files_scanned"], 100_000);
    let peak = report["stats"]["peak_rss_bytes"].as_u64().unwrap();
    assert!(
        peak < 200 * 1024 * 1024,
        "peak RSS {peak} bytes for 100,000 files"
    );
}
