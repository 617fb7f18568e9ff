//! MCL503 secret-logged: a credential — a token, password, API key, the
//! caller's Authorization header, the whole request headers or the whole
//! environment — passed to a logger, `print`, `console.*`, a tracing macro,
//! or the MCP client's log notifications.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder};

use super::credential_flow::{Flow, Frame, Held, Mode, Visitor, Walker, shorten};
use super::secret_words::{Naming, naming};
use super::{CODE_LANGUAGES, FileContext, Rule, RuleMeta, owasp, words};
use crate::facts::{Call, Expr, Language, Value};
use crate::finding::{Diagnostic, Level, Span};

pub struct SecretLogged;

static META: RuleMeta = RuleMeta {
    code: "MCL503",
    name: "secret-logged",
    level: Level::Warning,
    cwe: Some(532),
    owasp: Some(owasp::MCP01),
    languages: CODE_LANGUAGES,
    summary: "a token, password, API key, Authorization header or the whole environment is written to a log or printed",
    doc: include_str!("../../rules/MCL503-secret-logged.md"),
    opt_in: false,
    // The prefilter decides (a logging word and a secret word); these are
    // certain on their own.
    triggers: &["print(os.environ", "console.log(process.env"],
    prefilter: Some(mentions_logging_and_secret),
    roles: crate::roles::BACKEND,
};

const HELP: &str = "log that the credential is present, or a non-secret fingerprint of it (a hash, the last four characters), never its value: logs are kept, shipped and read far beyond the secret's audience. Log an allowlist of request headers (or drop Authorization and Cookie first), and names of environment variables rather than their values";

/// Does the text both log or print something and mention a credential?
fn mentions_logging_and_secret(text: &str) -> bool {
    static MATCHERS: OnceLock<Option<(AhoCorasick, AhoCorasick)>> = OnceLock::new();
    let Some((secret, logging)) = MATCHERS
        .get_or_init(|| {
            let build = |patterns: &[&str]| {
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .build(patterns)
                    .ok()
            };
            Some((
                build(&[
                    "token",
                    "secret",
                    "passw",
                    "passphrase",
                    "apikey",
                    "api_key",
                    "api-key",
                    "credential",
                    "creds",
                    "authorization",
                    "cookie",
                    "environ",
                    "process.env",
                    "env::vars",
                    "headers",
                    "private_key",
                    "privatekey",
                ])?,
                build(&[
                    "log(",
                    "log.",
                    "logger",
                    "print(",
                    "println!",
                    "print!",
                    "console.",
                    "tracing::",
                    "info!",
                    "warn!",
                    "error!",
                    "debug!",
                    "trace!",
                    "event!",
                    "dbg!",
                    ".info(",
                    ".warning(",
                    ".warn(",
                    ".error(",
                    ".debug(",
                    ".exception(",
                    ".critical(",
                    ".trace(",
                    "echo(",
                    "stderr.write",
                    "stdout.write",
                    "sendLoggingMessage",
                    "send_log_message",
                ])?,
            ))
        })
        .as_ref()
    else {
        return true;
    };
    // A secret word in the logging call itself (its first few lines), or a
    // credential of the incoming request somewhere in a file that logs: a
    // secret word and a logging word far apart are in most files of any
    // project, and would make this rule parse three times as many files.
    let bytes = text.as_bytes();
    let near = logging
        .find_iter(text)
        .any(|m| secret.is_match(&bytes[m.start()..call_end(bytes, m.start())]));
    near || (incoming_credential(text) && logging.is_match(text))
}

/// Bytes after a logging word in which its arguments are looked for.
const LOG_CALL_WINDOW: usize = 400;

/// Where the statement starting at `start` ends, roughly: the first line
/// break that does not follow an opening bracket, a comma or an operator
/// (the arguments of a call laid out over several lines stay in).
fn call_end(bytes: &[u8], start: usize) -> usize {
    let cap = (start + LOG_CALL_WINDOW).min(bytes.len());
    let mut last = b' ';
    for (i, &b) in bytes[start..cap].iter().enumerate() {
        if b == b'\n' && !matches!(last, b'(' | b'[' | b'{' | b',' | b'+' | b'\\' | b'%') {
            return start + i;
        }
        if !b.is_ascii_whitespace() {
            last = b;
        }
    }
    cap
}

/// Does the text read the caller's credential (which may then be logged
/// under a name that does not say so)?
fn incoming_credential(text: &str) -> bool {
    static SOURCES: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    SOURCES
        .get_or_init(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .build([
                    "authorization",
                    "authinfo",
                    "get_access_token",
                    "get_http_headers",
                    "x-api-key",
                ])
                .ok()
        })
        .as_ref()
        .is_none_or(|ac| ac.is_match(text))
}

