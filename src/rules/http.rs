//! What the HTTP-exposure rules (MCL101, MCL103, MCL104) share: the MCP
//! endpoints a file serves over HTTP, where it listens, and the evidence of
//! authentication and Host/Origin validation around them — all computed from
//! the facts, with the names to look for kept in `rules/catalog/http.toml`.

use std::sync::OnceLock;

use serde::Deserialize;

use super::FileContext;
use crate::facts::{Call, Expr, FileFacts, Language, Transport, TransportUse, Value};
use crate::finding::Span;

/// Names per language in a rule catalog (`[auth]`, `[logging]`…), with the
/// modules whose imports count as the thing itself.
#[derive(Debug, Default, Deserialize)]
pub(super) struct PerLanguage {
    #[serde(default)]
    pub(super) python: Vec<String>,
    #[serde(default)]
    pub(super) typescript: Vec<String>,
    #[serde(default)]
    pub(super) rust: Vec<String>,
    #[serde(default)]
    pub(super) go: Vec<String>,
    #[serde(default)]
    pub(super) modules: Vec<String>,
}

impl PerLanguage {
    pub(super) fn for_language(&self, language: Language) -> &[String] {
        match language {
            Language::Python => &self.python,
            Language::TypeScript | Language::Tsx | Language::JavaScript => &self.typescript,
            Language::Rust => &self.rust,
            Language::Go => &self.go,
            _ => &[],
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Catalog {
    #[serde(default)]
    auth: PerLanguage,
    #[serde(default)]
    host_validation: PerLanguage,
}

const CATALOG_TEXT: &str = include_str!("../../rules/catalog/http.toml");

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    // Embedded and covered by a test; were it invalid, rules would find less.
    CATALOG.get_or_init(|| toml::from_str(CATALOG_TEXT).unwrap_or_default())
}

/// The MCP transports a file serves over HTTP (SSE or streamable HTTP).
pub fn http_endpoints(facts: &FileFacts) -> Vec<&TransportUse> {
    facts
        .transports
        .iter()
        .filter(|t| t.transport != Transport::Stdio)
        .collect()
}

pub fn transport_words(transport: Transport) -> &'static str {
    match transport {
        Transport::Sse => "SSE",
        Transport::StreamableHttp => "streamable HTTP",
        Transport::Stdio => "stdio",
    }
}

/// Where a server listens, as far as the file says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bind {
    /// Only loopback addresses (explicitly, or by the framework's default).
    Loopback,
    /// Every interface; the span is the address or the `listen` call.
    Any(Span),
    /// Computed at runtime, or not set in this file.
    Unknown,
}

fn is_loopback_text(value: &str) -> bool {
    let v = value.trim();
    let v = v
        .strip_prefix("http://")
        .or_else(|| v.strip_prefix("https://"))
        .unwrap_or(v);
    v.starts_with("127.")
        || v == "localhost"
        || v.starts_with("localhost:")
        || v == "::1"
        || v.starts_with("[::1]")
}

