//! Which of the effects a tool's handler reaches are the tool's own, and
//! which belong to the server's internal state keeping. The capability rules
//! (MCL302, MCL306) and the destructive judgement (MCL501, MCL601, MCL602)
//! ask `own` before they count a write, a deletion or a process.
//!
//! Two kinds of effect are not the tool's:
//!
//! 1. **Shared infrastructure.** A handler call that reaches the effect is
//!    infrastructure when at least `MIN_TOOLS` tools make it *the same way*
//!    (same callee, and the same arguments where they reach the effect's
//!    call as its path, command or URL: the same shared tool parameter
//!    passed as it is, the same constant or literal; arguments that do not
//!    reach it — the scopes asked for, a label — do not count) and at least
//!    one of those tools is not named for that
//!    effect: an auth or service getter (`get_credentials(user_email=…,
//!    session_id=…)`) every tool calls before its work. A shared helper that
//!    does the tool's operation is called differently by each tool — its
//!    arguments are shaped by each tool's own parameters or literals
//!    (`run_git(repo, ["log", "-n", n])`, `run_git(repo, ["checkout",
//!    branch])`) — and stays the tool's effect; so does a helper only tools
//!    named for the effect share (`save_note`, `append_note` calling
//!    `_write(path, text)`). Code a decorator or a wrapper applied to the
//!    handler runs (auth, service injection, logging, retry) is not reached
//!    by the taint engine at all: it is not in the handler's body.
//! 2. **Internal state.** A write to a location the same module also reads
//!    back — a read-through cache or a credential store: the written path
//!    (a field, a module constant, a project function's result, followed
//!    through assignments) is opened, loaded or tested for existence by
//!    another call of the same file — or a write under a cache or temporary
//!    directory (`~/.cache`, `user_cache_dir()`, `tempfile`). A path that is
//!    a parameter of the writing function is the caller's choice, never a
//!    store. A tool named or annotated for writing keeps such writes.

use std::collections::{HashMap, HashSet};

use super::destructive::WRITE_WORDS;
use super::launch::{EXEC_WORDS, destructive_word};
use super::{FileContext, words};
use crate::facts::{Call, EntryKind, Expr, FileFacts, Function, Stmt, ToolDef, Value};
use crate::finding::Span;
use crate::taint::{Analyzer, Capability, CapabilityHit, Project};

/// How many tools must make the same call for it to be infrastructure.
const MIN_TOOLS: usize = 3;

/// Handler calls into shared infrastructure: (file, span of the handler's
/// call, file, span of the effect's call).
#[derive(Debug, Default)]
pub struct Infrastructure {
    calls: HashSet<(usize, Span, usize, Span)>,
}

/// Is this effect the tool's own (see the module documentation)?
pub fn own(ctx: &FileContext<'_>, tool: &ToolDef, hit: &CapabilityHit) -> bool {
    let project = ctx.project;
    if let Some((file, span)) = hit.via
        && project
            .infrastructure(compute)
            .calls
            .contains(&(file, span, hit.file, hit.span))
    {
        return false;
    }
    !(hit.capability == Capability::FsWrite
        && !named_for_writing(tool)
        && internal_state(project, hit))
}

/// Is the tool named or annotated for writing?
fn named_for_writing(tool: &ToolDef) -> bool {
    let hints = &tool.annotations;
    hints.destructive == Some(true)
        || hints.read_only == Some(false)
        || words(&tool.name)
            .iter()
            .any(|w| WRITE_WORDS.contains(&w.as_str()))
}

/// Does a tool's name announce this effect?
fn announces(name: &str, capability: Capability) -> bool {
    let name_words = words(name);
    let has = |list: &[&str]| name_words.iter().any(|w| list.contains(&w.as_str()));
    match capability {
        Capability::Exec => has(EXEC_WORDS),
        Capability::FsWrite | Capability::NetworkWrite => {
            has(WRITE_WORDS) || destructive_word(name).is_some()
        }
        _ => destructive_word(name).is_some(),
    }
}

/// The tools of a call group: who makes it, and whether one of them is not
/// named for the effect.
#[derive(Default)]
struct Group {
    tools: HashSet<(usize, usize)>,
    unannounced: bool,
    calls: Vec<(usize, Span)>,
}

