//! Data-flow statements of Python function bodies (`Stmt`s) for the taint
//! engine: bindings of every form, returns and the guards of `if`, `elif`,
//! `while` and `assert`.

use super::tree::FieldExt;
use tree_sitter::Node;

use super::python::{dotted_name, lower_expr};
use super::tree::{span, text};
use crate::facts::{ClassDef, Expr, FileFacts, Stmt, TypedName, Value};
use crate::finding::Span;

/// Lowers `node` into a statement when it is one that data flows through.
pub fn statement(node: Node<'_>, source: &str, facts: &mut FileFacts) {
    match node.kind() {
        _ if node.kind() == "assignment" && node.field("type").is_some() => {
            annotated(node, source, facts);
            if let (Some(left), Some(right)) = (node.field("left"), node.field("right")) {
                push_assign(facts, left, right, node, source, false);
            }
        }
        "assignment" | "augmented_assignment" => {
            let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else {
                return;
            };
            push_assign(
                facts,
                left,
                right,
                node,
                source,
                node.kind() != "assignment",
            );
        }
        "named_expression" => {
            if let (Some(name), Some(value)) = (node.field("name"), node.field("value")) {
                push_assign(facts, name, value, node, source, false);
            }
        }
        "for_statement" | "for_in_clause" => {
            if let (Some(left), Some(right)) = (node.field("left"), node.field("right")) {
                push_assign(facts, left, right, node, source, false);
            }
        }
        // `with open(p) as fh:` — the alias holds what the expression gives.
        "as_pattern" => {
            if let (Some(value), Some(alias)) = (node.named_child(0), node.field("alias")) {
                push_assign(facts, alias, value, node, source, false);
            }
        }
        "return_statement" => {
            if let Some(value) = node.named_child(0) {
                facts.statements.push(Stmt::Return {
                    value: lower_expr(value, source, 0),
                    span: span(node),
                });
            }
        }
        "if_statement" | "elif_clause" | "while_statement" => {
            let (Some(condition), Some(body)) = (
                node.field("condition"),
                node.field("consequence").or_else(|| node.field("body")),
            ) else {
                return;
            };
            let mut orelse = node
                .field("alternative")
                .filter(|a| a.kind() == "else_clause")
                .and_then(|a| a.field("body"))
                .map(|b| (span(b), block_exits(b, source)));
            let mut exits = node.kind() != "while_statement" && block_exits(body, source);
            // A `raise` that a surrounding `try` catches and carries on from
            // does not leave (MCL211).
            if exits && let Some(swallowed) = super::swallowed::python(node, body, source) {
                exits = false;
                orelse = orelse.or(Some((swallowed.rest_of_try, false)));
                facts.swallowed.push(swallowed);
            }
            facts.statements.push(Stmt::Guard {
                cond: lower_expr(condition, source, 0),
                span: span(node),
                body: span(body),
                exits,
                orelse,
            });
        }
        "try_statement" => {
            if let Some(body) = super::swallowed::python_try(node) {
                facts.swallowing_tries.push(body);
            }
        }
        "assert_statement" => {
            if let Some(condition) = node.named_child(0) {
                let end = Span::new(node.end_byte(), node.end_byte());
                facts.statements.push(Stmt::Guard {
                    cond: lower_expr(condition, source, 0),
                    span: span(node),
                    body: end,
                    exits: false,
                    orelse: Some((end, true)),
                });
            }
        }
        _ => {}
    }
}

/// `class Runner(Base):`: its name, span and bases.
pub fn class(node: Node<'_>, source: &str, facts: &mut FileFacts) {
    let Some(name) = node.field("name") else {
        return;
    };
    let mut bases = Vec::new();
    if let Some(list) = node.field("superclasses") {
        let mut cursor = list.walk();
        bases.extend(
            list.named_children(&mut cursor)
                .filter_map(|b| dotted_name(b, source)),
        );
    }
    facts.objects.classes.push(ClassDef {
        name: text(name, source).to_string(),
        span: span(node),
        bases,
    });
}

