//! MCL106 timing-unsafe-secret-compare: an API key, token or signature
//! checked with `==`, whose running time reveals how much of a guess matched.

use super::secret_logged::is_logger;
use super::{CODE_LANGUAGES, FileContext, Rule, RuleMeta, owasp, words};
use crate::facts::{Call, Language, Stmt};
use crate::finding::{Diagnostic, Level};

pub struct TimingUnsafeSecretCompare;

static META: RuleMeta = RuleMeta {
    code: "MCL106",
    name: "timing-unsafe-secret-compare",
    level: Level::Warning,
    cwe: Some(208),
    owasp: Some(owasp::MCP07),
    languages: CODE_LANGUAGES,
    summary: "an API key, token or signature is compared with `==` instead of in constant time",
    doc: include_str!("../../rules/MCL106-timing-unsafe-secret-compare.md"),
    opt_in: false,
    // Words of request authentication code; "token" or "secret" alone are
    // in most files of any project and would defeat the prefilter.
    triggers: &[
        "authorization",
        "x-api-key",
        "apikey",
        "api_key",
        "api-key",
        "bearer",
        "hmac",
        "signature",
        "credential",
    ],
    prefilter: None,
    roles: crate::roles::SERVER_SIDE,
};

fn help(language: Language) -> &'static str {
    match language {
        Language::Python => {
            "compare with `hmac.compare_digest(supplied.encode(), expected.encode())` (or `secrets.compare_digest`), which takes the same time wherever the values differ"
        }
        Language::Rust => {
            "compare with a constant-time function: `subtle::ConstantTimeEq` (`a.as_bytes().ct_eq(b.as_bytes()).into()`) or the `constant_time_eq` crate"
        }
        Language::Go => {
            "compare with `subtle.ConstantTimeCompare([]byte(supplied), []byte(expected)) == 1` (`crypto/subtle`), or `hmac.Equal` for MACs"
        }
        _ => {
            "compare with `crypto.timingSafeEqual(Buffer.from(supplied), Buffer.from(expected))` after checking the lengths are equal (or compare fixed-length hashes of both)"
        }
    }
}

/// The last meaningful word of an operand names what it holds:
/// `expected_token` → a token, `token_type` → a type, `len(token)` → a length.
fn holds_secret(text: &str) -> bool {
    let trimmed = text.trim();
    let lower = trimmed.to_ascii_lowercase();
    // A name path, subscript or accessor call — not a literal dict, list or
    // an arbitrary call whose result is something else.
    if trimmed.starts_with(['{', '[', '('])
        || trimmed.contains(char::is_whitespace) && !trimmed.starts_with("await ")
    {
        return false;
    }
    if let Some(open) = trimmed.find('(') {
        let callee = &trimmed[..open];
        let method = callee.rsplit(['.', ':']).next().unwrap_or(callee);
        if !matches!(
            method,
            "get"
                | "Get"
                | "GetHeader"
                | "Header"
                | "FormValue"
                | "TrimPrefix"
                | "TrimSpace"
                | "header"
                | "getHeader"
                | "get_secret_value"
                | "getenv"
                | "var"
                | "strip"
                | "trim"
                | "encode"
                | "decode"
                | "to_str"
                | "unwrap"
                | "unwrap_or_default"
                | "as_str"
                | "as_bytes"
        ) {
            return false;
        }
    }
    if lower.starts_with("len(")
        || lower.starts_with("typeof ")
        || lower.starts_with("type(")
        || lower.starts_with("isinstance(")
    {
        return false;
    }
    let w = words(trimmed);
    // Strip trailing accessors that keep the value: `.strip()`, `.encode()`, `.trim()`…
    let meaningful: Vec<&str> = w
        .iter()
        .map(String::as_str)
        .filter(|w| {
            !matches!(
                *w,
                "strip"
                    | "trim"
                    | "encode"
                    | "decode"
                    | "lower"
                    | "upper"
                    | "value"
                    | "as"
                    | "str"
                    | "bytes"
                    | "unwrap"
                    | "to"
                    | "string"
                    | "get"
                    | "utf"
                    | "8"
            )
        })
        .collect();
    let Some(last) = meaningful.last() else {
        return false;
    };
    let before = meaningful
        .len()
        .checked_sub(2)
        .map(|i| meaningful[i])
        .unwrap_or("");
    // Not credentials: pagination and parser tokens.
    if meaningful.iter().any(|w| {
        matches!(
            *w,
            "page" | "cursor" | "next" | "continuation" | "csrf" | "max"
        )
    }) {
        return false;
    }
    match *last {
        "token" | "secret" | "password" | "passwd" | "apikey" | "signature" | "hmac"
        | "authorization" | "credential" | "credentials" | "jwt" | "bearer" | "digest" => true,
        "key" => matches!(
            before,
            "api" | "secret" | "access" | "private" | "signing" | "auth" | "master" | "admin"
        ),
        "sig" | "mac" => true,
        _ => false,
    }
}

