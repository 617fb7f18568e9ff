//! TypeScript / JavaScript registrations through a project function that
//! ends in the SDK call:
//!
//! ```ts
//! function addTool(server, name, description, schema, handler) {
//!   server.tool(name, description, schema, wrap(handler));
//! }
//! addTool(server, "read_file", "Reads a file", { path: z.string() }, readFile);
//! ```
//!
//! The frontend sees one tool of dynamic name inside `addTool`. Each call
//! of the wrapper (resolved across modules) is a tool: its arguments are
//! bound to the wrapper's parameters, so that the name, description,
//! schema and handler the SDK call receives through them are the call
//! site's. The dynamic entry is dropped once a call site binds it, and
//! when nothing in the scan calls the wrapper (a library's helper).

use crate::facts::{
    Call, Description, EntryKind, Expr, FileFacts, HandlerLink, Language, ToolAnnotations, ToolDef,
    Value,
};
use crate::finding::Span;
use crate::frontend::registration::{annotations_of, describe};
use crate::frontend::schema::{json_schema_params, zod_shape_params};

use super::tool_names::constant_string;
use super::{Edit, View};

/// How many call sites of one wrapper are bound (a generated file of
/// thousands of calls is not a server).
const MAX_SITES: usize = 2000;

/// The note when a wrapper has more call sites.
const SITES_LIMIT: &str =
    "a tool-registering wrapper is bound at 2000 call sites and this one has more";

/// Is `name`, used at `at`, a parameter of the named function around it?
pub fn is_wrapper_parameter(facts: &FileFacts, at: Span, name: &str) -> bool {
    wrapper_of(facts, at).is_some_and(|(_, f)| f.params.iter().any(|p| p == name))
}

/// The named function a registration at `at` sits in.
fn wrapper_of(facts: &FileFacts, at: Span) -> Option<(usize, &crate::facts::Function)> {
    let function = facts.enclosing_function(at)?;
    function.name.as_ref()?;
    let index = facts
        .functions
        .iter()
        .position(|f| std::ptr::eq(f, function))?;
    Some((index, function))
}

/// The wrapper's parameter a SDK argument is, by position.
fn parameter_index(function: &crate::facts::Function, arg: Option<&Expr>) -> Option<usize> {
    let name = arg?.name()?;
    function.params.iter().position(|p| p == name)
}

/// The wrapper's parameter that the SDK's handler is, or that the closure
/// given to the SDK calls (`async (args) => handler(args)`).
fn handler_parameter(
    facts: &FileFacts,
    function: &crate::facts::Function,
    call: &Call,
) -> Option<usize> {
    let last = &call.args.last()?.value;
    if let Some(found) = parameter_index(function, Some(last)) {
        return Some(found);
    }
    if !matches!(last.value, Value::Function) {
        return None;
    }
    facts
        .calls
        .iter()
        .filter(|c| last.span.start <= c.span.start && c.span.end <= last.span.end)
        .find_map(|c| function.params.iter().position(|p| *p == c.callee))
}

/// One SDK registration inside a wrapper, as positions of the wrapper's
/// parameters that reach the SDK call's arguments.
#[derive(Clone)]
struct Wrapper {
    /// The dynamic tool the frontend recorded at the SDK call.
    origin: (usize, usize),
    /// The wrapper function: its file and index (a caller that forwards
    /// the name is a wrapper too).
    file: usize,
    function: usize,
    name: String,
    name_at: usize,
    description_at: Option<usize>,
    schema_at: Option<usize>,
    handler_at: Option<usize>,
    /// Annotations written inside the wrapper hold for all its tools.
    annotations: ToolAnnotations,
    /// The name used when a caller passes none, with its literal (in the
    /// origin's file).
    default_name: Option<(String, Span)>,
}

