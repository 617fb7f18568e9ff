//! MCL105 token-passthrough: the bearer token (or the whole headers) of the
//! incoming MCP request sent on to an upstream API. The MCP authorization
//! spec forbids it: the token was issued for this server, and a server that
//! forwards it lets the upstream accept a token meant for someone else and
//! acts for the caller without checks of its own (a confused deputy).

use std::collections::HashMap;

use super::credential_flow::{self, Flow, Frame, Held, Mode, Visitor, Walker};
use super::go_credentials;
use super::{CODE_LANGUAGES, FileContext, Rule, RuleMeta, owasp, secret_logged, words};
use crate::facts::{Call, Expr, Language, Value};
use crate::finding::{Diagnostic, Level, Span};

pub struct TokenPassthrough;

static META: RuleMeta = RuleMeta {
    code: "MCL105",
    name: "token-passthrough",
    level: Level::Error,
    cwe: Some(441),
    owasp: Some(owasp::MCP01),
    languages: CODE_LANGUAGES,
    summary: "the caller's bearer token or Authorization header is forwarded to an upstream API",
    doc: include_str!("../../rules/MCL105-token-passthrough.md"),
    opt_in: false,
    // Every source names the header, the SDK's auth record, or the request's
    // headers.
    triggers: &[
        "authorization",
        "authInfo",
        "auth_info",
        "get_access_token",
        "CurrentAccessToken",
        "get_http_headers",
        "CurrentHeaders",
        "req.headers",
        "request.headers",
        "requestInfo",
        "HeaderMap",
        "Authorization<Bearer",
    ],
    prefilter: None,
    roles: crate::roles::SERVER_SIDE,
};

const HELP: &str = "the MCP authorization spec forbids token passthrough: the token was issued for this server, not for the upstream API. Call the upstream with the server's own credentials, or exchange the caller's token for one issued to the upstream (OAuth 2.0 Token Exchange, RFC 8693, or an on-behalf-of flow). Checking the token at the authorization server's introspection or userinfo endpoint is fine: do it in the token verifier";

/// Keyword arguments and option keys that carry request headers or
/// credentials to any client: `headers=`, `{ headers }`, `{ auth }`.
const HEADER_SLOTS: &[&str] = &[
    "headers",
    "Headers",
    "auth",
    "default_headers",
    "defaultHeaders",
    "extra_headers",
    "extraHeaders",
    "additional_headers",
    "authorization",
    "Authorization",
];

/// Credential keywords of client constructors: `Github(login_or_token=…)`,
/// `WebClient(token=…)`, `new Client({ auth })`, `OpenAI(api_key=…)`.
const CREDENTIAL_SLOTS: &[&str] = &[
    "token",
    "access_token",
    "accessToken",
    "api_key",
    "apiKey",
    "apikey",
    "auth_token",
    "authToken",
    "bearer_token",
    "bearerToken",
    "oauth_token",
    "login_or_token",
    "credentials",
    "personal_access_token",
];

/// Option keys that hold nested request options: `{ requestInit: { headers } }`.
const NESTED_OPTIONS: &[&str] = &[
    "requestInit",
    "fetchOptions",
    "init",
    "options",
    "config",
    "request",
    "httpOptions",
    "defaults",
    "common",
];

/// Calls that send a request and take options as a later argument.
const HTTP_CALLS: &[&str] = &[
    "fetch",
    "axios",
    "got",
    "ky",
    "request",
    "undici",
    "superagent",
    "ofetch",
    "$fetch",
    "needle",
];

/// Words of a function or call that verifies a token rather than uses it.
const VERIFYING: &[&str] = &[
    "verify",
    "verifier",
    "validate",
    "validator",
    "validation",
    "introspect",
    "introspection",
    "authenticate",
    "authenticator",
    "userinfo",
    "tokeninfo",
];

/// URL fragments of the endpoints that validate a token.
const VERIFYING_URLS: &[&str] = &[
    "introspect",
    "userinfo",
    "user_info",
    "tokeninfo",
    "token_info",
    "/verify",
    "validate",
    "jwks",
];

