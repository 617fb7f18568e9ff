//! The MCP model of a Go file: servers, tools and transports of
//! `github.com/mark3labs/mcp-go` and `github.com/modelcontextprotocol/go-sdk`.
//!
//! Runs after `go::lower` has recorded the file's functions and imports.
//! A registration is syntactic, so this layer reads the tree-sitter nodes
//! directly: `mcp.NewTool(name, opts…)` and `&mcp.Tool{Name: …}` are tools,
//! and the handler is found where the tool value goes (`s.AddTool(tool, h)`,
//! `mcp.AddTool(s, tool, h)`, `server.ServerTool{Tool: tool, Handler: h}`,
//! `return tool, h`, or a variable later given to one of those). What the
//! file cannot resolve (a handler of another file, a constant of another
//! package, a project wrapper) is left in `FileFacts::go` for the project
//! layer (`crate::project::go_tools`).

use std::collections::HashMap;

use tree_sitter::{Node, Tree};

use super::tree::{FieldExt, span, text};
use crate::facts::go::{GoStruct, HandlerRef, ToolWrapper};
use crate::facts::{
    Description, EntryKind, FileFacts, Param, Server, ToolAnnotations, ToolDef, Transport,
    TransportUse,
};
use crate::finding::Span;

const MCP_GO_MCP: &str = "github.com/mark3labs/mcp-go/mcp";
const MCP_GO_SERVER: &str = "github.com/mark3labs/mcp-go/server";
const GO_SDK: &str = "github.com/modelcontextprotocol/go-sdk";
/// Frameworks over the protocol whose `mcp` package declares the spec's
/// `Tool` struct (`fxctx.NewTool(&mcp.Tool{Name: …}, handler)`).
const SPEC_TYPES: &[&str] = &["github.com/strowk/foxy-contexts/pkg/mcp"];

/// The local names of the SDK packages a file imports.
#[derive(Default)]
struct Sdk {
    /// mcp-go's `mcp` package (tools, options).
    mcp_go: Vec<String>,
    /// mcp-go's `server` package (server, transports).
    server: Vec<String>,
    /// The official SDK's `mcp` package.
    go_sdk: Vec<String>,
    /// Another framework's package of spec types.
    spec: Vec<String>,
}

impl Sdk {
    fn of(facts: &FileFacts) -> Sdk {
        let mut sdk = Sdk::default();
        for import in &facts.imports {
            let module = import.module.as_str();
            if module == MCP_GO_MCP {
                sdk.mcp_go.push(import.local.clone());
            } else if module == MCP_GO_SERVER {
                sdk.server.push(import.local.clone());
            } else if module.starts_with(GO_SDK) && module.ends_with("/mcp") {
                sdk.go_sdk.push(import.local.clone());
            } else if SPEC_TYPES.contains(&module) {
                sdk.spec.push(import.local.clone());
            }
        }
        sdk
    }

    fn any(&self) -> bool {
        !(self.mcp_go.is_empty()
            && self.server.is_empty()
            && self.go_sdk.is_empty()
            && self.spec.is_empty())
    }

    /// A package whose `Tool` type is the SDK's.
    fn tool_package(&self, name: &str) -> bool {
        [&self.mcp_go, &self.go_sdk, &self.spec]
            .iter()
            .any(|names| names.iter().any(|n| n == name))
    }
}

/// One pass over the file's nodes of interest.
struct Lowering<'t, 's> {
    source: &'s str,
    sdk: Sdk,
    /// String constants and variables of the file: name → (text, literal span).
    constants: HashMap<String, (String, Span)>,
    /// Local import names: a selector on one of them names another package.
    packages: Vec<String>,
    calls: Vec<Node<'t>>,
    composites: Vec<Node<'t>>,
}

pub fn lower(tree: &Tree, source: &str, facts: &mut FileFacts) {
    let mut lowering = Lowering {
        source,
        sdk: Sdk::of(facts),
        constants: HashMap::new(),
        packages: facts.imports.iter().map(|i| i.local.clone()).collect(),
        calls: Vec::new(),
        composites: Vec::new(),
    };
    facts.go.uses_sdk = lowering.sdk.any();
    let mut declared: Vec<Node<'_>> = Vec::new();
    for node in named_nodes(tree) {
        match node.kind() {
            "call_expression" => lowering.calls.push(node),
            "composite_literal" => lowering.composites.push(node),
            "const_spec" | "var_spec" => lowering.record_constant(node),
            "type_spec" => {
                if let Some(found) = struct_of(node, source) {
                    facts.go.structs.push(found);
                }
            }
            "function_declaration" | "method_declaration" | "func_literal" => declared.push(node),
            _ => {}
        }
    }
    record_signatures(&declared, source, facts);
    lowering.servers_and_transports(facts);
    lowering.tools(facts);
}

