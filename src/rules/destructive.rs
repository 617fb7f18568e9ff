//! Which tools are destructive, and why: the judgement the operational rules
//! (MCL501 tool-call-not-logged, MCL601 destructive-tool-unthrottled, MCL602
//! destructive-tool-unconfirmed) share, with the evidence their messages cite.
//!
//! A tool whose handler is known is judged by what the handler does, never
//! by its name alone: it is destructive when the handler (or a project
//! function it calls) overwrites or deletes files, changes remote resources,
//! runs a process whose command a tool argument shapes (for a tool named for
//! running things), calls a service operation that destroys
//! (`client.delete_gateway()`, `s3.deleteObject()`, `queue.purge_queue()`)
//! or runs SQL that deletes or rewrites (`DELETE`, `DROP`, `TRUNCATE`,
//! `UPDATE`, `ALTER`); or when it is annotated `destructiveHint: true`. A
//! `remove_filter_from_view` whose handler only computes a new value is not
//! destructive. Tool listings, where no handler is known, are judged by the
//! name (`check_manifest` of MCL602), and say so.

use super::capability_rules::{describe_in, side_effects};
use super::fresh_file_name::writes_fresh_name;
use super::handler_scope::reach;
use super::launch::{EXEC_WORDS, destructive_word};
use super::{FileContext, words};
use crate::facts::{Call, EntryKind, Expr, FileFacts, Stmt, ToolDef, Value};
use crate::finding::Span;
use crate::taint::{Capability, CapabilityHit, SinkClass};

/// The capabilities that make a tool destructive.
const DESTRUCTIVE: &[Capability] = &[
    Capability::Exec,
    Capability::FsWrite,
    Capability::FsDelete,
    Capability::NetworkWrite,
];

/// Why a tool counts as destructive.
#[derive(Debug)]
pub struct Destructive<'h> {
    /// Calls the handler reaches that write, delete, change remote
    /// resources or run an argument-shaped process.
    pub reaches: Vec<&'h CapabilityHit>,
    /// The calls of `reaches` in a message's words, with the function each
    /// is in when the handler reaches it through a call.
    pub evidence: String,
    /// Calls the handler reaches into code outside the project whose
    /// operation destroys (`client.delete_gateway()`), or SQL that does.
    pub operations: Vec<Operation>,
    /// The tool is annotated `destructiveHint: true`.
    pub annotated: bool,
}

/// A destructive operation the handler asks of a service or a database.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The project file of the call.
    pub file: usize,
    pub span: Span,
    pub callee: String,
    /// `DELETE`, `DROP`…: the statement when it is SQL.
    pub sql: Option<String>,
    /// `sam deploy`, `finch push`: the fixed command line when the call
    /// starts a program whose subcommand deploys, pushes or deletes.
    pub command: Option<String>,
    /// The call sends an HTTP DELETE (Go: `http.MethodDelete` passed to a
    /// request constructor or a helper).
    pub http_delete: bool,
}

impl Operation {
    fn describe(&self) -> String {
        match (&self.sql, &self.command) {
            (Some(keyword), _) => format!("runs SQL `{keyword}` (`{}()`)", self.callee),
            (None, Some(command)) => format!("runs `{command}` (`{}()`)", self.callee),
            (None, None) if self.http_delete => {
                format!("sends an HTTP DELETE (`{}()`)", self.callee)
            }
            (None, None) => format!("calls `{}()`", self.callee),
        }
    }
}

impl Destructive<'_> {
    /// The evidence in words, for messages: "can delete files (`os.remove()`)",
    /// "calls `client.delete_gateway()`", "is annotated `destructiveHint: true`".
    pub fn because(&self) -> String {
        if !self.reaches.is_empty() {
            let mut powers: Vec<&str> = self.reaches.iter().map(|h| power(h.capability)).collect();
            powers.sort_unstable();
            powers.dedup();
            return format!("can {} ({})", powers.join(" and "), self.evidence);
        }
        if let Some(first) = self.operations.first() {
            return match self.operations.len() {
                1 => first.describe(),
                2 => format!("{} and 1 more destructive operation", first.describe()),
                n => format!(
                    "{} and {} more destructive operations",
                    first.describe(),
                    n - 1
                ),
            };
        }
        if self.annotated {
            "is annotated `destructiveHint: true`".to_string()
        } else {
            "is destructive".to_string()
        }
    }

    /// Where, in the file being checked, the handler does the destructive
    /// thing (for a label), when it is in that file.
    pub fn site(&self, ctx: &FileContext<'_>) -> Option<(Span, String)> {
        if let Some(hit) = self.reaches.iter().find(|h| h.file == ctx.file_index) {
            return Some((
                hit.span,
                format!("the tool can {} here", power(hit.capability)),
            ));
        }
        let operation = self.operations.iter().find(|o| o.file == ctx.file_index)?;
        Some((
            operation.span,
            "the destructive operation is here".to_string(),
        ))
    }
}

