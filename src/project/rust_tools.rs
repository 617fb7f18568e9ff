//! rmcp servers that implement `ServerHandler::list_tools` / `call_tool` by
//! hand. A tool is a `Tool { name, … }` / `Tool::new(…)` value (recorded by
//! `frontend::rust_tools`) built in a function that `list_tools` reaches,
//! through helpers in other modules or workspace crates; its handler is the
//! function that the branch of `call_tool`'s dispatch on its name calls
//! (`"x" => handle_x(&req).await`), wherever that function is defined.

use std::collections::{BTreeMap, BTreeSet};

use super::{Edit, View};
use crate::facts::{Call, FileFacts, HandlerLink, Language};
use crate::finding::Span;

/// How many functions the walk from a handler method visits at most.
const MAX_REACHED: usize = 512;

/// A function of the project: file index, index into its `functions`.
type Func = (usize, usize);

pub fn pass(view: &View) -> Vec<Edit> {
    let rust = |i: &usize| view.units[*i].facts.language == Language::Rust;
    let mut added: BTreeSet<(usize, Span)> = BTreeSet::new();
    let mut edits = Vec::new();
    // Each server on its own: a scan of several projects (or a workspace of
    // several servers) must not link one server's tools to another's branches.
    for server in (0..view.units.len())
        .filter(rust)
        .filter(|&i| !view.units[i].facts.servers.is_empty())
    {
        let listed = reach(view, &roots(view, server, "list_tools"));
        if listed.is_empty() {
            continue;
        }
        let called = reach(view, &roots(view, server, "call_tool"));
        let branches = branches(view, &called);
        for &(file, function) in &listed {
            let facts = view.units[file].facts;
            for value in &facts.tool_values {
                if innermost(facts, value.span) != Some(function)
                    || !added.insert((file, value.span))
                {
                    continue;
                }
                let mut tool = value.clone();
                tool.link = branches
                    .get(&value.name)
                    .map(|&(branch_file, arm)| handler_of(view, branch_file, arm, &value.name));
                edits.push(Edit::AddTool {
                    file,
                    tool: Box::new(tool),
                });
            }
        }
    }
    edits
}

/// The methods named `name` of a file that implements `ServerHandler`.
fn roots(view: &View, server: usize, name: &str) -> Vec<Func> {
    view.units[server]
        .facts
        .functions
        .iter()
        .enumerate()
        .filter(|(_, f)| f.name.as_deref() == Some(name))
        .map(|(j, _)| (server, j))
        .collect()
}

/// Every project function reached from `roots` through calls.
fn reach(view: &View, roots: &[Func]) -> BTreeSet<Func> {
    let mut done: BTreeSet<Func> = roots.iter().copied().collect();
    let mut todo: Vec<Func> = roots.to_vec();
    while let Some((file, j)) = todo.pop() {
        let facts = view.units[file].facts;
        let span = facts.functions[j].span;
        for call in calls_in(facts, span) {
            if let Some(target) = callee(view, file, call)
                && done.len() < MAX_REACHED
                && done.insert(target)
            {
                todo.push(target);
            }
        }
    }
    done
}

/// The project function a call names: `helper(…)`, `tools::run(…)`,
/// `crate::a::b(…)`, `super::x(…)`, `mcp_server::handle(…)` (a workspace
/// crate), or a method of the server type (`self.handle_x(…)`,
/// `Self::handle_x(…)`) defined in another `impl` block of its crate.
fn callee(view: &View, file: usize, call: &Call) -> Option<Func> {
    let mut name = call.callee.as_str();
    if name.starts_with("<expr>") {
        return None;
    }
    while let Some(rest) = name.strip_prefix("super::") {
        name = rest;
    }
    if let Some(found) = view.function(file, name) {
        return Some(found);
    }
    let method = name
        .strip_prefix("self.")
        .or_else(|| name.strip_prefix("Self::"))?;
    if method.contains(['.', ':']) {
        return None;
    }
    let root = crate_root(view.units[file].path)?;
    view.units.iter().enumerate().find_map(|(i, unit)| {
        if unit.facts.language != Language::Rust || crate_root(unit.path) != Some(root.clone()) {
            return None;
        }
        let j = unit
            .facts
            .functions
            .iter()
            .position(|f| f.name.as_deref() == Some(method))?;
        Some((i, j))
    })
}

/// The directory of the crate a file belongs to (the one holding `src/`).
fn crate_root(path: &std::path::Path) -> Option<std::path::PathBuf> {
    path.ancestors()
        .find(|dir| dir.file_name().is_some_and(|n| n == "src"))
        .and_then(|src| src.parent())
        .map(std::path::Path::to_path_buf)
}

/// The calls of a file inside a span.
fn calls_in(facts: &FileFacts, span: Span) -> impl Iterator<Item = &Call> {
    facts
        .calls
        .iter()
        .filter(move |c| span.start <= c.span.start && c.span.end <= span.end)
}

/// The innermost function of a file around a span.
fn innermost(facts: &FileFacts, span: Span) -> Option<usize> {
    facts
        .functions
        .iter()
        .enumerate()
        .filter(|(_, f)| f.span.start <= span.start && span.end <= f.span.end)
        .min_by_key(|(_, f)| f.span.len())
        .map(|(j, _)| j)
}

/// The dispatch branches inside the functions that `call_tool` reaches, by
/// label (the first one of a label wins).
fn branches(view: &View, called: &BTreeSet<Func>) -> BTreeMap<String, (usize, Span)> {
    let mut out = BTreeMap::new();
    for &(file, j) in called {
        let facts = view.units[file].facts;
        let span = facts.functions[j].span;
        for (label, arm) in &facts.dispatch {
            if span.start <= arm.start && arm.end <= span.end {
                out.entry(label.clone()).or_insert((file, *arm));
            }
        }
    }
    out
}

/// The handler a dispatch branch runs: the project function the branch
/// calls (the last call not nested in another; one named after the tool
/// first), or the dispatching function itself when the work is written in
/// the branch.
fn handler_of(view: &View, file: usize, arm: Span, label: &str) -> HandlerLink {
    let facts = view.units[file].facts;
    let mut calls: Vec<(Span, Func)> = calls_in(facts, arm)
        .filter_map(|call| Some((call.span, callee(view, file, call)?)))
        .collect();
    calls.sort_by_key(|(span, _)| (span.start, std::cmp::Reverse(span.end)));
    let outer: Vec<Func> = calls
        .iter()
        .filter(|(span, _)| {
            !calls.iter().any(|(other, _)| {
                other != span && other.start <= span.start && span.end <= other.end
            })
        })
        .map(|(_, f)| *f)
        .collect();
    let wanted = label.to_ascii_lowercase().replace(['-', '.', ' '], "_");
    let named = outer.iter().find(|(f, j)| {
        view.units[*f].facts.functions[*j]
            .name
            .as_deref()
            .is_some_and(|n| n.to_ascii_lowercase().contains(&wanted))
    });
    let (handler_file, function) = match named.or(outer.last()) {
        Some(found) => *found,
        None => (file, innermost(facts, arm).unwrap_or_default()),
    };
    HandlerLink {
        file: handler_file,
        function,
        branch: Some((file, arm)),
    }
}
