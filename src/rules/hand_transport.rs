//! Hand-written MCP HTTP transports, for MCL103: code that serves the
//! streamable HTTP or SSE transport itself — a request handler that reads
//! the `Mcp-Session-Id` header of incoming requests in a file that speaks
//! JSON-RPC — in a server, a framework or an SDK. Such a handler must check
//! the `Host` or `Origin` header (DNS rebinding); the SDKs' own transports
//! once did so only when an option that defaulted to off was set.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use regex::Regex;

use super::FileContext;
use super::http;
use crate::finding::{Diagnostic, Span};

/// Parameter names of a function that handles an incoming HTTP request:
/// Node's `req`, ASGI's `(scope, receive, send)`, Go's `r`, axum
/// extractors (`headers`, `parts`). A client's `ctx` or `response` is not one.
const REQUEST_PARAMS: &[&str] = &[
    "req", "request", "r", "scope", "receive", "send", "headers", "parts", "event",
];

/// Methods that read a header by name (`req.headers.get(X)`,
/// `r.Header.Get(X)`, `req.header(X)`); setting one is not reading it.
const HEADER_READS: &[&str] = &[
    "get",
    "Get",
    "getHeader",
    "header",
    "get_one",
    "getAll",
    "Values",
];

/// What writing an HTTP response looks like (lowercased): a file without
/// any answers no request itself.
const RESPONDS: &[&str] = &[
    "writehead",
    ".status(",
    "new response(",
    "jsonresponse",
    "status_code",
    "writeheader",
    "statuscode::",
    "http.error",
    "text/event-stream",
];

/// Handing the request to a transport object: the transport is the SDK's
/// (MCL103's other checks look at how it is created).
const DELEGATES: &[&str] = &[
    "handleRequest",
    "handle_request",
    "handlePostMessage",
    "handle_post_message",
];

/// What reading or checking the Host or Origin header looks like, in any of
/// the four languages (the text is lowercased).
const HOST_OR_ORIGIN: &[&str] = &[
    "\"origin\"",
    "'origin'",
    "\"host\"",
    "'host'",
    ".origin",
    ".host",
    "get_host(",
    "allowed_hosts",
    "allowedhosts",
    "allowed_origins",
    "allowedorigins",
    "trustedhost",
    "header::host",
    "header::origin",
];

/// An option named for the protection whose default is off:
/// `enableDnsRebindingProtection ?? false`, `enable_dns_rebinding_protection: bool = False`.
fn default_off() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)\b\w*(dns_?rebinding|validate_?(host|origin)s?|(host|origin)_?(header_?)?validation)\w*\s*(\?\?|\|\||:\s*bool\s*=|=)\s*(false)\b",
        )
        .expect("the default-off pattern compiles")
    })
}

