//! Tools defined as classes (TypeScript / JavaScript).
//!
//! Real servers write a tool as a class: `class FindTool extends ToolBase {
//! static toolName = "find"; description = "…"; argsShape = {…}; async
//! execute(args) {…} }`, and one base class registers every subclass:
//! `register(server) { server.registerTool(this.name, { description:
//! this.description, inputSchema: this.argsShape }, this.invoke.bind(this)) }`.
//! The frontend sees that registration as one tool of unknown name. This
//! pass finds the *registering classes* (a class method that registers a
//! tool named by `this.<member>`), then every concrete class that inherits
//! from one (across modules and workspace packages, through the project
//! layer's name resolution). Each such class is a tool: its name is the
//! member the registration names (a static or instance field, a getter, a
//! constructor assignment, through constants and `Class.staticField`), and
//! its handler is the work method the registered callback ends in: the
//! callback itself when the class defines it, else the overridden method
//! the base's template method calls (`invoke` → `this.execute(args)` →
//! `this.executeWithClient(args)`). The registration of unknown name is
//! dropped once its classes stand for it.

use crate::facts::{
    Call, Description, EntryKind, Expr, FileFacts, HandlerLink, Stmt, ToolDef, TsClass, Value,
};
use crate::finding::Span;
use crate::frontend::registration::{annotations_of, describe};
use crate::frontend::schema::{json_schema_params, zod_shape_params};

use super::{Edit, Symbol, View};

/// How many references deep a name's value is followed (a list of tool
/// classes through constants, spreads, imports and re-exports). The walks
/// recurse without a visited set, so the bound keeps cycles and fan-out
/// cheap.
const MAX_VALUE_HOPS: usize = 8;

/// The note when a value goes through more references.
const VALUE_HOPS_LIMIT: &str = "tool classes are followed through 8 constants, lists, imports or re-exports and this value goes further";

/// Notes that a walk for tool classes stopped at `MAX_VALUE_HOPS` in
/// `file` at `span`.
fn hops_cut(view: &View, file: usize, span: Span) {
    view.note_limit(file, span, VALUE_HOPS_LIMIT);
}

thread_local! {
    /// The values (file, span) and modules being expanded on the current
    /// path of a walk for tool classes: a value met again on its own path is
    /// a cycle (a recursive function's returned list, modules that
    /// re-export each other), which ends there without a note, so that the
    /// note means depth, not a loop.
    static ON_PATH: std::cell::RefCell<Vec<(usize, Span)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs `f` with `(file, span)` on the current path, or returns `None` when
/// it is already on it (a cycle).
fn on_path<T>(file: usize, span: Span, f: impl FnOnce() -> T) -> Option<T> {
    let entered = ON_PATH.with(|p| {
        let mut p = p.borrow_mut();
        if p.contains(&(file, span)) {
            return false;
        }
        p.push((file, span));
        true
    });
    if !entered {
        return None;
    }
    let out = f();
    ON_PATH.with(|p| {
        p.borrow_mut().pop();
    });
    Some(out)
}

/// Method names that do a tool's work.
const WORK_NAMES: &[&str] = &[
    "execute", "run", "handle", "call", "invoke", "handler", "exec", "perform", "process", "_call",
    "_run", "_execute",
];
/// Prefixes of work methods: `executeWithClient`, `runQuery`, `handleRequest`.
const WORK_PREFIXES: &[&str] = &["execute", "run", "handle", "perform", "do"];

/// A class of the project: file index, index into its `classes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct ClassRef {
    file: usize,
    class: usize,
}

/// A registration of a tool named by a member of an object: `this.name`
/// in a method of the class (every subclass is a tool), or `tool.name`
/// where `tool` ranges over a list of classes or instances.
struct Registrar<'v> {
    /// The class around `this.name`; for `tool.name`, the class of the
    /// first element (unused otherwise).
    class: ClassRef,
    /// `this`, or the variable the name is read from.
    receiver: String,
    /// For `tool.name`: the classes `tool` may be an instance of.
    classes: Option<Vec<ClassRef>>,
    /// The file of the registration and its tool (of unknown name) there.
    file: usize,
    tool: usize,
    call: &'v Call,
    /// `name` in `registerTool(this.name, …)`.
    name_member: String,
    conditional: bool,
}