/// Logger methods, by level.
const LEVELS: &[&str] = &[
    "debug",
    "info",
    "warning",
    "warn",
    "error",
    "exception",
    "critical",
    "fatal",
    "log",
    "msg",
    "trace",
    "verbose",
    "silly",
    "notice",
];

/// How a call writes its arguments out, when it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Output {
    Log,
    Print,
    /// MCP log notifications: they go to the client, and often to the model.
    Client,
}

fn output_of(call: &Call, language: Language) -> Option<Output> {
    let callee = call.callee.as_str();
    let method = call.method();
    let receiver = call.receiver().unwrap_or("");
    if language == Language::Rust {
        let name = callee.strip_suffix('!')?;
        let last = name.rsplit(':').next().unwrap_or(name);
        return match last {
            "println" | "eprintln" | "print" | "eprint" | "dbg" => Some(Output::Print),
            "info" | "debug" | "warn" | "error" | "trace" | "event" | "log" => Some(Output::Log),
            _ => None,
        };
    }
    if language == Language::Go {
        return go_output(call);
    }
    match callee {
        "print"
        | "pprint"
        | "pprint.pprint"
        | "pp"
        | "rich.print"
        | "click.echo"
        | "typer.echo"
        | "sys.stderr.write"
        | "sys.stdout.write"
        | "process.stderr.write"
        | "process.stdout.write" => return Some(Output::Print),
        _ => {}
    }
    if method == "sendLoggingMessage" || method == "send_log_message" {
        return Some(Output::Client);
    }
    if !(LEVELS.contains(&method) || receiver == "console" && method == "print") {
        return None;
    }
    if receiver == "console" {
        return Some(Output::Print);
    }
    // The MCP context: `ctx.info(...)` sends a log notification to the client.
    if language == Language::Python
        && matches!(receiver, "ctx" | "context" | "self.ctx" | "self.context")
        && matches!(method, "info" | "debug" | "warning" | "error" | "log")
    {
        return Some(Output::Client);
    }
    let last = receiver.rsplit('.').next().unwrap_or(receiver);
    let named_logger = words(last).iter().any(|w| {
        matches!(
            w.as_str(),
            "log" | "logger" | "logging" | "logs" | "structlog" | "pino" | "winston" | "audit"
        )
    });
    if named_logger || receiver == "logging" {
        return Some(Output::Log);
    }
    // `logging.getLogger(__name__).info(...)`, `log.bind(user=u).info(...)`.
    if let Some(Value::Call(inner)) = call.receiver.as_deref().map(|r| &r.value) {
        let inner_method = inner.method();
        if matches!(
            inner_method,
            "getLogger" | "get_logger" | "getChild" | "bind" | "child" | "opt"
        ) {
            return Some(Output::Log);
        }
    }
    None
}

/// Go: `fmt.Print*` / `fmt.Fprint*`, the `log` package, `slog`, and the
/// methods of a logger (`logger.Info`, zap's sugared `Infof` / `Infow`,
/// logrus's `WithField(…).Info`).
fn go_output(call: &Call) -> Option<Output> {
    let method = call.method();
    let receiver = call.receiver().unwrap_or("");
    if receiver == "fmt" {
        return matches!(
            method,
            "Print" | "Println" | "Printf" | "Fprint" | "Fprintln" | "Fprintf"
        )
        .then_some(Output::Print);
    }
    // `Infof`, `Infow`, `Errorf`, `InfoContext` → `info`, `error`.
    let level = method
        .strip_suffix("Context")
        .or_else(|| method.strip_suffix('f'))
        .or_else(|| method.strip_suffix('w'))
        .or_else(|| method.strip_suffix("ln"))
        .unwrap_or(method)
        .to_ascii_lowercase();
    let is_level =
        LEVELS.contains(&level.as_str()) || matches!(level.as_str(), "print" | "panic" | "warning");
    if !is_level {
        return None;
    }
    if matches!(
        receiver,
        "log" | "slog" | "logrus" | "glog" | "klog" | "zap.L()" | "zap.S()"
    ) {
        return Some(Output::Log);
    }
    let last = receiver.rsplit('.').next().unwrap_or(receiver);
    let named_logger = words(last).iter().any(|w| {
        matches!(
            w.as_str(),
            "log" | "logger" | "logging" | "logs" | "slog" | "audit"
        )
    });
    // `logrus.WithField("k", v).Info(…)`, `zap.L().Info(…)`.
    let chained = matches!(
        call.receiver.as_deref().map(|r| &r.value),
        Some(Value::Call(inner)) if matches!(inner.method(), "WithField" | "WithFields" | "With" | "L" | "S" | "Sugar")
    );
    (named_logger || chained).then_some(Output::Log)
}