impl Rule for TokenPassthrough {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        // The anti-pattern is the MCP spec's: a reverse proxy or an API
        // gateway that is not an MCP server forwards credentials by design.
        if !crate::frontend::mentions_sdk(ctx.text) {
            return;
        }
        let mode = Mode {
            secrets: false,
            slices_keep: true,
        };
        let oauth_proxy = uses_oauth_proxy(ctx);
        let mut walker = Walker::new(ctx.project, mode);
        let mut sinks = Sinks {
            hits: Vec::new(),
            helpers: HashMap::new(),
        };
        walker.run_file(ctx.file_index, &mut sinks);
        let mut seen = Vec::new();
        for hit in sinks.hits {
            // Behind fastmcp's OAuth proxy, `get_access_token()` holds the
            // upstream provider's token, which the server obtained itself:
            // the client never sent it, so nothing passes through.
            if seen.contains(&hit.at) || oauth_proxy && hit.flow.from_record {
                continue;
            }
            seen.push(hit.at);
            out.push(diagnostic(ctx, &hit));
        }
    }
}

/// Does the project protect its server with an OAuth proxy (fastmcp's
/// `OAuthProxy`, `OIDCProxy` and the providers built on them:
/// `GitHubProvider`, `GoogleProvider`, `AzureProvider`…)? Token verifiers
/// (`JWTVerifier`, `RemoteAuthProvider`, `IntrospectionTokenVerifier`) are
/// not: with them the SDK's token is the one the client sent.
fn uses_oauth_proxy(ctx: &FileContext<'_>) -> bool {
    ctx.project.files.iter().any(|file| {
        file.facts.imports.iter().any(|import| {
            let name = import.name.as_deref().unwrap_or("");
            import.module.starts_with("fastmcp.server.auth")
                && (name.ends_with("Proxy")
                    || name.ends_with("Provider")
                        && name != "RemoteAuthProvider"
                        && name != "AuthProvider")
        })
    })
}

/// Where the caller's credential leaves, and what led there.
#[derive(Debug, Clone)]
struct Hit {
    /// The call (or assignment) in the analysed file that sends it.
    at: Span,
    /// The argument carrying it.
    slot: Span,
    /// `httpx.AsyncClient`, `fetch`, `….bearer_auth`.
    sink: String,
    flow: Flow,
    /// Through a project function: its name and the line of the sink inside it.
    via: Option<(String, usize, usize)>,
    /// Set on the default headers of a client or request object
    /// (`session.headers[...] = token`) rather than passed to a call.
    assigned: bool,
}

struct Sinks {
    hits: Vec<Hit>,
    /// Does parameter `i` of a project function reach a sink when it holds `Held`?
    helpers: HashMap<(usize, usize, usize, u8), Option<Hit>>,
}

fn verifies(name: &str) -> bool {
    words(name).iter().any(|w| VERIFYING.contains(&w.as_str()))
}

impl Sinks {
    /// Is the call inside a function that verifies tokens (`verify_token`,
    /// `verifyAccessToken`, `authenticate`)?
    fn in_verifier(walker: &Walker<'_, '_>, file: usize, span: Span) -> bool {
        let facts = walker.facts(file);
        facts
            .enclosing_functions(span)
            .into_iter()
            .filter_map(|i| facts.functions.get(i))
            .any(|f| f.name.as_deref().is_some_and(verifies))
    }