/// Names of the classes of a file that register a tool named by one of
/// their members (`register(server) { server.registerTool(this.name, …) }`),
/// or that extend a class named in `bases`: the classes whose subclasses are
/// tools. The scan looks for the modules that extend them.
pub fn tool_base_names(facts: &FileFacts, bases: &[String]) -> Vec<String> {
    facts
        .classes
        .iter()
        .filter(|c| !c.name.is_empty())
        .filter(|c| {
            c.extends.as_deref().is_some_and(|e| {
                let last = e.rsplit('.').next().unwrap_or(e);
                bases.iter().any(|b| b == last)
            }) || facts
                .tools
                .iter()
                .any(|t| t.dynamic_name && c.span.start <= t.span.start && t.span.end <= c.span.end)
        })
        .map(|c| c.name.clone())
        .collect()
}

/// Might this text declare a class extending one of `names`? (A cheap
/// test before parsing a file the prefilter skipped.)
pub fn may_extend(text: &str, names: &[String]) -> bool {
    let bytes = text.as_bytes();
    if memchr::memmem::find(bytes, b"extends").is_none() {
        return false;
    }
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    names.iter().any(|name| {
        memchr::memmem::find_iter(bytes, name.as_bytes()).any(|at| {
            let end = at + name.len();
            (at == 0 || !word(bytes[at - 1])) && bytes.get(end).is_none_or(|b| !word(*b))
        })
    })
}

/// The pass: one tool per concrete class that inherits a registration.
pub fn class_tools(view: &View) -> Vec<Edit> {
    let registrars = registrars(view);
    if registrars.is_empty() {
        return Vec::new();
    }
    let mut edits = Vec::new();
    let mut used = vec![false; registrars.len()];
    let mut done: Vec<ClassRef> = Vec::new();
    for (r, registrar) in registrars.iter().enumerate() {
        for class in registrar.classes.iter().flatten() {
            if done.contains(class) || test_code(&view.units[class.file]) {
                continue;
            }
            let chain = chain(view, *class);
            if let Some(tool) = class_tool(view, &chain, registrar) {
                done.push(*class);
                used[r] = true;
                edits.push(Edit::AddTool {
                    file: class.file,
                    tool: Box::new(tool),
                });
            }
        }
    }
    for (file, unit) in view.units.iter().enumerate() {
        if unit.facts.classes.is_empty() || test_code(unit) {
            continue;
        }
        for (index, class) in unit.facts.classes.iter().enumerate() {
            if class.is_abstract || class.name.is_empty() {
                continue;
            }
            let this = ClassRef { file, class: index };
            if done.contains(&this) {
                continue;
            }
            let chain = chain(view, this);
            let Some(r) = registrars
                .iter()
                .position(|r| r.classes.is_none() && chain.contains(&r.class))
            else {
                continue;
            };
            if let Some(tool) = class_tool(view, &chain, &registrars[r]) {
                used[r] = true;
                edits.push(Edit::AddTool {
                    file,
                    tool: Box::new(tool),
                });
            }
        }
    }
    for (r, registrar) in registrars.iter().enumerate() {
        if used[r] {
            edits.push(Edit::Drop {
                file: registrar.file,
                tool: registrar.tool,
            });
        }
    }
    edits
}

/// Test code: a test file, or a module of a test-support directory
/// (`integration-tests/`, `test-utils/`, `mocks/`). The tool classes it
/// declares are test doubles, not tools the server exposes.
fn test_code(unit: &super::Unit) -> bool {
    if unit.is_test() {
        return true;
    }
    let Some(dir) = unit.path.parent() else {
        return false;
    };
    dir.components().any(|c| {
        c.as_os_str().to_str().is_some_and(|name| {
            name.split(['-', '_', '.']).any(|word| {
                matches!(
                    word.to_ascii_lowercase().as_str(),
                    "test" | "tests" | "mock" | "mocks" | "spec" | "e2e" | "testing"
                )
            })
        })
    })
}

fn class_def<'v>(view: &'v View, c: ClassRef) -> &'v TsClass {
    &view.units[c.file].facts.classes[c.class]
}

