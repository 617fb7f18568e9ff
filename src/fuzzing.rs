//! Entry points for fuzzing (cargo-fuzz targets in `fuzz/` and the bounded
//! mutation fuzzer of `tests/fuzz_smoke.rs`): run any bytes through a
//! frontend, every rule, the inventory and every output format.

use std::path::{Path, PathBuf};

use crate::discover::{self, DiscoverOptions, SourcePath};
use crate::facts::Language;
use crate::report::{self, Format, Report};
use crate::scan::{self, RuleSet, ScanSettings, Stats};

fn settings(root: &Path) -> ScanSettings {
    let every_rule = vec!["ALL".to_string()];
    let opt_in = vec!["MCL403".to_string()];
    ScanSettings {
        rule_options: Default::default(),
        // ALL leaves opt-in rules out; name them too.
        rules: RuleSet::new(Some(&every_rule), &opt_in, &[]).unwrap_or_else(|_| {
            RuleSet::new(None, &[], &[]).unwrap_or_else(|e| panic!("default rules: {e}"))
        }),
        per_file_ignores: Vec::new(),
        root: root.to_path_buf(),
        max_file_size: crate::config::DEFAULT_MAX_FILE_SIZE,
        cwd: root.to_path_buf(),
        max_taint_depth: crate::taint::project::DEFAULT_MAX_DEPTH,
        taint_catalogs: None,
        keep_sources: true,
        roles: crate::roles::ALL.to_vec(),
    }
}

fn render_all(findings: &[crate::finding::Finding], root: &Path) {
    let stats = Stats::default();
    let rules = crate::rules::all_meta();
    let notes = Vec::new();
    let report = Report {
        findings,
        stats: &stats,
        rules: &rules,
        show_stats: true,
        root,
        color: true,
        quiet: false,
        notes: &notes,
    };
    for format in [
        Format::Pretty,
        Format::Concise,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Gitlab,
        Format::Junit,
    ] {
        let mut sink = Vec::new();
        let _ = report::reporter(format).write(&report, &mut sink);
    }
}

/// One file's bytes through the frontend of `language`, the rules, the
/// inventory and the reporters.
pub fn check_bytes(language: Language, name: &str, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    static SETTINGS: std::sync::OnceLock<ScanSettings> = std::sync::OnceLock::new();
    let root = Path::new("/fuzz");
    let settings = SETTINGS.get_or_init(|| settings(root));
    let file = SourcePath::new(root.join(name), language);
    let (findings, _) = scan::check_source(&file, text, settings);
    if let Ok(facts) = crate::frontend::lower(language, &file.path, text) {
        let _ = crate::inventory::entries_of(&facts, Path::new(name), text);
    }
    render_all(&findings, root);
}

/// Names the files of a generated directory get, in turn.
const NAMES: &[&str] = &[
    "server.py",
    "src/index.ts",
    "web/App.tsx",
    "lib/tool.js",
    "src/main.rs",
    ".mcp.json",
    ".vscode/mcp.json",
    "smithery.yaml",
    "config.toml",
    "node_modules/x/index.js",
];

/// Splits `data` at `\xff` into files of every kind, writes them into `dir`
/// (an empty temporary directory) and runs the whole scan over it.
pub fn scan_generated_directory(data: &[u8], dir: &Path) {
    let mut written = 0;
    for (i, chunk) in data.split(|&b| b == 0xff).enumerate().take(NAMES.len()) {
        let chunk = chunk.strip_prefix(&[0xfe]).unwrap_or(chunk);
        let path = dir.join(NAMES[i]);
        if let Some(parent) = path.parent()
            && std::fs::create_dir_all(parent).is_ok()
            && std::fs::write(&path, chunk).is_ok()
        {
            written += 1;
        }
    }
    if written == 0 {
        return;
    }
    let root: PathBuf = dir.to_path_buf();
    let found = discover::discover(
        std::slice::from_ref(&root),
        &DiscoverOptions {
            respect_ignore_files: true,
            exclude: None,
            root: &root,
            threads: 1,
        },
    );
    let output = scan::scan(&found.files, &settings(&root));
    render_all(&output.findings, &root);
}
