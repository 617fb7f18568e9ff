//! `mcplint inventory` lists every tool of every fixture server exactly once:
//! each fixture file that marks its tools (`expect-tool: name` on the line of
//! the tool's name) must produce exactly those tools, on those lines.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use regex::Regex;

fn marked_tools() -> BTreeMap<String, BTreeSet<(usize, String)>> {
    let marker = Regex::new(r"expect-tool:\s*([^\s,]+)").unwrap();
    let mut marked = BTreeMap::new();
    let root = common::repo_root();
    let mut stack = vec![root.join("fixtures")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let mut tools = BTreeSet::new();
            for (i, line) in text.lines().enumerate() {
                for cap in marker.captures_iter(line) {
                    tools.insert((i + 1, cap[1].to_string()));
                }
            }
            if !tools.is_empty() {
                let shown = path
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                marked.insert(shown, tools);
            }
        }
    }
    marked
}

#[test]
fn inventory_lists_every_marked_tool_exactly_once() {
    let marked = marked_tools();
    assert!(
        marked.len() >= 12,
        "at least 12 fixture servers mark their tools"
    );
    let output = common::mcplint_cmd()
        .current_dir(common::repo_root())
        .args(["inventory", "fixtures", "--format", "json", "--no-config"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["schema_version"], 1);
    let mut found: BTreeMap<String, BTreeSet<(usize, String)>> = BTreeMap::new();
    let mut duplicates = Vec::new();
    for entry in document["entries"].as_array().unwrap() {
        if entry["kind"] != "tool" || entry["dynamic_name"] == true {
            continue;
        }
        let path = entry["path"].as_str().unwrap().to_string();
        let key = (
            entry["line"].as_u64().unwrap() as usize,
            entry["name"].as_str().unwrap().to_string(),
        );
        if !found.entry(path.clone()).or_default().insert(key.clone()) {
            duplicates.push(format!("{path}:{} {}", key.0, key.1));
        }
    }
    assert!(duplicates.is_empty(), "tools listed twice: {duplicates:?}");
    let mut failures = Vec::new();
    for (path, expected) in &marked {
        let actual = found.get(path).cloned().unwrap_or_default();
        for (line, name) in expected.difference(&actual) {
            failures.push(format!("missing  {path}:{line} {name}"));
        }
        for (line, name) in actual.difference(expected) {
            failures.push(format!("extra    {path}:{line} {name}"));
        }
    }
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}

#[test]
fn inventory_table_shows_params_annotations_and_transport() {
    let output = common::mcplint_cmd()
        .current_dir(common::repo_root())
        .args([
            "inventory",
            "fixtures/MCL603-missing-tool-annotations",
            "--no-config",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("  params       "), "{text}");
    assert!(text.contains("readOnly=true"), "{text}");
    assert!(text.contains("  transport    stdio"), "{text}");
    assert!(text.lines().last().unwrap().contains(" tools, "), "{text}");
}

#[test]
fn low_level_tools_get_their_dispatch_branch_as_handler() {
    for dir in ["fixtures/MCL603-missing-tool-annotations"] {
        let output = common::mcplint_cmd()
            .current_dir(common::repo_root())
            .args(["inventory", dir, "--format", "json", "--no-config"])
            .output()
            .unwrap();
        let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let low_level: Vec<&serde_json::Value> = document["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["path"].as_str().unwrap().contains("lowlevel") && e["kind"] == "tool")
            .collect();
        assert!(low_level.len() >= 8, "{low_level:?}");
        for entry in low_level {
            assert!(
                entry["handler_line"]
                    .as_u64()
                    .is_some_and(|l| l > entry["line"].as_u64().unwrap()),
                "{entry}"
            );
        }
    }
}

/// The scope a handler marker or an inventory entry belongs to: the
/// project directory directly under a fixture directory
/// (`fixtures/MCL201-shell-injection/bad_ts_barrel/`), or the file itself
/// for a single-file fixture.
fn scope_of(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').collect();
    if parts.len() > 3 {
        parts[..3].join("/")
    } else {
        path.to_string()
    }
}

/// Every `expect-handler: name` marker (on the first line of the function
/// that runs when tool `name` is called): per scope, the set of
/// (tool, handler file, handler line).
fn marked_handlers() -> BTreeMap<String, BTreeSet<(String, String, usize)>> {
    let marker = Regex::new(r"expect-handler:\s*([^\s,]+)").unwrap();
    let root = common::repo_root();
    let mut marked: BTreeMap<String, BTreeSet<(String, String, usize)>> = BTreeMap::new();
    let mut stack = vec![root.join("fixtures")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let shown = path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            for (i, line) in text.lines().enumerate() {
                for cap in marker.captures_iter(line) {
                    marked.entry(scope_of(&shown)).or_default().insert((
                        cap[1].to_string(),
                        shown.clone(),
                        i + 1,
                    ));
                }
            }
        }
    }
    marked
}

#[test]
fn inventory_links_every_marked_handler() {
    let marked = marked_handlers();
    let output = common::mcplint_cmd()
        .current_dir(common::repo_root())
        .args(["inventory", "fixtures", "--format", "json", "--no-config"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut actual: BTreeMap<String, BTreeSet<(String, String, usize)>> = BTreeMap::new();
    for entry in document["entries"].as_array().unwrap() {
        if entry["kind"] != "tool" {
            continue;
        }
        let scope = scope_of(entry["path"].as_str().unwrap());
        if !marked.contains_key(&scope) {
            continue;
        }
        let handler = &entry["handler"];
        actual.entry(scope).or_default().insert((
            entry["name"].as_str().unwrap().to_string(),
            handler["path"].as_str().unwrap_or("(none)").to_string(),
            handler["line"].as_u64().unwrap_or(0) as usize,
        ));
    }
    let mut failures = Vec::new();
    for (scope, expected) in &marked {
        let got = actual.get(scope).cloned().unwrap_or_default();
        for (name, path, line) in expected.difference(&got) {
            failures.push(format!("missing  {name} -> {path}:{line}"));
        }
        for (name, path, line) in got.difference(expected) {
            failures.push(format!("extra    {name} -> {path}:{line}"));
        }
    }
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}
