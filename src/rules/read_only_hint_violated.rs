//! MCL306 read-only-hint-violated: a tool annotated read-only (or not
//! destructive) whose handler writes, deletes or runs processes.

use super::capability_rules::{self, describe_in, side_effects};
use super::{CODE_LANGUAGES, FileContext, Rule, RuleMeta, owasp};
use crate::finding::{Diagnostic, Level};
use crate::taint::Capability;

pub struct ReadOnlyHintViolated;

static META: RuleMeta = RuleMeta {
    code: "MCL306",
    name: "read-only-hint-violated",
    level: Level::Warning,
    cwe: Some(1059),
    owasp: Some(owasp::MCP02),
    languages: CODE_LANGUAGES,
    summary: "a tool annotated read-only (or non-destructive) writes, deletes or executes",
    doc: include_str!("../../rules/MCL306-read-only-hint-violated.md"),
    opt_in: false,
    triggers: capability_rules::TRIGGERS,
    prefilter: None,
    roles: crate::roles::ALL,
};

impl Rule for ReadOnlyHintViolated {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        for (tool, hits) in capability_rules::tools(ctx) {
            let hints = &tool.annotations;
            let (claim, forbidden): (&str, &[Capability]) = if hints.read_only == Some(true) {
                (
                    "readOnlyHint: true",
                    &[
                        Capability::Exec,
                        Capability::FsWrite,
                        Capability::FsDelete,
                        Capability::NetworkWrite,
                    ],
                )
            } else if hints.destructive == Some(false) {
                (
                    "destructiveHint: false",
                    &[
                        Capability::Exec,
                        Capability::FsDelete,
                        Capability::NetworkWrite,
                    ],
                )
            } else {
                continue;
            };
            let reached = side_effects(ctx, tool, &hits, forbidden);
            if reached.is_empty() {
                continue;
            }
            let mut powers: Vec<&str> = reached.iter().map(|h| h.capability.describe()).collect();
            powers.dedup();
            out.push(
                Diagnostic::new(
                    tool.span,
                    format!(
                        "tool `{}` is annotated {claim} but can {} ({})",
                        tool.name.escape_debug(),
                        powers.join(" and "),
                        describe_in(ctx.project, &reached)
                    ),
                )
                .with_help("clients skip confirmation for read-only tools: correct the annotation (readOnlyHint: false, destructiveHint: true) or remove the side effect"),
            );
        }
    }
}