/// The value of a structured-logging field: `zap.String("key", v)`,
/// `slog.Any("key", v)`.
fn go_field_value(expr: &Expr) -> Option<&Expr> {
    let Value::Call(call) = &expr.value else {
        return None;
    };
    if !matches!(call.receiver(), Some("zap" | "slog")) {
        return None;
    }
    let mut args = call.positional();
    args.next()?.str_value()?;
    args.next()
}

/// Does this call write its arguments to a log, stdout/stderr or the client?
pub fn is_logger(call: &Call, language: Language) -> bool {
    output_of(call, language).is_some()
}

/// Keyword arguments of loggers that are options, not logged values.
fn is_option_keyword(name: &str) -> bool {
    matches!(
        name,
        "exc_info"
            | "stack_info"
            | "stacklevel"
            | "level"
            | "logger_name"
            | "logger"
            | "sep"
            | "end"
            | "file"
            | "flush"
            | "err"
            | "nl"
            | "style"
            | "markup"
    )
}

impl Rule for SecretLogged {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        let mode = Mode {
            secrets: true,
            slices_keep: false,
        };
        let mut walker = Walker::new(ctx.project, mode);
        let mut logs = Logs {
            file: ctx.file_index,
            found: Vec::new(),
        };
        walker.run_file(ctx.file_index, &mut logs);
        let mut seen = Vec::new();
        for (call_span, sink, output, flow, arg, simple) in logs.found {
            if seen.contains(&call_span) {
                continue;
            }
            seen.push(call_span);
            let action = match output {
                Output::Log => format!("written to the log by `{sink}()`"),
                Output::Print => format!("printed by `{sink}()`"),
                Output::Client => {
                    format!("sent to the MCP client as a log message by `{sink}()`")
                }
            };
            // Name what is logged as written there, and where it came from
            // when that is elsewhere: `PAYMENTS_API_KEY` (from `os.environ[…]`).
            let shown = if simple {
                shorten(ctx.source(arg))
            } else {
                flow.what.clone()
            };
            let from = if shown != flow.what
                && !(arg.start <= flow.origin.start && flow.origin.end <= arg.end)
            {
                format!(" (from `{}`)", flow.what)
            } else {
                String::new()
            };
            let message = match flow.held {
                Held::Environment => format!(
                    "the whole environment (`{shown}`), every secret in it included, is {action}"
                ),
                // `this.defaultRequest.headers`: the headers this server
                // sends with its own outbound calls, not a caller's.
                Held::Headers if own_object(&flow.what) => format!(
                    "the headers this server sends with its own requests (`{shown}`), its credentials included, are {action}"
                ),
                Held::Headers => format!(
                    "the incoming request's headers (`{shown}`), Authorization included, are {action}"
                ),
                Held::Token | Held::AuthInfo => {
                    format!("the caller's bearer token `{shown}`{from} is {action}")
                }
                Held::Carrier => {
                    let inner = match flow.root {
                        Held::Environment => "the whole environment",
                        Held::Headers if own_object(&flow.what) => {
                            "the headers this server sends with its own requests"
                        }
                        Held::Headers => "the caller's request headers",
                        Held::Token | Held::AuthInfo | Held::Request => "the caller's bearer token",
                        _ => "a secret",
                    };
                    format!(
                        "`{}` holds {inner} (`{}`) and is {action}",
                        shorten(ctx.source(arg)),
                        flow.what
                    )
                }
                _ => format!("the secret `{shown}`{from} is {action}"),
            };
            let mut diagnostic = Diagnostic::new(call_span, message).with_help(HELP);
            if arg != call_span {
                diagnostic = diagnostic.with_label(arg, "logged here");
            }
            if flow.file == ctx.file_index
                && flow.origin.end <= ctx.text.len()
                && !(call_span.start <= flow.origin.start && flow.origin.end <= call_span.end)
            {
                diagnostic = diagnostic.with_label(flow.origin, "the secret comes from here");
            }
            out.push(diagnostic);
        }
    }
}

struct Logs {
    file: usize,
    /// (call, callee, output, what is logged, the argument, whether the
    /// argument is a plain name or access worth quoting).
    found: Vec<(Span, String, Output, Flow, Span, bool)>,
}

fn leaks(flow: &Flow) -> bool {
    !matches!(flow.held, Held::Request)
}

