//! Dispatch linking for TypeScript/JavaScript low-level servers: the
//! call-tool handler given to `setRequestHandler(CallToolRequestSchema, …)`
//! hands the tool name to a function — often in another module — that
//! switches on it (`case "read_file": return handleReadFile(args)`, `case
//! TOOLS.READ:`, `if (name === …)`) or looks it up in a map of handlers
//! (`handlers[name](args)`). Each branch whose label is a tool's name links
//! that tool to the project function the branch hands the arguments to,
//! resolved across modules (imports, barrels, namespace imports, tool
//! objects' `handler` members, methods of tool classes instantiated there).

use std::collections::HashMap;

use super::{Edit, Symbol, View};
use crate::facts::{EntryKind, Expr, FileFacts, HandlerLink, Language, Value};
use crate::finding::Span;

/// At most this many functions are searched for dispatch branches, nearest
/// first (breadth-first from the call-tool handler, with a visited set, at
/// any depth: handler → wrapper → middleware → dispatch function).
const MAX_FUNCTIONS: usize = 256;

/// The note when a dispatch function reaches more functions.
const FUNCTIONS_LIMIT: &str =
    "a tool dispatch is followed into 256 functions and this one reaches more";

type FnRef = (usize, usize);

fn is_ts(facts: &FileFacts) -> bool {
    matches!(
        facts.language,
        Language::TypeScript | Language::Tsx | Language::JavaScript
    )
}

/// The pass: a link for every listed tool whose handler a dispatch branch
/// (or a handler map) reached from a call-tool handler names.
pub fn link(view: &View) -> Vec<Edit> {
    let tools = unlinked_tools(view);
    if tools.is_empty() {
        return Vec::new();
    }
    let mut chosen: HashMap<(usize, usize), (HandlerLink, bool)> = HashMap::new();
    for (root_file, roots) in roots(view) {
        // Per tool name, the first branch found, unless a later one hands
        // the arguments on where it only calls a helper (`if (name ===
        // "close") { reset(); … }` before `case "close": return
        // closeTool.execute(args)`).
        let mut links: HashMap<&str, (HandlerLink, bool)> = HashMap::new();
        for function in reachable(view, &roots) {
            for (name, (target, receives), branch) in dispatch_in(view, function)
                .into_iter()
                .chain(handler_maps(view, function))
            {
                let Some((key, _)) = tools.get_key_value(name.as_str()) else {
                    continue;
                };
                let link = HandlerLink {
                    file: target.0,
                    function: target.1,
                    branch: Some(branch),
                };
                prefer(&mut links, key.as_str(), (link, receives));
            }
        }
        for (name, found) in links {
            for tool in served(view, root_file, &tools[name]) {
                prefer(&mut chosen, tool, found);
            }
        }
    }
    let mut edits: Vec<Edit> = chosen
        .into_iter()
        .map(|((file, tool), (link, _))| Edit::Link { file, tool, link })
        .collect();
    edits.sort_by_key(|e| match e {
        Edit::Link { file, tool, .. } => (*file, *tool),
        _ => (usize::MAX, usize::MAX),
    });
    edits
}

/// Keeps the first link found for a key unless the new one hands the
/// arguments on and the kept one does not.
fn prefer<K: std::hash::Hash + Eq>(
    links: &mut HashMap<K, (HandlerLink, bool)>,
    key: K,
    found: (HandlerLink, bool),
) {
    match links.get(&key) {
        Some((_, true)) => {}
        Some((_, false)) if !found.1 => {}
        _ => {
            links.insert(key, found);
        }
    }
}

/// Of the tools named like a branch, those the call-tool handler of file
/// `root` serves: the ones listed in its own file, else the ones nearest
/// it in the tree (two servers of a monorepo both have a `search`).
fn served(view: &View, root: usize, tools: &[(usize, usize)]) -> Vec<(usize, usize)> {
    if tools.iter().any(|(f, _)| *f == root) {
        return tools.iter().filter(|(f, _)| *f == root).copied().collect();
    }
    let shared = |f: usize| {
        view.units[f]
            .path
            .components()
            .zip(view.units[root].path.components())
            .take_while(|(a, b)| a == b)
            .count()
    };
    let best = tools.iter().map(|(f, _)| shared(*f)).max().unwrap_or(0);
    tools
        .iter()
        .filter(|(f, _)| shared(*f) == best)
        .copied()
        .collect()
}