/// What a destructive capability lets a tool do, in a message's words.
fn power(capability: Capability) -> &'static str {
    match capability {
        Capability::Exec => "run processes",
        Capability::FsWrite => "overwrite files",
        Capability::FsDelete => "delete files",
        Capability::NetworkWrite => "change remote resources",
        other => other.describe(),
    }
}

/// Is `tool` destructive, and on what evidence? `hits` are the tool's
/// capabilities (`crate::taint::tool_capabilities`).
pub fn classify<'h>(
    ctx: &FileContext<'_>,
    tool: &ToolDef,
    hits: &'h [CapabilityHit],
) -> Option<Destructive<'h>> {
    let hints = &tool.annotations;
    let mut reaches = side_effects(ctx, tool, hits, DESTRUCTIVE);
    // A write destroys when it may overwrite what the caller points at: the
    // tool is named for writing (`write_file`, `save_note`, `move_file`) or
    // a tool argument shapes the path. Appending to a log, saving the
    // server's own store, or writing a report file is not.
    let writes_by_name = words(&tool.name)
        .iter()
        .any(|w| WRITE_WORDS.contains(&w.as_str()));
    // A process whose arguments a tool argument shapes is destructive when
    // running it is the tool's purpose (`run_command`, `execute_script`);
    // `get_stats` running `tshark -r {file}` is an injection risk (MCL201,
    // MCL202), not a destructive tool.
    let runs_by_name = words(&tool.name)
        .iter()
        .any(|w| EXEC_WORDS.contains(&w.as_str()));
    let removes_by_name = destructive_word(&tool.name).is_some();
    reaches.retain(|h| match h.capability {
        Capability::FsWrite => {
            let overwrites = !(appends(ctx, h)
                || writes_own_store(ctx, h)
                || makes_directory(h)
                || writes_fixed_name(ctx, h)
                || call_of(ctx, h).is_some_and(|c| writes_fresh_name(ctx, h, c)))
                && (writes_by_name || path_controlled(ctx, tool, h));
            // `remove_bookmark` rewriting the server's store without the
            // bookmark: the write is the removal its name announces.
            overwrites || (removes_by_name && writes_own_store(ctx, h) && !appends(ctx, h))
        }
        Capability::FsDelete => !cleans_up(ctx, h),
        Capability::Exec => runs_by_name,
        _ => true,
    });
    let annotated = hints.destructive == Some(true);
    let operations = operations(ctx, tool);
    if reaches.is_empty() && operations.is_empty() && !annotated {
        return None;
    }
    let evidence = describe_in(ctx.project, &reaches);
    Some(Destructive {
        reaches,
        evidence,
        operations,
        annotated,
    })
}

/// Words of a service operation's name that say it destroys or acts
/// irreversibly. `send`, `merge`, `push` and `reset` are left out: on a
/// call they name a response (`res.send`), a computation (`pd.merge`,
/// `mergeConfig`) or a cursor far more often than an action on the world.
const OPERATION_WORDS: &[&str] = &[
    "delete",
    "remove",
    "drop",
    "destroy",
    "terminate",
    "purge",
    "wipe",
    "erase",
    "truncate",
    "revoke",
    "refund",
    "transfer",
    "withdraw",
    "publish",
    "deploy",
    "uninstall",
    "rmdir",
    "shred",
    "expunge",
    "shutdown",
    "reboot",
    "ban",
];

/// Of those, the words that are also the plain method of a value that
/// cleans up after itself (`stream.destroy()`, `worker.terminate()`,
/// `executor.shutdown()`, `df.drop()`, `s.truncate()`): alone, they are
/// not an operation on the world.
const SELF_CLEANUP: &[&str] = &[
    "destroy",
    "terminate",
    "shutdown",
    "drop",
    "truncate",
    "erase",
];

/// Methods of a collection (`list.remove`, `map.delete`, `arr.splice`):
/// on a local value they compute; on the server's state (a module-level
/// store, a field of the server) or through a module's function
/// (`crate::db::remove`) they remove what the tool names — counted when the
/// tool's name says it removes too.
const REMOVING: &[&str] = &[
    "remove", "delete", "pop", "splice", "discard", "popitem", "clear", "unlink",
];

/// First words of a method name that only look at or react to the
/// operation they name: `get_deleted_items`, `on_delete`, `validate_drop`.
const LOOKING: &[&str] = &[
    "get", "list", "is", "has", "can", "should", "on", "describe", "find", "search", "check",
    "count", "preview", "validate", "format", "parse", "build", "make", "to", "handle",
];

