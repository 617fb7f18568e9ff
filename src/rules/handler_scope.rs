//! Where a tool call runs, for the operational rules (MCL501, MCL601,
//! MCL602): the handler and the project functions it calls, what wraps the
//! handler (decorators, attributes, a wrapper call, the low-level call-tool
//! handler around a dispatch branch), and the files that make up the same
//! server (the tool's file, the project modules it imports and the files
//! that import it).

use std::collections::HashSet;

use crate::facts::{Call, FileFacts, Function, Language};
use crate::finding::Span;
use crate::taint::Project;
use crate::taint::project::{FnRef, Handler};

/// How many project calls deep the handler's reach is followed.
const REACH_DEPTH: usize = 3;
/// At most this many functions are visited for one handler.
const REACH_FUNCTIONS: usize = 40;
/// Rounds of following imports from the tool's file. This is the definition
/// of "the server's files" (the tool's module, what it imports two deep,
/// and its importers two up), not a bound on work: the walk visits each
/// file once, and any project with a deeper import graph reaches it, so a
/// note would say nothing. For the rules that look for a protection there
/// (a rate limiter, a logger) a more distant one is not counted: at worst a
/// finding is reported that it would have answered. For MCL303
/// (environment leak) a secret that only a module further away reads is not counted as
/// the server's: a neighbouring server's secrets must not be either.
const IMPORT_ROUNDS: usize = 2;

/// The note when a handler's reach is cut.
pub const REACH_LIMIT: &str = "destructive operations are looked for 3 project calls deep and in 40 functions from a tool's handler, and this call leads further";

/// What `reach` gives: the calls with their files, and where it was cut.
pub type Reach<'a> = (Vec<(usize, &'a Call)>, Option<(usize, Span)>);

/// The calls a function makes, and those of the project functions it calls
/// (same file or imported), each with its file; and the first call into a
/// project function that the bounds left unfollowed, if any (its file and
/// span, for a note: an operation there is not seen).
pub fn reach<'a>(project: &Project<'a>, start: FnRef) -> Reach<'a> {
    let mut cut = None;
    let mut out = Vec::new();
    let mut seen: HashSet<FnRef> = HashSet::from([start]);
    let mut frontier = vec![start];
    for depth in 0..=REACH_DEPTH {
        let mut next = Vec::new();
        for (file, function) in frontier {
            let Some(project_file) = project.files.get(file) else {
                continue;
            };
            let facts: &'a FileFacts = project_file.facts;
            let Some(function) = facts.functions.get(function) else {
                continue;
            };
            for call in calls_in(facts, function.span) {
                out.push((file, call));
                let Some(target) = project.resolve(file, &call.callee) else {
                    continue;
                };
                if seen.contains(&target) {
                    continue;
                }
                if depth < REACH_DEPTH && seen.len() < REACH_FUNCTIONS {
                    seen.insert(target);
                    next.push(target);
                } else if cut.is_none() {
                    cut = Some((file, call.span));
                }
            }
        }
        frontier = next;
    }
    (out, cut)
}

/// The calls whose span lies inside `span`.
pub fn calls_in(facts: &FileFacts, span: Span) -> impl Iterator<Item = &Call> {
    facts.calls_within(span)
}

/// For a low-level server's dispatch branch (`if name == "x":`, `case "x":`),
/// the call-tool handler around it; `None` for an ordinary handler.
pub fn dispatcher<'a>(facts: &'a FileFacts, handler: &Function) -> Option<&'a Function> {
    let is_branch = facts.dispatch.iter().any(|(_, span)| *span == handler.span);
    if !is_branch {
        return None;
    }
    facts
        .functions
        .iter()
        .filter(|f| f.span != handler.span)
        .filter(|f| f.span.start <= handler.span.start && handler.span.end <= f.span.end)
        .min_by_key(|f| f.span.len())
}

/// The calls of a call-tool handler that run for every tool: those outside
/// every dispatch branch (logging before the `switch`, in a `finally`).
pub fn outside_branches<'a>(
    facts: &'a FileFacts,
    dispatcher: &Function,
) -> impl Iterator<Item = &'a Call> {
    let span = dispatcher.span;
    facts.calls.iter().filter(move |c| {
        span.start <= c.span.start
            && c.span.end <= span.end
            && !facts
                .dispatch
                .iter()
                .any(|(_, b)| b.start <= c.span.start && c.span.end <= b.end)
    })
}

