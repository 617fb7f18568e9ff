//! Python tool discovery that needs the whole project:
//!
//! - FastMCP sub-servers: `main.mount(sub, prefix="jira")`,
//!   `mount(sub, namespace=…)`, `import_server(sub, prefix)` (and the older
//!   `mount("jira", sub)`) expose every tool registered on `sub` — in any
//!   module — as `jira_<name>`;
//! - `mcp.add_tool(fn)` with `fn` imported from another module;
//! - handler classes: `class ReadTool(ToolHandler)` whose method returns
//!   `Tool(name=self.name, …)` with the name given to `super().__init__`
//!   (or a class attribute), and whose `run_tool` / `execute` / `run` /
//!   `handle` / `call` method does the work.

use crate::facts::{EntryKind, FileFacts, HandlerLink, ToolDef, Value};
use crate::finding::Span;
use crate::frontend::python_mcp::listed_tool_named;

use super::python_names::{class, class_of, inherits, is_python, string_of, within};
use super::{Edit, Symbol, View};

/// The methods a handler class does its work in, by preference.
const WORK_METHODS: &[&str] = &[
    "run_tool", "execute", "run", "handle", "call", "__call__", "invoke", "arun", "_run",
    "_execute",
];

/// Does a Python file without tools of its own hold what these passes and
/// the dispatch pass read? Listings named by the project, dispatches on
/// constants, `mount` / `import_server` calls, and tables of functions
/// (`HANDLERS = {"x": handle_x}`).
pub fn wanted(facts: &FileFacts) -> bool {
    let py = &facts.python;
    !py.listings.is_empty()
        || !py.candidates.is_empty()
        || !py.dispatch_names.is_empty()
        || facts
            .calls
            .iter()
            .any(|c| matches!(c.method(), "mount" | "import_server"))
        || facts.bindings.iter().any(|b| {
            b.top_level
                && matches!(&b.value.value, Value::Object(pairs)
                    if !pairs.is_empty() && pairs.iter().all(|(_, v)| v.name().is_some()))
        })
}

/// One `parent.mount(sub, prefix)`: the sub-server's and parent's symbols.
struct Mount {
    sub: Symbol,
    parent: Option<Symbol>,
    prefix: Option<String>,
}

/// FastMCP composition: tools registered on a mounted (or imported) server
/// get the mount's prefix, `<prefix>_<name>`, once per mount.
pub fn mounts(view: &View) -> Vec<Edit> {
    let mut found: Vec<Mount> = Vec::new();
    for (f, unit) in view.units.iter().enumerate() {
        if !is_python(view, f) {
            continue;
        }
        for call in &unit.facts.calls {
            if let Some(mount) = mount_of(view, f, call) {
                found.push(mount);
            }
        }
    }
    let mut edits = Vec::new();
    // Tools of servers whose class is a FastMCP subclass of the project.
    for (h, unit) in view.units.iter().enumerate() {
        if !is_python(view, h) {
            continue;
        }
        for (object, tool) in &unit.facts.python.candidates {
            let Some(server) = server_symbol(view, h, object, tool.span) else {
                continue;
            };
            if !is_fastmcp_instance(view, server) {
                continue;
            }
            for prefix in prefixes_of(&found, server, &mut Vec::new()) {
                let mut copy = tool.clone();
                copy.name = format!("{prefix}{}", tool.name);
                edits.push(Edit::AddTool {
                    file: h,
                    tool: Box::new(copy),
                });
            }
        }
    }
    if found.is_empty() {
        return edits;
    }
    for (h, unit) in view.units.iter().enumerate() {
        if !is_python(view, h) {
            continue;
        }
        let facts = unit.facts;
        for (span, object) in &facts.python.registrations {
            let Some(server) = server_symbol(view, h, object, *span) else {
                continue;
            };
            let prefixes = prefixes_of(&found, server, &mut Vec::new());
            if prefixes.iter().all(String::is_empty) {
                continue;
            }
            let Some(t) = facts.tools.iter().position(|t| t.span == *span) else {
                continue;
            };
            let tool = &facts.tools[t];
            if tool.kind == EntryKind::Resource {
                continue;
            }
            // A name given by a constant of another module (see `tool_names`).
            let base = match tool.dynamic_name {
                true => match super::tool_names::resolved_name(view, h, t) {
                    Some(name) => name,
                    None => continue,
                },
                false => tool.name.clone(),
            };
            for (k, prefix) in prefixes.iter().enumerate() {
                let name = format!("{prefix}{base}");
                if k == 0 {
                    if name != tool.name {
                        edits.push(Edit::Rename {
                            file: h,
                            tool: t,
                            name,
                        });
                    }
                } else {
                    let mut copy = tool.clone();
                    copy.name = name;
                    edits.push(Edit::AddTool {
                        file: h,
                        tool: Box::new(copy),
                    });
                }
            }
        }
    }
    edits
}

