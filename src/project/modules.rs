//! Which file an import names: module paths of files, import targets, and
//! an index of the scan's code files by module name.

use std::collections::HashMap;
use std::path::Path;

use super::go_modules::GoModules;
use crate::discover::SourcePath;
use crate::facts::Language;

/// How many rounds of imports a scan follows from the files it keeps for
/// the project into modules the prefilter skipped: real servers reach their
/// tools through an entry point, an aggregate list, a package index and a
/// barrel before the module that defines one.
pub const IMPORT_ROUNDS: usize = 6;

/// The code files of a scan by module name (the last segment of their
/// module path), so that an import is resolved without comparing it with
/// every file.
pub struct ModuleIndex {
    by_name: HashMap<String, Vec<(usize, Vec<String>)>>,
    /// The `go.mod` files read while resolving Go imports, for this index's
    /// scan only.
    go: GoModules,
}

impl ModuleIndex {
    pub fn new(files: &[SourcePath]) -> Self {
        Self::from_paths(
            files
                .iter()
                .enumerate()
                .filter(|(_, f)| f.language.is_code())
                .map(|(i, f)| (i, f.path.as_path())),
        )
    }

    /// An index of the given code files, each under the number it comes with.
    pub fn from_paths<'p>(paths: impl Iterator<Item = (usize, &'p Path)>) -> Self {
        let mut by_name: HashMap<String, Vec<(usize, Vec<String>)>> = HashMap::new();
        for (i, path) in paths {
            for key in module_key(path).unwrap_or_default() {
                let name = key.rsplit('/').next().unwrap_or_default().to_string();
                let entry = by_name.entry(name).or_default();
                match entry.last_mut() {
                    Some((last, keys)) if *last == i => keys.push(key),
                    _ => entry.push((i, vec![key])),
                }
            }
        }
        ModuleIndex {
            by_name,
            go: GoModules::default(),
        }
    }

    /// The `go.mod` files of the scan (read on demand).
    pub fn go_modules(&self) -> &GoModules {
        &self.go
    }

    /// The code files (by their number in the index) that the imports of
    /// the given files name and `accept` takes: one round of following
    /// imports from a frontier of lowered files.
    pub fn imported_by<'f>(
        &self,
        importers: impl Iterator<Item = (&'f Path, &'f crate::facts::FileFacts)>,
        accept: impl Fn(usize) -> bool,
    ) -> std::collections::BTreeSet<usize> {
        let mut wanted = std::collections::BTreeSet::new();
        for (importer, facts) in importers {
            // A Go package is a directory: the other files of the importer's
            // package hold its handlers without being imported.
            if facts.language == Language::Go
                && let Some(package) = super::go_modules::package_key(importer)
            {
                wanted.extend(
                    self.closest(importer, &package)
                        .into_iter()
                        .filter(|i| accept(*i)),
                );
            }
            for import in &facts.imports {
                for target in import_targets(importer, facts.language, import, &self.go) {
                    wanted.extend(
                        self.closest(importer, &target)
                            .into_iter()
                            .filter(|i| accept(*i)),
                    );
                }
            }
        }
        wanted
    }

    /// The files an import target names. An absolute Python module
    /// (`utils`) or a Rust `crate::config` path names a suffix that many
    /// packages of a monorepo share: the interpreter finds the one on the
    /// importer's own path, so only the matches sharing the longest
    /// directory prefix with the importer are taken.
    pub fn closest(&self, importer: &Path, target: &str) -> Vec<usize> {
        let name = target.rsplit('/').next().unwrap_or_default();
        let Some(candidates) = self.by_name.get(name) else {
            return Vec::new();
        };
        let importer = std::path::absolute(importer).unwrap_or_else(|_| importer.to_path_buf());
        let mut best = 0;
        let mut out: Vec<usize> = Vec::new();
        for (i, keys) in candidates {
            let Some(key) = keys.iter().find(|key| key.ends_with(target)) else {
                continue;
            };
            let shared = Path::new(key)
                .components()
                .zip(importer.components())
                .take_while(|(a, b)| a == b)
                .count();
            if shared > best {
                best = shared;
                out.clear();
            }
            if shared == best {
                out.push(*i);
            }
        }
        out
    }
}

/// The module a file is, as slash-separated paths without extension:
/// `src/pkg/utils.py` → `src/pkg/utils`; `pkg/utils/__init__.py`,
/// `lib/index.ts` and `tools/mod.rs` also stand for their directory.
pub fn module_key(path: &Path) -> Option<Vec<String>> {
    let absolute = std::path::absolute(path).ok()?;
    let text = absolute.to_str()?.replace('\\', "/");
    let (stem, extension) = text.rsplit_once('.')?;
    // A Go import names a package, which is a directory: every file of it
    // answers to the directory's path (and never to its own name).
    if extension == "go" {
        return Some(vec![super::go_modules::package_key(path)?]);
    }
    let mut stems = vec![format!("/{}", stem.trim_start_matches('/'))];
    if extension == "rs"
        && let Some(alias) = crate_alias(&stems[0])
    {
        stems.push(alias);
    }
    let mut keys = stems.clone();
    for stem in &stems {
        for index in ["/__init__", "/index", "/mod", "/lib"] {
            if let Some(dir) = stem.strip_suffix(index) {
                keys.push(dir.to_string());
            }
        }
    }
    Some(keys)
}

/// A Rust file of a workspace crate under the crate's name, as other crates
/// `use` it: `/ws/crates/mcp-server/src/tools` → `/ws/crates/mcp_server/tools`
/// (a package's directory is its name, `-` written `_` in paths).
fn crate_alias(stem: &str) -> Option<String> {
    let (dir, inside) = stem.rsplit_once("/src/")?;
    let (parent, name) = dir.rsplit_once('/')?;
    (!name.is_empty()).then(|| format!("{parent}/{}/{inside}", name.replace('-', "_")))
}

