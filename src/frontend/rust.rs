//! Rust frontend: parses with `syn` and lowers into facts. Spans come from
//! proc-macro2's `span-locations` source map, which is per thread and must be
//! cleared after each file.

use std::collections::HashMap;

use proc_macro2::{Span as PmSpan, TokenStream, TokenTree};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Expr as SynExpr, Lit, Pat, Token};

use crate::facts::{
    Arg, Binding, Call, Expr, FileFacts, Function, Import, Language, Stmt, StringLit, Value,
};
use crate::finding::Span;
use crate::frontend::tree::MAX_EXPR_DEPTH;
use crate::frontend::{ParseFailure, rust_flow, rust_mcp, rust_tools};

/// syn is a recursive-descent parser, and its syntax trees are visited and
/// dropped recursively: input nested deeper than `MAX_NESTING` brackets, or
/// with more than `MAX_OPERATORS` operators in one statement (a chain of
/// binary operators is a tree as deep as it is long), is not parsed, so that
/// no file can exhaust a thread's stack.
pub const MAX_NESTING: usize = 128;
pub const MAX_OPERATORS: usize = 1_000;

/// `x as u8 as u8 …` nests without brackets or operators: each `as` counts
/// as an operator.
const CAST: &[u8] = b"as";
/// `return return …` (also `break`, `yield`, `become`) nests in syn's parser
/// with much larger frames than binary operators: at most `MAX_NESTING` of
/// them in one statement.
const PREFIX_KEYWORDS: &[&[u8]] = &[b"return", b"break", b"yield", b"become"];

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
            let mut facts = lowering.finish();
            rust_tools::lower(&file, &mut facts);
            rust_tools::test_modules(&file.items, &mut facts.test_spans);
            Ok(facts)
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
/// nesting, per statement the operators, `.`/`?` links and nesting keywords
/// that make expression trees deep, and `else if` chains (each `else` at one
/// bracket depth until a `;` there). String, char and raw-string literals
/// and comments are skipped so that their contents are not counted.
fn too_complex(source: &str) -> Option<(usize, String)> {
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    let mut operators = 0usize;
    let mut statement_start = 0usize;
    // `else` keywords per bracket depth since the last `;` at that depth.
    let mut elses = [0usize; MAX_NESTING + 2];
    let mut prefixes = 0usize;
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
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                let end = bytes[i..]
                    .iter()
                    .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
                    .map_or(bytes.len(), |n| i + n);
                let word = &bytes[i..end];
                if word == b"else" {
                    elses[depth] += 1;
                    if elses[depth] > MAX_OPERATORS {
                        return Some((
                            i,
                            format!(
                                "a chain of more than {MAX_OPERATORS} `else` branches; not parsed"
                            ),
                        ));
                    }
                } else if PREFIX_KEYWORDS.contains(&word) {
                    prefixes += 1;
                    if prefixes > MAX_NESTING {
                        return Some((
                            statement_start,
                            format!(
                                "a statement with more than {MAX_NESTING} `return`/`break` keywords; not parsed"
                            ),
                        ));
                    }
                } else if word == CAST {
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
                i = end - 1;
            }
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
            b')' | b']' | b'}' => {
                elses[depth] = 0;
                depth = depth.saturating_sub(1);
            }
            b';' => elses[depth] = 0,
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
            prefixes = 0;
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
    /// Addresses of the expressions in tail position of the function being
    /// lowered, not yet visited: their value is returned.
    tails: Vec<usize>,
    /// The lowered scrutinee of each `match` being visited, innermost last.
    scrutinees: Vec<Expr>,
}

