//! Go tools that only the whole project shows (see `crate::frontend::go_mcp`
//! for what one file sees):
//!
//! - handlers named by a registration but defined elsewhere: a function of
//!   another file of the package or of an imported package (`tools.Search`),
//!   a method value (`h.search`, a method of that name in the package, the
//!   packages the file imports, or the module), a factory call
//!   (`searchHandler(client)`, linked to the function literal it returns);
//! - names and descriptions given as constants of another file or package;
//! - project wrappers: a function that builds an SDK tool from its own
//!   parameters (`func MustTool(name, description string, h H, opts …)`),
//!   directly or through another wrapper; each call with a known name is a
//!   tool, its handler the argument the wrapper passes on (else the one
//!   argument naming a project function), its parameters the fields of the
//!   handler's typed input struct;
//! - tool values of the project's own `Tool` type (`api.Tool{Name: "x"}`
//!   beside `Handler: h`), when a file of the same module converts such
//!   values into SDK tools (`&mcp.Tool{Name: t.Tool.Name}`).

use std::collections::HashSet;
use std::path::PathBuf;

use crate::facts::go::{HandlerRef, ToolWrapper};
use crate::facts::{Call, Description, EntryKind, Expr, HandlerLink, Language, ToolDef, Value};
use crate::finding::Span;
use crate::frontend::go_mcp::returned_literal;

use super::tool_names::constant_string;
use super::{Edit, View};

/// Rounds of wrapper discovery (a wrapper calling a wrapper calling the
/// SDK). Each round reads every call of the project's Go files once; the
/// `done` set keeps a recursive wrapper from coming back.
const MAX_ROUNDS: usize = 16;
/// Call sites bound per wrapper (a generated file is not a server).
const MAX_SITES: usize = 2000;

/// The note when a wrapper forwards to more wrappers.
const ROUNDS_LIMIT: &str =
    "Go tool wrappers are followed 16 wrappers deep and this one is called by another";
/// The note when wrappers have more call sites.
const SITES_LIMIT: &str = "Go tool wrappers are bound at 2000 call sites each and these have more";

/// Should a Go file that registers no tool of its own keep its facts?
pub fn wanted(facts: &crate::facts::FileFacts) -> bool {
    facts.language == Language::Go
        && (facts.go.uses_sdk
            || !facts.go.wrappers.is_empty()
            || !facts.go.tool_candidates.is_empty()
            || facts.go.converts_tools)
}

pub fn pass(view: &View) -> Vec<Edit> {
    let go: Vec<usize> = (0..view.units.len())
        .filter(|&f| view.units[f].facts.language == Language::Go)
        .collect();
    if go.is_empty() {
        return Vec::new();
    }
    let mut edits = Vec::new();
    for &file in &go {
        let facts = view.units[file].facts;
        for (tool, reference) in &facts.go.handler_refs {
            if let Some((hfile, function)) = resolve_handler(view, file, reference) {
                edits.push(Edit::Link {
                    file,
                    tool: *tool,
                    link: HandlerLink {
                        file: hfile,
                        function,
                        branch: None,
                    },
                });
            }
        }
        for (tool, name) in &facts.go.name_refs {
            let at = facts.tools.get(*tool).map(|t| t.span).unwrap_or_default();
            if let Some(text) = named_string(view, file, name, at, 0) {
                edits.push(Edit::Rename {
                    file,
                    tool: *tool,
                    name: text,
                });
            }
        }
        for (tool, name) in &facts.go.description_refs {
            let Some(at) = facts
                .tools
                .get(*tool)
                .and_then(|t| t.description.as_ref())
                .map(Description::span)
            else {
                continue;
            };
            if let Some(text) = constant(view, file, name) {
                edits.push(Edit::Describe {
                    file,
                    tool: *tool,
                    description: Description::Literal { text, span: at },
                });
            }
        }
    }
    edits.extend(factory_registrations(view, &go));
    let params = typed_inputs(view, &edits);
    edits.extend(params);
    edits.extend(candidates(view, &go));
    edits.extend(wrapper_calls(view, &go));
    edits
}

