//! The evidence the operational rules look for around a tool call: a log
//! line (MCL501), a rate limit (MCL601), a confirmation (MCL602). Log calls
//! and confirmations are looked for in the handler and the project functions
//! it calls; logging and rate limiting also around every call of the server
//! (middleware, layers, decorators, wrappers, the low-level call-tool
//! handler) in the files that make up the server. Names are kept in
//! `rules/catalog/operations.toml`, extended by `logging-markers` and
//! `rate-limit-markers` in the configuration.

use std::sync::OnceLock;

use serde::Deserialize;

use super::FileContext;
use super::handler_scope::{
    calls_in, decorators, dispatcher, handler, outside_branches, reach, server_files, wrapper,
};
use super::http::{self, PerLanguage};
use super::words;
use crate::facts::{Call, Expr, FileFacts, Language, Stmt, Value};
use crate::finding::Span;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Catalog {
    #[serde(default)]
    logging: PerLanguage,
    #[serde(default)]
    rate_limit: PerLanguage,
}

const CATALOG_TEXT: &str = include_str!("../../rules/catalog/operations.toml");

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    // Embedded and covered by a test; were it invalid, rules would find less.
    CATALOG.get_or_init(|| toml::from_str(CATALOG_TEXT).unwrap_or_default())
}

/// The concern a piece of server-wide evidence answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Concern {
    Logging,
    RateLimit,
}

impl Concern {
    fn listed(self) -> &'static PerLanguage {
        match self {
            Concern::Logging => &catalog().logging,
            Concern::RateLimit => &catalog().rate_limit,
        }
    }

    fn configured<'o>(self, ctx: &'o FileContext<'_>) -> &'o [String] {
        match self {
            Concern::Logging => &ctx.options.logging_markers,
            Concern::RateLimit => &ctx.options.rate_limit_markers,
        }
    }

    /// Does a decorator, wrapper or function name say it does this?
    fn named(self, name: &str) -> bool {
        match self {
            Concern::Logging => logging_name(name),
            Concern::RateLimit => rate_limit_name(name),
        }
    }
}

fn matches_marker(name: &str, markers: &[String]) -> bool {
    let last = name.rsplit(['.', ':']).next().unwrap_or(name);
    markers.iter().any(|m| m == name || m == last)
}

// ------------------------------------------------------------------ logging

/// Methods of a logger.
const LOG_METHODS: &[&str] = &[
    "debug",
    "info",
    "warn",
    "warning",
    "error",
    "exception",
    "critical",
    "fatal",
    "trace",
    "log",
    "notice",
    "success",
    "verbose",
    "msg",
    "audit",
];

/// Words of a receiver that is a logger (`logger`, `self._log`,
/// `structlog.get_logger()`) or an MCP request context whose log methods
/// send the client a log message (`ctx.info`, `ctx.mcpReq.log`).
const LOGGER_WORDS: &[&str] = &[
    "log",
    "logger",
    "logging",
    "logs",
    "structlog",
    "loguru",
    "console",
    "audit",
    "auditor",
    "ctx",
    "context",
];

/// Log macros of Rust (`tracing::info!`, `log::warn!`, `eprintln!`).
const LOG_MACROS: &[&str] = &[
    "info", "warn", "error", "debug", "trace", "event", "log", "eprintln", "eprint", "println",
    "print",
];

