//! Manifests and requirement lists: the ranges a project asks for (and the
//! `==` pins of a requirements file, which say what is installed).

use super::{Dependency, Ecosystem, Spec, lines, span_in};
use crate::finding::Span;

type Wanted<'a> = &'a dyn Fn(Ecosystem, &str) -> bool;

/// A PEP 508 requirement: `name[extras] specifiers ; markers`. Returns the
/// name and the specifiers (possibly empty).
fn pep508(requirement: &str) -> Option<(&str, &str)> {
    let requirement = requirement.split(';').next()?.trim();
    let end = requirement
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(requirement.len());
    let name = &requirement[..end];
    if name.is_empty() {
        return None;
    }
    let mut rest = requirement[end..].trim_start();
    if let Some(after) = rest.strip_prefix('[') {
        rest = after.split_once(']').map_or("", |(_, r)| r).trim_start();
    }
    // `name @ https://…` is a direct reference, not a version.
    if rest.starts_with('@') {
        return None;
    }
    let rest = rest.trim_start_matches('(').trim_end_matches(')').trim();
    Some((name, rest))
}

/// A requirement's spec: an exact `==` pin is what gets installed.
fn pep508_spec(specifiers: &str, pins_resolve: bool) -> Option<Spec> {
    if specifiers.is_empty() {
        return None;
    }
    let exact = specifiers
        .strip_prefix("==")
        .filter(|v| !v.contains([',', '*']))
        .map(str::trim);
    Some(match exact {
        Some(version) if pins_resolve => Spec::Resolved(version.to_string()),
        _ => Spec::Range(specifiers.to_string()),
    })
}

/// `requirements*.txt`: one requirement per line; options (`-r`, `-e`,
/// `--hash`) and URLs are skipped.
pub fn requirements(text: &str, wanted: Wanted<'_>) -> Vec<Dependency> {
    let mut out = Vec::new();
    for (start, line) in lines(text) {
        let code = line.split(" #").next().unwrap_or(line).trim();
        if code.is_empty() || code.starts_with(['#', '-']) || code.contains("://") {
            continue;
        }
        let code = code
            .split(" --")
            .next()
            .unwrap_or(code)
            .trim_end_matches('\\')
            .trim();
        let Some((name, specifiers)) = pep508(code) else {
            continue;
        };
        let name = Ecosystem::PyPi.normalize(name);
        if !wanted(Ecosystem::PyPi, &name) {
            continue;
        }
        if let Some(spec) = pep508_spec(specifiers, true) {
            out.push(Dependency {
                ecosystem: Ecosystem::PyPi,
                name,
                spec,
                span: span_in(start, line, code),
            });
        }
    }
    out
}

/// Where the string `value` (quoted) first appears at or after `from`.
fn quoted_span(text: &str, value: &str, from: usize) -> Span {
    for quote in ['"', '\''] {
        let needle = format!("{quote}{value}{quote}");
        if let Some(at) = text.get(from..).and_then(|t| t.find(&needle)) {
            let start = from + at + 1;
            return Span::new(start, start + value.len());
        }
    }
    Span::default()
}

/// `package.json`: the ranges of `dependencies`, `devDependencies`,
/// `optionalDependencies` and `peerDependencies`.
pub fn package_json(text: &str, wanted: Wanted<'_>) -> Vec<Dependency> {
    let Ok(serde_json::Value::Object(root)) = serde_json::from_str::<serde_json::Value>(text)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for section in [
        "dependencies",
        "devDependencies",
        "optionalDependencies",
        "peerDependencies",
    ] {
        let Some(serde_json::Value::Object(deps)) = root.get(section) else {
            continue;
        };
        let section_at = text.find(&format!("\"{section}\"")).unwrap_or(0);
        for (name, range) in deps {
            let Some(range) = range.as_str() else {
                continue;
            };
            if !wanted(Ecosystem::Npm, name) {
                continue;
            }
            // `npm:other@1.0.0` aliases, `file:`, `git+…`, `workspace:`: not a registry range.
            if range.contains(':') {
                continue;
            }
            let key = quoted_span(text, name, section_at);
            let span = quoted_span(text, range, key.end);
            out.push(Dependency {
                ecosystem: Ecosystem::Npm,
                name: name.clone(),
                spec: Spec::Range(range.to_string()),
                span: if span == Span::default() { key } else { span },
            });
        }
    }
    out
}

