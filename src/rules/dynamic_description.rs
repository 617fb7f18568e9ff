//! MCL404 dynamic-description: a tool description assembled at runtime from
//! data the server does not control — the environment, the network, a file
//! chosen at runtime. A parameter of the registering function is not such
//! data at the registration: its caller decides it.

use super::{CODE_LANGUAGES, FileContext, Rule, RuleMeta, owasp};
use crate::facts::{Call, Description, EntryKind, Expr, FileFacts, Origin, Value};
use crate::finding::{Diagnostic, Level, Span};
use crate::frontend::origins::origins;
use crate::frontend::registration::scope;

pub struct DynamicDescription;

static META: RuleMeta = RuleMeta {
    code: "MCL404",
    name: "dynamic-description",
    level: Level::Warning,
    cwe: Some(494),
    owasp: Some(owasp::MCP03),
    languages: CODE_LANGUAGES,
    summary: "a tool description is built from runtime or external data",
    doc: include_str!("../../rules/MCL404-dynamic-description.md"),
    opt_in: false,
    // Tools exist only in files that use an MCP SDK.
    triggers: crate::frontend::SDK_MARKERS,
    prefilter: None,
    roles: crate::roles::SERVER_SIDE,
};

fn origin_text(origin: Origin) -> &'static str {
    match origin {
        Origin::Environment => "the environment",
        Origin::Network => "a network response",
        Origin::File => "a file chosen at runtime",
        Origin::Parameter => "a function parameter",
    }
}

impl Rule for DynamicDescription {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        for tool in &ctx.facts.tools {
            let Some(Description::Dynamic { span, origins }) = &tool.description else {
                continue;
            };
            if tool.kind != EntryKind::Tool {
                continue;
            }
            // A description handed in as a parameter of the registering
            // function (an SDK's own `add_tool(fn, description=None)`, a
            // project helper) is decided by that function's caller, not
            // at this site: only data the site itself reads counts.
            // The Go model records where a computed description is, not
            // what it reads: evaluate it here.
            let computed;
            let origins = if ctx.facts.language == crate::facts::Language::Go && origins.is_empty()
            {
                computed = go_origins(ctx.facts, *span);
                &computed
            } else {
                origins
            };
            let from: Vec<&str> = origins
                .iter()
                .filter(|o| **o != Origin::Parameter)
                .map(|o| origin_text(*o))
                .collect();
            if from.is_empty() {
                // The callers of a registering helper in this file decide
                // the description: judge what they pass.
                if origins.contains(&Origin::Parameter) {
                    callers(ctx.facts, *span, out);
                }
                continue;
            }
            out.push(
                Diagnostic::new(
                    *span,
                    format!(
                        "tool `{}` description is built at runtime from {}",
                        tool.name.escape_debug(),
                        from.join(" and ")
                    ),
                )
                .with_help(HELP),
            );
        }
    }
}

const HELP: &str = "write the description as a literal (or load it from a reviewed file in the repository): whoever controls the runtime data can rewrite what the model is told the tool does";

/// A description taken from a parameter of the registering function
/// (`def register(fn, description)`): reports each call of that function in
/// the file whose argument for the parameter is runtime data, at the argument.
fn callers(facts: &FileFacts, span: Span, out: &mut Vec<Diagnostic>) {
    let Some(expr) = facts.calls.iter().find_map(|c| find_expr(c, span)) else {
        return;
    };
    let Some(function) = facts.enclosing_function(span) else {
        return;
    };
    let Some(name) = function.name.as_deref() else {
        return;
    };
    let mut used = Vec::new();
    roots(expr, &function.params, &mut used);
    // A method's own receiver is not an argument at its call sites.
    let skip = usize::from(matches!(
        function.params.first().map(String::as_str),
        Some("self" | "cls")
    ));
    for call in &facts.calls {
        let inside = function.span.start <= call.span.start && call.span.end <= function.span.end;
        // A method is called on its own object, a function by its name (an
        // SDK method of the same name on another object is not this one).
        let target = call.callee == name
            || ["self", "cls", "this"].iter().any(|o| {
                call.callee
                    .strip_prefix(o)
                    .and_then(|r| r.strip_prefix('.'))
                    == Some(name)
            });
        if inside || !target {
            continue;
        }
        for param in &used {
            let Some(index) = function.params.iter().position(|p| p == param) else {
                continue;
            };
            let arg = call
                .keyword(param)
                .or_else(|| call.positional().nth(index.checked_sub(skip)?));
            let Some(arg) = arg else { continue };
            let from: Vec<&str> = origins(arg, facts, &scope(facts, call.span))
                .into_iter()
                .filter(|o| *o != Origin::Parameter)
                .map(origin_text)
                .collect();
            if from.is_empty() {
                continue;
            }
            out.push(
                Diagnostic::new(
                    arg.span,
                    format!(
                        "tool description passed to `{}` as `{}` is built at runtime from {}",
                        name.escape_debug(),
                        param.escape_debug(),
                        from.join(" and ")
                    ),
                )
                .with_label(span, "the description it becomes")
                .with_help(HELP),
            );
        }
    }
}

/// The expression at `span` among a call's arguments (also inside an
/// options object: `registerTool(name, { description }, …)`).
fn find_expr(call: &Call, span: Span) -> Option<&Expr> {
    fn within(expr: &Expr, span: Span, depth: usize) -> Option<&Expr> {
        if expr.span == span {
            return Some(expr);
        }
        if depth > 4 || expr.span.start > span.start || span.end > expr.span.end {
            return None;
        }
        expr.children()
            .into_iter()
            .find_map(|child| within(child, span, depth + 1))
    }
    call.args.iter().find_map(|a| within(&a.value, span, 0))
}

/// Where a Go description computed at `span` comes from: its expression's
/// origins, and those of the calls inside a function of the file it calls
/// (`mcp.WithDescription(loadDescription())`).
fn go_origins(facts: &FileFacts, span: Span) -> Vec<Origin> {
    let Some(expr) = facts.calls.iter().find_map(|c| find_expr(c, span)) else {
        return Vec::new();
    };
    let mut found = origins(expr, facts, &scope(facts, span));
    if let Value::Call(call) = &expr.value
        && let Some(function) = facts
            .functions
            .iter()
            .find(|f| f.name.as_deref() == Some(call.callee.as_str()))
    {
        for inner in facts.calls_within(function.span) {
            let value = Expr {
                span: inner.span,
                value: Value::Call(Box::new(inner.clone())),
            };
            found.extend(origins(&value, facts, &function.params));
        }
        found.retain(|o| *o != Origin::Parameter);
    }
    found.sort();
    found.dedup();
    found
}

/// The parameters of `params` that `expr` reads (by the root of each name).
fn roots(expr: &Expr, params: &[String], out: &mut Vec<String>) {
    if let Value::Name(name) = &expr.value {
        let root = name.split(['.', ':']).next().unwrap_or(name);
        if let Some(p) = params.iter().find(|p| *p == name || *p == root)
            && !out.contains(p)
        {
            out.push(p.clone());
        }
    }
    for child in expr.children() {
        roots(child, params, out);
    }
}
