//! rmcp servers written by hand: the `Tool { name, … }` / `Tool::new(…)`
//! values a `ServerHandler::list_tools` returns, and the dispatch on the tool
//! name in its `call_tool` (`match request.name.as_ref() { "x" => … }`,
//! `if name == "x"`).
//!
//! A value is not yet a tool: only the project pass (`project::rust_tools`)
//! can tell whether it reaches `list_tools`, possibly through helpers in other
//! modules or crates. So the values are recorded in `FileFacts::tool_values`
//! and the branches in `FileFacts::dispatch`.

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Attribute, Expr as SynExpr, Lit};

use super::rust::{expr_path, lower_expr_pub, path_string, to_span};
use super::rust_flow;
use super::schema::json_schema_params;
use crate::facts::{Description, EntryKind, Expr, FileFacts, ToolAnnotations, ToolDef, Value};
use crate::finding::Span;

/// Records the tool values and name dispatches of a parsed file.
pub fn lower(file: &syn::File, facts: &mut FileFacts) {
    let mut walk = Walk {
        tool_types: tool_type_names(facts),
        conditional: 0,
        found: Vec::new(),
        dispatch: Vec::new(),
        annotated: Vec::new(),
    };
    walk.visit_file(file);
    // `Tool::new(…).annotate(ToolAnnotations::new().read_only(true))`
    for (receiver, annotations) in walk.annotated {
        if let Some(found) = walk
            .found
            .iter_mut()
            .find(|f| receiver.start <= f.span.start && f.span.end <= receiver.end)
        {
            found.annotations = annotations;
        }
    }
    for found in walk.found {
        if let Some(tool) = found.into_tool(facts) {
            facts.tool_values.push(tool);
        }
    }
    // A constant label of this file is its text; one of another module is
    // left as its path for the project pass.
    for (label, span, constant) in walk.dispatch {
        let label = match constant {
            true => facts
                .string_of(&Expr {
                    span,
                    value: Value::Name(label.clone()),
                })
                .map_or(label, |(text, _)| text),
            false => label,
        };
        facts.dispatch.push((label, span));
    }
}

/// The paths that name rmcp's `Tool` type in this file: `rmcp::model::Tool`,
/// `Tool` imported from rmcp (or an alias of it, or a glob of an rmcp
/// module), `model::Tool` when `model` is imported from rmcp. A `Tool` of
/// another crate or of the project itself is something else.
fn tool_type_names(facts: &FileFacts) -> Vec<String> {
    let mut out = vec!["rmcp::model::Tool".to_string()];
    for import in &facts.imports {
        let from_rmcp = import.module == "rmcp" || import.module.starts_with("rmcp::");
        if !from_rmcp {
            continue;
        }
        match import.name.as_deref() {
            Some("Tool") => out.push(import.local.clone()),
            None if import.local == "*" => out.push("Tool".to_string()),
            _ => out.push(format!("{}::Tool", import.local)),
        }
    }
    out
}

/// A tool value as written, resolved once the file's constants are known.
struct Found {
    name: Expr,
    description: Option<Option<Expr>>,
    schema: Option<Expr>,
    annotations: ToolAnnotations,
    conditional: bool,
    /// The whole `Tool { … }` / `Tool::new(…)` expression.
    span: Span,
}

impl Found {
    fn into_tool(self, facts: &FileFacts) -> Option<ToolDef> {
        // A constant of another module (`TOOL_SEARCH.to_string()`) is
        // resolved by the project pass: the name path stands in, dynamic.
        // The tool is where its value is built (its name expression); the
        // literal may be a constant's, elsewhere in the file.
        let span = self.name.span;
        let (name, literal, dynamic) = match (facts.string_of(&self.name), &self.name.value) {
            (Some((name, literal)), _) => (name, Some(literal), false),
            (None, Value::Name(path)) => (path.clone(), None, true),
            _ => return None,
        };
        let description = match self.description {
            Some(Some(expr)) => Some(match facts.string_of(&expr) {
                Some((text, span)) => Description::Literal { text, span },
                None => Description::Dynamic {
                    span: expr.span,
                    origins: Vec::new(),
                },
            }),
            _ => None,
        };
        let params = self
            .schema
            .map(|schema| json_schema_params(&schema, facts))
            .unwrap_or_default();
        Some(ToolDef {
            kind: EntryKind::Tool,
            name,
            span,
            name_literal: literal,
            dynamic_name: dynamic,
            description,
            params,
            annotations: self.annotations,
            handler: None,
            handler_import: None,
            conditional: self.conditional,
            link: None,
        })
    }
}