/// Parameters annotated with a class (`db: Database`) hold its instances
/// inside the function (`node`, the last function recorded); a return
/// annotation says what its calls give.
pub fn signature(node: Node<'_>, source: &str, facts: &mut FileFacts) {
    if let (Some(index), Some(class)) = (
        facts.functions.len().checked_sub(1),
        node.field("return_type").and_then(|t| type_name(t, source)),
    ) {
        facts.objects.returns.push((index, class));
    }
    let Some(list) = node.field("parameters") else {
        return;
    };
    let mut cursor = list.walk();
    for param in list.named_children(&mut cursor) {
        let (name, annotation) = match param.kind() {
            "typed_parameter" => (param.named_child(0), param.field("type")),
            "typed_default_parameter" => (param.field("name"), param.field("type")),
            _ => continue,
        };
        let (Some(name), Some(class)) = (
            name.filter(|n| n.kind() == "identifier"),
            annotation.and_then(|a| type_name(a, source)),
        ) else {
            continue;
        };
        facts.objects.typed.push(TypedName {
            name: text(name, source).to_string(),
            class,
            scope: span(node),
        });
    }
}

/// `self.db: Database = db`, or a class body's `db: Database`: the
/// attribute holds an instance in the class; a local `x: Client = …` in
/// its function.
fn annotated(node: Node<'_>, source: &str, facts: &mut FileFacts) {
    let (Some(left), Some(class)) = (
        node.field("left"),
        node.field("type").and_then(|t| type_name(t, source)),
    ) else {
        return;
    };
    let Some(name) = dotted_name(left, source) else {
        return;
    };
    // The innermost function or class around the statement.
    let mut scope = node.parent();
    while let Some(current) = scope {
        if matches!(current.kind(), "function_definition" | "class_definition") {
            break;
        }
        scope = current.parent();
    }
    let (name, scope) = match scope {
        Some(s) if s.kind() == "class_definition" => (format!("self.{name}"), span(s)),
        Some(function) if name.starts_with("self.") => match class_of_method(function) {
            Some(class) => (name, span(class)),
            None => return,
        },
        Some(function) => (name, span(function)),
        None => (name, Span::new(0, source.len())),
    };
    facts.objects.typed.push(TypedName { name, class, scope });
}

/// The class a method is defined in.
fn class_of_method(function: Node<'_>) -> Option<Node<'_>> {
    let mut current = function.parent()?;
    if current.kind() == "decorated_definition" {
        current = current.parent()?;
    }
    // The class body, then the class.
    current.parent().filter(|c| c.kind() == "class_definition")
}

/// The class an annotation names: `Database`, `db.Database`,
/// `Optional[Database]`, `Database | None`.
fn type_name(annotation: Node<'_>, source: &str) -> Option<String> {
    let mut current = annotation;
    for _ in 0..4 {
        match current.kind() {
            "type" => current = current.named_child(0)?,
            "identifier" | "attribute" => {
                let name = dotted_name(current, source)?;
                let last = name.rsplit('.').next()?;
                return last
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase)
                    .then_some(name);
            }
            // `Optional[Database]`
            "generic_type" | "subscript" => {
                let head = current.named_child(0).map(|h| text(h, source));
                if !matches!(head, Some("Optional" | "typing.Optional")) {
                    return None;
                }
                let mut cursor = current.walk();
                current = current
                    .named_children(&mut cursor)
                    .skip(1)
                    .find(|c| c.kind() != "comment")
                    .map(|c| {
                        if c.kind() == "type_parameter" {
                            c.named_child(0).unwrap_or(c)
                        } else {
                            c
                        }
                    })?;
            }
            // `Database | None`
            "binary_operator" => {
                let (Some(left), Some(right)) = (current.field("left"), current.field("right"))
                else {
                    return None;
                };
                current = if text(right, source) == "None" {
                    left
                } else {
                    return None;
                };
            }
            _ => return None,
        }
    }
    None
}

fn push_assign(
    facts: &mut FileFacts,
    left: Node<'_>,
    right: Node<'_>,
    node: Node<'_>,
    source: &str,
    augmented: bool,
) {
    let mut targets = Vec::new();
    collect_targets(left, source, &mut targets);
    if targets.is_empty() {
        return;
    }
    facts.statements.push(Stmt::Assign {
        targets,
        value: lower_expr(right, source, 0),
        span: span(node),
        augmented,
    });
}

