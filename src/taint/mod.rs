//! Taint analysis: from the arguments a model sends to a tool, to the calls
//! where they can do harm. `catalog` holds what is a sink, a sanitizer or a
//! check per language; `engine` replays function bodies; `project` lets flows
//! cross into functions of other files.

pub mod catalog;
pub mod client;
pub mod content;
pub mod engine;
pub mod preamble;
pub mod project;
pub mod regex_guard;

use std::collections::HashSet;

use crate::facts::{Expr, FileFacts, Param, Stmt, ToolDef, Value};
use crate::finding::Span;

pub use catalog::{Capability, SinkClass};
pub use engine::{
    Analyzer, CapabilityHit, Condition, DENY_LIST_STEP, Origin, SCHEME_CHECKED, SinkHit, Step,
    Summary, Taint, UNPINNED_HOST_STEP,
};
pub use project::{Project, ProjectFile};

/// A tool handler and what reaches it.
#[derive(Debug)]
pub struct HandlerResult {
    /// The file and index of the tool (its registration).
    pub tool_file: usize,
    pub tool: usize,
    /// Sinks reached by the tool's arguments, one per (sink, class).
    pub hits: Vec<SinkHit>,
    /// Capabilities the handler (or what it calls) has.
    pub capabilities: Vec<CapabilityHit>,
    /// What the handler returns that holds untrusted content (MCL701).
    pub returns: Vec<Taint>,
    /// Conditions the handler's arguments go through (guards, validators),
    /// for the rules that judge checks.
    pub conditions: Vec<Condition>,
}

/// Types whose values cannot carry text that injects anything.
fn is_inert_type(declared: &str) -> bool {
    const INERT: &[&str] = &[
        "int",
        "float",
        "bool",
        "number",
        "boolean",
        "integer",
        "bigint",
        "i8",
        "i16",
        "i32",
        "i64",
        "i128",
        "isize",
        "u8",
        "u16",
        "u32",
        "u64",
        "u128",
        "usize",
        "f32",
        "f64",
        "Decimal",
        "datetime",
        "date",
        "UUID",
        "Optional",
        "None",
        "null",
        "undefined",
        "Option",
        "z",
        "ZodNumber",
        "ZodBoolean",
        "nonnegative",
        "positive",
        "int32",
        "uuid",
    ];
    let words: Vec<&str> = declared
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    !words.is_empty() && words.iter().all(|w| INERT.contains(w))
}

/// Is this parameter a taint source? Enums, literals and numbers are not.
pub fn is_source_param(param: &Param) -> bool {
    if !param.enum_values.is_empty() {
        return false;
    }
    // A schema pattern matching the whole value (`z.string().regex(/^[\w.-]+$/)`)
    // validates it like a full-match check in the handler.
    if param.pattern.as_deref().is_some_and(|p| {
        let p = p
            .trim_start_matches('/')
            .trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let p = p.trim_end_matches('/');
        p.starts_with('^') && p.ends_with('$')
    }) {
        return false;
    }
    !param.declared_type.as_deref().is_some_and(is_inert_type)
}

/// Names of handler parameters that are never tool arguments.
fn is_framework_param(name: &str) -> bool {
    matches!(
        name,
        "self" | "cls" | "ctx" | "context" | "extra" | "_extra" | "request_context" | "_ctx"
    )
}

/// A handler parameter named like a dependency the server passes in
/// (`neonClient`, `apiClient`, `logger`, `config`), by its last word.
fn injected_dependency(name: &str) -> bool {
    let last = name
        .rsplit(|c: char| c == '_' || c.is_ascii_uppercase())
        .find(|w| !w.is_empty())
        .unwrap_or(name);
    let start = name.len() - last.len();
    let word = name[start.saturating_sub(1)..].to_ascii_lowercase();
    let word = word.trim_start_matches('_');
    [
        "client",
        "server",
        "sdk",
        "api",
        "logger",
        "log",
        "config",
        "settings",
        "session",
        "transport",
        "signal",
        "services",
        "service",
        "deps",
        "container",
    ]
    .contains(&word)
}

