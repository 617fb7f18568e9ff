//! TypeScript / JavaScript tools whose definitions reach the SDK through a
//! collection: the definition objects a registration's name is read from,
//! found by following the values backwards from the registration.
//!
//! ```ts
//! // tools/git-add.tool.ts
//! export const gitAddTool = { name: TOOL_NAME, inputSchema, logic: withAuth(gitAddLogic) };
//! // tools/index.ts
//! export const allTools = [gitAddTool, gitLogTool];
//! // registry.ts
//! for (const t of allTools) container.register(TOOLS, { useValue: t });
//! class Registry {
//!   constructor(@injectAll(TOOLS) private defs: ToolDefinition[]) {}
//!   registerAll(server) { for (const d of this.defs) this.add(server, d); }
//!   private add(server, tool) { server.registerTool(tool.name, {…}, wrap(tool)); }
//! }
//! ```
//!
//! The frontend sees one tool of dynamic name, `tool.name`. This pass asks
//! which objects `tool` can hold: a parameter takes the arguments of the
//! function's call sites, a loop variable the elements of what it loops
//! over, a name its binding (across imports and barrels), an array its
//! elements and spreads, a class field its initializer, its assignments,
//! what is `push`ed or `set` into it and — for a constructor parameter
//! injected with `@injectAll(T)` / `@inject(T)` — every value registered
//! under the token `T` (`container.register(T, { useValue: v })`,
//! `registerInstance(T, v)`). Each object found whose name path (`name`,
//! `tool.name`) holds a constant string is a tool of its own module; its
//! handler is the function field beside the name (`logic`, `handler`,
//! `execute`, `call`…), looking through wrapper calls to the function they
//! wrap. A flow through a `filter` (a subset the code picks at run time) is
//! left to [`crate::project::ts_definitions`].
//!
//! The low-level form: a `ListTools` handler that lists the values of a
//! collection (`Array.from(this.tools.values())`) while the `CallTool`
//! handler calls a function field of the definition it looks up
//! (`tool.call(args)`): the objects that flow into that collection are the
//! tools, and that field is their handler.

use std::collections::{BTreeSet, HashSet};

use crate::facts::{Call, EntryKind, Expr, FileFacts, Language, Stmt, Value};
use crate::finding::Span;

use super::ts_definitions::{Definition, NameSource, tool_of};
use super::{Edit, Symbol, View};

/// Keys of a definition whose function runs when the tool is called,
/// beyond those [`super::ts_definitions`] knows.
const MORE_HANDLER_KEYS: &[&str] = &["logic", "call", "fn", "func", "action"];

/// How many steps one backwards walk may take (a value through a
/// parameter, a loop, an import…), and how deep.
const MAX_STEPS: usize = 4000;
const MAX_DEPTH: usize = 24;

/// The note when a collection of tool definitions is larger or deeper.
const COLLECTION_LIMIT: &str = "collections of tool definitions are followed 24 values deep and for 4000 steps, and this one goes further";

/// How many functions one walk looks for the call sites of (each look asks
/// every file's index of calls by method name; a function already looked
/// at is not looked at again, since the arguments found then are in
/// `seen`).
const MAX_SITE_SCANS: usize = 512;

/// The note when a walk needs the call sites of more functions.
const SITE_SCANS_LIMIT: &str = "collections of tool definitions are followed through the callers of 512 functions, and this one goes through more";

/// Calls that pass the elements of their receiver or arguments on
/// unchanged (`Array.from(map.values())`, `list.flat()`).
const PASS_THROUGH: &[&str] = &[
    "from", "values", "flat", "concat", "of", "freeze", "entries", "sort", "reverse",
];

/// Calls that pick a subset at run time: the flow is not followed.
const SUBSET: &[&str] = &["filter", "slice", "splice", "find", "at", "pop", "shift"];

/// Array methods whose callback receives the elements of their receiver.
const ITERATES: &[&str] = &["forEach", "map", "flatMap", "some", "every", "reduce"];

/// An object the walk found: its file and expression.
type Found<'a> = (usize, &'a Expr);

struct Walk<'v, 'a> {
    view: &'v View<'a>,
    steps: usize,
    seen: HashSet<(usize, usize, usize)>,
    /// A subset was taken on the way: the answer is not the whole set.
    partial: bool,
    /// A value came from a call the walk cannot follow (`MAP[key]()`):
    /// the definitions found are not all there are.
    unknown: bool,
    /// The functions (file, index, parameter position) whose call sites
    /// were read.
    scanned: HashSet<(usize, usize, usize)>,
    /// Calls of a registering function met on the way (`this.add(server,
    /// d)`): a tool the frontend recorded at one is no tool of its own.
    sites: Vec<(usize, Span)>,
    /// What a definition looks like: an object that holds no tool by it
    /// is a container.
    spec: Spec<'a>,
}

