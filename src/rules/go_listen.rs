//! Where a Go server listens: the address arguments of `http.ListenAndServe`,
//! `net.Listen`, `http.Server{Addr: …}`, mcp-go's `srv.Start(addr)`, and what
//! they evaluate to. Shared by MCL102 (every interface) and the HTTP-exposure
//! rules' `http::bind` (MCL101, MCL103).
//!
//! Go's address strings differ from the other languages': `":8080"` has an
//! empty host, which `net.Listen` reads as every interface.

use crate::facts::{Call, Expr, FileFacts, Value};
use crate::finding::Span;

/// One place a Go server is told its listening address.
pub(super) struct Listen<'a> {
    /// The address expression.
    pub(super) addr: &'a Expr,
    /// What receives it, for messages: `` `http.ListenAndServe(…)` ``.
    pub(super) what: String,
    /// The call (or struct literal) surely listens, rather than being a
    /// `Start(…)` of a type the file does not say is a server: an unknown
    /// address there proves nothing.
    pub(super) certain: bool,
}

/// What an address expression evaluates to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum GoAddr {
    Loopback,
    /// Every interface: the literal that says so, and how it reached the
    /// use when not directly.
    Any(Span, Option<&'static str>),
    Unknown,
}

/// Constructors of mcp-go's HTTP servers, whose `Start(addr)` listens.
const MCP_GO_SERVERS: &[&str] = &["NewStreamableHTTPServer", "NewSSEServer"];

/// The listening addresses the file gives.
pub(super) fn listens(facts: &FileFacts) -> Vec<Listen<'_>> {
    let mut out = Vec::new();
    for call in &facts.calls {
        let what = format!("`{}(…)`", call.callee);
        let positional: Vec<&Expr> = call.positional().collect();
        let method = call.method();
        match method {
            // `http.ListenAndServe(addr, h)`; `srv.ListenAndServe()` takes
            // its address from the `http.Server`, below.
            "ListenAndServe" | "ListenAndServeTLS" => {
                if let Some(addr) = positional.first() {
                    out.push(Listen {
                        addr,
                        what,
                        certain: true,
                    });
                }
            }
            // `net.Listen("tcp", addr)`, `tls.Listen("tcp", addr, cfg)`.
            "Listen"
                if matches!(call.receiver(), Some("net" | "tls"))
                    || positional
                        .first()
                        .and_then(|a| a.str_value())
                        .is_some_and(|n| n.starts_with("tcp")) =>
            {
                if let Some(addr) = positional.get(1) {
                    out.push(Listen {
                        addr,
                        what,
                        certain: true,
                    });
                }
            }
            // mcp-go's `srv.Start(":8080")`, echo's `e.Start(":8080")`, gin's
            // `r.Run(":8080")`.
            "Start" | "Run" if positional.len() == 1 => out.push(Listen {
                addr: positional[0],
                what,
                certain: method == "Start" && starts_mcp_go_server(facts, call),
            }),
            _ => {}
        }
        // `&http.Server{Addr: ":8080", Handler: mux}`
        if call.callee.ends_with("http.Server")
            && let Some(addr) = call.keyword("Addr")
        {
            out.push(Listen {
                addr,
                what: "`http.Server{Addr: …}`".to_string(),
                certain: true,
            });
        }
    }
    for binding in &facts.bindings {
        // `srv.Addr = ":8080"`
        if binding.name.ends_with(".Addr") {
            out.push(Listen {
                addr: &binding.value,
                what: format!("`{} = …`", binding.name),
                certain: true,
            });
        }
    }
    out
}

/// `server.NewStreamableHTTPServer(s).Start(addr)`, or `Start` on a name
/// bound to one.
fn starts_mcp_go_server(facts: &FileFacts, call: &Call) -> bool {
    let is_constructor = |expr: &Expr| match &expr.value {
        Value::Call(c) => MCP_GO_SERVERS.contains(&c.method()),
        _ => false,
    };
    if let Some(receiver) = &call.receiver {
        return is_constructor(receiver);
    }
    call.receiver()
        .and_then(|r| facts.resolve(r))
        .is_some_and(|b| is_constructor(&b.value))
}

fn is_loopback_host(host: &str) -> bool {
    host.starts_with("127.") || host == "localhost" || host == "::1" || host == "[::1]"
}

fn is_any_host(host: &str) -> bool {
    matches!(host, "" | "0.0.0.0" | "::" | "[::]")
}

/// `":8080"`, `"0.0.0.0:8080"`, `"[::]:80"`, `"localhost:3000"`: the host
/// part decides. A text with no colon is a host alone.
fn classify_text(text: &str) -> Option<bool> {
    let text = text.trim();
    let host = match text.rsplit_once(':') {
        // `::1` alone, `[::1]` alone: no port.
        _ if text == "::1" || text == "::" => text,
        Some((host, _port)) => host,
        None => text,
    };
    if is_any_host(host) {
        Some(false)
    } else if is_loopback_host(host) {
        Some(true)
    } else {
        None
    }
}