/// Every tool's handler calls, grouped by the way they are made and the
/// effect they reach; the groups of `MIN_TOOLS` tools or more, one of them
/// not named for the effect, are infrastructure.
fn compute(project: &Project<'_>) -> Infrastructure {
    let mut groups: HashMap<(String, usize, Span, Capability), Group> = HashMap::new();
    let mut analyzer = Analyzer::new(project);
    for (tool_file, file) in project.files.iter().enumerate() {
        for (index, tool) in file.facts.tools.iter().enumerate() {
            if tool.kind != EntryKind::Tool {
                continue;
            }
            let Some(handler) = project.handler_of(tool_file, index) else {
                continue;
            };
            let Some(function) = project
                .files
                .get(handler.file)
                .and_then(|f| f.facts.functions.get(handler.function))
            else {
                continue;
            };
            for hit in crate::taint::tool_capabilities(project, tool_file, index) {
                let Some((via_file, via_span)) = hit.via else {
                    continue;
                };
                if via_file != handler.file {
                    continue;
                }
                let Some(shape) = call_shape(&mut analyzer, handler.file, function, via_span, &hit)
                else {
                    continue;
                };
                let group = groups
                    .entry((shape, hit.file, hit.span, hit.capability))
                    .or_default();
                group.tools.insert((tool_file, index));
                group.unannounced |= !announces(&tool.name, hit.capability);
                group.calls.push((via_file, via_span));
            }
        }
    }
    let mut out = Infrastructure::default();
    for ((_, file, span, _), group) in groups {
        if group.tools.len() >= MIN_TOOLS && group.unannounced {
            out.calls
                .extend(group.calls.into_iter().map(|(f, s)| (f, s, file, span)));
        }
    }
    out
}

/// The way a handler makes a call, as far as the effect `hit` goes, as a
/// comparable text: the callee and each argument that reaches the effect's
/// call as a sink argument (its path, its command, its URL) — by its name or
/// position, and its kind. Tool parameters passed as they are keep their
/// names; a value built from a tool parameter keeps its whole text (it is
/// the tool's own operand); constants, literals and local values built
/// from no tool parameter keep their text. Arguments that do
/// not reach the effect (the scopes asked for, a label for the logs) do not
/// make two calls different.
fn call_shape(
    analyzer: &mut Analyzer<'_, '_>,
    file: usize,
    handler: &Function,
    span: Span,
    hit: &CapabilityHit,
) -> Option<String> {
    let project = analyzer.project;
    let unit = project.files.get(file)?;
    let call = unit.facts.calls.iter().find(|c| c.span == span)?;
    let reaching = analyzer.args_reaching(file, call, hit.file, hit.span)?;
    let params: Vec<&str> = handler
        .params
        .iter()
        .map(String::as_str)
        .filter(|p| !matches!(*p, "self" | "cls" | "this"))
        .collect();
    let text_of = |e: &Expr| -> String {
        unit.text
            .get(e.span.start..e.span.end)
            .unwrap_or("")
            .split_whitespace()
            .collect()
    };
    let mut shape = call.callee.clone();
    if let Some(receiver) = &call.receiver {
        shape.push_str(&format!("<{}>", text_of(receiver)));
    }
    for (position, arg) in call.args.iter().enumerate() {
        if !reaching.contains(&position) {
            continue;
        }
        let key = arg.name.clone().unwrap_or_else(|| format!("#{position}"));
        let kind = match &arg.value.value {
            Value::Name(name) if params.contains(&root(name)) => format!("param:{name}"),
            Value::Name(name) => match assigned(unit.facts, handler, name, span.start) {
                Some(value) if mentions(value, &params) => format!("own:{}", text_of(value)),
                Some(value) => format!("value:{}", text_of(value)),
                None => format!("name:{name}"),
            },
            _ if mentions(&arg.value, &params) => format!("own:{}", text_of(&arg.value)),
            _ => format!("value:{}", text_of(&arg.value)),
        };
        shape.push_str(&format!(" {key}={kind}"));
    }
    Some(shape)
}

/// `config` of `config.port`.
fn root(name: &str) -> &str {
    name.split(['.', ':', '[']).next().unwrap_or(name)
}