fn wrappers(view: &View) -> Vec<Wrapper> {
    let mut out = Vec::new();
    for (file, unit) in view.units.iter().enumerate() {
        let facts = unit.facts;
        if !matches!(
            facts.language,
            Language::TypeScript | Language::Tsx | Language::JavaScript
        ) {
            continue;
        }
        for (index, tool) in facts.tools.iter().enumerate() {
            if !tool.dynamic_name || tool.kind != EntryKind::Tool {
                continue;
            }
            let Some(call) = facts
                .calls
                .iter()
                .find(|c| c.positional().next().is_some_and(|a| a.span == tool.span))
            else {
                continue;
            };
            let Some((function_index, function)) = wrapper_of(facts, call.span) else {
                continue;
            };
            // `name`, or `toolName || "web_search"` (a default when the
            // caller passes none).
            let first = call.positional().next();
            let (named, default_name) = match first.map(|f| &f.value) {
                Some(Value::Op(op, operands)) if matches!(op.as_str(), "||" | "??") => (
                    operands.first(),
                    operands
                        .get(1)
                        .and_then(|d| d.str_value().map(|t| (t.to_string(), d.span))),
                ),
                _ => (first, None),
            };
            let Some(name_at) = parameter_index(function, named) else {
                continue;
            };
            let (description, schema) = sdk_arguments(facts, call);
            out.push(Wrapper {
                origin: (file, index),
                file,
                function: function_index,
                name: function.name.clone().unwrap_or_default(),
                name_at,
                description_at: parameter_index(function, description),
                schema_at: parameter_index(function, schema),
                handler_at: handler_parameter(facts, function, call),
                annotations: annotations_in(facts, call),
                default_name,
            });
        }
    }
    out
}

/// Literal annotations of the SDK call: `registerTool`'s config
/// `annotations`, or the `tool` overload's object of hint keys.
pub(super) fn annotations_in(facts: &FileFacts, call: &Call) -> ToolAnnotations {
    const HINTS: &[&str] = &[
        "title",
        "readOnlyHint",
        "destructiveHint",
        "idempotentHint",
        "openWorldHint",
    ];
    let found = call
        .args
        .iter()
        .map(|a| &a.value)
        .find_map(|v| match &v.value {
            Value::Object(pairs) if call.method() == "registerTool" => {
                v.get("annotations").filter(|_| !pairs.is_empty())
            }
            Value::Object(pairs)
                if !pairs.is_empty() && pairs.iter().all(|(k, _)| HINTS.contains(&k.as_str())) =>
            {
                Some(v)
            }
            _ => None,
        });
    found.map(|a| annotations_of(a, facts)).unwrap_or_default()
}

/// The description and schema arguments of `server.tool(name, description,
/// schema, …, handler)` and `server.registerTool(name, { description,
/// inputSchema }, handler)`.
fn sdk_arguments<'a>(facts: &'a FileFacts, call: &'a Call) -> (Option<&'a Expr>, Option<&'a Expr>) {
    let second = call.args.get(1).map(|a| &a.value);
    if call.method() == "registerTool" {
        let config = match second.map(|s| &s.value) {
            Some(Value::Name(n)) => facts.resolve(n).map(|b| &b.value).or(second),
            _ => second,
        };
        let config = config.filter(|c| matches!(c.value, Value::Object(_)));
        return (
            config.and_then(|c| c.get("description")),
            config.and_then(|c| c.get("inputSchema")),
        );
    }
    // `tool(name, handler)` has neither.
    if call.args.len() < 3 {
        return (None, None);
    }
    let middle = &call.args[1..call.args.len() - 1];
    let description = middle
        .iter()
        .map(|a| &a.value)
        .find(|v| !matches!(v.value, Value::Object(_)) && middle.len() > 1)
        .or_else(|| middle.first().map(|a| &a.value));
    let schema = middle.get(1).map(|a| &a.value);
    (description, schema)
}

/// How many wrappers deep a forwarded name is followed: a wrapper of a
/// wrapper of … of the SDK call. Each level reads every call of the scan
/// once, so the chain is bounded; a visited set keeps a recursive wrapper
/// from counting as depth.
const MAX_CHAIN: usize = 16;

/// The note when a name is forwarded through more wrappers.
const CHAIN_LIMIT: &str =
    "a tool's name is followed through 16 wrapper functions and this call forwards it further";

pub fn pass(view: &View) -> Vec<Edit> {
    let mut edits = Vec::new();
    for first in wrappers(view) {
        let origin = first.origin;
        let mut bound = 0;
        let mut unbound = 0;
        let mut defaulted = false;
        let mut visited = std::collections::HashSet::from([(first.file, first.function)]);
        let mut work = vec![(first, 0)];
        while let Some((wrapper, depth)) = work.pop() {
            for (file, call) in sites(view, &wrapper) {
                if bound >= MAX_SITES {
                    view.note_limit(file, call.span, SITES_LIMIT);
                    break;
                }
                if let Some((file, tool)) = bind(view, file, call, &wrapper) {
                    bound += 1;
                    // Every caller that passes no name registers the default once.
                    if tool.span
                        == wrapper
                            .default_name
                            .as_ref()
                            .map_or(Span::default(), |d| d.1)
                        && std::mem::replace(&mut defaulted, true)
                    {
                        continue;
                    }
                    edits.push(Edit::AddTool {
                        file,
                        tool: Box::new(tool),
                    });
                } else if let Some(outer) = forwarded(view, file, call, &wrapper) {
                    if !visited.insert((outer.file, outer.function)) {
                        continue;
                    }
                    if depth >= MAX_CHAIN {
                        view.note_limit(file, call.span, CHAIN_LIMIT);
                        unbound += 1;
                        continue;
                    }
                    work.push((outer, depth + 1));
                } else {
                    unbound += 1;
                }
            }
        }
        // Bound at its call sites; or a library's helper that the project
        // never calls with a name (its callers' tools are theirs).
        if bound > 0 || unbound == 0 {
            edits.push(Edit::Drop {
                file: origin.0,
                tool: origin.1,
            });
        }
    }
    edits
}

