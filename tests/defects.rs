//! Smaller defects of issue 17: the `rules` table's columns, `lock` on a
//! subfolder, UTF-16 files.

mod common;

use std::path::Path;

use predicates::prelude::*;

fn project(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

fn mcplint(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    common::mcplint_cmd().current_dir(dir).args(args).assert()
}

#[test]
fn every_rules_table_column_starts_where_its_header_does() {
    let output = common::mcplint_cmd().arg("rules").output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let starts: Vec<usize> = [
        "NAME",
        "LEVEL",
        "DEFAULT",
        "OWASP MCP",
        "LANGUAGES",
        "SUMMARY",
    ]
    .iter()
    .map(|h| header.find(h).unwrap())
    .collect();
    let mut longest_name = 0;
    for line in lines {
        let chars: Vec<char> = line.chars().collect();
        for &start in &starts {
            // Each column begins after a space, with a non-space.
            assert_eq!(chars[start - 1], ' ', "{line}");
            assert_ne!(chars[start], ' ', "{line}");
        }
        let name: String = chars[starts[0]..starts[1]].iter().collect();
        longest_name = longest_name.max(name.trim_end().len());
    }
    // Names longer than the old fixed width of 24 are what broke it.
    assert!(longest_name > 24, "{longest_name}");
}

const SERVER: &str = "from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP(\"notes\")\n\n\n\
@mcp.tool(description=\"Search the notes.\")\ndef search_notes(query: str) -> list[str]:\n    return []\n";

fn git_project() -> tempfile::TempDir {
    let other = SERVER
        .replace("notes", "calendar")
        .replace("search_calendar", "list_events")
        .replace("Search the calendar.", "List the events.");
    project(&[
        (".git/HEAD", b"ref: refs/heads/main\n"),
        ("notes/server.py", SERVER.as_bytes()),
        ("calendar/server.py", other.as_bytes()),
    ])
}

#[test]
fn lock_on_a_subfolder_updates_the_projects_lock() {
    let dir = git_project();
    mcplint(dir.path(), &["lock", "--no-config"]).code(0);
    let root_lock = dir.path().join("mcplint.lock");
    let before = std::fs::read_to_string(&root_lock).unwrap();
    assert!(before.contains("search_notes") && before.contains("list_events"));
    // From the root, naming a subfolder…
    mcplint(dir.path(), &["lock", "--no-config", "--check", "notes"])
        .code(0)
        .stdout(predicate::str::contains("1 tools match"));
    // …and from inside it.
    let notes = dir.path().join("notes");
    mcplint(&notes, &["lock", "--no-config", "--check"]).code(0);
    mcplint(&notes, &["lock", "--no-config"])
        .code(0)
        .stderr(predicate::str::contains(
            "kept 1 entries of files not scanned",
        ));
    assert!(
        !notes.join("mcplint.lock").exists(),
        "a second lock was written"
    );
    // Relocking a part keeps the other part's entries.
    assert_eq!(std::fs::read_to_string(&root_lock).unwrap(), before);
    // A change in the subfolder is drift of the root lock.
    let changed = SERVER.replace("Search the notes.", "Search the notes and mail them out.");
    std::fs::write(notes.join("server.py"), changed).unwrap();
    mcplint(&notes, &["lock", "--no-config", "--check"])
        .code(1)
        .stdout(predicate::str::contains("1 tool definitions drifted from"));
    mcplint(dir.path(), &["lock", "--no-config", "notes"]).code(0);
    let after = std::fs::read_to_string(&root_lock).unwrap();
    assert!(after.contains("mail them out") && after.contains("list_events"));
    mcplint(dir.path(), &["lock", "--no-config", "--check"]).code(0);
}

fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut bytes = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for unit in text.encode_utf16() {
        bytes.extend(if little_endian {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    bytes
}

const CLIENT_CONFIG: &str = r#"{
  "mcpServers": {
    "github": {
      "command": "docker",
      "args": ["run", "-i", "--rm", "ghcr.io/github/github-mcp-server:v0.9.0"],
      "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_29WX92kmAOc6hARRiMQiC45ktdTyWOkCSo7e" }
    }
  }
}
"#;

#[test]
fn utf16_files_with_a_byte_order_mark_are_read_as_text() {
    for little_endian in [true, false] {
        let dir = project(&[
            (
                "mcplint.toml",
                &utf16("fail-on = \"never\"\n", little_endian),
            ),
            (
                "claude_desktop_config.json",
                &utf16(CLIENT_CONFIG, little_endian),
            ),
        ]);
        // The configuration is honoured (exit 0 despite an error) and the
        // client config scanned: its secret is found where it is.
        mcplint(dir.path(), &["check", "--format", "concise"])
            .code(0)
            .stdout(predicate::str::contains(
                "claude_desktop_config.json:6:48: MCL801 [error]",
            ))
            .stdout(predicate::str::contains("binary").not());
    }
    // A UTF-16 file cut in the middle of a code unit says what is wrong.
    let mut cut = utf16(CLIENT_CONFIG, true);
    cut.pop();
    let dir = project(&[("claude_desktop_config.json", &cut)]);
    mcplint(dir.path(), &["check", "--no-config", "--format", "concise"])
        .stdout(predicate::str::contains(
            "MCL000 [note] file starts with a UTF-16 LE byte-order mark but has an odd number of bytes",
        ));
    let dir = project(&[("mcplint.toml", &[0x66, 0xC3, 0x28])]);
    mcplint(dir.path(), &["check"])
        .code(2)
        .stderr(predicate::str::contains("not valid UTF-8"));
}

const PY_PROMPTS: &str = r#"from mcp.server.fastmcp import FastMCP

mcp = FastMCP("editor")


@mcp.prompt()
def review_diff(diff: str, focus: str = "correctness") -> str:
    """Ask for a review of a diff."""
    return f"Review this diff for {focus}:\n{diff}"
"#;

const TS_PROMPTS: &str = r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

const server = new McpServer({ name: "editor", version: "2.1.0" });

server.registerPrompt(
  "explain-error",
  {
    title: "Explain an error",
    description: "Explain a compiler error and suggest a fix",
    argsSchema: { message: z.string(), language: z.string().optional() },
  },
  ({ message, language }) => ({
    messages: [{ role: "user", content: { type: "text", text: `${language}: ${message}` } }],
  }),
);

server.prompt(
  "commit-message",
  "Write a commit message for staged changes",
  { summary: z.string().describe("what changed") },
  ({ summary }) => ({
    messages: [{ role: "user", content: { type: "text", text: `Commit: ${summary}` } }],
  }),
);
"#;

/// Another library's `prompt()`: no MCP SDK in the file.
const TS_LOOKALIKE: &str = r#"import inquirer from "inquirer";

const answers = await inquirer.prompt("name", { type: "input" }, (a) => a);
"#;

const RS_PROMPTS: &str = r#"use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{PromptMessage, PromptMessageRole};
use rmcp::{prompt, prompt_router, schemars};
use serde::Deserialize;

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct TriageArgs {
    /// The issue text to triage
    pub issue: String,
    pub labels: Option<Vec<String>>,
}

#[derive(Clone)]
pub struct Editor;

#[prompt_router]
impl Editor {
    #[prompt(name = "triage_issue", description = "Triage a bug report")]
    async fn triage_issue(&self, Parameters(args): Parameters<TriageArgs>) -> Vec<PromptMessage> {
        vec![PromptMessage::new_text(PromptMessageRole::User, args.issue)]
    }
}
"#;

#[test]
fn inventory_lists_the_parameters_of_prompts() {
    let dir = project(&[
        ("py/server.py", PY_PROMPTS.as_bytes()),
        ("ts/index.ts", TS_PROMPTS.as_bytes()),
        ("ts/ask.ts", TS_LOOKALIKE.as_bytes()),
        ("rs/src/prompts.rs", RS_PROMPTS.as_bytes()),
    ]);
    let output = common::mcplint_cmd()
        .current_dir(dir.path())
        .args(["inventory", "--no-config", "--format", "json"])
        .output()
        .unwrap();
    let inventory: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let entries = inventory["entries"].as_array().unwrap();
    let prompt = |name: &str| -> (Vec<(String, bool)>, serde_json::Value) {
        let entry = entries
            .iter()
            .find(|e| e["kind"] == "prompt" && e["name"] == name)
            .unwrap_or_else(|| panic!("no prompt {name}: {inventory}"));
        let params = entry["params"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["name"].as_str().unwrap().to_string(),
                    p["required"].as_bool().unwrap(),
                )
            })
            .collect();
        (params, entry["description"].clone())
    };
    let owned = |v: &[(&str, bool)]| -> Vec<(String, bool)> {
        v.iter().map(|(n, r)| (n.to_string(), *r)).collect()
    };
    assert_eq!(
        prompt("review_diff").0,
        owned(&[("diff", true), ("focus", false)])
    );
    let (params, description) = prompt("explain-error");
    assert_eq!(params, owned(&[("message", true), ("language", false)]));
    assert!(description.to_string().contains("Explain a compiler error"));
    let (params, description) = prompt("commit-message");
    assert_eq!(params, owned(&[("summary", true)]));
    assert!(description.to_string().contains("Write a commit message"));
    assert_eq!(
        prompt("triage_issue").0,
        owned(&[("issue", true), ("labels", false)])
    );
    assert_eq!(entries.iter().filter(|e| e["kind"] == "prompt").count(), 4);
    // The table shows them too.
    mcplint(dir.path(), &["inventory", "--no-config"])
        .code(0)
        .stdout(predicate::str::contains(
            "params       message: string, language?: string",
        ))
        .stdout(predicate::str::contains(
            "params       issue: String, labels?: Option<Vec<String>>",
        ));
}
