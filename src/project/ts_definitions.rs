//! TypeScript / JavaScript tools written as definition objects and served
//! by a registration fed from a collection.
//!
//! Real servers seldom write `server.registerTool("name", …, handler)` once
//! per tool. They describe each tool as an object — built by a project
//! helper (`defineTool({ name, description, inputSchema, handler })`,
//! `tool({ description, parameters, execute })` as the value of a key that
//! names the tool) or returned by a factory (`() => ({ method, description,
//! inputSchema, execute })`) — and register them all in one loop
//! (`for (const t of tools) server.registerTool(t.name, …)`), or list them
//! in a generic low-level handler (`Object.entries(tools).map(([name, t]) =>
//! ({ name, … }))`). The frontend sees the loop as one tool of dynamic name
//! and the definitions as plain objects; this pass joins them:
//!
//! - each collection-fed registration says which property of a definition
//!   is the tool's name (`t.method` → `method`; `[name, t]` of
//!   `Object.entries` → the key the definition is stored under);
//! - every definition that has that property becomes a tool of its own
//!   file, linked to its `handler` / `execute` function; the dynamic entry
//!   of the loop is dropped;
//! - a definition counts only when it is built by a function of the
//!   project (another framework's `tool()`, imported from `ai` or
//!   LangChain, does not resolve to one) or is a plain object with a
//!   description, a schema and a handler;
//! - when the registration loop filters its list and the project gates it
//!   with a list of tool names (`TOP_LEVEL_TOOLS.includes(t.name)`), only
//!   the definitions named in that list are tools.
//!
//! Registrations of a project function that ends in the SDK call
//! (`function addTool(server, name, description, handler) {
//! server.tool(name, description, handler) }`) are bound at each call site
//! by [`crate::project::ts_wrappers`].

use std::collections::{BTreeSet, HashMap};

use crate::facts::{
    EntryKind, Expr, FileFacts, HandlerLink, Language, Stmt, ToolAnnotations, ToolDef, Value,
};
use crate::finding::Span;
use crate::frontend::registration::{annotations_of, describe};
use crate::frontend::schema::{json_schema_params, zod_shape_params};

use super::{Edit, View};

/// Keys whose function value runs when the tool is called.
pub(super) const HANDLER_KEYS: &[&str] = &[
    "handler", "execute", "handle", "run", "callback", "cb", "invoke",
];

/// Keys holding a tool's input schema.
const SCHEMA_KEYS: &[&str] = &[
    "inputSchema",
    "parameters",
    "schema",
    "input_schema",
    "paramsSchema",
    "argsSchema",
    "args",
];

/// Where a registration fed from a collection takes a tool's name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum NameSource {
    /// A property of the definition: `t.name`, `t.method`.
    Field(String),
    /// The key the definition is stored under (`Object.entries(tools)`).
    Key,
}

/// A registration whose name comes from a definition: the dynamic tool the
/// frontend recorded for it (none for a low-level listing), and the name source.
#[derive(Debug, Clone)]
struct Registration {
    file: usize,
    /// Index of the dynamic tool among the file's tools.
    tool: Option<usize>,
    source: NameSource,
    /// The file it sits in filters the collection it registers.
    filtered: bool,
    /// Annotations the SDK call writes for every tool it registers.
    annotations: ToolAnnotations,
}

/// One definition object of the project.
pub(super) struct Definition<'a> {
    pub(super) file: usize,
    pub(super) object: &'a Expr,
    /// The helper call that builds it, or the object itself: what a key of
    /// an enclosing object holds.
    pub(super) anchor: Span,
    /// The key it is stored under, with the span of the stored value.
    pub(super) key: Option<String>,
    pub(super) handler: Option<(usize, usize)>,
}

