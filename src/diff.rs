//! `--diff-base REV`: the lines changed since a git revision, so that a pull
//! request is checked only where it changed things.
//!
//! The scanned repository is untrusted: its `.git/config`, hooks and
//! attributes can name commands (`core.fsmonitor`, clean/smudge filters,
//! external diff and textconv drivers, a pager, an ssh command, a lazy
//! fetch from a promisor remote). So mcplint never asks git to look at the
//! working tree or the index, which is where those commands run: it reads
//! only the base revision's tree and blobs with plumbing commands (`ls-tree`,
//! `cat-file --batch`, neither of which runs a filter, hook, driver or
//! fsmonitor), with every command-running setting overridden on the command
//! line and lazy fetching off, and computes the diff itself against the files
//! on disk.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Changed line ranges (1-based, inclusive) per file, by absolute path.
#[derive(Debug, Default)]
pub struct ChangedLines {
    files: HashMap<PathBuf, Vec<(usize, usize)>>,
    cwd: PathBuf,
}

impl ChangedLines {
    /// Does a finding spanning `start..=end` touch a changed line of `path`?
    pub fn contains(&self, path: &Path, start: usize, end: usize) -> bool {
        self.files.get(&self.absolute(path)).is_some_and(|ranges| {
            ranges
                .iter()
                .any(|&(first, last)| first <= end.max(start) && start <= last)
        })
    }

    fn absolute(&self, path: &Path) -> PathBuf {
        let absolute = if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.cwd.join(path)
        };
        absolute.canonicalize().unwrap_or(absolute)
    }
}

/// Settings that would make git run a command, each set to do nothing.
/// Command-line `-c` settings win over every configuration file.
const NEUTRAL_CONFIG: &[&str] = &[
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "core.sshCommand=false",
    "core.askPass=false",
    "core.alternateRefsCommand=false",
    "diff.external=",
    "credential.helper=",
    "protocol.allow=never",
    "uploadpack.packObjectsHook=",
];

