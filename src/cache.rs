//! The result cache of `mcplint check`: a second run on an unchanged tree
//! reads its findings back instead of parsing and analysing every file again.
//!
//! The unit of reuse is the scanned project, not the single file: the project
//! layer and the taint engine follow tools, handlers and flows across modules,
//! so one file's findings depend on the files it imports and on those that
//! import it. A per-file entry would be wrong whenever a neighbour changed; an
//! entry keyed by every file's content is right by construction (a changed file
//! re-checks everything that could depend on it) and still makes the common
//! case — re-running on an unchanged tree, in CI or before a commit — instant.
//!
//! One entry per scan *identity* (mcplint version, effective settings, the set
//! of files and their languages and roles), holding the digest of every file's
//! content. A run whose identity matches and whose digest matches reads the
//! findings back; otherwise it scans and replaces the entry.
//!
//! Files the scan consults without scanning them — `mcplint.lock`, go.mod,
//! lockfiles above the scanned directory or left out by an ignore file —
//! are part of the digest too (`context_digest`).
//!
//! A committed or planted entry must not be able to hide findings: each entry
//! carries an HMAC under a secret kept outside the scanned tree (the user's
//! cache directory, or `MCPLINT_CACHE_SECRET`). An entry whose MAC does not
//! verify is ignored and rewritten.
//!
//! Writes go to a temporary file renamed into place, so concurrent runs never
//! read a half-written entry (the last writer wins; both wrote the same data).

mod entry;
mod secret;

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::discover::SourcePath;
use crate::scan::{self, ScanOutput, ScanSettings};

/// The default cache directory, at the project root.
pub const DEFAULT_DIR: &str = ".mcplint_cache";

/// Where the cache lives and the key that signs its entries.
pub struct Cache {
    dir: PathBuf,
    secret: [u8; 32],
}

impl Cache {
    /// The cache in `dir`; `None` when no secret can be had (no user cache
    /// directory and no `MCPLINT_CACHE_SECRET`): then every run scans.
    pub fn open(dir: PathBuf) -> Option<Cache> {
        let secret = secret::load()?;
        Some(Cache { dir, secret })
    }

    #[cfg(test)]
    pub fn with_secret(dir: PathBuf, secret: [u8; 32]) -> Cache {
        Cache { dir, secret }
    }

    fn entry_path(&self, identity: &str) -> PathBuf {
        self.dir.join(format!("{identity}.json"))
    }
}

/// Scans `files`, or reads the findings of an identical earlier scan back.
/// `fingerprint` describes the effective settings (see `settings_fingerprint`).
pub fn scan(
    files: &[SourcePath],
    settings: &ScanSettings,
    cache: Option<&Cache>,
    fingerprint: &str,
) -> ScanOutput {
    let Some(cache) = cache else {
        return scan::scan(files, settings);
    };
    let identity = identity(files, fingerprint);
    let digest = content_digest(files, settings.max_file_size);
    let path = cache.entry_path(&identity);
    if let Some(mut output) = fs::read(&path)
        .ok()
        .and_then(|bytes| entry::decode(&bytes, &digest, &cache.secret))
    {
        output.stats.files_cached = output.stats.files_scanned;
        if settings.keep_sources {
            entry::restore_sources(&mut output.findings);
        }
        return output;
    }
    let output = scan::scan(files, settings);
    // A cache that cannot be written (read-only checkout, full disk) costs
    // the next run its speed, never this run its result.
    if write_entry(
        &cache.dir,
        &path,
        &entry::encode(&output, &digest, &cache.secret),
    )
    .is_ok()
    {
        prune(&cache.dir);
    }
    output
}

/// How many entries the cache keeps: one per scan identity, so a project
/// scanned in a few ways (the whole tree, a subfolder, a pre-commit file
/// list) keeps each; the oldest go first.
const MAX_ENTRIES: usize = 32;

/// Removes the least recently written entries beyond `MAX_ENTRIES`, and
/// temporary files a killed run left behind.
fn prune(dir: &Path) {
    let Ok(listing) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<(std::time::SystemTime, PathBuf)> = Vec::new();
    for item in listing.flatten() {
        let path = item.path();
        let name = item.file_name();
        let name = name.to_string_lossy();
        let modified = item
            .metadata()
            .and_then(|m| m.modified())
            .unwrap_or(std::time::UNIX_EPOCH);
        if name.starts_with(".tmp-") {
            // Older than a minute: no running scan is still writing it.
            if modified.elapsed().is_ok_and(|age| age.as_secs() > 60) {
                let _ = fs::remove_file(&path);
            }
        } else if name.ends_with(".json") {
            entries.push((modified, path));
        }
    }
    if entries.len() > MAX_ENTRIES {
        entries.sort();
        for (_, path) in &entries[..entries.len() - MAX_ENTRIES] {
            let _ = fs::remove_file(path);
        }
    }
}

