//! Data-flow statements of TypeScript / JavaScript function bodies (`Stmt`s)
//! for the taint engine: declarations (with destructuring), assignments,
//! `for…of` / `for…in` loops, returns (and arrow functions with an
//! expression body), and the guards of `if` and `while`.

use super::tree::FieldExt;
use tree_sitter::Node;

use super::tree::{span, text};
use super::typescript::{dotted_name, lower_expr};
use crate::facts::{ClassDef, Expr, FileFacts, Stmt, TypedName, Value};
use crate::finding::Span;

/// Targets kept per binding: enough for any real destructuring.
const MAX_TARGETS: usize = 64;

/// Lowers `node` into a statement when it is one that data flows through.
pub fn statement(node: Node<'_>, source: &str, facts: &mut FileFacts) {
    match node.kind() {
        "variable_declarator" => {
            if let (Some(name), Some(value)) = (node.field("name"), node.field("value")) {
                push_assign(facts, name, value, node, source, false);
            }
            typed_variable(node, source, facts);
        }
        "assignment_expression" | "augmented_assignment_expression" => {
            if let (Some(left), Some(right)) = (node.field("left"), node.field("right")) {
                let augmented = node.kind() == "augmented_assignment_expression";
                push_assign(facts, left, right, node, source, augmented);
            }
        }
        // `for (const f of files)`, `for (const k in obj)`.
        "for_in_statement" => {
            if let (Some(left), Some(right)) = (node.field("left"), node.field("right")) {
                push_assign(facts, left, right, node, source, false);
            }
        }
        "return_statement" => {
            if let Some(value) = node
                .named_children(&mut node.walk())
                .find(|c| c.kind() != "comment")
            {
                facts.statements.push(Stmt::Return {
                    value: lower_expr(value, source, 0),
                    span: span(node),
                });
            }
        }
        // `(x) => x.trim()`: the body is the returned value.
        "arrow_function" => {
            if let Some(body) = node.field("body")
                && body.kind() != "statement_block"
            {
                facts.statements.push(Stmt::Return {
                    value: lower_expr(body, source, 0),
                    span: span(body),
                });
            }
        }
        "if_statement" => {
            let (Some(condition), Some(body)) =
                (node.field("condition"), node.field("consequence"))
            else {
                return;
            };
            let mut orelse = node
                .field("alternative")
                .and_then(|a| {
                    let mut cursor = a.walk();
                    a.named_children(&mut cursor)
                        .find(|c| c.kind() != "comment")
                })
                .map(|b| (span(b), exits(b, source)));
            let mut exits = exits(body, source);
            // A `throw` that a surrounding `try` catches and carries on from
            // does not leave (MCL211).
            if exits && let Some(swallowed) = super::swallowed::typescript(node, body, source) {
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
        // `switch (op) { case "status": … }`: inside the case, `op` is that literal.
        "switch_case" => {
            let discriminant = node
                .parent()
                .and_then(|body| body.parent())
                .and_then(|switch| switch.field("value"));
            if let (Some(value), Some(discriminant)) = (node.field("value"), discriminant) {
                let cond = Expr {
                    span: span(node),
                    value: Value::Op(
                        "===".to_string(),
                        vec![
                            lower_expr(discriminant, source, 0),
                            lower_expr(value, source, 0),
                        ],
                    ),
                };
                facts.statements.push(Stmt::Guard {
                    cond,
                    span: span(node),
                    body: span(node),
                    exits: false,
                    orelse: None,
                });
            }
        }
        "class_declaration" | "abstract_class_declaration" | "class" => class(node, source, facts),
        "public_field_definition" | "field_definition" => field(node, source, facts),
        "try_statement" => {
            if let Some(body) = super::swallowed::typescript_try(node) {
                facts.swallowing_tries.push(body);
            }
        }
        "while_statement" => {
            if let (Some(condition), Some(body)) = (node.field("condition"), node.field("body")) {
                facts.statements.push(Stmt::Guard {
                    cond: lower_expr(condition, source, 0),
                    span: span(node),
                    body: span(body),
                    exits: false,
                    orelse: None,
                });
            }
        }
        _ => {}
    }
}

/// `class GitClient extends Base {…}`: its name, span and bases.
fn class(node: Node<'_>, source: &str, facts: &mut FileFacts) {
    let Some(name) = node.field("name") else {
        return;
    };
    let mut bases = Vec::new();
    let mut cursor = node.walk();
    for heritage in node
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "class_heritage")
    {
        let mut inner = heritage.walk();
        for clause in heritage.named_children(&mut inner) {
            // TypeScript wraps `extends X` in a clause; JavaScript does not.
            let value = match clause.kind() {
                "extends_clause" => clause.field("value"),
                "implements_clause" => None,
                _ => Some(clause),
            };
            if let Some(base) = value.and_then(|v| dotted_name(v, source)) {
                bases.push(base);
            }
        }
    }
    facts.objects.classes.push(ClassDef {
        name: text(name, source).to_string(),
        span: span(node),
        bases,
    });
}

/// `private client: GitClient;`, `client = new GitClient();`: the field
/// `this.client` holds an instance of the class inside its class.
fn field(node: Node<'_>, source: &str, facts: &mut FileFacts) {
    let Some(name) = node.field("name").or_else(|| node.field("property")) else {
        return;
    };
    let Some(class) = enclosing_class(node) else {
        return;
    };
    let declared = node
        .field("type")
        .and_then(|t| type_name(t, source))
        .or_else(|| {
            let value = node.field("value")?;
            (value.kind() == "new_expression").then(|| {
                value
                    .field("constructor")
                    .and_then(|c| dotted_name(c, source))
            })?
        });
    if let Some(declared) = declared {
        facts.objects.typed.push(TypedName {
            name: format!("this.{}", text(name, source)),
            class: declared,
            scope: span(class),
        });
    }
}

/// `let db: Database;`, `const client: GitClient = make()`: the variable
/// holds an instance of the class in its function (or module).
fn typed_variable(node: Node<'_>, source: &str, facts: &mut FileFacts) {
    let (Some(name), Some(class)) = (
        node.field("name").filter(|n| n.kind() == "identifier"),
        node.field("type").and_then(|t| type_name(t, source)),
    ) else {
        return;
    };
    let mut scope = node.parent();
    while let Some(current) = scope {
        if matches!(
            current.kind(),
            "function_declaration"
                | "function_expression"
                | "function"
                | "arrow_function"
                | "method_definition"
                | "generator_function_declaration"
        ) {
            break;
        }
        scope = current.parent();
    }
    facts.objects.typed.push(TypedName {
        name: text(name, source).to_string(),
        class,
        scope: scope.map(span).unwrap_or(Span::new(0, source.len())),
    });
}

/// The class a member node belongs to.
fn enclosing_class(node: Node<'_>) -> Option<Node<'_>> {
    let body = node.parent().filter(|p| p.kind() == "class_body")?;
    body.parent()
}

/// The class a type annotation names, when it names one: `GitClient`,
/// `db.Pool`, `GitClient | undefined`, `Promise<…>` is not one.
fn type_name(annotation: Node<'_>, source: &str) -> Option<String> {
    let mut current = annotation;
    for _ in 0..4 {
        match current.kind() {
            "type_annotation" | "parenthesized_type" => current = current.named_child(0)?,
            "union_type" => {
                let mut cursor = current.walk();
                let named: Vec<Node<'_>> = current
                    .named_children(&mut cursor)
                    .filter(|c| !matches!(text(*c, source), "undefined" | "null"))
                    .collect();
                match named.as_slice() {
                    [only] => current = *only,
                    _ => return None,
                }
            }
            "type_identifier" | "nested_type_identifier" => {
                let name = text(current, source);
                let first = name.chars().next()?;
                return first.is_uppercase().then(|| name.to_string());
            }
            _ => return None,
        }
    }
    None
}

/// What call resolution needs of a function's signature: parameters typed
/// as a class instance (`db: Database`, and `private db: Database` of a
/// constructor, which is the field `this.db`), and destructured parameters
/// with the key each name is read from.
pub fn signature(node: Node<'_>, source: &str, facts: &mut FileFacts) {
    let Some(index) = facts.functions.len().checked_sub(1) else {
        return;
    };
    let function_span = span(node);
    if let Some(class) = node
        .field("return_type")
        .and_then(|t| type_name(unwrap_promise(t, source), source))
    {
        facts.objects.returns.push((index, class));
    }
    let Some(list) = node.field("parameters") else {
        return;
    };
    let constructor = node.kind() == "method_definition"
        && node
            .field("name")
            .is_some_and(|n| text(n, source) == "constructor");
    let mut keys: Vec<(usize, Option<String>)> = Vec::new();
    let mut destructured = false;
    let mut cursor = list.walk();
    let params: Vec<Node<'_>> = list
        .named_children(&mut cursor)
        .filter(|c| !matches!(c.kind(), "comment" | "type_annotation"))
        .collect();
    for (position, param) in params.iter().enumerate() {
        // TypeScript wraps each parameter; JavaScript gives the pattern.
        let pattern = match param.kind() {
            "required_parameter" | "optional_parameter" => param.field("pattern"),
            "assignment_pattern" => param.field("left"),
            _ => Some(*param),
        };
        let Some(pattern) = pattern else {
            continue;
        };
        match pattern.kind() {
            "identifier" => {
                keys.push((position, None));
                let Some(declared) = param.field("type").and_then(|t| type_name(t, source)) else {
                    continue;
                };
                let name = text(pattern, source).to_string();
                let mut inner = param.walk();
                let property = param
                    .children(&mut inner)
                    .any(|c| matches!(c.kind(), "accessibility_modifier" | "readonly"));
                if constructor
                    && property
                    && let Some(class) = node.parent().and_then(|b| b.parent())
                {
                    facts.objects.typed.push(TypedName {
                        name: format!("this.{name}"),
                        class: declared.clone(),
                        scope: span(class),
                    });
                }
                facts.objects.typed.push(TypedName {
                    name,
                    class: declared,
                    scope: function_span,
                });
            }
            "object_pattern" => {
                destructured = true;
                pattern_keys(pattern, source, position, &mut keys);
            }
            // `[a, b]` and the rest: names that no key selects.
            _ => {
                let mut names = Vec::new();
                collect_targets(pattern, source, &mut names);
                keys.extend(names.iter().map(|_| (position, None)));
            }
        }
    }
    // Only when the keys line up with the names `record_function` bound.
    if destructured
        && facts
            .functions
            .get(index)
            .is_some_and(|f| f.params.len() == keys.len())
    {
        facts.objects.destructured.push((index, keys));
    }
}

/// `: Promise<GitClient>` → `GitClient`.
fn unwrap_promise<'t>(annotation: Node<'t>, source: &str) -> Node<'t> {
    let inner = match annotation.kind() {
        "type_annotation" => annotation.named_child(0),
        _ => Some(annotation),
    };
    let Some(inner) = inner.filter(|i| i.kind() == "generic_type") else {
        return annotation;
    };
    let is_promise = inner
        .field("name")
        .is_some_and(|n| text(n, source) == "Promise");
    let argument = inner.field("type_arguments").and_then(|a| a.named_child(0));
    match (is_promise, argument) {
        (true, Some(argument)) => argument,
        _ => annotation,
    }
}

