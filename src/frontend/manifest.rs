//! Data files (JSON, YAML, TOML): recognise the ones that describe or launch
//! MCP servers, by name, location and content shape, and lower them into
//! facts — client server entries, tool definitions, string values — with the
//! span of every key and value. Anything else is not an MCP file and yields
//! no facts.

use std::path::Path;

use super::ParseFailure;
use super::data::{self, DataError, Member, Node, NodeValue};
use crate::facts::{
    ClientServerEntry, ContainerRun, Description, EntryKind, FileFacts, KeyValue, Language,
    ManifestKind, Param, Spanned, StringLit, ToolAnnotations, ToolDef,
};
use crate::finding::Span;

/// Keys whose presence makes a JSON/YAML/TOML document worth parsing.
pub const MARKERS: &[&str] = &[
    "mcpServers",
    "mcp_servers",
    "context_servers",
    "\"servers\"",
    "inputSchema",
    "input_schema",
    "startCommand",
    "modelcontextprotocol",
    "mcp_config",
    "extensions",
    "mcp__",
];

/// Markers that say a document is meant to be an MCP file even when it does
/// not parse: its syntax error is reported rather than ignored.
const STRONG_MARKERS: &[&str] = &[
    "mcpServers",
    "mcp_servers",
    "context_servers",
    "inputSchema",
    "startCommand",
    "mcp_config",
];

/// File names that are MCP files whatever their content looks like: a parse
/// failure in one of them is reported rather than ignored.
fn known_name(path: &Path) -> Option<ManifestKind> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let parent = parent_name(path);
    match name.as_str() {
        "claude_desktop_config.json"
        | ".mcp.json"
        | "mcp_config.json"
        | "cline_mcp_settings.json"
        | "mcp_settings.json" => Some(ManifestKind::ClientConfig),
        "mcp.json" if matches!(parent.as_str(), ".cursor" | ".vscode" | ".roo" | ".kiro") => {
            Some(ManifestKind::ClientConfig)
        }
        "smithery.yaml" | "smithery.yml" => Some(ManifestKind::ServerManifest),
        _ => None,
    }
}