impl<'t> Lowering<'t, '_> {
    fn text(&self, node: Node<'_>) -> &str {
        text(node, self.source)
    }

    /// `const Name = "x"`, `var Name = "x"` (one name, one string value).
    fn record_constant(&mut self, spec: Node<'_>) {
        let Some(value) = spec
            .field("value")
            .and_then(|list| list.named_child(0))
            .filter(|v| is_string(*v))
        else {
            return;
        };
        let mut cursor = spec.walk();
        let names: Vec<Node<'_>> = spec.children_by_field_name("name", &mut cursor).collect();
        if let [name] = names.as_slice() {
            let literal = string_value(value, self.source);
            self.constants
                .insert(self.text(*name).to_string(), (literal, span(value)));
        }
    }

    /// `pkg.Func` of a call or a type, when `pkg` is one of `packages`.
    fn qualified<'n>(&self, node: Node<'n>, packages: &[String]) -> Option<&str> {
        let (package, name) = match node.kind() {
            "selector_expression" => (node.field("operand")?, node.field("field")?),
            "qualified_type" => (node.field("package")?, node.field("name")?),
            _ => return None,
        };
        let package = self.text(package);
        packages
            .iter()
            .any(|p| p == package)
            .then(|| self.text(name))
    }

    /// The called function of a call, type arguments (`f[T](…)`) aside.
    fn callee(call: Node<'t>) -> Option<Node<'t>> {
        let function = call.field("function")?;
        Some(match function.kind() {
            "index_expression" | "generic_type" => function
                .field("operand")
                .or_else(|| function.field("type"))
                .unwrap_or(function),
            _ => function,
        })
    }

    fn servers_and_transports(&self, facts: &mut FileFacts) {
        for &call in &self.calls {
            let Some(callee) = Self::callee(call) else {
                continue;
            };
            let args = arguments(call);
            if let Some(name) = self.qualified(callee, &self.sdk.server) {
                match name {
                    "NewMCPServer" => facts.servers.push(Server {
                        name: args.first().and_then(|a| self.string(*a)).map(|(s, _)| s),
                        span: span(call),
                        settings: Vec::new(),
                    }),
                    "ServeStdio" | "NewStdioServer" => transport(facts, Transport::Stdio, call),
                    "NewStreamableHTTPServer" => {
                        transport(facts, Transport::StreamableHttp, call);
                    }
                    "NewSSEServer" => transport(facts, Transport::Sse, call),
                    _ => {}
                }
            }
            if let Some(name) = self.qualified(callee, &self.sdk.go_sdk) {
                match name {
                    "NewServer" => {
                        let name = args
                            .first()
                            .and_then(|a| composite_of(*a))
                            .and_then(|c| keyed(c, self.source, "Name"))
                            .and_then(|n| self.string(n))
                            .map(|(s, _)| s);
                        facts.servers.push(Server {
                            name,
                            span: span(call),
                            settings: Vec::new(),
                        });
                    }
                    "NewStreamableHTTPHandler" => {
                        transport(facts, Transport::StreamableHttp, call);
                    }
                    "NewSSEHandler" => transport(facts, Transport::Sse, call),
                    _ => {}
                }
            }
        }
        for &composite in &self.composites {
            let Some(kind) = composite.field("type") else {
                continue;
            };
            match self.qualified(kind, &self.sdk.go_sdk) {
                Some("StdioTransport" | "LoggingTransport") => {
                    transport(facts, Transport::Stdio, composite);
                }
                Some("StreamableServerTransport") => {
                    transport(facts, Transport::StreamableHttp, composite);
                }
                Some("SSEServerTransport") => transport(facts, Transport::Sse, composite),
                _ => {}
            }
        }
    }

    fn tools(&self, facts: &mut FileFacts) {
        for &call in &self.calls {
            let Some(callee) = Self::callee(call) else {
                continue;
            };
            match self.qualified(callee, &self.sdk.mcp_go) {
                Some("NewTool") => {
                    let args = arguments(call);
                    let Some(&name) = args.first() else {
                        continue;
                    };
                    let mut tool = Built {
                        kind: EntryKind::Tool,
                        node: call,
                        name,
                        description: None,
                        annotations: ToolAnnotations::default(),
                        params: Vec::new(),
                        input_struct: None,
                    };
                    for option in &args[1..] {
                        self.tool_option(*option, &mut tool);
                    }
                    self.emit(tool, facts);
                }
                Some("NewToolWithRawSchema") => {
                    let args = arguments(call);
                    let Some(&name) = args.first() else {
                        continue;
                    };
                    let tool = Built {
                        kind: EntryKind::Tool,
                        node: call,
                        name,
                        description: args.get(1).copied(),
                        annotations: ToolAnnotations::default(),
                        params: Vec::new(),
                        input_struct: None,
                    };
                    self.emit(tool, facts);
                }
                // `mcp.NewPrompt(name, opts…)`, `mcp.NewResource(uri, name, opts…)`.
                Some(constructor @ ("NewPrompt" | "NewResource" | "NewResourceTemplate")) => {
                    let args = arguments(call);
                    let Some(&name) = args.first() else {
                        continue;
                    };
                    let description = args[1..].iter().find_map(|option| {
                        let callee = Self::callee(*option)?;
                        let with = self.qualified(callee, &self.sdk.mcp_go)?;
                        matches!(with, "WithPromptDescription" | "WithResourceDescription")
                            .then(|| arguments(*option).first().copied())
                            .flatten()
                    });
                    let kind = if constructor == "NewPrompt" {
                        EntryKind::Prompt
                    } else {
                        EntryKind::Resource
                    };
                    self.emit(
                        Built {
                            kind,
                            node: call,
                            name,
                            description,
                            annotations: ToolAnnotations::default(),
                            params: Vec::new(),
                            input_struct: None,
                        },
                        facts,
                    );
                }
                _ => {}
            }
        }
        for &composite in &self.composites {
            let Some(kind) = composite.field("type") else {
                continue;
            };
            // The official SDK's prompts and resources.
            let entry = match self.qualified(kind, &self.sdk.go_sdk) {
                Some("Prompt") => Some((EntryKind::Prompt, "Name")),
                Some("Resource") => Some((EntryKind::Resource, "URI")),
                Some("ResourceTemplate") => Some((EntryKind::Resource, "URITemplate")),
                _ => None,
            };
            if let Some((entry, key)) = entry
                && let Some(name) = keyed(composite, self.source, key)
            {
                self.emit(
                    Built {
                        kind: entry,
                        node: composite,
                        name,
                        description: keyed(composite, self.source, "Description"),
                        annotations: ToolAnnotations::default(),
                        params: Vec::new(),
                        input_struct: None,
                    },
                    facts,
                );
                continue;
            }
            let sdk_tool = self
                .qualified(kind, &self.sdk.mcp_go)
                .or_else(|| self.qualified(kind, &self.sdk.go_sdk))
                .or_else(|| self.qualified(kind, &self.sdk.spec))
                == Some("Tool");
            let Some(name) = keyed(composite, self.source, "Name") else {
                continue;
            };
            let annotations = keyed(composite, self.source, "Annotations")
                .and_then(composite_of)
                .map(|a| self.annotations_literal(a))
                .unwrap_or_default();
            let params = keyed(composite, self.source, "InputSchema")
                .and_then(composite_of)
                .map(|schema| self.schema_params(schema))
                .unwrap_or_default();
            let tool = Built {
                kind: EntryKind::Tool,
                node: composite,
                name,
                description: keyed(composite, self.source, "Description"),
                annotations,
                params,
                input_struct: None,
            };
            if sdk_tool {
                // `&mcp.Tool{Name: t.Tool.Name}`: a conversion from a
                // project type, whose own literals are the tools.
                if name.kind() == "selector_expression"
                    && !self.is_package_selector(name)
                    && !self.constants.contains_key(self.text(name))
                {
                    facts.go.converts_tools = true;
                    facts.go.converts_annotations |= tool.annotations != ToolAnnotations::default();
                    continue;
                }
                self.emit(tool, facts);
            } else if self.project_tool_type(kind) {
                self.candidate(tool, facts);
            }
        }
    }

    /// `Tool` or `pkg.Tool` of a package that is not an SDK's.
    fn project_tool_type(&self, kind: Node<'_>) -> bool {
        match kind.kind() {
            "type_identifier" => self.text(kind) == "Tool",
            "qualified_type" => {
                let package = kind.field("package").map(|p| self.text(p)).unwrap_or("");
                kind.field("name").map(|n| self.text(n)) == Some("Tool")
                    && !self.sdk.tool_package(package)
            }
            _ => false,
        }
    }

    fn is_package_selector(&self, node: Node<'_>) -> bool {
        node.kind() == "selector_expression"
            && node.field("operand").is_some_and(|o| {
                o.kind() == "identifier" && self.packages.iter().any(|p| p == self.text(o))
            })
    }

    /// One argument of `mcp.NewTool(name, …)`.
    fn tool_option(&self, option: Node<'t>, tool: &mut Built<'t>) {
        let Some(callee) = (option.kind() == "call_expression")
            .then(|| Self::callee(option))
            .flatten()
        else {
            return;
        };
        let Some(name) = self.qualified(callee, &self.sdk.mcp_go) else {
            return;
        };
        let args = arguments(option);
        let mut computed = false;
        let mut flag = || match args
            .first()
            .and_then(|a| super::go_hints::bool_value(*a, self.source))
        {
            Some(value) => Some(value),
            // A variable set by code, per tool.
            None => {
                computed = true;
                None
            }
        };
        match name {
            "WithDescription" => tool.description = args.first().copied(),
            "WithString" | "WithNumber" | "WithInteger" | "WithBoolean" | "WithArray"
            | "WithObject" | "WithAny" => {
                if let Some(param) = self.param(name, &args) {
                    tool.params.push(param);
                }
            }
            "WithReadOnlyHintAnnotation" => tool.annotations.read_only = flag(),
            "WithDestructiveHintAnnotation" => tool.annotations.destructive = flag(),
            "WithIdempotentHintAnnotation" => tool.annotations.idempotent = flag(),
            "WithOpenWorldHintAnnotation" => tool.annotations.open_world = flag(),
            "WithToolAnnotation" => {
                if let Some(literal) = args.first().and_then(|a| composite_of(*a)) {
                    tool.annotations = self.annotations_literal(literal);
                }
            }
            "WithInputSchema" => {
                tool.input_struct = type_argument(option, self.source);
            }
            _ => {}
        }
        tool.annotations.computed |= computed;
    }

    /// `mcp.WithString("path", mcp.Required(), mcp.Description("…"), mcp.Enum("a", "b"))`.
    fn param(&self, with: &str, args: &[Node<'t>]) -> Option<Param> {
        let (&name, options) = args.split_first()?;
        let (name, name_span) = self.string(name)?;
        let mut param = Param {
            name,
            span: name_span,
            declared_type: Some(with.trim_start_matches("With").to_ascii_lowercase()),
            optional: true,
            ..Param::default()
        };
        for option in options {
            let Some(callee) = Self::callee(*option) else {
                continue;
            };
            let inner = arguments(*option);
            match self.qualified(callee, &self.sdk.mcp_go) {
                Some("Required") => param.optional = false,
                Some("Description") => {
                    param.description = inner.first().and_then(|d| self.string(*d));
                }
                Some("Enum") => {
                    param.enum_values = inner
                        .iter()
                        .filter_map(|v| self.string(*v).map(|(s, _)| s))
                        .collect();
                }
                Some("Pattern") => {
                    param.pattern = inner.first().and_then(|p| self.string(*p)).map(|(s, _)| s);
                }
                Some("MaxLength") => {
                    param.max_length = inner.first().and_then(|n| self.text(*n).parse().ok());
                }
                _ => {}
            }
        }
        Some(param)
    }

    /// `&jsonschema.Schema{Properties: map[string]*jsonschema.Schema{"path":
    /// {Type: "string", Description: "…"}}, Required: []string{"path"}}`.
    fn schema_params(&self, schema: Node<'_>) -> Vec<Param> {
        let required: Vec<String> = keyed(schema, self.source, "Required")
            .and_then(composite_of)
            .and_then(|list| list.field("body"))
            .map(|body| {
                named_children(body)
                    .into_iter()
                    .filter_map(|e| e.named_child(0).and_then(|v| self.string(v)))
                    .map(|(s, _)| s)
                    .collect()
            })
            .unwrap_or_default();
        let Some(properties) = keyed(schema, self.source, "Properties")
            .and_then(composite_of)
            .and_then(|map| map.field("body"))
        else {
            return Vec::new();
        };
        let mut params = Vec::new();
        for element in named_children(properties) {
            if element.kind() != "keyed_element" {
                continue;
            }
            let Some((name, at)) = element
                .field("key")
                .and_then(|k| k.named_child(0))
                .and_then(|k| self.string(k))
            else {
                continue;
            };
            let value = element
                .field("value")
                .and_then(|v| v.named_child(0))
                .map(strip_ref);
            let field = |key: &str| {
                value
                    .and_then(|v| keyed(v, self.source, key))
                    .and_then(|d| self.string(d))
            };
            params.push(Param {
                optional: !required.contains(&name),
                declared_type: field("Type").map(|(t, _)| t),
                description: field("Description"),
                pattern: field("Pattern").map(|(p, _)| p),
                name,
                span: at,
                ..Param::default()
            });
        }
        params
    }

    /// `mcp.ToolAnnotation{ReadOnlyHint: mcp.ToBoolPtr(true)}`,
    /// `&mcp.ToolAnnotations{ReadOnlyHint: true, DestructiveHint: &no}` (see `go_hints`).
    fn annotations_literal(&self, literal: Node<'_>) -> ToolAnnotations {
        let mut computed = false;
        let mut hint = |key: &str| {
            let value = keyed(literal, self.source, key)?;
            match super::go_hints::bool_value(value, self.source) {
                Some(value) => Some(value),
                // A field or a variable set by code, per tool.
                None => {
                    computed = true;
                    None
                }
            }
        };
        let read_only = hint("ReadOnlyHint");
        let destructive = hint("DestructiveHint");
        let idempotent = hint("IdempotentHint");
        let open_world = hint("OpenWorldHint");
        ToolAnnotations {
            read_only,
            destructive,
            idempotent,
            open_world,
            computed,
        }
    }

    /// The text of a string literal, or of a constant of the file bound to
    /// one, also through a pointer helper (`ptr.To("…")`, `utils.Ptr("…")`).
    fn string(&self, node: Node<'_>) -> Option<(String, Span)> {
        if is_string(node) {
            return Some((string_value(node, self.source), span(node)));
        }
        if node.kind() == "call_expression"
            && let [only] = arguments(node).as_slice()
            && is_string(*only)
            && node.field("function").is_some_and(|c| {
                let name = c.field("field").unwrap_or(c);
                matches!(self.text(name), "Ptr" | "To" | "String" | "StringPtr")
            })
        {
            return Some((string_value(*only, self.source), span(*only)));
        }
        if node.kind() == "identifier" {
            return self.constants.get(self.text(node)).cloned();
        }
        None
    }

    /// The ToolDef of a tool built at `tool.node`, with what the file knows
    /// of its name, description and handler.
    fn tool_def(&self, tool: &Built<'t>, facts: &mut FileFacts) -> (ToolDef, Refs) {
        let mut refs = Refs::default();
        let (name, name_span, name_literal, dynamic) = match self.string(tool.name) {
            Some((name, at)) => (name, at, Some(at), false),
            None => {
                if matches!(tool.name.kind(), "identifier" | "selector_expression") {
                    refs.name = Some(self.text(tool.name).to_string());
                }
                (
                    super::registration::DYNAMIC_NAME.to_string(),
                    span(tool.name),
                    None,
                    true,
                )
            }
        };
        let description = tool.description.map(|d| match self.string(d) {
            Some((text, at)) => Description::Literal { text, span: at },
            None => {
                if matches!(d.kind(), "identifier" | "selector_expression") {
                    refs.description = Some(self.text(d).to_string());
                }
                Description::Dynamic {
                    span: span(d),
                    origins: Vec::new(),
                }
            }
        });
        let mut def = ToolDef {
            kind: tool.kind,
            name,
            span: name_span,
            name_literal,
            dynamic_name: dynamic,
            description,
            params: tool.params.clone(),
            annotations: tool.annotations.clone(),
            handler: None,
            handler_import: None,
            conditional: conditional(tool.node) || facts.go.gated(span(tool.node)),
            link: None,
        };
        if let Some(handler) = self.handler_of(tool.node) {
            match self.handler_target(handler, facts) {
                Target::Local(function) => def.handler = Some(function),
                Target::Ref(reference) => refs.handler = Some(reference),
                Target::None => {}
            }
        }
        let typed = tool
            .input_struct
            .clone()
            .or_else(|| def.handler.and_then(|f| typed_input(facts, f)));
        if def.params.is_empty()
            && let Some(found) = typed.and_then(|t| facts.go.struct_named(&t))
        {
            def.params = found.fields.clone();
        }
        (def, refs)
    }

    fn emit(&self, tool: Built<'t>, facts: &mut FileFacts) {
        if tool.kind == EntryKind::Tool && self.wrapper(&tool, facts) {
            return;
        }
        let (def, refs) = self.tool_def(&tool, facts);
        let index = facts.tools.len();
        facts.tools.push(def);
        if let Some(name) = refs.name {
            facts.go.name_refs.push((index, name));
        }
        if let Some(description) = refs.description {
            facts.go.description_refs.push((index, description));
        }
        let unlinked = refs.handler.is_none() && facts.tools[index].handler.is_none();
        if let Some(handler) = refs.handler {
            facts.go.handler_refs.push((index, handler));
        }
        // `func SearchTool() *mcp.Tool { return &mcp.Tool{…} }`: the handler
        // comes with the call of the function (`mcp.AddTool(s, SearchTool(), h)`).
        if unlinked
            && returned_alone(tool.node)
            && let Some((function, _)) = enclosing_named(tool.node, facts)
            && facts.functions[function].name.is_some()
        {
            facts.go.tool_factories.push((index, function));
        }
    }

    fn candidate(&self, tool: Built<'t>, facts: &mut FileFacts) {
        // Only named values: a literal or constant name, one of another
        // package, or a variable the project layer may resolve.
        if self.string(tool.name).is_none()
            && !matches!(tool.name.kind(), "identifier" | "selector_expression")
        {
            return;
        }
        let (mut def, refs) = self.tool_def(&tool, facts);
        if let Some(name) = refs.name {
            // Resolved by the project pass through the same reference.
            def.name = name;
        }
        facts.go.tool_candidates.push((def, refs.handler));
    }

    /// A tool named by a parameter of the function that builds it (a
    /// project's `MustTool(name, description, handler, …)`): the function
    /// is a wrapper, its callers' arguments are the tools.
    fn wrapper(&self, tool: &Built<'t>, facts: &mut FileFacts) -> bool {
        if tool.name.kind() != "identifier" {
            return false;
        }
        let Some((function, params)) = enclosing_named(tool.node, facts) else {
            return false;
        };
        let position = |node: Option<Node<'_>>| {
            let node = node.filter(|n| n.kind() == "identifier")?;
            let name = self.text(node);
            params.iter().position(|p| p == name)
        };
        let Some(name) = position(Some(tool.name)) else {
            return false;
        };
        let handler = position(self.handler_of(tool.node));
        facts.go.wrappers.push(ToolWrapper {
            function,
            name,
            description: position(tool.description),
            handler,
            annotated: tool.annotations != ToolAnnotations::default(),
        });
        true
    }

    /// Where the tool value built at `node` is registered with its handler:
    /// the handler expression.
    fn handler_of(&self, node: Node<'t>) -> Option<Node<'t>> {
        let mut value = node;
        // Ends at the root, where `parent()` is None: no bound is needed.
        loop {
            let parent = value.parent()?;
            match parent.kind() {
                "unary_expression" | "parenthesized_expression" => value = parent,
                "argument_list" => return self.handler_beside(parent, value),
                "literal_element" => {
                    let keyed = parent.parent().filter(|k| k.kind() == "keyed_element")?;
                    let literal = keyed.parent()?;
                    return keyed_in(literal, self.source, "Handler");
                }
                "expression_list" => {
                    let holder = parent.parent()?;
                    let position = named_children(parent)
                        .iter()
                        .position(|c| c.id() == value.id())?;
                    return match holder.kind() {
                        // `return mcp.NewTool(…), func(…) {…}`.
                        "return_statement" => named_children(parent).get(position + 1).copied(),
                        "short_var_declaration" | "assignment_statement" | "var_spec" => {
                            let names =
                                holder.field("left").map(named_children).unwrap_or_else(|| {
                                    let mut cursor = holder.walk();
                                    holder.children_by_field_name("name", &mut cursor).collect()
                                });
                            let variable = self.text(*names.get(position)?);
                            self.handler_of_variable(holder, variable)
                        }
                        _ => None,
                    };
                }
                _ => return None,
            }
        }
    }

    /// The handler beside a tool given as an argument: `s.AddTool(tool, h)`,
    /// `mcp.AddTool(s, tool, h)`, a wrapper's `register(s, tool, h)`.
    fn handler_beside(&self, list: Node<'t>, value: Node<'t>) -> Option<Node<'t>> {
        let args = named_children(list);
        let position = args.iter().position(|a| a.id() == value.id())?;
        let callee = list
            .parent()
            .and_then(Self::callee)
            .map(|c| self.text(c))
            .unwrap_or("");
        if registers(callee) {
            return args.get(position + 1).copied();
        }
        // A project helper (`NewTool(toolset, mcp.Tool{…}, scopes, func(…) {…})`):
        // the function written after the tool, else the first name after it.
        let after = &args[position + 1..];
        after
            .iter()
            .find(|a| a.kind() == "func_literal")
            .or_else(|| {
                after.iter().find(|a| {
                    matches!(
                        a.kind(),
                        "identifier" | "selector_expression" | "call_expression"
                    ) && !matches!(self.text(**a), "nil" | "true" | "false")
                })
            })
            .copied()
    }

    /// A tool held in a variable (`tool := mcp.NewTool(…)`) and registered
    /// later in the same function (or file): the handler given with it.
    fn handler_of_variable(&self, declaration: Node<'t>, variable: &str) -> Option<Node<'t>> {
        let mut scope = declaration;
        while let Some(parent) = scope.parent() {
            scope = parent;
            if matches!(
                scope.kind(),
                "function_declaration" | "method_declaration" | "func_literal"
            ) {
                break;
            }
        }
        let uses = |node: Node<'_>| node.kind() == "identifier" && self.text(node) == variable;
        for &call in &self.calls {
            if call.start_byte() < scope.start_byte() || call.end_byte() > scope.end_byte() {
                continue;
            }
            let Some(list) = call.field("arguments") else {
                continue;
            };
            let args = named_children(list);
            if let Some(position) = args.iter().position(|a| uses(strip_ref(*a))) {
                let callee = Self::callee(call).map(|c| self.text(c)).unwrap_or("");
                if registers(callee) {
                    return args.get(position + 1).copied();
                }
            }
        }
        for &composite in &self.composites {
            if composite.start_byte() < scope.start_byte()
                || composite.end_byte() > scope.end_byte()
            {
                continue;
            }
            if keyed(composite, self.source, "Tool").is_some_and(|t| uses(strip_ref(t))) {
                return keyed(composite, self.source, "Handler");
            }
        }
        None
    }

    /// What a handler expression names.
    fn handler_target(&self, handler: Node<'t>, facts: &FileFacts) -> Target {
        let handler = strip_ref(handler);
        match handler.kind() {
            "func_literal" => function_at(facts, span(handler)).map_or(Target::None, Target::Local),
            "identifier" => {
                let name = self.text(handler);
                if name == "nil" {
                    return Target::None;
                }
                if let Some(found) = plain_function(facts, name) {
                    return Target::Local(found);
                }
                // `h := func(…) {…}` in the registering function.
                if let Some(literal) = self.local_literal(handler, name, facts) {
                    return Target::Local(literal);
                }
                Target::Ref(HandlerRef::Name(name.to_string()))
            }
            "selector_expression" => {
                if self.is_package_selector(handler) {
                    return Target::Ref(HandlerRef::Name(self.text(handler).to_string()));
                }
                let Some(method) = handler.field("field").map(|f| self.text(f)) else {
                    return Target::None;
                };
                let local = facts.go.receivers.iter().find(|(f, _)| {
                    facts.functions.get(*f).and_then(|f| f.name.as_deref()) == Some(method)
                });
                match local {
                    Some((f, _)) => Target::Local(*f),
                    None => Target::Ref(HandlerRef::Method(method.to_string())),
                }
            }
            "call_expression" => {
                let Some(callee) = Self::callee(handler) else {
                    return Target::None;
                };
                // `mcp.NewTypedToolHandler(search)`: the typed function.
                if self.qualified(callee, &self.sdk.mcp_go).is_some() {
                    return match arguments(handler).first() {
                        Some(inner) => self.handler_target(*inner, facts),
                        None => Target::None,
                    };
                }
                let name = match callee.kind() {
                    "identifier" => self.text(callee),
                    "selector_expression" if self.is_package_selector(callee) => self.text(callee),
                    "selector_expression" => callee.field("field").map_or("", |f| self.text(f)),
                    _ => return Target::None,
                };
                if callee.kind() != "selector_expression"
                    && let Some(found) = plain_function(facts, name)
                {
                    return Target::Local(
                        returned_literal(facts, found, self.source).unwrap_or(found),
                    );
                }
                Target::Ref(HandlerRef::Factory(name.to_string()))
            }
            _ => Target::None,
        }
    }

    /// `name := func(…) {…}` (or `var name = …`) in the function around `at`.
    fn local_literal(&self, at: Node<'_>, name: &str, facts: &FileFacts) -> Option<usize> {
        let scope = facts.enclosing_function(span(at))?.span;
        facts
            .functions
            .iter()
            .enumerate()
            .filter(|(_, f)| f.name.is_none() && within(scope, f.span))
            .find(|(_, f)| {
                let before = self.source.get(scope.start..f.span.start).unwrap_or("");
                let head = before.trim_end();
                let head = head
                    .strip_suffix(":=")
                    .or_else(|| head.strip_suffix('='))
                    .map(str::trim_end);
                head.is_some_and(|h| {
                    h.ends_with(name)
                        && !h[..h.len() - name.len()]
                            .ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.')
                })
            })
            .map(|(i, _)| i)
    }
}

/// A tool value being lowered: its node and the parts found so far.
struct Built<'t> {
    kind: EntryKind,
    node: Node<'t>,
    name: Node<'t>,
    description: Option<Node<'t>>,
    annotations: ToolAnnotations,
    params: Vec<Param>,
    /// `mcp.WithInputSchema[T]()`: the struct whose fields are the parameters.
    input_struct: Option<String>,
}

