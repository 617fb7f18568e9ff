//! Does a name say it holds a credential? `api_key`, `GITHUB_TOKEN`,
//! `client_secret`, `authHeader` do; `token_url`, `max_tokens`,
//! `password_policy`, `secret_name`, `progressToken` do not. The last word
//! decides what a name is (`token_type` is a type), and words anywhere in it
//! can say it is a count, a place or a label rather than the value.

use super::words;

/// What a name says about its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// A credential: `token`, `api_key`, `DB_PASSWORD`, `creds`.
    Secret,
    /// Explicitly something else: a count, a URL, a name, a type, a mask.
    NotSecret,
    /// Says nothing either way: `value`, `data`, `auth`.
    Neutral,
}

/// Words that make a name about something other than the secret itself:
/// `token_count`, `token_url`, `secret_name`, `api_key_header`, `key_id`,
/// `password_policy`, `masked_token`, `has_token`, `token_expires_at`.
const NOT_THE_VALUE: &[&str] = &[
    // counts and sizes (LLM token counters above all)
    "count",
    "counts",
    "num",
    "number",
    "len",
    "length",
    "size",
    "max",
    "min",
    "total",
    "used",
    "usage",
    "limit",
    "limits",
    "remaining",
    "budget",
    "estimate",
    "estimated",
    "input",
    "output",
    "prompt",
    "completion",
    "cached", // places and labels
    "url",
    "urls",
    "uri",
    "endpoint",
    "host",
    "path",
    "file",
    "filename",
    "dir",
    "name",
    "names",
    "id",
    "ids",
    "header",
    "field",
    "param",
    "env",
    "var",
    "variable",
    "label",
    "description",
    "desc",
    "help",
    "placeholder",
    "location",
    "arn",
    "ref",
    "reference",
    // kinds and rules
    "type",
    "types",
    "kind",
    "policy",
    "method",
    "methods",
    "scheme",
    "format",
    "pattern",
    "regex",
    "schema",
    "version",
    "scope",
    "scopes",
    "audience",
    "issuer",
    "claims",
    "claim",
    "strength",
    "rotation", // time
    "ttl",
    "expiry",
    "expires",
    "expiration",
    "expire",
    "expired",
    "exp",
    "lifetime",
    "age",
    "at",
    "created",
    "updated",
    "timeout", // derived, checked or hidden values
    "hash",
    "hashed",
    "fingerprint",
    "masked",
    "mask",
    "redacted",
    "preview",
    "prefix",
    "suffix",
    "last4",
    "hint",
    "is",
    "has",
    "present",
    "enabled",
    "required",
    "set",
    "missing",
    "status",
    "error",
    "err", // objects around a secret
    "source",
    "provider",
    "store",
    "storage",
    "manager",
    "service",
    "verifier",
    "validator",
    "handler",
    "loader",
    "factory",
    "getter",
    "cache",
    "repository",
    "flow",
    "info",
    "callback",
    "event",
    "message",
    "msg",
    // where a value came from: `token_source`, `api_key_origin`
    "source",
    "sources",
    "origin",
];

/// Words of a container that holds facts about each credential rather than
/// the credentials: `configSources.apiKey` says where the key came from,
/// `secretStatus.token` whether one is set.
const ABOUT_FIELDS: &[&str] = &[
    "source",
    "sources",
    "origin",
    "origins",
    "status",
    "statuses",
    "type",
    "types",
    "kind",
    "kinds",
    "label",
    "labels",
    "flags",
    "meta",
    "metadata",
    "schema",
    "schemas",
    "description",
    "descriptions",
    "lengths",
    "counts",
];

/// Tokens that are not credentials: pagination cursors, MCP progress
/// tokens, cancellation tokens, CSRF and idempotency tokens.
const HARMLESS_TOKENS: &[&str] = &[
    "page",
    "next",
    "prev",
    "cursor",
    "continuation",
    "sync",
    "pagination",
    "progress",
    "cancel",
    "cancellation",
    "resume",
    "idempotency",
    "csrf",
    "xsrf",
    "lexer",
    "parser",
    "stop",
    "special",
    "eos",
    "bos",
    "pad",
    "unk",
];

