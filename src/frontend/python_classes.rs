//! Python classes and constant dispatch labels, recorded for the project
//! passes: a tool handler written as a class (`class ReadTool(ToolHandler)`
//! with its name given to `super().__init__` and its work in a method), a
//! FastMCP subclass, and `if name == ToolName.SEARCH:` branches whose label
//! only the project can resolve.

use tree_sitter::Node;

use super::python::dotted_name;
use super::tree::{FieldExt, span, text};
use crate::facts::FileFacts;
use crate::facts::python::PyClass;

/// Records a `class_definition`; returns its index in `facts.python.classes`.
pub fn record(facts: &mut FileFacts, node: Node<'_>, source: &str) -> usize {
    let name = node
        .field("name")
        .map(|n| text(n, source).to_string())
        .unwrap_or_default();
    let mut bases = Vec::new();
    if let Some(list) = node.field("superclasses") {
        let mut cursor = list.walk();
        for base in list.named_children(&mut cursor) {
            // `FastMCP[Ctx]`, `Generic[T]`: the class subscripted.
            let base = match base.kind() {
                "subscript" => base.field("value").unwrap_or(base),
                _ => base,
            };
            if let Some(name) = dotted_name(base, source) {
                bases.push(name);
            }
        }
    }
    facts.python.classes.push(PyClass {
        name,
        span: span(node),
        bases,
        methods: Vec::new(),
    });
    facts.python.classes.len() - 1
}

/// `name == ToolName.SEARCH` / `tool_name == SEARCH_TOOL`: the constant a
/// name is compared with. One side must be a plain variable, the other a
/// dotted name or an upper-case constant (two lower-case variables compared
/// are not a dispatch).
pub fn constant_label(condition: Node<'_>, source: &str) -> Option<String> {
    if condition.kind() != "comparison_operator" {
        return None;
    }
    let mut cursor = condition.walk();
    let operands: Vec<Node<'_>> = condition.named_children(&mut cursor).collect();
    let mut cursor = condition.walk();
    let op = condition
        .children(&mut cursor)
        .find(|c| !c.is_named())
        .map(|c| text(c, source))?;
    let [left, right] = operands.as_slice() else {
        return None;
    };
    if op != "==" {
        return None;
    }
    let (left, right) = (dotted_name(*left, source)?, dotted_name(*right, source)?);
    let is_constant = |n: &str| {
        !n.starts_with("self.")
            && (n.contains('.') || n.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
    };
    match (is_constant(&left), is_constant(&right)) {
        (false, true) => Some(right),
        (true, false) => Some(left),
        _ => None,
    }
}

/// `case ToolName.SEARCH:`: a value pattern (a dotted name; a bare name
/// would be a capture pattern).
pub fn case_label(pattern: Node<'_>, source: &str) -> Option<String> {
    let mut cursor = pattern.walk();
    let inner = pattern.named_children(&mut cursor).next()?;
    (inner.kind() == "dotted_name" && text(inner, source).contains('.'))
        .then(|| text(inner, source).to_string())
}
