//! Python frontend: lowers a tree-sitter-python tree into facts in one pass.

use super::tree::FieldExt;
use tree_sitter::{Node, Tree};

use super::tree::{MAX_EXPR_DEPTH, decode_escape, first_syntax_problem, span, text, walk};
use super::{concat, python_classes, python_flow, python_mcp};
use crate::facts::{Arg, Binding, Call, Expr, FileFacts, Import, Language, StringLit, Value};

/// Callees that read an environment variable: `os.getenv("X", default)`.
const ENV_LOOKUPS: &[&str] = &[
    "os.getenv",
    "os.environ.get",
    "getenv",
    "environ.get",
    "os.environ.setdefault",
];

pub fn lower(tree: &Tree, source: &str) -> FileFacts {
    let mut facts = FileFacts::new(Language::Python);
    if let Some(problem) = first_syntax_problem(tree) {
        facts.syntax_problems.push(problem);
    }
    // Depth of enclosing function/class definitions, to tell top-level bindings.
    let mut scope_depth = 0usize;
    // For each enclosing `if`: does it make what is inside conditional?
    // (`if __name__ == "__main__":` does not.)
    let mut conditions: Vec<bool> = Vec::new();
    // Parallel to `facts.calls`: was the call made inside an `if`?
    let mut call_conditional: Vec<bool> = Vec::new();
    let mut pending = Vec::new();
    let mut decorator_calls = Vec::new();
    // For each enclosing definition: the class it is (index into
    // `facts.python.classes`), or `None` for a function or lambda.
    let mut classes: Vec<Option<usize>> = Vec::new();
    walk(tree, |node, parent, entering| {
        let kind = node.kind();
        if kind == "if_statement" {
            if entering {
                let test = node
                    .field("condition")
                    .map(|c| text(c, source))
                    .unwrap_or("");
                conditions.push(!test.contains("__name__"));
            } else {
                conditions.pop();
            }
        }
        if matches!(kind, "function_definition" | "class_definition" | "lambda") {
            if entering {
                if kind == "function_definition" {
                    match parent.filter(|p| p.kind() == "decorated_definition") {
                        Some(decorated) => python_mcp::decorated(
                            decorated,
                            source,
                            &mut facts,
                            conditions.iter().any(|c| *c),
                            &mut pending,
                        ),
                        None => {
                            python_mcp::record_function(&mut facts, node, source);
                        }
                    }
                    // A method: a function directly in a class body.
                    if let Some(Some(class)) = classes.last()
                        && let Some(c) = facts.python.classes.get_mut(*class)
                    {
                        c.methods.push(facts.functions.len() - 1);
                    }
                    python_flow::signature(node, source, &mut facts);
                }
                if kind == "class_definition" {
                    python_flow::class(node, source, &mut facts);
                }
                classes.push(
                    (kind == "class_definition")
                        .then(|| python_classes::record(&mut facts, node, source)),
                );
                scope_depth += 1;
            } else {
                classes.pop();
                scope_depth -= 1;
            }
            return;
        }
        if !entering {
            return;
        }
        python_flow::statement(node, source, &mut facts);
        match kind {
            "string" => {
                let inside_concat = parent.is_some_and(|p| p.kind() == "concatenated_string");
                if !inside_concat {
                    push_string(&mut facts, node, parent, source);
                }
            }
            "concatenated_string" => push_string(&mut facts, node, parent, source),
            "comparison_operator" => push_comparison(&mut facts, node, source),
            "call" => {
                if let Some(call) = lower_call(node, source, 0) {
                    facts.calls.push(call);
                    call_conditional.push(conditions.iter().any(|c| *c));
                } else if let Some(call) = python_mcp::decorator_call(node, source) {
                    // `mcp.tool(name="x")(handler)`: registered like `add_tool`.
                    decorator_calls.push((call, conditions.iter().any(|c| *c)));
                }
            }
            "assignment" => {
                if let (Some(left), Some(right)) = (node.field("left"), node.field("right"))
                    && let Some(name) = dotted_name(left, source)
                {
                    facts.bindings.push(Binding {
                        name,
                        value: lower_expr(right, source, 0),
                        span: span(node),
                        top_level: scope_depth == 0,
                    });
                }
            }
            "if_statement" | "elif_clause" => {
                // `if name == "get_stock":` → that branch handles tool `get_stock`.
                if let (Some(condition), Some(consequence)) =
                    (node.field("condition"), node.field("consequence"))
                    && condition.kind() == "comparison_operator"
                    && comparison_op(condition, source) == Some("==")
                    && let Some(literal) = named_string_child(condition, source)
                {
                    facts.dispatch.push((literal, span(consequence)));
                } else if let (Some(condition), Some(consequence)) =
                    (node.field("condition"), node.field("consequence"))
                    && let Some(label) = python_classes::constant_label(condition, source)
                {
                    facts.python.dispatch_names.push((label, span(consequence)));
                }
            }
            "case_clause" => {
                let mut cursor = node.walk();
                let pattern = node
                    .named_children(&mut cursor)
                    .find(|c| c.kind() == "case_pattern");
                if let (Some(pattern), Some(consequence)) = (pattern, node.field("consequence"))
                    && let Some(literal) = named_string_child(pattern, source)
                {
                    facts.dispatch.push((literal, span(consequence)));
                } else if let (Some(pattern), Some(consequence)) =
                    (pattern, node.field("consequence"))
                    && let Some(label) = python_classes::case_label(pattern, source)
                {
                    facts.python.dispatch_names.push((label, span(consequence)));
                }
            }
            "import_statement" | "import_from_statement" => {
                push_imports(&mut facts, node, source);
            }
            _ => {}
        }
    });
    python_mcp::finish(&mut facts, pending, &call_conditional, decorator_calls);
    // `case GitTools.STATUS:` with the enum in this file: a dispatch on
    // the literal the member stands for.
    let resolved: Vec<(String, crate::finding::Span)> = facts
        .python
        .dispatch_names
        .iter()
        .filter_map(|(label, branch)| {
            let name = Expr {
                span: *branch,
                value: Value::Name(label.clone()),
            };
            Some((facts.string_of(&name)?.0, *branch))
        })
        .collect();
    facts.dispatch.extend(resolved);
    facts.link_dispatch_handlers();
    facts
}