/// What the file leaves to the project layer about one tool.
#[derive(Default)]
struct Refs {
    name: Option<String>,
    description: Option<String>,
    handler: Option<HandlerRef>,
}

enum Target {
    Local(usize),
    Ref(HandlerRef),
    None,
}

/// Every named node of the tree in document order, without recursion.
fn named_nodes(tree: &Tree) -> Vec<Node<'_>> {
    let mut out = Vec::new();
    let mut cursor = tree.walk();
    loop {
        let node = cursor.node();
        if node.is_named() {
            out.push(node);
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return out;
            }
        }
    }
}

fn within(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// A registration call of either SDK: `s.AddTool(tool, h)`,
/// `mcp.AddTool(s, tool, h)`, `s.AddPrompt(p, h)`, `s.AddResource(r, h)`.
fn registers(callee: &str) -> bool {
    let method = callee.rsplit('.').next().unwrap_or(callee);
    matches!(
        method,
        "AddTool" | "AddPrompt" | "AddResource" | "AddResourceTemplate"
    )
}

fn transport(facts: &mut FileFacts, transport: Transport, node: Node<'_>) {
    facts.transports.push(TransportUse {
        transport,
        span: span(node),
    });
}

fn named_children(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .collect()
}

fn arguments(call: Node<'_>) -> Vec<Node<'_>> {
    call.field("arguments")
        .map(named_children)
        .unwrap_or_default()
}

fn strip_ref(mut node: Node<'_>) -> Node<'_> {
    while matches!(node.kind(), "unary_expression" | "parenthesized_expression") {
        let inner = node.field("operand").or_else(|| node.named_child(0));
        match inner {
            Some(inner) => node = inner,
            None => break,
        }
    }
    node
}

/// `&mcp.Tool{…}` / `mcp.Tool{…}` → the composite literal.
fn composite_of(node: Node<'_>) -> Option<Node<'_>> {
    let node = strip_ref(node);
    (node.kind() == "composite_literal").then_some(node)
}

/// The value of `key:` in a composite literal (or a bare literal value).
fn keyed<'t>(composite: Node<'t>, source: &str, key: &str) -> Option<Node<'t>> {
    let body = match composite.kind() {
        "composite_literal" => composite.field("body")?,
        _ => composite,
    };
    keyed_in(body, source, key)
}

fn keyed_in<'t>(body: Node<'t>, source: &str, key: &str) -> Option<Node<'t>> {
    for element in named_children(body) {
        if element.kind() != "keyed_element" {
            continue;
        }
        let Some(k) = element.field("key") else {
            continue;
        };
        if text(k, source).trim() != key {
            continue;
        }
        let value = element.field("value")?;
        // `literal_element` wraps the expression.
        return Some(match value.kind() {
            "literal_element" => value.named_child(0).unwrap_or(value),
            _ => value,
        });
    }
    None
}

