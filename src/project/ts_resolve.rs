//! Where a TypeScript/JavaScript import that is not relative leads inside
//! the project: tsconfig `paths` / `baseUrl` aliases (`@/tools`, `~/lib`)
//! and the packages of an npm/pnpm/yarn workspace (`@acme/core`,
//! `@acme/core/tools`), as Node and TypeScript resolve them when the
//! workspace is installed. Files are read, never run; what is read is
//! cached per directory for the process.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// A tsconfig's module aliases.
#[derive(Debug, Default)]
struct TsConfig {
    /// The directory `paths` targets are relative to.
    base: PathBuf,
    /// `"@/*": ["./src/*"]` → ("@/", "", ["./src/"], "").
    paths: Vec<(String, String, Vec<String>)>,
    /// `baseUrl` set: bare imports may name a file under `base`.
    has_base_url: bool,
}

/// A workspace: its packages by name, with their directories and entries.
#[derive(Debug, Default)]
struct Workspace {
    packages: HashMap<String, Package>,
}

#[derive(Debug, Default, Clone)]
struct Package {
    dir: PathBuf,
    /// Module paths (no extension) of the package's entry, source first.
    entries: Vec<String>,
}

type Cache<T> = Mutex<HashMap<PathBuf, Option<Arc<T>>>>;

fn tsconfigs() -> &'static Cache<TsConfig> {
    static CACHE: OnceLock<Cache<TsConfig>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

fn workspaces() -> &'static Cache<Workspace> {
    static CACHE: OnceLock<Cache<Workspace>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// The module paths (absolute, slash-separated, no extension) a bare
/// import of `importer` may name in the project.
pub fn targets(importer: &Path, module: &str) -> Vec<String> {
    let Some(dir) = importer.parent() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(config) = nearest(dir, "tsconfig.json", tsconfigs(), read_tsconfig) {
        for (prefix, suffix, replacements) in &config.paths {
            let Some(middle) = module
                .strip_prefix(prefix.as_str())
                .and_then(|m| m.strip_suffix(suffix.as_str()))
            else {
                continue;
            };
            for replacement in replacements {
                out.push(join(&config.base, &replacement.replacen('*', middle, 1)));
            }
        }
    }
    if let Some(workspace) = nearest_workspace(dir) {
        // `@scope/name/sub/path` or `name/sub/path`.
        let segments: Vec<&str> = module.split('/').collect();
        let take = if module.starts_with('@') { 2 } else { 1 };
        if segments.len() >= take {
            let name = segments[..take].join("/");
            let rest = segments[take..].join("/");
            if let Some(package) = workspace.packages.get(&name) {
                if rest.is_empty() {
                    out.extend(package.entries.iter().cloned());
                } else {
                    for root in ["src", "lib", ""] {
                        out.push(join(&package.dir.join(root), &rest));
                    }
                }
            }
        }
    }
    // `baseUrl` alone: a bare import may name a file under it.
    if out.is_empty()
        && let Some(config) = nearest(dir, "tsconfig.json", tsconfigs(), read_tsconfig)
        && config.has_base_url
    {
        out.push(join(&config.base, module));
    }
    // `@/tools`, `~/lib` with no tsconfig alias in the scan (the snapshot
    // left tsconfig out, or it extends a package's): no npm package can be
    // named so, and by the bundlers' convention they name the package's
    // `src/` (else its root).
    if out.is_empty()
        && let Some(rest) = module
            .strip_prefix("@/")
            .or_else(|| module.strip_prefix("~/"))
        && let Some(root) = nearest(dir, "package.json", package_dirs(), package_dir)
    {
        out.push(join(&root.join("src"), rest));
        out.push(join(&root, rest));
    }
    for target in &mut out {
        for ext in [".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx"] {
            if let Some(stripped) = target.strip_suffix(ext) {
                *target = stripped.to_string();
                break;
            }
        }
    }
    out.dedup();
    out
}

fn package_dirs() -> &'static Cache<PathBuf> {
    static CACHE: OnceLock<Cache<PathBuf>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

fn package_dir(manifest: &Path) -> Option<PathBuf> {
    manifest.parent().map(Path::to_path_buf)
}

fn join(base: &Path, relative: &str) -> String {
    let mut parts: Vec<String> = base
        .to_str()
        .unwrap_or("")
        .replace('\\', "/")
        .split('/')
        .map(str::to_string)
        .collect();
    for segment in relative.split('/') {
        match segment {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other.to_string()),
        }
    }
    parts.join("/")
}

/// The nearest `name` file at or above `dir`, read once per directory.
fn nearest<T>(
    dir: &Path,
    name: &str,
    cache: &'static Cache<T>,
    read: fn(&Path) -> Option<T>,
) -> Option<Arc<T>> {
    let dir = std::path::absolute(dir).ok()?;
    let mut walked = Vec::new();
    let mut current = Some(dir.as_path());
    let mut found = None;
    while let Some(d) = current {
        if let Some(hit) = cache.lock().ok()?.get(d) {
            found = hit.clone();
            break;
        }
        walked.push(d.to_path_buf());
        let file = d.join(name);
        if file.is_file() {
            found = read(&file).map(Arc::new);
            break;
        }
        current = d.parent();
    }
    if let Ok(mut cache) = cache.lock() {
        for d in walked {
            cache.insert(d, found.clone());
        }
    }
    found
}