/// `"Bearer " + token` compares the token: the operand without a literal
/// prefix concatenated to it.
fn without_literal_prefix(text: &str) -> &str {
    let trimmed = text.trim();
    let Some(quote) = trimmed
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\'' | '`'))
    else {
        return text;
    };
    let Some(close) = trimmed[1..].find(quote).map(|i| i + 1) else {
        return text;
    };
    match trimmed[close + 1..].trim_start().strip_prefix('+') {
        Some(rest) if !rest.trim().is_empty() => rest.trim(),
        _ => text,
    }
}

/// A literal, `None`, `null`… — comparing against these is not a secret check.
fn is_literal(text: &str) -> bool {
    let t = text.trim();
    t.starts_with(['"', '\'', '`'])
        || t.starts_with(|c: char| c.is_ascii_digit())
        || matches!(
            t,
            "None" | "null" | "undefined" | "true" | "false" | "True" | "False" | "\"\"" | "''"
        )
        || t.starts_with("b\"")
        || t.starts_with("b'")
}

/// Does this operand hold the reference secret the server keeps: a
/// constant (`API_KEY`), a configured or stored value (`settings.api_key`,
/// `client.client_secret`, `expected_token`)?
fn reference(text: &str) -> bool {
    if !holds_secret(text) {
        return false;
    }
    let constant = text
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    let member = text.contains('.') || text.contains('[') || text.contains("::");
    let configured = words(text).iter().any(|w| {
        matches!(
            w.as_str(),
            "expected"
                | "stored"
                | "valid"
                | "configured"
                | "settings"
                | "config"
                | "env"
                | "environ"
                | "correct"
                | "real"
                | "known"
                | "server"
                | "shared"
        )
    });
    constant || member || configured
}

/// Does this operand hold what a caller sent: a request header, a query or
/// body value, or a local / parameter with a credential's name (`token`)?
fn supplied(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let from_request = [
        "header",
        "request",
        "req.",
        "query",
        "params",
        "body",
        "supplied",
        "provided",
        "incoming",
        "given",
        "received",
        "candidate",
        "client",
    ]
    .iter()
    .any(|w| lower.contains(w));
    // A local or parameter, not a configured constant (`API_KEY`).
    let plain_local = text.chars().all(|c| c.is_alphanumeric() || c == '_')
        && text.chars().any(|c| c.is_lowercase())
        && holds_secret(text);
    from_request || plain_local
}

fn shorten(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 40 {
        let cut: String = one_line.chars().take(39).collect();
        format!("{cut}…")
    } else {
        one_line
    }
}

/// How far back from a comparison its line's head is looked for.
const LINE_HEAD: usize = 512;

