//! Meta tests that keep the rule catalogue honest: every rule has a doc page
//! with the required sections and fixtures both bad and good; codes and names
//! are unique and well-formed; no doc page or fixture directory is orphaned.

mod common;

use std::collections::BTreeSet;

use mcplint::rules::all_meta;

const SECTIONS: &[&str] = &[
    "## What it does",
    "## Why is this bad?",
    "## Example",
    "## Use instead",
    "## References",
];

#[test]
fn every_rule_has_a_complete_doc_page() {
    let root = common::repo_root();
    for meta in all_meta() {
        let path = root.join(meta.doc_path());
        let on_disk = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("{} has no doc page {}", meta.code, path.display()));
        assert_eq!(
            on_disk, meta.doc,
            "{}: embedded doc differs from the file",
            meta.code
        );
        assert!(
            meta.doc
                .starts_with(&format!("# {} {}\n", meta.code, meta.name)),
            "{}: doc title must be `# {} {}`",
            meta.code,
            meta.code,
            meta.name
        );
        let mut last = 0;
        for section in SECTIONS {
            let at = meta
                .doc
                .find(section)
                .unwrap_or_else(|| panic!("{}: missing section `{section}`", meta.code));
            assert!(at > last, "{}: section `{section}` out of order", meta.code);
            last = at;
        }
        assert!(
            !meta.summary.ends_with('.'),
            "{}: summary ends with a period",
            meta.code
        );
        assert!(
            meta.summary
                .chars()
                .next()
                .is_some_and(|c| c.is_lowercase()),
            "{}: summary starts lowercase",
            meta.code
        );
    }
}

#[test]
fn every_doc_page_says_which_file_roles_the_rule_applies_to() {
    for meta in all_meta() {
        let roles: Vec<&str> = meta.roles.iter().map(|r| r.as_str()).collect();
        let line = format!(
            "\n\nApplies to: {} (see \"File roles\" in the README).\n",
            roles.join(", ")
        );
        assert!(
            meta.doc.contains(&line),
            "{}: the doc page must say `{}`",
            meta.code,
            line.trim()
        );
        assert!(!meta.roles.is_empty(), "{}: applies to no role", meta.code);
    }
}

#[test]
fn every_rule_has_bad_and_good_fixtures() {
    let root = common::repo_root();
    for meta in all_meta() {
        let dir = root
            .join("fixtures")
            .join(format!("{}-{}", meta.code, meta.name));
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("{} has no fixture directory {}", meta.code, dir.display()))
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        assert!(
            names.iter().any(|n| n.starts_with("bad")),
            "{}: no bad_ fixture",
            meta.code
        );
        assert!(
            names.iter().any(|n| n.starts_with("good")),
            "{}: no good_ fixture",
            meta.code
        );
    }
}

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let metas = all_meta();
    let codes: BTreeSet<_> = metas.iter().map(|m| m.code).collect();
    let names: BTreeSet<_> = metas.iter().map(|m| m.name).collect();
    assert_eq!(codes.len(), metas.len(), "duplicate code");
    assert_eq!(names.len(), metas.len(), "duplicate name");
    for meta in &metas {
        assert!(
            meta.code.len() == 6
                && meta.code.starts_with("MCL")
                && meta.code[3..].chars().all(|c| c.is_ascii_digit()),
            "bad code {}",
            meta.code
        );
        assert!(
            meta.name.split('-').all(|w| !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
            "{}: name `{}` is not kebab-case",
            meta.code,
            meta.name
        );
        for prefix in ["use-", "prefer-", "avoid-", "no-"] {
            assert!(
                !meta.name.starts_with(prefix),
                "{}: name starts with `{prefix}`",
                meta.code
            );
        }
        assert!(
            !meta.languages.is_empty(),
            "{}: covers no language",
            meta.code
        );
    }
}

#[test]
fn no_orphan_doc_pages_or_fixture_directories() {
    let root = common::repo_root();
    let expected: BTreeSet<String> = all_meta()
        .iter()
        .map(|m| format!("{}-{}", m.code, m.name))
        .collect();
    let docs: BTreeSet<String> = std::fs::read_dir(root.join("rules"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".md"))
        .map(|n| n.trim_end_matches(".md").to_string())
        .collect();
    let orphans: Vec<_> = docs.difference(&expected).collect();
    assert!(orphans.is_empty(), "doc pages with no rule: {orphans:?}");
    let fixtures: BTreeSet<String> = std::fs::read_dir(root.join("fixtures"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    let orphans: Vec<_> = fixtures.difference(&expected).collect();
    assert!(
        orphans.is_empty(),
        "fixture directories with no rule: {orphans:?}"
    );
}
