//! GitLab Code Quality report: a JSON array of issues with fingerprints,
//! shown in merge requests (`artifacts: reports: codequality`).

use std::io::{self, Write};

use serde_json::json;

use super::json::write_array;
use super::{Report, Reporter, slash_path};
use crate::finding::Level;

pub struct Gitlab;

impl Reporter for Gitlab {
    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        write_array(
            out,
            report.findings.iter(),
            |f| {
                let severity = match f.level {
                    Level::Error => "critical",
                    Level::Warning => "major",
                    Level::Note => "info",
                };
                json!({
                    "type": "issue",
                    "check_name": f.code,
                    "description": format!("{} {}: {}", f.code, f.name, f.message),
                    "categories": ["Security"],
                    "severity": severity,
                    "fingerprint": f.fingerprint,
                    "location": {
                        "path": slash_path(&f.path),
                        "lines": {"begin": f.location.start.line, "end": f.location.end.line},
                    },
                })
            },
            "  ",
        )?;
        writeln!(out)
    }
}
