//! Go packages and modules: a package is a directory (all its files share
//! one namespace), and an import path names a directory of the module whose
//! `go.mod` declares a prefix of it (`module github.com/org/repo` makes
//! `github.com/org/repo/internal/tools` the directory `internal/tools`
//! beside that `go.mod`).
//!
//! `go.mod` files are not lowered: the nearest one above a file is read on
//! demand (only its `module` line) and remembered per directory in a
//! [`GoModules`] that the scan's module index owns, so that a scan reads
//! each at most once and nothing outlives the scan (a library user scanning
//! many trees keeps none of them).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// How many directories up a `go.mod` is looked for.
const MAX_DEPTH: usize = 32;

/// The directory of a Go file as a module-index key: `/abs/internal/tools`.
pub fn package_key(file: &Path) -> Option<String> {
    let absolute = std::path::absolute(file).ok()?;
    let dir = absolute.parent()?.to_str()?.replace('\\', "/");
    Some(format!("/{}", dir.trim_start_matches('/')))
}

/// Directories already looked up: the module each belongs to, if any.
type Modules = HashMap<PathBuf, Option<(PathBuf, String)>>;

/// The `go.mod` files of one scan, read on demand and remembered by
/// directory.
#[derive(Debug, Default)]
pub struct GoModules {
    known: Mutex<Modules>,
}

impl GoModules {
    /// The directory an import path of `importer` names inside the
    /// importer's module (`None` for the standard library and other
    /// modules).
    pub fn import_target(&self, importer: &Path, import: &str) -> Option<String> {
        let absolute = std::path::absolute(importer).ok()?;
        let (root, module) = self.module_of(absolute.parent()?)?;
        let rest = if import == module {
            ""
        } else {
            import.strip_prefix(&module)?.strip_prefix('/')?
        };
        let root = root.to_str()?.replace('\\', "/");
        let root = format!("/{}", root.trim_start_matches('/'));
        Some(if rest.is_empty() {
            root
        } else {
            format!("{}/{rest}", root.trim_end_matches('/'))
        })
    }

    /// The root directory (of the nearest `go.mod`) holding `path`,
    /// whichever module declares it.
    pub fn module_root(&self, path: &Path) -> Option<PathBuf> {
        let absolute = std::path::absolute(path).ok()?;
        self.module_of(absolute.parent()?).map(|(root, _)| root)
    }

    /// The nearest `go.mod` at or above `dir`: its directory and module path.
    fn module_of(&self, dir: &Path) -> Option<(PathBuf, String)> {
        let mut visited: Vec<PathBuf> = Vec::new();
        let mut current = Some(dir);
        let mut found = None;
        for _ in 0..MAX_DEPTH {
            let Some(here) = current else {
                break;
            };
            if let Some(answer) = self.lock().get(here) {
                found = answer.clone();
                break;
            }
            visited.push(here.to_path_buf());
            if let Some(module) = read_module(&here.join("go.mod")) {
                found = Some((here.to_path_buf(), module));
                break;
            }
            current = here.parent();
        }
        let mut known = self.lock();
        for dir in visited {
            known.insert(dir, found.clone());
        }
        found
    }

    /// The cache; a panic of another thread while holding it left a
    /// consistent map (each insert is whole), so a poisoned lock is used.
    fn lock(&self) -> std::sync::MutexGuard<'_, Modules> {
        match self.known.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

/// The `module` line of a `go.mod` file.
fn read_module(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    module_line(&text)
}

/// `module github.com/org/repo` (quoted or not, comments aside).
pub fn module_line(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let line = line.split("//").next().unwrap_or("").trim();
        let rest = line.strip_prefix("module")?;
        if !rest.starts_with([' ', '\t']) {
            return None;
        }
        let module = rest.trim().trim_matches('"').trim_matches('`');
        (!module.is_empty()).then(|| module.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_module_line() {
        assert_eq!(
            module_line("// comment\nmodule github.com/org/repo // trailing\n\ngo 1.22\n")
                .as_deref(),
            Some("github.com/org/repo")
        );
        assert_eq!(
            module_line("module \"example.com/m\"\n").as_deref(),
            Some("example.com/m")
        );
        assert_eq!(module_line("modules x\n"), None);
    }

    #[test]
    fn import_paths_name_directories_of_the_module() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("cmd/server")).expect("dirs");
        std::fs::write(
            root.join("go.mod"),
            "module github.com/acme/files\n\ngo 1.23\n",
        )
        .expect("go.mod");
        let main = root.join("cmd/server/main.go");
        let modules = GoModules::default();
        let import_target = |importer: &Path, import: &str| modules.import_target(importer, import);
        let target = import_target(&main, "github.com/acme/files/internal/tools")
            .expect("inside the module");
        assert!(target.ends_with("/internal/tools"), "{target}");
        assert!(target.starts_with(&package_key(&root.join("x.go")).expect("key")));
        assert_eq!(
            import_target(&main, "github.com/mark3labs/mcp-go/mcp"),
            None
        );
        assert_eq!(import_target(&main, "fmt"), None);
        assert_eq!(
            import_target(&main, "github.com/acme/files"),
            package_key(&root.join("x.go"))
        );
    }
}
