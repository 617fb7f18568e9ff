//! Rejections swallowed where they are raised: a guard whose branch raises
//! (`if not ok: raise …`, `if (!ok) throw …`) inside a `try` whose handler
//! catches that exception and carries on. Such a guard does not leave the
//! function, whatever its branch says: the frontends record it as not
//! exiting, with the rest of the `try` body as the branch where the check
//! holds (the `raise` skips it), so the taint engine counts the check there
//! and not past the `try`; the spans are kept for MCL211.

use tree_sitter::Node;

use super::rethrow::{self, Rejection};
use super::tree::{FieldExt, span, text};
use crate::facts::Swallowed;
use crate::finding::Span;

/// Parents walked up from a guard to its `try` at most.
const MAX_PARENTS: usize = 32;

/// The last statement of a block, comments skipped.
fn last_statement(block: Node<'_>) -> Option<Node<'_>> {
    if !matches!(block.kind(), "block" | "statement_block") {
        return Some(block);
    }
    let mut cursor = block.walk();
    block
        .named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .last()
}

/// Python: the guard `node` with branch `body` ends in a `raise` that an
/// enclosing `try`'s `except` catches and does not re-raise or leave from.
pub fn python(node: Node<'_>, body: Node<'_>, source: &str) -> Option<Swallowed> {
    let raise = last_statement(body).filter(|s| s.kind() == "raise_statement")?;
    // `raise ValueError(…)` → `ValueError`; a bare `raise` re-raises.
    let raised = raise.named_child(0).map(|e| {
        let callee = if e.kind() == "call" {
            e.field("function").unwrap_or(e)
        } else {
            e
        };
        text(callee, source)
            .rsplit('.')
            .next()
            .unwrap_or("")
            .to_string()
    })?;
    let mut child = node;
    for _ in 0..MAX_PARENTS {
        let parent = child.parent()?;
        match parent.kind() {
            "function_definition" | "lambda" | "class_definition" | "module" => return None,
            // The guard is in the `try` body (not in a handler or `finally`).
            "try_statement" if parent.field("body").is_some_and(|b| b.id() == child.id()) => {
                let mut cursor = parent.walk();
                let clauses: Vec<Node<'_>> = parent
                    .named_children(&mut cursor)
                    .filter(|c| c.kind() == "except_clause")
                    .collect();
                for clause in clauses {
                    if !python_catches(clause, &raised, source) {
                        continue;
                    }
                    let mut cursor = clause.walk();
                    let block = clause
                        .named_children(&mut cursor)
                        .find(|c| c.kind() == "block")?;
                    let rejection = Rejection::python(raise, source);
                    if rethrow::python_handler_leaves(clause, block, &rejection, source) {
                        return None;
                    }
                    return Some(Swallowed {
                        guard: span(node),
                        raise: span(raise),
                        handler: span(clause),
                        rest_of_try: Span::new(node.end_byte(), child.end_byte()),
                    });
                }
            }
            _ => {}
        }
        child = parent;
    }
    None
}

/// Does an `except` clause catch exception class `raised`? A bare
/// `except:`, `Exception`, `BaseException`, the class itself or a tuple
/// naming it.
fn python_catches(clause: Node<'_>, raised: &str, source: &str) -> bool {
    let mut cursor = clause.walk();
    let Some(kind) = clause
        .named_children(&mut cursor)
        .find(|c| c.kind() != "block" && c.kind() != "comment")
    else {
        return true;
    };
    // `except ValueError as e` parses as an `as_pattern`.
    let kind = if kind.kind() == "as_pattern" {
        kind.named_child(0).unwrap_or(kind)
    } else {
        kind
    };
    text(kind, source)
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .map(|name| name.rsplit('.').next().unwrap_or(name))
        .any(|name| matches!(name, "Exception" | "BaseException") || name == raised)
}

/// TypeScript / JavaScript: the guard ends in a `throw` inside a `try`
/// whose `catch` neither re-throws nor leaves.
pub fn typescript(node: Node<'_>, body: Node<'_>, source: &str) -> Option<Swallowed> {
    let throw = last_statement(body).filter(|s| s.kind() == "throw_statement")?;
    let mut child = node;
    for _ in 0..MAX_PARENTS {
        let parent = child.parent()?;
        match parent.kind() {
            "function_declaration"
            | "function_expression"
            | "arrow_function"
            | "method_definition"
            | "generator_function_declaration"
            | "class_body"
            | "program" => return None,
            "try_statement" if parent.field("body").is_some_and(|b| b.id() == child.id()) => {
                let handler = parent.field("handler")?;
                let rejection = Rejection::typescript(throw, source);
                if rethrow::typescript_handler_leaves(handler, &rejection, source) {
                    return None;
                }
                return Some(Swallowed {
                    guard: span(node),
                    raise: span(throw),
                    handler: span(handler),
                    rest_of_try: Span::new(node.end_byte(), child.end_byte()),
                });
            }
            _ => {}
        }
        child = parent;
    }
    None
}

/// Python: the body of a `try` one of whose `except` clauses does not
/// leave on every path (`except ValueError: pass`, a logged error).
pub fn python_try(node: Node<'_>) -> Option<Span> {
    let body = node.field("body")?;
    let mut cursor = node.walk();
    let carries_on = node
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "except_clause")
        .any(|clause| {
            let mut cursor = clause.walk();
            let block = clause
                .named_children(&mut cursor)
                .find(|c| c.kind() == "block");
            block.is_none_or(|b| !rethrow::python_leaves(b))
        });
    carries_on.then(|| span(body))
}

/// TypeScript / JavaScript: the body of a `try` whose `catch` neither
/// re-throws nor leaves.
pub fn typescript_try(node: Node<'_>) -> Option<Span> {
    let body = node.field("body")?;
    let block = node.field("handler")?.field("body")?;
    (!rethrow::typescript_leaves(block)).then(|| span(body))
}