/// The registrations of unknown name whose name is a member of the class
/// they sit in: `server.registerTool(this.name, …)` in a method.
fn registrars<'v>(view: &'v View) -> Vec<Registrar<'v>> {
    let mut out = Vec::new();
    for (file, unit) in view.units.iter().enumerate() {
        let facts = unit.facts;
        for (t, tool) in facts.tools.iter().enumerate() {
            if tool.kind != EntryKind::Tool || !tool.dynamic_name {
                continue;
            }
            let Some(call) = facts
                .calls
                .iter()
                .find(|c| c.positional().next().is_some_and(|a| a.span == tool.span))
            else {
                continue;
            };
            let Some((receiver, member)) = call
                .positional()
                .next()
                .and_then(Expr::name)
                .and_then(|n| n.split_once('.'))
                .filter(|(_, m)| !m.contains('.'))
            else {
                continue;
            };
            let conditional = tool.conditional || guarded(facts, call.span);
            if receiver == "this" {
                // The innermost class around the call.
                let Some(class) = facts
                    .classes
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.span.start <= call.span.start && call.span.end <= c.span.end)
                    .min_by_key(|(_, c)| c.span.len())
                    .map(|(i, _)| i)
                else {
                    continue;
                };
                out.push(Registrar {
                    class: ClassRef { file, class },
                    receiver: receiver.to_string(),
                    classes: None,
                    file,
                    tool: t,
                    call,
                    name_member: member.to_string(),
                    conditional,
                });
                continue;
            }
            let classes = ranged_classes(view, file, receiver, call.span, 0);
            let Some(first) = classes.first() else {
                continue;
            };
            out.push(Registrar {
                class: *first,
                receiver: receiver.to_string(),
                classes: Some(classes),
                file,
                tool: t,
                call,
                name_member: member.to_string(),
                conditional,
            });
        }
    }
    out
}

/// Is a registration preceded, in its function, by a guard that leaves
/// (`if (!this.verifyAllowed()) return false;`)?
fn guarded(facts: &FileFacts, call: Span) -> bool {
    let Some(function) = facts.enclosing_function(call) else {
        return false;
    };
    facts.statements.iter().any(|s| match s {
        Stmt::Guard { span, exits, .. } => {
            *exits && function.span.start <= span.start && span.end <= call.start
        }
        _ => false,
    })
}

/// The classes a variable read at `at` may hold an instance of: the list a
/// `forEach` / `map` callback or a `for … of` loop walks (`for (const
/// ToolClass of AllTools)`), or the value it is bound to.
fn ranged_classes(
    view: &View,
    file: usize,
    variable: &str,
    at: Span,
    depth: usize,
) -> Vec<ClassRef> {
    if depth > MAX_VALUE_HOPS {
        hops_cut(view, file, at);
        return Vec::new();
    }
    let facts = view.units[file].facts;
    // `tools.forEach((tool) => server.registerTool(tool.name, …))`: the
    // innermost function around `at` that takes the variable (a search in
    // the function tree, not a scan).
    let callback = facts
        .enclosing_functions(at)
        .into_iter()
        .filter_map(|i| facts.functions.get(i))
        .find(|f| f.params.iter().any(|p| p == variable));
    let Some(index) = view.index(file) else {
        return Vec::new();
    };
    if let Some(callback) = callback {
        let Some(call) = index
            .iterating_call(facts, callback.span)
            .and_then(|c| facts.calls.get(c))
        else {
            return Vec::new();
        };
        let list = match (&call.receiver, call.receiver()) {
            (Some(expr), _) => (**expr).clone(),
            (None, Some(name)) => Expr {
                span: call.callee_span,
                value: Value::Name(name.to_string()),
            },
            _ => return Vec::new(),
        };
        return classes_of(view, file, &list, depth + 1);
    }
    // `for (const tool of tools)`, `const tool = new SearchTool()`: the last
    // binding of the variable before the call.
    let bound =
        index
            .last_assign(facts, variable, at.start)
            .and_then(|i| match facts.statements.get(i) {
                Some(Stmt::Assign { value, .. }) => Some(value),
                _ => None,
            });
    match bound {
        Some(value) => classes_of(view, file, value, depth + 1),
        None => Vec::new(),
    }
}

/// The classes a list (or one value) holds: `[A, B]`, `[new A(), new
/// B(ctx)]`, spreads of other lists, `Object.values(toolsModule)`,
/// `.concat`, `.filter`, a factory function's returned list, through
/// constants and imports.
fn classes_of(view: &View, file: usize, expr: &Expr, depth: usize) -> Vec<ClassRef> {
    on_path(file, expr.span, || {
        classes_of_inner(view, file, expr, depth)
    })
    .unwrap_or_default()
}

