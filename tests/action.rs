//! The GitHub Action (action.yml): it installs a prebuilt mcplint instead of
//! compiling one, scans once for both the annotations and the SARIF upload,
//! and a scan that cannot run fails with mcplint's own message, uploading
//! nothing. The structural checks read the YAML; the behavioural ones run the
//! action's own step scripts with bash, as a runner would.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

fn action() -> Value {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml"))
        .expect("action.yml");
    serde_saphyr::from_str(&text).expect("action.yml is YAML")
}

fn steps(action: &Value) -> &Vec<Value> {
    action["runs"]["steps"].as_array().expect("runs.steps")
}

/// The step with this `id`, or else this `name`.
fn step<'a>(action: &'a Value, key: &str) -> &'a Value {
    steps(action)
        .iter()
        .find(|s| s["id"] == key)
        .or_else(|| steps(action).iter().find(|s| s["name"] == key))
        .unwrap_or_else(|| panic!("no step {key}"))
}

fn str_of<'a>(value: &'a Value, what: &str) -> &'a str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("{what} is not a string"))
}

fn crate_version() -> String {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
        .expect("Cargo.toml");
    let manifest: toml::Table = text.parse().expect("Cargo.toml is TOML");
    manifest["package"]["version"]
        .as_str()
        .expect("package.version")
        .to_string()
}

#[test]
fn scripts_read_inputs_from_the_environment() {
    let action = action();
    for step in steps(&action) {
        if let Some(run) = step["run"].as_str() {
            // `${{ inputs.x }}` pasted into a script is shell code chosen by
            // whoever writes the workflow (or the PR title it interpolates).
            assert!(
                !run.contains("${{"),
                "{} pastes an expression: {run}",
                step["name"]
            );
            assert_eq!(step["shell"], "bash", "{}", step["name"]);
        }
    }
}

#[test]
fn installs_the_released_package_of_its_own_version() {
    let action = action();
    assert_eq!(action["inputs"]["install"]["default"], "pip");
    let pip = step(&action, "Install mcplint (pip)");
    assert_eq!(pip["if"], "${{ inputs.install == 'pip' }}");
    assert_eq!(
        pip["env"]["MCPLINT_ACTION_VERSION"].as_str(),
        Some(crate_version().as_str()),
        "the action installs the version it was released as"
    );
    assert!(
        str_of(&pip["run"], "run")
            .contains("pip install --quiet --disable-pip-version-check \"mcplint==$version\"")
    );
    // Compiling (fat LTO, minutes) happens only when asked, and its result is
    // cached under a key of the source it was built from.
    for step in steps(&action) {
        if step["run"]
            .as_str()
            .is_some_and(|r| r.contains("cargo install"))
        {
            assert_eq!(
                step["if"], "${{ inputs.install == 'cargo' }}",
                "{}",
                step["name"]
            );
        }
    }
    let cache = step(&action, "cache");
    assert!(str_of(&cache["uses"], "uses").starts_with("actions/cache@"));
    assert_eq!(cache["with"]["key"], "${{ steps.source.outputs.key }}");
    assert!(str_of(&step(&action, "source")["run"], "run").contains("Cargo.lock"));
}

#[test]
fn the_upload_needs_the_report_of_a_finished_scan() {
    let action = action();
    let upload = steps(&action)
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("an upload step");
    let condition = str_of(&upload["if"], "upload if");
    assert!(
        condition.contains("steps.scan.outputs.sarif != ''"),
        "{condition}"
    );
    assert!(
        condition.contains("inputs.upload-sarif == 'true'"),
        "{condition}"
    );
    assert_eq!(
        upload["with"]["sarif_file"],
        "${{ steps.scan.outputs.sarif }}"
    );
}

/// Runs one step's script as a runner would (`bash -eo pipefail`), with the
/// step's `env` (inputs substituted) and a runner's variables.
#[cfg(unix)]
struct Runner {
    temp: tempfile::TempDir,
    bin: tempfile::TempDir,
}