/// Tools without parameters of their own whose linked handler takes a
/// typed input struct (`func(ctx, req, args SearchArgs)`): its fields.
fn typed_inputs(view: &View, edits: &[Edit]) -> Vec<Edit> {
    edits
        .iter()
        .filter_map(|edit| {
            let Edit::Link { file, tool, link } = edit else {
                return None;
            };
            let def = view.units.get(*file)?.facts.tools.get(*tool)?;
            if !def.params.is_empty() || def.kind != EntryKind::Tool {
                return None;
            }
            let params = typed_params(view, link.file, link.function)?;
            (!params.is_empty()).then_some(Edit::Params {
                file: *file,
                tool: *tool,
                params,
            })
        })
        .collect()
}

/// The text a constant named in file `file` stands for.
fn constant(view: &View, file: usize, name: &str) -> Option<String> {
    let expr = Expr {
        span: crate::finding::Span::default(),
        value: Value::Name(name.to_string()),
    };
    constant_string(view, file, &expr, crate::finding::Span::default())
}

/// How many names and operators deep a string is followed (a name, its
/// value, a concatenation: each is a level). Bindings are followed only to
/// earlier ones, so the walk has no cycle; the bound keeps fan-out cheap.
const MAX_DEPTH: usize = 16;

/// The note when a tool name goes deeper.
const DEPTH_LIMIT: &str =
    "Go tool names are followed 16 names or operators deep and this one goes further";

/// The text a name written at `at` in file `file` stands for: a variable
/// of the function around it (`name := defaults.Prefix() + "_logs"`), else
/// a constant of the file, its package or an imported one.
fn named_string(view: &View, file: usize, name: &str, at: Span, depth: usize) -> Option<String> {
    if depth > MAX_DEPTH {
        view.note_limit(file, at, DEPTH_LIMIT);
        return None;
    }
    let facts = view.units.get(file)?.facts;
    if let Some(scope) = facts.enclosing_function(at).map(|f| f.span) {
        let local = facts.bindings.iter().rev().find(|b| {
            b.name == name && !b.top_level && scope.start <= b.span.start && b.span.end <= at.start
        });
        if let Some(binding) = local {
            return go_string(view, file, &binding.value, binding.span, depth + 1);
        }
    }
    constant(view, file, name)
}

/// The text a Go expression stands for: a literal, a name (see
/// `named_string`), a concatenation or `fmt.Sprintf` of those, or a call of
/// a project function that returns a constant (`defaults.ToolsetName()`).
fn go_string(view: &View, file: usize, expr: &Expr, at: Span, depth: usize) -> Option<String> {
    if depth > MAX_DEPTH {
        view.note_limit(file, at, DEPTH_LIMIT);
        return None;
    }
    match &expr.value {
        Value::Str(s) => Some(s.clone()),
        Value::Name(name) => named_string(view, file, name, at, depth + 1),
        Value::Concat(parts) => parts
            .iter()
            .map(|p| go_string(view, file, p, at, depth + 1))
            .collect(),
        Value::Template(text, parts) => {
            let mut out = String::new();
            let mut pieces = text.split("{}");
            out.push_str(pieces.next().unwrap_or(""));
            for (part, piece) in parts.iter().zip(pieces) {
                out.push_str(&go_string(view, file, part, at, depth + 1)?);
                out.push_str(piece);
            }
            Some(out)
        }
        Value::Call(call) if call.args.is_empty() => {
            let (f, j) = view.function(file, &call.callee)?;
            let facts = view.units[f].facts;
            let (_, returned) = facts.go.returns.iter().find(|(k, _)| *k == j)?;
            if let Some(literal) = returned.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
                return Some(literal.to_string());
            }
            constant(view, f, returned)
        }
        _ => None,
    }
}

/// The function a handler reference names, across the project.
fn resolve_handler(view: &View, file: usize, reference: &HandlerRef) -> Option<(usize, usize)> {
    match reference {
        HandlerRef::Name(name) => view.function(file, name),
        HandlerRef::Method(name) => method(view, file, name),
        HandlerRef::Factory(name) => {
            let (f, j) = view
                .function(file, name)
                .or_else(|| method(view, file, name))?;
            let unit = &view.units[f];
            Some((f, returned_literal(unit.facts, j, unit.text).unwrap_or(j)))
        }
    }
}