/// Does this call write a log line (to a logger, stderr, stdout, or the
/// client as an MCP log notification)?
pub fn is_log_call(call: &Call, language: Language, markers: &[String]) -> bool {
    let callee = call.callee.as_str();
    if matches_marker(callee, markers) {
        return true;
    }
    if language == Language::Rust
        && let Some(name) = callee.strip_suffix('!')
    {
        let last = name.rsplit(':').next().unwrap_or(name);
        return LOG_MACROS.contains(&last);
    }
    // Go's loggers are capitalised (`log.Printf`, `logger.Info`, `slog.Warn`).
    if language == Language::Go && super::secret_logged::is_logger(call, language) {
        return true;
    }
    let method = call.method();
    match language {
        // `print` to stdout in a stdio server is MCL502's business; it is
        // still a line of output about the call.
        Language::Python if matches!(callee, "print" | "sys.stderr.write") => return true,
        Language::TypeScript | Language::Tsx | Language::JavaScript
            if callee.starts_with("console.") || callee == "process.stderr.write" =>
        {
            return true;
        }
        _ => {}
    }
    if matches!(
        method,
        "sendLoggingMessage" | "send_log_message" | "notify_logging_message"
    ) {
        return true;
    }
    // `extra.sendNotification({ method: "notifications/message", … })`
    if call
        .args
        .iter()
        .any(|a| mentions_str(&a.value, "notifications/message"))
    {
        return true;
    }
    // `audit_log(…)`, `logToolCall(…)`: a function named for logging (not
    // one that gets or sets up a logger: `getLogger`, `setup_logging`).
    let method_words = words(method);
    if method_words.len() > 1
        && logging_name(method)
        && !method_words.first().is_some_and(|w| {
            matches!(
                w.as_str(),
                "get" | "set" | "setup" | "configure" | "init" | "create" | "basic" | "make"
            )
        })
    {
        return true;
    }
    if !LOG_METHODS.contains(&method) {
        return false;
    }
    let receiver_words = match call.receiver() {
        Some(r) if !r.starts_with('<') => words(r),
        // `logging.getLogger(__name__).info(…)`
        _ => match call.receiver.as_deref().map(|r| &r.value) {
            Some(Value::Call(inner)) => words(&inner.callee),
            _ => Vec::new(),
        },
    };
    receiver_words
        .iter()
        .any(|w| LOGGER_WORDS.contains(&w.as_str()) || w.ends_with("logger"))
}

/// A name that says it logs: `audited`, `log_calls`, `with_logging`,
/// `instrument`, `traced`.
fn logging_name(name: &str) -> bool {
    words(name).iter().any(|w| {
        matches!(
            w.as_str(),
            "log"
                | "logs"
                | "logged"
                | "logging"
                | "logger"
                | "audit"
                | "audited"
                | "auditing"
                | "traced"
                | "tracing"
                | "instrument"
                | "instrumented"
        )
    })
}

fn mentions_str(expr: &Expr, text: &str) -> bool {
    match &expr.value {
        Value::Str(s) => s == text,
        _ => expr.children().into_iter().any(|c| mentions_str(c, text)),
    }
}

/// Is the call of tool `tool` (an index into this file's tools) logged: in
/// its handler or what it calls, by what wraps the handler, or around every
/// tool call of the server?
pub fn logged(ctx: &FileContext<'_>, tool: usize) -> bool {
    let markers = &ctx.options.logging_markers;
    let project = ctx.project;
    let Some((handler, function)) = handler(project, ctx.file_index, tool) else {
        return false;
    };
    let logs = |(file, call): &(usize, &Call)| {
        is_log_call(call, project.files[*file].facts.language, markers)
    };
    // A logger past the reach's bounds is not counted: at worst MCL501
    // reports what it would have answered, so the cut is not noted here.
    if reach(project, (handler.file, handler.function))
        .0
        .iter()
        .any(logs)
    {
        return true;
    }
    let facts = project.files[handler.file].facts;
    // A low-level call-tool handler that logs before or after dispatching.
    if let Some(outer) = dispatcher(facts, function) {
        for call in outside_branches(facts, outer) {
            if logs(&(handler.file, call)) {
                return true;
            }
            if let Some(target) = project.resolve(handler.file, &call.callee)
                && reach(project, target).0.iter().any(logs)
            {
                return true;
            }
        }
    }
    wrapped(ctx, handler.file, function, Concern::Logging) || server_wide(ctx, Concern::Logging)
}

/// Does `call` (in a file of `language`) do what `concern` looks for?
fn does(concern: Concern, call: &Call, language: Language, configured: &[String]) -> bool {
    match concern {
        Concern::Logging => is_log_call(call, language, configured),
        Concern::RateLimit => is_rate_limit_call(call, language, configured),
    }
}