fn is_any_text(value: &str) -> bool {
    let v = value.trim();
    matches!(v, "0.0.0.0" | "::" | "[::]" | "*" | "")
        || v.starts_with("0.0.0.0:")
        || v.starts_with("[::]:")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Addr {
    Loopback,
    Any(Span),
    Unknown,
}

/// Evaluates an address expression: literals, names bound to them,
/// environment fallbacks, `--host` option defaults, Rust address constructors.
fn address(facts: &FileFacts, expr: &Expr, depth: usize) -> Addr {
    if depth > 4 {
        return Addr::Unknown;
    }
    match &expr.value {
        Value::Str(s) if is_loopback_text(s) => Addr::Loopback,
        Value::Str(s) if is_any_text(s) => Addr::Any(expr.span),
        Value::Template(text, _) if is_loopback_text(text) => Addr::Loopback,
        Value::Template(text, _) if text.starts_with("0.0.0.0") || text.starts_with("[::]") => {
            Addr::Any(expr.span)
        }
        Value::Name(name) => {
            if name.ends_with("LOCALHOST") {
                return Addr::Loopback;
            }
            if name.ends_with("UNSPECIFIED") {
                return Addr::Any(expr.span);
            }
            if let Some(binding) = facts.resolve(name) {
                // A value the frontend keeps as a call fact only (a macro
                // such as `format!`, a `?` expression): evaluate that call.
                if binding.value.value == Value::Other
                    && let Some(call) = facts
                        .calls
                        .iter()
                        .filter(|c| {
                            binding.value.span.start <= c.span.start
                                && c.span.end <= binding.value.span.end
                        })
                        .max_by_key(|c| (c.span.end, std::cmp::Reverse(c.span.start)))
                {
                    return address(
                        facts,
                        &Expr {
                            span: call.span,
                            value: Value::Call(Box::new(call.clone())),
                        },
                        depth + 1,
                    );
                }
                return address(facts, &binding.value, depth + 1);
            }
            // `args.host` → `parser.add_argument("--host", default=…)`
            let last = name.rsplit('.').next().unwrap_or(name);
            let option = format!("--{}", last.replace('_', "-"));
            for call in &facts.calls {
                if call.method() == "add_argument"
                    && call
                        .positional()
                        .any(|a| a.str_value() == Some(option.as_str()))
                    && let Some(default) = call.keyword("default")
                {
                    return address(facts, default, depth + 1);
                }
            }
            Addr::Unknown
        }
        Value::EnvLookup {
            default: Some(default),
            ..
        } => address(facts, default, depth + 1),
        // `ADDR.parse()?`, `&addr`, `await …`
        Value::Op(op, operands) if matches!(op.as_str(), "?" | "&" | "await" | "as") => {
            match operands.first() {
                Some(inner) => address(facts, inner, depth + 1),
                None => Addr::Unknown,
            }
        }
        Value::Call(call) => {
            // `SocketAddr::from(([127, 0, 0, 1], 8080))`, `"127.0.0.1:80".parse()`
            if let Some(receiver) = &call.receiver {
                return address(facts, receiver, depth + 1);
            }
            // `BIND_ADDRESS.parse()`: the receiver is a name path.
            if matches!(call.method(), "parse" | "to_string" | "into" | "to_owned")
                && let Some(receiver) = call.receiver()
            {
                return address(
                    facts,
                    &Expr {
                        span: call.callee_span,
                        value: Value::Name(receiver.to_string()),
                    },
                    depth + 1,
                );
            }
            for arg in call.positional() {
                let found = address(facts, arg, depth + 1);
                if found != Addr::Unknown {
                    return found;
                }
            }
            Addr::Unknown
        }
        Value::Array(items) => {
            let digits: Vec<&str> = items
                .iter()
                .filter_map(|i| match &i.value {
                    Value::Number(n) => Some(n.as_str()),
                    _ => None,
                })
                .collect();
            if digits.len() == 4 {
                return match digits[0] {
                    "127" => Addr::Loopback,
                    "0" if digits.iter().all(|d| *d == "0") => Addr::Any(expr.span),
                    _ => Addr::Unknown,
                };
            }
            match items.first() {
                Some(first) => address(facts, first, depth + 1),
                None => Addr::Unknown,
            }
        }
        _ => Addr::Unknown,
    }
}

/// Is this address expression loopback (`Some(true)`), another address
/// (`Some(false)`), or unknown (`None`)?
pub fn is_loopback(facts: &FileFacts, expr: &Expr) -> Option<bool> {
    match address(facts, expr, 0) {
        Addr::Loopback => Some(true),
        Addr::Any(_) => Some(false),
        Addr::Unknown => None,
    }
}

fn combine(found: impl IntoIterator<Item = Addr>, default: Bind) -> Bind {
    let mut any_unknown = false;
    let mut seen = false;
    for addr in found {
        seen = true;
        match addr {
            Addr::Any(span) => return Bind::Any(span),
            Addr::Unknown => any_unknown = true,
            Addr::Loopback => {}
        }
    }
    if !seen {
        default
    } else if any_unknown {
        Bind::Unknown
    } else {
        Bind::Loopback
    }
}

/// Where the file's server listens.
pub fn bind(facts: &FileFacts) -> Bind {
    match facts.language {
        Language::Python => {
            let mut found = Vec::new();
            for call in &facts.calls {
                if let Some(host) = call.keyword("host") {
                    found.push(address(facts, host, 0));
                }
            }
            for binding in &facts.bindings {
                if binding.name.ends_with("settings.host") {
                    found.push(address(facts, &binding.value, 0));
                }
            }
            // FastMCP, uvicorn, hypercorn and gunicorn listen on 127.0.0.1 by default.
            combine(found, Bind::Loopback)
        }
        Language::TypeScript | Language::Tsx | Language::JavaScript => {
            let mut found = Vec::new();
            for call in &facts.calls {
                match call.method() {
                    "listen" => {
                        let mut args = call.positional();
                        match args.next() {
                            Some(
                                options @ Expr {
                                    value: Value::Object(_),
                                    ..
                                },
                            ) => match options.get("host") {
                                Some(host) => found.push(address(facts, host, 0)),
                                None if is_fastify_listen(facts, call) => {
                                    found.push(Addr::Loopback)
                                }
                                None => found.push(Addr::Any(call.callee_span)),
                            },
                            Some(Expr {
                                value: Value::Str(_) | Value::Template(..),
                                ..
                            }) => found.push(Addr::Loopback), // a Unix socket path
                            Some(_) => match args.next() {
                                Some(Expr {
                                    value: Value::Function,
                                    ..
                                })
                                | None => {
                                    if is_fastify_listen(facts, call) {
                                        found.push(Addr::Loopback)
                                    } else {
                                        found.push(Addr::Any(call.callee_span))
                                    }
                                }
                                Some(host) => found.push(address(facts, host, 0)),
                            },
                            None => found.push(Addr::Any(call.callee_span)),
                        }
                    }
                    "serve" => {
                        if let Some(options) = call.positional().next()
                            && options.get("fetch").is_some()
                        {
                            match options.get("hostname") {
                                Some(host) => found.push(address(facts, host, 0)),
                                None => found.push(Addr::Any(call.callee_span)),
                            }
                        }
                    }
                    _ => {}
                }
            }
            combine(found, Bind::Unknown)
        }
        Language::Rust => {
            let mut found = Vec::new();
            for call in &facts.calls {
                let binds = call.method() == "bind" && call.callee.contains("Listener")
                    || call.callee.ends_with("SseServer::serve")
                    || call.callee.ends_with("Server::bind");
                if binds && let Some(addr) = call.positional().next() {
                    found.push(address(facts, addr, 0));
                }
            }
            combine(found, Bind::Unknown)
        }
        Language::Go => {
            use super::go_listen::{GoAddr, evaluate, listens};
            let found = listens(facts).into_iter().filter_map(|listen| {
                match evaluate(facts, listen.addr, 0) {
                    GoAddr::Loopback => Some(Addr::Loopback),
                    GoAddr::Any(span, _) => Some(Addr::Any(span)),
                    GoAddr::Unknown => listen.certain.then_some(Addr::Unknown),
                }
            });
            combine(found, Bind::Unknown)
        }
        _ => Bind::Unknown,
    }
}

/// Does the file serve HTTP on a Unix domain socket (which no browser can reach)?
pub fn serves_on_unix_socket(facts: &FileFacts) -> bool {
    facts.calls.iter().any(|c| {
        (c.method() == "listen"
            && c.positional()
                .next()
                .is_some_and(|a| matches!(a.value, Value::Str(_) | Value::Template(..))))
            || c.keyword("uds").is_some()
    })
}

fn is_fastify_listen(facts: &FileFacts, call: &Call) -> bool {
    let Some(receiver) = call.receiver() else {
        return false;
    };
    if receiver.to_ascii_lowercase().contains("fastify") {
        return true;
    }
    facts.resolve(receiver).is_some_and(|b| {
        matches!(&b.value.value, Value::Call(c) if c.callee.eq_ignore_ascii_case("fastify")
            || facts.imports.iter().any(|i| i.local == c.callee && i.module == "fastify"))
    })
}

/// Calls the expression is or contains (not nested inside other calls).
fn names_in<'a>(expr: &'a Expr, out: &mut Vec<(&'a str, Span)>) {
    match &expr.value {
        Value::Name(n) => out.push((n, expr.span)),
        Value::Array(items) => items.iter().for_each(|i| names_in(i, out)),
        Value::Object(pairs) => pairs.iter().for_each(|(_, v)| names_in(v, out)),
        _ => {}
    }
}

fn matches_marker(name: &str, markers: &[String]) -> bool {
    let last = name.rsplit(['.', ':']).next().unwrap_or(name);
    markers.iter().any(|m| m == name || m == last)
}

/// Evidence that the file authenticates HTTP requests: what and where.
pub fn auth_evidence(ctx: &FileContext<'_>) -> Option<(Span, String)> {
    let facts = ctx.facts;
    let language = facts.language;
    // FastMCP(auth=…, token_verifier=…, auth_server_provider=…)
    for server in &facts.servers {
        for (key, value) in &server.settings {
            if matches!(
                key.as_str(),
                "auth" | "token_verifier" | "auth_server_provider" | "authProvider"
            ) && value.value != Value::Null
            {
                return Some((value.span, format!("`{key}=` on the server")));
            }
        }
    }
    let listed = catalog().auth.for_language(language);
    let configured = &ctx.options.auth_markers;
    for call in &facts.calls {
        if is_auth_reference(ctx, &call.callee) {
            return Some((call.span, format!("`{}`", call.callee)));
        }
        // `Depends(verify_token)` style and middleware classes passed by name.
        let mut names = Vec::new();
        for arg in &call.args {
            names_in(&arg.value, &mut names);
        }
        for (name, span) in names {
            if matches_marker(name, listed) || matches_marker(name, configured) {
                return Some((span, format!("`{name}`")));
            }
            if language == Language::Rust
                && matches!(call.method(), "from_fn" | "from_fn_with_state")
                && is_auth_name(name)
            {
                return Some((span, format!("`{}({name})`", call.callee)));
            }
        }
    }
    if language == Language::Go
        && let Some(found) =
            go_wrapped_in_auth(facts).or_else(|| super::go_auth::project_middleware(ctx))
    {
        return Some(found);
    }
    // A decorator that is a configured marker: `@require_team_auth`.
    for marker in configured {
        if let Some(at) = ctx.text.find(&format!("@{marker}")) {
            return Some((Span::new(at, at + marker.len() + 1), format!("`@{marker}`")));
        }
    }
    // A middleware of the project's own that reads the credential and rejects.
    for function in &facts.functions {
        let body = ctx.source(function.span);
        if checks_credential(body) {
            let name = function.name.as_deref().unwrap_or("a middleware");
            return Some((function.span, format!("`{name}` checks the credential")));
        }
    }
    if language == Language::Rust && ctx.text.contains("from_fn") && checks_credential(ctx.text) {
        return Some((Span::default(), "an auth middleware".to_string()));
    }
    None
}

/// Go's middleware is a function wrapping the handler: `mux.Handle("/mcp",
/// requireAuth(handler))`, `r.Use(authMiddleware)`, `h = withAuth(h)`, or
/// the server's `Handler:`. A wrapper (or a middleware passed by name)
/// named for authentication counts.
fn go_wrapped_in_auth(facts: &FileFacts) -> Option<(Span, String)> {
    let wraps = |expr: &Expr| match &expr.value {
        Value::Call(call) => is_auth_name(call.method()) && call.positional().next().is_some(),
        Value::Name(name) => is_auth_name(name.rsplit('.').next().unwrap_or(name)),
        _ => false,
    };
    for call in &facts.calls {
        // mcp-go's `server.WithToolHandlerMiddleware(auth.Middleware(…))`
        // runs before every tool call.
        if call.method() == "WithToolHandlerMiddleware"
            && let Some(arg) = call.positional().find(|a| match &a.value {
                Value::Call(c) => is_auth_name(&c.callee),
                Value::Name(n) => is_auth_name(n),
                _ => false,
            })
        {
            return Some((
                arg.span,
                "an authentication middleware runs before every tool".into(),
            ));
        }
        // `chain(mux, RequestMiddleware(cfg), AuthorizationMiddleware(cfg))`:
        // an authentication middleware built and handed to a chain.
        if let Some(arg) = call.positional().find(|a| match &a.value {
            Value::Call(c) => {
                is_auth_name(c.method())
                    && crate::rules::words(c.method())
                        .iter()
                        .any(|w| w == "middleware")
            }
            _ => false,
        }) {
            return Some((
                arg.span,
                "an authentication middleware wraps the handler".into(),
            ));
        }
        let mounts = matches!(
            call.method(),
            "Handle" | "HandleFunc" | "Use" | "With" | "ListenAndServe" | "ListenAndServeTLS"
        ) || call.callee.ends_with("http.Server");
        if !mounts {
            continue;
        }
        if let Some(arg) = call.args.iter().map(|a| &a.value).find(|v| wraps(v)) {
            return Some((
                arg.span,
                "an authentication middleware wraps the handler".into(),
            ));
        }
    }
    facts
        .bindings
        .iter()
        .find(|b| matches!(&b.value.value, Value::Call(_)) && wraps(&b.value))
        .map(|b| {
            (
                b.value.span,
                "an authentication middleware wraps the handler".into(),
            )
        })
}

/// How the route that serves an endpoint is guarded, for the route-based
/// frameworks of TypeScript / JavaScript (express, hono, fastify): a file that
/// puts `requireBearerAuth` on `/mcp` but serves the legacy `/sse` endpoint
/// bare is open through `/sse`.
#[derive(Debug, Clone, PartialEq)]
pub enum RouteAuth {
    /// The endpoint is not built inside a route handler: judge the file.
    Unknown,
    /// Authentication before (or in) the route: what and where.
    Authenticated(Span, String),
    /// A route with nothing that authenticates before its handler.
    Open,
}

const ROUTE_METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "all", "use", "route",
];

