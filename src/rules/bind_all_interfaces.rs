//! MCL102 bind-all-interfaces: a server listening on 0.0.0.0 / :: is reachable
//! from every network the machine is on, not just from the local client.

use super::{CODE_LANGUAGES, FileContext, Rule, RuleMeta, owasp};
use crate::facts::{Call, Expr, FileFacts, Language, Value};
use crate::finding::{Diagnostic, Level, Span};

pub struct BindAllInterfaces;

static META: RuleMeta = RuleMeta {
    code: "MCL102",
    name: "bind-all-interfaces",
    level: Level::Warning,
    cwe: Some(1327),
    owasp: Some(owasp::MCP07),
    languages: CODE_LANGUAGES,
    summary: "the server listens on every network interface (0.0.0.0 / ::)",
    doc: include_str!("../../rules/MCL102-bind-all-interfaces.md"),
    opt_in: false,
    triggers: &[
        "0.0.0.0",
        // Go: `":8080"` has no host; the listeners that take one.
        "ListenAndServe",
        "Addr:",
        ".Start(",
        "net.Listen",
        "\"::\"",
        "'::'",
        "[::]",
        ".listen(",
        "serve({",
        "UNSPECIFIED",
        "0, 0, 0, 0",
        "0,0,0,0",
        "bind((",
        "Server((",
    ],
    prefilter: None,
    roles: crate::roles::SERVER_SIDE,
};

const HELP: &str = "bind to 127.0.0.1 (or localhost) unless the server must be reachable from other machines; if it must, put authentication and TLS in front of it and make the address an explicit deployment setting";

impl Rule for BindAllInterfaces {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        let facts = ctx.facts;
        match facts.language {
            Language::Python => check_python(facts, out),
            Language::TypeScript | Language::Tsx | Language::JavaScript => check_node(facts, out),
            Language::Rust => check_rust(facts, out),
            Language::Go => check_go(facts, out),
            _ => {}
        }
        // One finding per place, however many paths led to it.
        out.sort_by_key(|d| (d.span.start, d.span.end));
        out.dedup_by_key(|d| d.span);
    }
}

/// Is this host text the unspecified ("any") address?
fn is_any_host(host: &str) -> bool {
    matches!(
        host.trim(),
        "0.0.0.0" | "::" | "[::]" | "0:0:0:0:0:0:0:0" | "::0" | "*"
    )
}

/// `0.0.0.0:8080`, `[::]:{}`, `0.0.0.0` — an any-address socket string.
fn is_any_socket(value: &str) -> bool {
    let value = value.trim();
    let host = if let Some(rest) = value.strip_prefix("[::]") {
        return rest.is_empty() || is_port(rest);
    } else {
        match value.rsplit_once(':') {
            Some((host, port)) if host == "0.0.0.0" && is_port(&format!(":{port}")) => host,
            _ => value,
        }
    };
    host == "0.0.0.0"
}

fn is_port(rest: &str) -> bool {
    let Some(port) = rest.strip_prefix(':') else {
        return false;
    };
    !port.is_empty()
        && (port.chars().all(|c| c.is_ascii_digit())
            || (port.starts_with('{') && port.ends_with('}')))
}

/// Where an any-address value comes from, when an expression evaluates to one.
struct AnyAddress {
    /// The literal `"0.0.0.0"`.
    literal: Span,
    /// How the value got from the literal to the use, when not directly.
    via: Option<&'static str>,
}

/// Follows names to their bindings and env lookups to their fallback.
fn any_address(facts: &FileFacts, expr: &Expr, depth: usize) -> Option<AnyAddress> {
    if depth > 4 {
        return None;
    }
    match &expr.value {
        Value::Str(s) if is_any_host(s) || is_any_socket(s) => Some(AnyAddress {
            literal: expr.span,
            via: None,
        }),
        Value::Name(name) => {
            let binding = facts.resolve(name)?;
            let found = any_address(facts, &binding.value, depth + 1)?;
            Some(AnyAddress {
                literal: found.literal,
                via: Some(found.via.unwrap_or("the address is set here")),
            })
        }
        Value::EnvLookup {
            default: Some(default),
            ..
        } => {
            let found = any_address(facts, default, depth + 1)?;
            Some(AnyAddress {
                literal: found.literal,
                via: Some("the fallback when the environment variable is unset"),
            })
        }
        _ => None,
    }
}

