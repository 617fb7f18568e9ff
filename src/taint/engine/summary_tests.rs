//! The guarantees a function's summary records about a parameter
//! (`ensures`, `validates`) and the branch requirements of its sinks.

use std::path::PathBuf;

use crate::facts::FileFacts;
use crate::taint::engine::Want;
use crate::taint::{Analyzer, Project, ProjectFile, SinkClass};

fn lowered(name: &str, text: &str) -> (PathBuf, FileFacts) {
    let path = PathBuf::from(name);
    let language = crate::discover::classify(&path).expect("language");
    let facts = crate::frontend::lower(language, &path, text).expect("lowers");
    (path, facts)
}

/// The summary of function `function` of a one-file project with
/// parameter `param` probed.
fn summary_of(name: &str, text: &str, function: &str, param: usize) -> crate::taint::Summary {
    let (path, facts) = lowered(name, text);
    let files = vec![ProjectFile::new(&path, text, &facts)];
    let project = Project::new(files, 8, None);
    let index = facts
        .functions
        .iter()
        .position(|f| f.name.as_deref() == Some(function))
        .expect("function");
    let mut analyzer = Analyzer::new(&project);
    let summary = analyzer.summary((0, index), Some(param)).expect("summary");
    crate::taint::Summary {
        hits: summary.hits.clone(),
        returns: summary.returns.clone(),
        capabilities: summary.capabilities.clone(),
        validates: summary.validates,
        conditions: summary.conditions.clone(),
        ensures: summary.ensures,
        denies: summary.denies,
        tuple: summary.tuple,
        elements: summary.elements.clone(),
    }
}

fn has(bits: u16, class: SinkClass) -> bool {
    bits & class.bit() != 0
}

const CHECKS: &str = r#"
import os
import re
from pathlib import Path

ALLOWED = {"main", "dev"}

def require_inside(candidate, root):
    if root is None:
        return
    resolved = candidate.resolve()
    try:
        resolved.relative_to(root)
    except ValueError:
        raise PermissionError(candidate)

def require_branch(name):
    if name not in ALLOWED:
        raise ValueError(name)

def require_word(name):
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise ValueError(name)

def warn_only(candidate, root):
    if not candidate.resolve().is_relative_to(root):
        print("outside")

def skips_absolute(candidate, root):
    if candidate.startswith("/"):
        return
    if not os.path.realpath(candidate).startswith(root + os.sep):
        raise PermissionError(candidate)

def local_copy(name):
    name = os.path.basename(name)
    if not name:
        raise ValueError("empty")

def is_inside(candidate, root):
    if os.path.realpath(candidate).startswith(root + os.sep):
        return True
    return False

def says_yes(candidate):
    if candidate.endswith(".md"):
        return True
    return os.path.realpath(candidate).startswith("/srv" + os.sep)
"#;

#[test]
fn a_validator_that_raises_ensures_its_check() {
    let inside = summary_of("checks.py", CHECKS, "require_inside", 0);
    assert!(has(inside.ensures, SinkClass::Path));
    let branch = summary_of("checks.py", CHECKS, "require_branch", 0);
    assert_eq!(branch.ensures, u16::MAX);
    let word = summary_of("checks.py", CHECKS, "require_word", 0);
    assert!(has(word.ensures, SinkClass::Sql));
    assert!(has(word.ensures, SinkClass::Shell));
    assert!(!has(word.ensures, SinkClass::Url));
}

#[test]
fn look_alikes_ensure_nothing() {
    for function in ["warn_only", "skips_absolute", "local_copy"] {
        let summary = summary_of("checks.py", CHECKS, function, 0);
        assert_eq!(summary.ensures, 0, "{function}");
    }
    // The root parameter is not what the check guarantees.
    assert_eq!(
        summary_of("checks.py", CHECKS, "require_inside", 1).ensures,
        0
    );
}

