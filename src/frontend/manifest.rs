//! Data files (JSON, YAML, TOML): recognise the ones that describe or launch
//! MCP servers, by name, location and content shape. Anything else is not an
//! MCP file and yields no facts. (The per-format linting of these files is
//! built on this classification.)

use std::path::Path;

use serde_json::Value as Json;

use super::ParseFailure;
use super::jsonc::to_strict_json;
use crate::facts::{FileFacts, Language, ManifestKind};
use crate::finding::Span;

/// Data files nested deeper than this are not parsed.
const MAX_NESTING: usize = 128;

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
];

/// File names that are MCP files whatever their content looks like: a parse
/// failure in one of them is reported rather than ignored.
fn known_name(path: &Path) -> Option<ManifestKind> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let parent = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|p| p.to_str())
        .unwrap_or("");
    match name.as_str() {
        "claude_desktop_config.json"
        | ".mcp.json"
        | "mcp_config.json"
        | "cline_mcp_settings.json"
        | "mcp_settings.json" => Some(ManifestKind::ClientConfig),
        "mcp.json" if matches!(parent, ".cursor" | ".vscode" | ".roo" | ".kiro") => {
            Some(ManifestKind::ClientConfig)
        }
        "smithery.yaml" | "smithery.yml" => Some(ManifestKind::ServerManifest),
        _ => None,
    }
}

pub fn lower(language: Language, path: &Path, text: &str) -> Result<FileFacts, ParseFailure> {
    let mut facts = FileFacts::new(language);
    let named = known_name(path);
    if let Some(offset) = too_deep(text) {
        return match named {
            Some(_) => Err(ParseFailure {
                span: Span::new(offset, offset),
                message: format!("nesting deeper than {MAX_NESTING} levels; not parsed"),
            }),
            None => Ok(facts),
        };
    }
    let parsed = match language {
        Language::Json => serde_json::from_str::<Json>(&to_strict_json(text))
            .map_err(|e| (line_col_offset(text, e.line(), e.column()), e.to_string())),
        Language::Yaml => serde_saphyr::from_str::<Json>(text).map_err(|e| (0, e.to_string())),
        Language::Toml => toml::from_str::<toml::Value>(text)
            .map_err(|e| {
                let at = e.span().map(|s| s.start).unwrap_or(0);
                (at, e.message().to_string())
            })
            .and_then(|v| serde_json::to_value(v).map_err(|e| (0, e.to_string()))),
        _ => return Ok(facts),
    };
    match parsed {
        Ok(document) => facts.manifest = named.or_else(|| classify(path, &document)),
        Err((offset, message)) => {
            if named.is_some() {
                return Err(ParseFailure {
                    span: Span::new(offset, offset),
                    message,
                });
            }
        }
    }
    Ok(facts)
}

/// What kind of MCP file a parsed document is, from its shape.
pub fn classify(path: &Path, document: &Json) -> Option<ManifestKind> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let object = match document {
        Json::Object(object) => object,
        Json::Array(items) => return is_tool_list(items).then_some(ManifestKind::ToolListing),
        _ => return None,
    };
    let has_object = |key: &str| object.get(key).is_some_and(Json::is_object);
    if has_object("mcpServers") || has_object("mcp_servers") || has_object("context_servers") {
        return Some(ManifestKind::ClientConfig);
    }
    // VS Code: `.vscode/mcp.json` has `servers`; settings.json has `mcp.servers`.
    if object
        .get("mcp")
        .and_then(|m| m.get("servers"))
        .is_some_and(Json::is_object)
        || (has_object("servers") && object.values().any(|v| v.is_object()) && name == "mcp.json")
    {
        return Some(ManifestKind::ClientConfig);
    }
    // Goose: `extensions: {name: {cmd|uri, type: stdio|sse}}`.
    if let Some(Json::Object(extensions)) = object.get("extensions")
        && extensions
            .values()
            .any(|e| e.get("cmd").is_some() || e.get("uri").is_some())
    {
        return Some(ManifestKind::ClientConfig);
    }
    if let Some(Json::Array(tools)) = object.get("tools")
        && is_tool_list(tools)
        && !object.contains_key("server")
    {
        return Some(ManifestKind::ToolListing);
    }
    let schema = object.get("$schema").and_then(Json::as_str).unwrap_or("");
    if schema.contains("modelcontextprotocol")
        || object
            .get("server")
            .is_some_and(|s| s.get("mcp_config").is_some())
        || object.contains_key("startCommand")
    {
        return Some(ManifestKind::ServerManifest);
    }
    None
}

/// A non-empty list of tool definitions: objects with a name and an input schema.
fn is_tool_list(items: &[Json]) -> bool {
    !items.is_empty()
        && items.iter().all(|t| {
            t.get("name").is_some_and(Json::is_string)
                && (t.get("inputSchema").is_some() || t.get("input_schema").is_some())
        })
}

fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Byte offset of a 1-based line and column (serde_json's error position).
fn line_col_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (line_start + column.saturating_sub(1)).min(text.len())
}