/// The calls of a wrapper across the scan's script files.
fn sites<'a>(view: &'a View, wrapper: &Wrapper) -> Vec<(usize, &'a Call)> {
    let mut out = Vec::new();
    for (file, unit) in view.units.iter().enumerate() {
        let facts = unit.facts;
        // Tests call a wrapper on servers of their own.
        if !matches!(
            facts.language,
            Language::TypeScript | Language::Tsx | Language::JavaScript
        ) || unit.is_test()
        {
            continue;
        }
        for call in &facts.calls {
            if call.method() == wrapper.name
                && view.function(file, &call.callee) == Some((wrapper.file, wrapper.function))
            {
                out.push((file, call));
            }
        }
    }
    out
}

/// A call site that passes the name on from a parameter of its own named
/// function: that function is a wrapper too, with the positions mapped.
fn forwarded(view: &View, file: usize, call: &Call, wrapper: &Wrapper) -> Option<Wrapper> {
    let facts = view.units[file].facts;
    let (function, outer) = wrapper_of(facts, call.span)?;
    let map = |at: Option<usize>| {
        let arg = at.and_then(|i| call.args.get(i)).map(|a| &a.value);
        parameter_index(outer, arg)
    };
    Some(Wrapper {
        origin: wrapper.origin,
        file,
        function,
        name: outer.name.clone()?,
        name_at: map(Some(wrapper.name_at))?,
        description_at: map(wrapper.description_at),
        schema_at: map(wrapper.schema_at),
        handler_at: map(wrapper.handler_at),
        annotations: wrapper.annotations.clone(),
        default_name: wrapper.default_name.clone(),
    })
}

/// The tool one call of a wrapper registers, when its name is known.
fn bind(view: &View, file: usize, call: &Call, wrapper: &Wrapper) -> Option<(usize, ToolDef)> {
    let facts = view.units[file].facts;
    let arg = |at: Option<usize>| at.and_then(|i| call.args.get(i)).map(|a| &a.value);
    // The caller's name, or the wrapper's default (a tool of the origin's
    // file, where its literal is) when it passes none.
    let (home, (name, span)) = match (arg(Some(wrapper.name_at)), &wrapper.default_name) {
        // A constant of this module, else one imported (`TOOL_NAMES.search`).
        (Some(given), _) => (
            file,
            facts.string_of(given).or_else(|| {
                constant_string(view, file, given, given.span).map(|name| (name, given.span))
            })?,
        ),
        (None, Some(default)) => (wrapper.origin.0, default.clone()),
        (None, None) => return None,
    };
    let params_in_scope = crate::frontend::registration::scope(facts, call.span);
    let handler = match arg(wrapper.handler_at) {
        Some(expr) => match &expr.value {
            Value::Function => facts
                .functions
                .iter()
                .position(|f| f.span == expr.span)
                .map(|j| (file, j)),
            Value::Name(n) => view.function(file, n),
            _ => None,
        },
        // The SDK's handler is the wrapper's own closure.
        None => {
            let (file, tool) = wrapper.origin;
            view.units[file].facts.tools[tool]
                .handler
                .map(|j| (file, j))
        }
    };
    let tool = ToolDef {
        kind: EntryKind::Tool,
        name,
        span,
        name_literal: Some(span),
        dynamic_name: false,
        description: arg(wrapper.description_at)
            .map(|d| describe_at(view, file, d, &params_in_scope)),
        params: arg(wrapper.schema_at)
            .map(|s| match s.get("properties") {
                Some(_) => json_schema_params(s, facts),
                None => zod_shape_params(s, facts),
            })
            .unwrap_or_default(),
        annotations: wrapper.annotations.clone(),
        handler: handler.filter(|(f, _)| *f == home).map(|(_, j)| j),
        handler_import: None,
        conditional: false,
        link: handler.map(|(file, function)| HandlerLink {
            file,
            function,
            branch: None,
        }),
    };
    Some((home, with_own_metadata(view, wrapper, home, tool)))
}