fn classes_of_inner(view: &View, file: usize, expr: &Expr, depth: usize) -> Vec<ClassRef> {
    if depth > MAX_VALUE_HOPS {
        hops_cut(view, file, expr.span);
        return Vec::new();
    }
    let mut out: Vec<ClassRef> = Vec::new();
    let mut add = |found: Vec<ClassRef>| {
        for c in found {
            if !out.contains(&c) {
                out.push(c);
            }
        }
    };
    match &expr.value {
        Value::Array(items) => {
            for item in items {
                add(classes_of(view, file, item, depth + 1));
            }
        }
        Value::Op(_, operands) => {
            for operand in operands {
                add(classes_of(view, file, operand, depth + 1));
            }
        }
        Value::Name(name) => match view.resolve(file, name) {
            Some(Symbol::Class(f, c)) => add(vec![ClassRef { file: f, class: c }]),
            Some(Symbol::Binding(f, j)) => match class_bound(view, f, j) {
                Some(class) => add(vec![class]),
                None => {
                    let value = &view.units[f].facts.bindings[j].value;
                    add(classes_of(view, f, value, depth + 1));
                }
            },
            Some(Symbol::Module(m)) => add(module_classes(view, m, depth + 1)),
            _ => {}
        },
        Value::Call(call) => {
            let method = call.method();
            if let Some(class) = resolve_class(view, file, &call.callee, 0) {
                // `new SearchTool(ctx)`
                add(vec![class]);
            } else if call.callee == "Object.values" {
                for arg in call.positional() {
                    add(classes_of(view, file, arg, depth + 1));
                }
            } else if matches!(method, "concat" | "filter" | "slice" | "flat") {
                if let Some(receiver) = &call.receiver {
                    add(classes_of(view, file, receiver, depth + 1));
                } else if let Some(name) = call.receiver() {
                    let receiver = Expr {
                        span: call.callee_span,
                        value: Value::Name(name.to_string()),
                    };
                    add(classes_of(view, file, &receiver, depth + 1));
                }
                if method == "concat" {
                    for arg in call.positional() {
                        add(classes_of(view, file, arg, depth + 1));
                    }
                }
            } else if let Some((f, j)) = view.function(file, &call.callee) {
                // A factory: the lists it returns.
                let facts = view.units[f].facts;
                let span = facts.functions[j].span;
                // Statements are sorted by start: those inside the function only.
                let first = facts
                    .statements
                    .partition_point(|s| s.span().start < span.start);
                for s in facts.statements[first..]
                    .iter()
                    .take_while(|s| s.span().start <= span.end)
                {
                    if let Stmt::Return { value, span: at } = s
                        && at.end <= span.end
                    {
                        add(classes_of(view, f, value, depth + 1));
                    }
                }
            } else if !call.callee.contains('.') {
                // `new ToolClass(deps)` where `ToolClass` walks a list of classes.
                add(ranged_classes(
                    view,
                    file,
                    &call.callee,
                    call.span,
                    depth + 1,
                ));
            }
        }
        _ => {}
    }
    out
}

/// The classes a module exports (`import * as tools from "./tools"`), with
/// those it re-exports.
fn module_classes(view: &View, module: usize, depth: usize) -> Vec<ClassRef> {
    // A module's key on the path: its file with an empty span at the end.
    let key = Span {
        start: usize::MAX,
        end: usize::MAX,
    };
    on_path(module, key, || module_classes_inner(view, module, depth)).unwrap_or_default()
}

fn module_classes_inner(view: &View, module: usize, depth: usize) -> Vec<ClassRef> {
    if depth > MAX_VALUE_HOPS {
        hops_cut(view, module, Span::default());
        return Vec::new();
    }
    let facts = view.units[module].facts;
    let mut out: Vec<ClassRef> = (0..facts.classes.len())
        .map(|class| ClassRef {
            file: module,
            class,
        })
        .collect();
    for import in &facts.imports {
        if import.local == "*" {
            for target in view.import_files(module, import) {
                out.extend(module_classes(view, target, depth + 1));
            }
        } else if import.module.starts_with('.')
            && let Some(class) = resolve_class(view, module, &import.local, 0)
            && !out.contains(&class)
        {
            out.push(class);
        }
    }
    out
}