/// Every tool handler whose body lives in file `file` — registered there or
/// in another file that imports it — analysed with its arguments tainted.
pub fn analyze_file(project: &Project<'_>, file: usize) -> Vec<HandlerResult> {
    let mut out = Vec::new();
    let mut analyzer = Analyzer::new(project);
    for handler in project.handlers_in(file) {
        let tool_facts: &FileFacts = project.files[handler.tool_file].facts;
        let Some(tool) = tool_facts.tools.get(handler.tool) else {
            continue;
        };
        let facts = project.files[file].facts;
        let Some(function) = facts.functions.get(handler.function) else {
            continue;
        };
        let declared = Declared::of(tool, handler.tool_file, facts, handler.function, file);
        let sources = if facts.language == crate::facts::Language::Go {
            go_sources(&declared, function, facts, project.files[file].text, file)
        } else {
            sources(tool, &declared, function, facts, file)
        };
        let summary = analyzer.run(file, function, sources);
        let returns: Vec<Taint> = summary
            .returns
            .into_iter()
            .filter(|r| {
                r.content
                    .as_deref()
                    .is_some_and(|c| c.source != content::ContentSource::Argument)
            })
            .collect();
        let mut seen = HashSet::new();
        let mut hits: Vec<SinkHit> = summary
            .hits
            .into_iter()
            .map(|mut h| {
                name_field(&mut h.taint, &declared);
                h
            })
            .filter(|h| h.taint.origin != Origin::Network || h.class == SinkClass::Deserialize)
            // A server's value is a source of client code only (`client`).
            .filter(|h| !matches!(h.taint.origin, Origin::Server { .. }))
            // One hit per argument at each sink: a check on one argument
            // (MCL209) is judged against the sinks that argument reaches.
            .filter(|h| {
                let argument = match &h.taint.origin {
                    Origin::Param { index, .. } => Some(*index),
                    Origin::Network | Origin::Server { .. } => None,
                };
                seen.insert((h.file, h.span, h.class, argument))
            })
            .collect();
        hits.sort_by_key(|h| (h.file, h.span.start, h.class));
        // `conn.execute(text(q))`: one flow, reported at the outer sink.
        let nested: Vec<bool> = hits
            .iter()
            .map(|inner| {
                hits.iter().any(|outer| {
                    outer.file == inner.file
                        && outer.class == inner.class
                        && outer.span != inner.span
                        && outer.span.start <= inner.span.start
                        && inner.span.end <= outer.span.end
                })
            })
            .collect();
        let mut keep = nested.into_iter();
        hits.retain(|_| !keep.next().unwrap_or(false));
        let mut capabilities = summary.capabilities;
        capabilities.sort_by_key(|c| (c.file, c.span.start, c.capability));
        capabilities.dedup_by_key(|c| (c.file, c.span, c.capability));
        let mut conditions = summary.conditions;
        // Named as the hits are, so that a check is matched with the sinks
        // of the same argument (MCL209, MCL210, MCL211).
        for condition in &mut conditions {
            name_field(&mut condition.taint, &declared);
        }
        conditions.sort_by_key(|c| (c.file, c.span.start));
        conditions.dedup_by(|a, b| a.file == b.file && a.span == b.span && a.var == b.var);
        out.push(HandlerResult {
            tool_file: handler.tool_file,
            tool: handler.tool,
            hits,
            capabilities,
            returns,
            conditions,
        });
    }
    out.extend(preamble_results(project, file));
    out
}

/// The common part of each dispatch function in file `file`, analysed once
/// with its arguments tainted: its sinks count for every tool it serves.
fn preamble_results(project: &Project<'_>, file: usize) -> Vec<HandlerResult> {
    let mut out = Vec::new();
    let facts = project.files[file].facts;
    for preamble in project.preambles_in(file) {
        let Some(function) = preamble.as_function(facts) else {
            continue;
        };
        let tainted: Vec<(String, Taint)> = function
            .params
            .iter()
            .enumerate()
            .filter(|(_, name)| {
                !is_framework_param(name)
                    && !matches!(name.as_str(), "name" | "server" | "toolName")
                    && !name.ends_with("_name")
            })
            .map(|(index, name)| source(name, index, function.span, file))
            .collect();
        if tainted.is_empty() {
            continue;
        }
        let mut summary = Analyzer::new(project).run(file, &function, tainted);
        let conditions = std::mem::take(&mut summary.conditions);
        let hits: Vec<SinkHit> = summary
            .hits
            .into_iter()
            .filter(|h| matches!(h.taint.origin, Origin::Param { .. }))
            .collect();
        if hits.is_empty() {
            continue;
        }
        for &(tool_file, tool) in &preamble.tools {
            out.push(HandlerResult {
                tool_file,
                tool,
                hits: hits.clone(),
                capabilities: Vec::new(),
                returns: Vec::new(),
                conditions: conditions.clone(),
            });
        }
    }
    out
}

/// The arguments a tool declares, and the file their spans are in: its
/// schema, or — for a registration that carries none (`mcp.tool(name=…)
/// (self.deploy)`, a handler linked from another module) — its handler's
/// typed signature.
pub struct Declared<'t> {
    pub params: &'t [Param],
    pub file: usize,
    /// Read off the handler's signature: the tool's schema is not known.
    pub from_signature: bool,
}

