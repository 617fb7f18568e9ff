//! Which tools are destructive, and why: the judgement the operational rules
//! (MCL501 tool-call-not-logged, MCL601 destructive-tool-unthrottled, MCL602
//! destructive-tool-unconfirmed) share, with the evidence their messages cite.
//!
//! A tool is destructive when its handler (or a project function it calls)
//! overwrites or deletes files, changes remote resources, or — for a tool
//! named for running things — runs a process whose command a tool argument
//! shapes; when its name says it deletes, sends,
//! pays or publishes; or when it is annotated `destructiveHint: true`. A
//! tool whose annotations say it only reads (`readOnlyHint: true`) or only
//! adds (`destructiveHint: false`) is trusted when its handler agrees: its
//! name alone does not make it destructive.

use super::capability_rules::{describe, side_effects};
use super::launch::{EXEC_WORDS, destructive_word};
use super::{FileContext, words};
use crate::facts::{EntryKind, Expr, FileFacts, Stmt, ToolDef, Value};
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
    /// The destructive word of the tool's name (`delete`, `send`…).
    pub word: Option<String>,
}

impl Destructive<'_> {
    /// The evidence in words, for messages: "can delete files (`os.remove()`)",
    /// "is named `delete_note`", "is annotated `destructiveHint: true`".
    pub fn because(&self) -> String {
        if !self.reaches.is_empty() {
            let mut powers: Vec<&str> = self.reaches.iter().map(|h| power(h.capability)).collect();
            powers.sort_unstable();
            powers.dedup();
            return format!("can {} ({})", powers.join(" and "), describe(&self.reaches));
        }
        if let Some(word) = &self.word {
            return format!("is named as destructive (`{word}`)");
        }
        "is annotated `destructiveHint: true`".to_string()
    }

    /// Where, in the file being checked, the handler does the destructive
    /// thing (for a label), when it is in that file.
    pub fn site(&self, ctx: &FileContext<'_>) -> Option<(Span, String)> {
        let hit = self.reaches.iter().find(|h| h.file == ctx.file_index)?;
        Some((
            hit.span,
            format!("the tool can {} here", power(hit.capability)),
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
    reaches.retain(|h| match h.capability {
        Capability::FsWrite => {
            !(appends(ctx, h)
                || writes_own_store(ctx, h)
                || makes_directory(h)
                || writes_fixed_name(ctx, h))
                && (writes_by_name || path_controlled(ctx, tool, h))
        }
        Capability::FsDelete => !cleans_up(ctx, h),
        Capability::Exec => runs_by_name,
        _ => true,
    });
    let annotated = hints.destructive == Some(true);
    // A tool that says it only reads or only adds, and whose handler shows
    // nothing else, is taken at its word whatever its name.
    let claims_restraint = hints.read_only == Some(true) || hints.destructive == Some(false);
    let word = if claims_restraint {
        None
    } else {
        destructive_word(&tool.name)
    };
    if reaches.is_empty() && word.is_none() && !annotated {
        return None;
    }
    Some(Destructive { reaches, word })
}

/// Words of a tool name that say it writes where it is told.
const WRITE_WORDS: &[&str] = &[
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
    ctx.taint().iter().any(|r| {
        r.tool_file == ctx.file_index
            && std::ptr::eq(&ctx.facts.tools[r.tool], tool)
            && r.hits
                .iter()
                .any(|h| h.class == SinkClass::Path && h.file == hit.file && h.span == hit.span)
    })
}

/// The call behind a capability hit.
fn call_of<'a>(ctx: &FileContext<'a>, hit: &CapabilityHit) -> Option<&'a crate::facts::Call> {
    let facts = ctx.project.files.get(hit.file)?.facts;
    facts.calls.iter().find(|c| c.span == hit.span)
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

    #[test]
    fn read_verbs_keep_a_name_from_being_destructive() {
        assert_eq!(destructive_word("delete_note").as_deref(), Some("delete"));
        assert_eq!(destructive_word("sendEmail").as_deref(), Some("send"));
        assert!(destructive_word("list_merge_requests").is_none());
        assert!(destructive_word("get_deploy_status").is_none());
        assert!(destructive_word("preview_delete").is_none());
        assert!(destructive_word("search_notes").is_none());
        assert!(destructive_word("refund_status").is_none());
    }
}