/// A finding at the literal when it is used directly, else at `use_span`
/// with a label on the literal.
fn report(out: &mut Vec<Diagnostic>, use_span: Span, found: AnyAddress, what: &str) {
    let diagnostic = match found.via {
        None if use_span == found.literal => Diagnostic::new(
            found.literal,
            format!("{what} binds every network interface"),
        ),
        None => Diagnostic::new(use_span, format!("{what} binds every network interface"))
            .with_label(found.literal, "the any-address"),
        Some(via) => Diagnostic::new(
            use_span,
            format!("{what} binds every network interface (0.0.0.0 / ::)"),
        )
        .with_label(found.literal, via),
    };
    out.push(diagnostic.with_help(HELP));
}

fn check_python(facts: &FileFacts, out: &mut Vec<Diagnostic>) {
    for call in &facts.calls {
        // `parser.add_argument("--host", default="0.0.0.0")`
        if call.method() == "add_argument"
            && call.positional().any(|a| {
                matches!(
                    a.str_value(),
                    Some("--host" | "--bind" | "--listen" | "--address")
                )
            })
            && let Some(default) = call.keyword("default")
            && let Some(found) = any_address(facts, default, 0)
        {
            report(out, default.span, found, "the `--host` option's default");
        }
        // `FastMCP(host=…)`, `mcp.run(host=…)`, `uvicorn.run(app, host=…)`, `app.run(host=…)`
        for keyword in ["host", "bind_host"] {
            if let Some(host) = call.keyword(keyword)
                && let Some(found) = any_address(facts, host, 0)
            {
                report(
                    out,
                    host.span,
                    found,
                    &format!("`{}(…, {keyword}=…)`", call.callee),
                );
            }
        }
        // `sock.bind(("0.0.0.0", 9000))`, `HTTPServer(("", 8000), Handler)`
        let takes_address = call.method() == "bind" || call.method().ends_with("Server");
        if takes_address
            && let Some(Expr {
                value: Value::Array(parts),
                ..
            }) = call.positional().next()
            && let Some(host) = parts.first()
        {
            if host.str_value() == Some("") {
                out.push(
                    Diagnostic::new(
                        host.span,
                        format!(
                            "`{}` with host \"\" binds every network interface",
                            call.callee
                        ),
                    )
                    .with_help(HELP),
                );
            } else if let Some(found) = any_address(facts, host, 0) {
                report(out, host.span, found, &format!("`{}`", call.callee));
            }
        }
    }
    for binding in &facts.bindings {
        // `mcp.settings.host = "0.0.0.0"`, gunicorn's `bind = "0.0.0.0:8000"`
        let last = binding.name.rsplit('.').next().unwrap_or(&binding.name);
        if !matches!(last, "host" | "bind") {
            continue;
        }
        let values: Vec<&Expr> = match &binding.value.value {
            Value::Array(items) => items.iter().collect(),
            _ => vec![&binding.value],
        };
        for value in values {
            // `mcp.settings.host = HOST` follows `HOST` to its literal.
            if let Some(found) = any_address(facts, value, 0) {
                report(out, value.span, found, &format!("`{} = …`", binding.name));
            }
        }
    }
}

fn check_node(facts: &FileFacts, out: &mut Vec<Diagnostic>) {
    for call in &facts.calls {
        match call.method() {
            "listen" => check_listen(facts, call, out),
            "serve" => check_serve(facts, call, out),
            _ => {}
        }
    }
}

