//! MCL103 dns-rebinding-unprotected: an HTTP transport that does not check
//! the Host and Origin headers, so a web page the user opens can rebind its
//! own name to the server's address and call the tools from the browser.

use super::http::{self, Bind};
use super::http_transport_without_auth::HTTP_TRANSPORT_TRIGGERS;
use super::{CODE_LANGUAGES, FileContext, Rule, RuleMeta, owasp};
use crate::facts::{Call, Expr, FileFacts, Language, Transport, Value};
use crate::finding::{Diagnostic, Level};

pub struct DnsRebindingUnprotected;

static META: RuleMeta = RuleMeta {
    code: "MCL103",
    name: "dns-rebinding-unprotected",
    level: Level::Warning,
    cwe: Some(350),
    owasp: Some(owasp::MCP07),
    languages: CODE_LANGUAGES,
    summary: "an HTTP MCP transport does not validate the Host / Origin headers (DNS rebinding)",
    doc: include_str!("../../rules/MCL103-dns-rebinding-unprotected.md"),
    opt_in: false,
    triggers: HTTP_TRANSPORT_TRIGGERS,
    prefilter: None,
    roles: crate::roles::SERVER_SIDE,
};

fn help(language: Language) -> &'static str {
    match language {
        Language::Python => {
            "pass `transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=[…], allowed_origins=[…])` (FastMCP), or `security_settings=` to the low-level transport, or add Starlette's `TrustedHostMiddleware` and an Origin check"
        }
        Language::Rust => {
            "keep the service's Host check: leave `allowed_hosts` at its loopback default or set it with `StreamableHttpServerConfig::with_allowed_hosts([…])`"
        }
        Language::Go => {
            "keep the SDK's localhost protection (drop `WithDisableLocalhostProtection(true)` / `DisableLocalhostProtection: true`) and serve the transport through `mcp.NewStreamableHTTPHandler` / `server.NewStreamableHTTPServer`; a handler of your own must check Host and Origin itself, or wrap the handler in `http.NewCrossOriginProtection().Handler(h)`"
        }
        _ => {
            "create the transport with `enableDnsRebindingProtection: true` and `allowedHosts` / `allowedOrigins`, or build the app with `createMcpExpressApp()` (which validates Host for loopback binds) or `hostHeaderValidation([...])`"
        }
    }
}

impl Rule for DnsRebindingUnprotected {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        let facts = ctx.facts;
        // A transport written by hand (a server's, a framework's, an SDK's).
        out.extend(
            super::hand_transport::unvalidated(ctx)
                .into_iter()
                .map(|d| d.with_help(HAND_HELP)),
        );
        let endpoints = http::http_endpoints(facts);
        if endpoints.is_empty()
            || !http::builds_http_app(facts)
            || http::serves_on_unix_socket(facts)
        {
            return;
        }
        let bind = http::bind(facts);
        // Bound to loopback, rebinding is the way in; elsewhere Host checks
        // still keep the server from answering for names it does not own.
        let level = if bind == Bind::Loopback {
            Level::Note
        } else {
            Level::Warning
        };
        let mut found = Vec::new();
        match facts.language {
            Language::Python => check_python(facts, &mut found),
            Language::TypeScript | Language::Tsx | Language::JavaScript => {
                check_node(facts, &mut found)
            }
            Language::Rust => check_rust(facts, &mut found),
            Language::Go => check_go(facts, &mut found),
            _ => {}
        }
        if found.is_empty() {
            return;
        }
        // Validation middleware in front of the app covers every transport.
        if http::host_validation(ctx).is_some() {
            found.retain(|d| d.1);
        }
        for (diagnostic, _) in found {
            out.push(diagnostic.with_level(level).with_help(help(facts.language)));
        }
    }
}

const HAND_HELP: &str = "in the handler that reads `Mcp-Session-Id`, reject (403) a request whose `Host` is not one of the names the server answers to (`localhost`, `127.0.0.1`, its configured host) or whose `Origin` is present and not allowed; make the check on by default";