/// Tools of TypeScript/JavaScript files with no handler of their own, or
/// only a dispatch branch of their own file (which the function it calls
/// replaces), by name.
fn unlinked_tools(view: &View) -> HashMap<String, Vec<(usize, usize)>> {
    let mut out: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
    for (i, unit) in view.units.iter().enumerate() {
        let facts = unit.facts;
        if !is_ts(facts) {
            continue;
        }
        for (t, tool) in facts.tools.iter().enumerate() {
            if tool.kind != EntryKind::Tool || tool.dynamic_name || tool.link.is_some() {
                continue;
            }
            let own_branch = tool.handler.is_some_and(|h| is_branch_function(facts, h));
            if tool.handler.is_none() || own_branch {
                out.entry(tool.name.clone()).or_default().push((i, t));
            }
        }
    }
    out
}

/// Is function `h` a dispatch branch the frontend made a function of
/// (`FileFacts::link_dispatch_handlers`)?
fn is_branch_function(facts: &FileFacts, h: usize) -> bool {
    facts.functions.get(h).is_some_and(|f| {
        facts
            .dispatch
            .iter()
            .any(|(name, span)| *span == f.span && f.name.as_deref() == Some(name))
    })
}

/// Does the file register a call-tool handler? Its facts are kept, and the
/// modules it imports followed, for the dispatch they lead to.
pub fn serves_tool_calls(facts: &FileFacts) -> bool {
    is_ts(facts)
        && facts
            .calls
            .iter()
            .any(|call| call_tool_handler(call).is_some())
}

/// `setRequestHandler(CallToolRequestSchema, handler)` → `handler`.
fn call_tool_handler(call: &crate::facts::Call) -> Option<&Expr> {
    if call.method() != "setRequestHandler" {
        return None;
    }
    let mut args = call.positional();
    let schema = args.next().and_then(Expr::name)?;
    if schema.rsplit('.').next() != Some("CallToolRequestSchema") {
        return None;
    }
    args.next()
}

/// The functions given as call-tool handlers: every function written
/// inside the handler argument (`wrap(async (req) => …)`) and the project
/// functions it names (`handleCallTool`, `this.onCall.bind(this)`).
fn roots(view: &View) -> Vec<(usize, Vec<FnRef>)> {
    let mut out = Vec::new();
    for (i, unit) in view.units.iter().enumerate() {
        let facts = unit.facts;
        if !is_ts(facts) {
            continue;
        }
        for call in &facts.calls {
            let Some(handler) = call_tool_handler(call) else {
                continue;
            };
            let mut found: Vec<FnRef> = Vec::new();
            for (j, f) in facts.functions.iter().enumerate() {
                if handler.span.start <= f.span.start && f.span.end <= handler.span.end {
                    found.push((i, j));
                }
            }
            for name in names_in(handler) {
                found.extend(view.function(i, name));
            }
            out.push((i, found));
        }
    }
    out
}

/// The plain and dotted names an expression mentions, outside nested calls'
/// callees (`wrap(handler)`, `handler.bind(this)` → `handler`).
fn names_in(expr: &Expr) -> Vec<&str> {
    let mut out = Vec::new();
    let mut stack = vec![expr];
    while let Some(current) = stack.pop() {
        if out.len() > 32 {
            break;
        }
        match &current.value {
            Value::Name(name) => out.push(name.as_str()),
            Value::Call(call) if call.method() == "bind" => {
                if let Some(receiver) = call.receiver() {
                    out.push(receiver);
                }
            }
            _ => stack.extend(current.children()),
        }
    }
    out
}

/// The functions the roots lead to: the project functions they call, and
/// the functions handed to the wrappers they call (`const wrapped =
/// middleware.wrap(handleToolCall)`, then `wrapped(name, args)`).
fn reachable(view: &View, roots: &[FnRef]) -> Vec<FnRef> {
    let mut seen: Vec<FnRef> = Vec::new();
    let mut visited: std::collections::HashSet<FnRef> = std::collections::HashSet::new();
    let mut frontier: Vec<FnRef> = roots.to_vec();
    while !frontier.is_empty() {
        let mut next = Vec::new();
        for function in frontier {
            if !visited.insert(function) {
                continue;
            }
            if seen.len() >= MAX_FUNCTIONS {
                // Once per dispatch, at the call-tool handler it starts from.
                if let Some(&(file, index)) = roots.first() {
                    let span = view.units[file].facts.functions.get(index).map(|f| f.span);
                    view.note_limit(file, span.unwrap_or_default(), FUNCTIONS_LIMIT);
                }
                return seen;
            }
            seen.push(function);
            let (file, index) = function;
            let facts = view.units[file].facts;
            let Some(span) = facts.functions.get(index).map(|f| f.span) else {
                continue;
            };
            for call in calls_in(facts, span) {
                if let Some(found) = view.function(file, &call.callee) {
                    next.push(found);
                    continue;
                }
                // A name bound to a wrapper's result: the functions it wraps.
                if let Some(Symbol::Binding(bf, bj)) = view.resolve(file, &call.callee)
                    && let Value::Call(wrapper) = &view.units[bf].facts.bindings[bj].value.value
                {
                    for arg in wrapper.positional() {
                        for name in names_in(arg) {
                            next.extend(view.function(bf, name));
                        }
                    }
                }
                // A function handed to a call: `runInContext(() => handle(req))`
                // is inside the span already; `schedule(handleToolCall)` is not.
                for arg in call.positional() {
                    if let Some(name) = arg.name() {
                        next.extend(view.function(file, name));
                    }
                }
            }
        }
        frontier = next;
    }
    seen
}

