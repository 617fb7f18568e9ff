//! MCL104 cors-wildcard: CORS on an MCP server's app allows any origin, so
//! any web page the user opens may call the server from the browser.

use super::{CODE_LANGUAGES, FileContext, Rule, RuleMeta, http, owasp};
use crate::facts::{Call, Expr, FileFacts, Language, Value};
use crate::finding::{Diagnostic, Level, Span};

pub struct CorsWildcard;

static META: RuleMeta = RuleMeta {
    code: "MCL104",
    name: "cors-wildcard",
    level: Level::Warning,
    cwe: Some(942),
    owasp: Some(owasp::MCP07),
    languages: CODE_LANGUAGES,
    summary: "the MCP server's app allows cross-origin requests from any origin (CORS)",
    doc: include_str!("../../rules/MCL104-cors-wildcard.md"),
    opt_in: false,
    triggers: &["cors", "Access-Control-Allow-Origin"],
    prefilter: None,
    roles: crate::roles::SERVER_SIDE,
};

const HELP: &str = "list the origins that may call the server (`origin: [\"https://app.example.com\"]`, `allow_origins=[…]`, `AllowOrigin::list([…])`); never combine a wildcard or a reflected origin with credentials; a server used only by local or desktop clients needs no CORS at all";

/// What a CORS setting allows.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Allows {
    /// `*`
    Wildcard,
    /// The request's own `Origin`, whatever it is.
    Reflect,
}

struct Hit {
    span: Span,
    what: String,
    allows: Allows,
    credentials: bool,
}

impl Rule for CorsWildcard {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        let facts = ctx.facts;
        // Only the app that serves MCP: a file that serves an MCP transport
        // over HTTP (not, say, the OAuth metadata and token endpoints, which
        // are public by design).
        if http::http_endpoints(facts).is_empty() {
            return;
        }
        let mut hits = Vec::new();
        match facts.language {
            Language::Python => check_python(facts, &mut hits),
            Language::TypeScript | Language::Tsx | Language::JavaScript => {
                check_node(facts, &mut hits)
            }
            Language::Rust => check_rust(facts, &mut hits),
            Language::Go => check_go(facts, &mut hits),
            _ => {}
        }
        if hits.is_empty() {
            return;
        }
        // Credentials allowed anywhere in the file's CORS setup count for all of it.
        let credentials = hits.iter().any(|h| h.credentials) || allows_credentials(facts);
        let authenticated = http::auth_evidence(ctx).is_some();
        hits.sort_by_key(|h| h.span);
        hits.dedup_by_key(|h| h.span);
        for hit in hits {
            let allows = match hit.allows {
                Allows::Wildcard => "allows every origin",
                Allows::Reflect => "reflects every requesting origin",
            };
            let mut diagnostic = Diagnostic::new(hit.span, format!("{} {allows}", hit.what));
            if credentials {
                diagnostic.message.push_str(" and allows credentials");
                diagnostic = diagnostic.with_level(Level::Error);
            } else if authenticated {
                // Browsers do not attach bearer tokens by themselves.
                diagnostic = diagnostic.with_level(Level::Note);
            }
            out.push(diagnostic.with_help(HELP));
        }
    }
}

fn is_true(expr: &Expr) -> bool {
    matches!(expr.value, Value::Bool(true)) || expr.str_value() == Some("true")
}

/// `"*"`, `["*"]`, `/.*/`, `".*"`
fn is_wildcard(facts: &FileFacts, expr: &Expr) -> bool {
    match &expr.value {
        Value::Str(s) => s.trim() == "*",
        Value::Regex(r) => matches!(r.as_str(), ".*" | "^.*$" | ".+"),
        Value::Array(items) => items.iter().any(|i| is_wildcard(facts, i)),
        Value::Name(n) => facts
            .resolve(n)
            .is_some_and(|b| b.value.span != expr.span && is_wildcard(facts, &b.value)),
        _ => false,
    }
}

