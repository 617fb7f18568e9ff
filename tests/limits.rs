//! No silent limits: every bound of the analysis that an input reaches
//! becomes an MCL000 note naming the file and the limit, counted under
//! "limits reached" in `--stats`, and the note obeys inline suppressions.

mod common;

use std::path::Path;

use mcplint::discover::{self, DiscoverOptions};
use mcplint::finding::Finding;
use mcplint::scan::{self, RuleSet, ScanSettings, Stats};

fn scan_dir(dir: &Path) -> (Vec<Finding>, Stats) {
    let settings = ScanSettings {
        rule_options: Default::default(),
        rules: RuleSet::new(None, &[], &[]).expect("default rules"),
        per_file_ignores: Vec::new(),
        root: dir.to_path_buf(),
        max_file_size: mcplint::config::DEFAULT_MAX_FILE_SIZE,
        cwd: dir.to_path_buf(),
        max_taint_depth: mcplint::taint::project::DEFAULT_MAX_DEPTH,
        taint_catalogs: None,
        keep_sources: false,
        roles: mcplint::roles::DEFAULT_REPORTED.to_vec(),
    };
    let found = discover::discover(
        &[dir.to_path_buf()],
        &DiscoverOptions {
            respect_ignore_files: false,
            exclude: None,
            root: dir,
            threads: 2,
        },
    );
    let out = scan::scan(&found.files, &settings);
    (out.findings, out.stats)
}

fn write(dir: &Path, files: &[(&str, String)]) {
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// Scans `files` and checks that exactly one note names `limit` in `file`,
/// and that the stats count it.
fn assert_noted(files: &[(&str, String)], file: &str, limit: &str) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), files);
    let (findings, stats) = scan_dir(dir.path());
    let notes: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.code == "MCL000" && f.message.contains("analysis limit reached"))
        .collect();
    let named: Vec<&&Finding> = notes
        .iter()
        .filter(|f| f.message.contains(limit) && f.path.to_string_lossy().ends_with(file))
        .collect();
    assert_eq!(
        named.len(),
        1,
        "one note on {file} naming `{limit}`; notes: {:#?}",
        notes
            .iter()
            .map(|f| (&f.path, &f.message))
            .collect::<Vec<_>>()
    );
    assert!(
        stats.limits_reached >= notes.len() as u64 && stats.limits_reached > 0,
        "limits_reached {} counts the {} notes",
        stats.limits_reached,
        notes.len()
    );
}

const FASTMCP: &str = "from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP(\"limits\")\n\n";

#[test]
fn more_checks_of_a_tool_argument_than_conditions_kept() {
    let mut s = format!(
        "import os\n{FASTMCP}\n@mcp.tool()\ndef run(command: str) -> str:\n    \"\"\"Run a command.\"\"\"\n"
    );
    for i in 0..40 {
        s.push_str(&format!(
            "    if command.startswith('x{i}'):\n        print('prefix {i}')\n"
        ));
    }
    s.push_str("    return str(os.system(command))\n");
    assert_noted(
        &[("server.py", s)],
        "server.py",
        "32 conditions per function",
    );
}

/// A handler with a few checks of its own that calls validators with many
/// checks each: the callees' conditions are inherited, not counted against
/// the handler's own bound (the note once named functions of 1-8 checks).
#[test]
fn checks_inherited_from_validators_do_not_count_as_the_callers_own() {
    let mut s = format!("import os\n{FASTMCP}\n");
    for v in 0..3 {
        s.push_str(&format!("def validate_{v}(name: str) -> str:\n"));
        for i in 0..20 {
            s.push_str(&format!(
                "    if name.startswith('bad{v}_{i}'):\n        raise ValueError('rejected {i}')\n"
            ));
        }
        s.push_str("    return name\n\n\n");
    }
    s.push_str("@mcp.tool()\ndef run(command: str) -> str:\n    \"\"\"Run a command.\"\"\"\n");
    s.push_str("    if not command:\n        raise ValueError('empty')\n");
    for v in 0..3 {
        s.push_str(&format!("    validate_{v}(command)\n"));
    }
    s.push_str("    return str(os.system(command))\n");
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[("server.py", s)]);
    let (findings, stats) = scan_dir(dir.path());
    let notes: Vec<(&std::path::PathBuf, &String)> = findings
        .iter()
        .filter(|f| f.code == "MCL000")
        .map(|f| (&f.path, &f.message))
        .collect();
    assert!(notes.is_empty(), "{notes:#?}");
    assert_eq!(stats.limits_reached, 0);
    // The flow itself is still found.
    assert!(findings.iter().any(|f| f.code == "MCL201"));
}

