//! The project layer: what one file cannot know about itself, resolved once
//! per scan over every lowered file's facts.
//!
//! A real server registers its tools in one module, defines them in others,
//! names them with constants and dispatches on them in a third. The passes
//! under this module (tool discovery and handler linking, one file per
//! idiom) read a [`View`] of every file and return [`Edit`]s; the edits are
//! applied to the facts before the rules, the taint engine and the
//! inventory see them, so that all of them share one answer.

pub mod file_index;
pub mod go_gates;
pub mod go_modules;
pub mod go_tools;
pub mod go_transports;
pub mod modules;
pub mod python_dispatch;
pub mod python_names;
pub mod python_tools;
pub mod rust_tools;
pub mod tool_names;
pub mod ts_classes;
pub mod ts_collections;
pub mod ts_definitions;
pub mod ts_dispatch;
pub mod ts_resolve;
pub mod ts_wrappers;

use std::collections::HashSet;
use std::path::Path;

use crate::facts::{FileFacts, HandlerLink, Language, ToolDef};

use modules::{ModuleIndex, import_targets};

/// One lowered file as the project passes see it.
pub struct Unit<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub facts: &'a FileFacts,
    /// The file's role: tests build servers of their own, which serve no
    /// server the project ships (see `crate::roles`).
    pub role: crate::roles::Role,
}

impl<'a> Unit<'a> {
    /// A unit whose path, as given, is the path below the scanned
    /// directory (the role is judged on it).
    pub fn new(path: &'a Path, text: &'a str, facts: &'a FileFacts) -> Unit<'a> {
        let role = crate::roles::by_path(path).unwrap_or(crate::roles::Role::Server);
        Unit {
            path,
            text,
            facts,
            role,
        }
    }

    pub fn is_test(&self) -> bool {
        self.role == crate::roles::Role::Test
    }
}

/// What a name stands for, wherever it is defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symbol {
    /// A function of file `.0`, index `.1` into its `functions`.
    Function(usize, usize),
    /// A binding (`NAME = value`) of file `.0`, index `.1` into its `bindings`.
    Binding(usize, usize),
    /// A whole module: `import * as tools from "./tools"`, `from pkg import tools`.
    Module(usize),
    /// A class of file `.0`, index `.1` into its `classes`.
    Class(usize, usize),
}

/// A change the project layer makes to the facts of a file.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// A tool the file's own frontend could not see (its registration is
    /// elsewhere, or it is built by a project helper).
    AddTool { file: usize, tool: Box<ToolDef> },
    /// The handler of tool `tool` of file `file`.
    Link {
        file: usize,
        tool: usize,
        link: HandlerLink,
    },
    /// The name a tool is exposed under (a mount prefix, a namespace).
    Rename {
        file: usize,
        tool: usize,
        name: String,
    },
    /// A definition that never reaches a registration is not a tool.
    Drop { file: usize, tool: usize },
    /// The literal text a description of dynamic look stands for (a
    /// constant of another module).
    Describe {
        file: usize,
        tool: usize,
        description: crate::facts::Description,
    },
    /// The parameters a tool's handler declares in another file (a Go
    /// handler's typed input struct).
    Params {
        file: usize,
        tool: usize,
        params: Vec<crate::facts::Param>,
    },
    /// A transport the file serves through a project helper or another
    /// file (Go: `go_transports`).
    Transport {
        file: usize,
        transport: crate::facts::TransportUse,
    },
    /// The tool is registered only under a condition (`go_gates`).
    Gate { file: usize, tool: usize },
}

/// A pass over the whole project.
type Pass = fn(&View) -> Vec<Edit>;

/// The passes, in order. They all read the same view (the facts as the
/// frontends left them); their edits are applied together afterwards.
const PASSES: &[Pass] = &[
    // First: a later pass's rename of the same tool (a mount prefix) wins.
    tool_names::pass,
    ts_dispatch::link,
    rust_tools::pass,
    python_tools::mounts,
    python_tools::imported_handlers,
    python_tools::handler_classes,
    python_dispatch::dispatch,
    ts_classes::class_tools,
    ts_collections::pass,
    ts_definitions::pass,
    ts_wrappers::pass,
    go_tools::pass,
    go_transports::pass,
    go_gates::pass,
];

/// Every lowered file of a scan, with its modules indexed by name.
pub struct View<'a> {
    pub units: Vec<Unit<'a>>,
    modules: ModuleIndex,
    /// Per unit, look-ups built once (`file_index`).
    indexes: Vec<file_index::FileIndex>,
    /// Analysis limits reached while answering (see `note_limit`).
    limits: std::sync::Mutex<Vec<(usize, crate::facts::AnalysisLimit)>>,
}

