//! TypeScript / TSX / JavaScript frontend: one lowering for the three
//! tree-sitter grammars, which share their node kinds for everything lowered here.

use super::tree::FieldExt;
use tree_sitter::{Node, Tree};

use super::tree::{MAX_EXPR_DEPTH, decode_escape, first_syntax_problem, span, text, walk};
use super::{concat, typescript_class, typescript_decls, typescript_flow, typescript_mcp};
use crate::facts::{
    Arg, Binding, Call, Expr, FileFacts, Function, Import, Language, StringLit, Value,
};

pub fn lower(tree: &Tree, source: &str, language: Language) -> FileFacts {
    let mut facts = FileFacts::new(language);
    // The TypeScript grammar lags behind the language (import types with
    // array suffixes, variance annotations): a local error in valid code is
    // common, so only an error that swallows a large part of the file is
    // reported. The rest of the tree is lowered either way.
    if let Some(problem) = first_syntax_problem(tree)
        && problem.span.len() * 4 >= source.len()
    {
        facts.syntax_problems.push(problem);
    }
    let mut scope_depth = 0usize;
    let mut if_depth = 0usize;
    let mut pending = Vec::new();
    let mut tool_objects = Vec::new();
    walk(tree, |node, parent, entering| {
        let kind = node.kind();
        if kind == "if_statement" {
            if entering {
                if_depth += 1;
            } else {
                if_depth -= 1;
            }
        }
        if entering {
            typescript_flow::statement(node, source, &mut facts);
        }
        if is_scope(kind) {
            if entering {
                record_function(&mut facts, node, parent, source);
                scope_depth += 1;
            } else {
                scope_depth -= 1;
            }
            return;
        }
        if !entering {
            if typescript_class::is_class(kind) {
                typescript_class::lower(node, source, &mut facts);
            }
            return;
        }
        match kind {
            "string" | "template_string" => {
                let (value, _) = string_value(node, source);
                facts.strings.push(StringLit {
                    value,
                    span: span(node),
                    target: parent.and_then(|p| string_target(node, p, source)),
                });
            }
            "binary_expression" => {
                let op = node.field("operator").map(|o| o.kind());
                if let (Some(op @ ("==" | "===" | "!=" | "!==")), Some(left), Some(right)) =
                    (op, node.field("left"), node.field("right"))
                {
                    facts.comparisons.push(crate::facts::Comparison {
                        op: op.to_string(),
                        left: span(left),
                        right: span(right),
                        span: span(node),
                    });
                }
            }
            "call_expression" | "new_expression" => {
                if let Some(call) = lower_call(node, source, 0) {
                    push_require(&mut facts, &call, parent, source);
                    facts.calls.push(call);
                    pending.push(typescript_mcp::PendingCall {
                        call_index: facts.calls.len() - 1,
                        conditional: if_depth > 0,
                    });
                }
            }
            "variable_declarator" => {
                push_require_member(&mut facts, node, source);
                if let (Some(name), Some(value)) = (node.field("name"), node.field("value"))
                    && name.kind() == "identifier"
                {
                    facts.bindings.push(Binding {
                        name: text(name, source).to_string(),
                        value: lower_expr(value, source, 0),
                        span: span(node),
                        top_level: scope_depth == 0,
                    });
                }
            }
            "assignment_expression" => {
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
            "import_statement" => push_imports(&mut facts, node, source),
            "export_statement" => push_exports(&mut facts, node, source, scope_depth == 0),
            // `case "get_stock":` → that case handles tool `get_stock`.
            "switch_case" => {
                if let Some(value) = node.field("value")
                    && value.kind() == "string"
                {
                    facts
                        .dispatch
                        .push((string_value(value, source).0, span(node)));
                } else {
                    typescript_decls::named_case(&mut facts, node, source);
                }
            }
            "class_declaration" | "abstract_class_declaration" => {
                typescript_decls::class_binding(&mut facts, node, source, scope_depth == 0)
            }
            "enum_declaration" => {
                typescript_decls::enum_binding(&mut facts, node, source, scope_depth == 0)
            }
            // `if (name === "get_stock") {…}`
            "if_statement" => {
                let condition = node.field("condition").and_then(|c| {
                    if c.kind() == "parenthesized_expression" {
                        c.named_child(0)
                    } else {
                        Some(c)
                    }
                });
                if let (Some(condition), Some(consequence)) = (condition, node.field("consequence"))
                    && condition.kind() == "binary_expression"
                    && let Some(right) = condition.field("right")
                    && right.kind() == "string"
                {
                    facts
                        .dispatch
                        .push((string_value(right, source).0, span(consequence)));
                }
                typescript_decls::named_if(&mut facts, node, source);
            }
            // `{ name, description, inputSchema }`: a tool of a low-level server.
            "object" if has_key(node, source, "inputSchema") && has_key(node, source, "name") => {
                tool_objects.push(lower_expr(node, source, 0));
            }
            _ => {}
        }
    });
    typescript_mcp::finish(&mut facts, pending, tool_objects);
    facts.link_dispatch_handlers();
    facts
}

/// Records a function, arrow function or method with its name and parameters.
fn record_function(facts: &mut FileFacts, node: Node<'_>, parent: Option<Node<'_>>, source: &str) {
    if node.kind() == "class_body" {
        return;
    }
    let name = node
        .field("name")
        .or_else(|| {
            // `const handler = async (...) => {...}`
            parent
                .filter(|p| p.kind() == "variable_declarator")
                .and_then(|p| p.field("name"))
        })
        .map(|n| text(n, source).to_string());
    let mut params = Vec::new();
    if let Some(list) = node.field("parameters") {
        // Depth first, in source order; only the names a parameter binds
        // (not its type or its default value).
        let mut stack: Vec<Node<'_>> = {
            let mut cursor = list.walk();
            list.named_children(&mut cursor).collect()
        };
        stack.reverse();
        while let Some(current) = stack.pop() {
            if params.len() > 64 {
                break;
            }
            let next: Vec<Node<'_>> = match current.kind() {
                "identifier" | "shorthand_property_identifier_pattern" => {
                    params.push(text(current, source).to_string());
                    continue;
                }
                "type_annotation" | "comment" => continue,
                "required_parameter" | "optional_parameter" => {
                    current.field("pattern").into_iter().collect()
                }
                "assignment_pattern" | "object_assignment_pattern" => {
                    current.field("left").into_iter().collect()
                }
                "pair_pattern" => current.field("value").into_iter().collect(),
                _ => {
                    let mut cursor = current.walk();
                    current.named_children(&mut cursor).collect()
                }
            };
            stack.extend(next.into_iter().rev());
        }
    } else if let Some(single) = node.field("parameter") {
        params.push(text(single, source).to_string());
    }
    facts.functions.push(Function {
        name,
        span: span(node),
        params,
    });
    typescript_flow::signature(node, source, facts);
}

