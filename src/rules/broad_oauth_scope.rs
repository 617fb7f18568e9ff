//! MCL305 broad-oauth-scope: OAuth scopes that grant far more than an MCP
//! server's tools need (full repository, mailbox, drive or directory
//! access; admin; wildcards) — requested for a server in a client config or
//! manifest, or requested / required in the server's own source (scope
//! constants, `scopes=` / `required_scopes=` / `requiredScopes`, oauth2's
//! `Scope::new`, the `scope=` of an authorization URL; see `oauth_scopes`).

use super::oauth_scopes::{self, Holder, ScopeLiteral};
use super::{FileContext, Rule, RuleMeta, owasp};
use crate::facts::{FileFacts, Language};
use crate::finding::{Diagnostic, Level};

pub struct BroadOauthScope;

static META: RuleMeta = RuleMeta {
    code: "MCL305",
    name: "broad-oauth-scope",
    level: Level::Warning,
    cwe: Some(250),
    owasp: Some(owasp::MCP02),
    languages: &[
        Language::Python,
        Language::TypeScript,
        Language::Tsx,
        Language::JavaScript,
        Language::Rust,
        Language::Json,
        Language::Yaml,
        Language::Toml,
    ],
    summary: "requested OAuth scopes far wider than the tools need",
    doc: include_str!("../../rules/MCL305-broad-oauth-scope.md"),
    opt_in: false,
    // Data files are chosen by their MCP keys; in code, scopes are named so.
    triggers: &[
        "scopes",
        "scope=",
        "scope =",
        "scope:",
        "scope::new",
        "\"scope\"",
        "'scope'",
    ],
    prefilter: None,
    roles: crate::roles::SERVER_SIDE,
};

const HELP: &str = "request the narrowest scopes the server's tools use (read-only where they only read); a stolen token is worth what its scopes allow";

impl Rule for BroadOauthScope {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        if ctx.facts.manifest.is_some() {
            check_manifest(ctx.facts, out);
        } else if ctx.facts.language.is_code() && !is_sample(ctx.path) {
            check_source(ctx.facts, out);
        }
    }
}

/// UI stories hold sample scopes, not the server's requests (tests are
/// left alone by the rule's roles).
fn is_sample(path: &std::path::Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.contains(".stories."))
}

/// Scopes requested or required in source code.
fn check_source(facts: &FileFacts, out: &mut Vec<Diagnostic>) {
    for literal in oauth_scopes::requested(facts) {
        let broad: Vec<(&str, &'static str)> = literal
            .scopes
            .iter()
            .filter(|s| literal.holder_kind == Holder::Request || !is_generic(s))
            .filter_map(|s| broad_scope(s).map(|why| (s.as_str(), why)))
            .collect();
        let Some((first, why)) = broad.first().copied() else {
            continue;
        };
        out.push(
            Diagnostic::new(literal.span, message(&literal, &broad, first, why)).with_help(HELP),
        );
    }
}

fn message(literal: &ScopeLiteral, broad: &[(&str, &str)], first: &str, why: &str) -> String {
    let holder = literal.holder.escape_debug();
    match broad {
        [_] => format!(
            "`{holder}` holds the OAuth scope `{}`, which grants {why}",
            first.escape_debug()
        ),
        _ => {
            let all: Vec<String> = broad
                .iter()
                .map(|(s, _)| format!("`{}`", s.escape_debug()))
                .collect();
            format!(
                "`{holder}` holds the OAuth scopes {}; `{}` alone grants {why}",
                all.join(", "),
                first.escape_debug()
            )
        }
    }
}

/// Broad scopes that are also ordinary words: reported only where the
/// holder is certainly a request (`scopes_supported = ["admin"]` is the
/// server's own vocabulary).
fn is_generic(scope: &str) -> bool {
    matches!(
        scope.trim().to_ascii_lowercase().as_str(),
        "*" | "all"
            | "root"
            | "admin"
            | "api"
            | "sudo"
            | "full_access"
            | "full-access"
            | "repo"
            | "*:*"
    )
}

pub fn check_manifest(facts: &FileFacts, out: &mut Vec<Diagnostic>) {
    if facts.manifest.is_none() {
        return;
    }
    for entry in &facts.client_entries {
        for scope in &entry.oauth_scopes {
            if let Some(why) = broad_scope(&scope.value) {
                out.push(
                    Diagnostic::new(
                        scope.span,
                        format!(
                            "server `{}` requests the OAuth scope `{}`, which grants {why}",
                            entry.name, scope.value
                        ),
                    )
                    .with_help(HELP),
                );
            }
        }
    }
}

/// What a scope grants, when that is far more than a tool usually needs.
pub fn broad_scope(scope: &str) -> Option<&'static str> {
    let s = scope.trim();
    let lower = s.to_ascii_lowercase();
    Some(match lower.as_str() {
        "*" | "all" | "*:*" | "full_access" | "full-access" | "root" => "everything",
        "repo" => "full control of every private repository (GitHub)",
        "delete_repo" => "deleting repositories (GitHub)",
        "admin:org" | "admin:enterprise" | "site_admin" => "organisation administration (GitHub)",
        "write:org" => "managing organisation membership and teams (GitHub)",
        "admin:repo_hook" | "admin:org_hook" => "webhook administration (GitHub)",
        "https://mail.google.com/" | "https://mail.google.com" => {
            "full Gmail access, including deletion"
        }
        "https://www.googleapis.com/auth/drive" => "every file in Google Drive",
        "https://www.googleapis.com/auth/cloud-platform" => "all of Google Cloud",
        "directory.readwrite.all" | "rolemanagement.readwrite.directory" => {
            "writing the whole Entra ID directory"
        }
        "sites.fullcontrol.all" => "full control of every SharePoint site",
        "api" => "the whole API with write access (GitLab)",
        "sudo" => "acting as any user (GitLab)",
        _ => {
            if lower.ends_with(":*")
                || lower.ends_with(".*")
                || lower == "admin"
                || lower.starts_with("admin.")
            {
                "administrative or wildcard access"
            } else if lower.ends_with(".readwrite.all") {
                "writing that resource for every user in the tenant (Microsoft Graph)"
            } else if lower.starts_with("https://www.googleapis.com/auth/admin.") {
                "Google Workspace administration"
            } else {
                return None;
            }
        }
    })
}