fn is_string(node: Node<'_>) -> bool {
    matches!(
        node.kind(),
        "interpreted_string_literal" | "raw_string_literal"
    )
}

/// The text of a Go string literal, escapes decoded as Go does.
fn string_value(node: Node<'_>, source: &str) -> String {
    super::go_strings::unquote(text(node, source))
}

/// `mcp.WithInputSchema[SearchArgs]()` → `SearchArgs`.
fn type_argument(call: Node<'_>, source: &str) -> Option<String> {
    let function = call.field("function")?;
    let argument = call
        .field("type_arguments")
        .and_then(|a| a.named_child(0))
        .or_else(|| {
            (function.kind() == "index_expression")
                .then(|| function.field("index"))
                .flatten()
        })
        .or_else(|| {
            (function.kind() == "generic_type")
                .then(|| {
                    function
                        .field("type_arguments")
                        .and_then(|a| a.named_child(0))
                })
                .flatten()
        })?;
    Some(type_name(text(argument, source)).to_string())
}

/// `*tools.SearchArgs` → `SearchArgs`; `[]string` stays as written.
fn type_name(written: &str) -> &str {
    let bare = written.trim().trim_start_matches('*');
    bare.rsplit('.').next().unwrap_or(bare)
}

/// Is the node (under `&` or parentheses) the one value of a `return`?
fn returned_alone(node: Node<'_>) -> bool {
    let mut value = node;
    // Ends at the root, where `parent()` is None: no bound is needed.
    loop {
        let Some(parent) = value.parent() else {
            return false;
        };
        match parent.kind() {
            "unary_expression" | "parenthesized_expression" => value = parent,
            "expression_list" => {
                return parent
                    .parent()
                    .is_some_and(|r| r.kind() == "return_statement")
                    && named_children(parent).len() == 1;
            }
            _ => return false,
        }
    }
}

