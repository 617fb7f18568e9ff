//! Lockfiles: what a resolver installed, one line per version.

use super::{Dependency, Ecosystem, Spec, lines, span_in, split_at_version};

type Wanted<'a> = &'a dyn Fn(Ecosystem, &str) -> bool;

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The text between the first pair of double quotes after `from`.
fn quoted(text: &str) -> Option<&str> {
    let start = text.find('"')? + 1;
    let end = text[start..].find('"')? + start;
    Some(&text[start..end])
}

/// `package-lock.json` / `npm-shrinkwrap.json` (lockfile v1, v2 and v3) and
/// `Pipfile.lock`: an object per package, keyed by its name
/// (`"node_modules/@scope/pkg": {` in v2+, `"pkg": {` in v1 and Pipfile),
/// whose `"version"` member is the installed version (`"==1.2.3"` in Pipfile).
pub fn npm_lock(text: &str, ecosystem: Ecosystem, wanted: Wanted<'_>) -> Vec<Dependency> {
    let mut out = Vec::new();
    // The package whose object is open: its name and the key's indentation.
    let mut open: Option<(String, usize)> = None;
    for (start, line) in lines(text) {
        let trimmed = line.trim_start();
        if let Some((_, depth)) = &open {
            if indent(line) <= *depth && !trimmed.is_empty() {
                open = None;
            } else if let Some(rest) = trimmed.strip_prefix("\"version\":")
                && let Some(version) = quoted(rest)
                && let Some((name, _)) = open.take()
            {
                let shown = version.trim_start_matches("==");
                out.push(Dependency {
                    ecosystem,
                    name,
                    spec: Spec::Resolved(shown.to_string()),
                    span: span_in(start, line, version),
                });
                continue;
            }
        }
        if !trimmed.ends_with('{') || !trimmed.starts_with('"') {
            continue;
        }
        let Some(key) = quoted(trimmed) else {
            continue;
        };
        let name = key.rsplit("node_modules/").next().unwrap_or(key);
        let name = ecosystem.normalize(name);
        if !name.is_empty() && wanted(ecosystem, &name) {
            open = Some((name, indent(line)));
        }
    }
    out
}

/// `pnpm-lock.yaml`: package keys `/@scope/pkg@1.2.3:` (v6),
/// `'@scope/pkg@1.2.3':` and `pkg@1.2.3(peer@1.0.0):` (v9),
/// `/pkg/1.2.3:` (v5).
pub fn pnpm_lock(text: &str, wanted: Wanted<'_>) -> Vec<Dependency> {
    let mut out = Vec::new();
    let mut in_packages = false;
    for (start, line) in lines(text) {
        if line.trim_start().starts_with('#') {
            continue;
        }
        if indent(line) == 0 && !line.is_empty() {
            in_packages = matches!(line.trim_end(), "packages:" | "snapshots:");
            continue;
        }
        if !in_packages || indent(line) != 2 {
            continue;
        }
        let Some(key) = line.trim().strip_suffix(':') else {
            continue;
        };
        let key = key.trim_matches(['\'', '"']).trim_start_matches('/');
        // Peer-dependency suffixes: `(zod@3.22.4)` (v6+) or `_zod@3.22.4` (v5).
        let key = key.split('(').next().unwrap_or(key);
        let (name, version) = match split_at_version(key) {
            Some(pair) => pair,
            None => match key.rsplit_once('/') {
                Some(pair) => pair,
                None => continue,
            },
        };
        let version = version.split('_').next().unwrap_or(version);
        if wanted(Ecosystem::Npm, name) {
            out.push(Dependency {
                ecosystem: Ecosystem::Npm,
                name: name.to_string(),
                spec: Spec::Resolved(version.to_string()),
                span: span_in(start, line, version),
            });
        }
    }
    out
}

/// `yarn.lock`, classic and Berry: a header naming the package with the
/// ranges it satisfies (`"@scope/pkg@^1.0.0", "@scope/pkg@^1.2.0":`,
/// `"pkg@npm:^1.0.0":`), then an indented `version "1.2.3"` (classic) or
/// `version: 1.2.3` (Berry).
pub fn yarn_lock(text: &str, wanted: Wanted<'_>) -> Vec<Dependency> {
    let mut out = Vec::new();
    let mut open: Option<String> = None;
    for (start, line) in lines(text) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if indent(line) == 0 {
            open = None;
            let header = line.trim_end_matches(':');
            let first = header.split(", ").next().unwrap_or(header);
            let first = first.trim_matches('"');
            if let Some((name, _)) = split_at_version(first)
                && wanted(Ecosystem::Npm, name)
            {
                open = Some(name.to_string());
            }
            continue;
        }
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("version")
            && rest.starts_with([' ', ':'])
            && let Some(name) = open.take()
        {
            let version = rest.trim_start_matches([':', ' ']).trim_matches('"');
            out.push(Dependency {
                ecosystem: Ecosystem::Npm,
                name,
                spec: Spec::Resolved(version.to_string()),
                span: span_in(start, line, version),
            });
        }
    }
    out
}

