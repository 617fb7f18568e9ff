//! MCL302 capability-mismatch: a tool whose name promises less than its
//! handler can do.

use super::capability_rules::{self, describe_in, side_effects};
use super::{CODE_LANGUAGES, FileContext, Rule, RuleMeta, owasp, words};
use crate::finding::{Diagnostic, Level};
use crate::taint::{Capability, catalog};

pub struct CapabilityMismatch;

static META: RuleMeta = RuleMeta {
    code: "MCL302",
    name: "capability-mismatch",
    level: Level::Warning,
    cwe: Some(250),
    owasp: Some(owasp::MCP02),
    languages: CODE_LANGUAGES,
    summary: "a tool's name promises less than its handler can do",
    doc: include_str!("../../rules/MCL302-capability-mismatch.md"),
    opt_in: false,
    triggers: capability_rules::TRIGGERS,
    prefilter: None,
    roles: crate::roles::ALL,
};

impl Rule for CapabilityMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        let common = catalog::common();
        for (tool, hits) in capability_rules::tools(ctx) {
            let name_words = words(&tool.name);
            let Some(first) = name_words.first() else {
                continue;
            };
            let (promise, reached) = if common.read_words.contains(first) {
                (
                    format!("its name starts with `{first}`"),
                    side_effects(
                        ctx,
                        tool,
                        &hits,
                        &[Capability::Exec, Capability::FsWrite, Capability::FsDelete],
                    ),
                )
            } else if let Some(domain) = name_words
                .iter()
                .find(|w| common.narrow_domain_words.contains(*w))
            {
                // `delete_note` deleting the note's file does what it says.
                let announced: &[Capability] = if name_words.iter().any(|w| says_delete(w)) {
                    &[Capability::Exec]
                } else {
                    &[Capability::Exec, Capability::FsDelete]
                };
                (
                    format!("it is a `{domain}` tool"),
                    side_effects(ctx, tool, &hits, announced),
                )
            } else {
                continue;
            };
            if reached.is_empty() {
                continue;
            }
            let mut powers: Vec<&str> = reached.iter().map(|h| h.capability.describe()).collect();
            powers.dedup();
            out.push(
                Diagnostic::new(
                    tool.span,
                    format!(
                        "tool `{}` can {} ({}) though {promise}",
                        tool.name.escape_debug(),
                        powers.join(" and "),
                        describe_in(ctx.project, &reached)
                    ),
                )
                .with_help("split the side effect into its own, honestly named tool with destructiveHint, or remove it from this handler; clients and users judge tools by their names"),
            );
        }
    }
}

/// Words of a tool name that announce it deletes.
fn says_delete(word: &str) -> bool {
    matches!(
        word,
        "delete"
            | "remove"
            | "rm"
            | "erase"
            | "purge"
            | "destroy"
            | "drop"
            | "trash"
            | "unlink"
            | "wipe"
            | "prune"
    )
}