/// The class a name stands for in a file, through imports and re-exports.
fn resolve_class(view: &View, file: usize, name: &str, hops: usize) -> Option<ClassRef> {
    if hops > MAX_VALUE_HOPS {
        hops_cut(view, file, Span::default());
        return None;
    }
    match view.resolve(file, name)? {
        Symbol::Class(file, class) => Some(ClassRef { file, class }),
        Symbol::Binding(f, j) => class_bound(view, f, j).or_else(|| {
            // `export default FindTool`, `const Base = ToolBase`.
            let value = view.units[f].facts.bindings[j].value.name()?;
            (value != name).then(|| resolve_class(view, f, value, hops + 1))?
        }),
        _ => None,
    }
}

/// The class a binding stands for: the frontend binds a class's name to
/// its declaration (`class X {…}`, `const X = class {…}`).
fn class_bound(view: &View, file: usize, binding: usize) -> Option<ClassRef> {
    let facts = view.units[file].facts;
    let span = facts.bindings.get(binding)?.value.span;
    let class = facts.classes.iter().position(|c| c.span == span)?;
    Some(ClassRef { file, class })
}

/// The class and its superclasses, most derived first, however deep: the
/// visited set ends a cycle of `extends`, so the walk is linear in the
/// number of classes.
fn chain(view: &View, start: ClassRef) -> Vec<ClassRef> {
    let mut out = vec![start];
    let mut visited = std::collections::HashSet::from([start]);
    let mut current = start;
    while let Some(base) = class_def(view, current).extends.as_deref() {
        let Some(next) = resolve_class(view, current.file, base, 0) else {
            break;
        };
        if !visited.insert(next) {
            break;
        }
        out.push(next);
        current = next;
    }
    out
}

/// The tool a concrete class of `chain` is, when its name is known.
fn class_tool(view: &View, chain: &[ClassRef], registrar: &Registrar) -> Option<ToolDef> {
    let this = chain[0];
    let (name, name_span, literal) = tool_name(view, chain, &registrar.name_member)?;
    let (description, params, annotations) = metadata(view, chain, registrar);
    let handler = handler(view, chain, registrar);
    Some(ToolDef {
        kind: EntryKind::Tool,
        name,
        span: name_span,
        name_literal: literal,
        dynamic_name: false,
        description,
        params,
        annotations,
        handler: handler.filter(|(f, _)| *f == this.file).map(|(_, j)| j),
        handler_import: None,
        conditional: registrar.conditional,
        link: handler.map(|(file, function)| HandlerLink {
            file,
            function,
            branch: None,
        }),
    })
}

/// A member's value as the class of `chain` sees it: the most derived
/// field, getter or constructor assignment (`this.name = …`) that gives
/// one, with the file it is written in.
fn member_values<'v>(view: &'v View, chain: &[ClassRef], member: &str) -> Vec<(usize, &'v Expr)> {
    let mut out = Vec::new();
    for c in chain {
        let facts = view.units[c.file].facts;
        let class = class_def(view, *c);
        for m in class.members.iter().filter(|m| m.name == member) {
            if let Some(value) = &m.value {
                out.push((c.file, value));
            } else if m.getter
                && let Some(function) = m.function.and_then(|j| facts.functions.get(j))
                && let Some(value) = returned(facts, function.span)
            {
                out.push((c.file, value));
            }
        }
        // `constructor() { this.name = "x"; }`
        if let Some(ctor) = class
            .member("constructor")
            .and_then(|m| m.function)
            .and_then(|j| facts.functions.get(j))
        {
            let target = format!("this.{member}");
            for b in facts.bindings.iter().filter(|b| {
                b.name == target && ctor.span.start <= b.span.start && b.span.end <= ctor.span.end
            }) {
                // A constructor parameter is not a value known here.
                if b.value
                    .name()
                    .is_some_and(|n| ctor.params.iter().any(|p| p == n))
                {
                    continue;
                }
                out.push((c.file, &b.value));
            }
        }
    }
    out
}

/// The first value returned inside `span` (a getter's body).
fn returned(facts: &FileFacts, span: Span) -> Option<&Expr> {
    facts.statements.iter().find_map(|s| match s {
        Stmt::Return { value, span: at } if span.start <= at.start && at.end <= span.end => {
            Some(value)
        }
        _ => None,
    })
}

