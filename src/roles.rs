//! File roles: what part a scanned file plays in its repository — the
//! server itself, code that connects to servers (a client), a web front-end,
//! tests, examples and docs, or the MCP SDK's own internals.
//!
//! A role is decided once per file, cheaply: path rules first (tests, then
//! examples), then the nearest manifest's package name (an SDK scanned as
//! itself), then the imports the frontend already lowered (a front-end, a
//! client that registers no tool of its own). Rules declare the roles their
//! premise holds in (`RuleMeta::roles`); every finding carries its file's
//! role, and `--roles` / `roles = [...]` keep the roles a user wants.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;

use crate::facts::{FileFacts, Language};
use crate::finding::Span;

/// The part a file plays. Ordered as shown in counts.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Everything else: the code of an MCP server (the default).
    Server,
    /// Code that connects to MCP servers rather than serving.
    Client,
    /// Browser code: React/Vue/Svelte components, static bundles.
    Frontend,
    /// Tests, fixtures and test data.
    Test,
    /// Examples, docs, samples and snippets (people copy them: still scanned).
    Example,
    /// The MCP SDK's own internals, when the SDK itself is scanned.
    Sdk,
}

/// Every role.
pub const ALL: &[Role] = &[
    Role::Server,
    Role::Client,
    Role::Frontend,
    Role::Test,
    Role::Example,
    Role::Sdk,
];

/// Where a server runs: the premise of transport, auth and operations rules
/// (an example server is a server people deploy; the SDK's own server code
/// is what they run).
pub const SERVER_SIDE: &[Role] = &[Role::Server, Role::Example, Role::Sdk];

/// Code that runs outside a browser and outside tests: a client that turns
/// off TLS verification or logs its token is as wrong as a server.
pub const BACKEND: &[Role] = &[Role::Server, Role::Client, Role::Example, Role::Sdk];

/// Everything but tests, whose secrets and sample data are fixtures.
pub const NOT_TEST: &[Role] = &[
    Role::Server,
    Role::Client,
    Role::Frontend,
    Role::Example,
    Role::Sdk,
];

