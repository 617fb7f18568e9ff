//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use mcplint::discover::{self, DiscoverOptions};
use mcplint::finding::Finding;
use mcplint::scan::{self, RuleSet, ScanSettings};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Scans `paths` with the default rules and no configuration, as the CLI
/// would with `--no-config`.
pub fn scan_paths(paths: &[PathBuf], cwd: &Path) -> Vec<Finding> {
    scan_with(paths, cwd, &[])
}

/// Like `scan_paths`, with rules added to the defaults (`--extend-select`).
pub fn scan_with(paths: &[PathBuf], cwd: &Path, extend: &[String]) -> Vec<Finding> {
    let settings = ScanSettings {
        rule_options: Default::default(),
        rules: RuleSet::new(None, extend, &[]).expect("default rules"),
        per_file_ignores: Vec::new(),
        root: cwd.to_path_buf(),
        max_file_size: mcplint::config::DEFAULT_MAX_FILE_SIZE,
        cwd: cwd.to_path_buf(),
        max_taint_depth: mcplint::taint::project::DEFAULT_MAX_DEPTH,
        taint_catalogs: None,
        keep_sources: true,
        roles: mcplint::roles::DEFAULT_REPORTED.to_vec(),
    };
    let found = discover::discover(
        paths,
        &DiscoverOptions {
            respect_ignore_files: false,
            exclude: None,
            root: cwd,
            threads: 2,
        },
    );
    scan::scan(&found.files, &settings).findings
}

pub fn mcplint_cmd() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("mcplint").expect("binary built");
    cmd.env_remove("NO_COLOR");
    cmd
}