/// A method named `name`: of the file, its package, the project packages
/// it imports, else anywhere in its module (the nearest first).
fn method(view: &View, file: usize, name: &str) -> Option<(usize, usize)> {
    let of = |f: usize| -> Option<(usize, usize)> {
        let facts = view.units.get(f)?.facts;
        facts
            .go
            .receivers
            .iter()
            .find(|(j, _)| facts.functions.get(*j).and_then(|x| x.name.as_deref()) == Some(name))
            .map(|(j, _)| (f, *j))
    };
    if let Some(found) = of(file) {
        return Some(found);
    }
    if let Some(found) = view.go_package(file).into_iter().find_map(of) {
        return Some(found);
    }
    let facts = view.units[file].facts;
    for import in &facts.imports {
        if let Some(found) = view.import_files(file, import).into_iter().find_map(of) {
            return Some(found);
        }
    }
    let root = module_root(view, file);
    (0..view.units.len())
        .filter(|&f| {
            f != file
                && view.units[f].facts.language == Language::Go
                && !view.units[f].is_test()
                && module_root(view, f) == root
        })
        .find_map(of)
}

/// The directory of the file's `go.mod`, else its own directory.
fn module_root(view: &View, file: usize) -> Option<PathBuf> {
    let path = view.units.get(file)?.path;
    view.go_modules().module_root(path).or_else(|| {
        std::path::absolute(path)
            .ok()
            .and_then(|p| p.parent().map(PathBuf::from))
    })
}

/// Project tool values become tools when their module converts them into
/// SDK tools.
fn candidates(view: &View, go: &[usize]) -> Vec<Edit> {
    let converting: HashSet<Option<PathBuf>> = go
        .iter()
        .filter(|&&f| view.units[f].facts.go.converts_tools)
        .map(|&f| module_root(view, f))
        .collect();
    let annotating: HashSet<Option<PathBuf>> = go
        .iter()
        .filter(|&&f| view.units[f].facts.go.converts_annotations)
        .map(|&f| module_root(view, f))
        .collect();
    let mut edits = Vec::new();
    for &file in go {
        let facts = view.units[file].facts;
        if facts.go.tool_candidates.is_empty()
            || view.units[file].is_test()
            || !converting.contains(&module_root(view, file))
        {
            continue;
        }
        let annotated = annotating.contains(&module_root(view, file));
        for (tool, reference) in &facts.go.tool_candidates {
            let mut tool = tool.clone();
            if annotated && tool.annotations == crate::facts::ToolAnnotations::default() {
                // The conversion sets the hints from the value's fields.
                tool.annotations.computed = true;
            }
            if tool.dynamic_name {
                // The frontend left the constant's name as written.
                match named_string(view, file, &tool.name, tool.span, 0) {
                    Some(text) => {
                        tool.name = text;
                        tool.dynamic_name = false;
                    }
                    None => continue,
                }
            }
            if tool.handler.is_none()
                && let Some((hfile, function)) = reference
                    .as_ref()
                    .and_then(|r| resolve_handler(view, file, r))
            {
                tool.link = Some(HandlerLink {
                    file: hfile,
                    function,
                    branch: None,
                });
            }
            if tool.params.is_empty()
                && let Some(link) = tool.link
            {
                tool.params = typed_params(view, link.file, link.function).unwrap_or_default();
            }
            edits.push(Edit::AddTool {
                file,
                tool: Box::new(tool),
            });
        }
    }
    edits
}

