use std::path::{Path, PathBuf};

use super::*;
use crate::discover::SourcePath;

/// The role of `path` (below the scanned directory) holding `text`,
/// lowered as the scan lowers it; no manifest around it.
fn role(path: &str, text: &str) -> Role {
    let path = Path::new(path);
    let language = crate::discover::classify(path).expect("a scanned kind");
    let facts = crate::frontend::lower(language, path, text).ok();
    let packages = Packages::new();
    let dir = tempfile::tempdir().expect("temp dir");
    classify(
        path,
        &dir.path().join(path),
        language,
        text,
        facts.as_ref(),
        &packages,
    )
}

/// The role of a file judged on its text alone (the prefilter skipped it).
fn role_unparsed(path: &str, text: &str) -> Role {
    let path = Path::new(path);
    let language = crate::discover::classify(path).expect("a scanned kind");
    let dir = tempfile::tempdir().expect("temp dir");
    classify(
        path,
        &dir.path().join(path),
        language,
        text,
        None,
        &Packages::new(),
    )
}

#[test]
fn test_paths() {
    for path in [
        "tests/test_server.py",
        "tests/helpers.py",
        "test/server.ts",
        "src/__tests__/tools.ts",
        "test-servers/echo.ts",
        "testdata/claude_desktop_config.json",
        "fixtures/bad_server.py",
        "testing/harness.py",
        "e2e/auth.ts",
        "src/test_tools.py",
        "src/tools_test.py",
        "src/server.test.ts",
        "src/server.spec.js",
        "conftest.py",
        "examples/weather/tests/test_weather.py",
        "TESTS/Upper.py",
        "internal/oauthtest/fake_idp_server.go",
        "internal/oauthtest/helpers.go",
        "pkg/store/store_fake.go",
        "internal/k8s/mocks/pool.go",
        "server/mock_client.go",
    ] {
        assert_eq!(by_path(Path::new(path)), Some(Role::Test), "{path}");
    }
}

#[test]
fn example_paths() {
    for path in [
        "examples/weather.py",
        "example/server.ts",
        "docs/snippets/quickstart.py",
        "doc/server.rs",
        "samples/notes/server.py",
        "snippets/auth.ts",
        "demo/index.ts",
        "src/tools.examples.ts",
    ] {
        assert_eq!(by_path(Path::new(path)), Some(Role::Example), "{path}");
    }
}

#[test]
fn look_alike_paths_are_not_tests_or_examples() {
    for path in [
        "src/server.py",
        "src/latest.py",
        "src/contest.py",
        "src/attestation.ts",
        "src/testimonials/server.py",
        "src/documents/reader.py",
        "src/docstring.py",
        "src/examples_loader.py",
        "pkg/tools/get_sentinel_mock.go",
        "api/latest/server.go",
        "internal/fakeserver.py",
    ] {
        assert_eq!(by_path(Path::new(path)), None, "{path}");
    }
}

#[test]
fn the_scanned_directory_itself_does_not_count() {
    // `mcplint /home/me/tests/weather`: the checkout's files are not tests.
    let file = SourcePath {
        path: PathBuf::from("/home/me/tests/weather/src/server.py"),
        language: Language::Python,
        role_base: 5,
    };
    assert_eq!(file.role_path(), PathBuf::from("src/server.py"));
    assert_eq!(by_path(&file.role_path()), None);
    let file = SourcePath {
        path: PathBuf::from("/home/me/tests/weather/tests/test_server.py"),
        language: Language::Python,
        role_base: 5,
    };
    assert_eq!(by_path(&file.role_path()), Some(Role::Test));
}

const PY_CLIENT: &str = r#"
import asyncio
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

params = StdioServerParameters(command="uvx", args=["mcp-server-git"])

async def main() -> None:
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            result = await session.call_tool("git_status", {"repo_path": "."})
            print(result.content)

asyncio.run(main())
"#;

const PY_FASTMCP_CLIENT: &str = r#"
from fastmcp import Client

async def list_remote_tools(url: str) -> list[str]:
    async with Client(url) as client:
        tools = await client.list_tools()
        return [tool.name for tool in tools]
"#;

/// A server that also connects to another server, to forward to it: a
/// server, whatever it imports.
const PY_PROXY: &str = r#"
from mcp import ClientSession
from mcp.client.streamable_http import streamablehttp_client
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("search-proxy")
UPSTREAM = "https://search.internal.example.com/mcp"