    /// The credential-carrying values a call sends, with what it is.
    fn slots<'c>(walker: &mut Walker<'_, '_>, frame: &Frame, call: &'c Call) -> Vec<&'c Expr> {
        let facts = walker.facts(frame.file);
        let language = facts.language;
        let method = call.method();
        let mut out = Vec::new();
        // JavaScript's `new Request(url, { headers })` makes a value (a
        // server re-dispatching its own request builds one); the credential
        // leaves where that value is fetched: `fetch(new Request(…))` below.
        if js_request(language, call) {
            return out;
        }
        let constructor = is_constructor(call);
        let outbound = constructor || outbound(call);
        for arg in call.args.iter().filter(|_| outbound) {
            if let Some(name) = arg.name.as_deref()
                && (HEADER_SLOTS.contains(&name) || constructor && CREDENTIAL_SLOTS.contains(&name))
            {
                out.push(&arg.value);
            }
        }
        let http_call = HTTP_CALLS.contains(&call.callee.split('.').next().unwrap_or(""))
            || HTTP_CALLS.contains(&method)
            || call.callee.starts_with("axios")
            || call.callee.starts_with("got.")
            || call.callee.starts_with("ky.");
        for (index, arg) in call.positional().enumerate().filter(|_| outbound) {
            match &arg.value {
                Value::Object(_) => object_slots(arg, constructor, 0, &mut out),
                Value::Call(inner) if http_call && js_request(language, inner) => {
                    for init in inner.positional() {
                        object_slots(init, false, 0, &mut out);
                    }
                }
                Value::Name(_) | Value::Call(_) | Value::Member(..)
                    if (index > 0 && http_call) || constructor =>
                {
                    out.push(arg);
                }
                _ => {}
            }
        }
        // Request builders: reqwest `.bearer_auth(t)`, `.header(AUTHORIZATION, v)`,
        // `.headers(map)`; superagent `.set("Authorization", v)`.
        if (call.receiver.is_some() || language == Language::Rust) && !chain_is_response(call) {
            let args: Vec<&Expr> = call.positional().collect();
            let builder_slot = match method {
                "bearer_auth" | "headers" | "default_headers" => args.first().copied(),
                "basic_auth" => args.get(1).copied(),
                "header" | "set" if args.len() == 2 => args.get(1).copied(),
                _ => None,
            };
            out.extend(builder_slot);
        }
        // Go: `out.Header.Set("Authorization", v)` on a request being built
        // (not the incoming request itself), `http.Header{"Authorization": …}`.
        if language == Language::Go {
            if let Some((owner, value)) = go_credentials::header_slot(call) {
                let incoming = walker
                    .eval(
                        frame,
                        &Expr {
                            span: call.callee_span,
                            value: Value::Name(owner.to_string()),
                        },
                    )
                    .is_some_and(|f| f.held == Held::Request);
                if !incoming {
                    out.push(value);
                }
            }
            out.extend(go_credentials::header_literal(call));
        }
        // `session.headers.update(h)`, `request.headers.update(h)`: the default
        // headers of a client or an outgoing request object.
        if let Some(receiver) = call.receiver()
            && receiver.ends_with(".headers")
            && matches!(method, "update" | "set" | "append" | "add" | "insert")
            && !frame.is_local_object(receiver.split('.').next().unwrap_or(""))
            && language != Language::Rust
        {
            out.extend(call.positional().last());
        }
        out
    }
}

/// `new Request(…)` in JavaScript: a request object, not yet sent.
fn js_request(language: Language, call: &Call) -> bool {
    matches!(
        language,
        Language::JavaScript | Language::TypeScript | Language::Tsx
    ) && call.receiver.is_none()
        && call.callee == "Request"
}

/// Values under header or credential keys of an options object, nested
/// option objects included.
fn object_slots<'c>(object: &'c Expr, constructor: bool, depth: usize, out: &mut Vec<&'c Expr>) {
    let Value::Object(pairs) = &object.value else {
        return;
    };
    for (key, value) in pairs {
        if HEADER_SLOTS.contains(&key.as_str())
            || constructor && CREDENTIAL_SLOTS.contains(&key.as_str())
        {
            out.push(value);
        } else if depth < 3 && NESTED_OPTIONS.contains(&key.as_str()) {
            object_slots(value, constructor, depth + 1, out);
        }
    }
}

/// Words of a callee that sends requests or makes a client that does:
/// `httpx.AsyncClient`, `create_mcp_http_client`, `new Octokit`,
/// `StreamableHTTPClientTransport`, `requests.Session`.
const OUTBOUND_WORDS: &[&str] = &[
    "client",
    "session",
    "http",
    "https",
    "httpx",
    "api",
    "fetch",
    "fetcher",
    "request",
    "requests",
    "requester",
    "connection",
    "connect",
    "sdk",
    "graphql",
    "gql",
    "rest",
    "octokit",
    "github",
    "gitlab",
    "bitbucket",
    "jira",
    "confluence",
    "atlassian",
    "linear",
    "notion",
    "slack",
    "stripe",
    "openai",
    "anthropic",
    "hubspot",
    "salesforce",
    "shopify",
    "twilio",
    "sendgrid",
    "discord",
    "spotify",
    "dropbox",
    "figma",
    "asana",
    "trello",
    "airtable",
    "supabase",
    "firebase",
    "apollo",
    "axios",
    "upstream",
    "proxy",
    "remote",
    "downstream",
];

/// HTTP verbs and request methods of clients: `client.get(...)`, `session.request(...)`.
const REQUEST_METHODS: &[&str] = &[
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "head",
    "options",
    "request",
    "fetch",
    "send",
    "stream",
    "build_request",
    "urlopen",
    "Request",
    "create",
    "createClient",
    "create_client",
    "graphql",
    "call_api",
    "invoke",
];