/// Tools a function returns alone, linked to the handler registered with
/// a call of that function: `mcp.AddTool(s, SearchTool(), searchHandler)`,
/// `s.AddTool(tools.Search(), h.search)`.
fn factory_registrations(view: &View, go: &[usize]) -> Vec<Edit> {
    let factories: Vec<(usize, usize, usize)> = go
        .iter()
        .flat_map(|&f| {
            view.units[f]
                .facts
                .go
                .tool_factories
                .iter()
                .map(move |&(tool, function)| (f, tool, function))
        })
        .collect();
    if factories.is_empty() {
        return Vec::new();
    }
    let mut edits = Vec::new();
    let mut linked: HashSet<(usize, usize)> = HashSet::new();
    for &file in go {
        for call in &view.units[file].facts.calls {
            if !matches!(
                call.method(),
                "AddTool" | "AddPrompt" | "AddResource" | "AddResourceTemplate"
            ) {
                continue;
            }
            let args: Vec<&Expr> = call.positional().collect();
            for (i, arg) in args.iter().enumerate() {
                let Value::Call(inner) = &arg.value else {
                    continue;
                };
                let Some(target) = view.function(file, &inner.callee) else {
                    continue;
                };
                let Some(&(tfile, tool, _)) = factories
                    .iter()
                    .find(|(f, _, function)| (*f, *function) == target)
                else {
                    continue;
                };
                let Some((hfile, function)) =
                    args.get(i + 1).and_then(|h| handler_expr(view, file, h))
                else {
                    continue;
                };
                if linked.insert((tfile, tool)) {
                    edits.push(Edit::Link {
                        file: tfile,
                        tool,
                        link: HandlerLink {
                            file: hfile,
                            function,
                            branch: None,
                        },
                    });
                }
            }
        }
    }
    edits
}

/// The function a handler argument stands for: a function, a method
/// value, a literal, a factory's returned literal.
fn handler_expr(view: &View, file: usize, arg: &Expr) -> Option<(usize, usize)> {
    match &arg.value {
        Value::Function => view.function_at(file, arg.span),
        Value::Name(name) => view.function(file, name).or_else(|| {
            let (_, last) = name.rsplit_once('.')?;
            method(view, file, last)
        }),
        Value::Call(call) => {
            // `mcp.NewTypedToolHandler(search)`.
            if call.callee.ends_with("ToolHandler") {
                return handler_expr(view, file, call.positional().next()?);
            }
            resolve_handler(view, file, &HandlerRef::Factory(call.callee.clone())).or_else(|| {
                let last = call.method();
                resolve_handler(view, file, &HandlerRef::Factory(last.to_string()))
            })
        }
        _ => None,
    }
}

/// A wrapper function found in the project: its file and the positions.
#[derive(Clone)]
struct Found {
    file: usize,
    wrapper: ToolWrapper,
}

/// Every call of a project wrapper with a known name is a tool.
fn wrapper_calls(view: &View, go: &[usize]) -> Vec<Edit> {
    let mut wrappers: Vec<Found> = go
        .iter()
        .flat_map(|&file| {
            view.units[file]
                .facts
                .go
                .wrappers
                .iter()
                .map(move |w| Found {
                    file,
                    wrapper: w.clone(),
                })
        })
        .collect();
    if wrappers.is_empty() {
        return Vec::new();
    }
    let mut done: HashSet<(usize, usize)> = wrappers
        .iter()
        .map(|w| (w.file, w.wrapper.function))
        .collect();
    let mut edits = Vec::new();
    let mut fresh = wrappers.clone();
    for _ in 0..MAX_ROUNDS {
        let mut next = Vec::new();
        for &file in go {
            let facts = view.units[file].facts;
            for call in &facts.calls {
                let Some(target) = view.function(file, &call.callee) else {
                    continue;
                };
                let Some(found) = fresh
                    .iter()
                    .find(|w| (w.file, w.wrapper.function) == target)
                else {
                    continue;
                };
                match bind(view, file, call, &found.wrapper) {
                    Bound::Tool(tool) => edits.push(Edit::AddTool { file, tool }),
                    Bound::Wrapper(wrapper) => {
                        if done.insert((file, wrapper.function)) {
                            next.push(Found { file, wrapper });
                        }
                    }
                    Bound::Nothing => {}
                }
                if edits.len() > MAX_SITES * wrappers.len() {
                    view.note_limit(file, call.span, SITES_LIMIT);
                    return edits;
                }
            }
        }
        if next.is_empty() {
            return edits;
        }
        wrappers.extend(next.iter().cloned());
        fresh = next;
    }
    // The last round found wrappers that are called, but no round bound
    // those calls.
    for &file in go {
        for call in &view.units[file].facts.calls {
            if let Some(target) = view.function(file, &call.callee)
                && fresh.iter().any(|w| (w.file, w.wrapper.function) == target)
            {
                view.note_limit(file, call.span, ROUNDS_LIMIT);
            }
        }
    }
    edits
}