/// `(finding, the protection was switched off explicitly)`
type Found = (Diagnostic, bool);

fn is_false(facts: &FileFacts, expr: &Expr) -> bool {
    match &expr.value {
        Value::Bool(false) => true,
        Value::Name(n) => facts
            .resolve(n)
            .is_some_and(|b| b.value.value == Value::Bool(false)),
        _ => false,
    }
}

fn check_python(facts: &FileFacts, out: &mut Vec<Found>) {
    for call in &facts.calls {
        if call.method() == "TransportSecuritySettings"
            && let Some(flag) = call.keyword("enable_dns_rebinding_protection")
            && is_false(facts, flag)
        {
            out.push((
                Diagnostic::new(
                    flag.span,
                    "`TransportSecuritySettings(enable_dns_rebinding_protection=False)` turns off Host and Origin validation",
                ),
                true,
            ));
        }
        // The low-level transports validate nothing unless given settings.
        if matches!(
            call.method(),
            "SseServerTransport" | "StreamableHTTPSessionManager"
        ) && call.keyword("security_settings").is_none()
        {
            out.push((
                Diagnostic::new(
                    call.span,
                    format!(
                        "`{}` without `security_settings` does not validate the Host and Origin headers",
                        call.callee
                    ),
                ),
                false,
            ));
        }
    }
    // FastMCP (the `mcp` package) validates Host and Origin by itself when
    // its own `host` setting is loopback (the default) and no
    // `transport_security` is given — whatever address uvicorn then binds.
    let official = facts
        .imports
        .iter()
        .any(|i| i.module.starts_with("mcp.server"));
    if !official {
        return;
    }
    for server in &facts.servers {
        let configured = server
            .settings
            .iter()
            .any(|(k, v)| k == "transport_security" && v.value != Value::Null);
        if configured {
            continue;
        }
        let host = server
            .settings
            .iter()
            .find(|(k, _)| k == "host")
            .map(|(_, v)| v)
            .or_else(|| {
                facts
                    .bindings
                    .iter()
                    .find(|b| b.name.ends_with("settings.host"))
                    .map(|b| &b.value)
            });
        let loopback = match host {
            None => true,
            Some(host) => http::is_loopback(facts, host) == Some(true),
        };
        if loopback {
            continue;
        }
        let Some(endpoint) = facts
            .transports
            .iter()
            .find(|t| t.transport != Transport::Stdio)
        else {
            continue;
        };
        out.push((
            Diagnostic::new(
                endpoint.span,
                "FastMCP served over HTTP with a non-loopback `host` and no `transport_security`: Host and Origin headers are not validated",
            )
            .with_label(server.span, "the server is created here"),
            false,
        ));
    }
}

fn check_node(facts: &FileFacts, out: &mut Vec<Found>) {
    // `createMcpExpressApp()` validates Host for loopback binds, or the
    // `allowedHosts` it is given.
    let app_validates = facts.calls.iter().any(|c| {
        c.callee == "createMcpExpressApp"
            && match c.positional().next() {
                None => true,
                Some(options) => {
                    options.get("allowedHosts").is_some()
                        || options.get("host").is_none_or(|h| {
                            h.str_value()
                                .is_some_and(|s| matches!(s, "127.0.0.1" | "localhost" | "::1"))
                        })
                }
            }
    });
    for call in &facts.calls {
        if !matches!(
            call.method(),
            "StreamableHTTPServerTransport" | "SSEServerTransport"
        ) {
            continue;
        }
        let options = transport_options(facts, call);
        let enabled = options
            .and_then(|o| o.get("enableDnsRebindingProtection"))
            .filter(|v| v.value == Value::Bool(true));
        let has_lists = options
            .is_some_and(|o| o.get("allowedHosts").is_some() || o.get("allowedOrigins").is_some());
        match enabled {
            Some(flag) if !has_lists => out.push((
                Diagnostic::new(
                    flag.span,
                    "`enableDnsRebindingProtection: true` with no `allowedHosts` or `allowedOrigins` validates nothing",
                ),
                true,
            )),
            Some(_) => {}
            None if app_validates => {}
            None => out.push((
                Diagnostic::new(
                    call.span,
                    format!(
                        "`{}` without `enableDnsRebindingProtection` does not validate the Host and Origin headers",
                        call.callee
                    ),
                ),
                false,
            )),
        }
    }
}