/// A delete tool whose removal happens five project calls below its
/// handler: the operational rules look three calls deep, and say so.
#[test]
fn a_destructive_operation_deeper_than_the_handler_reach() {
    let mut s = format!("import shutil\n{FASTMCP}\n");
    s.push_str("def step_4(path: str) -> None:\n    shutil.rmtree(path)\n\n\n");
    for i in (0..4).rev() {
        s.push_str(&format!(
            "def step_{i}(path: str) -> None:\n    step_{}(path)\n\n\n",
            i + 1
        ));
    }
    s.push_str(
        "@mcp.tool()\ndef delete_workspace(name: str) -> str:\n    \"\"\"Delete a workspace.\"\"\"\n    step_0(f\"/srv/workspaces/{name}\")\n    return \"deleted\"\n",
    );
    assert_noted(&[("server.py", s)], "server.py", "3 project calls deep");
}

#[test]
fn more_branches_on_a_parameter_than_path_facts_kept() {
    let mut s = format!("import os\n{FASTMCP}\ndef execute(command: str, mode: str) -> int:\n");
    for i in 0..40 {
        s.push_str(&format!("    if mode == 'm{i}':\n        return {i}\n"));
    }
    s.push_str("    return os.system(command)\n\n\n@mcp.tool()\ndef run(command: str) -> str:\n    \"\"\"Run a command.\"\"\"\n    return str(execute(command, 'fast'))\n");
    assert_noted(&[("server.py", s)], "server.py", "kept for 32 branches");
}

#[test]
fn credentials_through_more_nested_calls_than_followed() {
    let mut s = format!("import httpx\nfrom mcp.server.fastmcp import Context\n{FASTMCP}");
    for i in 0..8 {
        let next = if i < 7 {
            format!("return h{}(token, url)", i + 1)
        } else {
            "return httpx.get(url, headers={'Authorization': token}).text".to_string()
        };
        s.push_str(&format!(
            "def h{i}(token: str, url: str) -> str:\n    {next}\n\n\n"
        ));
    }
    s.push_str("@mcp.tool()\ndef fetch(url: str, ctx: Context) -> str:\n    \"\"\"Fetch a URL.\"\"\"\n    token = ctx.request_context.request.headers['authorization']\n    return h0(token, url)\n");
    assert_noted(&[("server.py", s)], "server.py", "followed 4 calls deep");
}

const TS_SERVER: &str = "import { McpServer } from \"@modelcontextprotocol/sdk/server/mcp.js\";\nimport { z } from \"zod\";\nimport { runCommand } from \"./m0\";\n\nconst server = new McpServer({ name: \"h\", version: \"1.0.0\" });\nserver.registerTool(\"run\", { description: \"Run\", inputSchema: { cmd: z.string() } }, runCommand);\n";

const TS_HANDLER: &str = "import { exec } from \"node:child_process\";\n\nexport async function runCommand({ cmd }: { cmd: string }) {\n  exec(cmd);\n  return { content: [{ type: \"text\" as const, text: \"ok\" }] };\n}\n";

#[test]
fn a_handler_more_modules_away_than_the_import_closure_follows() {
    let mut files = vec![("server.ts", TS_SERVER.to_string())];
    let names: Vec<String> = (0..11).map(|i| format!("m{i}.ts")).collect();
    for (i, name) in names.iter().enumerate() {
        let text = if i < 10 {
            format!("export * from \"./m{}\";\n", i + 1)
        } else {
            TS_HANDLER.to_string()
        };
        files.push((name.as_str(), text));
    }
    assert_noted(&files, "m5.ts", "6 imports away");
}

#[test]
fn a_name_re_exported_through_more_barrels_than_followed() {
    // Every module uses the SDK, so each is parsed on its own: the chain of
    // re-exports, not the import closure, is what runs out.
    let head = "import type { CallToolResult } from \"@modelcontextprotocol/sdk/types.js\";\n";
    let mut files = vec![("server.ts", TS_SERVER.to_string())];
    let names: Vec<String> = (0..11).map(|i| format!("m{i}.ts")).collect();
    for (i, name) in names.iter().enumerate() {
        let text = if i < 10 {
            format!(
                "{head}export * from \"./m{}\";\nexport type Result{i} = CallToolResult;\n",
                i + 1
            )
        } else {
            format!("{head}{TS_HANDLER}")
        };
        files.push((name.as_str(), text));
    }
    assert_noted(&files, "m8.ts", "through 8 imports, re-exports or aliases");
}