struct Walk {
    tool_types: Vec<String>,
    /// How many `#[cfg(…)]` items or statements the walk is inside.
    conditional: usize,
    found: Vec<Found>,
    /// Labels, branch spans, and whether the label is a constant's path.
    dispatch: Vec<(String, Span, bool)>,
    /// `receiver.annotate(…)` / `.with_annotations(…)`: the receiver's span
    /// and the hints given.
    annotated: Vec<(Span, ToolAnnotations)>,
}

/// The spans of `#[cfg(test)]` modules, at any depth of modules: test
/// code inside a source file (see `crate::roles::at`).
pub fn test_modules(items: &[syn::Item], out: &mut Vec<Span>) {
    for item in items {
        if let syn::Item::Mod(module) = item {
            if cfg_of(&module.attrs) == Some(true) {
                out.push(to_span(module.span()));
            } else if let Some((_, inner)) = &module.content {
                test_modules(inner, out);
            }
        }
    }
}

/// What `#[cfg]` attributes on a node say: `None` when there is none,
/// `Some(true)` for `#[cfg(test)]` (test code: no tool of the server).
fn cfg_of(attrs: &[Attribute]) -> Option<bool> {
    let mut out = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("cfg")) {
        let tokens = attr
            .meta
            .require_list()
            .map(|l| l.tokens.to_string())
            .unwrap_or_default();
        out = Some(out.unwrap_or(false) || tokens == "test");
    }
    out
}

/// The attributes of the expressions that can stand as statements.
fn expr_attrs(expr: &SynExpr) -> &[Attribute] {
    match expr {
        SynExpr::Call(e) => &e.attrs,
        SynExpr::MethodCall(e) => &e.attrs,
        SynExpr::Struct(e) => &e.attrs,
        SynExpr::Macro(e) => &e.attrs,
        SynExpr::Block(e) => &e.attrs,
        SynExpr::If(e) => &e.attrs,
        SynExpr::Match(e) => &e.attrs,
        SynExpr::Assign(e) => &e.attrs,
        _ => &[],
    }
}

/// The text inside the usual wrappers of a `Cow<'static, str>` or an
/// `Option` of one: `Cow::Borrowed("x")`, `"x".into()`, `Some(…)`,
/// `String::from(…)`, `"x".to_string()`.
fn peel(expr: &SynExpr) -> &SynExpr {
    match expr {
        SynExpr::Paren(inner) => peel(&inner.expr),
        SynExpr::Group(inner) => peel(&inner.expr),
        SynExpr::Reference(inner) => peel(&inner.expr),
        SynExpr::Call(call) if call.args.len() == 1 => {
            let callee = expr_path(&call.func).unwrap_or_default();
            let last = callee.rsplit("::").next().unwrap_or_default();
            if matches!(
                last,
                "Borrowed" | "Owned" | "from" | "Some" | "new" | "into"
            ) {
                peel(&call.args[0])
            } else {
                expr
            }
        }
        SynExpr::MethodCall(call)
            if call.args.is_empty()
                && matches!(
                    call.method.to_string().as_str(),
                    "into" | "to_string" | "to_owned" | "clone"
                ) =>
        {
            peel(&call.receiver)
        }
        _ => expr,
    }
}

/// `None` for an absent description (`description: None`), else its value.
fn description_of(expr: &SynExpr) -> Option<Expr> {
    match peel(expr) {
        SynExpr::Path(p) if p.path.is_ident("None") => None,
        other => Some(lower_expr_pub(other)),
    }
}

/// The JSON schema written in a `json!({...})` inside an expression
/// (`Arc::new(serde_json::from_value(json!({...})).unwrap())`), as an
/// object expression; or a name the schema is bound to.
fn schema_of(expr: &SynExpr) -> Option<Expr> {
    struct FindJson(Option<Expr>);
    impl<'ast> Visit<'ast> for FindJson {
        fn visit_macro(&mut self, mac: &'ast syn::Macro) {
            if self.0.is_none() && mac.path.segments.last().is_some_and(|s| s.ident == "json") {
                self.0 = json_tokens(mac.tokens.clone().into_iter().collect());
            }
        }
    }
    let mut find = FindJson(None);
    find.visit_expr(expr);
    find.0.or_else(|| {
        let lowered = lower_expr_pub(peel(expr));
        matches!(lowered.value, Value::Name(_)).then_some(lowered)
    })
}