impl<'t> Declared<'t> {
    pub fn of(
        tool: &'t ToolDef,
        tool_file: usize,
        facts: &'t FileFacts,
        function: usize,
        file: usize,
    ) -> Declared<'t> {
        if tool.params.is_empty()
            && let Some(params) = facts.python.signature(function)
        {
            return Declared {
                params,
                file,
                from_signature: true,
            };
        }
        Declared {
            params: &tool.params,
            file: tool_file,
            from_signature: false,
        }
    }
}

/// The tainted variables a handler starts with.
fn sources(
    tool: &ToolDef,
    declared_params: &Declared<'_>,
    function: &crate::facts::Function,
    facts: &FileFacts,
    file: usize,
) -> Vec<(String, Taint)> {
    let params = declared_params.params;
    let mut out = Vec::new();
    let synthetic = function.name.as_deref() == Some(tool.name.as_str())
        && facts
            .dispatch
            .iter()
            .any(|(name, span)| *name == tool.name && *span == function.span);
    if synthetic {
        // A low-level server's dispatch branch: the call-tool handler's
        // arguments object is the source.
        if let Some(outer) = facts
            .functions
            .iter()
            .filter(|f| f.span.start <= function.span.start && function.span.end <= f.span.end)
            .filter(|f| f.span != function.span)
            .min_by_key(|f| f.span.len())
        {
            for (index, name) in outer.params.iter().enumerate() {
                if is_framework_param(name) || name == "name" || name.ends_with("_name") {
                    continue;
                }
                out.push(source(name, index, outer.span, file));
            }
            // `const { name, arguments: args } = request.params;` before the
            // `switch (name)`: what the branch reads of the arguments.
            for stmt in &facts.statements {
                let Stmt::Assign {
                    targets,
                    value,
                    span,
                    ..
                } = stmt
                else {
                    continue;
                };
                if span.start < outer.span.start || span.end > function.span.start {
                    continue;
                }
                if facts.enclosing_function(*span).map(|f| f.span) != Some(outer.span) {
                    continue;
                }
                let Some(from) = out
                    .iter()
                    .find(|(name, _)| reads(value, name))
                    .map(|(_, taint)| taint.clone())
                else {
                    continue;
                };
                for target in targets {
                    if target == "name" || target.ends_with("_name") || target.ends_with("Name") {
                        continue;
                    }
                    out.push((target.clone(), from.clone()));
                }
            }
        }
        return out;
    }
    let script = matches!(
        facts.language,
        crate::facts::Language::TypeScript
            | crate::facts::Language::Tsx
            | crate::facts::Language::JavaScript
    );
    for (index, name) in function.params.iter().enumerate() {
        if is_framework_param(name) {
            continue;
        }
        // `async ({ params }, neonClient, extra) => …`: in TypeScript the
        // arguments come first; a later parameter named like a dependency
        // the server injects (an API client, a logger) is none of them.
        if script && index > 0 && params.is_empty() && injected_dependency(name) {
            continue;
        }
        let declared = params.iter().find(|p| p.name == *name);
        if !params.is_empty() && declared.is_none() {
            // Destructured objects: `({ path, mode }) => …` binds declared names.
            continue;
        }
        if declared.is_some_and(|p| !is_source_param(p)) {
            continue;
        }
        let (span, at) = match declared {
            Some(p) => (p.span, declared_params.file),
            None => (function.span, file),
        };
        out.push(source(name, index, span, at));
    }
    // A handler taking one object of arguments (`args`, `params`, `input`).
    // One that says it holds the call (`request`, `args`) comes before the
    // others: `run_hook(root, request)` reads the arguments from `request`.
    if out.is_empty() && !params.is_empty() {
        let candidates: Vec<(usize, &String)> = function
            .params
            .iter()
            .enumerate()
            .filter(|(_, name)| {
                !is_framework_param(name) && !params.iter().any(|p| p.name == **name)
            })
            .collect();
        let holds_call = |name: &str| {
            matches!(
                name,
                "request" | "req" | "args" | "arguments" | "params" | "input" | "call"
            )
        };
        if let Some((index, name)) = candidates
            .iter()
            .find(|(_, name)| holds_call(name))
            .or(candidates.first())
        {
            out.push(source(name, *index, function.span, file));
        }
    }
    out
}

