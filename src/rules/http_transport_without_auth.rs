//! MCL101 http-transport-without-auth: an MCP endpoint served over SSE or
//! streamable HTTP, reachable beyond loopback, with nothing that
//! authenticates the request before it reaches the transport.

use super::http::{self, Bind, RouteAuth};
use super::{CODE_LANGUAGES, FileContext, Rule, RuleMeta, owasp};
use crate::facts::Language;
use crate::finding::{Diagnostic, Level};

pub struct HttpTransportWithoutAuth;

/// Literals without which a file serves no MCP transport over HTTP.
pub(super) const HTTP_TRANSPORT_TRIGGERS: &[&str] = &[
    "streamable",
    "sse_app",
    "http_app",
    "run_sse_async",
    "run_http_async",
    "SSEServerTransport",
    "SseServerTransport",
    "SseServer",
    "SSEHandler",
    "transport=\"sse\"",
    "transport='sse'",
    "transport=\"http\"",
    "transport='http'",
];

static META: RuleMeta = RuleMeta {
    code: "MCL101",
    name: "http-transport-without-auth",
    level: Level::Error,
    cwe: Some(306),
    owasp: Some(owasp::MCP07),
    languages: CODE_LANGUAGES,
    summary: "an SSE or streamable-HTTP MCP endpoint is served with no authentication",
    doc: include_str!("../../rules/MCL101-http-transport-without-auth.md"),
    opt_in: false,
    triggers: HTTP_TRANSPORT_TRIGGERS,
    prefilter: None,
    roles: crate::roles::SERVER_SIDE,
};

fn help(language: Language) -> &'static str {
    match language {
        Language::Python => {
            "require a bearer token before the MCP endpoint: `FastMCP(..., token_verifier=..., auth=AuthSettings(...))` (mcp) or `FastMCP(..., auth=JWTVerifier(...))` (fastmcp), or an authentication middleware on the Starlette/FastAPI app that mounts it; if the server is for local use only, bind it to 127.0.0.1; declare your own middleware with `auth-markers` in mcplint.toml"
        }
        Language::Rust => {
            "put an authentication layer in front of the service: `.layer(axum::middleware::from_fn(require_auth))` or `ValidateRequestHeaderLayer::bearer(...)` on the router that nests it; if the server is for local use only, bind it to 127.0.0.1; declare your own layer with `auth-markers` in mcplint.toml"
        }
        Language::Go => {
            "wrap the MCP handler in an authentication middleware before mounting it: `mux.Handle(\"/mcp\", auth.RequireBearerToken(verifier, nil)(handler))` (go-sdk's `auth` package) or a middleware of your own that rejects requests without a valid token; if the server is for local use only, listen on 127.0.0.1; declare your own middleware with `auth-markers` in mcplint.toml"
        }
        _ => {
            "put authentication before the route that handles the transport: `app.post(\"/mcp\", requireBearerAuth({ verifier }), handler)` from `@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js`, or passport / express-jwt / a middleware that rejects requests without a valid token; if the server is for local use only, listen on 127.0.0.1; declare your own middleware with `auth-markers` in mcplint.toml"
        }
    }
}

impl Rule for HttpTransportWithoutAuth {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        let facts = ctx.facts;
        let endpoints = http::http_endpoints(facts);
        if endpoints.is_empty() || !http::builds_http_app(facts) {
            return;
        }
        let bind = http::bind(facts);
        // A loopback-only server is reached through the browser, not the
        // network: that is MCL103's finding.
        if bind == Bind::Loopback {
            return;
        }
        let file_authenticates = http::auth_evidence(ctx).is_some();
        for endpoint in endpoints {
            // Where the route serving the endpoint is known, its own guard
            // decides; elsewhere, any authentication in the file.
            match http::route_auth(ctx, endpoint.span) {
                RouteAuth::Authenticated(..) => continue,
                RouteAuth::Unknown if file_authenticates => continue,
                RouteAuth::Unknown | RouteAuth::Open => {}
            }
            let mut diagnostic = Diagnostic::new(
                endpoint.span,
                format!(
                    "{} MCP endpoint served with no authentication",
                    http::transport_words(endpoint.transport)
                ),
            )
            .with_help(help(facts.language));
            diagnostic = match bind {
                Bind::Any(span) => {
                    diagnostic.with_label(span, "the server listens on every network interface")
                }
                _ => diagnostic,
            };
            out.push(diagnostic);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleOptions;

    fn findings(source: &str, options: &RuleOptions) -> Vec<Diagnostic> {
        crate::rules::check_python_file(&HttpTransportWithoutAuth, source, options, 1)
    }

    #[test]
    fn a_configured_auth_marker_counts() {
        let source = "from mcp.server.fastmcp import FastMCP\nfrom starlette.applications import Starlette\nfrom starlette.routing import Mount\nimport uvicorn, os\nmcp = FastMCP('x')\napp = Starlette(routes=[Mount('/mcp', app=mcp.streamable_http_app())])\napp = require_team_auth(app)\nuvicorn.run(app, host=os.environ['HOST'])\n";
        assert_eq!(findings(source, &RuleOptions::default()).len(), 1);
        let options = RuleOptions {
            auth_markers: vec!["require_team_auth".to_string()],
            ..RuleOptions::default()
        };
        assert!(findings(source, &options).is_empty());
    }

    #[test]
    fn loopback_only_servers_are_left_to_mcl103() {
        let source = "from mcp.server.fastmcp import FastMCP\nmcp = FastMCP('x', host='127.0.0.1')\nmcp.run(transport='streamable-http')\n";
        assert!(findings(source, &RuleOptions::default()).is_empty());
        let source = "from mcp.server.fastmcp import FastMCP\nmcp = FastMCP('x', host='0.0.0.0')\nmcp.run(transport='sse')\n";
        let found = findings(source, &RuleOptions::default());
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "SSE MCP endpoint served with no authentication"
        );
    }
}
