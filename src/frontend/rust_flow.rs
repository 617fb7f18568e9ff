//! Data flow of Rust function bodies, for the taint engine: the names a
//! pattern binds, the targets of an assignment, whether a branch always
//! leaves, the value of operator / `if` / `match` / block expressions
//! (`Value::Op`), and macros whose arguments are data (`format!`-style
//! templates, `vec!`). The statements themselves are pushed by the visitor
//! in `rust.rs`, in source order.
//!
//! Nothing here recurses without a bound: expressions stop at
//! `MAX_EXPR_DEPTH`, patterns and assignment targets use an explicit stack,
//! and "does this branch always leave" stops at `MAX_NESTING`.

use proc_macro2::TokenStream;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{BinOp, Block, Expr as SynExpr, Lit, Pat, Token, UnOp};

use super::rust::{MAX_NESTING, expr_path, lower_expr, path_string, to_span};
use crate::facts::{Arg, Call, Expr, Value};
use crate::finding::Span;
use crate::frontend::tree::MAX_EXPR_DEPTH;

/// The names a pattern binds, in source order: `x`, `(a, b)`, `Some(p)`,
/// `Parameters(Req { path, .. })`, `ref mut x`, `x @ Some(_)`. Names
/// starting with an upper-case letter are constants or unit variants
/// (`None`, `MAX`), not bindings; `_` binds nothing.
pub(super) fn pattern_names(pat: &Pat) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![pat];
    while let Some(pat) = stack.pop() {
        match pat {
            Pat::Ident(ident) => {
                let name = ident.ident.to_string();
                if !name.starts_with(|c: char| c.is_uppercase()) {
                    out.push(name);
                }
                if let Some((_, sub)) = &ident.subpat {
                    stack.push(sub);
                }
            }
            Pat::Type(typed) => stack.push(&typed.pat),
            Pat::Reference(reference) => stack.push(&reference.pat),
            Pat::Paren(paren) => stack.push(&paren.pat),
            Pat::Guard(guard) => stack.push(&guard.pat),
            Pat::Tuple(tuple) => stack.extend(tuple.elems.iter().rev()),
            Pat::TupleStruct(tuple) => stack.extend(tuple.elems.iter().rev()),
            Pat::Slice(slice) => stack.extend(slice.elems.iter().rev()),
            Pat::Struct(strukt) => stack.extend(strukt.fields.iter().rev().map(|f| &*f.pat)),
            // Every alternative binds the same names.
            Pat::Or(or) => stack.extend(or.cases.first()),
            _ => {}
        }
    }
    out
}

/// The targets of `left = …`: `x`, `self.root`, `*x`, `(a, b)`; `x[i] = …`
/// updates part of `x`, which keeps its old value (augmented).
pub(super) fn assign_targets(left: &SynExpr) -> (Vec<String>, bool) {
    let mut targets = Vec::new();
    let mut augmented = false;
    let mut stack = vec![left];
    while let Some(expr) = stack.pop() {
        match expr {
            SynExpr::Paren(paren) => stack.push(&paren.expr),
            SynExpr::Group(group) => stack.push(&group.expr),
            SynExpr::Index(index) => {
                augmented = true;
                stack.push(&index.expr);
            }
            SynExpr::Unary(unary) if matches!(unary.op, UnOp::Deref(_)) => stack.push(&unary.expr),
            SynExpr::Tuple(tuple) => stack.extend(tuple.elems.iter().rev()),
            SynExpr::Array(array) => stack.extend(array.elems.iter().rev()),
            other => targets.extend(expr_path(other)),
        }
    }
    (targets, augmented)
}

/// The span of a block, braces included.
pub(super) fn block_span(block: &Block) -> Span {
    to_span(block.brace_token.span.join())
}

/// The span of an `else` branch: a block, or an `else if` chain up to its
/// last block (walked without tokenizing it, which would be quadratic).
pub(super) fn else_span(orelse: &SynExpr) -> Span {
    let SynExpr::If(first) = orelse else {
        return to_span(orelse.span());
    };
    let start = to_span(first.if_token.span).start;
    let mut last = first;
    loop {
        match last.else_branch.as_ref().map(|(_, e)| &**e) {
            Some(SynExpr::If(next)) => last = next,
            Some(SynExpr::Block(block)) => return Span::new(start, block_span(&block.block).end),
            _ => return Span::new(start, block_span(&last.then_branch).end),
        }
    }
}

