//! The taint engine end to end: flows across files, the configuration's own
//! sinks and sanitizers, the depth bound, and flows in JSON and SARIF.

mod common;

use std::path::Path;

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

fn concise(dir: &Path, args: &[&str]) -> String {
    let output = common::mcplint_cmd()
        .current_dir(dir)
        .args(["check", "--format", "concise", "--fail-on", "never"])
        .args(args)
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout).to_string()
}

const SERVER: &str = r#"from mcp.server.fastmcp import FastMCP
from mcp.types import ToolAnnotations

from .ops import archive_logs

mcp = FastMCP("ops")


@mcp.tool(annotations=ToolAnnotations(destructiveHint=True))
def archive(service: str) -> str:
    """Archive a service's logs."""
    return archive_logs(service)
"#;

const OPS: &str = r#"import subprocess


def archive_logs(name: str) -> str:
    target = f"/var/log/{name}"
    return _run(f"tar czf /backup/{name}.tgz {target}")


def _run(command: str) -> str:
    return subprocess.run(command, shell=True, capture_output=True, text=True, timeout=60).stdout
"#;

#[test]
fn flows_cross_files_and_are_reported_at_the_sink() {
    let dir = project(&[("pkg/server.py", SERVER), ("pkg/ops.py", OPS)]);
    let out = concise(dir.path(), &["--select", "MCL201"]);
    assert!(
        out.contains("pkg/ops.py:10:12: MCL201 [error] tool argument `service` of tool `archive` reaches `subprocess.run()` as the command text run by a shell"),
        "{out}"
    );
    // The JSON flow walks from the argument through both helpers to the sink.
    let output = common::mcplint_cmd()
        .current_dir(dir.path())
        .args([
            "check",
            "--format",
            "json",
            "--select",
            "MCL201",
            "--fail-on",
            "never",
        ])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let flow = json["findings"][0]["flow"].as_array().unwrap().clone();
    let messages: Vec<&str> = flow
        .iter()
        .map(|s| s["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages.first(),
        Some(&"tool argument `service`"),
        "{messages:?}"
    );
    assert_eq!(
        messages.last(),
        Some(&"reaches `subprocess.run()`"),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("passed to `_run()`")),
        "{messages:?}"
    );
    // The source is in the handler's file, the sink is the finding's own.
    assert_eq!(flow[0]["path"], "pkg/server.py");
    let last = flow.last().unwrap();
    assert!(last.get("path").is_none(), "{last}");
    assert_eq!(last["start"]["line"], 10);
}

#[test]
fn depth_bound_is_configurable() {
    let dir = project(&[
        ("pkg/server.py", SERVER),
        ("pkg/ops.py", OPS),
        ("mcplint.toml", "[taint]\nmax-depth = 1\n"),
    ]);
    // Two calls deep (archive_logs → _run): beyond a depth of 1.
    let out = concise(dir.path(), &["--select", "MCL201"]);
    assert!(!out.contains("MCL201"), "{out}");
}

#[test]
fn configuration_adds_sinks_and_sanitizers() {
    let server = r#"from mcp.server.fastmcp import FastMCP
from mcp.types import ToolAnnotations
from opslib import run_cmd, safe_path

mcp = FastMCP("ops")


@mcp.tool(annotations=ToolAnnotations(destructiveHint=True))
def restart(service: str) -> str:
    """Restart a service."""
    return run_cmd("systemctl restart " + service)


@mcp.tool(annotations=ToolAnnotations(readOnlyHint=True))
def read_log(name: str) -> str:
    """Read a log file."""
    with open(safe_path(name)) as fh:
        return fh.read()
"#;
    let config = r#"[[taint.python.sink]]
class = "shell"
capability = "exec"
callees = ["opslib.run_cmd"]

[[taint.python.sanitizer]]
classes = ["path"]
callees = ["opslib.safe_path"]
"#;
    let without = project(&[("server.py", server)]);
    let out = concise(without.path(), &["--select", "MCL201,MCL203"]);
    assert!(!out.contains("MCL201"), "{out}");
    assert!(out.contains("server.py:17:10: MCL203"), "{out}");
    let with = project(&[("server.py", server), ("mcplint.toml", config)]);
    let out = concise(with.path(), &["--select", "MCL201,MCL203"]);
    assert!(out.contains("server.py:11:12: MCL201"), "{out}");
    assert!(!out.contains("MCL203"), "{out}");
}

