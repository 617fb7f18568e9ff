//! Code that runs only in a command-line mode of the program: the body of
//! an `if` on the command line (`process.argv[2] === "auth"`,
//! `"--version" in sys.argv`, `args.list_tools`) that leaves the program
//! (`process.exit`, `sys.exit`, `return` from `main`) and does not start the
//! server there, and the functions called only from such bodies. A person
//! typed that mode at a terminal; an MCP client does not run it, so what it
//! prints never reaches the JSON-RPC stream.

use std::collections::HashMap;

use super::{Expr, FileFacts, Stmt, Value};
use crate::finding::Span;

/// Words of a value parsed from the command line (`yargs(...).parse()`,
/// `parser.parse_args()`, `program.opts()`).
const PARSERS: &[&str] = &[
    "argv",
    "parse_args",
    "parse_known_args",
    "parseArgs",
    "yargs",
    "program.opts",
    "commander",
    "minimist",
    "docopt",
    "clap",
    "std::env::args",
    "env::args",
    // Go: `os.Args`, the `flag` / `pflag` packages.
    "os.Args",
    "flag.Bool",
    "flag.String",
    "flag.Arg",
    "flag.NArg",
    "flag.NewFlagSet",
    "pflag.",
];

/// The spans of code that only a command-line mode runs. `serving` are the
/// spans where the server starts its transport: a branch holding one is
/// not a side mode.
pub fn cli_only_spans(facts: &FileFacts, serving: &[Span]) -> Vec<Span> {
    let mut spans: Vec<Span> = facts
        .statements
        .iter()
        .filter_map(|stmt| match stmt {
            Stmt::Guard {
                cond, body, exits, ..
            } if (*exits || calls_exiting_function(facts, *body))
                && from_command_line(facts, cond)
                && !serving.iter().any(|s| contains(*body, *s)) =>
            {
                Some(*body)
            }
            _ => None,
        })
        .collect();
    if spans.is_empty() {
        return spans;
    }
    // Functions called only from those bodies (`authenticate()` in the
    // `auth` branch) run only in that mode too; a second round follows one
    // more level of helpers. Calls are indexed once by the name they call.
    let mut calls_by_name: HashMap<&str, Vec<Span>> = HashMap::new();
    for call in &facts.calls {
        let name = call.callee.rsplit('.').next().unwrap_or(&call.callee);
        calls_by_name.entry(name).or_default().push(call.span);
    }
    for _ in 0..2 {
        let mut added = Vec::new();
        for function in &facts.functions {
            let Some(name) = function.name.as_deref() else {
                continue;
            };
            let Some(sites) = calls_by_name.get(name) else {
                continue;
            };
            if spans.iter().any(|s| contains(*s, function.span))
                || serving.iter().any(|s| contains(function.span, *s))
            {
                continue;
            }
            if sites
                .iter()
                .all(|site| spans.iter().any(|s| contains(*s, *site)))
            {
                added.push(function.span);
            }
        }
        if added.is_empty() {
            break;
        }
        spans.extend(added);
    }
    spans
}

/// Calls that end the process.
const EXITS: &[&str] = &[
    "process.exit",
    "sys.exit",
    "os._exit",
    "exit",
    "std::process::exit",
    "os.Exit",
    "log.Fatal",
    "log.Fatalf",
];

/// Does a branch call a function of this file that ends the process
/// (`if (argv["list-tools"]) { listTools(); }` where `listTools` prints and
/// calls `process.exit(0)`)? Such a function's last call, outside any
/// branch of its own, is the exit.
fn calls_exiting_function(facts: &FileFacts, body: Span) -> bool {
    facts
        .calls
        .iter()
        .filter(|call| contains(body, call.span))
        .any(|call| {
            let name = call.callee.rsplit('.').next().unwrap_or(&call.callee);
            facts
                .functions
                .iter()
                .filter(|f| f.name.as_deref() == Some(name))
                .any(|f| ends_the_process(facts, f.span))
        })
}

fn ends_the_process(facts: &FileFacts, function: Span) -> bool {
    let Some(last) = facts
        .calls
        .iter()
        .filter(|c| contains(function, c.span) && c.span != function)
        .max_by_key(|c| c.span.end)
    else {
        return false;
    };
    let in_branch = facts.statements.iter().any(|s| match s {
        Stmt::Guard { body, .. } => {
            contains(function, *body) && *body != function && contains(*body, last.span)
        }
        _ => false,
    });
    EXITS.contains(&last.callee.as_str()) && !in_branch
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// Does a condition read the command line, directly or through a value
/// parsed from it?
fn from_command_line(facts: &FileFacts, cond: &Expr) -> bool {
    let mut names = Vec::new();
    collect_names(cond, &mut names, 0);
    names.iter().any(|name| {
        if PARSERS.iter().any(|p| name.contains(p)) {
            return true;
        }
        let root = name.split(['.', '[']).next().unwrap_or(name);
        bound_from_command_line(facts, root, 0)
    })
}

/// Is some binding of `root` a value parsed from the command line?
fn bound_from_command_line(facts: &FileFacts, root: &str, depth: usize) -> bool {
    // Positions are copied out: the index is not read while it is held.
    let positions = facts
        .binding_index
        .with(&facts.bindings, root, |positions| positions.to_vec());
    positions.iter().any(|&i| {
        facts
            .bindings
            .get(i)
            .is_some_and(|b| parsed_from_command_line(facts, &b.value, depth))
    })
}

fn parsed_from_command_line(facts: &FileFacts, value: &Expr, depth: usize) -> bool {
    let mut names = Vec::new();
    collect_names(value, &mut names, depth);
    if names.iter().any(|n| PARSERS.iter().any(|p| n.contains(p))) {
        return true;
    }
    // `version := fs.Bool("version", …)` of a Go `fs := flag.NewFlagSet(…)`:
    // a method of a value parsed from the command line reads it too. One
    // level of receivers is followed.
    if depth > 0 {
        return false;
    }
    let Value::Call(call) = &value.value else {
        return false;
    };
    let Some((root, _)) = call.callee.split_once('.') else {
        return false;
    };
    bound_from_command_line(facts, root, depth + 1)
}

/// The name paths and callees an expression reads.
fn collect_names(expr: &Expr, out: &mut Vec<String>, depth: usize) {
    if depth > 12 {
        return;
    }
    match &expr.value {
        Value::Name(name) => out.push(name.clone()),
        Value::Call(call) => out.push(call.callee.clone()),
        _ => {}
    }
    for child in expr.children() {
        collect_names(child, out, depth + 1);
    }
}
