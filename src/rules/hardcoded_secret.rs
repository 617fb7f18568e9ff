//! MCL801 hardcoded-secret: credentials written into source as string literals.

use std::sync::OnceLock;

use regex::Regex;
use serde::Deserialize;

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
    static PATTERN: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = PATTERN
        .get_or_init(|| {
            Regex::new(
                r#"([A-Za-z0-9_\-]*(?i:secret|passw|pwd|token|key|credential)[A-Za-z0-9_\-]*)["']?[ \t]*(?::[^=\n;,)]{0,60})?(?:=|:|=>)[ \t]*[a-z]{0,2}["'`]"#,
            )
            .ok()
        })
        .as_ref()
    else {
        return true;
    };
    re.captures_iter(text)
        .filter_map(|c| c.get(1))
        .any(|name| is_secret_name(name.as_str()))
}

#[derive(Deserialize)]
struct CatalogFile {
    placeholders: Vec<String>,
    format: Vec<FormatEntry>,
}

#[derive(Deserialize)]
struct FormatEntry {
    name: String,
    regex: String,
}

struct Format {
    name: String,
    regex: Regex,
}

/// `rules/catalog/secrets.toml`, compiled once.
struct Catalog {
    placeholders: Vec<String>,
    formats: Vec<Format>,
}

const CATALOG_TEXT: &str = include_str!("../../rules/catalog/secrets.toml");

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        // The catalog is embedded and covered by tests; were it invalid, the
        // rule would find less rather than crash a scan.
        let Ok(file) = toml::from_str::<CatalogFile>(CATALOG_TEXT) else {
            return Catalog {
                placeholders: Vec::new(),
                formats: Vec::new(),
            };
        };
        Catalog {
            placeholders: file.placeholders.iter().map(|p| p.to_lowercase()).collect(),
            formats: file
                .format
                .into_iter()
                .filter_map(|f| {
                    Some(Format {
                        regex: Regex::new(&f.regex).ok()?,
                        name: f.name,
                    })
                })
                .collect(),
        }
    })
}

impl Rule for HardcodedSecret {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        for lit in &ctx.facts.strings {
            if let Some(diagnostic) = check_literal(lit, ctx.facts.language) {
                out.push(diagnostic);
            }
        }
    }
}

fn check_literal(lit: &StringLit, language: Language) -> Option<Diagnostic> {
    let value = lit.value.as_str();
    if value.len() < 8 {
        return None;
    }
    // A token whose payload says it is an example (jwt.io's "John Doe", "test").
    let (_, bare) = split_auth_scheme(value);
    if jwt_payload(bare).is_some_and(|payload| is_placeholder(&payload)) {
        return None;
    }
    for format in &catalog().formats {
        if let Some(m) = format.regex.find(value)
            && !is_placeholder(m.as_str())
            && !jwt_payload(m.as_str()).is_some_and(|payload| is_placeholder(&payload))
        {
            let message = format!("hardcoded {} `{}`", format.name, redact(m.as_str()));
            return Some(Diagnostic::new(lit.span, message).with_help(help(language)));
        }
    }
    // `"Bearer <token>"` carries its secret whatever it is assigned to.
    let (scheme, token) = split_auth_scheme(value);
    if let Some(scheme) = scheme
        && looks_random(token)
    {
        let message = format!(
            "hardcoded credential in a `{scheme}` authorization value `{}`",
            redact(token)
        );
        return Some(Diagnostic::new(lit.span, message).with_help(help(language)));
    }
    let target = lit.target.as_deref()?;
    if is_secret_name(target) && looks_random(value) {
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

pub(crate) fn is_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if catalog()
        .placeholders
        .iter()
        .any(|w| lower.contains(w.as_str()))
    {
        return true;
    }
    // Stripe test and publishable keys are not secrets.
    if ["sk_test_", "rk_test_", "pk_test_", "pk_live_"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return true;
    }
    // A long run of one character: "sk-000000000000", "AKIAXXXXXXXXXXXXXXXX".
    let mut run = 0;
    let mut previous = None;
    for c in value.chars() {
        run = if Some(c) == previous { run + 1 } else { 1 };
        previous = Some(c);
        if run >= 6 {
            return true;
        }
    }
    false
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

/// The decoded payload of a JSON Web Token (`header.payload.signature`).
fn jwt_payload(token: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    String::from_utf8(decode_base64(payload)?).ok()
}

/// Decodes standard or URL-safe base64 (padding optional); `None` when the
/// text is not base64 or too short to be worth decoding.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let trimmed = text.trim_end_matches('=');
    if trimmed.len() < 8 || trimmed.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(trimmed.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in trimmed.bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
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
    fn catalog_compiles_completely() {
        let file: CatalogFile =
            toml::from_str(CATALOG_TEXT).expect("secrets catalog is valid TOML");
        assert_eq!(
            catalog().formats.len(),
            file.format.len(),
            "a regex failed to compile"
        );
        assert_eq!(catalog().placeholders.len(), file.placeholders.len());
    }

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
        assert!(is_placeholder("sk_test_4eC39HqLyjWDarjtT1zdp7dc"));
        assert!(!is_placeholder("ghp_29WX92kmAOc6hARRiMQiC45ktdTyWOkCSo7e"));
    }
}
