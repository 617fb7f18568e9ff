//! `--diff-base REV`: the lines changed since a git revision, so that a pull
//! request is checked only where it changed things.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Changed line ranges (1-based, inclusive) per file, by absolute path.
#[derive(Debug, Default)]
pub struct ChangedLines {
    files: HashMap<PathBuf, Vec<(usize, usize)>>,
    cwd: PathBuf,
}

impl ChangedLines {
    /// Does a finding spanning `start..=end` touch a changed line of `path`?
    pub fn contains(&self, path: &Path, start: usize, end: usize) -> bool {
        let absolute = if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.cwd.join(path)
        };
        let absolute = absolute.canonicalize().unwrap_or(absolute);
        self.files.get(&absolute).is_some_and(|ranges| {
            ranges
                .iter()
                .any(|&(first, last)| first <= end.max(start) && start <= last)
        })
    }
}

fn git(args: &[&str], cwd: &Path) -> Result<String, String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(cwd)
        .output()
        .map_err(|e| format!("--diff-base needs git, which could not be run: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "--diff-base: `git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The lines added or changed since `rev` (committed, staged or not), plus
/// every line of untracked files.
pub fn changed_lines(rev: &str, cwd: &Path) -> Result<ChangedLines, String> {
    let top = git(&["rev-parse", "--show-toplevel"], cwd).map_err(|_| {
        format!(
            "--diff-base needs a git repository, and {} is not in one",
            cwd.display()
        )
    })?;
    let top = PathBuf::from(top.trim());
    let top = top.canonicalize().unwrap_or(top);
    let diff = git(
        &[
            "-c",
            "core.quotePath=false",
            "diff",
            "--unified=0",
            "--no-color",
            "--no-ext-diff",
            "--no-renames",
            "--src-prefix=a/",
            "--dst-prefix=b/",
            rev,
            "--",
        ],
        cwd,
    )?;
    let mut changed = ChangedLines {
        files: parse_diff(&diff, &top),
        cwd: cwd.canonicalize().unwrap_or_else(|_| cwd.to_path_buf()),
    };
    let untracked = git(
        &["ls-files", "--others", "--exclude-standard", "--full-name"],
        &top,
    )?;
    for file in untracked.lines().filter(|l| !l.is_empty()) {
        changed.files.insert(top.join(file), vec![(1, usize::MAX)]);
    }
    Ok(changed)
}

/// Reads the new-side line ranges of each file in a `--unified=0` diff.
fn parse_diff(diff: &str, top: &Path) -> HashMap<PathBuf, Vec<(usize, usize)>> {
    let mut files: HashMap<PathBuf, Vec<(usize, usize)>> = HashMap::new();
    let mut current: Option<PathBuf> = None;
    for line in diff.lines() {
        if let Some(path) = line.strip_prefix("+++ ") {
            // Git ends the name with a tab when it contains a space.
            let path = path.strip_suffix('\t').unwrap_or(path);
            current = path.strip_prefix("b/").map(|p| top.join(p));
        } else if let Some(hunk) = line.strip_prefix("@@ ")
            && let Some(file) = &current
        {
            // `@@ -a,b +c,d @@`: d lines starting at c on the new side.
            let Some(new_side) = hunk.split_whitespace().find(|p| p.starts_with('+')) else {
                continue;
            };
            let mut numbers = new_side[1..].split(',');
            let start: usize = numbers.next().and_then(|n| n.parse().ok()).unwrap_or(0);
            let count: usize = numbers.next().and_then(|n| n.parse().ok()).unwrap_or(1);
            if count > 0 {
                files
                    .entry(file.clone())
                    .or_default()
                    .push((start, start + count - 1));
            }
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks_become_new_side_ranges() {
        let diff = "diff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -3,0 +4,2 @@\n+a\n+b\n@@ -10 +12 @@\n-c\n+d\n@@ -20,3 +21,0 @@\n-e\n+++ /dev/null\n+++ b/my file.py\t\n@@ -1 +1 @@\n";
        let files = parse_diff(diff, Path::new("/repo"));
        assert_eq!(files[&PathBuf::from("/repo/x.py")], vec![(4, 5), (12, 12)]);
        assert_eq!(files[&PathBuf::from("/repo/my file.py")], vec![(1, 1)]);
    }
}
