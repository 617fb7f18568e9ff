//! Rust frontend: parses with `syn` and lowers into facts. Spans come from
//! proc-macro2's `span-locations` source map, which is per thread and must be
//! cleared after each file.

use std::collections::HashMap;

use proc_macro2::{Span as PmSpan, TokenStream, TokenTree};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Expr as SynExpr, Lit, Pat, Token};

use crate::facts::{Arg, Binding, Call, Expr, FileFacts, Import, Language, StringLit, Value};
use crate::finding::Span;
use crate::frontend::tree::MAX_EXPR_DEPTH;
use crate::frontend::{ParseFailure, rust_mcp};

/// syn is a recursive-descent parser, and its syntax trees are visited and
/// dropped recursively: input nested deeper than `MAX_NESTING` brackets, or
/// with more than `MAX_OPERATORS` operators in one statement (a chain of
/// binary operators is a tree as deep as it is long), is not parsed, so that
/// no file can exhaust a thread's stack.
pub const MAX_NESTING: usize = 128;
pub const MAX_OPERATORS: usize = 1_000;

/// Parses a Rust file and lowers it; fails when the file is not valid Rust
/// or is too deeply nested to parse safely.
pub fn parse(source: &str) -> Result<FileFacts, ParseFailure> {
    if let Some((offset, message)) = too_complex(source) {
        return Err(ParseFailure {
            span: Span::new(offset, offset),
            message,
        });
    }
    // syn strips a BOM and a shebang line itself, which would shift every
    // offset: blank them out instead so offsets stay those of the file.
    let mut text = source.to_string();
    if text.starts_with('\u{feff}') {
        text.replace_range(..3, "   ");
    }
    if text.starts_with("#!") && !text[2..].trim_start().starts_with('[') {
        let end = text.find('\n').unwrap_or(text.len());
        text.replace_range(..end, &" ".repeat(end));
    }
    let result = match syn::parse_file(&text) {
        Ok(file) => {
            let mut lowering = Lowering::new();
            lowering.visit_file(&file);
            Ok(lowering.finish())
        }
        Err(err) => {
            let range = err.span().byte_range();
            Err(ParseFailure {
                span: Span::new(range.start, range.end),
                message: err.to_string(),
            })
        }
    };
    proc_macro2::extra::invalidate_current_thread_spans();
    result
}

/// A cheap scan for input that would recurse too deeply in syn: bracket
/// nesting, and per statement the operators and `.`/`?` links that make
/// expression trees deep. String, char and raw-string literals and comments
/// are skipped so that their contents are not counted.
fn too_complex(source: &str) -> Option<(usize, String)> {
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    let mut operators = 0usize;
    let mut statement_start = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        match b {
            b'"' => i = skip_string(bytes, i + 1),
            // r"…", r#"…"#, br"…"
            b'r' if matches!(next, Some(b'"' | b'#'))
                && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_')) =>
            {
                i = skip_raw_string(bytes, i + 1);
            }
            b'\'' => i = skip_char_literal(bytes, i),
            b'/' if next == Some(b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if next == Some(b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some((
                        i,
                        format!("nesting deeper than {MAX_NESTING} levels; not parsed"),
                    ));
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            // `=>` and `->` are punctuation, not operators that nest.
            b'=' | b'-' if next == Some(b'>') => i += 1,
            b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^' | b'!' | b'<' | b'>' | b'.'
            | b'?' => {
                operators += 1;
                if operators > MAX_OPERATORS {
                    return Some((
                        statement_start,
                        format!(
                            "a statement with more than {MAX_OPERATORS} operators or method calls; not parsed"
                        ),
                    ));
                }
            }
            _ => {}
        }
        if matches!(b, b';' | b'{' | b'}') {
            statement_start = i;
            operators = 0;
        }
        i += 1;
    }
    None
}

/// Index of the closing quote of a string whose body starts at `i`.
fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i] != b'"' {
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    i
}