pub fn pass(view: &View) -> Vec<Edit> {
    let registrations = registrations(view);
    if registrations.is_empty() {
        return Vec::new();
    }
    let definitions = definitions(view);
    if definitions.is_empty() {
        return Vec::new();
    }
    // Definitions serve the registrations of their own project: the files
    // joined to them by imports (a fixture tree or a monorepo holds several).
    let component = components(view);
    let mut sources: HashMap<usize, BTreeSet<&NameSource>> = HashMap::new();
    for r in &registrations {
        sources
            .entry(component[r.file])
            .or_default()
            .insert(&r.source);
    }
    // Each definition's tool, under the first source that names it.
    let mut tools: Vec<(usize, ToolDef)> = Vec::new();
    let mut used: BTreeSet<(usize, &NameSource)> = BTreeSet::new();
    let mut seen: BTreeSet<(usize, usize, String)> = BTreeSet::new();
    let mut edits = Vec::new();
    for def in &definitions {
        let Some(sources) = sources.get(&component[def.file]) else {
            continue;
        };
        // What the frontend took for a listed tool inside a definition (a
        // `{ name, inputSchema }` object): the definition's tool replaces
        // it, or it is not a tool when no registration reaches it.
        let facts = view.units[def.file].facts;
        for (index, tool) in facts.tools.iter().enumerate() {
            if def.object.span.start <= tool.span.start && tool.span.end <= def.object.span.end {
                edits.push(Edit::Drop {
                    file: def.file,
                    tool: index,
                });
            }
        }
        for source in sources {
            let Some(named) = name_of(view, def, source) else {
                continue;
            };
            if seen.insert((def.file, def.anchor.start, named.0.clone())) {
                used.insert((component[def.file], source));
                let mut tool = tool_of(view, def, source, named);
                if tool.annotations == ToolAnnotations::default()
                    && let Some(r) = registrations.iter().find(|r| {
                        component[r.file] == component[def.file]
                            && r.source == **source
                            && r.annotations != ToolAnnotations::default()
                    })
                {
                    tool.annotations = r.annotations.clone();
                }
                tools.push((def.file, tool));
            }
            break;
        }
    }
    // A filtered registration gated by lists of names serves those only.
    let filtered: BTreeSet<usize> = registrations
        .iter()
        .filter(|r| r.filtered)
        .map(|r| component[r.file])
        .collect();
    for project in filtered {
        let names: BTreeSet<&str> = tools
            .iter()
            .filter(|(f, _)| component[*f] == project)
            .map(|(_, t)| t.name.as_str())
            .collect();
        let gate = name_lists(view, &names, |f| component[f] == project);
        if !gate.is_empty() {
            tools.retain(|(f, t)| component[*f] != project || gate.contains(&t.name));
        }
    }
    for registration in &registrations {
        if let Some(tool) = registration.tool
            && used.contains(&(component[registration.file], &registration.source))
        {
            edits.push(Edit::Drop {
                file: registration.file,
                tool,
            });
        }
    }
    edits.extend(tools.into_iter().map(|(file, tool)| Edit::AddTool {
        file,
        tool: Box::new(tool),
    }));
    edits
}

/// The nearest directory above `path` holding a `package.json`.
fn package_root(
    path: &std::path::Path,
    cache: &mut HashMap<std::path::PathBuf, Option<std::path::PathBuf>>,
) -> Option<std::path::PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    let mut visited = Vec::new();
    let mut dir = absolute.parent();
    let mut answer = None;
    while let Some(current) = dir {
        if let Some(known) = cache.get(current) {
            answer = known.clone();
            break;
        }
        visited.push(current.to_path_buf());
        if current.join("package.json").is_file() {
            answer = Some(current.to_path_buf());
            break;
        }
        dir = current.parent();
    }
    for v in visited {
        cache.insert(v, answer.clone());
    }
    answer
}