/// The module paths (slash-separated, no extension, starting with `/`) an
/// import can name: relative imports resolved against the importer's
/// directory; absolute Python modules and Rust `crate::` paths as suffixes.
pub fn import_targets(
    importer: &Path,
    language: Language,
    import: &crate::facts::Import,
    go: &GoModules,
) -> Vec<String> {
    let dir = std::path::absolute(importer)
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .and_then(|p| p.to_str().map(|s| s.replace('\\', "/")))
        .unwrap_or_default();
    let module = import.module.as_str();
    let mut out = Vec::new();
    match language {
        Language::Go => out.extend(go.import_target(importer, module)),
        Language::Python => {
            let dots = module.chars().take_while(|c| *c == '.').count();
            let rest = module[dots..].replace('.', "/");
            let base = if dots > 0 {
                let mut base = dir.clone();
                for _ in 1..dots {
                    base = base
                        .rsplit_once('/')
                        .map(|(b, _)| b.to_string())
                        .unwrap_or_default();
                }
                base
            } else {
                String::new()
            };
            let join = |a: &str, b: &str| match (a.is_empty(), b.is_empty()) {
                (_, true) => a.to_string(),
                (true, false) => format!("/{b}"),
                (false, false) => format!("{a}/{b}"),
            };
            let module_path = join(&base, &rest);
            if !module_path.is_empty() {
                out.push(module_path.clone());
            }
            // `from pkg import utils`: the name may be a module too.
            if let Some(name) = &import.name {
                out.push(join(&module_path, name));
            }
        }
        // `use super::x` / `use self::tools::x`: relative to the importer's module.
        Language::Rust
            if module == "super"
                || module.starts_with("super::")
                || module == "self"
                || module.starts_with("self::") =>
        {
            let stem =
                dir.clone() + "/" + importer.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let mut base = match importer.file_stem().and_then(|s| s.to_str()) {
                Some("mod" | "lib" | "main") => dir.clone(),
                _ => stem,
            };
            let mut rest: Vec<&str> = Vec::new();
            for segment in module.split("::") {
                match segment {
                    "self" if rest.is_empty() => {}
                    "super" if rest.is_empty() => {
                        base = base
                            .rsplit_once('/')
                            .map(|(b, _)| b.to_string())
                            .unwrap_or_default();
                    }
                    other => rest.push(other),
                }
            }
            out.push(base.clone());
            for end in 1..=rest.len() {
                out.push(format!("{base}/{}", rest[..end].join("/")));
            }
            if let Some(name) = import.name.as_deref().filter(|n| *n != "self") {
                let mut path = rest.clone();
                path.push(name);
                out.push(format!("{base}/{}", path.join("/")));
            }
        }
        Language::Rust => {
            let segments: Vec<&str> = module
                .split("::")
                .filter(|s| !matches!(*s, "crate" | "self" | "super" | ""))
                .collect();
            for end in 1..=segments.len() {
                out.push(format!("/{}", segments[..end].join("/")));
            }
            // `use crate::hooks;` / `use super::{git, hooks};`: the name may be a module too.
            if let Some(name) = import.name.as_deref().filter(|n| *n != "self") {
                let mut path = segments.clone();
                path.push(name);
                out.push(format!("/{}", path.join("/")));
            }
        }
        _ => {
            if module.starts_with("./") || module.starts_with("../") {
                let mut parts: Vec<&str> = dir.split('/').collect();
                for segment in module.split('/') {
                    match segment {
                        "." | "" => {}
                        ".." => {
                            parts.pop();
                        }
                        other => parts.push(other),
                    }
                }
                let joined = parts.join("/");
                let trimmed = ["js", "mjs", "cjs", "ts", "mts", "cts", "jsx", "tsx"]
                    .iter()
                    .find_map(|ext| joined.strip_suffix(&format!(".{ext}")))
                    .unwrap_or(&joined)
                    .to_string();
                out.push(trimmed);
            } else if !module.starts_with("node:") {
                // Aliases (`@/tools`) and packages of the same workspace.
                out.extend(super::ts_resolve::targets(importer, module));
            }
        }
    }
    out.retain(|t| t.len() > 1);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_crate_files_answer_to_the_crate_name() {
        let keys = module_key(Path::new("/ws/crates/mcp-server/src/lib.rs")).unwrap_or_default();
        assert!(
            keys.contains(&"/ws/crates/mcp_server".to_string()),
            "{keys:?}"
        );
        let keys = module_key(Path::new("/ws/crates/mcp-server/src/tools.rs")).unwrap_or_default();
        assert!(
            keys.contains(&"/ws/crates/mcp_server/tools".to_string()),
            "{keys:?}"
        );
        let import = crate::facts::Import {
            module: "super::tools".to_string(),
            name: Some("search".to_string()),
            local: "search".to_string(),
            span: crate::finding::Span::default(),
        };
        let go = GoModules::default();
        let targets = import_targets(
            Path::new("/ws/src/server/handler.rs"),
            Language::Rust,
            &import,
            &go,
        );
        assert!(
            targets.contains(&"/ws/src/server/tools".to_string()),
            "{targets:?}"
        );
        let targets = import_targets(
            Path::new("/ws/src/server/mod.rs"),
            Language::Rust,
            &import,
            &go,
        );
        assert!(
            targets.contains(&"/ws/src/tools".to_string()),
            "{targets:?}"
        );
        // Python modules keep their paths only.
        let keys = module_key(Path::new("/ws/pkg-a/src/tools.py")).unwrap_or_default();
        assert_eq!(keys, vec!["/ws/pkg-a/src/tools".to_string()]);
    }
}
