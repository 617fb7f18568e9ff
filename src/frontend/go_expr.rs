//! Go expressions lowered into `Expr`: literals, name paths, calls,
//! composite literals, `fmt.Sprintf` templates and environment lookups.
//!
//! The forms follow the other frontends so that rules and the taint engine
//! read Go without knowing it:
//! - `pkg.Func(a, b)` and `x.Method(a)` are calls with a name-path callee; a
//!   method on anything else (`f().Run()`) is `<expr>.Run` with a receiver;
//! - a struct literal `&mcp.Tool{Name: "x"}` is a call of its type with keyed
//!   arguments (it is Go's constructor: `Tool(name="x")` in Python), recorded
//!   among the file's calls; slice and map literals are arrays and objects;
//! - `fmt.Sprintf("%s/%d", a, b)` with a literal format is a template
//!   (`{}/{}`), as an f-string or a template literal is;
//! - `os.Getenv("X")` / `os.LookupEnv` are environment lookups;
//! - conversions and type assertions (`string(b)`, `[]byte(s)`,
//!   `args["p"].(string)`) are the value they convert: data flows through.

use tree_sitter::Node;

use super::concat;
use super::tree::{FieldExt, MAX_EXPR_DEPTH, cut_by_limit, span, text};
use crate::facts::{Arg, Call, Expr, Value};

/// Callees that read one environment variable.
const ENV_LOOKUPS: &[&str] = &["os.Getenv", "os.LookupEnv", "syscall.Getenv"];

/// Builtin conversions written as calls (`string(b)`): the value converted.
const CONVERSIONS: &[&str] = &[
    "string", "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32",
    "uint64", "float32", "float64", "bool", "byte", "rune", "any",
];

pub(super) fn lower_expr(node: Node<'_>, source: &str, depth: usize) -> Expr {
    Expr {
        span: span(node),
        value: expr_value(node, source, depth),
    }
}

fn expr_value(node: Node<'_>, source: &str, depth: usize) -> Value {
    if depth > MAX_EXPR_DEPTH {
        if cut_by_limit(depth) {
            super::limits::reached(super::tree::EXPR_DEPTH_LIMIT, span(node));
        }
        return Value::Other;
    }
    let lower = |n: Node<'_>| lower_expr(n, source, depth + 1);
    match node.kind() {
        "interpreted_string_literal" | "raw_string_literal" => {
            Value::Str(string_value(node, source))
        }
        "int_literal" | "float_literal" | "imaginary_literal" => {
            Value::Number(text(node, source).to_string())
        }
        "rune_literal" => Value::Str(rune_value(node, source)),
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "nil" => Value::Null,
        "identifier" | "field_identifier" | "package_identifier" | "type_identifier" => {
            Value::Name(text(node, source).to_string())
        }
        "selector_expression" => match dotted_name(node, source) {
            Some(name) => Value::Name(name),
            None => match (node.field("operand"), node.field("field")) {
                (Some(operand), Some(field)) => {
                    Value::Member(Box::new(lower(operand)), text(field, source).to_string())
                }
                _ => Value::Other,
            },
        },
        "parenthesized_expression" => match node.named_child(0) {
            Some(inner) => expr_value(inner, source, depth + 1),
            None => Value::Other,
        },
        "binary_expression" => binary(node, source, depth),
        "unary_expression" => {
            let (Some(operator), Some(operand)) = (node.field("operator"), node.field("operand"))
            else {
                return Value::Other;
            };
            Value::Op(text(operator, source).to_string(), vec![lower(operand)])
        }
        "call_expression" => match lower_call(node, source, depth) {
            Some(call) => call_value(call),
            None => Value::Other,
        },
        "composite_literal" => composite(node, source, depth),
        "func_literal" => Value::Function,
        "index_expression" => {
            let mut operands = Vec::new();
            operands.extend(node.field("operand").map(lower));
            operands.extend(node.field("index").map(lower));
            Value::Op("[]".to_string(), operands)
        }
        // `s[1:]` keeps what `s` holds.
        "slice_expression" => {
            let operands = node.field("operand").map(lower).into_iter().collect();
            Value::Op("[]".to_string(), operands)
        }
        "type_assertion_expression" | "type_conversion_expression" => match node.field("operand") {
            Some(operand) => expr_value(operand, source, depth + 1),
            None => Value::Other,
        },
        _ => Value::Other,
    }
}