/// Is the node inside an `if` or a `switch` case of its function?
fn conditional(node: Node<'_>) -> bool {
    let mut current = node;
    // Ends at the root, where `parent()` is None: no bound is needed.
    loop {
        let Some(parent) = current.parent() else {
            return false;
        };
        match parent.kind() {
            "if_statement" | "expression_case" | "type_case" | "default_case" => return true,
            "function_declaration" | "method_declaration" | "func_literal" | "source_file" => {
                return false;
            }
            _ => current = parent,
        }
    }
}

fn function_at(facts: &FileFacts, at: Span) -> Option<usize> {
    facts.functions.iter().position(|f| f.span == at)
}

/// A top-level function of the file (not a method) named `name`.
fn plain_function(facts: &FileFacts, name: &str) -> Option<usize> {
    facts
        .functions
        .iter()
        .enumerate()
        .find(|(i, f)| f.name.as_deref() == Some(name) && facts.go.receiver(*i).is_none())
        .map(|(i, _)| i)
}

/// The function literal a factory returns (`return func(ctx …) {…}`).
pub fn returned_literal(facts: &FileFacts, factory: usize, source: &str) -> Option<usize> {
    let outer = facts.functions.get(factory)?.span;
    facts
        .functions
        .iter()
        .enumerate()
        .filter(|(i, f)| *i != factory && f.name.is_none() && within(outer, f.span))
        .find(|(_, f)| {
            source
                .get(outer.start..f.span.start)
                .is_some_and(|before| before.trim_end().ends_with("return"))
        })
        .map(|(i, _)| i)
}