/// tsconfig.json is JSON with comments and trailing commas.
fn read_jsonc(path: &Path) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(path).ok()?;
    if text.len() > 1 << 20 {
        return None;
    }
    serde_json::from_str(&strip_jsonc(&text)).ok()
}

/// Removes `//` and `/* */` comments outside strings, and trailing commas.
fn strip_jsonc(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        let c = bytes[i];
        if in_string {
            if c == b'\\' && i + 1 < bytes.len() {
                out.push_str(&text[i..i + 2]);
                i += 2;
                continue;
            }
            if c == b'"' {
                in_string = false;
            }
        } else if c == b'"' {
            in_string = true;
        } else if c == b'/' && bytes.get(i + 1) == Some(&b'/') {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        } else if c == b'/' && bytes.get(i + 1) == Some(&b'*') {
            i += 2;
            while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
            continue;
        } else if c == b',' {
            let next = text[i + 1..].trim_start().chars().next();
            if matches!(next, Some('}') | Some(']')) {
                i += 1;
                continue;
            }
        }
        // Copy the whole UTF-8 character.
        let len = text[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&text[i..i + len]);
        i += len;
    }
    out
}

fn read_tsconfig(path: &Path) -> Option<TsConfig> {
    let dir = path.parent()?;
    let mut value = read_jsonc(path)?;
    // One level of `extends` to a relative file (a shared base config).
    let options = |v: &serde_json::Value| v.get("compilerOptions").cloned();
    let mut compiler = options(&value);
    let mut base_dir = dir.to_path_buf();
    if compiler
        .as_ref()
        .is_none_or(|c| c.get("paths").is_none() && c.get("baseUrl").is_none())
        && let Some(parent) = value.get("extends").and_then(|e| e.as_str())
        && parent.starts_with('.')
    {
        let parent_path = dir.join(parent);
        let parent_path = if parent_path.extension().is_none() {
            parent_path.with_extension("json")
        } else {
            parent_path
        };
        if let Some(parent_value) = read_jsonc(&parent_path) {
            value = parent_value;
            compiler = options(&value);
            base_dir = parent_path.parent()?.to_path_buf();
        }
    }
    let compiler = compiler?;
    let base_url = compiler.get("baseUrl").and_then(|b| b.as_str());
    let base = match base_url {
        Some(b) => PathBuf::from(join(&base_dir, b)),
        None => base_dir,
    };
    let mut paths = Vec::new();
    if let Some(map) = compiler.get("paths").and_then(|p| p.as_object()) {
        for (pattern, targets) in map {
            let (prefix, suffix) = pattern.split_once('*').unwrap_or((pattern, ""));
            let targets: Vec<String> = targets
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|t| t.as_str())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            paths.push((prefix.to_string(), suffix.to_string(), targets));
        }
    }
    Some(TsConfig {
        base,
        paths,
        has_base_url: base_url.is_some(),
    })
}

/// The workspace the directory belongs to: the nearest `package.json` with
/// `workspaces`, or a `pnpm-workspace.yaml`, at or above it.
fn nearest_workspace(dir: &Path) -> Option<Arc<Workspace>> {
    let dir = std::path::absolute(dir).ok()?;
    let mut walked = Vec::new();
    let mut current = Some(dir.as_path());
    let mut found = None;
    while let Some(d) = current {
        if let Some(hit) = workspaces().lock().ok()?.get(d) {
            found = hit.clone();
            break;
        }
        walked.push(d.to_path_buf());
        if let Some(patterns) = workspace_patterns(d) {
            found = Some(Arc::new(read_workspace(d, &patterns)));
            break;
        }
        current = d.parent();
    }
    // Every directory walked answers the same, found or not: the next
    // import from any of them costs one lookup.
    if let Ok(mut cache) = workspaces().lock() {
        for d in walked {
            cache.insert(d, found.clone());
        }
    }
    found
}

/// The package globs of a workspace root, if `dir` is one.
fn workspace_patterns(dir: &Path) -> Option<Vec<String>> {
    let pnpm = dir.join("pnpm-workspace.yaml");
    if let Ok(text) = std::fs::read_to_string(&pnpm) {
        // `packages:` then `- "glob"` lines.
        let patterns: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter_map(|l| l.strip_prefix("- "))
            .map(|l| l.trim().trim_matches(['"', '\'']).to_string())
            .filter(|l| !l.starts_with('!'))
            .collect();
        return Some(patterns);
    }
    let manifest = read_jsonc(&dir.join("package.json"))?;
    let workspaces = manifest.get("workspaces")?;
    let list = workspaces
        .as_array()
        .or_else(|| workspaces.get("packages").and_then(|p| p.as_array()))?;
    Some(
        list.iter()
            .filter_map(|p| p.as_str())
            .map(str::to_string)
            .collect(),
    )
}