/// Where a definition keeps its name (`name`, `tool.name`), the handler
/// field the server calls (`call`), and the object of handlers keyed by
/// tool name the registration looks the handler up in
/// (`HANDLERS[tool.name]`).
#[derive(Clone)]
struct Spec<'a> {
    path: String,
    preferred: Option<String>,
    keyed: Option<(usize, &'a Expr)>,
}

impl<'v, 'a> Walk<'v, 'a> {
    fn new(view: &'v View<'a>, spec: Spec<'a>) -> Self {
        Walk {
            spec,
            view,
            steps: 0,
            seen: HashSet::new(),
            partial: false,
            unknown: false,
            scanned: HashSet::new(),
            sites: Vec::new(),
        }
    }

    fn facts(&self, file: usize) -> &'a FileFacts {
        self.view.units[file].facts
    }

    /// The objects `expr`, written at `at` in `file`, may be or hold.
    fn values(&mut self, file: usize, expr: &'a Expr, depth: usize, out: &mut Vec<Found<'a>>) {
        if depth > MAX_DEPTH || self.steps > MAX_STEPS {
            self.view.note_limit(file, expr.span, COLLECTION_LIMIT);
            return;
        }
        self.steps += 1;
        if !self.seen.insert((file, expr.span.start, expr.span.end)) {
            return;
        }
        match &expr.value {
            Value::Object(pairs) => {
                if definition(self.view, (file, expr), &self.spec).is_some() {
                    out.push((file, expr));
                    return;
                }
                // `{ docs: [searchDocs, fetchDocs], runs: [...] }`: a
                // container of definitions (categories, a registry).
                // A copy (`{ ...tool, description }`) holds the spread one.
                for (_, value) in pairs {
                    if !matches!(value.value, Value::Function) {
                        self.values(file, value, depth + 1, out);
                    }
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.values(file, item, depth + 1, out);
                }
            }
            Value::Op(op, operands) => match op.as_str() {
                "..." | "??" | "||" | "?:" | "as" | "await" | "!" | "satisfies" => {
                    for operand in operands {
                        self.values(file, operand, depth + 1, out);
                    }
                }
                // `categories[key]`: any value of the object.
                "[]" => {
                    if let Some(object) = operands.first() {
                        self.values(file, object, depth + 1, out);
                    }
                }
                _ => {}
            },
            Value::Name(name) => self.name(file, name, expr.span, depth, out),
            Value::Call(call) => self.call(file, call, depth, out),
            // An expression the frontend does not lower (`MAP[key]()`).
            Value::Other => self.unknown = true,
            _ => {}
        }
    }

    fn call(&mut self, file: usize, call: &'a Call, depth: usize, out: &mut Vec<Found<'a>>) {
        let method = call.method();
        // A subset: its elements are among the receiver's.
        if SUBSET.contains(&method) {
            self.partial = true;
            if let Some(receiver) = call.receiver.as_deref() {
                self.values(file, receiver, depth + 1, out);
            } else if let Some(receiver) = call.receiver() {
                let receiver = receiver.to_string();
                self.name(file, &receiver, call.span, depth, out);
            }
            return;
        }
        let view = self.view;
        // A project function: the objects it is given and those it returns.
        if !call.callee.starts_with("<expr>")
            && let Some((f, j)) = view.function(file, &call.callee)
        {
            for arg in call.positional() {
                if matches!(arg.value, Value::Object(_) | Value::Array(_)) {
                    self.values(file, arg, depth + 1, out);
                }
            }
            self.returns(f, j, depth, out);
            return;
        }
        // `keys.map((k) => categories[k])`: what the callback returns.
        if matches!(method, "map" | "flatMap") {
            for arg in call.positional() {
                if let Some((f, j)) = view.function_at(file, arg.span) {
                    self.returns(f, j, depth, out);
                }
            }
            return;
        }
        if !PASS_THROUGH.contains(&method) && call.callee != "Array.from" {
            // `FACTORIES[name]()`: some project function, which one is
            // known at run time only.
            if call.callee.starts_with("<expr>") && call.receiver.is_none() {
                self.unknown = true;
            }
            return;
        }
        // `map.values()`: what is `set` into the map; `Object.values(x)`,
        // `Array.from(x)`: their argument's.
        let builtin = call.callee.starts_with("Object.") || call.callee.starts_with("Array.");
        match (
            call.receiver.as_deref(),
            call.receiver().filter(|_| !builtin),
        ) {
            (Some(receiver), _) => self.values(file, receiver, depth + 1, out),
            (None, Some(receiver)) => {
                let receiver = receiver.to_string();
                self.name(file, &receiver, call.span, depth, out);
            }
            _ => {}
        }
        for arg in call.positional() {
            if !matches!(arg.value, Value::Function) {
                self.values(file, arg, depth + 1, out);
            }
        }
    }

    /// What the function `j` of file `f` returns (not its inner functions).
    fn returns(&mut self, f: usize, j: usize, depth: usize, out: &mut Vec<Found<'a>>) {
        let facts = self.facts(f);
        let Some(function) = facts.functions.get(j) else {
            return;
        };
        for statement in &facts.statements {
            if let Stmt::Return { value, span } = statement
                && within(function.span, *span)
                && facts
                    .enclosing_function(*span)
                    .is_some_and(|e| std::ptr::eq(e, function))
            {
                self.values(f, value, depth + 1, out);
            }
        }
    }

    fn name(&mut self, file: usize, name: &str, at: Span, depth: usize, out: &mut Vec<Found<'a>>) {
        let facts = self.facts(file);
        if let Some(field) = name.strip_prefix("this.") {
            if !field.contains('.') {
                self.field(file, field, at, depth, out);
            }
            return;
        }
        if name.contains('.') && !name.contains("..") {
            // `mod.tools` (a module's export) resolves below; a member of a
            // local value does not.
            let head = name.split('.').next().unwrap_or(name);
            if is_local(facts, head, at) {
                return;
            }
        }
        if let Some(function) = scope_of(facts, name, at) {
            let scope = function.span;
            // Assigned in the function: `for (const t of list)`, `const t = …`.
            for statement in &facts.statements {
                if let Stmt::Assign {
                    targets,
                    value,
                    span,
                    ..
                } = statement
                    && within(scope, *span)
                    && targets.iter().any(|t| t == name)
                {
                    self.values(file, value, depth + 1, out);
                }
            }
            self.collected(file, name, Some(scope), depth, out);
            if let Some(position) = function.params.iter().position(|p| p == name) {
                self.parameter(file, function, position, depth, out);
            }
            return;
        }
        // A binding of the module, or one imported.
        match self.view.resolve(file, name) {
            Some(Symbol::Binding(f, j)) => {
                let binding = &self.facts(f).bindings[j];
                self.values(f, &binding.value, depth + 1, out);
                let local = binding.name.clone();
                self.collected(f, &local, None, depth, out);
            }
            None => {
                // `categories.docs`: a key of an object of the module.
                let Some((head, keys)) = name.split_once('.') else {
                    return;
                };
                let Some(Symbol::Binding(f, j)) = self.view.resolve(file, head) else {
                    return;
                };
                let mut value = &self.facts(f).bindings[j].value;
                for key in keys.split('.') {
                    match value.get(key) {
                        Some(inner) => value = inner,
                        None => return,
                    }
                }
                self.values(f, value, depth + 1, out);
            }
            _ => {}
        }
    }

    /// What is `push`ed, `unshift`ed, `add`ed or `set` into `name` (in
    /// `scope`, or anywhere in the file).
    fn collected(
        &mut self,
        file: usize,
        name: &str,
        scope: Option<Span>,
        depth: usize,
        out: &mut Vec<Found<'a>>,
    ) {
        let facts = self.facts(file);
        for call in &facts.calls {
            if call.receiver() != Some(name) || scope.is_some_and(|s| !within(s, call.span)) {
                continue;
            }
            match call.method() {
                "push" | "unshift" | "add" => {
                    for arg in call.positional() {
                        self.values(file, arg, depth + 1, out);
                    }
                }
                "set" => {
                    if let Some(value) = call.positional().nth(1) {
                        self.values(file, value, depth + 1, out);
                    }
                }
                _ => {}
            }
        }
    }

    /// The arguments at `position` of the calls of a function.
    fn parameter(
        &mut self,
        file: usize,
        function: &'a crate::facts::Function,
        position: usize,
        depth: usize,
        out: &mut Vec<Found<'a>>,
    ) {
        let facts = self.facts(file);
        let Some(name) = function.name.as_deref() else {
            // `list.forEach((t) => …)`: the elements of the list.
            for call in &facts.calls {
                if ITERATES.contains(&call.method())
                    && call.args.iter().any(|a| a.value.span == function.span)
                {
                    match (call.receiver(), call.receiver.as_deref()) {
                        (Some(receiver), _) => {
                            let receiver = receiver.to_string();
                            self.name(file, &receiver, call.span, depth + 1, out);
                        }
                        (None, Some(receiver)) => self.values(file, receiver, depth + 1, out),
                        _ => {}
                    }
                }
            }
            return;
        };
        let Some(index) = facts
            .functions
            .iter()
            .position(|f| std::ptr::eq(f, function))
        else {
            return;
        };
        if self.scanned.contains(&(file, index, position)) {
            return;
        }
        if self.scanned.len() >= MAX_SITE_SCANS {
            self.view.note_limit(file, function.span, SITE_SCANS_LIMIT);
            return;
        }
        self.scanned.insert((file, index, position));
        let view = self.view;
        for (site_file, unit) in view.units.iter().enumerate() {
            if !is_script(unit.facts) || unit.is_test() {
                continue;
            }
            let Some(index_of) = view.index(site_file) else {
                continue;
            };
            for &at in index_of.calls_of_method(unit.facts, name) {
                let Some(call) = unit.facts.calls.get(at) else {
                    continue;
                };
                // `this.add(…)` in the class of the method; else a call
                // that resolves to the function.
                let own = site_file == file
                    && call.callee == format!("this.{name}")
                    && same_class(facts, function.span, call.span);
                if !own && view.function(site_file, &call.callee) != Some((file, index)) {
                    continue;
                }
                self.sites.push((site_file, call.span));
                if let Some(arg) = call.positional().nth(position) {
                    self.values(site_file, arg, depth + 1, out);
                }
            }
        }
    }

    /// The values of `this.field` in the class around `at`.
    fn field(
        &mut self,
        file: usize,
        field: &str,
        at: Span,
        depth: usize,
        out: &mut Vec<Found<'a>>,
    ) {
        let facts = self.facts(file);
        let Some(class) = facts
            .classes
            .iter()
            .filter(|c| within(c.span, at))
            .min_by_key(|c| c.span.len())
        else {
            return;
        };
        if let Some(value) = class.member(field).and_then(|m| m.value.as_ref()) {
            self.values(file, value, depth + 1, out);
        }
        let path = format!("this.{field}");
        for statement in &facts.statements {
            if let Stmt::Assign {
                targets,
                value,
                span,
                ..
            } = statement
                && within(class.span, *span)
                && targets.contains(&path)
            {
                self.values(file, value, depth + 1, out);
            }
        }
        self.collected(file, &path, Some(class.span), depth, out);
        if let Some(token) = injected_token(self.view.units[file].text, facts, class.span, field) {
            self.registered(file, &token, depth, out);
        }
    }

    /// The values registered in a dependency-injection container under
    /// `token`: `c.register(T, { useValue: v })`, `c.registerInstance(T, v)`.
    fn registered(&mut self, file: usize, token: &str, depth: usize, out: &mut Vec<Found<'a>>) {
        let last = |n: &str| n.rsplit('.').next().unwrap_or(n).to_string();
        let token = last(token);
        let view = self.view;
        let project = super::ts_definitions::project_of(view, file);
        for (site_file, unit) in view.units.iter().enumerate() {
            if !is_script(unit.facts) || unit.is_test() || !project(site_file) {
                continue;
            }
            for call in &unit.facts.calls {
                let named = call
                    .positional()
                    .next()
                    .and_then(Expr::name)
                    .is_some_and(|n| last(n) == token);
                if !named {
                    continue;
                }
                let value = match call.method() {
                    "register" => call.positional().nth(1).and_then(|o| o.get("useValue")),
                    "registerInstance" => call.positional().nth(1),
                    _ => None,
                };
                if let Some(value) = value {
                    self.values(site_file, value, depth + 1, out);
                }
            }
        }
    }
}

