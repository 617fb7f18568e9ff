//! MCP client code as a root of the taint analysis. A client trusts what a
//! server sends it: the server's OAuth metadata (`authorization_endpoint`,
//! `token_endpoint`, `registration_endpoint`), tool results, resource
//! contents, prompts, the sampling and elicitation requests it makes. When
//! such a value reaches a shell, a program, a file path, `eval` or the
//! desktop's opener (CVE-2025-6514: mcp-remote passed the server's
//! `authorization_endpoint` to `open()`), the sink rules report it, naming
//! the value.
//!
//! Two kinds of roots, both only in client code (`is_client_code`: files
//! whose role is `Client`, and examples or an SDK's own files that use the
//! client API), and both catalog data (`[[server-value]]`,
//! `[[server-callback]]`):
//! - functions the SDK calls with a server's value: an OAuth provider's
//!   `redirectToAuthorization(url)` / `redirect_handler(url)`, a handler
//!   registered for sampling or elicitation requests, a callback passed as
//!   `sampling_callback=`;
//! - functions that call the client API for a value (`client.callTool(…)`,
//!   `session.read_resource(…)`, `discoverAuthorizationServerMetadata(…)`),
//!   replayed with the engine's server-value sources on.
//!
//! Calls into other functions are followed as for tool handlers (their
//! summaries are shared). A server's URL that the client fetches (its
//! token endpoint) is the protocol at work, not a finding; a URL handed to
//! the desktop's opener is one, reported as a shell-class sink (MCL201):
//! the opener launches whatever the URL names, and on Windows the `open`
//! package passed it through PowerShell (CVE-2025-6514).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::engine::{Analyzer, Origin, SCHEME_CHECKED, SinkHit, Step, Taint};
use super::project::{FnRef, Project};
use super::{SinkClass, is_framework_param};
use crate::facts::{Call, Expr, FileFacts, Value};
use crate::roles::Role;

/// A call whose result the client received from the server.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ServerValue {
    /// What the value is, as findings name it: "a tool result from the server".
    pub what: String,
    /// Functions, as written or canonical, or by their last segment:
    /// `discoverAuthorizationServerMetadata`, `OAuthMetadata.model_validate_json`.
    #[serde(default)]
    pub callees: Vec<String>,
    /// Methods on any receiver: `callTool` of `client.callTool(…)`.
    #[serde(default)]
    pub methods: Vec<String>,
    /// The SDK admits only `http:` / `https:` URLs in this value (the Python
    /// SDK's `AnyHttpUrl` fields): a desktop opener given it opens a web page.
    #[serde(default)]
    pub scheme_checked: bool,
}

impl ServerValue {
    pub fn matches(&self, call: &Call, canonical: &str) -> bool {
        let has_receiver = call.receiver.is_some() || call.callee.contains(['.', ':']);
        if has_receiver
            && self.methods.iter().any(|m| m == call.method())
            && client_receiver(call.receiver())
        {
            return true;
        }
        self.callees.iter().any(|c| {
            [call.callee.as_str(), canonical].iter().any(|written| {
                *written == c
                    || written
                        .strip_suffix(c.as_str())
                        .is_some_and(|head| head.ends_with('.'))
            })
        })
    }
}

/// Is the receiver of `x.call_tool(…)` an MCP client? Method names such as
/// `get_prompt` and `callTool` are common on other objects (an eval task's
/// `task.get_prompt()`), so the receiver must be named like a client or
/// session (`session`, `self._session`, `mcpClient`, `conn`), or be an
/// expression the name says nothing of (`(await connect()).callTool`).
fn client_receiver(receiver: Option<&str>) -> bool {
    let Some(receiver) = receiver else {
        return true;
    };
    let last = receiver
        .rsplit(['.', ':'])
        .next()
        .unwrap_or(receiver)
        .to_ascii_lowercase();
    last.contains("<expr>")
        || [
            "session",
            "client",
            "mcp",
            "conn",
            "connection",
            "server",
            "upstream",
            "remote",
        ]
        .iter()
        .any(|word| last.contains(word))
}

/// A function the client hands to the SDK, which calls it with a server's
/// value: its parameters (but a context or `self`) are that value.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ServerCallback {
    /// What the parameters hold, as findings name it.
    pub what: String,
    /// Passed as this keyword argument: `OAuthClientProvider(…,
    /// redirect_handler=open_browser)`, `ClientSession(…, sampling_callback=f)`.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// A method defined with this name in client code: the provider's
    /// `redirectToAuthorization(authorizationUrl)`.
    #[serde(default)]
    pub methods: Vec<String>,
    /// Registered through one of these methods (`client.setRequestHandler`)
    /// for one of `requests` (its first argument: a schema's name or a
    /// method string); the handler is the second argument.
    #[serde(default)]
    pub registrars: Vec<String>,
    #[serde(default)]
    pub requests: Vec<String>,
    /// As `ServerValue::scheme_checked`.
    #[serde(default)]
    pub scheme_checked: bool,
}