fn objects<'a>(expr: &'a Expr, out: &mut Vec<&'a Expr>) {
    match &expr.value {
        Value::Object(pairs) => {
            out.push(expr);
            for (_, value) in pairs {
                objects(value, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| objects(i, out)),
        _ => {}
    }
}

/// `Access-Control-Allow-Credentials: true` set anywhere in the file.
fn allows_credentials(facts: &FileFacts) -> bool {
    let mut found = Vec::new();
    for call in &facts.calls {
        let args: Vec<&Expr> = call.positional().collect();
        if args.len() >= 2
            && args[0]
                .str_value()
                .is_some_and(|h| h.eq_ignore_ascii_case("Access-Control-Allow-Credentials"))
            && is_true(args[1])
        {
            return true;
        }
        for arg in &call.args {
            objects(&arg.value, &mut found);
        }
    }
    found.iter().any(|o| {
        let Value::Object(pairs) = &o.value else {
            return false;
        };
        pairs
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case("Access-Control-Allow-Credentials") && is_true(v))
    })
}

/// Header objects and `setHeader("Access-Control-Allow-Origin", …)` calls.
fn header_hits(facts: &FileFacts, call: &Call, hits: &mut Vec<Hit>) {
    let args: Vec<&Expr> = call.positional().collect();
    if args.len() >= 2
        && args[0]
            .str_value()
            .is_some_and(|h| h.eq_ignore_ascii_case("Access-Control-Allow-Origin"))
        && let Some(allows) = header_value(facts, args[1])
    {
        hits.push(Hit {
            span: call.span,
            what: "`Access-Control-Allow-Origin` header".to_string(),
            allows,
            credentials: false,
        });
    }
    let mut found = Vec::new();
    for arg in &call.args {
        objects(&arg.value, &mut found);
    }
    for object in found {
        let Value::Object(pairs) = &object.value else {
            continue;
        };
        for (key, value) in pairs {
            if key.eq_ignore_ascii_case("Access-Control-Allow-Origin")
                && let Some(allows) = header_value(facts, value)
            {
                hits.push(Hit {
                    span: value.span,
                    what: "`Access-Control-Allow-Origin` header".to_string(),
                    allows,
                    credentials: false,
                });
            }
        }
    }
}

fn header_value(facts: &FileFacts, value: &Expr) -> Option<Allows> {
    if is_wildcard(facts, value) {
        return Some(Allows::Wildcard);
    }
    // `req.headers.origin` echoed back.
    let reflects = match &value.value {
        Value::Name(n) if n.ends_with("headers.origin") || n.ends_with("header.origin") => true,
        // Go: `origin := r.Header.Get("Origin")` echoed back.
        Value::Name(n) if facts.language == Language::Go => facts.resolve(n).is_some_and(|b| {
            b.value.span != value.span && header_value(facts, &b.value) == Some(Allows::Reflect)
        }),
        Value::Call(c) => {
            matches!(c.method(), "get" | "header" | "Get")
                && c.positional()
                    .next()
                    .and_then(|a| a.str_value())
                    .is_some_and(|h| h.eq_ignore_ascii_case("origin"))
        }
        _ => false,
    };
    reflects.then_some(Allows::Reflect)
}

