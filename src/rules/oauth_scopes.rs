//! The OAuth scopes a source file requests or requires (MCL305): scope
//! lists in constants (`SCOPES = [...]`), keyword arguments and object keys
//! (`scopes=`, `required_scopes=`, `requiredScopes:`, `scope:`,
//! `scopes_supported`), oauth2's `Scope::new("repo")`, and the `scope=`
//! parameter of an authorization URL.
//!
//! How much a holder's scopes count (`Holder`):
//! - a *request*: a constant or keyword named for scopes in the plural
//!   (`SCOPES`, `required_scopes`), a `scope` among OAuth parameters
//!   (`client_id`, `redirect_uri`…) or given to an auth call, `Scope::new`,
//!   an authorization URL — every broad scope in it is reported;
//! - an *offered* vocabulary (`scopes_supported`, `ALLOWED_SCOPES`): the
//!   server's own names there (`admin`, `*`) are not a grant, a provider's
//!   broad scope (`admin:org`, `https://mail.google.com/`) still is;
//! - anything else holding a `scope` (`SCOPE_FULL = "https://mail.google.com/"`
//!   in a table of scope names, `search(scope="all")`): nothing, unless a
//!   request or an offer names that constant.

use crate::facts::{Expr, FileFacts, Stmt, Value};
use crate::finding::Span;

use super::words;

/// One string literal of scopes (a list element, or a space-separated text).
#[derive(Debug, Clone, PartialEq)]
pub struct ScopeLiteral {
    /// The literal (for a URL, the whole URL string).
    pub span: Span,
    pub scopes: Vec<String>,
    pub holder_kind: Holder,
    /// What holds them, for the message: `SCOPES`, `required_scopes`, `scope=`.
    pub holder: String,
}

/// Keys of OAuth parameters that make a `scope` beside them sure. (Not
/// `clientId`: the SDK's `AuthInfo { token, clientId, scopes }` is what a
/// server grants itself, not what it asks for.)
const OAUTH_KEYS: &[&str] = &[
    "client_id",
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
    "strategy",
    "bearer",
];

/// Holder words that say the list is a vocabulary the server offers or
/// accepts (`scopes_supported`, `ALLOWED_SCOPES`), or a record of one
/// (`customScopes` in an analytics event): its own scope names there
/// (`admin`, `*`) are not a grant; a provider's broad scope still is.
const OFFERED_WORDS: &[&str] = &[
    "supported",
    "allowed",
    "available",
    "valid",
    "known",
    "custom",
];

/// What a holder's scopes are to the server (see the module comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Holder {
    Other,
    Offered,
    Request,
}

/// What a holder's name makes its scopes, if it holds scopes at all.
fn holder_kind(name: &str) -> Option<Holder> {
    let all = words(name);
    let scopes = all.iter().any(|w| w == "scopes");
    if !scopes && !all.iter().any(|w| w == "scope") {
        return None;
    }
    Some(if offered(name) {
        Holder::Offered
    } else if scopes || all.iter().any(|w| w.starts_with("oauth") || w == "auth") {
        Holder::Request
    } else {
        Holder::Other
    })
}

/// Every scope literal a file requests or offers, each once (the strongest
/// holder wins); literals held only by other holders are left out.
pub fn requested(facts: &FileFacts) -> Vec<ScopeLiteral> {
    let mut out: Vec<ScopeLiteral> = Vec::new();
    for binding in &facts.bindings {
        if let Some(kind) = holder_kind(&binding.name) {
            collect(facts, &binding.value, kind, &binding.name, &mut out);
        }
        objects_in(facts, &binding.value, false, &mut out);
    }
    for call in &facts.calls {
        let auth_call = words(&call.callee)
            .iter()
            .any(|w| AUTH_CALL_WORDS.contains(&w.as_str()));
        for arg in &call.args {
            if let Some(name) = &arg.name
                && let Some(kind) = holder_kind(name)
            {
                let kind = if auth_call && kind == Holder::Other {
                    Holder::Request
                } else {
                    kind
                };
                collect(facts, &arg.value, kind, name, &mut out);
            }
            objects_in(facts, &arg.value, auth_call, &mut out);
        }
        // oauth2 (Rust): `Scope::new("repo".to_string())`.
        if call.callee == "Scope::new" || call.callee.ends_with("::Scope::new") {
            for arg in call.positional().take(1) {
                collect(facts, arg, Holder::Request, "Scope::new", &mut out);
            }
        }
    }
    for stmt in &facts.statements {
        if let Stmt::Return { value, .. } = stmt {
            objects_in(facts, value, false, &mut out);
        }
    }
    for literal in &facts.strings {
        if let Some(scopes) = url_scopes(&literal.value) {
            add(
                &mut out,
                ScopeLiteral {
                    span: literal.span,
                    scopes,
                    holder_kind: Holder::Request,
                    holder: "scope=".to_string(),
                },
            );
        }
    }
    out.retain(|l| l.holder_kind > Holder::Other);
    out
}

/// Object literals in an expression whose keys hold scopes:
/// `requireBearerAuth({ verifier, requiredScopes: ["admin"] })`,
/// `{ client_id, scope: "repo admin:org" }`. A key is sure when the object
/// goes to an auth call (`auth_call`), sits among OAuth parameters, or
/// says so itself (`requiredScopes`, `oauthScopes`).
fn objects_in(facts: &FileFacts, expr: &Expr, auth_call: bool, out: &mut Vec<ScopeLiteral>) {
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
                if let Some(kind) = holder_kind(key) {
                    let own = words(key)
                        .iter()
                        .any(|w| w == "required" || w.starts_with("oauth"));
                    // A key is a request in an auth call's options or among
                    // OAuth parameters; elsewhere an object is any record.
                    let kind = match kind {
                        Holder::Offered => Holder::Offered,
                        _ if oauth || (kind == Holder::Request && (auth_call || own)) => {
                            Holder::Request
                        }
                        _ => Holder::Other,
                    };
                    collect(facts, value, kind, key, out);
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
fn collect(
    facts: &FileFacts,
    value: &Expr,
    kind: Holder,
    holder: &str,
    out: &mut Vec<ScopeLiteral>,
) {
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
                                holder_kind: kind,
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

/// Does a holder name a vocabulary offered rather than a request?
fn offered(name: &str) -> bool {
    words(name)
        .iter()
        .any(|w| OFFERED_WORDS.contains(&w.as_str()))
}

fn add(out: &mut Vec<ScopeLiteral>, literal: ScopeLiteral) {
    match out.iter_mut().find(|l| l.span == literal.span) {
        Some(existing) => {
            if literal.holder_kind > existing.holder_kind {
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
        assert_eq!(holder_kind("SCOPES"), Some(Holder::Request));
        assert_eq!(holder_kind("requiredScopes"), Some(Holder::Request));
        assert_eq!(holder_kind("scopes_supported"), Some(Holder::Offered));
        assert_eq!(holder_kind("ALLOWED_SCOPES"), Some(Holder::Offered));
        assert_eq!(holder_kind("OAUTH_SCOPE"), Some(Holder::Request));
        assert_eq!(holder_kind("scope"), Some(Holder::Other));
        assert_eq!(holder_kind("SCOPE_FULL"), Some(Holder::Other));
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