/// A function analysed as client code: the parameters that hold a
/// server's value (with what they are), and whether its calls receive some.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientRoot {
    pub file: usize,
    pub function: usize,
    /// (parameter index, what it holds, its URL scheme is known to be a web one).
    pub params: Vec<(usize, String, bool)>,
}

/// The sinks a client root's server values reach.
#[derive(Debug)]
pub struct ClientResult {
    pub root: ClientRoot,
    pub hits: Vec<SinkHit>,
}

/// How the findings describe a desktop opener's argument.
pub const OPENER_ROLE: &str = "the target the desktop's opener launches (xdg-open, open, start)";

/// Is a file MCP client code: its role is `Client`, or it is an example or
/// an SDK's own file that uses the client API (examples are copied into
/// clients; an SDK's client ships to every user). Tests are not.
pub fn is_client_code(role: Role, facts: &FileFacts, text: &str) -> bool {
    match role {
        Role::Client => true,
        Role::Example | Role::Sdk => crate::roles::is_client(facts.language, text, Some(facts)),
        _ => false,
    }
}

/// Does a file hold something a client root starts from? The scan keeps
/// such a client file with the project, so that flows follow its calls
/// into other modules.
pub fn wanted(facts: &FileFacts) -> bool {
    let catalog = super::catalog::for_language(facts.language);
    facts.calls.iter().any(|call| {
        catalog
            .server_values
            .iter()
            .any(|v| v.matches(call, &call.callee))
            || catalog.server_callbacks.iter().any(|c| {
                c.registrars.iter().any(|r| r == call.method())
                    || call
                        .args
                        .iter()
                        .any(|a| a.name.as_ref().is_some_and(|n| c.keywords.contains(n)))
            })
    }) || facts.functions.iter().any(|f| {
        let name = last_segment(f.name.as_deref().unwrap_or(""));
        catalog
            .server_callbacks
            .iter()
            .any(|c| c.methods.iter().any(|m| m == name))
    })
}

/// The client roots of the project, each function once.
pub fn roots(project: &Project<'_>) -> Vec<ClientRoot> {
    let mut found: BTreeMap<FnRef, Vec<(usize, String, bool)>> = BTreeMap::new();
    for (file, unit) in project.files.iter().enumerate() {
        if !is_client_code(unit.role, unit.facts, unit.text) {
            continue;
        }
        let facts = unit.facts;
        let catalog = project.catalog(facts.language);
        for callback in &catalog.server_callbacks {
            // `redirectToAuthorization(authorizationUrl) { … }`
            for (index, function) in facts.functions.iter().enumerate() {
                let name = last_segment(function.name.as_deref().unwrap_or(""));
                if callback.methods.iter().any(|m| m == name) {
                    add_params(&mut found, project, (file, index), callback);
                }
            }
            for call in &facts.calls {
                // `OAuthClientProvider(…, redirect_handler=handle_redirect)`
                for arg in &call.args {
                    if arg
                        .name
                        .as_ref()
                        .is_some_and(|n| callback.keywords.contains(n))
                        && let Some(target) = function_of(project, file, &arg.value)
                    {
                        add_params(&mut found, project, target, callback);
                    }
                }
                // `client.setRequestHandler(CreateMessageRequestSchema, async (request) => …)`
                if callback.registrars.iter().any(|r| r == call.method()) {
                    let mut positional = call.positional();
                    let (Some(request), Some(handler)) = (positional.next(), positional.next())
                    else {
                        continue;
                    };
                    let named = match &request.value {
                        Value::Str(s) => Some(s.as_str()),
                        Value::Name(n) => Some(last_segment(n)),
                        _ => None,
                    };
                    if named.is_some_and(|n| callback.requests.iter().any(|r| r == n))
                        && let Some(target) = function_of(project, file, handler)
                    {
                        add_params(&mut found, project, target, callback);
                    }
                }
            }
        }
        // A function that asks the server for a value: the outermost one
        // around the call (its closures are replayed with it).
        for call in &facts.calls {
            if !catalog
                .server_values
                .iter()
                .any(|v| v.matches(call, &call.callee))
            {
                continue;
            }
            let outermost = facts
                .functions
                .iter()
                .enumerate()
                .filter(|(_, f)| f.span.start <= call.span.start && call.span.end <= f.span.end)
                .max_by_key(|(_, f)| f.span.len());
            if let Some((index, _)) = outermost {
                found.entry((file, index)).or_default();
            }
        }
    }
    found
        .into_iter()
        .map(|((file, function), mut params)| {
            params.sort();
            params.dedup_by_key(|(index, _, _)| *index);
            ClientRoot {
                file,
                function,
                params,
            }
        })
        .collect()
}