/// The decorators (`@audited`, Python) or attributes (`#[instrument]`,
/// Rust) written on the lines above a function definition, with their spans.
pub fn decorators(text: &str, language: Language, function: &Function) -> Vec<(String, Span)> {
    let prefix = match language {
        Language::Python => "@",
        Language::Rust => "#[",
        _ => return Vec::new(),
    };
    let Some(before) = text.get(..function.span.start) else {
        return Vec::new();
    };
    let def_line = before.rfind('\n').map_or(0, |i| i + 1);
    let indent = indentation(text.get(def_line..).unwrap_or(""));
    let mut out = Vec::new();
    let mut end = def_line;
    // Lines upwards: decorators at the definition's indentation, with their
    // argument lines (deeper, or closing brackets) and comments between.
    for _ in 0..80 {
        if end == 0 {
            break;
        }
        let line_start = text[..end - 1].rfind('\n').map_or(0, |i| i + 1);
        let line = &text[line_start..end - 1];
        end = line_start;
        let trimmed = line.trim();
        let depth = indentation(line);
        if depth == indent && trimmed.starts_with(prefix) {
            let name: String = trimmed[prefix.len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | ':'))
                .collect();
            let at = line_start + depth;
            out.push((name, Span::new(at, at + trimmed.len())));
            continue;
        }
        let comment =
            trimmed.starts_with('#') && language == Language::Python || trimmed.starts_with("//");
        let continuation = !trimmed.is_empty()
            && (depth > indent || trimmed.starts_with([')', ']', '}']) || comment);
        if !continuation {
            break;
        }
    }
    out
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// Registration calls: the call a handler is passed to when it is not wrapped.
const REGISTRATIONS: &[&str] = &[
    "tool",
    "registerTool",
    "addTool",
    "add_tool",
    "setRequestHandler",
    "call_tool",
    "from_function",
];

/// The call a handler function is passed through before registration
/// (`server.registerTool(name, spec, withAudit(async (args) => …))`).
pub fn wrapper<'a>(facts: &'a FileFacts, handler: &Function) -> Option<&'a Call> {
    let span = handler.span;
    let innermost = facts
        .calls
        .iter()
        .filter(|c| c.span != span && c.span.start <= span.start && span.end <= c.span.end)
        .min_by_key(|c| c.span.len())?;
    // Only when the function is an argument of the call, not inside one of
    // its arguments' bodies.
    let direct = innermost.args.iter().any(|a| a.value.span == span);
    (direct && !REGISTRATIONS.contains(&innermost.method())).then_some(innermost)
}

/// Languages whose modules import each other.
fn family(language: Language) -> u8 {
    match language {
        Language::Python => 0,
        Language::TypeScript | Language::Tsx | Language::JavaScript => 1,
        Language::Rust => 2,
        _ => 3,
    }
}

/// The files of the project that make up the same server as `file`: the
/// file itself, the project modules it imports (two rounds) and the files
/// that import it. Evidence around every tool call (a middleware, a layer,
/// a rate limiter) counts when it is in one of these.
///
/// An absolute import counts only when the module's root lies above the
/// importer (`awslabs.x.server` imported from `awslabs/x/tools/a.py`): in
/// an SDK's own repository, `from mcp.server import …` in an example names
/// the library, not a module of the example's server.
pub fn server_files(project: &Project<'_>, file: usize) -> Vec<usize> {
    if file >= project.files.len() {
        return Vec::new();
    }
    let graph = project.import_graph(import_graph);
    let mut related = vec![file];
    // What the file imports, two rounds deep.
    let mut frontier = vec![file];
    for _ in 0..IMPORT_ROUNDS {
        let mut next = Vec::new();
        for &f in &frontier {
            for &g in &graph[f] {
                if !related.contains(&g) {
                    related.push(g);
                    next.push(g);
                }
            }
        }
        frontier = next;
    }
    // Files that import this one, and their importers (an entry point that
    // adds middleware and runs the transport, through a package module).
    let mut imported = vec![file];
    for _ in 0..IMPORT_ROUNDS {
        let importers: Vec<usize> = (0..graph.len())
            .filter(|i| !related.contains(i) && graph[*i].iter().any(|g| imported.contains(g)))
            .collect();
        if importers.is_empty() {
            break;
        }
        related.extend(&importers);
        imported = importers;
    }
    related
}

