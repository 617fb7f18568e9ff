//! Messages name the exact tool argument that flows and the exact sink:
//! JSON findings of small projects compared word for word.

mod common;

use serde_json::Value;

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// `(code, line, message)` of every finding of `code`, sorted.
fn messages(files: &[(&str, &str)], code: &str) -> Vec<(String, u64, String)> {
    let dir = project(files);
    let output = common::mcplint_cmd()
        .current_dir(dir.path())
        .args([
            "check",
            "--format",
            "json",
            "--fail-on",
            "never",
            "--no-config",
        ])
        .args(["--select", code])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut out: Vec<(String, u64, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["start"]["line"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

/// A low-level server: the call-tool handler's `arguments` dict is not the
/// argument; the key it reads is.
const LOW_LEVEL: &str = r#"import mcp.types as types
from mcp.server.lowlevel import Server

server = Server("notes")


@server.list_tools()
async def list_tools() -> list[types.Tool]:
    return [
        types.Tool(
            name="read_note",
            description="Read a note by its file name.",
            inputSchema={
                "type": "object",
                "properties": {
                    "title": {"type": "string", "maxLength": 80},
                    "filename": {"type": "string"},
                },
                "required": ["filename"],
            },
        )
    ]


@server.call_tool()
async def call_tool(name: str, arguments: dict) -> list[types.TextContent]:
    if name == "read_note":
        title = arguments.get("title", "")
        with open(f"/srv/notes/{arguments['filename']}") as f:
            return [types.TextContent(type="text", text=f"{title}\n{f.read()}")]
    raise ValueError(f"unknown tool {name}")
"#;

#[test]
fn a_low_level_handler_names_the_key_it_reads() {
    assert_eq!(
        messages(&[("server.py", LOW_LEVEL)], "MCL203"),
        vec![(
            "MCL203".to_string(),
            29,
            "tool argument `filename` of tool `read_note` reaches `open()` as a filesystem path"
                .to_string()
        )]
    );
}

/// A model built from several arguments: the member read on the way to the
/// sink names the argument, not the model's first field.
const MODEL: &str = r#"import os
from dataclasses import dataclass

from mcp.server.fastmcp import FastMCP
from mcp.types import ToolAnnotations

mcp = FastMCP("deployer")


@dataclass
class DeployRequest:
    kind: str
    project_root: str


def write_template(request: DeployRequest) -> None:
    template = os.path.join(request.project_root, "template.yaml")
    with open(template, "w") as f:
        f.write(f"kind: {request.kind}\n")


@mcp.tool(annotations=ToolAnnotations(destructiveHint=True))
def deploy(kind: str, project_root: str) -> str:
    """Write the deployment template of a project."""
    request = DeployRequest(kind=kind, project_root=project_root)
    write_template(request)
    return "written"
"#;

#[test]
fn a_model_of_several_arguments_names_the_member_that_flows() {
    assert_eq!(
        messages(&[("server.py", MODEL)], "MCL203"),
        vec![(
            "MCL203".to_string(),
            18,
            "tool argument `project_root` of tool `deploy` reaches `open()` as a filesystem path"
                .to_string()
        )]
    );
}

/// A TypeScript handler that takes the arguments as one object and passes
/// it on: the property read where the sink is names the argument.
const TS_ARGS: &str = r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { readFile } from "node:fs/promises";
import { z } from "zod";

type ReadArgs = { encoding: string; file: string };

async function readReport(args: ReadArgs): Promise<string> {
  return readFile(`/srv/reports/${args.file}`, "utf8");
}

const server = new McpServer({ name: "reports", version: "1.0.0" });

server.registerTool(
  "read_report",
  {
    description: "Read a report",
    inputSchema: { encoding: z.enum(["utf8"]), file: z.string() },
    annotations: { readOnlyHint: true },
  },
  async (args) => ({ content: [{ type: "text", text: await readReport(args) }] }),
);
"#;

#[test]
fn an_arguments_object_passed_on_names_the_property_read() {
    assert_eq!(
        messages(&[("server.ts", TS_ARGS)], "MCL203"),
        vec![(
            "MCL203".to_string(),
            8,
            "tool argument `file` of tool `read_report` reaches `readFile()` as a filesystem path"
                .to_string()
        )]
    );
}

/// Two servers of one repository: the leak of one names the secrets its own
/// package reads, not its neighbour's.
const BILLING: &str = r#"import os

from mcp.server.fastmcp import FastMCP

STRIPE_API_KEY = os.environ["STRIPE_API_KEY"]
mcp = FastMCP("billing")


@mcp.tool()
def balance() -> str:
    """The account balance."""
    return "0"
"#;

const LINT: &str = r#"import os
import subprocess

from mcp.server.fastmcp import FastMCP

GITHUB_TOKEN = os.environ.get("GITHUB_TOKEN", "")
mcp = FastMCP("lint")


@mcp.tool()
def lint() -> str:
    """Lint the checked-out repository."""
    return subprocess.run(["ruff", "check", "."], env=os.environ.copy(), capture_output=True, text=True, timeout=60).stdout
"#;

#[test]
fn an_environment_leak_names_the_secrets_of_its_own_package() {
    assert_eq!(
        messages(
            &[
                ("servers/billing/billing/server.py", BILLING),
                ("servers/lint/lint/server.py", LINT)
            ],
            "MCL303"
        ),
        vec![(
            "MCL303".to_string(),
            13,
            "the child process of `subprocess.run()` gets the server's whole environment, with its secrets (`GITHUB_TOKEN`)"
                .to_string()
        )]
    );
}

/// A low-level server whose schema comes from a model at run time
/// (`Model.model_json_schema()`): the tool's parameters are not readable
/// here, and the key read off `arguments` still names the argument.
const SCHEMA_FROM_MODEL: &str = r#"import httpx
import mcp.types as types
from mcp.server.lowlevel import Server
from pydantic import BaseModel

server = Server("fetcher")


class Fetch(BaseModel):
    url: str
    max_length: int = 5000


@server.list_tools()
async def list_tools() -> list[types.Tool]:
    return [types.Tool(name="fetch", description="Fetch a page.", inputSchema=Fetch.model_json_schema())]


@server.call_tool()
async def call_tool(name: str, arguments: dict) -> list[types.TextContent]:
    target = arguments["url"]
    async with httpx.AsyncClient(timeout=10) as client:
        page = await client.get(target)
    return [types.TextContent(type="text", text=page.text[:5000])]
"#;

#[test]
fn an_unreadable_schema_names_the_key_read_from_arguments() {
    assert_eq!(
        messages(&[("server.py", SCHEMA_FROM_MODEL)], "MCL204"),
        vec![(
            "MCL204".to_string(),
            23,
            "tool argument `url` of tool `fetch` reaches `client.get()` as the request URL"
                .to_string()
        )]
    );
}

/// A TypeScript handler that destructures the arguments object, renaming a
/// key: the key it reads names the argument, not the local name.
const TS_DESTRUCTURED: &str = r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { readFile } from "node:fs/promises";

const server = new McpServer({ name: "reports", version: "1.0.0" });
const ReportArgs = buildSchema();

server.registerTool("read_report", { description: "Read a report", inputSchema: ReportArgs }, async (args: unknown) => {
  const { file: reportFile, encoding, ...rest } = args as { file: string; encoding?: BufferEncoding };
  const text = await readFile(reportFile, encoding ?? "utf-8");
  return { content: [{ type: "text", text: `${text} ${Object.keys(rest).length}` }] };
});
"#;

#[test]
fn a_renaming_destructure_names_the_key_it_reads() {
    assert_eq!(
        messages(&[("server.ts", TS_DESTRUCTURED)], "MCL203"),
        vec![(
            "MCL203".to_string(),
            9,
            "tool argument `file` of tool `read_report` reaches `readFile()` as a filesystem path"
                .to_string()
        )]
    );
}

/// A method registered by name (`mcp.tool(name=…)(self.method)`), whose
/// schema is its signature, builds a model of a `Literal` argument and two
/// strings: the field read where the sink is names the argument, and the
/// `Literal` field carries no taint at all.
const MODEL_FIELDS: &str = r#"import os
from typing import Literal

from mcp.server.fastmcp import Context, FastMCP
from pydantic import BaseModel


class ExportRequest(BaseModel):
    format: Literal["csv", "json"]
    table: str
    out_dir: str


def export(request: ExportRequest) -> str:
    name = os.path.join("/var/exports", f"latest.{request.format}")
    with open(name, "w") as f:
        f.write(request.table)
    target = os.path.join(request.out_dir, f"{request.table}.{request.format}")
    with open(target, "w") as f:
        f.write("")
    return target


class ExportTool:
    def __init__(self, mcp: FastMCP):
        mcp.tool(name="export_table")(self.export_table)

    async def export_table(self, ctx: Context, format: Literal["csv", "json"], table: str, out_dir: str) -> str:
        return export(ExportRequest(format=format, table=table, out_dir=out_dir))


ExportTool(FastMCP("exports"))
"#;

#[test]
fn a_model_keeps_the_taint_of_each_field() {
    assert_eq!(
        messages(&[("server.py", MODEL_FIELDS)], "MCL203"),
        vec![(
            "MCL203".to_string(),
            19,
            "tool argument `out_dir` of tool `export_table` reaches `open()` as a filesystem path"
                .to_string()
        )]
    );
}

/// A validator that resolves the path and refuses a list of sensitive
/// directories: the flow stays reported (a deny-list confines nothing), and
/// the message says the check is on it.
const DENY_LIST: &str = r#"import os

from mcp.server.fastmcp import FastMCP

BLOCKED = [os.path.realpath(d) for d in ("/etc", "/root")]
mcp = FastMCP("stacks")


def refuse_blocked(candidate: str) -> str:
    resolved = os.path.realpath(candidate)
    for blocked in BLOCKED:
        if resolved.startswith(blocked + os.sep):
            raise ValueError(candidate)
    return resolved


@mcp.tool()
def read_params(params_file: str) -> str:
    """Read a parameters file."""
    with open(refuse_blocked(params_file)) as handle:
        return handle.read()
"#;

#[test]
fn a_deny_list_validator_is_named_in_the_message() {
    assert_eq!(
        messages(&[("server.py", DENY_LIST)], "MCL203"),
        vec![(
            "MCL203".to_string(),
            20,
            "tool argument `params_file` of tool `read_params` reaches `open()` as a filesystem path, checked only against a deny-list by `refuse_blocked()`, which confines it to no root"
                .to_string()
        )]
    );
}

/// Entries of a map a low-level server lists and calls, each handler taking
/// a context object that holds the arguments under `args`; the schema is
/// not readable here. The key read off the context names the argument, and
/// the prefix check that stops at the host is named.
const CONTEXT_ENTRIES: &str = r#"import { z } from "zod";
import zodToJsonSchema from "zod-to-json-schema";

const PageArgs = z.object({ url: z.string() });

export const pageTool = {
  type: "internal",
  tool: {
    name: "read-page",
    description: "Read a page of the help center.",
    inputSchema: zodToJsonSchema(PageArgs),
    call: async (toolArgs) => {
      const { args } = toolArgs;
      const url = PageArgs.parse(args).url;
      if (!url.startsWith("https://help.example.com")) {
        throw new Error("only help center pages");
      }
      const page = await fetch(url, { signal: AbortSignal.timeout(5000) });
      return { content: [{ type: "text", text: await page.text() }] };
    },
  },
};

export const categories = { help: [pageTool] };
"#;

const CONTEXT_SERVER: &str = r#"import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { categories } from "./tools";

class HelpServer {
  server = new Server({ name: "help", version: "1.0.0" }, { capabilities: { tools: {} } });
  tools = new Map();
  constructor() {
    for (const entry of categories.help) {
      this.tools.set(entry.tool.name, entry);
    }
    this.server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: Array.from(this.tools.values()).map((e) => e.tool) }));
    this.server.setRequestHandler(CallToolRequestSchema, async (request) => {
      const entry = this.tools.get(request.params.name);
      return entry.tool.call({ args: request.params.arguments });
    });
  }
}
"#;

