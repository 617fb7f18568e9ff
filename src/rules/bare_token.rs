//! A bare `token` is not a credential by its name alone. Protocols hand out
//! many opaque ids called `token`: LSP `$/progress` and work-done tokens,
//! MCP progress tokens, pagination and cancellation tokens. What a bare
//! `token` holds is decided by where it is read from: out of a protocol
//! message, a notification's params or a record (`params.get("token")`,
//! `msg["token"]`, `event.token`, `const { token } = params`) it is such an
//! id; qualified names (`access_token`, `apiKey`, `bearer`) and values from a
//! credential source (headers, auth info, the environment, a token
//! endpoint's reply) keep being secrets.

use super::words;
use crate::facts::{Expr, Value};

/// Containers of one message of a protocol or one record of a list: what a
/// bare `token` read from them names is an id of that message.
const MESSAGE_LIKE: &[&str] = &[
    "params",
    "parameters",
    "param",
    "message",
    "messages",
    "msg",
    "notification",
    "notif",
    "event",
    "evt",
    "payload",
    "progress",
    "value",
    "val",
    "item",
    "entry",
    "record",
    "row",
    "node",
    "chunk",
    "packet",
    "update",
];

/// The last segment of a name path is the single word `token`.
pub fn is_bare_token(path: &str) -> bool {
    let last = path
        .rsplit(['.', ':'])
        .find(|s| !s.is_empty())
        .unwrap_or(path)
        .trim_matches(|c: char| matches!(c, '"' | '\'' | '`' | '[' | ']' | '(' | ')' | '?'));
    let w = words(last);
    w.len() == 1 && w[0] == "token"
}

/// A name (or the last segment of a path) naming a message or a record.
pub fn message_like(path: &str) -> bool {
    let last = path
        .rsplit(['.', ':'])
        .find(|s| !s.is_empty())
        .unwrap_or(path)
        .trim_end_matches('?');
    words(last)
        .last()
        .is_some_and(|w| MESSAGE_LIKE.contains(&w.as_str()))
}

/// `params.token`, `msg?.token`: a bare token member of a message.
pub fn message_member(path: &str) -> bool {
    if !is_bare_token(path) {
        return false;
    }
    let Some((base, _)) = path.trim_end_matches('?').rsplit_once('.') else {
        return false;
    };
    message_like(base)
}

/// The value of `token = …` (or of `const { token } = …` when
/// `destructuring`) is a bare token read out of a message: `params.get(
/// "token")`, `str(params.get("token", ""))`, `msg["token"]`,
/// `event.token`, `params` itself for a destructuring.
pub fn read_from_message(value: &Expr, destructuring: bool) -> bool {
    let mut value = value;
    // Conversions and awaits keep what the value is: `str(…)`, `String(…)`,
    // `await …`, `x as string`, `x ?? ""`, `x or ""`.
    for _ in 0..8 {
        let inner = match &value.value {
            Value::Call(call)
                if matches!(call.callee.as_str(), "str" | "String" | "toString")
                    && call.args.len() == 1 =>
            {
                call.args.first().map(|a| &a.value)
            }
            Value::Call(call)
                if call.method() == "toString"
                    && call.receiver.is_some()
                    && call.args.is_empty() =>
            {
                call.receiver.as_deref()
            }
            Value::Op(op, operands)
                if matches!(op.as_str(), "await" | "as" | "??" | "or" | "||" | "!") =>
            {
                operands.first()
            }
            _ => None,
        };
        match inner {
            Some(inner) => value = inner,
            None => break,
        }
    }
    match &value.value {
        Value::Name(path) if destructuring => message_like(path),
        Value::Name(path) => message_member(path),
        Value::Member(base, name) => is_bare_token(name) && expr_message_like(base),
        Value::Op(op, operands) if op == "[]" => {
            let (Some(base), Some(key)) = (operands.first(), operands.get(1)) else {
                return false;
            };
            key.str_value().is_some_and(is_bare_token) && expr_message_like(base)
        }
        Value::Call(call) if call.method() == "get" => {
            let key = call.args.first().and_then(|a| a.value.str_value());
            let base_like = match (&call.receiver, call.receiver()) {
                (Some(r), _) => expr_message_like(r),
                (None, Some(name)) => message_like(name),
                _ => false,
            };
            key.is_some_and(is_bare_token) && base_like
        }
        _ => false,
    }
}

fn expr_message_like(expr: &Expr) -> bool {
    match &expr.value {
        Value::Name(path) => message_like(path),
        Value::Member(_, name) => message_like(name),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_token_names() {
        for name in [
            "token",
            "params.token",
            "event?.token",
            "Token",
            "self.token",
        ] {
            assert!(is_bare_token(name), "{name}");
        }
        for name in [
            "access_token",
            "apiToken",
            "token_url",
            "tokens",
            "params.bearer",
        ] {
            assert!(!is_bare_token(name), "{name}");
        }
    }

    #[test]
    fn message_members() {
        for path in [
            "params.token",
            "msg.token",
            "notification.params.token",
            "event?.token",
        ] {
            assert!(message_member(path), "{path}");
        }
        for path in [
            "self.token",
            "config.token",
            "auth.token",
            "params.access_token",
            "token",
        ] {
            assert!(!message_member(path), "{path}");
        }
    }
}