/// The names a target binds: `a`, `self.root`, each of `a, (b, *c)`; for
/// `d["k"] = v` and `d.k = v`, the container `d` is what now holds `v`.
fn collect_targets(node: Node<'_>, source: &str, out: &mut Vec<String>) {
    let mut stack = vec![node];
    while let Some(current) = stack.pop() {
        match current.kind() {
            "identifier" | "attribute" => {
                if let Some(name) = dotted_name(current, source) {
                    out.push(name);
                }
            }
            "subscript" => {
                if let Some(value) = current.field("value") {
                    stack.push(value);
                }
            }
            "pattern_list"
            | "tuple_pattern"
            | "list_pattern"
            | "list_splat_pattern"
            | "tuple"
            | "list"
            | "parenthesized_expression"
            | "as_pattern_target"
                if out.len() < 64 =>
            {
                // In source order: `a, b = f()` binds `a` first (the
                // unpacking rules read targets by position).
                let mut cursor = current.walk();
                let children: Vec<Node<'_>> = current.named_children(&mut cursor).collect();
                stack.extend(children.into_iter().rev());
            }
            _ => {}
        }
    }
}

/// Does a block always leave (its last statement returns, raises,
/// continues, breaks or exits the process)?
fn block_exits(block: Node<'_>, source: &str) -> bool {
    let mut cursor = block.walk();
    let Some(last) = block
        .named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .last()
    else {
        return false;
    };
    match last.kind() {
        "return_statement" | "raise_statement" | "continue_statement" | "break_statement" => true,
        "expression_statement" => last.named_child(0).is_some_and(|e| {
            e.kind() == "call"
                && e.field("function").is_some_and(|f| {
                    matches!(
                        text(f, source),
                        "sys.exit" | "exit" | "os._exit" | "quit" | "os.abort"
                    )
                })
        }),
        _ => false,
    }
}

/// Expression kinds lowered to `Value::Op`: the operator and the operands
/// data can flow from.
pub fn operator(node: Node<'_>, source: &str, depth: usize) -> Option<Value> {
    let lower = |n: Node<'_>| lower_expr(n, source, depth + 1);
    let named = |n: Node<'_>| -> Vec<Expr> {
        let mut cursor = n.walk();
        n.named_children(&mut cursor)
            .filter(|c| c.kind() != "comment")
            .map(lower)
            .collect()
    };
    let value = match node.kind() {
        "subscript" => {
            let object = node.field("value")?;
            let mut operands = vec![lower(object)];
            let mut cursor = node.walk();
            operands.extend(
                node.children_by_field_name("subscript", &mut cursor)
                    .map(lower),
            );
            Value::Op("[]".to_string(), operands)
        }
        "comparison_operator" => {
            let mut cursor = node.walk();
            let op: Vec<&str> = node
                .children(&mut cursor)
                .filter(|c| !c.is_named())
                .map(|c| text(c, source))
                .collect();
            Value::Op(op.join(" "), named(node))
        }
        "not_operator" => Value::Op("not".to_string(), vec![lower(node.field("argument")?)]),
        "boolean_operator" => {
            let op = node.field("operator").map(|o| text(o, source));
            Value::Op(op.unwrap_or("or").to_string(), named(node))
        }
        // `a if cond else b`: the value is `a` or `b`, never `cond`.
        "conditional_expression" => {
            let mut operands = named(node);
            if operands.len() == 3 {
                operands.remove(1);
            }
            Value::Op("?:".to_string(), operands)
        }
        "await" => Value::Op("await".to_string(), named(node)),
        "binary_operator" | "unary_operator" => {
            let op = node
                .field("operator")
                .map(|o| text(o, source))
                .unwrap_or("?");
            Value::Op(op.to_string(), named(node))
        }
        // `[f(x) for x in xs if c]`: what the element expression makes of
        // the iterated values.
        "list_comprehension"
        | "set_comprehension"
        | "generator_expression"
        | "dictionary_comprehension" => Value::Op("for".to_string(), named(node)),
        "for_in_clause" => Value::Op("for".to_string(), vec![lower(node.field("right")?)]),
        "list_splat" | "dictionary_splat" => Value::Op("...".to_string(), named(node)),
        _ => return None,
    };
    Some(value)
}
