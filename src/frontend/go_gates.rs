//! Code a Go function runs only under a condition it tests by leaving
//! early: what follows `if cfg.ReadOnly { return app }` in the same block
//! runs only when the condition is false. A tool registered there is as
//! conditional as one registered inside an `if`. An error check (`if err
//! != nil { return err }`) or a nil check is not such a gate: past it the
//! code runs whenever the program works at all.

use tree_sitter::Node;

use super::go_flow::exits;
use super::tree::{FieldExt, span, text};
use crate::finding::Span;

/// If `node` is an `if` without `else` whose body always leaves and whose
/// condition is not an error or nil check, the region it gates: from its
/// end to the end of the block holding it.
pub(super) fn early_exit_gate(node: Node<'_>, source: &str) -> Option<Span> {
    if node.kind() != "if_statement" || node.field("alternative").is_some() {
        return None;
    }
    let condition = node.field("condition")?;
    let body = node.field("consequence")?;
    if error_check(text(condition, source)) || !exits(body, source) {
        return None;
    }
    // `if v, ok := m[k]; !ok { return }`: a look-up's miss is a failure
    // too, as an error is.
    if node.field("initializer").is_some() {
        return None;
    }
    let block = node.parent()?;
    if !matches!(block.kind(), "block" | "statement_list") {
        return None;
    }
    let end = span(block).end;
    (node.end_byte() < end).then(|| Span::new(node.end_byte(), end))
}

/// Does the condition test an error or a missing value?
fn error_check(condition: &str) -> bool {
    condition.contains("nil")
        || condition
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .any(|word| {
                let lower = word.to_ascii_lowercase();
                lower == "err"
                    || lower.ends_with("err")
                    || lower.ends_with("error")
                    || lower == "ok"
            })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_checks_are_no_gates() {
        assert!(error_check("err != nil"));
        assert!(error_check("parseErr != nil"));
        assert!(error_check("!ok"));
        assert!(error_check("client == nil"));
        assert!(!error_check("cfg.ReadOnly"));
        assert!(!error_check("!options.AllowExec"));
        assert!(!error_check("config.GlobalOptions.Readonly"));
    }

    #[test]
    fn gates_of_a_function() {
        let source = "package main\nfunc f() {\n\tif cfg.ReadOnly {\n\t\treturn\n\t}\n\tregister()\n\tif err != nil {\n\t\treturn\n\t}\n}\n";
        let facts = crate::frontend::lower(
            crate::facts::Language::Go,
            std::path::Path::new("main.go"),
            source,
        )
        .expect("parses");
        assert_eq!(facts.go.gates.len(), 1);
        let at = source.find("register").unwrap_or(0);
        assert!(facts.go.gates[0].start <= at && at < facts.go.gates[0].end);
    }
}
