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

/// The note when a handler method reaches more functions.
const REACHED_LIMIT: &str = "a Rust server's list_tools and call_tool are followed into 512 functions and this one reaches more";

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
                if tool.dynamic_name {
                    // `name: TOOL_SEARCH.to_string()`, the constant defined elsewhere.
                    let Some((name, span)) = constant(view, file, &tool.name) else {
                        continue;
                    };
                    tool.name = name;
                    if span.0 == file {
                        tool.name_literal = Some(span.1);
                    }
                    tool.dynamic_name = false;
                }
                tool.link = branches
                    .get(&tool.name)
                    .map(|&(branch_file, arm)| handler_of(view, branch_file, arm, &tool.name));
                edits.push(Edit::AddTool {
                    file,
                    tool: Box::new(tool),
                });
            }
        }
    }
    edits
}

/// The text of a string constant a name stands for in file `file`, with
/// the constant's file and the span of its literal.
fn constant(view: &View, file: usize, name: &str) -> Option<(String, (usize, Span))> {
    let super::Symbol::Binding(f, j) = view.resolve(file, name)? else {
        return None;
    };
    let value = &view.units[f].facts.bindings[j].value;
    value.str_value().map(|s| (s.to_string(), (f, value.span)))
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
            let Some(target) = callee(view, file, call) else {
                continue;
            };
            if done.contains(&target) {
                continue;
            }
            if done.len() >= MAX_REACHED {
                view.note_limit(file, call.span, REACHED_LIMIT);
                continue;
            }
            done.insert(target);
            todo.push(target);
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
                // `TOOL_SEARCH =>` with the constant defined in another module.
                let path_like = label.chars().any(|c| c.is_ascii_uppercase())
                    && label
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':');
                let label = path_like
                    .then(|| constant(view, file, label))
                    .flatten()
                    .map_or_else(|| label.clone(), |(text, _)| text);
                out.entry(label).or_insert((file, *arm));
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

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::facts::FileFacts;
    use crate::project::Unit;

    const MAIN: &str = r#"
use tools_crate::{listed, dispatch};
use rmcp::ServerHandler;
struct S;
impl ServerHandler for S {
    async fn list_tools(&self) -> Result<ListToolsResult, McpError> {
        Ok(ListToolsResult { tools: listed(), next_cursor: None })
    }
    async fn call_tool(&self, request: CallToolRequestParam) -> Result<CallToolResult, McpError> {
        dispatch(request).await
    }
}
"#;

    const LIB: &str = r#"
mod defs;
mod work;
pub use defs::{listed, dispatch};
"#;

    const DEFS: &str = r#"
use rmcp::model::Tool;
use super::work;
pub fn listed() -> Vec<Tool> {
    vec![Tool::new("alpha", "A", schema()), Tool::new("beta", "B", schema()), Tool::new("delta", "D", schema())]
}
pub fn unlisted() -> Vec<Tool> { vec![Tool::new("gamma", "C", schema())] }
pub async fn dispatch(request: CallToolRequestParam) -> Result<CallToolResult, McpError> {
    match request.name.as_ref() {
        "alpha" => work::run_alpha(&request).await,
        "beta" => { let args = parse(&request)?; work::run_beta(args).await }
        "delta" => Ok(CallToolResult::success(vec![])),
        _ => other(request).await,
    }
}
fn parse(r: &CallToolRequestParam) -> Result<Args, McpError> { Args::from(r) }
"#;

    const WORK: &str = r#"
pub async fn run_alpha(request: &CallToolRequestParam) -> Result<CallToolResult, McpError> { Ok(CallToolResult::success(vec![])) }
pub async fn run_beta(args: Args) -> Result<CallToolResult, McpError> { Ok(CallToolResult::success(args.into())) }
"#;

    #[test]
    fn tools_reached_from_list_tools_link_to_their_branch_handlers() {
        let files: Vec<(PathBuf, &str)> = vec![
            (PathBuf::from("/ws/src/main.rs"), MAIN),
            (PathBuf::from("/ws/crates/tools-crate/src/lib.rs"), LIB),
            (PathBuf::from("/ws/crates/tools-crate/src/defs.rs"), DEFS),
            (PathBuf::from("/ws/crates/tools-crate/src/work.rs"), WORK),
        ];
        let facts: Vec<FileFacts> = files
            .iter()
            .map(|(_, text)| crate::frontend::rust::parse(text).expect("parses"))
            .collect();
        let view = View::new(
            files
                .iter()
                .zip(&facts)
                .map(|((path, text), facts)| Unit::new(path, text, facts))
                .collect(),
        );
        let edits = pass(&view);
        // (tool name, handler's file and function name)
        type Listed = (String, Option<(usize, Option<String>)>);
        let tools: Vec<Listed> = edits
            .iter()
            .filter_map(|edit| match edit {
                Edit::AddTool { tool, .. } => Some((
                    tool.name.clone(),
                    tool.link.map(|l| {
                        (
                            l.file,
                            view.units[l.file].facts.functions[l.function].name.clone(),
                        )
                    }),
                )),
                _ => None,
            })
            .collect();
        assert_eq!(
            tools,
            vec![
                (
                    "alpha".to_string(),
                    Some((3, Some("run_alpha".to_string())))
                ),
                // The last call of the branch, not the helper before it.
                ("beta".to_string(), Some((3, Some("run_beta".to_string())))),
                // Work written in the branch: the dispatching function.
                ("delta".to_string(), Some((2, Some("dispatch".to_string())))),
            ]
        );
    }
}
