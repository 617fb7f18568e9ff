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
    if error_check(text(condition, source)) || !exits(body, source) || !only_leaves(body, source) {
        return None;
    }
    // `if v, ok := m[k]; !ok { return }`: a look-up's miss is a failure
    // too, as an error is.
    if node.field("initializer").is_some() {
        return None;
    }
    // Leaving `main` ends the program: the server never starts, so no
    // tool is registered "only when" past it (`if *version { …; return }`).
    if in_main(node, source) {
        return None;
    }
    let block = node.parent()?;
    if !matches!(block.kind(), "block" | "statement_list") {
        return None;
    }
    let end = span(block).end;
    (node.end_byte() < end).then(|| Span::new(node.end_byte(), end))
}

/// Calls a gate's body may make besides leaving: it says why it stops.
const LOGGING: &[&str] = &[
    "Print", "Printf", "Println", "Info", "Infof", "Infow", "Warn", "Warnf", "Warning", "Warningf",
    "Warnw", "Debug", "Debugf", "Debugw", "Fprint", "Fprintf", "Fprintln",
];

/// Does the body only leave — log, then `return` with plain values
/// (`return app`, `return nil`), `continue` or `break`? A body that does
/// work of its own and exits (`dumpTools(); return`, `fmt.Println(v);
/// os.Exit(0)`) is another mode of the program, and what follows it is the
/// normal path; a body returning a built error is a failure.
fn only_leaves(body: Node<'_>, source: &str) -> bool {
    let mut stack = vec![body];
    let mut seen = 0usize;
    while let Some(node) = stack.pop() {
        seen += 1;
        if seen > 256 {
            return false;
        }
        if node.kind() == "call_expression" {
            let callee = node
                .field("function")
                .map(|f| text(f, source))
                .unwrap_or("");
            let method = callee.rsplit('.').next().unwrap_or(callee);
            if !LOGGING.contains(&method) || inside_return(node) {
                return false;
            }
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    true
}

fn in_main(node: Node<'_>, source: &str) -> bool {
    let mut current = node.parent();
    while let Some(n) = current {
        match n.kind() {
            "function_declaration" => {
                return n
                    .field("name")
                    .is_some_and(|name| text(name, source) == "main");
            }
            "func_literal" | "method_declaration" => return false,
            _ => current = n.parent(),
        }
    }
    false
}

fn inside_return(node: Node<'_>) -> bool {
    let mut current = node.parent();
    while let Some(n) = current {
        match n.kind() {
            "return_statement" => return true,
            "block" | "func_literal" => return false,
            _ => current = n.parent(),
        }
    }
    false
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
    fn modes_and_failures_are_no_gates() {
        let source = "package main\nfunc f() error {\n\tif os.Args[1] == \"dump\" {\n\t\tdump()\n\t\treturn nil\n\t}\n\tif *version {\n\t\tfmt.Println(v)\n\t\tos.Exit(0)\n\t}\n\tif cfg.Token == \"\" {\n\t\treturn fmt.Errorf(\"no token\")\n\t}\n\tregister()\n\treturn nil\n}\n";
        let facts = crate::frontend::lower(
            crate::facts::Language::Go,
            std::path::Path::new("main.go"),
            source,
        )
        .expect("parses");
        assert!(facts.go.gates.is_empty());
    }

    #[test]
    fn gates_of_a_function() {
        let source = "package main\nfunc f() {\n\tif cfg.ReadOnly {\n\t\tlog.Println(\"read-only\")\n\t\treturn\n\t}\n\tregister()\n\tif err != nil {\n\t\treturn\n\t}\n}\n";
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