/// An empty span at `offset`.
pub(super) fn empty_at(offset: usize) -> Span {
    Span::new(offset, offset)
}

/// Does this block always leave the enclosing function or loop: its last
/// statement returns, continues, breaks, is an `Err(..)` result, exits the
/// process or panics (also when every branch of a final `if`/`match` does)?
pub(super) fn block_exits(block: &Block) -> bool {
    block_exits_at(block, 0)
}

fn block_exits_at(block: &Block, depth: usize) -> bool {
    match block.stmts.last() {
        Some(syn::Stmt::Expr(expr, _)) => expr_exits(expr, depth + 1),
        Some(syn::Stmt::Macro(mac)) => macro_exits(&mac.mac),
        _ => false,
    }
}

/// Does this expression always leave (see `block_exits`)?
pub(super) fn expr_exits(expr: &SynExpr, depth: usize) -> bool {
    if depth > MAX_NESTING {
        return false;
    }
    match expr {
        SynExpr::Return(_) | SynExpr::Continue(_) | SynExpr::Break(_) => true,
        SynExpr::Paren(paren) => expr_exits(&paren.expr, depth + 1),
        SynExpr::Group(group) => expr_exits(&group.expr, depth + 1),
        // `Err(e)?` always propagates.
        SynExpr::Try(tried) => is_err_call(&tried.expr),
        SynExpr::Call(call) => {
            is_err_call(expr)
                || expr_path(&call.func).is_some_and(|p| {
                    matches!(
                        p.as_str(),
                        "std::process::exit"
                            | "process::exit"
                            | "exit"
                            | "std::process::abort"
                            | "process::abort"
                    )
                })
        }
        SynExpr::Macro(mac) => macro_exits(&mac.mac),
        SynExpr::Block(block) => block_exits_at(&block.block, depth),
        SynExpr::Unsafe(block) => block_exits_at(&block.block, depth),
        SynExpr::If(expr_if) => match &expr_if.else_branch {
            Some((_, orelse)) => {
                block_exits_at(&expr_if.then_branch, depth) && expr_exits(orelse, depth + 1)
            }
            None => false,
        },
        SynExpr::Match(expr_match) => {
            !expr_match.arms.is_empty()
                && expr_match
                    .arms
                    .iter()
                    .all(|arm| expr_exits(&arm.body, depth + 1))
        }
        _ => false,
    }
}

fn is_err_call(expr: &SynExpr) -> bool {
    matches!(expr, SynExpr::Call(call) if expr_path(&call.func).as_deref() == Some("Err"))
}