#[test]
fn a_dispatch_reaching_more_functions_than_followed() {
    let mut s = String::from(
        "import { Server } from \"@modelcontextprotocol/sdk/server/index.js\";\nimport { CallToolRequestSchema, ListToolsRequestSchema } from \"@modelcontextprotocol/sdk/types.js\";\n\nconst server = new Server({ name: \"d\", version: \"1.0.0\" }, { capabilities: { tools: {} } });\n\nserver.setRequestHandler(ListToolsRequestSchema, async () => ({\n  tools: [{ name: \"echo\", description: \"Echo text\", inputSchema: { type: \"object\", properties: { text: { type: \"string\" } } } }],\n}));\n\n",
    );
    for i in 0..260 {
        s.push_str(&format!(
            "function step{i}(x: string): string {{\n  return x + '{i}';\n}}\n\n"
        ));
    }
    s.push_str("function handleEcho(args: any) {\n  return { content: [{ type: \"text\", text: String(args.text) }] };\n}\n\nfunction route(name: string, args: any) {\n  switch (name) {\n    case \"echo\":\n      return handleEcho(args);\n  }\n  throw new Error(\"unknown\");\n}\n\nserver.setRequestHandler(CallToolRequestSchema, async (request) => {\n");
    for i in 0..260 {
        s.push_str(&format!("  step{i}(request.params.name);\n"));
    }
    s.push_str("  return route(request.params.name, request.params.arguments);\n});\n");
    assert_noted(&[("server.ts", s)], "server.ts", "into 256 functions");
}

#[test]
fn a_rust_handler_reaching_more_functions_than_followed() {
    let mut s = String::from(
        "use rmcp::{ErrorData as McpError, ServerHandler, model::*, service::{RequestContext, RoleServer}};\n\n#[derive(Clone)]\npub struct Notes;\n\n",
    );
    for i in 0..520 {
        s.push_str(&format!("fn audit{i}() -> usize {{\n    {i}\n}}\n\n"));
    }
    s.push_str("impl ServerHandler for Notes {\n    fn get_info(&self) -> ServerInfo {\n        ServerInfo { capabilities: ServerCapabilities::builder().enable_tools().build(), ..Default::default() }\n    }\n\n    async fn list_tools(\n        &self,\n        _request: Option<PaginatedRequestParam>,\n        _context: RequestContext<RoleServer>,\n    ) -> Result<ListToolsResult, McpError> {\n");
    for i in 0..520 {
        s.push_str(&format!("        audit{i}();\n"));
    }
    s.push_str("        Ok(ListToolsResult { tools: vec![], next_cursor: None })\n    }\n}\n");
    assert_noted(&[("src/main.rs", s)], "main.rs", "into 512 functions");
}

#[test]
fn a_tool_name_through_more_constants_than_followed() {
    let mut s = String::from(
        "import { McpServer } from \"@modelcontextprotocol/sdk/server/mcp.js\";\nimport { z } from \"zod\";\n\nconst N9 = \"echo\";\n",
    );
    for i in (0..9).rev() {
        s.push_str(&format!("const N{i} = N{};\n", i + 1));
    }
    s.push_str("\nconst server = new McpServer({ name: \"n\", version: \"1.0.0\" });\nserver.registerTool(N0, { description: \"Echo\", inputSchema: { text: z.string() } }, async ({ text }) => ({ content: [{ type: \"text\", text }] }));\n");
    assert_noted(
        &[("server.ts", s)],
        "server.ts",
        "tool names are followed through 6",
    );
}

/// A chain of helpers longer than `[taint] max-depth`, with the function
/// where taint stops on line `cut` (1-based) and `suppression` on it.
fn deep_chain(suppression: &str) -> String {
    let mut s = format!(
        "import os\n{FASTMCP}def step10(command: str) -> int:\n    return os.system(command)\n\n"
    );
    for i in (1..10).rev() {
        let tail = if i == 9 { suppression } else { "" };
        s.push_str(&format!(
            "def step{i}(command: str) -> int:{tail}\n    return step{}(command.strip())\n\n",
            i + 1
        ));
    }
    s.push_str("@mcp.tool()\ndef run(command: str) -> str:\n    \"\"\"Run a command.\"\"\"\n    return str(step1(command))\n");
    s
}