/// Compound method names that compute or unsubscribe rather than destroy.
const COMPUTING: &[&str] = &[
    "drop_duplicates",
    "remove_listener",
    "removeListener",
    "removeEventListener",
    "removeAllListeners",
    "deleteProperty",
    "drop_na",
    "drop_nulls",
    "remove_handler",
    "removeHandler",
    "remove_hook",
    // JSON-schema validators' in-memory registries (ajv).
    "removeSchema",
    "remove_schema",
    // A pointer gesture of UI-automation libraries (pyautogui, Playwright).
    "drag_and_drop",
    "dragAndDrop",
    "drag_drop",
    "dragDrop",
];

/// What a call's name says it does to the world.
#[derive(Debug, PartialEq, Eq)]
enum Says {
    /// A service operation that destroys: `client.delete_gateway()`,
    /// `s3.deleteObject()`, `registry.publish()`.
    Destroys,
    /// A collection method (`remove`, `delete`, `splice`…): it depends on
    /// what it is called on.
    Removes,
    Nothing,
}

/// Go: `Delete` / `Remove` without a context argument is a collection's
/// method (`sync.Map.Delete(key)`, `url.Values.Del`, a set's `Remove`),
/// judged as one; Go code that deletes a remote or stored thing passes
/// the call's `ctx` first (`client.Delete(ctx, obj)`).
fn go_collection(facts: &FileFacts, call: &Call) -> Option<Says> {
    if facts.language != crate::facts::Language::Go || call.receiver().is_none() {
        return None;
    }
    let method = call.method().to_ascii_lowercase();
    if !REMOVING.contains(&method.as_str()) {
        return None;
    }
    let takes_context = call.positional().next().is_some_and(|a| {
        a.name()
            .is_some_and(|n| n == "ctx" || n.ends_with("Context") || n.ends_with("ctx"))
            || matches!(&a.value, crate::facts::Value::Call(c) if c.callee.starts_with("context."))
    });
    (!takes_context).then_some(Says::Removes)
}

fn says(call: &Call) -> Says {
    let method = call.method();
    if COMPUTING.contains(&method) || call.receiver().is_none() {
        return Says::Nothing;
    }
    if REMOVING.contains(&method) {
        return Says::Removes;
    }
    let words = words(method);
    // `bus.publish(ResourceUpdated(…))`, `sns.publish(TopicArn=…)`,
    // `producer.publish(event)`: a message handed to a bus or a broker is
    // sent — an additive update — not destroyed; only a release going public
    // (`registry.publish`, `publish_package`, `npm.publish`) cannot be taken
    // back.
    if words.iter().any(|w| w == "publish")
        && !words
            .iter()
            .any(|w| w != "publish" && OPERATION_WORDS.contains(&w.as_str()))
        && !publishes_release(call, &words)
    {
        return Says::Nothing;
    }
    match words.as_slice() {
        [] => Says::Nothing,
        [one] if one == "sendmail" => Says::Destroys,
        [one] => {
            if OPERATION_WORDS.contains(&one.as_str()) && !SELF_CLEANUP.contains(&one.as_str()) {
                Says::Destroys
            } else {
                Says::Nothing
            }
        }
        [first, ..] if LOOKING.contains(&first.as_str()) => Says::Nothing,
        _ if words.iter().any(|w| OPERATION_WORDS.contains(&w.as_str())) => Says::Destroys,
        _ if sends_mail(&words) => Says::Destroys,
        _ => Says::Nothing,
    }
}

/// Words of what a publish call releases for good: a package, a version, a
/// build of an app or an image, to a registry.
const RELEASES: &[&str] = &[
    "package",
    "packages",
    "release",
    "releases",
    "version",
    "versions",
    "registry",
    "npm",
    "pypi",
    "crate",
    "crates",
    "artifact",
    "artifacts",
    "image",
    "images",
    "module",
    "extension",
    "app",
    "site",
    "draft",
    "gem",
    "chart",
];

/// Words of a message handed to subscribers (what a bus or broker carries).
const MESSAGES: &[&str] = &[
    "event",
    "events",
    "message",
    "messages",
    "notification",
    "notifications",
    "topic",
    "topics",
    "channel",
    "bus",
    "broker",
    "pubsub",
    "queue",
    "stream",
    "emitter",
    "producer",
    "signal",
    "update",
    "updated",
    "changed",
];