/// The tool's name, the span it is written at in the class's file, and the
/// span of its literal when that is in the same file.
fn tool_name(
    view: &View,
    chain: &[ClassRef],
    member: &str,
) -> Option<(String, Span, Option<Span>)> {
    let this = chain[0];
    let mut candidates = member_values(view, chain, member);
    // The name injected from a static field (`static toolName = "find"`,
    // passed to the constructor by the code that instantiates the class).
    for c in chain {
        for m in class_def(view, *c).members.iter().filter(|m| {
            m.is_static && m.name != member && m.name.to_ascii_lowercase().ends_with("name")
        }) {
            if let Some(value) = &m.value {
                candidates.push((c.file, value));
            }
        }
    }
    for (file, value) in candidates {
        let Some((name, at_file, at)) = string_value(view, file, value, chain, 0) else {
            continue;
        };
        if name.is_empty() {
            continue;
        }
        let span = if file == this.file {
            value.span
        } else {
            // Written in a superclass: the tool is the class itself.
            class_def(view, this).span
        };
        let literal = (at_file == this.file).then_some(at);
        return Some((name, span, literal));
    }
    None
}

/// The string an expression stands for: a literal, a constant (possibly
/// imported), `SomeClass.staticField`, `this.otherMember`, or a key of a
/// constant object (`ToolNames.FIND`); with the literal's file and span.
fn string_value(
    view: &View,
    file: usize,
    expr: &Expr,
    chain: &[ClassRef],
    hops: usize,
) -> Option<(String, usize, Span)> {
    if hops > MAX_VALUE_HOPS {
        hops_cut(view, file, expr.span);
        return None;
    }
    match &expr.value {
        Value::Str(s) => Some((s.clone(), file, expr.span)),
        Value::Name(name) => {
            if let Some(member) = name.strip_prefix("this.") {
                return member_values(view, chain, member)
                    .into_iter()
                    .find_map(|(f, v)| string_value(view, f, v, chain, hops + 1));
            }
            // `FindTool.toolName`: a static field of a class.
            if let Some((head, field)) = name.rsplit_once('.')
                && let Some(class) = resolve_class(view, file, head, 0)
            {
                let other = self::chain(view, class);
                return member_values(view, &other, field)
                    .into_iter()
                    .find_map(|(f, v)| string_value(view, f, v, &other, hops + 1));
            }
            match view.resolve(file, name) {
                Some(Symbol::Binding(f, j)) => {
                    let value = &view.units[f].facts.bindings[j].value;
                    string_value(view, f, value, chain, hops + 1)
                }
                _ => {
                    // `ToolNames.FIND` where `ToolNames` is a constant object.
                    let (head, key) = name.rsplit_once('.')?;
                    let Some(Symbol::Binding(f, j)) = view.resolve(file, head) else {
                        return view.units[file]
                            .facts
                            .string_of(expr)
                            .map(|(s, span)| (s, file, span));
                    };
                    let object = &view.units[f].facts.bindings[j].value;
                    string_value(view, f, object.get(key)?, chain, hops + 1)
                }
            }
        }
        _ => None,
    }
}

