//! The progress bar of a long scan (`src/progress.rs`): drawn on a terminal
//! and erased at the end; never with `--quiet`, in CI, or when standard
//! error is not a terminal. A terminal is made with util-linux `script`.

mod common;

use std::process::Command;

fn bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("mcplint")
}

/// Runs `mcplint check ARGS .` in `dir` under a pseudo-terminal; returns
/// what the terminal received (stdout is sent to /dev/null).
fn on_terminal(dir: &std::path::Path, args: &str, env: &[(&str, &str)]) -> Option<String> {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("util-linux `script` is not installed: no pseudo-terminal to test with");
        return None;
    }
    let command = format!(
        "{} check --no-cache --fail-on never {args} . > /dev/null",
        bin().display()
    );
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &command, "/dev/null"])
        .current_dir(dir)
        .env_remove("CI")
        .env("MCPLINT_PROGRESS_AFTER_MS", "0");
    for (key, value) in env {
        cmd.env(key, value);
    }
    let output = cmd.output().expect("script runs");
    assert!(output.status.success(), "{output:?}");
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for i in 0..40 {
        std::fs::write(
            dir.path().join(format!("tool_{i}.py")),
            format!(
                "import subprocess\nfrom mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP(\"p{i}\")\n\n\n@mcp.tool()\ndef run_{i}(command: str) -> str:\n    \"\"\"Run it.\"\"\"\n    return subprocess.run(command, shell=True, capture_output=True, text=True, timeout=5).stdout\n"
            ),
        )
        .expect("write");
    }
    dir
}

#[test]
fn a_terminal_sees_the_bar_and_it_is_erased() {
    let dir = project();
    let Some(screen) = on_terminal(dir.path(), "", &[]) else {
        return;
    };
    assert!(screen.contains("mcplint: "), "{screen:?}");
    assert!(
        screen.contains("reading files") || screen.contains("checking"),
        "{screen:?}"
    );
    assert!(
        screen.ends_with("\r\x1b[2K"),
        "the line is erased: {screen:?}"
    );
}

#[test]
fn quiet_and_ci_draw_nothing() {
    let dir = project();
    let Some(quiet) = on_terminal(dir.path(), "--quiet", &[]) else {
        return;
    };
    assert!(!quiet.contains("mcplint: "), "{quiet:?}");
    let ci = on_terminal(dir.path(), "", &[("CI", "true")]).unwrap_or_default();
    assert!(!ci.contains("mcplint: "), "{ci:?}");
}

#[test]
fn redirected_standard_error_gets_no_bar() {
    let dir = project();
    let output = common::mcplint_cmd()
        .current_dir(dir.path())
        .env_remove("CI")
        .env("MCPLINT_PROGRESS_AFTER_MS", "0")
        .args(["check", "--no-cache", "--fail-on", "never", "."])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("mcplint: reading"), "{stderr}");
}