/// A decorator / attribute on the handler, or a wrapper call around it, that
/// does what `concern` asks: by its name, by a marker, or because the
/// project function it names does it.
fn wrapped(
    ctx: &FileContext<'_>,
    file: usize,
    function: &crate::facts::Function,
    concern: Concern,
) -> bool {
    let project = ctx.project;
    let Some(project_file) = project.files.get(file) else {
        return false;
    };
    let language = project_file.facts.language;
    let configured = concern.configured(ctx);
    let listed = concern.listed().for_language(language);
    let mut names: Vec<String> = decorators(project_file.text, language, function)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    if let Some(call) = wrapper(project_file.facts, function) {
        names.push(call.callee.clone());
    }
    names
        .iter()
        .filter(|name| !name.is_empty() && !is_registration(name))
        .any(|name| {
            matches_marker(name, configured)
                || matches_marker(name, listed)
                || concern.named(name)
                || project.resolve(file, name).is_some_and(|target| {
                    reach(project, target).0.iter().any(|(f, call)| {
                        does(concern, call, project.files[*f].facts.language, configured)
                    })
                })
        })
}

/// `@mcp.tool()`, `#[tool(…)]`: the registration itself.
fn is_registration(name: &str) -> bool {
    let last = name.rsplit(['.', ':']).next().unwrap_or(name);
    matches!(last, "tool" | "resource" | "prompt")
}

/// Names a middleware hook of the server that sees every tool call.
fn is_call_hook(name: &str, language: Language) -> bool {
    match language {
        // fastmcp `Middleware` hooks.
        Language::Python => matches!(name, "on_call_tool" | "on_message" | "on_request"),
        // An rmcp `ServerHandler::call_tool` written by hand.
        Language::Rust => name == "call_tool",
        _ => false,
    }
}

/// Is an import from one of the catalog's modules for this concern?
fn from_listed_module(module: &str, modules: &[String]) -> bool {
    modules.iter().any(|m| {
        module == m
            || module
                .strip_prefix(m.as_str())
                .is_some_and(|rest| rest.starts_with(['.', '/', ':']))
    })
}

/// Evidence around every tool call, in the files that make up the server:
/// a listed middleware or layer, a configured marker (called, passed, or
/// written as a decorator), an import from a listed module, a middleware
/// hook that logs / limits.
fn server_wide(ctx: &FileContext<'_>, concern: Concern) -> bool {
    let project = ctx.project;
    let configured = concern.configured(ctx);
    server_files(project, ctx.file_index)
        .into_iter()
        .any(|index| {
            let file = &project.files[index];
            let facts = file.facts;
            let language = facts.language;
            let listed = concern.listed().for_language(language);
            let named =
                |name: &str| matches_marker(name, listed) || matches_marker(name, configured);
            let called = facts.calls.iter().any(|call| {
                let mut names = Vec::new();
                for arg in &call.args {
                    names_in(&arg.value, &mut names);
                }
                named(&call.callee)
                    || (concern == Concern::RateLimit
                        && is_rate_limit_call(call, language, configured))
                    || (concern == Concern::Logging && fastify_logger(call))
                    || names.iter().any(|(name, _)| named(name))
            });
            let imported = facts
                .imports
                .iter()
                .any(|i| from_listed_module(&i.module, &concern.listed().modules));
            let decorated = configured.iter().any(|marker| {
                let written = match language {
                    Language::Rust => format!("#[{marker}"),
                    _ => format!("@{marker}"),
                };
                file.text.contains(&written)
            });
            let hooked = facts.functions.iter().any(|function| {
                function
                    .name
                    .as_deref()
                    .is_some_and(|name| is_call_hook(name, language))
                    && calls_in(facts, function.span)
                        .any(|call| does(concern, call, language, configured))
            });
            called || imported || decorated || hooked
        })
}

/// `Fastify({ logger: true })`: fastify's request log (pino) records every
/// request, as pino-http or morgan do for express.
fn fastify_logger(call: &Call) -> bool {
    call.callee.eq_ignore_ascii_case("fastify")
        && call
            .positional()
            .next()
            .and_then(|o| o.get("logger"))
            .is_some_and(|l| l.value != Value::Bool(false))
}