/// `i` is just after the `r`: skips `#…#"…"#…#`.
fn skip_raw_string(bytes: &[u8], mut i: usize) -> usize {
    let mut hashes = 0;
    while bytes.get(i) == Some(&b'#') {
        hashes += 1;
        i += 1;
    }
    if bytes.get(i) != Some(&b'"') {
        return i;
    }
    i += 1;
    while i < bytes.len() {
        if bytes[i] == b'"'
            && bytes[i + 1..]
                .iter()
                .take(hashes)
                .filter(|&&h| h == b'#')
                .count()
                == hashes
        {
            return i + hashes;
        }
        i += 1;
    }
    i
}

/// `'x'`, `'\n'`, `'\u{1F600}'`, `'"'` are char literals; `'a` is a lifetime.
fn skip_char_literal(bytes: &[u8], i: usize) -> usize {
    if bytes.get(i + 1) == Some(&b'\\') {
        // An escape: up to the closing quote, within a `\u{…}`'s length.
        return (i + 2..(i + 12).min(bytes.len()))
            .find(|&j| bytes[j] == b'\'')
            .unwrap_or(i);
    }
    // One character (1–4 bytes) and a closing quote.
    (i + 2..(i + 6).min(bytes.len()))
        .find(|&j| bytes[j] == b'\'')
        .filter(|&j| std::str::from_utf8(&bytes[i + 1..j]).is_ok_and(|c| c.chars().count() == 1))
        .unwrap_or(i)
}

pub(super) fn to_span(span: PmSpan) -> Span {
    let range = span.byte_range();
    Span::new(range.start, range.end)
}

struct Lowering {
    facts: FileFacts,
    /// Start offset of a string literal → the name it is assigned to.
    targets: HashMap<usize, String>,
    fn_depth: usize,
    /// `#[tool]` methods, completed in `finish` once structs are known.
    tools: Vec<rust_mcp::PendingTool>,
    /// Struct name → its fields as tool parameters.
    structs: HashMap<String, Vec<crate::facts::Param>>,
}

impl Lowering {
    fn new() -> Self {
        Lowering {
            facts: FileFacts::new(Language::Rust),
            targets: HashMap::new(),
            fn_depth: 0,
            tools: Vec::new(),
            structs: HashMap::new(),
        }
    }

    fn finish(mut self) -> FileFacts {
        for lit in &mut self.facts.strings {
            if let Some(target) = self.targets.remove(&lit.span.start) {
                lit.target = Some(target);
            }
        }
        let tools = std::mem::take(&mut self.tools);
        rust_mcp::finish(&mut self.facts, tools, &self.structs);
        self.facts
    }

    fn note_target(&mut self, expr: &SynExpr, name: String) {
        if let SynExpr::Lit(lit) = strip(expr)
            && let Lit::Str(s) = &lit.lit
        {
            self.targets.insert(to_span(s.span()).start, name);
        }
    }

    fn bind(&mut self, name: String, expr: &SynExpr, span: PmSpan) {
        self.note_target(expr, name.clone());
        self.facts.bindings.push(Binding {
            name,
            value: lower_expr(expr, 0),
            span: to_span(span),
            top_level: self.fn_depth == 0,
        });
    }