enum Bound {
    Tool(Box<ToolDef>),
    /// The call forwards its own function's parameters: that function is a
    /// wrapper too.
    Wrapper(ToolWrapper),
    Nothing,
}

/// One call of a wrapper: a tool, or a wrapper of a wrapper.
fn bind(view: &View, file: usize, call: &Call, wrapper: &ToolWrapper) -> Bound {
    let unit = &view.units[file];
    let facts = unit.facts;
    let positional: Vec<&Expr> = call.positional().collect();
    let Some(name_arg) = positional.get(wrapper.name) else {
        return Bound::Nothing;
    };
    // Inside a function whose parameter is the name: a wrapper of a wrapper.
    if let Some(name) = name_arg.name()
        && let Some(outer) = facts
            .enclosing_functions(call.span)
            .into_iter()
            .next()
            .filter(|&f| facts.functions[f].name.is_some())
        && let Some(position) = facts.functions[outer].params.iter().position(|p| p == name)
    {
        let param = |index: Option<usize>| {
            let arg = positional.get(index?)?.name()?;
            facts.functions[outer].params.iter().position(|p| p == arg)
        };
        return Bound::Wrapper(ToolWrapper {
            function: outer,
            name: position,
            description: param(wrapper.description),
            handler: param(wrapper.handler),
            annotated: wrapper.annotated,
        });
    }
    let Some(name) = go_string(view, file, name_arg, call.span, 0) else {
        return Bound::Nothing;
    };
    let description = wrapper
        .description
        .and_then(|d| positional.get(d))
        .map(|d| match constant_string(view, file, d, call.span) {
            Some(text) => Description::Literal { text, span: d.span },
            None => Description::Dynamic {
                span: d.span,
                origins: Vec::new(),
            },
        });
    let handler = match wrapper.handler.and_then(|h| positional.get(h)) {
        Some(arg) => handler_expr(view, file, arg),
        // The wrapper hands the handler on in a way not followed (through
        // reflection, a closure): the argument that names a project
        // function, a literal first, then a factory call.
        None => {
            let others: Vec<&&Expr> = positional
                .iter()
                .enumerate()
                .filter(|(i, _)| Some(*i) != wrapper.description && *i != wrapper.name)
                .map(|(_, arg)| arg)
                .collect();
            others
                .iter()
                .filter(|a| !matches!(a.value, Value::Call(_)))
                .find_map(|arg| handler_expr(view, file, arg))
                .or_else(|| {
                    others
                        .iter()
                        .filter(|a| matches!(a.value, Value::Call(_)))
                        .find_map(|arg| handler_expr(view, file, arg))
                })
        }
    };
    let params = handler
        .and_then(|(f, j)| typed_params(view, f, j))
        .unwrap_or_default();
    Bound::Tool(Box::new(ToolDef {
        kind: EntryKind::Tool,
        name,
        span: name_arg.span,
        name_literal: name_arg.str_value().map(|_| name_arg.span),
        dynamic_name: false,
        description,
        params,
        annotations: {
            let mut hints = annotations(&positional);
            if hints == crate::facts::ToolAnnotations::default() && wrapper.annotated {
                hints.computed = true;
            }
            hints
        },
        handler: None,
        handler_import: None,
        conditional: false,
        link: handler.map(|(f, j)| HandlerLink {
            file: f,
            function: j,
            branch: None,
        }),
    }))
}

/// The fields of the handler's typed input (its last parameter's struct).
fn typed_params(view: &View, file: usize, function: usize) -> Option<Vec<crate::facts::Param>> {
    let facts = view.units.get(file)?.facts;
    let written = facts.go.params_of(function)?.last()?;
    let bare = written.trim().trim_start_matches('*');
    let bare = bare.rsplit('.').next().unwrap_or(bare);
    let found = facts.go.struct_named(bare).or_else(|| {
        view.go_package(file)
            .into_iter()
            .find_map(|f| view.units[f].facts.go.struct_named(bare))
    })?;
    Some(found.fields.clone())
}

