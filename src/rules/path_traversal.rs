//! MCL203 path-traversal: a tool argument reaches a filesystem path with no
//! containment check.

use super::owasp;
use super::taint_findings::taint_rule;
use crate::finding::Level;
use crate::taint::SinkClass;

taint_rule!(
    PathTraversal,
    "MCL203",
    "path-traversal",
    Level::Error,
    cwe = 22,
    owasp = owasp::MCP05,
    summary = "a tool argument reaches a filesystem path with no containment check",
    doc = "../../rules/MCL203-path-traversal.md",
    class = SinkClass::Path,
    help = "resolve the path (Path.resolve(), os.path.realpath, path.resolve, canonicalize()) and refuse it unless it lies inside the allowed root (is_relative_to(root), startswith(root + os.sep), !path.relative(root, p).startsWith('..'), starts_with(&root)) before using it",
);
