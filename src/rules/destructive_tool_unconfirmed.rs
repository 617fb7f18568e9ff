//! MCL602 destructive-tool-unconfirmed: a destructive tool that neither
//! asks the user before acting nor declares `destructiveHint: true` — clients
//! that confirm destructive calls will not ask.
//!
//! Tool listings are judged by the name and the declared hints
//! (`check_manifest`). Source code is judged by the shared destructive
//! classification (what the handler reaches, the name, the hints) and by the
//! confirmation the handler asks for: an MCP elicitation, or a
//! `confirm` / `force` / `dry_run` parameter it checks.

use super::destructive::each_destructive;
use super::launch::destructive_word;
use super::operations::confirmed;
use super::{FileContext, Rule, RuleMeta, owasp};
use crate::facts::{EntryKind, FileFacts, Language, ManifestKind};
use crate::finding::{Diagnostic, Level};

pub struct DestructiveToolUnconfirmed;

static META: RuleMeta = RuleMeta {
    code: "MCL602",
    name: "destructive-tool-unconfirmed",
    level: Level::Warning,
    cwe: Some(1068),
    owasp: Some(owasp::MCP02),
    languages: &Language::ALL,
    summary: "a destructive tool has no confirmation (elicitation) or destructiveHint",
    doc: include_str!("../../rules/MCL602-destructive-tool-unconfirmed.md"),
    opt_in: false,
    // In code, tools exist only in files that use an MCP SDK (data files
    // are parsed when they mention an MCP key).
    triggers: crate::frontend::SDK_MARKERS,
    prefilter: None,
    roles: crate::roles::SERVER_SIDE,
};

impl Rule for DestructiveToolUnconfirmed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        if ctx.facts.language.is_code() {
            check_source(ctx, out);
        } else {
            check_manifest(ctx.facts, out);
        }
    }
}

fn help(language: Language) -> &'static str {
    match language {
        Language::Python => {
            "declare it: `@mcp.tool(annotations=ToolAnnotations(destructiveHint=True))` (fastmcp: `annotations={\"destructiveHint\": True}`), so clients ask before running it; for irreversible actions also ask in the handler (`await ctx.elicit(\"Delete …?\", response_type=...)`) or require a `confirm` parameter the handler checks"
        }
        Language::Rust => {
            "declare it: `#[tool(description = \"…\", annotations(destructive_hint = true))]`, so clients ask before running it; for irreversible actions also ask in the handler (`context.peer.elicit::<Confirm>(\"Delete …?\")`) or require a `confirm` field the handler checks"
        }
        _ => {
            "declare it: `annotations: { destructiveHint: true }` on the registration, so clients ask before running it; for irreversible actions also ask in the handler (`await server.server.elicitInput({ message: \"Delete …?\", requestedSchema })`) or require a `confirm` parameter the handler checks"
        }
    }
}

/// Source code: destructive tools that declare no hint about it and ask for
/// no confirmation. Tools that declare `readOnlyHint: true` or
/// `destructiveHint: false` are MCL306's business when their handler
/// contradicts them; `readOnlyHint: false` alone already means destructive
/// by the specification's default.
fn check_source(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    each_destructive(ctx, |index, tool, destructive| {
        let hints = &tool.annotations;
        if hints.destructive.is_some() || hints.read_only.is_some() || hints.computed {
            return;
        }
        if confirmed(ctx, index) {
            return;
        }
        let mut diagnostic = Diagnostic::new(
            tool.span,
            format!(
                "tool `{}` {} but neither asks the user to confirm nor declares `destructiveHint: true`",
                tool.name.escape_debug(),
                destructive.because()
            ),
        )
        .with_help(help(ctx.facts.language));
        if let Some((span, label)) = destructive.site(ctx) {
            diagnostic = diagnostic.with_label(span, label);
        }
        out.push(diagnostic);
    });
}

/// Tool listings: judged by the name's words and the declared hints (a
/// manifest's tool list cannot declare hints, so it is not judged).
pub fn check_manifest(facts: &FileFacts, out: &mut Vec<Diagnostic>) {
    if facts.manifest != Some(ManifestKind::ToolListing) {
        return;
    }
    for tool in facts.tools.iter().filter(|t| t.kind == EntryKind::Tool) {
        let hints = &tool.annotations;
        // `readOnlyHint: false` with no `destructiveHint` is destructive by
        // the specification's default: the author said enough.
        if hints.destructive == Some(true)
            || (hints.read_only == Some(false) && hints.destructive.is_none())
        {
            continue;
        }
        let Some(word) = destructive_word(&tool.name) else {
            continue;
        };
        let said = match (tool.annotations.destructive, tool.annotations.read_only) {
            (Some(false), _) => "declares `destructiveHint: false`",
            (_, Some(true)) => "declares `readOnlyHint: true`",
            _ => "declares no hints",
        };
        out.push(
            Diagnostic::new(
                tool.span,
                format!(
                    "tool `{}` looks destructive (`{word}`) but {said}: clients will not ask before running it",
                    tool.name.escape_debug()
                ),
            )
            .with_help("declare `\"annotations\": {\"destructiveHint\": true}` (and ask for confirmation in the handler), or rename the tool if it only reads"),
        );
    }
}