/// Does the expression use one of these names?
fn mentions(expr: &Expr, names: &[&str]) -> bool {
    if let Value::Name(name) = &expr.value
        && names.contains(&root(name))
    {
        return true;
    }
    if let Value::Call(call) = &expr.value {
        if call
            .receiver()
            .is_some_and(|r| names.contains(&root(r)) && !call.callee.starts_with('<'))
        {
            return true;
        }
        if call.receiver.as_ref().is_some_and(|r| mentions(r, names)) {
            return true;
        }
        return call.args.iter().any(|a| mentions(&a.value, names));
    }
    expr.children().into_iter().any(|c| mentions(c, names))
}

/// The value `name` was last given in `function` before `at`.
fn assigned<'f>(
    facts: &'f FileFacts,
    function: &Function,
    name: &str,
    at: usize,
) -> Option<&'f Expr> {
    facts.statements.iter().rev().find_map(|s| match s {
        Stmt::Assign {
            targets,
            value,
            span,
            ..
        } if function.span.start <= span.start
            && span.end <= at
            && targets.iter().any(|t| t == name) =>
        {
            Some(value)
        }
        _ => None,
    })
}

/// Words of a path that name a cache or a temporary location.
const CACHE_WORDS: &[&str] = &[
    "cache",
    "tempfile",
    "gettempdir",
    "mkdtemp",
    "tmpdir",
    "user_state_dir",
];

/// Calls that read a file back or test that it is there.
const READS: &[&str] = &[
    "open",
    "exists",
    "isfile",
    "is_file",
    "existsSync",
    "access",
    "accessSync",
    "read_text",
    "read_bytes",
    "readFile",
    "readFileSync",
    "read_to_string",
    "getmtime",
    "stat",
    "glob",
    "rglob",
    "iterdir",
    "readdir",
    "readdirSync",
    "load",
];