/// `server.listen(port[, host][, backlog][, callback])` or `listen(options)`.
fn check_listen(facts: &FileFacts, call: &Call, out: &mut Vec<Diagnostic>) {
    let mut args = call.positional();
    let Some(first) = args.next() else {
        return;
    };
    let what = format!("`{}(…)`", call.callee);
    if let Value::Object(_) = first.value {
        match first.get("host") {
            Some(host) => {
                if let Some(found) = any_address(facts, host, 0) {
                    report(out, call.callee_span, found, &what);
                }
            }
            None if first.get("port").is_some() && !is_fastify(facts, call) => {
                out.push(no_host(call, "with no `host`"));
            }
            None => {}
        }
        return;
    }
    if !is_port_like(first) || is_fastify(facts, call) {
        return;
    }
    match args.next() {
        None => out.push(no_host(call, "with no host")),
        Some(Expr {
            value: Value::Function,
            ..
        }) => out.push(no_host(call, "with no host")),
        Some(host) => {
            if let Some(found) = any_address(facts, host, 0) {
                report(out, call.callee_span, found, &what);
            }
        }
    }
}

/// Hono's `serve({ fetch, port })`, `Bun.serve`, `Deno.serve`: all default to 0.0.0.0.
fn check_serve(facts: &FileFacts, call: &Call, out: &mut Vec<Diagnostic>) {
    let Some(options) = call.positional().next() else {
        return;
    };
    if !matches!(options.value, Value::Object(_)) {
        return;
    }
    match options.get("hostname") {
        Some(host) => {
            if let Some(found) = any_address(facts, host, 0) {
                report(
                    out,
                    call.callee_span,
                    found,
                    &format!("`{}(…)`", call.callee),
                );
            }
        }
        None if options.get("fetch").is_some() => {
            out.push(
                Diagnostic::new(
                    call.callee_span,
                    format!(
                        "`{}(…)` with no `hostname` binds every network interface",
                        call.callee
                    ),
                )
                .with_help(HELP),
            );
        }
        None => {}
    }
}

fn no_host(call: &Call, how: &str) -> Diagnostic {
    Diagnostic::new(
        call.callee_span,
        format!(
            "`{}(…)` {how} binds every network interface (Node's default)",
            call.callee
        ),
    )
    .with_help(HELP)
}

/// A port number, or something that computes one; a string is a Unix socket
/// or pipe path, a function is a callback.
fn is_port_like(expr: &Expr) -> bool {
    !matches!(
        expr.value,
        Value::Str(_) | Value::Template(..) | Value::Function | Value::Object(_) | Value::Array(_)
    )
}

/// Fastify listens on localhost unless told otherwise. Its app may come
/// from `fastify()` or from a package wrapping it (`createMcpFastifyApp()`
/// of `@modelcontextprotocol/fastify`).
fn is_fastify(facts: &FileFacts, call: &Call) -> bool {
    let Some(receiver) = call.receiver() else {
        return false;
    };
    if receiver.to_ascii_lowercase().contains("fastify") {
        return true;
    }
    let from_fastify = |local: &str| {
        facts
            .imports
            .iter()
            .any(|i| i.local == local && (i.module == "fastify" || i.module.ends_with("/fastify")))
    };
    facts
        .resolve(receiver)
        .is_some_and(|b| match &b.value.value {
            Value::Call(created) => {
                created.callee.to_ascii_lowercase().contains("fastify")
                    || from_fastify(&created.callee)
            }
            _ => false,
        })
}

/// Spans of string literals used where an address is given: call and macro
/// arguments (not assertions), method receivers (`"0.0.0.0:80".parse()`),
/// and `let`/`const`/`static` values. A literal compared against
/// (`host == "0.0.0.0"`) is not a bind.
fn address_positions(facts: &FileFacts) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut push = |expr: &Expr| match &expr.value {
        Value::Str(_) => spans.push(expr.span),
        Value::Array(items) => spans.extend(
            items
                .iter()
                .filter(|i| matches!(i.value, Value::Str(_)))
                .map(|i| i.span),
        ),
        _ => {}
    };
    for call in &facts.calls {
        if call.method().contains("assert") {
            continue;
        }
        for arg in &call.args {
            push(&arg.value);
        }
        if let Some(receiver) = &call.receiver {
            push(receiver);
        }
    }
    for binding in &facts.bindings {
        push(&binding.value);
    }
    spans
}

