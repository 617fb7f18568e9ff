//! Calls between Go functions of one project: a function of the same
//! package (any file of the directory), a function of an imported package
//! of the module (`tools.Run` with `import ".../internal/tools"`), and a
//! method called on a receiver or a field (`s.run(x)`, `h.client.exec(x)`)
//! by its name among the package's methods. Go has no classes: a method is
//! found by the name the call uses, as Python methods are, within the
//! package that declares it.

use std::path::Path;

use super::{FnRef, Project};

impl<'a> Project<'a> {
    /// The facts of the Go files of `file`'s package (its directory), for
    /// what a function reads of the package's struct literals; empty for
    /// other languages.
    pub fn go_package(&self, file: usize) -> Vec<&'a crate::facts::FileFacts> {
        let Some(here) = self.files.get(file) else {
            return Vec::new();
        };
        if here.facts.language != crate::facts::Language::Go {
            return Vec::new();
        }
        let Some(dir) = here.path.parent() else {
            return vec![here.facts];
        };
        let packages = self.go_packages.get_or_init(|| {
            let mut by_dir: std::collections::HashMap<std::path::PathBuf, Vec<usize>> =
                std::collections::HashMap::new();
            for (i, f) in self.files.iter().enumerate() {
                if f.facts.language == crate::facts::Language::Go
                    && let Some(parent) = f.path.parent()
                {
                    by_dir.entry(parent.to_path_buf()).or_default().push(i);
                }
            }
            by_dir
        });
        packages
            .get(dir)
            .map(|files| files.iter().map(|&i| self.files[i].facts).collect())
            .unwrap_or_default()
    }

    /// The Go function `callee` names, seen from `file`.
    pub(super) fn go_function(&self, file: usize, callee: &str) -> Option<FnRef> {
        if callee.contains("<expr>") {
            return None;
        }
        let facts = self.files.get(file)?.facts;
        let (heads, name) = match callee.rsplit_once('.') {
            Some((heads, name)) => (Some(heads), name),
            None => (None, callee),
        };
        let candidates = self.by_name.get(&(3, name))?;
        let here = self.files[file].path.parent();
        let is_method = |(f, j): &FnRef| self.files[*f].facts.go.receiver(*j).is_some();
        let Some(heads) = heads else {
            // `run(x)`: a function of this package, this file first.
            return candidates
                .iter()
                .filter(|c| !is_method(c))
                .filter(|(f, _)| self.files[*f].path.parent() == here)
                .min_by_key(|(f, _)| (*f != file, *f))
                .copied();
        };
        let head = heads.split('.').next().unwrap_or(heads);
        if let Some(import) = facts.imports.iter().find(|i| i.local == head) {
            // `tools.Run(x)`: a function of the imported package.
            if heads.contains('.') {
                return None;
            }
            // Of the packages with that path's tail, the one nearest the
            // caller (the module's own, in a tree of several modules).
            let caller = self.files[file].path;
            return candidates
                .iter()
                .filter(|c| !is_method(c))
                .filter(|(f, _)| package_matches(self.files[*f].path, &import.module))
                .max_by_key(|(f, _)| {
                    let shared = self.files[*f]
                        .path
                        .components()
                        .zip(caller.components())
                        .take_while(|(a, b)| a == b)
                        .count();
                    (shared, std::cmp::Reverse(*f))
                })
                .copied();
        }
        // `s.run(x)`: a method of this package with that name, when only
        // one type of the package declares one.
        let mut methods = candidates
            .iter()
            .filter(|c| is_method(c))
            .filter(|(f, _)| self.files[*f].path.parent() == here);
        let first = *methods.next()?;
        let receiver = |(f, j): FnRef| self.files[f].facts.go.receiver(j).map(str::to_string);
        let kind = receiver(first);
        methods.all(|c| receiver(*c) == kind).then_some(first)
    }
}

impl Project<'_> {
    /// The method `method` of the type written `written` (`*lsp.Client`,
    /// `Store`) as seen from `file`: a parameter's declared type says which
    /// package's method a call on it runs.
    pub fn go_method_of_type(&self, file: usize, written: &str, method: &str) -> Option<FnRef> {
        let facts = self.files.get(file)?.facts;
        let bare = written.trim_start_matches(['*', '&']);
        let (package, type_name) = match bare.split_once('.') {
            Some((package, type_name)) => (Some(package), type_name),
            None => (None, bare),
        };
        let type_name = type_name.split('[').next().unwrap_or(type_name);
        let module = match package {
            Some(package) => Some(
                facts
                    .imports
                    .iter()
                    .find(|i| i.local == package)?
                    .module
                    .as_str(),
            ),
            None => None,
        };
        let here = self.files[file].path.parent();
        let candidates = self.by_name.get(&(3, method))?;
        candidates
            .iter()
            .filter(|(f, j)| self.files[*f].facts.go.receiver(*j) == Some(type_name))
            .find(|(f, _)| match module {
                Some(module) => package_matches(self.files[*f].path, module),
                None => self.files[*f].path.parent() == here,
            })
            .copied()
    }
}

/// Is `path` a file of the package imported as `module`
/// (`github.com/acme/srv/internal/tools` → `…/internal/tools/run.go`)?
/// The directory's trailing segments must be the import path's.
fn package_matches(path: &Path, module: &str) -> bool {
    let Some(dir) = path.parent() else {
        return false;
    };
    let dir: Vec<String> = dir
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let wanted: Vec<&str> = module.split('/').collect();
    // Two segments (`internal/tools`) tell packages apart well enough; a
    // shorter directory path must match as a whole.
    let take = wanted.len().min(2).min(dir.len().max(1));
    if dir.len() < take {
        return false;
    }
    dir[dir.len() - take..]
        .iter()
        .zip(&wanted[wanted.len() - take..])
        .all(|(a, b)| a == b)
}

#[cfg(test)]
mod tests {
    use super::package_matches;
    use std::path::Path;

    #[test]
    fn packages_by_their_trailing_directories() {
        let module = "github.com/acme/srv/internal/tools";
        assert!(package_matches(Path::new("internal/tools/run.go"), module));
        assert!(package_matches(
            Path::new("srv/internal/tools/run.go"),
            module
        ));
        assert!(!package_matches(Path::new("pkg/tools/run.go"), module));
        assert!(!package_matches(Path::new("run.go"), module));
    }
}
