//! MCL601 destructive-tool-unthrottled: a destructive tool of a server
//! exposed over HTTP with no rate limit — not in its handler, not on it
//! (a limiter decorator or wrapper), not around every tool call (a limiting
//! middleware or layer).
//!
//! Servers that only speak stdio are not judged: they serve the one client
//! that started them, whose user already confirms destructive calls
//! (MCL602); over HTTP many sessions, a leaked token or a looping agent can
//! call a destructive tool as fast as the network allows.

use super::operations::{rate_limited, report_unguarded};
use super::{CODE_LANGUAGES, FileContext, Rule, RuleMeta};
use crate::facts::Language;
use crate::finding::{Diagnostic, Level};

pub struct DestructiveToolUnthrottled;

static META: RuleMeta = RuleMeta {
    code: "MCL601",
    name: "destructive-tool-unthrottled",
    level: Level::Warning,
    cwe: Some(799),
    owasp: None,
    languages: CODE_LANGUAGES,
    summary: "a destructive tool of an HTTP server has no rate limit",
    doc: include_str!("../../rules/MCL601-destructive-tool-unthrottled.md"),
    opt_in: true,
    // Tools exist only in files that use an MCP SDK.
    triggers: crate::frontend::SDK_MARKERS,
    prefilter: None,
    roles: crate::roles::SERVER_SIDE,
};

fn help(language: Language) -> &'static str {
    match language {
        Language::Python => {
            "limit how often destructive tools run, per client: fastmcp `mcp.add_middleware(RateLimitingMiddleware(max_requests_per_second=…))`, an `aiolimiter.AsyncLimiter` acquired in the handler, or a limiter on the HTTP app (slowapi); a project's own limiter counts when listed in `rate-limit-markers`"
        }
        Language::Rust => {
            "limit how often destructive tools run, per client: a `tower_governor::GovernorLayer` on the HTTP service, or a `governor::RateLimiter` checked in the handler; a project's own limiter counts when listed in `rate-limit-markers`"
        }
        _ => {
            "limit how often destructive tools run, per client: `app.use(\"/mcp\", rateLimit({ windowMs: 60_000, limit: 30 }))` (express-rate-limit), or a `rate-limiter-flexible` / `bottleneck` limiter consumed in the handler; a project's own limiter counts when listed in `rate-limit-markers`"
        }
    }
}

impl Rule for DestructiveToolUnthrottled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        report_unguarded(
            ctx,
            out,
            rate_limited,
            "and is served over HTTP with no rate limit",
            help(ctx.facts.language),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleOptions;

    fn findings(source: &str, options: &RuleOptions) -> Vec<Diagnostic> {
        crate::rules::check_python_file(&DestructiveToolUnthrottled, source, options, 3)
    }

    #[test]
    fn a_configured_rate_limit_marker_counts() {
        let source = "import os\nfrom fastmcp import FastMCP\nfrom billing import ledger, quota_guard\nmcp = FastMCP('billing')\n\n@mcp.tool(annotations={'destructiveHint': True})\ndef refund(payment_id: int) -> str:\n    quota_guard.check()\n    ledger.refund(payment_id)\n    return 'ok'\n\nmcp.run(transport='http', host=os.environ['HOST'])\n";
        assert_eq!(findings(source, &RuleOptions::default()).len(), 1);
        let options = RuleOptions {
            rate_limit_markers: vec!["quota_guard.check".to_string()],
            ..RuleOptions::default()
        };
        assert!(findings(source, &options).is_empty());
        // Served on loopback only: one local user, not judged.
        let local = source.replace("host=os.environ['HOST']", "host='127.0.0.1'");
        assert!(findings(&local, &RuleOptions::default()).is_empty());
    }
}