impl Lowering {
    fn new() -> Self {
        Lowering {
            facts: FileFacts::new(Language::Rust),
            targets: HashMap::new(),
            fn_depth: 0,
            tools: Vec::new(),
            structs: HashMap::new(),
            tails: Vec::new(),
            scrutinees: Vec::new(),
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
        let value = lower_expr(expr, 0);
        self.bind_value(name, expr, value, to_span(span));
    }

    fn bind_value(&mut self, name: String, expr: &SynExpr, value: Expr, span: Span) {
        self.note_target(expr, name.clone());
        self.facts.bindings.push(Binding {
            name,
            value,
            span,
            top_level: self.fn_depth == 0,
        });
    }

    /// Pushes a data-flow statement of a function body.
    fn statement(&mut self, stmt: Stmt) {
        if self.fn_depth > 0 {
            self.facts.statements.push(stmt);
        }
    }

    fn assign(&mut self, targets: Vec<String>, value: Expr, span: Span, augmented: bool) {
        if !targets.is_empty() {
            self.statement(Stmt::Assign {
                targets,
                value,
                span,
                augmented,
            });
        }
    }

    /// Records a function or closure whose body's value is `tail`, and
    /// visits it; returns from the visit once its body is done.
    fn function<F>(
        &mut self,
        name: Option<String>,
        span: Span,
        params: Vec<String>,
        tail: Option<&SynExpr>,
        visit_body: F,
    ) where
        F: FnOnce(&mut Self),
    {
        self.facts.functions.push(Function { name, span, params });
        let mark = self.tails.len();
        if let Some(tail) = tail {
            self.tails.push(address(tail));
        }
        self.fn_depth += 1;
        visit_body(self);
        self.fn_depth -= 1;
        self.tails.truncate(mark);
    }

    /// An expression in tail position: its value is returned, or for an
    /// `if` / `match` / block, the values of its branches.
    #[inline(never)]
    fn tail(&mut self, expr: &SynExpr) {
        let mark_block = |this: &mut Self, block: &syn::Block| {
            if let Some(tail) = rust_flow::block_tail(block) {
                this.tails.push(address(tail));
            }
        };
        match expr {
            SynExpr::If(expr_if) => {
                mark_block(self, &expr_if.then_branch);
                if let Some((_, orelse)) = &expr_if.else_branch {
                    self.tails.push(address(orelse));
                }
            }
            SynExpr::Match(expr_match) => {
                for arm in &expr_match.arms {
                    self.tails.push(address(&arm.body));
                }
            }
            SynExpr::Block(block) => mark_block(self, &block.block),
            SynExpr::Unsafe(block) => mark_block(self, &block.block),
            SynExpr::Paren(paren) => self.tails.push(address(&paren.expr)),
            SynExpr::Return(_) | SynExpr::Break(_) | SynExpr::Continue(_) => {}
            _ => {
                let value = lower_expr(expr, 0);
                let span = value.span;
                self.statement(Stmt::Return { value, span });
            }
        }
    }

    /// `if cond { … } else { … }` and `while cond { … }` as guards.
    #[inline(never)]
    fn guard_if(&mut self, expr_if: &syn::ExprIf) {
        if self.fn_depth == 0 {
            return;
        }
        let body = rust_flow::block_span(&expr_if.then_branch);
        let orelse = expr_if.else_branch.as_ref().map(|(_, orelse)| {
            (
                rust_flow::else_span(orelse),
                rust_flow::expr_exits(orelse, 0),
            )
        });
        let end = orelse.map_or(body.end, |(span, _)| span.end);
        self.statement(Stmt::Guard {
            cond: lower_expr(&expr_if.cond, 0),
            span: Span::new(to_span(expr_if.if_token.span).start, end),
            body,
            exits: rust_flow::block_exits(&expr_if.then_branch),
            orelse,
        });
    }

    /// `assert!(cond)`, `ensure!(cond, …)`: a guard that leaves when `cond` fails.
    fn guard_assertion(
        &mut self,
        mac: &syn::Macro,
        args: Option<&Punctuated<SynExpr, Token![,]>>,
        span: Span,
    ) {
        if self.fn_depth == 0 {
            return;
        }
        if let Some(cond) = args.and_then(|args| rust_flow::assertion_cond(mac, args)) {
            let end = rust_flow::empty_at(span.end);
            self.statement(Stmt::Guard {
                cond,
                span,
                body: end,
                exits: false,
                orelse: Some((end, true)),
            });
        }
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
                    match expr {
                        // `format!("{name}", name = value)`: a named
                        // argument, not an assignment.
                        SynExpr::Assign(named) if matches!(&*named.left, SynExpr::Path(p) if p.path.get_ident().is_some()) => {
                            self.visit_expr(&named.right)
                        }
                        _ => self.visit_expr(expr),
                    }
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
        // invocation is a call with those arguments (a `format!`-style
        // string and its arguments as one template), and they are visited;
        // otherwise (`json!`, custom syntax) the string literals in the
        // tokens are still recorded.
        let parsed = rust_flow::macro_args(&mac.tokens);
        let (span, callee_span) = rust_flow::macro_span(mac);
        self.facts.calls.push(Call {
            callee: format!("{}!", path_string(&mac.path)),
            args: parsed
                .as_ref()
                .map(|e| rust_flow::macro_call_args(mac, e, 0))
                .unwrap_or_default(),
            span,
            callee_span,
            receiver: None,
        });
        self.guard_assertion(mac, parsed.as_ref(), span);
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
        if let Some(init) = &local.init {
            let value = lower_expr(&init.expr, 0);
            let span = Span::new(
                to_span(local.let_token.span).start,
                to_span(local.semi_token.span).end,
            );
            if let Some(name) = pat_name(&local.pat) {
                self.bind_value(name, &init.expr, value.clone(), span);
            }
            self.assign(rust_flow::pattern_names(&local.pat), value, span, false);
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
        let value = lower_expr(&assign.right, 0);
        let span = Span::new(to_span(assign.left.span()).start, value.span.end);
        if let Some(name) = expr_path(&assign.left) {
            self.bind_value(name, &assign.right, value.clone(), span);
        }
        let (targets, augmented) = rust_flow::assign_targets(&assign.left);
        self.assign(targets, value, span, augmented);
        visit::visit_expr_assign(self, assign);
    }

    fn visit_expr(&mut self, expr: &'ast SynExpr) {
        if !self.tails.is_empty()
            && let Some(i) = self.tails.iter().rposition(|&t| t == address(expr))
        {
            self.tails.remove(i);
            self.tail(expr);
        }
        visit::visit_expr(self, expr);
    }

    fn visit_expr_binary(&mut self, binary: &'ast syn::ExprBinary) {
        let comparison = match binary.op {
            syn::BinOp::Eq(_) => Some("=="),
            syn::BinOp::Ne(_) => Some("!="),
            _ => None,
        };
        if let Some(op) = comparison {
            self.facts.comparisons.push(crate::facts::Comparison {
                op: op.to_string(),
                left: to_span(binary.left.span()),
                right: to_span(binary.right.span()),
                span: to_span(binary.span()),
            });
        }
        if self.fn_depth > 0 && rust_flow::binop(&binary.op).1 {
            let (targets, _) = rust_flow::assign_targets(&binary.left);
            let value = lower_expr(&binary.right, 0);
            let span = Span::new(to_span(binary.left.span()).start, value.span.end);
            self.assign(targets, value, span, true);
        }
        visit::visit_expr_binary(self, binary);
    }

    fn visit_expr_for_loop(&mut self, for_loop: &'ast syn::ExprForLoop) {
        if self.fn_depth > 0 {
            let value = lower_expr(&for_loop.expr, 0);
            let span = Span::new(to_span(for_loop.for_token.span).start, value.span.end);
            self.assign(rust_flow::pattern_names(&for_loop.pat), value, span, false);
        }
        visit::visit_expr_for_loop(self, for_loop);
    }

    fn visit_expr_let(&mut self, expr_let: &'ast syn::ExprLet) {
        if self.fn_depth > 0 {
            let value = lower_expr(&expr_let.expr, 0);
            let span = Span::new(to_span(expr_let.let_token.span).start, value.span.end);
            self.assign(rust_flow::pattern_names(&expr_let.pat), value, span, false);
        }
        visit::visit_expr_let(self, expr_let);
    }

    fn visit_expr_if(&mut self, expr_if: &'ast syn::ExprIf) {
        self.guard_if(expr_if);
        visit::visit_expr_if(self, expr_if);
    }

    fn visit_expr_while(&mut self, expr_while: &'ast syn::ExprWhile) {
        if self.fn_depth > 0 {
            let body = rust_flow::block_span(&expr_while.body);
            self.statement(Stmt::Guard {
                cond: lower_expr(&expr_while.cond, 0),
                span: Span::new(to_span(expr_while.while_token.span).start, body.end),
                body,
                exits: rust_flow::block_exits(&expr_while.body),
                orelse: None,
            });
        }
        visit::visit_expr_while(self, expr_while);
    }

    fn visit_expr_match(&mut self, expr_match: &'ast syn::ExprMatch) {
        if self.fn_depth == 0 {
            visit::visit_expr_match(self, expr_match);
        } else {
            self.scrutinees.push(lower_expr(&expr_match.expr, 0));
            visit::visit_expr_match(self, expr_match);
            self.scrutinees.pop();
        }
    }

    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        if let Some(scrutinee) = self.scrutinees.last() {
            let targets = rust_flow::pattern_names(&arm.pat);
            if !targets.is_empty() {
                let value = scrutinee.clone();
                self.assign(targets, value, to_span(arm.pat.span()), false);
            }
            // `p if ALLOWED.contains(&p) => …`: the arm's body runs when the guard holds.
            if let Pat::Guard(guard) = &arm.pat {
                let body = to_span(arm.body.span());
                self.statement(Stmt::Guard {
                    cond: lower_expr(&guard.guard, 0),
                    span: Span::new(to_span(guard.if_token.span).start, body.end),
                    body,
                    exits: rust_flow::expr_exits(&arm.body, 0),
                    orelse: None,
                });
            }
        }
        visit::visit_arm(self, arm);
    }

    fn visit_expr_return(&mut self, ret: &'ast syn::ExprReturn) {
        if self.fn_depth > 0
            && let Some(expr) = &ret.expr
        {
            let value = lower_expr(expr, 0);
            let span = Span::new(to_span(ret.return_token.span).start, value.span.end);
            self.statement(Stmt::Return { value, span });
        }
        visit::visit_expr_return(self, ret);
    }

    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        let span = fn_span(&item.sig, &item.block);
        self.function(
            Some(item.sig.ident.to_string()),
            span,
            params_of(&item.sig),
            rust_flow::block_tail(&item.block),
            |this| visit::visit_item_fn(this, item),
        );
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        let span = fn_span(&item.sig, &item.block);
        self.function(
            Some(item.sig.ident.to_string()),
            span,
            params_of(&item.sig),
            rust_flow::block_tail(&item.block),
            |this| visit::visit_impl_item_fn(this, item),
        );
    }