/// `a == b` / `a != b` (not chained comparisons).
fn push_comparison(facts: &mut FileFacts, node: Node<'_>, source: &str) {
    let mut cursor = node.walk();
    let operands: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
    let mut cursor = node.walk();
    let op = node
        .children(&mut cursor)
        .find(|c| !c.is_named())
        .map(|c| text(c, source).to_string());
    if let ([left, right], Some(op)) = (operands.as_slice(), op)
        && matches!(op.as_str(), "==" | "!=")
    {
        facts.comparisons.push(crate::facts::Comparison {
            op,
            left: span(*left),
            right: span(*right),
            span: span(node),
        });
    }
}

/// The operator of a simple comparison. Only `name == "x"` routes a call
/// to its branch: the body of `if name != "x": raise …` is what runs for
/// every *other* name (a single-tool server's guard).
fn comparison_op<'s>(node: Node<'_>, source: &'s str) -> Option<&'s str> {
    let mut cursor = node.walk();
    let mut ops = node.children(&mut cursor).filter(|c| !c.is_named());
    let op = ops.next()?;
    // `a == b == c` is no dispatch.
    ops.next().is_none().then(|| text(op, source))
}

/// The string literal among a node's direct children (`name == "x"`).
fn named_string_child(node: Node<'_>, source: &str) -> Option<String> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .find(|c| c.kind() == "string")
        .map(|s| string_value(s, source).0)
}

fn push_string(facts: &mut FileFacts, node: Node<'_>, parent: Option<Node<'_>>, source: &str) {
    let (value, _) = string_value(node, source);
    facts.strings.push(StringLit {
        value,
        span: span(node),
        target: parent.and_then(|p| string_target(node, p, source)),
    });
}

/// The text of a string or implicit concatenation, and whether it had interpolations.
pub(super) fn string_value(node: Node<'_>, source: &str) -> (String, bool) {
    let (text, parts) = string_parts(node, source, super::tree::NO_DESCENT);
    (text, !parts.is_empty())
}