/// Findings for the transport handlers of this file that validate neither
/// header, or that validate them only behind an option that defaults to off.
pub fn unvalidated(ctx: &FileContext<'_>) -> Vec<Diagnostic> {
    let facts = ctx.facts;
    // Most files MCL103 reads are no transport: look for the word before
    // paying for a lowercased copy of the whole text.
    if !ctx
        .text
        .as_bytes()
        .windows(7)
        .any(|w| w.eq_ignore_ascii_case(b"session"))
    {
        return Vec::new();
    }
    let lower = ctx.text.to_ascii_lowercase();
    if !lower.contains("jsonrpc") && !lower.contains("\"initialize\"") {
        return Vec::new();
    }
    if !RESPONDS.iter().any(|m| lower.contains(m))
        || !facts.transports.is_empty()
        || facts.calls.iter().any(|c| DELEGATES.contains(&c.method()))
    {
        return Vec::new();
    }
    // Where the header name is read: the literal itself, a constant of the
    // file holding it (`MCP_SESSION_ID_HEADER = "mcp-session-id"`), or a
    // getter given a constant named for it from elsewhere
    // (`r.Header.Get(HeaderKeySessionID)`).
    let mut uses: Vec<Span> = Vec::new();
    for literal in facts
        .strings
        .iter()
        .filter(|s| s.value.eq_ignore_ascii_case("mcp-session-id"))
    {
        match facts.enclosing_function(literal.span) {
            Some(_) => {
                if reads_header(ctx, literal.span) {
                    uses.push(literal.span);
                }
            }
            None => {
                if let Some(name) = &literal.target {
                    let short = name.rsplit('.').next().unwrap_or(name);
                    let mut from = 0;
                    while let Some(at) = ctx.text.get(from..).and_then(|t| t.find(short)) {
                        let start = from + at;
                        let span = Span::new(start, start + short.len());
                        if reads_header(ctx, span) {
                            uses.push(span);
                        }
                        from = start + short.len();
                    }
                }
            }
        }
    }
    for call in &facts.calls {
        if HEADER_READS.contains(&call.method())
            && let Some(first) = call.args.first()
            && let crate::facts::Value::Name(name) = &first.value.value
        {
            // A header constant (`HeaderKeySessionID`, `MCP_SESSION_ID`), not
            // a variable holding an id (`transports.get(sessionId)`).
            let last = name.rsplit('.').next().unwrap_or(name);
            let constant = last.to_ascii_lowercase().contains("header")
                || last
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
            let lower_last = last.to_ascii_lowercase();
            if constant && (lower_last.contains("sessionid") || lower_last.contains("session_id")) {
                uses.push(first.value.span);
            }
        }
    }
    let mut handlers: BTreeSet<usize> = BTreeSet::new();
    for span in uses {
        let enclosing = facts.enclosing_functions(span);
        if let Some(index) = enclosing.into_iter().find(|i| {
            facts.functions.get(*i).is_some_and(|f| {
                f.params.iter().any(|p| {
                    REQUEST_PARAMS.contains(
                        &p.trim_start_matches(['*', '&'])
                            .to_ascii_lowercase()
                            .as_str(),
                    )
                })
            })
        }) {
            handlers.insert(index);
        }
    }
    // A Go method reached only through its type's `ServeHTTP`, which
    // checks Host or Origin first, is guarded there.
    handlers.retain(|&i| {
        facts
            .functions
            .get(i)
            .is_none_or(|f| !super::go_transport_entry::guarded_by_entry_point(ctx, i, f))
    });
    if handlers.is_empty() {
        return Vec::new();
    }
    if let Some(found) = default_off().find(ctx.text) {
        return vec![Diagnostic::new(
            Span::new(found.start(), found.end()),
            "this transport checks the Host and Origin headers only when an option that defaults to off is set: a web page can rebind its name to the server and call its tools",
        )];
    }
    let validates = HOST_OR_ORIGIN.iter().any(|marker| lower.contains(marker))
        || http::host_validation(ctx).is_some()
        || facts.calls.iter().any(|c| validates_request(c.method()));
    if validates {
        return Vec::new();
    }
    handlers
        .into_iter()
        .filter_map(|i| facts.functions.get(i))
        .map(|f| {
            let who = match f.name.as_deref() {
                Some(name) => format!("`{name}`"),
                None => "this request handler".to_string(),
            };
            Diagnostic::new(
                name_span(ctx, f),
                format!(
                    "{who} serves the MCP HTTP transport itself (it reads `Mcp-Session-Id`) and checks neither the Host nor the Origin header: a web page can rebind its name to this server and call its tools"
                ),
            )
        })
        .collect()
}

/// Is the header name at `span` read from a request: the first argument of
/// a header getter, or an index that is not assigned to?
fn reads_header(ctx: &FileContext<'_>, span: Span) -> bool {
    let getter = ctx.facts.calls.iter().any(|c| {
        HEADER_READS.contains(&c.method())
            && c.args
                .first()
                .is_some_and(|a| a.value.span.start <= span.start && span.end <= a.value.span.end)
    });
    if getter {
        return true;
    }
    let before = ctx
        .text
        .get(..span.start)
        .unwrap_or("")
        .trim_end_matches(['"', '\'', '`']);
    let after = ctx
        .text
        .get(span.end..)
        .unwrap_or("")
        .trim_start_matches(['"', '\'', '`']);
    let indexed = before.trim_end().ends_with('[') && after.trim_start().starts_with(']');
    let assigned = after
        .trim_start()
        .strip_prefix(']')
        .map(str::trim_start)
        .is_some_and(|rest| rest.starts_with('=') && !rest.starts_with("=="));
    indexed && !assigned
}

/// A call that validates the request or its headers by name:
/// `validate_request`, `validateRequestHeaders`, `checkOrigin`, `verifyHost`.
fn validates_request(method: &str) -> bool {
    let lower = method.to_ascii_lowercase();
    ["valid", "check", "verify"]
        .iter()
        .any(|w| lower.contains(w))
        && ["host", "origin", "request", "header", "security", "rebind"]
            .iter()
            .any(|w| lower.contains(w))
}

/// The function's name in its definition (its first line when not found).
fn name_span(ctx: &FileContext<'_>, function: &crate::facts::Function) -> Span {
    let text = ctx.source(function.span);
    if let Some(name) = &function.name
        && let Some(at) = text.find(name.as_str())
    {
        let start = function.span.start + at;
        return Span::new(start, start + name.len());
    }
    let end = text.find('\n').unwrap_or(text.len());
    Span::new(function.span.start, function.span.start + end)
}