/// The calls whose span lies inside `span` (facts keep calls sorted by start).
fn calls_in(facts: &FileFacts, span: Span) -> impl Iterator<Item = &crate::facts::Call> {
    let first = facts.calls.partition_point(|c| c.span.start < span.start);
    facts.calls[first..]
        .iter()
        .take_while(move |c| c.span.start < span.end)
        .filter(move |c| c.span.end <= span.end)
}

/// A branch's handler and whether the tool's arguments are handed to it.
type Target = (FnRef, bool);

/// The dispatch branches of a function: (tool name, handler, branch).
fn dispatch_in(view: &View, (file, index): FnRef) -> Vec<(String, Target, (usize, Span))> {
    let unit = &view.units[file];
    let facts = unit.facts;
    let Some(span) = facts.functions.get(index).map(|f| f.span) else {
        return Vec::new();
    };
    let inside = |s: &Span| span.start <= s.start && s.end <= span.end;
    let mut labelled: Vec<(String, Span)> = facts
        .dispatch
        .iter()
        .filter(|(_, s)| inside(s) && !negated_test(unit.text, facts, *s))
        .cloned()
        .collect();
    for (label, s) in facts.dispatch_labels.iter().filter(|(_, s)| inside(s)) {
        if let Some(name) = string_of(view, file, label) {
            labelled.push((name, *s));
        }
    }
    labelled
        .into_iter()
        .filter_map(|(name, s)| Some((name, branch_target(view, file, s)?, (file, s))))
        .collect()
}

/// `if (name !== "x") {…}`: the branch runs for every tool but `x`.
fn negated_test(text: &str, facts: &FileFacts, branch: Span) -> bool {
    facts.comparisons.iter().any(|c| {
        matches!(c.op.as_str(), "!=" | "!==")
            && c.span.end <= branch.start
            && text
                .get(c.span.end..branch.start)
                .is_some_and(|gap| gap.chars().all(|ch| ch.is_whitespace() || ch == ')'))
    })
}

/// The string a label names: a constant, a member of a constant object or
/// enum (`TOOLS.READ`, `ToolName.Read`), a tool object's `name`
/// (`readTool.name`), in this file or imported.
fn string_of(view: &View, file: usize, label: &str) -> Option<String> {
    let facts = view.units[file].facts;
    let segments: Vec<&str> = label.split('.').collect();
    // Longest bound prefix first: `ToolName.Read` may be bound as a whole.
    for cut in (1..=segments.len()).rev() {
        let head = segments[..cut].join(".");
        let value = match view.resolve(file, &head) {
            Some(Symbol::Binding(f, j)) => &view.units[f].facts.bindings[j].value,
            _ => match facts.resolve(&head) {
                Some(binding) => &binding.value,
                None => continue,
            },
        };
        let mut current = value;
        for key in &segments[cut..] {
            current = object_of(current)?.get(key)?;
        }
        return current.str_value().map(str::to_string);
    }
    None
}

/// An object literal, through `{…} as const` and `Object.freeze({…})`.
fn object_of(expr: &Expr) -> Option<&Expr> {
    match &expr.value {
        Value::Object(_) => Some(expr),
        Value::Call(call) => call
            .positional()
            .find(|a| matches!(a.value, Value::Object(_))),
        _ => None,
    }
}

