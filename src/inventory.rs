//! `mcplint inventory`: every MCP tool (and resource and prompt) the
//! frontends find, with where it is, its parameters, annotations and the
//! transports its server is served over.

use std::io::{self, Write};
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use crate::discover::SourcePath;
use crate::facts::{Description, EntryKind, FileFacts, Param, ToolAnnotations};
use crate::frontend;
use crate::project::{self, modules::ModuleIndex};
use crate::report::slash_path;
use crate::roles::{self, Packages, Role};
use crate::scan::display_path;
use crate::source::LineIndex;
use std::collections::BTreeMap;

/// One row of the inventory (schema version 1, documented in the README).
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub kind: EntryKind,
    pub name: String,
    /// The name is computed at runtime; `name` is then `(dynamic)`.
    pub dynamic_name: bool,
    pub server: Option<String>,
    pub path: String,
    pub line: usize,
    pub column: usize,
    /// The first line of the description; `null` when none is given.
    pub description: Option<String>,
    /// The description is computed at runtime rather than written as a literal.
    pub dynamic_description: bool,
    pub params: Vec<ParamEntry>,
    pub annotations: AnnotationsEntry,
    pub transports: Vec<&'static str>,
    /// Line where the tool's handler (function, closure or dispatch branch) starts.
    pub handler_line: Option<usize>,
    /// A handler imported from another module of the project: `./tools.js#search`.
    pub handler_import: Option<String>,
    /// Where the handler's code is, wherever in the project: the function
    /// that runs when the tool is called (`null` when not found).
    pub handler: Option<HandlerEntry>,
    /// The tool is registered only under a condition (an `if`, a feature
    /// flag, a `#[cfg]`).
    pub conditional: bool,
    /// The role of the file that registers it (`crate::roles`).
    pub role: Role,
}

/// What `mcplint inventory` lists: the entries, and how many of the files
/// it read got each role.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    pub entries: Vec<Entry>,
    pub roles: BTreeMap<Role, u64>,
}

