//! The MCP layer of the Python frontend: FastMCP / fastmcp / MCPServer tools,
//! resources and prompts (decorators and `add_tool`), low-level
//! `types.Tool(...)` listings, servers and transports.

use super::tree::FieldExt;
use tree_sitter::Node;

use super::python::{dotted_name, string_value};
use super::registration::{DYNAMIC_NAME, annotations_of, describe, scope};
use super::schema::json_schema_params;
use super::tree::{span, text};
use crate::facts::{
    Call, Description, EntryKind, Expr, FileFacts, Function, Param, Server, ToolDef, Transport,
    TransportUse, Value,
};

/// Classes whose instances are MCP servers.
const SERVER_CLASSES: &[&str] = &["FastMCP", "MCPServer"];

/// A decorated function seen during the walk; kept only if its decorator
/// turns out to belong to an MCP server (imports are known after the walk).
pub struct PendingTool {
    pub object: String,
    pub tool: ToolDef,
}

/// Records a function definition; returns its index in `facts.functions`.
pub fn record_function(facts: &mut FileFacts, node: Node<'_>, source: &str) -> usize {
    let name = node.field("name").map(|n| text(n, source).to_string());
    // Every parameter but `self`/`cls`, the injected `Context` included: a
    // call `validate(ctx, source, uri)` binds its arguments by position, and
    // dropping `ctx` here shifted each later argument onto the next
    // parameter. A tool's schema (`parameters`) still leaves it out.
    let declared = node
        .field("parameters")
        .map(|p| parameter_list(p, source, true))
        .unwrap_or_default();
    let params = declared.iter().map(|p| p.name.clone()).collect();
    facts.functions.push(Function {
        name,
        span: span(node),
        params,
    });
    let index = facts.functions.len() - 1;
    // The tool's view of the signature: without the injected `Context`.
    let schema: Vec<Param> = node
        .field("parameters")
        .map(|p| parameters(p, source))
        .unwrap_or_default();
    if !schema.is_empty() {
        facts.python.signatures.push((index, schema));
    }
    index
}

/// `@X.tool(...)`, `@X.resource(...)`, `@X.prompt(...)` on a function.
pub fn decorated(
    node: Node<'_>,
    source: &str,
    facts: &mut FileFacts,
    conditional: bool,
    pending: &mut Vec<PendingTool>,
) {
    let Some(definition) = node.field("definition") else {
        return;
    };
    if definition.kind() != "function_definition" {
        return;
    }
    let mut cursor = node.walk();
    let decorators: Vec<Node<'_>> = node
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "decorator")
        .collect();
    let mut function = None;
    for decorator in decorators {
        let Some(expression) = decorator.named_child(0) else {
            continue;
        };
        let (target, call) = match expression.kind() {
            "call" => (expression.field("function"), Some(expression)),
            _ => (Some(expression), None),
        };
        let Some(path) = target.and_then(|t| dotted_name(t, source)) else {
            continue;
        };
        let Some((object, method)) = path.rsplit_once('.') else {
            continue;
        };
        let kind = match method {
            "tool" => EntryKind::Tool,
            "resource" => EntryKind::Resource,
            "prompt" => EntryKind::Prompt,
            _ => continue,
        };
        let call = call.and_then(|c| super::python::lower_call(c, source, 0));
        let function = *function.get_or_insert_with(|| record_function(facts, definition, source));
        let tool = function_tool(
            facts,
            definition,
            source,
            kind,
            call.as_ref(),
            function,
            conditional,
        );
        pending.push(PendingTool {
            object: object.to_string(),
            tool,
        });
    }
    if function.is_none() {
        record_function(facts, definition, source);
    }
}