/// The text of a string (`{}` for each interpolation) and the interpolated
/// expressions, lowered at `depth`.
fn string_parts(node: Node<'_>, source: &str, depth: usize) -> (String, Vec<Expr>) {
    let mut value = String::new();
    let mut interpolated = Vec::new();
    let mut cursor = node.walk();
    let parts: Vec<Node<'_>> = if node.kind() == "concatenated_string" {
        node.named_children(&mut cursor).collect()
    } else {
        vec![node]
    };
    for part in parts {
        let raw = text(part, source)
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .any(|c| c.eq_ignore_ascii_case(&'r'));
        let mut inner = part.walk();
        for child in part.named_children(&mut inner) {
            match child.kind() {
                "string_content" => content(child, source, raw, &mut value),
                "escape_sequence" if raw => value.push_str(text(child, source)),
                "escape_sequence" => decode_escape(text(child, source), &mut value),
                "interpolation" => {
                    value.push_str("{}");
                    let expr = child
                        .field("expression")
                        .map(|e| lower_expr(e, source, depth + 1))
                        .unwrap_or(Expr {
                            span: span(child),
                            value: Value::Other,
                        });
                    interpolated.push(expr);
                }
                _ => {}
            }
        }
    }
    (value, interpolated)
}

/// The text of a `string_content` node: tree-sitter-python nests escape
/// sequences inside it, so copy the text between them and decode them.
fn content(node: Node<'_>, source: &str, raw: bool, out: &mut String) {
    let mut at = node.start_byte();
    let mut cursor = node.walk();
    for escape in node.named_children(&mut cursor) {
        out.push_str(source.get(at..escape.start_byte()).unwrap_or(""));
        if raw || escape.kind() != "escape_sequence" {
            out.push_str(text(escape, source));
        } else {
            decode_escape(text(escape, source), out);
        }
        at = escape.end_byte();
    }
    out.push_str(source.get(at..node.end_byte()).unwrap_or(""));
}

/// The name a string literal is the whole value of.
fn string_target(node: Node<'_>, parent: Node<'_>, source: &str) -> Option<String> {
    match parent.kind() {
        "assignment" if parent.field("right") == Some(node) => {
            let left = parent.field("left")?;
            dotted_name(left, source).or_else(|| subscript_key(left, source))
        }
        "keyword_argument" => Some(text(parent.field("name")?, source).to_string()),
        "pair" if parent.field("value") == Some(node) => {
            let key = parent.field("key")?;
            Some(key_text(key, source))
        }
        "default_parameter" | "typed_default_parameter" => {
            Some(text(parent.field("name")?, source).to_string())
        }
        _ => None,
    }
}

fn key_text(key: Node<'_>, source: &str) -> String {
    if key.kind() == "string" {
        string_value(key, source).0
    } else {
        text(key, source).to_string()
    }
}

/// `os.environ["API_KEY"]` as an assignment target → `API_KEY`.
fn subscript_key(node: Node<'_>, source: &str) -> Option<String> {
    if node.kind() != "subscript" {
        return None;
    }
    let key = node.field("subscript")?;
    (key.kind() == "string").then(|| string_value(key, source).0)
}

/// `a`, `a.b.c` — a name path, when the node is one. Iterative, and capped:
/// a chain of 30,000 attributes must not exhaust the stack.
pub(super) fn dotted_name(node: Node<'_>, source: &str) -> Option<String> {
    const MAX_SEGMENTS: usize = 64;
    let mut segments = Vec::new();
    let mut current = node;
    loop {
        match current.kind() {
            "identifier" => {
                segments.push(text(current, source));
                break;
            }
            "attribute" => {
                segments.push(text(current.field("attribute")?, source));
                current = current.field("object")?;
            }
            _ => return None,
        }
        if segments.len() > MAX_SEGMENTS {
            return None;
        }
    }
    segments.reverse();
    Some(segments.join("."))
}

