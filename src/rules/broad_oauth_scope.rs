//! MCL305 broad-oauth-scope, for client configs and manifests: OAuth scopes
//! requested for a server that grant far more than an MCP server's tools need
//! (full repository, mailbox, drive or directory access; admin; wildcards).
//!
//! This module judges only data files (`FileFacts::manifest` is `Some`).

use super::launch::DATA_LANGUAGES;
use super::{FileContext, Rule, RuleMeta, owasp};
use crate::facts::FileFacts;
use crate::finding::{Diagnostic, Level};

pub struct BroadOauthScope;

static META: RuleMeta = RuleMeta {
    code: "MCL305",
    name: "broad-oauth-scope",
    level: Level::Warning,
    cwe: Some(250),
    owasp: Some(owasp::MCP02),
    languages: DATA_LANGUAGES,
    summary: "requested OAuth scopes far wider than the tools need",
    doc: include_str!("../../rules/MCL305-broad-oauth-scope.md"),
    opt_in: false,
    triggers: &[],
    prefilter: None,
};

impl Rule for BroadOauthScope {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        check_manifest(ctx.facts, out);
    }
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
                    .with_help("request the narrowest scopes the server's tools use (read-only where they only read); a stolen token is worth what its scopes allow"),
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
                "a wildcard or administrative grant"
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