    /// Visits a macro's arguments when they parsed as expressions, or else
    /// records the string literals among its tokens.
    fn visit_macro_tokens(
        &mut self,
        parsed: Option<&Punctuated<SynExpr, Token![,]>>,
        tokens: &TokenStream,
    ) {
        match parsed {
            Some(exprs) => {
                for expr in exprs {
                    self.visit_expr(expr);
                }
            }
            None => {
                let mut stack: Vec<TokenTree> = tokens.clone().into_iter().collect();
                while let Some(tree) = stack.pop() {
                    match tree {
                        TokenTree::Group(group) => stack.extend(group.stream()),
                        TokenTree::Literal(literal) => {
                            if let Lit::Str(s) = Lit::new(literal) {
                                self.visit_lit_str(&s);
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
    }
}

impl<'ast> Visit<'ast> for Lowering {
    fn visit_lit_str(&mut self, lit: &'ast syn::LitStr) {
        self.facts.strings.push(StringLit {
            value: lit.value(),
            span: to_span(lit.span()),
            target: None,
        });
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        visit::visit_macro(self, mac);
        // Macro bodies are token streams to syn: parse them once as
        // comma-separated expressions (`format!`, `vec!`, `println!`…). The
        // invocation is a call with those arguments, and they are visited;
        // otherwise (`json!`, custom syntax) the string literals in the
        // tokens are still recorded.
        let parser = Punctuated::<SynExpr, Token![,]>::parse_terminated;
        let parsed = syn::parse::Parser::parse2(parser, mac.tokens.clone()).ok();
        let callee_span = to_span(mac.path.span());
        let close = match &mac.delimiter {
            syn::MacroDelimiter::Paren(d) => d.span.close(),
            syn::MacroDelimiter::Brace(d) => d.span.close(),
            syn::MacroDelimiter::Bracket(d) => d.span.close(),
        };
        self.facts.calls.push(Call {
            callee: format!("{}!", path_string(&mac.path)),
            args: parsed
                .as_ref()
                .map(|e| lower_args(e, 0))
                .unwrap_or_default(),
            span: Span::new(callee_span.start, to_span(close).end),
            callee_span,
            receiver: None,
        });
        self.visit_macro_tokens(parsed.as_ref(), &mac.tokens);
    }

    fn visit_item_struct(&mut self, item: &'ast syn::ItemStruct) {
        self.structs
            .insert(item.ident.to_string(), rust_mcp::struct_params(item));
        visit::visit_item_struct(self, item);
    }

    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        if rust_mcp::is_tool_impl(item) {
            let conditional = rust_mcp::is_conditional(&item.attrs);
            for impl_item in &item.items {
                if let syn::ImplItem::Fn(method) = impl_item
                    && let Some(tool) = rust_mcp::tool_method(method, conditional)
                {
                    self.tools.push(tool);
                }
            }
        }
        if let Some(server) = rust_mcp::server_of(item) {
            self.facts.servers.push(server);
        }
        visit::visit_item_impl(self, item);
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let Some(lowered) = lower_call(call, 0) {
            self.facts.calls.push(lowered);
        }
        visit::visit_expr_call(self, call);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        self.facts.calls.push(lower_method_call(call, 0));
        visit::visit_expr_method_call(self, call);
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        if let (Some(init), Some(name)) = (&local.init, pat_name(&local.pat)) {
            self.bind(name, &init.expr, local.span());
        }
        visit::visit_local(self, local);
    }

    fn visit_item_const(&mut self, item: &'ast syn::ItemConst) {
        self.bind(item.ident.to_string(), &item.expr, item.span());
        visit::visit_item_const(self, item);
    }

    fn visit_item_static(&mut self, item: &'ast syn::ItemStatic) {
        self.bind(item.ident.to_string(), &item.expr, item.span());
        visit::visit_item_static(self, item);
    }

    fn visit_field_value(&mut self, field: &'ast syn::FieldValue) {
        if let syn::Member::Named(ident) = &field.member {
            self.note_target(&field.expr, ident.to_string());
        }
        visit::visit_field_value(self, field);
    }

    fn visit_expr_assign(&mut self, assign: &'ast syn::ExprAssign) {
        if let Some(name) = expr_path(&assign.left) {
            self.bind(name, &assign.right, assign.span());
        }
        visit::visit_expr_assign(self, assign);
    }

    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        self.fn_depth += 1;
        visit::visit_item_fn(self, item);
        self.fn_depth -= 1;
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        self.fn_depth += 1;
        visit::visit_impl_item_fn(self, item);
        self.fn_depth -= 1;
    }

    fn visit_expr_closure(&mut self, closure: &'ast syn::ExprClosure) {
        self.fn_depth += 1;
        visit::visit_expr_closure(self, closure);
        self.fn_depth -= 1;
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let mut stack = vec![(String::new(), &item.tree)];
        while let Some((prefix, tree)) = stack.pop() {
            let join = |name: &str| {
                if prefix.is_empty() {
                    name.to_string()
                } else {
                    format!("{prefix}::{name}")
                }
            };
            match tree {
                syn::UseTree::Path(path) => stack.push((join(&path.ident.to_string()), &path.tree)),
                syn::UseTree::Group(group) => {
                    stack.extend(group.items.iter().map(|t| (prefix.clone(), t)));
                }
                syn::UseTree::Name(name) => self.facts.imports.push(Import {
                    module: prefix.clone(),
                    name: Some(name.ident.to_string()),
                    local: name.ident.to_string(),
                    span: to_span(name.ident.span()),
                }),
                syn::UseTree::Rename(rename) => self.facts.imports.push(Import {
                    module: prefix.clone(),
                    name: Some(rename.ident.to_string()),
                    local: rename.rename.to_string(),
                    span: to_span(rename.span()),
                }),
                syn::UseTree::Glob(glob) => self.facts.imports.push(Import {
                    module: prefix.clone(),
                    name: None,
                    local: "*".to_string(),
                    span: to_span(glob.span()),
                }),
            }
        }
        visit::visit_item_use(self, item);
    }
}

fn pat_name(pat: &Pat) -> Option<String> {
    match pat {
        Pat::Ident(ident) => Some(ident.ident.to_string()),
        Pat::Type(typed) => pat_name(&typed.pat),
        _ => None,
    }
}

/// `lower_expr` for the MCP layer.
pub(super) fn lower_expr_pub(expr: &SynExpr) -> Expr {
    lower_expr(expr, 0)
}

/// Peels parentheses, groups and references.
fn strip(expr: &SynExpr) -> &SynExpr {
    match expr {
        SynExpr::Paren(inner) => strip(&inner.expr),
        SynExpr::Group(inner) => strip(&inner.expr),
        SynExpr::Reference(inner) => strip(&inner.expr),
        _ => expr,
    }
}

fn path_string(path: &syn::Path) -> String {
    let mut out = String::new();
    if path.leading_colon.is_some() {
        out.push_str("::");
    }
    for (i, segment) in path.segments.iter().enumerate() {
        if i > 0 {
            out.push_str("::");
        }
        out.push_str(&segment.ident.to_string());
    }
    out
}

/// `a::b::C`, `self.config.host` — a name path, when the expression is one.
fn expr_path(expr: &SynExpr) -> Option<String> {
    match strip(expr) {
        SynExpr::Path(path) => Some(path_string(&path.path)),
        SynExpr::Field(field) => {
            let base = expr_path(&field.base)?;
            let member = match &field.member {
                syn::Member::Named(ident) => ident.to_string(),
                syn::Member::Unnamed(index) => index.index.to_string(),
            };
            Some(format!("{base}.{member}"))
        }
        _ => None,
    }
}

fn lower_call(call: &syn::ExprCall, depth: usize) -> Option<Call> {
    let callee = expr_path(&call.func)?;
    // From the callee to the closing parenthesis, without re-tokenizing the
    // whole call (`Spanned::span` is linear, which makes chains quadratic).
    let callee_span = to_span(call.func.span());
    let close = to_span(call.paren_token.span.close());
    Some(Call {
        callee,
        args: lower_args(&call.args, depth),
        span: Span::new(callee_span.start, close.end),
        callee_span,
        receiver: None,
    })
}

fn lower_method_call(call: &syn::ExprMethodCall, depth: usize) -> Call {
    let (head, receiver) = match expr_path(&call.receiver) {
        Some(path) => (path, None),
        None => (
            "<expr>".to_string(),
            Some(Box::new(lower_expr(&call.receiver, depth + 1))),
        ),
    };
    let method = to_span(call.method.span());
    let close = to_span(call.paren_token.span.close());
    Call {
        callee: format!("{head}.{}", call.method),
        args: lower_args(&call.args, depth),
        span: Span::new(method.start, close.end),
        callee_span: method,
        receiver,
    }
}

fn lower_args(args: &Punctuated<SynExpr, Token![,]>, depth: usize) -> Vec<Arg> {
    args.iter()
        .map(|a| Arg {
            name: None,
            value: lower_expr(a, depth + 1),
        })
        .collect()
}

fn lower_expr(expr: &SynExpr, depth: usize) -> Expr {
    Expr {
        span: to_span(expr.span()),
        value: expr_value(expr, depth),
    }
}

fn is_env_var_call(call: &syn::ExprCall) -> bool {
    matches!(
        expr_path(&call.func).as_deref(),
        Some("std::env::var" | "env::var" | "var" | "std::env::var_os" | "env::var_os")
    )
}

fn expr_value(expr: &SynExpr, depth: usize) -> Value {
    if depth > MAX_EXPR_DEPTH {
        return Value::Other;
    }
    match strip(expr) {
        SynExpr::Lit(lit) => match &lit.lit {
            Lit::Str(s) => Value::Str(s.value()),
            Lit::Int(i) => Value::Number(i.base10_digits().to_string()),
            Lit::Float(f) => Value::Number(f.base10_digits().to_string()),
            Lit::Bool(b) => Value::Bool(b.value),
            _ => Value::Other,
        },
        e @ (SynExpr::Path(_) | SynExpr::Field(_)) => match expr_path(e) {
            Some(name) => Value::Name(name),
            None => Value::Other,
        },
        SynExpr::Array(array) => Value::Array(
            array
                .elems
                .iter()
                .map(|e| lower_expr(e, depth + 1))
                .collect(),
        ),
        SynExpr::Tuple(tuple) => Value::Array(
            tuple
                .elems
                .iter()
                .map(|e| lower_expr(e, depth + 1))
                .collect(),
        ),
        SynExpr::Closure(_) => Value::Function,
        SynExpr::Call(call) if is_env_var_call(call) => Value::EnvLookup {
            var: call
                .args
                .first()
                .and_then(|a| lower_expr(a, depth + 1).str_value().map(str::to_string)),
            default: None,
        },
        SynExpr::Call(call) => match lower_call(call, depth) {
            Some(call) => Value::Call(Box::new(call)),
            None => Value::Other,
        },
        SynExpr::MethodCall(call) => {
            let method = call.method.to_string();
            // `env::var("HOST").unwrap_or("0.0.0.0".into())`
            if matches!(method.as_str(), "unwrap_or" | "unwrap_or_else")
                && let Value::EnvLookup { var, default: None } =
                    expr_value(&call.receiver, depth + 1)
            {
                return Value::EnvLookup {
                    var,
                    default: call
                        .args
                        .first()
                        .map(|a| Box::new(fallback_value(a, depth))),
                };
            }
            // `"0.0.0.0:8080".to_string()` keeps the literal's value.
            if matches!(method.as_str(), "to_string" | "into" | "to_owned") && call.args.is_empty()
            {
                return expr_value(&call.receiver, depth + 1);
            }
            Value::Call(Box::new(lower_method_call(call, depth)))
        }
        _ => Value::Other,
    }
}

/// The value inside `"x".into()`, `String::from("x")`, `|_| "x".to_string()`.
fn fallback_value(expr: &SynExpr, depth: usize) -> Expr {
    match strip(expr) {
        SynExpr::Closure(closure) => lower_expr(&closure.body, depth + 1),
        SynExpr::Call(call)
            if expr_path(&call.func).is_some_and(|p| p.ends_with("String::from"))
                && call.args.len() == 1 =>
        {
            lower_expr(&call.args[0], depth + 1)
        }
        other => lower_expr(other, depth + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Input just inside the limits must parse on a default-sized (2 MiB)
    /// thread stack, even in a debug build.
    #[test]
    fn limits_fit_a_default_stack() {
        let nested = format!(
            "fn f() -> u32 {{ {}1{} }}",
            "(".repeat(MAX_NESTING - 2),
            ")".repeat(MAX_NESTING - 2)
        );
        let chain = format!("fn g() -> u32 {{ 1{} }}", " + 1".repeat(MAX_OPERATORS - 1));
        let handle = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || {
                for text in [nested, chain] {
                    assert!(parse(&text).is_ok());
                }
            })
            .unwrap();
        handle.join().unwrap();
    }

    #[test]
    fn spans_are_byte_offsets_of_the_file() {
        let text = "#!/usr/bin/env run\n// é\nconst TOKEN: &str = \"ghp_x\";\n";
        let facts = parse(text).expect("parses");
        let lit = &facts.strings[0];
        assert_eq!(&text[lit.span.start..lit.span.end], "\"ghp_x\"");
        assert_eq!(lit.target.as_deref(), Some("TOKEN"));
    }
}
