//! MCL403 hardcoded-description (opt-in): a tool description written as a
//! literal in handler code instead of a reviewed, versioned descriptions file.

use super::{CODE_LANGUAGES, FileContext, Rule, RuleMeta, owasp};
use crate::facts::{Description, EntryKind};
use crate::finding::{Diagnostic, Level};

pub struct HardcodedDescription;

static META: RuleMeta = RuleMeta {
    code: "MCL403",
    name: "hardcoded-description",
    level: Level::Note,
    cwe: None,
    owasp: Some(owasp::MCP03),
    languages: CODE_LANGUAGES,
    summary: "a tool description is a literal in handler code (opt-in)",
    doc: include_str!("../../rules/MCL403-hardcoded-description.md"),
    opt_in: true,
    // Tools exist only in files that use an MCP SDK.
    triggers: crate::frontend::SDK_MARKERS,
    prefilter: None,
    roles: crate::roles::ALL,
};

impl Rule for HardcodedDescription {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        for tool in &ctx.facts.tools {
            let Some(Description::Literal { span, .. }) = &tool.description else {
                continue;
            };
            if tool.kind != EntryKind::Tool {
                continue;
            }
            out.push(
                Diagnostic::new(*span, format!("tool `{}` description is hardcoded in the server's code", tool.name.escape_debug()))
                    .with_help("keep tool descriptions in one reviewed, versioned file (descriptions.json, a manifest) that the server loads, so a change to what the model is told shows up in review"),
            );
        }
    }
}