#[test]
fn a_context_object_names_the_argument_it_holds_and_a_host_prefix_is_named() {
    assert_eq!(
        messages(
            &[("tools.ts", CONTEXT_ENTRIES), ("server.ts", CONTEXT_SERVER)],
            "MCL204"
        ),
        vec![(
            "MCL204".to_string(),
            18,
            "tool argument `url` of tool `read-page` reaches `fetch()` as the request URL, checked only by a prefix that does not pin the host: `https://help.example.com.attacker.example` starts with `https://help.example.com` too"
                .to_string()
        )]
    );
}

/// A method that destructures its parameter, called with the whole payload:
/// the member it binds names the argument.
const DESTRUCTURED_PARAM: &str = r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

interface Payload { url: string; headers?: Record<string, string> }

async function download({ url, headers }: Payload): Promise<Response> {
  return fetch(url, { headers, signal: AbortSignal.timeout(5000) });
}

const server = new McpServer({ name: "pages", version: "1.0.0" });
server.registerTool(
  "page_text",
  { description: "Text of a page", inputSchema: { url: z.string(), headers: z.record(z.string()).optional() } },
  async (payload) => download(payload),
);
"#;

#[test]
fn a_destructured_parameter_names_the_member_it_binds() {
    assert_eq!(
        messages(&[("server.ts", DESTRUCTURED_PARAM)], "MCL204"),
        vec![(
            "MCL204".to_string(),
            7,
            "tool argument `url` of tool `page_text` reaches `fetch()` as the request URL"
                .to_string()
        )]
    );
}