fn within(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

fn is_script(facts: &FileFacts) -> bool {
    matches!(
        facts.language,
        Language::TypeScript | Language::Tsx | Language::JavaScript
    )
}

fn same_class(facts: &FileFacts, a: Span, b: Span) -> bool {
    let class_of = |s: Span| {
        facts
            .classes
            .iter()
            .filter(|c| within(c.span, s))
            .min_by_key(|c| c.span.len())
            .map(|c| c.span)
    };
    class_of(a).is_some() && class_of(a) == class_of(b)
}

/// The function around `at` that declares `name`: as a parameter, or by
/// assigning it (a loop variable) — closures see their outer functions'
/// names. `None` for a name of the module.
fn scope_of<'f>(facts: &'f FileFacts, name: &str, at: Span) -> Option<&'f crate::facts::Function> {
    let mut around: Vec<&crate::facts::Function> = facts
        .functions
        .iter()
        .filter(|f| within(f.span, at))
        .collect();
    around.sort_by_key(|f| f.span.len());
    around.into_iter().find(|function| {
        function.params.iter().any(|p| p == name)
            || facts.statements.iter().any(|s| match s {
                Stmt::Assign { targets, span, .. } => {
                    within(function.span, *span) && targets.iter().any(|t| t == name)
                }
                _ => false,
            }) && !facts.bindings.iter().any(|b| b.top_level && b.name == name)
    })
}

