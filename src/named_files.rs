//! Files named on the command line (a pre-commit hook passes the staged
//! ones) are analysed within their project: the walk covers the project each
//! named file belongs to, so the modules it imports and the modules that
//! import it are read, and the report keeps the findings whose location or
//! any flow step lies in a named file. `check pkg/server.py` then reports
//! what `check pkg` reports for that file and for the flows through it — a
//! tool in server.py whose argument reaches a sink in ops.py is found from
//! either file.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use crate::discover::{self, DiscoverOptions, Discovered, SkipReason, SourcePath};
use crate::finding::Finding;

/// What makes a directory a project's root: the nearest one upwards from a
/// named file holding one of these.
pub const ROOT_MARKERS: &[&str] = &[
    "mcplint.toml",
    ".mcplint.toml",
    "pyproject.toml",
    "package.json",
    "Cargo.toml",
    ".git",
];

/// The pin file `check` compares tools with (MCL405): not a source file,
/// but a change to it is a change the hook must look at.
const LOCK_FILE: &str = "mcplint.lock";

/// The paths a run reports on when files were named.
#[derive(Debug, Default)]
pub struct Scope {
    /// Named files, absolute and lexically normal.
    files: BTreeSet<PathBuf>,
    /// Named directories (everything below them is reported), likewise.
    dirs: Vec<PathBuf>,
}

impl Scope {
    /// Whether `path` (as shown, relative to `cwd` or absolute) is named or
    /// lies in a named directory.
    pub fn contains(&self, path: &Path, cwd: &Path) -> bool {
        let path = normalize(path, cwd);
        self.files.contains(&path) || self.dirs.iter().any(|d| path.starts_with(d))
    }

    /// Whether the finding's location or any step of any of its flows is in scope.
    pub fn touches(&self, finding: &Finding, cwd: &Path) -> bool {
        self.contains(&finding.path, cwd)
            || finding
                .flows
                .iter()
                .flat_map(|flow| &flow.steps)
                .any(|step| step.path.as_deref().is_some_and(|p| self.contains(p, cwd)))
    }
}

/// The files to scan, and the scope to report when files were named
/// (`None`: only directories were given, everything found is reported).
pub struct Widened {
    pub discovered: Discovered,
    pub scope: Option<Scope>,
}

/// Walks `paths` as `discover::discover` does, except that a named file
/// brings its whole project into the scan. With `force_exclude`, a named
/// file that `exclude` matches is dropped (ruff's `--force-exclude`: a
/// hook passes files whatever the configuration excludes).
pub fn discover(
    paths: &[PathBuf],
    options: &DiscoverOptions<'_>,
    cwd: &Path,
    force_exclude: bool,
) -> Widened {
    let is_file = |p: &Path| std::fs::metadata(p).is_ok_and(|m| m.is_file());
    if !paths.iter().any(|p| is_file(p)) {
        return Widened {
            discovered: discover::discover(paths, options),
            scope: None,
        };
    }
    let mut scope = Scope::default();
    let mut roots: Vec<PathBuf> = Vec::new();
    let mut force_excluded = 0;
    let mut named: Vec<PathBuf> = Vec::new();
    for path in paths {
        let absolute = normalize(path, cwd);
        if !is_file(path) {
            scope.dirs.push(absolute.clone());
            roots.push(absolute);
            continue;
        }
        if force_exclude && discover::excluded(options, &absolute) {
            force_excluded += 1;
            continue;
        }
        if discover::classify(&absolute).is_some() || is_lock(&absolute) {
            roots.push(project_root(&absolute));
        }
        scope.files.insert(absolute.clone());
        named.push(absolute);
    }
    let roots = outermost(roots);
    let mut discovered = discover::discover(&roots, options);
    // A named file the walk passes over (ignored, in a vendored directory,
    // excluded without --force-exclude) is scanned all the same, as it
    // always was.
    let walked: BTreeSet<PathBuf> = discovered.files.iter().map(|f| f.path.clone()).collect();
    for path in named {
        let Some(language) = discover::classify(&path) else {
            continue;
        };
        if walked.contains(&path) {
            continue;
        }
        let root = roots.iter().find(|r| path.starts_with(r));
        discovered.files.push(SourcePath {
            role_base: root.map_or(0, |r| r.components().count()),
            path,
            language,
        });
    }
    discovered.files.sort();
    discovered.files.dedup();
    if force_excluded > 0 {
        *discovered.skipped.entry(SkipReason::Excluded).or_default() += force_excluded;
    }
    Widened {
        discovered,
        scope: Some(scope),
    }
}

