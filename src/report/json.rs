//! The JSON report. Its shape is versioned by `schema_version`; fields are
//! only added within a version. Documented in the README.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{Report, Reporter, counts, slash_path};
use crate::finding::{FlowLocation, Location, Position};

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

/// Writes `items` as the elements of a JSON array, one compact element per
/// line, without holding them all in memory.
pub fn write_array<T>(
    out: &mut dyn Write,
    items: impl Iterator<Item = T>,
    to_value: impl Fn(T) -> Value,
    indent: &str,
) -> io::Result<()> {
    let mut first = true;
    out.write_all(b"[")?;
    for item in items {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        first = false;
        out.write_all(indent.as_bytes())?;
        serde_json::to_writer(&mut *out, &to_value(item))?;
    }
    if !first {
        write!(out, "\n{}", &indent[..indent.len().saturating_sub(2)])?;
    }
    out.write_all(b"]")
}

fn steps(steps: &[FlowLocation]) -> Vec<Value> {
    steps
        .iter()
        .map(|step| {
            let mut value = located(&step.location, &step.message);
            if let Some(path) = &step.path {
                value["path"] = json!(slash_path(path));
            }
            value
        })
        .collect()
}

fn finding_value(f: &crate::finding::Finding) -> Value {
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
        // `flow` is the first of `flows` (schema 1 had one flow per finding).
        "flow": steps(f.flow()),
        "flows": f.flows.iter().map(|flow| json!({
            "message": flow.message,
            "steps": steps(&flow.steps),
        })).collect::<Vec<_>>(),
        "fingerprint": f.fingerprint,
        "doc_url": doc_url,
        "role": f.role,
    })
}

impl Reporter for Json {
    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        // Written piece by piece: a report of many findings is never built
        // as one document in memory.
        let (errors, warnings, notes) = counts(report.findings);
        writeln!(out, "{{")?;
        writeln!(out, "  \"schema_version\": {SCHEMA_VERSION},")?;
        writeln!(
            out,
            "  \"tool\": {},",
            json!({"name": "mcplint", "version": crate::VERSION})
        )?;
        write!(out, "  \"findings\": ")?;
        write_array(out, report.findings.iter(), finding_value, "    ")?;
        writeln!(out, ",")?;
        let summary = json!({
            "findings": report.findings.len(),
            "errors": errors,
            "warnings": warnings,
            "notes": notes,
            "files_scanned": report.stats.files_scanned,
        });
        write!(out, "  \"summary\": {summary}")?;
        if report.show_stats {
            let s = report.stats;
            let stats = json!({
                "files_scanned": s.files_scanned,
                "files_parsed": s.files_parsed,
                "files_skipped": s.files_skipped(),
                "bytes_scanned": s.bytes_scanned,
                "bytes_parsed": s.bytes_parsed,
                "elapsed_seconds": s.elapsed.as_secs_f64(),
                "throughput_mb_per_s": s.throughput_mb_per_s(),
                "peak_rss_bytes": s.peak_rss_bytes,
                "roles": s.by_role,
                "limits_reached": s.limits_reached,
                "files_cached": s.files_cached,
            });
            write!(out, ",\n  \"stats\": {stats}")?;
        }
        writeln!(out, "\n}}")
    }
}