/// `{ filePath, url: u, opts: { depth } = {} }`: for each name bound, the
/// top-level key it is read from.
fn pattern_keys(
    pattern: Node<'_>,
    source: &str,
    position: usize,
    keys: &mut Vec<(usize, Option<String>)>,
) {
    let mut cursor = pattern.walk();
    for member in pattern.named_children(&mut cursor) {
        if keys.len() > MAX_TARGETS {
            return;
        }
        let key = match member.kind() {
            "shorthand_property_identifier_pattern" => Some(text(member, source).to_string()),
            "object_assignment_pattern" => {
                member.field("left").map(|l| text(l, source).to_string())
            }
            "pair_pattern" => member.field("key").map(|k| {
                let key = text(k, source);
                key.trim_matches(['"', '\'', '`']).to_string()
            }),
            // `...rest` holds every key.
            "rest_pattern" => None,
            _ => continue,
        };
        let mut names = Vec::new();
        match member.kind() {
            "pair_pattern" => {
                if let Some(value) = member.field("value") {
                    collect_targets(value, source, &mut names);
                }
            }
            _ => collect_targets(member, source, &mut names),
        }
        keys.extend(names.iter().map(|_| (position, key.clone())));
    }
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

/// The names a binding pattern binds: `x`, `this.x`, each name of
/// `{ a, b: c, d = 1, ...rest }` and `[a, , b]`; for `obj[k] = v`, the
/// container `obj` now holds `v`.
fn collect_targets(node: Node<'_>, source: &str, out: &mut Vec<String>) {
    let mut stack = vec![node];
    while let Some(current) = stack.pop() {
        if out.len() >= MAX_TARGETS {
            return;
        }
        match current.kind() {
            "identifier" | "shorthand_property_identifier_pattern" | "this" => {
                out.push(text(current, source).to_string())
            }
            "member_expression" => {
                if let Some(name) = dotted_name(current, source) {
                    out.push(name);
                }
            }
            "subscript_expression" => {
                if let Some(object) = current.field("object") {
                    stack.push(object);
                }
            }
            // `{ path: p }` binds `p`; `{ mode = "r" }` and `[a = 1]` bind the left side.
            "pair_pattern" => {
                if let Some(value) = current.field("value") {
                    stack.push(value);
                }
            }
            "object_assignment_pattern" | "assignment_pattern" => {
                if let Some(left) = current.field("left") {
                    stack.push(left);
                }
            }
            "object_pattern"
            | "array_pattern"
            | "rest_pattern"
            | "non_null_expression"
            | "parenthesized_expression" => {
                let mut cursor = current.walk();
                let children: Vec<Node<'_>> = current.named_children(&mut cursor).collect();
                // Source order for the targets.
                stack.extend(children.into_iter().rev());
            }
            _ => {}
        }
    }
}

/// Does a statement always leave (return, throw, continue, break,
/// `process.exit(…)`)? A block leaves when its last statement does; an
/// `if` when both of its branches do.
fn exits(node: Node<'_>, source: &str) -> bool {
    exits_within(node, source, 0)
}

/// `exits`, giving up (as "may fall through") past a nesting depth.
fn exits_within(node: Node<'_>, source: &str, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    let mut current = node;
    for _ in 0..64 {
        match current.kind() {
            "return_statement" | "throw_statement" | "continue_statement" | "break_statement" => {
                return true;
            }
            "statement_block" => {
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
                        && e.field("function").is_some_and(|f| {
                            matches!(text(f, source), "process.exit" | "process.abort")
                                || throwing_local(f, source, depth)
                        })
                });
            }
            "if_statement" => {
                let then_exits = current
                    .field("consequence")
                    .is_some_and(|c| exits_within(c, source, depth + 1));
                let else_branch = current.field("alternative").and_then(|a| {
                    let mut cursor = a.walk();
                    a.named_children(&mut cursor)
                        .find(|c| c.kind() != "comment")
                });
                return then_exits
                    && else_branch.is_some_and(|e| exits_within(e, source, depth + 1));
            }
            _ => return false,
        }
    }
    false
}