/// Names the expression is or holds (a list of middleware, an options object).
fn names_in(expr: &Expr, out: &mut Vec<(String, Span)>) {
    match &expr.value {
        Value::Name(n) => out.push((n.clone(), expr.span)),
        Value::Array(items) => items.iter().for_each(|i| names_in(i, out)),
        Value::Object(pairs) => pairs.iter().for_each(|(_, v)| names_in(v, out)),
        Value::Call(call) => {
            out.push((call.callee.clone(), call.callee_span));
            call.args.iter().for_each(|a| names_in(&a.value, out));
        }
        _ => {}
    }
}

// ------------------------------------------------------------- rate limits

/// A name that says it limits how often something runs: `rate_limit`,
/// `RateLimiter`, `throttle`, `AsyncLimiter`, `TokenBucket`, `GovernorLayer`.
/// Errors (`RateLimitError`, raised when an upstream API refuses) are not.
fn rate_limit_name(name: &str) -> bool {
    let words = words(name);
    if words
        .last()
        .is_some_and(|w| matches!(w.as_str(), "error" | "exception" | "err"))
    {
        return false;
    }
    // `client.get_rate_limit()`: asking an upstream API about its limits.
    let method = name.rsplit(['.', ':']).next().unwrap_or(name);
    if super::words(method)
        .first()
        .is_some_and(|w| matches!(w.as_str(), "get" | "fetch" | "show" | "list" | "read"))
    {
        return false;
    }
    let has = |w: &str| words.iter().any(|x| x == w);
    words.iter().any(|w| {
        matches!(
            w.as_str(),
            "ratelimit"
                | "ratelimiter"
                | "ratelimited"
                | "limiter"
                | "throttle"
                | "throttler"
                | "throttled"
                | "throttling"
                | "governor"
                | "bottleneck"
        )
    }) || (has("rate") && (has("limit") || has("limited") || has("limiting") || has("limits")))
        || (has("token") && has("bucket"))
}

/// Does this call set up or consult a rate limiter?
pub fn is_rate_limit_call(call: &Call, language: Language, markers: &[String]) -> bool {
    let listed = catalog().rate_limit.for_language(language);
    matches_marker(&call.callee, markers)
        || matches_marker(&call.callee, listed)
        || rate_limit_name(&call.callee)
}

/// Is how often tool `tool` of this file runs limited: in its handler or
/// what it calls, by a decorator or wrapper, or around every tool call of
/// the server?
pub fn rate_limited(ctx: &FileContext<'_>, tool: usize) -> bool {
    let markers = &ctx.options.rate_limit_markers;
    let project = ctx.project;
    let Some((handler, function)) = handler(project, ctx.file_index, tool) else {
        return false;
    };
    if reach(project, (handler.file, handler.function))
        .0
        .iter()
        .any(|(file, call)| is_rate_limit_call(call, project.files[*file].facts.language, markers))
    {
        return true;
    }
    let facts = project.files[handler.file].facts;
    if let Some(outer) = dispatcher(facts, function)
        && outside_branches(facts, outer).any(|c| is_rate_limit_call(c, facts.language, markers))
    {
        return true;
    }
    wrapped(ctx, handler.file, function, Concern::RateLimit) || server_wide(ctx, Concern::RateLimit)
}

/// Is the server of this file exposed over HTTP (SSE or streamable HTTP)
/// beyond loopback, in one of its files? The span of the transport, with
/// its file. A loopback-only server has the one local user a stdio server
/// has (the convention of MCL101).
pub fn served_over_http(ctx: &FileContext<'_>) -> Option<(usize, Span)> {
    server_files(ctx.project, ctx.file_index)
        .into_iter()
        .find_map(|index| {
            let facts = ctx.project.files[index].facts;
            if let Some(endpoint) = http::http_endpoints(facts).into_iter().next() {
                return (http::bind(facts) != http::Bind::Loopback)
                    .then_some((index, endpoint.span));
            }
            // `FastMCP(host="0.0.0.0")` run from an entry point elsewhere: a
            // listening address is set for HTTP only.
            let configured = facts
                .servers
                .iter()
                .any(|s| s.settings.iter().any(|(k, _)| k == "host"));
            match http::bind(facts) {
                http::Bind::Any(span) if configured => Some((index, span)),
                _ => None,
            }
        })
}

