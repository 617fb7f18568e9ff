//! MCL502 stdout-in-stdio-server: a stdio MCP server speaks JSON-RPC on
//! stdout, so anything else written there corrupts the protocol stream.

use super::{CODE_LANGUAGES, FileContext, Rule, RuleMeta};
use crate::facts::{Call, Expr, Language, Transport, Value};
use crate::finding::{Diagnostic, Level, Span};

pub struct StdoutInStdioServer;

static META: RuleMeta = RuleMeta {
    code: "MCL502",
    name: "stdout-in-stdio-server",
    level: Level::Error,
    cwe: Some(1286),
    owasp: None,
    languages: CODE_LANGUAGES,
    summary: "print/console.log in a stdio server corrupts the protocol stream",
    doc: include_str!("../../rules/MCL502-stdout-in-stdio-server.md"),
    opt_in: false,
    // Tools exist only in files that use an MCP SDK.
    triggers: crate::frontend::SDK_MARKERS,
    prefilter: None,
    roles: crate::roles::SERVER_SIDE,
};

/// Does this call send a logger's output to standard output?
/// (`logging.basicConfig(stream=sys.stdout)`, `logging.StreamHandler(sys.stdout)`,
/// `tracing_subscriber::fmt()…init()` without `.with_writer(…)`.)
fn logs_to_stdout(call: &Call, language: Language) -> Option<(String, Span)> {
    let is_stdout = |e: &Expr| e.name().is_some_and(|n| n == "sys.stdout");
    let to_stdout = match language {
        Language::Python => match call.callee.as_str() {
            "logging.basicConfig" => call.keyword("stream").is_some_and(is_stdout),
            "logging.StreamHandler" | "StreamHandler" => {
                call.positional().next().is_some_and(is_stdout)
            }
            _ => false,
        },
        Language::Rust if matches!(call.method(), "init" | "try_init") => {
            // Walk the builder chain down to `tracing_subscriber::fmt()`.
            let mut current = call.receiver.as_deref();
            let mut has_writer = false;
            while let Some(Expr {
                value: Value::Call(inner),
                ..
            }) = current
            {
                if inner.method() == "with_writer" {
                    has_writer = true;
                }
                if inner.callee == "tracing_subscriber::fmt" || inner.callee == "fmt" {
                    return (!has_writer).then(|| {
                        ("`tracing_subscriber::fmt()` without `.with_writer(std::io::stderr)` logs to stdout, which this stdio server uses for JSON-RPC".to_string(), inner.span)
                    });
                }
                current = inner.receiver.as_deref();
            }
            false
        }
        // `log.SetOutput(os.Stdout)`, `logrus.SetOutput(os.Stdout)`,
        // `log.New(os.Stdout, …)`, `slog.NewTextHandler(os.Stdout, …)`;
        // the `log` package, slog's default, zap and logrus write to
        // stderr unless told otherwise.
        Language::Go => {
            matches!(
                call.method(),
                "SetOutput" | "New" | "NewTextHandler" | "NewJSONHandler" | "NewLogfmtHandler"
            ) && call.positional().next().is_some_and(is_go_stdout)
        }
        _ => false,
    };
    to_stdout.then(|| {
        (
            format!(
                "`{}` sends log output to stdout, which this stdio server uses for JSON-RPC",
                call.callee
            ),
            call.span,
        )
    })
}

/// Is this Go call after the stdio server it shares a function with has
/// returned?
fn after_serving(facts: &crate::facts::FileFacts, call: &Call) -> bool {
    let Some(function) = facts.enclosing_function(call.span) else {
        return false;
    };
    facts.transports.iter().any(|t| {
        t.transport == Transport::Stdio
            && t.span.end <= call.span.start
            && facts.enclosing_function(t.span).map(|f| f.span) == Some(function.span)
    })
}

/// `os.Stdout` as a writer argument.
fn is_go_stdout(expr: &Expr) -> bool {
    expr.name() == Some("os.Stdout")
}

/// Does this call write to standard output?
fn writes_stdout(call: &Call, language: Language) -> bool {
    match language {
        Language::Python => match call.callee.as_str() {
            // `print(..., file=sys.stderr)` (or any other file) is not stdout.
            "print" => call
                .keyword("file")
                .is_none_or(|f| f.name().is_some_and(|n| n.ends_with("stdout"))),
            "pprint" | "pprint.pprint" => call
                .keyword("stream")
                .is_none_or(|f| f.name().is_some_and(|n| n.ends_with("stdout"))),
            "sys.stdout.write" | "sys.stdout.writelines" | "sys.stdout.buffer.write" => true,
            _ => false,
        },
        Language::Rust => matches!(
            call.callee.as_str(),
            "println!" | "print!" | "std::println!" | "std::print!"
        ),
        // Go's builtin `print` / `println` write to stderr.
        Language::Go => match call.callee.as_str() {
            "fmt.Print"
            | "fmt.Println"
            | "fmt.Printf"
            | "os.Stdout.Write"
            | "os.Stdout.WriteString" => true,
            "fmt.Fprint" | "fmt.Fprintln" | "fmt.Fprintf" => {
                call.positional().next().is_some_and(is_go_stdout)
            }
            _ => false,
        },
        _ => matches!(
            call.callee.as_str(),
            "console.log"
                | "console.info"
                | "console.debug"
                | "console.table"
                | "console.dir"
                | "process.stdout.write"
        ),
    }
}