/// The tainted parameters of a Go handler: every parameter but the
/// context (`ctx context.Context`) and a blank `_`. The request
/// (`request mcp.CallToolRequest`, `req *mcp.CallToolRequest`) holds the
/// arguments as a whole (`request.GetArguments()["path"]`,
/// `request.RequireString("path")`); a typed input (`args SearchInput` of
/// the official SDK, or of an mcp-go typed handler) is a record of the
/// declared arguments by Go field name, its numbers and booleans untainted.
fn go_sources(
    declared: &Declared<'_>,
    function: &crate::facts::Function,
    facts: &FileFacts,
    text: &str,
    file: usize,
) -> Vec<(String, Taint)> {
    let index = facts.functions.iter().position(|f| f.span == function.span);
    let types = index.and_then(|i| facts.go.params_of(i)).unwrap_or(&[]);
    // Parameters before the request are what the server passes in
    // (`deps ToolDependencies`, a client): the call's data is the request
    // and what follows it (a typed input).
    let request = types
        .iter()
        .position(|t| t.contains("CallToolRequest") || t.contains("CallToolParams"));
    let mut out = Vec::new();
    for (position, name) in function.params.iter().enumerate() {
        let written = types.get(position).map(String::as_str).unwrap_or("");
        if name == "_" || written.ends_with("Context") || written.ends_with("ServerSession") {
            continue;
        }
        if request.is_some_and(|r| position < r) {
            continue;
        }
        if written.contains("CallToolRequest") || written.starts_with("map[") {
            out.push(source(name, position, function.span, file));
            continue;
        }
        match go_input_record(name, position, written, declared, facts, text, file) {
            Some(record) => out.push((name.clone(), record)),
            None => out.push(source(name, position, function.span, file)),
        }
    }
    out
}

/// `args SearchInput` with `type SearchInput struct { Query string
/// `json:"query"`; Limit int `json:"limit"` }` in the file: a record whose
/// field `Query` is the argument `query` and whose `Limit` holds no text.
fn go_input_record(
    name: &str,
    position: usize,
    written: &str,
    declared: &Declared<'_>,
    facts: &FileFacts,
    text: &str,
    file: usize,
) -> Option<Taint> {
    let type_name = written.trim_start_matches('*');
    let type_name = type_name.rsplit('.').next().unwrap_or(type_name);
    let fields = &facts.go.struct_named(type_name)?.fields;
    let mut tainted = Vec::new();
    let mut untainted = Vec::new();
    for field in fields {
        // The Go name leads the field's declaration (`Query string …`).
        let go_name = text
            .get(field.span.start..field.span.end)
            .and_then(|t| t.split(|c: char| !(c.is_alphanumeric() || c == '_')).next())
            .filter(|n| !n.is_empty())
            .unwrap_or(field.name.as_str())
            .to_string();
        let argument = declared
            .params
            .iter()
            .find(|p| p.name == field.name)
            .unwrap_or(field);
        if !is_source_param(argument) {
            untainted.push(go_name);
            continue;
        }
        let (at_file, at) = if declared.params.iter().any(|p| p.name == field.name) {
            (declared.file, argument.span)
        } else {
            (file, field.span)
        };
        let (_, mut taint) = source(&field.name, position, at, at_file);
        taint.steps[0].message =
            format!("tool argument `{}` (field `{name}.{go_name}`)", field.name);
        tainted.push((go_name, taint));
    }
    if tainted.is_empty() {
        return None;
    }
    Taint::record_of_fields(tainted, untainted)
}