/// The projects of the scan's script files — joined by imports or by the
/// package they belong to: `out[file]` is the group's representative.
fn components(view: &View) -> Vec<usize> {
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut parent: Vec<usize> = (0..view.units.len()).collect();
    let mut packages: HashMap<std::path::PathBuf, usize> = HashMap::new();
    let mut found: HashMap<std::path::PathBuf, Option<std::path::PathBuf>> = HashMap::new();
    for (file, unit) in view.units.iter().enumerate() {
        if !is_script(unit.facts) {
            continue;
        }
        // The files of one package are one project even where the module
        // that joins them (a barrel, a runtime helper) was not lowered.
        if let Some(package) = package_root(unit.path, &mut found) {
            let first = *packages.entry(package).or_insert(file);
            let (a, b) = (root(&mut parent, file), root(&mut parent, first));
            if a != b {
                parent[a.max(b)] = a.min(b);
            }
        }
        for import in &unit.facts.imports {
            for target in view.import_files(file, import) {
                let (a, b) = (root(&mut parent, file), root(&mut parent, target));
                if a != b {
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
    }
    (0..parent.len()).map(|i| root(&mut parent, i)).collect()
}

/// Is a file of the same project as `file`? (See [`components`].)
pub(super) fn project_of(view: &View, file: usize) -> impl Fn(usize) -> bool {
    let component = components(view);
    let own = component.get(file).copied();
    move |other| component.get(other).copied() == own
}

/// Tests build servers of their own; their definitions serve no server
/// the project ships.
fn is_test(unit: &super::Unit) -> bool {
    unit.is_test()
}

fn is_script(facts: &FileFacts) -> bool {
    matches!(
        facts.language,
        Language::TypeScript | Language::Tsx | Language::JavaScript
    )
}

/// Registrations whose tool name comes from a definition: SDK calls whose
/// name is a property of a loop variable, and low-level tool listings
/// that build `{ name, inputSchema }` from a collection.
fn registrations(view: &View) -> Vec<Registration> {
    let mut out = Vec::new();
    for (file, unit) in view.units.iter().enumerate() {
        let facts = unit.facts;
        if !is_script(facts) || is_test(unit) {
            continue;
        }
        let filtered = facts.calls.iter().any(|c| c.method() == "filter");
        for (index, tool) in facts.tools.iter().enumerate() {
            if !tool.dynamic_name || tool.kind != EntryKind::Tool {
                continue;
            }
            let Some(call) = facts
                .calls
                .iter()
                .find(|c| c.positional().next().is_some_and(|a| a.span == tool.span))
            else {
                continue;
            };
            // `this.name` of a class's own registration is not a definition's.
            let Some(name) = call
                .positional()
                .next()
                .and_then(Expr::name)
                .filter(|n| !n.starts_with("this."))
            else {
                continue;
            };
            // A parameter of a named project function: a wrapper, bound
            // at its call sites instead.
            if super::ts_wrappers::is_wrapper_parameter(facts, call.span, name) {
                continue;
            }
            // Definitions followed to this registration by their flow.
            if super::ts_collections::resolves(view, file, index) {
                continue;
            }
            out.push(Registration {
                file,
                tool: Some(index),
                source: source_of_name(facts, name, call.span),
                filtered,
                annotations: super::ts_wrappers::annotations_in(facts, call),
            });
        }
        out.extend(listings(facts).into_iter().map(|source| Registration {
            file,
            tool: None,
            source,
            filtered,
            annotations: ToolAnnotations::default(),
        }));
    }
    out
}

/// Where the name held by variable `name` at `at` comes from.
fn source_of_name(facts: &FileFacts, name: &str, at: Span) -> NameSource {
    // `t.method`, `tool.schema.name`: the path after the definition.
    if let Some((_, path)) = name.split_once('.') {
        return NameSource::Field(path.to_string());
    }
    let scope = facts.enclosing_function(at).map(|f| f.span);
    // `for (const [name, tool] of Object.entries(tools))`
    let keyed = facts.statements.iter().any(|s| match s {
        Stmt::Assign { targets, value, .. } => {
            targets.first().map(String::as_str) == Some(name) && enumerates_keys(value)
        }
        _ => false,
    });
    if keyed {
        return NameSource::Key;
    }
    // `Object.entries(tools).map(([name, tool]) => …)`, or any
    // enumeration of keys in a function around the use.
    let enumerated = facts.calls.iter().any(|c| {
        c.callee == "Object.entries"
            && facts
                .functions
                .iter()
                .filter(|f| f.span.start <= at.start && at.end <= f.span.end)
                .any(|f| f.span.start <= c.span.start && c.span.end <= f.span.end)
    });
    if enumerated || scope.is_none() && facts.calls.iter().any(|c| c.callee == "Object.entries") {
        return NameSource::Key;
    }
    // `registrations.push({ name: tool.name, … })`, then `{ name } of
    // registrations`: objects collected into a list first, any object after.
    let field_of = |object: &Expr| {
        let value = object.get(name)?;
        let (_, path) = value.name()?.split_once('.')?;
        Some(NameSource::Field(path.to_string()))
    };
    let collected = facts
        .calls
        .iter()
        .filter(|c| matches!(c.method(), "push" | "unshift" | "set" | "add"))
        .flat_map(|c| c.positional())
        .find_map(field_of);
    if let Some(found) = collected {
        return found;
    }
    let mut found = None;
    visit_objects(facts, &mut |object, _| {
        if found.is_none() {
            found = field_of(object);
        }
    });
    found.unwrap_or_else(|| NameSource::Field("name".to_string()))
}

/// `Object.entries(x)` (also `.map`/`.filter` chains on it).
fn enumerates_keys(value: &Expr) -> bool {
    match &value.value {
        Value::Call(call) => {
            call.callee == "Object.entries" || call.receiver.as_deref().is_some_and(enumerates_keys)
        }
        Value::Op(op, operands) if op == "await" => operands.iter().any(enumerates_keys),
        _ => false,
    }
}

/// Low-level `ListTools` handlers that build `{ name, inputSchema }`
/// objects from a collection: where each listing takes the names.
fn listings(facts: &FileFacts) -> Vec<NameSource> {
    let handlers: Vec<Span> = facts
        .calls
        .iter()
        .filter(|c| c.method() == "setRequestHandler")
        .filter(|c| {
            c.positional()
                .next()
                .and_then(Expr::name)
                .is_some_and(|n| n.ends_with("ListToolsRequestSchema"))
        })
        .filter_map(|c| c.positional().nth(1).map(|h| h.span))
        .collect();
    if handlers.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    visit_objects(facts, &mut |object, _| {
        let inside = handlers
            .iter()
            .any(|h| h.start <= object.span.start && object.span.end <= h.end);
        if !inside || object.get("inputSchema").is_none() {
            return;
        }
        if let Some(name) = object.get("name").and_then(Expr::name) {
            let source = source_of_name(facts, name, object.span);
            if !out.contains(&source) {
                out.push(source);
            }
        }
    });
    out
}

/// Calls `f` on every object literal of the file's values (bindings,
/// statements, call arguments) with the key it is stored under, if any, at
/// any depth (a map of definitions inside an array inside an export): the
/// walk is linear in the values, and the frontend bounds their nesting
/// (`frontend::tree::MAX_EXPR_DEPTH`, noted when reached).
fn visit_objects<'a>(facts: &'a FileFacts, f: &mut dyn FnMut(&'a Expr, Option<&'a str>)) {
    fn walk<'a>(
        expr: &'a Expr,
        key: Option<&'a str>,
        f: &mut dyn FnMut(&'a Expr, Option<&'a str>),
    ) {
        match &expr.value {
            Value::Object(pairs) => {
                f(expr, key);
                for (k, v) in pairs {
                    walk(v, Some(k), f);
                }
            }
            Value::Array(items) => {
                for item in items {
                    walk(item, None, f);
                }
            }
            Value::Op(_, operands) => {
                for operand in operands {
                    walk(operand, key, f);
                }
            }
            _ => {}
        }
    }
    for binding in &facts.bindings {
        walk(&binding.value, None, f);
    }
    for statement in &facts.statements {
        match statement {
            Stmt::Assign { value, .. } | Stmt::Return { value, .. } => walk(value, None, f),
            Stmt::Guard { .. } => {}
        }
    }
    for call in &facts.calls {
        for arg in &call.args {
            walk(&arg.value, None, f);
        }
    }
}

/// The keys values are stored under in the file's object literals, by the
/// span of the value.
fn keys_by_value(facts: &FileFacts) -> HashMap<Span, String> {
    let mut out = HashMap::new();
    visit_objects(facts, &mut |object, _| {
        if let Value::Object(pairs) = &object.value {
            for (k, v) in pairs {
                if k != "..." {
                    out.entry(v.span).or_insert_with(|| k.clone());
                }
            }
        }
    });
    out
}

/// The function a definition's handler key holds.
fn handler_of(view: &View, file: usize, object: &Expr) -> Option<(usize, usize)> {
    HANDLER_KEYS.iter().find_map(|key| {
        let value = object.get(key)?;
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
    })
}

fn has_any(object: &Expr, keys: &[&str]) -> bool {
    keys.iter().any(|k| object.get(k).is_some())
}

/// Every definition object of the project: the object argument of a call
/// to a project function that has a handler key, and plain objects with a
/// schema and a handler.
fn definitions<'a>(view: &'a View) -> Vec<Definition<'a>> {
    let mut out: Vec<Definition<'a>> = Vec::new();
    for (file, unit) in view.units.iter().enumerate() {
        let facts = unit.facts;
        if !is_script(facts) || is_test(unit) || !has_definition_shape(facts) {
            continue;
        }
        let keys = keys_by_value(facts);
        let mut spans: BTreeSet<usize> = BTreeSet::new();
        for call in &facts.calls {
            let Some(object) = call.positional().next() else {
                continue;
            };
            if !matches!(object.value, Value::Object(_))
                || !has_any(object, HANDLER_KEYS)
                || call.callee.starts_with("this.")
                || call.callee.starts_with("<expr>")
            {
                continue;
            }
            // Another framework's `tool()` is a package's, not the project's.
            if view.function(file, &call.callee).is_none() {
                continue;
            }
            let Some(handler) = handler_of(view, file, object) else {
                continue;
            };
            spans.insert(object.span.start);
            out.push(Definition {
                file,
                object,
                anchor: call.span,
                key: keys.get(&call.span).cloned(),
                handler: Some(handler),
            });
        }
        let mut plain: Vec<(&'a Expr, Option<&'a str>)> = Vec::new();
        visit_objects(facts, &mut |object, key| {
            // A schema beside the handler; the description may sit in a
            // nested descriptor (`schema: { name, description, inputSchema }`).
            if has_any(object, HANDLER_KEYS) && has_any(object, SCHEMA_KEYS) {
                plain.push((object, key));
            }
        });
        for (object, key) in plain {
            if !spans.insert(object.span.start) {
                continue;
            }
            // The argument of a call that is not a project helper (checked above).
            if facts
                .calls
                .iter()
                .any(|c| c.positional().next().is_some_and(|a| a.span == object.span))
            {
                continue;
            }
            let Some(handler) = handler_of(view, file, object) else {
                continue;
            };
            out.push(Definition {
                file,
                object,
                anchor: object.span,
                key: key.map(str::to_string),
                handler: Some(handler),
            });
        }
    }
    out
}