fn is_lock(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == LOCK_FILE)
}

/// The nearest directory above `file` holding a root marker; the file's
/// own directory when there is none (never a walk of a whole home directory
/// because a stray script sits in it).
pub fn project_root(file: &Path) -> PathBuf {
    let Some(start) = file.parent() else {
        return file.to_path_buf();
    };
    start
        .ancestors()
        .find(|dir| ROOT_MARKERS.iter().any(|m| dir.join(m).exists()))
        .unwrap_or(start)
        .to_path_buf()
}

/// The roots with those inside another removed: each file is walked once.
fn outermost(mut roots: Vec<PathBuf>) -> Vec<PathBuf> {
    roots.sort();
    roots.dedup();
    let mut kept: Vec<PathBuf> = Vec::new();
    for root in roots {
        // Sorted, so an enclosing root comes before what it encloses.
        if !kept.iter().any(|k| root.starts_with(k)) {
            kept.push(root);
        }
    }
    kept
}

/// `path` made absolute against `cwd`, with `.` and `..` resolved lexically
/// (the same file named as `./pkg/a.py` or `pkg/../pkg/a.py` is one file).
pub fn normalize(path: &Path, cwd: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_dots() {
        let cwd = Path::new("/r");
        assert_eq!(
            normalize(Path::new("./pkg/a.py"), cwd),
            Path::new("/r/pkg/a.py")
        );
        assert_eq!(
            normalize(Path::new("pkg/../pkg/a.py"), cwd),
            Path::new("/r/pkg/a.py")
        );
        assert_eq!(normalize(Path::new("/x/./y"), cwd), Path::new("/x/y"));
    }

    #[test]
    fn nested_roots_are_walked_once() {
        let roots = outermost(vec![
            PathBuf::from("/r/a/b"),
            PathBuf::from("/r"),
            PathBuf::from("/s"),
            PathBuf::from("/r"),
        ]);
        assert_eq!(roots, vec![PathBuf::from("/r"), PathBuf::from("/s")]);
    }

    #[test]
    fn the_nearest_marker_is_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path();
        std::fs::create_dir_all(top.join("web/src")).unwrap();
        std::fs::create_dir_all(top.join("py/pkg")).unwrap();
        std::fs::write(top.join("pyproject.toml"), "").unwrap();
        std::fs::write(top.join("web/package.json"), "{}").unwrap();
        assert_eq!(project_root(&top.join("web/src/index.ts")), top.join("web"));
        assert_eq!(
            project_root(&top.join("py/pkg/server.py")),
            top.to_path_buf()
        );
    }

    #[test]
    fn without_a_marker_the_root_is_the_file_directory() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("loose/script.py");
        // The temporary directory may sit below a marker (a checkout's
        // .git); the answer is the file's directory unless an ancestor
        // holds one.
        let root = project_root(&file);
        assert!(
            root == dir.path().join("loose") || ROOT_MARKERS.iter().any(|m| root.join(m).exists())
        );
    }

    #[test]
    fn scope_keeps_flows_through_named_files() {
        let cwd = Path::new("/r");
        let scope = Scope {
            files: [PathBuf::from("/r/pkg/ops.py")].into_iter().collect(),
            dirs: vec![PathBuf::from("/r/docs")],
        };
        assert!(scope.contains(Path::new("pkg/ops.py"), cwd));
        assert!(scope.contains(Path::new("./pkg/ops.py"), cwd));
        assert!(scope.contains(Path::new("docs/x/server.py"), cwd));
        assert!(!scope.contains(Path::new("pkg/server.py"), cwd));
    }
}