/// The project function a dispatch branch hands the tool's arguments to:
/// of the calls in the branch that reach a project function, the first
/// that receives a value directly (`handleX(args)`), else the first that
/// takes no call's result (`getConfig()`). A wrapper around another call
/// (`withTimeout(handleX(args))`) is never the handler: the work is in
/// what it wraps.
fn branch_target(view: &View, file: usize, branch: Span) -> Option<Target> {
    let facts = view.units[file].facts;
    let mut first = None;
    for call in calls_in(facts, branch) {
        if call.positional().any(wraps_call) {
            continue;
        }
        if !is_result(view.units[file].text, facts, branch, call.span) {
            continue;
        }
        let Some(found) = callee_function(view, file, &call.callee) else {
            continue;
        };
        if call.positional().any(passes_value) {
            return Some((found, true));
        }
        first.get_or_insert((found, false));
    }
    first
}

/// Is the call what the branch answers with: inside the value it returns
/// or assigns to a variable declared outside the branch (`result = await
/// handleX(args); break;`)? A helper whose result the branch keeps for its
/// own work (`const valid = await validatePath(args.path)`) is not the
/// handler: the branch is.
fn is_result(text: &str, facts: &FileFacts, branch: Span, call: Span) -> bool {
    let first = facts
        .statements
        .partition_point(|s| s.span().start < branch.start);
    facts.statements[first..]
        .iter()
        .take_while(|s| s.span().start < branch.end)
        .any(|stmt| match stmt {
            crate::facts::Stmt::Return { value, .. } => {
                value.span.start <= call.start && call.end <= value.span.end
            }
            crate::facts::Stmt::Assign { value, span, .. } => {
                let before = text.get(..span.start).unwrap_or("").trim_end();
                let declared = ["const", "let", "var", ","]
                    .iter()
                    .any(|k| before.ends_with(k));
                !declared && value.span.start <= call.start && call.end <= value.span.end
            }
            _ => false,
        })
}

/// An argument that is another call's result (`await` and casts aside).
fn wraps_call(arg: &Expr) -> bool {
    match &arg.value {
        Value::Call(_) => true,
        Value::Op(op, operands) if matches!(op.as_str(), "await" | "as" | "!") => {
            operands.first().is_some_and(wraps_call)
        }
        _ => false,
    }
}

/// An argument that is a value (a name, a member, `args ?? {}`, `{ path,
/// ...rest }`), not a call or a message built for a log.
fn passes_value(arg: &Expr) -> bool {
    match &arg.value {
        Value::Name(_) | Value::Member(..) => true,
        Value::Object(pairs) => pairs.iter().any(|(_, v)| passes_value(v)),
        Value::Op(op, operands) if matches!(op.as_str(), "??" | "||" | "as" | "!" | "...") => {
            operands.first().is_some_and(passes_value)
        }
        _ => false,
    }
}

/// The project function a callee names: a function (through imports,
/// barrels and namespace imports), a tool object's member (`readTool.handler`,
/// `tools.read.execute`) or a method of the class an instance was made
/// from (`navigationTool.execute` after `navigationTool = new NavigationTool()`).
pub fn callee_function(view: &View, file: usize, callee: &str) -> Option<FnRef> {
    if let Some(found) = view.function(file, callee) {
        return Some(found);
    }
    let (head, member) = callee.rsplit_once('.')?;
    let (bf, value) = match view.resolve(file, head) {
        Some(Symbol::Binding(f, j)) => (f, &view.units[f].facts.bindings[j].value),
        _ => {
            let binding = view.units[file].facts.resolve(head)?;
            (file, &binding.value)
        }
    };
    if let Some(object) = object_of(value) {
        let member_value = object.get(member)?;
        return function_value(view, bf, member_value);
    }
    // `new ToolClass(…)` (a call whose callee names a class).
    if let Value::Call(call) = &value.value {
        return method_of(view, bf, &call.callee, member);
    }
    None
}

/// The function a value is: a function literal, or a name of one.
fn function_value(view: &View, file: usize, value: &Expr) -> Option<FnRef> {
    match &value.value {
        Value::Function => view.units[file]
            .facts
            .functions
            .iter()
            .position(|f| f.span == value.span)
            .map(|j| (file, j)),
        Value::Name(name) => view.function(file, name),
        _ => None,
    }
}

