//! MCL801 hardcoded-secret: credentials written into source as string literals.

use std::sync::LazyLock;

use regex::Regex;

use super::secret_catalog::{Around, catalog, decode_base64};
use super::{FileContext, Rule, RuleMeta, owasp};
use crate::facts::{Language, StringLit};
use crate::finding::{Diagnostic, Level};

pub struct HardcodedSecret;

static META: RuleMeta = RuleMeta {
    code: "MCL801",
    name: "hardcoded-secret",
    level: Level::Error,
    cwe: Some(798),
    owasp: Some(owasp::MCP01),
    languages: &crate::facts::Language::ALL,
    summary: "hardcoded API keys, tokens, passwords or private keys in source or MCP configs",
    doc: include_str!("../../rules/MCL801-hardcoded-secret.md"),
    opt_in: false,
    triggers: &[
        // Credential format prefixes (see rules/catalog/secrets.toml)…
        "AKIA",
        "ASIA",
        "ABIA",
        "ACCA",
        "ghp_",
        "gho_",
        "ghu_",
        "ghs_",
        "ghr_",
        "github_pat_",
        "glpat-",
        "xox",
        "xapp-",
        "_live_",
        "sk-",
        "AIza",
        "hf_",
        "npm_",
        "pypi-",
        "PRIVATE KEY",
        "eyJ",
        // …and quoted authorization values.
        "\"Bearer ",
        "'Bearer ",
        "`Bearer ",
        "\"Basic ",
        "'Basic ",
        "`Basic ",
    ],
    prefilter: Some(assigns_to_secret_name),
    roles: crate::roles::NOT_TEST,
};

/// Does the text assign a string literal to a secret-looking name anywhere
/// (`API_KEY = "…`, `password: str = "…`, `"X-Api-Key": "…`, `apiKey: '…`)?
/// The name is judged as the rule judges it, so `monkey: "…"` or
/// `token_url = "…"` do not make a file worth parsing. Files where nothing
/// does, and no credential format occurs, are not parsed.
fn assigns_to_secret_name(text: &str) -> bool {
    static PATTERN: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(
            r#"([A-Za-z0-9_\-]*(?i:secret|passw|pwd|token|key|credential)[A-Za-z0-9_\-]*)["']?[ \t]*(?::[^=\n;,)]{0,60})?(?:=|:|=>)[ \t]*[a-z]{0,2}["'`]"#,
        )
        .ok()
    });
    if catalog().file_may_hold_token(text) {
        return true;
    }
    let Some(re) = PATTERN.as_ref() else {
        return true;
    };
    re.captures_iter(text)
        .filter_map(|c| c.get(1))
        .any(|name| is_secret_name(name.as_str()))
}

impl Rule for HardcodedSecret {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        // Config lowering gives a URL and its query parameters one span: one
        // finding per span.
        let mut reported = std::collections::HashSet::new();
        for lit in &ctx.facts.strings {
            if reported.contains(&(lit.span.start, lit.span.end)) {
                continue;
            }
            let around = around(ctx.text, lit);
            if let Some(diagnostic) = check_literal(lit, ctx.facts.language, &around) {
                reported.insert((lit.span.start, lit.span.end));
                out.push(diagnostic);
            }
        }
    }
}

/// How much source either side of a literal the allow list may look at
/// (a Firebase web config's `authDomain` beside its `apiKey`).
const NEAR: usize = 512;

fn around<'a>(text: &'a str, lit: &'a StringLit) -> Around<'a> {
    let start = lit.span.start.min(text.len());
    // The line before the literal, up to `NEAR` bytes back: a minified
    // one-line file would otherwise be searched back to its start for
    // every literal.
    let window = floor(text, start.saturating_sub(NEAR));
    let line_start = text[window..floor(text, start)]
        .rfind('\n')
        .map_or(window, |i| window + i + 1);
    let near_start = floor(text, start.saturating_sub(NEAR));
    let near_end = floor(text, (lit.span.end + NEAR).min(text.len()));
    Around {
        target: lit.target.as_deref(),
        line_before: text.get(line_start..floor(text, start)).unwrap_or(""),
        near: text.get(near_start..near_end).unwrap_or(""),
        // At most 512 bytes: a trailing comment is near, and a minified
        // file's one long line must not be searched to its end per literal.
        line_after: {
            let from = floor(text, lit.span.end.min(text.len()));
            let to = floor(text, (from + 512).min(text.len()));
            let rest = text.get(from..to).unwrap_or("");
            memchr::memchr(b'\n', rest.as_bytes()).map_or(rest, |i| &rest[..i])
        },
    }
}

