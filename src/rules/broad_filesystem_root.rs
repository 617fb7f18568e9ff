//! MCL304 broad-filesystem-root: a filesystem server (or a container) given
//! `/`, a whole drive or a whole home directory.

use super::launch::{DATA_LANGUAGES, broad_root, package_run};
use super::{FileContext, Rule, RuleMeta, owasp, words};
use crate::facts::ClientServerEntry;
use crate::finding::{Diagnostic, Level, Span};

pub struct BroadFilesystemRoot;

static META: RuleMeta = RuleMeta {
    code: "MCL304",
    name: "broad-filesystem-root",
    level: Level::Warning,
    cwe: Some(732),
    owasp: Some(owasp::MCP02),
    languages: DATA_LANGUAGES,
    summary: "a server is given `/`, `~`, a whole drive or a home directory as its root",
    doc: include_str!("../../rules/MCL304-broad-filesystem-root.md"),
    opt_in: false,
    triggers: &[],
    prefilter: None,
    roles: crate::roles::ALL,
};

/// Words of an option or variable name that say it holds the server's root.
const ROOT_WORDS: &[&str] = &[
    "root",
    "roots",
    "dir",
    "dirs",
    "directory",
    "directories",
    "path",
    "paths",
    "allowed",
    "workspace",
    "folder",
    "folders",
    "mount",
    "repository",
    "repo",
    "allow",
];

impl Rule for BroadFilesystemRoot {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        for entry in &ctx.facts.client_entries {
            for (value, span, how) in roots(entry) {
                let Some(what) = broad_root(&value) else {
                    continue;
                };
                out.push(
                    Diagnostic::new(
                        span,
                        format!(
                            "server `{}` is given {what} (`{value}`) {how}: every file there — SSH keys, cloud credentials, browser profiles — is one tool call away",
                            entry.name
                        ),
                    )
                    .with_help("give the server only the project directories it works on (`~/projects/app`), read-only where it only reads"),
                );
            }
        }
    }
}

/// Candidate root paths of an entry: the arguments of a filesystem server,
/// values of root-like options and variables, and bind-mount sources.
fn roots(entry: &ClientServerEntry) -> Vec<(String, Span, &'static str)> {
    let mut found = Vec::new();
    let run = package_run(entry);
    let filesystem_server = run.as_ref().is_some_and(|r| {
        words(&r.name)
            .iter()
            .any(|w| matches!(w.as_str(), "filesystem" | "fs" | "files"))
    }) || words(&entry.name).iter().any(|w| w == "filesystem");
    let args = match &run {
        Some(r) => r.rest.clone(),
        None if entry.container.is_none() => entry.args.clone(),
        None => Vec::new(),
    };
    let mut previous_is_root_flag = false;
    for arg in &args {
        let value = arg.value.as_str();
        if let Some((flag, v)) = value.split_once('=')
            && flag.starts_with('-')
        {
            if is_root_name(flag) {
                for part in v.split([',', ';']) {
                    found.push((part.to_string(), arg.span, "as a root"));
                }
            }
            previous_is_root_flag = false;
            continue;
        }
        if value.starts_with('-') {
            previous_is_root_flag = is_root_name(value);
            continue;
        }
        if filesystem_server || previous_is_root_flag {
            found.push((value.to_string(), arg.span, "as a root"));
        }
        previous_is_root_flag = false;
    }
    for var in &entry.env {
        if is_root_name(&var.key) {
            // `a:b` lists on Unix; `C:\x;D:\y` on Windows.
            let windows = var.value.get(1..2) == Some(":");
            let separators: &[char] = if windows {
                &[',', ';']
            } else {
                &[',', ';', ':']
            };
            for part in var.value.split(separators).filter(|p| !p.is_empty()) {
                found.push((part.to_string(), var.span, "in its environment"));
            }
        }
    }
    if let Some(container) = &entry.container {
        for option in container.option(&["-v", "--volume", "--mount"]) {
            let value = option.value.as_deref().unwrap_or("");
            let source = if option.flag == "--mount" {
                if !value.contains("type=bind") && value.contains("type=") {
                    continue;
                }
                value
                    .split(',')
                    .find_map(|kv| {
                        kv.strip_prefix("source=")
                            .or_else(|| kv.strip_prefix("src="))
                    })
                    .unwrap_or("")
            } else {
                value.split(':').next().unwrap_or("")
            };
            // `/` itself is MCL904's (the host mounted into a container).
            if source.trim_end_matches('/').is_empty() {
                continue;
            }
            found.push((
                source.to_string(),
                option.value_span.unwrap_or(option.span),
                "as a container bind mount",
            ));
        }
    }
    found
}

fn is_root_name(name: &str) -> bool {
    words(name).iter().any(|w| ROOT_WORDS.contains(&w.as_str()))
}