/// The guard of the route whose handler builds the transport at `endpoint`.
pub fn route_auth(ctx: &FileContext<'_>, endpoint: Span) -> RouteAuth {
    let facts = ctx.facts;
    if !matches!(
        facts.language,
        Language::TypeScript | Language::Tsx | Language::JavaScript
    ) {
        return RouteAuth::Unknown;
    }
    let inside = |outer: Span, inner: Span| outer.start <= inner.start && inner.end <= outer.end;
    // The innermost `app.post("/mcp", …, handler)` whose handler holds the endpoint.
    let Some((route, path)) = facts
        .calls
        .iter()
        .filter(|c| ROUTE_METHODS.contains(&c.method()) && c.span != endpoint)
        .filter_map(|c| {
            let args: Vec<&Expr> = c.positional().collect();
            let path = args.first()?.str_value()?.to_string();
            let handler = args.last()?;
            (args.len() >= 2 && handler.value == Value::Function && inside(handler.span, endpoint))
                .then_some((c, path))
        })
        .min_by_key(|(c, _)| c.span.end - c.span.start)
    else {
        return RouteAuth::Unknown;
    };
    let args: Vec<&Expr> = route.positional().collect();
    // Middleware between the path and the handler. A spread list
    // (`...mcpMiddleware`, filled at run time) cannot be judged here.
    let spread = |arg: &&Expr| matches!(&arg.value, Value::Op(op, _) if op == "...");
    let middleware = &args[1..args.len() - 1];
    for arg in middleware {
        if let Some(found) = authenticating_arg(ctx, arg) {
            return RouteAuth::Authenticated(found.0, found.1);
        }
    }
    if middleware.iter().any(spread) {
        return RouteAuth::Unknown;
    }
    // The handler itself reads the credential and rejects, or calls a
    // function named for authentication first.
    let handler = args[args.len() - 1];
    if checks_credential(ctx.source(handler.span)) {
        return RouteAuth::Authenticated(
            handler.span,
            "the route handler checks the credential".into(),
        );
    }
    if let Some(call) = facts.calls.iter().find(|c| {
        inside(handler.span, c.span)
            && c.span.start < endpoint.start
            && (is_auth_name(c.method()) || is_auth_reference(ctx, &c.callee))
    }) {
        return RouteAuth::Authenticated(
            call.span,
            format!("`{}` in the route handler", call.callee),
        );
    }
    // App-wide (or path-prefix) middleware registered before the route.
    for call in facts.calls.iter().filter(|c| {
        c.method() == "use" && c.span.end <= route.span.start && !inside(c.span, endpoint)
    }) {
        let mut uses = call.positional().peekable();
        if let Some(prefix) = uses.peek().and_then(|a| a.str_value()) {
            let prefix = prefix.trim_end_matches(['*', '/']);
            if !path.starts_with(prefix) {
                continue;
            }
            uses.next();
        }
        for arg in uses {
            if let Some(found) = authenticating_arg(ctx, arg) {
                return RouteAuth::Authenticated(found.0, found.1);
            }
            if spread(&arg) {
                return RouteAuth::Unknown;
            }
        }
    }
    RouteAuth::Open
}