/// The description, parameters and annotations the registration reads
/// from the class (`{ description: this.description, inputSchema:
/// this.argsShape }`, or the positional `server.tool(this.name,
/// this.description, this.schema.shape, …)`), where the class's own file
/// writes them.
fn metadata(
    view: &View,
    chain: &[ClassRef],
    registrar: &Registrar,
) -> (
    Option<Description>,
    Vec<crate::facts::Param>,
    crate::facts::ToolAnnotations,
) {
    let this = chain[0];
    let facts = view.units[this.file].facts;
    let call = registrar.call;
    let prefix = format!("{}.", registrar.receiver);
    let own = |expr: &Expr| -> Option<&Expr> {
        let member = expr.name()?.strip_prefix(prefix.as_str())?;
        let member = member.strip_suffix(".shape").unwrap_or(member);
        member_values(view, chain, member)
            .into_iter()
            .find(|(f, _)| *f == this.file)
            .map(|(_, v)| v)
    };
    let mut description = None;
    let mut schema = None;
    let mut annotations = None;
    // The registration passes annotations read from the object
    // (`annotations: this.annotations`) whatever the class's file says.
    let mut passed = false;
    let args: Vec<&Expr> = call.positional().collect();
    if call.method() == "tool" {
        passed = args.iter().any(|a| {
            a.name()
                .and_then(|n| n.strip_prefix(prefix.as_str()))
                .is_some_and(|m| m.to_ascii_lowercase().contains("annotation"))
        });
        for arg in args.iter().skip(1).take(args.len().saturating_sub(2)) {
            let Some(value) = own(arg) else { continue };
            match &value.value {
                Value::Object(pairs)
                    if !pairs.is_empty()
                        && pairs
                            .iter()
                            .all(|(k, _)| k.ends_with("Hint") || k == "title") =>
                {
                    annotations = Some(value)
                }
                Value::Object(_) | Value::Call(_) => schema = schema.or(Some(value)),
                _ => description = description.or(Some(value)),
            }
        }
    } else if let Some(config) = args.get(1) {
        if let Some(held) = own(config) {
            // The class holds the whole config: `registerTool(this.name, this.config, …)`.
            description = held.get("description");
            schema = held.get("inputSchema");
            annotations = held.get("annotations");
        } else {
            let get = |key: &str| config.get(key).and_then(own);
            passed = config
                .get("annotations")
                .and_then(Expr::name)
                .is_some_and(|n| n.starts_with(prefix.as_str()));
            description = get("description");
            schema = get("inputSchema").or_else(|| get("parameters"));
            annotations = get("annotations");
        }
    }
    // Most bases read the members by these names, whatever the call says.
    for (slot, names) in [
        (&mut description, &["description"][..]),
        (
            &mut schema,
            &[
                "argsShape",
                "inputSchema",
                "schema",
                "parameters",
                "paramsSchema",
            ][..],
        ),
    ] {
        if slot.is_none() {
            *slot = names.iter().find_map(|n| {
                member_values(view, chain, n)
                    .into_iter()
                    .find(|(f, _)| *f == this.file)
                    .map(|(_, v)| v)
            });
        }
    }
    let params = match schema {
        Some(s) if s.get("properties").is_some() => json_schema_params(s, facts),
        Some(s) => zod_shape_params(s, facts),
        None => Vec::new(),
    };
    (
        description.map(|d| describe(d, facts, &[])),
        params,
        match annotations {
            Some(a) => annotations_of(a, facts),
            None => crate::facts::ToolAnnotations {
                computed: passed,
                ..Default::default()
            },
        },
    )
}

/// The method a call on a class instance runs, for the taint engine's call
/// resolution: `this.helper(x)` (a method of the caller's class or one it
/// inherits, from another module too), `this.client.run(x)` (a field
/// bound to `new GitClient()` in its declaration or the constructor), and
/// `git.run(x)` with `git` bound to `new GitClient()` in the file or
/// imported. `None` when the receiver is no instance of a project class,
/// or when the classes of the file disagree on what `this.helper` is.
pub fn member_function(view: &View, file: usize, callee: &str) -> Option<(usize, usize)> {
    let facts = view.units.get(file)?.facts;
    let (receiver, name) = callee.rsplit_once('.')?;
    if receiver == "this" || receiver.starts_with("this.") {
        let field = receiver.strip_prefix("this.");
        if field.is_some_and(|f| f.contains('.')) || facts.classes.is_empty() {
            return None;
        }
        let mut found: Option<(usize, usize)> = None;
        for class in 0..facts.classes.len() {
            let chain = chain(view, ClassRef { file, class });
            let targets: Vec<ClassRef> = match field {
                None => vec![chain[0]],
                Some(field) => member_values(view, &chain, field)
                    .into_iter()
                    .flat_map(|(f, v)| classes_of(view, f, v, 0))
                    .collect(),
            };
            for target in targets {
                let target_chain = if field.is_none() {
                    chain.clone()
                } else {
                    self::chain(view, target)
                };
                if let Some((_, f, j)) = method(view, &target_chain, name) {
                    match found {
                        Some(other) if other != (f, j) => return None,
                        _ => found = Some((f, j)),
                    }
                }
            }
        }
        return found;
    }
    if receiver.contains('.') {
        return None;
    }
    // Only names bound in the file or imported into it: the common
    // `fs.readFile` is neither and costs nothing here.
    if facts.resolve(receiver).is_none() && !facts.imports.iter().any(|i| i.local == receiver) {
        return None;
    }
    let Some(Symbol::Binding(f, j)) = view.resolve(file, receiver) else {
        return None;
    };
    let value = &view.units[f].facts.bindings[j].value;
    let Value::Call(_) = &value.value else {
        return None;
    };
    classes_of(view, f, value, 0)
        .into_iter()
        .find_map(|c| method(view, &chain(view, c), name))
        .map(|(_, f, j)| (f, j))
}