#[cfg(unix)]
impl Runner {
    /// A PATH whose `mcplint` logs each call and runs the binary under test.
    fn new() -> Runner {
        use std::os::unix::fs::PermissionsExt;
        let bin = tempfile::tempdir().unwrap();
        let wrapper = bin.path().join("mcplint");
        std::fs::write(
            &wrapper,
            format!(
                "#!/bin/sh\necho \"$*\" >> \"$MCPLINT_CALLS\"\nexec '{}' \"$@\"\n",
                env!("CARGO_BIN_EXE_mcplint")
            ),
        )
        .unwrap();
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
        Runner {
            temp: tempfile::tempdir().unwrap(),
            bin,
        }
    }

    fn calls(&self) -> Vec<String> {
        std::fs::read_to_string(self.temp.path().join("calls"))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }

    fn outputs(&self) -> String {
        std::fs::read_to_string(self.temp.path().join("output")).unwrap_or_default()
    }

    fn run(
        &self,
        action: &Value,
        step_key: &str,
        inputs: &[(&str, &str)],
        extra_env: &[(&str, &str)],
        cwd: &Path,
    ) -> std::process::Output {
        let step = step(action, step_key);
        let mut given: BTreeMap<String, String> = action["inputs"]
            .as_object()
            .expect("inputs")
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    v["default"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        for (k, v) in inputs {
            given.insert(k.to_string(), v.to_string());
        }
        let script = self.temp.path().join("step.sh");
        std::fs::write(&script, str_of(&step["run"], "run")).unwrap();
        let mut cmd = std::process::Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script)
            .current_dir(cwd)
            .env("RUNNER_TEMP", self.temp.path())
            .env("GITHUB_OUTPUT", self.temp.path().join("output"))
            .env("MCPLINT_CALLS", self.temp.path().join("calls"))
            .env_remove("NO_COLOR")
            .env(
                "PATH",
                format!(
                    "{}:{}",
                    self.bin.path().display(),
                    std::env::var("PATH").unwrap_or_default()
                ),
            );
        for (name, value) in step["env"].as_object().into_iter().flatten() {
            if extra_env.iter().any(|(k, _)| k == name) {
                continue;
            }
            let mut value = str_of(value, name).to_string();
            for (input, given) in &given {
                value = value.replace(&format!("${{{{ inputs.{input} }}}}"), given);
            }
            assert!(!value.contains("${{"), "{name}: {value} needs a runner");
            cmd.env(name, value);
        }
        cmd.envs(extra_env.iter().copied());
        cmd.output().expect("bash runs")
    }
}

#[cfg(unix)]
fn project_with_a_secret() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("server.py"),
        "GITHUB_TOKEN = \"ghp_29WX92kmAOc6hARRiMQiC45ktdTyWOkCSo7e\"\n",
    )
    .unwrap();
    dir
}

#[cfg(unix)]
#[test]
fn one_scan_writes_the_annotations_and_the_sarif() {
    let action = action();
    let runner = Runner::new();
    let project = project_with_a_secret();
    let out = runner.run(&action, "scan", &[], &[], project.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(runner.calls().len(), 1, "one scan: {:?}", runner.calls());
    assert!(stdout.contains("::error file=server.py,line=1"), "{stdout}");
    let outputs = runner.outputs();
    assert!(outputs.contains("status=1\n"), "{outputs}");
    let sarif_path = outputs
        .lines()
        .find_map(|l| l.strip_prefix("sarif="))
        .expect("a sarif output");
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(sarif_path).unwrap()).unwrap();
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), stdout.matches("::error file=").count());
    // The findings fail the job in the last step, after the upload.
    let fail = runner.run(
        &action,
        "Apply fail-on",
        &[],
        &[("STATUS", "1")],
        project.path(),
    );
    assert_eq!(fail.status.code(), Some(1));
    let pass = runner.run(
        &action,
        "Apply fail-on",
        &[],
        &[("STATUS", "0")],
        project.path(),
    );
    assert_eq!(pass.status.code(), Some(0));
}

