//! The MCP model each frontend lowers: servers, settings, transports, tools,
//! descriptions, parameters and their constraints.

use std::path::Path;

use mcplint::facts::{Description, FileFacts, Language, Stmt, Transport, Value};
use mcplint::frontend::lower;

fn facts(language: Language, name: &str, text: &str) -> FileFacts {
    lower(language, Path::new(name), text).expect("parses")
}

fn description(facts: &FileFacts, tool: &str) -> String {
    match &facts
        .tools
        .iter()
        .find(|t| t.name == tool)
        .unwrap()
        .description
    {
        Some(Description::Literal { text, .. }) => text.clone(),
        other => panic!("{tool}: {other:?}"),
    }
}

#[test]
fn fastmcp_settings_docstrings_and_constraints() {
    let text = r#"
from typing import Annotated, Literal
from pydantic import Field
from mcp.server.fastmcp import FastMCP, Context

server = FastMCP("files", host="127.0.0.1", port=8080, token_verifier=verifier)

@server.tool()
async def read_file(
    ctx: Context,
    path: Annotated[str, Field(description="Relative path", pattern=r"^[\w./-]+$", max_length=200)],
    mode: Literal["text", "base64"] = "text",
) -> str:
    """Read a file.

        Only files below the root are readable.
    """
    return ""

if FEATURE_SHELL:
    @server.tool(name="shell")
    def run(cmd: str) -> str:
        return ""

if __name__ == "__main__":
    server.run(transport="streamable-http")
"#;
    let facts = facts(Language::Python, "server.py", text);
    let server = &facts.servers[0];
    assert_eq!(server.name.as_deref(), Some("files"));
    let keys: Vec<&str> = server.settings.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["host", "port", "token_verifier"]);
    assert_eq!(facts.transport_kinds(), [Transport::StreamableHttp]);
    assert_eq!(
        description(&facts, "read_file"),
        "Read a file.\n\nOnly files below the root are readable."
    );
    let tool = facts.tools.iter().find(|t| t.name == "read_file").unwrap();
    let names: Vec<&str> = tool.params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["path", "mode"], "Context is not a parameter");
    assert_eq!(tool.params[0].max_length, Some(200));
    assert_eq!(tool.params[0].pattern.as_deref(), Some(r"^[\w./-]+$"));
    assert_eq!(tool.params[1].enum_values, ["text", "base64"]);
    assert!(tool.params[1].optional);
    assert!(!tool.conditional);
    assert!(
        facts
            .tools
            .iter()
            .find(|t| t.name == "shell")
            .unwrap()
            .conditional
    );
}

#[test]
fn typescript_overloads_zod_and_transports() {
    let text = r#"
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "notes", version: "1.0.0" }, { capabilities: { logging: {} } });
const DESCRIPTION = "Search " + "notes";

server.tool("search", DESCRIPTION, { q: z.string().regex(/^[a-z ]+$/).max(64).describe("words") }, { readOnlyHint: true }, async ({ q }) => ({ content: [] }));
server.tool("ping", async () => ({ content: [] }));
server.registerTool("fetch_url", { description: `Fetch a page`, inputSchema: { url: z.string().url(), kind: z.enum(["html", "text"]).optional() } }, handler);
async function handler({ url }) { return { content: [] }; }
await server.connect(new StdioServerTransport());
"#;
    let facts = facts(Language::TypeScript, "server.ts", text);
    assert_eq!(facts.servers[0].name.as_deref(), Some("notes"));
    assert_eq!(facts.servers[0].settings[0].0, "capabilities");
    assert_eq!(facts.transport_kinds(), [Transport::Stdio]);
    assert_eq!(description(&facts, "search"), "Search notes");
    let search = facts.tools.iter().find(|t| t.name == "search").unwrap();
    assert_eq!(search.annotations.read_only, Some(true));
    let q = &search.params[0];
    assert_eq!(
        (q.pattern.as_deref(), q.max_length),
        (Some("^[a-z ]+$"), Some(64))
    );
    assert_eq!(q.description.as_ref().map(|d| d.0.as_str()), Some("words"));
    let ping = facts.tools.iter().find(|t| t.name == "ping").unwrap();
    assert!(ping.description.is_none() && ping.params.is_empty());
    let fetch = facts.tools.iter().find(|t| t.name == "fetch_url").unwrap();
    assert_eq!(fetch.params[0].format.as_deref(), Some("uri"));
    assert_eq!(fetch.params[1].enum_values, ["html", "text"]);
    assert!(fetch.params[1].optional);
    let handler = &facts.functions[fetch.handler.expect("named handler")];
    assert_eq!(handler.name.as_deref(), Some("handler"));
}

