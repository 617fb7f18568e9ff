//! MCL303 environment-leak: a child process handed the server's whole
//! environment, in a server that keeps secrets there.

use std::sync::OnceLock;

use regex::Regex;

use super::handler_scope::server_files;
use super::{CODE_LANGUAGES, FileContext, Rule, RuleMeta, owasp};
use crate::facts::{Call, Expr, FileFacts, Stmt, Value};
use crate::finding::{Diagnostic, Level};
use crate::taint::Capability;

pub struct EnvironmentLeak;

static META: RuleMeta = RuleMeta {
    code: "MCL303",
    name: "environment-leak",
    level: Level::Warning,
    cwe: Some(526),
    owasp: Some(owasp::MCP01),
    languages: CODE_LANGUAGES,
    summary: "a child process inherits the server's whole environment (secrets)",
    doc: include_str!("../../rules/MCL303-environment-leak.md"),
    opt_in: false,
    // The server's own files (and the modules they import, which the import
    // closure parses): a CLI that spawns with `process.env` is not an MCP
    // server leaking its secrets to a tool's child process.
    triggers: crate::frontend::SDK_MARKERS,
    prefilter: None,
    roles: crate::roles::SERVER_SIDE,
};

/// Environment variable names that hold credentials.
fn secret_name() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^[A-Z][A-Z0-9_]*(KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASS|CREDENTIALS?|PAT|DSN)(_[A-Z0-9]+)?$")
            .unwrap_or_else(|_| Regex::new("$^").expect("the empty regex compiles"))
    })
}

/// Does an expression stand for the whole environment?
fn whole_environment(expr: &Expr) -> bool {
    match &expr.value {
        Value::Name(name) => matches!(name.as_str(), "os.environ" | "environ" | "process.env"),
        Value::Call(call) => {
            matches!(
                call.callee.as_str(),
                "os.environ.copy"
                    | "environ.copy"
                    | "std::env::vars"
                    | "env::vars"
                    | "std::env::vars_os"
                    | "env::vars_os"
            ) || (matches!(
                call.callee.as_str(),
                "dict" | "Object.assign" | "HashMap::from_iter"
            ) && call.args.iter().any(|a| whole_environment(&a.value)))
        }
        Value::Object(pairs) => pairs
            .iter()
            .any(|(key, value)| (key == "**" || key == "...") && whole_environment(value)),
        Value::Op(op, operands) if matches!(op.as_str(), "..." | "|" | "&") => {
            operands.iter().any(whole_environment)
        }
        _ => false,
    }
}

/// The environment a process-starting call is given, when it is the whole
/// one (written in place, or through a variable bound to it).
fn leaked<'c>(call: &'c Call, facts: &FileFacts) -> Option<&'c Expr> {
    let whole = |e: &&Expr| {
        whole_environment(e)
            || e.name()
                .and_then(|n| facts.resolve(n))
                .is_some_and(|b| whole_environment(&b.value))
    };
    if let Some(env) = call.keyword("env").filter(whole) {
        return Some(env);
    }
    // Node: `spawn(cmd, args, { env: process.env })`; Rust: `.envs(std::env::vars())`.
    for arg in call.positional() {
        if let Some(env) = arg.get("env").filter(whole) {
            return Some(env);
        }
    }
    if call.method() == "envs" {
        return call.positional().next().filter(whole);
    }
    None
}

/// The secret variables a file reads from its environment
/// (`os.environ["GITHUB_TOKEN"]`, `os.getenv("API_KEY")`,
/// `process.env.STRIPE_SECRET_KEY`, `std::env::var("OPENAI_API_KEY")`).
/// A string that only looks like one (`"AWS_ACCESS_KEY_REDACTED"`, a
/// replacement text) is not a secret the server holds.
fn secrets_read(facts: &FileFacts) -> Vec<String> {
    let mut stack: Vec<&Expr> = Vec::new();
    for call in &facts.calls {
        stack.extend(call.args.iter().map(|a| &a.value));
        stack.extend(call.receiver.as_deref());
    }
    for binding in &facts.bindings {
        stack.push(&binding.value);
    }
    for stmt in &facts.statements {
        match stmt {
            Stmt::Assign { value, .. } | Stmt::Return { value, .. } => stack.push(value),
            Stmt::Guard { cond, .. } => stack.push(cond),
        }
    }
    let mut out = Vec::new();
    // Bounded: a generated file of huge literals is not walked to the end.
    let mut budget = 200_000usize;
    while let Some(expr) = stack.pop() {
        budget = budget.saturating_sub(1);
        if budget == 0 {
            break;
        }
        if let Value::EnvLookup { var: Some(var), .. } = &expr.value
            && var.len() < 64
            && secret_name().is_match(var)
        {
            out.push(var.clone());
        }
        stack.extend(expr.children());
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The secrets the server that `ctx`'s file belongs to reads from its
/// environment: its own files, the modules they import and the files that
/// import it (see `handler_scope::server_files`) — not a neighbouring
/// server's, nor the SDK's settings in an SDK's own repository.
fn server_secrets(ctx: &FileContext<'_>) -> Vec<String> {
    let mut names: Vec<String> = server_files(ctx.project, ctx.file_index)
        .into_iter()
        .filter_map(|i| ctx.project.files.get(i))
        .flat_map(|f| secrets_read(f.facts))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

impl Rule for EnvironmentLeak {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        let catalog = ctx.project.catalog(ctx.facts.language);
        for call in &ctx.facts.calls {
            let starts_process = call.method() == "envs"
                || catalog.sinks.iter().any(|s| {
                    s.capability == Some(Capability::Exec)
                        && s.callees
                            .iter()
                            .any(|c| c.ends_with(&call.callee) || *c == call.callee)
                });
            if !starts_process {
                continue;
            }
            let Some(env) = leaked(call, ctx.facts) else {
                continue;
            };
            // The premise: the server holds secrets of its own in its
            // environment. A server that reads none (a wrapper of a CLI that
            // finds its own credentials, an example launching its own child)
            // hands the child nothing it keeps.
            let secrets = server_secrets(ctx);
            if secrets.is_empty() {
                continue;
            }
            let mut named: Vec<String> = secrets.iter().take(3).map(|s| format!("`{s}`")).collect();
            if secrets.len() > 3 {
                named.push(format!("{} more", secrets.len() - 3));
            }
            out.push(
                Diagnostic::new(
                    env.span,
                    format!(
                        "the child process of `{}()` gets the server's whole environment, with its secrets ({})",
                        call.callee.replace("<expr>", "…").escape_debug(),
                        named.join(", ")
                    ),
                )
                .with_help("pass only what the child needs: env={\"PATH\": os.environ[\"PATH\"], \"HOME\": …}, { env: { PATH: process.env.PATH } }, .env_clear().env(\"PATH\", …)"),
            );
        }
    }
}