fn parent_name(path: &Path) -> String {
    path.parent()
        .and_then(|p| p.file_name())
        .and_then(|p| p.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

pub fn lower(language: Language, path: &Path, text: &str) -> Result<FileFacts, ParseFailure> {
    let mut facts = FileFacts::new(language);
    let parsed = match language {
        Language::Json => data::parse_json(text),
        Language::Yaml => data::parse_yaml(text),
        Language::Toml => data::parse_toml(text),
        _ => return Ok(facts),
    };
    let root = match parsed {
        Ok(root) => root,
        Err(DataError { offset, message }) => {
            let meant_as_mcp = known_name(path).is_some()
                || STRONG_MARKERS
                    .iter()
                    .any(|m| memchr::memmem::find(text.as_bytes(), m.as_bytes()).is_some());
            if meant_as_mcp {
                return Err(ParseFailure {
                    span: Span::new(offset, offset),
                    message,
                });
            }
            return Ok(facts);
        }
    };
    let Some(format) = detect(path, &root) else {
        return Ok(facts);
    };
    facts.manifest = Some(format.kind());
    match format {
        Format::Servers(client, servers) => {
            lower_servers(client, servers, &mut facts);
            if let Some(allow) = root.path(&["permissions", "allow"]) {
                claude_permissions(allow, &mut facts);
            }
        }
        Format::ClaudePermissions(allow) => claude_permissions(allow, &mut facts),
        Format::ToolListing(tools) => {
            for tool in tools.items() {
                if let Some(def) = tool_def(tool) {
                    facts.tools.push(def);
                }
            }
        }
        Format::Mcpb => lower_mcpb(&root, &mut facts),
        Format::Registry => lower_registry(&root, &mut facts),
        Format::Smithery => {}
    }
    if matches!(
        facts.manifest,
        Some(ManifestKind::ClientConfig | ManifestKind::ServerManifest)
    ) {
        collect_strings(&root, None, &mut facts.strings);
    }
    Ok(facts)
}

/// What a parsed document is, with the node its entries are read from.
enum Format<'a> {
    /// A map (or, in Continue, a list) of server entries, in a client's format.
    Servers(&'static str, &'a Node),
    /// Claude Code `.claude/settings.json` with `mcp__…` permissions only.
    ClaudePermissions(&'a Node),
    ToolListing(&'a Node),
    Mcpb,
    Registry,
    Smithery,
}

impl Format<'_> {
    fn kind(&self) -> ManifestKind {
        match self {
            Format::Servers(..) | Format::ClaudePermissions(_) => ManifestKind::ClientConfig,
            Format::ToolListing(_) => ManifestKind::ToolListing,
            Format::Mcpb | Format::Registry | Format::Smithery => ManifestKind::ServerManifest,
        }
    }
}

/// The kind of MCP file a parsed document is, for callers that only classify.
pub fn classify(path: &Path, root: &Node) -> Option<ManifestKind> {
    detect(path, root).map(|f| f.kind())
}

fn detect<'a>(path: &Path, root: &'a Node) -> Option<Format<'a>> {
    let name = file_name(path);
    let parent = parent_name(path);
    if root.is_array() {
        return is_tool_list(root).then_some(Format::ToolListing(root));
    }
    if !root.is_object() {
        return None;
    }
    if let Some(servers) = root.get("mcpServers")
        && (servers.is_object() || servers.is_array())
    {
        let client = if servers.is_array() {
            "continue"
        } else {
            match (name.as_str(), parent.as_str()) {
                ("claude_desktop_config.json", _) => "claude-desktop",
                (".mcp.json" | ".claude.json", _) => "claude-code",
                ("mcp.json", ".cursor") => "cursor",
                ("mcp_config.json", _) => "windsurf",
                ("cline_mcp_settings.json", _) => "cline",
                ("mcp_settings.json" | "mcp.json", ".roo") | ("mcp_settings.json", _) => "roo",
                ("settings.json", ".gemini") => "gemini",
                ("settings.json" | "settings.local.json", ".claude") => "claude-code",
                _ => "mcp-servers",
            }
        };
        return Some(Format::Servers(client, servers));
    }
    if let Some(servers) = root.get("mcp_servers").filter(|s| s.is_object()) {
        return Some(Format::Servers("codex", servers));
    }
    if let Some(servers) = root.get("context_servers").filter(|s| s.is_object()) {
        return Some(Format::Servers("zed", servers));
    }
    // VS Code: `.vscode/mcp.json` has `servers`; settings.json has `mcp.servers`.
    if let Some(servers) = root.path(&["mcp", "servers"]).filter(|s| s.is_object()) {
        return Some(Format::Servers("vscode", servers));
    }
    if let Some(servers) = root.get("servers").filter(|s| s.is_object())
        && name.ends_with("mcp.json")
        && servers.members().iter().all(|m| m.value.is_object())
    {
        return Some(Format::Servers("vscode", servers));
    }
    // Goose: `extensions: {name: {cmd|uri, type: stdio|sse}}`.
    if let Some(extensions) = root.get("extensions").filter(|e| e.is_object())
        && extensions
            .members()
            .iter()
            .any(|e| e.value.get("cmd").is_some() || e.value.get("uri").is_some())
    {
        return Some(Format::Servers("goose", extensions));
    }
    if parent == ".claude"
        && let Some(allow) = root.path(&["permissions", "allow"])
        && allow
            .items()
            .iter()
            .any(|a| a.as_str().is_some_and(|s| s.starts_with("mcp__")))
    {
        return Some(Format::ClaudePermissions(allow));
    }
    if let Some(tools) = root.get("tools")
        && is_tool_list(tools)
        && root.get("server").is_none()
    {
        return Some(Format::ToolListing(tools));
    }
    // A saved JSON-RPC response: `{"jsonrpc": "2.0", "result": {"tools": [...]}}`.
    if let Some(tools) = root.path(&["result", "tools"])
        && is_tool_list(tools)
    {
        return Some(Format::ToolListing(tools));
    }
    let schema = root.get("$schema").and_then(Node::as_str).unwrap_or("");
    if root.path(&["server", "mcp_config"]).is_some()
        || (root.get("server").is_some_and(Node::is_object)
            && (root.get("manifest_version").is_some() || root.get("dxt_version").is_some()))
    {
        return Some(Format::Mcpb);
    }
    if schema.contains("modelcontextprotocol")
        || (root
            .get("name")
            .is_some_and(|n| n.as_str().is_some_and(|s| s.contains('/')))
            && (root.get("packages").is_some_and(Node::is_array)
                || root.get("remotes").is_some_and(Node::is_array)))
    {
        return Some(Format::Registry);
    }
    if root.get("startCommand").is_some() {
        return Some(Format::Smithery);
    }
    None
}

