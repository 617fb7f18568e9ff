//! What the capability rules (MCL301, MCL302, MCL306) share: the tools of a
//! file with what their handlers can do.

use super::FileContext;
use crate::facts::{EntryKind, ToolDef};
use crate::finding::Span;
use crate::taint::{Capability, CapabilityHit, SinkClass};

/// Literal triggers: tools exist only in files that use an MCP SDK.
pub const TRIGGERS: &[&str] = crate::frontend::SDK_MARKERS;

/// Each tool of this file with its capabilities.
pub fn tools<'c>(ctx: &'c FileContext<'_>) -> Vec<(&'c ToolDef, Vec<CapabilityHit>)> {
    ctx.facts
        .tools
        .iter()
        .enumerate()
        .filter(|(_, t)| t.kind == EntryKind::Tool)
        .map(|(i, t)| {
            (
                t,
                crate::taint::tool_capabilities(ctx.project, ctx.file_index, i),
            )
        })
        .collect()
}

/// The first of a list of call names and how many more (duplicates in a
/// row dropped): "`open()` and 2 more".
fn and_more(mut names: Vec<String>) -> String {
    names.dedup();
    match names.len() {
        0 => String::new(),
        1 => names.remove(0),
        n => format!("{} and {} more", names[0], n - 1),
    }
}

/// `subprocess.run()` (and n more), for messages.
pub fn describe(hits: &[&CapabilityHit]) -> String {
    let names: Vec<String> = hits
        .iter()
        .map(|h| format!("`{}()`", h.callee.replace("<expr>", "…").escape_debug()))
        .collect();
    and_more(names)
}

/// The capabilities that contradict a promise of restraint: process
/// execution counts only when a tool argument reaches the command (a fixed
/// `git status` is inventoried by MCL301 and reviewed there).
pub fn side_effects<'h>(
    ctx: &FileContext<'_>,
    tool: &ToolDef,
    hits: &'h [CapabilityHit],
    wanted: &[Capability],
) -> Vec<&'h CapabilityHit> {
    let controlled = ctx.taint_of(tool).any(|r| {
        r.hits
            .iter()
            .any(|h| matches!(h.class, SinkClass::Shell | SinkClass::Argv))
    });
    hits.iter()
        .filter(|h| wanted.contains(&h.capability))
        .filter(|h| h.capability != Capability::Exec || controlled)
        .filter(|h| !temporary_file(ctx, h))
        // Shared infrastructure and internal state keeping are the server's,
        // not the tool's (`tool_effects`).
        .filter(|h| super::tool_effects::own(ctx, tool, h))
        .collect()
}

/// `os.remove(temp_path)`, `fs.unlink(tempPcap)`: cleaning up a temporary
/// file the tool itself made is not a side effect a name must announce.
fn temporary_file(ctx: &FileContext<'_>, hit: &CapabilityHit) -> bool {
    if !matches!(hit.capability, Capability::FsWrite | Capability::FsDelete) {
        return false;
    }
    let Some(file) = ctx.project.files.get(hit.file) else {
        return false;
    };
    let text = file
        .text
        .get(hit.span.start..hit.span.end.min(hit.span.start + 200))
        .unwrap_or("")
        .to_ascii_lowercase();
    names_temporary(&text) || assigned_temporary(ctx, hit.file, hit.span)
}

/// `inputPath = await this.saveToTempFile(data)` … `fs.unlinkSync(inputPath)`:
/// the path deleted or written is a variable that the same function set
/// from code speaking of a temporary file, before the call.
fn assigned_temporary(ctx: &FileContext<'_>, file: usize, at: Span) -> bool {
    let Some(unit) = ctx.project.files.get(file) else {
        return false;
    };
    let (facts, text) = (unit.facts, unit.text);
    let Some(call) = facts.calls_within(at).find(|c| c.span == at) else {
        return false;
    };
    // The path: the receiver of `output_path.write_text(…)` (a variable, not
    // a module), otherwise the first argument (`fs.unlinkSync(p)`).
    let receiver = call.receiver().filter(|r| {
        let root = r.split(['.', ':']).next().unwrap_or(r);
        !r.starts_with('<') && !facts.imports.iter().any(|i| i.local == root)
    });
    let Some(name) = receiver.or_else(|| call.positional().next().and_then(|a| a.name())) else {
        return false;
    };
    let Some(function) = facts.enclosing_function(at) else {
        return false;
    };
    facts.statements.iter().any(|s| match s {
        crate::facts::Stmt::Assign {
            targets,
            value,
            span,
            ..
        } => {
            function.span.start <= span.start
                && span.end <= at.start
                && targets.iter().any(|t| t == name)
                && (names_temporary(
                    // `template.render(…)` speaks of no temporary file.
                    &text
                        .get(value.span.start..value.span.end)
                        .unwrap_or("")
                        .to_ascii_lowercase()
                        .replace("template", ""),
                ) || makes_temporary(ctx, file, value))
        }
        _ => false,
    })
}

/// `await writeScratchFile(data)`: a project function whose body makes its
/// file under the temporary directory (`os.tmpdir()`, `tempfile`).
fn makes_temporary(ctx: &FileContext<'_>, file: usize, value: &crate::facts::Expr) -> bool {
    let mut value = value;
    while let crate::facts::Value::Op(op, operands) = &value.value
        && op == "await"
        && let Some(inner) = operands.first()
    {
        value = inner;
    }
    let crate::facts::Value::Call(call) = &value.value else {
        return false;
    };
    let Some((target, index)) = ctx.project.resolve(file, &call.callee) else {
        return false;
    };
    let Some(unit) = ctx.project.files.get(target) else {
        return false;
    };
    unit.facts.functions.get(index).is_some_and(|f| {
        unit.text
            .get(f.span.start..f.span.end)
            .is_some_and(|body| names_temporary(&body.to_ascii_lowercase().replace("template", "")))
    })
}

/// Does code as written (lowercase) speak of a temporary file
/// (`tmp_path`, `tempfile`, `os.tmpdir()`)?
pub(super) fn names_temporary(written: &str) -> bool {
    ["tmp", "temp"].iter().any(|w| written.contains(w))
}

/// `open()` in `save_x()` (and n more): like `describe`, naming the
/// function a call is in when the handler reaches it through another call.
pub fn describe_in(project: &crate::taint::Project<'_>, hits: &[&CapabilityHit]) -> String {
    let names: Vec<String> = hits
        .iter()
        .map(|h| super::tool_effects::place(project, h))
        .collect();
    and_more(names)
}

pub fn with<'h>(hits: &'h [CapabilityHit], wanted: &[Capability]) -> Vec<&'h CapabilityHit> {
    hits.iter()
        .filter(|h| wanted.contains(&h.capability))
        .collect()
}