    fn visit_trait_item_fn(&mut self, item: &'ast syn::TraitItemFn) {
        match &item.default {
            Some(block) => self.function(
                Some(item.sig.ident.to_string()),
                fn_span(&item.sig, block),
                params_of(&item.sig),
                rust_flow::block_tail(block),
                |this| visit::visit_trait_item_fn(this, item),
            ),
            None => visit::visit_trait_item_fn(self, item),
        }
    }

    fn visit_expr_closure(&mut self, closure: &'ast syn::ExprClosure) {
        let params = closure
            .inputs
            .iter()
            .flat_map(rust_flow::pattern_names)
            .collect();
        self.function(
            None,
            to_span(closure.span()),
            params,
            Some(&closure.body),
            |this| visit::visit_expr_closure(this, closure),
        );
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
                // `use std::fs::{self, File}`: `self` imports the module as `fs`.
                syn::UseTree::Name(name) if name.ident == "self" => {
                    let (module, local) = match prefix.rsplit_once("::") {
                        Some((module, local)) => (module.to_string(), local.to_string()),
                        None => (String::new(), prefix.clone()),
                    };
                    self.facts.imports.push(Import {
                        module,
                        name: Some(local.clone()),
                        local,
                        span: to_span(name.ident.span()),
                    })
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

/// The identity of a syntax node during the walk.
fn address(expr: &SynExpr) -> usize {
    expr as *const SynExpr as usize
}

/// A function from its signature to the end of its body.
fn fn_span(sig: &syn::Signature, block: &syn::Block) -> Span {
    Span::new(to_span(sig.span()).start, rust_flow::block_span(block).end)
}

/// The names a function's parameters bind (`self` excluded):
/// `Parameters(ReadArgs { path, max_bytes }): Parameters<ReadArgs>` binds
/// `path` and `max_bytes`.
fn params_of(sig: &syn::Signature) -> Vec<String> {
    sig.inputs
        .iter()
        .filter_map(|input| match input {
            syn::FnArg::Typed(typed) => Some(rust_flow::pattern_names(&typed.pat)),
            syn::FnArg::Receiver(_) => None,
        })
        .flatten()
        .collect()
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

/// Peels parentheses and groups.
fn strip_parens(expr: &SynExpr) -> &SynExpr {
    match expr {
        SynExpr::Paren(inner) => strip_parens(&inner.expr),
        SynExpr::Group(inner) => strip_parens(&inner.expr),
        _ => expr,
    }
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

pub(super) fn path_string(path: &syn::Path) -> String {
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
pub(super) fn expr_path(expr: &SynExpr) -> Option<String> {
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

pub(super) fn lower_expr(expr: &SynExpr, depth: usize) -> Expr {
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
        super::limits::reached(
            crate::frontend::tree::EXPR_DEPTH_LIMIT,
            to_span(syn::spanned::Spanned::span(expr)),
        );
        return Value::Other;
    }
    match strip_parens(expr) {
        SynExpr::Lit(lit) => match &lit.lit {
            Lit::Str(s) => Value::Str(s.value()),
            // `starts_with('-')`: a one-character text for the checks.
            Lit::Char(c) => Value::Str(c.value().to_string()),
            Lit::Int(i) => Value::Number(i.base10_digits().to_string()),
            Lit::Float(f) => Value::Number(f.base10_digits().to_string()),
            Lit::Bool(b) => Value::Bool(b.value),
            _ => Value::Other,
        },
        e @ (SynExpr::Path(_) | SynExpr::Field(_)) => match expr_path(e) {
            Some(name) => Value::Name(name),
            None => rust_flow::operator_value(e, depth),
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
            // (The receiver is lowered here only when it is the lookup
            // itself: lowering it twice per `unwrap_or` of a chain would
            // double the work at each link.)
            if matches!(method.as_str(), "unwrap_or" | "unwrap_or_else")
                && matches!(strip_parens(&call.receiver), SynExpr::Call(c) if is_env_var_call(c))
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
        other => rust_flow::operator_value(other, depth),
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
        let returns = format!("fn h() -> u32 {{ {}1 }}", "return ".repeat(MAX_NESTING));
        let casts = format!("fn i() -> u8 {{ 1{} }}", " as u8".repeat(MAX_OPERATORS - 1));
        let elses = format!(
            "fn j(x: u32) -> u32 {{ if x == 0 {{ 0 }}{} else {{ 1 }} }}",
            " else if x == 1 { 1 }".repeat(MAX_OPERATORS - 2)
        );
        let handle = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || {
                for text in [nested, chain, returns, casts, elses] {
                    assert!(parse(&text).is_ok());
                }
            })
            .unwrap();
        handle.join().unwrap();
    }

    /// Chains that nest without brackets or operators are bounded too.
    #[test]
    fn keyword_and_else_chains_past_the_limits_are_not_parsed() {
        for text in [
            format!("fn h() -> u32 {{ {}1 }}", "return ".repeat(MAX_NESTING + 1)),
            format!("fn i() -> u8 {{ 1{} }}", " as u8".repeat(MAX_OPERATORS + 1)),
            format!(
                "fn j(x: u32) -> u32 {{ if x == 0 {{ 0; }}{} }}",
                " else if x == 1 { 1; }".repeat(MAX_OPERATORS + 1)
            ),
        ] {
            assert!(parse(&text).is_err());
        }
        // Many `if … else` statements in one body are not one chain.
        let many = format!(
            "fn k(x: u32) {{ {} }}",
            "if x == 1 { f(); } else { g(); };".repeat(MAX_OPERATORS + 1)
        );
        assert!(parse(&many).is_ok());
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