/// A middleware argument that authenticates: a catalog or configured marker,
/// something imported from an auth module, a call of one
/// (`requireBearerAuth({ verifier })`), a name that says auth
/// (`authenticate`, `verifyToken`), or a function of the file that reads the
/// credential and rejects.
fn authenticating_arg(ctx: &FileContext<'_>, arg: &Expr) -> Option<(Span, String)> {
    let name = match &arg.value {
        Value::Name(name) => name.as_str(),
        Value::Call(call) => call.callee.as_str(),
        Value::Function => {
            return checks_credential(ctx.source(arg.span)).then(|| {
                (
                    arg.span,
                    "an inline middleware checks the credential".to_string(),
                )
            });
        }
        _ => return None,
    };
    let last = name.rsplit(['.', ':']).next().unwrap_or(name);
    let own_check = ctx
        .facts
        .functions
        .iter()
        .any(|f| f.name.as_deref() == Some(last) && checks_credential(ctx.source(f.span)));
    (is_auth_reference(ctx, name) || is_auth_name(last) || own_check)
        .then(|| (arg.span, format!("`{name}`")))
}

/// A name the catalog, the configuration or an auth module's import says
/// authenticates.
fn is_auth_reference(ctx: &FileContext<'_>, name: &str) -> bool {
    let facts = ctx.facts;
    let head = name.split(['.', ':']).next().unwrap_or("");
    let auth_modules = &catalog().auth.modules;
    matches_marker(name, catalog().auth.for_language(facts.language))
        || matches_marker(name, &ctx.options.auth_markers)
        || facts
            .imports
            .iter()
            .any(|i| i.local == head && auth_modules.contains(&i.module))
}