/// `mcp.WithReadOnlyHintAnnotation(true)` and the like among a wrapper
/// call's arguments.
fn annotations(args: &[&Expr]) -> crate::facts::ToolAnnotations {
    let mut out = crate::facts::ToolAnnotations::default();
    for arg in args {
        let Value::Call(call) = &arg.value else {
            continue;
        };
        let flag = match call.positional().next().map(|a| &a.value) {
            Some(Value::Bool(b)) => Some(*b),
            _ => None,
        };
        match call.method() {
            "WithReadOnlyHintAnnotation" => out.read_only = flag,
            "WithDestructiveHintAnnotation" => out.destructive = flag,
            "WithIdempotentHintAnnotation" => out.idempotent = flag,
            "WithOpenWorldHintAnnotation" => out.open_world = flag,
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::FileFacts;
    use crate::project::Unit;

    fn project(files: &[(&str, &str)]) -> (tempfile::TempDir, Vec<(PathBuf, String, FileFacts)>) {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut out = Vec::new();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("dirs");
            std::fs::write(&path, text).expect("write");
            if !name.ends_with(".go") {
                continue;
            }
            let facts = crate::frontend::lower(Language::Go, &path, text).expect("fixture parses");
            out.push((path, text.to_string(), facts));
        }
        (dir, out)
    }

    fn view(files: &[(PathBuf, String, FileFacts)]) -> View<'_> {
        View::new(
            files
                .iter()
                .map(|(path, text, facts)| Unit::new(path, text, facts))
                .collect(),
        )
    }

    #[test]
    fn packages_resolve_through_go_mod() {
        let (_dir, files) = project(&[
            ("go.mod", "module github.com/acme/files\n\ngo 1.23\n"),
            (
                "cmd/server/main.go",
                "package main\n\nimport \"github.com/acme/files/internal/tools\"\n\nfunc main() { tools.Register() }\n",
            ),
            (
                "internal/tools/register.go",
                "package tools\n\nfunc Register() { helper() }\n",
            ),
            (
                "internal/tools/search.go",
                "package tools\n\nfunc Search() {}\nfunc helper() {}\n",
            ),
        ]);
        let view = view(&files);
        let name = |found: Option<(usize, usize)>| {
            found.and_then(|(f, j)| view.units[f].facts.functions[j].name.clone())
        };
        assert_eq!(
            name(view.function(0, "tools.Search")).as_deref(),
            Some("Search")
        );
        assert_eq!(
            name(view.function(0, "tools.Register")).as_deref(),
            Some("Register")
        );
        // Another file of the same package, without an import.
        assert_eq!(name(view.function(1, "helper")).as_deref(), Some("helper"));
        assert_eq!(view.function(0, "helper"), None);
        assert_eq!(view.go_package(1), vec![2]);
    }

    #[test]
    fn handlers_of_other_files_and_method_values_link() {
        let (_dir, files) = project(&[
            ("go.mod", "module example.com/srv\n"),
            (
                "main.go",
                "package main\n\nimport (\n\t\"github.com/mark3labs/mcp-go/mcp\"\n\t\"github.com/mark3labs/mcp-go/server\"\n\t\"example.com/srv/handlers\"\n)\n\nfunc main() {\n\ts := server.NewMCPServer(\"x\", \"1\")\n\th := handlers.New()\n\ts.AddTool(mcp.NewTool(\"a\"), search)\n\ts.AddTool(mcp.NewTool(\"b\"), h.Fetch)\n\ts.AddTool(mcp.NewTool(handlers.ListName), handlers.List)\n}\n",
            ),
            (
                "search.go",
                "package main\n\nfunc search(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) { return nil, nil }\n",
            ),
            (
                "handlers/h.go",
                "package handlers\n\nconst ListName = \"list\"\n\ntype H struct{}\n\nfunc (h *H) Fetch(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) { return nil, nil }\n\nfunc List(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) { return nil, nil }\n",
            ),
        ]);
        let view = view(&files);
        let edits = pass(&view);
        let linked: Vec<(usize, Option<String>)> = edits
            .iter()
            .filter_map(|e| match e {
                Edit::Link { tool, link, .. } => Some((
                    *tool,
                    view.units[link.file].facts.functions[link.function]
                        .name
                        .clone(),
                )),
                _ => None,
            })
            .collect();
        assert_eq!(
            linked,
            vec![
                (0, Some("search".into())),
                (1, Some("Fetch".into())),
                (2, Some("List".into()))
            ]
        );
    }

    #[test]
    fn project_tool_values_count_only_when_converted() {
        let files = [
            ("go.mod", "module example.com/k\n"),
            (
                "pkg/api/api.go",
                "package api\n\ntype Tool struct { Name string }\ntype ServerTool struct { Tool Tool; Handler func() }\n",
            ),
            (
                "pkg/toolsets/pods.go",
                "package toolsets\n\nimport \"example.com/k/pkg/api\"\n\nfunc Tools() []api.ServerTool {\n\treturn []api.ServerTool{{Tool: api.Tool{Name: \"pods_list\"}, Handler: podsList}}\n}\n\nfunc podsList() {}\n",
            ),
        ];
        let (_dir, lowered) = project(&files);
        let added = |edits: Vec<Edit>| {
            edits
                .into_iter()
                .filter(|e| matches!(e, Edit::AddTool { .. }))
                .count()
        };
        assert_eq!(added(pass(&view(&lowered))), 0, "no conversion, no tools");
        let mut with_conversion = files.to_vec();
        with_conversion.push((
            "pkg/mcp/convert.go",
            "package mcp\n\nimport (\n\t\"github.com/modelcontextprotocol/go-sdk/mcp\"\n\t\"example.com/k/pkg/api\"\n)\n\nfunc convert(t api.ServerTool) *mcp.Tool { return &mcp.Tool{Name: t.Tool.Name} }\n",
        ));
        let (_dir, lowered) = project(&with_conversion);
        assert_eq!(added(pass(&view(&lowered))), 1);
    }

    fn added(edits: &[Edit]) -> Vec<&ToolDef> {
        edits
            .iter()
            .filter_map(|e| match e {
                Edit::AddTool { tool, .. } => Some(tool.as_ref()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn wrappers_of_wrappers_make_each_call_a_tool() {
        let (_dir, files) = project(&[
            ("go.mod", "module example.com/obs\n"),
            (
                "tools.go",
                "package obs\n\nimport \"github.com/mark3labs/mcp-go/mcp\"\n\ntype Tool struct{ Tool mcp.Tool }\n\nfunc ConvertTool(name, description string, h any, opts ...mcp.ToolOption) (mcp.Tool, error) {\n\tt := mcp.Tool{Name: name, Description: description}\n\treturn t, nil\n}\n\nfunc MustTool(name, description string, h any, opts ...mcp.ToolOption) Tool {\n\tt, _ := ConvertTool(name, description, h, opts...)\n\treturn Tool{Tool: t}\n}\n",
            ),
            (
                "tools/teams.go",
                "package tools\n\nimport (\n\t\"github.com/mark3labs/mcp-go/mcp\"\n\tobs \"example.com/obs\"\n)\n\ntype ListTeamsParams struct {\n\tQuery string `json:\"query\" jsonschema:\"description=Team name to find\"`\n}\n\nfunc listTeams(ctx context.Context, args ListTeamsParams) (string, error) { return \"\", nil }\n\nvar ListTeams = obs.MustTool(\"list_teams\", \"List the teams.\", listTeams, mcp.WithReadOnlyHintAnnotation(true))\n",
            ),
        ]);
        let view = view(&files);
        let edits = pass(&view);
        let tools = added(&edits);
        assert_eq!(tools.len(), 1, "{edits:?}");
        let tool = tools[0];
        assert_eq!(tool.name, "list_teams");
        assert_eq!(
            tool.description.as_ref().and_then(|d| d.text()),
            Some("List the teams.")
        );
        assert_eq!(tool.annotations.read_only, Some(true));
        assert_eq!(tool.params.len(), 1);
        assert_eq!(tool.params[0].name, "query");
        assert!(tool.params[0].optional);
        let link = tool.link.expect("linked");
        assert_eq!(
            view.units[link.file].facts.functions[link.function]
                .name
                .as_deref(),
            Some("listTeams")
        );
    }

    #[test]
    fn tool_factories_link_to_the_handler_registered_with_them() {
        let (_dir, files) = project(&[
            ("go.mod", "module example.com/tf\n"),
            (
                "server.go",
                "package tf\n\nimport \"github.com/modelcontextprotocol/go-sdk/mcp\"\n\nfunc Register(s *mcp.Server) {\n\tmcp.AddTool(s, SearchTool(), searchFunc)\n}\n",
            ),
            (
                "search.go",
                "package tf\n\nimport \"github.com/modelcontextprotocol/go-sdk/mcp\"\n\nfunc SearchTool() *mcp.Tool {\n\treturn &mcp.Tool{Name: \"search\"}\n}\n\nfunc searchFunc(ctx context.Context, req *mcp.CallToolRequest, in any) (*mcp.CallToolResult, any, error) { return nil, nil, nil }\n",
            ),
        ]);
        let view = view(&files);
        let links: Vec<(usize, usize, Option<String>)> = pass(&view)
            .into_iter()
            .filter_map(|e| match e {
                Edit::Link { file, tool, link } => Some((
                    file,
                    tool,
                    view.units[link.file].facts.functions[link.function]
                        .name
                        .clone(),
                )),
                _ => None,
            })
            .collect();
        assert_eq!(links, vec![(1, 0, Some("searchFunc".into()))]);
    }

    #[test]
    fn names_built_from_a_constant_returning_function() {
        let (_dir, files) = project(&[
            ("go.mod", "module example.com/k\n"),
            (
                "defaults/defaults.go",
                "package defaults\n\nconst DefaultName = \"mesh\"\n\nfunc Name() string {\n\tif override != \"\" {\n\t\treturn override\n\t}\n\treturn DefaultName\n}\n",
            ),
            (
                "tools/logs.go",
                "package tools\n\nimport (\n\t\"example.com/k/api\"\n\t\"example.com/k/defaults\"\n)\n\nfunc Logs() []api.ServerTool {\n\tname := defaults.Name() + \"_logs\"\n\treturn []api.ServerTool{{Tool: api.Tool{Name: name}, Handler: logs}}\n}\n\nfunc logs() {}\n",
            ),
            (
                "convert/convert.go",
                "package convert\n\nimport \"github.com/modelcontextprotocol/go-sdk/mcp\"\n\nfunc To(t api.ServerTool) *mcp.Tool { return &mcp.Tool{Name: t.Tool.Name} }\n",
            ),
        ]);
        let view = view(&files);
        let edits = pass(&view);
        let names: Vec<&str> = added(&edits).iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, vec!["mesh_logs"]);
    }

    #[test]
    fn a_handler_of_another_package_gives_its_typed_input() {
        let (_dir, files) = project(&[
            ("go.mod", "module example.com/fs\n"),
            (
                "main.go",
                "package main\n\nimport (\n\t\"github.com/modelcontextprotocol/go-sdk/mcp\"\n\t\"example.com/fs/tools\"\n)\n\nfunc main() {\n\ts := mcp.NewServer(&mcp.Implementation{Name: \"fs\"}, nil)\n\tmcp.AddTool(s, &mcp.Tool{Name: \"read\"}, tools.Read)\n}\n",
            ),
            (
                "tools/read.go",
                "package tools\n\ntype ReadArgs struct {\n\tPath string `json:\"path\" jsonschema:\"the file\"`\n}\n\nfunc Read(ctx context.Context, req *mcp.CallToolRequest, args ReadArgs) (*mcp.CallToolResult, any, error) { return nil, nil, nil }\n",
            ),
        ]);
        let view = view(&files);
        let params: Vec<String> = pass(&view)
            .into_iter()
            .filter_map(|e| match e {
                Edit::Params { params, .. } => Some(params),
                _ => None,
            })
            .flatten()
            .map(|p| p.name)
            .collect();
        assert_eq!(params, vec!["path"]);
    }
}