pub(super) fn lower_call(node: Node<'_>, source: &str, depth: usize) -> Option<Call> {
    let function = node.field("function")?;
    let mut receiver = None;
    let callee = match dotted_name(function, source) {
        Some(name) => name,
        // A method on a complex receiver: `get_app().run(...)`.
        None if function.kind() == "attribute" => {
            let attr = function.field("attribute")?;
            receiver = function
                .field("object")
                .map(|o| Box::new(lower_expr(o, source, depth + 1)));
            format!("<expr>.{}", text(attr, source))
        }
        None => return None,
    };
    let mut args = Vec::new();
    if let Some(list) = node.field("arguments") {
        let mut cursor = list.walk();
        for arg in list.named_children(&mut cursor) {
            match arg.kind() {
                "keyword_argument" => {
                    let (Some(name), Some(value)) = (arg.field("name"), arg.field("value")) else {
                        continue;
                    };
                    args.push(Arg {
                        name: Some(text(name, source).to_string()),
                        value: lower_expr(value, source, depth + 1),
                    });
                }
                // `Model(**arguments)`, `f(*args)`: data flows in, under a
                // name that no keyword lookup matches and that leaves the
                // positional indexes alone.
                "list_splat" | "dictionary_splat" => {
                    if let Some(inner) = arg.named_child(0) {
                        let name = if arg.kind() == "list_splat" {
                            "*"
                        } else {
                            "**"
                        };
                        args.push(Arg {
                            name: Some(name.to_string()),
                            value: lower_expr(inner, source, depth + 1),
                        });
                    }
                }
                "comment" => {}
                _ => args.push(Arg {
                    name: None,
                    value: lower_expr(arg, source, depth + 1),
                }),
            }
        }
    }
    Some(Call {
        callee,
        args,
        span: span(node),
        callee_span: span(function),
        receiver,
    })
}

pub(super) fn lower_expr(node: Node<'_>, source: &str, depth: usize) -> Expr {
    Expr {
        span: span(node),
        value: expr_value(node, source, depth),
    }
}

fn expr_value(node: Node<'_>, source: &str, depth: usize) -> Value {
    if depth > MAX_EXPR_DEPTH {
        if super::tree::cut_by_limit(depth) {
            super::limits::reached(super::tree::EXPR_DEPTH_LIMIT, span(node));
        }
        return Value::Other;
    }
    match node.kind() {
        "string" | "concatenated_string" => match string_parts(node, source, depth) {
            (s, parts) if parts.is_empty() => Value::Str(s),
            (s, parts) => Value::Template(s, parts),
        },
        "binary_operator" if node.field("operator").map(|o| o.kind()) == Some("+") => {
            let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else {
                return Value::Other;
            };
            concat(
                lower_expr(left, source, depth + 1),
                lower_expr(right, source, depth + 1),
            )
        }
        "integer" | "float" => Value::Number(text(node, source).to_string()),
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "none" => Value::Null,
        "identifier" | "attribute" => match dotted_name(node, source) {
            Some(name) => Value::Name(name),
            None => match (node.field("object"), node.field("attribute")) {
                (Some(object), Some(attr)) => Value::Member(
                    Box::new(lower_expr(object, source, depth + 1)),
                    text(attr, source).to_string(),
                ),
                _ => Value::Other,
            },
        },
        "parenthesized_expression" => match node.named_child(0) {
            Some(inner) => expr_value(inner, source, depth + 1),
            None => Value::Other,
        },
        "list" | "tuple" | "set" | "expression_list" => {
            let mut cursor = node.walk();
            Value::Array(
                node.named_children(&mut cursor)
                    .filter(|c| c.kind() != "comment")
                    .map(|c| lower_expr(c, source, depth + 1))
                    .collect(),
            )
        }
        "dictionary" => {
            let mut cursor = node.walk();
            let pairs = node
                .named_children(&mut cursor)
                .filter_map(|pair| {
                    // `{**os.environ, "X": "1"}`: the spread is kept under `**`.
                    if pair.kind() == "dictionary_splat" {
                        let inner = pair.named_child(0)?;
                        return Some(("**".to_string(), lower_expr(inner, source, depth + 1)));
                    }
                    if pair.kind() != "pair" {
                        return None;
                    }
                    let key = pair.field("key")?;
                    let value = pair.field("value")?;
                    Some((key_text(key, source), lower_expr(value, source, depth + 1)))
                })
                .collect();
            Value::Object(pairs)
        }
        "lambda" => Value::Function,
        "subscript" => env_subscript(node, source)
            .or_else(|| python_flow::operator(node, source, depth))
            .unwrap_or(Value::Other),
        "call" => match lower_call(node, source, depth) {
            Some(call) if ENV_LOOKUPS.contains(&call.callee.as_str()) => env_lookup(call),
            Some(call) => Value::Call(Box::new(call)),
            None => Value::Other,
        },
        // `os.getenv("HOST") or "0.0.0.0"`
        "boolean_operator" => {
            let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else {
                return Value::Other;
            };
            // The left operand is lowered once: lowering it again for the
            // operator would double the work at every `and` of a chain.
            let left = lower_expr(left, source, depth + 1);
            let right = lower_expr(right, source, depth + 1);
            match left.value {
                Value::EnvLookup { var, default: None } => Value::EnvLookup {
                    var,
                    default: Some(Box::new(right)),
                },
                _ => {
                    let op = node.field("operator").map(|o| text(o, source));
                    Value::Op(op.unwrap_or("or").to_string(), vec![left, right])
                }
            }
        }
        _ => python_flow::operator(node, source, depth).unwrap_or(Value::Other),
    }
}