// ------------------------------------------------------------ confirmation

/// Calls that ask the user through MCP elicitation: Python `ctx.elicit`,
/// TypeScript `server.server.elicitInput` / `ctx.mcpReq.elicitInput`, rmcp
/// `peer.elicit::<T>()` / `create_elicitation`.
const ELICIT_METHODS: &[&str] = &[
    "elicit",
    "elicit_form",
    "elicit_url",
    "elicitInput",
    "elicitUrl",
    "elicit_with_timeout",
    "elicit_url_with_timeout",
    "create_elicitation",
    "create_elicitation_with_timeout",
    // Python `MCPServer`: a resolver returning `Elicit(...)`, injected with
    // `Resolve(...)`, or a multi-round-trip `InputRequiredResult` carrying
    // an `ElicitRequest`.
    "Elicit",
    "Resolve",
    "ElicitRequest",
    "InputRequiredResult",
    // URL elicitation signalled by throwing (TypeScript, Python).
    "UrlElicitationRequiredError",
];

/// Words of a parameter by which the caller confirms a destructive call or
/// asks for a dry run: `confirm`, `force`, `dry_run`, `i_understand`.
fn is_confirmation_param(name: &str) -> bool {
    let words = words(name);
    let has = |w: &str| words.iter().any(|x| x == w);
    has("confirm")
        || has("confirmed")
        || has("confirmation")
        || has("force")
        || has("dry")
        || has("dryrun")
        || has("acknowledge")
        || has("acknowledged")
        || has("approve")
        || has("approved")
        || has("consent")
        || (has("i") && has("understand"))
}

/// Does the expression read parameter `name` (`confirm`, `args.confirm`,
/// `params.0.confirm`, `arguments.get("confirm")`, `args["confirm"]`)?
fn reads_param(expr: &Expr, name: &str, depth: usize) -> bool {
    if depth > 32 {
        return false;
    }
    match &expr.value {
        Value::Name(n) => n.rsplit(['.', ':']).next() == Some(name),
        Value::Str(s) => s == name,
        Value::Member(_, member) if member == name => true,
        _ => expr
            .children()
            .into_iter()
            .any(|c| reads_param(c, name, depth + 1)),
    }
}

/// Does tool `tool` of this file ask the user before acting: an
/// elicitation in its handler (or what it calls), or a confirmation
/// parameter that the handler checks or hands to the code that acts?
pub fn confirmed(ctx: &FileContext<'_>, tool: usize) -> bool {
    let project = ctx.project;
    let Some((handler, function)) = handler(project, ctx.file_index, tool) else {
        return false;
    };
    let elicits = reach(project, (handler.file, handler.function))
        .0
        .iter()
        .any(|(_, call)| {
            ELICIT_METHODS.contains(&call.method())
                || call
                    .args
                    .iter()
                    .any(|a| mentions_str(&a.value, "elicitation/create"))
        });
    if elicits {
        return true;
    }
    let Some(tool_def) = ctx.facts.tools.get(tool) else {
        return false;
    };
    let facts: &FileFacts = project.files[handler.file].facts;
    tool_def
        .params
        .iter()
        .filter(|p| is_confirmation_param(&p.name))
        .any(|param| {
            let checked = facts.statements.iter().any(|s| {
                matches!(s, Stmt::Guard { cond, span, .. }
                    if function.span.start <= span.start
                        && span.end <= function.span.end
                        && reads_param(cond, &param.name, 0))
            });
            // Handed to the implementation that checks it:
            // `delete_resource_impl(DeleteRequest(confirmed=confirmed, …))`.
            let passed_on = calls_in(facts, function.span).any(|call| {
                call.args
                    .iter()
                    .any(|a| reads_param(&a.value, &param.name, 0))
            });
            checked || passed_on
        })
}