/// The JSON value of `json!` tokens: objects, arrays and literals; any
/// interpolated Rust expression is `Other`.
fn json_tokens(tokens: Vec<TokenTree>) -> Option<Expr> {
    let [single] = tokens.as_slice() else {
        return None;
    };
    json_value(single)
}

fn json_value(tree: &TokenTree) -> Option<Expr> {
    let span = to_span(tree.span());
    let value = match tree {
        TokenTree::Group(group) => {
            let items = split_commas(group.stream());
            match group.delimiter() {
                proc_macro2::Delimiter::Brace => Value::Object(
                    items
                        .iter()
                        .filter_map(|item| match item.as_slice() {
                            [TokenTree::Literal(key), TokenTree::Punct(colon), value]
                                if colon.as_char() == ':' =>
                            {
                                let Lit::Str(key) = Lit::new(key.clone()) else {
                                    return None;
                                };
                                Some((key.value(), json_value(value)?))
                            }
                            _ => None,
                        })
                        .collect(),
                ),
                proc_macro2::Delimiter::Bracket => Value::Array(
                    items
                        .iter()
                        .filter_map(|item| match item.as_slice() {
                            [single] => json_value(single),
                            _ => None,
                        })
                        .collect(),
                ),
                _ => Value::Other,
            }
        }
        TokenTree::Literal(literal) => match Lit::new(literal.clone()) {
            Lit::Str(s) => Value::Str(s.value()),
            Lit::Int(i) => Value::Number(i.base10_digits().to_string()),
            Lit::Float(f) => Value::Number(f.base10_digits().to_string()),
            _ => Value::Other,
        },
        TokenTree::Ident(ident) if ident == "true" || ident == "false" => {
            Value::Bool(ident == "true")
        }
        TokenTree::Ident(ident) if ident == "null" => Value::Null,
        _ => Value::Other,
    };
    Some(Expr { span, value })
}

fn split_commas(stream: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut out: Vec<Vec<TokenTree>> = vec![Vec::new()];
    for tree in stream {
        match &tree {
            TokenTree::Punct(p) if p.as_char() == ',' => out.push(Vec::new()),
            _ => {
                if let Some(last) = out.last_mut() {
                    last.push(tree);
                }
            }
        }
    }
    out.retain(|item| !item.is_empty());
    out
}

/// The hints of a `ToolAnnotations` written as a struct
/// (`ToolAnnotations { read_only_hint: Some(true), .. }`) or built
/// (`ToolAnnotations::new().read_only(true).destructive(false)`).
fn annotations_of(expr: &SynExpr) -> ToolAnnotations {
    let mut out = ToolAnnotations::default();
    let flag = |e: &SynExpr| match peel(e) {
        SynExpr::Lit(lit) => match &lit.lit {
            Lit::Bool(b) => Some(b.value),
            _ => None,
        },
        _ => None,
    };
    let mut set = |key: &str, value: Option<bool>| match key {
        "read_only_hint" | "read_only" => out.read_only = value,
        "destructive_hint" | "destructive" => out.destructive = value,
        "idempotent_hint" | "idempotent" => out.idempotent = value,
        "open_world_hint" | "open_world" => out.open_world = value,
        _ => {}
    };
    let mut current = peel(expr);
    loop {
        match current {
            SynExpr::Struct(strukt) => {
                for field in &strukt.fields {
                    if let syn::Member::Named(ident) = &field.member {
                        set(&ident.to_string(), flag(&field.expr));
                    }
                }
                break;
            }
            SynExpr::MethodCall(call) => {
                if let Some(arg) = call.args.first() {
                    set(&call.method.to_string(), flag(arg));
                }
                current = &call.receiver;
            }
            _ => break,
        }
    }
    out
}

/// Does an expression read a tool's name (`request.name.as_ref()`,
/// `tool_name.as_str()`, `&*name`)?
fn reads_name(expr: &SynExpr) -> bool {
    expr.to_token_stream()
        .to_string()
        .to_ascii_lowercase()
        .contains("name")
}

