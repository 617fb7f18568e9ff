//! MCL501 tool-call-not-logged: a destructive tool whose calls leave no log
//! line — nothing logs in its handler (or what the handler calls), nothing
//! wrapping the handler logs, and the server logs no tool call around it.
//!
//! Only destructive tools are reported (see `destructive`): an audit trail
//! matters where a call changes the world, and asking for a log line in
//! every read-only lookup would bury the findings that matter. Only servers
//! exposed over HTTP are judged: a stdio server has one user, whose client
//! already records every call with its arguments (its transcript and MCP
//! logs); behind HTTP the operator, not the caller, needs the record.

use super::operations::{logged, report_unguarded};
use super::{CODE_LANGUAGES, FileContext, Rule, RuleMeta, owasp};
use crate::facts::Language;
use crate::finding::{Diagnostic, Level};

pub struct ToolCallNotLogged;

static META: RuleMeta = RuleMeta {
    code: "MCL501",
    name: "tool-call-not-logged",
    level: Level::Warning,
    cwe: Some(778),
    owasp: Some(owasp::MCP08),
    languages: CODE_LANGUAGES,
    summary: "a destructive tool of an HTTP server logs nothing about its calls",
    doc: include_str!("../../rules/MCL501-tool-call-not-logged.md"),
    opt_in: true,
    // Tools exist only in files that use an MCP SDK.
    triggers: crate::frontend::SDK_MARKERS,
    prefilter: None,
    roles: crate::roles::SERVER_SIDE,
};

fn help(language: Language) -> &'static str {
    match language {
        Language::Python => {
            "log each call with the time, the caller (client, user or session), the tool, its arguments (secrets redacted) and the outcome or error: `logger.info(...)` in the handler, or once for every tool with a fastmcp middleware (`mcp.add_middleware(LoggingMiddleware())`, or a `Middleware` whose `on_call_tool` logs); a project's own logging decorator counts when listed in `logging-markers`"
        }
        Language::Rust => {
            "log each call with the time, the caller, the tool, its arguments (secrets redacted) and the outcome or error: `tracing::info!(...)` in the handler or `#[tracing::instrument]` on it, or once for every tool in a hand-written `ServerHandler::call_tool` (or a `TraceLayer` on the HTTP service)"
        }
        _ => {
            "log each call with the time, the caller (client, user or session), the tool, its arguments (secrets redacted) and the outcome or error: `logger.info({ tool, args }, ...)` (pino / winston, to stderr in a stdio server) or `server.sendLoggingMessage(...)` in the handler, or register every handler through one wrapper that logs; a project's own wrapper counts when listed in `logging-markers`"
        }
    }
}

impl Rule for ToolCallNotLogged {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        report_unguarded(
            ctx,
            out,
            logged,
            "but nothing logs its calls",
            help(ctx.facts.language),
        );
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::rules::RuleOptions;

    /// MCL501 findings on the first file, scanned with the others as its project.
    fn findings(files: &[(&str, &str)], options: &RuleOptions) -> Vec<Diagnostic> {
        let facts: Vec<_> = files
            .iter()
            .map(|(path, text)| {
                crate::frontend::lower(Language::Python, Path::new(path), text).expect("parses")
            })
            .collect();
        let project = crate::taint::Project::new(
            files
                .iter()
                .zip(&facts)
                .map(|((path, text), facts)| {
                    crate::taint::project::ProjectFile::new(Path::new(path), text, facts)
                })
                .collect(),
            3,
            None,
        );
        let ctx = FileContext {
            path: Path::new(files[0].0),
            text: files[0].1,
            facts: &facts[0],
            project: &project,
            file_index: 0,
            options,
            lockfiles: &Default::default(),
        };
        let mut out = Vec::new();
        ToolCallNotLogged.check(&ctx, &mut out);
        out
    }

    /// Tools registered on the server an entry point creates and runs.
    const TOOLS: &str = "from fastmcp import FastMCP\nfrom app.backend import store\n\ndef register(mcp: FastMCP) -> None:\n    @mcp.tool\n    @tenant_guard\n    def delete_customer(customer_id: int) -> str:\n        store.delete(customer_id)\n        return 'deleted'\n";

    fn entry(extra: &str) -> String {
        format!(
            "import os\nfrom fastmcp import FastMCP\nfrom fastmcp.server.auth.providers.jwt import JWTVerifier\nfrom fastmcp.server.middleware.logging import LoggingMiddleware\nfrom app.tools import register\nmcp = FastMCP('crm', auth=JWTVerifier(jwks_uri=os.environ['JWKS']))\nregister(mcp)\n{extra}mcp.run(transport='http', host=os.environ['HOST'])\n"
        )
    }

    #[test]
    fn a_configured_logging_marker_counts() {
        let main = entry("");
        let files = [("app/tools.py", TOOLS), ("app/main.py", main.as_str())];
        assert_eq!(findings(&files, &RuleOptions::default()).len(), 1);
        let options = RuleOptions {
            logging_markers: vec!["tenant_guard".to_string()],
            ..RuleOptions::default()
        };
        assert!(findings(&files, &options).is_empty());
    }

    #[test]
    fn middleware_added_by_the_entry_point_counts() {
        let main = entry("mcp.add_middleware(LoggingMiddleware())\n");
        let files = [("app/tools.py", TOOLS), ("app/main.py", main.as_str())];
        assert!(findings(&files, &RuleOptions::default()).is_empty());
        // Middleware added to another server of the repository does not count.
        let other = main.replace("app.tools", "other.tools");
        let run = entry("");
        let files = [
            ("app/tools.py", TOOLS),
            ("app/main.py", run.as_str()),
            ("other/main.py", other.as_str()),
        ];
        assert_eq!(findings(&files, &RuleOptions::default()).len(), 1);
    }
}