fn is_local(facts: &FileFacts, name: &str, at: Span) -> bool {
    scope_of(facts, name, at).is_some()
}

/// The token a constructor parameter property `field` of the class at
/// `class` is injected with: `@injectAll(T) private field`, `@inject(T)
/// readonly field`. The frontend records the decorator as a call; the
/// parameter it decorates is the identifier written after it.
fn injected_token(text: &str, facts: &FileFacts, class: Span, field: &str) -> Option<String> {
    facts.calls.iter().find_map(|call| {
        if !within(class, call.span) || !matches!(call.callee.as_str(), "injectAll" | "inject") {
            return None;
        }
        let token = call.positional().next()?.name()?;
        let after = text.get(call.span.end..)?;
        let mut words = after
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
            .filter(|w| !w.is_empty());
        let parameter = words.find(|w| {
            !matches!(
                *w,
                "private" | "public" | "protected" | "readonly" | "override"
            )
        })?;
        (parameter == field).then(|| token.to_string())
    })
}

/// The function a definition's handler field holds: a function, a name
/// of one, or the function a wrapper call is given
/// (`withAuth(scopes, createHandler(gitAddLogic))`).
fn handler_in(view: &View, file: usize, value: &Expr, depth: usize) -> Option<(usize, usize)> {
    if depth > 4 {
        return None;
    }
    match &value.value {
        Value::Function => view.function_at(file, value.span),
        Value::Name(name) => view.function(file, name),
        Value::Call(call) => call
            .positional()
            .filter(|a| matches!(a.value, Value::Function | Value::Name(_) | Value::Call(_)))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .find_map(|a| handler_in(view, file, a, depth + 1)),
        Value::Op(op, operands) if matches!(op.as_str(), "as" | "await" | "satisfies") => {
            handler_in(view, file, operands.first()?, depth + 1)
        }
        _ => None,
    }
}

