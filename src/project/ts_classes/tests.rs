use std::path::PathBuf;

use crate::facts::{FileFacts, ToolDef};
use crate::project::{Edit, Unit, View};

/// Lowers the files of a project written into a temporary directory.
fn project(files: &[(&str, &str)]) -> (tempfile::TempDir, Vec<(PathBuf, String, FileFacts)>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut out = Vec::new();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dirs");
        std::fs::write(&path, text).expect("write");
        let language = crate::discover::classify(&path).expect("language");
        let facts = crate::frontend::lower(language, &path, text).expect("lowers");
        out.push((path, text.to_string(), facts));
    }
    (dir, out)
}

/// Tools added (file name, tool), tools dropped (file name, index), and
/// the function names of every file.
type Outcome = (
    Vec<(String, ToolDef)>,
    Vec<(String, usize)>,
    Vec<Vec<String>>,
);

/// The tools the pass adds (file name, tool) and the tools it drops.
fn run(files: &[(&str, &str)]) -> Outcome {
    let (_dir, lowered) = project(files);
    let units = lowered
        .iter()
        .map(|(path, text, facts)| Unit::new(path, text, facts))
        .collect();
    let view = View::new(units);
    let name = |file: usize| {
        lowered[file]
            .0
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string()
    };
    let mut added = Vec::new();
    let mut dropped = Vec::new();
    for edit in super::class_tools(&view) {
        match edit {
            Edit::AddTool { file, tool } => added.push((name(file), *tool)),
            Edit::Drop { file, tool } => dropped.push((name(file), tool)),
            _ => {}
        }
    }
    added.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    let functions = lowered
        .iter()
        .map(|(_, _, f)| {
            f.functions
                .iter()
                .map(|f| f.name.clone().unwrap_or_default())
                .collect()
        })
        .collect();
    (added, dropped, functions)
}

const BASE: &str = r#"
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";

export abstract class ToolBase {
    public abstract name: string;
    public abstract description: string;
    public abstract argsShape: Record<string, unknown>;

    register(server: McpServer): boolean {
        if (!this.allowed()) {
            return false;
        }
        server.registerTool(
            this.name,
            { description: this.description, inputSchema: this.argsShape },
            this.invoke.bind(this)
        );
        return true;
    }

    async invoke(args: Record<string, unknown>, extra: unknown) {
        this.audit(args);
        return await this.execute(args, extra);
    }

    protected handleError(error: unknown, args: unknown) { return { error, args }; }
    protected allowed(): boolean { return true; }
    protected audit(args: unknown) { return args; }
    protected abstract execute(args: Record<string, unknown>, extra: unknown): Promise<unknown>;
}
"#;

const CLIENT_BASE: &str = r#"
import { ToolBase } from "./base.js";
export abstract class ClientTool extends ToolBase {
    protected async execute(args: Record<string, unknown>, extra: unknown) {
        const client = await connect();
        return this.executeWithClient(args, client);
    }
    protected abstract executeWithClient(args: Record<string, unknown>, client: unknown): Promise<unknown>;
}
"#;

#[test]
fn subclasses_of_a_registering_base_are_tools() {
    let (added, dropped, functions) = run(&[
        ("src/base.ts", BASE),
        ("src/clientTool.ts", CLIENT_BASE),
        (
            "src/constants.ts",
            "export const EXPORT_TOOL_NAME = \"export-data\";\n",
        ),
        (
            "src/tools/find.ts",
            r#"
import { z } from "zod";
import { ToolBase } from "../base.js";
export class FindTool extends ToolBase {
    static toolName = "find";
    public name = FindTool.toolName;
    public description = "Find documents";
    public argsShape = { filter: z.string().describe("the filter") };
    protected handleError(error: unknown, args: unknown) { return { error, args }; }
    protected async execute({ filter }: { filter: string }) {
        return filter;
    }
}
"#,
        ),
        (
            "src/tools/export.ts",
            r#"
import { ToolBase } from "../base.js";
import { EXPORT_TOOL_NAME } from "../constants.js";
export class ExportTool extends ToolBase {
    static toolName = EXPORT_TOOL_NAME;
    public name = ExportTool.toolName;
    public description = "Export";
    public argsShape = {};
    protected async execute(args: unknown) { return args; }
}
"#,
        ),
        (
            "src/tools/list.ts",
            r#"
import { ClientTool } from "../clientTool.js";
export class ListTool extends ClientTool {
    get name() { return "list-things"; }
    public description = "List";
    public argsShape = {};
    protected async executeWithClient(args: unknown, client: unknown) { return [args, client]; }
}
"#,
        ),
    ]);
    let names: Vec<&str> = added.iter().map(|(_, t)| t.name.as_str()).collect();
    assert_eq!(names, ["export-data", "find", "list-things"]);
    for (file, tool) in &added {
        let link = tool.link.expect("linked");
        let function = &functions[link.file][link.function];
        assert!(tool.conditional, "{}: registered behind a guard", tool.name);
        match tool.name.as_str() {
            "find" => {
                assert_eq!(file, "find.ts");
                assert_eq!(function, "execute");
                assert_eq!(link.file, 3);
                assert_eq!(tool.params.len(), 1);
                assert_eq!(
                    tool.description.as_ref().and_then(|d| d.text()),
                    Some("Find documents")
                );
                assert!(tool.name_literal.is_some());
            }
            "export-data" => {
                assert_eq!(link.file, 4);
                // The literal is in constants.ts, not in the class's file.
                assert!(tool.name_literal.is_none());
            }
            _ => {
                assert_eq!(link.file, 5);
                assert_eq!(function, "executeWithClient");
            }
        }
    }
    assert_eq!(dropped, [("base.ts".to_string(), 0)]);
}