#[test]
fn a_prompt_sanitizer_marks_fetched_content() {
    let server = r#"import httpx
from mcp.server.fastmcp import FastMCP
from mcp.types import ToolAnnotations
from opslib import as_data

mcp = FastMCP("reader")


@mcp.tool(annotations=ToolAnnotations(readOnlyHint=True, openWorldHint=True))
def read_page(url: str) -> str:
    """Fetch a page."""
    page = httpx.get(url, timeout=10).text
    return as_data(page)
"#;
    let config = r#"[[taint.python.sanitizer]]
classes = ["prompt"]
callees = ["opslib.as_data"]
"#;
    let without = project(&[("server.py", server)]);
    let out = concise(without.path(), &["--select", "MCL701"]);
    assert!(out.contains("server.py:13:5: MCL701"), "{out}");
    let with = project(&[("server.py", server), ("mcplint.toml", config)]);
    let out = concise(with.path(), &["--select", "MCL701"]);
    assert!(!out.contains("MCL701"), "{out}");
}

#[test]
fn untrusted_content_flows_are_in_sarif() {
    let server = r#"import httpx
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("reader")


@mcp.tool()
def read_page(url: str) -> str:
    """Fetch a page."""
    response = httpx.get(url, timeout=10)
    return response.text
"#;
    let dir = project(&[("server.py", server)]);
    let output = common::mcplint_cmd()
        .current_dir(dir.path())
        .args([
            "check",
            "--format",
            "sarif",
            "--select",
            "MCL701",
            "--fail-on",
            "never",
        ])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&output.stdout).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "MCL701");
    let steps = result["codeFlows"][0]["threadFlows"][0]["locations"]
        .as_array()
        .map(Vec::len)
        .unwrap_or(0);
    assert!(steps >= 3, "{result}");
}

