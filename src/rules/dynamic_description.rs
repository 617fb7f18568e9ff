//! MCL404 dynamic-description: a tool description assembled at runtime from
//! data the server does not control — the environment, the network, a file
//! chosen at runtime, a caller's argument.

use super::{CODE_LANGUAGES, FileContext, Rule, RuleMeta, owasp};
use crate::facts::{Description, EntryKind, Origin};
use crate::finding::{Diagnostic, Level};

pub struct DynamicDescription;

static META: RuleMeta = RuleMeta {
    code: "MCL404",
    name: "dynamic-description",
    level: Level::Warning,
    cwe: Some(494),
    owasp: Some(owasp::MCP03),
    languages: CODE_LANGUAGES,
    summary: "a tool description is built from runtime or external data",
    doc: include_str!("../../rules/MCL404-dynamic-description.md"),
    opt_in: false,
    // Tools exist only in files that use an MCP SDK.
    triggers: crate::frontend::SDK_MARKERS,
    prefilter: None,
    roles: crate::roles::SERVER_SIDE,
};

fn origin_text(origin: Origin) -> &'static str {
    match origin {
        Origin::Environment => "the environment",
        Origin::Network => "a network response",
        Origin::File => "a file chosen at runtime",
        Origin::Parameter => "a function parameter",
    }
}

impl Rule for DynamicDescription {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        for tool in &ctx.facts.tools {
            let Some(Description::Dynamic { span, origins }) = &tool.description else {
                continue;
            };
            if tool.kind != EntryKind::Tool || origins.is_empty() {
                continue;
            }
            let from: Vec<&str> = origins.iter().map(|o| origin_text(*o)).collect();
            out.push(
                Diagnostic::new(
                    *span,
                    format!(
                        "tool `{}` description is built at runtime from {}",
                        tool.name.escape_debug(),
                        from.join(" and ")
                    ),
                )
                .with_help("write the description as a literal (or load it from a reviewed file in the repository): whoever controls the runtime data can rewrite what the model is told the tool does"),
            );
        }
    }
}
