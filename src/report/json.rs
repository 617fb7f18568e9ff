//! The JSON report. Its shape is versioned by `schema_version`; fields are
//! only added within a version. Documented in the README.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{Report, Reporter, counts, slash_path};
use crate::finding::{Location, Position};

pub struct Json;

pub const SCHEMA_VERSION: u32 = 1;

fn position(p: Position) -> Value {
    json!({"line": p.line, "column": p.column})
}

fn located(location: &Location, message: &str) -> Value {
    json!({
        "message": message,
        "start": position(location.start),
        "end": position(location.end),
    })
}

impl Reporter for Json {
    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        let findings: Vec<Value> = report
            .findings
            .iter()
            .map(|f| {
                let doc_url = crate::rules::lookup(f.code).map(|m| m.doc_url());
                json!({
                    "code": f.code,
                    "name": f.name,
                    "level": f.level,
                    "message": f.message,
                    "path": slash_path(&f.path),
                    "start": position(f.location.start),
                    "end": position(f.location.end),
                    "labels": f.labels.iter().map(|(l, m)| located(l, m)).collect::<Vec<_>>(),
                    "help": f.help,
                    "flow": f.flow.iter().map(|(l, m)| located(l, m)).collect::<Vec<_>>(),
                    "fingerprint": f.fingerprint,
                    "doc_url": doc_url,
                })
            })
            .collect();
        let (errors, warnings, notes) = counts(report.findings);
        let mut document = json!({
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "mcplint", "version": crate::VERSION},
            "findings": findings,
            "summary": {
                "findings": report.findings.len(),
                "errors": errors,
                "warnings": warnings,
                "notes": notes,
                "files_scanned": report.stats.files_scanned,
            },
        });
        if report.show_stats {
            let s = report.stats;
            document["stats"] = json!({
                "files_scanned": s.files_scanned,
                "files_parsed": s.files_parsed,
                "files_skipped": s.files_skipped(),
                "bytes_scanned": s.bytes_scanned,
                "bytes_parsed": s.bytes_parsed,
                "elapsed_seconds": s.elapsed.as_secs_f64(),
                "throughput_mb_per_s": s.throughput_mb_per_s(),
                "peak_rss_bytes": s.peak_rss_bytes,
            });
        }
        serde_json::to_writer_pretty(&mut *out, &document)?;
        writeln!(out)
    }
}
