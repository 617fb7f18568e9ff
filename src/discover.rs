//! Discovery: walk the given paths (gitignore-aware, in parallel), skip what
//! is vendored or generated, and classify each file by language.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use globset::GlobSet;
use ignore::{WalkBuilder, WalkState};

use crate::facts::Language;

/// Directory names never descended into (unless given explicitly as a path).
pub const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "bower_components",
    "jspm_packages",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "__pycache__",
    "site-packages",
    // mcplint's own result cache (`crate::cache`).
    ".mcplint_cache",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    "dist",
    "build",
    "target",
    "vendor",
    "third_party",
    ".next",
    ".nuxt",
    ".svelte-kit",
    ".turbo",
    ".yarn",
    ".pnpm-store",
    ".cargo",
];

/// Why a file was not scanned.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum SkipReason {
    /// A directory in `SKIPPED_DIRS` (counted once per directory).
    VendoredDir,
    /// Matched an `exclude` pattern of the configuration.
    Excluded,
    /// A symbolic link (links are not followed inside the tree).
    Symlink,
    /// `*.min.js` or a line longer than `MAX_LINE_LENGTH`.
    Minified,
    /// Larger than the size cap.
    TooLarge,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::VendoredDir => "vendored/generated directories",
            SkipReason::Excluded => "excluded by configuration",
            SkipReason::Symlink => "symbolic links",
            SkipReason::Minified => "minified files",
            SkipReason::TooLarge => "over the size cap",
        }
    }
}

/// A file to scan.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SourcePath {
    pub path: PathBuf,
    pub language: Language,
    /// How many leading components of `path` name the directory that was
    /// given to scan: a file's role is judged from the rest (see
    /// `role_path`), so that a checkout under `~/tests/` is not all tests.
    pub role_base: usize,
}

impl SourcePath {
    /// A file found on its own (no scanned directory above it).
    pub fn new(path: PathBuf, language: Language) -> SourcePath {
        SourcePath {
            path,
            language,
            role_base: 0,
        }
    }

    /// The path below the scanned directory, which file roles are judged on.
    pub fn role_path(&self) -> PathBuf {
        self.path.components().skip(self.role_base).collect()
    }
}

#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<SourcePath>,
    pub skipped: BTreeMap<SkipReason, u64>,
    /// Walk errors (unreadable directories, broken links, loops): path and message.
    pub errors: Vec<(PathBuf, String)>,
}

pub struct DiscoverOptions<'a> {
    pub respect_ignore_files: bool,
    pub exclude: Option<&'a GlobSet>,
    /// Paths in `exclude` are matched relative to this directory.
    pub root: &'a Path,
    pub threads: usize,
}

/// The extensions mcplint reads, and the language of each (the pre-commit
/// hook's file filter is derived from this list; a test keeps them equal).
pub const EXTENSIONS: &[(&str, Language)] = &[
    ("py", Language::Python),
    ("pyi", Language::Python),
    ("ts", Language::TypeScript),
    ("mts", Language::TypeScript),
    ("cts", Language::TypeScript),
    ("tsx", Language::Tsx),
    ("js", Language::JavaScript),
    ("mjs", Language::JavaScript),
    ("cjs", Language::JavaScript),
    ("jsx", Language::JavaScript),
    ("rs", Language::Rust),
    ("go", Language::Go),
    ("json", Language::Json),
    ("jsonc", Language::Json),
    ("yaml", Language::Yaml),
    ("yml", Language::Yaml),
    ("toml", Language::Toml),
];

/// Classifies a path by extension; `None` for files mcplint does not read.
pub fn classify(path: &Path) -> Option<Language> {
    // A file name need not be UTF-8; its extension is what matters.
    let name = path.file_name()?.to_string_lossy();
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".min.js") || lower.ends_with(".d.ts") {
        return None;
    }
    // Lockfiles and dependency lists are known by name (`yarn.lock`,
    // `go.mod`, `requirements-dev.txt`); a JSON/YAML/TOML one keeps its
    // language and is read as data too.
    if let Some(kind) = crate::deps::kind(path)
        && !matches!(
            kind,
            crate::deps::FileKind::NpmLock
                | crate::deps::FileKind::PnpmLock
                | crate::deps::FileKind::PackageJson
                | crate::deps::FileKind::PyProject
                | crate::deps::FileKind::CargoToml
        )
    {
        return Some(Language::Dependencies);
    }
    let ext = lower.rsplit_once('.')?.1;
    EXTENSIONS
        .iter()
        .find(|(known, _)| *known == ext)
        .map(|(_, language)| *language)
}