#[test]
fn look_alikes_are_not_tools() {
    let (added, dropped, _) = run(&[
        // Another framework's registry, not MCP: no tool of the frontend.
        (
            "src/editor.ts",
            r#"
import * as vscode from "vscode";
export abstract class EditorTool {
    abstract name: string;
    register(context: vscode.ExtensionContext) {
        context.subscriptions.push(vscode.lm.registerTool(this.name, this));
    }
}
export class Rename extends EditorTool { name = "rename"; invoke() { return 1; } }
"#,
        ),
        // A class with a name and a work method that no registration reaches.
        (
            "src/agent.ts",
            r#"
import { StructuredTool } from "@langchain/core/tools";
export class Search extends StructuredTool { name = "search"; async _call(q: string) { return q; } }
"#,
        ),
        ("src/base.ts", BASE),
        // An abstract intermediate class is not a tool; a concrete one with no name neither.
        (
            "src/mid.ts",
            r#"
import { ToolBase } from "./base.js";
export abstract class Mid extends ToolBase { static toolName = "mid"; }
export class Unnamed extends ToolBase { description = "x"; async execute() { return 1; } }
"#,
        ),
    ]);
    assert!(added.is_empty(), "{added:?}");
    // The registration of unknown name stays when no class stands for it.
    assert!(dropped.is_empty());
}

#[test]
fn self_registering_class_with_a_callback_field() {
    let (added, _, functions) = run(&[(
        "src/ask.ts",
        r#"
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
export class AskTool {
    readonly config = {
        description: "Ask the user a question",
        inputSchema: { question: z.string() },
    };
    get name() { return "ask-question"; }
    register(srv: McpServer) {
        srv.registerTool(this.name, this.config, this.handle);
    }
    readonly handle = async (input: { question: string }) => {
        return input.question;
    };
}
"#,
    )]);
    assert_eq!(added.len(), 1);
    let tool = &added[0].1;
    assert_eq!(tool.name, "ask-question");
    assert_eq!(tool.params.len(), 1);
    assert_eq!(
        tool.description.as_ref().and_then(|d| d.text()),
        Some("Ask the user a question")
    );
    let link = tool.link.expect("linked");
    assert_eq!(functions[link.file][link.function], "");
    assert!(!tool.conditional);
}

#[test]
fn work_names() {
    assert_eq!(super::work_score("execute"), 3);
    assert_eq!(super::work_score("#handle"), 3);
    assert_eq!(super::work_score("executeWithClient"), 2);
    assert_eq!(super::work_score("runner"), 0);
    assert_eq!(super::work_score("getConfirmationMessage"), 0);
}

#[test]
fn test_doubles_are_not_tools() {
    use std::path::Path;
    let facts = crate::facts::FileFacts::new(crate::facts::Language::TypeScript);
    let test_code = |path: &str| super::test_code(&Unit::new(Path::new(path), "", &facts));
    assert!(test_code("packages/integration-tests/src/mocks/tools.ts"));
    assert!(test_code("src/__mocks__/tool.ts"));
    assert!(test_code("src/tools/find.test.ts"));
    assert!(!test_code("packages/tools-mongodb/src/tools/find.ts"));
    assert!(!test_code("src/latest/contest.ts"));
}