/// `abort()` where an enclosing block declares `const abort = () => {
/// throw … }` (or `function abort() { throw … }`) with no parameters: a
/// local helper that always throws, so a call to it leaves like `throw`.
fn throwing_local(callee: Node<'_>, source: &str, depth: usize) -> bool {
    if callee.kind() != "identifier" {
        return false;
    }
    let name = text(callee, source);
    let mut scope = callee.parent();
    for _ in 0..32 {
        let Some(current) = scope else {
            return false;
        };
        if current.kind() == "statement_block" || current.kind() == "program" {
            let mut cursor = current.walk();
            for statement in current.named_children(&mut cursor) {
                if statement.start_byte() >= callee.start_byte() {
                    break;
                }
                let body = match statement.kind() {
                    "function_declaration"
                        if statement.field("name").map(|n| text(n, source)) == Some(name) =>
                    {
                        statement
                            .field("parameters")
                            .filter(|p| p.named_child_count() == 0)
                            .and(statement.field("body"))
                    }
                    "lexical_declaration" | "variable_declaration" => {
                        let mut inner = statement.walk();
                        statement
                            .named_children(&mut inner)
                            .filter(|d| d.kind() == "variable_declarator")
                            .find(|d| d.field("name").map(|n| text(n, source)) == Some(name))
                            .and_then(|d| d.field("value"))
                            .filter(|v| {
                                matches!(
                                    v.kind(),
                                    "arrow_function" | "function_expression" | "function"
                                )
                            })
                            .filter(|v| {
                                v.field("parameters")
                                    .is_some_and(|p| p.named_child_count() == 0)
                            })
                            .and_then(|v| v.field("body"))
                    }
                    _ => None,
                };
                if let Some(body) = body {
                    return body.kind() == "statement_block"
                        && exits_within(body, source, depth + 1)
                        && !leaves_by_return(body, source);
                }
            }
        }
        scope = current.parent();
    }
    false
}