/// Should a file without tools of its own keep its facts for this pass?
/// It holds definitions, a generic tool listing or a list of names that
/// may gate a registration.
pub fn wanted(facts: &FileFacts) -> bool {
    is_script(facts)
        && (has_definition_shape(facts)
            // A barrel (`export * from "./tools"`) joins definitions to the
            // modules that register them.
            || facts.imports.iter().any(|i| i.local == "*")
            || !listings(facts).is_empty()
            || facts.bindings.iter().any(|b| {
                b.top_level
                    && strings_of_list(facts, &b.value, 0).is_some_and(|l| !l.is_empty())
                    && tested_for_membership(facts, &b.name)
            }))
}

/// A cheap test that a file may hold a definition object: an object value
/// with a handler key whose value is a function or a name.
pub fn has_definition_shape(facts: &FileFacts) -> bool {
    let handles = |object: &Expr| {
        HANDLER_KEYS.iter().any(|k| {
            object
                .get(k)
                .is_some_and(|v| matches!(v.value, Value::Function | Value::Name(_)))
        })
    };
    // Given to a helper, a handler is enough (the rest may be spread in).
    if facts
        .calls
        .iter()
        .any(|c| c.positional().next().is_some_and(handles))
    {
        return true;
    }
    let mut found = false;
    visit_objects(facts, &mut |object, _| {
        found = found
            || handles(object)
                && (has_any(object, SCHEMA_KEYS) || object.get("description").is_some())
    });
    found
}