/// Method `method` of the class `class` names in file `file`: the function
/// of that name inside the class's declaration.
fn method_of(view: &View, file: usize, class: &str, method: &str) -> Option<FnRef> {
    let Some(Symbol::Binding(f, j)) = view.resolve(file, class) else {
        return None;
    };
    let facts = view.units[f].facts;
    let class_span = facts.bindings[j].value.span;
    if !matches!(facts.bindings[j].value.value, Value::Other) {
        return None;
    }
    facts
        .functions
        .iter()
        .enumerate()
        .filter(|(_, func)| {
            func.name.as_deref() == Some(method)
                && class_span.start <= func.span.start
                && func.span.end <= class_span.end
        })
        .min_by_key(|(_, func)| func.span.start)
        .map(|(k, _)| (f, k))
}

/// `const handlers = { read_file: handleReadFile, … }` looked up with
/// `handlers[name]` in the function: each key a tool, its value the handler.
fn handler_maps(view: &View, (file, index): FnRef) -> Vec<(String, Target, (usize, Span))> {
    let unit = &view.units[file];
    let Some(span) = unit.facts.functions.get(index).map(|f| f.span) else {
        return Vec::new();
    };
    let body = unit.text.get(span.start..span.end).unwrap_or("");
    let mut out = Vec::new();
    for map in lookups(body) {
        let (mf, value) = match view.resolve(file, map) {
            Some(Symbol::Binding(f, j)) => (f, &view.units[f].facts.bindings[j].value),
            _ => match unit.facts.resolve(map) {
                Some(binding) => (file, &binding.value),
                None => continue,
            },
        };
        let Value::Object(pairs) = &value.value else {
            continue;
        };
        for (key, entry) in pairs {
            // `[ToolName.Read]: handleRead`
            let key = match key.strip_prefix('[').and_then(|k| k.strip_suffix(']')) {
                Some(label) => match string_of(view, mf, label.trim()) {
                    Some(name) => name,
                    None => continue,
                },
                None => key.clone(),
            };
            let target = function_value(view, mf, entry).or_else(|| {
                // `read_file: { schema, handler: readFile }`
                ["handler", "execute", "run", "handle", "call"]
                    .iter()
                    .find_map(|m| function_value(view, mf, object_of(entry)?.get(m)?))
            });
            if let Some(target) = target {
                out.push((key, (target, true), (mf, entry.span)));
            }
        }
    }
    out
}

/// The names indexed by a variable in a function body: `handlers[name]`,
/// `toolHandlers[request.params.name]` → `handlers`, `toolHandlers`.
fn lookups(body: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let bytes = body.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    for (at, _) in body.match_indices('[') {
        let mut start = at;
        while start > 0 && is_ident(bytes[start - 1]) {
            start -= 1;
        }
        let name = &body[start..at];
        // An index that is a name (not a literal or a number).
        let index = body[at + 1..].trim_start();
        let named_index = index
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_');
        if !name.is_empty()
            && named_index
            && !name.as_bytes()[0].is_ascii_digit()
            && (start == 0 || bytes[start - 1] != b'.')
            && !out.contains(&name)
        {
            out.push(name);
        }
        if out.len() > 16 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::FileFacts;
    use crate::project::Unit;
    use std::path::PathBuf;

    fn lowered(files: &[(&str, &str)]) -> Vec<(PathBuf, String, FileFacts)> {
        files
            .iter()
            .map(|(path, text)| {
                let path = PathBuf::from(format!("/virtual/proj/{path}"));
                let language = if path.extension().is_some_and(|e| e == "js") {
                    Language::JavaScript
                } else {
                    Language::TypeScript
                };
                let facts = crate::frontend::lower(language, &path, text).expect("parses");
                (path, text.to_string(), facts)
            })
            .collect()
    }

    /// (tool name, handler file, handler function name) of each link.
    fn links(files: &[(&str, &str)]) -> Vec<(String, String, Option<String>)> {
        let lowered = lowered(files);
        let view = View::new(
            lowered
                .iter()
                .map(|(path, text, facts)| Unit::new(path, text, facts))
                .collect(),
        );
        let mut out: Vec<(String, String, Option<String>)> = link(&view)
            .into_iter()
            .filter_map(|e| match e {
                Edit::Link { file, tool, link } => Some((
                    lowered[file].2.tools[tool].name.clone(),
                    lowered[link.file]
                        .0
                        .file_name()?
                        .to_string_lossy()
                        .to_string(),
                    lowered[link.file].2.functions[link.function].name.clone(),
                )),
                _ => None,
            })
            .collect();
        out.sort();
        out
    }

    const SERVER: &str = r#"
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { handleToolCall } from "./dispatch.js";
const server = new Server({ name: "s", version: "1" }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    { name: "read_note", description: "Read", inputSchema: { type: "object", properties: { path: { type: "string" } } } },
    { name: "list_notes", description: "List", inputSchema: { type: "object", properties: {} } },
  ],
}));
server.setRequestHandler(CallToolRequestSchema, async (request) =>
  handleToolCall(request.params.name, request.params.arguments ?? {}));