/// `bun.lock` (text, JSONC): `"pkg": ["pkg@1.2.3", …]` in `packages`.
pub fn bun_lock(text: &str, wanted: Wanted<'_>) -> Vec<Dependency> {
    let mut out = Vec::new();
    for (start, line) in lines(text) {
        let trimmed = line.trim_start();
        let Some(key) = quoted(trimmed) else {
            continue;
        };
        let after = &trimmed[key.len() + 2..];
        let Some(rest) = after.trim_start().strip_prefix(':') else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix('[') else {
            continue;
        };
        let Some(spec) = quoted(rest) else {
            continue;
        };
        let Some((name, version)) = split_at_version(spec) else {
            continue;
        };
        if wanted(Ecosystem::Npm, name) {
            out.push(Dependency {
                ecosystem: Ecosystem::Npm,
                name: name.to_string(),
                spec: Spec::Resolved(version.to_string()),
                span: span_in(start, line, spec),
            });
        }
    }
    out
}

/// `[[package]]` tables with `name = "…"` and `version = "…"`: uv.lock,
/// poetry.lock, Cargo.lock. The project's own packages are not
/// dependencies: a Cargo.lock entry with no `source` is a workspace or path
/// crate, and a uv/Poetry entry whose source is `editable`, `virtual`, a
/// `directory` or a `path` is local code, which mcplint scans as code.
pub fn package_tables(text: &str, ecosystem: Ecosystem, wanted: Wanted<'_>) -> Vec<Dependency> {
    struct Entry {
        name: Option<String>,
        version: Option<(String, crate::finding::Span)>,
        registry: bool,
        local: bool,
    }
    let fresh = || Entry {
        name: None,
        version: None,
        registry: false,
        local: false,
    };
    let mut out = Vec::new();
    let finish = |entry: &mut Entry, out: &mut Vec<Dependency>| {
        let from_registry = match ecosystem {
            Ecosystem::Crates => entry.registry,
            _ => !entry.local,
        };
        if let (Some(name), Some((version, span)), true) =
            (entry.name.take(), entry.version.take(), from_registry)
        {
            out.push(Dependency {
                ecosystem,
                name,
                spec: Spec::Resolved(version),
                span,
            });
        }
    };
    let mut entry = fresh();
    for (start, line) in lines(text) {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            // `[package.source]` (Poetry) and `[package.dependencies]` still
            // describe the package above; `[[package]]` starts the next one.
            if trimmed == "[[package]]" || !trimmed.starts_with("[package.") {
                finish(&mut entry, &mut out);
                entry = fresh();
            }
            continue;
        }
        let Some((key, value)) = trimmed.split_once('=') else {
            continue;
        };
        // A trailing comment (`version = "1.2.3" # note`) is not the value.
        let raw = value.split(" #").next().unwrap_or(value).trim();
        let value = raw.trim_matches('"');
        match key.trim() {
            "name" if entry.name.is_none() && entry.version.is_none() => {
                let normalized = ecosystem.normalize(value);
                entry.name = wanted(ecosystem, &normalized).then_some(normalized);
            }
            "version" if entry.version.is_none() => {
                entry.version = Some((value.to_string(), span_in(start, line, value)));
            }
            "source" => {
                entry.registry = raw.contains("registry");
                entry.local = ["editable", "virtual", "directory", "path"]
                    .iter()
                    .any(|kind| raw.contains(kind));
            }
            // Poetry's `[package.source]` table: `type = "directory"`.
            "type" => {
                entry.local |= matches!(value, "directory" | "file" | "path");
            }
            _ => {}
        }
    }
    finish(&mut entry, &mut out);
    out
}

/// `go.mod`: `require path v1.2.3` and the lines of a `require ( … )` block.
/// Go's minimal version selection builds with exactly the required version.
/// A module `replace`d by a local directory (`=> ../..`) is the project's
/// own code, not the required release; a replacement by another version is
/// not followed.
pub fn go_mod(text: &str, wanted: Wanted<'_>) -> Vec<Dependency> {
    let local: Vec<&str> = lines(text)
        .filter_map(|(_, line)| {
            let code = line.split("//").next().unwrap_or(line).trim();
            let code = code.strip_prefix("replace").unwrap_or(code).trim();
            let (module, target) = code.split_once("=>")?;
            let target = target.trim();
            target
                .starts_with(['.', '/'])
                .then(|| module.split_whitespace().next())
                .flatten()
        })
        .collect();
    let mut out = Vec::new();
    let mut in_block = false;
    for (start, line) in lines(text) {
        let code = line.split("//").next().unwrap_or(line).trim();
        let entry = if in_block {
            if code == ")" {
                in_block = false;
                continue;
            }
            code
        } else if let Some(rest) = code.strip_prefix("require") {
            let rest = rest.trim();
            if rest == "(" {
                in_block = true;
                continue;
            }
            rest
        } else {
            continue;
        };
        let mut fields = entry.split_whitespace();
        let (Some(module), Some(version)) = (fields.next(), fields.next()) else {
            continue;
        };
        if wanted(Ecosystem::Go, module) && !local.contains(&module) {
            out.push(Dependency {
                ecosystem: Ecosystem::Go,
                name: module.to_string(),
                spec: Spec::Resolved(version.to_string()),
                span: span_in(start, line, version),
            });
        }
    }
    out
}