/// Does this code read a credential header of the incoming request and
/// reject the request without it?
pub(super) fn checks_credential(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    let reads = ["authorization", "x-api-key", "api-key", "api_key", "bearer"]
        .iter()
        .any(|w| lower.contains(w));
    let incoming = ["req.", "request", "headers", "scope", "ctx.", "c.req"]
        .iter()
        .any(|w| lower.contains(w));
    let rejects = ["401", "403", "unauthorized", "forbidden"]
        .iter()
        .any(|w| lower.contains(w));
    reads && incoming && rejects
}

fn is_auth_name(name: &str) -> bool {
    let words = super::words(name);
    words.iter().any(|w| {
        matches!(
            w.as_str(),
            "auth"
                | "authn"
                | "authz"
                | "authenticate"
                | "authentication"
                | "authorize"
                | "authorization"
                | "bearer"
                | "token"
                | "jwt"
                | "apikey"
                | "guard"
        )
    }) || words.windows(2).any(|w| w[0] == "api" && w[1] == "key")
}

/// Host / Origin validation middleware named in the catalog.
pub fn host_validation(ctx: &FileContext<'_>) -> Option<Span> {
    let listed = catalog().host_validation.for_language(ctx.facts.language);
    for call in &ctx.facts.calls {
        if matches_marker(&call.callee, listed) {
            return Some(call.span);
        }
        let mut names = Vec::new();
        for arg in &call.args {
            names_in(&arg.value, &mut names);
        }
        if let Some((_, span)) = names.into_iter().find(|(n, _)| matches_marker(n, listed)) {
            return Some(span);
        }
    }
    // A middleware of the project's own that checks Origin or Host and rejects.
    for function in &ctx.facts.functions {
        let lower = ctx.source(function.span).to_ascii_lowercase();
        let reads =
            lower.contains("origin") || lower.contains(".host") || lower.contains("\"host\"");
        let rejects = ["403", "forbidden", "400"]
            .iter()
            .any(|w| lower.contains(w));
        // Go reads the Host header as `r.Host`, the others through `Header`.
        let go_host = ctx.facts.language == Language::Go && lower.contains(".host");
        if reads && rejects && (lower.contains("headers") || lower.contains("header(") || go_host) {
            return Some(function.span);
        }
    }
    None
}