"#;

    #[test]
    fn switch_in_another_module_links_through_a_namespace_barrel() {
        let dispatch = r#"
import * as handlers from "./handlers/index.js";
import { TOOLS } from "./names.js";
export async function handleToolCall(name: string, args: any) {
  switch (name) {
    case "read_note":
      return withTimeout(handlers.readNote(args));
    case TOOLS.LIST:
      return handlers.listNotes();
  }
}
function withTimeout(p: Promise<unknown>) { return p; }
"#;
        let barrel = "export * from \"./notes.js\";\n";
        let notes = r#"
export async function readNote(args: any) { return args.path; }
export const listNotes = async () => [];
"#;
        let names = "export const TOOLS = { LIST: \"list_notes\" } as const;\n";
        let found = links(&[
            ("server.ts", SERVER),
            ("dispatch.ts", dispatch),
            ("handlers/index.ts", barrel),
            ("handlers/notes.ts", notes),
            ("names.ts", names),
        ]);
        assert_eq!(
            found,
            vec![
                (
                    "list_notes".into(),
                    "notes.ts".into(),
                    Some("listNotes".into())
                ),
                (
                    "read_note".into(),
                    "notes.ts".into(),
                    Some("readNote".into())
                ),
            ]
        );
    }

    #[test]
    fn tool_objects_classes_and_handler_maps() {
        let dispatch = r#"
import { readTool } from "./tools/read.js";
import { ListTool } from "./tools/list.js";
let listTool: ListTool;
export async function handleToolCall(name: string, args: any) {
  if (!listTool) listTool = new ListTool();
  if (name !== "read_note") { console.error("not read"); }
  switch (name) {
    case readTool.name:
      return readTool.handler(args);
    case "list_notes":
      return await listTool.execute(args);
  }
}
"#;
        let read = r#"
export const readTool = {
  name: "read_note",
  handler: async ({ path }: { path: string }) => path,
};
"#;
        let list = r#"
export class ListTool {
  async execute(args: any) { return []; }
}
"#;
        let found = links(&[
            ("server.ts", SERVER),
            ("dispatch.ts", dispatch),
            ("tools/read.ts", read),
            ("tools/list.ts", list),
        ]);
        assert_eq!(
            found,
            vec![
                (
                    "list_notes".into(),
                    "list.ts".into(),
                    Some("execute".into())
                ),
                ("read_note".into(), "read.ts".into(), None),
            ]
        );
    }

    #[test]
    fn handler_map_and_enum_labels() {
        let server = SERVER.replace(
            "handleToolCall(request.params.name, request.params.arguments ?? {})",
            "{ const h = handlers[request.params.name]; return h(request.params.arguments); }",
        );
        let server = server.replace(
            "import { handleToolCall } from \"./dispatch.js\";",
            "import { handlers } from \"./dispatch.js\";",
        );
        let dispatch = r#"
enum Names { Read = "read_note" }
async function readNote(args: any) { return args.path; }
export const handlers: Record<string, (a: any) => unknown> = {
  [Names.Read]: readNote,
  read_note: readNote,
  list_notes: async () => [],
};
"#;
        let found = links(&[("server.ts", &server), ("dispatch.ts", dispatch)]);
        assert_eq!(
            found,
            vec![
                ("list_notes".into(), "dispatch.ts".into(), None),
                (
                    "read_note".into(),
                    "dispatch.ts".into(),
                    Some("readNote".into())
                ),
            ]
        );
    }

    #[test]
    fn a_switch_not_reached_from_a_call_tool_handler_links_nothing() {
        let other = r#"
import { readNote } from "./notes.js";
export function route(name: string, args: any) {
  switch (name) { case "read_note": return readNote(args); }
}
"#;
        let notes = "export async function readNote(args: any) { return args.path; }\n";
        let server = SERVER.replace(
            "handleToolCall(request.params.name, request.params.arguments ?? {})",
            "({ content: [] })",
        );
        let found = links(&[
            ("server.ts", &server),
            ("other.ts", other),
            ("notes.ts", notes),
        ]);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn lookups_in_a_body() {
        assert_eq!(
            lookups(
                "const h = toolHandlers[name]; x[0]; a.b[c]; handlers[ request.params.name ](args)"
            ),
            vec!["toolHandlers", "handlers"]
        );
    }
}
