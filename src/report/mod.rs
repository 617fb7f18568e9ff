//! Output formats. Each is one module behind the `Reporter` trait; all take
//! the same sorted findings.

use std::io::{self, Write};
use std::path::Path;

use crate::finding::{Finding, Level};
use crate::rules::RuleMeta;
use crate::scan::Stats;

mod concise;
mod flow;
mod github;
mod gitlab;
pub(crate) mod json;
mod junit;
mod pretty;
mod sarif;
pub mod statistics;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Graphical diagnostics with source snippets (the default on a terminal).
    Pretty,
    /// One line per finding: `path:line:col: CODE [level] message`.
    Concise,
    /// The JSON report (schema version 1, see README).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other dashboards.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the PR diff).
    Github,
    /// GitLab Code Quality report (merge request widget).
    Gitlab,
    /// JUnit XML, one failing test case per finding.
    Junit,
}

/// Everything a reporter may show.
pub struct Report<'a> {
    pub findings: &'a [Finding],
    pub stats: &'a Stats,
    /// Every rule mcplint knows, for SARIF's rule table.
    pub rules: &'a [&'static RuleMeta],
    /// Include timing and throughput (`--stats`).
    pub show_stats: bool,
    /// The directory relative paths are relative to (SARIF `%SRCROOT%`).
    pub root: &'a Path,
    pub color: bool,
    /// Omit the closing summary (`--quiet`).
    pub quiet: bool,
    /// What filtering left out (baseline, diff), for the summary.
    pub notes: &'a [String],
}

pub trait Reporter {
    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()>;
}

pub fn reporter(format: Format) -> Box<dyn Reporter> {
    match format {
        Format::Pretty => Box::new(pretty::Pretty),
        Format::Concise => Box::new(concise::Concise),
        Format::Json => Box::new(json::Json),
        Format::Sarif => Box::new(sarif::Sarif),
        Format::Github => Box::new(github::Github),
        Format::Gitlab => Box::new(gitlab::Gitlab),
        Format::Junit => Box::new(junit::Junit),
    }
}

/// Counts of findings by level: (errors, warnings, notes).
pub fn counts(findings: &[Finding]) -> (usize, usize, usize) {
    let count = |level| findings.iter().filter(|f| f.level == level).count();
    (
        count(Level::Error),
        count(Level::Warning),
        count(Level::Note),
    )
}

/// Path with forward slashes, as every format shows it.
pub fn slash_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `Found 3 findings (1 error, 2 warnings, 0 notes) in 12 files.`
pub fn summary_line(report: &Report<'_>) -> String {
    let (errors, warnings, notes) = counts(report.findings);
    let files = report.stats.files_scanned as usize;
    let mut line = if report.findings.is_empty() {
        format!("No findings in {}.", plural(files, "file"))
    } else {
        format!(
            "Found {} ({}, {}, {}) in {}.",
            plural(report.findings.len(), "finding"),
            plural(errors, "error"),
            plural(warnings, "warning"),
            plural(notes, "note"),
            plural(files, "file"),
        )
    };
    if !report.notes.is_empty() {
        line.push_str(&format!(" Not shown: {}.", report.notes.join("; ")));
    }
    line
}

/// The human-readable `--stats` block.
pub fn stats_block(stats: &Stats) -> String {
    let mut out = String::from("mcplint stats\n");
    let languages: Vec<String> = stats
        .by_language
        .iter()
        .map(|(l, n)| format!("{} {n}", l.as_str()))
        .collect();
    out.push_str(&format!(
        "  files scanned   {} ({})\n",
        stats.files_scanned,
        languages.join(", ")
    ));
    let roles: Vec<String> = stats
        .by_role
        .iter()
        .map(|(r, n)| format!("{} {n}", r.as_str()))
        .collect();
    out.push_str(&format!("  file roles      {}\n", roles.join(", ")));
    out.push_str(&format!(
        "  files parsed    {} ({:.1} MB)\n",
        stats.files_parsed,
        stats.bytes_parsed as f64 / 1e6
    ));
    let skipped: Vec<String> = stats
        .skipped
        .iter()
        .map(|(r, n)| format!("{} {n}", r.as_str()))
        .collect();
    out.push_str(&format!(
        "  skipped         {}{}\n",
        stats.files_skipped(),
        if skipped.is_empty() {
            String::new()
        } else {
            format!(" ({})", skipped.join(", "))
        }
    ));
    out.push_str(&format!(
        "  from the cache  {} files{}\n",
        stats.files_cached,
        if stats.files_cached > 0 {
            " (nothing changed since the last run)"
        } else {
            ""
        }
    ));
    out.push_str(&format!(
        "  limits reached  {}{}\n",
        stats.limits_reached,
        if stats.limits_reached > 0 {
            " (see the MCL000 notes)"
        } else {
            ""
        }
    ));
    out.push_str(&format!(
        "  bytes scanned   {} ({:.1} MB)\n",
        stats.bytes_scanned,
        stats.bytes_scanned as f64 / 1e6
    ));
    out.push_str(&format!(
        "  wall time       {:.3} s\n",
        stats.elapsed.as_secs_f64()
    ));
    out.push_str(&format!(
        "  throughput      {:.1} MB/s\n",
        stats.throughput_mb_per_s()
    ));
    out.push_str(&format!(
        "  peak memory     {:.1} MB\n",
        stats.peak_rss_bytes as f64 / 1e6
    ));
    out
}