/// The nearest char boundary at or before `at`.
fn floor(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn check_literal(lit: &StringLit, language: Language, around: &Around<'_>) -> Option<Diagnostic> {
    let value = lit.value.as_str();
    if value.len() < 8 {
        return None;
    }
    let catalog = catalog();
    // A provider's token, found by its shape whatever the literal is called.
    if let Some(hit) = catalog.find(value, around) {
        let message = format!("hardcoded {} `{}`", hit.format.name, redact(hit.token));
        return Some(Diagnostic::new(lit.span, message).with_help(help(language)));
    }
    // `"Bearer <token>"` carries its secret whatever it is assigned to.
    let (scheme, token) = split_auth_scheme(value);
    if let Some(scheme) = scheme
        && looks_random(token)
        && catalog.allowed(token, around).is_none()
    {
        let message = format!(
            "hardcoded credential in a `{scheme}` authorization value `{}`",
            redact(token)
        );
        return Some(Diagnostic::new(lit.span, message).with_help(help(language)));
    }
    let target = lit.target.as_deref()?;
    if is_secret_name(target) && looks_random(value) && catalog.allowed(value, around).is_none() {
        let message = format!(
            "high-entropy string `{}` assigned to `{target}` looks like a hardcoded secret",
            redact(value)
        );
        return Some(Diagnostic::new(lit.span, message).with_help(help(language)));
    }
    None
}

fn help(language: Language) -> String {
    if !language.is_code() {
        return "reference the secret instead of writing it: `${input:name}` (VS Code), `${env:NAME}` or `${NAME}` in the client's config, or a secret store; and rotate this one".to_string();
    }
    let how = match language {
        Language::Python => "os.environ[\"NAME\"]",
        Language::Rust => "std::env::var(\"NAME\")",
        _ => "process.env.NAME",
    };
    format!(
        "read the secret at runtime ({how}, or a secret manager) and rotate this one: it is in your history now"
    )
}

/// The first characters of a secret, never the whole of it: findings end up
/// in CI logs and SARIF uploads.
fn redact(secret: &str) -> String {
    let shown: String = secret.chars().take(6).collect();
    format!("{shown}…")
}

fn split_auth_scheme(value: &str) -> (Option<&str>, &str) {
    for scheme in ["Bearer ", "bearer ", "Basic ", "Token ", "token "] {
        if let Some(rest) = value.strip_prefix(scheme) {
            return (Some(scheme.trim_end()), rest.trim());
        }
    }
    (None, value)
}

fn is_placeholder(value: &str) -> bool {
    catalog().is_placeholder(value)
}

/// Does an assignment target's name say it holds a secret?
pub(crate) fn is_secret_name(target: &str) -> bool {
    let last = target
        .rsplit(['.', ':'])
        .next()
        .unwrap_or(target)
        .trim_matches(|c: char| c == '"' || c == '\'' || c == '[' || c == ']');
    let mut words = super::words(last);
    // `CLIENT_SECRET_PATH_V2`: a version suffix says nothing about the value.
    if words.len() > 1
        && words.last().is_some_and(|w| {
            w.len() > 1 && w.starts_with('v') && w[1..].chars().all(|c| c.is_ascii_digit())
        })
    {
        words.pop();
    }
    let Some(final_word) = words.last().map(String::as_str) else {
        return false;
    };
    // `TOKEN_URL`, `SECRET_PATH`, `API_KEY_ENV`: about a secret, not one.
    const NOT_THE_SECRET: &[&str] = &[
        "url",
        "uri",
        "endpoint",
        "path",
        "file",
        "dir",
        "name",
        "env",
        "var",
        "header",
        "type",
        "id",
        "prefix",
        "suffix",
        "field",
        "param",
        "length",
        "len",
        "size",
        "format",
        "pattern",
        "regex",
        "expiry",
        "expires",
        "ttl",
        "label",
        "hint",
        "help",
        "description",
        "kind",
        "mode",
        "count",
        "limit",
        "scope",
        "scopes",
        "attr",
        "location",
        "provider",
        "source",
        "version",
        "hash",
        "algorithm",
        "alg",
        "policy",
        "rotation",
        "required",
        "enabled",
        "status",
        "state",
    ];
    if NOT_THE_SECRET.contains(&final_word) {
        return false;
    }
    if words
        .first()
        .is_some_and(|w| matches!(w.as_str(), "is" | "has" | "use" | "enable" | "should"))
    {
        return false;
    }
    // Pagination and sync tokens (`next_token`, `nextPageToken`) are cursors, not secrets.
    const CURSOR_WORDS: &[&str] = &[
        "next",
        "page",
        "continuation",
        "pagination",
        "cursor",
        "marker",
        "sync",
        "resume",
    ];
    if words.iter().any(|w| CURSOR_WORDS.contains(&w.as_str())) {
        return false;
    }
    const SECRET_WORDS: &[&str] = &[
        "secret",
        "secrets",
        "password",
        "passwd",
        "passphrase",
        "pwd",
        "token",
        "apikey",
        "credential",
        "credentials",
        "privatekey",
        "secretkey",
        "accesskey",
        "authorization",
    ];
    if words.iter().any(|w| SECRET_WORDS.contains(&w.as_str())) {
        return true;
    }
    // `*_KEY`, except keys that name things rather than unlock them.
    const NOT_SECRET_KEYS: &[&str] = &[
        "sort",
        "cache",
        "primary",
        "foreign",
        "partition",
        "dict",
        "map",
        "lookup",
        "cursor",
        "idempotency",
        "unique",
        "composite",
        "hot",
        "shortcut",
        "public",
        "routing",
        "row",
        "column",
        "group",
        "object",
        "storage",
        "redis",
        "react",
        "i18n",
        "translation",
        "query",
        "state",
        "local",
        "index",
        "hash",
        "sign",
        "ssh_public",
    ];
    // A bare `key` (an S3 object key, a dict key) names nothing secret.
    final_word == "key"
        && words.len() > 1
        && !words
            .iter()
            .rev()
            .nth(1)
            .is_some_and(|w| NOT_SECRET_KEYS.contains(&w.as_str()))
}

/// A value that looks machine-generated rather than written: long enough,
/// no spaces, letters and digits interleaved, high Shannon entropy, and not
/// a URL, path, identifier or placeholder.
pub(crate) fn looks_random(value: &str) -> bool {
    // Base64 of readable text (`cHJldi10b2tlbg==` is "prev-token") is
    // encoded text, not a key: judge the text instead.
    if let Some(decoded) = decode_base64(value)
        && let Ok(text) = String::from_utf8(decoded)
        && !text.is_empty()
        && text.chars().all(|c| !c.is_control() || c == '\n')
    {
        // `user:password` (HTTP Basic): the password is what would be secret.
        let secret = match text.split_once(':') {
            Some((_, password)) if !text.contains(char::is_whitespace) => password,
            _ => text.as_str(),
        };
        return looks_random_text(secret);
    }
    looks_random_text(value)
}

fn looks_random_text(value: &str) -> bool {
    let len = value.chars().count();
    if !(10..=512).contains(&len) || value.chars().any(char::is_whitespace) {
        return false;
    }
    if value.contains("://") || value.starts_with('/') || value.starts_with("./") {
        return false;
    }
    // References to secrets, not secrets: an ARN, a resource path
    // (`projects/p/secrets/key/versions/3`), a file name (`client_secret.json`).
    let has_extension = value.rsplit_once('.').is_some_and(|(_, ext)| {
        (2..=5).contains(&ext.len()) && ext.chars().all(|c| c.is_ascii_lowercase())
    });
    // A path has word segments; base64 (AWS secret keys contain `/`) does not.
    let path_like = value.matches('/').count() >= 2
        && value.split('/').any(|segment| {
            segment.len() >= 3
                && segment
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_')
        });
    if value.starts_with("arn:") || path_like || has_extension {
        return false;
    }
    // An environment variable's name (`GITHUB_TOKEN`), not its value.
    if value
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    {
        return false;
    }
    if is_placeholder(value) {
        return false;
    }
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let letters = value.chars().filter(|c| c.is_alphabetic()).count();
    if digits == 0 || letters == 0 {
        return false;
    }
    let mut transitions = 0;
    let mut previous_digit = None;
    for c in value.chars().filter(|c| c.is_alphanumeric()) {
        let is_digit = c.is_ascii_digit();
        if previous_digit.is_some_and(|p| p != is_digit) {
            transitions += 1;
        }
        previous_digit = Some(is_digit);
    }
    transitions >= 3 && shannon_entropy(value) >= 3.0
}

fn shannon_entropy(value: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    let mut total = 0usize;
    for c in value.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
        total += 1;
    }
    counts
        .values()
        .map(|&n| {
            let p = n as f64 / total as f64;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for name in [
            "API_KEY",
            "apiKey",
            "db_password",
            "self.client_secret",
            "X-Api-Key",
            "AUTH_TOKEN",
            "stripe_key",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "TOKEN_URL",
            "sort_key",
            "KEY_PATH",
            "tokenizer",
            "token_type",
            "is_secret",
            "monkey",
            "API_KEY_ENV",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn random_values() {
        assert!(looks_random("Tr0ub4dor&3xQ9zLm"));
        assert!(looks_random("9f8c7b6a5d4e3f2a1b0c9d8e7f6a5b4c"));
        for value in [
            "changeme",
            "hunter2",
            "GITHUB_TOKEN",
            "user:profile:v2",
            "https://a.b/c1d2e3f4",
            "your-api-key-1234567",
            "my-app-2024-prod",
        ] {
            assert!(!looks_random(value), "{value}");
        }
    }

    #[test]
    fn placeholders() {
        assert!(is_placeholder("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
        assert!(is_placeholder("AKIAIOSFODNN7EXAMPLE"));
        assert!(!is_placeholder("ghp_29WX92kmAOc6hARRiMQiC45ktdTyWOkCSo7e"));
    }

    fn literal(value: &str, target: Option<&str>) -> StringLit {
        StringLit {
            value: value.to_string(),
            span: crate::finding::Span {
                start: 0,
                end: value.len(),
            },
            target: target.map(str::to_string),
        }
    }

    fn message(value: &str, target: Option<&str>) -> Option<String> {
        let lit = literal(value, target);
        let around = Around {
            target,
            ..Around::default()
        };
        check_literal(&lit, Language::Python, &around).map(|d| d.message)
    }

    /// A token is found by its shape whatever its variable is called, and
    /// the message names the provider.
    #[test]
    fn tokens_are_found_by_shape_under_any_name() {
        let found = message("ghp_29WX92kmAOc6hARRiMQiC45ktdTyWOkCSo7e", Some("LEAK"));
        assert_eq!(
            found.as_deref(),
            Some("hardcoded GitHub personal access token (`ghp_`) `ghp_29…`")
        );
        let found = message("glpat-Qw2Ze9Rt4Yu1Io8Pa5Sd", None).unwrap_or_default();
        assert!(found.contains("GitLab"), "{found}");
    }

    /// Public-by-design keys under secret-sounding names are not reported.
    #[test]
    fn public_keys_under_secret_names() {
        for (value, name) in [
            (
                "phc_w69pQvKwGNLsUHU4TGGpgAiscm8nhjudHgAJzAdzXkJV",
                "POSTHOG_API_KEY",
            ),
            ("pk_live_51HqLyjWDarjtT1zdp7dcQw2Ze9Rt4Yu1", "STRIPE_KEY"),
            ("sk_test_4eC39HqLyjWDarjtT1zdp7dc", "stripe_secret_key"),
        ] {
            assert_eq!(message(value, Some(name)), None, "{value}");
        }
    }
}