fn has_key(object: Node<'_>, source: &str, key: &str) -> bool {
    let mut cursor = object.walk();
    object
        .named_children(&mut cursor)
        .any(|member| match member.kind() {
            "pair" => member
                .field("key")
                .is_some_and(|k| key_text(k, source) == key),
            "shorthand_property_identifier" => text(member, source) == key,
            _ => false,
        })
}

fn is_scope(kind: &str) -> bool {
    matches!(
        kind,
        "function_declaration"
            | "function_expression"
            | "function"
            | "arrow_function"
            | "method_definition"
            | "generator_function_declaration"
            | "class_body"
    )
}

/// The text of a string or template literal, and whether it had substitutions.
pub(super) fn string_value(node: Node<'_>, source: &str) -> (String, bool) {
    let (text, parts) = string_parts(node, source, super::tree::NO_DESCENT);
    (text, !parts.is_empty())
}

/// The text (`{}` for each substitution) and the substituted expressions.
fn string_parts(node: Node<'_>, source: &str, depth: usize) -> (String, Vec<Expr>) {
    let mut value = String::new();
    let mut substituted = Vec::new();
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        match child.kind() {
            "string_fragment" => value.push_str(text(child, source)),
            "escape_sequence" => decode_escape(text(child, source), &mut value),
            "template_substitution" => {
                value.push_str("{}");
                substituted.push(match child.named_child(0) {
                    Some(inner) => lower_expr(inner, source, depth + 1),
                    None => Expr {
                        span: span(child),
                        value: Value::Other,
                    },
                });
            }
            _ => {}
        }
    }
    (value, substituted)
}