/// Reads the packages a workspace's globs name (`packages/*`, `apps/web`,
/// `packages/**`: one or two levels).
fn read_workspace(root: &Path, patterns: &[String]) -> Workspace {
    let mut dirs: Vec<PathBuf> = Vec::new();
    for pattern in patterns {
        let pattern = pattern.trim_end_matches('/');
        match pattern.split_once('*') {
            None => dirs.push(root.join(pattern)),
            Some((head, _)) => {
                let base = root.join(head.trim_end_matches('/'));
                let deep = pattern.contains("**");
                let Ok(entries) = std::fs::read_dir(&base) else {
                    continue;
                };
                for entry in entries.flatten() {
                    let path = entry.path();
                    if !path.is_dir() {
                        continue;
                    }
                    if deep && let Ok(inner) = std::fs::read_dir(&path) {
                        dirs.extend(inner.flatten().map(|e| e.path()).filter(|p| p.is_dir()));
                    }
                    dirs.push(path);
                }
            }
        }
    }
    let mut packages = HashMap::new();
    for dir in dirs {
        let Some(manifest) = read_jsonc(&dir.join("package.json")) else {
            continue;
        };
        let Some(name) = manifest.get("name").and_then(|n| n.as_str()) else {
            continue;
        };
        let entries = package_entries(&dir, &manifest);
        packages.insert(name.to_string(), Package { dir, entries });
    }
    Workspace { packages }
}

/// A package's entry modules: its source index first (what the build
/// compiles from), then `main` / `module` / `types` / `exports["."]` with a
/// build directory mapped back to `src`.
fn package_entries(dir: &Path, manifest: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |relative: &str| {
        let target = join(dir, relative);
        let target = ["js", "mjs", "cjs", "ts", "mts", "cts", "d.ts"]
            .iter()
            .rev()
            .find_map(|ext| target.strip_suffix(&format!(".{ext}")))
            .unwrap_or(&target)
            .to_string();
        if !out.contains(&target) {
            out.push(target);
        }
    };
    let mut declared: Vec<String> = Vec::new();
    for key in ["source", "main", "module", "types", "typings"] {
        if let Some(v) = manifest.get(key).and_then(|v| v.as_str()) {
            declared.push(v.to_string());
        }
    }
    if let Some(exports) = manifest.get("exports") {
        let dot = exports.get(".").unwrap_or(exports);
        let mut stack = vec![dot];
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::String(s) => declared.push(s.clone()),
                serde_json::Value::Object(map) => stack.extend(map.values()),
                _ => {}
            }
        }
    }
    for d in &declared {
        for build in ["dist/", "build/", "lib/", "out/"] {
            if let Some(rest) = d.trim_start_matches("./").strip_prefix(build) {
                // dist/esm/index.js → src/index
                let rest = rest
                    .split_once('/')
                    .filter(|(first, _)| matches!(*first, "esm" | "cjs" | "types" | "src"))
                    .map_or(rest, |(_, r)| r);
                push(&format!("src/{rest}"));
            }
        }
    }
    push("src/index");
    push("index");
    for d in &declared {
        push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonc_comments_and_trailing_commas() {
        let text = "{\n // c\n \"a\": \"x//y\", /* b */ \"b\": [1, 2,],\n}";
        let value: serde_json::Value = serde_json::from_str(&strip_jsonc(text)).unwrap();
        assert_eq!(value["a"], "x//y");
        assert_eq!(value["b"][1], 2);
    }

    #[test]
    fn tsconfig_paths_and_workspace_packages() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |p: &str, t: &str| {
            let path = root.join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, t).unwrap();
        };
        write(
            "package.json",
            r#"{"name": "root", "workspaces": ["packages/*"]}"#,
        );
        write(
            "packages/core/package.json",
            r#"{"name": "@acme/core", "main": "dist/index.js"}"#,
        );
        write("packages/core/src/index.ts", "export * from './base';");
        write(
            "packages/cli/tsconfig.json",
            "{ // aliases\n \"compilerOptions\": {\"baseUrl\": \".\", \"paths\": {\"@/*\": [\"./src/*\"],}}}",
        );
        write("packages/cli/src/main.ts", "");
        let importer = root.join("packages/cli/src/main.ts");
        let slash = |p: &Path| p.to_str().unwrap().replace('\\', "/");
        let alias = targets(&importer, "@/tools/run");
        assert!(
            alias.contains(&format!("{}/packages/cli/src/tools/run", slash(root))),
            "{alias:?}"
        );
        let package = targets(&importer, "@acme/core");
        assert_eq!(
            package.first(),
            Some(&format!("{}/packages/core/src/index", slash(root))),
            "{package:?}"
        );
        let sub = targets(&importer, "@acme/core/tools");
        assert!(
            sub.contains(&format!("{}/packages/core/src/tools", slash(root))),
            "{sub:?}"
        );
        // An outside package resolves only under `baseUrl` (where no file is).
        assert_eq!(
            targets(&importer, "zod"),
            vec![format!("{}/packages/cli/zod", slash(root))]
        );
    }
}