#[test]
fn the_taint_depth_note_obeys_inline_suppression() {
    // Without a suppression, the note is there and counted.
    assert_noted(&[("server.py", deep_chain(""))], "server.py", "max-depth");
    // With one on its line, it is gone, the suppression counts as used
    // (no MCL001), and the limit is still counted as reached.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[("server.py", deep_chain("  # mcplint: ignore[MCL000]"))],
    );
    let (findings, stats) = scan_dir(dir.path());
    let codes: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f.code, f.message.as_str()))
        .collect();
    // (The chain is deeper than the operational rules' reach too: that
    // note is another limit, on another line, and stays.)
    assert!(
        !findings
            .iter()
            .any(|f| f.code == "MCL001" || (f.code == "MCL000" && f.message.contains("max-depth"))),
        "{codes:#?}"
    );
    assert!(stats.limits_reached >= 1);
}

/// Scans `files` and returns the findings with `code` in `file`.
fn findings_of(files: &[(&str, String)], code: &str, file: &str) -> Vec<Finding> {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), files);
    let (findings, _) = scan_dir(dir.path());
    findings
        .into_iter()
        .filter(|f| f.code == code && f.path.to_string_lossy().ends_with(file))
        .collect()
}

/// Scans `files` and checks that no analysis limit was noted.
fn assert_no_limit(files: &[(&str, String)]) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), files);
    let (findings, stats) = scan_dir(dir.path());
    let notes: Vec<(&Path, &str)> = findings
        .iter()
        .filter(|f| f.code == "MCL000")
        .map(|f| (f.path.as_path(), f.message.as_str()))
        .collect();
    assert!(notes.is_empty(), "{notes:#?}");
    assert_eq!(stats.limits_reached, 0);
}

