//! MCL303 environment-leak: a child process handed the server's whole
//! environment, in a server that keeps secrets there.

use std::sync::OnceLock;

use regex::Regex;

use super::{CODE_LANGUAGES, FileContext, Rule, RuleMeta, owasp};
use crate::facts::{Call, Expr, FileFacts, Value};
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

/// The secret names of the files nearest this one (sharing the longest
/// directory prefix with it): in a repository of many servers, the ones
/// this server's own package reads, not a neighbour's.
fn nearest_secrets(ctx: &FileContext<'_>) -> Vec<String> {
    let here: Vec<_> = ctx
        .path
        .parent()
        .map(|p| p.components().collect())
        .unwrap_or_default();
    let mut best = 0;
    let mut names: Vec<String> = Vec::new();
    for file in &ctx.project.files {
        let found: Vec<&str> = file
            .facts
            .strings
            .iter()
            .map(|s| s.value.as_str())
            .filter(|v| v.len() < 64 && secret_name().is_match(v))
            .collect();
        if found.is_empty() {
            continue;
        }
        let shared = file
            .path
            .parent()
            .map(|p| {
                p.components()
                    .zip(&here)
                    .take_while(|(a, b)| a == *b)
                    .count()
            })
            .unwrap_or(0);
        if shared > best {
            best = shared;
            names.clear();
        }
        if shared == best {
            names.extend(found.into_iter().map(str::to_string));
        }
    }
    names.sort_unstable();
    names.dedup();
    names
}

impl Rule for EnvironmentLeak {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        // The secrets this project reads from its environment.
        let secrets = ctx.project.secret_names(|project| {
            let mut names: Vec<String> = project
                .files
                .iter()
                .flat_map(|f| f.facts.strings.iter())
                .map(|s| s.value.as_str())
                .filter(|v| v.len() < 64 && secret_name().is_match(v))
                .map(str::to_string)
                .collect();
            names.sort_unstable();
            names.dedup();
            names
        });
        if secrets.is_empty() {
            return;
        }
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
            let named: Vec<String> = nearest_secrets(ctx)
                .iter()
                .take(3)
                .map(|s| format!("`{s}`"))
                .collect();
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