/// How many imports deep a name is followed (re-exports, barrels).
const MAX_HOPS: usize = 8;

/// The note when a name's chain of imports or aliases is longer.
const HOPS_LIMIT: &str =
    "names are followed through 8 imports, re-exports or aliases and this one goes further";

impl<'a> View<'a> {
    pub fn new(units: Vec<Unit<'a>>) -> View<'a> {
        let modules = ModuleIndex::from_paths(units.iter().enumerate().map(|(i, u)| (i, u.path)));
        let indexes = units.iter().map(|_| Default::default()).collect();
        View {
            units,
            modules,
            indexes,
            limits: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Records that a bound of the analysis (`limit`, a sentence naming
    /// it) cut what is known of unit `file` at `span`: the scan reports it
    /// as an MCL000 note, so that nothing is dropped without a word. One
    /// note per limit and file says enough.
    pub fn note_limit(&self, file: usize, span: crate::finding::Span, limit: &'static str) {
        let mut limits = match self.limits.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        if !limits.iter().any(|(f, l)| *f == file && l.limit == limit) {
            limits.push((file, crate::facts::AnalysisLimit { limit, span }));
        }
    }

    /// The limits noted so far, by unit, in a stable order.
    pub fn limits(&self) -> Vec<(usize, crate::facts::AnalysisLimit)> {
        let mut limits = match self.limits.lock() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        limits.sort_by_key(|(f, l)| (*f, l.span.start, l.span.end, l.limit));
        limits
    }

    /// The `go.mod` files of the scan, read on demand.
    pub fn go_modules(&self) -> &go_modules::GoModules {
        self.modules.go_modules()
    }

    /// The look-ups of unit `file` built once per scan (`file_index`).
    pub fn index(&self, file: usize) -> Option<&file_index::FileIndex> {
        self.indexes.get(file)
    }

    fn family(&self, file: usize) -> u8 {
        match self.units[file].facts.language {
            Language::Python => 0,
            Language::TypeScript | Language::Tsx | Language::JavaScript => 1,
            Language::Rust => 2,
            Language::Go => 4,
            _ => 3,
        }
    }

    /// The project files an import of file `file` names (none for a
    /// package outside the project).
    pub fn import_files(&self, file: usize, import: &crate::facts::Import) -> Vec<usize> {
        let unit = &self.units[file];
        let mut out: Vec<usize> = Vec::new();
        for target in import_targets(
            unit.path,
            unit.facts.language,
            import,
            self.modules.go_modules(),
        ) {
            for found in self.modules.closest(unit.path, &target) {
                if found != file && self.family(found) == self.family(file) && !out.contains(&found)
                {
                    out.push(found);
                }
            }
        }
        out
    }

    /// The other files of the Go package (directory) of file `file`; test
    /// files only for a test file.
    pub fn go_package(&self, file: usize) -> Vec<usize> {
        let unit = &self.units[file];
        let Some(key) = go_modules::package_key(unit.path) else {
            return Vec::new();
        };
        self.modules
            .closest(unit.path, &key)
            .into_iter()
            .filter(|&other| {
                other != file
                    && self.units[other].facts.language == Language::Go
                    && (unit.is_test() || !self.units[other].is_test())
            })
            .collect()
    }

    /// What `name` (a plain or dotted name: `helper`, `tools.search`,
    /// `utils::run`) stands for in file `file`: a definition of the file, or
    /// one reached through its imports and the re-exports of the modules
    /// they name.
    pub fn resolve(&self, file: usize, name: &str) -> Option<Symbol> {
        self.resolve_in(file, name, 0, &mut HashSet::new())
    }

    /// `seen` holds the (file, name) pairs this query has already tried:
    /// glob re-exports (`pub use super::*`, `export * from`) between modules
    /// that re-export each other would otherwise make the walk exponential
    /// in MAX_HOPS (a Rust SDK's `model` tree took minutes per lookup).
    fn resolve_in(
        &self,
        file: usize,
        name: &str,
        hops: usize,
        seen: &mut HashSet<(usize, String)>,
    ) -> Option<Symbol> {
        if hops > MAX_HOPS {
            self.note_limit(file, crate::finding::Span::default(), HOPS_LIMIT);
            return None;
        }
        if !seen.insert((file, name.to_string())) {
            return None;
        }
        let facts = self.units.get(file)?.facts;
        let name = name
            .trim_start_matches("self.")
            .trim_start_matches("this.")
            .trim_start_matches("crate::")
            .trim_start_matches("self::");
        let (head, rest) = match name.split_once(['.', ':']) {
            Some((h, r)) => (h, Some(r.trim_start_matches(':'))),
            None => (name, None),
        };
        if rest.is_none()
            && let Some(found) = self.local(file, name)
        {
            return Some(found);
        }
        // The other files of a Go package share its namespace.
        if rest.is_none() && facts.language == Language::Go {
            for sibling in self.go_package(file) {
                if let Some(found) = self.local(sibling, name) {
                    return Some(found);
                }
            }
        }
        // A name imported into the file: `from m import head`, `import { head } from "m"`.
        for import in facts.imports.iter().filter(|i| i.local == head) {
            for target in self.import_files(file, import) {
                let found = match (&import.name, rest) {
                    // `import * as head` / `import head` (a module), then `head.rest`.
                    (None, Some(rest)) => self.resolve_in(target, rest, hops + 1, seen),
                    (None, None) => Some(Symbol::Module(target)),
                    (Some(imported), rest) => {
                        let inner = match rest {
                            Some(rest) => format!("{imported}.{rest}"),
                            None => imported.clone(),
                        };
                        // `from pkg import tools` may name the module `pkg/tools.py`.
                        self.resolve_in(target, &inner, hops + 1, seen).or_else(|| {
                            let is_module = crate::taint::project::file_matches(
                                self.units[target].path.to_str().unwrap_or(""),
                                imported,
                            );
                            match (is_module, rest) {
                                (true, None) => Some(Symbol::Module(target)),
                                (true, Some(rest)) => self.resolve_in(target, rest, hops + 1, seen),
                                _ => None,
                            }
                        })
                    }
                };
                if found.is_some() {
                    return found;
                }
            }
        }
        // A Rust path names its module: `tools::run`.
        if let (Some(rest), 2) = (rest, self.family(file)) {
            let import = crate::facts::Import {
                module: format!("crate::{head}"),
                name: None,
                local: head.to_string(),
                span: crate::finding::Span::default(),
            };
            for target in self.import_files(file, &import) {
                if let Some(found) = self.resolve_in(target, rest, hops + 1, seen) {
                    return Some(found);
                }
            }
        }
        // `export * from "./x"`: recorded by frontends as an import of `*`.
        for import in facts.imports.iter().filter(|i| i.local == "*") {
            for target in self.import_files(file, import) {
                if let Some(found) = self.resolve_in(target, name, hops + 1, seen) {
                    return Some(found);
                }
            }
        }
        None
    }

    /// A definition of `name` in the file itself: a function, else a
    /// binding (top-level first).
    fn local(&self, file: usize, name: &str) -> Option<Symbol> {
        let facts = self.units[file].facts;
        if let Some(j) = facts.function_named(name) {
            return Some(Symbol::Function(file, j));
        }
        // The frontend binds a class's name to its declaration (a binding);
        // a class it did not bind still resolves.
        let Some(j) = facts.resolve_index(name) else {
            let j = facts.classes.iter().position(|c| c.name == name)?;
            return Some(Symbol::Class(file, j));
        };
        Some(Symbol::Binding(file, j))
    }

    /// The function a name stands for, following a binding to a function
    /// value (`export const handler = async (…) => …`).
    pub fn function(&self, file: usize, name: &str) -> Option<(usize, usize)> {
        self.function_in(file, name, 0)
    }

    fn function_in(&self, file: usize, name: &str, hops: usize) -> Option<(usize, usize)> {
        if hops > MAX_HOPS {
            self.note_limit(file, crate::finding::Span::default(), HOPS_LIMIT);
            return None;
        }
        match self.resolve(file, name)? {
            Symbol::Function(f, j) => Some((f, j)),
            Symbol::Binding(f, j) => {
                let value = &self.units[f].facts.bindings[j].value;
                // `export default run`, `const handler = run`.
                if let Some(other) = value.name().filter(|n| *n != name) {
                    return self.function_in(f, other, hops + 1);
                }
                self.function_at(f, value.span)
            }
            Symbol::Module(_) | Symbol::Class(..) => None,
        }
    }

    /// The function whose definition is exactly `span` in file `file` (a
    /// function value: an arrow function, a lambda, a closure).
    pub fn function_at(&self, file: usize, span: crate::finding::Span) -> Option<(usize, usize)> {
        // Among the functions around `span` (a tree search, not a scan),
        // the first one that is exactly it.
        let facts = self.units.get(file)?.facts;
        facts
            .enclosing_functions(span)
            .into_iter()
            .filter(|&k| facts.functions.get(k).is_some_and(|f| f.span == span))
            .min()
            .map(|k| (file, k))
    }
}

/// Runs every pass over the files and returns the edits, in order.
pub fn edits(units: Vec<Unit<'_>>) -> Vec<Edit> {
    edits_and_limits(units).0
}

/// `edits`, with the analysis limits the passes reached (by unit).
pub fn edits_and_limits(
    units: Vec<Unit<'_>>,
) -> (Vec<Edit>, Vec<(usize, crate::facts::AnalysisLimit)>) {
    let view = View::new(units);
    let edits = PASSES.iter().flat_map(|pass| pass(&view)).collect();
    (edits, view.limits())
}

/// Applies edits to the facts of the files they name; returns the files
/// whose facts changed. Edits naming a tool by index apply before the
/// tools a later edit adds or drops shift the indexes.
pub fn apply(edits: Vec<Edit>, facts: &mut [&mut FileFacts]) -> Vec<usize> {
    let mut touched = Vec::new();
    let mut dropped: Vec<(usize, usize)> = Vec::new();
    let mut added: Vec<(usize, ToolDef)> = Vec::new();
    for edit in edits {
        match edit {
            Edit::Link { file, tool, link } => {
                if let Some(t) = facts.get_mut(file).and_then(|f| f.tools.get_mut(tool)) {
                    t.link = Some(link);
                    touched.push(file);
                }
            }
            Edit::Rename { file, tool, name } => {
                if let Some(t) = facts.get_mut(file).and_then(|f| f.tools.get_mut(tool)) {
                    t.name = name;
                    // The name is known now, whatever the frontend saw.
                    t.dynamic_name = false;
                    touched.push(file);
                }
            }
            Edit::Describe {
                file,
                tool,
                description,
            } => {
                if let Some(t) = facts.get_mut(file).and_then(|f| f.tools.get_mut(tool)) {
                    t.description = Some(description);
                    touched.push(file);
                }
            }
            Edit::Params { file, tool, params } => {
                if let Some(t) = facts.get_mut(file).and_then(|f| f.tools.get_mut(tool)) {
                    t.params = params;
                    touched.push(file);
                }
            }
            Edit::Transport { file, transport } => {
                if let Some(f) = facts.get_mut(file)
                    && !f.transports.contains(&transport)
                {
                    f.transports.push(transport);
                    touched.push(file);
                }
            }
            Edit::Gate { file, tool } => {
                if let Some(t) = facts.get_mut(file).and_then(|f| f.tools.get_mut(tool)) {
                    t.conditional = true;
                    touched.push(file);
                }
            }
            Edit::Drop { file, tool } => dropped.push((file, tool)),
            Edit::AddTool { file, tool } => added.push((file, *tool)),
        }
    }
    dropped.sort_unstable();
    dropped.dedup();
    for (file, tool) in dropped.into_iter().rev() {
        if let Some(f) = facts.get_mut(file)
            && tool < f.tools.len()
        {
            f.tools.remove(tool);
            touched.push(file);
        }
    }
    for (file, tool) in added {
        if let Some(f) = facts.get_mut(file) {
            f.tools.push(tool);
            touched.push(file);
        }
    }
    touched.sort_unstable();
    touched.dedup();
    touched
}

/// Should a file that registers no tool of its own keep its facts for the
/// project passes? (A dispatch on tool names, or definitions a pass reads.)
pub fn wanted(facts: &FileFacts) -> bool {
    !facts.dispatch.is_empty()
        || !facts.dispatch_labels.is_empty()
        || ts_definitions::wanted(facts)
        || ts_wrappers::may_call_wrapper(facts)
        || ts_dispatch::serves_tool_calls(facts)
        // A hand-written rmcp `ServerHandler` (its `list_tools` leads to the
        // tools) and the `Tool` values it may list.
        || !facts.tool_values.is_empty()
        || rust_server(facts)
        || python_tools::wanted(facts)
        || go_tools::wanted(facts)
        || go_transports::wanted(facts)
}

fn rust_server(facts: &FileFacts) -> bool {
    facts.language == Language::Rust && !facts.servers.is_empty()
}

/// Runs a project pass over TypeScript sources given as (path, text), for
/// the passes' unit tests.
#[cfg(test)]
pub(crate) fn run_ts_pass(files: &[(&str, &str)], pass: fn(&View) -> Vec<Edit>) -> Vec<Edit> {
    let dir = std::env::temp_dir().join("mcplint-project-unit");
    let paths: Vec<std::path::PathBuf> = files.iter().map(|(p, _)| dir.join(p)).collect();
    let facts: Vec<FileFacts> = files
        .iter()
        .map(|(p, t)| {
            crate::frontend::lower(
                crate::facts::Language::TypeScript,
                std::path::Path::new(p),
                t,
            )
            .expect("fixture parses")
        })
        .collect();
    let units = files
        .iter()
        .zip(&paths)
        .zip(&facts)
        .map(|(((_, text), path), facts)| Unit::new(path, text, facts))
        .collect();
    pass(&View::new(units))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// Lowers the files of a project written into a temporary directory.
    fn project(files: &[(&str, &str)]) -> (tempfile::TempDir, Vec<(PathBuf, String, FileFacts)>) {
        let dir = tempfile::tempdir().unwrap();
        let mut out = Vec::new();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            let language = crate::discover::classify(&path).unwrap();
            let facts = crate::frontend::lower(language, &path, text).unwrap();
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

    fn function_name(view: &View, found: Option<(usize, usize)>) -> Option<String> {
        let (f, j) = found?;
        view.units[f].facts.functions[j].name.clone()
    }

    #[test]
    fn typescript_barrels_aliases_defaults_and_namespaces() {
        let (_dir, files) = project(&[
            (
                "src/server.ts",
                "import { handleRead, run as go } from './handlers/index.js';\nimport * as h from './handlers';\nimport dflt from './tools/def.js';\n",
            ),
            (
                "src/handlers/index.ts",
                "export * from './fs.js';\nexport { runIt as run } from '../tools/run.js';\n",
            ),
            (
                "src/handlers/fs.ts",
                "export async function handleRead(args) { return args; }\n",
            ),
            (
                "src/tools/run.ts",
                "export const runIt = async (args) => args;\n",
            ),
            (
                "src/tools/def.ts",
                "export default async function doDefault(args) { return args; }\n",
            ),
        ]);
        let view = view(&files);
        assert_eq!(
            function_name(&view, view.function(0, "handleRead")).as_deref(),
            Some("handleRead")
        );
        assert_eq!(
            function_name(&view, view.function(0, "go")).as_deref(),
            Some("runIt")
        );
        assert_eq!(
            function_name(&view, view.function(0, "h.handleRead")).as_deref(),
            Some("handleRead")
        );
        assert_eq!(
            function_name(&view, view.function(0, "dflt")).as_deref(),
            Some("doDefault")
        );
        assert_eq!(view.function(0, "missing"), None);
    }

    /// Barrels that re-export each other (`export *` in a cycle of ten)
    /// are walked once per (file, name): the walk used to branch at every
    /// barrel and ran for minutes on the Rust SDK's glob `pub use` tree.
    #[test]
    fn cyclic_glob_reexports_are_walked_once() {
        let mut files: Vec<(String, String)> = (0..10)
            .map(|i| {
                let others: String = (0..10)
                    .filter(|&j| j != i)
                    .map(|j| format!("export * from './m{j}.js';\n"))
                    .collect();
                (format!("src/m{i}.ts"), others)
            })
            .collect();
        files[9]
            .1
            .push_str("export function deepest(a) { return a; }\n");
        let named: Vec<(&str, &str)> = files
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        let (_dir, files) = project(&named);
        let view = view(&files);
        assert_eq!(
            function_name(&view, view.function(0, "deepest")).as_deref(),
            Some("deepest")
        );
        assert_eq!(view.function(0, "absent"), None);
    }

    #[test]
    fn python_modules_and_rust_paths() {
        let (_dir, files) = project(&[
            (
                "pkg/server.py",
                "from pkg import tools\nfrom .handlers import handle_search as hs\n",
            ),
            ("pkg/tools.py", "def list_files(path):\n    return path\n"),
            (
                "pkg/handlers/__init__.py",
                "from .search import handle_search\n",
            ),
            (
                "pkg/handlers/search.py",
                "async def handle_search(arguments):\n    return arguments\n",
            ),
            (
                "src/main.rs",
                "mod components;\nuse crate::components::load;\nfn main() { load(); components::unload(); }\n",
            ),
            (
                "src/components.rs",
                "pub fn load() {}\npub fn unload() {}\n",
            ),
        ]);
        let view = view(&files);
        assert_eq!(
            function_name(&view, view.function(0, "tools.list_files")).as_deref(),
            Some("list_files")
        );
        assert_eq!(
            function_name(&view, view.function(0, "hs")).as_deref(),
            Some("handle_search")
        );
        assert_eq!(
            function_name(&view, view.function(4, "load")).as_deref(),
            Some("load")
        );
        assert_eq!(
            function_name(&view, view.function(4, "components::unload")).as_deref(),
            Some("unload")
        );
    }
}