fn check_rust(facts: &FileFacts, out: &mut Vec<Diagnostic>) {
    // `"0.0.0.0:8080"`, `"[::]:3000"`, `format!("0.0.0.0:{}", port)`
    let positions = address_positions(facts);
    for lit in &facts.strings {
        if !positions.contains(&lit.span) {
            continue;
        }
        if is_any_socket(&lit.value) || lit.value == "[::]" {
            out.push(
                Diagnostic::new(
                    lit.span,
                    format!("address \"{}\" binds every network interface", lit.value),
                )
                .with_help(HELP),
            );
        }
    }
    // (expression, inside an address constructor such as `SocketAddr::from`)
    let mut exprs: Vec<(&Expr, bool)> = Vec::new();
    for call in &facts.calls {
        let address_ctor = call.callee.contains("Addr");
        exprs.extend(call.args.iter().map(|a| (&a.value, address_ctor)));
        // `Ipv4Addr::new(0, 0, 0, 0)`
        if call.callee.ends_with("Ipv4Addr::new") && all_zero(call.positional()) {
            out.push(unspecified(call.span, "`Ipv4Addr::new(0, 0, 0, 0)`"));
        }
    }
    exprs.extend(facts.bindings.iter().map(|b| (&b.value, false)));
    // Walk arrays and tuples, not nested calls (each call is its own fact).
    while let Some((expr, address_ctor)) = exprs.pop() {
        match &expr.value {
            Value::Name(name)
                if name.ends_with("Ipv4Addr::UNSPECIFIED")
                    || name.ends_with("Ipv6Addr::UNSPECIFIED") =>
            {
                out.push(unspecified(expr.span, &format!("`{name}`")));
            }
            Value::Array(items) => {
                if address_ctor && items.len() == 4 && all_zero(items.iter()) {
                    out.push(unspecified(expr.span, "`[0, 0, 0, 0]`"));
                } else {
                    exprs.extend(items.iter().map(|e| (e, address_ctor)));
                }
            }
            _ => {}
        }
    }
}

/// Go: every address a listener is given that evaluates to every
/// interface (`":8080"`, `"0.0.0.0:8080"`, `fmt.Sprintf(":%d", port)`).
fn check_go(facts: &FileFacts, out: &mut Vec<Diagnostic>) {
    use super::go_listen::{GoAddr, evaluate, listens};
    for listen in listens(facts) {
        let GoAddr::Any(literal, via) = evaluate(facts, listen.addr, 0) else {
            continue;
        };
        let empty_host = facts
            .strings
            .iter()
            .find(|s| s.span == literal)
            .is_some_and(|s| s.value.is_empty() || s.value.starts_with(':'));
        let what = if empty_host {
            format!("{} with no host in the address", listen.what)
        } else {
            listen.what.clone()
        };
        let use_span = if via.is_some() {
            listen.addr.span
        } else {
            literal
        };
        report(out, use_span, AnyAddress { literal, via }, &what);
    }
}

fn all_zero<'a>(mut items: impl Iterator<Item = &'a Expr>) -> bool {
    let mut count = 0;
    let zero = items.all(|e| {
        count += 1;
        matches!(&e.value, Value::Number(n) if n == "0")
    });
    zero && count == 4
}

fn unspecified(span: Span, what: &str) -> Diagnostic {
    Diagnostic::new(
        span,
        format!("{what} is the unspecified address: a socket bound to it listens on every network interface"),
    )
    .with_help(HELP)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_sockets() {
        for s in ["0.0.0.0", "0.0.0.0:8080", "[::]:3000", "0.0.0.0:{}", "[::]"] {
            assert!(is_any_socket(s), "{s}");
        }
        for s in [
            "127.0.0.1:8080",
            "::",
            "a::b",
            "0.0.0.0.1",
            "localhost:3000",
            "0.0.0.0:abc",
        ] {
            assert!(!is_any_socket(s), "{s}");
        }
    }
}
