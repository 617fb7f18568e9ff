//! Data-flow statements of Go function bodies (`Stmt`) for the taint engine:
//! assignments of every form (`:=`, `=`, `+=`, `var`, `for k, v := range
//! xs`, `v, err := f()`), returns (the error slot of a result list told
//! apart from the value) and the guards of `if`, `for cond` and `switch`.
//!
//! Go's error values take the place of exceptions: a `return …, err` (or
//! `return err` from a function whose only result is an `error`) is the
//! function's rejection, lowered as the call `Err(…)` the Rust frontend
//! gives the engine for the same thing, so that a validator's
//! `return nil` is its normal exit and its `return fmt.Errorf(…)` is not.

use tree_sitter::Node;

use super::go_expr::{dotted_name, lower_expr};
use super::tree::{FieldExt, span, text};
use crate::facts::{Call, Expr, FileFacts, Stmt, Value};
use crate::finding::Span;

/// Targets kept per assignment: enough for any real one.
const MAX_TARGETS: usize = 64;

/// Calls that never return: a branch ending in one leaves.
const NO_RETURN: &[&str] = &[
    "panic",
    "os.Exit",
    "log.Fatal",
    "log.Fatalf",
    "log.Fatalln",
    "log.Panic",
    "log.Panicf",
    "log.Panicln",
    "runtime.Goexit",
];

/// Called for every named node in pre-order; pushes the statement it is,
/// if any.
pub fn statement(node: Node<'_>, source: &str, facts: &mut FileFacts) {
    match node.kind() {
        "short_var_declaration" | "assignment_statement" => assignment(node, source, facts),
        "var_spec" if inside_function(node) => {
            let mut cursor = node.walk();
            let names: Vec<Node<'_>> = node.children_by_field_name("name", &mut cursor).collect();
            if let Some(value) = node.field("value") {
                push_pairs(&names, &expressions(value), node, source, false, facts);
            }
        }
        // `for i, f := range files`: each target holds (a part of) the collection.
        "range_clause" => {
            if let (Some(left), Some(right)) = (node.field("left"), node.field("right")) {
                let targets = targets_of(&expressions(left), source);
                if !targets.is_empty() {
                    facts.statements.push(Stmt::Assign {
                        targets,
                        value: lower_expr(right, source, 0),
                        span: span(node),
                        augmented: false,
                    });
                }
            }
        }
        "return_statement" => return_statement(node, source, facts),
        "if_statement" => if_statement(node, source, facts),
        // `for len(queue) > 0 { … }`, `for i := 0; i < n; i++ { … }`.
        "for_statement" => {
            let Some(body) = node.field("body") else {
                return;
            };
            let mut cursor = node.walk();
            let condition = node
                .named_children(&mut cursor)
                .find_map(|c| match c.kind() {
                    "for_clause" => c.field("condition"),
                    "range_clause" | "block" | "comment" => None,
                    _ => Some(c),
                });
            if let Some(condition) = condition {
                facts.statements.push(Stmt::Guard {
                    cond: lower_expr(condition, source, 0),
                    span: Span::new(condition.start_byte(), node.end_byte()),
                    body: span(body),
                    exits: false,
                    orelse: None,
                });
            }
        }
        // `switch op { case "status": … }`: inside the case, `op` is that value.
        "expression_case" => expression_case(node, source, facts),
        _ => {}
    }
}

/// Is the node inside a function body (a package-level `var` is a binding
/// of the file, not a statement)?
fn inside_function(node: Node<'_>) -> bool {
    let mut current = node.parent();
    for _ in 0..8 {
        match current {
            Some(n) if n.kind() == "block" => return true,
            Some(n) if n.kind() == "source_file" => return false,
            Some(n) => current = n.parent(),
            None => return false,
        }
    }
    false
}