/// What MCL501 and MCL601 share: each destructive tool of a server served
/// over HTTP that lacks the evidence `guarded` looks for, reported with why
/// it is destructive and where the server is exposed.
pub fn report_unguarded(
    ctx: &FileContext<'_>,
    out: &mut Vec<crate::finding::Diagnostic>,
    guarded: impl Fn(&FileContext<'_>, usize) -> bool,
    lacks: &str,
    help: &'static str,
) {
    let Some((transport_file, transport)) = served_over_http(ctx) else {
        return;
    };
    super::destructive::each_destructive(ctx, |index, tool, destructive| {
        if guarded(ctx, index) {
            return;
        }
        let mut diagnostic = crate::finding::Diagnostic::new(
            tool.span,
            format!(
                "tool `{}` {} {lacks}",
                tool.name.escape_debug(),
                destructive.because()
            ),
        )
        .with_help(help);
        if let Some((span, label)) = destructive.site(ctx) {
            diagnostic = diagnostic.with_label(span, label);
        }
        if transport_file == ctx.file_index {
            diagnostic = diagnostic.with_label(transport, "served over HTTP here");
        }
        out.push(diagnostic);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(callee: &str) -> Call {
        Call {
            callee: callee.to_string(),
            args: Vec::new(),
            span: Span::default(),
            callee_span: Span::default(),
            receiver: None,
        }
    }

    #[test]
    fn catalog_parses() {
        let file: Catalog = toml::from_str(CATALOG_TEXT).expect("operations.toml parses");
        assert!(file.logging.python.iter().any(|n| n == "LoggingMiddleware"));
        assert!(file.rate_limit.typescript.iter().any(|n| n == "rateLimit"));
        assert!(!file.rate_limit.rust.is_empty());
    }

    #[test]
    fn log_calls() {
        let py = Language::Python;
        for callee in [
            "logger.info",
            "self._logger.warning",
            "logging.info",
            "ctx.info",
            "log.debug",
            "structlog.get_logger",
            "audit_log",
            "print",
        ] {
            let expected = callee != "structlog.get_logger";
            assert_eq!(is_log_call(&call(callee), py, &[]), expected, "{callee}");
        }
        for callee in ["math.log", "repo.git.log", "np.log", "log", "catalog.info"] {
            assert!(!is_log_call(&call(callee), py, &[]), "{callee}");
        }
        let ts = Language::TypeScript;
        assert!(is_log_call(&call("console.error"), ts, &[]));
        assert!(is_log_call(
            &call("server.server.sendLoggingMessage"),
            ts,
            &[]
        ));
        assert!(is_log_call(&call("ctx.mcpReq.log"), ts, &[]));
        assert!(is_log_call(&call("this.logger.info"), ts, &[]));
        assert!(!is_log_call(&call("Math.log"), ts, &[]));
        let rs = Language::Rust;
        assert!(is_log_call(&call("tracing::info!"), rs, &[]));
        assert!(is_log_call(&call("warn!"), rs, &[]));
        assert!(!is_log_call(&call("format!"), rs, &[]));
    }

    #[test]
    fn rate_limit_names() {
        for name in [
            "limiter.limit",
            "rateLimit",
            "RateLimiterMemory",
            "AsyncLimiter",
            "GovernorLayer",
            "TokenBucket",
            "check_rate_limit",
            "throttle",
        ] {
            assert!(rate_limit_name(name), "{name}");
        }
        for name in ["RateLimitError", "limit", "page_limit", "set_limit"] {
            assert!(!rate_limit_name(name), "{name}");
        }
    }

    #[test]
    fn confirmation_params() {
        for name in [
            "confirm",
            "force",
            "dry_run",
            "dryRun",
            "i_understand",
            "confirmDelete",
        ] {
            assert!(is_confirmation_param(name), "{name}");
        }
        for name in ["path", "forecast", "dryness"] {
            assert!(!is_confirmation_param(name), "{name}");
        }
    }
}