/// A tool's handler as the inventory shows it.
#[derive(Debug, Clone, Serialize)]
pub struct HandlerEntry {
    pub path: String,
    pub line: usize,
    /// The function's name; `null` for an anonymous function or a branch.
    pub function: Option<String>,
    /// The dispatch branch (`case`, `if name ==`, match arm) that routes
    /// to it, when the call-tool handler switches on the tool name.
    pub branch: Option<BranchEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BranchEntry {
    pub path: String,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ParamEntry {
    pub name: String,
    #[serde(rename = "type")]
    pub declared_type: Option<String>,
    pub required: bool,
    pub constraints: Vec<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnnotationsEntry {
    pub read_only_hint: Option<bool>,
    pub destructive_hint: Option<bool>,
    pub idempotent_hint: Option<bool>,
    pub open_world_hint: Option<bool>,
}

impl From<&ToolAnnotations> for AnnotationsEntry {
    fn from(a: &ToolAnnotations) -> Self {
        AnnotationsEntry {
            read_only_hint: a.read_only,
            destructive_hint: a.destructive,
            idempotent_hint: a.idempotent,
            open_world_hint: a.open_world,
        }
    }
}

impl From<&Param> for ParamEntry {
    fn from(p: &Param) -> Self {
        ParamEntry {
            name: p.name.clone(),
            declared_type: p.declared_type.clone(),
            required: !p.optional,
            constraints: p.constraints(),
            description: p.description.as_ref().map(|(d, _)| d.clone()),
        }
    }
}

/// Lists the entries of one file's facts, on its own (handlers in the same file only).
pub fn entries_of(facts: &FileFacts, path: &Path, text: &str) -> Vec<Entry> {
    let role = roles::by_path(path).unwrap_or(Role::Server);
    let this = [Shown::new(slash_path(path), text, facts, role)];
    entries_in(&this, 0)
}

/// A lowered file as the inventory shows it, with its line index built
/// once (handlers of many tools may point into it).
struct Shown<'a> {
    path: String,
    text: &'a str,
    facts: &'a FileFacts,
    lines: LineIndex,
    role: Role,
}

impl<'a> Shown<'a> {
    fn new(path: String, text: &'a str, facts: &'a FileFacts, role: Role) -> Self {
        Shown {
            path,
            text,
            facts,
            lines: LineIndex::new(text),
            role,
        }
    }
}

/// Lists the entries of file `file` of a project, so that handlers in its
/// other files can be located.
fn entries_in(files: &[Shown<'_>], file: usize) -> Vec<Entry> {
    let Shown {
        path,
        text,
        facts,
        lines: index,
        role,
    } = &files[file];
    let (text, facts) = (*text, *facts);
    let locate = |f: usize, offset: usize| -> Option<(String, usize)> {
        let other = files.get(f)?;
        Some((
            other.path.clone(),
            other.lines.position(other.text, offset).line,
        ))
    };
    let transports: Vec<&'static str> =
        facts.transport_kinds().iter().map(|t| t.as_str()).collect();
    let server = facts.servers.first().and_then(|s| s.name.clone());
    facts
        .tools
        .iter()
        .map(|tool| {
            let position = index.position(text, tool.span.start);
            let (description, dynamic_description) = match &tool.description {
                Some(Description::Literal { text, .. }) => (
                    text.lines()
                        .find(|l| !l.trim().is_empty())
                        .map(|l| l.trim().to_string()),
                    false,
                ),
                Some(Description::Dynamic { .. }) => (None, true),
                None => (None, false),
            };
            Entry {
                kind: tool.kind,
                name: tool.name.clone(),
                dynamic_name: tool.dynamic_name,
                server: server.clone(),
                path: path.clone(),
                line: position.line,
                column: position.column,
                description,
                dynamic_description,
                params: tool.params.iter().map(ParamEntry::from).collect(),
                annotations: AnnotationsEntry::from(&tool.annotations),
                transports: transports.clone(),
                handler_line: tool
                    .handler
                    .and_then(|i| facts.functions.get(i))
                    .map(|f| index.position(text, f.span.start).line),
                handler_import: tool.handler_import.clone(),
                handler: handler_entry(files, file, tool, &locate),
                conditional: tool.conditional,
                role: *role,
            }
        })
        .collect()
}

/// Where a tool's handler is: the project layer's link, else the function
/// its own file registers.
fn handler_entry(
    files: &[Shown<'_>],
    file: usize,
    tool: &crate::facts::ToolDef,
    locate: &dyn Fn(usize, usize) -> Option<(String, usize)>,
) -> Option<HandlerEntry> {
    let (hfile, function, branch) = match (tool.link, tool.handler) {
        (Some(link), _) => (link.file, link.function, link.branch),
        (None, Some(function)) => (file, function, None),
        _ => return None,
    };
    let func = files.get(hfile)?.facts.functions.get(function)?;
    let (path, line) = locate(hfile, func.span.start)?;
    let branch = branch.and_then(|(bfile, span)| {
        let (path, line) = locate(bfile, span.start)?;
        Some(BranchEntry { path, line })
    });
    Some(HandlerEntry {
        path,
        line,
        function: func.name.clone(),
        branch,
    })
}

/// The files of a project as the inventory and the lock read them: each
/// file that mentions an MCP SDK (or is a manifest or listing) and the
/// project modules it imports, lowered, with the project layer's edits
/// applied — so that both list the same tools, names, descriptions and
/// parameters.
pub struct LoweredProject {
    /// `(index into the files given, text, facts)`, by index.
    pub files: Vec<(usize, String, FileFacts)>,
    /// The role of every file read, lowered or not.
    pub roles: BTreeMap<usize, Role>,
}

impl LoweredProject {
    /// The role of file `i` (of the files given).
    pub fn role(&self, i: usize) -> Role {
        self.roles.get(&i).copied().unwrap_or(Role::Server)
    }
}

/// Reads and lowers each file that mentions an MCP SDK (and the project
/// modules they import, where tools and handlers are often defined) and
/// runs the project layer over them. Files that cannot be read or parsed
/// are skipped (`check` reports them).
pub fn lower_project(files: &[SourcePath], max_file_size: u64) -> LoweredProject {
    let packages = Packages::new();
    let read = |file: &SourcePath| -> Option<String> {
        std::fs::metadata(&file.path)
            .ok()
            .filter(|m| m.len() <= max_file_size)
            .and_then(|_| std::fs::read(&file.path).ok())
            .and_then(|bytes| crate::source::text_of(bytes).ok())
    };
    let relevant = |file: &SourcePath, t: &str| {
        if file.language.is_code() {
            frontend::mentions_sdk(t)
        } else {
            frontend::manifest::MARKERS
                .iter()
                .any(|m| memchr::memmem::find(t.as_bytes(), m.as_bytes()).is_some())
        }
    };
    // Every file read gets a role (counted); those that mention an SDK
    // are lowered.
    type Read = (usize, Role, Option<(String, FileFacts)>);
    let read_files: Vec<Read> = files
        .par_iter()
        .enumerate()
        .filter_map(|(i, file)| {
            let text = read(file)?;
            if !relevant(file, &text) {
                return Some((i, roles::of_source(file, &text, None, &packages), None));
            }
            let facts = frontend::lower(file.language, &file.path, &text).ok();
            let role = roles::of_source(file, &text, facts.as_ref(), &packages);
            Some((i, role, facts.map(|f| (text, f))))
        })
        .collect();
    let mut role_by_file: BTreeMap<usize, Role> = BTreeMap::new();
    let mut lowered: Vec<(usize, String, FileFacts)> = Vec::new();
    for (i, role, parsed) in read_files {
        role_by_file.insert(i, role);
        if let Some((text, facts)) = parsed {
            lowered.push((i, text, facts));
        }
    }
    // The modules they import, a few rounds deep.
    let index = ModuleIndex::new(files);
    let mut done: std::collections::HashSet<usize> = lowered.iter().map(|(i, _, _)| *i).collect();
    let mut frontier: Vec<usize> = (0..lowered.len())
        .filter(|&k| files[lowered[k].0].language.is_code())
        .collect();
    for _ in 0..crate::project::modules::IMPORT_ROUNDS {
        let wanted = index.imported_by(
            frontier
                .iter()
                .map(|&k| (files[lowered[k].0].path.as_path(), &lowered[k].2)),
            |j| !done.contains(&j),
        );
        if wanted.is_empty() {
            break;
        }
        done.extend(wanted.iter().copied());
        let more: Vec<(usize, String, FileFacts)> = wanted
            .into_par_iter()
            .filter_map(|i| {
                let file = &files[i];
                let text = read(file)?;
                let facts = frontend::lower(file.language, &file.path, &text).ok()?;
                Some((i, text, facts))
            })
            .collect();
        for (i, text, facts) in &more {
            role_by_file.insert(
                *i,
                roles::of_source(&files[*i], text, Some(facts), &packages),
            );
        }
        frontier = (lowered.len()..lowered.len() + more.len()).collect();
        lowered.extend(more);
    }
    lowered.sort_by_key(|(i, _, _)| *i);
    let role = |i: usize| role_by_file.get(&i).copied().unwrap_or(Role::Server);
    let edits = project::edits(
        lowered
            .iter()
            .map(|(i, text, facts)| project::Unit {
                path: &files[*i].path,
                text,
                facts,
                role: role(*i),
            })
            .collect(),
    );
    let mut facts: Vec<&mut FileFacts> = lowered.iter_mut().map(|(_, _, f)| f).collect();
    project::apply(edits, &mut facts);
    LoweredProject {
        files: lowered,
        roles: role_by_file,
    }
}

/// Lists the entries of the files that mention an MCP SDK, the project
/// layer applied (`lower_project`).
pub fn collect(files: &[SourcePath], cwd: &Path, max_file_size: u64) -> Inventory {
    let project = lower_project(files, max_file_size);
    let role = |i: usize| project.role(i);
    let lowered = &project.files;
    let role_by_file = &project.roles;
    let shown: Vec<Shown<'_>> = lowered
        .par_iter()
        .map(|(i, text, facts)| {
            Shown::new(
                slash_path(&display_path(&files[*i].path, cwd)),
                text.as_str(),
                facts,
                role(*i),
            )
        })
        .collect();
    // Tools a test registers on a throwaway server are not the server's;
    // their modules still resolve above.
    let mut entries: Vec<Entry> = (0..shown.len())
        .into_par_iter()
        .filter(|&k| shown[k].role != Role::Test)
        .flat_map_iter(|k| entries_in(&shown, k))
        .collect();
    entries.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    let mut counts: BTreeMap<Role, u64> = BTreeMap::new();
    for role in role_by_file.values() {
        *counts.entry(*role).or_default() += 1;
    }
    Inventory {
        entries,
        roles: counts,
    }
}

fn hints(a: &AnnotationsEntry) -> String {
    let mut out = Vec::new();
    for (name, value) in [
        ("readOnly", a.read_only_hint),
        ("destructive", a.destructive_hint),
        ("idempotent", a.idempotent_hint),
        ("openWorld", a.open_world_hint),
    ] {
        if let Some(v) = value {
            out.push(format!("{name}={v}"));
        }
    }
    if out.is_empty() {
        "-".to_string()
    } else {
        out.join(" ")
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

/// The inventory as a table, one block per tool.
pub fn write_table(entries: &[Entry], out: &mut dyn Write) -> io::Result<()> {
    for e in entries {
        let kind = match e.kind {
            EntryKind::Tool => "tool",
            EntryKind::Resource => "resource",
            EntryKind::Prompt => "prompt",
        };
        let server = e
            .server
            .as_deref()
            .map(|s| format!(" [{s}]"))
            .unwrap_or_default();
        writeln!(
            out,
            "{kind} {}{server}  {}:{}:{}",
            e.name, e.path, e.line, e.column
        )?;
        let description = match (&e.description, e.dynamic_description) {
            (Some(d), _) => truncate(&d.escape_debug().to_string(), 100),
            (None, true) => "(computed at runtime)".to_string(),
            (None, false) => "(none)".to_string(),
        };
        writeln!(out, "  description  {description}")?;
        let params: Vec<String> = e
            .params
            .iter()
            .map(|p| {
                let mut s = p.name.clone();
                if !p.required {
                    s.push('?');
                }
                if let Some(t) = &p.declared_type {
                    s.push_str(&format!(": {t}"));
                }
                if !p.constraints.is_empty() {
                    s.push_str(&format!(" [{}]", p.constraints.join(" ")));
                }
                s
            })
            .collect();
        writeln!(
            out,
            "  params       {}",
            if params.is_empty() {
                "-".to_string()
            } else {
                params.join(", ")
            }
        )?;
        writeln!(out, "  annotations  {}", hints(&e.annotations))?;
        if e.conditional {
            writeln!(out, "  registered   only under a condition")?;
        }
        if let Some(h) = &e.handler {
            let function = h.function.as_deref().unwrap_or("(anonymous)");
            let branch = h
                .branch
                .as_ref()
                .map(|b| format!(" (dispatched at {}:{})", b.path, b.line))
                .unwrap_or_default();
            writeln!(
                out,
                "  handler      {function} at {}:{}{branch}",
                h.path, h.line
            )?;
        } else if let Some(import) = &e.handler_import {
            writeln!(out, "  handler      {import}")?;
        }
        writeln!(
            out,
            "  transport    {}",
            if e.transports.is_empty() {
                "-".to_string()
            } else {
                e.transports.join(", ")
            }
        )?;
    }
    let tools = entries.iter().filter(|e| e.kind == EntryKind::Tool).count();
    let files: std::collections::BTreeSet<&str> = entries.iter().map(|e| e.path.as_str()).collect();
    writeln!(
        out,
        "{tools} tools, {} resources and prompts in {} files.",
        entries.len() - tools,
        files.len()
    )
}

/// The inventory as JSON: `{"schema_version": 1, "entries": [...],
/// "roles": {"server": n, ...}}`.
pub fn write_json(inventory: &Inventory, out: &mut dyn Write) -> io::Result<()> {
    let document = serde_json::json!({
        "schema_version": 1,
        "tool": {"name": "mcplint", "version": crate::VERSION},
        "entries": inventory.entries,
        "roles": inventory.roles,
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