/// A non-empty list of tool definitions: objects with a name and an input schema.
fn is_tool_list(items: &Node) -> bool {
    let items = items.items();
    !items.is_empty()
        && items.iter().all(|t| {
            t.get("name").is_some_and(|n| n.as_str().is_some())
                && (t.get("inputSchema").is_some() || t.get("input_schema").is_some())
        })
}

fn spanned(node: &Node) -> Option<Spanned> {
    node.scalar_text().map(|value| Spanned {
        value,
        span: node.span,
    })
}

fn key_values(node: &Node) -> Vec<KeyValue> {
    node.members()
        .iter()
        .filter_map(|m| {
            Some(KeyValue {
                key: m.key.clone(),
                key_span: m.key_span,
                value: m.value.scalar_text()?,
                span: m.value.span,
            })
        })
        .collect()
}

fn strings(node: &Node) -> Vec<Spanned> {
    node.items().iter().filter_map(spanned).collect()
}

fn lower_servers(client: &'static str, servers: &Node, facts: &mut FileFacts) {
    if servers.is_array() {
        // Continue: a list of `{name, command, args, env}`.
        for item in servers.items() {
            let (name, span) = match item.get("name") {
                Some(n) => (n.scalar_text().unwrap_or_default(), n.span),
                None => (String::new(), item.span),
            };
            facts
                .client_entries
                .push(lower_entry(client, name, span, item));
        }
        return;
    }
    for Member {
        key,
        key_span,
        value,
    } in servers.members()
    {
        if value.is_object() {
            facts
                .client_entries
                .push(lower_entry(client, key.clone(), *key_span, value));
        }
    }
}

/// One server entry, reading every client's spelling of each field.
fn lower_entry(format: &'static str, name: String, span: Span, node: &Node) -> ClientServerEntry {
    let mut entry = ClientServerEntry {
        name,
        span,
        format,
        ..ClientServerEntry::default()
    };
    // Zed (older): `command: {path, args, env}`.
    let command_node = node.get("command");
    let launch = match command_node {
        Some(c) if c.is_object() => c,
        _ => node,
    };
    entry.command = command_node
        .and_then(|c| {
            if c.is_object() {
                c.get("path")
            } else {
                Some(c)
            }
        })
        .or_else(|| node.get("cmd"))
        .and_then(spanned);
    entry.args = launch.get("args").map(strings).unwrap_or_default();
    for key in ["env", "envs"] {
        if let Some(env) = launch.get(key) {
            entry.env.extend(key_values(env));
        }
    }
    for key in ["headers", "http_headers"] {
        if let Some(headers) = node.get(key) {
            entry.headers.extend(key_values(headers));
        }
    }
    if let Some(headers) = node.path(&["requestInit", "headers"]) {
        entry.headers.extend(key_values(headers));
    }
    // Codex: a literal bearer token in the config.
    if let Some(token) = node.member("bearer_token")
        && let Some(value) = token.value.scalar_text()
    {
        entry.headers.push(KeyValue {
            key: "bearer_token".to_string(),
            key_span: token.key_span,
            value,
            span: token.value.span,
        });
    }
    entry.url = ["url", "serverUrl", "httpUrl", "uri"]
        .iter()
        .find_map(|k| node.get(k))
        .and_then(spanned);
    entry.transport = ["type", "transport"]
        .iter()
        .find_map(|k| node.get(k))
        .and_then(spanned);
    for key in ["autoApprove", "alwaysAllow"] {
        if let Some(list) = node.get(key) {
            for item in strings(list) {
                if item.value == "*" {
                    entry.trust_all = Some(item.span);
                }
                entry.auto_approve.push(item);
            }
        }
    }
    if let Some(trust) = node.member("trust")
        && trust.value.as_bool() == Some(true)
    {
        entry.trust_all = Some(Span::new(trust.key_span.start, trust.value.span.end));
    }
    entry.disabled = node.get("disabled").and_then(Node::as_bool) == Some(true)
        || node.get("enabled").and_then(Node::as_bool) == Some(false);
    for path in [&["oauth", "scopes"][..], &["scopes"], &["oauth_scopes"]] {
        if let Some(scopes) = node.path(path) {
            entry.oauth_scopes.extend(scope_list(scopes));
        }
    }
    if let Some(program) = entry.program() {
        entry.container = ContainerRun::parse(&program, &entry.args);
    }
    entry
}