/// `parent.mount(sub, prefix=…)` / `namespace=` / `import_server(sub, "p")`
/// / `mount("p", sub)`, when `sub` names a server object (a binding to a
/// constructor call). A Starlette `app.mount("/static", StaticFiles(…))`
/// mounts no binding and a path is no prefix.
fn mount_of(view: &View, file: usize, call: &crate::facts::Call) -> Option<Mount> {
    if !matches!(call.method(), "mount" | "import_server") {
        return None;
    }
    let receiver = call.receiver()?;
    let mut server = call.keyword("server");
    let mut prefix = call
        .keyword("prefix")
        .or_else(|| call.keyword("namespace"))
        .cloned();
    for arg in call.positional() {
        match &arg.value {
            Value::Name(_) if server.is_none() => server = Some(arg),
            Value::Str(_) if prefix.is_none() => prefix = Some(arg.clone()),
            _ => {}
        }
    }
    let server_name = server?.name()?;
    let sub = server_symbol(view, file, server_name, call.span)?;
    let Symbol::Binding(g, j) = sub else {
        return None;
    };
    if !matches!(view.units[g].facts.bindings[j].value.value, Value::Call(_)) {
        return None;
    }
    let prefix = match prefix {
        None => None,
        Some(expr) => {
            let text = match &expr.value {
                Value::Str(s) => Some(s.clone()),
                Value::Name(n) => string_of(view, file, n).map(|(s, _, _)| s),
                Value::Null => None,
                _ => return None,
            };
            match text {
                Some(t) if is_prefix(&t) => Some(t),
                Some(t) if t.is_empty() => None,
                Some(_) => return None,
                None => None,
            }
        }
    };
    Some(Mount {
        sub,
        parent: server_symbol(view, file, receiver, call.span),
        prefix,
    })
}

/// What a server object's name stands for where it is used (at `at`): a
/// binding of the same function first (a test builds `sub = FastMCP(…)` in
/// each of its functions), else the name resolved through the project.
fn server_symbol(view: &View, file: usize, name: &str, at: Span) -> Option<Symbol> {
    let facts = view.units[file].facts;
    let scope = facts.enclosing_function(at).map(|f| f.span);
    let local = facts
        .bindings
        .iter()
        .enumerate()
        .filter(|(_, b)| b.name == name && b.span.start <= at.start)
        .filter(|(_, b)| facts.enclosing_function(b.span).map(|f| f.span) == scope)
        .map(|(j, _)| j)
        .next_back();
    match local {
        Some(j) if scope.is_some() => Some(Symbol::Binding(file, j)),
        _ => view.resolve(file, name),
    }
}

/// Is a binding an instance of a project class that inherits FastMCP
/// (`class AuditedFastMCP(FastMCP)` overriding `.tool()` is still one)?
fn is_fastmcp_instance(view: &View, server: Symbol) -> bool {
    let Symbol::Binding(g, j) = server else {
        return false;
    };
    let Value::Call(call) = &view.units[g].facts.bindings[j].value.value else {
        return false;
    };
    class_of(view, g, &call.callee).is_some_and(|at| inherits(view, at, &["FastMCP", "MCPServer"]))
}