#[test]
fn bad_taint_configuration_exits_2_naming_the_table() {
    let dir = project(&[
        ("server.py", SERVER),
        ("mcplint.toml", "[[taint.python.sink]]\nclass = \"shel\"\n"),
    ]);
    common::mcplint_cmd()
        .current_dir(dir.path())
        .args(["check"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("[taint.python]"));
}

/// Every package of a monorepo has its own `ops` module: a handler's
/// `from ops import archive_logs` is the one beside it, not the first of the
/// scan.
#[test]
fn an_absolute_import_resolves_to_the_nearest_module_of_that_name() {
    const SAFE_OPS: &str = r#"import subprocess


def archive_logs(name: str) -> str:
    return subprocess.run(["tar", "czf", "/backup/logs.tgz", "--", name], capture_output=True, text=True, timeout=60).stdout
"#;
    let server = SERVER.replace("from .ops import", "from ops import");
    let dir = project(&[
        ("a_billing/ops.py", SAFE_OPS),
        ("a_billing/server.py", &server),
        ("b_logs/ops.py", OPS),
        ("b_logs/server.py", &server),
    ]);
    let out = concise(dir.path(), &["--select", "MCL201"]);
    let reported: Vec<&str> = out.lines().filter(|l| l.contains("MCL201")).collect();
    assert_eq!(reported.len(), 1, "{out}");
    assert!(reported[0].starts_with("b_logs/ops.py:"), "{out}");
}

const SECOND_TOOL: &str = r#"from mcp.server.fastmcp import FastMCP

from .ops import archive_logs

admin = FastMCP("ops-admin")


@admin.tool()
def rotate(service: str) -> str:
    """Rotate a service's logs."""
    return archive_logs(service)
"#;

fn json_findings(dir: &Path, select: &str) -> Vec<Value> {
    let output = common::mcplint_cmd()
        .current_dir(dir)
        .args([
            "check",
            "--format",
            "json",
            "--select",
            select,
            "--fail-on",
            "never",
        ])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    json["findings"].as_array().cloned().unwrap_or_default()
}

/// Two tools in two files reach one sink in a third: one finding at the
/// sink naming both, with a flow per tool; its fingerprint is the sink's,
/// so it is the same as when one tool reached it, and survives line moves.
#[test]
fn one_finding_per_sink_names_every_tool_that_reaches_it() {
    let one = project(&[("pkg/server.py", SERVER), ("pkg/ops.py", OPS)]);
    let alone = json_findings(one.path(), "MCL201");
    assert_eq!(alone.len(), 1, "{alone:?}");
    let two = project(&[
        ("pkg/server.py", SERVER),
        ("pkg/admin.py", SECOND_TOOL),
        ("pkg/ops.py", OPS),
    ]);
    let both = json_findings(two.path(), "MCL201");
    assert_eq!(both.len(), 1, "{both:?}");
    let finding = &both[0];
    assert_eq!(finding["path"], "pkg/ops.py");
    assert_eq!(
        finding["message"],
        "tool argument `service` of tools `archive` and `rotate` reaches `subprocess.run()` as the command text run by a shell"
    );
    let flows = finding["flows"].as_array().unwrap();
    let labels: Vec<&str> = flows
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["from tool `archive`", "from tool `rotate`"]);
    assert_eq!(flows[1]["steps"][0]["path"], "pkg/admin.py");
    assert_eq!(finding["fingerprint"], alone[0]["fingerprint"]);
    // Lines added above the sink move it, not its fingerprint.
    let moved = OPS.replace(
        "import subprocess\n",
        "import subprocess\nimport shlex  # unused\n\n",
    );
    std::fs::write(two.path().join("pkg/ops.py"), moved).unwrap();
    let after = json_findings(two.path(), "MCL201");
    assert_eq!(after[0]["start"]["line"], 12);
    assert_eq!(after[0]["fingerprint"], alone[0]["fingerprint"]);
    // SARIF: one code flow per tool.
    let output = common::mcplint_cmd()
        .current_dir(two.path())
        .args([
            "check",
            "--format",
            "sarif",
            "--select",
            "MCL201",
            "--fail-on",
            "never",
        ])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&output.stdout).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    let code_flows = result["codeFlows"].as_array().unwrap();
    assert_eq!(code_flows.len(), 2, "{result}");
    assert_eq!(code_flows[1]["message"]["text"], "from tool `rotate`");
}

/// The findings of one rule, as `code` lines of the concise output.
fn reported<'o>(out: &'o str, code: &str) -> Vec<&'o str> {
    out.lines().filter(|l| l.contains(code)).collect()
}

/// A value quoted in some branches of an `if` / `else if` / `else` is
/// quoted after it only when every branch that falls through quoted it.
#[test]
fn sanitization_holds_after_a_branch_only_when_every_branch_sanitized() {
    const TOOL: &str = r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { execSync } from "node:child_process";
import { z } from "zod";
import quote from "shell-quote-word";

const server = new McpServer({ name: "search", version: "1.0.0" });

server.tool("grep", "Search files", { pattern: z.string(), mode: z.string() }, async ({ pattern, mode }) => {
  let term = pattern;
  if (mode === "fixed") {
    term = quote(pattern);
  } else if (mode === "word") {
    term = quote(`\\b${pattern}\\b`);
  } else {
    BRANCH
  }
  return { content: [{ type: "text", text: execSync(`grep -rn ${term} .`, { timeout: 5000 }).toString() }] };
});
"#;
    let config = "[taint.typescript]\n[[taint.typescript.sanitizer]]\nclasses = [\"shell\"]\ncallees = [\"shell-quote-word\"]\n";
    let one_branch_raw = TOOL.replace("BRANCH", "console.error(\"regex search\");");
    let every_branch = TOOL.replace("BRANCH", "term = quote(`(${pattern})`);");
    let a_branch_leaves = TOOL.replace("BRANCH", "throw new Error(\"unknown mode\");");
    for (text, expected) in [(one_branch_raw, 1), (every_branch, 0), (a_branch_leaves, 0)] {
        let dir = project(&[("server.ts", &text), ("mcplint.toml", config)]);
        let out = concise(dir.path(), &["--select", "MCL201"]);
        assert_eq!(reported(&out, "MCL201").len(), expected, "{text}\n{out}");
    }
}

