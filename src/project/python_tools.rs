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

use super::python_names::{class, class_of, is_python, string_of, within};
use super::{Edit, Symbol, View};

/// How many mounts deep a sub-server's prefixes are composed.
const MAX_MOUNT_DEPTH: usize = 8;

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
    if found.is_empty() {
        return Vec::new();
    }
    let mut edits = Vec::new();
    for (h, unit) in view.units.iter().enumerate() {
        if !is_python(view, h) {
            continue;
        }
        let facts = unit.facts;
        for (span, object) in &facts.python.registrations {
            let Some(server) = server_symbol(view, h, object, *span) else {
                continue;
            };
            let prefixes = prefixes_of(&found, server, 0);
            if prefixes.iter().all(String::is_empty) {
                continue;
            }
            let Some(t) = facts.tools.iter().position(|t| t.span == *span) else {
                continue;
            };
            let tool = &facts.tools[t];
            if tool.kind == EntryKind::Resource || tool.dynamic_name {
                continue;
            }
            for (k, prefix) in prefixes.iter().enumerate() {
                let name = format!("{prefix}{}", tool.name);
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
fn prefixes_of(mounts: &[Mount], server: Symbol, depth: usize) -> Vec<String> {
    let own: Vec<&Mount> = mounts.iter().filter(|m| m.sub == server).collect();
    if own.is_empty() || depth > MAX_MOUNT_DEPTH {
        return vec![String::new()];
    }
    let mut out = Vec::new();
    for mount in own {
        let outer = match mount.parent {
            Some(parent) if parent != server => prefixes_of(mounts, parent, depth + 1),
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
        for &(index, conditional) in &facts.python.listings {
            let Some(call) = facts.calls.get(index) else {
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
                (None, _) => string_of(view, f, name),
            };
            let Some((value, file, span)) = resolved else {
                continue;
            };
            let literal = file == f;
            let name_span = if literal {
                span
            } else {
                call.keyword("name").map(|e| e.span).unwrap_or(call.span)
            };
            let mut tool = listed_tool_named(facts, call, value, name_span, literal);
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
                    .filter(|(i, _)| {
                        facts
                            .calls
                            .get(*i)
                            .is_some_and(|c| within(class_span, c.span))
                    })
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
fn attribute_string(
    view: &View,
    at: (usize, usize),
    attr: &str,
    depth: usize,
) -> Option<(String, usize, Span)> {
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
) -> Option<(String, usize, Span)> {
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

/// The string an expression of file `file` stands for.
fn value_string(
    view: &View,
    file: usize,
    expr: &crate::facts::Expr,
) -> Option<(String, usize, Span)> {
    match &expr.value {
        Value::Str(s) => Some((s.clone(), file, expr.span)),
        Value::Name(n) if !n.starts_with("self.") => string_of(view, file, n),
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