impl Visitor for Logs {
    fn call(&mut self, walker: &mut Walker<'_, '_>, frame: &Frame, call: &Call) {
        if frame.file != self.file {
            return;
        }
        let language = walker.facts(frame.file).language;
        let Some(output) = output_of(call, language) else {
            return;
        };
        let sink = call.callee.replace("<expr>", "…");
        let mut found: Option<(Flow, Span)> = None;
        let consider = |flow: Flow, span: Span, found: &mut Option<(Flow, Span)>| {
            if leaks(&flow) && found.is_none() {
                *found = Some((flow, span));
            }
        };
        for arg in &call.args {
            if let Some(name) = arg.name.as_deref() {
                if is_option_keyword(name) {
                    continue;
                }
                // structlog: `log.info("login", password=pw)`.
                if naming(name) == Naming::Secret
                    && walker.eval(frame, &arg.value).is_none()
                    && walker.opaque_secret_value(frame, &arg.value)
                {
                    let flow = walker.secret_at(frame, arg.value.span);
                    consider(flow, arg.value.span, &mut found);
                    continue;
                }
            }
            if let Some(flow) = walker.eval(frame, &arg.value) {
                consider(flow, arg.value.span, &mut found);
            } else if language == Language::Go
                && let Some(value) = go_field_value(&arg.value)
                && let Some(flow) = walker.eval(frame, value)
            {
                consider(flow, value.span, &mut found);
            }
        }
        // tracing fields the frontend keeps no argument for:
        // `info!(token = %token, "…")`, `debug!(?headers)`.
        if language == Language::Rust && found.is_none() {
            let text = walker.source(frame.file, call.span);
            for (key, path, span) in macro_fields(text, call.span.start) {
                let expr = Expr {
                    span,
                    value: Value::Name(path.clone()),
                };
                let by_key = key.as_deref().is_some_and(|k| naming(k) == Naming::Secret)
                    && walker.opaque_secret_value(frame, &expr);
                if let Some(flow) = walker.eval(frame, &expr) {
                    consider(flow, span, &mut found);
                } else if by_key {
                    let flow = walker.secret_at(frame, span);
                    consider(flow, span, &mut found);
                }
            }
        }
        if let Some((flow, arg)) = found {
            let simple = call
                .args
                .iter()
                .find(|a| a.value.span == arg)
                .is_none_or(|a| {
                    matches!(
                        a.value.value,
                        Value::Name(_)
                            | Value::Member(..)
                            | Value::EnvLookup { .. }
                            | Value::Op(..)
                            | Value::Call(_)
                    )
                });
            self.found
                .push((call.span, sink, output, flow, arg, simple));
        }
    }
}

/// The fields of a tracing macro: `token = %token` → (`token`, `token`),
/// `?headers` → (None, `headers`), `user.api_key = ?self.api_key`.
fn macro_fields(text: &str, base: usize) -> Vec<(Option<String>, String, Span)> {
    let Some(open) = text.find(['(', '[', '{']) else {
        return Vec::new();
    };
    let inner_end = text.len().saturating_sub(1).max(open + 1);
    let Some(inner) = text.get(open + 1..inner_end) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut offset = open + 1;
    for piece in split_commas(inner) {
        let start = offset + (piece.len() - piece.trim_start().len());
        offset += piece.len() + 1;
        let trimmed = piece.trim();
        if trimmed.starts_with('"') {
            continue;
        }
        let (key, value) = match trimmed.split_once('=') {
            Some((k, v)) if !v.starts_with('=') && !k.ends_with(['!', '<', '>', '=']) => {
                (Some(k.trim().to_string()), v.trim())
            }
            _ if trimmed.starts_with(['%', '?']) => (None, trimmed),
            _ => continue,
        };
        let path = value.trim_start_matches(['%', '?', '&']).trim();
        if path.is_empty()
            || !path
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        {
            continue;
        }
        let at = base + start + trimmed.find(path).unwrap_or(0);
        out.push((key, path.to_string(), Span::new(at, at + path.len())));
    }
    out
}

/// Splits at commas outside brackets and string literals.
fn split_commas(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut in_string = false;
    let mut escaped = false;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

/// A path on the object's own fields (`this.defaultRequest.headers`,
/// `self._session.headers`): state the server set up, not a request it got.
fn own_object(what: &str) -> bool {
    what.starts_with("this.") || what.starts_with("self.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracing_fields() {
        let text = r#"tracing::info!(token = %token, user = ?user.name, "x {}", y)"#;
        let fields = macro_fields(text, 0);
        assert_eq!(fields.len(), 2);
        assert_eq!(fields[0].0.as_deref(), Some("token"));
        assert_eq!(fields[0].1, "token");
        assert_eq!(&text[fields[0].2.start..fields[0].2.end], "token");
        assert_eq!(fields[1].1, "user.name");
        let fields = macro_fields("debug!(?headers, \"a, b\")", 0);
        assert_eq!(fields.len(), 1);
        assert_eq!(fields[0].1, "headers");
    }

    #[test]
    fn prefilter() {
        assert!(mentions_logging_and_secret("logger.info(token)"));
        assert!(!mentions_logging_and_secret("x = token"));
        assert!(!mentions_logging_and_secret("print(x)"));
        let far = format!("logger.info(x)\n{}\ntoken = 1", "#\n".repeat(200));
        assert!(!mentions_logging_and_secret(&far));
        assert!(mentions_logging_and_secret(
            "auth = req.headers.authorization\n// …\nconsole.log(auth)"
        ));
    }
}