/// Scopes as a list or as one space-separated string, each with its span.
fn scope_list(node: &Node) -> Vec<Spanned> {
    match &node.value {
        NodeValue::Str(s) => s
            .split_whitespace()
            .map(|scope| Spanned {
                value: scope.to_string(),
                span: node.span,
            })
            .collect(),
        _ => strings(node),
    }
}

/// Claude Code: `permissions.allow: ["mcp__github__create_issue", "mcp__fs"]`
/// lets the tool (or, with no tool part, every tool of the server) run
/// without asking.
fn claude_permissions(allow: &Node, facts: &mut FileFacts) {
    for item in allow.items() {
        let Some(rule) = item.as_str() else { continue };
        let Some(rest) = rule.strip_prefix("mcp__") else {
            continue;
        };
        let (server, tool) = match rest.split_once("__") {
            Some((server, tool)) => (server, Some(tool)),
            None => (rest, None),
        };
        let position = facts
            .client_entries
            .iter()
            .position(|e| e.name == server)
            .unwrap_or_else(|| {
                facts.client_entries.push(ClientServerEntry {
                    name: server.to_string(),
                    span: item.span,
                    format: "claude-code",
                    ..ClientServerEntry::default()
                });
                facts.client_entries.len() - 1
            });
        let entry = &mut facts.client_entries[position];
        match tool {
            Some("*") | None => entry.trust_all = Some(item.span),
            Some(tool) => entry.auto_approve.push(Spanned {
                value: tool.to_string(),
                span: item.span,
            }),
        }
    }
}

/// A tool of a `tools/list` result (with its input schema and annotations)
/// or of a manifest (name and description only).
fn tool_def(node: &Node) -> Option<ToolDef> {
    let name = node.get("name")?;
    let name_text = name.as_str()?.to_string();
    let description = node.get("description").and_then(|d| {
        d.as_str().map(|text| Description::Literal {
            text: text.to_string(),
            span: d.span,
        })
    });
    let schema = node.get("inputSchema").or_else(|| node.get("input_schema"));
    let params = schema.map(schema_params).unwrap_or_default();
    let mut annotations = ToolAnnotations::default();
    if let Some(a) = node.get("annotations") {
        annotations.read_only = a.get("readOnlyHint").and_then(Node::as_bool);
        annotations.destructive = a.get("destructiveHint").and_then(Node::as_bool);
        annotations.idempotent = a.get("idempotentHint").and_then(Node::as_bool);
        annotations.open_world = a.get("openWorldHint").and_then(Node::as_bool);
    }
    Some(ToolDef {
        kind: EntryKind::Tool,
        name: name_text,
        span: name.span,
        name_literal: Some(name.span),
        dynamic_name: false,
        description,
        params,
        annotations,
        handler: None,
        handler_import: None,
        conditional: false,
        link: None,
    })
}

fn schema_params(schema: &Node) -> Vec<Param> {
    let required: Vec<&str> = schema
        .get("required")
        .map(|r| r.items().iter().filter_map(Node::as_str).collect())
        .unwrap_or_default();
    let Some(properties) = schema.get("properties") else {
        return Vec::new();
    };
    properties
        .members()
        .iter()
        .map(|m| {
            let p = &m.value;
            let declared_type = p.get("type").and_then(|t| match &t.value {
                NodeValue::Str(s) => Some(s.clone()),
                NodeValue::Array(items) => Some(
                    items
                        .iter()
                        .filter_map(Node::as_str)
                        .collect::<Vec<_>>()
                        .join("|"),
                ),
                _ => None,
            });
            Param {
                name: m.key.clone(),
                span: m.key_span,
                declared_type,
                description: p
                    .get("description")
                    .and_then(|d| d.as_str().map(|s| (s.to_string(), d.span))),
                enum_values: p
                    .get("enum")
                    .map(|e| e.items().iter().filter_map(Node::scalar_text).collect())
                    .unwrap_or_default(),
                pattern: p.get("pattern").and_then(Node::as_str).map(str::to_string),
                max_length: p
                    .get("maxLength")
                    .and_then(|n| n.scalar_text())
                    .and_then(|n| n.parse().ok()),
                format: p.get("format").and_then(Node::as_str).map(str::to_string),
                optional: !required.contains(&m.key.as_str()),
            }
        })
        .collect()
}