/// The labels a match arm's pattern accepts: string literals (`"x"`,
/// `"x" | "y"`) and constants (`TOOL_SEARCH`, `names::SEARCH`), the latter as
/// their path with `true`.
fn arm_labels(pat: &syn::Pat, out: &mut Vec<(String, bool)>) {
    let constant = |name: &str| {
        let last = name.rsplit("::").next().unwrap_or(name);
        last.len() > 1
            && last
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    };
    match pat {
        syn::Pat::Lit(lit) => {
            if let Lit::Str(s) = &lit.lit {
                out.push((s.value(), false));
            }
        }
        syn::Pat::Ident(ident) if ident.subpat.is_none() && constant(&ident.ident.to_string()) => {
            out.push((ident.ident.to_string(), true));
        }
        syn::Pat::Path(path) if constant(&path_string(&path.path)) => {
            out.push((path_string(&path.path), true));
        }
        syn::Pat::Or(or) => {
            for case in &or.cases {
                arm_labels(case, out);
            }
        }
        syn::Pat::Paren(inner) => arm_labels(&inner.pat, out),
        _ => {}
    }
}

impl Walk {
    /// Walks a node, counting it as conditional under a `#[cfg(…)]`;
    /// `#[cfg(test)]` code is skipped.
    fn scoped(&mut self, attrs: &[Attribute], walk: impl FnOnce(&mut Self)) {
        match cfg_of(attrs) {
            Some(true) => {}
            Some(false) => {
                self.conditional += 1;
                walk(self);
                self.conditional -= 1;
            }
            None => walk(self),
        }
    }

    fn is_tool_type(&self, path: &str) -> bool {
        self.tool_types.iter().any(|t| t == path)
    }
}

impl<'ast> Visit<'ast> for Walk {
    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        self.scoped(&item.attrs, |this| visit::visit_item_fn(this, item));
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        self.scoped(&item.attrs, |this| visit::visit_impl_item_fn(this, item));
    }

    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        self.scoped(&item.attrs, |this| visit::visit_item_impl(this, item));
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        self.scoped(&item.attrs, |this| visit::visit_item_mod(this, item));
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        self.scoped(&local.attrs, |this| visit::visit_local(this, local));
    }

    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        self.scoped(&arm.attrs, |this| visit::visit_arm(this, arm));
    }

    fn visit_field_value(&mut self, field: &'ast syn::FieldValue) {
        self.scoped(&field.attrs, |this| visit::visit_field_value(this, field));
    }

    fn visit_stmt_macro(&mut self, stmt: &'ast syn::StmtMacro) {
        self.scoped(&stmt.attrs, |this| visit::visit_stmt_macro(this, stmt));
    }

    fn visit_expr(&mut self, expr: &'ast SynExpr) {
        self.scoped(expr_attrs(expr), |this| visit::visit_expr(this, expr));
    }

    /// `vec![Tool { … }, …]`: macro bodies are tokens to syn.
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        if let Some(args) = rust_flow::macro_args(&mac.tokens) {
            for arg in &args {
                self.visit_expr(arg);
            }
        }
    }

    fn visit_expr_struct(&mut self, strukt: &'ast syn::ExprStruct) {
        if self.is_tool_type(&path_string(&strukt.path)) {
            let field = |name: &str| {
                strukt
                    .fields
                    .iter()
                    .find(|f| matches!(&f.member, syn::Member::Named(ident) if ident == name))
            };
            if let Some(name) = field("name") {
                self.found.push(Found {
                    name: lower_expr_pub(peel(&name.expr)),
                    description: field("description").map(|d| description_of(&d.expr)),
                    schema: field("input_schema").and_then(|s| schema_of(&s.expr)),
                    annotations: field("annotations")
                        .map(|a| annotations_of(&a.expr))
                        .unwrap_or_default(),
                    conditional: self.conditional > 0,
                    span: to_span(strukt.span()),
                });
            }
        }
        visit::visit_expr_struct(self, strukt);
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        let callee = expr_path(&call.func).unwrap_or_default();
        if let Some(ty) = callee.strip_suffix("::new")
            && self.is_tool_type(ty)
            && let Some(name) = call.args.first()
        {
            self.found.push(Found {
                name: lower_expr_pub(peel(name)),
                description: call.args.get(1).map(description_of),
                schema: call.args.get(2).and_then(schema_of),
                annotations: ToolAnnotations::default(),
                conditional: self.conditional > 0,
                span: to_span(call.span()),
            });
        }
        visit::visit_expr_call(self, call);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        let method = call.method.to_string();
        if matches!(method.as_str(), "annotate" | "with_annotations")
            && let Some(arg) = call.args.first()
        {
            self.annotated
                .push((to_span(call.receiver.span()), annotations_of(arg)));
        }
        visit::visit_expr_method_call(self, call);
    }

    fn visit_expr_match(&mut self, expr_match: &'ast syn::ExprMatch) {
        if reads_name(&expr_match.expr) {
            for arm in &expr_match.arms {
                let mut labels = Vec::new();
                arm_labels(&arm.pat, &mut labels);
                let span = Span::new(to_span(arm.pat.span()).start, to_span(arm.body.span()).end);
                self.dispatch.extend(
                    labels
                        .into_iter()
                        .map(|(label, constant)| (label, span, constant)),
                );
            }
        }
        visit::visit_expr_match(self, expr_match);
    }

    fn visit_expr_if(&mut self, expr_if: &'ast syn::ExprIf) {
        if let SynExpr::Binary(binary) = &*expr_if.cond
            && matches!(binary.op, syn::BinOp::Eq(_))
        {
            let literal = |e: &SynExpr| match e {
                SynExpr::Lit(lit) => match &lit.lit {
                    Lit::Str(s) => Some(s.value()),
                    _ => None,
                },
                _ => None,
            };
            let label = match (literal(&binary.left), literal(&binary.right)) {
                (Some(label), None) if reads_name(&binary.right) => Some(label),
                (None, Some(label)) if reads_name(&binary.left) => Some(label),
                _ => None,
            };
            if let Some(label) = label {
                let span = Span::new(
                    to_span(expr_if.if_token.span).start,
                    rust_flow::block_span(&expr_if.then_branch).end,
                );
                self.dispatch.push((label, span, false));
            }
        }
        visit::visit_expr_if(self, expr_if);
    }
}