#[cfg(unix)]
#[test]
fn no_upload_no_sarif() {
    let action = action();
    let runner = Runner::new();
    let project = project_with_a_secret();
    let out = runner.run(
        &action,
        "scan",
        &[("upload-sarif", "false")],
        &[],
        project.path(),
    );
    assert!(out.status.success());
    assert!(!runner.outputs().contains("sarif="), "{}", runner.outputs());
    assert!(
        !runner.calls()[0].contains("--emit"),
        "{:?}",
        runner.calls()
    );
}

#[cfg(unix)]
#[test]
fn a_scan_that_cannot_run_fails_with_mcplints_message() {
    let action = action();
    let runner = Runner::new();
    let project = project_with_a_secret();
    let out = runner.run(
        &action,
        "scan",
        &[("config", "missing.toml")],
        &[],
        project.path(),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(
        stderr.contains("mcplint: error:") && stderr.contains("missing.toml"),
        "{stderr}"
    );
    assert!(
        stdout.contains("::error title=mcplint could not scan::mcplint: error:"),
        "{stdout}"
    );
    // No report: the upload step's condition keeps it from running.
    assert!(!runner.outputs().contains("sarif="), "{}", runner.outputs());
}

#[cfg(unix)]
#[test]
fn an_unknown_install_method_is_refused() {
    let action = action();
    let runner = Runner::new();
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = runner.run(
        &action,
        "Check the install input",
        &[("install", "brew")],
        &[],
        here,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("install must be pip, cargo or none, not 'brew'")
    );
    for method in ["pip", "cargo", "none"] {
        let out = runner.run(
            &action,
            "Check the install input",
            &[("install", method)],
            &[],
            here,
        );
        assert!(out.status.success(), "{method}");
    }
}

/// The pip step installs a wheel into its own virtual environment and puts
/// its `mcplint` on PATH. It needs the wheel, which `.ci/packages.sh` builds
/// and then runs this test with, offline: `MCPLINT_TEST_WHEELS=DIR cargo test
/// --test action -- --ignored`.
#[cfg(unix)]
#[test]
#[ignore = "needs a built wheel; .ci/packages.sh runs it"]
fn the_pip_step_installs_the_wheel_of_its_version() {
    let wheels =
        std::env::var("MCPLINT_TEST_WHEELS").expect("MCPLINT_TEST_WHEELS=DIR of the wheel");
    let action = action();
    let runner = Runner::new();
    let path_file = runner.temp.path().join("path");
    let path_file = path_file.to_str().unwrap();
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = runner.run(
        &action,
        "Install mcplint (pip)",
        &[],
        &[
            ("PIP_NO_INDEX", "1"),
            ("PIP_FIND_LINKS", &wheels),
            ("GITHUB_PATH", path_file),
        ],
        here,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.trim(), format!("mcplint {}", crate_version()));
    let added = std::fs::read_to_string(path_file).unwrap();
    let bin = Path::new(added.trim()).join("mcplint");
    assert!(bin.starts_with(runner.temp.path()), "{}", bin.display());
    let version = std::process::Command::new(&bin)
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("mcplint {}", crate_version())
    );
}

/// The cargo build is cached under a key of the action's own source.
#[cfg(unix)]
#[test]
fn the_cargo_cache_key_is_a_hash_of_the_source() {
    let action = action();
    let runner = Runner::new();
    let here = env!("CARGO_MANIFEST_DIR");
    let env = [
        ("GITHUB_ACTION_PATH", here),
        ("RUNNER_OS", "Linux"),
        ("RUNNER_ARCH", "X64"),
    ];
    let out = runner.run(&action, "source", &[], &env, Path::new(here));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let outputs = runner.outputs();
    let key = outputs
        .lines()
        .find_map(|l| l.strip_prefix("key=mcplint-cargo-Linux-X64-"))
        .unwrap_or_else(|| panic!("{outputs}"));
    assert_eq!(key.len(), 16, "{key}");
    assert!(key.bytes().all(|b| b.is_ascii_hexdigit()), "{key}");
}