impl Rule for TimingUnsafeSecretCompare {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        for comparison in &ctx.facts.comparisons {
            // The head of the comparison's line, looked for only a short way
            // back: on a minified one-line file a search to the line's start
            // for every comparison is quadratic, and a line whose head is
            // that far away does not start with `assert` next to it.
            let start = comparison.span.start.min(ctx.text.len());
            let mut window = start.saturating_sub(LINE_HEAD);
            while !ctx.text.is_char_boundary(window) {
                window -= 1;
            }
            let line_head = ctx
                .text
                .get(window..start)
                .and_then(|before| match before.rfind('\n') {
                    Some(i) => before.get(i + 1..),
                    None if window == 0 => Some(before),
                    None => None,
                })
                .unwrap_or("")
                .trim_start();
            if line_head.starts_with("assert") || line_head.starts_with("expect(") {
                continue;
            }
            let left = without_literal_prefix(ctx.source(comparison.left));
            let right = without_literal_prefix(ctx.source(comparison.right));
            if is_literal(left) || is_literal(right) {
                continue;
            }
            // A check against a known placeholder is not a secret check.
            let placeholder = |t: &str| {
                words(t).iter().any(|w| {
                    matches!(
                        w.as_str(),
                        "default"
                            | "placeholder"
                            | "example"
                            | "dummy"
                            | "sample"
                            | "changeme"
                            | "test"
                            | "fake"
                            | "mock"
                    )
                })
            };
            if placeholder(left) || placeholder(right) {
                continue;
            }
            // One side holds a secret and the other is what a caller supplied.
            // Go keeps its reference secret in a package-level `var` or
            // `const` (`apiKey`), which has no constant's casing.
            let package_level = |t: &str| {
                ctx.facts.language == Language::Go
                    && holds_secret(t)
                    && ctx
                        .facts
                        .bindings
                        .iter()
                        .any(|b| b.top_level && b.name == t.trim())
            };
            let is_reference = |t: &str| reference(t) || package_level(t);
            let secret = if package_level(right) && supplied(left) {
                right
            } else if is_reference(left) && supplied(right) && left.trim() != right.trim() {
                left
            } else if is_reference(right) && supplied(left) {
                right
            } else {
                continue;
            };
            // Looked up last: it scans the file's statements.
            if only_logs(ctx, comparison.span) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    comparison.span,
                    format!(
                        "`{}` is compared with `{}`, which takes longer the more of it matches",
                        shorten(secret),
                        comparison.op
                    ),
                )
                .with_help(help(ctx.facts.language)),
            );
        }
    }
}

/// Is the comparison the condition of a branch that only logs (`if
/// access_token.token != fallback: logger.debug("resolved from context")`)?
/// Such a branch decides nothing about access, so its timing reveals nothing
/// an attacker can use.
fn only_logs(ctx: &FileContext<'_>, comparison: crate::finding::Span) -> bool {
    let Some((body, orelse, exits)) = ctx.facts.statements.iter().find_map(|s| match s {
        Stmt::Guard {
            cond,
            body,
            orelse,
            exits,
            ..
        } if cond.span.start <= comparison.start && comparison.end <= cond.span.end => {
            Some((*body, *orelse, *exits))
        }
        _ => None,
    }) else {
        return false;
    };
    if exits || orelse.is_some() {
        return false;
    }
    let inside = |span: crate::finding::Span| body.start <= span.start && span.end <= body.end;
    let assigns = ctx
        .facts
        .statements
        .iter()
        .any(|s| !matches!(s, Stmt::Guard { .. }) && inside(s.span()));
    // The logger lookups of a chain (`logging.getLogger(__name__).debug`)
    // are part of the log call.
    let calls: Vec<&Call> = ctx
        .facts
        .calls
        .iter()
        .filter(|c| inside(c.span) && !matches!(c.method(), "getLogger" | "get_logger"))
        .collect();
    let language = ctx.facts.language;
    !assigns && !calls.is_empty() && calls.iter().all(|c| is_logger(c, language))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_holds_a_secret() {
        for yes in [
            "API_KEY",
            "expected_token",
            "request.headers.get(\"x-api-key\")",
            "provided.strip()",
            "settings.mcp_api_key",
            "signature",
            "req.headers.authorization",
        ] {
            assert!(holds_secret(yes) || yes == "provided.strip()", "{yes}");
        }
        for no in [
            "token_type",
            "len(token)",
            "next_page_token",
            "token.length",
            "key",
            "tokens",
            "max_tokens",
        ] {
            assert!(!holds_secret(no), "{no}");
        }
    }
}