/// A tool described by a function definition and its registration call.
fn function_tool(
    facts: &FileFacts,
    definition: Node<'_>,
    source: &str,
    kind: EntryKind,
    call: Option<&Call>,
    function: usize,
    conditional: bool,
) -> ToolDef {
    let name_node = definition.field("name");
    let function_name = name_node
        .map(|n| text(n, source).to_string())
        .unwrap_or_default();
    let function_span = name_node.map(span).unwrap_or_else(|| span(definition));
    let name_keyword = call.and_then(|c| c.keyword("name"));
    let explicit_name = name_keyword.and_then(|e| {
        let value = e.str_value()?;
        Some((value.to_string(), e.span))
    });
    // `name=SEARCH_TOOL`: a constant of this module is its literal; any
    // other expression is the tool's name too, not the function's — the
    // project layer resolves constants of other modules
    // (`project::tool_names`), and what stays unknown is dynamic.
    let computed_name = name_keyword.filter(|_| explicit_name.is_none() && kind == EntryKind::Tool);
    let constant_name = computed_name.and_then(|e| facts.string_of(e));
    let dynamic_name = constant_name.is_none() && computed_name.is_some();
    // `@mcp.resource("notes://{id}")` names the resource by its URI.
    let uri = (kind == EntryKind::Resource)
        .then(|| call.and_then(|c| c.positional().next()))
        .flatten()
        .and_then(|e| Some((e.str_value()?.to_string(), e.span)));
    let (name, name_span, name_literal) =
        match (explicit_name.or(uri), constant_name, computed_name) {
            (Some((name, span)), _, _) => (name, span, Some(span)),
            (None, Some((name, literal)), Some(e)) => (name, e.span, Some(literal)),
            (None, None, Some(e)) => (DYNAMIC_NAME.to_string(), e.span, None),
            _ => (function_name, function_span, None),
        };

    let params: Vec<Param> = definition
        .field("parameters")
        .map(|p| parameters(p, source))
        .unwrap_or_default();
    let description = match call.and_then(|c| c.keyword("description")) {
        Some(expr) => Some(describe(expr, facts, &scope(facts, expr.span))),
        None => docstring(definition, source),
    };
    let annotations = call
        .and_then(|c| c.keyword("annotations"))
        .map(|a| annotations_of(a, facts))
        .unwrap_or_default();
    ToolDef {
        kind,
        name,
        span: name_span,
        name_literal,
        description,
        params,
        annotations,
        handler: Some(function),
        handler_import: None,
        conditional,
        link: None,
        dynamic_name,
    }
}

/// The docstring of a function, cleaned like `inspect.cleandoc`.
fn docstring(definition: Node<'_>, source: &str) -> Option<Description> {
    let body = definition.field("body")?;
    let first = body.named_child(0)?;
    if first.kind() != "expression_statement" {
        return None;
    }
    let string = first.named_child(0)?;
    if string.kind() != "string" {
        return None;
    }
    let (raw, _) = string_value(string, source);
    Some(Description::Literal {
        text: cleandoc(&raw),
        span: span(string),
    })
}