/// MCPB / DXT `manifest.json`: its tools and prompts, and the launch command
/// of `server.mcp_config`.
fn lower_mcpb(root: &Node, facts: &mut FileFacts) {
    for tool in root.get("tools").map(Node::items).unwrap_or_default() {
        if let Some(def) = tool_def(tool) {
            facts.tools.push(def);
        }
    }
    for prompt in root.get("prompts").map(Node::items).unwrap_or_default() {
        if let Some(mut def) = tool_def(prompt) {
            def.kind = EntryKind::Prompt;
            facts.tools.push(def);
        }
    }
    if let Some(config) = root.path(&["server", "mcp_config"]) {
        let name = root
            .get("name")
            .and_then(Node::as_str)
            .unwrap_or("server")
            .to_string();
        let span = root.member("server").map_or(config.span, |m| m.key_span);
        facts
            .client_entries
            .push(lower_entry("mcpb", name, span, config));
    }
}

/// Registry `server.json`: remotes (URL, headers) and packages (environment
/// defaults; for OCI images, the container runtime arguments).
fn lower_registry(root: &Node, facts: &mut FileFacts) {
    let name = root
        .get("name")
        .and_then(Node::as_str)
        .unwrap_or("server")
        .to_string();
    for remote in root.get("remotes").map(Node::items).unwrap_or_default() {
        let mut entry = ClientServerEntry {
            name: name.clone(),
            span: remote.span,
            format: "registry",
            url: remote.get("url").and_then(spanned),
            transport: remote
                .get("type")
                .or_else(|| remote.get("transport_type"))
                .and_then(spanned),
            ..ClientServerEntry::default()
        };
        for header in remote.get("headers").map(Node::items).unwrap_or_default() {
            if let (Some(key), Some(value)) = (header.get("name"), header.get("value")) {
                entry.headers.push(KeyValue {
                    key: key.scalar_text().unwrap_or_default(),
                    key_span: key.span,
                    value: value.scalar_text().unwrap_or_default(),
                    span: value.span,
                });
            }
        }
        facts.client_entries.push(entry);
    }
    for package in root.get("packages").map(Node::items).unwrap_or_default() {
        let registry = package
            .get("registryType")
            .or_else(|| package.get("registry_type"))
            .or_else(|| package.get("registry_name"))
            .and_then(Node::as_str)
            .unwrap_or("");
        let mut entry = ClientServerEntry {
            name: name.clone(),
            span: package.span,
            format: "registry",
            transport: package.path(&["transport", "type"]).and_then(spanned),
            ..ClientServerEntry::default()
        };
        for variable in package
            .get("environmentVariables")
            .or_else(|| package.get("environment_variables"))
            .map(Node::items)
            .unwrap_or_default()
        {
            if let (Some(key), Some(value)) = (
                variable.get("name"),
                variable.get("value").or_else(|| variable.get("default")),
            ) {
                entry.env.push(KeyValue {
                    key: key.scalar_text().unwrap_or_default(),
                    key_span: key.span,
                    value: value.scalar_text().unwrap_or_default(),
                    span: value.span,
                });
            }
        }
        if matches!(registry, "oci" | "docker") {
            // `docker run <runtimeArguments> <identifier>`: only the
            // arguments are judged (the identifier's version is its own field).
            let mut args = vec![Spanned {
                value: "run".to_string(),
                span: package.span,
            }];
            for argument in package
                .get("runtimeArguments")
                .or_else(|| package.get("runtime_arguments"))
                .map(Node::items)
                .unwrap_or_default()
            {
                if let Some(flag) = argument.get("name").and_then(spanned) {
                    args.push(flag);
                }
                if let Some(value) = argument.get("value").and_then(spanned) {
                    args.push(value);
                }
            }
            entry.container = ContainerRun::parse("docker", &args);
            if let Some(run) = &mut entry.container {
                run.image = None;
            }
        }
        facts.client_entries.push(entry);
    }
}