fn binary(node: Node<'_>, source: &str, depth: usize) -> Value {
    let (Some(left), Some(operator), Some(right)) = (
        node.field("left"),
        node.field("operator"),
        node.field("right"),
    ) else {
        return Value::Other;
    };
    let left = lower_expr(left, source, depth + 1);
    let right = lower_expr(right, source, depth + 1);
    match text(operator, source) {
        "+" => concat(left, right),
        op => Value::Op(op.to_string(), vec![left, right]),
    }
}

/// A call's value: an environment lookup, a conversion, a `Sprintf`
/// template or the call itself.
fn call_value(call: Call) -> Value {
    if ENV_LOOKUPS.contains(&call.callee.as_str()) {
        return Value::EnvLookup {
            var: call
                .args
                .first()
                .and_then(|a| a.value.str_value())
                .map(str::to_string),
            default: None,
        };
    }
    if CONVERSIONS.contains(&call.callee.as_str()) && call.args.len() == 1 {
        if let Some(arg) = call.args.into_iter().next() {
            return arg.value.value;
        }
        return Value::Other;
    }
    if matches!(call.callee.as_str(), "fmt.Sprintf" | "fmt.Errorf")
        && let Some(template) = sprintf_template(&call)
    {
        return template;
    }
    Value::Call(Box::new(call))
}

/// `fmt.Sprintf("rm -rf %s", dir)` → `Template("rm -rf {}", [dir])`. Only
/// when the format is a literal and its verbs match the arguments.
fn sprintf_template(call: &Call) -> Option<Value> {
    let (format, rest) = call.args.split_first()?;
    let format = format.value.str_value()?;
    let mut text = String::with_capacity(format.len());
    let mut verbs = 0usize;
    // Which substitutions are formatted as numbers or booleans (`%d`,
    // `%t`, `%x`…): no text of theirs reaches the result.
    let mut inert = Vec::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            text.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            text.push('%');
            continue;
        }
        // Flags, width and precision, then the verb letter.
        let mut verb = None;
        while let Some(&next) = chars.peek() {
            chars.next();
            if next.is_ascii_alphabetic() {
                verb = Some(next);
                break;
            }
        }
        inert.push(verb.is_some_and(|v| "dbotxXeEfFgGcU".contains(v)));
        text.push_str("{}");
        verbs += 1;
    }
    (verbs == rest.len()).then(|| {
        let parts = rest
            .iter()
            .zip(inert)
            .map(|(a, inert)| match inert {
                true => Expr {
                    span: a.value.span,
                    value: Value::Other,
                },
                false => a.value.clone(),
            })
            .collect();
        Value::Template(text, parts)
    })
}