#[test]
fn a_boolean_validator_validates_where_it_says_yes() {
    let inside = summary_of("checks.py", CHECKS, "is_inside", 0);
    assert!(has(inside.validates, SinkClass::Path));
    assert_eq!(inside.ensures, 0);
    assert_eq!(summary_of("checks.py", CHECKS, "says_yes", 0).validates, 0);
}

const RUNNER: &str = r#"
import subprocess

def run(argv, shell=False):
    if shell:
        return subprocess.run(" ".join(argv), shell=True)
    return subprocess.run(argv)

def run_switched(argv, use_shell):
    return subprocess.run(argv, shell=use_shell)
"#;

#[test]
fn a_sink_in_a_branch_requires_its_condition() {
    let run = summary_of("runner.py", RUNNER, "run", 0);
    let shell = run
        .hits
        .iter()
        .find(|h| h.class == SinkClass::Shell)
        .expect("shell hit");
    assert_eq!(shell.requires.len(), 1);
    assert_eq!(shell.requires[0].index, 1);
    assert_eq!(shell.requires[0].want, Want::Truthy(true));
    let switched = summary_of("runner.py", RUNNER, "run_switched", 0);
    let shell = switched
        .hits
        .iter()
        .find(|h| h.class == SinkClass::Shell)
        .expect("shell hit");
    assert_eq!(shell.requires[0].index, 1);
}

const CALLBACKS: &str = r#"
import path from "node:path";

const ROOTS = ["/srv/a", "/srv/b"];

export function inRoots(p: string): boolean {
  const target = path.resolve(p);
  return ROOTS.some((root) => target.startsWith(root + path.sep));
}

export function inRootsBlock(p: string): boolean {
  const target = path.resolve(p);
  const ok = ROOTS.some((root) => {
    if (root === "*") {
      return true;
    }
    const below = target.startsWith(root + path.sep);
    if (below) {
      return true;
    }
    return false;
  });
  return ok;
}

export function assertIndexed(p: string): void {
  const target = path.resolve(p);
  if (ROOTS.findIndex((root) => target.startsWith(root + path.sep)) === -1) {
    throw new Error("outside");
  }
}

export function loose(p: string): boolean {
  const target = path.resolve(p);
  return ROOTS.some((root) => {
    if (target.startsWith(root + path.sep)) {
      return true;
    }
    return target.endsWith(".md");
  });
}

export function truthyIndex(p: string): void {
  const target = path.resolve(p);
  if (!ROOTS.findIndex((root) => target.startsWith(root + path.sep))) {
    throw new Error("outside");
  }
}
"#;

#[test]
fn a_callback_test_validates_what_its_yes_returns_check() {
    for function in ["inRoots", "inRootsBlock"] {
        let summary = summary_of("roots.ts", CALLBACKS, function, 0);
        assert!(has(summary.validates, SinkClass::Path), "{function}");
    }
    let indexed = summary_of("roots.ts", CALLBACKS, "assertIndexed", 0);
    assert!(has(indexed.ensures, SinkClass::Path));
    // A yes that checks nothing; an index read as a truth value.
    assert_eq!(summary_of("roots.ts", CALLBACKS, "loose", 0).validates, 0);
    assert_eq!(
        summary_of("roots.ts", CALLBACKS, "truthyIndex", 0).ensures,
        0
    );
}

const SHAPES: &str = r#"
import os
from pathlib import Path

ROOTS = [Path("/srv/a"), Path("/srv/b")]
BLOCKED = ["/etc", "/root"]

def require_any(candidate):
    resolved = Path(candidate).resolve()
    if not any(resolved.is_relative_to(root) for root in ROOTS):
        raise PermissionError(candidate)

def first_root(candidate):
    resolved = Path(candidate).resolve()
    for root in ROOTS:
        if resolved.is_relative_to(root):
            return resolved
    raise PermissionError(candidate)

def refuse_blocked(candidate):
    resolved = os.path.realpath(candidate)
    for blocked in BLOCKED:
        if resolved.startswith(blocked + os.sep):
            raise PermissionError(candidate)
    return resolved
"#;