/// Does a `publish` call release something for good (a package to a
/// registry) rather than send a message to subscribers? Told by the words
/// of its method and receiver.
fn publishes_release(call: &Call, method_words: &[String]) -> bool {
    let receiver_words: Vec<String> = call.receiver().map(words).unwrap_or_default();
    let all = || method_words.iter().chain(&receiver_words);
    let has = |list: &[&str]| all().any(|w| list.contains(&w.as_str()));
    has(RELEASES) && !has(MESSAGES)
}

/// `smtp.send_message(msg)`, `transporter.sendMail(…)`, `sendEmail`: a
/// message sent to people cannot be taken back. The protocol's own sends
/// (`sendLoggingMessage`, `send_progress_notification`) and a response
/// (`res.send`) are not.
fn sends_mail(words: &[String]) -> bool {
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    has(&["send"])
        && has(&["message", "mail", "email", "sms"])
        && !has(&[
            "logging",
            "log",
            "progress",
            "notification",
            "request",
            "response",
        ])
}

/// The name a call's receiver starts from: `self` of `self.notes.lock()
/// .await.remove(…)`, `bookmarks` of `bookmarks.splice(…)`, `crate` of
/// `crate::db::remove(…)`.
fn receiver_root(call: &Call) -> Option<&str> {
    if let Some(receiver) = call.receiver().filter(|r| !r.starts_with('<')) {
        return receiver.split(['.', ':', '[', '(']).next();
    }
    let mut expr = call.receiver.as_deref()?;
    loop {
        match &expr.value {
            Value::Call(inner) => {
                if let Some(receiver) = inner.receiver().filter(|r| !r.starts_with('<')) {
                    return receiver.split(['.', ':', '[', '(']).next();
                }
                expr = inner.receiver.as_deref()?;
            }
            Value::Op(_, operands) => expr = operands.first()?,
            Value::Name(name) => return name.split(['.', ':', '[', '(']).next(),
            _ => return None,
        }
    }
}

/// Does a collection method act on something that outlives the call: the
/// server's state (a field, a module-level binding) or a module's function?
fn on_lasting_state(facts: &FileFacts, call: &Call) -> bool {
    let Some(root) = receiver_root(call) else {
        return false;
    };
    matches!(root, "self" | "this" | "crate" | "super")
        || facts.imports.iter().any(|i| i.local == root)
        || facts.resolve(root).is_some_and(|b| b.top_level)
}

/// Words of a method name that runs SQL text: `cur.execute`,
/// `conn.fetchrow`, `db.prepare`, `client.query`.
const SQL_METHODS: &[&str] = &[
    "execute",
    "executemany",
    "executescript",
    "exec",
    "query",
    "raw",
    "sql",
    "prepare",
    "run",
    "fetch",
    "fetchrow",
    "fetchval",
    "batch",
];

/// The statement of a literal SQL text passed to the call when it deletes
/// data or schema: `cur.execute("DELETE FROM notes WHERE id = ?", …)` →
/// `DELETE`. Inserting adds; an `UPDATE` of a few columns (closing a
/// ticket) is left to the annotations rather than flagged.
#[cfg(test)]
fn sql_write(call: &Call) -> Option<String> {
    sql_write_in(call, None)
}

/// `sql_write`, with the SQL text also read through a variable of the file
/// (`query = "DELETE FROM …"; cur.execute(query, …)`) and a driver's text
/// wrapper (`conn.execute(text("UPDATE …"))`).
fn sql_write_in(call: &Call, facts: Option<&FileFacts>) -> Option<String> {
    let runs_sql = words(call.method())
        .iter()
        .any(|w| SQL_METHODS.contains(&w.as_str()));
    if !runs_sql {
        return None;
    }
    let mut expr: &Expr = call.positional().next()?;
    for _ in 0..3 {
        match &expr.value {
            Value::Name(name) => expr = &facts?.resolve(name)?.value,
            Value::Call(inner) if inner.args.len() == 1 => expr = inner.positional().next()?,
            _ => break,
        }
    }
    let text = match &expr.value {
        Value::Str(s) => s.as_str(),
        Value::Template(text, _) => text.as_str(),
        _ => return None,
    };
    let lower = text.to_ascii_lowercase();
    let mut tokens = lower.split_whitespace();
    let keyword = tokens.next()?;
    let next = tokens.next().unwrap_or("");
    let writes = match keyword {
        "delete" => next == "from",
        "drop" | "alter" => matches!(
            next,
            "table" | "database" | "schema" | "index" | "view" | "collection" | "user" | "if"
        ),
        "truncate" => true,
        // An update of every row (`UPDATE notes SET body = ''`, no WHERE)
        // rewrites the table; an update of the rows a tool names (closing a
        // ticket) is left to the annotations.
        "update" => lower.contains(" set ") && !lower.contains(" where "),
        _ => false,
    };
    writes.then(|| keyword.to_ascii_uppercase())
}