/// `inspect.cleandoc`: strip the first line, dedent the rest by their common
/// indentation, drop leading and trailing blank lines.
pub fn cleandoc(raw: &str) -> String {
    let mut lines: Vec<&str> = raw.lines().collect();
    if lines.is_empty() {
        return String::new();
    }
    let indent = lines[1..]
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out: Vec<String> = vec![lines.remove(0).trim().to_string()];
    out.extend(lines.iter().map(|l| {
        l.get(indent..)
            .unwrap_or(l.trim_start())
            .trim_end()
            .to_string()
    }));
    while out.first().is_some_and(|l| l.is_empty()) {
        out.remove(0);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// The parameters of a function, minus `self`/`cls` and `Context` ones.
fn parameters(list: Node<'_>, source: &str) -> Vec<Param> {
    parameter_list(list, source, false)
}

/// The parameters of a function, minus `self`/`cls` (and `Context` ones
/// unless `with_context`).
fn parameter_list(list: Node<'_>, source: &str, with_context: bool) -> Vec<Param> {
    let mut out = Vec::new();
    let mut cursor = list.walk();
    for child in list.named_children(&mut cursor) {
        let (name_node, type_node, default) = match child.kind() {
            "identifier" => (Some(child), None, None),
            "typed_parameter" => (child.named_child(0), child.field("type"), None),
            "default_parameter" => (child.field("name"), None, child.field("value")),
            "typed_default_parameter" => (
                child.field("name"),
                child.field("type"),
                child.field("value"),
            ),
            _ => continue,
        };
        let Some(name_node) = name_node.filter(|n| n.kind() == "identifier") else {
            continue;
        };
        let name = text(name_node, source).to_string();
        if name == "self" || name == "cls" {
            continue;
        }
        let mut param = Param {
            name,
            span: span(name_node),
            optional: default.is_some(),
            ..Param::default()
        };
        if let Some(type_node) = type_node {
            let type_text = text(type_node, source);
            if type_text
                .split(['[', '|', ' '])
                .any(|t| t == "Context" || t.ends_with(".Context"))
            {
                if with_context {
                    out.push(param);
                }
                continue;
            }
            read_type(type_node, source, &mut param);
        }
        if let Some(default) = default
            && default.kind() == "call"
            && let Some(call) = super::python::lower_call(default, source, 0)
            && call.method() == "Field"
        {
            read_field(&call, &mut param);
        }
        out.push(param);
    }
    out
}

/// Reads `str`, `Annotated[str, Field(...)]`, `Literal["a", "b"]`, `X | None`.
fn read_type(type_node: Node<'_>, source: &str, param: &mut Param) {
    read_type_at(type_node, source, param, 0);
}

/// `read_type`, bounded: `Optional[Optional[…]]` nested deeply is not followed.
fn read_type_at(type_node: Node<'_>, source: &str, param: &mut Param, depth: usize) {
    if depth > 16 {
        return;
    }
    let inner = type_node.named_child(0).unwrap_or(type_node);
    match inner.kind() {
        "generic_type" => {
            let base = inner.named_child(0).map(|n| text(n, source)).unwrap_or("");
            let arguments: Vec<Node<'_>> = inner
                .named_child(1)
                .map(|tp| {
                    let mut c = tp.walk();
                    tp.named_children(&mut c).collect()
                })
                .unwrap_or_default();
            match base.rsplit('.').next().unwrap_or(base) {
                "Annotated" => {
                    if let Some(first) = arguments.first() {
                        read_type_at(*first, source, param, depth + 1);
                    }
                    for metadata in arguments.iter().skip(1) {
                        let expr = metadata.named_child(0).unwrap_or(*metadata);
                        if expr.kind() == "call"
                            && let Some(call) = super::python::lower_call(expr, source, 0)
                            && call.method() == "Field"
                        {
                            read_field(&call, param);
                        } else if expr.kind() == "string" {
                            // `Annotated[str, "the description"]`
                            let (value, _) = string_value(expr, source);
                            param.description = Some((value, span(expr)));
                        }
                    }
                }
                "Literal" => {
                    param.declared_type = Some("Literal".to_string());
                    for argument in arguments {
                        let value = argument.named_child(0).unwrap_or(argument);
                        param.enum_values.push(match value.kind() {
                            "string" => string_value(value, source).0,
                            _ => text(value, source).to_string(),
                        });
                    }
                }
                "Optional" => {
                    param.optional = true;
                    if let Some(first) = arguments.first() {
                        read_type_at(*first, source, param, depth + 1);
                    }
                }
                _ => param.declared_type = Some(text(inner, source).to_string()),
            }
        }
        "binary_operator" => {
            // `str | None`
            let parts: Vec<&str> = text(inner, source).split('|').map(str::trim).collect();
            if parts.contains(&"None") {
                param.optional = true;
            }
            let left = inner.field("left");
            match left {
                Some(left) if parts.len() == 2 && parts[1] == "None" => {
                    read_type_at(left, source, param, depth + 1)
                }
                _ => param.declared_type = Some(text(inner, source).to_string()),
            }
        }
        _ => param.declared_type = Some(text(inner, source).to_string()),
    }
}

/// `Field(description=…, pattern=…, max_length=…)`.
fn read_field(call: &Call, param: &mut Param) {
    if let Some(d) = call.keyword("description")
        && let Some(text) = d.str_value()
    {
        param.description = Some((text.to_string(), d.span));
    }
    if let Some(p) = call.keyword("pattern").or_else(|| call.keyword("regex"))
        && let Some(text) = p.str_value()
    {
        param.pattern = Some(text.to_string());
    }
    if let Some(Expr {
        value: Value::Number(n),
        ..
    }) = call.keyword("max_length")
    {
        param.max_length = n.parse().ok();
    }
}

/// After the walk: keep the decorated tools that belong to an MCP server, and
/// find servers, `add_tool` registrations, low-level `Tool(...)` listings and
/// transports among the calls.
pub fn finish(
    facts: &mut FileFacts,
    pending: Vec<PendingTool>,
    call_conditional: &[bool],
    decorator_calls: Vec<(Call, bool)>,
) {
    let imports_sdk = facts.imports.iter().any(|i| {
        i.module == "mcp"
            || i.module.starts_with("mcp.")
            || i.module == "fastmcp"
            || i.module.starts_with("fastmcp.")
    });
    let server_vars: Vec<String> = facts
        .bindings
        .iter()
        .filter(|b| matches!(&b.value.value, Value::Call(c) if is_server_class(facts, &c.callee)))
        .map(|b| b.name.clone())
        .collect();
    for binding in &facts.bindings {
        if let Value::Call(call) = &binding.value.value
            && is_server_class(facts, &call.callee)
        {
            let name = call
                .positional()
                .next()
                .or_else(|| call.keyword("name"))
                .and_then(|e| e.str_value())
                .map(str::to_string);
            facts.servers.push(Server {
                name,
                span: call.span,
                settings: call
                    .args
                    .iter()
                    .filter_map(|a| Some((a.name.clone()?, a.value.clone())))
                    .collect(),
            });
        }
    }
    // A server object imported from a module of the project (`from .app import mcp`).
    let imported_locally = |object: &str| {
        facts
            .imports
            .iter()
            .any(|i| i.local == object && i.module.starts_with('.'))
    };
    let is_server = |object: &str| {
        server_vars.iter().any(|v| v == object) || imports_sdk || imported_locally(object)
    };
    for candidate in pending {
        if is_server(&candidate.object) {
            facts
                .python
                .registrations
                .push((candidate.tool.span, candidate.object));
            facts.tools.push(candidate.tool);
        } else if facts
            .bindings
            .iter()
            .any(|b| b.name == candidate.object && matches!(&b.value.value, Value::Call(_)))
            || facts.imports.iter().any(|i| i.local == candidate.object)
        {
            // `docs = AuditedFastMCP("docs")` with the class from a project
            // module: a server if the project shows the class is a FastMCP.
            facts
                .python
                .candidates
                .push((candidate.object, candidate.tool));
        }
    }
    if !imports_sdk && server_vars.is_empty() && facts.tools.is_empty() {
        return;
    }
    let mut transports = Vec::new();
    let mut tools = Vec::new();
    let mut registrations = Vec::new();
    let mut listings = Vec::new();
    for (index, call) in facts.calls.iter().enumerate() {
        let conditional = call_conditional.get(index).copied().unwrap_or(false);
        let method = call.method();
        let receiver = call.receiver().unwrap_or("");
        let on_server = server_vars.iter().any(|v| v == receiver);
        match method {
            "run" if on_server => {
                // No transport means stdio; one computed at runtime is unknown.
                let transport = match call
                    .keyword("transport")
                    .or_else(|| call.positional().next())
                {
                    None => Some("stdio"),
                    Some(expr) => expr.str_value(),
                };
                if let Some(t) = transport.and_then(transport_named) {
                    transports.push(TransportUse {
                        transport: t,
                        span: call.span,
                    });
                }
            }
            "run_stdio_async" if on_server => transports.push(TransportUse {
                transport: Transport::Stdio,
                span: call.span,
            }),
            "run_sse_async" | "sse_app" if on_server => transports.push(TransportUse {
                transport: Transport::Sse,
                span: call.span,
            }),
            "run_streamable_http_async" | "run_http_async" | "streamable_http_app" | "http_app"
                if on_server =>
            {
                // FastMCP 2: `run_http_async(transport="sse")` serves SSE.
                let transport = call
                    .keyword("transport")
                    .and_then(|t| t.str_value())
                    .and_then(transport_named)
                    .filter(|t| *t != Transport::Stdio)
                    .unwrap_or(Transport::StreamableHttp);
                transports.push(TransportUse {
                    transport,
                    span: call.span,
                })
            }
            "stdio_server" => transports.push(TransportUse {
                transport: Transport::Stdio,
                span: call.span,
            }),
            "SseServerTransport" => transports.push(TransportUse {
                transport: Transport::Sse,
                span: call.span,
            }),
            "StreamableHTTPSessionManager" => transports.push(TransportUse {
                transport: Transport::StreamableHttp,
                span: call.span,
            }),
            "add_tool" if on_server || imports_sdk => {
                if let Some(mut tool) = add_tool(facts, call) {
                    tool.conditional = conditional;
                    registrations.push((tool.span, receiver.to_string()));
                    tools.push(tool);
                }
            }
            "Tool"
                if call.keyword("name").is_some()
                    && tool_class_from_mcp(facts, &call.callee)
                    && (call.keyword("inputSchema").is_some()
                        || call.keyword("description").is_some()) =>
            {
                match listed_tool(facts, call) {
                    Some(mut tool) => {
                        tool.conditional = conditional;
                        tools.push(tool);
                    }
                    // `Tool(name=self.name, …)`, an imported constant: the
                    // project resolves it.
                    None if call.keyword("name").is_some_and(|n| n.name().is_some()) => {
                        listings.push((call.span, conditional))
                    }
                    None => {}
                }
            }
            _ => {}
        }
    }
    for (call, conditional) in decorator_calls {
        let object = call.receiver().unwrap_or("").to_string();
        let on_server = server_vars.contains(&object);
        if !(on_server || imports_sdk || imported_locally(&object)) {
            continue;
        }
        if let Some(mut tool) = add_tool(facts, &call) {
            tool.conditional = conditional;
            registrations.push((tool.span, object));
            tools.push(tool);
        }
    }
    facts.transports.extend(transports);
    facts.tools.extend(tools);
    facts.python.registrations.extend(registrations);
    facts.python.listings.extend(listings);
}

/// Agent frameworks with a `Tool(name=…, description=…)` class of their own.
const OTHER_TOOL_PACKAGES: &[&str] = &[
    "langchain",
    "langchain_core",
    "langchain_community",
    "llama_index",
    "crewai",
    "crewai_tools",
    "smolagents",
    "autogen",
    "autogen_core",
    "pydantic_ai",
    "haystack",
    "semantic_kernel",
    "agents",
    "strands",
    "openai",
    "anthropic",
    "google",
];

/// Is the `Tool` a call constructs the MCP one? Not when its name is
/// imported from another tool framework (LangChain's `Tool(name=…,
/// description=…)` in a module that is also an MCP client).
fn tool_class_from_mcp(facts: &FileFacts, callee: &str) -> bool {
    let head = callee.split('.').next().unwrap_or(callee);
    facts.imports.iter().filter(|i| i.local == head).all(|i| {
        let package = i.module.split('.').next().unwrap_or(&i.module);
        !OTHER_TOOL_PACKAGES.contains(&package)
    })
}

fn transport_named(name: &str) -> Option<Transport> {
    match name {
        "stdio" => Some(Transport::Stdio),
        "sse" => Some(Transport::Sse),
        "streamable-http" | "streamable_http" | "http" => Some(Transport::StreamableHttp),
        _ => None,
    }
}

fn is_server_class(facts: &FileFacts, callee: &str) -> bool {
    let last = callee.rsplit('.').next().unwrap_or(callee);
    if SERVER_CLASSES.contains(&last) {
        return true;
    }
    // The low-level `Server`, imported from the SDK.
    last == "Server"
        && (callee.starts_with("mcp.")
            || facts
                .imports
                .iter()
                .any(|i| i.local == "Server" && i.module.starts_with("mcp.server")))
}

/// `mcp.tool(name="x", description="…")(handler)`: the decorator applied
/// by hand, read as `mcp.add_tool(handler, name="x", description="…")`.
pub fn decorator_call(node: Node<'_>, source: &str) -> Option<Call> {
    let inner_node = node.field("function")?;
    if inner_node.kind() != "call" {
        return None;
    }
    let inner = super::python::lower_call(inner_node, source, 0)?;
    if !matches!(inner.method(), "tool") {
        return None;
    }
    let object = inner.receiver()?.to_string();
    let outer_args = node.field("arguments")?;
    let mut cursor = outer_args.walk();
    let handler = outer_args
        .named_children(&mut cursor)
        .find(|c| c.kind() != "comment")?;
    let mut args = vec![crate::facts::Arg {
        name: None,
        value: super::python::lower_expr(handler, source, 0),
    }];
    args.extend(inner.args.into_iter().filter(|a| a.name.is_some()));
    Some(Call {
        callee: format!("{object}.add_tool"),
        args,
        span: span(node),
        callee_span: inner.span,
        receiver: None,
    })
}

/// `mcp.add_tool(fetch_page, name="fetch", description="…")`.
fn add_tool(facts: &FileFacts, call: &Call) -> Option<ToolDef> {
    let function_expr = call.positional().next()?;
    // `mcp.add_tool(Tool.from_function(fn, name=…, description=…))`: the
    // function, name and description are the inner call's.
    let call = match &function_expr.value {
        Value::Call(inner) if inner.method() == "from_function" => inner.as_ref(),
        _ => call,
    };
    let function_expr = call.positional().next().or_else(|| call.keyword("fn"))?;
    let function_name = function_expr.name()?;
    // `self.search` registered from a method: a method of the same class.
    let function =
        match function_name.strip_prefix("self.") {
            Some(method) => facts.python.class_at(call.span).and_then(|class| {
                class.methods.iter().copied().find(|&m| {
                    facts.functions.get(m).and_then(|f| f.name.as_deref()) == Some(method)
                })
            }),
            None => facts
                .functions
                .iter()
                .position(|f| f.name.as_deref() == Some(function_name)),
        };
    let function_name = function_name.strip_prefix("self.").unwrap_or(function_name);
    let name_expr = call.keyword("name");
    let explicit = name_expr.and_then(|e| Some((e.str_value()?.to_string(), e.span)));
    // A function value built at runtime (`func = make_operation(op)` in a
    // loop) is named after whatever function it holds.
    let runtime_value = function.is_none()
        && !facts.imports.iter().any(|i| i.local == function_name)
        && facts
            .bindings
            .iter()
            .any(|b| b.name == function_name && !b.top_level);
    let dynamic_name = (name_expr.is_some() || runtime_value) && explicit.is_none();
    let (name, span, name_literal) = match explicit {
        Some((name, span)) => (name, span, Some(span)),
        // The name's expression, where a resolved name is written.
        None if dynamic_name => (
            DYNAMIC_NAME.to_string(),
            name_expr.map_or(call.span, |e| e.span),
            None,
        ),
        None => (function_name.to_string(), call.span, None),
    };
    let params = Vec::new();
    let description = call
        .keyword("description")
        .map(|e| describe(e, facts, &scope(facts, call.span)));
    Some(ToolDef {
        kind: EntryKind::Tool,
        name,
        span,
        name_literal,
        description,
        params,
        annotations: call
            .keyword("annotations")
            .map(|a| annotations_of(a, facts))
            .unwrap_or_default(),
        handler: function,
        handler_import: function
            .is_none()
            .then(|| {
                // Imported from a module, relative or by package path: the
                // project layer resolves it to a file of the scan, if any.
                facts
                    .imports
                    .iter()
                    .find(|i| i.local == function_name && i.name.is_some())
                    .map(|i| {
                        format!(
                            "{}#{}",
                            i.module,
                            i.name.as_deref().unwrap_or(function_name)
                        )
                    })
            })
            .flatten(),
        conditional: false,
        link: None,
        dynamic_name,
    })
}

/// Low-level `types.Tool(name="x", description="…", inputSchema={…}, annotations=…)`.
fn listed_tool(facts: &FileFacts, call: &Call) -> Option<ToolDef> {
    let name_expr = call.keyword("name")?;
    // `self.name` is an attribute of the instance, not a constant of the
    // file that happens to share its last segment: the project resolves it.
    if name_expr.name().is_some_and(|n| n.starts_with("self.")) {
        return None;
    }
    let (name, name_span) = facts.string_of(name_expr)?;
    Some(listed_tool_named(facts, call, name, name_span, true))
}

/// A low-level `Tool(...)` listing whose name the caller resolved (the
/// project layer, for `Tool(name=self.name, …)` or an imported constant):
/// `literal` says that `name_span` is the name's literal in this file.
pub fn listed_tool_named(
    facts: &FileFacts,
    call: &Call,
    name: String,
    name_span: crate::finding::Span,
    literal: bool,
) -> ToolDef {
    let description = call.keyword("description").map(|e| describe(e, facts, &[]));
    let params = call
        .keyword("inputSchema")
        .map(|schema| json_schema_params(schema, facts))
        .unwrap_or_default();
    ToolDef {
        kind: EntryKind::Tool,
        name,
        span: name_span,
        name_literal: literal.then_some(name_span),
        description,
        params,
        annotations: call
            .keyword("annotations")
            .map(|a| annotations_of(a, facts))
            .unwrap_or_default(),
        handler: None,
        handler_import: None,
        conditional: false,
        link: None,
        dynamic_name: false,
    }
}
