//! One cache entry on disk: a MAC line, then the JSON payload (the content
//! digest it was made from, the scan's counts and its findings).

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::hex;
use super::secret::hmac;
use crate::discover::SkipReason;
use crate::facts::Language;
use crate::finding::{Finding, FlowLocation, FlowPath, Level, Location, Position, Span};
use crate::roles::Role;
use crate::scan::{ScanOutput, Stats};

#[derive(Serialize, Deserialize)]
struct Payload {
    digest: String,
    stats: CachedStats,
    findings: Vec<CachedFinding>,
}

#[derive(Serialize, Deserialize)]
struct CachedStats {
    files_scanned: u64,
    files_parsed: u64,
    bytes_scanned: u64,
    bytes_parsed: u64,
    by_language: BTreeMap<Language, u64>,
    skipped: BTreeMap<SkipReason, u64>,
    by_role: BTreeMap<Role, u64>,
    limits_reached: u64,
}

#[derive(Serialize, Deserialize)]
struct CachedLocation {
    start: usize,
    end: usize,
    from: (usize, usize),
    to: (usize, usize),
}

#[derive(Serialize, Deserialize)]
struct CachedStep {
    path: Option<PathBuf>,
    location: CachedLocation,
    message: String,
}

#[derive(Serialize, Deserialize)]
struct CachedFlow {
    message: String,
    steps: Vec<CachedStep>,
}

#[derive(Serialize, Deserialize)]
struct CachedFinding {
    code: String,
    level: Level,
    message: String,
    path: PathBuf,
    location: CachedLocation,
    labels: Vec<(CachedLocation, String)>,
    help: Option<String>,
    flows: Vec<CachedFlow>,
    fingerprint: String,
    role: Role,
}

pub fn encode(output: &ScanOutput, digest: &str, secret: &[u8; 32]) -> Vec<u8> {
    let stats = &output.stats;
    let payload = Payload {
        digest: digest.to_string(),
        stats: CachedStats {
            files_scanned: stats.files_scanned,
            files_parsed: stats.files_parsed,
            bytes_scanned: stats.bytes_scanned,
            bytes_parsed: stats.bytes_parsed,
            by_language: stats.by_language.clone(),
            skipped: stats.skipped.clone(),
            by_role: stats.by_role.clone(),
            limits_reached: stats.limits_reached,
        },
        findings: output.findings.iter().map(cached_finding).collect(),
    };
    let Ok(body) = serde_json::to_vec(&payload) else {
        return Vec::new();
    };
    let mut bytes = hex(&hmac(secret, &body)).into_bytes();
    bytes.push(b'\n');
    bytes.extend_from_slice(&body);
    bytes
}

/// The scan output of an entry, when its MAC verifies, it was made from
/// `digest`, and every rule it names still exists.
pub fn decode(bytes: &[u8], digest: &str, secret: &[u8; 32]) -> Option<ScanOutput> {
    let newline = bytes.iter().position(|&b| b == b'\n')?;
    let (mac, body) = (&bytes[..newline], &bytes[newline + 1..]);
    // Compared in constant time: the MAC guards against forged entries.
    let expected = hex(&hmac(secret, body)).into_bytes();
    if mac.len() != expected.len()
        || mac
            .iter()
            .zip(&expected)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            != 0
    {
        return None;
    }
    let payload: Payload = serde_json::from_slice(body).ok()?;
    if payload.digest != digest {
        return None;
    }
    let findings = payload
        .findings
        .into_iter()
        .map(restore_finding)
        .collect::<Option<Vec<_>>>()?;
    let s = payload.stats;
    Some(ScanOutput {
        findings,
        stats: Stats {
            files_scanned: s.files_scanned,
            files_parsed: s.files_parsed,
            bytes_scanned: s.bytes_scanned,
            bytes_parsed: s.bytes_parsed,
            by_language: s.by_language,
            skipped: s.skipped,
            by_role: s.by_role,
            limits_reached: s.limits_reached,
            ..Stats::default()
        },
    })
}

/// Reads back the text of the files with findings, for reports that show
/// snippets. The entry's digest proved the files unchanged.
pub fn restore_sources(findings: &mut [Finding]) {
    let mut texts: HashMap<PathBuf, Option<Arc<str>>> = HashMap::new();
    for finding in findings {
        let text = texts.entry(finding.path.clone()).or_insert_with(|| {
            std::fs::read(&finding.path)
                .ok()
                .map(|bytes| Arc::from(String::from_utf8_lossy(&bytes).as_ref()))
        });
        finding.source = text.clone();
    }
}

fn cached_location(location: &Location) -> CachedLocation {
    CachedLocation {
        start: location.span.start,
        end: location.span.end,
        from: (location.start.line, location.start.column),
        to: (location.end.line, location.end.column),
    }
}

fn location(cached: CachedLocation) -> Location {
    Location {
        span: Span::new(cached.start, cached.end),
        start: Position {
            line: cached.from.0,
            column: cached.from.1,
        },
        end: Position {
            line: cached.to.0,
            column: cached.to.1,
        },
    }
}

fn cached_finding(finding: &Finding) -> CachedFinding {
    CachedFinding {
        code: finding.code.to_string(),
        level: finding.level,
        message: finding.message.clone(),
        path: finding.path.clone(),
        location: cached_location(&finding.location),
        labels: finding
            .labels
            .iter()
            .map(|(l, m)| (cached_location(l), m.clone()))
            .collect(),
        help: finding.help.clone(),
        flows: finding
            .flows
            .iter()
            .map(|flow| CachedFlow {
                message: flow.message.clone(),
                steps: flow
                    .steps
                    .iter()
                    .map(|step| CachedStep {
                        path: step.path.clone(),
                        location: cached_location(&step.location),
                        message: step.message.clone(),
                    })
                    .collect(),
            })
            .collect(),
        fingerprint: finding.fingerprint.clone(),
        role: finding.role,
    }
}

fn restore_finding(cached: CachedFinding) -> Option<Finding> {
    let meta = crate::rules::lookup(&cached.code)?;
    Some(Finding {
        code: meta.code,
        name: meta.name,
        level: cached.level,
        message: cached.message,
        path: cached.path,
        location: location(cached.location),
        labels: cached
            .labels
            .into_iter()
            .map(|(l, m)| (location(l), m))
            .collect(),
        help: cached.help,
        flows: cached
            .flows
            .into_iter()
            .map(|flow| FlowPath {
                message: flow.message,
                steps: flow
                    .steps
                    .into_iter()
                    .map(|step| FlowLocation {
                        path: step.path,
                        location: location(step.location),
                        message: step.message,
                    })
                    .collect(),
            })
            .collect(),
        fingerprint: cached.fingerprint,
        source: None,
        role: cached.role,
    })
}