/// `a`, `a.b.c` when the node is a plain name path (capped, iterative).
pub(super) fn dotted_name(node: Node<'_>, source: &str) -> Option<String> {
    const MAX_SEGMENTS: usize = 64;
    let mut segments = Vec::new();
    let mut current = node;
    loop {
        match current.kind() {
            "identifier" | "package_identifier" | "field_identifier" | "type_identifier" => {
                segments.push(text(current, source));
                break;
            }
            "selector_expression" => {
                segments.push(text(current.field("field")?, source));
                current = current.field("operand")?;
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
        None if function.kind() == "selector_expression" => {
            let field = function.field("field")?;
            receiver = function
                .field("operand")
                .map(|o| Box::new(lower_expr(o, source, depth + 1)));
            format!("<expr>.{}", text(field, source))
        }
        // `handler(ctx)(req)`, `(*T).M`: no name to match.
        _ => return None,
    };
    let mut args = Vec::new();
    if let Some(list) = node.field("arguments") {
        let mut cursor = list.walk();
        for arg in list.named_children(&mut cursor) {
            match arg.kind() {
                "comment" => {}
                // `append(xs, ys...)`: the spread flows in under a name that
                // leaves the positional indexes alone, as Python's `*args`.
                "variadic_argument" => {
                    if let Some(inner) = arg.named_child(0) {
                        args.push(Arg {
                            name: Some("*".to_string()),
                            value: lower_expr(inner, source, depth + 1),
                        });
                    }
                }
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

/// The type a composite literal builds, when it is a struct (a name or a
/// qualified name, possibly generic): `mcp.Tool`, `Config`.
pub(super) fn struct_type(node: Node<'_>, source: &str) -> Option<String> {
    let ty = node.field("type")?;
    let ty = if ty.kind() == "generic_type" {
        ty.field("type")?
    } else {
        ty
    };
    match ty.kind() {
        "type_identifier" => Some(text(ty, source).to_string()),
        "qualified_type" => Some(format!(
            "{}.{}",
            text(ty.field("package")?, source),
            text(ty.field("name")?, source)
        )),
        _ => None,
    }
}

/// `T{…}` as a call of `T` (see the module comment); `[]T{…}` as an array;
/// `map[K]V{…}` as an object.
fn composite(node: Node<'_>, source: &str, depth: usize) -> Value {
    match struct_literal(node, source, depth) {
        Some(call) => Value::Call(Box::new(call)),
        None => match node.field("body") {
            Some(body) => literal_value(body, source, depth, node.field("type")),
            None => Value::Other,
        },
    }
}

/// A struct literal as the call of its type.
pub(super) fn struct_literal(node: Node<'_>, source: &str, depth: usize) -> Option<Call> {
    let ty = node.field("type")?;
    let callee = struct_type(node, source)?;
    let body = node.field("body")?;
    let mut args = Vec::new();
    let mut cursor = body.walk();
    for element in body.named_children(&mut cursor) {
        match element.kind() {
            "keyed_element" => {
                let (Some(key), Some(value)) = (element.field("key"), element.field("value"))
                else {
                    continue;
                };
                args.push(Arg {
                    name: Some(text(key, source).trim().to_string()),
                    value: element_value(value, source, depth + 1),
                });
            }
            "literal_element" => args.push(Arg {
                name: None,
                value: element_value(element, source, depth + 1),
            }),
            _ => {}
        }
    }
    Some(Call {
        callee,
        args,
        span: span(node),
        callee_span: span(ty),
        receiver: None,
    })
}

/// A `literal_element`: an expression, or a nested literal whose type is
/// implied by the outer one (`[]mcp.Tool{{Name: "x"}}`).
fn element_value(node: Node<'_>, source: &str, depth: usize) -> Expr {
    let inner = if node.kind() == "literal_element" {
        node.named_child(0).unwrap_or(node)
    } else {
        node
    };
    if inner.kind() == "literal_value" {
        return Expr {
            span: span(inner),
            value: literal_value(inner, source, depth + 1, None),
        };
    }
    lower_expr(inner, source, depth + 1)
}

/// The elements of `{…}`: keyed ones make an object (map literals, nested
/// struct literals without their type), the others an array.
fn literal_value(body: Node<'_>, source: &str, depth: usize, ty: Option<Node<'_>>) -> Value {
    if depth > MAX_EXPR_DEPTH {
        return Value::Other;
    }
    let is_map = ty.is_some_and(|t| t.kind() == "map_type");
    let mut keyed = Vec::new();
    let mut items = Vec::new();
    let mut cursor = body.walk();
    for element in body.named_children(&mut cursor) {
        match element.kind() {
            "keyed_element" => {
                let (Some(key), Some(value)) = (element.field("key"), element.field("value"))
                else {
                    continue;
                };
                let key_expr = element_value(key, source, depth + 1);
                let key_text = key_expr
                    .str_value()
                    .map(str::to_string)
                    .unwrap_or_else(|| text(key, source).trim().to_string());
                keyed.push((key_text, element_value(value, source, depth + 1)));
            }
            "literal_element" => items.push(element_value(element, source, depth + 1)),
            _ => {}
        }
    }
    if is_map || !keyed.is_empty() {
        Value::Object(keyed)
    } else {
        Value::Array(items)
    }
}

/// The text of a Go string literal: escapes decoded in `"…"`, raw in `` `…` ``.
pub(super) fn string_value(node: Node<'_>, source: &str) -> String {
    super::go_strings::unquote(text(node, source))
}

fn rune_value(node: Node<'_>, source: &str) -> String {
    let inner = text(node, source)
        .trim_start_matches('\'')
        .trim_end_matches('\'');
    super::go_strings::decode_interpreted(inner)
}