/// Every string value of the document as a literal for MCL801, named after
/// its key (`{"name": "API_KEY", "value": "…"}` after its `name`); a
/// command-line argument after the flag before it (`--token`, `sk-…`) or
/// its own (`--token=…`); a URL's query parameters after their names.
fn collect_strings(node: &Node, target: Option<&str>, out: &mut Vec<StringLit>) {
    match &node.value {
        NodeValue::Str(value) => push_string(value, node.span, target, out),
        NodeValue::Array(items) => {
            let mut flag: Option<&str> = None;
            for item in items {
                let own = item.as_str().and_then(|s| {
                    let (f, _) = s.split_once('=')?;
                    f.starts_with('-').then_some(f)
                });
                match (own, item.as_str()) {
                    (Some(own_flag), Some(s)) => {
                        let value = &s[own_flag.len() + 1..];
                        push_string(value, item.span, Some(own_flag), out);
                    }
                    _ => collect_strings(item, flag.or(target), out),
                }
                flag = item
                    .as_str()
                    .filter(|s| s.starts_with('-') && !s.contains('='));
            }
        }
        NodeValue::Object(members) => {
            let named = node
                .get("name")
                .and_then(Node::as_str)
                .filter(|_| node.get("value").is_some() || node.get("default").is_some());
            // MCPB `user_config` and registry variables mark secrets themselves.
            let secret = ["sensitive", "isSecret", "is_secret"]
                .iter()
                .any(|k| node.get(k).and_then(Node::as_bool) == Some(true));
            // Named after its own key (`api_key`) when that says secret.
            let secret_name = target
                .filter(|t| {
                    let lower = t.to_ascii_lowercase();
                    ["key", "token", "secret", "pass", "credential"]
                        .iter()
                        .any(|w| lower.contains(w))
                })
                .unwrap_or("secret");
            for m in members {
                let target = match (named, m.key.as_str()) {
                    (_, "value" | "default") if secret => secret_name,
                    (Some(name), "value" | "default") => name,
                    _ => m.key.as_str(),
                };
                collect_strings(&m.value, Some(target), out);
            }
        }
        _ => {}
    }
}

fn push_string(value: &str, span: Span, target: Option<&str>, out: &mut Vec<StringLit>) {
    if is_reference(value) {
        return;
    }
    out.push(StringLit {
        value: value.to_string(),
        span,
        target: target.map(|t| t.trim_start_matches('-').to_string()),
    });
    if let Some((_, query)) = value.split_once('?')
        && value.contains("://")
    {
        for pair in query.split(['&', '#']) {
            if let Some((name, v)) = pair.split_once('=')
                && !is_reference(v)
            {
                out.push(StringLit {
                    value: v.to_string(),
                    span,
                    target: Some(name.to_string()),
                });
            }
        }
    }
}

/// `${input:token}`, `${env:GITHUB_TOKEN}`, `${VAR}`, `$VAR`, `%VAR%`,
/// `{{secret}}`: the value comes from elsewhere.
pub fn is_reference(value: &str) -> bool {
    let v = value.trim();
    let is_name = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '.' | '-'))
    };
    (v.starts_with("${") && v.ends_with('}'))
        || v.strip_prefix('$').is_some_and(is_name)
        || (v.len() > 2 && v.starts_with('%') && v.ends_with('%'))
        || (v.starts_with("{{") && v.ends_with("}}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lower_json(path: &str, text: &str) -> FileFacts {
        lower(Language::Json, Path::new(path), text).unwrap()
    }

    #[test]
    fn claude_desktop_entry_has_spans() {
        let text = r#"{"mcpServers": {"fs": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/"], "env": {"A": "b"}}}}"#;
        let facts = lower_json("claude_desktop_config.json", text);
        assert_eq!(facts.manifest, Some(ManifestKind::ClientConfig));
        let entry = &facts.client_entries[0];
        assert_eq!(entry.format, "claude-desktop");
        assert_eq!(entry.args.len(), 3);
        let root = &entry.args[2];
        assert_eq!(&text[root.span.start..root.span.end], "\"/\"");
        assert_eq!(entry.env[0].key, "A");
    }

    #[test]
    fn other_json_is_ignored() {
        let facts = lower_json("package.json", r#"{"name": "x", "extensions": ["a"]}"#);
        assert_eq!(facts.manifest, None);
        assert!(lower(Language::Json, Path::new("tsconfig.json"), "{ broken").is_ok());
        assert!(lower(Language::Json, Path::new(".mcp.json"), "{ broken").is_err());
    }

    #[test]
    fn references_are_not_values() {
        for v in [
            "${input:token}",
            "${env:GH}",
            "${GITHUB_TOKEN}",
            "$TOKEN",
            "%APPDATA%",
        ] {
            assert!(is_reference(v), "{v}");
        }
        assert!(!is_reference("ghp_abc"));
    }
}
