//! SARIF 2.1.0 for GitHub code scanning and other dashboards: rule metadata
//! from the registry, `%SRCROOT%`-relative locations, fingerprints that
//! survive line moves, and code flows for taint paths.

use std::io::{self, Write};
use std::path::Path;

use serde_json::{Value, json};

use super::{Report, Reporter, slash_path};
use crate::finding::{Finding, Location};
use crate::rules::{RuleMeta, owasp};

pub struct Sarif;

const SRCROOT: &str = "%SRCROOT%";

/// Percent-encodes a path for a URI, keeping `/`.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `file:///abs/dir/` for a directory.
fn directory_uri(dir: &Path) -> String {
    let mut path = slash_path(dir);
    if !path.ends_with('/') {
        path.push('/');
    }
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    format!("file://{}", encode_path(&path))
}

fn artifact_location(path: &Path) -> Value {
    if path.is_absolute() {
        json!({"uri": format!("file://{}", encode_path(&slash_path(path)))})
    } else {
        json!({"uri": encode_path(&slash_path(path)), "uriBaseId": SRCROOT})
    }
}

fn region(location: &Location) -> Value {
    json!({
        "startLine": location.start.line,
        "startColumn": location.start.column,
        "endLine": location.end.line,
        "endColumn": location.end.column,
    })
}

fn physical_location(finding: &Finding, location: &Location) -> Value {
    json!({
        "artifactLocation": artifact_location(&finding.path),
        "region": region(location),
    })
}

/// The first paragraph of the doc page's "What it does" section.
pub fn full_description(meta: &RuleMeta) -> String {
    let section = meta
        .doc
        .split("## What it does")
        .nth(1)
        .unwrap_or(meta.summary);
    let paragraph: Vec<&str> = section
        .trim_start()
        .lines()
        .take_while(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .collect();
    let text = paragraph.join(" ");
    if text.is_empty() {
        meta.summary.to_string()
    } else {
        text
    }
}

fn rule_descriptor(meta: &RuleMeta) -> Value {
    let mut tags = vec!["security".to_string()];
    if let Some(cwe) = meta.cwe {
        tags.push(format!("external/cwe/cwe-{cwe}"));
        tags.push(format!("CWE-{cwe}"));
    }
    if let Some(id) = meta.owasp {
        tags.push(format!("OWASP-{id}"));
        tags.push(owasp::title(id).to_string());
    }
    json!({
        "id": meta.code,
        "name": meta.name,
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": full_description(meta)},
        "help": {"text": meta.doc, "markdown": meta.doc},
        "helpUri": meta.doc_url(),
        "defaultConfiguration": {"level": meta.level.as_str()},
        "properties": {
            "tags": tags,
            "security-severity": meta.security_severity(),
            "precision": "high",
        },
    })
}

fn result(finding: &Finding, rule_index: Option<usize>) -> Value {
    let mut text = finding.message.clone();
    if let Some(help) = &finding.help {
        text.push_str(&format!("\nhelp: {help}"));
    }
    let mut result = json!({
        "ruleId": finding.code,
        "level": finding.level.as_str(),
        "message": {"text": text},
        "locations": [{"physicalLocation": physical_location(finding, &finding.location)}],
        "partialFingerprints": {"mcplint/v1": finding.fingerprint},
        // The role of the code it is in, for dashboards to filter on.
        "properties": {"role": finding.role},
    });
    if let Some(index) = rule_index {
        result["ruleIndex"] = json!(index);
    }
    if !finding.labels.is_empty() {
        result["relatedLocations"] = finding
            .labels
            .iter()
            .enumerate()
            .map(|(i, (location, message))| {
                json!({
                    "id": i + 1,
                    "physicalLocation": physical_location(finding, location),
                    "message": {"text": message},
                })
            })
            .collect();
    }
    // One code flow per path to the finding (per tool reaching a sink), as
    // CodeQL reports several paths of one alert.
    if !finding.flows.is_empty() {
        let flows: Vec<Value> = finding
            .flows
            .iter()
            .filter(|flow| !flow.steps.is_empty())
            .map(|flow| {
                let locations: Vec<Value> = flow
                    .steps
                    .iter()
                    .map(|step| {
                        let physical = match &step.path {
                            Some(path) => json!({
                                "artifactLocation": artifact_location(path),
                                "region": region(&step.location),
                            }),
                            None => physical_location(finding, &step.location),
                        };
                        json!({"location": {
                            "physicalLocation": physical,
                            "message": {"text": step.message},
                        }})
                    })
                    .collect();
                let mut code_flow = json!({"threadFlows": [{"locations": locations}]});
                if !flow.message.is_empty() {
                    code_flow["message"] = json!({"text": flow.message});
                }
                code_flow
            })
            .collect();
        if !flows.is_empty() {
            result["codeFlows"] = json!(flows);
        }
    }
    result
}

impl Reporter for Sarif {
    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        let rules: Vec<Value> = report.rules.iter().map(|m| rule_descriptor(m)).collect();
        let tool = json!({"driver": {
            "name": "mcplint",
            "version": crate::VERSION,
            "semanticVersion": crate::VERSION,
            "informationUri": crate::REPOSITORY_URL,
            "rules": rules,
        }});
        // The head is small; results are streamed one per line.
        writeln!(out, "{{")?;
        writeln!(
            out,
            "  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\","
        )?;
        writeln!(out, "  \"version\": \"2.1.0\",")?;
        writeln!(out, "  \"runs\": [")?;
        writeln!(out, "    {{")?;
        writeln!(out, "      \"tool\": {tool},")?;
        writeln!(
            out,
            "      \"invocations\": [{}],",
            json!({"executionSuccessful": true})
        )?;
        writeln!(
            out,
            "      \"originalUriBaseIds\": {},",
            json!({SRCROOT: {"uri": directory_uri(report.root)}})
        )?;
        writeln!(out, "      \"columnKind\": \"unicodeCodePoints\",")?;
        // A stable category for GitHub code scanning, so that a later upload
        // replaces this one's alerts instead of adding to them.
        writeln!(
            out,
            "      \"automationDetails\": {{\"id\": \"mcplint/\"}},"
        )?;
        write!(out, "      \"results\": ")?;
        super::json::write_array(
            out,
            report.findings.iter(),
            |f| result(f, report.rules.iter().position(|m| m.code == f.code)),
            "        ",
        )?;
        writeln!(out, "\n    }}\n  ]\n}}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_encoded() {
        assert_eq!(encode_path("src/my server.py"), "src/my%20server.py");
        assert_eq!(directory_uri(Path::new("/work/p")), "file:///work/p/");
    }
}