/// The named function around `node` and its parameter names.
fn enclosing_named(node: Node<'_>, facts: &FileFacts) -> Option<(usize, Vec<String>)> {
    let at = span(node);
    let index = facts.enclosing_functions(at).into_iter().next()?;
    let function = facts.functions.get(index)?;
    Some((index, function.params.clone()))
}

/// The typed input of a handler `func(ctx, req, args T)` / `func(ctx, args T)`:
/// its last parameter's type, when the file declares that struct.
fn typed_input(facts: &FileFacts, function: usize) -> Option<String> {
    let types = facts.go.params_of(function)?;
    let last = type_name(types.last()?);
    facts.go.struct_named(last).map(|s| s.name.clone())
}

/// Receivers and parameter types of the file's functions, matched to
/// `facts.functions` by span.
fn record_signatures(declared: &[Node<'_>], source: &str, facts: &mut FileFacts) {
    for node in declared {
        let Some(index) = function_at(facts, span(*node)) else {
            continue;
        };
        if let Some(receiver) = node
            .field("receiver")
            .and_then(|r| r.named_child(0))
            .and_then(|p| p.field("type"))
        {
            let written = text(receiver, source);
            // `*Server[T]` → `Server`.
            let bare = type_name(written.split('[').next().unwrap_or(written));
            facts.go.receivers.push((index, bare.to_string()));
        }
        if let Some(returned) = constant_return(*node, source) {
            facts.go.returns.push((index, returned));
        }
        let Some(list) = node.field("parameters") else {
            continue;
        };
        let mut types = Vec::new();
        for param in named_children(list) {
            let written = param.field("type").map(|t| text(t, source)).unwrap_or("");
            let mut cursor = param.walk();
            let count = param
                .children_by_field_name("name", &mut cursor)
                .count()
                .max(1);
            for _ in 0..count {
                types.push(written.to_string());
            }
        }
        facts.go.param_types.push((index, types));
    }
}

/// What a function's last statement returns when it is a name or a
/// string (`return DefaultName`): a call of it may stand for a constant.
fn constant_return(function: Node<'_>, source: &str) -> Option<String> {
    let body = function.field("body")?;
    let statements = body
        .named_child(0)
        .filter(|s| s.kind() == "statement_list")?;
    let last = named_children(statements).pop()?;
    if last.kind() != "return_statement" {
        return None;
    }
    let values = named_children(last.named_child(0)?);
    match values.as_slice() {
        [value]
            if matches!(
                value.kind(),
                "identifier"
                    | "selector_expression"
                    | "interpreted_string_literal"
                    | "raw_string_literal"
            ) =>
        {
            Some(text(*value, source).to_string())
        }
        _ => None,
    }
}

/// A struct type declaration with its fields as tool parameters.
fn struct_of(spec: Node<'_>, source: &str) -> Option<GoStruct> {
    let name = text(spec.field("name")?, source).to_string();
    let body = spec.field("type").filter(|t| t.kind() == "struct_type")?;
    let list = body.named_child(0)?;
    let mut fields = Vec::new();
    for field in named_children(list) {
        if field.kind() != "field_declaration" {
            continue;
        }
        let declared_type = field.field("type").map(|t| text(t, source).to_string());
        let tag = field
            .field("tag")
            .map(|t| string_value(t, source))
            .unwrap_or_default();
        let mut cursor = field.walk();
        for go_name in field.children_by_field_name("name", &mut cursor) {
            let go_name = text(go_name, source);
            if !go_name.starts_with(|c: char| c.is_ascii_uppercase()) {
                continue;
            }
            let Some(param) = param_of_field(go_name, &tag, declared_type.clone(), span(field))
            else {
                continue;
            };
            fields.push(param);
        }
    }
    Some(GoStruct {
        name,
        span: span(spec),
        fields,
    })
}

/// The value of `key:"…"` in a struct tag.
fn tag_value<'a>(tag: &'a str, key: &str) -> Option<&'a str> {
    let mut rest = tag;
    while let Some(at) = rest.find(&format!("{key}:\"")) {
        let preceded = at == 0 || rest[..at].ends_with(' ');
        let after = &rest[at + key.len() + 2..];
        let end = after.find('"')?;
        if preceded {
            return Some(&after[..end]);
        }
        rest = &after[end..];
    }
    None
}

