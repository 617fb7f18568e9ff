//! The OAuth scopes a source file requests or requires (MCL305): scope
//! lists in constants (`SCOPES = [...]`), keyword arguments and object keys
//! (`scopes=`, `required_scopes=`, `requiredScopes:`, `scope:`,
//! `scopes_supported`), oauth2's `Scope::new("repo")`, and the `scope=`
//! parameter of an authorization URL.
//!
//! A container named for scopes in the plural, or a `scope` among OAuth
//! parameters (`client_id`, `redirect_uri`…) or given to an auth call, is
//! *sure*: whatever broad scope it holds is reported. A lone `scope` may be
//! something else (a search scope, a DI scope): only scopes that cannot be
//! anything but OAuth (`admin:org`, `https://mail.google.com/`) count there.

use crate::facts::{Expr, FileFacts, Stmt, Value};
use crate::finding::Span;

use super::words;

/// One string literal of scopes (a list element, or a space-separated text).
#[derive(Debug, Clone, PartialEq)]
pub struct ScopeLiteral {
    /// The literal (for a URL, the whole URL string).
    pub span: Span,
    pub scopes: Vec<String>,
    /// Certainly OAuth scopes (see the module comment).
    pub sure: bool,
    /// What holds them, for the message: `SCOPES`, `required_scopes`, `scope=`.
    pub holder: String,
}

/// Keys of OAuth parameters that make a `scope` beside them sure.
const OAUTH_KEYS: &[&str] = &[
    "client_id",
    "clientId",
    "redirect_uri",
    "redirectUri",
    "response_type",
    "responseType",
    "access_type",
    "accessType",
    "grant_type",
    "code_challenge",
    "authorization_endpoint",
    "token_endpoint",
];

/// Words of a callee that make a `scope=` keyword sure (`OAuth2Session`,
/// `InstalledAppFlow.from_client_secrets_file`, `generateAuthUrl`).
const AUTH_CALL_WORDS: &[&str] = &[
    "oauth",
    "oauth2",
    "auth",
    "flow",
    "credentials",
    "token",
    "authorize",
    "authorization",
    "login",
    "provider",
    "verifier",
    "session",
    "consent",
];

/// How sure a holder's name makes its scopes, if it holds scopes at all:
/// `Some(true)` for `scopes`, `required_scopes`, `scopes_supported`,
/// `OAUTH_SCOPE`; `Some(false)` for a bare `scope`.
fn holder_kind(name: &str) -> Option<bool> {
    let all = words(name);
    if all.iter().any(|w| w == "scopes") {
        return Some(true);
    }
    if all.iter().any(|w| w == "scope") {
        return Some(all.iter().any(|w| w.starts_with("oauth") || w == "auth"));
    }
    None
}

/// Every scope literal a file requests, each once (sure wins).
pub fn requested(facts: &FileFacts) -> Vec<ScopeLiteral> {
    let mut out: Vec<ScopeLiteral> = Vec::new();
    for binding in &facts.bindings {
        if let Some(sure) = holder_kind(&binding.name) {
            collect(facts, &binding.value, sure, &binding.name, &mut out);
        }
        objects_in(facts, &binding.value, &mut out);
    }
    for call in &facts.calls {
        let auth_call = words(&call.callee)
            .iter()
            .any(|w| AUTH_CALL_WORDS.contains(&w.as_str()));
        for arg in &call.args {
            if let Some(name) = &arg.name
                && let Some(sure) = holder_kind(name)
            {
                collect(facts, &arg.value, sure || auth_call, name, &mut out);
            }
            objects_in(facts, &arg.value, &mut out);
        }
        // oauth2 (Rust): `Scope::new("repo".to_string())`.
        if call.callee == "Scope::new" || call.callee.ends_with("::Scope::new") {
            for arg in call.positional().take(1) {
                collect(facts, arg, true, "Scope::new", &mut out);
            }
        }
    }
    for stmt in &facts.statements {
        if let Stmt::Return { value, .. } = stmt {
            objects_in(facts, value, &mut out);
        }
    }
    for literal in &facts.strings {
        if let Some(scopes) = url_scopes(&literal.value) {
            add(
                &mut out,
                ScopeLiteral {
                    span: literal.span,
                    scopes,
                    sure: true,
                    holder: "scope=".to_string(),
                },
            );
        }
    }
    out
}