#[test]
fn instances_in_a_list_registered_in_a_loop() {
    let (added, dropped, functions) = run(&[
        (
            "src/registry.ts",
            r#"
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { SearchTool } from "./tools/search.js";
import { extraTools } from "./tools/extra.js";
import * as builtins from "./tools/builtins/index.js";
import { StatusTool } from "./tools/status.js";

export function registerAll(server: McpServer, ctx: Ctx) {
    const tools = [new SearchTool(ctx), ...extraTools];
    tools.forEach((tool) => {
        server.registerTool(
            tool.name,
            { description: tool.description, inputSchema: tool.schema },
            async (args) => tool.handler(args, ctx),
        );
    });
    for (const Builtin of Object.values(builtins)) {
        server.tool(Builtin.name, "builtin", Builtin.run);
    }
}

const CONSTRUCTORS = [StatusTool];

export function registerMore(server: McpServer, deps: Ctx) {
    for (const ToolClass of CONSTRUCTORS) {
        const tool = new ToolClass(deps);
        server.registerTool(tool.name, tool.config, tool.execute.bind(tool));
    }
}
"#,
        ),
        (
            "src/tools/search.ts",
            r#"
import { z } from "zod";
export class SearchTool {
    name = "search";
    description = "Search the index";
    schema = { query: z.string() };
    constructor(private ctx: Ctx) {}
    private format(hits: string[]) { return hits.join("\n"); }
    async handler(args: { query: string }, ctx: Ctx) {
        return this.format([args.query]);
    }
}
"#,
        ),
        (
            "src/tools/status.ts",
            "export class StatusTool {\n    get name() { return \"status\"; }\n    config = { description: \"Status\" };\n    async execute() { return 1; }\n}\n",
        ),
        (
            "src/tools/extra.ts",
            r#"
class FetchTool {
    readonly name = "fetch-page";
    description = "Fetch a page";
    schema = {};
    async handler(args: { url: string }) { return args.url; }
}
export const extraTools = [new FetchTool()];
"#,
        ),
        (
            "src/tools/builtins/index.ts",
            "export * from \"./clock.js\";\nexport { Echo } from \"./echo.js\";\n",
        ),
        (
            "src/tools/builtins/clock.ts",
            "export class Clock { static name = \"clock\"; static run() { return Date.now(); } }\n",
        ),
        (
            "src/tools/builtins/echo.ts",
            "export class Echo { static NAME = \"echo\"; static run(args: unknown) { return args; } }\n",
        ),
    ]);
    let names: Vec<&str> = added.iter().map(|(_, t)| t.name.as_str()).collect();
    assert_eq!(names, ["clock", "echo", "fetch-page", "search", "status"]);
    for (file, tool) in &added {
        let link = tool.link.expect("linked");
        let function = &functions[link.file][link.function];
        match tool.name.as_str() {
            "search" => {
                assert_eq!(file, "search.ts");
                assert_eq!(function, "handler");
                assert_eq!(tool.params.len(), 1);
            }
            "fetch-page" => assert_eq!((file.as_str(), function.as_str()), ("extra.ts", "handler")),
            "status" => assert_eq!(function, "execute"),
            _ => assert_eq!(function, "run"),
        }
    }
    let mut dropped = dropped;
    dropped.sort();
    assert_eq!(
        dropped,
        [
            ("registry.ts".to_string(), 0),
            ("registry.ts".to_string(), 1),
            ("registry.ts".to_string(), 2),
        ]
    );
}

#[test]
fn calls_on_class_instances_resolve_to_their_methods() {
    let (_dir, lowered) = project(&[
        (
            "src/runner.ts",
            "export class Runner {\n    run(cmd: string) { return cmd; }\n}\nexport const shared = new Runner();\n",
        ),
        (
            "src/base.ts",
            "export class Base {\n    protected audit(x: unknown) { return x; }\n}\n",
        ),
        (
            "src/tool.ts",
            r#"
import { Runner, shared } from "./runner.js";
import { Base } from "./base.js";
export class Tool extends Base {
    private runner = new Runner();
    private other: Runner;
    constructor() { super(); this.other = new Runner(); }
    async execute(x: string) {
        const local = new Runner();
        this.audit(x);
        local.run(x);
        shared.run(x);
        this.other.run(x);
        return this.runner.run(x);
    }
}
"#,
        ),
    ]);
    let units = lowered
        .iter()
        .map(|(path, text, facts)| Unit::new(path, text, facts))
        .collect();
    let view = View::new(units);
    let name = |found: Option<(usize, usize)>| {
        found.map(|(f, j)| {
            (
                f,
                lowered[f].2.functions[j].name.clone().unwrap_or_default(),
            )
        })
    };
    let run = Some((0, "run".to_string()));
    for callee in [
        "this.runner.run",
        "this.other.run",
        "local.run",
        "shared.run",
    ] {
        assert_eq!(
            name(super::member_function(&view, 2, callee)),
            run,
            "{callee}"
        );
    }
    assert_eq!(
        name(super::member_function(&view, 2, "this.audit")),
        Some((1, "audit".to_string()))
    );
    assert_eq!(super::member_function(&view, 2, "fs.readFile"), None);
    assert_eq!(super::member_function(&view, 2, "this.missing"), None);
}