/// The definition object `found` holds a tool under the name path `path`
/// (`name`, `tool.name`): its name, where the name is written, and the
/// function its handler field holds.
fn definition<'a>(
    view: &View<'a>,
    (file, object): Found<'a>,
    spec: &Spec<'a>,
) -> Option<(Definition<'a>, String, Span)> {
    let path = spec.path.as_str();
    let facts = view.units[file].facts;
    let (parent, key) = match path.rsplit_once('.') {
        Some((parent, key)) => {
            let mut current = object;
            for part in parent.split('.') {
                current = current.get(part)?;
                if let Value::Name(n) = &current.value {
                    current = &facts.resolve(n)?.value;
                }
            }
            (current, key)
        }
        None => (object, path),
    };
    let name_expr = parent.get(key)?;
    let name = super::tool_names::constant_string(view, file, name_expr, name_expr.span)
        .filter(|n| !n.is_empty())?;
    let keys = spec
        .preferred
        .as_deref()
        .into_iter()
        .chain(super::ts_definitions::HANDLER_KEYS.iter().copied())
        .chain(MORE_HANDLER_KEYS.iter().copied());
    let mut handler = None;
    for key in keys {
        if let Some(value) = parent.get(key) {
            handler = handler_in(view, file, value, 0);
            if handler.is_some() {
                break;
            }
        }
    }
    // Else the registration's object of handlers, by the tool's name.
    if handler.is_none()
        && let Some((file, map)) = spec.keyed
    {
        handler = map.get(&name).and_then(|v| handler_in(view, file, v, 0));
    }
    // A definition runs something: an object without a function field is
    // configuration that merely has a name.
    handler?;
    Some((
        Definition {
            file,
            object,
            anchor: object.span,
            key: None,
            handler,
        },
        name,
        name_expr.span,
    ))
}

/// A registration of dynamic name `v.path` and the definitions `v` holds,
/// or `None` when they are not all known.
struct Resolved<'a> {
    file: usize,
    tool: Option<usize>,
    spec: Spec<'a>,
    found: Vec<Found<'a>>,
    sites: Vec<(usize, Span)>,
    /// The flow picks a subset (`filter`) on its way.
    filtered: bool,
}