#[test]
fn rmcp_tools_params_and_transport() {
    let text = r#"
use rmcp::{handler::server::wrapper::Parameters, model::*, schemars, tool, tool_router, transport::stdio, ServiceExt};

#[derive(serde::Deserialize, schemars::JsonSchema)]
pub struct SearchArgs {
    /// Words to look for
    pub query: String,
    #[schemars(description = "At most this many results")]
    pub limit: Option<u32>,
}

#[tool_router]
impl Notes {
    /// Search the notes.
    #[tool(annotations(read_only_hint = true))]
    async fn search(&self, Parameters(args): Parameters<SearchArgs>) -> Result<CallToolResult, McpError> { todo() }

    #[cfg(feature = "admin")]
    #[tool(name = "purge_all", description = "Delete every note")]
    async fn purge(&self) -> Result<CallToolResult, McpError> { todo() }
}

async fn main() { let s = Notes::new().serve(stdio()).await; }
"#;
    let facts = facts(Language::Rust, "main.rs", text);
    assert_eq!(facts.transport_kinds(), [Transport::Stdio]);
    assert_eq!(description(&facts, "search"), "Search the notes.");
    let search = facts.tools.iter().find(|t| t.name == "search").unwrap();
    assert_eq!(search.annotations.read_only, Some(true));
    let params: Vec<(&str, &str, bool)> = search
        .params
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.description.as_ref().unwrap().0.as_str(),
                p.optional,
            )
        })
        .collect();
    assert_eq!(
        params,
        [
            ("query", "Words to look for", false),
            ("limit", "At most this many results", true)
        ]
    );
    let purge = facts.tools.iter().find(|t| t.name == "purge_all").unwrap();
    assert!(purge.conditional);
    assert_eq!(description(&facts, "purge_all"), "Delete every note");
}

#[test]
fn handlers_imported_from_project_modules_are_named() {
    let text = r#"
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { searchHandler as search } from "./handlers/search.js";
const server = new McpServer({ name: "docs", version: "1.0.0" });
server.registerTool("search", { description: "Search docs" }, search);
"#;
    let facts = facts(Language::TypeScript, "server.ts", text);
    let tool = &facts.tools[0];
    assert_eq!(tool.handler, None);
    assert_eq!(
        tool.handler_import.as_deref(),
        Some("./handlers/search.js#searchHandler")
    );
}

#[test]
fn rmcp_handlers_lower_to_data_flow() {
    let text = r#"
use rmcp::{handler::server::wrapper::Parameters, model::*, tool, tool_router};

#[derive(serde::Deserialize, schemars::JsonSchema)]
pub struct ReadArgs { pub path: String }

#[tool_router]
impl Files {
    #[tool(description = "Read a file", annotations(read_only_hint = true))]
    async fn read(&self, Parameters(ReadArgs { path }): Parameters<ReadArgs>) -> Result<CallToolResult, McpError> {
        let full = self.root.join(&path);
        if !full.canonicalize()?.starts_with(&self.root) {
            return Err(McpError::invalid_params("outside the root", None));
        }
        Ok(CallToolResult::success(vec![Content::text(std::fs::read_to_string(full)?)]))
    }
}
"#;
    let facts = facts(Language::Rust, "files.rs", text);
    let tool = &facts.tools[0];
    let handler = &facts.functions[tool.handler.expect("the method handles the tool")];
    assert_eq!(handler.params, ["path"]);
    let inside: Vec<&Stmt> = facts
        .statements
        .iter()
        .filter(|s| handler.span.start <= s.span().start && s.span().end <= handler.span.end)
        .collect();
    assert!(matches!(inside[0], Stmt::Assign { targets, .. } if targets == &["full"]));
    let Stmt::Guard { cond, exits, .. } = inside[1] else {
        panic!("{:?}", inside[1]);
    };
    assert!(*exits);
    assert!(matches!(&cond.value, Value::Op(op, _) if op == "!"));
    assert!(matches!(inside[2], Stmt::Return { .. }));
    let Stmt::Return { value, .. } = inside[3] else {
        panic!("{:?}", inside[3]);
    };
    assert!(matches!(&value.value, Value::Call(call) if call.callee == "Ok"));
    assert_eq!(inside.len(), 4);
}