/// A tool-name prefix, not a URL path (`/static`).
fn is_prefix(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The prefixes a server's tools are exposed under: one per chain of mounts
/// up to a root server (`a_b_` for `main.mount(sub, "a")` and
/// `sub.mount(server, "b")`); `""` for a server that is not mounted.
///
/// Mounts are followed however deep; `path` holds the servers of the chain
/// being composed, so that servers that mount each other end the chain
/// where it comes back (the walk is linear in the prefixes it returns).
fn prefixes_of(mounts: &[Mount], server: Symbol, path: &mut Vec<Symbol>) -> Vec<String> {
    let own: Vec<&Mount> = mounts.iter().filter(|m| m.sub == server).collect();
    if own.is_empty() || path.contains(&server) {
        return vec![String::new()];
    }
    path.push(server);
    let mut out = Vec::new();
    for mount in own {
        let outer = match mount.parent {
            Some(parent) if parent != server => prefixes_of(mounts, parent, path),
            _ => vec![String::new()],
        };
        let inner = mount
            .prefix
            .as_ref()
            .map(|p| format!("{p}_"))
            .unwrap_or_default();
        for o in outer {
            let name = format!("{o}{inner}");
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    path.pop();
    out
}

/// `mcp.add_tool(search)` with `search` imported from a module of the
/// project: the tool's handler is that function.
pub fn imported_handlers(view: &View) -> Vec<Edit> {
    let mut edits = Vec::new();
    for (f, unit) in view.units.iter().enumerate() {
        if !is_python(view, f) {
            continue;
        }
        let facts = unit.facts;
        for (t, tool) in facts.tools.iter().enumerate() {
            if tool.handler.is_some() || tool.link.is_some() {
                continue;
            }
            let Some((module, name)) = tool
                .handler_import
                .as_deref()
                .and_then(|i| i.split_once('#'))
            else {
                continue;
            };
            let local = facts
                .imports
                .iter()
                .find(|i| i.module == module && i.name.as_deref() == Some(name))
                .map(|i| i.local.as_str())
                .unwrap_or(name);
            if let Some((file, function)) = view.function(f, local) {
                edits.push(Edit::Link {
                    file: f,
                    tool: t,
                    link: HandlerLink {
                        file,
                        function,
                        branch: None,
                    },
                });
            }
        }
    }
    edits
}

/// The tools of `Tool(name=…)` listings whose name only the project
/// resolves (`self.name`, an imported constant or enum member), each with
/// its file. A listing inside a class is that class's tool, handled by its
/// work method (its own or inherited). The dispatch pass links the others
/// and adds them all (see `python_dispatch`).
pub fn listed_tools(view: &View) -> Vec<(usize, ToolDef)> {
    let mut out = Vec::new();
    for (f, unit) in view.units.iter().enumerate() {
        if !is_python(view, f) {
            continue;
        }
        let facts = unit.facts;
        for &(at, conditional) in &facts.python.listings {
            let Some(call) = facts.calls.iter().find(|c| c.span == at) else {
                continue;
            };
            let Some(name) = call.keyword("name").and_then(|e| e.name()) else {
                continue;
            };
            let at = facts
                .python
                .classes
                .iter()
                .enumerate()
                .filter(|(_, c)| c.span.start <= call.span.start && call.span.end <= c.span.end)
                .min_by_key(|(_, c)| c.span.len())
                .map(|(k, _)| (f, k));
            let resolved = match (name.strip_prefix("self."), at) {
                (Some(attr), Some(at)) => attribute_string(view, at, attr, 0),
                (Some(_), None) => None,
                (None, _) => call.keyword("name").and_then(|e| value_string(view, f, e)),
            };
            let Some(named) = resolved else {
                continue;
            };
            // The name's literal, or the expression in this file naming it.
            let (name_span, literal) = if named.file == f {
                (named.span, named.literal)
            } else {
                (
                    call.keyword("name").map(|e| e.span).unwrap_or(call.span),
                    false,
                )
            };
            let mut tool = listed_tool_named(facts, call, named.value, name_span, literal);
            tool.conditional = conditional;
            if let Some(at) = at
                && let Some((file, function)) = work_method(view, at, 0)
            {
                if file == f {
                    tool.handler = Some(function);
                } else {
                    tool.link = Some(HandlerLink {
                        file,
                        function,
                        branch: None,
                    });
                }
            }
            out.push((f, tool));
        }
    }
    out
}

/// Handler classes whose listing names its tool with a literal: the tool
/// of a class that lists only it is handled by the class's work method.
pub fn handler_classes(view: &View) -> Vec<Edit> {
    let mut edits = Vec::new();
    for (f, unit) in view.units.iter().enumerate() {
        if !is_python(view, f) {
            continue;
        }
        let facts = unit.facts;
        for (t, tool) in facts.tools.iter().enumerate() {
            if tool.kind != EntryKind::Tool || tool.handler.is_some() || tool.link.is_some() {
                continue;
            }
            let Some(k) = innermost_class(facts, tool.span) else {
                continue;
            };
            let class_span = facts.python.classes[k].span;
            let listed = facts
                .tools
                .iter()
                .filter(|o| within(class_span, o.span))
                .count()
                + facts
                    .python
                    .listings
                    .iter()
                    .filter(|(call, _)| within(class_span, *call))
                    .count();
            if listed != 1 {
                continue;
            }
            if let Some((file, function)) = work_method(view, (f, k), 0) {
                edits.push(Edit::Link {
                    file: f,
                    tool: t,
                    link: HandlerLink {
                        file,
                        function,
                        branch: None,
                    },
                });
            }
        }
    }
    edits
}

fn innermost_class(facts: &FileFacts, span: Span) -> Option<usize> {
    facts
        .python
        .classes
        .iter()
        .enumerate()
        .filter(|(_, c)| within(c.span, span))
        .min_by_key(|(_, c)| c.span.len())
        .map(|(k, _)| k)
}

/// The string attribute `attr` of instances of class `at` holds: a class
/// attribute (`name = "x"`, `name = TOOL_X`), an assignment in a method
/// (`self.name = "x"`), or — when the base's `__init__` stores one of its
/// parameters (`self.name = tool_name`) — the argument the class gives to
/// `super().__init__(…)`.
fn attribute_string(view: &View, at: (usize, usize), attr: &str, depth: usize) -> Option<Named> {
    if depth > 6 {
        return None;
    }
    let (file, _) = at;
    let c = class(view, at)?;
    let facts = view.units[file].facts;
    let methods: Vec<Span> = c
        .methods
        .iter()
        .filter_map(|&m| facts.functions.get(m).map(|f| f.span))
        .collect();
    let own = |b: &&crate::facts::Binding| {
        within(c.span, b.span)
            && innermost_class(facts, b.span).map(|k| &facts.python.classes[k]) == Some(c)
    };
    // `name = "x"` in the class body.
    for binding in facts.bindings.iter().filter(own) {
        if binding.name == attr
            && !methods.iter().any(|m| within(*m, binding.span))
            && let Some(found) = value_string(view, file, &binding.value)
        {
            return Some(found);
        }
    }
    // `self.name = …` in a method.
    let target = format!("self.{attr}");
    for binding in facts.bindings.iter().filter(own) {
        if binding.name != target {
            continue;
        }
        if let Some(found) = value_string(view, file, &binding.value) {
            return Some(found);
        }
    }
    // Inherited: the base stores it, from its `__init__` parameters or a
    // class attribute of its own.
    for base in &c.bases {
        let Some(base_at) = class_of(view, file, base) else {
            continue;
        };
        if let Some(found) = attribute_string(view, base_at, attr, depth + 1) {
            return Some(found);
        }
        if let Some(found) = super_argument(view, at, base_at, attr) {
            return Some(found);
        }
    }
    None
}

/// The string a class passes to its base's `__init__` for the parameter
/// the base stores in `self.<attr>`.
fn super_argument(
    view: &View,
    at: (usize, usize),
    base_at: (usize, usize),
    attr: &str,
) -> Option<Named> {
    let base = class(view, base_at)?;
    let base_facts = view.units[base_at.0].facts;
    let init = base
        .methods
        .iter()
        .filter_map(|&m| base_facts.functions.get(m))
        .find(|f| f.name.as_deref() == Some("__init__"))?;
    let target = format!("self.{attr}");
    let stored = base_facts
        .bindings
        .iter()
        .filter(|b| within(init.span, b.span) && b.name == target)
        .find_map(|b| b.value.name())?;
    let index = init.params.iter().position(|p| p == stored)?;
    // The class's own `super().__init__(…)` / `Base.__init__(self, …)`.
    let c = class(view, at)?;
    let facts = view.units[at.0].facts;
    let own_init = c
        .methods
        .iter()
        .filter_map(|&m| facts.functions.get(m))
        .find(|f| f.name.as_deref() == Some("__init__"))?;
    let call = facts.calls.iter().find(|call| {
        within(own_init.span, call.span)
            && call.method() == "__init__"
            && (call.callee == "<expr>.__init__"
                || c.bases
                    .iter()
                    .any(|b| call.callee == format!("{b}.__init__")))
    })?;
    let skip = usize::from(call.callee != "<expr>.__init__");
    let arg = call
        .keyword(stored)
        .or_else(|| call.positional().nth(index + skip))?;
    value_string(view, at.0, arg)
}

/// A tool name the project resolved, and where it is written.
struct Named {
    value: String,
    /// The file of `span`.
    file: usize,
    /// The literal, or the expression naming a literal of another module.
    span: Span,
    literal: bool,
}

/// The string an expression of file `file` stands for: a literal, or a
/// constant of this module (its literal) or of another (the expression).
fn value_string(view: &View, file: usize, expr: &crate::facts::Expr) -> Option<Named> {
    match &expr.value {
        Value::Str(s) => Some(Named {
            value: s.clone(),
            file,
            span: expr.span,
            literal: true,
        }),
        Value::Name(n) if !n.starts_with("self.") => {
            let (value, at, span) = string_of(view, file, n)?;
            Some(if at == file {
                Named {
                    value,
                    file,
                    span,
                    literal: true,
                }
            } else {
                Named {
                    value,
                    file,
                    span: expr.span,
                    literal: false,
                }
            })
        }
        _ => None,
    }
}

/// The method a handler class does its work in: its own, else its bases'.
fn work_method(view: &View, at: (usize, usize), depth: usize) -> Option<(usize, usize)> {
    if depth > 6 {
        return None;
    }
    let c = class(view, at)?;
    let facts = view.units[at.0].facts;
    for wanted in WORK_METHODS {
        if let Some(&m) = c
            .methods
            .iter()
            .find(|&&m| facts.functions.get(m).and_then(|f| f.name.as_deref()) == Some(wanted))
        {
            return Some((at.0, m));
        }
    }
    c.bases
        .iter()
        .filter_map(|b| class_of(view, at.0, b))
        .find_map(|base| work_method(view, base, depth + 1))
}

#[cfg(test)]
pub(super) mod tests {
    use std::path::PathBuf;

    use crate::facts::{FileFacts, Language};
    use crate::project::{Unit, apply, edits};

    /// Lowers the files of a small project (paths under a fake root), runs
    /// the passes and applies their edits: (path, facts) of each file.
    pub fn project(files: &[(&str, &str)]) -> Vec<(PathBuf, FileFacts)> {
        let root = PathBuf::from("/tmp/mcplint-project-test");
        let mut lowered: Vec<(PathBuf, FileFacts)> = files
            .iter()
            .map(|(path, text)| {
                let path = root.join(path);
                let facts = crate::frontend::lower(Language::Python, &path, text).unwrap();
                (path, facts)
            })
            .collect();
        let found = edits(
            lowered
                .iter()
                .zip(files)
                .map(|((path, facts), (_, text))| Unit::new(path, text, facts))
                .collect(),
        );
        let mut facts: Vec<&mut FileFacts> = lowered.iter_mut().map(|(_, f)| f).collect();
        apply(found, &mut facts);
        lowered
    }

    /// The tools of the project: (file name, tool name, handler function name).
    pub fn tools(files: &[(&str, &str)]) -> Vec<(String, String, Option<String>)> {
        let lowered = project(files);
        let mut out = Vec::new();
        for (path, facts) in &lowered {
            for tool in &facts.tools {
                let handler = match (tool.link, tool.handler) {
                    (Some(link), _) => lowered[link.file].1.functions[link.function].name.clone(),
                    (None, Some(h)) => facts.functions[h].name.clone(),
                    _ => None,
                };
                let name = path.file_name().unwrap().to_string_lossy().to_string();
                out.push((name, tool.name.clone(), handler));
            }
        }
        out.sort();
        out
    }

    fn t(file: &str, name: &str, handler: &str) -> (String, String, Option<String>) {
        (file.into(), name.into(), Some(handler.into()))
    }

    const SUB: &str = r#"
from fastmcp import FastMCP

jira = FastMCP("Jira")

@jira.tool()
def get_issue(key: str) -> str:
    return key

@jira.tool(name="search")
def search_issues(jql: str) -> str:
    return jql
"#;

    #[test]
    fn mounted_tools_get_the_prefix_of_each_mount() {
        let main = r#"
from fastmcp import FastMCP
from app.jira import jira

main = FastMCP("main")
main.mount(jira, prefix="jira")
"#;
        let found = tools(&[("app/jira.py", SUB), ("app/main.py", main)]);
        assert_eq!(
            found,
            vec![
                t("jira.py", "jira_get_issue", "get_issue"),
                t("jira.py", "jira_search", "search_issues"),
            ]
        );
        // fastmcp 3 `namespace=`, the old `mount(prefix, server)`, and
        // a sub-server mounted twice.
        let main = r#"
from fastmcp import FastMCP
from app.jira import jira

main = FastMCP("main")
main.mount(jira, namespace="atl")
main.mount("old", jira)
"#;
        let names: Vec<String> = tools(&[("app/jira.py", SUB), ("app/main.py", main)])
            .into_iter()
            .map(|(_, n, _)| n)
            .collect();
        assert_eq!(
            names,
            ["atl_get_issue", "atl_search", "old_get_issue", "old_search"]
        );
    }

    #[test]
    fn nested_mounts_compose_and_url_mounts_are_not_prefixes() {
        let main = r#"
from fastmcp import FastMCP
from starlette.applications import Starlette
from app.jira import jira

tracker = FastMCP("tracker")
tracker.mount(jira, prefix="jira")
main = FastMCP("main")
main.mount(tracker, prefix="work")
api = Starlette()
web = Starlette()
web.mount("/api", api)
"#;
        let names: Vec<String> = tools(&[("app/jira.py", SUB), ("app/main.py", main)])
            .into_iter()
            .map(|(_, n, _)| n)
            .collect();
        assert_eq!(names, ["work_jira_get_issue", "work_jira_search"]);
    }

    #[test]
    fn handler_classes_take_their_name_from_super_init_and_work_in_run_tool() {
        let names = r#"TOOL_LIST = "list_files"
"#;
        let tools_py = r#"
from mcp.types import Tool
from .names import TOOL_LIST

class ToolHandler:
    def __init__(self, tool_name: str):
        self.name = tool_name

    def run_tool(self, args: dict):
        raise NotImplementedError

class ListFiles(ToolHandler):
    def __init__(self):
        super().__init__(TOOL_LIST)

    def get_tool_description(self):
        return Tool(name=self.name, description="List files.", inputSchema={"type": "object"})

    def run_tool(self, args: dict):
        return []

class ReadFile(ToolHandler):
    def __init__(self):
        super().__init__("read_file")

    def get_tool_description(self):
        return Tool(name=self.name, description="Read a file.", inputSchema={"type": "object"})

    def execute(self, args: dict):
        return []

class Stat:
    name = "stat_file"

    def describe(self):
        return Tool(name=self.name, description="Stat a file.", inputSchema={"type": "object"})

    def handle(self, args: dict):
        return []
"#;
        let found = tools(&[("pkg/names.py", names), ("pkg/tools.py", tools_py)]);
        assert_eq!(
            found,
            vec![
                t("tools.py", "list_files", "run_tool"),
                t("tools.py", "read_file", "execute"),
                t("tools.py", "stat_file", "handle"),
            ]
        );
    }

    #[test]
    fn a_project_subclass_of_fastmcp_is_a_server_and_an_agent_is_not() {
        let base = r#"
from fastmcp import FastMCP

class AuditedFastMCP(FastMCP):
    def tool(self, *args, **kwargs):
        return super().tool(*args, **kwargs)
"#;
        let docs = r#"
from app.base import AuditedFastMCP
from pydantic_ai import Agent

docs = AuditedFastMCP("docs")
agent = Agent("openai:gpt-4o")

@docs.tool()
def find(phrase: str) -> str:
    return phrase

@agent.tool
def lookup(ctx, city: str) -> str:
    return city
"#;
        let main = r#"
from fastmcp import FastMCP
from app.docs import docs

main = FastMCP("main")
main.mount(docs, prefix="docs")
"#;
        let found = tools(&[
            ("app/base.py", base),
            ("app/docs.py", docs),
            ("app/main.py", main),
        ]);
        assert_eq!(found, vec![t("docs.py", "docs_find", "find")]);
    }

    #[test]
    fn another_frameworks_tool_class_is_not_a_tool() {
        let agent = r#"
from langchain_core.tools import Tool
from mcp import ClientSession

class Weather:
    def __init__(self):
        self.name = "weather"

    def as_tool(self):
        return Tool(name=self.name, description="Weather.", func=self.run)

    def run(self, query: str) -> str:
        return query
"#;
        assert!(tools(&[("agent/tools.py", agent)]).is_empty());
    }
}