/// The definitions an SDK registration of tool `tool` of file `file`
/// takes its name from (`server.registerTool(t.name, …)`).
fn registration<'a>(view: &View<'a>, file: usize, tool: usize) -> Option<Resolved<'a>> {
    let facts = view.units[file].facts;
    let def = facts.tools.get(tool)?;
    if !def.dynamic_name || def.kind != EntryKind::Tool || !is_script(facts) {
        return None;
    }
    let call = facts
        .calls
        .iter()
        .find(|c| c.positional().next().is_some_and(|a| a.span == def.span))?;
    let name = call.positional().next()?.name()?;
    let (variable, path) = name.split_once('.')?;
    if variable == "this" || !is_local(facts, variable, call.span) {
        return None;
    }
    let spec = Spec {
        path: path.to_string(),
        preferred: None,
        keyed: keyed_handlers(view, file, name, call.span),
    };
    let mut walk = Walk::new(view, spec.clone());
    let mut found = Vec::new();
    let variable = variable.to_string();
    walk.name(file, &variable, call.span, 0, &mut found);
    // Partly known: the other passes answer for the registration.
    if found.is_empty() || walk.unknown {
        return None;
    }
    Some(Resolved {
        file,
        tool: Some(tool),
        spec,
        found,
        sites: walk.sites,
        filtered: walk.partial,
    })
}

/// `const handler = HANDLERS[tool.name]` in a function around the
/// registration of name `name` at `at`: the object of handlers, keyed by
/// tool name (in the module that defines it).
fn keyed_handlers<'a>(
    view: &View<'a>,
    file: usize,
    name: &str,
    at: Span,
) -> Option<(usize, &'a Expr)> {
    let facts = view.units[file].facts;
    let scope = facts.enclosing_function(at)?;
    facts.statements.iter().find_map(|s| {
        let Stmt::Assign { value, span, .. } = s else {
            return None;
        };
        if !within(scope.span, *span) {
            return None;
        }
        let Value::Op(op, operands) = &value.value else {
            return None;
        };
        if op != "[]" || operands.get(1).and_then(Expr::name) != Some(name) {
            return None;
        }
        let map = operands.first()?.name()?;
        match view.resolve(file, map)? {
            Symbol::Binding(f, j) => {
                let value = &view.units[f].facts.bindings[j].value;
                matches!(value.value, Value::Object(_)).then_some((f, value))
            }
            _ => None,
        }
    })
}

/// Is the dynamic tool `tool` of file `file` registered from definitions
/// this pass finds? ([`super::ts_definitions`] leaves it to this pass.)
pub fn resolves(view: &View, file: usize, tool: usize) -> bool {
    registration(view, file, tool).is_some_and(|r| {
        r.found
            .iter()
            .any(|f| definition(view, *f, &r.spec).is_some())
    })
}

/// Low-level servers that list the values of a collection and call a
/// function field of the definition looked up in it.
fn listings<'a>(view: &View<'a>, file: usize) -> Vec<Resolved<'a>> {
    let facts = view.units[file].facts;
    let handler_span = |schema: &str| {
        facts.calls.iter().find_map(|c| {
            (c.method() == "setRequestHandler"
                && c.positional()
                    .next()
                    .and_then(Expr::name)
                    .is_some_and(|n| n.ends_with(schema)))
            .then(|| c.positional().nth(1).map(|h| h.span))
            .flatten()
        })
    };
    let (Some(list), Some(invoke)) = (
        handler_span("ListToolsRequestSchema"),
        handler_span("CallToolRequestSchema"),
    ) else {
        return Vec::new();
    };
    // The function field the call handler runs: `tool.call(args)`.
    let preferred = facts
        .calls
        .iter()
        .filter(|c| within(invoke, c.span) && c.receiver().is_some())
        .map(Call::method)
        .find(|m| super::ts_definitions::HANDLER_KEYS.contains(m) || MORE_HANDLER_KEYS.contains(m));
    let Some(preferred) = preferred else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut collections: BTreeSet<&str> = BTreeSet::new();
    for call in facts.calls.iter().filter(|c| within(list, c.span)) {
        if call.method() == "values"
            && let Some(receiver) = call.receiver()
        {
            collections.insert(receiver);
        }
    }
    for collection in collections {
        // `map.set(v.tool.name, v)` says where a definition keeps its name.
        let path = facts
            .calls
            .iter()
            .filter(|c| c.receiver() == Some(collection) && c.method() == "set")
            .find_map(|c| {
                let key = c.positional().next()?.name()?;
                let value = c.positional().nth(1)?.name()?;
                key.strip_prefix(value)?
                    .strip_prefix('.')
                    .map(str::to_string)
            })
            .unwrap_or_else(|| "name".to_string());
        let spec = Spec {
            path,
            preferred: Some(preferred.to_string()),
            keyed: None,
        };
        let mut walk = Walk::new(view, spec.clone());
        let mut found = Vec::new();
        walk.name(file, collection, list, 0, &mut found);
        if found.is_empty() {
            continue;
        }
        out.push(Resolved {
            file,
            tool: None,
            spec,
            found,
            sites: Vec::new(),
            filtered: walk.partial,
        });
    }
    out
}