/// Every parameter of a callback but a context, `self` or the like.
fn add_params(
    found: &mut BTreeMap<FnRef, Vec<(usize, String, bool)>>,
    project: &Project<'_>,
    target: FnRef,
    callback: &ServerCallback,
) {
    let Some(function) = project
        .files
        .get(target.0)
        .and_then(|f| f.facts.functions.get(target.1))
    else {
        return;
    };
    let entry = found.entry(target).or_default();
    for (index, name) in function.params.iter().enumerate() {
        if is_framework_param(name) || name == "_" {
            continue;
        }
        entry.push((index, callback.what.clone(), callback.scheme_checked));
    }
}

/// The function a callback argument names or defines in place.
fn function_of(project: &Project<'_>, file: usize, value: &Expr) -> Option<FnRef> {
    match &value.value {
        Value::Name(name) => project.resolve(file, name),
        Value::Function => project
            .files
            .get(file)?
            .facts
            .functions
            .iter()
            .position(|f| f.span == value.span)
            .map(|index| (file, index)),
        _ => None,
    }
}

fn last_segment(name: &str) -> &str {
    name.rsplit(['.', ':']).next().unwrap_or(name)
}

/// Analyses one client root: its server values and the sinks they reach,
/// as the sink rules report them.
pub fn analyze(project: &Project<'_>, root: &ClientRoot) -> ClientResult {
    let mut result = ClientResult {
        root: root.clone(),
        hits: Vec::new(),
    };
    let Some(facts) = project.files.get(root.file).map(|f| f.facts) else {
        return result;
    };
    let Some(function) = facts.functions.get(root.function) else {
        return result;
    };
    let tainted: Vec<(String, Taint)> = root
        .params
        .iter()
        .filter_map(|(index, what, scheme_checked)| {
            let name = function.params.get(*index)?;
            let step = Step {
                file: root.file,
                span: function.span,
                message: format!("{what} (parameter `{name}`)"),
            };
            Some((
                name.clone(),
                Taint {
                    origin: Origin::Server { what: what.clone() },
                    steps: vec![step],
                    sanitized: if *scheme_checked { SCHEME_CHECKED } else { 0 },
                    normalized: false,
                    content: None,
                    field: None,
                    composite: false,
                    record: None,
                },
            ))
        })
        .collect();
    let summary = Analyzer::for_client(project).run(root.file, function, tainted);
    let mut seen = std::collections::HashSet::new();
    result.hits = summary
        .hits
        .into_iter()
        .filter_map(as_client_hit)
        .filter(|h| seen.insert((h.file, h.span, h.class)))
        .collect();
    result.hits.sort_by_key(|h| (h.file, h.span.start, h.class));
    result
}

/// A hit of a server's value as the sink rules report it: a URL the client
/// requests is the protocol at work (dropped); one handed to the desktop's
/// opener, unless its scheme was checked, is a shell-class sink.
fn as_client_hit(mut hit: SinkHit) -> Option<SinkHit> {
    if !matches!(hit.taint.origin, Origin::Server { .. }) {
        return None;
    }
    if hit.opener {
        if hit.taint.sanitized & SCHEME_CHECKED != 0 {
            return None;
        }
        hit.class = SinkClass::Shell;
        hit.role = OPENER_ROLE.to_string();
        return Some(hit);
    }
    (hit.class != SinkClass::Url).then_some(hit)
}

/// What a server's value is, for a finding's message: "`authorization_endpoint`
/// of the server's OAuth metadata" when an endpoint or URL member of it was
/// read, else what the source says.
pub fn describe(taint: &Taint) -> String {
    let Origin::Server { what } = &taint.origin else {
        return String::new();
    };
    let member = taint.field.as_deref().and_then(|path| {
        path.split('.').find(|m| {
            m.ends_with("_endpoint")
                || m.ends_with("_uri")
                || m.ends_with("_url")
                || m.ends_with("Endpoint")
                || *m == "issuer"
        })
    });
    match member {
        Some(member) => format!("`{}` of {what}", member.escape_debug()),
        None => what.clone(),
    }
}

#[cfg(test)]
mod tests;
