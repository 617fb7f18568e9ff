//! Python low-level servers whose tools are listed in one module and
//! dispatched in another: `@server.call_tool()` routes
//! `if name == "search_papers": return await handle_search(arguments)`
//! (or `match name: case ToolName.SEARCH:`, or a `HANDLERS = {"x": handle_x}`
//! lookup) to a function defined anywhere in the project. Each tool is
//! linked to the function its branch calls, with the branch.
//!
//! Tools listed in the dispatching file itself already have their branch as
//! handler (`FileFacts::link_dispatch_handlers`); this pass links the ones
//! the frontend could not.

use std::collections::HashMap;

use crate::facts::{EntryKind, HandlerLink, ToolDef, Value};
use crate::finding::Span;

use super::python_names::{is_python, string_of, within};
use super::python_tools::listed_tools;
use super::{Edit, View};

/// A tool the dispatch may link: one of a file's (file, index), or one of
/// the listings the project names (index into `listed`).
#[derive(Clone, Copy)]
enum Open {
    Existing(usize, usize),
    Listed(usize),
}

pub fn dispatch(view: &View) -> Vec<Edit> {
    let mut listed = listed_tools(view);
    let names: Vec<String> = listed.iter().map(|(_, t)| t.name.clone()).collect();
    // Tools with no handler yet, by name.
    let mut open: HashMap<&str, Vec<(usize, Open)>> = HashMap::new();
    for (f, unit) in view.units.iter().enumerate() {
        if !is_python(view, f) {
            continue;
        }
        for (t, tool) in unit.facts.tools.iter().enumerate() {
            if tool.kind == EntryKind::Tool
                && tool.handler.is_none()
                && tool.link.is_none()
                && tool.handler_import.is_none()
                && !tool.dynamic_name
            {
                open.entry(tool.name.as_str())
                    .or_default()
                    .push((f, Open::Existing(f, t)));
            }
        }
    }
    for (k, (f, tool)) in listed.iter().enumerate() {
        if tool.handler.is_none() && tool.link.is_none() {
            open.entry(names[k].as_str())
                .or_default()
                .push((*f, Open::Listed(k)));
        }
    }
    let mut edits = Vec::new();
    let mut links: Vec<(usize, HandlerLink)> = Vec::new();
    if open.is_empty() {
        return add(listed);
    }
    for (d, unit) in view.units.iter().enumerate() {
        if !is_python(view, d) {
            continue;
        }
        let facts = unit.facts;
        let mut branches: Vec<(String, Span)> = facts.dispatch.clone();
        for (label, span) in &facts.python.dispatch_names {
            if let Some((value, _, _)) = string_of(view, d, label) {
                branches.push((value, *span));
            }
        }
        // `HANDLERS = {"search": handle_search, ToolName.READ: handle_read}`.
        let mut lookups: Vec<(String, Span, &str)> = Vec::new();
        for binding in &facts.bindings {
            let Value::Object(pairs) = &binding.value.value else {
                continue;
            };
            for (key, value) in pairs {
                let Some(function) = value.name() else {
                    continue;
                };
                let label = if open.contains_key(key.as_str()) {
                    Some(key.clone())
                } else {
                    string_of(view, d, key).map(|(s, _, _)| s)
                };
                if let Some(label) = label {
                    lookups.push((label, value.span, function));
                }
            }
        }
        if branches.is_empty() && lookups.is_empty() {
            continue;
        }
        let reachable = imported_closure(view, d);
        let mut link = |label: &str, target: (usize, usize), branch: Span| {
            let Some(tools) = open.get(label) else {
                return;
            };
            for &(tf, which) in tools {
                if !(tf == d || reachable.contains(&tf) || tf == target.0) {
                    continue;
                }
                let link = HandlerLink {
                    file: target.0,
                    function: target.1,
                    branch: Some((d, branch)),
                };
                match which {
                    Open::Existing(file, tool) => edits.push(Edit::Link { file, tool, link }),
                    Open::Listed(k) => links.push((k, link)),
                }
            }
        };
        for (label, span) in &branches {
            if !open.contains_key(label.as_str()) {
                continue;
            }
            if let Some(target) = called_function(view, d, *span) {
                link(label, target, *span);
            }
        }
        for (label, span, function) in &lookups {
            if let Some(target) = view.function(d, function) {
                link(label, target, *span);
            }
        }
    }
    for (k, link) in links.drain(..) {
        if let Some((_, tool)) = listed.get_mut(k) {
            tool.link.get_or_insert(link);
        }
    }
    edits.extend(add(listed));
    edits
}