/// Object literals in an expression whose keys hold scopes:
/// `requireBearerAuth({ verifier, requiredScopes: ["admin"] })`,
/// `{ client_id, scope: "repo admin:org" }`.
fn objects_in(facts: &FileFacts, expr: &Expr, out: &mut Vec<ScopeLiteral>) {
    let mut stack = vec![expr];
    let mut seen = 0;
    while let Some(current) = stack.pop() {
        seen += 1;
        if seen > 512 {
            return;
        }
        if let Value::Object(pairs) = &current.value {
            let oauth = pairs.iter().any(|(k, _)| OAUTH_KEYS.contains(&k.as_str()));
            for (key, value) in pairs {
                if let Some(sure) = holder_kind(key) {
                    collect(facts, value, sure || oauth, key, out);
                }
            }
        }
        // Calls are visited on their own (`facts.calls`).
        if !matches!(current.value, Value::Call(_)) {
            stack.extend(current.children());
        }
    }
}

/// The scope literals of a holder's value: a string (space- or
/// comma-separated), a list of them, constants naming them.
fn collect(facts: &FileFacts, value: &Expr, sure: bool, holder: &str, out: &mut Vec<ScopeLiteral>) {
    let mut stack = vec![value];
    let mut seen = 0;
    while let Some(current) = stack.pop() {
        seen += 1;
        if seen > 256 {
            return;
        }
        match &current.value {
            Value::Str(_) | Value::Name(_) => {
                if let Some((text, span)) = facts.string_of(current) {
                    let scopes: Vec<String> = text
                        .split(|c: char| c.is_whitespace() || c == ',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect();
                    if !scopes.is_empty() {
                        add(
                            out,
                            ScopeLiteral {
                                span,
                                scopes,
                                sure,
                                holder: holder.to_string(),
                            },
                        );
                    }
                }
            }
            Value::Array(items) => stack.extend(items.iter()),
            Value::Op(op, operands) if matches!(op.as_str(), "?:" | "&" | "as" | "..." | "??") => {
                stack.extend(operands.iter())
            }
            // `"repo".to_string()`, `"repo".into()`, `String::from("repo")`,
            // `" ".join([...])`, `[...].join(" ")`.
            Value::Call(call) => {
                stack.extend(call.receiver.iter().map(|r| r.as_ref()));
                if matches!(call.method(), "from" | "join" | "new" | "to_owned") {
                    stack.extend(call.positional());
                }
            }
            _ => {}
        }
    }
}

fn add(out: &mut Vec<ScopeLiteral>, literal: ScopeLiteral) {
    match out.iter_mut().find(|l| l.span == literal.span) {
        Some(existing) => {
            if literal.sure && !existing.sure {
                *existing = literal;
            }
        }
        None => out.push(literal),
    }
}

/// The scopes of an authorization URL's `scope=` parameter
/// (`https://github.com/login/oauth/authorize?client_id=…&scope=repo%20user`).
fn url_scopes(url: &str) -> Option<Vec<String>> {
    let (base, query) = url.split_once('?')?;
    let lower = base.to_ascii_lowercase();
    let oauth = lower.contains("oauth")
        || lower.contains("authorize")
        || query.contains("client_id=")
        || query.contains("response_type=");
    if !oauth {
        return None;
    }
    let value = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("scope="))?;
    let decoded = value
        .replace("%20", " ")
        .replace("%2C", ",")
        .replace("%2c", ",")
        .replace("%3A", ":")
        .replace("%3a", ":")
        .replace("%2F", "/")
        .replace("%2f", "/")
        .replace('+', " ");
    let scopes: Vec<String> = decoded
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty() && !s.contains(['{', '$']))
        .map(str::to_string)
        .collect();
    (!scopes.is_empty()).then_some(scopes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holders_and_urls() {
        assert_eq!(holder_kind("SCOPES"), Some(true));
        assert_eq!(holder_kind("requiredScopes"), Some(true));
        assert_eq!(holder_kind("scopes_supported"), Some(true));
        assert_eq!(holder_kind("OAUTH_SCOPE"), Some(true));
        assert_eq!(holder_kind("scope"), Some(false));
        assert_eq!(holder_kind("scopeName"), Some(false));
        assert_eq!(holder_kind("telescope"), None);
        assert_eq!(
            url_scopes(
                "https://github.com/login/oauth/authorize?client_id=x&scope=repo%20admin:org"
            ),
            Some(vec!["repo".to_string(), "admin:org".to_string()])
        );
        assert_eq!(url_scopes("https://example.com/search?scope=all"), None);
    }
}