/// `pyproject.toml`: PEP 621 `dependencies` and `optional-dependencies`,
/// PEP 735 `dependency-groups`, Poetry's `[tool.poetry.*dependencies]`.
pub fn pyproject(text: &str, wanted: Wanted<'_>) -> Vec<Dependency> {
    let Ok(root) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let mut requirements: Vec<String> = Vec::new();
    let strings = |value: Option<&toml::Value>| -> Vec<String> {
        value
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|r| r.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let project = root.get("project");
    requirements.extend(strings(project.and_then(|p| p.get("dependencies"))));
    for table in [
        project.and_then(|p| p.get("optional-dependencies")),
        root.get("dependency-groups"),
    ] {
        if let Some(groups) = table.and_then(|t| t.as_table()) {
            for group in groups.values() {
                requirements.extend(strings(Some(group)));
            }
        }
    }
    let mut out = Vec::new();
    for requirement in &requirements {
        let Some((name, specifiers)) = pep508(requirement) else {
            continue;
        };
        let name = Ecosystem::PyPi.normalize(name);
        if !wanted(Ecosystem::PyPi, &name) {
            continue;
        }
        if let Some(spec) = pep508_spec(specifiers, false) {
            out.push(Dependency {
                ecosystem: Ecosystem::PyPi,
                name,
                spec,
                span: quoted_span(text, requirement, 0),
            });
        }
    }
    // Poetry: `mcp = "^1.2"` or `mcp = { version = "^1.2", extras = […] }`.
    let poetry = root.get("tool").and_then(|t| t.get("poetry"));
    let mut tables: Vec<&toml::Value> = Vec::new();
    tables.extend(poetry.and_then(|p| p.get("dependencies")));
    tables.extend(poetry.and_then(|p| p.get("dev-dependencies")));
    if let Some(groups) = poetry
        .and_then(|p| p.get("group"))
        .and_then(|g| g.as_table())
    {
        tables.extend(groups.values().filter_map(|g| g.get("dependencies")));
    }
    for table in tables.iter().filter_map(|t| t.as_table()) {
        for (name, value) in table {
            let range = match value {
                toml::Value::String(s) => s.as_str(),
                toml::Value::Table(t) => match t.get("version").and_then(|v| v.as_str()) {
                    Some(v) => v,
                    None => continue,
                },
                _ => continue,
            };
            let normalized = Ecosystem::PyPi.normalize(name);
            if !wanted(Ecosystem::PyPi, &normalized) || range == "*" {
                continue;
            }
            let at = text.find(&format!("{name} =")).unwrap_or(0);
            out.push(Dependency {
                ecosystem: Ecosystem::PyPi,
                name: normalized,
                spec: Spec::Range(range.to_string()),
                span: quoted_span(text, range, at),
            });
        }
    }
    out
}

/// `Cargo.toml`: `[dependencies]` (and dev/build, and target-specific)
/// `rmcp = "0.8"` or `rmcp = { version = "0.8", … }`; a bare version is a
/// caret range in Cargo.
pub fn cargo_toml(text: &str, wanted: Wanted<'_>) -> Vec<Dependency> {
    let mut out = Vec::new();
    let mut section = String::new();
    for (start, line) in lines(text) {
        let trimmed = line.trim();
        if let Some(header) = trimmed.strip_prefix('[') {
            section = header.trim_end_matches(']').to_string();
            continue;
        }
        if !section.ends_with("dependencies") {
            continue;
        }
        let Some((name, value)) = trimmed.split_once('=') else {
            continue;
        };
        let name = name.trim();
        if !wanted(Ecosystem::Crates, name) {
            continue;
        }
        let value = value.trim();
        let version = if value.starts_with('"') {
            value.trim_matches('"')
        } else {
            match value.find("version") {
                Some(at) => match value[at..].split('"').nth(1) {
                    Some(v) => v,
                    None => continue,
                },
                None => continue,
            }
        };
        // Cargo reads `0.8` as `^0.8`.
        let range = if version.starts_with(|c: char| c.is_ascii_digit()) {
            format!("^{version}")
        } else {
            version.to_string()
        };
        out.push(Dependency {
            ecosystem: Ecosystem::Crates,
            name: name.to_string(),
            spec: Spec::Range(range),
            span: span_in(start, line, version),
        });
    }
    out
}