/// The expressions of an `expression_list` (or a single expression).
fn expressions(node: Node<'_>) -> Vec<Node<'_>> {
    if node.kind() != "expression_list" {
        return vec![node];
    }
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .collect()
}

fn assignment(node: Node<'_>, source: &str, facts: &mut FileFacts) {
    let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else {
        return;
    };
    let operator = node.field("operator").map(|o| text(o, source));
    let augmented = operator.is_some_and(|o| !matches!(o, "=" | ":="));
    // `n <<= 1`, `x -= y`: no text flows that `+=` would not carry.
    if augmented && operator != Some("+=") {
        return;
    }
    push_pairs(
        &expressions(left),
        &expressions(right),
        node,
        source,
        augmented,
        facts,
    );
}

/// `a, b = x, y` binds pairwise; `v, err := f()` binds the value (the first
/// name) to the call: the error beside it carries nothing a sink reads.
fn push_pairs(
    names: &[Node<'_>],
    values: &[Node<'_>],
    node: Node<'_>,
    source: &str,
    augmented: bool,
    facts: &mut FileFacts,
) {
    if names.len() == values.len() {
        for (name, value) in names.iter().zip(values) {
            let targets = targets_of(std::slice::from_ref(name), source);
            if targets.is_empty() {
                continue;
            }
            facts.statements.push(Stmt::Assign {
                targets,
                value: lower_expr(*value, source, 0),
                span: span(node),
                augmented,
            });
        }
        return;
    }
    let (Some(first), [value]) = (names.first(), values) else {
        return;
    };
    // `_, ok := allowed[x]`: `ok` says whether `x` is a key of the table.
    if let (Some(second), "index_expression") = (names.get(1), value.kind()) {
        let targets = targets_of(std::slice::from_ref(second), source);
        if !targets.is_empty() {
            facts.statements.push(Stmt::Assign {
                targets,
                value: lower_expr(*value, source, 0),
                span: span(node),
                augmented,
            });
        }
    }
    // `v, ok := m[k]`, `s, ok := x.(string)`: the value is the first name too.
    let targets = targets_of(std::slice::from_ref(first), source);
    if targets.is_empty() {
        return;
    }
    facts.statements.push(Stmt::Assign {
        targets,
        value: lower_expr(*value, source, 0),
        span: span(node),
        augmented,
    });
}

/// The names assigned: `x`, `s.root`; for `m[k] = v` and `*p = v` the
/// container `m` / `p` now holds `v`; the blank `_` none.
fn targets_of(nodes: &[Node<'_>], source: &str) -> Vec<String> {
    let mut out = Vec::new();
    for node in nodes {
        if out.len() >= MAX_TARGETS {
            break;
        }
        let mut current = *node;
        for _ in 0..8 {
            match current.kind() {
                "index_expression" | "slice_expression" => match current.field("operand") {
                    Some(operand) => current = operand,
                    None => break,
                },
                "unary_expression" | "parenthesized_expression" => {
                    match current.field("operand").or_else(|| current.named_child(0)) {
                        Some(operand) => current = operand,
                        None => break,
                    }
                }
                _ => break,
            }
        }
        if let Some(name) = dotted_name(current, source)
            && name != "_"
        {
            out.push(name);
        }
    }
    out
}

/// `return v`, `return v, nil`, `return nil, err`. The error slot (the
/// last result of a function whose last result type is `error`) decides:
/// `nil` there is a normal return of the other values; anything else is
/// the function's rejection (`Err(…)`, see the module comment).
fn return_statement(node: Node<'_>, source: &str, facts: &mut FileFacts) {
    let values: Vec<Node<'_>> = {
        let mut cursor = node.walk();
        node.named_children(&mut cursor)
            .filter(|c| c.kind() != "comment")
            .flat_map(expressions)
            .collect()
    };
    let Some(last) = values.last() else {
        return;
    };
    let error_slot = returns_error(node, source);
    let (rest, error) = if error_slot {
        (&values[..values.len() - 1], Some(*last))
    } else {
        (&values[..], None)
    };
    let lowered: Vec<Expr> = rest.iter().map(|v| lower_expr(*v, source, 0)).collect();
    let value = match error {
        Some(error) if error.kind() != "nil" => {
            let mut args: Vec<crate::facts::Arg> = lowered
                .into_iter()
                .map(|value| crate::facts::Arg { name: None, value })
                .collect();
            args.push(crate::facts::Arg {
                name: None,
                value: lower_expr(error, source, 0),
            });
            Expr {
                span: span(node),
                value: Value::Call(Box::new(Call {
                    callee: "Err".to_string(),
                    args,
                    span: span(node),
                    callee_span: span(node),
                    receiver: None,
                })),
            }
        }
        _ => match lowered.len() {
            // `return nil` of a function returning only an error.
            0 => Expr {
                span: span(*last),
                value: Value::Null,
            },
            1 => lowered.into_iter().next().unwrap_or(Expr {
                span: span(*last),
                value: Value::Null,
            }),
            _ => Expr {
                span: span(node),
                value: Value::Array(lowered),
            },
        },
    };
    facts.statements.push(Stmt::Return {
        value,
        span: span(node),
    });
}

/// Does the function (or function literal) around a `return` declare an
/// `error` as its last result?
fn returns_error(node: Node<'_>, source: &str) -> bool {
    let mut current = node.parent();
    for _ in 0..256 {
        let Some(n) = current else {
            return false;
        };
        if matches!(
            n.kind(),
            "function_declaration" | "method_declaration" | "func_literal"
        ) {
            let Some(result) = n.field("result") else {
                return false;
            };
            let last_type = if result.kind() == "parameter_list" {
                let mut cursor = result.walk();
                result
                    .named_children(&mut cursor)
                    .filter(|c| c.kind() == "parameter_declaration")
                    .last()
                    .and_then(|p| p.field("type"))
            } else {
                Some(result)
            };
            return last_type.is_some_and(|t| text(t, source) == "error");
        }
        current = n.parent();
    }
    false
}

/// `if cond { … } else { … }`, with `if v, err := f(); err != nil { … }`:
/// the initializer is its own statement (an assignment the walk lowers
/// next), so the guard starts at the condition, after it.
fn if_statement(node: Node<'_>, source: &str, facts: &mut FileFacts) {
    let (Some(condition), Some(body)) = (node.field("condition"), node.field("consequence")) else {
        return;
    };
    let orelse = node
        .field("alternative")
        .map(|b| (span(b), exits(b, source)));
    facts.statements.push(Stmt::Guard {
        cond: lower_expr(condition, source, 0),
        span: Span::new(condition.start_byte(), node.end_byte()),
        body: span(body),
        exits: exits(body, source),
        orelse,
    });
}

/// `case "status", "info":` of `switch op`: a guard `op == …` over the case.
fn expression_case(node: Node<'_>, source: &str, facts: &mut FileFacts) {
    let Some(values) = node.field("value") else {
        return;
    };
    let Some(discriminant) = node
        .parent()
        .filter(|s| s.kind() == "expression_switch_statement")
        .and_then(|s| s.field("value"))
    else {
        return;
    };
    let subject = lower_expr(discriminant, source, 0);
    let tests: Vec<Expr> = expressions(values)
        .into_iter()
        .map(|v| Expr {
            span: span(v),
            value: Value::Op(
                "==".to_string(),
                vec![subject.clone(), lower_expr(v, source, 0)],
            ),
        })
        .collect();
    let cond = match tests.len() {
        0 => return,
        1 => tests.into_iter().next().unwrap_or(Expr {
            span: span(node),
            value: Value::Other,
        }),
        _ => Expr {
            span: span(values),
            value: Value::Op("||".to_string(), tests),
        },
    };
    facts.statements.push(Stmt::Guard {
        cond,
        span: span(node),
        body: span(node),
        exits: false,
        orelse: None,
    });
}

/// Does a statement always leave (return, `panic`, `os.Exit`, `log.Fatal`,
/// continue, break, goto)? A block leaves when its last statement does; an
/// `if` when both of its branches do.
pub(super) fn exits(node: Node<'_>, source: &str) -> bool {
    exits_within(node, source, 0)
}

fn exits_within(node: Node<'_>, source: &str, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    let mut current = node;
    for _ in 0..64 {
        match current.kind() {
            "return_statement" | "continue_statement" | "break_statement" | "goto_statement" => {
                return true;
            }
            "block" | "statement_list" => {
                let mut cursor = current.walk();
                let Some(last) = current
                    .named_children(&mut cursor)
                    .filter(|c| c.kind() != "comment")
                    .last()
                else {
                    return false;
                };
                current = last;
            }
            "expression_statement" => {
                return current.named_child(0).is_some_and(|e| {
                    e.kind() == "call_expression"
                        && e.field("function")
                            .is_some_and(|f| NO_RETURN.contains(&text(f, source)))
                });
            }
            "if_statement" => {
                let then_exits = current
                    .field("consequence")
                    .is_some_and(|c| exits_within(c, source, depth + 1));
                return then_exits
                    && current
                        .field("alternative")
                        .is_some_and(|e| exits_within(e, source, depth + 1));
            }
            _ => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::facts::{FileFacts, Language, Stmt, Value};

    fn lower(text: &str) -> FileFacts {
        crate::frontend::lower(Language::Go, Path::new("main.go"), text).expect("parses")
    }

    fn assigned(facts: &FileFacts) -> Vec<(Vec<String>, bool)> {
        facts
            .statements
            .iter()
            .filter_map(|s| match s {
                Stmt::Assign {
                    targets, augmented, ..
                } => Some((targets.clone(), *augmented)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn assignments_of_every_form() {
        let facts = lower(concat!(
            "package main\n",
            "var top = \"x\"\n",
            "func f(req Req, files []string) {\n",
            "\tpath, err := req.RequireString(\"path\")\n",
            "\tvar cmd string = \"ls \" + path\n",
            "\tcmd += \" -l\"\n",
            "\ta, b := 1, path\n",
            "\t_, err = os.Stat(path)\n",
            "\ts.root = path\n",
            "\tm[\"k\"] = path\n",
            "\tn <<= 1\n",
            "\tfor i, f := range files {}\n",
            "}\n",
        ));
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            assigned(&facts),
            vec![
                (names(&["path"]), false),
                (names(&["cmd"]), false),
                (names(&["cmd"]), true),
                (names(&["a"]), false),
                (names(&["b"]), false),
                (names(&["s.root"]), false),
                (names(&["m"]), false),
                (names(&["i", "f"]), false),
            ]
        );
    }

    #[test]
    fn returns_tell_the_error_slot() {
        let facts = lower(concat!(
            "package main\n",
            "func clean(p string) (string, error) {\n",
            "\tif bad(p) { return \"\", fmt.Errorf(\"bad %s\", p) }\n",
            "\treturn p, nil\n",
            "}\n",
            "func check(p string) error {\n",
            "\tif bad(p) { return errors.New(\"no\") }\n",
            "\treturn nil\n",
            "}\n",
            "func both() (int, string) { return 1, \"a\" }\n",
        ));
        let returns: Vec<String> = facts
            .statements
            .iter()
            .filter_map(|s| match s {
                Stmt::Return { value, .. } => Some(match &value.value {
                    Value::Call(c) => c.callee.clone(),
                    Value::Name(n) => n.clone(),
                    Value::Null => "nil".to_string(),
                    Value::Array(items) => format!("array{}", items.len()),
                    other => format!("{other:?}"),
                }),
                _ => None,
            })
            .collect();
        assert_eq!(returns, vec!["Err", "p", "Err", "nil", "array2"]);
    }

    #[test]
    fn guards_know_which_branches_leave() {
        let facts = lower(concat!(
            "package main\n",
            "func f(p string) {\n",
            "\tif !strings.HasPrefix(p, root) { return }\n",
            "\tif err := check(p); err != nil { log.Fatalf(\"x\") }\n",
            "\tif a { x() } else { panic(\"no\") }\n",
            "\tif b { os.Exit(1) } else if c { return } else { x() }\n",
            "\tfor len(p) > 3 { break }\n",
            "\tswitch p { case \"a\", \"b\": x() }\n",
            "}\n",
        ));
        let guards: Vec<(bool, Option<bool>)> = facts
            .statements
            .iter()
            .filter_map(|s| match s {
                Stmt::Guard { exits, orelse, .. } => Some((*exits, orelse.map(|(_, e)| e))),
                _ => None,
            })
            .collect();
        assert_eq!(
            guards,
            vec![
                (true, None),
                (true, None),
                (false, Some(true)),
                (true, Some(false)),
                (true, Some(false)),
                (false, None),
                (false, None),
            ]
        );
        // The initializer's assignment comes before its guard.
        let kinds: Vec<&str> = facts
            .statements
            .iter()
            .map(|s| match s {
                Stmt::Assign { .. } => "assign",
                Stmt::Guard { .. } => "guard",
                Stmt::Return { .. } => "return",
            })
            .collect();
        assert_eq!(&kinds[..3], &["guard", "assign", "guard"]);
    }
}