/// How many functions (the handler and project methods it calls) the search
/// for destructive operations walks from, so that a large class graph stays cheap.
const MAX_METHODS: usize = 64;

/// The note when a handler calls more methods.
const METHODS_LIMIT: &str = "destructive operations are looked for in 64 methods a tool's handler calls and this handler calls more";

/// Does the call run a function or method of the project (judged by its
/// body, which `reach` walks, never by its name)?
fn project_code(ctx: &FileContext<'_>, file: usize, call: &Call) -> bool {
    ctx.project.resolve(file, &call.callee).is_some()
        || ctx
            .project
            .resolve_method(file, &call.callee, call.span.start)
            .is_some()
}

/// The destructive operations the handler of `tool` asks for: calls it (or
/// a project function it calls) makes into code outside the project whose
/// name says they destroy, collection removals from lasting state when the
/// tool's name says it removes, and literal SQL that deletes. Calls to the
/// project's own functions are judged by their bodies, not their names.
fn operations(ctx: &FileContext<'_>, tool: &ToolDef) -> Vec<Operation> {
    let Some(index) = ctx.facts.tools.iter().position(|t| std::ptr::eq(t, tool)) else {
        return Vec::new();
    };
    let Some(handler) = ctx.project.handler_of(ctx.file_index, index) else {
        return Vec::new();
    };
    let named_destructive = destructive_word(&tool.name).is_some();
    // `reach` follows calls the project resolves by name; methods of project
    // class instances (`self.table_manager.delete_table(…)`) are followed
    // here, so their bodies, not their names, are judged.
    let mut calls = Vec::new();
    let mut seen = vec![(handler.file, handler.function)];
    let mut next = 0;
    while let Some(&start) = seen.get(next) {
        next += 1;
        let (reached, cut) = reach(ctx.project, start);
        if let Some((file, span)) = cut {
            ctx.project
                .note_limit(file, span, super::handler_scope::REACH_LIMIT);
        }
        for (file, call) in reached {
            if let Some(target) = ctx
                .project
                .resolve_method(file, &call.callee, call.span.start)
                && !seen.contains(&target)
            {
                if seen.len() < MAX_METHODS {
                    seen.push(target);
                } else {
                    ctx.project.note_limit(file, call.span, METHODS_LIMIT);
                }
            }
            calls.push((file, call));
        }
    }
    let mut found: Vec<Operation> = Vec::new();
    for (file, call) in calls {
        let Some(project_file) = ctx.project.files.get(file) else {
            continue;
        };
        let facts = project_file.facts;
        let go = facts.language == crate::facts::Language::Go;
        // `models.DropRuleRequest{…}` builds a value: its type's name is no
        // operation.
        if go && super::go_destructive::is_struct_literal(project_file.text, call) {
            continue;
        }
        let sql = sql_write_in(call, Some(facts));
        let command = destructive_command(ctx.project, facts, call);
        let http_delete = go && super::go_destructive::http_delete(call);
        let operation = sql.is_some()
            || command.is_some()
            || http_delete
            || (!project_code(ctx, file, call)
                && match go_collection(facts, call).unwrap_or_else(|| says(call)) {
                    Says::Destroys => true,
                    // `os.unlink(temp_file.name)`: cleaning up a temporary
                    // file the server made is not what the tool removes.
                    Says::Removes => {
                        named_destructive
                            && on_lasting_state(facts, call)
                            && !temporary_path(project_file.text, call)
                    }
                    Says::Nothing => false,
                });
        if !operation || found.iter().any(|o| o.file == file && o.span == call.span) {
            continue;
        }
        // `<expr>.remove` is shown as written: `self.notes.lock().await.remove`.
        let callee = if call.callee.starts_with('<') {
            let written = project_file
                .text
                .get(call.callee_span.start..call.callee_span.end)
                .unwrap_or(call.method());
            written.split_whitespace().collect::<String>()
        } else {
            call.callee.clone()
        };
        found.push(Operation {
            file,
            span: call.span,
            callee,
            sql,
            command,
            http_delete,
        });
    }
    found
}

/// Does the call act on a temporary file (`os.unlink(tmp_path)`,
/// `fs.rm(tempDir)`)? Its arguments, as written, say so.
fn temporary_path(text: &str, call: &Call) -> bool {
    call.positional().next().is_some_and(|arg| {
        let written = text
            .get(arg.span.start..arg.span.end)
            .unwrap_or("")
            .to_ascii_lowercase();
        super::capability_rules::names_temporary(&written)
    })
}