/// Evaluates an address expression: literals, `fmt.Sprintf(":%d", port)`,
/// `":" + port`, names (every assignment of the name in the function, so
/// that `if addr == "" { addr = ":8080" }` counts), flag defaults and the
/// fallback argument of a project's own `getEnv("ADDR", ":8080")`.
pub(super) fn evaluate(facts: &FileFacts, expr: &Expr, depth: usize) -> GoAddr {
    if depth > 4 {
        return GoAddr::Unknown;
    }
    let classify = |text: &str, span: Span| match classify_text(text) {
        Some(true) => GoAddr::Loopback,
        Some(false) => GoAddr::Any(span, None),
        None => GoAddr::Unknown,
    };
    match &expr.value {
        Value::Str(s) => classify(s, expr.span),
        // `fmt.Sprintf(":%d", port)`, `fmt.Sprintf("%s:%d", host, port)`:
        // only a literal host decides.
        Value::Template(text, _) if !text.starts_with("{}") => classify(text, expr.span),
        Value::Concat(parts) => match parts.first() {
            Some(first) => match first.str_value() {
                Some(text) if text.contains(':') => classify(text, first.span),
                _ => GoAddr::Unknown,
            },
            None => GoAddr::Unknown,
        },
        // `*addr` of a flag, `&addr`.
        Value::Op(op, operands) if matches!(op.as_str(), "*" | "&") => match operands.first() {
            Some(inner) => evaluate(facts, inner, depth + 1),
            None => GoAddr::Unknown,
        },
        Value::Name(name) => name_address(facts, name, expr.span, depth),
        Value::Call(call) => call_address(facts, call, depth),
        _ => GoAddr::Unknown,
    }
}

fn name_address(facts: &FileFacts, name: &str, at: Span, depth: usize) -> GoAddr {
    let scope = facts.enclosing_function(at).map(|f| f.span);
    let in_scope = |span: Span| match scope {
        Some(scope) => scope.start <= span.start && span.end <= scope.end,
        None => false,
    };
    let mut found = GoAddr::Unknown;
    let mut seen = false;
    for binding in facts.bindings.iter().filter(|b| b.name == name) {
        if !(binding.top_level || in_scope(binding.span)) {
            continue;
        }
        seen = true;
        match evaluate(facts, &binding.value, depth + 1) {
            GoAddr::Any(literal, via) => {
                return GoAddr::Any(literal, Some(via.unwrap_or("the address is set here")));
            }
            GoAddr::Loopback if found == GoAddr::Unknown => found = GoAddr::Loopback,
            _ => {}
        }
    }
    if seen {
        return found;
    }
    // `flag.StringVar(&addr, "addr", ":8080", "…")`
    for call in &facts.calls {
        if call.method() != "StringVar" {
            continue;
        }
        let args: Vec<&Expr> = call.positional().collect();
        let target = args.first().and_then(|a| match &a.value {
            Value::Op(op, inner) if op == "&" => inner.first().and_then(|i| i.name()),
            _ => None,
        });
        if target == Some(name)
            && let Some(default) = args.get(2)
        {
            return flag_default_of(facts, default, depth);
        }
    }
    GoAddr::Unknown
}

/// A flag's default: an empty one (`flag.String("http", "", …)`) means
/// "not set", and the code listens only once the user gives an address.
fn flag_default_of(facts: &FileFacts, default: &Expr, depth: usize) -> GoAddr {
    if default.str_value() == Some("") {
        return GoAddr::Unknown;
    }
    flag_default(evaluate(facts, default, depth + 1))
}

fn flag_default(found: GoAddr) -> GoAddr {
    match found {
        GoAddr::Any(literal, _) => GoAddr::Any(literal, Some("the flag's default")),
        other => other,
    }
}

fn call_address(facts: &FileFacts, call: &Call, depth: usize) -> GoAddr {
    let args: Vec<&Expr> = call.positional().collect();
    match call.callee.as_str() {
        // `flag.String("addr", ":8080", "listen address")`
        "flag.String" | "pflag.String" => {
            return match args.get(1) {
                Some(default) => flag_default_of(facts, default, depth),
                None => GoAddr::Unknown,
            };
        }
        "pflag.StringP" => {
            return match args.get(2) {
                Some(default) => flag_default_of(facts, default, depth),
                None => GoAddr::Unknown,
            };
        }
        // `net.JoinHostPort(host, port)`: the host alone.
        "net.JoinHostPort" => {
            return match args.first() {
                Some(Expr {
                    value: Value::Str(host),
                    span,
                }) => match host.as_str() {
                    h if is_any_host(h) => GoAddr::Any(*span, None),
                    h if is_loopback_host(h) => GoAddr::Loopback,
                    _ => GoAddr::Unknown,
                },
                Some(host) => evaluate(facts, host, depth + 1),
                None => GoAddr::Unknown,
            };
        }
        _ => {}
    }
    // `getEnv("ADDR", ":8080")`: a project's own lookup with a fallback.
    if args.len() == 2
        && args[0].str_value().is_some_and(|v| {
            !v.is_empty() && v.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')
        })
        && args[1].str_value().is_some()
    {
        return match evaluate(facts, args[1], depth + 1) {
            GoAddr::Any(literal, _) => GoAddr::Any(
                literal,
                Some("the fallback when the environment variable is unset"),
            ),
            other => other,
        };
    }
    GoAddr::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_texts() {
        assert_eq!(classify_text(":8080"), Some(false));
        assert_eq!(classify_text("0.0.0.0:8080"), Some(false));
        assert_eq!(classify_text("[::]:8080"), Some(false));
        assert_eq!(classify_text("127.0.0.1:8080"), Some(true));
        assert_eq!(classify_text("localhost:3000"), Some(true));
        assert_eq!(classify_text("[::1]:3000"), Some(true));
        assert_eq!(classify_text("::1"), Some(true));
        assert_eq!(classify_text("example.com:443"), None);
        assert_eq!(classify_text("{}:{}"), None);
    }
}