/// The name a definition has under a name source: its text, the span of
/// where it is written, and whether that is a string literal.
fn name_of(view: &View, def: &Definition, source: &NameSource) -> Option<(String, Span, bool)> {
    let facts = view.units[def.file].facts;
    match source {
        NameSource::Field(path) => {
            let (parent, field) = match path.rsplit_once('.') {
                Some((parent, field)) => (descriptor(facts, def.object, parent)?, field),
                None => (def.object, path.as_str()),
            };
            let (name, span) = facts.string_of(parent.get(field)?)?;
            Some((name, span, true))
        }
        NameSource::Key => def.key.clone().map(|k| (k, def.anchor, false)),
    }
}

/// The object at a dotted path of keys inside a definition (`schema` of
/// `{ schema: navigateSchema, handle }`), following names bound in the file.
fn descriptor<'a>(facts: &'a FileFacts, object: &'a Expr, path: &str) -> Option<&'a Expr> {
    let mut current = object;
    for key in path.split('.') {
        let value = current.get(key)?;
        current = match &value.value {
            Value::Name(name) => &facts.resolve(name)?.value,
            _ => value,
        };
        if !matches!(current.value, Value::Object(_)) {
            return None;
        }
    }
    Some(current)
}

pub(super) fn tool_of(
    view: &View,
    def: &Definition,
    source: &NameSource,
    (name, span, literal): (String, Span, bool),
) -> ToolDef {
    let facts = view.units[def.file].facts;
    // The object that holds the name holds the description and schema too.
    let object = match source {
        NameSource::Field(path) => path
            .rsplit_once('.')
            .and_then(|(parent, _)| descriptor(facts, def.object, parent))
            .unwrap_or(def.object),
        NameSource::Key => def.object,
    };
    let params = SCHEMA_KEYS
        .iter()
        .find_map(|k| object.get(k))
        // `inputSchema: NavigateInput` with `const NavigateInput = z.object({…})`.
        .map(|schema| match &schema.value {
            Value::Name(n) => facts.resolve(n).map(|b| &b.value).unwrap_or(schema),
            _ => schema,
        })
        .map(|schema| match schema.get("properties") {
            Some(_) => json_schema_params(schema, facts),
            None => zod_shape_params(schema, facts),
        })
        .unwrap_or_default();
    let handler = def.handler.filter(|(f, _)| *f == def.file).map(|(_, j)| j);
    ToolDef {
        kind: EntryKind::Tool,
        name,
        span,
        name_literal: literal.then_some(span),
        dynamic_name: false,
        description: object.get("description").map(|d| describe(d, facts, &[])),
        params,
        annotations: object
            .get("annotations")
            .map(|a| annotations_of(a, facts))
            .unwrap_or_default(),
        handler,
        handler_import: None,
        conditional: false,
        link: def.handler.map(|(file, function)| HandlerLink {
            file,
            function,
            branch: None,
        }),
    }
}

