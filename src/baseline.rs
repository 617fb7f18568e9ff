//! Baselines: accept today's findings so CI fails only on new ones.
//!
//! A baseline is a sorted, reviewable JSON file of (rule, path, fingerprint)
//! with the message for the reader. Fingerprints are computed from the
//! finding's own source text and enclosing function, not its line, so
//! matching survives code moving up and down.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::finding::Finding;

pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub code: String,
    pub fingerprint: String,
    /// For the reader of the file; not used for matching.
    pub message: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    mcplint_baseline: u32,
    findings: Vec<Entry>,
}

fn key(entry: &Entry) -> (String, String, String) {
    (
        entry.path.clone(),
        entry.code.clone(),
        entry.fingerprint.clone(),
    )
}

/// The baseline entry of a finding; paths are relative to the project `root`
/// (findings' paths are relative to `cwd`), so a baseline works from any directory.
pub fn entry_of(finding: &Finding, cwd: &Path, root: &Path) -> Entry {
    Entry {
        path: crate::scan::project_path(&cwd.join(&finding.path), root),
        code: finding.code.to_string(),
        fingerprint: finding.fingerprint.clone(),
        message: finding.message.clone(),
    }
}

/// The baseline text for `entries`, sorted.
pub fn render(mut entries: Vec<Entry>) -> String {
    entries.sort();
    let file = File {
        mcplint_baseline: FORMAT_VERSION,
        findings: entries,
    };
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    text
}

pub fn load(path: &Path) -> Result<Vec<Entry>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read baseline {}: {e}", path.display()))?;
    let file: File = serde_json::from_str(&text)
        .map_err(|e| format!("{} is not an mcplint baseline: {e}", path.display()))?;
    if file.mcplint_baseline != FORMAT_VERSION {
        return Err(format!(
            "{}: baseline format {} is not supported (expected {FORMAT_VERSION})",
            path.display(),
            file.mcplint_baseline
        ));
    }
    Ok(file.findings)
}

/// What applying a baseline did.
pub struct Applied {
    /// Findings that are not in the baseline.
    pub new: Vec<Finding>,
    /// How many findings the baseline accepted.
    pub accepted: usize,
    /// Baseline entries that matched nothing: fixed or gone.
    pub stale: Vec<Entry>,
}

/// Splits findings into new ones and accepted ones. Each baseline entry
/// accepts one finding (so a second copy of an accepted problem is new).
pub fn apply(findings: Vec<Finding>, baseline: Vec<Entry>, cwd: &Path, root: &Path) -> Applied {
    let mut remaining: BTreeMap<(String, String, String), Vec<Entry>> = BTreeMap::new();
    for entry in baseline {
        remaining.entry(key(&entry)).or_default().push(entry);
    }
    let mut new = Vec::new();
    let mut accepted = 0;
    for finding in findings {
        let k = key(&entry_of(&finding, cwd, root));
        match remaining.get_mut(&k).and_then(|v| v.pop()) {
            Some(_) => accepted += 1,
            None => new.push(finding),
        }
    }
    let stale = remaining.into_values().flatten().collect();
    Applied {
        new,
        accepted,
        stale,
    }
}