/// The roles whose findings are reported unless `--roles` / `roles` say
/// otherwise: all but tests. A test's server is a throwaway built to be
/// attacked or to fail; its findings are noise to a maintainer deciding
/// what to fix (precision first). `--roles test` shows them.
pub const DEFAULT_REPORTED: &[Role] = NOT_TEST;

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Server => "server",
            Role::Client => "client",
            Role::Frontend => "frontend",
            Role::Test => "test",
            Role::Example => "example",
            Role::Sdk => "sdk",
        }
    }

    pub fn parse(name: &str) -> Option<Role> {
        ALL.iter()
            .copied()
            .find(|r| r.as_str().eq_ignore_ascii_case(name.trim()))
    }

    /// Parses a list of role names; an unknown one is an error naming it
    /// and the valid names.
    pub fn parse_list(names: &[String]) -> Result<Vec<Role>, String> {
        let mut roles = Vec::new();
        for name in names {
            let role = Role::parse(name).ok_or_else(|| {
                let valid: Vec<&str> = ALL.iter().map(|r| r.as_str()).collect();
                format!("unknown role `{name}` (roles are {})", valid.join(", "))
            })?;
            if !roles.contains(&role) {
                roles.push(role);
            }
        }
        if roles.is_empty() {
            return Err("no role given".to_string());
        }
        Ok(roles)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Directories whose files are tests or test data.
const TEST_DIRS: &[&str] = &[
    "tests",
    "test",
    "__tests__",
    "test-servers",
    "testdata",
    "fixtures",
    "testing",
    "e2e",
];

/// Directories whose files are examples, docs or snippets.
const EXAMPLE_DIRS: &[&str] = &[
    "examples", "example", "docs", "doc", "samples", "sample", "snippets", "demo", "demos",
];

/// Directories of browser code served as is.
const BROWSER_DIRS: &[&str] = &["public", "static"];

/// The role a path alone decides: `Test` or `Example`. `relative` is the
/// path below the directory that was scanned (see `SourcePath::role_path`),
/// so that scanning a checkout under `~/tests/` does not make every file a
/// test. Tests win over examples (an example's tests are tests).
pub fn by_path(relative: &Path) -> Option<Role> {
    let name = relative
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let dirs = || {
        relative
            .parent()
            .into_iter()
            .flat_map(|p| p.components())
            .filter_map(|c| match c {
                Component::Normal(name) => name.to_str(),
                _ => None,
            })
            .map(str::to_ascii_lowercase)
    };
    let test_name = name.starts_with("test_")
        || name == "conftest.py"
        || name.contains("_test.")
        || name.contains(".test.")
        || name.contains(".spec.");
    if test_name
        || dirs().any(|d| TEST_DIRS.contains(&d.as_str()))
        || go_test_double(&name, dirs().next_back().as_deref())
    {
        return Some(Role::Test);
    }
    if name.contains(".examples.") || dirs().any(|d| EXAMPLE_DIRS.contains(&d.as_str())) {
        return Some(Role::Example);
    }
    None
}

/// Go test doubles: `fake_idp.go`, `mock_client.go`, `store_fake.go`, a
/// package of them (`mocks/`, `fakes/`), and any file of a test-helper
/// package, which Go names `…test` (`httptest`, `oauthtest`, `mcptest`).
/// `name` is lowercased, `dir` the file's own directory. (A `_mock` suffix
/// is left alone: `get_sentinel_mock.go` holds a tool of that name.)
fn go_test_double(name: &str, dir: Option<&str>) -> bool {
    let Some(stem) = name.strip_suffix(".go") else {
        return false;
    };
    let double = ["fake_", "mock_", "stub_"]
        .iter()
        .any(|w| stem.starts_with(w))
        || stem.ends_with("_fake")
        || dir.is_some_and(|d| matches!(d, "mock" | "mocks" | "fake" | "fakes"));
    // `latest`, `contest`, `greatest` end in "test" but are no test package.
    let helper_package = dir.is_some_and(|d| {
        d.len() > 4
            && d.ends_with("test")
            && !["latest", "contest", "greatest", "protest"].contains(&d)
    });
    double || helper_package
}

/// Is this path test code (its role is `Test` whatever its content)?
pub fn is_test(relative: &Path) -> bool {
    by_path(relative) == Some(Role::Test)
}

/// Package names of the MCP SDKs: a file whose nearest manifest names one
/// of them is the SDK's own code.
const SDK_PACKAGES: &[&str] = &[
    "@modelcontextprotocol/sdk",
    "@modelcontextprotocol/core",
    "@modelcontextprotocol/server",
    "@modelcontextprotocol/client",
    "@modelcontextprotocol/node",
    "@modelcontextprotocol/express",
    "@modelcontextprotocol/hono",
    "mcp",
    "fastmcp",
    "rmcp",
    "rmcp-macros",
];

/// Import modules (or their prefixes) of MCP client code.
const CLIENT_MODULES: &[&str] = &[
    "mcp.client",
    "fastmcp.client",
    "@modelcontextprotocol/sdk/client",
    "@modelcontextprotocol/client",
    "rmcp::transport::child_process",
];

/// Imported names that only a client uses: sessions, client transports,
/// OAuth client providers, rmcp client handlers.
const CLIENT_NAMES: &[&str] = &[
    "ClientSession",
    "ClientSessionGroup",
    "stdio_client",
    "sse_client",
    "streamablehttp_client",
    "streamable_http_client",
    "StdioClientTransport",
    "StreamableHTTPClientTransport",
    "SSEClientTransport",
    "WebSocketClientTransport",
    "OAuthClientProvider",
    "TokioChildProcess",
    "ClientHandler",
    "StreamableHttpClientTransport",
    "SseClientTransport",
];

/// Front-end frameworks: a module importing one renders in a browser.
const FRONTEND_MODULES: &[&str] = &[
    "react",
    "react-dom",
    "react-dom/client",
    "vue",
    "svelte",
    "preact",
    "solid-js",
];

/// The role of a file read for a scan or the inventory: `classify` with
/// the source path's two forms.
pub fn of_source(
    file: &crate::discover::SourcePath,
    text: &str,
    facts: Option<&FileFacts>,
    packages: &Packages,
) -> Role {
    classify(
        &file.role_path(),
        &file.path,
        file.language,
        text,
        facts,
        packages,
    )
}

/// Classifies one file. `relative` is its path below the scanned directory,
/// `absolute` where it is (for the manifest lookup); `facts` are present
/// when the file was lowered (a file the prefilter skipped is judged on its
/// text alone).
pub fn classify(
    relative: &Path,
    absolute: &Path,
    language: Language,
    text: &str,
    facts: Option<&FileFacts>,
    packages: &Packages,
) -> Role {
    if let Some(role) = by_path(relative) {
        return role;
    }
    if packages.is_sdk(absolute) {
        return Role::Sdk;
    }
    if !language.is_code() {
        return Role::Server;
    }
    // A file that serves (tools, a server object, a transport) is a server,
    // whatever else it imports: a proxy imports a client to forward to.
    let serves = match facts {
        Some(f) => !f.tools.is_empty() || !f.servers.is_empty() || !f.transports.is_empty(),
        None => SERVER_MARKERS.iter().any(|m| contains(text, m)),
    };
    if serves {
        return Role::Server;
    }
    if is_frontend(relative, language, text, facts) {
        return Role::Frontend;
    }
    if is_client(language, text, facts) {
        return Role::Client;
    }
    Role::Server
}

/// Text that says a file serves, for files that were not lowered.
const SERVER_MARKERS: &[&str] = &[
    "McpServer",
    "FastMCP(",
    "registerTool",
    ".tool(",
    "ServerHandler",
    "ServerTransport",
    "setRequestHandler",
];

fn contains(text: &str, needle: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), needle.as_bytes()).is_some()
}