/// Does the file set up the HTTP side itself (an app, routes, a listener),
/// rather than only creating transports for an app built elsewhere?
pub fn builds_http_app(facts: &FileFacts) -> bool {
    match facts.language {
        Language::TypeScript | Language::Tsx | Language::JavaScript => {
            facts.calls.iter().any(|c| {
                let routes = matches!(
                    c.method(),
                    "post" | "get" | "all" | "use" | "route" | "delete" | "on"
                ) && c
                    .positional()
                    .next()
                    .and_then(|a| a.str_value())
                    .is_some_and(|p| p.starts_with('/'));
                routes
                    || matches!(c.method(), "listen" | "createServer")
                    || matches!(
                        c.callee.as_str(),
                        "express" | "Hono" | "fastify" | "Fastify" | "createMcpExpressApp"
                    )
                    || c.method() == "serve"
                        && c.positional()
                            .next()
                            .is_some_and(|o| o.get("fetch").is_some())
            })
        }
        Language::Rust => facts.calls.iter().any(|c| {
            matches!(
                c.method(),
                "nest_service" | "route_service" | "serve" | "fallback_service" | "nest"
            )
        }),
        // A listener, or a handler mounted on a path: a file that only
        // builds the MCP handler for another to mount serves nothing itself.
        Language::Go => {
            super::go_listen::listens(facts).iter().any(|l| l.certain)
                || facts.calls.iter().any(|c| {
                    matches!(c.method(), "Handle" | "HandleFunc" | "Mount")
                        && c.positional()
                            .next()
                            .and_then(|a| a.str_value())
                            .is_some_and(|p| p.starts_with('/') || p.contains(" /"))
                })
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_parses_and_has_entries() {
        let file: Catalog = toml::from_str(CATALOG_TEXT).expect("http.toml parses");
        assert!(file.auth.python.iter().any(|n| n == "BearerAuthBackend"));
        assert!(
            file.auth
                .typescript
                .iter()
                .any(|n| n == "requireBearerAuth")
        );
        assert!(!file.auth.rust.is_empty());
        assert!(!file.host_validation.typescript.is_empty());
    }

    #[test]
    fn addresses() {
        assert!(is_loopback_text("127.0.0.1:8000"));
        assert!(is_loopback_text("localhost"));
        assert!(is_loopback_text("[::1]:3000"));
        assert!(!is_loopback_text("0.0.0.0"));
        assert!(is_any_text("0.0.0.0:8080"));
        assert!(is_auth_name("require_auth"));
        assert!(is_auth_name("validateApiKey"));
        assert!(!is_auth_name("log_requests"));
    }
}