/// Does a helper's body end with a `return` (it returns to its caller,
/// unlike `throw`)?
fn leaves_by_return(body: Node<'_>, source: &str) -> bool {
    let mut cursor = body.walk();
    let last = body
        .named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .last();
    last.is_none_or(|l| {
        matches!(
            l.kind(),
            "return_statement" | "continue_statement" | "break_statement"
        ) || text(l, source).is_empty()
    })
}

/// `{ ...process.env, X: "1" }`: a spread member as a pair keyed `...`.
pub fn spread_pair(member: Node<'_>, source: &str, depth: usize) -> Option<(String, Expr)> {
    let inner = member.named_child(0)?;
    Some(("...".to_string(), lower_expr(inner, source, depth + 1)))
}

/// Expression kinds lowered to `Value::Op`: the operator and the operands
/// data can flow from.
pub fn operator(node: Node<'_>, source: &str, depth: usize) -> Option<Value> {
    let lower = |n: Node<'_>| lower_expr(n, source, depth + 1);
    let value = match node.kind() {
        "await_expression" => Value::Op("await".to_string(), vec![lower(node.named_child(0)?)]),
        "subscript_expression" => {
            let object = node.field("object")?;
            let mut operands = vec![lower(object)];
            if let Some(index) = node.field("index") {
                operands.push(lower(index));
            }
            Value::Op("[]".to_string(), operands)
        }
        // `c ? a : b`: the value is `a` or `b`, never `c`.
        "ternary_expression" => Value::Op(
            "?:".to_string(),
            vec![
                lower(node.field("consequence")?),
                lower(node.field("alternative")?),
            ],
        ),
        "binary_expression" => {
            let op = node.field("operator")?;
            Value::Op(
                text(op, source).to_string(),
                vec![lower(node.field("left")?), lower(node.field("right")?)],
            )
        }
        "unary_expression" => {
            let op = node.field("operator")?;
            Value::Op(
                text(op, source).to_string(),
                vec![lower(node.field("argument")?)],
            )
        }
        "spread_element" => Value::Op("...".to_string(), vec![lower(node.named_child(0)?)]),
        _ => return None,
    };
    Some(value)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::facts::{FileFacts, Language, Stmt, Value};

    fn lower(text: &str) -> FileFacts {
        super::super::lower(Language::TypeScript, Path::new("server.ts"), text).expect("parses")
    }

    fn assigned(facts: &FileFacts) -> Vec<Vec<String>> {
        facts
            .statements
            .iter()
            .filter_map(|s| match s {
                Stmt::Assign { targets, .. } => Some(targets.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn bindings_of_every_form() {
        let facts = lower(
            "function f(args, files, obj) {\n\
             const { path, mode = \"r\", nested: { deep }, ...rest } = args;\n\
             const [a, , b = 1] = files;\n\
             const { path: p } = args;\n\
             let cmd;\n\
             cmd = `ls ${path}`;\n\
             this.root = p;\n\
             obj[key] = a;\n\
             cmd += b;\n\
             for (const f of files) {}\n\
             for (const k in obj) {}\n\
             }",
        );
        let targets = assigned(&facts);
        let expected: Vec<Vec<String>> = vec![
            vec!["path", "mode", "deep", "rest"],
            vec!["a", "b"],
            vec!["p"],
            vec!["cmd"],
            vec!["this.root"],
            vec!["obj"],
            vec!["cmd"],
            vec!["f"],
            vec!["k"],
        ]
        .into_iter()
        .map(|v| v.into_iter().map(String::from).collect())
        .collect();
        assert_eq!(targets, expected);
        let augmented: Vec<bool> = facts
            .statements
            .iter()
            .filter_map(|s| match s {
                Stmt::Assign { augmented, .. } => Some(*augmented),
                _ => None,
            })
            .collect();
        assert_eq!(augmented.iter().filter(|a| **a).count(), 1);
    }

    #[test]
    fn guards_know_which_branches_leave() {
        let facts = lower(
            "async function f(p) {\n\
             if (!p.startsWith(root)) { throw new Error(\"no\"); }\n\
             if (a) return 1; else { log(); }\n\
             if (b) { process.exit(1); }\n\
             if (c) { x(); } else if (d) { return; } else { throw e; }\n\
             while (p.length > 3) { break; }\n\
             }",
        );
        let guards: Vec<(bool, Option<bool>, String)> = facts
            .statements
            .iter()
            .filter_map(|s| match s {
                Stmt::Guard {
                    exits,
                    orelse,
                    cond,
                    ..
                } => Some((
                    *exits,
                    orelse.map(|(_, e)| e),
                    match &cond.value {
                        Value::Op(op, _) => op.clone(),
                        Value::Call(_) => "call".to_string(),
                        _ => "?".to_string(),
                    },
                )),
                _ => None,
            })
            .collect();
        assert_eq!(
            guards,
            vec![
                (true, None, "!".to_string()),
                (true, Some(false), "?".to_string()),
                (true, None, "?".to_string()),
                (false, Some(true), "?".to_string()),
                (true, Some(true), "?".to_string()),
                (false, None, ">".to_string()),
            ]
        );
    }

    #[test]
    fn operators_returns_and_requires() {
        let facts = lower(
            "const { exec: run, spawn } = require(\"node:child_process\");\n\
             const fsp = require(\"fs\").promises;\n\
             const cp = require(\"child_process\");\n\
             const f = async (x) => (await g(x[0] as string))!;\n\
             const env = { ...process.env, A: \"1\" };\n\
             const t = c ? a : b;\n",
        );
        let imports: Vec<(String, Option<String>, String)> = facts
            .imports
            .iter()
            .filter(|i| !i.local.is_empty())
            .map(|i| (i.module.clone(), i.name.clone(), i.local.clone()))
            .collect();
        assert_eq!(
            imports,
            vec![
                (
                    "node:child_process".into(),
                    Some("exec".into()),
                    "run".into()
                ),
                (
                    "node:child_process".into(),
                    Some("spawn".into()),
                    "spawn".into()
                ),
                ("fs".into(), Some("promises".into()), "fsp".into()),
                ("child_process".into(), None, "cp".into()),
            ]
        );
        let returned = facts.statements.iter().find_map(|s| match s {
            Stmt::Return { value, .. } => Some(value),
            _ => None,
        });
        let Some(Value::Op(op, operands)) = returned.map(|r| &r.value) else {
            panic!("an arrow body is returned as an operator: {returned:?}");
        };
        assert_eq!(op, "await");
        let Value::Call(call) = &operands[0].value else {
            panic!("await of a call");
        };
        assert!(matches!(&call.args[0].value.value, Value::Op(op, _) if op == "[]"));
        let env = facts.resolve("env").expect("bound");
        assert!(
            env.value
                .get("...")
                .is_some_and(|v| v.name() == Some("process.env"))
        );
        let t = facts.resolve("t").expect("bound");
        assert!(matches!(&t.value.value, Value::Op(op, o) if op == "?:" && o.len() == 2));
    }
}