/// An object literal passed to a destructuring parameter binds key by key:
/// the URL a tool passes reaches the request, not the file read beside it;
/// a spread of the arguments may hold any key.
#[test]
fn object_literals_bind_destructured_parameters_key_by_key() {
    const LIB: &str = r#"const fs = require("node:fs");

async function load({ file, url }) {
  if (file) {
    return fs.readFileSync(file, "utf8");
  }
  const res = await fetch(url);
  return res.text();
}

module.exports = { load };
"#;
    const SERVER_JS: &str = r#"const { McpServer } = require("@modelcontextprotocol/sdk/server/mcp.js");
const { z } = require("zod");
const { load } = require("./lib.js");

const server = new McpServer({ name: "loader", version: "1.0.0" });

server.tool("load", "Load a page", { url: z.string() }, async (args) => {
  const text = await load(CALL);
  return { content: [{ type: "text", text }] };
});
"#;
    let by_key = SERVER_JS.replace("CALL", "{ url: args.url }");
    let spread = SERVER_JS.replace("CALL", "{ ...args }");
    for (text, ssrf, path) in [(by_key, 1, 0), (spread, 1, 1)] {
        let dir = project(&[("server.js", &text), ("lib.js", LIB)]);
        let out = concise(dir.path(), &["--select", "MCL203,MCL204"]);
        assert_eq!(reported(&out, "MCL204").len(), ssrf, "{text}\n{out}");
        assert_eq!(reported(&out, "MCL203").len(), path, "{text}\n{out}");
    }
}

/// A method of a project class named like a library's sink (`query`,
/// `get`) is that method: an in-memory search is no SQL, and a client class
/// whose `get` fixes the host is no SSRF; its body decides.
#[test]
fn a_project_method_named_like_a_sink_is_followed_not_matched() {
    const SERVER_PY: &str = r#"from mcp.server.fastmcp import FastMCP

from index import SearchIndex

mcp = FastMCP("notes")
index = SearchIndex()


@mcp.tool()
def search_notes(term: str) -> list[str]:
    """Search the notes."""
    return index.query(term)
"#;
    const INDEX_PY: &str = r#"class SearchIndex:
    def __init__(self):
        self.notes = ["alpha", "beta"]

    def query(self, term: str) -> list[str]:
        return [n for n in self.notes if term in n]
"#;
    let dir = project(&[("server.py", SERVER_PY), ("index.py", INDEX_PY)]);
    let out = concise(dir.path(), &["--select", "MCL205"]);
    assert!(reported(&out, "MCL205").is_empty(), "{out}");
}

/// An instance another module binds (`from clients import git`) and a
/// method inherited from a base class in a third module.
#[test]
fn imported_instances_and_inherited_methods_are_followed() {
    const SERVER_PY: &str = r#"from mcp.server.fastmcp import FastMCP

from clients import git

mcp = FastMCP("git")


@mcp.tool()
def git_log(ref: str) -> str:
    """Show the log of a ref."""
    return git.log(ref)
"#;
    const CLIENTS_PY: &str = r#"from base import ShellTool


class GitClient(ShellTool):
    def log(self, ref: str) -> str:
        return self.sh(f"git log --oneline {ref}")


git = GitClient()
"#;
    const BASE_PY: &str = r#"import subprocess


class ShellTool:
    def sh(self, command: str) -> str:
        return subprocess.run(command, shell=True, capture_output=True, text=True, timeout=30).stdout
"#;
    let dir = project(&[
        ("server.py", SERVER_PY),
        ("clients.py", CLIENTS_PY),
        ("base.py", BASE_PY),
    ]);
    let out = concise(dir.path(), &["--select", "MCL201"]);
    assert_eq!(reported(&out, "MCL201").len(), 1, "{out}");
}
