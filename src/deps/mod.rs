//! Dependency files: the lockfiles, manifests and requirement lists that say
//! which versions of which packages a project uses, read for the packages a
//! caller asks about (MCL905 asks about the ones with known advisories).
//!
//! Each reader is line-oriented: lockfiles are large and regular, and what a
//! finding needs is the line that names the version. Nothing here runs a
//! package manager or reaches the network.

use std::path::Path;

use crate::finding::Span;

mod lockfile_index;
mod lockfiles;
mod manifests;
pub mod version;

pub use lockfile_index::{LockfileIndex, lockfile_names};

/// A package ecosystem, as advisories name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ecosystem {
    Npm,
    PyPi,
    Crates,
    Go,
}

impl Ecosystem {
    pub fn parse(text: &str) -> Option<Ecosystem> {
        match text {
            "npm" => Some(Ecosystem::Npm),
            "pypi" => Some(Ecosystem::PyPi),
            "crates" => Some(Ecosystem::Crates),
            "go" => Some(Ecosystem::Go),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Ecosystem::Npm => "npm",
            Ecosystem::PyPi => "pypi",
            Ecosystem::Crates => "crates",
            Ecosystem::Go => "go",
        }
    }

    /// The name as the ecosystem compares names: PyPI folds case and treats
    /// runs of `-`, `_` and `.` as one `-` (PEP 503); the others are exact.
    pub fn normalize(self, name: &str) -> String {
        match self {
            Ecosystem::PyPi => {
                let mut out = String::with_capacity(name.len());
                let mut separator = false;
                for c in name.trim().chars() {
                    if matches!(c, '-' | '_' | '.') {
                        separator = true;
                        continue;
                    }
                    if separator && !out.is_empty() {
                        out.push('-');
                    }
                    separator = false;
                    out.push(c.to_ascii_lowercase());
                }
                out
            }
            _ => name.trim().to_string(),
        }
    }
}

/// What a dependency file says about one package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    pub ecosystem: Ecosystem,
    /// Normalised (see `Ecosystem::normalize`).
    pub name: String,
    pub spec: Spec,
    /// The text that names the version (or the whole requirement).
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Spec {
    /// The version installed: from a lockfile, an `==` pin in a
    /// requirements file, a `go.mod` requirement, `npx pkg@1.2.3`.
    Resolved(String),
    /// A range a resolver picks from (a manifest with no lockfile).
    Range(String),
}

/// The kinds of dependency file, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    NpmLock,
    PnpmLock,
    YarnLock,
    BunLock,
    PackageJson,
    Requirements,
    PyProject,
    /// `[[package]]` tables with `name` and `version`: uv.lock,
    /// poetry.lock (PyPI), Cargo.lock (crates.io).
    PackageTables(Ecosystem),
    PipfileLock,
    CargoToml,
    GoMod,
}

impl FileKind {
    /// Lockfiles and pins say what is installed; manifests give ranges.
    pub fn is_manifest(self) -> bool {
        matches!(
            self,
            FileKind::PackageJson | FileKind::PyProject | FileKind::CargoToml
        )
    }
}

pub fn kind(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    Some(match lower.as_str() {
        "package-lock.json" | "npm-shrinkwrap.json" => FileKind::NpmLock,
        "pnpm-lock.yaml" => FileKind::PnpmLock,
        "yarn.lock" => FileKind::YarnLock,
        "bun.lock" => FileKind::BunLock,
        "package.json" => FileKind::PackageJson,
        "pyproject.toml" => FileKind::PyProject,
        "uv.lock" | "poetry.lock" => FileKind::PackageTables(Ecosystem::PyPi),
        "cargo.lock" => FileKind::PackageTables(Ecosystem::Crates),
        "pipfile.lock" => FileKind::PipfileLock,
        "cargo.toml" => FileKind::CargoToml,
        "go.mod" => FileKind::GoMod,
        _ if lower.starts_with("requirements") && lower.ends_with(".txt") => FileKind::Requirements,
        _ => return None,
    })
}

/// Is this a dependency file mcplint reads?
pub fn is_dependency_file(path: &Path) -> bool {
    kind(path).is_some()
}

/// The dependencies of `text` (a file of `kind`) for which `wanted(ecosystem,
/// normalised name)` holds, in file order, each package and version once.
pub fn read(
    kind: FileKind,
    text: &str,
    wanted: &dyn Fn(Ecosystem, &str) -> bool,
) -> Vec<Dependency> {
    let mut out = match kind {
        FileKind::NpmLock => lockfiles::npm_lock(text, Ecosystem::Npm, wanted),
        FileKind::PipfileLock => lockfiles::npm_lock(text, Ecosystem::PyPi, wanted),
        FileKind::PnpmLock => lockfiles::pnpm_lock(text, wanted),
        FileKind::YarnLock => lockfiles::yarn_lock(text, wanted),
        FileKind::BunLock => lockfiles::bun_lock(text, wanted),
        FileKind::PackageTables(ecosystem) => lockfiles::package_tables(text, ecosystem, wanted),
        FileKind::GoMod => lockfiles::go_mod(text, wanted),
        FileKind::Requirements => manifests::requirements(text, wanted),
        FileKind::PackageJson => manifests::package_json(text, wanted),
        FileKind::PyProject => manifests::pyproject(text, wanted),
        FileKind::CargoToml => manifests::cargo_toml(text, wanted),
    };
    let mut seen = std::collections::HashSet::new();
    out.retain(|d| seen.insert((d.name.clone(), d.spec.clone())));
    out
}

/// Byte offset of each line's start, and the lines (without terminators).
pub(crate) fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0usize;
    text.split_inclusive('\n').map(move |line| {
        let start = offset;
        offset += line.len();
        (start, line.trim_end_matches(['\n', '\r']))
    })
}

/// The span of `needle` inside `line` (which starts at `line_start`), or the
/// whole line when it is not there.
pub(crate) fn span_in(line_start: usize, line: &str, needle: &str) -> Span {
    match line.find(needle).filter(|_| !needle.is_empty()) {
        Some(at) => Span::new(line_start + at, line_start + at + needle.len()),
        None => Span::new(line_start, line_start + line.len()),
    }
}

/// `@scope/name@1.2.3` → (`@scope/name`, `1.2.3`): the `@` that separates
/// a version is never the first character.
pub(crate) fn split_at_version(spec: &str) -> Option<(&str, &str)> {
    let at = spec.get(1..)?.find('@')? + 1;
    Some((&spec[..at], &spec[at + 1..]))
}

#[cfg(test)]
mod tests;