/// Subcommands of a program that deploy, push, publish or delete: run with
/// a fixed command line (`["sam", "deploy", …]`, `finch push …`) they act
/// on the world whatever the arguments.
const DESTRUCTIVE_SUBCOMMANDS: &[&str] = &[
    "deploy",
    "undeploy",
    "push",
    "publish",
    "delete",
    "destroy",
    "rm",
    "rmi",
    "remove",
    "uninstall",
    "prune",
    "kill",
    "terminate",
    "drop",
];

/// The fixed command line of a process-starting call whose subcommand
/// deploys, pushes or deletes: `subprocess.run(["sam", "deploy", …])`,
/// `run_command(cmd)` with `cmd = ["finch", "push", image]`,
/// `execFile("docker", ["push", tag])`, `os.system("helm uninstall app")`.
fn destructive_command(
    project: &crate::taint::Project<'_>,
    facts: &FileFacts,
    call: &Call,
) -> Option<String> {
    let catalog = project.catalog(facts.language);
    let starts_process = catalog.sinks.iter().any(|s| {
        s.capability == Some(Capability::Exec)
            && s.callees
                .iter()
                .any(|c| *c == call.callee || c.ends_with(&format!(".{}", call.callee)))
    });
    if !starts_process {
        return None;
    }
    let resolved = |expr: &'_ crate::facts::Expr| -> Option<Vec<String>> {
        let mut expr = expr;
        if let Value::Name(name) = &expr.value {
            expr = &facts.resolve(name)?.value;
        }
        match &expr.value {
            Value::Str(text) => Some(text.split_whitespace().map(str::to_string).collect()),
            // The literal head of the list: `["sam", "deploy", "--stack", name]`.
            Value::Array(items) => Some(
                items
                    .iter()
                    .map_while(|i| i.str_value().map(str::to_string))
                    .collect(),
            ),
            _ => None,
        }
    };
    let mut positional = call.positional();
    let mut argv = resolved(positional.next()?)?;
    // `execFile("docker", ["push", tag])`: the program, then its arguments.
    if argv.len() == 1
        && let Some(rest) = positional.next().and_then(resolved)
    {
        argv.extend(rest);
    }
    let program = argv.first()?.rsplit(['/', '\\']).next()?.to_string();
    let sub = argv.iter().skip(1).find(|a| !a.starts_with('-'))?;
    DESTRUCTIVE_SUBCOMMANDS
        .contains(&sub.as_str())
        .then(|| format!("{program} {sub}"))
}

/// Words of a tool name that say it writes where it is told.
pub(super) const WRITE_WORDS: &[&str] = &[
    "write",
    "overwrite",
    "edit",
    "save",
    "update",
    "upload",
    "move",
    "rename",
    "replace",
    "patch",
    "put",
    "set",
    "create",
    "modify",
    "copy",
    "apply",
    "insert",
    "commit",
];

/// The path a file call acts on: the first argument (`os.remove(p)`,
/// `open(p, "w")`), or the receiver of a method (`p.unlink()`).
fn path_text<'t>(text: &'t str, call: &crate::facts::Call) -> Option<&'t str> {
    match call.positional().next() {
        Some(first) => text.get(first.span.start..first.span.end),
        // The receiver as written: `tar_path` of `tar_path.unlink()`.
        None => {
            let receiver = call.receiver().filter(|r| !r.starts_with('<'))?;
            let start = call.callee_span.start;
            text.get(start..start + receiver.len())
        }
    }
}

/// Calls that create a file or directory.
const CREATES: &[&str] = &[
    "open",
    "makedirs",
    "mkdir",
    "mkdtemp",
    "mkstemp",
    "extractall",
    "write_text",
    "write_bytes",
    "writeFile",
    "writeFileSync",
    "mkdirSync",
    "mkdtempSync",
    "urlretrieve",
    "download_file",
    "copy",
    "copyfile",
    "copyFile",
    "copyFileSync",
    "create_dir_all",
    "create",
    "touch",
];

/// `open(tar_path, "wb")` … `os.remove(tar_path)`: deleting what the same
/// function created (a download, an extracted archive) is cleaning up.
fn cleans_up(ctx: &FileContext<'_>, hit: &CapabilityHit) -> bool {
    let Some(file) = ctx.project.files.get(hit.file) else {
        return false;
    };
    let Some(call) = call_of(ctx, hit) else {
        return false;
    };
    let Some(deleted) = path_text(file.text, call).map(str::trim) else {
        return false;
    };
    let Some(function) = file.facts.enclosing_function(call.span) else {
        return false;
    };
    file.facts.calls.iter().any(|c| {
        function.span.start <= c.span.start
            && c.span.start < call.span.start
            && CREATES.contains(&c.method())
            && path_text(file.text, c).map(str::trim) == Some(deleted)
    })
}