/// Names the tool argument a value really carries: a handler that takes
/// the arguments as one object (`arguments["url"]`, `args.path`), or a
/// model built from several arguments (`Request(kind=kind, root=root)` then
/// `request.root`, see `Taint::composite`) hands on the member it reads, not
/// the object. The first
/// member on the way that is a declared argument of the tool, other than
/// the one already named, becomes the origin, with its declaration as the
/// flow's source.
pub fn name_field(taint: &mut Taint, declared: &Declared<'_>) {
    let (params, params_file) = (declared.params, declared.file);
    let (Origin::Param { name, index }, Some(path)) = (&mut taint.origin, &taint.field) else {
        return;
    };
    // With no schema and no signature to read, the handler's first
    // parameter is what the framework calls it with: the arguments, or a
    // context object holding them (`call: async (toolArgs) => { const {
    // args } = toolArgs; … }`), whatever the author named it.
    let holder = holds_arguments(name) || (params.is_empty() && *index == 0);
    // A tool whose schema is not readable here (`inputSchema=Model.
    // model_json_schema()`): the member read off the call's arguments object
    // is still the argument the caller chose, and naming the whole object
    // (`arguments`) would not tell the reader which one flows.
    let unreadable = params.is_empty() || declared.from_signature;
    let names_declared = path
        .split('.')
        .any(|m| m != name.as_str() && params.iter().any(|p| p.name == m));
    if unreadable && holder && !names_declared {
        // `request.params.arguments.url`: past the holders, the first key.
        let members: Vec<&str> = path.split('.').collect();
        let holders = members
            .iter()
            .take_while(|m| holds_arguments(&m.to_ascii_lowercase()))
            .count();
        let Some(member) = members
            .get(holders)
            .filter(|m| !m.is_empty() && m.chars().all(|c| c.is_alphanumeric() || c == '_'))
        else {
            return;
        };
        // The object it was read from, holders included (`toolArgs.args`).
        let object = std::iter::once(name.as_str())
            .chain(members[..holders].iter().copied())
            .collect::<Vec<_>>()
            .join(".");
        *name = member.to_string();
        if let Some(first) = taint.steps.first_mut() {
            first.message = format!("tool argument `{member}` (read from `{object}`)");
        }
        return;
    }
    // Go: the field `Path` of a typed input is the argument `path` (its
    // `json` name), when no argument has the field's own spelling.
    let Some(declared) = path
        .split('.')
        .find_map(|member| params.iter().find(|p| p.name == member))
        .or_else(|| {
            path.split('.').find_map(|member| {
                params
                    .iter()
                    .find(|p| p.name.eq_ignore_ascii_case(member.trim_matches('_')))
            })
        })
    else {
        return;
    };
    // A declared argument read as a record only when it is one: the
    // `.name` of a temporary file made from `suffix` is not argument `name`.
    let container = !params.iter().any(|p| p.name == *name);
    if declared.name == *name || !(container || taint.composite) {
        return;
    }
    *name = declared.name.clone();
    if let Some(first) = taint.steps.first_mut() {
        *first = Step {
            file: params_file,
            span: declared.span,
            message: format!("tool argument `{}`", declared.name),
        };
    }
}

/// A handler parameter that holds the whole call's arguments.
fn holds_arguments(name: &str) -> bool {
    matches!(
        name,
        "arguments" | "args" | "params" | "input" | "request" | "req" | "payload"
    )
}

/// Does an expression read variable `var` (or one of its fields)?
fn reads(expr: &Expr, var: &str) -> bool {
    let mut stack = vec![expr];
    let mut seen = 0;
    while let Some(current) = stack.pop() {
        seen += 1;
        if seen > 256 {
            return false;
        }
        if let Value::Name(name) = &current.value
            && (name == var || name.strip_prefix(var).is_some_and(|r| r.starts_with('.')))
        {
            return true;
        }
        stack.extend(current.children());
    }
    false
}

fn source(name: &str, index: usize, span: Span, file: usize) -> (String, Taint) {
    (
        name.to_string(),
        Taint {
            origin: Origin::Param {
                name: name.to_string(),
                index,
            },
            steps: vec![Step {
                file,
                span,
                message: format!("tool argument `{name}`"),
            }],
            sanitized: 0,
            normalized: false,
            content: None,
            field: None,
            composite: false,
            record: None,
        },
    )
}

/// What a tool's handler can do — its capabilities, through everything it
/// calls in the project — whatever flows into it.
pub fn tool_capabilities(
    project: &Project<'_>,
    tool_file: usize,
    tool: usize,
) -> Vec<CapabilityHit> {
    let Some(handler) = project.handler_of(tool_file, tool) else {
        return Vec::new();
    };
    let mut analyzer = Analyzer::new(project);
    let mut hits = analyzer
        .summary((handler.file, handler.function), None)
        .map(|s| s.capabilities.clone())
        .unwrap_or_default();
    // One hit per (call, capability, handler call it is reached through):
    // the effect rules judge each way in separately.
    hits.sort_by_key(|c| {
        (
            c.file,
            c.span.start,
            c.capability,
            c.via.map(|(f, s)| (f, s.start)),
        )
    });
    hits.dedup_by_key(|c| (c.file, c.span, c.capability, c.via));
    hits
}

#[cfg(test)]
mod tests {
    use super::injected_dependency;

    /// A later TypeScript handler parameter named like an injected
    /// dependency is not a tool argument; argument-like names are.
    #[test]
    fn injected_dependencies_by_last_word() {
        for yes in [
            "neonClient",
            "api_client",
            "logger",
            "HTTPClient",
            "appConfig",
            "sdk",
        ] {
            assert!(injected_dependency(yes), "{yes}");
        }
        for no in [
            "path",
            "clientId",
            "query",
            "apiKeyName",
            "sessionId",
            "configPath",
        ] {
            assert!(!injected_dependency(no), "{no}");
        }
    }
}
