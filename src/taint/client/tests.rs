//! Client roots and what their server values reach, on small clients
//! written against the SDKs' client APIs.

use std::path::PathBuf;

use super::{OPENER_ROLE, analyze, describe, roots};
use crate::facts::FileFacts;
use crate::roles::Role;
use crate::taint::{Project, ProjectFile, SinkClass};

fn lowered(name: &str, text: &str) -> (PathBuf, FileFacts) {
    let path = PathBuf::from(name);
    let language = crate::discover::classify(&path).expect("language");
    let facts = crate::frontend::lower(language, &path, text).expect("lowers");
    (path, facts)
}

/// (class, message) of each client hit of a one-file client.
fn hits(name: &str, text: &str) -> Vec<(SinkClass, String, String)> {
    let (path, facts) = lowered(name, text);
    let mut file = ProjectFile::new(&path, text, &facts);
    file.role = Role::Client;
    let project = Project::new(vec![file], 8, None);
    roots(&project)
        .iter()
        .flat_map(|root| analyze(&project, root).hits)
        .map(|h| (h.class, describe(&h.taint), h.role))
        .collect()
}

const TS_PROVIDER: &str = r#"
import open from "open";
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";

export class BrowserProvider implements OAuthClientProvider {
  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    console.error(`Opening ${authorizationUrl}`);
    await open(authorizationUrl.toString());
  }
}
"#;

#[test]
fn ts_authorization_url_reaches_open() {
    let found = hits("provider.ts", TS_PROVIDER);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, SinkClass::Shell);
    assert!(found[0].1.contains("authorization_endpoint"), "{found:?}");
    assert_eq!(found[0].2, OPENER_ROLE);
}

const TS_CHECKED: &str = r#"
import open from "open";

export class BrowserProvider {
  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    if (!["https:", "http:"].includes(authorizationUrl.protocol)) {
      throw new Error(`refusing to open ${authorizationUrl.protocol} URL`);
    }
    await open(authorizationUrl.toString());
  }
}
"#;

#[test]
fn ts_scheme_check_keeps_opener_to_the_web() {
    assert!(hits("provider.ts", TS_CHECKED).is_empty());
}

const TS_TOOL_RESULT: &str = r#"
import { exec } from "node:child_process";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";

export async function runSuggested(client: Client) {
  const result = await client.callTool({ name: "suggest_command", arguments: {} });
  const text = result.content[0].text;
  exec(`sh -c "${text}"`);
  await fetch(result.structuredContent.url);
}
"#;

#[test]
fn ts_tool_result_reaches_shell_not_fetch() {
    let found = hits("runner.ts", TS_TOOL_RESULT);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, SinkClass::Shell);
    assert_eq!(found[0].1, "a tool result from the server");
}

const PY_CALLBACKS: &str = r#"
import os
import subprocess
import webbrowser
from urllib.parse import urlparse

from mcp.client.auth import OAuthClientProvider
from mcp.client.session import ClientSession


async def open_browser(authorization_url: str) -> None:
    os.system(f'open "{authorization_url}"')


async def open_sdk_checked(authorization_url: str) -> None:
    webbrowser.open(authorization_url)


async def open_checked(authorization_url: str) -> None:
    if urlparse(authorization_url).scheme.lower() not in ("https", "http"):
        raise ValueError("not a web URL")
    webbrowser.open(authorization_url)


async def run_tool(session: ClientSession) -> None:
    result = await session.call_tool("plan", {})
    subprocess.run(result.content[0].text, shell=True)


provider = OAuthClientProvider("https://mcp.example.com", metadata, storage, redirect_handler=open_browser)
checked = OAuthClientProvider("https://mcp.example.com", metadata, storage, redirect_handler=open_checked)
sdk_checked = OAuthClientProvider("https://mcp.example.com", metadata, storage, redirect_handler=open_sdk_checked)
"#;

/// A redirect handler's URL into a shell, a tool result into a shell; the
/// SDK's `AnyHttpUrl` keeps `webbrowser.open` to the web, as a scheme check does.
#[test]
fn py_redirect_handler_and_tool_result() {
    let found = hits("client.py", PY_CALLBACKS);
    let classes: Vec<SinkClass> = found.iter().map(|h| h.0).collect();
    assert_eq!(
        classes,
        vec![SinkClass::Shell, SinkClass::Shell],
        "{found:?}"
    );
    assert!(found.iter().any(|h| h.1.contains("authorization_endpoint")));
    assert!(found.iter().any(|h| h.1 == "a tool result from the server"));
}

/// Outside client code, nothing is a root: a server's own `open()` of its
/// configuration URL is no server value.
#[test]
fn server_files_have_no_client_roots() {
    let (path, facts) = lowered("provider.ts", TS_PROVIDER);
    let project = Project::new(vec![ProjectFile::new(&path, TS_PROVIDER, &facts)], 8, None);
    assert!(roots(&project).is_empty());
}

#[test]
fn method_sources_need_a_client_receiver() {
    use super::client_receiver;
    for yes in [
        Some("session"),
        Some("self._session"),
        Some("this.client"),
        Some("mcpClient"),
        Some("conn"),
        Some("<expr>"),
        None,
    ] {
        assert!(client_receiver(yes), "{yes:?}");
    }
    for no in [
        Some("task"),
        Some("self.template"),
        Some("prompts"),
        Some("registry"),
    ] {
        assert!(!client_receiver(no), "{no:?}");
    }
}
