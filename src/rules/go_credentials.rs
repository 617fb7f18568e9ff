//! Go's side of the credential flow (MCL105 token passthrough, MCL503): where
//! a Go MCP server holds its caller's Authorization header, and where it
//! sends a header upstream.
//!
//! Sources:
//! - the `*http.Request` parameter of an HTTP handler or a context func
//!   (`r.Header.Get("Authorization")`);
//! - mcp-go's `request.Header` (the HTTP headers of the tool call) and the
//!   go-sdk's `req.Extra.Header`;
//! - `ctx.Value(key)` where the project stores the header under `key` in a
//!   context: mcp-go's `server.WithHTTPContextFunc(func(ctx, r) context.Context
//!   { return context.WithValue(ctx, key, r.Header.Get("Authorization")) })`.
//!
//! Sinks: `out.Header.Set("Authorization", v)` / `.Add(…)` on an outgoing
//! request (a name path: the response writer's `w.Header()` is a call, and
//! what a handler sets there goes back to its own caller).

use super::credential_flow::Held;
use crate::facts::{Call, Expr, FileFacts, Language, Value};

/// A Go handler's incoming request: an `r *http.Request` parameter of an
/// HTTP handler (one that also takes the `http.ResponseWriter`) or of a
/// context func (`func(ctx context.Context, r *http.Request) context.Context`).
/// Other functions taking a request (`func sign(req *http.Request)`) are
/// handed outgoing requests as often as incoming ones: what they receive is
/// followed from the caller. `head` is the function's text up to its body.
pub fn param_held(head: &str, param: &str) -> Option<Held> {
    let handler =
        head.contains("http.ResponseWriter") || head.trim_end().ends_with("context.Context");
    if !handler {
        return None;
    }
    let mut rest = head;
    while let Some(at) = rest.find(param) {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + param.len()..];
        rest = after;
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            || !after.starts_with([' ', '\t'])
        {
            continue;
        }
        let ty = after.trim_start().trim_start_matches('*');
        return ty.starts_with("http.Request").then_some(Held::Request);
    }
    None
}

/// `request.Header` of mcp-go's request types, `req.Extra.Header` of the
/// go-sdk's: the tool call's HTTP headers. `prev` is the segment before
/// `Header` in a name path.
pub fn sdk_header(prev: &str, request_like: bool) -> bool {
    request_like || prev == "Extra"
}

/// `out.Header.Set(name, value)` / `.Add(name, value)` on a request being
/// built: the value slot, and the request's name (the caller checks it is
/// not the incoming request). A response writer's `w.Header()` is a call,
/// never a name path: what a handler sets there goes back to its caller.
pub fn header_slot(call: &Call) -> Option<(&str, &Expr)> {
    if !matches!(call.method(), "Set" | "Add") || call.receiver.is_some() {
        return None;
    }
    let receiver = call.receiver()?;
    let owner = receiver.strip_suffix(".Header")?;
    let mut args = call.positional();
    let (_, value) = (args.next()?, args.next()?);
    Some((owner, value))
}

/// `http.Header{"Authorization": {v}}`: the values of a header map literal.
pub fn header_literal(call: &Call) -> Vec<&Expr> {
    if !(call.callee == "http.Header"
        || call.callee.ends_with(".Header") && call.receiver.is_none())
    {
        return Vec::new();
    }
    call.args
        .iter()
        .filter(|a| {
            a.name
                .as_deref()
                // Keys are kept as written: `"Authorization"`.
                .is_some_and(|n| {
                    n.trim_matches(['"', '`'])
                        .eq_ignore_ascii_case("authorization")
                })
        })
        .map(|a| &a.value)
        .collect()
}

/// `ctx.Value(key)`: does some Go file of the project store the caller's
/// Authorization header in a context under the same key
/// (`context.WithValue(ctx, key, r.Header.Get("Authorization"))`, or a
/// value computed from it in the same function)? `key` is the key's text.
pub fn context_holds_token<'a>(
    files: impl Iterator<Item = (&'a FileFacts, &'a str)>,
    key: &str,
) -> bool {
    let key = key.trim();
    if key.is_empty() {
        return false;
    }
    for (facts, text) in files {
        if facts.language != Language::Go || !text.contains("WithValue") {
            continue;
        }
        for call in &facts.calls {
            if !call.callee.ends_with("context.WithValue") && call.callee != "context.WithValue" {
                continue;
            }
            let mut args = call.positional();
            let (Some(_), Some(stored_key), Some(value)) = (args.next(), args.next(), args.next())
            else {
                continue;
            };
            if text
                .get(stored_key.span.start..stored_key.span.end)
                .map(str::trim)
                != Some(key)
            {
                continue;
            }
            if matches!(
                value.value,
                Value::Str(_) | Value::Number(_) | Value::Bool(_)
            ) {
                continue;
            }
            // The function that stores it reads the header.
            let scope = facts
                .enclosing_function(call.span)
                .map(|f| f.span)
                .unwrap_or(call.span);
            let body = text.get(scope.start..scope.end).unwrap_or("");
            if reads_authorization(body) {
                return true;
            }
        }
    }
    false
}

/// Does Go text read the Authorization header of a request?
fn reads_authorization(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("header.get(\"authorization\")")
        || lower.contains("header[\"authorization\"]")
        || lower.contains("header.values(\"authorization\")")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incoming_request_parameters() {
        let head = "func (h *proxy) serve(w http.ResponseWriter, r *http.Request, rr string)";
        assert_eq!(param_held(head, "r"), Some(Held::Request));
        assert_eq!(param_held(head, "w"), None);
        assert_eq!(param_held(head, "rr"), None);
        assert_eq!(param_held(head, "missing"), None);
        let context_func = "func(ctx context.Context, r *http.Request) context.Context ";
        assert_eq!(param_held(context_func, "r"), Some(Held::Request));
        // A helper given a request to sign: outgoing as often as incoming.
        assert_eq!(
            param_held("func sign(req *http.Request, h http.Header) error ", "req"),
            None
        );
    }

    #[test]
    fn authorization_reads() {
        assert!(reads_authorization(
            "func(ctx context.Context, r *http.Request) context.Context { return context.WithValue(ctx, k, r.Header.Get(\"Authorization\")) }"
        ));
        assert!(!reads_authorization("r.Header.Get(\"X-Request-Id\")"));
    }
}
