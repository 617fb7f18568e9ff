//! The project: every parsed file's facts, so that calls into functions
//! defined elsewhere in the project (same file, or imported from a module of
//! the same language) can be followed through per-function summaries.

use crate::finding::Span;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::facts::{FileFacts, Language};

use super::catalog::{self, Catalog};
use super::engine::Summary;

mod go;
mod objects;

/// Default bound on how many project calls deep the engine follows a value.
pub const DEFAULT_MAX_DEPTH: usize = 8;

/// One parsed file of the project.
pub struct ProjectFile<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub facts: &'a FileFacts,
    /// The file's role (a test's tools reach no sink of the server).
    pub role: crate::roles::Role,
}

impl<'a> ProjectFile<'a> {
    /// A file whose path, as given, is the path below the scanned directory.
    pub fn new(path: &'a Path, text: &'a str, facts: &'a FileFacts) -> ProjectFile<'a> {
        let role = crate::roles::by_path(path).unwrap_or(crate::roles::Role::Server);
        ProjectFile {
            path,
            text,
            facts,
            role,
        }
    }
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

/// A file's variables bound to an API client (`gmail = google.gmail(…)`,
/// or imported from the module that binds one).
pub type ApiClients = HashMap<String, &'static super::content::ApiClient>;

/// A function of the project: (file index, function index).
pub type FnRef = (usize, usize);

/// Key of a memoised summary: the function, the tainted parameter and
/// whether that parameter arrives normalised (`Analyzer::summary_probed`).
pub type SummaryKey = (usize, usize, Option<usize>, bool);

/// A tool handler: the function that runs when the tool is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Handler {
    pub file: usize,
    pub function: usize,
    pub tool_file: usize,
    pub tool: usize,
}

pub struct Project<'a> {
    pub files: Vec<ProjectFile<'a>>,
    /// The catalogs with the configuration's additions; `None`: the embedded ones.
    catalogs: Option<Arc<catalog::Catalogs>>,
    /// Sorted by the file of their function.
    handlers: Vec<Handler>,
    /// (tool file, tool) → index in `handlers`.
    handler_index: HashMap<(usize, usize), usize>,
    by_name: HashMap<(u8, &'a str), Vec<FnRef>>,
    /// Each file's name without extensions and the name of its directory,
    /// computed once: call resolution compares them for every candidate.
    module_names: Vec<(&'a str, &'a str)>,
    /// Classes by (language family, name): (file, index into its classes).
    classes: HashMap<(u8, &'a str), Vec<(usize, usize)>>,
    /// Files by the module name they answer to (`utils` for `utils.py`
    /// and `utils/__init__.py`), for what is not found by a function's name:
    /// default exports and instances bound in other modules.
    modules: HashMap<&'a str, Vec<usize>>,
    /// Per file, the names that may hold an instance (bound, declared or
    /// imported by name): a call on any other receiver is no method call
    /// of a project class, and is not looked at further.
    instance_names: Vec<std::collections::HashSet<&'a str>>,
    pub max_depth: usize,
    /// Go files by their directory (a package), built on first use.
    go_packages: std::sync::OnceLock<HashMap<std::path::PathBuf, Vec<usize>>>,
    /// Functions whose summary the call-depth limit cut: (file, span of
    /// the function), each reported once as an MCL000 note.
    depth_cuts: Mutex<std::collections::BTreeSet<(usize, usize, usize)>>,
    cache: Mutex<HashMap<SummaryKey, Arc<Summary>>>,
    /// For each file, the project files it imports (the operational rules'
    /// server scope), computed once.
    import_graph: std::sync::OnceLock<Vec<Vec<usize>>>,
    /// The handler calls that reach shared infrastructure rather than the
    /// tool's own operation (`crate::rules::tool_effects`), computed once.
    infrastructure: std::sync::OnceLock<crate::rules::tool_effects::Infrastructure>,
    /// Per file, the variables bound to an SDK client whose calls fetch
    /// content (MCL701), computed once per scan.
    api_clients: std::sync::OnceLock<Vec<ApiClients>>,
    /// The project layer's view of the same files: names resolved through
    /// imports, re-exports, barrels and workspace packages.
    view: crate::project::View<'a>,
    /// What the view answered for (file, callee): the engine asks for the
    /// same callees many times, and an answer walks imports.
    resolved: Mutex<HashMap<(usize, String), Option<FnRef>>>,
    /// The common parts of dispatch functions, sorted by file.
    preambles: Vec<super::preamble::Preamble>,
    /// Per file, the analysis of the tool handlers whose function is in it,
    /// computed once per scan: the handler's file and the files its sinks
    /// are in both read it.
    results: Vec<std::sync::OnceLock<Vec<super::HandlerResult>>>,
    /// Per file, the sink hits located in it: (handler file, result, hit),
    /// indexed once so that each file's rules do not walk every hit.
    hits_by_file: std::sync::OnceLock<Vec<Vec<(usize, usize, usize)>>>,
    /// Per file, the conditions located in it: (handler file, result, condition).
    conditions_by_file: std::sync::OnceLock<Vec<Vec<(usize, usize, usize)>>>,
    /// The files holding a handler or a dispatch preamble, computed once.
    handler_file_list: std::sync::OnceLock<Vec<usize>>,
    /// Per file, its results by the index of their tool when the tool is
    /// in the same file: rules ask "the analysis of this tool" per tool.
    results_by_tool: Vec<std::sync::OnceLock<HashMap<usize, Vec<usize>>>>,
    /// The analyses of the client roots (`super::client`), computed once.
    client_results: std::sync::OnceLock<Vec<super::client::ClientResult>>,
    /// Per file, the client hits located in it: (result, hit).
    client_hits_by_file: std::sync::OnceLock<Vec<Vec<(usize, usize)>>>,
}

impl<'a> Project<'a> {
    /// Records that the call-depth limit stopped the analysis at a function.
    pub fn note_depth_cut(&self, file: usize, function: Span) {
        // A set: a file with thousands of deep handlers is cut thousands of times.
        if let Ok(mut cuts) = self.depth_cuts.lock() {
            cuts.insert((file, function.start, function.end));
        }
    }

    /// Records that a bound of the analysis cut what is known of file
    /// `file` at `span` (see `crate::project::View::note_limit`).
    pub fn note_limit(&self, file: usize, span: Span, limit: &'static str) {
        self.view.note_limit(file, span, limit);
    }

    /// The limits noted by the engine, the rules and the view, by file.
    pub fn limits(&self) -> Vec<(usize, crate::facts::AnalysisLimit)> {
        self.view.limits()
    }

    /// The functions the call-depth limit cut, in a stable order.
    pub fn depth_cuts(&self) -> Vec<(usize, Span)> {
        self.depth_cuts
            .lock()
            .map(|c| {
                c.iter()
                    .map(|&(file, start, end)| (file, Span::new(start, end)))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn new(
        files: Vec<ProjectFile<'a>>,
        max_depth: usize,
        catalogs: Option<Arc<catalog::Catalogs>>,
    ) -> Project<'a> {
        let mut by_name: HashMap<(u8, &'a str), Vec<FnRef>> = HashMap::new();
        for (i, file) in files.iter().enumerate() {
            let fam = family(file.facts.language);
            for (j, function) in file.facts.functions.iter().enumerate() {
                if let Some(name) = function.name.as_deref() {
                    by_name.entry((fam, name)).or_default().push((i, j));
                }
            }
        }
        let module_names: Vec<(&'a str, &'a str)> = files
            .iter()
            .map(|f| module_names_of(f.path.to_str().unwrap_or("")))
            .collect();
        let view = crate::project::View::new(
            files
                .iter()
                .map(|f| crate::project::Unit {
                    path: f.path,
                    text: f.text,
                    facts: f.facts,
                    role: f.role,
                })
                .collect(),
        );
        let mut classes: HashMap<(u8, &'a str), Vec<(usize, usize)>> = HashMap::new();
        let mut modules: HashMap<&'a str, Vec<usize>> = HashMap::new();
        for (i, file) in files.iter().enumerate() {
            let fam = family(file.facts.language);
            for (j, class) in file.facts.objects.classes.iter().enumerate() {
                classes
                    .entry((fam, class.name.as_str()))
                    .or_default()
                    .push((i, j));
            }
            let (stem, dir) = module_names[i];
            let name = if matches!(stem, "__init__" | "index" | "mod" | "lib") {
                dir
            } else {
                stem
            };
            modules.entry(name).or_default().push(i);
        }
        let instance_names = files
            .iter()
            .map(|file| {
                let objects = &file.facts.objects;
                let bound = file.facts.bindings.iter().map(|b| b.name.as_str());
                let typed = objects.typed.iter().map(|t| t.name.as_str());
                let imported = file
                    .facts
                    .imports
                    .iter()
                    .filter(|i| i.name.is_some())
                    .map(|i| i.local.as_str());
                bound.chain(typed).chain(imported).collect()
            })
            .collect();
        let mut project = Project {
            view,
            resolved: Mutex::new(HashMap::new()),
            files,
            catalogs,
            handlers: Vec::new(),
            handler_index: HashMap::new(),
            by_name,
            module_names,
            classes,
            modules,
            instance_names,
            max_depth,
            go_packages: std::sync::OnceLock::new(),
            depth_cuts: Mutex::new(std::collections::BTreeSet::new()),
            cache: Mutex::new(HashMap::new()),
            import_graph: std::sync::OnceLock::new(),
            infrastructure: std::sync::OnceLock::new(),
            api_clients: std::sync::OnceLock::new(),
            preambles: Vec::new(),
            results: Vec::new(),
            hits_by_file: std::sync::OnceLock::new(),
            conditions_by_file: std::sync::OnceLock::new(),
            handler_file_list: std::sync::OnceLock::new(),
            results_by_tool: Vec::new(),
            client_results: std::sync::OnceLock::new(),
            client_hits_by_file: std::sync::OnceLock::new(),
        };
        project.preambles = super::preamble::preambles(&project.files);
        project.results = project
            .files
            .iter()
            .map(|_| std::sync::OnceLock::new())
            .collect();
        project.results_by_tool = project
            .files
            .iter()
            .map(|_| std::sync::OnceLock::new())
            .collect();
        let mut handlers = Vec::new();
        for (i, file) in project.files.iter().enumerate() {
            for (t, tool) in file.facts.tools.iter().enumerate() {
                if tool.kind != crate::facts::EntryKind::Tool {
                    continue;
                }
                let found = match (tool.link, tool.handler, &tool.handler_import) {
                    (Some(link), _, _) => Some((link.file, link.function)),
                    (None, Some(function), _) => Some((i, function)),
                    (None, None, Some(import)) => match import.rsplit_once('#') {
                        Some((module, "default")) => project.default_export(i, module),
                        Some((_, name)) => project.resolve(i, name),
                        None => project.resolve(i, import),
                    },
                    _ => None,
                };
                if let Some((file, function)) = found {
                    handlers.push(Handler {
                        file,
                        function,
                        tool_file: i,
                        tool: t,
                    });
                }
            }
        }
        handlers.sort_by_key(|h| h.file);
        project.handler_index = handlers
            .iter()
            .enumerate()
            .map(|(k, h)| ((h.tool_file, h.tool), k))
            .collect();
        project.handlers = handlers;
        project
    }

    /// For each file, the project files it imports, computed once per scan.
    pub fn import_graph(&self, compute: impl FnOnce(&Self) -> Vec<Vec<usize>>) -> &[Vec<usize>] {
        self.import_graph.get_or_init(|| compute(self))
    }

    /// The handler calls into shared infrastructure, computed once per scan.
    pub fn infrastructure(
        &self,
        compute: impl FnOnce(&Self) -> crate::rules::tool_effects::Infrastructure,
    ) -> &crate::rules::tool_effects::Infrastructure {
        self.infrastructure.get_or_init(|| compute(self))
    }

    /// The API-client variables of every file, computed once per scan.
    pub fn api_clients(&self, compute: impl FnOnce(&Self) -> Vec<ApiClients>) -> &[ApiClients] {
        self.api_clients.get_or_init(|| compute(self))
    }

    /// The taint catalog of a language, with the configuration's additions.
    pub fn catalog(&self, language: Language) -> &Catalog {
        match &self.catalogs {
            Some(all) => &all[catalog::family_index(language)],
            None => catalog::for_language(language),
        }
    }

    /// The handlers whose function is in file `file`.
    pub fn handlers_in(&self, file: usize) -> impl Iterator<Item = &Handler> {
        let start = self.handlers.partition_point(|h| h.file < file);
        self.handlers[start..]
            .iter()
            .take_while(move |h| h.file == file)
    }

    /// The common parts of the dispatch functions of file `file`.
    pub fn preambles_in(&self, file: usize) -> impl Iterator<Item = &super::preamble::Preamble> {
        let start = self.preambles.partition_point(|p| p.file < file);
        self.preambles[start..]
            .iter()
            .take_while(move |p| p.file == file)
    }

    /// The files that hold the function of some tool handler (or the
    /// common part of a dispatch function), in order.
    pub fn handler_files(&self) -> Vec<usize> {
        self.handler_file_list
            .get_or_init(|| {
                let mut files: Vec<usize> = self
                    .handlers
                    .iter()
                    .map(|h| h.file)
                    .chain(self.preambles.iter().map(|p| p.file))
                    .collect();
                files.sort_unstable();
                files.dedup();
                files
            })
            .clone()
    }

    /// The taint analysis of the handlers whose function is in `file`,
    /// computed on first use and kept for the scan.
    pub fn handler_results(&self, file: usize) -> &[super::HandlerResult] {
        match self.results.get(file) {
            Some(cell) => cell.get_or_init(|| super::analyze_file(self, file)),
            None => &[],
        }
    }

    /// The analyses, among `handler_results(file)`, of tool `tool` of the
    /// same file (an index built once per file, not a scan per tool).
    pub fn tool_results(
        &self,
        file: usize,
        tool: usize,
    ) -> impl Iterator<Item = &super::HandlerResult> {
        let results = self.handler_results(file);
        let index = self.results_by_tool.get(file).map(|cell| {
            cell.get_or_init(|| {
                let mut index: HashMap<usize, Vec<usize>> = HashMap::new();
                for (r, result) in results.iter().enumerate() {
                    if result.tool_file == file {
                        index.entry(result.tool).or_default().push(r);
                    }
                }
                index
            })
        });
        index
            .and_then(|index| index.get(&tool))
            .into_iter()
            .flatten()
            .filter_map(|&r| results.get(r))
    }

    /// Every sink hit of the project that lies in file `file`, with the
    /// analysis of the handler it was reached from: a taint finding is
    /// reported where its sink is, whichever file the handler is in.
    pub fn hits_in(&self, file: usize) -> Vec<(&super::HandlerResult, &super::SinkHit)> {
        let index = self.hits_by_file.get_or_init(|| {
            let mut index: Vec<Vec<(usize, usize, usize)>> = vec![Vec::new(); self.files.len()];
            for handler_file in self.handler_files() {
                for (r, result) in self.handler_results(handler_file).iter().enumerate() {
                    for (h, hit) in result.hits.iter().enumerate() {
                        if let Some(slot) = index.get_mut(hit.file) {
                            slot.push((handler_file, r, h));
                        }
                    }
                }
            }
            index
        });
        index
            .get(file)
            .map(|hits| {
                hits.iter()
                    .filter_map(|&(f, r, h)| {
                        let result = self.handler_results(f).get(r)?;
                        Some((result, result.hits.get(h)?))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The analyses of the project's client roots: what a server sends
    /// the client code, and the sinks it reaches.
    pub fn client_results(&self) -> &[super::client::ClientResult] {
        self.client_results.get_or_init(|| {
            super::client::roots(self)
                .iter()
                .map(|root| super::client::analyze(self, root))
                .collect()
        })
    }

    /// Every sink hit of a client root that lies in file `file`.
    pub fn client_hits_in(&self, file: usize) -> Vec<&super::SinkHit> {
        let results = self.client_results();
        let index = self.client_hits_by_file.get_or_init(|| {
            let mut index: Vec<Vec<(usize, usize)>> = vec![Vec::new(); self.files.len()];
            for (r, result) in results.iter().enumerate() {
                for (h, hit) in result.hits.iter().enumerate() {
                    if let Some(slot) = index.get_mut(hit.file) {
                        slot.push((r, h));
                    }
                }
            }
            index
        });
        index
            .get(file)
            .map(|hits| {
                hits.iter()
                    .filter_map(|&(r, h)| results.get(r)?.hits.get(h))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The files where a client root's server value reaches a sink.
    pub fn client_hit_files(&self) -> Vec<usize> {
        let mut files: Vec<usize> = self
            .client_results()
            .iter()
            .flat_map(|r| r.hits.iter().map(|h| h.file))
            .collect();
        files.sort_unstable();
        files.dedup();
        files
    }

    /// Every condition (a check on a tainted value) of the project that lies
    /// in file `file`, with the analysis it was recorded in.
    pub fn conditions_in(&self, file: usize) -> Vec<(&super::HandlerResult, &super::Condition)> {
        let index = self.conditions_by_file.get_or_init(|| {
            let mut index: Vec<Vec<(usize, usize, usize)>> = vec![Vec::new(); self.files.len()];
            for handler_file in self.handler_files() {
                for (r, result) in self.handler_results(handler_file).iter().enumerate() {
                    for (c, condition) in result.conditions.iter().enumerate() {
                        if let Some(slot) = index.get_mut(condition.file) {
                            slot.push((handler_file, r, c));
                        }
                    }
                }
            }
            index
        });
        index
            .get(file)
            .map(|found| {
                found
                    .iter()
                    .filter_map(|&(f, r, c)| {
                        let result = self.handler_results(f).get(r)?;
                        Some((result, result.conditions.get(c)?))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The handler of a tool, wherever its function is.
    pub fn handler_of(&self, tool_file: usize, tool: usize) -> Option<&Handler> {
        let k = *self.handler_index.get(&(tool_file, tool))?;
        self.handlers.get(k)
    }

    pub fn cached(&self, key: SummaryKey) -> Option<Arc<Summary>> {
        self.cache.lock().ok()?.get(&key).cloned()
    }

    pub fn store(&self, key: SummaryKey, summary: Arc<Summary>) {
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(key, summary);
        }
    }

    /// Is `name` a class defined in the project, in `file`'s language
    /// family (`DeployRequest` of `DeployRequest(kind=…, root=…)`)?
    pub fn is_class(&self, file: usize, name: &str) -> bool {
        let Some(facts) = self.files.get(file).map(|f| f.facts) else {
            return false;
        };
        self.classes.contains_key(&(family(facts.language), name))
    }

    /// The view's answer for a callee of `file`, computed once.
    fn view_function(&self, file: usize, callee: &str) -> Option<FnRef> {
        let key = (file, callee.to_string());
        if let Some(found) = self.resolved.lock().ok().and_then(|m| m.get(&key).copied()) {
            return found;
        }
        let found = self.view.function(file, callee);
        if let Ok(mut memo) = self.resolved.lock() {
            memo.insert(key, found);
        }
        found
    }

    /// The project function a call's callee names, seen from `file`:
    /// a function of this file (`helper`, `self.helper`, `Self::helper`), or
    /// one imported from a project module (`from .utils import helper`,
    /// `import { helper } from "./utils.js"`, `utils.helper`, `utils::helper`).
    pub fn resolve(&self, file: usize, callee: &str) -> Option<FnRef> {
        // The project layer first: it follows re-exports, barrels, default
        // exports, aliases and workspace packages.
        if let Some(found) = self.view_function(file, callee) {
            return Some(found);
        }
        let facts = self.files.get(file)?.facts;
        let fam = family(facts.language);
        if facts.language == Language::Go {
            return self.go_function(file, callee);
        }
        // A method of a project class instance: `this.client.run(x)`.
        if fam == 1
            && let Some(found) =
                crate::project::ts_classes::member_function(&self.view, file, callee)
        {
            return Some(found);
        }
        let segments: Vec<&str> = callee.split(['.', ':']).filter(|s| !s.is_empty()).collect();
        let (&name, heads) = segments.split_last()?;
        let head = heads.first().copied();
        let self_like = matches!(
            head,
            Some("self" | "this" | "cls" | "Self" | "super" | "crate")
        );
        // `import convert from "./convert.js"`: the module's default export,
        // whatever its own name.
        if heads.is_empty()
            && let Some(import) = facts
                .imports
                .iter()
                .find(|i| i.local == name && i.name.as_deref() == Some("default"))
            && let Some(found) = self.default_export(file, &import.module)
        {
            return Some(found);
        }
        let candidates = self.by_name.get(&(fam, name))?;
        let local = candidates.iter().find(|(f, _)| *f == file).copied();
        if (heads.is_empty() || self_like)
            && let Some(found) = local
        {
            return Some(found);
        }
        // Imported: by name (`from m import name`) or through a module alias (`m.name`).
        let module = match head {
            None => facts
                .imports
                .iter()
                .find(|i| i.local == name)
                .map(|i| i.module.clone()),
            Some(h) if !self_like => facts.imports.iter().find(|i| i.local == h).map(|i| match &i
                .name
            {
                Some(n) => format!("{}.{n}", i.module),
                None => i.module.clone(),
            }),
            _ => None,
        };
        let module = match module {
            Some(m) => m,
            // Rust paths name their module: `utils::run` or `crate::utils::run`.
            None if fam == 2 && !heads.is_empty() => heads.join("::"),
            None => return None,
        };
        let stem = module_stem(&module);
        // Of the modules with that name (every package of a monorepo has a
        // `utils`), the one nearest the caller, as the interpreter's search
        // path would find it.
        let caller = self.files[file].path;
        candidates
            .iter()
            .filter(|(f, _)| *f != file)
            .filter(|(f, _)| names_match(self.module_names[*f], stem))
            .max_by_key(|(f, _)| {
                let shared = self.files[*f]
                    .path
                    .components()
                    .zip(caller.components())
                    .take_while(|(a, b)| a == b)
                    .count();
                // Equally near: the first in scan order.
                (shared, std::cmp::Reverse(*f))
            })
            .copied()
    }
}

/// The last segment of a module path: `.utils` / `pkg.utils` / `./utils.js`
/// / `crate::utils` → `utils`.
pub fn module_stem(module: &str) -> &str {
    let module = module.trim_end_matches(".js").trim_end_matches(".ts");
    let module = module.trim_end_matches(".mjs").trim_end_matches(".cjs");
    module
        .rsplit(['.', '/', ':'])
        .find(|s| !s.is_empty())
        .unwrap_or(module)
}

/// Is `path` a module named `stem` (`utils.py`, `utils/__init__.py`)?
pub fn file_matches(path: &str, stem: &str) -> bool {
    names_match(module_names_of(path), stem)
}

/// A file's name without extensions and the name of its directory.
fn module_names_of(path: &str) -> (&str, &str) {
    let mut parts = path.rsplit(['/', '\\']);
    let file = parts.next().unwrap_or("");
    let dir = parts.next().unwrap_or("");
    (file.split('.').next().unwrap_or(file), dir)
}

/// Does a module of that name live in the file (`utils.py`, `utils/__init__.py`)?
fn names_match((file_stem, dir): (&str, &str), stem: &str) -> bool {
    file_stem == stem || (matches!(file_stem, "__init__" | "index" | "mod" | "lib") && dir == stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_stems_and_files() {
        assert_eq!(module_stem(".utils"), "utils");
        assert_eq!(module_stem("./lib/shell.js"), "shell");
        assert_eq!(module_stem("crate::tools::exec"), "exec");
        assert!(names_match(module_names_of("src/tools/exec.rs"), "exec"));
        assert!(names_match(
            module_names_of("pkg/utils/__init__.py"),
            "utils"
        ));
        assert!(!names_match(module_names_of("pkg/other.py"), "utils"));
    }
}