/// Is this write part of a store the same module reads back, or under a
/// cache or temporary directory?
fn internal_state(project: &Project<'_>, hit: &CapabilityHit) -> bool {
    let Some(unit) = project.files.get(hit.file) else {
        return false;
    };
    let facts = unit.facts;
    let Some(call) = facts.calls.iter().find(|c| c.span == hit.span) else {
        return false;
    };
    let Some(function) = facts.enclosing_function(call.span) else {
        return false;
    };
    let Some(path) = written_path(facts, call) else {
        return false;
    };
    let text = |e: &Expr| {
        unit.text
            .get(e.span.start..e.span.end)
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    let mut shown = text(&path);
    if let Some(name) = path.name()
        && let Some(value) = assigned(facts, function, name, call.span.start)
    {
        shown.push(' ');
        shown.push_str(&text(value));
    }
    if CACHE_WORDS.iter().any(|w| shown.contains(w)) || shown.contains("/.cache") {
        return true;
    }
    let Some(key) = location(facts, function, &path, call.span.start, 0) else {
        return false;
    };
    facts.calls.iter().any(|read| {
        if read.span == call.span || !READS.contains(&read.method()) || writes_mode(read) {
            return false;
        }
        let (Some(read_path), Some(read_function)) = (
            written_path(facts, read),
            facts.enclosing_function(read.span),
        ) else {
            return false;
        };
        // The same file, or a directory holding what is read back.
        location(facts, read_function, &read_path, read.span.start, 0)
            .is_some_and(|read| read == key || read.starts_with(&format!("{key}/")))
    })
}

/// `open(p, "w")`: a mode that writes.
fn writes_mode(call: &Call) -> bool {
    call.method() == "open"
        && call
            .keyword("mode")
            .or_else(|| call.positional().nth(1))
            .and_then(Expr::str_value)
            .is_some_and(|m| m.contains(['w', 'a', 'x', '+']))
}

/// The path a file call acts on: the receiver of a method on a name
/// (`self.cache_file.write_text(…)`) that is no imported module, or the
/// first argument (`open(p, "w")`, `fs.writeFile(p, d)`).
fn written_path(facts: &FileFacts, call: &Call) -> Option<Expr> {
    let receiver = call.receiver().filter(|r| {
        !r.starts_with('<')
            && !facts.imports.iter().any(|i| i.local == root(r))
            && !matches!(
                *r,
                "os" | "os.path"
                    | "fs"
                    | "path"
                    | "shutil"
                    | "json"
                    | "pickle"
                    | "std::fs"
                    | "fs::File"
                    | "File"
            )
    });
    if let Some(receiver) = receiver {
        return Some(Expr {
            span: call.callee_span,
            value: Value::Name(receiver.to_string()),
        });
    }
    let mut path = call.positional().next()?;
    while let Value::Op(op, operands) = &path.value
        && matches!(op.as_str(), "&" | "await" | "as")
        && let Some(inner) = operands.first()
    {
        path = inner;
    }
    Some(path.clone())
}

/// Where a path points, as a key two calls of one module can compare: the
/// field, constant or project function it comes from, followed through
/// assignments and joins. `None` when it is a parameter of the function
/// (the caller chooses it) or cannot be told.
fn location(
    facts: &FileFacts,
    function: &Function,
    path: &Expr,
    at: usize,
    depth: u8,
) -> Option<String> {
    if depth > 4 {
        return None;
    }
    match &path.value {
        Value::Name(name) => {
            let first = root(name);
            if !matches!(first, "self" | "this" | "cls")
                && function.params.iter().any(|p| p == first)
            {
                return None;
            }
            match assigned(facts, function, name, at) {
                Some(value) => location(facts, function, value, value.span.start, depth + 1),
                None => Some(name.clone()),
            }
        }
        Value::Call(call) => match call.method() {
            "resolve" | "Path" | "expanduser" | "abspath" | "realpath" => {
                let base =
                    written_path(facts, call).or_else(|| call.positional().next().cloned())?;
                location(facts, function, &base, at, depth + 1)
            }
            // `os.path.join(DATA_DIR, "levels.csv")`: the base, then each
            // part (a literal as written, anything else a wildcard).
            "join" | "joinpath" => {
                let mut parts = call.positional();
                let base = match written_path(facts, call) {
                    Some(receiver) if call.method() == "joinpath" => receiver,
                    _ => parts.next()?.clone(),
                };
                let mut key = location(facts, function, &base, at, depth + 1)?;
                for part in parts {
                    key.push('/');
                    key.push_str(part.str_value().unwrap_or("*"));
                }
                Some(key)
            }
            // `self.cache_dir.glob("*.json")`: every file under the base.
            "glob" | "rglob" | "iterdir" | "readdir" | "readdirSync" => {
                let base =
                    written_path(facts, call).or_else(|| call.positional().next().cloned())?;
                Some(location(facts, function, &base, at, depth + 1)? + "/*")
            }
            _ => Some(format!("call:{}", call.callee)),
        },
        Value::Op(op, operands) if op == "/" => {
            let mut key = location(facts, function, operands.first()?, at, depth + 1)?;
            for part in operands.iter().skip(1) {
                key.push('/');
                key.push_str(part.str_value().unwrap_or("*"));
            }
            Some(key)
        }
        Value::Op(op, operands) if matches!(op.as_str(), "&" | "await" | "as") => {
            location(facts, function, operands.first()?, at, depth + 1)
        }
        Value::Template(text, parts) if text.starts_with("{}") => {
            location(facts, function, parts.first()?, at, depth + 1)
        }
        Value::Str(s) => Some(format!("str:{s}")),
        _ => None,
    }
}

/// `open()` — or `open()` in `save_credentials()` when the call is in a
/// function the handler calls: the call the tool really causes, and where.
pub fn place(project: &Project<'_>, hit: &CapabilityHit) -> String {
    let callee = format!("`{}()`", hit.callee.replace("<expr>", "…").escape_debug());
    if hit.via.is_none() {
        return callee;
    }
    let function = project
        .files
        .get(hit.file)
        .and_then(|f| f.facts.enclosing_function(hit.span))
        .and_then(|f| f.name.as_deref());
    match function {
        Some(name) => format!("{callee} in `{}()`", name.escape_debug()),
        None => callee,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_announce_their_effects() {
        assert!(announces("save_note", Capability::FsWrite));
        assert!(announces("delete_event", Capability::FsDelete));
        assert!(!announces("search_drive_files", Capability::FsWrite));
        assert!(!announces("get_events", Capability::FsDelete));
        assert!(announces("run_command", Capability::Exec));
    }

    #[test]
    fn a_root_is_the_first_segment() {
        assert_eq!(root("self.cache_dir"), "self");
        assert_eq!(root("user_email"), "user_email");
        assert_eq!(root("args[0]"), "args");
    }
}