fn string_target(node: Node<'_>, parent: Node<'_>, source: &str) -> Option<String> {
    let is_value = |field: &'static str| parent.field(field) == Some(node);
    match parent.kind() {
        "variable_declarator" if is_value("value") => {
            Some(text(parent.field("name")?, source).to_string())
        }
        "assignment_expression" if is_value("right") => {
            let left = parent.field("left")?;
            dotted_name(left, source).or_else(|| subscript_key(left, source))
        }
        "pair" if is_value("value") => Some(key_text(parent.field("key")?, source)),
        "public_field_definition" | "field_definition" if is_value("value") => {
            let name = parent.field("name").or_else(|| parent.field("property"))?;
            Some(key_text(name, source))
        }
        "assignment_pattern" if is_value("right") => {
            Some(text(parent.field("left")?, source).to_string())
        }
        "required_parameter" | "optional_parameter" if is_value("value") => {
            Some(text(parent.field("pattern")?, source).to_string())
        }
        _ => None,
    }
}

fn key_text(key: Node<'_>, source: &str) -> String {
    match key.kind() {
        "string" => string_value(key, source).0,
        _ => text(key, source).to_string(),
    }
}

/// `process.env["API_KEY"]` as an assignment target → `API_KEY`.
fn subscript_key(node: Node<'_>, source: &str) -> Option<String> {
    if node.kind() != "subscript_expression" {
        return None;
    }
    let index = node.field("index")?;
    (index.kind() == "string").then(|| string_value(index, source).0)
}