@mcp.tool()
async def search(query: str) -> str:
    """Search the internal index."""
    async with streamablehttp_client(UPSTREAM) as (read, write, _):
        async with ClientSession(read, write) as session:
            await session.initialize()
            result = await session.call_tool("search", {"query": query})
            return str(result.content)

if __name__ == "__main__":
    mcp.run()
"#;

const TS_CLIENT: &str = r#"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

export async function callSearch(query: string) {
  const client = new Client({ name: "search-cli", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL("https://mcp.example.com/mcp"));
  await client.connect(transport);
  return client.callTool({ name: "search", arguments: { query } });
}
"#;

const TS_OAUTH_PROVIDER: &str = r#"
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type { OAuthClientMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";

export class StoredTokensProvider implements OAuthClientProvider {
  private stored?: OAuthTokens;
  get redirectUrl() { return "http://localhost:8090/callback"; }
  get clientMetadata(): OAuthClientMetadata {
    return { client_name: "notes-cli", redirect_uris: [this.redirectUrl] };
  }
  tokens() { return this.stored; }
  saveTokens(tokens: OAuthTokens) { this.stored = tokens; }
}
"#;

const TS_SERVER_WITH_CLIENT: &str = r#"
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { z } from "zod";

const upstream = new Client({ name: "aggregator", version: "1.0.0" });
await upstream.connect(new StdioClientTransport({ command: "weather-server" }));

const server = new McpServer({ name: "aggregator", version: "1.0.0" });
server.registerTool(
  "forecast",
  { description: "Forecast for a city", inputSchema: { city: z.string() } },
  async ({ city }) => upstream.callTool({ name: "forecast", arguments: { city } }),
);
await server.connect(new StdioServerTransport());
"#;

const RUST_CLIENT: &str = r#"
use rmcp::{ServiceExt, model::CallToolRequestParam, transport::TokioChildProcess};
use tokio::process::Command;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let service = ()
        .serve(TokioChildProcess::new(Command::new("uvx").arg("mcp-server-git"))?)
        .await?;
    let tools = service.list_tools(Default::default()).await?;
    println!("{tools:?}");
    service.cancel().await?;
    Ok(())
}
"#;

const RUST_CLIENT_HANDLER: &str = r#"
use rmcp::model::{ClientInfo, Implementation};

#[derive(Clone)]
pub struct Inspector;

impl rmcp::ClientHandler for Inspector {
    fn get_info(&self) -> ClientInfo {
        ClientInfo {
            client_info: Implementation::from_build_env(),
            ..Default::default()
        }
    }
}
"#;

#[test]
fn clients_by_their_imports() {
    assert_eq!(role("agent/run.py", PY_CLIENT), Role::Client);
    assert_eq!(role("agent/remote.py", PY_FASTMCP_CLIENT), Role::Client);
    assert_eq!(role("src/search.ts", TS_CLIENT), Role::Client);
    assert_eq!(
        role("src/auth/provider.ts", TS_OAUTH_PROVIDER),
        Role::Client
    );
    assert_eq!(role("src/main.rs", RUST_CLIENT), Role::Client);
    assert_eq!(role("src/inspector.rs", RUST_CLIENT_HANDLER), Role::Client);
}

#[test]
fn a_server_that_imports_a_client_stays_a_server() {
    assert_eq!(role("src/proxy.py", PY_PROXY), Role::Server);
    assert_eq!(role("src/index.ts", TS_SERVER_WITH_CLIENT), Role::Server);
}

#[test]
fn clients_by_their_text_when_not_lowered() {
    assert_eq!(role_unparsed("agent/run.py", PY_CLIENT), Role::Client);
    assert_eq!(role_unparsed("src/search.ts", TS_CLIENT), Role::Client);
    assert_eq!(
        role_unparsed("src/index.ts", TS_SERVER_WITH_CLIENT),
        Role::Server
    );
}

const REACT_COMPONENT: &str = r#"
import { useState } from "react";

export function ToolList({ tools }: { tools: string[] }) {
  const [filter, setFilter] = useState("");
  return tools.filter((t) => t.includes(filter)).map((t) => t);
}
"#;

#[test]
fn front_ends() {
    assert_eq!(
        role("web/src/ToolList.tsx", "export const A = () => null;\n"),
        Role::Frontend
    );
    assert_eq!(
        role(
            "web/src/App.jsx",
            "export default function App() { return null; }\n"
        ),
        Role::Frontend
    );
    assert_eq!(role("web/src/useTools.ts", REACT_COMPONENT), Role::Frontend);
    assert_eq!(
        role(
            "app/settings/form.ts",
            "\"use client\";\nexport const save = (token: string) => localStorage.setItem(\"t\", token);\n"
        ),
        Role::Frontend
    );
    assert_eq!(
        role(
            "public/widget.js",
            "window.addEventListener(\"load\", () => {});\n"
        ),
        Role::Frontend
    );
    // A TypeScript module that renders nothing is not one.
    assert_eq!(
        role(
            "src/util.ts",
            "export const sum = (a: number, b: number) => a + b;\n"
        ),
        Role::Server
    );
}

#[test]
fn a_tsx_file_that_serves_is_a_server() {
    let text = TS_SERVER_WITH_CLIENT.replace("z.string()", "z.string().max(64)");
    assert_eq!(role("src/server.tsx", &text), Role::Server);
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn the_sdk_by_its_nearest_manifest() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write(
        root,
        "typescript-sdk/package.json",
        r#"{"name": "@modelcontextprotocol/sdk", "version": "1.20.0"}"#,
    );
    write(
        root,
        "python-sdk/pyproject.toml",
        "[project]\nname = \"mcp\"\nversion = \"1.15.0\"\n",
    );
    write(
        root,
        "rust-sdk/Cargo.toml",
        "[workspace]\nmembers = [\"crates/*\"]\n",
    );
    write(
        root,
        "rust-sdk/crates/rmcp/Cargo.toml",
        "[package]\nname = \"rmcp\"\nversion = \"0.8.0\"\n",
    );
    write(
        root,
        "rust-sdk/examples/servers/Cargo.toml",
        "[package]\nname = \"mcp-server-examples\"\nversion = \"0.1.0\"\n",
    );
    write(
        root,
        "weather/pyproject.toml",
        "[project]\nname = \"mcp-server-weather\"\n",
    );
    let packages = Packages::new();
    let sdk = |path: &str| packages.is_sdk(&root.join(path));
    assert!(sdk("typescript-sdk/src/client/index.ts"));
    assert!(sdk("typescript-sdk/src/server/mcp.ts"));
    assert!(sdk("python-sdk/src/mcp/server/fastmcp/server.py"));
    assert!(sdk("rust-sdk/crates/rmcp/src/service.rs"));
    // Asked again: answered from the cache, the same.
    assert!(sdk("python-sdk/src/mcp/client/session.py"));
    assert!(!sdk("rust-sdk/examples/servers/src/counter.rs"));
    assert!(!sdk("weather/src/weather/server.py"));
    // The SDK's own client code is the SDK's, not a client.
    let text = "from mcp import ClientSession\n";
    let relative = Path::new("src/mcp/client/helpers.py");
    let absolute = root.join("python-sdk").join(relative);
    let facts = crate::frontend::lower(Language::Python, relative, text).ok();
    assert_eq!(
        classify(
            relative,
            &absolute,
            Language::Python,
            text,
            facts.as_ref(),
            &packages
        ),
        Role::Sdk
    );
}

#[test]
fn rust_test_modules_are_test_code() {
    let text = r#"
pub fn check(token: &str, expected: &str) -> bool {
    token == expected
}

#[cfg(test)]
mod tests {
    #[test]
    fn compares() {
        assert!(super::check("a", "a"));
    }
}
"#;
    let facts =
        crate::frontend::lower(Language::Rust, Path::new("src/auth.rs"), text).expect("parses");
    assert_eq!(facts.test_spans.len(), 1);
    let inside = text.find("assert!").expect("in the test");
    let outside = text.find("token ==").expect("in the code");
    assert_eq!(
        at(Role::Server, Some(&facts), Span::new(inside, inside + 1)),
        Role::Test
    );
    assert_eq!(
        at(Role::Server, Some(&facts), Span::new(outside, outside + 1)),
        Role::Server
    );
}

#[test]
fn role_names_parse_and_bad_ones_are_named() {
    assert_eq!(
        Role::parse_list(&["server".into(), "Example".into()]),
        Ok(vec![Role::Server, Role::Example])
    );
    let err = Role::parse_list(&["servers".into()]).unwrap_err();
    assert!(
        err.contains("`servers`") && err.contains("frontend"),
        "{err}"
    );
    assert!(Role::parse_list(&[]).is_err());
    for role in ALL {
        assert_eq!(Role::parse(role.as_str()), Some(*role));
    }
}