impl Rule for StdoutInStdioServer {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        let facts = ctx.facts;
        if facts.transport_kinds() != [Transport::Stdio] {
            return;
        }
        let stdio = facts.transports.first().map(|t| t.span);
        let instead = match facts.language {
            Language::Python => {
                "log with `logging` (stderr by default) or `print(..., file=sys.stderr)`"
            }
            Language::Rust => "use `eprintln!` or `tracing` with a stderr writer",
            Language::Go => {
                "log with the `log` package or `slog` (stderr by default), or `fmt.Fprintln(os.Stderr, …)`"
            }
            _ => "use `console.error` (stderr)",
        };
        // `console.log = console.error;` sends console.log to stderr.
        let bound: std::collections::HashSet<&str> =
            facts.bindings.iter().map(|b| b.name.as_str()).collect();
        // `process.stdout.write = filter` / `sys.stdout = sys.stderr`: the
        // module replaced the stream itself (a filter that drops what is not
        // JSON-RPC, or a redirect), so no write of it reaches the protocol
        // unfiltered.
        let stream_replaced =
            bound.contains("process.stdout.write") || bound.contains("sys.stdout");
        let redirected = |callee: &str| stream_replaced || bound.contains(callee);
        let label_stdio = |diagnostic: Diagnostic| match stdio {
            Some(span) => diagnostic.with_label(span, "the server speaks JSON-RPC over stdio here"),
            None => diagnostic,
        };
        // Writes are grouped by the function they are in (top-level code is
        // one group): one finding per place to fix, not one per `print`.
        let mut groups: Vec<(Option<Span>, Vec<&Call>)> = Vec::new();
        let mut group_of: std::collections::HashMap<Option<Span>, usize> =
            std::collections::HashMap::new();
        // `if (process.argv[2] === "auth") { …; process.exit(0) }`: a mode a
        // person runs at a terminal, never while the server speaks JSON-RPC.
        // Computed only for a file that writes to stdout at all.
        let serving: Vec<Span> = facts.transports.iter().map(|t| t.span).collect();
        let mut cli_only: Option<Vec<Span>> = None;
        for call in &facts.calls {
            if redirected(&call.callee) {
                continue;
            }
            // Go's `server.ServeStdio(s)` / `server.Run(ctx, &mcp.StdioTransport{})`
            // block until the stream ends: what the same function writes
            // after it (`fmt.Printf("Server error: %v", err)`) is written
            // once nobody reads JSON-RPC any more.
            if facts.language == Language::Go && after_serving(facts, call) {
                continue;
            }
            if writes_stdout(call, facts.language)
                && cli_only
                    .get_or_insert_with(|| crate::facts::cli_mode::cli_only_spans(facts, &serving))
                    .iter()
                    .any(|s| s.start <= call.span.start && call.span.end <= s.end)
            {
                continue;
            }
            if writes_stdout(call, facts.language) {
                let key = facts.enclosing_function(call.span).map(|f| f.span);
                match group_of.get(&key) {
                    Some(&at) => groups[at].1.push(call),
                    None => {
                        group_of.insert(key, groups.len());
                        groups.push((key, vec![call]));
                    }
                }
            } else if let Some((message, span)) = logs_to_stdout(call, facts.language) {
                out.push(label_stdio(Diagnostic::new(span, message).with_help(
                    format!("{instead}; stdout must carry protocol messages only"),
                )));
            }
        }
        for (key, calls) in groups {
            let Some(first) = calls.first() else {
                continue;
            };
            let place = match key
                .and_then(|span| facts.enclosing_function(span).filter(|f| f.span == span))
            {
                Some(function) => match &function.name {
                    Some(name) => format!(" in `{name}`"),
                    None => " in this function".to_string(),
                },
                None => " at the top level of this file".to_string(),
            };
            let message = if calls.len() == 1 {
                format!(
                    "`{}`{place} writes to stdout, which this stdio server uses for JSON-RPC",
                    first.callee
                )
            } else {
                let mut callees: Vec<&str> = calls.iter().map(|c| c.callee.as_str()).collect();
                callees.sort_unstable();
                callees.dedup();
                let what = match callees.as_slice() {
                    [one] => format!("`{one}` calls"),
                    many => format!(
                        "calls ({})",
                        many.iter()
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                format!(
                    "{} {what}{place} write to stdout, which this stdio server uses for JSON-RPC",
                    calls.len()
                )
            };
            let mut diagnostic = Diagnostic::new(first.span, message).with_help(format!(
                "{instead}; stdout must carry protocol messages only"
            ));
            for call in calls.iter().skip(1) {
                diagnostic = diagnostic.with_label(call.span, "also writes to stdout");
            }
            out.push(label_stdio(diagnostic));
        }
    }
}