/// `open(os.path.join(workspace, "result.json"), "w")`: a report written
/// under a fixed name, wherever the caller points, overwrites only the
/// tool's own previous output.
fn writes_fixed_name(ctx: &FileContext<'_>, hit: &CapabilityHit) -> bool {
    let Some(facts) = ctx.project.files.get(hit.file).map(|f| f.facts) else {
        return false;
    };
    let Some(call) = call_of(ctx, hit) else {
        return false;
    };
    // The receiver of `file_path.write_text(…)`, or the first argument.
    let receiver = call.receiver().filter(|r| {
        let module = r.split(['.', ':']).next().unwrap_or(r);
        !r.starts_with('<') && !facts.imports.iter().any(|i| i.local == module)
    });
    let receiver = receiver.map(|r| Expr {
        span: call.callee_span,
        value: Value::Name(r.to_string()),
    });
    let Some(mut path) = receiver.as_ref().or_else(|| call.positional().next()) else {
        return false;
    };
    // A variable: the value it was last given before the call, in the function.
    if let Some(name) = path.name()
        && let Some(function) = facts.enclosing_function(call.span)
        && let Some(value) = facts.statements.iter().rev().find_map(|s| match s {
            Stmt::Assign {
                targets,
                value,
                span,
                ..
            } if function.span.start <= span.start
                && span.end <= call.span.start
                && targets.iter().any(|t| t == name) =>
            {
                Some(value)
            }
            _ => None,
        })
    {
        path = value;
    }
    let fixed = |e: &Expr| match &e.value {
        Value::Str(s) => s.contains('.'),
        Value::Name(n) => facts
            .resolve(n)
            .is_some_and(|b| b.top_level && b.value.str_value().is_some_and(|s| s.contains('.'))),
        _ => false,
    };
    match &path.value {
        Value::Call(join) if matches!(join.method(), "join" | "joinpath" | "resolve") => {
            join.positional().last().is_some_and(fixed)
        }
        // `Path(workspace) / REPORT_NAME`
        Value::Op(op, operands) if op == "/" => operands.last().is_some_and(fixed),
        // `f"{workspace}/result.json"`
        Value::Template(text, _) => text
            .rsplit('/')
            .next()
            .is_some_and(|last| !last.contains("{}") && last.contains('.')),
        _ => false,
    }
}

/// `fs.mkdirSync(dir, { recursive: true })`: creating a directory overwrites nothing.
fn makes_directory(hit: &CapabilityHit) -> bool {
    hit.callee.to_ascii_lowercase().contains("mkdir")
}

/// Does a tool argument reach the path of this write (without a check)?
fn path_controlled(ctx: &FileContext<'_>, tool: &ToolDef, hit: &CapabilityHit) -> bool {
    ctx.taint_of(tool).any(|r| {
        r.hits
            .iter()
            .any(|h| h.class == SinkClass::Path && h.file == hit.file && h.span == hit.span)
    })
}

/// The call behind a capability hit.
fn call_of<'a>(ctx: &FileContext<'a>, hit: &CapabilityHit) -> Option<&'a crate::facts::Call> {
    let facts = ctx.project.files.get(hit.file)?.facts;
    facts.calls_within(hit.span).find(|c| c.span == hit.span)
}

/// `open(log_path, "a")`, `fs.appendFile(…)`: appending adds, never destroys.
fn appends(ctx: &FileContext<'_>, hit: &CapabilityHit) -> bool {
    let Some(call) = call_of(ctx, hit) else {
        return false;
    };
    if call.method().to_ascii_lowercase().starts_with("append") {
        return true;
    }
    // Python `open(path, mode)` and its kin.
    if call.method() != "open" {
        return false;
    }
    let mode = call
        .keyword("mode")
        .or_else(|| call.positional().nth(1))
        .and_then(|m| m.str_value());
    mode.is_some_and(|m| m.contains('a') && !m.contains('+') && !m.contains('w'))
}

/// `STORE.write_text(…)`, `fs.writeFile(MEMORY_FILE, …)`,
/// `std::fs::write(&self.path, …)`: a write to the server's own store (a
/// module-level constant or a field of the server) records what the tool
/// adds; it is not the caller overwriting a file of their choice.
fn writes_own_store(ctx: &FileContext<'_>, hit: &CapabilityHit) -> bool {
    let Some(facts) = ctx.project.files.get(hit.file).map(|f| f.facts) else {
        return false;
    };
    let Some(call) = call_of(ctx, hit) else {
        return false;
    };
    // The written path: the receiver of a method (`p.write_text()`), or the
    // first argument of a function (`open(p, "w")`, `fs.writeFile(p, d)`).
    let store_receiver = call.receiver().is_some_and(|r| {
        let module = r.split(['.', ':']).next().unwrap_or(r);
        !facts.imports.iter().any(|i| i.local == module) && is_store_name(facts, r)
    });
    if store_receiver {
        return true;
    }
    let Some(first) = call.positional().next() else {
        return false;
    };
    let mut path = first;
    // `&self.path`, `await …`
    while let Value::Op(op, operands) = &path.value
        && matches!(op.as_str(), "&" | "await" | "as")
        && let Some(inner) = operands.first()
    {
        path = inner;
    }
    path.name().is_some_and(|n| is_store_name(facts, n))
}