/// Lists of tool names that gate a filtered registration: top-level arrays
/// of strings (spreads of other such arrays included), each naming a
/// definition, fewer than all of them, tested for membership in their file
/// (`LIST.includes(x)`, `new Set(LIST)`). The union of their names.
pub(super) fn name_lists(
    view: &View,
    names: &BTreeSet<&str>,
    in_project: impl Fn(usize) -> bool,
) -> BTreeSet<String> {
    let mut gate = BTreeSet::new();
    for (file, unit) in view.units.iter().enumerate() {
        let facts = unit.facts;
        if !is_script(facts) || !in_project(file) {
            continue;
        }
        for binding in facts.bindings.iter().filter(|b| b.top_level) {
            let Some(list) = strings_of_list(facts, &binding.value, 0) else {
                continue;
            };
            let distinct: BTreeSet<&str> = list.iter().map(String::as_str).collect();
            if distinct.is_empty()
                || distinct.len() >= names.len()
                || !distinct.iter().all(|n| names.contains(n))
                || !tested_for_membership(facts, &binding.name)
            {
                continue;
            }
            gate.extend(list);
        }
    }
    gate
}

/// The strings of an array literal, following spreads of other top-level
/// arrays of the file; `None` when an element is anything else.
fn strings_of_list(facts: &FileFacts, expr: &Expr, depth: usize) -> Option<Vec<String>> {
    if depth > 3 {
        return None;
    }
    let Value::Array(items) = &expr.value else {
        return None;
    };
    let mut out = Vec::new();
    for item in items {
        match &item.value {
            Value::Str(s) => out.push(s.clone()),
            Value::Op(op, operands) if op == "..." => {
                let name = operands.first()?.name()?;
                let inner = facts.resolve(name)?;
                out.extend(strings_of_list(facts, &inner.value, depth + 1)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// `LIST.includes(x)`, `LIST.has(x)`, `LIST.indexOf(x)`, `new Set(LIST)`.
fn tested_for_membership(facts: &FileFacts, list: &str) -> bool {
    facts.calls.iter().any(|c| {
        (matches!(c.method(), "includes" | "has" | "indexOf") && c.receiver() == Some(list))
            || (c.callee == "Set" && c.positional().next().and_then(Expr::name) == Some(list))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::{Unit, View};
    use std::path::PathBuf;

    fn lower(path: &str, text: &str) -> FileFacts {
        crate::frontend::lower(Language::TypeScript, std::path::Path::new(path), text)
            .expect("fixture parses")
    }

    fn run(files: &[(&str, &str)]) -> (Vec<Edit>, Vec<PathBuf>) {
        let dir = std::env::temp_dir().join("mcplint-ts-definitions-unit");
        let paths: Vec<PathBuf> = files.iter().map(|(p, _)| dir.join(p)).collect();
        let facts: Vec<FileFacts> = files.iter().map(|(p, t)| lower(p, t)).collect();
        let units = files
            .iter()
            .zip(&paths)
            .zip(&facts)
            .map(|(((_, text), path), facts)| Unit::new(path, text, facts))
            .collect();
        let view = View::new(units);
        (pass(&view), paths)
    }

    fn added(edits: &[Edit]) -> Vec<String> {
        let mut names: Vec<String> = edits
            .iter()
            .filter_map(|e| match e {
                Edit::AddTool { tool, .. } => Some(tool.name.clone()),
                _ => None,
            })
            .collect();
        names.sort();
        names
    }

    const DEFINE: &str = "export function defineTool(config) { return config; }\n";

    #[test]
    fn helper_definitions_reach_a_loop_by_their_name_field() {
        let tool = r#"import { defineTool } from "./define";
export default defineTool({
  name: "find_orgs",
  description: "Find organizations",
  inputSchema: { query: z.string() },
  async handler(params, ctx) { return params.query; },
});
"#;
        let server = r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import tools from "./tool";
const server = new McpServer({ name: "x", version: "1" });
for (const t of Object.values(tools)) {
  server.registerTool(t.name, { description: t.description }, t.handler);
}
"#;
        let (edits, _) = run(&[
            ("define.ts", DEFINE),
            ("tool.ts", tool),
            ("server.ts", server),
        ]);
        assert_eq!(added(&edits), vec!["find_orgs"]);
        assert!(
            edits
                .iter()
                .any(|e| matches!(e, Edit::Drop { file: 2, tool: 0 }))
        );
        let link = edits.iter().find_map(|e| match e {
            Edit::AddTool { tool, .. } => tool.link,
            _ => None,
        });
        assert_eq!(link.map(|l| l.file), Some(1));
    }

    #[test]
    fn the_field_the_registration_reads_is_the_name() {
        let tool = r#"export const run = async (client, ctx, params) => client.go(params);
const tool = (ctx) => ({
  method: "create_customer",
  name: "Create Customer",
  description: "Creates a customer",
  inputSchema: z.object({ name: z.string() }),
  execute: run,
});
export default tool;
"#;
        let server = r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import tools from "./create";
class Kit extends McpServer {
  constructor() {
    super({ name: "k", version: "1" });
    tools().forEach((tool) => {
      this.tool(tool.method, tool.description, tool.inputSchema.shape, async (arg) => run(tool.method, arg));
    });
  }
}
"#;
        let (edits, _) = run(&[("create.ts", tool), ("kit.ts", server)]);
        assert_eq!(added(&edits), vec!["create_customer"]);
    }

    #[test]
    fn keys_name_the_tools_of_a_generic_listing() {
        let tools = r#"import { tool } from "./helpers";
export function getTools(db) {
  return {
    list_tables: tool({ description: "List", parameters: z.object({}), execute: async () => db.list() }),
    run_sql: tool({ description: "Run", parameters: z.object({ sql: z.string() }), execute: async ({ sql }) => db.query(sql) }),
  };
}
"#;
        let helpers = r#"import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { getTools } from "./tools";
import { ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
export function tool(t) { return t; }
export function serve(server, tools) {
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: Object.entries(tools).map(([name, { description }]) => {
      return { name, description, inputSchema: {} };
    }),
  }));
}
"#;
        let (edits, _) = run(&[("tools.ts", tools), ("helpers.ts", helpers)]);
        assert_eq!(added(&edits), vec!["list_tables", "run_sql"]);
    }

    #[test]
    fn another_frameworks_tool_is_not_a_definition() {
        let tools = r#"import { tool } from "ai";
export const agentTools = {
  weather: tool({ description: "Weather", parameters: z.object({}), execute: async () => 1 }),
};
"#;
        let server = r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { agentTools as registry } from "./agent";
for (const [name, t] of Object.entries(registry)) {
  server.registerTool(name, { description: t.description }, t.handler);
}
"#;
        let (edits, _) = run(&[("agent.ts", tools), ("server.ts", server)]);
        assert!(added(&edits).is_empty());
    }

    #[test]
    fn a_name_list_gates_a_filtered_registration() {
        let a = format!(
            "{DEFINE}export const a = defineTool({{ name: \"a_tool\", description: \"A\", inputSchema: {{}}, handler: async () => 1 }});\n\
             export const b = defineTool({{ name: \"b_tool\", description: \"B\", inputSchema: {{}}, handler: async () => 2 }});\n"
        );
        let surfaces = r#"import { a, b } from "./defs";
export const all = [a, b];
export const TOP = ["a_tool"] as const;
const top = new Set(TOP);
export const isTop = (n) => top.has(n);
"#;
        let server = r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { all, isTop } from "./surfaces";
const chosen = all.filter((t) => isTop(t.name));
for (const t of chosen) {
  server.registerTool(t.name, { description: t.description }, t.handler);
}
"#;
        let (edits, _) = run(&[
            ("defs.ts", &a),
            ("surfaces.ts", surfaces),
            ("server.ts", server),
        ]);
        assert_eq!(added(&edits), vec!["a_tool"]);
    }

    #[test]
    fn definitions_serve_only_the_registrations_of_their_own_project() {
        let defs = format!(
            "{DEFINE}export const a = defineTool({{ name: \"a_tool\", description: \"A\", inputSchema: {{}}, handler: async () => 1 }});\n"
        );
        let server = r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
for (const t of plugins) {
  server.registerTool(t.name, { description: t.description }, t.handler);
}
"#;
        let (edits, _) = run(&[("one/defs.ts", &defs), ("two/server.ts", server)]);
        assert!(added(&edits).is_empty());
    }

    #[test]
    fn no_registration_no_tools() {
        let a = format!(
            "{DEFINE}export const a = defineTool({{ name: \"a_tool\", description: \"A\", inputSchema: {{}}, handler: async () => 1 }});\n"
        );
        let (edits, _) = run(&[("defs.ts", &a)]);
        assert!(edits.is_empty());
    }
}
