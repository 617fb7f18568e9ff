//! MCL802 missing-timeout: a tool handler that waits on a process or the
//! network with no time limit, so one hung upstream hangs the tool call (and
//! the agent waiting on it) for good.

use super::{CODE_LANGUAGES, FileContext, Rule, RuleMeta};
use crate::facts::{Call, EntryKind, Expr, FileFacts, Language, Value};
use crate::finding::{Diagnostic, Level, Span};

pub struct MissingTimeout;

static META: RuleMeta = RuleMeta {
    code: "MCL802",
    name: "missing-timeout",
    level: Level::Warning,
    cwe: Some(400),
    owasp: None,
    languages: CODE_LANGUAGES,
    summary: "a tool handler makes a subprocess or HTTP call with no timeout",
    doc: include_str!("../../rules/MCL802-missing-timeout.md"),
    opt_in: false,
    // Only calls inside tool handlers count, and handlers live in files
    // that use an MCP SDK.
    triggers: crate::frontend::SDK_MARKERS,
    prefilter: None,
    roles: crate::roles::SERVER_SIDE,
};

/// What kind of wait a call is, for the help text.
enum Kind {
    Process,
    Http,
}

fn help(language: Language, kind: &Kind) -> &'static str {
    match (language, kind) {
        (Language::Python, Kind::Process) => {
            "pass `timeout=` (seconds) to `subprocess.run` / `check_output` / `communicate` and handle `subprocess.TimeoutExpired`; for asyncio processes wrap the wait in `asyncio.wait_for(…, timeout)`"
        }
        (Language::Python, Kind::Http) => {
            "pass `timeout=` to every request (`requests.get(url, timeout=10)`, `urlopen(url, timeout=10)`); with httpx keep its default or set `httpx.Timeout(...)`, never `timeout=None`"
        }
        (Language::Go, Kind::Process) => {
            "run the process with `exec.CommandContext(ctx, …)` under a deadline (`ctx, cancel := context.WithTimeout(ctx, 30*time.Second)`), so a hung process is killed"
        }
        (Language::Go, Kind::Http) => {
            "use an `http.Client{Timeout: 10 * time.Second}` (`http.Get` and `http.DefaultClient` never time out), or build the request with `http.NewRequestWithContext` under a `context.WithTimeout` deadline"
        }
        (Language::Rust, _) => {
            "build the client with a timeout: `reqwest::Client::builder().timeout(Duration::from_secs(10)).build()?`, and wrap process waits in `tokio::time::timeout`"
        }
        (_, Kind::Process) => {
            "pass `timeout` (milliseconds) in the options of `execSync` / `execFile` / `spawnSync` / `exec`, and handle the killed process"
        }
        (_, Kind::Http) => {
            "give every request a deadline: `fetch(url, { signal: AbortSignal.timeout(10_000) })`, `axios.get(url, { timeout: 10_000 })` (or `axios.create({ timeout })`), `got(url, { timeout: { request: 10_000 } })`"
        }
    }
}

impl Rule for MissingTimeout {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        let facts = ctx.facts;
        let mut seen: std::collections::HashSet<Span> = std::collections::HashSet::new();
        // Calls by where they start, so that each handler's calls are a
        // range, not a scan of the file per tool.
        let mut by_start: Vec<&crate::facts::Call> = facts.calls.iter().collect();
        by_start.sort_by_key(|c| c.span.start);
        for tool in facts.tools.iter().filter(|t| t.kind == EntryKind::Tool) {
            let Some(handler) = tool.handler.and_then(|i| facts.functions.get(i)) else {
                continue;
            };
            let first = by_start.partition_point(|c| c.span.start < handler.span.start);
            for call in by_start[first..]
                .iter()
                .take_while(|c| c.span.start <= handler.span.end)
                .filter(|c| c.span.end <= handler.span.end)
            {
                if seen.contains(&call.span) {
                    continue;
                }
                let found = match facts.language {
                    Language::Python => python(facts, call),
                    Language::TypeScript | Language::Tsx | Language::JavaScript => {
                        node(facts, call)
                    }
                    Language::Go => go(call),
                    _ => None,
                };
                if let Some((what, kind)) = found {
                    seen.insert(call.span);
                    out.push(
                        Diagnostic::new(
                            call.span,
                            format!("{what} in tool `{}` has no timeout", tool.name),
                        )
                        .with_help(help(facts.language, &kind)),
                    );
                }
            }
        }
        if facts.language == Language::Go && !facts.tools.is_empty() {
            go_clients(facts, out);
        }
        if facts.language == Language::Rust && !facts.tools.is_empty() {
            for call in &facts.calls {
                if call.callee.ends_with("reqwest::Client::new") {
                    out.push(
                        Diagnostic::new(
                            call.span,
                            format!(
                                "`{}()` makes an HTTP client with no timeout, used by this server's tools",
                                call.callee
                            ),
                        )
                        .with_help(help(Language::Rust, &Kind::Http)),
                    );
                }
            }
        }
    }
}

fn is_none(expr: &Expr) -> bool {
    expr.value == Value::Null
}