/// The description a call site gives: its literal, or the text of a
/// constant it names, of this module or imported (the tool-names pass does
/// the same for the tools the frontends see; this one is added by the pass).
fn describe_at(view: &View, file: usize, expr: &Expr, params: &[String]) -> Description {
    match describe(expr, view.units[file].facts, params) {
        Description::Dynamic { span, .. }
            if let Some(text) = constant_string(view, file, expr, span) =>
        {
            Description::Literal { text, span }
        }
        other => other,
    }
}

/// A tool placed in the wrapper's own file keeps what the SDK call there
/// says for itself (a literal description, a schema) where the caller
/// bound nothing.
fn with_own_metadata(view: &View, wrapper: &Wrapper, home: usize, mut tool: ToolDef) -> ToolDef {
    let (file, index) = wrapper.origin;
    if home != file {
        return tool;
    }
    let own = &view.units[file].facts.tools[index];
    if tool.description.is_none() {
        tool.description = own.description.clone();
    }
    if tool.params.is_empty() {
        tool.params = own.params.clone();
    }
    tool
}

/// Might a file without tools of its own call a registration wrapper? A
/// call of a plain function (or `this.` method) with a string argument and
/// a function or name last.
pub fn may_call_wrapper(facts: &FileFacts) -> bool {
    facts.calls.iter().any(|c| {
        let plain = !c.callee.contains('.') || c.callee.starts_with("this.");
        plain
            && c.args.len() >= 2
            && c.args
                .iter()
                .any(|a| matches!(a.value.value, Value::Str(_)))
            && c.args
                .last()
                .is_some_and(|a| matches!(a.value.value, Value::Function | Value::Name(_)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edits_of(files: &[(&str, &str)]) -> Vec<Edit> {
        crate::project::run_ts_pass(files, pass)
    }

    const PAID: &str = r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
export async function registerPaid(server, toolName, description, schema, callback) {
  server.tool(toolName, description, schema, async (args, extra) => callback(args, extra));
}
"#;

    #[test]
    fn a_name_forwarded_through_a_second_wrapper_is_bound_at_the_outer_call() {
        let agent = r#"import { registerPaid } from "./paid";
export class Agent {
  paidTool(name, description, schema, callback) {
    registerPaid(this.server, name, description, schema, callback);
  }
  init() {
    this.paidTool("big_add", "Adds big numbers", { a: z.number() }, async ({ a }) => a + 1);
  }
}
"#;
        let edits = edits_of(&[("paid.ts", PAID), ("agent.ts", agent)]);
        let added: Vec<(usize, String)> = edits
            .iter()
            .filter_map(|e| match e {
                Edit::AddTool { file, tool } => Some((*file, tool.name.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(added, vec![(1, "big_add".to_string())]);
        assert!(
            edits
                .iter()
                .any(|e| matches!(e, Edit::Drop { file: 0, tool: 0 }))
        );
    }

    #[test]
    fn a_library_helper_nobody_calls_is_not_a_tool() {
        let edits = edits_of(&[("paid.ts", PAID)]);
        assert_eq!(edits, vec![Edit::Drop { file: 0, tool: 0 }]);
    }

    #[test]
    fn each_call_of_a_wrapper_is_a_tool() {
        let register = r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
export function addTool(server, name, description, schema, handler) {
  server.tool(name, description, schema, async (args) => handler(args));
}
"#;
        let tools = r#"import { addTool } from "./register";
import { readFile } from "./handlers";
export function setup(server) {
  addTool(server, "read_file", "Reads a file", { path: z.string() }, readFile);
  addTool(server, "ping", "Answers", {}, async () => "pong");
}
"#;
        let handlers = "export async function readFile({ path }) { return fs.readFile(path); }\n";
        let files = [
            ("register.ts", register),
            ("tools.ts", tools),
            ("handlers.ts", handlers),
        ];
        let edits = edits_of(&files);
        let mut names: Vec<(String, Option<usize>)> = edits
            .iter()
            .filter_map(|e| match e {
                Edit::AddTool { tool, .. } => Some((tool.name.clone(), tool.link.map(|l| l.file))),
                _ => None,
            })
            .collect();
        names.sort();
        assert_eq!(
            names,
            vec![
                ("ping".to_string(), Some(1)),
                ("read_file".to_string(), Some(2))
            ]
        );
        assert!(
            edits
                .iter()
                .any(|e| matches!(e, Edit::Drop { file: 0, tool: 0 }))
        );
    }
}