/// Whether the configuration's `exclude` matches `path`.
pub fn excluded(options: &DiscoverOptions<'_>, path: &Path) -> bool {
    let Some(set) = options.exclude else {
        return false;
    };
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let relative = absolute.strip_prefix(options.root).unwrap_or(path);
    let relative = relative.strip_prefix("./").unwrap_or(relative);
    set.is_match(relative) || path.file_name().is_some_and(|n| set.is_match(n))
}

/// Walks `roots` and returns the files to scan, sorted by path.
pub fn discover(roots: &[PathBuf], options: &DiscoverOptions<'_>) -> Discovered {
    let result = Mutex::new(Discovered::default());
    for root in roots {
        if let Ok(meta) = std::fs::metadata(root)
            && meta.is_file()
        {
            // An explicit file is scanned whatever its directory or name.
            let mut found = lock(&result);
            match classify(root) {
                // A file named on the command line (a pre-commit hook's) is
                // judged on the path as given when it is relative, else on
                // its name.
                Some(language) => found.files.push(SourcePath {
                    path: root.clone(),
                    language,
                    role_base: if root.is_relative() {
                        0
                    } else {
                        root.components().count().saturating_sub(1)
                    },
                }),
                None if root.to_string_lossy().ends_with(".min.js") => {
                    *found.skipped.entry(SkipReason::Minified).or_default() += 1;
                }
                None => {}
            }
            continue;
        }
        let role_base = root.components().count();
        let mut builder = WalkBuilder::new(root);
        builder
            .hidden(false) // .vscode/, .cursor/ and .mcp.json hold MCP configs
            .follow_links(false)
            .git_ignore(options.respect_ignore_files)
            .git_global(options.respect_ignore_files)
            .git_exclude(options.respect_ignore_files)
            .ignore(options.respect_ignore_files)
            .parents(options.respect_ignore_files)
            .require_git(false)
            .threads(options.threads);
        builder.build_parallel().run(|| {
            let result = &result;
            Box::new(move |entry| {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(err) => {
                        let path = error_path(&err).unwrap_or_default();
                        lock(result).errors.push((path, err.to_string()));
                        return WalkState::Continue;
                    }
                };
                if entry.depth() == 0 {
                    return WalkState::Continue;
                }
                let Some(file_type) = entry.file_type() else {
                    return WalkState::Continue;
                };
                let path = entry.path();
                if file_type.is_dir() {
                    let name = entry.file_name().to_string_lossy();
                    if SKIPPED_DIRS.contains(&name.as_ref()) {
                        *lock(result)
                            .skipped
                            .entry(SkipReason::VendoredDir)
                            .or_default() += 1;
                        return WalkState::Skip;
                    }
                    if excluded(options, path) {
                        *lock(result)
                            .skipped
                            .entry(SkipReason::Excluded)
                            .or_default() += 1;
                        return WalkState::Skip;
                    }
                    return WalkState::Continue;
                }
                let language = classify(path);
                let reason = if file_type.is_symlink() {
                    language.map(|_| SkipReason::Symlink)
                } else if !file_type.is_file() {
                    None // FIFOs, sockets, devices: never read
                } else if path.to_string_lossy().ends_with(".min.js") {
                    Some(SkipReason::Minified)
                } else if language.is_some() && excluded(options, path) {
                    Some(SkipReason::Excluded)
                } else if let Some(language) = language {
                    lock(result).files.push(SourcePath {
                        path: path.to_path_buf(),
                        language,
                        role_base,
                    });
                    None
                } else {
                    None
                };
                if let Some(reason) = reason {
                    *lock(result).skipped.entry(reason).or_default() += 1;
                }
                WalkState::Continue
            })
        });
    }
    let mut found = result.into_inner().unwrap_or_else(|p| p.into_inner());
    found.files.sort();
    found.files.dedup();
    found.errors.sort();
    found
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic elsewhere cannot leave the data half-written in a way that
    // matters here: take it anyway.
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_extension() {
        assert_eq!(classify(Path::new("a/server.py")), Some(Language::Python));
        assert_eq!(classify(Path::new("x.mts")), Some(Language::TypeScript));
        assert_eq!(classify(Path::new("App.tsx")), Some(Language::Tsx));
        assert_eq!(classify(Path::new("a.cjs")), Some(Language::JavaScript));
        assert_eq!(classify(Path::new("lib.rs")), Some(Language::Rust));
        assert_eq!(classify(Path::new(".mcp.json")), Some(Language::Json));
        assert_eq!(classify(Path::new("smithery.yml")), Some(Language::Yaml));
        assert_eq!(classify(Path::new("Cargo.toml")), Some(Language::Toml));
        assert_eq!(classify(Path::new("jquery.min.js")), None);
        assert_eq!(classify(Path::new("types.d.ts")), None);
        assert_eq!(classify(Path::new("README.md")), None);
        assert_eq!(classify(Path::new("Makefile")), None);
    }
}