fn python(facts: &FileFacts, call: &Call) -> Option<(String, Kind)> {
    let callee = call.callee.as_str();
    let method = call.method();
    let timeout = call.keyword("timeout");
    let what = format!("`{callee}(…)`");
    if let Some(t) = timeout
        && is_none(t)
    {
        return Some((format!("{what} with `timeout=None`"), Kind::Http));
    }
    if timeout.is_some() {
        return None;
    }
    if matches!(
        callee,
        "subprocess.run" | "subprocess.check_output" | "subprocess.check_call" | "subprocess.call"
    ) {
        return Some((what, Kind::Process));
    }
    if method == "communicate" {
        return Some((format!("`{callee}()`"), Kind::Process));
    }
    if let Some(verb) = callee.strip_prefix("requests.")
        && matches!(
            verb,
            "get" | "post" | "put" | "patch" | "delete" | "head" | "options" | "request"
        )
    {
        return Some((what, Kind::Http));
    }
    // `session.get(…)` on `requests.Session()`.
    if matches!(
        method,
        "get" | "post" | "put" | "patch" | "delete" | "head" | "request"
    ) && let Some(receiver) = call.receiver()
        && facts.resolve(receiver).is_some_and(|b| {
            matches!(&b.value.value, Value::Call(c) if c.callee == "requests.Session" || c.callee == "requests.session")
        })
    {
        return Some((what, Kind::Http));
    }
    if matches!(
        callee,
        "urllib.request.urlopen" | "request.urlopen" | "urlopen"
    ) && call.positional().count() < 3
    {
        return Some((what, Kind::Http));
    }
    None
}

fn options_of<'a>(facts: &'a FileFacts, expr: Option<&'a Expr>) -> Option<&'a Expr> {
    let expr = expr?;
    match &expr.value {
        Value::Object(_) => Some(expr),
        Value::Name(n) => facts
            .resolve(n)
            .map(|b| &b.value)
            .filter(|v| matches!(v.value, Value::Object(_))),
        _ => None,
    }
}

/// Unknown options (a spread, a variable from elsewhere) may hold a timeout.
fn lacks(facts: &FileFacts, options: Option<&Expr>, keys: &[&str]) -> bool {
    match options {
        None => true,
        Some(o) => match options_of(facts, Some(o)) {
            Some(object) => keys.iter().all(|k| object.get(k).is_none()),
            None => false,
        },
    }
}

fn node(facts: &FileFacts, call: &Call) -> Option<(String, Kind)> {
    let callee = call.callee.as_str();
    let what = format!("`{callee}(…)`");
    let args: Vec<&Expr> = call.positional().collect();
    match callee {
        "fetch" | "globalThis.fetch" => {
            lacks(facts, args.get(1).copied(), &["signal"]).then_some((what, Kind::Http))
        }
        "got" | "got.get" | "got.post" => {
            lacks(facts, args.get(1).copied(), &["timeout", "signal"]).then_some((what, Kind::Http))
        }
        "execSync"
        | "execFileSync"
        | "spawnSync"
        | "child_process.execSync"
        | "child_process.execFileSync"
        | "child_process.spawnSync"
        | "exec"
        | "execFile"
        | "child_process.exec"
        | "child_process.execFile" => {
            // The options object is the argument after the command (and its argv).
            let options = args
                .iter()
                .skip(1)
                .find(|a| !matches!(a.value, Value::Array(_) | Value::Function))
                .copied();
            let has_callback_only = options.is_none();
            if callee.ends_with("exec") && has_callback_only && args.len() < 2 {
                // `exec(cmd)` promisified or not: no options at all.
                return Some((what, Kind::Process));
            }
            lacks(facts, options, &["timeout"]).then_some((what, Kind::Process))
        }
        _ if callee.starts_with("axios") => {
            let configured_globally = facts.calls.iter().any(|c| {
                c.callee == "axios.create"
                    && c.positional()
                        .next()
                        .is_some_and(|o| o.get("timeout").is_some())
            }) || facts
                .bindings
                .iter()
                .any(|b| b.name == "axios.defaults.timeout");
            if configured_globally {
                return None;
            }
            let config = match call.method() {
                "get" | "delete" | "head" | "options" => args.get(1).copied(),
                "post" | "put" | "patch" => args.get(2).copied(),
                "request" => args.first().copied(),
                _ if callee == "axios" => args.get(1).or(args.first()).copied(),
                _ => return None,
            };
            lacks(facts, config, &["timeout", "signal"]).then_some((what, Kind::Http))
        }
        _ => None,
    }
}

/// Go calls that wait without a deadline: the `http` package's helpers and
/// `http.DefaultClient` (no `Timeout`), and a process started without a
/// context (`exec.Command`; `exec.CommandContext` is killed when the
/// tool call's context ends).
fn go(call: &Call) -> Option<(String, Kind)> {
    let callee = call.callee.as_str();
    let what = format!("`{callee}(…)`");
    match callee {
        "http.Get" | "http.Post" | "http.Head" | "http.PostForm" => Some((
            format!("{what} (the default client, which never times out)"),
            Kind::Http,
        )),
        "http.DefaultClient.Do"
        | "http.DefaultClient.Get"
        | "http.DefaultClient.Post"
        | "http.DefaultClient.Head"
        | "http.DefaultClient.PostForm" => Some((what, Kind::Http)),
        "exec.Command" => Some((
            format!("{what} (a process with no context or deadline)"),
            Kind::Process,
        )),
        _ => None,
    }
}

/// `&http.Client{}` with no `Timeout` in a file whose tools use it. A file
/// that builds its requests with a context (`http.NewRequestWithContext`)
/// bounds them by the tool call's context, which the client cancels: Go's
/// idiom for deadlines.
fn go_clients(facts: &FileFacts, out: &mut Vec<Diagnostic>) {
    if facts
        .calls
        .iter()
        .any(|c| matches!(c.method(), "NewRequestWithContext" | "WithContext"))
    {
        return;
    }
    for call in &facts.calls {
        if call.callee == "http.Client" && call.keyword("Timeout").is_none() {
            out.push(
                Diagnostic::new(
                    call.span,
                    "`http.Client{}` with no `Timeout` makes requests that never time out, in a file with this server's tools",
                )
                .with_help(help(Language::Go, &Kind::Http)),
            );
        }
    }
}
