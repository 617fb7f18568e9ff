//! The project: every parsed file's facts, so that calls into functions
//! defined elsewhere in the project (same file, or imported from a module of
//! the same language) can be followed through per-function summaries.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::facts::{FileFacts, Language};

use super::catalog::{self, Catalog};
use super::engine::Summary;

/// Default bound on how many project calls deep the engine follows a value.
pub const DEFAULT_MAX_DEPTH: usize = 5;

/// One parsed file of the project.
pub struct ProjectFile<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub facts: &'a FileFacts,
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

/// Key of a memoised summary: the function and the tainted parameter.
pub type SummaryKey = (usize, usize, Option<usize>);

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
    catalogs: Option<Arc<[Catalog; 3]>>,
    handlers: Vec<Handler>,
    by_name: HashMap<(u8, &'a str), Vec<FnRef>>,
    pub max_depth: usize,
    cache: Mutex<HashMap<SummaryKey, Arc<Summary>>>,
    /// Project-wide facts a rule computes once (MCL303's secret names).
    secret_names: std::sync::OnceLock<Vec<String>>,
    /// Per file, the variables bound to an SDK client whose calls fetch
    /// content (MCL701), computed once per scan.
    api_clients: std::sync::OnceLock<Vec<ApiClients>>,
}

impl<'a> Project<'a> {
    pub fn new(
        files: Vec<ProjectFile<'a>>,
        max_depth: usize,
        catalogs: Option<Arc<[Catalog; 3]>>,
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
        let mut project = Project {
            files,
            catalogs,
            handlers: Vec::new(),
            by_name,
            max_depth,
            cache: Mutex::new(HashMap::new()),
            secret_names: std::sync::OnceLock::new(),
            api_clients: std::sync::OnceLock::new(),
        };
        let mut handlers = Vec::new();
        for (i, file) in project.files.iter().enumerate() {
            for (t, tool) in file.facts.tools.iter().enumerate() {
                if tool.kind != crate::facts::EntryKind::Tool {
                    continue;
                }
                let found = match (tool.handler, &tool.handler_import) {
                    (Some(function), _) => Some((i, function)),
                    (None, Some(import)) => {
                        let name = import.rsplit('#').next().unwrap_or(import);
                        project.resolve(i, name)
                    }
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
        project.handlers = handlers;
        project
    }

    /// The names of environment variables holding secrets that the project
    /// mentions, computed once per scan (not once per file).
    pub fn secret_names(&self, compute: impl FnOnce(&Self) -> Vec<String>) -> &[String] {
        self.secret_names.get_or_init(|| compute(self))
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
        self.handlers.iter().filter(move |h| h.file == file)
    }

    /// The handler of a tool, wherever its function is.
    pub fn handler_of(&self, tool_file: usize, tool: usize) -> Option<&Handler> {
        self.handlers
            .iter()
            .find(|h| h.tool_file == tool_file && h.tool == tool)
    }

    pub fn cached(&self, key: SummaryKey) -> Option<Arc<Summary>> {
        self.cache.lock().ok()?.get(&key).cloned()
    }

    pub fn store(&self, key: SummaryKey, summary: Arc<Summary>) {
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(key, summary);
        }
    }

    /// The project function a call's callee names, seen from `file`:
    /// a function of this file (`helper`, `self.helper`, `Self::helper`), or
    /// one imported from a project module (`from .utils import helper`,
    /// `import { helper } from "./utils.js"`, `utils.helper`, `utils::helper`).
    pub fn resolve(&self, file: usize, callee: &str) -> Option<FnRef> {
        let facts = self.files.get(file)?.facts;
        let fam = family(facts.language);
        let segments: Vec<&str> = callee.split(['.', ':']).filter(|s| !s.is_empty()).collect();
        let (&name, heads) = segments.split_last()?;
        let head = heads.first().copied();
        let self_like = matches!(
            head,
            Some("self" | "this" | "cls" | "Self" | "super" | "crate")
        );
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
        let matching: Vec<FnRef> = candidates
            .iter()
            .filter(|(f, _)| *f != file)
            .filter(|(f, _)| {
                self.files[*f]
                    .path
                    .to_str()
                    .is_some_and(|p| file_matches(p, stem))
            })
            .copied()
            .collect();
        match matching.as_slice() {
            [only] => Some(*only),
            [first, ..] => Some(*first),
            [] => None,
        }
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

/// Is the file at `path` the module `stem` (`utils.py`, `utils/__init__.py`,
/// `utils/index.ts`, `utils/mod.rs`)?
pub fn file_matches(path: &str, stem: &str) -> bool {
    let path = path.replace('\\', "/");
    let mut parts = path.rsplit('/');
    let file = parts.next().unwrap_or("");
    let dir = parts.next().unwrap_or("");
    let file_stem = file.split('.').next().unwrap_or(file);
    if file_stem == stem {
        return true;
    }
    matches!(file_stem, "__init__" | "index" | "mod" | "lib") && dir == stem
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_stems_and_files() {
        assert_eq!(module_stem(".utils"), "utils");
        assert_eq!(module_stem("./lib/shell.js"), "shell");
        assert_eq!(module_stem("crate::tools::exec"), "exec");
        assert!(file_matches("src/tools/exec.rs", "exec"));
        assert!(file_matches("pkg/utils/__init__.py", "utils"));
        assert!(!file_matches("pkg/other.py", "utils"));
    }
}
