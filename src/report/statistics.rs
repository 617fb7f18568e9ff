//! `--statistics` (ruff's flag): one line per rule with the number of its
//! findings, instead of the findings. Text for `pretty` and `concise`, a JSON
//! array for `json`; the other formats are for machines that want findings,
//! so the command line refuses the combination.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{Format, Report, summary_line};
use crate::finding::{Finding, Level};

/// How many findings one rule produced at one level. A rule whose findings
/// have different levels (a weaker variant reported as a warning) gets one
/// row per level, so the counts add up to what `--fail-on` sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    pub code: &'static str,
    pub name: &'static str,
    pub level: Level,
    pub count: usize,
}

/// Whether `--statistics` can be written in this format.
pub fn supports(format: Format) -> bool {
    matches!(format, Format::Pretty | Format::Concise | Format::Json)
}

/// The rows, most frequent first, then by code and level (most severe first).
pub fn count(findings: &[Finding]) -> Vec<RuleCount> {
    let mut counts: BTreeMap<(&'static str, std::cmp::Reverse<Level>), RuleCount> = BTreeMap::new();
    for f in findings {
        counts
            .entry((f.code, std::cmp::Reverse(f.level)))
            .or_insert(RuleCount {
                code: f.code,
                name: f.name,
                level: f.level,
                count: 0,
            })
            .count += 1;
    }
    let mut rows: Vec<RuleCount> = counts.into_values().collect();
    // Stable: equal counts keep the code order of the map.
    rows.sort_by_key(|row| std::cmp::Reverse(row.count));
    rows
}

/// `  12  MCL201  error    shell-injection`, columns sized to their widest
/// entry, then the summary line (unless `--quiet`).
pub fn write_text(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let rows = count(report.findings);
    let count_width = rows
        .iter()
        .map(|r| r.count.to_string().len())
        .max()
        .unwrap_or(1);
    let code_width = rows.iter().map(|r| r.code.len()).max().unwrap_or(0);
    let level_width = rows
        .iter()
        .map(|r| r.level.as_str().len())
        .max()
        .unwrap_or(0);
    for row in &rows {
        writeln!(
            out,
            "{:>count_width$}  {:<code_width$}  {:<level_width$}  {}",
            row.count,
            row.code,
            row.level.as_str(),
            row.name
        )?;
    }
    if !report.quiet {
        writeln!(out, "{}", summary_line(report))?;
    }
    Ok(())
}

/// A JSON array of `{code, name, level, count}` (ruff writes the same array
/// with `fixable` in place of `level`); `[]` when nothing was found.
pub fn write_json(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let rows = count(report.findings);
    serde_json::to_writer_pretty(&mut *out, &rows)?;
    writeln!(out)
}

/// Writes the statistics in `format` (one `supports`).
pub fn write(format: Format, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Json => write_json(report, out),
        _ => write_text(report, out),
    }
}