/// The inventory of `files`: per tool name, its handler's function name
/// (empty when unlinked).
fn handlers(files: &[(&str, String)]) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), files);
    let output = common::mcplint_cmd()
        .args(["inventory", "--format", "json", "--no-config"])
        .arg(dir.path())
        .output()
        .unwrap();
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut out: Vec<(String, String)> = document["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "tool")
        .map(|e| {
            (
                e["name"].as_str().unwrap_or_default().to_string(),
                e["handler"]["function"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

const TS_HEAD: &str = "import { McpServer } from \"@modelcontextprotocol/sdk/server/mcp.js\";\nimport type { CallToolResult } from \"@modelcontextprotocol/sdk/types.js\";\nimport { z } from \"zod\";\nimport { execSync } from \"node:child_process\";\n\ntype Handler = (args: { cmd: string }) => Promise<CallToolResult>;\n\n";

/// A server that registers its tool through `depth` wrapper functions
/// (`addTool{depth}` calls `addTool{depth-1}` … calls `server.tool`).
fn wrapped_server(depth: usize) -> String {
    let mut s = format!(
        "{TS_HEAD}function addTool0(server: McpServer, name: string, description: string, handler: Handler) {{\n  server.tool(name, description, {{ cmd: z.string() }}, handler);\n}}\n\n"
    );
    for i in 1..=depth {
        s.push_str(&format!(
            "function addTool{i}(server: McpServer, name: string, description: string, handler: Handler) {{\n  addTool{}(server, name, description, handler);\n}}\n\n",
            i - 1
        ));
    }
    s.push_str(&format!(
        "const server = new McpServer({{ name: \"ops\", version: \"1.0.0\" }});\naddTool{depth}(server, \"run\", \"Run a shell command\", async ({{ cmd }}) => {{\n  const out = execSync(cmd).toString();\n  return {{ content: [{{ type: \"text\", text: out }}] }};\n}});\n"
    ));
    s
}

#[test]
fn a_tool_registered_through_five_wrappers_is_found() {
    let files = [("server.ts", wrapped_server(5))];
    assert_no_limit(&files);
    assert_eq!(findings_of(&files, "MCL201", "server.ts").len(), 1);
}

#[test]
fn a_tool_name_forwarded_through_more_wrappers_than_followed() {
    assert_noted(
        &[("server.ts", wrapped_server(18))],
        "server.ts",
        "through 16 wrapper functions",
    );
}

#[test]
fn a_wrapper_with_more_call_sites_than_bound() {
    let mut s = format!(
        "{TS_HEAD}function addTool(server: McpServer, name: string, description: string, handler: Handler) {{\n  server.tool(name, description, {{ cmd: z.string() }}, handler);\n}}\n\nconst echo: Handler = async ({{ cmd }}) => ({{ content: [{{ type: \"text\", text: cmd }}] }});\nconst server = new McpServer({{ name: \"gen\", version: \"1.0.0\" }});\n"
    );
    for i in 0..2001 {
        s.push_str(&format!(
            "addTool(server, \"echo_{i}\", \"Echo {i}\", echo);\n"
        ));
    }
    assert_noted(&[("server.ts", s)], "server.ts", "2000 call sites");
}

/// A low-level server whose call-tool handler reaches the function that
/// switches on the tool name through `hops` functions.
fn deep_dispatch(hops: usize) -> String {
    let mut s = String::from(
        "import { Server } from \"@modelcontextprotocol/sdk/server/index.js\";\nimport { CallToolRequestSchema, ListToolsRequestSchema } from \"@modelcontextprotocol/sdk/types.js\";\nimport { execSync } from \"node:child_process\";\n\nconst server = new Server({ name: \"d\", version: \"1.0.0\" }, { capabilities: { tools: {} } });\n\nserver.setRequestHandler(ListToolsRequestSchema, async () => ({\n  tools: [{ name: \"run\", description: \"Run a command\", inputSchema: { type: \"object\", properties: { cmd: { type: \"string\" } } } }],\n}));\n\nfunction handleRun(args: any) {\n  return { content: [{ type: \"text\", text: execSync(String(args.cmd)).toString() }] };\n}\n\nfunction route0(name: string, args: any) {\n  switch (name) {\n    case \"run\":\n      return handleRun(args);\n  }\n  throw new Error(\"unknown tool\");\n}\n\n",
    );
    for i in 1..=hops {
        s.push_str(&format!(
            "function route{i}(name: string, args: any) {{\n  return route{}(name, args);\n}}\n\n",
            i - 1
        ));
    }
    s.push_str(&format!("server.setRequestHandler(CallToolRequestSchema, async (request) => route{hops}(request.params.name, request.params.arguments));\n"));
    s
}

#[test]
fn a_dispatch_reached_through_many_calls_is_linked() {
    // Six calls between the handler and the switch (the walk stopped at 4).
    let files = [("server.ts", deep_dispatch(6))];
    assert_no_limit(&files);
    assert_eq!(
        handlers(&files),
        [("run".to_string(), "handleRun".to_string())]
    );
}

/// A tool class `levels` subclasses below the base whose `register()`
/// registers it (`server.registerTool(this.name, …)`).
fn class_tools(levels: usize) -> String {
    let mut s = format!(
        "{TS_HEAD}abstract class ToolBase {{\n  static toolName: string;\n  abstract description: string;\n  constructor(public readonly name: string) {{}}\n\n  register(server: McpServer) {{\n    server.registerTool(this.name, {{ description: this.description, inputSchema: {{ cmd: z.string() }} }}, (args) => this.execute(args));\n  }}\n\n  protected abstract execute(args: {{ cmd: string }}): Promise<CallToolResult>;\n}}\n\nabstract class Level0 extends ToolBase {{}}\n"
    );
    for i in 1..levels {
        s.push_str(&format!(
            "abstract class Level{i} extends Level{} {{}}\n",
            i - 1
        ));
    }
    s.push_str(&format!(
        "\nclass RunTool extends Level{} {{\n  static toolName = \"run\";\n  description = \"Run a shell command\";\n\n  protected async execute(args: {{ cmd: string }}): Promise<CallToolResult> {{\n    return {{ content: [{{ type: \"text\", text: execSync(args.cmd).toString() }}] }};\n  }}\n}}\n\nconst server = new McpServer({{ name: \"ops\", version: \"1.0.0\" }});\nnew RunTool(RunTool.toolName).register(server);\n",
        levels - 1
    ));
    s
}

#[test]
fn a_tool_class_twelve_subclasses_below_its_base_is_found() {
    let files = [("server.ts", class_tools(12))];
    assert_no_limit(&files);
    assert_eq!(
        handlers(&files),
        [("run".to_string(), "execute".to_string())]
    );
}

/// Tool classes registered from a list (`for (const ToolClass of Tools0)`)
/// built through `lists` constants that spread the next one.
fn listed_tool_classes(lists: usize) -> String {
    let mut s = format!(
        "{TS_HEAD}class RunTool {{\n  name = \"run\";\n  description = \"Run a shell command\";\n\n  async execute(args: {{ cmd: string }}): Promise<CallToolResult> {{\n    return {{ content: [{{ type: \"text\", text: execSync(args.cmd).toString() }}] }};\n  }}\n}}\n\nconst Tools{lists} = [RunTool];\n"
    );
    for i in (0..lists).rev() {
        s.push_str(&format!("const Tools{i} = [...Tools{}];\n", i + 1));
    }
    s.push_str("\nconst server = new McpServer({ name: \"ops\", version: \"1.0.0\" });\nfor (const ToolClass of Tools0) {\n  const tool = new ToolClass();\n  server.registerTool(tool.name, { description: tool.description, inputSchema: { cmd: z.string() } }, (args) => tool.execute(args));\n}\n");
    s
}

#[test]
fn a_list_of_tool_classes_through_more_constants_than_followed() {
    let near = [("server.ts", listed_tool_classes(1))];
    assert_no_limit(&near);
    assert_eq!(
        handlers(&near),
        [("run".to_string(), "execute".to_string())]
    );
    assert_noted(
        &[("server.ts", listed_tool_classes(10))],
        "server.ts",
        "tool classes are followed through 8",
    );
}

const GO_HEAD: &str = "package main\n\nimport (\n\t\"context\"\n\t\"os/exec\"\n\n\t\"github.com/mark3labs/mcp-go/mcp\"\n\t\"github.com/mark3labs/mcp-go/server\"\n)\n\nfunc define0(name, description string) mcp.Tool {\n\treturn mcp.NewTool(name, mcp.WithDescription(description), mcp.WithString(\"cmd\", mcp.Required()))\n}\n\nfunc run(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {\n\tout, err := exec.Command(\"sh\", \"-c\", req.GetString(\"cmd\", \"\")).Output()\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\treturn mcp.NewToolResultText(string(out)), nil\n}\n";

/// An mcp-go server whose tool is built through `depth` wrappers of
/// `mcp.NewTool` (`define{depth}` calls `define{depth-1}` …).
fn go_wrapped(depth: usize) -> String {
    let mut s = GO_HEAD.to_string();
    for i in 1..=depth {
        s.push_str(&format!(
            "\nfunc define{i}(name, description string) mcp.Tool {{\n\treturn define{}(name, description)\n}}\n",
            i - 1
        ));
    }
    s.push_str(&format!("\nfunc main() {{\n\ts := server.NewMCPServer(\"ops\", \"1.0.0\")\n\ts.AddTool(define{depth}(\"run\", \"Run a shell command\"), run)\n\tserver.ServeStdio(s)\n}}\n"));
    s
}

fn tool_names(files: &[(&str, String)]) -> Vec<String> {
    handlers(files).into_iter().map(|(name, _)| name).collect()
}

#[test]
fn a_go_tool_built_through_six_wrappers_is_found() {
    let files = [("main.go", go_wrapped(6))];
    assert_no_limit(&files);
    assert_eq!(tool_names(&files), ["run"]);
}

#[test]
fn a_go_tool_built_through_more_wrappers_than_followed() {
    assert_noted(
        &[("main.go", go_wrapped(18))],
        "main.go",
        "Go tool wrappers are followed 16 wrappers deep",
    );
}

#[test]
fn a_go_wrapper_with_more_call_sites_than_bound() {
    let mut s =
        format!("{GO_HEAD}\nfunc main() {{\n\ts := server.NewMCPServer(\"ops\", \"1.0.0\")\n");
    for i in 0..2002 {
        s.push_str(&format!(
            "\ts.AddTool(define0(\"run_{i}\", \"Run {i}\"), run)\n"
        ));
    }
    s.push_str("\tserver.ServeStdio(s)\n}\n");
    assert_noted(&[("main.go", s)], "main.go", "2000 call sites each");
}

#[test]
fn a_go_tool_name_through_more_variables_than_followed() {
    let mut s = format!(
        "{GO_HEAD}\nfunc main() {{\n\ts := server.NewMCPServer(\"ops\", \"1.0.0\")\n\tname0 := \"run\"\n"
    );
    for i in 1..=10 {
        s.push_str(&format!("\tname{i} := name{}\n", i - 1));
    }
    s.push_str(
        "\ts.AddTool(define0(name10, \"Run a shell command\"), run)\n\tserver.ServeStdio(s)\n}\n",
    );
    assert_noted(
        &[("main.go", s)],
        "main.go",
        "Go tool names are followed 16",
    );
}

/// A server that registers a list of tool definitions per group through a
/// helper of its own per group (`registerGroup7(server, [...])` hands the
/// list to `registerAll`, which loops over it).
fn grouped_definitions(groups: usize) -> String {
    let mut s = String::from(
        "import { McpServer } from \"@modelcontextprotocol/sdk/server/mcp.js\";\nimport type { CallToolResult } from \"@modelcontextprotocol/sdk/types.js\";\nimport { z } from \"zod\";\n\ninterface ToolDefinition {\n  name: string;\n  description: string;\n  handler: (args: { text: string }) => Promise<CallToolResult>;\n}\n\nfunction registerAll(server: McpServer, defs: ToolDefinition[]) {\n  for (const def of defs) {\n    server.registerTool(def.name, { description: def.description, inputSchema: { text: z.string() } }, def.handler);\n  }\n}\n\nconst server = new McpServer({ name: \"groups\", version: \"1.0.0\" });\n",
    );
    for i in 0..groups {
        s.push_str(&format!("\nfunction registerGroup{i}(server: McpServer, defs: ToolDefinition[]) {{\n  registerAll(server, defs);\n}}\nregisterGroup{i}(server, [{{ name: \"echo_{i}\", description: \"Echo {i}\", handler: async ({{ text }}) => ({{ content: [{{ type: \"text\", text }}] }}) }}]);\n"));
    }
    s
}

#[test]
fn definitions_handed_through_forty_helpers_are_all_found() {
    // The walk read the callers of 32 functions before.
    let files = [("server.ts", grouped_definitions(40))];
    assert_no_limit(&files);
    assert_eq!(tool_names(&files).len(), 40);
}

#[test]
fn definitions_handed_through_more_helpers_than_followed() {
    assert_noted(
        &[("server.ts", grouped_definitions(520))],
        "server.ts",
        "through the callers of 512 functions",
    );
}

/// A server whose tool base class registers `this.name`, and whose tool
/// classes, loaded at run time from `plugins/`, sit `levels` subclasses
/// below it, one module per level, none of them naming the SDK.
fn plugin_classes(levels: usize) -> Vec<(String, String)> {
    let mut files = vec![(
        "src/base.ts".to_string(),
        "import type { McpServer } from \"@modelcontextprotocol/sdk/server/mcp.js\";\nimport type { CallToolResult } from \"@modelcontextprotocol/sdk/types.js\";\nimport { z } from \"zod\";\n\nexport abstract class ToolBase {\n  abstract readonly name: string;\n  abstract readonly description: string;\n\n  register(server: McpServer) {\n    server.registerTool(this.name, { description: this.description, inputSchema: { cmd: z.string() } }, (args) => this.execute(args));\n  }\n\n  protected abstract execute(args: { cmd: string }): Promise<CallToolResult>;\n}\n".to_string(),
    )];
    files.push((
        "src/plugins/level0.ts".to_string(),
        "import { ToolBase } from \"../base\";\n\nexport abstract class Level0 extends ToolBase {}\n".to_string(),
    ));
    for i in 1..levels {
        files.push((
            format!("src/plugins/level{i}.ts"),
            format!(
                "import {{ Level{p} }} from \"./level{p}\";\n\nexport abstract class Level{i} extends Level{p} {{}}\n",
                p = i - 1
            ),
        ));
    }
    files.push((
        "src/plugins/run.ts".to_string(),
        format!(
            "import {{ execSync }} from \"node:child_process\";\nimport {{ Level{p} }} from \"./level{p}\";\n\nexport default class RunTool extends Level{p} {{\n  readonly name = \"run\";\n  readonly description = \"Run a shell command\";\n\n  protected async execute(args: {{ cmd: string }}) {{\n    return {{ content: [{{ type: \"text\" as const, text: execSync(args.cmd).toString() }}] }};\n  }}\n}}\n",
            p = levels - 1
        ),
    ));
    files
}

fn as_refs(files: &[(String, String)]) -> Vec<(&str, String)> {
    files.iter().map(|(p, t)| (p.as_str(), t.clone())).collect()
}

#[test]
fn a_tool_class_twelve_modules_below_its_base_is_found() {
    // Six levels were looked for before. (The inventory command does not
    // look for subclasses in modules nothing imports: the check does.)
    let files = plugin_classes(12);
    let files = as_refs(&files);
    assert_no_limit(&files);
    assert_eq!(findings_of(&files, "MCL201", "run.ts").len(), 1);
}

#[test]
fn tool_classes_more_subclasses_below_their_base_than_looked_for() {
    let files = plugin_classes(20);
    assert_noted(&as_refs(&files), "level15.ts", "16 subclasses below");
}

#[test]
fn a_condition_larger_than_read() {
    // An allow-list written out as one condition of 100 comparisons.
    let terms: Vec<String> = (0..100).map(|i| format!("command != 'tool{i}'")).collect();
    let s = format!(
        "import os\n{FASTMCP}\n@mcp.tool()\ndef run(command: str) -> str:\n    \"\"\"Run an allowed command.\"\"\"\n    if {}:\n        return 'not allowed'\n    return str(os.system(command))\n",
        terms.join(" and ")
    );
    assert_noted(
        &[("server.py", s)],
        "server.py",
        "over its first 256 expression nodes",
    );
}

#[test]
fn a_handler_calling_more_methods_than_searched_for_destructive_operations() {
    let mut s = format!(
        "import shutil\n{FASTMCP}\nclass Archive:\n    def __init__(self, root: str) -> None:\n        self.root = root\n\n"
    );
    for i in 0..70 {
        s.push_str(&format!(
            "    def check_{i}(self, name: str) -> bool:\n        return name != '{i}'\n\n"
        ));
    }
    s.push_str("    def purge(self, name: str) -> None:\n        shutil.rmtree(f\"{self.root}/{name}\")\n\n\narchive = Archive(\"/srv/archive\")\n\n\n@mcp.tool()\ndef purge_project(name: str) -> str:\n    \"\"\"Remove a project's archive.\"\"\"\n");
    for i in 0..70 {
        s.push_str(&format!("    archive.check_{i}(name)\n"));
    }
    s.push_str("    archive.purge(name)\n    return 'removed'\n");
    assert_noted(
        &[("server.py", s)],
        "server.py",
        "64 methods a tool's handler calls",
    );
}

/// A low-level Python server whose call-tool handler dispatches on the name
/// and whose tool listing sits `hops` modules away (`server` imports
/// `catalog1`, which re-exports `catalog2`'s list, …).
fn python_far_listing(hops: usize) -> Vec<(String, String)> {
    let mut files = vec![
        ("notes/__init__.py".to_string(), String::new()),
        (
            "notes/server.py".to_string(),
            "import asyncio\nimport subprocess\n\nimport mcp.types as types\nfrom mcp.server.lowlevel import Server\nfrom mcp.server.stdio import stdio_server\n\nfrom .catalog1 import ALL_TOOLS\n\nserver = Server(\"ops\")\n\n\ndef handle_run(arguments: dict) -> list[types.TextContent]:\n    out = subprocess.run(arguments[\"cmd\"], shell=True, capture_output=True, text=True)\n    return [types.TextContent(type=\"text\", text=out.stdout)]\n\n\n@server.list_tools()\nasync def list_tools() -> list[types.Tool]:\n    return ALL_TOOLS\n\n\n@server.call_tool()\nasync def call_tool(name: str, arguments: dict) -> list[types.TextContent]:\n    if name == \"run\":\n        return handle_run(arguments)\n    raise ValueError(f\"unknown tool {name}\")\n\n\nasync def main() -> None:\n    async with stdio_server() as (read_stream, write_stream):\n        await server.run(read_stream, write_stream, server.create_initialization_options())\n\n\nif __name__ == \"__main__\":\n    asyncio.run(main())\n".to_string(),
        ),
    ];
    for i in 1..hops {
        files.push((
            format!("notes/catalog{i}.py"),
            format!("\"\"\"Tool listings, re-exported.\"\"\"\n\nfrom .catalog{} import ALL_TOOLS\n\n__all__ = [\"ALL_TOOLS\"]\n", i + 1),
        ));
    }
    files.push((
        format!("notes/catalog{hops}.py"),
        "\"\"\"The tools the server lists.\"\"\"\n\nimport mcp.types as types\n\nALL_TOOLS = [\n    types.Tool(\n        name=\"run\",\n        description=\"Run a shell command\",\n        inputSchema={\"type\": \"object\", \"properties\": {\"cmd\": {\"type\": \"string\"}}},\n    ),\n]\n".to_string(),
    ));
    files
}

#[test]
fn a_python_dispatch_links_a_tool_listed_five_modules_away() {
    // Four modules were followed before.
    let files = python_far_listing(5);
    let files = as_refs(&files);
    assert_no_limit(&files);
    assert_eq!(
        handlers(&files),
        [("run".to_string(), "handle_run".to_string())]
    );
}