/// A field as a parameter: named by its `json` tag (`-` hides it),
/// described by its `jsonschema` tag (the official SDK's whole text, or the
/// `description=` of invopop/jsonschema), optional when `omitempty` (or not
/// `required` in invopop's form).
fn param_of_field(
    go_name: &str,
    tag: &str,
    declared_type: Option<String>,
    at: Span,
) -> Option<Param> {
    let json = tag_value(tag, "json").unwrap_or("");
    let mut parts = json.split(',');
    let json_name = parts.next().unwrap_or("");
    if json_name == "-" {
        return None;
    }
    let omitempty = parts.any(|p| p == "omitempty" || p == "omitzero");
    let schema = tag_value(tag, "jsonschema").unwrap_or("");
    let keyed_form = schema.contains("description=") || schema.split(',').any(|p| p == "required");
    let (description, required) = if keyed_form {
        let description = schema
            .split_once("description=")
            .map(|(_, d)| d.split(",").next().unwrap_or(d).to_string());
        (description, schema.split(',').any(|p| p == "required"))
    } else {
        ((!schema.is_empty()).then(|| schema.to_string()), !omitempty)
    };
    Some(Param {
        name: if json_name.is_empty() {
            go_name.to_string()
        } else {
            json_name.to_string()
        },
        span: at,
        declared_type,
        description: description.map(|d| (d, at)),
        optional: !required || omitempty,
        ..Param::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Language;
    use std::path::Path;

    fn lower_go(source: &str) -> FileFacts {
        crate::frontend::lower(Language::Go, Path::new("main.go"), source).expect("parses")
    }

    #[test]
    fn mcp_go_tools_with_options_and_handlers() {
        let facts = lower_go(
            r#"package main

import (
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

const searchName = "search"

func main() {
	s := server.NewMCPServer("files", "1.0.0")
	s.AddTool(mcp.NewTool(searchName,
		mcp.WithDescription("Search files"),
		mcp.WithString("query", mcp.Required(), mcp.Description("What to find"), mcp.Enum("a", "b")),
		mcp.WithNumber("limit"),
		mcp.WithReadOnlyHintAnnotation(true),
	), handleSearch)
	readTool := mcp.NewTool("read")
	s.AddTool(readTool, func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) { return nil, nil })
	s.AddTool(mcp.NewTool("remote"), h.handleRemote)
	s.AddTool(mcp.NewTool("made"), makeHandler(client))
	server.ServeStdio(s)
}

func handleSearch(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) { return nil, nil }

func makeHandler(c Client) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) { return nil, nil }
}
"#,
        );
        let names: Vec<&str> = facts.tools.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, vec!["search", "read", "remote", "made"]);
        let search = &facts.tools[0];
        assert_eq!(search.params.len(), 2);
        assert!(!search.params[0].optional);
        assert_eq!(search.params[0].enum_values, vec!["a", "b"]);
        assert!(search.params[1].optional);
        assert_eq!(search.annotations.read_only, Some(true));
        let handler = |i: usize| {
            facts.tools[i]
                .handler
                .and_then(|h| facts.functions.get(h))
                .map(|f| f.name.clone())
        };
        assert_eq!(handler(0), Some(Some("handleSearch".into())));
        assert_eq!(handler(1), Some(None));
        assert_eq!(
            facts.go.handler_refs,
            vec![(2, HandlerRef::Method("handleRemote".into()))]
        );
        assert_eq!(handler(3), Some(None), "the literal the factory returns");
        assert_eq!(facts.servers.len(), 1);
        assert_eq!(facts.transport_kinds(), vec![Transport::Stdio]);
    }

    #[test]
    fn go_sdk_tools_with_typed_input() {
        let facts = lower_go(
            r#"package main

import "github.com/modelcontextprotocol/go-sdk/mcp"

type Args struct {
	Path string `json:"path" jsonschema:"the file to read"`
	Max  int    `json:"max,omitempty"`
	skip string
}

func read(ctx context.Context, req *mcp.CallToolRequest, args Args) (*mcp.CallToolResult, any, error) {
	return nil, nil, nil
}

func main() {
	server := mcp.NewServer(&mcp.Implementation{Name: "files", Version: "v1"}, nil)
	mcp.AddTool(server, &mcp.Tool{Name: "read", Description: "Reads", Annotations: &mcp.ToolAnnotations{ReadOnlyHint: true}}, read)
	server.Run(ctx, &mcp.StdioTransport{})
}
"#,
        );
        assert_eq!(facts.tools.len(), 1);
        let tool = &facts.tools[0];
        assert_eq!(tool.name, "read");
        assert_eq!(tool.annotations.read_only, Some(true));
        let params: Vec<(&str, bool)> = tool
            .params
            .iter()
            .map(|p| (p.name.as_str(), p.optional))
            .collect();
        assert_eq!(params, vec![("path", false), ("max", true)]);
        assert_eq!(
            tool.params[0].description.as_ref().map(|d| d.0.as_str()),
            Some("the file to read")
        );
        assert_eq!(
            tool.handler.and_then(|h| facts.functions[h].name.clone()),
            Some("read".into())
        );
        assert_eq!(facts.servers[0].name.as_deref(), Some("files"));
        assert_eq!(facts.transport_kinds(), vec![Transport::Stdio]);
    }

    #[test]
    fn wrappers_candidates_and_look_alikes() {
        let facts = lower_go(
            r#"package tools

import "github.com/mark3labs/mcp-go/mcp"

func Define(name, description string, handler any) mcp.Tool {
	return mcp.NewTool(name, mcp.WithDescription(description))
}

var defs = []api.ServerTool{{Tool: api.Tool{Name: "pods_list"}, Handler: podsList}}

func other() { registry.AddTool(Thing{Name: "nope"}, f) }
"#,
        );
        assert!(facts.tools.is_empty());
        assert_eq!(facts.go.wrappers.len(), 1);
        assert_eq!(facts.go.wrappers[0].name, 0);
        assert_eq!(facts.go.wrappers[0].description, Some(1));
        assert_eq!(facts.go.tool_candidates.len(), 1);
        assert_eq!(facts.go.tool_candidates[0].0.name, "pods_list");
        assert_eq!(
            facts.go.tool_candidates[0].1,
            Some(HandlerRef::Name("podsList".into()))
        );
    }

    #[test]
    fn a_file_without_the_sdk_has_no_tools() {
        let facts = lower_go("package main\n\nfunc main() { r.AddTool(NewTool(\"x\"), h) }\n");
        assert!(facts.tools.is_empty());
        assert!(!facts.go.uses_sdk);
    }

    #[test]
    fn prompts_and_resources_of_both_sdks() {
        let facts = lower_go(
            r#"package main

import (
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

func main() {
	s := server.NewMCPServer("x", "1")
	s.AddPrompt(mcp.NewPrompt("review", mcp.WithPromptDescription("Review code")), reviewPrompt)
	s.AddResource(mcp.NewResource("docs://readme", "readme", mcp.WithResourceDescription("The readme")), readme)
	o := sdk.NewServer(&sdk.Implementation{Name: "y"}, nil)
	o.AddPrompt(&sdk.Prompt{Name: "greet"}, greet)
	o.AddResource(&sdk.Resource{URI: "file:///info", Name: "info"}, info)
}

func reviewPrompt() {}
func readme() {}
func greet() {}
func info() {}
"#,
        );
        let entries: Vec<(EntryKind, &str, Option<String>)> = facts
            .tools
            .iter()
            .map(|t| {
                (
                    t.kind,
                    t.name.as_str(),
                    t.handler.and_then(|h| facts.functions[h].name.clone()),
                )
            })
            .collect();
        assert_eq!(
            entries,
            vec![
                (EntryKind::Prompt, "review", Some("reviewPrompt".into())),
                (EntryKind::Resource, "docs://readme", Some("readme".into())),
                (EntryKind::Prompt, "greet", Some("greet".into())),
                (EntryKind::Resource, "file:///info", Some("info".into())),
            ]
        );
    }
}