/// A module-level constant (`STORE`, `MEMORY_FILE_PATH`) or a field of the
/// server object (`self.db_path`, `this.filePath`).
fn is_store_name(facts: &FileFacts, name: &str) -> bool {
    if let Some(field) = name
        .strip_prefix("self.")
        .or_else(|| name.strip_prefix("this."))
    {
        return !field.is_empty();
    }
    !name.contains('.') && facts.resolve(name).is_some_and(|b| b.top_level)
}

/// Calls `each` with every destructive tool of the file that has a known
/// handler (its index, definition and the evidence). (Test files are left
/// alone by the roles of the rules that ask: their servers are fixtures.)
pub fn each_destructive(
    ctx: &FileContext<'_>,
    mut each: impl FnMut(usize, &ToolDef, &Destructive<'_>),
) {
    for (index, tool) in ctx.facts.tools.iter().enumerate() {
        if tool.kind != EntryKind::Tool || ctx.project.handler_of(ctx.file_index, index).is_none() {
            continue;
        }
        let hits = crate::taint::tool_capabilities(ctx.project, ctx.file_index, index);
        if let Some(destructive) = classify(ctx, tool, &hits) {
            each(index, tool, &destructive);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(callee: &str, first: Option<&str>) -> Call {
        Call {
            callee: callee.to_string(),
            args: first
                .map(|text| {
                    vec![crate::facts::Arg {
                        name: None,
                        value: Expr {
                            span: Span::default(),
                            value: Value::Str(text.to_string()),
                        },
                    }]
                })
                .unwrap_or_default(),
            span: Span::default(),
            callee_span: Span::default(),
            receiver: None,
        }
    }

    #[test]
    fn service_operations_that_destroy() {
        for callee in [
            "client.delete_gateway",
            "s3.deleteObject",
            "self.client.batch_delete_image",
            "channel.queue_purge",
            "registry.publish",
            "npm.publish",
            "client.publish_package",
            "smtp.send_message",
            "transporter.sendMail",
            "ec2.terminate_instances",
            "db.drop_collection",
        ] {
            assert_eq!(says(&call(callee, None)), Says::Destroys, "{callee}");
        }
        for callee in [
            "filters.remove",
            "sessions.delete",
            "cache.pop",
            "items.splice",
        ] {
            assert_eq!(says(&call(callee, None)), Says::Removes, "{callee}");
        }
        for callee in [
            "df.drop",
            "stream.destroy",
            "df.drop_duplicates",
            "emitter.removeListener",
            "delete_note",
            "res.send",
            "server.sendLoggingMessage",
            "repo.get_deleted_items",
            "router.on_delete",
            "pyautogui.drag_and_drop",
            "page.dragAndDrop",
            "ajv.removeSchema",
            "bus.publish",
            "sns.publish",
            "self.producer.publish",
            "redis_client.publish",
            "events.publishEvent",
        ] {
            assert_eq!(says(&call(callee, None)), Says::Nothing, "{callee}");
        }
    }

    #[test]
    fn sql_that_deletes_or_rewrites() {
        let sql = |callee: &str, text: &str| sql_write(&call(callee, Some(text)));
        assert_eq!(
            sql("cur.execute", "DELETE FROM notes WHERE id = ?").as_deref(),
            Some("DELETE")
        );
        assert_eq!(
            sql("conn.execute", "drop table notes").as_deref(),
            Some("DROP")
        );
        // Every row rewritten: destructive; the rows a tool names: left to
        // the annotations.
        assert_eq!(
            sql("db.prepare", "UPDATE notes SET body = ''").as_deref(),
            Some("UPDATE")
        );
        assert!(sql("db.prepare", "UPDATE notes SET body = ? WHERE id = ?").is_none());
        assert!(sql("cur.execute", "update the note").is_none());
        assert!(sql("cur.execute", "INSERT INTO notes VALUES (?)").is_none());
        assert!(sql("cur.execute", "SELECT * FROM notes").is_none());
        assert!(sql("logger.info", "DELETE FROM notes").is_none());
        assert!(sql("cur.execute", "delete the note").is_none());
    }
}