/// Where a method is defined for the class of `chain` (the most derived
/// definition with a body): position in the chain, file, function.
fn method(view: &View, chain: &[ClassRef], name: &str) -> Option<(usize, usize, usize)> {
    chain.iter().enumerate().find_map(|(pos, c)| {
        let m = class_def(view, *c)
            .members
            .iter()
            .find(|m| m.name == name && !m.is_abstract && m.function.is_some())?;
        Some((pos, c.file, m.function?))
    })
}

/// The handler of the class of `chain`: where the registered callback's
/// work is done for this class.
fn handler(view: &View, chain: &[ClassRef], registrar: &Registrar) -> Option<(usize, usize)> {
    let prefix = format!("{}.", registrar.receiver);
    let callback = registrar.call.args.last().map(|a| &a.value)?;
    let method_name = match &callback.value {
        // `this.invoke.bind(this)`
        Value::Call(bind) if bind.method() == "bind" => bind
            .receiver()
            .and_then(|r| r.strip_prefix(prefix.as_str()))
            .map(str::to_string),
        Value::Name(n) => n.strip_prefix(prefix.as_str()).map(str::to_string),
        _ => None,
    };
    if let Some(name) = method_name {
        let (pos, f, j) = method(view, chain, &name)?;
        return Some(follow(view, chain, pos, f, j));
    }
    // `(args) => this.execute(args)`, `async (args) => tool.handler(args, ctx)`
    if let Some((f, j)) = view.function_at(registrar.file, callback.span) {
        for name in ranked_calls(view.units[f].facts, j, &prefix) {
            if let Some((pos, nf, nj)) = method(view, chain, name) {
                return Some(follow(view, chain, pos, nf, nj));
            }
        }
    }
    // Else the class's own work method.
    WORK_NAMES
        .iter()
        .find_map(|n| method(view, chain, n))
        .map(|(_, f, j)| (f, j))
}

/// The methods function `j` calls on `prefix` (`this.`, `tool.`), the
/// likeliest work method first: a work name, then one handed the
/// function's first parameter (the tool's arguments).
fn ranked_calls<'f>(facts: &'f FileFacts, j: usize, prefix: &str) -> Vec<&'f str> {
    let Some(function) = facts.functions.get(j) else {
        return Vec::new();
    };
    let first_param = function.params.first();
    let mut candidates: Vec<(u8, &str)> = facts
        .calls
        .iter()
        .filter(|c| function.span.start <= c.span.start && c.span.end <= function.span.end)
        .filter_map(|c| {
            let name = c.callee.strip_prefix(prefix)?;
            if name.contains('.') {
                return None;
            }
            let passes_args = first_param.is_some_and(|p| {
                c.positional()
                    .next()
                    .and_then(Expr::name)
                    .is_some_and(|n| n == p)
            });
            let score = work_score(name) + u8::from(passes_args);
            (score > 0).then_some((score, name))
        })
        .collect();
    candidates.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
    candidates.into_iter().map(|(_, name)| name).collect()
}

/// From function `j` of file `f`, defined by the class at `pos` of the
/// chain: the override it dispatches the tool's arguments to, when a more
/// derived class defines one (a template method), else itself.
///
/// Each step moves to a strictly more derived class, so the loop ends
/// within the chain's length: no bound is needed.
fn follow(view: &View, chain: &[ClassRef], pos: usize, f: usize, j: usize) -> (usize, usize) {
    let (mut pos, mut f, mut j) = (pos, f, j);
    'step: while pos > 0 {
        for name in ranked_calls(view.units[f].facts, j, "this.") {
            let Some((next_pos, nf, nj)) = method(view, chain, name) else {
                continue;
            };
            if next_pos < pos {
                (pos, f, j) = (next_pos, nf, nj);
                continue 'step;
            }
        }
        break;
    }
    (f, j)
}

/// 3 for a work method's name, 2 for a work prefix (`executeWithClient`), else 0.
fn work_score(name: &str) -> u8 {
    let bare = name.trim_start_matches('#');
    if WORK_NAMES.contains(&bare) {
        return 3;
    }
    let prefixed = WORK_PREFIXES.iter().any(|p| {
        bare.strip_prefix(p)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| c.is_ascii_uppercase() || c == '_')
    });
    if prefixed { 2 } else { 0 }
}

#[cfg(test)]
mod tests;