/// For each file of the project, the files of the project it imports
/// (same language family; an absolute import only when the module's root
/// lies above the importer).
fn import_graph(project: &Project<'_>) -> Vec<Vec<usize>> {
    let n = project.files.len();
    // Candidates by module name, before resolving paths.
    let mut by_name: std::collections::HashMap<(u8, &str), Vec<usize>> =
        std::collections::HashMap::new();
    for (index, f) in project.files.iter().enumerate() {
        if let Some((stem, dir)) = module_names(f.path) {
            let fam = family(f.facts.language);
            by_name.entry((fam, stem)).or_default().push(index);
            if dir != stem {
                by_name.entry((fam, dir)).or_default().push(index);
            }
        }
    }
    let mut keys: Vec<Option<Option<Vec<String>>>> = vec![None; n];
    let mut graph = vec![Vec::new(); n];
    // The `go.mod` files read for this graph's Go imports (once each).
    let go = crate::project::go_modules::GoModules::default();
    for (importer, f) in project.files.iter().enumerate() {
        if f.facts.imports.is_empty() {
            continue;
        }
        let fam = family(f.facts.language);
        let dir = std::path::absolute(f.path)
            .ok()
            .and_then(|p| {
                p.parent()
                    .and_then(|d| d.to_str())
                    .map(|d| d.replace('\\', "/"))
            })
            .unwrap_or_default();
        for import in &f.facts.imports {
            let names = [
                Some(crate::taint::project::module_stem(&import.module)),
                import.name.as_deref(),
            ];
            let candidates: Vec<usize> = names
                .into_iter()
                .flatten()
                .filter_map(|name| by_name.get(&(fam, name)))
                .flatten()
                .copied()
                .filter(|&c| c != importer && !graph[importer].contains(&c))
                .collect();
            if candidates.is_empty() {
                continue;
            }
            let targets =
                crate::project::modules::import_targets(f.path, f.facts.language, import, &go);
            for candidate in candidates {
                let key = keys[candidate].get_or_insert_with(|| {
                    crate::project::modules::module_key(project.files[candidate].path)
                });
                let Some(key) = key else {
                    continue;
                };
                let resolves = key.iter().any(|k| {
                    targets.iter().any(|target| {
                        k.strip_suffix(target.as_str()).is_some_and(|root| {
                            root.is_empty()
                                || dir == root
                                || dir.strip_prefix(root).is_some_and(|r| r.starts_with('/'))
                        })
                    })
                });
                if resolves {
                    graph[importer].push(candidate);
                }
            }
        }
    }
    graph
}

/// The names a module file is imported by: `utils` for `pkg/utils.py`;
/// `__init__` and `pkg` for `pkg/__init__.py`, `index` and `tools` for
/// `tools/index.ts`, `mod` and `tools` for `tools/mod.rs`.
fn module_names(path: &std::path::Path) -> Option<(&str, &str)> {
    let stem = path.file_stem()?.to_str()?;
    let stem = stem.split('.').next().unwrap_or(stem);
    if matches!(stem, "__init__" | "index" | "mod" | "lib") {
        let dir = path.parent()?.file_name()?.to_str()?;
        return Some((stem, dir));
    }
    Some((stem, stem))
}

/// The handler of tool `tool` of file `file`, and its function.
pub fn handler<'a>(
    project: &'a Project<'_>,
    file: usize,
    tool: usize,
) -> Option<(&'a Handler, &'a Function)> {
    let handler = project.handler_of(file, tool)?;
    let function = project
        .files
        .get(handler.file)?
        .facts
        .functions
        .get(handler.function)?;
    Some((handler, function))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decorators_above_a_definition() {
        let text =
            "@mcp.tool(\n    name=\"x\",\n)\n# audited\n@audited\nasync def delete(p):\n    pass\n";
        let start = text.find("async def").unwrap();
        let function = Function {
            name: Some("delete".into()),
            span: Span::new(start, text.len()),
            params: vec![],
        };
        let names: Vec<String> = decorators(text, Language::Python, &function)
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(names, vec!["audited", "mcp.tool"]);
        let text = "fn helper() {\n    info!(\"x\");\n}\n#[tool(description = \"d\")]\n#[tracing::instrument(skip(self))]\npub async fn delete(&self) {}\n";
        let start = text.find("async fn").unwrap();
        let function = Function {
            name: Some("delete".into()),
            span: Span::new(start, text.len()),
            params: vec![],
        };
        let names: Vec<String> = decorators(text, Language::Rust, &function)
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(names, vec!["tracing::instrument", "tool"]);
    }
}