/// `os.environ["X"]`
fn env_subscript(node: Node<'_>, source: &str) -> Option<Value> {
    let object = dotted_name(node.field("value")?, source)?;
    if object != "os.environ" && object != "environ" {
        return None;
    }
    let key = node.field("subscript")?;
    let var = (key.kind() == "string").then(|| string_value(key, source).0);
    Some(Value::EnvLookup { var, default: None })
}

fn env_lookup(call: Call) -> Value {
    let mut positional = call.args.iter().filter(|a| a.name.is_none());
    let var = positional
        .next()
        .and_then(|a| a.value.str_value())
        .map(str::to_string);
    let default = positional
        .next()
        .map(|a| a.value.clone())
        .or_else(|| call.keyword("default").cloned());
    Value::EnvLookup {
        var,
        default: default.map(Box::new),
    }
}

fn push_imports(facts: &mut FileFacts, node: Node<'_>, source: &str) {
    let from_module = node
        .field("module_name")
        .map(|m| text(m, source).to_string());
    let mut cursor = node.walk();
    for child in node.children_by_field_name("name", &mut cursor) {
        let (name_node, alias) = match child.kind() {
            "aliased_import" => (child.field("name"), child.field("alias")),
            _ => (Some(child), None),
        };
        let Some(name_node) = name_node else { continue };
        let name = text(name_node, source).to_string();
        let local = alias
            .map(|a| text(a, source).to_string())
            .unwrap_or_else(|| name.clone());
        let import = match &from_module {
            Some(module) => Import {
                module: module.clone(),
                name: Some(name),
                local,
                span: span(child),
            },
            None => Import {
                module: name,
                name: None,
                local,
                span: span(child),
            },
        };
        facts.imports.push(import);
    }
}

#[cfg(test)]
mod tests {
    use crate::facts::{Language, Stmt, Value};
    use std::path::Path;

    /// `a and b and c …` nests to the left; each operand is lowered once
    /// (lowering the left side twice made a 30-term chain take minutes).
    #[test]
    fn a_long_boolean_chain_lowers_each_operand_once() {
        let terms: Vec<String> = (0..60).map(|i| format!("level != {i}")).collect();
        let text = format!(
            "def f(level):\n    if {}:\n        return 1\n",
            terms.join(" and ")
        );
        let facts =
            crate::frontend::lower(Language::Python, Path::new("t.py"), &text).expect("parses");
        let guard = facts
            .statements
            .iter()
            .find_map(|s| match s {
                Stmt::Guard { cond, .. } => Some(cond),
                _ => None,
            })
            .expect("a guard");
        // Walk down the left spine: 59 `and`s, then the first comparison.
        let mut depth = 0;
        let mut node = guard;
        while let Value::Op(op, operands) = &node.value {
            if op != "and" {
                break;
            }
            depth += 1;
            node = &operands[0];
        }
        assert_eq!(depth, 59);
    }
}