/// Does this call send a request, or make a client or request that will?
fn outbound(call: &Call) -> bool {
    let method = call.method();
    if REQUEST_METHODS.contains(&method)
        || HTTP_CALLS.contains(&call.callee.split('.').next().unwrap_or(""))
    {
        return true;
    }
    // The callee's own name, without its receiver: `self.httpx_client_factory`
    // → httpx, client, factory.
    outbound_name(method)
}

/// Does a name hold an outbound word (`HTTPClient` is one word to `words`)?
fn outbound_name(name: &str) -> bool {
    words(name).iter().any(|word| {
        OUTBOUND_WORDS
            .iter()
            .any(|w| word == w || w.len() >= 4 && word.contains(w))
    })
}

/// `Octokit(...)`, `WebClient(...)`, `httpx.AsyncClient(...)`,
/// `reqwest::Client::builder()`: a capitalised callee.
fn is_constructor(call: &Call) -> bool {
    let segments: Vec<&str> = call
        .callee
        .split(['.', ':'])
        .filter(|s| !s.is_empty())
        .collect();
    let name = match segments.as_slice() {
        [.., ty, "new" | "builder" | "with_token" | "from_token"] => *ty,
        [.., last] => *last,
        [] => return false,
    };
    name.starts_with(|c: char| c.is_ascii_uppercase()) && outbound_name(name)
}

/// Is a builder chain building a response (`Response::builder().header(…)`)
/// or answering the client (`res.set(…)`, `reply.header(…)`)?
fn chain_is_response(call: &Call) -> bool {
    let mut current = call;
    while let Some(Value::Call(inner)) = current.receiver.as_deref().map(|r| &r.value) {
        current = inner;
    }
    words(&current.callee).iter().any(|w| {
        matches!(
            w.as_str(),
            "response" | "res" | "reply" | "resp" | "ctx" | "context"
        )
    })
}

/// The URL a call (or the request builder chain it ends) goes to, as text:
/// its literal, the name of the variable holding it, and that variable's
/// literal value.
fn url_text(walker: &Walker<'_, '_>, file: usize, call: &Call) -> String {
    let facts = walker.facts(file);
    let mut text = String::new();
    let mut current = Some(call);
    while let Some(c) = current {
        if let Some(url) = c
            .keyword("url")
            .or_else(|| c.keyword("base_url"))
            .or_else(|| c.keyword("baseURL"))
            .or_else(|| c.positional().next())
        {
            text.push_str(walker.source(file, url.span));
            if let Some((resolved, _)) = facts.string_of(url) {
                text.push(' ');
                text.push_str(&resolved);
            }
            text.push(' ');
        }
        current = match c.receiver.as_deref().map(|r| &r.value) {
            Some(Value::Call(inner)) => Some(inner),
            _ => None,
        };
    }
    text.to_ascii_lowercase()
}

fn forwards(flow: &Flow) -> bool {
    matches!(flow.root, Held::Token | Held::Headers | Held::AuthInfo)
        && matches!(
            flow.held,
            Held::Token | Held::Headers | Held::AuthInfo | Held::Carrier
        )
}