/// Runs a git plumbing command in `top` with the neutral configuration,
/// feeding `input` to its standard input.
fn git(args: &[&str], top: &Path, input: Option<&[u8]>) -> Result<Vec<u8>, String> {
    let mut command = Command::new("git");
    command
        .arg("--no-pager")
        .arg("--no-replace-objects")
        .arg("--literal-pathspecs");
    for setting in NEUTRAL_CONFIG {
        command.arg("-c").arg(setting);
    }
    command
        .args(args)
        .current_dir(top)
        // No lazy fetch from a promisor remote, no prompt, no system or
        // global configuration that could name a command either.
        .env("GIT_NO_LAZY_FETCH", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env_remove("GIT_EXTERNAL_DIFF")
        .env_remove("GIT_PAGER")
        .env_remove("GIT_SSH")
        .env_remove("GIT_SSH_COMMAND")
        .env_remove("GIT_ASKPASS")
        .env_remove("GIT_CONFIG_PARAMETERS")
        .env_remove("GIT_CONFIG_COUNT")
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .map_err(|e| format!("--diff-base needs git, which could not be run: {e}"))?;
    if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
        // Written from a thread so that a large output cannot block the write.
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
    }
    let output = child
        .wait_with_output()
        .map_err(|e| format!("--diff-base: git failed: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "--diff-base: `git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(output.stdout)
}

/// The top of the work tree holding `cwd`: the nearest directory with a
/// `.git` (a directory, or a file for worktrees and submodules). Found by
/// looking, not by asking git.
fn work_tree_top(cwd: &Path) -> Option<PathBuf> {
    let start = cwd.canonicalize().ok()?;
    start
        .ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// The lines added or changed since `rev` in `files` (absolute or relative
/// to `cwd`): every line of a file the revision does not hold, and the new
/// side of each changed hunk of one it does.
pub fn changed_lines<'a>(
    rev: &str,
    cwd: &Path,
    files: impl IntoIterator<Item = &'a Path>,
) -> Result<ChangedLines, String> {
    let top = work_tree_top(cwd).ok_or_else(|| {
        format!(
            "--diff-base needs a git repository, and {} is not in one",
            cwd.display()
        )
    })?;
    if rev.starts_with('-') {
        return Err(format!("--diff-base: `{rev}` is not a revision"));
    }
    let mut changed = ChangedLines {
        files: HashMap::new(),
        cwd: cwd.canonicalize().unwrap_or_else(|_| cwd.to_path_buf()),
    };
    // The base tree: path → blob, for regular files.
    let tree_ish = format!("{rev}^{{tree}}");
    let listing = git(
        &["ls-tree", "-r", "-z", "--full-tree", &tree_ish],
        &top,
        None,
    )?;
    let mut blobs: HashMap<PathBuf, String> = HashMap::new();
    for record in listing.split(|b| *b == 0).filter(|r| !r.is_empty()) {
        let record = String::from_utf8_lossy(record);
        let Some((meta, path)) = record.split_once('\t') else {
            continue;
        };
        let mut meta = meta.split_whitespace();
        let (Some(_mode), Some("blob"), Some(id)) = (meta.next(), meta.next(), meta.next()) else {
            continue;
        };
        blobs.insert(top.join(path), id.to_string());
    }
    let mut wanted: Vec<(PathBuf, String)> = Vec::new();
    for file in files {
        let path = changed.absolute(file);
        if changed.files.contains_key(&path) || wanted.iter().any(|(p, _)| *p == path) {
            continue;
        }
        match blobs.get(&path) {
            Some(id) => wanted.push((path, id.clone())),
            // New since the base: every line is new.
            None => {
                changed.files.insert(path, vec![(1, usize::MAX)]);
            }
        }
    }
    if wanted.is_empty() {
        return Ok(changed);
    }
    let request: String = wanted.iter().map(|(_, id)| format!("{id}\n")).collect();
    let output = git(&["cat-file", "--batch"], &top, Some(request.as_bytes()))?;
    let mut reader = BufReader::new(output.as_slice());
    for (path, _) in wanted {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 {
            break;
        }
        // `<id> blob <size>`, or `<id> missing`.
        let size: Option<usize> = header
            .split_whitespace()
            .nth(2)
            .and_then(|s| s.parse().ok());
        let Some(size) = size else {
            changed.files.insert(path, vec![(1, usize::MAX)]);
            continue;
        };
        let mut old = vec![0; size];
        if reader.read_exact(&mut old).is_err() {
            break;
        }
        let mut newline = [0u8; 1];
        let _ = reader.read_exact(&mut newline);
        let new = std::fs::read(&path).unwrap_or_default();
        let ranges = new_side_ranges(&old, &new);
        if !ranges.is_empty() {
            changed.files.insert(path, ranges);
        }
    }
    Ok(changed)
}

/// The line ranges (1-based, inclusive) of `new` that are not in `old`.
fn new_side_ranges(old: &[u8], new: &[u8]) -> Vec<(usize, usize)> {
    if old == new {
        return Vec::new();
    }
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    let old_lines: Vec<&str> = old.lines().collect();
    let new_lines: Vec<&str> = new.lines().collect();
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &old_lines, &new_lines);
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for op in ops {
        if matches!(op.tag(), similar::DiffTag::Equal | similar::DiffTag::Delete) {
            continue;
        }
        let range = op.new_range();
        if !range.is_empty() {
            ranges.push((range.start + 1, range.end));
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_lines_are_the_new_side_of_each_hunk() {
        let old = b"a\nb\nc\nd\ne\n";
        let new = b"a\nB\nc\nd\nx\ny\ne\n";
        assert_eq!(new_side_ranges(old, new), vec![(2, 2), (5, 6)]);
        assert!(new_side_ranges(old, old).is_empty());
        // A pure deletion changes no line of the new side.
        assert!(new_side_ranges(b"a\nb\n", b"a\n").is_empty());
    }
}
