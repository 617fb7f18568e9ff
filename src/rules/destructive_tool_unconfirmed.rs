//! MCL602 destructive-tool-unconfirmed: a destructive tool that does not
//! ask the user before acting and leaves it to the specification's default
//! annotations to say it destroys — or, in a tool listing, a tool whose name
//! says it destroys while its annotations claim it only reads or adds.
//!
//! Source code is judged by the shared destructive classification (what the
//! handler does, never its name alone) and by the confirmation the handler
//! asks for: an MCP elicitation, or a `confirm` / `force` / `dry_run`
//! parameter it checks. Tool listings, with no handler, are judged by the
//! name and the declared hints (`check_manifest`).

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
    summary: "a destructive tool asks for no confirmation and declares no annotations, or a listed tool named destructive claims to be read-only",
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
        Language::Go => {
            "declare it: `mcp.WithDestructiveHintAnnotation(true)` (mcp-go) or `Annotations: &mcp.ToolAnnotations{DestructiveHint: &yes}` (go-sdk), so clients ask before running it; for irreversible actions also ask in the handler (an elicitation request) or require a `confirm` parameter the handler checks"
        }
        _ => {
            "declare it: `annotations: { destructiveHint: true }` on the registration, so clients ask before running it; for irreversible actions also ask in the handler (`await server.server.elicitInput({ message: \"Delete …?\", requestedSchema })`) or require a `confirm` parameter the handler checks"
        }
    }
}

/// Source code: destructive tools (judged by what their handler does) that
/// declare no annotations and ask for no confirmation. By the
/// specification's defaults such a tool is already treated as destructive
/// (`destructiveHint` defaults to true), so the finding is the missing
/// confirmation, and the help asks for the hint to be said out loud.
/// `destructiveHint: true`, or `readOnlyHint: false` without
/// `destructiveHint`, is the author saying so; `readOnlyHint: true` and
/// `destructiveHint: false` contradicted by the handler are MCL306's.
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
                "tool `{}` {} and does not ask the user to confirm; it declares no annotations, so only the specification's default (`destructiveHint` true) tells clients it is destructive",
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

/// Tool listings: no handler is known, so a tool is judged destructive by
/// its name, and reported when its annotations claim otherwise —
/// `readOnlyHint: true`, or `destructiveHint: false` — so that clients will
/// not ask before running it. A tool with no hints is destructive by the
/// specification's default (`readOnlyHint` false, `destructiveHint` true):
/// clients that honour hints already treat it so, and MCL603 asks for them.
/// (A manifest's tool list cannot declare hints, so it is not judged.)
pub fn check_manifest(facts: &FileFacts, out: &mut Vec<Diagnostic>) {
    if facts.manifest != Some(ManifestKind::ToolListing) {
        return;
    }
    for tool in facts.tools.iter().filter(|t| t.kind == EntryKind::Tool) {
        let hints = &tool.annotations;
        let said = match (hints.read_only, hints.destructive) {
            (Some(true), _) => "declares `readOnlyHint: true`",
            (_, Some(false)) => "declares `destructiveHint: false`",
            _ => continue,
        };
        let Some(word) = destructive_word(&tool.name) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                tool.span,
                format!(
                    "tool `{}` is judged destructive by its name (`{word}`; no handler is known here) but {said}: clients will not ask before running it",
                    tool.name.escape_debug()
                ),
            )
            .with_help("if the tool destroys, declare `\"annotations\": {\"readOnlyHint\": false, \"destructiveHint\": true}` (and ask for confirmation in the handler); if it only reads or adds, rename it so its name says so"),
        );
    }
}
