//! The MCP layer of the TypeScript/JavaScript frontend: `server.tool(...)` in
//! all its overloads, `server.registerTool(...)`, resources and prompts,
//! low-level tool listings (`{ name, description, inputSchema }`), servers and
//! transports of `@modelcontextprotocol/sdk`.

use super::registration::{DYNAMIC_NAME, annotations_of, describe, scope};
use super::schema::{json_schema_params, zod_shape_params};
use crate::facts::{
    Call, EntryKind, Expr, FileFacts, Server, ToolAnnotations, ToolDef, Transport, TransportUse,
    Value,
};

/// Keys of an annotations object (as opposed to a zod shape).
const ANNOTATION_KEYS: &[&str] = &[
    "title",
    "readOnlyHint",
    "destructiveHint",
    "idempotentHint",
    "openWorldHint",
];

/// A registration call seen during the walk, with whether it sat inside an `if`.
pub struct PendingCall {
    pub call_index: usize,
    pub conditional: bool,
}

fn imports_sdk(facts: &FileFacts) -> bool {
    facts
        .imports
        .iter()
        .any(|i| i.module.contains("modelcontextprotocol") || i.module.contains("mcp"))
}

/// After the walk: servers, tools, resources, prompts and transports.
pub fn finish(facts: &mut FileFacts, pending: Vec<PendingCall>, tool_objects: Vec<Expr>) {
    // A server imported from a module of the project (`import { server } from "./server.js"`)
    // registers tools too, in a file that need not import the SDK itself.
    let local_servers: Vec<String> = facts
        .imports
        .iter()
        .filter(|i| i.module.starts_with('.'))
        .map(|i| i.local.clone())
        .collect();
    let sdk = imports_sdk(facts);
    if !sdk && local_servers.is_empty() {
        return;
    }
    let mut tools = Vec::new();
    let mut transports = Vec::new();
    let mut servers = Vec::new();
    for PendingCall {
        call_index,
        conditional,
    } in pending
    {
        let call = &facts.calls[call_index];
        let method = call.method();
        let on_local_server = call
            .receiver()
            .is_some_and(|r| local_servers.iter().any(|l| l == r));
        if !sdk && !on_local_server {
            continue;
        }
        let entry = match method {
            "tool" => tool_overloads(facts, call, EntryKind::Tool),
            "registerTool" | "registerToolTask" => register(facts, call, EntryKind::Tool),
            "addTool" if imports_fastmcp(facts) => add_tool_object(facts, call),
            // Prompts take the tools' forms: `prompt(name, description?,
            // argsShape?, cb)` and `registerPrompt(name, { description,
            // argsSchema }, cb)`.
            "prompt" => tool_overloads(facts, call, EntryKind::Prompt),
            "registerPrompt" => register(facts, call, EntryKind::Prompt),
            "resource" | "registerResource" => named_entry(facts, call, EntryKind::Resource),
            _ => None,
        };
        if let Some(mut tool) = entry {
            tool.conditional = conditional;
            tools.push(tool);
        }
        match method {
            "StdioServerTransport" => transports.push(TransportUse {
                transport: Transport::Stdio,
                span: call.span,
            }),
            "SSEServerTransport" => transports.push(TransportUse {
                transport: Transport::Sse,
                span: call.span,
            }),
            "StreamableHTTPServerTransport" | "WebStandardStreamableHTTPServerTransport" => {
                transports.push(TransportUse {
                    transport: Transport::StreamableHttp,
                    span: call.span,
                })
            }
            "McpServer" | "Server" => {
                if let Some(info) = call.positional().next()
                    && info.get("version").is_some()
                {
                    let settings = match call.args.get(1).map(|a| &a.value.value) {
                        Some(Value::Object(pairs)) => pairs.clone(),
                        _ => Vec::new(),
                    };
                    servers.push(Server {
                        name: info
                            .get("name")
                            .and_then(Expr::str_value)
                            .map(str::to_string),
                        span: call.span,
                        settings,
                    });
                }
            }
            _ => {}
        }
    }
    // Low-level servers list their tools as `{ name, description, inputSchema }` objects.
    let mut listed = Vec::new();
    for object in tool_objects.iter().filter(|_| sdk) {
        collect_tool_objects(object, facts, &mut listed, 0);
    }
    listed.sort_by_key(|t: &ToolDef| t.span.start);
    listed.dedup_by_key(|t| t.span);
    tools.extend(listed);
    facts.tools.extend(tools);
    facts.transports.extend(transports);
    facts.servers.extend(servers);
}

