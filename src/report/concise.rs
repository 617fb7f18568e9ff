//! `path:line:col: CODE [level] message` — one line per finding.

use std::io::{self, Write};

use super::{Report, Reporter, slash_path, summary_line};

pub struct Concise;

impl Reporter for Concise {
    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        for f in report.findings {
            writeln!(
                out,
                "{}:{}:{}: {} [{}] {}",
                slash_path(&f.path),
                f.location.start.line,
                f.location.start.column,
                f.code,
                f.level,
                f.message
            )?;
        }
        if !report.quiet {
            writeln!(out, "{}", summary_line(report))?;
        }
        Ok(())
    }
}