/// The listed tools, added to their files with the links found.
fn add(listed: Vec<(usize, ToolDef)>) -> Vec<Edit> {
    listed
        .into_iter()
        .map(|(file, tool)| Edit::AddTool {
            file,
            tool: Box::new(tool),
        })
        .collect()
}

/// The first project function a dispatch branch calls (`handle_search`,
/// `tools.search.run`), in source order.
fn called_function(view: &View, file: usize, branch: Span) -> Option<(usize, usize)> {
    let facts = view.units[file].facts;
    let mut calls: Vec<&crate::facts::Call> = facts
        .calls
        .iter()
        .filter(|c| within(branch, c.span))
        .collect();
    calls.sort_by_key(|c| c.span.start);
    calls.into_iter().find_map(|call| {
        let found = view.function(file, &call.callee)?;
        // Not the function the branch is in (a recursive dispatcher).
        let enclosing = facts.enclosing_function(branch).map(|f| f.span);
        let same =
            found.0 == file && Some(view.units[file].facts.functions[found.1].span) == enclosing;
        (!same).then_some(found)
    })
}

/// The project files a module imports, directly or through the modules it
/// imports, at any depth: breadth-first with a visited set, so each module
/// is read once.
fn imported_closure(view: &View, file: usize) -> std::collections::HashSet<usize> {
    let mut visited = std::collections::HashSet::from([file]);
    let mut frontier = vec![file];
    while let Some(f) = frontier.pop() {
        for import in &view.units[f].facts.imports {
            for target in view.import_files(f, import) {
                if visited.insert(target) {
                    frontier.push(target);
                }
            }
        }
    }
    visited
}

#[cfg(test)]
mod tests {
    use crate::project::python_tools::tests::{project, tools};

    const NAMES: &str = r#"
from enum import StrEnum

class ToolName(StrEnum):
    SEARCH = "search_papers"
    READ = "read_paper"

EXPORT = "export_paper"
"#;

    const SEARCH: &str = r#"
import mcp.types as types
from ..names import ToolName

search_tool = types.Tool(name=ToolName.SEARCH, description="Search.", inputSchema={"type": "object"})
read_tool = types.Tool(name="read_paper", description="Read.", inputSchema={"type": "object"})
export_tool = types.Tool(name="export_paper", description="Export.", inputSchema={"type": "object"})

async def handle_search(arguments):
    return []

async def handle_read(arguments):
    return []

def handle_export(arguments):
    return []
"#;

    const SERVER: &str = r#"
from mcp.server import Server
from .names import EXPORT, ToolName
from .tools.search import handle_export, handle_read, handle_search

server = Server("papers")
SYNC = {EXPORT: handle_export}

@server.call_tool()
async def call_tool(name: str, arguments: dict):
    if name in SYNC:
        return SYNC[name](arguments)
    match name:
        case ToolName.SEARCH:
            return await handle_search(arguments)
    if name == "read_paper":
        return await handle_read(arguments)
"#;

    #[test]
    fn branches_in_another_module_link_the_function_they_call() {
        let files = [
            ("papers/names.py", NAMES),
            ("papers/tools/search.py", SEARCH),
            ("papers/server.py", SERVER),
        ];
        let found = tools(&files);
        let want = |name: &str, handler: &str| {
            (
                "search.py".to_string(),
                name.to_string(),
                Some(handler.to_string()),
            )
        };
        assert_eq!(
            found,
            vec![
                want("export_paper", "handle_export"),
                want("read_paper", "handle_read"),
                want("search_papers", "handle_search"),
            ]
        );
        // Each link names its branch, in the dispatching file.
        let lowered = project(&files);
        for tool in &lowered[1].1.tools {
            let link = tool.link.expect("linked");
            assert_eq!(link.branch.map(|(file, _)| file), Some(2), "{}", tool.name);
        }
    }

    #[test]
    fn a_dispatch_the_tools_module_is_not_imported_by_does_not_link() {
        let other = r#"
def handle_read(arguments):
    return []

def route(name, arguments):
    if name == "read_paper":
        return handle_read(arguments)
"#;
        let found = tools(&[("papers/tools/search.py", SEARCH), ("cli/route.py", other)]);
        assert!(found.iter().all(|(_, _, h)| h.is_none()), "{found:?}");
    }
}