fn check_node(facts: &FileFacts, hits: &mut Vec<Hit>) {
    let cors_locals: Vec<&str> = facts
        .imports
        .iter()
        .filter(|i| matches!(i.module.as_str(), "cors" | "hono/cors" | "@fastify/cors"))
        .map(|i| i.local.as_str())
        .collect();
    let is_cors = |name: &str| name == "cors" || cors_locals.contains(&name);
    for call in &facts.calls {
        header_hits(facts, call, hits);
        // `cors(options)`, or fastify's `app.register(cors, options)`.
        let options = if is_cors(&call.callee) {
            Some(call.positional().next())
        } else if call.method() == "register"
            && call
                .positional()
                .next()
                .and_then(|a| a.name())
                .is_some_and(is_cors)
        {
            Some(call.positional().nth(1))
        } else {
            None
        };
        let Some(arg) = options else {
            continue;
        };
        // `None`: no options at all; `Some(None)`: options computed elsewhere.
        let options: Option<Option<&Expr>> = arg.map(|o| match &o.value {
            Value::Object(_) => Some(o),
            Value::Name(n) => facts
                .resolve(n)
                .map(|b| &b.value)
                .filter(|v| matches!(v.value, Value::Object(_))),
            _ => None,
        });
        let object = match options {
            Some(None) => continue,
            Some(Some(object)) => Some(object),
            None => None,
        };
        let credentials = object
            .and_then(|o| o.get("credentials"))
            .is_some_and(is_true);
        let what = format!("`{}(…)`", call.callee);
        match object.and_then(|o| o.get("origin")) {
            // The cors packages (express, hono, fastify) default to `*`.
            None => hits.push(Hit {
                span: call.span,
                what: format!("{what} with no `origin`"),
                allows: Allows::Wildcard,
                credentials,
            }),
            Some(origin) if is_true(origin) => hits.push(Hit {
                span: origin.span,
                what: format!("{what} with `origin: true`"),
                allows: Allows::Reflect,
                credentials,
            }),
            Some(origin) if is_wildcard(facts, origin) => hits.push(Hit {
                span: origin.span,
                what: format!("{what} with `origin: \"*\"`"),
                allows: Allows::Wildcard,
                credentials,
            }),
            Some(_) => {}
        }
    }
}

fn check_python(facts: &FileFacts, hits: &mut Vec<Hit>) {
    for call in &facts.calls {
        header_hits(facts, call, hits);
        let starlette = call
            .positional()
            .next()
            .and_then(|a| a.name())
            .is_some_and(|n| n.ends_with("CORSMiddleware"));
        let credentials = ["allow_credentials", "supports_credentials"]
            .iter()
            .any(|k| {
                call.keyword(k)
                    .is_some_and(|v| v.value == Value::Bool(true))
            });
        if starlette {
            if let Some(origins) = call.keyword("allow_origins")
                && is_wildcard(facts, origins)
            {
                hits.push(Hit {
                    span: origins.span,
                    what: "`CORSMiddleware(allow_origins=[\"*\"])`".to_string(),
                    allows: Allows::Wildcard,
                    credentials,
                });
            }
            if let Some(regex) = call.keyword("allow_origin_regex")
                && regex
                    .str_value()
                    .is_some_and(|r| matches!(r, ".*" | "^.*$" | ".+" | "https?://.*"))
            {
                hits.push(Hit {
                    span: regex.span,
                    what: "`CORSMiddleware(allow_origin_regex=…)`".to_string(),
                    allows: Allows::Reflect,
                    credentials,
                });
            }
        }
        // flask-cors: `CORS(app)` allows every origin by default.
        if call.method() == "CORS" {
            match call
                .keyword("origins")
                .or_else(|| call.keyword("resources"))
            {
                None => hits.push(Hit {
                    span: call.span,
                    what: "`CORS(app)` with no `origins`".to_string(),
                    allows: Allows::Wildcard,
                    credentials,
                }),
                Some(origins) if is_wildcard(facts, origins) => hits.push(Hit {
                    span: origins.span,
                    what: "`CORS(…, origins=\"*\")`".to_string(),
                    allows: Allows::Wildcard,
                    credentials,
                }),
                _ => {}
            }
        }
    }
}