impl Visitor for Sinks {
    fn call(&mut self, walker: &mut Walker<'_, '_>, frame: &Frame, call: &Call) {
        let file = frame.file;
        let language = walker.facts(file).language;

        if secret_logged::is_logger(call, language) || Sinks::in_verifier(walker, file, call.span) {
            return;
        }
        if verifies(call.method()) {
            return;
        }
        // A project function given the token: does it send it on?
        if let Some(target) = walker.project.resolve(file, &call.callee) {
            if walker.stack.contains(&target) {
                return;
            }
            let Some(function) = walker.facts(target.0).functions.get(target.1) else {
                return;
            };
            if function.name.as_deref().is_some_and(verifies) {
                return;
            }
            let params = function.params.clone();
            let name = function.name.clone().unwrap_or_default();
            let offset = usize::from(
                params
                    .first()
                    .is_some_and(|p| matches!(p.as_str(), "self" | "cls")),
            );
            for (index, arg) in call.args.iter().enumerate() {
                let Some(flow) = walker.eval(frame, &arg.value).filter(forwards) else {
                    continue;
                };
                let param = match &arg.name {
                    Some(n) => params.iter().position(|p| p == n),
                    None => Some(index + offset),
                };
                let Some(param) = param.filter(|p| *p < params.len()) else {
                    continue;
                };
                let key = (target.0, target.1, param, flow.held as u8);
                let inner = match self.helpers.get(&key) {
                    Some(found) => found.clone(),
                    None => {
                        let mut nested = Sinks {
                            hits: Vec::new(),
                            helpers: std::mem::take(&mut self.helpers),
                        };
                        let seed = (params[param].clone(), flow.clone());
                        walker.run_function(target.0, target.1, vec![seed], &mut nested);
                        self.helpers = nested.helpers;
                        let found = nested.hits.into_iter().next();
                        self.helpers.insert(key, found.clone());
                        found
                    }
                };
                if let Some(inner) = inner {
                    let line = line_of(walker.text(target.0), inner.at.start);
                    self.hits.push(Hit {
                        at: call.span,
                        slot: arg.value.span,
                        sink: inner.sink.clone(),
                        flow,
                        via: Some((name.clone(), target.0, line)),
                        assigned: false,
                    });
                    return;
                }
            }
            return;
        }
        for slot in Sinks::slots(walker, frame, call) {
            let Some(flow) = walker.eval(frame, slot).filter(forwards) else {
                continue;
            };
            let url = url_text(walker, file, call);
            if VERIFYING_URLS.iter().any(|u| url.contains(u)) {
                return;
            }
            self.hits.push(Hit {
                at: call.span,
                slot: slot.span,
                sink: call.callee.replace("<expr>", "…"),
                flow,
                via: None,
                assigned: false,
            });
            return;
        }
    }

    /// `client.headers["Authorization"] = token`,
    /// `axios.defaults.headers.common.Authorization = token`.
    fn assign(
        &mut self,
        walker: &mut Walker<'_, '_>,
        frame: &Frame,
        target: &str,
        flow: &Flow,
        span: Span,
    ) {
        if !forwards(flow) || Sinks::in_verifier(walker, frame.file, span) {
            return;
        }
        let segments: Vec<&str> = target.split('.').collect();
        let Some(at) = segments.iter().position(|s| *s == "headers") else {
            return;
        };
        if at == 0
            || frame.is_local_object(segments[0])
            || credential_flow::request_like(segments[at - 1]) && flow.root == Held::Headers
        {
            return;
        }
        self.hits.push(Hit {
            at: span,
            slot: span,
            sink: segments[..=at].join("."),
            flow: flow.clone(),
            via: None,
            assigned: true,
        });
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(0, |t| t.bytes().filter(|b| *b == b'\n').count())
        + 1
}

fn diagnostic(ctx: &FileContext<'_>, hit: &Hit) -> Diagnostic {
    let source = match hit.flow.root {
        Held::Headers => format!(
            "the caller's request headers (`{}`), Authorization included,",
            hit.flow.what
        ),
        Held::AuthInfo => format!("the caller's access token (`{}`)", hit.flow.what),
        _ => format!("the caller's bearer token (`{}`)", hit.flow.what),
    };
    let verb = if hit.flow.root == Held::Headers {
        "are"
    } else {
        "is"
    };
    let message = match &hit.via {
        Some((helper, file, line)) => {
            let place = if *file == ctx.file_index {
                format!("line {line}")
            } else {
                let path = ctx.project.files[*file].path;
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                format!("{name}:{line}")
            };
            let them = if hit.flow.root == Held::Headers {
                "them"
            } else {
                "it"
            };
            format!(
                "{source} {verb} passed to `{helper}()`, which forwards {them} upstream with `{}()` ({place})",
                hit.sink
            )
        }
        None if hit.assigned => {
            format!("{source} {verb} set on the outgoing headers `{}`", hit.sink)
        }
        None => format!("{source} {verb} forwarded upstream with `{}()`", hit.sink),
    };
    let mut diagnostic = Diagnostic::new(hit.at, message).with_help(HELP);
    if hit.flow.origin.end <= ctx.text.len()
        && !(hit.flow.origin.start <= hit.at.start && hit.at.end <= hit.flow.origin.end)
    {
        diagnostic = diagnostic.with_label(hit.flow.origin, "read from the incoming request here");
    }
    if hit.slot != hit.at {
        diagnostic = diagnostic.with_label(hit.slot, "sent to the upstream API here");
    }
    diagnostic
}