/// Classifies the last segment of a name path (`self.api_key` → `api_key`,
/// `headers["x-api-key"]` → `x-api-key`).
pub fn naming(path: &str) -> Naming {
    let mut segments = path.rsplit(['.', ':']).filter(|s| !s.is_empty());
    let last = segments
        .next()
        .unwrap_or(path)
        .trim_matches(|c: char| matches!(c, '"' | '\'' | '`' | '[' | ']' | '(' | ')'));
    if segments.next().is_some_and(|parent| {
        words(parent)
            .iter()
            .any(|w| ABOUT_FIELDS.contains(&w.as_str()))
    }) {
        return Naming::NotSecret;
    }
    let mut w = words(last);
    // `user_email_from_creds`, `name_of_secret`: the value is what comes
    // before the preposition.
    if let Some(cut) = w
        .iter()
        .position(|word| matches!(word.as_str(), "from" | "of" | "for" | "by" | "in" | "via"))
    {
        let after = &w[cut + 1..];
        // `apiKeyIn` ("header" / "query"): where the key goes, not the key.
        // `APIKeyFromEnvVar`, `token_from_variable_name`: the name of the
        // variable that holds it.
        if after.is_empty()
            || after
                .iter()
                .any(|word| matches!(word.as_str(), "var" | "variable" | "name" | "names"))
        {
            return Naming::NotSecret;
        }
        w.truncate(cut);
    }
    let Some(final_word) = w.last().map(String::as_str) else {
        return Naming::Neutral;
    };
    let before = w.len().checked_sub(2).map(|i| w[i].as_str()).unwrap_or("");
    // `auth_header`, `authorization_header`: the header's value, not its name.
    if final_word == "header" && matches!(before, "auth" | "authorization") {
        return Naming::Secret;
    }
    // An OpenID Connect ID token is a bearer credential too.
    if final_word == "token" && before == "id" && w.len() == 2 {
        return Naming::Secret;
    }
    if w.iter().any(|word| NOT_THE_VALUE.contains(&word.as_str())) {
        return Naming::NotSecret;
    }
    if let Some(position) = w.iter().position(|word| word == "key")
        && w.get(position + 1).is_some_and(|next| next == "id")
    {
        return Naming::NotSecret;
    }
    let secret = match final_word {
        "token" | "jwt" | "bearer" => !w
            .iter()
            .any(|word| HARMLESS_TOKENS.contains(&word.as_str())),
        "secret" | "secrets" | "password" | "passwords" | "passwd" | "pwd" | "passphrase"
        | "apikey" | "apikeys" | "credential" | "credentials" | "creds" | "cookie" | "cookies"
        | "authorization" | "privatekey" => true,
        "key" | "keys" => matches!(
            before,
            "api"
                | "secret"
                | "private"
                | "access"
                | "signing"
                | "auth"
                | "master"
                | "client"
                | "encryption"
                | "subscription"
                | "session"
        ),
        // LLM token counts, tokenizer vocabularies.
        "tokens" => false,
        // `accesstoken`, `apitoken`, `dbpassword`: words glued together.
        glued => {
            w.len() == 1
                && ["token", "secret", "password", "passwd", "apikey"]
                    .iter()
                    .any(|s| glued.len() > s.len() && glued.ends_with(s))
                && !glued.ends_with("tokens")
        }
    };
    if secret {
        Naming::Secret
    } else if final_word == "tokens" {
        Naming::NotSecret
    } else {
        Naming::Neutral
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets() {
        for yes in [
            "token",
            "access_token",
            "accessToken",
            "refresh_token",
            "id_token",
            "GITHUB_TOKEN",
            "api_key",
            "apiKey",
            "x-api-key",
            "OPENAI_API_KEY",
            "client_secret",
            "password",
            "DB_PASSWORD",
            "passwd",
            "private_key",
            "secret_key",
            "credentials",
            "creds",
            "cookie",
            "authorization",
            "auth_header",
            "authHeader",
            "self.api_key",
            "settings.github_token",
            "apitoken",
            "bearer",
            "token_for_upstream",
            "api_key_from_env",
            "config.apiKey",
            "process.env.GITHUB_TOKEN",
        ] {
            assert_eq!(naming(yes), Naming::Secret, "{yes}");
        }
    }

    #[test]
    fn not_secrets() {
        for no in [
            "max_tokens",
            "token_count",
            "num_tokens",
            "tokens_used",
            "input_tokens",
            "token_url",
            "password_policy",
            "secret_name",
            "api_key_header",
            "token_type",
            "auth_method",
            "key_id",
            "progressToken",
            "next_page_token",
            "next_global_token",
            "cursor_token",
            "token_expires_at",
            "has_token",
            "masked_token",
            "token_prefix",
            "api_key_env",
            "password_file",
            "token_endpoint",
            "tokenizer",
            "key",
            "auth",
            "value",
            "cancellation_token",
            "token_verifier",
            "secret_arn",
            "user_email_from_creds",
            "configSources.figmaOauthToken",
            "token_source",
            "secretStatus.apiKey",
            "APIKeyFromEnvVar",
            "apiKeyIn",
            "token_from_variable_name",
        ] {
            assert_ne!(naming(no), Naming::Secret, "{no}");
        }
    }
}