/// The last segment of a macro's path: `bail` for `anyhow::bail!`.
fn macro_name(mac: &syn::Macro) -> String {
    mac.path
        .segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

fn macro_exits(mac: &syn::Macro) -> bool {
    matches!(
        macro_name(mac).as_str(),
        "panic" | "bail" | "unreachable" | "todo" | "unimplemented"
    )
}

/// Macros that check a condition and leave when it fails, with the number
/// of their leading arguments that make the condition: `assert!(c, …)`,
/// `ensure!(c, …)`, `assert_eq!(a, b, …)`.
fn assertion(mac: &syn::Macro) -> Option<(Option<&'static str>, usize)> {
    match macro_name(mac).as_str() {
        "assert" | "debug_assert" | "ensure" => Some((None, 1)),
        "assert_eq" | "debug_assert_eq" => Some((Some("=="), 2)),
        "assert_ne" | "debug_assert_ne" => Some((Some("!="), 2)),
        _ => None,
    }
}

/// The condition an assertion checks, lowered: its first argument, or
/// `a == b` for `assert_eq!(a, b)`.
pub(super) fn assertion_cond(
    mac: &syn::Macro,
    args: &Punctuated<SynExpr, Token![,]>,
) -> Option<Expr> {
    let (op, count) = assertion(mac)?;
    let first = args.first()?;
    match op {
        None => Some(lower_expr(first, 0)),
        Some(op) => {
            let operands: Vec<Expr> = args.iter().take(count).map(|a| lower_expr(a, 1)).collect();
            if operands.len() != count {
                return None;
            }
            let span = Span::new(operands[0].span.start, operands[count - 1].span.end);
            Some(Expr {
                span,
                value: Value::Op(op.to_string(), operands),
            })
        }
    }
}

/// The text of a binary operator, and whether it is a compound assignment.
pub(super) fn binop(op: &BinOp) -> (&'static str, bool) {
    match op {
        BinOp::Add(_) => ("+", false),
        BinOp::Sub(_) => ("-", false),
        BinOp::Mul(_) => ("*", false),
        BinOp::Div(_) => ("/", false),
        BinOp::Rem(_) => ("%", false),
        BinOp::And(_) => ("&&", false),
        BinOp::Or(_) => ("||", false),
        BinOp::BitXor(_) => ("^", false),
        BinOp::BitAnd(_) => ("&", false),
        BinOp::BitOr(_) => ("|", false),
        BinOp::Shl(_) => ("<<", false),
        BinOp::Shr(_) => (">>", false),
        BinOp::Eq(_) => ("==", false),
        BinOp::Lt(_) => ("<", false),
        BinOp::Le(_) => ("<=", false),
        BinOp::Ne(_) => ("!=", false),
        BinOp::Ge(_) => (">=", false),
        BinOp::Gt(_) => (">", false),
        BinOp::AddAssign(_) => ("+=", true),
        BinOp::SubAssign(_) => ("-=", true),
        BinOp::MulAssign(_) => ("*=", true),
        BinOp::DivAssign(_) => ("/=", true),
        BinOp::RemAssign(_) => ("%=", true),
        BinOp::BitXorAssign(_) => ("^=", true),
        BinOp::BitAndAssign(_) => ("&=", true),
        BinOp::BitOrAssign(_) => ("|=", true),
        BinOp::ShlAssign(_) => ("<<=", true),
        BinOp::ShrAssign(_) => (">>=", true),
        _ => ("?", false),
    }
}

fn op(name: &str, operands: Vec<Expr>) -> Value {
    Value::Op(name.to_string(), operands)
}

/// The tail expression of a block, when it has one.
pub(super) fn block_tail(block: &Block) -> Option<&SynExpr> {
    match block.stmts.last() {
        Some(syn::Stmt::Expr(expr, None)) => Some(expr),
        _ => None,
    }
}

/// The value of a block: its tail expression.
fn block_value(block: &Block, depth: usize) -> Expr {
    match block_tail(block) {
        Some(tail) => lower_expr(tail, depth + 1),
        None => Expr {
            span: block_span(block),
            value: Value::Other,
        },
    }
}

/// The value of the expressions `expr_value` in `rust.rs` does not know:
/// operators, `if` / `match` / blocks, member access on calls, struct
/// literals, macros. `expr` has its parentheses stripped.
pub(super) fn operator_value(expr: &SynExpr, depth: usize) -> Value {
    if depth > MAX_EXPR_DEPTH {
        super::limits::reached(
            crate::frontend::tree::EXPR_DEPTH_LIMIT,
            to_span(syn::spanned::Spanned::span(expr)),
        );
        return Value::Other;
    }
    let lower = |e: &SynExpr| lower_expr(e, depth + 1);
    match expr {
        SynExpr::Binary(binary) => {
            let (text, _) = binop(&binary.op);
            let left = lower(&binary.left);
            let right = lower(&binary.right);
            if text == "+" && (is_stringy(&left) || is_stringy(&right)) {
                let mut parts = Vec::new();
                for side in [left, right] {
                    match side.value {
                        Value::Concat(inner) => parts.extend(inner),
                        _ => parts.push(side),
                    }
                }
                return Value::Concat(parts);
            }
            op(text, vec![left, right])
        }
        SynExpr::Unary(unary) => {
            let text = match unary.op {
                UnOp::Deref(_) => "*",
                UnOp::Not(_) => "!",
                UnOp::Neg(_) => "-",
                _ => "?",
            };
            op(text, vec![lower(&unary.expr)])
        }
        SynExpr::Reference(reference) => op("&", vec![lower(&reference.expr)]),
        SynExpr::Try(tried) => op("?", vec![lower(&tried.expr)]),
        SynExpr::Await(awaited) => op("await", vec![lower(&awaited.base)]),
        SynExpr::Index(index) => op("[]", vec![lower(&index.expr), lower(&index.index)]),
        SynExpr::Cast(cast) => op("as", vec![lower(&cast.expr)]),
        SynExpr::Let(expr_let) => op("let", vec![lower(&expr_let.expr)]),
        SynExpr::If(expr_if) => match &expr_if.else_branch {
            Some((_, orelse)) => op(
                "?:",
                vec![block_value(&expr_if.then_branch, depth), lower(orelse)],
            ),
            None => Value::Other,
        },
        SynExpr::Match(expr_match) => op(
            "?:",
            expr_match.arms.iter().map(|arm| lower(&arm.body)).collect(),
        ),
        SynExpr::Block(block) => block_value(&block.block, depth).value,
        SynExpr::Unsafe(block) => block_value(&block.block, depth).value,
        SynExpr::Async(block) => block_value(&block.block, depth).value,
        SynExpr::Field(field) => {
            let member = match &field.member {
                syn::Member::Named(ident) => ident.to_string(),
                syn::Member::Unnamed(index) => index.index.to_string(),
            };
            Value::Member(Box::new(lower(&field.base)), member)
        }
        SynExpr::Struct(strukt) => Value::Object(
            strukt
                .fields
                .iter()
                .filter_map(|field| match &field.member {
                    syn::Member::Named(ident) => Some((ident.to_string(), lower(&field.expr))),
                    syn::Member::Unnamed(_) => None,
                })
                .collect(),
        ),
        SynExpr::Repeat(repeat) => Value::Array(vec![lower(&repeat.expr)]),
        SynExpr::Macro(mac) => macro_value(&mac.mac, depth),
        _ => Value::Other,
    }
}

fn is_stringy(expr: &Expr) -> bool {
    match &expr.value {
        Value::Str(_) | Value::Template(..) | Value::Concat(_) => true,
        Value::Op(name, operands) if name == "&" => operands.iter().any(is_stringy),
        _ => false,
    }
}

/// A macro's arguments as comma-separated expressions, when they parse so.
pub(super) fn macro_args(tokens: &TokenStream) -> Option<Punctuated<SynExpr, Token![,]>> {
    let parser = Punctuated::<SynExpr, Token![,]>::parse_terminated;
    syn::parse::Parser::parse2(parser, tokens.clone()).ok()
}

/// The span of a macro invocation, from its path to its closing delimiter.
pub(super) fn macro_span(mac: &syn::Macro) -> (Span, Span) {
    let callee_span = to_span(mac.path.span());
    let close = match &mac.delimiter {
        syn::MacroDelimiter::Paren(d) => d.span.close(),
        syn::MacroDelimiter::Brace(d) => d.span.close(),
        syn::MacroDelimiter::Bracket(d) => d.span.close(),
    };
    (
        Span::new(callee_span.start, to_span(close).end),
        callee_span,
    )
}

/// The position of the format string among a macro's arguments.
fn format_position(name: &str) -> Option<usize> {
    match name {
        "format" | "format_args" | "print" | "println" | "eprint" | "eprintln" | "panic"
        | "unreachable" | "todo" | "unimplemented" | "anyhow" | "bail" | "eyre" | "format_err"
        | "trace" | "debug" | "info" | "warn" | "error" => Some(0),
        "write" | "writeln" | "assert" | "debug_assert" | "ensure" => Some(1),
        "assert_eq" | "assert_ne" | "debug_assert_eq" | "debug_assert_ne" => Some(2),
        _ => None,
    }
}

/// The arguments of a macro invocation as a call's: each argument (named
/// ones, `name = value`, as keyword arguments), then for `format!`-style
/// macros the names the format string captures (`{path}`), as positional
/// arguments after the others.
pub(super) fn macro_call_args(
    mac: &syn::Macro,
    args: &Punctuated<SynExpr, Token![,]>,
    depth: usize,
) -> Vec<Arg> {
    let mut out: Vec<Arg> = args
        .iter()
        .map(|arg| match named_arg(arg) {
            Some((name, value)) => Arg {
                name: Some(name),
                value: lower_expr(value, depth + 1),
            },
            None => Arg {
                name: None,
                value: lower_expr(arg, depth + 1),
            },
        })
        .collect();
    if let Some(position) = format_position(&macro_name(mac))
        && let Some(literal) = args.iter().nth(position).map(|a| to_span(a.span()))
        && let Some(Expr {
            value: Value::Template(_, parts),
            ..
        }) = template(mac, args, position, depth)
    {
        out.extend(
            parts
                .into_iter()
                .filter(|p| literal.start <= p.span.start && p.span.end <= literal.end)
                .map(|value| Arg { name: None, value }),
        );
    }
    out
}

/// `name = value` among a macro's arguments.
fn named_arg(arg: &SynExpr) -> Option<(String, &SynExpr)> {
    match arg {
        SynExpr::Assign(assign) => match &*assign.left {
            SynExpr::Path(path) => Some((path.path.get_ident()?.to_string(), &assign.right)),
            _ => None,
        },
        _ => None,
    }
}

/// The value of a macro used as an expression: `format!` is a template,
/// `vec!` an array, any other macro whose arguments parse a call.
fn macro_value(mac: &syn::Macro, depth: usize) -> Value {
    let Some(args) = macro_args(&mac.tokens) else {
        return Value::Other;
    };
    match macro_name(mac).as_str() {
        "vec" => Value::Array(args.iter().map(|a| lower_expr(a, depth + 1)).collect()),
        // `concat!("Search ", "the notes")`: one string when every part is a literal.
        "concat" => {
            let parts: Vec<Expr> = args.iter().map(|a| lower_expr(a, depth + 1)).collect();
            match parts
                .iter()
                .map(|p| literal_text(&p.value))
                .collect::<Option<String>>()
            {
                Some(text) => Value::Str(text),
                None => Value::Concat(parts),
            }
        }
        "format" | "format_args" => match template(mac, &args, 0, depth) {
            Some(template) => template.value,
            None => Value::Other,
        },
        _ => {
            let (span, callee_span) = macro_span(mac);
            Value::Call(Box::new(Call {
                callee: format!("{}!", path_string(&mac.path)),
                args: macro_call_args(mac, &args, depth),
                span,
                callee_span,
                receiver: None,
            }))
        }
    }
}

/// The text `concat!` makes of a literal.
fn literal_text(value: &Value) -> Option<String> {
    match value {
        Value::Str(s) | Value::Number(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A reference to an argument inside a format string.
enum Placeholder {
    Next,
    Index(usize),
    /// A named argument or an inline capture (`{x}`), with its byte offset
    /// in the string's value.
    Name(String, usize),
}

/// Splits a format string into its text (each placeholder as `{}`, `{{`
/// and `}}` unescaped) and its placeholders.
fn parse_format(format: &str) -> (String, Vec<Placeholder>) {
    let mut text = String::new();
    let mut placeholders = Vec::new();
    let mut rest = format.char_indices().peekable();
    while let Some((i, c)) = rest.next() {
        match c {
            '{' if rest.peek().is_some_and(|&(_, n)| n == '{') => {
                rest.next();
                text.push('{');
            }
            '}' if rest.peek().is_some_and(|&(_, n)| n == '}') => {
                rest.next();
                text.push('}');
            }
            '{' => {
                let Some(close) = format[i..].find('}') else {
                    text.push_str(&format[i..]);
                    break;
                };
                let inner = &format[i + 1..i + close];
                let argument = inner.split(':').next().unwrap_or("").trim();
                placeholders.push(if argument.is_empty() {
                    Placeholder::Next
                } else if let Ok(index) = argument.parse::<usize>() {
                    Placeholder::Index(index)
                } else {
                    Placeholder::Name(argument.to_string(), i + 1)
                });
                text.push_str("{}");
                while rest.peek().is_some_and(|&(j, _)| j <= i + close) {
                    rest.next();
                }
            }
            _ => text.push(c),
        }
    }
    (text, placeholders)
}

/// `format!("git log {}", rev)`, `format!("{x}")`, `write!(f, "{a}", a = v)`:
/// the format string at `position` and the arguments it substitutes, as a
/// `Value::Template` spanning from the string to the last argument.
fn template(
    mac: &syn::Macro,
    args: &Punctuated<SynExpr, Token![,]>,
    position: usize,
    depth: usize,
) -> Option<Expr> {
    let SynExpr::Lit(lit) = args.iter().nth(position)? else {
        return None;
    };
    let Lit::Str(format) = &lit.lit else {
        return None;
    };
    let value = format.value();
    let literal_span = to_span(format.span());
    // Offsets inside the literal are exact only when its source is the
    // value between plain quotes (no escapes, not a raw string).
    let plain = format.token().to_string() == format!("\"{value}\"");
    let mut positional = Vec::new();
    let mut named = Vec::new();
    for arg in args.iter().skip(position + 1) {
        match named_arg(arg) {
            Some(pair) => named.push(pair),
            None => positional.push(arg),
        }
    }
    let (text, placeholders) = parse_format(&value);
    let mut next = 0;
    let mut parts = Vec::new();
    for placeholder in placeholders {
        let found = match placeholder {
            Placeholder::Next => {
                next += 1;
                positional.get(next - 1).map(|e| lower_expr(e, depth + 1))
            }
            Placeholder::Index(i) => positional.get(i).map(|e| lower_expr(e, depth + 1)),
            Placeholder::Name(name, offset) => match named.iter().find(|(n, _)| *n == name) {
                Some((_, e)) => Some(lower_expr(e, depth + 1)),
                None => {
                    let span = if plain {
                        let start = literal_span.start + 1 + offset;
                        Span::new(start, start + name.len())
                    } else {
                        literal_span
                    };
                    Some(Expr {
                        span,
                        value: Value::Name(name),
                    })
                }
            },
        };
        parts.extend(found);
    }
    let (whole, _) = macro_span(mac);
    Some(Expr {
        span: Span::new(
            literal_span.start,
            whole.end.saturating_sub(1).max(literal_span.end),
        ),
        value: Value::Template(text, parts),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{FileFacts, Stmt};
    use crate::frontend::rust::parse;

    /// An expression as compact text: operators as `(op …)`, templates as
    /// `tpl("text"; parts)`, unknown values as `?`.
    fn show(expr: &Expr) -> String {
        let list = |parts: &[Expr]| parts.iter().map(show).collect::<Vec<_>>().join(", ");
        match &expr.value {
            Value::Str(s) => format!("{s:?}"),
            Value::Template(text, parts) => format!("tpl({text:?}; {})", list(parts)),
            Value::Concat(parts) => format!("concat({})", list(parts)),
            Value::Member(base, name) => format!("{}.{name}", show(base)),
            Value::Number(n) => n.clone(),
            Value::Bool(b) => b.to_string(),
            Value::Name(n) => n.clone(),
            Value::Array(parts) => format!("[{}]", list(parts)),
            Value::Object(pairs) => format!(
                "{{{}}}",
                pairs
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", show(v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Value::Call(call) => {
                let args: Vec<String> = call.args.iter().map(|a| show(&a.value)).collect();
                let callee = match &call.receiver {
                    Some(receiver) => format!("{}.{}", show(receiver), call.method()),
                    None => call.callee.clone(),
                };
                format!("{callee}({})", args.join(", "))
            }
            Value::Op(op, parts) => {
                let parts: Vec<String> = parts.iter().map(show).collect();
                format!("({op} {})", parts.join(" "))
            }
            Value::Function => "fn".to_string(),
            Value::EnvLookup { var, .. } => format!("env({var:?})"),
            Value::Regex(r) => format!("/{r}/"),
            Value::Null => "null".to_string(),
            Value::Other => "?".to_string(),
        }
    }

    fn statements(facts: &FileFacts) -> Vec<String> {
        facts
            .statements
            .iter()
            .map(|stmt| match stmt {
                Stmt::Assign {
                    targets,
                    value,
                    augmented,
                    ..
                } => format!(
                    "{} {} {}",
                    targets.join(", "),
                    if *augmented { "+=" } else { "=" },
                    show(value)
                ),
                Stmt::Return { value, .. } => format!("return {}", show(value)),
                Stmt::Guard {
                    cond,
                    exits,
                    orelse,
                    ..
                } => format!(
                    "guard {}{}{}",
                    show(cond),
                    if *exits { " exits" } else { "" },
                    match orelse {
                        Some((_, true)) => " else-exits",
                        Some((_, false)) => " else",
                        None => "",
                    }
                ),
            })
            .collect()
    }

    /// The statements of one function, by name.
    fn body(facts: &FileFacts, name: &str) -> Vec<String> {
        let function = facts
            .functions
            .iter()
            .find(|f| f.name.as_deref() == Some(name))
            .unwrap();
        let inside = FileFacts {
            statements: facts
                .statements
                .iter()
                .filter(|s| {
                    function.span.start <= s.span().start && s.span().end <= function.span.end
                })
                .cloned()
                .collect(),
            ..FileFacts::new(facts.language)
        };
        statements(&inside)
    }

    const RMCP_SERVER: &str = r#"
use rmcp::{handler::server::wrapper::Parameters, model::*, tool, tool_router, ErrorData as McpError};
use std::process::Command;

#[derive(serde::Deserialize, schemars::JsonSchema)]
pub struct ReadArgs {
    pub path: String,
    pub max_bytes: Option<u64>,
}

#[derive(serde::Deserialize, schemars::JsonSchema)]
pub struct LogArgs {
    pub rev: String,
}

#[tool_router]
impl Files {
    #[tool(description = "Read a file below the root")]
    async fn read_file(&self, Parameters(ReadArgs { path, max_bytes }): Parameters<ReadArgs>) -> Result<CallToolResult, McpError> {
        let full = self.root.join(&path);
        let canonical = full.canonicalize()?;
        if !canonical.starts_with(&self.root) {
            return Err(McpError::invalid_params("outside the root", None));
        }
        let text = tokio::fs::read_to_string(&full).await?;
        Ok(CallToolResult::success(vec![Content::text(text)]))
    }

    #[tool(description = "Show the git log")]
    async fn git_log(&self, Parameters(args): Parameters<LogArgs>) -> Result<CallToolResult, McpError> {
        let output = Command::new("sh").arg("-c").arg(format!("git log {}", args.rev)).output()?;
        Ok(CallToolResult::success(vec![Content::text(String::from_utf8_lossy(&output.stdout))]))
    }
}
"#;

    #[test]
    fn rmcp_tool_bodies_lower_to_statements() {
        let facts = parse(RMCP_SERVER).unwrap();
        assert_eq!(
            body(&facts, "read_file"),
            [
                "full = self.root.join((& path))",
                "canonical = (? full.canonicalize())",
                "guard (! canonical.starts_with((& self.root))) exits",
                r#"return Err(McpError::invalid_params("outside the root", None))"#,
                "text = (? (await tokio::fs::read_to_string((& full))))",
                "return Ok(CallToolResult::success([Content::text(text)]))",
            ]
        );
        assert_eq!(
            body(&facts, "git_log"),
            [
                r#"output = (? Command::new("sh").arg("-c").arg(tpl("git log {}"; args.rev)).output())"#,
                "return Ok(CallToolResult::success([Content::text(String::from_utf8_lossy((& output.stdout)))]))",
            ]
        );
    }

    #[test]
    fn tool_handlers_are_functions_with_destructured_params() {
        let facts = parse(RMCP_SERVER).unwrap();
        let handler = |tool: &str| {
            let tool = facts.tools.iter().find(|t| t.name == tool).unwrap();
            &facts.functions[tool.handler.expect("linked")]
        };
        assert_eq!(handler("read_file").params, ["path", "max_bytes"]);
        assert_eq!(handler("read_file").name.as_deref(), Some("read_file"));
        assert_eq!(handler("git_log").params, ["args"]);
        let guard = facts
            .statements
            .iter()
            .find(|s| matches!(s, Stmt::Guard { .. }))
            .unwrap();
        let Stmt::Guard { span, body, .. } = guard else {
            unreachable!()
        };
        let text = |s: Span| &RMCP_SERVER[s.start..s.end];
        assert!(text(*span).starts_with("if !canonical") && text(*span).ends_with('}'));
        assert!(text(*body).starts_with('{') && text(*body).contains("return Err"));
        // Spans start in the order the statements were pushed.
        let starts: Vec<usize> = facts.statements.iter().map(|s| s.span().start).collect();
        assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{starts:?}");
    }

    #[test]
    fn bindings_patterns_branches_and_macros() {
        let text = r#"
fn misc(items: Vec<String>, opt: Option<String>, (k, _): (u8, u8)) -> String {
    let (a, mut b) = pair();
    let Some(x) = opt.clone() else { return String::new() };
    b += &a;
    self.count = items.len() as u64;
    for (i, item) in items.iter().enumerate() {
        total[i] = *item;
    }
    if let Some(p) = lookup(&x) {
        use_it(p);
    } else if x.is_empty() {
        panic!("empty")
    } else {
        bail!("no")
    }
    while let Some(n) = stack.pop() {
        count -= 1;
    }
    assert!(x.len() < 10, "too long: {}", x);
    ensure!(!b.contains("..") && a != b, "bad path {b}");
    let s = format!("{x}-{}-{name}", a, name = b);
    let v = vec![a.clone(), "lit".to_string()];
    let y = match opt {
        Some(v) if ALLOWED.contains(&v.as_str()) => v,
        None => x,
    };
    let z = if a == b { a } else { "none".into() };
    let w = items[0].clone() + "/" + &b;
    let c = |q: &str| q.to_uppercase();
    let r = Req { path: w, ..Default::default() };
    if y.is_empty() { z } else { s }
}
"#;
        let facts = parse(text).unwrap();
        assert_eq!(
            facts.functions[0].params,
            ["items", "opt", "k"],
            "patterns bind names"
        );
        assert_eq!(facts.functions[1].params, ["q"], "closure parameters");
        assert_eq!(
            statements(&facts),
            [
                "a, b = pair()",
                "x = opt.clone()",
                "return String::new()",
                "b += (& a)",
                "self.count = (as items.len())",
                "i, item = items.iter().enumerate()",
                "total += (* item)",
                "guard (let lookup((& x))) else-exits",
                "p = lookup((& x))",
                "guard x.is_empty() exits else-exits",
                "guard (let stack.pop())",
                "n = stack.pop()",
                "count += 1",
                r#"guard (< x.len() 10) else-exits"#,
                r#"guard (&& (! b.contains("..")) (!= a b)) else-exits"#,
                r#"s = tpl("{}-{}-{}"; x, a, b)"#,
                r#"v = [a.clone(), "lit"]"#,
                "y = (?: v x)",
                "v = opt",
                "guard ALLOWED.contains((& v.as_str()))",
                r#"z = (?: a "none")"#,
                "guard (== a b) else",
                r#"w = concat(([] items 0).clone(), "/", (& b))"#,
                "c = fn",
                "return q.to_uppercase()",
                "r = {path: w}",
                "guard y.is_empty() else",
                "return z",
                "return s",
            ]
        );
    }

    #[test]
    fn macro_calls_keep_their_arguments_and_add_captures() {
        let text = r#"fn f() { tracing::info!("{user} ran {} in {dir}", cmd, dir = root); }"#;
        let facts = parse(text).unwrap();
        let call = facts
            .calls
            .iter()
            .find(|c| c.callee == "tracing::info!")
            .unwrap();
        let args: Vec<(Option<&str>, String)> = call
            .args
            .iter()
            .map(|a| (a.name.as_deref(), show(&a.value)))
            .collect();
        assert_eq!(
            args,
            [
                (None, r#""{user} ran {} in {dir}""#.to_string()),
                (None, "cmd".to_string()),
                (Some("dir"), "root".to_string()),
                (None, "user".to_string()),
            ]
        );
        let capture = &call.args[3].value;
        assert_eq!(&text[capture.span.start..capture.span.end], "user");
    }

    #[test]
    fn concat_of_literals_is_one_string() {
        let facts = parse(
            r#"const D: &str = concat!("Search ", "the notes, at most ", 20, " results"); const E: &str = concat!("x", env!("HOME"));"#,
        )
        .unwrap();
        assert_eq!(
            facts.bindings[0].value.str_value(),
            Some("Search the notes, at most 20 results")
        );
        assert!(matches!(facts.bindings[1].value.value, Value::Concat(_)));
    }

    #[test]
    fn format_strings_split_into_text_and_placeholders() {
        let (text, placeholders) = parse_format("a {} {{b}} {0:?} {name:>4}");
        assert_eq!(text, "a {} {b} {} {}");
        assert!(matches!(placeholders[0], Placeholder::Next));
        assert!(matches!(placeholders[1], Placeholder::Index(0)));
        assert!(matches!(&placeholders[2], Placeholder::Name(n, 18) if n == "name"));
    }
}