#[cfg(test)]
mod tests {
    use crate::frontend::rust::parse;

    const SERVER: &str = r#"
use std::borrow::Cow;
use std::sync::Arc;
use rmcp::model::{CallToolRequestParam, Tool, ToolAnnotations};
use serde_json::json;

const STATUS: &str = "git-status";

fn tools() -> Vec<Tool> {
    let mut tools = vec![
        Tool {
            name: Cow::Borrowed("read-file"),
            description: Some(Cow::Borrowed("Reads a file")),
            input_schema: Arc::new(serde_json::from_value(json!({
                "type": "object",
                "properties": {"path": {"type": "string", "description": "file"}},
                "required": ["path"]
            })).unwrap_or_default()),
            annotations: Some(ToolAnnotations { read_only_hint: Some(false), destructive_hint: Some(true), ..Default::default() }),
        },
        Tool::new(STATUS, "Shows the status", Arc::new(Default::default()))
            .annotate(ToolAnnotations::new().read_only(true)),
    ];
    #[cfg(feature = "net")]
    tools.push(Tool::new("fetch-url".to_string(), "Fetches", Arc::new(Default::default())));
    tools
}

#[cfg(test)]
fn fake() -> Tool { Tool::new("test-only", "x", Arc::new(Default::default())) }

async fn call(req: CallToolRequestParam) {
    match req.name.as_ref() {
        "read-file" | "cat" => read(&req).await,
        STATUS => status(&req).await,
        names::OTHER => other(&req).await,
        _ => other(&req).await,
    }
    if req.name == "fetch-url" { fetch(&req).await; }
}
"#;

    #[test]
    fn tool_values_and_dispatch() {
        let facts = parse(SERVER).expect("parses");
        let names: Vec<(&str, bool)> = facts
            .tool_values
            .iter()
            .map(|t| (t.name.as_str(), t.conditional))
            .collect();
        assert_eq!(
            names,
            vec![
                ("read-file", false),
                ("git-status", false),
                ("fetch-url", true)
            ]
        );
        let read = &facts.tool_values[0];
        assert_eq!(read.params.len(), 1);
        assert_eq!(read.params[0].name, "path");
        assert!(!read.params[0].optional);
        assert_eq!(
            read.description.as_ref().and_then(|d| d.text()),
            Some("Reads a file")
        );
        assert_eq!(read.annotations.destructive, Some(true));
        assert_eq!(read.annotations.read_only, Some(false));
        assert_eq!(facts.tool_values[1].annotations.read_only, Some(true));
        let labels: Vec<&str> = facts.dispatch.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(
            labels,
            vec![
                "read-file",
                "cat",
                "git-status",
                "names::OTHER",
                "fetch-url"
            ]
        );
    }

    #[test]
    fn another_crates_tool_is_not_rmcp() {
        let text = r#"
use llm_kit::Tool;
fn tools() -> Vec<Tool> { vec![Tool::new("summarise", "x", schema())] }
"#;
        let facts = parse(text).expect("parses");
        assert!(facts.tool_values.is_empty());
    }
}
