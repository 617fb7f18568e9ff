//! MCL603 missing-tool-annotations: a tool that says neither whether it only
//! reads nor whether it destroys.

use super::{FileContext, Rule, RuleMeta, owasp};
use crate::facts::{EntryKind, Language};
use crate::finding::{Diagnostic, Level};

pub struct MissingToolAnnotations;

static META: RuleMeta = RuleMeta {
    code: "MCL603",
    name: "missing-tool-annotations",
    level: Level::Note,
    cwe: Some(1059),
    owasp: Some(owasp::MCP02),
    languages: &crate::facts::Language::ALL,
    summary: "a tool declares neither readOnlyHint nor destructiveHint",
    doc: include_str!("../../rules/MCL603-missing-tool-annotations.md"),
    opt_in: false,
    // Tools exist only in files that use an MCP SDK.
    triggers: crate::frontend::SDK_MARKERS,
    prefilter: None,
    roles: crate::roles::ALL,
};

impl Rule for MissingToolAnnotations {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        // A server manifest's tool list (MCPB) has no place for annotations.
        if ctx.facts.manifest == Some(crate::facts::ManifestKind::ServerManifest) {
            return;
        }
        let how = match ctx.facts.language {
            Language::Json | Language::Yaml | Language::Toml => {
                "\"annotations\": {\"readOnlyHint\": true} (or \"destructiveHint\": true) in the tool's definition"
            }
            Language::Python => {
                "annotations=ToolAnnotations(readOnlyHint=True) (or destructiveHint=True) on the registration"
            }
            Language::Rust => {
                "annotations(read_only_hint = true) (or destructive_hint = true) in #[tool(...)]"
            }
            _ => {
                "annotations: { readOnlyHint: true } (or destructiveHint: true) on the registration"
            }
        };
        for tool in &ctx.facts.tools {
            let hints = &tool.annotations;
            if tool.kind != EntryKind::Tool
                || hints.read_only.is_some()
                || hints.destructive.is_some()
                || hints.computed
            {
                continue;
            }
            out.push(
                Diagnostic::new(
                    tool.span,
                    format!(
                        "tool `{}` declares neither readOnlyHint nor destructiveHint",
                        tool.name.escape_debug()
                    ),
                )
                .with_help(format!(
                    "say what the tool does to the world so clients can ask for confirmation: {how}"
                )),
            );
        }
    }
}
