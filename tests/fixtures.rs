//! The fixture harness: every file under `fixtures/<CODE>-<name>/` is scanned
//! with all default rules, and the exact set of (file, line, code) found must
//! equal the set marked inline:
//!
//! - `# expect: MCL801` / `// expect: MCL801, MCL102` — findings on this line;
//! - `# expect-next-line: MCL801` — findings on the next line;
//! - in JSON, which has no comments, a `"//": "expect: MCL801"` member on the line.
//!
//! Each directory runs the default rules plus its own rule (so that opt-in
//! rules are exercised). `good_*` files must hold no expectation and produce no finding. A missing
//! and an unexpected finding both fail, with a diff naming file and line.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use regex::Regex;

type Expectation = (String, usize, String);

fn fixture_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(common::repo_root().join("fixtures"))
        .expect("fixtures/ exists")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).expect("readable fixture dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn expectations(file: &Path, root: &Path) -> BTreeSet<Expectation> {
    let marker = Regex::new(r"expect(-next-line)?:\s*(MCL\d{3}(?:\s*,\s*MCL\d{3})*)").unwrap();
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let shown = file
        .strip_prefix(root)
        .unwrap_or(file)
        .to_string_lossy()
        .replace('\\', "/");
    let mut set = BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        for cap in marker.captures_iter(line) {
            let target = if cap.get(1).is_some() { i + 2 } else { i + 1 };
            for code in cap[2].split(',') {
                set.insert((shown.clone(), target, code.trim().to_string()));
            }
        }
    }
    set
}

fn render(set: &BTreeSet<Expectation>) -> String {
    set.iter()
        .map(|(f, l, c)| format!("    {f}:{l} {c}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn fixtures_match_inline_expectations() {
    let root = common::repo_root();
    let dirs = fixture_dirs();
    assert!(!dirs.is_empty(), "no fixture directories");
    let mut failures = Vec::new();
    for dir in &dirs {
        let files = files_in(dir);
        let mut expected = BTreeSet::new();
        for file in &files {
            let marks = expectations(file, &root);
            let name = file.file_name().unwrap().to_string_lossy().to_string();
            if name.starts_with("good") && !marks.is_empty() {
                failures.push(format!(
                    "{}: a good_ fixture holds expectations",
                    file.display()
                ));
            }
            if name.starts_with("bad") && marks.is_empty() {
                failures.push(format!(
                    "{}: a bad_ fixture holds no expectation",
                    file.display()
                ));
            }
            expected.extend(marks);
        }
        // A directory of an opt-in rule runs that rule too.
        let code = dir.file_name().unwrap().to_string_lossy()[..6].to_string();
        let actual: BTreeSet<Expectation> =
            common::scan_with(std::slice::from_ref(dir), &root, &[code])
                .into_iter()
                .map(|f| {
                    (
                        f.path.to_string_lossy().replace('\\', "/"),
                        f.location.start.line,
                        f.code.to_string(),
                    )
                })
                .collect();
        let missing: BTreeSet<_> = expected.difference(&actual).cloned().collect();
        let extra: BTreeSet<_> = actual.difference(&expected).cloned().collect();
        if !missing.is_empty() {
            failures.push(format!(
                "{}: expected but not reported:\n{}",
                dir.display(),
                render(&missing)
            ));
        }
        if !extra.is_empty() {
            failures.push(format!(
                "{}: reported but not expected:\n{}",
                dir.display(),
                render(&extra)
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}

#[test]
fn expectation_markers_are_parsed() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad_x.py");
    std::fs::write(&file, "a = 1  # expect: MCL801, MCL102\n# expect-next-line: MCL000\nb\n{\"k\": 1, \"//\": \"expect: MCL901\"}\n").unwrap();
    let set = expectations(&file, dir.path());
    let lines: Vec<(usize, &str)> = set.iter().map(|(_, l, c)| (*l, c.as_str())).collect();
    assert_eq!(
        lines,
        vec![(1, "MCL102"), (1, "MCL801"), (3, "MCL000"), (4, "MCL901")]
    );
}