/// The function a tool's handler is, by name (`None`: no handler).
fn handler_name(facts: &FileFacts, tool: &str) -> Option<String> {
    let tool = facts.tools.iter().find(|t| t.name == tool).unwrap();
    facts.functions[tool.handler?].name.clone()
}

#[test]
fn a_name_guard_is_no_dispatch_branch() {
    // `if name != "x": raise`: the guard's body runs for every other name;
    // the single listed tool's handler is the whole call-tool handler.
    let text = r#"
from mcp.server.lowlevel import Server
from mcp.types import Tool

server = Server("one")

@server.list_tools()
async def list_tools():
    return [Tool(name="run", description="Run.", inputSchema={"type": "object"})]

@server.call_tool()
async def call_tool(name, arguments):
    if name != "run":
        raise ValueError(name)
    return arguments["cmd"]
"#;
    let facts = facts(Language::Python, "server.py", text);
    assert!(facts.dispatch.is_empty(), "{:?}", facts.dispatch);
    assert_eq!(handler_name(&facts, "run").as_deref(), Some("call_tool"));
}

#[test]
fn fastmcp_tools_beside_a_low_level_listing_keep_both_handlers() {
    let text = r#"
from mcp.server.fastmcp import FastMCP
from mcp.server.lowlevel import Server
from mcp.types import Tool

server = Server("low")
extra = FastMCP("extra")

@extra.tool()
def ping() -> str:
    return "pong"

@server.list_tools()
async def list_tools():
    return [Tool(name="run", description="Run.", inputSchema={"type": "object"})]

@server.call_tool()
async def call_tool(name, arguments):
    return arguments["cmd"]
"#;
    let facts = facts(Language::Python, "server.py", text);
    assert_eq!(handler_name(&facts, "ping").as_deref(), Some("ping"));
    assert_eq!(handler_name(&facts, "run").as_deref(), Some("call_tool"));
    // Two listed tools and no dispatch: which runs is unknown, so neither
    // is linked to the whole handler.
    let two = text.replace(
        r#"return [Tool(name="run""#,
        r#"return [Tool(name="stop", description="Stop.", inputSchema={}), Tool(name="run""#,
    );
    let facts = self::facts(Language::Python, "server.py", &two);
    assert_eq!(handler_name(&facts, "run"), None);
    assert_eq!(handler_name(&facts, "ping").as_deref(), Some("ping"));
}

/// FastMCP 2's `run_http_async(transport="sse")` serves SSE, not
/// streamable HTTP; without the keyword it is streamable HTTP.
#[test]
fn fastmcp_run_http_async_honours_its_transport_keyword() {
    let text = r#"
from fastmcp import FastMCP
mcp = FastMCP("inventory")

async def serve(kind: str):
    if kind == "sse":
        await mcp.run_http_async(host="127.0.0.1", port=8000, transport="sse")
    else:
        await mcp.run_http_async(host="127.0.0.1", port=8000)
"#;
    let facts = facts(Language::Python, "server.py", text);
    let kinds = facts.transport_kinds();
    assert!(kinds.contains(&Transport::Sse), "{kinds:?}");
    assert!(kinds.contains(&Transport::StreamableHttp), "{kinds:?}");
}