pub fn pass(view: &View) -> Vec<Edit> {
    let mut resolved = Vec::new();
    for (file, unit) in view.units.iter().enumerate() {
        if !is_script(unit.facts) || unit.is_test() {
            continue;
        }
        for tool in 0..unit.facts.tools.len() {
            resolved.extend(registration(view, file, tool));
        }
        resolved.extend(listings(view, file));
    }
    let mut edits = Vec::new();
    let mut added: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut dropped: BTreeSet<(usize, usize)> = BTreeSet::new();
    for r in &resolved {
        let mut tools: Vec<(usize, usize, crate::facts::ToolDef)> = Vec::new();
        for found in &r.found {
            let Some((def, name, span)) = definition(view, *found, &r.spec) else {
                continue;
            };
            let source = NameSource::Field(r.spec.path.clone());
            let tool = tool_of(view, &def, &source, (name, span, true));
            tools.push((def.file, def.object.span.start, tool));
        }
        if tools.is_empty() {
            continue;
        }
        // A subset picked at run time: when the project gates it with
        // lists of tool names, those are the tools.
        if r.filtered {
            let names: BTreeSet<&str> = tools.iter().map(|(_, _, t)| t.name.as_str()).collect();
            let gate = super::ts_definitions::name_lists(
                view,
                &names,
                super::ts_definitions::project_of(view, r.file),
            );
            if !gate.is_empty() {
                tools.retain(|(_, _, t)| gate.contains(&t.name));
            }
        }
        for (file, start, tool) in tools {
            if added.insert((file, start)) {
                edits.push(Edit::AddTool {
                    file,
                    tool: Box::new(tool),
                });
            }
        }
        if let Some(tool) = r.tool {
            dropped.insert((r.file, tool));
        }
        // `this.add(server, d)` taken for a registration of its own.
        for (site_file, site) in &r.sites {
            let facts = view.units[*site_file].facts;
            for (index, tool) in facts.tools.iter().enumerate() {
                if tool.dynamic_name && within(*site, tool.span) {
                    dropped.insert((*site_file, index));
                }
            }
        }
    }
    edits.extend(
        dropped
            .into_iter()
            .map(|(file, tool)| Edit::Drop { file, tool }),
    );
    edits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::ToolDef;

    fn run(files: &[(&str, &str)]) -> Vec<Edit> {
        crate::project::run_ts_pass(files, pass)
    }

    fn added(edits: &[Edit]) -> Vec<(usize, ToolDef)> {
        let mut out: Vec<(usize, ToolDef)> = edits
            .iter()
            .filter_map(|e| match e {
                Edit::AddTool { file, tool } => Some((*file, (**tool).clone())),
                _ => None,
            })
            .collect();
        out.sort_by(|a, b| a.1.name.cmp(&b.1.name));
        out
    }

    fn names(edits: &[Edit]) -> Vec<String> {
        added(edits).into_iter().map(|(_, t)| t.name).collect()
    }

    const STATUS: &str = r#"const NAME = "repo_status";
async function statusLogic(input, ctx) { return ctx.git.status(input.path); }
export const statusTool = { name: NAME, description: "Status", inputSchema: {}, logic: withAuth(["read"], statusLogic) };
"#;
    const PUSH: &str = r#"export const pushTool = { name: "repo_push", description: "Push", inputSchema: {}, logic: async (input) => input };
"#;

    #[test]
    fn injected_definitions_reach_the_registration_through_the_container() {
        let barrel = r#"import { statusTool } from "./status";
import { pushTool } from "./push";
export const allTools = [statusTool, pushTool];
"#;
        let registry = r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { injectAll } from "tsyringe";
import { TOOLS } from "./tokens";
import { allTools } from "./barrel";
export class Registry {
  constructor(@injectAll(TOOLS) private defs) {}
  registerAll(server) { for (const d of this.defs) { this.registerTool(server, d); } }
  registerTool(server, tool) { server.registerTool(tool.name, { description: tool.description }, async (a) => tool.logic(a)); }
}
export const registerTools = (container) => {
  for (const t of allTools) { container.register(TOOLS, { useValue: t }); }
};
"#;
        let edits = run(&[
            ("status.ts", STATUS),
            ("push.ts", PUSH),
            ("barrel.ts", barrel),
            ("tokens.ts", "export const TOOLS = Symbol(\"tools\");\n"),
            ("registry.ts", registry),
        ]);
        assert_eq!(names(&edits), vec!["repo_push", "repo_status"]);
        let status = &added(&edits)[1].1;
        // The wrapped function is the handler, not the wrapper.
        assert_eq!(status.link.map(|l| (l.file, l.function)), Some((0, 0)));
        // The registration and `this.registerTool(server, d)`, which the
        // frontend took for an SDK call, are dropped.
        let drops = edits
            .iter()
            .filter(|e| matches!(e, Edit::Drop { file: 4, .. }))
            .count();
        assert_eq!(drops, 2);
    }

    #[test]
    fn a_token_nothing_registers_injects_nothing() {
        let registry = r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { injectAll } from "tsyringe";
import { statusTool } from "./status";
export class Registry {
  constructor(@injectAll(TOOLS) private defs) {}
  registerAll(server) { for (const d of this.defs) { server.registerTool(d.name, {}, d.logic); } }
}
export const other = (container) => container.register(PLUGINS, { useValue: statusTool });
"#;
        let edits = run(&[("status.ts", STATUS), ("registry.ts", registry)]);
        assert!(names(&edits).is_empty());
    }

    #[test]
    fn only_the_definitions_that_flow_to_the_registration_are_tools() {
        let server = r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { statusTool } from "./status";
import { pushTool } from "./push";
const enabled = [statusTool];
enabled.forEach((tool) => server.registerTool(tool.name, { description: tool.description }, tool.logic));
"#;
        let edits = run(&[
            ("status.ts", STATUS),
            ("push.ts", PUSH),
            ("server.ts", server),
        ]);
        assert_eq!(names(&edits), vec!["repo_status"]);
    }

    #[test]
    fn a_listed_map_of_entries_whose_call_field_the_call_handler_runs() {
        let tools = r#"export const readTool = { type: "internal", tool: { name: "read", description: "Read", inputSchema: {}, call: async (args) => args } };
export const unusedTool = { type: "internal", tool: { name: "unused", description: "U", inputSchema: {}, call: async (args) => args } };
export const categories = { docs: [readTool] };
"#;
        let server = r#"import { ListToolsRequestSchema, CallToolRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { categories } from "./tools";
class S {
  tools = new Map();
  constructor() { this.upsert(categories.docs); }
  upsert(list) { for (const w of list) { this.tools.set(w.tool.name, w); } }
  setup() {
    this.server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: Array.from(this.tools.values()).map((t) => t.tool) }));
    this.server.setRequestHandler(CallToolRequestSchema, async (req) => { const t = this.tools.get(req.params.name); return t.tool.call(req.params.arguments); });
  }
}
"#;
        let edits = run(&[("tools.ts", tools), ("server.ts", server)]);
        assert_eq!(names(&edits), vec!["read"]);
        assert_eq!(added(&edits)[0].1.link.map(|l| l.file), Some(0));
    }

    #[test]
    fn handlers_looked_up_by_name_in_an_object_of_handlers() {
        let defs = r#"export const TOOLS = [
  { name: "list_projects", description: "List", inputSchema: {} },
  { name: "delete_project", description: "Delete", inputSchema: {} },
];
export const HANDLERS = {
  list_projects: async (args) => args,
  delete_project: async (args) => args,
};
"#;
        let server = r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { TOOLS, HANDLERS } from "./defs";
TOOLS.forEach((tool) => {
  const handler = HANDLERS[tool.name];
  server.tool(tool.name, tool.description, tool.inputSchema, async (a) => handler(a));
});
"#;
        let edits = run(&[("defs.ts", defs), ("server.ts", server)]);
        assert_eq!(names(&edits), vec!["delete_project", "list_projects"]);
        assert!(added(&edits).iter().all(|(_, t)| t.link.is_some()));
    }

    #[test]
    fn objects_without_a_function_field_are_no_definitions() {
        let server = r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
const presets = [{ name: "fast", description: "Fast preset", inputSchema: {} }];
for (const p of presets) { server.registerTool(p.name, { description: p.description }, async () => p); }
"#;
        let edits = run(&[("server.ts", server)]);
        assert!(names(&edits).is_empty());
    }
}