/// Tool objects anywhere inside an expression (a `tools: [...]` array).
fn collect_tool_objects(expr: &Expr, facts: &FileFacts, out: &mut Vec<ToolDef>, depth: usize) {
    if depth > 6 {
        return;
    }
    match &expr.value {
        Value::Object(pairs) => {
            if let Some(name) = expr.get("name")
                && let Some(schema) = expr.get("inputSchema")
                && let Some(name_text) = name.str_value()
                && let Some(params) = listed_params(schema, facts)
            {
                out.push(ToolDef {
                    kind: EntryKind::Tool,
                    name: name_text.to_string(),
                    span: name.span,
                    name_literal: Some(name.span),
                    dynamic_name: false,
                    description: expr.get("description").map(|d| describe(d, facts, &[])),
                    params,
                    annotations: expr
                        .get("annotations")
                        .map(|a| annotations_of(a, facts))
                        .unwrap_or_default(),
                    handler: None,
                    handler_import: None,
                    conditional: false,
                    link: None,
                });
                return;
            }
            for (_, value) in pairs {
                collect_tool_objects(value, facts, out, depth + 1);
            }
        }
        Value::Array(items) => {
            for item in items {
                collect_tool_objects(item, facts, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// The parameters of a listed tool's `inputSchema`: a JSON-Schema literal,
/// or a zod schema converted at runtime (`zodToJsonSchema(ReadFileArgs)`).
fn listed_params(schema: &Expr, facts: &FileFacts) -> Option<Vec<crate::facts::Param>> {
    match &schema.value {
        Value::Object(_) => Some(json_schema_params(schema, facts)),
        Value::Call(call)
            if matches!(
                call.method(),
                "zodToJsonSchema" | "toJsonSchema" | "toJSONSchema" | "zodToJson"
            ) =>
        {
            Some(
                call.positional()
                    .next()
                    .map(|zod| zod_shape_params(zod, facts))
                    .unwrap_or_default(),
            )
        }
        _ => None,
    }
}

fn is_annotations(expr: &Expr) -> bool {
    match &expr.value {
        Value::Object(pairs) => {
            !pairs.is_empty()
                && pairs
                    .iter()
                    .all(|(k, _)| ANNOTATION_KEYS.contains(&k.as_str()))
        }
        _ => false,
    }
}

/// The name argument: its text and span, or `(dynamic)`.
fn name_of(facts: &FileFacts, call: &Call) -> Option<(String, crate::finding::Span, bool)> {
    let first = call.positional().next()?;
    Some(match facts.string_of(first) {
        Some((name, span)) => (name, span, false),
        None => (DYNAMIC_NAME.to_string(), first.span, true),
    })
}

/// The handler: the last argument when it is a function or a name of one.
/// A handler imported from another module of the project: `./tools.js#search`.
fn handler_import(facts: &FileFacts, call: &Call) -> Option<String> {
    let name = call.args.last()?.value.name()?;
    if facts
        .functions
        .iter()
        .any(|f| f.name.as_deref() == Some(name))
    {
        return None;
    }
    let import = facts
        .imports
        .iter()
        .find(|i| i.local == name && i.module.starts_with('.'))?;
    Some(format!(
        "{}#{}",
        import.module,
        import.name.as_deref().unwrap_or(name)
    ))
}

fn handler_of(facts: &FileFacts, call: &Call) -> Option<usize> {
    let last = call.args.last()?;
    match &last.value.value {
        Value::Function => facts
            .functions
            .iter()
            .position(|f| f.span == last.value.span),
        Value::Name(name) => function_named(facts, name),
        // `this.handleRead.bind(this)`
        Value::Call(call) if call.method() == "bind" => function_named(facts, call.receiver()?),
        _ => None,
    }
}

/// The function a handler name stands for: `handleRead`, or the method
/// `this.handleRead` / `handlers.read` when one function of the file has that name.
fn function_named(facts: &FileFacts, name: &str) -> Option<usize> {
    if let Some(found) = facts
        .functions
        .iter()
        .position(|f| f.name.as_deref() == Some(name))
    {
        return Some(found);
    }
    let (_, last) = name.rsplit_once('.')?;
    let mut named = facts
        .functions
        .iter()
        .enumerate()
        .filter(|(_, f)| f.name.as_deref() == Some(last));
    let (index, _) = named.next()?;
    named.next().is_none().then_some(index)
}

/// `server.tool(name, [description], [paramsSchema], [annotations], handler)`,
/// and `server.prompt(name, [description], [argsSchema], handler)`.
fn tool_overloads(facts: &FileFacts, call: &Call, kind: EntryKind) -> Option<ToolDef> {
    let (name, span, dynamic_name) = name_of(facts, call)?;
    if call.args.len() < 2 {
        return None;
    }
    let params_in_scope = scope(facts, call.span);
    let middle = &call.args[1..call.args.len() - 1];
    let mut description = None;
    let mut shape = None;
    let mut annotations = None;
    for arg in middle {
        let value = &arg.value;
        match &value.value {
            Value::Object(_) if is_annotations(value) && shape.is_some() => {
                annotations = Some(value)
            }
            Value::Object(_)
                if is_annotations(value) && annotations.is_none() && middle.len() == 1 =>
            {
                annotations = Some(value)
            }
            Value::Object(_) if shape.is_none() => shape = Some(value),
            Value::Object(_) => annotations = Some(value),
            _ if description.is_none() && shape.is_none() => {
                description = Some(describe(value, facts, &params_in_scope))
            }
            _ => {}
        }
    }
    Some(ToolDef {
        kind,
        name,
        span,
        name_literal: (!dynamic_name).then_some(span),
        dynamic_name,
        description,
        params: shape
            .map(|s| zod_shape_params(s, facts))
            .unwrap_or_default(),
        annotations: annotations
            .map(|a| annotations_of(a, facts))
            .unwrap_or_default(),
        handler: handler_of(facts, call),
        handler_import: handler_import(facts, call),
        conditional: false,
        link: None,
    })
}

/// `server.registerTool(name, { title, description, inputSchema, annotations }, handler)`.
fn register(facts: &FileFacts, call: &Call, kind: EntryKind) -> Option<ToolDef> {
    let (name, span, dynamic_name) = name_of(facts, call)?;
    let config = call.args.get(1).map(|a| &a.value)?;
    let config = match &config.value {
        Value::Name(n) => facts.resolve(n).map(|b| &b.value).unwrap_or(config),
        _ => config,
    };
    let params_in_scope = scope(facts, call.span);
    let schema_key = match kind {
        EntryKind::Prompt => "argsSchema",
        _ => "inputSchema",
    };
    let params = match config.get(schema_key) {
        Some(schema) if schema.get("properties").is_some() => json_schema_params(schema, facts),
        Some(schema) => zod_shape_params(schema, facts),
        None => Vec::new(),
    };
    Some(ToolDef {
        kind,
        name,
        span,
        name_literal: (!dynamic_name).then_some(span),
        dynamic_name,
        description: config
            .get("description")
            .map(|d| describe(d, facts, &params_in_scope)),
        params,
        annotations: config
            .get("annotations")
            .map(|a| annotations_of(a, facts))
            .unwrap_or_default(),
        handler: handler_of(facts, call),
        handler_import: handler_import(facts, call),
        conditional: false,
        link: None,
    })
}

/// The file uses the `fastmcp` TypeScript framework (a server built on the
/// MCP SDK whose tools are `{ name, description, parameters, execute }`).
fn imports_fastmcp(facts: &FileFacts) -> bool {
    facts.imports.iter().any(|i| i.module == "fastmcp")
}

/// fastmcp's `server.addTool({ name, description, parameters, execute, annotations })`.
fn add_tool_object(facts: &FileFacts, call: &Call) -> Option<ToolDef> {
    let config = call.positional().next()?;
    let config = match &config.value {
        Value::Name(n) => facts.resolve(n).map(|b| &b.value).unwrap_or(config),
        _ => config,
    };
    let name_expr = config.get("name")?;
    let (name, span, dynamic_name) = match facts.string_of(name_expr) {
        Some((name, span)) => (name, span, false),
        None => (DYNAMIC_NAME.to_string(), name_expr.span, true),
    };
    let params_in_scope = scope(facts, call.span);
    let handler = config.get("execute").and_then(|e| match &e.value {
        Value::Function => facts.functions.iter().position(|f| f.span == e.span),
        Value::Name(n) => function_named(facts, n),
        _ => None,
    });
    Some(ToolDef {
        kind: EntryKind::Tool,
        name,
        span,
        name_literal: (!dynamic_name).then_some(span),
        dynamic_name,
        description: config
            .get("description")
            .map(|d| describe(d, facts, &params_in_scope)),
        params: config
            .get("parameters")
            .map(|p| zod_shape_params(p, facts))
            .unwrap_or_default(),
        annotations: config
            .get("annotations")
            .map(|a| annotations_of(a, facts))
            .unwrap_or_default(),
        handler,
        handler_import: None,
        conditional: false,
        link: None,
    })
}

/// `server.prompt(name, …)`, `server.resource(name, uri, …)` and their `register*` forms.
fn named_entry(facts: &FileFacts, call: &Call, kind: EntryKind) -> Option<ToolDef> {
    let (name, span, dynamic_name) = name_of(facts, call)?;
    call.args.last()?;
    Some(ToolDef {
        kind,
        name,
        span,
        name_literal: (!dynamic_name).then_some(span),
        dynamic_name,
        description: None,
        params: Vec::new(),
        annotations: ToolAnnotations::default(),
        handler: handler_of(facts, call),
        handler_import: handler_import(facts, call),
        conditional: false,
        link: None,
    })
}
