//! MCL603 missing-tool-annotations: tools that say neither whether they only
//! read nor whether they destroy, reported once per file that registers them.

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
    summary: "tools declare neither readOnlyHint nor destructiveHint (one finding per file)",
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

    /// One finding per file that registers tools (a server module, a tool
    /// listing): the fix is one habit of the file's author, and a note per
    /// tool buried every other finding (thousands on an SDK's examples).
    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        // A server manifest's tool list (MCPB) has no place for annotations.
        if ctx.facts.manifest == Some(crate::facts::ManifestKind::ServerManifest) {
            return;
        }
        let tools: Vec<_> = ctx
            .facts
            .tools
            .iter()
            .filter(|t| t.kind == EntryKind::Tool)
            .collect();
        let bare: Vec<_> = tools
            .iter()
            .filter(|t| {
                let hints = &t.annotations;
                hints.read_only.is_none() && hints.destructive.is_none() && !hints.computed
            })
            .collect();
        let Some(first) = bare.first() else {
            return;
        };
        let defaults = "the specification's defaults: not read-only, destructive, open-world";
        let help = format!(
            "say what each tool does to the world so clients can run readers freely and confirm the rest: {}",
            how(ctx.facts.language)
        );
        if let [only] = bare.as_slice() {
            out.push(
                Diagnostic::new(
                    only.span,
                    format!(
                        "tool `{}` declares neither readOnlyHint nor destructiveHint, so clients apply {defaults}",
                        only.name.escape_debug()
                    ),
                )
                .with_help(help),
            );
            return;
        }
        let names: Vec<String> = bare
            .iter()
            .take(LISTED)
            .map(|t| format!("`{}`", t.name.escape_debug()))
            .collect();
        let more = if bare.len() > LISTED { ", …" } else { "" };
        let count = if bare.len() == tools.len() {
            match tools.len() {
                2 => "both tools here declare".to_string(),
                n => format!("all {n} tools here declare"),
            }
        } else {
            format!("{} of {} tools here declare", bare.len(), tools.len())
        };
        let mut diagnostic = Diagnostic::new(
            first.span,
            format!(
                "{count} neither readOnlyHint nor destructiveHint: {}{more}; clients apply {defaults}",
                names.join(", ")
            ),
        )
        .with_help(help);
        // Every tool concerned is a related location (SARIF relatedLocations,
        // JSON labels), so a reader can walk the list.
        for tool in &bare {
            diagnostic = diagnostic.with_label(
                tool.span,
                format!("tool `{}` declares no hints", tool.name.escape_debug()),
            );
        }
        out.push(diagnostic);
    }
}

/// How many tool names the message itself lists; the labels list them all.
const LISTED: usize = 5;

/// The declaration, in the file's own syntax.
fn how(language: Language) -> &'static str {
    match language {
        Language::Json | Language::Yaml | Language::Toml => {
            "\"annotations\": {\"readOnlyHint\": true} (or \"destructiveHint\": true) in each tool's definition"
        }
        Language::Python => {
            "annotations=ToolAnnotations(readOnlyHint=True) (or destructiveHint=True) on each registration"
        }
        Language::Rust => {
            "annotations(read_only_hint = true) (or destructive_hint = true) in each #[tool(...)]"
        }
        Language::Go => {
            "mcp.WithReadOnlyHintAnnotation(true) (mcp-go) or Annotations: &mcp.ToolAnnotations{ReadOnlyHint: true} (go-sdk) on each tool"
        }
        _ => "annotations: { readOnlyHint: true } (or destructiveHint: true) on each registration",
    }
}