#[test]
fn generator_tests_loops_and_deny_lists() {
    let any = summary_of("shapes.py", SHAPES, "require_any", 0);
    assert!(has(any.ensures, SinkClass::Path));
    let first = summary_of("shapes.py", SHAPES, "first_root", 0);
    assert!(first.returns.iter().all(|r| r.safe_for(SinkClass::Path)));
    let denied = summary_of("shapes.py", SHAPES, "refuse_blocked", 0);
    assert!(has(denied.denies, SinkClass::Path));
    assert_eq!(denied.ensures & SinkClass::Path.bit(), 0);
}

const HELPERS: &str = r#"
import os
from pathlib import Path

HOME = os.path.realpath(os.path.expanduser("~"))
BLOCKED = (os.path.join(HOME, ".ssh"), "/etc")
ROOT = "/srv/exports"
MODE = os.environ.get("MODE", "workspace")

def in_blocked(resolved):
    for d in BLOCKED:
        if resolved == d or resolved.startswith(d + os.sep):
            return True
    return False

def refuse_blocked(path):
    resolved = os.path.realpath(path)
    if in_blocked(resolved):
        raise ValueError(path)
    return resolved

def under_root(resolved):
    return resolved == ROOT or resolved.startswith(ROOT + os.sep)

def require_root(path):
    real = os.path.realpath(path)
    if not under_root(real):
        raise ValueError(path)
    return real

def raw_root(path):
    if not under_root(path):
        raise ValueError(path)
    return path

def in_workspace(file_path):
    if MODE == "unrestricted":
        return file_path
    absolute = os.path.abspath(file_path)
    try:
        Path(absolute).resolve().relative_to(Path(ROOT).resolve())
    except ValueError:
        raise PermissionError(file_path)
    return absolute
"#;

fn returns_safe(summary: &crate::taint::Summary, class: SinkClass) -> bool {
    !summary.returns.is_empty() && summary.returns.iter().all(|r| r.safe_for(class))
}

#[test]
fn a_boolean_helper_checks_a_value_its_caller_resolved() {
    // Of a raw parameter, a prefix test is no path check ...
    let raw = summary_of("helpers.py", HELPERS, "under_root", 0);
    assert_eq!(raw.validates, 0);
    assert!(!returns_safe(
        &summary_of("helpers.py", HELPERS, "raw_root", 0),
        SinkClass::Path
    ));
    // ... of a value the caller resolved first, it is one, both ways round.
    assert!(returns_safe(
        &summary_of("helpers.py", HELPERS, "require_root", 0),
        SinkClass::Path
    ));
    let denied = summary_of("helpers.py", HELPERS, "refuse_blocked", 0);
    assert!(has(denied.denies, SinkClass::Path));
    assert!(!returns_safe(&denied, SinkClass::Path));
}

#[test]
fn a_configuration_switch_neither_grants_nor_spoils_a_return() {
    // `Path(absolute).resolve().relative_to(root)` checks `absolute`; the
    // `unrestricted` return is the operator's switch.
    let summary = summary_of("helpers.py", HELPERS, "in_workspace", 0);
    assert!(returns_safe(&summary, SinkClass::Path));
}

const TUPLES: &str = r#"
def request_parts(base, filters):
    url = base + "/_search"
    form = dict(filters)
    return url, form

def mixed(value):
    if value:
        return value, 1
    return value
"#;

#[test]
fn a_tuple_return_records_each_element_of_the_probe() {
    let url = summary_of("tuples.py", TUPLES, "request_parts", 0);
    assert_eq!(url.tuple, Some(2));
    assert!(url.elements.iter().all(|(position, _)| *position == 0));
    let form = summary_of("tuples.py", TUPLES, "request_parts", 1);
    assert!(form.elements.iter().all(|(position, _)| *position == 1));
    // Returns of different shapes: no tuple to unpack element by element.
    assert_eq!(summary_of("tuples.py", TUPLES, "mixed", 0).tuple, Some(0));
}