fn is_frontend(relative: &Path, language: Language, text: &str, facts: Option<&FileFacts>) -> bool {
    if !matches!(
        language,
        Language::TypeScript | Language::Tsx | Language::JavaScript
    ) {
        return false;
    }
    let extension = relative
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if language == Language::Tsx || extension == "jsx" {
        return true;
    }
    let in_browser_dir = relative.parent().is_some_and(|p| {
        p.components().any(|c| {
            matches!(c, Component::Normal(n) if n.to_str().is_some_and(|n| BROWSER_DIRS.contains(&n.to_ascii_lowercase().as_str())))
        })
    });
    if in_browser_dir || uses_client_directive(text) {
        return true;
    }
    match facts {
        Some(f) => f
            .imports
            .iter()
            .any(|i| FRONTEND_MODULES.contains(&i.module.as_str())),
        None => FRONTEND_MODULES.iter().any(|m| {
            contains(text, &format!("from \"{m}\"")) || contains(text, &format!("from '{m}'"))
        }),
    }
}

/// `"use client"` (React server components' marker of browser code) as the
/// file's first statement.
fn uses_client_directive(text: &str) -> bool {
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("//"));
    first.is_some_and(|l| l.starts_with("\"use client\"") || l.starts_with("'use client'"))
}

pub fn is_client(language: Language, text: &str, facts: Option<&FileFacts>) -> bool {
    // `impl ClientHandler for X` needs no import when written with its path.
    if language == Language::Rust && contains(text, "ClientHandler for") {
        return true;
    }
    match facts {
        Some(f) => f.calls.iter().any(|c| c.callee == "fastmcp.Client") || f.imports.iter().any(|i| {
            let module = i.module.as_str();
            let name = i.name.as_deref().unwrap_or("");
            CLIENT_MODULES
                .iter()
                .any(|m| module == *m || module.starts_with(&format!("{m}.")) || module.starts_with(&format!("{m}/")) || module.starts_with(&format!("{m}::")))
                || CLIENT_NAMES.contains(&name)
                || CLIENT_NAMES.contains(&i.local.as_str())
                // `from fastmcp import Client`
                || (module == "fastmcp" && name == "Client")
        }),
        None => CLIENT_NAMES.iter().any(|n| contains(text, n)),
    }
}

/// The package names of manifests, cached per directory: which files are
/// the SDK's own. Shared by the threads of a scan.
#[derive(Default)]
pub struct Packages {
    /// Directory → is it inside an SDK package (its nearest manifest with a
    /// name names an SDK)?
    cache: Mutex<HashMap<PathBuf, bool>>,
}

impl Packages {
    pub fn new() -> Packages {
        Packages::default()
    }

    /// Is the file inside a package that is an MCP SDK? The nearest
    /// manifest that names a package decides (a workspace manifest without
    /// a name does not).
    pub fn is_sdk(&self, file: &Path) -> bool {
        let absolute = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        let mut visited: Vec<PathBuf> = Vec::new();
        let mut answer = false;
        let mut dir = absolute.parent();
        while let Some(current) = dir {
            if let Some(known) = self.lock().get(current).copied() {
                answer = known;
                break;
            }
            visited.push(current.to_path_buf());
            if let Some(name) = package_name(current) {
                answer = SDK_PACKAGES.contains(&name.as_str());
                break;
            }
            // A repository's root ends the search: manifests above it
            // belong to something else.
            if current.join(".git").exists() {
                break;
            }
            dir = current.parent();
        }
        let mut cache = self.lock();
        for dir in visited {
            cache.insert(dir, answer);
        }
        answer
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, bool>> {
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The package name a directory's manifest declares: package.json `name`,
/// pyproject.toml `[project] name` (or Poetry's), Cargo.toml `[package] name`.
fn package_name(dir: &Path) -> Option<String> {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).ok();
    if let Some(text) = read("package.json")
        && let Ok(value) = serde_json::from_str::<serde_json::Value>(&text)
        && let Some(name) = value.get("name").and_then(|n| n.as_str())
    {
        return Some(name.to_string());
    }
    let toml_name = |text: &str, tables: &[&[&str]]| -> Option<String> {
        let value: toml::Value = toml::from_str(text).ok()?;
        tables.iter().find_map(|path| {
            let mut node = &value;
            for key in *path {
                node = node.get(key)?;
            }
            node.as_str().map(str::to_string)
        })
    };
    if let Some(text) = read("pyproject.toml")
        && let Some(name) = toml_name(&text, &[&["project", "name"], &["tool", "poetry", "name"]])
    {
        return Some(name);
    }
    if let Some(text) = read("Cargo.toml")
        && let Some(name) = toml_name(&text, &[&["package", "name"]])
    {
        return Some(name);
    }
    None
}

/// The role of a finding at `span`: test for code inside a Rust
/// `#[cfg(test)]` module, else the file's.
pub fn at(file_role: Role, facts: Option<&FileFacts>, span: Span) -> Role {
    let in_test_module = facts.is_some_and(|f| {
        f.test_spans
            .iter()
            .any(|s| s.start <= span.start && span.start < s.end)
    });
    if in_test_module {
        Role::Test
    } else {
        file_role
    }
}

#[cfg(test)]
mod tests;