fn check_rust(facts: &FileFacts, hits: &mut Vec<Hit>) {
    let credentials = facts.calls.iter().any(|c| {
        c.method() == "allow_credentials"
            && c.positional()
                .next()
                .is_some_and(|a| a.value == Value::Bool(true))
    });
    for call in &facts.calls {
        let callee = call.callee.as_str();
        if callee.ends_with("CorsLayer::permissive") {
            hits.push(Hit {
                span: call.span,
                what: "`CorsLayer::permissive()`".to_string(),
                allows: Allows::Wildcard,
                credentials,
            });
        } else if callee.ends_with("CorsLayer::very_permissive") {
            hits.push(Hit {
                span: call.span,
                what: "`CorsLayer::very_permissive()`".to_string(),
                allows: Allows::Reflect,
                credentials: true,
            });
        } else if callee.ends_with("AllowOrigin::mirror_request") {
            hits.push(Hit {
                span: call.span,
                what: "`AllowOrigin::mirror_request()`".to_string(),
                allows: Allows::Reflect,
                credentials,
            });
        } else if callee.ends_with("AllowOrigin::any") {
            hits.push(Hit {
                span: call.span,
                what: "`AllowOrigin::any()`".to_string(),
                allows: Allows::Wildcard,
                credentials,
            });
        } else if call.method() == "allow_origin"
            && let Some(arg) = call.positional().next()
            && arg
                .name()
                .is_some_and(|n| n == "Any" || n.ends_with("::Any"))
        {
            hits.push(Hit {
                span: arg.span,
                what: "`.allow_origin(Any)`".to_string(),
                allows: Allows::Wildcard,
                credentials,
            });
        }
    }
}

/// Go: `rs/cors` (`cors.AllowAll()`, `cors.Default()`, `cors.Options{…}`),
/// `go-chi/cors` (the same `Options`), `gin-contrib/cors`
/// (`cors.Config{AllowAllOrigins: true}`), mcp-go's
/// `server.WithCORSAllowedOrigins("*")`, and headers set by hand.
fn check_go(facts: &FileFacts, hits: &mut Vec<Hit>) {
    let cors_locals: Vec<&str> = facts
        .imports
        .iter()
        .filter(|i| {
            matches!(
                i.module.as_str(),
                "github.com/rs/cors" | "github.com/go-chi/cors" | "github.com/gin-contrib/cors"
            )
        })
        .map(|i| i.local.as_str())
        .collect();
    let of_cors = |call: &Call| call.receiver().is_some_and(|r| cors_locals.contains(&r));
    let credentials = facts.calls.iter().any(|c| {
        c.method() == "WithCORSAllowCredentials"
            || (of_cors(c)
                && c.keyword("AllowCredentials")
                    .is_some_and(|v| v.value == Value::Bool(true)))
    });
    for call in &facts.calls {
        header_hits(facts, call, hits);
        let what = format!("`{}(…)`", call.callee);
        match call.method() {
            // Both packages' defaults allow every origin.
            "AllowAll" | "Default" if of_cors(call) => hits.push(Hit {
                span: call.span,
                what: format!("`{}()`", call.callee),
                allows: Allows::Wildcard,
                credentials,
            }),
            "Options" | "Config" if of_cors(call) => {
                for key in ["AllowedOrigins", "AllowOrigins"] {
                    if let Some(origins) = call.keyword(key)
                        && is_wildcard(facts, origins)
                    {
                        hits.push(Hit {
                            span: origins.span,
                            what: format!("`{}{{{key}: []string{{\"*\"}}}}`", call.callee),
                            allows: Allows::Wildcard,
                            credentials,
                        });
                    }
                }
                if let Some(all) = call.keyword("AllowAllOrigins")
                    && all.value == Value::Bool(true)
                {
                    hits.push(Hit {
                        span: all.span,
                        what: format!("`{}{{AllowAllOrigins: true}}`", call.callee),
                        allows: Allows::Wildcard,
                        credentials,
                    });
                }
            }
            "WithCORSAllowedOrigins" if call.positional().any(|o| is_wildcard(facts, o)) => hits
                .push(Hit {
                    span: call.span,
                    what,
                    allows: Allows::Wildcard,
                    credentials,
                }),
            _ => {}
        }
    }
}