/// `a`, `a.b.c`, `this.x` — a name path, when the node is one. Iterative and
/// capped, so that a 30,000-link chain cannot exhaust the stack.
pub(super) fn dotted_name(node: Node<'_>, source: &str) -> Option<String> {
    const MAX_SEGMENTS: usize = 64;
    let mut segments = Vec::new();
    let mut current = node;
    loop {
        match current.kind() {
            "identifier" | "this" | "property_identifier" | "shorthand_property_identifier" => {
                segments.push(text(current, source));
                break;
            }
            "member_expression" => {
                segments.push(text(current.field("property")?, source));
                current = current.field("object")?;
            }
            "non_null_expression" | "parenthesized_expression" => {
                current = current.named_child(0)?;
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
    let mut function = node
        .field("function")
        .or_else(|| node.field("constructor"))?;
    // `(server.registerTool as RegisterFn)(…)`: a cast changes nothing about the callee.
    while matches!(
        function.kind(),
        "parenthesized_expression" | "as_expression" | "satisfies_expression"
    ) {
        match function.named_child(0) {
            Some(inner) => function = inner,
            None => break,
        }
    }
    let mut receiver = None;
    let callee = match dotted_name(function, source) {
        Some(name) => name,
        // A method on a complex receiver: `http.createServer(app).listen(...)`.
        None if function.kind() == "member_expression" => {
            let property = function.field("property")?;
            receiver = function
                .field("object")
                .map(|o| Box::new(lower_expr(o, source, depth + 1)));
            format!("<expr>.{}", text(property, source))
        }
        None => return None,
    };
    let mut args = Vec::new();
    if let Some(list) = node.field("arguments") {
        let mut cursor = list.walk();
        for arg in list.named_children(&mut cursor) {
            if arg.kind() == "comment" {
                continue;
            }
            args.push(Arg {
                name: None,
                value: lower_expr(arg, source, depth + 1),
            });
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
        "string" | "template_string" => match string_parts(node, source, depth) {
            (s, parts) if parts.is_empty() => Value::Str(s),
            (s, parts) => Value::Template(s, parts),
        },
        "regex" => Value::Regex(
            node.field("pattern")
                .map(|p| text(p, source).to_string())
                .unwrap_or_default(),
        ),
        "number" => Value::Number(text(node, source).to_string()),
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "null" | "undefined" => Value::Null,
        "identifier" | "this" => Value::Name(text(node, source).to_string()),
        "member_expression" => match dotted_name(node, source) {
            Some(name) => match name.strip_prefix("process.env.") {
                Some(var) => Value::EnvLookup {
                    var: Some(var.to_string()),
                    default: None,
                },
                None => Value::Name(name),
            },
            None => match (node.field("object"), node.field("property")) {
                (Some(object), Some(property)) => Value::Member(
                    Box::new(lower_expr(object, source, depth + 1)),
                    text(property, source).to_string(),
                ),
                _ => Value::Other,
            },
        },
        "subscript_expression" => {
            let object = node.field("object").and_then(|o| dotted_name(o, source));
            let index = node.field("index");
            match (object.as_deref(), index) {
                (Some("process.env"), Some(index)) => Value::EnvLookup {
                    var: (index.kind() == "string").then(|| string_value(index, source).0),
                    default: None,
                },
                _ => typescript_flow::operator(node, source, depth).unwrap_or(Value::Other),
            }
        }
        // Types change nothing about the data: `x as T`, `x!`, `<T>x`, `(x)`.
        "parenthesized_expression"
        | "as_expression"
        | "satisfies_expression"
        | "non_null_expression"
        | "type_assertion"
        | "sequence_expression" => {
            let mut cursor = node.walk();
            let children: Vec<Node<'_>> = node
                .named_children(&mut cursor)
                .filter(|c| c.kind() != "comment")
                .collect();
            // `<T>x` puts the type first; a sequence `(a, b)` is its last part.
            let inner = match node.kind() {
                "type_assertion" | "sequence_expression" => children.last(),
                _ => children.first(),
            };
            match inner {
                Some(inner) => expr_value(*inner, source, depth + 1),
                None => Value::Other,
            }
        }
        "array" => {
            let mut cursor = node.walk();
            Value::Array(
                node.named_children(&mut cursor)
                    .filter(|c| c.kind() != "comment")
                    .map(|c| lower_expr(c, source, depth + 1))
                    .collect(),
            )
        }
        "object" => {
            let mut cursor = node.walk();
            let pairs = node
                .named_children(&mut cursor)
                .filter_map(|member| match member.kind() {
                    "pair" => {
                        let key = member.field("key")?;
                        let value = member.field("value")?;
                        Some((key_text(key, source), lower_expr(value, source, depth + 1)))
                    }
                    "shorthand_property_identifier" => {
                        let name = text(member, source).to_string();
                        Some((
                            name.clone(),
                            Expr {
                                span: span(member),
                                value: Value::Name(name),
                            },
                        ))
                    }
                    // `{ ...process.env, X: "1" }`
                    "spread_element" => typescript_flow::spread_pair(member, source, depth),
                    // `{ async handler(params) {…} }`: a function-valued key,
                    // like `handler: async (params) => {…}`.
                    "method_definition" => method_pair(member, source),
                    _ => None,
                })
                .collect();
            Value::Object(pairs)
        }
        "arrow_function" | "function_expression" | "function" => Value::Function,
        "call_expression" | "new_expression" => match lower_call(node, source, depth) {
            Some(call) => Value::Call(Box::new(call)),
            None => Value::Other,
        },
        // `process.env.HOST ?? "0.0.0.0"`, `process.env.HOST || "0.0.0.0"`
        "binary_expression" => {
            let operator = node.field("operator").map(|o| o.kind());
            let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else {
                return Value::Other;
            };
            let left_value = match operator {
                Some("??" | "||" | "+") => expr_value(left, source, depth + 1),
                _ => return typescript_flow::operator(node, source, depth).unwrap_or(Value::Other),
            };
            match (operator, left_value) {
                (Some("??" | "||"), Value::EnvLookup { var, default: None }) => Value::EnvLookup {
                    var,
                    default: Some(Box::new(lower_expr(right, source, depth + 1))),
                },
                (Some("+"), left_value) => concat(
                    Expr {
                        span: span(left),
                        value: left_value,
                    },
                    lower_expr(right, source, depth + 1),
                ),
                (_, left_value) => Value::Op(
                    operator.unwrap_or("||").to_string(),
                    vec![
                        Expr {
                            span: span(left),
                            value: left_value,
                        },
                        lower_expr(right, source, depth + 1),
                    ],
                ),
            }
        }
        _ => typescript_flow::operator(node, source, depth).unwrap_or(Value::Other),
    }
}

/// A method of an object literal as a key whose value is the function
/// (whose span is the method's, as recorded in `functions`).
fn method_pair(member: Node<'_>, source: &str) -> Option<(String, Expr)> {
    let name = member.field("name")?;
    Some((
        key_text(name, source),
        Expr {
            span: span(member),
            value: Value::Function,
        },
    ))
}

/// `const x = require("mod")` → an import of `mod` bound to `x`;
/// `const { exec, spawn: run } = require("child_process")` → one import per
/// name, like `import { exec, spawn as run } from "child_process"`.
fn push_require(facts: &mut FileFacts, call: &Call, parent: Option<Node<'_>>, source: &str) {
    if call.callee != "require" {
        return;
    }
    let Some(module) = call.positional().next().and_then(Expr::str_value) else {
        return;
    };
    let pattern = parent
        .filter(|p| p.kind() == "variable_declarator")
        .and_then(|p| p.field("name"));
    if let Some(pattern) = pattern
        && pattern.kind() == "object_pattern"
    {
        let mut cursor = pattern.walk();
        for member in pattern.named_children(&mut cursor) {
            let (name, local) = match member.kind() {
                "shorthand_property_identifier_pattern" => (member, member),
                "object_assignment_pattern" => match member.field("left") {
                    Some(left) => (left, left),
                    None => continue,
                },
                "pair_pattern" => match (member.field("key"), member.field("value")) {
                    (Some(key), Some(value)) if value.kind() == "identifier" => (key, value),
                    _ => continue,
                },
                _ => continue,
            };
            facts.imports.push(Import {
                module: module.to_string(),
                name: Some(key_text(name, source)),
                local: text(local, source).to_string(),
                span: span(member),
            });
        }
        return;
    }
    let local = pattern
        .filter(|p| p.kind() == "identifier")
        .map(|n| text(n, source).to_string())
        .unwrap_or_default();
    facts.imports.push(Import {
        module: module.to_string(),
        name: None,
        local,
        span: call.span,
    });
}

/// `const fsp = require("fs").promises` → an import of `promises` from `fs`.
fn push_require_member(facts: &mut FileFacts, declarator: Node<'_>, source: &str) {
    let (Some(name), Some(value)) = (declarator.field("name"), declarator.field("value")) else {
        return;
    };
    if name.kind() != "identifier" || value.kind() != "member_expression" {
        return;
    }
    let (Some(object), Some(property)) = (value.field("object"), value.field("property")) else {
        return;
    };
    if object.kind() != "call_expression"
        || object
            .field("function")
            .is_none_or(|f| text(f, source) != "require")
    {
        return;
    }
    let module = object
        .field("arguments")
        .and_then(|a| a.named_child(0))
        .filter(|m| m.kind() == "string")
        .map(|m| string_value(m, source).0);
    if let Some(module) = module {
        facts.imports.push(Import {
            module,
            name: Some(text(property, source).to_string()),
            local: text(name, source).to_string(),
            span: span(declarator),
        });
    }
}

/// Re-exports are imports the module passes on: `export * from "./a"`
/// (local `*`: every name of `./a`), `export * as ns from "./a"`,
/// `export { x, y as z } from "./a"`. A local alias `export { x as y }` and
/// `export default name` bind the exported name to the local one, so the
/// project layer resolves `import y from` / `import { y }` to `x`.
fn push_exports(facts: &mut FileFacts, node: Node<'_>, source: &str, top_level: bool) {
    let module = node.field("source").map(|s| string_value(s, source).0);
    let mut cursor = node.walk();
    let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
    let export_clause = children.iter().find(|c| c.kind() == "export_clause");
    match (&module, export_clause) {
        (Some(module), Some(clause)) => {
            let mut cursor = clause.walk();
            for spec in clause
                .named_children(&mut cursor)
                .filter(|c| c.kind() == "export_specifier")
            {
                let Some(name) = spec.field("name") else {
                    continue;
                };
                let local = spec.field("alias").unwrap_or(name);
                facts.imports.push(Import {
                    module: module.clone(),
                    name: Some(text(name, source).to_string()),
                    local: text(local, source).to_string(),
                    span: span(spec),
                });
            }
        }
        (Some(module), None) => {
            // `export * as ns from "m"` names the namespace; `export * from "m"` does not.
            let local = children
                .iter()
                .find(|c| c.kind() == "namespace_export")
                .and_then(|n| n.named_child(0))
                .map(|n| text(n, source).to_string())
                .unwrap_or_else(|| "*".to_string());
            facts.imports.push(Import {
                module: module.clone(),
                name: None,
                local,
                span: span(node),
            });
        }
        (None, Some(clause)) => {
            let mut cursor = clause.walk();
            for spec in clause
                .named_children(&mut cursor)
                .filter(|c| c.kind() == "export_specifier")
            {
                if let (Some(name), Some(alias)) = (spec.field("name"), spec.field("alias")) {
                    facts.bindings.push(Binding {
                        name: text(alias, source).to_string(),
                        value: lower_expr(name, source, 0),
                        span: span(spec),
                        top_level,
                    });
                }
            }
        }
        (None, None) => {
            let is_default = children.iter().any(|c| c.kind() == "default")
                || text(node, source).starts_with("export default");
            if !is_default {
                return;
            }
            // `export default name`, `export default async (args) => …`;
            // `export default function run() {}` binds `default` to `run`.
            let value = node.field("value").or_else(|| node.field("declaration"));
            let Some(value) = value else {
                return;
            };
            let value = match value.field("name") {
                Some(name) if value.kind().contains("declaration") => lower_expr(name, source, 0),
                _ => lower_expr(value, source, 0),
            };
            facts.bindings.push(Binding {
                name: "default".to_string(),
                value,
                span: span(node),
                top_level,
            });
        }
    }
}

fn push_imports(facts: &mut FileFacts, node: Node<'_>, source: &str) {
    // `import fs = require("fs")`
    let mut cursor = node.walk();
    let require_clause = node
        .named_children(&mut cursor)
        .find(|c| c.kind() == "import_require_clause");
    if let Some(clause) = require_clause
        && let (Some(local), Some(module)) = (
            clause.named_child(0).filter(|n| n.kind() == "identifier"),
            clause.field("source"),
        )
    {
        facts.imports.push(Import {
            module: string_value(module, source).0,
            name: None,
            local: text(local, source).to_string(),
            span: span(clause),
        });
        return;
    }
    let Some(module) = node.field("source").map(|s| string_value(s, source).0) else {
        return;
    };
    let mut stack = vec![node];
    let mut found = false;
    while let Some(current) = stack.pop() {
        let mut cursor = current.walk();
        for child in current.named_children(&mut cursor) {
            match child.kind() {
                "import_clause" | "named_imports" => stack.push(child),
                // `import X from "m"`
                "identifier" if current.kind() == "import_clause" => {
                    found = true;
                    facts.imports.push(Import {
                        module: module.clone(),
                        name: Some("default".to_string()),
                        local: text(child, source).to_string(),
                        span: span(child),
                    });
                }
                // `import * as m from "m"`
                "namespace_import" => {
                    found = true;
                    let local = child
                        .named_child(0)
                        .map(|n| text(n, source).to_string())
                        .unwrap_or_default();
                    facts.imports.push(Import {
                        module: module.clone(),
                        name: None,
                        local,
                        span: span(child),
                    });
                }
                // `import { a as b } from "m"`
                "import_specifier" => {
                    found = true;
                    let Some(name) = child.field("name") else {
                        continue;
                    };
                    let local = child.field("alias").unwrap_or(name);
                    facts.imports.push(Import {
                        module: module.clone(),
                        name: Some(text(name, source).to_string()),
                        local: text(local, source).to_string(),
                        span: span(child),
                    });
                }
                _ => {}
            }
        }
    }
    if !found {
        // `import "m"` for its side effects.
        facts.imports.push(Import {
            module,
            name: None,
            local: String::new(),
            span: span(node),
        });
    }
}
