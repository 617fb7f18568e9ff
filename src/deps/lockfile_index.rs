//! Which manifests have a lockfile, answered once per scan.
//!
//! A manifest range (`package.json`, `pyproject.toml`, `Cargo.toml`) is
//! only reported when no lockfile pins the version: beside the manifest or
//! up to 4 directories above it (a workspace member's lockfile is at the
//! workspace root). The scan's discovered files already name the lockfiles
//! of the tree, so the index is built from them before any rule runs, and
//! MCL905 asks it without touching the filesystem. Only a directory the
//! discovered files show no lockfile in is looked at on disk, once per scan
//! and directory: the lockfile may sit above the scanned directory, be left
//! out by an ignore file, or not be staged beside a manifest a pre-commit
//! hook names alone.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::FileKind;

/// Every lockfile name a manifest's family may have (the result cache
/// watches them above and beside the scanned files).
pub fn lockfile_names() -> impl Iterator<Item = &'static str> {
    Family::ALL
        .into_iter()
        .flat_map(|f| f.lockfiles().iter().copied())
}

/// How many directories above a manifest its lockfile may be.
const LEVELS: usize = 4;

/// The package managers whose manifests take a lockfile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Family {
    Npm,
    Python,
    Cargo,
}

impl Family {
    fn of_manifest(kind: FileKind) -> Option<Family> {
        match kind {
            FileKind::PackageJson => Some(Family::Npm),
            FileKind::PyProject => Some(Family::Python),
            FileKind::CargoToml => Some(Family::Cargo),
            _ => None,
        }
    }

    /// The lockfile names of the family, as written on disk.
    fn lockfiles(self) -> &'static [&'static str] {
        match self {
            Family::Npm => &[
                "package-lock.json",
                "npm-shrinkwrap.json",
                "pnpm-lock.yaml",
                "yarn.lock",
                "bun.lock",
            ],
            Family::Python => &["uv.lock", "poetry.lock", "Pipfile.lock", "pdm.lock"],
            Family::Cargo => &["Cargo.lock"],
        }
    }

    /// Every family.
    const ALL: [Family; 3] = [Family::Npm, Family::Python, Family::Cargo];

    /// The family a file named `name` is a lockfile of.
    fn of_lockfile(name: &str) -> Option<Family> {
        [Family::Npm, Family::Python, Family::Cargo]
            .into_iter()
            .find(|f| f.lockfiles().iter().any(|l| l.eq_ignore_ascii_case(name)))
    }
}

/// The directories that hold a lockfile, by family, for the manifests of
/// one scan.
#[derive(Debug, Default)]
pub struct LockfileIndex {
    locked: HashSet<(PathBuf, Family)>,
}

impl LockfileIndex {
    /// Indexes the lockfiles among `files` (a scan's discovered files) and
    /// settles, for every manifest among them, the directories above it that
    /// the files do not answer for.
    pub fn new<'a>(files: impl Iterator<Item = &'a Path> + Clone) -> LockfileIndex {
        let mut locked: HashSet<(PathBuf, Family)> = HashSet::new();
        for path in files.clone() {
            let family = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(Family::of_lockfile);
            if let (Some(family), Some(dir)) = (family, path.parent()) {
                locked.insert((dir.to_path_buf(), family));
            }
        }
        let mut probed: HashMap<(PathBuf, Family), bool> = HashMap::new();
        for path in files {
            let Some(family) = super::kind(path).and_then(Family::of_manifest) else {
                continue;
            };
            for dir in path.ancestors().skip(1).take(LEVELS) {
                let key = (dir.to_path_buf(), family);
                if locked.contains(&key) {
                    break;
                }
                let on_disk = *probed
                    .entry(key.clone())
                    .or_insert_with(|| family.lockfiles().iter().any(|n| dir.join(n).is_file()));
                if on_disk {
                    locked.insert(key);
                    break;
                }
            }
        }
        LockfileIndex { locked }
    }

    /// Is there a lockfile for the manifest at `path` (of `kind`): beside it
    /// or up to 4 directories above? Answered from the index alone.
    pub fn has_lockfile(&self, path: &Path, kind: FileKind) -> bool {
        let Some(family) = Family::of_manifest(kind) else {
            return false;
        };
        path.ancestors()
            .skip(1)
            .take(LEVELS)
            .any(|dir| self.locked.contains(&(dir.to_path_buf(), family)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovered_lockfiles_answer_without_the_filesystem() {
        // None of these paths exist: the answers come from the list.
        let files = [
            PathBuf::from("/nowhere/repo/package-lock.json"),
            PathBuf::from("/nowhere/repo/packages/web/package.json"),
            PathBuf::from("/nowhere/repo/crates/cli/Cargo.toml"),
            PathBuf::from("/nowhere/repo/Cargo.lock"),
            PathBuf::from("/nowhere/repo/py/pyproject.toml"),
        ];
        let index = LockfileIndex::new(files.iter().map(PathBuf::as_path));
        assert!(index.has_lockfile(&files[1], FileKind::PackageJson));
        assert!(index.has_lockfile(&files[2], FileKind::CargoToml));
        // A Cargo.lock pins no Python package.
        assert!(!index.has_lockfile(&files[4], FileKind::PyProject));
        // Lockfiles only pin manifests below them, up to 4 levels.
        let deep = PathBuf::from("/nowhere/repo/a/b/c/d/package.json");
        assert!(!index.has_lockfile(&deep, FileKind::PackageJson));
    }

    #[test]
    fn a_lockfile_outside_the_list_is_found_once_on_disk() {
        let dir = tempfile_dir("outside");
        std::fs::create_dir_all(dir.join("app")).unwrap();
        std::fs::write(dir.join("uv.lock"), "version = 1\n").unwrap();
        let manifest = dir.join("app/pyproject.toml");
        let index = LockfileIndex::new(std::iter::once(manifest.as_path()));
        assert!(index.has_lockfile(&manifest, FileKind::PyProject));
        assert!(!index.has_lockfile(
            &dir.join("other/x/y/z/w/pyproject.toml"),
            FileKind::PyProject
        ));
        let _ = std::fs::remove_dir_all(dir);
    }

    fn tempfile_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "mcplint-lockfile-index-{name}-{}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