/// Files a scan consults besides those it scans: the pins of `mcplint.lock`
/// (MCL405), the Go module files that resolve imports, and the lockfiles
/// whose presence decides whether a manifest's range is reported (MCL905).
/// They may sit above the scanned directory or be left out by an ignore
/// file, so they are looked for beside every scanned file and above it.
fn context_names() -> Vec<&'static str> {
    let mut names = vec![crate::lock::LOCK_FILE, "go.mod", "go.work"];
    names.extend(crate::deps::lockfile_names());
    names
}

/// The digest of the context files (see `context_names`) that exist in the
/// directories of the scanned files or above them and are not scanned
/// themselves: which exist, and their contents.
fn context_digest(files: &[SourcePath]) -> [u8; 32] {
    let scanned: std::collections::HashSet<PathBuf> = files
        .iter()
        .filter_map(|f| std::path::absolute(&f.path).ok())
        .collect();
    let mut dirs: std::collections::BTreeSet<PathBuf> = std::collections::BTreeSet::new();
    for file in &scanned {
        for dir in file.ancestors().skip(1) {
            // An ancestor already seen has had its own ancestors added.
            if !dirs.insert(dir.to_path_buf()) {
                break;
            }
        }
    }
    let names = context_names();
    let mut hash = Sha256::new();
    for dir in &dirs {
        for name in &names {
            let path = dir.join(name);
            if scanned.contains(&path) {
                continue;
            }
            if let Ok(bytes) = fs::read(&path) {
                hash.update(path.as_os_str().as_encoded_bytes());
                hash.update([0]);
                hash.update(Sha256::digest(&bytes));
            }
        }
    }
    hash.finalize().into()
}

/// What identifies a scan apart from the files' contents.
fn identity(files: &[SourcePath], fingerprint: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(env!("CARGO_PKG_VERSION").as_bytes());
    hash.update([0]);
    hash.update(fingerprint.as_bytes());
    for file in files {
        hash.update([0]);
        hash.update(file.path.as_os_str().as_encoded_bytes());
        hash.update([0]);
        hash.update(file.language.as_str().as_bytes());
        hash.update(file.role_base.to_le_bytes());
    }
    hex(&hash.finalize()[..16])
}

/// The digest of every file's content, in order. A file over the size cap
/// counts by its length (the scan skips it unread); an unreadable one by
/// its error, so that it is re-tried when it becomes readable.
fn content_digest(files: &[SourcePath], max_file_size: u64) -> String {
    let per_file: Vec<[u8; 32]> = files
        .par_iter()
        .map(|file| {
            let mut hash = Sha256::new();
            match fs::metadata(&file.path) {
                Ok(meta) if meta.len() > max_file_size => {
                    hash.update(b"large");
                    hash.update(meta.len().to_le_bytes());
                }
                _ => match fs::read(&file.path) {
                    Ok(bytes) => {
                        hash.update(b"text");
                        hash.update(&bytes);
                    }
                    Err(e) => {
                        hash.update(b"error");
                        hash.update(e.kind().to_string().as_bytes());
                    }
                },
            }
            hash.finalize().into()
        })
        .collect();
    let mut hash = Sha256::new();
    for file in &per_file {
        hash.update(file);
    }
    hash.update(context_digest(files));
    hex(&hash.finalize())
}

/// Writes `bytes` to `path` through a temporary file in the same directory,
/// and gives the directory a `.gitignore` so the cache is never committed.
fn write_entry(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        fs::write(
            &ignore,
            "# Created by mcplint: its cache is never committed.\n*\n",
        )?;
    }
    let tmp = dir.join(format!(".tmp-{}-{}", std::process::id(), secret::nonce()));
    let mut file = fs::File::create(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    fs::rename(&tmp, path).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

/// The part of the settings that changes what a scan reports, as text.
pub fn settings_fingerprint(settings: &ScanSettings, extra: &str) -> String {
    let codes: Vec<&str> = settings.rules.enabled().iter().map(|m| m.code).collect();
    format!(
        "rules={codes:?}\nignores={:?}\nroot={}\ncwd={}\nmax-file-size={}\ndepth={}\noptions={:?}\nroles={:?}\n{extra}",
        settings
            .per_file_ignores
            .iter()
            .map(|p| p.describe())
            .collect::<Vec<_>>(),
        settings.root.display(),
        settings.cwd.display(),
        settings.max_file_size,
        settings.max_taint_depth,
        settings.rule_options,
        settings.roles,
    )
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests;
