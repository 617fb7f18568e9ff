//! MCL602 destructive-tool-unconfirmed, for tool listings: a tool whose name
//! says it deletes, sends or publishes, declared without `destructiveHint:
//! true` — clients that confirm destructive calls will not ask.
//!
//! This module judges only data files (`FileFacts::manifest` is `Some`);
//! source code is judged by handler evidence elsewhere.

use super::launch::{DATA_LANGUAGES, destructive_word};
use super::{FileContext, Rule, RuleMeta, owasp};
use crate::facts::{EntryKind, FileFacts, ManifestKind};
use crate::finding::{Diagnostic, Level};

pub struct DestructiveToolUnconfirmed;

static META: RuleMeta = RuleMeta {
    code: "MCL602",
    name: "destructive-tool-unconfirmed",
    level: Level::Warning,
    cwe: Some(1068),
    owasp: Some(owasp::MCP02),
    languages: DATA_LANGUAGES,
    summary: "a destructive tool has no confirmation (elicitation) or destructiveHint",
    doc: include_str!("../../rules/MCL602-destructive-tool-unconfirmed.md"),
    opt_in: false,
    triggers: &[],
    prefilter: None,
};

impl Rule for DestructiveToolUnconfirmed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        check_manifest(ctx.facts, out);
    }
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