/// The options object of `new StreamableHTTPServerTransport({…})` or
/// `new SSEServerTransport(path, res, {…})`, directly or through a constant.
fn transport_options<'a>(facts: &'a FileFacts, call: &'a Call) -> Option<&'a Expr> {
    let arg = if call.method() == "SSEServerTransport" {
        call.positional().nth(2)
    } else {
        call.positional().next()
    }?;
    match &arg.value {
        Value::Object(_) => Some(arg),
        Value::Name(n) => facts
            .resolve(n)
            .map(|b| &b.value)
            .filter(|v| matches!(v.value, Value::Object(_))),
        _ => None,
    }
}

fn check_rust(facts: &FileFacts, out: &mut Vec<Found>) {
    for call in &facts.calls {
        if call.method() == "disable_allowed_hosts" {
            out.push((
                Diagnostic::new(
                    call.callee_span,
                    "`.disable_allowed_hosts()` turns off the Host header check of the streamable HTTP service",
                ),
                true,
            ));
        }
    }
}

/// Both Go SDKs reject, in their HTTP handlers, a request that arrives over
/// loopback with a Host that is not loopback (mcp-go's
/// `StreamableHTTPServer` / `SSEServer`, the go-sdk's
/// `StreamableHTTPHandler` / `SSEHandler`). Findings: that protection
/// switched off, and a transport served by a handler of the file's own,
/// which the SDK's check never sees.
fn check_go(facts: &FileFacts, out: &mut Vec<Found>) {
    for call in &facts.calls {
        let method = call.method();
        // mcp-go: `server.WithDisableLocalhostProtection(true)`.
        if matches!(
            method,
            "WithDisableLocalhostProtection" | "WithSSEDisableLocalhostProtection"
        ) && call
            .positional()
            .next()
            .is_some_and(|flag| is_true(facts, flag))
        {
            out.push((
                Diagnostic::new(
                    call.span,
                    format!(
                        "`{}(true)` turns off the SDK's Host header check",
                        call.callee
                    ),
                ),
                true,
            ));
        }
        // go-sdk: `&mcp.StreamableHTTPOptions{DisableLocalhostProtection: true}`.
        if matches!(method, "StreamableHTTPOptions" | "SSEOptions")
            && let Some(flag) = call.keyword("DisableLocalhostProtection")
            && is_true(facts, flag)
        {
            out.push((
                Diagnostic::new(
                    flag.span,
                    format!(
                        "`{}{{DisableLocalhostProtection: true}}` turns off the SDK's Host header check",
                        call.callee
                    ),
                ),
                true,
            ));
        }
        // go-sdk: a transport built by hand for a request, outside the
        // SDK's handlers: `&mcp.StreamableServerTransport{…}`.
        if matches!(method, "StreamableServerTransport" | "SSEServerTransport")
            && call.callee.contains('.')
        {
            out.push((
                Diagnostic::new(
                    call.span,
                    format!(
                        "`{}` served by the file's own handler: the SDK's Host check does not run and nothing here validates Host or Origin",
                        call.callee
                    ),
                ),
                false,
            ));
        }
    }
}

fn is_true(facts: &FileFacts, expr: &Expr) -> bool {
    match &expr.value {
        Value::Bool(true) => true,
        Value::Name(n) => facts
            .resolve(n)
            .is_some_and(|b| b.value.value == Value::Bool(true)),
        _ => false,
    }
}
